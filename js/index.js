// Default ESM entry: the wasm is inlined, so it runs unbundled and in every bundler with no
// configuration. It is inlined deflate-compressed (base64 of zopfli's raw deflate): base64 of
// the plain wasm gzips ~8 KB worse, and this ends about the size of the .wasm served gzipped.
// DecompressionStream inflates it. See slim.js for the entry that loads the .wasm file by URL.
import wasmDeflated from '../build/wasm/inline.js';
import { createLoadClink, createPreload, startOnce } from './core.js';
import { instantiate } from './wasm.js';
import { createClinkError } from './error.js';

export { ClinkError, CLINK_ERROR_CODES } from './error.js';

const NO_INFLATE =
  "This browser has no DecompressionStream('deflate-raw'), which this entry needs to unpack its WebAssembly (see the README's Troubleshooting). Import '@clink-ai/clink-js/slim' instead: it loads clink_bg.wasm by URL and runs there.";

/** The raw-deflate decompressor, or the NOT_IN_BROWSER ClinkError where the engine has none. */
function rawInflater() {
  try {
    return new DecompressionStream('deflate-raw');
  } catch {
    throw createClinkError('NOT_IN_BROWSER', NO_INFLATE);
  }
}

function decodeBase64(text) {
  // Where the engine has it (Chrome 140, Firefox 133, Safari 18.2), ~40× faster than the loop.
  if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(text);
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const start = /* @__PURE__ */ startOnce(async () => {
  const inflater = rawInflater();
  // A Response's body as the source (half the time of a Blob's stream), inflated whole, then
  // compiled: for 35 KB a streaming compile only adds hops between the stream stages
  // (BENCHMARKS.md, first loadClink).
  const inflated = new Response(decodeBase64(wasmDeflated)).body.pipeThrough(inflater);
  return instantiate(await WebAssembly.compile(await new Response(inflated).arrayBuffer()));
});

export const loadClink = /* @__PURE__ */ createLoadClink(start);
export const preloadClink = /* @__PURE__ */ createPreload(start, loadClink);
