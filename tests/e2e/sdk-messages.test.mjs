// README "The checkout frame protocol": only well-formed messages from this instance's iframe window, on the checkoutUrl's
// origin, are acted on. Everything else: no event, no exception.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, createEmbedded, mountIn, eventsOf, eventMark, waitEvent, checkoutFrame, sentinel, VALID_FRAME_MESSAGES as VALID } from '../support/servers.mjs';

const h = await harness();
const T = { timeout: 30000 };


async function mounted(page, tag, sel, opts = {}) {
  const co = h.servers.checkoutOrigin;
  await createEmbedded(page, tag, { base: co, checkoutUrl: `${co}/pay/sess_${tag}`, sessionId: `sess_${tag}`, autoDestroyOnComplete: false, ...opts });
  const m = await mountIn(page, tag, sel);
  assert.equal(m.threw, false, JSON.stringify(m));
  await waitEvent(page, tag, 'ready');
  return checkoutFrame(page, sel);
}

/** Waits until the merchant window itself received `n` more raw messages (so the SDK saw them too). */
async function waitRaw(page, from, n) {
  await page.waitForFunction(([from, n]) => __probe.messages.length - from >= n, [from, n], { timeout: 5000 });
}

/** Asserts that since `mark` tag saw only the sentinel resize, and nothing threw. */
async function onlySentinel(page, tag, mark, height, problems) {
  const ev = await eventsOf(page, tag, null, mark);
  assert.deepEqual(ev.map((e) => [e.type, e.payload]), [['resize', { height }]], 'only the sentinel got through');
  const st = await page.evaluate((tag) => __t.clone(__inst[tag].getState()), tag);
  assert.deepEqual([st.mounted, st.destroyed], [true, false]);
  assert.deepEqual(problems.pageErrors, [], 'no exception');
  assert.deepEqual(problems.consoleErrors, [], 'no console error');
}

test('messages: the right origin but another window (a second checkout-origin iframe, a frame nested in the checkout) is ignored', T, () =>
  h.withPage('/sdk.html', async ({ page, problems }) => {
    const { servers } = h;
    const f = await mounted(page, 'm', '#clink-checkout');
    // A stranger iframe on the checkout origin, in the merchant page.
    await page.evaluate((co) => new Promise((r) => {
      const x = document.createElement('iframe');
      x.id = 'stranger';
      x.src = co + '/checkout.html';
      x.onload = r;
      document.body.appendChild(x);
    }), servers.checkoutOrigin);
    const stranger = await (await page.$('#stranger')).contentFrame();
    await stranger.waitForFunction(() => typeof window.send === 'function');
    // A frame nested inside the SDK's iframe, same checkout origin, posting to the top window.
    await f.evaluate((co) => new Promise((r) => {
      const x = document.createElement('iframe');
      x.id = 'nested';
      x.src = co + '/checkout.html';
      x.onload = r;
      document.body.appendChild(x);
    }), servers.checkoutOrigin);
    const nested = f.childFrames()[0];
    await nested.waitForFunction(() => typeof window.sendTop === 'function');
    const mark = await eventMark(page);
    const raw = await page.evaluate(() => __probe.messages.length);
    await stranger.evaluate((msgs) => msgs.forEach((m) => window.sendRaw(m)), VALID);
    await nested.evaluate((msgs) => msgs.forEach((m) => window.sendTop(m)), VALID);
    await waitRaw(page, raw, VALID.length * 2);
    await sentinel(page, f, 'm', 777, mark);
    await onlySentinel(page, 'm', mark, 777, problems);
    assert.equal(await page.evaluate(() => document.querySelector('#clink-checkout iframe').style.height), '777px');
  }));

