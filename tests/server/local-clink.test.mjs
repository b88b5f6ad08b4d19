// The server SDK against the real local Clink (@clink-ai/clink-local): every method of
// ClinkPayClient, Clink's errors as ClinkApiError, and a webhook of every family (session, order,
// subscription, invoice, refund) delivered by the local Clink and verified through verifyWebhook.
// Run: node --test tests/server/local-clink.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { startClink } from '@clink-ai/clink-local';
import { ClinkApiError, ClinkPayClient, ClinkWebhookError, verifyWebhook } from '@clink-ai/clink-typescript-sdk';
import { clinkCall } from './support.mjs';

const FAMILIES = [
  'session.completed', 'session.expired', 'order.created', 'order.updated',
  'subscription.created', 'subscription.updated', 'invoice.created', 'invoice.updated',
  'refund.created', 'refund.updated',
];

let clink;
let client;
let receiver;
const verified = []; // events verifyWebhook resolved, in arrival order
const refused = []; // ClinkWebhookErrors (none expected)
const waiters = new Set();

/** Resolves once an event of `type` matching `match` was verified (the test's timeout bounds it). */
function verifiedEvent(type, match = () => true) {
  const found = verified.find((e) => e.type === type && match(e.data));
  if (found) return Promise.resolve(found);
  return new Promise((resolve) => waiters.add({ type, match, resolve }));
}

before(async () => {
  // The merchant's webhook endpoint: raw body, verifyWebhook, 200 or 400.
  receiver = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    try {
      const event = await verifyWebhook({ body: Buffer.concat(chunks), headers: req.headers, secret: clink.webhookSecret });
      verified.push(event);
      for (const waiter of [...waiters]) {
        if (waiter.type === event.type && waiter.match(event.data)) {
          waiters.delete(waiter);
          waiter.resolve(event);
        }
      }
      res.writeHead(200).end('ok');
    } catch (error) {
      if (!(error instanceof ClinkWebhookError)) throw error;
      refused.push(error);
      res.writeHead(400).end(error.message);
    }
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  clink = await startClink({ port: 0, webhooks: [`http://127.0.0.1:${receiver.address().port}/webhooks/clink`], webhookRetryBaseMs: 20 });
  client = new ClinkPayClient({ apiKey: clink.secretKey, env: 'sandbox', baseUrl: clink.url });
});

after(async () => {
  await clink?.close();
  await new Promise((r) => (receiver ? receiver.close(r) : r()));
});

test('a one-off checkout: createCheckoutSession, getCheckoutSession, getOrder, then a refund: getRefund; their webhooks verified', async () => {
  const session = await client.createCheckoutSession({
    originalAmount: 2500,
    originalCurrency: 'USD',
    priceDataList: [{ name: 'Mug', quantity: 2, unitAmount: 1250, currency: 'USD' }],
    customerEmail: 'buyer@example.com',
    merchantReferenceId: 'shop-order-1',
    successUrl: 'https://shop.example/success',
    cancelUrl: 'https://shop.example/cart',
    allowPromotionCodes: false,
  });
  assert.match(session.sessionId, /^sess_/);
  assert.equal(session.status, 'open');
  assert.equal(session.url, `${clink.url}/pay/${encodeURIComponent(session.sessionParam)}`);
  assert.equal(typeof session.expiresAt, 'number');

  const read = await client.getCheckoutSession(session.sessionId);
  assert.equal(read.sessionId, session.sessionId);
  assert.equal(read.merchantReferenceId, 'shop-order-1');

  await clinkCall(clink, 'POST', `/test/session/${encodeURIComponent(session.sessionId)}/pay`, { card: '4242 4242 4242 4242' });
  const paid = await client.getCheckoutSession(session.sessionId);
  assert.equal(paid.status, 'complete');
  assert.equal(paid.state, 'success');
  const order = await client.getOrder(paid.orderId);
  assert.equal(order.status, 'paid');
  assert.equal(order.originalAmount, 2500);
  assert.equal(order.refundedAmount, 0);
  assert.deepEqual(order.refundIds, []);

  const completed = await verifiedEvent('session.completed', (d) => d.sessionId === session.sessionId);
  assert.match(completed.id, /^evt_/);
  assert.equal(completed.data.orderId, paid.orderId);
  await verifiedEvent('order.created', (d) => d.orderId === paid.orderId);
  await verifiedEvent('order.updated', (d) => d.orderId === paid.orderId && d.status === 'paid');

  const refund = await clinkCall(clink, 'POST', `/test/order/${encodeURIComponent(paid.orderId)}/refund`, { amount: 1000, reason: 'one mug broke' });
  const readRefund = await client.getRefund(refund.refundId);
  assert.deepEqual(Object.keys(readRefund).sort(), ['amount', 'createdAt', 'currency', 'orderId', 'reason', 'refundId', 'status']);
  assert.equal(readRefund.orderId, paid.orderId);
  assert.equal(readRefund.amount, 1000);
  assert.equal(readRefund.currency, 'USD');
  assert.equal(readRefund.reason, 'one mug broke');
  const refunded = await client.getOrder(paid.orderId);
  assert.equal(refunded.refundedAmount, 1000);
  assert.deepEqual(refunded.refundIds, [refund.refundId]);
  await verifiedEvent('refund.created', (d) => d.refundId === refund.refundId);
  const updated = await verifiedEvent('refund.updated', (d) => d.refundId === refund.refundId);
  assert.deepEqual(updated.data, readRefund);
});

