// Small helpers the wasm imports (kept in JavaScript because they are one line here and
// several hundred bytes of bindings in Rust).

/** Calls `callback(ok, value)` exactly once when `value` settles. The wasm's callback frees
 *  itself on that call, so the pending promise owns it. */
export function settle(value, callback) {
  Promise.resolve(value).then(
    (v) => callback(true, v),
    (e) => callback(false, e),
  );
}

/** A plain object: prototype Object.prototype or null (not a Date, Map, boxed primitive…). */
export function isPlainObject(value) {
  try {
    const proto = Object.getPrototypeOf(value);
    return proto === null || proto === Object.prototype;
  } catch {
    return false;
  }
}
