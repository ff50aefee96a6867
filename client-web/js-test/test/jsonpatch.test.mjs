import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  applyPatch, getPointer, JsonPatchError, jsonEqual, parsePointer,
} from '../../src/main/resources/META-INF/resources/lib/jsonpatch.js';

/** Applies and checks that the input was not modified. */
function apply(doc, patch) {
  const before = JSON.stringify(doc);
  const result = applyPatch(doc, patch);
  assert.equal(JSON.stringify(doc), before, 'the input document is unchanged');
  return result;
}

describe('RFC 6902 appendix A', () => {
  test('A.1 adding an object member', () => {
    assert.deepEqual(apply({ foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux' }]), { baz: 'qux', foo: 'bar' });
  });
  test('A.2 adding an array element', () => {
    assert.deepEqual(apply({ foo: ['bar', 'baz'] }, [{ op: 'add', path: '/foo/1', value: 'qux' }]), { foo: ['bar', 'qux', 'baz'] });
  });
  test('A.3 removing an object member', () => {
    assert.deepEqual(apply({ baz: 'qux', foo: 'bar' }, [{ op: 'remove', path: '/baz' }]), { foo: 'bar' });
  });
  test('A.4 removing an array element', () => {
    assert.deepEqual(apply({ foo: ['bar', 'qux', 'baz'] }, [{ op: 'remove', path: '/foo/1' }]), { foo: ['bar', 'baz'] });
  });
  test('A.5 replacing a value', () => {
    assert.deepEqual(apply({ baz: 'qux', foo: 'bar' }, [{ op: 'replace', path: '/baz', value: 'boo' }]), { baz: 'boo', foo: 'bar' });
  });
  test('A.6 moving a value', () => {
    const doc = { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } };
    assert.deepEqual(apply(doc, [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }]),
      { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } });
  });
  test('A.7 moving an array element', () => {
    assert.deepEqual(apply({ foo: ['all', 'grass', 'cows', 'eat'] }, [{ op: 'move', from: '/foo/1', path: '/foo/3' }]),
      { foo: ['all', 'cows', 'eat', 'grass'] });
  });
  test('A.8 testing a value: success', () => {
    const doc = { baz: 'qux', foo: ['a', 2, 'c'] };
    assert.deepEqual(apply(doc, [{ op: 'test', path: '/baz', value: 'qux' }, { op: 'test', path: '/foo/1', value: 2 }]), doc);
  });
  test('A.9 testing a value: error', () => {
    assert.throws(() => apply({ baz: 'qux' }, [{ op: 'test', path: '/baz', value: 'bar' }]), JsonPatchError);
  });
  test('A.10 adding a nested member object', () => {
    assert.deepEqual(apply({ foo: 'bar' }, [{ op: 'add', path: '/child', value: { grandchild: {} } }]),
      { foo: 'bar', child: { grandchild: {} } });
  });
  test('A.11 ignoring unrecognized elements', () => {
    assert.deepEqual(apply({ foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux', xyz: 123 }]), { foo: 'bar', baz: 'qux' });
  });
  test('A.12 adding to a nonexistent target', () => {
    assert.throws(() => apply({ foo: 'bar' }, [{ op: 'add', path: '/baz/bat', value: 'qux' }]), JsonPatchError);
  });
  test('A.14 ~ escape ordering', () => {
    const doc = { '/': 9, '~1': 10 };
    assert.deepEqual(apply(doc, [{ op: 'test', path: '/~01', value: 10 }]), doc);
  });
  test('A.15 comparing strings and numbers', () => {
    assert.throws(() => apply({ '/': 9, '~1': 10 }, [{ op: 'test', path: '/~01', value: '10' }]), JsonPatchError);
  });
  test('A.16 adding an array value', () => {
    assert.deepEqual(apply({ foo: ['bar'] }, [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }]), { foo: ['bar', ['abc', 'def']] });
  });
});

describe('RFC 6901 pointers', () => {
  const doc = { foo: ['bar', 'baz'], '': 0, 'a/b': 1, 'c%d': 2, 'e^f': 3, 'g|h': 4, 'i\\j': 5, 'k"l': 6, ' ': 7, 'm~n': 8 };
  const expected = {
    '': doc, '/foo': ['bar', 'baz'], '/foo/0': 'bar', '/': 0, '/a~1b': 1, '/c%d': 2, '/e^f': 3,
    '/g|h': 4, '/i\\j': 5, '/k"l': 6, '/ ': 7, '/m~0n': 8,
  };
  for (const [pointer, value] of Object.entries(expected)) {
    test(`'${pointer}'`, () => assert.deepEqual(getPointer(doc, pointer), value));
  }
  test('~1 is unescaped before ~0', () => {
    assert.deepEqual(parsePointer('/~01/~10/~0~1'), ['~1', '/0', '~/']);
  });
  test('a ~ not followed by 0 or 1, or a pointer without a leading /, is an error', () => {
    assert.throws(() => parsePointer('/a~2'), JsonPatchError);
    assert.throws(() => parsePointer('/a~'), JsonPatchError);
    assert.throws(() => parsePointer('a'), JsonPatchError);
  });
});

describe('the six operations, and their errors', () => {
  test('escaped member names in every operation', () => {
    const doc = { 'a/b': { 'c~d': 1 }, x: {} };
    const result = apply(doc, [
      { op: 'copy', from: '/a~1b/c~0d', path: '/x/e~1f' },
      { op: 'move', from: '/a~1b', path: '/x/~0g' },
      { op: 'replace', path: '/x/~0g/c~0d', value: 2 },
      { op: 'add', path: '/~1', value: true },
      { op: 'test', path: '/x/e~1f', value: 1 },
    ]);
    assert.deepEqual(result, { x: { 'e/f': 1, '~g': { 'c~d': 2 } }, '/': true });
  });

  test('the root: add and replace swap the whole document, remove is refused', () => {
    assert.deepEqual(apply({ a: 1 }, [{ op: 'replace', path: '', value: [1] }]), [1]);
    assert.equal(apply({ a: 1 }, [{ op: 'add', path: '', value: 'x' }]), 'x');
    assert.throws(() => apply({ a: 1 }, [{ op: 'remove', path: '' }]), /removes the whole document/);
  });

  test('array indices: no leading zeros, "-" only to add, bounds checked', () => {
    const doc = { a: [1, 2, 3] };
    assert.throws(() => apply(doc, [{ op: 'replace', path: '/a/01', value: 0 }]), /not an index/);
    assert.throws(() => apply(doc, [{ op: 'remove', path: '/a/-' }]), /not an index/);
    assert.throws(() => apply(doc, [{ op: 'replace', path: '/a/3', value: 0 }]), /out of the bounds/);
    assert.throws(() => apply(doc, [{ op: 'add', path: '/a/4', value: 0 }]), /out of the bounds/);
    assert.deepEqual(apply(doc, [{ op: 'add', path: '/a/3', value: 4 }]), { a: [1, 2, 3, 4] });
    assert.deepEqual(apply(doc, [{ op: 'add', path: '/a/0', value: 0 }]), { a: [0, 1, 2, 3] });
  });

  test('missing locations and malformed operations are errors', () => {
    const doc = { a: { b: 1 } };
    for (const patch of [
      [{ op: 'remove', path: '/a/c' }],
      [{ op: 'replace', path: '/x', value: 1 }],
      [{ op: 'move', from: '/x', path: '/y' }],
      [{ op: 'copy', from: '/a/x', path: '/y' }],
      [{ op: 'test', path: '/a/b/c', value: 1 }],
      [{ op: 'move', from: '/a', path: '/a/b/c' }],
      [{ op: 'add', path: '/a/b/c', value: 1 }],
      [{ op: 'add', path: '/x' }],
      [{ op: 'frobnicate', path: '/a' }],
      [{ path: '/a' }],
      [{ op: 'move', path: '/a' }],
      ['add'],
      { op: 'add', path: '/x', value: 1 },
    ]) {
      assert.throws(() => apply(doc, patch), JsonPatchError, JSON.stringify(patch));
    }
  });

  test('a failing patch leaves the document as it was, and says which operation failed', () => {
    const doc = { a: [1], b: { c: 1 } };
    const error = assert.throws(() => apply(doc, [
      { op: 'add', path: '/a/-', value: 2 },
      { op: 'replace', path: '/b/c', value: 2 },
      { op: 'test', path: '/b/c', value: 3 },
    ]), (e) => e instanceof JsonPatchError && e.index === 2 && /operation 2/.test(e.message));
    assert.equal(error, undefined);
    assert.deepEqual(doc, { a: [1], b: { c: 1 } });
  });

  test('copy-on-write: untouched parts are shared, touched ones are new', () => {
    const doc = { touched: { x: 1 }, untouched: { y: [1, 2] } };
    const result = apply(doc, [{ op: 'replace', path: '/touched/x', value: 2 }, { op: 'add', path: '/touched/z', value: 3 }]);
    assert.equal(result.untouched, doc.untouched);
    assert.notEqual(result.touched, doc.touched);
    assert.deepEqual(doc.touched, { x: 1 });
  });

  test('a copied value is a copy: changing one does not change the other', () => {
    const result = apply({ a: {} }, [
      { op: 'add', path: '/a/n', value: 1 },
      { op: 'copy', from: '/a', path: '/b' },
      { op: 'replace', path: '/b/n', value: 2 },
    ]);
    assert.deepEqual(result, { a: { n: 1 }, b: { n: 2 } });
  });

  test('moving to the same place changes nothing; a value added then changed in one patch', () => {
    assert.deepEqual(apply({ a: 1 }, [{ op: 'move', from: '/a', path: '/a' }]), { a: 1 });
    const patchValue = { list: [] };
    const patch = [{ op: 'add', path: '/v', value: patchValue }, { op: 'add', path: '/v/list/-', value: 1 }];
    assert.deepEqual(apply({}, patch), { v: { list: [1] } });
    assert.deepEqual(patchValue, { list: [] }, 'the patch itself is not modified');
  });

  test('a member named __proto__ is a member, not the prototype', () => {
    const doc = JSON.parse('{"__proto__": {"polluted": 1}}');
    const result = apply(doc, [{ op: 'replace', path: '/__proto__/polluted', value: 2 }, { op: 'add', path: '/x/__proto__', value: 1 }].slice(0, 1));
    assert.equal(Object.getPrototypeOf(result), Object.prototype);
    assert.deepEqual(Object.keys(result), ['__proto__']);
    assert.equal(result.__proto__.polluted, 2); // eslint-disable-line no-proto
    const added = apply({}, [{ op: 'add', path: '/__proto__', value: { polluted: true } }]);
    assert.equal(Object.getPrototypeOf(added), Object.prototype);
    assert.equal(({}).polluted, undefined);
    assert.deepEqual(JSON.parse(JSON.stringify(added)), JSON.parse('{"__proto__": {"polluted": true}}'));
  });

  test('jsonEqual: deep, type-exact, key-order-free', () => {
    assert.ok(jsonEqual({ a: [1, { b: null }], c: 'x' }, { c: 'x', a: [1, { b: null }] }));
    assert.ok(!jsonEqual({ a: 1 }, { a: 1, b: undefined }));
    assert.ok(!jsonEqual([1], { 0: 1 }));
    assert.ok(!jsonEqual(1, '1'));
    assert.ok(!jsonEqual(null, {}));
  });
});
