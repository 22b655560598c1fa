// plan.test.mjs - GET /_ecsd/instances/{id}/release-plan against every row
// of spec API.md §5.2 (each compared with what DeleteInstance DryRun says
// through the official SDK) and every effect of §5.3 (each plan compared
// with DescribeDisks/DescribeSnapshots after the real release); the batch
// plan; who may ask (token, own signature, another account's -> NotFound).
// Runs on SQLite, and on PostgreSQL when ECSD_STORE is set.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import PopCore from '@alicloud/pop-core';
import { $Ecs, REGION, start, sdk, ctl, signedGet, request, run, disksOf, allDisks, allSnapshots, instanceIds } from './lib.mjs';

let srv, ecs;
before(async () => { srv = await start({ delay: 0.3, args: ['--slb-configuring-delay', '60'] }); ecs = sdk(srv); });
after(async () => { if (srv) assert.equal(await srv.stop(), 0); });

const plan = (id, q = {}, k = srv.a) => signedGet(srv, k, `/_ecsd/instances/${id}/release-plan`, q);

// What DeleteInstance (DryRun) answers for the same options.
async function dryRunCode(id, { Force = 'false', TerminateSubscription = 'false' } = {}) {
  try {
    await ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: id, force: Force === 'true',
      terminateSubscription: TerminateSubscription === 'true', dryRun: true }));
    return 'OK';
  } catch (e) { return e.code; }
}

async function expectRow(id, q, code) {
  const r = await plan(id, q);
  assert.equal(r.status, 200, r.text);
  const dry = await dryRunCode(id, q);
  if (code === null) {
    assert.equal(r.json.Releasable, true, JSON.stringify(r.json));
    assert.equal(dry, 'DryRunOperation', 'DeleteInstance DryRun agrees');
  } else {
    assert.equal(r.json.Releasable, false);
    assert.equal(r.json.Code, code);
    assert.equal(dry, code, 'DeleteInstance DryRun gives the same Code');
    assert.ok(r.json.Remedy.length > 10, 'says what lets it through');
  }
  return r.json;
}

const state = (id, s) => ctl(srv, 'POST', `/instances/${id}/state`, s);

test('§5.2 Stopped: releasable with and without Force', async () => {
  const id = await run(ecs, { name: 'stopped', stopped: true });
  await expectRow(id, { Force: 'false' }, null);
  await expectRow(id, { Force: 'true' }, null);
});

test('§5.2 Running: IncorrectInstanceStatus without Force, releasable with it', async () => {
  const id = await run(ecs, { name: 'running' });
  const p = await expectRow(id, {}, 'IncorrectInstanceStatus');
  assert.match(p.Remedy, /Force=true/);
  assert.equal(p.HttpStatus, 403);
  await expectRow(id, { Force: 'true' }, null);
});

test('§5.2 Pending (held in initialisation): IncorrectInstanceStatus.Initializing with or without Force', async () => {
  const id = await run(ecs, { name: 'init', stopped: true });
  assert.equal((await state(id, { HoldInit: true })).status, 200);
  await expectRow(id, {}, 'IncorrectInstanceStatus.Initializing');
  await expectRow(id, { Force: 'true' }, 'IncorrectInstanceStatus.Initializing');
  await state(id, { HoldInit: false });
});

