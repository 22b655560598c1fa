// defaults.mjs - the safe defaults SECURITY.md claims, each checked:
//   - without --credentials ecsd refuses any listen address off loopback;
//   - a bad credentials file stops start-up with path:line and no secret;
//   - without --control-token a random token is written to
//     DATA_DIR/control.token with mode 0600, and the control API wants it
//     (no token, a wrong token: 401; /health needs none);
//   - secrets never reach the log, even at --log-level debug, nor a reply;
//   - limits: a URL over LIM_URL_BYTES, more than LIM_HEADER_COUNT headers,
//     more than LIM_PARAM_COUNT parameters, a chunked body over
//     LIM_BODY_BYTES, a control body over LIM_CTL_BODY_BYTES are refused
//     and the server keeps serving;
//   - replies stay UTF-8 whatever the request holds: a Host header that is
//     not a host name is not echoed as HostId, a V3 SignedHeaders list
//     with bytes that cannot name a header is malformed (not echoed), and
//     DataDisk.N.* text that is not UTF-8 is refused (it would be stored
//     and listed).
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import http from 'node:http';
import { spawnSync } from 'node:child_process';
import { spawnEcsd, stopEcsd } from '../lib/ecsd.mjs';
import { BIN, startServer, stopServer, makeCredentials, tmpdir, reporter, api, freshCall, bytesCall, CTL_TOKEN } from './lib.mjs';
import { rawRequest } from '../lib/client.mjs';

const T = reporter('defaults');
const dir = tmpdir('defaults');

// --- refusing the development account off loopback (no socket is opened) ---
for (const addr of ['0.0.0.0:0', '[::]:0', '192.0.2.1:0']) {
  const r = spawnSync(BIN, ['--listen', addr, '--data-dir', path.join(dir, 'd0')], { encoding: 'utf8', timeout: 30000 });
  T.ok(r.status === 1 && /refusing to serve the development account/.test(r.stderr),
    `without --credentials, --listen ${addr} is refused`, `exit ${r.status}: ${r.stderr.slice(0, 300)}`);
}

// --- a bad credentials file: path:line, never the secret ---
const badCreds = path.join(dir, 'bad-credentials');
fs.writeFileSync(badCreds, '1000000000000009 LTAIgood good-secret-1\n1000000000000009 LTAI*bad* TopSecretValue123\n', { mode: 0o600 });
let r = spawnSync(BIN, ['--listen', '127.0.0.1:0', '--data-dir', path.join(dir, 'd1'), '--credentials', badCreds], { encoding: 'utf8', timeout: 30000 });
T.ok(r.status === 1 && r.stderr.includes(badCreds + ':2:'), 'a bad credentials line stops start-up and is named path:line', r.stderr.slice(0, 300));
T.ok(!r.stderr.includes('TopSecretValue123') && !r.stderr.includes('good-secret-1'), 'the error names no secret');

