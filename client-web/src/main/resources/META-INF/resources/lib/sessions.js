// The session control requests (extension; VIEW_SESSION, MODIFY_SESSION): the messages the
// client's listSessions, closeSessions, ... send. A target is {sessionId} or {filter}.

import { Op } from './protocol.js';

/**
 * The `sessionId` or `filter` of a session control request: exactly one of them.
 * @param {{sessionId?: string, filter?: string}} target
 */
function sessionTarget(target) {
  const hasId = target && typeof target.sessionId === 'string';
  const hasFilter = target && typeof target.filter === 'string';
  if (hasId === hasFilter) throw new TypeError('a session target is {sessionId} or {filter}');
  return hasId ? { sessionId: target.sessionId } : { filter: target.filter };
}

/** Builders of the session control messages (the client adds the id). */
export const sessionRequests = {
  /** @param {string|null|undefined} filter */
  list(filter) {
    const message = { op: Op.LIST_SESSIONS };
    if (filter !== undefined && filter !== null) message.filter = filter;
    return message;
  },
  /** @param {{sessionId?: string, filter?: string}} target @param {string} [reason] */
  close(target, reason) {
    const message = { op: Op.CLOSE_SESSIONS, ...sessionTarget(target) };
    if (reason !== undefined) message.reason = reason;
    return message;
  },
  /** @param {{sessionId?: string, filter?: string}} target @param {Record<string, string|null>} properties */
  setProperties(target, properties) {
    return { op: Op.SET_SESSION_PROPERTIES, ...sessionTarget(target), properties };
  },
  /** @param {{sessionId?: string, filter?: string}} target @param {string} selector */
  subscribe(target, selector) {
    return { op: Op.SUBSCRIBE_SESSIONS, ...sessionTarget(target), selector };
  },
  /** @param {{sessionId?: string, filter?: string}} target @param {string} selector */
  unsubscribe(target, selector) {
    return { op: Op.UNSUBSCRIBE_SESSIONS, ...sessionTarget(target), selector };
  },
};
