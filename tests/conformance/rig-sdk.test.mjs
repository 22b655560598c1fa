// rig-sdk.test.mjs - issue 15 through the official TypeScript SDK
// (@alicloud/ecs20140526): the virtual clock ends a subscription, fault rules
// make the SDK see throttling, a timeout and a dropped connection (and
// nothing changes), fixtures round-trip and reset stays within one account.
// Fixture tests run on SQLite, and on PostgreSQL too when PGURI is set.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import {
  $Ecs, REGION, IMAGE, TYPE, BIN, startEcsd, sdkClient, failure, assertSdkError,
  pollUntil, ctl, uniqueName,
} from './helpers.mjs';
import { spawnEcsd, stopEcsd } from '../lib/ecsd.mjs';

const DAY = 86400;

async function run(ecs, { prepaid = false, dataDisks = [], extra = {} } = {}) {
  const res = await ecs.runInstances(new $Ecs.RunInstancesRequest({
    regionId: REGION, imageId: IMAGE, instanceType: TYPE, instanceName: uniqueName('rig'),
    ...(prepaid ? { instanceChargeType: 'PrePaid', period: 1, periodUnit: 'Month' } : {}),
    ...extra,
    systemDisk: new $Ecs.RunInstancesRequestSystemDisk({ category: 'cloud_essd', size: 40 }),
    dataDisk: dataDisks.map(d => new $Ecs.RunInstancesRequestDataDisk({ category: 'cloud_essd', size: 20, ...d })),
  }));
  return res.body.instanceIdSets.instanceIdSet[0];
}

async function instances(ecs, ids) {
  const res = await ecs.describeInstances(new $Ecs.DescribeInstancesRequest({
    regionId: REGION, instanceIds: JSON.stringify(ids), pageSize: 100 }));
  return res.body.instances.instance;
}

async function waitStatus(ecs, id, want) {
  await pollUntil(async () => (await instances(ecs, [id]))[0]?.status, s => s === want, { what: `${id} ${want}` });
}

async function disks(ecs, req) {
  const res = await ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: REGION, pageSize: 100, ...req }));
  return res.body.disks.disk;
}

function del(ecs, id, extra = {}, runtime) {
  const req = new $Ecs.DeleteInstanceRequest({ instanceId: id, force: true, ...extra });
  return runtime ? ecs.deleteInstanceWithOptions(req, runtime) : ecs.deleteInstance(req);
}

async function ok(server, method, p, body) {
  const r = await ctl(server, method, p, body);
  assert.equal(r.status, 200, `${method} ${p}: ${r.text}`);
  return r.json;
}

const iso = ms => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

// AutoReleaseTime a week ahead (of the virtual clock), deletion protection
// on, disks of both DeleteWithInstance values, automatic snapshots of both
// DeleteAutoSnapshot values and a manual one. Returns what to check after.
// control(method, path, body) is the control API of one node.
async function autoReleaseSetup(control, ecs) {
  const now = Date.parse((await control('GET', '/clock')).Now);
  const id = await run(ecs, { dataDisks: [{ deleteWithInstance: false }, { deleteWithInstance: true }],
    extra: { autoReleaseTime: iso(now + 7 * DAY * 1000), deletionProtection: true } });
  await waitStatus(ecs, id, 'Running');
  const ds = await disks(ecs, { instanceId: id });
  const sys = ds.find(d => d.type === 'system').diskId;
  const kept = ds.find(d => d.type === 'data' && d.deleteWithInstance === false).diskId;
  const gone = ds.find(d => d.type === 'data' && d.deleteWithInstance === true).diskId;
  await ecs.modifyDiskAttribute(new $Ecs.ModifyDiskAttributeRequest({ diskId: sys, deleteAutoSnapshot: false }));
  await ecs.modifyDiskAttribute(new $Ecs.ModifyDiskAttributeRequest({ diskId: gone, deleteAutoSnapshot: true }));
  const auto = {};
  for (const d of [sys, kept, gone]) auto[d] = (await control('POST', `/disks/${d}/auto-snapshots`)).SnapshotId;
  const manual = (await ecs.createSnapshot(new $Ecs.CreateSnapshotRequest({ diskId: gone, snapshotName: 'manual' }))).body.snapshotId;
  const e = await failure(del(ecs, id));
  assertSdkError(e, 403, 'InvalidOperation.DeletionProtection');
  return { id, sys, kept, gone, auto, manual };
}