// --- the control token file ---
const { file, keys } = makeCredentials(dir, 2);
const [K, O] = keys;
const data = path.join(dir, 'data');
fs.mkdirSync(data, { mode: 0o700 });
{
  const ecsd = await spawnEcsd(BIN, ['--data-dir', data, '--credentials', file, '--log-level', 'debug']).ready;
  const port = ecsd.port;
  const tokFile = path.join(data, 'control.token');
  const st = fs.statSync(tokFile);
  const tok = fs.readFileSync(tokFile, 'utf8').trim();
  T.ok((st.mode & 0o777) === 0o600 && /^[0-9a-f]{48}$/.test(tok), `without --control-token a random token is written to control.token, mode ${(st.mode & 0o777).toString(8)}`);
  const ctl = (h, p = '/_ecsd/instances/i-none') => rawRequest({ port, method: 'GET', path: p, headers: h });
  const none = await ctl({});
  const wrong = await ctl({ authorization: 'Bearer ' + tok.replace(/.$/, c => (c === '0' ? '1' : '0')) });
  const right = await ctl({ authorization: 'Bearer ' + tok });
  const xhdr = await ctl({ 'x-ecsd-token': tok });
  const health = await ctl({}, '/_ecsd/health');
  T.ok(none.status === 401 && wrong.status === 401, `the control API refuses no token (${none.status}) and a wrong token (${wrong.status})`);
  T.ok(right.status === 404 && xhdr.status === 404, `the token opens it (Bearer ${right.status}, X-Ecsd-Token ${xhdr.status}: no such instance)`);
  T.ok(health.status === 200, '/_ecsd/health needs no token');

  // secrets: good and bad calls at debug level, then read the log and replies
  const replies = [];
  replies.push(await api(port, K, 'DescribeRegions'));
  replies.push(await api(port, K, 'DescribeRegions', {}, { secret: 'wrong-secret' }));
  replies.push(await api(port, K, 'DescribeRegions', {}, { format: 'XML', secret: 'wrong-secret' }));
  replies.push(await api(port, O, 'DescribeInstances', { RegionId: 'cn-hangzhou' }));
  T.ok(replies[0].status === 200 && replies[1].json?.Code === 'SignatureDoesNotMatch', 'a bad signature is SignatureDoesNotMatch');
  const code = await stopEcsd(ecsd);
  const all = ecsd.stderr + replies.map(x => x.text ?? '').join('\n');
  T.ok(![K.secret, O.secret, tok].some(s => all.includes(s)), 'no secret or control token in the debug log or any reply');
  T.ok(code === 0, 'ecsd at --log-level debug stops with exit 0', `exit ${code}`);
}

