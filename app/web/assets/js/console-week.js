// This week's sessions in the teacher's local time, with the partner schools' local times.

import { API, get, query } from './api.js';
import { clear, h } from './dom.js';
import { formatDateTime, formatTime, t } from './i18n.js';
import { exchange } from './exchanges.js';

let offset = 0; // weeks from this one

function monday(weeks) {
  const day = new Date();
  day.setHours(0, 0, 0, 0);
  day.setDate(day.getDate() - ((day.getDay() + 6) % 7) + 7 * weeks);
  return day;
}

async function sessionItem(session, me) {
  const found = await exchange(session.exchange_id);
  const partners = (found?.classes || []).filter((c) => c.organisation_id !== me.organisation_id);
  return h('li', { dataset: { sessionId: session.id } },
    h('h2', {}, session.title),
    h('p', {}, formatDateTime(session.starts_at), ' – ', formatDateTime(session.ends_at, { date: false }),
      ' ', h('span', { class: `badge status-${session.status}` }, t(`session.${session.status}`))),
    partners.length ? h('ul', { class: 'partners', 'aria-label': t('week.partners') }, partners.map((c) => h('li', {},
      `${c.name} — ${c.organisation_name} (${c.country}): `,
      h('span', {}, `${formatTime(session.starts_at, c.timezone)} (${c.timezone})`)))) : null,
    h('p', { class: 'row' },
      session.status === 'scheduled' || session.status === 'live'
        ? h('a', { class: 'button', href: `#room/${session.id}` }, t('week.open_room')) : null,
      h('a', { class: 'button secondary', href: `#attendance/${session.id}` }, t('week.attendance')),
      h('a', { class: 'button secondary', href: `#exchange/${session.exchange_id}` }, t('week.exchange'))));
}

export async function renderWeek(view, { user }) {
  const start = monday(offset);
  const end = monday(offset + 1);
  const page = await get(`${API}/sessions${query({ start: start.toISOString(), end: end.toISOString(), limit: 100 })}`);
  const items = await Promise.all(page.items.map((s) => sessionItem(s, user)));
  const move = (by) => () => { offset += by; renderWeek(view, { user }); };
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  clear(view,
    h('h1', {}, t('week.title')),
    h('p', { class: 'muted' }, t('week.range', { from: formatDateTime(start.toISOString(), { time: false }), zone })),
    h('p', { class: 'row' },
      h('button', { type: 'button', class: 'secondary', onclick: move(-1) }, t('week.previous')),
      h('button', { type: 'button', class: 'secondary', onclick: move(1) }, t('week.next'))),
    h('section', { class: 'card' }, items.length
      ? h('ul', { class: 'plain sessions' }, items)
      : h('p', { class: 'muted' }, t('week.none'))));
}
