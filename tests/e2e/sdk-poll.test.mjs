// README "initEmbeddedCheckout": pollStatus({ sessionId, orderId, attempt }) timing, answers, failures and stopping.
// Timing is checked by order (the timers the SDK arms, and sentinel page timers), never by wall-clock windows.
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
const mount = (page, tag, sel = '#clink-checkout') => page.evaluate(([t, sel]) => __t.sync(() => __inst[t].mount(sel)), [tag, sel]);

// No wall-clock windows (machines are noisy). The interval is checked twice, by order:
// - what the SDK asks for: page timers are armed through a logging setTimeout, so the log shows
//   which timer each poll came from, the delay it was armed for, and that it was armed after the
//   mount or after the previous answer settled;
// - that the browser fires it then: sentinels (on the unlogged timer) due 10 ms before the
//   SDK's timer, set before it is armed, and 10 ms after, set in a later task. Timers fire in
//   the order of their due times however busy the machine is; the 10 ms spare any doubt about
//   timers the scheduler keeps in different queues.

/** Waits until a page timer of `ms`, set now, fired: every timer the page armed before with a
 *  delay of at most `ms` has fired by then. */
const pageTimer = (page, ms) => page.evaluate((ms) => new Promise((r) => (window.__rawTimeout || setTimeout)(r, ms)), ms);

/** window.__order: the log. Every page timer armed from here is logged as
 *  `timer #k armed for <ms> ms`, and while its callback runs window.__firing is k.
 *  __bracket(label, ms), called just before the SDK arms a timer of `ms`, logs `${label} −10`
 *  10 ms before that timer is due and `${label} +10` 10 ms after. */
const installOrderLog = (page) =>
  page.evaluate(() => {
    window.__order = [];
    const raw = window.setTimeout; // the page's own (the probe's counting wrapper)
    window.__rawTimeout = raw;
    let armed = 0;
    window.setTimeout = function setTimeout(fn, ms, ...args) {
      if (typeof fn !== 'function') return raw(fn, ms, ...args);
      const k = ++armed;
      __order.push(`timer #${k} armed for ${ms} ms`);
      return raw(function (...a) {
        const outer = window.__firing;
        window.__firing = k;
        try {
          return fn.apply(this, a);
        } finally {
          window.__firing = outer;
        }
      }, ms, ...args);
    };
    window.__bracket = (label, ms) => {
      raw(() => __order.push(`${label} −10`), ms - 10);
      raw(() => raw(() => __order.push(`${label} +10`), ms + 10), 0);
    };
  });

/** pollStatus answers of `tag`: logs `poll n from timer #k`; answers null `settleMs` later,
 *  logging `answer n` and bracketing the SDK's next timer (due one interval after it) first. */
const bracketedAnswers = (page, tag, intervalMs, settleMs) =>
  page.evaluate(([tag, intervalMs, settleMs]) => {
    __t.pollState(tag).answer = (ctx, call, n) => {
      __order.push(`poll ${n} from timer #${window.__firing}`);
      return new Promise((settle) =>
        __rawTimeout(() => {
          __bracket(`answer ${n}`, intervalMs);
          __order.push(`answer ${n}`);
          settle(null); // the SDK sees it a microtask later
        }, settleMs),
      );
    };
  }, [tag, intervalMs, settleMs]);

/** Asserts that poll `n` came from a timer armed for `ms` after `after` (the mount, or the
 *  previous answer settling) and fired between `after`'s sentinels. */
