// The public JavaScript surface, shared by every entry point, and the effects: fetch and its
// deadline, location, the iframe, its listeners, the poll timer and calling the merchant's
// handlers. Every decision (is this key, option, answer or message acceptable, what does it
// mean, what to emit) is asked of the wasm (src/web/); this file only carries it out.
// The wasm module is compiled on the first loadClink call, never at import, so importing is
// free of side effects (SSR-safe).

import { ClinkError, createClinkError } from './error.js';
import { warnUnknownOptions, LOAD_OPTIONS, EMBEDDED_OPTIONS } from './unknown-options.js';
import {
  NO_FETCH, NETWORK, TIMEOUT, NOT_A_RESPONSE, NO_LOCATION, NAVIGATION_BLOCKED, SESSION_THREW, SESSION_REJECTED,
  NO_DOCUMENT, DESTROYED, ALREADY_MOUNTED, NO_CONTAINER, BAD_EVENT_TYPE, BAD_HANDLER, ANSWER_TOO_LARGE,
  BOOTSTRAP_TIMEOUT_MS, MAX_SHARED, MAX_ANSWER_BYTES, HEIGHT, STOP, DESTROY, BEGIN, LOADED, MESSAGE, POLL_ANSWER, POLL_FAILED,
} from './numbers.js';

/** The iframe's title; also how mount() recognises a checkout already in the container. */
const FRAME_TITLE = 'Clink checkout';

/** Event types; in a `wasm.step` answer, an op below 6 is the event at that index. */
const EVENT_TYPES = ['ready', 'resize', 'state_change', 'complete', 'hosted_return', 'error'];

/** The wasm's decisions return their answer or a ClinkError (src/web/js.rs `answer`). */
function check(answer) {
  if (answer instanceof ClinkError) throw answer;
  return answer;
}

/** globalThis.CLINK_ENV, else process.env.CLINK_ENV. */
function readClinkEnv() {
  try {
    if (globalThis.CLINK_ENV !== undefined) return globalThis.CLINK_ENV;
  } catch {
    return Symbol('unreadable');
  }
  try {
    // Read only where it cannot throw: in Node, or once a bundler's `define` replaced the
    // expression (the function's text then names no `process`). In a browser a thrown
    // ReferenceError is the page's first exception, which costs V8 milliseconds on the first
    // loadClink (BENCHMARKS.md, "first loadClink").
    if (typeof process !== 'undefined' || !String(processEnv).includes('process')) return processEnv();
  } catch {}
  return undefined;
}
/** Written literally, in a function of its own, so that bundlers can replace it. */
const processEnv = () => process.env.CLINK_ENV;

/** One start of the wasm shared by loadClink and preloadClink; a failed start is not
 *  remembered, so the next call tries again.
 *  @param {() => Promise<any>} startWasm resolves the initialised wasm-bindgen module. */
export function startOnce(startWasm) {
  let started;
  return function start() {
    started ??= startWasm().catch((cause) => {
      started = undefined;
      // An entry that knows why it cannot start (index.js: no DecompressionStream) says so.
      if (cause instanceof ClinkError) throw cause;
      throw createClinkError(
        'NOT_IN_BROWSER',
        "Clink's WebAssembly module could not start. The runtime needs WebAssembly; under a Content-Security-Policy, script-src must allow 'wasm-unsafe-eval'.",
        cause,
      );
    });
    return started;
  };
}

/** `preloadClink()`: starts the wasm now and runs loadClink on made-up input (the engine
 *  compiles and tiers up code on its first calls), so that the merchant's first loadClink runs
 *  like a later one. Nothing is requested or remembered: with checkoutBaseUrl, loadClink makes
 *  no request. (The bootstrap path is left cold: its request takes far longer than that.)
 *  Resolves when done; never rejects (loadClink reports a failure). */
