// The merchant demo's one-time loop in Chromium, across two origins: the buyer clicks Buy (only
// then does the shop create its order and a Clink session, with the server SDK), types a test card
// in the hosted checkout, the local Clink sends signed webhooks, the shop verifies them and its
// order follows: paid, declined then paid, failed, cancelled, expired. Its pages say "paid" only
// once session.completed is in.
//
//   node --test tests/demo/loop.test.mjs        (needs pkg/: bash scripts/build.sh)
//
// Screenshots (desktop 1280, phone 390) go to test-artifacts/screens/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServers } from '../../www/demo/server.mjs';
import { launchBrowser } from '../support/browser.mjs';
import {
  CARD_DECLINED, CARD_OK, PHONE, STEP, assertNoProblems, checkoutFrame, eventually, get, inspectorData, logEntries,
  openDemo, payWithCard, requirePkg, sessionOf, shopClient, shot, startCheckout, waitForLog,
} from './support.mjs';

const TEST = { timeout: 60_000 };
const CARD_ERROR = '4000 0000 0000 0119';

describe('merchant demo: the one-time loop', () => {
  let servers;
  let browser;

  before(async () => {
    requirePkg();
    servers = await startServers({ merchantPort: 0, clinkPort: 0, quiet: true, webhookRetryBaseMs: 200 });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await servers?.close();
  });

  const order = async (id) => (await get(`${servers.merchantUrl}/api/orders/${encodeURIComponent(id)}`)).json();
  const orderStatus = async (id) => (await order(id)).status;
  const shopRow = (page, id, status) => page.waitForSelector(`#order-list [data-order-id="${id}"][data-status="${status}"]`);

  test('a page view creates no order and no Clink session: the click does', TEST, async () => {
    const before = (await inspectorData(servers.clinkUrl)).totals.sessions;
    const { context, page, problems } = await openDemo(browser, servers.merchantUrl);
    try {
      await page.reload();
      await page.waitForSelector('#sdk-status[data-state="ready"]');
      assert.equal((await inspectorData(servers.clinkUrl)).totals.sessions, before, 'no session per page view');
      assert.equal(await page.locator('#order-list .order-row').count(), 0, 'no order per page view');
      assert.equal(await page.locator('#clink-checkout iframe').count(), 0);
      await shot(page, 'shop-desktop');
      const checkout = await startCheckout(page, 'lamp');
      assert.equal((await inspectorData(servers.clinkUrl)).totals.sessions, before + 1, 'one session, on the click');
      const session = await sessionOf(page, checkout);
      await shopRow(page, session.orderId, 'awaiting_payment');
      assertNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  for (const [label, viewport, isMobile] of [['desktop', undefined, false], ['phone', PHONE, true]]) {
    test(`embedded (${label}): Buy, card 4242 → session.completed webhook → order paid; "waiting" until then`, TEST, async () => {
      const { context, page, problems } = await openDemo(browser, servers.merchantUrl, { viewport, isMobile });
      try {
        const checkout = await startCheckout(page, 'lamp');
        const session = await sessionOf(page, checkout);
        assert.match(session.orderId, /^DS-/, 'the shop\'s own order id');
        assert.equal(await orderStatus(session.orderId), 'awaiting_payment');
        await page.locator('#checkout-box').scrollIntoViewIfNeeded();
        await shot(page, `shop-lamp-checkout-${label}`);

        const release = servers.holdWebhooks(); // the shop's receiver is slow: confirmation not in yet
        try {
          await payWithCard(checkoutFrame(page), CARD_OK);
          await waitForLog(page, { type: 'complete', checkout, state: 'success' });
          await page.waitForSelector('#embedded-result[data-tone="waiting"]');
          assert.match(await page.textContent('#embedded-result-text'), /Waiting for confirmation/);
          assert.notEqual(await orderStatus(session.orderId), 'paid', 'the browser event did not pay the order');
        } finally {
          release();
        }
        await page.waitForSelector('#embedded-result[data-tone="paid"]');
        assert.match(await page.textContent('#embedded-result-text'), /Paid/);
        await shopRow(page, session.orderId, 'paid');
        const record = await order(session.orderId);
        assert.equal(record.status, 'paid');
        assert.equal(record.sessionId, session.sessionId);
        assert.ok(record.events.some((e) => e.type === 'session.completed' && /^evt_/.test(e.id)), JSON.stringify(record.events));
        await shot(page, `shop-lamp-paid-${label}`);
        if (label === 'phone') {
          // The page a buyer scrolls: the event log is folded, and the page is not a wall of JSON.
          assert.equal(await page.$eval('#log-details', (d) => d.open), false, 'the event log starts folded');
          const height = await page.evaluate(() => document.documentElement.scrollHeight);
          assert.ok(height < 2000, `phone page height ${height}px`);
          assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= PHONE.width);
        }
        assertNoProblems(problems);
      } finally {
        await context.close();
      }
    });
  }

  test('redirect: pay on the hosted page; /success says "Waiting for confirmation", then "Paid" once the webhook is in', TEST, async () => {
    const { context, page, problems } = await openDemo(browser, servers.merchantUrl);
    try {
      await page.click('#redirect-button');
      await page.waitForURL((url) => url.href.startsWith(`${servers.clinkUrl}/pay/`));
      const param = decodeURIComponent(new URL(page.url()).pathname.slice('/pay/'.length));
      assert.match(param, /^sess_[A-Za-z0-9_-]+#/, 'the SDK went to /pay/{encodeURIComponent(sessionParam)}');

      const release = servers.holdWebhooks();
      let orderId;
      try {
        await payWithCard(page, CARD_OK);
        await page.waitForURL((url) => url.href.startsWith(`${servers.merchantUrl}/success?`), { timeout: STEP * 2 });
        orderId = new URL(page.url()).searchParams.get('order');
        assert.match(orderId, /^DS-/);
        assert.notEqual(await page.getAttribute('#order-status', 'data-status'), 'paid');
        assert.match(await page.textContent('h1'), /Waiting for confirmation/);
        await shot(page, 'return-waiting-desktop');
        await page.setViewportSize(PHONE);
        await shot(page, 'return-waiting-phone');
        await page.setViewportSize({ width: 1280, height: 900 });
      } finally {
        release();
      }
      // The page refreshes itself until the record changes.
      await page.waitForSelector('#order-status[data-status="paid"]', { timeout: STEP * 2 });
      assert.match(await page.textContent('h1'), /paid/);
      assert.equal(await orderStatus(orderId), 'paid');
      await shot(page, 'return-paid-desktop');
      await page.setViewportSize(PHONE);
      await shot(page, 'return-paid-phone');
      assertNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  test('redirect: a paid-looking URL does not make an order paid', TEST, async () => {
    // Someone types /success?order=… (or Clink's redirect arrives before its webhook): the page
    // goes by the shop's record.
    const created = await (await shopClient(servers.merchantUrl).post('/api/clink/checkout-session', { item: 'lamp' })).json();
    const page = await (await get(`${servers.merchantUrl}/success?order=${created.orderId}&sessionId=${created.sessionId}&state=success&paid=true`)).text();
    assert.match(page, /Waiting for confirmation/);
    assert.doesNotMatch(page, /your order is paid/);
    assert.equal((await get(`${servers.merchantUrl}/success?order=DS-000000000000`)).status, 404);
    assert.equal(await orderStatus(created.orderId), 'awaiting_payment');
  });

  test('a refund Clink makes (the local Clink\'s test control) reaches the shop\'s order and its return page by webhook', TEST, async () => {
    const buyer = shopClient(servers.merchantUrl);
    const created = await (await buyer.post('/api/clink/checkout-session', { item: 'lamp' })).json();
    const clink = (path, body) => get(`${servers.clinkUrl}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-API-Key': servers.secretKey, 'X-Timestamp': String(Date.now()) },
      body: JSON.stringify(body),
    });
    assert.equal((await clink(`/api/test/session/${created.sessionId}/pay`, { card: CARD_OK })).status, 200);
    const paid = await eventually(async () => {
      const o = await order(created.orderId);
      return o.status === 'paid' && o;
    }, 'the order paid');
    const refund = await clink(`/api/test/order/${paid.clinkOrderId}/refund`, { amount: 1000 });
    assert.equal(refund.status, 200, await refund.clone().text());
    await eventually(async () => (await order(created.orderId)).refundedAmount === 1000, 'the refund on the shop\'s order');
    const page = await (await get(`${servers.merchantUrl}/success?order=${created.orderId}`)).text();
    assert.match(page, /Refunded[\s\S]*\$10\.00/);
  });

  test('redirect: Cancel on the hosted page → /cancel says cancelled; the order is cancelled and /success says so too (no refresh loop)', TEST, async () => {
    const { context, page, problems } = await openDemo(browser, servers.merchantUrl);
    try {
      await page.click('#redirect-button');
      await page.waitForURL((url) => url.href.startsWith(`${servers.clinkUrl}/pay/`));
      await page.click('#cancel-button');
      await page.waitForURL((url) => url.href.startsWith(`${servers.merchantUrl}/cancel?`));
      const orderId = new URL(page.url()).searchParams.get('order');
      assert.match(await page.textContent('h1'), /cancelled/i);
      // No attempt, so no webhook: the shop asked Clink, which says the checkout was cancelled.
      assert.equal(await page.getAttribute('#order-status', 'data-status'), 'cancelled');
      assert.equal(await orderStatus(orderId), 'cancelled');
      await shot(page, 'return-cancelled-desktop');
      await page.goto(`${servers.merchantUrl}/success?order=${orderId}`);
      assert.match(await page.textContent('h1'), /cancelled/i);
      assert.equal(await page.locator('meta[http-equiv="refresh"]').count(), 0, 'no refresh loop');
      await page.setViewportSize(PHONE);
      await shot(page, 'return-cancelled-phone');
      assertNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  test('embedded: declined, then 4242 → paid; the shop\'s order says declined in between; the decline shown once', TEST, async () => {
    const { context, page, problems } = await openDemo(browser, servers.merchantUrl);
    try {
      const checkout = await startCheckout(page, 'lamp');
      const session = await sessionOf(page, checkout);
      const frame = checkoutFrame(page);

      await payWithCard(frame, CARD_DECLINED);
      await waitForLog(page, { type: 'error', checkout, code: 'CARD_DECLINED' });
      await waitForLog(page, { type: 'state_change', checkout, state: 'payment', previousState: 'pending' });
      // The hosted page's processing panel made no claim about the attempt that was then declined.
      assert.doesNotMatch(await frame.locator('#processing').textContent(), /authori[sz]ed|receipt/i);
      // Shown once: in the checkout (where the buyer retries), not again as a raw line above it.
      assert.doesNotMatch(await page.textContent('#embedded-status'), /CARD_DECLINED/);
      await eventually(async () => (await orderStatus(session.orderId)) === 'declined', 'the order to say declined (order.updated webhook)');
      await shopRow(page, session.orderId, 'declined');
      await shot(page, 'shop-lamp-declined-desktop');

      await payWithCard(frame, CARD_OK);
      await waitForLog(page, { type: 'complete', checkout, state: 'success' });
      await page.waitForSelector('#embedded-result[data-tone="paid"]');
      const states = (await logEntries(page, checkout)).filter((e) => e.kind === 'sdk' && e.type === 'state_change').map((e) => e.payload.state);
      assert.deepEqual(states, ['payment', 'pending', 'payment', 'pending', 'success']);
      assert.equal(await orderStatus(session.orderId), 'paid');
      assertNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  test('embedded: a processing error → the result says failed, the shop\'s order says failed', TEST, async () => {
    const { context, page, problems } = await openDemo(browser, servers.merchantUrl);
    try {
      const checkout = await startCheckout(page, 'lamp');
      const session = await sessionOf(page, checkout);
      await payWithCard(checkoutFrame(page), CARD_ERROR);
      await waitForLog(page, { type: 'complete', checkout, state: 'error' });
      await page.waitForSelector('#embedded-result[data-tone="error"]');
      await eventually(async () => (await orderStatus(session.orderId)) === 'failed', 'the order to say failed');
      await shopRow(page, session.orderId, 'failed');
      const returned = await (await get(`${servers.merchantUrl}/success?order=${session.orderId}`)).text();
      assert.match(returned, /The payment failed/);
      assert.doesNotMatch(returned, /http-equiv="refresh"/);
      assertNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  test('embedded: Cancel before paying → the result says cancelled, the shop\'s order says cancelled', TEST, async () => {
    const { context, page, problems } = await openDemo(browser, servers.merchantUrl);
    try {
      const checkout = await startCheckout(page, 'lamp');
      const session = await sessionOf(page, checkout);
      await checkoutFrame(page).locator('#cancel-button').click();
      await waitForLog(page, { type: 'complete', checkout, state: 'cancelled' });
      await page.waitForSelector('#embedded-result[data-tone="cancelled"]');
      await shopRow(page, session.orderId, 'cancelled');
      assert.equal(await orderStatus(session.orderId), 'cancelled');
      await shot(page, 'shop-lamp-cancelled-desktop');
      assertNoProblems(problems);
    } finally {
      await context.close();
    }
  });
});

describe('merchant demo: a session that expires', () => {
  let servers;
  let browser;

  before(async () => {
    requirePkg();
    servers = await startServers({ merchantPort: 0, clinkPort: 0, quiet: true, sessionTtl: 3, webhookRetryBaseMs: 200 });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await servers?.close();
  });

  test('expiry by TTL → complete expired in the page, session.expired webhook → the order says expired', TEST, async () => {
    const { context, page, problems } = await openDemo(browser, servers.merchantUrl);
    try {
      const checkout = await startCheckout(page, 'lamp');
      const session = await sessionOf(page, checkout);
      await waitForLog(page, { type: 'complete', checkout, state: 'expired', timeout: STEP * 2 });
      await page.waitForSelector('#embedded-result[data-tone="expired"]');
      assert.match(await page.textContent('#embedded-result-text'), /expired/);
      const record = await eventually(async () => {
        const o = await (await get(`${servers.merchantUrl}/api/orders/${session.orderId}`)).json();
        return o.status === 'expired' && o;
      }, 'the order to be expired', STEP * 2);
      assert.ok(record);
      await eventually(async () => {
        const o = await (await get(`${servers.merchantUrl}/api/orders/${session.orderId}`)).json();
        return o.events.some((e) => e.type === 'session.expired');
      }, 'the session.expired webhook', STEP * 2);
      const returnPage = await context.newPage();
      await returnPage.goto(`${servers.merchantUrl}/success?order=${session.orderId}`);
      assert.match(await returnPage.textContent('h1'), /expired/);
      await shot(returnPage, 'return-expired-desktop');
      assertNoProblems(problems);
    } finally {
      await context.close();
    }
  });
});
