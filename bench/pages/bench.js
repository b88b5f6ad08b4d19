// The in-page half of bench/run.mjs. Every function returns plain numbers; every wait is bounded.
import * as sdk from '/pkg/index.js';
import { timerResolution } from '/timer.js';

const now = () => performance.now();
const sleep = (ms) => new Promise((r) => window.__rawSetTimeout(r, ms));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
function within(promise, ms, what) {
  let t;
  const timeout = new Promise((_, fail) => (t = window.__rawSetTimeout(() => fail(new Error(`timed out: ${what}`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(t));
}
async function collect() {
  if (typeof gc !== 'function') return false;
  for (let i = 0; i < 4; i++) {
    gc();
    await sleep(20);
  }
  return true;
}
const heap = () => (performance.memory ? performance.memory.usedJSHeapSize : null);
async function uaMemory() {
  if (!self.crossOriginIsolated || typeof performance.measureUserAgentSpecificMemory !== 'function') return null;
  try {
    const r = await within(performance.measureUserAgentSpecificMemory(), 20000, 'measureUserAgentSpecificMemory');
    return r.bytes;
  } catch {
    return null;
  }
}

const API = 'https://uat-api.clinkbill.com';

/** What a plain-JavaScript SDK checks in `loadClink(key, { checkoutBaseUrl, … })` before it
 *  resolves (README "loadClink"): the key grammar and secret-key refusal, a plain options
 *  object, each option's type, the URL rule (absolute, https or loopback http, no credentials)
 *  through `new URL`, one trailing slash dropped. For scale beside the SDK; no wasm. */
const KEY = /^pk_(?:test|uat|prod)_[A-Za-z0-9_]+$/;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
class PlainError extends Error {}
async function plainLoadClink(key, options) {
  if (typeof key !== 'string' || key.length > 65536) throw new PlainError('INVALID_PUBLIC_KEY');
  if (/^sk_/.test(key)) throw new PlainError('INVALID_PUBLIC_KEY');
  if (!KEY.test(key)) throw new PlainError('INVALID_PUBLIC_KEY');
  let o = {};
  if (options !== undefined) {
    const proto = Object.getPrototypeOf(options);
    if (options === null || typeof options !== 'object' || (proto !== null && proto !== Object.prototype)) throw new PlainError('INVALID_CHECKOUT_ENV');
    o = options;
  }
  const { checkoutEnvironment: env, checkoutBaseUrl: url, locale, origin, fetchImpl } = o;
  for (const v of [url, locale, origin]) if (v !== undefined && (typeof v !== 'string' || v.length > 65536 || !v.isWellFormed())) throw new PlainError('INVALID_CHECKOUT_ENV');
  if (env !== undefined && env !== 'sandbox' && env !== 'production') throw new PlainError('INVALID_CHECKOUT_ENV');
  if (fetchImpl !== undefined && typeof fetchImpl !== 'function') throw new PlainError('INVALID_CHECKOUT_ENV');
  if (url === undefined) throw new PlainError('the bench calls it with checkoutBaseUrl only');
  let u;
  try {
    u = new URL(url);
  } catch {
    throw new PlainError('INVALID_CHECKOUT_ENV');
  }
  if (!(u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK.has(u.hostname))) || u.username || u.password) throw new PlainError('INVALID_CHECKOUT_ENV');
  return Object.freeze({ checkoutBaseUrl: url.endsWith('/') ? url.slice(0, -1) : url });
}

const bench = {
  isolated: () => self.crossOriginIsolated,
  resolution: timerResolution,

  /** `loadClink` with checkoutBaseUrl, after the first call: each call timed alone, and in batches. */
  async laterCalls({ base, n }) {
    await sdk.loadClink('pk_test_later', { checkoutBaseUrl: base });
    for (let i = 0; i < 20; i++) await sdk.loadClink('pk_test_later', { checkoutBaseUrl: base });
    const each = [];
    for (let i = 0; i < n; i++) {
      const t0 = now();
      await sdk.loadClink('pk_test_later', { checkoutBaseUrl: base });
      each.push(now() - t0);
    }
    each.sort((a, b) => a - b);
    return { medianMs: median(each), p90Ms: each[Math.floor(each.length * 0.9)], meanMs: each.reduce((a, b) => a + b, 0) / n };
  },

  /** Warm `loadClink` with checkoutBaseUrl vs a plain-JavaScript version of its option checks
   *  (no wasm), after a warm-up of each: calls timed alone, and batches of 10, alternating. */
  async optionChecks({ base, n }) {
    const opts = () => ({ checkoutBaseUrl: base, locale: 'en-US' });
    const viaSdk = () => sdk.loadClink('pk_test_checks', opts());
    const plain = () => plainLoadClink('pk_test_checks', opts());
    for (let i = 0; i < 50; i++) {
      await viaSdk();
      await plain();
    }
    const s = [], p = [];
    for (let i = 0; i < n; i++) {
      for (const v of i % 2 ? [plain, viaSdk] : [viaSdk, plain]) {
        const t0 = now();
        await v();
        (v === viaSdk ? s : p).push(now() - t0);
      }
    }
    // Per-call times are a few steps of the isolated timer (5 µs): batches of 10, alternating,
    // and the median batch (robust to preemption on a shared machine, unlike a mean).
    const batch = async (f) => {
      const t0 = now();
      for (let i = 0; i < 10; i++) await f();
      return (now() - t0) / 10;
    };
    const bs = [], bp = [];
    for (let i = 0; i < n; i++) {
      if (i % 2) bp.push(await batch(plain));
      bs.push(await batch(viaSdk));
      if (!(i % 2)) bp.push(await batch(plain));
    }
    return { sdkMs: median(s), plainMs: median(p), sdkBatchMs: median(bs), plainBatchMs: median(bp) };
  },

  /** loadClink through bootstrap vs a bare fetch + text + JSON.parse of the same endpoint, interleaved. */
  async bootstrap({ api, n, warm, run }) {
    const key = 'pk_test_bootratio';
    const rewrite = (url, init) => fetch(String(url).replace(API, api), init);
    const origin = encodeURIComponent(location.origin);
    const viaSdk = (tag) =>
      sdk.loadClink(key, { checkoutEnvironment: 'sandbox', locale: `${run}-${tag}`, fetchImpl: rewrite }).then((c) => c.checkoutBaseUrl);
    const bare = async (tag) => {
      const r = await fetch(`${api}/api/sdk/bootstrap?publishableKey=${key}&origin=${origin}&locale=${run}-b${tag}`);
      return JSON.parse(await r.text()).data.checkoutBaseUrl;
    };
    for (let i = 0; i < warm; i++) {
      await viaSdk('w' + i);
      await bare('w' + i);
    }
    const s = [], b = [];
    for (let i = 0; i < n; i++) {
      const order = i % 2 ? ['b', 's'] : ['s', 'b'];
      for (const v of order) {
        const t0 = now();
        if (v === 's') await viaSdk('s' + i);
        else await bare(i);
        (v === 's' ? s : b).push(now() - t0);
      }
    }
    return { key, sdkMs: median(s), bareMs: median(b), sdkCalls: n + warm, bareCalls: n + warm };
  },

  /** 100 concurrent identical loadClink calls (the server answers after 100 ms). */
  async concurrent({ api, n }) {
    const key = 'pk_test_concslow';
    const rewrite = (url, init) => fetch(String(url).replace(API, api), init);
    const opts = { checkoutEnvironment: 'sandbox', locale: 'en-US', fetchImpl: rewrite };
    const all = await within(Promise.all(Array.from({ length: n }, () => sdk.loadClink(key, { ...opts }))), 15000, 'concurrent loadClink');
    return { key, resolved: all.filter((c) => c.checkoutBaseUrl === api).length };
  },

  /** n resize messages from the frame: SDK handler vs a plain listener, alternately. */
  async messages({ base, n, rounds }) {
    const clink = await sdk.loadClink('pk_test_messages', { checkoutBaseUrl: base });
    const frameUrl = `${base}/frame.html`;
    const frameOrigin = new URL(frameUrl).origin;
    const box = document.getElementById('box');

    async function once(variant) {
      let count = 0, tFirst = 0, tLast = 0, done;
      const finished = new Promise((r) => (done = r));
      const handler = (event) => {
        if (++count === 1) tFirst = now();
        if (count === n) {
          tLast = now();
          done();
        }
        return event;
      };
      let iframe, teardown, ready;
      const readyFrom = () =>
        new Promise((r) => {
          const l = (e) => {
            if (iframe && e.source === iframe.contentWindow && e.data && e.data.type === 'bench-ready') {
              removeEventListener('message', l);
              r();
            }
          };
          addEventListener('message', l);
        });
      if (variant === 'sdk') {
        const embedded = await clink.initEmbeddedCheckout({
          fetchSession: async () => ({ sessionId: 'sess_messages', checkoutUrl: frameUrl }),
        });
        embedded.on('resize', handler);
        ready = readyFrom();
        embedded.mount(box);
        iframe = box.querySelector('iframe');
        teardown = () => embedded.destroy();
      } else {
        // What a careful hand-written integration does: the same source/origin/shape checks,
        // the same height rule (applied only when it changed), a fresh event for the handler.
        iframe = document.createElement('iframe');
        iframe.src = frameUrl;
        iframe.style.width = '100%';
        iframe.style.border = '0';
        iframe.style.display = 'block';
        let applied = 0;
        const TYPES = ['ready', 'resize', 'state_change', 'hosted_return', 'error'];
        const listener = (e) => {
          if (e.source !== iframe.contentWindow || e.origin !== frameOrigin) return;
          const d = e.data;
          if (!d || typeof d !== 'object' || d.source !== 'clink-checkout' || !TYPES.includes(d.type)) return;
          const p = d.payload;
          if (!p || typeof p !== 'object' || Array.isArray(p)) return;
          if (d.type !== 'resize') return;
          const h = p.height;
          if (typeof h !== 'number' || !Number.isFinite(h) || h < 1 || h > 20000) return;
          const px = Math.ceil(h);
          if (px !== applied) {
            applied = px;
            iframe.style.height = px + 'px';
          }
          handler(Object.freeze({ type: 'resize', payload: Object.freeze({ height: h }) }));
        };
        addEventListener('message', listener);
        ready = readyFrom();
        box.appendChild(iframe);
        teardown = () => {
          removeEventListener('message', listener);
          iframe.remove();
        };
      }
      try {
        await within(ready, 10000, 'bench frame ready');
        const t0 = now();
        iframe.contentWindow.postMessage({ source: 'clink-bench', cmd: 'go', n }, frameOrigin);
        await within(finished, 30000, `${n} messages (${variant}), got ${count}`);
        return { totalMs: tLast - t0, dispatchMs: tLast - tFirst };
      } finally {
        teardown();
      }
    }

    await once('sdk'); // warm-up of both paths, not counted
    await once('plain');
    const r = { sdk: [], plain: [] };
    for (let i = 0; i < rounds; i++) {
      for (const v of i % 2 ? ['plain', 'sdk'] : ['sdk', 'plain']) r[v].push(await once(v));
    }
    const med = (v, f) => median(r[v].map((x) => x[f]));
    return {
      sdkTotalMs: med('sdk', 'totalMs'),
      plainTotalMs: med('plain', 'totalMs'),
      sdkDispatchMs: med('sdk', 'dispatchMs'),
      plainDispatchMs: med('plain', 'dispatchMs'),
      rounds,
    };
  },

  /** n cycles of initEmbeddedCheckout → on → mount → destroy, with pollStatus armed. */
  async cycles({ base, n, warm }) {
    const clink = await sdk.loadClink('pk_test_cycles', { checkoutBaseUrl: base });
    const box = document.getElementById('box');
    const peak = { listeners: 0, messageListeners: 0, timers: 0 };
    async function cycle(i) {
      const embedded = await clink.initEmbeddedCheckout({
        fetchSession: async () => ({ sessionId: `sess_cycle${i}`, checkoutUrl: `${base}/frame.html?c=${i}` }),
        onEvent() {},
        pollStatus: async () => null,
        pollIntervalMs: 100,
      });
      embedded.on('resize', () => {});
      embedded.mount(box);
      const s = __probe.snapshot();
      for (const k of Object.keys(peak)) peak[k] = Math.max(peak[k], s[k]);
      embedded.destroy();
    }
    const measure = async () => ({ heap: heap(), wasm: __probe.wasmMemoryBytes(), ua: await uaMemory(), probe: __probe.snapshot() });
    for (let i = 0; i < warm; i++) await cycle(-1 - i);
    await sleep(300);
    const gcForced = await collect();
    const before = await measure();
    let t0 = now();
    for (let i = 0; i < n; i++) await cycle(i);
    const perCycleMs = (now() - t0) / n;
    await sleep(500); // anything the SDK left armed would fire or show up here
    await collect();
    const after = await measure();
    // A second batch tells a high-water mark (wasm memory never shrinks) from a leak.
    for (let i = 0; i < n; i++) await cycle(n + i);
    await sleep(500);
    await collect();
    const again = await measure();
    // For scale: the same iframe created, appended and removed by hand.
    const plainN = Math.min(n, 200);
    t0 = now();
    for (let i = 0; i < plainN; i++) {
      await null;
      const f = document.createElement('iframe');
      f.src = `${base}/frame.html?p=${i}`;
      f.style.width = '100%';
      box.appendChild(f);
      f.remove();
    }
    const plainIframeMs = (now() - t0) / plainN;
    return { perCycleMs, plainIframeMs, before, after, again, peak, gcForced, wasmInstances: __probe.wasmInstances() };
  },
};

window.bench = bench;
window.benchReady = true;
