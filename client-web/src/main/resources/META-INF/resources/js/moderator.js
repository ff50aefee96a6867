// The moderator view, for administrators: the live moderation log (backend-app's
// `moderation/log` time series), the messages it flagged, and who lost the right to post
// (from the log, with their current overrides from the gateway's security API).

import { connect } from '/lib/pushgate.js';
import { messageText } from './chat-model.js';
import { byId, clockTime, h, show } from './dom.js';
import { initLayout } from './layout.js';
import { ModerationModel, canPost } from './moderation-model.js';
import { currentToken, isAdministrator } from './session.js';

const layout = await initLayout('moderator');
const { config, identity } = layout;

if (!isAdministrator(identity)) {
  byId('admin-required').hidden = false;
  byId('admin-sign-in').addEventListener('click', () => layout.openSignIn());
  if (!identity.anonymous) {
    byId('admin-required').querySelector('p').textContent =
      `You are signed in as ${identity.name}, who is not an administrator. Sign out and sign in as one.`;
    byId('admin-sign-in').hidden = true;
  }
} else {
  start();
}

function start() {
  byId('moderation').hidden = false;
  const logTopic = config.moderation.logTopic;
  const model = new ModerationModel();
  /** Original texts of flagged messages, by "room#seq" (a promise each, read once). */
  const originals = new Map();
  /** Overrides of principals, by name (a promise each; read again on refresh). */
  const overrides = new Map();
  let firstLoad = true;

  const client = connect({
    url: config.gateway.wsUrl,
    tokenProvider: () => currentToken(),
    reconnect: { initialMs: config.reconnect.initialMs, maxMs: config.reconnect.maxMs },
    onState: (state, info) => {
      layout.showConnection(state, info, client);
      if (state === 'open') loadHistory();
    },
    onError: (error) => console.warn('pushgate:', error),
  });

  client.subscribe(`>${logTopic}`, {
    onEvent: (topic, event) => {
      const entry = model.add(event);
      if (!entry) return;
      render();
      if (!firstLoad) byId('log-announcer').textContent = `${entry.action} in ${entry.room} by ${entry.principal}`;
    },
  });

  /** The log's subscription gives only its latest event (the topic has no subscription range): the rest by range. */
  async function loadHistory() {
    try {
      const reply = await client.range(logTopic, { fromLast: config.moderation.history });
      for (const event of reply.events) model.add(event);
      show(byId('log-message'), '');
      render();
    } catch (error) {
      if (error.code === 'NOT_FOUND') {
        show(byId('log-message'), `There is no ${logTopic} yet: backend-app creates it when it starts moderating.`);
      } else if (error.code !== 'UNAVAILABLE') {
        show(byId('log-message'), `The log cannot be read: ${error.message}`, 'error');
      }
    } finally {
      firstLoad = false;
    }
  }

  function render() {
    const log = model.log();
    byId('log-count').textContent = String(log.length);
    byId('log-rows').replaceChildren(...log.map((e) => h('tr', { dataset: { action: e.action, logSeq: e.logSeq } },
      h('td', {}, h('time', { datetime: e.time }, clockTime(e.time))),
      h('td', {}, h('span', { class: `action action-${e.action}` }, e.action)),
      h('td', {}, e.room),
      h('td', {}, e.principal),
      h('td', {}, e.seq === null ? '' : `#${e.seq}`),
      h('td', {}, e.error ?? (e.action === 'strike' && e.strikes !== null ? `${e.words.join(', ')} (strike ${e.strikes})` : e.words.join(', '))))));

    const flagged = model.flagged();
    byId('flagged-count').textContent = String(flagged.length);
    byId('flagged-empty').hidden = flagged.length > 0;
    byId('flagged-list').replaceChildren(...flagged.map((f) => {
      const original = h('p', { class: 'original' }, 'Reading the original…');
      originalOf(f.room, f.seq).then((text) => { original.textContent = text; });
      return h('li', { class: 'card flagged', dataset: { room: f.room, seq: f.seq } },
        h('div', { class: 'meta' }, h('strong', {}, f.principal), ` in ${f.room}, message #${f.seq}`,
          f.strikes !== null ? h('span', { class: 'badge badge-warn' }, `strike ${f.strikes}`) : null),
        original,
        h('p', { class: 'words' }, 'Words: ', ...f.words.map((w) => h('mark', {}, w))));
    }));

    const revoked = model.revoked();
    byId('revoked-count').textContent = String(revoked.length);
    byId('revoked-empty').hidden = revoked.length > 0;
    byId('revoked-list').replaceChildren(...revoked.map((r) => revokedCard(r)));
  }

  function originalOf(room, seq) {
    const key = `${room}#${seq}`;
    if (!originals.has(key)) {
      // The original as posted, before the moderator's edit: the "edits" view (administrators may query it).
      originals.set(key, client.range(room, { from: seq, to: seq, view: 'edits' }).then(
        (reply) => {
          const event = reply.events.find((e) => e.seq === seq);
          return event ? `“${messageText(event.value)}”` : '(no longer kept)';
        },
        (error) => {
          originals.delete(key);
          return `(cannot be read: ${error.message})`;
        }));
    }
    return originals.get(key);
  }

  function revokedCard(record) {
    const status = h('div', { class: 'overrides' }, 'Reading their permissions…');
    const restore = h('button', { type: 'button', class: 'link' }, 'Restore their rights');
    const card = h('li', { class: 'card revoked', dataset: { principal: record.principal } },
      h('div', { class: 'meta' }, h('strong', {}, record.principal)),
      h('ul', { class: 'plain' }, ...record.rooms.map((r) => h('li', {},
        r.error ? `${r.room}: revocation failed (${r.error})` : `${r.room} since ${clockTime(r.time)}`))),
      status, restore);
    const refresh = () => {
      overrides.delete(record.principal);
      fillOverrides(record, status, restore);
    };
    restore.addEventListener('click', async () => {
      restore.disabled = true;
      try {
        const response = await securityCall('DELETE', record.principal);
        if (!response.ok) throw new Error(`the gateway answered ${response.status}`);
      } catch (error) {
        status.append(h('p', { role: 'alert' }, `Not restored: ${error.message}`));
      }
      restore.disabled = false;
      refresh();
    });
    fillOverrides(record, status, restore);
    return card;
  }

  function fillOverrides(record, status, restore) {
    if (!overrides.has(record.principal)) {
      overrides.set(record.principal, securityCall('GET', record.principal).then(async (response) => {
        if (!response.ok) throw new Error(`the gateway answered ${response.status}`);
        return response.json();
      }));
    }
    overrides.get(record.principal).then((body) => {
      const paths = Object.entries(body.pathPermissions ?? {});
      status.replaceChildren(paths.length
        ? h('ul', { class: 'plain' }, ...paths.map(([path, perms]) => h('li', {},
          h('code', {}, path), ': ', perms.join(', ') || 'nothing',
          canPost(body, path) ? '' : h('span', { class: 'badge badge-readonly' }, 'cannot post'))))
        : h('p', {}, 'No overrides at the gateway now: their roles decide (restored).'));
      restore.hidden = paths.length === 0;
    }, (error) => {
      overrides.delete(record.principal);
      status.textContent = `Their permissions cannot be read: ${error.message}`;
    });
  }

  function securityCall(method, principal) {
    return fetch(`${config.gateway.url}/v1/security/principals/${encodeURIComponent(principal)}`, {
      method, headers: { Authorization: `Bearer ${currentToken()}` },
    });
  }

  // ---------------------------------------------------------------- rooms

  const prefix = config.chat.prefix;
  byId('room-prefix').textContent = `${prefix}/`;
  byId('room-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.target;
    const message = byId('room-form-message');
    const name = form.elements.name.value.trim();
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(name)) {
      show(message, 'A room name is 1 to 64 letters, digits or _ . -', 'error');
      return;
    }
    try {
      const reply = await client.add(`${prefix}/${name}`, {
        type: 'TIME_SERIES', eventType: 'JSON',
        properties: { TIME_SERIES_SUBSCRIPTION_RANGE: `limit ${config.chat.history}` },
      });
      show(message, reply.result === 'EXISTS' ? `#${name} exists already.` : `#${name} created.`, 'ok');
      form.reset();
    } catch (error) {
      show(message, `#${name} was not created: ${error.message}`, 'error');
    }
  });
}
