// Subscriptions: routing by selector, closing, overlapping selectors, unsubscribed reasons.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { connected, event, flush, recorder } from '../support/helpers.mjs';

const JSON_SPEC = { type: 'JSON' };

describe('routing', () => {
  test('each subscription gets the topics its selector matches, and only those', async () => {
    const env = await connected();
    const btc = recorder();
    const all = recorder();
    env.client.subscribe('?prices/btc//', btc.handlers);
    env.client.subscribe('*prices/.*', all.handlers);
    env.ws().answer('subscribe');
    env.ws().answer('subscribe');
    env.ws().push({ type: 'subscription', topic: 'prices/btc/usd', tid: 1, spec: JSON_SPEC });
    env.ws().push({ type: 'subscription', topic: 'prices/eth/usd', tid: 2, spec: JSON_SPEC });
    env.ws().push({ type: 'value', tid: 1, seq: 1, value: 'btc' });
    env.ws().push({ type: 'value', tid: 2, seq: 1, value: 'eth' });
    assert.deepEqual(btc.of('value').map((v) => v[1]), ['prices/btc/usd']);
    assert.deepEqual(all.of('value').map((v) => v[1]), ['prices/btc/usd', 'prices/eth/usd']);
  });

  test('a handler that throws does not stop the others, and is reported', async () => {
    const env = await connected();
    const good = recorder();
    env.client.subscribe('a', { onValue: () => { throw new Error('app bug'); } });
    env.client.subscribe('a', good.handlers);
    env.ws().answer('subscribe');
    env.ws().push({ type: 'subscription', topic: 'a', tid: 1, spec: JSON_SPEC });
    env.ws().push({ type: 'value', tid: 1, seq: 1, value: 1 });
    assert.equal(good.of('value').length, 1);
    assert.equal(env.errors[0].message, 'app bug');
  });

  test('a later subscription to topics already held gets their current value (and recent events) from the client', async () => {
    const env = await connected();
    env.client.subscribe('?x//', {});
    env.ws().answer('subscribe');
    env.ws().push({ type: 'subscription', topic: 'x/v', tid: 1, spec: JSON_SPEC });
    env.ws().push({ type: 'subscription', topic: 'x/ts', tid: 2, spec: { type: 'TIME_SERIES', eventType: 'STRING' } });
    env.ws().push({ type: 'value', tid: 1, seq: 4, value: { v: 4 } });
    env.ws().push({ type: 'event', tid: 2, event: event(8, 'e8') });
    env.ws().push({ type: 'event', tid: 2, event: event(9, 'e9') });
    const late = recorder();
    env.client.subscribe('?x//', late.handlers);
    assert.equal(env.ws().requestsOf('subscribe').length, 1, 'the same selector is not sent twice');
    await flush();
    assert.deepEqual(late.calls, [
      ['subscribed', 'x/v', 'JSON'], ['value', 'x/v', { v: 4 }, 4],
      ['subscribed', 'x/ts', 'TIME_SERIES'], ['event', 'x/ts', 9, 'e9'],
    ]);
  });
});

