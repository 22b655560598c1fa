// network-edge.test.mjs - issue 12: route entries and EIPs through the
// official VPC SDK (@alicloud/vpc20160428, V3 and v2), classic SLB through
// pop-core (apiVersion 2014-05-15), and DeleteInstance's two refusals that
// other products cause, reached only through public APIs and seen by both
// the official ECS SDK and pop-core: DependencyViolation.RouteEntry while a
// route entry's next hop is the instance, DependencyViolation.SLBConfiguring
// while a load balancer it serves is configuring (--slb-configuring-delay).
// The state is read back after each refusal and after the release.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  $Ecs, $Vpc, REGION, IMAGE, TYPE, startEcsd, sdkClient, vpcClient, popClient,
  failure, assertSdkError, assertPopError,
} from './helpers.mjs';

const SLB_DELAY = 1.5;
let server;
before(async () => { server = await startEcsd({ delay: 0, extra: ['--slb-configuring-delay', String(SLB_DELAY)] }); });
after(async () => { if (server) assert.equal(await server.stop(), 0, 'ecsd exit status'); });

// A VPC, a vSwitch, a security group and `amount` Running instances in them.
async function network(vpc, ecs, cidr, amount = 1) {
  const cv = await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: REGION, cidrBlock: cidr }));
  const vpcId = cv.body.vpcId;
  const cw = await vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId: REGION, vpcId, zoneId: 'cn-hangzhou-g', cidrBlock: cidr.replace(/\/\d+$/, '/24') }));
  const cs = await ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId: REGION, vpcId }));
  const run = await ecs.runInstances(new $Ecs.RunInstancesRequest({
    regionId: REGION, imageId: IMAGE, instanceType: TYPE, amount, zoneId: 'cn-hangzhou-g',
    vSwitchId: cw.body.vSwitchId, securityGroupId: cs.body.securityGroupId,
  }));
  return { vpcId, vtb: cv.body.routeTableId, vswId: cw.body.vSwitchId, ids: run.body.instanceIdSets.instanceIdSet };
}

async function instance(ecs, id) {
  const r = await ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: REGION, instanceIds: JSON.stringify([id]) }));
  return r.body.instances.instance[0];
}

