// Charts drawn as SVG by the page itself (no library, no network). Each is a
// <figure> whose SVG has role="img" and a text alternative; the numbers are
// also in the tables beside them.
import {el, svg} from './dom.js';

const ROW_HEIGHT = 22;
const LABEL_WIDTH = 190;
const BAR_AREA = 420;

function figure(id, caption, description, drawing) {
  const titleId = `${id}-title`;
  const descId = `${id}-desc`;
  drawing.setAttribute('role', 'img');
  drawing.setAttribute('aria-labelledby', `${titleId} ${descId}`);
  drawing.prepend(svg('title', {id: titleId}, caption), svg('desc', {id: descId}, description));
  return el('figure', {class: 'chart', id}, drawing, el('figcaption', {}, caption));
}

// Horizontal bars, longest scaled to the area: items [{label, value, tone, note}].
export function barChart({id, caption, description, items, unit}) {
  const max = Math.max(1, ...items.map((item) => item.value));
  const height = Math.max(1, items.length) * ROW_HEIGHT + 8;
  const width = LABEL_WIDTH + BAR_AREA + 70;
  const drawing = svg('svg', {viewBox: `0 0 ${width} ${height}`, class: 'bars', preserveAspectRatio: 'xMinYMin meet'});
  items.forEach((item, index) => {
    const y = 4 + index * ROW_HEIGHT;
    const length = Math.max(2, (item.value / max) * BAR_AREA);
    drawing.append(
        svg('text', {x: LABEL_WIDTH - 8, y: y + 15, 'text-anchor': 'end', class: 'label'}, item.label),
        svg('rect', {x: LABEL_WIDTH, y: y + 3, width: length.toFixed(1), height: ROW_HEIGHT - 6,
          rx: 2, class: `bar tone-${item.tone || 'neutral'}`},
        svg('title', {}, `${item.label}: ${item.value} ${unit}${item.note ? ` (${item.note})` : ''}`)),
        svg('text', {x: LABEL_WIDTH + length + 6, y: y + 15, class: 'value'}, `${item.value} ${unit}`));
  });
  return figure(id, caption, description, drawing);
}

// A line over periods with values in 0..1: points [{label, title, value}]
// (the short label on the axis, the title in the point's tooltip).
export function rateTrend({id, caption, description, points}) {
  const width = 680;
  const height = 240;
  const left = 64;
  const right = 16;
  const top = 14;
  const bottom = 64;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const step = points.length > 1 ? plotWidth / (points.length - 1) : 0;
  const x = (index) => left + (points.length > 1 ? index * step : plotWidth / 2);
  const y = (value) => top + (1 - value) * plotHeight;
  const drawing = svg('svg', {viewBox: `0 0 ${width} ${height}`, class: 'trend', preserveAspectRatio: 'xMinYMin meet'});
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    drawing.append(
        svg('line', {x1: left, x2: width - right, y1: y(tick), y2: y(tick), class: 'grid'}),
        svg('text', {x: left - 6, y: y(tick) + 4, 'text-anchor': 'end', class: 'axis'}, `${tick * 100}%`));
  }
  const labelEvery = Math.ceil(points.length / 12);
  points.forEach((point, index) => {
    if (index % labelEvery !== 0) return;
    drawing.append(svg('text', {x: x(index), y: height - bottom + 16, 'text-anchor': 'end',
      transform: `rotate(-35 ${x(index)} ${height - bottom + 16})`, class: 'axis'}, point.label));
  });
  if (points.length > 0) {
    const path = points.map((point, index) => `${index ? 'L' : 'M'}${x(index).toFixed(1)},${y(point.value).toFixed(1)}`);
    drawing.append(svg('path', {d: path.join(' '), class: 'line'}));
  }
  points.forEach((point, index) => {
    drawing.append(svg('circle', {cx: x(index), cy: y(point.value), r: 3.5, class: 'dot'},
        svg('title', {}, `${point.title || point.label}: ${Math.round(point.value * 1000) / 10}%`)));
  });
  return figure(id, caption, description, drawing);
}
