// Session control (an extension): connect-time session properties, the five ops, and 4101.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { PushgateError } from '../../src/main/resources/META-INF/resources/lib/pushgate.js';
import { connected, flush, setup } from '../support/helpers.mjs';

describe('session properties when connecting', () => {
  test('properties go in ?properties= as JSON, on every connection', async () => {
    const { ws, client, clock } = setup({ properties: { country: 'UK', team: 'red' } });
    await flush();
    assert.deepEqual(JSON.parse(ws().params.get('properties')), { country: 'UK', team: 'red' });
    ws().open();
    ws().drop(1006);
    await clock.advance(1000);
    assert.deepEqual(JSON.parse(ws().params.get('properties')), { country: 'UK', team: 'red' }, 'again after a reconnection');
    client.close();
  });

  test('none: no parameter', async () => {
    const { ws, client } = setup({ properties: {} });
    await flush();
    assert.equal(ws().params.has('properties'), false);
    client.close();
  });
});

describe('session control ops', () => {
  test('listSessions sends the filter and resolves with the sessions', async () => {
    const { ws, client } = await connected();
    const listed = client.listSessions("$Roles has 'MODERATOR'");
    await flush();
    const sessions = [{ sessionId: 'r1-1', replica: 'r1', properties: { $Principal: 'bob' }, subscriptions: 2 }];
    const request = ws().answer('listSessions', { sessions }, 'sessions');
    assert.equal(request.filter, "$Roles has 'MODERATOR'");
    assert.deepEqual((await listed).sessions, sessions);
    client.listSessions();
    await flush();
    assert.equal('filter' in ws().pending('listSessions'), false, 'no filter: every session');
  });

  test('each op sends its target (an id or a filter) and its fields', async () => {
    const { ws, client } = await connected();
    const results = [
      client.closeSessions({ sessionId: 'r1-7' }, 'muted'),
      client.setSessionProperties({ filter: "team is 'red'" }, { team: 'blue', muted: null }),
      client.subscribeSessions({ filter: 'all' }, '?chat//'),
      client.unsubscribeSessions({ sessionId: 'r2-1' }, '>chat/lobby'),
    ];
    await flush();
    assert.deepEqual(ws().answer('closeSessions', { sessions: 1 }), { op: 'closeSessions', id: ws().requestsOf('closeSessions')[0].id, sessionId: 'r1-7', reason: 'muted' });
    assert.deepEqual(ws().answer('setSessionProperties', { sessions: 3 }).properties, { team: 'blue', muted: null });
    assert.equal(ws().answer('subscribeSessions', { sessions: 5 }).selector, '?chat//');
    const unsub = ws().answer('unsubscribeSessions', { sessions: 1 });
    assert.equal(unsub.sessionId, 'r2-1');
    assert.equal('filter' in unsub, false);
    assert.deepEqual((await Promise.all(results)).map((r) => r.sessions), [1, 3, 5, 1]);
  });

  test('a target is exactly one of sessionId and filter', async () => {
    const { client } = await connected();
    assert.throws(() => client.closeSessions({}), TypeError);
    assert.throws(() => client.closeSessions({ sessionId: 'a', filter: 'all' }), TypeError);
    assert.throws(() => client.subscribeSessions(undefined, '?a//'), TypeError);
  });

  test('a refusal rejects with the code, and the position of a bad filter in the message', async () => {
    const { ws, client } = await connected();
    const denied = client.closeSessions({ filter: 'all' });
    const bad = client.listSessions('country eq');
    await flush();
    ws().answer('closeSessions', { code: 'PERMISSION_DENIED', message: 'needs the permission MODIFY_SESSION' }, 'error');
    ws().answer('listSessions', { code: 'INVALID', message: 'session filter: line 1, column 11: expected a quoted value after country eq, not the end of the filter' }, 'error');
    await assert.rejects(denied, (e) => e instanceof PushgateError && e.code === 'PERMISSION_DENIED');
    await assert.rejects(bad, (e) => e.code === 'INVALID' && /line 1, column 11/.test(e.message));
  });
});

describe('closed by a controller', () => {
  test('4101: closed, the reason told, no reconnection', async () => {
    const { ws, clock, states, client } = await connected();
    const socket = ws();
    ws().drop(4101, 'muted by a moderator');
    assert.equal(client.state, 'closed');
    assert.deepEqual(states.at(-1), { state: 'closed', code: 4101, reason: 'muted by a moderator' });
    await clock.advance(600000);
    assert.equal(ws(), socket, 'no new socket');
  });
});
