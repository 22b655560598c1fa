// ecsres-sdk.test.mjs - issue 13 (catalog, DeleteDisk/DeleteSnapshot, key
// pairs, tags, scheduled release) through the official TypeScript SDK
// (@alicloud/ecs20140526, V3 signing and again with signatureAlgorithm
// 'v2'): every new Action once, its answer read from the SDK's models, and
// an error code through the SDK's error object.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { $Ecs, REGION, IMAGE, TYPE, startEcsd, sdkClient, failure, assertSdkError, ctl } from './helpers.mjs';

let server;
before(async () => { server = await startEcsd({ delay: 0 }); });
after(async () => { if (server) assert.equal(await server.stop(), 0, 'ecsd exit status'); });

const PUB = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDxd8fujHmFqu0VXDnua+z3QaEyv6HOQle10vYcXNjijt2wil4tDQ8XY4W6DA0mK/3Y2EIFhPwEzka9BcrDfwwe/JefRiPj4hXzOl/vsjiTxZEGA2H7PRtAt/BsWNvBeiWa9RvPtgYTlZ5crOixP7wuUeQOJnlFVXx/bss1VW/EqG8llzmpMXE/NE5HJH1RI68pjIgJ6W92h/QZAQHo+FGqgzH55FrTStOD1s9fjL+SozHE9Oy5fJD/4gm4HoMEmdHtUJrqL4MStjs/4/bEKaLiUuqGsqBmSEgNmBIKV2XRFud4R3u+gZSf4X+87iYZ5bzei6DshAgJ/kZG12mw0z1B';

