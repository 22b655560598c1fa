// audit.test.mjs - the audit trail: every state-changing Action, accepted
// and refused, leaves exactly one event with the right fields; nothing
// secret in any event; refused credentials are recorded; a signed caller
// reads only its own account's events, with filters and paging; an
// acknowledged call's event survives SIGKILL; a release that fails midway
// leaves its refusal and no success; the retention flag prunes.
// Runs on SQLite, and on PostgreSQL when ECSD_STORE is set.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { $Ecs, REGION, IMAGE, TYPE, ROOT, start, sdk, ctl, signedGet, request, run, disksOf } from './lib.mjs';
import { call } from '../lib/client.mjs';

let srv, ecs;
before(async () => { srv = await start({ delay: 0.2 }); ecs = sdk(srv); });
after(async () => { if (srv) assert.equal(await srv.stop(), 0); });

const key = k => ({ akid: k.akid, secret: k.secret });
const audit = (q = {}, k = srv.a) => signedGet(srv, k, '/_ecsd/audit', q);

// Every event of the account with this RequestId.
async function eventsOf(requestId, k = srv.a) {
  const out = [];
  let token = '';
  do {
    const r = await audit({ MaxResults: '100', ...(token ? { NextToken: token } : {}) }, k);
    assert.equal(r.status, 200, r.text);
    out.push(...r.json.Events.filter(e => e.RequestId === requestId));
    token = r.json.NextToken;
  } while (token);
  return out;
}

const MUTATING = fs.readFileSync(path.join(ROOT, 'src/api/actions.def'), 'utf8').split('\n')
  .filter(l => l.startsWith('ACTION(') && !l.includes('AF_READ')).map(l => l.slice(7, l.indexOf(',')));

function checkEvent(e, { action, code, status, ids = [], k = srv.a }) {
  assert.equal(e.Action, action);
  assert.equal(e.Code, code, `${action} code`);
  assert.equal(e.HttpStatus, status, `${action} status`);
  assert.equal(e.AccountId, k.account);
  assert.equal(e.AccessKeyId, k.akid);
  assert.equal(e.SourceIp, '127.0.0.1');
  assert.equal(e.Product, 'Ecs');
  assert.match(e.Time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  for (const id of ids) assert.ok(e.ResourceIds.includes(id), `${action} names ${id}: ${e.ResourceIds}`);
  const text = JSON.stringify(e);
  assert.ok(!text.includes(k.secret), 'no secret');
  for (const bad of ['Signature', 'SignatureNonce', 'AccessKeyId', 'Timestamp'])
    assert.ok(!(bad in e.Parameters), `no ${bad} among the parameters`);
}

test('every state-changing Action refused with no parameters: exactly one event, its Code', async () => {
  assert.ok(MUTATING.length >= 15, MUTATING.join());
  for (const action of MUTATING) {
    const r = await call(srv.port, action, {}, key(srv.a));
    assert.ok(r.status >= 400, `${action} without parameters is refused`);
    const ev = await eventsOf(r.json.RequestId);
    assert.equal(ev.length, 1, `${action}: one event`);
    checkEvent(ev[0], { action, code: r.json.Code, status: r.status });
  }
});

test('accepted calls: one event each, in the same transaction as the effect, ids and parameters', async () => {
  const k = key(srv.a);
  const c = (action, params) => call(srv.port, action, params, k);
  const ok = async (action, params, ids) => {
    const r = await c(action, params);
    assert.equal(r.status, 200, `${action}: ${r.text}`);
    const ev = await eventsOf(r.json.RequestId);
    assert.equal(ev.length, 1, `${action}: one event`);
    checkEvent(ev[0], { action, code: 'OK', status: 200, ids });
    return r.json;
  };
  const base = { RegionId: REGION, ImageId: IMAGE, InstanceType: TYPE };
  const secret = 'Sup3r-secret-Passw0rd';
  const runr = await ok('RunInstances', { ...base, Password: secret, InstanceName: 'audited' }, []);
  const id = runr.InstanceIdSets.InstanceIdSet[0];
  const ev = (await eventsOf(runr.RequestId))[0];
  assert.equal(ev.Parameters.Password, '(not recorded)');
  assert.equal(ev.Parameters.InstanceName, 'audited');
  assert.ok(!JSON.stringify(ev).includes(secret));
  const ci = await ok('CreateInstance', base, []);
  await new Promise(r => setTimeout(r, 1200));
  await ok('StopInstance', { InstanceId: id }, [id]);
  await new Promise(r => setTimeout(r, 600));
  await ok('StartInstance', { InstanceId: id }, [id]);
  await new Promise(r => setTimeout(r, 600));
  await ok('RebootInstance', { InstanceId: id }, [id]);
  await ok('ModifyInstanceAttribute', { InstanceId: id, InstanceName: 'renamed' }, [id]);
  const zone = (await ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: REGION, instanceIds: JSON.stringify([id]) }))).body.instances.instance[0].zoneId;
  const disk = (await ok('CreateDisk', { RegionId: REGION, ZoneId: zone, Size: '20' }, [])).DiskId;
  await new Promise(r => setTimeout(r, 600));
  await ok('AttachDisk', { InstanceId: id, DiskId: disk }, [id, disk]);
  await ok('ModifyDiskAttribute', { DiskId: disk, DeleteWithInstance: 'false' }, [disk]);
  const snap = (await ok('CreateSnapshot', { DiskId: disk }, [disk])).SnapshotId;
  await ok('DeleteSnapshot', { SnapshotId: snap }, [snap]);
  await ok('DetachDisk', { InstanceId: id, DiskId: disk }, [id, disk]);
  await ok('DeleteDisk', { DiskId: disk }, [disk]);
  await ok('DeleteInstance', { InstanceId: id, Force: 'true' }, [id]);
  await ok('DeleteInstances', { RegionId: REGION, 'InstanceId.1': ci.InstanceId, Force: 'true' }, [ci.InstanceId]);
  // reads leave nothing
  const d = await c('DescribeInstances', { RegionId: REGION });
  assert.equal((await eventsOf(d.json.RequestId)).length, 0, 'a read is not recorded');
});

