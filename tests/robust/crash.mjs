// crash.mjs - crash consistency (issue 6.2). Several clients drive
// RunInstances, StopInstance, CreateSnapshot, automatic snapshots (control
// API), ModifyDiskAttribute DeleteAutoSnapshot=false and DeleteInstance
// concurrently; ecsd is killed with SIGKILL at a random moment, KILLS times,
// and restarted on the same data. After each restart the whole account is
// listed and checked against what the clients were told:
//   - every acknowledged change is there (instances, deletions, stops,
//     snapshots, automatic snapshots, DeleteAutoSnapshot=false);
//   - nothing is half done: every instance has its three disks attached,
//     a RunInstances of Amount 2 left both instances or none, a released
//     instance left no DeleteWithInstance disk and kept the other one
//     detached, automatic snapshots are gone for a released disk whose
//     DeleteAutoSnapshot was true and kept otherwise, no disk points at a
//     missing instance;
//   - SQLite's PRAGMA integrity_check says ok (CRASH_INTEGRITY names the
//     checker tests/robust/crash.sh builds), checked right after each kill.
// Runs on SQLite, then on PostgreSQL too when PGURI is set.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { startServer, waitExit, stopServer, makeCredentials, tmpdir, api, ctl, listAll, reporter, sleep } from './lib.mjs';

const KILLS = Number(process.env.CRASH_KILLS || 22);
const PG_KILLS = Number(process.env.CRASH_PG_KILLS || 20);
const WORKERS = 4;
const MAX_ALIVE = 30;
const INTEGRITY = process.env.CRASH_INTEGRITY || '';
const T = reporter('crash');

const RUN_PARAMS = {
  RegionId: 'cn-hangzhou', ImageId: 'aliyun_3_x64_20G_alibase_20240819.vhd', InstanceType: 'ecs.g6.large',
  'DataDisk.1.Size': 20, 'DataDisk.1.DeleteWithInstance': 'true',
  'DataDisk.2.Size': 20, 'DataDisk.2.DeleteWithInstance': 'false',
};

const pickOne = a => a[Math.floor(Math.random() * a.length)];

class Model {
  constructor() {
    this.inst = new Map();   // id -> { name, disks: [id] | null, state, stopped, busy }
    this.disks = new Map();  // id -> { inst, dwi, das: true | false | null }
    this.snaps = new Map();  // id -> { disk, auto }   (acknowledged)
    this.runs = new Map();   // InstanceName -> Amount (every RunInstances sent)
    this.n = 0;
  }
  alive() { return [...this.inst.entries()].filter(([, v]) => v.state === 'alive'); }
  ready() { return this.alive().filter(([, v]) => v.disks && !v.busy); }
  recordDisks(id, list) {
    const v = this.inst.get(id);
    v.disks = list.map(d => d.DiskId);
    for (const d of list) if (!this.disks.has(d.DiskId)) this.disks.set(d.DiskId, { inst: id, dwi: d.DeleteWithInstance, das: d.DeleteAutoSnapshot });
  }
}

// One client: random operations until told to stop (the server is gone).
async function worker(port, K, m, stop, w, cycle) {
  while (!stop.v) {
    const ready = m.ready();
    const ops = [];
    if (m.alive().length < MAX_ALIVE) ops.push('run', 'run');
    if (ready.length) ops.push('stop', 'snap', 'snap', 'auto', 'auto', 'das');
    if (ready.length > 2) ops.push('del', 'del', 'del');
    const op = pickOne(ops.length ? ops : ['run']);
    if (op === 'run') {
      const name = `c${cycle}-w${w}-${m.n++}`;
      const amount = Math.random() < 0.3 ? 2 : 1;
      m.runs.set(name, amount);
      const res = await api(port, K, 'RunInstances', { ...RUN_PARAMS, InstanceName: name, Amount: amount });
      if (res.status !== 200) continue;
      const ids = res.json.InstanceIdSets.InstanceIdSet;
      for (const id of ids) m.inst.set(id, { name, disks: null, state: 'alive', stopped: false, busy: false });
      for (const id of ids) {
        const d = await api(port, K, 'DescribeDisks', { RegionId: 'cn-hangzhou', InstanceId: id });
        if (d.status === 200) m.recordDisks(id, d.json.Disks.Disk);
      }
    } else if (op === 'stop') {
      const [id, v] = pickOne(ready);
      if (v.stopped) continue;
      const res = await api(port, K, 'StopInstance', { InstanceId: id });
      if (res.status === 200) v.stopped = true;
    } else if (op === 'snap') {
      const [, v] = pickOne(ready);
      const disk = pickOne(v.disks);
      const res = await api(port, K, 'CreateSnapshot', { DiskId: disk });
      if (res.status === 200) m.snaps.set(res.json.SnapshotId, { disk, auto: false });
    } else if (op === 'auto') {
      const [, v] = pickOne(ready);
      const disk = pickOne(v.disks);
      const res = await ctl(port, 'POST', `/disks/${disk}/auto-snapshots`);
      if (res.status === 200) m.snaps.set(res.json.SnapshotId, { disk, auto: true });
    } else if (op === 'das') {
      const [, v] = pickOne(ready);
      const disk = pickOne(v.disks);
      const d = m.disks.get(disk);
      const res = await api(port, K, 'ModifyDiskAttribute', { DiskId: disk, DeleteAutoSnapshot: 'false' });
      if (res.status === 200) d.das = false;
      else if (res.error && d.das !== false) d.das = null;   // may or may not have happened
    } else if (op === 'del') {
      const [id, v] = pickOne(ready);
      v.busy = true;
      v.state = 'deleting';
      const res = await api(port, K, 'DeleteInstance', { InstanceId: id, Force: 'true' });
      v.busy = false;
      if (res.status === 200) v.state = 'deleted';
      else if (res.error) v.state = 'unknown';
      else v.state = 'alive';
    }
  }
}

