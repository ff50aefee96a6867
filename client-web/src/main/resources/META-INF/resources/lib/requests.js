// Requests and their replies: ids, the requests in flight, the queue of those made while not
// connected, timeouts, and what becomes of them when a connection ends or the client closes.
//
// Guarantees: every request settles exactly once, with the reply carrying its id, or with a
// PushgateError: TIMEOUT (no reply in time), UNAVAILABLE (the connection ended before the
// reply, the frame could not be sent, or the client is closed). Queued requests go out in the
// order they were made, before any made after the connection opened.

import { PushgateError } from './errors.js';
import { MessageType } from './protocol.js';
import { utf8Length } from './utf8.js';

/**
 * @typedef {object} RequestOptions
 * @property {boolean} [raw] resolve with {message, frame}: the reply and its frame's text
 * @property {number} [timeoutMs] overrides the client's request timeout
 * @property {(id: number) => void} [onId] told the id when the request is sent (messages that
 *   answer it without settling it, as `filterResponse` does, refer to it)
 * @property {(reply: any) => void} [onReply] given a successful reply as soon as it is read, before
 *   the messages that follow it in the stream (the promise's callbacks run only later)
 */

export class Requests {
  /**
   * @param {object} deps
   * @param {import('./pushgate.js').Clock} deps.clock
   * @param {import('./stats.js').Counters} deps.counters
   * @param {number} deps.timeoutMs the default timeout, 0 for none
   * @param {() => boolean} deps.isOpen whether a request can be sent now
   * @param {() => boolean} deps.isClosed whether the client is closed for good
   * @param {(frame: string) => void} deps.sendFrame sends a text frame (throws when it cannot)
   */
  constructor({ clock, counters, timeoutMs, isOpen, isClosed, sendFrame }) {
    this._clock = clock;
    this._counters = counters;
    this._timeoutMs = timeoutMs;
    this._isOpen = isOpen;
    this._isClosed = isClosed;
    this._sendFrame = sendFrame;
    this._nextId = 1;
    /** @type {Map<number, any>} requests sent, by id */
    this._inflight = new Map();
    /** @type {any[]} requests made while not connected */
    this._queue = [];
  }

  /**
   * Sends a request now, or when connected. Resolves with the reply carrying its id.
   * @param {any} message
   * @param {RequestOptions} [options]
   */
  request(message, options = {}) {
    return new Promise((resolve, reject) => {
      if (this._isClosed()) {
        reject(new PushgateError('UNAVAILABLE', 'the client is closed', { op: message.op }));
        return;
      }
      const entry = { message, resolve, reject, raw: !!options.raw, timer: null, id: 0, onId: options.onId, onReply: options.onReply };
      const timeoutMs = options.timeoutMs ?? this._timeoutMs;
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

  /** Sends the requests queued while not connected (the connection has just opened). */
  sendQueued() {
    const queued = this._queue;
    this._queue = [];
    for (const entry of queued) this._send(entry);
  }

  _send(entry) {
    entry.id = this._nextId++;
    this._inflight.set(entry.id, entry);
    entry.onId?.(entry.id);
    const frame = JSON.stringify({ ...entry.message, id: entry.id });
    this._counters.framesSent++;
    this._counters.bytesSent += utf8Length(frame);
    try {
      this._sendFrame(frame);
    } catch (error) {
      this._inflight.delete(entry.id);
      entry.reject(new PushgateError('UNAVAILABLE', `cannot send: ${error?.message ?? error}`, { op: entry.message.op }));
    }
  }

  /**
   * Settles the request a reply answers (an `error` rejects it); false when no request has its id.
   * @param {any} message the reply
   * @param {string} frame its text
   */
  settle(message, frame) {
    const entry = this._inflight.get(message.id);
    if (!entry) return false;
    this._inflight.delete(message.id);
    if (entry.timer) this._clock.clearTimeout(entry.timer);
    if (message.type === MessageType.ERROR) {
      entry.reject(new PushgateError(message.code ?? 'UNKNOWN', message.message ?? `${entry.message.op} failed`, {
        op: entry.message.op, reply: message,
      }));
    } else {
      entry.onReply?.(message);
      entry.resolve(entry.raw ? { message, frame } : message);
    }
    return true;
  }

  /** The connection ended: the requests sent on it will get no reply (UNAVAILABLE). */
  failInflight(code, reason) {
    const inflight = [...this._inflight.values()];
    this._inflight.clear();
    for (const entry of inflight) {
      if (entry.timer) this._clock.clearTimeout(entry.timer);
      const error = new PushgateError('UNAVAILABLE', `disconnected (${code}${reason ? `: ${reason}` : ''})`, { closeCode: code });
      entry.reject(Object.assign(error, { op: entry.message.op }));
    }
  }

  /** The client closed for good: the queued requests will never be sent (UNAVAILABLE). */
  failQueued(code, reason) {
    const message = `the client is closed (${code}${reason ? `: ${reason}` : ''})`;
    const queued = this._queue;
    this._queue = [];
    for (const entry of queued) {
      if (entry.timer) this._clock.clearTimeout(entry.timer);
      entry.reject(Object.assign(new PushgateError('UNAVAILABLE', message, { closeCode: code }), { op: entry.message.op }));
    }
  }
}
