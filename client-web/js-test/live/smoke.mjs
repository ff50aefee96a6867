// A smoke test of the client library against a running gateway (not part of `npm test`: it
// needs the services). Node 20 needs --experimental-websocket for its WebSocket:
//
//   node --experimental-websocket live/smoke.mjs [ws://localhost:8080/v1/ws]
//
// The session must be allowed to add, set and append topics under smoke/ (a token in
// PUSHGATE_TOKEN, or anonymous roles that allow it). Exits non-zero on the first failure.
import assert from 'node:assert/strict';

import { connect } from '../../src/main/resources/META-INF/resources/lib/pushgate.js';

const url = process.argv[2] ?? process.env.PUSHGATE_URL ?? 'ws://localhost:8080/v1/ws';
const token = process.env.PUSHGATE_TOKEN;
const run = `smoke/${Date.now().toString(36)}`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(what, check, ms = 5000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return;
    await sleep(20);
  }
  throw new Error(`timed out waiting for ${what}`);
}

function open(delta, extra = {}) {
  const states = [];
  const client = connect({
    url, token, delta, reconnect: { initialMs: 100, maxMs: 1000 }, onState: (s, info) => states.push([s, info.code]),
    onError: (e) => console.error(`  [${delta}] error:`, e.message), ...extra,
  });
  return { client, states };
}

async function values(delta) {
  const { client } = open(delta);
  const topic = `${run}/${delta}/json`;
  const text = `${run}/${delta}/text`;
  const seen = { [topic]: [], [text]: [] };
  const sub = client.subscribe(`?${run}/${delta}/`, { onValue: (t, v, seq) => seen[t].push([v, seq]) });
  await sub.ready;
  await client.add(topic, 'JSON');
  await client.add(text, 'STRING');
  const docs = [
    { rates: { USD: 100.5, EUR: 90 }, note: 'prix en € — 價格 💶', 10: 'integer-like key', list: [1, 2, 3] },
    { rates: { USD: 101.25, EUR: 90 }, note: 'prix en € — 價格 💶', 10: 'integer-like key', list: [1, 2, 3, 4] },
    { rates: { USD: 101.25, EUR: 91 }, note: 'prix en €', 10: 'changed', list: [2, 3, 4] },
    { rates: { USD: 101.25, EUR: 91, GBP: 80 }, note: 'prix en €', 10: 'changed', list: [2, 3, 4], big: 'x'.repeat(300) },
    { rates: { USD: 102, EUR: 91, GBP: 80 }, note: 'prix en €', 10: 'changed', list: [2, 3, 4], big: 'x'.repeat(300) },
  ];
  const texts = ['Bienvenue à tous ☕ '.repeat(20), `${'Bienvenue à tous ☕ '.repeat(20)}— ようこそ 👋🏽`, `Bienvenüe 👨‍👩‍👧 ${'à tous ☕ '.repeat(20)}— ようこそ 👋🏽`];
  for (const doc of docs) await client.set(topic, doc);
  for (const t of texts) await client.set(text, t);
  await until(`${delta}: every JSON value`, () => seen[topic].length && seen[topic].at(-1)[1] === docs.length);
  await until(`${delta}: every text`, () => seen[text].length && seen[text].at(-1)[1] === texts.length);
  assert.deepEqual(seen[topic].at(-1)[0], docs.at(-1));
  assert.equal(seen[text].at(-1)[0], texts.at(-1));
  for (const [value, seq] of seen[topic]) assert.deepEqual(value, docs[seq - 1], `${delta}: JSON seq ${seq}`);
  for (const [value, seq] of seen[text]) assert.equal(value, texts[seq - 1], `${delta}: text seq ${seq}`);
  const stats = client.stats();
  console.log(`  ${delta}: ${seen[topic].length}+${seen[text].length} values, messages ${JSON.stringify(stats.messagesByType)}, ${stats.bytesReceived} bytes, ${stats.resyncs} resyncs`);
  assert.equal(stats.resyncs, 0);
  if (delta !== 'none') assert.ok(stats.messagesByType.delta > 0, `${delta}: some deltas`);
  client.close();
}

