// An engine without DecompressionStream (Safari before 16.4): WPE WebKit 2.38 stands in for it.
// The default and UMD entries cannot unpack their inlined wasm there and must say so plainly
// (NOT_IN_BROWSER naming DecompressionStream and the slim entry); the slim entry must work.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { enginesToRun } from './drivers.mjs';
import { useEngine, open, importInPage, pageErrors, postFrom } from './support.mjs';

const T = { timeout: 60000 };

/** The message an old engine must get: the missing API and the fix. */
function checkOldEngineError(label, e) {
  assert.ok(e && typeof e === 'object', `${label}: expected a rejection, got ${JSON.stringify(e)}`);
  assert.equal(e.code, 'NOT_IN_BROWSER', `${label}: ${JSON.stringify(e)}`);
  assert.equal(e.name, 'ClinkError', `${label}: ${JSON.stringify(e)}`);
  assert.equal(e.isClinkError, true, `${label}: instanceof ClinkError`);
  assert.match(e.message, /DecompressionStream/, `${label}: the message names the missing API`);
  assert.match(e.message, /clink-js\/slim|slim entry|\/slim/, `${label}: the message names the slim entry`);
}

for (const engine of enginesToRun(['wpe'])) {
  describe(`engine ${engine} (no DecompressionStream)`, () => {
    const ctx = useEngine(engine);

    test(`${engine}: really lacks DecompressionStream (else this file tests nothing)`, T, async () => {
      await open(ctx, '/blank.html');
      const r = await ctx.s.run(() => ({ ds: typeof DecompressionStream, wasm: typeof WebAssembly, ua: navigator.userAgent }));
      assert.equal(r.ds, 'undefined', `DecompressionStream is ${r.ds} in ${r.ua}`);
      assert.equal(r.wasm, 'object', 'WebAssembly itself is there');
    });

    test(`${engine}: the default entry rejects loadClink with NOT_IN_BROWSER naming DecompressionStream and the slim entry`, T, async () => {
      await open(ctx, '/sdk.html');
      const r = await ctx.s.run(async (co) => {
        const first = await __t.settle(() => sdk.loadClink('pk_test_old', { checkoutBaseUrl: co }));
        const again = await __t.settle(() => sdk.loadClink('pk_test_old2', { checkoutBaseUrl: co }));
        return { first, again, imported: typeof sdk.loadClink };
      }, ctx.servers.checkoutOrigin);
      assert.equal(r.imported, 'function', 'importing the entry itself works');
      assert.equal(r.first.ok, false, `loadClink resolved: ${JSON.stringify(r.first)}`);
      checkOldEngineError('first call', r.first.error);
      assert.equal(r.again.ok, false);
      checkOldEngineError('second call', r.again.error);
      assert.equal(r.first.error.isError, true);
      assert.deepEqual(await pageErrors(ctx), []);
    });

    test(`${engine}: the UMD file rejects loadClink the same way`, T, async () => {
      await open(ctx, `/umd.html?checkout=${encodeURIComponent(ctx.servers.checkoutOrigin)}`);
      await ctx.s.waitFor(() => window.__umd && window.__umd.done, [], { describe: () => window.__umd || null });
      const r = await ctx.s.run(async () => {
        const e = await Clink.loadClink('pk_test_umd_old', { checkoutBaseUrl: 'https://checkout.example.com' }).then(() => null, (x) => x);
        return {
          globalType: window.__umd.globalType,
          error: e && { code: e.code, name: e.name, message: String(e.message), isClinkError: e instanceof Clink.ClinkError },
        };
      });
      assert.ok(['object', 'function'].includes(r.globalType), `window.Clink is ${r.globalType}`);
      checkOldEngineError('UMD', r.error);
    });

    test(`${engine}: the slim entry works: load (base URL and bootstrap over CORS), an embedded ready, resize and complete`, T, async () => {
      const { servers } = ctx;
      const co = servers.checkoutOrigin;
      await open(ctx, '/blank.html');
      await importInPage(ctx, '/pkg/slim.js', '__slim');
      const r = await ctx.s.run(async (co) => {
        const slim = window.__slim;
        const out = {};
        out.badKey = await slim.loadClink('pk_live_nope').then(() => 'resolved', (e) => ({ code: e.code, isClinkError: e instanceof slim.ClinkError }));
        const clink = await slim.loadClink('pk_test_old_slim', { checkoutBaseUrl: co });
        out.base = clink.checkoutBaseUrl;
        const boot = await slim.loadClink('pk_test_old_boot', {
          fetchImpl: (u, i) => fetch(String(u).replace('https://uat-api.clinkbill.com', co + '/__host/uat-api.clinkbill.com'), i),
        });
        out.bootBase = boot.checkoutBaseUrl;
        window.__slimEvents = [];
        const e = await clink.initEmbeddedCheckout({
          fetchSession: async () => ({ sessionId: 'sess_old1', checkoutUrl: co + '/pay/sess_old1' }),
          onEvent: (ev) => window.__slimEvents.push([ev.type, ev.payload]),
        });
        const div = document.createElement('div');
        div.id = 'checkout';
        document.body.appendChild(div);
        e.mount('#checkout');
        window.__slimInstance = e;
        return out;
      }, co);
      assert.deepEqual(r.badKey, { code: 'INVALID_PUBLIC_KEY', isClinkError: true });
      assert.equal(r.base, co);
      assert.equal(r.bootBase, co);
      await ctx.s.waitFor(() => window.__slimEvents.some((e) => e[0] === 'ready'), [], { describe: () => window.__slimEvents });
      await postFrom(ctx, '#checkout iframe', [
        { source: 'clink-checkout', type: 'resize', payload: { height: 512 } },
        { source: 'clink-checkout', type: 'state_change', payload: { state: 'success' } },
      ]);
      await ctx.s.waitFor(() => window.__slimEvents.some((e) => e[0] === 'complete'), [], { describe: () => window.__slimEvents });
      const after = await ctx.s.run(() => ({ types: window.__slimEvents.map((e) => e[0]), iframes: document.querySelectorAll('iframe').length, state: window.__slimInstance.getState() }));
      assert.deepEqual(after.types, ['ready', 'resize', 'state_change', 'complete']);
      assert.equal(after.iframes, 0, 'destroyed after a success completion');
      assert.equal(after.state.destroyed, true);
      assert.deepEqual(await pageErrors(ctx), []);
    });
  });
}
