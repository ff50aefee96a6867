// Test doubles for the Pushgate client: a fake WebSocket (the browser interface, driven by the
// test as if it were the gateway), a fake clock, and a small Fossil delta encoder.
//
// The fake gateway names the selectors that matched, as the real one does (docs/protocol.md,
// "Which selectors a subscription matched"): a `subscription` the test pushes without `selectors` gets the
// selectors this connection subscribed (and did not unsubscribe, nor have refused) that match
// the topic, and an `ok` to `subscribe` without `tids` gets the tids of the topics already
// subscribed on this connection that the selector matches. It matches with support/selector.js.

import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { checksum, encodeInt } from '../../src/main/resources/META-INF/resources/lib/fossil.js';
import { connect } from '../../src/main/resources/META-INF/resources/lib/pushgate.js';
import { parseSelector } from './selector.js';

const here = dirname(fileURLToPath(import.meta.url));

/** The library's directory. */
export const LIB = join(here, '..', '..', 'src', 'main', 'resources', 'META-INF', 'resources', 'lib');

/** The Fossil fixtures of the protocol module (made with the reference npm `fossil-delta`). */
export const FOSSIL_FIXTURES_DIR = join(here, '..', '..', '..', 'protocol', 'src', 'test', 'resources', 'fossil');

/** The contract's test vectors, in the protocol module (the Java tests run them too). */
export const VECTORS_DIR = join(here, '..', '..', '..', 'protocol', 'src', 'main', 'resources', 'io', 'pushgate', 'protocol', 'vectors');

/** The protocol module's message names (MessageType, Op, UnsubscribedReason), which lib/protocol.js mirrors. */
export const PROTOCOL_MESSAGE_SOURCES = join(here, '..', '..', '..', 'protocol', 'src', 'main', 'java', 'io', 'pushgate', 'protocol', 'message');

/** One vector file (messages, errors, close-codes, deltas, selectors), parsed. */
export function vectors(name) {
  return JSON.parse(readFileSync(join(VECTORS_DIR, `${name}.json`), 'utf8'));
}

/** The `public static final String NAME = "value";` constants of a Java class of the protocol module. */
export function javaStringConstants(className) {
  const source = readFileSync(join(PROTOCOL_MESSAGE_SOURCES, `${className}.java`), 'utf8');
  return Object.fromEntries([...source.matchAll(/public static final String (\w+) = "([^"]*)";/g)].map((m) => [m[1], m[2]]));
}

/** @returns {{name: string, note: string, source: string, target: string, ascii: boolean, delta: Uint8Array, deltaIsUtf8: boolean, applied: Uint8Array}[]} */
export function fossilFixtures() {
  return readdirSync(FOSSIL_FIXTURES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const json = JSON.parse(readFileSync(join(FOSSIL_FIXTURES_DIR, f), 'utf8'));
      return {
        ...json,
        delta: new Uint8Array(Buffer.from(json.delta, 'base64')),
        applied: new Uint8Array(Buffer.from(json.applied, 'base64')),
      };
    });
}

