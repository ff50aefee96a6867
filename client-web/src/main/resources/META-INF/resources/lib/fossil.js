// Fossil delta decoding: the format of the Fossil SCM (www/delta_format.wiki), as the npm
// package `fossil-delta` (dchest) and Pushgate's Java FossilDecoder implement it.
//
// A delta is: the target size, '\n', then commands, each an integer followed by a letter:
//   N@O,   copy N bytes of the source from offset O
//   N:...  insert the N bytes that follow
//   C;     end: C is the checksum of the target
// Integers are written in a base-64 notation of their own (not RFC 4648), most significant
// digit first. The delta may come from the network: every count and offset is checked before
// use, and the output grows only as it is filled.

/** The 64 digits of the format's integers. */
const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~';

/** The value of each ASCII byte as a digit, or -1. */
const DIGIT_VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < DIGITS.length; i++) DIGIT_VALUES[DIGITS.charCodeAt(i)] = i;

/** The largest integer the format writes (sizes, offsets, the 32-bit checksum). */
const MAX_INT = 0xffffffff;

/** Targets larger than this are refused unless the caller allows more. */
export const DEFAULT_MAX_OUTPUT_SIZE = 64 * 1024 * 1024;

const encoder = new TextEncoder();

/** A delta that is malformed, does not fit its source, or fails its checksum. */
export class FossilDeltaError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'FossilDeltaError';
  }
}

/**
 * The checksum that ends every delta: the sum of the target's big-endian 32-bit words (the last
 * one zero-padded), modulo 2^32.
 * @param {Uint8Array} data
 * @param {number} [length]
 * @returns {number} an unsigned 32-bit integer
 */
export function checksum(data, length = data.length) {
  // Four lanes summed separately and combined at the end, as the reference does.
  let sum0 = 0;
  let sum1 = 0;
  let sum2 = 0;
  let sum3 = 0;
  let z = 0;
  let n = length;
  while (n >= 4) {
    sum0 = (sum0 + data[z]) | 0;
    sum1 = (sum1 + data[z + 1]) | 0;
    sum2 = (sum2 + data[z + 2]) | 0;
    sum3 = (sum3 + data[z + 3]) | 0;
    z += 4;
    n -= 4;
  }
  sum3 = (sum3 + (sum2 << 8) + (sum1 << 16) + (sum0 << 24)) | 0;
  /* eslint-disable no-fallthrough */
  switch (n) {
    case 3:
      sum3 = (sum3 + (data[z + 2] << 8)) | 0;
    case 2:
      sum3 = (sum3 + (data[z + 1] << 16)) | 0;
    case 1:
      sum3 = (sum3 + (data[z] << 24)) | 0;
  }
  /* eslint-enable no-fallthrough */
  return sum3 >>> 0;
}

/**
 * Writes an integer in the format's notation (for tests and encoders).
 * @param {number} value a non-negative integer up to 2^32 - 1
 * @returns {string}
 */
export function encodeInt(value) {
  if (!Number.isInteger(value) || value < 0 || value > MAX_INT) throw new RangeError(`not a Fossil integer: ${value}`);
  if (value === 0) return '0';
  let out = '';
  for (let v = value; v > 0; v = Math.floor(v / 64)) out = DIGITS[v % 64] + out;
  return out;
}

/** Reads the delta's integers and commands, checking each against what remains. */
class Reader {
  /** @param {Uint8Array} delta */
  constructor(delta) {
    this.delta = delta;
    this.pos = 0;
  }

  hasMore() {
    return this.pos < this.delta.length;
  }

  /** An unsigned integer of at least one digit. @param {string} what */
  readInt(what) {
    const start = this.pos;
    let value = 0;
    while (this.pos < this.delta.length) {
      const b = this.delta[this.pos];
      const digit = b < 128 ? DIGIT_VALUES[b] : -1;
      if (digit < 0) break;
      value = value * 64 + digit;
      if (value > MAX_INT) throw malformed(`${what} at byte ${start} is too large`);
      this.pos++;
    }
    if (this.pos === start) {
      throw malformed(`expected ${what} at byte ${start}, found ${this.hasMore() ? describe(this.delta[this.pos]) : 'the end'}`);
    }
    return value;
  }
}

/** The target as it is built, grown on demand up to the announced size. */
class Output {
  /** @param {number} limit @param {number} expected */
  constructor(limit, expected) {
    this.limit = limit;
    this.size = 0;
    // A hostile delta announcing a huge size without the commands to fill it must not cost that memory.
    this.buffer = new Uint8Array(Math.min(limit, Math.max(expected, 64)));
  }

  /** @param {Uint8Array} from @param {number} offset @param {number} length */
  write(from, offset, length) {
    if (length > this.buffer.length - this.size) {
      const wanted = Math.max(this.size + length, Math.min(this.buffer.length * 2, this.limit));
      const grown = new Uint8Array(Math.min(wanted, this.limit));
      grown.set(this.buffer.subarray(0, this.size));
      this.buffer = grown;
    }
    this.buffer.set(from.subarray(offset, offset + length), this.size);
    this.size += length;
  }

