// `/console`: teachers and coordinators. Routes in the hash: #week, #exchange/{id},
// #room/{id}, #attendance/{id}, #matching.

import { $, clear, h } from './dom.js';
import { onLanguageChange, t } from './i18n.js';
import { startPage } from './shell.js';
import { renderAttendance } from './console-attendance.js';
import { renderExchange } from './console-exchange.js';
import { renderMatching } from './console-matching.js';
import { renderRoom } from './console-room.js';
import { renderWeek } from './console-week.js';

const ROUTES = {
  week: renderWeek,
  exchange: renderExchange,
  room: renderRoom,
  attendance: renderAttendance,
  matching: renderMatching,
};
let user = null;
let cleanup = null;

async function route() {
  cleanup?.();
  cleanup = null;
  const [name, id] = window.location.hash.slice(1).split('/');
  const render = ROUTES[name] || renderWeek;
  for (const link of document.querySelectorAll('[data-route]')) {
    if (link.dataset.route === (ROUTES[name] ? name : 'week')) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const view = clear($('#view'), h('p', { class: 'muted' }, t('loading')));
  try {
    cleanup = (await render(view, { user, id })) || null;
  } catch (error) {
    clear(view, h('h1', {}, t('error.title')), h('p', { role: 'alert' }, error.message));
  }
  $('#view h1')?.setAttribute('tabindex', '-1');
}

async function main() {
  user = await startPage({ roles: ['teacher', 'coordinator', 'admin'] });
  $('[data-route="matching"]').hidden = user.role === 'teacher';
  window.addEventListener('hashchange', route);
  onLanguageChange(() => {
    if (!window.location.hash.startsWith('#room/')) route();
  });
  await route();
}

main();
