// Subscriptions and their invoices: started by a checkout of a recurring price, renewed on the
// local Clink's clock (clock.mjs), cancelled at period end. The store owns its clock timers (one
// for the period end, one for a payment retry, per subscription); close() cancels them all.
// Every change is announced through `emit(type, data)` with `data` as the REST API shows it.
import { randomBytes } from 'node:crypto';
import { ApiError } from './http.mjs';
import {
  RENEWAL_RETRY_MS, addInterval, afterRenewalPayment, cancelProblem, trialEndOf,
} from './billing-rules.mjs';

const MAX_SUBSCRIPTIONS = 10_000;
const newId = (prefix) => `${prefix}${randomBytes(10).toString('hex')}`;

export class SubscriptionStore {
  #subscriptions = new Map();
  #invoices = new Map();
  #timers = new Map(); // subscriptionId → Map(kind → clock timer id)
  #clock;
  #emit;

  /** @param {{ clock: import('./clock.mjs').Clock, emit: (type: string, data: object) => void }} opts */
  constructor({ clock, emit }) {
    this.#clock = clock;
    this.#emit = emit;
  }

  /**
   * A subscription checkout was created: the subscription starts `incomplete` with its first
   * invoice `open` (subscription.created, invoice.created).
   */
  startCheckout(session, price) {
    const now = this.#clock.now();
    const trialDays = price.recurring.trialPeriodDays;
    const sub = {
      subscriptionId: newId('sub_'),
      customerId: session.customerId,
      productId: price.productId,
      priceId: price.priceId,
      status: 'incomplete',
      currency: price.currency,
      amount: price.unitAmount,
      interval: price.recurring.interval,
      trialPeriodDays: trialDays,
      currentPeriodStart: null,
      currentPeriodEnd: null,
      trialEnd: null,
      cancelAtPeriodEnd: false,
      canceledAt: null,
      latestInvoiceId: null,
      sessionId: session.id,
      createdAt: now,
      card: null,
      invoiceIds: [],
    };
    this.#subscriptions.set(sub.subscriptionId, sub);
    this.#evict();
    this.#emit('subscription.created', this.view(sub));
    const start = now;
    const end = trialDays ? trialEndOf(start, trialDays) : addInterval(start, sub.interval);
    this.#newInvoice(sub, { amount: trialDays ? 0 : sub.amount, periodStart: start, periodEnd: end });
    return sub;
  }

  /** The checkout's payment succeeded: active (or trialing), first invoice paid, card kept. */
  checkoutPaid(subscriptionId, { orderId, card }) {
    const sub = this.#subscriptions.get(subscriptionId);
    if (!sub || sub.status !== 'incomplete') return;
    const now = this.#clock.now();
    const invoice = this.#invoices.get(sub.latestInvoiceId);
    sub.card = card;
    sub.currentPeriodStart = now;
    if (sub.trialPeriodDays) {
      sub.trialEnd = trialEndOf(now, sub.trialPeriodDays);
      sub.currentPeriodEnd = sub.trialEnd;
      sub.status = 'trialing';
    } else {
      sub.currentPeriodEnd = addInterval(now, sub.interval);
      sub.status = 'active';
    }
    Object.assign(invoice, {
      status: 'paid', orderId, attemptCount: 1, paidAt: now, periodStart: sub.currentPeriodStart, periodEnd: sub.currentPeriodEnd,
    });
    this.#emit('invoice.updated', this.invoiceView(invoice));
    this.#emit('subscription.updated', this.view(sub));
    this.#schedulePeriodEnd(sub);
  }

  /** The checkout session expired unpaid: incomplete_expired, first invoice void. */
  checkoutExpired(subscriptionId) {
    const sub = this.#subscriptions.get(subscriptionId);
    if (!sub || sub.status !== 'incomplete') return;
    const invoice = this.#invoices.get(sub.latestInvoiceId);
    if (invoice && invoice.status === 'open') {
      invoice.status = 'void';
      this.#emit('invoice.updated', this.invoiceView(invoice));
    }
    sub.status = 'incomplete_expired';
    this.#emit('subscription.updated', this.view(sub));
  }

