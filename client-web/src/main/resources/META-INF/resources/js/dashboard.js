// The price dashboard: the same BPI feed as raw Redis messages (through the redis-bridge) and as
// a gateway topic view of the USD price, each charted with the bytes and messages it cost.

import uPlot from '/webjars/uplot/1.6.30/dist/uPlot.esm.js';
import { connect, utf8Length } from '/lib/pushgate.js';
import {
  CurrencyBoard, FEED_CONTROL_ROLES, Series, formatRate, UpdateMeter, bytesPerUpdate, formatPercent, formatUsd, gatewayUpdates, numberOf,
  priceRange, savingPerUpdate, savingSummary, showsPoints, timeRange, usdPrice,
} from './dashboard-model.js';
import { byId, h, show } from './dom.js';
import { initLayout } from './layout.js';
import { currentToken, followTokenRenewals, hasAnyRole, isAdministrator } from './session.js';
import { formatBytes } from './status.js';

const layout = await initLayout('dashboard');
const { config, identity } = layout;
const settings = config.dashboard;

// raw: every frame from the bridge (bytes), and those that hold a price (updates)
const raw = { bytes: 0, updates: new UpdateMeter(), series: new Series(settings.points), chart: chart(byId('raw-chart'), '#d9480f', 'Raw Redis') };
const gateway = { series: new Series(settings.points), chart: chart(byId('gateway-chart'), '#1864ab', 'Gateway') };

// ---------------------------------------------------------------- raw Redis, through the bridge

const rawUrl = `${config.bridge.wsUrl}/v1/redis/${encodeURIComponent(settings.channel)}`;
byId('raw-source').textContent = rawUrl;
openRaw(0);

function openRaw(attempt) {
  const message = byId('raw-message');
  let ws;
  try {
    ws = new WebSocket(rawUrl);
  } catch (error) {
    show(message, `Cannot open ${rawUrl}: ${error.message}`, 'error');
    return;
  }
  ws.binaryType = 'arraybuffer';
  ws.onopen = () => {
    attempt = 0;
    show(message, '');
  };
  ws.onmessage = (event) => {
    const bytes = typeof event.data === 'string' ? utf8Length(event.data) : event.data.byteLength;
    raw.bytes += bytes;
    let doc = null;
    try {
      doc = typeof event.data === 'string' ? JSON.parse(event.data) : null;
    } catch {
      // not a BPI document: in the bytes, not a price update
    }
    const price = usdPrice(doc);
    if (raw.series.push(Date.now(), price)) {
      raw.updates.add(bytes);
      plot(raw, byId('raw-chart'));
      byId('raw-price').textContent = formatUsd(price);
    }
    updateCounters();
  };
  ws.onclose = (event) => {
    const delay = Math.min(config.reconnect.maxMs, config.reconnect.initialMs * 2 ** Math.min(attempt, 10));
    show(message, `The redis-bridge connection closed${event.code ? ` (${event.code})` : ''}: reconnecting in ${Math.ceil(delay / 1000)} s…`, 'warn');
    setTimeout(() => openRaw(attempt + 1), delay);
  };
}

// ---------------------------------------------------------------- the gateway's topic view

byId('gateway-source').textContent = `${config.gateway.wsUrl} → ${settings.viewTopic}`;
const client = connect({
  url: config.gateway.wsUrl,
  tokenProvider: () => currentToken(),
  reconnect: { initialMs: config.reconnect.initialMs, maxMs: config.reconnect.maxMs },
  onState: (state, info) => {
    layout.showConnection(state, info, client);
    if (state === 'open') checkView();
  },
  onError: (error) => console.warn('pushgate:', error),
});
followTokenRenewals(client);
client.subscribe(`>${settings.viewTopic}`, {
  onSubscribed: () => show(byId('view-hint'), ''),
  onValue: (topic, value) => {
    const price = numberOf(value);
    if (gateway.series.push(Date.now(), price)) {
      plot(gateway, byId('gateway-chart'));
      byId('gateway-price').textContent = formatUsd(price);
    }
    updateCounters();
  },
  onUnsubscribed: (topic, reason) => {
    if (reason === 'REMOVED') checkView();
  },
});
setInterval(updateCounters, 1000);

// ---------------------------------------------------------------- one topic per currency (expand + process)

// Its own connection, so that its bytes are counted apart from the USD view's; the session
// property panel=currencies tells it apart in a moderator's list of sessions (and in the tests).
const board = new CurrencyBoard('USD');
byId('currency-source').textContent = `${config.gateway.wsUrl} → ${settings.currencySelector}`;
byId('currency-view').replaceChildren('The view ', h('code', {}, settings.currencyViewName), ': ', h('code', {}, settings.currencyView));
const currencyClient = connect({
  url: config.gateway.wsUrl,
  properties: { panel: 'currencies' },
  tokenProvider: () => currentToken(),
  reconnect: { initialMs: config.reconnect.initialMs, maxMs: config.reconnect.maxMs },
  onError: (error) => console.warn('pushgate (currencies):', error),
});
followTokenRenewals(currencyClient);
currencyClient.subscribe(settings.currencySelector, {
  onValue: (topic, value) => {
    if (board.update(topic, value)) renderCurrencies();
  },
  onUnsubscribed: (topic) => {
    board.remove(topic);
    renderCurrencies();
  },
});

