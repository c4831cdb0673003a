// `/`: log in, then on to the console, the family page or (learners) the sessions to join.

import { API, get, loggedIn, login, me, query } from './api.js';
import { $, clear, h, onSubmit } from './dom.js';
import { formatDateTime, onLanguageChange, t } from './i18n.js';
import { homeOf, startPage } from './shell.js';

function nextPath() {
  const next = new URLSearchParams(window.location.search).get('next');
  return next && next.startsWith('/') && !next.startsWith('//') ? next : null;
}

async function showSessions(user) {
  $('#login').hidden = true;
  $('#logout').hidden = false;
  const section = $('#my-sessions');
  section.hidden = false;
  clear($('#who'), user.display_name);
  const since = new Date().toISOString(); // sessions not over yet
  const page = await get(`${API}/sessions${query({ start: since, limit: 50 })}`);
  const open = page.items.filter((s) => s.status === 'scheduled' || s.status === 'live');
  const render = () => clear($('#session-list'), open.length
    ? open.map((s) => h('li', {},
      h('a', { href: `/join/${s.id}` }, s.title), ' ',
      h('span', { class: 'muted' }, formatDateTime(s.starts_at))))
    : h('li', { class: 'muted' }, t('index.no_sessions')));
  render();
  onLanguageChange(render);
}

function go(user) {
  const target = nextPath() || homeOf(user);
  if (target) window.location.replace(target);
  else showSessions(user);
}

async function main() {
  await startPage();
  if (loggedIn()) {
    try {
      go(await me());
      return;
    } catch { /* show the login */ }
  }
  $('#login').hidden = false;
  onSubmit($('#login-form'), async (data) => {
    try {
      go(await login(data.get('email'), data.get('password')));
    } catch (error) {
      throw new Error(error.status === 401 ? t('index.bad_login') : error.message);
    }
  });
  $('#email').focus();
}

main();
