// The local Clink's billing rules, pure: billing periods, the clock every scheduler shares,
// catalogue checking, refund planning, and the renewal outcomes (docs/local-clink.md).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { WWW } from './support.mjs';

const lib = (name) => import(pathToFileURL(join(WWW, 'lib', name)).href);
const { addInterval, trialEndOf, cancelProblem, afterRenewalPayment, MAX_RENEWAL_ATTEMPTS } = await lib('billing-rules.mjs');
const { Clock } = await lib('clock.mjs');
const { readCatalog, DEFAULT_CATALOG, Catalog, catalogOption } = await lib('catalog.mjs');
const { planRefund } = await lib('refunds.mjs');

const utc = (text) => Date.parse(`${text}T12:00:00Z`);

describe('billing periods', () => {
  test('a month is a calendar month in UTC; a day the month lacks becomes its last day', () => {
    assert.equal(addInterval(utc('2026-01-15'), 'month'), utc('2026-02-15'));
    assert.equal(addInterval(utc('2026-01-31'), 'month'), utc('2026-02-28'));
    assert.equal(addInterval(utc('2028-01-31'), 'month'), utc('2028-02-29'), 'leap year');
    assert.equal(addInterval(utc('2026-12-31'), 'month'), utc('2027-01-31'));
    assert.equal(addInterval(utc('2026-03-31'), 'month'), utc('2026-04-30'));
  });

  test('weeks are 7 days, years calendar years (Feb 29 → Feb 28)', () => {
    assert.equal(addInterval(utc('2026-12-29'), 'week'), utc('2027-01-05'));
    assert.equal(addInterval(utc('2026-05-01'), 'year'), utc('2027-05-01'));
    assert.equal(addInterval(utc('2028-02-29'), 'year'), utc('2029-02-28'));
    assert.equal(trialEndOf(utc('2026-12-25'), 14), utc('2027-01-08'));
  });

  test('cancel at period end: refused for an ended or never-started subscription, with why', () => {
    for (const status of ['active', 'trialing', 'past_due']) assert.equal(cancelProblem(status), null, status);
    assert.match(cancelProblem('canceled'), /already canceled/);
    assert.match(cancelProblem('incomplete_expired'), /already incomplete_expired/);
    assert.match(cancelProblem('incomplete'), /never paid/);
  });

  test('a renewal payment: paid → active; declined → past_due, then void + canceled at the last attempt', () => {
    assert.deepEqual(afterRenewalPayment(true, 1), { invoice: 'paid', subscription: 'active' });
    assert.deepEqual(afterRenewalPayment(true, MAX_RENEWAL_ATTEMPTS), { invoice: 'paid', subscription: 'active' });
    assert.deepEqual(afterRenewalPayment(false, 1), { invoice: 'open', subscription: 'past_due' });
    assert.deepEqual(afterRenewalPayment(false, MAX_RENEWAL_ATTEMPTS - 1), { invoice: 'open', subscription: 'past_due' });
    assert.deepEqual(afterRenewalPayment(false, MAX_RENEWAL_ATTEMPTS), { invoice: 'void', subscription: 'canceled' });
  });
});

