// The topics the client holds: one state per path, found by path or by the connection's tid;
// created by `subscription` messages (which say which of the connection's selectors match the
// topic), reset when a connection ends, forgotten when the gateway unsubscribes them or no
// selector wants them any more.

import { UnsubscribedReason } from './protocol.js';
import { selectorKey } from './subscriptions.js';
import { subscriptionRange } from './timeseries.js';

/**
 * What the client holds for a topic.
 * @typedef {object} TopicState
 * @property {string} path
 * @property {number|undefined} tid on the current connection
 * @property {import('./pushgate.js').TopicSpec} spec
 * @property {string} type
 * @property {boolean} isTimeSeries
 * @property {Set<string>} selectors the connection's selectors that match it, as the gateway said (their selectorKey)
 * @property {boolean} subscribed subscribed on the current connection
 * @property {object|null} connection the connection that sent its `subscription`
 * @property {object|null} [deliveredOn] the connection of the last value delivered
 * @property {boolean} hasValue whether value/text/seq hold a value deltas apply to
 * @property {any} value
 * @property {string|undefined} text the exact text (fossil mode, JSON and STRING topics)
 * @property {number} seq the seq of the held value
 * @property {number} lastDeliveredSeq
 * @property {any} lastDelivered
 * @property {number} lastEventSeq time series: the last event delivered
 * @property {import('./pushgate.js').TimeSeriesEvent[]} recentEvents time series: the last few events
 * @property {number} recentLimit
 * @property {{buffer: any[], reason: string}|null} resync a fetch in progress, and the messages held meanwhile
 * @property {boolean} expectResubscribe an `unsubscribed REQUESTED` is expected and will be followed by a new subscription
 * @property {{version: number, list: import('./subscriptions.js').Subscription[]}|null} subsCache
 */

export class Topics {
  /**
   * @param {object} deps
   * @param {(st: TopicState) => import('./subscriptions.js').Subscription[]} deps.subsFor
   * @param {(st: TopicState) => boolean} deps.anySelectorMatches
   * @param {(sub: any, name: string, ...args: any[]) => void} deps.call
   */
  constructor({ subsFor, anySelectorMatches, call }) {
    this._subsFor = subsFor;
    this._anySelectorMatches = anySelectorMatches;
    this._call = call;
    /** @type {Map<string, TopicState>} */
    this.byPath = new Map();
    /** @type {Map<number, TopicState>} */
    this.byTid = new Map();
  }

  /** The subscribed topic a message is about (by tid, else by its `topic`), or undefined. */
  of(message) {
    const st = this.byTid.get(message.tid) ?? (typeof message.topic === 'string' ? this.byPath.get(message.topic) : undefined);
    return st && st.subscribed ? st : undefined;
  }

  /**
   * A `subscription` message: the topic is subscribed on this connection with this tid, for
   * these of the connection's selectors.
   * @returns {{st: TopicState, before: Set<string>|null}|undefined} the state, and the
   *   selectors that matched it before (null for a topic new to the client)
   */
  onSubscription(conn, message) {
    const path = message.topic;
    if (typeof path !== 'string') return undefined;
    const spec = typeof message.spec === 'string' ? { type: message.spec } : (message.spec ?? { type: 'JSON' });
    let st = this.byPath.get(path);
    const before = st ? st.selectors : null;
    if (st && st.connection === conn && st.tid !== message.tid) {
      // The same path with another tid on this connection: removed and added again.
      this.forget(st);
      st = undefined;
    }
    if (!st) {
      st = {
        path, tid: undefined, spec, type: spec.type, isTimeSeries: false, selectors: new Set(), subscribed: false, connection: null,
        hasValue: false, value: undefined, text: undefined, seq: 0, lastDeliveredSeq: 0, lastDelivered: undefined,
        lastEventSeq: 0, recentEvents: [], recentLimit: 1, resync: null, expectResubscribe: false, subsCache: null,
      };
      this.byPath.set(path, st);
    }
    if (st.tid !== undefined) this.byTid.delete(st.tid);
    st.tid = message.tid;
    st.spec = spec;
    st.type = spec.type;
    st.isTimeSeries = spec.type === 'TIME_SERIES';
    st.selectors = new Set(Array.isArray(message.selectors) ? message.selectors.map(selectorKey) : []);
    st.subsCache = null;
    st.recentLimit = subscriptionRange(spec);
    st.subscribed = true;
    st.connection = conn;
    st.hasValue = false;
    st.seq = 0;
    st.resync = null;
    st.expectResubscribe = false;
    this.byTid.set(message.tid, st);
    return { st, before };
  }

  /** Drops a topic's state. */
  forget(st) {
    if (st.tid !== undefined && this.byTid.get(st.tid) === st) this.byTid.delete(st.tid);
    if (this.byPath.get(st.path) === st) this.byPath.delete(st.path);
    st.subscribed = false;
    st.resync = null;
  }

  /**
   * After a reconnection: topics held from before that the gateway did not subscribe again were
   * removed meanwhile (or may no longer be read). The subscriptions are told, as for a removal.
   */
  forgetNotResubscribed(conn) {
    for (const st of [...this.byPath.values()]) {
      if (st.connection === conn || st.subscribed) continue;
      const subs = this._subsFor(st);
      this.forget(st);
      for (const sub of subs) this._call(sub, 'onUnsubscribed', st.path, UnsubscribedReason.REMOVED);
    }
  }

  /**
   * The connection ended: tids mean nothing any more, and no topic is subscribed. Topics a
   * selector still wants are kept (their last values and events, to deliver no duplicate
   * after the reconnection); the others are forgotten.
   */
  connectionEnded() {
    this.byTid.clear();
    for (const st of [...this.byPath.values()]) {
      if (!this._anySelectorMatches(st)) {
        this.forget(st);
        continue;
      }
      st.subscribed = false;
      st.tid = undefined;
      st.hasValue = false;
      st.resync = null;
      st.expectResubscribe = false;
    }
  }
}
