// Hardening campaign 4 (issue 7): hostile bootstrap answers (README "loadClink"). A real server on a
// second origin answers, reached through a fetchImpl that rewrites the sandbox API host
// https://uat-api.clinkbill.com to http://<checkout>/bs/<mode> (a fresh fetchImpl per call, so
// no request is shared), or through Playwright routing of the real host. After every hostile
// answer the SDK must still work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useHardeningFixture, openHardeningPage, bounded } from '../hardening/servers.mjs';

// The two origins and Chromium, started once for this file.
const fx = useHardeningFixture();

const IBR = 'INVALID_BOOTSTRAP_RESPONSE';
const BRF = 'BOOTSTRAP_REQUEST_FAILED';

/** In the page: loadClink through a fresh rewriting fetchImpl for `mode`; bounded. */
function loadVia(page, mode, ms = 6000) {
  return page.evaluate(async ([mode, ms]) => {
    const fetchImpl = (url, init) => fetch(String(url).replace('https://uat-api.clinkbill.com', `${H.CHECKOUT}/bs/${mode}`), init);
    const t0 = performance.now();
    const r = await H.outcome(() => sdk.loadClink('pk_test_boot', { checkoutEnvironment: 'sandbox', fetchImpl }), ms);
    const out = { elapsed: performance.now() - t0, ok: !!r.ok, timeout: !!r.timeout };
    if (r.ok) out.base = r.value.checkoutBaseUrl;
    else if (!r.timeout) {
      out.error = H.describe(r.error);
      out.good = H.isGoodClinkError(out.error);
    }
    return out;
  }, [mode, ms]);
}

const show = (r) => (r.timeout ? 'HANG' : r.ok ? `ok (${r.base})` : `${r.good ? 'ClinkError' : 'NOT a ClinkError'} ${r.error.code}: ${r.error.message.slice(0, 160)}`);

/** Returns a deviation string or null. */
function judge(label, r, expect, message = null) {
  if (r.timeout) return `${label}: expected ${expect.join('|')}, got a hang`;
  if (r.ok) return expect.includes('ok') ? null : `${label}: expected ${expect.join('|')}, got ${show(r)}`;
  if (!r.good || !expect.includes(r.error.code)) return `${label}: expected ${expect.join('|')}, got ${show(r)}`;
  if (message && !message.test(r.error.message)) return `${label}: the message should match ${message}: ${r.error.message}`;
  return null;
}

