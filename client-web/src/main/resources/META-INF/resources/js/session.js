// Who the user is: sign-up and sign-in through the auth-service, the token kept in
// sessionStorage (this tab only, gone when it closes), and the identity read from its claims.

const TOKEN_KEY = 'pushgate.token';

/**
 * @typedef {object} Identity
 * @property {boolean} anonymous
 * @property {string} name the principal (`sub`), or 'anonymous'
 * @property {string[]} roles
 * @property {string|null} token
 * @property {number|null} expiresAt milliseconds since the epoch
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
 * the page reads the name and roles to show them.
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
 * The identity a token stands for; anonymous without a token, or with one that is malformed or
 * expired (with a minute's margin, so that a connection is not opened with a token about to lapse).
 * @param {string|null|undefined} token
 * @param {number} [now=Date.now()]
 * @returns {Identity}
 */
export function identityOf(token, now = Date.now()) {
  const claims = token ? decodeClaims(token) : null;
  const expiresAt = typeof claims?.exp === 'number' ? claims.exp * 1000 : null;
  if (!claims || typeof claims.sub !== 'string' || (expiresAt !== null && expiresAt - 60_000 <= now)) {
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

/** The identity of this tab (anonymous when signed out or the token expired; an expired token is dropped). */
export function currentIdentity() {
  const token = storage()?.getItem(TOKEN_KEY) ?? null;
  const identity = identityOf(token);
  if (token && identity.anonymous) storage()?.removeItem(TOKEN_KEY);
  return identity;
}

/** The token to connect with, or null (anonymous). Read before every connection attempt. */
export function currentToken() {
  return currentIdentity().token;
}

export function signOut() {
  storage()?.removeItem(TOKEN_KEY);
}

/**
 * Signs in with the password grant (`POST {auth}/v1/token`, form-encoded) and keeps the token.
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
  const { access_token: token } = await response.json();
  const identity = identityOf(token);
  if (identity.anonymous) throw new SignInError('The auth-service answered with a token this page cannot read.');
  storage()?.setItem(TOKEN_KEY, token);
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

function storage() {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null;
  }
}
