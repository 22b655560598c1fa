#!/usr/bin/env node
// release-walkthrough.mjs - releasing an ECS instance with the official
// Alibaba Cloud SDK for Node.js (@alicloud/ecs20140526, V3 signing), against
// a local ecsd.
//
//   build/ecsd --listen 127.0.0.1:8080 &          # development key built in
//   npm ci
//   node examples/release-walkthrough.mjs
//
// What it does: create an instance with a data disk that survives the
// instance (DeleteWithInstance=false), wait for Running, snapshot the data
// disk, stop the instance (wait for Stopped), release it, then show what
// remains: the kept disk (now Available, pay-as-you-go) and the snapshot.
//
// Environment (all optional):
//   ECSD_ENDPOINT           host:port of ecsd        (default 127.0.0.1:8080)
//   ECSD_ACCESS_KEY_ID      AccessKeyId              (default: ecsd's development key)
//   ECSD_ACCESS_KEY_SECRET  AccessKeySecret
//   ECSD_REGION             region                   (default cn-hangzhou)
//
// Against Alibaba Cloud itself the same code works with endpoint
// 'ecs.<region>.aliyuncs.com' and protocol 'https' (it creates billable
// resources there).
import ecs20140526 from '@alicloud/ecs20140526';
import * as $Ecs from '@alicloud/ecs20140526';
import { $OpenApiUtil } from '@alicloud/openapi-core';

const Ecs = ecs20140526.default;
const region = process.env.ECSD_REGION || 'cn-hangzhou';

const client = new Ecs(new $OpenApiUtil.Config({
  accessKeyId: process.env.ECSD_ACCESS_KEY_ID || 'LTAIecsdDevelopment1',
  accessKeySecret: process.env.ECSD_ACCESS_KEY_SECRET || 'ecsdDevelopmentSecret000000001',
  endpoint: process.env.ECSD_ENDPOINT || '127.0.0.1:8080',
  protocol: 'http',
  regionId: region,
  // signatureAlgorithm left unset: the SDK signs with ACS3-HMAC-SHA256 (V3)
}));

const sleep = ms => new Promise(r => setTimeout(r, ms));

// Polls DescribeInstanceStatus until the instance shows `want` (the SDK
// documents RunInstances and StopInstance as asynchronous).
async function waitForStatus(instanceId, want, timeoutMs = 120000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    const res = await client.describeInstanceStatus(new $Ecs.DescribeInstanceStatusRequest({
      regionId: region, instanceId: [instanceId],
    }));
    const status = res.body.instanceStatuses.instanceStatus.find(s => s.instanceId === instanceId)?.status;
    if (status !== last) console.log(`  ${instanceId}: ${status}`);
    last = status;
    if (status === want) return;
    if (Date.now() > deadline) throw new Error(`${instanceId} did not reach ${want} (last seen ${status})`);
    await sleep(500);
  }
}

async function main() {
  // 1. Create: RunInstances creates and starts the instance.
  console.log('RunInstances');
  const run = await client.runInstances(new $Ecs.RunInstancesRequest({
    regionId: region,
    imageId: 'aliyun_3_x64_20G_alibase_20240819.vhd',
    instanceType: 'ecs.g6.large',
    instanceName: 'release-walkthrough',
    systemDisk: new $Ecs.RunInstancesRequestSystemDisk({ category: 'cloud_essd', size: 40 }),
    dataDisk: [new $Ecs.RunInstancesRequestDataDisk({
      category: 'cloud_essd', size: 20, diskName: 'keep-me', deleteWithInstance: false,
    })],
  }));
  const instanceId = run.body.instanceIdSets.instanceIdSet[0];
  console.log(`  created ${instanceId}`);

  // 2. Wait for Running.
  await waitForStatus(instanceId, 'Running');

  const disks = await client.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: region, instanceId }));
  const dataDisk = disks.body.disks.disk.find(d => d.type === 'data');
  console.log(`  data disk ${dataDisk.diskId} (DeleteWithInstance=${dataDisk.deleteWithInstance})`);

  // 3. Snapshot the data disk.
  console.log('CreateSnapshot');
  const snap = await client.createSnapshot(new $Ecs.CreateSnapshotRequest({
    diskId: dataDisk.diskId, snapshotName: 'before-release',
  }));
  const snapshotId = snap.body.snapshotId;
  console.log(`  snapshot ${snapshotId}`);

  // 4. Stop, wait for Stopped.
  console.log('StopInstance');
  await client.stopInstance(new $Ecs.StopInstanceRequest({ instanceId }));
  await waitForStatus(instanceId, 'Stopped');

  // 5. Release. A Stopped instance needs no Force; the system disk goes with
  //    it, the data disk stays because DeleteWithInstance=false.
  console.log('DeleteInstance');
  try {
    await client.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId }));
  } catch (e) {
    // e.code / e.statusCode / e.data carry the service's answer, e.g.
    // InvalidOperation.DeletionProtection (403) on a protected instance.
    console.error(`  DeleteInstance failed: ${e.code} (HTTP ${e.statusCode}): ${e.data?.Message}`);
    throw e;
  }
  const after = await client.describeInstanceStatus(new $Ecs.DescribeInstanceStatusRequest({
    regionId: region, instanceId: [instanceId],
  }));
  console.log(`  ${instanceId}: released (${after.body.instanceStatuses.instanceStatus.length} status entries left)`);

  // 6. What remains.
  console.log('What remains');
  const kept = await client.describeDisks(new $Ecs.DescribeDisksRequest({
    regionId: region, diskIds: JSON.stringify([dataDisk.diskId]),
  }));
  for (const d of kept.body.disks.disk) {
    console.log(`  disk ${d.diskId}: ${d.status}, ${d.diskChargeType}, ${d.size} GiB, attached to "${d.instanceId ?? ''}"`);
  }
  const snaps = await client.describeSnapshots(new $Ecs.DescribeSnapshotsRequest({
    regionId: region, snapshotIds: JSON.stringify([snapshotId]),
  }));
  for (const s of snaps.body.snapshots.snapshot) {
    console.log(`  snapshot ${s.snapshotId}: ${s.status}, type ${s.snapshotType}, source disk ${s.sourceDiskId}`);
  }
  if (kept.body.disks.disk.length !== 1 || snaps.body.snapshots.snapshot.length !== 1) {
    throw new Error('expected the kept disk and the snapshot to remain');
  }
}

main().catch(e => {
  console.error(`release-walkthrough failed: ${e.code ? `${e.code} (HTTP ${e.statusCode}) ` : ''}${e.message}`);
  process.exit(1);
});
