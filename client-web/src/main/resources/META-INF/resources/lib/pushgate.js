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
//
// This module is the entry point and the client's public face; the work is done by its parts
// (client-web/README.md lists them): connection.js (socket, state, pings, reconnection),
// requests.js (ids, replies, queue, timeouts), messages.js (frames to the parts),
// subscriptions.js (selectors, and routing by the selectors the gateway names), topics.js (the
// topics held), values.js (values, deltas, resync), timeseries.js (events, gaps, recovery),
// credentials.js, messaging.js, sessions.js, presence.js, stats.js, errors.js, protocol.js
// (the contract's names).

import { Connection } from './connection.js';
import { Credentials } from './credentials.js';
import { errorReporter, handlerCaller, PushgateError } from './errors.js';
import { MessageRouter } from './messages.js';
import { Messaging } from './messaging.js';
import { presenceTopic } from './presence.js';
import { Op } from './protocol.js';
import { Requests } from './requests.js';
import { sessionRequests } from './sessions.js';
import { Counters } from './stats.js';
import { Subscription, Subscriptions } from './subscriptions.js';
import { TimeSeries } from './timeseries.js';
import { Topics } from './topics.js';
import { TopicValues } from './values.js';

export { PushgateError } from './errors.js';
export { PRESENCE_PREFIX, presenceTopic } from './presence.js';
export { isReconnectCode } from './reconnection.js';
export { Subscription } from './subscriptions.js';
export { utf8Length } from './utf8.js';

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

/**
 * Connects to a gateway. The client connects at once, reconnects by itself, and queues the
 * requests and subscriptions made while it is not connected.
 * @param {ConnectOptions} options
 * @returns {PushgateClient}
 */
export function connect(options) {
  return new PushgateClient(options);
}

/** A client of one gateway. Create it with {@link connect}. */
export class PushgateClient {
  /** @param {ConnectOptions} options */
  constructor(options) {
    if (!options || typeof options.url !== 'string') throw new TypeError('connect: options.url is required');
    const delta = options.delta ?? 'json-patch';
    if (!['json-patch', 'fossil', 'none'].includes(delta)) throw new TypeError(`connect: unknown delta format '${delta}'`);
    /** @type {DeltaMode} */
    this.delta = delta;
    const reportError = errorReporter(options.onError);
    const call = handlerCaller(reportError);
    const counters = new Counters();
    this._counters = counters;
    const credentials = new Credentials(options.token, options.tokenProvider);
    this._credentials = credentials;
    let openedBefore = false;
    const connection = new Connection(options, delta, {
      credentials,
      counters,
      reportError,
      ping: () => this._requests.request({ op: Op.PING }),
      onOpen: (conn) => {
        subscriptions.subscribeAll();
        // Requests queued while closed go out below; what was registered on an earlier connection is sent again.
        if (openedBefore) messaging.registerAgain();
        openedBefore = true;
        if (topics.byPath.size) {
          // The gateway answers in order: once this pong is in, every `subscription` the subscribes
          // above bring has arrived, and a topic held from before that did not come back is gone.
          requests.request({ op: Op.PING }).then(() => {
            if (connection.isCurrent(conn)) topics.forgetNotResubscribed(conn);
          }, () => {});
        }
        requests.sendQueued();
      },
      onFrame: (conn, data) => router.onFrame(conn, data),
      onEnded: (conn, code, reason) => {
        requests.failInflight(code, reason);
        topics.connectionEnded();
      },
      onClosed: (code, reason) => {
        requests.failQueued(code, reason);
        subscriptions.rejectUnconfirmed(code, reason);
      },
    });
    this._connection = connection;
    const requests = new Requests({
      clock: connection.clock,
      counters,
      timeoutMs: options.requestTimeoutMs ?? 0,
      isOpen: () => connection.isOpen(),
      isClosed: () => connection.state === 'closed',
      sendFrame: (frame) => connection.send(frame),
    });
    this._requests = requests;
    const subscriptions = new Subscriptions({ requests, isOpen: () => connection.isOpen(), call, reportError });
    this._subscriptions = subscriptions;
    const subsFor = (st) => subscriptions.subsFor(st);
    const topics = new Topics({ subsFor, anySelectorMatches: (st) => subscriptions.anySelectorMatches(st), call });
    const timeSeries = new TimeSeries({ counters, subsFor, call });
    subscriptions.topics = topics;
    subscriptions.timeSeries = timeSeries;
    const values = new TopicValues({ delta, counters, requests, subsFor, call, reportError });
    const messaging = new Messaging({ requests, requestTimeoutMs: options.requestTimeoutMs ?? 0, reportError });
    this._messaging = messaging;
    const router = new MessageRouter({ counters, requests, topics, values, timeSeries, subscriptions, messaging, reportError });
    connection.start();
  }

  /** @returns {ConnectionState} */
  get state() {
    return this._connection.state;
  }

  // ---------------------------------------------------------------- subscriptions

  /**
   * Subscribes to the topics a selector matches, now and later.
   * @param {string} selector
   * @param {SubscriptionHandlers} [handlers]
   * @returns {Subscription}
   */
  subscribe(selector, handlers = {}) {
    return this._subscriptions.subscribe(selector, handlers);
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
    const message = { op: Op.FETCH, selector };
    if (options.withValues !== undefined) message.withValues = options.withValues;
    return this._requests.request(message);
  }

  /**
   * Adds a topic.
   * @param {string} topic
   * @param {TopicSpec|string} spec
   * @returns {Promise<{type: 'ok', id: number, result: 'CREATED'|'EXISTS'}>}
   */
  add(topic, spec) {
    return this._requests.request({ op: Op.ADD, topic, spec });
  }