// --- limits; the server keeps serving ---
const srv = await startServer({ credentials: file });
const port = srv.port;
function rawSocket(bytes, ms = 5000) {
  return new Promise(resolve => {
    const s = net.connect({ host: '127.0.0.1', port }, () => s.write(bytes));
    let text = '';
    s.setEncoding('utf8');
    s.on('data', d => { text += d; });
    s.on('close', () => resolve(text));
    s.on('error', () => resolve(text));
    setTimeout(() => { s.destroy(); resolve(text); }, ms);
  });
}
const statusOf = text => Number(text.match(/^HTTP\/1\.[01] (\d{3})/)?.[1] ?? 0);
const longUrl = await rawSocket(`GET /?Action=DescribeRegions&Pad=${'x'.repeat(20000)} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
T.ok([400, 413, 414].includes(statusOf(longUrl)), `a URL over LIM_URL_BYTES is refused (${statusOf(longUrl)})`);
let hdrs = '';
for (let i = 0; i < 80; i++) hdrs += `X-H${i}: v\r\n`;
const manyHeaders = await rawSocket(`GET /?Action=DescribeRegions HTTP/1.1\r\nHost: 127.0.0.1\r\n${hdrs}Connection: close\r\n\r\n`);
T.ok(statusOf(manyHeaders) === 400 && /TooLarge/.test(manyHeaders), `more than LIM_HEADER_COUNT headers are refused (${statusOf(manyHeaders)})`);
const many = {};
for (let i = 0; i < 600; i++) many['P' + i] = '1';
const manyParams = await api(port, K, 'DescribeRegions', many, { inBody: true });
T.ok(manyParams.status === 400 && /<Code>InvalidParameter\.TooLarge<\/Code>/.test(manyParams.text), `more than LIM_PARAM_COUNT parameters are refused (${manyParams.status}, before Format is read: XML)`, manyParams.text?.slice(0, 200));
const chunked = await new Promise(resolve => {
  const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/?Action=DescribeRegions', agent: false,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'transfer-encoding': 'chunked' } }, res => {
    let text = '';
    res.on('data', d => { text += d; });
    res.on('end', () => resolve({ status: res.statusCode, text }));
  });
  req.on('error', e => resolve({ error: e.code }));
  for (let i = 0; i < 40; i++) req.write('Pad' + i + '=' + 'y'.repeat(4000) + '&');
  req.end();
});
T.ok(chunked.status === 400 && /TooLarge/.test(chunked.text), `a chunked body over LIM_BODY_BYTES (160 KB, no Content-Length) is refused (${chunked.status ?? chunked.error})`);
const ctlBig = await rawRequest({ port, method: 'POST', path: '/_ecsd/bulk/instances', headers: { authorization: 'Bearer ' + CTL_TOKEN, 'content-type': 'application/json' }, body: '{"Pad":"' + 'z'.repeat(70000) + '"}' }).catch(e => ({ error: e.code }));
T.ok([400, 413].includes(ctlBig.status), `a control body over LIM_CTL_BODY_BYTES is refused (${ctlBig.status ?? ctlBig.error})`);
const badHost = await rawSocket(`GET /?Action=Nope HTTP/1.1\r\nHost: <x>\u00ff"evil\r\nConnection: close\r\n\r\n`);
T.ok(!/evil/.test(badHost) && /ecs\.aliyuncs\.com/.test(badHost), 'a Host header that is not a host name is not echoed as HostId', badHost.slice(-300));
const isUtf8 = b => { try { new TextDecoder('utf-8', { fatal: true }).decode(b); return true; } catch { return false; } };
const v3bad = await rawSocket(Buffer.concat([Buffer.from('POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nx-acs-action: DescribeRegions\r\n' +
  'x-acs-version: 2014-05-26\r\nx-acs-date: ' + new Date().toISOString().replace(/\.\d+Z$/, 'Z') + '\r\nx-acs-signature-nonce: n1\r\n' +
  'Authorization: ACS3-HMAC-SHA256 Credential=' + K.akid + ',SignedHeaders=host;x-acs-action;x-acs-date;x-acs-signature-nonce;x-acs-version;x'),
  Buffer.from([0xff, 0xfe]), Buffer.from(',Signature=00\r\nContent-Length: 0\r\nConnection: close\r\n\r\n')]));
T.ok(/IncompleteSignature/.test(v3bad) && /Malformed Authorization header/.test(v3bad) && !v3bad.includes('\ufffd'),
  'a V3 SignedHeaders name that is not an HTTP token is a malformed Authorization, not echoed', v3bad.slice(-300));
const DD = { RegionId: 'cn-hangzhou', ImageId: 'aliyun_3_x64_20G_alibase_20240819.vhd', InstanceType: 'ecs.g6.large', 'DataDisk.1.Size': 20 };
const badName = await bytesCall(port, K, 'RunInstances', { ...DD, 'DataDisk.1.DiskName': Buffer.from([0x61, 0xff, 0xfe]) });
const badDesc = await bytesCall(port, K, 'RunInstances', { ...DD, 'DataDisk.1.Description': Buffer.from([0xc3]) });
T.ok(badName.status === 400 && badName.json?.Code === 'InvalidParameter' && badDesc.status === 400,
  `DataDisk.N.DiskName and Description that are not UTF-8 are refused (${badName.status}, ${badDesc.status})`, badName.text?.slice(0, 200));
const goodName = await bytesCall(port, K, 'RunInstances', { ...DD, 'DataDisk.1.DiskName': 'data-\u4e2d' });
const listed = await bytesCall(port, K, 'DescribeDisks', { RegionId: 'cn-hangzhou' });
T.ok(goodName.status === 200 && listed.status === 200 && isUtf8(listed.raw) && listed.text.includes('data-\u4e2d'),
  'a UTF-8 DataDisk name is kept, and the listing is UTF-8', `${goodName.status} ${listed.status}`);
const after = await freshCall(port, K, 'DescribeRegions');
T.ok(after.status === 200, 'the server still serves after all of that');
const code = await stopServer(srv);
T.ok(code === 0, 'and stops with exit 0', `exit ${code}: ${srv.log().slice(-1500)}`);
fs.rmSync(dir, { recursive: true, force: true });
T.done();