test('§5.2 Starting and Stopping (30 s transitions): Initializing, IncorrectInstanceStatus, with or without Force', async () => {
  const slow = await start({ delay: 30 });
  try {
    const e2 = sdk(slow);
    const get = (id, q) => signedGet(slow, slow.a, `/_ecsd/instances/${id}/release-plan`, q);
    const id = (await e2.runInstances(new $Ecs.RunInstancesRequest({ regionId: REGION,
      imageId: 'aliyun_3_x64_20G_alibase_20240819.vhd', instanceType: 'ecs.g6.large' }))).body.instanceIdSets.instanceIdSet[0];
    let p = await get(id, { Force: 'true' });
    assert.equal(p.json.Status, 'Pending');
    assert.equal(p.json.Code, 'IncorrectInstanceStatus.Initializing');
    await ctl(slow, 'POST', `/instances/${id}/state`, { HoldInit: true });
    await ctl(slow, 'POST', `/instances/${id}/state`, { HoldInit: false });   /* settles Running */
    await e2.stopInstance(new $Ecs.StopInstanceRequest({ instanceId: id }));
    for (const Force of ['false', 'true']) {
      p = await get(id, { Force });
      assert.equal(p.json.Status, 'Stopping');
      assert.equal(p.json.Code, 'IncorrectInstanceStatus');
      assert.match(p.json.Remedy, /stopping/);
    }
  } finally { await slow.stop(); }
});

test('§5.2 deletion protection: InvalidOperation.DeletionProtection, even with Force', async () => {
  const id = await run(ecs, { name: 'dp', stopped: true, dp: true });
  const p = await expectRow(id, { Force: 'true' }, 'InvalidOperation.DeletionProtection');
  assert.match(p.Remedy, /DeletionProtection=false/);
});

test('§5.2 subscriptions: not expired, expired without and with TerminateSubscription', async () => {
  const id = await run(ecs, { name: 'sub', stopped: true, prepaid: true });
  let p = await expectRow(id, { TerminateSubscription: 'true' }, 'ChargeTypeViolation');
  assert.match(p.Remedy, /ModifyInstanceChargeType/);
  assert.equal((await state(id, { Expired: true })).status, 200);
  p = await expectRow(id, {}, 'ChargeTypeViolation');
  assert.match(p.Remedy, /TerminateSubscription=true/);
  await expectRow(id, { TerminateSubscription: 'true' }, null);
});

test('§5.2 locks, dependencies, white list, volumes', async () => {
  const id = await run(ecs, { name: 'deps', stopped: true });
  // the dependencies other products hold, made through their public APIs
  const pop = v => new PopCore({ accessKeyId: srv.a.akid, accessKeySecret: srv.a.secret, endpoint: srv.url, apiVersion: v });
  const vpc = pop('2016-04-28'), slb = pop('2014-05-15'), post = { method: 'POST' };
  const vpcId = (await ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: REGION, instanceIds: JSON.stringify([id]) }))).body.instances.instance[0].vpcAttributes.vpcId;
  const vtb = (await vpc.request('DescribeRouteTableList', { RegionId: REGION, VpcId: vpcId }, post)).RouterTableList.RouterTableListType[0].RouteTableId;
  const rte = (await vpc.request('CreateRouteEntry', { RegionId: REGION, RouteTableId: vtb, DestinationCidrBlock: '192.168.77.0/24', NextHopId: id }, post)).RouteEntryId;
  await new Promise(r => setTimeout(r, 500));   // the entry settles (transition delay)
  await expectRow(id, {}, 'DependencyViolation.RouteEntry');
  await vpc.request('DeleteRouteEntry', { RegionId: REGION, RouteEntryId: rte }, post);
  const backend = await run(ecs, { name: 'backend' });   // Running
  const lb = (await slb.request('CreateLoadBalancer', { RegionId: REGION }, post)).LoadBalancerId;
  await slb.request('AddBackendServers', { RegionId: REGION, LoadBalancerId: lb, BackendServers: JSON.stringify([{ ServerId: backend }]) }, post);
  await expectRow(backend, { Force: 'true' }, 'DependencyViolation.SLBConfiguring');
  for (const [flag, code] of [['NotInWhiteList', 'InvalidOperation.NotInWhiteList'],
    ['VolumesBlock', 'IncorrectInstanceStatus']]) {
    await state(id, { [flag]: true });
    await expectRow(id, {}, code);
    await state(id, { [flag]: false });
  }
  await state(id, { FinancialLock: true });
  await expectRow(id, {}, null);
  await state(id, { FinancialLock: false, FailRelease: true });
  const p = await expectRow(id, {}, null);
  assert.match(p.Fault, /InternalError/);
  await state(id, { FailRelease: false });
});