describe('routing by the selectors the gateway names', () => {
  test('a topic goes to the subscriptions of the selectors its `subscription` names, whatever the client would make of them', async () => {
    const env = await connected();
    const a = recorder();
    const b = recorder();
    env.client.subscribe('?a/', a.handlers);
    env.client.subscribe('?b/', b.handlers);
    env.ws().answer('subscribe');
    env.ws().answer('subscribe');
    // the gateway's word is final: the client matches no selector itself
    env.ws().push({ type: 'subscription', topic: 'z', tid: 1, spec: JSON_SPEC, selectors: ['?b/'] });
    env.ws().push({ type: 'value', tid: 1, seq: 1, value: 'z1' });
    assert.deepEqual(a.calls, []);
    assert.deepEqual(b.calls, [['subscribed', 'z', 'JSON'], ['value', 'z', 'z1', 1]]);
  });

  test('a topic no selector of this client matched (a control client subscribed the session) goes to no subscription', async () => {
    const env = await connected();
    const rec = recorder();
    env.client.subscribe('?a/', rec.handlers);
    env.ws().answer('subscribe');
    env.ws().push({ type: 'subscription', topic: 'ops/x', tid: 1, spec: JSON_SPEC, selectors: ['?ops/'] });
    env.ws().push({ type: 'value', tid: 1, seq: 1, value: 1 });
    assert.deepEqual(rec.calls, []);
    assert.equal(env.errors.length, 0);
  });

  test('a new selector matching topics already subscribed: the `ok`\'s tids give them to it, with what is held', async () => {
    const env = await connected();
    env.client.subscribe('?x//', {});
    env.ws().answer('subscribe');
    env.ws().push({ type: 'subscription', topic: 'x/v', tid: 1, spec: JSON_SPEC });
    env.ws().push({ type: 'subscription', topic: 'x/w', tid: 2, spec: JSON_SPEC });
    env.ws().push({ type: 'value', tid: 1, seq: 4, value: { v: 4 } });
    const late = recorder();
    env.client.subscribe('x/v', late.handlers);
    assert.deepEqual(late.calls, [], 'nothing before the gateway says what it matches');
    env.ws().answer('subscribe', { tids: [1] });
    env.ws().push({ type: 'value', tid: 1, seq: 5, value: { v: 5 } });
    env.ws().push({ type: 'value', tid: 2, seq: 1, value: { w: 1 } });
    assert.deepEqual(late.calls, [['subscribed', 'x/v', 'JSON'], ['value', 'x/v', { v: 4 }, 4], ['value', 'x/v', { v: 5 }, 5]]);
  });

  test('a selector subscribed while disconnected gets the topics held from before once the gateway names it', async () => {
    const env = await connected();
    env.client.subscribe('?x//', {});
    env.ws().answer('subscribe');
    env.ws().push({ type: 'subscription', topic: 'x/v', tid: 1, spec: JSON_SPEC });
    env.ws().push({ type: 'value', tid: 1, seq: 4, value: 4 });
    env.ws().drop(1006);
    const late = recorder();
    env.client.subscribe('>x/v', late.handlers);
    await flush();
    await env.clock.advance(1000);
    env.ws().open();
    await flush();
    env.ws().answer('subscribe', {}, 'ok', { selector: '?x//' });
    env.ws().answer('subscribe', {}, 'ok', { selector: '>x/v' });
    env.ws().push({ type: 'subscription', topic: 'x/v', tid: 3, spec: JSON_SPEC });
    env.ws().push({ type: 'value', tid: 3, seq: 4, value: 4 });
    env.ws().push({ type: 'value', tid: 3, seq: 5, value: 5 });
    assert.deepEqual(late.calls, [['subscribed', 'x/v', 'JSON'], ['value', 'x/v', 4, 4], ['value', 'x/v', 5, 5]]);
  });
});

test('two writings of one path selector (`a/b`, `>a/b`) are one selector: one subscribe, both subscriptions get its topics', async () => {
  const env = await connected();
  const plain = recorder();
  const marked = recorder();
  env.client.subscribe('x/y', plain.handlers);
  const second = env.client.subscribe('>x/y', marked.handlers);
  env.ws().answer('subscribe');
  assert.deepEqual(env.ws().requestsOf('subscribe').map((r) => r.selector), ['x/y']);
  // the gateway lists the selector as first written
  env.ws().push({ type: 'subscription', topic: 'x/y', tid: 1, spec: JSON_SPEC, selectors: ['x/y'] });
  env.ws().push({ type: 'value', tid: 1, seq: 1, value: 1 });
  assert.deepEqual(plain.of('value').length, 1);
  assert.deepEqual(marked.of('value').length, 1);
  await second.close();
  assert.equal(env.ws().requestsOf('unsubscribe').length, 0, 'the other writing still uses it');
});

