// Pushgate browser client: an ES module, no framework, no build step.
//
//   import { connect } from '/lib/pushgate.js';
//   const client = connect({ url: '/v1/ws', token, delta: 'fossil', onState: (s, info) => ... });
//   const sub = client.subscribe('?prices//', { onValue: (topic, value, seq) => ... });
//   await client.set('prices/btc/usd', { rate: 1 });
//   sub.close();
//   client.presence('chat/lobby', { onValue: (topic, { count, principals }) => ... }); // who is there
//
// The wire contract and Pushgate's extensions are in docs/protocol.md.
// What this client guarantees to the application:
// - onValue always receives whole values: deltas (JSON Patch or Fossil) are applied here, to
//   the value held for the seq just before; a delta that does not follow the held seq, or
//   that fails to apply, makes the client fetch the topic again rather than hand over a wrong
//   value.
// - Per topic, seqs only increase; time series events are delivered once each, in seq order,
//   also across reconnections (which resubscribe with `since`, so missed events still retained
//   are recovered); events that are no longer retained are reported through onGap.
// - Values handed over are shared with the client's own state (patches are applied
//   copy-on-write, so a value once handed over never changes): treat them as read-only.

import { applyTextDelta } from './fossil.js';
import { applyPatch, jsonEqual } from './jsonpatch.js';
import { fetchValueTexts } from './rawjson.js';
import { parseSelector } from './selector.js';

/**
 * @typedef {'json-patch'|'fossil'|'none'} DeltaMode
 * @typedef {'connecting'|'open'|'reconnecting'|'closed'} ConnectionState
 * @typedef {{type: string, eventType?: string, properties?: Record<string, string>}} TopicSpec
 * @typedef {{seq: number, time: string, author: string, value: any, editOf?: number}} TimeSeriesEvent
 *
 * @typedef {object} StateInfo
 * @property {number} [code] the WebSocket close code that caused the change
 * @property {string} [reason] the close reason
 * @property {number} [attempt] for 'reconnecting': the number of the next attempt (1, 2, ...)
 * @property {number} [delayMs] for 'reconnecting': how long until that attempt
 *
 * @typedef {object} ReconnectOptions
 * @property {number} [initialMs=500] the first delay; each failed attempt doubles it
 * @property {number} [maxMs=30000] the largest delay
 * @property {number} [stableMs=5000] a connection open this long resets the delay to initialMs
 * @property {(code: number) => boolean} [shouldReconnect] overrides {@link isReconnectCode}
 *
 * @typedef {object} Clock
 * @property {(fn: () => void, ms: number) => any} setTimeout
 * @property {(handle: any) => void} clearTimeout
 * @property {() => number} now milliseconds
 *
 * @typedef {object} ConnectOptions
 * @property {string} url the gateway's WebSocket URL (ws:, wss:, http:, https:, or a path relative to the page)
 * @property {string} [token] a JWT, sent as `?access_token=` (browsers cannot set headers on a WebSocket)
 * @property {() => (string|null|undefined|Promise<string|null|undefined>)} [tokenProvider] called before
 *   every connection attempt; its token wins over `token`
 * @property {DeltaMode} [delta='json-patch'] the delta format of the connection (`?delta=`)
 * @property {boolean} [batch=false] asks for `?batch=lines`: the gateway may put several messages
 *   in one frame, one per line (fewer frames when many updates arrive at once; docs/protocol.md)
 * @property {number} [batchDelayMs] with `batch`, `?batch-delay=`: frames at most this often
 * @property {Record<string, string>} [properties] user session properties given when connecting
 *   (`?properties=<JSON>`, every connection): names of letters, digits, `_ . -`; string values.
 *   Controllers list sessions by them and select them with session filters (`country eq 'UK'`)
 * @property {ReconnectOptions|false} [reconnect] automatic reconnection; false disables it
 * @property {(state: ConnectionState, info: StateInfo) => void} [onState]
 * @property {(error: Error) => void} [onError] errors not tied to a request: `error` messages
 *   without an id, failed resyncs, exceptions thrown by handlers
 * @property {number} [pingIntervalMs=25000] a `ping` this often keeps the connection from idling
 *   out (close 4002) and detects a dead one (no frame for a whole interval); 0 disables
 * @property {number} [requestTimeoutMs=0] rejects a request (code TIMEOUT) not answered in time; 0: never
 * @property {any} [WebSocketImpl] a class with the browser WebSocket interface (default: globalThis.WebSocket)
 * @property {Clock} [clock] timers and time (for tests)
 * @property {() => number} [random] a number in [0, 1) (for tests: the reconnection jitter)
 *
 * @typedef {object} SubscriptionHandlers
 * @property {(topic: string, value: any, seq: number) => void} [onValue] the whole value of a topic
 *   (also the value of time series events when there is no onEvent)
 * @property {(topic: string, event: TimeSeriesEvent) => void} [onEvent] each time series event, once, in seq order
 * @property {(topic: string, reason: string) => void} [onUnsubscribed] the gateway ended the
 *   subscription to a topic (REMOVED, PERMISSION_DENIED, CONFLATED_AWAY...)
 * @property {(topic: string, from: number, to: number, reason: string) => void} [onGap] time series
 *   events from..to (inclusive) were missed and cannot be recovered
 * @property {(topic: string, spec: TopicSpec) => void} [onSubscribed] a topic matched the selector
 * @property {(error: Error) => void} [onError] the subscription failed (an invalid selector...)
 *
 * @typedef {object} Stats
 * @property {number} framesReceived
 * @property {number} bytesReceived UTF-8 bytes of the text frames received
 * @property {Record<string, number>} messagesByType messages received, by `type`
 * @property {Record<string, number>} bytesByType UTF-8 bytes of the messages received, by `type`
 *   (the newlines between the messages of a batched frame are in bytesReceived only)
 * @property {number} framesSent
 * @property {number} bytesSent
 * @property {number} connections connections opened
 * @property {number} resyncs topics fetched again after a delta that could not be applied
 * @property {number} duplicateEvents time series events dropped as already delivered
 * @property {number} staleMessages values or deltas dropped for a seq not above the held one
 */

/** Default reconnection delays. */
const DEFAULT_RECONNECT = { initialMs: 500, maxMs: 30000, stableMs: 5000 };

/** Messages held for a topic while it is being fetched again, at most. */
const MAX_RESYNC_BUFFER = 1000;

/** Time series events kept per topic for subscriptions that join later, at most. */
const MAX_RECENT_EVENTS = 100;

/**
 * The `sessionId` or `filter` of a session control request: exactly one of them.
 * @param {{sessionId?: string, filter?: string}} target
 */
function sessionTarget(target) {
  const hasId = target && typeof target.sessionId === 'string';
  const hasFilter = target && typeof target.filter === 'string';
  if (hasId === hasFilter) throw new TypeError('a session target is {sessionId} or {filter}');
  return hasId ? { sessionId: target.sessionId } : { filter: target.filter };
}

/** The prefix of presence topics (docs/protocol.md, "Presence"): `$presence/chat/lobby` is who is in `chat/lobby`. */
export const PRESENCE_PREFIX = '$presence/';

/**
 * The presence topic of a topic: `presenceTopic('chat/lobby')` is `$presence/chat/lobby`.
 * @param {string} path
 */
