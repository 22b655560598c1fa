// release-popcore.test.mjs - issue 3 through the legacy Node client
// @alicloud/pop-core 1.8 (RPC, HMAC-SHA1, Format=JSON): the same release
// walkthrough as release-sdk.test.mjs, alternating GET (pop-core's default,
// everything in the query) and POST (everything, Signature included, in a
// form body). pop-core hands back the raw JSON, so the checks read the wire
// names (Instances.Instance[0].Status, ...). Spec API.md §3.2, §5-§7.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  REGION, IMAGE, TYPE, UUID_RE, startEcsd, popClient, failure, assertPopError,
  pollUntil, setState, uniqueName,
} from './helpers.mjs';

let server, pop;
before(async () => { server = await startEcsd({ delay: 0.3 }); pop = popClient(server); });
after(async () => { if (server) assert.equal(await server.stop(), 0, 'ecsd exit status'); });

const GET = { method: 'GET' };
const POST = { method: 'POST' };

async function runInstances({ amount = 1, dataDisks = [], opts = POST } = {}) {
  const res = await pop.request('RunInstances', {
    RegionId: REGION, ImageId: IMAGE, InstanceType: TYPE, InstanceName: uniqueName('pop'), Amount: amount,
    'SystemDisk.Category': 'cloud_essd', 'SystemDisk.Size': 40,
    // pop-core flattens arrays of objects into DataDisk.1.Size, ...
    DataDisk: dataDisks.map(d => ({ Category: 'cloud_essd', ...d })),
  }, opts);
  assert.match(res.RequestId, UUID_RE);
  const ids = res.InstanceIdSets.InstanceIdSet;
  assert.equal(ids.length, amount);
  return ids;
}

async function statusOf(ids, opts = GET) {
  // InstanceId is a RepeatList: pop-core sends InstanceId.1, InstanceId.2
  const res = await pop.request('DescribeInstanceStatus', { RegionId: REGION, InstanceId: ids, PageSize: 50 }, opts);
  return ids.map(id => res.InstanceStatuses.InstanceStatus.find(s => s.InstanceId === id)?.Status);
}

const waitStatus = (ids, want) => pollUntil(() => statusOf(ids), s => s.every(x => x === want), { what: `${ids} ${want}` });

async function describeInstances(ids, opts = GET) {
  return pop.request('DescribeInstances', { RegionId: REGION, InstanceIds: JSON.stringify(ids), PageSize: 100 }, opts);
}

async function disks(params, opts = GET) {
  return (await pop.request('DescribeDisks', { RegionId: REGION, PageSize: 100, ...params }, opts)).Disks.Disk;
}

async function waitGone(ids) {
  const seen = await pollUntil(async () => (await describeInstances(ids)).Instances.Instance.map(i => i.Status),
    l => l.length === 0, { what: `${ids} released` });
  for (const s of seen.flat()) assert.ok(['Pending', 'Running', 'Stopped', 'Stopping'].includes(s), `status ${s} while releasing`);
}

