// The local Clink's subscription business over its REST API, from the installed package: the
// catalogue (default, --catalog, startClink({ catalog })), subscription checkouts and their
// statuses, invoices, cancel at period end, the clock and renewals (declining card, retries, trial
// end), refunds, billing portal sessions, and the webhooks of all of it, signed.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, installedClink, startReceiver, WWW } from './support.mjs';

const TEST = { timeout: 60_000 };
const DAY = 24 * 3600 * 1000;

async function start(options) {
  const { startClink } = (await installedClink()).module;
  return startClink({ port: 0, ...options });
}

/** A call that must succeed: its `data`. */
async function ok(clink, method, path, body) {
  const r = await api(clink, method, path, body === undefined ? {} : { body });
  assert.equal(r.status, 200, `${method} ${path}: ${r.text}`);
  assert.equal(r.json.code, 200);
  return r.json.data;
}

/** A call that must fail with `status`: its msg. */
async function refused(clink, method, path, body, status) {
  const r = await api(clink, method, path, body === undefined ? {} : { body });
  assert.equal(r.status, status, `${method} ${path}: ${r.text}`);
  assert.equal(r.json.code, status);
  assert.equal(r.json.data, undefined);
  return r.json.msg;
}

const PRO = { originalAmount: 1500, originalCurrency: 'USD', priceId: 'price_pro_monthly', productId: 'prd_pro_plan' };
const TRIAL = { ...PRO, priceId: 'price_pro_monthly_trial' };
const LAMP = { originalAmount: 4900, originalCurrency: 'USD', priceId: 'price_desk_lamp', productId: 'prd_desk_lamp' };

/** Subscribes (checkout of a recurring price, paid with 4242): { session, sub }. */
async function subscribe(clink, extra = {}) {
  const session = await ok(clink, 'POST', '/api/checkout/session', { ...PRO, customerEmail: 'ada@example.com', ...extra });
  await ok(clink, 'POST', `/api/test/session/${session.sessionId}/pay`, {});
  return { session, sub: await ok(clink, 'GET', `/api/subscription/${session.subscriptionId}`) };
}

const typesOf = (receiver) => receiver.events().map((e) => e.type);
const eventsOf = (receiver, type) => receiver.events().filter((e) => e.type === type);

