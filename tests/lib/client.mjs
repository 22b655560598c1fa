// client.mjs - a small, independent ECS client for the tests: V1 (HMAC-SHA1)
// and V3 (ACS3-HMAC-SHA256) signing written from the spec, raw HTTP over
// node:http so that every status, header and byte is visible to a test.
import crypto from 'node:crypto';
import http from 'node:http';

export const DEV = { akid: 'LTAIecsdDevelopment1', secret: 'ecsdDevelopmentSecret000000001', account: '1000000000000001' };

export function pct(s) {
  return encodeURIComponent(String(s)).replace(/[!'()*]/g, c => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

export function timestamp(d = new Date()) {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function nonce() {
  return crypto.randomUUID();
}

export function v1StringToSign(method, params) {
  const keys = Object.keys(params).filter(k => k !== 'Signature').sort();
  const canon = keys.map(k => pct(k) + '=' + pct(params[k])).join('&');
  return method + '&%2F&' + pct(canon);
}

export function v1Sign(secret, sts) {
  return crypto.createHmac('sha1', secret + '&').update(sts, 'utf8').digest('base64');
}

export function rawRequest({ port, method = 'GET', path = '/', headers = {}, body = '' }) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, res => {
      const chunks = [];
      res.on('data', c => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json = null;
        try { json = JSON.parse(text); } catch { /* XML or empty */ }
        resolve({ status: res.statusCode, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

// V1 call. opts: { method, format, akid, secret, inBody, split, omit:[names], extra:{}, timestamp, nonce, signature }
// split: Terraform's tea-rpc layout: common and signature parameters in the
// query, business parameters in an x-www-form-urlencoded body.
export async function call(port, action, params = {}, opts = {}) {
  const p = {
    Action: action, Version: '2014-05-26',
    AccessKeyId: opts.akid ?? DEV.akid,
    SignatureMethod: 'HMAC-SHA1', SignatureVersion: '1.0',
    SignatureNonce: opts.nonce ?? nonce(),
    Timestamp: opts.timestamp ?? timestamp(),
    ...(opts.format === null ? {} : { Format: opts.format ?? 'JSON' }),
    ...params,
    ...(opts.extra ?? {}),
  };
  for (const k of opts.omit ?? []) delete p[k];
  for (const [k, v] of Object.entries(p)) if (v === undefined) delete p[k];
  const method = opts.method ?? 'POST';
  const sts = v1StringToSign(method, p);
  p.Signature = opts.signature ?? v1Sign(opts.secret ?? DEV.secret, sts);
  if (opts.omit?.includes('Signature')) delete p.Signature;
  const qs = Object.entries(p).map(([k, v]) => pct(k) + '=' + pct(v)).join('&');
  if (opts.split) {
    const common = new Set(['Action', 'Format', 'Timestamp', 'Version', 'SignatureNonce', 'SignatureMethod', 'SignatureVersion', 'AccessKeyId', 'Signature', 'SignatureType']);
    const enc = pred => Object.entries(p).filter(([k]) => pred(common.has(k))).map(([k, v]) => pct(k) + '=' + pct(v)).join('&');
    return rawRequest({ port, method, path: '/?' + enc(c => c), headers: { 'content-type': 'application/x-www-form-urlencoded', host: '127.0.0.1:' + port }, body: enc(c => !c) });
  }
  if (opts.inBody) {
    return rawRequest({ port, method, path: '/', headers: { 'content-type': 'application/x-www-form-urlencoded', host: '127.0.0.1:' + port }, body: qs });
  }
  return rawRequest({ port, method, path: '/?' + qs, headers: { host: '127.0.0.1:' + port } });
}

// V3 call: business params in the query, optional form body.
export async function call3(port, action, params = {}, opts = {}) {
  const host = '127.0.0.1:' + port;
  const body = opts.body ?? '';
  const hashed = crypto.createHash('sha256').update(body).digest('hex');
  const h = {
    host,
    'x-acs-action': action,
    'x-acs-version': opts.version ?? '2014-05-26',
    'x-acs-date': opts.date ?? timestamp(),
    'x-acs-signature-nonce': opts.nonce ?? crypto.randomBytes(16).toString('hex'),
    'x-acs-content-sha256': hashed,
  };
  if (body) h['content-type'] = opts.contentType ?? 'application/x-www-form-urlencoded';
  const q = Object.keys(params).sort().map(k => pct(k) + '=' + pct(params[k])).join('&');
  // opts.unsigned: headers sent but left out of SignedHeaders
  const names = Object.keys(h).sort().filter(n => !(opts.unsigned ?? []).includes(n));
  const canonHeaders = names.map(n => n + ':' + String(h[n]).trim() + '\n').join('');
  const signed = names.join(';');
  const creq = [opts.method ?? 'POST', '/', q, canonHeaders, signed, hashed].join('\n');
  const sts = 'ACS3-HMAC-SHA256\n' + crypto.createHash('sha256').update(creq).digest('hex');
  const sig = crypto.createHmac('sha256', opts.secret ?? DEV.secret).update(sts).digest('hex');
  h.authorization = `ACS3-HMAC-SHA256 Credential=${opts.akid ?? DEV.akid},SignedHeaders=${signed},Signature=${sig}`;
  return rawRequest({ port, method: opts.method ?? 'POST', path: '/' + (q ? '?' + q : ''), headers: h, body });
}
