// The dashboard's numbers and axes, and the session's lifetime and renewal: the logic behind
// dashboard.js and session.js, without a browser.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  FEED_CONTROL_ROLES, UpdateMeter, bytesPerUpdate, gatewayUpdates, priceRange, saving, savingPerUpdate, savingSummary,
  showsPoints, timeRange,
} from '../../src/main/resources/META-INF/resources/js/dashboard-model.js';
import {
  ACCESS_TOKEN_TYPE, TOKEN_EXCHANGE, exchangeToken, hasAnyRole, identityOf, marginMs, newSession, parseSession, retryDelay,
  sameIdentity, sessionPlan,
} from '../../src/main/resources/META-INF/resources/js/session.js';
import { formatBytes } from '../../src/main/resources/META-INF/resources/js/status.js';

const token = (claims) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

describe('dashboard: bytes per price update', () => {
  test('the gateway\'s price updates are its value, delta and event messages, not replies, subscriptions or pongs', () => {
    const stats = {
      messagesByType: { ok: 2, subscription: 1, fetch: 1, pong: 3, value: 8, delta: 1 },
      bytesByType: { ok: 40, subscription: 120, fetch: 90, pong: 45, value: 360, delta: 50 },
    };
    assert.deepEqual(gatewayUpdates(stats), { count: 9, bytes: 410 });
    assert.deepEqual(gatewayUpdates({ messagesByType: {}, bytesByType: {} }), { count: 0, bytes: 0 });
  });

  test('the saving compares bytes per update: one-off replies and different counts do not distort it', () => {
    // 4 BPI documents of 611 B raw (the sizes of the browser test); through the gateway the
    // current price on subscribing and the same 4 updates (5 values of 49 B), plus about 250 B
    // of replies (fetch, ok, subscription).
    const raw = new UpdateMeter();
    for (let i = 0; i < 4; i++) raw.add(611);
    const gateway = gatewayUpdates({
      messagesByType: { ok: 1, subscription: 1, fetch: 1, value: 5 },
      bytesByType: { ok: 20, subscription: 130, fetch: 100, value: 5 * 49 },
    });
    assert.equal(bytesPerUpdate(raw), 611);
    assert.equal(bytesPerUpdate(gateway), 49);
    assert.equal(savingPerUpdate(raw, gateway).toFixed(3), '0.920');
    // what the totals said: far less, because they count the replies and a different number of messages
    assert.equal(saving(raw.bytes, 20 + 130 + 100 + 5 * 49).toFixed(3), '0.797');
    assert.equal(savingSummary(raw, gateway, formatBytes),
      'Per price update: 49 B through the gateway instead of 611 B raw, 92.0 % fewer bytes.');
  });

  test('no saving before both paths have had a price; a gateway that costs more says so', () => {
    const none = new UpdateMeter();
    const one = new UpdateMeter();
    one.add(100);
    assert.equal(bytesPerUpdate(none), null);
    assert.equal(savingPerUpdate(none, one), null);
    assert.equal(savingPerUpdate(one, none), null);
    assert.equal(savingSummary(one, none, formatBytes), 'The saving per price update shows once both have received a price.');
    assert.equal(savingSummary(one, { count: 2, bytes: 300 }, formatBytes),
      'Per price update: 150 B through the gateway instead of 100 B raw, 50.0 % more bytes.');
  });
});

