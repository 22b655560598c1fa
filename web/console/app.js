// app.js - the console's shell: sign-in, region switch, navigation by
// location.hash, and the live refresh of the view on screen.
import { h, field, errorBox } from './dom.js';
import { ecs, session } from './api.js';
import { instancesView } from './views/instances.js';
import { instanceView } from './views/instance.js';
import { disksView, diskView, snapshotsView } from './views/storage.js';
import { networkView } from './views/network.js';
import { auditView } from './views/audit.js';

const main = document.getElementById('main');
const status = document.getElementById('status');
let stopLive = null;

export const ctx = {
  region() { return session.get()?.region || 'cn-hangzhou'; },
  say(text) { status.textContent = ''; setTimeout(() => { status.textContent = text; }, 30); },
  // A view calls live(fn) to be refreshed every 2 s while it is shown.
  live(fn, ms = 2000) {
    const t = setInterval(() => { fn().catch(() => {}); }, ms);
    stopLive = () => clearInterval(t);
  },
  go(hash) { if (location.hash === hash) route(); else location.hash = hash; },
};

function signIn(err) {
  const akid = h('input', { name: 'akid', autocomplete: 'username', required: true, spellcheck: 'false' });
  const secret = h('input', { name: 'secret', type: 'password', autocomplete: 'current-password', required: true });
  const token = h('input', { name: 'token', type: 'password', autocomplete: 'off' });
  const out = h('div', { 'aria-live': 'polite' }, err ? errorBox(err) : '');
  const form = h('form', { class: 'signin', 'aria-labelledby': 'signin-title',
    onsubmit: async ev => {
      ev.preventDefault();
      out.replaceChildren(h('p', {}, 'Checking the key…'));
      const key = { akid: akid.value.trim(), secret: secret.value, token: token.value.trim(), region: 'cn-hangzhou' };
      try {
        await ecs('DescribeRegions', {}, key);
        session.set(key);
        shell();
      } catch (e) {
        out.replaceChildren(errorBox(e));
      }
    } },
  h('h1', { id: 'signin-title' }, 'Sign in to the ecsd console'),
  h('p', { class: 'muted' }, 'The key stays in this tab (session storage). Requests are signed in the browser with ACS3-HMAC-SHA256; the secret itself is never sent.'),
  field('AccessKey ID', akid),
  field('AccessKey secret', secret),
  field('Control token (optional, for platform controls)', token),
  h('button', { type: 'submit' }, 'Sign in'), out);
  document.getElementById('nav').replaceChildren();
  document.getElementById('who').replaceChildren();
  main.replaceChildren(form);
  akid.focus();
}

async function regionSelect() {
  const sel = h('select', { id: 'region', onchange: () => {
    const s = session.get();
    s.region = sel.value;
    session.set(s);
    route();
  } });
  try {
    const r = await ecs('DescribeRegions');
    for (const g of r.Regions?.Region || [])
      sel.append(h('option', { value: g.RegionId, selected: g.RegionId === ctx.region() }, g.RegionId));
  } catch {
    sel.append(h('option', { value: ctx.region() }, ctx.region()));
  }
  return field('Region', sel);
}

const NAV = [
  ['#/instances', 'Instances'], ['#/disks', 'Disks'], ['#/snapshots', 'Snapshots'],
  ['#/network', 'Network'], ['#/audit', 'Audit trail'],
];

async function shell() {
  const s = session.get();
  document.getElementById('nav').replaceChildren(h('ul', {},
    NAV.map(([href, text]) => h('li', {}, h('a', { href }, text)))));
  document.getElementById('who').replaceChildren(
    await regionSelect(),
    h('span', { class: 'muted', title: 'Signed in' }, s.akid, s.token ? ' · platform' : ''),
    h('button', { type: 'button', onclick: () => { session.clear(); signIn(); } }, 'Sign out'));
  if (!location.hash || location.hash === '#/') location.hash = '#/instances';
  else route();
}

async function route() {
  if (stopLive) { stopLive(); stopLive = null; }
  if (!session.get()) return signIn();
  const [, what, id] = (location.hash || '#/instances').split('/');
  for (const a of document.querySelectorAll('#nav a'))
    a.toggleAttribute('aria-current', a.getAttribute('href') === '#/' + what);
  const views = {
    instances: () => (id ? instanceView(ctx, id) : instancesView(ctx)),
    disks: () => (id ? diskView(ctx, id) : disksView(ctx)),
    snapshots: () => snapshotsView(ctx),
    network: () => networkView(ctx, id),
    audit: () => auditView(ctx),
  };
  main.replaceChildren(h('p', {}, 'Loading…'));
  try {
    const node = await (views[what] || views.instances)();
    main.replaceChildren(node);
  } catch (e) {
    main.replaceChildren(h('h1', {}, 'Error'), errorBox(e));
  }
  const h1 = main.querySelector('h1');
  if (h1) { h1.tabIndex = -1; h1.focus({ preventScroll: true }); }
}

window.addEventListener('hashchange', route);
if (session.get()) shell(); else signIn();
