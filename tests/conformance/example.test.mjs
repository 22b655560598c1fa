// example.test.mjs - runs examples/release-walkthrough.mjs (the README's SDK
// example) against a fresh ecsd started the way the README starts it (no
// --credentials: the built-in development key) and checks it exits 0 and
// reports the kept disk and the snapshot.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { ROOT, startEcsd } from './helpers.mjs';

let server;
before(async () => { server = await startEcsd({ keys: 'dev', delay: 0.3 }); });
after(async () => { if (server) assert.equal(await server.stop(), 0, 'ecsd exit status'); });

function runExample(env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'examples/release-walkthrough.mjs')], {
      cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '', stderr = '';
    child.stdout.on('data', d => { stdout += d; });
    child.stderr.on('data', d => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30000);
    child.on('error', reject);
    child.on('exit', (code, signal) => { clearTimeout(timer); resolve({ code, signal, stdout, stderr }); });
  });
}

test('examples/release-walkthrough.mjs runs to completion against ecsd', async () => {
  const r = await runExample({ ECSD_ENDPOINT: server.endpoint });
  assert.equal(r.code, 0, `exit ${r.code ?? r.signal}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
  const disk = r.stdout.match(/data disk (d-[0-9a-z]+) \(DeleteWithInstance=false\)/)?.[1];
  assert.ok(disk, r.stdout);
  assert.match(r.stdout, /: Running\n/);
  assert.match(r.stdout, /: Stopped\n/);
  assert.match(r.stdout, new RegExp(`disk ${disk}: Available, PostPaid, 20 GiB`));
  assert.match(r.stdout, new RegExp(`snapshot s-[0-9a-z]+: \\w+, type user, source disk ${disk}`));
});

test('the example fails with a clear message and status 1 on a wrong key', async () => {
  const r = await runExample({ ECSD_ENDPOINT: server.endpoint, ECSD_ACCESS_KEY_SECRET: 'wrong' });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /SignatureDoesNotMatch \(HTTP 400\)/);
});
