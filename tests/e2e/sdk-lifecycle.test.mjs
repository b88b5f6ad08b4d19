// README "initEmbeddedCheckout": initEmbeddedCheckout validation and the instance lifecycle (mount/unmount/destroy/on).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, mismatches, createEmbedded, mountIn, eventsOf, waitEvent, checkoutFrame, sentinel } from '../support/servers.mjs';

const h = await harness();
const T = { timeout: 30000 };

const co = () => h.servers.checkoutOrigin;
const create = (page, tag, opts = {}) => createEmbedded(page, tag, { base: co(), checkoutUrl: `${co()}/pay/sess_${tag}`, sessionId: `sess_${tag}`, ...opts });
const state = (page, tag) => page.evaluate((t) => __t.clone(__inst[t].getState()), tag);
const iframes = (page) => page.evaluate(() => document.querySelectorAll('iframe').length);

test('lifecycle: getState; mount twice → EMBEDDED_ALREADY_MOUNTED (sync throw); unmount when not mounted is a no-op; mount → unmount → mount works', T, () =>
  h.withPage('/sdk.html', async ({ page, problems }) => {
    await create(page, 'l');
    let s = await state(page, 'l');
    assert.deepEqual([s.mounted, s.destroyed], [false, false]);
    assert.deepEqual(await page.evaluate(() => __t.sync(() => __inst.l.unmount())), { threw: false, value: '__undefined' }, 'unmount before mount');
    assert.equal((await mountIn(page, 'l', '#clink-checkout')).threw, false);
    s = await state(page, 'l');
    assert.deepEqual([s.mounted, s.destroyed], [true, false]);
    const twice = await mountIn(page, 'l', '#second');
    assert.equal(twice.threw, true, `second mount: ${JSON.stringify(twice)}`);
    assert.equal(twice.error.isClinkError && twice.error.code, 'EMBEDDED_ALREADY_MOUNTED');
    assert.equal(await iframes(page), 1, 'still one iframe');
    await waitEvent(page, 'l', 'ready');
    assert.equal((await page.evaluate(() => __t.sync(() => __inst.l.unmount()))).threw, false);
    assert.equal(await iframes(page), 0, 'unmount removes the iframe');
    s = await state(page, 'l');
    assert.deepEqual([s.mounted, s.destroyed], [false, false]);
    assert.equal((await page.evaluate(() => __t.sync(() => __inst.l.unmount()))).threw, false, 'second unmount');
    // React StrictMode: mount, unmount, mount.
    assert.equal((await mountIn(page, 'l', '#second')).threw, false);
    assert.equal(await page.evaluate(() => document.querySelectorAll('#second iframe').length), 1);
    await waitEvent(page, 'l', 'ready', { count: 2 });
    const f = await checkoutFrame(page, '#second');
    await sentinel(page, f, 'l', 515);
    assert.equal(await page.evaluate(() => document.querySelector('#second iframe').style.height), '515px', 'the remounted instance handles messages');
    assert.deepEqual(problems.pageErrors, []);
  }));

test('lifecycle: after destroy, mount and on throw EMBEDDED_CHECKOUT_DESTROYED; destroy twice and unmount after destroy are harmless', T, () =>
  h.withPage('/sdk.html', async ({ page, problems }) => {
    await create(page, 'd');
    await mountIn(page, 'd', '#clink-checkout');
    await waitEvent(page, 'd', 'ready');
    const r = await page.evaluate(() => {
      const e = __inst.d;
      const out = {};
      out.destroy1 = __t.sync(() => e.destroy());
      out.iframes = document.querySelectorAll('iframe').length;
      out.state = __t.clone(e.getState());
      out.destroy2 = __t.sync(() => e.destroy());
      out.unmount = __t.sync(() => e.unmount());
      out.mount = __t.sync(() => e.mount('#clink-checkout'));
      out.mountEl = __t.sync(() => e.mount(document.getElementById('second')));
      out.on = __t.sync(() => e.on('ready', () => {}));
      out.onBad = __t.sync(() => e.on('nope', () => {}));
      out.iframesAfter = document.querySelectorAll('iframe').length;
      return out;
    });
    assert.equal(r.destroy1.threw, false);
    assert.equal(r.iframes, 0, 'destroy removes the iframe');
    assert.deepEqual([r.state.mounted, r.state.destroyed], [false, true]);
    assert.equal(r.destroy2.threw, false, 'destroy twice');
    assert.equal(r.unmount.threw, false, 'unmount after destroy');
    for (const k of ['mount', 'mountEl', 'on']) {
      assert.equal(r[k].threw, true, `${k} after destroy: ${JSON.stringify(r[k])}`);
      assert.equal(r[k].error.isClinkError && r[k].error.code, 'EMBEDDED_CHECKOUT_DESTROYED', `${k} after destroy`);
    }
    assert.equal(r.onBad.threw, true);
    assert.ok(['EMBEDDED_CHECKOUT_DESTROYED', 'INVALID_EMBEDDED_OPTIONS'].includes(r.onBad.error.code));
    assert.equal(r.iframesAfter, 0);
    // Destroy before ever mounting.
    await create(page, 'd2');
    const r2 = await page.evaluate(() => [__t.sync(() => __inst.d2.destroy()), __t.sync(() => __inst.d2.mount('#clink-checkout'))]);
    assert.equal(r2[0].threw, false);
    assert.equal(r2[1].error && r2[1].error.code, 'EMBEDDED_CHECKOUT_DESTROYED');
    assert.deepEqual(problems.pageErrors, []);
  }));

