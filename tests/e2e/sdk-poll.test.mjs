// README "initEmbeddedCheckout": pollStatus({ sessionId, orderId, attempt }) timing, answers, failures and stopping.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, createEmbedded, eventsOf, waitEvent, checkoutFrame } from '../support/servers.mjs';

const h = await harness();
const T = { timeout: 30000 };

const co = () => h.servers.checkoutOrigin;
const create = (page, tag, opts = {}) =>
  createEmbedded(page, tag, { base: co(), checkoutUrl: `${co()}/pay/sess_${tag}`, sessionId: `sess_${tag}`, withPoll: true, ...opts });
const calls = (page, tag) => page.evaluate((t) => __t.pollState(t).calls, tag);
const waitCalls = (page, tag, n, timeout = 5000) =>
  page.waitForFunction(([t, n]) => __t.pollState(t).calls.length >= n, [tag, n], { timeout, polling: 20 }).catch(async () => {
    throw new Error(`pollStatus(${tag}) not called ${n} times within ${timeout} ms: ${JSON.stringify(await calls(page, tag))}`);
  });
/** Mounts `tag` in `sel`, recording the time just before mount as __mountT[tag]. */
const mountTimed = (page, tag, sel = '#clink-checkout') =>
  page.evaluate(([t, sel]) => {
    (window.__mountT = window.__mountT || {})[t] = performance.now();
    return __t.sync(() => __inst[t].mount(sel));
  }, [tag, sel]);

test('pollStatus: first call one interval after mount, then one interval after each answer; attempt 1, 2, 3; ctx has sessionId and orderId', T, () =>
  h.withPage('/sdk.html', async ({ page }) => {
    await create(page, 'p', { pollIntervalMs: 150, orderId: 'ord_p1', sessionId: 'sess_p1', checkoutUrl: `${co()}/pay/sess_p1%23tok` });
    await page.evaluate(() => { __t.pollState('p').answer = () => null; });
    await page.waitForTimeout(400);
    assert.equal((await calls(page, 'p')).length, 0, 'no polling before mount');
    assert.equal((await mountTimed(page, 'p')).threw, false);
    await waitCalls(page, 'p', 3);
    const c = await calls(page, 'p');
    const mountT = await page.evaluate(() => window.__mountT.p);
    const first = c[0].t - mountT;
    assert.ok(first >= 140 && first < 700, `first call ${Math.round(first)} ms after mount, expected ≈150`);
    assert.deepEqual(c.slice(0, 3).map((x) => x.ctx.attempt), [1, 2, 3]);
    for (const x of c.slice(0, 3)) {
      assert.equal(x.ctx.sessionId, 'sess_p1');
      assert.equal(x.ctx.orderId, 'ord_p1');
    }
    for (let i = 0; i + 1 < 3; i++) {
      const gap = c[i + 1].t - c[i].settledAt;
      assert.ok(gap >= 140 && gap < 700, `call ${i + 2} came ${Math.round(gap)} ms after call ${i + 1} settled, expected ≈150`);
    }
  }));

test('pollStatus: never two calls at once when an answer is slower than the interval', T, () =>
  h.withPage('/sdk.html', async ({ page }) => {
    await create(page, 'slow', { pollIntervalMs: 100 });
    await page.evaluate(() => { __t.pollState('slow').answer = () => __t.sleep(350).then(() => null); });
    await mountTimed(page, 'slow');
    await waitCalls(page, 'slow', 3, 6000);
    const st = await page.evaluate(() => ({ max: __t.pollState('slow').maxInflight, calls: __t.pollState('slow').calls }));
    assert.equal(st.max, 1, 'at most one pollStatus call in flight');
    for (let i = 0; i + 1 < st.calls.length; i++) {
      if (st.calls[i].settledAt == null) continue;
      const gap = st.calls[i + 1].t - st.calls[i].settledAt;
      assert.ok(gap >= 90, `call ${i + 2} started ${Math.round(gap)} ms after call ${i + 1} settled (interval 100)`);
    }
    assert.deepEqual(st.calls.map((x) => x.ctx.attempt), st.calls.map((_, i) => i + 1));
  }));

