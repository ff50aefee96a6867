// The price dashboard's logic, without the DOM (tested in Node): prices out of BPI documents,
// the points of a chart, and what the gateway saves compared with raw Redis.

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
