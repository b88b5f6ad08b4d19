// The errors the server SDK throws. Each message says what to do; each carries the fields a caller
// branches on (ClinkApiError.code/status, ClinkConnectionError.reason, ClinkWebhookError.reason).

/**
 * Clink answered, and the answer is an error: an error envelope `{ code, msg }`, a non-2xx status,
 * or something that is not Clink's JSON envelope at all (an HTML 502 from a proxy).
 */
export class ClinkApiError extends Error {
  /**
   * @param {{ message: string, code: number, status: number, method: string, path: string,
   *           excerpt?: string, attempts?: number }} fields
   */
  constructor({ message, code, status, method, path, excerpt, attempts = 1 }) {
    super(message);
    this.name = 'ClinkApiError';
    /** The envelope's `code` (Clink answers HTTP status = code), or the HTTP status when there was no envelope. */
    this.code = code;
    /** The HTTP status of the answer. */
    this.status = status;
    this.method = method;
    this.path = path;
    /** Only when the answer was not Clink's envelope: its first characters, to see what answered. */
    if (excerpt !== undefined) this.excerpt = excerpt;
    this.attempts = attempts;
    // `message` is the envelope's msg (Clink's docs: `const { code, message } = e`); logs of the
    // stack also name the call.
    if (typeof this.stack === 'string') this.stack = this.stack.replace(/^[^\n]*/, this.toString());
  }

  toString() {
    return `${this.name}: Clink API ${this.method} ${this.path} → ${this.code}: ${this.message}`;
  }
}

/** No answer from Clink: the request timed out (`reason: 'timeout'`) or could not be sent or read (`'network'`). */
export class ClinkConnectionError extends Error {
  /**
   * @param {{ reason: 'timeout' | 'network', message: string, method: string, path: string,
   *           attempts: number, cause?: unknown }} fields
   */
  constructor({ reason, message, method, path, attempts, cause }) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'ClinkConnectionError';
    this.reason = reason;
    this.method = method;
    this.path = path;
    this.attempts = attempts;
  }
}

/** A webhook delivery was refused. `reason` is one of WEBHOOK_ERROR_REASONS; the message names the fix. */
export class ClinkWebhookError extends Error {
  constructor(reason, message) {
    super(message);
    this.name = 'ClinkWebhookError';
    this.reason = reason;
  }
}

/** Every `reason` a ClinkWebhookError can carry (docs/server-sdk.md explains each). */
export const WEBHOOK_ERROR_REASONS = Object.freeze([
  'secret_missing',
  'secret_whitespace',
  'secret_is_api_key',
  'body_not_raw',
  'header_missing',
  'header_malformed',
  'timestamp_too_old',
  'timestamp_in_future',
  'signature_mismatch',
  'event_malformed',
]);
