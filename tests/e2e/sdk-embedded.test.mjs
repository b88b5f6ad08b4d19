// README "initEmbeddedCheckout" and "The checkout frame protocol": embedded checkout, the iframe on the checkout origin, and its events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, createEmbedded, mountIn, eventsOf, eventMark, waitEvent, checkoutFrame, sentinel } from '../support/servers.mjs';

const h = await harness();
const T = { timeout: 30000 };

/** Creates `tag` (checkoutUrl on the test checkout origin), mounts it in `sel`, returns its frame after 'ready'. */
async function mounted(page, tag, sel, opts = {}) {
  const co = h.servers.checkoutOrigin;
  await createEmbedded(page, tag, { base: co, checkoutUrl: `${co}/pay/${opts.session || 'sess_' + tag}`, sessionId: opts.session || 'sess_' + tag, ...opts });
  const m = await mountIn(page, tag, sel);
  assert.equal(m.threw, false, `mount: ${JSON.stringify(m)}`);
  await waitEvent(page, tag, 'ready');
  return checkoutFrame(page, sel);
}

test("embedded: Clink's Embedded Checkout example runs unchanged (fetchSession, onEvent, pollStatus, mount('#clink-checkout'))", { timeout: 30000 }, () =>
  h.withPage('/doc-embedded.html', { waitFor: 'window.__embedded' }, async ({ page, problems }) => {
    const { servers } = h;
    const logged = (type) => problems.console.filter((c) => c.type === 'log' && c.text.startsWith(type + ' '));
    const iframe = await page.waitForSelector('#clink-checkout iframe', { state: 'attached' });
    assert.equal(await iframe.getAttribute('src'), `${servers.checkoutOrigin}/pay/sess_xxx%23token_xxx`);
    await page.waitForFunction(() => true); // let console events arrive
    const waitLog = async (type, ms = 5000) => {
      const t0 = Date.now();
      while (!logged(type).length) {
        if (Date.now() - t0 > ms) throw new Error(`no console.log('${type}', …) within ${ms} ms; console: ${JSON.stringify(problems.console.map((c) => c.text))}`);
        await page.waitForTimeout(50);
      }
      await problems.settled();
      return logged(type);
    };
    const ready = await waitLog('ready');
    assert.deepEqual(ready[0].args, ['ready', {}]);
    const frame = await checkoutFrame(page, '#clink-checkout');
    await frame.evaluate(() => window.send('resize', { height: 640 }));
    const resize = await waitLog('resize');
    assert.deepEqual(resize[0].args, ['resize', { height: 640 }]);
    assert.equal(await iframe.evaluate((el) => el.style.height), '640px');
    // pollStatus runs every 2000 ms (default) against the merchant's status endpoint.
    await page.waitForFunction(() => true);
    const t0 = Date.now();
    while (!servers.requests.some((r) => r.path === '/api/clink/checkout-status')) {
      if (Date.now() - t0 > 4000) throw new Error('pollStatus never fetched /api/clink/checkout-status');
      await page.waitForTimeout(50);
    }
    const statusReq = servers.requests.find((r) => r.path === '/api/clink/checkout-status');
    assert.deepEqual(statusReq.query, { sessionId: 'sess_xxx' });
    servers.setMerchantStatus('success');
    const complete = await waitLog('complete', 5000);
    assert.equal(complete.length, 1);
    assert.equal(complete[0].args[1].state, 'success');
    assert.equal(complete[0].args[1].source, 'poll');
    const sc = logged('state_change').map((c) => c.args[1]);
    assert.ok(sc.some((p) => p.state === 'success'), `state_change success: ${JSON.stringify(sc)}`);
    // autoDestroyOnComplete (default): the iframe is gone and the instance is destroyed.
    await page.waitForFunction(() => !document.querySelector('#clink-checkout iframe'), null, { timeout: 2000 });
    assert.deepEqual(await page.evaluate(() => window.__embedded.getState()).then((s) => [s.mounted, s.destroyed]), [false, true]);
    assert.equal(servers.requests.filter((r) => r.path === '/api/clink/checkout-session').length, 1, 'fetchSession ran once');
    assert.deepEqual(problems.pageErrors, []);
  }));

