// The shop's own order records. What an order says comes from Clink's verified webhooks (and, for
// a checkout the buyer left without paying, from Clink's own answer to the shop's authenticated
// read); the browser, the return URL and the SDK's events never change an order.
//
// orderAfter() and orderAfterCheckoutState() are the pure rules; OrderBook keeps the records.
import { randomBytes } from 'node:crypto';

/**
 * awaiting_payment → processing (an attempt is with the bank) → declined (the buyer may try again)
 * → paid | failed (processing error) | cancelled | expired. The last four are final; `paid` wins
 * over anything that arrives later (money was taken).
 */
export const ORDER_STATUSES = ['awaiting_payment', 'processing', 'declined', 'paid', 'failed', 'cancelled', 'expired'];
export const FINAL_STATUSES = new Set(['paid', 'failed', 'cancelled', 'expired']);

const MAX_ORDERS = 5000;

/** A new order id: the shop's own reference, sent to Clink as merchantReferenceId. Unguessable, since it names a return page. */
export function newOrderId() {
  return `DS-${randomBytes(6).toString('hex').toUpperCase()}`;
}

/** Clink's order status (and its last attempt) → the shop's status, for an order not yet final. */
function statusFromClinkOrder(data) {
  switch (data.status) {
    case 'pending': return 'processing';
    // A failed attempt: declined cards leave the checkout open for another try; a processing error ends it.
    case 'failed': return Array.isArray(data.attempts) && data.attempts.at(-1)?.result === 'error' ? 'failed' : 'declined';
    case 'cancelled': return 'cancelled';
    case 'expired': return 'expired';
    // `paid`: the shop calls an order paid on session.completed alone (the event that says the checkout is done).
    default: return null;
  }
}

/**
 * What `event` does to `order`: the updated copy (the event is always listed on it).
 * Events arrive in any order (Clink does not promise one): a final status is never left, and an
 * order event older than the last one applied (its `updatedAt`) changes nothing but the list.
 */
export function orderAfter(order, event, receivedAt) {
  const data = event.data;
  const next = { ...order, events: [...order.events, { id: event.id, type: event.type, receivedAt }], updatedAt: receivedAt };
  const open = !FINAL_STATUSES.has(order.status);
  switch (event.type) {
    case 'session.completed':
      if (order.status === 'paid') return next;
      return {
        ...next, status: 'paid', paidAt: receivedAt,
        clinkOrderId: data.orderId ?? order.clinkOrderId, customerId: data.customerId ?? order.customerId,
      };
    case 'session.expired':
      return open ? { ...next, status: 'expired' } : next;
    case 'order.created':
    case 'order.updated': {
      const withIds = { ...next, clinkOrderId: data.orderId ?? order.clinkOrderId, customerId: data.customerId ?? order.customerId };
      const at = Number.isFinite(data.updatedAt) ? data.updatedAt : event.createdAt;
      if (Number.isFinite(order.clinkOrderUpdatedAt) && Number.isFinite(at) && at < order.clinkOrderUpdatedAt) return withIds;
      const status = open ? statusFromClinkOrder(data) : null;
      const attempts = Array.isArray(data.attempts) ? data.attempts.length : order.attempts;
      return { ...withIds, clinkOrderStatus: data.status ?? null, clinkOrderUpdatedAt: at ?? null, attempts, ...(status ? { status } : {}) };
    }
    case 'refund.created':
    case 'refund.updated': {
      // A refund moves pending → succeeded | failed; a late refund.created never takes it back.
      if (typeof data.refundId !== 'string') return next;
      const known = order.refunds?.[data.refundId];
      const settled = known && known.status !== 'pending';
      const refund = settled ? known : { amount: data.amount, status: data.status };
      const refunds = { ...order.refunds, [data.refundId]: refund };
      const refundedAmount = Object.values(refunds).filter((r) => r.status === 'succeeded').reduce((sum, r) => sum + (Number.isFinite(r.amount) ? r.amount : 0), 0);
      return { ...next, refunds, refundedAmount };
    }
    default:
      return next;
  }
}

/**
 * What Clink's own answer about the checkout (read by the shop with its secret key when the buyer
 * comes back without paying) does to `order`. A cancel before any payment attempt sends no webhook,
 * so this is how the shop learns of it. Only ends an open order; never pays one.
 */
export function orderAfterCheckoutState(order, state, at) {
  if (FINAL_STATUSES.has(order.status)) return order;
  const status = { cancelled: 'cancelled', error: 'failed', expired: 'expired' }[state];
  return status ? { ...order, status, updatedAt: at, endedBy: `Clink's session state ${state}` } : order;
}

export class OrderBook {
  #orders = new Map(); // order id → order
  #bySession = new Map(); // Clink sessionId → order id
  #now;

  constructor({ now = Date.now } = {}) {
    this.#now = now;
  }

  /**
   * A new order, when the buyer clicks to pay (never per page view).
   * @param {{ item: string, kind: 'one_time'|'subscription', product: string, amount: number, currency: string, accountId?: string|null }} fields
   */
  create({ item, kind = 'one_time', product, amount, currency, accountId = null }) {
    const at = this.#now();
    const order = {
      id: newOrderId(), item, kind, product, amount, currency, accountId, status: 'awaiting_payment', sessionId: null,
      clinkOrderId: null, clinkOrderStatus: null, clinkOrderUpdatedAt: null, customerId: null, attempts: 0,
      refunds: {}, refundedAmount: 0, events: [], createdAt: at, updatedAt: at,
    };
    this.#orders.set(order.id, order);
    if (this.#orders.size > MAX_ORDERS) this.#forget(this.#orders.keys().next().value);
    return order;
  }

  /** Records the Clink session created for an order. */
  attachSession(orderId, sessionId) {
    const order = this.#orders.get(orderId);
    if (!order) return null;
    const next = { ...order, sessionId };
    this.#orders.set(orderId, next);
    this.#bySession.set(sessionId, orderId);
    return next;
  }

  /** Forgets an order whose Clink session could not be created. */
  discard(orderId) {
    this.#forget(orderId);
  }

  get(orderId) {
    return (typeof orderId === 'string' && this.#orders.get(orderId)) || null;
  }

  bySession(sessionId) {
    return this.get(this.#bySession.get(sessionId));
  }

  /** The newest `count` orders of an account, newest first. */
  recent(accountId, count) {
    return [...this.#orders.values()].filter((o) => o.accountId === accountId).slice(-count).reverse();
  }

  /** Applies a verified event: 'applied', or 'unmatched' (about no order of this shop). */
  applyEvent(event) {
    const order = this.#match(event.data);
    if (!order) return { outcome: 'unmatched' };
    this.#orders.set(order.id, orderAfter(order, event, this.#now()));
    return { outcome: 'applied', orderId: order.id };
  }

  /** Records Clink's answer about an order's checkout (orderAfterCheckoutState). */
  applyCheckoutState(orderId, state) {
    const order = this.get(orderId);
    if (!order) return null;
    const next = orderAfterCheckoutState(order, state, this.#now());
    this.#orders.set(orderId, next);
    return next;
  }

  #match(data) {
    if (data === null || typeof data !== 'object') return null;
    return this.get(data.merchantReferenceId)
      ?? this.bySession(data.sessionId)
      ?? (data.orderId ? [...this.#orders.values()].find((o) => o.clinkOrderId === data.orderId) : null)
      ?? null;
  }

  #forget(orderId) {
    const order = this.#orders.get(orderId);
    if (!order) return;
    this.#orders.delete(orderId);
    if (order.sessionId) this.#bySession.delete(order.sessionId);
  }
}
