// The shop's server-rendered pages: the return pages (/success, /cancel), the account page, the
// page shell. Pure functions from the shop's records to HTML; what they say comes from those
// records only, never from the URL's claims or the browser.

export function escapeHtml(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

/** "$19.99" for (1999, 'USD'); minor units follow the currency (JPY has none). */
export function formatAmount(amount, currency) {
  try {
    const nf = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    return nf.format(amount / 10 ** nf.resolvedOptions().maximumFractionDigits);
  } catch {
    return `${(amount / 100).toFixed(2)} ${currency}`;
  }
}

/** "Jan 3, 2027" (UTC, so every reader of a record sees the same day). */
export function formatDate(ms) {
  if (!Number.isFinite(ms)) return '—';
  return new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' }).format(ms);
}

/** How long a return page keeps refreshing itself while it waits for Clink's webhook. */
export const RETURN_REFRESH_S = 1;
export const RETURN_MAX_REFRESHES = 90;

export function shell(title, body, { head = '', nav = 'shop' } = {}) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${head}<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/style.css">
</head>
<body>
<header class="site-header"><a class="shop-name" href="/">Demo Shop</a><span class="tagline">a merchant using Clink</span>
<nav class="site-nav"><a href="/"${nav === 'shop' ? ' aria-current="page"' : ''}>Shop</a><a href="/account"${nav === 'account' ? ' aria-current="page"' : ''}>Account</a></nav></header>
${body}
</body>
</html>
`;
}

const PAID_LEAD = {
  one_time: 'Clink confirmed the payment with a signed session.completed webhook. A receipt is on its way.',
  subscription: 'Clink confirmed the first payment with a signed session.completed webhook. Your plan is on your account page.',
};

/**
 * What a return page says, from the order record alone.
 * kind: 'success' | 'cancel' (which return URL the buyer came back to: it only picks the wording
 * of an open order, never makes one paid or ends it).
 * @returns {{ tone: string, title: string, lead: string, statusLabel: string, refresh: boolean }}
 */
export function returnPageView(order, kind) {
  switch (order.status) {
    case 'paid':
      return {
        tone: 'paid', refresh: false, statusLabel: 'Paid',
        title: order.kind === 'subscription' ? `You are subscribed to the ${order.product}` : 'Thank you, your order is paid',
        lead: PAID_LEAD[order.kind] ?? PAID_LEAD.one_time,
      };
    case 'expired':
      return {
        tone: 'expired', refresh: false, statusLabel: 'Expired, not paid', title: 'This checkout expired',
        lead: 'The checkout session expired before it was paid. Nothing was charged; start a new checkout from the shop.',
      };
    case 'cancelled':
      return {
        tone: 'cancelled', refresh: false, statusLabel: 'Cancelled, not paid', title: 'Checkout cancelled',
        lead: 'You left the checkout without paying. Nothing was charged; your cart is still in the shop.',
      };
    case 'failed':
      return {
        tone: 'failed', refresh: false, statusLabel: 'Payment failed', title: 'The payment failed',
        lead: 'The card could not be processed. Nothing was charged; start a new checkout from the shop to try again.',
      };
    default:
      break;
  }
  if (kind === 'cancel') {
    return {
      tone: 'cancelled', refresh: false, statusLabel: 'Not paid', title: 'Checkout cancelled',
      lead: 'No payment is recorded for this order. Nothing was charged; your cart is still in the shop.',
    };
  }
  return {
    tone: 'waiting', refresh: true, statusLabel: 'Waiting for confirmation', title: 'Waiting for confirmation',
    lead: 'You are back from Clink, but the shop marks an order paid only when Clink\'s signed webhook says so. This page updates itself.',
  };
}

/**
 * The whole return page.
 * @param {{ order: object, kind: 'success'|'cancel', refreshes: number }} input
 * @returns {{ html: string }}
 */
export function renderReturnPage({ order, kind, refreshes }) {
  const view = returnPageView(order, kind);
  const giveUp = view.refresh && refreshes >= RETURN_MAX_REFRESHES;
  const refresh = view.refresh && !giveUp;
  const self = new URLSearchParams({ order: order.id, waited: String(refreshes + 1) });
  const head = refresh ? `<meta http-equiv="refresh" content="${RETURN_REFRESH_S}; url=/${kind}?${escapeHtml(self.toString())}">\n` : '';
  const confirmedBy = order.events.find((e) => e.type === 'session.completed');
  const price = formatAmount(order.amount, order.currency) + (order.kind === 'subscription' ? ' / month' : '');
  const rows = [
    ['Order', `<code id="order-id">${escapeHtml(order.id)}</code>`],
    ['Item', `${escapeHtml(order.product)} · ${escapeHtml(price)}`],
    ['Status', `<strong id="order-status" data-status="${escapeHtml(order.status)}">${escapeHtml(view.statusLabel)}</strong>`],
    ...(confirmedBy ? [['Confirmed by', `<code>${escapeHtml(confirmedBy.type)}</code> <code>${escapeHtml(confirmedBy.id)}</code>`]] : []),
    ...(order.refundedAmount > 0 ? [['Refunded', `<strong id="order-refunded">${escapeHtml(formatAmount(order.refundedAmount, order.currency))}</strong>`]] : []),
    ['Clink session', order.sessionId ? `<code id="session-id">${escapeHtml(order.sessionId)}</code>` : '—'],
  ].map(([k, v]) => `<div><dt>${k}</dt><dd>${v}</dd></div>`).join('');
  const waitingNote = giveUp
    ? '<p class="wait-note" id="wait-note">No webhook has arrived yet. Is the local Clink sending to this shop\'s <code>/webhooks/clink</code>? Its inspector lists every delivery. Reload this page to check again.</p>'
    : refresh ? '<p class="wait-note" id="wait-note" role="status"><span class="spinner" aria-hidden="true"></span>Checking the shop\'s records every second…</p>' : '';
  const next = order.kind === 'subscription' && order.status === 'paid'
    ? '<a class="button" href="/account">Go to your account</a> <a class="button secondary" href="/">Back to the shop</a>'
    : '<a class="button" href="/">Back to the shop</a>';
  const body = `
<main class="page narrow return-page tone-${view.tone}" id="return-page" data-kind="${kind}" data-status="${escapeHtml(order.status)}">
  <div class="return-icon" aria-hidden="true"></div>
  <h1>${escapeHtml(view.title)}</h1>
  <p class="lead">${escapeHtml(view.lead)}</p>
  ${waitingNote}
  <dl class="facts">${rows}</dl>
  <p class="actions">${next}</p>
</main>`;
  return { html: shell(`${view.title} · Demo Shop`, body, { head }) };
}

const SUBSCRIPTION_LABEL = {
  incomplete: 'Incomplete', incomplete_expired: 'Expired before payment', trialing: 'Trial', active: 'Active',
  past_due: 'Past due', canceled: 'Canceled',
};

/** What the account page says of one subscription record. */
export function subscriptionView(sub) {
  const label = SUBSCRIPTION_LABEL[sub.status] ?? String(sub.status);
  const live = ['active', 'trialing', 'past_due'].includes(sub.status);
  let renewal = '';
  if (live && sub.cancelAtPeriodEnd) renewal = `Cancels at the end of the period, on ${formatDate(sub.currentPeriodEnd)}. No further payments.`;
  else if (sub.status === 'trialing') renewal = `Trial until ${formatDate(sub.trialEnd ?? sub.currentPeriodEnd)}, then renews monthly.`;
  else if (sub.status === 'past_due') renewal = 'The last renewal payment failed; Clink will retry. Update your card in Manage billing.';
  else if (live) renewal = `Renews on ${formatDate(sub.currentPeriodEnd)}.`;
  else if (sub.status === 'canceled') renewal = 'This plan has ended.';
  return { label, live, renewal, cancelling: live && Boolean(sub.cancelAtPeriodEnd) };
}

/**
 * The account page, from the shop's records of this browser's account.
 * @param {{ account: object, subscriptions: object[], pendingOrder: object|null, planName: (priceId: string) => string,
 *           version: string, billingError?: string|null }} input
 */
export function renderAccountPage({ account, subscriptions, pendingOrder, planName, version, billingError = null }) {
  const subs = subscriptions.map((sub) => {
    const view = subscriptionView(sub);
    const invoices = sub.invoices.map((inv) => `<li class="invoice" data-status="${escapeHtml(inv.status)}"><span>${escapeHtml(formatDate(inv.createdAt))}</span><span>${Number.isFinite(inv.amount) ? escapeHtml(formatAmount(inv.amount, inv.currency ?? 'USD')) : ''}</span><span class="pill status-${escapeHtml(inv.status)}">${escapeHtml(inv.status)}</span><code>${escapeHtml(inv.invoiceId)}</code></li>`).join('');
    const lastEvent = sub.events.at(-1);
    return `
  <section class="card subscription" data-subscription-id="${escapeHtml(sub.subscriptionId)}" data-status="${escapeHtml(sub.status)}" data-cancel-at-period-end="${sub.cancelAtPeriodEnd ? 'true' : 'false'}">
    <div class="section-head"><h2>${escapeHtml(planName(sub.priceId))}</h2><span class="pill status-${escapeHtml(sub.status)}${view.cancelling ? ' cancelling' : ''}" id="subscription-status">${escapeHtml(view.cancelling ? `${view.label} · cancels ${formatDate(sub.currentPeriodEnd)}` : view.label)}</span></div>
    <p class="renewal" id="subscription-renewal">${escapeHtml(view.renewal)}</p>
    ${invoices ? `<h3>Invoices</h3><ul class="invoice-list">${invoices}</ul>` : ''}
    <p class="record-note">Subscription <code>${escapeHtml(sub.subscriptionId)}</code>${lastEvent ? `, last changed by <code>${escapeHtml(lastEvent.type)}</code> <code>${escapeHtml(lastEvent.id)}</code>` : ''}.</p>
  </section>`;
  }).join('');
  const waiting = pendingOrder
    ? `<p class="wait-note" id="subscription-waiting" role="status"><span class="spinner" aria-hidden="true"></span>Your ${escapeHtml(pendingOrder.product)} order <code>${escapeHtml(pendingOrder.id)}</code> is with Clink; the plan shows here when its webhook arrives.</p>`
    : '';
  const empty = !subs && !pendingOrder
    ? '<section class="card empty" id="no-subscription"><h2>No subscription yet</h2><p class="hint">The Pro plan is in the <a href="/#plan">shop</a>.</p></section>'
    : '';
  const billing = account.customerId
    ? `<form method="post" action="/account/billing" class="billing-form"><button class="button" id="manage-billing" type="submit">Manage billing</button><span class="hint">Opens Clink's customer portal: invoices, cancel at period end.</span></form>`
    : '';
  const error = billingError ? `<p class="notice error" role="alert" id="billing-error">${escapeHtml(billingError)}</p>` : '';
  const body = `
<main class="page narrow account-page" id="account-page" data-version="${escapeHtml(version)}">
  <h1>Your account</h1>
  <p class="lead">Signed in as <strong>${escapeHtml(account.email)}</strong>${account.customerId ? ` · Clink customer <code id="customer-id">${escapeHtml(account.customerId)}</code>` : ''}</p>
  <p class="hint">What this page shows comes from the shop's own records, kept from Clink's signed webhooks.</p>
  ${error}${waiting}${subs}${empty}
  ${billing}
</main>
<script type="module" src="/account.js"></script>`;
  return { html: shell('Your account · Demo Shop', body, { nav: 'account' }) };
}

export function renderNotFound(what) {
  return shell('Not found · Demo Shop', `<main class="page narrow return-page tone-unknown" id="return-page" data-status="unknown"><h1>Not found</h1><p class="lead">${escapeHtml(what)}</p><p><a class="button" href="/">Back to the shop</a></p></main>`);
}
