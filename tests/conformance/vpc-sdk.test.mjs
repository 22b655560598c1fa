// vpc-sdk.test.mjs - issue 12: the official VPC SDK (@alicloud/vpc20160428,
// V3 ACS3-HMAC-SHA256 by default and RPC HMAC-SHA1 with 'v2') calls every
// VPC Action ecsd serves on the same endpoint as ECS, parses the answers
// into its models with the types it declares, and sees the documented
// errors (NETWORK.md §E, §G).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { $Vpc, REGION, UUID_RE, startEcsd, vpcClient, failure, assertSdkError } from './helpers.mjs';

let server;
before(async () => { server = await startEcsd({ delay: 0 }); });
after(async () => { if (server) assert.equal(await server.stop(), 0, 'ecsd exit status'); });

for (const [label, signatureAlgorithm] of [['V3 ACS3-HMAC-SHA256 (default)', undefined], ['signatureAlgorithm v2 (HMAC-SHA1)', 'v2']]) {
  describe(`official SDK @alicloud/vpc20160428, ${label}`, () => {
    test('a VPC and a vSwitch through their whole life', async () => {
      const c = vpcClient(server, { signatureAlgorithm });
      const cv = await c.createVpc(new $Vpc.CreateVpcRequest({ regionId: REGION, cidrBlock: '10.0.0.0/8', vpcName: 'sdk', description: 'made by the SDK' }));
      assert.equal(cv.statusCode, 200);
      assert.ok(cv.body instanceof $Vpc.CreateVpcResponseBody);
      assert.match(cv.body.requestId, UUID_RE);
      const vpcId = cv.body.vpcId;
      assert.match(vpcId, /^vpc-[0-9a-z]{20}$/);
      assert.match(cv.body.VRouterId, /^vrt-/);
      assert.match(cv.body.routeTableId, /^vtb-/);

      const dv = await c.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: REGION, vpcId }));
      assert.equal(dv.body.totalCount, 1);
      const v = dv.body.vpcs.vpc[0];
      assert.ok(v instanceof $Vpc.DescribeVpcsResponseBodyVpcsVpc);
      assert.equal(v.vpcId, vpcId);
      assert.equal(v.vpcName, 'sdk');
      assert.equal(v.cidrBlock, '10.0.0.0/8');
      assert.equal(v.status, 'Available');
      assert.equal(v.isDefault, false);
      assert.deepEqual(v.vSwitchIds.vSwitchId, []);

      const mv = await c.modifyVpcAttribute(new $Vpc.ModifyVpcAttributeRequest({ regionId: REGION, vpcId, vpcName: 'sdk2' }));
      assert.equal(mv.statusCode, 200);

      const cw = await c.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId: REGION, vpcId, zoneId: 'cn-hangzhou-g', cidrBlock: '10.1.0.0/24', vSwitchName: 'w' }));
      const vswId = cw.body.vSwitchId;
      assert.match(vswId, /^vsw-[0-9a-z]{20}$/);

      const da = await c.describeVpcAttribute(new $Vpc.DescribeVpcAttributeRequest({ regionId: REGION, vpcId }));
      assert.equal(da.body.vpcName, 'sdk2');
      assert.equal(da.body.description, 'made by the SDK');
      assert.deepEqual(da.body.vSwitchIds.vSwitchId, [vswId]);
      assert.equal(da.body.isDefault, false);
      assert.equal(da.body.classicLinkEnabled, false);

      const ds = await c.describeVSwitches(new $Vpc.DescribeVSwitchesRequest({ regionId: REGION, vpcId }));
      assert.equal(ds.body.totalCount, 1);
      const w = ds.body.vSwitches.vSwitch[0];
      assert.equal(w.vSwitchId, vswId);
      assert.equal(w.zoneId, 'cn-hangzhou-g');
      assert.equal(w.availableIpAddressCount, 252);
      assert.equal(typeof w.availableIpAddressCount, 'number');
      assert.equal(w.isDefault, false);
      assert.equal(w.status, 'Available');

      const dw = await c.describeVSwitchAttributes(new $Vpc.DescribeVSwitchAttributesRequest({ regionId: REGION, vSwitchId: vswId }));
      assert.equal(dw.body.vSwitchId, vswId);
      assert.equal(dw.body.vpcId, vpcId);
      assert.equal(dw.body.cidrBlock, '10.1.0.0/24');
      assert.equal(dw.body.routeTable.routeTableId, cv.body.routeTableId);
      assert.equal(dw.body.routeTable.routeTableType, 'System');

      const rt = await c.describeRouteTableList(new $Vpc.DescribeRouteTableListRequest({ regionId: REGION, vpcId }));
      assert.equal(rt.body.totalCount, 1);
      const t = rt.body.routerTableList.routerTableListType[0];
      assert.equal(t.routeTableId, cv.body.routeTableId);
      assert.equal(t.routeTableType, 'System');
      assert.deepEqual(t.vSwitchIds.vSwitchId, [vswId]);

      const e1 = await failure(c.deleteVpc(new $Vpc.DeleteVpcRequest({ regionId: REGION, vpcId })));
      assertSdkError(e1, 400, 'DependencyViolation.VSwitch');
      await c.deleteVSwitch(new $Vpc.DeleteVSwitchRequest({ regionId: REGION, vSwitchId: vswId }));
      await c.deleteVpc(new $Vpc.DeleteVpcRequest({ regionId: REGION, vpcId }));
      const e2 = await failure(c.describeVpcAttribute(new $Vpc.DescribeVpcAttributeRequest({ regionId: REGION, vpcId })));
      assertSdkError(e2, 404, 'InvalidVpcId.NotFound');
      const e3 = await failure(c.describeVSwitchAttributes(new $Vpc.DescribeVSwitchAttributesRequest({ regionId: REGION, vSwitchId: vswId })));
      assertSdkError(e3, 404, 'InvalidVSwitchId.NotFound');
    });

    test('CIDR refusals reach the SDK with their codes', async () => {
      const c = vpcClient(server, { signatureAlgorithm });
      assertSdkError(await failure(c.createVpc(new $Vpc.CreateVpcRequest({ regionId: REGION, cidrBlock: '10.0.0.1/8' }))), 400, 'InvalidCidrBlock.Malformed');
      assertSdkError(await failure(c.createVpc(new $Vpc.CreateVpcRequest({ regionId: REGION, cidrBlock: '100.64.0.0/16' }))), 400, 'InvalidParameter');
      const { body } = await c.createVpc(new $Vpc.CreateVpcRequest({ regionId: REGION, cidrBlock: '192.168.0.0/16' }));
      await c.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId: REGION, vpcId: body.vpcId, zoneId: 'cn-hangzhou-h', cidrBlock: '192.168.0.0/24' }));
      assertSdkError(await failure(c.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId: REGION, vpcId: body.vpcId, zoneId: 'cn-hangzhou-h', cidrBlock: '192.168.0.0/25' }))), 400, 'InvalidCidrBlock.Overlapped');
    });
  });
}
