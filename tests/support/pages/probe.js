// Loaded as a classic script BEFORE the SDK. Instruments the page so tests can count what the
// SDK leaves behind, and gives tests small helpers (window.__t) to drive the SDK without any
// page.evaluate hanging forever.
(() => {
  'use strict';
  const W = window;
  const oAdd = EventTarget.prototype.addEventListener;
  const oRemove = EventTarget.prototype.removeEventListener;
  const oST = W.setTimeout.bind(W);
  const oCT = W.clearTimeout.bind(W);
  const oSI = W.setInterval.bind(W);
  const oCI = W.clearInterval.bind(W);

  const probe = (W.__probe = {
    messageListenersAdded: 0,
    messageListenersRemoved: 0,
    timersSet: 0,
    timersCleared: 0,
    timersFired: 0,
    messages: [], // every message the merchant window received (raw, by the probe's own listener)
  });

  // ---- window 'message' listeners: live = added - removed (dedup like the DOM does) ----
  const liveMsg = new Map(); // listener -> Set<capture>
  const capOf = (o) => (typeof o === 'boolean' ? o : !!(o && o.capture));
  function forget(listener, capture) {
    const caps = liveMsg.get(listener);
    if (caps && caps.delete(capture)) {
      probe.messageListenersRemoved++;
      if (!caps.size) liveMsg.delete(listener);
      return true;
    }
    return false;
  }
  EventTarget.prototype.addEventListener = function (type, listener, options) {
    if (this === W && type === 'message' && listener) {
      const capture = capOf(options);
      let caps = liveMsg.get(listener);
      const signal = options && typeof options === 'object' ? options.signal : undefined;
      if (!(signal && signal.aborted) && !(caps && caps.has(capture))) {
        if (!caps) liveMsg.set(listener, (caps = new Set()));
        caps.add(capture);
        probe.messageListenersAdded++;
        if (signal) oAdd.call(signal, 'abort', () => forget(listener, capture), { once: true });
        if (options && typeof options === 'object' && options.once) {
          // The DOM drops a once-listener after its first call.
          const after = () => forget(listener, capture);
          oAdd.call(W, 'message', () => queueMicrotask(after), { once: true });
        }
      }
    }
    return oAdd.call(this, type, listener, options);
  };
  EventTarget.prototype.removeEventListener = function (type, listener, options) {
    if (this === W && type === 'message' && listener) forget(listener, capOf(options));
    return oRemove.call(this, type, listener, options);
  };
  probe.liveMessageListeners = () => {
    let n = 0;
    for (const caps of liveMsg.values()) n += caps.size;
    return n + (typeof W.onmessage === 'function' ? 1 : 0);
  };

  // ---- timers: live = set - cleared - fired (intervals live until cleared) ----
  const liveTimers = new Map(); // id -> 'timeout' | 'interval'
  W.setTimeout = function setTimeout(fn, ms, ...args) {
    let id;
    const wrapped =
      typeof fn === 'function'
        ? function () {
            if (liveTimers.delete(id)) probe.timersFired++;
            return fn.apply(this, arguments);
          }
        : fn;
    id = oST(wrapped, ms, ...args);
    liveTimers.set(id, 'timeout');
    probe.timersSet++;
    return id;
  };
  W.clearTimeout = function clearTimeout(id) {
    if (liveTimers.delete(id)) probe.timersCleared++;
    return oCT(id);
  };
  W.setInterval = function setInterval(fn, ms, ...args) {
    const id = oSI(fn, ms, ...args);
    liveTimers.set(id, 'interval');
    probe.timersSet++;
    return id;
  };
  W.clearInterval = function clearInterval(id) {
    if (liveTimers.delete(id)) probe.timersCleared++;
    return oCI(id);
  };
  probe.liveTimers = () => liveTimers.size;
  probe.snapshot = () => ({
    listeners: probe.liveMessageListeners(),
    timers: probe.liveTimers(),
    iframes: document.querySelectorAll('iframe').length,
  });

  // The probe's own raw message log (not counted: registered with the original function).
  let seq = 0;
  oAdd.call(W, 'message', (e) => {
    let data;
    try {
      data = JSON.parse(JSON.stringify(e.data === undefined ? null : e.data));
    } catch {
      data = String(e.data);
    }
    probe.messages.push({ seq: ++seq, origin: e.origin, data });
  });

  // ---- helpers for tests ----
  const TIMEOUT = Symbol('timeout');
  const clone = (v) => {
    if (v === undefined) return { __undefined: true };
    try {
      return JSON.parse(JSON.stringify(v));
    } catch {
      return { __unclonable: String(v) };
    }
  };
  const ser = (e) => {
    if (e === null || typeof e !== 'object') return { notAnObject: true, value: String(e), type: typeof e };
    const C = W.sdk && W.sdk.ClinkError;
    return {
      isError: e instanceof Error,
      isClinkError: typeof C === 'function' && e instanceof C,
      name: e.name,
      code: e.code,
      message: typeof e.message === 'string' ? e.message : { notAString: String(e.message) },
      hasCause: 'cause' in e,
      cause: e.cause === undefined ? undefined : { message: e.cause && e.cause.message, isMarked: !!(e.cause && e.cause.__marked) },
      ctor: e.constructor && e.constructor.name,
    };
  };

  const events = (W.__events = []);
  const inst = (W.__inst = {});
  const T = (W.__t = {
    clone,
    ser,
    sleep: (ms) => new Promise((r) => oST(r, ms)),
    /** Awaits fn() (or a promise), bounded; never rejects. */
    async settle(fnOrPromise, ms = 8000) {
      let timer;
      try {
        const v = await Promise.race([
          Promise.resolve().then(() => (typeof fnOrPromise === 'function' ? fnOrPromise() : fnOrPromise)),
          new Promise((_, rej) => (timer = oST(() => rej(TIMEOUT), ms))),
        ]);
        return { ok: true, value: v && typeof v === 'object' ? { __object: true } : v };
      } catch (e) {
        if (e === TIMEOUT) return { ok: false, timeout: true };
        return { ok: false, error: ser(e) };
      } finally {
        oCT(timer);
      }
    },
    /** Calls fn synchronously: did it throw (sync), return a promise, or return a value? */
    sync(fn) {
      try {
        const v = fn();
        if (v && typeof v.then === 'function') {
          v.then(null, () => {}); // not left unhandled
          return { threw: false, returnedPromise: true };
        }
        return { threw: false, value: v === undefined ? '__undefined' : typeof v === 'object' ? '__object' : v };
      } catch (e) {
        return { threw: true, error: ser(e) };
      }
    },
    recorder(tag, via = 'onEvent') {
      return (event) => {
        events.push({
          tag,
          via,
          type: event && event.type,
          payload: clone(event && event.payload),
          keys: event && typeof event === 'object' ? Object.keys(event).sort() : null,
          afterDestroy: !!T.destroyed[tag],
          t: performance.now(),
        });
      };
    },
    events(tag, type) {
      return events.filter((e) => (tag == null || e.tag === tag) && (type == null || e.type === type));
    },
    /** loadClink with checkoutBaseUrl = the test checkout origin (no bootstrap). */
    async clink(checkoutBaseUrl, key = 'pk_test_embedded') {
      return W.sdk.loadClink(key, { checkoutBaseUrl });
    },
    /**
     * initEmbeddedCheckout with serialisable options; stores the instance as __inst[tag].
     * o: { base, checkoutUrl, sessionId, orderId, autoResize, autoDestroyOnComplete, pollIntervalMs,
     *      withPoll, noOnEvent }
     */
    async create(tag, o) {
      const clink = await T.clink(o.base);
      const opts = {
        fetchSession: async () => {
          T.fetchSessionCalls[tag] = (T.fetchSessionCalls[tag] || 0) + 1;
          const s = { sessionId: o.sessionId || 'sess_embedded1', checkoutUrl: o.checkoutUrl };
          if (o.orderId !== undefined) s.orderId = o.orderId;
          return s;
        },
      };
      if (!o.noOnEvent) opts.onEvent = T.recorder(tag);
      for (const k of ['autoResize', 'autoDestroyOnComplete', 'pollIntervalMs']) if (k in o) opts[k] = o[k];
      if (o.withPoll) opts.pollStatus = (ctx) => T.poll(tag, ctx);
      const e = await clink.initEmbeddedCheckout(opts);
      inst[tag] = e;
      return e;
    },
    fetchSessionCalls: {},
    destroyed: {}, // tag -> true once the test destroyed/unmounted that instance
    // ---- a controllable pollStatus ----
    polls: {}, // tag -> { calls: [...], inflight, maxInflight, answer(ctx, call, n), syncThrowAt: [n...] }
    pollState(tag) {
      return (T.polls[tag] = T.polls[tag] || { calls: [], inflight: 0, maxInflight: 0, answer: null });
    },
    poll(tag, ctx) {
      const ps = T.pollState(tag);
      const call = { ctx: clone(ctx), t: performance.now(), settledAt: null, afterDestroy: !!T.destroyed[tag] };
      ps.calls.push(call);
      if (ps.syncThrowAt && ps.syncThrowAt.includes(ps.calls.length)) {
        call.settledAt = call.t;
        throw new Error('pollStatus threw synchronously'); // not a promise at all
      }
      ps.inflight++;
      ps.maxInflight = Math.max(ps.maxInflight, ps.inflight);
      const done = () => {
        ps.inflight--;
        call.settledAt = performance.now();
      };
      let p;
      try {
        p = Promise.resolve(ps.answer ? ps.answer(ctx, call, ps.calls.length) : null);
      } catch (e) {
        p = Promise.reject(e);
      }
      return p.then(
        (v) => (done(), v),
        (e) => {
          done();
          throw e;
        },
      );
    },
    deferred() {
      let resolve, reject;
      const promise = new Promise((a, b) => ((resolve = a), (reject = b)));
      return { promise, resolve, reject };
    },
    /** A fetch wrapper that sends Clink's API hosts to the test checkout server and logs calls. */
    makeRewritingFetch(checkoutOrigin, log) {
      return function (input, init) {
        const url = typeof input === 'string' ? input : input && input.url ? input.url : String(input);
        log.push({ url, init: clone(init || null), thisIsWindow: this === W });
        const rewritten = url.replace(/^https:\/\/([a-z0-9.-]*clinkbill\.com)(?=\/)/, `${checkoutOrigin}/__host/$1`);
        return fetch(rewritten, init);
      };
    },
  });
})();
