// console.test.mjs - the browser console in Debian's chromium (headless,
// driven by playwright-core): sign in (a wrong key shows the API's error),
// the fleet made through the official SDK, a release preview checked
// against DescribeDisks/DescribeSnapshots after the one-button release,
// refused releases that show their Code and change nothing, a batch
// preview + DeleteInstances, a hostile name shown as text, a phone-sized
// window. A screenshot of each step goes to SCREENSHOT_DIR.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { $Ecs, start, sdk, ctl, run, disksOf, allDisks, allSnapshots, instanceIds, shotDir } from './lib.mjs';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const XSS = '<img src=x onerror=alert(1)>';
let srv, ecs, browser, page, shots, n = 0;
const dialogs = [];
const pageErrors = [];

async function shot(name) {
  n += 1;
  await page.screenshot({ path: path.join(shots, `${String(n).padStart(2, '0')}-${name}.png`), fullPage: true });
}

before(async () => {
  srv = await start({ delay: 0.3 });
  ecs = sdk(srv);
  shots = shotDir();
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('dialog', d => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  page.on('pageerror', e => pageErrors.push(String(e)));
});

after(async () => {
  if (browser) await browser.close();
  if (srv) assert.equal(await srv.stop(), 0);
  assert.deepEqual(pageErrors, [], 'no script errors in the page');
});

async function signIn(akid, secret, token = '') {
  await page.goto(srv.url + '/console/');
  await page.getByLabel('AccessKey ID').fill(akid);
  await page.getByLabel('AccessKey secret').fill(secret);
  await page.getByLabel(/Control token/).fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

const ids = {};

test('a wrong key shows the API\'s error; the right one signs in', async () => {
  await signIn(srv.a.akid, 'not-the-secret');
  await page.getByRole('alert').waitFor();
  assert.match(await page.getByRole('alert').textContent(), /SignatureDoesNotMatch/);
  await shot('wrong-secret');
  await signIn('LTAInosuchkey000', 'x');
  await page.getByRole('alert').filter({ hasText: 'InvalidAccessKeyId.NotFound' }).waitFor();
  assert.equal(await page.evaluate(() => JSON.stringify(sessionStorage)), '{}', 'a refused key is not kept');
  await signIn(srv.a.akid, srv.a.secret, srv.token);
  await page.getByRole('heading', { name: 'Instances' }).waitFor();
  const stored = await page.evaluate(() => JSON.stringify(sessionStorage));
  assert.match(stored, new RegExp(srv.a.akid));
  assert.equal(await page.evaluate(() => JSON.stringify(localStorage)), '{}', 'nothing in localStorage');
});

test('the fleet made through the SDK shows, names as text, statuses live', async () => {
  ids.plan = await run(ecs, { name: 'web-1', stopped: true,
    dataDisks: [{ deleteWithInstance: true }, { deleteWithInstance: false }] });
  ids.running = await run(ecs, { name: 'api-running' });
  ids.dp = await run(ecs, { name: 'db-protected', stopped: true, dp: true });
  ids.sub = await run(ecs, { name: 'sub-expired', stopped: true, prepaid: true });
  assert.equal((await ctl(srv, 'POST', `/instances/${ids.sub}/state`, { Expired: true })).status, 200);
  ids.xss = await run(ecs, { name: XSS, stopped: true });
  ids.b1 = await run(ecs, { name: 'batch-1', stopped: true });
  ids.b2 = await run(ecs, { name: 'batch-2', stopped: true });
  const ds = await disksOf(ecs, ids.plan);
  const data = ds.filter(d => d.type === 'data');
  ids.snapUser = (await ecs.createSnapshot(new $Ecs.CreateSnapshotRequest({ diskId: data[0].diskId, snapshotName: 'nightly' }))).body.snapshotId;
  ids.snapAuto = (await ctl(srv, 'POST', `/disks/${data[0].diskId}/auto-snapshots`)).json.SnapshotId;
  ids.snapKept = (await ctl(srv, 'POST', `/disks/${data[1].diskId}/auto-snapshots`)).json.SnapshotId;

  for (const id of Object.values(ids).filter(x => x.startsWith('i-')))
    await page.locator(`tr[data-instance="${id}"]`).waitFor({ timeout: 10000 });   /* live refresh, no reload */
  const cell = page.locator(`tr[data-instance="${ids.xss}"] td[data-col="name"]`);
  assert.equal(await cell.textContent(), XSS, 'the name is shown as text');
  assert.equal(await page.locator('main img').count(), 0, 'no element made from the name');
  assert.equal(await page.locator(`tr[data-instance="${ids.running}"] td[data-col="status"]`).textContent(), 'Running');
  // a status moves without a reload
  await ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId: ids.running }));
  await page.locator(`tr[data-instance="${ids.running}"] td[data-col="status"]`).filter({ hasText: 'Stopped' }).waitFor({ timeout: 10000 });
  await ecs.startInstance(new $Ecs.StartInstanceRequest({ instanceId: ids.running }));
  await page.locator(`tr[data-instance="${ids.running}"] td[data-col="status"]`).filter({ hasText: 'Running' }).waitFor({ timeout: 10000 });
  await shot('fleet');
  assert.deepEqual(dialogs, [], 'no script ran from a name');
});

