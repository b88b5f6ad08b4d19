// docs/embedded-checkout.md, "A Content-Security-Policy that blocks the frame": a frame the page's
// own policy refuses → an `error` event FRAME_BLOCKED at once, naming the directive and the source
// to add; nothing on a page that allows the checkout, for other origins or directives, or under a
// report-only policy; the listener is the mount's; the docs' fallback recipe reaches the hosted
// page. Real policies (a <meta> on tests/support/pages/csp.html, or a header) in Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, createEmbedded, mountIn, eventsOf, waitEvent, checkoutFrame, sentinel } from '../support/servers.mjs';
import { docBlock } from '../support/doc-blocks.mjs';
import { startShop, recipePage } from './fight-shop.mjs';

const h = await harness();
const T = { timeout: 30000 };
const DOC = 'docs/embedded-checkout.md';

const cspPage = (policy) => `/csp.html?csp=${encodeURIComponent(policy)}`;

/** Creates `tag` on the checkout origin and mounts it in `sel` (no wait for ready). */
async function mount(page, tag, sel = '#clink-checkout', opts = {}) {
  const co = h.servers.checkoutOrigin;
  await createEmbedded(page, tag, { base: co, checkoutUrl: `${co}/pay/sess_${tag}%23tok?x=1`, sessionId: `sess_${tag}`, ...opts });
  const m = await mountIn(page, tag, sel);
  assert.equal(m.threw, false, `mount: ${JSON.stringify(m)}`);
}

/** Marks every iframe that fires `load` (a capturing listener, added before the mount). */
const watchFrameLoads = (page) =>
  page.evaluate(() => document.addEventListener('load', (e) => { if (e.target.tagName === 'IFRAME') e.target.__loaded = true; }, true));

/** Waits until the iframe in `sel` fired `load`. */
const frameLoaded = (page, sel) => page.waitForFunction((sel) => document.querySelector(`${sel} iframe`)?.__loaded === true, sel, { polling: 20 });

for (const [label, policy] of [
  ["frame-src 'self'", "frame-src 'self'"],
  ['child-src only', "child-src 'none'"],
  ['default-src only', "default-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'"],
]) {
  test(`FRAME_BLOCKED: a policy with ${label} refuses the frame → one error event at once, naming the directive and the source to add; no ready`, T, () =>
    h.withPage(cspPage(policy), async ({ page, problems }) => {
      const co = h.servers.checkoutOrigin;
      await watchFrameLoads(page);
      await mount(page, 'a');
      await waitEvent(page, 'a', 'error');
      // The frame's load (the browser's error page) happens too, and is no `ready`.
      const violations = await page.evaluate(() => __violations);
      assert.ok(violations.some((v) => v.blockedURI.startsWith(co)), `the browser reported the refusal: ${JSON.stringify(violations)}`);
      const errors = await eventsOf(page, 'a', 'error');
      assert.equal(errors.length, 1, JSON.stringify(errors));
      const { code, message } = errors[0].payload;
      assert.equal(code, 'FRAME_BLOCKED');
      const directive = violations.find((v) => v.blockedURI.startsWith(co)).effectiveDirective;
      assert.ok(message.includes(`(${directive})`), `names the directive ${directive}: ${message}`);
      assert.ok(message.includes(`add frame-src ${co},`), `names the exact source to add: ${message}`);
      assert.ok(message.includes('redirectToCheckout'), message);
      // The docs show the event as the SDK emits it (with Clink's production origin).
      const documented = docBlock(DOC, 'frame-blocked-event').code;
      const expected = message.replace(co, 'https://checkout.clinkbill.com').replace(`(${directive})`, '(frame-src)');
      assert.ok(documented.includes(JSON.stringify(expected).slice(1, -1)), `docs show the message: ${documented}`);
      await frameLoaded(page, '#clink-checkout');
      const after = await eventsOf(page, 'a');
      assert.deepEqual(after.map((e) => e.type), ['error'], 'no ready for a refused frame, and nothing else');
      assert.deepEqual(problems.pageErrors, []);
    }));
}

test('FRAME_BLOCKED: nothing on a page whose policy allows the checkout, nor for a frame of another origin it refuses', T, () =>
  h.withPage('/blank.html', { waitFor: false }, async ({ page }) => {
    const { checkoutOrigin: co, thirdOrigin } = h.servers;
    await page.goto(h.servers.merchantOrigin + cspPage(`frame-src ${co}`));
    await page.waitForFunction(() => window.sdk);
    await mount(page, 'a');
    await waitEvent(page, 'a', 'ready');
    // The page refuses a frame of another origin: a violation, but not about the checkout.
    await page.evaluate((src) => {
      const f = document.createElement('iframe');
      f.src = src + '/blank.html';
      document.body.appendChild(f);
    }, thirdOrigin);
    await page.waitForFunction((o) => __violations.some((v) => v.blockedURI.startsWith(o)), thirdOrigin);
    // A sentinel from the checkout frame: everything the page did before it has been handled.
    const frame = await checkoutFrame(page, '#clink-checkout');
    await sentinel(page, frame, 'a', 432);
    assert.deepEqual((await eventsOf(page, 'a')).map((e) => e.type), ['ready', 'resize']);
    assert.equal((await page.evaluate(() => __violations)).filter((v) => v.blockedURI.startsWith(co)).length, 0);
  }));

