// The live room on screen: presence, chat, poll, breakout groups, hands and reactions.
// Teachers' controls come from room-teacher.js.

import { announce, clear, h } from './dom.js';
import { t } from './i18n.js';
import { teacherBreakoutControls, teacherChatActions, teacherMemberActions, teacherPanels } from './room-teacher.js';

export const REACTIONS = [['👍', 'reaction.thumbs_up'], ['👏', 'reaction.applause'], ['😀', 'reaction.smile'], ['❤️', 'reaction.heart'], ['🎉', 'reaction.party']];

export function errorText(error) {
  const key = `error.${error.code}`;
  const text = t(key);
  return text === key ? error.message : text;
}

export class RoomView {
  constructor(root, state, { teacher = false, classNames = {} } = {}) {
    this.root = root;
    this.state = state;
    this.teacher = teacher;
    this.classNames = classNames;
    this.send = null;
  }

  /** Sends a command; a refusal is shown in the status line. */
  async command(type, fields) {
    try {
      return await this.send(type, fields);
    } catch (error) {
      if (error.code) announce(errorText(error), 'error');
      return null;
    }
  }

  build() {
    this.status = h('p', { class: 'connection', role: 'status', 'data-state': 'connecting' }, t('room.connecting'));
    this.chatLog = h('ul', { class: 'chat-log' });
    const input = h('input', { id: 'chat-text', name: 'text', maxlength: 2000, autocomplete: 'off', required: true });
    this.chatForm = h('form', { class: 'chat-form' },
      h('label', { for: 'chat-text', class: 'visually-hidden' }, t('room.message')),
      input, h('button', { type: 'submit' }, t('room.send')));
    this.chatForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      const text = input.value.trim();
      if (!text) return;
      input.value = '';
      if (!(await this.command('chat.send', { text }))) input.value = text;
    });
    this.poll = h('div', { id: 'poll' });
    this.breakout = h('div', { id: 'breakout' });
    this.people = h('div', { id: 'presence' });
    this.peopleCount = h('span');
    this.hands = h('div', { id: 'hands' });
    this.reactionLog = h('ul', { class: 'plain', id: 'reactions', 'aria-label': t('room.reactions') });
    const reactionButtons = REACTIONS.map(([emoji, key]) => h('button', {
      type: 'button', class: 'small', 'aria-label': t(key), title: t(key),
      onclick: () => this.command('reaction.send', { emoji }),
    }, emoji));
    clear(this.root,
      this.status,
      h('div', { class: 'room' },
        h('section', { class: 'card', 'aria-labelledby': 'chat-h' }, h('h2', { id: 'chat-h' }, t('room.chat')),
          h('div', { role: 'log', 'aria-labelledby': 'chat-h' }, this.chatLog), this.chatForm),
        h('section', { class: 'card', 'aria-labelledby': 'people-h' }, h('h2', { id: 'people-h' }, t('room.people'), ' ', this.peopleCount), this.people),
        h('section', { class: 'card', 'aria-labelledby': 'poll-h' }, h('h2', { id: 'poll-h' }, t('room.poll')), this.poll),
        h('section', { class: 'card', 'aria-labelledby': 'breakout-h' }, h('h2', { id: 'breakout-h' }, t('room.breakout')), this.breakout),
        h('section', { class: 'card', 'aria-labelledby': 'hands-h' }, h('h2', { id: 'hands-h' }, t('room.hands_and_reactions')),
          this.hands, h('div', { class: 'row reactions' }, reactionButtons), this.reactionLog)),
      this.teacher ? teacherPanels(this) : null);
  }

  connection(state) {
    if (!this.status) return;
    this.status.dataset.state = state;
    this.status.textContent = t(`room.state.${state}`);
  }

  welcome(lost, resumed, frame) {
    if (lost) {
      this.chatLog.append(h('li', { class: 'gap-note' }, t('room.not_recovered')));
      announce(t('room.not_recovered'), 'warning');
    } else if (resumed) {
      announce(t('room.recovered', { n: frame.missed }), 'success');
    }
    this.renderAll();
  }

  renderAll() {
    this.renderPeople();
    this.renderPoll();
    this.renderBreakout();
    this.renderHands();
  }

  update(event) {
    const type = event.type;
    if (type === 'chat.message') this.addMessage(this.state.chat.get(event.message_id));
    else if (type === 'chat.deleted') this.markDeleted(event.message_id);
    else if (type.startsWith('poll.')) this.renderPoll(type !== 'poll.results');
    else if (type.startsWith('breakout.')) this.renderBreakout();
    else if (type === 'reaction') this.renderReactions();
    else if (type === 'session.ended') this.ended();
    else this.renderAll();
  }

  who(member) {
    const country = member.country ? ` (${member.country})` : '';
    return `${member.display_name}${country}`;
  }

  addMessage(message) {
    if (this.chatLog.querySelector(`[data-message-id="${message.message_id}"]`)) return;
    const item = h('li', { dataset: { messageId: message.message_id } },
      h('span', { class: 'author' }, this.who(message.author)),
      h('span', { class: 'text' }, message.text),
      this.teacher ? teacherChatActions(this, message) : null);
    this.chatLog.append(item);
    this.chatLog.scrollTop = this.chatLog.scrollHeight;
  }

  markDeleted(messageId) {
    const item = this.chatLog.querySelector(`[data-message-id="${messageId}"]`);
    if (item) clear(item, h('span', { class: 'deleted' }, t('room.deleted')));
  }

  renderPeople() {
    const groups = this.state.groups();
    this.peopleCount.textContent = `(${this.state.members.size})`;
    clear(this.people, groups.map((group) => {
      const label = group.staff ? t('room.staff')
        : [group.country, this.classNames[group.class_id]].filter(Boolean).join(' · ') || t('room.learners');
      return h('div', { class: 'presence-group' },
        h('h3', {}, label),
        h('ul', { class: 'plain' }, group.members.map((m) => h('li', { dataset: { userId: m.id } },
          h('span', {}, m.display_name),
          this.state.hands.has(m.id) ? h('span', { 'aria-label': t('room.hand_raised') }, '✋') : null,
          this.state.mutedNow(m.id) ? h('span', { class: 'badge status-late' }, t('room.muted')) : null,
          this.teacher && m.role === 'learner' ? teacherMemberActions(this, m) : null))));
    }));
  }

  renderPoll(rebuild = true) {
    const poll = this.state.poll;
    if (poll && !rebuild && this.poll.dataset.pollId === poll.poll_id) {
      poll.counts.forEach((count, i) => {
        const cell = this.poll.querySelector(`[data-option="${i}"] .count`);
        if (cell) cell.textContent = t('room.votes', { n: count });
        const meter = this.poll.querySelector(`[data-option="${i}"] meter`);
        if (meter) meter.value = count;
      });
      return;
    }
    this.poll.dataset.pollId = poll?.poll_id || '';
    if (!poll) {
      clear(this.poll, h('p', { class: 'muted' }, t('room.no_poll')));
      return;
    }
    const total = Math.max(1, poll.counts.reduce((a, b) => a + b, 0));
    const mine = sessionStorage.getItem(`vote.${poll.poll_id}`);
    const canVote = this.state.you?.role === 'learner' && !poll.closed;
    clear(this.poll,
      h('h3', {}, poll.question),
      poll.closed ? h('p', { class: 'badge' }, t('room.poll_closed')) : null,
      h('div', { class: 'poll-options' }, poll.options.map((option, i) => h('div', { class: 'poll-option', dataset: { option: i } },
        canVote
          ? h('button', { type: 'button', class: 'secondary', 'aria-pressed': String(mine === String(i)), onclick: () => this.vote(poll, i) }, option)
          : h('span', {}, option),
        h('span', { class: 'count' }, t('room.votes', { n: poll.counts[i] })),
        h('meter', { min: 0, max: total, value: poll.counts[i], 'aria-label': option })))),
      this.teacher && !poll.closed
        ? h('button', { type: 'button', onclick: () => this.command('poll.close', { poll_id: poll.poll_id }) }, t('room.close_poll'))
        : null);
  }

  async vote(poll, option) {
    if (await this.command('poll.vote', { poll_id: poll.poll_id, option })) {
      sessionStorage.setItem(`vote.${poll.poll_id}`, String(option));
      this.renderPoll();
      announce(t('room.voted'), 'success');
    }
  }

  renderBreakout() {
    const breakout = this.state.breakout;
    const mine = this.state.myGroup();
    clear(this.breakout,
      breakout
        ? h('ol', { class: 'groups' }, breakout.groups.map((g) => h('li', { class: g === mine ? 'my-group' : null, dataset: { groupId: g.group_id } },
          g === mine ? h('strong', {}, `${t('room.your_group')}: `) : null,
          g.members.map((m) => this.who(m)).join(', '))))
        : h('p', { class: 'muted' }, t('room.no_breakout')),
      this.teacher ? teacherBreakoutControls(this) : null);
  }

  renderHands() {
    const you = this.state.you;
    const raised = you && this.state.hands.has(you.id);
    const names = [...this.state.hands.keys()].map((id) => this.state.name(id));
    clear(this.hands,
      this.teacher
        ? h('p', { id: 'hands-list' }, names.length ? `✋ ${names.join(', ')}` : t('room.no_hands'))
        : null,
      this.teacher && names.length
        ? h('button', { type: 'button', class: 'small secondary', onclick: () => { this.state.hands.clear(); this.renderAll(); } }, t('room.clear_hands'))
        : null,
      you && you.role !== 'observer' && !this.teacher
        ? h('button', { type: 'button', id: 'raise-hand', 'aria-pressed': String(Boolean(raised)), disabled: raised, onclick: () => this.command('hand.raise') },
          raised ? t('room.hand_is_raised') : t('room.raise_hand'))
        : null);
  }

  renderReactions() {
    clear(this.reactionLog, this.state.reactions.map((r) => h('li', {}, `${this.state.name(r.user_id)} ${r.emoji}`)));
  }

  ended() {
    for (const el of this.root.querySelectorAll('button, input')) el.disabled = true;
    announce(t('room.ended'), 'info');
  }

  stopped(reason) {
    this.connection('closed');
    for (const el of this.root.querySelectorAll('button, input')) el.disabled = true;
    const key = { removed: 'room.removed', ended: 'room.ended', refused: 'room.refused' }[reason];
    this.status.textContent = t(key || 'room.state.closed');
    announce(t(key || 'room.state.closed'), reason === 'ended' ? 'info' : 'error');
  }
}