for (const [label, signatureAlgorithm] of [['V3', undefined], ['v2', 'v2']]) {
  describe(`route entries and EIPs, official SDKs ${label}`, () => {
    test('CreateRouteEntry to an instance, DescribeRouteEntryList; DeleteInstance refused (SDK and pop-core) until DeleteRouteEntry; the EIP is unbound and kept', async () => {
      const vpc = vpcClient(server, { signatureAlgorithm });
      const ecs = sdkClient(server, { signatureAlgorithm });
      const pop = popClient(server);
      const net = await network(vpc, ecs, signatureAlgorithm ? '10.8.0.0/16' : '10.9.0.0/16');
      const [id] = net.ids;

      const ce = await vpc.createRouteEntry(new $Vpc.CreateRouteEntryRequest({ regionId: REGION, routeTableId: net.vtb, destinationCidrBlock: '192.168.10.0/24', nextHopType: 'Instance', nextHopId: id, routeEntryName: 'app' }));
      assert.equal(ce.statusCode, 200);
      const rte = ce.body.routeEntryId;
      assert.match(rte, /^rte-[0-9a-z]+$/);
      const dl = await vpc.describeRouteEntryList(new $Vpc.DescribeRouteEntryListRequest({ regionId: REGION, routeTableId: net.vtb }));
      const e = dl.body.routeEntrys.routeEntry;
      assert.equal(e.length, 1);
      assert.equal(e[0].routeEntryId, rte);
      assert.equal(e[0].status, 'Available');
      assert.equal(e[0].type, 'Custom');
      assert.equal(e[0].nextHops.nextHop[0].nextHopId, id);
      assertSdkError(await failure(vpc.createRouteEntry(new $Vpc.CreateRouteEntryRequest({ regionId: REGION, routeTableId: net.vtb, destinationCidrBlock: '192.168.10.0/24', nextHopId: id }))), 400, 'InvalidCIDRBlock.Duplicate');

      const al = await vpc.allocateEipAddress(new $Vpc.AllocateEipAddressRequest({ regionId: REGION, bandwidth: '5' }));
      const eip = al.body.allocationId;
      await vpc.associateEipAddress(new $Vpc.AssociateEipAddressRequest({ regionId: REGION, allocationId: eip, instanceId: id }));
      const de = await vpc.describeEipAddresses(new $Vpc.DescribeEipAddressesRequest({ regionId: REGION, allocationId: eip }));
      assert.equal(de.body.eipAddresses.eipAddress[0].status, 'InUse');
      assert.equal(de.body.eipAddresses.eipAddress[0].instanceId, id);
      assert.equal((await instance(ecs, id)).eipAddress.allocationId, eip);
      assertSdkError(await failure(vpc.releaseEipAddress(new $Vpc.ReleaseEipAddressRequest({ regionId: REGION, allocationId: eip }))), 400, 'IncorrectEipStatus');

      // the refusal, through the official SDK and through pop-core; nothing changes
      assertSdkError(await failure(ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: id, force: true }))), 400, 'DependencyViolation.RouteEntry');
      assertPopError(await failure(pop.request('DeleteInstance', { InstanceId: id, Force: true }, { method: 'POST' })), 400, 'DependencyViolation.RouteEntry');
      assertSdkError(await failure(ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: id, force: true, dryRun: true }))), 400, 'DependencyViolation.RouteEntry');
      assert.equal((await instance(ecs, id)).status, 'Running');
      assert.equal((await vpc.describeRouteEntryList(new $Vpc.DescribeRouteEntryListRequest({ regionId: REGION, routeTableId: net.vtb }))).body.routeEntrys.routeEntry.length, 1);
      assert.equal((await vpc.describeEipAddresses(new $Vpc.DescribeEipAddressesRequest({ regionId: REGION, allocationId: eip }))).body.eipAddresses.eipAddress[0].status, 'InUse');

      await vpc.deleteRouteEntry(new $Vpc.DeleteRouteEntryRequest({ regionId: REGION, routeEntryId: rte }));
      assert.equal((await vpc.describeRouteEntryList(new $Vpc.DescribeRouteEntryListRequest({ regionId: REGION, routeTableId: net.vtb }))).body.routeEntrys.routeEntry.length, 0);
      const del = await ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: id, force: true }));
      assert.equal(del.statusCode, 200);
      assert.equal(await instance(ecs, id), undefined);
      const after = (await vpc.describeEipAddresses(new $Vpc.DescribeEipAddressesRequest({ regionId: REGION, allocationId: eip }))).body.eipAddresses.eipAddress[0];
      assert.equal(after.status, 'Available');
      assert.equal(after.instanceId, '');
      await vpc.releaseEipAddress(new $Vpc.ReleaseEipAddressRequest({ regionId: REGION, allocationId: eip }));
      assert.equal((await vpc.describeEipAddresses(new $Vpc.DescribeEipAddressesRequest({ regionId: REGION, allocationId: eip }))).body.totalCount, 0);
      assertSdkError(await failure(vpc.releaseEipAddress(new $Vpc.ReleaseEipAddressRequest({ regionId: REGION, allocationId: eip }))), 404, 'InvalidAllocationId.NotFound');
    });
  });
}

describe('VPC tags, official SDK', () => {
  test('TagResources, ListTagResources, UnTagResources on a VPC', async () => {
    const vpc = vpcClient(server);
    const cv = await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: REGION, cidrBlock: '10.0.0.0/8' }));
    const id = cv.body.vpcId;
    await vpc.tagResources(new $Vpc.TagResourcesRequest({ regionId: REGION, resourceType: 'VPC', resourceId: [id], tag: [new $Vpc.TagResourcesRequestTag({ key: 'env', value: 'sdk' })] }));
    const l = await vpc.listTagResources(new $Vpc.ListTagResourcesRequest({ regionId: REGION, resourceType: 'VPC', resourceId: [id] }));
    assert.deepEqual(l.body.tagResources.tagResource.map(t => [t.resourceId, t.resourceType, t.tagKey, t.tagValue]), [[id, 'VPC', 'env', 'sdk']]);
    await vpc.unTagResources(new $Vpc.UnTagResourcesRequest({ regionId: REGION, resourceType: 'VPC', resourceId: [id], tagKey: ['env'] }));
    const l2 = await vpc.listTagResources(new $Vpc.ListTagResourcesRequest({ regionId: REGION, resourceType: 'VPC', resourceId: [id] }));
    assert.deepEqual(l2.body.tagResources.tagResource, []);
  });
});

