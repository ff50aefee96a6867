// The messages of one chat room, from time series events: pure logic, no DOM (tested in Node).
//
// A room is a TIME_SERIES topic. Its events are messages ({"text", "user"} for JSON rooms, the
// text itself for STRING rooms) and edits: an event with `editOf` replaces the text of the event
// it names. The model keeps one entry per message, keyed by seq, so that the same event arriving
// twice (the subscription's recent events and a range query, say) is shown once.
//
// A pre-moderated room (one with an inbox, `inbox/chat/lobby` for `chat/lobby`) is written only by
// the moderator (backend-app): people post to the inbox, and the moderator publishes each message
// once judged, as its own event carrying the author in `from` (which nobody else can write there)
// and the message's place in the inbox (`inbox: {seq, version}`). Until then the sender's own
// page shows it as pending.

/**
 * @typedef {{seq: number, time: string, author: string, value: any, editOf?: number}} TimeSeriesEvent
 * @typedef {object} Message
 * @property {number} seq
 * @property {string} time ISO-8601
 * @property {string} author the principal that appended it (the gateway's word, not the value's `user`)
 * @property {string} text
 * @property {number} textSeq the seq of the event that gave the current text (the message's own, or an edit's)
 * @property {string|null} editedBy the author of the last edit applied, or null
 * @property {boolean} [relayed] published by the moderator in a pre-moderated room (author from `from`)
 * @property {{seq: number, version: number}|null} [inbox] where it is in the room's inbox (pre-moderated rooms)
 * @property {boolean} [bleeped] the moderator replaced flagged words before publishing this version
 * @property {number|null} [pendingVersion] an edit of one's own (its seq in the inbox) the moderator has not published yet
 *
 * @typedef {object} PendingMessage a message sent to a pre-moderated room, not published yet
 * @property {number} inboxSeq
 * @property {string} text
 * @property {string} author
 * @property {string} time
 */

/** The text of a message value: `value.text` for JSON rooms, the value for STRING rooms. */
export function messageText(value) {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof value.text === 'string') return value.text;
  if (value === null || value === undefined) return '';
  return JSON.stringify(value);
}

/**
 * The value to append for a text: `{text, user}` for a JSON room, the text for a STRING room.
 * @param {{eventType?: string}|undefined} spec the room's spec
 * @param {string} text
 * @param {string} user the display name
 */
export function messageValue(spec, text, user) {
  return spec?.eventType === 'STRING' ? text : { text, user };
}

/**
 * How many recent events the gateway gives a new subscriber of a topic:
 * TIME_SERIES_SUBSCRIPTION_RANGE "limit N" (the contract's default is 1).
 * @param {{properties?: Record<string, string>}|undefined} spec
 */
export function subscriptionLimit(spec) {
  const range = spec?.properties?.TIME_SERIES_SUBSCRIPTION_RANGE;
  const match = typeof range === 'string' ? /limit\s+(\d+)/i.exec(range) : null;
  return match ? Number(match[1]) : 1;
}

export class RoomModel {
  /**
   * @param {number} [limit=500] messages kept; the oldest go first
   * @param {{moderator?: string|null}} [options] the moderator's principal: its events carry their author in `from`
   */
  constructor(limit = 500, options = {}) {
    this.limit = limit;
    this.moderator = options.moderator ?? null;
    /** @type {Map<number, Message>} */
    this.messages = new Map();
    /** @type {Map<number, TimeSeriesEvent>} edits whose original is not (yet) known, by the original's seq */
    this.pendingEdits = new Map();
    /** @type {Map<number, PendingMessage>} sent to the inbox, not yet in the room, by inbox seq */
    this.pending = new Map();
  }

  /**
   * The author of an event: the gateway's `author`, except for the moderator's relays, whose
   * value names the author in `from`.
   * @param {TimeSeriesEvent} event
   * @returns {{author: string, relayed: boolean}}
   */
  authorOf(event) {
    const v = event.value;
    if (this.moderator && event.author === this.moderator && v && typeof v === 'object' && typeof v.from === 'string') {
      return { author: v.from, relayed: true };
    }
    return { author: event.author ?? 'anonymous', relayed: false };
  }

  /**
   * A message sent to the inbox of a pre-moderated room (the append's seq there): shown to its
   * sender as pending until the moderator publishes it (unless it already did).
   * @returns {PendingMessage|null}
   */
  addPending(inboxSeq, text, author, time = new Date().toISOString()) {
    for (const m of this.messages.values()) if (m.inbox?.seq === inboxSeq) return null;
    const pending = { inboxSeq, text, author, time };
    this.pending.set(inboxSeq, pending);
    return pending;
  }

