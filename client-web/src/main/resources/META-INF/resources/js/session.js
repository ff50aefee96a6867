// Who the user is: sign-up and sign-in through the auth-service, and the session that follows.
//
// The session is kept per origin (localStorage: every tab of the app shares it, and a new tab
// starts signed in) as {token, expiresAt, lifetimeMs}, until the token expires. Before that, one
// tab renews it by token exchange at the auth-service (RFC 8693: the token for a new one, while
// the sign-in's session lasts) and every tab hands the new token to its open gateway connection
// (the protocol's `auth` op). Signing out in one tab signs out all of them.
//
// Why localStorage, with the exposure to XSS in mind: the token has to be readable by the page's
// scripts anyway (it goes on the WebSocket URL and in the `auth` frame; an HttpOnly cookie cannot
// carry it there), so a script injected into the origin can read it from sessionStorage as well
// as from localStorage. What localStorage adds is persistence across tabs and restarts, bounded
// by the token's expiry and by the auth-service's session lifetime (a leaked token cannot be
// renewed past it). The pages lower the risk of XSS itself: they render text only (dom.js, never
// HTML), load no third-party script, and are served with a Content-Security-Policy that allows
// scripts from the app's origin only.

const SESSION_KEY = 'pushgate.session';
/** sessionStorage: a message for this tab's next page (why the session ended). */
const NOTICE_KEY = 'pushgate.session-notice';
/** RFC 8693 */
export const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
/** The longest a timer of the session waits before it looks again (timers drift in background tabs and sleep). */
const MAX_TIMER_MS = 60_000;

/**
 * @typedef {object} Identity
 * @property {boolean} anonymous
 * @property {string} name the principal (`sub`), or 'anonymous'
 * @property {string[]} roles
 * @property {string|null} token
 * @property {number|null} expiresAt milliseconds since the epoch
 *
 * @typedef {object} StoredSession what localStorage keeps
 * @property {string} token
 * @property {number} expiresAt when the token expires, by this browser's clock (ms since the epoch)
 * @property {number} lifetimeMs the longest lifetime the auth-service gave a token of this sign-in
 * @property {boolean} [final] the token cannot be renewed (the session ends when it expires)
 */

/** An error of the auth-service, with a message meant for the user. */
export class SignInError extends Error {
  /** @param {string} message @param {string} [code] */
  constructor(message, code) {
    super(message);
    this.name = 'SignInError';
    this.code = code;
  }
}

/**
 * The claims of a JWT (its payload), without verifying it: only the services verify tokens;
 * the page reads the name, roles and times to show them and to know when to renew.
 * @param {string} token
 * @returns {Record<string, any>|null}
 */
export function decodeClaims(token) {
  if (typeof token !== 'string') return null;
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const b64 = parts[1].replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(parts[1].length / 4) * 4, '=');
    const binary = atob(b64);
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes));
    return claims && typeof claims === 'object' ? claims : null;
  } catch {
    return null;
  }
}

/**
 * How long before its expiry a token counts as gone (so that no connection is opened with a
 * token about to lapse): a minute, or a tenth of its lifetime for short-lived tokens.
 * @param {number|null|undefined} lifetimeMs
 */
export function marginMs(lifetimeMs) {
  return lifetimeMs > 0 ? Math.min(60_000, lifetimeMs / 10) : 60_000;
}

/**
 * The identity a token stands for; anonymous without a token, or with one that is malformed or
 * expired (within {@link marginMs} of its expiry). The expiry is the stored session's (measured
 * by this browser's clock from `expires_in`) when given, else the token's `exp`.
 * @param {string|null|undefined} token
 * @param {number} [now=Date.now()]
 * @param {StoredSession|null} [session]
 * @returns {Identity}
 */
export function identityOf(token, now = Date.now(), session = null) {
  const claims = token ? decodeClaims(token) : null;
  const exp = typeof claims?.exp === 'number' ? claims.exp * 1000 : null;
  const expiresAt = session?.expiresAt ?? exp;
  const lifetime = session?.lifetimeMs ?? (exp !== null && typeof claims?.iat === 'number' ? exp - claims.iat * 1000 : null);
  if (!claims || typeof claims.sub !== 'string' || (expiresAt !== null && expiresAt - marginMs(lifetime) <= now)) {
    return { anonymous: true, name: 'anonymous', roles: [], token: null, expiresAt: null };
  }
  const roles = Array.isArray(claims.roles) ? claims.roles
    : Array.isArray(claims.realm_access?.roles) ? claims.realm_access.roles : [];
  return { anonymous: false, name: claims.sub, roles: roles.filter((r) => typeof r === 'string'), token, expiresAt };
}

