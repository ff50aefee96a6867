// The values of topics: `value` and `delta` messages turned into whole values for the
// application. A delta (JSON Patch or Fossil) applies to the value held for the seq just
// before; one that does not follow, or does not apply, makes the client fetch the topic again
// (a resync) rather than hand over a wrong value, holding the messages that arrive meanwhile
// and applying them on top. Seqs only increase: a value or delta not above the held seq is dropped.

import { applyTextDelta } from './fossil.js';
import { applyPatch, jsonEqual } from './jsonpatch.js';
import { MessageType, Op } from './protocol.js';
import { fetchValueTexts } from './rawjson.js';

/** Messages held for a topic while it is being fetched again, at most. */
const MAX_RESYNC_BUFFER = 1000;

export class TopicValues {
  /**
   * @param {object} deps
   * @param {import('./pushgate.js').DeltaMode} deps.delta
   * @param {import('./stats.js').Counters} deps.counters
   * @param {import('./requests.js').Requests} deps.requests
   * @param {(st: import('./topics.js').TopicState) => import('./subscriptions.js').Subscription[]} deps.subsFor
   * @param {(sub: any, name: string, ...args: any[]) => void} deps.call
   * @param {(error: Error) => void} deps.reportError
   */
  constructor({ delta, counters, requests, subsFor, call, reportError }) {
    this._delta = delta;
    this._counters = counters;
    this._requests = requests;
    this._subsFor = subsFor;
    this._call = call;
    this._reportError = reportError;
  }

  /** @param {import('./topics.js').TopicState} st @param {any} message a `value` message */
  onValue(st, message) {
    if (!this._admits(st, message)) return;
    const seq = message.seq;
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
      if (this._delta === 'fossil' && isTextual(st.type)) text = st.type === 'JSON' ? JSON.stringify(value) : value;
    }
    hold(st, value, text, seq);
    this._deliver(st);
  }

  /** @param {import('./topics.js').TopicState} st @param {any} message a `delta` message */
  onDelta(st, message) {
    if (!this._admits(st, message)) return;
    const seq = message.seq;
    if (!st.hasValue || seq !== st.seq + 1) {
      const held = st.hasValue ? `seq ${st.seq}` : 'no value';
      this._resync(st, `a delta for seq ${seq} does not follow the value held (${held})`);
      holdForResync(st, message);
      return;
    }
    let value;
    let text;
    try {
      if (this._delta === 'json-patch' && Array.isArray(message.patch)) {
        value = applyPatch(st.value, message.patch);
      } else if (this._delta === 'fossil' && typeof message.delta === 'string' && typeof st.text === 'string') {
        text = applyTextDelta(st.text, message.delta);
        value = st.type === 'JSON' ? JSON.parse(text) : text;
      } else {
        throw new Error(`a delta this connection (${this._delta}) cannot apply`);
      }
    } catch (error) {
      this._resync(st, `the delta for seq ${seq} does not apply: ${error.message}`);
      holdForResync(st, message);
      return;
    }
    hold(st, value, text, seq);
    this._deliver(st);
  }

  /**
   * Whether a value or delta applies now: not while the topic is fetched again (it is held, to
   * apply on top), and not at or below the seq held (dropped as stale).
   */
  _admits(st, message) {
    if (st.resync) {
      holdForResync(st, message);
      return false;
    }
    if (st.hasValue && message.seq <= st.seq) {
      this._counters.staleMessages++;
      return false;
    }
    return true;
  }

  /** Hands the held value to the subscriptions, unless they already had this very value (after a reconnect). */
  _deliver(st) {
    if (st.seq === st.lastDeliveredSeq && jsonEqual(st.value, st.lastDelivered)) return;
    if (st.seq < st.lastDeliveredSeq && st.connection === st.deliveredOn) return;
    st.lastDeliveredSeq = st.seq;
    st.lastDelivered = st.value;
    st.deliveredOn = st.connection;
    for (const sub of this._subsFor(st)) this._call(sub, 'onValue', st.path, st.value, st.seq);
  }

  /** Fetches a topic again: the messages for it meanwhile are held, then applied on top. */
  _resync(st, reason) {
    this._counters.resyncs++;
    const token = { buffer: [], reason };
    st.resync = token;
    st.hasValue = false;
    const fossil = this._delta === 'fossil' && isTextual(st.type);
    this._requests.request({ op: Op.FETCH, selector: `>${st.path}`, withValues: true }, { raw: fossil }).then(
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
          hold(st, result.value, text, result.seq);
          this._deliver(st);
        }
        const held = token.buffer;
        while (held.length && st.subscribed && !st.resync) {
          const next = held.shift();
          if (next.type === MessageType.VALUE) this.onValue(st, next);
          else this.onDelta(st, next);
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
}

function hold(st, value, text, seq) {
  st.value = value;
  st.text = text;
  st.seq = seq;
  st.hasValue = true;
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
