// https-client.mjs - a separate Node process for https.test.mjs, because
// NODE_EXTRA_CA_CERTS is read only when Node starts. Calls ecsd over HTTPS
// the way a user of the official SDK does (no `protocol`: the SDK's default,
// HTTPS), V3 and v2, and pop-core with an https:// endpoint; prints one JSON
// line: { ok: [...results] } or { error: {code, message} } at the first
// failure. Not a test file itself.
import ecs20140526 from '@alicloud/ecs20140526';
import * as $Ecs from '@alicloud/ecs20140526';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import PopCore from '@alicloud/pop-core';

const [endpoint, akid, secret, name] = process.argv.slice(2);
const REGION = 'cn-hangzhou';
const out = [];

function sdk(signatureAlgorithm) {
  return new ecs20140526.default(new $OpenApiUtil.Config({
    accessKeyId: akid, accessKeySecret: secret, endpoint, regionId: REGION,
    ...(signatureAlgorithm ? { signatureAlgorithm } : {}),
  }));
}

try {
  for (const alg of [undefined, 'v2']) {
    const ecs = sdk(alg);
    const run = await ecs.runInstances(new $Ecs.RunInstancesRequest({
      regionId: REGION, imageId: 'aliyun_3_x64_20G_alibase_20240819.vhd',
      instanceType: 'ecs.g6.large', instanceName: `${name}-${alg ?? 'v3'}`, amount: 1,
    }));
    const id = run.body.instanceIdSets.instanceIdSet[0];
    const desc = await ecs.describeInstances(new $Ecs.DescribeInstancesRequest({
      regionId: REGION, instanceIds: JSON.stringify([id]),
    }));
    out.push({ alg: alg ?? 'v3', status: run.statusCode, id, name: desc.body.instances.instance[0]?.instanceName });
  }
  const pop = new PopCore({ accessKeyId: akid, accessKeySecret: secret, endpoint: 'https://' + endpoint, apiVersion: '2014-05-26' });
  const r = await pop.request('DescribeRegions', {}, { method: 'POST' });
  out.push({ alg: 'pop-core', regions: r.Regions.Region.length });
  console.log(JSON.stringify({ ok: out }));
} catch (e) {
  console.log(JSON.stringify({ ok: out, error: { code: e.code ?? e.cause?.code ?? null, message: String(e.message ?? e) } }));
}
