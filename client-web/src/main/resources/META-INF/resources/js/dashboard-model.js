// The price dashboard's logic, without the DOM (tested in Node): prices out of BPI documents,
// the points and axes of a chart, and what the gateway saves per price update compared with raw Redis.

/**
 * The USD price of a BPI document (`bpi.USD.rate_float`), or NaN.
 * @param {any} doc
 */
export function usdPrice(doc) {
  const rate = doc?.bpi?.USD?.rate_float;
  return typeof rate === 'number' ? rate : Number.NaN;
}

/**
 * A number out of a topic value: a number, a numeric string, or NaN.
 * @param {any} value
 */
export function numberOf(value) {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return Number.NaN;
}

/** The last points of a chart: times in seconds (uPlot's x) and values. */
export class Series {
  /** @param {number} max points kept */
  constructor(max) {
    this.max = max;
    /** @type {number[]} */
    this.times = [];
    /** @type {number[]} */
    this.values = [];
  }

  /** @param {number} timeMs @param {number} value; NaN is not a point */
  push(timeMs, value) {
    if (!Number.isFinite(value)) return false;
    this.times.push(timeMs / 1000);
    this.values.push(value);
    if (this.times.length > this.max) {
      this.times.splice(0, this.times.length - this.max);
      this.values.splice(0, this.values.length - this.max);
    }
    return true;
  }

  get length() {
    return this.times.length;
  }

  /** uPlot's data: [xs, ys]. */
  data() {
    return [this.times, this.values];
  }
}

/**
 * The x axis of a chart (seconds): its points' times, and a single point in the middle of a
 * minute (uPlot alone gives one point a day-long axis with the point on its left edge).
 * @param {number[]} times
 * @returns {[number|null, number|null]}
 */
export function timeRange(times) {
  if (!times.length) return [null, null];
  const first = times[0];
  const last = times[times.length - 1];
  return first === last ? [first - 30, first + 30] : [first, last];
}

/**
 * The y axis of a price chart: the prices with a margin of a tenth of their spread above and
 * below, and at least 0.1 % of the price, so that a single price (or a flat run) sits in the
 * middle of a narrow axis rather than on an axis from 0 (uPlot's default for one value).
 * @param {number|null} min
 * @param {number|null} max
 * @returns {[number|null, number|null]}
 */
export function priceRange(min, max) {
  if (min === null || max === null || !Number.isFinite(min) || !Number.isFinite(max)) return [null, null];
  const pad = Math.max((max - min) * 0.1, Math.abs(max) * 0.001, 0.01);
  return [min - pad, max + pad];
}

/** Whether a chart marks its points: only when there is one, which has no line to draw. */
export function showsPoints(count) {
  return count === 1;
}

/** The roles that may start and stop the data-feeder (it checks them too). */
export const FEED_CONTROL_ROLES = Object.freeze(['TOPIC_CONTROL', 'ADMINISTRATOR']);

/** Message types of the gateway that carry a price update (the rest are replies, pongs, subscriptions). */
export const UPDATE_TYPES = Object.freeze(['value', 'delta', 'event']);

/**
 * The price updates among what a gateway connection received, from the client library's
 * stats(): how many and their bytes. Replies (`ok`, `fetch`), `subscription`s and `pong`s are
 * not price updates.
 * @param {{messagesByType: Record<string, number>, bytesByType: Record<string, number>}} stats
 * @returns {{count: number, bytes: number}}
 */
export function gatewayUpdates(stats) {
  let count = 0;
  let bytes = 0;
  for (const type of UPDATE_TYPES) {
    count += stats.messagesByType?.[type] ?? 0;
    bytes += stats.bytesByType?.[type] ?? 0;
  }
  return { count, bytes };
}

/** Counts price updates and their bytes (the raw feed: frames that hold a price). */
export class UpdateMeter {
  constructor() {
    this.count = 0;
    this.bytes = 0;
  }

  /** @param {number} bytes of one price update */
  add(bytes) {
    this.count++;
    this.bytes += bytes;
  }
}

/**
 * Bytes per price update, or null before the first one.
 * @param {{count: number, bytes: number}} updates
 */
