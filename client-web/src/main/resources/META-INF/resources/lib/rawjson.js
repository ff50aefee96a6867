// Exact texts of values inside a JSON frame.
//
// In `fossil` mode a client applies the next delta to the exact text the gateway diffs. A
// `value` message carries that text in `text`, but a `fetch` reply carries `value` as JSON, and
// JSON.stringify(JSON.parse(x)) is not always x (integer-like keys are reordered, 1.0 becomes 1,
// large integers lose digits). The gateway writes the value into the frame with the same
// compact writer that made the canonical text, so the exact text is the value's own span of
// the frame: this module finds those spans without interpreting the values.

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

/**
 * For a `fetch` reply frame, the raw JSON text of each `results[i].value` (undefined where a
 * result has no value), in the order of `results`.
 * @param {string} frame the whole text frame
 * @returns {(string|undefined)[]}
 */
export function fetchValueTexts(frame) {
  const out = [];
  let i = skipWs(frame, 0);
  expect(frame, i, '{');
  i = members(frame, i, (key, start, end) => {
    if (key !== 'results' || frame[start] !== '[') return;
    elements(frame, start, (elementStart) => {
      let text;
      if (frame[elementStart] === '{') {
        members(frame, elementStart, (k, s, e) => {
          if (k === 'value') text = frame.substring(s, e);
        });
      }
      out.push(text);
    });
  });
  return out;
}

/**
 * Calls onMember(key, valueStart, valueEnd) for each member of the object at i; returns the index after it.
 * @param {string} s @param {number} i @param {(key: string, start: number, end: number) => void} onMember
 */
function members(s, i, onMember) {
  expect(s, i, '{');
  i = skipWs(s, i + 1);
  if (s[i] === '}') return i + 1;
  for (;;) {
    expect(s, i, '"');
    const keyEnd = skipString(s, i);
    const key = JSON.parse(s.substring(i, keyEnd));
    i = skipWs(s, keyEnd);
    expect(s, i, ':');
    const start = skipWs(s, i + 1);
    const end = skipValue(s, start);
    onMember(key, start, end);
    i = skipWs(s, end);
    if (s[i] === ',') {
      i = skipWs(s, i + 1);
    } else {
      expect(s, i, '}');
      return i + 1;
    }
  }
}

/** Calls onElement(start, end) for each element of the array at i; returns the index after it. */
function elements(s, i, onElement) {
  expect(s, i, '[');
  i = skipWs(s, i + 1);
  if (s[i] === ']') return i + 1;
  for (;;) {
    const end = skipValue(s, i);
    onElement(i, end);
    i = skipWs(s, end);
    if (s[i] === ',') {
      i = skipWs(s, i + 1);
    } else {
      expect(s, i, ']');
      return i + 1;
    }
  }
}

/** The index after the JSON value starting at i. */
function skipValue(s, i) {
  const c = s[i];
  if (c === '"') return skipString(s, i);
  if (c === '{') return members(s, i, () => {});
  if (c === '[') return elements(s, i, () => {});
  const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(s.substring(i, i + 400));
  if (!m || m[0] === '') throw new SyntaxError(`JSON value expected at ${i}`);
  if (m[0].length === 400) {
    // A number longer than the window: scan on.
    let k = i + 400;
    while (k < s.length && /[\d.eE+-]/.test(s[k])) k++;
    return k;
  }
  return i + m[0].length;
}

/** The index after the string starting at i (s[i] is '"'). */
function skipString(s, i) {
  for (let k = i + 1; k < s.length; k++) {
    const c = s[k];
    if (c === '\\') k++;
    else if (c === '"') return k + 1;
  }
  throw new SyntaxError('unterminated JSON string');
}

function skipWs(s, i) {
  while (i < s.length && WS.has(s.charCodeAt(i))) i++;
  return i;
}

function expect(s, i, c) {
  if (s[i] !== c) throw new SyntaxError(`'${c}' expected at ${i} of the JSON frame`);
}
