// README "redirectToCheckout" (redirectToCheckout): real navigations between two loopback origins.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, mismatches } from '../support/servers.mjs';

const h = await harness();
const T = { timeout: 30000 };

/** Loads clink (checkoutBaseUrl = test checkout origin) as window.__clink. */
async function clinkIn(page) {
  const r = await page.evaluate(async (base) => __t.settle(async () => { window.__clink = await sdk.loadClink('pk_test_redirect', { checkoutBaseUrl: base }); }), h.servers.checkoutOrigin);
  assert.equal(r.ok, true, JSON.stringify(r));
}

/** Starts a redirect without awaiting it (the page goes away). */
function fire(page, params) {
  return page.evaluate((p) => {
    window.__redirect = __t.settle(() => window.__clink.redirectToCheckout(p));
  }, params);
}

test("redirectToCheckout: Clink's Redirect Checkout example navigates to /pay/sess_xxx%23token_xxx on the bootstrap's host", T, () =>
  h.withPage('/doc-redirect.html', { waitFor: 'window.__docReady' }, async ({ page, problems }) => {
    const { servers } = h;
    const mark = servers.requests.length;
    const before = await page.evaluate(() => history.length);
    await page.click('#checkout-button');
    await page.waitForURL(`${servers.checkoutOrigin}/pay/sess_xxx%23token_xxx`, { timeout: 5000 });
    assert.equal(await page.evaluate(() => history.length), before + 1, 'replace: false adds a history entry');
    const hits = servers.requests.slice(mark).filter((r) => r.server === 'checkout' && r.path.startsWith('/pay/'));
    assert.deepEqual(hits.map((r) => r.url), ['/pay/sess_xxx%23token_xxx']);
    assert.deepEqual(problems.pageErrors, []);
  }));

test("redirectToCheckout: Clink's Error Handling example (sessionId only) navigates to /pay/sess_xxx", T, () =>
  h.withPage('/doc-errors.html', { waitFor: null }, async ({ page, problems }) => {
    await page.waitForURL(`${h.servers.checkoutOrigin}/pay/sess_xxx`, { timeout: 8000 });
    assert.deepEqual(problems.consoleErrors, []);
  }));

test('redirectToCheckout: sessionParam wins over sessionId and is URI-encoded', T, () =>
  h.withPage('/sdk.html', async ({ page }) => {
    await clinkIn(page);
    await fire(page, { sessionParam: 'sess_a1#tok_b', sessionId: 'sess_zzz' });
    await page.waitForURL(`${h.servers.checkoutOrigin}/pay/sess_a1%23tok_b`, { timeout: 5000 });
  }));

test('redirectToCheckout: boundary-size and special-character params navigate encoded with encodeURIComponent', T, async () => {
  const cases = [
    { sessionParam: 'sess_' + 'a'.repeat(128) + '#' + 'T'.repeat(4096) },
    { sessionParam: 'sess_Ab-9_z#a/b?c&d=e%f€"\'<>' },
    { sessionId: 'sess_Ab-9_' + 'z'.repeat(118) },
    { sessionId: 'sess_x', replace: true },
  ];
  for (const params of cases) {
    await h.withPage('/sdk.html', async ({ page }) => {
      await clinkIn(page);
      await fire(page, params);
      const want = `${h.servers.checkoutOrigin}/pay/${encodeURIComponent(params.sessionParam ?? params.sessionId)}`;
      await page.waitForURL((u) => u.href === want, { timeout: 5000 }).catch(async (e) => {
        const outcome = await page.evaluate(() => window.__redirect).catch(() => 'page gone');
        throw new Error(`${JSON.stringify(params).slice(0, 80)}: expected ${want.slice(0, 120)}…, at ${page.url().slice(0, 120)}; outcome ${JSON.stringify(outcome)}`);
      });
    });
  }
});

test('redirectToCheckout: replace: true replaces the history entry (back goes to the page before); replace: false adds one', T, async () => {
  const { servers } = h;
  for (const replace of [true, false]) {
    await h.withPage('/blank.html', { waitFor: null }, async ({ page }) => {
      await page.goto(servers.merchantOrigin + '/sdk.html');
      await page.waitForFunction(() => window.sdk, null, { timeout: 8000 });
      await clinkIn(page);
      const before = await page.evaluate(() => history.length);
      await fire(page, { sessionId: 'sess_hist1', replace });
      await page.waitForURL(`${servers.checkoutOrigin}/pay/sess_hist1`, { timeout: 5000 });
      assert.equal(await page.evaluate(() => history.length), replace ? before : before + 1, `history.length with replace: ${replace}`);
      await page.goBack({ timeout: 5000 });
      assert.equal(page.url(), servers.merchantOrigin + (replace ? '/blank.html' : '/sdk.html'), `back with replace: ${replace}`);
    });
  }
});

