// What a live room shows, kept from its welcome and its events (no DOM here).

export class RoomState {
  constructor() {
    this.you = null;
    this.members = new Map();
    this.chat = new Map(); // message_id -> {message_id, author, text, sent_at, deleted}
    this.poll = null;
    this.breakout = null;
    this.hands = new Map(); // user_id -> raised at
    this.reactions = [];
    this.muted = new Map(); // user_id -> until
    this.ended = null;
    this.removed = false;
  }

  name(userId) {
    return this.members.get(userId)?.display_name ?? '?';
  }

  /** Returns whether events may have been lost (a resume that could not recover). */
  welcome(frame, { resumed }) {
    this.you = frame.you;
    this.members = new Map(frame.presence.map((m) => [m.id, m]));
    this.members.set(frame.you.id, frame.you);
    const { poll, breakout } = frame.state;
    if (!frame.recovered) {
      this.poll = poll ? { ...poll, closed: false } : null;
      this.breakout = breakout || null;
    }
    return resumed && !frame.recovered;
  }

  /** Applies one room event; returns false for a type this client does not show. */
  apply(event) {
    switch (event.type) {
      case 'presence.joined': this.members.set(event.member.id, event.member); break;
      case 'presence.left':
        if (event.member.id !== this.you?.id) this.members.delete(event.member.id);
        break;
      case 'chat.message':
        this.chat.set(event.message_id, { ...event, deleted: false });
        break;
      case 'chat.deleted': {
        const message = this.chat.get(event.message_id);
        if (message) message.deleted = true;
        break;
      }
      case 'poll.started':
        this.poll = { ...event, counts: event.options.map(() => 0), closed: false };
        break;
      case 'poll.results':
      case 'poll.closed':
        if (this.poll?.poll_id === event.poll_id) {
          this.poll.counts = event.counts;
          this.poll.closed = event.type === 'poll.closed';
        }
        break;
      case 'breakout.started': this.breakout = event; break;
      case 'breakout.ended': this.breakout = null; break;
      case 'member.muted': this.muted.set(event.user_id, event.until); break;
      case 'member.removed':
        this.members.delete(event.user_id);
        if (event.user_id === this.you?.id) this.removed = true;
        break;
      case 'hand.raised': this.hands.set(event.user_id, Date.now()); break;
      case 'reaction':
        this.reactions = [...this.reactions.slice(-5), event];
        break;
      case 'session.ended': this.ended = event.reason; break;
      default: return false;
    }
    return true;
  }

  myGroup() {
    return this.breakout?.groups.find((g) => g.members.some((m) => m.id === this.you?.id));
  }

  /** Members grouped by class and country: [{key, country, class_id, members}] */
  groups() {
    const groups = new Map();
    for (const member of this.members.values()) {
      const key = member.role === 'learner' ? `${member.country || ''}|${member.class_id || ''}` : 'staff';
      if (!groups.has(key)) {
        groups.set(key, { key, country: member.country, class_id: member.class_id, staff: key === 'staff', members: [] });
      }
      groups.get(key).members.push(member);
    }
    const sorted = [...groups.values()].sort((a, b) => (a.staff - b.staff) || String(a.country).localeCompare(String(b.country)));
    for (const group of sorted) group.members.sort((a, b) => a.display_name.localeCompare(b.display_name));
    return sorted;
  }

  mutedNow(userId) {
    const until = this.muted.get(userId);
    return Boolean(until && new Date(until) > new Date());
  }
}
