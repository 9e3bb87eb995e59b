// The gateway's status API, as the page calls it: POST /api/{Service}/{Method}
// with the token as a bearer header. The token lives in this tab's session
// storage only: never in a URL, a cookie or local storage.
const TOKEN_KEY = 'caunoi.token';
const MAX_RATE_RETRIES = 2;

export class ApiError extends Error {
  constructor(status, body) {
    super(body.message || `HTTP ${status}`);
    this.status = status;
    this.code = body.code || 'UNKNOWN';
    this.reason = body.reason || '';
  }
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Calls `method` ("caunoi.v1.GatewayService/GetDirectiveRollout"). Told to
// slow down (429), waits as Retry-After says and tries again, a bounded
// number of times, as the gateway's rate limit asks of every caller.
export async function call(method, request = {}, bearer = token()) {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(`/api/${method}`, {
      method: 'POST',
      headers: {'Content-Type': 'application/json', 'Authorization': `Bearer ${bearer}`},
      body: JSON.stringify(request),
      cache: 'no-store',
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
    });
    const body = await response.json().catch(() => ({}));
    if (response.ok) return body;
    if (response.status === 429 && attempt < MAX_RATE_RETRIES) {
      const seconds = Number(response.headers.get('Retry-After')) || 1;
      await sleep(Math.min(seconds, 10) * 1000);
      continue;
    }
    throw new ApiError(response.status, body);
  }
}

// A message for people, in Vietnamese, for any failed call.
export function explain(error) {
  if (!(error instanceof ApiError)) return 'Không kết nối được với cổng Cầu Nối. Vui lòng thử lại.';
  switch (error.code) {
    case 'UNAUTHENTICATED': return 'Mã truy cập không đúng hoặc đã hết hiệu lực.';
    case 'PERMISSION_DENIED': return `Mã truy cập không có quyền xem nội dung này (${error.reason || error.message}).`;
    case 'NOT_FOUND': return `Không tìm thấy: ${error.message}`;
    case 'RESOURCE_EXHAUSTED': return 'Quá nhiều yêu cầu trong thời gian ngắn. Vui lòng thử lại sau ít phút.';
    case 'UNAVAILABLE':
    case 'DEADLINE_EXCEEDED': return 'Dịch vụ tạm thời không phản hồi. Vui lòng thử lại.';
    default: return `Lỗi ${error.code}: ${error.message}`;
  }
}
