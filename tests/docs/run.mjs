// tests/docs/run.mjs - every code block of README.md and docs/ runs as
// printed, or says why not.
//
// A fenced block whose language is sh/bash/shell or js/mjs/javascript is run;
// a block whose info string carries `norun: REASON` is not (the reason is
// required); anything else (an indented block, a fence without a language,
// output without a mark) fails the test. For each file, in a network
// namespace of its own (so that 127.0.0.1:8080, the address the docs use,
// is this test's and nobody else's), the test:
//   - makes a scratch "checkout": links to every top-level entry of the repo
//     but a fresh ecsd-data/, and ecs/ecsd on PATH;
//   - starts build/ecsd as README's run command does (127.0.0.1:8080,
//     ./ecsd-data, the development account), with README's HTTPS listener
//     (--listen-tls 127.0.0.1:8443, its local CA in ./ecsd-data/tls);
//   - fills the account with more than a page of instances first, so that a
//     snippet that picks "the last instance listed" instead of the one it
//     made fails here (issue 20);
//   - runs the file's runnable blocks in order: shell in bash -e, JavaScript
//     as an ES module. A shell block made only of `npm install ...` lines
//     runs outside the namespace (it needs the registry) in a scratch
//     project, and the JavaScript blocks after it run in that project, so a
//     snippet must work with exactly the packages its install line names.
// Blocks marked norun for the aliyun CLI or Terraform are still checked:
// the endpoint, protocol and keys they configure are used for a real signed
// call to the ecsd of the test.
// Prints "ok - FILE:LINE ..." lines and "docs: N passed, M failed, K skipped".
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BUILD = process.env.DOCS_BUILD || path.join(ROOT, 'build');
const RUN_LANGS = new Set(['sh', 'bash', 'shell', 'js', 'mjs', 'javascript']);
const DEV = { id: 'LTAIecsdDevelopment1', secret: 'ecsdDevelopmentSecret000000001' };
let pass = 0, fail = 0, skip = 0;

function ok(name) { pass++; console.log(`ok - ${name}`); }
function notOk(name, why) {
  fail++;
  console.log(`not ok - ${name}`);
  for (const l of String(why).split('\n').slice(-25)) console.log(`#   ${l}`);
}

