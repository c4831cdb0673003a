// The attendance sheet of a session: statuses, overrides with a reason, CSV download.

import { API, call, get, put } from './api.js';
import { announce, clear, h } from './dom.js';
import { formatDateTime, formatNumber, t } from './i18n.js';

const STATUSES = ['present', 'late', 'partial', 'absent', 'excused'];

function overrideForm(sessionId, line, rerender) {
  const select = h('select', { name: 'status', 'aria-label': t('attendance.new_status_for', { name: line.display_name }) },
    STATUSES.map((s) => h('option', { value: s, selected: s === line.status }, t(`status.${s}`))));
  const reason = h('input', { name: 'reason', minlength: 3, maxlength: 500, required: true, 'aria-label': t('attendance.reason_for', { name: line.display_name }) });
  const form = h('form', { class: 'row override' }, select, reason, h('button', { type: 'submit', class: 'small' }, t('attendance.save')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const sheet = await put(`${API}/sessions/${sessionId}/attendance/${line.learner_id}`, { status: select.value, reason: reason.value });
      announce(t('attendance.saved', { name: line.display_name }), 'success');
      rerender(sheet);
    } catch (error) {
      announce(error.message, 'error');
    }
  });
  return form;
}

function table(sessionId, sheet, rerender) {
  const editable = sheet.items.some((line) => line.overridden !== null);
  return h('div', { class: 'table-wrap' }, h('table', { id: 'attendance-sheet' },
    h('caption', { class: 'visually-hidden' }, t('attendance.title')),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, t('attendance.learner')),
      h('th', { scope: 'col' }, t('attendance.status')),
      h('th', { scope: 'col' }, t('attendance.minutes')),
      editable ? h('th', { scope: 'col' }, t('attendance.override')) : null)),
    h('tbody', {}, sheet.items.concat(sheet.guests).map((line) => h('tr', { dataset: { learnerId: line.learner_id, status: line.status } },
      h('th', { scope: 'row' }, `${line.display_name}${line.country ? ` (${line.country})` : ''}`),
      h('td', {}, h('span', { class: `badge status-${line.status}` }, t(`status.${line.status}`)),
        line.overridden ? h('span', { class: 'muted' }, ` ${t('attendance.overridden')}`) : null),
      h('td', {}, line.online_minutes === null ? '–' : formatNumber(line.online_minutes)),
      editable ? h('td', {}, line.overridden === null ? '' : overrideForm(sessionId, line, rerender)) : null)))));
}

async function download(sessionId) {
  try {
    const response = await call('GET', `${API}/sessions/${sessionId}/attendance.csv`, { accept: 'text/csv' });
    const url = URL.createObjectURL(await response.blob());
    const link = h('a', { href: url, download: `attendance-${sessionId}.csv`, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } catch (error) {
    announce(error.message, 'error');
  }
}

export async function renderAttendance(view, { id }) {
  const render = (sheet) => clear(view,
    h('h1', {}, t('attendance.title')),
    h('p', {}, h('strong', {}, sheet.title), ' · ', formatDateTime(sheet.starts_at), ' · ',
      h('span', { id: 'sheet-state' }, t(`attendance.state.${sheet.state}`))),
    h('p', { class: 'row' },
      h('button', { type: 'button', id: 'download-csv', onclick: () => download(id) }, t('attendance.csv')),
      h('button', { type: 'button', class: 'secondary', onclick: async () => render(await get(`${API}/sessions/${id}/attendance`)) }, t('attendance.refresh'))),
    h('section', { class: 'card' }, table(id, sheet, render)));
  render(await get(`${API}/sessions/${id}/attendance`));
}
