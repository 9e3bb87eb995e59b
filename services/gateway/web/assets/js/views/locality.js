// One locality: its documents, overdue tasks, organizations and activities,
// and (for a chosen central document) its rollout drilled down to every
// commune, ward and special zone.
import {call} from '../api.js';
import {el} from '../dom.js';
import {codeOf, date, number, period} from '../format.js';
import {figure, missingSections, rateCell, taskBadges} from './common.js';

const ACTIVITY_KINDS = {
  EXCHANGE: 'Giao lưu', CELEBRATION: 'Kỷ niệm', DELEGATION_RECEIVED: 'Đón đoàn',
  DELEGATION_SENT: 'Cử đoàn', CONFERENCE: 'Hội nghị', HUMANITARIAN_AID: 'Viện trợ nhân đạo', OTHER: 'Khác',
};

function documentsList(documents) {
  if (!documents.length) return el('p', {class: 'muted'}, 'Chưa có văn bản.');
  return el('ul', {class: 'documents-list'}, documents.map((document) =>
    el('li', {}, el('span', {class: 'symbol'}, document.symbol), ` ban hành ${date(document.issueDate)}`)));
}

function communeRow(place) {
  const acting = place.documents.length > 0 || Number(place.reports?.onTime || 0) + Number(place.reports?.late || 0) > 0;
  return el('tr', {class: acting ? 'acting' : 'not-acting', 'data-place': codeOf(place.locality)},
      el('th', {scope: 'row'}, place.displayName),
      el('td', {}, place.documents.length ? place.documents.map((document) => el('span', {class: 'symbol'}, document.symbol)) : el('span', {class: 'muted'}, '—')),
      el('td', {class: 'number'}, place.documents.length ? number(place.documents[0].lagDays) : '—'),
      el('td', {}, taskBadges(place.tasksByStatus)),
      el('td', {class: 'number'}, number(place.reports?.expected)),
      rateCell(place.reports?.reportingRate, place.reports?.expected),
      rateCell(place.reports?.onTimeRate, place.reports?.expected));
}

function drillDown(rollout) {
  const places = rollout.localities || [];
  const communes = places.slice(1);
  const notActing = (rollout.localitiesNotImplementing || []).length;
  const table = el('table', {class: 'communes', id: 'communes-table'},
      el('caption', {}, 'Cấp tỉnh và từng xã, phường, đặc khu'),
      el('thead', {}, el('tr', {}, ['Nơi', 'Văn bản', 'Độ trễ (ngày)', 'Nhiệm vụ', 'Báo cáo phải nộp', 'Tỷ lệ báo cáo', 'Đúng hạn']
          .map((heading) => el('th', {scope: 'col'}, heading)))),
      el('tbody', {}, places.map(communeRow)));
  // A hundred communes that have not acted can hide the few that have.
  const onlyActing = el('input', {type: 'checkbox', id: 'only-acting', onchange: (event) => {
    table.classList.toggle('only-acting', event.target.checked);
  }});
  return el('section', {'aria-labelledby': 'communes-title'},
      el('h2', {id: 'communes-title'}, 'Theo xã, phường, đặc khu'),
      el('p', {}, `${number(rollout.communesActed)} trên ${number(communes.length)} xã, phường, đặc khu đã triển khai; ${number(notActing)} chưa.`),
      missingSections(rollout.sections),
      el('p', {class: 'filter'}, onlyActing, el('label', {for: 'only-acting'}, ' Chỉ hiện nơi đã triển khai')),
      el('div', {class: 'table-scroll', tabindex: '0', role: 'region', 'aria-labelledby': 'communes-title'}, table));
}

// The document's indicators in the locality, a row per period and a column
// per indicator.
async function indicatorsByPeriod(totals) {
  if (!totals.length) return null;
  const catalogue = await call('caunoi.v1.ReportService/ListIndicators', {pageSize: 500});
  const names = new Map((catalogue.indicators || []).map((indicator) => [indicator.name, indicator.displayName]));
  const indicators = [...new Set(totals.map((total) => total.indicator))];
  const periods = [...new Set(totals.map((total) => total.period))].sort();
  const cell = new Map(totals.map((total) => [`${total.period} ${total.indicator}`, total.sum]));
  return el('section', {'aria-labelledby': 'locality-indicators-title'},
      el('h2', {id: 'locality-indicators-title'}, 'Chỉ tiêu theo kỳ báo cáo'),
      el('div', {class: 'table-scroll', tabindex: '0', role: 'region', 'aria-labelledby': 'locality-indicators-title'},
          el('table', {id: 'locality-indicator-table'},
              el('caption', {}, 'Tổng các chỉ tiêu trong báo cáo đã nộp và đã được chấp nhận của địa phương'),
              el('thead', {}, el('tr', {}, el('th', {scope: 'col'}, 'Kỳ'),
                  indicators.map((indicator) => el('th', {scope: 'col'}, names.get(indicator) || indicator)))),
              el('tbody', {}, periods.map((name) => el('tr', {},
                  el('th', {scope: 'row'}, period(name)),
                  indicators.map((indicator) => el('td', {class: 'number'},
                      cell.has(`${name} ${indicator}`) ? number(cell.get(`${name} ${indicator}`)) : '—'))))))));
}

export async function renderLocality(view, {code, documentName}) {
  const locality = `localities/${code}`;
  // One after the other: the gateway lets a principal run one aggregate at a time.
  const dashboard = await call('caunoi.v1.GatewayService/GetLocalityDashboard',
      documentName ? {locality, document: documentName} : {locality});
  const rollout = documentName ?
    await call('caunoi.v1.GatewayService/GetDirectiveRollout', {document: documentName, locality}) : null;
  const activities = Object.entries(dashboard.activitiesByKind || {});
  return [
    el('p', {class: 'crumbs'}, el('a', {href: documentName ? `#/rollout/${documentName}` : '#/'}, '← Toàn quốc')),
    el('h1', {}, dashboard.displayName || locality),
    missingSections(dashboard.sections),
    el('dl', {class: 'figures', 'aria-label': 'Tổng hợp địa phương'},
        figure('Nhiệm vụ quá hạn', number(dashboard.overdueTasks), Number(dashboard.overdueTasks) > 0 ? 'bad' : 'good'),
        figure('Quá hạn lâu nhất', `${number(dashboard.maxDaysOverdue)} ngày`),
        figure('Tổ chức', number(dashboard.organizations)),
        figure('Hội viên', number(dashboard.members))),
    el('p', {}, el('a', {href: `#/overdue/${code}`}, 'Xem danh sách việc quá hạn của địa phương')),
    el('section', {'aria-labelledby': 'issued-title'},
        el('h2', {id: 'issued-title'}, 'Văn bản địa phương ban hành'),
        documentsList(dashboard.documents || [])),
    activities.length ? el('section', {'aria-labelledby': 'activities-title'},
        el('h2', {id: 'activities-title'}, 'Hoạt động đối ngoại nhân dân'),
        el('ul', {class: 'activities'}, activities.map(([kind, count]) => el('li', {}, `${ACTIVITY_KINDS[kind] || kind}: ${number(count)}`)))) : null,
    await indicatorsByPeriod(dashboard.indicators || []),
    rollout ? drillDown(rollout) : null,
  ];
}
