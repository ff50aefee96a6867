// The contract's test vectors (protocol/src/main/resources/io/pushgate/protocol/vectors, run by
// the Java tests too), run against the browser library: the names it uses, the messages it
// writes and how it reads those it receives, the errors, the close codes, the deltas, and the
// selector cases (which the library no longer matches, but the fake gateway of these tests does).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { applyDelta, applyTextDelta } from '../../src/main/resources/META-INF/resources/lib/fossil.js';
import { applyPatch } from '../../src/main/resources/META-INF/resources/lib/jsonpatch.js';
import { MessageType, Op, UnsubscribedReason } from '../../src/main/resources/META-INF/resources/lib/protocol.js';
import { isReconnectCode, PushgateError } from '../../src/main/resources/META-INF/resources/lib/pushgate.js';
import { parseSelector } from '../support/selector.js';
import { connected, flush, javaStringConstants, recorder, vectors } from '../support/helpers.mjs';

const messages = vectors('messages');
const deltas = vectors('deltas').cases;
const withoutId = ({ id, ...rest }) => rest;
const utf8 = new TextEncoder();

describe('the names of the contract', () => {
  test('lib/protocol.js mirrors the protocol module\'s MessageType, Op and UnsubscribedReason', () => {
    assert.deepEqual({ ...MessageType }, javaStringConstants('MessageType'));
    assert.deepEqual({ ...Op }, javaStringConstants('Op'));
    assert.deepEqual({ ...UnsubscribedReason }, javaStringConstants('UnsubscribedReason'));
  });

  test('every message of the vectors has one of those names', () => {
    for (const v of messages.toClient) assert.ok(Object.values(MessageType).includes(JSON.parse(v.json).type), v.name);
    for (const v of messages.toGateway) assert.ok(Object.values(Op).includes(JSON.parse(v.json).op), v.name);
  });
});

/** A request whose reply the test does not give: its rejection (when the client closes) is expected. */
const unanswered = (promise) => void promise.catch(() => {});

/** Makes the client send the message of a toGateway vector; false when the client has no way to send it. */
const encoders = {
  'ClientMessage.Auth': (env, d) => unanswered(env.client.auth(d.token)),
  'ClientMessage.Subscribe': async (env, d) => {
    if (!d.since) {
      env.client.subscribe(d.selector);
      return;
    }
    // `since` is what a reconnection sends for the time series held: get there
    const [path, seq] = Object.entries(d.since)[0];
    env.client.subscribe(d.selector, {});
    env.ws().answer('subscribe');
    env.ws().push({ type: 'subscription', topic: path, tid: 1, spec: { type: 'TIME_SERIES', eventType: 'JSON' } });
    env.ws().push({ type: 'event', tid: 1, event: { seq, time: '2026-01-01T00:00:00Z', author: 'a', value: 1 } });
    env.ws().drop(1006);
    await env.clock.advance(1000);
    env.ws().open();
  },
  'ClientMessage.Unsubscribe': (env, d) => {
    const sub = env.client.subscribe(d.selector, {});
    env.ws().answer('subscribe');
    unanswered(sub.close());
  },
  'ClientMessage.Fetch': (env, d) => unanswered(env.client.fetch(d.selector, d.withValues === undefined ? {} : { withValues: d.withValues })),
  'ClientMessage.Add': (env, d) => unanswered(env.client.add(d.topic, d.spec)),
  'ClientMessage.Set': (env, d) => unanswered(env.client.set(d.topic, d.value, { spec: d.spec, ifSeq: d.ifSeq })),
  'ClientMessage.Append': (env, d) => unanswered(env.client.append(d.topic, d.value)),
  'ClientMessage.Edit': (env, d) => unanswered(env.client.edit(d.topic, d.seq, d.value)),
  'ClientMessage.Range': (env, { id, topic, ...query }) => unanswered(env.client.range(topic, query)),
  'ClientMessage.Remove': (env, d) => unanswered(env.client.remove(d.selector)),
  'ClientMessage.Ping': (env) => unanswered(env.client.ping()),
  'ClientMessage.Other': (env, d) => (d.op === Op.LIST_SESSIONS ? unanswered(env.client.listSessions(d.json.filter)) : false),
};

