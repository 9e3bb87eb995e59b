// The rollout of one central document across the 34 localities: who has
// concretized it and how fast, tasks by status, reporting and on-time rates,
// a chart of lags and the national on-time trend.
import {call} from '../api.js';
import {barChart, rateTrend} from '../charts.js';
import {el} from '../dom.js';
import {codeOf, date, number, percent, period, shortPeriod} from '../format.js';
import {figure, legend, missingSections, rateCell, taskBadges} from './common.js';

const DEFAULT_SYMBOL = '12-CT/TW';

// The central documents a rollout can be asked for, oldest symbol first.
export async function centralDocuments() {
  const found = await call('caunoi.v1.DirectiveService/ListDocuments',
      {filter: 'level = CENTRAL', pageSize: 100});
  return found.documents || [];
}

export function defaultDocument(documents) {
  const preferred = documents.find((document) => document.symbol === DEFAULT_SYMBOL);
  return (preferred || documents[0] || {}).name;
}

// A form, not a select that navigates on change: arrowing through the
// list with the keyboard must not load a rollout per step.
function chooser(documents, selected, onChoose) {
  const select = el('select', {id: 'document', name: 'document'},
      documents.map((document) => el('option', {value: document.name, selected: document.name === selected},
          `${document.symbol} — ${document.title}`)));
  return el('form', {class: 'chooser', onsubmit: (event) => {
    event.preventDefault();
    onChoose(select.value);
  }}, el('label', {for: 'document'}, 'Văn bản trung ương'), select, el('button', {type: 'submit'}, 'Xem'));
}

function isPast(dueDate, today) {
  return new Date(dueDate.year, dueDate.month - 1, dueDate.day) < today;
}

// The country's on-time rate per period whose reports are due, from every
// locality's periods (a period still open would read as a fall to zero).
function nationalTrend(localities) {
  const byPeriod = new Map();
  const today = new Date();
  for (const locality of localities) {
    for (const row of locality.reportPeriods || []) {
      if (!row.dueDate || !isPast(row.dueDate, today)) continue;
      const sum = byPeriod.get(row.period) || {expected: 0, onTime: 0};
      sum.expected += Number(row.counts.expected);
      sum.onTime += Number(row.counts.onTime);
      byPeriod.set(row.period, sum);
    }
  }
  return [...byPeriod.entries()]
      .filter(([, sum]) => sum.expected > 0)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, sum]) => ({label: shortPeriod(name), title: period(name), value: sum.onTime / sum.expected}));
}

function localityRow(locality, documentName) {
  // Its communes' documents are counted, not listed: the drill-down lists them.
  const communeDocuments = Number(locality.communeDocuments || 0);
  const acting = locality.documents.length > 0 || communeDocuments > 0;
  const first = locality.documents[0];
  const reports = locality.reports || {};
  const submitted = Number(reports.onTime || 0) + Number(reports.late || 0);
  return el('tr', {class: acting ? 'acting' : 'not-acting', 'data-locality': codeOf(locality.locality)},
      el('th', {scope: 'row'}, el('a', {href: `#/locality/${codeOf(locality.locality)}/${documentName}`}, locality.displayName)),
      el('td', {class: 'status'}, el('span', {class: `pill tone-${acting ? 'good' : 'bad'}`}, acting ? 'Đã cụ thể hóa' : 'Chưa triển khai')),
      el('td', {class: 'documents'}, acting ?
        [...locality.documents.map((document) => el('span', {class: 'symbol', title: document.name}, document.symbol, el('small', {}, ` ${date(document.issueDate)}`))),
          ...(communeDocuments > 0 ? [el('small', {class: 'commune-documents'}, `+${number(communeDocuments)} văn bản cấp xã`)] : [])] :
        el('span', {class: 'muted'}, '—')),
      el('td', {class: 'number lag'}, first ? number(first.lagDays) : '—'),
      el('td', {}, taskBadges(locality.tasksByStatus)),
      el('td', {class: 'number'}, `${number(submitted)}/${number(reports.expected)}`),
      rateCell(reports.reportingRate, reports.expected),
      rateCell(reports.onTimeRate, reports.expected),
      el('td', {class: 'number'}, `${number(locality.communesActed)}/${number(locality.communes)}`));
}

