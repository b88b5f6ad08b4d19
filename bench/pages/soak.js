// The in-page half of bench/soak.mjs: three soaks of the default entry, each run in a fresh page
// and measured in two equal batches (wasm memory and JS heap after gc() before, after the first,
// after the second). Every function returns plain numbers; every wait is bounded.
import * as sdk from '/pkg/index.js';

const sleep = (ms) => new Promise((r) => window.__rawSetTimeout(r, ms));
function within(promise, ms, what) {
  let t;
  const timeout = new Promise((_, fail) => (t = window.__rawSetTimeout(() => fail(new Error(`timed out: ${what}`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(t));
}
/** The next window message that `test` accepts. */
function nextMessage(test) {
  return new Promise((resolve) => {
    const l = (e) => {
      if (!test(e)) return;
      removeEventListener('message', l);
      resolve(e.data);
    };
    addEventListener('message', l);
  });
}

/** JS heap and wasm linear memory, in bytes. The heap is read after gc() until three readings
 *  in a row agree within 4 KB (a removed frame's context can take several collections to go),
 *  at most 3 s; the least of those three. */
async function measure() {
  const heaps = [];
  await sleep(200);
  for (let i = 0; i < 60; i++) {
    if (typeof gc === 'function') gc();
    await sleep(50);
    heaps.push(performance.memory ? performance.memory.usedJSHeapSize : NaN);
    const last = heaps.slice(-3);
    if (last.length === 3 && Math.max(...last) - Math.min(...last) <= 4096) break;
  }
  return { heap: Math.min(...heaps.slice(-3)), heapReadings: heaps.length, wasm: __probe.wasmMemoryBytes(), probe: __probe.snapshot() };
}

/** A rejection that is (or was caused by) the wasm trapping. */
function isTrap(e) {
  for (let x = e, depth = 0; x != null && depth < 5; x = x.cause, depth++) {
    if (x instanceof WebAssembly.RuntimeError) return true;
    let text = '';
    try {
      text = `${x.name} ${x.message} ${x.stack}`;
    } catch {}
    if (/RuntimeError|unreachable/.test(text)) return true;
  }
  return false;
}
const describe = (e) => {
  try {
    return `${e && e.name}: ${String(e && e.message).slice(0, 200)}`;
  } catch {
    return 'unprintable';
  }
};

// ---------- (a) frame messages ----------

/** Messages of the right shape posted by the merchant page itself: wrong window, wrong origin. */
const FROM_HERE = [
  { source: 'clink-checkout', type: 'resize', payload: { height: 999 } },
  { source: 'clink-checkout', type: 'state_change', payload: { state: 'success' } },
  { source: 'clink-checkout', type: 'error', payload: { code: 'FORGED', message: 'x'.repeat(65536) } },
  { source: 'clink-checkout', type: 'ready', payload: {} },
];

async function messages({ base, perBatch, chunk, warm }) {
  const clink = await sdk.loadClink('pk_test_soak', { checkoutBaseUrl: base });
  const frameOrigin = new URL(base).origin;
  const got = { ready: 0, resize: 0, state_change: 0, error: 0, complete: 0, hosted_return: 0 };
  let onEvent = 0, wrongPrevious = 0, lastState = null, polluted = 0;
  const embedded = await clink.initEmbeddedCheckout({
    fetchSession: async () => ({ sessionId: 'sess_soak', checkoutUrl: `${base}/soak-frame.html` }),
    onEvent: () => onEvent++,
    autoDestroyOnComplete: false,
  });
  for (const type of Object.keys(got)) {
    embedded.on(type, (event) => {
      got[type]++;
      if (type === 'state_change') {
        if ((event.payload.previousState ?? null) !== lastState) wrongPrevious++;
        lastState = event.payload.state;
        if (Object.prototype.hasOwnProperty.call(event.payload, '__proto__') || {}.polluted !== undefined) polluted++;
      }
    });
  }
  const box = document.getElementById('box');
  let iframe;
  const ready = nextMessage((e) => iframe && e.source === iframe.contentWindow && e.data && e.data.type === 'soak-ready');
  embedded.mount(box);
  iframe = box.querySelector('iframe');
  await within(ready, 15000, 'soak frame ready');

  const expect = { ready: 0, resize: 0, state_change: 0, error: 0 };
  let next = 0, fromHere = 0;
  async function run(count) {
    for (let done = 0; done < count; done += chunk) {
      const n = Math.min(chunk, count - done);
      const chunkDone = nextMessage((e) => e.source === iframe.contentWindow && e.data && e.data.type === 'chunk-done' && e.data.from === next);
      for (let j = 0; j < 8; j++, fromHere++) postMessage(FROM_HERE[j % FROM_HERE.length], '*');
      iframe.contentWindow.postMessage({ source: 'clink-bench', cmd: 'soak', from: next, count: n }, frameOrigin);
      const d = await within(chunkDone, 60000, `messages ${next}…${next + n - 1}`);
      for (const k of Object.keys(expect)) expect[k] += d.expect[k];
      next += n;
    }
  }
  const t0 = performance.now();
  await run(warm);
  const before = await measure();
  await run(perBatch);
  const after = await measure();
  await run(perBatch);
  const again = await measure();
  const seconds = (performance.now() - t0) / 1000;
  const state = embedded.getState();
  embedded.destroy();
  return {
    sent: next, fromHere, expect, got, onEvent, wrongPrevious, polluted,
    mountedToTheEnd: state.mounted && !state.destroyed, seconds, before, after, again,
  };
}

// ---------- (b) loadClink with bad input ----------

function badCases() {
  const BIG = 'a'.repeat(10_000_000);
  const BIG_KEY = 'k'.repeat(1_000_000);
  const NEAR = 'pk_test_' + 'a'.repeat(65520) + '!';
  const KEY = 'pk_test_soakbad';
  const rejecting = () => Promise.reject(new TypeError('no network in the soak'));
  const throwing = () => {
    throw new Error('hostile');
  };
  const allTraps = { get: throwing, has: throwing, ownKeys: throwing, getOwnPropertyDescriptor: throwing, getPrototypeOf: throwing };
  const revoked = () => {
    const r = Proxy.revocable({}, {});
    r.revoke();
    return r.proxy;
  };
  const answer = (body, init) => () => Promise.resolve(new Response(body, init));
  const cases = [];
  // Keys that are not publishable keys (with a fetchImpl, so no call could ever reach a network).
  const keys = [
    undefined, null, 42, NaN, {}, [], () => 'pk_test_x', Symbol('pk_test_x'), 10n, true, '', 'pk_test_', 'pk_live_abc',
    'pk_test_abc!', 'PK_TEST_abc', ' pk_test_abc', 'pk_test_abc\n', 'pk_test_\uD800', 'pk_test_a\u0000b', 'pk_test_' + BIG, BIG,
    NEAR, new String('pk_test_abc'), { toString: () => 'pk_test_abc' }, new Proxy({}, allTraps), 'pk_test_' + '😀'.repeat(100),
  ];
  for (const key of keys) cases.push(() => ({ key, options: { fetchImpl: rejecting }, code: 'INVALID_PUBLIC_KEY' }));
  // Secret keys: refused before any request, never echoed.
  for (const secret of ['sk_test_51HxSoakSecretAbc123', 'sk_live_51HxSoakSecretAbc123', 'sk_prod_' + 'Z'.repeat(60000), 'sk_test_' + BIG]) {
    cases.push(() => ({ key: secret, options: { checkoutEnvironment: 'sandbox' }, countRequests: true, secret, code: 'INVALID_PUBLIC_KEY' }));
    cases.push(() => ({ key: secret, options: undefined, secret, code: 'INVALID_PUBLIC_KEY' }));
  }
  // Options that are not options.
  const options = [
    () => ({ get checkoutBaseUrl() { throw new Error('getter'); } }),
    () => ({ checkoutEnvironment: 'sandbox', get fetchImpl() { throw new Error('getter'); } }),
    () => ({ get locale() { throw new Error('getter'); }, fetchImpl: rejecting }),
    () => new Proxy({}, allTraps),
    () => new Proxy({ checkoutBaseUrl: 'https://x.example' }, allTraps),
    revoked,
    () => { const o = { checkoutEnvironment: 5 }; o.self = o; return o; },
    () => ({ checkoutEnvironment: 'staging', fetchImpl: rejecting }),
    () => ({ checkoutEnvironment: BIG, fetchImpl: rejecting }),
    () => ({ checkoutEnvironment: 'sandbox\uD800', fetchImpl: rejecting }),
    () => ({ checkoutBaseUrl: 'javascript:alert(1)' }),
    () => ({ checkoutBaseUrl: 'http://evil.example' }),
    () => ({ checkoutBaseUrl: 'https://user:pw@x.example' }),
    () => ({ checkoutBaseUrl: 'ftp://x.example' }),
    () => ({ checkoutBaseUrl: '' }),
    () => ({ checkoutBaseUrl: '/relative' }),
    () => ({ checkoutBaseUrl: 'https://exa mple.example/' + 'x'.repeat(65000) }),
    () => ({ checkoutBaseUrl: 'https://' + 'a'.repeat(65600) + '.example' }),
    () => ({ checkoutBaseUrl: BIG }),
    () => ({ checkoutBaseUrl: new URL('https://x.example') }),
    () => ({ checkoutBaseUrl: { toString: throwing } }),
    () => ({ checkoutBaseUrl: 'https://x.example\uDC00' }),
    () => ({ locale: 5, fetchImpl: rejecting }),
    () => ({ locale: BIG, fetchImpl: rejecting }),
    () => ({ locale: 'en\uDC00', fetchImpl: rejecting }),
    () => ({ origin: {}, fetchImpl: rejecting }),
    () => ({ origin: BIG, fetchImpl: rejecting }),
    () => ({ fetchImpl: 'fetch' }),
    () => ({ fetchImpl: {} }),
    () => ({ fetchImpl: new Proxy({}, allTraps) }),
    () => 'options as a string',
    () => 42,
    () => [],
    () => ({ [BIG_KEY]: 1, checkoutEnvironment: 7 }),
  ];
  for (const o of options) cases.push(() => ({ key: KEY, options: o(), code: 'INVALID_CHECKOUT_ENV' }));
  // A valid key, and a fetchImpl or an answer that is hostile (no network either).
  const boot = (fetchImpl, code) => () => ({ key: KEY, options: { checkoutEnvironment: 'sandbox', fetchImpl }, code });
  cases.push(
    boot(throwing, 'BOOTSTRAP_REQUEST_FAILED'),
    boot(rejecting, 'BOOTSTRAP_REQUEST_FAILED'),
    boot(() => 5, null),
    // Not a plain object, but an object: the SDK reads its fields (a Date with a fetchImpl).
    () => ({ key: KEY, options: Object.assign(new Date(), { fetchImpl: rejecting }), code: null }),
    boot(async () => null, null),
    boot(async () => new Proxy({}, allTraps), null),
    boot(async () => ({ ok: true, status: 200, text: async () => BIG }), null),
    boot(async () => ({ ok: true, status: 200, get text() { throw new Error('getter'); } }), null),
    boot(answer('x'.repeat(100000)), 'INVALID_BOOTSTRAP_RESPONSE'),
    boot(answer('{"code":200,"msg":"success","data":{"checkoutBaseUrl":"javascript:alert(1)"}}'), 'INVALID_BOOTSTRAP_RESPONSE'),
    boot(answer(`{"code":500,"msg":"${'m'.repeat(60000)}"}`), 'BOOTSTRAP_REQUEST_FAILED'),
    boot(answer('nope', { status: 503 }), 'BOOTSTRAP_REQUEST_FAILED'),
    boot(answer('{"code":200,"data":{"checkoutBaseUrl":5}}'), 'INVALID_BOOTSTRAP_RESPONSE'),
    boot(answer(`{"code":200,"data":{"checkoutBaseUrl":"https://x.example","${'k'.repeat(60000)}":1,"embeddedCheckoutEnabled":"yes"}}`), 'INVALID_BOOTSTRAP_RESPONSE'),
  );
  return cases;
}

async function badCalls({ perBatch, warm }) {
  const realFetch = globalThis.fetch;
  let globalFetches = 0;
  // Nothing in this page may reach a network: the global fetch only counts.
  globalThis.fetch = () => (globalFetches++, Promise.reject(new TypeError('no network in the soak')));
  const cases = badCases();
  const s = { calls: 0, clinkErrors: 0, resolved: 0, otherRejections: 0, traps: 0, secretRequests: 0, secretEchoed: 0, codeAsExpected: 0, codeChecked: 0, byCode: {}, samples: [] };
  const sample = (what) => s.samples.length < 12 && s.samples.push(what);
  async function call(i) {
    const c = cases[i % cases.length]();
    let options = c.options;
    if (c.countRequests) options = { ...options, fetchImpl: () => (s.secretRequests++, Promise.reject(new TypeError('no'))) };
    s.calls++;
    try {
      await sdk.loadClink(c.key, options);
      s.resolved++;
      sample(`case ${i % cases.length} resolved`);
    } catch (e) {
      if (e instanceof sdk.ClinkError && typeof e.message === 'string' && sdk.CLINK_ERROR_CODES[e.code] === e.code) {
        s.clinkErrors++;
        s.byCode[e.code] = (s.byCode[e.code] || 0) + 1;
        if (c.code) {
          s.codeChecked++;
          if (e.code === c.code) s.codeAsExpected++;
          else sample(`case ${i % cases.length}: ${e.code}, expected ${c.code}`);
        }
        if (c.secret && e.message.includes(c.secret.slice(8, 40))) s.secretEchoed++;
        if (isTrap(e)) {
          s.traps++;
          sample(`case ${i % cases.length}: ClinkError caused by a trap: ${describe(e.cause)}`);
        }
      } else {
        s.otherRejections++;
        if (isTrap(e)) s.traps++;
        sample(`case ${i % cases.length}: ${describe(e)}`);
      }
    }
  }
  let i = 0;
  const t0 = performance.now();
  for (const end = warm; i < end; i++) await call(i);
  const before = await measure();
  for (const end = i + perBatch; i < end; i++) await call(i);
  const after = await measure();
  for (const end = i + perBatch; i < end; i++) await call(i);
  const again = await measure();
  const seconds = (performance.now() - t0) / 1000;
  globalThis.fetch = realFetch;
  return { ...s, cases: cases.length, globalFetches, seconds, before, after, again };
}

// ---------- (c) remounts with a slow pollStatus ----------

async function remounts({ base, instances, perInstance, interval, warm }) {
  const clink = await sdk.loadClink('pk_test_remount', { checkoutBaseUrl: base });
  const WAITS = [150, 20, 120, 350, 60, 110, 230, 5, 180]; // ms mounted before the next remount
  const t = { calls: 0, maxInFlight: 0, overlaps: 0, remounts: 0, remountsWhileInFlight: 0, pollErrors: 0, stateChanges: 0 };
  async function one(id, count) {
    let inFlight = 0;
    const embedded = await clink.initEmbeddedCheckout({
      // The same URL per instance in every batch: a new URL per mount grows the browser's own
      // per-URL state (measured with plain iframes), which is not the SDK's.
      fetchSession: async () => ({ sessionId: `sess_remount_${id}`, checkoutUrl: `${base}/frame.html?remount=${id}` }),
      pollIntervalMs: interval,
      // Settles after three intervals: a remount nearly always finds a call out.
      pollStatus: async ({ attempt }) => {
        inFlight++;
        t.calls++;
        if (inFlight > 1) t.overlaps++;
        t.maxInFlight = Math.max(t.maxInFlight, inFlight);
        await sleep(3 * interval);
        inFlight--;
        return attempt % 4 === 0 ? { state: attempt % 8 ? 'pending' : 'payment' } : null;
      },
      onEvent: (e) => {
        if (e.type === 'error') t.pollErrors++;
        if (e.type === 'state_change') t.stateChanges++;
      },
    });
    const box = document.createElement('div');
    document.body.appendChild(box);
    embedded.mount(box);
    for (let r = 0; r < count; r++) {
      await sleep(WAITS[(r + id) % WAITS.length]);
      if (inFlight) t.remountsWhileInFlight++;
      embedded.unmount();
      embedded.mount(box);
      t.remounts++;
    }
    await sleep(WAITS[id % WAITS.length]);
    embedded.destroy();
    box.remove();
  }
  const batch = async (n) => {
    await Promise.all(Array.from({ length: instances }, (_, id) => one(id, n)));
    await sleep(4 * interval); // every call out settles (its answer ignored)
  };
  const t0 = performance.now();
  await batch(warm);
  const before = await measure();
  await batch(perInstance);
  const after = await measure();
  await batch(perInstance);
  const again = await measure();
  return { ...t, seconds: (performance.now() - t0) / 1000, before, after, again, instances, interval };
}

window.soak = { messages, badCalls, remounts };
window.soakReady = true;