async function autoReleaseCheck(ecs, t) {
  assert.equal((await instances(ecs, [t.id])).length, 0, 'the instance is gone');
  const left = await disks(ecs, { diskIds: JSON.stringify([t.sys, t.kept, t.gone]) });
  assert.deepEqual(left.map(d => d.diskId), [t.kept], 'only the DeleteWithInstance=false disk is left');
  assert.equal(left[0].status, 'Available');
  const snaps = (await ecs.describeSnapshots(new $Ecs.DescribeSnapshotsRequest({ regionId: REGION,
    snapshotIds: JSON.stringify([...Object.values(t.auto), t.manual]), pageSize: 100 }))).body.snapshots.snapshot.map(x => x.snapshotId).sort();
  assert.deepEqual(snaps, [t.auto[t.sys], t.auto[t.kept], t.manual].sort(),
    'auto snapshots go by DeleteAutoSnapshot (of a released disk), a kept disk keeps its own, manual ones stay');
}

describe('virtual clock and fault rules (SQLite)', () => {
  let server, ecs;
  before(async () => { server = await startEcsd({ delay: 0.2 }); ecs = sdkClient(server); });
  after(async () => {
    if (!server) return;
    const code = await server.stop();
    assert.equal(code, 0, 'ecsd exit status: ' + server.stderr.slice(-3000));
  });

  test('GET /clock, AdvanceSeconds, Set never backwards, bad bodies, Reset', async () => {
    const c0 = await ok(server, 'GET', '/clock');
    assert.equal(c0.OffsetSeconds, 0);
    assert.match(c0.Now, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.ok(Math.abs(Date.parse(c0.Now) - Date.now()) < 5000);
    const c1 = await ok(server, 'POST', '/clock', { AdvanceSeconds: 3600 });
    assert.equal(c1.OffsetSeconds, 3600);
    assert.ok(Math.abs(Date.parse(c1.Now) - Date.now() - 3600e3) < 5000);
    let r = await ctl(server, 'POST', '/clock', { Set: new Date(Date.now() + 1800e3).toISOString().replace(/\.\d+Z$/, 'Z') });
    assert.equal(r.status, 400);
    assert.equal(r.json.Code, 'InvalidParameter.Backwards');
    const target = new Date(Date.now() + 2 * DAY * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    const c2 = await ok(server, 'POST', '/clock', { Set: target });
    assert.ok(Math.abs(Date.parse(c2.Now) - Date.parse(target)) < 2000, `${c2.Now} vs ${target}`);
    for (const bad of [{ AdvanceSeconds: -1 }, { AdvanceSeconds: 'x' }, { Set: 'tomorrow' }, { Reset: false },
      { AdvanceSeconds: 1, Reset: true }, {}, { Other: 1 }]) {
      r = await ctl(server, 'POST', '/clock', bad);
      assert.equal(r.status, 400, JSON.stringify(bad));
    }
    r = await ctl(server, 'POST', '/clock', 'not json');
    assert.equal(r.status, 400);
    // the SDK signs with the real clock: requests still pass with the clock days ahead
    assert.ok((await instances(ecs, [])).length === 0);
    const c3 = await ok(server, 'POST', '/clock', { Reset: true });
    assert.equal(c3.OffsetSeconds, 0);
  });

  test('PrePaid: ChargeTypeViolation, clock +31 days, expired (Stopped), TerminateSubscription releases with the disk fates', async () => {
    const id = await run(ecs, { prepaid: true, dataDisks: [{ deleteWithInstance: false }, { deleteWithInstance: true }] });
    await waitStatus(ecs, id, 'Running');
    const before = await disks(ecs, { instanceId: id });
    assert.equal(before.length, 3);
    const kept = before.find(d => d.type === 'data' && d.deleteWithInstance === false).diskId;
    let e = await failure(del(ecs, id, { terminateSubscription: true }));
    assertSdkError(e, 403, 'ChargeTypeViolation');

    const [inst0] = await instances(ecs, [id]);
    const clock = await ok(server, 'POST', '/clock', { AdvanceSeconds: 31 * DAY });
    const [inst] = await instances(ecs, [id]);
    assert.equal(inst.instanceChargeType, 'PrePaid');
    assert.equal(inst.expiredTime, inst0.expiredTime);
    assert.ok(Date.parse(inst.expiredTime.replace(/Z$/, ':00Z')) <= Date.parse(clock.Now), `${inst.expiredTime} <= ${clock.Now}`);
    assert.equal(inst.status, 'Stopped', 'the platform stops an expired subscription');
    const st = await ecs.describeInstanceStatus(new $Ecs.DescribeInstanceStatusRequest({ regionId: REGION, instanceId: [id] }));
    assert.equal(st.body.instanceStatuses.instanceStatus[0].status, 'Stopped');
    const stopped = await ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: REGION, status: 'Stopped', instanceIds: JSON.stringify([id]) }));
    assert.equal(stopped.body.totalCount, 1, 'the Status filter sees it Stopped too');
    e = await failure(ecs.startInstance(new $Ecs.StartInstanceRequest({ instanceId: id })));
    assertSdkError(e, 403, 'InstanceExpired');
    e = await failure(del(ecs, id));
    assertSdkError(e, 403, 'ChargeTypeViolation');

    const res = await del(ecs, id, { terminateSubscription: true, force: false });
    assert.equal(res.statusCode, 200);
    assert.equal((await instances(ecs, [id])).length, 0);
    const after = await disks(ecs, { diskIds: JSON.stringify(before.map(d => d.diskId)) });
    assert.deepEqual(after.map(d => d.diskId), [kept], 'only the DeleteWithInstance=false disk is left');
    assert.equal(after[0].status, 'Available');
    assert.equal(after[0].diskChargeType, 'PostPaid');
    await ok(server, 'POST', '/clock', { Reset: true });
  });

  test('AutoReleaseTime a week ahead, deletion protection on: clock +8 days releases it with DeleteInstance\'s fates', async () => {
    const t = await autoReleaseSetup((m, p, b) => ok(server, m, p, b), ecs);
    await ok(server, 'POST', '/clock', { AdvanceSeconds: 6 * DAY });
    await new Promise(r => setTimeout(r, 1500));   // a due-release pass or more
    assert.equal((await instances(ecs, [t.id])).length, 1, 'not yet: six days');
    await ok(server, 'POST', '/clock', { AdvanceSeconds: 2 * DAY });
    await pollUntil(async () => (await instances(ecs, [t.id])).length, n => n === 0, { what: `${t.id} auto-released` });
    await autoReleaseCheck(ecs, t);
    await ok(server, 'POST', '/clock', { Reset: true });
  });

  test('Throttling.User for the next 2 DeleteInstance calls: ThrottlingError twice, the third releases', async () => {
    const id = await run(ecs);
    await waitStatus(ecs, id, 'Running');
    const { FaultId } = await ok(server, 'POST', '/faults', {
      Match: { Product: 'Ecs', Action: 'DeleteInstance', AccountId: server.key.account, ResourceId: id },
      Effect: { Error: 'Throttling.User' }, Next: 2 });
    assert.match(FaultId, /^f-[0-9a-z]+$/);
    for (let i = 0; i < 2; i++) {
      const e = await failure(del(ecs, id));
      assert.equal(e.name, 'ThrottlingError', e.message);
      assert.equal(e.code, 'Throttling.User');
      assert.equal(e.statusCode, 400);
      assert.equal((await instances(ecs, [id])).length, 1, 'a faulted call changes nothing');
    }
    assert.equal((await del(ecs, id)).statusCode, 200);
    assert.equal((await instances(ecs, [id])).length, 0);
    const { Faults } = await ok(server, 'GET', '/faults');
    const f = Faults.find(x => x.FaultId === FaultId);
    assert.equal(f.Fired, 2);
    assert.equal(f.Remaining, 0);
    await ok(server, 'DELETE', '/faults/' + FaultId);
    assert.equal((await ok(server, 'GET', '/faults')).Faults.length, 0);
    assert.equal((await ctl(server, 'DELETE', '/faults/' + FaultId)).status, 404);
  });

  test('a 4 s delay: the default SDK client times out and the instance is still there', async () => {
    const id = await run(ecs);
    await waitStatus(ecs, id, 'Running');
    const { FaultId } = await ok(server, 'POST', '/faults', {
      Match: { Action: 'DeleteInstance', ResourceId: id }, Effect: { DelayMs: 4000 }, Next: 1 });
    const t0 = Date.now();
    const e = await failure(del(ecs, id));
    assert.match(String(e.message), /timeout/i, e.message);
    assert.ok(Date.now() - t0 < 4000, 'the client gave up before the delay ended');
    await new Promise(r => setTimeout(r, 4500 - (Date.now() - t0)));
    assert.equal((await instances(ecs, [id])).length, 1, 'nothing was done for a client that left');
    assert.equal((await ok(server, 'GET', '/faults')).Faults.find(x => x.FaultId === FaultId).Fired, 1);
    // a delay shorter than the client's patience: the real answer, late
    await ok(server, 'POST', '/faults', { Match: { Action: 'DeleteInstance', ResourceId: id }, Effect: { DelayMs: 600 }, Next: 1 });
    const t1 = Date.now();
    assert.equal((await del(ecs, id)).statusCode, 200);
    assert.ok(Date.now() - t1 >= 550, 'answered after the delay');
    assert.equal((await instances(ecs, [id])).length, 0);
    await ok(server, 'DELETE', '/faults');
  });

  test('a dropped connection is a network error to the SDK and nothing changed', async () => {
    const id = await run(ecs);
    await waitStatus(ecs, id, 'Running');
    await ok(server, 'POST', '/faults', { Match: { Action: 'DeleteInstance' }, Effect: { Drop: true }, Probability: 1 });
    const e = await failure(del(ecs, id));
    assert.equal(e.statusCode, undefined, 'no HTTP answer');
    assert.match(`${e.code} ${e.message}`, /ECONNRESET|socket hang up|EPIPE/i, e.message);
    assert.equal((await instances(ecs, [id])).length, 1);
    await ok(server, 'DELETE', '/faults');
    assert.equal((await del(ecs, id)).statusCode, 200);
  });

  test('fault rules: other accounts, Actions and ids are not matched; bad rules name their field', async () => {
    await ok(server, 'POST', '/faults', { Match: { AccountId: '999' }, Effect: { Error: 'InternalError' } });
    await ok(server, 'POST', '/faults', { Match: { Product: 'Vpc' }, Effect: { Error: 'InternalError' } });
    await ok(server, 'POST', '/faults', { Match: { ResourceId: 'i-nothere' }, Effect: { Error: 'InternalError' } });
    assert.equal((await ecs.describeRegions(new $Ecs.DescribeRegionsRequest({}))).statusCode, 200);
    await ok(server, 'POST', '/faults', { Match: { Action: 'DescribeRegions' }, Effect: { Error: 'ServiceUnavailable' } });
    const e = await failure(ecs.describeRegions(new $Ecs.DescribeRegionsRequest({})));
    assertSdkError(e, 503, 'ServiceUnavailable');
    await ok(server, 'DELETE', '/faults');
    for (const [body, path] of [
      [{ Effect: { Error: 'NoSuchCode' } }, 'Effect.Error'],
      [{ Effect: { DelayMs: -5 } }, 'Effect.DelayMs'],
      [{ Effect: { Drop: false } }, 'Effect.Drop'],
      [{ Effect: {} }, 'Effect'],
      [{}, 'Effect'],
      [{ Match: { Action: 7 }, Effect: { Drop: true } }, 'Match.Action'],
      [{ Effect: { Drop: true }, Next: 0 }, 'Next'],
      [{ Effect: { Drop: true }, Probability: 2 }, 'Probability'],
      [{ Effect: { Drop: true }, Next: 1, Probability: 0.5 }, 'Next'],
      [{ Effect: { Drop: true }, Extra: 1 }, 'Extra'],
    ]) {
      const r = await ctl(server, 'POST', '/faults', body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.json.Path, path, JSON.stringify(body) + ' ' + r.text);
    }
    assert.equal((await ok(server, 'GET', '/faults')).Faults.length, 0);
  });
});

