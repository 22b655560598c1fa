// tokens.mjs - the control API's bearer token (issue 11 rows 9 and 10):
//   - an empty or short --control-token (an unset shell variable) stops
//     start-up with exit 2, and no socket is opened;
//   - an empty presented token ("Authorization: Bearer " with nothing after
//     it, an empty X-Ecsd-Token) never opens the control API;
//   - the generated DATA_DIR/control.token is always a new file of mode
//     0600: an existing 0644 file is replaced (not rewritten in place), a
//     symlink in its place is replaced, never followed.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { spawnEcsd, stopEcsd } from '../lib/ecsd.mjs';
import { rawRequest } from '../lib/client.mjs';
import { BIN, tmpdir, reporter } from './lib.mjs';

const T = reporter('tokens');
const dir = tmpdir('tokens');

// --- row 9: empty and short tokens refused at start-up ---
for (const tok of ['', 'short', 'fifteen-chars-x']) {
  const r = spawnSync(BIN, ['--listen', '127.0.0.1:0', '--data-dir', path.join(dir, 'd0'), '--control-token', tok],
    { encoding: 'utf8', timeout: 30000 });
  T.ok(r.status === 2 && /control token needs at least 16 characters/.test(r.stderr) && !/listening/.test(r.stdout),
    `--control-token '${tok}' (${tok.length} chars) is refused at start-up`, `exit ${r.status}: ${r.stderr.slice(0, 200)}`);
}

for (const content of ['', '\n', 'short\n']) {
  const f = path.join(dir, 'tokfile');
  fs.writeFileSync(f, content, { mode: 0o600 });
  const r = spawnSync(BIN, ['--listen', '127.0.0.1:0', '--data-dir', path.join(dir, 'd0'), '--control-token-file', f],
    { encoding: 'utf8', timeout: 30000 });
  T.ok(r.status === 2 && !/listening/.test(r.stdout), `--control-token-file holding ${JSON.stringify(content)} is refused at start-up`,
    `exit ${r.status}: ${r.stderr.slice(0, 200)}`);
}

// --- row 9: an empty presented token never matches ---
{
  const tok = 'sixteen-chars-ok';
  const s = await spawnEcsd(BIN, ['--data-dir', path.join(dir, 'd1'), '--control-token', tok, '--log-level', 'error']).ready;
  const get = h => rawRequest({ port: s.port, method: 'GET', path: '/_ecsd/instances/i-none', headers: h });
  const empty = await get({ authorization: 'Bearer ' });
  const spaces = await get({ authorization: 'Bearer    ' });
  const xempty = await get({ 'x-ecsd-token': '' });
  const right = await get({ authorization: 'Bearer ' + tok });
  T.ok(empty.status === 401 && spaces.status === 401 && xempty.status === 401,
    `an empty presented token is refused (Bearer "" ${empty.status}, Bearer spaces ${spaces.status}, X-Ecsd-Token "" ${xempty.status})`);
  T.ok(right.status === 404, `a 16-character token opens the control API (${right.status}: no such instance)`);
  T.ok(await stopEcsd(s) === 0, 'stops cleanly');
}

// --- row 10: the token file is new, 0600, and no symlink is followed ---
async function generated(data) {
  const s = await spawnEcsd(BIN, ['--data-dir', data, '--log-level', 'error']).ready;
  const file = path.join(data, 'control.token');
  const st = fs.lstatSync(file);
  const tok = fs.readFileSync(file, 'utf8').trim();
  const ok = await rawRequest({ port: s.port, method: 'GET', path: '/_ecsd/instances/i-none', headers: { authorization: 'Bearer ' + tok } });
  await stopEcsd(s);
  return { st, tok, status: ok.status };
}
{
  const data = path.join(dir, 'd2');
  fs.mkdirSync(data, { mode: 0o700 });
  const file = path.join(data, 'control.token');
  fs.writeFileSync(file, 'old-token\n', { mode: 0o644 });
  fs.chmodSync(file, 0o644);
  const before = fs.statSync(file).ino;
  const g = await generated(data);
  T.ok((g.st.mode & 0o777) === 0o600, `an existing 0644 control.token ends up 0600 (${(g.st.mode & 0o777).toString(8)})`);
  T.ok(g.st.ino !== before, 'it is a new file (renamed into place), not the old one rewritten');
  T.ok(/^[0-9a-f]{48}$/.test(g.tok) && g.status === 404, 'it holds the new token, which opens the control API');
  T.ok(fs.readdirSync(data).every(n => !n.startsWith('.control.token')), 'no temporary file is left behind');
}
{
  const data = path.join(dir, 'd3');
  fs.mkdirSync(data, { mode: 0o700 });
  const target = path.join(dir, 'elsewhere');
  fs.writeFileSync(target, 'untouched\n', { mode: 0o644 });
  fs.symlinkSync(target, path.join(data, 'control.token'));
  const g = await generated(data);
  T.ok(g.st.isFile() && !g.st.isSymbolicLink() && (g.st.mode & 0o777) === 0o600,
    'a symlink named control.token is replaced by a regular 0600 file');
  T.ok(fs.readFileSync(target, 'utf8') === 'untouched\n' && (fs.statSync(target).mode & 0o777) === 0o644,
    'the symlink\'s target is neither written nor re-moded');
}
T.done();
