// https.test.mjs - issue 12 item 6: the same API over TLS (--listen-tls).
// The official SDK with its default settings (no `protocol`: HTTPS) trusts
// ecsd's local CA through NODE_EXTRA_CA_CERTS and works, V3 and v2, and so
// does pop-core; a client that does not trust the CA fails the handshake
// and nothing is served. The CA and the server certificate live in
// DATA_DIR/tls (keys 0600), survive restarts, and the server certificate is
// made again when the listening name changes; --tls-cert/--tls-key serve the
// operator's own pair.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import net from 'node:net';
import { $Ecs, REGION, BIN, startEcsd, sdkClient, uniqueName } from './helpers.mjs';
import { spawnEcsd, stopEcsd } from '../lib/ecsd.mjs';

const CLIENT = new URL('./https-client.mjs', import.meta.url).pathname;

// Runs https-client.mjs in a fresh Node, with or without the CA trusted.
function runClient(endpoint, key, name, ca) {
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  delete env.NODE_TLS_REJECT_UNAUTHORIZED;
  if (ca) env.NODE_EXTRA_CA_CERTS = ca;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CLIENT, endpoint, key.akid, key.secret, name],
      { env, timeout: 60000 }, (err, stdout, stderr) => {
        if (err) return reject(new Error(`client failed: ${err.message} ${stderr}`));
        resolve(JSON.parse(stdout.trim().split('\n').pop()));
      });
  });
}

async function namesOver(server, name) {
  const ecs = sdkClient(server);
  const r = await ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: REGION, pageSize: 100 }));
  return r.body.instances.instance.map(i => i.instanceName).filter(n => n.startsWith(name)).sort();
}

const mode = p => fs.statSync(p).mode & 0o777;
const sans = pem => new crypto.X509Certificate(pem).subjectAltName;

describe('HTTPS with the local CA ecsd makes', () => {
  let server, dir;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecsd-tls-'));
    server = await startEcsd({ dataDir: dir, extra: ['--listen-tls', '127.0.0.1:0'] });
  });
  after(async () => {
    if (server) assert.equal(await server.stop(), 0, 'ecsd exit status');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the CA path is printed; keys are 0600 in DATA_DIR/tls', () => {
    const tdir = path.join(fs.realpathSync(dir), 'tls');
    assert.ok(server.tlsPort > 0 && server.tlsPort !== server.port);
    assert.equal(server.caPath, path.join(tdir, 'ca.pem'));
    assert.equal(mode(tdir), 0o700);
    assert.equal(mode(path.join(tdir, 'ca.key')), 0o600);
    assert.equal(mode(path.join(tdir, 'server.key')), 0o600);
    const ca = new crypto.X509Certificate(fs.readFileSync(server.caPath));
    const leaf = new crypto.X509Certificate(fs.readFileSync(path.join(tdir, 'server.pem')));
    assert.equal(ca.ca, true);
    assert.equal(leaf.ca, false);
    assert.ok(leaf.checkIssued(ca) && leaf.verify(ca.publicKey), 'the server certificate is signed by the CA');
    assert.equal(leaf.checkHost('localhost'), 'localhost');
    assert.equal(leaf.checkIP('127.0.0.1'), '127.0.0.1');
    assert.equal(leaf.checkIP('::1'), '::1');
    assert.ok(leaf.checkPrivateKey(crypto.createPrivateKey(fs.readFileSync(path.join(tdir, 'server.key')))));
  });

  test('official SDK (default protocol = HTTPS, V3 and v2) and pop-core trust it through NODE_EXTRA_CA_CERTS', async () => {
    const name = uniqueName('tls');
    const r = await runClient(`127.0.0.1:${server.tlsPort}`, server.key, name, server.caPath);
    assert.equal(r.error, undefined, JSON.stringify(r.error));
    assert.deepEqual(r.ok.map(x => x.alg), ['v3', 'v2', 'pop-core']);
    for (const x of r.ok.slice(0, 2)) {
      assert.equal(x.status, 200);
      assert.equal(x.name, `${name}-${x.alg}`);
    }
    assert.ok(r.ok[2].regions > 0);
    // one API: what was made over HTTPS is there over HTTP
    assert.deepEqual(await namesOver(server, name), [`${name}-v2`, `${name}-v3`]);
  });

  test('a client that does not trust the CA: a TLS failure, nothing served', async () => {
    const name = uniqueName('untrusted');
    const r = await runClient(`127.0.0.1:${server.tlsPort}`, server.key, name, null);
    assert.deepEqual(r.ok, []);
    assert.ok(r.error, 'the call must fail');
    assert.match(`${r.error.code} ${r.error.message}`, /UNABLE_TO_VERIFY_LEAF_SIGNATURE|unable to verify the first certificate/);
    assert.deepEqual(await namesOver(server, name), [], 'no instance was created');
    // at the TLS layer: the handshake fails before a byte of HTTP
    const got = await new Promise(resolve => {
      const sock = tls.connect({ host: '127.0.0.1', port: server.tlsPort, servername: 'localhost' });
      let data = '';
      sock.on('data', d => { data += d; });
      sock.on('secureConnect', () => resolve({ connected: true }));
      sock.on('error', e => resolve({ code: e.code, data }));
    });
    assert.equal(got.code, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    assert.equal(got.data, '');
  });

  test('plain HTTP to the TLS port gets no answer', async () => {
    const got = await new Promise(resolve => {
      const sock = net.connect(server.tlsPort, '127.0.0.1', () => sock.write('GET /?Action=DescribeRegions HTTP/1.1\r\nHost: x\r\n\r\n'));
      let data = '';
      sock.setTimeout(10000, () => { sock.destroy(); resolve({ data, timeout: true }); });
      sock.on('data', d => { data += d; });
      sock.on('close', () => resolve({ data }));
      sock.on('error', () => {});
    });
    assert.doesNotMatch(got.data, /^HTTP\/1\.[01] /);
    assert.ok(!got.timeout, 'the connection is closed');
  });
});

