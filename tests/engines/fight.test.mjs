// docs/embedded-checkout.md in every engine buyers use (Chromium, Firefox, WebKitGTK over W3C
// WebDriver): a frame the page's Content-Security-Policy refuses → FRAME_BLOCKED at once, nothing
// under a policy that allows the checkout; a back/forward-cache restore while pending polls at
// once and announces the outcome once. The restore is real in every engine (the test proves it: a
// `pageshow` with `persisted` seen by a listener the page added before it left), so no synthetic
// event stands in anywhere. CLINK_ENGINES narrows a run.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { enginesToRun } from './drivers.mjs';
import { useEngine, open, pageErrors, waitEvent, eventsOf, sentinel } from './support.mjs';
import { PAGES_DIR } from '../support/servers.mjs';
import { startShop } from '../e2e/fight-shop.mjs';

const T = { timeout: 90000 };

async function createAndMount(ctx, tag, container, opts = {}) {
  const co = ctx.servers.checkoutOrigin;
  const r = await ctx.s.run(
    (tag, container, o) => __t.settle(async () => { await __t.create(tag, o); __inst[tag].mount(container); }),
    tag, container, { base: co, checkoutUrl: `${co}/pay/sess_${tag}`, sessionId: `sess_${tag}`, ...opts },
  );
  assert.equal(r.ok, true, `create + mount ${tag}: ${JSON.stringify(r)}`);
}

for (const engine of enginesToRun()) {
  describe(`engine ${engine}: pages that fight the checkout`, () => {
    const ctx = useEngine(engine);

    test(`${engine}: a policy that refuses the frame → one FRAME_BLOCKED at once, naming the directive and the source; a policy that allows it → nothing`, T, async () => {
      const co = ctx.servers.checkoutOrigin;
      await open(ctx, `/csp.html?csp=${encodeURIComponent("frame-src 'self'")}`, { waitSdk: true });
      await createAndMount(ctx, 'a', '#clink-checkout');
      await waitEvent(ctx, 'a', 'error');
      const seen = await ctx.s.run(() => ({ violations: __violations, events: __events.map((e) => ({ type: e.type, payload: e.payload })) }));
      const ours = seen.violations.find((v) => v.blockedURI.startsWith(co));
      assert.ok(ours, `the engine reported the refusal: ${JSON.stringify(seen.violations)}`);
      const errors = seen.events.filter((e) => e.type === 'error');
      assert.equal(errors.length, 1, JSON.stringify(seen.events));
      assert.equal(errors[0].payload.code, 'FRAME_BLOCKED');
      assert.ok(errors[0].payload.message.includes(`(${ours.effectiveDirective}) blocked the checkout frame: add frame-src ${co},`), errors[0].payload.message);
      assert.deepEqual(await pageErrors(ctx), []);

      await open(ctx, `/csp.html?csp=${encodeURIComponent(`frame-src ${co}`)}`, { waitSdk: true });
      await createAndMount(ctx, 'b', '#clink-checkout');
      await waitEvent(ctx, 'b', 'ready');
      await sentinel(ctx, '#clink-checkout', 'b', 321);
      assert.deepEqual((await eventsOf(ctx, 'b')).map((e) => e.type), ['ready', 'resize']);
      assert.deepEqual(await ctx.s.run(() => __violations), []);
    });

    test(`${engine}: back from the back/forward cache while pending → pollStatus at once, the outcome announced once`, T, async () => {
      const { servers } = ctx;
      // The fixture page as a shop serves it: the test servers answer `no-store`, which keeps a
      // page out of Firefox's cache.
      const cacheable = { 'cache-control': 'no-cache' };
      const shop = await startShop(servers.merchantOrigin, {
        '/sdk.html': { body: readFileSync(join(PAGES_DIR, 'sdk.html'), 'utf8'), headers: cacheable },
        '/elsewhere.html': { body: '<!doctype html><title>elsewhere</title><p>elsewhere</p>', headers: cacheable },
      });
      const openSdk = async () => {
        await ctx.s.navigate(shop.origin + '/sdk.html');
        await ctx.s.waitFor(() => window.sdk || window.__sdkLoadError);
        await ctx.s.run(() => {
          window.__errs = [];
          addEventListener('error', (e) => __errs.push(String(e.message)));
          addEventListener('unhandledrejection', (e) => __errs.push(String(e.reason)));
          return true;
        });
        await createAndMount(ctx, 'a', '#clink-checkout', { withPoll: true, pollIntervalMs: 60000 });
        await waitEvent(ctx, 'a', 'ready');
      };
      try {
        // A minute's interval: any poll during this test is the restore's.
        await openSdk();
        await ctx.s.inFrame('#clink-checkout iframe', () => {
          window.send('state_change', { state: 'pending' });
          return true;
        });
        await waitEvent(ctx, 'a', 'state_change');
        await ctx.s.run(() => {
          __t.pollState('a').answer = () => ({ state: 'success' });
          window.__restores = [];
          addEventListener('pageshow', (e) => {
            if (e.persisted) __restores.push(__t.pollState('a').calls.length);
          });
          return true;
        });
        await ctx.s.navigate(shop.origin + '/elsewhere.html');
        await ctx.s.run(() => {
          setTimeout(() => history.back(), 0);
          return true;
        });
        // Back on the SDK page: the same document (restored), or a new one (the engine refused).
        await ctx.s.waitForUrl((u) => u.endsWith('/sdk.html'));
        // The same document, restored: its own listener saw `persisted`. (Each of the three
        // engines keeps such a page; a page loaded afresh has no __restores and fails here.)
        const atRestore = await ctx.s.waitFor(() => document.readyState === 'complete' && Array.isArray(window.__restores) && __restores.length === 1 && { calls: __restores[0] }, [], {
          describe: () => ({ restores: window.__restores ?? 'none: the page loaded afresh, not from the back/forward cache' }),
        }).then((r) => r.calls);
        assert.equal(atRestore, 1, 'pollStatus was called by the restore, before the page’s own pageshow listener ran');
        await waitEvent(ctx, 'a', 'complete');
        const events = await eventsOf(ctx, 'a');
        assert.deepEqual(events.filter((e) => e.type === 'complete').map((e) => [e.payload.state, e.payload.source]), [['success', 'poll']]);
        assert.equal(events.filter((e) => e.type === 'state_change' && e.payload.state === 'success').length, 1);
        assert.deepEqual(await ctx.s.run(() => ({ calls: __t.pollState('a').calls.map((c) => c.ctx.attempt), max: __t.pollState('a').maxInflight })), { calls: [1], max: 1 });
        assert.deepEqual(await pageErrors(ctx), []);
      } finally {
        await shop.close();
      }
    });
  });
}