describe('catalogue', () => {
  test('the default catalogue through GET /api/product, /api/product/{id}, /api/price, /api/price/{id}', TEST, async () => {
    const clink = await start();
    try {
      const products = await ok(clink, 'GET', '/api/product');
      assert.deepEqual(products.items.map((p) => p.productId), ['prd_desk_lamp', 'prd_pro_plan']);
      assert.equal(products.hasMore, false);
      const lamp = await ok(clink, 'GET', '/api/product/prd_desk_lamp');
      assert.equal(lamp.name, 'Desk lamp');
      assert.equal(lamp.active, true);
      assert.equal(typeof lamp.createdAt, 'number');
      assert.deepEqual(lamp.prices.map((p) => [p.priceId, p.type, p.unitAmount, p.currency]), [['price_desk_lamp', 'one_time', 4900, 'USD']]);
      const prices = await ok(clink, 'GET', '/api/price?limit=2');
      assert.deepEqual(prices.items.map((p) => p.priceId), ['price_desk_lamp', 'price_pro_monthly']);
      assert.equal(prices.hasMore, true);
      const rest = await ok(clink, 'GET', '/api/price?startingAfter=price_pro_monthly');
      assert.deepEqual(rest.items.map((p) => p.priceId), ['price_pro_monthly_trial']);
      const trial = await ok(clink, 'GET', '/api/price/price_pro_monthly_trial');
      assert.deepEqual(trial.recurring, { interval: 'month', intervalCount: 1, trialPeriodDays: 14 });
      assert.equal(trial.productId, 'prd_pro_plan');
      assert.equal(await refused(clink, 'GET', '/api/product/prd_nope', undefined, 404), 'no product prd_nope');
      assert.equal(await refused(clink, 'GET', '/api/price/price_nope', undefined, 404), 'no price price_nope');
      const noKey = await api(clink, 'GET', '/api/product', { headers: { 'X-API-Key': null } });
      assert.equal(noKey.status, 401);
    } finally {
      await clink.close();
    }
  });

  test('startClink({ catalog }) replaces the default; a bad one throws a TypeError naming the field', TEST, async () => {
    const catalog = {
      products: [{
        productId: 'prd_team', name: 'Team', prices: [{ priceId: 'price_team_yearly', type: 'recurring', unitAmount: 12000, currency: 'EUR', recurring: { interval: 'year' } }],
      }],
    };
    const clink = await start({ catalog });
    try {
      const products = await ok(clink, 'GET', '/api/product');
      assert.deepEqual(products.items.map((p) => p.productId), ['prd_team']);
      assert.equal(await refused(clink, 'GET', '/api/price/price_desk_lamp', undefined, 404), 'no price price_desk_lamp');
      const { sub } = await subscribe(clink, { originalAmount: 12000, originalCurrency: 'EUR', priceId: 'price_team_yearly', productId: 'prd_team' });
      assert.equal(sub.interval, 'year');
      assert.equal(sub.currency, 'EUR');
    } finally {
      await clink.close();
    }
    await assert.rejects(start({ catalog: { products: [{ ...catalog.products[0], prices: [{ priceId: 'p', type: 'recurring', unitAmount: 1, currency: 'EUR' }] }] } }),
      (err) => err instanceof TypeError && /^catalog\.products\[0\]\.prices\[0\]\.recurring is required/.test(err.message));
    await assert.rejects(start({ catalog: 'catalog.json' }), (err) => err instanceof TypeError && /^catalog must be an object/.test(err.message));
  });

  test('the CLI: --catalog FILE is used; a bad file exits 2 with usage naming the flag and the problem', TEST, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clink-catalog-'));
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ products: [{ productId: 'prd_cli', name: 'CLI', prices: [{ priceId: 'price_cli', type: 'one_time', unitAmount: 700, currency: 'GBP' }] }] }));
    const cases = [
      [join(dir, 'missing.json'), /--catalog .*missing\.json: cannot read it \(ENOENT\)/],
      [Object.assign(join(dir, 'broken.json'), {}), /--catalog .*broken\.json: not valid JSON/],
      [join(dir, 'wrong.json'), /--catalog: catalog\.products\[0\]\.prices\[0\]\.currency must be one of Clink's currencies/],
    ];
    writeFileSync(join(dir, 'broken.json'), '{"products": [');
    writeFileSync(join(dir, 'wrong.json'), JSON.stringify({ products: [{ productId: 'x', name: 'X', prices: [{ priceId: 'y', type: 'one_time', unitAmount: 1, currency: 'ZZZ' }] }] }));
    for (const [file, want] of cases) {
      const { code, stderr } = await runBin(['--port', '0', '--catalog', file]);
      assert.equal(code, 2, stderr);
      assert.match(stderr, want);
      assert.match(stderr, /Usage:/);
    }
    const cli = spawn(process.execPath, [join(WWW, 'bin', 'clink-local.mjs'), '--port', '0', '--json', '--catalog', good], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const line = await new Promise((resolve, reject) => {
        let out = '';
        cli.stdout.on('data', (c) => {
          out += c;
          if (out.includes('\n')) resolve(out.split('\n')[0]);
        });
        cli.once('exit', (c) => reject(new Error(`exited ${c}`)));
      });
      const info = JSON.parse(line);
      const price = await ok(info, 'GET', '/api/price/price_cli');
      assert.equal(price.currency, 'GBP');
    } finally {
      cli.kill('SIGTERM');
    }
  });
});

function runBin(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(WWW, 'bin', 'clink-local.mjs'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    child.once('exit', (code) => resolve({ code, stderr }));
  });
}

