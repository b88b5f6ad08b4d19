// ClinkError and its codes (README "Errors"). The wasm imports createClinkError from this file,
// and the entry points re-export the same class. Two copies of the SDK on one page (the ESM
// entry and the UMD file) have two classes: a brand registered under Symbol.for makes
// `instanceof` hold across them.

const CODES = [
  'INVALID_PUBLIC_KEY', 'INVALID_CHECKOUT_ENV', 'BOOTSTRAP_REQUEST_FAILED',
  'INVALID_BOOTSTRAP_RESPONSE', 'INVALID_REDIRECT_PARAMS', 'INVALID_EMBEDDED_OPTIONS',
  'INVALID_SESSION_ID', 'SESSION_ID_FETCH_FAILED', 'EMBEDDED_CHECKOUT_DISABLED',
  'CONTAINER_NOT_FOUND', 'NOT_IN_BROWSER', 'INVALID_CHECKOUT_URL', 'EMBEDDED_ALREADY_MOUNTED',
  'EMBEDDED_CHECKOUT_DESTROYED', 'POLL_STATUS_FAILED', 'FRAME_BLOCKED',
];

/** Every code a ClinkError can carry; keys equal values. */
export const CLINK_ERROR_CODES = /* @__PURE__ */ Object.freeze(
  CODES.reduce((all, code) => ((all[code] = code), all), {}),
);

const BRAND = Symbol.for('@clink-ai/clink-js:ClinkError');

export class ClinkError extends Error {
  constructor(code, message, options) {
    super(message, options);
    this.name = 'ClinkError';
    this.code = code;
  }

  /** True for a ClinkError of any copy of the SDK; a subclass keeps the ordinary rule. */
  static [Symbol.hasInstance](value) {
    if (this !== ClinkError) return Function.prototype[Symbol.hasInstance].call(this, value);
    try {
      return value instanceof Error && value[BRAND] === true;
    } catch {
      return false;
    }
  }
}
Object.defineProperty(ClinkError.prototype, BRAND, { value: true });

/** `code`: a code, or its index in CODES (the wasm passes indexes: src/error.rs `Code`). */
export function createClinkError(code, message, cause) {
  if (typeof code === 'number') code = CODES[code];
  return cause === undefined ? new ClinkError(code, message) : new ClinkError(code, message, { cause });
}

/** `{ code, message }` of a `pollStatus` error event (the wasm passes the code's index). */
export function errorFields(code, message) {
  return { code: CODES[code], message };
}
