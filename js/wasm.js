// Starts the wasm from a compiled module. Only the named exports are imported (not the
// namespace), so the bundle keeps none of the glue's unused loaders.
import { initSync, plan, checkResponse, parseAnswer, redirect, embeddedOptions, parseSession, step, fail } from '../build/wasm/clink.js';

/** @param {WebAssembly.Module} module */
export function instantiate(module) {
  initSync({ module });
  return { plan, checkResponse, parseAnswer, redirect, embeddedOptions, parseSession, step, fail };
}

/** Compiles while the bytes arrive when the server sends `Content-Type: application/wasm`
 *  (what compileStreaming requires), else after they arrived. No `clone()`: teeing the body
 *  for a fallback slowed every first call. */
export async function compile(response) {
  if (!response.ok) throw new Error(`clink: fetching the wasm failed with HTTP ${response.status}`);
  const type = response.headers.get('content-type') || '';
  if (typeof WebAssembly.compileStreaming === 'function' && /^application\/wasm\b/i.test(type)) return WebAssembly.compileStreaming(response);
  return WebAssembly.compile(await response.arrayBuffer());
}
