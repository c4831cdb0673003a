// `/family`: each linked learner's upcoming sessions, attendance, hours and consents.

import { API, get, request } from './api.js';
import { $, announce, clear, h } from './dom.js';
import { formatDateTime, formatNumber, onLanguageChange, t } from './i18n.js';
import { startPage } from './shell.js';

let view = null;

function sessions(learner) {
  if (!learner.upcoming_sessions.length) return h('p', { class: 'muted' }, t('family.no_sessions'));
  return h('ul', { class: 'plain sessions' }, learner.upcoming_sessions.map((s) => h('li', {},
    h('strong', {}, s.title), h('br'),
    formatDateTime(s.local_starts_at, { timeZone: learner.timezone }),
    s.partner_schools.length
      ? h('ul', { class: 'partners' }, s.partner_schools.map((p) => h('li', {}, `${p.name} (${p.country})`)))
      : null)));
}

function attendance(learner) {
  if (!learner.recent_attendance.length) return h('p', { class: 'muted' }, t('family.no_attendance'));
  return h('div', { class: 'table-wrap' }, h('table', {},
    h('caption', { class: 'visually-hidden' }, t('family.attendance')),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('family.session')), h('th', { scope: 'col' }, t('attendance.status')), h('th', { scope: 'col' }, t('attendance.minutes')))),
    h('tbody', {}, learner.recent_attendance.map((a) => h('tr', {},
      h('td', {}, a.title, h('br'), h('span', { class: 'muted' }, formatDateTime(a.local_starts_at, { timeZone: learner.timezone }))),
      h('td', {}, h('span', { class: `badge status-${a.status}` }, t(`status.${a.status}`))),
      h('td', {}, formatNumber(a.online_minutes)))))));
}

function consent(learner, item) {
  const state = item.effective ? 'given' : 'withdrawn';
  const action = async (link) => {
    try {
      await request(link.method, link.href, link.body ? { body: link.body } : {});
      announce(t(link.method === 'POST' ? 'family.consent_given' : 'family.consent_withdrawn'), 'success');
      await load();
    } catch (error) {
      announce(error.message, 'error');
    }
  };
  const id = `consent-${learner.learner_id}-${item.purpose}`;
  return h('li', { class: 'card', dataset: { purpose: item.purpose } },
    h('h4', { id }, t(`purpose.${item.purpose}`)),
    h('p', {}, t(`purpose.${item.purpose}.statement`)),
    h('p', {}, h('span', { class: `badge status-${state}` }, t(item.effective ? 'family.consent_on' : 'family.consent_off'))),
    item.links.give
      ? h('button', { type: 'button', 'aria-describedby': id, onclick: () => action(item.links.give) }, t('family.give'))
      : null,
    item.links.withdraw
      ? h('button', { type: 'button', class: 'secondary', 'aria-describedby': id, onclick: () => action(item.links.withdraw) }, t('family.withdraw'))
      : null);
}

function learnerCard(learner) {
  const hours = learner.hours;
  return h('section', { class: 'card', 'aria-labelledby': `l-${learner.learner_id}` },
    h('h2', { id: `l-${learner.learner_id}` }, learner.display_name),
    learner.school ? h('p', { class: 'muted' }, `${learner.school.name} (${learner.school.country})`) : null,
    h('h3', {}, t('family.upcoming')), sessions(learner),
    h('h3', {}, t('family.attendance')), attendance(learner),
    h('h3', {}, t('family.hours')),
    h('p', {}, t('family.hours_total', { hours: formatNumber(hours.hours) })),
    hours.countries.length ? h('p', {}, t('family.countries', { countries: hours.countries.join(', ') })) : null,
    h('h3', {}, t('family.consents')),
    learner.guardian_required
      ? h('p', {}, t('family.guardian_decides', { age: learner.consent_age }))
      : h('p', {}, t('family.learner_decides', { age: learner.consent_age })),
    h('ul', { class: 'plain' }, learner.consents.map((item) => consent(learner, item))));
}

function render() {
  if (!view) return;
  clear($('#learners'), view.items.length ? view.items.map(learnerCard) : h('p', {}, t('family.none')));
}

async function load() {
  view = await get(`${API}/family`);
  render();
}

async function main() {
  await startPage({ roles: ['guardian'] });
  onLanguageChange(render);
  await load();
}

main();