  /** The pending messages, oldest first. */
  pendingList() {
    return [...this.pending.values()].sort((a, b) => a.inboxSeq - b.inboxSeq);
  }

  /**
   * One's own edit sent to the inbox (its seq there): the message says so until the moderator
   * publishes that version (or a later one).
   */
  markEditPending(seq, version) {
    const message = this.messages.get(seq);
    if (!message || (message.inbox && message.inbox.version >= version)) return null;
    message.pendingVersion = version;
    return message;
  }

  /**
   * An event of the subscription (in seq order, each once).
   * @param {TimeSeriesEvent} event
   * @returns {{kind: 'added'|'edited'|'ignored', message?: Message}}
   */
  addEvent(event) {
    if (!event || typeof event.seq !== 'number') return { kind: 'ignored' };
    if (typeof event.editOf === 'number') return this._applyEdit(event);
    if (this.messages.has(event.seq)) return { kind: 'ignored' };
    const { author, relayed } = this.authorOf(event);
    const inbox = relayed ? inboxOf(event.value) : null;
    const message = {
      seq: event.seq, time: event.time, author, text: messageText(event.value),
      textSeq: event.seq, editedBy: null, relayed, inbox, bleeped: relayed && event.value.bleeped === true, pendingVersion: null,
    };
    this.messages.set(event.seq, message);
    if (inbox) this.pending.delete(inbox.seq);
    const pending = this.pendingEdits.get(event.seq);
    if (pending) {
      this.pendingEdits.delete(event.seq);
      this._applyEdit(pending);
    }
    this._trim();
    return { kind: 'added', message };
  }

  /**
   * Events of a range query (view "values": originals with their latest edit applied). They only
   * fill in messages not known yet: what the subscription delivered is at least as recent.
   * @param {TimeSeriesEvent[]} events
   * @returns {Message[]} the messages added
   */
  addRange(events) {
    const added = [];
    for (const event of events ?? []) {
      if (!event || typeof event.seq !== 'number' || this.messages.has(event.seq)) continue;
      if (typeof event.editOf === 'number') {
        this._applyEdit(event);
        continue;
      }
      const result = this.addEvent(event);
      if (result.kind === 'added') added.push(result.message);
    }
    return added;
  }

  /** The messages in seq order. */
  list() {
    return [...this.messages.values()].sort((a, b) => a.seq - b.seq);
  }

  get size() {
    return this.messages.size;
  }

  /** @param {TimeSeriesEvent} edit */
  _applyEdit(edit) {
    const original = this.messages.get(edit.editOf);
    if (!original) {
      // Its original may come later (a range reply); older ones are simply not shown.
      const held = this.pendingEdits.get(edit.editOf);
      if (!held || held.seq < edit.seq) this.pendingEdits.set(edit.editOf, edit);
      return { kind: 'ignored' };
    }
    if (edit.seq <= original.textSeq) return { kind: 'ignored' };
    const { author, relayed } = this.authorOf(edit);
    original.text = messageText(edit.value);
    original.textSeq = edit.seq;
    original.editedBy = author;
    if (relayed) {
      original.inbox = inboxOf(edit.value) ?? original.inbox;
      original.bleeped = edit.value.bleeped === true;
      if (original.pendingVersion !== null && original.inbox && original.inbox.version >= original.pendingVersion) {
        original.pendingVersion = null;
      }
    }
    return { kind: 'edited', message: original };
  }

  _trim() {
    if (this.messages.size <= this.limit) return;
    const seqs = [...this.messages.keys()].sort((a, b) => a - b);
    for (const seq of seqs.slice(0, seqs.length - this.limit)) this.messages.delete(seq);
  }
}

/** `inbox: {seq, version}` of a relayed value, or null. */
function inboxOf(value) {
  const inbox = value?.inbox;
  if (!inbox || typeof inbox.seq !== 'number') return null;
  return { seq: inbox.seq, version: typeof inbox.version === 'number' ? inbox.version : inbox.seq };
}

/**
 * The topic of a principal's moderation status: `<prefix>/<name>`, every character of the name a
 * path segment may not hold (anything but A-Z a-z 0-9 . -), and `_` itself, written `_` and two
 * hex digits per UTF-8 byte (backend-app's PrincipalStatus.topic does the same).
 * @param {string} prefix
 * @param {string} principal
 */
export function statusTopic(prefix, principal) {
  let segment = '';
  for (const byte of new TextEncoder().encode(principal)) {
    const c = String.fromCharCode(byte);
    segment += /[A-Za-z0-9.-]/.test(c) && byte < 0x80 ? c : `_${byte.toString(16).padStart(2, '0')}`;
  }
  return `${prefix}/${segment}`;
}

