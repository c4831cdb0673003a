// An exchange: its partner classes and their teachers, its sessions; the thread when the
// server offers one (this API version does not: see docs/client.md).

import { API, get } from './api.js';
import { clear, h } from './dom.js';
import { formatDateTime, t } from './i18n.js';
import { exchange } from './exchanges.js';

async function teachers(classId) {
  try {
    const found = await get(`${API}/classes/${classId}`);
    const people = await Promise.all((found.teacher_ids || []).map((id) => get(`${API}/users/${id}`).catch(() => null)));
    const named = people.filter(Boolean).map((p) => p.display_name);
    const hidden = people.length - named.length;
    return named.concat(hidden ? [t('exchange.teachers_hidden', { n: hidden })] : []).join(', ');
  } catch {
    return t('exchange.teachers_unknown');
  }
}

export async function renderExchange(view, { id }) {
  const found = await exchange(id);
  if (!found) throw new Error(t('exchange.not_found'));
  const [names, sessions] = await Promise.all([
    Promise.all(found.classes.map((c) => teachers(c.class_id))),
    get(`${API}/exchanges/${id}/sessions?limit=100`),
  ]);
  clear(view,
    h('h1', {}, t('exchange.title')),
    h('p', {}, h('span', { class: `badge status-${found.status}` }, t(`exchange.status.${found.status}`)),
      found.shared_languages.length ? ` · ${t('exchange.languages', { languages: found.shared_languages.join(', ') })}` : ''),
    h('section', { class: 'card', 'aria-labelledby': 'classes-h' },
      h('h2', { id: 'classes-h' }, t('exchange.classes')),
      h('ul', { class: 'plain sessions' }, found.classes.map((c, i) => h('li', {},
        h('h3', {}, c.name),
        h('p', {}, `${c.organisation_name} · ${c.city} (${c.country}) · ${c.timezone}`),
        h('p', {}, t('exchange.class_facts', { eqf: c.eqf_level, learners: c.learner_count, from: c.age_min, to: c.age_max })),
        h('p', {}, t('exchange.teachers', { names: names[i] })),
        h('p', {}, t('exchange.decision', { decision: t(`exchange.decision.${c.decision}`) })))))),
    h('section', { class: 'card', 'aria-labelledby': 'sessions-h' },
      h('h2', { id: 'sessions-h' }, t('exchange.sessions')),
      sessions.items.length
        ? h('ul', { class: 'plain sessions' }, sessions.items.map((s) => h('li', {},
          h('a', { href: `#attendance/${s.id}` }, s.title), ' ', h('span', { class: 'muted' }, formatDateTime(s.starts_at)))))
        : h('p', { class: 'muted' }, t('week.none'))),
    h('section', { class: 'card', 'aria-labelledby': 'thread-h' },
      h('h2', { id: 'thread-h' }, t('exchange.thread')),
      h('p', { class: 'muted' }, t('exchange.no_thread'))));
}
