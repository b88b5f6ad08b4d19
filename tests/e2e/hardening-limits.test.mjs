// Limits that hold against the built package (README "Security model"): wasm memory reaches a
// steady state under strings of alternating sizes, long payload keys never enter wasm memory,
// one pollStatus call at a time across remounts, a bootstrap body is given up at its cap while
// it arrives, and a ClinkError of one copy of the SDK is `instanceof` the other's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useHardeningFixture, bounded, endless, MB, routeClinkHosts } from '../hardening/servers.mjs';

const fx = useHardeningFixture();

async function openLimits() {
  const context = await fx.browser.newContext();
  context.setDefaultTimeout(10000);
  await routeClinkHosts(context, fx.servers);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(String(e?.stack || e)));
  await page.goto(fx.servers.pageUrl('/h/limits.html'));
  await page.waitForFunction(() => window.sdk && window.H && window.Clink, null, { timeout: 8000 });
  return { context, page, problems };
}

/** Mounts an instance on the checkout stub and returns the stub's frame (it has `send`). */
async function mountStub(page, options = {}) {
  await page.evaluate(async ({ withPoll, ...options }) => {
    window.events = [];
    if (withPoll) options.pollStatus = (ctx) => window.pollStatus(ctx);
    const clink = await sdk.loadClink('pk_test_limits', { checkoutBaseUrl: H.CHECKOUT });
    window.inst = await clink.initEmbeddedCheckout({
      fetchSession: async () => ({ sessionId: 'sess_limits', checkoutUrl: `${H.CHECKOUT}/pay/sess_limits` }),
      onEvent: (e) => events.push({ type: e.type, keys: Object.keys(e.payload), size: e.payload.message?.length }),
      autoDestroyOnComplete: false,
      ...options,
    });
    inst.mount('#c');
  }, options);
  await page.waitForFunction(() => events.some((e) => e.type === 'ready'));
  const frame = page.frames().find((f) => f.url().includes('/pay/sess_limits'));
  await frame.waitForFunction(() => typeof window.send === 'function');
  return frame;
}

