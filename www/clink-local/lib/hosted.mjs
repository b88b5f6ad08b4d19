// The browser half the buyer sees: the hosted checkout page (/pay/{sessionParam}), the hosted
// return page, and the small JSON API those pages call (/pay-api/…, authorised by the session's
// token, which the page carries).
import { fileURLToPath } from 'node:url';
import { ApiError, asOrigin, readJson, sendHtml, serveFile } from './http.mjs';
import { escapeHtml, formatAmount, page } from './html.mjs';
import { sameSecret } from './auth.mjs';
import { prefilledCard, readCard } from './checkout-walk.mjs';

const ASSETS = fileURLToPath(new URL('../assets/', import.meta.url));
const SESSION_ID_RE = /^sess_[A-Za-z0-9_-]{1,128}$/;

// The real Clink only lets registered merchant origins frame its checkout; the local one lets any
// page frame it, so that a merchant's own test server (any host, any port) can embed it.
const CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
  "connect-src 'self'", "base-uri 'none'", "form-action 'self'", "object-src 'none'",
  'frame-ancestors *',
].join('; ');
export const PAGE_HEADERS = { 'Content-Security-Policy': CSP, 'Referrer-Policy': 'strict-origin-when-cross-origin' };

/** `http(s)://host` of a session's return URLs: the only origin its pages post messages to. */
export function merchantOriginOf(session) {
  return asOrigin(session.successUrl) || asOrigin(session.cancelUrl) || '';
}

/** The URL a finished checkout hands back: successUrl / cancelUrl with ?sessionId=… added. */
export function returnUrlOf(session, state) {
  const base = state === 'success' ? session.successUrl : session.cancelUrl;
  if (!base) return null;
  const url = new URL(base);
  url.searchParams.set('sessionId', session.id);
  return url.href;
}

/**
 * @param {{ store: import('./sessions.mjs').CheckoutStore, merchantName: string, log: (line: string) => void }} deps
 */
export function createHostedHandlers({ store, merchantName, log }) {
  /** The session of a /pay-api call, when the token sent matches. */
  async function authorisedSession(req, params) {
    const body = await readJson(req, { limit: 16 * 1024 });
    const session = store.get(params.id);
    if (!session) throw new ApiError(404, `no checkout session ${params.id}`);
    if (!sameSecret(body.token, session.token)) throw new ApiError(403, 'token does not match the session');
    return { session, body };
  }

  const pageState = (session) => ({ state: session.state, status: session.status, expiresAt: session.expiresAt });

  return {
    checkoutPage({ res, params, url }) {
      const param = params.param;
      const hash = param.indexOf('#');
      const sessionId = hash === -1 ? param : param.slice(0, hash);
      const token = hash === -1 ? null : param.slice(hash + 1);
      const session = SESSION_ID_RE.test(sessionId) ? store.get(sessionId) : null;
      if (!session) {
        return sendHtml(res, 404, errorPage('Checkout session not found',
          'This checkout link is not valid or has been removed. Go back to the shop and start again.',
          'SESSION_NOT_FOUND'), PAGE_HEADERS);
      }
      if (token !== null && !sameSecret(token, session.token)) {
        return sendHtml(res, 403, errorPage('Invalid checkout link',
          'The token in this checkout link does not match the session.', 'INVALID_SESSION_TOKEN',
          merchantOriginOf(session)), PAGE_HEADERS);
      }
      store.pageOpened(session);
      log(`[clink] checkout page for ${session.id} (${session.state})`);
      return sendHtml(res, 200, checkoutHtml(session, merchantName, url), PAGE_HEADERS);
    },

    returnPage({ res, params, url }) {
      const session = store.get(params.id);
      const state = url.searchParams.get('state');
      if (!session) {
        return sendHtml(res, 404, errorPage('Checkout session not found', 'This return link is not valid.', 'SESSION_NOT_FOUND'), PAGE_HEADERS);
      }
      const merchantOrigin = merchantOriginOf(session);
      if (state !== 'success' && state !== 'cancelled') {
        return sendHtml(res, 400, errorPage('Invalid return link', 'state must be success or cancelled.', 'INVALID_RETURN', merchantOrigin), PAGE_HEADERS);
      }
      if (session.state !== state) {
        return sendHtml(res, 409, errorPage('Checkout not finished',
          `This checkout is in state “${session.state}”, not “${state}”.`, 'INVALID_RETURN', merchantOrigin), PAGE_HEADERS);
      }
      return sendHtml(res, 200, returnHtml(session, state, merchantName, url), PAGE_HEADERS);
    },

    async asset({ req, res, params }) {
      if (await serveFile(req, res, ASSETS, params['*'])) return;
      throw new ApiError(404, `no asset ${params['*']}`);
    },

    // The pages' own API (not Clink's REST API): authorised by the session token in the page.
    async payState({ req, params }) {
      const { session } = await authorisedSession(req, params);
      return pageState(session);
    },

    async pay({ req, params }) {
      const { session, body } = await authorisedSession(req, params);
      const card = readCard(body.card);
      if (!card.ok) throw new ApiError(400, card.msg);
      store.startAttempt(session, card);
      return pageState(session);
    },

    async cancel({ req, params }) {
      const { session } = await authorisedSession(req, params);
      store.cancel(session);
      return pageState(session);
    },

    async expire({ req, params }) {
      const { session } = await authorisedSession(req, params);
      store.expire(session, 'simulated expiry (checkout page button)');
      return pageState(session);
    },
  };
}

