// The layout every page shares: the header with the navigation and who is signed in, the
// sign-in dialog, and the connection status line. Each page calls initLayout() first.

import { byId, h, show } from './dom.js';
import { currentIdentity, isAdministrator, keepSignedIn, signIn, signOut, signUp, takeNotice } from './session.js';
import { describeConnection } from './status.js';

const PAGES = [
  { id: 'chat', href: '/', label: 'Chat' },
  { id: 'dashboard', href: '/dashboard.html', label: 'Prices' },
  { id: 'moderator', href: '/moderator.html', label: 'Moderation' },
];

/**
 * @typedef {object} Layout
 * @property {any} config the document of /config.json
 * @property {import('./session.js').Identity} identity
 * @property {() => void} openSignIn
 * @property {(state: string, info: any, client?: {reconnect: () => void}) => void} showConnection
 */

/** The configuration of /config.json (loaded once per page). */
export async function loadConfig() {
  const response = await fetch('/config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`/config.json answered ${response.status}`);
  return response.json();
}

/**
 * Renders the header, the sign-in dialog and the status line, loads the configuration, and keeps
 * the session alive (renewed before it expires; the page reloads when it ends or when another tab
 * signs in or out, so that it always shows who the services see).
 * @param {'chat'|'dashboard'|'moderator'} page
 * @returns {Promise<Layout>}
 */
export async function initLayout(page) {
  const identity = currentIdentity();
  const notice = takeNotice();
  let config = null;
  let configError = null;
  try {
    config = await loadConfig();
  } catch (error) {
    configError = error;
  }
  const dialog = signInDialog();
  const openSignIn = () => {
    show(byId('sign-in-error'), '');
    dialog.showModal();
    byId('sign-in-name').focus();
  };
  byId('site-header').replaceChildren(...[
    h('a', { class: 'skip-link', href: '#main' }, 'Skip to content'),
    h('div', { class: 'bar' },
      h('a', { class: 'brand', href: '/' }, h('span', { class: 'logo', 'aria-hidden': 'true' }, '◆'), 'Pushgate'),
      h('nav', { 'aria-label': 'Pages' },
        h('ul', {}, ...PAGES.map((p) => h('li', {},
          h('a', { href: p.href, 'aria-current': p.id === page ? 'page' : null }, p.label))))),
      identityBox(identity, openSignIn)),
    notice ? h('p', { class: 'session-notice', id: 'session-notice', role: 'alert' }, notice) : null,
  ].filter(Boolean));
  document.body.append(dialog);

  const statusLine = document.getElementById('connection-status');
  if (configError) {
    if (statusLine) show(statusLine, `This page cannot load its configuration: ${configError.message}`, 'error');
    throw configError;
  }
  dialog.querySelector('form').addEventListener('submit', (event) => submitSignIn(event, config, dialog));
  keepSignedIn(config.auth.url, { identity, onIdentityChange: () => location.reload(), onEnded: () => location.reload() });
  return {
    config,
    identity,
    openSignIn,
    showConnection: (state, info, client) => showConnection(statusLine, state, info, client),
  };
}

function identityBox(identity, openSignIn) {
  if (identity.anonymous) {
    return h('div', { class: 'identity' },
      h('span', { class: 'badge badge-anonymous', id: 'identity-badge', title: 'Not signed in: you can read but not post' },
        'Anonymous · read-only'),
      h('button', { type: 'button', id: 'sign-in-button', class: 'primary', onclick: openSignIn }, 'Sign in'));
  }
  return h('div', { class: 'identity' },
    h('span', { class: 'badge badge-user', id: 'identity-badge', title: `Roles: ${identity.roles.join(', ') || 'none'}` },
      identity.name, isAdministrator(identity) ? h('span', { class: 'role' }, ' · administrator') : null),
    h('button', {
      type: 'button', id: 'sign-out-button',
      onclick: () => {
        signOut();
        location.reload();
      },
    }, 'Sign out'));
}

function signInDialog() {
  return h('dialog', { id: 'sign-in-dialog', 'aria-labelledby': 'sign-in-title' },
    h('form', { id: 'sign-in-form', novalidate: true },
      h('h2', { id: 'sign-in-title' }, 'Sign in'),
      h('p', { class: 'hint' }, 'New here? Choose a name and a password (8 characters or more) and create an account.'),
      h('label', { for: 'sign-in-name' }, 'Name'),
      h('input', {
        id: 'sign-in-name', name: 'name', autocomplete: 'username', required: true, maxlength: '64',
        pattern: '[A-Za-z0-9_.@\\-]{1,64}', autocapitalize: 'none', spellcheck: 'false',
      }),
      h('label', { for: 'sign-in-password' }, 'Password'),
      h('input', { id: 'sign-in-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true }),
      h('p', { id: 'sign-in-error', class: 'form-error', role: 'alert', hidden: true }),
      h('div', { class: 'actions' },
        h('button', { type: 'submit', value: 'sign-in', class: 'primary', id: 'sign-in-submit' }, 'Sign in'),
        h('button', { type: 'submit', value: 'sign-up', id: 'sign-up-submit' }, 'Create account'),
        h('button', {
          type: 'button', id: 'sign-in-cancel',
          onclick: (event) => event.target.closest('dialog').close(),
        }, 'Cancel'))));
}

async function submitSignIn(event, config, dialog) {
  event.preventDefault();
  const form = event.target;
  const error = byId('sign-in-error');
  const name = form.elements.name.value.trim();
  const password = form.elements.password.value;
  const signingUp = event.submitter?.value === 'sign-up';
  if (!/^[A-Za-z0-9_.@-]{1,64}$/.test(name)) {
    show(error, 'A name is 1 to 64 letters, digits or _ . @ -');
    form.elements.name.focus();
    return;
  }
  if (signingUp ? password.length < 8 : !password) {
    show(error, signingUp ? 'A password has 8 characters or more.' : 'Enter your password.');
    form.elements.password.focus();
    return;
  }
  const buttons = [...form.querySelectorAll('button')];
  buttons.forEach((b) => { b.disabled = true; });
  show(error, '');
  try {
    await (signingUp ? signUp : signIn)(config.auth.url, name, password);
    dialog.close();
    location.reload();
  } catch (e) {
    show(error, e.message);
    buttons.forEach((b) => { b.disabled = false; });
    form.elements.password.focus();
  }
}

function showConnection(line, state, info, client) {
  if (!line) return;
  const { text, tone, reconnecting } = describeConnection(state, info);
  line.dataset.state = state;
  line.dataset.tone = tone;
  line.hidden = false;
  line.replaceChildren(h('span', { class: 'dot', 'aria-hidden': 'true' }), h('span', { class: 'status-text' }, text));
  if (reconnecting && client) {
    line.append(h('button', { type: 'button', class: 'link', onclick: () => client.reconnect() }, 'Reconnect now'));
  }
}