/** @param {Identity} identity */
export function isAdministrator(identity) {
  return !identity.anonymous && identity.roles.includes('ADMINISTRATOR');
}

/**
 * Whether a signed-in identity holds one of these roles.
 * @param {Identity} identity
 * @param {...string} roles
 */
export function hasAnyRole(identity, ...roles) {
  return !identity.anonymous && identity.roles.some((r) => roles.includes(r));
}

/** Whether two identities are the same person with the same roles (a renewed token is; another sign-in may not be). */
export function sameIdentity(a, b) {
  if (a.anonymous || b.anonymous) return a.anonymous === b.anonymous;
  return a.name === b.name && a.roles.length === b.roles.length && a.roles.every((r) => b.roles.includes(r));
}

/**
 * The session to keep for a token the auth-service just gave.
 * @param {string} token
 * @param {number|undefined} expiresIn the answer's `expires_in`, seconds
 * @param {number} now
 * @param {StoredSession|null} [previous] the session it renews
 * @returns {StoredSession}
 */
export function newSession(token, expiresIn, now, previous = null) {
  const claims = decodeClaims(token);
  const lifetime = expiresIn > 0 ? expiresIn * 1000
    : typeof claims?.exp === 'number' && typeof claims?.iat === 'number' ? (claims.exp - claims.iat) * 1000 : 3_600_000;
  const expiresAt = now + lifetime;
  // A renewal that does not move the expiry on (the sign-in's session ends then) is the last one.
  const final = previous !== null && expiresAt <= previous.expiresAt + 1000;
  return { token, expiresAt, lifetimeMs: Math.max(lifetime, previous?.lifetimeMs ?? 0), ...(final ? { final } : {}) };
}

/** A stored session, or null for anything else. @returns {StoredSession|null} */
export function parseSession(text) {
  if (typeof text !== 'string') return null;
  try {
    const s = JSON.parse(text);
    if (s && typeof s.token === 'string' && Number.isFinite(s.expiresAt) && Number.isFinite(s.lifetimeMs)) return s;
  } catch {
    // not ours
  }
  return null;
}

/**
 * When to renew a session and when it lapses: it is renewed once a quarter of its token's
 * lifetime is left (15 minutes of an hour), and counts as over {@link marginMs} before expiry.
 * @param {StoredSession} session
 * @returns {{renewAt: number, lapseAt: number}}
 */
export function sessionPlan(session) {
  return {
    renewAt: session.expiresAt - session.lifetimeMs / 4,
    lapseAt: session.expiresAt - marginMs(session.lifetimeMs),
  };
}

/** How long to wait before trying a renewal again after the auth-service could not be reached. */
export function retryDelay(lapseAt, now) {
  return Math.min(30_000, Math.max(1000, (lapseAt - now) / 4));
}

/**
 * Asks the auth-service for a fresh token of a session (token exchange).
 * @param {string} authUrl
 * @param {StoredSession} session
 * @param {{now?: number, fetch?: typeof fetch}} [options]
 * @returns {Promise<{outcome: 'renewed', session: StoredSession} | {outcome: 'refused'|'unavailable', message: string}>}
 *   refused: this session cannot be renewed (it is over, or the principal is gone); unavailable:
 *   try again later
 */
export async function exchangeToken(authUrl, session, { now, fetch: fetchImpl = globalThis.fetch } = {}) {
  const body = new URLSearchParams({ grant_type: TOKEN_EXCHANGE, subject_token: session.token, subject_token_type: ACCESS_TOKEN_TYPE });
  let response;
  try {
    response = await fetchImpl(`${authUrl}/v1/token`, { method: 'POST', body });
  } catch (error) {
    return { outcome: 'unavailable', message: `the auth-service (${authUrl}) cannot be reached` };
  }
  if (response.ok) {
    const answer = await response.json().catch(() => ({}));
    const at = now ?? Date.now();
    if (typeof answer.access_token !== 'string' || identityOf(answer.access_token, at).anonymous) {
      return { outcome: 'unavailable', message: 'the auth-service answered with a token this page cannot read' };
    }
    return { outcome: 'renewed', session: newSession(answer.access_token, answer.expires_in, at, session) };
  }
  const error = await errorBody(response);
  const message = error.message ?? `the auth-service answered ${response.status}`;
  if (response.status === 400 || response.status === 401 || response.status === 403) return { outcome: 'refused', message };
  return { outcome: 'unavailable', message };
}

// ---------------------------------------------------------------- this browser's session

/** The stored session, or null. */
function readSession() {
  return parseSession(storage()?.getItem(SESSION_KEY) ?? null);
}

