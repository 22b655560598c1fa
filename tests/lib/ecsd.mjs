// ecsd.mjs - starting and stopping a real ecsd for the node suites: spawn it
// on 127.0.0.1:0, read the port it prints, keep a bounded stderr tail, pass
// ERROR_TRACE through as --error-trace. Each suite brings its own arguments.
import { spawn } from 'node:child_process';

const TAIL = 1 << 20;

// Returns a server at once: { name, child, port, stderr, exit, exited, ready };
// with --listen-tls among args also tlsPort and caPath (the local CA's
// certificate, when ecsd made it), and ready waits for the TLS line too.
// ready resolves (to the server) once it listens, or rejects if it exits or
// stays silent for startMs (it is then killed). exited resolves { code, sig }.
export function spawnEcsd(bin, args, { name = 'ecsd', startMs = 30000 } = {}) {
  const full = ['--listen', '127.0.0.1:0', ...args];
  if (process.env.ERROR_TRACE) full.push('--error-trace', process.env.ERROR_TRACE);
  const child = spawn(bin, full, { stdio: ['ignore', 'pipe', 'pipe'] });
  const s = { name, child, port: 0, tlsPort: 0, caPath: '', stderr: '', exit: null };
  const wantTls = args.includes('--listen-tls');
  child.stderr.on('data', d => {
    s.stderr += d;
    if (s.stderr.length > TAIL) s.stderr = s.stderr.slice(-(TAIL >> 1));
  });
  s.exited = new Promise(resolve => child.on('exit', (code, sig) => { s.exit = { code, sig }; resolve(s.exit); }));
  s.ready = new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not listen within ${startMs / 1000} s: ${s.stderr.slice(-2000)}`));
    }, startMs);
    timer.unref();
    child.stdout.on('data', d => {
      out += d;
      const m = out.match(/ecsd listening on \S+:(\d+)\n/);
      const t = out.match(/ecsd listening \(TLS\) on \S+:(\d+)\n/);
      const ca = out.match(/ecsd TLS CA (\S+) /);
      if (m) s.port = Number(m[1]);
      if (t) s.tlsPort = Number(t[1]);
      if (ca) s.caPath = ca[1];
      if (s.port && (!wantTls || s.tlsPort)) {
        clearTimeout(timer);
        resolve(s);
      }
    });
    child.on('error', e => { clearTimeout(timer); reject(e); });
    s.exited.then(e => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${e.code ?? e.sig}) before listening: ${s.stderr.slice(-2000)}`));
    });
  });
  s.ready.catch(() => {});   /* callers that do not wait must not crash node */
  return s;
}

// Sends sig, waits up to graceMs, then SIGKILL. Resolves the exit code (0 is
// a clean stop, sanitizers included), or the name of the signal that ended it.
export async function stopEcsd(s, sig = 'SIGTERM', graceMs = 30000) {
  if (s.exit === null) {
    s.child.kill(sig);
    const t = setTimeout(() => { if (s.exit === null) s.child.kill('SIGKILL'); }, graceMs);
    await s.exited;
    clearTimeout(t);
  }
  return s.exit.code ?? s.exit.sig;
}
