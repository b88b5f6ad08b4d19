// The script-tag build: one self-contained file that defines window.Clink, or module.exports
// under CommonJS (require), or an AMD module. Bundled as an IIFE (scripts/bundle.mjs).
import { loadClink, ClinkError, CLINK_ERROR_CODES } from './index.js';

const api = { loadClink, ClinkError, CLINK_ERROR_CODES };
if (typeof exports === 'object' && typeof module !== 'undefined') module.exports = api;
else if (typeof define === 'function' && define.amd) define([], () => api);
else globalThis.Clink = api;
