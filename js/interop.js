// Helpers the wasm imports (kept in JavaScript because each is a line here and several
// hundred bytes of bindings in Rust).

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

/** The kind of a value, for src/web/js.rs `classify`: 0 undefined, 1 null, 2 false, 3 true,
 *  4 number, 5 string, 6 function, 7 array, 8 other object, 9 anything else (symbol, bigint,
 *  a string over 64 K units or with a lone surrogate), 10 unreadable (a read threw, or a
 *  revoked Proxy). */
export function kind(v) {
  if (v === UNREADABLE) return 10;
  switch (typeof v) {
    case 'undefined':
      return 0;
    case 'boolean':
      return v ? 3 : 2;
    case 'number':
      return 4;
    case 'string':
      // A lone surrogate would reach Rust as U+FFFD: such a string is not what was given.
      return v.length > 65536 || !wellFormed(v) ? 9 : 5;
    case 'function':
      return 6;
    case 'object':
      if (v === null) return 1;
      try {
        return Array.isArray(v) ? 7 : 8;
      } catch {
        return 10;
      }
  }
  return 9;
}

function wellFormed(s) {
  return typeof s.isWellFormed === 'function' ? s.isWellFormed() : !/\p{Cs}/u.test(s);
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
