// Content-Security-Policy: a page served with a strict policy (no 'unsafe-eval', no
// 'unsafe-inline') imports pkg/index.js unbundled, runs loadClink through bootstrap on a second
// origin (CORS) and mounts embedded checkout from it, with no `securitypolicyviolation` event and
// no console error. Without 'wasm-unsafe-eval', loadClink rejects with ClinkError NOT_IN_BROWSER.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launchBrowser } from '../support/browser.mjs';
import { docBlock } from '../support/doc-blocks.mjs';
import { CHECKOUT_PAGE, HERE, PKG_DIR, assertPkgBuilt, newPage, startCheckoutOrigin, startServer, waitFor } from './support.mjs';

const ctx = { policies: {} };

/** The policy docs/csp.md shows, read from the Markdown. */
export const README_POLICY = docBlock('docs/csp.md', 'csp-policy').code.trim();

before(async () => {
  assertPkgBuilt();
  ctx.checkout = await startCheckoutOrigin();
  const C = ctx.checkout.origin;
  ctx.policies = {
    strict: `script-src 'self' 'wasm-unsafe-eval'; frame-src ${C}; connect-src ${C}; default-src 'self'`,
    // The slim entry fetches clink_bg.wasm from the page's own origin: connect-src needs 'self'.
    slim: `script-src 'self' 'wasm-unsafe-eval'; frame-src ${C}; connect-src 'self' ${C}; default-src 'self'`,
    readme: README_POLICY,
    nowasm: `script-src 'self'; frame-src ${C}; connect-src ${C}; default-src 'self'`,
  };
  ctx.merchant = await startServer({
    mounts: { '/pkg': PKG_DIR, '/': join(HERE, 'pages') },
    headers: (url) => {
      const p = ctx.policies[url.searchParams.get('policy')];
      return p ? { 'content-security-policy': p } : {};
    },
  });
  ctx.browser = await launchBrowser();
}, { timeout: 60000 });

after(async () => {
  await Promise.allSettled([ctx.browser && ctx.browser.close(), ctx.checkout && ctx.checkout.close(), ctx.merchant && ctx.merchant.close()]);
});

/** Clink's real hosts, answered inside the browser (nothing leaves the machine). */
async function routeClinkHosts(context) {
  const seen = [];
  await context.route(/^https:\/\/([a-z0-9-]+\.)*clinkbill\.com(\/|$)/, async (route) => {
    const u = new URL(route.request().url());
    seen.push(`${u.host}${u.pathname}`);
    if (u.host === 'uat-api.clinkbill.com' && u.pathname === '/api/sdk/bootstrap') {
      return route.fulfill({
        status: 200,
        headers: { 'content-type': 'application/json', 'access-control-allow-origin': '*' },
        body: JSON.stringify({ code: 200, msg: 'success', data: { checkoutBaseUrl: 'https://uat-checkout.clinkbill.com', embeddedCheckoutEnabled: true } }),
      });
    }
    if (u.host === 'uat-checkout.clinkbill.com' && u.pathname.startsWith('/pay/')) {
      return route.fulfill({ status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: CHECKOUT_PAGE });
    }
    return route.abort();
  });
  return seen;
}

async function openCsp(query, { route = false, page: path = '/csp.html' } = {}) {
  const { context, page, problems } = await newPage(ctx.browser);
  const routed = route ? await routeClinkHosts(context) : null;
  const from = ctx.merchant.requests.length;
  const fromC = ctx.checkout.requests.length;
  await page.goto(`${ctx.merchant.origin}${path}?${new URLSearchParams(query)}`);
  await waitFor(page, problems, 'window.__csp && window.__csp.done', 15000, `csp page (${query.policy}) finished`);
  const merchantPaths = () => ctx.merchant.requests.slice(from).map((r) => r.path);
  const checkoutPaths = () => ctx.checkout.requests.slice(fromC).map((r) => r.path);
  return { context, page, problems, routed, merchantPaths, checkoutPaths };
}