describe('release walkthrough, pop-core', () => {
  let id, keptDisk, droppedDisk, systemDisk, snapshotId, createdAt;

  test('RunInstances (POST) with a kept and a dropped data disk', async () => {
    createdAt = Date.now();
    [id] = await runInstances({
      dataDisks: [
        { Size: 20, DiskName: 'kept', DeleteWithInstance: false },
        { Size: 30, DiskName: 'dropped', DeleteWithInstance: true },
      ],
    });
  });

  test('wait for Running by polling DescribeInstanceStatus (GET)', async () => {
    const [first] = await statusOf([id]);
    if (Date.now() - createdAt < 500) assert.notEqual(first, 'Running', 'a fresh instance is not Running at once');
    const seen = [first, ...(await waitStatus([id], 'Running')).map(s => s[0])];
    for (const s of seen) assert.ok(['Pending', 'Starting', 'Running'].includes(s), `unexpected status ${s}`);
  });

  test('DescribeInstances (GET and POST) shows it Running, wrapped lists as the spec says', async () => {
    for (const opts of [GET, POST]) {
      const res = await describeInstances([id], opts);
      assert.equal(res.TotalCount, 1);
      const inst = res.Instances.Instance[0];
      assert.equal(inst.InstanceId, id);
      assert.equal(inst.Status, 'Running');
      assert.equal(inst.InstanceChargeType, 'PostPaid');
      assert.equal(inst.DeletionProtection, false);
      assert.deepEqual(inst.OperationLocks.LockReason, []);
      // API.md §3.2: one container object holding one array
      assert.ok(Array.isArray(inst.SecurityGroupIds.SecurityGroupId), 'SecurityGroupIds.SecurityGroupId[]');
      assert.ok(Array.isArray(inst.PublicIpAddress.IpAddress), `PublicIpAddress.IpAddress[]: ${JSON.stringify(inst.PublicIpAddress)}`);
      assert.ok(Array.isArray(inst.InnerIpAddress.IpAddress), `InnerIpAddress.IpAddress[]: ${JSON.stringify(inst.InnerIpAddress)}`);
      assert.ok(Array.isArray(inst.VpcAttributes.PrivateIpAddress.IpAddress), `VpcAttributes.PrivateIpAddress.IpAddress[]: ${JSON.stringify(inst.VpcAttributes.PrivateIpAddress)}`);
    }
  });

  test('DescribeDisks (POST) lists three disks In_use', async () => {
    const list = await disks({ InstanceId: id }, POST);
    assert.equal(list.length, 3);
    for (const d of list) { assert.equal(d.Status, 'In_use'); assert.equal(d.InstanceId, id); }
    const kept = list.find(d => d.Type === 'data' && d.Size === 20);
    const dropped = list.find(d => d.Type === 'data' && d.Size === 30);
    const sys = list.find(d => d.Type === 'system');
    assert.equal(kept.DeleteWithInstance, false);
    assert.equal(dropped.DeleteWithInstance, true);
    assert.equal(sys.DeleteWithInstance, true);
    keptDisk = kept.DiskId; droppedDisk = dropped.DiskId; systemDisk = sys.DiskId;
  });

  test('StopInstance (GET), wait for Stopped', async () => {
    const res = await pop.request('StopInstance', { InstanceId: id }, GET);
    assert.match(res.RequestId, UUID_RE);
    const seen = (await waitStatus([id], 'Stopped')).map(s => s[0]);
    for (const s of seen) assert.ok(['Running', 'Stopping', 'Stopped'].includes(s), `unexpected status ${s}`);
  });

  test('CreateSnapshot (POST) of the kept disk, wait until accomplished', async () => {
    snapshotId = (await pop.request('CreateSnapshot', { DiskId: keptDisk, SnapshotName: 'pop-before-release' }, POST)).SnapshotId;
    assert.match(snapshotId, /^s-[0-9a-z]+$/);
    await pollUntil(async () => (await pop.request('DescribeSnapshots', { RegionId: REGION, SnapshotIds: JSON.stringify([snapshotId]) })).Snapshots.Snapshot[0]?.Status,
      s => s === 'accomplished', { what: 'snapshot accomplished' });
  });

  test('DeletionProtection=true -> InvalidOperation.DeletionProtection 403 (GET and POST)', async () => {
    await pop.request('ModifyInstanceAttribute', { InstanceId: id, DeletionProtection: true }, POST);
    assert.equal((await describeInstances([id])).Instances.Instance[0].DeletionProtection, true);
    for (const opts of [GET, POST]) {
      const e = await failure(pop.request('DeleteInstance', { InstanceId: id }, opts));
      assertPopError(e, 403, 'InvalidOperation.DeletionProtection');
    }
    assert.deepEqual(await statusOf([id]), ['Stopped']);
  });

  test('DeletionProtection=false -> DeleteInstance (GET) succeeds', async () => {
    await pop.request('ModifyInstanceAttribute', { InstanceId: id, DeletionProtection: false }, GET);
    assert.equal((await describeInstances([id], POST)).Instances.Instance[0].DeletionProtection, false);
    const res = await pop.request('DeleteInstance', { InstanceId: id }, GET);
    assert.match(res.RequestId, UUID_RE);
  });

  test('afterwards DescribeInstances returns an empty list', async () => {
    await waitGone([id]);
    const res = await describeInstances([id]);
    assert.deepEqual(res.Instances.Instance, []);
    assert.equal(res.TotalCount, 0);
  });

  test('DescribeDisks shows only the kept disk, Available and PostPaid', async () => {
    const list = await disks({ DiskIds: JSON.stringify([keptDisk, droppedDisk, systemDisk]) });
    assert.deepEqual(list.map(d => d.DiskId), [keptDisk]);
    assert.equal(list[0].Status, 'Available');
    assert.equal(list[0].DiskChargeType, 'PostPaid');
    assert.equal(list[0].InstanceId, '');
    assert.deepEqual(await disks({ InstanceId: id }, POST), []);
  });

  test('DescribeSnapshots still shows the user snapshot, SourceDiskId = the kept disk', async () => {
    const res = await pop.request('DescribeSnapshots', { RegionId: REGION, SnapshotIds: JSON.stringify([snapshotId]) }, POST);
    assert.equal(res.Snapshots.Snapshot.length, 1);
    const s = res.Snapshots.Snapshot[0];
    assert.equal(s.SnapshotId, snapshotId);
    assert.equal(s.SourceDiskId, keptDisk);
    assert.equal(s.SnapshotType, 'user');
  });

  test('DeleteInstance again -> InvalidInstanceId.NotFound 404 (GET and POST)', async () => {
    for (const opts of [GET, POST]) {
      const e = await failure(pop.request('DeleteInstance', { InstanceId: id, Force: true }, opts));
      assertPopError(e, 404, 'InvalidInstanceId.NotFound');
    }
  });
});

