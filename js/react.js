'use client';
// @clink-ai/clink-js/react: <ClinkProvider>, useClink() and <EmbeddedCheckout> over the public
// API only (loadClink from the main entry, which this file imports as './index.js' so the app and
// the binding share one copy and one bootstrap cache). Nothing runs during server rendering:
// every call to the SDK is inside an effect.
import { createContext, createElement, useContext, useEffect, useInsertionEffect, useMemo, useRef, useState } from 'react';
import { loadClink } from './index.js';

const ClinkContext = createContext(null);
const UNKNOWN = Object.freeze({ clink: null, error: null });

function shallowEqual(a, b) {
  if (Object.is(a, b)) return true;
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object') return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && Object.is(a[k], b[k]));
}

/** The same options object for as long as its fields are the same: an inline `{}` written in
 *  each render does not load again. */
function useStableOptions(options) {
  const stable = useRef(options);
  if (!shallowEqual(stable.current, options)) stable.current = options;
  return stable.current;
}

/** Calls `loadClink(publishableKey, options)` once per key and options, in the browser only. */
export function ClinkProvider({ publishableKey, options, children }) {
  const stableOptions = useStableOptions(options);
  // The request this provider is on, kept across StrictMode's simulated remount so that it does
  // not call loadClink a second time.
  const request = useRef(null);
  const [answer, setAnswer] = useState(null); // { request, clink, error }

  useEffect(() => {
    let current = request.current;
    if (!current || current.publishableKey !== publishableKey || current.options !== stableOptions) {
      current = { publishableKey, options: stableOptions, promise: loadClink(publishableKey, stableOptions) };
      request.current = current;
    }
    let live = true;
    current.promise.then(
      (clink) => live && setAnswer({ request: current, clink, error: null }),
      (error) => live && setAnswer({ request: current, clink: null, error }),
    );
    return () => {
      live = false;
    };
  }, [publishableKey, stableOptions]);

  // An answer for an earlier key or options is not shown: null until the new one is known.
  const known = answer && request.current === answer.request && answer.request.publishableKey === publishableKey && answer.request.options === stableOptions;
  const clink = known ? answer.clink : null;
  const error = known ? answer.error : null;
  const value = useMemo(() => (clink || error ? { clink, error } : UNKNOWN), [clink, error]);
  return createElement(ClinkContext.Provider, { value }, children);
}

function useClinkContext(who) {
  const value = useContext(ClinkContext);
  if (!value) throw new Error(`[clink] ${who} must be rendered inside <ClinkProvider>`);
  return value;
}

/** `{ clink, error }` of the nearest <ClinkProvider>; both null until loadClink settled. */
export function useClink() {
  return useClinkContext('useClink()');
}

/** Calls a merchant handler like the SDK does: a throw is reported, never propagated. */
function callHandler(handler, event) {
  try {
    handler(event);
  } catch (error) {
    console.error('[clink] an event handler threw:', error);
  }
}

function errorEvent(error) {
  const code = typeof error?.code === 'string' ? error.code : 'SESSION_ID_FETCH_FAILED';
  const message = typeof error?.message === 'string' ? error.message : String(error);
  return Object.freeze({ type: 'error', payload: Object.freeze({ code, message }) });
}

/** One checkout session of one <EmbeddedCheckout>: from initEmbeddedCheckout to destroy. */
function startSession(clink, latest, options, report) {
  const life = { clink, instance: null, container: null, ended: false, endScheduled: false };
  // The SDK gets stable wrappers that read the latest props: a re-render with new inline
  // callbacks changes what is called, never the instance.
  const given = latest.current.fetchSession;
  const init = {
    // Not a function: handed over as is, so the SDK refuses it (INVALID_EMBEDDED_OPTIONS).
    fetchSession: typeof given === 'function' ? () => latest.current.fetchSession() : given,
    onEvent: (event) => {
      const onEvent = latest.current.onEvent;
      if (!life.ended && typeof onEvent === 'function') onEvent(event);
    },
    ...options,
  };
  if (latest.current.pollStatus) init.pollStatus = (context) => (latest.current.pollStatus ? latest.current.pollStatus(context) : null);
  clink.initEmbeddedCheckout(init).then(
    (instance) => {
      if (life.ended) return instance.destroy(); // the component went away while the session was on its way
      life.instance = instance;
      if (life.container) mountInto(life, report);
    },
    (error) => {
      if (!life.ended) report(error);
    },
  );
  return life;
}

function mountInto(life, report) {
  const { instance, container } = life;
  const state = instance.getState();
  if (state.mounted || state.destroyed) return; // destroyed: e.g. autoDestroyOnComplete after success
  try {
    instance.mount(container);
  } catch (error) {
    report(error);
  }
}

function endSession(life) {
  life.ended = true;
  life.container = null;
  life.instance?.destroy();
}

/**
 * Renders one <div> and mounts an embedded checkout into it. `fetchSession` is called once per
 * component lifetime; the creation options (autoResize, autoDestroyOnComplete, pollIntervalMs)
 * are read once (give the component a new `key` to start over with others).
 */
export function EmbeddedCheckout({ fetchSession, onEvent, pollStatus, autoResize, autoDestroyOnComplete, pollIntervalMs, id, className, style }) {
  const { clink, error } = useClinkContext('<EmbeddedCheckout>');
  const container = useRef(null);
  const latest = useRef(null);
  const lifeRef = useRef(null);
  const reportedError = useRef(null);
  // Insertion effects run before every other effect of the commit and never on the server, so
  // the wrappers see this render's callbacks by the time anything can call them.
  useInsertionEffect(() => {
    latest.current = { fetchSession, onEvent, pollStatus };
  });

  useEffect(() => {
    const report = (e) => {
      const handler = latest.current.onEvent;
      if (typeof handler === 'function') callHandler(handler, errorEvent(e));
      else console.error('[clink] embedded checkout:', e);
    };
    if (error && reportedError.current !== error) {
      reportedError.current = error;
      report(error);
    }
    if (!clink) return undefined;
    let life = lifeRef.current;
    if (life && (life.clink !== clink || life.ended)) {
      endSession(life);
      life = null;
    }
    if (!life) {
      const options = {};
      if (autoResize !== undefined) options.autoResize = autoResize;
      if (autoDestroyOnComplete !== undefined) options.autoDestroyOnComplete = autoDestroyOnComplete;
      if (pollIntervalMs !== undefined) options.pollIntervalMs = pollIntervalMs;
      life = startSession(clink, latest, options, report);
      lifeRef.current = life;
    }
    life.endScheduled = false;
    life.container = container.current;
    if (life.instance) mountInto(life, report);
    const current = life;
    return () => {
      current.container = null;
      current.instance?.unmount();
      // StrictMode (development) runs this cleanup and then this effect again, synchronously, on
      // the same component: the session must survive that. A real unmount is not followed by a
      // setup, so the destroy deferred to a microtask runs; a re-setup cancels it first.
      // (A microtask rather than setTimeout(0): no timer is left even for a moment, and the
      // instance is gone before any later task.)
      current.endScheduled = true;
      queueMicrotask(() => {
        if (current.endScheduled) endSession(current);
      });
    };
    // The creation options are read once on purpose (see the doc comment).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [clink, error]);

  return createElement('div', { ref: container, id, className, style });
}
