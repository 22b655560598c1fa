// storage.js - disks and snapshots: lists with filters and paging, and a
// disk's page with its instance and its snapshots.
import { h, table, field, errorBox, yesNo, link } from '../dom.js';
import { ecs } from '../api.js';
import { historyTable } from './audit.js';

// A paged list view: action, filters [{name,label,options}], columns.
async function pagedList(ctx, { title, action, container, item, filters, cols, id }) {
  const state = { token: '', pages: [], f: {} };
  const body = h('div', {});
  async function refresh() {
    try {
      const r = await ecs(action, { RegionId: ctx.region(), MaxResults: 20, NextToken: state.token || undefined, ...state.f });
      const rows = (r[container] || {})[item] || [];
      body.replaceChildren(table(`${title} in ${ctx.region()}`, cols, rows, { id, empty: `No ${title.toLowerCase()} match.` }),
        h('nav', { 'aria-label': 'Pages', class: 'pager' },
          h('button', { type: 'button', disabled: !state.pages.length, onclick: () => { state.token = state.pages.pop(); refresh(); } }, 'Previous page'),
          h('span', {}, `${r.TotalCount ?? rows.length} in all`),
          h('button', { type: 'button', disabled: !r.NextToken, onclick: () => { state.pages.push(state.token); state.token = r.NextToken; refresh(); } }, 'Next page')));
    } catch (e) { body.replaceChildren(errorBox(e)); }
  }
  const controls = filters.map(f => {
    const sel = h('select', { onchange: () => { state.f[f.name] = sel.value || undefined; state.token = ''; state.pages = []; refresh(); } },
      f.options.map(o => h('option', { value: o }, o || 'Any')));
    return field(f.label, sel);
  });
  await refresh();
  ctx.live(refresh, 5000);
  return h('div', {}, h('h1', {}, title), h('form', { class: 'filters', 'aria-label': 'Filters' }, controls), body);
}

const diskCols = [
  { title: 'Disk', key: 'id', cell: d => link('#/disks/' + d.DiskId, d.DiskId) },
  { title: 'Name', cell: d => d.DiskName },
  { title: 'Type', cell: d => d.Type }, { title: 'Category', cell: d => d.Category },
  { title: 'Size (GiB)', cell: d => String(d.Size) },
  { title: 'Status', key: 'status', cell: d => d.Status },
  { title: 'Instance', cell: d => (d.InstanceId ? link('#/instances/' + d.InstanceId, d.InstanceId) : '—') },
  { title: 'Charge type', cell: d => d.DiskChargeType },
  { title: 'Release with instance', cell: d => yesNo(d.DeleteWithInstance) },
];

const snapCols = [
  { title: 'Snapshot', key: 'id', cell: s => s.SnapshotId },
  { title: 'Name', cell: s => s.SnapshotName },
  { title: 'Type', cell: s => s.SnapshotType },
  { title: 'Source disk', cell: s => link('#/disks/' + s.SourceDiskId, s.SourceDiskId) },
  { title: 'Size (GiB)', cell: s => String(s.SourceDiskSize) },
  { title: 'Status', cell: s => s.Status },
  { title: 'Created', cell: s => s.CreationTime },
];

export function disksView(ctx) {
  return pagedList(ctx, { title: 'Disks', action: 'DescribeDisks', container: 'Disks', item: 'Disk', id: 'disks',
    filters: [{ name: 'Status', label: 'Status', options: ['', 'In_use', 'Available'] },
      { name: 'DiskType', label: 'Type', options: ['', 'system', 'data'] }], cols: diskCols });
}

export function snapshotsView(ctx) {
  return pagedList(ctx, { title: 'Snapshots', action: 'DescribeSnapshots', container: 'Snapshots', item: 'Snapshot', id: 'snapshots',
    filters: [{ name: 'SnapshotType', label: 'Type', options: ['', 'auto', 'user'] }], cols: snapCols });
}

export async function diskView(ctx, id) {
  const r = await ecs('DescribeDisks', { RegionId: ctx.region(), DiskIds: JSON.stringify([id]) });
  const d = r.Disks?.Disk?.[0];
  if (!d) return h('div', {}, h('h1', {}, id), errorBox({ code: 'InvalidDiskId.NotFound', message: `No disk ${id} in ${ctx.region()}.` }));
  const s = await ecs('DescribeSnapshots', { RegionId: ctx.region(), DiskId: id, MaxResults: 100 });
  const history = h('div', {});
  historyTable({ ResourceId: id }).then(t => history.replaceChildren(t)).catch(e => history.replaceChildren(errorBox(e)));
  return h('div', {}, h('h1', {}, 'Disk ', id),
    table('Disk', diskCols, [d], { id: 'disk' }),
    table('Snapshots of this disk', snapCols, s.Snapshots?.Snapshot || [], { id: 'disk-snapshots', empty: 'No snapshots.' }),
    h('section', {}, h('h2', {}, 'History'), history));
}
