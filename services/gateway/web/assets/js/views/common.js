// Pieces every view uses: headings, the sections a status answer could not
// gather, figures, task badges and rate cells.
import {el} from '../dom.js';
import {TASK_STATUSES, number, percent, rateLabel, rateTone} from '../format.js';

export function loading(text = 'Đang tải…') {
  return el('p', {class: 'loading', role: 'status'}, text);
}

export function failure(message) {
  return el('p', {class: 'error', role: 'alert'}, message);
}

// A status answer still comes when a service is down; say what is missing.
export function missingSections(sections) {
  const missing = (sections || []).filter((section) => !section.available);
  if (missing.length === 0) return null;
  return el('div', {class: 'notice', role: 'status'},
      el('strong', {}, 'Thiếu một phần số liệu: '),
      missing.map((section) => `${section.section} (${section.reason})`).join('; '));
}

export function figure(label, value, tone) {
  return el('div', {class: `figure${tone ? ` tone-${tone}` : ''}`},
      el('dt', {}, label), el('dd', {}, value));
}

export function taskBadges(tasksByStatus) {
  const counts = tasksByStatus || {};
  const badges = TASK_STATUSES.filter((status) => Number(counts[status.key] || 0) > 0)
      .map((status) => el('span', {class: `badge tone-${status.tone}`, title: status.label},
          el('span', {class: 'visually-hidden'}, `${status.label}: `), number(counts[status.key])));
  return badges.length ? el('span', {class: 'badges'}, badges) : el('span', {class: 'muted'}, '—');
}

// A rate cell that says its judgement in words as well as colour.
export function rateCell(rate, expected) {
  const tone = rateTone(Number(rate || 0), Number(expected || 0));
  if (tone === 'none') return el('td', {class: 'rate tone-none'}, el('span', {class: 'muted'}, '—'));
  return el('td', {class: `rate tone-${tone}`},
      percent(rate), el('span', {class: 'visually-hidden'}, ` (${rateLabel(tone)})`));
}

export function legend() {
  return el('ul', {class: 'legend', 'aria-label': 'Chú giải màu'},
      TASK_STATUSES.map((status) => el('li', {}, el('span', {class: `swatch tone-${status.tone}`, 'aria-hidden': 'true'}), status.label)),
      el('li', {}, el('span', {class: 'swatch tone-good', 'aria-hidden': 'true'}), 'Tỷ lệ từ 80%'),
      el('li', {}, el('span', {class: 'swatch tone-warn', 'aria-hidden': 'true'}), '50–80%'),
      el('li', {}, el('span', {class: 'swatch tone-bad', 'aria-hidden': 'true'}), 'dưới 50%'));
}