// --- fixtures and reset, on each backend -----------------------------------

function renamed(doc, account) {
  // the same resources under fresh ids, for another account
  const map = new Map();
  const fresh = id => {
    if (!id) return id;
    if (!map.has(id)) map.set(id, id.slice(0, 2) + Math.random().toString(36).slice(2, 12).padEnd(10, '0') + 'x');
    return map.get(id);
  };
  return {
    ...doc, AccountId: account,
    Instances: doc.Instances.map(i => ({ ...i, id: fresh(i.id) })),
    Disks: doc.Disks.map(d => ({ ...d, id: fresh(d.id), instance_id: fresh(d.instance_id) })),
    Snapshots: doc.Snapshots.map(s => ({ ...s, id: fresh(s.id), source_disk_id: fresh(s.source_disk_id) })),
    Resources: doc.Resources.map(r => ({ ...r, id: r.id.replace(/-.*/, '-') + fresh(r.id).slice(2), parent: r.parent && r.parent.replace(/-.*/, '-') + fresh(r.parent).slice(2) })),
  };
}

const backends = [['SQLite', undefined]];
if (process.env.PGURI) backends.push(['PostgreSQL', process.env.PGURI]);

for (const [label, store] of backends) {
  describe(`fixtures and reset (${label})`, () => {
    let server, ecs;
    before(async () => {
      const saved = process.env.ECSD_STORE;
      if (store) process.env.ECSD_STORE = store;
      try { server = await startEcsd({ delay: 0.2 }); } finally {
        if (saved === undefined) delete process.env.ECSD_STORE; else process.env.ECSD_STORE = saved;
      }
      ecs = sdkClient(server);
    });
    after(async () => { if (server) assert.equal(await server.stop(), 0, 'ecsd exit status'); });

    test('export, reset, import, export gives the same document; a bad fixture changes nothing', async () => {
      const acct = server.key.account;
      const id = await run(ecs, { dataDisks: [{ deleteWithInstance: false }] });
      await waitStatus(ecs, id, 'Running');
      const [sys] = await disks(ecs, { instanceId: id, diskType: 'system' });
      await ecs.createSnapshot(new $Ecs.CreateSnapshotRequest({ diskId: sys.diskId, snapshotName: 'fixture' }));
      await ecs.createDisk(new $Ecs.CreateDiskRequest({ regionId: REGION, zoneId: sys.zoneId, size: 30, diskCategory: 'cloud_essd' }));
      const doc = await ok(server, 'GET', '/state?AccountId=' + acct);
      assert.equal(doc.Format, 'ecsd-state/1');
      assert.equal(doc.AccountId, acct);
      assert.equal(doc.Instances.length, 1);
      assert.equal(doc.Disks.length, 3);
      assert.equal(doc.Snapshots.length, 1);
      assert.equal(doc.Instances[0].status, 'Running');

      const reset = await ok(server, 'POST', '/reset', { AccountId: acct });
      assert.deepEqual(reset.Kept, ['credentials', 'clock', 'faults']);
      const empty = await ok(server, 'GET', '/state?AccountId=' + acct);
      assert.deepEqual([empty.Instances, empty.Disks, empty.Snapshots], [[], [], []]);
      assert.equal((await instances(ecs, [id])).length, 0);

      const imp = await ok(server, 'POST', '/state', doc);
      assert.deepEqual([imp.Instances, imp.Disks, imp.Snapshots], [1, 3, 1]);
      assert.deepEqual(await ok(server, 'GET', '/state?AccountId=' + acct), doc);
      assert.equal((await instances(ecs, [id]))[0].status, 'Running', 'the SDK sees the imported instance');
      // importing it again replaces, it does not duplicate
      await ok(server, 'POST', '/state', doc);
      assert.deepEqual(await ok(server, 'GET', '/state?AccountId=' + acct), doc);

      // a disk attached to an instance the document lacks: refused with its path
      const orphan = structuredClone(doc);
      orphan.Instances = [];
      orphan.Snapshots = [];
      const r = await ctl(server, 'POST', '/state', orphan);
      assert.equal(r.status, 400, r.text);
      assert.equal(r.json.Code, 'InvalidFixture');
      const at = orphan.Disks.findIndex(d => d.instance_id);
      assert.equal(r.json.Path, `Disks[${at}].instance_id`);
      assert.deepEqual(await ok(server, 'GET', '/state?AccountId=' + acct), doc, 'nothing changed');
      for (const [mut, path] of [
        [d => { d.Instances[0].status = 'Flying'; }, 'Instances[0].status'],
        [d => { d.Instances[0].color = 'red'; }, 'Instances[0].color'],
        [d => { d.Disks[1].size_gb = 0; }, 'Disks[1].size_gb'],
        [d => { d.Disks[0].id = 'x-1'; }, 'Disks[0].id'],
        [d => { d.Snapshots[0].id = d.Instances[0].id.replace('i-', 's-'); d.Snapshots.push({ ...d.Snapshots[0] }); }, 'Snapshots[1].id'],
        [d => { d.Instances[0].region = 'mars-1'; }, 'Instances[0].region'],
        [d => { delete d.AccountId; }, 'AccountId'],
        [d => { d.Disks = {}; }, 'Disks'],
      ]) {
        const bad = structuredClone(doc);
        mut(bad);
        const b = await ctl(server, 'POST', '/state', bad);
        assert.equal(b.status, 400, path + ' ' + b.text);
        assert.equal(b.json.Path, path, b.text);
      }
      assert.deepEqual(await ok(server, 'GET', '/state?AccountId=' + acct), doc, 'still nothing changed');
    });

    test('generic resources (any kind of the resource store) round-trip; a missing parent is named', async () => {
      const acct = server.key.account;
      // the account already holds the earlier tests' instances and their
      // default network: set them aside, and put them back at the end
      const base = await ok(server, 'GET', '/state?AccountId=' + acct);
      const tag = Math.random().toString(36).slice(2, 10);
      const doc = { ...base, Instances: [], Disks: [], Snapshots: [], Resources: [
        { kind: 'vpc', id: `vpc-fx${tag}`, region: REGION, parent: '', ref: '', created_ms: 1700000000000, doc: { CidrBlock: '10.0.0.0/8', Name: 'fx' } },
        { kind: 'vswitch', id: `vsw-fx${tag}`, region: REGION, parent: `vpc-fx${tag}`, ref: '', created_ms: 1700000000001, doc: { CidrBlock: '10.1.0.0/16', ZoneId: 'cn-hangzhou-h' } },
      ] };
      await ok(server, 'POST', '/state', doc);
      assert.deepEqual(await ok(server, 'GET', '/state?AccountId=' + acct), doc);
      const orphan = structuredClone(doc);
      orphan.Resources.shift();
      const r = await ctl(server, 'POST', '/state', orphan);
      assert.equal(r.status, 400);
      assert.equal(r.json.Path, 'Resources[0].parent');
      for (const [mut, path] of [
        [d => { d.Resources[0].doc = []; }, 'Resources[0].doc'],
        [d => { d.Resources[1].kind = 'V S'; }, 'Resources[1].kind'],
        [d => { d.Resources[1].id = d.Resources[0].id; }, 'Resources[1].id'],
      ]) {
        const bad = structuredClone(doc);
        mut(bad);
        assert.equal((await ctl(server, 'POST', '/state', bad)).json?.Path, path);
      }
      assert.deepEqual(await ok(server, 'GET', '/state?AccountId=' + acct), doc, 'nothing changed');
      await ok(server, 'POST', '/state', base);
      assert.deepEqual(await ok(server, 'GET', '/state?AccountId=' + acct), base, 'the earlier state is back');
    });

    test('ids of another account are refused; reset of one account leaves another untouched', async () => {
      const acct = server.key.account;
      const mine = await ok(server, 'GET', '/state?AccountId=' + acct);
      assert.ok(mine.Instances.length > 0);
      const other = String(BigInt(acct) + 7n);
      const stolen = await ctl(server, 'POST', '/state', { ...mine, AccountId: other });
      assert.equal(stolen.status, 400);
      assert.equal(stolen.json.Path, 'Instances[0].id');
      const theirs = renamed(mine, other);
      await ok(server, 'POST', '/state', theirs);
      const theirsBefore = await ok(server, 'GET', '/state?AccountId=' + other);
      assert.equal(theirsBefore.Instances.length, mine.Instances.length);
      await ok(server, 'POST', '/reset', { AccountId: acct });
      assert.equal((await ok(server, 'GET', '/state?AccountId=' + acct)).Instances.length, 0);
      assert.deepEqual(await ok(server, 'GET', '/state?AccountId=' + other), theirsBefore);
      assert.equal((await ctl(server, 'POST', '/reset', { AccountId: 5 })).status, 400);
      assert.equal((await ctl(server, 'GET', '/state')).status, 400);
      await ok(server, 'POST', '/reset', { AccountId: other });
    });
  });
}

