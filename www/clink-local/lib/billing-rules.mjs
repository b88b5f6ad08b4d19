// Billing rules of the local Clink, pure: billing periods, the subscription and invoice statuses
// Clink's docs list, and the choices the local Clink made where those docs are silent
// (docs/local-clink.md, "Subscriptions and invoices").

export const SUBSCRIPTION_STATUSES = ['incomplete', 'incomplete_expired', 'trialing', 'active', 'past_due', 'canceled'];
export const INVOICE_STATUSES = ['open', 'paid', 'void'];

/** A failed renewal payment is tried again this long after each failure (local Clink's choice). */
export const RENEWAL_RETRY_MS = 24 * 3600 * 1000;
/** After this many failed attempts an invoice is void and its subscription canceled (local Clink's choice). */
export const MAX_RENEWAL_ATTEMPTS = 4;

const DAY_MS = 24 * 3600 * 1000;

/**
 * The end of a billing period that starts at `start` (ms). Months and years are calendar ones in
 * UTC; a day that the target month lacks becomes its last day (Jan 31 + 1 month = Feb 28/29).
 */
export function addInterval(start, interval, count = 1) {
  if (interval === 'week') return start + 7 * DAY_MS * count;
  const date = new Date(start);
  const day = date.getUTCDate();
  const months = interval === 'year' ? 12 * count : count;
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(day, lastDay));
  return date.getTime();
}

/** The end of a free trial of `days` days that starts at `start`. */
export function trialEndOf(start, days) {
  return start + days * DAY_MS;
}

/** Why a subscription cannot be cancelled at period end, or null (then a 409 envelope). */
export function cancelProblem(status) {
  if (status === 'canceled' || status === 'incomplete_expired') return `the subscription is already ${status}`;
  if (status === 'incomplete') return 'the subscription is incomplete: its checkout was never paid, so there is nothing to cancel (it ends as incomplete_expired when the checkout session expires)';
  return null;
}

/** Where a renewal payment leaves a subscription. */
export function afterRenewalPayment(paid, attemptCount) {
  if (paid) return { invoice: 'paid', subscription: 'active' };
  if (attemptCount >= MAX_RENEWAL_ATTEMPTS) return { invoice: 'void', subscription: 'canceled' };
  return { invoice: 'open', subscription: 'past_due' };
}
