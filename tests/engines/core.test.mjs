// The SDK's cross-origin core in every engine buyers use: Chromium, Firefox and WebKit (WebKitGTK,
// Safari's engine), each driven over W3C WebDriver on three real loopback origins (merchant,
// checkout, third). The Chromium-only suites in tests/e2e/ go deeper; this one proves the same
// contract holds per engine. CLINK_ENGINES=firefox,webkit narrows a run.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { enginesToRun } from './drivers.mjs';
import { VALID_FRAME_MESSAGES as VALID } from '../support/servers.mjs';
import { useEngine, open, importInPage, pageErrors, waitEvent, eventsOf, eventMark, postFrom, sentinel, mismatches } from './support.mjs';

const T = { timeout: 60000 };


/** In the page: __t.create + mount + wait for ready. */
async function mounted(ctx, tag, container, opts = {}) {
  const co = ctx.servers.checkoutOrigin;
  const r = await ctx.s.run(
    (tag, container, o) => __t.settle(async () => { await __t.create(tag, o); __inst[tag].mount(container); }),
    tag, container, { base: co, checkoutUrl: `${co}/pay/sess_${tag}`, sessionId: `sess_${tag}`, ...opts },
  );
  assert.equal(r.ok, true, `create + mount ${tag}: ${JSON.stringify(r)}`);
  await waitEvent(ctx, tag, 'ready');
}

/** How many messages the merchant window received so far (the probe's own listener). */
const rawCount = (ctx) => ctx.s.run(() => __probe.messages.length);

/** Waits until the merchant window received `n` messages after index `from`; answers their origins. */
function rawOrigins(ctx, from, n) {
  return ctx.s.waitFor(
    (from, n) => __probe.messages.length - from >= n && __probe.messages.slice(from).map((m) => m.origin),
    [from, n],
    { describe: (from) => __probe.messages.slice(from) },
  );
}

/**
 * Navigates the iframe matching css (from inside it, as a checkout page would) to a stub page
 * with ?autoready, and waits until the merchant window got that page's 'ready' from `origin`:
 * until then the old document may still be the frame's active one.
 */
async function navigateFrame(ctx, css, url, origin) {
  const from = await rawCount(ctx);
  await ctx.s.frame(css);
  try {
    await ctx.s.run((url) => { setTimeout(() => { location.href = url; }, 0); return true; }, url);
  } finally {
    await ctx.s.frame(null);
  }
  await ctx.s.waitFor(
    (from, origin) => __probe.messages.slice(from).some((m) => m.origin === origin && m.data && m.data.type === 'ready'),
    [from, origin],
    { describe: (from) => __probe.messages.slice(from) },
  );
}

