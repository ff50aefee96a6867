// The chat page: rooms (time series topics under the chat prefix), the last messages on entry,
// live ones after, sending, editing one's own messages, and what the connection is doing.

import { connect } from '/lib/pushgate.js';
import { RoomModel, describeSendError, messageValue, subscriptionLimit } from './chat-model.js';
import { byId, clockTime, h, show } from './dom.js';
import { initLayout } from './layout.js';
import { currentToken } from './session.js';

const layout = await initLayout('chat');
const { config, identity } = layout;
const prefix = config.chat.prefix;

const list = byId('messages');
const notice = byId('room-notice');
const input = /** @type {HTMLInputElement} */ (byId('message-input'));
const sendButton = /** @type {HTMLButtonElement} */ (byId('send-button'));

/** @type {{name: string, topic: string, spec: any}[]} */
let rooms = [];
/** The room shown: its model, its subscription and the list items by seq. */
let room = null;

const client = connect({
  url: config.gateway.wsUrl,
  tokenProvider: () => currentToken(),
  reconnect: { initialMs: config.reconnect.initialMs, maxMs: config.reconnect.maxMs },
  onState: (state, info) => {
    layout.showConnection(state, info, client);
    document.body.dataset.connection = state;
    if (state === 'open') loadRooms();
  },
  onError: (error) => console.warn('pushgate:', error),
});

byId('refresh-rooms').addEventListener('click', () => loadRooms());
byId('anonymous-sign-in').addEventListener('click', () => layout.openSignIn());
byId('composer').addEventListener('submit', send);
window.addEventListener('hashchange', () => {
  const name = roomFromHash();
  if (name) enterRoom(name);
});
byId('anonymous-hint').hidden = !identity.anonymous;

