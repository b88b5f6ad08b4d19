// The merchant demo's records and webhook receiver, alone (no local Clink, no browser): the order
// rules for every outcome, the account records from subscription/invoice events, the return and
// account pages, the receiver over HTTP with the server SDK's verifier.
//
//   node --test tests/demo/receiver-unit.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createWebhookReceiver, SeenEvents } from '../../www/demo/lib/webhooks.mjs';
import { OrderBook, orderAfter, orderAfterCheckoutState } from '../../www/demo/lib/orders.mjs';
import { AccountBook } from '../../www/demo/lib/accounts.mjs';
import { accountIdFromCookie, newAccountId } from '../../www/demo/lib/http.mjs';
import { renderAccountPage, renderReturnPage, returnPageView, subscriptionView } from '../../www/demo/lib/pages.mjs';

const SECRET = 'whsec_unit_test_secret';
const NOW = 1_800_000_000_000;

/** Signs the way Clink does (hex HMAC-SHA256 of "timestamp.body"), written out independently of the SDK. */
function clinkSign(secret, timestamp, body) {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}

let counter = 0;
function event(type, data, id = `evt_${++counter}`, createdAt = NOW) {
  return { id, type, createdAt, data };
}

const lamp = { item: 'lamp', kind: 'one_time', product: 'Lamp', amount: 4900, currency: 'USD' };

describe('orderAfter: the shop\'s order follows every outcome', () => {
  const order = new OrderBook({ now: () => NOW }).create(lamp);

  test('an attempt → processing; declined → declined (the buyer may retry); then paid on session.completed', () => {
    assert.match(order.id, /^DS-[0-9A-F]{12}$/);
    assert.equal(order.status, 'awaiting_payment');
    const processing = orderAfter(order, event('order.created', { orderId: 'ord_1', status: 'pending', updatedAt: NOW, attempts: [{ attempt: 1, result: null }] }), NOW);
    assert.equal(processing.status, 'processing');
    assert.equal(processing.clinkOrderId, 'ord_1');
    const declined = orderAfter(processing, event('order.updated', { orderId: 'ord_1', status: 'failed', updatedAt: NOW + 1, attempts: [{ attempt: 1, result: 'declined' }] }), NOW);
    assert.equal(declined.status, 'declined');
    const retry = orderAfter(declined, event('order.updated', { orderId: 'ord_1', status: 'pending', updatedAt: NOW + 2, attempts: [{}, {}] }), NOW);
    assert.equal(retry.status, 'processing');
    assert.equal(retry.attempts, 2);
    // Clink's order says paid: the shop waits for the session's word.
    const orderPaid = orderAfter(retry, event('order.updated', { orderId: 'ord_1', status: 'paid', updatedAt: NOW + 3, attempts: [{}, { result: 'paid' }] }), NOW);
    assert.equal(orderPaid.status, 'processing');
    const paid = orderAfter(orderPaid, event('session.completed', { orderId: 'ord_1', customerId: 'cus_1' }), NOW);
    assert.equal(paid.status, 'paid');
    assert.equal(paid.customerId, 'cus_1');
    assert.equal(order.status, 'awaiting_payment', 'orderAfter does not mutate');
  });

  test('a processing error → failed; a cancel after an attempt → cancelled; expiry → expired', () => {
    const error = orderAfter(order, event('order.updated', { orderId: 'ord_2', status: 'failed', updatedAt: NOW, attempts: [{ result: 'error' }] }), NOW);
    assert.equal(error.status, 'failed');
    assert.equal(orderAfter(order, event('order.updated', { orderId: 'ord_2', status: 'cancelled', updatedAt: NOW }), NOW).status, 'cancelled');
    assert.equal(orderAfter(order, event('session.expired', {}), NOW).status, 'expired');
  });

  test('events in any order: final statuses stay, an older order event does not undo a newer one', () => {
    const paid = orderAfter(order, event('session.completed', { orderId: 'ord_3' }), NOW);
    for (const late of [
      event('session.expired', {}),
      event('order.updated', { orderId: 'ord_3', status: 'failed', updatedAt: NOW + 10, attempts: [{ result: 'declined' }] }),
      event('order.updated', { orderId: 'ord_3', status: 'cancelled', updatedAt: NOW + 10 }),
    ]) {
      const next = orderAfter(paid, late, NOW);
      assert.equal(next.status, 'paid', late.type);
      assert.equal(next.events.length, 2, 'the event is still listed on the order');
    }
    assert.equal(orderAfter(orderAfter(order, event('order.updated', { status: 'cancelled', updatedAt: NOW }), NOW), event('session.expired', {}), NOW).status, 'cancelled');
    // attempt 2's pending (newer) arrives before attempt 1's decline (older): still processing.
    const newer = orderAfter(order, event('order.updated', { orderId: 'ord_4', status: 'pending', updatedAt: NOW + 5 }), NOW);
    const older = orderAfter(newer, event('order.updated', { orderId: 'ord_4', status: 'failed', updatedAt: NOW + 1, attempts: [{ result: 'declined' }] }), NOW);
    assert.equal(older.status, 'processing');
  });

  test('refunds: refund.created then refund.updated (or the other way round) count once; partial refunds add up', () => {
    const paid = orderAfter(order, event('session.completed', { orderId: 'ord_5' }), NOW);
    const created = { refundId: 'rfd_1', orderId: 'ord_5', amount: 1000, status: 'pending' };
    const succeeded = { ...created, status: 'succeeded' };
    const inOrder = orderAfter(orderAfter(paid, event('refund.created', created), NOW), event('refund.updated', succeeded), NOW);
    const reversed = orderAfter(orderAfter(paid, event('refund.updated', succeeded), NOW), event('refund.created', created), NOW);
    assert.equal(inOrder.refundedAmount, 1000);
    assert.equal(reversed.refundedAmount, 1000, 'a late refund.created does not take the refund back to pending');
    assert.equal(orderAfter(paid, event('refund.created', created), NOW).refundedAmount, 0, 'pending is not refunded yet');
    const two = orderAfter(inOrder, event('refund.updated', { refundId: 'rfd_2', orderId: 'ord_5', amount: 3900, status: 'succeeded' }), NOW);
    assert.equal(two.refundedAmount, 4900);
    assert.equal(two.status, 'paid', 'a refunded order was still paid');
    assert.equal(orderAfter(paid, event('refund.updated', { amount: 5 }), NOW).refundedAmount, 0, 'no refundId: ignored');
  });

  test('Clink\'s answer about the checkout ends an open order (cancel before any attempt), never pays or reopens one', () => {
    assert.equal(orderAfterCheckoutState(order, 'cancelled', NOW).status, 'cancelled');
    assert.equal(orderAfterCheckoutState(order, 'error', NOW).status, 'failed');
    assert.equal(orderAfterCheckoutState(order, 'expired', NOW).status, 'expired');
    for (const state of ['payment', 'pending', 'success']) assert.equal(orderAfterCheckoutState(order, state, NOW), order, state);
    const paid = { ...order, status: 'paid' };
    assert.equal(orderAfterCheckoutState(paid, 'cancelled', NOW).status, 'paid');
  });
});