test('embedded: one iframe appended: src exactly the checkoutUrl (query and fragment kept), title, allow="payment *; publickey-credentials-get *" (docs/embedded-checkout.md), full width, no border', T, () =>
  h.withPage('/sdk.html', async ({ page }) => {
    const { servers } = h;
    const co = servers.checkoutOrigin;
    const url = `${co}/pay/sess_attr1%23tok_1?lang=en&x=a%20b&y=%2F#section-2`;
    const mark = servers.requests.length;
    await createEmbedded(page, 'a', { base: co, checkoutUrl: url, sessionId: 'sess_attr1' });
    await page.evaluate(() => {
      const c = document.querySelector('#clink-checkout');
      c.style.width = '640px';
      c.innerHTML = '<p id="keep">merchant content</p>';
    });
    const m = await mountIn(page, 'a', '#clink-checkout');
    assert.equal(m.threw, false);
    const r = await page.evaluate(() => {
      const c = document.querySelector('#clink-checkout');
      const f = c.querySelectorAll('iframe');
      const el = f[0];
      const cs = el && getComputedStyle(el);
      return {
        count: f.length,
        total: document.querySelectorAll('iframe').length,
        kept: !!document.getElementById('keep'),
        last: c.lastElementChild === el,
        src: el && el.getAttribute('src'),
        title: el && el.getAttribute('title'),
        allow: el && el.getAttribute('allow'),
        width: el && Math.round(el.getBoundingClientRect().width),
        border: cs && [cs.borderTopStyle, cs.borderTopWidth, cs.borderLeftWidth, cs.borderRightWidth, cs.borderBottomWidth],
      };
    });
    assert.equal(r.count, 1);
    assert.equal(r.total, 1);
    assert.equal(r.kept, true, 'existing container content is kept');
    assert.equal(r.last, true, 'the iframe is appended');
    assert.equal(r.src, url, 'src is the checkoutUrl as given');
    assert.ok(typeof r.title === 'string' && r.title.trim().length > 0, `title: ${r.title}`);
    assert.equal(r.allow, 'payment *; publickey-credentials-get *');
    assert.equal(r.width, 640, 'full width of the container');
    assert.ok(r.border[0] === 'none' || r.border.slice(1).every((w) => w === '0px'), `no border: ${r.border}`);
    await waitEvent(page, 'a', 'ready');
    const hit = servers.requests.slice(mark).find((x) => x.server === 'checkout' && x.path.startsWith('/pay/'));
    assert.equal(hit.url, '/pay/sess_attr1%23tok_1?lang=en&x=a%20b&y=%2F');
    const frame = await checkoutFrame(page, '#clink-checkout');
    assert.equal(frame.url(), url);
    // An HTMLElement works as the container too.
    await createEmbedded(page, 'b', { base: co, checkoutUrl: `${co}/pay/sess_attr2`, sessionId: 'sess_attr2' });
    const m2 = await page.evaluate(() => __t.sync(() => __inst.b.mount(document.getElementById('second'))));
    assert.equal(m2.threw, false);
    assert.equal(await page.evaluate(() => document.querySelectorAll('#second iframe').length), 1);
  }));