describe('messages.json, to the gateway: what the client writes', () => {
  for (const v of messages.toGateway) {
    test(v.name, async () => {
      const env = await connected();
      const encode = encoders[v.record];
      // Every vector must be covered: a new message the client cannot write fails here, not skips.
      assert.ok(encode, `the client has no request for ${v.record}`);
      assert.notEqual(await encode(env, v.decoded), false, `the client sends no such op: ${v.decoded.op}`);
      await flush();
      const expected = JSON.parse(v.json);
      const frames = env.ws().requestsOf(expected.op);
      assert.ok(frames.length > 0, `no ${expected.op} sent`);
      // ids are the client's own (numbers, counted from 1); the rest is field for field the vector
      assert.deepEqual(withoutId(frames[frames.length - 1]), withoutId(expected));
      env.client.close();
      return undefined;
    });
  }
});

/** The vector's frame, answering the request the client sent last (its id instead of the vector's). */
function asReplyTo(env, v) {
  const message = JSON.parse(v.json);
  if ('id' in message) message.id = env.ws().requests[env.ws().requests.length - 1].id;
  return message;
}

/** A topic with this tid subscribed for a selector; the recorder of that subscription. */
function subscribedTopic(env, { tid, topic = `t/${tid}`, spec }) {
  const rec = recorder();
  env.client.subscribe(`>${topic}`, rec.handlers);
  env.ws().answer('subscribe');
  env.ws().push({ type: 'subscription', topic, tid, spec });
  return rec;
}

const TS = { type: 'TIME_SERIES', eventType: 'JSON' };

