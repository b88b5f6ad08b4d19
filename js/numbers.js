// The numbers js/core.js and the wasm agree on: the shell's copy of src/boundary.rs, where each
// is defined (tests/boundary.rs checks that the two agree). In a module of their own, without
// imports, so that esbuild inlines them where they are used.

/** shell_failure: failure numbers for `wasm.fail(n, cause)`. */
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

/** step_input: what happened, for `wasm.step`. */
export const BEGIN = 0,
  LOADED = 1,
  MESSAGE = 2,
  POLL_ANSWER = 3,
  POLL_FAILED = 4;

/** step_op: the ops of a `wasm.step` answer after the events (an op below 6 is the event at
 *  that index of EVENT_TYPES in core.js). */
export const HEIGHT = 6,
  STOP = 7,
  DESTROY = 8;

/** limits: a bootstrap body over this many bytes is given up while it arrives. (value_kind
 *  and MAX_STRING_UNITS are in interop.js, which wasm-bindgen copies alone.) */
export const MAX_ANSWER_BYTES = 65536;

// The shell's own numbers (no wasm copy).
/** The bootstrap request and its body must arrive within 10 s (README "API"). */
export const BOOTSTRAP_TIMEOUT_MS = 10000;
/** Distinct bootstrap requests remembered for sharing; the oldest goes first. */
export const MAX_SHARED = 16;
