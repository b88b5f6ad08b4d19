// The hosted customer portal (/portal/{token}, from POST /api/billing/session): the customer's
// subscriptions with their next renewal, their invoices, and "Cancel at period end". A plain HTML
// page with a form per subscription, no script. The cancel POST is CSRF-safe: it needs the secret
// token in its path and comes from this origin (Origin, else Sec-Fetch-Site), and the page cannot be
// framed (no clickjacking of the button).
import { sendHtml } from './http.mjs';
import { escapeHtml, formatAmount, page } from './html.mjs';

const PORTAL_CSP = [
  "default-src 'none'", "style-src 'self'", "img-src 'self' data:", "base-uri 'none'",
  "form-action 'self'", "frame-ancestors 'none'",
].join('; ');
const PORTAL_HEADERS = { 'Content-Security-Policy': PORTAL_CSP, 'Referrer-Policy': 'no-referrer', 'X-Frame-Options': 'DENY' };

const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const dateOf = (ms) => (ms === null || ms === undefined ? '—' : dateFormat.format(new Date(ms)));

const STATUS_LABELS = {
  incomplete: 'Incomplete', incomplete_expired: 'Expired', trialing: 'Trial', active: 'Active', past_due: 'Past due', canceled: 'Canceled',
};

/**
 * @param {{ billing: ReturnType<import('./billing.mjs').createBilling>, origin: () => string,
 *           merchantName: string, log: (line: string) => void }} deps
 */
export function createPortalHandlers({ billing, origin, merchantName, log }) {
  const { portal, subscriptions, customers, catalog } = billing;

  /** The portal session of the token, or null after answering an error page. */
  function portalOf(res, token) {
    const found = portal.find(token);
    if (found.ok) return found.portal;
    const expired = found.why === 'expired';
    sendHtml(res, expired ? 410 : 404, messagePage(
      expired ? 'This billing link has expired' : 'Billing link not valid',
      expired
        ? `Billing links work for a limited time. Go back to ${merchantName} and open billing again.`
        : `This billing link is not valid. Go back to ${merchantName} and open billing again.`,
      expired ? 'PORTAL_SESSION_EXPIRED' : 'PORTAL_SESSION_NOT_FOUND',
    ), PORTAL_HEADERS);
    return null;
  }

  return {
    page({ res, params, url }) {
      const session = portalOf(res, params.token);
      if (!session) return undefined;
      const customer = customers.get(session.customerId);
      const subs = subscriptions.list({ customerId: session.customerId }).filter((s) => s.status !== 'incomplete' && s.status !== 'incomplete_expired');
      const notice = url.searchParams.get('canceled');
      const html = portalHtml({
        token: params.token, session, customer, merchantName, notice,
        subscriptions: subs.map((sub) => ({
          sub, product: catalog.product(sub.productId), invoices: subscriptions.invoicesOf(sub),
        })),
      });
      return sendHtml(res, 200, html, PORTAL_HEADERS);
    },

    cancel({ req, res, params }) {
      const session = portalOf(res, params.token);
      if (!session) return undefined;
      if (!sameOrigin(req, origin())) {
        return sendHtml(res, 403, messagePage('Request refused',
          'The cancellation did not come from the billing page itself. Open the billing page and press the button there.',
          'CROSS_ORIGIN_REQUEST'), PORTAL_HEADERS);
      }
      const sub = subscriptions.get(params.id);
      if (!sub || sub.customerId !== session.customerId) {
        return sendHtml(res, 404, messagePage('Subscription not found', 'This subscription is not one of yours.', 'SUBSCRIPTION_NOT_FOUND'), PORTAL_HEADERS);
      }
      try {
        subscriptions.cancelAtPeriodEnd(sub);
      } catch (err) {
        return sendHtml(res, 409, messagePage('Cannot cancel', err.message, 'SUBSCRIPTION_NOT_CANCELABLE'), PORTAL_HEADERS);
      }
      log(`[clink] portal: ${sub.subscriptionId} cancels at period end`);
      res.writeHead(303, { Location: `/portal/${encodeURIComponent(params.token)}?canceled=${encodeURIComponent(sub.subscriptionId)}`, 'Cache-Control': 'no-store', 'Content-Length': 0 });
      res.end();
      return undefined;
    },
  };
}

/**
 * A form post from this origin: Origin names it (the URL the local Clink reports, or the host name
 * the request came to, which the Host allow-list already checked), or, without Origin,
 * Sec-Fetch-Site says same-origin.
 */
export function sameOrigin(req, ownOrigin) {
  const originHeader = req.headers.origin;
  if (typeof originHeader === 'string' && originHeader !== 'null') {
    return originHeader === ownOrigin || (typeof req.headers.host === 'string' && originHeader === `http://${req.headers.host}`);
  }
  return req.headers['sec-fetch-site'] === 'same-origin';
}

