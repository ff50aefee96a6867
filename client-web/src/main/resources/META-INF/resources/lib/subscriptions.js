// Subscriptions: the selectors the client subscribes (one `subscribe` per selector, shared by
// the subscriptions that use it; `a/b` and `>a/b` are one), which subscriptions a topic goes to,
// and the unsubscribe handshake.
//
// The client matches no selector itself: the gateway says which of the connection's selectors
// match each topic (docs/protocol.md, "Which selectors a subscription matched": `selectors` in `subscription`,
// and `tids` in the `ok` to `subscribe` for topics already subscribed that the new selector
// matches too), and each topic's state keeps that set (TopicState.selectors, by selectorKey).
//
// The gateway unsubscribes every topic a selector matches, even those another selector also
// matches (Diffusion's rule); the client subscribes those other selectors again at once, with
// `since` for their time series, so that their subscriptions go on without a loss or a duplicate.

import { PushgateError } from './errors.js';
import { Op, UnsubscribedReason } from './protocol.js';
import { positionsOf } from './timeseries.js';

/**
 * The key of a selector among the connection's: `a/b` and `>a/b` are one selector (the gateway
 * lists it as first written), so they share one key and one `subscribe`. Other writings the
 * gateway takes for one selector (`?a/b`, a set in another order) stay apart: the client does
 * not parse selectors.
 * @param {string} expression
 */