test('pollStatus: rejections, throws and malformed answers → error events POLL_STATUS_FAILED and polling goes on; null/undefined keep polling quietly', T, () =>
  h.withPage('/sdk.html', async ({ page, problems }) => {
    await create(page, 'bad', { pollIntervalMs: 100, autoDestroyOnComplete: false });
    await page.evaluate(() => {
      const ps = __t.pollState('bad');
      ps.syncThrowAt = [2];
      const answers = {
        1: () => Promise.reject(new Error('status endpoint down')),
        3: () => 5,
        4: () => 'success',
        5: () => ({ state: 'bogus' }),
        6: () => ({}),
        7: () => ({ state: 5 }),
        8: () => [],
        9: () => null,
        10: () => undefined,
        11: () => ({ state: 'pending' }),
        12: () => ({ state: 'success', payload: { orderId: 'ord_bad', attempt: 12 } }),
      };
      ps.answer = (ctx, call, n) => (answers[n] ? answers[n]() : null);
    });
    await mountTimed(page, 'bad');
    await waitEvent(page, 'bad', 'complete', { timeout: 8000 });
    const errors = await eventsOf(page, 'bad', 'error');
    assert.equal(errors.length, 8, `one error per failed attempt (1–8): ${JSON.stringify(errors.map((e) => e.payload))}`);
    for (const e of errors) {
      assert.equal(e.payload.code, 'POLL_STATUS_FAILED');
      assert.equal(typeof e.payload.message, 'string');
    }
    const sc = (await eventsOf(page, 'bad', 'state_change')).map((e) => e.payload.state);
    assert.deepEqual(sc, ['pending', 'success']);
    const complete = await eventsOf(page, 'bad', 'complete');
    assert.equal(complete.length, 1);
    assert.deepEqual([complete[0].payload.state, complete[0].payload.source], ['success', 'poll']);
    const n = (await calls(page, 'bad')).length;
    assert.equal(n, 12);
    await page.waitForTimeout(450);
    assert.equal((await calls(page, 'bad')).length, 12, 'polling stopped after complete');
    assert.deepEqual(problems.pageErrors, []);
  }));

test("pollStatus: a terminal answer → state_change + complete (source 'poll') once, auto-destroy, polling stops; the frame's same state is not repeated", T, () =>
  h.withPage('/sdk.html', async ({ page }) => {
    await create(page, 'term', { pollIntervalMs: 150, orderId: 'ord_t' });
    await page.evaluate(() => {
      __t.pollState('term').answer = (ctx, call, n) =>
        n === 1 ? { state: 'pending' } : window.__go ? { state: 'success', payload: { orderId: ctx.orderId, attempt: ctx.attempt } } : null;
    });
    await mountTimed(page, 'term');
    await waitEvent(page, 'term', 'ready');
    const f = await checkoutFrame(page, '#clink-checkout');
    await f.evaluate(() => window.send('state_change', { state: 'pending' }));
    await waitCalls(page, 'term', 2);
    await page.evaluate(() => { window.__go = true; });
    await waitEvent(page, 'term', 'complete');
    await page.waitForTimeout(500);
    const sc = (await eventsOf(page, 'term', 'state_change')).map((e) => e.payload);
    assert.deepEqual(sc.map((p) => p.state), ['pending', 'success'], 'pending from frame and poll: one event');
    assert.equal(sc[1].previousState, 'pending');
    const complete = await eventsOf(page, 'term', 'complete');
    assert.equal(complete.length, 1);
    assert.deepEqual([complete[0].payload.state, complete[0].payload.source], ['success', 'poll']);
    const st = await page.evaluate(() => ({ s: __t.clone(__inst.term.getState()), iframes: document.querySelectorAll('iframe').length }));
    assert.deepEqual([st.s.destroyed, st.iframes], [true, 0], 'success from poll auto-destroys');
    const c = await calls(page, 'term');
    assert.ok(c.every((x) => x.t <= complete[0].t), 'no pollStatus call after complete');
  }));

