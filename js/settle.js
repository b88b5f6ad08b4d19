// Promise continuation for the wasm: calls `callback(ok, value)` exactly once when `value`
// settles. The wasm's callback frees itself on that call, so the pending promise owns it.
export function settle(value, callback) {
  Promise.resolve(value).then(
    (v) => callback(true, v),
    (e) => callback(false, e),
  );
}