test('embedded: ready comes once per mount (frame ready message and iframe load) and again after unmount + mount', T, () =>
  h.withPage('/sdk.html', async ({ page }) => {
    const co = h.servers.checkoutOrigin;
    // ?autoready: the stub posts 'ready' while loading, before the iframe's load event.
    await createEmbedded(page, 'r', { base: co, checkoutUrl: `${co}/pay/sess_ready1?autoready=1`, sessionId: 'sess_ready1' });
    await mountIn(page, 'r', '#clink-checkout');
    await waitEvent(page, 'r', 'ready');
    const frame = await checkoutFrame(page, '#clink-checkout');
    await frame.evaluate(() => { window.send('ready', {}); window.send('ready', {}); });
    await sentinel(page, frame, 'r', 111);
    await page.waitForTimeout(200);
    const readies = await eventsOf(page, 'r', 'ready');
    assert.equal(readies.length, 1, 'one ready per mount');
    assert.deepEqual(readies[0].payload, {});
    assert.deepEqual(readies[0].keys, ['payload', 'type'], 'events are { type, payload }');
    await page.evaluate(() => __inst.r.unmount());
    assert.equal(await page.evaluate(() => document.querySelectorAll('iframe').length), 0);
    await mountIn(page, 'r', '#clink-checkout');
    await waitEvent(page, 'r', 'ready', { count: 2 });
    const frame2 = await checkoutFrame(page, '#clink-checkout');
    await sentinel(page, frame2, 'r', 222);
    assert.equal((await eventsOf(page, 'r', 'ready')).length, 2, 'one more ready for the second mount');
  }));

test('embedded: resize sets style.height with autoResize (default) and not with autoResize: false; 1 and 20000 are valid', T, () =>
  h.withPage('/sdk.html', async ({ page }) => {
    const fa = await mounted(page, 'auto', '#clink-checkout');
    const fb = await mounted(page, 'manual', '#second', { autoResize: false });
    const height = (sel) => page.evaluate((s) => document.querySelector(`${s} iframe`).style.height, sel);
    await sentinel(page, fa, 'auto', 500);
    assert.equal(await height('#clink-checkout'), '500px');
    await sentinel(page, fa, 'auto', 1);
    assert.equal(await height('#clink-checkout'), '1px');
    await sentinel(page, fa, 'auto', 20000);
    assert.equal(await height('#clink-checkout'), '20000px');
    const ev = await eventsOf(page, 'auto', 'resize');
    assert.deepEqual(ev.map((e) => e.payload), [{ height: 500 }, { height: 1 }, { height: 20000 }]);
    const before = await height('#second');
    await sentinel(page, fb, 'manual', 500);
    assert.deepEqual((await eventsOf(page, 'manual', 'resize')).map((e) => e.payload), [{ height: 500 }]);
    assert.equal(await height('#second'), before, 'autoResize: false leaves style.height alone');
    assert.equal(before, '');
  }));

test('embedded: state_change carries state + previousState (+ extra fields); a report of the current state is dropped, a retried payment is announced', T, () =>
  h.withPage('/sdk.html', async ({ page }) => {
    const f = await mounted(page, 's', '#clink-checkout', { autoDestroyOnComplete: false });
    await f.evaluate(() => {
      window.send('state_change', { state: 'pending', foo: 'bar' });
      window.send('state_change', { state: 'pending' });
      window.send('state_change', { state: 'pending', again: true });
      window.send('state_change', { state: 'payment' });
      window.send('state_change', { state: 'payment' });
      window.send('state_change', { state: 'pending' });
      window.send('state_change', { state: 'success' });
    });
    await waitEvent(page, 's', 'complete');
    const sc = await eventsOf(page, 's', 'state_change');
    assert.deepEqual(
      sc.map((e) => [e.payload.previousState, e.payload.state]),
      [[null, 'pending'], ['pending', 'payment'], ['payment', 'pending'], ['pending', 'success']],
      `state_change events: ${JSON.stringify(sc.map((e) => e.payload))}`,
    );
    assert.equal(sc[0].payload.foo, 'bar', 'extra fields pass through');
    assert.equal(sc[1].payload.again, undefined, 'a dropped report adds nothing');
    assert.equal((await eventsOf(page, 's', 'complete')).length, 1);
  }));