/** Checks that the client reads a toClient vector as its decoded fields say. */
const decoders = {
  'ServerMessage.Ok': async (env, v) => {
    const reply = env.client.fetch('>x');
    const message = asReplyTo(env, v);
    env.ws().push(message);
    assert.deepEqual(await reply, { type: 'ok', id: message.id, ...v.decoded.fields });
  },
  'ServerMessage.Error': async (env, v) => {
    const d = v.decoded;
    if (d.id === undefined) {
      env.ws().push(v.json);
      assert.equal(env.errors.length, 1);
      assert.ok(env.errors[0] instanceof PushgateError);
      assert.deepEqual([env.errors[0].code, env.errors[0].message], [d.code, d.message]);
      return;
    }
    const reply = env.client.fetch('>x');
    env.ws().push(asReplyTo(env, v));
    await assert.rejects(reply, (e) => e instanceof PushgateError && e.code === d.code && e.message === d.message
      && e.reason === d.reason && e.op === 'fetch');
  },
  'ServerMessage.Subscription': async (env, v) => {
    const d = v.decoded;
    const named = (d.selectors ?? []).map((s) => [s, recorder()]);
    const other = recorder();
    for (const [selector, rec] of named) env.client.subscribe(selector, rec.handlers);
    env.client.subscribe('>not/this/one', other.handlers);
    for (let i = 0; i <= named.length; i++) env.ws().answer('subscribe', { tids: [] });
    env.ws().push(v.json);
    for (const [, rec] of named) assert.deepEqual(rec.calls, [['subscribed', d.topic, d.spec.type]]);
    assert.deepEqual(other.calls, [], 'a subscription whose selector the gateway did not name gets nothing');
  },
  'ServerMessage.Value': async (env, v) => {
    const d = v.decoded;
    const spec = { type: typeof d.value === 'string' ? 'STRING' : 'JSON' };
    const rec = subscribedTopic(env, { tid: d.tid, spec });
    env.ws().push(v.json);
    const value = d.text !== undefined ? JSON.parse(d.text) : d.value;
    assert.deepEqual(rec.of('value').map((c) => [c[2], c[3]]), [[value, d.seq]]);
  },
  'ServerMessage.Event': async (env, v) => {
    const d = v.decoded;
    const events = [];
    env.client.subscribe('>t/ts', { onEvent: (topic, e) => events.push(e) });
    env.ws().answer('subscribe');
    env.ws().push({ type: 'subscription', topic: 't/ts', tid: d.tid, spec: TS });
    env.ws().push(v.json);
    assert.deepEqual(events, [d.event]);
  },
  'ServerMessage.Gap': async (env, v) => {
    const d = v.decoded;
    const rec = subscribedTopic(env, { tid: d.tid, topic: d.topic, spec: TS });
    env.ws().push(v.json);
    assert.deepEqual(rec.of('gap'), [['gap', d.topic, d.from, d.to, d.reason]]);
  },
  'ServerMessage.Unsubscribed': async (env, v) => {
    const d = v.decoded;
    const rec = subscribedTopic(env, { tid: d.tid, topic: d.topic, spec: { type: 'JSON' } });
    env.ws().push(v.json);
    if (d.reason === UnsubscribedReason.REQUESTED) {
      // not asked for by this client, whose subscription still wants the topic: subscribed again
      assert.equal(env.ws().pending('subscribe')?.selector, `>${d.topic}`);
      assert.deepEqual(rec.of('unsubscribed'), []);
    } else {
      assert.deepEqual(rec.of('unsubscribed'), [['unsubscribed', d.topic, d.reason]]);
    }
  },
  'ServerMessage.Pong': async (env, v) => {
    if (v.decoded.id === undefined) {
      env.ws().push(v.json);
      assert.equal(env.client.stats().messagesByType.pong, 1);
      assert.equal(env.errors.length, 0);
      return;
    }
    const reply = env.client.ping();
    env.ws().push(asReplyTo(env, v));
    assert.equal((await reply).type, MessageType.PONG);
  },
  'ServerMessage.FetchReply': async (env, v) => {
    const reply = env.client.fetch('?x');
    env.ws().push(asReplyTo(env, v));
    assert.deepEqual((await reply).results, v.decoded.results);
  },
  'ServerMessage.RangeReply': async (env, v) => {
    const reply = env.client.range('chat/lobby', { fromLast: 2 });
    env.ws().push(asReplyTo(env, v));
    const { topic, events } = await reply;
    assert.deepEqual({ topic, events }, { topic: v.decoded.topic, events: v.decoded.events });
  },
  'ServerMessage.Other': async (env, v) => {
    const reply = env.client.listSessions();
    const message = asReplyTo(env, v);
    env.ws().push(message);
    assert.deepEqual(await reply, { ...v.decoded.json, id: message.id });
  },
};

describe('messages.json, from the gateway: how the client reads them', () => {
  for (const v of messages.toClient) {
    if (v.record === 'ServerMessage.Delta') continue; // below, with deltas.json
    test(v.name, async () => {
      const decode = decoders[v.record];
      assert.ok(decode, `no reading of ${v.record} checked`);
      const env = await connected();
      await decode(env, v);
      assert.equal(env.client.stats().messagesByType['(invalid)'], undefined);
      env.client.close();
      return undefined;
    });
  }

  for (const v of messages.toClient.filter((m) => m.record === 'ServerMessage.Delta')) {
    test(v.name, async () => {
      const d = v.decoded;
      const fossil = d.delta !== undefined;
      // what it applies to: the vectors' value of the same tid at the seq before, or a deltas.json case
      const base = messages.toClient.find((m) => m.record === 'ServerMessage.Value' && m.decoded.tid === d.tid
        && m.decoded.seq === d.seq - 1 && (fossil ? m.decoded.text !== undefined : m.decoded.value !== undefined));
      const source = deltas.find((c) => (fossil ? c.fossil === d.delta : JSON.stringify(c.jsonPatch) === JSON.stringify(d.patch)));
      assert.ok(base || source, 'no vector gives the value this delta applies to');
      const old = base ? (fossil ? JSON.parse(base.decoded.text) : base.decoded.value) : source.old;
      const expected = source ? source.new : applyPatch(old, d.patch);
      const env = await connected({ delta: fossil ? 'fossil' : 'json-patch' });
      const rec = subscribedTopic(env, { tid: d.tid, spec: { type: source?.type ?? 'JSON' } });
      env.ws().push(base ? base.json : { type: 'value', tid: d.tid, seq: d.seq - 1, ...(fossil ? { text: source.oldText } : { value: source.old }) });
      env.ws().push(v.json);
      assert.deepEqual(rec.of('value').map((c) => [c[2], c[3]]), [[old, d.seq - 1], [expected, d.seq]]);
      assert.equal(env.client.stats().resyncs, 0);
      env.client.close();
      return undefined;
    });
  }
});