export function createPreload(start, loadClink) {
  return () =>
    start()
      .then(async () => {
        for (let i = 0; i < WARM_UP_ROUNDS; i++) {
          for (const checkoutBaseUrl of WARM_UP_URLS) await loadClink('pk_test_warmup', { checkoutBaseUrl });
        }
      })
      .catch(() => {});
}
/** Made-up input for the warm-up: a hosted checkout and a local one (their URLs take different
 *  paths through the checks). */
const WARM_UP_URLS = ['https://warm-up.invalid', 'http://127.0.0.1:8081'];
/** Enough calls for the engine to have tiered the JavaScript path up too (~20 µs each). */
const WARM_UP_ROUNDS = 20;

export function createLoadClink(start) {
  /** Bootstrap requests in flight or answered: identical calls share one. */
  const shared = [];
  return async function loadClink(publishableKey, options) {
    const wasm = await start();
    const [bootstrap, url, fetchImpl] = check(wasm.plan(publishableKey, options, readClinkEnv()));
    warnUnknownOptions('loadClink', options, LOAD_OPTIONS);
    if (!bootstrap) return new Clink(wasm, url, true);
    let entry = shared.find((e) => e.url === url && e.fetchImpl === fetchImpl);
    if (!entry) {
      if (shared.length >= MAX_SHARED) shared.shift();
      entry = { url, fetchImpl };
      entry.answer = requestBootstrap(wasm, url, fetchImpl).catch((error) => {
        // A failed request is forgotten, so the next call retries.
        const at = shared.indexOf(entry);
        if (at >= 0) shared.splice(at, 1);
        throw error;
      });
      shared.push(entry);
    }
    const [checkoutBaseUrl, embeddedEnabled] = await entry.answer;
    return new Clink(wasm, checkoutBaseUrl, embeddedEnabled);
  };
}

/** One bootstrap request; the response and its body under one deadline. */
async function requestBootstrap(wasm, url, fetchImpl) {
  let fetch = fetchImpl;
  if (fetch === undefined) {
    try {
      fetch = globalThis.fetch;
    } catch {}
  }
  if (typeof fetch !== 'function') throw wasm.fail(NO_FETCH);
  const controller = typeof AbortController === 'function' ? new AbortController() : undefined;
  const timedOut = {};
  let timer;
  const deadline = new Promise((resolve) => {
    timer = setTimeout(resolve, BOOTSTRAP_TIMEOUT_MS, timedOut);
  });
  const withinDeadline = async (work) => {
    let value;
    try {
      value = await Promise.race([work(), deadline]);
    } catch (cause) {
      throw wasm.fail(NETWORK, cause);
    }
    if (value === timedOut) {
      controller?.abort();
      throw wasm.fail(TIMEOUT);
    }
    return value;
  };
  try {
    const response = await withinDeadline(() => fetch(url, { credentials: 'omit', signal: controller?.signal }));
    check(wasm.checkResponse(response, url));
    let body;
    try {
      body = response.body;
    } catch {}
    // A real Response is read as a stream and given up at the cap, so a huge or endless body
    // is never held in memory; a fetchImpl's stand-in object without a body offers text().
    const read = body && typeof body.getReader === 'function' ? () => readCapped(body, controller) : textOf(wasm, response);
    const text = await withinDeadline(read);
    if (text === TOO_LARGE) throw wasm.fail(ANSWER_TOO_LARGE);
    return check(wasm.parseAnswer(text));
  } finally {
    clearTimeout(timer);
  }
}

/** What `readCapped` answers for a body over the cap. */
const TOO_LARGE = {};

function textOf(wasm, response) {
  let text;
  try {
    text = response.text;
  } catch {}
  if (typeof text !== 'function') throw wasm.fail(NOT_A_RESPONSE);
  return () => text.call(response);
}

/** The body as text, or TOO_LARGE as soon as more than MAX_ANSWER_BYTES arrived (the rest is
 *  not downloaded: the request is aborted). */
async function readCapped(body, controller) {
  const reader = body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_ANSWER_BYTES) {
      controller?.abort();
      reader.cancel().catch(() => {});
      return TOO_LARGE;
    }
    chunks.push(value);
  }
  // Usually one chunk, decoded as it is.
  return new TextDecoder().decode(chunks.length === 1 ? chunks[0] : await new Blob(chunks).arrayBuffer());
}

