// plan.js - shows a release plan from GET /_ecsd/.../release-plan: the
// refusal with its Code and what lets it through, or, for each disk,
// released or kept (a kept disk turns pay-as-you-go), each snapshot
// deleted or kept, the network interfaces and EIPs affected.
import { h, table } from '../dom.js';

export function refusal(p) {
  return h('div', { class: 'refused', role: 'alert', 'data-code': p.Code },
    h('strong', {}, 'DeleteInstance would be refused: '), h('code', {}, p.Code),
    p.HttpStatus ? ` (HTTP ${p.HttpStatus})` : '', ' — ', p.Message || '',
    p.Remedy ? h('p', {}, h('strong', {}, 'What lets it through: '), p.Remedy) : '');
}

export function planView(p) {
  const disks = table('Disks', [
    { title: 'Disk', key: 'id', cell: d => h('a', { href: '#/disks/' + d.DiskId }, d.DiskId) },
    { title: 'Name', cell: d => d.DiskName },
    { title: 'Type', cell: d => `${d.Type}, ${d.Category}, ${d.Size} GiB` },
    { title: 'Release with instance', cell: d => (d.DeleteWithInstance ? 'Yes' : 'No') },
    { title: 'After the release', key: 'fate', cell: d => (d.Fate === 'Released' ?
      h('span', { class: 'gone' }, 'Released') :
      h('span', { class: 'kept' }, `Kept: detached, ${d.StatusAfter}, becomes pay-as-you-go (${d.DiskChargeTypeAfter})`)) },
    { title: 'Why', cell: d => d.Reason },
  ], p.Disks, { id: 'plan-disks', empty: 'No disks attached.',
    rowAttrs: d => ({ 'data-disk': d.DiskId, 'data-fate': d.Fate }) });
  const snaps = table('Snapshots', [
    { title: 'Snapshot', key: 'id', cell: s => s.SnapshotId },
    { title: 'Name', cell: s => s.SnapshotName },
    { title: 'Type', cell: s => s.SnapshotType },
    { title: 'Source disk', cell: s => s.SourceDiskId },
    { title: 'After the release', key: 'fate', cell: s => (s.Fate === 'Deleted' ?
      h('span', { class: 'gone' }, 'Deleted') : h('span', { class: 'kept' }, 'Remains')) },
  ], p.Snapshots, { id: 'plan-snapshots', empty: 'No snapshots of these disks.',
    rowAttrs: s => ({ 'data-snapshot': s.SnapshotId, 'data-fate': s.Fate }) });
  const net = table('Network', [
    { title: 'Resource', cell: x => x.Id },
    { title: 'After the release', cell: x => x.Fate },
  ], [
    ...(p.NetworkInterfaces || []).map(e => ({ Id: e.NetworkInterfaceId, Fate: e.Fate || 'Deleted with the instance' })),
    ...(p.EipAddresses || []).map(e => ({ Id: `${e.AllocationId} (${e.IpAddress})`, Fate: e.Fate || 'Unbound, kept' })),
  ], { id: 'plan-network', empty: 'No elastic network interfaces or EIPs.' });
  return h('section', { class: 'plan', 'data-instance': p.InstanceId, 'data-releasable': String(!!p.Releasable) },
    h('h3', {}, 'Release preview of ', p.InstanceId, p.InstanceName && p.InstanceName !== p.InstanceId ? ` (${p.InstanceName})` : ''),
    h('p', {}, `Status ${p.Status}, ${p.InstanceChargeType}; Force=${p.Force}, TerminateSubscription=${p.TerminateSubscription}.`,
      p.SecurityLock ? ' The instance is locked for security: every attached disk is released.' : ''),
    p.Releasable ? h('p', { class: 'ok' }, 'DeleteInstance would release it now.') : refusal(p),
    p.Fault ? h('p', { class: 'refused' }, p.Fault) : '',
    disks, snaps, net);
}
