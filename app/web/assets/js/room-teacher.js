// A teacher's controls in the live room: polls, breakouts, moderation, ending the session.

import { h } from './dom.js';
import { t } from './i18n.js';

/** The accessible name of a button about someone: its visible text, then who. */
const about = (visible, name) => (name ? `${visible} (${name})` : null);

/** A button that asks to be pressed twice: the first press turns it into its confirmation. */
function twoStep(label, confirmLabel, action, { name, ...attrs } = {}) {
  const button = h('button', { type: 'button', class: 'small danger', 'aria-label': about(label, name), ...attrs }, label);
  let armed = false;
  const show = (text) => {
    button.textContent = text;
    if (name) button.setAttribute('aria-label', about(text, name));
  };
  button.addEventListener('click', () => {
    if (armed) {
      action();
      return;
    }
    armed = true;
    show(confirmLabel);
    setTimeout(() => { armed = false; show(label); }, 5000);
  });
  return button;
}

export function teacherChatActions(view, message) {
  return h('button', {
    type: 'button', class: 'small secondary',
    'aria-label': about(t('room.delete'), message.author.display_name),
    onclick: () => view.command('chat.delete', { message_id: message.message_id }),
  }, t('room.delete'));
}

export function teacherMemberActions(view, member) {
  return h('span', { class: 'row' },
    h('button', {
      type: 'button', class: 'small secondary',
      'aria-label': about(t('room.mute'), member.display_name),
      onclick: () => view.command('member.mute', { user_id: member.id, minutes: 10 }),
    }, t('room.mute')),
    twoStep(t('room.remove'), t('room.confirm_remove'),
      () => view.command('member.remove', { user_id: member.id }),
      { name: member.display_name }));
}

export function teacherBreakoutControls(view) {
  if (view.state.breakout) {
    return h('button', { type: 'button', onclick: () => view.command('breakout.end') }, t('room.end_breakout'));
  }
  const size = h('input', { id: 'group-size', type: 'number', min: 2, max: 50, value: 3, required: true });
  const form = h('form', { class: 'row' },
    h('label', { for: 'group-size' }, t('room.group_size')), size,
    h('button', { type: 'submit' }, t('room.start_breakout')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    view.command('breakout.start', { group_size: Number(size.value) });
  });
  return form;
}

function pollForm(view) {
  const question = h('input', { id: 'poll-question', name: 'question', maxlength: 300, required: true });
  const options = h('textarea', { id: 'poll-options', name: 'options', rows: 4, required: true, 'aria-describedby': 'poll-options-hint' });
  const form = h('form', {},
    h('h3', {}, t('room.new_poll')),
    h('label', { for: 'poll-question' }, t('room.question')), question,
    h('label', { for: 'poll-options' }, t('room.options')),
    h('p', { id: 'poll-options-hint', class: 'muted' }, t('room.options_hint')), options,
    h('p', {}, h('button', { type: 'submit' }, t('room.start_poll'))));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const lines = options.value.split('\n').map((line) => line.trim()).filter(Boolean);
    if (await view.command('poll.start', { question: question.value.trim(), options: lines })) form.reset();
  });
  return form;
}

export function teacherPanels(view) {
  return h('section', { class: 'card', 'aria-labelledby': 'tools-h' },
    h('h2', { id: 'tools-h' }, t('room.teacher_tools')),
    pollForm(view),
    h('h3', {}, t('room.end_session')),
    twoStep(t('room.end_session'), t('room.confirm_end'), () => view.command('session.end'), { id: 'end-session' }));
}
