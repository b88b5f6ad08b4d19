// The merchant demo's subscription loop in Chromium, across two origins: Subscribe opens an
// embedded subscription checkout of the local Clink's catalogue price (price_pro_monthly), the
// buyer pays with 4242 in the hosted page inside the iframe, the local Clink sends signed
// subscription.* / invoice.* / session.* webhooks, the shop verifies them (server SDK) and its
// account page shows the active plan from its own records; "Manage billing" opens Clink's customer
// portal, where the buyer cancels at period end; the subscription.updated webhook that follows makes
// the account page say the plan cancels at period end.
//
//   node --test tests/demo/subscription.test.mjs        (needs pkg/: bash scripts/build.sh)
//
// Screenshots (desktop 1280, phone 390) of the shop, the account page and the portal go to
// test-artifacts/screens/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServers } from '../../www/demo/server.mjs';
import { launchBrowser } from '../support/browser.mjs';
import {
  CARD_OK, PHONE, STEP, assertNoProblems, checkoutFrame, eventually, get, openDemo, payWithCard, requirePkg,
  sessionOf, shopClient, shot, startCheckout, waitForLog,
} from './support.mjs';

const TEST = { timeout: 90_000 };

describe('merchant demo: the subscription loop', () => {
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

  /** What the local Clink delivered to the shop's endpoint, by event type: the HTTP statuses the shop answered. */
  async function deliveredTypes() {
    const res = await get(`${servers.clinkUrl}/api/webhook/deliveries?limit=100`, {
      headers: { 'X-API-Key': servers.secretKey, 'X-Timestamp': String(Date.now()) },
    });
    const { data } = await res.json();
    return data.items ?? data;
  }

  for (const [label, viewport, isMobile] of [['desktop', undefined, false], ['phone', PHONE, true]]) {
    test(`(${label}) Subscribe → pay 4242 in the iframe → verified webhooks → the account page shows the plan → Manage billing → portal cancel at period end → subscription.updated → the account page says it cancels`, TEST, async () => {
      const { context, page, problems } = await openDemo(browser, servers.merchantUrl, { viewport, isMobile });
      try {
        const checkout = await startCheckout(page, 'plan');
        const session = await sessionOf(page, checkout);
        const frame = checkoutFrame(page);
        assert.match(await frame.locator('.product').textContent(), /Pro plan[\s\S]*month/, 'a checkout of the catalogue\'s monthly price');
        await page.locator('#checkout-box').scrollIntoViewIfNeeded();
        await shot(page, `shop-plan-checkout-${label}`);

        // Before the webhooks: the account page shows no plan, whatever the URL says.
        const account = await context.newPage();
        account.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
        await account.goto(`${servers.merchantUrl}/account?status=active&subscriptionId=sub_forged`);
        assert.equal(await account.locator('.subscription').count(), 0);
        assert.doesNotMatch(await account.textContent('main'), /sub_forged/);

        await payWithCard(frame, CARD_OK);
        await waitForLog(page, { type: 'complete', checkout, state: 'success' });
        await page.waitForSelector('#embedded-result[data-tone="paid"]', { timeout: STEP * 2 });
        assert.match(await page.textContent('#embedded-result-text'), /Subscribed to the Pro plan/);
        assert.equal((await (await get(`${servers.merchantUrl}/api/orders/${session.orderId}`)).json()).kind, 'subscription');
        await page.waitForSelector('#plan-owned:not([hidden])');
        assert.ok(await page.isHidden('#subscribe-button'), 'no second Subscribe once the plan is on the account');
        await shot(page, `shop-plan-paid-${label}`);

        // The account page (already open) renders itself again when the records change.
        await account.waitForSelector('.subscription[data-status="active"][data-cancel-at-period-end="false"]', { timeout: STEP * 2 });
        assert.match(await account.textContent('#subscription-renewal'), /^Renews on /);
        assert.match(await account.textContent('.subscription .record-note'), /subscription\.(created|updated)\s+evt_/);
        await account.waitForSelector('.invoice[data-status="paid"]');
        const subscriptionId = await account.getAttribute('.subscription', 'data-subscription-id');
        assert.match(subscriptionId, /^sub_/);
        await shot(account, `account-active-${label}`);

        // The subscription came in through the shop's webhook endpoint, verified (answered 200).
        const deliveries = await deliveredTypes();
        for (const type of ['subscription.created', 'subscription.updated', 'invoice.updated', 'session.completed']) {
          assert.ok(deliveries.some((d) => d.type === type && d.status === 'delivered'), `${type} delivered: ${JSON.stringify(deliveries.map((d) => [d.type, d.status]))}`);
        }

        await account.click('#manage-billing');
        await account.waitForURL((url) => url.href.startsWith(`${servers.clinkUrl}/portal/`));
        await account.waitForSelector('.cancel-sub');
        await shot(account, `clink-portal-${label}`);
        const release = servers.holdWebhooks(); // the account page must wait for the webhook, not the portal
        try {
          await account.click('.cancel-sub');
          await account.waitForLoadState();
          await account.click('#portal-return');
          await account.waitForURL(`${servers.merchantUrl}/account`);
          assert.equal(await account.getAttribute('.subscription', 'data-cancel-at-period-end'), 'false', 'not before the webhook');
        } finally {
          release();
        }
        await account.waitForSelector('.subscription[data-cancel-at-period-end="true"]', { timeout: STEP * 2 });
        assert.match(await account.textContent('#subscription-renewal'), /Cancels at the end of the period, on /);
        assert.match(await account.textContent('#subscription-status'), /cancels/);
        assert.match(await account.textContent('.subscription .record-note'), /subscription\.updated\s+evt_/);
        await shot(account, `account-cancelling-${label}`);
        assertNoProblems(problems);
      } finally {
        await context.close();
      }
    });
  }

  test('the shop refuses a second subscription to the plan; renewals and the end at period end reach the account; another account sees none of it', TEST, async () => {
    const buyer = shopClient(servers.merchantUrl);
    const first = await buyer.post('/api/clink/checkout-session', { item: 'plan' });
    assert.equal(first.status, 200);
    const { sessionId } = await first.json();
    // Pay through the local Clink's test control, as the hosted page would.
    const paid = await get(`${servers.clinkUrl}/api/test/session/${sessionId}/pay`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-API-Key': servers.secretKey, 'X-Timestamp': String(Date.now()) },
      body: JSON.stringify({ card: CARD_OK }),
    });
    assert.equal(paid.status, 200, await paid.clone().text());
    await eventually(async () => (await (await buyer.get('/api/account')).json()).subscriptions.some((s) => s.status === 'active'), 'the plan on the account');
    const again = await buyer.post('/api/clink/checkout-session', { item: 'plan' });
    assert.equal(again.status, 409);
    assert.match((await again.json()).msg, /already has the Pro plan/);

    // The period ends (the local Clink's test control moves this subscription to its period end):
    // first a renewal, with a new invoice; then, cancelled at period end (as the portal does), the end.
    const clinkCall = (method, path, body) => get(`${servers.clinkUrl}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', 'X-API-Key': servers.secretKey, 'X-Timestamp': String(Date.now()) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const plan = async () => (await (await buyer.get('/api/account')).json()).subscriptions[0];
    const { subscriptionId } = await plan();
    assert.equal((await clinkCall('POST', `/api/test/subscription/${subscriptionId}/advance`)).status, 200);
    await eventually(async () => (await plan()).invoices.length === 2 && (await plan()).invoices.every((i) => i.status === 'paid'), 'the renewal\'s paid invoice on the account');
    assert.equal((await clinkCall('POST', `/api/subscription/${subscriptionId}/cancel`)).status, 200);
    await eventually(async () => (await plan()).cancelAtPeriodEnd === true, 'cancelAtPeriodEnd on the account');
    assert.equal((await clinkCall('POST', `/api/test/subscription/${subscriptionId}/advance`)).status, 200);
    await eventually(async () => (await plan()).status === 'canceled', 'the plan canceled at period end');
    const page = await (await buyer.get('/account')).text();
    assert.match(page, /This plan has ended/);
    assert.equal((await buyer.post('/api/clink/checkout-session', { item: 'plan' })).status, 200, 'an ended plan can be bought again');

    const stranger = shopClient(servers.merchantUrl);
    const theirs = await (await stranger.get('/api/account')).json();
    assert.deepEqual(theirs.subscriptions, []);
    assert.equal(theirs.customerId, null);
    const noPortal = await stranger.get('/account/billing', { method: 'POST' });
    assert.equal(noPortal.status, 409, 'no portal for an account without a Clink customer');
    assert.equal((await stranger.post('/api/clink/checkout-session', { item: 'nothing' })).status, 400);
  });
});
