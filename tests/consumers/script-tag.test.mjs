// Script tag (README, "A plain <script> tag"): a plain HTML page that self-hosts only dist/index.umd.js uses
// window.Clink: loadClink resolves, embedded checkout mounts an iframe from a second origin,
// the frame posts a `success` state_change to its parent, and the page sees `complete`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser } from '../support/browser.mjs';
import { HERE, PKG_DIR, assertPkgBuilt, newPage, startCheckoutOrigin, startServer, tempDir, waitFor } from './support.mjs';

const ctx = {};

before(async () => {
  assertPkgBuilt();
  // The merchant self-hosts one file of the package, under its own path.
  ctx.vendor = tempDir('clink-vendor-');
  copyFileSync(join(PKG_DIR, 'dist', 'index.umd.js'), join(ctx.vendor.dir, 'index.umd.js'));
  ctx.checkout = await startCheckoutOrigin();
  ctx.merchant = await startServer({
    mounts: { '/vendor/clink': ctx.vendor.dir, '/requirejs': join(HERE, '..', '..', 'node_modules', 'requirejs'), '/': join(HERE, 'pages') },
  });
  ctx.browser = await launchBrowser();
}, { timeout: 60000 });

after(async () => {
  await Promise.allSettled([ctx.browser && ctx.browser.close(), ctx.checkout && ctx.checkout.close(), ctx.merchant && ctx.merchant.close()]);
  if (ctx.vendor) ctx.vendor.cleanup();
});

test('script tag: window.Clink runs the embedded flow; a success state from the frame gives complete', { timeout: 60000 }, async () => {
  const { context, page, problems } = await newPage(ctx.browser);
  try {
    const checkout = ctx.checkout.origin;
    await page.goto(`${ctx.merchant.origin}/script-tag.html?checkout=${encodeURIComponent(checkout)}`);
    await waitFor(page, problems, 'window.__log && window.__log.done', 15000, 'script-tag page finished');
    const log = await page.evaluate(() => window.__log);
    assert.deepEqual(log.globals, { loadClink: 'function', ClinkError: 'function', INVALID_PUBLIC_KEY: 'INVALID_PUBLIC_KEY' });
    assert.equal(log.checkoutBaseUrl, checkout);
    assert.equal(log.mounted, true, `not mounted: ${JSON.stringify(log)}`);
    assert.deepEqual(log.badKey, { isClinkError: true, code: 'INVALID_PUBLIC_KEY' });

    const iframe = page.locator('#clink-checkout iframe');
    assert.equal(await iframe.count(), 1);
    assert.equal(await iframe.getAttribute('src'), `${checkout}/pay/sess_script_tag`);
    await waitFor(page, problems, "window.__log.events.some((e) => e.type === 'ready')", 10000, 'ready event');
    const frame = await (await iframe.elementHandle()).contentFrame();
    assert.ok(frame, 'the iframe has a frame');
    assert.equal(new URL(frame.url()).origin, checkout, 'the frame is on the checkout origin');

    // The hosted checkout says the payment succeeded.
    await frame.evaluate((merchantOrigin) => {
      window.parent.postMessage({ source: 'clink-checkout', type: 'state_change', payload: { state: 'success' } }, merchantOrigin);
    }, ctx.merchant.origin);
    await waitFor(page, problems, "window.__log.events.some((e) => e.type === 'complete')", 10000, 'complete event');
    const events = await page.evaluate(() => window.__log.events);
    const types = events.map((e) => e.type);
    assert.deepEqual(types.filter((t) => t !== 'resize'), ['ready', 'state_change', 'complete']);
    assert.deepEqual(events.find((e) => e.type === 'state_change').payload, { state: 'success', previousState: null });
    assert.deepEqual(events.find((e) => e.type === 'complete').payload, { state: 'success', source: 'checkout' });
    // autoDestroyOnComplete (default true): the instance is destroyed, the iframe gone.
    await waitFor(page, problems, '!document.querySelector("#clink-checkout iframe")', 5000, 'iframe removed after success');
    const state = await page.evaluate(() => window.__embedded.getState());
    assert.equal(state.destroyed, true);
    assert.equal(state.mounted, false);

    const served = [...new Set(ctx.merchant.requests.map((r) => r.path))].filter((p) => p !== '/favicon.ico');
    assert.deepEqual(served, ['/script-tag.html', '/vendor/clink/index.umd.js'], 'one SDK file, no .wasm fetched');
    assert.deepEqual(problems.pageErrors, []);
    assert.deepEqual(problems.consoleErrors, []);
  } finally {
    await context.close().catch(() => {});
  }
});

test('script tag: window.Clink is defined also beside RequireJS and CommonJS-style globals, which get the API too', { timeout: 60000 }, async () => {
  for (const [file, expected] of [
    ['umd-amd-plain.html', { global: 'function', sameApi: true }],
    ['umd-amd-loaded.html', { module: 'function', global: 'function', sameApi: true }],
    ['umd-cjs-globals.html', { global: 'function', module: 'function', sameApi: true }],
  ]) {
    const { context, page, problems } = await newPage(ctx.browser);
    try {
      await page.goto(`${ctx.merchant.origin}/${file}`);
      assert.deepEqual(await page.evaluate(() => window.__result), expected, file);
      assert.deepEqual(await page.evaluate(() => window.__amdErrors ?? []), [], `${file}: RequireJS errors`);
      const bad = await page.evaluate(() => window.Clink.loadClink('nope').catch((e) => [e instanceof window.Clink.ClinkError, e.code]));
      assert.deepEqual(bad, [true, 'INVALID_PUBLIC_KEY'], file);
      assert.deepEqual(problems.pageErrors, [], file);
      assert.deepEqual(problems.consoleErrors, [], file);
    } finally {
      await context.close().catch(() => {});
    }
  }
});
