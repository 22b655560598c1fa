// ecs-network-sdk.test.mjs - issue 13: the official ECS SDK
// (@alicloud/ecs20140526, V3 by default and v2) calls every new ECS
// network Action - security groups with their rules and members, network
// interfaces - and RunInstances into a vSwitch, and reads the network
// fields of DescribeInstances with the types its models declare.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { $Ecs, $Vpc, REGION, IMAGE, TYPE, startEcsd, sdkClient, vpcClient, failure, assertSdkError } from './helpers.mjs';

let server;
before(async () => { server = await startEcsd({ delay: 0 }); });
after(async () => { if (server) assert.equal(await server.stop(), 0, 'ecsd exit status'); });

for (const [label, signatureAlgorithm] of [['V3 ACS3-HMAC-SHA256 (default)', undefined], ['signatureAlgorithm v2 (HMAC-SHA1)', 'v2']]) {
  describe(`official SDK @alicloud/ecs20140526 network Actions, ${label}`, () => {
    test('VPC, vSwitch, group with rules, instance, ENI, and back', async () => {
      const vpc = vpcClient(server, { signatureAlgorithm });
      const ecs = sdkClient(server, { signatureAlgorithm });
      const { body: v } = await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: REGION, cidrBlock: '10.0.0.0/8' }));
      const { body: w } = await vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId: REGION, vpcId: v.vpcId, zoneId: 'cn-hangzhou-g', cidrBlock: '10.0.0.0/24' }));

      const cs = await ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId: REGION, vpcId: v.vpcId, securityGroupName: 'sdk-sg', description: 'made by the SDK' }));
      const sg = cs.body.securityGroupId;
      assert.match(sg, /^sg-[0-9a-z]{20}$/);
      await ecs.authorizeSecurityGroup(new $Ecs.AuthorizeSecurityGroupRequest({ regionId: REGION, securityGroupId: sg,
        permissions: [new $Ecs.AuthorizeSecurityGroupRequestPermissions({ ipProtocol: 'tcp', portRange: '22/22', sourceCidrIp: '0.0.0.0/0', priority: '1', policy: 'accept' })] }));
      await ecs.authorizeSecurityGroupEgress(new $Ecs.AuthorizeSecurityGroupEgressRequest({ regionId: REGION, securityGroupId: sg,
        permissions: [new $Ecs.AuthorizeSecurityGroupEgressRequestPermissions({ ipProtocol: 'all', portRange: '-1/-1', destCidrIp: '0.0.0.0/0' })] }));
      const da = await ecs.describeSecurityGroupAttribute(new $Ecs.DescribeSecurityGroupAttributeRequest({ regionId: REGION, securityGroupId: sg }));
      assert.equal(da.body.vpcId, v.vpcId);
      assert.equal(da.body.innerAccessPolicy, 'Accept');
      const perms = da.body.permissions.permission;
      assert.equal(perms.length, 2);
      assert.equal(perms[0].ipProtocol, 'TCP');
      assert.equal(perms[0].priority, '1');
      assert.equal(perms[1].direction, 'egress');
      await ecs.modifySecurityGroupAttribute(new $Ecs.ModifySecurityGroupAttributeRequest({ regionId: REGION, securityGroupId: sg, securityGroupName: 'sdk-sg2' }));
      const ds = await ecs.describeSecurityGroups(new $Ecs.DescribeSecurityGroupsRequest({ regionId: REGION, vpcId: v.vpcId }));
      assert.equal(ds.body.securityGroups.securityGroup.length, 1);
      assert.equal(ds.body.securityGroups.securityGroup[0].securityGroupName, 'sdk-sg2');
      assert.equal(typeof ds.body.securityGroups.securityGroup[0].ruleCount, 'number');
      const { body: sg2b } = await ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId: REGION, vpcId: v.vpcId }));

      const run = await ecs.runInstances(new $Ecs.RunInstancesRequest({ regionId: REGION, imageId: IMAGE, instanceType: TYPE, vSwitchId: w.vSwitchId, securityGroupId: sg, privateIpAddress: '10.0.0.10' }));
      const id = run.body.instanceIdSets.instanceIdSet[0];
      const di = await ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: REGION, instanceIds: JSON.stringify([id]) }));
      const inst = di.body.instances.instance[0];
      assert.equal(inst.vpcAttributes.vpcId, v.vpcId);
      assert.equal(inst.vpcAttributes.vSwitchId, w.vSwitchId);
      assert.deepEqual(inst.vpcAttributes.privateIpAddress.ipAddress, ['10.0.0.10']);
      assert.deepEqual(inst.securityGroupIds.securityGroupId, [sg]);
      assert.equal(inst.networkInterfaces.networkInterface[0].type, 'Primary');
      assert.equal(inst.eipAddress.ipAddress, '');
      assert.equal(typeof inst.eipAddress.bandwidth, 'number');
      assert.deepEqual(inst.innerIpAddress.ipAddress, []);

      await ecs.joinSecurityGroup(new $Ecs.JoinSecurityGroupRequest({ regionId: REGION, securityGroupId: sg2b.securityGroupId, instanceId: id }));
      const da2 = await ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: id }));
      assert.deepEqual(da2.body.securityGroupIds.securityGroupId, [sg, sg2b.securityGroupId]);
      await ecs.leaveSecurityGroup(new $Ecs.LeaveSecurityGroupRequest({ regionId: REGION, securityGroupId: sg2b.securityGroupId, instanceId: id }));
      assertSdkError(await failure(ecs.deleteSecurityGroup(new $Ecs.DeleteSecurityGroupRequest({ regionId: REGION, securityGroupId: sg }))), 403, 'DependencyViolation');

      const cn = await ecs.createNetworkInterface(new $Ecs.CreateNetworkInterfaceRequest({ regionId: REGION, vSwitchId: w.vSwitchId, securityGroupId: sg, networkInterfaceName: 'sdk-eni' }));
      const eni = cn.body.networkInterfaceId;
      assert.equal(cn.body.status, 'Available');
      assert.equal(cn.body.type, 'Secondary');
      await ecs.attachNetworkInterface(new $Ecs.AttachNetworkInterfaceRequest({ regionId: REGION, instanceId: id, networkInterfaceId: eni }));
      const dn = await ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId: REGION, instanceId: id }));
      assert.equal(dn.body.totalCount, 2);
      const sets = dn.body.networkInterfaceSets.networkInterfaceSet;
      assert.ok(sets.every(s => typeof s.privateIpSets.privateIpSet[0].primary === 'boolean'));
      assert.ok(sets.some(s => s.networkInterfaceId === eni && s.status === 'InUse'));
      await ecs.detachNetworkInterface(new $Ecs.DetachNetworkInterfaceRequest({ regionId: REGION, instanceId: id, networkInterfaceId: eni }));
      await ecs.deleteNetworkInterface(new $Ecs.DeleteNetworkInterfaceRequest({ regionId: REGION, networkInterfaceId: eni }));
      assertSdkError(await failure(ecs.deleteNetworkInterface(new $Ecs.DeleteNetworkInterfaceRequest({ regionId: REGION, networkInterfaceId: eni }))), 404, 'InvalidEniId.NotFound');

      await ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: id, force: true }));
      await ecs.revokeSecurityGroup(new $Ecs.RevokeSecurityGroupRequest({ regionId: REGION, securityGroupId: sg,
        permissions: [new $Ecs.RevokeSecurityGroupRequestPermissions({ ipProtocol: 'tcp', portRange: '22/22', sourceCidrIp: '0.0.0.0/0' })] }));
      await ecs.revokeSecurityGroupEgress(new $Ecs.RevokeSecurityGroupEgressRequest({ regionId: REGION, securityGroupId: sg, securityGroupRuleId: [perms[1].securityGroupRuleId] }));
      const da3 = await ecs.describeSecurityGroupAttribute(new $Ecs.DescribeSecurityGroupAttributeRequest({ regionId: REGION, securityGroupId: sg }));
      assert.deepEqual(da3.body.permissions.permission, []);
      await ecs.deleteSecurityGroup(new $Ecs.DeleteSecurityGroupRequest({ regionId: REGION, securityGroupId: sg }));
      await ecs.deleteSecurityGroup(new $Ecs.DeleteSecurityGroupRequest({ regionId: REGION, securityGroupId: sg2b.securityGroupId }));
      assertSdkError(await failure(ecs.deleteSecurityGroup(new $Ecs.DeleteSecurityGroupRequest({ regionId: REGION, securityGroupId: sg }))), 404, 'InvalidSecurityGroupId.NotFound');
      await vpc.deleteVSwitch(new $Vpc.DeleteVSwitchRequest({ regionId: REGION, vSwitchId: w.vSwitchId }));
      await vpc.deleteVpc(new $Vpc.DeleteVpcRequest({ regionId: REGION, vpcId: v.vpcId }));
    });

    test('RunInstances without a network gets the default one', async () => {
      const ecs = sdkClient(server, { signatureAlgorithm });
      const run = await ecs.runInstances(new $Ecs.RunInstancesRequest({ regionId: REGION, imageId: IMAGE, instanceType: TYPE }));
      const id = run.body.instanceIdSets.instanceIdSet[0];
      const di = await ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: id }));
      assert.match(di.body.vpcAttributes.vpcId, /^vpc-/);
      assert.match(di.body.vpcAttributes.vSwitchId, /^vsw-/);
      assert.equal(di.body.securityGroupIds.securityGroupId.length, 1);
      assertSdkError(await failure(ecs.runInstances(new $Ecs.RunInstancesRequest({ regionId: REGION, imageId: IMAGE, instanceType: TYPE, vSwitchId: 'vsw-nosuch0000000000000000' }))), 404, 'InvalidVSwitchId.NotFound');
      await ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: id, force: true }));
    });
  });
}