describe('OrderBook', () => {
  test('events are matched by merchantReferenceId, then sessionId, then Clink order id; unknown ones are unmatched', () => {
    const book = new OrderBook({ now: () => NOW });
    const a = book.create({ ...lamp, accountId: 'acct_a' });
    const b = book.create({ ...lamp, accountId: 'acct_b' });
    book.attachSession(b.id, 'sess_b');
    assert.equal(book.applyEvent(event('order.created', { sessionId: 'sess_b', orderId: 'ord_b', status: 'pending', updatedAt: NOW })).orderId, b.id);
    assert.equal(book.applyEvent(event('order.updated', { orderId: 'ord_b', status: 'cancelled', updatedAt: NOW + 1 })).orderId, b.id);
    assert.equal(book.applyEvent(event('session.completed', { merchantReferenceId: a.id, sessionId: 'sess_a' })).orderId, a.id);
    assert.equal(book.get(a.id).status, 'paid');
    assert.equal(book.get(b.id).status, 'cancelled');
    assert.deepEqual(book.applyEvent(event('session.completed', { merchantReferenceId: 'DS-NOPE', sessionId: 'sess_x' })), { outcome: 'unmatched' });
    assert.deepEqual(book.recent('acct_a', 5).map((o) => o.id), [a.id], 'an account sees its own orders only');
    assert.equal(book.applyCheckoutState(b.id, 'expired').status, 'cancelled');
    assert.equal(book.get(undefined), null);
  });
});

