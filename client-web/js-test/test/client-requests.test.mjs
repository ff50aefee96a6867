// Requests and replies: ids, errors, queueing, credentials, disconnects.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { connect, PushgateError } from '../../src/main/resources/META-INF/resources/lib/pushgate.js';
import { connected, fakeWebSocketClass, flush, setup } from '../support/helpers.mjs';

describe('connecting', () => {
  test('the token goes in ?access_token=, the delta format in ?delta=, other parameters stay', async () => {
    const { ws, client } = setup({ url: 'wss://gw.test/v1/ws?tenant=a', token: 'jwt.abc', delta: 'fossil' });
    assert.equal(ws().params.get('access_token'), 'jwt.abc');
    assert.equal(ws().params.get('delta'), 'fossil');
    assert.equal(ws().params.get('tenant'), 'a');
    assert.ok(ws().url.startsWith('wss://gw.test/v1/ws?'));
    client.close();
  });

  test('anonymous: no access_token; json-patch by default; http(s) URLs become ws(s)', () => {
    const { ws, client } = setup({ url: 'https://gw.test/v1/ws' });
    assert.equal(ws().params.has('access_token'), false);
    assert.equal(ws().params.get('delta'), 'json-patch');
    assert.ok(ws().url.startsWith('wss://gw.test/v1/ws'));
    client.close();
  });

  test('a URL relative to the page', () => {
    globalThis.location = { href: 'http://app.test/chat/index.html' };
    try {
      const { ws, client } = setup({ url: '/v1/ws' });
      assert.ok(ws().url.startsWith('ws://app.test/v1/ws?'));
      client.close();
    } finally {
      delete globalThis.location;
    }
  });

  test('bad options are refused at once', () => {
    const WS = fakeWebSocketClass();
    assert.throws(() => connect({ url: 'ws://x', delta: 'xdelta', WebSocketImpl: WS }), TypeError);
    assert.throws(() => connect({ WebSocketImpl: WS }), TypeError);
    assert.throws(() => connect({ url: 'ftp://x', WebSocketImpl: WS }), TypeError);
  });

  test('states: connecting, then open', async () => {
    const { ws, states, client } = setup();
    await flush();
    assert.deepEqual(states.map((s) => s.state), ['connecting']);
    ws().open();
    assert.deepEqual(states.map((s) => s.state), ['connecting', 'open']);
    assert.equal(client.state, 'open');
  });

  test('a token provider is asked before each connection; auth() sends the new token and keeps it for reconnections', async () => {
    let n = 0;
    const { ws, client, clock } = setup({ tokenProvider: async () => `token-${++n}` });
    await flush();
    assert.equal(ws().params.get('access_token'), 'token-1');
    ws().open();
    ws().drop(1006);
    await clock.advance(1000);
    assert.equal(ws().params.get('access_token'), 'token-2');
    ws().open();

    const { ws: ws2, client: client2, clock: clock2 } = await connected({ token: 'old' });
    const auth = client2.auth('fresh');
    assert.deepEqual(ws2().pending('auth'), { op: 'auth', token: 'fresh', id: ws2().pending('auth').id });
    ws2().answer('auth');
    await auth;
    ws2().drop(1012);
    await clock2.advance(1000);
    assert.equal(ws2().params.get('access_token'), 'fresh');
    client.close();
    client2.close();
  });
});