class Clink {
  #wasm;
  #base;
  #embedded;
  constructor(wasm, checkoutBaseUrl, embeddedEnabled) {
    this.#wasm = wasm;
    this.#base = checkoutBaseUrl;
    this.#embedded = embeddedEnabled;
  }
  get checkoutBaseUrl() {
    return this.#base;
  }
  async redirectToCheckout(params) {
    const wasm = this.#wasm;
    const [url, replace] = check(wasm.redirect(this.#base, params));
    let location, navigate;
    try {
      location = globalThis.location;
      navigate = location[replace ? 'replace' : 'assign'];
    } catch {}
    if (typeof navigate !== 'function') throw wasm.fail(NO_LOCATION);
    try {
      navigate.call(location, url);
    } catch (cause) {
      throw wasm.fail(NAVIGATION_BLOCKED, cause);
    }
  }
  async initEmbeddedCheckout(options) {
    const wasm = this.#wasm;
    const [fetchSession, onEvent, pollStatus, pollIntervalMs, state] = check(wasm.embeddedOptions(this.#embedded, options));
    warnUnknownOptions('initEmbeddedCheckout', options, EMBEDDED_OPTIONS);
    let pending;
    try {
      pending = fetchSession();
    } catch (cause) {
      throw wasm.fail(SESSION_THREW, cause);
    }
    let value;
    try {
      value = await pending;
    } catch (cause) {
      throw wasm.fail(SESSION_REJECTED, cause);
    }
    const session = check(wasm.parseSession(value));
    return new EmbeddedCheckout(wasm, session, state, onEvent, pollStatus, pollIntervalMs);
  }
}

class EmbeddedCheckout {
  #wasm;
  /** The wasm's packed decision state for this instance (src/embedded/instance.rs); the
   *  instance owns no wasm memory. */
  #core;
  /** From the last step: a terminal state was reached; the current state name or null. */
  #done = false;
  #state = null;
  #session; // [sessionId, checkoutUrl, orderId, checkoutOrigin]
  #onEvent;
  #pollStatus;
  #pollIntervalMs;
  #handlers = [];
  /** What one mount() created: { frame, listeners (their AbortController), timer, attempt
   *  (the next poll's timer and attempt number), blocked (FRAME_BLOCKED was emitted) }. */
  #mounted;
  /** Bumped by every mount and unmount: callbacks of an earlier mount see a new number. */
  #generation = 0;
  /** A pollStatus call is in flight. The instance owns it, not the mount: a remount while it
   *  is out waits for it to settle (its answer is ignored), so there is never a second one. */
  #polling = false;
  /** [generation, attempt] of a poll that came due while an earlier mount's call was out. */
  #pollDue;
  #destroyed = false;
  constructor(wasm, session, state, onEvent, pollStatus, pollIntervalMs) {
    this.#wasm = wasm;
    this.#session = session;
    this.#core = state;
    this.#onEvent = onEvent;
    this.#pollStatus = pollStatus;
    this.#pollIntervalMs = pollIntervalMs;
  }

  mount(container) {
    const wasm = this.#wasm;
    if (this.#destroyed) throw wasm.fail(DESTROYED);
    if (this.#mounted) throw wasm.fail(ALREADY_MOUNTED);
    const document = globalThis.document;
    if (!document || typeof document.createElement !== 'function') throw wasm.fail(NO_DOCUMENT);
    let parent;
    try {
      parent = typeof container === 'string' ? document.querySelector(container) : container instanceof Element ? container : null;
    } catch {}
    if (!parent) throw wasm.fail(NO_CONTAINER);
    const [, checkoutUrl, , checkoutOrigin] = this.#session;
    const frame = document.createElement('iframe');
    // The URL exactly as given: query and fragment untouched.
    frame.src = checkoutUrl;
    frame.title = FRAME_TITLE;
    // What hosted checkouts use for wallets (Payment Request) and passkeys (docs/embedded-checkout.md).
    frame.setAttribute('allow', 'payment *; publickey-credentials-get *');
    frame.style.width = '100%';
    frame.style.border = '0';
    frame.style.display = 'block';
    const generation = ++this.#generation;
    // The listeners hold the instance: a mounted checkout stays alive even when the merchant
    // drops every reference to it. The cycle ends with unmount/destroy, which remove them all
    // (one AbortController per mount).
    const onMessage = (event) => {
      const from = frame.contentWindow;
      // penpal's rule: only the iframe's own window, from the checkout URL's origin.
      if (generation !== this.#generation || !from || event.source !== from || event.origin !== checkoutOrigin) return;
      this.#step(MESSAGE, event.data);
    };
    // A refused frame still fires `load` (the engine's error page): that is no `ready`.
    const onLoad = () => {
      if (generation === this.#generation && !mounted.blocked) this.#step(LOADED);
    };
    // The page's own Content-Security-Policy refused the frame (docs/embedded-checkout.md,
    // "Pages that fight the checkout"). Checked here, like the origin of a message: the same
    // check in the wasm cost ~570 B gzip of the 400 B that all of that section may add.
    // `blockedURI` is the frame's URL or, cross-origin, its origin.
    const onViolation = ({ blockedURI, effectiveDirective, disposition }) => {
      if (
        generation === this.#generation &&
        !mounted.blocked &&
        disposition !== 'report' &&
        /^(frame|child|default)-src$/.test(effectiveDirective) &&
        (blockedURI + '/').startsWith(checkoutOrigin + '/')
      ) {
        mounted.blocked = true;
        this.#emit('error', {
          code: 'FRAME_BLOCKED',
          message: `The page's Content-Security-Policy (${effectiveDirective}) blocked the checkout frame: add frame-src ${checkoutOrigin}, or fall back to redirectToCheckout.`,
        });
      }
    };
    // Back from the back/forward cache: the payment may have finished meanwhile.
    const onShow = (event) => {
      if (event.persisted) this.#pollNow(generation);
    };
    const listeners = new AbortController();
    const owned = { signal: listeners.signal };
    globalThis.addEventListener('message', onMessage, owned);
    globalThis.addEventListener('pageshow', onShow, owned);
    document.addEventListener('securitypolicyviolation', onViolation, owned);
    frame.addEventListener('load', onLoad, owned);
    const mounted = { frame, listeners, timer: undefined, attempt: 1 };
    try {
      if (parent.querySelector(`:scope>iframe[title="${FRAME_TITLE}"]`)) {
        console.warn('[clink] mount(): this container already holds a Clink checkout; unmount the other instance first.');
      }
      parent.appendChild(frame);
    } catch {
      this.#generation++;
      this.#release(mounted);
      throw wasm.fail(NO_CONTAINER);
    }
    this.#mounted = mounted;
    this.#step(BEGIN);
    if (this.#pollStatus) this.#schedulePoll(generation, 1);
  }

  unmount() {
    const mounted = this.#mounted;
    if (!mounted) return;
    this.#mounted = undefined;
    this.#generation++;
    this.#release(mounted);
  }

  destroy() {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.unmount();
    this.#handlers = [];
    this.#onEvent = undefined;
    this.#pollStatus = undefined;
  }

  on(type, handler) {
    const wasm = this.#wasm;
    if (this.#destroyed) throw wasm.fail(DESTROYED);
    if (!EVENT_TYPES.includes(type)) throw wasm.fail(BAD_EVENT_TYPE);
    if (typeof handler !== 'function') throw wasm.fail(BAD_HANDLER);
    const entry = { type, handler };
    this.#handlers.push(entry);
    return () => {
      this.#handlers = this.#handlers.filter((h) => h !== entry);
    };
  }

  getState() {
    return { mounted: !!this.#mounted, destroyed: this.#destroyed, state: this.#state };
  }

  /** Asks the wasm what `input` means and does it. The state is stored before anything runs,
   *  so a handler that re-enters (unmount, mount) steps from the latest one. */
  #step(input, data) {
    const answer = this.#wasm.step(this.#core, input, data);
    this.#core = answer[0];
    this.#done = answer[1];
    this.#state = answer[2];
    this.#carryOut(answer);
  }

  #release({ frame, listeners, timer }) {
    listeners.abort();
    clearTimeout(timer);
    frame.remove();
  }

  /** Whether work started by mount number `generation` must stop. */
  #stale(generation) {
    return this.#generation !== generation || this.#destroyed || this.#done;
  }

  /** README "pollStatus": first call one interval after mount, each next one an interval after the
   *  previous settled, so never two at once. */
  #schedulePoll(generation, attempt) {
    const mounted = this.#mounted;
    mounted.attempt = attempt;
    mounted.timer = setTimeout(() => {
      mounted.timer = undefined;
      this.#poll(generation, attempt);
    }, this.#pollIntervalMs);
  }

  /** The poll that is due next, now instead of at its timer. Nothing when no timer waits: a
   *  call is out (its answer schedules the next), so there is never a second one. */
  #pollNow(generation) {
    const mounted = this.#mounted;
    if (this.#stale(generation) || mounted.timer === undefined) return;
    clearTimeout(mounted.timer);
    mounted.timer = undefined;
    this.#poll(generation, mounted.attempt);
  }

  #poll(generation, attempt) {
    if (this.#stale(generation)) return;
    if (this.#polling) {
      this.#pollDue = [generation, attempt];
      return;
    }
    this.#polling = true;
    const [sessionId, , orderId] = this.#session;
    const pollStatus = this.#pollStatus; // called as a plain function, like the handlers
    let answer;
    try {
      answer = pollStatus({ sessionId, orderId, attempt });
    } catch (e) {
      answer = Promise.reject(e);
    }
    Promise.resolve(answer).then(
      (value) => this.#polled(generation, attempt, true, value),
      (error) => this.#polled(generation, attempt, false, error),
    );
  }

  #polled(generation, attempt, ok, value) {
    this.#polling = false;
    const due = this.#pollDue;
    this.#pollDue = undefined;
    if (this.#stale(generation)) {
      // An earlier mount's answer: ignored; the current mount's poll that waited for it runs.
      if (due) this.#poll(...due);
      return;
    }
    this.#step(ok ? POLL_ANSWER : POLL_FAILED, value);
    if (!this.#stale(generation)) this.#schedulePoll(generation, attempt + 1);
  }

  /** Does what the wasm decided (`op, arg` pairs from `answer[3]`), in order; stops when a
   *  handler destroyed the instance. */
  #carryOut(answer) {
    for (let i = 3; i < answer.length; i += 2) {
      if (this.#destroyed) return;
      const op = answer[i],
        arg = answer[i + 1];
      if (op === HEIGHT) {
        if (this.#mounted) this.#mounted.frame.style.height = arg + 'px';
      } else if (op === STOP) {
        if (this.#mounted) clearTimeout(this.#mounted.timer);
      } else if (op === DESTROY) {
        this.destroy();
      } else {
        this.#emit(EVENT_TYPES[op], arg);
      }
    }
  }

  /** Calls `onEvent`, then the `on(type)` handlers, each isolated: a throw is reported with
   *  console.error and the others still run. */
  #emit(type, payload) {
    const event = Object.freeze({ type, payload: Object.freeze(payload) });
    const targets = this.#handlers.filter((h) => h.type === type);
    if (this.#onEvent) report(this.#onEvent, event);
    for (const h of targets) {
      if (this.#destroyed) return;
      // Unsubscribed by an earlier handler of this same event: skip, like removeEventListener.
      if (this.#handlers.includes(h)) report(h.handler, event);
    }
  }
}

function report(handler, event) {
  try {
    handler(event);
  } catch (error) {
    try {
      console.error('[clink] an event handler threw:', error);
    } catch {}
  }
}