  get(subscriptionId) {
    return typeof subscriptionId === 'string' ? this.#subscriptions.get(subscriptionId) ?? null : null;
  }

  getInvoice(invoiceId) {
    return typeof invoiceId === 'string' ? this.#invoices.get(invoiceId) ?? null : null;
  }

  /** Newest first; of one customer when given. */
  list({ customerId } = {}) {
    return [...this.#subscriptions.values()].reverse().filter((s) => !customerId || s.customerId === customerId);
  }

  /** The invoices of a subscription, newest first. */
  invoicesOf(sub) {
    return sub.invoiceIds.map((id) => this.#invoices.get(id)).filter(Boolean).reverse();
  }

  get size() {
    return this.#subscriptions.size;
  }

  /** The subscription as the REST API and the webhooks show it. */
  view(sub) {
    return {
      subscriptionId: sub.subscriptionId,
      customerId: sub.customerId,
      productId: sub.productId,
      priceId: sub.priceId,
      status: sub.status,
      currency: sub.currency,
      amount: sub.amount,
      interval: sub.interval,
      currentPeriodStart: sub.currentPeriodStart,
      currentPeriodEnd: sub.currentPeriodEnd,
      trialEnd: sub.trialEnd,
      cancelAtPeriodEnd: sub.cancelAtPeriodEnd,
      canceledAt: sub.canceledAt,
      latestInvoiceId: sub.latestInvoiceId,
      sessionId: sub.sessionId,
      createdAt: sub.createdAt,
      cardLast4: sub.card ? sub.card.last4 : null,
    };
  }

  invoiceView(invoice) {
    return { ...invoice };
  }

  /** Cancel at period end (POST /api/subscription/{id}/cancel). Again on a cancelling one: no change. */
  cancelAtPeriodEnd(sub) {
    const problem = cancelProblem(sub.status);
    if (problem) throw new ApiError(409, problem);
    if (sub.cancelAtPeriodEnd) return sub;
    sub.cancelAtPeriodEnd = true;
    this.#emit('subscription.updated', this.view(sub));
    return sub;
  }

  /** Test control: the card later renewals are paid with ({ last4, result } of readCard). */
  setCard(sub, card) {
    if (sub.status === 'canceled' || sub.status === 'incomplete_expired' || sub.status === 'incomplete') {
      throw new ApiError(409, `the subscription is ${sub.status}: it has no renewals to pay`);
    }
    sub.card = card;
    return sub;
  }

  /**
   * Test control: a past_due subscription retries its open invoice now; any other live one
   * reaches the end of its current period now (renewal, trial end, or cancellation at period end).
   */
  advance(sub) {
    if (sub.status === 'past_due') {
      this.#retry(sub);
      return sub;
    }
    if (sub.status !== 'active' && sub.status !== 'trialing') {
      throw new ApiError(409, `the subscription is ${sub.status}: it has no period to advance`);
    }
    this.#periodEnd(sub);
    return sub;
  }

  /** Cancels every clock timer of the store. */
  close() {
    for (const timers of this.#timers.values()) for (const id of timers.values()) this.#clock.cancel(id);
    this.#timers.clear();
  }

  #newInvoice(sub, { amount, periodStart, periodEnd }) {
    const invoice = {
      invoiceId: newId('inv_'),
      subscriptionId: sub.subscriptionId,
      customerId: sub.customerId,
      status: 'open',
      amount,
      currency: sub.currency,
      periodStart,
      periodEnd,
      orderId: null,
      attemptCount: 0,
      createdAt: this.#clock.now(),
      paidAt: null,
    };
    this.#invoices.set(invoice.invoiceId, invoice);
    sub.invoiceIds.push(invoice.invoiceId);
    sub.latestInvoiceId = invoice.invoiceId;
    this.#emit('invoice.created', this.invoiceView(invoice));
    return invoice;
  }

  // The current period ended: cancel (cancelAtPeriodEnd), or renew with a new invoice and pay it.
  #periodEnd(sub) {
    this.#clear(sub);
    const now = this.#clock.now();
    if (sub.cancelAtPeriodEnd) {
      const open = this.#invoices.get(sub.latestInvoiceId);
      if (open && open.status === 'open') {
        open.status = 'void';
        this.#emit('invoice.updated', this.invoiceView(open));
      }
      sub.status = 'canceled';
      sub.canceledAt = now;
      this.#emit('subscription.updated', this.view(sub));
      return;
    }
    const start = sub.currentPeriodEnd;
    const end = addInterval(start, sub.interval);
    sub.currentPeriodStart = start;
    sub.currentPeriodEnd = end;
    // An unpaid invoice of the period before is closed: the new one replaces it.
    const previous = this.#invoices.get(sub.latestInvoiceId);
    if (previous && previous.status === 'open') {
      previous.status = 'void';
      this.#emit('invoice.updated', this.invoiceView(previous));
    }
    this.#newInvoice(sub, { amount: sub.amount, periodStart: start, periodEnd: end });
    this.#schedulePeriodEnd(sub);
    this.#pay(sub);
  }

  #retry(sub) {
    this.#clear(sub, 'retry');
    this.#pay(sub);
  }

