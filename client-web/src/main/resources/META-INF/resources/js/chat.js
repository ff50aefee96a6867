// The chat page: rooms (time series topics under the chat prefix), the last messages on entry,
// live ones after, sending, editing one's own messages, and what the connection is doing.
// A signed-in user also follows their own moderation status topic: when the moderator takes their
// right to post in a room away (or gives it back), the page says so at once and turns the composer
// and the Edit buttons off (or on again). In a pre-moderated room (one with an inbox), messages and
// edits go to the inbox and show as pending until the moderator has published them.

import { connect } from '/lib/pushgate.js';
import {
  RoomModel, describePresence, describeRevocation, describeSendError, messageValue, revocationIn, statusTopic, subscriptionLimit,
} from './chat-model.js';
import { byId, clockTime, h, show } from './dom.js';
import { initLayout } from './layout.js';
import { currentToken, followTokenRenewals } from './session.js';

const layout = await initLayout('chat');
const { config, identity } = layout;
const prefix = config.chat.prefix;
const inboxPrefix = config.chat.inboxPrefix;

const list = byId('messages');
const notice = byId('room-notice');
const input = /** @type {HTMLInputElement} */ (byId('message-input'));
const sendButton = /** @type {HTMLButtonElement} */ (byId('send-button'));

/** @type {{name: string, topic: string, spec: any, inbox: string|null}[]} */
let rooms = [];
/** The room shown: its model, its subscription and the list items by seq (and the pending ones by inbox seq). */
let room = null;
/** The signed-in user's moderation status (the value of their status topic), or null. */
let status = null;

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
// A renewed sign-in reaches the open connection (the auth op), which would otherwise close at expiry.
followTokenRenewals(client);

byId('refresh-rooms').addEventListener('click', () => loadRooms());
byId('anonymous-sign-in').addEventListener('click', () => layout.openSignIn());
byId('composer').addEventListener('submit', send);
window.addEventListener('hashchange', () => {
  const name = roomFromHash();
  if (name) enterRoom(name);
});
byId('anonymous-hint').hidden = !identity.anonymous;

// Only this principal (and moderators) may read it: the moderator's revocation grants the read.
// Until the first revocation there is nothing to read, and the subscription simply waits.
if (!identity.anonymous) {
  client.subscribe(`>${statusTopic(config.moderation.statusPrefix, identity.name)}`, {
    onValue: (topic, value) => {
      const before = status;
      status = value;
      applyStatus(before);
    },
    onUnsubscribed: () => {
      // the override that let us read it is gone: no revocation of ours is known any more
      const before = status;
      status = null;
      applyStatus(before);
    },
  });
}

function roomFromHash() {
  const name = decodeURIComponent(location.hash.replace(/^#/, ''));
  return name || null;
}

async function loadRooms() {
  const message = byId('rooms-message');
  try {
    const [reply, inboxes] = await Promise.all([
      client.fetch(`?${prefix}/`, { withValues: false }),
      inboxPrefix ? client.fetch(`?${inboxPrefix}/${prefix}/`, { withValues: false }).then((r) => r.results, () => []) : [],
    ]);
    const inboxTopics = new Set(inboxes.map((r) => r.topic));
    rooms = reply.results
      .filter((r) => (typeof r.spec === 'string' ? r.spec : r.spec?.type) === 'TIME_SERIES')
      .map((r) => ({
        name: r.topic.slice(prefix.length + 1), topic: r.topic, spec: typeof r.spec === 'string' ? { type: r.spec } : r.spec,
        inbox: inboxTopics.has(`${inboxPrefix}/${r.topic}`) ? `${inboxPrefix}/${r.topic}` : null,
      }))
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
  const info = rooms.find((r) => r.name === name);
  if (room?.name === name) {
    if (info && info.inbox !== room.inbox) {
      // a room that became pre-moderated (or stopped being): where to post changed
      room.inbox = info.inbox;
      byId('room-premoderated').hidden = !room.inbox;
    }
    return;
  }
  if (!info) {
    if (rooms.length) show(notice, `There is no room “${name}”.`, 'error');
    return;
  }
  room?.sub.close();
  room?.presence?.close();
  const current = {
    ...info, model: new RoomModel(500, { moderator: config.chat.moderator }), items: new Map(), pendingItems: new Map(),
    readOnly: false, readOnlyReason: null, sub: null, presence: null,
  };
  room = current;
  byId('room-title').textContent = `# ${name}`;
  document.title = `#${name} · Chat · Pushgate`;
  list.replaceChildren();
  list.setAttribute('aria-busy', 'true');
  show(notice, '');
  byId('room-premoderated').hidden = !info.inbox;
  setReadOnly(false);
  applyStatus(null);
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
      setReadOnly(true, 'unsubscribed');
    },
    onError: (error) => {
      if (room === current) show(notice, `This room cannot be shown: ${error.message}`, 'error');
    },
  });
  followPresence(current);
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

/**
 * Who is in the room, live, from its presence topic (rooms made with PRESENCE=true; docs/protocol.md
 * "Presence"). A room without one shows nothing: the subscription then simply waits.
 */
function followPresence(current) {
  const box = byId('room-presence');
  box.hidden = true;
  current.presence = client.presence(current.topic, {
    onValue: (topic, value) => {
      if (room !== current) return;
      const who = describePresence(value, identity.anonymous ? null : identity.name, config.chat.moderator ? [config.chat.moderator] : []);
      const count = byId('presence-count');
      count.textContent = who.summary;
      count.title = who.text;
      byId('presence-list').replaceChildren(
        ...who.people.map((p) => h('li', {
          class: p.me ? 'presence-person me' : 'presence-person', dataset: { principal: p.name },
          title: p.sessions > 1 ? `${p.sessions} sessions` : null,
        }, p.me ? `${p.name} (you)` : p.name)),
        ...(who.anonymous ? [h('li', { class: 'presence-person anonymous' }, `${who.anonymous} anonymous`)] : []));
      box.dataset.count = String(who.count);
      box.hidden = false;
    },
    onUnsubscribed: () => {
      if (room === current) box.hidden = true;
    },
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
    list.insertBefore(item, before ?? list.querySelector('li.pending'));
  }
  current.items.set(message.seq, item);
  if (message.inbox) {
    // published by the moderator: no longer pending
    current.pendingItems.get(message.inbox.seq)?.remove();
    current.pendingItems.delete(message.inbox.seq);
  }
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
      edited,
      message.bleeped ? h('span', { class: 'bleeped', title: 'The moderator replaced flagged words before publishing it' }, '(bleeped)') : null,
      message.pendingVersion ? h('span', { class: 'held' }, 'edit held for moderation…') : null),
    h('p', { class: 'text' }, message.text));
  if (mine && (!message.relayed || message.inbox)) {
    item.append(h('button', {
      type: 'button', class: 'link edit-button', 'aria-label': `Edit your message: ${message.text.slice(0, 40)}`,
      disabled: room?.readOnly ?? false,
      onclick: (event) => startEdit(message, item, event.currentTarget),
    }, 'Edit'));
  }
  return item;
}

