// The messages of one chat room, from time series events: pure logic, no DOM (tested in Node).
//
// A room is a TIME_SERIES topic. Its events are messages ({"text", "user"} for JSON rooms, the
// text itself for STRING rooms) and edits: an event with `editOf` replaces the text of the event
// it names. The model keeps one entry per message, keyed by seq, so that the same event arriving
// twice (the subscription's recent events and a range query, say) is shown once.

/**
 * @typedef {{seq: number, time: string, author: string, value: any, editOf?: number}} TimeSeriesEvent
 * @typedef {object} Message
 * @property {number} seq
 * @property {string} time ISO-8601
 * @property {string} author the principal that appended it (the gateway's word, not the value's `user`)
 * @property {string} text
 * @property {number} textSeq the seq of the event that gave the current text (the message's own, or an edit's)
 * @property {string|null} editedBy the author of the last edit applied, or null
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
  /** @param {number} [limit=500] messages kept; the oldest go first */
  constructor(limit = 500) {
    this.limit = limit;
    /** @type {Map<number, Message>} */
    this.messages = new Map();
    /** @type {Map<number, TimeSeriesEvent>} edits whose original is not (yet) known, by the original's seq */
    this.pendingEdits = new Map();
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
    const message = {
      seq: event.seq, time: event.time, author: event.author ?? 'anonymous', text: messageText(event.value),
      textSeq: event.seq, editedBy: null,
    };
    this.messages.set(event.seq, message);
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
    original.text = messageText(edit.value);
    original.textSeq = edit.seq;
    original.editedBy = edit.author ?? null;
    return { kind: 'edited', message: original };
  }

  _trim() {
    if (this.messages.size <= this.limit) return;
    const seqs = [...this.messages.keys()].sort((a, b) => a - b);
    for (const seq of seqs.slice(0, seqs.length - this.limit)) this.messages.delete(seq);
  }
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
