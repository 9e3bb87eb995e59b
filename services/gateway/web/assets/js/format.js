// Vietnamese labels and number formats, in one place.
const numberFormat = new Intl.NumberFormat('vi-VN');
const percentFormat = new Intl.NumberFormat('vi-VN', {style: 'percent', maximumFractionDigits: 1});

export const TASK_STATUSES = [
  {key: 'DONE_ON_TIME', label: 'Hoàn thành đúng hạn', tone: 'good'},
  {key: 'DONE_LATE', label: 'Hoàn thành trễ hạn', tone: 'warn'},
  {key: 'OPEN_WITHIN_DEADLINE', label: 'Đang thực hiện, trong hạn', tone: 'neutral'},
  {key: 'OPEN_OVERDUE', label: 'Quá hạn', tone: 'bad'},
];

export function number(value) {
  return numberFormat.format(Number(value || 0));
}

export function percent(value) {
  return percentFormat.format(Number(value || 0));
}

export function date(value) {
  if (!value || !value.year) return '';
  const pad = (n) => String(n).padStart(2, '0');
  return `${pad(value.day)}/${pad(value.month)}/${value.year}`;
}

// "2024-H1" → "6 tháng đầu 2024", "2024-Q3" → "Quý 3/2024", "2024" → "Năm 2024".
export function period(value) {
  const half = /^(\d{4})-H([12])$/.exec(value || '');
  if (half) return `${half[2] === '1' ? '6 tháng đầu' : '6 tháng cuối'} ${half[1]}`;
  const quarter = /^(\d{4})-Q([1-4])$/.exec(value || '');
  if (quarter) return `Quý ${quarter[2]}/${quarter[1]}`;
  const month = /^(\d{4})-(\d{2})$/.exec(value || '');
  if (month) return `Tháng ${Number(month[2])}/${month[1]}`;
  return /^\d{4}$/.test(value || '') ? `Năm ${value}` : value || '';
}

// For a chart's axis: "2024-H1" → "6T đầu/2024".
export function shortPeriod(value) {
  const half = /^(\d{4})-H([12])$/.exec(value || '');
  if (half) return `${half[2] === '1' ? '6T đầu' : '6T cuối'}/${half[1]}`;
  const quarter = /^(\d{4})-Q([1-4])$/.exec(value || '');
  return quarter ? `Q${quarter[2]}/${quarter[1]}` : period(value);
}

// The colour class of a rate: the centre's thresholds for a locality's
// reporting (at least 80% good, under 50% bad).
export function rateTone(rate, expected) {
  if (!Number(expected)) return 'none';
  if (rate >= 0.8) return 'good';
  if (rate >= 0.5) return 'warn';
  return 'bad';
}

export function rateLabel(tone) {
  return {good: 'đạt', warn: 'cần đôn đốc', bad: 'thấp', none: 'chưa đến kỳ'}[tone];
}

// "localities/01" → "01"; "localities/01/communes/00004" → "00004".
export function codeOf(name) {
  const parts = String(name || '').split('/');
  return parts[parts.length - 1];
}
