// Checkout sessions and their orders, in memory, with the timers that move them on their own
// (processing of a payment attempt, expiry after the session TTL). The store owns every timer it
// starts; close() clears them all. Every change is announced through `emit(type, data)` with
// `data` as the REST API shows it (the webhook events).
import { randomBytes } from 'node:crypto';
import { ApiError } from './http.mjs';
import { Clock } from './clock.mjs';
import {
  TERMINAL_STATES, TEST_EXPIRE_AFTER_MS, attemptEffect, attemptProblem,
} from './checkout-walk.mjs';

/** Sessions kept in memory (with their orders); past it, ended ones go first (see #evict). */
export const MAX_SESSIONS = 10_000;
const newId = (prefix, bytes) => `${prefix}${randomBytes(bytes).toString('hex')}`;

export class CheckoutStore {
  #sessions = new Map();
  #orders = new Map();
  #timers = new Map(); // sessionId → Map(kind → timeout)
  #closed = false;
  #evicted = 0;
  #opts;

  /**
   * @param {{
   *   sessionTtlMs: number, processingMs?: number, now?: () => number,
   *   checkoutUrl: (sessionParam: string) => string,
   *   emit: (type: string, data: object) => void,
   *   onChange?: (session: object, previousState: string | null) => void,
   * }} opts
   */
  constructor(opts) {
    // Timers run on the local Clink's clock (clock.mjs), so advancing it expires sessions too.
    const clock = opts.clock ?? new Clock();
    this.#opts = { processingMs: 900, now: () => clock.now(), onChange: () => {}, maxSessions: MAX_SESSIONS, ...opts, clock };
  }