describe('errors.json: each error code rejects the request with its code and message', () => {
  for (const c of vectors('errors').cases) {
    test(c.code, async () => {
      const env = await connected();
      const example = JSON.parse(c.example);
      const reply = env.client.fetch('>x');
      env.ws().push({ ...example, id: env.ws().pending('fetch').id });
      await assert.rejects(reply, (e) => e instanceof PushgateError && e.code === c.code && e.message === example.message);
      env.client.close();
    });
  }
});

describe('close-codes.json: whether the client reconnects by itself', () => {
  for (const c of vectors('close-codes').cases) {
    test(`${c.code} ${c.name ?? ''}: ${c.shouldReconnect ? 'reconnects' : 'stays closed'}`, async () => {
      assert.equal(isReconnectCode(c.code), c.shouldReconnect);
      const env = await connected();
      env.ws().drop(c.code, 'vector');
      assert.equal(env.client.state, c.shouldReconnect ? 'reconnecting' : 'closed');
      env.client.close();
    });
  }
});

describe('deltas.json: each delta gives the new value', () => {
  for (const c of deltas) {
    test(`${c.name}: fossil.js${c.jsonPatch ? ' and jsonpatch.js' : ''}`, () => {
      assert.equal(applyTextDelta(c.oldText, c.fossil), c.newText);
      const bytes = new Uint8Array(Buffer.from(c.fossilBase64, 'base64'));
      assert.deepEqual(applyDelta(utf8.encode(c.oldText), bytes), utf8.encode(c.newText));
      if (c.jsonPatch) assert.deepEqual(applyPatch(c.old, c.jsonPatch), c.new);
      assert.deepEqual(c.type === 'JSON' ? JSON.parse(c.newText) : c.newText, c.new);
    });

    for (const mode of c.jsonPatch ? ['json-patch', 'fossil'] : ['fossil']) {
      test(`${c.name}: through the client (${mode})`, async () => {
        const env = await connected({ delta: mode });
        const rec = subscribedTopic(env, { tid: 1, spec: { type: c.type } });
        env.ws().push({ type: 'value', tid: 1, seq: 1, value: c.old });
        env.ws().push(mode === 'fossil' ? { type: 'delta', tid: 1, seq: 2, delta: c.fossil } : { type: 'delta', tid: 1, seq: 2, patch: c.jsonPatch });
        assert.deepEqual(rec.of('value').map((v) => v[2]), [c.old, c.new]);
        assert.equal(env.client.stats().resyncs, 0);
        env.client.close();
      });
    }
  }
});

describe('selectors.json: the fake gateway of these tests matches as the gateway does', () => {
  for (const c of vectors('selectors').cases) {
    test(`${c.selector} ${c.matches ? 'matches' : 'does not match'} ${c.path}`, () => {
      assert.equal(parseSelector(c.selector).matches(c.path), c.matches, c.why);
    });
  }
});
