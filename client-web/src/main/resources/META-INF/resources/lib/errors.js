// Errors: the one error class the library rejects with, and how errors that belong to no
// request reach the application (onError, else the console).

/** An `error` reply, or a request that failed locally (UNAVAILABLE, TIMEOUT). */
export class PushgateError extends Error {
  /**
   * @param {string} code the contract's error code (INVALID, NOT_FOUND, ...), or UNAVAILABLE / TIMEOUT
   * @param {string} message
   * @param {{op?: string, reply?: any, closeCode?: number}} [details]
   */
  constructor(code, message, details = {}) {
    super(message);
    this.name = 'PushgateError';
    /** @type {string} */
    this.code = code;
    /** @type {string|undefined} the op of the failed request */
    this.op = details.op;
    /** @type {any} the `error` message, when the gateway sent one */
    this.reply = details.reply;
    /** @type {number|undefined} the close code, when the connection ended */
    this.closeCode = details.closeCode;
    /** @type {string|undefined} messaging: why a request got no response (NO_HANDLER, HANDLER_GONE, TIMEOUT, REJECTED, ...) */
    this.reason = details.reply?.reason;
  }
}

/**
 * The function that reports errors not tied to a request: `error` messages without an id,
 * failed resyncs, exceptions thrown by handlers. A throwing onError is ignored: there is
 * nowhere left to report to.
 * @param {((error: Error) => void)|undefined} onError
 * @returns {(error: Error) => void}
 */
export function errorReporter(onError) {
  return (error) => {
    if (onError) {
      try {
        onError(error);
      } catch {
        // nothing more to do
      }
    } else if (typeof console !== 'undefined') {
      console.error('pushgate:', error);
    }
  };
}

/**
 * Calls one handler of a subscription, unless it is closed; what the handler throws is
 * reported, so that one application bug does not stop delivery to the other subscriptions.
 * @param {(error: Error) => void} reportError
 * @returns {(sub: {handlers: Record<string, any>, closed: boolean}, name: string, ...args: any[]) => void}
 */
export function handlerCaller(reportError) {
  return (sub, name, ...args) => {
    const handler = sub.handlers[name];
    if (typeof handler !== 'function' || sub.closed) return;
    try {
      handler.apply(sub.handlers, args);
    } catch (error) {
      reportError(error);
    }
  };
}