describe('the clock', () => {
  // A wall clock that stands still, so that only advance() moves time.
  const frozen = () => {
    const t = utc('2026-12-01');
    return new Clock({ realNow: () => t });
  };

  test('advance runs the due timers in due order, each at its own due time, and not the later ones', () => {
    const clock = frozen();
    const start = clock.now();
    const ran = [];
    clock.schedule(300, () => ran.push(['c', clock.now() - start]));
    clock.schedule(100, () => ran.push(['a', clock.now() - start]));
    clock.schedule(200, () => ran.push(['b', clock.now() - start]));
    clock.schedule(5000, () => ran.push(['late', clock.now() - start]));
    assert.equal(clock.advance(1000), 3);
    assert.deepEqual(ran, [['a', 100], ['b', 200], ['c', 300]]);
    assert.equal(clock.now() - start, 1000);
    assert.equal(clock.offsetMs, 1000);
    assert.equal(clock.pending, 1);
    clock.close();
  });

  test('scheduleAt runs at exactly that time (a renewal at its period end, to the millisecond)', () => {
    const clock = frozen();
    const at = clock.now() + 12_345;
    let ranAt = null;
    clock.scheduleAt(at, () => {
      ranAt = clock.now();
    });
    clock.advance(20_000);
    assert.equal(ranAt, at);
    let past = false;
    clock.scheduleAt(clock.now() - 5, () => {
      past = true;
    });
    clock.advance(0);
    assert.equal(past, true, 'a time already past runs at the next chance');
    clock.close();
  });

  test('time stands still while a timer runs, even when the wall clock ticks between two reads', () => {
    let t = utc('2026-12-01');
    const clock = new Clock({ realNow: () => (t += 1) }); // every read is a millisecond later
    const at = clock.now() + 50_000;
    const seen = [];
    clock.scheduleAt(at, () => seen.push(clock.now(), clock.now()));
    clock.advance(60_000);
    assert.deepEqual(seen, [at, at]);
    assert.ok(clock.now() > at, 'and moves on after it');
    clock.close();
  });

  test('thousands of timers, a third cancelled: the rest run once each, by due time then by scheduling order', () => {
    const clock = frozen();
    const start = clock.now();
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    const ran = [];
    const live = [];
    for (let i = 0; i < 3000; i += 1) {
      const due = start + (random() % 500); // many share a due time
      const id = clock.scheduleAt(due, () => ran.push(i));
      if (i % 3 === 0) clock.cancel(id);
      else live.push({ i, due });
    }
    assert.equal(clock.pending, live.length);
    clock.advance(250);
    clock.advance(250);
    const want = live.sort((a, b) => a.due - b.due || a.i - b.i).map((t) => t.i);
    assert.deepEqual(ran, want);
    assert.equal(clock.pending, 0);
    clock.close();
  });

  test('a timer scheduled by a timer runs within the same advance when it falls due before its end', () => {
    const clock = frozen();
    const start = clock.now();
    const ran = [];
    const renew = () => {
      ran.push(clock.now() - start);
      clock.schedule(30, renew);
    };
    clock.schedule(30, renew);
    assert.equal(clock.advance(100), 3);
    assert.deepEqual(ran, [30, 60, 90]);
    clock.close();
  });

  test('cancel and close: cancelled timers never run; nothing runs after close; a throwing timer stops no other', () => {
    const clock = frozen();
    const ran = [];
    const id = clock.schedule(10, () => ran.push('cancelled'));
    clock.schedule(20, () => {
      throw new Error('boom');
    });
    clock.schedule(30, () => ran.push('after the throw'));
    clock.cancel(id);
    clock.cancel(12345); // unknown: ignored
    clock.advance(50);
    assert.deepEqual(ran, ['after the throw']);
    clock.schedule(10, () => ran.push('after close'));
    clock.close();
    clock.advance(100);
    assert.equal(clock.schedule(1, () => ran.push('scheduled after close')), 0);
    assert.deepEqual(ran, ['after the throw']);
    assert.throws(() => clock.advance(-1), RangeError);
    assert.throws(() => clock.advance(Number.NaN), RangeError);
  });

  test('real time runs the timers too (a 0 ms timer fires without an advance)', async () => {
    const clock = new Clock();
    const fired = await new Promise((resolve) => {
      clock.schedule(0, () => resolve(true));
    });
    assert.equal(fired, true);
    clock.close();
  });
});

