// The chat page's logic: messages from events, edits, merging a range reply, error texts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  RoomModel, describeSendError, messageText, messageValue, subscriptionLimit,
} from '../../src/main/resources/META-INF/resources/js/chat-model.js';

const ev = (seq, text, author = 'alice', editOf) => ({
  seq, time: `2026-11-22T20:00:${String(seq % 60).padStart(2, '0')}Z`, author, value: { text, user: author }, ...(editOf ? { editOf } : {}),
});

describe('chat room model', () => {
  test('events become messages in seq order, each seq once', () => {
    const room = new RoomModel();
    assert.equal(room.addEvent(ev(2, 'b')).kind, 'added');
    assert.equal(room.addEvent(ev(1, 'a')).kind, 'added');
    assert.equal(room.addEvent(ev(2, 'b again')).kind, 'ignored');
    assert.deepEqual(room.list().map((m) => [m.seq, m.text, m.author]), [[1, 'a', 'alice'], [2, 'b', 'alice']]);
  });

  test('an event with editOf replaces the text of its original and says who edited', () => {
    const room = new RoomModel();
    room.addEvent(ev(1, 'helo'));
    const result = room.addEvent(ev(2, 'hello', 'alice', 1));
    assert.equal(result.kind, 'edited');
    assert.deepEqual(room.list().map((m) => [m.seq, m.text, m.editedBy]), [[1, 'hello', 'alice']]);
    room.addEvent(ev(3, 'h*llo', 'backend-app', 1));
    assert.equal(room.list()[0].text, 'h*llo');
    assert.equal(room.list()[0].editedBy, 'backend-app');
    assert.equal(room.size, 1, 'an edit is not a message of its own');
  });

  test('an older edit never replaces a newer one', () => {
    const room = new RoomModel();
    room.addEvent(ev(1, 'v1'));
    room.addEvent(ev(5, 'v3', 'alice', 1));
    assert.equal(room.addEvent(ev(3, 'v2', 'alice', 1)).kind, 'ignored');
    assert.equal(room.list()[0].text, 'v3');
  });

  test('an edit whose original comes later (a range reply) is applied when it comes', () => {
    const room = new RoomModel();
    room.addEvent(ev(9, 'fixed', 'alice', 4));
    assert.equal(room.size, 0);
    const added = room.addRange([ev(3, 'three'), ev(4, 'fxed')]);
    assert.deepEqual(added.map((m) => m.seq), [3, 4]);
    assert.deepEqual(room.list().map((m) => m.text), ['three', 'fixed']);
  });

  test('a range reply fills in what the subscription did not give, and changes nothing it gave', () => {
    const room = new RoomModel();
    room.addEvent(ev(49, 'live 49'));
    room.addEvent(ev(50, 'live 50'));
    const added = room.addRange([ev(48, 'old 48'), ev(49, 'range 49'), ev(50, 'range 50')]);
    assert.deepEqual(added.map((m) => m.seq), [48]);
    assert.deepEqual(room.list().map((m) => m.text), ['old 48', 'live 49', 'live 50']);
  });

  test('only the last messages are kept', () => {
    const room = new RoomModel(3);
    for (let seq = 1; seq <= 5; seq++) room.addEvent(ev(seq, `m${seq}`));
    assert.deepEqual(room.list().map((m) => m.seq), [3, 4, 5]);
  });

  test('malformed events are ignored', () => {
    const room = new RoomModel();
    assert.equal(room.addEvent(null).kind, 'ignored');
    assert.equal(room.addEvent({ value: 'x' }).kind, 'ignored');
    assert.equal(room.size, 0);
  });
});

describe('message values', () => {
  test('JSON rooms carry {text, user}; STRING rooms the text', () => {
    assert.deepEqual(messageValue({ type: 'TIME_SERIES', eventType: 'JSON' }, 'hi', 'bob'), { text: 'hi', user: 'bob' });
    assert.equal(messageValue({ type: 'TIME_SERIES', eventType: 'STRING' }, 'hi', 'bob'), 'hi');
    assert.deepEqual(messageValue(undefined, 'hi', 'bob'), { text: 'hi', user: 'bob' });
  });

  test('the text of a value, whatever its shape', () => {
    assert.equal(messageText({ text: 'a', user: 'x' }), 'a');
    assert.equal(messageText('plain'), 'plain');
    assert.equal(messageText({ other: 1 }), '{"other":1}');
    assert.equal(messageText(null), '');
  });

  test('the subscription range of a room spec', () => {
    assert.equal(subscriptionLimit({ properties: { TIME_SERIES_SUBSCRIPTION_RANGE: 'limit 50' } }), 50);
    assert.equal(subscriptionLimit({ properties: { TIME_SERIES_SUBSCRIPTION_RANGE: 'limit 20 last 1h' } }), 20);
    assert.equal(subscriptionLimit({ properties: {} }), 1);
    assert.equal(subscriptionLimit(undefined), 1);
  });
});

describe('error messages', () => {
  test('PERMISSION_DENIED tells an anonymous user to sign in', () => {
    assert.equal(describeSendError({ code: 'PERMISSION_DENIED' }, { anonymous: true }), 'You can read this room but not post; sign in.');
    assert.match(describeSendError({ code: 'PERMISSION_DENIED' }, { anonymous: false }), /taken away/);
    assert.equal(describeSendError({ code: 'PERMISSION_DENIED' }, { anonymous: false }, 'edit'), 'You may not edit this message.');
  });

  test('other codes', () => {
    assert.match(describeSendError({ code: 'UNAVAILABLE' }, { anonymous: false }), /connection/);
    assert.match(describeSendError({ code: 'TOO_LARGE' }, { anonymous: false }), /too long/);
    assert.equal(describeSendError({ code: 'INVALID', message: 'bad' }, { anonymous: false }), 'Not sent: bad');
  });
});
