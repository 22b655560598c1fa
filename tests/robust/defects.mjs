// defects.mjs - regression tests of issue 11 that need raw bytes on the
// wire or both backends (PostgreSQL when PGURI is set, as tests/run does):
//   - row 13: a SignatureNonce holding a byte that is not UTF-8 is the same
//     clear 400 on SQLite and PostgreSQL (it was 503 on one, 200 on the
//     other); two Content-Length headers are refused with 400, unread;
//   - row 3 / issue 10 item 3: the largest request that is echoed (a wrong
//     signature over a body at the limit) gets a complete, parseable error.
import net from 'node:net';
import { BIN, startServer, stopServer, makeCredentials, tmpdir, reporter, bytesCall } from './lib.mjs';
import { rawRequest, pct, timestamp, nonce, v1StringToSign } from '../lib/client.mjs';
import { execFileSync } from 'node:child_process';

const T = reporter('defects');
const dir = tmpdir('defects');
const { file, keys } = makeCredentials(dir, 1);
const [K] = keys;

// Sends raw bytes on a connection of its own; resolves the raw answer.
function rawBytes(port, bytes) {
  return new Promise(resolve => {
    const sock = net.connect({ host: '127.0.0.1', port }, () => sock.end(bytes));
    const chunks = [];
    const timer = setTimeout(() => { sock.destroy(); resolve({ text: Buffer.concat(chunks).toString('latin1'), timeout: true }); }, 10000);
    sock.on('data', d => chunks.push(d));
    sock.on('error', () => {});
    sock.on('close', () => { clearTimeout(timer); resolve({ text: Buffer.concat(chunks).toString('latin1') }); });
  });
}
const status = t => Number((t.match(/^HTTP\/1\.[01] (\d{3})/) || [])[1] || 0);

const backends = [['sqlite', null]];
if (process.env.PGURI) backends.push(['postgresql', process.env.PGURI]);
else T.note('PGURI not set: the PostgreSQL half of row 13 is skipped');

for (const [name, store] of backends) {
  const srv = await startServer({ credentials: file, store, dataDir: tmpdir('data-' + name) });
  const port = srv.port;
  // --- row 13: nonces that are not printable UTF-8 ---
  for (const [what, nonce] of [['byte 0xFF', Buffer.from([0x61, 0xff, 0x62])], ['a lone continuation byte', Buffer.from([0x80])],
    ['a control character', Buffer.from('a\u0001b')]]) {
    const r = await bytesCall(port, K, 'DescribeRegions', { SignatureNonce: nonce });
    T.ok(r.status === 400 && r.json?.Code === 'InvalidParameter' && /SignatureNonce/.test(r.json?.Message),
      `${name}: a nonce holding ${what} is 400 InvalidParameter`, `${r.status} ${r.text?.slice(0, 200)}`);
  }
  const ok = await bytesCall(port, K, 'DescribeRegions', { SignatureNonce: Buffer.from('nonce-\u00e9-\u4e2d-ok') });
  T.ok(ok.status === 200, `${name}: a nonce of printable UTF-8 is accepted`, `${ok.status} ${ok.text?.slice(0, 200)}`);
  // --- row 13: conflicting Content-Length headers ---
  if (name === 'sqlite') {
    const two = await rawBytes(port, 'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n' +
      'Content-Length: 5\r\nContent-Length: 12\r\n\r\nAction=Descr');
    T.ok(status(two.text) === 400 && /InvalidParameter\.Malformed/.test(two.text) && /Content-Length/.test(two.text),
      'two different Content-Length headers: 400 InvalidParameter.Malformed', two.text.slice(0, 300));
    const same = await rawBytes(port, 'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\na=b');
    T.ok(status(same.text) === 400, 'a repeated Content-Length, even equal, is refused with 400', same.text.slice(0, 200));
    const list = await rawBytes(port, 'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3, 3\r\n\r\na=b');
    T.ok(status(list.text) === 400, 'a Content-Length list ("3, 3") is refused with 400', list.text.slice(0, 200));
    const one = await rawBytes(port, 'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 3\r\n\r\na=b');
    T.ok(status(one.text) === 400 && /MissingParameter/.test(one.text), 'one Content-Length is read as before (MissingParameter Action)', one.text.slice(0, 200));
  }
  // --- row 3 / issue 10 item 3: the largest echo is complete and parses ---
  if (name === 'sqlite') {
    // a body at LIM_BODY_BYTES of '*' (each becomes %252A in the V1 string
    // to sign: 5 bytes echoed per byte sent), a query near LIM_URL_BYTES
    // likewise, and a wrong signature: the Message echoes the whole string
    const LIM_BODY = 64 * 1024, LIM_URL = 16 * 1024;
    for (const format of ['JSON', 'XML']) {
      const common = { Action: 'DescribeRegions', Version: '2014-05-26', Format: format, AccessKeyId: K.akid,
        SignatureMethod: 'HMAC-SHA1', SignatureVersion: '1.0', SignatureNonce: nonce(), Timestamp: timestamp(),
        Signature: 'd3JvbmctYnV0LXdlbGwtZm9ybWVk' };
      let q = Object.entries(common).map(([n, v]) => pct(n) + '=' + pct(v)).join('&') + '&Q=';
      q += '*'.repeat(LIM_URL - 64 - q.length);
      // one value is at most LIM_VALUE_BYTES (32 KiB): three of them
      const third = Math.floor((LIM_BODY - 'B1=&B2=&B3='.length) / 3);
      const bv = ['*'.repeat(third), '*'.repeat(third), '*'.repeat(LIM_BODY - 'B1=&B2=&B3='.length - 2 * third)];
      const body = `B1=${bv[0]}&B2=${bv[1]}&B3=${bv[2]}`;
      const params = { ...common, Q: q.slice(q.indexOf('&Q=') + 3), B1: bv[0], B2: bv[1], B3: bv[2] };
      delete params.Signature;
      const sts = v1StringToSign('POST', params);
      const res = await rawRequest({ port, method: 'POST', path: '/?' + q,
        headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
      let msg = null;
      if (format === 'JSON') {
        msg = res.json?.Message ?? null;
      } else {
        try {
          msg = execFileSync('python3', ['-c', 'import sys, xml.dom.minidom as m; d = m.parseString(sys.stdin.buffer.read()); ' +
            'sys.stdout.write(d.getElementsByTagName("Message")[0].firstChild.data)'], { input: res.text, encoding: 'utf8', maxBuffer: 1 << 24 });
        } catch { msg = null; }
      }
      T.ok(res.status === 400 && msg !== null && /SignatureDoesNotMatch/.test(res.text),
        `${format}: a wrong signature over a ${LIM_BODY}-byte body and a ${q.length}-byte query gives a complete, parseable error (${res.text.length} bytes)`,
        `${res.status}, ${res.text.length} bytes: ${JSON.stringify(res.text.slice(0, 400))}`);
      T.ok(msg !== null && msg.endsWith(sts) && sts.length > 5 * LIM_BODY,
        `${format}: its Message holds the whole ${sts.length}-byte string to sign`);
    }
  }
  const again = await bytesCall(port, K, 'DescribeRegions', {});
  T.ok(again.status === 200, `${name}: the server keeps serving`);
  T.ok(await stopServer(srv) === 0, `${name}: stops cleanly (sanitizers quiet)`);
}
T.done();