test('redirectToCheckout: invalid params reject with INVALID_REDIRECT_PARAMS / INVALID_SESSION_ID and nothing navigates', T, () =>
  h.withPage('/sdk.html', async ({ page, problems }) => {
    const { servers } = h;
    await clinkIn(page);
    const mark = servers.requests.length;
    let navigations = 0;
    page.on('framenavigated', (f) => f === page.mainFrame() && navigations++);
    const r = await page.evaluate(async () => {
      const P = 'INVALID_REDIRECT_PARAMS';
      const S = 'INVALID_SESSION_ID';
      const getterThrows = Object.defineProperty({}, 'sessionParam', { get() { throw new Error('boom'); }, enumerable: true });
      const proxyThrows = new Proxy({}, { get() { throw new Error('boom'); }, has() { throw new Error('boom'); } });
      const cases = [
        ['no argument', undefined, P],
        ['null', null, P],
        ['a string', 'sess_abc', P],
        ['a number', 5, P],
        ['{}', {}, P],
        ['{ replace: true }', { replace: true }, P],
        ['sessionParam getter throws', getterThrows, P],
        ['params Proxy throws', proxyThrows, P],
        ["sessionParam ''", { sessionParam: '' }, P],
        ["sessionParam '' with a valid sessionId", { sessionParam: '', sessionId: 'sess_ok' }, P],
        ['sessionParam 5', { sessionParam: 5 }, P],
        ['sessionParam {}', { sessionParam: {} }, P],
        ["sessionParam 'bad' with a valid sessionId", { sessionParam: 'bad', sessionId: 'sess_ok' }, P],
        ["sessionParam 'sess_'", { sessionParam: 'sess_' }, P],
        ["sessionParam 'sess_a#' (empty token)", { sessionParam: 'sess_a#' }, P],
        ['sessionParam token with a space', { sessionParam: 'sess_a#tok en' }, P],
        ['sessionParam token with a tab', { sessionParam: 'sess_a#tok\ten' }, P],
        ['sessionParam token with a newline', { sessionParam: 'sess_a#tok\n' }, P],
        ['sessionParam token with NUL', { sessionParam: 'sess_a#tok\u0000' }, P],
        ['sessionParam token with DEL', { sessionParam: 'sess_a#tok\u007f' }, P],
        ['sessionParam token of 4097 chars', { sessionParam: 'sess_a#' + 'x'.repeat(4097) }, P],
        ['sessionParam id of 129 chars', { sessionParam: 'sess_' + 'a'.repeat(129) + '#tok' }, P],
        ["sessionParam id with '.'", { sessionParam: 'sess_a.b#tok' }, P],
        ['sessionParam without sess_ prefix', { sessionParam: 'cs_abc#tok' }, P],
        ["sessionId 'bad'", { sessionId: 'bad' }, S],
        ['sessionId 5', { sessionId: 5 }, S],
        ["sessionId ''", { sessionId: '' }, S],
        ["sessionId 'sess_'", { sessionId: 'sess_' }, S],
        ["sessionId with a '#token' (that is a sessionParam)", { sessionId: 'sess_a#tok' }, S],
        ['sessionId of 129 chars', { sessionId: 'sess_' + 'a'.repeat(129) }, S],
        ["sessionId 'SESS_abc'", { sessionId: 'SESS_abc' }, S],
        ["sessionId 'sess_abc ' (trailing space)", { sessionId: 'sess_abc ' }, S],
        ['sessionId {}', { sessionId: {} }, S],
      ];
      const out = [];
      for (const [label, params, expect] of cases) {
        const result = await __t.settle(() => (params === undefined ? window.__clink.redirectToCheckout() : window.__clink.redirectToCheckout(params)));
        out.push({ label, result, expect });
      }
      return { out, href: location.href };
    });
    assert.deepEqual(mismatches(r.out), []);
    await page.waitForTimeout(300);
    assert.equal(r.href, servers.merchantOrigin + '/sdk.html');
    assert.equal(page.url(), servers.merchantOrigin + '/sdk.html', 'still on the merchant page');
    assert.equal(navigations, 0, 'no navigation started');
    assert.deepEqual(servers.requests.slice(mark).filter((x) => x.path.startsWith('/pay/')), []);
    assert.deepEqual(problems.pageErrors, []);
    // The SDK still works afterwards.
    await fire(page, { sessionId: 'sess_after_failures' });
    await page.waitForURL(`${servers.checkoutOrigin}/pay/sess_after_failures`, { timeout: 5000 });
  }));
