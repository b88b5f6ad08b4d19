// Default ESM entry: the wasm is inlined, so it runs unbundled and in every bundler with no
// configuration. It is inlined deflate-compressed (base64 of raw deflate): base64 of the plain
// wasm gzips ~8 KB worse. DecompressionStream feeds a streaming compile. See slim.js for the
// entry that loads the .wasm file by URL.
import initWasm, * as wasm from '../build/wasm/clink.js';
import wasmDeflated from '../build/wasm/inline.js';
import { createLoadClink } from './core.js';

export { ClinkError, CLINK_ERROR_CODES } from './error.js';

function decodeBase64(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export const loadClink = /* @__PURE__ */ createLoadClink(async () => {
  const inflated = new Blob([decodeBase64(wasmDeflated)]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  await initWasm({ module_or_path: new Response(inflated, { headers: { 'Content-Type': 'application/wasm' } }) });
  return wasm;
});