  // One payment attempt of the latest invoice with the subscription's card.
  #pay(sub) {
    const invoice = this.#invoices.get(sub.latestInvoiceId);
    if (!invoice || invoice.status !== 'open') return;
    const now = this.#clock.now();
    invoice.attemptCount += 1;
    const paid = sub.card?.result === 'paid';
    const next = afterRenewalPayment(paid, invoice.attemptCount);
    invoice.status = next.invoice;
    if (paid) invoice.paidAt = now;
    this.#emit('invoice.updated', this.invoiceView(invoice));
    // trialing → active at trial end; trialEnd stays, recording when the trial ended.
    sub.status = next.subscription;
    if (next.subscription === 'canceled') {
      sub.canceledAt = now;
      this.#clear(sub);
    } else if (next.subscription === 'past_due') {
      this.#later(sub, 'retry', now + RENEWAL_RETRY_MS, () => this.#retry(sub));
    }
    this.#emit('subscription.updated', this.view(sub));
  }

  #schedulePeriodEnd(sub) {
    this.#later(sub, 'period-end', sub.currentPeriodEnd, () => this.#periodEnd(sub));
  }

  /** Runs `fn` when the clock reaches `at` (the subscription's one timer of that kind). */
  #later(sub, kind, at, fn) {
    this.#clear(sub, kind);
    let timers = this.#timers.get(sub.subscriptionId);
    if (!timers) this.#timers.set(sub.subscriptionId, (timers = new Map()));
    timers.set(kind, this.#clock.scheduleAt(at, () => {
      timers.delete(kind);
      fn();
    }));
  }

  #clear(sub, kind) {
    const timers = this.#timers.get(sub.subscriptionId);
    if (!timers) return;
    for (const [k, id] of timers) {
      if (kind === undefined || k === kind) {
        this.#clock.cancel(id);
        timers.delete(k);
      }
    }
    if (timers.size === 0) this.#timers.delete(sub.subscriptionId);
  }

  // Bounded memory: the oldest subscriptions that ended go first, then the oldest of any kind.
  #evict() {
    if (this.#subscriptions.size <= MAX_SUBSCRIPTIONS) return;
    const ended = [...this.#subscriptions.values()].find((s) => s.status === 'canceled' || s.status === 'incomplete_expired');
    const victim = ended ?? this.#subscriptions.values().next().value;
    this.#clear(victim);
    for (const id of victim.invoiceIds) this.#invoices.delete(id);
    this.#subscriptions.delete(victim.subscriptionId);
  }
}
