// Values and deltas in the three modes; seq checks; resync by fetch.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { connected, flush, fossilFixtures, recorder, simpleFossilDelta } from '../support/helpers.mjs';

const fixtures = Object.fromEntries(fossilFixtures().map((f) => [f.name, f]));
const deltaText = (f) => new TextDecoder('utf-8', { fatal: true }).decode(f.delta);

/** Subscribes, has the gateway accept, and announces topics: [{topic, tid, spec}]. */
async function subscribed(env, selector, topics) {
  const rec = recorder();
  const sub = env.client.subscribe(selector, rec.handlers);
  env.ws().answer('subscribe', {}, 'ok', { selector });
  for (const t of topics) env.ws().push({ type: 'subscription', ...t });
  await sub.ready;
  return { rec, sub };
}

describe('json-patch mode', () => {
  test('a value, then patches: onValue gets each whole value, and earlier values never change', async () => {
    const env = await connected();
    const { rec } = await subscribed(env, '?prices//', [{ topic: 'prices/btc', tid: 1, spec: { type: 'JSON' } }]);
    const ws = env.ws();
    ws.push({ type: 'value', tid: 1, seq: 1, value: { usd: { rate: 100, symbol: '$' }, eur: { rate: 90 } } });
    ws.push({ type: 'delta', tid: 1, seq: 2, patch: [{ op: 'replace', path: '/usd/rate', value: 101 }] });
    ws.push({ type: 'delta', tid: 1, seq: 3, patch: [{ op: 'add', path: '/gbp', value: { rate: 80 } }, { op: 'remove', path: '/eur' }] });
    const values = rec.of('value');
    assert.deepEqual(values.map((v) => v[3]), [1, 2, 3]);
    assert.deepEqual(values[0][2], { usd: { rate: 100, symbol: '$' }, eur: { rate: 90 } });
    assert.deepEqual(values[1][2], { usd: { rate: 101, symbol: '$' }, eur: { rate: 90 } });
    assert.deepEqual(values[2][2], { usd: { rate: 101, symbol: '$' }, gbp: { rate: 80 } });
    assert.equal(values[2][2].usd, values[1][2].usd, 'unchanged parts are shared');
    assert.deepEqual(rec.of('subscribed'), [['subscribed', 'prices/btc', 'JSON']]);
    assert.equal(env.client.stats().resyncs, 0);
  });

  test('a patch that does not apply makes the client fetch the topic, and the fetched value is delivered', async () => {
    const env = await connected();
    const { rec } = await subscribed(env, 'a', [{ topic: 'a', tid: 5, spec: { type: 'JSON' } }]);
    const ws = env.ws();
    ws.push({ type: 'value', tid: 5, seq: 1, value: { n: 1 } });
    ws.push({ type: 'delta', tid: 5, seq: 2, patch: [{ op: 'test', path: '/n', value: 7 }, { op: 'replace', path: '/n', value: 2 }] });
    const fetch = ws.pending('fetch');
    assert.deepEqual({ ...fetch, id: 0 }, { op: 'fetch', selector: '>a', withValues: true, id: 0 });
    ws.answer('fetch', { results: [{ topic: 'a', spec: { type: 'JSON' }, seq: 2, value: { n: 2 } }] }, 'fetch');
    await flush();
    ws.push({ type: 'delta', tid: 5, seq: 3, patch: [{ op: 'replace', path: '/n', value: 3 }] });
    assert.deepEqual(rec.of('value').map((v) => [v[2], v[3]]), [[{ n: 1 }, 1], [{ n: 2 }, 2], [{ n: 3 }, 3]]);
    assert.equal(env.client.stats().resyncs, 1);
  });
});

