// instances.js - the fleet: instances of the region with their status
// refreshed live, filters, paging, selection, and the combined release
// preview + DeleteInstances of the selection.
import { h, table, field, errorBox, yesNo } from '../dom.js';
import { ecs, own, listAll } from '../api.js';
import { planView, refusal } from './plan.js';

export function locks(i) {
  return (i.OperationLocks?.LockReason || []).map(l => l.LockReason).join(', ') || 'None';
}

export async function instancesView(ctx) {
  const state = { token: '', pages: [], filter: { Status: '', InstanceChargeType: '', InstanceName: '' } };
  const selected = new Set();
  const body = h('div', {});
  const batch = h('div', { 'aria-live': 'polite' });
  const count = h('span', {}, '0 selected');

  const statusSel = h('select', { onchange: () => { state.filter.Status = statusSel.value; restart(); } },
    ['', 'Pending', 'Starting', 'Running', 'Stopping', 'Stopped'].map(s => h('option', { value: s }, s || 'Any')));
  const chargeSel = h('select', { onchange: () => { state.filter.InstanceChargeType = chargeSel.value; restart(); } },
    ['', 'PostPaid', 'PrePaid'].map(s => h('option', { value: s }, s || 'Any')));
  const nameIn = h('input', { type: 'search', onchange: () => { state.filter.InstanceName = nameIn.value; restart(); } });

  let disksOf = new Map();
  async function load() {
    const r = await ecs('DescribeInstances', { RegionId: ctx.region(), MaxResults: 20,
      NextToken: state.token || undefined, ...state.filter });
    const disks = await listAll('DescribeDisks', { RegionId: ctx.region() }, 'Disks', 'Disk', 500).catch(() => []);
    disksOf = new Map();
    for (const d of disks) if (d.InstanceId) disksOf.set(d.InstanceId, (disksOf.get(d.InstanceId) || 0) + 1);
    return r;
  }
  function render(r) {
    const rows = r.Instances?.Instance || [];
    const t = table(`Instances in ${ctx.region()}`, [
      { title: 'Select', cell: i => h('input', { type: 'checkbox', 'aria-label': 'Select ' + i.InstanceId,
        checked: selected.has(i.InstanceId), 'data-select': i.InstanceId,
        onchange: ev => { if (ev.target.checked) selected.add(i.InstanceId); else selected.delete(i.InstanceId); count.textContent = `${selected.size} selected`; } }) },
      { title: 'Instance', key: 'id', cell: i => h('a', { href: '#/instances/' + i.InstanceId }, i.InstanceId) },
      { title: 'Name', key: 'name', cell: i => i.InstanceName },
      { title: 'Status', key: 'status', cell: i => h('span', { class: 'st st-' + i.Status }, i.Status) },
      { title: 'Charge type', cell: i => i.InstanceChargeType },
      { title: 'Expires', cell: i => (i.InstanceChargeType === 'PrePaid' ? i.ExpiredTime : '—') },
      { title: 'Deletion protection', cell: i => yesNo(i.DeletionProtection) },
      { title: 'Locks', cell: i => locks(i) },
      { title: 'Auto-release', cell: i => i.AutoReleaseTime || '—' },
      { title: 'Disks', cell: i => String(disksOf.get(i.InstanceId) || 0) },
      { title: 'Network', cell: i => [i.VpcAttributes?.VpcId, (i.VpcAttributes?.PrivateIpAddress?.IpAddress || []).join(' '),
        i.EipAddress?.IpAddress].filter(Boolean).join(' · ') || '—' },
    ], rows, { id: 'instances', empty: 'No instances match.', rowAttrs: i => ({ 'data-instance': i.InstanceId }) });
    const pager = h('nav', { 'aria-label': 'Pages', class: 'pager' },
      h('button', { type: 'button', disabled: !state.pages.length, onclick: () => { state.token = state.pages.pop(); refresh(); } }, 'Previous page'),
      h('span', {}, `${r.TotalCount ?? rows.length} in all`),
      h('button', { type: 'button', disabled: !r.NextToken, onclick: () => { state.pages.push(state.token); state.token = r.NextToken; refresh(); } }, 'Next page'));
    body.replaceChildren(t, pager);
  }
  // live: the statuses change in place; focus and selection stay
  async function tick() {
    const r = await load();
    const rows = r.Instances?.Instance || [];
    const shown = [...body.querySelectorAll('tr[data-instance]')].map(tr => tr.dataset.instance);
    if (shown.join() !== rows.map(i => i.InstanceId).join()) return render(r);
    for (const i of rows) {
      const cell = body.querySelector(`tr[data-instance="${i.InstanceId}"] td[data-col="status"] span`);
      if (cell && cell.textContent !== i.Status) { cell.textContent = i.Status; cell.className = 'st st-' + i.Status; }
    }
  }
  async function refresh() {
    try { render(await load()); } catch (e) { body.replaceChildren(errorBox(e)); }
  }
  function restart() { state.token = ''; state.pages = []; refresh(); }

  const force = h('input', { type: 'checkbox', name: 'batch-force' });
  const term = h('input', { type: 'checkbox', name: 'batch-terminate' });
  async function preview() {
    const ids = [...selected];
    if (!ids.length) { batch.replaceChildren(h('p', {}, 'Select instances first.')); return; }
    const q = { RegionId: ctx.region(), Force: String(force.checked), TerminateSubscription: String(term.checked) };
    ids.forEach((id, k) => { q[`InstanceId.${k + 1}`] = id; });
    try {
      const p = await own('/_ecsd/release-plan', q);
      const go = h('button', { type: 'button', class: 'danger', disabled: !p.Releasable, onclick: async () => {
        const d = { RegionId: ctx.region(), Force: String(force.checked), TerminateSubscription: String(term.checked) };
        ids.forEach((id, k) => { d[`InstanceId.${k + 1}`] = id; });
        try {
          await ecs('DeleteInstances', d);
          selected.clear();
          count.textContent = '0 selected';
          batch.replaceChildren(h('p', { class: 'ok', role: 'status' }, `Released ${ids.length} instances.`));
          ctx.say(`Released ${ids.length} instances.`);
          await refresh();
        } catch (e) { batch.append(errorBox(e)); }
      } }, `Release ${ids.length} instances`);
      batch.replaceChildren(h('section', { class: 'batch-plan', 'data-releasable': String(!!p.Releasable) },
        h('h2', {}, `Release preview of ${ids.length} instances (DeleteInstances, all or nothing)`),
        p.Releasable ? h('p', { class: 'ok' }, 'DeleteInstances would release all of them now.') :
          (p.MissingInstanceIds?.length ? refusal({ Code: p.Code, Message: p.Message + ' ' + p.MissingInstanceIds.join(', ') }) : refusal(p)),
        go, (p.Instances || []).map(planView)));
    } catch (e) { batch.replaceChildren(errorBox(e)); }
  }

  await refresh();
  ctx.live(tick);
  return h('div', {},
    h('h1', {}, 'Instances'),
    h('form', { class: 'filters', 'aria-label': 'Filters', onsubmit: ev => { ev.preventDefault(); restart(); } },
      field('Status', statusSel), field('Charge type', chargeSel), field('Name', nameIn)),
    body,
    h('section', { class: 'batch', 'aria-labelledby': 'batch-title' },
      h('h2', { id: 'batch-title' }, 'Selection'), count,
      h('label', {}, force, ' Force (release Running instances)'),
      h('label', {}, term, ' TerminateSubscription (expired subscriptions)'),
      h('button', { type: 'button', onclick: preview }, 'Preview release of the selection')),
    batch);
}
