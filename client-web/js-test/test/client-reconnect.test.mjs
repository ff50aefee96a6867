// Reconnection: which close codes, backoff with jitter, resubscription, states.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { isReconnectCode } from '../../src/main/resources/META-INF/resources/lib/pushgate.js';
import { connected, flush, recorder, setup } from '../support/helpers.mjs';

describe('which close codes reconnect', () => {
  test('1001, 1006, 1011-1013 and 4000-4099 do; 1000, 1009 and 4100-4199 do not', () => {
    for (const code of [1001, 1006, 1011, 1012, 1013, 4000, 4001, 4002, 4099]) assert.ok(isReconnectCode(code), `${code}`);
    for (const code of [1000, 1002, 1003, 1008, 1009, 1010, 4100, 4101, 4199, 4200]) assert.ok(!isReconnectCode(code), `${code}`);
  });

  for (const code of [1001, 1006, 1011, 1012, 1013, 4001, 4002, 4099]) {
    test(`close ${code}: reconnecting, then open again`, async () => {
      const { ws, clock, states, client } = await connected();
      const first = ws();
      first.drop(code, 'bye');
      assert.equal(client.state, 'reconnecting');
      assert.deepEqual(states.at(-1), { state: 'reconnecting', code, reason: 'bye', attempt: 1, delayMs: 75 });
      await clock.advance(75);
      assert.notEqual(ws(), first, 'a new socket');
      ws().open();
      assert.equal(client.state, 'open');
    });
  }

  for (const code of [4100, 4150, 4199]) {
    test(`close ${code}: closed, the app is told the code and reason, nothing reconnects`, async () => {
      const { ws, clock, states, client } = await connected();
      const sockets = ws();
      ws().drop(code, 'token expired');
      assert.equal(client.state, 'closed');
      assert.deepEqual(states.at(-1), { state: 'closed', code, reason: 'token expired' });
      await clock.advance(120000);
      assert.equal(ws(), sockets);
    });
  }

  test('after 4100, reconnect() with a fresh token connects again and resubscribes', async () => {
    const { ws, client, states } = await connected({ token: 'expired' });
    client.subscribe('a', {});
    ws().answer('subscribe');
    ws().drop(4100, 'credentials expired');
    await client.auth('fresh');
    client.reconnect();
    assert.equal(client.state, 'connecting');
    assert.equal(ws().params.get('access_token'), 'fresh');
    ws().open();
    assert.deepEqual(ws().requestsOf('subscribe').map((r) => r.selector), ['a']);
    assert.deepEqual(states.map((s) => s.state), ['connecting', 'open', 'closed', 'connecting', 'open']);
  });

  test('reconnect: false disables it', async () => {
    const { ws, client } = await connected({ reconnect: false });
    ws().drop(1006);
    assert.equal(client.state, 'closed');
  });

  test('1000 from the gateway closes', async () => {
    const { ws, client } = await connected();
    ws().drop(1000);
    assert.equal(client.state, 'closed');
  });
});

describe('backoff', () => {
  test('exponential with jitter: each delay is in [base/2, base], base doubling up to maxMs', async () => {
    const randoms = [0, 0.999, 0.5, 0, 0.999, 0.5, 0];
    const { ws, clock, states } = await connected({ reconnect: { initialMs: 100, maxMs: 1000 }, random: () => randoms.shift() });
    ws().drop(1006);
    for (let i = 0; i < 6; i++) {
      const { delayMs } = states.at(-1);
      await clock.advance(delayMs);
      ws().drop(1006); // the attempt fails before opening
    }
    const delays = states.filter((s) => s.state === 'reconnecting').map((s) => s.delayMs);
    assert.deepEqual(delays, [50, 200, 300, 400, 1000, 750, 500]);
    assert.deepEqual(states.filter((s) => s.state === 'reconnecting').map((s) => s.attempt), [1, 2, 3, 4, 5, 6, 7]);
  });

  test('the delays spread: different random draws give different delays', async () => {
    const delays = new Set();
    for (const r of [0.1, 0.3, 0.7, 0.9]) {
      const { ws, states } = await connected({ random: () => r });
      ws().drop(1006);
      delays.add(states.at(-1).delayMs);
    }
    assert.equal(delays.size, 4);
  });

  test('a connection that stays open resets the backoff; one that drops at once does not', async () => {
    const { ws, clock, states } = await connected({ reconnect: { initialMs: 100, maxMs: 10000, stableMs: 5000 } });
    const lastDelay = () => states.at(-1).delayMs;
    ws().drop(1006);
    assert.equal(lastDelay(), 75);
    await clock.advance(75);
    ws().open();
    ws().drop(1006); // flapping
    assert.equal(lastDelay(), 150);
    await clock.advance(150);
    ws().open();
    await clock.advance(5000);
    ws().drop(1006);
    assert.equal(lastDelay(), 75);
  });

  test('4000 (the gateway is draining): the first attempt is at once, spread over [0, initialMs]', async () => {
    const { ws, states } = await connected({ random: () => 0.2, reconnect: { initialMs: 1000, maxMs: 30000 } });
    ws().drop(4000, 'shutting down');
    assert.equal(states.at(-1).delayMs, 200);
  });

  test('close() while waiting to reconnect cancels it', async () => {
    const { ws, clock, client } = await connected();
    const sockets = ws();
    ws().drop(1006);
    client.close();
    await clock.advance(10000);
    assert.equal(ws(), sockets);
    assert.equal(client.state, 'closed');
  });

  test('a token provider that fails counts as a failed attempt', async () => {
    let fail = true;
    const { ws, clock, errors, client } = setup({
      tokenProvider: () => (fail ? Promise.reject(new Error('auth-service down')) : 'ok-token'),
    });
    await flush();
    assert.equal(ws(), undefined);
    assert.equal(client.state, 'reconnecting');
    assert.equal(errors[0].message, 'auth-service down');
    fail = false;
    await clock.advance(1000);
    assert.equal(ws().params.get('access_token'), 'ok-token');
  });
});

