// The connection to the gateway: opening sockets (the URL and its parameters), the
// connection's state, keep-alive pings and dead-connection detection, and reconnection with
// back-off. It knows nothing of messages: it hands frames and the ends of connections to the
// client through hooks.
//
// States: 'connecting' -> 'open' -> 'reconnecting' (after a close code that asks for it) ->
// 'open' ... or 'closed' (a close code that does not, reconnect: false, or close()). One socket
// at a time; events of a socket that is no longer the current one are ignored.

import { DEFAULT_RECONNECT, isReconnectCode, reconnectDelay } from './reconnection.js';

/**
 * @typedef {object} SocketAttempt one connection attempt, and the socket it opened
 * @property {any} ws the WebSocket (null until created)
 * @property {boolean} opened
 * @property {number} openedAt
 * @property {any} pingTimer
 * @property {boolean} quiet nothing received since the last ping was scheduled
 * @property {boolean} pinged a ping went out on this connection
 *
 * @typedef {object} ConnectionHooks
 * @property {import('./credentials.js').Credentials} credentials
 * @property {import('./stats.js').Counters} counters
 * @property {(error: Error) => void} reportError
 * @property {() => Promise<any>} ping sends a `ping` request
 * @property {(conn: SocketAttempt) => void} onOpen the socket opened (the state is already 'open')
 * @property {(conn: SocketAttempt, data: any) => void} onFrame a frame arrived
 * @property {(conn: SocketAttempt, code: number, reason: string) => void} onEnded the socket is gone
 * @property {(code: number, reason: string) => void} onClosed the client is about to be 'closed' for good
 */

export class Connection {
  /**
   * @param {import('./pushgate.js').ConnectOptions} options
   * @param {import('./pushgate.js').DeltaMode} delta
   * @param {ConnectionHooks} hooks
   */
  constructor(options, delta, hooks) {
    if (options.batchDelayMs !== undefined && !(Number.isInteger(options.batchDelayMs) && options.batchDelayMs >= 0)) {
      throw new TypeError('connect: batchDelayMs must be a whole number of milliseconds');
    }
    this._options = options;
    this._delta = delta;
    this._batch = options.batch === true;
    this._WebSocket = options.WebSocketImpl ?? globalThis.WebSocket;
    if (typeof this._WebSocket !== 'function') throw new TypeError('connect: no WebSocket implementation (pass WebSocketImpl)');
    this._baseUrl = websocketUrl(options.url);
    this._reconnect = options.reconnect === false ? null : { ...DEFAULT_RECONNECT, ...(options.reconnect ?? {}) };
    this.clock = options.clock ?? {
      setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
      clearTimeout: (h) => globalThis.clearTimeout(h),
      now: () => Date.now(),
    };
    this._random = options.random ?? Math.random;
    this._pingIntervalMs = options.pingIntervalMs ?? 25000;
    this._hooks = hooks;

    /** @type {import('./pushgate.js').ConnectionState} */
    this._state = 'connecting';
    /** @type {SocketAttempt|null} */
    this._conn = null;
    this._attempt = 0;
    this._reconnectTimer = null;
    this._closedByUser = false;
  }

  /** Opens the first socket (the 'connecting' state is told once the caller has returned). */
  start() {
    queueMicrotask(() => {
      if (this._state === 'connecting' && !this._conn?.opened) this._emitState('connecting', {});
    });
    this._openSocket();
  }

  /** @returns {import('./pushgate.js').ConnectionState} */
  get state() {
    return this._state;
  }

  isOpen() {
    return this._state === 'open' && this._conn !== null && this._conn.opened;
  }

  /** Whether a socket attempt is still the current one (not ended, not replaced). */
  isCurrent(conn) {
    return this._conn === conn;
  }

  /** Sends a text frame on the current socket (throws when there is none, or it cannot send). */
  send(frame) {
    this._conn.ws.send(frame);
  }

  /** Connects again now, unless a socket is open or an attempt is under way. */
  reconnect() {
    if (this._conn) return;
    this._closedByUser = false;
    this._clearReconnectTimer();
    this._attempt = 0;
    this._openSocket();
  }

