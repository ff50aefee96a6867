// Subscriptions: the selectors the client subscribes (one `subscribe` per distinct
// expression, shared by the subscriptions that use it), which subscriptions a topic goes to,
// and the unsubscribe handshake. The gateway unsubscribes every topic a selector matches, even
// those another selector also matches (Diffusion's rule); the client subscribes those other
// selectors again at once, with `since` for their time series, so that their subscriptions go
// on without a loss or a duplicate.

import { PushgateError } from './errors.js';
import { parseSelector } from './selector.js';
import { positionsOf } from './timeseries.js';

/** One subscription to a selector: its handlers get the topics the selector matches. */
export class Subscription {
  /**
   * @param {string} selector
   * @param {import('./pushgate.js').SubscriptionHandlers} handlers
   * @param {Promise<void>} ready
   * @param {() => Promise<void>} closer
   */
  constructor(selector, handlers, ready, closer) {
    /** @type {string} the selector expression */
    this.selector = selector;
    /** @type {import('./pushgate.js').SubscriptionHandlers} */
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
 * A selector subscribed at the gateway, and the subscriptions that use it.
 * @typedef {object} SelectorRecord
 * @property {string} expression
 * @property {import('./selector.js').Selector} matcher
 * @property {Set<Subscription>} subs
 * @property {Promise<void>} ready
 * @property {{resolve: () => void, reject: (e: Error) => void}} settle
 * @property {boolean} confirmed the gateway accepted it
 */

export class Subscriptions {
  /**
   * @param {object} deps
   * @param {import('./requests.js').Requests} deps.requests
   * @param {() => boolean} deps.isOpen
   * @param {(sub: any, name: string, ...args: any[]) => void} deps.call
   * @param {(error: Error) => void} deps.reportError
   */
  constructor({ requests, isOpen, call, reportError }) {
    this._requests = requests;
    this._isOpen = isOpen;
    this._call = call;
    this._reportError = reportError;
    /** @type {Map<string, SelectorRecord>} */
    this._records = new Map();
    /** Changes whenever a subscription comes or goes (the per-topic caches of subsFor depend on it). */
    this._version = 0;
    /** @type {import('./topics.js').Topics} set by the client: topics and subscriptions refer to each other */
    this.topics = null;
    /** @type {import('./timeseries.js').TimeSeries} set by the client */
    this.timeSeries = null;
  }

  /**
   * Subscribes to the topics a selector matches, now and later.
   * @param {string} selector
   * @param {import('./pushgate.js').SubscriptionHandlers} handlers
   * @returns {Subscription}
   */
  subscribe(selector, handlers) {
    parseSelector(selector); // a TypeError for what is not a selector at all
    let record = this._records.get(selector);
    const isNew = !record;
    if (!record) {
      record = { expression: selector, matcher: parseSelector(selector), subs: new Set(), settle: null, confirmed: false, ready: null };
      let settle;
      record.ready = new Promise((resolve, reject) => {
        settle = { resolve, reject };
      });
      record.ready.catch(() => {});
      record.settle = settle;
      this._records.set(selector, record);
    }
    const sub = new Subscription(selector, handlers, record.ready, () => this._close(sub));
    record.subs.add(sub);
    this._version++;
    if (isNew && this._isOpen()) this._sendSubscribe(record);
    // Topics the client already holds get no new `subscription` from the gateway (and after a
    // reconnection, an unchanged value is not delivered again): replay what is held.
    const held = [...this.topics.byPath.values()].filter((st) => sub.matcher.matches(st.path));
    if (held.length) {
      queueMicrotask(() => {
        for (const st of held) {
          if (sub.closed || this.topics.byPath.get(st.path) !== st) continue;
          this._call(sub, 'onSubscribed', st.path, st.spec);
          if (st.isTimeSeries) {
            for (const event of st.recentEvents) this.timeSeries.deliverTo(sub, st, event);
          } else if (st.lastDeliveredSeq > 0) {
            this._call(sub, 'onValue', st.path, st.lastDelivered, st.lastDeliveredSeq);
          }
        }
      });
    }
    return sub;
  }

  /** @param {Subscription} sub */
  _close(sub) {
    const record = this._records.get(sub.selector);
    if (!record || !record.subs.delete(sub)) return Promise.resolve();
    this._version++;
    if (record.subs.size > 0) return Promise.resolve();
    this._records.delete(sub.selector);
    if (!record.confirmed) record.settle.reject(new PushgateError('UNAVAILABLE', 'the subscription was closed', { op: 'subscribe' }));
    if (!this._isOpen()) {
      for (const st of [...this.topics.byPath.values()]) {
        if (!this.anySelectorMatches(st.path)) this.topics.forget(st);
      }
      return Promise.resolve();
    }
    // Unsubscribing ends the topics of this selector that other selectors match too: subscribe those again.
    const again = new Map();
    for (const st of this.topics.byPath.values()) {
      if (!st.subscribed || !record.matcher.matches(st.path)) continue;
      for (const other of this._records.values()) {
        if (!other.matcher.matches(st.path)) continue;
        st.expectResubscribe = true;
        if (!again.has(other)) again.set(other, []);
        again.get(other).push(st);
      }
    }
    const done = this._requests.request({ op: 'unsubscribe', selector: sub.selector }).then(() => undefined);
    for (const [other, states] of again) {
      this._requests.request({ op: 'subscribe', selector: other.expression, since: positionsOf(states) })
        .catch((e) => this._reportSubscriptionError(other, e));
    }
    return done;
  }

  /** A connection opened: every selector is subscribed on it. */
  subscribeAll() {
    for (const record of this._records.values()) this._sendSubscribe(record);
  }

  /**
   * Sends `subscribe` for a selector, with `since` for the time series it matches that are not
   * subscribed on this connection (held from an earlier one).
   */
  _sendSubscribe(record) {
    const states = [...this.topics.byPath.values()].filter((st) => st.isTimeSeries && !st.subscribed && record.matcher.matches(st.path));
    const message = { op: 'subscribe', selector: record.expression };
    if (states.length) message.since = positionsOf(states);
    return this._requests.request(message).then(
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
      if (this._records.get(record.expression) === record) this._records.delete(record.expression);
      for (const sub of record.subs) sub.closed = true;
      this._version++;
      record.settle.reject(error);
    }
  }

  /** An `unsubscribed` message for a topic. */
  onUnsubscribed(st, reason) {
    const topics = this.topics;
    if (st.tid !== undefined) topics.byTid.delete(st.tid);
    st.tid = undefined;
    st.subscribed = false;
    st.resync = null;
    st.hasValue = false;
    if (reason === 'REQUESTED') {
      // Our own unsubscribe. Topics another subscription still wants come back (subscribed again).
      const wanted = this.subsFor(st).length > 0;
      if (st.expectResubscribe || wanted) {
        if (!st.expectResubscribe) {
          for (const record of this._records.values()) {
            if (!record.matcher.matches(st.path)) continue;
            this._requests.request({ op: 'subscribe', selector: record.expression, since: positionsOf([st]) })
              .catch((e) => this._reportSubscriptionError(record, e));
          }
        }
        st.expectResubscribe = false;
        return;
      }
      topics.forget(st);
      return;
    }
    const subs = this.subsFor(st);
    topics.forget(st);
    for (const sub of subs) this._call(sub, 'onUnsubscribed', st.path, reason);
  }

  /** The client closed for good: selectors the gateway never accepted will not be. */
  rejectUnconfirmed(code, reason) {
    const message = `the client is closed (${code}${reason ? `: ${reason}` : ''})`;
    for (const record of this._records.values()) {
      if (!record.confirmed) record.settle.reject(new PushgateError('UNAVAILABLE', message, { op: 'subscribe', closeCode: code }));
    }
  }

  /** The live subscriptions whose selector matches a topic (cached per topic). */
  subsFor(st) {
    if (st.subsCache && st.subsCache.version === this._version) return st.subsCache.list;
    const list = [];
    for (const record of this._records.values()) {
      if (!record.matcher.matches(st.path)) continue;
      for (const sub of record.subs) if (!sub.closed) list.push(sub);
    }
    st.subsCache = { version: this._version, list };
    return list;
  }

  anySelectorMatches(path) {
    for (const record of this._records.values()) if (record.matcher.matches(path)) return true;
    return false;
  }
}
