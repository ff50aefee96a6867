// The client's counters (client.stats()): frames, bytes, messages by type, and the events the
// client corrected for the application (resyncs, duplicates, stale values).

/** The counters, updated in place by the parts of the client (so that they can hold on to them). */
export class Counters {
  constructor() {
    this.reset();
  }

  /** Sets every counter back to zero. */
  reset() {
    Object.assign(this, {
      framesReceived: 0, bytesReceived: 0, messagesByType: {}, bytesByType: {}, framesSent: 0, bytesSent: 0,
      connections: 0, resyncs: 0, duplicateEvents: 0, staleMessages: 0,
    });
  }

  /** One message received, of a type (or `(invalid)`, `(binary)`), of so many UTF-8 bytes. */
  countMessage(type, bytes) {
    this.messagesByType[type] = (this.messagesByType[type] ?? 0) + 1;
    this.bytesByType[type] = (this.bytesByType[type] ?? 0) + bytes;
  }

  /** @returns {import('./pushgate.js').Stats} a copy */
  snapshot() {
    return { ...this, messagesByType: { ...this.messagesByType }, bytesByType: { ...this.bytesByType } };
  }
}
