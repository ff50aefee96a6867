// Writes the Fossil delta fixtures of the protocol module's tests from the reference JS
// implementation (npm `fossil-delta` by dchest, the one Centrifugo's clients follow).
//
//   cd protocol/tools && npm ci && node fossil-fixtures.mjs [outDir]
//
// outDir defaults to ../src/test/resources/fossil. Each case is one JSON file:
//   name, note             what the case is about
//   source, target         the texts (their UTF-8 bytes are what the delta is made of)
//   ascii                  true when both are pure ASCII: then the Java `create` must give
//                          exactly `delta`
//   delta                  base64 of the bytes of the reference create(source, target)
//   deltaIsUtf8            whether those bytes happen to be valid UTF-8 (the reference may cut a
//                          copy through a multi-byte character, which the Java `createText`
//                          avoids)
//   applied                base64 of the reference apply(source, delta): the target's bytes
//   reference              package and version that produced the file
// The texts are made with a seeded generator, so running this again gives the same files.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as fossilModule from 'fossil-delta';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = process.argv[2] ?? join(here, '..', 'src', 'test', 'resources', 'fossil');

// 1.x exports { create, apply } (a UMD object); 2.x exports { createDelta, applyDelta }.
const fd = fossilModule.default ?? fossilModule;
const create = fd.create ?? fossilModule.createDelta;
const apply = fd.apply ?? fossilModule.applyDelta;
const pkg = JSON.parse(readFileSync(join(here, 'node_modules', 'fossil-delta', 'package.json'), 'utf8'));

// mulberry32: small, seeded, good enough to make varied texts reproducibly.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = (r, xs) => xs[Math.floor(r() * xs.length)];

const WORDS = {
  ascii: 'the of price market bitcoin gateway topic delta update stream subscribe value index rate quote session client server frame window latency'.split(' '),
  greek: 'αγορά τιμή ενημέρωση ροή πελάτης διακομιστής θέμα δέλτα'.split(' '),
  cyrillic: 'рынок цена обновление поток клиент сервер тема дельта'.split(' '),
  cjk: '市場 価格 更新 配信 購読 クライアント サーバー 話題 差分'.split(' '),
  emoji: '📈 📉 💹 🚀 🔥 ✅ ⚡ 👍🏽 🇪🇺 👨‍👩‍👧'.split(' '),
};

function text(seed, words, count) {
  const r = rng(seed);
  const out = [];
  for (let i = 0; i < count; i++) {
    out.push(pick(r, words));
    if (r() < 0.08) out.push('\n');
  }
  return out.join(' ');
}

// A few inserts, deletes and replacements at random places, on code points so the
// texts stay valid Unicode.
function edit(seed, s, edits, words) {
  const r = rng(seed);
  const cps = Array.from(s);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(r() * cps.length);
    const kind = r();
    const word = Array.from(' ' + pick(r, words) + ' ');
    if (kind < 0.34) cps.splice(at, 0, ...word);
    else if (kind < 0.67) cps.splice(at, 1 + Math.floor(r() * 6));
    else cps.splice(at, word.length, ...word);
  }
  return cps.join('');
}

// A CoinDesk "current price" document, the classic example of a small JSON value that
// changes a little every minute.
function bpi({ when, usd, gbp, eur, symbols = ['&#36;', '&pound;', '&euro;'] }, indent) {
  const fmt = (x) => x.toLocaleString('en-US', { minimumFractionDigits: 4, maximumFractionDigits: 4 });
  const d = new Date(when);
  const ukMonth = d.toLocaleString('en-GB', { month: 'short', timeZone: 'UTC' });
  const hhmm = d.toISOString().slice(11, 16);
  const cur = (code, symbol, rate, description) => ({
    code, symbol, rate: fmt(rate), description, rate_float: rate,
  });
  return JSON.stringify({
    time: {
      updated: `${d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' })} ${d.getUTCDate()}, ${d.getUTCFullYear()} ${d.toISOString().slice(11, 19)} UTC`,
      updatedISO: d.toISOString().replace('.000Z', '+00:00'),
      updateduk: `${d.getUTCDate()} ${ukMonth} ${d.getUTCFullYear()} at ${hhmm} GMT`,
    },
    disclaimer: 'This data was produced from the CoinDesk Bitcoin Price Index (USD). Non-USD currency data converted using hourly conversion rate from openexchangerates.org',
    chartName: 'Bitcoin',
    bpi: {
      USD: cur('USD', symbols[0], usd, 'United States Dollar'),
      GBP: cur('GBP', symbols[1], gbp, 'British Pound Sterling'),
      EUR: cur('EUR', symbols[2], eur, 'Euro'),
    },
  }, null, indent);
}