function writeSession(session) {
  storage()?.setItem(SESSION_KEY, JSON.stringify(session));
}

/** The identity of this origin's session (anonymous when signed out or expired; an expired session is dropped). */
export function currentIdentity() {
  const session = readSession();
  const identity = identityOf(session?.token ?? null, Date.now(), session);
  if (session && identity.anonymous) storage()?.removeItem(SESSION_KEY);
  return identity;
}

/** The token to connect with, or null (anonymous). Read before every connection attempt. */
export function currentToken() {
  return currentIdentity().token;
}

/** Signs out every tab of the origin. */
export function signOut() {
  storage()?.removeItem(SESSION_KEY);
}

/** The message left for this tab's next page (and forgets it), or null. */
export function takeNotice() {
  const s = tabStorage();
  const notice = s?.getItem(NOTICE_KEY) ?? null;
  s?.removeItem(NOTICE_KEY);
  return notice;
}

/** @type {Set<(token: string) => void>} */
const renewalListeners = new Set();

/**
 * Calls `listener` with every renewed token of the session (renewed by this tab or another).
 * @param {(token: string) => void} listener
 * @returns {() => void} stops
 */
export function onTokenRenewed(listener) {
  renewalListeners.add(listener);
  return () => renewalListeners.delete(listener);
}

/**
 * Gives a gateway client (lib/pushgate.js) every renewed token: `{"op":"auth"}` on its open
 * connection, so that the gateway does not close it when the previous token expires (4100), and
 * the token of its next connections. A page calls it once, after connect().
 * @param {{auth: (token: string) => Promise<any>}} client
 * @returns {() => void} stops
 */
export function followTokenRenewals(client) {
  return onTokenRenewed((token) => {
    client.auth(token).catch((error) => console.warn('pushgate: the gateway refused the renewed token:', error));
  });
}

function tokenRenewed(token) {
  for (const listener of renewalListeners) {
    try {
      listener(token);
    } catch (error) {
      console.error('pushgate:', error);
    }
  }
}

/**
 * Keeps this origin's session alive while a page is open: renews the token before it expires
 * (one tab at a time, with the Web Locks API where there is one), passes renewed tokens on to
 * {@link onTokenRenewed}'s listeners (also those renewed by other tabs), and says when the
 * session changed in another tab or ended. A page calls it once.
 * @param {string} authUrl
 * @param {{identity?: Identity, onIdentityChange?: (identity: Identity) => void, onEnded?: () => void}} [options]
 *   identity: the one the page shows (read when it started); onIdentityChange: signed in or out,
 *   or roles changed, in another tab or by a renewal; onEnded: the token expired without a
 *   renewal (the page goes on anonymously)
 */
export function keepSignedIn(authUrl, { identity: shown = currentIdentity(), onIdentityChange = () => {}, onEnded = () => {} } = {}) {
  let timer = null;
  let busy = false;
  let given = shown.token;
  /** Hands a token to the listeners once (a session marked final in another tab keeps its token). */
  const give = (token) => {
    if (token && token !== given) {
      given = token;
      tokenRenewed(token);
    }
  };

  const wait = (ms, fn) => {
    clearTimeout(timer);
    timer = setTimeout(fn, Math.max(0, Math.min(ms, MAX_TIMER_MS)));
  };

  const schedule = () => {
    const session = readSession();
    if (!session) {
      if (!shown.anonymous) onIdentityChange(currentIdentity()); // signed out in another tab
      return;
    }
    if (identityOf(session.token, Date.now(), session).anonymous) {
      end();
      return;
    }
    const plan = sessionPlan(session);
    wait((session.final ? plan.lapseAt : Math.min(plan.renewAt, plan.lapseAt)) - Date.now(), check);
  };

  const end = () => {
    clearTimeout(timer);
    storage()?.removeItem(SESSION_KEY);
    if (shown.anonymous) return;
    tabStorage()?.setItem(NOTICE_KEY, 'Your sign-in has expired: sign in again.');
    onEnded();
  };

  const check = async () => {
    if (busy) return;
    const session = readSession();
    if (!session) {
      if (!shown.anonymous) onIdentityChange(currentIdentity());
      return;
    }
    const { renewAt, lapseAt } = sessionPlan(session);
    if (Date.now() >= lapseAt) {
      end();
      return;
    }
    if (session.final || Date.now() < renewAt) {
      schedule();
      return;
    }
    busy = true;
    let result;
    try {
      result = await withLock(() => renewIfDue(authUrl));
    } finally {
      busy = false;
    }
    if (result.outcome === 'unavailable') {
      console.warn(`pushgate: the session was not renewed (${result.message}); trying again`);
      wait(retryDelay(lapseAt, Date.now()), check);
      return;
    }
    if (result.outcome === 'refused') console.warn(`pushgate: the session cannot be renewed: ${result.message}`);
    if (result.outcome === 'renewed') {
      const identity = currentIdentity();
      if (!sameIdentity(identity, shown)) {
        onIdentityChange(identity);
        return;
      }
      give(result.session.token);
    }
    schedule();
  };

  globalThis.addEventListener?.('storage', (event) => {
    if (event.key !== SESSION_KEY && event.key !== null) return;
    const identity = currentIdentity();
    if (!sameIdentity(identity, shown)) {
      const old = parseSession(event.oldValue ?? null);
      if (identity.anonymous && old && identityOf(old.token, Date.now(), old).anonymous) {
        end(); // another tab saw the session lapse
        return;
      }
      clearTimeout(timer);
      onIdentityChange(identity);
      return;
    }
    if (!identity.anonymous) {
      give(identity.token);
      schedule();
    }
  });
  globalThis.document?.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') schedule();
  });
  const now = currentIdentity();
  if (!sameIdentity(now, shown)) {
    onIdentityChange(now); // another tab signed in or out while this page was starting
    return;
  }
  schedule();
}