// --- AutoReleaseTime with three nodes on one PostgreSQL: exactly once -------

if (process.env.PGURI) {
  describe('AutoReleaseTime, three nodes on PostgreSQL', () => {
    const nodes = [];
    let tmp, key, token;
    before(async () => {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ecsd-rig3-'));
      key = { account: '3' + String(Date.now()).slice(-9) + String(process.pid % 1e6).padStart(6, '0'),
        akid: 'LTAIrig3' + Math.random().toString(36).slice(2, 10), secret: 'rig3secret' + Math.random().toString(36).slice(2) };
      fs.writeFileSync(path.join(tmp, 'credentials'), `${key.account} ${key.akid} ${key.secret}\n`, { mode: 0o600 });
      token = 'rig3-control-token-' + Math.random().toString(36).slice(2);
      for (let i = 0; i < 3; i++) {
        const dir = fs.mkdtempSync(path.join(tmp, 'n'));
        nodes.push(spawnEcsd(BIN, ['--data-dir', dir, '--store', process.env.PGURI, '--credentials', path.join(tmp, 'credentials'),
          '--transition-delay', '0.2', '--control-token', token, '--log-level', 'info', '--pool-size', '4'], { name: 'node' + i }));
      }
      await Promise.all(nodes.map(n => n.ready));
    });
    after(async () => {
      for (const n of nodes) assert.equal(await stopEcsd(n), 0, n.name + ' exit status: ' + n.stderr.slice(-2000));
      fs.rmSync(tmp, { recursive: true, force: true });
    });

    test('the clock moved on one node releases the instance once, seen by the others', async () => {
      const view = n => ({ port: n.port, endpoint: '127.0.0.1:' + n.port, key });
      const [a, b, c] = nodes.map(view);
      // the nodes' own control token (helpers' ctl() sends the conformance one)
      const ctl3 = async (n, method, p, body) => {
        const data = body === undefined ? '' : JSON.stringify(body);
        return new Promise((resolve, reject) => {
          const req = http.request({ host: '127.0.0.1', port: n.port, method, path: '/_ecsd' + p,
            headers: { authorization: 'Bearer ' + token, 'content-length': Buffer.byteLength(data) } }, res => {
            let text = '';
            res.on('data', d => { text += d; });
            res.on('end', () => resolve({ status: res.statusCode, json: JSON.parse(text), text }));
          });
          req.on('error', reject);
          req.end(data);
        });
      };
      const okOn = async (n, m, p, body) => { const r = await ctl3(n, m, p, body); assert.equal(r.status, 200, r.text); return r.json; };
      const ecsA = sdkClient(a), ecsC = sdkClient(c);
      const t = await autoReleaseSetup((m, p, body) => okOn(b, m, p, body), ecsA);
      try {
        const clock = await okOn(b, 'POST', '/clock', { AdvanceSeconds: 8 * DAY });
        for (const n of [a, c]) {
          const seen = Date.parse((await okOn(n, 'GET', '/clock')).Now);
          assert.ok(Math.abs(seen - Date.parse(clock.Now)) < 5000, 'every node reads the same clock');
        }
        await pollUntil(async () => (await instances(ecsC, [t.id])).length, n => n === 0, { what: `${t.id} auto-released` });
        await new Promise(r => setTimeout(r, 2500));   // every node has run its pass since
        await autoReleaseCheck(ecsC, t);
        const lines = nodes.map(n => n.stderr.split('\n').filter(l => l.includes(`auto-release: ${t.id} released`)).length);
        assert.equal(lines.reduce((x, y) => x + y, 0), 1, `released exactly once across the nodes (${lines})`);
      } finally {
        await okOn(a, 'POST', '/clock', { Reset: true });   // the store is shared with other suites
      }
    });
  });
}
