// dom.js - building the page from data without ever parsing it as HTML:
// every string becomes a text node, attributes are set one by one, and
// event handlers are functions. Resource names are user input.

// h('a', { href: '#/x', class: 'y', onclick: fn }, 'text', child, ...)
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'checked' || k === 'disabled' || k === 'selected' || k === 'value') el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

// A table: cols [{ title, cell(row) -> node|string }], rows, caption.
export function table(caption, cols, rows, opts = {}) {
  return h('div', { class: 'table-wrap', role: 'region', 'aria-label': caption, tabindex: 0 },
    h('table', { 'data-table': opts.id || '' },
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, cols.map(c => h('th', { scope: 'col' }, c.title)))),
      h('tbody', {}, rows.length ? rows.map(r => h('tr', opts.rowAttrs ? opts.rowAttrs(r) : {},
        cols.map(c => h('td', { 'data-col': c.key || '' }, c.cell(r))))) :
        h('tr', {}, h('td', { colspan: cols.length, class: 'empty' }, opts.empty || 'Nothing here.')))));
}

export function link(href, text) {
  return h('a', { href }, text);
}

export function yesNo(b) {
  return b ? 'Yes' : 'No';
}

// A labelled control: label text + input/select element.
export function field(label, control) {
  const id = control.id || ('f-' + Math.random().toString(36).slice(2, 9));
  control.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), control);
}

export function errorBox(err) {
  return h('div', { class: 'error', role: 'alert' },
    h('strong', {}, err.code || 'Error'), err.status ? ` (HTTP ${err.status})` : '', ': ',
    err.message || String(err),
    err.requestId ? h('div', { class: 'muted' }, 'RequestId ', err.requestId) : '');
}