describe('dashboard: a chart with one price', () => {
  test('one point is in the middle of a minute; more points span their times', () => {
    assert.deepEqual(timeRange([]), [null, null]);
    assert.deepEqual(timeRange([1_795_000_000]), [1_795_000_000 - 30, 1_795_000_000 + 30]);
    assert.deepEqual(timeRange([100, 130, 160]), [100, 160]);
  });

  test('one price sits in the middle of a narrow axis, not on an axis from $0', () => {
    const [low, high] = priceRange(43_220, 43_220);
    assert.ok(low < 43_220 && high > 43_220);
    assert.equal(43_220 - low, high - 43_220, 'centred');
    assert.ok(high - low < 43_220 * 0.01, `narrow: ${low}..${high}`);
    assert.ok(low > 40_000, 'not from 0');
    assert.deepEqual(priceRange(0, 0), [-0.01, 0.01]);
  });

  test('several prices get a tenth of their spread above and below; no data, no axis', () => {
    assert.deepEqual(priceRange(43_000, 43_200).map((v) => Math.round(v)), [42_957, 43_243]);
    assert.deepEqual(priceRange(100, 200), [90, 210]);
    assert.deepEqual(priceRange(null, null), [null, null]);
  });

  test('only a lone point is marked (it has no line); a line needs no marks', () => {
    assert.equal(showsPoints(0), false);
    assert.equal(showsPoints(1), true);
    assert.equal(showsPoints(2), false);
  });
});

describe('dashboard: the feed control', () => {
  test('is for TOPIC_CONTROL and ADMINISTRATOR only, and never for anonymous readers', () => {
    const now = Date.UTC(2026, 10, 22);
    const as = (...roles) => identityOf(token({ sub: 'u', roles, exp: now / 1000 + 3600 }), now);
    assert.equal(hasAnyRole(as('TOPIC_CONTROL'), ...FEED_CONTROL_ROLES), true);
    assert.equal(hasAnyRole(as('CLIENT', 'ADMINISTRATOR'), ...FEED_CONTROL_ROLES), true);
    assert.equal(hasAnyRole(as('CLIENT'), ...FEED_CONTROL_ROLES), false);
    assert.equal(hasAnyRole(identityOf(null, now), ...FEED_CONTROL_ROLES), false);
  });
});

describe('session: kept until the token expires, renewed before', () => {
  const now = Date.UTC(2026, 10, 22, 12);

  test('a session expires by the browser\'s clock (from expires_in), not by the token\'s exp', () => {
    // the token says it expired an hour ago (a browser clock ahead of the server's), the
    // auth-service said 3600 s when it gave it a moment ago: it is valid
    const t = token({ sub: 'zoë', roles: ['CLIENT'], iat: now / 1000 - 7200, exp: now / 1000 - 3600 });
    const session = newSession(t, 3600, now);
    assert.deepEqual(session, { token: t, expiresAt: now + 3_600_000, lifetimeMs: 3_600_000 });
    assert.equal(identityOf(t, now, session).anonymous, false);
    assert.equal(identityOf(t, now, session).expiresAt, now + 3_600_000);
    assert.equal(identityOf(t, now + 3_540_001, session).anonymous, true, 'within a minute of expiry');
  });

  test('the margin before expiry is a minute, or a tenth of a short lifetime', () => {
    assert.equal(marginMs(3_600_000), 60_000);
    assert.equal(marginMs(30_000), 3_000);
    assert.equal(marginMs(null), 60_000);
    const t = token({ sub: 'a', iat: now / 1000, exp: now / 1000 + 30 });
    assert.equal(identityOf(t, now + 26_000).anonymous, false);
    assert.equal(identityOf(t, now + 27_000).anonymous, true);
  });

  test('an hour\'s token is renewed with a quarter of it left and lapses a minute before it expires', () => {
    const session = newSession(token({ sub: 'a' }), 3600, now);
    assert.deepEqual(sessionPlan(session), { renewAt: now + 45 * 60_000, lapseAt: now + 59 * 60_000 });
    const short = newSession(token({ sub: 'a' }), 30, now);
    assert.deepEqual(sessionPlan(short), { renewAt: now + 22_500, lapseAt: now + 27_000 });
  });

  test('a renewal that does not move the expiry on is the last one (the sign-in\'s session ends then)', () => {
    const first = newSession(token({ sub: 'a' }), 30, now);
    const renewed = newSession(token({ sub: 'a' }), 22, now + 23_000, first);
    assert.equal(renewed.expiresAt, now + 45_000);
    assert.equal(renewed.lifetimeMs, 30_000, 'the longest lifetime is kept');
    assert.equal(renewed.final, undefined);
    const last = newSession(token({ sub: 'a' }), 7, now + 38_000, renewed);
    assert.equal(last.final, true);
  });

  test('retries come sooner as the lapse nears, between 1 and 30 seconds apart', () => {
    assert.equal(retryDelay(now + 600_000, now), 30_000);
    assert.equal(retryDelay(now + 20_000, now), 5_000);
    assert.equal(retryDelay(now + 100, now), 1_000);
  });

  test('only a stored session of this page is read back', () => {
    assert.equal(parseSession(null), null);
    assert.equal(parseSession('eyJhbGciOi.not-json'), null);
    assert.equal(parseSession('{"token":"x"}'), null);
    assert.deepEqual(parseSession('{"token":"x","expiresAt":5,"lifetimeMs":1}'), { token: 'x', expiresAt: 5, lifetimeMs: 1 });
  });

  test('the same person with the same roles is the same identity; other roles or another name are not', () => {
    const id = (sub, ...roles) => identityOf(token({ sub, roles, exp: now / 1000 + 3600 }), now);
    assert.equal(sameIdentity(id('a', 'CLIENT', 'X'), id('a', 'X', 'CLIENT')), true);
    assert.equal(sameIdentity(id('a', 'CLIENT'), id('a', 'TOPIC_CONTROL')), false);
    assert.equal(sameIdentity(id('a', 'CLIENT'), id('b', 'CLIENT')), false);
    assert.equal(sameIdentity(identityOf(null), identityOf(null)), true);
    assert.equal(sameIdentity(identityOf(null), id('a')), false);
  });
});