  /** How many sessions are kept, and how many were evicted so far (the inspector shows both). */
  get limits() {
    return { maxSessions: this.#opts.maxSessions, evictedSessions: this.#evicted };
  }

  get size() {
    return this.#sessions.size;
  }

  /** Creates a session from validated fields (validate.mjs). */
  create(fields) {
    const now = this.#opts.now();
    const session = {
      id: newId('sess_', 12),
      token: `tok_${randomBytes(18).toString('base64url')}`,
      status: 'open',
      state: 'payment',
      ...fields,
      customerId: fields.customerId ?? (fields.customerEmail ? newId('cus_', 8) : null),
      orderId: null,
      createdAt: now,
      updatedAt: now,
      expiresAt: now + this.#opts.sessionTtlMs,
      completedAt: null,
      pageOpenedAt: null,
      history: [{ state: 'payment', at: now }],
    };
    this.#sessions.set(session.id, session);
    this.#later(session, 'ttl', this.#opts.sessionTtlMs, () => this.expire(session, 'session TTL reached'));
    this.#evict();
    this.#opts.onChange(session, null);
    return session;
  }

  get(sessionId) {
    return typeof sessionId === 'string' ? this.#sessions.get(sessionId) ?? null : null;
  }

  getOrder(orderId) {
    return typeof orderId === 'string' ? this.#orders.get(orderId) ?? null : null;
  }

  sessions() {
    return [...this.#sessions.values()];
  }

  orders() {
    return [...this.#orders.values()];
  }

  static sessionParam(session) {
    return `${session.id}#${session.token}`;
  }

  /** The session as the REST API and the webhooks show it. */
  sessionView(session) {
    const param = CheckoutStore.sessionParam(session);
    const view = {
      sessionId: session.id,
      sessionParam: param,
      url: this.#opts.checkoutUrl(param),
      status: session.status,
      state: session.state,
      originalAmount: session.originalAmount,
      originalCurrency: session.originalCurrency,
    };
    if (session.priceDataList) view.priceDataList = session.priceDataList;
    else Object.assign(view, { priceId: session.priceId, productId: session.productId });
    Object.assign(view, {
      customerEmail: session.customerEmail,
      customerId: session.customerId,
      successUrl: session.successUrl,
      cancelUrl: session.cancelUrl,
      merchantReferenceId: session.merchantReferenceId,
      allowPromotionCodes: session.allowPromotionCodes,
    });
    if (session.orderId) view.orderId = session.orderId;
    if (session.subscriptionId) view.subscriptionId = session.subscriptionId;
    Object.assign(view, {
      createdAt: session.createdAt,
      expiresAt: session.expiresAt,
      completedAt: session.completedAt,
      testOutcome: session.testOutcome,
      history: session.history.map((h) => ({ ...h })),
    });
    return view;
  }

  /** The order as the REST API and the webhooks show it. */
  orderView(order) {
    return {
      orderId: order.id,
      sessionId: order.sessionId,
      status: order.status,
      originalAmount: order.originalAmount,
      originalCurrency: order.originalCurrency,
      merchantReferenceId: order.merchantReferenceId,
      customerEmail: order.customerEmail,
      customerId: order.customerId,
      createdAt: order.createdAt,
      updatedAt: order.updatedAt,
      paidAt: order.paidAt,
      refundedAmount: order.refundedAmount ?? 0,
      refundIds: [...(order.refundIds ?? [])],
      attempts: order.attempts.map((a) => ({ ...a })),
    };
  }

  /**
   * Starts a payment attempt with a card (checkout-walk.mjs readCard): payment → pending. The
   * first attempt creates the order. Unless `hold`, the attempt finishes by itself after the
   * processing time (at once with `immediate`).
   */
  startAttempt(session, card, { hold = false, immediate = false } = {}) {
    const problem = attemptProblem(session);
    if (problem) throw new ApiError(409, problem);
    const now = this.#opts.now();
    let order = this.getOrder(session.orderId);
    const created = !order;
    if (!order) {
      order = {
        id: newId('ord_', 10),
        sessionId: session.id,
        status: 'pending',
        originalAmount: session.originalAmount,
        originalCurrency: session.originalCurrency,
        merchantReferenceId: session.merchantReferenceId,
        customerEmail: session.customerEmail,
        customerId: session.customerId,
        createdAt: now,
        updatedAt: now,
        paidAt: null,
        attempts: [],
      };
      this.#orders.set(order.id, order);
      session.orderId = order.id;
    }
    const attempt = { attempt: order.attempts.length + 1, cardLast4: card.last4, result: null, startedAt: now, finishedAt: null };
    order.attempts.push(attempt);
    session.pendingResult = card.result;
    order.status = 'pending';
    order.updatedAt = now;
    this.#move(session, 'pending', `payment attempt ${attempt.attempt} (card •••• ${card.last4})`);
    this.#opts.emit(created ? 'order.created' : 'order.updated', this.orderView(order));
    if (immediate) this.finishAttempt(session);
    else if (!hold) this.#later(session, 'processing', this.#opts.processingMs, () => this.finishAttempt(session));
    return attempt;
  }

  /** Ends the pending attempt with its card's result (or `result` when given). */
  finishAttempt(session, result = session.pendingResult) {
    if (session.state !== 'pending' || session.status !== 'open') return;
    this.#clear(session, 'processing');
    const order = this.getOrder(session.orderId);
    const effect = attemptEffect(result);
    const now = this.#opts.now();
    const attempt = order.attempts[order.attempts.length - 1];
    attempt.result = result;
    attempt.finishedAt = now;
    order.status = effect.orderStatus;
    order.updatedAt = now;
    session.pendingResult = null;
    if (result === 'paid') {
      order.paidAt = now;
      session.status = 'complete';
      session.completedAt = now;
      this.#clear(session);
    }
    this.#move(session, effect.state, result === 'paid' ? 'paid' : result === 'declined' ? 'card declined' : 'processing error');
    this.#opts.emit('order.updated', this.orderView(order));
    if (result === 'paid') this.#opts.emit('session.completed', this.sessionView(session));
  }

  /** The buyer cancels (payment → cancelled). The session stays open until it expires. */
  cancel(session, reason = 'buyer cancelled') {
    if (session.status !== 'open' || session.state !== 'payment') {
      throw new ApiError(409, `the checkout cannot be cancelled now (state ${session.state}, status ${session.status})`);
    }
    this.#move(session, 'cancelled', reason);
    const order = this.getOrder(session.orderId);
    if (order) this.#setOrderStatus(order, 'cancelled');
  }

  /** Expires an open session: status expired, and the state too unless the checkout had ended. */
  expire(session, reason = 'expired') {
    if (session.status !== 'open') throw new ApiError(409, `the session is already ${session.status}`);
    const now = this.#opts.now();
    this.#clear(session);
    session.status = 'expired';
    session.expiresAt = Math.min(session.expiresAt, now);
    session.pendingResult = null;
    if (!TERMINAL_STATES.has(session.state)) this.#move(session, 'expired', reason);
    else session.updatedAt = now;
    const order = this.getOrder(session.orderId);
    if (order && order.status !== 'paid' && order.status !== 'expired') this.#setOrderStatus(order, 'expired');
    this.#opts.emit('session.expired', this.sessionView(session));
  }

  /** The hosted page opened: a `testOutcome: 'expire'` session expires a moment later. */
  pageOpened(session) {
    if (session.pageOpenedAt) return;
    session.pageOpenedAt = this.#opts.now();
    if (session.testOutcome === 'expire' && session.status === 'open') {
      this.#later(session, 'test-expire', TEST_EXPIRE_AFTER_MS, () => this.expire(session, 'test outcome: expire'));
    }
  }

  /** Stops every timer; the store answers reads but nothing moves on its own any more. */
  close() {
    this.#closed = true;
    for (const timers of this.#timers.values()) for (const t of timers.values()) this.#opts.clock.cancel(t);
    this.#timers.clear();
  }

  #setOrderStatus(order, status) {
    order.status = status;
    order.updatedAt = this.#opts.now();
    this.#opts.emit('order.updated', this.orderView(order));
  }

  #move(session, state, reason) {
    const previous = session.state;
    const at = this.#opts.now();
    session.state = state;
    session.updatedAt = at;
    session.history.push(reason ? { state, at, reason } : { state, at });
    this.#opts.onChange(session, previous);
  }

  #later(session, kind, ms, fn) {
    if (this.#closed) return;
    this.#clear(session, kind);
    let timers = this.#timers.get(session.id);
    if (!timers) this.#timers.set(session.id, (timers = new Map()));
    timers.set(kind, this.#opts.clock.schedule(ms, () => {
      timers.delete(kind);
      if (this.#sessions.get(session.id) !== session) return;
      try {
        fn();
      } catch {
        // A session that moved on meanwhile (409) has nothing left to do.
      }
    }));
  }

  /** Clears one timer of a session, or all of them. */
  #clear(session, kind) {
    const timers = this.#timers.get(session.id);
    if (!timers) return;
    for (const [k, t] of timers) {
      if (kind === undefined || k === kind) {
        this.#opts.clock.cancel(t);
        timers.delete(k);
      }
    }
    if (timers.size === 0) this.#timers.delete(session.id);
  }

  // Bounded memory for long runs: past maxSessions the oldest ended session (complete or expired)
  // goes, with its order. Only when every kept session is open does the oldest open one go, and it
  // is expired first (its session.expired webhook is sent): never dropped silently.
  #evict() {
    while (this.#sessions.size > this.#opts.maxSessions) {
      let victim = null;
      for (const session of this.#sessions.values()) {
        if (session.status !== 'open') {
          victim = session;
          break;
        }
      }
      if (!victim) {
        victim = this.#sessions.values().next().value;
        this.expire(victim, `evicted: the local Clink keeps at most ${this.#opts.maxSessions} sessions`);
      }
      this.#clear(victim);
      this.#sessions.delete(victim.id);
      if (victim.orderId) this.#orders.delete(victim.orderId);
      this.#evicted += 1;
    }
  }
}
