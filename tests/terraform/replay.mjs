// replay.mjs - what `terraform apply`, two `terraform plan`s and `terraform
// destroy` send for the configuration of README's client section
// (TERRAFORM.md §4), replayed against a real ecsd: data sources, creates
// in dependency order with the provider's waits, the read of every
// resource after apply and on two refreshes (every attribute must be
// unchanged: the plan is empty), destroy in reverse order, and nothing of
// the configuration left. Each call uses the wire format the provider uses
// for it (wire.mjs); the whole plan runs a second time with every format
// swapped. Resources of other products join `plan` below (same shape as
// ecs.mjs). Closing line: "terraform-replay: N passed, M failed".
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import assert from 'node:assert/strict';
import { spawnEcsd, stopEcsd } from '../lib/ecsd.mjs';
import { ok } from './wire.mjs';
import * as ecs from './ecs.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const BIN = process.env.ECSD_BIN || path.join(root, 'build/ecsd');

// The configuration (README "Terraform"): zones with cloud_efficiency, a
// 2-vCPU 8-GiB type, the newest Alibaba Cloud Linux 3 system image.
const cfg = { diskCategory: 'cloud_efficiency', cores: 2, memory: 8, imageRegex: '^aliyun_3_x64' };

// Resources in dependency order; args(s) maps what earlier steps produced.
const plan = [
  { name: 'alicloud_instance.web', res: ecs.instance, args: s => ({ zone: s.zone, instanceType: s.types[0], imageId: s.image }) },
  { name: 'alicloud_ecs_disk.data', res: ecs.disk, args: s => ({ zone: s.zone }) },
  { name: 'alicloud_ecs_disk_attachment.data', res: ecs.diskAttachment,
    args: s => ({ diskId: s.ids['alicloud_ecs_disk.data'], instanceId: s.ids['alicloud_instance.web'] }) },
  { name: 'alicloud_ecs_snapshot.data', res: ecs.snapshot, args: s => ({ diskId: s.ids['alicloud_ecs_disk.data'] }) },
];

let pass = 0, fail = 0;
function check(what, fn) {
  try { fn(); pass++; console.log('ok - ' + what); } catch (e) { fail++; console.log('not ok - ' + what + ': ' + e.message.split('\n')[0]); }
}

async function readData(ctx) {
  const zones = await ecs.dataSources.zones(ctx);
  const types = await ecs.dataSources.instanceTypes(ctx, zones[0]);
  const image = await ecs.dataSources.images(ctx);
  return { zones, types, image };
}

async function readAll(ctx, s) {
  const out = {};
  for (const p of plan) out[p.name] = await p.res.read(ctx, s.ids[p.name]);
  return out;
}

async function run(ctx, label) {
  const s = { ids: {} };
  // apply
  const data = await readData(ctx);
  check(`${label}: data sources answer (zones ${data.zones.length}, types ${data.types.join(',')}, image ${data.image})`, () => {
    assert.ok(data.zones.length > 0 && data.types.length > 0 && data.image);
  });
  Object.assign(s, data, { zone: data.zones[0] });
  for (const p of plan) s.ids[p.name] = await p.res.create(ctx, p.args(s));
  const state = await readAll(ctx, s);
  check(`${label}: apply created ${plan.length} resources, each readable`, () => {
    for (const p of plan) assert.ok(state[p.name], p.name + ' reads as gone');
  });
  // two refreshes: nothing changes
  for (const n of [1, 2]) {
    const d = await readData(ctx);
    const again = await readAll(ctx, s);
    check(`${label}: refresh ${n}: data sources unchanged`, () => assert.deepEqual(d, data));
    for (const p of plan)
      check(`${label}: refresh ${n}: ${p.name} unchanged`, () => assert.deepEqual(again[p.name], state[p.name]));
  }
  // destroy, reverse order
  for (const p of [...plan].reverse()) await p.res.destroy(ctx, s.ids[p.name]);
  const left = {
    instances: (await ok(ctx, 'go', 'DescribeInstances', {})).TotalCount,
    disks: (await ok(ctx, 'tea', 'DescribeDisks', { RegionId: ctx.region })).TotalCount,
    snapshots: (await ok(ctx, 'tea', 'DescribeSnapshots', { RegionId: ctx.region })).TotalCount,
  };
  for (const t of ['instance', 'disk', 'snapshot'])
    left['tags:' + t] = (await ok(ctx, 'tea', 'ListTagResources', { RegionId: ctx.region, ResourceType: t })).TagResources.TagResource.length;
  check(`${label}: destroy leaves nothing ${JSON.stringify(left)}`, () => assert.ok(Object.values(left).every(v => v === 0)));
  for (const p of plan) {
    const gone = await p.res.read(ctx, s.ids[p.name]);
    check(`${label}: ${p.name} reads as gone after destroy`, () => assert.ok(gone === null || gone === undefined, JSON.stringify(gone)));
  }
  const wires = new Set(ctx.calls.map(c => c.split(' ')[0]));
  check(`${label}: ${ctx.calls.length} calls, wire formats ${[...wires].join('+')}`, () => assert.equal(wires.size, 2));
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ecsd-tf-'));
const keys = [0, 1].map(i => ({ account: `3${String(process.pid).padStart(8, '0')}${i}00000`, akid: `LTAItf${crypto.randomBytes(5).toString('hex')}`,
  secret: 'tfSecret' + crypto.randomBytes(10).toString('hex') }));
fs.writeFileSync(path.join(tmp, 'credentials'), keys.map(k => `${k.account} ${k.akid} ${k.secret}`).join('\n') + '\n', { mode: 0o600 });
const args = ['--data-dir', tmp, '--credentials', path.join(tmp, 'credentials'), '--transition-delay', '0.2', '--log-level', 'error'];
if (process.env.ECSD_STORE) args.push('--store', process.env.ECSD_STORE);
const srv = spawnEcsd(BIN, args, { name: 'ecsd-terraform' });
try {
  await srv.ready;
  for (const [i, label] of [[0, 'provider formats'], [1, 'formats swapped']]) {
    const ctx = { port: srv.port, key: keys[i], region: 'cn-hangzhou', cfg, swap: i === 1, calls: [] };
    try {
      await run(ctx, label);
    } catch (e) {
      fail++;
      console.log(`not ok - ${label}: ${e.message.split('\n')[0]}`);
    }
  }
} finally {
  const code = await stopEcsd(srv);
  check('ecsd stopped cleanly', () => assert.equal(code?.code ?? code, 0));
  fs.rmSync(tmp, { recursive: true, force: true });
}
console.log(`terraform-replay: ${pass} passed, ${fail} failed`);
process.exit(fail ? 1 : 0);
