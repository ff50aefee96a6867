import assert from 'node:assert/strict';
import { test } from 'node:test';

import { fetchValueTexts } from '../../src/main/resources/META-INF/resources/lib/rawjson.js';

test('the exact text of each fetched value, which JSON.stringify would not give back', () => {
  const frame = '{"type":"fetch","id":7,"results":[{"topic":"a","spec":{"type":"JSON"},"seq":3,'
    + '"value":{"b":1.0,"10":[1e3,"x\\"}]"],"big":12345678901234567890}},'
    + '{"topic":"s","seq":1,"spec":{"type":"STRING"},"value":"h\\u00e9"},'
    + '{"topic":"n","spec":{"type":"JSON"},"seq":0},'
    + '{ "value" : [ true , null ] , "topic":"w"}]}';
  const texts = fetchValueTexts(frame);
  assert.deepEqual(texts, [
    '{"b":1.0,"10":[1e3,"x\\"}]"],"big":12345678901234567890}',
    '"h\\u00e9"',
    undefined,
    '[ true , null ]',
  ]);
  assert.notEqual(JSON.stringify(JSON.parse(texts[0])), texts[0]);
});

test('no results, and a frame that is not JSON', () => {
  assert.deepEqual(fetchValueTexts('{"type":"fetch","id":1,"results":[]}'), []);
  assert.throws(() => fetchValueTexts('{"results":[{"value":'), SyntaxError);
});
