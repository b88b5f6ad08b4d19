// Default ESM entry: the wasm is inlined, so it runs unbundled and in every bundler with no
// configuration. See slim.js for the entry that loads the .wasm file by URL.
import initWasm, * as wasm from '../build/wasm/clink.js';
import wasmBase64 from '../build/wasm/inline.js';
import { createLoadClink } from './core.js';

export { ClinkError, CLINK_ERROR_CODES } from './error.js';

function decodeBase64(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export const loadClink = /* @__PURE__ */ createLoadClink(async () => {
  await initWasm({ module_or_path: decodeBase64(wasmBase64) });
  return wasm;
});
