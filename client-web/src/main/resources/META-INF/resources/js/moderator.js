// The moderator view, for administrators: the live moderation log (backend-app's
// `moderation/log` time series), the messages it flagged, and who lost the right to post: live
// from each principal's status topic (`moderation/status/<name>`, which backend-app publishes on
// every revocation and restore), with their current overrides from the gateway's security API,
// read again whenever that principal's status or log changes. "Connected now" lists the live
// sessions of every gateway replica (listSessions, VIEW_SESSION), read again every few seconds
// and after each moderation action; "Disconnect" closes a person's sessions (closeSessions, 4101).

import { connect } from '/lib/pushgate.js';
import { durationInWords, messageText } from './chat-model.js';
import { byId, clockTime, h, show } from './dom.js';
import { initLayout } from './layout.js';
import { ModerationModel, canPost, connectedPeople, messageLabel, principalFilter } from './moderation-model.js';
import { currentToken, followTokenRenewals, isAdministrator } from './session.js';

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
  const model = new ModerationModel(config.moderation.history);
  /** Original texts of flagged versions, by "room#seq#version" (a promise each, read once). */
  const originals = new Map();
  /** Overrides of principals, by name: a promise each, dropped whenever the principal's status or log changes. */
  const overrides = new Map();
  /** Restores asked for and not yet answered by a status change, by "principal#room": the revocation's id. */
  const asked = new Map();
  let firstLoad = true;

  const client = connect({
    url: config.gateway.wsUrl,
    tokenProvider: () => currentToken(),
    reconnect: { initialMs: config.reconnect.initialMs, maxMs: config.reconnect.maxMs },
    onState: (state, info) => {
      layout.showConnection(state, info, client);
      if (state === 'open') {
        loadHistory();
        loadSessions();
      }
    },
    onError: (error) => console.warn('pushgate:', error),
  });
  followTokenRenewals(client);

  client.subscribe(`>${logTopic}`, {
    onEvent: (topic, event) => {
      const entry = model.add(event);
      if (!entry) return;
      overrides.delete(entry.principal);
      render();
      loadSessions();
      if (!firstLoad) byId('log-announcer').textContent = `${entry.action} in ${entry.room} by ${entry.principal}`;
    },
  });

  // Every principal's status: who may not post where, now (the administrator may read them all).
  client.subscribe(`?${config.moderation.statusPrefix}/`, {
    onValue: (topic, value) => {
      const principal = model.setStatus(value?.principal, value);
      if (!principal) return;
      overrides.delete(principal);
      for (const key of [...asked.keys()]) {
        const [who, room] = key.split('#');
        if (who === principal && value?.revoked?.[room]?.id !== asked.get(key)) asked.delete(key);
      }
      render();
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
    // data-label: the column's name, shown beside each value where the rows stack (phones)
    byId('log-rows').replaceChildren(...log.map((e) => h('tr', { dataset: { action: e.action, logSeq: e.logSeq } },
      h('td', { 'data-label': 'Time' }, h('time', { datetime: e.time }, clockTime(e.time))),
      h('td', { 'data-label': 'Action' }, h('span', { class: `action action-${e.action}` }, e.action)),
      h('td', { 'data-label': 'Room' }, e.room),
      h('td', { 'data-label': 'Who' }, e.principal),
      h('td', { 'data-label': 'Message' }, messageLabel(e)),
      h('td', { 'data-label': 'Words' }, e.error ?? (e.by ? `by ${e.by}`
        : (e.action === 'strike' && e.strikes !== null ? `${e.words.join(', ')} (strike ${e.strikes})` : e.words.join(', ')))))));

    const flagged = model.flagged();
    const shown = flagged.slice(0, config.moderation.flagged);
    byId('flagged-count').textContent = String(flagged.length);
    byId('flagged-empty').hidden = flagged.length > 0;
    show(byId('flagged-more'), flagged.length > shown.length
      ? `The ${shown.length} newest of ${flagged.length} are shown; the log above has them all.` : '');
    byId('flagged-list').replaceChildren(...shown.map((f) => {
      const original = h('p', { class: 'original' }, 'Reading what was written…');
      originalOf(f).then((text) => { original.textContent = text; });
      const version = f.edit !== null ? `, its edit #${f.edit}` : f.inbox !== null ? ` (held back: inbox #${f.inbox})` : '';
      return h('li', { class: 'card flagged', dataset: { room: f.room, seq: f.seq } },
        h('div', { class: 'meta' }, h('strong', {}, f.principal), ` in ${f.room}, message #${f.seq}${version}`,
          f.strikes !== null ? h('span', { class: 'badge badge-warn' }, `strike ${f.strikes}`) : null),
        original,
        h('p', { class: 'words' }, 'Words: ', ...f.words.map((w) => h('mark', {}, w))));
    }));

    const revoked = model.revoked();
    byId('revoked-count').textContent = String(revoked.filter((r) => r.current === null || r.current.length > 0).length);
    byId('revoked-empty').hidden = revoked.length > 0;
    byId('revoked-list').replaceChildren(...revoked.map((r) => revokedCard(r)));
  }

  /** What the flagged version said before the moderator's bleep: from the edits view, or the inbox of a pre-moderated room. */
  function originalOf(flag) {
    const topic = flag.inbox !== null ? `${config.chat.inboxPrefix}/${flag.room}` : flag.room;
    const seq = flag.inbox ?? flag.edit ?? flag.seq;
    const key = `${topic}#${seq}`;
    if (!originals.has(key)) {
      // administrators may query the edits view (every version as written) and read the inboxes
      originals.set(key, client.range(topic, { from: seq, to: seq, view: 'edits' }).then(
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
    const now = record.current === null
      ? h('p', { class: 'hint' }, 'backend-app has published no status for them.')
      : record.current.length === 0
        ? h('p', { class: 'restored' }, 'They may post everywhere again (restored).')
        : h('ul', { class: 'plain now' }, ...record.current.map((c) => revocationLine(record.principal, c)));
    const card = h('li', { class: 'card revoked', dataset: { principal: record.principal } },
      h('div', { class: 'meta' }, h('strong', {}, record.principal)),
      now,
      h('ul', { class: 'plain history' }, ...record.rooms.map((r) => h('li', {},
        r.action === 'revoke-failed' ? `${r.room}: revocation failed (${r.error})`
          : r.action === 'restore' ? `${r.room}: given back by ${r.by ?? 'a moderator'} at ${clockTime(r.time)}`
            : `${r.room}: taken away at ${clockTime(r.time)}`))),
      status);
    fillOverrides(record, status);
    return card;
  }

  /** A room the principal may not post in now, and the button that asks backend-app to give the right back. */
  function revocationLine(principal, current) {
    const key = `${principal}#${current.room}`;
    const window = durationInWords(current.window);
    const restore = h('button', { type: 'button', class: 'link restore-button', dataset: { room: current.room } },
      asked.get(key) === current.id ? 'Restore asked…' : `Restore in ${current.room}`);
    restore.disabled = asked.get(key) === current.id;
    const message = h('span', { role: 'status', class: 'restore-message' });
    restore.addEventListener('click', async () => {
      restore.disabled = true;
      restore.textContent = 'Restore asked…';
      try {
        // backend-app carries it out and publishes the new status, which updates this card
        await client.append(config.moderation.requestsTopic,
          { action: 'restore', principal, room: current.room, id: current.id });
        asked.set(key, current.id);
      } catch (error) {
        restore.disabled = false;
        restore.textContent = `Restore in ${current.room}`;
        message.textContent = ` Not asked: ${error.message}`;
      }
    });
    return h('li', { class: 'current', dataset: { room: current.room } },
      h('span', { class: 'badge badge-readonly' }, 'cannot post'), ' ', h('code', {}, current.room),
      current.since ? ` since ${clockTime(current.since)}` : '',
      current.strikes ? ` (${current.strikes} strikes${window ? ` within ${window}` : ''})` : '',
      ' ', restore, message);
  }

  function fillOverrides(record, status) {
    if (!overrides.has(record.principal)) {
      overrides.set(record.principal, securityCall('GET', record.principal).then(async (response) => {
        if (!response.ok) throw new Error(`the gateway answered ${response.status}`);
        return response.json();
      }));
    }
    overrides.get(record.principal).then((body) => {
      const paths = Object.entries(body.pathPermissions ?? {});
      status.replaceChildren(h('p', { class: 'overrides-title' }, 'At the gateway now:'), paths.length
        ? h('ul', { class: 'plain' }, ...paths.map(([path, perms]) => h('li', {},
          h('code', {}, path), ': ', perms.join(', ') || 'nothing',
          canPost(body, path) === false && !path.startsWith(`${config.moderation.statusPrefix}/`)
            ? h('span', { class: 'badge badge-readonly' }, 'cannot post') : '')))
        : h('p', {}, 'No overrides: their roles decide.'));
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

  // ---------------------------------------------------------------- who is connected

  /** How often the list of live sessions is read again. */
  const SESSIONS_REFRESH_MS = config.moderation.sessionsRefreshMs;
  let sessionsLoading = false;
  setInterval(loadSessions, SESSIONS_REFRESH_MS);

  async function loadSessions() {
    if (sessionsLoading || client.state !== 'open') return;
    sessionsLoading = true;
    try {
      const reply = await client.listSessions();
      renderConnected(connectedPeople(reply.sessions));
      show(byId('connected-message'), '');
    } catch (error) {
      if (error.code !== 'UNAVAILABLE') show(byId('connected-message'), `Who is connected cannot be read: ${error.message}`, 'error');
    } finally {
      sessionsLoading = false;
    }
  }

  function renderConnected(people) {
    byId('connected-count').textContent = String(people.length);
    byId('connected-list').replaceChildren(...people.map((p) => {
      const disconnect = h('button', { type: 'button', class: 'link disconnect-button' }, 'Disconnect');
      // not anonymous readers (all of them at once), oneself, nor the moderator service
      disconnect.hidden = p.principal === 'anonymous' || p.principal === identity.name || p.principal === config.chat?.moderator;
      disconnect.addEventListener('click', async () => {
        disconnect.disabled = true;
        try {
          const reply = await client.closeSessions({ filter: principalFilter(p.principal) }, `disconnected by the moderator ${identity.name}`);
          // said above the list: the card goes with the sessions
          show(byId('disconnect-message'), `${p.principal}: ${reply.sessions} session(s) closed.`, 'ok');
          loadSessions();
        } catch (error) {
          disconnect.disabled = false;
          show(byId('disconnect-message'), `${p.principal} was not disconnected: ${error.message}`, 'error');
        }
      });
      return h('li', { class: 'card connected', dataset: { principal: p.principal } },
        h('div', { class: 'meta' }, h('strong', {}, p.principal),
          ` ${p.sessions} session${p.sessions === 1 ? '' : 's'} (${p.transports.join(', ')})`,
          p.replicas > 1 ? ` on ${p.replicas} replicas` : '',
          `, ${p.subscriptions} subscription${p.subscriptions === 1 ? '' : 's'}`),
        disconnect);
    }));
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
        // PRESENCE: the gateway keeps $presence/<room>, who is in it, which the chat shows
        properties: { TIME_SERIES_SUBSCRIPTION_RANGE: `limit ${config.chat.history}`, PRESENCE: 'true' },
      });
      show(message, reply.result === 'EXISTS' ? `#${name} exists already.` : `#${name} created.`, 'ok');
      form.reset();
    } catch (error) {
      show(message, `#${name} was not created: ${error.message}`, 'error');
    }
  });
}
