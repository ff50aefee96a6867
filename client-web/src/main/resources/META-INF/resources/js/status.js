// What the connection state of the client library (its onState) means to a person: pure logic.

/**
 * @param {'connecting'|'open'|'reconnecting'|'closed'} state
 * @param {{code?: number, reason?: string, attempt?: number, delayMs?: number}} [info]
 * @returns {{text: string, tone: 'ok'|'warn'|'error', reconnecting: boolean}}
 */
export function describeConnection(state, info = {}) {
  switch (state) {
    case 'open':
      return { text: 'Connected', tone: 'ok', reconnecting: false };
    case 'connecting':
      return { text: 'Connecting to the gateway…', tone: 'warn', reconnecting: false };
    case 'reconnecting': {
      const seconds = Math.max(1, Math.ceil((info.delayMs ?? 0) / 1000));
      const why = info.code === 4000 ? 'the gateway is restarting' : `connection lost${info.code ? ` (${info.code})` : ''}`;
      return {
        text: `Disconnected: ${why}. Reconnecting in ${seconds} s (attempt ${info.attempt ?? 1})…`,
        tone: 'warn', reconnecting: true,
      };
    }
    case 'closed':
      if (info.code === 4101) {
        // closed by a controller (a moderator): not reconnected at once, on purpose
        return { text: `Disconnected by a moderator${info.reason ? `: ${info.reason}` : ''}. Reload the page to connect again.`, tone: 'error', reconnecting: false };
      }
      if (info.code !== undefined && info.code >= 4100 && info.code <= 4199) {
        return { text: 'Disconnected: the gateway refused your sign-in (expired?). Sign in again.', tone: 'error', reconnecting: false };
      }
      return { text: `Disconnected${info.code && info.code !== 1000 ? ` (${info.code})` : ''}.`, tone: 'error', reconnecting: false };
    default:
      return { text: String(state), tone: 'warn', reconnecting: false };
  }
}

/** A byte count for people: 950 B, 12.3 kB, 4.56 MB (SI units). */
export function formatBytes(bytes) {
  if (!Number.isFinite(bytes) || bytes < 1000) return `${Math.max(0, Math.round(bytes || 0))} B`;
  const units = ['kB', 'MB', 'GB'];
  let value = bytes;
  let unit = -1;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0)} ${units[unit]}`;
}