describe('the local CA across restarts', () => {
  test('same data dir: CA and server certificate kept; a new listening name: new server certificate, same CA', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecsd-tls-'));
    const read = f => fs.readFileSync(path.join(dir, 'tls', f), 'utf8');
    try {
      let s = await startEcsd({ dataDir: dir, extra: ['--listen-tls', '127.0.0.1:0'] });
      const key = s.key;
      const ca1 = read('ca.pem'), leaf1 = read('server.pem');
      assert.equal(await s.stop(), 0);

      s = await startEcsd({ dataDir: dir, key, extra: ['--listen-tls', '127.0.0.1:0'] });
      assert.equal(read('ca.pem'), ca1);
      assert.equal(read('server.pem'), leaf1);
      assert.equal(await s.stop(), 0);

      s = await startEcsd({ dataDir: dir, key, extra: ['--listen-tls', '127.0.0.2:0'] });
      try {
        assert.equal(read('ca.pem'), ca1);
        assert.notEqual(read('server.pem'), leaf1);
        assert.match(sans(read('server.pem')), /IP Address:127\.0\.0\.2/);
        // and the SDK reaches the new name with the CA it already trusts
        const r = await runClient(`127.0.0.2:${s.tlsPort}`, key, uniqueName('moved'), s.caPath);
        assert.equal(r.error, undefined, JSON.stringify(r.error));
        assert.equal(r.ok.length, 3);
      } finally {
        assert.equal(await s.stop(), 0);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('--tls-cert and --tls-key', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecsd-tls-op-'));
  const cert = path.join(dir, 'op.pem'), key = path.join(dir, 'op.key'), other = path.join(dir, 'other.key');
  before(() => {
    const mk = (k, c) => spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256',
      '-nodes', '-keyout', k, '-out', c, '-subj', '/CN=operator', '-days', '2',
      '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' }).status;
    assert.equal(mk(key, cert), 0);
    assert.equal(mk(other, path.join(dir, 'other.pem')), 0);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("the operator's pair is served; no local CA is made", async () => {
    const s = await startEcsd({ extra: ['--listen-tls', '127.0.0.1:0', '--tls-cert', cert, '--tls-key', key] });
    try {
      assert.equal(s.caPath, '');
      assert.equal(fs.existsSync(path.join(s.dataDir, 'tls')), false);
      const r = await runClient(`127.0.0.1:${s.tlsPort}`, s.key, uniqueName('op'), cert);
      assert.equal(r.error, undefined, JSON.stringify(r.error));
      assert.equal(r.ok.length, 3);
    } finally {
      assert.equal(await s.stop(), 0);
    }
  });

  for (const [label, extra, code, text] of [
    ['a key that does not match', ['--listen-tls', '127.0.0.1:0', '--tls-cert', cert, '--tls-key', other], 1, /does not match/],
    ['a missing file', ['--listen-tls', '127.0.0.1:0', '--tls-cert', cert, '--tls-key', path.join(dir, 'nope')], 1, /cannot read/],
    ['--tls-cert without --tls-key', ['--listen-tls', '127.0.0.1:0', '--tls-cert', cert], 2, /go together/],
    ['--tls-cert without --listen-tls', ['--tls-cert', cert, '--tls-key', key], 2, /go together/],
  ]) {
    test(`refused at start: ${label}`, async () => {
      const d = fs.mkdtempSync(path.join(os.tmpdir(), 'ecsd-tls-bad-'));
      const s = spawnEcsd(BIN, ['--data-dir', d, ...extra]);
      const t = setTimeout(() => stopEcsd(s, 'SIGKILL'), 20000);   /* it must exit by itself */
      const exit = await s.exited;
      clearTimeout(t);
      fs.rmSync(d, { recursive: true, force: true });
      assert.equal(exit.code, code, s.stderr);
      assert.match(s.stderr, text);
    });
  }
});
