// Time series: events once each and in order, gaps, recovery with `since` after reconnecting.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { connected, event, flush, recorder } from '../support/helpers.mjs';

const TS = { type: 'TIME_SERIES', eventType: 'JSON', properties: { TIME_SERIES_SUBSCRIPTION_RANGE: 'limit 3' } };

async function chat(options = {}) {
  const env = await connected(options);
  const rec = recorder();
  const sub = env.client.subscribe('?chat/', rec.handlers);
  env.ws().answer('subscribe', {}, 'ok', { selector: '?chat/' });
  env.ws().push({ type: 'subscription', topic: 'chat/lobby', tid: 7, spec: TS });
  await sub.ready;
  return { ...env, rec, sub };
}

describe('time series events', () => {
  test('events go to onEvent, once each: a seq already delivered is dropped', async () => {
    const { ws, rec, client } = await chat();
    for (const seq of [4, 5, 5, 3, 6]) ws().push({ type: 'event', tid: 7, event: event(seq, { text: `m${seq}` }) });
    assert.deepEqual(rec.of('event'), [
      ['event', 'chat/lobby', 4, { text: 'm4' }], ['event', 'chat/lobby', 5, { text: 'm5' }], ['event', 'chat/lobby', 6, { text: 'm6' }],
    ]);
    assert.equal(client.stats().duplicateEvents, 2);
    assert.equal(rec.of('gap').length, 0);
  });

  test('an edit is an event of its own, with editOf', async () => {
    const { ws, client } = await chat();
    const events = [];
    client.subscribe('chat/lobby', { onEvent: (topic, e) => events.push(e) });
    ws().answer('subscribe');
    ws().push({ type: 'event', tid: 7, event: event(1, { text: 'helo' }) });
    ws().push({ type: 'event', tid: 7, event: event(2, { text: 'hello' }, { editOf: 1 }) });
    assert.deepEqual(events.map((e) => [e.seq, e.editOf]), [[1, undefined], [2, 1]]);
  });

  test('without onEvent, the event values go to onValue', async () => {
    const { ws, client } = await chat();
    const values = [];
    client.subscribe('chat/lobby', { onValue: (topic, value, seq) => values.push([value, seq]) });
    ws().answer('subscribe'); // its `tids` say that chat/lobby, already subscribed, matches it too
    ws().push({ type: 'event', tid: 7, event: event(1, 'hi') });
    assert.deepEqual(values, [['hi', 1]]);
  });

  test('a `gap` message (events no longer retained) goes to onGap, and is not reported twice', async () => {
    const { ws, rec } = await chat();
    ws().push({ type: 'event', tid: 7, event: event(10, 'a') });
    ws().push({ type: 'gap', tid: 7, topic: 'chat/lobby', from: 11, to: 14, reason: 'NOT_RETAINED' });
    ws().push({ type: 'event', tid: 7, event: event(15, 'b') });
    assert.deepEqual(rec.calls.filter((c) => c[0] !== 'subscribed'), [
      ['event', 'chat/lobby', 10, 'a'], ['gap', 'chat/lobby', 11, 14, 'NOT_RETAINED'], ['event', 'chat/lobby', 15, 'b'],
    ]);
  });

  test('events skipped without a `gap` message are reported as a gap too (MISSED)', async () => {
    const { ws, rec } = await chat();
    ws().push({ type: 'event', tid: 7, event: event(10, 'a') });
    ws().push({ type: 'event', tid: 7, event: event(13, 'b') });
    assert.deepEqual(rec.of('gap'), [['gap', 'chat/lobby', 11, 12, 'MISSED']]);
  });
});