describe('DeleteInstance / DeleteInstances preconditions, pop-core', () => {
  test('Running without Force -> IncorrectInstanceStatus 403; DeleteInstances Force=true releases both', async () => {
    const ids = await runInstances({ amount: 2, opts: GET });
    await waitStatus(ids, 'Running');
    assertPopError(await failure(pop.request('DeleteInstance', { InstanceId: ids[1] }, POST)), 403, 'IncorrectInstanceStatus');
    assertPopError(await failure(pop.request('DeleteInstances', { RegionId: REGION, InstanceId: ids }, GET)), 403, 'IncorrectInstanceStatus');
    assert.deepEqual(await statusOf(ids), ['Running', 'Running']);
    // InstanceId is a RepeatList: InstanceId.1, InstanceId.2
    const res = await pop.request('DeleteInstances', { RegionId: REGION, InstanceId: ids, Force: true }, POST);
    assert.match(res.RequestId, UUID_RE);
    await waitGone(ids);
    assert.deepEqual(await statusOf(ids), [undefined, undefined]);
  });

  test('held in initialisation -> IncorrectInstanceStatus.Initializing 403', async () => {
    const [id] = await runInstances();
    await setState(server, id, { HoldInit: true });
    for (const opts of [GET, POST]) {
      const e = await failure(pop.request('DeleteInstance', { InstanceId: id, Force: true }, opts));
      assertPopError(e, 403, 'IncorrectInstanceStatus.Initializing');
    }
    await setState(server, id, { HoldInit: false });
    await waitStatus([id], 'Running');
    await pop.request('DeleteInstance', { InstanceId: id, Force: true }, POST);
    await waitGone([id]);
  });

  test('security lock -> the release drops even a DeleteWithInstance=false disk', async () => {
    const [id] = await runInstances({ dataDisks: [{ Size: 20, DeleteWithInstance: false }] });
    await waitStatus([id], 'Running');
    const all = await disks({ InstanceId: id });
    assert.equal(all.find(d => d.Type === 'data').DeleteWithInstance, false);
    await setState(server, id, { SecurityLock: true });
    assert.deepEqual((await describeInstances([id])).Instances.Instance[0].OperationLocks.LockReason.map(l => l.LockReason), ['security']);
    await pop.request('DeleteInstance', { InstanceId: id, Force: true }, GET);
    await waitGone([id]);
    assert.deepEqual(await disks({ DiskIds: JSON.stringify(all.map(d => d.DiskId)) }), []);
  });
});
