// helpers.mjs - shared plumbing for the client-conformance tests: start a
// real ecsd for one test file, build the official TypeScript SDK client
// (@alicloud/ecs20140526 on @alicloud/openapi-core) and the legacy pop-core
// client against it, call the /_ecsd/ control API, poll like users do.
//
// Not a test file itself (node --test only picks up *.test.mjs here).
//
// Environment: ECSD_BIN (default build/ecsd), ECSD_STORE (-> --store),
// ERROR_TRACE (-> --error-trace).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import http from 'node:http';
import { spawnEcsd, stopEcsd } from '../lib/ecsd.mjs';
import assert from 'node:assert/strict';

import ecs20140526 from '@alicloud/ecs20140526';
import * as $Ecs from '@alicloud/ecs20140526';
import vpc20160428 from '@alicloud/vpc20160428';
import * as $Vpc from '@alicloud/vpc20160428';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import PopCore from '@alicloud/pop-core';
import * as $dara from '@darabonba/typescript';

export { $Ecs, $Vpc, $OpenApiUtil, $dara };
export const EcsClient = ecs20140526.default;
export const VpcClient = vpc20160428.default;

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const BIN = process.env.ECSD_BIN || path.join(ROOT, 'build/ecsd');
export const DEV = { akid: 'LTAIecsdDevelopment1', secret: 'ecsdDevelopmentSecret000000001', account: '1000000000000001' };
export const REGION = 'cn-hangzhou';
export const IMAGE = 'aliyun_3_x64_20G_alibase_20240819.vhd';
export const TYPE = 'ecs.g6.large';
export const UUID_RE = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;
const CTL_TOKEN = 'conformance-' + crypto.randomBytes(8).toString('hex');

// Starts ecsd on 127.0.0.1:0 with a fresh data directory.
// keys: 'dev' = no --credentials (the built-in development account, as a
// user would run it); 'own' = a credentials file with an account of this
// file's own, so that files sharing a store (ECSD_STORE) cannot see each
// other's resources.
// extra: more flags (e.g. --listen-tls); dataDir: a directory of the
// caller's to use and keep (default: a fresh one, removed on stop); key: an
// account from an earlier start to reuse.
export async function startEcsd({ delay = 0.3, keys = 'own', extra = [], dataDir, key: reuse } = {}) {
  const tmp = dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'ecsd-conf-'));
  const args = ['--data-dir', tmp, '--transition-delay', String(delay),
    '--control-token', CTL_TOKEN, '--log-level', 'error', ...extra];
  let key = DEV;
  if (reuse) {
    key = reuse;
    args.push('--credentials', path.join(tmp, 'credentials'));
  } else if (keys === 'own') {
    const tag = crypto.randomBytes(6).toString('hex');
    key = {
      account: '2' + String(crypto.randomInt(1e9)).padStart(9, '0') + String(process.pid % 1e6).padStart(6, '0'),
      akid: 'LTAIconf' + tag,
      secret: 'conformanceSecret' + crypto.randomBytes(12).toString('hex'),
    };
    const credFile = path.join(tmp, 'credentials');
    fs.writeFileSync(credFile, `${key.account} ${key.akid} ${key.secret}\n`, { mode: 0o600 });
    args.push('--credentials', credFile);
  }
  if (process.env.ECSD_STORE) args.push('--store', process.env.ECSD_STORE);
  const s = spawnEcsd(BIN, args, { startMs: 20000 });
  try {
    await s.ready;
  } catch (e) {
    await stopEcsd(s, 'SIGKILL');
    if (!dataDir) fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  return {
    port: s.port,
    endpoint: '127.0.0.1:' + s.port,
    tlsPort: s.tlsPort,
    caPath: s.caPath,
    dataDir: tmp,
    key,
    get stderr() { return s.stderr; },
    // Stops the server; resolves with its exit code (0 expected).
    async stop() {
      const code = await stopEcsd(s);
      if (!dataDir) fs.rmSync(tmp, { recursive: true, force: true });
      return code;
    },
  };
}

// The official SDK as its README shows it; signatureAlgorithm undefined =
// the default ACS3-HMAC-SHA256 (V3), 'v2' = RPC HMAC-SHA1.
export function sdkClient(server, { signatureAlgorithm, akid, secret } = {}) {
  return new EcsClient(new $OpenApiUtil.Config({
    accessKeyId: akid ?? server.key.akid,
    accessKeySecret: secret ?? server.key.secret,
    endpoint: server.endpoint,
    protocol: 'http',
    regionId: REGION,
    ...(signatureAlgorithm ? { signatureAlgorithm } : {}),
  }));
}

