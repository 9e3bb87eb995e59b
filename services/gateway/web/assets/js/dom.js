// Elements are built from text nodes only: nothing the API returns is ever
// parsed as HTML, so a document title cannot inject markup or script.
const SVG_NS = 'http://www.w3.org/2000/svg';

function append(node, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function assign(node, attributes) {
  for (const [key, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      node.addEventListener(key.slice(2), value);
    } else {
      node.setAttribute(key, value === true ? '' : String(value));
    }
  }
  return node;
}

// el('a', {href: '#/'}, 'text', child, ...)
export function el(tag, attributes, ...children) {
  return append(assign(document.createElement(tag), attributes), children);
}

export function svg(tag, attributes, ...children) {
  return append(assign(document.createElementNS(SVG_NS, tag), attributes), children);
}

export function replaceChildren(node, ...children) {
  node.replaceChildren();
  return append(node, children);
}