test("lifecycle: on('nope', fn) → INVALID_EMBEDDED_OPTIONS; every documented type is accepted", T, () =>
  h.withPage('/sdk.html', async ({ page }) => {
    await create(page, 'o');
    const r = await page.evaluate(() => {
      const e = __inst.o;
      const out = {};
      for (const t of ['ready', 'resize', 'state_change', 'complete', 'hosted_return', 'error']) {
        const res = __t.sync(() => e.on(t, () => {}));
        out[t] = res.threw ? res : typeof e.on(t, () => {});
      }
      out.nope = __t.sync(() => e.on('nope', () => {}));
      out.empty = __t.sync(() => e.on('', () => {}));
      out.number = __t.sync(() => e.on(5, () => {}));
      out.proto = __t.sync(() => e.on('__proto__', () => {}));
      out.noHandler = __t.sync(() => e.on('ready'));
      out.stringHandler = __t.sync(() => e.on('ready', 'x'));
      return out;
    });
    for (const t of ['ready', 'resize', 'state_change', 'complete', 'hosted_return', 'error']) assert.equal(r[t], 'function', `on('${t}') returns an unsubscribe function`);
    for (const k of ['nope', 'empty', 'number', 'proto']) {
      assert.equal(r[k].threw, true, `${k}: ${JSON.stringify(r[k])}`);
      assert.equal(r[k].error.isClinkError && r[k].error.code, 'INVALID_EMBEDDED_OPTIONS', k);
    }
    // the README names no code for a non-function handler: if it throws, it must be INVALID_EMBEDDED_OPTIONS.
    for (const k of ['noHandler', 'stringHandler']) {
      if (r[k].threw) assert.equal(r[k].error.isClinkError && r[k].error.code, 'INVALID_EMBEDDED_OPTIONS', k);
    }
  }));

test("lifecycle: mount('#missing'), mount(42), mount(null), a text node, an invalid selector → CONTAINER_NOT_FOUND; the instance still mounts afterwards", T, () =>
  h.withPage('/sdk.html', async ({ page, problems }) => {
    await create(page, 'c');
    const r = await page.evaluate(() => {
      const e = __inst.c;
      return {
        missing: __t.sync(() => e.mount('#missing')),
        number: __t.sync(() => e.mount(42)),
        nul: __t.sync(() => e.mount(null)),
        undef: __t.sync(() => e.mount()),
        text: __t.sync(() => e.mount(document.createTextNode('x'))),
        object: __t.sync(() => e.mount({ appendChild() {} })),
        badSelector: __t.sync(() => e.mount('##!')),
        empty: __t.sync(() => e.mount('')),
        iframes: document.querySelectorAll('iframe').length,
        state: __t.clone(e.getState()),
      };
    });
    for (const k of ['missing', 'number', 'nul', 'undef', 'text', 'object', 'badSelector', 'empty']) {
      assert.equal(r[k].threw, true, `${k}: ${JSON.stringify(r[k])}`);
      assert.equal(r[k].error.isClinkError && r[k].error.code, 'CONTAINER_NOT_FOUND', `${k}: ${JSON.stringify(r[k].error)}`);
    }
    assert.equal(r.iframes, 0);
    assert.equal(r.state.mounted, false);
    assert.equal((await mountIn(page, 'c', '#clink-checkout')).threw, false);
    await waitEvent(page, 'c', 'ready');
    assert.deepEqual(problems.pageErrors, []);
  }));

