// Matching for coordinators: start a run, watch it, read the proposals and why.
// The API lists no runs (docs/client.md): the runs started here are remembered locally.

import { API, get, post } from './api.js';
import { clear, h, onSubmit } from './dom.js';
import { formatNumber, t } from './i18n.js';
import { exchange } from './exchanges.js';

const RUNS = 'passerelle.matching-runs';
const POLL_MS = 1000;

const remembered = () => JSON.parse(localStorage.getItem(RUNS) || '[]');
const remember = (id) => localStorage.setItem(RUNS, JSON.stringify([id, ...remembered().filter((r) => r !== id)].slice(0, 10)));

async function proposal(p) {
  const found = await exchange(p.exchange_id);
  const classes = found ? found.classes.map((c) => `${c.name} (${c.organisation_name}, ${c.country})`) : p.class_ids;
  return h('li', { class: 'card' },
    h('h4', {}, classes.join(' ↔ ')),
    h('p', {}, t('matching.score', { score: formatNumber(p.score * 100, 0) })),
    h('details', {}, h('summary', {}, t('matching.why')),
      h('ul', {}, Object.entries(p.score_breakdown).map(([criterion, value]) => h('li', {},
        `${t(`criterion.${criterion}`)}: +${formatNumber(value, 3)}`)))),
    h('p', {}, h('a', { href: `#exchange/${p.exchange_id}` }, t('matching.open_exchange'))));
}

async function showRun(box, runId) {
  let timer = null;
  const tick = async () => {
    const run = await get(`${API}/matching/runs/${runId}`);
    const done = run.status === 'done' || run.status === 'failed';
    clear(box,
      h('h2', {}, t('matching.run')),
      h('p', { role: 'status' }, h('span', { class: `badge status-${run.status}` }, t(`matching.status.${run.status}`)),
        run.error ? ` ${run.error}` : ''),
      done && run.status === 'done' ? [
        h('h3', {}, t('matching.proposals', { n: run.proposals.length })),
        h('ul', { class: 'plain' }, await Promise.all(run.proposals.map(proposal))),
        run.unmatched.length ? [h('h3', {}, t('matching.unmatched')),
          h('ul', {}, run.unmatched.map((u) => h('li', {}, `${u.class_id}: ${u.reason}`)))] : null,
      ] : null);
    if (!done) timer = setTimeout(tick, POLL_MS);
  };
  await tick();
  return () => clearTimeout(timer);
}

export async function renderMatching(view) {
  const networks = await get(`${API}/networks?limit=100`);
  const box = h('section', { class: 'card', id: 'run', 'aria-live': 'polite' });
  let stop = null;
  const form = h('form', { class: 'card' },
    h('label', { for: 'network' }, t('matching.network')),
    h('select', { id: 'network', name: 'network_id', required: true }, networks.items.map((n) => h('option', { value: n.id }, n.name))),
    h('label', { for: 'group-size' }, t('matching.group_size')),
    h('select', { id: 'group-size', name: 'group_size' }, [2, 3, 4].map((n) => h('option', { value: n }, String(n)))),
    h('p', { class: 'form-error', role: 'alert' }),
    h('button', { type: 'submit' }, t('matching.start')));
  onSubmit(form, async (data) => {
    const run = await post(`${API}/matching/runs`, { network_id: data.get('network_id'), group_size: Number(data.get('group_size')) });
    remember(run.id);
    stop?.();
    stop = await showRun(box, run.id);
  });
  const earlier = remembered();
  clear(view,
    h('h1', {}, t('matching.title')),
    form,
    box,
    earlier.length ? h('section', { class: 'card' }, h('h2', {}, t('matching.earlier')),
      h('ul', {}, earlier.map((id) => h('li', {}, h('button', {
        type: 'button', class: 'small secondary', onclick: async () => { stop?.(); stop = await showRun(box, id); },
      }, id))))) : null);
  return () => stop?.();
}
