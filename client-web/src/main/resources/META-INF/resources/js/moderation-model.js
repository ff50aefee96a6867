// The moderator view's logic, without the DOM (tested in Node): the moderation log written by
// backend-app folded into flagged messages and the principals who lost the right to post, and
// the per-principal status topics that say who may not post where now.
//
// A log event's value is {action, room, principal, seq, words, time}: `action` is bleep (a message
// had its words starred), strike (the same, counted: `strikes`), revoke (the principal lost the
// right to post in `room`; `permissions`: what they keep there; `id`: the revocation's),
// revoke-failed (`error`), restore (a moderator, `by`, gave it back) or restore-refused (`error`).
// `seq` is the message's seq in the room; `edit` the seq of the edit judged, when the flagged
// version was an edit; `inbox` its seq in the inbox of a pre-moderated room.

/**
 * @typedef {object} LogEntry
 * @property {number} logSeq the seq of the log event
 * @property {string} action
 * @property {string} room
 * @property {string} principal
 * @property {number|null} seq the chat message's seq
 * @property {number|null} edit the seq of the edit that was judged, if it was one
 * @property {number|null} inbox the seq in a pre-moderated room's inbox
 * @property {string[]} words
 * @property {string} time
 * @property {number|null} strikes
 * @property {string[]|null} permissions
 * @property {string|null} error
 * @property {string|null} by who asked for a restore
 * @property {string|null} id the revocation's id
 */

const num = (v) => (typeof v === 'number' ? v : null);
const str = (v) => (typeof v === 'string' ? v : null);

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
    room: str(v.room) ?? '',
    principal: str(v.principal) ?? '',
    seq: num(v.seq),
    edit: num(v.edit),
    inbox: num(v.inbox),
    words: Array.isArray(v.words) ? v.words.map(String) : [],
    time: str(v.time) ?? event.time,
    strikes: num(v.strikes),
    permissions: Array.isArray(v.permissions) ? v.permissions.map(String) : null,
    error: str(v.error),
    by: str(v.by),
    id: str(v.id),
  };
}

/** The text of the log's Message column: the message, and which version of it was judged. */
export function messageLabel(entry) {
  if (entry.seq === null) return '';
  if (entry.edit !== null) return `#${entry.seq} (edit #${entry.edit})`;
  if (entry.inbox !== null) return `#${entry.seq} (inbox #${entry.inbox})`;
  return `#${entry.seq}`;
}

export class ModerationModel {
  /** @param {number} [limit=200] log entries kept: past it the oldest are forgotten (the log topic keeps them) */
  constructor(limit = 200) {
    this.limit = limit;
    /** @type {Map<number, LogEntry>} by log seq */
    this.entries = new Map();
    /** @type {Map<string, any>} the status topics' values, by principal */
    this.statuses = new Map();
  }

  /**
   * A log event (live or from a range query); each log seq once.
   * @returns {LogEntry|null} the entry if it is new (and not older than everything kept)
   */
  add(event) {
    if (!event || typeof event.seq !== 'number' || this.entries.has(event.seq) || typeof event.editOf === 'number') return null;
    const entry = logEntry(event);
    if (!entry) return null;
    this.entries.set(event.seq, entry);
    if (this.entries.size > this.limit) {
      const oldest = Math.min(...this.entries.keys());
      this.entries.delete(oldest);
      if (oldest === event.seq) return null;
    }
    return entry;
  }

  /**
   * A principal's status topic changed (null: it went away).
   * @returns {string|null} the principal
   */
  setStatus(principal, status) {
    if (typeof principal !== 'string' || !principal) return null;
    if (status && typeof status === 'object') this.statuses.set(principal, status);
    else this.statuses.delete(principal);
    return principal;
  }

  /** The log, newest first. */
  log() {
    return [...this.entries.values()].sort((a, b) => b.logSeq - a.logSeq);
  }