test('release preview says exactly what the release then does', async () => {
  await page.locator(`a[href="#/instances/${ids.plan}"]`).click();
  await page.getByRole('heading', { name: `Instance ${ids.plan}` }).waitFor();
  await page.getByRole('button', { name: 'Preview release' }).click();
  const plan = page.locator(`section.plan[data-instance="${ids.plan}"]`);
  await plan.waitFor();
  assert.equal(await plan.getAttribute('data-releasable'), 'true');
  const diskFate = Object.fromEntries(await page.$$eval('table[data-table="plan-disks"] tr[data-disk]',
    rows => rows.map(r => [r.dataset.disk, r.dataset.fate])));
  const snapFate = Object.fromEntries(await page.$$eval('table[data-table="plan-snapshots"] tr[data-snapshot]',
    rows => rows.map(r => [r.dataset.snapshot, r.dataset.fate])));
  assert.equal(Object.keys(diskFate).length, 3);
  assert.deepEqual(Object.values(diskFate).sort(), ['Kept', 'Released', 'Released']);
  assert.deepEqual(snapFate, { [ids.snapUser]: 'Kept', [ids.snapAuto]: 'Deleted', [ids.snapKept]: 'Kept' });
  await shot('release-preview');
  await page.getByRole('button', { name: 'Release this instance' }).click();
  await page.getByRole('heading', { name: 'Instances' }).waitFor();
  await page.locator(`tr[data-instance="${ids.plan}"]`).waitFor({ state: 'detached' });
  await shot('after-release');
  assert.ok(!(await instanceIds(ecs)).includes(ids.plan));
  const disks = new Map((await allDisks(ecs)).map(d => [d.diskId, d]));
  for (const [id, fate] of Object.entries(diskFate)) {
    if (fate === 'Released') assert.ok(!disks.has(id), `${id} released as previewed`);
    else {
      assert.equal(disks.get(id)?.status, 'Available', `${id} kept as previewed`);
      assert.equal(disks.get(id).diskChargeType, 'PostPaid');
    }
  }
  const snaps = new Set((await allSnapshots(ecs)).map(s => s.snapshotId));
  for (const [id, fate] of Object.entries(snapFate)) assert.equal(snaps.has(id), fate === 'Kept', `${id} ${fate}`);
});

async function refused(id, code, name) {
  const before = JSON.stringify([await instanceIds(ecs), (await allDisks(ecs)).length]);
  await page.goto(`${srv.url}/console/#/instances/${id}`);
  await page.getByRole('button', { name: 'Preview release' }).click();
  const box = page.locator(`section.plan[data-instance="${id}"] .refused`);
  await box.waitFor();
  assert.equal(await box.getAttribute('data-code'), code);
  assert.match(await box.textContent(), /What lets it through/);
  assert.equal(await page.getByRole('button', { name: 'Release this instance' }).isDisabled(), true);
  await shot(name);
  assert.equal(JSON.stringify([await instanceIds(ecs), (await allDisks(ecs)).length]), before, 'nothing changed');
}

