// instance.js - one instance: its attributes (status live), disks and
// snapshots, the release preview and the one-button release, the
// platform controls (control token) and the instance's audit history.
import { h, table, errorBox, yesNo, link } from '../dom.js';
import { ecs, own, platform, session } from '../api.js';
import { planView } from './plan.js';
import { locks } from './instances.js';
import { historyTable } from './audit.js';

const STATES = ['SecurityLock', 'FinancialLock', 'SlbConfiguring', 'RouteEntry', 'NotInWhiteList',
  'HoldInit', 'VolumesBlock', 'FailRelease', 'Expired'];

function attrs(i) {
  const row = (k, v) => [h('dt', {}, k), h('dd', { 'data-attr': k }, v)];
  return h('dl', { class: 'attrs' },
    row('Name', i.InstanceName), row('Status', i.Status), row('Type', i.InstanceType),
    row('Zone', i.ZoneId), row('Charge type', i.InstanceChargeType),
    row('Expires', i.InstanceChargeType === 'PrePaid' ? i.ExpiredTime : '—'),
    row('Deletion protection', yesNo(i.DeletionProtection)), row('Locks', locks(i)),
    row('Auto-release time', i.AutoReleaseTime || '—'),
    row('Network', [i.VpcAttributes?.VpcId, i.VpcAttributes?.VSwitchId,
      (i.VpcAttributes?.PrivateIpAddress?.IpAddress || []).join(' '), i.EipAddress?.IpAddress].filter(Boolean).join(' · ') || '—'),
    row('Created', i.CreationTime));
}

function platformControls(ctx, id) {
  const box = h('section', { 'aria-labelledby': 'pc-title' }, h('h2', { id: 'pc-title' }, 'Platform controls'));
  if (!session.get()?.token) {
    box.append(h('p', { class: 'muted' }, 'Sign in with the control token to set platform states.'));
    return box;
  }
  const out = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'states', onsubmit: async ev => {
    ev.preventDefault();
    const body = {};
    for (const c of form.querySelectorAll('input[type=checkbox]:not(:disabled)')) body[c.name] = c.checked;
    try {
      await platform('POST', `/_ecsd/instances/${id}/state`, body);
      out.replaceChildren(h('p', { class: 'ok', role: 'status' }, 'States saved.'));
    } catch (e) { out.replaceChildren(errorBox(e)); }
  } });
  platform('GET', `/_ecsd/instances/${id}`).then(st => {
    form.replaceChildren(h('fieldset', {}, h('legend', {}, 'States set by the platform'),
      STATES.map(k => h('label', { class: 'check' }, h('input', { type: 'checkbox', name: k, checked: !!st[k],
        disabled: k === 'Expired' && st.ExpiredTime === 0 }), ' ', k))),
    h('button', { type: 'submit' }, 'Save states'));
  }).catch(e => form.replaceChildren(errorBox(e)));
  box.append(form, out);
  return box;
}

export async function instanceView(ctx, id) {
  const r = await ecs('DescribeInstances', { RegionId: ctx.region(), InstanceIds: JSON.stringify([id]) });
  const i = r.Instances?.Instance?.[0];
  if (!i) return h('div', {}, h('h1', {}, id), errorBox({ code: 'InvalidInstanceId.NotFound', message: `No instance ${id} in ${ctx.region()}.` }));
  const [disks, snaps] = await Promise.all([
    ecs('DescribeDisks', { RegionId: ctx.region(), InstanceId: id, MaxResults: 100 }),
    ecs('DescribeSnapshots', { RegionId: ctx.region(), InstanceId: id, MaxResults: 100 }),
  ]);
  const head = h('div', {}, attrs(i));
  ctx.live(async () => {
    const n = await ecs('DescribeInstances', { RegionId: ctx.region(), InstanceIds: JSON.stringify([id]) });
    const x = n.Instances?.Instance?.[0];
    if (x) head.replaceChildren(attrs(x));
  });

  const force = h('input', { type: 'checkbox', name: 'force' });
  const term = h('input', { type: 'checkbox', name: 'terminate' });
  const planBox = h('div', { 'aria-live': 'polite' });
  async function preview() {
    planBox.replaceChildren(h('p', {}, 'Asking the server…'));
    try {
      const p = await own(`/_ecsd/instances/${id}/release-plan`,
        { Force: String(force.checked), TerminateSubscription: String(term.checked) });
      const go = h('button', { type: 'button', class: 'danger', disabled: !p.Releasable, onclick: release }, 'Release this instance');
      planBox.replaceChildren(planView(p), go);
    } catch (e) { planBox.replaceChildren(errorBox(e)); }
  }
  async function release() {
    try {
      await ecs('DeleteInstance', { InstanceId: id, Force: String(force.checked), TerminateSubscription: String(term.checked) });
      ctx.say(`Released ${id}.`);
      ctx.go('#/instances');
    } catch (e) { planBox.append(errorBox(e)); }
  }

  const history = h('div', {});
  historyTable({ ResourceId: id }).then(t => history.replaceChildren(t)).catch(e => history.replaceChildren(errorBox(e)));

  return h('div', {},
    h('h1', {}, 'Instance ', id),
    head,
    table('Disks of this instance', [
      { title: 'Disk', key: 'id', cell: d => link('#/disks/' + d.DiskId, d.DiskId) },
      { title: 'Name', cell: d => d.DiskName },
      { title: 'Type', cell: d => d.Type }, { title: 'Category', cell: d => d.Category },
      { title: 'Size (GiB)', cell: d => String(d.Size) },
      { title: 'Release with instance', cell: d => yesNo(d.DeleteWithInstance) },
      { title: 'Delete auto snapshots', cell: d => yesNo(d.DeleteAutoSnapshot) },
    ], disks.Disks?.Disk || [], { id: 'instance-disks', empty: 'No disks.' }),
    table('Snapshots of its disks', [
      { title: 'Snapshot', key: 'id', cell: s => s.SnapshotId }, { title: 'Name', cell: s => s.SnapshotName },
      { title: 'Type', cell: s => s.SnapshotType }, { title: 'Source disk', cell: s => link('#/disks/' + s.SourceDiskId, s.SourceDiskId) },
    ], snaps.Snapshots?.Snapshot || [], { id: 'instance-snapshots', empty: 'No snapshots.' }),
    h('section', { class: 'release', 'aria-labelledby': 'rel-title' },
      h('h2', { id: 'rel-title' }, 'Release'),
      h('label', { class: 'check' }, force, ' Force (release a Running instance)'),
      h('label', { class: 'check' }, term, ' TerminateSubscription (an expired subscription)'),
      h('button', { type: 'button', onclick: preview }, 'Preview release'),
      planBox),
    platformControls(ctx, id),
    h('section', { 'aria-labelledby': 'hist-title' }, h('h2', { id: 'hist-title' }, 'History'), history));
}
