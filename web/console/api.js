// api.js - the console's only way to the server: ECS API calls signed in
// the browser (sign.js), the account-readable /_ecsd/ endpoints signed the
// same way, and the platform controls with the control token. The
// AccessKey pair lives in sessionStorage only and is never sent: only
// signatures made with it are.
import { sign, pct } from './sign.js';

const KEY = 'ecsd.console.session';
export const ECS_VERSION = '2014-05-26';

export const session = {
  get() {
    try { return JSON.parse(sessionStorage.getItem(KEY)) || null; } catch { return null; }
  },
  set(v) { sessionStorage.setItem(KEY, JSON.stringify(v)); },
  clear() { sessionStorage.removeItem(KEY); },
};

export class ApiError extends Error {
  constructor(code, message, status, requestId) {
    super(message);
    this.code = code;
    this.status = status;
    this.requestId = requestId || '';
  }
}

function cleanQuery(params) {
  const q = {};
  for (const [k, v] of Object.entries(params || {})) {
    if (v === undefined || v === null || v === '') continue;
    q[k] = String(v);
  }
  return q;
}

function queryString(q) {
  return Object.keys(q).sort().map(k => pct(k) + '=' + pct(q[k])).join('&');
}

async function answer(r) {
  const text = await r.text();
  let j = null;
  try { j = JSON.parse(text); } catch { /* not JSON */ }
  if (!r.ok) {
    throw new ApiError(j?.Code || 'HTTP' + r.status, j?.Message || text.slice(0, 200) || r.statusText,
      r.status, j?.RequestId || r.headers.get('x-acs-request-id'));
  }
  return j;
}

// A signed request with the session's key (or the key given).
async function signedFetch(method, path, action, version, params, key) {
  const s = key || session.get();
  if (!s) throw new ApiError('NotSignedIn', 'Sign in first.', 0);
  const q = cleanQuery(params);
  const h = await sign({
    method, host: location.host, path, query: q,
    headers: { 'x-acs-action': action, 'x-acs-version': version },
  }, s.akid, s.secret);
  delete h.host;              /* the browser sends Host itself */
  h.accept = 'application/json';
  const qs = queryString(q);
  return answer(await fetch(path + (qs ? '?' + qs : ''), { method, headers: h }));
}

// One ECS API call (RPC style, parameters in the query, empty body).
export function ecs(action, params = {}, key = null) {
  return signedFetch('POST', '/', action, ECS_VERSION, params, key);
}

// Another product's Action on the same endpoint (VPC, SLB as they land).
export function product(action, version, params = {}) {
  return signedFetch('POST', '/', action, version, params, null);
}

// GET /_ecsd/... as the signed-in account (release plans, audit trail).
export function own(path, params = {}) {
  return signedFetch('GET', path, 'ConsoleRead', ECS_VERSION, params, null);
}

// The platform controls: /_ecsd/... with the control token.
export async function platform(method, path, body) {
  const s = session.get();
  if (!s?.token) throw new ApiError('NoControlToken', 'Sign in with the control token to use platform controls.', 0);
  const init = { method, headers: { authorization: 'Bearer ' + s.token, accept: 'application/json' } };
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  return answer(await fetch(path, init));
}

// Every item of a NextToken-paged list (bounded).
export async function listAll(action, params, container, item, max = 2000) {
  const out = [];
  let token = '';
  do {
    const r = await ecs(action, { ...params, MaxResults: 100, NextToken: token || undefined });
    out.push(...((r[container] || {})[item] || []));
    token = r.NextToken || '';
  } while (token && out.length < max);
  return out;
}