describe('SeenEvents', () => {
  test('remembers ids, forgetting the oldest past its bound', () => {
    const seen = new SeenEvents();
    seen.add('evt_first');
    assert.ok(seen.has('evt_first'));
    for (let i = 0; i < 20_000; i += 1) seen.add(`evt_${i}`);
    assert.ok(!seen.has('evt_first'));
    assert.ok(seen.has('evt_19999'));
  });
});

describe('AccountBook: subscriptions and invoices from verified events', () => {
  const sub = (over) => ({
    subscriptionId: 'sub_1', customerId: 'cus_1', productId: 'prd_pro_plan', priceId: 'price_pro_monthly', status: 'active',
    currentPeriodEnd: NOW + 30 * 86_400_000, cancelAtPeriodEnd: false, sessionId: 'sess_1', createdAt: NOW, ...over,
  });

  test('an account sees the subscriptions of its Clink customer, with their invoices', () => {
    const book = new AccountBook({ now: () => NOW });
    const id = newAccountId();
    const account = book.ensure(id);
    assert.match(account.email, /@example\.com$/);
    assert.deepEqual(book.subscriptionsOf(id), [], 'no customer yet: nothing');
    assert.equal(book.applyEvent(event('subscription.created', sub({ status: 'incomplete' }), 'e1', NOW)).outcome, 'applied');
    assert.equal(book.applyEvent(event('invoice.created', { invoiceId: 'inv_1', subscriptionId: 'sub_1', status: 'open', amount: 1500, currency: 'USD' }, 'e2', NOW)).outcome, 'applied');
    assert.equal(book.applyEvent(event('order.updated', { orderId: 'x' })).outcome, 'unmatched');
    book.linkCustomer(id, 'cus_1');
    book.linkCustomer(id, 'cus_other'); // the first link stays
    assert.equal(book.get(id).customerId, 'cus_1');
    book.applyEvent(event('subscription.updated', sub(), 'e3', NOW + 5));
    book.applyEvent(event('invoice.updated', { invoiceId: 'inv_1', subscriptionId: 'sub_1', status: 'paid', amount: 1500, currency: 'USD' }, 'e4', NOW + 5));
    const [view] = book.subscriptionsOf(id);
    assert.equal(view.status, 'active');
    assert.deepEqual(view.invoices.map((i) => i.status), ['paid']);
    assert.equal(book.liveSubscription(id, 'price_pro_monthly').subscriptionId, 'sub_1');
    assert.deepEqual(book.subscriptionsOf(book.ensure(newAccountId()).id), [], 'another account sees nothing');
  });

  test('events in any order: an older version or a late *.created never replaces a newer record', () => {
    const book = new AccountBook({ now: () => NOW });
    const id = newAccountId();
    book.ensure(id);
    book.linkCustomer(id, 'cus_1');
    book.applyEvent(event('subscription.updated', sub({ cancelAtPeriodEnd: true }), 'u2', NOW + 20));
    book.applyEvent(event('subscription.updated', sub({ cancelAtPeriodEnd: false }), 'u1', NOW + 10));
    book.applyEvent(event('subscription.created', sub({ status: 'incomplete' }), 'c0', NOW + 20));
    const [view] = book.subscriptionsOf(id);
    assert.equal(view.cancelAtPeriodEnd, true);
    assert.equal(view.status, 'active');
    assert.equal(view.events.length, 3);
  });

  test('the account page says "cancels at the end of the period" for cancelAtPeriodEnd, and escapes records', () => {
    const cancelling = subscriptionView(sub({ cancelAtPeriodEnd: true }));
    assert.equal(cancelling.cancelling, true);
    assert.match(cancelling.renewal, /Cancels at the end of the period, on /);
    assert.match(subscriptionView(sub()).renewal, /^Renews on /);
    assert.match(subscriptionView(sub({ status: 'past_due' })).renewal, /retry/);
    const record = { ...sub({ cancelAtPeriodEnd: true, subscriptionId: '<img src=x>' }), version: NOW, events: [{ id: 'evt_c', type: 'subscription.updated' }], invoices: [] };
    const { html } = renderAccountPage({
      account: { email: 'a@example.com', customerId: 'cus_1' }, subscriptions: [record], pendingOrder: null, planName: () => 'Pro plan', version: 'v1',
    });
    assert.match(html, /data-cancel-at-period-end="true"/);
    assert.match(html, /cancels /);
    assert.match(html, /id="manage-billing"/);
    assert.doesNotMatch(html, /<img src=x>/);
    const none = renderAccountPage({ account: { email: 'a@example.com', customerId: null }, subscriptions: [], pendingOrder: null, planName: String, version: 'v0' }).html;
    assert.match(none, /No subscription yet/);
    assert.doesNotMatch(none, /manage-billing/, 'no portal without a Clink customer');
  });
});