test('initEmbeddedCheckout: fetchSession failures → SESSION_ID_FETCH_FAILED (with cause) / INVALID_SESSION_ID / INVALID_CHECKOUT_URL; fetchSession runs once', T, () =>
  h.withPage('/sdk.html', async ({ page }) => {
    const r = await page.evaluate(async (co) => {
      const clink = await sdk.loadClink('pk_test_fetchsession', { checkoutBaseUrl: co });
      const original = new Error('backend said no');
      const calls = {};
      const session = (label, fn) => ({ fetchSession: (...a) => { calls[label] = (calls[label] || 0) + 1; return fn(...a); } });
      const throwingGetter = Object.defineProperty({ checkoutUrl: co + '/pay/sess_g' }, 'sessionId', { get() { throw new Error('getter'); }, enumerable: true });
      const cases = [
        ['rejects', async () => { throw original; }, 'SESSION_ID_FETCH_FAILED'],
        ['throws synchronously', () => { throw original; }, 'SESSION_ID_FETCH_FAILED'],
        ['resolves null', async () => null, 'SESSION_ID_FETCH_FAILED'],
        ['resolves undefined', async () => undefined, 'SESSION_ID_FETCH_FAILED'],
        ['resolves a string', async () => 'sess_abc', 'SESSION_ID_FETCH_FAILED'],
        ['resolves 5', async () => 5, 'SESSION_ID_FETCH_FAILED'],
        ['result with a throwing getter', async () => throwingGetter, 'SESSION_ID_FETCH_FAILED'],
        ["sessionId 'bad'", async () => ({ sessionId: 'bad', checkoutUrl: co + '/pay/sess_x' }), 'INVALID_SESSION_ID'],
        ['sessionId 5', async () => ({ sessionId: 5, checkoutUrl: co + '/pay/sess_x' }), 'INVALID_SESSION_ID'],
        ['sessionId missing', async () => ({ checkoutUrl: co + '/pay/sess_x' }), 'INVALID_SESSION_ID'],
        ["sessionId ''", async () => ({ sessionId: '', checkoutUrl: co + '/pay/sess_x' }), 'INVALID_SESSION_ID'],
        ['sessionId of 129 chars', async () => ({ sessionId: 'sess_' + 'a'.repeat(129), checkoutUrl: co + '/pay/sess_x' }), 'INVALID_SESSION_ID'],
        ['checkoutUrl javascript:', async () => ({ sessionId: 'sess_ok', checkoutUrl: 'javascript:alert(1)' }), 'INVALID_CHECKOUT_URL'],
        ['checkoutUrl http://example.com', async () => ({ sessionId: 'sess_ok', checkoutUrl: 'http://example.com/pay/sess_ok' }), 'INVALID_CHECKOUT_URL'],
        ['checkoutUrl relative', async () => ({ sessionId: 'sess_ok', checkoutUrl: '/pay/sess_ok' }), 'INVALID_CHECKOUT_URL'],
        ['checkoutUrl data:', async () => ({ sessionId: 'sess_ok', checkoutUrl: 'data:text/html,<script>alert(1)</script>' }), 'INVALID_CHECKOUT_URL'],
        ['checkoutUrl missing', async () => ({ sessionId: 'sess_ok' }), 'INVALID_CHECKOUT_URL'],
        ['checkoutUrl 5', async () => ({ sessionId: 'sess_ok', checkoutUrl: 5 }), 'INVALID_CHECKOUT_URL'],
        ['valid, orderId absent', async () => ({ sessionId: 'sess_ok', checkoutUrl: co + '/pay/sess_ok' }), 'ok'],
        ['valid https URL with orderId', async () => ({ sessionId: 'sess_ok2', checkoutUrl: 'https://checkout.clinkbill.com/pay/sess_ok2%23tok', orderId: 'ord_1' }), 'ok'],
      ];
      const out = [];
      let causeIsOriginal = null;
      for (const [label, fn, expect] of cases) {
        let err;
        const result = await __t.settle(() => clink.initEmbeddedCheckout(session(label, fn)).catch((e) => { err = e; throw e; }));
        if (label === 'rejects') causeIsOriginal = !!err && err.cause === original;
        out.push({ label, result, expect });
      }
      return { out, calls, causeIsOriginal, n: cases.length };
    }, co());
    assert.deepEqual(mismatches(r.out), []);
    assert.equal(r.causeIsOriginal, true, 'cause is the error fetchSession rejected with');
    assert.deepEqual(Object.values(r.calls).filter((n) => n !== 1), [], `fetchSession called once per init: ${JSON.stringify(r.calls)}`);
    assert.equal(Object.keys(r.calls).length, r.n);
  }));