function checkoutHtml(session, merchantName, url) {
  const amount = formatAmount(session.originalAmount, session.originalCurrency);
  const items = session.priceDataList
    ? session.priceDataList.map((item) => `<li><span>${escapeHtml(item.name)}</span> <span class="qty">× ${item.quantity}</span></li>`).join('')
    : session.catalogLine // a catalogue price (billing.mjs): its product's name and its terms
      ? `<li><span>${escapeHtml(session.catalogLine.name)}</span> <span class="qty">${escapeHtml(session.catalogLine.terms)}</span></li>`
      : `<li><span>Product <code>${escapeHtml(session.productId)}</code></span> <span class="qty">price <code>${escapeHtml(session.priceId)}</code></span></li>`;
  const attrs = {
    'session-id': session.id,
    token: session.token,
    state: session.state,
    status: session.status,
    'merchant-origin': merchantOriginOf(session),
    'merchant-name': merchantName,
    'expired-url': returnUrlOf(session, 'cancelled') || '',
    'parent-origin': asOrigin(url.searchParams.get('parentOrigin')) || '',
  };
  const dataAttrs = Object.entries(attrs).map(([k, v]) => `data-${k}="${escapeHtml(v)}"`).join(' ');
  const testCards = [
    ['4242 4242 4242 4242', 'succeeds'],
    ['4000 0000 0000 0002', 'declined'],
    ['4000 0000 0000 0119', 'processing error'],
  ].map(([n, what]) => `<li><button type="button" class="tool card-fill" data-card="${n}">${n}</button> ${what}</li>`).join('');
  const body = `
<main class="checkout" id="checkout" ${dataAttrs}>
  <header class="brand">
    <span class="logo" aria-label="Clink">clink</span>
    <span class="badge" title="Local Clink: no real money moves">Test mode</span>
  </header>
  <section class="summary" aria-labelledby="amount">
    <p class="merchant">Pay ${escapeHtml(merchantName)}</p>
    <p class="amount" id="amount">${escapeHtml(amount)}</p>
    <ul class="product">${items}</ul>
  </section>
  <form class="pay-form" id="pay-form" novalidate>
    <label class="field"><span>Email</span>
      <input name="email" type="email" value="${escapeHtml(session.customerEmail || 'buyer@example.com')}" autocomplete="off" readonly></label>
    <label class="field"><span>Card number</span>
      <input name="card" id="card-input" inputmode="numeric" autocomplete="off" spellcheck="false"
        placeholder="4242 4242 4242 4242" value="${escapeHtml(prefilledCard(session.testOutcome))}" aria-describedby="notice"></label>
    <div class="row">
      <label class="field"><span>Expiry</span><input name="exp" value="12 / 34" autocomplete="off" readonly></label>
      <label class="field"><span>CVC</span><input name="cvc" value="123" autocomplete="off" readonly></label>
    </div>
    <div class="notice" id="notice" role="alert" hidden></div>
    <button class="pay" id="pay-button" type="submit">${session.catalogLine?.trial ? 'Start free trial' : `Pay ${escapeHtml(amount)}`}</button>
    <button class="cancel" id="cancel-button" type="button">Cancel and return to ${escapeHtml(merchantName)}</button>
  </form>
  <section class="panel processing" id="processing" hidden aria-live="polite">
    <div class="spinner" aria-hidden="true"></div>
    <div>
      <p class="panel-title">Processing your payment…</p>
      <p class="panel-text">Waiting for your card issuer's answer. Keep this page open.</p>
    </div>
  </section>
  <section class="panel result" id="result" hidden aria-live="polite">
    <div class="result-icon" id="result-icon" aria-hidden="true"></div>
    <p class="panel-title" id="result-title"></p>
    <p class="result-text" id="result-text"></p>
    <a class="result-link" id="result-link" hidden></a>
  </section>
  <footer class="test-tools">
    <p>Test cards (click to use):</p>
    <ul class="test-cards">${testCards}</ul>
    <p>${session.testOutcome ? `Test outcome: <code id="outcome">${escapeHtml(session.testOutcome)}</code>${session.testOutcome === 'expire' ? ' · expires 2 s after opening' : ''} · ` : ''}<button type="button" class="tool" id="expire-button">Simulate expiry</button></p>
  </footer>
</main>`;
  return page(`Pay ${amount} · Clink Checkout (local)`, body, 'pay.js');
}

