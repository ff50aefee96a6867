// The moderation seen from the pages: pre-moderated rooms (relayed messages, pending ones), the
// moderation status of a principal, the moderator view's bounded log, flagged versions and live revocations.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  RoomModel, describeRevocation, durationInWords, revocationIn, statusTopic,
} from '../../src/main/resources/META-INF/resources/js/chat-model.js';
import { ModerationModel, messageLabel } from '../../src/main/resources/META-INF/resources/js/moderation-model.js';

const relayed = (seq, text, from, inbox, editOf, extra = {}) => ({
  seq, time: '2026-11-22T20:00:00Z', author: 'backend-app', value: { text, user: from, from, inbox, ...extra }, ...(editOf ? { editOf } : {}),
});

describe('pre-moderated rooms', () => {
  test("the moderator's relays name their author in from; nobody else's do", () => {
    const room = new RoomModel(500, { moderator: 'backend-app' });
    room.addEvent(relayed(1, 'hello', 'bob', { seq: 4, version: 4 }));
    room.addEvent({ seq: 2, time: 't', author: 'mallory', value: { text: 'hi', user: 'x', from: 'alice', inbox: { seq: 1 } } });
    assert.deepEqual(room.list().map((m) => [m.author, m.relayed, m.inbox]), [
      ['bob', true, { seq: 4, version: 4 }],
      ['mallory', false, null],
    ]);
  });

  test('without a moderator configured, from means nothing', () => {
    const room = new RoomModel();
    room.addEvent(relayed(1, 'hello', 'bob', { seq: 4, version: 4 }));
    assert.equal(room.list()[0].author, 'backend-app');
  });

  test('a pending message goes once the moderator published it, and is not added if it already did', () => {
    const room = new RoomModel(500, { moderator: 'backend-app' });
    assert.ok(room.addPending(7, 'hi', 'bob'));
    assert.deepEqual(room.pendingList().map((p) => p.inboxSeq), [7]);
    room.addEvent(relayed(3, 'hi', 'bob', { seq: 7, version: 7 }));
    assert.equal(room.pendingList().length, 0);
    assert.equal(room.addPending(7, 'hi', 'bob'), null, 'the relay came before the answer to the append');
  });

  test("a relayed edit says edited (not by the moderator), bleeped when it was, and ends one's pending edit", () => {
    const room = new RoomModel(500, { moderator: 'backend-app' });
    room.addEvent(relayed(3, 'hi', 'bob', { seq: 7, version: 7 }));
    assert.equal(room.markEditPending(3, 9).pendingVersion, 9);
    room.addEvent(relayed(4, 'hi ****', 'bob', { seq: 7, version: 9 }, 3, { bleeped: true }));
    const [message] = room.list();
    assert.deepEqual([message.text, message.editedBy, message.bleeped, message.pendingVersion], ['hi ****', 'bob', true, null]);
    assert.equal(room.markEditPending(3, 8), null, 'an older version is published already');
  });
});

describe('moderation status', () => {
  test('the status topic of a principal, as backend-app names it', () => {
    assert.equal(statusTopic('moderation/status', 'bob'), 'moderation/status/bob');
    assert.equal(statusTopic('moderation/status', 'bob@example.com'), 'moderation/status/bob_40example.com');
    assert.equal(statusTopic('moderation/status', 'a_b'), 'moderation/status/a_5fb');
    assert.equal(statusTopic('moderation/status', 'zoë'), 'moderation/status/zo_c3_ab');
  });

  test('a revocation in a room, and what the page says about it', () => {
    const status = { principal: 'bob', revoked: { 'chat/lobby': { id: 'r1', since: '2026-11-22T20:00:00Z', strikes: 3, window: 'PT10M' } } };
    assert.equal(revocationIn(status, 'chat/lobby').id, 'r1');
    assert.equal(revocationIn(status, 'chat/random'), null);
    assert.equal(revocationIn(null, 'chat/lobby'), null);
    assert.equal(describeRevocation(revocationIn(status, 'chat/lobby'), 'lobby', () => '20:00:00'),
      'The moderator took away your right to post in #lobby at 20:00:00, after 3 strikes within 10 minutes. '
      + 'You can still read it; a moderator can give it back.');
  });

  test('durations in words', () => {
    assert.equal(durationInWords('PT10M'), '10 minutes');
    assert.equal(durationInWords('PT1H30M'), '1 hour 30 minutes');
    assert.equal(durationInWords('PT1S'), '1 second');
    assert.equal(durationInWords('P1D'), null);
    assert.equal(durationInWords(undefined), null);
  });
});