// Lists the account and checks it against the model; returns problems.
async function verify(port, K, m) {
  const bad = [];
  const I = new Map((await listAll(port, K, 'DescribeInstances', { RegionId: 'cn-hangzhou' }, 'Instances', 'Instance')).map(x => [x.InstanceId, x]));
  const D = new Map((await listAll(port, K, 'DescribeDisks', { RegionId: 'cn-hangzhou' }, 'Disks', 'Disk')).map(x => [x.DiskId, x]));
  const S = new Map((await listAll(port, K, 'DescribeSnapshots', { RegionId: 'cn-hangzhou' }, 'Snapshots', 'Snapshot')).map(x => [x.SnapshotId, x]));
  const disksOf = id => [...D.values()].filter(d => d.InstanceId === id);

  // settle what the kill left open
  for (const [id, v] of m.inst) if (v.state === 'unknown' || v.state === 'deleting') v.state = I.has(id) ? 'alive' : 'deleted';
  // instances nobody was told about: only from a RunInstances in flight
  const adopted = new Map();
  for (const [id, x] of I) {
    if (m.inst.has(id)) continue;
    if (!m.runs.has(x.InstanceName)) { bad.push(`instance ${id} (${x.InstanceName}) was never asked for`); continue; }
    m.inst.set(id, { name: x.InstanceName, disks: null, state: 'alive', stopped: false, busy: false });
    adopted.set(x.InstanceName, (adopted.get(x.InstanceName) ?? 0) + 1);
  }
  for (const [name, n] of adopted) {
    if (n !== m.runs.get(name)) bad.push(`RunInstances ${name} of Amount ${m.runs.get(name)} left ${n} instance(s)`);
  }
  for (const [id, v] of m.inst) if (v.state === 'alive' && !v.disks && I.has(id)) m.recordDisks(id, disksOf(id));

  for (const [id, v] of m.inst) {
    if (v.state === 'alive' && !I.has(id)) bad.push(`acknowledged instance ${id} is gone`);
    if (v.state === 'deleted' && I.has(id)) bad.push(`acknowledged release of ${id} was undone`);
    if (v.state === 'alive' && v.stopped && I.has(id) && I.get(id).Status !== 'Stopped') bad.push(`acknowledged stop of ${id}: status ${I.get(id).Status}`);
  }
  // every instance whole: system + 2 data disks, DeleteWithInstance true, true, false
  for (const [id] of I) {
    const ds = disksOf(id);
    const dwi = ds.filter(d => d.DeleteWithInstance).length;
    if (ds.length !== 3 || dwi !== 2 || ds.filter(d => d.Type === 'system').length !== 1) {
      bad.push(`instance ${id} has ${ds.length} disks (${dwi} DeleteWithInstance)`);
    }
  }
  for (const [did, d] of D) {
    if (d.InstanceId && !I.has(d.InstanceId)) bad.push(`disk ${did} is attached to missing instance ${d.InstanceId}`);
  }
  // disks and automatic snapshots of every instance the model knows
  const autosOf = new Map();
  for (const [sid, s] of S) if (s.SnapshotType === 'auto') {
    if (!autosOf.has(s.SourceDiskId)) autosOf.set(s.SourceDiskId, new Set());
    autosOf.get(s.SourceDiskId).add(sid);
  }
  const ackedAutos = new Map();
  for (const [sid, s] of m.snaps) {
    if (!s.auto) { if (!S.has(sid)) bad.push(`acknowledged snapshot ${sid} is gone`); continue; }
    if (!ackedAutos.has(s.disk)) ackedAutos.set(s.disk, []);
    ackedAutos.get(s.disk).push(sid);
  }
  for (const [did, d] of m.disks) {
    const v = m.inst.get(d.inst);
    const seen = D.get(did);
    const autos = autosOf.get(did) ?? new Set();
    const acked = ackedAutos.get(did) ?? [];
    const lost = acked.filter(s => !autos.has(s));
    if (seen && d.das === false && seen.DeleteAutoSnapshot !== false) bad.push(`acknowledged DeleteAutoSnapshot=false of ${did} is lost`);
    if (seen && d.das === null) d.das = seen.DeleteAutoSnapshot;
    if (v.state === 'alive') {
      if (!seen || seen.InstanceId !== d.inst) bad.push(`disk ${did} of live instance ${d.inst} is ${seen ? 'detached' : 'gone'}`);
    } else if (d.dwi) {
      if (seen) bad.push(`released instance ${d.inst} left its DeleteWithInstance disk ${did}`);
    } else if (!seen || seen.InstanceId) {
      bad.push(`kept disk ${did} of released ${d.inst} is ${seen ? 'still attached' : 'gone'}`);
    }
    if (seen) {
      if (lost.length) bad.push(`automatic snapshots ${lost} of kept disk ${did} are gone`);
    } else if (d.das === true) {
      if (autos.size) bad.push(`automatic snapshots of released disk ${did} (DeleteAutoSnapshot=true) kept`);
    } else if (d.das === false) {
      if (lost.length) bad.push(`automatic snapshots ${lost} of released disk ${did} (DeleteAutoSnapshot=false) deleted`);
    } else if (autos.size && lost.length) {
      bad.push(`automatic snapshots of released disk ${did} partly deleted`);
    }
  }
  return { bad, counts: `${I.size} instances, ${D.size} disks, ${S.size} snapshots` };
}

