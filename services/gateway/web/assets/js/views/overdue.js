// Overdue tasks and missing reports, oldest first, a page at a time.
import {call} from '../api.js';
import {el} from '../dom.js';
import {codeOf, date, number, period} from '../format.js';
import {missingSections} from './common.js';

const PAGE_SIZE = 50;

function itemRow(item, names) {
  const isTask = item.kind === 'KIND_TASK';
  return el('tr', {},
      el('td', {}, el('span', {class: `pill tone-${isTask ? 'bad' : 'warn'}`}, isTask ? 'Nhiệm vụ' : 'Thiếu báo cáo')),
      el('td', {}, names.get(item.locality) || codeOf(item.locality)),
      el('th', {scope: 'row'}, item.title || item.name, isTask ? null : el('small', {}, ` — ${period(item.period)}, thiếu ${number(item.missing)} báo cáo`)),
      el('td', {}, date(item.dueDate)),
      el('td', {class: 'number'}, number(item.daysOverdue)));
}

export async function renderOverdue(view, {code, names}) {
  const request = {pageSize: PAGE_SIZE};
  if (code) request.locality = `localities/${code}`;
  const body = el('tbody', {});
  const more = el('button', {type: 'button', class: 'more', hidden: true}, 'Xem thêm');
  const status = el('p', {role: 'status', class: 'muted'});
  let shown = 0;
  const load = async (pageToken) => {
    more.disabled = true;
    const page = await call('caunoi.v1.GatewayService/ListOverdue', {...request, pageToken});
    for (const item of page.items || []) body.append(itemRow(item, names));
    shown += (page.items || []).length;
    status.textContent = shown ? `Đang hiện ${number(shown)} mục.` : 'Không có việc quá hạn.';
    more.hidden = !page.nextPageToken;
    more.disabled = false;
    more.onclick = () => load(page.nextPageToken);
    return page;
  };
  const first = await load('');
  return [
    code ? el('p', {class: 'crumbs'}, el('a', {href: `#/locality/${code}`}, `← ${names.get(`localities/${code}`) || code}`)) : null,
    el('h1', {}, code ? `Việc quá hạn: ${names.get(`localities/${code}`) || code}` : 'Việc quá hạn trên cả nước'),
    missingSections(first.sections),
    el('div', {class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Danh sách việc quá hạn'},
        el('table', {class: 'overdue', id: 'overdue-table'},
            el('caption', {}, 'Nhiệm vụ quá hạn và báo cáo còn thiếu, cũ nhất trước'),
            el('thead', {}, el('tr', {}, ['Loại', 'Địa phương', 'Nội dung', 'Hạn', 'Số ngày quá hạn'].map((heading) => el('th', {scope: 'col'}, heading)))),
            body)),
    status,
    more,
  ];
}