describe('catalogue', () => {
  test('the default catalogue: the lamp one-off, the Pro plan monthly with and without a 14-day trial, all USD', () => {
    const read = readCatalog(DEFAULT_CATALOG, 1);
    assert.equal(read.ok, true);
    const catalog = new Catalog(read.products);
    assert.deepEqual(catalog.products().map((p) => p.productId), ['prd_desk_lamp', 'prd_pro_plan']);
    assert.deepEqual(catalog.price('price_desk_lamp'), {
      priceId: 'price_desk_lamp', productId: 'prd_desk_lamp', type: 'one_time', unitAmount: 4900, currency: 'USD', recurring: null, active: true, createdAt: 1,
    });
    assert.deepEqual(catalog.price('price_pro_monthly').recurring, { interval: 'month', intervalCount: 1, trialPeriodDays: null });
    assert.deepEqual(catalog.price('price_pro_monthly_trial').recurring, { interval: 'month', intervalCount: 1, trialPeriodDays: 14 });
    assert.equal(catalog.product('prd_pro_plan').description, 'A monthly subscription.');
    assert.equal(catalog.product('nope'), null);
  });

  test('a checkout of a catalogue price must name its product, currency and amount', () => {
    const catalog = new Catalog(readCatalog(DEFAULT_CATALOG, 1).products);
    const ok = { priceId: 'price_pro_monthly', productId: 'prd_pro_plan', originalAmount: 1500, originalCurrency: 'USD' };
    assert.equal(catalog.checkoutProblem(ok), null);
    assert.match(catalog.checkoutProblem({ ...ok, priceId: 'price_x' }), /^priceId price_x is not in the catalogue/);
    assert.match(catalog.checkoutProblem({ ...ok, productId: 'prd_desk_lamp' }), /^productId prd_desk_lamp does not match priceId price_pro_monthly/);
    assert.match(catalog.checkoutProblem({ ...ok, originalAmount: 1499 }), /^originalAmount must be the price's unitAmount, 1500/);
    assert.match(catalog.checkoutProblem({ ...ok, originalCurrency: 'EUR' }), /^originalCurrency must be the price's currency, USD/);
  });

  test('a bad catalogue is refused with the field that is wrong', () => {
    const price = { priceId: 'p1', type: 'one_time', unitAmount: 100, currency: 'USD' };
    const product = (extra = {}, prices = [price]) => ({ products: [{ productId: 'prd_1', name: 'One', prices, ...extra }] });
    const cases = [
      [null, /^catalog must be an object/],
      [[], /^catalog must be an object/],
      [{}, /^catalog\.products must be an array/],
      [{ products: [1] }, /^catalog\.products\[0\] must be an object/],
      [product({ productId: 'has space' }), /^catalog\.products\[0\]\.productId must be/],
      [product({ name: '' }), /^catalog\.products\[0\]\.name must be/],
      [product({ description: 5 }), /^catalog\.products\[0\]\.description must be/],
      [product({}, []), /^catalog\.products\[0\]\.prices must be a non-empty array/],
      [product({}, [{ ...price, type: 'monthly' }]), /^catalog\.products\[0\]\.prices\[0\]\.type must be "one_time" or "recurring"/],
      [product({}, [{ ...price, unitAmount: 0 }]), /prices\[0\]\.unitAmount must be an integer/],
      [product({}, [{ ...price, unitAmount: 1.5 }]), /prices\[0\]\.unitAmount must be an integer/],
      [product({}, [{ ...price, currency: 'ZZZ' }]), /prices\[0\]\.currency must be one of Clink's currencies/],
      [product({}, [{ ...price, recurring: { interval: 'month' } }]), /prices\[0\]\.recurring must be absent for a one_time price/],
      [product({}, [{ ...price, type: 'recurring' }]), /prices\[0\]\.recurring is required for a recurring price/],
      [product({}, [{ ...price, type: 'recurring', recurring: { interval: 'day' } }]), /prices\[0\]\.recurring\.interval must be one of week, month, year/],
      [product({}, [{ ...price, type: 'recurring', recurring: { interval: 'month', intervalCount: 3 } }]), /recurring\.intervalCount must be 1/],
      [product({}, [{ ...price, type: 'recurring', recurring: { interval: 'month', trialPeriodDays: 0 } }]), /recurring\.trialPeriodDays must be a whole number of days/],
      [product({}, [price, price]), /prices\[1\]\.priceId repeats p1/],
      [{ products: [product().products[0], product().products[0]] }, /^catalog\.products\[1\]\.productId repeats prd_1/],
    ];
    for (const [value, want] of cases) {
      const read = readCatalog(value, 1);
      assert.equal(read.ok, false, JSON.stringify(value));
      assert.match(read.msg, want, JSON.stringify(value));
    }
    assert.throws(() => catalogOption({ products: 'x' }, 1), (err) => err instanceof TypeError && err.option === 'catalog' && /catalog\.products/.test(err.message));
    assert.equal(catalogOption(undefined, 1).length, 2, 'absent: the default catalogue');
  });
});

describe('refund planning', () => {
  const order = (extra = {}) => ({ orderId: 'ord_1', status: 'paid', originalAmount: 4900, refundedAmount: 0, ...extra });

  test('full when no amount; partial; never more than what is left', () => {
    assert.deepEqual(planRefund(order(), {}), { ok: true, amount: 4900, reason: null });
    assert.deepEqual(planRefund(order({ refundedAmount: 900 }), {}), { ok: true, amount: 4000, reason: null });
    assert.deepEqual(planRefund(order(), { amount: 100, reason: 'scratched' }), { ok: true, amount: 100, reason: 'scratched' });
    assert.deepEqual(planRefund(order({ refundedAmount: 4000 }), { amount: 900 }), { ok: true, amount: 900, reason: null });
    const over = planRefund(order({ refundedAmount: 4000 }), { amount: 901 });
    assert.equal(over.status, 400);
    assert.match(over.msg, /^amount 901 is more than what is left to refund of order ord_1: 900/);
  });

  test('refused: an unpaid or fully refunded order (409), a bad amount or reason (400)', () => {
    assert.equal(planRefund(order({ status: 'pending' }), {}).status, 409);
    assert.match(planRefund(order({ refundedAmount: 4900 }), {}).msg, /fully refunded already/);
    for (const amount of [0, -5, 1.5, '100', null]) {
      const plan = planRefund(order(), { amount: amount === null ? Number.NaN : amount });
      assert.equal(plan.status, 400, String(amount));
      assert.match(plan.msg, /^amount must be an integer/);
    }
    assert.match(planRefund(order(), { reason: 7 }).msg, /^reason must be/);
    assert.match(planRefund(order(), { reason: 'x'.repeat(256) }).msg, /^reason must be/);
  });
});
