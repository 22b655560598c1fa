// lib.mjs - plumbing for the console suites: an ecsd with two accounts of
// its own and a control token, the official SDK against it, the control
// API, requests signed by the console's own sign.js (the code the browser
// runs), and where screenshots go.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import http from 'node:http';
import { spawnEcsd, stopEcsd } from '../lib/ecsd.mjs';
import { $Ecs, EcsClient, $OpenApiUtil } from '../conformance/helpers.mjs';
import { sign, pct } from '../../web/console/sign.js';

export { $Ecs };
export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const BIN = process.env.ECSD_BIN || path.join(ROOT, 'build/ecsd');
export const REGION = 'cn-hangzhou';
export const IMAGE = 'aliyun_3_x64_20G_alibase_20240819.vhd';
export const TYPE = 'ecs.g6.large';

function key(n) {
  const tag = crypto.randomBytes(5).toString('hex');
  return {
    account: String(3000000000000000 + n * 1000 + crypto.randomInt(999)),
    akid: `LTAIcons${n}${tag}`,
    secret: 'consoleSecret' + crypto.randomBytes(12).toString('hex'),
  };
}

// Starts ecsd with accounts a and b. opts.args: more flags.
export async function start({ delay = 0.3, args = [] } = {}) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ecsd-console-'));
  const a = key(1), b = key(2);
  const token = 'console-' + crypto.randomBytes(8).toString('hex');
  fs.writeFileSync(path.join(tmp, 'credentials'),
    `${a.account} ${a.akid} ${a.secret}\n${b.account} ${b.akid} ${b.secret}\n`, { mode: 0o600 });
  const full = ['--data-dir', path.join(tmp, 'data'), '--credentials', path.join(tmp, 'credentials'),
    '--transition-delay', String(delay), '--control-token', token, '--log-level', 'error', ...args];
  if (process.env.ECSD_STORE) full.push('--store', process.env.ECSD_STORE);
  const s = spawnEcsd(BIN, full);
  await s.ready;
  return {
    s, a, b, token, tmp, port: s.port, endpoint: '127.0.0.1:' + s.port,
    url: `http://127.0.0.1:${s.port}`,
    async stop(sig = 'SIGTERM') {
      const code = await stopEcsd(s, sig);
      fs.rmSync(tmp, { recursive: true, force: true });
      return code;
    },
  };
}

export function sdk(server, k = server.a) {
  return new EcsClient(new $OpenApiUtil.Config({
    accessKeyId: k.akid, accessKeySecret: k.secret, endpoint: server.endpoint,
    protocol: 'http', regionId: REGION,
  }));
}

export function request(port, { method = 'GET', path: p, headers = {}, body = '' }) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: p,
      headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, res => {
      let text = '';
      res.on('data', c => { text += c; });
      res.on('end', () => {
        let json = null;
        try { json = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode, headers: res.headers, json, text });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

export function ctl(server, method, p, body) {
  return request(server.port, { method, path: '/_ecsd' + p,
    headers: { authorization: 'Bearer ' + server.token, 'content-type': 'application/json' },
    body: body === undefined ? '' : JSON.stringify(body) });
}

// GET path?query signed by k with the console's sign.js.
export async function signedGet(server, k, p, query = {}) {
  const host = '127.0.0.1:' + server.port;
  const h = await sign({ method: 'GET', host, path: p, query,
    headers: { 'x-acs-action': 'ConsoleRead', 'x-acs-version': '2014-05-26' } }, k.akid, k.secret);
  const qs = Object.keys(query).sort().map(x => pct(x) + '=' + pct(query[x])).join('&');
  return request(server.port, { path: p + (qs ? '?' + qs : ''), headers: h });
}

export function shotDir() {
  const d = process.env.SCREENSHOT_DIR || fs.mkdtempSync(path.join(os.tmpdir(), 'ecsd-shots-'));
  fs.mkdirSync(d, { recursive: true });
  return d;
}

export async function run(ecs, { name, dataDisks = [], stopped = false, dp = false, prepaid = false } = {}) {
  const req = { regionId: REGION, imageId: IMAGE, instanceType: TYPE, instanceName: name,
    systemDisk: new $Ecs.RunInstancesRequestSystemDisk({ category: 'cloud_essd', size: 40 }),
    dataDisk: dataDisks.map(d => new $Ecs.RunInstancesRequestDataDisk({ category: 'cloud_essd', size: 20, ...d })),
    deletionProtection: dp || undefined };
  if (prepaid) Object.assign(req, { instanceChargeType: 'PrePaid', period: 1, periodUnit: 'Month' });
  const res = await ecs.runInstances(new $Ecs.RunInstancesRequest(req));
  const id = res.body.instanceIdSets.instanceIdSet[0];
  await waitStatus(ecs, id, 'Running');
  if (stopped) {
    await ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId: id }));
    await waitStatus(ecs, id, 'Stopped');
  }
  return id;
}

export async function waitStatus(ecs, id, want) {
  for (let i = 0; i < 200; i++) {
    const r = await ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: REGION, instanceIds: JSON.stringify([id]) }));
    if (r.body.instances.instance[0]?.status === want) return;
    await new Promise(ok => setTimeout(ok, 100));
  }
  throw new Error(`${id} never reached ${want}`);
}

export async function disksOf(ecs, id) {
  const r = await ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: REGION, instanceId: id, pageSize: 100 }));
  return r.body.disks.disk;
}

export async function allDisks(ecs) {
  const r = await ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: REGION, pageSize: 100 }));
  return r.body.disks.disk;
}

export async function allSnapshots(ecs) {
  const r = await ecs.describeSnapshots(new $Ecs.DescribeSnapshotsRequest({ regionId: REGION, pageSize: 100 }));
  return r.body.snapshots.snapshot;
}

export async function instanceIds(ecs) {
  const r = await ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: REGION, pageSize: 100 }));
  return r.body.instances.instance.map(i => i.instanceId);
}