for (const engine of enginesToRun()) {
  describe(`engine ${engine}`, () => {
    const ctx = useEngine(engine);

    test(`${engine}: loadClink with checkoutBaseUrl, and with a bootstrap over CORS from the checkout origin`, T, async () => {
      await open(ctx, '/sdk.html');
      const { servers } = ctx;
      const mark = servers.requests.length;
      const r = await ctx.s.run(async (co) => {
        const out = {};
        const direct = await sdk.loadClink('pk_test_engine_base', { checkoutBaseUrl: co + '/' });
        out.direct = { base: direct.checkoutBaseUrl, redirect: typeof direct.redirectToCheckout, embedded: typeof direct.initEmbeddedCheckout };
        const log = [];
        const viaBootstrap = await sdk.loadClink('pk_test_engine_boot', { locale: 'en-US', fetchImpl: __t.makeRewritingFetch(co, log) });
        out.boot = { base: viaBootstrap.checkoutBaseUrl, urls: log.map((l) => l.url) };
        out.codes = { frozen: Object.isFrozen(sdk.CLINK_ERROR_CODES), n: Object.keys(sdk.CLINK_ERROR_CODES).length, same: Object.entries(sdk.CLINK_ERROR_CODES).every(([k, v]) => k === v) };
        // window.Error: Firefox runs WebDriver scripts in a sandbox realm with its own Error.
        out.errorClass = { isError: sdk.ClinkError.prototype instanceof window.Error };
        return out;
      }, servers.checkoutOrigin);
      assert.deepEqual(r.direct, { base: servers.checkoutOrigin, redirect: 'function', embedded: 'function' });
      assert.equal(r.boot.base, servers.checkoutOrigin, 'checkoutBaseUrl from the bootstrap answer');
      assert.equal(r.boot.urls.length, 1);
      const asked = new URL(r.boot.urls[0]);
      assert.equal(asked.origin + asked.pathname, 'https://uat-api.clinkbill.com/api/sdk/bootstrap', 'a pk_test_ key asks the sandbox API');
      const boots = servers.bootstrapRequests(mark);
      assert.deepEqual(boots.map((b) => b.method), ['GET'], 'one GET, no preflight (a CORS-simple request)');
      assert.equal(boots[0].apiHost, 'uat-api.clinkbill.com');
      assert.deepEqual(boots[0].query, { publishableKey: 'pk_test_engine_boot', origin: servers.merchantOrigin, locale: 'en-US' });
      assert.equal(boots[0].headers.origin, servers.merchantOrigin, 'a cross-origin request from the merchant page');
      assert.deepEqual(r.codes, { frozen: true, n: 16, same: true });
      assert.deepEqual(r.errorClass, { isError: true });
      assert.deepEqual(await pageErrors(ctx), []);
    });

    test(`${engine}: bad input rejects with the right ClinkError (key, secret key, options, bootstrap non-2xx and invalid answers); the SDK keeps working`, T, async () => {
      await open(ctx, '/sdk.html');
      const { servers } = ctx;
      const co = servers.checkoutOrigin;
      const mark = servers.requests.length;
      const local = await ctx.s.run(async (co) => {
        const calls = [];
        const spy = (...a) => (calls.push(String(a[0])), Promise.reject(new Error('must not be called')));
        const cases = [
          ['empty key', '', { fetchImpl: spy }, 'INVALID_PUBLIC_KEY'],
          ['pk_live_ key', 'pk_live_x', { fetchImpl: spy }, 'INVALID_PUBLIC_KEY'],
          ['key 5', 5, { fetchImpl: spy }, 'INVALID_PUBLIC_KEY'],
          ['key with a dash', 'pk_test_a-b', { fetchImpl: spy }, 'INVALID_PUBLIC_KEY'],
          ['secret key', 'sk_test_51HxQabcdefSECRET', { fetchImpl: spy }, 'INVALID_PUBLIC_KEY'],
          ['secret key, base url', 'sk_live_SECRET', { checkoutBaseUrl: co }, 'INVALID_PUBLIC_KEY'],
          ['locale: 5', 'pk_test_opts', { locale: 5, fetchImpl: spy }, 'INVALID_CHECKOUT_ENV'],
          ["fetchImpl: 'x'", 'pk_test_opts', { fetchImpl: 'x' }, 'INVALID_CHECKOUT_ENV'],
          ["checkoutEnvironment: 'staging'", 'pk_test_opts', { checkoutEnvironment: 'staging', fetchImpl: spy }, 'INVALID_CHECKOUT_ENV'],
          ["checkoutBaseUrl: 'http://example.com'", 'pk_test_opts', { checkoutBaseUrl: 'http://example.com' }, 'INVALID_CHECKOUT_ENV'],
          ['options getter throws', 'pk_test_opts', Object.defineProperty({}, 'locale', { get() { throw new Error('boom'); }, enumerable: true }), 'INVALID_CHECKOUT_ENV'],
        ];
        const out = [];
        for (const [label, key, opts, expect] of cases) out.push({ label, expect, result: await __t.settle(() => sdk.loadClink(key, opts)) });
        const secret = out.filter((c) => c.label.startsWith('secret'));
        return { out, calls, secretMessages: secret.map((c) => c.result.error && c.result.error.message) };
      }, co);
      assert.deepEqual(mismatches(local.out), []);
      assert.deepEqual(local.calls, [], 'fetchImpl is never called for bad input');
      for (const m of local.secretMessages) assert.match(String(m), /secret/i, 'the secret-key message warns about secret keys');
      assert.deepEqual(servers.bootstrapRequests(mark), [], 'no bootstrap request for bad input');

      // Bootstrap answers over CORS from the checkout origin, one shape per call.
      const answers = [
        ['HTTP 500', { status: 500, json: { code: 500, msg: 'down' } }, 'BOOTSTRAP_REQUEST_FAILED', ['500']],
        ['HTTP 404 text', { status: 404, body: 'nope' }, 'BOOTSTRAP_REQUEST_FAILED', ['404']],
        ['envelope code 401', { status: 200, json: { code: 401, msg: 'origin not allowed', data: { checkoutBaseUrl: co } } }, 'BOOTSTRAP_REQUEST_FAILED', ['origin not allowed']],
        ['not JSON', { status: 200, body: '<html>oops</html>' }, 'INVALID_BOOTSTRAP_RESPONSE', []],
        ['no checkoutBaseUrl', { status: 200, json: { code: 200, msg: 'success', data: { embeddedCheckoutEnabled: true } } }, 'INVALID_BOOTSTRAP_RESPONSE', []],
        ['checkoutBaseUrl not https', { status: 200, json: { code: 200, msg: 'success', data: { checkoutBaseUrl: 'http://checkout.example.com' } } }, 'INVALID_BOOTSTRAP_RESPONSE', []],
        ['embeddedCheckoutEnabled a string', { status: 200, json: { code: 200, msg: 'success', data: { checkoutBaseUrl: co, embeddedCheckoutEnabled: 'yes' } } }, 'INVALID_BOOTSTRAP_RESPONSE', []],
      ];
      const remote = [];
      let n = 0;
      for (const [label, answer, expect, messageHas] of answers) {
        servers.setBootstrap(() => answer);
        const before = servers.requests.length;
        const result = await ctx.s.run((co, key) => __t.settle(() => sdk.loadClink(key, { fetchImpl: __t.makeRewritingFetch(co, []) })), co, `pk_test_bad_${++n}`);
        remote.push({ label, expect, messageHas, result });
        assert.equal(servers.bootstrapRequests(before).length, 1, `${label}: the bootstrap request reached the checkout origin`);
      }
      servers.setBootstrap(null);
      assert.deepEqual(mismatches(remote), []);
      const after = await ctx.s.run(async (co) => {
        const a = await __t.settle(async () => (await sdk.loadClink('pk_test_after', { checkoutBaseUrl: co })).checkoutBaseUrl);
        const b = await __t.settle(async () => (await sdk.loadClink('pk_test_after_boot', { fetchImpl: __t.makeRewritingFetch(co, []) })).checkoutBaseUrl);
        return [a, b];
      }, co);
      assert.deepEqual(after, [{ ok: true, value: co }, { ok: true, value: co }], 'good calls after the failures');
      assert.deepEqual(await pageErrors(ctx), []);
    });

    test(`${engine}: redirectToCheckout assigns and replaces to /pay/{encoded}; bad params navigate nowhere`, T, async () => {
      const { servers } = ctx;
      const co = servers.checkoutOrigin;
      for (const [params, want, replace] of [
        [{ sessionParam: 'sess_eng1#tok_1/x', sessionId: 'sess_ignored' }, `${co}/pay/sess_eng1%23tok_1%2Fx`, false],
        [{ sessionId: 'sess_eng2', replace: true }, `${co}/pay/sess_eng2`, true],
      ]) {
        await open(ctx, '/sdk.html');
        const mark = servers.requests.length;
        const bad = await ctx.s.run(async (co) => {
          window.__clink = await sdk.loadClink('pk_test_redirect', { checkoutBaseUrl: co });
          const out = [];
          for (const [label, p, expect] of [
            ['no params', undefined, 'INVALID_REDIRECT_PARAMS'],
            ["sessionParam 'bad'", { sessionParam: 'bad', sessionId: 'sess_ok' }, 'INVALID_REDIRECT_PARAMS'],
            ['sessionId 5', { sessionId: 5 }, 'INVALID_SESSION_ID'],
          ]) out.push({ label, expect, result: await __t.settle(() => window.__clink.redirectToCheckout(p)) });
          return { out, href: location.href, history: history.length };
        }, co);
        assert.deepEqual(mismatches(bad.out), []);
        assert.equal(bad.href, servers.merchantOrigin + '/sdk.html', 'no navigation after bad params');
        assert.deepEqual(servers.requests.slice(mark).filter((x) => x.path.startsWith('/pay/')), []);
        // Fired after the script returned: the page goes away.
        await ctx.s.run((p) => { setTimeout(() => { window.__clink.redirectToCheckout(p); }, 0); return true; }, params);
        await ctx.s.waitForUrl((u) => u === want);
        const historyAfter = await ctx.s.run(() => history.length);
        assert.equal(historyAfter, replace ? bad.history : bad.history + 1, `history.length with replace: ${replace}`);
        const hit = servers.requests.slice(mark).filter((x) => x.server === 'checkout' && x.path.startsWith('/pay/'));
        assert.deepEqual(hit.map((x) => x.url), [want.slice(co.length)]);
      }
    });

    test(`${engine}: embedded checkout: ready, resize (iframe height), state_change, complete, destroy (no iframe, no listener left)`, T, async () => {
      await open(ctx, '/sdk.html');
      const { servers } = ctx;
      const co = servers.checkoutOrigin;
      const baseline = await ctx.s.run(() => __probe.snapshot());
      await mounted(ctx, 'e', '#clink-checkout');
      const attrs = await ctx.s.run(() => {
        const f = document.querySelectorAll('#clink-checkout iframe');
        return { n: f.length, src: f[0].getAttribute('src'), allow: f[0].getAttribute('allow'), title: f[0].getAttribute('title') };
      });
      assert.equal(attrs.n, 1);
      assert.equal(attrs.src, `${co}/pay/sess_e`);
      assert.equal(attrs.allow, 'payment *; publickey-credentials-get *');
      assert.ok(attrs.title, 'the iframe has a title');

      await postFrom(ctx, '#clink-checkout iframe', [
        { source: 'clink-checkout', type: 'ready', payload: {} },
        { source: 'clink-checkout', type: 'resize', payload: { height: 640 } },
        { source: 'clink-checkout', type: 'state_change', payload: { state: 'pending', extra: 'kept' } },
        { source: 'clink-checkout', type: 'state_change', payload: { state: 'pending' } },
        { source: 'clink-checkout', type: 'error', payload: { code: 'CARD_DECLINED', message: 'declined' } },
      ]);
      await sentinel(ctx, '#clink-checkout', 'e', 641);
      const before = await ctx.s.run(() => ({ height: document.querySelector('#clink-checkout iframe').style.height, state: __t.clone(__inst.e.getState()) }));
      assert.equal(before.height, '641px', 'autoResize sets the iframe height');
      assert.deepEqual([before.state.mounted, before.state.destroyed], [true, false]);
      const ev = await eventsOf(ctx, 'e');
      assert.deepEqual(ev.map((e) => e.type), ['ready', 'resize', 'state_change', 'error', 'resize'], 'one ready per mount; a repeated state is dropped');
      assert.deepEqual(ev[1].payload, { height: 640 });
      assert.equal(ev[2].payload.state, 'pending');
      assert.notEqual(ev[2].payload.previousState, 'pending');
      assert.equal(ev[2].payload.extra, 'kept', 'extra fields pass through');
      assert.deepEqual(ev[3].payload, { code: 'CARD_DECLINED', message: 'declined' });

      // success → complete (source checkout) → destroyed right after (autoDestroyOnComplete).
      await postFrom(ctx, '#clink-checkout iframe', [{ source: 'clink-checkout', type: 'state_change', payload: { state: 'success' } }]);
      await waitEvent(ctx, 'e', 'complete');
      await ctx.s.waitFor(() => document.querySelectorAll('iframe').length === 0, [], { describe: () => document.querySelectorAll('iframe').length });
      const done = await ctx.s.run(() => ({
        sc: __events.filter((e) => e.tag === 'e' && e.type === 'state_change').map((e) => [e.payload.state, e.payload.previousState]),
        complete: __events.filter((e) => e.tag === 'e' && e.type === 'complete').map((e) => [e.payload.state, e.payload.source]),
        state: __t.clone(__inst.e.getState()),
        mount: __t.sync(() => __inst.e.mount('#clink-checkout')),
      }));
      assert.deepEqual(done.sc, [['pending', done.sc[0][1]], ['success', 'pending']]);
      assert.deepEqual(done.complete, [['success', 'checkout']]);
      assert.deepEqual([done.state.mounted, done.state.destroyed], [false, true]);
      assert.equal(done.mount.threw, true);
      assert.equal(done.mount.error.code, 'EMBEDDED_CHECKOUT_DESTROYED');

      // destroy() by hand: no iframe, and nothing left listening or ticking.
      await mounted(ctx, 'd', '#second', { withPoll: true, pollIntervalMs: 100 });
      const mid = await ctx.s.run(() => __probe.snapshot());
      assert.equal(mid.iframes, 1);
      assert.ok(mid.listeners > baseline.listeners, `a mounted instance listens for messages (${JSON.stringify(mid)})`);
      await ctx.s.waitFor(() => (__t.polls.d && __t.polls.d.calls.length) >= 1, [], { describe: () => __t.polls.d || null });
      const after = await ctx.s.run(() => {
        __inst.d.destroy();
        __inst.d.destroy(); // harmless twice
        __t.destroyed.d = true;
        return { snap: __probe.snapshot(), state: __t.clone(__inst.d.getState()), on: __t.sync(() => __inst.d.on('ready', () => {})) };
      });
      assert.equal(after.snap.iframes, 0, 'no iframe left');
      assert.equal(after.snap.listeners, baseline.listeners, 'no message listener left');
      assert.equal(after.snap.timers, baseline.timers, 'no timer left');
      assert.deepEqual([after.state.mounted, after.state.destroyed], [false, true]);
      assert.equal(after.on.error && after.on.error.code, 'EMBEDDED_CHECKOUT_DESTROYED');
      assert.deepEqual(await pageErrors(ctx), []);
    });

    test(`${engine}: forged messages are ignored: a third-origin frame, the merchant window, another checkout-origin frame, the own frame on another origin`, T, async () => {
      await open(ctx, '/sdk.html');
      const { servers } = ctx;
      const [merchant, checkout, third] = [servers.merchantOrigin, servers.checkoutOrigin, servers.thirdOrigin];
      await mounted(ctx, 'f', '#clink-checkout', { autoDestroyOnComplete: false });
      for (const [id, origin] of [['thirdframe', third], ['stranger', checkout]]) {
        await ctx.s.run((id, src) => new Promise((r) => {
          const x = document.createElement('iframe');
          x.id = id;
          x.src = src;
          x.onload = () => r(true);
          document.body.appendChild(x);
        }), id, origin + '/checkout.html');
      }
      const mark = await eventMark(ctx);
      let raw = await rawCount(ctx);
      await postFrom(ctx, '#thirdframe', VALID); // wrong window, wrong origin
      await postFrom(ctx, '#stranger', VALID); // right origin, wrong window
      await ctx.s.run((msgs) => { for (const m of msgs) window.postMessage(m, '*'); return true; }, VALID); // the merchant itself
      // The forged messages really reached the merchant window (so the SDK's listener saw them).
      const origins = await rawOrigins(ctx, raw, VALID.length * 3);
      assert.deepEqual(origins.sort(), [...Array(VALID.length).fill(checkout), ...Array(VALID.length).fill(merchant), ...Array(VALID.length).fill(third)].sort());
      await sentinel(ctx, '#clink-checkout', 'f', 779, mark);

      // The instance's own iframe window, navigated to the third origin: right window, wrong origin.
      raw = await rawCount(ctx);
      await navigateFrame(ctx, '#clink-checkout iframe', third + '/checkout.html?autoready=1', third);
      await postFrom(ctx, '#clink-checkout iframe', VALID);
      assert.deepEqual(await rawOrigins(ctx, raw, VALID.length + 1), Array(VALID.length + 1).fill(third), 'its ready and the forged messages came from the third origin');
      // Back on the checkout origin: its ready is no second 'ready' (once per mount).
      raw = await rawCount(ctx);
      await navigateFrame(ctx, '#clink-checkout iframe', checkout + '/checkout.html?autoready=1', checkout);
      assert.deepEqual(await rawOrigins(ctx, raw, 1), [checkout]);
      await sentinel(ctx, '#clink-checkout', 'f', 780, mark);

      const ev = await eventsOf(ctx, 'f', null, mark);
      assert.deepEqual(ev.map((e) => [e.type, e.payload]), [['resize', { height: 779 }], ['resize', { height: 780 }]], 'only the sentinels from the real frame got through');
      const st = await ctx.s.run(() => ({ state: __t.clone(__inst.f.getState()), height: document.querySelector('#clink-checkout iframe').style.height }));
      assert.deepEqual([st.state.mounted, st.state.destroyed], [true, false]);
      assert.equal(st.height, '780px');
      assert.deepEqual(await pageErrors(ctx), [], 'no exception, no console error');
    });

    test(`${engine}: the UMD file via <script> defines window.Clink, loads, embeds, and is one file`, T, async () => {
      const { servers } = ctx;
      const co = servers.checkoutOrigin;
      const mark = servers.requests.length;
      await open(ctx, `/umd.html?checkout=${encodeURIComponent(co)}`);
      await ctx.s.waitFor(() => window.__umd && window.__umd.done, [], { describe: () => window.__umd || null });
      const r = await ctx.s.run(async (co) => {
        const out = { umd: window.__umd, types: [typeof Clink.loadClink, typeof Clink.ClinkError], codes: Object.keys(Clink.CLINK_ERROR_CODES).length };
        const clink = await Clink.loadClink('pk_test_umd_embed', { checkoutBaseUrl: co });
        window.__umdEvents = [];
        const e = await clink.initEmbeddedCheckout({
          fetchSession: async () => ({ sessionId: 'sess_umd1', checkoutUrl: co + '/pay/sess_umd1' }),
          onEvent: (ev) => window.__umdEvents.push(ev.type),
        });
        e.mount('#clink-checkout');
        window.__umdInstance = e;
        return out;
      }, co);
      assert.ok(['object', 'function'].includes(r.umd.globalType), `window.Clink is ${r.umd.globalType}`);
      assert.deepEqual(r.types, ['function', 'function']);
      assert.equal(r.codes, 16);
      assert.deepEqual(r.umd.loaded, { checkoutBaseUrl: co, redirect: 'function', embedded: 'function' });
      assert.deepEqual(r.umd.badKey, { code: 'INVALID_PUBLIC_KEY', isClinkError: true, isError: true, name: 'ClinkError' });
      await ctx.s.waitFor(() => window.__umdEvents.includes('ready'), [], { describe: () => window.__umdEvents });
      await postFrom(ctx, '#clink-checkout iframe', [{ source: 'clink-checkout', type: 'resize', payload: { height: 480 } }]);
      await ctx.s.waitFor(() => document.querySelector('#clink-checkout iframe').style.height === '480px', [], { describe: () => document.querySelector('#clink-checkout iframe').style.height });
      const gone = await ctx.s.run(() => { window.__umdInstance.destroy(); return document.querySelectorAll('iframe').length; });
      assert.equal(gone, 0);
      const pkg = servers.requests.slice(mark).filter((x) => x.server === 'merchant' && x.path.startsWith('/pkg/')).map((x) => x.path);
      assert.deepEqual(pkg, ['/pkg/dist/index.umd.js'], 'one self-contained file: no separate .wasm fetch');
      assert.deepEqual(await pageErrors(ctx), []);
    });

    test(`${engine}: the slim entry (clink_bg.wasm by URL) loads, rejects bad keys and embeds`, T, async () => {
      const { servers } = ctx;
      const co = servers.checkoutOrigin;
      await open(ctx, '/blank.html');
      const mark = servers.requests.length;
      await importInPage(ctx, '/pkg/slim.js', '__slim');
      const r = await ctx.s.run(async (co) => {
        const slim = window.__slim;
        const ser = (e) => ({ code: e && e.code, isClinkError: e instanceof slim.ClinkError, isError: e instanceof window.Error, name: e && e.name });
        const out = {};
        out.badKey = await slim.loadClink('sk_test_slim_secret').then(() => 'resolved', ser);
        const clink = await slim.loadClink('pk_test_slim', { checkoutBaseUrl: co });
        out.base = clink.checkoutBaseUrl;
        const log = [];
        const boot = await slim.loadClink('pk_test_slim_boot', { fetchImpl: (u, i) => (log.push(String(u)), fetch(String(u).replace('https://uat-api.clinkbill.com', co + '/__host/uat-api.clinkbill.com'), i)) });
        out.bootBase = boot.checkoutBaseUrl;
        window.__slimEvents = [];
        const e = await clink.initEmbeddedCheckout({
          fetchSession: async () => ({ sessionId: 'sess_slim1', checkoutUrl: co + '/pay/sess_slim1' }),
          onEvent: (ev) => window.__slimEvents.push([ev.type, ev.payload]),
        });
        e.mount(document.body);
        window.__slimInstance = e;
        return out;
      }, co);
      assert.deepEqual(r.badKey, { code: 'INVALID_PUBLIC_KEY', isClinkError: true, isError: true, name: 'ClinkError' });
      assert.equal(r.base, co);
      assert.equal(r.bootBase, co, 'bootstrap over CORS through the slim entry');
      await ctx.s.waitFor(() => window.__slimEvents.some((e) => e[0] === 'ready'), [], { describe: () => window.__slimEvents });
      await postFrom(ctx, 'body > iframe', [{ source: 'clink-checkout', type: 'state_change', payload: { state: 'pending' } }]);
      await ctx.s.waitFor(() => window.__slimEvents.some((e) => e[0] === 'state_change' && e[1].state === 'pending'), [], { describe: () => window.__slimEvents });
      const gone = await ctx.s.run(() => { window.__slimInstance.destroy(); return document.querySelectorAll('iframe').length; });
      assert.equal(gone, 0);
      const pkg = servers.requests.slice(mark).filter((x) => x.server === 'merchant' && x.path.startsWith('/pkg/')).map((x) => x.path);
      assert.ok(pkg.includes('/pkg/slim.js') && pkg.includes('/pkg/clink_bg.wasm'), `slim.js and clink_bg.wasm fetched: ${pkg}`);
      assert.ok(!pkg.includes('/pkg/index.js'), 'not the default entry');
      assert.deepEqual(await pageErrors(ctx), []);
    });
  });
}
