// Time series topics: events delivered once each, in seq order, gaps reported, and the
// positions (`since`) that recover the events missed while not subscribed.

import { UnsubscribedReason } from './protocol.js';

/** Time series events kept per topic for subscriptions that join later, at most. */
const MAX_RECENT_EVENTS = 100;

export class TimeSeries {
  /**
   * @param {object} deps
   * @param {import('./stats.js').Counters} deps.counters
   * @param {(st: import('./topics.js').TopicState) => import('./subscriptions.js').Subscription[]} deps.subsFor
   * @param {(sub: any, name: string, ...args: any[]) => void} deps.call
   */
  constructor({ counters, subsFor, call }) {
    this._counters = counters;
    this._subsFor = subsFor;
    this._call = call;
  }

  /** @param {import('./topics.js').TopicState} st @param {import('./pushgate.js').TimeSeriesEvent} event */
  onEvent(st, event) {
    if (!event || typeof event.seq !== 'number') return;
    if (event.seq <= st.lastEventSeq) {
      this._counters.duplicateEvents++;
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
    for (const sub of this._subsFor(st)) this.deliverTo(sub, st, event);
  }

  /** An event to one subscription: to onEvent, else as a value to onValue. */
  deliverTo(sub, st, event) {
    if (sub.handlers.onEvent) this._call(sub, 'onEvent', st.path, event);
    else this._call(sub, 'onValue', st.path, event.value, event.seq);
  }

  /** A `gap` message: events from..to are no longer retained. */
  onGap(st, message) {
    const from = Number(message.from);
    const to = Number(message.to);
    for (const sub of this._subsFor(st)) this._call(sub, 'onGap', st.path, from, to, message.reason ?? UnsubscribedReason.NOT_RETAINED);
    if (to > st.lastEventSeq) st.lastEventSeq = to;
  }
}

/**
 * `since` for time series states: path to the last seq delivered (undefined when none is a time series).
 * @param {Iterable<import('./topics.js').TopicState>} states
 */
export function positionsOf(states) {
  const since = {};
  for (const st of states) if (st.isTimeSeries) since[st.path] = st.lastEventSeq;
  return Object.keys(since).length ? since : undefined;
}

/**
 * How many recent events a time series topic gives a new subscriber (TIME_SERIES_SUBSCRIPTION_RANGE
 * "limit N", default 1): the client keeps as many for subscriptions that join later.
 * @param {import('./pushgate.js').TopicSpec} spec
 */
export function subscriptionRange(spec) {
  const range = spec?.properties?.TIME_SERIES_SUBSCRIPTION_RANGE;
  const match = typeof range === 'string' ? /limit\s+(\d+)/i.exec(range) : null;
  return match ? Math.min(MAX_RECENT_EVENTS, Number(match[1])) : 1;
}
