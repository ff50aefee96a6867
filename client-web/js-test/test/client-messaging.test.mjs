// Request/response messaging (an extension): sending requests, handlers and request streams, reasons of failures.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { PushgateError } from '../../src/main/resources/META-INF/resources/lib/pushgate.js';
import { connected, flush } from '../support/helpers.mjs';

describe('sending requests', () => {
  test('sendRequest sends path, request and timeout, and resolves with the response', async () => {
    const { ws, client } = await connected();
    const answer = client.sendRequest('svc/prices', { sku: 'A1' }, { timeoutMs: 2500 });
    const sent = ws().pending('sendRequest');
    assert.deepEqual(sent, { op: 'sendRequest', path: 'svc/prices', request: { sku: 'A1' }, timeout: 2500, id: sent.id });
    ws().answer('sendRequest', { path: 'svc/prices', response: { price: 12.5 } }, 'response');
    assert.deepEqual(await answer, { price: 12.5 });
    client.close();
  });

  test('a failure carries the gateway code and its reason', async () => {
    const { ws, client } = await connected();
    const answer = client.sendRequest('svc/none', 1);
    ws().answer('sendRequest', { code: 'NOT_FOUND', reason: 'NO_HANDLER', message: 'no handler for svc/none' }, 'error');
    await assert.rejects(answer, (error) => error instanceof PushgateError && error.code === 'NOT_FOUND' && error.reason === 'NO_HANDLER');
    client.close();
  });

  test('the client waits longer than the request timeout so that the gateway TIMEOUT arrives first', async () => {
    const { ws, client, clock } = await connected({ requestTimeoutMs: 1000 });
    const answer = client.sendRequest('svc/slow', 1, { timeoutMs: 3000 });
    assert.equal(ws().pending('sendRequest').timeout, 3000);
    await clock.advance(3500);
    ws().answer('sendRequest', { code: 'UNAVAILABLE', reason: 'TIMEOUT', message: 'no response within 3000 ms' }, 'error');
    await assert.rejects(answer, (error) => error.reason === 'TIMEOUT');
    client.close();
  });

  test('sendToSession names the target and resolves with its session id and response', async () => {
    const { ws, client } = await connected();
    const answer = client.sendToSession('0123456789abcdef-7', 'chat/dm', 'hi', { timeoutMs: 1000 });
    assert.equal(ws().pending('sendToSession').sessionId, '0123456789abcdef-7');
    ws().answer('sendToSession', { sessionId: '0123456789abcdef-7', path: 'chat/dm', response: 'hello' }, 'response');
    assert.deepEqual(await answer, { sessionId: '0123456789abcdef-7', response: 'hello' });
    client.close();
  });
});

describe('requests to a session filter', () => {
  test('each session answer is collected and told as it comes, then the counts resolve it', async () => {
    const { ws, client } = await connected();
    const seen = [];
    const done = client.sendToFilter("room is 'lobby'", 'who', 'here?', { timeoutMs: 2000, onResponse: (a) => seen.push(a.sessionId) });
    const sent = ws().pending('sendToFilter');
    assert.deepEqual({ filter: sent.filter, path: sent.path, request: sent.request, timeout: sent.timeout },
      { filter: "room is 'lobby'", path: 'who', request: 'here?', timeout: 2000 });
    ws().push({ type: 'filterResponse', for: sent.id, path: 'who', sessionId: 'aa-1', response: 'alice' });
    ws().push({ type: 'filterResponse', for: sent.id, path: 'who', sessionId: 'aa-2', error: { code: 'NOT_FOUND', reason: 'NO_REQUEST_STREAM', message: 'no stream' } });
    ws().push({ type: 'filterResponse', for: 12345, path: 'who', sessionId: 'zz-9', response: 'another request' });
    assert.deepEqual(seen, ['aa-1', 'aa-2']);
    ws().answer('sendToFilter', { count: 2, responses: 1, errors: 1 });
    const result = await done;
    assert.equal(result.count, 2);
    assert.deepEqual(result.responses[0], { sessionId: 'aa-1', response: 'alice' });
    assert.equal(result.responses[1].error.reason, 'NO_REQUEST_STREAM');
    assert.equal(client._messaging.filterAnswers.size, 0);
    client.close();
  });

  test('a refused filter rejects and forgets its collector', async () => {
    const { ws, client } = await connected();
    const done = client.sendToFilter('room is', 'who', 1);
    ws().answer('sendToFilter', { code: 'INVALID', message: 'line 1, column 8: expected a value' }, 'error');
    await assert.rejects(done, (error) => error.code === 'INVALID');
    assert.equal(client._messaging.filterAnswers.size, 0);
    client.close();
  });
});