test('refused releases show their Code and change nothing', async () => {
  await refused(ids.running, 'IncorrectInstanceStatus', 'refused-running');
  await refused(ids.dp, 'InvalidOperation.DeletionProtection', 'refused-protected');
  await refused(ids.sub, 'ChargeTypeViolation', 'refused-expired');
  // with TerminateSubscription the expired subscription becomes releasable
  await page.getByLabel(/TerminateSubscription/).check();
  await page.getByRole('button', { name: 'Preview release' }).click();
  await page.locator(`section.plan[data-instance="${ids.sub}"][data-releasable="true"]`).waitFor();
});

test('batch preview and DeleteInstances', async () => {
  await page.goto(`${srv.url}/console/#/instances`);
  await page.locator(`input[data-select="${ids.b1}"]`).check();
  await page.locator(`input[data-select="${ids.b2}"]`).check();
  await page.locator(`input[data-select="${ids.running}"]`).check();
  await page.getByRole('button', { name: 'Preview release of the selection' }).click();
  await page.locator('section.batch-plan[data-releasable="false"]').waitFor();
  assert.match(await page.locator('section.batch-plan').textContent(), /IncorrectInstanceStatus/);
  await page.locator(`input[data-select="${ids.running}"]`).uncheck();
  await page.getByRole('button', { name: 'Preview release of the selection' }).click();
  await page.locator('section.batch-plan[data-releasable="true"]').waitFor();
  assert.equal(await page.locator('section.batch-plan section.plan').count(), 2);
  await shot('batch-preview');
  await page.getByRole('button', { name: 'Release 2 instances' }).click();
  await page.getByText('Released 2 instances.').first().waitFor();
  const left = await instanceIds(ecs);
  assert.ok(!left.includes(ids.b1) && !left.includes(ids.b2) && left.includes(ids.running));
});

test('the audit trail and a resource\'s history', async () => {
  await page.goto(`${srv.url}/console/#/instances/${ids.running}`);
  const hist = page.locator('table[data-table="history"]');
  await hist.waitFor();
  const actions = await hist.locator('td[data-col="action"]').allTextContents();
  assert.ok(actions.includes('StopInstance') && actions.includes('StartInstance') && actions.includes('RunInstances'),
    actions.join());
  await page.goto(`${srv.url}/console/#/audit`);
  await page.getByLabel('Action').fill('DeleteInstances');
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.locator('table[data-table="audit"] td[data-col="action"]').first().waitFor();
  assert.deepEqual(await page.locator('table[data-table="audit"] td[data-col="action"]').allTextContents(), ['DeleteInstances']);
  assert.equal(await page.locator('table[data-table="audit"] td[data-col="code"]').textContent(), 'OK (200)');
  await shot('audit-trail');
});

test('keyboard only, and a phone-sized window', async () => {
  await page.goto(`${srv.url}/console/#/disks`);
  await page.getByRole('heading', { name: 'Disks' }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Disks', 'a new view moves focus to its heading');
  // backwards from the heading: the header's controls, then the skip link first of all
  const seen = [];
  for (let i = 0; i < 15 && seen[seen.length - 1] !== 'Skip to content'; i++) {
    await page.keyboard.press('Shift+Tab');
    seen.push(await page.evaluate(() => document.activeElement.textContent));
  }
  assert.equal(seen[seen.length - 1], 'Skip to content', seen.join(' | '));
  assert.ok(seen.includes('Sign out') && seen.includes('Instances'), seen.join(' | '));
  // reach a navigation link with the keyboard and follow it with Enter
  for (let i = 0; i < 10 && await page.evaluate(() => document.activeElement.textContent) !== 'Snapshots'; i++)
    await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Snapshots' }).waitFor();
  await page.goto(`${srv.url}/console/#/disks`);
  await page.getByRole('heading', { name: 'Disks' }).waitFor();
  for (const el of await page.locator('input, select').all()) {
    const id = await el.getAttribute('id');
    const label = (await el.getAttribute('aria-label')) || (id && await page.locator(`label[for="${id}"]`).count());
    assert.ok(label, 'every control has a label');
  }
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${srv.url}/console/#/instances`);
  await page.getByRole('heading', { name: 'Instances' }).waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the page fits a phone (overflow ${overflow}px)`);
  await shot('phone');
  await page.setViewportSize({ width: 1280, height: 800 });
  assert.ok(fs.readdirSync(shots).length >= 8);
});
