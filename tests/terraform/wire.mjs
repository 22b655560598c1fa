// wire.mjs - the Terraform alicloud provider's two wire formats
// (TERRAFORM.md §1), over tests/lib/client.mjs:
//   tea: tea-rpc client.RpcPost - common parameters (Format=json) and the
//        signature in the query, business parameters in a form body;
//   go:  the legacy Go SDK - everything in the query, Format=JSON, an
//        empty SignatureType= and a RegionId even where the API has none.
// A replay step names the format the provider uses for that call; the
// runner may swap every format to replay the same plan the other way.
import { call } from '../lib/client.mjs';

export function wireCall(ctx, fmt, action, params) {
  const f = ctx.swap ? (fmt === 'tea' ? 'go' : 'tea') : fmt;
  ctx.calls.push(`${f} ${action}`);
  // the Go SDK sends RegionId with every request: a business parameter of
  // the call, whichever layout carries it
  if (fmt === 'go' || f === 'go')
    params = { RegionId: ctx.region, ...params };
  if (f === 'tea')
    return call(ctx.port, action, params, { split: true, format: 'json', akid: ctx.key.akid, secret: ctx.key.secret });
  return call(ctx.port, action, params,
    { format: 'JSON', extra: { SignatureType: '' }, akid: ctx.key.akid, secret: ctx.key.secret });
}

// A call that must succeed; returns the JSON body.
export async function ok(ctx, fmt, action, params) {
  const r = await wireCall(ctx, fmt, action, params);
  if (r.status !== 200)
    throw new Error(`${action} ${JSON.stringify(params)}: HTTP ${r.status} ${r.text.slice(0, 400)}`);
  return r.json;
}

// Polls like StateChangeConf: read() until done(value), at most `tries`.
export async function waitFor(read, done, { tries = 100, ms = 50, what = 'state' } = {}) {
  let v;
  for (let i = 0; i < tries; i++) {
    v = await read();
    if (done(v)) return v;
    await new Promise(r => setTimeout(r, ms));
  }
  throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v).slice(0, 300)}`);
}

export function token(action) {
  return `TF-${action}-${Math.floor(Date.now() / 1000)}-${crypto.randomUUID()}`.slice(0, 64);
}
