// The in-memory checkout sessions shared by the mock merchant backend and the local Clink.
import { randomBytes } from 'node:crypto';

export const STATES = ['payment', 'pending', 'success', 'cancelled', 'error', 'expired'];
export const TERMINAL = new Set(['success', 'cancelled', 'error', 'expired']);
export const OUTCOMES = ['success', 'cancel', 'expire', 'decline'];

// Which state may follow which (a terminal state is final).
const NEXT = {
  payment: new Set(['pending', 'cancelled', 'expired', 'error']),
  pending: new Set(['success', 'cancelled', 'expired', 'error']),
};

const MAX_SESSIONS = 5000;

const id = (prefix, bytes) => `${prefix}${randomBytes(bytes).toString('hex')}`;

export class SessionStore {
  #sessions = new Map();
  #onChange;

  constructor({ onChange } = {}) {
    this.#onChange = onChange || (() => {});
  }

  /**
   * Creates a session. Throws {status: 400, message} on a bad field.
   * fields: { amount, currency, productName, merchantName, customerEmail, outcome,
   *           merchantOrigin, successUrl, cancelUrl }
   */
  create(fields = {}) {
    const outcome = fields.outcome ?? 'success';
    if (!OUTCOMES.includes(outcome)) {
      throw { status: 400, message: `outcome must be one of ${OUTCOMES.join(', ')}` };
    }
    const amount = fields.amount ?? 4900;
    if (!Number.isInteger(amount) || amount < 1 || amount > 100_000_000) {
      throw { status: 400, message: 'amount must be an integer number of minor units (cents), 1 to 100000000' };
    }
    const currency = fields.currency ?? 'USD';
    if (typeof currency !== 'string' || !/^[A-Za-z]{3}$/.test(currency)) {
      throw { status: 400, message: 'currency must be a 3-letter ISO code' };
    }
    for (const key of ['productName', 'merchantName', 'customerEmail']) {
      if (fields[key] != null && (typeof fields[key] !== 'string' || fields[key].length > 200)) {
        throw { status: 400, message: `${key} must be a string of at most 200 characters` };
      }
    }
    const now = Date.now();
    const session = {
      id: id('sess_', 12),
      token: `tok_${randomBytes(18).toString('base64url')}`,
      orderId: id('ord_', 8),
      state: 'payment',
      outcome,
      amount,
      currency: currency.toUpperCase(),
      productName: fields.productName || 'Aurora desk lamp',
      merchantName: fields.merchantName || 'Demo Shop',
      customerEmail: fields.customerEmail || 'buyer@example.com',
      merchantOrigin: fields.merchantOrigin || null,
      successUrl: fields.successUrl || null,
      cancelUrl: fields.cancelUrl || null,
      createdAt: now,
      updatedAt: now,
      history: [{ state: 'payment', at: now }],
    };
    this.#sessions.set(session.id, session);
    while (this.#sessions.size > MAX_SESSIONS) {
      this.#sessions.delete(this.#sessions.keys().next().value);
    }
    this.#onChange(session, null);
    return session;
  }

  get(sessionId) {
    return typeof sessionId === 'string' ? this.#sessions.get(sessionId) ?? null : null;
  }

  /** Moves a session to `state`. Returns { ok, session, message }. Same state again is a no-op. */
  setState(sessionId, state, reason) {
    const session = this.get(sessionId);
    if (!session) return { ok: false, status: 404, message: `unknown session ${sessionId}` };
    if (!STATES.includes(state)) {
      return { ok: false, status: 400, message: `state must be one of ${STATES.join(', ')}` };
    }
    if (session.state === state) return { ok: true, session };
    if (!NEXT[session.state]?.has(state)) {
      return {
        ok: false, status: 409, session,
        message: `session ${session.id} cannot go from ${session.state} to ${state}`,
      };
    }
    const previous = session.state;
    session.state = state;
    session.updatedAt = Date.now();
    session.history.push({ state, at: session.updatedAt, ...(reason ? { reason } : {}) });
    this.#onChange(session, previous);
    return { ok: true, session };
  }

  /** `sess_…#tok_…`: what a merchant hands to redirectToCheckout({ sessionParam }). */
  static sessionParam(session) {
    return `${session.id}#${session.token}`;
  }

  /** Return URL (successUrl / cancelUrl) with ?sessionId=… added. */
  static returnUrl(session, state) {
    const base = state === 'success' ? session.successUrl : session.cancelUrl;
    if (!base) return null;
    const url = new URL(base);
    url.searchParams.set('sessionId', session.id);
    return url.href;
  }

  static toPublic(session) {
    return {
      sessionId: session.id,
      orderId: session.orderId,
      state: session.state,
      outcome: session.outcome,
      amount: session.amount,
      currency: session.currency,
      productName: session.productName,
      successUrl: session.successUrl,
      cancelUrl: session.cancelUrl,
      history: session.history,
    };
  }
}