describe('closing a subscription', () => {
  test('sends unsubscribe; its handlers get nothing more; the topics are forgotten', async () => {
    const env = await connected();
    const rec = recorder();
    const sub = env.client.subscribe('a', rec.handlers);
    env.ws().answer('subscribe');
    env.ws().push({ type: 'subscription', topic: 'a', tid: 1, spec: JSON_SPEC });
    const closing = sub.close();
    assert.equal(sub.closed, true);
    assert.deepEqual(env.ws().pending('unsubscribe').selector, 'a');
    env.ws().answer('unsubscribe');
    env.ws().push({ type: 'unsubscribed', tid: 1, topic: 'a', reason: 'REQUESTED' });
    await closing;
    env.ws().push({ type: 'value', tid: 1, seq: 1, value: 1 });
    assert.deepEqual(rec.calls, [['subscribed', 'a', 'JSON']]);
    // Subscribing again is a fresh start.
    const again = recorder();
    env.client.subscribe('a', again.handlers);
    env.ws().answer('subscribe');
    env.ws().push({ type: 'subscription', topic: 'a', tid: 1, spec: JSON_SPEC });
    env.ws().push({ type: 'value', tid: 1, seq: 2, value: 2 });
    await flush();
    assert.deepEqual(again.calls, [['subscribed', 'a', 'JSON'], ['value', 'a', 2, 2]]);
  });

  test('with another subscription on the same selector, nothing is sent and the other goes on', async () => {
    const env = await connected();
    const one = env.client.subscribe('a', {});
    const two = recorder();
    env.client.subscribe('a', two.handlers);
    env.ws().answer('subscribe');
    await one.close();
    assert.equal(env.ws().requestsOf('unsubscribe').length, 0);
    env.ws().push({ type: 'subscription', topic: 'a', tid: 1, spec: JSON_SPEC });
    env.ws().push({ type: 'value', tid: 1, seq: 1, value: 1 });
    assert.deepEqual(two.of('value').length, 1);
  });

  test('overlapping selectors: the gateway unsubscribes shared topics too, so the client subscribes the other selector again, with since', async () => {
    const env = await connected();
    const wide = recorder();
    const narrow = env.client.subscribe('chat/lobby', {});
    env.client.subscribe('?chat/', wide.handlers);
    env.ws().answer('subscribe');
    env.ws().answer('subscribe');
    const TS = { type: 'TIME_SERIES', eventType: 'JSON' };
    env.ws().push({ type: 'subscription', topic: 'chat/lobby', tid: 1, spec: TS });
    env.ws().push({ type: 'event', tid: 1, event: event(41, 'a') });
    env.ws().push({ type: 'event', tid: 1, event: event(42, 'b') });
    narrow.close();
    assert.deepEqual(env.ws().requests.slice(-2).map(({ id, ...r }) => r), [
      { op: 'unsubscribe', selector: 'chat/lobby' },
      { op: 'subscribe', selector: '?chat/', since: { 'chat/lobby': 42 } },
    ]);
    // What the gateway does: unsubscribe, then subscribe again from seq 42.
    env.ws().answer('unsubscribe');
    env.ws().push({ type: 'unsubscribed', tid: 1, topic: 'chat/lobby', reason: 'REQUESTED' });
    env.ws().answer('subscribe');
    env.ws().push({ type: 'subscription', topic: 'chat/lobby', tid: 1, spec: TS });
    env.ws().push({ type: 'event', tid: 1, event: event(43, 'c') });
    assert.deepEqual(wide.calls.map((c) => c.slice(0, 3)), [
      ['subscribed', 'chat/lobby', 'TIME_SERIES'], ['event', 'chat/lobby', 41], ['event', 'chat/lobby', 42], ['event', 'chat/lobby', 43],
    ]);
  });

  test('an unexpected REQUESTED unsubscription of a topic still wanted is repaired by subscribing again', async () => {
    const env = await connected();
    const rec = recorder();
    env.client.subscribe('?t/', rec.handlers);
    env.ws().answer('subscribe');
    env.ws().push({ type: 'subscription', topic: 't/1', tid: 1, spec: JSON_SPEC });
    env.ws().push({ type: 'unsubscribed', tid: 1, topic: 't/1', reason: 'REQUESTED' });
    assert.deepEqual(env.ws().pending('subscribe').selector, '?t/');
    assert.equal(rec.of('unsubscribed').length, 0);
  });
});

describe('unsubscribed by the gateway', () => {
  for (const reason of ['REMOVED', 'PERMISSION_DENIED', 'CONFLATED_AWAY']) {
    test(`${reason} goes to onUnsubscribed`, async () => {
      const env = await connected();
      const rec = recorder();
      env.client.subscribe('?t/', rec.handlers);
      env.ws().answer('subscribe');
      env.ws().push({ type: 'subscription', topic: 't/1', tid: 1, spec: JSON_SPEC });
      env.ws().push({ type: 'unsubscribed', tid: 1, reason }); // `topic` is an extension: the tid is enough
      assert.deepEqual(rec.of('unsubscribed'), [['unsubscribed', 't/1', reason]]);
    });
  }
});

describe('subscribe errors', () => {
  test('a selector the gateway refuses rejects `ready`, goes to onError, and is not sent again', async () => {
    const env = await connected();
    const rec = recorder();
    const sub = env.client.subscribe('?a/(?=b)', rec.handlers);
    env.ws().answer('subscribe', { code: 'INVALID', message: 'lookahead is not supported (RE2 syntax)' }, 'error');
    await assert.rejects(sub.ready, { code: 'INVALID', op: 'subscribe' });
    assert.deepEqual(rec.of('error'), [['error', 'INVALID']]);
    assert.equal(sub.closed, true);
    env.ws().drop(1006);
    await env.clock.advance(1000);
    env.ws().open();
    assert.equal(env.ws().requestsOf('subscribe').length, 0);
  });

  test('what is not a selector at all throws at once', async () => {
    const env = await connected();
    assert.throws(() => env.client.subscribe(''), TypeError);
  });
});
