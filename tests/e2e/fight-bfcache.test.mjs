// docs/embedded-checkout.md, "The back/forward cache": a page restored from bfcache while a
// checkout is mounted and not complete calls pollStatus at once; never two calls at once; nothing
// announced twice; nothing after complete, unmount or destroy. Real restores in Chromium: the
// test navigates away and calls history.back(), and asserts that the same document came back
// (a `pageshow` with `persisted` seen by a listener of the page before it left). Playwright turns
// Chromium's bfcache off by default (--disable-back-forward-cache); this browser keeps it on.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { CHROMIUM } from '../support/browser.mjs';
import { startTestServers, createEmbedded, mountIn, eventsOf, waitEvent } from '../support/servers.mjs';

const T = { timeout: 60000 };
let servers, browser;
before(async () => {
  servers = await startTestServers();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    ignoreDefaultArgs: ['--disable-back-forward-cache'],
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
after(async () => {
  await browser?.close().catch(() => {});
  await servers?.close();
});

/** A fresh page on /sdk.html (no request routing: interception can keep a page out of bfcache). */
async function withPage(fn) {
  servers.setMerchantStatus('pending');
  const context = await browser.newContext();
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  try {
    await page.goto(servers.merchantOrigin + '/sdk.html');
    await page.waitForFunction(() => window.sdk);
    return await fn(page, pageErrors);
  } finally {
    await context.close().catch(() => {});
  }
}

/** Creates `tag` with a pollStatus the test controls, mounts it, waits for ready. */
async function mounted(page, tag, pollIntervalMs, container = '#clink-checkout', withPoll = true) {
  const co = servers.checkoutOrigin;
  await createEmbedded(page, tag, { base: co, checkoutUrl: `${co}/pay/sess_${tag}`, sessionId: `sess_${tag}`, withPoll, pollIntervalMs });
  const m = await mountIn(page, tag, container);
  assert.equal(m.threw, false, JSON.stringify(m));
  await waitEvent(page, tag, 'ready');
}

/**
 * Leaves for another page and comes back with history.back(); fails unless the same document was
 * restored from bfcache. Answers what the page's own pageshow listener (added now, after the
 * SDK's) saw at the restore: the pollStatus calls of `tag` so far.
 */
async function awayAndBack(page, tag) {
  await page.evaluate((tag) => {
    window.__restores = [];
    addEventListener('pageshow', (e) => {
      if (e.persisted) __restores.push({ calls: __t.pollState(tag).calls.length, inflight: __t.pollState(tag).inflight });
    });
  }, tag);
  await page.goto(servers.merchantOrigin + '/blank.html');
  await page.evaluate(() => history.back());
  try {
    await page.waitForFunction(() => Array.isArray(window.__restores) && __restores.length === 1, null, { timeout: 10000, polling: 20 });
  } catch {
    const why = await page.evaluate(() => JSON.stringify(performance.getEntriesByType('navigation')[0]?.notRestoredReasons ?? null)).catch((e) => String(e));
    throw new Error(`the page was not restored from the back/forward cache; notRestoredReasons: ${why}`);
  }
  return page.evaluate(() => __restores[0]);
}

test('bfcache: a restore while pending polls at once (attempt 1, long before the interval), and the outcome is announced once', T, () =>
  withPage(async (page, pageErrors) => {
    // A minute's interval: any poll during this test is the restore's.
    await mounted(page, 'a', 60000);
    const frame = page.frames().find((f) => f.url().startsWith(servers.checkoutOrigin));
    await frame.evaluate(() => window.send('state_change', { state: 'pending' }));
    await waitEvent(page, 'a', 'state_change');
    // The payment finishes while the buyer is away.
    await page.evaluate(() => (__t.pollState('a').answer = () => ({ state: 'success', payload: { paid: true } })));
    const atRestore = await awayAndBack(page, 'a');
    assert.equal(atRestore.calls, 1, 'the SDK called pollStatus from its own pageshow listener, before the page’s');
    await waitEvent(page, 'a', 'complete');
    const poll = await page.evaluate(() => ({ calls: __t.pollState('a').calls.map((c) => c.ctx), max: __t.pollState('a').maxInflight }));
    assert.deepEqual(poll, { calls: [{ sessionId: 'sess_a', orderId: undefined, attempt: 1 }].map((c) => JSON.parse(JSON.stringify(c))), max: 1 });
    const events = await eventsOf(page, 'a');
    assert.deepEqual(events.map((e) => [e.type, e.payload.state ?? null]), [['ready', null], ['state_change', 'pending'], ['state_change', 'success'], ['complete', 'success']]);
    assert.equal(events.at(-1).payload.source, 'poll');
    assert.equal(events.at(-1).payload.paid, true);
    assert.deepEqual(await page.evaluate(() => __inst.a.getState()), { mounted: false, destroyed: true, state: 'success' }, 'autoDestroyOnComplete');
    assert.deepEqual(pageErrors, []);
  }));

test('bfcache: a restore while a pollStatus call is out starts no second one; its answer is applied once', T, () =>
  withPage(async (page) => {
    // The first call hangs until the test answers it.
    await page.evaluate(() => {
      window.__answer = __t.deferred();
      __t.pollState('a').answer = () => __answer.promise;
    });
    await mounted(page, 'a', 100);
    await page.waitForFunction(() => __t.pollState('a').calls.length === 1, null, { polling: 20 });
    const atRestore = await awayAndBack(page, 'a');
    assert.deepEqual(atRestore, { calls: 1, inflight: 1 }, 'no second call at the restore');
    await page.evaluate(() => __answer.resolve({ state: 'cancelled' }));
    await waitEvent(page, 'a', 'complete');
    const poll = await page.evaluate(() => ({ calls: __t.pollState('a').calls.length, max: __t.pollState('a').maxInflight }));
    assert.deepEqual(poll, { calls: 1, max: 1 }, 'complete: polling stopped');
    assert.deepEqual((await eventsOf(page, 'a', 'complete')).map((e) => e.payload.state), ['cancelled']);
  }));

test('bfcache: nothing is polled at a restore after complete, after unmount, after destroy, or without pollStatus', T, () =>
  withPage(async (page) => {
    await page.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<div id="fourth"></div>'));
    await mounted(page, 'done', 60000, '#clink-checkout');
    await mounted(page, 'gone', 60000, '#second');
    await mounted(page, 'dead', 60000, '#third');
    await mounted(page, 'plain', 60000, '#fourth', false);
    // 'done' completes from its frame ('expired': no autoDestroy, so it stays mounted).
    const frame = page.frames().find((f) => f.url().endsWith('/pay/sess_done'));
    await frame.evaluate(() => window.send('state_change', { state: 'expired' }));
    await waitEvent(page, 'done', 'complete');
    await page.evaluate(() => {
      __inst.gone.unmount();
      __inst.dead.destroy();
    });
    assert.equal((await page.evaluate(() => __inst.done.getState())).mounted, true);
    await awayAndBack(page, 'done');
    const calls = await page.evaluate(() => Object.fromEntries(['done', 'gone', 'dead'].map((t) => [t, __t.pollState(t).calls.length])));
    assert.deepEqual(calls, { done: 0, gone: 0, dead: 0 });
    assert.deepEqual((await eventsOf(page, 'plain')).map((e) => e.type), ['ready'], 'without pollStatus, a restore changes nothing');
  }));