export function presenceTopic(path) {
  return `${PRESENCE_PREFIX}${path}`;
}

/** An `error` reply, or a request that failed locally (UNAVAILABLE, TIMEOUT). */
export class PushgateError extends Error {
  /**
   * @param {string} code the contract's error code (INVALID, NOT_FOUND, ...), or UNAVAILABLE / TIMEOUT
   * @param {string} message
   * @param {{op?: string, reply?: any, closeCode?: number}} [details]
   */
  constructor(code, message, details = {}) {
    super(message);
    this.name = 'PushgateError';
    /** @type {string} */
    this.code = code;
    /** @type {string|undefined} the op of the failed request */
    this.op = details.op;
    /** @type {any} the `error` message, when the gateway sent one */
    this.reply = details.reply;
    /** @type {number|undefined} the close code, when the connection ended */
    this.closeCode = details.closeCode;
    /** @type {string|undefined} messaging: why a request got no response (NO_HANDLER, HANDLER_GONE, TIMEOUT, REJECTED, ...) */
    this.reason = details.reply?.reason;
  }
}

/**
 * Whether a close code asks the client to reconnect: 1001 (going away), 1006 (abnormal), 1011
 * to 1013 (server error, restart, try again later), and Pushgate's 4000-4099. Not 4100-4199
 * ("do not reconnect without changing something", e.g. the credentials), nor 1000.
 * @param {number} code
 */
export function isReconnectCode(code) {
  return code === 1001 || code === 1006 || (code >= 1011 && code <= 1013) || (code >= 4000 && code <= 4099);
}

/**
 * UTF-8 length of a string, as TextEncoder would encode it (a lone surrogate counts as U+FFFD).
 * @param {string} text
 */