describe('account cookie', () => {
  test('only a well-formed account id is read from the cookie header', () => {
    const id = newAccountId();
    assert.equal(accountIdFromCookie(`a=1; demo_account=${id}; b=2`), id);
    for (const header of [undefined, '', 'demo_account=acct_../../x', `demo_account=${id}x`, 'other=acct_0']) {
      assert.equal(accountIdFromCookie(header), null, String(header));
    }
  });
});

describe('return page wording comes from the record only', () => {
  const base = { id: 'DS-1', kind: 'one_time', product: 'Lamp', amount: 4900, currency: 'USD', sessionId: 'sess_1', events: [] };

  test('success URL with an open order says "Waiting for confirmation" and refreshes; never "paid"', () => {
    for (const status of ['awaiting_payment', 'processing', 'declined']) {
      const { html } = renderReturnPage({ order: { ...base, status }, kind: 'success', refreshes: 0 });
      assert.match(html, /Waiting for confirmation/, status);
      assert.match(html, /http-equiv="refresh"/, status);
      assert.doesNotMatch(html, /is paid/, status);
    }
  });

  test('after many refreshes it stops refreshing and says what to check', () => {
    const { html } = renderReturnPage({ order: { ...base, status: 'awaiting_payment' }, kind: 'success', refreshes: 1000 });
    assert.doesNotMatch(html, /http-equiv="refresh"/);
    assert.match(html, /No webhook has arrived yet/);
  });

  test('a cancelled, failed or expired order says so on either return page, without refreshing', () => {
    for (const [status, words] of [['cancelled', /Checkout cancelled/], ['failed', /payment failed/], ['expired', /expired/]]) {
      for (const kind of ['success', 'cancel']) {
        const { html } = renderReturnPage({ order: { ...base, status }, kind, refreshes: 0 });
        assert.match(html, words, `${status} on /${kind}`);
        assert.doesNotMatch(html, /Waiting for confirmation|http-equiv="refresh"/, `${status} on /${kind}`);
      }
    }
    assert.equal(returnPageView({ ...base, status: 'awaiting_payment' }, 'cancel').refresh, false);
  });

  test('paid says paid on either return page and names the confirming event; a plan says subscribed', () => {
    const paid = { ...base, status: 'paid', events: [{ id: 'evt_9', type: 'session.completed', receivedAt: NOW }] };
    for (const kind of ['success', 'cancel']) {
      const { html } = renderReturnPage({ order: paid, kind, refreshes: 0 });
      assert.match(html, /your order is paid/);
      assert.match(html, /evt_9/);
      assert.doesNotMatch(html, /http-equiv="refresh"/);
    }
    const plan = renderReturnPage({ order: { ...paid, kind: 'subscription', product: 'Pro plan' }, kind: 'success', refreshes: 0 }).html;
    assert.match(plan, /You are subscribed to the Pro plan/);
    assert.match(plan, /href="\/account"/);
  });

  test('record fields are escaped', () => {
    const { html } = renderReturnPage({ order: { ...base, status: 'awaiting_payment', product: '<img src=x>' }, kind: 'success', refreshes: 0 });
    assert.doesNotMatch(html, /<img src=x>/);
  });
});

