// The teacher's live room, with live attendance: who is online now and minutes so far.

import { API, get } from './api.js';
import { clear, h } from './dom.js';
import { formatDateTime, formatNumber, t } from './i18n.js';
import { classNames } from './exchanges.js';
import { openRoom } from './room.js';

const REFRESH_MS = 15000;

function liveTable(sheet) {
  return h('div', { class: 'table-wrap' }, h('table', { id: 'live-attendance' },
    h('caption', { class: 'visually-hidden' }, t('room.live_attendance')),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, t('attendance.learner')),
      h('th', { scope: 'col' }, t('attendance.online_now')),
      h('th', { scope: 'col' }, t('attendance.minutes')),
      h('th', { scope: 'col' }, t('attendance.status')))),
    h('tbody', {}, sheet.items.concat(sheet.guests).map((line) => h('tr', { dataset: { learnerId: line.learner_id } },
      h('th', { scope: 'row' }, `${line.display_name}${line.country ? ` (${line.country})` : ''}`),
      h('td', {}, line.online_now === null ? '–'
        : h('span', { class: `badge status-${line.online_now ? 'online' : 'offline'}` }, t(line.online_now ? 'attendance.online' : 'attendance.offline'))),
      h('td', {}, line.online_minutes === null ? '–' : formatNumber(line.online_minutes)),
      h('td', {}, t(`status.${line.status}`)))))));
}

export async function renderRoom(view, { id }) {
  const session = await get(`${API}/sessions/${id}`);
  const names = await classNames(session.exchange_id);
  const live = h('div', {}, h('p', { class: 'muted' }, t('loading')));
  const roomRoot = h('div', { id: 'room' });
  clear(view,
    h('h1', {}, session.title),
    h('p', { class: 'muted' }, formatDateTime(session.starts_at)),
    roomRoot,
    h('section', { class: 'card', 'aria-labelledby': 'live-h' }, h('h2', { id: 'live-h' }, t('room.live_attendance')), live));
  let timer = null;
  const refresh = async () => {
    clearTimeout(timer);
    try {
      clear(live, liveTable(await get(`${API}/sessions/${id}/attendance`)));
    } catch (error) {
      clear(live, h('p', {}, error.message));
    }
    timer = setTimeout(refresh, REFRESH_MS);
  };
  let soon = null;
  const room = openRoom(roomRoot, id, {
    teacher: true,
    classNames: names,
    onChange(event) {
      if (event.type.startsWith('presence.') || event.type === 'welcome') {
        clearTimeout(soon);
        soon = setTimeout(refresh, 1000);
      }
    },
    onRefused: (error) => clear(roomRoot, h('p', { role: 'alert' }, error.message)),
    onStopped(reason) {
      if (reason === 'ended') {
        roomRoot.prepend(h('p', {}, h('a', { class: 'button', href: `#attendance/${id}` }, t('room.see_attendance'))));
      }
    },
  });
  refresh();
  return () => {
    clearTimeout(timer);
    clearTimeout(soon);
    room.connection.stop();
  };
}