test('embedded: success from the frame → complete once (source checkout); autoDestroyOnComplete destroys right after the complete handlers ran', T, () =>
  h.withPage('/sdk.html', async ({ page, problems }) => {
    const f = await mounted(page, 'c', '#clink-checkout');
    await page.evaluate(() => {
      window.__seenInComplete = [];
      __inst.c.on('complete', (ev) => {
        window.__seenInComplete.push({ payload: __t.clone(ev.payload), state: __t.clone(__inst.c.getState()), iframe: !!document.querySelector('#clink-checkout iframe') });
      });
    });
    await f.evaluate(() => {
      window.send('state_change', { state: 'pending' });
      window.send('state_change', { state: 'success' });
      window.send('state_change', { state: 'success' });
    });
    await waitEvent(page, 'c', 'complete');
    await page.waitForTimeout(300);
    const complete = await eventsOf(page, 'c', 'complete');
    assert.equal(complete.length, 1);
    assert.equal(complete[0].payload.state, 'success');
    assert.equal(complete[0].payload.source, 'checkout');
    const sc = (await eventsOf(page, 'c', 'state_change')).map((e) => e.payload);
    assert.deepEqual(sc.map((p) => p.state), ['pending', 'success']);
    assert.equal(sc[1].previousState, 'pending');
    const seen = await page.evaluate(() => window.__seenInComplete);
    assert.equal(seen.length, 1, 'on(complete) handler ran once');
    assert.equal(seen[0].state.destroyed, false, 'not yet destroyed while complete handlers run');
    assert.equal(seen[0].iframe, true);
    const after = await page.evaluate(() => ({
      state: __t.clone(__inst.c.getState()),
      iframes: document.querySelectorAll('iframe').length,
      mount: __t.sync(() => __inst.c.mount('#clink-checkout')),
      on: __t.sync(() => __inst.c.on('ready', () => {})),
    }));
    assert.equal(after.state.destroyed, true);
    assert.equal(after.state.mounted, false);
    assert.equal(after.iframes, 0, 'iframe removed');
    assert.equal(after.mount.threw, true);
    assert.equal(after.mount.error.code, 'EMBEDDED_CHECKOUT_DESTROYED');
    assert.equal(after.on.error && after.on.error.code, 'EMBEDDED_CHECKOUT_DESTROYED');
    assert.deepEqual(problems.pageErrors, []);
  }));

test('embedded: autoDestroyOnComplete: false keeps the instance; cancelled never auto-destroys; complete fires once per instance', T, () =>
  h.withPage('/sdk.html', async ({ page }) => {
    const fa = await mounted(page, 'keep', '#clink-checkout', { autoDestroyOnComplete: false });
    const fb = await mounted(page, 'cancel', '#second');
    await fa.evaluate(() => window.send('state_change', { state: 'success' }));
    await fb.evaluate(() => window.send('state_change', { state: 'cancelled' }));
    await waitEvent(page, 'keep', 'complete');
    await waitEvent(page, 'cancel', 'complete');
    await fa.evaluate(() => { window.send('state_change', { state: 'error' }); window.send('state_change', { state: 'expired' }); });
    await sentinel(page, fa, 'keep', 444);
    await sentinel(page, fb, 'cancel', 555);
    const keep = await eventsOf(page, 'keep', 'complete');
    assert.equal(keep.length, 1, 'complete once per instance');
    assert.deepEqual([keep[0].payload.state, keep[0].payload.source], ['success', 'checkout']);
    const cancel = await eventsOf(page, 'cancel', 'complete');
    assert.deepEqual([cancel.length, cancel[0].payload.state, cancel[0].payload.source], [1, 'cancelled', 'checkout']);
    const st = await page.evaluate(() => [__t.clone(__inst.keep.getState()), __t.clone(__inst.cancel.getState()), document.querySelectorAll('iframe').length]);
    assert.deepEqual([st[0].mounted, st[0].destroyed], [true, false]);
    assert.deepEqual([st[1].mounted, st[1].destroyed], [true, false], 'a cancelled completion is not auto-destroyed');
    assert.equal(st[2], 2);
  }));

