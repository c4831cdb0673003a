// One live room over WebSocket (/asyncapi.json): tickets, resume with last_seq and epoch,
// reconnects with backoff, command ids with their acks, and a heartbeat.

import { API, ApiError, post } from './api.js';

const CLOSE = { POLICY: 1008, TICKET: 4001, NOT_ALLOWED: 4003, NOT_FOUND: 4004 };
const HEARTBEAT_MS = 15000;
const PONG_WAIT_MS = 8000;

let counter = 0;
const commandId = () => `${Date.now().toString(36)}-${(counter += 1)}`;

export class RoomConnection {
  /**
   * handlers: onWelcome(welcome, {resumed}), onEvent(event), onState(state),
   * onRefused(apiError) for a ticket refused by the API, onStopped(reason) for
   * 'removed' | 'ended' | 'refused'.
   */
  constructor(sessionId, handlers) {
    this.sessionId = sessionId;
    this.handlers = handlers;
    this.socket = null;
    this.lastSeq = null;
    this.epoch = null;
    this.attempt = 0;
    this.stopped = false;
    this.pending = new Map(); // id -> {frame, resolve, reject}
    this.timers = {};
    this.state = 'idle';
  }

  start() {
    this.stopped = false;
    this.onOffline = () => this.drop('offline');
    this.onOnline = () => this.reconnectNow();
    window.addEventListener('offline', this.onOffline);
    window.addEventListener('online', this.onOnline);
    return this.connect();
  }

  stop(reason) {
    this.stopped = true;
    window.removeEventListener('offline', this.onOffline);
    window.removeEventListener('online', this.onOnline);
    this.detach();
    for (const { reject } of this.pending.values()) reject(new Error(reason || 'stopped'));
    this.pending.clear();
    this.setState('closed');
    if (reason) this.handlers.onStopped?.(reason);
  }

  setState(state) {
    this.state = state;
    this.handlers.onState?.(state);
  }

  async connect() {
    if (this.stopped || this.connecting || this.socket) return;
    this.connecting = true;
    try {
      await this.open();
    } finally {
      this.connecting = false;
    }
  }

  async open() {
    clearTimeout(this.timers.retry);
    if (!navigator.onLine) {
      this.setState('offline');
      return;
    }
    this.setState(this.lastSeq === null ? 'connecting' : 'reconnecting');
    let ticket;
    try {
      ticket = await post(`${API}/sessions/${this.sessionId}/tickets`);
    } catch (err) {
      if (err instanceof ApiError && err.status < 500 && err.status !== 429) {
        this.stop();
        this.handlers.onRefused?.(err);
      } else {
        this.retry();
      }
      return;
    }
    if (this.stopped) return;
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    const url = new URL(`${scheme}://${window.location.host}/ws/sessions/${this.sessionId}`);
    url.searchParams.set('ticket', ticket.ticket);
    if (this.lastSeq !== null && this.epoch) {
      url.searchParams.set('last_seq', String(this.lastSeq));
      url.searchParams.set('epoch', this.epoch);
    }
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.addEventListener('message', (e) => {
      if (socket === this.socket) this.receive(JSON.parse(e.data));
    });
    socket.addEventListener('close', (e) => {
      if (socket === this.socket) this.closed(e.code);
    });
  }

  receive(frame) {
    switch (frame.type) {
      case 'welcome': return this.welcome(frame);
      case 'ack': return this.settle(frame.id, (p) => p.resolve(frame));
      case 'error': return this.settle(frame.id, (p) => p.reject(frame), frame);
      case 'pong': clearTimeout(this.timers.pong); return undefined;
      default: return this.event(frame);
    }
  }

  welcome(frame) {
    const resumed = this.lastSeq !== null;
    if (!frame.recovered || frame.epoch !== this.epoch) this.lastSeq = frame.seq;
    this.epoch = frame.epoch;
    this.attempt = 0;
    this.setState('open');
    this.handlers.onWelcome(frame, { resumed });
    this.heartbeat();
    // Commands never acknowledged are sent again with their id: applied once by the room.
    for (const { frame: command } of this.pending.values()) this.socket.send(JSON.stringify(command));
  }

  event(frame) {
    if (typeof frame.seq === 'number') {
      if (this.lastSeq !== null && frame.seq <= this.lastSeq) return; // already shown
      if (this.lastSeq !== null && frame.seq > this.lastSeq + 1) {
        this.drop('gap'); // something was lost on the way: resume fills the gap
        this.reconnectNow();
        return;
      }
      this.lastSeq = frame.seq;
    }
    this.handlers.onEvent(frame);
  }

  settle(id, how, frame) {
    const pending = this.pending.get(id);
    if (pending) {
      this.pending.delete(id);
      how(pending);
    } else if (frame) {
      this.handlers.onError?.(frame);
    }
  }

  /** Sends a command; resolves with its ack, rejects with the room's error frame. */
  send(type, fields = {}) {
    const frame = { type, id: commandId(), ...fields };
    return new Promise((resolve, reject) => {
      if (this.stopped) {
        reject(new Error('stopped'));
        return;
      }
      this.pending.set(frame.id, { frame, resolve, reject });
      if (this.socket?.readyState === WebSocket.OPEN && this.state === 'open') {
        this.socket.send(JSON.stringify(frame));
      }
    });
  }

  heartbeat() {
    clearInterval(this.timers.ping);
    this.timers.ping = setInterval(() => {
      if (this.socket?.readyState !== WebSocket.OPEN) return;
      this.socket.send(JSON.stringify({ type: 'ping', id: commandId() }));
      clearTimeout(this.timers.pong);
      this.timers.pong = setTimeout(() => { this.drop('silent'); this.retry(); }, PONG_WAIT_MS);
    }, HEARTBEAT_MS);
  }

  detach() {
    clearInterval(this.timers.ping);
    clearTimeout(this.timers.pong);
    clearTimeout(this.timers.retry);
    const socket = this.socket;
    this.socket = null;
    if (socket && socket.readyState <= WebSocket.OPEN) socket.close(1000);
  }

  /** Leaves the current socket (network gone, heartbeat lost); the caller reconnects. */
  drop(why) {
    if (this.stopped) return;
    this.detach();
    this.setState(why === 'offline' ? 'offline' : 'reconnecting');
  }

  reconnectNow() {
    if (this.stopped || this.socket) return;
    this.attempt = 0;
    this.connect();
  }

  retry() {
    if (this.stopped) return;
    this.setState(navigator.onLine ? 'reconnecting' : 'offline');
    const delay = Math.min(10000, 500 * 2 ** this.attempt) * (0.75 + Math.random() / 2);
    this.attempt += 1;
    clearTimeout(this.timers.retry);
    this.timers.retry = setTimeout(() => this.connect(), delay);
  }

  closed(code) {
    this.socket = null;
    clearInterval(this.timers.ping);
    clearTimeout(this.timers.pong);
    if (code === CLOSE.NOT_ALLOWED) this.stop('removed');
    else if (code === CLOSE.NOT_FOUND) this.stop('ended');
    else if (code === CLOSE.POLICY) this.stop('refused');
    else if (code === CLOSE.TICKET) this.reconnectNow();
    else this.retry();
  }
}