test('§5.2 unknown, malformed, another account\'s: NotFound / InvalidParameter; nothing without a credential', async () => {
  const id = await run(ecs, { name: 'mine', stopped: true });
  let r = await plan('i-doesnotexist000000');
  assert.equal(r.status, 404);
  assert.equal(r.json.Code, 'InvalidInstanceId.NotFound');
  r = await plan('x-bad');
  assert.equal(r.status, 400);
  assert.equal(r.json.Code, 'InvalidParameter');
  r = await plan(id, {}, srv.b);
  assert.equal(r.status, 404, 'another account sees NotFound');
  assert.equal(r.json.Code, 'InvalidInstanceId.NotFound');
  r = await request(srv.port, { path: `/_ecsd/instances/${id}/release-plan` });
  assert.equal(r.status, 401);
  r = await plan(id, {}, { ...srv.a, secret: 'wrong' + srv.a.secret });
  assert.equal(r.json.Code, 'SignatureDoesNotMatch');
  r = await ctl(srv, 'GET', `/instances/${id}/release-plan`);
  assert.equal(r.status, 200, 'the control token sees every account');
  assert.equal(r.json.InstanceId, id);
  r = await plan(id, { Force: 'maybe' });
  assert.equal(r.status, 400);
});

// §5.3: the plan, then the real release, then what Describe* shows.
async function releaseAndCompare(id, q, { prepaid = false } = {}) {
  const p = (await plan(id, q)).json;
  assert.equal(p.Releasable, true, JSON.stringify(p));
  await ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: id, force: q.Force === 'true',
    terminateSubscription: q.TerminateSubscription === 'true' }));
  assert.ok(!(await instanceIds(ecs)).includes(id), '§5.3.1 the instance is gone');
  const disks = new Map((await allDisks(ecs)).map(d => [d.diskId, d]));
  const snaps = new Set((await allSnapshots(ecs)).map(s => s.snapshotId));
  for (const d of p.Disks) {
    if (d.Fate === 'Released') {
      assert.ok(!disks.has(d.DiskId), `${d.DiskId} released as planned`);
    } else {
      const k = disks.get(d.DiskId);
      assert.ok(k, `${d.DiskId} kept as planned`);
      assert.equal(k.status, 'Available');
      assert.equal(k.instanceId, '');
      assert.equal(k.diskChargeType, 'PostPaid', prepaid ? 'a kept subscription disk turns pay-as-you-go' : 'PostPaid');
    }
  }
  for (const s of p.Snapshots) assert.equal(snaps.has(s.SnapshotId), s.Fate === 'Kept', `${s.SnapshotId} ${s.Fate}`);
  return p;
}

async function snapshot(diskId, auto) {
  if (auto) return (await ctl(srv, 'POST', `/disks/${diskId}/auto-snapshots`)).json.SnapshotId;
  return (await ecs.createSnapshot(new $Ecs.CreateSnapshotRequest({ diskId, snapshotName: 'user' }))).body.snapshotId;
}