for (const [label, signatureAlgorithm] of [['V3', undefined], ['v2 (HMAC-SHA1)', 'v2']]) {
  describe(`issue 13 Actions through the SDK, ${label}`, () => {
    let ecs;
    const sfx = signatureAlgorithm ? 'v2' : 'v3';
    before(() => { ecs = sdkClient(server, { signatureAlgorithm }); });

    test('catalog: DescribeZones, DescribeAvailableResource, DescribeInstanceTypes, DescribeInstanceTypeFamilies, DescribeImages', async () => {
      const z = (await ecs.describeZones(new $Ecs.DescribeZonesRequest({ regionId: REGION, instanceChargeType: 'PostPaid' }))).body;
      assert.equal(z.zones.zone.length, 5);
      assert.ok(z.zones.zone[0].availableInstanceTypes.instanceTypes.includes(TYPE));
      assert.ok(z.zones.zone[0].availableDiskCategories.diskCategories.includes('cloud_essd'));
      assert.ok(z.zones.zone[0].availableResourceCreation.resourceTypes.includes('Instance'));
      const ar = (await ecs.describeAvailableResource(new $Ecs.DescribeAvailableResourceRequest({
        regionId: REGION, destinationResource: 'InstanceType', zoneId: 'cn-hangzhou-h', cores: 2, memory: 8 }))).body;
      const sup = ar.availableZones.availableZone[0].availableResources.availableResource[0].supportedResources.supportedResource;
      assert.deepEqual(sup.map(s => s.value), ['ecs.g6.large', 'ecs.g7.large', 'ecs.g8i.large', 'ecs.t5-lc1m4.large', 'ecs.t6-c1m4.large']);
      const it = (await ecs.describeInstanceTypes(new $Ecs.DescribeInstanceTypesRequest({ instanceTypes: ['ecs.t5-lc2m1.nano', 'ecs.r7.2xlarge'] }))).body;
      assert.deepEqual(it.instanceTypes.instanceType.map(t => [t.instanceTypeId, t.cpuCoreCount, t.memorySize]),
        [['ecs.r7.2xlarge', 8, 64], ['ecs.t5-lc2m1.nano', 1, 0.5]]);
      assert.equal(it.nextToken, '');
      const fam = (await ecs.describeInstanceTypeFamilies(new $Ecs.DescribeInstanceTypeFamiliesRequest({ regionId: REGION, generation: 'ecs-6' }))).body;
      assert.deepEqual(fam.instanceTypeFamilies.instanceTypeFamily.map(f => f.instanceTypeFamilyId), ['ecs.g8i']);
      const im = (await ecs.describeImages(new $Ecs.DescribeImagesRequest({ regionId: REGION, imageOwnerAlias: 'system', imageName: 'ubuntu', pageSize: 50 }))).body;
      assert.equal(im.totalCount, 3);
      assert.ok(im.images.image.every(i => i.OSType === 'linux' && i.imageOwnerAlias === 'system' && i.isPublic === true));
      assert.match(im.images.image[0].creationTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      const e = await failure(ecs.describeAvailableResource(new $Ecs.DescribeAvailableResourceRequest({ regionId: REGION, destinationResource: 'Nope' })));
      assertSdkError(e, 404, 'Invalid.DestinationResource');
    });

    test('DeleteDisk and DeleteSnapshot', async () => {
      const d = (await ecs.createDisk(new $Ecs.CreateDiskRequest({ regionId: REGION, zoneId: 'cn-hangzhou-h', size: 20, diskCategory: 'cloud_essd',
        tag: [new $Ecs.CreateDiskRequestTag({ key: 'sdk', value: sfx })] }))).body.diskId;
      const run = (await ecs.runInstances(new $Ecs.RunInstancesRequest({ regionId: REGION, imageId: IMAGE, instanceType: TYPE, zoneId: 'cn-hangzhou-h' }))).body;
      const id = run.instanceIdSets.instanceIdSet[0];
      await ecs.attachDisk(new $Ecs.AttachDiskRequest({ diskId: d, instanceId: id }));
      const s = (await ecs.createSnapshot(new $Ecs.CreateSnapshotRequest({ diskId: d }))).body.snapshotId;
      assertSdkError(await failure(ecs.deleteDisk(new $Ecs.DeleteDiskRequest({ diskId: d }))), 403, 'IncorrectDiskStatus');
      await ecs.detachDisk(new $Ecs.DetachDiskRequest({ diskId: d, instanceId: id }));
      assert.equal((await ecs.deleteDisk(new $Ecs.DeleteDiskRequest({ diskId: d }))).statusCode, 200);
      assert.equal((await ecs.deleteSnapshot(new $Ecs.DeleteSnapshotRequest({ snapshotId: s, force: false }))).statusCode, 200);
      const disks = (await ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: REGION, diskIds: JSON.stringify([d]) }))).body;
      assert.equal(disks.totalCount, 0);
      await ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: id, force: true }));
    });

    test('key pairs: CreateKeyPair, ImportKeyPair, DescribeKeyPairs, DeleteKeyPairs; KeyPairName on RunInstances', async () => {
      const c = (await ecs.createKeyPair(new $Ecs.CreateKeyPairRequest({ regionId: REGION, keyPairName: 'sdk-' + sfx }))).body;
      assert.match(c.privateKeyBody, /^-----BEGIN PRIVATE KEY-----\n/);
      assert.match(c.keyPairFingerPrint, /^[0-9a-f]{32}$/);
      const i = (await ecs.importKeyPair(new $Ecs.ImportKeyPairRequest({ regionId: REGION, keyPairName: 'imp-' + sfx, publicKeyBody: PUB }))).body;
      assert.equal(i.keyPairFingerPrint, 'a0e948bd687d0c32d5da41c06cb06174');
      const run = (await ecs.runInstances(new $Ecs.RunInstancesRequest({ regionId: REGION, imageId: IMAGE, instanceType: TYPE, keyPairName: 'imp-' + sfx }))).body;
      const id = run.instanceIdSets.instanceIdSet[0];
      const inst = (await ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: REGION, instanceIds: JSON.stringify([id]) }))).body;
      assert.equal(inst.instances.instance[0].keyPairName, 'imp-' + sfx);
      const l = (await ecs.describeKeyPairs(new $Ecs.DescribeKeyPairsRequest({ regionId: REGION, keyPairName: '*-' + sfx, includePublicKey: true }))).body;
      assert.deepEqual(l.keyPairs.keyPair.map(k => k.keyPairName).sort(), ['imp-' + sfx, 'sdk-' + sfx]);
      assert.equal(l.keyPairs.keyPair.find(k => k.keyPairName === 'imp-' + sfx).publicKey, PUB);
      assertSdkError(await failure(ecs.deleteKeyPairs(new $Ecs.DeleteKeyPairsRequest({ regionId: REGION, keyPairNames: JSON.stringify(['imp-' + sfx]) }))),
        403, 'DependencyViolation.KeyPair');
      await ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: id, force: true }));
      await ecs.deleteKeyPairs(new $Ecs.DeleteKeyPairsRequest({ regionId: REGION, keyPairNames: JSON.stringify(['imp-' + sfx, 'sdk-' + sfx]) }));
      const after = (await ecs.describeKeyPairs(new $Ecs.DescribeKeyPairsRequest({ regionId: REGION, keyPairName: '*-' + sfx }))).body;
      assert.equal(after.totalCount, 0);
    });

    test('tags: TagResources, ListTagResources, UntagResources, DescribeTags', async () => {
      const run = (await ecs.runInstances(new $Ecs.RunInstancesRequest({ regionId: REGION, imageId: IMAGE, instanceType: TYPE,
        tag: [new $Ecs.RunInstancesRequestTag({ key: 'env', value: sfx })] }))).body;
      const id = run.instanceIdSets.instanceIdSet[0];
      await ecs.tagResources(new $Ecs.TagResourcesRequest({ regionId: REGION, resourceType: 'instance', resourceId: [id],
        tag: [new $Ecs.TagResourcesRequestTag({ key: 'app', value: 'web' })] }));
      const lt = (await ecs.listTagResources(new $Ecs.ListTagResourcesRequest({ regionId: REGION, resourceType: 'instance', resourceId: [id] }))).body;
      assert.deepEqual(lt.tagResources.tagResource.map(t => [t.resourceId, t.tagKey, t.tagValue]), [[id, 'env', sfx], [id, 'app', 'web']]);
      const dt = (await ecs.describeTags(new $Ecs.DescribeTagsRequest({ regionId: REGION, resourceType: 'instance', resourceId: id }))).body;
      assert.equal(dt.tags.tag.length, 2);
      const f = (await ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: REGION,
        tag: [new $Ecs.DescribeInstancesRequestTag({ key: 'env', value: sfx })] }))).body;
      assert.deepEqual(f.instances.instance.map(x => x.instanceId), [id]);
      assert.deepEqual(f.instances.instance[0].tags.tag.map(t => t.tagKey), ['env', 'app']);
      await ecs.untagResources(new $Ecs.UntagResourcesRequest({ regionId: REGION, resourceType: 'instance', resourceId: [id], tagKey: ['env'] }));
      const a = (await ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: id }))).body;
      assert.equal(a.instanceId, id);
      const lt2 = (await ecs.listTagResources(new $Ecs.ListTagResourcesRequest({ regionId: REGION, resourceType: 'instance', resourceId: [id] }))).body;
      assert.deepEqual(lt2.tagResources.tagResource.map(t => t.tagKey), ['app']);
      assertSdkError(await failure(ecs.tagResources(new $Ecs.TagResourcesRequest({ regionId: REGION, resourceType: 'instance', resourceId: ['i-nosuch0000000000000'],
        tag: [new $Ecs.TagResourcesRequestTag({ key: 'a', value: 'b' })] }))), 404, 'InvalidResourceId.NotFound');
      await ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: id, force: true }));
    });

    test('ModifyInstanceAutoReleaseTime: scheduled, shown, released when due even with deletion protection', async () => {
      const run = (await ecs.runInstances(new $Ecs.RunInstancesRequest({ regionId: REGION, imageId: IMAGE, instanceType: TYPE, deletionProtection: true }))).body;
      const id = run.instanceIdSets.instanceIdSet[0];
      const at = new Date(Date.now() + 2 * 3600 * 1000);
      at.setUTCSeconds(0, 0);
      const iso = at.toISOString().replace(/\.000Z$/, 'Z');
      await ecs.modifyInstanceAutoReleaseTime(new $Ecs.ModifyInstanceAutoReleaseTimeRequest({ regionId: REGION, instanceId: id, autoReleaseTime: iso }));
      const d = (await ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: REGION, instanceIds: JSON.stringify([id]) }))).body;
      assert.equal(d.instances.instance[0].autoReleaseTime, iso.replace(/:00Z$/, 'Z'));
      assertSdkError(await failure(ecs.modifyInstanceAutoReleaseTime(new $Ecs.ModifyInstanceAutoReleaseTimeRequest({ instanceId: id, autoReleaseTime: '2001-01-01T00:00:00Z' }))),
        400, 'InvalidAutoReleaseTime.Malformed');
      const r = await ctl(server, 'POST', '/auto-release/run', { Now: at.getTime() });
      assert.equal(r.json.Released, 1);
      const gone = (await ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: REGION, instanceIds: JSON.stringify([id]) }))).body;
      assert.equal(gone.instances.instance.length, 0);
    });
  });
}
