// The moderator view's logic, without the DOM (tested in Node): the moderation log written by
// backend-app folded into flagged messages and the principals who lost the right to post.
//
// A log event's value is {action, room, principal, seq, words, time}: `action` is bleep (a message
// had its words starred), strike (the same, counted: `strikes`), revoke (the principal lost the
// right to post in `room`; `permissions`: what they keep there) or revoke-failed (`error`).

/**
 * @typedef {object} LogEntry
 * @property {number} logSeq the seq of the log event
 * @property {string} action
 * @property {string} room
 * @property {string} principal
 * @property {number|null} seq the chat message's seq
 * @property {string[]} words
 * @property {string} time
 * @property {number|null} strikes
 * @property {string[]|null} permissions
 * @property {string|null} error
 */

/**
 * @param {{seq: number, time: string, value: any}} event a log event
 * @returns {LogEntry|null}
 */
export function logEntry(event) {
  const v = event?.value;
  if (!v || typeof v !== 'object' || typeof v.action !== 'string') return null;
  return {
    logSeq: event.seq,
    action: v.action,
    room: typeof v.room === 'string' ? v.room : '',
    principal: typeof v.principal === 'string' ? v.principal : '',
    seq: typeof v.seq === 'number' ? v.seq : null,
    words: Array.isArray(v.words) ? v.words.map(String) : [],
    time: typeof v.time === 'string' ? v.time : event.time,
    strikes: typeof v.strikes === 'number' ? v.strikes : null,
    permissions: Array.isArray(v.permissions) ? v.permissions.map(String) : null,
    error: typeof v.error === 'string' ? v.error : null,
  };
}

export class ModerationModel {
  constructor() {
    /** @type {Map<number, LogEntry>} by log seq */
    this.entries = new Map();
  }

  /**
   * A log event (live or from a range query); each log seq once.
   * @returns {LogEntry|null} the entry if it is new
   */
  add(event) {
    if (!event || typeof event.seq !== 'number' || this.entries.has(event.seq) || typeof event.editOf === 'number') return null;
    const entry = logEntry(event);
    if (!entry) return null;
    this.entries.set(event.seq, entry);
    return entry;
  }

  /** The log, newest first. */
  log() {
    return [...this.entries.values()].sort((a, b) => b.logSeq - a.logSeq);
  }

  /**
   * The messages the moderator acted on, newest first: one per room and message seq, with the
   * words found and the author's strike count, if any.
   * @returns {{room: string, seq: number, principal: string, words: string[], strikes: number|null, time: string}[]}
   */
  flagged() {
    const byMessage = new Map();
    for (const e of [...this.entries.values()].sort((a, b) => a.logSeq - b.logSeq)) {
      if ((e.action !== 'bleep' && e.action !== 'strike') || e.seq === null) continue;
      const key = `${e.room}#${e.seq}`;
      const flag = byMessage.get(key) ?? { room: e.room, seq: e.seq, principal: e.principal, words: [], strikes: null, time: e.time, logSeq: e.logSeq };
      for (const w of e.words) if (!flag.words.includes(w)) flag.words.push(w);
      if (e.strikes !== null) flag.strikes = e.strikes;
      flag.logSeq = Math.max(flag.logSeq, e.logSeq);
      byMessage.set(key, flag);
    }
    return [...byMessage.values()].sort((a, b) => b.logSeq - a.logSeq);
  }

  /**
   * The principals who lost the right to post, with the rooms and when, newest first; a
   * revocation that failed is listed with its error.
   * @returns {{principal: string, rooms: {room: string, time: string, permissions: string[]|null, error: string|null}[]}[]}
   */
  revoked() {
    const byPrincipal = new Map();
    for (const e of [...this.entries.values()].sort((a, b) => a.logSeq - b.logSeq)) {
      if (e.action !== 'revoke' && e.action !== 'revoke-failed') continue;
      const record = byPrincipal.get(e.principal) ?? { principal: e.principal, rooms: [], logSeq: 0 };
      record.rooms = record.rooms.filter((r) => r.room !== e.room);
      record.rooms.push({ room: e.room, time: e.time, permissions: e.permissions, error: e.error });
      record.logSeq = e.logSeq;
      byPrincipal.set(e.principal, record);
    }
    return [...byPrincipal.values()].sort((a, b) => b.logSeq - a.logSeq);
  }
}

/**
 * Whether a principal's overrides at the gateway ({pathPermissions: {path: [...]}}) let them post
 * in a room: the most specific overriding prefix decides; none means their roles decide (null).
 * @param {any} overrides the body of GET /v1/security/principals/{name}
 * @param {string} room a topic path
 * @returns {boolean|null}
 */
export function canPost(overrides, room) {
  const paths = overrides?.pathPermissions;
  if (!paths || typeof paths !== 'object') return null;
  let best = null;
  for (const path of Object.keys(paths)) {
    if ((room === path || room.startsWith(`${path}/`)) && (best === null || path.length > best.length)) best = path;
  }
  if (best === null) return null;
  return Array.isArray(paths[best]) && paths[best].includes('UPDATE_TOPIC');
}