test('FRAME_BLOCKED: a report-only policy refuses nothing, so nothing fires (header Content-Security-Policy-Report-Only)', T, () =>
  h.withPage('/blank.html', { waitFor: false }, async ({ page }) => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { PAGES_DIR } = await import('../support/servers.mjs');
    const shop = await startShop(h.servers.merchantOrigin, {
      '/report-only.html': { body: readFileSync(join(PAGES_DIR, 'csp.html'), 'utf8'), headers: { 'content-security-policy-report-only': "frame-src 'none'" } },
    });
    try {
      await page.goto(shop.origin + '/report-only.html');
      await page.waitForFunction(() => window.sdk);
      await mount(page, 'a');
      await waitEvent(page, 'a', 'ready');
      await page.waitForFunction((co) => __violations.some((v) => v.blockedURI.startsWith(co) && v.disposition === 'report'), h.servers.checkoutOrigin);
      const frame = await checkoutFrame(page, '#clink-checkout');
      await sentinel(page, frame, 'a', 433);
      assert.deepEqual((await eventsOf(page, 'a')).map((e) => e.type), ['ready', 'resize']);
    } finally {
      await shop.close();
    }
  }));

test('FRAME_BLOCKED: the check, fed violations the page could see: only an enforced frame-src/child-src/default-src refusal of the checkout origin counts; once per mount; the listener ends with unmount and destroy', T, () =>
  h.withPage('/sdk.html', async ({ page }) => {
    const co = h.servers.checkoutOrigin;
    const port = new URL(co).port;
    await mount(page, 'a');
    await waitEvent(page, 'a', 'ready');
    const fire = (init) =>
      page.evaluate((init) => {
        document.dispatchEvent(new SecurityPolicyViolationEvent('securitypolicyviolation', { originalPolicy: '', statusCode: 0, disposition: 'enforce', violatedDirective: init.effectiveDirective, ...init }));
        return __events.filter((e) => e.tag === 'a' && e.type === 'error').length;
      }, init);
    const ignored = [
      { blockedURI: 'http://127.0.0.1:1', effectiveDirective: 'frame-src' },
      { blockedURI: `${co}0`, effectiveDirective: 'frame-src' }, // another port that starts alike
      { blockedURI: `http://127.0.0.1.evil.example:${port}`, effectiveDirective: 'frame-src' },
      { blockedURI: co, effectiveDirective: 'img-src' },
      { blockedURI: co, effectiveDirective: 'script-src-elem' },
      { blockedURI: co, effectiveDirective: 'frame-ancestors' },
      { blockedURI: co, effectiveDirective: 'frame-src', disposition: 'report' },
      { blockedURI: 'inline', effectiveDirective: 'frame-src' },
      { blockedURI: '', effectiveDirective: 'frame-src' },
    ];
    for (const v of ignored) assert.equal(await fire(v), 0, `ignored: ${JSON.stringify(v)}`);
    // The origin alone (cross-origin, as engines report it) or the whole URL; once per mount.
    assert.equal(await fire({ blockedURI: `${co}/pay/sess_a%23tok?x=1`, effectiveDirective: 'child-src' }), 1);
    assert.equal(await fire({ blockedURI: co, effectiveDirective: 'frame-src' }), 1, 'once per mount');
    // A new mount may be refused again; after unmount and destroy, nothing listens.
    await page.evaluate(() => { __inst.a.unmount(); __inst.a.mount('#clink-checkout'); });
    assert.equal(await fire({ blockedURI: co, effectiveDirective: 'default-src' }), 2, 'a new mount');
    const last = (await eventsOf(page, 'a', 'error')).at(-1).payload;
    assert.ok(last.message.includes('(default-src)') && last.message.includes(`frame-src ${co},`), last.message);
    await page.evaluate(() => __inst.a.unmount());
    assert.equal(await fire({ blockedURI: co, effectiveDirective: 'frame-src' }), 2, 'unmounted: no listener');
    await page.evaluate(() => { __inst.a.mount('#clink-checkout'); __inst.a.destroy(); });
    assert.equal(await fire({ blockedURI: co, effectiveDirective: 'frame-src' }), 2, 'destroyed: no listener');
  }));

test("FRAME_BLOCKED: the docs' fallback recipe (csp-fallback), run as written under a refusing policy header, takes the buyer to the hosted page of the same session", T, () =>
  h.withPage('/blank.html', { waitFor: false }, async ({ page, problems }) => {
    const { merchantOrigin, checkoutOrigin: co } = h.servers;
    const { code } = docBlock(DOC, 'csp-fallback');
    const shop = await startShop(merchantOrigin, {
      '/checkout': { body: recipePage('csp-fallback', '<div id="clink-checkout"></div>', code), headers: { 'content-security-policy': "frame-src 'self'" } },
    });
    try {
      await page.goto(shop.origin + '/checkout');
      await page.waitForURL(`${co}/pay/sess_xxx`, { timeout: 10000 });
      await problems.settled();
      assert.ok(problems.console.some((c) => c.type === 'warning' && c.text.includes(`add frame-src ${co},`)), 'the recipe logs what the policy lacks');
      assert.deepEqual(problems.pageErrors, []);
    } finally {
      await shop.close();
    }
  }));
