// Topic selectors (Diffusion's syntax, as the gateway parses them), matched by the fake gateway
// of the library's tests (support/helpers.mjs) to fill in the `selectors` of a `subscription`
// and the `tids` of an `ok` as the gateway does. The library itself matches no selector: it
// routes by what the gateway names (it did match with this module until the gateway said).
// test/protocol-vectors.test.mjs runs the contract's selectors.json against it. Forms:
//   >a/b or a/b      the path a/b            ?a/[^/]+/c   one regular expression per segment
//   *a/.*            one regular expression over the whole path
//   #s1////s2        any of the member selectors
// A trailing // adds the descendants, a trailing / selects only the descendants.
// The gateway uses RE2; JavaScript's RegExp agrees with it on everything a topic path needs.
// A pattern JavaScript cannot compile makes the selector match every path, and is flagged
// `approximate`. The gateway's own topics ($presence/...) are selected only by a path selector
// of a $ path (the gateway's rule is "whose root path is one", which covers patterns too).

/**
 * @typedef {object} Selector
 * @property {string} expression the expression as given
 * @property {(path: string) => boolean} matches
 * @property {boolean} approximate true when some pattern could not be compiled here
 */

/** A topic path: segments of letters, digits, `_ . -`, the first one perhaps after a `$` (the gateway's own topics). */
const TOPIC_PATH = /^\$?[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)*$/;

/** @type {Map<string, Selector>} */
const cache = new Map();

/**
 * Parses a selector expression (results are cached).
 * @param {string} expression
 * @returns {Selector}
 */
export function parseSelector(expression) {
  if (typeof expression !== 'string' || expression === '') throw new TypeError('a topic selector is a non-empty string');
  let selector = cache.get(expression);
  if (!selector) {
    const parsed = parse(expression);
    // no selector selects what is not a topic path (the gateway's TopicPath rules)
    selector = { expression, matches: (path) => TOPIC_PATH.test(path) && parsed.matches(path), approximate: parsed.approximate };
    if (cache.size > 1000) cache.clear();
    cache.set(expression, selector);
  }
  return selector;
}

/**
 * @param {string} text
 * @returns {{matches: (path: string) => boolean, approximate: boolean}}
 */
function parse(text) {
  switch (text[0]) {
    case '>':
      return reservedRule(pathSelector(text.substring(1)), text[1] === '$');
    case '?':
      return reservedRule(splitPathSelector(text.substring(1)), false);
    case '*':
      return reservedRule(fullPathSelector(text.substring(1)), false);
    case '#':
      return selectorSet(text.substring(1));
    default:
      return reservedRule(pathSelector(text), text[0] === '$');
  }
}

/** A reserved path ($presence/...) is selected only by a selector rooted in one. */
function reservedRule(parsed, rootIsReserved) {
  if (rootIsReserved) return parsed;
  return { approximate: parsed.approximate, matches: (path) => path[0] !== '$' && parsed.matches(path) };
}

/** How many '/' end the text (0, 1 or 2 are meaningful), and the text without them. */
function qualifier(text, plainSlashAt = (i) => true) {
  let trailing = 0;
  while (trailing < text.length && text[text.length - 1 - trailing] === '/' && plainSlashAt(text.length - 1 - trailing)) trailing++;
  return { body: text.substring(0, text.length - trailing), trailing: Math.min(trailing, 2) };
}

/** The qualifier applied to whether the body matched and whether the path goes deeper. */
function qualified(trailing, matchedExactly, matchedAncestor) {
  if (trailing === 0) return matchedExactly;
  if (trailing === 1) return matchedAncestor;
  return matchedExactly || matchedAncestor;
}

function pathSelector(text) {
  const { body, trailing } = qualifier(text);
  const below = `${body}/`;
  return {
    approximate: false,
    matches: (path) => qualified(trailing, path === body, path.startsWith(below)),
  };
}

/**
 * The indices of '/' that separate segments in a pattern: not escaped, not in a character class,
 * not inside \Q...\E.
 */
function separators(pattern) {
  const result = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      if (pattern[i + 1] === 'Q') {
        const end = pattern.indexOf('\\E', i + 2);
        i = end < 0 ? pattern.length : end + 1;
      } else {
        i++;
      }
    } else if (c === '[') {
      i = classEnd(pattern, i) - 1;
    } else if (c === '/') {
      result.push(i);
    }
  }
  return result;
}