describe('session: renewal by token exchange', () => {
  const now = Date.UTC(2026, 10, 22, 12);
  const session = newSession(token({ sub: 'alice', roles: ['CLIENT'] }), 3600, now - 46 * 60_000);

  /** A fetch that answers once and records the request. */
  function fakeFetch(answer) {
    const calls = [];
    const fn = async (url, init) => {
      calls.push({ url, init });
      if (answer instanceof Error) throw answer;
      return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { 'Content-Type': 'application/json' } });
    };
    return { fn, calls };
  }

  test('posts RFC 8693\'s form with the current token and keeps what comes back', async () => {
    const fresh = token({ sub: 'alice', roles: ['CLIENT'], exp: now / 1000 + 3600 });
    const f = fakeFetch({ status: 200, body: { access_token: fresh, token_type: 'Bearer', expires_in: 3600, issued_token_type: ACCESS_TOKEN_TYPE } });
    const result = await exchangeToken('http://auth.test', session, { now, fetch: f.fn });
    assert.equal(result.outcome, 'renewed');
    assert.deepEqual(result.session, { token: fresh, expiresAt: now + 3_600_000, lifetimeMs: 3_600_000 });
    assert.equal(f.calls.length, 1);
    assert.equal(f.calls[0].url, 'http://auth.test/v1/token');
    assert.equal(f.calls[0].init.method, 'POST');
    const form = f.calls[0].init.body;
    assert.equal(form.get('grant_type'), TOKEN_EXCHANGE);
    assert.equal(form.get('subject_token'), session.token);
    assert.equal(form.get('subject_token_type'), ACCESS_TOKEN_TYPE);
  });

  test('a refusal ends the renewals; an auth-service that cannot answer is asked again later', async () => {
    const refused = await exchangeToken('http://auth.test', session, {
      now, fetch: fakeFetch({ status: 400, body: { code: 'INVALID', error: 'invalid_request', message: 'the sign-in is older than the session lifetime: sign in again' } }).fn,
    });
    assert.deepEqual(refused, { outcome: 'refused', message: 'the sign-in is older than the session lifetime: sign in again' });
    for (const answer of [{ status: 503, body: { code: 'UNAVAILABLE', message: 'Redis away' } }, new TypeError('Failed to fetch'),
      { status: 200, body: { access_token: 'not-a-jwt' } }]) {
      const result = await exchangeToken('http://auth.test', session, { now, fetch: fakeFetch(answer).fn });
      assert.equal(result.outcome, 'unavailable', JSON.stringify(answer));
      assert.ok(result.message);
    }
  });
});
