// JSON Patch (RFC 6902) over JSON Pointers (RFC 6901): all six operations, applied
// copy-on-write. The document given is never modified: containers on the paths the patch
// touches are copied (once per patch), everything else is shared with the result. So a value
// handed to an application earlier stays as it was, and a patch that fails half-way leaves
// nothing changed.

/** A patch that is malformed or does not apply to the document. */
export class JsonPatchError extends Error {
  /**
   * @param {string} message
   * @param {number} [index] the index of the failing operation
   */
  constructor(message, index) {
    super(message);
    this.name = 'JsonPatchError';
    this.index = index;
  }
}

/**
 * @typedef {{op: 'add'|'remove'|'replace'|'move'|'copy'|'test', path: string, from?: string, value?: any}} PatchOperation
 */

const hasOwn = (o, k) => Object.prototype.hasOwnProperty.call(o, k);
const ARRAY_INDEX = /^(0|[1-9][0-9]*)$/;

/**
 * The reference tokens of a JSON Pointer: "" is the whole document; "~1" decodes to "/" and
 * "~0" to "~" (in that order), and any other "~" is an error.
 * @param {string} pointer
 * @returns {string[]}
 */
export function parsePointer(pointer) {
  if (typeof pointer !== 'string') throw new JsonPatchError('a JSON Pointer is a string');
  if (pointer === '') return [];
  if (pointer[0] !== '/') throw new JsonPatchError(`JSON Pointer '${pointer}' does not start with '/'`);
  return pointer.substring(1).split('/').map((token) => {
    if (/~[^01]|~$/.test(token)) throw new JsonPatchError(`JSON Pointer '${pointer}' has a '~' not followed by 0 or 1`);
    return token.replace(/~1/g, '/').replace(/~0/g, '~');
  });
}

/**
 * The value a JSON Pointer refers to, or undefined when there is none.
 * @param {any} document
 * @param {string} pointer
 */
export function getPointer(document, pointer) {
  let node = document;
  for (const token of parsePointer(pointer)) {
    if (Array.isArray(node)) {
      if (!ARRAY_INDEX.test(token) || Number(token) >= node.length) return undefined;
      node = node[Number(token)];
    } else if (isObject(node)) {
      if (!hasOwn(node, token)) return undefined;
      node = node[token];
    } else {
      return undefined;
    }
  }
  return node;
}

/**
 * Applies a JSON Patch and returns the new document; `document` is left untouched.
 * @template T
 * @param {T} document
 * @param {PatchOperation[]} patch
 * @returns {any}
 * @throws {JsonPatchError} when an operation is malformed, refers to a missing location, or a `test` fails
 */
export function applyPatch(document, patch) {
  if (!Array.isArray(patch)) throw new JsonPatchError('a JSON Patch is an array of operations');
  const state = { root: document, fresh: new WeakSet() };
  patch.forEach((operation, index) => {
    try {
      applyOperation(state, operation);
    } catch (e) {
      const what = isObject(operation) ? `${operation.op} ${JSON.stringify(operation.path)}` : '';
      throw new JsonPatchError(`JSON Patch operation ${index} (${what}): ${e.message}`, index);
    }
  });
  return state.root;
}

/**
 * Deep equality of JSON values (the `test` operation's).
 * @param {any} a
 * @param {any} b
 * @returns {boolean}
 */