/**
 * The revocation of the right to post in a room that a status (the value of the status topic)
 * holds, or null.
 * @param {any} status {principal, revoked: {room: {id, since, strikes, window, permissions}}}
 * @param {string} room
 */
export function revocationIn(status, room) {
  const entry = status?.revoked?.[room];
  return entry && typeof entry === 'object' ? entry : null;
}

/** An ISO-8601 duration of backend-app (PT10M, PT1H30M, PT45S) in words. */
export function durationInWords(iso) {
  const match = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(iso ?? '');
  if (!match) return null;
  const parts = [];
  const [, hours, minutes, seconds] = match;
  if (hours) parts.push(`${Number(hours)} hour${Number(hours) === 1 ? '' : 's'}`);
  if (minutes) parts.push(`${Number(minutes)} minute${Number(minutes) === 1 ? '' : 's'}`);
  if (seconds) parts.push(`${Number(seconds)} second${Number(seconds) === 1 ? '' : 's'}`);
  return parts.length ? parts.join(' ') : null;
}

/**
 * What the chat page tells someone whose right to post in a room was taken away.
 * @param {any} revocation an entry of the status's `revoked`
 * @param {string} roomName the room's name (lobby)
 * @param {(iso: string) => string} clock formats a time
 */
export function describeRevocation(revocation, roomName, clock) {
  const when = revocation?.since ? ` at ${clock(revocation.since)}` : '';
  const window = durationInWords(revocation?.window);
  const why = revocation?.strikes ? `, after ${revocation.strikes} strikes${window ? ` within ${window}` : ''}` : '';
  return `The moderator took away your right to post in #${roomName}${when}${why}. You can still read it; a moderator can give it back.`;
}

/**
 * What to tell the user when sending or editing failed.
 * @param {{code?: string, message?: string}} error a PushgateError
 * @param {{anonymous: boolean}} identity
 * @param {'send'|'edit'} [action='send']
 */
export function describeSendError(error, identity, action = 'send') {
  const code = error?.code;
  if (code === 'PERMISSION_DENIED') {
    if (action === 'edit') return 'You may not edit this message.';
    return identity.anonymous
      ? 'You can read this room but not post; sign in.'
      : 'You can read this room but not post in it: your right to post here has been taken away (ask a moderator).';
  }
  if (code === 'UNAVAILABLE' || code === 'TIMEOUT') return 'Not sent: the connection to the gateway was lost. Try again once it is back.';
  if (code === 'TOO_LARGE') return 'Not sent: the message is too long.';
  if (code === 'RATE_LIMITED') return 'Not sent: too many messages; wait a moment.';
  if (code === 'NOT_FOUND') return 'This room no longer exists.';
  return `Not sent: ${error?.message ?? 'unknown error'}`;
}

/**
 * Who is in a room, from the value of its presence topic (`{count, principals: {name: sessions}}`,
 * docs/protocol.md "Presence"): the names in order (the signed-in user first, marked), and how many
 * sessions are anonymous. A principal with several sessions (tabs) is one name. The moderator
 * (backend-app, which reads every room to judge it) is a subscriber like any other; it is left out,
 * as it is not someone in the room.
 * @param {{count?: number, principals?: Record<string, number>}|null|undefined} value
 * @param {string|null} me the signed-in principal, or null
 * @param {string[]} [hidden] principals not shown nor counted (the moderator)
 * @returns {{count: number, people: {name: string, sessions: number, me: boolean}[], anonymous: number, text: string, summary: string}}
 *   `summary` counts sessions ("3 here"); `text` names everyone ("Here: alice (you), bob, 1 anonymous")
 */
export function describePresence(value, me, hidden = []) {
  const principals = value && typeof value.principals === 'object' && value.principals ? value.principals : {};
  let count = value && Number.isInteger(value.count) ? value.count : 0;
  for (const name of hidden) {
    if (name !== me && Number.isInteger(principals[name]) && principals[name] > 0) count = Math.max(0, count - principals[name]);
  }
  const people = Object.entries(principals)
    .filter(([name, n]) => Number.isInteger(n) && n > 0 && (name === me || !hidden.includes(name)))
    .map(([name, sessions]) => ({ name, sessions, me: name === me }))
    .sort((a, b) => (a.me !== b.me ? (a.me ? -1 : 1) : a.name.localeCompare(b.name)));
  const named = people.reduce((sum, p) => sum + p.sessions, 0);
  const anonymous = Math.max(0, count - named);
  const names = people.map((p) => (p.me ? `${p.name} (you)` : p.name));
  if (anonymous) names.push(`${anonymous} anonymous`);
  const text = count === 0 ? 'Nobody here' : `Here: ${names.join(', ')}`;
  const summary = count === 0 ? 'Nobody here' : `${count} here`;
  return { count, people, anonymous, text, summary };
}