function returnHtml(session, state, merchantName, url) {
  const target = returnUrlOf(session, state) || '';
  const attrs = `data-state="${state}" data-url="${escapeHtml(target)}" data-merchant-origin="${escapeHtml(merchantOriginOf(session))}" data-parent-origin="${escapeHtml(asOrigin(url.searchParams.get('parentOrigin')) || '')}"`;
  const title = state === 'success' ? 'Payment complete' : 'Checkout cancelled';
  const body = `
<main class="checkout return" id="return" ${attrs}>
  <header class="brand"><span class="logo" aria-label="Clink">clink</span><span class="badge">Test mode</span></header>
  <section class="panel result">
    <div class="result-icon ${state === 'success' ? 'ok' : 'cancelled'}" aria-hidden="true"></div>
    <p class="panel-title">${title}</p>
    <p class="result-text" id="return-text">Returning you to ${escapeHtml(merchantName)}…</p>
    ${target ? `<a class="result-link" id="return-link" href="${escapeHtml(target)}" target="_top">Continue to ${escapeHtml(merchantName)}</a>` : '<p class="result-text">No return URL was configured for this session.</p>'}
  </section>
</main>`;
  return page(`${title} · Clink Checkout (local)`, body, 'return.js');
}

export function errorPage(title, text, code, merchantOrigin = '') {
  const body = `
<main class="checkout" id="checkout-error" data-code="${escapeHtml(code)}" data-message="${escapeHtml(text)}" data-merchant-origin="${escapeHtml(merchantOrigin || '')}">
  <header class="brand"><span class="logo" aria-label="Clink">clink</span><span class="badge">Test mode</span></header>
  <section class="panel result">
    <div class="result-icon failed" aria-hidden="true"></div>
    <h1 class="panel-title">${escapeHtml(title)}</h1>
    <p class="result-text">${escapeHtml(text)}</p>
  </section>
</main>`;
  return page(`${title} · Clink Checkout (local)`, body, 'error.js');
}
