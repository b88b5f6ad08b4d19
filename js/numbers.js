// The numbers js/core.js and the wasm agree on. In a module of their own, without imports,
// so that esbuild inlines them where they are used.

/** Failure numbers for `wasm.fail(n, cause)` (src/web/fail.rs). */
export const NO_FETCH = 0,
  NETWORK = 1,
  TIMEOUT = 2,
  NOT_A_RESPONSE = 3,
  NO_LOCATION = 4,
  NAVIGATION_BLOCKED = 5,
  SESSION_THREW = 6,
  SESSION_REJECTED = 7,
  NO_DOCUMENT = 8,
  DESTROYED = 9,
  ALREADY_MOUNTED = 10,
  NO_CONTAINER = 11,
  BAD_EVENT_TYPE = 12,
  BAD_HANDLER = 13,
  ANSWER_TOO_LARGE = 14;

/** SPEC §2: the bootstrap request and its body must arrive within 10 s. */
export const BOOTSTRAP_TIMEOUT_MS = 10000;
/** A bootstrap answer over this many bytes is refused while it is read (src/bootstrap.rs). */
export const MAX_ANSWER_BYTES = 65536;
/** Distinct bootstrap requests remembered for sharing; the oldest goes first. */
export const MAX_SHARED = 16;
/** The other ops of a `wasm.step` answer (src/web/embedded.rs). */
export const HEIGHT = 6,
  STOP = 7,
  DESTROY = 8;
/** What happened, for `wasm.step` (src/web/embedded.rs). */
export const BEGIN = 0,
  LOADED = 1,
  MESSAGE = 2,
  POLL_ANSWER = 3,
  POLL_FAILED = 4;
