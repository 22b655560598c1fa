// audit.js - the account's audit trail (GET /_ecsd/audit, signed) with
// filters and paging, and the per-resource history on resource pages.
import { h, table, field, errorBox } from '../dom.js';
import { own } from '../api.js';

const cols = [
  { title: 'Time', cell: e => e.Time },
  { title: 'Action', key: 'action', cell: e => e.Action },
  { title: 'Resources', cell: e => (e.ResourceIds || []).join(' ') },
  { title: 'Outcome', key: 'code', cell: e => `${e.Code} (${e.HttpStatus})` },
  { title: 'AccessKey', cell: e => e.AccessKeyId },
  { title: 'Source', cell: e => e.SourceIp },
  { title: 'RequestId', cell: e => e.RequestId },
];

export async function historyTable(filter, token) {
  const r = await own('/_ecsd/audit', { ...filter, MaxResults: 50, NextToken: token });
  return table('History', cols, r.Events || [], { id: 'history', empty: 'No recorded calls.' });
}

export async function auditView(ctx) {
  const f = {};
  const pages = [];
  let token = '';
  const body = h('div', {});
  async function refresh() {
    try {
      const r = await own('/_ecsd/audit', { ...f, MaxResults: 50, NextToken: token || undefined });
      body.replaceChildren(table('Audit trail', cols, r.Events || [], { id: 'audit', empty: 'No recorded calls.' }),
        h('nav', { 'aria-label': 'Pages', class: 'pager' },
          h('button', { type: 'button', disabled: !pages.length, onclick: () => { token = pages.pop(); refresh(); } }, 'Newer'),
          h('button', { type: 'button', disabled: !r.NextToken, onclick: () => { pages.push(token); token = r.NextToken; refresh(); } }, 'Older')));
    } catch (e) { body.replaceChildren(errorBox(e)); }
  }
  const action = h('input', { type: 'search', name: 'Action' });
  const res = h('input', { type: 'search', name: 'ResourceId' });
  await refresh();
  return h('div', {}, h('h1', {}, 'Audit trail'),
    h('form', { class: 'filters', 'aria-label': 'Filters', onsubmit: ev => {
      ev.preventDefault();
      f.Action = action.value.trim() || undefined;
      f.ResourceId = res.value.trim() || undefined;
      token = '';
      pages.length = 0;
      refresh();
    } }, field('Action', action), field('Resource id', res), h('button', { type: 'submit' }, 'Filter')),
    body);
}
