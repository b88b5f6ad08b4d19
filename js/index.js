// Default ESM entry: the wasm is inlined, so it runs unbundled and in every bundler with no
// configuration. It is inlined deflate-compressed (base64 of zopfli's raw deflate): base64 of
// the plain wasm gzips ~8 KB worse, and this ends about the size of the .wasm served gzipped.
// DecompressionStream feeds a streaming compile. See slim.js for the entry that loads the
// .wasm file by URL.
import wasmDeflated from '../build/wasm/inline.js';
import { createLoadClink } from './core.js';
import { instantiate } from './wasm.js';

export { ClinkError, CLINK_ERROR_CODES } from './error.js';

function decodeBase64(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export const loadClink = /* @__PURE__ */ createLoadClink(async () => {
  const inflated = new Blob([decodeBase64(wasmDeflated)]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  return instantiate(await WebAssembly.compileStreaming(new Response(inflated, { headers: { 'Content-Type': 'application/wasm' } })));
});
