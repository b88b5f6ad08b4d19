// The merchant demo's server-rendered pages: the return pages (/success, /cancel) and the page
// shell. Pure functions from records to HTML; what they say comes from the shop's own order
// records only, never from the URL's claims or the browser.
import { escapeHtml, formatAmount } from '../../clink-local/lib/http.mjs';

/** How long a return page keeps refreshing itself while it waits for Clink's webhook. */
export const RETURN_REFRESH_S = 1;
export const RETURN_MAX_REFRESHES = 90;

export function shell(title, body, head = '') {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${head}<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/style.css">
</head>
<body>
<header class="site-header"><a class="shop-name" href="/">Demo Shop</a><span class="tagline">a merchant using @clink-ai/clink-js</span></header>
${body}
</body>
</html>
`;
}


/**
 * What a return page says, from the order record alone.
 * kind: 'success' | 'cancel' (which return URL the buyer came back to: it only picks the wording
 * of an unpaid order, never makes one paid).
 * @returns {{ tone: string, title: string, lead: string, statusLabel: string, refresh: boolean }}
 */
export function returnPageView(order, kind) {
  if (order.status === 'paid') {
    return {
      tone: 'paid', refresh: false, statusLabel: 'Paid', title: 'Thank you, your order is paid',
      lead: 'Clink confirmed the payment with a signed session.completed webhook. A receipt is on its way.',
    };
  }
  if (order.status === 'expired') {
    return {
      tone: 'expired', refresh: false, statusLabel: 'Expired, not paid', title: 'This checkout expired',
      lead: 'The checkout session expired before it was paid. Nothing was charged; start a new checkout from the shop.',
    };
  }
  if (kind === 'cancel') {
    return {
      tone: 'cancelled', refresh: false, statusLabel: 'Not paid', title: 'Checkout cancelled',
      lead: 'No payment is recorded for this order. Your cart is still here when you are ready.',
    };
  }
  return {
    tone: 'waiting', refresh: true, statusLabel: 'Waiting for confirmation', title: 'Waiting for confirmation',
    lead: 'You are back from Clink, but the shop marks an order paid only when Clink\'s signed webhook says so. This page updates itself.',
  };
}

/**
 * The whole return page.
 * @param {{ order: object, kind: 'success'|'cancel', refreshes: number, sessionIdInUrl: string|null }} input
 * @returns {{ html: string }}
 */
export function renderReturnPage({ order, kind, refreshes, sessionIdInUrl }) {
  const view = returnPageView(order, kind);
  const giveUp = view.refresh && refreshes >= RETURN_MAX_REFRESHES;
  const refresh = view.refresh && !giveUp;
  const self = new URLSearchParams({ order: order.id });
  if (sessionIdInUrl) self.set('sessionId', sessionIdInUrl);
  self.set('waited', String(refreshes + 1));
  const head = refresh
    ? `<meta http-equiv="refresh" content="${RETURN_REFRESH_S}; url=/${kind}?${escapeHtml(self.toString())}">\n`
    : '';
  const confirmedBy = order.events.find((e) => e.type === 'session.completed');
  const rows = [
    ['Order', `<code id="order-id">${escapeHtml(order.id)}</code>`],
    ['Item', `${escapeHtml(order.product)} · ${escapeHtml(formatAmount(order.amount, order.currency))}`],
    ['Status', `<strong id="order-status" data-status="${escapeHtml(order.status)}">${escapeHtml(view.statusLabel)}</strong>`],
    ['Clink session', order.sessionId ? `<code id="session-id">${escapeHtml(order.sessionId)}</code>` : '—'],
    ...(order.clinkOrderId ? [['Clink order', `<code>${escapeHtml(order.clinkOrderId)}</code>`]] : []),
    ...(confirmedBy ? [['Confirmed by', `<code>${escapeHtml(confirmedBy.type)}</code> <code>${escapeHtml(confirmedBy.id)}</code>`]] : []),
  ].map(([k, v]) => `<div><dt>${k}</dt><dd>${v}</dd></div>`).join('');
  const waitingNote = giveUp
    ? '<p class="wait-note" id="wait-note">No webhook has arrived yet. Is the local Clink sending to this shop\'s <code>/webhooks/clink</code>? Its inspector lists every delivery. Reload this page to check again.</p>'
    : refresh ? '<p class="wait-note" id="wait-note" role="status"><span class="spinner" aria-hidden="true"></span>Checking the shop\'s records every second…</p>' : '';
  const body = `
<main class="page narrow return-page tone-${view.tone}" id="return-page" data-kind="${kind}" data-status="${escapeHtml(order.status)}">
  <div class="return-icon" aria-hidden="true"></div>
  <h1>${escapeHtml(view.title)}</h1>
  <p class="lead">${escapeHtml(view.lead)}</p>
  ${waitingNote}
  <dl class="facts">${rows}</dl>
  <p><a class="button" href="/">Back to the shop</a></p>
</main>`;
  return { html: shell(`${view.title} · Demo Shop`, body, head) };
}

export function renderNotFound(what) {
  return shell('Not found · Demo Shop', `<main class="page narrow return-page tone-unknown" id="return-page" data-status="unknown"><h1>Not found</h1><p class="lead">${escapeHtml(what)}</p><p><a class="button" href="/">Back to the shop</a></p></main>`);
}