async function recovery() {
  const topic = `${run}/chat`;
  const writer = open('json-patch').client;
  await writer.add(topic, { type: 'TIME_SERIES', eventType: 'JSON' });
  await writer.append(topic, { text: 'before' });
  const { client, states } = open('json-patch');
  const events = [];
  const gaps = [];
  await client.subscribe(topic, { onEvent: (t, e) => events.push(e.seq), onGap: (t, f, to) => gaps.push([f, to]) }).ready;
  await writer.append(topic, { text: 'one' });
  await until('the first live event', () => events.includes(2));
  // Cut the connection (4001 as the gateway does for a slow consumer): the client reconnects.
  client._connection._conn.ws.close(4001, 'smoke test'); // the current socket (connection.js)
  for (let i = 0; i < 5; i++) await writer.append(topic, { text: `missed ${i}` });
  await until('reconnected', () => states.some(([s]) => s === 'reconnecting') && client.state === 'open');
  await writer.append(topic, { text: 'after' });
  await until('every event', () => events.includes(8));
  assert.deepEqual(events, [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual(gaps, []);
  const edit = await writer.edit(topic, 2, { text: 'one (edited)' });
  await until('the edit', () => events.includes(edit.seq));
  const range = await writer.range(topic, { fromLast: 3 });
  assert.equal(range.events.length, 3);
  await assert.rejects(writer.append(`${run}/nope`, 1), { code: 'NOT_FOUND' });
  console.log(`  recovery: events ${events.join(',')} (reconnected with since), no gap, no duplicate; range and errors ok`);
  client.close();
  writer.close();
}

/** Routing by the selectors the gateway names: overlapping selectors, a later one (tids), closing one, a reconnection. */
async function routing() {
  const { client } = open('json-patch');
  const base = `${run}/route`;
  const seen = { wide: [], narrow: [], late: [] };
  const record = (name) => ({ onValue: (t, v) => seen[name].push(`${t.substring(base.length + 1)}=${v}`) });
  const wide = client.subscribe(`?${base}/`, record('wide'));
  const narrow = client.subscribe(`>${base}/a`, record('narrow'));
  await Promise.all([wide.ready, narrow.ready]);
  await client.set(`${base}/a`, 1, { spec: 'INT64' });
  await client.set(`${base}/b`, 1, { spec: 'INT64' });
  await until('both selectors route', () => seen.wide.length === 2 && seen.narrow.length === 1);
  assert.deepEqual(seen.narrow, ['a=1']);
  // a new selector for topics already subscribed: the `ok`'s tids give them to it, with their values
  const late = client.subscribe(`*${base}/b`, record('late'));
  await late.ready;
  await until('the later selector gets b', () => seen.late.length === 1);
  assert.deepEqual(seen.late, ['b=1']);
  // closing the wide one: the gateway unsubscribes a and b, the client subscribes the others again
  await wide.close();
  await client.set(`${base}/a`, 2);
  await client.set(`${base}/b`, 2);
  await until('the others go on', () => seen.narrow.at(-1) === 'a=2' && seen.late.at(-1) === 'b=2');
  // a reconnection: every selector again, and the topics come back to their subscriptions
  client._connection._conn.ws.close(4001, 'smoke test');
  await until('reconnected', () => client.state !== 'open');
  await until('open again', () => client.state === 'open');
  await client.set(`${base}/a`, 3);
  await client.set(`${base}/b`, 3);
  await until('after the reconnection', () => seen.narrow.at(-1) === 'a=3' && seen.late.at(-1) === 'b=3');
  assert.deepEqual(seen.wide, ['a=1', 'b=1']);
  assert.ok(!seen.narrow.some((v) => v.startsWith('b')) && !seen.late.some((v) => v.startsWith('a')), JSON.stringify(seen));
  console.log(`  routing: ${JSON.stringify(seen)}`);
  client.close();
}

console.log(`smoke test against ${url} under ${run}/`);
for (const delta of ['json-patch', 'fossil', 'none']) await values(delta);
await recovery();
await routing();
console.log('ok');