test("pollStatus: complete from the frame stops polling", T, () =>
  h.withPage('/sdk.html', async ({ page }) => {
    await create(page, 'fc', { pollIntervalMs: 100, autoDestroyOnComplete: false });
    await page.evaluate(() => { __t.pollState('fc').answer = () => null; });
    await mountTimed(page, 'fc');
    await waitCalls(page, 'fc', 2);
    const f = await checkoutFrame(page, '#clink-checkout');
    await f.evaluate(() => window.send('state_change', { state: 'expired' }));
    await waitEvent(page, 'fc', 'complete');
    await page.waitForTimeout(450);
    const complete = (await eventsOf(page, 'fc', 'complete'))[0];
    assert.deepEqual([complete.payload.state, complete.payload.source], ['expired', 'checkout']);
    const late = (await calls(page, 'fc')).filter((x) => x.t > complete.t);
    assert.deepEqual(late, [], 'no pollStatus call after complete');
    const st = await page.evaluate(() => __t.clone(__inst.fc.getState()));
    assert.deepEqual([st.mounted, st.destroyed], [true, false], 'expired does not auto-destroy');
  }));

test('pollStatus: nothing runs after destroy or unmount; answers (and rejections) arriving late are ignored; remount polls again', T, () =>
  h.withPage('/sdk.html', async ({ page, problems }) => {
    for (const tag of ['pd', 'pu', 'pr', 'pt']) {
      await create(page, tag, { pollIntervalMs: 100, autoDestroyOnComplete: false });
    }
    await page.evaluate(() => {
      window.__def = {};
      for (const tag of ['pd', 'pu', 'pr']) {
        __t.pollState(tag).answer = (ctx, call, n) => {
          if (n > 1) return null;
          const d = __t.deferred();
          window.__def[tag] = d;
          return d.promise;
        };
      }
      __t.pollState('pt').answer = () => null;
    });
    await mountTimed(page, 'pd', '#clink-checkout');
    await mountTimed(page, 'pu', '#second');
    await mountTimed(page, 'pr', '#third');
    const el = await page.evaluate(() => { const d = document.createElement('div'); d.id = 'fourth'; document.body.appendChild(d); return true; });
    assert.ok(el);
    await mountTimed(page, 'pt', '#fourth');
    for (const tag of ['pd', 'pu', 'pr']) await waitCalls(page, tag, 1);
    await waitCalls(page, 'pt', 1);
    await page.waitForFunction(() => __t.pollState('pt').calls.every((c) => c.settledAt != null));
    // In flight: destroy pd and pr, unmount pu; pt has only a pending timer.
    await page.evaluate(() => {
      for (const [tag, how] of [['pd', 'destroy'], ['pu', 'unmount'], ['pr', 'destroy'], ['pt', 'destroy']]) {
        __inst[tag][how]();
        __t.destroyed[tag] = true;
      }
      __def.pd.resolve({ state: 'success' });
      __def.pu.resolve({ state: 'success' });
      __def.pr.reject(new Error('late failure'));
    });
    await page.waitForTimeout(500);
    const after = await page.evaluate(() => ({
      events: __events.filter((e) => e.afterDestroy),
      calls: Object.fromEntries(['pd', 'pu', 'pr', 'pt'].map((t) => [t, __t.pollState(t).calls.filter((c) => c.afterDestroy).length])),
    }));
    assert.deepEqual(after.events, [], 'no event after destroy/unmount (late answers ignored)');
    assert.deepEqual(after.calls, { pd: 0, pu: 0, pr: 0, pt: 0 }, 'no pollStatus call after destroy/unmount');
    // Remount pu: polling starts again; the stale 'success' was never applied.
    const before = (await calls(page, 'pu')).length;
    await page.evaluate(() => { __t.destroyed.pu = false; });
    assert.equal((await mountTimed(page, 'pu', '#second')).threw, false);
    await waitCalls(page, 'pu', before + 1);
    await page.waitForTimeout(150);
    assert.deepEqual(await eventsOf(page, 'pu', 'complete'), []);
    assert.deepEqual((await eventsOf(page, 'pu', 'state_change')), []);
    assert.deepEqual(problems.pageErrors, []);
  }));