describe('seq checks', () => {
  test('a delta that skips a seq is never applied: the topic is fetched, and messages meanwhile are applied on top', async () => {
    const env = await connected();
    const { rec } = await subscribed(env, 'a', [{ topic: 'a', tid: 1, spec: { type: 'JSON' } }]);
    const ws = env.ws();
    ws.push({ type: 'value', tid: 1, seq: 1, value: { n: 1 } });
    ws.push({ type: 'delta', tid: 1, seq: 3, patch: [{ op: 'replace', path: '/n', value: 3 }] }); // seq 2 missing
    assert.ok(ws.pending('fetch', { selector: '>a' }));
    // While the fetch is out: a stale delta (covered by the fetch) and one after it.
    ws.push({ type: 'delta', tid: 1, seq: 4, patch: [{ op: 'replace', path: '/n', value: 4 }] });
    ws.push({ type: 'delta', tid: 1, seq: 5, patch: [{ op: 'replace', path: '/n', value: 5 }] });
    ws.answer('fetch', { results: [{ topic: 'a', spec: { type: 'JSON' }, seq: 4, value: { n: 4 } }] }, 'fetch');
    await flush();
    assert.deepEqual(rec.of('value').map((v) => [v[2].n, v[3]]), [[1, 1], [4, 4], [5, 5]]);
  });

  test('a delta with no value held is fetched too', async () => {
    const env = await connected();
    const { rec } = await subscribed(env, 'a', [{ topic: 'a', tid: 1, spec: { type: 'JSON' } }]);
    env.ws().push({ type: 'delta', tid: 1, seq: 8, patch: [] });
    env.ws().answer('fetch', { results: [{ topic: 'a', spec: { type: 'JSON' }, seq: 9, value: [9] }] }, 'fetch');
    await flush();
    assert.deepEqual(rec.of('value'), [['value', 'a', [9], 9]]);
  });

  test('seqs only increase: a value or delta at or below the held seq is dropped; a jump to a whole value is fine', async () => {
    const env = await connected();
    const { rec } = await subscribed(env, 'a', [{ topic: 'a', tid: 1, spec: { type: 'JSON' } }]);
    const ws = env.ws();
    ws.push({ type: 'value', tid: 1, seq: 5, value: 5 });
    ws.push({ type: 'value', tid: 1, seq: 5, value: 55 });
    ws.push({ type: 'value', tid: 1, seq: 4, value: 4 });
    ws.push({ type: 'delta', tid: 1, seq: 5, patch: [{ op: 'replace', path: '', value: 0 }] });
    ws.push({ type: 'value', tid: 1, seq: 9, value: 9 }); // conflated: a gap, then a whole value
    ws.push({ type: 'delta', tid: 1, seq: 10, patch: [{ op: 'replace', path: '', value: 10 }] });
    assert.deepEqual(rec.of('value').map((v) => [v[2], v[3]]), [[5, 5], [9, 9], [10, 10]]);
    assert.equal(env.client.stats().staleMessages, 3);
    assert.equal(ws.pending('fetch'), undefined);
  });

  test('a topic removed and added again starts at seq 1 with a new tid', async () => {
    const env = await connected();
    const { rec } = await subscribed(env, 'a//', [{ topic: 'a', tid: 1, spec: { type: 'JSON' } }]);
    const ws = env.ws();
    ws.push({ type: 'value', tid: 1, seq: 7, value: 'old' });
    ws.push({ type: 'unsubscribed', tid: 1, topic: 'a', reason: 'REMOVED' });
    ws.push({ type: 'subscription', topic: 'a', tid: 2, spec: { type: 'JSON' } });
    ws.push({ type: 'value', tid: 2, seq: 1, value: 'new' });
    ws.push({ type: 'value', tid: 1, seq: 8, value: 'ghost' }); // the old tid means nothing now
    assert.deepEqual(rec.calls.filter((c) => c[0] !== 'subscribed'), [
      ['value', 'a', 'old', 7], ['unsubscribed', 'a', 'REMOVED'], ['value', 'a', 'new', 1],
    ]);
  });
});

describe('none mode', () => {
  test('whole values only; a delta (which this mode never gets) is not applied but fetched', async () => {
    const env = await connected({ delta: 'none' });
    assert.equal(env.ws().params.get('delta'), 'none');
    const { rec } = await subscribed(env, 'n', [{ topic: 'n', tid: 3, spec: { type: 'INT64' } }]);
    const ws = env.ws();
    ws.push({ type: 'value', tid: 3, seq: 1, value: 41 });
    ws.push({ type: 'value', tid: 3, seq: 2, value: 42 });
    ws.push({ type: 'delta', tid: 3, seq: 3, patch: [{ op: 'replace', path: '', value: 43 }] });
    ws.answer('fetch', { results: [{ topic: 'n', spec: { type: 'INT64' }, seq: 3, value: 43 }] }, 'fetch');
    await flush();
    assert.deepEqual(rec.of('value').map((v) => v[2]), [41, 42, 43]);
  });
});