  /** Closes the connection for good (no reconnection). */
  close(code, reason) {
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
      this._ended(conn, code, reason);
    }
    this._setClosed(code, reason);
  }

  _openSocket() {
    /** @type {SocketAttempt} */
    const conn = { ws: null, opened: false, openedAt: 0, pingTimer: null, quiet: false, pinged: false };
    this._conn = conn;
    if (this._state === 'closed') this._setState('connecting', {});
    this._hooks.credentials.forConnection(
      () => this._conn === conn,
      (token) => this._createSocket(conn, token),
      (error) => {
        this._hooks.reportError(error);
        this._conn = null;
        this._afterClose(1006, 'the token provider failed');
      },
    );
  }

  _socketUrl(token) {
    const url = new URL(this._baseUrl);
    url.searchParams.set('delta', this._delta);
    if (this._batch) {
      url.searchParams.set('batch', 'lines');
      if (this._options.batchDelayMs !== undefined) url.searchParams.set('batch-delay', String(this._options.batchDelayMs));
    }
    if (token) url.searchParams.set('access_token', token);
    if (this._options.properties && Object.keys(this._options.properties).length > 0) {
      url.searchParams.set('properties', JSON.stringify(this._options.properties));
    }
    return url.toString();
  }

  _createSocket(conn, token) {
    let ws;
    try {
      ws = new this._WebSocket(this._socketUrl(token));
    } catch (error) {
      this._hooks.reportError(error);
      this._conn = null;
      this._afterClose(1006, String(error?.message ?? error));
      return;
    }
    conn.ws = ws;
    ws.onopen = () => {
      if (this._conn === conn) this._onOpen(conn);
    };
    ws.onmessage = (event) => {
      if (this._conn !== conn) return;
      conn.quiet = false;
      this._hooks.onFrame(conn, event.data);
    };
    ws.onerror = () => {
      // a close event follows
    };
    ws.onclose = (event) => {
      if (this._conn !== conn) return;
      this._detach(conn);
      this._ended(conn, event?.code ?? 1006, event?.reason ?? '');
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
    if (conn.pingTimer !== null) this.clock.clearTimeout(conn.pingTimer);
    conn.pingTimer = null;
    if (this._conn === conn) this._conn = null;
  }

  _onOpen(conn) {
    conn.opened = true;
    conn.openedAt = this.clock.now();
    this._hooks.counters.connections++;
    this._setState('open', {});
    this._hooks.onOpen(conn);
    this._schedulePing(conn);
  }

  _schedulePing(conn) {
    if (!this._pingIntervalMs) return;
    conn.quiet = true;
    conn.pingTimer = this.clock.setTimeout(() => {
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
        this._ended(conn, 1006, 'no pong from the gateway');
        this._afterClose(1006, 'no pong from the gateway');
        return;
      }
      conn.pinged = true;
      this._hooks.ping().catch(() => {});
      this._schedulePing(conn);
    }, this._pingIntervalMs);
  }

  /** After a socket ended, whatever the cause: the client cleans up; a stable connection resets the back-off. */
  _ended(conn, code, reason) {
    this._hooks.onEnded(conn, code, reason);
    if (conn.opened && this._reconnect && this.clock.now() - conn.openedAt >= this._reconnect.stableMs) this._attempt = 0;
  }

  /** Reconnects, or closes for good, after a connection ended or failed to start. */
  _afterClose(code, reason) {
    if (this._closedByUser) return;
    const shouldReconnect = this._reconnect && (this._reconnect.shouldReconnect ?? isReconnectCode)(code);
    if (!shouldReconnect) {
      this._setClosed(code, reason);
      return;
    }
    const delayMs = reconnectDelay(code, this._attempt, this._reconnect, this._random);
    this._attempt++;
    this._setState('reconnecting', { code, reason, attempt: this._attempt, delayMs });
    this._reconnectTimer = this.clock.setTimeout(() => {
      this._reconnectTimer = null;
      if (!this._closedByUser) this._openSocket();
    }, delayMs);
  }

  _clearReconnectTimer() {
    if (this._reconnectTimer !== null) this.clock.clearTimeout(this._reconnectTimer);
    this._reconnectTimer = null;
  }

  _setClosed(code, reason) {
    this._hooks.onClosed(code, reason);
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
      this._hooks.reportError(error);
    }
  }
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
