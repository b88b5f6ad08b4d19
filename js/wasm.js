// Starts the wasm from a compiled module. Only the named exports are imported (not the
// namespace), so the bundle keeps none of the glue's unused loaders.
import { initSync, plan, checkResponse, parseAnswer, redirect, embeddedOptions, parseSession, step, fail } from '../build/wasm/clink.js';

/** @param {WebAssembly.Module} module */
export function instantiate(module) {
  initSync({ module });
  return { plan, checkResponse, parseAnswer, redirect, embeddedOptions, parseSession, step, fail };
}

/** Compiles while the bytes arrive; falls back to a buffered compile when the server does not
 *  send `Content-Type: application/wasm`. */
export async function compile(response) {
  if (!response.ok) throw new Error(`clink: fetching the wasm failed with HTTP ${response.status}`);
  try {
    return await WebAssembly.compileStreaming(response.clone());
  } catch {
    return WebAssembly.compile(await response.arrayBuffer());
  }
}
