// The learner's page: join the room, phones first; says why when consent is missing.

import { API, get } from './api.js';
import { $, clear, h } from './dom.js';
import { formatDateTime, onLanguageChange, t } from './i18n.js';
import { openRoom } from './room.js';
import { startPage } from './shell.js';

const sessionId = window.location.pathname.split('/').filter(Boolean)[1] || '';

async function consentHelp(user, error) {
  const box = $('#refused');
  let detail = null;
  if (error.code === 'consent_required') {
    try {
      const overview = await get(`${API}/learners/${user.id}/consents`);
      detail = h('p', {}, t('join.consent_age', { age: overview.consent_age, country: overview.country || '' }));
    } catch { /* the explanation below is enough */ }
  }
  const known = ['consent_required', 'not_a_member', 'removed_from_room'].includes(error.code);
  clear(box,
    h('h2', {}, t(error.code === 'consent_required' ? 'join.consent_title' : 'join.refused_title')),
    h('p', {}, known ? t(`join.${error.code}`) : error.message),
    detail,
    error.code === 'consent_required' ? h('p', {}, t('join.consent_ask')) : null,
    h('button', { type: 'button', id: 'retry', onclick: () => window.location.reload() }, t('join.retry')));
  box.hidden = false;
  $('#room').hidden = true;
  $('#retry').focus();
}

async function main() {
  const user = await startPage({ roles: ['learner', 'teacher', 'coordinator', 'admin'] });
  let session = null;
  try {
    session = await get(`${API}/sessions/${sessionId}`);
  } catch {
    clear($('#session-title'), t('join.not_found'));
    return;
  }
  const heading = () => {
    clear($('#session-title'), session.title);
    clear($('#session-when'), formatDateTime(session.starts_at));
  };
  heading();
  onLanguageChange(heading);
  openRoom($('#room'), sessionId, {
    teacher: user.role === 'teacher',
    onRefused: (error) => consentHelp(user, error),
  });
}

main();
