// release-sdk.test.mjs - issue 3 through the official TypeScript SDK
// (@alicloud/ecs20140526 7.x, V3 signing by default; the main walkthrough is
// repeated with signatureAlgorithm 'v2'): create, wait for Running the way
// users do, stop, snapshot, deletion protection, release, and what remains
// (spec API.md §5, §6, §7, §8). Assertions read the SDK's response models
// (body.instances.instance[0].status, body.disks.disk[].status, ...), i.e.
// exactly what the SDK parsed out of ecsd's JSON.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  $Ecs, REGION, IMAGE, TYPE, UUID_RE, startEcsd, sdkClient, failure, assertSdkError,
  pollUntil, setState, uniqueName,
} from './helpers.mjs';

let server;
before(async () => { server = await startEcsd({ delay: 0.3 }); });
after(async () => { if (server) assert.equal(await server.stop(), 0, 'ecsd exit status'); });

// --- the calls a user of the SDK writes ------------------------------------

async function runInstances(ecs, { amount = 1, dataDisks = [], name = uniqueName('sdk') } = {}) {
  const res = await ecs.runInstances(new $Ecs.RunInstancesRequest({
    regionId: REGION,
    imageId: IMAGE,
    instanceType: TYPE,
    instanceName: name,
    amount,
    systemDisk: new $Ecs.RunInstancesRequestSystemDisk({ category: 'cloud_essd', size: 40 }),
    dataDisk: dataDisks.map(d => new $Ecs.RunInstancesRequestDataDisk({ category: 'cloud_essd', ...d })),
  }));
  assert.equal(res.statusCode, 200);
  assert.match(res.body.requestId, UUID_RE);
  const ids = res.body.instanceIdSets.instanceIdSet;
  assert.equal(ids.length, amount);
  for (const id of ids) assert.match(id, /^i-[0-9a-z]+$/);
  return ids;
}

async function statusOf(ecs, ids) {
  const res = await ecs.describeInstanceStatus(new $Ecs.DescribeInstanceStatusRequest({ regionId: REGION, instanceId: ids, pageSize: 50 }));
  const list = res.body.instanceStatuses.instanceStatus;
  return ids.map(id => list.find(s => s.instanceId === id)?.status);
}

// Polls DescribeInstanceStatus until every instance shows `want`; returns the
// statuses seen along the way (per poll, one entry per instance).
async function waitStatus(ecs, ids, want) {
  return pollUntil(() => statusOf(ecs, ids), s => s.every(x => x === want), { what: `${ids} ${want}` });
}

async function describeInstances(ecs, ids) {
  const res = await ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: REGION, instanceIds: JSON.stringify(ids), pageSize: 100 }));
  assert.equal(res.statusCode, 200);
  return res.body;
}

async function disksOf(ecs, req) {
  const res = await ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: REGION, pageSize: 100, ...req }));
  return res.body.disks.disk;
}

async function waitGone(ecs, ids) {
  // Like Terraform: poll DescribeInstances until the list is empty, accepting
  // only Pending/Running/Stopped/Stopping meanwhile (API.md §5.4).
  const seen = await pollUntil(async () => (await describeInstances(ecs, ids)).instances.instance.map(i => i.status),
    l => l.length === 0, { what: `${ids} released` });
  for (const s of seen.flat()) assert.ok(['Pending', 'Running', 'Stopped', 'Stopping'].includes(s), `status ${s} while releasing`);
}

// --- issue 3 -----------------------------------------------------------------

