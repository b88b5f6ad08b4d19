// The script-tag build: one self-contained file, bundled as an IIFE (scripts/bundle.mjs).
// A page always gets window.Clink, also where an AMD loader (RequireJS, as in Magento) or
// CommonJS-style `module`/`exports` globals are present; those get the API as well.
import { loadClink, preloadClink, ClinkError, CLINK_ERROR_CODES } from './index.js';

const api = { loadClink, preloadClink, ClinkError, CLINK_ERROR_CODES };
if (typeof window === 'object' && window) window.Clink = api;
if (typeof module === 'object' && module && typeof module.exports === 'object') module.exports = api;
if (typeof define === 'function' && define.amd) {
  // Loaded by RequireJS itself (its script tags carry data-requiremodule): an anonymous module
  // takes the id it was asked for. Loaded by a plain <script> tag: an anonymous define would be
  // a "mismatched anonymous define()" error, so register under the package name instead.
  let asked;
  try {
    asked = document.currentScript?.getAttribute('data-requiremodule');
  } catch {}
  if (asked) define([], () => api);
  else define('@clink-ai/clink-js', [], () => api);
}
