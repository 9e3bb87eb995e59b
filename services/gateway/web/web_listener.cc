#include "services/gateway/web/web_listener.h"

#include <string_view>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "civetweb.h"
#include "common/logging/log.h"
#include "services/gateway/web/assets.h"

namespace caunoi::gateway::web {
namespace {

// Scripts, styles and data from this origin only, nothing inline, no
// frames: an injected string cannot run, and the page calls no one else.
constexpr char kSecurityHeaders[] =
    "Content-Security-Policy: default-src 'none'; script-src 'self'; style-src 'self'; "
    "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'\r\n"
    "X-Content-Type-Options: nosniff\r\n"
    "X-Frame-Options: DENY\r\n"
    "Referrer-Policy: no-referrer\r\n"
    "Cross-Origin-Opener-Policy: same-origin\r\n"
    "Cross-Origin-Resource-Policy: same-origin\r\n"
    "Permissions-Policy: camera=(), microphone=(), geolocation=(), interest-cohort=()\r\n";

// A dashboard request is a few hundred bytes of JSON.
constexpr long long kMaxBodyBytes = 64 * 1024;
constexpr char kApiPrefix[] = "/api/";

void Reply(mg_connection* connection, int status, std::string_view content_type,
           const std::string& extra_headers, std::string_view body, bool head_only = false) {
  mg_response_header_start(connection, status);
  mg_response_header_add(connection, "Content-Type", content_type.data(),
                         static_cast<int>(content_type.size()));
  const std::string length = absl::StrCat(body.size());
  mg_response_header_add(connection, "Content-Length", length.c_str(), -1);
  mg_response_header_add_lines(connection, kSecurityHeaders);
  if (!extra_headers.empty()) mg_response_header_add_lines(connection, extra_headers.c_str());
  mg_response_header_send(connection);
  if (!head_only) mg_write(connection, body.data(), body.size());
}

void ReplyError(mg_connection* connection, int status, absl::string_view code,
                absl::string_view message, absl::string_view extra_headers = "") {
  Reply(connection, status, "application/json",
        absl::StrCat("Cache-Control: no-store\r\n", extra_headers),
        absl::StrCat("{\"code\":\"", code, "\",\"message\":\"", message, "\"}"));
}

// A strong validator: the binary's asset never changes while it runs.
std::string EntityTag(std::string_view body) {
  return absl::StrFormat("\"%016x\"", std::hash<std::string_view>()(body));
}

std::string HeaderOf(mg_connection* connection, const char* name) {
  const char* value = mg_get_header(connection, name);
  return value == nullptr ? std::string() : std::string(value);
}

int LogCivetweb(const mg_connection*, const char* message) {
  log::Warning("web.listener", {{"message", message}});
  return 1;
}

}  // namespace

WebListener::WebListener(std::string address, absl::Duration call_deadline)
    : address_(std::move(address)), call_deadline_(call_deadline) {}

WebListener::~WebListener() { Stop(); }

absl::Status WebListener::Start(grpc::Server& server) {
  bridge_ = std::make_unique<ApiBridge>(server.InProcessChannel(grpc::ChannelArguments()),
                                        call_deadline_);
  // clang-format off
  const char* options[] = {
      "listening_ports", address_.c_str(),
      "num_threads", "16",
      "request_timeout_ms", "30000",
      "enable_keep_alive", "yes",
      "keep_alive_timeout_ms", "30000",
      // Headers and body are written apart; without this a response on a
      // kept-alive connection waits out the client's delayed ACK (40 ms).
      "tcp_nodelay", "1",
      nullptr};
  // clang-format on
  mg_callbacks callbacks{};
  callbacks.log_message = &LogCivetweb;
  mg_init_library(0);
  context_ = mg_start(&callbacks, nullptr, options);
  if (context_ == nullptr) {
    return absl::UnavailableError(absl::StrCat("cannot listen for the dashboard on ", address_));
  }
  mg_set_request_handler(context_, "/", &WebListener::HandleRequest, this);
  mg_server_port port{};
  const int ports = mg_get_server_ports(context_, 1, &port);
  log::Info("web.started",
            {{"listen", address_}, {"port", absl::StrCat(ports > 0 ? port.port : 0)}});
  return absl::OkStatus();
}

void WebListener::Stop() {
  if (context_ == nullptr) return;
  mg_stop(context_);
  context_ = nullptr;
  log::Info("web.stopped", {{"listen", address_}});
}

int WebListener::HandleRequest(mg_connection* connection, void* self) {
  auto* listener = static_cast<WebListener*>(self);
  const mg_request_info* request = mg_get_request_info(connection);
  const absl::Time start = absl::Now();
  const std::string verb = request->request_method;
  // local_uri is the path without the query string: nothing a URL might
  // carry reaches the log.
  const std::string path = request->local_uri != nullptr ? request->local_uri : "/";
  int status;
  if (absl::StartsWith(path, kApiPrefix)) {
    if (verb != "POST") {
      ReplyError(connection, 405, "METHOD_NOT_ALLOWED", "the dashboard API takes POST",
                 "Allow: POST\r\n");
      status = 405;
    } else {
      status = listener->ServeApi(connection, path.substr(sizeof(kApiPrefix) - 1));
    }
  } else if (verb == "GET" || verb == "HEAD") {
    status = listener->ServeAsset(connection, path, verb == "HEAD");
  } else {
    ReplyError(connection, 405, "METHOD_NOT_ALLOWED", "the page takes GET", "Allow: GET, HEAD\r\n");
    status = 405;
  }
  log::Info("web.request", {{"method", verb},
                            {"path", path},
                            {"status", absl::StrCat(status)},
                            {"ms", absl::StrCat(absl::ToInt64Milliseconds(absl::Now() - start))}});
  return status;
}

int WebListener::ServeAsset(mg_connection* connection, const std::string& path, bool head_only) {
  const Asset* asset = FindAsset(path);
  if (asset == nullptr) {
    Reply(connection, 404, "text/plain; charset=utf-8", "Cache-Control: no-store\r\n",
          "Không tìm thấy trang.\n", head_only);
    return 404;
  }
  const std::string tag = EntityTag(asset->body);
  // Revalidated on each load, so a new gateway's page is never mixed with
  // an old one's scripts.
  const std::string caching = absl::StrCat("Cache-Control: no-cache\r\nETag: ", tag, "\r\n");
  if (HeaderOf(connection, "If-None-Match") == tag) {
    Reply(connection, 304, ContentTypeOf(asset->path), caching, "", /*head_only=*/true);
    return 304;
  }
  Reply(connection, 200, ContentTypeOf(asset->path), caching, asset->body, head_only);
  return 200;
}

int WebListener::ServeApi(mg_connection* connection, const std::string& method) {
  const mg_request_info* request = mg_get_request_info(connection);
  if (request->content_length > kMaxBodyBytes) {
    ReplyError(connection, 413, "INVALID_ARGUMENT", "the request body is over 64 KiB");
    return 413;
  }
  std::string body;
  char chunk[8192];
  for (int read; (read = mg_read(connection, chunk, sizeof(chunk))) > 0;) {
    body.append(chunk, read);
    if (static_cast<long long>(body.size()) > kMaxBodyBytes) {
      ReplyError(connection, 413, "INVALID_ARGUMENT", "the request body is over 64 KiB");
      return 413;
    }
  }
  const ApiReply reply = bridge_->Call(method, body,
                                       {.authorization = HeaderOf(connection, "Authorization"),
                                        .request_id = HeaderOf(connection, "X-Request-Id"),
                                        .traceparent = HeaderOf(connection, "traceparent")});
  std::string headers = "Cache-Control: no-store\r\n";
  if (reply.retry_after_seconds > 0) {
    absl::StrAppend(&headers, "Retry-After: ", reply.retry_after_seconds, "\r\n");
  }
  if (reply.http_status == 401) absl::StrAppend(&headers, "WWW-Authenticate: Bearer\r\n");
  Reply(connection, reply.http_status, "application/json; charset=utf-8", headers, reply.json);
  return reply.http_status;
}

}  // namespace caunoi::gateway::web
