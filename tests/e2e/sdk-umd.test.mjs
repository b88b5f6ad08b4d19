// README "Install": the UMD bundle, loaded by a plain <script> tag, defines window.Clink.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness } from '../support/servers.mjs';

const h = await harness();
const T = { timeout: 30000 };

test('UMD: <script src=dist/index.umd.js> defines window.Clink (loadClink, ClinkError, CLINK_ERROR_CODES) for classic scripts', T, () => {
  const mark = h.servers.requests.length;
  return h.withPage(`/umd.html?checkout=${encodeURIComponent(h.servers.checkoutOrigin)}`, { waitFor: null }, async ({ page, problems }) => {
    const { servers } = h;
    await page.waitForFunction(() => window.__umd && window.__umd.done, null, { timeout: 8000 }).catch(() => {
      throw new Error(`UMD page did not finish: ${problems.pageErrors.join(' | ')}`);
    });
    const r = await page.evaluate(() => ({
      umd: window.__umd,
      loadClink: typeof Clink.loadClink,
      ClinkError: typeof Clink.ClinkError,
      codesFrozen: Object.isFrozen(Clink.CLINK_ERROR_CODES),
      codes: Object.keys(Clink.CLINK_ERROR_CODES || {}).length,
      protoChain: Clink.ClinkError && Clink.ClinkError.prototype instanceof Error,
    }));
    assert.ok(['object', 'function'].includes(r.umd.globalType), `window.Clink is ${r.umd.globalType}`);
    assert.equal(r.loadClink, 'function');
    assert.equal(r.ClinkError, 'function');
    assert.equal(r.protoChain, true);
    assert.equal(r.codesFrozen, true);
    assert.equal(r.codes, 16);
    assert.deepEqual(r.umd.loaded, { checkoutBaseUrl: servers.checkoutOrigin, redirect: 'function', embedded: 'function' });
    assert.deepEqual(r.umd.badKey, { code: 'INVALID_PUBLIC_KEY', isClinkError: true, isError: true, name: 'ClinkError' });
    const pkgRequests = servers.requests.slice(mark).filter((x) => x.server === 'merchant' && x.path.startsWith('/pkg/')).map((x) => x.path);
    assert.deepEqual(pkgRequests, ['/pkg/dist/index.umd.js'], 'one self-contained file: no separate .wasm fetch');
    assert.deepEqual(problems.pageErrors, []);
  });
});

test('UMD: embedded checkout and redirect work from the global build', T, () =>
  h.withPage('/blank.html', { waitFor: null }, async ({ page, problems }) => {
    const { servers } = h;
    await page.goto(`${servers.merchantOrigin}/umd.html?checkout=${encodeURIComponent(servers.checkoutOrigin)}`);
    await page.waitForFunction(() => window.__umd && window.__umd.done, null, { timeout: 8000 });
    const r = await page.evaluate(async (base) => {
      const clink = await Clink.loadClink('pk_test_umd2', { checkoutBaseUrl: base });
      const events = [];
      const e = await clink.initEmbeddedCheckout({
        fetchSession: async () => ({ sessionId: 'sess_umd1', checkoutUrl: base + '/pay/sess_umd1' }),
        onEvent: (ev) => events.push(ev.type),
      });
      e.mount('#clink-checkout');
      const iframe = document.querySelector('#clink-checkout iframe');
      window.__umdEvents = events;
      return { src: iframe && iframe.getAttribute('src'), state: e.getState() };
    }, servers.checkoutOrigin);
    assert.equal(r.src, `${servers.checkoutOrigin}/pay/sess_umd1`);
    assert.equal(r.state.mounted, true);
    await page.waitForFunction(() => window.__umdEvents.includes('ready'), null, { timeout: 5000 });
    await page.evaluate(async (base) => {
      const clink = await Clink.loadClink('pk_test_umd2', { checkoutBaseUrl: base });
      clink.redirectToCheckout({ sessionId: 'sess_umd_redirect' });
    }, servers.checkoutOrigin);
    await page.waitForURL(`${servers.checkoutOrigin}/pay/sess_umd_redirect`, { timeout: 5000 });
    assert.deepEqual(problems.pageErrors, []);
  }));