function renderCurrencies() {
  byId('currency-rows').replaceChildren(...board.rows().map((row) => h('tr', { 'data-topic': row.topic },
    h('td', {}, h('code', {}, row.topic)), h('td', {}, row.code), h('td', { class: 'rate' }, formatRate(row.rate, row.code)),
    h('td', {}, String(row.updates)))));
  updateCurrencyCounters();
}

/** Bytes of the currency topics' values and deltas per price update: what this way of splitting the feed costs a client. */
function updateCurrencyCounters() {
  const stats = currencyClient.stats();
  const updates = gatewayUpdates(stats);
  const count = byId('currency-updates');
  count.textContent = board.priceUpdates.toLocaleString('en-US');
  count.dataset.count = String(board.priceUpdates);
  count.dataset.bytes = String(updates.bytes);
  const per = bytesPerUpdate({ count: board.priceUpdates, bytes: updates.bytes });
  const perUpdate = byId('currency-per-update');
  perUpdate.textContent = per === null ? '–' : formatBytes(Math.round(per));
  perUpdate.title = per === null ? '' : `${updates.bytes.toLocaleString('en-US')} bytes of ${updates.count.toLocaleString('en-US')} currency updates in ${board.priceUpdates.toLocaleString('en-US')} price updates`;
  setBytes(byId('currency-bytes'), stats.bytesReceived);
}
setInterval(updateCurrencyCounters, 1000);

/** Says what to do when the view's topic does not exist (and, for an administrator, offers to create the view). */
async function checkView() {
  let exists;
  try {
    exists = (await client.fetch(`>${settings.viewTopic}`, { withValues: false })).results.length > 0;
  } catch {
    return;
  }
  const hint = byId('view-hint');
  if (exists) {
    show(hint, '');
    return;
  }
  const text = h('p', {}, 'The gateway has no topic ', h('code', {}, settings.viewTopic), ' yet. It is the view ',
    h('code', {}, settings.view), ' of the prices published to the gateway.');
  if (!isAdministrator(identity)) {
    hint.replaceChildren(text, h('p', {}, 'An administrator creates it: sign in as one and come back, or ',
      h('code', {}, `PUT ${config.gateway.url}/v1/views/${settings.viewName}`), ' with that text.'));
    hint.hidden = false;
    return;
  }
  const button = h('button', { type: 'button', class: 'primary', id: 'create-view' }, 'Create the view');
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      // the USD view of the chart and the currency panel's view, from the same source
      for (const [name, text] of [[settings.viewName, settings.view], [settings.currencyViewName, settings.currencyView]]) {
        const response = await fetch(`${config.gateway.url}/v1/views/${encodeURIComponent(name)}`, {
          method: 'PUT', headers: { 'Content-Type': 'text/plain', Authorization: `Bearer ${currentToken()}` }, body: text,
        });
        if (!response.ok) {
          const body = await response.json().catch(() => ({}));
          throw new Error(`${name}: ${body.message ?? `the gateway answered ${response.status}`}`);
        }
      }
      hint.replaceChildren(h('p', {}, 'View created: the chart starts with the next price published to the gateway.'));
    } catch (error) {
      button.disabled = false;
      hint.append(h('p', { role: 'alert' }, `The view was not created: ${error.message}`));
    }
  });
  hint.replaceChildren(text, button);
  hint.hidden = false;
}

// ---------------------------------------------------------------- counters and charts

/** Price updates and their bytes on both paths; the saving per update (not of totals, which count different things). */
function updateCounters() {
  const stats = client.stats();
  const gatewayPrices = gatewayUpdates(stats);
  setUpdates('raw', raw.updates);
  setBytes(byId('raw-bytes'), raw.bytes);
  setUpdates('gateway', gatewayPrices);
  setBytes(byId('gateway-bytes'), stats.bytesReceived);
  byId('gateway-saving').textContent = formatPercent(savingPerUpdate(raw.updates, gatewayPrices));
  byId('saving-summary').textContent = savingSummary(raw.updates, gatewayPrices, formatBytes);
}

function setUpdates(feed, updates) {
  const count = byId(`${feed}-updates`);
  count.textContent = updates.count.toLocaleString('en-US');
  count.dataset.count = String(updates.count);
  count.dataset.bytes = String(updates.bytes);
  const per = bytesPerUpdate(updates);
  const perUpdate = byId(`${feed}-per-update`);
  perUpdate.textContent = per === null ? '–' : formatBytes(Math.round(per));
  perUpdate.title = per === null ? '' : `${updates.bytes.toLocaleString('en-US')} bytes in ${updates.count.toLocaleString('en-US')} price updates`;
}

