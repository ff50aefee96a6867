// Presence: the chat's description of who is in a room, and the client's presence(path) helper.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { connected, recorder } from '../support/helpers.mjs';
import { describePresence } from '../../src/main/resources/META-INF/resources/js/chat-model.js';
import { PRESENCE_PREFIX, presenceTopic } from '../../src/main/resources/META-INF/resources/lib/pushgate.js';

describe('who is in a room', () => {
  test('names each principal once, the signed-in user first, and counts anonymous sessions', () => {
    const who = describePresence({ count: 5, principals: { zoe: 1, alice: 2, bob: 1 } }, 'bob');
    assert.deepEqual(who.people.map((p) => [p.name, p.sessions, p.me]), [['bob', 1, true], ['alice', 2, false], ['zoe', 1, false]]);
    assert.equal(who.anonymous, 1);
    assert.equal(who.summary, '5 here');
    assert.equal(who.text, 'Here: bob (you), alice, zoe, 1 anonymous');
  });

  test('an empty room, a missing value and nonsense say nobody is here', () => {
    assert.equal(describePresence({ count: 0, principals: {} }, null).text, 'Nobody here');
    assert.equal(describePresence(null, 'alice').summary, 'Nobody here');
    assert.deepEqual(describePresence({ count: 'x', principals: { a: -1 } }, null).people, []);
  });

  test('the moderator reads every room and is left out, unless it is the one looking', () => {
    const value = { count: 3, principals: { alice: 1, 'backend-app': 1 } };
    const who = describePresence(value, 'alice', ['backend-app']);
    assert.equal(who.count, 2);
    assert.equal(who.text, 'Here: alice (you), 1 anonymous');
    assert.deepEqual(describePresence(value, 'backend-app', ['backend-app']).people.map((p) => p.name), ['backend-app', 'alice']);
  });

  test('only anonymous readers', () => {
    const who = describePresence({ count: 2, principals: {} }, null);
    assert.equal(who.text, 'Here: 2 anonymous');
    assert.equal(who.anonymous, 2);
  });
});

describe('presence topics', () => {
  test('the presence topic of a path', () => {
    assert.equal(PRESENCE_PREFIX, '$presence/');
    assert.equal(presenceTopic('chat/lobby'), '$presence/chat/lobby');
  });
});

describe('client.presence(path)', () => {
  test('subscribes to the presence topic and hands over whole values, deltas applied', async () => {
    const env = await connected();
    const who = recorder();
    env.client.presence('chat/lobby', who.handlers);
    const request = env.ws().answer('subscribe');
    assert.equal(request.selector, '>$presence/chat/lobby');
    env.ws().push({ type: 'subscription', topic: '$presence/chat/lobby', tid: 7, spec: { type: 'JSON' } });
    env.ws().push({ type: 'value', tid: 7, seq: 1, value: { count: 1, principals: { alice: 1 } } });
    env.ws().push({ type: 'delta', tid: 7, seq: 2, patch: [{ op: 'replace', path: '/count', value: 2 }, { op: 'add', path: '/principals/bob', value: 1 }] });
    assert.deepEqual(who.of('value').map((v) => v[2]), [
      { count: 1, principals: { alice: 1 } },
      { count: 2, principals: { alice: 1, bob: 1 } },
    ]);
  });
});
