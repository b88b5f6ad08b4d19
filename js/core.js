// The public JavaScript surface, shared by every entry point. It only adapts names and
// shapes: every decision is made in the wasm (src/). The wasm module is compiled on the
// first loadClink call, never at import, so importing is free of side effects (SSR-safe).

import { createClinkError } from './error.js';

/** globalThis.CLINK_ENV, else process.env.CLINK_ENV (written literally so bundlers can inline it). */
function readClinkEnv() {
  try {
    if (globalThis.CLINK_ENV !== undefined) return globalThis.CLINK_ENV;
  } catch {
    return Symbol('unreadable');
  }
  try {
    return process.env.CLINK_ENV;
  } catch {
    return undefined;
  }
}

/** @param {() => Promise<any>} startWasm resolves the initialised wasm-bindgen module. */
export function createLoadClink(startWasm) {
  let started;
  function start() {
    if (!started) {
      // A failed start is not remembered: the next loadClink tries again.
      started = startWasm().catch((cause) => {
        started = undefined;
        throw createClinkError(
          'NOT_IN_BROWSER',
          "Clink's WebAssembly module could not start. The runtime needs WebAssembly; under a Content-Security-Policy, script-src must allow 'wasm-unsafe-eval'.",
          cause,
        );
      });
    }
    return started;
  }
  return async function loadClink(publishableKey, options) {
    const wasm = await start();
    return new Clink(await wasm.load(publishableKey, options, readClinkEnv()));
  };
}

class Clink {
  #inner;
  constructor(inner) {
    this.#inner = inner;
  }
  get checkoutBaseUrl() {
    return this.#inner.checkoutBaseUrl;
  }
  async redirectToCheckout(params) {
    this.#inner.redirectToCheckout(params);
  }
  async initEmbeddedCheckout(options) {
    return new EmbeddedCheckout(await this.#inner.initEmbeddedCheckout(options));
  }
}

class EmbeddedCheckout {
  #inner;
  constructor(inner) {
    this.#inner = inner;
  }
  mount(container) {
    this.#inner.mount(container);
  }
  unmount() {
    this.#inner.unmount();
  }
  destroy() {
    this.#inner.destroy();
  }
  on(type, handler) {
    const id = this.#inner.on(type, handler);
    return () => this.#inner.off(id);
  }
  getState() {
    return this.#inner.getState();
  }
}