const CASES = [
  ['huge-garbage', [IBR], '10 MB of non-JSON'],
  ['huge-json', [IBR], '10 MB well-formed envelope (content-length)'],
  ['huge-chunked', [IBR], '10 MB well-formed envelope, chunked'],
  ['ok-in-pieces', ['ok'], 'a well-formed answer in three chunks (joined, then parsed)'],
  ['http-nonloopback', [IBR], 'checkoutBaseUrl http://example.com'],
  ['http-127-0-0-2', [IBR], 'checkoutBaseUrl http://127.0.0.2:8080'],
  ['http-localhost-lookalike', [IBR], 'checkoutBaseUrl http://localhost.example.com'],
  ['http-ipv6-other', [IBR], 'checkoutBaseUrl http://[::2]:8080'],
  ['javascript', [IBR], 'checkoutBaseUrl javascript:alert(1)'],
  ['data-url', [IBR], 'checkoutBaseUrl data:text/html,…'],
  ['protocol-relative', [IBR], 'checkoutBaseUrl //evil.example'],
  ['relative', [IBR], 'checkoutBaseUrl /checkout'],
  ['empty-url', [IBR], 'checkoutBaseUrl ""'],
  ['https-no-host', [IBR], 'checkoutBaseUrl https://'],
  ['credentials', [IBR], 'checkoutBaseUrl https://user:pass@evil.example (README: no credentials)'],
  ['base-number', [IBR], 'checkoutBaseUrl 5'],
  ['base-null', [IBR], 'checkoutBaseUrl null'],
  ['base-bool', [IBR], 'checkoutBaseUrl true'],
  ['base-object', [IBR], 'checkoutBaseUrl {href}'],
  ['base-array', [IBR], 'checkoutBaseUrl [url]'],
  ['base-missing', [IBR], 'no checkoutBaseUrl'],
  ['enabled-string', [IBR], 'embeddedCheckoutEnabled "true"'],
  ['enabled-number', [IBR], 'embeddedCheckoutEnabled 1'],
  ['enabled-object', [IBR], 'embeddedCheckoutEnabled {}'],
  ['enabled-null', ['ok', IBR], 'embeddedCheckoutEnabled null', true],
  ['data-null', [IBR], 'data null'],
  ['data-number', [IBR], 'data 5'],
  ['data-string', [IBR], 'data "<url>"'],
  ['data-array', [IBR], 'data [url]'],
  ['body-null', [IBR], 'body null'],
  ['body-array', [IBR], 'body []'],
  ['body-number', [IBR], 'body 5'],
  ['body-string', [IBR], 'body "x"'],
  ['body-empty', [IBR], 'empty body'],
  ['body-truncated', [IBR], 'truncated JSON'],
  ['body-html', [IBR], 'HTML body'],
  ['body-proto', [IBR], 'body {"__proto__":{"checkoutBaseUrl":evil}}'],
  ['data-proto', [IBR], 'data {"__proto__":{"checkoutBaseUrl":evil}}'],
  ['data-constructor', [IBR], 'data {"constructor":{"prototype":{"checkoutBaseUrl":evil}}}'],
  ['code-string', [IBR, BRF], 'envelope code "200" (a string)', true],
  ['code-500', [BRF], 'envelope code 500', false, /boom-envelope/],
  ['http-500', [BRF], 'HTTP 500', false, /500/],
  ['http-404', [BRF], 'HTTP 404', false, /404/],
  ['http-204', [IBR], 'HTTP 204, empty body'],
  ['no-cors', [BRF], 'no Access-Control-Allow-Origin (CORS failure)'],
  ['redirect-302-evil', [BRF], '302 to another origin (answers checkoutBaseUrl = evil origin)'],
  ['redirect-307-evil', [BRF], '307 to another origin'],
  ['redirect-302-evil-back', ['ok', BRF], '302 to another origin and 302 back to the first', true],
];

test('hostile bootstrap answers give the documented ClinkError; the SDK keeps working after each', { timeout: 120000 }, async (t) => {
  const { context, page, problems } = await openHardeningPage(fx.browser, fx.servers);
  try {
    const builtins = await page.evaluate(() => H.builtins());
    const failures = [];
    const notes = [];
    for (const mode of ['ok', 'bare']) {
      const r = await bounded(loadVia(page, mode), 10000, mode);
      assert.equal(r.ok && r.base, fx.servers.checkout, `${mode}: ${show(r)}`);
    }
    for (const [mode, expect, label, silent, message] of CASES) {
      const r = await bounded(loadVia(page, mode), 10000, mode);
      const f = judge(`${label} [${mode}]`, r, expect, message);
      if (f) failures.push(f);
      if (r.ok && r.base !== fx.servers.checkout) failures.push(`${label} [${mode}]: resolved with checkoutBaseUrl ${r.base}`);
      if (silent) notes.push(`${label}: ${show(r)}`);
      // The SDK still works after each hostile answer.
      const again = await bounded(loadVia(page, 'ok'), 10000, `ok after ${mode}`);
      if (!(again.ok && again.base === fx.servers.checkout)) failures.push(`after ${mode}: the next loadClink gave ${show(again)}`);
    }
    // A redirect of the real API host (global fetch, no fetchImpl), via Playwright routing.
    await page.route('https://uat-api.clinkbill.com/**', (route) =>
      route.fulfill({ status: 302, headers: { location: `${fx.servers.evil}/bs/ok-evil/api/sdk/bootstrap`, 'access-control-allow-origin': '*' }, body: '' }).catch(() => {}));
    const routed = await bounded(page.evaluate(async () => {
      const r = await H.outcome(() => sdk.loadClink('pk_test_routed302', { checkoutEnvironment: 'sandbox' }), 6000);
      return r.timeout ? { timeout: true } : r.ok ? { ok: true, base: r.value.checkoutBaseUrl } : { error: H.describe(r.error), good: H.isGoodClinkError(H.describe(r.error)) };
    }), 10000, 'routed 302');
    await page.unroute('https://uat-api.clinkbill.com/**');
    const fr = judge('https://uat-api.clinkbill.com answering 302 to another origin (global fetch)', routed, [BRF]);
    if (fr) failures.push(fr);

    // Still works end to end: bootstrap + embedded + mount.
    const end = await bounded(page.evaluate(async () => {
      const fetchImpl = (url, init) => fetch(String(url).replace('https://uat-api.clinkbill.com', `${H.CHECKOUT}/bs/ok`), init);
      const clink = await sdk.loadClink('pk_test_end', { fetchImpl });
      const events = [];
      const inst = await clink.initEmbeddedCheckout({ fetchSession: async () => ({ sessionId: 'sess_end', checkoutUrl: `${H.CHECKOUT}/pay/sess_end` }), onEvent: (e) => events.push(e.type) });
      inst.mount('#c');
      const t0 = Date.now();
      while (!events.includes('ready') && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 20));
      const out = { base: clink.checkoutBaseUrl, iframes: document.querySelectorAll('#c iframe').length, events };
      inst.destroy();
      return out;
    }), 10000, 'end to end');
    assert.deepEqual(end, { base: fx.servers.checkout, iframes: 1, events: ['ready'] });

    for (const n of notes) t.diagnostic(`README silent: ${n}`);
    for (const f of failures) t.diagnostic(`DEVIATION ${f}`);
    assert.deepEqual(failures, []);
    assert.equal((await page.evaluate(() => H.builtins())).objectProto, builtins.objectProto);
    assert.deepEqual(problems.pageErrors, []);
  } finally {
    await context.close().catch(() => {});
  }
});

