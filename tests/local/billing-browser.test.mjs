// The customer portal and the inspector's billing parts in Chromium, at desktop (1280) and phone
// (390) widths: the portal's "Cancel at period end" pressed by a customer (the subscription.updated
// webhook follows), nothing wider than the phone, and the inspector's buttons (advance the clock,
// resend an event) and delivery links. Screenshots in test-artifacts/screens/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser } from '../support/browser.mjs';
import { REPO_ROOT, api, installedClink, startReceiver } from './support.mjs';

const TEST = { timeout: 90_000 };
const SCREENS = join(REPO_ROOT, 'test-artifacts', 'screens');
const WIDTHS = [1280, 390];

async function ok(clink, method, path, body) {
  const r = await api(clink, method, path, body === undefined ? {} : { body });
  assert.equal(r.status, 200, `${method} ${path}: ${r.text}`);
  return r.json.data;
}

/** A paid subscription checkout of `priceId` for a customer (made from the email, or given). */
async function subscribe(clink, priceId, customer) {
  const session = await ok(clink, 'POST', '/api/checkout/session', {
    originalAmount: 1500, originalCurrency: 'USD', priceId, productId: 'prd_pro_plan', ...customer,
  });
  await ok(clink, 'POST', `/api/test/session/${session.sessionId}/pay`, {});
  return session;
}

/** The page's content is no wider than its viewport (nothing to scroll sideways on a phone). */
async function assertNoSidewaysScroll(page, width, what) {
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollWidth <= width, `${what} at ${width}px is ${scrollWidth}px wide`);
}