// The document's indicators added up over the country, from the rollout's
// per-period totals, named from the catalogue.
async function indicatorTable(totals) {
  if (!totals.length) return null;
  const catalogue = await call('caunoi.v1.ReportService/ListIndicators', {pageSize: 500});
  const names = new Map((catalogue.indicators || []).map((indicator) => [indicator.name, indicator.displayName]));
  const sums = new Map();
  for (const total of totals) {
    const sum = sums.get(total.indicator) || {sum: 0, reports: 0};
    sum.sum += Number(total.sum);
    sum.reports += Number(total.reports);
    sums.set(total.indicator, sum);
  }
  return el('section', {'aria-labelledby': 'indicators-title'},
      el('h2', {id: 'indicators-title'}, 'Chỉ tiêu toàn quốc'),
      el('div', {class: 'table-scroll', tabindex: '0', role: 'region', 'aria-labelledby': 'indicators-title'},
          el('table', {id: 'indicator-table'},
              el('caption', {}, 'Tổng các chỉ tiêu trong báo cáo đã nộp và đã được chấp nhận'),
              el('thead', {}, el('tr', {}, ['Chỉ tiêu', 'Tổng', 'Số báo cáo có số liệu'].map((heading) => el('th', {scope: 'col'}, heading)))),
              el('tbody', {}, [...sums.entries()].map(([indicator, sum]) => el('tr', {},
                  el('th', {scope: 'row'}, names.get(indicator) || indicator),
                  el('td', {class: 'number'}, number(sum.sum)),
                  el('td', {class: 'number'}, number(sum.reports))))))));
}

export async function renderRollout(view, {documentName, navigate}) {
  const documents = await centralDocuments();
  const chosen = documentName || defaultDocument(documents);
  if (!chosen) return [el('h1', {}, 'Triển khai'), el('p', {}, 'Chưa có văn bản trung ương nào.')];
  const document = documents.find((candidate) => candidate.name === chosen) || {name: chosen, symbol: chosen, title: ''};
  const rollout = await call('caunoi.v1.GatewayService/GetDirectiveRollout', {document: chosen});
  const localities = rollout.localities || [];
  const acting = localities.filter((locality) => locality.documents.length > 0);
  const reports = rollout.reports || {};
  const lags = acting.map((locality) => ({
    label: locality.displayName, value: locality.documents[0].lagDays,
    tone: locality.documents[0].lagDays <= 90 ? 'good' : locality.documents[0].lagDays <= 180 ? 'warn' : 'bad',
    note: locality.documents[0].symbol,
  })).sort((a, b) => a.value - b.value);
  const trend = nationalTrend(localities);
  const indicators = await indicatorTable(rollout.indicators || []);

  return [
    el('h1', {}, `Triển khai ${document.symbol}`),
    document.title ? el('p', {class: 'subtitle'}, document.title) : null,
    chooser(documents, chosen, (name) => navigate(`#/rollout/${name}`)),
    missingSections(rollout.sections),
    el('dl', {class: 'figures', 'aria-label': 'Tổng hợp toàn quốc'},
        figure('Địa phương đã cụ thể hóa', `${acting.length}/${localities.length}`, 'good'),
        figure('Chưa triển khai', `${(rollout.localitiesNotImplementing || []).length} địa phương`, acting.length < localities.length ? 'bad' : 'good'),
        figure('Tỷ lệ báo cáo', percent(reports.reportingRate)),
        figure('Báo cáo đúng hạn', percent(reports.onTimeRate)),
        figure('Xã, phường đã triển khai', number(rollout.communesActed)),
        figure('Lượt người được phổ biến', number(rollout.disseminatedHeadCount))),
    el('section', {'aria-labelledby': 'localities-title'},
        el('h2', {id: 'localities-title'}, 'Theo địa phương'),
        legend(),
        el('div', {class: 'table-scroll', tabindex: '0', role: 'region', 'aria-labelledby': 'localities-title'},
            el('table', {class: 'rollout', id: 'rollout-table'},
                el('caption', {}, `Tình hình triển khai ${document.symbol} tại ${localities.length} tỉnh, thành phố`),
                el('thead', {}, el('tr', {},
                    ['Địa phương', 'Trạng thái', 'Văn bản cụ thể hóa', 'Độ trễ (ngày)', 'Nhiệm vụ', 'Báo cáo đã nộp', 'Tỷ lệ báo cáo', 'Đúng hạn', 'Xã, phường đã triển khai']
                        .map((heading) => el('th', {scope: 'col'}, heading)))),
                el('tbody', {}, localities.map((locality) => localityRow(locality, chosen)))))),
    indicators,
    el('div', {class: 'charts'},
        lags.length ? barChart({id: 'lag-chart', caption: 'Số ngày từ khi trung ương ban hành đến khi địa phương cụ thể hóa',
          description: lags.map((lag) => `${lag.label}: ${lag.value} ngày`).join('; '), items: lags, unit: 'ngày'}) : null,
        trend.length ? rateTrend({id: 'trend-chart', caption: 'Tỷ lệ báo cáo đúng hạn toàn quốc theo kỳ',
          description: trend.map((point) => `${point.title}: ${percent(point.value)}`).join('; '), points: trend}) : null),
    rollout.cacheAgeMs > 0 ? el('p', {class: 'muted'}, `Số liệu tính cách đây ${Math.round(rollout.cacheAgeMs / 1000)} giây.`) : null,
  ];
}