function integrity(dbfile) {
  const r = spawnSync(INTEGRITY, [dbfile], { encoding: 'utf8', timeout: 60000 });
  return { ok: r.status === 0, out: (r.stdout + r.stderr).trim().slice(0, 500) };
}

async function runBackend(label, store, kills) {
  const dir = tmpdir('crash');
  const { file, keys } = makeCredentials(dir);
  const K = keys[0];
  const dataDir = path.join(dir, 'data');
  fs.mkdirSync(dataDir);
  const m = new Model();
  const t0 = Date.now();
  let totalOps = 0;
  for (let cycle = 1; cycle <= kills; cycle++) {
    let srv;
    try {
      srv = await startServer({ dataDir, credentials: file, store });
    } catch (e) {
      T.ok(false, `${label} cycle ${cycle}: restart`, e.message);
      break;
    }
    if (cycle > 1) {
      try {
        const { bad, counts } = await verify(srv.port, K, m);
        T.ok(bad.length === 0, `${label} kill ${cycle - 1}: state after restart consistent (${counts})`, bad.slice(0, 10).join('; '));
      } catch (e) {
        T.ok(false, `${label} kill ${cycle - 1}: listing after restart`, e.message);
      }
    }
    const stop = { v: false };
    const before = m.n + m.snaps.size;
    const ws = Array.from({ length: WORKERS }, (_, w) => worker(srv.port, K, m, stop, w, cycle));
    await sleep(150 + Math.floor(Math.random() * 700));
    stop.v = true;   // no new operations; those in flight meet the kill
    srv.child.kill('SIGKILL');
    await waitExit(srv.child);
    await Promise.all(ws);
    totalOps += m.n + m.snaps.size - before;
    if (INTEGRITY && !store) {
      const r = integrity(path.join(dataDir, 'ecsd.db'));
      T.ok(r.ok, `${label} kill ${cycle}: integrity_check after SIGKILL`, r.out);
    }
  }
  // last restart: check, then a clean stop must exit 0 (sanitizers quiet)
  try {
    const srv = await startServer({ dataDir, credentials: file, store });
    const { bad, counts } = await verify(srv.port, K, m);
    T.ok(bad.length === 0, `${label} kill ${kills}: state after restart consistent (${counts})`, bad.slice(0, 10).join('; '));
    const code = await stopServer(srv);
    T.ok(code === 0, `${label}: clean stop after the last restart exits 0`, `exit ${code}: ${srv.log().slice(-1500)}`);
  } catch (e) {
    T.ok(false, `${label}: last restart`, e.message);
  }
  T.note(`${label}: ${kills} kills in ${((Date.now() - t0) / 1000).toFixed(1)} s, ${totalOps} creations sent, ` +
    `${m.inst.size} instances seen, ${[...m.inst.values()].filter(v => v.state === 'deleted').length} released, ` +
    `${m.snaps.size} snapshots acknowledged`);
  fs.rmSync(dir, { recursive: true, force: true });
}

await runBackend('sqlite', null, KILLS);
if (process.env.PGURI) await runBackend('postgresql', process.env.PGURI, PG_KILLS);
T.done();
