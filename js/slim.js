// ESM entry that fetches clink_bg.wasm next to this file (streaming compile, no base64, the
// .wasm cached on its own), for bundlers and servers that handle `new URL(…, import.meta.url)`.
import { createLoadClink, createPreload, startOnce } from './core.js';
import { compile, instantiate } from './wasm.js';

export { ClinkError, CLINK_ERROR_CODES } from './error.js';

const start = /* @__PURE__ */ startOnce(async () => {
  return instantiate(await compile(await fetch(new URL('./clink_bg.wasm', import.meta.url))));
});

export const loadClink = /* @__PURE__ */ createLoadClink(start);
export const preloadClink = /* @__PURE__ */ createPreload(start, loadClink);