describe('subscription checkout', () => {
  test('incomplete at create, active once paid: customer, first invoice paid, order paid, signed webhooks', TEST, async () => {
    const receiver = await startReceiver();
    const clink = await start({ webhooks: [receiver.url], webhookSecret: 'whsec_billing_test' });
    try {
      const session = await ok(clink, 'POST', '/api/checkout/session', { ...PRO, customerEmail: 'ada@example.com' });
      assert.match(session.subscriptionId, /^sub_/);
      assert.match(session.customerId, /^cus_/);
      const before = await ok(clink, 'GET', `/api/subscription/${session.subscriptionId}`);
      assert.equal(before.status, 'incomplete');
      assert.equal(before.currentPeriodEnd, null);
      const open = await ok(clink, 'GET', `/api/subscription/invoice/${before.latestInvoiceId}`);
      assert.equal(open.status, 'open');
      assert.equal(open.amount, 1500);

      await ok(clink, 'POST', `/api/test/session/${session.sessionId}/pay`, {});
      const s = await ok(clink, 'GET', `/api/checkout/session/${session.sessionId}`);
      assert.equal(s.status, 'complete');
      assert.equal(s.subscriptionId, session.subscriptionId);
      assert.equal(s.customerId, session.customerId);
      const sub = await ok(clink, 'GET', `/api/subscription/${session.subscriptionId}`);
      assert.equal(sub.status, 'active');
      assert.deepEqual(
        [sub.customerId, sub.productId, sub.priceId, sub.currency, sub.amount, sub.interval, sub.sessionId, sub.trialEnd, sub.cancelAtPeriodEnd, sub.canceledAt],
        [session.customerId, 'prd_pro_plan', 'price_pro_monthly', 'USD', 1500, 'month', session.sessionId, null, false, null],
      );
      const start = new Date(sub.currentPeriodStart);
      const end = new Date(sub.currentPeriodEnd);
      assert.equal((end.getUTCMonth() - start.getUTCMonth() + 12) % 12, 1, 'a calendar month');
      const invoice = await ok(clink, 'GET', `/api/subscription/invoice/${sub.latestInvoiceId}`);
      assert.deepEqual(
        [invoice.status, invoice.amount, invoice.orderId, invoice.periodStart, invoice.periodEnd, invoice.attemptCount, invoice.subscriptionId, invoice.customerId],
        ['paid', 1500, s.orderId, sub.currentPeriodStart, sub.currentPeriodEnd, 1, sub.subscriptionId, sub.customerId],
      );
      assert.equal((await ok(clink, 'GET', `/api/order/${s.orderId}`)).status, 'paid');

      await receiver.waitFor(() => eventsOf(receiver, 'subscription.updated').length === 1 && eventsOf(receiver, 'invoice.updated').length === 1);
      const types = typesOf(receiver);
      for (const type of ['subscription.created', 'invoice.created', 'order.created', 'session.completed']) assert.ok(types.includes(type), `${type} in ${types}`);
      assert.equal(eventsOf(receiver, 'subscription.created')[0].data.status, 'incomplete');
      assert.equal(eventsOf(receiver, 'subscription.updated')[0].data.status, 'active');
      assert.equal(eventsOf(receiver, 'invoice.created')[0].data.status, 'open');
      assert.equal(eventsOf(receiver, 'invoice.updated')[0].data.status, 'paid');
      for (const entry of receiver.received) {
        const want = createHmac('sha256', 'whsec_billing_test').update(`${entry.headers['x-clink-timestamp']}.${entry.body}`).digest('hex');
        assert.equal(entry.headers['x-clink-signature'], want);
      }
    } finally {
      await clink.close();
      await receiver.close();
    }
  });

  test('refused at create, naming the field: a price not in the catalogue, another product, another amount or currency, an unknown customerId', TEST, async () => {
    const clink = await start();
    try {
      const path = '/api/checkout/session';
      assert.match(await refused(clink, 'POST', path, { ...PRO, priceId: 'price_nope' }, 400), /^priceId price_nope is not in the catalogue/);
      assert.match(await refused(clink, 'POST', path, { ...PRO, productId: 'prd_desk_lamp' }, 400), /^productId prd_desk_lamp does not match/);
      assert.match(await refused(clink, 'POST', path, { ...PRO, originalAmount: 1499 }, 400), /^originalAmount must be the price's unitAmount, 1500/);
      assert.match(await refused(clink, 'POST', path, { ...PRO, originalCurrency: 'EUR' }, 400), /^originalCurrency must be the price's currency, USD/);
      assert.match(await refused(clink, 'POST', path, { ...PRO, customerId: 'cus_nope' }, 400), /^customerId cus_nope is not a customer/);
      // A known customer subscribes again: no second customer.
      const first = await ok(clink, 'POST', path, { ...PRO, customerEmail: 'ada@example.com' });
      const again = await ok(clink, 'POST', path, { ...TRIAL, customerId: first.customerId });
      assert.equal(again.customerId, first.customerId);
      // Without an email either, a subscription checkout still makes its customer (it owns the card).
      const anonymous = await ok(clink, 'POST', path, PRO);
      assert.match(anonymous.customerId, /^cus_/);
      // A one-off catalogue price: no subscription.
      const lamp = await ok(clink, 'POST', path, LAMP);
      assert.equal(lamp.subscriptionId, undefined);
      assert.equal(lamp.customerId, null);
    } finally {
      await clink.close();
    }
  });

  test('a session that expires unpaid leaves the subscription incomplete_expired and its invoice void', TEST, async () => {
    const receiver = await startReceiver();
    const clink = await start({ webhooks: [receiver.url] });
    try {
      const session = await ok(clink, 'POST', '/api/checkout/session', PRO);
      await ok(clink, 'POST', `/api/test/session/${session.sessionId}/expire`, {});
      const sub = await ok(clink, 'GET', `/api/subscription/${session.subscriptionId}`);
      assert.equal(sub.status, 'incomplete_expired');
      assert.equal((await ok(clink, 'GET', `/api/subscription/invoice/${sub.latestInvoiceId}`)).status, 'void');
      assert.match(await refused(clink, 'POST', `/api/subscription/${sub.subscriptionId}/cancel`, undefined, 409), /already incomplete_expired/);
      const incomplete = await ok(clink, 'POST', '/api/checkout/session', PRO);
      assert.match(await refused(clink, 'POST', `/api/subscription/${incomplete.subscriptionId}/cancel`, undefined, 409), /incomplete/);
      await receiver.waitFor(() => eventsOf(receiver, 'subscription.updated').some((e) => e.data.status === 'incomplete_expired'));
    } finally {
      await clink.close();
      await receiver.close();
    }
  });
});

describe('time, renewals and cancellation', () => {
  test('with a trial: trialing with an invoice of 0 paid, then active at trial end with an invoice of the full amount', TEST, async () => {
    const clink = await start();
    try {
      const { session, sub } = await subscribe(clink, TRIAL);
      assert.equal(sub.status, 'trialing');
      // The hosted checkout names the plan and its terms, and starts a trial rather than paying.
      const html = await (await fetch(session.url)).text();
      assert.match(html, /<span>Pro plan<\/span> <span class="qty">14-day free trial, then \$15\.00 \/ month<\/span>/);
      assert.match(html, /id="pay-button" type="submit">Start free trial</);
      const { orderId } = await ok(clink, 'GET', `/api/checkout/session/${session.sessionId}`);
      assert.match(await refused(clink, 'POST', `/api/test/order/${orderId}/refund`, {}, 409), /started a free trial: nothing was charged/);
      assert.equal(sub.trialEnd, sub.currentPeriodEnd);
      assert.equal(sub.trialEnd - sub.currentPeriodStart, 14 * DAY);
      const first = await ok(clink, 'GET', `/api/subscription/invoice/${sub.latestInvoiceId}`);
      assert.deepEqual([first.status, first.amount], ['paid', 0]);
      const after = await ok(clink, 'POST', `/api/test/subscription/${sub.subscriptionId}/advance`);
      assert.equal(after.status, 'active');
      assert.equal(after.currentPeriodStart, sub.trialEnd);
      assert.equal(after.trialEnd, sub.trialEnd, 'trialEnd records when the trial ended');
      const second = await ok(clink, 'GET', `/api/subscription/invoice/${after.latestInvoiceId}`);
      assert.deepEqual([second.status, second.amount, second.periodStart, second.periodEnd], ['paid', 1500, after.currentPeriodStart, after.currentPeriodEnd]);
    } finally {
      await clink.close();
    }
  });

  test('a declining card: past_due with the invoice open; retried on the next advance; paid with a good card again', TEST, async () => {
    const receiver = await startReceiver();
    const clink = await start({ webhooks: [receiver.url] });
    try {
      const { sub } = await subscribe(clink);
      assert.match(await refused(clink, 'POST', `/api/test/subscription/${sub.subscriptionId}/card`, { number: '1234' }, 400), /^number: /);
      const declining = await ok(clink, 'POST', `/api/test/subscription/${sub.subscriptionId}/card`, { number: '4000 0000 0000 0002' });
      assert.equal(declining.cardLast4, '0002');
      const late = await ok(clink, 'POST', `/api/test/subscription/${sub.subscriptionId}/advance`);
      assert.equal(late.status, 'past_due');
      assert.equal(late.currentPeriodStart, sub.currentPeriodEnd, 'the period moved on');
      const open = await ok(clink, 'GET', `/api/subscription/invoice/${late.latestInvoiceId}`);
      assert.deepEqual([open.status, open.attemptCount], ['open', 1]);
      // The next advance retries the same invoice (the card still declines).
      const still = await ok(clink, 'POST', `/api/test/subscription/${sub.subscriptionId}/advance`);
      assert.equal(still.status, 'past_due');
      assert.equal(still.latestInvoiceId, late.latestInvoiceId);
      assert.equal((await ok(clink, 'GET', `/api/subscription/invoice/${late.latestInvoiceId}`)).attemptCount, 2);
      await ok(clink, 'POST', `/api/test/subscription/${sub.subscriptionId}/card`, { number: '4242424242424242' });
      // A clock advance of a day reaches the scheduled retry too.
      const clock = await ok(clink, 'POST', '/api/test/clock/advance', { ms: DAY });
      assert.ok(clock.timersRun >= 1);
      const paid = await ok(clink, 'GET', `/api/subscription/${sub.subscriptionId}`);
      assert.equal(paid.status, 'active');
      const invoice = await ok(clink, 'GET', `/api/subscription/invoice/${late.latestInvoiceId}`);
      assert.deepEqual([invoice.status, invoice.attemptCount], ['paid', 3]);
      await receiver.waitFor(() => eventsOf(receiver, 'subscription.updated').map((e) => e.data.status).join() === 'active,past_due,past_due,active');
    } finally {
      await clink.close();
      await receiver.close();
    }
  });

  test('after the last failed attempt the invoice is void and the subscription canceled', TEST, async () => {
    const clink = await start();
    try {
      const { sub } = await subscribe(clink);
      await ok(clink, 'POST', `/api/test/subscription/${sub.subscriptionId}/card`, { number: '4000 0000 0000 0002' });
      let view;
      for (let i = 0; i < 4; i += 1) view = await ok(clink, 'POST', `/api/test/subscription/${sub.subscriptionId}/advance`);
      assert.equal(view.status, 'canceled');
      assert.equal(typeof view.canceledAt, 'number');
      const invoice = await ok(clink, 'GET', `/api/subscription/invoice/${view.latestInvoiceId}`);
      assert.deepEqual([invoice.status, invoice.attemptCount], ['void', 4]);
      assert.match(await refused(clink, 'POST', `/api/test/subscription/${sub.subscriptionId}/advance`, undefined, 409), /canceled/);
      assert.match(await refused(clink, 'POST', `/api/test/subscription/${sub.subscriptionId}/card`, { number: '4242 4242 4242 4242' }, 409), /canceled/);
    } finally {
      await clink.close();
    }
  });

  test('cancel at period end: stays active until the period ends, then canceled; subscription.updated both times', TEST, async () => {
    const receiver = await startReceiver();
    const clink = await start({ webhooks: [receiver.url] });
    try {
      const { sub } = await subscribe(clink);
      const cancelling = await ok(clink, 'POST', `/api/subscription/${sub.subscriptionId}/cancel`);
      assert.deepEqual([cancelling.status, cancelling.cancelAtPeriodEnd, cancelling.canceledAt], ['active', true, null]);
      const again = await ok(clink, 'POST', `/api/subscription/${sub.subscriptionId}/cancel`);
      assert.equal(again.cancelAtPeriodEnd, true, 'a second cancel changes nothing');
      // A month of time: the period ends, the subscription is canceled, no renewal invoice.
      await ok(clink, 'POST', '/api/test/clock/advance', { ms: 32 * DAY });
      const ended = await ok(clink, 'GET', `/api/subscription/${sub.subscriptionId}`);
      assert.equal(ended.status, 'canceled');
      assert.equal(ended.canceledAt, sub.currentPeriodEnd);
      assert.equal(ended.latestInvoiceId, sub.latestInvoiceId);
      assert.match(await refused(clink, 'POST', `/api/subscription/${sub.subscriptionId}/cancel`, undefined, 409), /^the subscription is already canceled/);
      assert.equal(await refused(clink, 'POST', '/api/subscription/sub_nope/cancel', undefined, 404), 'no subscription sub_nope');
      await receiver.waitFor(() => eventsOf(receiver, 'subscription.updated').length === 3);
      assert.deepEqual(eventsOf(receiver, 'subscription.updated').map((e) => [e.data.status, e.data.cancelAtPeriodEnd]), [['active', false], ['active', true], ['canceled', true]]);
    } finally {
      await clink.close();
      await receiver.close();
    }
  });

  test('one clock: advancing it renews subscriptions, expires sessions and sends webhook retries', TEST, async () => {
    let failFirst = true;
    const receiver = await startReceiver((n, req, body) => {
      if (failFirst && JSON.parse(body).type === 'session.expired') {
        failFirst = false;
        return 503;
      }
      return 200;
    });
    // Real time would take an hour to retry: only the clock can bring the retry this soon.
    const clink = await start({ webhooks: [receiver.url], webhookRetryBaseMs: 3_600_000 });
    try {
      const { sub } = await subscribe(clink);
      const open = await ok(clink, 'POST', '/api/checkout/session', LAMP);
      const before = await ok(clink, 'GET', '/api/test/clock');
      assert.equal(before.offsetMs, 0);
      const moved = await ok(clink, 'POST', '/api/test/clock/advance', { ms: 31 * DAY + 3600_000 });
      assert.ok(moved.offsetMs >= 31 * DAY + 3600_000);
      assert.ok(moved.now >= before.now + 31 * DAY);
      assert.equal((await ok(clink, 'GET', `/api/checkout/session/${open.sessionId}`)).status, 'expired');
      const renewed = await ok(clink, 'GET', `/api/subscription/${sub.subscriptionId}`);
      assert.equal(renewed.currentPeriodStart, sub.currentPeriodEnd);
      assert.notEqual(renewed.latestInvoiceId, sub.latestInvoiceId);
      assert.equal((await ok(clink, 'GET', `/api/subscription/invoice/${renewed.latestInvoiceId}`)).status, 'paid');
      // The session.expired delivery failed once: its retry waits an hour on the clock.
      await receiver.waitFor(() => eventsOf(receiver, 'session.expired').length === 1);
      const [delivery] = (await ok(clink, 'GET', '/api/webhook/deliveries?type=session.expired')).items;
      await waitUntil(async () => {
        const now = await ok(clink, 'GET', `/api/webhook/deliveries/${delivery.deliveryId}`);
        return now.status === 'pending' && now.attempts.length === 1 && now.attempts[0].statusCode === 503;
      });
      await ok(clink, 'POST', '/api/test/clock/advance', { ms: 3_600_000 });
      await receiver.waitFor(() => eventsOf(receiver, 'session.expired').length === 2);
      const events = eventsOf(receiver, 'session.expired');
      assert.equal(events[0].id, events[1].id, 'the retry keeps the event id');
      assert.equal(eventsOf(receiver, 'invoice.created').length, 2);
      // The webhook timestamp is wall-clock time, so receivers' freshness checks still pass.
      const last = receiver.received[receiver.received.length - 1];
      assert.ok(Math.abs(Number(last.headers['x-clink-timestamp']) - Date.now()) < 60_000);
      for (const ms of [0, -1, 1.5, '1000', 6 * 366 * DAY]) {
        assert.match(await refused(clink, 'POST', '/api/test/clock/advance', { ms }, 400), /^ms must be a whole number of milliseconds/);
      }
    } finally {
      await clink.close();
      await receiver.close();
    }
  });
});

async function waitUntil(check) {
  for (let i = 0; i < 400; i += 1) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('condition not reached');
}

describe('refunds', () => {
  test('full or partial, never more than what is left; the order shows them; refund.created then refund.updated', TEST, async () => {
    const receiver = await startReceiver();
    const clink = await start({ webhooks: [receiver.url] });
    try {
      const session = await ok(clink, 'POST', '/api/checkout/session', LAMP);
      assert.match(await (await fetch(session.url)).text(), /<span>Desk lamp<\/span> <span class="qty">one-off<\/span>[\s\S]*>Pay \$49\.00</);
      const unpaid = await ok(clink, 'POST', `/api/test/session/${session.sessionId}/pay`, { hold: true });
      assert.match(await refused(clink, 'POST', `/api/test/order/${unpaid.orderId}/refund`, {}, 409), /is pending: only a paid order can be refunded/);
      await ok(clink, 'POST', `/api/test/session/${session.sessionId}/state`, { state: 'success' });
      const { orderId } = unpaid;
      const part = await ok(clink, 'POST', `/api/test/order/${orderId}/refund`, { amount: 900, reason: 'scratched' });
      assert.match(part.refundId, /^rfd_/);
      assert.deepEqual([part.orderId, part.amount, part.currency, part.status, part.reason], [orderId, 900, 'USD', 'succeeded', 'scratched']);
      assert.match(await refused(clink, 'POST', `/api/test/order/${orderId}/refund`, { amount: 4001 }, 400), /^amount 4001 is more than what is left to refund of order .*: 4000/);
      assert.match(await refused(clink, 'POST', `/api/test/order/${orderId}/refund`, { amount: '100' }, 400), /^amount must be an integer/);
      assert.match(await refused(clink, 'POST', `/api/test/order/${orderId}/refund`, { reason: 5 }, 400), /^reason must be/);
      // No body at all: a full refund of what is left.
      const rest = await api(clink, 'POST', `/api/test/order/${orderId}/refund`);
      assert.equal(rest.status, 200, rest.text);
      assert.equal(rest.json.data.amount, 4000);
      const order = await ok(clink, 'GET', `/api/order/${orderId}`);
      assert.equal(order.status, 'paid');
      assert.equal(order.refundedAmount, 4900);
      assert.deepEqual(order.refundIds, [part.refundId, rest.json.data.refundId]);
      assert.match(await refused(clink, 'POST', `/api/test/order/${orderId}/refund`, {}, 409), /fully refunded already/);
      assert.deepEqual(await ok(clink, 'GET', `/api/refund/${part.refundId}`), part);
      assert.equal(await refused(clink, 'GET', '/api/refund/rfd_nope', undefined, 404), 'no refund rfd_nope');
      assert.equal(await refused(clink, 'POST', '/api/test/order/ord_nope/refund', {}, 404), 'no order ord_nope');
      await receiver.waitFor(() => eventsOf(receiver, 'refund.updated').length === 2);
      assert.deepEqual(eventsOf(receiver, 'refund.created').map((e) => [e.data.refundId, e.data.status]), [[part.refundId, 'pending'], [rest.json.data.refundId, 'pending']]);
      assert.deepEqual(eventsOf(receiver, 'refund.updated').map((e) => e.data.status), ['succeeded', 'succeeded']);
      const orderUpdates = eventsOf(receiver, 'order.updated').filter((e) => e.data.refundedAmount > 0);
      assert.deepEqual(orderUpdates.map((e) => e.data.refundedAmount), [900, 4900]);
    } finally {
      await clink.close();
      await receiver.close();
    }
  });
});

describe('customer portal session', () => {
  test('POST /api/billing/session: a time-limited portal link of a known customer; bad input named', TEST, async () => {
    const clink = await start();
    try {
      const { session } = await subscribe(clink);
      const portal = await ok(clink, 'POST', '/api/billing/session', { customerId: session.customerId, returnUrl: 'http://127.0.0.1:9/account' });
      assert.match(portal.url, new RegExp(`^${clink.url}/portal/bps_[0-9a-f]{16}_[A-Za-z0-9_-]{32}$`));
      assert.equal(portal.customerId, session.customerId);
      assert.equal(portal.returnUrl, 'http://127.0.0.1:9/account');
      const clock = await ok(clink, 'GET', '/api/test/clock');
      assert.equal(portal.expiresAt - clock.now > 59 * 60_000, true);
      const page = await fetch(portal.url);
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-security-policy'), /frame-ancestors 'none'/);
      const html = await page.text();
      assert.match(html, new RegExp(`data-subscription-id="${session.subscriptionId}"`));
      assert.match(html, /Renews on/);
      assert.match(await refused(clink, 'POST', '/api/billing/session', {}, 400), /^customerId is required/);
      assert.equal(await refused(clink, 'POST', '/api/billing/session', { customerId: 'cus_nope' }, 404), 'no customer cus_nope');
      assert.match(await refused(clink, 'POST', '/api/billing/session', { customerId: session.customerId, returnUrl: 'javascript:alert(1)' }, 400), /^returnUrl must be an absolute http\(s\) URL/);
      const wrongToken = await fetch(portal.url.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')));
      assert.equal(wrongToken.status, 404);
      assert.match(await wrongToken.text(), /Billing link not valid/);
      await ok(clink, 'POST', '/api/test/clock/advance', { ms: 3_600_000 });
      const expired = await fetch(portal.url);
      assert.equal(expired.status, 410);
      assert.match(await expired.text(), /This billing link has expired/);
    } finally {
      await clink.close();
    }
  });

  test('the portal\'s cancel POST: only from its own origin, only a subscription of that customer', TEST, async () => {
    const clink = await start();
    try {
      const { session, sub } = await subscribe(clink);
      const other = await subscribe(clink, { customerEmail: 'bob@example.com' });
      const portal = await ok(clink, 'POST', '/api/billing/session', { customerId: session.customerId });
      const post = (id, headers) => fetch(`${portal.url}/subscriptions/${id}/cancel`, { method: 'POST', redirect: 'manual', headers });
      for (const headers of [{ Origin: 'http://evil.example' }, {}, { 'Sec-Fetch-Site': 'cross-site' }, { Origin: 'null' }]) {
        const r = await post(sub.subscriptionId, headers);
        assert.equal(r.status, 403, JSON.stringify(headers));
      }
      assert.equal((await ok(clink, 'GET', `/api/subscription/${sub.subscriptionId}`)).cancelAtPeriodEnd, false);
      assert.equal((await post(other.sub.subscriptionId, { Origin: clink.url })).status, 404, "another customer's subscription");
      const done = await post(sub.subscriptionId, { Origin: clink.url });
      assert.equal(done.status, 303);
      assert.equal(done.headers.get('location'), `${new URL(portal.url).pathname}?canceled=${sub.subscriptionId}`);
      assert.equal((await ok(clink, 'GET', `/api/subscription/${sub.subscriptionId}`)).cancelAtPeriodEnd, true);
      assert.equal((await post(sub.subscriptionId, { 'Sec-Fetch-Site': 'same-origin' })).status, 303, 'no Origin: Sec-Fetch-Site decides');
      // The page opened as localhost: its own origin is the Host it came to.
      const port = new URL(clink.url).port;
      const asLocalhost = await fetch(`${portal.url.replace('127.0.0.1', 'localhost')}/subscriptions/${sub.subscriptionId}/cancel`, {
        method: 'POST', redirect: 'manual', headers: { Origin: `http://localhost:${port}` },
      });
      assert.equal(asLocalhost.status, 303);
    } finally {
      await clink.close();
    }
  });
});
