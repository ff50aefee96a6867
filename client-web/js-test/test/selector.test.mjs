import assert from 'node:assert/strict';
import { test } from 'node:test';

import { parseSelector } from '../support/selector.js';

const PATHS = ['a', 'a/b', 'a/b/c', 'a/bc', 'a/x/c', 'prices', 'prices/btc/usd', 'prices/eth/usd', 'ab'];

const CASES = {
  'a/b': ['a/b'],
  '>a/b': ['a/b'],
  '>a/b//': ['a/b', 'a/b/c'],
  '>a/b/': ['a/b/c'],
  'a//': ['a', 'a/b', 'a/b/c', 'a/bc', 'a/x/c'],
  '?a/[^/]+/c': ['a/b/c', 'a/x/c'],
  '?a/b.*': ['a/b', 'a/bc'],
  '?a/b.*//': ['a/b', 'a/b/c', 'a/bc'],
  '?prices/': ['prices/btc/usd', 'prices/eth/usd'],
  '?prices//': ['prices', 'prices/btc/usd', 'prices/eth/usd'],
  '?prices/[a-z]+/usd': ['prices/btc/usd', 'prices/eth/usd'],
  '?a/\\Qb\\E': ['a/b'],
  '*a/.*': ['a/b', 'a/b/c', 'a/bc', 'a/x/c'],
  '*a/b': ['a/b'],
  '*a': ['a'],
  '*a.*': ['a', 'a/b', 'a/b/c', 'a/bc', 'a/x/c', 'ab'],
  '*a/b|prices': ['a/b', 'prices'],
  '*a/b//': ['a/b', 'a/b/c'],
  '*a/b/': ['a/b/c'],
  '*prices/(?P<coin>btc|eth)/usd': ['prices/btc/usd', 'prices/eth/usd'],
  '*(?i)PRICES/BTC/USD': ['prices/btc/usd'],
  '*a/[[:alpha:]]': ['a/b'],
  '#a/b////prices': ['a/b', 'prices'],
  '#>a/b//////?prices/': ['a/b', 'a/b/c', 'prices/btc/usd', 'prices/eth/usd'],
  '#*a/x/.*////>ab': ['a/x/c', 'ab'],
};

for (const [selector, expected] of Object.entries(CASES)) {
  test(`selector ${selector}`, () => {
    const s = parseSelector(selector);
    assert.equal(s.approximate, false);
    assert.deepEqual(PATHS.filter((p) => s.matches(p)), expected);
  });
}

test('a pattern JavaScript cannot compile matches everything, and says it is approximate', () => {
  const s = parseSelector('*a/[[:^alpha:]]');
  assert.equal(s.approximate, true);
  assert.ok(PATHS.every((p) => s.matches(p)));
});

test('not a selector', () => {
  assert.throws(() => parseSelector(''), TypeError);
  assert.throws(() => parseSelector(undefined), TypeError);
});