export function bytesPerUpdate(updates) {
  return updates.count > 0 ? updates.bytes / updates.count : null;
}

/**
 * What the gateway saves per price update: 1 - (gateway bytes per update) / (raw bytes per
 * update), or null until both have had one. Per update, because the two paths do not receive
 * the same number of messages (the gateway also sends the current price on subscribing, and
 * one-off replies) and totals would compare different things.
 * @param {{count: number, bytes: number}} raw
 * @param {{count: number, bytes: number}} gateway
 */
export function savingPerUpdate(raw, gateway) {
  const perRaw = bytesPerUpdate(raw);
  const perGateway = bytesPerUpdate(gateway);
  if (perRaw === null || perGateway === null) return null;
  return saving(perRaw, perGateway);
}

/**
 * The dashboard's headline, in words.
 * @param {{count: number, bytes: number}} raw
 * @param {{count: number, bytes: number}} gateway
 * @param {(bytes: number) => string} formatBytes
 */
export function savingSummary(raw, gateway, formatBytes) {
  const fraction = savingPerUpdate(raw, gateway);
  if (fraction === null) return 'The saving per price update shows once both have received a price.';
  const perGateway = formatBytes(Math.round(bytesPerUpdate(gateway)));
  const perRaw = formatBytes(Math.round(bytesPerUpdate(raw)));
  const change = fraction >= 0 ? `${formatPercent(fraction)} fewer bytes` : `${formatPercent(-fraction)} more bytes`;
  return `Per price update: ${perGateway} through the gateway instead of ${perRaw} raw, ${change}.`;
}

/**
 * The share of the raw bytes that the gateway did not need: 1 - gateway / raw, or null while
 * nothing came raw. Negative when the gateway received more.
 * @param {number} rawBytes
 * @param {number} gatewayBytes
 */
export function saving(rawBytes, gatewayBytes) {
  if (!(rawBytes > 0)) return null;
  return 1 - gatewayBytes / rawBytes;
}

/** 0.873 -> "87.3 %"; null -> "–". */
export function formatPercent(fraction) {
  if (fraction === null || !Number.isFinite(fraction)) return '–';
  return `${(fraction * 100).toFixed(1)} %`;
}

/** 43123.45 -> "$43,123.45". */
export function formatUsd(value) {
  if (!Number.isFinite(value)) return '–';
  return value.toLocaleString('en-US', { style: 'currency', currency: 'USD' });
}

/**
 * The currency panel's state: one entry per reference topic of the currency view
 * (`views/btc/currency/USD` holds `{code, rate_float}`), and how many price updates reached it,
 * counted as the updates of its `priceCurrency` topic (one price update changes every currency).
 */
export class CurrencyBoard {
  /** @param {string} priceCurrency the currency whose updates count as price updates */
  constructor(priceCurrency = 'USD') {
    this.priceCurrency = priceCurrency;
    this.topics = new Map();
    this.priceUpdates = 0;
  }

  /** A value of a currency topic; false (and nothing kept) when it is not a currency entry. */
  update(topic, value) {
    const rate = numberOf(value?.rate_float);
    if (!value || typeof value !== 'object' || !Number.isFinite(rate)) return false;
    const code = typeof value.code === 'string' ? value.code : topic.slice(topic.lastIndexOf('/') + 1);
    const entry = this.topics.get(topic) ?? { topic, code, rate, updates: 0 };
    entry.code = code;
    entry.rate = rate;
    entry.updates++;
    this.topics.set(topic, entry);
    if (code === this.priceCurrency) this.priceUpdates++;
    return true;
  }

  /** A currency topic went (its member left the document, or the view was removed). */
  remove(topic) {
    this.topics.delete(topic);
  }

  /** The entries sorted by topic path. */
  rows() {
    return [...this.topics.values()].sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0));
  }
}

/** A rate in its currency (`$43,017.50`, `£33,983.83`); a code Intl does not know is shown after the number. */
export function formatRate(value, code) {
  if (!Number.isFinite(value)) return '–';
  try {
    return value.toLocaleString('en-US', { style: 'currency', currency: code });
  } catch {
    return `${value.toLocaleString('en-US', { maximumFractionDigits: 4 })} ${code}`;
  }
}
