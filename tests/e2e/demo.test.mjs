// The demo launcher (www/demo/server.mjs) and the merchant demo's pages: ports, command line, CSP, the
// SDK under /pkg/, the page without a built SDK, the phone layout. The checkout flows themselves
// (REST, webhooks, order records, return pages) are tests/demo/*.test.mjs.
//
//   node --test tests/e2e/demo.test.mjs        (from the repo root; the browser tests need pkg/, see scripts/build.sh)
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startServers } from '../../www/demo/server.mjs';
import { launchBrowser, tempDir } from '../support/browser.mjs';
import {
  CARD_OK, DESKTOP, PHONE, PKG_INDEX, ROOT, STEP, assertNoProblems, checkoutFrame, get,
  logEntries, openDemo, payWithCard, postJson, requirePkg, sessionOf, shopClient, shot, startCheckout, waitForLog,
} from '../demo/support.mjs';

const TEST = { timeout: 60_000 };

/** The HTML of a page has no inline script, inline style or inline handler (the CSP forbids them). */
function assertNoInlineCode(html, what) {
  for (const m of html.matchAll(/<script\b([^>]*)>/gi)) {
    assert.match(m[1], /\bsrc=/, `${what}: inline <script> found`);
  }
  assert.doesNotMatch(html, /<style\b/i, `${what}: <style> element found`);
  assert.doesNotMatch(html, /\sstyle\s*=/i, `${what}: style="" attribute found`);
  assert.doesNotMatch(html, /\son[a-z]+\s*=/i, `${what}: inline event handler found`);
}

// --------------------------------------------------------------------- HTTP: the servers alone