function assertPollAfter(order, after, n, ms) {
  const log = JSON.stringify(order);
  const pollAt = order.findIndex((x) => x.startsWith(`poll ${n} from timer #`));
  assert.ok(pollAt >= 0, `poll ${n} happened: ${log}`);
  const k = order[pollAt].slice(`poll ${n} from timer #`.length);
  const armedAt = order.findIndex((x) => x.startsWith(`timer #${k} armed for `));
  assert.equal(order[armedAt], `timer #${k} armed for ${ms} ms`, `poll ${n} came from a timer armed for the interval: ${log}`);
  const afterAt = order.indexOf(after);
  assert.ok(afterAt >= 0 && afterAt < armedAt && armedAt < pollAt, `poll ${n}'s timer was armed after "${after}": ${log}`);
  const early = order.indexOf(`${after} −10`);
  const late = order.indexOf(`${after} +10`);
  assert.ok(early >= 0 && late >= 0, `both sentinels of "${after}" fired: ${log}`);
  assert.ok(early < pollAt && pollAt < late, `poll ${n} fired one interval after "${after}" (±10 ms): ${log}`);
}
const waitOrder = (page, entry, timeout = 8000) =>
  page.waitForFunction((x) => __order.includes(x), entry, { timeout, polling: 20 }).catch(async () => {
    throw new Error(`no ${entry} within ${timeout} ms: ${JSON.stringify(await page.evaluate(() => __order))}`);
  });

test('pollStatus: first call one interval after mount, then one interval after each answer settled; attempt 1, 2, 3; ctx has sessionId and orderId', T, () =>
  h.withPage('/sdk.html', async ({ page }) => {
    await create(page, 'p', { pollIntervalMs: 150, orderId: 'ord_p1', sessionId: 'sess_p1', checkoutUrl: `${co()}/pay/sess_p1%23tok` });
    await installOrderLog(page);
    // Each answer settles 50 ms after its call: a next call timed from the call instead of from
    // the answer would be armed before `answer n` and fire before its `−10` sentinel.
    await bracketedAnswers(page, 'p', 150, 50);
    await pageTimer(page, 3 * 150);
    assert.equal((await calls(page, 'p')).length, 0, 'no polling before mount (3 intervals after init)');
    const m = await page.evaluate(() => {
      __bracket('mount', 150);
      __order.push('mount');
      return __t.sync(() => __inst.p.mount('#clink-checkout'));
    });
    assert.equal(m.threw, false);
    await waitOrder(page, 'answer 2 +10');
    const order = await page.evaluate(() => __order);
    assertPollAfter(order, 'mount', 1, 150);
    assertPollAfter(order, 'answer 1', 2, 150);
    assertPollAfter(order, 'answer 2', 3, 150);
    const c = await calls(page, 'p');
    assert.deepEqual(c.slice(0, 3).map((x) => x.ctx.attempt), [1, 2, 3]);
    for (const x of c.slice(0, 3)) {
      assert.equal(x.ctx.sessionId, 'sess_p1');
      assert.equal(x.ctx.orderId, 'ord_p1');
    }
  }));

test('pollStatus: never two calls at once when an answer is slower than the interval; the next call is due an interval after the answer', T, () =>
  h.withPage('/sdk.html', async ({ page }) => {
    await create(page, 'slow', { pollIntervalMs: 100 });
    await installOrderLog(page);
    await bracketedAnswers(page, 'slow', 100, 350);
    assert.equal((await mount(page, 'slow')).threw, false);
    await waitOrder(page, 'answer 2 +10');
    const order = await page.evaluate(() => __order);
    assertPollAfter(order, 'answer 1', 2, 100);
    assertPollAfter(order, 'answer 2', 3, 100);
    const st = await page.evaluate(() => ({ max: __t.pollState('slow').maxInflight, calls: __t.pollState('slow').calls }));
    assert.equal(st.max, 1, 'at most one pollStatus call in flight');
    assert.ok(st.calls.length >= 3);
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
    await mount(page, 'bad');
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
    await pageTimer(page, 5 * 100);
    assert.equal((await calls(page, 'bad')).length, 12, 'polling stopped after complete (5 intervals later)');
    assert.deepEqual(problems.pageErrors, []);
  }));