test('initEmbeddedCheckout: wrong option types and pollIntervalMs < 100 → INVALID_EMBEDDED_OPTIONS; 100 is accepted', T, () =>
  h.withPage('/sdk.html', async ({ page }) => {
    const r = await page.evaluate(async (co) => {
      const clink = await sdk.loadClink('pk_test_opts_embedded', { checkoutBaseUrl: co });
      const fs = async () => ({ sessionId: 'sess_o1', checkoutUrl: co + '/pay/sess_o1' });
      const throwing = Object.defineProperty({ fetchSession: fs }, 'onEvent', { get() { throw new Error('getter'); }, enumerable: true });
      const proxy = new Proxy({}, { get() { throw new Error('proxy'); }, has() { throw new Error('proxy'); } });
      const cases = [
        ['no options', undefined],
        ['null', null],
        ['a string', 'x'],
        ['fetchSession missing', {}],
        ['fetchSession a string', { fetchSession: 'x' }],
        ['onEvent a string', { fetchSession: fs, onEvent: 'x' }],
        ['autoResize a string', { fetchSession: fs, autoResize: 'yes' }],
        ['autoDestroyOnComplete 1', { fetchSession: fs, autoDestroyOnComplete: 1 }],
        ['pollStatus 5', { fetchSession: fs, pollStatus: 5 }],
        ['pollIntervalMs 50', { fetchSession: fs, pollIntervalMs: 50 }],
        ['pollIntervalMs 99', { fetchSession: fs, pollIntervalMs: 99 }],
        ['pollIntervalMs 0', { fetchSession: fs, pollIntervalMs: 0 }],
        ['pollIntervalMs -1', { fetchSession: fs, pollIntervalMs: -1 }],
        ["pollIntervalMs '2000'", { fetchSession: fs, pollIntervalMs: '2000' }],
        ['pollIntervalMs NaN', { fetchSession: fs, pollIntervalMs: NaN }],
        ['a throwing getter', throwing],
        ['a throwing Proxy', proxy],
      ];
      const out = [];
      for (const [label, opts] of cases) {
        out.push({ label, expect: 'INVALID_EMBEDDED_OPTIONS', result: await __t.settle(() => (opts === undefined ? clink.initEmbeddedCheckout() : clink.initEmbeddedCheckout(opts))) });
      }
      out.push({ label: 'pollIntervalMs 100', expect: 'ok', result: await __t.settle(() => clink.initEmbeddedCheckout({ fetchSession: fs, pollIntervalMs: 100, pollStatus: async () => null })) });
      out.push({ label: 'all options valid', expect: 'ok', result: await __t.settle(() => clink.initEmbeddedCheckout({ fetchSession: fs, onEvent() {}, autoResize: false, autoDestroyOnComplete: false, pollStatus: async () => null, pollIntervalMs: 2000 })) });
      return out;
    }, co());
    assert.deepEqual(mismatches(r), []);
  }));

test('initEmbeddedCheckout: bootstrap embeddedCheckoutEnabled: false → EMBEDDED_CHECKOUT_DISABLED', T, () =>
  h.withPage('/sdk.html', async ({ page }) => {
    h.servers.setBootstrap(() => ({ json: { code: 200, msg: 'success', data: { checkoutBaseUrl: h.servers.checkoutOrigin, embeddedCheckoutEnabled: false } } }));
    const r = await page.evaluate(async (co) => {
      const clink = await sdk.loadClink('pk_uat_disabled', { checkoutEnvironment: 'sandbox' });
      return {
        base: clink.checkoutBaseUrl,
        init: await __t.settle(() => clink.initEmbeddedCheckout({ fetchSession: async () => ({ sessionId: 'sess_d', checkoutUrl: co + '/pay/sess_d' }) })),
      };
    }, co());
    assert.equal(r.base, co());
    assert.deepEqual(mismatches([{ label: 'init', result: r.init, expect: 'EMBEDDED_CHECKOUT_DISABLED' }]), []);
  }));

test('the SDK never writes to objects it was given (frozen options and session work unchanged)', T, () =>
  h.withPage('/sdk.html', async ({ page, problems }) => {
    const r = await page.evaluate(async (co) => {
      const loadOpts = Object.freeze({ checkoutBaseUrl: co, locale: 'en-US' });
      const clink = await sdk.loadClink('pk_test_frozen', loadOpts);
      const session = Object.freeze({ sessionId: 'sess_frozen', checkoutUrl: co + '/pay/sess_frozen', orderId: 'ord_f' });
      const opts = Object.freeze({ fetchSession: async () => session, onEvent: __t.recorder('fz'), autoResize: true, autoDestroyOnComplete: false });
      const e = await clink.initEmbeddedCheckout(opts);
      __inst.fz = e;
      e.mount('#clink-checkout');
      const redirectParams = Object.freeze({ sessionId: 'bad' });
      const rr = await __t.settle(() => clink.redirectToCheckout(redirectParams));
      return { ok: true, rr, session: JSON.stringify(session), keys: Object.keys(opts).sort() };
    }, co());
    assert.equal(r.ok, true);
    assert.equal(r.rr.error && r.rr.error.code, 'INVALID_SESSION_ID');
    assert.deepEqual(r.keys, ['autoDestroyOnComplete', 'autoResize', 'fetchSession', 'onEvent']);
    await waitEvent(page, 'fz', 'ready');
    assert.deepEqual(problems.pageErrors, []);
  }));