test('§5.3 disks by DeleteWithInstance; auto snapshots by DeleteAutoSnapshot; user snapshots remain', async () => {
  const id = await run(ecs, { name: 'effects', stopped: true,
    dataDisks: [{ deleteWithInstance: true }, { deleteWithInstance: false }, { deleteWithInstance: true }] });
  const ds = await disksOf(ecs, id);
  const [sys, gone, kept, goneKeepAuto] = [ds.find(d => d.type === 'system'), ...ds.filter(d => d.type === 'data')];
  await ecs.modifyDiskAttribute(new $Ecs.ModifyDiskAttributeRequest({ diskId: goneKeepAuto.diskId, deleteAutoSnapshot: false }));
  const s = {
    sysAuto: await snapshot(sys.diskId, true), goneAuto: await snapshot(gone.diskId, true),
    goneUser: await snapshot(gone.diskId, false), keptAuto: await snapshot(kept.diskId, true),
    keptUser: await snapshot(kept.diskId, false), keepAuto: await snapshot(goneKeepAuto.diskId, true),
  };
  const p = await releaseAndCompare(id, {});
  const fate = Object.fromEntries(p.Disks.map(d => [d.DiskId, d.Fate]));
  assert.deepEqual([fate[sys.diskId], fate[gone.diskId], fate[kept.diskId], fate[goneKeepAuto.diskId]],
    ['Released', 'Released', 'Kept', 'Released']);
  const sf = Object.fromEntries(p.Snapshots.map(x => [x.SnapshotId, x.Fate]));
  assert.deepEqual([sf[s.sysAuto], sf[s.goneAuto], sf[s.goneUser], sf[s.keptAuto], sf[s.keptUser], sf[s.keepAuto]],
    ['Deleted', 'Deleted', 'Kept', 'Kept', 'Kept', 'Kept']);
  assert.deepEqual(p.NetworkInterfaces, []);
  assert.deepEqual(p.EipAddresses, []);
});

test('§5.3 security lock: every attached disk released whatever DeleteWithInstance says', async () => {
  const id = await run(ecs, { name: 'locked', stopped: true, dataDisks: [{ deleteWithInstance: false }] });
  await state(id, { SecurityLock: true });
  const p = await releaseAndCompare(id, {});
  assert.equal(p.SecurityLock, true);
  assert.ok(p.Disks.length === 2 && p.Disks.every(d => d.Fate === 'Released'));
});

test('§5.3 Running with Force, and an expired subscription whose kept disk turns pay-as-you-go', async () => {
  const a = await run(ecs, { name: 'forced', dataDisks: [{ deleteWithInstance: false }] });
  await releaseAndCompare(a, { Force: 'true' });
  const b = await run(ecs, { name: 'expired', stopped: true, prepaid: true, dataDisks: [{ deleteWithInstance: false }] });
  await state(b, { Expired: true });
  const p = await releaseAndCompare(b, { TerminateSubscription: 'true' }, { prepaid: true });
  assert.equal(p.Disks.find(d => d.Type === 'data').DiskChargeTypeAfter, 'PostPaid');
});

test('batch plan: all or nothing, unknown ids, then DeleteInstances does as planned', async () => {
  const x = await run(ecs, { name: 'b1', stopped: true });
  const y = await run(ecs, { name: 'b2' });
  const other = await run(sdk(srv, srv.b), { name: 'theirs', stopped: true });
  const q = (ids, extra = {}) => ({ RegionId: REGION, ...Object.fromEntries(ids.map((id, k) => [`InstanceId.${k + 1}`, id])), ...extra });
  let r = await signedGet(srv, srv.a, '/_ecsd/release-plan', q([x, y]));
  assert.equal(r.json.Releasable, false);
  assert.equal(r.json.Code, 'IncorrectInstanceStatus');
  assert.equal(r.json.InstanceId, y);
  assert.equal(r.json.Instances.length, 2);
  r = await signedGet(srv, srv.a, '/_ecsd/release-plan', q([x, other]));
  assert.equal(r.json.Code, 'InvalidInstanceIds.NotFound');
  assert.deepEqual(r.json.MissingInstanceIds, [other], 'another account\'s id is unknown');
  r = await signedGet(srv, srv.a, '/_ecsd/release-plan', q([x, y], { Force: 'true' }));
  assert.equal(r.json.Releasable, true);
  await ecs.deleteInstances(new $Ecs.DeleteInstancesRequest({ regionId: REGION, instanceId: [x, y], force: true }));
  const left = await instanceIds(ecs);
  assert.ok(!left.includes(x) && !left.includes(y));
  r = await signedGet(srv, srv.a, '/_ecsd/release-plan', { RegionId: REGION });
  assert.equal(r.status, 400);
});
