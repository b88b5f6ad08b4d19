// End-to-end tests of the local Clink and the merchant demo (www/), driving Debian's Chromium.
//
//   node --test tests/e2e/demo.test.mjs        (from the repo root; the browser tests need pkg/, see scripts/build.sh)
//
// The merchant page runs on one origin and the local Clink on another, both on free ports. The
// tests act as a buyer through the pages only, and save a screenshot of each flow to
// test-artifacts/demo/<name>.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServers } from '../../www/server.mjs';
import { launchBrowser, tempDir } from '../support/browser.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ARTIFACTS = join(ROOT, 'test-artifacts', 'demo');
const PKG_INDEX = join(ROOT, 'pkg', 'index.js');
const STEP = 5000; // the longest any single step may take
const TEST = { timeout: 30_000 };
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 375, height: 812 };

/** fetch with a deadline, so no HTTP check can hang the suite. */
function get(url, init = {}) {
  return fetch(url, { ...init, signal: AbortSignal.timeout(STEP) });
}

function postJson(url, body) {
  return get(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

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

describe('local Clink and merchant backend over HTTP', () => {
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

  test('bootstrap answers the envelope with CORS, and refuses bad keys', async () => {
    const ok = await get(`${servers.clinkUrl}/api/sdk/bootstrap?publishableKey=pk_test_demo&origin=${encodeURIComponent(servers.merchantUrl)}&locale=en-US`);
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('access-control-allow-origin'), '*');
    assert.deepEqual(await ok.json(), {
      code: 200, msg: 'success', data: { checkoutBaseUrl: servers.clinkUrl, embeddedCheckoutEnabled: true },
    });
    for (const key of ['pk_live_abc', 'pk_test_', 'nonsense', '']) {
      const body = await (await get(`${servers.clinkUrl}/api/sdk/bootstrap?publishableKey=${key}`)).json();
      assert.equal(body.code, 401, key);
      assert.match(body.msg, /publishableKey/, key);
    }
    const secret = await (await get(`${servers.clinkUrl}/api/sdk/bootstrap?publishableKey=sk_test_123`)).json();
    assert.equal(secret.code, 401);
    assert.match(secret.msg, /secret key/);
    assert.doesNotMatch(secret.msg, /sk_test_123/, 'a secret key is never echoed');
    const disabled = await (await get(`${servers.clinkUrl}/api/sdk/bootstrap?publishableKey=pk_test_embedded_disabled`)).json();
    assert.equal(disabled.data.embeddedCheckoutEnabled, false);
    const options = await get(`${servers.clinkUrl}/api/sdk/bootstrap`, { method: 'OPTIONS' });
    assert.equal(options.status, 204);
    assert.equal(options.headers.get('access-control-allow-origin'), '*');
  });

  test('checkout-session creates a session that checkout-status and the hosted pages follow', async () => {
    const res = await postJson(`${servers.merchantUrl}/api/clink/checkout-session`, { outcome: 'success', amount: 1999 });
    assert.equal(res.status, 200);
    const session = await res.json();
    assert.deepEqual(Object.keys(session).sort(), ['checkoutUrl', 'orderId', 'sessionId']);
    assert.match(session.sessionId, /^sess_[A-Za-z0-9_-]+$/);
    assert.match(session.orderId, /^ord_/);
    const prefix = `${servers.clinkUrl}/pay/`;
    assert.ok(session.checkoutUrl.startsWith(prefix), session.checkoutUrl);
    const param = decodeURIComponent(session.checkoutUrl.slice(prefix.length));
    assert.match(param, new RegExp(`^${session.sessionId}#tok_\\S+$`));
    assert.equal(session.checkoutUrl, prefix + encodeURIComponent(param));

    const status = async () => (await get(`${servers.merchantUrl}/api/clink/checkout-status?sessionId=${session.sessionId}`)).json();
    assert.equal((await status()).state, 'payment');

    const page = await get(session.checkoutUrl);
    assert.equal(page.status, 200);
    const csp = page.headers.get('content-security-policy');
    assert.match(csp, /script-src 'self'/);
    const html = await page.text();
    assertNoInlineCode(html, '/pay/');
    assert.match(html, /\$19\.99/);

    const move = (state) => postJson(`${servers.clinkUrl}/pay-api/sessions/${session.sessionId}/state`, { state });
    assert.equal((await move('success')).status, 409, 'payment cannot jump to success');
    assert.equal((await move('pending')).status, 200);
    assert.equal((await status()).state, 'pending');
    assert.equal((await move('success')).status, 200);
    assert.equal((await status()).state, 'success');
    assert.equal((await move('cancelled')).status, 409, 'a terminal state is final');

    const wrongToken = await get(`${servers.clinkUrl}/pay/${encodeURIComponent(`${session.sessionId}#tok_wrong`)}`);
    assert.equal(wrongToken.status, 403);
    const unknown = await get(`${servers.merchantUrl}/api/clink/checkout-status?sessionId=sess_nope`);
    assert.equal(unknown.status, 404);
    assert.equal((await unknown.json()).error, 'session_not_found');
    const bad = await postJson(`${servers.merchantUrl}/api/clink/checkout-session`, { outcome: 'explode' });
    assert.equal(bad.status, 400);
  });

  test('Clink-style session API for merchants\' own tests', async () => {
    const res = await postJson(`${servers.clinkUrl}/api/checkout/session`, {
      originalAmount: 2500, originalCurrency: 'EUR', outcome: 'decline',
      successUrl: 'http://localhost:3000/thanks', cancelUrl: 'http://localhost:3000/cart',
    });
    const body = await res.json();
    assert.equal(body.code, 200);
    assert.equal(body.data.state, 'payment');
    assert.equal(body.data.outcome, 'decline');
    assert.equal(body.data.url, `${servers.clinkUrl}/pay/${encodeURIComponent(body.data.sessionParam)}`);
    const read = await (await get(`${servers.clinkUrl}/api/checkout/session/${body.data.sessionId}`)).json();
    assert.equal(read.data.sessionId, body.data.sessionId);
  });

  test('merchant pages carry the strict CSP and no inline code', async () => {
    for (const path of ['/', '/success?sessionId=sess_x', '/cancel?sessionId=sess_x']) {
      const res = await get(servers.merchantUrl + path);
      assert.equal(res.status, 200, path);
      assert.equal(res.headers.get('content-security-policy'), [
        "default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", "style-src 'self'", "img-src 'self' data:",
        `connect-src 'self' ${servers.clinkUrl}`, `frame-src ${servers.clinkUrl}`, "base-uri 'none'",
        "form-action 'self'", "object-src 'none'",
      ].join('; '), path);
      assertNoInlineCode(await res.text(), path);
    }
    const cfg = await (await get(`${servers.merchantUrl}/demo-config.json`)).json();
    assert.equal(cfg.clinkOrigin, servers.clinkUrl);
    const xss = await (await get(`${servers.merchantUrl}/success?sessionId=${encodeURIComponent('<img src=x>')}`)).text();
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
    for (const path of ['..%2fwww%2fserver.mjs', '..%2f..%2fmain%2fwww%2fserver.mjs', '%2e%2e/Cargo.toml']) {
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

      const child = spawn(process.execPath, ['www/server.mjs', '--port', String(port), '--clink-port', '0'], { cwd: ROOT });
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
    const child = spawn(process.execPath, ['www/server.mjs', '--port', '0', '--clink-port', '0'], { cwd: ROOT });
    try {
      let stdout = '';
      child.stdout.on('data', (d) => { stdout += d; });
      await waitUntil(() => stdout.includes('Ctrl-C'), 'the server to start');
      const merchant = stdout.match(/Merchant demo:\s+(http:\/\/\S+?)\/?\s/)?.[1];
      const clink = stdout.match(/Local Clink:\s+(http:\/\/\S+?)\/?\s/)?.[1];
      assert.ok(merchant && clink, stdout);
      assert.equal((await get(`${merchant}/demo-config.json`)).status, 200);
      assert.equal((await get(`${clink}/api/sdk/bootstrap?publishableKey=pk_test_x`)).status, 200);
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

// --------------------------------------------------------------------- the demo in Chromium

describe('merchant demo in Chromium (built package, two origins)', () => {
  let servers;
  let browser;

  before(async () => {
    if (!existsSync(PKG_INDEX)) {
      throw new Error('pkg/index.js is missing: build the package first with `bash scripts/build.sh`');
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    servers = await startServers({ merchantPort: 0, clinkPort: 0, quiet: true });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await servers?.close();
  });

  /** A fresh browser context on the demo page, with the SDK loaded. */
  async function openDemo({ viewport = DESKTOP, isMobile = false } = {}) {
    const context = await browser.newContext({ viewport, isMobile, hasTouch: isMobile });
    const page = await context.newPage();
    page.setDefaultTimeout(STEP);
    page.setDefaultNavigationTimeout(STEP * 2);
    const problems = [];
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console.error: ${msg.text()}`);
    });
    await page.goto(`${servers.merchantUrl}/`);
    await page.waitForSelector('#sdk-status[data-state="ready"]');
    return { context, page, problems };
  }

  /** With autoResize, the iframe ends up exactly as tall as the checkout last asked. */
  async function settled(page) {
    if ((await page.locator('#clink-checkout iframe').count()) === 0) return;
    await page.waitForFunction(() => {
      const iframe = document.querySelector('#clink-checkout iframe');
      const last = document.querySelector('#event-log .log-entry[data-type="resize"][data-kind="sdk"]');
      if (!iframe || !last) return true;
      return Math.abs(iframe.getBoundingClientRect().height - JSON.parse(last.dataset.payload).height) < 1;
    }, null, { timeout: 2000 });
  }

  async function shot(page, name, options = {}) {
    await settled(page);
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true, ...options });
  }

  /** The entries of the demo's event log, oldest first: { type, kind, checkout, payload }. */
  function logEntries(page, checkout) {
    return page.$$eval('#event-log .log-entry', (items, n) => items
      .filter((li) => n == null || li.dataset.checkout === String(n))
      .map((li) => ({
        type: li.dataset.type,
        kind: li.dataset.kind,
        checkout: li.dataset.checkout,
        payload: li.dataset.payload ? JSON.parse(li.dataset.payload) : undefined,
      }))
      .reverse(), checkout);
  }

  /** Waits for a log entry of `type` (an SDK event unless kind says otherwise) whose payload has `fields`. */
  async function waitForLog(page, { type, checkout, kind = 'sdk', timeout = STEP, ...fields }) {
    await page.waitForFunction(({ type, checkout, kind, fields }) => [...document.querySelectorAll('#event-log .log-entry')]
      .some((li) => {
        if (li.dataset.type !== type || li.dataset.kind !== kind) return false;
        if (checkout != null && li.dataset.checkout !== String(checkout)) return false;
        const payload = li.dataset.payload ? JSON.parse(li.dataset.payload) : {};
        return Object.entries(fields).every(([k, v]) => payload[k] === v);
      }), { type, checkout, kind, fields }, { timeout });
  }

  /** The number of the embedded checkout the demo started last. */
  async function currentCheckout(page) {
    const n = await page.$eval('#event-log .log-entry[data-type="initEmbeddedCheckout"]', (li) => li.dataset.checkout);
    return Number(n);
  }

  /** Picks an outcome, restarts the embedded checkout, waits for it to be ready; returns its number. */
  async function restartWith(page, outcome) {
    const previous = await currentCheckout(page);
    await page.check(`input[name="outcome"][value="${outcome}"]`);
    await page.click('#restart-button');
    const checkout = previous + 1;
    await waitForLog(page, { type: 'ready', checkout });
    await waitForLog(page, { type: 'state_change', checkout, state: 'payment' });
    return checkout;
  }

  async function sessionOf(page, checkout) {
    const entry = (await logEntries(page, checkout)).find((e) => e.type === 'session');
    assert.ok(entry, 'the demo logged the session it created');
    return entry.payload;
  }

  async function serverState(sessionId) {
    return (await (await get(`${servers.merchantUrl}/api/clink/checkout-status?sessionId=${sessionId}`)).json()).state;
  }

  const iframeHeight = (page) => page.$eval('#clink-checkout iframe', (f) => f.getBoundingClientRect().height);
  const frame = (page) => page.frameLocator('#clink-checkout iframe');

  function assertNoProblems(problems) {
    assert.deepEqual(problems, [], 'no page errors, console errors or CSP violations');
  }

  test('redirect checkout: pay on the hosted page, come back to /success with the sessionId', TEST, async () => {
    const { context, page, problems } = await openDemo();
    try {
      await page.check('input[name="outcome"][value="success"]');
      await page.click('#redirect-button');
      await page.waitForURL((url) => url.href.startsWith(`${servers.clinkUrl}/pay/`));
      const param = decodeURIComponent(new URL(page.url()).pathname.slice('/pay/'.length));
      assert.match(param, /^sess_[A-Za-z0-9_-]+#tok_\S+$/, 'the SDK went to /pay/{encodeURIComponent(sessionParam)}');
      assert.ok(page.url().includes('%23'), 'the # of the session param is encoded');
      await page.waitForSelector('#pay-button');
      await shot(page, 'redirect-checkout');

      await page.click('#pay-button');
      await page.waitForSelector('#processing:not([hidden])');
      await page.waitForURL((url) => url.href.startsWith(`${servers.merchantUrl}/success?`), { timeout: STEP });
      const sessionId = new URL(page.url()).searchParams.get('sessionId');
      assert.equal(sessionId, param.split('#')[0]);
      assert.equal(await page.textContent('#session-id'), sessionId);
      assert.equal(await page.textContent('#session-state'), 'success');
      assert.equal(await serverState(sessionId), 'success');
      await shot(page, 'redirect-success');
      assertNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  test('redirect checkout: cancel on the hosted page, come back to /cancel', TEST, async () => {
    const { context, page, problems } = await openDemo();
    try {
      await page.check('input[name="outcome"][value="cancel"]');
      await page.click('#redirect-button');
      await page.waitForURL((url) => url.href.startsWith(`${servers.clinkUrl}/pay/`));
      await page.click('#cancel-button');
      await page.waitForURL((url) => url.href.startsWith(`${servers.merchantUrl}/cancel?`));
      const sessionId = new URL(page.url()).searchParams.get('sessionId');
      assert.equal(await page.textContent('#session-id'), sessionId);
      assert.equal(await serverState(sessionId), 'cancelled');
      await shot(page, 'redirect-cancel');
      assertNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  test('embedded checkout: pay, the iframe follows the content height, complete, iframe removed', TEST, async () => {
    const { context, page, problems } = await openDemo();
    try {
      const checkout = await currentCheckout(page);
      await waitForLog(page, { type: 'ready', checkout });
      await waitForLog(page, { type: 'state_change', checkout, state: 'payment' });
      await waitForLog(page, { type: 'resize', checkout });
      const session = await sessionOf(page, checkout);
      assert.equal(await page.getAttribute('#clink-checkout iframe', 'src'), session.checkoutUrl, 'mounted as given');
      await page.waitForFunction(() => document.querySelector('#clink-checkout iframe').getBoundingClientRect().height > 300);
      const before = await iframeHeight(page);
      await shot(page, 'embedded-checkout');

      await frame(page).locator('#pay-button').click();
      await waitForLog(page, { type: 'state_change', checkout, state: 'pending', previousState: 'payment' });
      // The processing panel makes the checkout taller; the SDK resizes the iframe to match.
      await page.waitForFunction((h) => {
        const f = document.querySelector('#clink-checkout iframe');
        return f && f.getBoundingClientRect().height > h + 40;
      }, before, { timeout: 2000 });
      await shot(page, 'embedded-processing');

      await waitForLog(page, { type: 'complete', checkout, state: 'success' });
      await page.waitForSelector('#clink-checkout iframe', { state: 'detached' });
      await page.waitForSelector('#embedded-result:not([hidden])');

      const events = await logEntries(page, checkout);
      const sdk = events.filter((e) => e.kind === 'sdk');
      const types = sdk.map((e) => e.type);
      assert.equal(types.filter((t) => t === 'ready').length, 1, 'one ready per mount');
      assert.deepEqual(sdk.filter((e) => e.type === 'state_change').map((e) => e.payload.state), ['payment', 'pending', 'success']);
      assert.equal(types.filter((t) => t === 'complete').length, 1, 'one complete');
      assert.ok(types.indexOf('ready') < types.indexOf('complete'));
      const heights = new Set(sdk.filter((e) => e.type === 'resize').map((e) => e.payload.height));
      assert.ok(heights.size >= 2, `the checkout asked for several heights: ${[...heights]}`);
      assert.equal(await serverState(session.sessionId), 'success');
      await shot(page, 'embedded-success');
      assertNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  test('embedded checkout: cancel gives state_change cancelled, complete and hosted_return', TEST, async () => {
    const { context, page, problems } = await openDemo();
    try {
      const checkout = await restartWith(page, 'cancel');
      const session = await sessionOf(page, checkout);
      await frame(page).locator('#cancel-button').click();
      await waitForLog(page, { type: 'state_change', checkout, state: 'cancelled' });
      await waitForLog(page, { type: 'complete', checkout, state: 'cancelled' });
      await waitForLog(page, { type: 'hosted_return', checkout, state: 'cancelled' });
      const ret = (await logEntries(page, checkout)).find((e) => e.type === 'hosted_return');
      assert.equal(ret.payload.url, `${servers.merchantUrl}/cancel?sessionId=${session.sessionId}`);
      // The demo cleans up on hosted_return.
      await page.waitForSelector('#clink-checkout iframe', { state: 'detached' });
      assert.match(await page.textContent('#embedded-result-text'), /cancelled/i);
      assert.equal(await serverState(session.sessionId), 'cancelled');
      await shot(page, 'embedded-cancel');
      assertNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  test('embedded checkout: a session that expires gives state_change and complete expired', TEST, async () => {
    const { context, page, problems } = await openDemo();
    try {
      const checkout = await restartWith(page, 'expire');
      const session = await sessionOf(page, checkout);
      await waitForLog(page, { type: 'state_change', checkout, state: 'expired' });
      await waitForLog(page, { type: 'complete', checkout, state: 'expired' });
      await frame(page).locator('#result:not([hidden])').waitFor();
      assert.equal(await page.locator('#clink-checkout iframe').count(), 1, 'only success auto-destroys');
      assert.equal(await serverState(session.sessionId), 'expired');
      await shot(page, 'embedded-expired');
      assertNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  test('embedded checkout: a declined card reports an error and stays in payment', TEST, async () => {
    const { context, page, problems } = await openDemo();
    try {
      const checkout = await restartWith(page, 'decline');
      const session = await sessionOf(page, checkout);
      await frame(page).locator('#pay-button').click();
      await waitForLog(page, { type: 'error', checkout, code: 'CARD_DECLINED' });
      await frame(page).locator('#notice:not([hidden])').waitFor();
      const types = (await logEntries(page, checkout)).map((e) => e.type);
      assert.ok(!types.includes('complete'), 'a decline is not terminal');
      assert.equal(await serverState(session.sessionId), 'payment');
      await shot(page, 'embedded-decline');
      assertNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  test('embedded checkout: a payment confirmed out of band completes through pollStatus', TEST, async () => {
    const { context, page, problems } = await openDemo();
    try {
      const checkout = await currentCheckout(page);
      await waitForLog(page, { type: 'ready', checkout });
      const session = await sessionOf(page, checkout);
      // The local Clink's state endpoint, as a merchant's own test would drive it.
      for (const state of ['pending', 'success']) {
        const res = await postJson(`${servers.clinkUrl}/pay-api/sessions/${session.sessionId}/state`, { state });
        assert.equal(res.status, 200, state);
      }
      await waitForLog(page, { type: 'complete', checkout, state: 'success', source: 'poll' });
      await page.waitForSelector('#clink-checkout iframe', { state: 'detached' });
      await page.waitForSelector('#embedded-result:not([hidden])');
      assertNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  test('reloading in the middle of an embedded checkout: the page comes back and a new checkout works', TEST, async () => {
    const { context, page } = await openDemo();
    try {
      let checkout = await currentCheckout(page);
      await waitForLog(page, { type: 'ready', checkout });
      const first = await sessionOf(page, checkout);
      await frame(page).locator('#pay-button').click();
      await waitForLog(page, { type: 'state_change', checkout, state: 'pending' });

      await page.reload();
      await page.waitForSelector('#sdk-status[data-state="ready"]');
      checkout = await currentCheckout(page);
      await waitForLog(page, { type: 'ready', checkout });
      const second = await sessionOf(page, checkout);
      assert.notEqual(second.sessionId, first.sessionId, 'a new session after the reload');
      assert.equal(await page.locator('#clink-checkout iframe').count(), 1);
      assert.ok(!(await logEntries(page)).some((e) => e.payload?.sessionId === first.sessionId), 'a fresh log');

      await frame(page).locator('#pay-button').click();
      await waitForLog(page, { type: 'complete', checkout, state: 'success' });
      await page.waitForSelector('#clink-checkout iframe', { state: 'detached' });
      assert.equal(await serverState(second.sessionId), 'success');
      await shot(page, 'embedded-after-reload');
    } finally {
      await context.close();
    }
  });

  test('phone, 375 px wide: the page and the checkout fit without horizontal scrolling', TEST, async () => {
    const { context, page, problems } = await openDemo({ viewport: PHONE, isMobile: true });
    try {
      const checkout = await currentCheckout(page);
      await waitForLog(page, { type: 'resize', checkout });
      await page.waitForFunction(() => document.querySelector('#clink-checkout iframe').getBoundingClientRect().height > 300);
      const widths = await page.evaluate(() => ({
        page: document.documentElement.scrollWidth,
        iframe: document.querySelector('#clink-checkout iframe').getBoundingClientRect().width,
      }));
      assert.ok(widths.page <= PHONE.width, `page is ${widths.page}px wide`);
      assert.ok(widths.iframe <= PHONE.width, `iframe is ${widths.iframe}px wide`);
      const inner = await frame(page).locator('html').evaluate((el) => el.scrollWidth - el.clientWidth);
      assert.ok(inner <= 0, 'no horizontal scrolling inside the checkout');
      await page.locator('#clink-checkout').scrollIntoViewIfNeeded();
      await shot(page, 'phone-375');
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
      await shot(page, 'sdk-missing');
    } finally {
      await context.close();
      await s.close();
      empty.cleanup();
    }
  });
});
