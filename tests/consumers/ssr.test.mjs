// Server-side rendering (README "Install"): the packed package, installed from its tarball, imported by
// name in Node ESM touches no window/document/location and adds no globals; the wasm is only
// compiled on the first loadClink; loadClink resolves through bootstrap with a fetchImpl; the
// browser-only calls reject with NOT_IN_BROWSER; and require() from CommonJS gets the API.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { installTarball, packPkg, run, tempDir } from './support.mjs';

const TRAPPED = ['window', 'document', 'location', 'self', 'navigator', 'localStorage', 'sessionStorage'];
const ctx = { tmp: null, sdk: null, reads: [], globalsBefore: null, globalsAfter: null, wasmAtImport: 0, wasmCalls: 0 };

before(async () => {
  ctx.tmp = tempDir('clink-ssr-');
  const tarball = await packPkg(ctx.tmp.dir);
  await installTarball(ctx.tmp.dir, tarball);
  // An SSR module of a user's app: it imports the package by name (exports map, "import").
  writeFileSync(join(ctx.tmp.dir, 'server-entry.mjs'), "export * from '@clink-ai/clink-js';\n");

  // Traps: any read of a browser global during import is recorded.
  const installed = [];
  for (const name of TRAPPED) {
    if (Object.getOwnPropertyDescriptor(globalThis, name)) continue; // e.g. navigator on newer Node
    Object.defineProperty(globalThis, name, {
      configurable: true,
      enumerable: false,
      get() {
        ctx.reads.push(`${name}\n${new Error().stack.split('\n').slice(2, 5).join('\n')}`);
        return undefined;
      },
      set() {
        ctx.reads.push(`${name} (write)`);
      },
    });
    installed.push(name);
  }
  // Counts WebAssembly compilation, so "compiled on first loadClink, not at import" is checked.
  const saved = {};
  for (const fn of ['instantiate', 'compile', 'instantiateStreaming', 'compileStreaming']) {
    if (typeof WebAssembly[fn] !== 'function') continue;
    saved[fn] = WebAssembly[fn];
    WebAssembly[fn] = function (...args) {
      ctx.wasmCalls++;
      return saved[fn].apply(this, args);
    };
  }
  ctx.globalsBefore = Reflect.ownKeys(globalThis).map(String).sort();
  try {
    ctx.sdk = await import(pathToFileURL(join(ctx.tmp.dir, 'server-entry.mjs')).href);
  } finally {
    ctx.globalsAfter = Reflect.ownKeys(globalThis).map(String).sort();
    ctx.wasmAtImport = ctx.wasmCalls;
    for (const name of installed) delete globalThis[name];
  }
}, { timeout: 120000 });

after(() => ctx.tmp && ctx.tmp.cleanup());