function docFiles() {
  const out = ['README.md'];
  const walk = (d) => {
    for (const e of fs.readdirSync(path.join(ROOT, d), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const rel = path.join(d, e.name);
      if (e.isDirectory()) walk(rel);
      else if (e.name.endsWith('.md')) out.push(rel);
    }
  };
  walk('docs');
  return out;
}

function blocksOf(files) {
  const r = spawnSync('/usr/bin/python3', [path.join(ROOT, 'tests/docs/blocks.py'), ...files], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`blocks.py failed: ${r.stderr}`);
  return r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

// classify a block: {run: 'sh'|'js'} | {norun: reason} | {bad: why}
export function classify(b) {
  if (b.kind === 'indented')
    return { bad: 'indented code block: fence it with a language (```sh) or mark it (```text norun: REASON)' };
  const m = b.info.match(/\bnorun\b\s*:?\s*(.*)$/);
  if (m) return m[1].trim() ? { norun: m[1].trim() } : { bad: 'norun without a reason' };
  const lang = b.info.split(/\s+/)[0];
  if (!lang) return { bad: 'fenced block without a language: give one, or mark it `norun: REASON`' };
  if (!RUN_LANGS.has(lang)) return { bad: `language "${lang}" is not run: mark it \`${lang} norun: REASON\`` };
  return { run: ['js', 'mjs', 'javascript'].includes(lang) ? 'js' : 'sh' };
}

function isInstallOnly(content) {
  const lines = content.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  return lines.length > 0 && lines.every((l) => /^npm (i|install|ci)\b/.test(l));
}

function sh(cmd, args, opts = {}) {
  return spawnSync(cmd, args, { encoding: 'utf8', timeout: opts.timeout || 180000, ...opts });
}

function makeCheckout(tmp) {
  const co = path.join(tmp, 'checkout');
  fs.mkdirSync(co);
  for (const e of fs.readdirSync(ROOT)) {
    if (e === 'ecsd-data' || e === '.git') continue;
    fs.symlinkSync(path.join(ROOT, e), path.join(co, e));
  }
  // the docs call ./build/ecs; with DOCS_BUILD another build can stand in
  if (BUILD !== path.join(ROOT, 'build')) {
    fs.unlinkSync(path.join(co, 'build'));
    fs.symlinkSync(BUILD, path.join(co, 'build'));
  }
  const bin = path.join(tmp, 'bin');
  fs.mkdirSync(bin);
  for (const b of ['ecs', 'ecsd']) fs.symlinkSync(path.join(BUILD, b), path.join(bin, b));
  fs.mkdirSync(path.join(tmp, 'home'));
  return { co, bin, home: path.join(tmp, 'home') };
}

async function waitListening(ns, ms = 20000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const r = sh('ip', ['netns', 'exec', ns, 'curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', 'http://127.0.0.1:8080/_ecsd/health']);
    if (r.stdout === '200') return true;
    await new Promise((res) => setTimeout(res, 100));
  }
  return false;
}

// a real signed call with the values a norun block configures
function checkConfig(ns, env, cfg, where) {
  const probe = `
    import RPCClient from '@alicloud/pop-core';
    const c = new RPCClient({ accessKeyId: ${JSON.stringify(cfg.id)}, accessKeySecret: ${JSON.stringify(cfg.secret)},
      endpoint: ${JSON.stringify(cfg.url)}, apiVersion: '2014-05-26' });
    const r = await c.request('DescribeRegions', { RegionId: ${JSON.stringify(cfg.region || 'cn-hangzhou')} }, { method: 'POST' });
    if (!r.Regions || !r.Regions.Region.some((x) => x.RegionId === ${JSON.stringify(cfg.region || 'cn-hangzhou')})) throw new Error('region not served');
  `;
  const f = path.join(env.co, `.docs-probe-${process.pid}.mjs`);
  fs.writeFileSync(f, probe);
  const r = sh('ip', ['netns', 'exec', ns, 'node', f], { cwd: env.co, env: { ...process.env, HOME: env.home } });
  fs.unlinkSync(f);
  if (r.status === 0) ok(`${where} (not run: its endpoint, protocol and keys answer a signed call)`);
  else notOk(`${where} configuration answers a signed call`, r.stderr || r.stdout);
}

// a block that shows `ecsd --help` shows all of it, as the binary prints it
function checkHelp(b, where) {
  const help = sh(path.join(BUILD, 'ecsd'), ['--help']).stdout.split('\n').slice(1).filter(Boolean);
  const shown = new Set(b.content.split('\n'));
  const missing = help.filter((l) => !shown.has(l));
  if (!missing.length) ok(`${where} (not run: every line of ecsd --help is in it)`);
  else notOk(`${where} shows ecsd --help`, `missing or different:\n${missing.join('\n')}`);
}

function configOf(b) {
  const c = b.content;
  if (/^\s*provider\s+"alicloud"/m.test(c)) {
    const g = (k) => (c.match(new RegExp(`\\b${k}\\s*=\\s*"([^"]*)"`)) || [])[1];
    const proto = (g('protocol') || 'HTTPS').toLowerCase();
    const ep = g('ecs');
    return ep && { id: g('access_key'), secret: g('secret_key'), region: g('region'), url: `${proto}://${ep}` };
  }
  if (/\baliyun\b/.test(c)) {
    const g = (k) => (c.match(new RegExp(`--${k}[ =](\\S+)`)) || [])[1];
    const ep = g('endpoint');
    if (!ep) return null;
    return { id: g('access-key-id'), secret: g('access-key-secret'), region: g('region'),
             url: `${/--insecure\b/.test(c) ? 'http' : 'https'}://${ep}` };
  }
  return null;
}

async function runFile(file, blocks, idx) {
  const runnable = blocks.filter((b) => classify(b).run);
  const configs = blocks.filter((b) => classify(b).norun && configOf(b));
  for (const b of blocks) {
    const c = classify(b);
    if (c.norun && /output of ecsd --help/.test(c.norun)) { checkHelp(b, `${file}:${b.line}`); continue; }
    if (c.bad) notOk(`${file}:${b.line}`, c.bad);
    else if (c.norun && !configOf(b)) { skip++; console.log(`ok - ${file}:${b.line} # SKIP norun: ${c.norun}`); }
  }
  if (!runnable.length && !configs.length) return;

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ecsd-docs.'));
  const ns = `ecsddoc${process.pid}x${idx}`;
  const env = makeCheckout(tmp);
  let server;
  try {
    if (sh('ip', ['netns', 'add', ns]).status !== 0) throw new Error('ip netns add failed (the test needs root)');
    sh('ip', ['netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up']);
    // README's run command, with the HTTPS listener its TLS section adds
    server = spawn('ip', ['netns', 'exec', ns, path.join(env.co, 'build/ecsd'), '--listen-tls', '127.0.0.1:8443'],
      { cwd: env.co, stdio: ['ignore', 'ignore', 'pipe'] });
    let serr = '';
    server.stderr.on('data', (d) => { serr = (serr + d).slice(-4000); });
    if (!(await waitListening(ns))) throw new Error(`ecsd did not start: ${serr}`);
    const benv = { ...process.env, HOME: env.home, PATH: `${env.bin}:${process.env.PATH}` };
    for (const k of Object.keys(benv)) if (k.startsWith('ALIBABA_CLOUD_')) delete benv[k];
    // more than a page of instances already in the account
    const fill = sh('ip', ['netns', 'exec', ns, './build/ecs', 'RunInstances', '--RegionId', 'cn-hangzhou',
      '--ImageId', 'aliyun_3_x64_20G_alibase_20240819.vhd', '--InstanceType', 'ecs.g6.large', '--Amount', '12'],
      { cwd: env.co, env: benv });
    if (fill.status !== 0) throw new Error(`could not fill the account: ${fill.stdout}${fill.stderr}`);

    let project = null; // scratch npm project made by an install block
    for (const b of blocks) {
      const c = classify(b);
      const name = `${file}:${b.line} (${b.info.split(/\s+/)[0]})`;
      if (c.norun) { const cfg = configOf(b); if (cfg) checkConfig(ns, env, cfg, `${file}:${b.line}`); continue; }
      if (!c.run) continue;
      let r;
      if (c.run === 'sh' && isInstallOnly(b.content)) {
        project = path.join(tmp, `project${b.line}`);
        fs.mkdirSync(project);
        fs.writeFileSync(path.join(project, 'package.json'), '{"name":"snippet","private":true}\n');
        r = sh('bash', ['-e', '-o', 'pipefail', '-c', b.content], {
          cwd: project, timeout: 300000,
          env: { ...benv, npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_loglevel: 'error' } });
      } else if (c.run === 'sh') {
        r = sh('ip', ['netns', 'exec', ns, 'bash', '-e', '-o', 'pipefail', '-c', b.content], { cwd: env.co, env: benv });
      } else {
        const dir = project || env.co;
        const f = path.join(dir, `.docs-snippet-${process.pid}-${b.line}.mjs`);
        fs.writeFileSync(f, b.content);
        r = sh('ip', ['netns', 'exec', ns, 'node', f], { cwd: dir, env: benv, timeout: 120000 });
        fs.unlinkSync(f);
      }
      if (r.status === 0) ok(name);
      else notOk(name, `exit ${r.status}${r.signal ? ` (${r.signal})` : ''}\n${r.stdout}\n${r.stderr}`);
    }
  } catch (e) {
    notOk(`${file}: set-up`, e.message);
  } finally {
    if (server) { server.kill('SIGTERM'); await new Promise((res) => { server.on('exit', res); setTimeout(res, 5000); }); }
    sh('ip', ['netns', 'del', ns]);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (!fs.existsSync(path.join(BUILD, 'ecsd'))) {
  console.log(`not ok - ${BUILD}/ecsd is not built`);
  console.log('docs: 0 passed, 1 failed');
  process.exit(1);
}
const files = docFiles();
const all = blocksOf(files);
let i = 0;
for (const f of files) await runFile(f, all.filter((b) => b.file === f), i++);
console.log(`docs: ${pass} passed, ${fail} failed, ${skip} skipped`);
process.exit(fail ? 1 : 0);