test('embedded: hosted_return and error events from the frame carry their payloads; error is not terminal', T, () =>
  h.withPage('/sdk.html', async ({ page }) => {
    const f = await mounted(page, 'hr', '#clink-checkout', { autoDestroyOnComplete: false });
    await f.evaluate(() => {
      window.send('error', { code: 'CARD_DECLINED', message: 'Your card was declined.' });
      window.send('hosted_return', { state: 'cancelled', url: 'https://shop.example/cancel?sessionId=sess_1' });
      window.send('hosted_return', {});
    });
    await sentinel(page, f, 'hr', 600);
    const err = await eventsOf(page, 'hr', 'error');
    assert.equal(err.length, 1);
    assert.equal(err[0].payload.code, 'CARD_DECLINED');
    assert.equal(err[0].payload.message, 'Your card was declined.');
    const hr = await eventsOf(page, 'hr', 'hosted_return');
    assert.equal(hr.length, 2);
    assert.equal(hr[0].payload.state, 'cancelled');
    assert.equal(hr[0].payload.url, 'https://shop.example/cancel?sessionId=sess_1');
    assert.equal(hr[1].payload.state, undefined);
    assert.equal(hr[1].payload.url, undefined);
    const st = await page.evaluate(() => __t.clone(__inst.hr.getState()));
    assert.deepEqual([st.mounted, st.destroyed], [true, false], 'an error event is not terminal');
    // A hosted success page handing control back.
    await f.evaluate(() => window.send('hosted_return', { state: 'success', url: 'https://shop.example/ok?sessionId=sess_1' }));
    await waitEvent(page, 'hr', 'hosted_return', { count: 3 });
    const last = (await eventsOf(page, 'hr', 'hosted_return'))[2];
    assert.deepEqual([last.payload.state, last.payload.url], ['success', 'https://shop.example/ok?sessionId=sess_1']);
  }));

test('embedded: a throwing handler is reported with console.error; other handlers and the SDK keep going; on() unsubscribes', T, () =>
  h.withPage('/sdk.html', async ({ page, problems }) => {
    const co = h.servers.checkoutOrigin;
    await page.evaluate(async (co) => {
      const clink = await sdk.loadClink('pk_test_throw', { checkoutBaseUrl: co });
      window.__calls = { onEvent: 0, a: 0, b: 0, c: 0, unsubscribed: 0 };
      const e = await clink.initEmbeddedCheckout({
        fetchSession: async () => ({ sessionId: 'sess_throw1', checkoutUrl: co + '/pay/sess_throw1' }),
        onEvent: (ev) => {
          __t.recorder('t')(ev);
          if (ev.type === 'resize') { __calls.onEvent++; throw new Error('onEvent handler bug'); }
        },
      });
      window.__inst.t = e;
      e.on('resize', () => { __calls.a++; throw new Error('handler a bug'); });
      e.on('resize', () => { __calls.b++; });
      const off = e.on('resize', () => { __calls.unsubscribed++; });
      window.__off = off;
      e.on('resize', () => { __calls.c++; throw 'a string thrown'; });
      e.mount('#clink-checkout');
    }, co);
    await waitEvent(page, 't', 'ready');
    const f = await checkoutFrame(page, '#clink-checkout');
    await sentinel(page, f, 't', 300);
    await page.waitForFunction(() => __calls.b === 1 && __calls.c === 1 && __calls.a === 1, null, { timeout: 2000 });
    assert.equal(await page.evaluate(() => typeof window.__off), 'function', 'on() returns a function');
    await page.evaluate(() => window.__off());
    await sentinel(page, f, 't', 400);
    await page.waitForFunction(() => __calls.b === 2, null, { timeout: 2000 });
    const calls = await page.evaluate(() => window.__calls);
    assert.deepEqual(calls, { onEvent: 2, a: 2, b: 2, c: 2, unsubscribed: 1 });
    await page.waitForTimeout(100);
    assert.ok(problems.consoleErrors.length >= 6, `console.error per throwing handler call: ${JSON.stringify(problems.consoleErrors)}`);
    assert.deepEqual(problems.pageErrors, [], 'nothing escapes as an uncaught error');
  }));
