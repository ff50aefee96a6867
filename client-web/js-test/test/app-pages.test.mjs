// The logic of the dashboard, the moderator view, the session and the connection status line.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { Series, formatPercent, formatUsd, numberOf, saving, usdPrice } from '../../src/main/resources/META-INF/resources/js/dashboard-model.js';
import { ModerationModel, canPost, logEntry } from '../../src/main/resources/META-INF/resources/js/moderation-model.js';
import { decodeClaims, identityOf, isAdministrator } from '../../src/main/resources/META-INF/resources/js/session.js';
import { describeConnection, formatBytes } from '../../src/main/resources/META-INF/resources/js/status.js';

describe('dashboard', () => {
  test('the USD price of a BPI document', () => {
    assert.equal(usdPrice({ bpi: { USD: { rate_float: 43123.45 } } }), 43123.45);
    assert.ok(Number.isNaN(usdPrice({ bpi: {} })));
    assert.ok(Number.isNaN(usdPrice(null)));
    assert.equal(numberOf(12.5), 12.5);
    assert.equal(numberOf('12.5'), 12.5);
    assert.ok(Number.isNaN(numberOf({})));
  });

  test('a series keeps its last points, in seconds, and refuses what is not a number', () => {
    const s = new Series(2);
    assert.equal(s.push(1000, 1), true);
    assert.equal(s.push(2000, Number.NaN), false);
    s.push(3000, 3);
    s.push(4000, 4);
    assert.deepEqual(s.data(), [[3, 4], [3, 4]]);
    assert.equal(s.length, 2);
  });

  test('the saving: the share of the raw bytes the gateway did not need', () => {
    assert.equal(saving(0, 10), null);
    assert.equal(saving(1000, 100), 0.9);
    assert.equal(saving(100, 150), -0.5);
    assert.equal(formatPercent(0.9), '90.0 %');
    assert.equal(formatPercent(null), '–');
    assert.equal(formatUsd(43123.456), '$43,123.46');
    assert.equal(formatBytes(999), '999 B');
    assert.equal(formatBytes(12345), '12.3 kB');
    assert.equal(formatBytes(4_560_000), '4.56 MB');
  });
});

describe('moderator view', () => {
  const log = (seq, value) => ({ seq, time: '2026-11-22T20:00:00Z', author: 'backend-app', value });

  test('log entries fold into flagged messages and revoked principals', () => {
    const m = new ModerationModel();
    m.add(log(1, { action: 'bleep', room: 'chat/lobby', principal: 'bob', seq: 7, words: ['darn'], time: 't1' }));
    m.add(log(2, { action: 'strike', room: 'chat/lobby', principal: 'bob', seq: 7, words: ['heck'], strikes: 3, time: 't2' }));
    m.add(log(3, { action: 'revoke', room: 'chat/lobby', principal: 'bob', seq: 7, words: [], permissions: ['SELECT_TOPIC', 'READ_TOPIC'], time: 't3' }));
    m.add(log(4, { action: 'bleep', room: 'chat/random', principal: 'eve', seq: 2, words: ['darn'], time: 't4' }));
    assert.equal(m.add(log(4, { action: 'bleep' })), null, 'each log seq once');
    assert.deepEqual(m.log().map((e) => e.logSeq), [4, 3, 2, 1]);
    assert.deepEqual(m.flagged().map((f) => [f.room, f.seq, f.principal, f.words, f.strikes]), [
      ['chat/random', 2, 'eve', ['darn'], null],
      ['chat/lobby', 7, 'bob', ['darn', 'heck'], 3],
    ]);
    assert.deepEqual(m.revoked().map((r) => [r.principal, r.rooms.map((x) => x.room)]), [['bob', ['chat/lobby']]]);
  });

  test('what is not a log entry is ignored', () => {
    const m = new ModerationModel();
    assert.equal(m.add(log(1, 'text')), null);
    assert.equal(m.add({ seq: 2, value: { action: 'bleep' }, editOf: 1 }), null);
    assert.equal(logEntry(log(3, { action: 'bleep', words: 'x' })).words.length, 0);
  });

  test('whether overrides let a principal post in a room: the most specific prefix decides', () => {
    const overrides = { pathPermissions: { chat: ['SELECT_TOPIC', 'READ_TOPIC', 'UPDATE_TOPIC'], 'chat/lobby': ['SELECT_TOPIC', 'READ_TOPIC'] } };
    assert.equal(canPost(overrides, 'chat/lobby'), false);
    assert.equal(canPost(overrides, 'chat/random'), true);
    assert.equal(canPost(overrides, 'chatter'), null);
    assert.equal(canPost({ pathPermissions: {} }, 'chat/lobby'), null);
  });
});

describe('session', () => {
  const token = (claims) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

  test('the identity of a token: name and roles from its claims', () => {
    const now = Date.UTC(2026, 10, 22);
    const id = identityOf(token({ sub: 'zoë', roles: ['CLIENT'], exp: now / 1000 + 3600 }), now);
    assert.deepEqual([id.anonymous, id.name, id.roles], [false, 'zoë', ['CLIENT']]);
    assert.equal(isAdministrator(id), false);
    const kc = identityOf(token({ sub: 'admin', realm_access: { roles: ['ADMINISTRATOR'] } }), now);
    assert.equal(isAdministrator(kc), true);
  });

  test('no token, a malformed one or an expired one is anonymous', () => {
    const now = Date.UTC(2026, 10, 22);
    assert.equal(identityOf(null, now).anonymous, true);
    assert.equal(identityOf('not.a.jwt', now).anonymous, true);
    assert.equal(identityOf(token({ sub: 'a', exp: now / 1000 + 30 }), now).anonymous, true, 'within a minute of expiry');
    assert.equal(decodeClaims('a.b'), null);
  });
});

describe('connection status', () => {
  test('each state of the client, in words', () => {
    assert.equal(describeConnection('open').text, 'Connected');
    const r = describeConnection('reconnecting', { code: 1006, attempt: 3, delayMs: 2100 });
    assert.equal(r.text, 'Disconnected: connection lost (1006). Reconnecting in 3 s (attempt 3)…');
    assert.equal(r.reconnecting, true);
    assert.match(describeConnection('reconnecting', { code: 4000, attempt: 1, delayMs: 100 }).text, /restarting/);
    assert.match(describeConnection('closed', { code: 4100 }).text, /sign in again/i);
    assert.equal(describeConnection('closed', { code: 1000 }).text, 'Disconnected.');
  });

  test('closed by a moderator (4101): said so, with the reason, and not a sign-in problem', () => {
    const closed = describeConnection('closed', { code: 4101, reason: 'disconnected by the moderator admin' });
    assert.equal(closed.text, 'Disconnected by a moderator: disconnected by the moderator admin. Reload the page to connect again.');
    assert.equal(closed.reconnecting, false);
    assert.doesNotMatch(closed.text, /sign in/i);
  });
});