test("messages: the instance's own iframe window on another origin (navigated away) is ignored; no second ready when it comes back", T, () =>
  h.withPage('/sdk.html', async ({ page, problems }) => {
    const { servers } = h;
    const f = await mounted(page, 'nav', '#clink-checkout');
    const mark = await eventMark(page);
    await f.evaluate((url) => { location.href = url; }, servers.thirdOrigin + '/checkout.html');
    await f.waitForURL(servers.thirdOrigin + '/checkout.html', { timeout: 5000 });
    await f.waitForFunction(() => typeof window.send === 'function' && document.readyState === 'complete');
    const raw = await page.evaluate(() => __probe.messages.length);
    await f.evaluate((msgs) => msgs.forEach((m) => window.sendRaw(m)), VALID);
    await waitRaw(page, raw, VALID.length);
    assert.ok((await page.evaluate((n) => __probe.messages.slice(-n).map((m) => m.origin), VALID.length)).every((o) => o === servers.thirdOrigin));
    // Back on the checkout origin (the iframe's load fires again: not a second 'ready').
    await f.evaluate((url) => { location.href = url; }, servers.checkoutOrigin + '/checkout.html');
    await f.waitForURL(servers.checkoutOrigin + '/checkout.html', { timeout: 5000 });
    await f.waitForFunction(() => typeof window.send === 'function' && document.readyState === 'complete');
    await page.waitForTimeout(100);
    await sentinel(page, f, 'nav', 778, mark);
    await onlySentinel(page, 'nav', mark, 778, problems);
  }));

test('messages: a third-origin iframe and the merchant page itself (window.postMessage) are ignored', T, () =>
  h.withPage('/sdk.html', async ({ page, problems }) => {
    const { servers } = h;
    const f = await mounted(page, 'o', '#clink-checkout');
    await page.evaluate((u) => new Promise((r) => {
      const x = document.createElement('iframe');
      x.id = 'thirdframe';
      x.src = u + '/checkout.html';
      x.onload = r;
      document.body.appendChild(x);
    }), servers.thirdOrigin);
    const third = await (await page.$('#thirdframe')).contentFrame();
    await third.waitForFunction(() => typeof window.send === 'function');
    const mark = await eventMark(page);
    const raw = await page.evaluate(() => __probe.messages.length);
    await third.evaluate((msgs) => msgs.forEach((m) => window.sendRaw(m)), VALID);
    await page.evaluate((msgs) => msgs.forEach((m) => window.postMessage(m, '*')), VALID);
    await waitRaw(page, raw, VALID.length * 2);
    await sentinel(page, f, 'o', 779, mark);
    await onlySentinel(page, 'o', mark, 779, problems);
  }));

test('messages: malformed shapes from the right frame are ignored without an exception', T, () =>
  h.withPage('/sdk.html', async ({ page, problems }) => {
    const f = await mounted(page, 'mal', '#clink-checkout');
    const mark = await eventMark(page);
    await f.evaluate(() => {
      const S = 'clink-checkout';
      const cyclic = { source: S, type: 'resize', payload: { height: 200 } };
      const bad = [
        null, undefined, 0, 42, true, 'resize', '{"source":"clink-checkout","type":"resize","payload":{"height":300}}',
        [], [S, 'resize', { height: 300 }], {}, { source: S }, { source: S, type: 'resize' },
        { source: S, type: 'resize', payload: null }, { source: S, type: 'resize', payload: [300] },
        { source: S, type: 'resize', payload: 'height=300' }, { source: S, type: 'resize', payload: 300 },
        { source: S, type: 'state_change' }, { source: S, type: 'state_change', payload: null },
        { source: S, type: 'state_change', payload: [] }, { source: S, type: 'state_change', payload: {} },
        { source: S, type: 'state_change', payload: { state: 'done' } }, { source: S, type: 'state_change', payload: { state: 'SUCCESS' } },
        { source: S, type: 'state_change', payload: { state: 5 } }, { source: S, type: 'state_change', payload: { state: null } },
        { source: S, type: 'error', payload: { code: 5, message: 'x' } }, { source: S, type: 'error', payload: { code: 'X', message: {} } },
        { source: S, type: 'error', payload: null },
        { source: S, type: 'hosted_return', payload: { url: 5 } }, { source: S, type: 'hosted_return', payload: { state: 7 } },
        { source: S, type: 'hosted_return', payload: null }, { source: S, type: 'hosted_return', payload: 'x' },
        { source: S, type: 'ready', payload: null }, { source: S, type: 'ready', payload: [] },
        { source: S, type: 'complete', payload: { state: 'success' } }, { source: S, type: 'nope', payload: {} },
        { source: S, type: 'RESIZE', payload: { height: 300 } }, { source: S, type: 5, payload: {} },
        { source: 'clink', type: 'resize', payload: { height: 300 } }, { source: 'other', type: 'state_change', payload: { state: 'success' } },
        { source: 'Clink-Checkout', type: 'resize', payload: { height: 300 } }, { type: 'resize', payload: { height: 300 } },
        { source: null, type: 'resize', payload: { height: 300 } },
        { source: S, type: 'toString', payload: {} }, { source: S, type: '__proto__', payload: {} }, { source: S, type: 'constructor', payload: {} },
      ];
      cyclic.payload.self = cyclic.payload; // a cyclic payload with an invalid height
      cyclic.payload.height = 'x';
      bad.push(cyclic);
      bad.push(new Date(), new Map([['source', S]]), new Uint8Array(4), new Blob(['x']));
      for (const m of bad) window.sendRaw(m);
      window.__sentBad = bad.length;
    });
    await sentinel(page, f, 'mal', 780, mark);
    await onlySentinel(page, 'mal', mark, 780, problems);
  }));

