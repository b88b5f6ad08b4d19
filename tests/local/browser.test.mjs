// The hosted checkout and the inspector in Chromium: a declined card then a good one, typed into
// the framed checkout, with the frame messages the merchant page receives; the redirect flow;
// and screenshots of the inspector with real data (test-artifacts/local/).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { launchBrowser } from '../support/browser.mjs';
import { ARTIFACTS, api, createSession, eventually, installedClink, startReceiver } from './support.mjs';

const TEST = { timeout: 90_000 };

/** The merchant's origin: a page that frames a checkout URL and records the messages it gets. */
async function startMerchant() {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/frame') {
      const src = url.searchParams.get('src');
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(`<!doctype html><meta charset="utf-8">
<title>Merchant</title><body style="margin:0;background:#eee">
<iframe id="f" src="${src.replace(/"/g, '&quot;')}" style="width:440px;height:760px;border:0"></iframe>
<script>
window.__messages = [];
addEventListener('message', (e) => { if (e.source === document.getElementById('f').contentWindow) window.__messages.push({ origin: e.origin, data: e.data }); });
</script></body>`);
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(`<!doctype html><title>${url.pathname}</title><p id="where">${url.pathname}${url.search}</p>`);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((r) => {
      server.close(() => r());
      server.closeAllConnections();
    }),
  };
}