async function assertEmbeddedClean(o, expectedBase) {
  const { page, problems } = o;
  const log = await page.evaluate(() => window.__csp);
  assert.equal(log.error, undefined, `the flow failed under CSP: ${JSON.stringify(log.error)}\n${problems.console.join('\n')}`);
  assert.equal(log.checkoutBaseUrl, expectedBase);
  assert.equal(log.mounted, true);
  const iframe = page.locator('#clink-checkout iframe');
  assert.equal(await iframe.getAttribute('src'), `${expectedBase}/pay/sess_csp`);
  await waitFor(page, problems, "window.__csp.events.includes('ready') && window.__csp.events.includes('resize')", 10000, 'ready + resize from the frame');
  // autoResize sets the height through the CSSOM: allowed without 'unsafe-inline' styles.
  assert.equal(await iframe.evaluate((f) => f.style.height), '480px');
  await page.waitForTimeout(200); // late reports (violations are dispatched asynchronously)
  const after = await page.evaluate(() => window.__csp);
  assert.deepEqual(after.violations, [], 'no securitypolicyviolation event');
  assert.deepEqual(problems.consoleErrors, [], 'no console error');
  assert.deepEqual(problems.pageErrors, [], 'no page error');
}

test("csp: script-src 'self' 'wasm-unsafe-eval' + frame-src/connect-src of the checkout origin: bootstrap and embedded checkout, no violation", { timeout: 60000 }, async () => {
  const C = ctx.checkout.origin;
  const o = await openCsp({ policy: 'strict', boot: C });
  try {
    const res = await fetch(`${ctx.merchant.origin}/csp.html?policy=strict`);
    assert.equal(res.headers.get('content-security-policy'), ctx.policies.strict, 'the page is served with the policy');
    await res.arrayBuffer();
    await assertEmbeddedClean(o, C);
    const boot = ctx.checkout.requests.filter((r) => r.path === '/api/sdk/bootstrap' && r.query.publishableKey === 'pk_uat_csp_test');
    assert.equal(boot.length, 1, 'one bootstrap request reached the bootstrap origin');
    assert.equal(boot[0].query.origin, ctx.merchant.origin);
    assert.ok(!o.merchantPaths().some((p) => p.endsWith('.wasm')), 'the default entry fetches no .wasm');
  } finally {
    await o.context.close().catch(() => {});
  }
});

test('csp: the README policy (Clink hosts) works for the documented sandbox flow', { timeout: 60000 }, async () => {
  const o = await openCsp({ policy: 'readme' }, { route: true });
  try {
    await assertEmbeddedClean(o, 'https://uat-checkout.clinkbill.com');
    assert.deepEqual(o.routed, ['uat-api.clinkbill.com/api/sdk/bootstrap', 'uat-checkout.clinkbill.com/pay/sess_csp']);
  } finally {
    await o.context.close().catch(() => {});
  }
});

test('csp: the script-tag file (dist/index.umd.js) works under the same strict policy', { timeout: 60000 }, async () => {
  const C = ctx.checkout.origin;
  const o = await openCsp({ policy: 'strict', boot: C, entry: 'umd' }, { page: '/csp-umd.html' });
  try {
    await assertEmbeddedClean(o, C);
    assert.ok(o.merchantPaths().includes('/pkg/dist/index.umd.js'));
    assert.ok(!o.merchantPaths().some((p) => p.endsWith('.wasm')), 'the UMD file fetches no .wasm');
  } finally {
    await o.context.close().catch(() => {});
  }
});

test("csp: the slim entry (wasm by URL) works when connect-src also allows 'self'", { timeout: 60000 }, async () => {
  const C = ctx.checkout.origin;
  const o = await openCsp({ policy: 'slim', boot: C, entry: 'slim' });
  try {
    await assertEmbeddedClean(o, C);
    assert.ok(o.merchantPaths().includes('/pkg/clink_bg.wasm'), 'the slim entry fetched clink_bg.wasm');
  } finally {
    await o.context.close().catch(() => {});
  }
});

test("csp: without 'wasm-unsafe-eval', loadClink rejects with ClinkError NOT_IN_BROWSER", { timeout: 60000 }, async () => {
  const o = await openCsp({ policy: 'nowasm', boot: ctx.checkout.origin });
  try {
    const log = await o.page.evaluate(() => window.__csp);
    assert.deepEqual(
      log.error && { name: log.error.name, code: log.error.code, isClinkError: log.error.isClinkError },
      { name: 'ClinkError', code: 'NOT_IN_BROWSER', isClinkError: true },
      `got ${JSON.stringify(log.error)}`,
    );
    assert.match(log.error.message, /wasm-unsafe-eval/, 'the message names the missing CSP source');
    assert.equal(log.mounted, undefined);
    assert.ok(!o.checkoutPaths().includes('/api/sdk/bootstrap'), 'no bootstrap request');
    assert.deepEqual(o.problems.pageErrors, [], 'no uncaught error');
    console.log(`without 'wasm-unsafe-eval': ${log.error.message}; violations: ${JSON.stringify(log.violations)}`);
  } finally {
    await o.context.close().catch(() => {});
  }
});
