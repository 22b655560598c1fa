// rerun.mjs - the store's callback contract (issue 10 item 2): on
// PostgreSQL a transaction's callback runs again after a serialization
// failure. ECSD_TEST_RERUN=1 makes the store roll back every first run and
// re-run it exactly as after one, so every request here is answered from a
// second run. One request must still give exactly one reply: one document,
// one RequestId, no item twice, and the effect applied once.
import { startServer, stopServer, makeCredentials, tmpdir, api, reporter } from './lib.mjs';

const T = reporter('rerun');
if (!process.env.PGURI) {
  T.ok(false, 'PGURI names a PostgreSQL cluster');
  T.done();
}
process.env.ECSD_TEST_RERUN = '1';
const dir = tmpdir('rerun');
const { file, keys } = makeCredentials(dir);
const k = keys[0];
const s = await startServer({ credentials: file, store: process.env.PGURI, dataDir: dir });
const IMAGE = 'aliyun_3_x64_20G_alibase_20240819.vhd';
const count = (text, re) => (text.match(re) || []).length;

// one JSON document: parses, and holds one RequestId
function oneJson(r, what) {
  const ok = r.json !== null && count(r.text, /"RequestId"/g) === 1;
  return T.ok(ok, `${what}: one JSON document with one RequestId`, r.text.slice(0, 300));
}

const run = await api(s.port, k, 'RunInstances', { RegionId: 'cn-hangzhou', ImageId: IMAGE,
  InstanceType: 'ecs.g6.large', Amount: '3', ClientToken: 'rerun-run-1' });
oneJson(run, 'RunInstances Amount=3');
const ids = run.json?.InstanceIdSets?.InstanceIdSet ?? [];
T.ok(run.status === 200 && ids.length === 3 && new Set(ids).size === 3,
  'RunInstances: three distinct ids', JSON.stringify(run.json));

const again = await api(s.port, k, 'RunInstances', { RegionId: 'cn-hangzhou', ImageId: IMAGE,
  InstanceType: 'ecs.g6.large', Amount: '3', ClientToken: 'rerun-run-1' });
T.ok(again.status === 200 && JSON.stringify(again.json?.InstanceIdSets) === JSON.stringify(run.json?.InstanceIdSets),
  'RunInstances with the same ClientToken: the same ids (the token was saved once)', again.text.slice(0, 300));

const all = await api(s.port, k, 'DescribeInstances', { RegionId: 'cn-hangzhou', PageSize: '100' });
oneJson(all, 'DescribeInstances');
const got = (all.json?.Instances?.Instance ?? []).map(i => i.InstanceId);
T.ok(all.json?.TotalCount === 3 && got.length === 3 && new Set(got).size === 3 &&
  count(all.text, /"Instances":/g) === 1 && count(all.text, /"InstanceId":/g) === 3,
  'DescribeInstances: each instance once, TotalCount 3 (one store row per instance)', `${all.json?.TotalCount} ${got}`);

const page = await api(s.port, k, 'DescribeInstances', { RegionId: 'cn-hangzhou', MaxResults: '10' });
T.ok((page.json?.Instances?.Instance ?? []).length === 3 && !page.json?.NextToken,
  'DescribeInstances in token mode: three rows, no NextToken', page.text.slice(0, 300));

const xml = await api(s.port, k, 'DescribeInstances', { RegionId: 'cn-hangzhou' }, { format: 'XML' });
T.ok(xml.status === 200 && count(xml.text, /<\?xml/g) === 1 && count(xml.text, /<RequestId>/g) === 1 &&
  count(xml.text, /<InstanceId>/g) === 3, 'DescribeInstances as XML: one document, three instances', xml.text.slice(0, 300));

// a refusal decided inside the callback, on every run
const refused = await api(s.port, k, 'DeleteInstance', { InstanceId: ids[0] });
oneJson(refused, 'DeleteInstance of a Running instance');
T.ok(refused.status === 403 && refused.json?.Code === 'IncorrectInstanceStatus',
  'DeleteInstance without Force: IncorrectInstanceStatus once', refused.text.slice(0, 300));

const missing = await api(s.port, k, 'DeleteInstances', { RegionId: 'cn-hangzhou', 'InstanceId.1': ids[0], 'InstanceId.2': 'i-rerunmissing', Force: 'true' });
oneJson(missing, 'DeleteInstances naming a missing instance');
T.ok(missing.status === 404 && /i-rerunmissing/.test(missing.json?.Message ?? ''),
  'DeleteInstances: the missing id named in the one error (detail from the last run)', missing.text.slice(0, 300));

const del = await api(s.port, k, 'DeleteInstance', { InstanceId: ids[0], Force: 'true' });
oneJson(del, 'DeleteInstance Force=true');
T.ok(del.status === 200, 'DeleteInstance Force=true succeeds', del.text.slice(0, 300));
const after = await api(s.port, k, 'DescribeInstances', { RegionId: 'cn-hangzhou' });
T.ok(after.json?.TotalCount === 2 && (after.json?.Instances?.Instance ?? []).length === 2,
  'after the delete: two instances left', after.text.slice(0, 300));

const disks = await api(s.port, k, 'DescribeDisks', { RegionId: 'cn-hangzhou', PageSize: '100' });
oneJson(disks, 'DescribeDisks');
const dids = (disks.json?.Disks?.Disk ?? []).map(d => d.DiskId);
T.ok(dids.length === 2 && new Set(dids).size === 2 && disks.json?.TotalCount === 2 &&
  count(disks.text, /"Disks":/g) === 1 && count(disks.text, /"DiskId":/g) === 2,
  'DescribeDisks: the two system disks, each once', `${disks.json?.TotalCount} ${dids}`);

const st = await api(s.port, k, 'DescribeInstanceStatus', { RegionId: 'cn-hangzhou' });
oneJson(st, 'DescribeInstanceStatus');
T.ok((st.json?.InstanceStatuses?.InstanceStatus ?? []).length === 2 && st.json?.TotalCount === 2 &&
  count(st.text, /"InstanceStatuses":/g) === 1,
  'DescribeInstanceStatus: two entries', st.text.slice(0, 300));

const reruns = count(s.log(), /test re-run of a transaction/g);
T.ok(reruns >= 8, `the store re-ran the transactions (${reruns} re-runs logged)`);
T.ok(await stopServer(s) === 0, 'stops cleanly');
T.done();