test("pollStatus: a terminal answer → state_change + complete (source 'poll') once, auto-destroy, polling stops; the frame's same state is not repeated", T, () =>
  h.withPage('/sdk.html', async ({ page }) => {
    await create(page, 'term', { pollIntervalMs: 150, orderId: 'ord_t' });
    await page.evaluate(() => {
      __t.pollState('term').answer = (ctx, call, n) =>
        n === 1 ? { state: 'pending' } : window.__go ? { state: 'success', payload: { orderId: ctx.orderId, attempt: ctx.attempt } } : null;
    });
    await page.evaluate(() => __inst.term.on('complete', () => { window.__callsAtComplete = __t.pollState('term').calls.length; }));
    await mount(page, 'term');
    await waitEvent(page, 'term', 'ready');
    const f = await checkoutFrame(page, '#clink-checkout');
    await f.evaluate(() => window.send('state_change', { state: 'pending' }));
    await waitCalls(page, 'term', 2);
    await page.evaluate(() => { window.__go = true; });
    await waitEvent(page, 'term', 'complete');
    await pageTimer(page, 4 * 150);
    const sc = (await eventsOf(page, 'term', 'state_change')).map((e) => e.payload);
    assert.deepEqual(sc.map((p) => p.state), ['pending', 'success'], 'pending from frame and poll: one event');
    assert.equal(sc[1].previousState, 'pending');
    const complete = await eventsOf(page, 'term', 'complete');
    assert.equal(complete.length, 1);
    assert.deepEqual([complete[0].payload.state, complete[0].payload.source], ['success', 'poll']);
    const st = await page.evaluate(() => ({ s: __t.clone(__inst.term.getState()), iframes: document.querySelectorAll('iframe').length }));
    assert.deepEqual([st.s.destroyed, st.iframes], [true, 0], 'success from poll auto-destroys');
    const c = await calls(page, 'term');
    assert.equal(c.length, await page.evaluate(() => window.__callsAtComplete), 'no pollStatus call after complete (4 intervals later)');
  }));

test("pollStatus: complete from the frame stops polling", T, () =>
  h.withPage('/sdk.html', async ({ page }) => {
    await create(page, 'fc', { pollIntervalMs: 100, autoDestroyOnComplete: false });
    await page.evaluate(() => { __t.pollState('fc').answer = () => null; });
    await page.evaluate(() => __inst.fc.on('complete', () => { window.__callsAtComplete = __t.pollState('fc').calls.length; }));
    await mount(page, 'fc');
    await waitCalls(page, 'fc', 2);
    const f = await checkoutFrame(page, '#clink-checkout');
    await f.evaluate(() => window.send('state_change', { state: 'expired' }));
    await waitEvent(page, 'fc', 'complete');
    await pageTimer(page, 5 * 100);
    const complete = await eventsOf(page, 'fc', 'complete');
    assert.equal(complete.length, 1);
    assert.deepEqual([complete[0].payload.state, complete[0].payload.source], ['expired', 'checkout']);
    assert.equal((await calls(page, 'fc')).length, await page.evaluate(() => window.__callsAtComplete), 'no pollStatus call after complete (5 intervals later)');
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
    await mount(page, 'pd', '#clink-checkout');
    await mount(page, 'pu', '#second');
    await mount(page, 'pr', '#third');
    const el = await page.evaluate(() => { const d = document.createElement('div'); d.id = 'fourth'; document.body.appendChild(d); return true; });
    assert.ok(el);
    await mount(page, 'pt', '#fourth');
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
    await pageTimer(page, 5 * 100);
    const after = await page.evaluate(() => ({
      events: __events.filter((e) => e.afterDestroy),
      calls: Object.fromEntries(['pd', 'pu', 'pr', 'pt'].map((t) => [t, __t.pollState(t).calls.filter((c) => c.afterDestroy).length])),
    }));
    assert.deepEqual(after.events, [], 'no event after destroy/unmount (late answers ignored)');
    assert.deepEqual(after.calls, { pd: 0, pu: 0, pr: 0, pt: 0 }, 'no pollStatus call after destroy/unmount');
    // Remount pu: polling starts again; the stale 'success' was never applied.
    const before = (await calls(page, 'pu')).length;
    await page.evaluate(() => { __t.destroyed.pu = false; });
    assert.equal((await mount(page, 'pu', '#second')).threw, false);
    await waitCalls(page, 'pu', before + 1);
    await pageTimer(page, 2 * 100);
    assert.deepEqual(await eventsOf(page, 'pu', 'complete'), []);
    assert.deepEqual((await eventsOf(page, 'pu', 'state_change')), []);
    assert.deepEqual(problems.pageErrors, []);
  }));