describe('fossil mode', () => {
  test('JSON topic: `text` values, deltas applied to the UTF-8 bytes (the reference fixture with € and £)', async () => {
    const env = await connected({ delta: 'fossil' });
    assert.equal(env.ws().params.get('delta'), 'fossil');
    const f = fixtures['coindesk-bpi-symbols'];
    const { rec } = await subscribed(env, 'bpi', [{ topic: 'bpi', tid: 1, spec: { type: 'JSON' } }]);
    env.ws().push({ type: 'value', tid: 1, seq: 1, text: f.source });
    env.ws().push({ type: 'delta', tid: 1, seq: 2, delta: deltaText(f) });
    const values = rec.of('value');
    assert.deepEqual(values.map((v) => v[3]), [1, 2]);
    assert.deepEqual(values[0][2], JSON.parse(f.source));
    assert.deepEqual(values[1][2], JSON.parse(f.target));
    assert.equal(env.client.stats().resyncs, 0);
  });

  for (const name of ['unicode-cjk', 'unicode-greek', 'unicode-emoji', 'unicode-mixed-long', 'long-many-edits']) {
    test(`STRING topic: the ${name} fixture's reference delta, as a delta message`, async () => {
      const env = await connected({ delta: 'fossil' });
      const f = fixtures[name];
      const { rec } = await subscribed(env, 's', [{ topic: 's', tid: 2, spec: { type: 'STRING' } }]);
      env.ws().push({ type: 'value', tid: 2, seq: 10, text: f.source });
      env.ws().push({ type: 'delta', tid: 2, seq: 11, delta: deltaText(f) });
      assert.deepEqual(rec.of('value').map((v) => [v[2], v[3]]), [[f.source, 10], [f.target, 11]]);
    });
  }

  test('a chain of deltas over non-ASCII text (accents, CJK, emoji with joiners and skin tones)', async () => {
    const env = await connected({ delta: 'fossil' });
    const { rec } = await subscribed(env, 'chat/motd', [{ topic: 'chat/motd', tid: 4, spec: { type: 'STRING' } }]);
    const texts = ['Bienvenue à tous ☕', 'Bienvenue à tous ☕ — ようこそ', 'Bienvenüe 👋🏽 à tous — ようこそ 👨‍👩‍👧', 'Ελληνικά 👋🏽'];
    env.ws().push({ type: 'value', tid: 4, seq: 1, text: texts[0] });
    for (let i = 1; i < texts.length; i++) {
      env.ws().push({ type: 'delta', tid: 4, seq: i + 1, delta: simpleFossilDelta(texts[i - 1], texts[i]) });
    }
    assert.deepEqual(rec.of('value').map((v) => v[2]), texts);
  });

  test('a Fossil delta that fails its checksum is fetched again, and the next delta applies to the exact fetched text', async () => {
    const env = await connected({ delta: 'fossil' });
    const { rec } = await subscribed(env, 'j', [{ topic: 'j', tid: 1, spec: { type: 'JSON' } }]);
    const ws = env.ws();
    // A text JSON.stringify would not give back: integer-like keys first, 1.0, an escape.
    const v1 = '{"b":1.0,"10":"\\u00e9t\\u00e9","a":[1e2]}';
    const v2 = '{"b":2.0,"10":"\\u00e9t\\u00e9","a":[1e2]}';
    const v3 = '{"b":3.0,"10":"\\u00e9t\\u00e9","a":[1e2],"c":"ok"}';
    ws.push({ type: 'value', tid: 1, seq: 1, text: v1 });
    const corrupt = simpleFossilDelta(v1, v2).replace(/[^;,:@\n]+;$/, 'abc;'); // a wrong checksum
    ws.push({ type: 'delta', tid: 1, seq: 2, delta: corrupt });
    assert.ok(ws.pending('fetch', { selector: '>j' }));
    const request = ws.pending('fetch');
    ws.answered.add(request.id);
    ws.push(`{"type":"fetch","id":${request.id},"results":[{"topic":"j","spec":{"type":"JSON"},"seq":2,"value":${v2}}]}`);
    await flush();
    ws.push({ type: 'delta', tid: 1, seq: 3, delta: simpleFossilDelta(v2, v3) });
    assert.deepEqual(rec.of('value').map((v) => [v[2], v[3]]), [[JSON.parse(v1), 1], [JSON.parse(v2), 2], [JSON.parse(v3), 3]]);
    assert.equal(env.client.stats().resyncs, 1);
  });

  test('a STRING topic fetched again in fossil mode', async () => {
    const env = await connected({ delta: 'fossil' });
    const { rec } = await subscribed(env, 's', [{ topic: 's', tid: 1, spec: { type: 'STRING' } }]);
    env.ws().push({ type: 'delta', tid: 1, seq: 4, delta: simpleFossilDelta('x', 'y') });
    env.ws().answer('fetch', { results: [{ topic: 's', spec: { type: 'STRING' }, seq: 4, value: 'héllo' }] }, 'fetch');
    await flush();
    env.ws().push({ type: 'delta', tid: 1, seq: 5, delta: simpleFossilDelta('héllo', 'héllo wörld') });
    assert.deepEqual(rec.of('value').map((v) => v[2]), ['héllo', 'héllo wörld']);
  });

  test('other types get whole `value`s in fossil mode', async () => {
    const env = await connected({ delta: 'fossil' });
    const { rec } = await subscribed(env, 'd', [{ topic: 'd', tid: 1, spec: { type: 'DOUBLE' } }]);
    env.ws().push({ type: 'value', tid: 1, seq: 1, value: 1.5 });
    assert.deepEqual(rec.of('value'), [['value', 'd', 1.5, 1]]);
  });
});
