// Counters of what the client received (the dashboard's "bytes and messages received").
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { utf8Length } from '../../src/main/resources/META-INF/resources/lib/pushgate.js';
import { connected, setup } from '../support/helpers.mjs';

const encoder = new TextEncoder();

test('frames, UTF-8 bytes and messages by type, across reconnections', async () => {
  const env = await connected();
  env.client.subscribe('?prices/', {});
  const frames = [];
  const push = (message) => {
    const frame = JSON.stringify(message);
    frames.push(frame);
    env.ws().push(frame);
  };
  const request = env.ws().pending('subscribe');
  env.ws().answered.add(request.id);
  // frames as the gateway writes them: the subscription names the selector that matched it
  push({ type: 'ok', id: request.id, tids: [] });
  push({ type: 'subscription', topic: 'prices/eur', tid: 1, spec: { type: 'JSON' }, selectors: ['?prices/'] });
  push({ type: 'value', tid: 1, seq: 1, value: { symbol: '€', note: 'prix en € — 價格 💶' } });
  push({ type: 'delta', tid: 1, seq: 2, patch: [{ op: 'replace', path: '/note', value: 'ß' }] });
  env.ws().drop(1006);
  await env.clock.advance(1000);
  env.ws().open();
  push({ type: 'error', code: 'TOO_LARGE', message: 'too large' });
  const stats = env.client.stats();
  assert.equal(stats.framesReceived, 5);
  assert.equal(stats.bytesReceived, frames.reduce((n, f) => n + encoder.encode(f).length, 0));
  assert.ok(stats.bytesReceived > frames.reduce((n, f) => n + f.length, 0), 'bytes, not characters');
  assert.deepEqual(stats.messagesByType, { ok: 1, subscription: 1, value: 1, delta: 1, error: 1 });
  const bytesOf = (i) => encoder.encode(frames[i]).length;
  assert.deepEqual(stats.bytesByType, { ok: bytesOf(0), subscription: bytesOf(1), value: bytesOf(2), delta: bytesOf(3), error: bytesOf(4) });
  assert.equal(stats.connections, 2);
  assert.equal(stats.framesSent, 3); // subscribe, then subscribe and the ping that ends the resubscription
});

test('stats() is a copy; resetStats() starts again from zero', async () => {
  const env = await connected();
  env.ws().push({ type: 'pong' });
  const stats = env.client.stats();
  stats.messagesByType.pong = 100;
  stats.bytesByType.pong = 100;
  assert.equal(env.client.stats().messagesByType.pong, 1);
  assert.equal(env.client.stats().bytesByType.pong, '{"type":"pong"}'.length);
  env.client.resetStats();
  assert.deepEqual(env.client.stats().messagesByType, {});
  assert.deepEqual(env.client.stats().bytesByType, {});
  assert.equal(env.client.stats().bytesReceived, 0);
});

test('utf8Length is what TextEncoder gives, lone surrogates included', () => {
  for (const s of ['', 'abc', 'é', '€', '💶', 'a\ud800b', '\udc00', '\ud83d', '👨‍👩‍👧 — 東京 ß']) {
    assert.equal(utf8Length(s), encoder.encode(s).length, JSON.stringify(s));
  }
});

test('batch: asks for ?batch=lines (and batch-delay); a frame of several lines is several messages', async () => {
  const env = await connected({ batch: true, batchDelayMs: 20 });
  assert.equal(env.ws().params.get('batch'), 'lines');
  assert.equal(env.ws().params.get('batch-delay'), '20');
  const values = [];
  env.client.subscribe('?prices/', { onValue: (topic, value, seq) => values.push([topic, value.p, seq]) });
  const request = env.ws().pending('subscribe');
  env.ws().answered.add(request.id);
  env.client.resetStats();
  const lines = [
    { type: 'ok', id: request.id, tids: [] },
    { type: 'subscription', topic: 'prices/eur', tid: 1, spec: { type: 'JSON' }, selectors: ['?prices/'] },
    { type: 'value', tid: 1, seq: 1, value: { p: 1, note: 'a\nb' } },
    { type: 'delta', tid: 1, seq: 2, patch: [{ op: 'replace', path: '/p', value: 2 }] },
  ].map((m) => JSON.stringify(m));
  env.ws().push(lines.join('\n'));
  assert.deepEqual(values, [['prices/eur', 1, 1], ['prices/eur', 2, 2]]);
  const stats = env.client.stats();
  assert.equal(stats.framesReceived, 1);
  assert.deepEqual(stats.messagesByType, { ok: 1, subscription: 1, value: 1, delta: 1 });
  // each message's own bytes; the three newlines between them are in bytesReceived only
  const [ok, subscription, value, delta] = lines.map((l) => encoder.encode(l).length);
  assert.deepEqual(stats.bytesByType, { ok, subscription, value, delta });
  assert.equal(stats.bytesReceived, ok + subscription + value + delta + 3);
});

test('without batch no batch parameter is sent; a bad batchDelayMs is refused', async () => {
  const env = await connected();
  assert.equal(env.ws().params.has('batch'), false);
  env.client.close();
  assert.throws(() => setup({ batch: true, batchDelayMs: 1.5 }), /batchDelayMs/);
  assert.throws(() => setup({ batch: true, batchDelayMs: -1 }), /batchDelayMs/);
});