// The official VPC SDK (@alicloud/vpc20160428), configured as sdkClient.
export function vpcClient(server, { signatureAlgorithm, akid, secret } = {}) {
  return new VpcClient(new $OpenApiUtil.Config({
    accessKeyId: akid ?? server.key.akid,
    accessKeySecret: secret ?? server.key.secret,
    endpoint: server.endpoint,
    protocol: 'http',
    regionId: REGION,
    ...(signatureAlgorithm ? { signatureAlgorithm } : {}),
  }));
}

// pop-core: the legacy Node RPC client (GET by default, POST via opts).
export function popClient(server, { akid, secret, apiVersion = '2014-05-26' } = {}) {
  return new PopCore({
    accessKeyId: akid ?? server.key.akid,
    accessKeySecret: secret ?? server.key.secret,
    endpoint: 'http://' + server.endpoint,
    apiVersion,
  });
}

// A generic SDK call (OpenApiClient.callApi), for what the generated client
// cannot express: another Version, an unknown Action.
export function sdkCallApi(client, { action, version = '2014-05-26', query = {}, runtime = {} }) {
  const params = new $OpenApiUtil.Params({
    action, version, protocol: 'HTTP', pathname: '/', method: 'POST',
    authType: 'AK', style: 'RPC', reqBodyType: 'formData', bodyType: 'json',
  });
  const req = new $OpenApiUtil.OpenApiRequest({ query });
  return client.callApi(params, req, new $dara.RuntimeOptions(runtime));
}

// Runtime options that add or override headers / query parameters the SDK
// itself sets (x-acs-date, x-acs-signature-nonce, Timestamp, ...).
export function runtimeWith({ headers, queries } = {}) {
  return new $dara.RuntimeOptions({
    extendsParameters: new $dara.ExtendsParameters({ headers, queries }),
  });
}

// Awaits a promise that must reject; returns the error.
export async function failure(promise) {
  try {
    const v = await promise;
    assert.fail('expected an error, got success: ' + JSON.stringify(v?.body ?? v).slice(0, 300));
  } catch (e) {
    if (e instanceof assert.AssertionError) throw e;
    return e;
  }
}

// What the official SDK exposes on an API error: code, statusCode, data.
export function assertSdkError(e, status, code) {
  assert.equal(e.code, code, `code (${e.message})`);
  assert.equal(e.statusCode, status, `statusCode of ${code}`);
  assert.equal(e.data?.Code, code, 'data.Code');
  assert.match(e.data?.RequestId ?? '', UUID_RE, 'data.RequestId');
  assert.equal(e.requestId, e.data.RequestId, 'requestId');
  assert.equal(typeof e.data?.Message, 'string', 'data.Message');
}

// What pop-core exposes on an API error: code, name, data; the HTTP status
// only via err.entry.response.statusCode.
export function assertPopError(e, status, code) {
  assert.equal(e.code, code, `code (${e.message})`);
  assert.equal(e.name, code + 'Error');
  assert.equal(e.data?.Code, code, 'data.Code');
  assert.match(e.data?.RequestId ?? '', UUID_RE, 'data.RequestId');
  assert.equal(e.entry?.response?.statusCode, status, `HTTP status of ${code}`);
}

// Polls get() until done(value); returns every value seen, in order.
export async function pollUntil(get, done, { timeout = 15000, interval = 100, what = 'condition' } = {}) {
  const seen = [];
  const deadline = Date.now() + timeout;
  for (;;) {
    const v = await get();
    seen.push(v);
    if (done(v)) return seen;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; seen ${JSON.stringify(seen.slice(-10))}`);
    await new Promise(r => setTimeout(r, interval));
  }
}

// POST /_ecsd/instances/{id}/state etc.
export function ctl(server, method, p, body) {
  const data = body === undefined ? '' : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1', port: server.port, method, path: '/_ecsd' + p,
      headers: { authorization: 'Bearer ' + CTL_TOKEN, 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) },
    }, res => {
      let text = '';
      res.on('data', c => { text += c; });
      res.on('end', () => {
        let json = null;
        try { json = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode, json, text });
      });
    });
    req.on('error', reject);
    req.end(data);
  });
}

export async function setState(server, instanceId, flags) {
  const r = await ctl(server, 'POST', `/instances/${instanceId}/state`, flags);
  assert.equal(r.status, 200, `control API state ${JSON.stringify(flags)}: ${r.text}`);
  return r.json;
}

export function uniqueName(prefix) {
  return `${prefix}-${crypto.randomBytes(4).toString('hex')}`;
}