function portalHtml({ token, session, customer, merchantName, notice, subscriptions }) {
  const cards = subscriptions.length === 0
    ? '<p class="empty">You have no subscriptions.</p>'
    : subscriptions.map((s) => subscriptionHtml(token, s, notice)).join('');
  const back = session.returnUrl
    ? `<a class="result-link back" id="portal-return" href="${escapeHtml(session.returnUrl)}">Return to ${escapeHtml(merchantName)}</a>`
    : '';
  const body = `
<main class="checkout portal" id="portal" data-customer-id="${escapeHtml(session.customerId)}">
  <header class="brand">
    <span class="logo" aria-label="Clink">clink</span>
    <span class="badge" title="Local Clink: no real money moves">Test mode</span>
  </header>
  <section class="summary">
    <p class="merchant">${escapeHtml(merchantName)} · billing</p>
    <h1 class="portal-title">Your subscriptions</h1>
    <p class="product">${escapeHtml(customer?.email || session.customerId)}</p>
  </section>
  ${cards}
  ${back}
  <footer class="test-tools"><p>Link valid until ${escapeHtml(dateOf(session.expiresAt))} · ${escapeHtml(new Date(session.expiresAt).toISOString().slice(11, 16))} UTC</p></footer>
</main>`;
  return page(`Billing · ${merchantName} (local Clink)`, body, null, ['checkout.css', 'portal.css']);
}

function subscriptionHtml(token, { sub, product, invoices }, notice) {
  const price = `${formatAmount(sub.amount, sub.currency)} / ${sub.interval}`;
  let next;
  if (sub.status === 'canceled') next = `Ended on ${dateOf(sub.canceledAt)}`;
  else if (sub.cancelAtPeriodEnd) next = `Cancels on ${dateOf(sub.currentPeriodEnd)}; no more charges`;
  else if (sub.status === 'trialing') next = `Trial ends on ${dateOf(sub.trialEnd)}; then ${price}`;
  else if (sub.status === 'past_due') next = `Payment failed; we will try again. Renews on ${dateOf(sub.currentPeriodEnd)}`;
  else next = `Renews on ${dateOf(sub.currentPeriodEnd)}`;
  const canCancel = !sub.cancelAtPeriodEnd && ['active', 'trialing', 'past_due'].includes(sub.status);
  const action = canCancel
    ? `<form method="post" action="/portal/${escapeHtml(encodeURIComponent(token))}/subscriptions/${escapeHtml(encodeURIComponent(sub.subscriptionId))}/cancel">
        <button class="cancel-sub" type="submit">Cancel at period end</button>
      </form>`
    : '';
  const justCanceled = notice === sub.subscriptionId
    ? `<p class="notice ok" role="status">Your subscription will end on ${escapeHtml(dateOf(sub.currentPeriodEnd))}.</p>`
    : '';
  const rows = invoices.map((inv) => `<tr data-invoice-id="${escapeHtml(inv.invoiceId)}">
      <td class="created">${escapeHtml(dateOf(inv.createdAt))}</td>
      <td class="period">${escapeHtml(dateOf(inv.periodStart))} – ${escapeHtml(dateOf(inv.periodEnd))}</td>
      <td class="num">${escapeHtml(formatAmount(inv.amount, inv.currency))}</td>
      <td><span class="pill inv-${escapeHtml(inv.status)}">${escapeHtml(inv.status)}</span></td>
    </tr>`).join('');
  return `
  <section class="sub" data-subscription-id="${escapeHtml(sub.subscriptionId)}" data-status="${escapeHtml(sub.status)}">
    <div class="sub-head">
      <div>
        <h2 class="sub-name">${escapeHtml(product?.name ?? sub.productId)}</h2>
        <p class="sub-price">${escapeHtml(price)}</p>
      </div>
      <span class="pill sub-${escapeHtml(sub.status)}">${escapeHtml(STATUS_LABELS[sub.status] ?? sub.status)}</span>
    </div>
    <p class="sub-next">${escapeHtml(next)}</p>
    ${justCanceled}
    ${action}
    <h3 class="inv-title">Invoices</h3>
    <table class="invoices">
      <thead><tr><th scope="col" class="created">Date</th><th scope="col" class="period">Period</th><th scope="col" class="num">Amount</th><th scope="col">Status</th></tr></thead>
      <tbody>${rows}</tbody>
    </table>
  </section>`;
}

function messagePage(title, text, code) {
  const body = `
<main class="checkout" id="portal-error" data-code="${escapeHtml(code)}">
  <header class="brand"><span class="logo" aria-label="Clink">clink</span><span class="badge">Test mode</span></header>
  <section class="panel result">
    <div class="result-icon failed" aria-hidden="true"></div>
    <h1 class="panel-title">${escapeHtml(title)}</h1>
    <p class="result-text">${escapeHtml(text)}</p>
  </section>
</main>`;
  return page(`${title} · Clink (local)`, body, null, ['checkout.css', 'portal.css']);
}
