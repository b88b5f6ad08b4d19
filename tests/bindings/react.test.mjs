// @clink-ai/clink-js/react in Chromium, React 18 and React 19, each app built by esbuild (a
// development build, so that <StrictMode> double-invokes effects), the package installed from its
// tarball. The merchant origin serves the app and a session endpoint that counts its requests;
// the checkout origin serves the stub checkout. Each test opens the app on its "other" page
// first (nothing mounted: the baseline of listeners, timers and iframes), then goes to checkout.
// Run: node --test tests/bindings/react.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser } from '../support/browser.mjs';
import { newPage, waitFor } from '../consumers/support.mjs';
import { HERE, ensureBindingDeps, esbuild, prepareWorkDir, reactAlias, snapshot, startCheckout, startMerchant } from './support.mjs';

const VERSIONS = [18, 19];
const T = { timeout: 60000 };
const ctx = { work: null, checkout: null, merchant: null, browser: null };

before(async () => {
  const t0 = Date.now();
  const deps = await ensureBindingDeps();
  ctx.work = await prepareWorkDir();
  const { build } = await esbuild();
  // The binding's import of the SDK ('./index.js' next to react.js) goes through a spy that
  // counts loadClink calls (window.__loadClinkCalls) and calls the real one.
  const spy = join(ctx.work.dir, 'loadclink-spy.mjs');
  const entry = JSON.stringify(join(ctx.work.pkg, 'index.js'));
  writeFileSync(spy, `import { loadClink as real } from ${entry};\nexport * from ${entry};\nexport function loadClink(...args) { window.__loadClinkCalls = (window.__loadClinkCalls || 0) + 1; return real(...args); }\n`);
  const spyPlugin = {
    name: 'loadclink-spy',
    setup(b) {
      b.onResolve({ filter: /^\.\/index\.js$/ }, (args) => (/clink-js[\\/]react\.js$/.test(args.importer) ? { path: spy } : undefined));
    },
  };
  const mounts = {};
  for (const v of VERSIONS) {
    const out = join(ctx.work.dir, 'apps', 'react', `dist${v}`);
    mkdirSync(out, { recursive: true });
    await build({
      entryPoints: [join(ctx.work.dir, 'apps', 'react', 'app.jsx')],
      outfile: join(out, 'app.js'),
      bundle: true,
      format: 'iife',
      jsx: 'automatic',
      alias: reactAlias(v),
      absWorkingDir: HERE, // esbuild resolves alias targets from the working directory
      define: { 'process.env.NODE_ENV': '"development"' },
      plugins: [spyPlugin],
      logLevel: 'warning',
    });
    copyFileSync(join(ctx.work.dir, 'apps', 'react', 'index.html'), join(out, 'index.html'));
    // The app imports the main entry and the binding: the bundle holds the SDK once.
    const count = (text) => text.split('deflate-raw').length - 1;
    const inEntry = count(readFileSync(join(ctx.work.pkg, 'index.js'), 'utf8'));
    assert.ok(inEntry > 0, 'sanity: the marker is in the main entry');
    assert.equal(count(readFileSync(join(out, 'app.js'), 'utf8')), inEntry, `React ${v} bundle: one copy of the SDK`);
    mounts[`/r${v}`] = out;
  }
  ctx.checkout = await startCheckout();
  ctx.merchant = await startMerchant(ctx.checkout.origin, mounts);
  ctx.browser = await launchBrowser();
  console.log(`react bindings: deps ${deps}; packed, installed, built React ${VERSIONS.join(' and ')} in ${Date.now() - t0} ms`);
}, { timeout: 360000 });

after(async () => {
  await Promise.allSettled([ctx.browser?.close(), ctx.checkout?.close(), ctx.merchant?.close()]);
  ctx.work?.cleanup();
});