test('refused credentials are recorded (known key: its account), nothing secret anywhere', async () => {
  const bad = await call(srv.port, 'DescribeInstances', { RegionId: REGION }, { akid: srv.a.akid, secret: 'nope' });
  assert.equal(bad.json.Code, 'SignatureDoesNotMatch');
  const ev = await eventsOf(bad.json.RequestId);
  assert.equal(ev.length, 1);
  checkEvent(ev[0], { action: 'DescribeInstances', code: 'SignatureDoesNotMatch', status: 400 });
  const unknown = await call(srv.port, 'DeleteInstance', { InstanceId: 'i-x' }, { akid: 'LTAIunknownkey00', secret: 'x' });
  const all = await ctl(srv, 'GET', '/audit?MaxResults=100');
  assert.equal(all.status, 200);
  const u = all.json.Events.find(e => e.RequestId === unknown.json.RequestId);
  assert.equal(u.Code, 'InvalidAccessKeyId.NotFound');
  assert.equal(u.AccountId, '', 'an unknown key belongs to no account');
  const text = all.text;
  for (const k of [srv.a, srv.b]) assert.ok(!text.includes(k.secret), 'no AccessKey secret in the trail');
  assert.ok(!/Signature"/.test(text) && !/authorization/i.test(text));
});

test('a signed caller reads its own events only; filters and paging', async () => {
  const mine = await run(ecs, { name: 'f1', stopped: true });
  const theirs = await run(sdk(srv, srv.b), { name: 'f2', stopped: true });
  let r = await audit({ ResourceId: mine });
  assert.ok(r.json.Events.length >= 2 && r.json.Events.every(e => e.ResourceIds.includes(mine)));
  r = await audit({ ResourceId: theirs });
  assert.equal(r.json.Events.length, 0, 'another account\'s resource: nothing');
  r = await audit({ AccountId: srv.b.account });
  assert.equal(r.json.Events.length, 0, 'another account\'s trail: nothing');
  r = await audit({ ResourceId: theirs }, srv.b);
  assert.ok(r.json.Events.length >= 1 && r.json.Events.every(e => e.AccountId === srv.b.account));
  r = await audit({ Action: 'StopInstance' });
  assert.ok(r.json.Events.length >= 1 && r.json.Events.every(e => e.Action === 'StopInstance'));
  // paging: newest first, no event twice, none lost
  const seen = [];
  let token = '';
  do {
    r = await audit({ MaxResults: '3', ...(token ? { NextToken: token } : {}) });
    assert.ok(r.json.Events.length <= 3);
    seen.push(...r.json.Events.map(e => e.TimeMs + e.RequestId));
    token = r.json.NextToken;
  } while (token);
  assert.equal(new Set(seen).size, seen.length);
  const all = (await audit({ MaxResults: '100' })).json.Events;
  assert.equal(seen.length, all.length);
  const times = all.map(e => e.TimeMs);
  assert.deepEqual(times, [...times].sort((x, y) => y - x), 'newest first');
  r = await audit({ Since: new Date(Date.now() + 60000).toISOString().replace(/\.\d+Z$/, 'Z') });
  assert.equal(r.json.Events.length, 0);
  assert.equal((await audit({ MaxResults: '0' })).status, 400);
  assert.equal((await audit({ NextToken: 'zz' })).status, 400);
  assert.equal((await request(srv.port, { path: '/_ecsd/audit' })).status, 401);
});

test('a release that fails midway: its InternalError is recorded, no success', async () => {
  const id = await run(ecs, { name: 'fault', stopped: true });
  await ctl(srv, 'POST', `/instances/${id}/state`, { FailRelease: true });
  const r = await call(srv.port, 'DeleteInstance', { InstanceId: id }, key(srv.a));
  assert.equal(r.json.Code, 'InternalError');
  const ev = await eventsOf(r.json.RequestId);
  assert.equal(ev.length, 1);
  checkEvent(ev[0], { action: 'DeleteInstance', code: 'InternalError', status: 500, ids: [id] });
});

test('an acknowledged call\'s event survives SIGKILL', async () => {
  const s2 = await start({ delay: 0 });
  const dataArgs = ['--data-dir', path.join(s2.tmp, 'data')];
  const r = await call(s2.port, 'CreateInstance', { RegionId: REGION, ImageId: IMAGE, InstanceType: TYPE }, key(s2.a));
  assert.equal(r.status, 200);
  s2.s.child.kill('SIGKILL');
  await s2.s.exited;
  const { spawnEcsd, stopEcsd } = await import('../lib/ecsd.mjs');
  const args = [...dataArgs, '--credentials', path.join(s2.tmp, 'credentials'), '--control-token', s2.token, '--log-level', 'error'];
  if (process.env.ECSD_STORE) args.push('--store', process.env.ECSD_STORE);
  const again = spawnEcsd(process.env.ECSD_BIN || path.join(ROOT, 'build/ecsd'), args);
  await again.ready;
  try {
    const a = await signedGet({ port: again.port }, s2.a, '/_ecsd/audit', {});
    const e = a.json.Events.find(x => x.RequestId === r.json.RequestId);
    assert.ok(e, 'the event is there after SIGKILL');
    assert.equal(e.Code, 'OK');
    assert.ok(e.Parameters.ImageId === IMAGE);
  } finally {
    assert.equal(await stopEcsd(again), 0);
    fs.rmSync(s2.tmp, { recursive: true, force: true });
  }
});

test('--audit-retention-days prunes older events', async () => {
  const s3 = await start({ delay: 0, args: ['--audit-retention-days', '0.00002'] });   /* 1.7 s */
  try {
    const r = await call(s3.port, 'CreateInstance', { RegionId: REGION, ImageId: IMAGE, InstanceType: TYPE }, key(s3.a));
    assert.equal((await signedGet(s3, s3.a, '/_ecsd/audit', {})).json.Events.length, 1);
    await new Promise(ok => setTimeout(ok, 2500));
    await ctl(s3, 'GET', '/health');
    const code = await s3.s.child.kill('SIGTERM');
    assert.ok(code);
    await s3.s.exited;
    const { spawnEcsd, stopEcsd } = await import('../lib/ecsd.mjs');
    const args = ['--data-dir', path.join(s3.tmp, 'data'), '--credentials', path.join(s3.tmp, 'credentials'),
      '--log-level', 'error', '--control-token', s3.token, '--audit-retention-days', '0.00002'];
    if (process.env.ECSD_STORE) args.push('--store', process.env.ECSD_STORE);
    const again = spawnEcsd(process.env.ECSD_BIN || path.join(ROOT, 'build/ecsd'), args);
    await again.ready;
    const a = await signedGet({ port: again.port }, s3.a, '/_ecsd/audit', {});
    assert.ok(!a.json.Events.some(e => e.RequestId === r.json.RequestId), 'pruned at start');
    assert.equal(await stopEcsd(again), 0);
  } finally {
    fs.rmSync(s3.tmp, { recursive: true, force: true });
  }
});
