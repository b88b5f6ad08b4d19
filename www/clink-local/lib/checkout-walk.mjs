// The checkout's state walk, the test cards, and the forced test outcomes. Pure.
//
// A session has Clink's `status` (open → complete | expired) and the checkout `state` the frame
// protocol speaks (payment, pending, success, cancelled, error, expired). One session takes several
// payment attempts: payment → pending → payment (declined) → pending → success.

export const STATES = ['payment', 'pending', 'success', 'cancelled', 'error', 'expired'];
export const TERMINAL_STATES = new Set(['success', 'cancelled', 'error', 'expired']);
export const SESSION_STATUSES = ['open', 'complete', 'expired'];
export const ORDER_STATUSES = ['pending', 'paid', 'failed', 'cancelled', 'expired'];

/** Forced outcomes for tests: which card the hosted page starts with, and `expire` on opening. */
export const TEST_OUTCOMES = ['success', 'cancel', 'expire', 'decline'];

/** After a `testOutcome: 'expire'` checkout page first opens, it expires this much later. */
export const TEST_EXPIRE_AFTER_MS = 2000;

/** Test card numbers (digits only) and what an attempt with them does. */
export const TEST_CARDS = {
  '4242424242424242': 'paid',
  '4000000000000002': 'declined',
  '4000000000000119': 'error',
};

/** Card result → where the attempt leaves the session state and the order status. */
const ATTEMPT_RESULTS = {
  paid: { state: 'success', orderStatus: 'paid' },
  declined: { state: 'payment', orderStatus: 'failed' },
  error: { state: 'error', orderStatus: 'failed' },
};

export function attemptEffect(result) {
  return ATTEMPT_RESULTS[result];
}

/** The card the hosted page is pre-filled with for a forced test outcome ('' when none). */
export function prefilledCard(testOutcome) {
  if (testOutcome === 'decline') return '4000 0000 0000 0002';
  if (testOutcome) return '4242 4242 4242 4242';
  return '';
}

/**
 * Reads a card number as typed (spaces and dashes allowed).
 * @returns {{ ok: true, number: string, last4: string, result: 'paid'|'declined'|'error' } | { ok: false, msg: string }}
 */
export function readCard(input) {
  const hint = 'use a test card: 4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined, 4000 0000 0000 0119 fails with a processing error';
  if (typeof input !== 'string' || input.trim() === '') return { ok: false, msg: `Enter a card number: ${hint}.` };
  const number = input.replace(/[\s-]/g, '');
  if (!/^\d{12,19}$/.test(number)) return { ok: false, msg: `That is not a card number: ${hint}.` };
  const result = TEST_CARDS[number];
  if (!result) return { ok: false, msg: `The local Clink only takes test cards: ${hint}.` };
  return { ok: true, number, last4: number.slice(-4), result };
}

/** Why a payment attempt cannot start now, or null. */
export function attemptProblem({ status, state }) {
  if (status !== 'open') return `the session is ${status}: no more payment attempts`;
  if (state === 'pending') return 'a payment attempt is already processing';
  if (state !== 'payment') return `the checkout ended (${state}): no more payment attempts`;
  return null;
}

/**
 * The steps that move a session to `target` as a buyer would (the test controls).
 * Steps: 'attempt:hold' (payment → pending, stays there), 'attempt:<result>' (payment → pending →
 * result), 'finish:<result>' (pending → result), 'cancel', 'expire'.
 * @returns {{ ok: true, steps: string[] } | { ok: false, status: number, msg: string }}
 */
export function planStateMove({ status, state }, target) {
  if (!STATES.includes(target)) {
    return { ok: false, status: 400, msg: `state must be one of ${STATES.join(', ')}` };
  }
  if (target === state) return { ok: true, steps: [] };
  if (target === 'expired') {
    if (status !== 'open') return { ok: false, status: 409, msg: `the session is already ${status}` };
    return { ok: true, steps: ['expire'] };
  }
  const refuse = () => ({ ok: false, status: 409, msg: `a buyer cannot move the checkout from ${state} to ${target}` });
  if (status !== 'open' || TERMINAL_STATES.has(state)) return refuse();
  const result = { success: 'paid', payment: 'declined', error: 'error' }[target];
  if (state === 'payment') {
    if (target === 'pending') return { ok: true, steps: ['attempt:hold'] };
    if (target === 'cancelled') return { ok: true, steps: ['cancel'] };
    if (result) return { ok: true, steps: [`attempt:${result}`] };
  }
  if (state === 'pending' && result) return { ok: true, steps: [`finish:${result}`] };
  return refuse();
}
