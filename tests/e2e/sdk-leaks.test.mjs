// Leaks: what the SDK leaves behind (window 'message' listeners, timers, iframes, late handler
// calls), counted by tests/support/pages/probe.js, which instruments the page before the SDK loads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness } from '../support/servers.mjs';

const h = await harness();
const T = { timeout: 60000 };

const snapshot = (page) => page.evaluate(() => __probe.snapshot());

test('leaks: importing the package adds no listener, timer or element; a finished loadClink leaves no timer behind', T, () =>
  h.withPage('/sdk.html', async ({ page }) => {
    const afterImport = await page.evaluate(() => __probe.afterImport);
    assert.deepEqual(afterImport, { listeners: 0, timers: 0, iframes: 0 }, 'import has no side effects');
    const r = await page.evaluate(async (co) => {
      await sdk.loadClink('pk_test_leak0', { checkoutBaseUrl: co });
      const direct = __probe.snapshot();
      await sdk.loadClink('pk_test_leak1', { fetchImpl: __t.makeRewritingFetch(co, []) });
      const viaBootstrap = __probe.snapshot();
      await __t.settle(() => sdk.loadClink('pk_test_leak2', { fetchImpl: () => Promise.reject(new TypeError('offline')) }));
      const viaFailure = __probe.snapshot();
      return { direct, viaBootstrap, viaFailure };
    }, h.servers.checkoutOrigin);
    assert.deepEqual(r.direct, { listeners: 0, timers: 0, iframes: 0 });
    assert.deepEqual(r.viaBootstrap, { listeners: 0, timers: 0, iframes: 0 }, 'the 10 s bootstrap timeout is cleared once answered');
    assert.deepEqual(r.viaFailure, { listeners: 0, timers: 0, iframes: 0 }, 'and once failed');
  }));

test('leaks: 200 initEmbeddedCheckout → mount → destroy cycles leave no message listener, timer or iframe, and no handler runs afterwards', T, () =>
  h.withPage('/sdk.html', async ({ page, problems }) => {
    const co = h.servers.checkoutOrigin;
    const base = await snapshot(page);
    const r = await page.evaluate(async (co) => {
      const peak = { listeners: 0, timers: 0 };
      for (let i = 0; i < 200; i++) {
        const tag = 'cyc' + i;
        // Half poll fast (timers fire and re-arm), half slowly (a pending timer must be cleared).
        await __t.create(tag, { base: co, checkoutUrl: `${co}/pay/sess_cyc${i}`, sessionId: `sess_cyc${i}`, withPoll: true, pollIntervalMs: i % 2 ? 100 : 60000 });
        __t.pollState(tag).answer = () => null;
        __inst[tag].on('ready', __t.recorder(tag, 'on'));
        __inst[tag].mount('#clink-checkout');
        const s = __probe.snapshot();
        peak.listeners = Math.max(peak.listeners, s.listeners);
        peak.timers = Math.max(peak.timers, s.timers);
        if (i % 10 === 0) await __t.sleep(150); // let some frames load and some polls run
        else if (i % 3 === 0) await __t.sleep(0);
        __inst[tag].destroy();
        __t.destroyed[tag] = true;
      }
      return { peak, right: __probe.snapshot() };
    }, co);
    assert.ok(r.peak.listeners >= 1, 'sanity: the probe saw the SDK listen while mounted');
    assert.ok(r.peak.timers >= 1, 'sanity: the probe saw the poll timer while mounted');
    await page.waitForTimeout(400);
    const after = await snapshot(page);
    assert.deepEqual(after, base, `after 200 destroy cycles (right after: ${JSON.stringify(r.right)})`);
    const late = await page.evaluate(() => ({
      events: __events.filter((e) => e.afterDestroy).length,
      polls: Object.values(__t.polls).reduce((n, ps) => n + ps.calls.filter((c) => c.afterDestroy).length, 0),
      polled: Object.values(__t.polls).reduce((n, ps) => n + ps.calls.length, 0),
    }));
    assert.equal(late.events, 0, 'no handler called after destroy');
    assert.equal(late.polls, 0, 'no pollStatus call after destroy');
    assert.deepEqual(problems.pageErrors, []);
  }));

test('leaks: 200 mount → unmount cycles of one instance leave no message listener, timer or iframe; nothing runs after the last unmount', T, () =>
  h.withPage('/sdk.html', async ({ page, problems }) => {
    const co = h.servers.checkoutOrigin;
    const base = await snapshot(page);
    const r = await page.evaluate(async (co) => {
      const tag = 'um';
      await __t.create(tag, { base: co, checkoutUrl: `${co}/pay/sess_um`, sessionId: 'sess_um', withPoll: true, pollIntervalMs: 100, autoDestroyOnComplete: false });
      __t.pollState(tag).answer = () => null;
      const e = __inst[tag];
      e.on('resize', __t.recorder(tag, 'on'));
      let maxIframes = 0;
      for (let i = 0; i < 200; i++) {
        e.mount(i % 2 ? '#clink-checkout' : '#second');
        maxIframes = Math.max(maxIframes, document.querySelectorAll('iframe').length);
        if (i % 10 === 0) await __t.sleep(150);
        else if (i % 3 === 0) await __t.sleep(0);
        e.unmount();
      }
      __t.destroyed[tag] = true;
      return { maxIframes, readies: __t.events(tag, 'ready').length, polled: __t.pollState(tag).calls.length, state: __t.clone(e.getState()) };
    }, co);
    assert.equal(r.maxIframes, 1, 'never more than one iframe');
    assert.ok(r.readies >= 1, 'sanity: some mounts got ready');
    assert.equal(r.state.mounted, false);
    await page.waitForTimeout(400);
    assert.deepEqual(await snapshot(page), base, 'after 200 mount/unmount cycles');
    const late = await page.evaluate(() => ({
      events: __events.filter((e) => e.afterDestroy).length,
      polls: __t.pollState('um').calls.filter((c) => c.afterDestroy).length,
    }));
    assert.deepEqual(late, { events: 0, polls: 0 }, 'nothing runs after the last unmount');
    // The instance is still usable.
    const n = await page.evaluate(() => __t.pollState('um').calls.length);
    const again = await page.evaluate(() => { __t.destroyed.um = false; return __t.sync(() => __inst.um.mount('#clink-checkout')); });
    assert.equal(again.threw, false);
    await page.waitForFunction((n) => __t.pollState('um').calls.length > n, n, { timeout: 3000 });
    await page.evaluate(() => __inst.um.destroy());
    await page.waitForTimeout(200);
    assert.deepEqual(await snapshot(page), base, 'after the final destroy');
    assert.deepEqual(problems.pageErrors, []);
  }));
