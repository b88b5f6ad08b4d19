// @clink-ai/clink-js/element in Chromium: <clink-checkout> in a plain HTML page (the installed
// package served unbundled) and in a Vue 3 app built by Vite (the tag marked as a custom element
// in Vue's compiler options), across two origins. Counts the merchant's session requests and the
// page's message listeners, timers and iframes (tests/support/pages/probe.js).
// Run: node --test tests/bindings/element.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launchBrowser } from '../support/browser.mjs';
import { newPage, run, waitFor } from '../consumers/support.mjs';
import { HERE, ensureBindingDeps, prepareWorkDir, snapshot, startCheckout, startMerchant } from './support.mjs';

const T = { timeout: 60000 };
const ctx = { work: null, checkout: null, merchant: null, browser: null };

before(async () => {
  const t0 = Date.now();
  const deps = await ensureBindingDeps();
  ctx.work = await prepareWorkDir();
  const vueApp = join(ctx.work.dir, 'apps', 'vue');
  await run(join(HERE, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], { cwd: vueApp, timeout: 120000 });
  ctx.checkout = await startCheckout();
  ctx.merchant = await startMerchant(ctx.checkout.origin, {
    '/html': join(ctx.work.dir, 'apps', 'html'),
    '/vue': join(vueApp, 'dist'),
    '/clink': ctx.work.pkg, // the installed package, unbundled
  });
  ctx.browser = await launchBrowser();
  console.log(`element: deps ${deps}; packed, installed, Vue app built in ${Date.now() - t0} ms`);
}, { timeout: 360000 });

after(async () => {
  await Promise.allSettled([ctx.browser?.close(), ctx.checkout?.close(), ctx.merchant?.close()]);
  ctx.work?.cleanup();
});

async function open(path) {
  ctx.merchant.reset();
  const { context, page, problems } = await newPage(ctx.browser);
  await page.goto(`${ctx.merchant.origin}${path}${path.includes('?') ? '&' : '?'}checkout=${encodeURIComponent(ctx.checkout.origin)}`);
  return { context, page, problems };
}

const logOf = (page, filter = {}) =>
  page.evaluate((f) => __log.filter((e) => Object.entries(f).every(([k, v]) => e[k] === v)).map((e) => JSON.parse(JSON.stringify(e))), filter);
const tick = (page, ms = 100) => page.evaluate((ms) => new Promise((r) => setTimeout(r, ms)), ms);

async function frameIn(page, selector) {
  const handle = await page.waitForSelector(`${selector} iframe`, { state: 'attached', timeout: 10000 });
  const frame = await handle.contentFrame();
  await frame.waitForFunction(() => typeof window.send === 'function' && document.readyState === 'complete', null, { timeout: 10000 });
  return frame;
}

function assertClean(problems, log) {
  assert.deepEqual(problems.pageErrors, [], 'no page errors');
  assert.deepEqual(problems.consoleErrors, [], 'no console errors');
  assert.deepEqual(log.filter((e) => e.unhandled), [], 'no unhandled rejection');
}

/** Creates <clink-checkout id> in #first of the plain page; how = 'endpoint' | 'property'. */
function createElementIn(page, id, how, extra = {}) {
  return page.evaluate(
    ([id, how, checkout, extra]) => {
      const el = document.createElement('clink-checkout');
      el.id = id;
      el.setAttribute('publishable-key', extra.key || 'pk_test_element');
      el.setAttribute('checkout-base-url', checkout);
      if (how === 'endpoint') el.setAttribute('session-endpoint', '/api/session');
      else
        el.fetchSession = async () => {
          __log.push({ id, fetchSession: true });
          return (await fetch('/api/session', { method: 'POST' })).json();
        };
      document.querySelector('#first').append(el);
    },
    [id, how, ctx.checkout.origin, extra],
  );
}