export function utf8Length(text) {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * Connects to a gateway. The client connects at once, reconnects by itself, and queues the
 * requests and subscriptions made while it is not connected.
 * @param {ConnectOptions} options
 * @returns {PushgateClient}
 */
export function connect(options) {
  return new PushgateClient(options);
}

/** One subscription to a selector: its handlers get the topics the selector matches. */
export class Subscription {
  /**
   * @param {PushgateClient} client
   * @param {string} selector
   * @param {SubscriptionHandlers} handlers
   * @param {Promise<void>} ready
   * @param {() => Promise<void>} closer
   */
  constructor(client, selector, handlers, ready, closer) {
    /** @type {string} the selector expression */
    this.selector = selector;
    /** @type {SubscriptionHandlers} */
    this.handlers = handlers;
    /** @type {Promise<void>} resolves when the gateway accepted the selector; rejects with its error */
    this.ready = ready;
    /** @type {boolean} */
    this.closed = false;
    this.matcher = parseSelector(selector);
    this._closer = closer;
  }

  /**
   * Ends this subscription: its handlers get nothing more. The gateway is told to unsubscribe
   * once no other subscription of this client uses the same selector.
   * @returns {Promise<void>}
   */
  close() {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    return this._closer();
  }
}

/**
 * What the client holds for a topic.
 * @typedef {object} TopicState
 * @property {string} path
 * @property {number|undefined} tid on the current connection
 * @property {TopicSpec} spec
 * @property {string} type
 * @property {boolean} isTimeSeries
 * @property {boolean} subscribed subscribed on the current connection
 * @property {object|null} connection the connection that sent its `subscription`
 * @property {boolean} hasValue whether value/text/seq hold a value deltas apply to
 * @property {any} value
 * @property {string|undefined} text the exact text (fossil mode, JSON and STRING topics)
 * @property {number} seq the seq of the held value
 * @property {number} lastDeliveredSeq
 * @property {any} lastDelivered
 * @property {number} lastEventSeq time series: the last event delivered
 * @property {TimeSeriesEvent[]} recentEvents time series: the last few events
 * @property {number} recentLimit
 * @property {{buffer: any[]}|null} resync a fetch in progress, and the messages held meanwhile
 * @property {boolean} expectResubscribe an `unsubscribed REQUESTED` is expected and will be followed by a new subscription
 * @property {{version: number, list: Subscription[]}|null} subsCache
 */

/** A client of one gateway. Create it with {@link connect}. */
export class PushgateClient {
  /** @param {ConnectOptions} options */
  constructor(options) {
    if (!options || typeof options.url !== 'string') throw new TypeError('connect: options.url is required');
    const delta = options.delta ?? 'json-patch';
    if (!['json-patch', 'fossil', 'none'].includes(delta)) throw new TypeError(`connect: unknown delta format '${delta}'`);
    this._options = options;
    /** @type {DeltaMode} */
    this.delta = delta;
    if (options.batchDelayMs !== undefined && !(Number.isInteger(options.batchDelayMs) && options.batchDelayMs >= 0)) {
      throw new TypeError('connect: batchDelayMs must be a whole number of milliseconds');
    }
    this._batch = options.batch === true;
    this._WebSocket = options.WebSocketImpl ?? globalThis.WebSocket;
    if (typeof this._WebSocket !== 'function') throw new TypeError('connect: no WebSocket implementation (pass WebSocketImpl)');
    this._baseUrl = websocketUrl(options.url);
    this._reconnect = options.reconnect === false ? null : { ...DEFAULT_RECONNECT, ...(options.reconnect ?? {}) };
    this._clock = options.clock ?? {
      setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
      clearTimeout: (h) => globalThis.clearTimeout(h),
      now: () => Date.now(),
    };
    this._random = options.random ?? Math.random;
    this._pingIntervalMs = options.pingIntervalMs ?? 25000;
    this._requestTimeoutMs = options.requestTimeoutMs ?? 0;
    /** @type {string|undefined} */
    this._token = options.token;

    /** @type {ConnectionState} */
    this._state = 'connecting';
    this._conn = null;
    this._attempt = 0;
    this._reconnectTimer = null;
    this._closedByUser = false;
    this._nextId = 1;
    /** @type {Map<number, any>} requests sent, by id */
    this._inflight = new Map();
    /** @type {any[]} requests made while not connected */
    this._queue = [];
    /**
     * The selectors subscribed, each shared by the subscriptions that use the same expression.
     * @type {Map<string, {expression: string, matcher: import('./selector.js').Selector, subs: Set<Subscription>,
     *   ready: Promise<void>, settle: {resolve: () => void, reject: (e: Error) => void}, confirmed: boolean}>}
     */
    this._selectors = new Map();
    /** messaging: handlers by path, request streams by path; registered again on each new connection */
    this._requestHandlers = new Map();
    this._requestStreams = new Map();
    /** messaging: per sendToFilter request id, what to do with each session's answer */
    this._filterAnswers = new Map();
    this._openedBefore = false;
    this._subsVersion = 0;
    /** @type {Map<string, TopicState>} */
    this._topics = new Map();
    /** @type {Map<number, TopicState>} */
    this._tids = new Map();
    this._stats = newStats();

    queueMicrotask(() => {
      if (this._state === 'connecting' && !this._conn?.opened) this._emitState('connecting', {});
    });
    this._openSocket();
  }

  /** @returns {ConnectionState} */
  get state() {
    return this._state;
  }

  // ---------------------------------------------------------------- subscriptions

  /**
   * Subscribes to the topics a selector matches, now and later.
   * @param {string} selector
   * @param {SubscriptionHandlers} [handlers]
   * @returns {Subscription}
   */
  subscribe(selector, handlers = {}) {
    parseSelector(selector); // a TypeError for what is not a selector at all
    let record = this._selectors.get(selector);
    const isNew = !record;
    if (!record) {
      record = { expression: selector, matcher: parseSelector(selector), subs: new Set(), settle: null, confirmed: false, ready: null };
      let settle;
      record.ready = new Promise((resolve, reject) => {
        settle = { resolve, reject };
      });
      record.ready.catch(() => {});
      record.settle = settle;
      this._selectors.set(selector, record);
    }
    const sub = new Subscription(this, selector, handlers, record.ready, () => this._closeSubscription(sub));
    record.subs.add(sub);
    this._subsVersion++;
    if (isNew && this._isOpen()) this._sendSubscribe(record);
    // Topics the client already holds get no new `subscription` from the gateway (and after a
    // reconnection, an unchanged value is not delivered again): replay what is held.
    const held = [...this._topics.values()].filter((st) => sub.matcher.matches(st.path));
    if (held.length) {
      queueMicrotask(() => {
        for (const st of held) {
          if (sub.closed || this._topics.get(st.path) !== st) continue;
          this._call(sub, 'onSubscribed', st.path, st.spec);
          if (st.isTimeSeries) {
            for (const event of st.recentEvents) this._deliverEventTo(sub, st, event);
          } else if (st.lastDeliveredSeq > 0) {
            this._call(sub, 'onValue', st.path, st.lastDelivered, st.lastDeliveredSeq);
          }
        }
      });
    }
    return sub;
  }

  /** @param {Subscription} sub */
  _closeSubscription(sub) {
    const record = this._selectors.get(sub.selector);
    if (!record || !record.subs.delete(sub)) return Promise.resolve();
    this._subsVersion++;
    if (record.subs.size > 0) return Promise.resolve();
    this._selectors.delete(sub.selector);
    if (!record.confirmed) record.settle.reject(new PushgateError('UNAVAILABLE', 'the subscription was closed', { op: 'subscribe' }));
    if (!this._isOpen()) {
      for (const st of [...this._topics.values()]) {
        if (!this._anySelectorMatches(st.path)) this._forget(st);
      }
      return Promise.resolve();
    }
    // The gateway unsubscribes every topic the selector matches, even those another selector
    // also matches (Diffusion's rule): subscribe those selectors again right after, with `since`
    // for their time series, so that their subscriptions go on without a loss or a duplicate.
    const again = new Map();
    for (const st of this._topics.values()) {
      if (!st.subscribed || !record.matcher.matches(st.path)) continue;
      for (const other of this._selectors.values()) {
        if (!other.matcher.matches(st.path)) continue;
        st.expectResubscribe = true;
        if (!again.has(other)) again.set(other, []);
        again.get(other).push(st);
      }
    }
    const done = this._request({ op: 'unsubscribe', selector: sub.selector }).then(() => undefined);
    for (const [other, states] of again) {
      this._request({ op: 'subscribe', selector: other.expression, since: positionsOf(states) })
        .catch((e) => this._reportSubscriptionError(other, e));
    }
    return done;
  }

  /**
   * Sends `subscribe` for a selector, with `since` for the time series it matches that are not
   * subscribed on this connection (held from an earlier one).
   */
  _sendSubscribe(record) {
    const states = [...this._topics.values()].filter((st) => st.isTimeSeries && !st.subscribed && record.matcher.matches(st.path));
    const message = { op: 'subscribe', selector: record.expression };
    if (states.length) message.since = positionsOf(states);
    return this._request(message).then(
      () => {
        if (!record.confirmed) {
          record.confirmed = true;
          record.settle.resolve();
        }
      },
      (error) => {
        // Disconnected (or no reply in time): sent again on the next connection.
        if (error.code !== 'UNAVAILABLE' && error.code !== 'TIMEOUT') this._reportSubscriptionError(record, error);
      },
    );
  }

  _reportSubscriptionError(record, error) {
    for (const sub of record.subs) this._call(sub, 'onError', error);
    if (!record.subs.size) this._reportError(error);
    if (!record.confirmed) {
      // The gateway refused the selector: drop it.
      if (this._selectors.get(record.expression) === record) this._selectors.delete(record.expression);
      for (const sub of record.subs) sub.closed = true;
      this._subsVersion++;
      record.settle.reject(error);
    }
  }

  /**
   * Who is subscribed to a topic that has the property `PRESENCE` set to true: an ordinary
   * subscription to its presence topic `$presence/<path>`, whose value is
   * `{count, principals: {name: sessions}}` (`count` includes anonymous sessions, which are not
   * named). It needs the right to read the topic itself; nobody may write it. Deltas, reconnection
   * and `close()` work as for any subscription.
   * @param {string} path the topic's path (not a selector)
   * @param {SubscriptionHandlers} [handlers] `onValue(topic, {count, principals}, seq)` on every change
   * @returns {Subscription}
   */
  presence(path, handlers = {}) {
    return this.subscribe(`>${presenceTopic(path)}`, handlers);
  }

  // ---------------------------------------------------------------- requests

  /**
   * Topics matching a selector, with their specs, seqs and (unless withValues is false) values.
   * @param {string} selector
   * @param {{withValues?: boolean}} [options]
   * @returns {Promise<{type: 'fetch', id: number, results: {topic: string, spec: TopicSpec, seq: number, value?: any}[]}>}
   */
  fetch(selector, options = {}) {
    const message = { op: 'fetch', selector };
    if (options.withValues !== undefined) message.withValues = options.withValues;
    return this._request(message);
  }

  /**
   * Adds a topic.
   * @param {string} topic
   * @param {TopicSpec|string} spec
   * @returns {Promise<{type: 'ok', id: number, result: 'CREATED'|'EXISTS'}>}
   */
  add(topic, spec) {
    return this._request({ op: 'add', topic, spec });
  }

  /**
   * Sets a topic's value (add-and-set with `spec`; only if the topic is at `ifSeq` with it).
   * @param {string} topic
   * @param {any} value
   * @param {{spec?: TopicSpec|string, ifSeq?: number}} [options]
   * @returns {Promise<{type: 'ok', id: number, seq: number}>}
   */
  set(topic, value, options = {}) {
    const message = { op: 'set', topic, value };
    if (options.spec !== undefined) message.spec = options.spec;
    if (options.ifSeq !== undefined) message.ifSeq = options.ifSeq;
    return this._request(message);
  }

  /**
   * Appends an event to a time series topic.
   * @param {string} topic
   * @param {any} value
   * @returns {Promise<{type: 'ok', id: number, seq: number}>}
   */
  append(topic, value) {
    return this._request({ op: 'append', topic, value });
  }

  /**
   * Edits a time series event: appends an event that replaces the one at `seq`.
   * @param {string} topic
   * @param {number} seq the seq of the original event
   * @param {any} value
   * @returns {Promise<{type: 'ok', id: number, seq: number}>}
   */
  edit(topic, seq, value) {
    return this._request({ op: 'edit', topic, seq, value });
  }

  /**
   * A range query over a time series topic: exactly one of fromLast, from, fromTime.
   * `view` is 'values' (the default: original events with their latest edit applied) or
   * 'edits' (every event as stored).
   * @param {string} topic
   * @param {{fromLast?: number, from?: number, fromTime?: string|Date, to?: number, limit?: number, view?: 'values'|'edits'}} query
   * @returns {Promise<{type: 'range', id: number, topic: string, events: TimeSeriesEvent[]}>}
   */
  range(topic, query = {}) {
    const message = { op: 'range', topic };
    for (const key of ['fromLast', 'from', 'fromTime', 'to', 'limit', 'view']) {
      if (query[key] !== undefined) message[key] = query[key] instanceof Date ? query[key].toISOString() : query[key];
    }
    return this._request(message);
  }

  /**
   * Removes the topics a selector matches.
   * @param {string} selector
   * @returns {Promise<{type: 'ok', id: number, removed: number}>}
   */
  remove(selector) {
    return this._request({ op: 'remove', selector });
  }

  // ---- session control (extension; VIEW_SESSION, MODIFY_SESSION). A target is {sessionId} or {filter}.

  /**
   * Every session of every replica that the session filter selects (all without one). Needs VIEW_SESSION.
   * @param {string} [filter] a session filter: `$Principal is 'bob'`, `$Roles has 'MODERATOR'`, ...
   * @returns {Promise<{type: 'sessions', id: number, sessions: {sessionId: string, replica: string, properties: Record<string, string>, subscriptions: number}[]}>}
   */
  listSessions(filter) {
    const message = { op: 'listSessions' };
    if (filter !== undefined && filter !== null) message.filter = filter;
    return this._request(message);
  }

  /**
   * Closes sessions with close code 4101 (their clients do not reconnect at once). Needs MODIFY_SESSION.
   * @param {{sessionId?: string, filter?: string}} target
   * @param {string} [reason]
   * @returns {Promise<{type: 'ok', id: number, sessions: number}>}
   */
  closeSessions(target, reason) {
    const message = { op: 'closeSessions', ...sessionTarget(target) };
    if (reason !== undefined) message.reason = reason;
    return this._request(message);
  }

  /**
   * Sets user properties of sessions (a value of null removes one). Needs MODIFY_SESSION.
   * @param {{sessionId?: string, filter?: string}} target
   * @param {Record<string, string|null>} properties
   * @returns {Promise<{type: 'ok', id: number, sessions: number}>}
   */
  setSessionProperties(target, properties) {
    return this._request({ op: 'setSessionProperties', ...sessionTarget(target), properties });
  }

  /**
   * Subscribes sessions to a selector (each receives what its own rights let it read). Needs MODIFY_SESSION.
   * @param {{sessionId?: string, filter?: string}} target
   * @param {string} selector
   * @returns {Promise<{type: 'ok', id: number, sessions: number}>}
   */
  subscribeSessions(target, selector) {
    return this._request({ op: 'subscribeSessions', ...sessionTarget(target), selector });
  }

  /**
   * Unsubscribes sessions from a selector. Needs MODIFY_SESSION.
   * @param {{sessionId?: string, filter?: string}} target
   * @param {string} selector
   * @returns {Promise<{type: 'ok', id: number, sessions: number}>}
   */
  unsubscribeSessions(target, selector) {
    return this._request({ op: 'unsubscribeSessions', ...sessionTarget(target), selector });
  }

  /** @returns {Promise<{type: 'pong', id: number}>} */
  ping() {
    return this._request({ op: 'ping' });
  }

  /**
   * Replaces the credentials: sends `{"op":"auth","token"}` if connected, and uses the token
   * for every later connection. Resolves with the gateway's reply (at once when not connected).
   * @param {string} token
   * @returns {Promise<any>}
   */
  auth(token) {
    this._token = token;
    if (!this._isOpen()) return Promise.resolve(undefined);
    return this._request({ op: 'auth', token });
  }

  // ---------------------------------------------------------------- messaging (extension, issue 18)

  /**
   * Sends a request to the handler of a message path (registered for the path or its nearest
   * ancestor, on any replica) and resolves with its response. Rejects with a PushgateError whose
   * `reason` says why there is none: NO_HANDLER, HANDLER_GONE, TIMEOUT, REJECTED (the handler's
   * message), BUSY; or whose `code` says the request was refused (PERMISSION_DENIED without
   * SEND_TO_MESSAGE_HANDLER, TOO_LARGE, RATE_LIMITED, INVALID).
   * @param {string} path
   * @param {any} request any JSON value
   * @param {{timeoutMs?: number}} [options] at most the gateway's gateway.messaging.max-timeout (default: the client's request timeout, else 10 s)
   * @returns {Promise<any>} the response
   */
  sendRequest(path, request, options = {}) {
    const timeout = this._messagingTimeout(options);
    return this._request({ op: 'sendRequest', path, request, timeout }, { timeoutMs: timeout + 5000 })
      .then((reply) => reply.response);
  }

  /**
   * Sends a request to one session by its id, on a path it has a request stream for (needs
   * SEND_TO_SESSION on the path). Resolves with `{sessionId, response}`.
   * @param {string} sessionId
   * @param {string} path
   * @param {any} request
   * @param {{timeoutMs?: number}} [options]
   * @returns {Promise<{sessionId: string, response: any}>}
   */
  sendToSession(sessionId, path, request, options = {}) {
    const timeout = this._messagingTimeout(options);
    return this._request({ op: 'sendToSession', sessionId, path, request, timeout }, { timeoutMs: timeout + 5000 })
      .then((reply) => ({ sessionId: reply.sessionId, response: reply.response }));
  }

  /**
   * Sends a request to every session a session filter selects, on every replica (needs
   * SEND_TO_SESSION on the path and VIEW_SESSION). Resolves, once every session has answered or
   * failed, with `{count, responses: [{sessionId, response} | {sessionId, error: PushgateError}]}`;
   * `onResponse` gets each as it comes.
   * @param {string} filter e.g. `room is 'lobby'`
   * @param {string} path
   * @param {any} request
   * @param {{timeoutMs?: number, onResponse?: (answer: {sessionId: string, response?: any, error?: PushgateError}) => void}} [options]
   * @returns {Promise<{count: number, responses: {sessionId: string, response?: any, error?: PushgateError}[]}>}
   */
  sendToFilter(filter, path, request, options = {}) {
    const timeout = this._messagingTimeout(options);
    const responses = [];
    let requestId;
    const collect = (message) => {
      const answer = message.error
        ? { sessionId: message.sessionId, error: new PushgateError(message.error.code ?? 'UNKNOWN', message.error.message ?? 'failed', { reply: message.error }) }
        : { sessionId: message.sessionId, response: message.response };
      responses.push(answer);
      if (options.onResponse) {
        try {
          options.onResponse(answer);
        } catch (error) {
          this._reportError(error);
        }
      }
    };
    const onId = (id) => {
      if (requestId !== undefined) this._filterAnswers.delete(requestId);
      requestId = id;
      this._filterAnswers.set(id, collect);
    };
    return this._request({ op: 'sendToFilter', filter, path, request, timeout }, { timeoutMs: timeout + 5000, onId }).then(
      (reply) => {
        this._filterAnswers.delete(requestId);
        return { count: reply.count, responses };
      },
      (error) => {
        this._filterAnswers.delete(requestId);
        throw error;
      },
    );
  }

  /**
   * Handles the requests sent to a message path and its descendants (needs REGISTER_HANDLER).
   * The handler gets `{path, registration, value, sessionId, principal}` and returns the response
   * (or a promise of it); throwing (or a rejected promise) rejects the request with its message.
   * Registered again after every reconnection. Resolves once every replica can reach it.
   * @param {string} path
   * @param {(request: {path: string, registration: string, value: any, sessionId?: string, principal: string}) => any} handler
   */
  addRequestHandler(path, handler) {
    if (typeof handler !== 'function') throw new TypeError('addRequestHandler: the handler must be a function');
    this._requestHandlers.set(path, handler);
    return this._request({ op: 'addRequestHandler', path }).catch((error) => {
      if (this._requestHandlers.get(path) === handler) this._requestHandlers.delete(path);
      throw error;
    });
  }

  /** @param {string} path */
  removeRequestHandler(path) {
    this._requestHandlers.delete(path);
    return this._request({ op: 'removeRequestHandler', path });
  }

  /**
   * Lets other sessions send requests to this one (`sendToSession`) on the path and its
   * descendants. Resolves with this session's id (a reconnection makes a new session, with a new
   * id; the stream is set again on it and `onSessionId` is told).
   * @param {string} path
   * @param {(request: {path: string, registration: string, value: any, sessionId?: string, principal: string}) => any} handler
   * @param {{onSessionId?: (sessionId: string) => void}} [options]
   * @returns {Promise<string>}
   */
  addRequestStream(path, handler, options = {}) {
    if (typeof handler !== 'function') throw new TypeError('addRequestStream: the handler must be a function');
    this._requestStreams.set(path, { handler, onSessionId: options.onSessionId });
    return this._request({ op: 'addRequestStream', path }).then((reply) => reply.sessionId);
  }

  /** @param {string} path */
  removeRequestStream(path) {
    this._requestStreams.delete(path);
    return this._request({ op: 'removeRequestStream', path });
  }

  _messagingTimeout(options) {
    if (options.timeoutMs !== undefined) return options.timeoutMs;
    return this._requestTimeoutMs > 0 ? this._requestTimeoutMs : 10000;
  }

  _onMessagingRequest(message) {
    const toHandler = typeof message.handler === 'string';
    const registration = toHandler ? message.handler : message.stream;
    const entry = toHandler ? this._requestHandlers.get(registration) : this._requestStreams.get(registration)?.handler;
    const request = { path: message.path, registration, value: message.request, sessionId: message.sessionId, principal: message.principal };
    Promise.resolve()
      .then(() => {
        if (!entry) throw new Error(`no handler for ${registration}`);
        return entry(request);
      })
      .then(
        (response) => this._request({ op: 'respond', rid: message.rid, response: response === undefined ? null : response }),
        (error) => this._request({ op: 'reject', rid: message.rid, message: String(error?.message ?? error) }),
      )
      .catch((error) => this._reportError(error));
  }

  _registerHandlersAgain() {
    for (const path of this._requestHandlers.keys()) {
      this._request({ op: 'addRequestHandler', path }).catch((error) => this._reportError(error));
    }
    for (const [path, stream] of this._requestStreams) {
      this._request({ op: 'addRequestStream', path }).then(
        (reply) => stream.onSessionId?.(reply.sessionId),
        (error) => this._reportError(error),
      );
    }
  }

  /** @returns {Stats} a copy of the counters */
  stats() {
    return { ...this._stats, messagesByType: { ...this._stats.messagesByType }, bytesByType: { ...this._stats.bytesByType } };
  }

  /** Sets every counter back to zero. */
  resetStats() {
    this._stats = newStats();
  }

  /**
   * Connects again now: after a close (4100 and a new token, say), or to skip the wait
   * while reconnecting. Subscriptions are sent again.
   */
  reconnect() {
    if (this._conn) return; // open, or an attempt under way
    this._closedByUser = false;
    this._clearReconnectTimer();
    this._attempt = 0;
    this._openSocket();
  }

  /**
   * Closes the connection for good (no reconnection). Requests not answered reject with UNAVAILABLE.
   * @param {number} [code=1000]
   * @param {string} [reason]
   */
  close(code = 1000, reason = 'client closed') {
    if (this._state === 'closed' && !this._conn) return;
    this._closedByUser = true;
    this._clearReconnectTimer();
    const conn = this._conn;
    if (conn) {
      this._detach(conn);
      try {
        conn.ws.close(code, reason);
      } catch {
        // already closing
      }
      this._connectionEnded(conn, code, reason);
    }
    this._setClosed(code, reason);
  }

  // ---------------------------------------------------------------- connection

  _isOpen() {
    return this._state === 'open' && this._conn !== null && this._conn.opened;
  }

  _openSocket() {
    const conn = { ws: null, opened: false, openedAt: 0, pingTimer: null, quiet: false, pinged: false };
    this._conn = conn;
    if (this._state === 'closed') this._setState('connecting', {});
    const provider = this._options.tokenProvider;
    if (!provider) {
      this._createSocket(conn, this._token);
      return;
    }
    Promise.resolve()
      .then(() => provider())
      .then(
        (token) => {
          if (this._conn !== conn) return;
          if (token) this._token = token;
          this._createSocket(conn, token || this._token);
        },
        (error) => {
          if (this._conn !== conn) return;
          this._reportError(error);
          this._conn = null;
          this._afterClose(1006, 'the token provider failed');
        },
      );
  }

  _createSocket(conn, token) {
    const url = new URL(this._baseUrl);
    url.searchParams.set('delta', this.delta);
    if (this._batch) {
      url.searchParams.set('batch', 'lines');
      if (this._options.batchDelayMs !== undefined) url.searchParams.set('batch-delay', String(this._options.batchDelayMs));
    }
    if (token) url.searchParams.set('access_token', token);
    if (this._options.properties && Object.keys(this._options.properties).length > 0) {
      url.searchParams.set('properties', JSON.stringify(this._options.properties));
    }
    let ws;
    try {
      ws = new this._WebSocket(url.toString());
    } catch (error) {
      this._reportError(error);
      this._conn = null;
      this._afterClose(1006, String(error?.message ?? error));
      return;
    }
    conn.ws = ws;
    ws.onopen = () => {
      if (this._conn === conn) this._onOpen(conn);
    };
    ws.onmessage = (event) => {
      if (this._conn === conn) this._onFrame(conn, event.data);
    };
    ws.onerror = () => {
      // a close event follows
    };
    ws.onclose = (event) => {
      if (this._conn !== conn) return;
      this._detach(conn);
      this._connectionEnded(conn, event?.code ?? 1006, event?.reason ?? '');
      this._afterClose(event?.code ?? 1006, event?.reason ?? '');
    };
  }

  _detach(conn) {
    if (conn.ws) {
      conn.ws.onopen = null;
      conn.ws.onmessage = null;
      conn.ws.onerror = null;
      conn.ws.onclose = null;
    }
    if (conn.pingTimer !== null) this._clock.clearTimeout(conn.pingTimer);
    conn.pingTimer = null;
    if (this._conn === conn) this._conn = null;
  }

  _onOpen(conn) {
    conn.opened = true;
    conn.openedAt = this._clock.now();
    this._stats.connections++;
    this._setState('open', {});
    for (const record of this._selectors.values()) this._sendSubscribe(record);
    // Requests queued while closed go out below; what was registered on an earlier connection is sent again.
    if (this._openedBefore) this._registerHandlersAgain();
    this._openedBefore = true;
    if (this._topics.size) {
      // The gateway answers in order: once this pong is in, every `subscription` the subscribes
      // above bring has arrived, and a topic held from before that did not come back is gone.
      this._request({ op: 'ping' }).then(() => {
        if (this._conn === conn) this._forgetNotResubscribed(conn);
      }, () => {});
    }
    const queued = this._queue;
    this._queue = [];
    for (const entry of queued) this._send(entry);
    this._schedulePing(conn);
  }

  _schedulePing(conn) {
    if (!this._pingIntervalMs) return;
    conn.quiet = true;
    conn.pingTimer = this._clock.setTimeout(() => {
      conn.pingTimer = null;
      if (this._conn !== conn) return;
      if (conn.quiet && conn.pinged) {
        // Nothing received for a whole interval, not even the pong: the connection is dead.
        this._detach(conn);
        try {
          conn.ws.close(1000, 'no pong from the gateway');
        } catch {
          // ignore
        }
        this._connectionEnded(conn, 1006, 'no pong from the gateway');
        this._afterClose(1006, 'no pong from the gateway');
        return;
      }
      conn.pinged = true;
      this._request({ op: 'ping' }).catch(() => {});
      this._schedulePing(conn);
    }, this._pingIntervalMs);
  }

  /** Cleans up after a connection ended, whatever the cause. */
  _connectionEnded(conn, code, reason) {
    const error = () => new PushgateError('UNAVAILABLE', `disconnected (${code}${reason ? `: ${reason}` : ''})`, { closeCode: code });
    const inflight = [...this._inflight.values()];
    this._inflight.clear();
    for (const entry of inflight) {
      if (entry.timer) this._clock.clearTimeout(entry.timer);
      entry.reject(Object.assign(error(), { op: entry.message.op }));
    }
    this._tids.clear();
    for (const st of [...this._topics.values()]) {
      if (!this._anySelectorMatches(st.path)) {
        this._forget(st);
        continue;
      }
      st.subscribed = false;
      st.tid = undefined;
      st.hasValue = false;
      st.resync = null;
      st.expectResubscribe = false;
    }
    if (conn.opened && this._reconnect && this._clock.now() - conn.openedAt >= this._reconnect.stableMs) this._attempt = 0;
  }

  /** Reconnects, or closes for good, after a connection ended or failed to start. */
  _afterClose(code, reason) {
    if (this._closedByUser) return;
    const shouldReconnect = this._reconnect && (this._reconnect.shouldReconnect ?? isReconnectCode)(code);
    if (!shouldReconnect) {
      this._setClosed(code, reason);
      return;
    }
    const { initialMs, maxMs } = this._reconnect;
    let delayMs;
    if (code === 4000 && this._attempt === 0) {
      delayMs = Math.round(this._random() * initialMs); // "at once": another replica takes over; spread the herd
    } else {
      const base = Math.min(maxMs, initialMs * 2 ** Math.min(this._attempt, 30));
      delayMs = Math.round(base / 2 + (this._random() * base) / 2);
    }
    this._attempt++;
    this._setState('reconnecting', { code, reason, attempt: this._attempt, delayMs });
    this._reconnectTimer = this._clock.setTimeout(() => {
      this._reconnectTimer = null;
      if (!this._closedByUser) this._openSocket();
    }, delayMs);
  }

  _clearReconnectTimer() {
    if (this._reconnectTimer !== null) this._clock.clearTimeout(this._reconnectTimer);
    this._reconnectTimer = null;
  }

  _setClosed(code, reason) {
    const error = new PushgateError('UNAVAILABLE', `the client is closed (${code}${reason ? `: ${reason}` : ''})`, { closeCode: code });
    const queued = this._queue;
    this._queue = [];
    for (const entry of queued) {
      if (entry.timer) this._clock.clearTimeout(entry.timer);
      entry.reject(Object.assign(new PushgateError(error.code, error.message, { closeCode: code }), { op: entry.message.op }));
    }
    for (const record of this._selectors.values()) {
      if (!record.confirmed) record.settle.reject(new PushgateError(error.code, error.message, { op: 'subscribe', closeCode: code }));
    }
    this._setState('closed', { code, reason });
  }

  _setState(state, info) {
    if (this._state === state && state !== 'reconnecting') return;
    this._state = state;
    this._emitState(state, info);
  }

  _emitState(state, info) {
    const handler = this._options.onState;
    if (!handler) return;
    try {
      handler(state, info);
    } catch (error) {
      this._reportError(error);
    }
  }

  // ---------------------------------------------------------------- requests

  /**
   * Sends a request now, or when connected. Resolves with the reply carrying its id.
   * @param {any} message
   * @param {{raw?: boolean}} [options] raw: resolve with {message, frame}
   */
  _request(message, options = {}) {
    return new Promise((resolve, reject) => {
      if (this._state === 'closed') {
        reject(new PushgateError('UNAVAILABLE', 'the client is closed', { op: message.op }));
        return;
      }
      const entry = { message, resolve, reject, raw: !!options.raw, timer: null, id: 0, onId: options.onId };
      const timeoutMs = options.timeoutMs ?? this._requestTimeoutMs;
      if (timeoutMs > 0) {
        entry.timer = this._clock.setTimeout(() => {
          if (this._inflight.get(entry.id) === entry) this._inflight.delete(entry.id);
          const at = this._queue.indexOf(entry);
          if (at >= 0) this._queue.splice(at, 1);
          reject(new PushgateError('TIMEOUT', `no reply to ${message.op} within ${timeoutMs} ms`, { op: message.op }));
        }, timeoutMs);
      }
      if (this._isOpen()) this._send(entry);
      else this._queue.push(entry);
    });
  }

  _send(entry) {
    entry.id = this._nextId++;
    this._inflight.set(entry.id, entry);
    entry.onId?.(entry.id);
    const frame = JSON.stringify({ ...entry.message, id: entry.id });
    this._stats.framesSent++;
    this._stats.bytesSent += utf8Length(frame);
    try {
      this._conn.ws.send(frame);
    } catch (error) {
      this._inflight.delete(entry.id);
      entry.reject(new PushgateError('UNAVAILABLE', `cannot send: ${error?.message ?? error}`, { op: entry.message.op }));
    }
  }

  // ---------------------------------------------------------------- messages

  _onFrame(conn, data) {
    conn.quiet = false;
    this._stats.framesReceived++;
    if (typeof data !== 'string') {
      const bytes = data?.byteLength ?? data?.size ?? 0;
      this._stats.bytesReceived += bytes;
      this._count('(binary)', bytes);
      return;
    }
    const bytes = utf8Length(data);
    this._stats.bytesReceived += bytes;
    // With ?batch=lines a frame may hold several messages, one per line (JSON has no raw newline).
    if (data.indexOf('\n') < 0) {
      this._onMessage(conn, data, bytes);
    } else {
      for (const line of data.split('\n')) this._onMessage(conn, line, utf8Length(line));
    }
  }

  _onMessage(conn, data, bytes) {
    let message;
    try {
      message = JSON.parse(data);
    } catch {
      this._count('(invalid)', bytes);
      this._reportError(new PushgateError('INVALID', 'the gateway sent a frame that is not JSON'));
      return;
    }
    if (message === null || typeof message !== 'object' || typeof message.type !== 'string') {
      this._count('(invalid)', bytes);
      return;
    }
    this._count(message.type, bytes);
    if (message.id !== undefined && message.id !== null && this._onReply(message, data)) return;
    switch (message.type) {
      case 'subscription':
        this._onSubscription(conn, message);
        break;
      case 'value':
        this._withTopic(message, (st) => this._onValue(st, message));
        break;
      case 'delta':
        this._withTopic(message, (st) => this._onDelta(st, message));
        break;
      case 'event':
        this._withTopic(message, (st) => this._onEvent(st, message.event));
        break;
      case 'gap':
        this._withTopic(message, (st) => this._onGap(st, message));
        break;
      case 'unsubscribed':
        this._withTopic(message, (st) => this._onUnsubscribed(st, message.reason ?? 'UNKNOWN'));
        break;
      case 'error':
        this._reportError(new PushgateError(message.code ?? 'UNKNOWN', message.message ?? 'error', { reply: message }));
        break;
      case 'request':
        this._onMessagingRequest(message);
        break;
      case 'filterResponse':
        this._filterAnswers.get(message.for)?.(message);
        break;
      default:
        break; // extensions this client does not know
    }
  }

  _count(type, bytes) {
    const byType = this._stats.messagesByType;
    byType[type] = (byType[type] ?? 0) + 1;
    const bytesByType = this._stats.bytesByType;
    bytesByType[type] = (bytesByType[type] ?? 0) + bytes;
  }

  /** Settles the request a reply answers; false when no request has its id. */
  _onReply(message, frame) {
    const entry = this._inflight.get(message.id);
    if (!entry) return false;
    this._inflight.delete(message.id);
    if (entry.timer) this._clock.clearTimeout(entry.timer);
    if (message.type === 'error') {
      entry.reject(new PushgateError(message.code ?? 'UNKNOWN', message.message ?? `${entry.message.op} failed`, {
        op: entry.message.op, reply: message,
      }));
    } else {
      entry.resolve(entry.raw ? { message, frame } : message);
    }
    return true;
  }

  /** Runs fn with the topic a message is about (by tid, else by its `topic`). */
  _withTopic(message, fn) {
    const st = this._tids.get(message.tid) ?? (typeof message.topic === 'string' ? this._topics.get(message.topic) : undefined);
    if (st && st.subscribed) fn(st);
  }

  _onSubscription(conn, message) {
    const path = message.topic;
    if (typeof path !== 'string') return;
    const spec = typeof message.spec === 'string' ? { type: message.spec } : (message.spec ?? { type: 'JSON' });
    let st = this._topics.get(path);
    const isNew = !st;
    if (st && st.connection === conn && st.tid !== message.tid) {
      // The same path with another tid on this connection: removed and added again.
      this._forget(st);
      st = undefined;
    }
    if (!st) {
      st = {
        path, tid: undefined, spec, type: spec.type, isTimeSeries: false, subscribed: false, connection: null,
        hasValue: false, value: undefined, text: undefined, seq: 0, lastDeliveredSeq: 0, lastDelivered: undefined,
        lastEventSeq: 0, recentEvents: [], recentLimit: 1, resync: null, expectResubscribe: false, subsCache: null,
      };
      this._topics.set(path, st);
    }
    if (st.tid !== undefined) this._tids.delete(st.tid);
    st.tid = message.tid;
    st.spec = spec;
    st.type = spec.type;
    st.isTimeSeries = spec.type === 'TIME_SERIES';
    st.recentLimit = subscriptionRange(spec);
    st.subscribed = true;
    st.connection = conn;
    st.hasValue = false;
    st.seq = 0;
    st.resync = null;
    st.expectResubscribe = false;
    this._tids.set(message.tid, st);
    if (isNew) for (const sub of this._subsFor(st)) this._call(sub, 'onSubscribed', path, spec);
  }

  /**
   * After a reconnection: topics held from before that the gateway did not subscribe again were
   * removed meanwhile (or may no longer be read). The subscriptions are told, as for a removal.
   */
  _forgetNotResubscribed(conn) {
    for (const st of [...this._topics.values()]) {
      if (st.connection === conn || st.subscribed) continue;
      const subs = this._subsFor(st);
      this._forget(st);
      for (const sub of subs) this._call(sub, 'onUnsubscribed', st.path, 'REMOVED');
    }
  }

  _onValue(st, message) {
    if (st.resync) {
      holdForResync(st, message);
      return;
    }
    const seq = message.seq;
    if (st.hasValue && seq <= st.seq) {
      this._stats.staleMessages++;
      return;
    }
    let value;
    let text;
    if (typeof message.text === 'string' && isTextual(st.type)) {
      text = message.text;
      try {
        value = st.type === 'JSON' ? JSON.parse(text) : text;
      } catch {
        this._resync(st, `the text of seq ${seq} is not JSON`);
        return;
      }
    } else {
      value = message.value;
      if (this.delta === 'fossil' && isTextual(st.type)) text = st.type === 'JSON' ? JSON.stringify(value) : value;
    }
    this._hold(st, value, text, seq);
    this._deliverValue(st);
  }

  _onDelta(st, message) {
    if (st.resync) {
      holdForResync(st, message);
      return;
    }
    const seq = message.seq;
    if (st.hasValue && seq <= st.seq) {
      this._stats.staleMessages++;
      return;
    }
    if (!st.hasValue || seq !== st.seq + 1) {
      const held = st.hasValue ? `seq ${st.seq}` : 'no value';
      this._resync(st, `a delta for seq ${seq} does not follow the value held (${held})`);
      holdForResync(st, message);
      return;
    }
    let value;
    let text;
    try {
      if (this.delta === 'json-patch' && Array.isArray(message.patch)) {
        value = applyPatch(st.value, message.patch);
      } else if (this.delta === 'fossil' && typeof message.delta === 'string' && typeof st.text === 'string') {
        text = applyTextDelta(st.text, message.delta);
        value = st.type === 'JSON' ? JSON.parse(text) : text;
      } else {
        throw new Error(`a delta this connection (${this.delta}) cannot apply`);
      }
    } catch (error) {
      this._resync(st, `the delta for seq ${seq} does not apply: ${error.message}`);
      holdForResync(st, message);
      return;
    }
    this._hold(st, value, text, seq);
    this._deliverValue(st);
  }

  _hold(st, value, text, seq) {
    st.value = value;
    st.text = text;
    st.seq = seq;
    st.hasValue = true;
  }

  /** Hands the held value to the subscriptions, unless they already had this very value (after a reconnect). */
  _deliverValue(st) {
    if (st.seq === st.lastDeliveredSeq && jsonEqual(st.value, st.lastDelivered)) return;
    if (st.seq < st.lastDeliveredSeq && st.connection === st.deliveredOn) return;
    st.lastDeliveredSeq = st.seq;
    st.lastDelivered = st.value;
    st.deliveredOn = st.connection;
    for (const sub of this._subsFor(st)) this._call(sub, 'onValue', st.path, st.value, st.seq);
  }

  /** Fetches a topic again: the messages for it meanwhile are held, then applied on top. */
  _resync(st, reason) {
    this._stats.resyncs++;
    const token = { buffer: [], reason };
    st.resync = token;
    st.hasValue = false;
    const fossil = this.delta === 'fossil' && isTextual(st.type);
    this._request({ op: 'fetch', selector: `>${st.path}`, withValues: true }, { raw: fossil }).then(
      (reply) => {
        if (st.resync !== token) return;
        st.resync = null;
        const message = fossil ? reply.message : reply;
        const results = Array.isArray(message.results) ? message.results : [];
        const index = results.findIndex((r) => r && r.topic === st.path);
        const result = results[index];
        if (result && result.value !== undefined) {
          let text;
          if (fossil) text = st.type === 'STRING' ? result.value : exactText(reply.frame, index, result.value);
          this._hold(st, result.value, text, result.seq);
          this._deliverValue(st);
        }
        const held = token.buffer;
        while (held.length && st.subscribed && !st.resync) {
          const next = held.shift();
          if (next.type === 'value') this._onValue(st, next);
          else this._onDelta(st, next);
        }
        // A held delta did not apply and started another fetch: what followed it waits for that one.
        if (st.resync) for (const next of held) holdForResync(st, next);
      },
      (error) => {
        if (st.resync !== token) return;
        st.resync = null;
        if (error.code !== 'UNAVAILABLE') this._reportError(error);
      },
    );
  }

  /** @param {TopicState} st @param {TimeSeriesEvent} event */
  _onEvent(st, event) {
    if (!event || typeof event.seq !== 'number') return;
    if (event.seq <= st.lastEventSeq) {
      this._stats.duplicateEvents++;
      return;
    }
    if (st.lastEventSeq > 0 && event.seq > st.lastEventSeq + 1) {
      // Missed without a `gap` message (events are contiguous): say so.
      const from = st.lastEventSeq + 1;
      for (const sub of this._subsFor(st)) this._call(sub, 'onGap', st.path, from, event.seq - 1, 'MISSED');
    }
    st.lastEventSeq = event.seq;
    st.recentEvents.push(event);
    if (st.recentEvents.length > st.recentLimit) st.recentEvents.splice(0, st.recentEvents.length - st.recentLimit);
    for (const sub of this._subsFor(st)) this._deliverEventTo(sub, st, event);
  }

  _deliverEventTo(sub, st, event) {
    if (sub.handlers.onEvent) this._call(sub, 'onEvent', st.path, event);
    else this._call(sub, 'onValue', st.path, event.value, event.seq);
  }

  _onGap(st, message) {
    const from = Number(message.from);
    const to = Number(message.to);
    for (const sub of this._subsFor(st)) this._call(sub, 'onGap', st.path, from, to, message.reason ?? 'NOT_RETAINED');
    if (to > st.lastEventSeq) st.lastEventSeq = to;
  }

  _onUnsubscribed(st, reason) {
    if (st.tid !== undefined) this._tids.delete(st.tid);
    st.tid = undefined;
    st.subscribed = false;
    st.resync = null;
    st.hasValue = false;
    if (reason === 'REQUESTED') {
      // Our own unsubscribe. Topics another subscription still wants come back (subscribed again).
      const wanted = this._subsFor(st).length > 0;
      if (st.expectResubscribe || wanted) {
        if (!st.expectResubscribe) {
          for (const record of this._selectors.values()) {
            if (!record.matcher.matches(st.path)) continue;
            this._request({ op: 'subscribe', selector: record.expression, since: positionsOf([st]) })
              .catch((e) => this._reportSubscriptionError(record, e));
          }
        }
        st.expectResubscribe = false;
        return;
      }
      this._forget(st);
      return;
    }
    const subs = this._subsFor(st);
    this._forget(st);
    for (const sub of subs) this._call(sub, 'onUnsubscribed', st.path, reason);
  }

  _forget(st) {
    if (st.tid !== undefined && this._tids.get(st.tid) === st) this._tids.delete(st.tid);
    if (this._topics.get(st.path) === st) this._topics.delete(st.path);
    st.subscribed = false;
    st.resync = null;
  }

  /** The live subscriptions whose selector matches a topic (cached per topic). */
  _subsFor(st) {
    if (st.subsCache && st.subsCache.version === this._subsVersion) return st.subsCache.list;
    const list = [];
    for (const record of this._selectors.values()) {
      if (!record.matcher.matches(st.path)) continue;
      for (const sub of record.subs) if (!sub.closed) list.push(sub);
    }
    st.subsCache = { version: this._subsVersion, list };
    return list;
  }

  _anySelectorMatches(path) {
    for (const record of this._selectors.values()) if (record.matcher.matches(path)) return true;
    return false;
  }

  _call(sub, name, ...args) {
    const handler = sub.handlers[name];
    if (typeof handler !== 'function' || sub.closed) return;
    try {
      handler.apply(sub.handlers, args);
    } catch (error) {
      this._reportError(error);
    }
  }

  _reportError(error) {
    const handler = this._options.onError;
    if (handler) {
      try {
        handler(error);
      } catch {
        // nothing more to do
      }
    } else if (typeof console !== 'undefined') {
      console.error('pushgate:', error);
    }
  }
}

function newStats() {
  return {
    framesReceived: 0, bytesReceived: 0, messagesByType: {}, bytesByType: {}, framesSent: 0, bytesSent: 0,
    connections: 0, resyncs: 0, duplicateEvents: 0, staleMessages: 0,
  };
}

/** Whether Fossil deltas (and `text` values) apply to a topic type. */
function isTextual(type) {
  return type === 'JSON' || type === 'STRING';
}

/** The exact text of results[index].value in a fetch reply frame (see rawjson.js). */
function exactText(frame, index, value) {
  try {
    const text = fetchValueTexts(frame)[index];
    if (typeof text === 'string') return text;
  } catch {
    // fall back below
  }
  return JSON.stringify(value);
}

function holdForResync(st, message) {
  if (!st.resync) return;
  if (st.resync.buffer.length >= MAX_RESYNC_BUFFER) st.resync.buffer.shift();
  st.resync.buffer.push(message);
}

/** `since` for time series states: path to the last seq delivered. */
function positionsOf(states) {
  const since = {};
  for (const st of states) if (st.isTimeSeries) since[st.path] = st.lastEventSeq;
  return Object.keys(since).length ? since : undefined;
}

/** How many recent events a time series topic gives a new subscriber (TIME_SERIES_SUBSCRIPTION_RANGE "limit N", default 1). */
function subscriptionRange(spec) {
  const range = spec?.properties?.TIME_SERIES_SUBSCRIPTION_RANGE;
  const match = typeof range === 'string' ? /limit\s+(\d+)/i.exec(range) : null;
  return match ? Math.min(MAX_RECENT_EVENTS, Number(match[1])) : 1;
}

/** The WebSocket URL for a ws:, wss:, http: or https: URL, or a path relative to the page. */
function websocketUrl(url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    const base = globalThis.location?.href;
    if (!base) throw new TypeError(`connect: '${url}' is not an absolute URL`);
    parsed = new URL(url, base);
  }
  if (parsed.protocol === 'http:') parsed.protocol = 'ws:';
  else if (parsed.protocol === 'https:') parsed.protocol = 'wss:';
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') throw new TypeError(`connect: '${url}' is not a WebSocket URL`);
  return parsed.toString();
}