describe('customer portal and inspector in Chromium', () => {
  let browser;
  let clink;
  let receiver;
  let monthly;
  let trial;

  before(async () => {
    mkdirSync(SCREENS, { recursive: true });
    const { startClink } = (await installedClink()).module;
    receiver = await startReceiver();
    clink = await startClink({ port: 0, webhooks: [receiver.url], merchantName: 'Aurora Lights' });
    monthly = await subscribe(clink, 'price_pro_monthly', { customerEmail: 'ada@example.com' });
    await ok(clink, 'POST', `/api/test/subscription/${monthly.subscriptionId}/advance`);
    trial = await subscribe(clink, 'price_pro_monthly_trial', { customerId: monthly.customerId });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await clink?.close();
    await receiver?.close();
  });

  test('the portal lists subscriptions, renewals and invoices at both widths; Cancel at period end works from the page', TEST, async () => {
    const portal = await ok(clink, 'POST', '/api/billing/session', { customerId: monthly.customerId, returnUrl: 'http://127.0.0.1:9/account' });
    for (const width of WIDTHS) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      try {
        const errors = [];
        page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(portal.url);
        const subs = page.locator('section.sub');
        assert.equal(await subs.count(), 2);
        const monthlyCard = page.locator(`section.sub[data-subscription-id="${monthly.subscriptionId}"]`);
        assert.match(await monthlyCard.locator('.sub-next').textContent(), /^Renews on \d{1,2} \w{3} \d{4}$/);
        assert.equal(await monthlyCard.locator('tbody tr').count(), 2, 'two invoices: the checkout and one renewal');
        const trialCard = page.locator(`section.sub[data-subscription-id="${trial.subscriptionId}"]`);
        assert.match(await trialCard.locator('.sub-next').textContent(), /^Trial ends on .*; then \$15\.00 \/ month$/);
        assert.equal(await page.locator('#portal-return').getAttribute('href'), 'http://127.0.0.1:9/account');
        assert.match(await page.locator('.merchant').textContent(), /Aurora Lights/);
        await assertNoSidewaysScroll(page, width, 'the portal');
        await page.screenshot({ path: join(SCREENS, `portal-${width}.png`), fullPage: true });
        assert.deepEqual(errors, []);
      } finally {
        await page.close();
      }
    }

    const page = await browser.newPage({ viewport: { width: 390, height: 900 } });
    try {
      await page.goto(portal.url);
      const card = page.locator(`section.sub[data-subscription-id="${monthly.subscriptionId}"]`);
      await card.getByRole('button', { name: 'Cancel at period end' }).click();
      await page.waitForURL(/\?canceled=/);
      assert.match(await card.locator('.sub-next').textContent(), /^Cancels on .*; no more charges$/);
      assert.match(await card.locator('.notice.ok').textContent(), /Your subscription will end on/);
      assert.equal(await card.getByRole('button', { name: 'Cancel at period end' }).count(), 0);
      await page.screenshot({ path: join(SCREENS, 'portal-390-cancelled.png'), fullPage: true });
    } finally {
      await page.close();
    }
    const sub = await ok(clink, 'GET', `/api/subscription/${monthly.subscriptionId}`);
    assert.deepEqual([sub.status, sub.cancelAtPeriodEnd], ['active', true]);
    await receiver.waitFor(() => receiver.events().some((e) => e.type === 'subscription.updated'
      && e.data.subscriptionId === monthly.subscriptionId && e.data.cancelAtPeriodEnd === true));
  });

  test('an expired portal link shows a clear page', TEST, async () => {
    const portal = await ok(clink, 'POST', '/api/billing/session', { customerId: monthly.customerId });
    await ok(clink, 'POST', '/api/test/clock/advance', { ms: 3_600_000 });
    const page = await browser.newPage({ viewport: { width: 390, height: 700 } });
    try {
      const response = await page.goto(portal.url);
      assert.equal(response.status(), 410);
      assert.equal(await page.locator('h1').textContent(), 'This billing link has expired');
      assert.match(await page.locator('.result-text').textContent(), /Go back to Aurora Lights and open billing again/);
    } finally {
      await page.close();
    }
  });

  test('the inspector: subscriptions with invoices, customers, refunds, products; advance the clock and resend an event by button; deliveries link to what they are about', TEST, async () => {
    const lamp = await ok(clink, 'POST', '/api/checkout/session', { originalAmount: 4900, originalCurrency: 'USD', priceId: 'price_desk_lamp', productId: 'prd_desk_lamp', customerId: monthly.customerId });
    const paid = await ok(clink, 'POST', `/api/test/session/${lamp.sessionId}/pay`, {});
    await ok(clink, 'POST', `/api/test/order/${paid.orderId}/refund`, { amount: 900, reason: 'scratched' });
    for (const width of WIDTHS) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      try {
        await page.goto(`${clink.url}/`);
        await page.waitForSelector(`[data-subscription="${trial.subscriptionId}"]`);
        assert.ok(await page.locator(`[data-subscription="${monthly.subscriptionId}"] [data-invoice]`).count() >= 2);
        assert.equal(await page.locator(`[data-customer="${monthly.customerId}"]`).count(), 1);
        assert.equal(await page.locator('[data-refund-id]').count(), 1);
        assert.equal(await page.locator('[data-product]').count(), 2);
        // A subscription's delivery links to the subscription, a lamp order's to its session.
        const subLink = page.locator(`#deliveries a.subject[href="#subscription-${trial.subscriptionId}"]`).first();
        assert.equal(await subLink.count(), 1);
        assert.ok(await page.locator(`#deliveries a.subject[href="#session-${lamp.sessionId}"]`).count() >= 1);
        await assertNoSidewaysScroll(page, width, 'the inspector');
        await page.screenshot({ path: join(SCREENS, `inspector-${width}.png`), fullPage: true });
      } finally {
        await page.close();
      }
    }

    const page = await browser.newPage({ viewport: { width: 390, height: 900 } });
    try {
      await page.goto(`${clink.url}/`);
      await page.waitForSelector(`[data-subscription="${trial.subscriptionId}"]`);
      // With nothing happening, the page is not redrawn (a redraw under a finger loses its click).
      const marker = await page.evaluate(() => {
        document.getElementById('clock').dataset.marker = 'kept';
        return document.getElementById('clock').dataset.marker;
      });
      await page.waitForFunction(() => /updated/.test(document.getElementById('live').textContent));
      const liveBefore = await page.locator('#live').textContent();
      await page.waitForFunction((text) => document.getElementById('live').textContent !== text, liveBefore, { timeout: 10_000 });
      assert.equal(await page.evaluate(() => document.getElementById('clock').dataset.marker), marker, 'the same clock card after a poll');
      const before = await ok(clink, 'GET', '/api/test/clock');
      await page.locator('[data-advance="86400000"]').click();
      await page.waitForSelector('.action-note');
      assert.match(await page.locator('.action-note').textContent(), /^Clock advanced 1 day: \d+ timers? ran$/);
      const afterClock = await ok(clink, 'GET', '/api/test/clock');
      assert.equal(afterClock.offsetMs - before.offsetMs, 86_400_000);

      const [event] = (await ok(clink, 'GET', '/api/webhook/events?limit=1')).items;
      const sent = receiver.events().filter((e) => e.id === event.id).length;
      await page.locator(`details[data-delivery] >> nth=0`).locator('summary').click();
      await page.locator(`[data-resend="${event.id}"]`).first().click();
      await receiver.waitFor(() => receiver.events().filter((e) => e.id === event.id).length === sent + 1);
      // The page says what it did once the answer came back and it redrew.
      await page.waitForFunction((id) => document.querySelector('.action-note')?.textContent.startsWith('Resent ') && document.querySelector('.action-note').textContent.includes(id), event.id);
      assert.equal(await page.locator('.action-note').textContent(), `Resent ${event.type} ${event.id} to every endpoint`);
    } finally {
      await page.close();
    }
  });
});
