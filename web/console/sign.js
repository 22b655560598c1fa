// sign.js - ACS3-HMAC-SHA256 request signatures with WebCrypto, built the
// way the official SDK (@alicloud/openapi-core, getAuthorization) builds
// them: canonical query of the sorted query parameters, canonical headers
// (host, content-type, x-acs-*) lower-cased, trimmed and sorted, the
// SHA-256 of the body, then HMAC-SHA256 keyed with the AccessKey secret.
// Runs in the browser and in Node (tests compare it with the SDK).

const enc = new TextEncoder();
const subtle = () => globalThis.crypto.subtle;

export const ALGORITHM = 'ACS3-HMAC-SHA256';

// RFC 3986 percent-encoding, as the SDK's encode().
export function pct(s) {
  return encodeURIComponent(String(s)).replace(/[!'()*]/g,
    c => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

function hex(buf) {
  return Array.from(new Uint8Array(buf), b => b.toString(16).padStart(2, '0')).join('');
}

export async function sha256Hex(text) {
  return hex(await subtle().digest('SHA-256', enc.encode(text)));
}

export async function hmacHex(secret, text) {
  const key = await subtle().importKey('raw', enc.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return hex(await subtle().sign('HMAC', key, enc.encode(text)));
}

// "2024-03-01T08:00:00Z", the SDK's getTimestamp().
export function timestamp(d = new Date()) {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function nonce() {
  const b = new Uint8Array(16);
  globalThis.crypto.getRandomValues(b);
  return hex(b.buffer);
}

// The query string as sent and as signed: names sorted, values encoded.
export function canonicalQuery(query) {
  return Object.keys(query).sort()
    .map(k => k + '=' + pct(query[k] ?? '')).join('&');
}

// Signs one request. req: { method, host, path, query, headers, body }.
// Returns the headers to send (every signed header plus Authorization);
// host is signed but the browser sends it itself.
export async function sign(req, akid, secret) {
  const body = req.body ?? '';
  const payload = await sha256Hex(body);
  const h = { host: req.host, ...lower(req.headers ?? {}) };
  h['x-acs-date'] ??= timestamp();
  h['x-acs-signature-nonce'] ??= nonce();
  h['x-acs-content-sha256'] = payload;
  const names = Object.keys(h)
    .filter(n => n === 'host' || n === 'content-type' || n.startsWith('x-acs-')).sort();
  const canonHeaders = names.map(n => n + ':' + String(h[n]).trim() + '\n').join('');
  const signed = names.join(';');
  const creq = [req.method, req.path || '/', canonicalQuery(req.query ?? {}),
    canonHeaders, signed, payload].join('\n');
  const sts = ALGORITHM + '\n' + await sha256Hex(creq);
  const sig = await hmacHex(secret, sts);
  h.authorization = `${ALGORITHM} Credential=${akid},SignedHeaders=${signed},Signature=${sig}`;
  return h;
}

function lower(o) {
  const r = {};
  for (const [k, v] of Object.entries(o)) r[k.toLowerCase()] = v;
  return r;
}
