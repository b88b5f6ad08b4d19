// Refunds of paid orders. Clink creates refunds from its dashboard and CLI and its REST API only
// reads them; the local Clink creates them by a test control (docs/local-clink.md, "Refunds").
import { randomBytes } from 'node:crypto';
import { ApiError } from './http.mjs';

const MAX_REFUNDS = 10_000;
const MAX_REASON = 255;

/**
 * What a refund request asks for, checked against what is left of the order (pure).
 * @returns {{ ok: true, amount: number, reason: string|null } | { ok: false, status: number, msg: string }}
 */
export function planRefund(order, body) {
  if (order.status !== 'paid') return { ok: false, status: 409, msg: `order ${order.orderId} is ${order.status}: only a paid order can be refunded` };
  const left = order.originalAmount - order.refundedAmount;
  if (left <= 0) return { ok: false, status: 409, msg: `order ${order.orderId} is fully refunded already` };
  const amount = body.amount ?? left;
  if (!Number.isSafeInteger(amount) || amount <= 0) return { ok: false, status: 400, msg: 'amount must be an integer number of minor units greater than 0 (leave it out for a full refund)' };
  if (amount > left) return { ok: false, status: 400, msg: `amount ${amount} is more than what is left to refund of order ${order.orderId}: ${left}` };
  const reason = body.reason ?? null;
  if (reason !== null && (typeof reason !== 'string' || reason.trim() === '' || reason.length > MAX_REASON)) {
    return { ok: false, status: 400, msg: `reason must be a non-empty string of at most ${MAX_REASON} characters` };
  }
  return { ok: true, amount, reason };
}

export class RefundStore {
  #refunds = new Map();
  #now;
  #emit;

  /** @param {{ now: () => number, emit: (type: string, data: object) => void }} opts */
  constructor({ now, emit }) {
    this.#now = now;
    this.#emit = emit;
  }

  /**
   * Refunds (part of) an order: the refund is created `pending` (refund.created) and succeeds at
   * once (refund.updated); the order's refundedAmount and refundIds grow. `orderView` is the
   * order as the REST API shows it (with refundedAmount), `record(refund)` adds it to the order.
   */
  create(orderView, body, record) {
    const plan = planRefund(orderView, body);
    if (!plan.ok) throw new ApiError(plan.status, plan.msg);
    const refund = {
      refundId: `rfd_${randomBytes(10).toString('hex')}`,
      orderId: orderView.orderId,
      amount: plan.amount,
      currency: orderView.originalCurrency,
      status: 'pending',
      reason: plan.reason,
      createdAt: this.#now(),
    };
    this.#refunds.set(refund.refundId, refund);
    while (this.#refunds.size > MAX_REFUNDS) this.#refunds.delete(this.#refunds.keys().next().value);
    this.#emit('refund.created', { ...refund });
    refund.status = 'succeeded';
    record(refund);
    this.#emit('refund.updated', { ...refund });
    return { ...refund };
  }

  get(refundId) {
    const refund = typeof refundId === 'string' ? this.#refunds.get(refundId) : undefined;
    return refund ? { ...refund } : null;
  }

  /** Newest first. */
  list() {
    return [...this.#refunds.values()].reverse().map((r) => ({ ...r }));
  }
}
