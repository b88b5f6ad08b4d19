// The merchant demo's own order records. An order is paid only when a verified `session.completed`
// webhook says so; the browser, the return URL and the SDK's events never change an order.
//
// orderAfter() is the pure rule (order + event → order); OrderBook keeps the records and the ids
// of events already applied.
import { randomBytes } from 'node:crypto';

/** awaiting_payment → paid | expired. `paid` is final: money was taken, whatever arrives later. */
export const ORDER_STATUSES = ['awaiting_payment', 'paid', 'expired'];

const MAX_ORDERS = 5000;
const MAX_SEEN_EVENTS = 20000;

/** A new order id: the shop's own reference, sent to Clink as merchantReferenceId. Unguessable, since it names a return page. */
export function newOrderId() {
  return `DS-${randomBytes(6).toString('hex').toUpperCase()}`;
}

/**
 * What `event` does to `order`. Returns the updated copy, or `order` itself when nothing changes.
 * Events may arrive in any order (Clink does not promise one), so no rule depends on the previous event.
 */
export function orderAfter(order, event, receivedAt) {
  const data = event.data;
  const seen = { id: event.id, type: event.type, receivedAt };
  const next = { ...order, events: [...order.events, seen], updatedAt: receivedAt };
  switch (event.type) {
    case 'session.completed':
      if (order.status === 'paid') return next;
      return { ...next, status: 'paid', paidAt: receivedAt, clinkOrderId: data.orderId ?? order.clinkOrderId ?? null };
    case 'session.expired':
      return order.status === 'awaiting_payment' ? { ...next, status: 'expired', expiredAt: receivedAt } : next;
    case 'order.created':
    case 'order.updated':
      // Clink's order tracks payment attempts (a declined card, a retry); the shop's order stays
      // awaiting payment until the session completes.
      return { ...next, clinkOrderId: data.orderId ?? data.id ?? order.clinkOrderId ?? null, clinkOrderStatus: data.status ?? null };
    default:
      return next;
  }
}

export class OrderBook {
  #orders = new Map(); // order id → order
  #bySession = new Map(); // Clink sessionId → order id
  #seen = new Set(); // event ids already applied
  #now;

  constructor({ now = Date.now } = {}) {
    this.#now = now;
  }

  /** @param {{ product: string, amount: number, currency: string }} fields */
  create({ product, amount, currency }) {
    const at = this.#now();
    const order = {
      id: newOrderId(), product, amount, currency, status: 'awaiting_payment', sessionId: null,
      clinkOrderId: null, clinkOrderStatus: null, events: [], createdAt: at, updatedAt: at,
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

  /** The newest `count` orders, newest first. */
  recent(count) {
    return [...this.#orders.values()].slice(-count).reverse();
  }

  bySession(sessionId) {
    return this.get(this.#bySession.get(sessionId));
  }

  /**
   * Applies a verified event once. outcome: 'applied' | 'duplicate' (id seen before: not applied
   * again) | 'unmatched' (about no order of this shop).
   */
  applyEvent(event) {
    if (this.#seen.has(event.id)) return { outcome: 'duplicate' };
    const order = this.#match(event.data);
    if (!order) return { outcome: 'unmatched' };
    this.#orders.set(order.id, orderAfter(order, event, this.#now()));
    this.#seen.add(event.id);
    if (this.#seen.size > MAX_SEEN_EVENTS) this.#seen.delete(this.#seen.values().next().value);
    return { outcome: 'applied', orderId: order.id };
  }

  #match(data) {
    return this.get(data.merchantReferenceId)
      ?? this.bySession(data.sessionId)
      ?? [...this.#orders.values()].find((o) => o.clinkOrderId && o.clinkOrderId === (data.orderId ?? data.id))
      ?? null;
  }

  #forget(orderId) {
    const order = this.#orders.get(orderId);
    if (!order) return;
    this.#orders.delete(orderId);
    if (order.sessionId) this.#bySession.delete(order.sessionId);
  }
}