export function jsonEqual(a, b) {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (isObject(a) && isObject(b) && !Array.isArray(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    for (const k of keys) if (!hasOwn(b, k) || !jsonEqual(a[k], b[k])) return false;
    return true;
  }
  return false;
}

/** @param {any} value */
function isObject(value) {
  return value !== null && typeof value === 'object';
}

/** @param {any} value a deep copy of a JSON value */
function deepCopy(value) {
  if (Array.isArray(value)) return value.map(deepCopy);
  if (isObject(value)) {
    const copy = {};
    for (const k of Object.keys(value)) setMember(copy, k, deepCopy(value[k]));
    return copy;
  }
  return value;
}

/** Sets an own member, "__proto__" included (plain assignment would change the prototype). */
function setMember(object, key, value) {
  if (key === '__proto__') {
    Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    object[key] = value;
  }
}

/** A container this patch may modify in place: a copy made by this patch. */
function own(state, container) {
  if (state.fresh.has(container)) return container;
  // Spreading defines own properties, so a "__proto__" member is copied as a member.
  const copy = Array.isArray(container) ? container.slice() : { ...container };
  state.fresh.add(copy);
  return copy;
}

/**
 * @param {any[]} array
 * @param {string} token
 * @param {boolean} forAdd whether '-' and the index just past the end are allowed
 */
function arrayIndex(array, token, forAdd) {
  if (forAdd && token === '-') return array.length;
  if (!ARRAY_INDEX.test(token)) throw new Error(`'${token}' is not an index of the array`);
  const index = Number(token);
  if (forAdd ? index > array.length : index >= array.length) {
    throw new Error(`index ${index} is out of the bounds of the array (length ${array.length})`);
  }
  return index;
}

/** The child of a container at a token, or throws when there is none. */
function child(node, token, which) {
  if (Array.isArray(node)) return node[arrayIndex(node, token, false)];
  if (isObject(node) && hasOwn(node, token)) return node[token];
  throw new Error(`its '${which}' refers to a location that does not exist`);
}

/** The value at tokens (it must exist). */
function get(state, tokens, which) {
  let node = state.root;
  for (const token of tokens) {
    if (!isObject(node)) throw new Error(`its '${which}' refers to a location that does not exist`);
    node = child(node, token, which);
  }
  return node;
}

/**
 * The parent container of the location at tokens (non-empty), made modifiable along the way.
 * @returns {any} a container owned by this patch
 */
function parentOf(state, tokens, which) {
  if (!isObject(state.root)) throw new Error(`its '${which}' refers to a location that does not exist`);
  state.root = own(state, state.root);
  let node = state.root;
  for (let i = 0; i < tokens.length - 1; i++) {
    const token = tokens[i];
    const next = child(node, token, which);
    if (!isObject(next)) throw new Error(`its '${which}' refers to a location that does not exist`);
    const mine = own(state, next);
    if (Array.isArray(node)) node[Number(token)] = mine;
    else setMember(node, token, mine);
    node = mine;
  }
  return node;
}

function add(state, tokens, value) {
  if (tokens.length === 0) {
    state.root = value;
    return;
  }
  const parent = parentOf(state, tokens, 'path');
  const token = tokens[tokens.length - 1];
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, token, true), 0, value);
  else setMember(parent, token, value);
}

function remove(state, tokens, which) {
  if (tokens.length === 0) throw new Error('it removes the whole document');
  const parent = parentOf(state, tokens, which);
  const token = tokens[tokens.length - 1];
  if (Array.isArray(parent)) {
    return parent.splice(arrayIndex(parent, token, false), 1)[0];
  }
  if (!hasOwn(parent, token)) throw new Error(`it removes a missing member '${token}'`);
  const value = parent[token];
  delete parent[token];
  return value;
}

function replace(state, tokens, value) {
  if (tokens.length === 0) {
    state.root = value;
    return;
  }
  const parent = parentOf(state, tokens, 'path');
  const token = tokens[tokens.length - 1];
  if (Array.isArray(parent)) parent[arrayIndex(parent, token, false)] = value;
  else if (hasOwn(parent, token)) setMember(parent, token, value);
  else throw new Error("its 'path' refers to a location that does not exist");
}

/** @param {{root: any, fresh: WeakSet<object>}} state @param {any} operation */
function applyOperation(state, operation) {
  if (!isObject(operation) || Array.isArray(operation)) throw new Error('it is not an object');
  const { op } = operation;
  if (typeof op !== 'string') throw new Error("it lacks a text 'op' member");
  if (typeof operation.path !== 'string') throw new Error("it lacks a text 'path' member");
  const path = parsePointer(operation.path);
  const needValue = () => {
    if (!hasOwn(operation, 'value')) throw new Error("it lacks a 'value' member");
    return operation.value;
  };
  const needFrom = () => {
    if (typeof operation.from !== 'string') throw new Error("it lacks a text 'from' member");
    return parsePointer(operation.from);
  };
  switch (op) {
    case 'add':
      add(state, path, needValue());
      break;
    case 'remove':
      remove(state, path, 'path');
      break;
    case 'replace': {
      const value = needValue();
      get(state, path, 'path');
      replace(state, path, value);
      break;
    }
    case 'move': {
      const from = needFrom();
      const value = get(state, from, 'from');
      if (operation.from === operation.path) break;
      if (operation.path.startsWith(`${operation.from}/`)) throw new Error('it moves a value into one of its own children');
      remove(state, from, 'from');
      add(state, path, value);
      break;
    }
    case 'copy': {
      const from = needFrom();
      // A copy, not the same object: containers this patch made may be modified in place later.
      add(state, path, deepCopy(get(state, from, 'from')));
      break;
    }
    case 'test':
      if (!jsonEqual(get(state, path, 'path'), needValue())) throw new Error('the value at the path differs');
      break;
    default:
      throw new Error(`unknown op '${op}'`);
  }
}