describe('recovery after a reconnection', () => {
  test('subscribes again with since: {topic: lastSeq}; recovered events come once, none twice, none lost', async () => {
    const { ws, rec, clock, client } = await chat();
    for (const seq of [1, 2, 3]) ws().push({ type: 'event', tid: 7, event: event(seq, `m${seq}`) });
    ws().drop(1006);
    await clock.advance(1000);
    const ws2 = ws();
    ws2.open();
    const resubscribe = ws2.pending('subscribe');
    assert.deepEqual({ ...resubscribe, id: 0 }, { op: 'subscribe', selector: '?chat/', since: { 'chat/lobby': 3 }, id: 0 });
    ws2.answer('subscribe');
    ws2.push({ type: 'subscription', topic: 'chat/lobby', tid: 70, spec: TS }); // another gateway: another tid
    // A gateway that also sends what the client had (the last 3, say) and then what it missed.
    for (const seq of [2, 3, 4, 5]) ws2.push({ type: 'event', tid: 70, event: event(seq, `m${seq}`) });
    ws2.answerPings();
    await flush();
    ws2.push({ type: 'event', tid: 70, event: event(6, 'm6') });
    assert.deepEqual(rec.of('event').map((e) => e[2]), [1, 2, 3, 4, 5, 6]);
    assert.equal(rec.of('gap').length, 0);
    assert.equal(rec.of('unsubscribed').length, 0);
    assert.deepEqual(rec.of('subscribed').length, 1, 'onSubscribed once, not again after reconnecting');
    assert.equal(client.stats().duplicateEvents, 2);
  });

  test('events no longer retained: the gateway says so with `gap`, and the app hears of it', async () => {
    const { ws, rec, clock } = await chat();
    ws().push({ type: 'event', tid: 7, event: event(20, 'x') });
    ws().drop(4001, 'slow consumer');
    await clock.advance(1000);
    ws().open();
    assert.deepEqual(ws().pending('subscribe').since, { 'chat/lobby': 20 });
    ws().answer('subscribe');
    ws().push({ type: 'subscription', topic: 'chat/lobby', tid: 7, spec: TS });
    ws().push({ type: 'gap', tid: 7, topic: 'chat/lobby', from: 21, to: 30, reason: 'NOT_RETAINED' });
    ws().push({ type: 'event', tid: 7, event: event(31, 'y') });
    assert.deepEqual(rec.calls.filter((c) => c[0] === 'gap' || c[0] === 'event'), [
      ['event', 'chat/lobby', 20, 'x'], ['gap', 'chat/lobby', 21, 30, 'NOT_RETAINED'], ['event', 'chat/lobby', 31, 'y'],
    ]);
  });

  test('a time series that had no event yet is recovered from 0: messages posted while disconnected are not lost', async () => {
    const { ws, rec, clock } = await chat();
    ws().drop(1006);
    await clock.advance(1000);
    ws().open();
    assert.deepEqual(ws().pending('subscribe').since, { 'chat/lobby': 0 });
    ws().answer('subscribe');
    ws().push({ type: 'subscription', topic: 'chat/lobby', tid: 7, spec: TS });
    ws().push({ type: 'event', tid: 7, event: event(1, 'first') });
    assert.deepEqual(rec.of('event').map((e) => e[2]), [1]);
  });

  test('since holds only time series, only for the selector that matches them', async () => {
    const env = await connected();
    const ts = recorder();
    const other = recorder();
    env.client.subscribe('?chat/', ts.handlers);
    env.client.subscribe('prices/btc', other.handlers);
    env.ws().answer('subscribe', {}, 'ok', { selector: '?chat/' });
    env.ws().answer('subscribe', {}, 'ok', { selector: 'prices/btc' });
    env.ws().push({ type: 'subscription', topic: 'chat/a', tid: 1, spec: TS });
    env.ws().push({ type: 'subscription', topic: 'chat/b', tid: 2, spec: TS });
    env.ws().push({ type: 'subscription', topic: 'prices/btc', tid: 3, spec: { type: 'JSON' } });
    env.ws().push({ type: 'event', tid: 1, event: event(5, 'a') });
    env.ws().push({ type: 'event', tid: 2, event: event(9, 'b') });
    env.ws().push({ type: 'value', tid: 3, seq: 4, value: { p: 1 } });
    env.ws().drop(1001);
    await env.clock.advance(1000);
    env.ws().open();
    assert.deepEqual(env.ws().requestsOf('subscribe').map(({ id, ...r }) => r), [
      { op: 'subscribe', selector: '?chat/', since: { 'chat/a': 5, 'chat/b': 9 } },
      { op: 'subscribe', selector: 'prices/btc' },
    ]);
  });
});