test('messages: heights negative, 0, NaN, Infinity, 20001, strings, null are ignored (no event, style unchanged)', T, () =>
  h.withPage('/sdk.html', async ({ page, problems }) => {
    const f = await mounted(page, 'hgt', '#clink-checkout');
    await sentinel(page, f, 'hgt', 400);
    const mark = await eventMark(page);
    await f.evaluate(() => {
      for (const height of [-1, -500, 0, 0.5, NaN, Infinity, -Infinity, 20001, 1e9, '500', '500px', 'huge', null, true, {}, [500], undefined]) {
        window.send('resize', { height });
      }
      window.send('resize', {});
      window.send('resize', { h: 500 });
    });
    await sentinel(page, f, 'hgt', 401, mark);
    await onlySentinel(page, 'hgt', mark, 401, problems);
  }));

test('messages: two instances on one page never see each other\'s messages', T, () =>
  h.withPage('/sdk.html', async ({ page, problems }) => {
    const fa = await mounted(page, 'A', '#clink-checkout');
    const fb = await mounted(page, 'B', '#second');
    const mark = await eventMark(page);
    await fa.evaluate(() => { window.send('resize', { height: 111 }); window.send('state_change', { state: 'pending' }); window.send('error', { code: 'A_ERR', message: 'a' }); });
    await fb.evaluate(() => { window.send('resize', { height: 222 }); window.send('state_change', { state: 'payment' }); window.send('hosted_return', { state: 'cancelled' }); });
    await sentinel(page, fa, 'A', 1111, mark);
    await sentinel(page, fb, 'B', 2222, mark);
    const a = await eventsOf(page, 'A', null, mark);
    const b = await eventsOf(page, 'B', null, mark);
    assert.deepEqual(a.map((e) => e.type), ['resize', 'state_change', 'error', 'resize']);
    assert.deepEqual(a.map((e) => e.payload.height).filter(Boolean), [111, 1111]);
    assert.equal(a[1].payload.state, 'pending');
    assert.equal(a[2].payload.code, 'A_ERR');
    assert.deepEqual(b.map((e) => e.type), ['resize', 'state_change', 'hosted_return', 'resize']);
    assert.deepEqual(b.map((e) => e.payload.height).filter(Boolean), [222, 2222]);
    assert.equal(b[1].payload.state, 'payment');
    const heights = await page.evaluate(() => [...document.querySelectorAll('iframe')].map((x) => x.style.height));
    assert.deepEqual(heights, ['1111px', '2222px']);
    assert.deepEqual(problems.pageErrors, []);
  }));