test('element, plain HTML: session-endpoint and fetchSession property each make one session; clink:* events bubble (composed) to document listeners with the payload as detail', T, async () => {
  const { context, page, problems } = await open('/html/index.html');
  try {
    await waitFor(page, problems, 'window.__element && window.__element.ready', 10000, 'element module loaded');
    assert.equal(await page.evaluate(() => customElements.get('clink-checkout') === __element.ClinkCheckoutElement), true);
    const baseline = await snapshot(page);
    await createElementIn(page, 'by-endpoint', 'endpoint');
    await createElementIn(page, 'by-property', 'property');
    await waitFor(page, problems, '__log.filter((e) => e.type === "clink:ready").length === 2', 10000, 'both ready');
    assert.equal(ctx.merchant.api.sessions, 2, 'one session each');
    const ready = await logOf(page, { type: 'clink:ready' });
    assert.deepEqual(ready.map((e) => [e.id, e.bubbles, e.composed, e.detail]).sort(), [
      ['by-endpoint', true, true, {}],
      ['by-property', true, true, {}],
    ]);
    assert.equal((await logOf(page, { fetchSession: true })).length, 1, 'the property was called once');
    const frames = await page.evaluate(() => [...document.querySelectorAll('clink-checkout')].map((el) => [el.id, el.children.length, el.firstElementChild?.tagName, getComputedStyle(el).display]));
    assert.deepEqual(frames, [['by-endpoint', 1, 'IFRAME', 'block'], ['by-property', 1, 'IFRAME', 'block']]);
    assert.equal((await snapshot(page)).listeners, baseline.listeners + 2);

    // complete: from the frame to a document listener; autoDestroyOnComplete removes the iframe.
    const frame = await frameIn(page, '#by-property');
    await frame.evaluate(() => window.send('state_change', { state: 'success' }));
    await waitFor(page, problems, '__log.some((e) => e.type === "clink:complete")', 5000, 'clink:complete');
    const complete = await logOf(page, { type: 'clink:complete' });
    assert.deepEqual(complete.map((e) => [e.id, e.detail]), [['by-property', { state: 'success', source: 'checkout' }]]);
    await waitFor(page, problems, '!document.querySelector("#by-property iframe")', 5000, 'auto-destroyed');
    assert.deepEqual(await logOf(page, { type: 'clink:state_change' }).then((l) => l.map((e) => e.detail.state)), ['success']);

    // Removing the other element leaves nothing behind.
    await page.evaluate(() => document.querySelectorAll('clink-checkout').forEach((el) => el.remove()));
    await tick(page);
    assert.deepEqual(await snapshot(page), baseline, 'removed: no listener, timer or iframe');
    assertClean(problems, await logOf(page));
  } finally {
    await context.close();
  }
});

test('element, plain HTML: moving keeps the session (one request, same session in the new place); removing leaves nothing; destroy() ends it for good', T, async () => {
  const { context, page, problems } = await open('/html/index.html');
  try {
    await waitFor(page, problems, 'window.__element && window.__element.ready', 10000, 'element module loaded');
    const baseline = await snapshot(page);
    await createElementIn(page, 'mover', 'endpoint');
    await waitFor(page, problems, '__log.filter((e) => e.type === "clink:ready").length === 1', 10000, 'ready');
    const src = await page.getAttribute('#mover iframe', 'src');
    assert.equal(src, `${ctx.checkout.origin}/pay/sess_b1?autoready`);

    // Move: disconnect + connect. The iframe is recreated in the new place for the same session.
    await page.evaluate(() => document.querySelector('#second').append(document.querySelector('#mover')));
    await waitFor(page, problems, '__log.filter((e) => e.type === "clink:ready").length === 2', 10000, 'ready again after the move');
    assert.equal(await page.getAttribute('#second > #mover > iframe', 'src'), src, 'the same session');
    assert.equal(ctx.merchant.api.sessions, 1, 'moving asked for no new session');
    assert.equal(await page.locator('iframe').count(), 1);
    assert.equal((await snapshot(page)).listeners, baseline.listeners + 1, 'one listener, not two');

    // Removed (not destroyed): nothing left; put back: mounted again, still the same session.
    await page.evaluate(() => (window.__kept = document.querySelector('#mover')).remove());
    await tick(page);
    assert.deepEqual(await snapshot(page), baseline, 'removed: nothing left');
    await page.evaluate(() => document.querySelector('#first').append(__kept));
    await waitFor(page, problems, '__log.filter((e) => e.type === "clink:ready").length === 3', 10000, 'ready after re-adding');
    assert.equal(ctx.merchant.api.sessions, 1);

    // destroy(): the iframe goes now, and reconnecting mounts nothing.
    await page.evaluate(() => __kept.destroy());
    assert.deepEqual(await snapshot(page), baseline, 'destroyed: nothing left');
    await page.evaluate(() => {
      __kept.destroy(); // twice is harmless
      document.querySelector('#second').append(__kept);
    });
    await tick(page, 300);
    assert.equal(await page.locator('iframe').count(), 0, 'a destroyed element stays empty');
    assert.equal(ctx.merchant.api.sessions, 1);
    assert.deepEqual(await snapshot(page), baseline);
    assertClean(problems, await logOf(page));
  } finally {
    await context.close();
  }
});