for (const [label, signatureAlgorithm] of [['V3', undefined], ['v2 (HMAC-SHA1)', 'v2']]) {
  describe(`release walkthrough, official SDK ${label}`, () => {
    let ecs, id, keptDisk, droppedDisk, systemDisk, snapshotId, createdAt;

    before(() => { ecs = sdkClient(server, { signatureAlgorithm }); });

    test('RunInstances with a kept (DeleteWithInstance=false) and a dropped (true) data disk', async () => {
      createdAt = Date.now();
      [id] = await runInstances(ecs, {
        dataDisks: [
          { size: 20, diskName: 'kept', deleteWithInstance: false },
          { size: 30, diskName: 'dropped', deleteWithInstance: true },
        ],
      });
    });

    test('wait for Running by polling DescribeInstanceStatus', async () => {
      // Pending and Starting last 0.3 s each: an answer within 0.5 s of
      // sending RunInstances cannot say Running yet, so the wait is real.
      const [first] = await statusOf(ecs, [id]);
      if (Date.now() - createdAt < 500) assert.notEqual(first, 'Running', 'a fresh instance is not Running at once');
      const seen = [first, ...(await waitStatus(ecs, [id], 'Running')).map(s => s[0])];
      for (const s of seen) assert.ok(['Pending', 'Starting', 'Running'].includes(s), `unexpected status ${s} during creation`);
    });

    test('DescribeInstances shows the instance Running, PostPaid, unprotected', async () => {
      const body = await describeInstances(ecs, [id]);
      assert.equal(body.totalCount, 1);
      const inst = body.instances.instance[0];
      assert.ok(inst instanceof $Ecs.DescribeInstancesResponseBodyInstancesInstance);
      assert.equal(inst.instanceId, id);
      assert.equal(inst.status, 'Running');
      assert.equal(inst.regionId, REGION);
      assert.equal(inst.instanceType, TYPE);
      assert.equal(inst.imageId, IMAGE);
      assert.equal(inst.instanceChargeType, 'PostPaid');
      assert.equal(inst.deletionProtection, false);
      assert.deepEqual(inst.operationLocks.lockReason, []);
    });

    test('DescribeInstanceAttribute (Terraform reads it on every refresh) parses too', async () => {
      const res = await ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: id }));
      assert.equal(res.body.instanceId, id);
      assert.equal(res.body.status, 'Running');
      assert.ok(Array.isArray(res.body.publicIpAddress.ipAddress));
      assert.ok(Array.isArray(res.body.innerIpAddress.ipAddress));
    });

    test('DescribeDisks lists the system disk and both data disks, In_use, with their DeleteWithInstance', async () => {
      const disks = await disksOf(ecs, { instanceId: id });
      assert.equal(disks.length, 3, JSON.stringify(disks.map(d => [d.diskId, d.type, d.size])));
      for (const d of disks) {
        assert.ok(d instanceof $Ecs.DescribeDisksResponseBodyDisksDisk);
        assert.equal(d.status, 'In_use');
        assert.equal(d.instanceId, id);
        assert.match(d.diskId, /^d-[0-9a-z]+$/);
      }
      const sys = disks.find(d => d.type === 'system');
      const kept = disks.find(d => d.type === 'data' && d.size === 20);
      const dropped = disks.find(d => d.type === 'data' && d.size === 30);
      assert.ok(sys && kept && dropped);
      assert.equal(sys.deleteWithInstance, true);
      assert.equal(kept.deleteWithInstance, false);
      assert.equal(kept.diskName, 'kept');
      assert.equal(dropped.deleteWithInstance, true);
      systemDisk = sys.diskId; keptDisk = kept.diskId; droppedDisk = dropped.diskId;
    });

    test('StopInstance, then wait for Stopped', async () => {
      const res = await ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId: id }));
      assert.match(res.body.requestId, UUID_RE);
      const seen = (await waitStatus(ecs, [id], 'Stopped')).map(s => s[0]);
      for (const s of seen) assert.ok(['Running', 'Stopping', 'Stopped'].includes(s), `unexpected status ${s} while stopping`);
    });

    test('CreateSnapshot of the kept data disk, wait until accomplished', async () => {
      const res = await ecs.createSnapshot(new $Ecs.CreateSnapshotRequest({ diskId: keptDisk, snapshotName: 'before-release' }));
      snapshotId = res.body.snapshotId;
      assert.match(snapshotId, /^s-[0-9a-z]+$/);
      await pollUntil(async () => {
        const r = await ecs.describeSnapshots(new $Ecs.DescribeSnapshotsRequest({ regionId: REGION, snapshotIds: JSON.stringify([snapshotId]) }));
        return r.body.snapshots.snapshot[0]?.status;
      }, s => s === 'accomplished', { what: 'snapshot accomplished' });
    });

    test('DeletionProtection=true -> DeleteInstance fails with InvalidOperation.DeletionProtection 403', async t => {
      const mod = await ecs.modifyInstanceAttribute(new $Ecs.ModifyInstanceAttributeRequest({ instanceId: id, deletionProtection: true }));
      assert.match(mod.body.requestId, UUID_RE);
      await t.test('DescribeInstances shows DeletionProtection=true', async () => {
        assert.equal((await describeInstances(ecs, [id])).instances.instance[0].deletionProtection, true);
      });
      const e = await failure(ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: id })));
      assertSdkError(e, 403, 'InvalidOperation.DeletionProtection');
      // Force does not get around it either
      const e2 = await failure(ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: id, force: true })));
      assertSdkError(e2, 403, 'InvalidOperation.DeletionProtection');
      // nothing was released
      assert.deepEqual(await statusOf(ecs, [id]), ['Stopped']);
    });

    test('DeletionProtection=false -> DeleteInstance succeeds', async t => {
      await ecs.modifyInstanceAttribute(new $Ecs.ModifyInstanceAttributeRequest({ instanceId: id, deletionProtection: false }));
      await t.test('DescribeInstances shows DeletionProtection=false', async () => {
        assert.equal((await describeInstances(ecs, [id])).instances.instance[0].deletionProtection, false);
      });
      const res = await ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: id }));
      assert.equal(res.statusCode, 200);
      assert.match(res.body.requestId, UUID_RE);
    });

    test('afterwards DescribeInstances returns an empty list', async () => {
      await waitGone(ecs, [id]);
      const body = await describeInstances(ecs, [id]);
      assert.deepEqual(body.instances.instance, []);
      assert.equal(body.totalCount, 0);
      assert.deepEqual(await statusOf(ecs, [id]), [undefined], 'gone from DescribeInstanceStatus too');
    });

    test('DescribeDisks shows the kept disk Available/PostPaid/detached and not the others', async () => {
      const disks = await disksOf(ecs, { diskIds: JSON.stringify([keptDisk, droppedDisk, systemDisk]) });
      assert.deepEqual(disks.map(d => d.diskId), [keptDisk]);
      const d = disks[0];
      assert.equal(d.status, 'Available');
      assert.equal(d.diskChargeType, 'PostPaid');
      assert.ok(!d.instanceId, `InstanceId should be empty, got ${JSON.stringify(d.instanceId)}`);
      assert.equal(d.size, 20);
      assert.equal(d.type, 'data');
      assert.deepEqual(await disksOf(ecs, { instanceId: id }), [], 'no disk still claims the released instance');
    });

    test('DescribeSnapshots still shows the user snapshot, SourceDiskId = the kept disk', async () => {
      const r = await ecs.describeSnapshots(new $Ecs.DescribeSnapshotsRequest({ regionId: REGION, snapshotIds: JSON.stringify([snapshotId]) }));
      const snaps = r.body.snapshots.snapshot;
      assert.equal(snaps.length, 1);
      assert.ok(snaps[0] instanceof $Ecs.DescribeSnapshotsResponseBodySnapshotsSnapshot);
      assert.equal(snaps[0].snapshotId, snapshotId);
      assert.equal(snaps[0].sourceDiskId, keptDisk);
      assert.equal(snaps[0].snapshotType, 'user');
      assert.equal(snaps[0].sourceDiskType, 'data');
      const byDisk = await ecs.describeSnapshots(new $Ecs.DescribeSnapshotsRequest({ regionId: REGION, diskId: keptDisk }));
      assert.ok(byDisk.body.snapshots.snapshot.some(s => s.snapshotId === snapshotId), 'found by DiskId');
    });

    test('DeleteInstance again -> InvalidInstanceId.NotFound 404', async () => {
      const e = await failure(ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: id })));
      assertSdkError(e, 404, 'InvalidInstanceId.NotFound');
      const e2 = await failure(ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: id, force: true })));
      assertSdkError(e2, 404, 'InvalidInstanceId.NotFound');
    });
  });
}