  /**
   * Sets a topic's value (add-and-set with `spec`; only if the topic is at `ifSeq` with it).
   * @param {string} topic
   * @param {any} value
   * @param {{spec?: TopicSpec|string, ifSeq?: number}} [options]
   * @returns {Promise<{type: 'ok', id: number, seq: number}>}
   */
  set(topic, value, options = {}) {
    const message = { op: Op.SET, topic, value };
    if (options.spec !== undefined) message.spec = options.spec;
    if (options.ifSeq !== undefined) message.ifSeq = options.ifSeq;
    return this._requests.request(message);
  }

  /**
   * Appends an event to a time series topic.
   * @param {string} topic
   * @param {any} value
   * @returns {Promise<{type: 'ok', id: number, seq: number}>}
   */
  append(topic, value) {
    return this._requests.request({ op: Op.APPEND, topic, value });
  }

  /**
   * Edits a time series event: appends an event that replaces the one at `seq`.
   * @param {string} topic
   * @param {number} seq the seq of the original event
   * @param {any} value
   * @returns {Promise<{type: 'ok', id: number, seq: number}>}
   */
  edit(topic, seq, value) {
    return this._requests.request({ op: Op.EDIT, topic, seq, value });
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
    const message = { op: Op.RANGE, topic };
    for (const key of ['fromLast', 'from', 'fromTime', 'to', 'limit', 'view']) {
      if (query[key] !== undefined) message[key] = query[key] instanceof Date ? query[key].toISOString() : query[key];
    }
    return this._requests.request(message);
  }

  /**
   * Removes the topics a selector matches.
   * @param {string} selector
   * @returns {Promise<{type: 'ok', id: number, removed: number}>}
   */
  remove(selector) {
    return this._requests.request({ op: Op.REMOVE, selector });
  }

  // ---- session control (extension; VIEW_SESSION, MODIFY_SESSION). A target is {sessionId} or {filter}.

  /**
   * Every session of every replica that the session filter selects (all without one). Needs VIEW_SESSION.
   * @param {string} [filter] a session filter: `$Principal is 'bob'`, `$Roles has 'MODERATOR'`, ...
   * @returns {Promise<{type: 'sessions', id: number, sessions: {sessionId: string, replica: string, properties: Record<string, string>, subscriptions: number}[]}>}
   */
  listSessions(filter) {
    return this._requests.request(sessionRequests.list(filter));
  }

  /**
   * Closes sessions with close code 4101 (their clients do not reconnect at once). Needs MODIFY_SESSION.
   * @param {{sessionId?: string, filter?: string}} target
   * @param {string} [reason]
   * @returns {Promise<{type: 'ok', id: number, sessions: number}>}
   */
  closeSessions(target, reason) {
    return this._requests.request(sessionRequests.close(target, reason));
  }

  /**
   * Sets user properties of sessions (a value of null removes one). Needs MODIFY_SESSION.
   * @param {{sessionId?: string, filter?: string}} target
   * @param {Record<string, string|null>} properties
   * @returns {Promise<{type: 'ok', id: number, sessions: number}>}
   */
  setSessionProperties(target, properties) {
    return this._requests.request(sessionRequests.setProperties(target, properties));
  }

  /**
   * Subscribes sessions to a selector (each receives what its own rights let it read). Needs MODIFY_SESSION.
   * @param {{sessionId?: string, filter?: string}} target
   * @param {string} selector
   * @returns {Promise<{type: 'ok', id: number, sessions: number}>}
   */
  subscribeSessions(target, selector) {
    return this._requests.request(sessionRequests.subscribe(target, selector));
  }

  /**
   * Unsubscribes sessions from a selector. Needs MODIFY_SESSION.
   * @param {{sessionId?: string, filter?: string}} target
   * @param {string} selector
   * @returns {Promise<{type: 'ok', id: number, sessions: number}>}
   */
  unsubscribeSessions(target, selector) {
    return this._requests.request(sessionRequests.unsubscribe(target, selector));
  }

  /** @returns {Promise<{type: 'pong', id: number}>} */
  ping() {
    return this._requests.request({ op: Op.PING });
  }

  /**
   * Replaces the credentials: sends `{"op":"auth","token"}` if connected, and uses the token
   * for every later connection. Resolves with the gateway's reply (at once when not connected).
   * @param {string} token
   * @returns {Promise<any>}
   */
  auth(token) {
    this._credentials.token = token;
    if (!this._connection.isOpen()) return Promise.resolve(undefined);
    return this._requests.request({ op: Op.AUTH, token });
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
    return this._messaging.sendRequest(path, request, options);
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
    return this._messaging.sendToSession(sessionId, path, request, options);
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
    return this._messaging.sendToFilter(filter, path, request, options);
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
    return this._messaging.addRequestHandler(path, handler);
  }

  /** @param {string} path */
  removeRequestHandler(path) {
    return this._messaging.removeRequestHandler(path);
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
    return this._messaging.addRequestStream(path, handler, options);
  }

  /** @param {string} path */
  removeRequestStream(path) {
    return this._messaging.removeRequestStream(path);
  }

  // ---------------------------------------------------------------- counters and connection

  /** @returns {Stats} a copy of the counters */
  stats() {
    return this._counters.snapshot();
  }

  /** Sets every counter back to zero. */
  resetStats() {
    this._counters.reset();
  }

  /**
   * Connects again now: after a close (4100 and a new token, say), or to skip the wait
   * while reconnecting. Subscriptions are sent again.
   */
  reconnect() {
    this._connection.reconnect();
  }

  /**
   * Closes the connection for good (no reconnection). Requests not answered reject with UNAVAILABLE.
   * @param {number} [code=1000]
   * @param {string} [reason]
   */
  close(code = 1000, reason = 'client closed') {
    this._connection.close(code, reason);
  }
}