describe('classic SLB through pop-core (apiVersion 2014-05-15)', () => {
  test('a load balancer in a vSwitch, backends added, set and removed; DeleteInstance of a backend refused while configuring (SDK and pop-core), then released and gone from the backends', async () => {
    const vpc = vpcClient(server);
    const ecs = sdkClient(server);
    const pop = popClient(server);
    const slb = popClient(server, { apiVersion: '2014-05-15' });
    const net = await network(vpc, ecs, '10.7.0.0/16', 2);
    const [a, b] = net.ids;
    const post = { method: 'POST' };

    const cl = await slb.request('CreateLoadBalancer', { RegionId: REGION, VSwitchId: net.vswId, LoadBalancerName: 'web' }, post);
    assert.match(cl.LoadBalancerId, /^lb-[0-9a-z]+$/);
    assert.equal(cl.NetworkType, 'vpc');
    assert.equal(cl.VpcId, net.vpcId);
    const lb = cl.LoadBalancerId;
    const add = await slb.request('AddBackendServers', { RegionId: REGION, LoadBalancerId: lb, BackendServers: JSON.stringify([{ ServerId: a, Weight: '100' }, { ServerId: b, Weight: 50 }]) }, post);
    assert.deepEqual(add.BackendServers.BackendServer.map(s => [s.ServerId, s.Weight]), [[a, 100], [b, 50]]);
    assertPopError(await failure(slb.request('SetBackendServers', { RegionId: REGION, LoadBalancerId: lb, BackendServers: JSON.stringify([{ ServerId: b, Weight: '10' }]) }, post)), 400, 'ServiceIsConfiguring');

    // configuring: both SDKs are refused, nothing changes
    assertSdkError(await failure(ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: a, force: true }))), 400, 'DependencyViolation.SLBConfiguring');
    assertPopError(await failure(pop.request('DeleteInstances', { RegionId: REGION, InstanceId: [a], Force: true }, post)), 400, 'DependencyViolation.SLBConfiguring');
    assertPopError(await failure(pop.request('DeleteInstance', { InstanceId: a, Force: true }, post)), 400, 'DependencyViolation.SLBConfiguring');
    assert.equal((await instance(ecs, a)).status, 'Running');
    const attr = await slb.request('DescribeLoadBalancerAttribute', { RegionId: REGION, LoadBalancerId: lb }, post);
    assert.deepEqual(attr.BackendServers.BackendServer.map(s => s.ServerId), [a, b]);

    await new Promise(r => setTimeout(r, SLB_DELAY * 1000 + 300));
    const set = await slb.request('SetBackendServers', { RegionId: REGION, LoadBalancerId: lb, BackendServers: `[{'ServerId':'${b}','Weight':'10'}]` }, post);
    assert.equal(set.BackendServers.BackendServer.find(s => s.ServerId === b).Weight, 10);
    await new Promise(r => setTimeout(r, SLB_DELAY * 1000 + 300));

    const del = await ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: a, force: true }));
    assert.equal(del.statusCode, 200);
    assert.equal(await instance(ecs, a), undefined);
    const attr2 = await slb.request('DescribeLoadBalancerAttribute', { RegionId: REGION, LoadBalancerId: lb }, post);
    assert.deepEqual(attr2.BackendServers.BackendServer.map(s => s.ServerId), [b]);
    const list = await slb.request('DescribeLoadBalancers', { RegionId: REGION, ServerId: a }, post);
    assert.equal(list.TotalCount, 0);

    const rm = await slb.request('RemoveBackendServers', { RegionId: REGION, LoadBalancerId: lb, BackendServers: JSON.stringify([{ ServerId: b }]) }, post);
    assert.deepEqual(rm.BackendServers.BackendServer, []);
    await slb.request('SetLoadBalancerDeleteProtection', { RegionId: REGION, LoadBalancerId: lb, DeleteProtection: 'on' }, post);
    assertPopError(await failure(slb.request('DeleteLoadBalancer', { RegionId: REGION, LoadBalancerId: lb }, post)), 400, 'OperationDenied.DeleteProtectionIsOn');
    await slb.request('SetLoadBalancerDeleteProtection', { RegionId: REGION, LoadBalancerId: lb, DeleteProtection: 'off' }, post);
    await slb.request('DeleteLoadBalancer', { RegionId: REGION, LoadBalancerId: lb }, post);
    assertPopError(await failure(slb.request('DescribeLoadBalancerAttribute', { RegionId: REGION, LoadBalancerId: lb }, post)), 404, 'InvalidLoadBalancerId.NotFound');
  });
});