describe('hosted checkout and inspector in Chromium', () => {
  let browser;
  let clink;
  let merchant;
  let receiver;
  let flaky;

  before(async () => {
    const { startClink } = (await installedClink()).module;
    merchant = await startMerchant();
    receiver = await startReceiver();
    // A second endpoint that fails its first two attempts: the inspector shows retries.
    flaky = await startReceiver((n) => (n <= 2 ? 500 : 200));
    clink = await startClink({ port: 0, webhooks: [receiver.url, flaky.url], webhookRetryBaseMs: 50, merchantName: 'Demo Shop', processingMs: 300 });
    browser = await launchBrowser();
    mkdirSync(ARTIFACTS, { recursive: true });
  }, { timeout: 120_000 });

  after(async () => {
    await browser?.close();
    await clink?.close();
    await merchant?.close();
    await receiver?.close();
    await flaky?.close();
  });

  test('framed: 4000 0000 0000 0002 is declined (error CARD_DECLINED), then 4242 4242 4242 4242 succeeds', TEST, async () => {
    const s = await createSession(clink, {
      successUrl: `${merchant.origin}/success`, cancelUrl: `${merchant.origin}/cancel`, merchantReferenceId: 'order-framed',
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await page.goto(`${merchant.origin}/frame?src=${encodeURIComponent(s.url)}`);
      const frame = page.frameLocator('#f');
      const card = frame.locator('#card-input');
      await card.waitFor();
      assert.equal(await card.inputValue(), '', 'no card typed for the buyer');

      await card.fill('4111 1111 1111 1111');
      await frame.locator('#pay-button').click();
      await frame.locator('#notice').filter({ hasText: 'only takes test cards' }).waitFor();
      assert.equal((await api(clink, 'GET', `/api/checkout/session/${s.sessionId}`)).json.data.orderId, undefined, 'an unknown card makes no attempt');

      await card.fill('4000 0000 0000 0002');
      await frame.locator('#pay-button').click();
      await frame.locator('#notice').filter({ hasText: 'declined' }).waitFor();
      await page.screenshot({ path: join(ARTIFACTS, 'checkout-declined.png') });
      assert.equal(await card.isEnabled(), true, 'the buyer can try again');

      await card.fill('4242 4242 4242 4242');
      await frame.locator('#pay-button').click();
      await eventually(() => page.evaluate(() => window.__messages.some((m) => m.data.type === 'hosted_return')), 15_000, 'hosted_return');

      const messages = await page.evaluate(() => window.__messages);
      for (const m of messages) {
        assert.equal(m.origin, clink.url);
        assert.equal(m.data.source, 'clink-checkout');
      }
      const states = messages.filter((m) => m.data.type === 'state_change').map((m) => m.data.payload.state);
      // The first page reports 'payment' at load; the return page is a new document (no state_change).
      assert.deepEqual(states, ['payment', 'pending', 'payment', 'pending', 'success']);
      const errors = messages.filter((m) => m.data.type === 'error').map((m) => m.data.payload.code);
      assert.deepEqual(errors, ['CARD_DECLINED']);
      const back = messages.find((m) => m.data.type === 'hosted_return').data.payload;
      assert.deepEqual(back, { state: 'success', url: `${merchant.origin}/success?sessionId=${s.sessionId}` });

      const g = (await api(clink, 'GET', `/api/checkout/session/${s.sessionId}`)).json.data;
      assert.equal(g.status, 'complete');
      assert.deepEqual(g.history.map((h) => h.state), ['payment', 'pending', 'payment', 'pending', 'success']);
      const order = (await api(clink, 'GET', `/api/order/${g.orderId}`)).json.data;
      assert.equal(order.status, 'paid');
      assert.deepEqual(order.attempts.map((a) => a.result), ['declined', 'paid']);
      await receiver.waitFor((rs) => rs.some((r) => r.body.includes('"session.completed"') && r.body.includes(s.sessionId)));
    } finally {
      await page.close();
    }
  });

  test('redirect: the top-level checkout pays and lands on successUrl?sessionId=…; cancel lands on cancelUrl', TEST, async () => {
    const s = await createSession(clink, { successUrl: `${merchant.origin}/success?cart=7`, cancelUrl: `${merchant.origin}/cancel` });
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    try {
      await page.goto(s.url);
      await page.locator('.card-fill').first().click(); // the 4242 test card button
      await page.screenshot({ path: join(ARTIFACTS, 'checkout-phone.png'), fullPage: true });
      await page.locator('#pay-button').click();
      await page.waitForURL(`${merchant.origin}/success?cart=7&sessionId=${s.sessionId}`, { timeout: 15_000 });

      const c = await createSession(clink, { successUrl: `${merchant.origin}/success`, cancelUrl: `${merchant.origin}/cancel` });
      await page.goto(c.url);
      await page.locator('#cancel-button').click();
      await page.waitForURL(`${merchant.origin}/cancel?sessionId=${c.sessionId}`, { timeout: 15_000 });
      assert.equal((await api(clink, 'GET', `/api/checkout/session/${c.sessionId}`)).json.data.state, 'cancelled');
    } finally {
      await page.close();
    }
  });

  test('the page follows a session that expires while it is open', TEST, async () => {
    const s = await createSession(clink, { successUrl: `${merchant.origin}/success`, cancelUrl: `${merchant.origin}/cancel` });
    const page = await browser.newPage();
    try {
      await page.goto(s.url);
      await page.locator('#card-input').waitFor();
      await api(clink, 'POST', `/api/test/session/${s.sessionId}/expire`, { body: {} });
      await page.locator('#result-title').filter({ hasText: 'expired' }).waitFor({ timeout: 10_000 });
    } finally {
      await page.close();
    }
  });

  test('inspector: keys, sessions with their states, orders, deliveries with attempts (screenshots)', TEST, async () => {
    // One more of each kind, so every status shows.
    const pending = await createSession(clink, { merchantReferenceId: 'order-pending' });
    await api(clink, 'POST', `/api/test/session/${pending.sessionId}/state`, { body: { state: 'pending' } });
    await createSession(clink, { merchantReferenceId: 'order-new', originalAmount: 129900, originalCurrency: 'JPY', priceDataList: [{ name: 'Tea set', quantity: 1, unitAmount: 129900, currency: 'JPY' }] });
    await flaky.waitFor((rs) => rs.length >= 3);

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      await page.goto(`${clink.url}/`);
      await page.locator('#keys code').first().waitFor();
      const text = await page.locator('#inspector').innerText();
      for (const want of [clink.secretKey, clink.publishableKey, clink.webhookSecret, pending.sessionId, 'order.created', 'session.completed']) {
        assert.ok(text.includes(want), `inspector shows ${want}`);
      }
      assert.equal(await page.locator('#keys .copy').count(), 4);
      assert.ok(await page.locator('#sessions tbody tr').count() >= 5);
      assert.ok(await page.locator('#orders tbody tr').count() >= 3);
      // The flaky endpoint's first delivery: 500, 500, 200.
      const flakyDelivery = page.locator('details.delivery', { hasText: flaky.url }).last();
      await flakyDelivery.locator('summary').click();
      const attempts = await flakyDelivery.locator('.attempt h3').allInnerTexts();
      assert.deepEqual(attempts.map((t) => t.match(/HTTP \d+/)?.[0]), ['HTTP 200', 'HTTP 500', 'HTTP 500']);
      assert.match(await flakyDelivery.innerText(), /X-Clink-Signature: [0-9a-f]{64}/);

      // Live: a new session appears without a reload.
      const fresh = await createSession(clink, { merchantReferenceId: 'order-live' });
      await page.locator(`tr[data-session="${fresh.sessionId}"]`).waitFor({ timeout: 10_000 });
      assert.equal(await flakyDelivery.getAttribute('open'), '', 'an opened delivery stays open across updates');

      await page.screenshot({ path: join(ARTIFACTS, 'inspector-desktop.png'), fullPage: true });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: join(ARTIFACTS, 'inspector-phone.png'), fullPage: true });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `no sideways scrolling on a phone (overflow ${overflow}px)`);
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });
});