/**
 * Renews the stored session unless another tab has just done it: read again under the lock.
 * @returns {Promise<{outcome: 'renewed'|'fresh'|'refused'|'unavailable', message?: string, session?: StoredSession}>}
 */
async function renewIfDue(authUrl) {
  const session = readSession();
  if (!session) return { outcome: 'refused', message: 'signed out' };
  if (session.final || Date.now() < sessionPlan(session).renewAt) return { outcome: 'fresh', session };
  const result = await exchangeToken(authUrl, session);
  const current = readSession();
  if (current?.token !== session.token) return { outcome: 'fresh', session: current }; // signed out or in meanwhile
  if (result.outcome === 'renewed') writeSession(result.session);
  if (result.outcome === 'refused') writeSession({ ...session, final: true });
  return result;
}

function withLock(fn) {
  const locks = globalThis.navigator?.locks;
  return locks ? locks.request('pushgate.session', fn) : fn();
}

/**
 * Signs in with the password grant (`POST {auth}/v1/token`, form-encoded) and keeps the session.
 * @param {string} authUrl
 * @param {string} name
 * @param {string} password
 * @returns {Promise<Identity>}
 */
export async function signIn(authUrl, name, password) {
  const body = new URLSearchParams({ grant_type: 'password', username: name, password });
  const response = await call(authUrl, '/v1/token', { method: 'POST', body });
  if (!response.ok) {
    const error = await errorBody(response);
    if (response.status === 401 || response.status === 400) throw new SignInError('Wrong name or password.', error.code);
    if (response.status === 429) throw new SignInError('Too many failed sign-ins: wait a minute and try again.', error.code);
    throw new SignInError(`Sign-in failed: ${error.message ?? response.status}`, error.code);
  }
  const { access_token: token, expires_in: expiresIn } = await response.json();
  const now = Date.now();
  const session = typeof token === 'string' ? newSession(token, expiresIn, now) : null;
  const identity = session ? identityOf(token, now, session) : identityOf(null);
  if (identity.anonymous) throw new SignInError('The auth-service answered with a token this page cannot read.');
  writeSession(session);
  return identity;
}

/**
 * Self sign-up (`POST {auth}/v1/principals` with `{name, password}`), then signs in.
 * @param {string} authUrl
 * @param {string} name
 * @param {string} password
 * @returns {Promise<Identity>}
 */
export async function signUp(authUrl, name, password) {
  const response = await call(authUrl, '/v1/principals', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name, password }),
  });
  if (!response.ok) {
    const error = await errorBody(response);
    if (response.status === 409) throw new SignInError(`The name ${name} is taken: choose another.`, error.code);
    if (response.status === 401 || response.status === 403) throw new SignInError('Sign-up is not open here: ask an administrator for an account.', error.code);
    throw new SignInError(error.message ?? `Sign-up failed (${response.status}).`, error.code);
  }
  return signIn(authUrl, name, password);
}

async function call(base, path, init) {
  try {
    return await fetch(base + path, init);
  } catch {
    throw new SignInError(`The auth-service (${base}) cannot be reached.`, 'UNAVAILABLE');
  }
}

async function errorBody(response) {
  try {
    const body = await response.json();
    return body && typeof body === 'object' ? body : {};
  } catch {
    return {};
  }
}

/** The origin's storage (every tab). */
function storage() {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/** This tab's storage. */
function tabStorage() {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null;
  }
}