describe('requests and replies', () => {
  test('every op sends its frame with a fresh id and resolves with the reply carrying that id', async () => {
    const { ws, client } = await connected();
    const calls = {
      fetch: client.fetch('?prices//', { withValues: false }),
      add: client.add('prices/btc', { type: 'JSON' }),
      set: client.set('prices/btc', { p: 1 }, { ifSeq: 4 }),
      append: client.append('chat/lobby', { text: 'hi' }),
      edit: client.edit('chat/lobby', 7, { text: 'hi!' }),
      range: client.range('chat/lobby', { fromTime: new Date(Date.UTC(2026, 0, 1)), to: 9, limit: 5, view: 'edits' }),
      remove: client.remove('?prices//'),
      ping: client.ping(),
    };
    const requests = ws().requests;
    assert.deepEqual(requests.map((r) => r.op), Object.keys(calls));
    assert.equal(new Set(requests.map((r) => r.id)).size, requests.length, 'ids are unique');
    assert.deepEqual(requests.map(({ id, ...rest }) => rest), [
      { op: 'fetch', selector: '?prices//', withValues: false },
      { op: 'add', topic: 'prices/btc', spec: { type: 'JSON' } },
      { op: 'set', topic: 'prices/btc', value: { p: 1 }, ifSeq: 4 },
      { op: 'append', topic: 'chat/lobby', value: { text: 'hi' } },
      { op: 'edit', topic: 'chat/lobby', seq: 7, value: { text: 'hi!' } },
      { op: 'range', topic: 'chat/lobby', fromTime: '2026-01-01T00:00:00.000Z', to: 9, limit: 5, view: 'edits' },
      { op: 'remove', selector: '?prices//' },
      { op: 'ping' },
    ]);
    // Replies in another order than the requests: each goes to its own request.
    ws().answer('ping', {}, 'pong');
    ws().answer('remove', { removed: 2 });
    ws().answer('range', { topic: 'chat/lobby', events: [] }, 'range');
    ws().answer('edit', { seq: 9 });
    ws().answer('append', { seq: 8 });
    ws().answer('set', { seq: 5 });
    ws().answer('add', { result: 'CREATED' });
    ws().answer('fetch', { results: [{ topic: 'prices/btc', spec: { type: 'JSON' }, seq: 5 }] }, 'fetch');
    assert.equal((await calls.fetch).results[0].seq, 5);
    assert.equal((await calls.add).result, 'CREATED');
    assert.equal((await calls.set).seq, 5);
    assert.equal((await calls.append).seq, 8);
    assert.equal((await calls.edit).seq, 9);
    assert.deepEqual((await calls.range).events, []);
    assert.equal((await calls.remove).removed, 2);
    assert.equal((await calls.ping).type, 'pong');
  });

  test('set with spec is add-and-set; fetch without options leaves withValues to the gateway default', async () => {
    const { ws, client } = await connected();
    client.set('a', 'x', { spec: 'STRING' }).catch(() => {});
    client.fetch('a').catch(() => {});
    assert.deepEqual(ws().requests.map(({ id, ...r }) => r), [
      { op: 'set', topic: 'a', value: 'x', spec: 'STRING' },
      { op: 'fetch', selector: 'a' },
    ]);
    client.close();
  });

  test('an error reply rejects with a PushgateError carrying the code, the message and the op', async () => {
    const { ws, client } = await connected();
    const set = client.set('prices/btc', 1, { ifSeq: 3 });
    ws().answer('set', { code: 'CONFLICT', message: 'the topic is at seq 4' }, 'error');
    await assert.rejects(set, (e) => e instanceof PushgateError && e.code === 'CONFLICT'
      && e.message === 'the topic is at seq 4' && e.op === 'set' && e.reply.type === 'error');
    const add = client.add('bad//path', 'JSON');
    ws().answer('add', { code: 'INVALID', message: 'bad path' }, 'error');
    await assert.rejects(add, { code: 'INVALID' });
  });

  test('an error without an id (a frame the gateway could not read) goes to onError', async () => {
    const { ws, errors } = await connected();
    ws().push({ type: 'error', code: 'TOO_LARGE', message: 'frame larger than 1048576 bytes' });
    assert.equal(errors.length, 1);
    assert.equal(errors[0].code, 'TOO_LARGE');
  });

  test('requests made before the connection opens are sent once it does', async () => {
    const { ws, client } = setup();
    const ping = client.ping();
    const fetch = client.fetch('a');
    await flush();
    assert.equal(ws().sent.length, 0);
    ws().open();
    assert.deepEqual(ws().requests.map((r) => r.op), ['ping', 'fetch']);
    ws().answer('ping', {}, 'pong');
    ws().answer('fetch', { results: [] }, 'fetch');
    await ping;
    await fetch;
  });

  test('in-flight requests reject with UNAVAILABLE on a disconnect; later ones wait for the reconnection', async () => {
    const { ws, client, clock } = await connected();
    const set = client.set('a', 1);
    const append = client.append('chat', 'x');
    ws().drop(1006);
    await assert.rejects(set, (e) => e.code === 'UNAVAILABLE' && e.op === 'set' && e.closeCode === 1006);
    await assert.rejects(append, { code: 'UNAVAILABLE' });
    const later = client.set('a', 2);
    await clock.advance(1000);
    ws().open();
    assert.deepEqual(ws().requests.map(({ id, ...r }) => r), [{ op: 'set', topic: 'a', value: 2 }]);
    ws().answer('set', { seq: 2 });
    assert.equal((await later).seq, 2);
  });

  test('close() rejects what is pending and queued, and nothing reconnects', async () => {
    const { ws, client, clock, states } = await connected();
    const inflight = client.ping();
    client.close();
    await assert.rejects(inflight, { code: 'UNAVAILABLE' });
    await assert.rejects(client.ping(), { code: 'UNAVAILABLE' });
    assert.equal(client.state, 'closed');
    assert.equal(ws().closedByClient.code, 1000);
    const sockets = ws();
    await clock.advance(60000);
    assert.equal(ws(), sockets);
    assert.deepEqual(states.map((s) => s.state), ['connecting', 'open', 'closed']);
  });

  test('requestTimeoutMs: no reply in time rejects with TIMEOUT', async () => {
    const { ws, client, clock } = await connected({ requestTimeoutMs: 5000 });
    const ping = assert.rejects(client.ping(), { code: 'TIMEOUT' });
    await clock.advance(4999);
    const answered = client.ping();
    await clock.advance(1);
    await ping;
    ws().answer('ping', {}, 'pong', { id: ws().requests[1].id });
    await answered;
  });

  test('a reply for an unknown id is ignored; a frame that is not JSON is reported', async () => {
    const { ws, errors } = await connected();
    ws().push({ type: 'ok', id: 999 });
    ws().push('not json');
    assert.equal(errors.length, 1);
    assert.equal(errors[0].code, 'INVALID');
  });
});