  bytes() {
    return this.size === this.buffer.length ? this.buffer : this.buffer.slice(0, this.size);
  }
}

/**
 * The target size a delta announces (its first line), without applying it.
 * @param {Uint8Array|string} delta
 * @returns {number}
 */
export function outputSize(delta) {
  const reader = new Reader(toBytes(delta));
  const size = reader.readInt('the target size');
  if (!reader.hasMore() || reader.delta[reader.pos] !== 0x0a) throw malformed('the target size is not followed by a newline');
  return size;
}

/**
 * Applies a Fossil delta to the bytes of a source.
 * @param {Uint8Array} source
 * @param {Uint8Array|string} delta the delta's bytes; a string is taken as its UTF-8 bytes
 * @param {{maxOutputSize?: number}} [options]
 * @returns {Uint8Array} the target's bytes
 * @throws {FossilDeltaError} when the delta is malformed, does not fit the source, or fails its checksum
 */
export function applyDelta(source, delta, options = {}) {
  const maxOutputSize = options.maxOutputSize ?? DEFAULT_MAX_OUTPUT_SIZE;
  const d = toBytes(delta);
  const reader = new Reader(d);
  const limit = reader.readInt('the target size');
  if (!reader.hasMore() || d[reader.pos++] !== 0x0a) throw malformed('the target size is not followed by a newline');
  if (limit > maxOutputSize) {
    throw new FossilDeltaError(`Fossil delta announces a target of ${limit} bytes, more than the allowed ${maxOutputSize}`);
  }
  const out = new Output(limit, source.length + d.length);
  while (reader.hasMore()) {
    const cnt = reader.readInt("a command's count");
    if (!reader.hasMore()) throw malformed('ends after a count, without a command');
    const commandAt = reader.pos;
    const command = d[reader.pos++];
    switch (command) {
      case 0x40: { // '@'
        const ofst = reader.readInt('a copy offset');
        // Like the reference, no ',' is needed at the very end (the delta then fails as unterminated anyway).
        if (reader.hasMore() && d[reader.pos++] !== 0x2c) {
          throw malformed(`copy command at byte ${commandAt} is not terminated by ','`);
        }
        if (cnt > limit - out.size) throw sizeMismatch(`a copy goes past the announced target size of ${limit}`);
        if (ofst + cnt > source.length) {
          throw malformed(`copy of ${cnt} bytes at offset ${ofst} extends past the end of the ${source.length}-byte source`);
        }
        out.write(source, ofst, cnt);
        break;
      }
      case 0x3a: { // ':'
        if (cnt > limit - out.size) throw sizeMismatch(`an insert goes past the announced target size of ${limit}`);
        if (cnt > d.length - reader.pos) throw malformed(`insert of ${cnt} bytes extends past the end of the delta`);
        out.write(d, reader.pos, cnt);
        reader.pos += cnt;
        break;
      }
      case 0x3b: { // ';'
        // What follows the checksum is ignored, as by the reference decoders.
        if (out.size !== limit) throw sizeMismatch(`the delta produces ${out.size} bytes but announces ${limit}`);
        const actual = checksum(out.buffer, out.size);
        if (cnt !== actual) {
          throw new FossilDeltaError(`Fossil delta checksum mismatch: expected ${cnt}, got ${actual} (wrong source, or a corrupt delta)`);
        }
        return out.bytes();
      }
      default:
        throw malformed(`unknown command ${describe(command)} at byte ${commandAt}`);
    }
  }
  throw malformed("unterminated: no ';' checksum at the end");
}

/**
 * Applies a Fossil delta to the UTF-8 bytes of a text, as Pushgate's `fossil` mode needs:
 * `TextEncoder().encode(source)`, apply, then strict UTF-8 decoding.
 * @param {string} source the previous value's exact text
 * @param {Uint8Array|string} delta the delta (a string is taken as its UTF-8 bytes)
 * @param {{maxOutputSize?: number}} [options]
 * @returns {string} the new text
 * @throws {FossilDeltaError} also when the result is not valid UTF-8
 */
export function applyTextDelta(source, delta, options) {
  const target = applyDelta(encoder.encode(source), delta, options);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(target);
  } catch {
    throw new FossilDeltaError('Fossil delta result is not valid UTF-8');
  }
}

/** @param {Uint8Array|string} delta */
function toBytes(delta) {
  if (typeof delta === 'string') return encoder.encode(delta);
  if (delta instanceof Uint8Array) return delta;
  throw new TypeError('a Fossil delta is a Uint8Array or a string');
}

/** @param {number} b */
function describe(b) {
  return b >= 0x20 && b < 0x7f ? `'${String.fromCharCode(b)}'` : `byte 0x${b.toString(16).padStart(2, '0')}`;
}

/** @param {string} detail */
function malformed(detail) {
  return new FossilDeltaError(`malformed Fossil delta: ${detail}`);
}

/** @param {string} detail */
function sizeMismatch(detail) {
  return new FossilDeltaError(`Fossil delta size mismatch: ${detail}`);
}