/** Opens React `v`'s app on its other page; returns the page, its problems and the baseline. */
async function openApp(v, { query = '' } = {}) {
  ctx.merchant.reset();
  const { context, page, problems } = await newPage(ctx.browser);
  await page.goto(`${ctx.merchant.origin}/r${v}/index.html?checkout=${encodeURIComponent(ctx.checkout.origin)}${query}#other`);
  await waitFor(page, problems, 'window.__app && document.querySelector("#other")', 10000, `React ${v} app started`);
  await waitFor(page, problems, '!document.querySelector("#status") || document.querySelector("#status").textContent !== "loading"', 10000, 'provider settled');
  const baseline = await snapshot(page);
  return { context, page, problems, baseline };
}

const logOf = (page) => page.evaluate(() => __log.map((e) => ({ ...e, payload: e.payload && JSON.parse(JSON.stringify(e.payload)) })));

async function checkoutFrame(page) {
  const handle = await page.waitForSelector('#checkout iframe', { state: 'attached', timeout: 10000 });
  const frame = await handle.contentFrame();
  await frame.waitForFunction(() => typeof window.send === 'function' && document.readyState === 'complete', null, { timeout: 10000 });
  return frame;
}

async function goCheckoutAndWaitReady(page, problems, readies = 1) {
  await page.evaluate(() => __app.go('checkout'));
  await waitFor(page, problems, `__log.filter((e) => e.type === 'ready').length >= ${readies}`, 10000, `ready #${readies}`);
}

function assertClean(problems, log) {
  assert.deepEqual(problems.pageErrors, [], 'no page errors');
  assert.deepEqual(problems.consoleErrors, [], 'no console errors');
  assert.deepEqual(log.filter((e) => e.unhandled), [], 'no unhandled rejection');
}

