// ESM entry that fetches clink_bg.wasm next to this file (streaming compile, no base64):
// the smallest transfer, for bundlers and servers that handle `new URL(…, import.meta.url)`.
import initWasm, * as wasm from '../build/wasm/clink.js';
import { createLoadClink } from './core.js';

export { ClinkError, CLINK_ERROR_CODES } from './error.js';

export const loadClink = /* @__PURE__ */ createLoadClink(async () => {
  await initWasm({ module_or_path: new URL('./clink_bg.wasm', import.meta.url) });
  return wasm;
});
