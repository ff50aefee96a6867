// Request/response messaging (extension, docs/protocol.md "Messaging"): requests to message
// handlers and to sessions, and this client's own handlers and request streams, which are
// registered again on every new connection.

import { PushgateError } from './errors.js';
import { Op } from './protocol.js';

export class Messaging {
  /**
   * @param {object} deps
   * @param {import('./requests.js').Requests} deps.requests
   * @param {number} deps.requestTimeoutMs the client's request timeout (0: none)
   * @param {(error: Error) => void} deps.reportError
   */
  constructor({ requests, requestTimeoutMs, reportError }) {
    this._requests = requests;
    this._requestTimeoutMs = requestTimeoutMs;
    this._reportError = reportError;
    /** handlers by path, request streams by path */
    this._handlers = new Map();
    this._streams = new Map();
    /** per sendToFilter request id, what to do with each session's answer */
    this.filterAnswers = new Map();
  }

  sendRequest(path, request, options) {
    const timeout = this._timeout(options);
    return this._requests.request({ op: Op.SEND_REQUEST, path, request, timeout }, { timeoutMs: timeout + 5000 })
      .then((reply) => reply.response);
  }

  sendToSession(sessionId, path, request, options) {
    const timeout = this._timeout(options);
    return this._requests.request({ op: Op.SEND_TO_SESSION, sessionId, path, request, timeout }, { timeoutMs: timeout + 5000 })
      .then((reply) => ({ sessionId: reply.sessionId, response: reply.response }));
  }

  sendToFilter(filter, path, request, options) {
    const timeout = this._timeout(options);
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
      if (requestId !== undefined) this.filterAnswers.delete(requestId);
      requestId = id;
      this.filterAnswers.set(id, collect);
    };
    return this._requests.request({ op: Op.SEND_TO_FILTER, filter, path, request, timeout }, { timeoutMs: timeout + 5000, onId }).then(
      (reply) => {
        this.filterAnswers.delete(requestId);
        return { count: reply.count, responses };
      },
      (error) => {
        this.filterAnswers.delete(requestId);
        throw error;
      },
    );
  }

  /** A `filterResponse`: one session's answer to a sendToFilter. */
  onFilterResponse(message) {
    this.filterAnswers.get(message.for)?.(message);
  }

  addRequestHandler(path, handler) {
    if (typeof handler !== 'function') throw new TypeError('addRequestHandler: the handler must be a function');
    this._handlers.set(path, handler);
    return this._requests.request({ op: Op.ADD_REQUEST_HANDLER, path }).catch((error) => {
      if (this._handlers.get(path) === handler) this._handlers.delete(path);
      throw error;
    });
  }

  removeRequestHandler(path) {
    this._handlers.delete(path);
    return this._requests.request({ op: Op.REMOVE_REQUEST_HANDLER, path });
  }

  addRequestStream(path, handler, options) {
    if (typeof handler !== 'function') throw new TypeError('addRequestStream: the handler must be a function');
    this._streams.set(path, { handler, onSessionId: options.onSessionId });
    return this._requests.request({ op: Op.ADD_REQUEST_STREAM, path }).then((reply) => reply.sessionId);
  }

  removeRequestStream(path) {
    this._streams.delete(path);
    return this._requests.request({ op: Op.REMOVE_REQUEST_STREAM, path });
  }

  _timeout(options) {
    if (options.timeoutMs !== undefined) return options.timeoutMs;
    return this._requestTimeoutMs > 0 ? this._requestTimeoutMs : 10000;
  }

  /** A `request` for one of this client's handlers or streams: answered with `respond` or `reject`. */
  onRequest(message) {
    const toHandler = typeof message.handler === 'string';
    const registration = toHandler ? message.handler : message.stream;
    const entry = toHandler ? this._handlers.get(registration) : this._streams.get(registration)?.handler;
    const request = { path: message.path, registration, value: message.request, sessionId: message.sessionId, principal: message.principal };
    Promise.resolve()
      .then(() => {
        if (!entry) throw new Error(`no handler for ${registration}`);
        return entry(request);
      })
      .then(
        (response) => this._requests.request({ op: Op.RESPOND, rid: message.rid, response: response === undefined ? null : response }),
        (error) => this._requests.request({ op: Op.REJECT, rid: message.rid, message: String(error?.message ?? error) }),
      )
      .catch((error) => this._reportError(error));
  }

  /** A new connection (not the first): the handlers and streams are registered on it again. */
  registerAgain() {
    for (const path of this._handlers.keys()) {
      this._requests.request({ op: Op.ADD_REQUEST_HANDLER, path }).catch((error) => this._reportError(error));
    }
    for (const [path, stream] of this._streams) {
      this._requests.request({ op: Op.ADD_REQUEST_STREAM, path }).then(
        (reply) => stream.onSessionId?.(reply.sessionId),
        (error) => this._reportError(error),
      );
    }
  }
}
