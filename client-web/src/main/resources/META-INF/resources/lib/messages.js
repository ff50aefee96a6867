// Frames from the gateway: counted, split (with ?batch=lines a frame holds several messages,
// one per line), parsed, and each message sent to the part of the client it is for: the reply
// of a request, a topic's subscription, value, delta, event, gap or unsubscription, an error
// without an id, or messaging. Message types this client does not know are ignored
// (extensions).

import { PushgateError } from './errors.js';
import { MessageType } from './protocol.js';
import { utf8Length } from './utf8.js';

export class MessageRouter {
  /**
   * @param {object} parts
   * @param {import('./stats.js').Counters} parts.counters
   * @param {import('./requests.js').Requests} parts.requests
   * @param {import('./topics.js').Topics} parts.topics
   * @param {import('./values.js').TopicValues} parts.values
   * @param {import('./timeseries.js').TimeSeries} parts.timeSeries
   * @param {import('./subscriptions.js').Subscriptions} parts.subscriptions
   * @param {import('./messaging.js').Messaging} parts.messaging
   * @param {(error: Error) => void} parts.reportError
   */
  constructor(parts) {
    this._parts = parts;
  }

  /** A frame arrived on a connection. */
  onFrame(conn, data) {
    const counters = this._parts.counters;
    counters.framesReceived++;
    if (typeof data !== 'string') {
      const bytes = data?.byteLength ?? data?.size ?? 0;
      counters.bytesReceived += bytes;
      counters.countMessage('(binary)', bytes);
      return;
    }
    const bytes = utf8Length(data);
    counters.bytesReceived += bytes;
    // JSON has no raw newline, so a newline can only be between messages.
    if (data.indexOf('\n') < 0) {
      this._onMessage(conn, data, bytes);
    } else {
      for (const line of data.split('\n')) this._onMessage(conn, line, utf8Length(line));
    }
  }

  _onMessage(conn, data, bytes) {
    const { counters, requests, topics, values, timeSeries, subscriptions, messaging, reportError } = this._parts;
    let message;
    try {
      message = JSON.parse(data);
    } catch {
      counters.countMessage('(invalid)', bytes);
      reportError(new PushgateError('INVALID', 'the gateway sent a frame that is not JSON'));
      return;
    }
    if (message === null || typeof message !== 'object' || typeof message.type !== 'string') {
      counters.countMessage('(invalid)', bytes);
      return;
    }
    counters.countMessage(message.type, bytes);
    if (message.id !== undefined && message.id !== null && requests.settle(message, data)) return;
    const withTopic = (fn) => {
      const st = topics.of(message);
      if (st) fn(st);
    };
    switch (message.type) {
      case MessageType.SUBSCRIPTION: {
        const applied = topics.onSubscription(conn, message);
        if (applied) subscriptions.onSubscription(applied.st, applied.before);
        break;
      }
      case MessageType.VALUE:
        withTopic((st) => values.onValue(st, message));
        break;
      case MessageType.DELTA:
        withTopic((st) => values.onDelta(st, message));
        break;
      case MessageType.EVENT:
        withTopic((st) => timeSeries.onEvent(st, message.event));
        break;
      case MessageType.GAP:
        withTopic((st) => timeSeries.onGap(st, message));
        break;
      case MessageType.UNSUBSCRIBED:
        withTopic((st) => subscriptions.onUnsubscribed(st, message.reason ?? 'UNKNOWN'));
        break;
      case MessageType.ERROR:
        reportError(new PushgateError(message.code ?? 'UNKNOWN', message.message ?? 'error', { reply: message }));
        break;
      case MessageType.REQUEST:
        messaging.onRequest(message);
        break;
      case MessageType.FILTER_RESPONSE:
        messaging.onFilterResponse(message);
        break;
      default:
        break; // extensions this client does not know
    }
  }
}