function setBytes(el, bytes) {
  el.textContent = formatBytes(bytes);
  el.dataset.bytes = String(bytes);
  el.title = `${bytes.toLocaleString('en-US')} bytes`;
}

function plot(feed, el) {
  feed.chart.setData(feed.series.data());
  el.dataset.points = String(feed.series.length);
}

function chart(el, color, label) {
  const height = () => (window.matchMedia('(max-width: 640px)').matches ? 180 : 240);
  const u = new uPlot({
    width: Math.max(200, el.clientWidth),
    height: height(),
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    scales: {
      x: { time: true, range: (self) => timeRange(self.data[0]) },
      y: { range: (self, min, max) => priceRange(min, max) },
    },
    series: [{}, {
      label, stroke: color, width: 2, fill: `${color}1a`,
      points: { show: (self) => showsPoints(self.data[0].length), size: 8, fill: color },
    }],
    // the axes' extent as data attributes (data-x-range, data-y-range: "min,max"), which the browser tests read
    hooks: {
      setScale: [(self, key) => {
        const { min, max } = self.scales[key];
        el.dataset[`${key}Range`] = `${min},${max}`;
      }],
    },
    axes: [
      { stroke: '#495057', grid: { stroke: '#e9ecef' }, ticks: { stroke: '#dee2e6' } },
      {
        stroke: '#495057', grid: { stroke: '#e9ecef' }, ticks: { stroke: '#dee2e6' }, size: 80,
        values: (self, ticks) => ticks.map((v) => `$${v.toLocaleString('en-US', { maximumFractionDigits: 2 })}`),
      },
    ],
  }, [[], []], el);
  let width = el.clientWidth;
  new ResizeObserver(() => {
    if (el.clientWidth !== width) {
      width = el.clientWidth;
      u.setSize({ width: Math.max(200, width), height: height() });
    }
  }).observe(el);
  return u;
}

// ---------------------------------------------------------------- the feed control

// Starting and stopping the data-feeder takes TOPIC_CONTROL or ADMINISTRATOR (the feeder checks
// the token); everyone sees its state.
const feedMessage = byId('feed-message');
const mayControlFeed = hasAnyRole(identity, ...FEED_CONTROL_ROLES);
byId('feed-actions').hidden = !mayControlFeed;
if (!mayControlFeed) {
  const hint = byId('feed-hint');
  hint.replaceChildren(`Starting and stopping the feed takes the role ${FEED_CONTROL_ROLES.join(' or ')}`,
    identity.anonymous ? '. ' : ` (${identity.name} has ${identity.roles.join(', ') || 'no role'}). `,
    identity.anonymous ? h('button', { type: 'button', class: 'link', id: 'feed-sign-in', onclick: layout.openSignIn }, 'Sign in as such a user')
      : 'Sign out and sign in as such a user.');
  hint.hidden = false;
}
byId('feed-start').addEventListener('click', () => feed('start'));
byId('feed-stop').addEventListener('click', () => feed('stop'));
feed(null);

/** Reads the feed's state, or starts or stops it first (with the session's token). */
async function feed(action) {
  const buttons = [byId('feed-start'), byId('feed-stop')];
  buttons.forEach((b) => { b.disabled = true; });
  try {
    const token = currentToken();
    const response = await fetch(`${config.feeder.url}/v1/feed${action ? `/${action}` : ''}`, {
      method: action ? 'POST' : 'GET', headers: token ? { Authorization: `Bearer ${token}` } : {},
    });
    if (response.status === 401 || response.status === 403) {
      throw new Error(response.status === 401 ? 'it did not accept your sign-in (401): sign in again'
        : `it refused (403): starting and stopping the feed takes ${FEED_CONTROL_ROLES.join(' or ')}`);
    }
    if (!response.ok) throw new Error(`it answered ${response.status}`);
    const state = await response.json();
    const source = state.source ?? state.mode;
    byId('feed-state').textContent = `${state.running ? 'running' : 'stopped'}${source ? ` (${source})` : ''}`;
    byId('feed-state').dataset.running = String(!!state.running);
    byId('feed-start').disabled = !!state.running;
    byId('feed-stop').disabled = !state.running;
    show(feedMessage, '');
  } catch (error) {
    if (!action) byId('feed-state').textContent = 'unknown';
    show(feedMessage, action ? `The data-feeder (${config.feeder.url}) did not ${action} the feed: ${error.message}.`
      : `The data-feeder (${config.feeder.url}) does not answer: ${error.message}.`, 'error');
    buttons.forEach((b) => { b.disabled = false; });
  }
}
