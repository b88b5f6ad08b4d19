// Loaded as a classic script before the SDK. Counts what is left behind: live event listeners
// (window 'message' ones separately), live timers, iframes; and keeps the WebAssembly.Memory of
// every instance created (the SDK does not expose its memory; wrapping instantiate reads it
// without changing the SDK).
(() => {
  'use strict';
  const W = window;
  const ET = EventTarget.prototype;
  const oAdd = ET.addEventListener;
  const oRemove = ET.removeEventListener;
  const capOf = (o) => (typeof o === 'boolean' ? o : !!(o && o.capture));
  const live = new WeakMap(); // target -> Map(type|capture -> Set(listener))
  const c = { listeners: 0, messageListeners: 0, timers: 0 };
  function slot(target, type, options, create) {
    let byKey = live.get(target);
    if (!byKey) {
      if (!create) return null;
      live.set(target, (byKey = new Map()));
    }
    const key = type + '|' + capOf(options);
    let set = byKey.get(key);
    if (!set && create) byKey.set(key, (set = new Set()));
    return set || null;
  }
  const isWinMsg = (t, type) => t === W && type === 'message';
  const signalOf = (o) => (o && typeof o === 'object' && o.signal) || null;
  /** Stops counting a listener (removed by hand, or by its signal's abort). */
  function forget(target, type, listener, options) {
    const set = listener && slot(target, type, options, false);
    if (set && set.delete(listener)) {
      c.listeners--;
      if (isWinMsg(target, type)) c.messageListeners--;
    }
  }
  // A bare `addEventListener(…)` call (no receiver) means the window.
  ET.addEventListener = function (type, listener, options) {
    const target = this == null ? W : this;
    const signal = signalOf(options);
    // A listener added with an aborted signal is never added; one added with a signal is removed
    // when the signal aborts (the SDK owns a mount's listeners by one AbortController).
    // `once` listeners are not used by the SDK; they are counted until removed by hand.
    if (listener && !(signal && signal.aborted)) {
      const set = slot(target, type, options, true);
      if (!set.has(listener)) {
        set.add(listener);
        c.listeners++;
        if (isWinMsg(target, type)) c.messageListeners++;
        if (signal) oAdd.call(signal, 'abort', () => forget(target, type, listener, options), { once: true });
      }
    }
    return oAdd.call(target, type, listener, options);
  };
  ET.removeEventListener = function (type, listener, options) {
    const target = this == null ? W : this;
    forget(target, type, listener, options);
    return oRemove.call(target, type, listener, options);
  };

  const liveTimers = new Set();
  const oST = W.setTimeout, oCT = W.clearTimeout, oSI = W.setInterval, oCI = W.clearInterval;
  W.setTimeout = function setTimeout(fn, ms, ...args) {
    let id;
    const wrapped = typeof fn === 'function' ? function () { liveTimers.delete(id); return fn.apply(this, arguments); } : fn;
    id = oST.call(W, wrapped, ms, ...args);
    liveTimers.add(id);
    return id;
  };
  W.clearTimeout = function clearTimeout(id) {
    liveTimers.delete(id);
    return oCT.call(W, id);
  };
  W.setInterval = function setInterval(fn, ms, ...args) {
    const id = oSI.call(W, fn, ms, ...args);
    liveTimers.add(id);
    return id;
  };
  W.clearInterval = function clearInterval(id) {
    liveTimers.delete(id);
    return oCI.call(W, id);
  };
  // The bench's own waits use the untouched timer, so they never count.
  W.__rawSetTimeout = (fn, ms) => oST.call(W, fn, ms);

  const memories = [];
  const keep = (instance) => {
    for (const v of Object.values(instance.exports)) if (v instanceof WebAssembly.Memory) memories.push(v);
  };
  const oInst = WebAssembly.instantiate;
  WebAssembly.instantiate = function (...a) {
    return oInst.apply(this, a).then((r) => (keep(r instanceof WebAssembly.Instance ? r : r.instance), r));
  };
  const oStream = WebAssembly.instantiateStreaming;
  if (oStream) {
    WebAssembly.instantiateStreaming = function (...a) {
      return oStream.apply(this, a).then((r) => (keep(r.instance), r));
    };
  }
  // The SDK compiles, then instantiates synchronously (wasm-bindgen's initSync).
  WebAssembly.Instance = new Proxy(WebAssembly.Instance, {
    construct(target, args, newTarget) {
      const instance = Reflect.construct(target, args, newTarget);
      keep(instance);
      return instance;
    },
  });

  W.__probe = {
    snapshot: () => ({
      listeners: c.listeners,
      messageListeners: c.messageListeners + (typeof W.onmessage === 'function' ? 1 : 0),
      timers: liveTimers.size,
      iframes: document.querySelectorAll('iframe').length,
    }),
    wasmMemoryBytes: () => (memories.length ? memories.reduce((n, m) => n + m.buffer.byteLength, 0) : null),
    wasmInstances: () => memories.length,
  };
})();