test('wasm memory reaches a steady state under frame messages of alternating sizes (the allocator reuses large blocks)', { timeout: 120000 }, async () => {
  const { context, page, problems } = await openLimits();
  try {
    const frame = await mountStub(page);
    // 3-byte characters: 20,000–60,000 of them are 60–180 KB in wasm, several pages each.
    const batch = (n) =>
      frame.evaluate((n) => {
        for (let i = 0; i < n; i++) window.send('error', { code: 'CARD_DECLINED', message: '€'.repeat(i % 2 ? 60000 : 20000 + (i % 5) * 9000) });
      }, n);
    await batch(100);
    await page.waitForFunction(() => events.filter((e) => e.type === 'error').length === 100, null, { timeout: 30000 });
    const first = await page.evaluate(() => wasmBytes());
    await batch(300);
    await page.waitForFunction(() => events.filter((e) => e.type === 'error').length === 400, null, { timeout: 60000 });
    const after = await page.evaluate(() => wasmBytes());
    assert.ok(first > 0, 'the wasm memory was found');
    // The hand-written allocator lost ~70 KB per message here (~20 MB for 300).
    assert.ok(after - first <= 1 * MB, `wasm memory grew from ${first} to ${after} bytes over 300 more messages`);
    assert.deepEqual(await page.evaluate(() => [...new Set(events.filter((e) => e.type === 'error').map((e) => e.size))].sort()), [20000, 29000, 38000, 47000, 56000, 60000]);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a 30-million-character payload key never enters wasm memory; the event still arrives without it', { timeout: 60000 }, async () => {
  const { context, page, problems } = await openLimits();
  try {
    const frame = await mountStub(page);
    const before = await page.evaluate(() => wasmBytes());
    await frame.evaluate(() => window.send('state_change', { state: 'pending', ['k'.repeat(30e6)]: 1, orderRef: 'ord_1', ['x'.repeat(65)]: 2 }));
    await page.waitForFunction(() => events.some((e) => e.type === 'state_change'));
    const after = await page.evaluate(() => wasmBytes());
    assert.ok(after - before <= 1 * MB, `wasm memory grew from ${before} to ${after} bytes`);
    assert.deepEqual(await page.evaluate(() => events.find((e) => e.type === 'state_change').keys), ['orderRef', 'state', 'previousState']);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('pollStatus never runs twice at once, across quick remounts; the late answer of an earlier mount is ignored', { timeout: 60000 }, async () => {
  const { context, page, problems } = await openLimits();
  try {
    await page.evaluate(() => {
      window.poll = { inFlight: 0, maxInFlight: 0, calls: [] };
      window.pollStatus = (ctx) => {
        poll.inFlight++;
        poll.maxInFlight = Math.max(poll.maxInFlight, poll.inFlight);
        poll.calls.push(ctx.attempt);
        // Slow: settles after six intervals, with a state the merchant would see if applied.
        return new Promise((resolve) => setTimeout(() => { poll.inFlight--; resolve({ state: 'pending', payload: { call: poll.calls.length } }); }, 600));
      };
    });
    await mountStub(page, { pollIntervalMs: 100, withPoll: true });
    await page.waitForFunction(() => poll.inFlight === 1);
    // Ten quick remounts while the first call is out.
    await page.evaluate(async () => {
      for (let i = 0; i < 10; i++) {
        inst.unmount();
        inst.mount('#c');
        await new Promise((r) => setTimeout(r, 120));
      }
    });
    await page.waitForFunction(() => poll.calls.length >= 3, null, { timeout: 10000 });
    const r = await page.evaluate(() => ({ ...poll, states: events.filter((e) => e.type === 'state_change').length }));
    assert.equal(r.maxInFlight, 1, `calls in flight at once: ${r.maxInFlight}`);
    assert.equal(r.calls[1], 1, 'the new mount counts its attempts from 1');
    assert.ok(r.states <= 1, 'a pending state is announced once');
    await page.evaluate(() => inst.destroy());
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('an endless bootstrap body is given up at the 64 KB cap while it arrives, not read to the end', { timeout: 60000 }, async () => {
  const { context, page, problems } = await openLimits();
  try {
    endless.sentBytes = 0;
    const r = await bounded(
      page.evaluate(async (api) => {
        const fetchImpl = (url, init) => fetch(String(url).replace('https://uat-api.clinkbill.com', api), init);
        try {
          await sdk.loadClink('pk_test_endless', { checkoutEnvironment: 'sandbox', fetchImpl });
          return { ok: true };
        } catch (e) {
          return { code: e.code, message: e.message, isClinkError: e instanceof sdk.ClinkError };
        }
      }, `${fx.servers.checkout}/bs/endless`),
      15000,
      'endless body',
    );
    assert.equal(r.code, 'INVALID_BOOTSTRAP_RESPONSE', JSON.stringify(r));
    assert.match(r.message, /64 KB/);
    assert.ok(r.isClinkError);
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Before, the whole body was read until the 10 s deadline (hundreds of MB over loopback).
    assert.ok(endless.sentBytes < 64 * MB, `the server sent ${endless.sentBytes} bytes before the SDK gave up`);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a ClinkError of the UMD copy is instanceof the ESM copy\'s ClinkError, and the other way round', { timeout: 60000 }, async () => {
  const { context, page, problems } = await openLimits();
  try {
    const r = await page.evaluate(async () => {
      const fromUmd = await Clink.loadClink('sk_test_x').catch((e) => e);
      const fromEsm = await sdk.loadClink('nope').catch((e) => e);
      class Custom extends sdk.ClinkError {}
      return {
        distinctClasses: Clink.ClinkError !== sdk.ClinkError,
        umdInEsm: fromUmd instanceof sdk.ClinkError,
        esmInUmd: fromEsm instanceof Clink.ClinkError,
        stillErrors: fromUmd instanceof Error && fromEsm instanceof Error,
        codes: [fromUmd.code, fromEsm.code],
        plainError: new Error('x') instanceof sdk.ClinkError,
        lookalike: { name: 'ClinkError', code: 'NOT_IN_BROWSER' } instanceof sdk.ClinkError,
        primitives: [null, undefined, 5, 'ClinkError'].some((v) => v instanceof sdk.ClinkError),
        subclassKeepsOrdinaryRule: [fromEsm instanceof Custom, new Custom('NOT_IN_BROWSER', 'm') instanceof Custom, new Custom('NOT_IN_BROWSER', 'm') instanceof Clink.ClinkError],
        revokedProxy: (() => { const p = Proxy.revocable({}, {}); p.revoke(); try { return p.proxy instanceof sdk.ClinkError; } catch { return 'threw'; } })(),
      };
    });
    assert.deepEqual(r, {
      distinctClasses: true,
      umdInEsm: true,
      esmInUmd: true,
      stillErrors: true,
      codes: ['INVALID_PUBLIC_KEY', 'INVALID_PUBLIC_KEY'],
      plainError: false,
      lookalike: false,
      primitives: false,
      subclassKeepsOrdinaryRule: [false, true, true],
      revokedProxy: false,
    });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('without DecompressionStream (old Safari) the default and UMD entries reject NOT_IN_BROWSER naming the API and the slim entry; slim works', { timeout: 60000 }, async () => {
  const context = await fx.browser.newContext();
  try {
    await context.addInitScript(() => {
      delete window.DecompressionStream;
    });
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(String(e)));
    await page.goto(fx.servers.pageUrl('/h/limits.html'));
    await page.waitForFunction(() => window.sdk && window.Clink);
    const r = await page.evaluate(async (base) => {
      const outcome = (p) => p.then((c) => ({ ok: c.checkoutBaseUrl }), (e) => ({ code: e.code, message: e.message, isClinkError: e instanceof Error && e.name === 'ClinkError' }));
      const slim = await import('/pkg/slim.js');
      return {
        preload: [await sdk.preloadClink(), await Clink.preloadClink()],
        esm: await outcome(sdk.loadClink('pk_test_old', { checkoutBaseUrl: base })),
        umd: await outcome(Clink.loadClink('pk_test_old', { checkoutBaseUrl: base })),
        slim: await outcome(slim.loadClink('pk_test_old', { checkoutBaseUrl: base })),
      };
    }, fx.servers.checkout);
    for (const entry of ['esm', 'umd']) {
      assert.equal(r[entry].code, 'NOT_IN_BROWSER', JSON.stringify(r[entry]));
      assert.ok(r[entry].isClinkError);
      assert.match(r[entry].message, /DecompressionStream/);
      assert.match(r[entry].message, /\/slim/);
    }
    assert.deepEqual(r.slim, { ok: fx.servers.checkout });
    assert.deepEqual(r.preload, [undefined, undefined], 'preloadClink never rejects; loadClink reports the failure');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