/** A message sent to the inbox of a pre-moderated room, which the moderator has not published yet. */
function pendingItem(pending) {
  return h('li', { class: 'message mine pending', dataset: { inboxSeq: pending.inboxSeq, author: pending.author } },
    h('div', { class: 'meta' },
      h('span', { class: 'author' }, pending.author, h('span', { class: 'you' }, ' (you)')),
      h('time', { datetime: pending.time }, clockTime(pending.time)),
      h('span', { class: 'held' }, 'held for moderation…')),
    h('p', { class: 'text' }, pending.text));
}

function renderPending(current, pending) {
  if (!pending || current.pendingItems.has(pending.inboxSeq)) return;
  const item = pendingItem(pending);
  current.pendingItems.set(pending.inboxSeq, item);
  list.append(item);
  list.scrollTop = list.scrollHeight;
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
    h('button', { type: 'button', class: 'cancel-edit', onclick: cancel }, 'Cancel'));
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
      if (current.inbox && message.inbox) {
        // pre-moderated: the edit goes to the inbox; the moderator publishes it as an edit of the room's message
        const reply = await client.edit(current.inbox, message.inbox.seq, messageValue(current.spec, value, identity.name));
        const marked = current.model.markEditPending(message.seq, reply.seq);
        if (marked && room === current) render(current, marked);
        else cancel();
      } else {
        await client.edit(current.topic, message.seq, messageValue(current.spec, value, identity.name));
        // The edit comes back as an event with editOf, which re-renders the message.
      }
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
    if (current.inbox) {
      const reply = await client.append(current.inbox, messageValue(current.spec, text, identity.name));
      if (room === current) renderPending(current, current.model.addPending(reply.seq, text, identity.name));
    } else {
      await client.append(current.topic, messageValue(current.spec, text, identity.name));
    }
    input.value = '';
    if (notice.dataset.tone === 'error') show(notice, '');
  } catch (error) {
    if (error.code === 'PERMISSION_DENIED' && room === current) {
      setReadOnly(true, 'denied');
      const revocation = revocationIn(status, current.topic);
      show(notice, revocation ? describeRevocation(revocation, current.name, clockTime) : describeSendError(error, identity), 'error');
    } else {
      show(notice, describeSendError(error, identity), 'error');
    }
  } finally {
    sendButton.disabled = room?.readOnly ?? false;
    input.focus();
  }
}

/**
 * The user's moderation status changed (or another room is shown): a revocation in the room shown
 * turns it read-only at once, with the reason; its end gives the composer back.
 * @param {any} before the status before this change
 */
function applyStatus(before) {
  if (!room || identity.anonymous) return;
  const revocation = revocationIn(status, room.topic);
  if (revocation) {
    setReadOnly(true, 'revoked');
    show(notice, describeRevocation(revocation, room.name, clockTime), 'error');
  } else if (room.readOnlyReason === 'revoked' || (room.readOnlyReason === 'denied' && revocationIn(before, room.topic))) {
    setReadOnly(false);
    show(notice, `You may post in #${room.name} again.`, 'ok');
  }
}

/** A room the user may not post in: said in the header, and the composer and the Edit buttons are off. */
function setReadOnly(readOnly, reason = null) {
  if (room) {
    room.readOnly = readOnly;
    room.readOnlyReason = readOnly ? reason : null;
  }
  byId('room-mode').hidden = !readOnly && !identity.anonymous;
  input.disabled = readOnly;
  sendButton.disabled = readOnly;
  input.placeholder = readOnly ? (identity.anonymous ? 'Sign in to post' : 'You cannot post in this room') : 'Write a message';
  list.querySelectorAll('.edit-button').forEach((button) => { button.disabled = readOnly; });
  // an edit being written cannot be saved any more: cancelled (its text stays as it was)
  if (readOnly) list.querySelectorAll('.edit-form .cancel-edit').forEach((cancel) => cancel.click());
}