function bootstrapFetch(answer = { code: 200, msg: 'success', data: { checkoutBaseUrl: 'https://uat-checkout.clinkbill.com', embeddedCheckoutEnabled: true } }) {
  const calls = [];
  const fn = async (input, init) => {
    calls.push({ url: String(typeof input === 'string' ? input : input.url), init });
    return new Response(JSON.stringify(answer), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  return { fn, calls };
}

async function rejection(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  assert.fail('expected a rejection, got a resolution');
}

test('ssr: importing the package by name in Node ESM has no side effects', () => {
  assert.deepEqual(ctx.reads, [], 'no browser global (window, document, location, …) read or written during import');
  assert.deepEqual(ctx.globalsAfter, ctx.globalsBefore, 'no global added or removed by the import');
  assert.equal(ctx.wasmAtImport, 0, 'no WebAssembly compiled at import');
  const { loadClink, ClinkError, CLINK_ERROR_CODES } = ctx.sdk;
  assert.equal(typeof loadClink, 'function');
  assert.equal(typeof ClinkError, 'function');
  assert.ok(Object.isFrozen(CLINK_ERROR_CODES));
  assert.equal(CLINK_ERROR_CODES.NOT_IN_BROWSER, 'NOT_IN_BROWSER');
});

test('ssr: loadClink with a fetchImpl resolves through bootstrap (the wasm starts on this first call)', { timeout: 20000 }, async () => {
  const { loadClink } = ctx.sdk;
  const f = bootstrapFetch();
  const clink = await loadClink('pk_uat_ssr_1', { checkoutEnvironment: 'sandbox', locale: 'en-US', origin: 'https://shop.example', fetchImpl: f.fn });
  assert.ok(ctx.wasmCalls > 0, 'the wasm was compiled by the first loadClink');
  assert.equal(clink.checkoutBaseUrl, 'https://uat-checkout.clinkbill.com');
  assert.equal(f.calls.length, 1, 'one bootstrap request');
  const u = new URL(f.calls[0].url);
  assert.equal(`${u.origin}${u.pathname}`, 'https://uat-api.clinkbill.com/api/sdk/bootstrap');
  assert.deepEqual(Object.fromEntries(u.searchParams), { publishableKey: 'pk_uat_ssr_1', origin: 'https://shop.example', locale: 'en-US' });
  const init = f.calls[0].init || {};
  assert.ok(!init.method || init.method === 'GET', `GET, not ${init.method}`);
  assert.ok(!init.headers || Object.keys(init.headers).length === 0, 'no custom headers');
  assert.equal(typeof clink.redirectToCheckout, 'function');
  assert.equal(typeof clink.initEmbeddedCheckout, 'function');
});

test('ssr: redirectToCheckout and initEmbeddedCheckout reject with NOT_IN_BROWSER', { timeout: 20000 }, async () => {
  const { loadClink, ClinkError } = ctx.sdk;
  const clink = await loadClink('pk_test_ssr_2', { checkoutBaseUrl: 'https://checkout.clinkbill.com' });
  const r = await rejection(clink.redirectToCheckout({ sessionId: 'sess_ssr1' }));
  assert.ok(r instanceof ClinkError, `redirect: ClinkError, got ${r}`);
  assert.equal(r.code, 'NOT_IN_BROWSER');
  let fetched = 0;
  const e = await rejection(
    clink.initEmbeddedCheckout({
      async fetchSession() {
        fetched++;
        return { sessionId: 'sess_ssr1', checkoutUrl: 'https://checkout.clinkbill.com/pay/sess_ssr1' };
      },
    }),
  );
  assert.ok(e instanceof ClinkError, `embedded: ClinkError, got ${e}`);
  assert.equal(e.code, 'NOT_IN_BROWSER');
  console.log(`initEmbeddedCheckout in Node called fetchSession ${fetched} time(s) before rejecting`);
  // And the SDK keeps working after those failures.
  const again = await loadClink('pk_test_ssr_3', { checkoutBaseUrl: 'https://checkout.clinkbill.com/' });
  assert.equal(again.checkoutBaseUrl, 'https://checkout.clinkbill.com');
});

test('ssr: require() of the package from CommonJS returns loadClink, ClinkError, CLINK_ERROR_CODES (no global defined)', { timeout: 30000 }, async () => {
  const script = join(ctx.tmp.dir, 'consumer.cjs');
  writeFileSync(
    script,
    `'use strict';
const clinkJs = require('@clink-ai/clink-js');
const { loadClink, ClinkError, CLINK_ERROR_CODES } = clinkJs;
const out = {
  resolved: require.resolve('@clink-ai/clink-js').split('node_modules/')[1],
  keys: Object.keys(clinkJs).sort(),
  loadClink: typeof loadClink,
  ClinkError: typeof ClinkError,
  codesFrozen: Object.isFrozen(CLINK_ERROR_CODES),
  globalClink: typeof globalThis.Clink,
};
(async () => {
  if (typeof loadClink === 'function') {
    const fetchImpl = async () => new Response(JSON.stringify({ checkoutBaseUrl: 'https://uat-checkout.clinkbill.com' }), { status: 200 });
    const clink = await loadClink('pk_test_cjs_1', { fetchImpl, origin: 'https://shop.example' });
    out.checkoutBaseUrl = clink.checkoutBaseUrl;
    try {
      await loadClink('sk_test_secret');
    } catch (e) {
      out.badKey = { isClinkError: e instanceof ClinkError, code: e.code };
    }
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { process.stdout.write(JSON.stringify({ ...out, error: String(e && e.stack || e) })); });
`,
  );
  const { stdout } = await run(process.execPath, [script], { cwd: ctx.tmp.dir, timeout: 20000 });
  const out = JSON.parse(stdout);
  assert.equal(out.error, undefined, out.error);
  assert.equal(out.resolved, '@clink-ai/clink-js/dist/index.umd.js', 'the "require" condition resolves to the UMD file');
  assert.deepEqual(
    { keys: out.keys, loadClink: out.loadClink, ClinkError: out.ClinkError, codesFrozen: out.codesFrozen, globalClink: out.globalClink },
    { keys: ['CLINK_ERROR_CODES', 'ClinkError', 'loadClink', 'preloadClink'], loadClink: 'function', ClinkError: 'function', codesFrozen: true, globalClink: 'undefined' },
    `require('@clink-ai/clink-js') in CommonJS (${process.version}) gave ${JSON.stringify(out)}`,
  );
  assert.equal(out.checkoutBaseUrl, 'https://uat-checkout.clinkbill.com');
  assert.deepEqual(out.badKey, { isClinkError: true, code: 'INVALID_PUBLIC_KEY' });
});
