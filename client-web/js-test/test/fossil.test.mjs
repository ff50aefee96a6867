import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  applyDelta, applyTextDelta, checksum, encodeInt, FossilDeltaError, outputSize,
} from '../../src/main/resources/META-INF/resources/lib/fossil.js';
import { fossilFixtures, simpleFossilDelta } from '../support/helpers.mjs';

const utf8 = new TextEncoder();
const fixtures = fossilFixtures();

describe('Fossil apply: the reference fixtures (npm fossil-delta deltas)', () => {
  test('the fixtures are there, ASCII and not, with deltas that cut characters', () => {
    assert.ok(fixtures.length >= 20, `${fixtures.length} fixtures`);
    assert.ok(fixtures.filter((f) => !f.ascii).length >= 5);
    assert.ok(fixtures.some((f) => !f.deltaIsUtf8));
  });

  for (const f of fixtures) {
    test(`${f.name}: the reference delta applied to the source's UTF-8 bytes gives the target (${f.note})`, () => {
      const target = applyDelta(utf8.encode(f.source), f.delta);
      assert.deepEqual(target, f.applied);
      assert.deepEqual(target, utf8.encode(f.target));
      assert.equal(outputSize(f.delta), f.applied.length);
    });
  }

  for (const f of fixtures.filter((x) => x.deltaIsUtf8)) {
    test(`${f.name}: as text, the way the client applies a delta message`, () => {
      const deltaText = new TextDecoder('utf-8', { fatal: true }).decode(f.delta);
      assert.equal(applyTextDelta(f.source, deltaText), f.target);
    });
  }
});

describe('Fossil apply: refuses what is not a delta of this source', () => {
  const source = '{"price":100,"currency":"USD","time":"12:00"}';
  const target = '{"price":101,"currency":"USD","time":"12:01"}';
  const good = simpleFossilDelta(source, target);

  test('the delta made by the test encoder applies', () => {
    assert.equal(applyTextDelta(source, good), target);
  });

  const cases = {
    'a wrong checksum': good.replace(/[^;,:@\n]+;$/, `${encodeInt((checksum(utf8.encode(target)) + 1) >>> 0)};`),
    'another source': null,
    'no terminating checksum': good.slice(0, good.lastIndexOf(',') + 1),
    'a copy past the end of the source': `${encodeInt(target.length)}\n${encodeInt(target.length)}@${encodeInt(10)},0;`,
    'an insert past the end of the delta': `${encodeInt(5)}\n5:ab`,
    'an unknown command': `${encodeInt(3)}\n3!abc0;`,
    'no newline after the size': `${encodeInt(3)}3:abc0;`,
    'a size the commands do not fill': `${encodeInt(10)}\n3:abc${encodeInt(checksum(utf8.encode('abc')))};`,
    'an insert larger than the announced size': `${encodeInt(2)}\n3:abc0;`,
    'an empty delta': '',
    'a number too large': '~~~~~~~~\n0;',
  };
  for (const [name, delta] of Object.entries(cases)) {
    test(name, () => {
      if (delta === null) {
        assert.throws(() => applyTextDelta(source.replace('price', 'prize'), good), /checksum mismatch/);
      } else {
        assert.throws(() => applyTextDelta(source, delta), FossilDeltaError);
      }
    });
  }

  test('a target larger than allowed is refused before anything is allocated', () => {
    assert.throws(() => applyDelta(new Uint8Array(0), `${encodeInt(2 ** 31)}\n0;`), /more than the allowed/);
    assert.throws(() => applyDelta(new Uint8Array(0), `${encodeInt(100)}\n`, { maxOutputSize: 99 }), /more than the allowed/);
  });

  test('a result that is not UTF-8 is refused by applyTextDelta', () => {
    const bytes = new Uint8Array([0xc3]); // half of 'é'
    const delta = new Uint8Array([...utf8.encode('1\n1:'), 0xc3, ...utf8.encode(`${encodeInt(checksum(bytes))};`)]);
    assert.deepEqual(applyDelta(new Uint8Array(0), delta), bytes);
    assert.throws(() => applyTextDelta('', delta), /not valid UTF-8/);
  });
});

describe('Fossil format details', () => {
  test('integers use the format digits, most significant first', () => {
    assert.equal(encodeInt(0), '0');
    assert.equal(encodeInt(63), '~');
    assert.equal(encodeInt(64), '10');
    assert.equal(encodeInt(4095), '~~');
    assert.equal(encodeInt(0xffffffff), '3~~~~~');
  });

  test('the checksum sums big-endian words, the last one zero-padded', () => {
    assert.equal(checksum(new Uint8Array([])), 0);
    assert.equal(checksum(new Uint8Array([1, 2, 3, 4])), 0x01020304);
    assert.equal(checksum(new Uint8Array([1, 2, 3, 4, 5])), (0x01020304 + 0x05000000) >>> 0);
    assert.equal(checksum(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 1])), 0);
  });

  test('non-ASCII text: accents, CJK, emoji and flags, applied to the UTF-8 bytes', () => {
    const steps = ['Café ☕ at 10:00', 'Café ☕ at 10:05 — 東京 🇯🇵', 'Crème brûlée 🍮 — 東京 🇯🇵 👨‍👩‍👧', '', 'x'];
    for (let i = 1; i < steps.length; i++) {
      assert.equal(applyTextDelta(steps[i - 1], simpleFossilDelta(steps[i - 1], steps[i])), steps[i]);
    }
  });

  test('a delta may be given as bytes or as text', () => {
    const f = fixtures.find((x) => x.name === 'unicode-cjk');
    const text = new TextDecoder().decode(f.delta);
    assert.deepEqual(applyDelta(utf8.encode(f.source), text), applyDelta(utf8.encode(f.source), f.delta));
  });
});