  /**
   * The versions of messages the moderator acted on, newest first: one per room, message seq and
   * version judged (the original, an edit, an inbox version), with the words found and the
   * author's strike count, if any.
   * @returns {{room: string, seq: number, edit: number|null, inbox: number|null, principal: string, words: string[], strikes: number|null, time: string}[]}
   */
  flagged() {
    const byVersion = new Map();
    for (const e of [...this.entries.values()].sort((a, b) => a.logSeq - b.logSeq)) {
      if ((e.action !== 'bleep' && e.action !== 'strike') || e.seq === null) continue;
      const key = `${e.room}#${e.seq}#${e.edit ?? ''}#${e.inbox ?? ''}`;
      const flag = byVersion.get(key) ?? {
        room: e.room, seq: e.seq, edit: e.edit, inbox: e.inbox, principal: e.principal, words: [], strikes: null, time: e.time, logSeq: e.logSeq,
      };
      for (const w of e.words) if (!flag.words.includes(w)) flag.words.push(w);
      if (e.strikes !== null) flag.strikes = e.strikes;
      flag.logSeq = Math.max(flag.logSeq, e.logSeq);
      byVersion.set(key, flag);
    }
    return [...byVersion.values()].sort((a, b) => b.logSeq - a.logSeq);
  }

  /**
   * The principals who lost the right to post, newest first: from the log (each room's last
   * revocation, restore or failure) and from the status topics, which say what holds now
   * (`current`: the rooms they may not post in, with the revocation's id to restore it).
   * @returns {{principal: string, rooms: {room: string, time: string, action: string, by: string|null, error: string|null}[],
   *            current: {room: string, id: string, since: string|null, strikes: number|null, window: string|null}[]|null, logSeq: number}[]}
   */
  revoked() {
    const byPrincipal = new Map();
    const record = (principal) => {
      if (!byPrincipal.has(principal)) byPrincipal.set(principal, { principal, rooms: [], current: null, logSeq: 0 });
      return byPrincipal.get(principal);
    };
    for (const e of [...this.entries.values()].sort((a, b) => a.logSeq - b.logSeq)) {
      if (!['revoke', 'revoke-failed', 'restore'].includes(e.action)) continue;
      const r = record(e.principal);
      r.rooms = r.rooms.filter((x) => x.room !== e.room);
      r.rooms.push({ room: e.room, time: e.time, action: e.action, by: e.by, error: e.error });
      r.logSeq = e.logSeq;
    }
    for (const [principal, status] of this.statuses) {
      const current = Object.entries(status?.revoked ?? {})
        .filter(([, v]) => v && typeof v === 'object')
        .map(([room, v]) => ({ room, id: str(v.id) ?? '', since: str(v.since), strikes: num(v.strikes), window: str(v.window) }));
      if (!current.length && !byPrincipal.has(principal)) continue;
      record(principal).current = current;
    }
    return [...byPrincipal.values()].sort((a, b) => b.logSeq - a.logSeq || a.principal.localeCompare(b.principal));
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

/**
 * Who is connected, from a `listSessions` reply's sessions: one row per principal (anonymous
 * sessions together), with how many sessions, over which transports, on how many replicas, and
 * how many topic subscriptions in all; sorted by principal.
 * @param {{sessionId: string, replica: string, properties: Record<string, string>, subscriptions: number}[]} sessions
 * @returns {{principal: string, sessions: number, transports: string[], replicas: number, subscriptions: number, sessionIds: string[]}[]}
 */
export function connectedPeople(sessions) {
  const byPrincipal = new Map();
  for (const s of sessions ?? []) {
    const principal = s.properties?.$Principal ?? 'anonymous';
    let row = byPrincipal.get(principal);
    if (!row) {
      row = { principal, sessions: 0, transports: new Set(), replicas: new Set(), subscriptions: 0, sessionIds: [] };
      byPrincipal.set(principal, row);
    }
    row.sessions += 1;
    if (s.properties?.$Transport) row.transports.add(s.properties.$Transport);
    row.replicas.add(s.replica);
    row.subscriptions += s.subscriptions ?? 0;
    row.sessionIds.push(s.sessionId);
  }
  return [...byPrincipal.values()]
    .map((r) => ({ ...r, transports: [...r.transports].sort(), replicas: r.replicas.size, sessionIds: r.sessionIds.sort() }))
    .sort((a, b) => (a.principal < b.principal ? -1 : a.principal > b.principal ? 1 : 0));
}

/** A session filter that selects a principal's sessions: `$Principal is '<name>'`, quotes and backslashes escaped. */
export function principalFilter(principal) {
  return `$Principal is '${String(principal).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