function roomFromHash() {
  const name = decodeURIComponent(location.hash.replace(/^#/, ''));
  return name || null;
}

async function loadRooms() {
  const message = byId('rooms-message');
  try {
    const reply = await client.fetch(`?${prefix}/`, { withValues: false });
    rooms = reply.results
      .filter((r) => (typeof r.spec === 'string' ? r.spec : r.spec?.type) === 'TIME_SERIES')
      .map((r) => ({ name: r.topic.slice(prefix.length + 1), topic: r.topic, spec: typeof r.spec === 'string' ? { type: r.spec } : r.spec }))
      .sort((a, b) => a.name.localeCompare(b.name));
    show(message, rooms.length ? '' : 'No rooms yet. An administrator creates them on the Moderation page.');
  } catch (error) {
    if (error.code !== 'UNAVAILABLE') show(message, `The rooms cannot be listed: ${error.message}`, 'error');
    return;
  }
  renderRooms();
  const wanted = roomFromHash() ?? room?.name ?? (rooms.find((r) => r.name === 'lobby') ?? rooms[0])?.name;
  if (wanted) enterRoom(wanted);
}

function renderRooms() {
  byId('room-list').replaceChildren(...rooms.map((r) => h('li', {},
    h('a', {
      href: `#${encodeURIComponent(r.name)}`, class: 'room-link', 'aria-current': room?.name === r.name ? 'true' : null,
      dataset: { room: r.name },
    }, h('span', { 'aria-hidden': 'true', class: 'hash' }, '#'), r.name))));
}

function enterRoom(name) {
  if (room?.name === name) return;
  const info = rooms.find((r) => r.name === name);
  if (!info) {
    if (rooms.length) show(notice, `There is no room “${name}”.`, 'error');
    return;
  }
  room?.sub.close();
  const current = { ...info, model: new RoomModel(), items: new Map(), readOnly: false, sub: null };
  room = current;
  byId('room-title').textContent = `# ${name}`;
  document.title = `#${name} · Chat · Pushgate`;
  list.replaceChildren();
  list.setAttribute('aria-busy', 'true');
  show(notice, '');
  setReadOnly(false);
  renderRooms();
  current.sub = client.subscribe(`>${info.topic}`, {
    onEvent: (topic, event) => {
      if (room !== current) return;
      const result = current.model.addEvent(event);
      if (result.kind !== 'ignored') render(current, result.message);
    },
    onGap: (topic, from, to) => {
      if (room === current) show(notice, `Messages ${from} to ${to} are no longer kept and cannot be shown.`, 'warn');
    },
    onUnsubscribed: (topic, reason) => {
      if (room !== current) return;
      show(notice, reason === 'REMOVED' ? 'This room was removed.' : `You no longer receive this room (${reason}).`, 'error');
      setReadOnly(true);
    },
    onError: (error) => {
      if (room === current) show(notice, `This room cannot be shown: ${error.message}`, 'error');
    },
  });
  current.sub.ready.then(async () => {
    // The gateway hands a new subscriber the room's TIME_SERIES_SUBSCRIPTION_RANGE; a room made
    // without "limit N" (N >= history) gets the rest with a range query, merged by seq.
    if (subscriptionLimit(info.spec) < config.chat.history) {
      const reply = await client.range(info.topic, { fromLast: config.chat.history });
      if (room === current) for (const message of current.model.addRange(reply.events)) render(current, message);
    }
  }).catch((error) => {
    if (room === current && error.code !== 'UNAVAILABLE') show(notice, `The last messages cannot be read: ${error.message}`, 'error');
  }).finally(() => {
    setTimeout(() => list.removeAttribute('aria-busy'), 300);
  });
}

/** Adds or updates the list item of a message, in seq order, keeping the view at the bottom if it was. */
function render(current, message) {
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  const existing = current.items.get(message.seq);
  const item = messageItem(message);
  if (existing) {
    existing.replaceWith(item);
  } else {
    let before = null;
    for (const [seq, el] of current.items) if (seq > message.seq && (!before || seq < Number(before.dataset.seq))) before = el;
    list.insertBefore(item, before);
  }
  current.items.set(message.seq, item);
  for (const seq of [...current.items.keys()]) {
    if (!current.model.messages.has(seq)) {
      current.items.get(seq).remove();
      current.items.delete(seq);
    }
  }
  if (atBottom || !existing) list.scrollTop = list.scrollHeight;
}

function messageItem(message) {
  const mine = !identity.anonymous && message.author === identity.name;
  const edited = message.editedBy
    ? h('span', { class: 'edited' }, message.editedBy === message.author ? '(edited)' : `(edited by ${message.editedBy})`)
    : null;
  const item = h('li', { class: mine ? 'message mine' : 'message', dataset: { seq: message.seq, author: message.author } },
    h('div', { class: 'meta' },
      h('span', { class: 'author' }, message.author, mine ? h('span', { class: 'you' }, ' (you)') : null),
      h('time', { datetime: message.time }, clockTime(message.time)),
      edited),
    h('p', { class: 'text' }, message.text));
  if (mine) {
    item.append(h('button', {
      type: 'button', class: 'link edit-button', 'aria-label': `Edit your message: ${message.text.slice(0, 40)}`,
      onclick: (event) => startEdit(message, item, event.currentTarget),
    }, 'Edit'));
  }
  return item;
}

function startEdit(message, item, button) {
  const current = room;
  const id = `edit-${message.seq}`;
  const field = h('input', { id, type: 'text', maxlength: '2000', value: message.text, required: true });
  const cancel = () => {
    form.replaceWith(text);
    button.hidden = false;
    button.focus();
  };
  const form = h('form', { class: 'edit-form' },
    h('label', { for: id, class: 'visually-hidden' }, 'Edit the message'),
    field,
    h('button', { type: 'submit', class: 'primary' }, 'Save'),
    h('button', { type: 'button', onclick: cancel }, 'Cancel'));
  field.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') cancel();
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const value = field.value.trim();
    if (!value || value === message.text) {
      cancel();
      return;
    }
    form.querySelectorAll('button, input').forEach((el) => { el.disabled = true; });
    try {
      await client.edit(current.topic, message.seq, messageValue(current.spec, value, identity.name));
      // The edit comes back as an event with editOf, which re-renders the message.
    } catch (error) {
      show(notice, describeSendError(error, identity, 'edit'), 'error');
      cancel();
    }
  });
  const text = item.querySelector('.text');
  text.replaceWith(form);
  button.hidden = true;
  field.focus();
  field.select();
}

async function send(event) {
  event.preventDefault();
  const current = room;
  const text = input.value.trim();
  if (!text || !current || current.readOnly) return;
  sendButton.disabled = true;
  try {
    await client.append(current.topic, messageValue(current.spec, text, identity.name));
    input.value = '';
    if (notice.dataset.tone === 'error') show(notice, '');
  } catch (error) {
    show(notice, describeSendError(error, identity), 'error');
    if (error.code === 'PERMISSION_DENIED' && room === current) setReadOnly(true);
  } finally {
    sendButton.disabled = room?.readOnly ?? false;
    input.focus();
  }
}

/** A room the user may not post in: said in the header, and the composer is off. */
function setReadOnly(readOnly) {
  if (room) room.readOnly = readOnly;
  byId('room-mode').hidden = !readOnly && !identity.anonymous;
  input.disabled = readOnly;
  sendButton.disabled = readOnly;
  input.placeholder = readOnly ? (identity.anonymous ? 'Sign in to post' : 'You cannot post in this room') : 'Write a message';
}
