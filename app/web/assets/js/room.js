// Opens a live room in `root`: the connection, the state and the view, wired together.

import { announce } from './dom.js';
import { onLanguageChange } from './i18n.js';
import { RoomConnection } from './room-connection.js';
import { RoomState } from './room-state.js';
import { RoomView, errorText } from './room-view.js';

/** options: teacher, classNames, onRefused(apiError), onChange(event), onStopped(reason) */
export function openRoom(root, sessionId, options = {}) {
  const state = new RoomState();
  const view = new RoomView(root, state, options);
  view.build();
  const connection = new RoomConnection(sessionId, {
    onWelcome(frame, { resumed }) {
      const lost = state.welcome(frame, { resumed });
      view.welcome(lost, resumed, frame);
      options.onChange?.({ type: 'welcome' });
    },
    onEvent(event) {
      if (!state.apply(event)) return;
      view.update(event);
      options.onChange?.(event);
    },
    onState: (s) => view.connection(s),
    onError: (frame) => announce(errorText(frame), 'error'),
    onRefused: (error) => options.onRefused?.(error),
    onStopped(reason) {
      view.stopped(reason);
      options.onStopped?.(reason);
    },
  });
  view.send = (type, fields) => connection.send(type, fields);
  onLanguageChange(() => {
    if (connection.stopped) return;
    view.build();
    for (const message of state.chat.values()) {
      view.addMessage(message);
      if (message.deleted) view.markDeleted(message.message_id);
    }
    view.renderAll();
    view.renderReactions();
    view.connection(connection.state);
  });
  connection.start();
  return { state, view, connection };
}