/** The index after the character class opening at start (RE2's rules, as the gateway's lexer). */
function classEnd(pattern, start) {
  let k = start + 1;
  if (pattern[k] === '^') k++;
  if (pattern[k] === ']') k++;
  while (k < pattern.length) {
    const c = pattern[k];
    if (c === ']') return k + 1;
    if (c === '\\') k += 2;
    else if (c === '[' && /^\[:\^?[A-Za-z]+:\]/.test(pattern.substring(k))) k = pattern.indexOf(':]', k) + 2;
    else k++;
  }
  return pattern.length;
}

function splitPathSelector(text) {
  const seps = new Set(separators(text));
  const { body, trailing } = qualifier(text, (i) => seps.has(i));
  const segments = [];
  let start = 0;
  for (const i of [...seps].filter((s) => s < body.length)) {
    segments.push(body.substring(start, i));
    start = i + 1;
  }
  segments.push(body.substring(start));
  let approximate = false;
  const matchers = segments.map((segment) => {
    const re = compile(segment);
    if (!re) approximate = true;
    return re;
  });
  if (approximate) return { approximate, matches: () => true };
  return {
    approximate,
    matches(path) {
      const parts = path.split('/');
      if (parts.length < matchers.length) return false;
      for (let i = 0; i < matchers.length; i++) if (!matchers[i].test(parts[i])) return false;
      const deeper = parts.length > matchers.length;
      return qualified(trailing, !deeper, deeper);
    },
  };
}

function fullPathSelector(text) {
  const seps = new Set(separators(text));
  const { body, trailing } = qualifier(text, (i) => seps.has(i));
  const suffix = trailing === 0 ? '' : trailing === 1 ? '/.+' : '(?:/.+)?';
  const re = compile(body, suffix);
  if (!re) return { approximate: true, matches: () => true };
  return { approximate: false, matches: (path) => re.test(path) };
}

function selectorSet(text) {
  // Members are separated by runs of 4 or more '/'; slashes beyond a multiple of 4 qualify the member.
  const members = [];
  let memberStart = 0;
  let k = 0;
  while (k <= text.length) {
    let run = 0;
    while (k + run < text.length && text[k + run] === '/') run++;
    if (k === text.length || run >= 4) {
      const member = text.substring(memberStart, k + (run % 4));
      if (member !== '') members.push(parse(member));
      memberStart = k + run;
    }
    k += Math.max(run, 1);
  }
  return {
    approximate: members.some((m) => m.approximate),
    matches: (path) => members.some((m) => m.matches(path)),
  };
}

/**
 * Compiles an RE2 pattern as a JavaScript RegExp that must match a whole segment or path, or
 * returns null if it cannot. Translates what differs and may appear in selectors: \Q...\E,
 * (?P<name>, a leading (?i), \A and \z, POSIX classes.
 * @param {string} pattern
 * @param {string} [suffix] appended after the pattern's group (for the descendant qualifiers)
 * @returns {RegExp|null}
 */
function compile(pattern, suffix = '') {
  let source = pattern;
  let flags = '';
  if (/\[:\^/.test(source)) return null; // a negated POSIX class has no JavaScript equivalent
  const leadingFlags = /^\(\?([a-z]+)\)/.exec(source);
  if (leadingFlags) {
    if (!/^[is]+$/.test(leadingFlags[1])) return null;
    flags = leadingFlags[1];
    source = source.substring(leadingFlags[0].length);
  }
  source = source
    .replace(/\\Q([\s\S]*?)(?:\\E|$)/g, (_, quoted) => quoted.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&'))
    .replace(/(^|[^\\])\[(\^?)\]/g, '$1[$2\\]') // RE2: a ']' first in a class is a member of it
    .replace(/\(\?P</g, '(?<')
    .replace(/\\A/g, '^')
    .replace(/\\z/g, '$')
    .replace(/\[:(alpha|digit|alnum|upper|lower|space|word|punct|xdigit):\]/g, (_, name) => POSIX[name]);
  for (const f of [flags, `${flags}u`]) {
    try {
      return new RegExp(`^(?:${source})${suffix}$`, f);
    } catch {
      // try the next flags
    }
  }
  return null;
}

/** POSIX classes (inside a class: [[:alpha:]]) as JavaScript ranges. */
const POSIX = {
  alpha: 'A-Za-z', digit: '0-9', alnum: 'A-Za-z0-9', upper: 'A-Z', lower: 'a-z', space: '\\s',
  word: '\\w', punct: '!-\\/:-@\\[-`{-~', xdigit: '0-9A-Fa-f',
};