describe('createWebhookReceiver over HTTP (server SDK verifier)', () => {
  let server;
  let url;
  let book;
  let order;
  before(async () => {
    book = new OrderBook();
    order = book.create(lamp);
    server = createServer(createWebhookReceiver({ secret: SECRET, apply: (e) => book.applyEvent(e) }));
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${server.address().port}/`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  function post(body, { timestamp = String(Date.now()), signature, headers = {} } = {}) {
    return fetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json', 'X-Clink-Timestamp': timestamp,
        'X-Clink-Signature': signature ?? clinkSign(SECRET, timestamp, body), ...headers,
      },
      body,
      signal: AbortSignal.timeout(5000),
    });
  }

  test('valid → 200 applied; replay → 200 duplicate; tampered, stale, future, bad signature → 400 with the SDK\'s reason', async () => {
    const body = JSON.stringify(event('session.completed', { merchantReferenceId: order.id, orderId: 'ord_1' }, 'evt_http_1'));
    const ts = String(Date.now());
    const tampered = await post(body.replace('ord_1', 'ord_2'), { timestamp: ts, signature: clinkSign(SECRET, ts, body) });
    assert.equal(tampered.status, 400);
    assert.equal((await tampered.json()).data.reason, 'signature_mismatch');
    const stale = await post(body, { timestamp: String(Date.now() - 6 * 60_000) });
    assert.equal(stale.status, 400);
    assert.equal((await stale.json()).data.reason, 'timestamp_too_old');
    const future = await post(body, { timestamp: String(Date.now() + 6 * 60_000) });
    assert.equal((await future.json()).data.reason, 'timestamp_in_future');
    const bad = await post(body, { signature: '0'.repeat(64) });
    assert.equal(bad.status, 400);
    const reSerialized = await post(JSON.stringify(JSON.parse(body), null, 2), { timestamp: ts, signature: clinkSign(SECRET, ts, body) });
    assert.equal(reSerialized.status, 400, 'the raw bytes are what is signed');
    assert.equal(book.get(order.id).status, 'awaiting_payment', 'nothing refused changed the order');

    const ok = await post(body);
    assert.equal(ok.status, 200);
    assert.equal((await ok.json()).data.outcome, 'applied');
    assert.equal(book.get(order.id).status, 'paid');
    const replay = await post(body); // re-signed with a fresh timestamp, as Clink's retries are
    assert.equal(replay.status, 200);
    assert.equal((await replay.json()).data.outcome, 'duplicate');
    assert.equal(book.get(order.id).events.length, 1);
  });

  test('a signed event about no order of this shop is acknowledged (200 unmatched), not refused', async () => {
    const res = await post(JSON.stringify(event('session.completed', { merchantReferenceId: 'DS-NOPE' }, 'evt_other')));
    assert.equal(res.status, 200);
    assert.equal((await res.json()).data.outcome, 'unmatched');
  });

  test('an event whose records update failed (a 500) is applied when Clink retries it, not dropped as a duplicate', async () => {
    let calls = 0;
    const receive = createWebhookReceiver({
      secret: SECRET,
      apply: () => {
        calls += 1;
        if (calls === 1) throw new Error('the records were busy');
        return { outcome: 'applied' };
      },
    });
    const flaky = createServer((req, res) => receive(req, res).catch(() => {
      res.writeHead(500);
      res.end();
    }));
    await new Promise((r) => flaky.listen(0, '127.0.0.1', r));
    try {
      const body = JSON.stringify(event('session.completed', { merchantReferenceId: 'DS-X' }, 'evt_retry'));
      const send = () => {
        const timestamp = String(Date.now());
        return fetch(`http://127.0.0.1:${flaky.address().port}/`, {
          method: 'POST', body, signal: AbortSignal.timeout(5000),
          headers: { 'Content-Type': 'application/json', 'X-Clink-Timestamp': timestamp, 'X-Clink-Signature': clinkSign(SECRET, timestamp, body) },
        });
      };
      assert.equal((await send()).status, 500);
      const retry = await send();
      assert.equal(retry.status, 200);
      assert.equal((await retry.json()).data.outcome, 'applied');
      assert.equal(calls, 2);
    } finally {
      flaky.closeAllConnections();
      await new Promise((r) => flaky.close(r));
    }
  });

  test('a body over 1 MB is refused with 413', async () => {
    const huge = JSON.stringify({ id: 'evt_big', type: 'x', data: { pad: 'x'.repeat(1024 * 1024) } });
    const res = await post(huge);
    assert.equal(res.status, 413);
  });
});

describe('the demo uses the packages as a merchant would', () => {
  test('its modules import node: built-ins, its own files and the two packages by name only (nothing from www/clink-local/ or server/ by path)', () => {
    const root = fileURLToPath(new URL('../../www/demo/', import.meta.url));
    const files = readdirSync(root, { recursive: true }).filter((f) => /\.(mjs|js)$/.test(f));
    assert.ok(files.length >= 8, files.join(', '));
    for (const file of files) {
      const text = readFileSync(join(root, file), 'utf8');
      for (const [, spec] of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/g)) {
        const allowed = spec.startsWith('node:') || spec === '/pkg/index.js'
          || spec === '@clink-ai/clink-local' || spec === '@clink-ai/clink-typescript-sdk'
          || (spec.startsWith('./') && !spec.includes('..'));
        assert.ok(allowed, `${file} imports ${spec}`);
      }
    }
  });
});
