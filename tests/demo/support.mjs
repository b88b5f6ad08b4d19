// Helpers for the merchant demo's tests (tests/demo/*.test.mjs, tests/e2e/demo.test.mjs): a shop
// client with its account cookie, a demo page in Chromium, its event log, the hosted checkout's
// card form, screenshots (test-artifacts/screens/, not committed).
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const ARTIFACTS = join(ROOT, 'test-artifacts', 'screens');
export const PKG_INDEX = join(ROOT, 'pkg', 'index.js');
export const STEP = 8000; // the longest any single step may take on a busy machine
export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };
export const CARD_OK = '4242 4242 4242 4242';
export const CARD_DECLINED = '4000 0000 0000 0002';

export function requirePkg() {
  if (!existsSync(PKG_INDEX)) throw new Error('pkg/index.js is missing: build the package first with `bash scripts/build.sh`');
  mkdirSync(ARTIFACTS, { recursive: true });
}

/** fetch with a deadline, so no HTTP check can hang the suite. */
export function get(url, init = {}) {
  return fetch(url, { ...init, signal: AbortSignal.timeout(STEP) });
}

export function postJson(url, body, headers = {}) {
  return get(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

/** Signs a webhook body as the local Clink does (hex HMAC-SHA256 of "timestamp.body"). */
export function signAsClink(secret, timestamp, body) {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/**
 * The shop's HTTP API as one browser would use it: the account cookie the shop sets is sent back.
 * @returns {{ get(path: string, init?: RequestInit): Promise<Response>, post(path: string, body: object): Promise<Response>, cookie(): string }}
 */
export function shopClient(merchantUrl) {
  let cookie = '';
  async function call(path, init = {}) {
    const res = await get(`${merchantUrl}${path}`, { redirect: 'manual', ...init, headers: { ...(cookie ? { Cookie: cookie } : {}), ...init.headers } });
    const set = res.headers.get('set-cookie');
    if (set) cookie = set.split(';')[0];
    return res;
  }
  return {
    get: call,
    post: (path, body) => call(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
    cookie: () => cookie,
  };
}

/** The local Clink's inspector data (sessions, orders, deliveries, totals): loopback only. */
export async function inspectorData(clinkUrl) {
  const body = await (await get(`${clinkUrl}/inspector/data`)).json();
  return body.data ?? body;
}

/** A fresh browser context on the demo page with the SDK loaded. */
export async function openDemo(browser, merchantUrl, { viewport = DESKTOP, isMobile = false, path = '/' } = {}) {
  const context = await browser.newContext({ viewport, isMobile, hasTouch: isMobile });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP);
  page.setDefaultNavigationTimeout(STEP * 2);
  const problems = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console.error: ${msg.text()}`);
  });
  await page.goto(`${merchantUrl}${path}`);
  if (path === '/') {
    // Loading the SDK compiles its wasm: on a machine shared by many test processes it can take a while.
    await page.waitForSelector('#sdk-status[data-state="ready"]', { timeout: STEP * 3 }).catch(async (err) => {
      const status = await page.textContent('#sdk-status').catch(() => '?');
      throw new Error(`the demo page did not load the SDK: "${status}"; ${problems.join('; ') || 'no page errors'}`, { cause: err });
    });
  }
  return { context, page, problems };
}

/** The entries of the demo's event log, oldest first: { type, kind, checkout, payload }. */
export function logEntries(page, checkout) {
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
export async function waitForLog(page, { type, checkout, kind = 'sdk', timeout = STEP, ...fields }) {
  await page.waitForFunction(({ type, checkout, kind, fields }) => [...document.querySelectorAll('#event-log .log-entry')]
    .some((li) => {
      if (li.dataset.type !== type || li.dataset.kind !== kind) return false;
      if (checkout != null && li.dataset.checkout !== String(checkout)) return false;
      const payload = li.dataset.payload ? JSON.parse(li.dataset.payload) : {};
      return Object.entries(fields).every(([k, v]) => payload[k] === v);
    }), { type, checkout, kind, fields }, { timeout });
}

/** The number of the embedded checkout the demo started last. */
export async function currentCheckout(page) {
  return Number(await page.$eval('#event-log .log-entry[data-type="initEmbeddedCheckout"]', (li) => li.dataset.checkout));
}

/**
 * The buyer clicks Buy (`lamp`) or Subscribe (`plan`): the embedded checkout opens. Resolves the
 * number of that checkout once it shows the payment form.
 */
export async function startCheckout(page, item = 'lamp', { outcome } = {}) {
  if (outcome) await page.selectOption('#outcome', outcome);
  await page.click(item === 'plan' ? '#subscribe-button' : '#buy-lamp');
  await page.waitForSelector('#event-log .log-entry[data-type="initEmbeddedCheckout"]', { state: 'attached' });
  const checkout = await currentCheckout(page);
  await checkoutReady(page, checkout);
  return checkout;
}

/** The session the demo's backend created for checkout #n (as the page logged it). */
export async function sessionOf(page, checkout) {
  const entry = (await logEntries(page, checkout)).find((e) => e.type === 'session');
  assert.ok(entry, 'the demo logged the session it created');
  return entry.payload;
}

/** Waits until checkout #n is on screen in the payment state. */
export async function checkoutReady(page, checkout) {
  await waitForLog(page, { type: 'ready', checkout });
  await waitForLog(page, { type: 'state_change', checkout, state: 'payment' });
  await page.waitForSelector('#checkout-box[data-loading="false"]');
}

export const checkoutFrame = (page) => page.frameLocator('#clink-checkout iframe');

/**
 * Types a card into the hosted checkout (`root`: the page itself for redirect checkout, or the
 * embedded frame) and presses Pay.
 */
export async function payWithCard(root, number) {
  await root.locator('input[name="card"]').fill(number);
  await root.locator('#pay-button').click();
}

/** With autoResize, the iframe ends up exactly as tall as the checkout last asked. */
export async function settled(page) {
  if ((await page.locator('#clink-checkout iframe').count()) === 0) return;
  await page.waitForFunction(() => {
    const iframe = document.querySelector('#clink-checkout iframe');
    const last = document.querySelector('#event-log .log-entry[data-type="resize"][data-kind="sdk"]');
    if (!iframe || !last) return true;
    return Math.abs(iframe.getBoundingClientRect().height - JSON.parse(last.dataset.payload).height) < 1;
  }, null, { timeout: STEP });
}

export async function shot(page, name, options = {}) {
  await settled(page);
  // demo-…: the screens folder is shared with the local Clink's own screenshots.
  await page.screenshot({ path: join(ARTIFACTS, `demo-${name}.png`), fullPage: true, ...options });
}

export function assertNoProblems(problems) {
  assert.deepEqual(problems, [], 'no page errors, console errors or CSP violations');
}

/** Polls `check` (async, truthy = done) until it holds; for server-side state the page does not show. */
export async function eventually(check, what, ms = STEP) {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