export function selectorKey(expression) {
  return '>?*#'.includes(expression[0]) ? expression : `>${expression}`;
}

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
 * @property {string} expression as first written: what `subscribe` sends
 * @property {string} key its {@link selectorKey}
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
    if (typeof selector !== 'string' || selector === '') throw new TypeError('a topic selector is a non-empty string');
    const key = selectorKey(selector);
    let record = this._records.get(key);
    const isNew = !record;
    if (!record) {
      record = { expression: selector, key, subs: new Set(), settle: null, confirmed: false, ready: null };
      let settle;
      record.ready = new Promise((resolve, reject) => {
        settle = { resolve, reject };
      });
      record.ready.catch(() => {});
      record.settle = settle;
      this._records.set(key, record);
    }
    const sub = new Subscription(selector, handlers, record.ready, () => this._close(sub));
    record.subs.add(sub);
    this._version++;
    if (isNew && this._isOpen()) this._sendSubscribe(record);
    // Topics the client already holds for this selector get no new `subscription` from the
    // gateway (and after a reconnection, an unchanged value is not delivered again): replay
    // what is held. (For a new selector, the gateway names them: see _selectorMatched.)
    const held = [...this.topics.byPath.values()].filter((st) => st.selectors.has(key));
    if (held.length) {
      queueMicrotask(() => {
        for (const st of held) {
          if (this.topics.byPath.get(st.path) === st) this._replay(sub, st);
        }
      });
    }
    return sub;
  }

  /** Tells a subscription of a topic it has not heard of: onSubscribed, then what the client holds of it. */
  _replay(sub, st) {
    if (sub.closed) return;
    this._call(sub, 'onSubscribed', st.path, st.spec);
    if (st.isTimeSeries) {
      for (const event of st.recentEvents) this.timeSeries.deliverTo(sub, st, event);
    } else if (st.lastDeliveredSeq > 0) {
      this._call(sub, 'onValue', st.path, st.lastDelivered, st.lastDeliveredSeq);
    }
  }

  /**
   * A `subscription` message was applied to a topic's state. A topic new to the client is
   * announced to every subscription it goes to; a topic held already (from an earlier
   * connection, or re-added) only to those of the selectors that match it now and did not
   * before, with what is held.
   * @param {import('./topics.js').TopicState} st
   * @param {Set<string>|null} before the selectors that matched it before (null: a new topic)
   */
  onSubscription(st, before) {
    if (before === null) {
      for (const sub of this.subsFor(st)) this._call(sub, 'onSubscribed', st.path, st.spec);
      return;
    }
    for (const key of st.selectors) {
      if (before.has(key)) continue;
      const record = this._records.get(key);
      if (record) for (const sub of record.subs) this._replay(sub, st);
    }
  }

  /**
   * The `ok` to a `subscribe` names (`tids`) the topics already subscribed on this connection
   * that the selector matches too: the gateway sends no `subscription` for those.
   */
  _selectorMatched(record, tids) {
    if (!Array.isArray(tids) || this._records.get(record.key) !== record) return;
    for (const tid of tids) {
      const st = this.topics.byTid.get(tid);
      if (!st || st.selectors.has(record.key)) continue;
      st.selectors.add(record.key);
      st.subsCache = null;
      for (const sub of record.subs) this._replay(sub, st);
    }
  }

  /** Sends `subscribe` for a selector (with `since`); the `ok` may name topics it matches too. */
  _subscribeRequest(record, since) {
    const message = { op: Op.SUBSCRIBE, selector: record.expression };
    if (since) message.since = since;
    return this._requests.request(message, { onReply: (reply) => this._selectorMatched(record, reply.tids) });
  }

  /** @param {Subscription} sub */
  _close(sub) {
    const record = this._records.get(selectorKey(sub.selector));
    if (!record || !record.subs.delete(sub)) return Promise.resolve();
    this._version++;
    if (record.subs.size > 0) return Promise.resolve();
    this._records.delete(record.key);
    if (!record.confirmed) record.settle.reject(new PushgateError('UNAVAILABLE', 'the subscription was closed', { op: Op.SUBSCRIBE }));
    // The topics it matched: only other selectors (if any) match them now.
    const matched = [];
    for (const st of this.topics.byPath.values()) {
      if (!st.selectors.delete(record.key)) continue;
      st.subsCache = null;
      matched.push(st);
    }
    if (!this._isOpen()) {
      for (const st of [...this.topics.byPath.values()]) {
        if (!this.anySelectorMatches(st)) this.topics.forget(st);
      }
      return Promise.resolve();
    }
    // Unsubscribing ends the topics of this selector that other selectors match too: subscribe those again.
    const again = new Map();
    for (const st of matched) {
      if (!st.subscribed) continue;
      for (const other of this._recordsOf(st)) {
        st.expectResubscribe = true;
        if (!again.has(other)) again.set(other, []);
        again.get(other).push(st);
      }
    }
    const done = this._requests.request({ op: Op.UNSUBSCRIBE, selector: record.expression }).then(() => undefined);
    for (const [other, states] of again) {
      this._subscribeRequest(other, positionsOf(states)).catch((e) => this._reportSubscriptionError(other, e));
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
    const states = [...this.topics.byPath.values()].filter((st) => st.isTimeSeries && !st.subscribed && st.selectors.has(record.key));
    return this._subscribeRequest(record, positionsOf(states)).then(
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
      if (this._records.get(record.key) === record) this._records.delete(record.key);
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
    if (reason === UnsubscribedReason.REQUESTED) {
      // Our own unsubscribe. Topics another subscription still wants come back (subscribed again).
      const wanted = this.subsFor(st).length > 0;
      if (st.expectResubscribe || wanted) {
        if (!st.expectResubscribe) {
          for (const record of this._recordsOf(st)) {
            this._subscribeRequest(record, positionsOf([st])).catch((e) => this._reportSubscriptionError(record, e));
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
      if (!record.confirmed) record.settle.reject(new PushgateError('UNAVAILABLE', message, { op: Op.SUBSCRIBE, closeCode: code }));
    }
  }

  /** The records of the selectors that match a topic, in the order they were subscribed. */
  _recordsOf(st) {
    const records = [];
    for (const record of this._records.values()) if (st.selectors.has(record.key)) records.push(record);
    return records;
  }

  /** The live subscriptions whose selector matches a topic (cached per topic). */
  subsFor(st) {
    if (st.subsCache && st.subsCache.version === this._version) return st.subsCache.list;
    const list = [];
    for (const record of this._recordsOf(st)) {
      for (const sub of record.subs) if (!sub.closed) list.push(sub);
    }
    st.subsCache = { version: this._version, list };
    return list;
  }

  /** Whether any selector of this client matches a topic. */
  anySelectorMatches(st) {
    for (const key of st.selectors) if (this._records.has(key)) return true;
    return false;
  }
}
