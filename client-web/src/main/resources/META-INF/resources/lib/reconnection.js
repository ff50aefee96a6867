// When to reconnect after a connection ends, and how long to wait first.

/** Default reconnection delays. */
export const DEFAULT_RECONNECT = { initialMs: 500, maxMs: 30000, stableMs: 5000 };

/**
 * Whether a close code asks the client to reconnect: 1001 (going away), 1006 (abnormal), 1011
 * to 1013 (server error, restart, try again later), and Pushgate's 4000-4099. Not 4100-4199
 * ("do not reconnect without changing something", e.g. the credentials), nor 1000.
 * @param {number} code
 */
export function isReconnectCode(code) {
  return code === 1001 || code === 1006 || (code >= 1011 && code <= 1013) || (code >= 4000 && code <= 4099);
}

/**
 * The wait before a reconnection attempt: exponential back-off with jitter (half the delay,
 * plus up to the other half at random), except after 4000 on a first attempt, which asks to
 * come back at once: another replica takes over, and the random spread keeps a whole herd of
 * clients from arriving at the same instant.
 * @param {number} code the close code
 * @param {number} attempt the failed attempts before this one (0 for the first)
 * @param {{initialMs: number, maxMs: number}} delays
 * @param {() => number} random a number in [0, 1)
 */
export function reconnectDelay(code, attempt, { initialMs, maxMs }, random) {
  if (code === 4000 && attempt === 0) return Math.round(random() * initialMs);
  const base = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(base / 2 + (random() * base) / 2);
}