test('element, plain HTML: removed before its session arrives → nothing is mounted later; destroy() before the session → the late instance is destroyed', T, async () => {
  const { context, page, problems } = await open('/html/index.html');
  try {
    await waitFor(page, problems, 'window.__element && window.__element.ready', 10000, 'element module loaded');
    const baseline = await snapshot(page);
    ctx.merchant.hold();
    await createElementIn(page, 'early-removed', 'endpoint');
    await createElementIn(page, 'early-destroyed', 'endpoint');
    for (let i = 0; i < 100 && ctx.merchant.api.sessions < 2; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(ctx.merchant.api.sessions, 2);
    await page.evaluate(() => {
      document.querySelector('#early-removed').remove();
      document.querySelector('#early-destroyed').destroy();
    });
    ctx.merchant.release();
    await tick(page, 400);
    assert.deepEqual(await snapshot(page), baseline, 'nothing mounted, nothing left');
    assert.deepEqual(await logOf(page, { type: 'clink:ready' }), []);
    assertClean(problems, await logOf(page));
  } finally {
    ctx.merchant.release();
    await context.close();
  }
});

test('element, plain HTML: errors surface as clink:error { code, message } (bad key, failing endpoint, no session source)', T, async () => {
  const { context, page, problems } = await open('/html/index.html');
  try {
    await waitFor(page, problems, 'window.__element && window.__element.ready', 10000, 'element module loaded');
    const baseline = await snapshot(page);
    await createElementIn(page, 'secret-key', 'endpoint', { key: 'sk_test_never_in_browsers' });
    await waitFor(page, problems, '__log.some((e) => e.id === "secret-key" && e.type === "clink:error")', 5000, 'secret key error');
    assert.equal(ctx.merchant.api.sessions, 0, 'no session with a refused key');
    ctx.merchant.fail(503);
    await createElementIn(page, 'failing', 'endpoint');
    await waitFor(page, problems, '__log.some((e) => e.id === "failing" && e.type === "clink:error")', 5000, 'endpoint error');
    await page.evaluate((co) => {
      const el = document.createElement('clink-checkout');
      el.id = 'no-source';
      el.setAttribute('publishable-key', 'pk_test_element');
      el.setAttribute('checkout-base-url', co);
      document.body.append(el);
    }, ctx.checkout.origin);
    await waitFor(page, problems, '__log.some((e) => e.id === "no-source" && e.type === "clink:error")', 5000, 'no session source error');
    const errors = await logOf(page, { type: 'clink:error' });
    assert.deepEqual(errors.map((e) => [e.id, e.detail.code, typeof e.detail.message]).sort(), [
      ['failing', 'SESSION_ID_FETCH_FAILED', 'string'],
      ['no-source', 'SESSION_ID_FETCH_FAILED', 'string'],
      ['secret-key', 'INVALID_PUBLIC_KEY', 'string'],
    ]);
    assert.ok(!JSON.stringify(errors).includes('sk_test_never_in_browsers'), 'the secret key is not echoed');
    assert.deepEqual(await snapshot(page), baseline, 'nothing mounted');
    assert.deepEqual(problems.pageErrors, []);
  } finally {
    await context.close();
  }
});

test('element in the markup, imported twice (a second copy): defined once, no error; a fetchSession set before the upgrade is used', T, async () => {
  const { context, page, problems } = await open('/html/markup.html');
  try {
    await waitFor(page, problems, '__log.filter((e) => e.type === "clink:ready").length === 2', 10000, 'both ready');
    assert.deepEqual(await page.evaluate(() => window.__secondCopy), { sameClass: false, defined: true }, 'the second copy left the first definition alone');
    assert.equal(ctx.merchant.api.sessions, 2, 'one session each');
    assert.deepEqual(await logOf(page, { type: 'fetchSession' }), [{ id: 'early-property', type: 'fetchSession' }], 'the pre-upgrade property was taken over');
    const srcs = await page.evaluate(() => [...document.querySelectorAll('clink-checkout iframe')].map((f) => f.src).sort());
    assert.deepEqual(srcs, [`${ctx.checkout.origin}/pay/sess_b1?autoready`, `${ctx.checkout.origin}/pay/sess_b2?autoready`]);
    assertClean(problems, await logOf(page));
  } finally {
    await context.close();
  }
});

test('element in a Vue 3 app (Vite): attributes, the fetchSession property and @clink:* listeners; a keyed move keeps the session; v-if removal leaves nothing; destroy() ends it', T, async () => {
  const { context, page, problems } = await open('/vue/index.html');
  try {
    // A bare `import '@clink-ai/clink-js/element'` survives the bundler only if the package's
    // sideEffects field lists element.js (with `sideEffects: false`, Vite drops it silently).
    await waitFor(page, problems, 'document.querySelector("#app section")', 10000, 'Vue app mounted');
    assert.equal(await page.evaluate(() => !!customElements.get('clink-checkout')), true, 'the element was defined: its import was kept by Vite');
    await waitFor(page, problems, '__log.filter((e) => e.type === "clink:ready").length === 2', 10000, 'both ready');
    assert.equal(ctx.merchant.api.sessions, 2, 'one session per element');
    assert.deepEqual((await logOf(page, { type: 'fetchSession' })).map((e) => e.id), ['property'], 'Vue set the fetchSession property');
    assert.deepEqual((await logOf(page, { type: 'clink:ready' })).map((e) => e.id).sort(), ['endpoint', 'property']);

    // Vue moves section "a" (keyed) to the end: the element is disconnected and connected again.
    const src = await page.getAttribute('#endpoint iframe', 'src');
    await page.evaluate(() => __vue.rotate());
    await waitFor(page, problems, '[...document.querySelectorAll("section")].map((s) => s.id).join() === "box-b,box-c,box-a"', 5000, 'rotated');
    await waitFor(page, problems, '__log.filter((e) => e.id === "endpoint" && e.type === "clink:ready").length === 2', 10000, 'ready after the move');
    assert.equal(await page.getAttribute('#box-a > #endpoint > iframe', 'src'), src, 'same session after the move');
    assert.equal(ctx.merchant.api.sessions, 2, 'no new session');

    // complete reaches the Vue listener.
    const frame = await frameIn(page, '#property');
    await frame.evaluate(() => window.send('state_change', { state: 'cancelled' }));
    await waitFor(page, problems, '__log.some((e) => e.type === "clink:complete")', 5000, 'clink:complete in Vue');
    assert.deepEqual((await logOf(page, { type: 'clink:complete' })).map((e) => [e.id, e.detail]), [['property', { state: 'cancelled', source: 'checkout' }]]);

    // destroy() through a template ref: its iframe goes; v-if removal of the other: nothing left.
    await page.evaluate(() => __vue.destroyProperty());
    assert.equal(await page.locator('#property iframe').count(), 0);
    await page.evaluate(() => __vue.hideEndpoint());
    await waitFor(page, problems, '!document.querySelector("#endpoint")', 5000, 'removed by v-if');
    await tick(page);
    const s = await snapshot(page);
    assert.deepEqual({ iframes: s.iframes, listeners: s.listeners }, { iframes: 0, listeners: 0 }, 'no iframe, no message listener');
    assert.equal(s.timers, 0, 'no timer');
    assertClean(problems, await logOf(page));
  } finally {
    await context.close();
  }
});