/** Lets promise callbacks and microtasks run. */
export function flush() {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A clock whose time moves only when the test says so. */
export class FakeClock {
  constructor() {
    this.time = 0;
    this.timers = new Map();
    this.nextHandle = 1;
    this.setTimeout = (fn, ms) => {
      const handle = this.nextHandle++;
      this.timers.set(handle, { at: this.time + Math.max(0, ms), fn, ms });
      return handle;
    };
    this.clearTimeout = (handle) => {
      this.timers.delete(handle);
    };
    this.now = () => this.time;
  }

  /** The delays of the timers still pending, in the order they were set. */
  pendingDelays() {
    return [...this.timers.values()].map((t) => t.ms);
  }

  /** Moves time on, running every timer that falls due, in order. */
  async advance(ms) {
    const end = this.time + ms;
    for (;;) {
      let next = null;
      for (const [handle, timer] of this.timers) {
        if (timer.at <= end && (next === null || timer.at < next[1].at)) next = [handle, timer];
      }
      if (!next) break;
      this.timers.delete(next[0]);
      this.time = next[1].at;
      next[1].fn();
      await flush();
    }
    this.time = end;
    await flush();
  }
}

/**
 * A class with the browser WebSocket interface. Each test gets its own (instances are kept per
 * class). The test plays the gateway: open(), send(message), close(code), and reads `requests`.
 */
export function fakeWebSocketClass() {
  class FakeWebSocket {
    static CONNECTING = 0;
    static OPEN = 1;
    static CLOSING = 2;
    static CLOSED = 3;
    /** @type {FakeWebSocket[]} */
    static instances = [];

    constructor(url) {
      this.url = url;
      this.readyState = FakeWebSocket.CONNECTING;
      /** @type {string[]} frames the client sent */
      this.sent = [];
      this.answered = new Set();
      /** ids of the `subscribe` requests refused with an `error` */
      this.refused = new Set();
      /** the topics subscribed on this connection (pushed `subscription`s, less `unsubscribed`s): path to tid */
      this.subscribedTopics = new Map();
      this.closedByClient = null;
      this.onopen = null;
      this.onmessage = null;
      this.onclose = null;
      this.onerror = null;
      FakeWebSocket.instances.push(this);
    }

    static get last() {
      return FakeWebSocket.instances[FakeWebSocket.instances.length - 1];
    }

    // ---- the browser side

    send(data) {
      if (this.readyState !== FakeWebSocket.OPEN) throw new Error('InvalidStateError: the socket is not open');
      if (typeof data !== 'string') throw new Error('the client must send text frames');
      this.sent.push(data);
    }

    close(code, reason) {
      if (this.readyState === FakeWebSocket.CLOSED) return;
      this.readyState = FakeWebSocket.CLOSED;
      this.closedByClient = { code, reason };
      queueMicrotask(() => this.onclose?.({ code: code ?? 1005, reason: reason ?? '', wasClean: true }));
    }

    // ---- the gateway side

    get params() {
      return new URL(this.url).searchParams;
    }

    /** The requests the client sent, parsed. */
    get requests() {
      return this.sent.map((f) => JSON.parse(f));
    }

    /** Requests with an op, in order. */
    requestsOf(op) {
      return this.requests.filter((r) => r.op === op);
    }

    /** The first request with this op (and matching fields) not answered yet. */
    pending(op, match = {}) {
      return this.requests.find((r) => r.op === op && !this.answered.has(r.id)
        && Object.entries(match).every(([k, v]) => JSON.stringify(r[k]) === JSON.stringify(v)));
    }

    open() {
      this.readyState = FakeWebSocket.OPEN;
      this.onopen?.({ type: 'open' });
    }

    /** The selectors this connection is subscribed to at the gateway, in the order subscribed. */
    subscribedSelectors() {
      const selectors = new Set();
      for (const r of this.requests) {
        if (r.op === 'subscribe' && !this.refused.has(r.id)) selectors.add(r.selector);
        else if (r.op === 'unsubscribe') selectors.delete(r.selector);
      }
      return [...selectors];
    }

    /** Sends a message (an object, or a raw frame string) to the client. */
    push(message) {
      if (typeof message !== 'string') message = this.asGatewaySends(message);
      this.onmessage?.({ data: typeof message === 'string' ? message : JSON.stringify(message) });
    }

    /** A message as the gateway sends it: `subscription` with its `selectors`; tracks what is subscribed. */
    asGatewaySends(message) {
      if (message?.type === 'subscription' && typeof message.topic === 'string') {
        this.subscribedTopics.set(message.topic, message.tid);
        if (!('selectors' in message)) {
          return { ...message, selectors: this.subscribedSelectors().filter((s) => parseSelector(s).matches(message.topic)) };
        }
      } else if (message?.type === 'unsubscribed') {
        for (const [path, tid] of this.subscribedTopics) {
          if (tid === message.tid || path === message.topic) this.subscribedTopics.delete(path);
        }
      }
      return message;
    }

    /** Answers the first unanswered request with this op: {type, id, ...fields}. */
    answer(op, fields = {}, type = 'ok', match = {}) {
      const request = this.pending(op, match);
      if (!request) throw new Error(`no unanswered '${op}' request; sent: ${this.sent.join(' ')}`);
      this.answered.add(request.id);
      if (op === 'subscribe' && type === 'error') this.refused.add(request.id);
      if (op === 'subscribe' && type === 'ok' && !('tids' in fields)) {
        const selector = parseSelector(request.selector);
        const tids = [...this.subscribedTopics].filter(([path]) => selector.matches(path)).map(([, tid]) => tid);
        fields = { ...fields, tids };
      }
      this.push({ type, id: request.id, ...fields });
      return request;
    }

    /** Answers every unanswered ping. */
    answerPings() {
      let request;
      while ((request = this.pending('ping'))) {
        this.answered.add(request.id);
        this.push({ type: 'pong', id: request.id });
      }
    }

    /** The gateway closes the connection (1006 is what a browser reports for a dropped one). */
    drop(code = 1006, reason = '') {
      this.readyState = FakeWebSocket.CLOSED;
      this.onclose?.({ code, reason, wasClean: code !== 1006 });
    }
  }
  return FakeWebSocket;
}

/**
 * A client connected to a fake gateway, with its clock, states and errors recorded.
 * @param {object} [options] connect() options to add or override
 */
export function setup(options = {}) {
  const WS = fakeWebSocketClass();
  const clock = new FakeClock();
  const states = [];
  const errors = [];
  const client = connect({
    url: 'ws://gateway.test/v1/ws',
    WebSocketImpl: WS,
    clock,
    random: () => 0.5,
    pingIntervalMs: 0,
    reconnect: { initialMs: 100, maxMs: 1000 },
    onState: (state, info) => states.push({ state, ...info }),
    onError: (error) => errors.push(error),
    ...options,
  });
  return { client, WS, clock, states, errors, ws: () => WS.last };
}

/** A client whose first connection is open. */
export async function connected(options = {}) {
  const env = setup(options);
  await flush();
  env.ws().open();
  await flush();
  return env;
}

/** Records what a subscription's handlers receive, in order. */
export function recorder() {
  const calls = [];
  const handlers = {
    onValue: (topic, value, seq) => calls.push(['value', topic, value, seq]),
    onEvent: (topic, event) => calls.push(['event', topic, event.seq, event.value]),
    onUnsubscribed: (topic, reason) => calls.push(['unsubscribed', topic, reason]),
    onGap: (topic, from, to, reason) => calls.push(['gap', topic, from, to, reason]),
    onSubscribed: (topic, spec) => calls.push(['subscribed', topic, spec.type]),
    onError: (error) => calls.push(['error', error.code]),
  };
  return { calls, handlers, of: (kind) => calls.filter((c) => c[0] === kind) };
}

/** A time series event. */
export function event(seq, value, extra = {}) {
  return { seq, time: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(), author: 'alice', value, ...extra };
}

const utf8 = new TextEncoder();

/**
 * A valid Fossil delta from source to target (texts), made simply: copy the common prefix,
 * insert the middle, copy the common suffix. Never cuts a UTF-16 surrogate pair, so the delta
 * is valid text, as the gateway's are.
 */
export function simpleFossilDelta(source, target) {
  let p = 0;
  while (p < source.length && p < target.length && source[p] === target[p]) p++;
  if (p > 0 && isHighSurrogate(target.charCodeAt(p - 1))) p--;
  let s = 0;
  while (s < source.length - p && s < target.length - p
    && source[source.length - 1 - s] === target[target.length - 1 - s]) s++;
  if (s > 0 && isLowSurrogate(target.charCodeAt(target.length - s))) s--;
  const sourceBytes = utf8.encode(source);
  const targetBytes = utf8.encode(target);
  const prefixBytes = utf8.encode(target.substring(0, p)).length;
  const suffixBytes = utf8.encode(target.substring(target.length - s)).length;
  const middle = target.substring(p, target.length - s);
  let delta = `${encodeInt(targetBytes.length)}\n`;
  if (prefixBytes) delta += `${encodeInt(prefixBytes)}@0,`;
  if (middle) delta += `${encodeInt(utf8.encode(middle).length)}:${middle}`;
  if (suffixBytes) delta += `${encodeInt(suffixBytes)}@${encodeInt(sourceBytes.length - suffixBytes)},`;
  return `${delta}${encodeInt(checksum(targetBytes))};`;
}

function isHighSurrogate(c) {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLowSurrogate(c) {
  return c >= 0xdc00 && c <= 0xdfff;
}
