// lib.mjs - what the robustness tests share: starting ecsd (the sanitizer
// build from ECSD_BIN) on 127.0.0.1 with a private data dir and a
// credentials file of fresh keys, stopping it, listing every resource of
// an account, and TAP-like reporting that ends with "<name>: N passed, M
// failed". Only loopback connections; every wait has a deadline.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { spawnEcsd, stopEcsd } from '../lib/ecsd.mjs';
import http from 'node:http';
import { call, rawRequest, pct, v1StringToSign, v1Sign, timestamp, nonce } from '../lib/client.mjs';

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const BIN = process.env.ECSD_BIN || path.join(root, 'build/ecsd');
export const CTL_TOKEN = 'robust-ctl-token';

export const sleep = ms => new Promise(r => setTimeout(r, ms));

// Temporary directories, removed when the test exits.
const made = [];
process.on('exit', () => { for (const d of made) fs.rmSync(d, { recursive: true, force: true }); });
export function tmpdir(tag) {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `ecsd-robust-${tag}-`));
  made.push(d);
  return d;
}

// Fresh keys (a new account per key) in DIR/credentials; returns the keys.
export function makeCredentials(dir, n = 1) {
  const run = crypto.randomBytes(4).toString('hex');
  const keys = Array.from({ length: n }, (_, i) => ({
    account: '3' + String(crypto.randomInt(1e9)).padStart(9, '0') + String(i).padStart(6, '0'),
    akid: `LTAIrobust${run}${i}`,
    secret: `robust-secret-${run}-${i}`,
  }));
  const file = path.join(dir, 'credentials');
  fs.writeFileSync(file, keys.map(k => `${k.account} ${k.akid} ${k.secret}`).join('\n') + '\n', { mode: 0o600 });
  return { file, keys };
}

// Starts ecsd; resolves { child, port, dir, log() } once it prints its
// port. opts: dataDir, credentials, store, args (extra), delay.
export async function startServer(opts = {}) {
  const dir = opts.dataDir ?? tmpdir('data');
  const args = ['--data-dir', dir,
    '--transition-delay', String(opts.delay ?? 0), '--control-token', CTL_TOKEN,
    '--log-level', opts.logLevel ?? 'error'];
  if (opts.credentials) args.push('--credentials', opts.credentials);
  if (opts.store) args.push('--store', opts.store);
  args.push(...(opts.args ?? []));
  const s = await spawnEcsd(BIN, args).ready;
  return { child: s.child, port: s.port, dir, log: () => s.stderr, ecsd: s };
}

// Resolves with the exit code (or signal name) once the child is gone.
export function waitExit(child, ms = 30000) {
  return new Promise(resolve => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode ?? child.signalCode);
    const timer = setTimeout(() => { child.kill('SIGKILL'); resolve('timeout'); }, ms);
    child.on('exit', (code, sig) => { clearTimeout(timer); resolve(code ?? sig); });
  });
}

export function stopServer(s, sig = 'SIGTERM') {
  return stopEcsd(s.ecsd, sig);
}

// A signed V1 call as key k; resolves { status, json, text, headers } or
// { error } when the connection failed (server killed, refused).
export async function api(port, k, action, params = {}, opts = {}) {
  try {
    return await call(port, action, params, { akid: k.akid, secret: k.secret, ...opts });
  } catch (e) {
    return { error: e.code || e.message };
  }
}

// A signed V1 GET on a connection of its own (no keep-alive), as a new
// client would make it. Resolves { status, text, json } or { error }.
export function freshCall(port, k, action, params = {}) {
  const p = { Action: action, Version: '2014-05-26', Format: 'JSON', AccessKeyId: k.akid,
    SignatureMethod: 'HMAC-SHA1', SignatureVersion: '1.0', SignatureNonce: nonce(),
    Timestamp: timestamp(), ...params };
  p.Signature = v1Sign(k.secret, v1StringToSign('GET', p));
  const qs = Object.entries(p).map(([n, v]) => pct(n) + '=' + pct(v)).join('&');
  return new Promise(resolve => {
    const req = http.request({ host: '127.0.0.1', port, path: '/?' + qs, agent: false }, res => {
      let text = '';
      res.on('data', d => { text += d; });
      res.on('end', () => {
        let json = null;
        try { json = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode, text, json });
      });
    });
    req.on('error', e => resolve({ error: e.code || e.message }));
    req.end();
  });
}

// RFC 3986 encoding of raw bytes (a Buffer or a string taken as UTF-8).
export function pctBytes(v) {
  const b = Buffer.isBuffer(v) ? v : Buffer.from(String(v), 'utf8');
  let out = '';
  for (const c of b) {
    const ch = String.fromCharCode(c);
    out += /[A-Za-z0-9\-_.~]/.test(ch) ? ch : '%' + c.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

// A signed V1 GET whose parameter values may be Buffers of any bytes
// (invalid UTF-8 included), on a connection of its own.
export function bytesCall(port, k, action, params = {}) {
  const p = { Action: action, Version: '2014-05-26', Format: 'JSON', AccessKeyId: k.akid,
    SignatureMethod: 'HMAC-SHA1', SignatureVersion: '1.0', SignatureNonce: nonce(),
    Timestamp: timestamp(), ...params };
  const names = Object.keys(p).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const canon = names.map(n => pctBytes(n) + '=' + pctBytes(p[n])).join('&');
  const sig = v1Sign(k.secret, 'GET&%2F&' + pctBytes(canon));
  const qs = canon + '&Signature=' + pctBytes(sig);
  return new Promise(resolve => {
    const req = http.request({ host: '127.0.0.1', port, path: '/?' + qs, agent: false }, res => {
      const chunks = [];
      res.on('data', d => chunks.push(d));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        let json = null;
        try { json = JSON.parse(raw.toString('utf8')); } catch { /* not JSON */ }
        resolve({ status: res.statusCode, raw, text: raw.toString('utf8'), json });
      });
    });
    req.on('error', e => resolve({ error: e.code || e.message }));
    req.end();
  });
}

export async function ctl(port, method, p, body) {
  try {
    return await rawRequest({ port, method, path: '/_ecsd' + p, headers: { authorization: 'Bearer ' + CTL_TOKEN, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : '' });
  } catch (e) {
    return { error: e.code || e.message };
  }
}

// Every item of a Describe* listing, following NextToken.
export async function listAll(port, k, action, params, container, item) {
  const items = [];
  let token = '';
  for (let page = 0; page < 10000; page++) {
    const res = await api(port, k, action, { RegionId: 'cn-hangzhou', MaxResults: 100, ...(token ? { NextToken: token } : {}), ...params });
    if (res.status !== 200) throw new Error(`${action}: ${res.status ?? res.error} ${res.text?.slice(0, 300) ?? ''}`);
    items.push(...(res.json[container]?.[item] ?? []));
    token = res.json.NextToken;
    if (!token) return items;
  }
  throw new Error(`${action}: more than 10000 pages`);
}

// TAP-like reporting.
export function reporter(name) {
  let passed = 0, failed = 0;
  return {
    ok(cond, what, detail = '') {
      if (cond) { passed++; console.log(`ok - ${what}`); } else { failed++; console.log(`not ok - ${what}${detail ? ': ' + detail : ''}`); }
      return cond;
    },
    note(s) { console.log('# ' + s); },
    get failed() { return failed; },
    done() {
      console.log(`${name}: ${passed} passed, ${failed} failed`);
      process.exit(failed ? 1 : 0);
    },
  };
}
