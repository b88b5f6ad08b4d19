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
