// metrics.test.mjs - GET /metrics: valid Prometheus text (promtool check
// metrics, and python3-prometheus-client's parser), loopback only, and
// counters that move by exactly N after N calls.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { $Ecs, start, sdk, request, run } from './lib.mjs';

// Debian's python3 (python3-prometheus-client), not a pyenv shim
const PY = process.env.PYTHON3 || '/usr/bin/python3';
let srv, ecs;
before(async () => { srv = await start({ delay: 0.2 }); ecs = sdk(srv); });
after(async () => { if (srv) assert.equal(await srv.stop(), 0); });

async function scrape() {
  const r = await request(srv.port, { path: '/metrics' });
  assert.equal(r.status, 200);
  assert.match(r.headers['content-type'], /^text\/plain; version=0\.0\.4/);
  return r.text;
}

// The value of the sample named exactly (name + labels as rendered), 0 if absent.
function sample(text, name, labels) {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(name + '{')) continue;
    const inner = line.slice(name.length + 1, line.lastIndexOf('}'));
    const parts = inner.split(/,(?=[a-z_]+=")/);
    if (want.every(w => parts.includes(w)) && parts.length === want.length)
      return Number(line.slice(line.lastIndexOf('}') + 1));
  }
  return 0;
}

function promtool(text) {
  const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return r;
}

function pythonParse(text) {
  return spawnSync(PY, ['-c', `
import sys
from prometheus_client.parser import text_string_to_metric_families
fams = list(text_string_to_metric_families(sys.stdin.read()))
print(len(fams), sum(len(f.samples) for f in fams))
`], { input: text, encoding: 'utf8' });
}

test('N DeleteInstance calls move the counter for that Action and Code by N', async () => {
  const ids = [];
  for (let i = 0; i < 3; i++) ids.push(await run(ecs, { name: 'm' + i, stopped: true }));
  const running = await run(ecs, { name: 'm-running' });
  const before = await scrape();
  for (const id of ids) await ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: id }));
  for (let i = 0; i < 2; i++)
    await ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: running })).catch(() => {});
  const after = await scrape();
  const ok = { product: 'Ecs', action: 'DeleteInstance', code: 'OK', status: '200' };
  const bad = { product: 'Ecs', action: 'DeleteInstance', code: 'IncorrectInstanceStatus', status: '403' };
  assert.equal(sample(after, 'ecsd_requests_total', ok) - sample(before, 'ecsd_requests_total', ok), 3);
  assert.equal(sample(after, 'ecsd_requests_total', bad) - sample(before, 'ecsd_requests_total', bad), 2);
  const hist = { product: 'Ecs', action: 'DeleteInstance', le: '+Inf' };
  assert.equal(sample(after, 'ecsd_request_duration_seconds_bucket', hist) -
    sample(before, 'ecsd_request_duration_seconds_bucket', hist), 5);
  assert.equal(sample(after, 'ecsd_releases_total', { outcome: 'released' }) -
    sample(before, 'ecsd_releases_total', { outcome: 'released' }), 3);
  assert.equal(sample(after, 'ecsd_releases_total', { outcome: 'refused' }) -
    sample(before, 'ecsd_releases_total', { outcome: 'refused' }), 2);
  const commits = a => sample(a, 'ecsd_store_commit_group_size_bucket', { backend: process.env.ECSD_STORE ? 'postgresql' : 'sqlite', le: '+Inf' });
  assert.ok(commits(after) - commits(before) >= 1, 'store commits counted');
  assert.match(after, /^ecsd_open_connections [1-9]/m);
});

test('promtool and the Python client parse it', async () => {
  await ecs.describeRegions(new $Ecs.DescribeRegionsRequest({}));
  const text = await scrape();
  const p = promtool(text);
  assert.equal(p.status, 0, `promtool: ${p.stdout}${p.stderr}`);
  const py = pythonParse(text);
  assert.equal(py.status, 0, py.stderr);
  const [fams, samples] = py.stdout.trim().split(' ').map(Number);
  assert.ok(fams >= 7 && samples > 20, py.stdout);
  for (const name of ['ecsd_requests_total', 'ecsd_request_duration_seconds', 'ecsd_store_commit_duration_seconds',
    'ecsd_store_commit_group_size', 'ecsd_open_connections', 'ecsd_releases_total'])
    assert.match(text, new RegExp(`^# TYPE ${name} `, 'm'));
});

test('a POST is refused; the console and metrics need no credential on loopback', async () => {
  const r = await request(srv.port, { method: 'POST', path: '/metrics' });
  assert.equal(r.status, 405);
  const c = await request(srv.port, { path: '/console' });
  assert.equal(c.status, 301);
  assert.equal(c.headers.location, '/console/');
  const i = await request(srv.port, { path: '/console/' });
  assert.equal(i.status, 200);
  assert.match(i.headers['content-security-policy'], /script-src 'self'/);
  assert.match(i.text, /<script type="module" src="\/console\/app.js">/);
  assert.equal((await request(srv.port, { path: '/console/nope.js' })).status, 404);
});
