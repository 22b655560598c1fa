// slow.mjs - slow and greedy clients (issue 6.3). While these run against
// one ecsd:
//   - a greedy client opening 2000 idle sockets (from 127.0.0.2),
//   - 40 clients sending a header byte a second, never ending it (127.0.0.3),
//   - 40 clients that send half a request line and fall silent (127.0.0.4),
//   - 20 clients sending a 60000-byte body a byte a second (127.0.0.5),
//   - requests announcing a 50 MB body they never send (127.0.0.1),
// a normal client on 127.0.0.1 makes a signed call on a new connection
// every 250 ms: every call must succeed within 3 s. Also checked: the
// greedy client holds at most LIM_CONNECTIONS_PER_IP sockets, the silent
// clients are cut by the idle timeout (LIM_CONN_TIMEOUT_S, 30 s), the
// oversized bodies are refused before they are sent, and SIGTERM with all
// of this connected still stops ecsd promptly with exit 0.
// All sockets go to 127.0.0.1's port; the other loopback addresses are
// only source addresses, so the per-address limit can be seen.
import net from 'node:net';
import http from 'node:http';
import { startServer, stopServer, makeCredentials, tmpdir, reporter, sleep, freshCall } from './lib.mjs';

const T = reporter('slow');
const PER_IP = 256;             // LIM_CONNECTIONS_PER_IP
const IDLE_S = 30;              // LIM_CONN_TIMEOUT_S
const dir = tmpdir('slow');
const { file, keys } = makeCredentials(dir);
const K = keys[0];
const srv = await startServer({ credentials: file });
const port = srv.port;
const sockets = [];
const timers = [];

function open(localAddress, onConnect) {
  const s = net.connect({ host: '127.0.0.1', port, localAddress });
  const st = { s, connected: false, closedAt: 0, openedAt: Date.now(), data: '' };
  s.on('connect', () => { st.connected = true; st.openedAt = Date.now(); onConnect?.(s); });
  s.on('data', d => { st.data += d; });
  s.on('close', () => { st.closedAt = Date.now(); });
  s.on('error', () => {});
  sockets.push(st);
  return st;
}

// --- the adversaries ---
const greedy = Array.from({ length: 2000 }, () => open('127.0.0.2'));
const dribblers = Array.from({ length: 40 }, () => open('127.0.0.3', s => {
  s.write('POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
  const t = setInterval(() => { if (!s.destroyed) s.write('a'); }, 1000);
  timers.push(t);
}));
const silent = Array.from({ length: 40 }, () => open('127.0.0.4', s => s.write('GET /?Action=Descr')));
const bodies = Array.from({ length: 20 }, () => open('127.0.0.5', s => {
  s.write('POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 60000\r\n\r\nA');
  const t = setInterval(() => { if (!s.destroyed) s.write('b'); }, 1000);
  timers.push(t);
}));
await sleep(1500);

// oversized bodies: the reply must come before (and without) the body
const big = await Promise.all(Array.from({ length: 5 }, () => new Promise(resolve => {
  const t0 = Date.now();
  const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/', agent: false,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': 50 * 1024 * 1024 } }, res => {
    let text = '';
    res.on('data', d => { text += d; });
    res.on('end', () => resolve({ status: res.statusCode, text, ms: Date.now() - t0 }));
  });
  req.on('error', e => resolve({ error: e.code, ms: Date.now() - t0 }));
  req.flushHeaders();   // headers only; the 50 MB never follow
  setTimeout(() => { req.destroy(); resolve({ error: 'no reply in 5 s', ms: 5000 }); }, 5000);
})));
T.ok(big.every(r => (r.status === 400 || r.status === 413) && r.ms < 3000),
  'bodies announced over LIM_BODY_BYTES are refused before they are sent',
  JSON.stringify(big.map(r => [r.status ?? r.error, r.ms])));
T.ok(big.some(r => /TooLarge|RequestTooLarge/.test(r.text ?? '')), 'the refusal names the limit', big[0].text?.slice(0, 200));

const openGreedy = greedy.filter(g => g.connected && !g.closedAt).length;
T.ok(openGreedy <= PER_IP && openGreedy > 0, `one address holds at most ${PER_IP} connections (greedy client kept ${openGreedy} of 2000)`);

// --- the normal client, on new connections, until the idle timeout shows ---
const lat = [];
const fails = [];
const tStart = Date.now();
const deadline = tStart + (IDLE_S + 8) * 1000;
while (Date.now() < deadline) {
  const t0 = Date.now();
  const res = await Promise.race([
    freshCall(port, K, 'DescribeRegions'),
    sleep(3000).then(() => ({ error: 'no reply in 3 s' })),
  ]);
  const ms = Date.now() - t0;
  lat.push(ms);
  if (res.status !== 200) fails.push(`${res.status ?? res.error} after ${ms} ms`);
  if (silent.every(s => s.closedAt) && Date.now() - tStart > 5000) break;
  await sleep(250);
}
lat.sort((a, b) => a - b);
T.ok(fails.length === 0 && lat.length > 10,
  `a normal client is served throughout (${lat.length} calls, median ${lat[lat.length >> 1]} ms, max ${lat[lat.length - 1]} ms)`,
  fails.slice(0, 5).join('; '));

// idle timeout: the silent clients were cut after about LIM_CONN_TIMEOUT_S
const cut = silent.filter(s => s.closedAt).map(s => (s.closedAt - s.openedAt) / 1000);
T.ok(cut.length === silent.length && cut.every(x => x >= IDLE_S - 5 && x <= IDLE_S + 8),
  `silent half-requests are closed by the idle timeout (${cut.length}/${silent.length}, ${cut.length ? Math.min(...cut).toFixed(1) + '-' + Math.max(...cut).toFixed(1) : '-'} s)`);
const dribbling = dribblers.filter(s => s.connected && !s.closedAt).length;
T.note(`dribbling header senders still connected: ${dribbling}/40 (a byte a second resets the idle timeout; bounded by the per-address and global limits)`);

// SIGTERM with every adversary still connected: prompt, clean exit
const t0 = Date.now();
const code = await stopServer(srv);
const stopMs = Date.now() - t0;
T.ok(code === 0 && stopMs < 10000, `SIGTERM with slow clients connected stops ecsd in ${stopMs} ms, exit ${code}`, srv.log().slice(-1500));
for (const t of timers) clearInterval(t);
for (const s of sockets) s.s.destroy();
T.done();