test('an expired session: session.expired verified', async () => {
  const session = await client.createCheckoutSession({ originalAmount: 100, originalCurrency: 'EUR', priceDataList: [{ name: 'Pen', quantity: 1, unitAmount: 100, currency: 'EUR' }] });
  await clinkCall(clink, 'POST', `/test/session/${encodeURIComponent(session.sessionId)}/expire`);
  assert.equal((await client.getCheckoutSession(session.sessionId)).status, 'expired');
  const expired = await verifiedEvent('session.expired', (d) => d.sessionId === session.sessionId);
  assert.equal(expired.data.status, 'expired');
});

test('a subscription checkout: getSubscription, getInvoice, customerPortalSession; subscription and invoice webhooks verified', async () => {
  const session = await client.createCheckoutSession({
    originalAmount: 1500, originalCurrency: 'USD', priceId: 'price_pro_monthly', productId: 'prd_pro_plan', customerEmail: 'saas@example.com',
  });
  assert.match(session.subscriptionId, /^sub_/);
  assert.equal((await client.getSubscription(session.subscriptionId)).status, 'incomplete');
  await clinkCall(clink, 'POST', `/test/session/${encodeURIComponent(session.sessionId)}/pay`, {});

  const subscription = await client.getSubscription(session.subscriptionId);
  for (const field of ['subscriptionId', 'customerId', 'productId', 'priceId', 'status', 'currency', 'amount', 'interval', 'currentPeriodStart',
    'currentPeriodEnd', 'trialEnd', 'cancelAtPeriodEnd', 'canceledAt', 'latestInvoiceId', 'sessionId', 'createdAt']) {
    assert.ok(field in subscription, `subscription.${field}`);
  }
  assert.equal(subscription.status, 'active');
  assert.equal(subscription.interval, 'month');
  assert.equal(subscription.cancelAtPeriodEnd, false);
  assert.ok(subscription.currentPeriodEnd > subscription.currentPeriodStart);

  const invoice = await client.getInvoice(subscription.latestInvoiceId);
  assert.deepEqual(Object.keys(invoice).sort(), ['amount', 'attemptCount', 'createdAt', 'currency', 'customerId', 'invoiceId', 'orderId', 'paidAt',
    'periodEnd', 'periodStart', 'status', 'subscriptionId'].sort());
  assert.equal(invoice.status, 'paid');
  assert.equal(invoice.amount, 1500);
  assert.equal(invoice.subscriptionId, subscription.subscriptionId);

  const portal = await client.customerPortalSession({ customerId: subscription.customerId, returnUrl: 'https://shop.example/account' });
  assert.equal(portal.customerId, subscription.customerId);
  assert.ok(portal.url.startsWith(`${clink.url}/`), portal.url);
  assert.ok(portal.expiresAt > Date.now());
  const page = await fetch(portal.url);
  assert.equal(page.status, 200);
  await page.body?.cancel();

  await verifiedEvent('subscription.created', (d) => d.subscriptionId === subscription.subscriptionId);
  const active = await verifiedEvent('subscription.updated', (d) => d.subscriptionId === subscription.subscriptionId && d.status === 'active');
  assert.equal(active.data.latestInvoiceId, invoice.invoiceId);
  await verifiedEvent('invoice.created', (d) => d.invoiceId === invoice.invoiceId);
  await verifiedEvent('invoice.updated', (d) => d.invoiceId === invoice.invoiceId && d.status === 'paid');
});

test('every webhook family arrived and verified; none refused', async () => {
  for (const type of FAMILIES) await verifiedEvent(type);
  assert.deepEqual([...new Set(verified.map((e) => e.type))].filter((t) => !FAMILIES.includes(t)), [], 'no type outside the documented ones');
  assert.deepEqual(refused.map((e) => e.message), []);
});

test('Clink\'s refusals arrive as ClinkApiError with the local Clink\'s message', async () => {
  await assert.rejects(client.getOrder('ord_nope'), (e) => e instanceof ClinkApiError && e.code === 404 && e.status === 404 && /no order ord_nope/.test(e.message));
  await assert.rejects(client.getSubscription('sub_nope/../x'), (e) => e.code === 404 && e.path === '/api/subscription/sub_nope%2F..%2Fx');
  await assert.rejects(client.getRefund('rfd_nope'), (e) => e.code === 404);
  await assert.rejects(client.getInvoice('inv_nope'), (e) => e.code === 404);
  await assert.rejects(client.createCheckoutSession({ originalCurrency: 'USD' }), (e) => e.code === 400 && /originalAmount/.test(e.message));
  await assert.rejects(client.customerPortalSession({ customerId: 'cus_nope' }), (e) => e.code === 404 && /cus_nope/.test(e.message));
  const wrongKey = new ClinkPayClient({ apiKey: 'sk_test_not_this_one', env: 'sandbox', baseUrl: clink.url });
  await assert.rejects(wrongKey.getOrder('ord_1'), (e) => e.code === 401 && /wrong X-API-Key/.test(e.message));
  // A clock far behind: the local Clink refuses the timestamp, and says so.
  const skewed = new ClinkPayClient({
    apiKey: clink.secretKey,
    baseUrl: clink.url,
    fetch: (url, init) => fetch(url, { ...init, headers: { ...init.headers, 'X-Timestamp': String(Number(init.headers['X-Timestamp']) - 10 * 60_000) } }),
  });
  await assert.rejects(skewed.getOrder('ord_1'), (e) => e.code === 401 && /stale X-Timestamp/.test(e.message) && e.attempts === 1);
});