describe('DeleteInstance / DeleteInstances preconditions, official SDK V3', () => {
  let ecs;
  before(() => { ecs = sdkClient(server); });

  test('Running without Force -> IncorrectInstanceStatus 403; DeleteInstances Force=true releases both', async () => {
    const ids = await runInstances(ecs, { amount: 2 });
    await waitStatus(ecs, ids, 'Running');

    const e = await failure(ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: ids[0] })));
    assertSdkError(e, 403, 'IncorrectInstanceStatus');
    const e2 = await failure(ecs.deleteInstances(new $Ecs.DeleteInstancesRequest({ regionId: REGION, instanceId: ids })));
    assertSdkError(e2, 403, 'IncorrectInstanceStatus');
    assert.deepEqual(await statusOf(ecs, ids), ['Running', 'Running'], 'refused releases leave both running');

    // DryRun checks the business limits too (API.md §5.2), and a request that
    // would succeed answers DryRunOperation 400, which the SDK throws.
    const e4 = await failure(ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: ids[0], dryRun: true })));
    assertSdkError(e4, 403, 'IncorrectInstanceStatus');
    const e5 = await failure(ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: ids[0], force: true, dryRun: true })));
    assertSdkError(e5, 400, 'DryRunOperation');
    assert.deepEqual(await statusOf(ecs, ids), ['Running', 'Running'], 'a DryRun releases nothing');

    const res = await ecs.deleteInstances(new $Ecs.DeleteInstancesRequest({ regionId: REGION, instanceId: ids, force: true }));
    assert.equal(res.statusCode, 200);
    assert.match(res.body.requestId, UUID_RE);
    await waitGone(ecs, ids);
    assert.deepEqual((await describeInstances(ecs, ids)).instances.instance, []);
    assert.deepEqual(await disksOf(ecs, { instanceId: ids[0] }), []);
    const e3 = await failure(ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: ids[1], force: true })));
    assertSdkError(e3, 404, 'InvalidInstanceId.NotFound');
  });

  test('an instance held in initialisation -> IncorrectInstanceStatus.Initializing 403', async () => {
    const [id] = await runInstances(ecs);
    await setState(server, id, { HoldInit: true });
    const [st] = await statusOf(ecs, [id]);
    assert.ok(['Pending', 'Starting'].includes(st), `held instance shows ${st}`);
    const e = await failure(ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: id })));
    assertSdkError(e, 403, 'IncorrectInstanceStatus.Initializing');
    const e2 = await failure(ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: id, force: true })));
    assertSdkError(e2, 403, 'IncorrectInstanceStatus.Initializing');
    assert.ok(['Pending', 'Starting'].includes((await statusOf(ecs, [id]))[0]), 'still there, still initialising');

    // let it finish starting, then it can go
    await setState(server, id, { HoldInit: false });
    await waitStatus(ecs, [id], 'Running');
    await ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: id, force: true }));
    await waitGone(ecs, [id]);
  });

  test('a security-locked instance releases even its DeleteWithInstance=false disk', async t => {
    const [id] = await runInstances(ecs, { dataDisks: [{ size: 20, deleteWithInstance: false }] });
    await waitStatus(ecs, [id], 'Running');
    const disks = await disksOf(ecs, { instanceId: id });
    assert.equal(disks.length, 2);
    const kept = disks.find(d => d.type === 'data');
    assert.equal(kept.deleteWithInstance, false);

    const st = await setState(server, id, { SecurityLock: true });
    assert.equal(st.SecurityLock, true);
    await t.test('DescribeInstances shows OperationLocks.LockReason security', async () => {
      const inst = (await describeInstances(ecs, [id])).instances.instance[0];
      assert.deepEqual(inst.operationLocks.lockReason.map(l => l.lockReason), ['security']);
    });

    const res = await ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: id, force: true }));
    assert.match(res.body.requestId, UUID_RE);
    await waitGone(ecs, [id]);
    assert.deepEqual(await disksOf(ecs, { diskIds: JSON.stringify(disks.map(d => d.diskId)) }), [],
      'every disk of a security-locked instance is released');
  });
});
