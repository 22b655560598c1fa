// throttle.mjs - the per-AccessKey rate limit (issue 6.4): --rate-limit N
// (requests per second per key, a burst of N) answers Throttling.User with
// HTTP 400, Message, RequestId, HostId, Recommend and x-acs-retry-after,
// in JSON and XML; other keys are not affected; the key is served again
// after a second; the official SDK (@alicloud/ecs20140526) sees a
// ThrottlingError with retryAfter and, with retryOptions, retries to
// success; without --rate-limit nothing is throttled.
import ecs20140526 from '@alicloud/ecs20140526';
import * as $Ecs from '@alicloud/ecs20140526';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import * as $dara from '@darabonba/typescript';
import { startServer, stopServer, makeCredentials, tmpdir, reporter, sleep, api } from './lib.mjs';

const EcsClient = ecs20140526.default;
const T = reporter('throttle');
const RATE = 5;
const dir = tmpdir('throttle');
const { file, keys } = makeCredentials(dir, 3);
const [A, B, C] = keys;

const code = r => r.json?.Code ?? r.text?.match(/<Code>([^<]*)<\/Code>/)?.[1];

let srv = await startServer({ credentials: file, args: ['--rate-limit', String(RATE)] });
try {
  // a burst of 30 from A, all sent at once
  const t0 = Date.now();
  const burst = await Promise.all(Array.from({ length: 30 }, () => api(srv.port, A, 'DescribeRegions')));
  const secs = (Date.now() - t0) / 1000;
  const okN = burst.filter(r => r.status === 200).length;
  const thr = burst.filter(r => code(r) === 'Throttling.User');
  T.ok(okN >= RATE && okN <= RATE + Math.ceil(RATE * secs) + 1 && okN + thr.length === 30,
    `a burst of 30 gets ${okN} through (rate ${RATE}/s, burst ${RATE}) and ${thr.length} Throttling.User`,
    JSON.stringify(burst.map(r => r.status ?? r.error)));
  const t = thr[0] ?? {};
  T.ok(t.status === 400, 'Throttling.User has HTTP status 400', String(t.status));
  T.ok(t.json?.Message === 'Request was denied due to user flow control.', 'with the service\'s Message', t.json?.Message);
  T.ok(/^[0-9A-F-]{36}$/.test(t.json?.RequestId ?? '') && typeof t.json?.HostId === 'string' && /^https:\/\/api\.aliyun\.com\/troubleshoot\?q=Throttling\.User/.test(t.json?.Recommend ?? ''),
    'and RequestId, HostId and a Recommend link', JSON.stringify(t.json));
  T.ok(/^\d+$/.test(t.headers?.['x-acs-retry-after'] ?? '') && Number(t.headers['x-acs-retry-after']) > 0,
    `and x-acs-retry-after (${t.headers?.['x-acs-retry-after']} ms)`);
  // the XML form
  const x = await api(srv.port, A, 'DescribeRegions', {}, { format: 'XML' });
  T.ok(x.status === 400 && /<Code>Throttling\.User<\/Code>/.test(x.text) && /<Recommend>[^<]+<\/Recommend>/.test(x.text),
    'Throttling.User in XML too', x.text?.slice(0, 300));
  // another key is not limited by A's traffic
  const b = await Promise.all(Array.from({ length: RATE }, () => api(srv.port, B, 'DescribeRegions')));
  T.ok(b.every(r => r.status === 200), `another key is served meanwhile (${b.map(r => r.status).join(',')})`);
  // A again after the bucket refills
  await sleep(1200);
  const again = await api(srv.port, A, 'DescribeRegions');
  T.ok(again.status === 200, 'the throttled key is served again after a second', String(again.status));
  // a steady 4/s under a 5/s limit is never throttled
  const steady = [];
  for (let i = 0; i < 8; i++) { steady.push(await api(srv.port, C, 'DescribeRegions')); await sleep(250); }
  T.ok(steady.every(r => r.status === 200), 'a client under the rate is never throttled', steady.map(r => r.status).join(','));

  // the official SDK: a ThrottlingError carrying retryAfter ...
  await sleep(1200);
  const config = extra => new $OpenApiUtil.Config({
    accessKeyId: A.akid, accessKeySecret: A.secret, endpoint: '127.0.0.1:' + srv.port, protocol: 'http', regionId: 'cn-hangzhou', ...extra,
  });
  const client = new EcsClient(config({}));
  const req = () => new $Ecs.DescribeRegionsRequest({});
  const errs = [];
  await Promise.all(Array.from({ length: 12 }, () => client.describeRegions(req()).catch(e => errs.push(e))));
  const e = errs[0];
  T.ok(errs.length > 0 && e.name === 'ThrottlingError' && e.code === 'Throttling.User' && e.statusCode === 400 && e.retryAfter > 0,
    `the SDK raises ThrottlingError(Throttling.User, 400, retryAfter ${e?.retryAfter})`, e ? `${e.name} ${e.code} ${e.statusCode} ${e.retryAfter}` : 'no error');
  // ... and retries to success when configured to (Config.retryOptions)
  await sleep(1200);
  const retrying = new EcsClient(config({
    retryOptions: new $dara.RetryOptions({ retryable: true, retryCondition: [{ exception: ['ThrottlingError'], errorCode: ['Throttling.User'], maxAttempts: 5 }] }),
  }));
  const t1 = Date.now();
  const res = await Promise.allSettled(Array.from({ length: 12 }, () => retrying.describeRegions(req())));
  const good = res.filter(r => r.status === 'fulfilled').length;
  T.ok(good === 12, `with retryOptions the SDK retries after retryAfter: 12/12 succeed (${good}) in ${Date.now() - t1} ms`,
    res.filter(r => r.status === 'rejected').map(r => r.reason?.code).join(','));
} catch (e) {
  T.ok(false, 'throttling checks', e.stack);
}
let exit = await stopServer(srv);
T.ok(exit === 0, 'ecsd with --rate-limit stops cleanly', `exit ${exit}: ${srv.log().slice(-1000)}`);

// off by default
srv = await startServer({ credentials: file });
const many = await Promise.all(Array.from({ length: 60 }, () => api(srv.port, A, 'DescribeRegions')));
T.ok(many.every(r => r.status === 200), 'without --rate-limit 60 requests at once all succeed', many.map(r => r.status ?? r.error).filter(s => s !== 200).join(','));
exit = await stopServer(srv);
T.ok(exit === 0, 'ecsd without --rate-limit stops cleanly', `exit ${exit}`);
T.done();