describe('moderator view, live', () => {
  const log = (seq, value) => ({ seq, time: '2026-11-22T20:00:00Z', author: 'backend-app', value });

  test('the log kept is bounded: the oldest entries go', () => {
    const m = new ModerationModel(3);
    for (let seq = 1; seq <= 5; seq++) m.add(log(seq, { action: 'bleep', room: 'chat/lobby', principal: 'bob', seq, words: ['darn'] }));
    assert.deepEqual(m.log().map((e) => e.logSeq), [5, 4, 3]);
    assert.equal(m.add(log(1, { action: 'bleep', room: 'chat/lobby', principal: 'bob', seq: 1 })), null, 'older than all kept');
    assert.equal(m.log().length, 3);
  });

  test('each flagged version is its own card: the original and each edit judged', () => {
    const m = new ModerationModel();
    m.add(log(1, { action: 'bleep', room: 'chat/lobby', principal: 'bob', seq: 7, words: ['darn'] }));
    m.add(log(2, { action: 'strike', room: 'chat/lobby', principal: 'bob', seq: 7, words: ['darn'], strikes: 1 }));
    m.add(log(3, { action: 'bleep', room: 'chat/lobby', principal: 'bob', seq: 7, edit: 9, words: ['heck'] }));
    m.add(log(4, { action: 'strike', room: 'chat/lobby', principal: 'bob', seq: 7, edit: 9, words: ['heck'], strikes: 2 }));
    assert.deepEqual(m.flagged().map((f) => [f.seq, f.edit, f.words, f.strikes]), [[7, 9, ['heck'], 2], [7, null, ['darn'], 1]]);
    assert.equal(messageLabel(m.log()[0]), '#7 (edit #9)');
    assert.equal(messageLabel(m.log()[3]), '#7');
  });

  test('who may not post now follows the status topics: a revoke, a restore, a new revoke', () => {
    const m = new ModerationModel();
    m.add(log(1, { action: 'revoke', room: 'chat/lobby', principal: 'bob', seq: 7, id: 'r1' }));
    m.setStatus('bob', { principal: 'bob', revoked: { 'chat/lobby': { id: 'r1', since: 't', strikes: 3, window: 'PT10M' } } });
    assert.deepEqual(m.revoked()[0].current.map((c) => [c.room, c.id]), [['chat/lobby', 'r1']]);

    m.add(log(2, { action: 'restore', room: 'chat/lobby', principal: 'bob', by: 'admin', id: 'r1' }));
    m.setStatus('bob', { principal: 'bob', revoked: {} });
    assert.deepEqual(m.revoked()[0].current, []);
    assert.deepEqual(m.revoked()[0].rooms.map((r) => [r.room, r.action, r.by]), [['chat/lobby', 'restore', 'admin']]);

    m.setStatus('bob', { principal: 'bob', revoked: { 'chat/lobby': { id: 'r2', since: 't2', strikes: 3 } } });
    assert.deepEqual(m.revoked()[0].current.map((c) => c.id), ['r2']);
  });

  test('a status alone (no log entry kept) still lists the principal', () => {
    const m = new ModerationModel();
    m.setStatus('eve', { principal: 'eve', revoked: { 'chat/random': { id: 'r9' } } });
    m.setStatus('zed', { principal: 'zed', revoked: {} });
    assert.deepEqual(m.revoked().map((r) => r.principal), ['eve']);
    assert.equal(m.setStatus(undefined, {}), null);
  });
});

describe("the moderator view's list of who is connected", async () => {
  const { connectedPeople, principalFilter } = await import('../../src/main/resources/META-INF/resources/js/moderation-model.js');
  const session = (id, replica, principal, transport, subscriptions) => ({
    sessionId: id, replica, properties: { $Principal: principal, $Transport: transport }, subscriptions,
  });

  test('one row per principal: sessions, transports, replicas and subscriptions added up, sorted by name', () => {
    const people = connectedPeople([
      session('b-2', 'b', 'carol', 'SSE', 1),
      session('a-1', 'a', 'bob', 'WEBSOCKET', 3),
      session('b-1', 'b', 'bob', 'SSE', 2),
      session('a-3', 'a', 'anonymous', 'WEBSOCKET', 0),
      session('a-2', 'a', 'bob', 'WEBSOCKET', 0),
    ]);
    assert.deepEqual(people.map((p) => [p.principal, p.sessions, p.transports, p.replicas, p.subscriptions]), [
      ['anonymous', 1, ['WEBSOCKET'], 1, 0],
      ['bob', 3, ['SSE', 'WEBSOCKET'], 2, 5],
      ['carol', 1, ['SSE'], 1, 1],
    ]);
    assert.deepEqual(people[1].sessionIds, ['a-1', 'a-2', 'b-1']);
    assert.deepEqual(connectedPeople(undefined), []);
  });

  test("a principal's filter escapes quotes and backslashes", () => {
    assert.equal(principalFilter('bob'), "$Principal is 'bob'");
    assert.equal(principalFilter("o'brien\\x"), "$Principal is 'o\\'brien\\\\x'");
  });
});
