// The script-tag build: one self-contained file that defines window.Clink.
export { loadClink, ClinkError, CLINK_ERROR_CODES } from './index.js';
