// The wire contract's names, as the protocol module writes them once for the Java side
// (io.pushgate.protocol.message.MessageType, Op, UnsubscribedReason; docs/protocol.md): the
// `type` of each message from the gateway, the `op` of each request, and the reasons of an
// `unsubscribed`. js-test/test/protocol-vectors.test.mjs checks that these mirror the Java
// constants and the contract's vectors.

/** The `type` of every gateway-to-client message. */
export const MessageType = Object.freeze({
  OK: 'ok',
  ERROR: 'error',
  SUBSCRIPTION: 'subscription',
  VALUE: 'value',
  DELTA: 'delta',
  EVENT: 'event',
  UNSUBSCRIBED: 'unsubscribed',
  PONG: 'pong',
  FETCH: 'fetch',
  RANGE: 'range',
  // extensions
  GAP: 'gap',
  SESSIONS: 'sessions',
  REQUEST: 'request',
  RESPONSE: 'response',
  FILTER_RESPONSE: 'filterResponse',
  CLOSE: 'close',
});

/** The `op` of every client-to-gateway request. */
export const Op = Object.freeze({
  AUTH: 'auth',
  SUBSCRIBE: 'subscribe',
  UNSUBSCRIBE: 'unsubscribe',
  FETCH: 'fetch',
  ADD: 'add',
  SET: 'set',
  APPEND: 'append',
  EDIT: 'edit',
  RANGE: 'range',
  REMOVE: 'remove',
  PING: 'ping',
  // session control (extension)
  LIST_SESSIONS: 'listSessions',
  CLOSE_SESSIONS: 'closeSessions',
  SET_SESSION_PROPERTIES: 'setSessionProperties',
  SUBSCRIBE_SESSIONS: 'subscribeSessions',
  UNSUBSCRIBE_SESSIONS: 'unsubscribeSessions',
  // messaging (extension)
  ADD_REQUEST_HANDLER: 'addRequestHandler',
  REMOVE_REQUEST_HANDLER: 'removeRequestHandler',
  ADD_REQUEST_STREAM: 'addRequestStream',
  REMOVE_REQUEST_STREAM: 'removeRequestStream',
  SEND_REQUEST: 'sendRequest',
  SEND_TO_SESSION: 'sendToSession',
  SEND_TO_FILTER: 'sendToFilter',
  RESPOND: 'respond',
  REJECT: 'reject',
});

/** Why the gateway ended a subscription to a topic (`unsubscribed`), and why events were missed (`gap`). */
export const UnsubscribedReason = Object.freeze({
  REQUESTED: 'REQUESTED',
  REMOVED: 'REMOVED',
  PERMISSION_DENIED: 'PERMISSION_DENIED',
  CONFLATED_AWAY: 'CONFLATED_AWAY',
  NOT_RETAINED: 'NOT_RETAINED',
});
