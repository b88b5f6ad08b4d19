// Helpers the wasm imports (kept in JavaScript because each is a line here and several
// hundred bytes of bindings in Rust).
// wasm-bindgen copies this file alone into its snippets, so it imports nothing: its numbers
// are here (src/boundary.rs `value_kind` and `limits`; tests/boundary.rs checks them).
const KIND_UNDEFINED = 0,
  KIND_NULL = 1,
  KIND_FALSE = 2,
  KIND_TRUE = 3,
  KIND_NUMBER = 4,
  KIND_STRING = 5,
  KIND_FUNCTION = 6,
  KIND_ARRAY = 7,
  KIND_OBJECT = 8,
  KIND_OTHER = 9,
  KIND_UNREADABLE = 10;
/** A longer string from outside is KIND_OTHER, never copied into wasm memory. */
const MAX_STRING_UNITS = 65536;

/** A plain object: prototype Object.prototype or null (not a Date, Map, boxed primitive…). */
export function isPlainObject(value) {
  try {
    const proto = Object.getPrototypeOf(value);
    return proto === null || proto === Object.prototype;
  } catch {
    return false;
  }
}

/** `globalThis[key]` (`window` in a page, Node's global in SSR), `undefined` if reading throws. */
export function global(key) {
  try {
    return globalThis[key];
  } catch {}
}

/** What `read` and `parseJson` return when JavaScript threw (never a value a page can make). */
const UNREADABLE = {};

export function read(o, key) {
  try {
    return Reflect.get(o, key);
  } catch {
    return UNREADABLE;
  }
}

/** The kind of a value, for src/web/js.rs `classify` (src/boundary.rs `value_kind`): a string
 *  over MAX_STRING_UNITS or with a lone surrogate is KIND_OTHER, so it is never copied into
 *  wasm memory; a revoked Proxy or a read that threw is KIND_UNREADABLE. */
export function kind(v) {
  if (v === UNREADABLE) return KIND_UNREADABLE;
  switch (typeof v) {
    case 'undefined':
      return KIND_UNDEFINED;
    case 'boolean':
      return v ? KIND_TRUE : KIND_FALSE;
    case 'number':
      return KIND_NUMBER;
    case 'string':
      // A lone surrogate would reach Rust as U+FFFD: such a string is not what was given.
      return v.length > MAX_STRING_UNITS || !wellFormed(v) ? KIND_OTHER : KIND_STRING;
    case 'function':
      return KIND_FUNCTION;
    case 'object':
      if (v === null) return KIND_NULL;
      try {
        return Array.isArray(v) ? KIND_ARRAY : KIND_OBJECT;
      } catch {
        return KIND_UNREADABLE;
      }
  }
  return KIND_OTHER;
}

function wellFormed(s) {
  return typeof s.isWellFormed === 'function' ? s.isWellFormed() : !/\p{Cs}/u.test(s);
}

/** The lists `oneOf` was given (a few, one string each), split once. */
const lists = new Map();

export function oneOf(o, key, choices) {
  const value = read(o, key);
  if (typeof value !== 'string') return -1;
  let list = lists.get(choices);
  if (!list) lists.set(choices, (list = choices.split('\n')));
  return list.indexOf(value);
}

export function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return UNREADABLE;
  }
}

/** The own enumerable string keys of at most `maxLength` units, or `[]` when listing them
 *  threw: a longer key is never copied into wasm memory. */
export function ownKeys(o, maxLength) {
  try {
    return Object.keys(o).filter((key) => key.length <= maxLength);
  } catch {
    return [];
  }
}

export function assign(o, key, value) {
  o[key] = value;
}