describe('handling requests', () => {
  test('a handler answers with its return value, and a throwing handler rejects with its message', async () => {
    const { ws, client } = await connected();
    const seen = [];
    const registered = client.addRequestHandler('svc', (request) => {
      seen.push(request);
      if (request.value === 'bad') throw new Error('out of stock');
      return { echo: request.value };
    });
    ws().answer('addRequestHandler');
    await registered;
    ws().push({ type: 'request', rid: 'r.1', path: 'svc/a', handler: 'svc', request: 'good', sessionId: 'ab-1', principal: 'bob' });
    ws().push({ type: 'request', rid: 'r.2', path: 'svc/a', handler: 'svc', request: 'bad', principal: 'anonymous' });
    await flush();
    await flush();
    assert.deepEqual(seen[0], { path: 'svc/a', registration: 'svc', value: 'good', sessionId: 'ab-1', principal: 'bob' });
    const respond = ws().pending('respond');
    assert.deepEqual({ rid: respond.rid, response: respond.response }, { rid: 'r.1', response: { echo: 'good' } });
    const reject = ws().pending('reject');
    assert.deepEqual({ rid: reject.rid, message: reject.message }, { rid: 'r.2', message: 'out of stock' });
    client.close();
  });

  test('an async handler answers when its promise settles', async () => {
    const { ws, client } = await connected();
    let release;
    client.addRequestHandler('svc', () => new Promise((resolve) => { release = resolve; }));
    ws().answer('addRequestHandler');
    ws().push({ type: 'request', rid: 'r.9', path: 'svc', handler: 'svc', request: 1, principal: 'x' });
    await flush();
    assert.equal(ws().pending('respond'), undefined);
    release(42);
    await flush();
    assert.equal(ws().pending('respond').response, 42);
    client.close();
  });

  test('a request stream resolves with the session id and answers requests sent to this session', async () => {
    const { ws, client } = await connected();
    const id = client.addRequestStream('chat', (request) => `pong ${request.value}`);
    ws().answer('addRequestStream', { sessionId: 'ab-3' });
    assert.equal(await id, 'ab-3');
    ws().push({ type: 'request', rid: 'r.5', path: 'chat/dm', stream: 'chat', request: 'ping', sessionId: 'ab-4', principal: 'carol' });
    await flush();
    await flush();
    assert.equal(ws().pending('respond').response, 'pong ping');
    client.close();
  });

  test('handlers and streams are registered again after a reconnection, and the new session id is told', async () => {
    const { ws, client, clock } = await connected();
    const ids = [];
    client.addRequestHandler('svc', () => 1);
    client.addRequestStream('chat', () => 2, { onSessionId: (sessionId) => ids.push(sessionId) });
    ws().answer('addRequestHandler');
    ws().answer('addRequestStream', { sessionId: 'aa-1' });
    const first = ws();
    first.drop(1006);
    await clock.advance(1000);
    assert.notEqual(ws(), first);
    ws().open();
    await flush();
    assert.deepEqual(ws().requestsOf('addRequestHandler').map((r) => r.path), ['svc']);
    ws().answer('addRequestHandler');
    ws().answer('addRequestStream', { sessionId: 'bb-1' });
    await flush();
    assert.deepEqual(ids, ['bb-1']);
    // Removed: not registered on the next connection.
    client.removeRequestHandler('svc');
    ws().answer('removeRequestHandler', { removed: true });
    ws().drop(1006);
    await clock.advance(1000);
    ws().open();
    await flush();
    assert.deepEqual(ws().requestsOf('addRequestHandler'), []);
    client.close();
  });

  test('a handler that is refused is forgotten', async () => {
    const { ws, client } = await connected();
    const registered = client.addRequestHandler('svc', () => 1);
    ws().answer('addRequestHandler', { code: 'PERMISSION_DENIED', message: 'registering a request handler needs REGISTER_HANDLER' }, 'error');
    await assert.rejects(registered, (error) => error.code === 'PERMISSION_DENIED');
    assert.throws(() => client.addRequestHandler('svc', 'not a function'), TypeError);
    client.close();
  });
});