describe('resubscription', () => {
  test('every selector is subscribed again once; values are delivered again only if they changed', async () => {
    const env = await connected();
    const a = recorder();
    const b = recorder();
    const b2 = recorder();
    env.client.subscribe('?prices/', a.handlers);
    env.client.subscribe('status', b.handlers);
    env.client.subscribe('status', b2.handlers); // same selector: one subscribe on the wire
    env.ws().answer('subscribe', {}, 'ok', { selector: '?prices/' });
    env.ws().answer('subscribe', {}, 'ok', { selector: 'status' });
    assert.equal(env.ws().requestsOf('subscribe').length, 2);
    env.ws().push({ type: 'subscription', topic: 'prices/btc', tid: 1, spec: { type: 'JSON' } });
    env.ws().push({ type: 'subscription', topic: 'status', tid: 2, spec: { type: 'STRING' } });
    env.ws().push({ type: 'value', tid: 1, seq: 3, value: { p: 1 } });
    env.ws().push({ type: 'value', tid: 2, seq: 8, value: 'up' });

    env.ws().drop(1012, 'restart');
    await env.clock.advance(1000);
    env.ws().open();
    assert.deepEqual(env.ws().requestsOf('subscribe').map((r) => r.selector), ['?prices/', 'status']);
    env.ws().answer('subscribe');
    env.ws().answer('subscribe');
    env.ws().push({ type: 'subscription', topic: 'prices/btc', tid: 11, spec: { type: 'JSON' } });
    env.ws().push({ type: 'subscription', topic: 'status', tid: 12, spec: { type: 'STRING' } });
    env.ws().push({ type: 'value', tid: 11, seq: 5, value: { p: 2 } }); // changed meanwhile
    env.ws().push({ type: 'value', tid: 12, seq: 8, value: 'up' }); // unchanged
    env.ws().push({ type: 'delta', tid: 11, seq: 6, patch: [{ op: 'replace', path: '/p', value: 3 }] });
    assert.deepEqual(a.of('value').map((v) => [v[2].p, v[3]]), [[1, 3], [2, 5], [3, 6]]);
    assert.deepEqual(b.of('value'), [['value', 'status', 'up', 8]]);
    assert.deepEqual(b2.of('value'), [['value', 'status', 'up', 8]]);
  });

  test('a topic that does not come back after a reconnection (removed meanwhile) is reported as REMOVED', async () => {
    const env = await connected();
    const rec = recorder();
    env.client.subscribe('?rooms/', rec.handlers);
    env.ws().answer('subscribe');
    env.ws().push({ type: 'subscription', topic: 'rooms/a', tid: 1, spec: { type: 'JSON' } });
    env.ws().push({ type: 'subscription', topic: 'rooms/b', tid: 2, spec: { type: 'JSON' } });
    env.ws().drop(1006);
    await env.clock.advance(1000);
    env.ws().open();
    env.ws().answer('subscribe');
    env.ws().push({ type: 'subscription', topic: 'rooms/a', tid: 1, spec: { type: 'JSON' } });
    env.ws().answerPings(); // after the pong, everything the subscribe brings has arrived
    await flush();
    assert.deepEqual(rec.of('unsubscribed'), [['unsubscribed', 'rooms/b', 'REMOVED']]);
  });

  test('subscriptions made while disconnected are sent once connected', async () => {
    const env = await connected();
    env.ws().drop(1006);
    const sub = env.client.subscribe('x', {});
    await env.clock.advance(1000);
    env.ws().open();
    env.ws().answer('subscribe', {}, 'ok', { selector: 'x' });
    await sub.ready;
  });

  test('a dead connection (no frame, not even a pong, for a whole ping interval) is dropped and reconnected', async () => {
    const env = await connected({ pingIntervalMs: 10000 });
    await env.clock.advance(10000);
    assert.equal(env.ws().requestsOf('ping').length, 1);
    env.ws().answerPings();
    await env.clock.advance(10000);
    assert.equal(env.ws().requestsOf('ping').length, 2);
    assert.equal(env.client.state, 'open');
    await env.clock.advance(10000); // no pong
    assert.equal(env.client.state, 'reconnecting');
    assert.deepEqual(env.states.at(-1).code, 1006);
    assert.equal(env.ws().closedByClient.reason, 'no pong from the gateway');
  });
});
