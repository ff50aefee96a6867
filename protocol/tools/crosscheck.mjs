// Checks the deltas the Java code made against the reference JS libraries, the ones clients use.
//
//   ./mvnw -pl protocol test          (ReferenceCrossCheckExportTest writes target/delta-crosscheck/)
//   cd protocol/tools && npm ci && node crosscheck.mjs [dir]
//
// fossil.json: for every case, the reference create(source, target) must equal our `delta` byte
// for byte, the reference apply must turn source into target with it, and where there is a
// `textDelta` (our createText), the reference apply of its UTF-8 bytes must give the target too.
// json-patch.json: fast-json-patch, validating, must turn `from` into `to` with our `patch`.
// Exits non-zero on the first kind of mismatch it counts.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import * as fossilModule from 'fossil-delta';
import jsonpatch from 'fast-json-patch';

const here = dirname(fileURLToPath(import.meta.url));
const dir = process.argv[2] ?? join(here, '..', 'target', 'delta-crosscheck');
const fd = fossilModule.default ?? fossilModule;
const create = fd.create ?? fossilModule.createDelta;
const apply = fd.apply ?? fossilModule.applyDelta;

const bytes = (b64) => Uint8Array.from(Buffer.from(b64, 'base64'));
const same = (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;

let failures = 0;
const fail = (what, i, detail) => {
  failures++;
  if (failures <= 10) console.error(`${what} #${i}: ${detail}`);
};

const fossil = JSON.parse(readFileSync(join(dir, 'fossil.json'), 'utf8'));
let textDeltas = 0;
fossil.forEach((c, i) => {
  const source = bytes(c.source);
  const target = bytes(c.target);
  const ours = bytes(c.delta);
  if (!same(Uint8Array.from(create(source, target)), ours)) fail('fossil create differs', i, c.source);
  try {
    if (!same(Uint8Array.from(apply(source, ours)), target)) fail('fossil apply of our delta', i, 'wrong target');
  } catch (e) {
    fail('fossil apply of our delta', i, e.message);
  }
  if (c.textDelta !== undefined) {
    textDeltas++;
    try {
      const out = Uint8Array.from(apply(source, new TextEncoder().encode(c.textDelta)));
      if (!same(out, target)) fail('fossil apply of our text delta', i, 'wrong target');
    } catch (e) {
      fail('fossil apply of our text delta', i, e.message);
    }
  }
});
console.log(`fossil: ${fossil.length} cases (${textDeltas} with a text delta) checked against ${create === fd.create ? 'fossil-delta 1.x' : 'fossil-delta 2.x'}`);

const patches = JSON.parse(readFileSync(join(dir, 'json-patch.json'), 'utf8'));
patches.forEach((c, i) => {
  try {
    const out = jsonpatch.applyPatch(jsonpatch.deepClone(c.from), c.patch, true, false).newDocument;
    if (!isDeepStrictEqual(out, c.to)) fail('json patch', i, `${JSON.stringify(c.patch)} gives ${JSON.stringify(out)}`);
  } catch (e) {
    fail('json patch', i, `${e.name}: ${e.message} for ${JSON.stringify(c.patch)}`);
  }
});
console.log(`json-patch: ${patches.length} cases checked against fast-json-patch`);

console.log(`${fossil.length + patches.length - failures} passed, ${failures} failed`);
process.exit(failures === 0 ? 0 : 1);