const before = { when: Date.UTC(2024, 0, 9, 14, 31), usd: 43123.4567, gbp: 33867.2234, eur: 39350.8109 };
const after = { when: Date.UTC(2024, 0, 9, 14, 32), usd: 43180.1021, gbp: 33911.9071, eur: 39402.5550 };
const tickers = (seed) => {
  const r = rng(seed);
  return JSON.stringify(['BTC', 'ETH', 'SOL', 'ADA', 'DOT', 'XRP', 'LTC', 'DOGE', 'AVAX', 'LINK'].map((s, i) => ({
    symbol: s, bid: +(100 + i * 37.5 + r()).toFixed(4), ask: +(100.5 + i * 37.5 + r()).toFixed(4), volume: Math.floor(r() * 1e6),
  })));
};
const longAscii = text(1, WORDS.ascii, 1400);
const mixedWords = [...WORDS.ascii, ...WORDS.greek, ...WORDS.cyrillic, ...WORDS.cjk, ...WORDS.emoji];
const longMixed = text(2, mixedWords, 900);
const greek = text(3, WORDS.greek, 300);
const cjk = text(4, WORDS.cjk, 300);
const emoji = text(5, [...WORDS.emoji, ...WORDS.ascii], 300);
const accents = 'Café crème brûlée à la française, naïve façade, Zürich–München. '.repeat(8);

const cases = [
  ['coindesk-bpi', 'compact CoinDesk BPI document, prices and times changed', bpi(before), bpi(after)],
  ['coindesk-bpi-pretty', 'the same, pretty-printed', bpi(before, 2), bpi(after, 2)],
  ['coindesk-bpi-symbols', 'BPI with the raw $ £ € symbols instead of HTML entities (non-ASCII)',
    bpi({ ...before, symbols: ['$', '£', '€'] }), bpi({ ...after, symbols: ['$', '£', '€'] })],
  ['tickers', 'array of quotes, every price moved', tickers(10), tickers(11)],
  ['empty-both', 'empty to empty', '', ''],
  ['empty-source', 'empty source: one literal insert', '', bpi(after)],
  ['empty-target', 'to an empty target', bpi(before), ''],
  ['tiny-source', 'source of at most 16 bytes (NHASH): the encoder gives up on copies', '{"v":1}', '{"v":1,"w":"a longer value than the source"}'],
  ['identical-short', 'identical, shorter than the hash window', 'hello', 'hello'],
  ['identical-long', 'identical, long', longAscii, longAscii],
  ['totally-different', 'nothing in common', text(20, WORDS.ascii, 60), 'Z'.repeat(40) + '0123456789'.repeat(12)],
  ['long-small-edits', 'long text, a handful of edits', longAscii, edit(21, longAscii, 6, WORDS.ascii)],
  ['long-many-edits', 'long text, many edits', longAscii, edit(22, longAscii, 80, WORDS.ascii)],
  ['long-append', 'long text with a tail appended', longAscii, longAscii + '\nappended: ' + text(23, WORDS.ascii, 20)],
  ['long-prepend', 'long text with a head prepended', longAscii, 'prepended: ' + text(24, WORDS.ascii, 20) + '\n' + longAscii],
  ['repetitive', 'highly repetitive source (long hash collision chains)', 'abcdefgh'.repeat(600), 'abcdefgh'.repeat(300) + 'X' + 'abcdefgh'.repeat(300)],
  ['unicode-accents', 'Latin accents: é→è differ in their second byte only', accents, accents.replaceAll('é', 'è')],
  ['unicode-greek', 'Greek text with edits', greek, edit(30, greek, 8, WORDS.greek)],
  ['unicode-cjk', 'Japanese text with edits (3-byte characters)', cjk, edit(31, cjk, 8, WORDS.cjk)],
  ['unicode-emoji', 'emoji, skin tones, flags, ZWJ sequences (4-byte characters) with edits', emoji, edit(32, emoji, 8, WORDS.emoji)],
  ['unicode-mixed-long', 'long mixed-script text with edits', longMixed, edit(33, longMixed, 25, mixedWords)],
  ['unicode-emoji-swap', 'one emoji replaced by another sharing its first three bytes', '📈 rate up 📈 '.repeat(10), '📈 rate up 📉 '.repeat(10)],
];

const isAscii = (s) => /^[\x00-\x7f]*$/.test(s);
const utf8 = new TextDecoder('utf-8', { fatal: true });
const validUtf8 = (bytes) => { try { utf8.decode(bytes); return true; } catch { return false; } };
const b64 = (bytes) => Buffer.from(bytes).toString('base64');

mkdirSync(outDir, { recursive: true });
for (const [name, note, source, target] of cases) {
  const src = new TextEncoder().encode(source);
  const tgt = new TextEncoder().encode(target);
  const delta = Uint8Array.from(create(src, tgt));
  const applied = Uint8Array.from(apply(src, delta));
  if (Buffer.compare(Buffer.from(applied), Buffer.from(tgt)) !== 0) {
    throw new Error(`${name}: the reference does not round-trip`);
  }
  const fixture = {
    name, note, source, target,
    ascii: isAscii(source) && isAscii(target),
    delta: b64(delta),
    deltaIsUtf8: validUtf8(delta),
    applied: b64(applied),
    reference: `${pkg.name}@${pkg.version}`,
  };
  writeFileSync(join(outDir, `${name}.json`), JSON.stringify(fixture, null, 2) + '\n');
  console.log(`${name.padEnd(22)} source ${String(src.length).padStart(6)} B  target ${String(tgt.length).padStart(6)} B  delta ${String(delta.length).padStart(6)} B${fixture.deltaIsUtf8 ? '' : '  (delta not valid UTF-8)'}`);
}