describe('demo launcher and merchant backend over HTTP', () => {
  let servers;
  before(async () => {
    servers = await startServers({ merchantPort: 0, clinkPort: 0, quiet: true });
  });
  after(async () => {
    await servers?.close();
  });

  test('ports 0 give two distinct loopback origins', () => {
    assert.match(servers.merchantUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(servers.clinkUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(servers.merchantUrl, servers.clinkUrl);
  });

  test('checkout-session: the shop creates its order and a Clink session; bad input is refused', async () => {
    const shop = shopClient(servers.merchantUrl);
    const res = await shop.post('/api/clink/checkout-session', { item: 'lamp' });
    assert.equal(res.status, 200);
    const session = await res.json();
    assert.deepEqual(Object.keys(session).sort(), ['checkoutUrl', 'expiresAt', 'orderId', 'sessionId', 'sessionParam']);
    assert.match(session.sessionId, /^sess_[A-Za-z0-9_-]+$/);
    assert.match(session.orderId, /^DS-[0-9A-F]{12}$/);
    assert.equal(session.checkoutUrl, `${servers.clinkUrl}/pay/${encodeURIComponent(session.sessionParam)}`);
    const page = await get(session.checkoutUrl);
    assert.equal(page.status, 200);
    await page.arrayBuffer();

    const status = await (await get(`${servers.merchantUrl}/api/clink/checkout-status?sessionId=${session.sessionId}`)).json();
    assert.equal(status.state, 'payment');
    assert.equal(status.status, 'open');
    assert.equal(status.orderStatus, 'awaiting_payment');
    const record = await (await get(`${servers.merchantUrl}/api/orders/${session.orderId}`)).json();
    assert.equal(record.status, 'awaiting_payment');
    assert.equal(record.sessionId, session.sessionId);
    assert.deepEqual((await (await shop.get('/api/orders')).json()).orders.map((o) => o.id), [session.orderId], 'the account\'s own orders');
    assert.deepEqual((await (await get(`${servers.merchantUrl}/api/orders`)).json()).orders, [], 'another browser sees none of them');

    const unknown = await get(`${servers.merchantUrl}/api/clink/checkout-status?sessionId=sess_nope`);
    assert.equal(unknown.status, 404);
    assert.deepEqual(Object.keys(await unknown.json()).sort(), ['code', 'msg'], 'errors are envelopes');
    assert.equal((await get(`${servers.merchantUrl}/api/orders/DS-NOPE`)).status, 404);
    assert.equal((await postJson(`${servers.merchantUrl}/api/clink/checkout-session`, { outcome: 'explode' })).status, 400);
    assert.equal((await postJson(`${servers.merchantUrl}/api/clink/checkout-session`, { item: 'toString' })).status, 400);
    assert.equal((await postJson(`${servers.merchantUrl}/api/clink/checkout-session`, { item: 'plan', outcome: 'card' })).status, 200);
    const notJson = await get(`${servers.merchantUrl}/api/clink/checkout-session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{oops' });
    assert.equal(notJson.status, 400);
    const wrongMethod = await get(`${servers.merchantUrl}/api/clink/checkout-session`);
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.get('allow'), 'POST');
    assert.equal((await postJson(`${servers.merchantUrl}/api/nothing`, {})).status, 404);
  });

  test('merchant pages carry the strict CSP and no inline code', async () => {
    const { orderId } = await (await postJson(`${servers.merchantUrl}/api/clink/checkout-session`, {})).json();
    for (const path of ['/', '/account', `/success?order=${orderId}`, `/cancel?order=${orderId}`, '/success?order=DS-UNKNOWN']) {
      const res = await get(servers.merchantUrl + path);
      assert.equal(res.status, path.includes('UNKNOWN') ? 404 : 200, path);
      assert.equal(res.headers.get('content-security-policy'), [
        "default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", "style-src 'self'", "img-src 'self' data:",
        `connect-src 'self' ${servers.clinkUrl}`, `frame-src ${servers.clinkUrl}`, "base-uri 'none'",
        `form-action 'self' ${servers.clinkUrl}`, "object-src 'none'",
      ].join('; '), path);
      assertNoInlineCode(await res.text(), path);
    }
    const cfg = await (await get(`${servers.merchantUrl}/demo-config.json`)).json();
    assert.equal(cfg.clinkOrigin, servers.clinkUrl);
    assert.equal(cfg.publishableKey, servers.publishableKey);
    const xss = await (await get(`${servers.merchantUrl}/success?order=${orderId}&sessionId=${encodeURIComponent('"><img src=x>')}`)).text();
    assert.ok(!xss.includes('<img src=x>'), 'the sessionId is escaped');
  });

  test('/pkg/ serves the built package with the right MIME types', { skip: !existsSync(PKG_INDEX) && 'pkg/ not built' }, async () => {
    const js = await get(`${servers.merchantUrl}/pkg/index.js`);
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type'), /^text\/javascript/);
    await js.arrayBuffer();
    for (const [file, type] of [['index.d.ts', /^text\/plain/], ['package.json', /^application\/json/], ['dist/index.umd.js', /^text\/javascript/]]) {
      if (!existsSync(join(ROOT, 'pkg', file))) continue;
      const res = await get(`${servers.merchantUrl}/pkg/${file}`);
      assert.equal(res.status, 200, file);
      assert.match(res.headers.get('content-type'), type, file);
      await res.arrayBuffer();
    }
    for (const path of ['..%2fwww%2fdemo%2fserver.mjs', '..%2f..%2fmain%2fwww%2fserver.mjs', '%2e%2e/Cargo.toml']) {
      assert.equal((await get(`${servers.merchantUrl}/pkg/${path}`)).status, 404, `no path traversal: ${path}`);
    }
  });

  test('without a built package the page still loads and says to run scripts/build.sh', async () => {
    const empty = tempDir('clink-nopkg-');
    const s = await startServers({ merchantPort: 0, clinkPort: 0, quiet: true, pkgDir: empty.dir });
    try {
      const page = await get(`${s.merchantUrl}/`);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /Run <code>bash scripts\/build\.sh<\/code>/);
      const js = await get(`${s.merchantUrl}/pkg/index.js`);
      assert.equal(js.status, 404);
      assert.match(await js.text(), /scripts\/build\.sh/);
    } finally {
      await s.close();
      empty.cleanup();
    }
  });

  test('a taken port fails clearly, in startServers and on the command line', async () => {
    const blocker = createServer();
    await new Promise((r) => blocker.listen(0, '127.0.0.1', r));
    const { port } = blocker.address();
    try {
      await assert.rejects(startServers({ merchantPort: port, clinkPort: 0, quiet: true }), (err) => {
        assert.equal(err.code, 'EADDRINUSE');
        assert.match(err.message, new RegExp(`port ${port}\\b.*already in use.*--port`));
        return true;
      });
      await assert.rejects(startServers({ merchantPort: 0, clinkPort: port, quiet: true }), /--clink-port/);

      const child = spawn(process.execPath, ['www/demo/server.mjs', '--port', String(port), '--clink-port', '0'], { cwd: ROOT });
      let stderr = '';
      child.stderr.on('data', (d) => { stderr += d; });
      const code = await exitCode(child);
      assert.equal(code, 1);
      assert.match(stderr, new RegExp(`port ${port}\\b.*already in use`));
      assert.match(stderr, /--port/);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  test('the command line prints both URLs and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, ['www/demo/server.mjs', '--port', '0', '--clink-port', '0'], { cwd: ROOT });
    try {
      let stdout = '';
      child.stdout.on('data', (d) => { stdout += d; });
      await waitUntil(() => stdout.includes('Ctrl-C'), 'the server to start');
      const merchant = stdout.match(/Merchant demo:\s+(http:\/\/\S+?)\/?\s/)?.[1];
      const clink = stdout.match(/Local Clink:\s+(http:\/\/\S+?)\/?\s/)?.[1];
      assert.ok(merchant && clink, stdout);
      assert.equal((await get(`${merchant}/demo-config.json`)).status, 200);
      assert.equal((await get(`${clink}/api/sdk/bootstrap?publishableKey=pk_test_x`)).status, 200);
      for (const label of ['Publishable key:\\s+pk_test_', 'Secret key:\\s+sk_test_', 'Webhook secret:\\s+\\S', `Webhooks to:\\s+${merchant}/webhooks/clink`]) {
        assert.match(stdout, new RegExp(label), label);
      }
      child.kill('SIGTERM');
      assert.equal(await exitCode(child), 0);
      assert.match(stdout, /Stopped/);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

function exitCode(child, ms = STEP) {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('the server process did not exit in time'));
    }, ms);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

async function waitUntil(check, what, ms = STEP) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

// --------------------------------------------------------------------- the demo page in Chromium

describe('merchant demo page in Chromium (built package, two origins)', () => {
  let servers;
  let browser;

  before(async () => {
    requirePkg();
    servers = await startServers({ merchantPort: 0, clinkPort: 0, quiet: true });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await servers?.close();
  });

  const iframeHeight = (page) => page.$eval('#clink-checkout iframe', (f) => f.getBoundingClientRect().height);

  test('embedded checkout: the iframe follows the content height; the processing panel claims nothing; paid → iframe removed, one ready, one complete', TEST, async () => {
    const { context, page, problems } = await openDemo(browser, servers.merchantUrl);
    try {
      const checkout = await startCheckout(page, 'lamp');
      const session = await sessionOf(page, checkout);
      assert.equal(await page.getAttribute('#clink-checkout iframe', 'src'), session.checkoutUrl, 'mounted as given');
      await page.waitForFunction(() => document.querySelector('#clink-checkout iframe').getBoundingClientRect().height > 300);
      const before = await iframeHeight(page);

      await payWithCard(checkoutFrame(page), CARD_OK);
      await waitForLog(page, { type: 'state_change', checkout, state: 'pending', previousState: 'payment' });
      // The processing panel makes the checkout taller; the SDK resizes the iframe to match.
      await page.waitForFunction((h) => {
        const f = document.querySelector('#clink-checkout iframe');
        return f && f.getBoundingClientRect().height > h + 40;
      }, before);
      // While the attempt is with the bank, the panel says so and nothing more (it could still be declined).
      const panel = await checkoutFrame(page).locator('#processing').textContent();
      assert.match(panel, /Processing your payment/);
      assert.doesNotMatch(panel, /authori[sz]ed|receipt|confirmed/i);
      await shot(page, 'shop-lamp-processing-desktop');

      await waitForLog(page, { type: 'complete', checkout, state: 'success' });
      await page.waitForSelector('#clink-checkout iframe', { state: 'detached' });
      await page.waitForSelector('#embedded-result:not([hidden])');

      const sdk = (await logEntries(page, checkout)).filter((e) => e.kind === 'sdk');
      const types = sdk.map((e) => e.type);
      assert.equal(types.filter((t) => t === 'ready').length, 1, 'one ready per mount');
      assert.deepEqual(sdk.filter((e) => e.type === 'state_change').map((e) => e.payload.state), ['payment', 'pending', 'success']);
      assert.equal(types.filter((t) => t === 'complete').length, 1, 'one complete');
      const heights = new Set(sdk.filter((e) => e.type === 'resize').map((e) => e.payload.height));
      assert.ok(heights.size >= 2, `the checkout asked for several heights: ${[...heights]}`);
      assertNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  test('embedded checkout: Cancel → complete cancelled, hosted_return to the shop\'s /cancel, a result in place of the checkout', TEST, async () => {
    const { context, page, problems } = await openDemo(browser, servers.merchantUrl);
    try {
      const checkout = await startCheckout(page, 'lamp');
      const session = await sessionOf(page, checkout);
      await checkoutFrame(page).locator('#cancel-button').click();
      await waitForLog(page, { type: 'state_change', checkout, state: 'cancelled' });
      await waitForLog(page, { type: 'complete', checkout, state: 'cancelled' });
      await page.waitForSelector('#clink-checkout iframe', { state: 'detached' });
      await page.waitForSelector('#embedded-result[data-tone="cancelled"]');
      assert.match(await page.textContent('#embedded-result-text'), /cancelled/i);
      assert.ok(await page.isHidden('#embedded-status'), 'the outcome is said once');
      const ret = (await logEntries(page, checkout)).find((e) => e.type === 'hosted_return');
      if (ret) assert.ok(ret.payload.url.startsWith(`${servers.merchantUrl}/cancel?order=${session.orderId}`), ret.payload.url);
      assertNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  test('reloading in the middle of an embedded checkout: the page comes back and a new checkout works', TEST, async () => {
    const { context, page } = await openDemo(browser, servers.merchantUrl);
    try {
      let checkout = await startCheckout(page, 'lamp');
      const first = await sessionOf(page, checkout);
      await payWithCard(checkoutFrame(page), CARD_OK);
      await waitForLog(page, { type: 'state_change', checkout, state: 'pending' });

      await page.reload();
      await page.waitForSelector('#sdk-status[data-state="ready"]');
      assert.equal(await page.locator('#clink-checkout iframe').count(), 0, 'a reload starts no checkout by itself');
      checkout = await startCheckout(page, 'lamp');
      const second = await sessionOf(page, checkout);
      assert.notEqual(second.sessionId, first.sessionId, 'a new session after the reload');
      assert.equal(await page.locator('#clink-checkout iframe').count(), 1);
      assert.ok(!(await logEntries(page)).some((e) => e.payload?.sessionId === first.sessionId), 'a fresh log');

      await payWithCard(checkoutFrame(page), CARD_OK);
      await waitForLog(page, { type: 'complete', checkout, state: 'success' });
      await page.waitForSelector('#embedded-result[data-tone="paid"]');
    } finally {
      await context.close();
    }
  });

  test('phone, 390 px wide: the page and the checkout fit without horizontal scrolling', TEST, async () => {
    const { context, page, problems } = await openDemo(browser, servers.merchantUrl, { viewport: PHONE, isMobile: true });
    try {
      await startCheckout(page, 'lamp');
      await page.waitForFunction(() => document.querySelector('#clink-checkout iframe').getBoundingClientRect().height > 300);
      const widths = await page.evaluate(() => ({
        page: document.documentElement.scrollWidth,
        iframe: document.querySelector('#clink-checkout iframe').getBoundingClientRect().width,
      }));
      assert.ok(widths.page <= PHONE.width, `page is ${widths.page}px wide`);
      assert.ok(widths.iframe <= PHONE.width, `iframe is ${widths.iframe}px wide`);
      const inner = await checkoutFrame(page).locator('html').evaluate((el) => el.scrollWidth - el.clientWidth);
      assert.ok(inner <= 0, 'no horizontal scrolling inside the checkout');
      await page.locator('#clink-checkout').scrollIntoViewIfNeeded();
      await shot(page, 'shop-lamp-checkout-phone-390');
      assertNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  test('without a built package the page shows "run scripts/build.sh"', TEST, async () => {
    const empty = tempDir('clink-nopkg-');
    const s = await startServers({ merchantPort: 0, clinkPort: 0, quiet: true, pkgDir: empty.dir });
    const context = await browser.newContext({ viewport: DESKTOP });
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(STEP);
      await page.goto(`${s.merchantUrl}/`);
      await page.waitForSelector('#sdk-missing');
      assert.match(await page.textContent('#sdk-missing'), /bash scripts\/build\.sh/);
      assert.ok(await page.isDisabled('#buy-lamp'), 'nothing to buy with until the SDK is built');
      await shot(page, 'shop-sdk-missing-desktop');
    } finally {
      await context.close();
      await s.close();
      empty.cleanup();
    }
  });
});