// The real 10 s is waited out once in the suite (tests/e2e/sdk-load.test.mjs); here Playwright
// drives the page's clock, so the deadline is checked to the millisecond without waiting for it.
test('a bootstrap answer that never ends fails with BOOTSTRAP_REQUEST_FAILED when the 10 s deadline fires (page clock: pending at 9,999 ms, failed at 10,000 ms); the next loadClink works', { timeout: 30000 }, async () => {
  const { context, page, problems } = await openHardeningPage(fx.browser, fx.servers, {
    beforeGoto: (context) => context.clock.install({ time: new Date('2026-01-01T00:00:00Z') }),
  });
  try {
    // From here the page's time moves only when the test moves it.
    await page.clock.pauseAt(new Date('2026-01-01T00:01:00Z'));
    await page.evaluate(() => {
      window.__hang = { headers: false, settled: null };
      const fetchImpl = (url, init) =>
        fetch(String(url).replace('https://uat-api.clinkbill.com', `${H.CHECKOUT}/bs/hang`), init).then((r) => ((window.__hang.headers = true), r));
      sdk.loadClink('pk_test_boot', { checkoutEnvironment: 'sandbox', fetchImpl }).then(
        (c) => (window.__hang.settled = { ok: true, base: c.checkoutBaseUrl }),
        (e) => {
          const error = H.describe(e);
          window.__hang.settled = { ok: false, error, good: H.isGoodClinkError(error) };
        },
      );
    });
    // The answer's headers and first bytes arrived; the rest never comes.
    await bounded(page.waitForFunction(() => window.__hang.headers, null, { polling: 20 }), 10000, 'hang: headers');
    await page.clock.runFor(9_999);
    assert.equal(await page.evaluate(() => window.__hang.settled), null, 'still pending 1 ms before the deadline');
    await page.clock.runFor(1);
    await bounded(page.waitForFunction(() => window.__hang.settled, null, { polling: 20 }), 10000, 'hang: settled');
    const r = await page.evaluate(() => window.__hang.settled);
    assert.equal(judge('never-ending body', r, [BRF]), null, show(r));
    const again = await bounded(loadVia(page, 'ok'), 10000, 'ok after hang');
    assert.equal(again.ok && again.base, fx.servers.checkout, show(again));
    assert.deepEqual(problems.pageErrors, []);
  } finally {
    await context.close().catch(() => {});
  }
});
