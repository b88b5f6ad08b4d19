// README "API" outside the browser: the ESM entry imports cleanly in Node (server-side rendering),
// bootstrap works through fetchImpl with no `location` (origin omitted), process.env.CLINK_ENV is
// read, and browser-only calls reject with NOT_IN_BROWSER.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PKG_DIR } from '../support/servers.mjs';

const ENTRY = join(PKG_DIR, 'index.js');
const T = { timeout: 20000 };

let sdk;
let globalsBefore;
async function load() {
  if (!sdk) {
    assert.ok(existsSync(ENTRY), `${ENTRY} missing: build the package first (bash scripts/build.sh)`);
    globalsBefore = Object.getOwnPropertyNames(globalThis).sort();
    sdk = await import(pathToFileURL(ENTRY).href);
  }
  return sdk;
}

function spyFetch(base = 'https://uat-checkout.clinkbill.com') {
  const calls = [];
  const fn = async (input, init) => {
    calls.push({ url: String(typeof input === 'string' ? input : input.url), init });
    return new Response(JSON.stringify({ code: 200, msg: 'success', data: { checkoutBaseUrl: base, embeddedCheckoutEnabled: true } }), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  };
  return { fn, calls };
}

async function rejection(p) {
  try {
    await p;
  } catch (e) {
    return e;
  }
  return null;
}

test('node: importing the ESM entry has no side effects and exports loadClink, ClinkError, CLINK_ERROR_CODES', T, async () => {
  const m = await load();
  assert.equal(typeof m.loadClink, 'function');
  assert.equal(typeof m.ClinkError, 'function');
  assert.equal(Object.isFrozen(m.CLINK_ERROR_CODES), true);
  assert.deepEqual(Object.getOwnPropertyNames(globalThis).sort(), globalsBefore, 'no new globals');
  assert.equal(typeof globalThis.window, 'undefined');
  assert.equal(typeof globalThis.document, 'undefined');
});

test('node: bootstrap through fetchImpl omits origin when there is neither options.origin nor location.origin', T, async () => {
  const { loadClink } = await load();
  const s = spyFetch();
  const clink = await loadClink('pk_test_node1', { fetchImpl: s.fn, locale: 'en-US' });
  assert.equal(clink.checkoutBaseUrl, 'https://uat-checkout.clinkbill.com');
  assert.equal(s.calls.length, 1);
  const u = new URL(s.calls[0].url);
  assert.equal(u.origin + u.pathname, 'https://uat-api.clinkbill.com/api/sdk/bootstrap');
  assert.deepEqual(Object.fromEntries(u.searchParams), { publishableKey: 'pk_test_node1', locale: 'en-US' });
  const s2 = spyFetch();
  await loadClink('pk_test_node2', { fetchImpl: s2.fn, origin: 'https://shop.example' });
  assert.deepEqual(Object.fromEntries(new URL(s2.calls[0].url).searchParams), { publishableKey: 'pk_test_node2', origin: 'https://shop.example' });
});

test('node: CLINK_ENV is read from process.env, globalThis.CLINK_ENV first; an invalid value rejects', T, async () => {
  const { loadClink } = await load();
  const saved = process.env.CLINK_ENV;
  try {
    process.env.CLINK_ENV = 'production';
    const a = spyFetch();
    await loadClink('pk_test_env1', { fetchImpl: a.fn });
    assert.equal(new URL(a.calls[0].url).host, 'api.clinkbill.com', 'process.env.CLINK_ENV=production beats a pk_test_ key');

    globalThis.CLINK_ENV = 'sandbox';
    const b = spyFetch();
    await loadClink('pk_prod_env2', { fetchImpl: b.fn });
    assert.equal(new URL(b.calls[0].url).host, 'uat-api.clinkbill.com', 'globalThis.CLINK_ENV beats process.env.CLINK_ENV');
    delete globalThis.CLINK_ENV;

    process.env.CLINK_ENV = 'staging';
    const c = spyFetch();
    const e = await rejection(loadClink('pk_test_env3', { fetchImpl: c.fn }));
    assert.ok(e instanceof Error, 'rejects');
    assert.equal(e.code, 'INVALID_CHECKOUT_ENV');
    assert.equal(c.calls.length, 0);
  } finally {
    delete globalThis.CLINK_ENV;
    if (saved === undefined) delete process.env.CLINK_ENV;
    else process.env.CLINK_ENV = saved;
  }
});

test('node: redirectToCheckout and initEmbeddedCheckout reject with NOT_IN_BROWSER; a secret key is still refused first', T, async () => {
  const { loadClink, ClinkError } = await load();
  const clink = await loadClink('pk_test_node_nb', { checkoutBaseUrl: 'https://checkout.clinkbill.com' });
  const r = await rejection(clink.redirectToCheckout({ sessionId: 'sess_node1' }));
  assert.ok(r instanceof ClinkError, String(r));
  assert.equal(r.code, 'NOT_IN_BROWSER');
  const e = await rejection(
    clink.initEmbeddedCheckout({ fetchSession: async () => ({ sessionId: 'sess_node1', checkoutUrl: 'https://checkout.clinkbill.com/pay/sess_node1' }) }),
  );
  assert.ok(e instanceof ClinkError, String(e));
  assert.equal(e.code, 'NOT_IN_BROWSER');
  const s = spyFetch();
  const k = await rejection(loadClink('sk_test_nodeSecret123', { fetchImpl: s.fn }));
  assert.equal(k && k.code, 'INVALID_PUBLIC_KEY');
  assert.equal(s.calls.length, 0);
});

test('node: preloadClink starts the wasm without a request or a global, resolves undefined, and the next loadClink works', T, async () => {
  const m = await load();
  assert.equal(typeof m.preloadClink, 'function');
  const fetchBefore = globalThis.fetch;
  let requests = 0;
  globalThis.fetch = (...args) => {
    requests++;
    return fetchBefore(...args);
  };
  try {
    assert.equal(await m.preloadClink(), undefined);
    assert.equal(await m.preloadClink(), undefined, 'a second call is harmless');
  } finally {
    globalThis.fetch = fetchBefore;
  }
  assert.equal(requests, 0, 'the warm-up makes no request');
  assert.deepEqual(Object.getOwnPropertyNames(globalThis).sort(), globalsBefore, 'no new globals');
  const clink = await m.loadClink('pk_test_after_preload', { checkoutBaseUrl: 'https://c.example/' });
  assert.equal(clink.checkoutBaseUrl, 'https://c.example');
});