for (const v of VERSIONS) {
  test(`react ${v} StrictMode: one fetchSession, one iframe in the component's div, events to onEvent; a re-render with new inline callbacks keeps the instance and calls the new callback`, T, async () => {
    const { context, page, problems, baseline } = await openApp(v);
    try {
      assert.deepEqual(baseline.iframes, 0);
      await goCheckoutAndWaitReady(page, problems);
      assert.match(await page.textContent('#status'), /^loaded http:\/\/127\.0\.0\.1:\d+$/);
      const div = await page.evaluate(() => {
        const d = document.querySelector('#checkout');
        return { tag: d.tagName, className: d.className, minHeight: d.style.minHeight, children: [...d.children].map((c) => c.tagName), src: d.querySelector('iframe')?.src };
      });
      assert.deepEqual(div, { tag: 'DIV', className: 'clink-checkout', minHeight: '100px', children: ['IFRAME'], src: `${ctx.checkout.origin}/pay/sess_b1?autoready` });
      assert.equal(ctx.merchant.api.sessions, 1, 'StrictMode: exactly one session request');
      assert.equal(await page.locator('iframe').count(), 1, 'one iframe on the page');
      const mounted = await snapshot(page);
      assert.equal(mounted.listeners, baseline.listeners + 1, 'one message listener while mounted');

      // A parent re-render: new inline onEvent (it records version 2); same instance, same iframe.
      await page.evaluate(() => (document.querySelector('#checkout iframe').__mark = 'first'));
      await page.evaluate(() => __app.rerender());
      await waitFor(page, problems, 'document.querySelector("#version").textContent === "2"', 5000, 're-rendered');
      const frame = await checkoutFrame(page);
      await frame.evaluate(() => window.send('state_change', { state: 'pending' }));
      await waitFor(page, problems, '__log.some((e) => e.type === "state_change")', 5000, 'state_change after the re-render');
      const log = await logOf(page);
      assert.deepEqual(log.filter((e) => e.type === 'state_change').map((e) => [e.version, e.payload.state]), [[2, 'pending']], 'the latest callback got it, once');
      assert.equal(await page.evaluate(() => document.querySelector('#checkout iframe').__mark), 'first', 'the same iframe (not remounted)');
      assert.equal(ctx.merchant.api.sessions, 1, 'no new session');
      assert.equal(log.filter((e) => e.type === 'ready').length, 1, 'ready once');
      assert.equal(await page.evaluate(() => window.__loadClinkCalls), 1, 'loadClink called once (StrictMode, an inline options object, a re-render)');
      assertClean(problems, log);
    } finally {
      await context.close();
    }
  });

  test(`react ${v} StrictMode: complete with autoDestroyOnComplete destroys the instance (iframe, listener, timer gone)`, T, async () => {
    const { context, page, problems, baseline } = await openApp(v);
    try {
      await goCheckoutAndWaitReady(page, problems);
      const frame = await checkoutFrame(page);
      await frame.evaluate(() => window.send('state_change', { state: 'success', orderId: 'ord_b1' }));
      await waitFor(page, problems, '__log.some((e) => e.type === "complete")', 5000, 'complete');
      await waitFor(page, problems, '!document.querySelector("iframe")', 5000, 'the iframe is gone');
      const log = await logOf(page);
      assert.deepEqual(log.find((e) => e.type === 'complete').payload, { state: 'success', source: 'checkout', orderId: 'ord_b1' });
      assert.deepEqual(await snapshot(page), baseline, 'after auto-destroy: nothing left');
      assert.equal(await page.locator('#checkout').count(), 1, 'the component still renders its div');
      // Leaving the page afterwards: destroy again is harmless.
      await page.evaluate(() => __app.go('other'));
      await waitFor(page, problems, 'document.querySelector("#other")', 5000, 'left');
      assert.deepEqual(await snapshot(page), baseline);
      assert.equal(ctx.merchant.api.sessions, 1);
      assertClean(problems, await logOf(page));
    } finally {
      await context.close();
    }
  });

  test(`react ${v} StrictMode: a client-side route change away destroys the checkout; coming back starts a fresh working one`, T, async () => {
    const { context, page, problems, baseline } = await openApp(v);
    try {
      await goCheckoutAndWaitReady(page, problems);
      await page.evaluate(() => __app.go('other'));
      await waitFor(page, problems, 'document.querySelector("#other")', 5000, 'route changed');
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
      assert.deepEqual(await snapshot(page), baseline, 'away: no iframe, listener or timer left');

      await goCheckoutAndWaitReady(page, problems, 2);
      assert.equal(ctx.merchant.api.sessions, 2, 'a fresh session for the fresh component (one, under StrictMode)');
      assert.equal(await page.getAttribute('#checkout iframe', 'src'), `${ctx.checkout.origin}/pay/sess_b2?autoready`);
      assert.equal(await page.locator('iframe').count(), 1);
      const frame = await checkoutFrame(page);
      await frame.evaluate(() => window.send('resize', { height: 321 }));
      await waitFor(page, problems, '__log.some((e) => e.type === "resize")', 5000, 'the new checkout talks');
      assert.equal(await page.evaluate(() => document.querySelector('#checkout iframe').style.height), '321px');
      assertClean(problems, await logOf(page));
    } finally {
      await context.close();
    }
  });

  test(`react ${v} StrictMode: a new publishableKey loads again; the checkout of the old Clink is destroyed and a new one starts`, T, async () => {
    const { context, page, problems, baseline } = await openApp(v);
    try {
      await goCheckoutAndWaitReady(page, problems);
      assert.equal(await page.evaluate(() => window.__loadClinkCalls), 1);
      await page.evaluate(() => (document.querySelector('#checkout iframe').__mark = 'old'));
      await page.evaluate(() => __app.setKey('pk_test_bindings_other'));
      await waitFor(page, problems, '__log.filter((e) => e.type === "ready").length === 2', 10000, 'ready from the new checkout');
      assert.equal(await page.evaluate(() => window.__loadClinkCalls), 2, 'one more loadClink for the new key');
      assert.equal(ctx.merchant.api.sessions, 2, 'a new session for the new Clink');
      assert.equal(await page.locator('iframe').count(), 1, 'the old iframe is gone');
      assert.equal(await page.evaluate(() => document.querySelector('#checkout iframe').__mark), undefined, 'a new iframe');
      assert.equal(await page.getAttribute('#checkout iframe', 'src'), `${ctx.checkout.origin}/pay/sess_b2?autoready`);
      assert.equal((await snapshot(page)).listeners, baseline.listeners + 1, 'one message listener, not two');
      assertClean(problems, await logOf(page));
    } finally {
      await context.close();
    }
  });

  test(`react ${v} StrictMode: unmounted before fetchSession resolves → the late instance is destroyed: no iframe, listener, timer or event`, T, async () => {
    const { context, page, problems, baseline } = await openApp(v);
    try {
      ctx.merchant.hold();
      await page.evaluate(() => __app.go('checkout'));
      await waitFor(page, problems, 'document.querySelector("#checkout")', 5000, 'checkout page');
      // The session request is on its way (held by the server) when the component goes away.
      for (let i = 0; i < 100 && ctx.merchant.api.sessions < 1; i++) await new Promise((r) => setTimeout(r, 50));
      assert.equal(ctx.merchant.api.sessions, 1, 'the session was requested');
      await page.evaluate(() => __app.go('other'));
      await waitFor(page, problems, 'document.querySelector("#other")', 5000, 'route changed');
      ctx.merchant.release();
      // The app's fetchSession logs once the answer is read; then let the SDK's continuation run.
      await waitFor(page, problems, '__log.some((e) => e.fetched)', 5000, 'fetchSession resolved');
      await page.evaluate(() => new Promise((r) => setTimeout(r, 200)));
      assert.deepEqual(await snapshot(page), baseline, 'nothing was mounted or left');
      const log = await logOf(page);
      assert.deepEqual(log.filter((e) => e.type), [], 'no event reached the unmounted component');
      assert.equal(ctx.merchant.api.sessions, 1);
      assertClean(problems, log);
    } finally {
      ctx.merchant.release();
      await context.close();
    }
  });

  test(`react ${v}: errors reach onEvent as error events and useClink().error, never an unhandled rejection`, T, async () => {
    // A failing session endpoint: SESSION_ID_FETCH_FAILED to onEvent, nothing mounted.
    let { context, page, problems, baseline } = await openApp(v);
    try {
      ctx.merchant.fail(500);
      await page.evaluate(() => __app.go('checkout'));
      await waitFor(page, problems, '__log.some((e) => e.type === "error")', 5000, 'error event');
      const log = await logOf(page);
      assert.deepEqual(
        log.filter((e) => e.type).map((e) => [e.type, e.payload.code]),
        [['error', 'SESSION_ID_FETCH_FAILED']],
      );
      assert.equal(typeof log.find((e) => e.type === 'error').payload.message, 'string');
      assert.equal(ctx.merchant.api.sessions, 1, 'asked once, not retried in a loop');
      assert.deepEqual(await snapshot(page), baseline, 'nothing mounted');
      assert.deepEqual(problems.pageErrors, []);
      assert.deepEqual(log.filter((e) => e.unhandled), []);
    } finally {
      await context.close();
    }
    // A secret key: loadClink rejects; useClink().error has it, onEvent gets it once, no session.
    ({ context, page, problems, baseline } = await openApp(v, { query: '&key=sk_test_not_for_browsers' }));
    try {
      assert.equal(await page.textContent('#status'), 'error INVALID_PUBLIC_KEY (same copy)', "the binding's ClinkError is the app's: one copy of the SDK");
      await page.evaluate(() => __app.go('checkout'));
      await waitFor(page, problems, '__log.some((e) => e.type === "error")', 5000, 'error event');
      await page.evaluate(() => new Promise((r) => setTimeout(r, 100)));
      const log = await logOf(page);
      assert.deepEqual(log.filter((e) => e.type).map((e) => [e.type, e.payload.code]), [['error', 'INVALID_PUBLIC_KEY']], 'once, also under StrictMode');
      assert.equal(ctx.merchant.api.sessions, 0, 'no session without a Clink');
      assert.deepEqual(await snapshot(page), baseline);
      assert.deepEqual(problems.pageErrors, []);
      assert.deepEqual(log.filter((e) => e.unhandled), []);
    } finally {
      await context.close();
    }
  });
}
