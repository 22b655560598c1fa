// sigterm.mjs - graceful stop (issue 6.5). Writes are put in flight
// (RunInstances of 100 instances with 16 data disks, CreateSnapshot,
// StopInstance, each on a connection of its own), then ecsd gets SIGTERM.
// Every request in flight must complete with 200, ecsd must exit 0 (no
// sanitizer report) within the grace period, new connections must be
// refused once it stopped accepting, and after a restart on the same data
// every acknowledged effect must be there. Done a few times, with the
// signal at different moments; on SQLite, and on PostgreSQL when PGURI is set.
import net from 'node:net';
import { startServer, waitExit, makeCredentials, tmpdir, reporter, sleep, freshCall, listAll } from './lib.mjs';

const T = reporter('sigterm');
// a heavy write: 100 instances with 17 disks each, one transaction
const RUN = {
  RegionId: 'cn-hangzhou', ImageId: 'aliyun_3_x64_20G_alibase_20240819.vhd', InstanceType: 'ecs.g6.large', Amount: 100,
  ...Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`DataDisk.${i + 1}.Size`, 20])),
};

function refusedOnce(port) {
  return new Promise(resolve => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.on('connect', () => { s.destroy(); resolve(false); });
    s.on('error', e => resolve(e.code === 'ECONNREFUSED'));
  });
}

// ms until a new connection is refused (signal delivery takes a moment), or -1
async function refused(port, t0) {
  while (Date.now() - t0 < 2000) {
    if (await refusedOnce(port)) return Date.now() - t0;
    await sleep(5);
  }
  return -1;
}

async function round(label, store, K, file, dataDir, waitMs) {
  let srv = await startServer({ dataDir, credentials: file, store });
  // instances to stop and disks to snapshot
  const base = await freshCall(srv.port, K, 'RunInstances', { ...RUN, Amount: 8 });
  if (!T.ok(base.status === 200, `${label}: set-up RunInstances`, base.text?.slice(0, 300))) return;
  const baseIds = base.json.InstanceIdSets.InstanceIdSet;
  const disks = (await freshCall(srv.port, K, 'DescribeDisks', { RegionId: 'cn-hangzhou', InstanceId: baseIds[0] })).json.Disks.Disk.map(d => d.DiskId);

  const reqs = [];
  for (let i = 0; i < 6; i++) reqs.push({ kind: 'run', p: freshCall(srv.port, K, 'RunInstances', { ...RUN, InstanceName: `term-${i}` }) });
  for (let i = 0; i < 8; i++) reqs.push({ kind: 'snap', p: freshCall(srv.port, K, 'CreateSnapshot', { DiskId: disks[i % disks.length] }) });
  for (let i = 0; i < 8; i++) reqs.push({ kind: 'stop', id: baseIds[i], p: freshCall(srv.port, K, 'StopInstance', { InstanceId: baseIds[i] }) });
  await sleep(waitMs);
  const t0 = Date.now();
  srv.child.kill('SIGTERM');
  const doorMs = await refused(srv.port, t0);
  let pending = reqs.length;
  reqs.forEach(r => r.p.then(() => { pending--; }));
  await sleep(0);
  const pendingAtDoor = pending;
  const res = await Promise.all(reqs.map(r => r.p));
  const code = await waitExit(srv.child, 60000);
  const stopMs = Date.now() - t0;
  const bad = res.map((r, i) => [reqs[i].kind, r.status ?? r.error, r.json?.Code]).filter(([, s]) => s !== 200);
  T.ok(bad.length === 0, `${label}, SIGTERM after ${waitMs} ms: all ${reqs.length} requests in flight complete with 200`, JSON.stringify(bad.slice(0, 6)));
  T.ok(doorMs >= 0 && doorMs < 1000, `${label}, SIGTERM after ${waitMs} ms: new connections are refused ${doorMs} ms later (${pendingAtDoor} requests still in flight then)`);
  T.ok(code === 0, `${label}, SIGTERM after ${waitMs} ms: ecsd exits 0 in ${stopMs} ms`, `exit ${code}: ${srv.log().slice(-1500)}`);

  // restart: every acknowledged effect is there
  srv = await startServer({ dataDir, credentials: file, store });
  const I = new Map((await listAll(srv.port, K, 'DescribeInstances', {}, 'Instances', 'Instance')).map(x => [x.InstanceId, x]));
  const S = new Set((await listAll(srv.port, K, 'DescribeSnapshots', {}, 'Snapshots', 'Snapshot')).map(x => x.SnapshotId));
  const lost = [];
  res.forEach((r, i) => {
    if (r.status !== 200) return;
    if (reqs[i].kind === 'run') for (const id of r.json.InstanceIdSets.InstanceIdSet) { if (!I.has(id)) lost.push('instance ' + id); }
    if (reqs[i].kind === 'snap' && !S.has(r.json.SnapshotId)) lost.push('snapshot ' + r.json.SnapshotId);
    if (reqs[i].kind === 'stop' && I.get(reqs[i].id)?.Status !== 'Stopped') lost.push(`stop of ${reqs[i].id} (${I.get(reqs[i].id)?.Status})`);
  });
  T.ok(lost.length === 0, `${label}, SIGTERM after ${waitMs} ms: every acknowledged change is there after a restart`, lost.slice(0, 8).join('; '));
  srv.child.kill('SIGTERM');
  const code2 = await waitExit(srv.child);
  T.ok(code2 === 0, `${label}: idle ecsd stops on SIGTERM with exit 0`, `exit ${code2}`);
}

async function backend(label, store) {
  const dir = tmpdir('sigterm');
  const { file, keys } = makeCredentials(dir);
  for (const waitMs of [30, 100, 250]) {
    try {
      await round(label, store, keys[0], file, dir + '/data', waitMs);
    } catch (e) {
      T.ok(false, `${label}, SIGTERM after ${waitMs} ms`, e.stack);
    }
  }
}

await backend('sqlite', null);
if (process.env.PGURI) await backend('postgresql', process.env.PGURI);
T.done();
