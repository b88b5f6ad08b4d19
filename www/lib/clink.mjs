// The local Clink: a stand-in for Clink's bootstrap API and hosted checkout, on its own origin.
//
//   GET  /api/sdk/bootstrap?publishableKey=…&origin=…&locale=…   what loadClink() asks
//   POST /api/checkout/session                                   create a session (like Clink's API)
//   GET  /api/checkout/session/{sessionId}                       read a session
//   GET  /pay/{sessionParam}                                     hosted checkout page
//   GET  /return/{sessionId}?state=success|cancelled             hosted return page
//   GET  /pay-api/sessions/{sessionId}                           session JSON (used by the pages)
//   POST /pay-api/sessions/{sessionId}/state  {"state": "…"}     move a session (used by the pages)
import { fileURLToPath } from 'node:url';
import { SessionStore, OUTCOMES } from './store.mjs';
import {
  asOrigin, decodeSegment, escapeHtml, methodNotAllowed, readJsonBody, send, sendHtml, sendJson,
  serveFile,
} from './http.mjs';

const ASSETS = fileURLToPath(new URL('../clink/', import.meta.url));
const KEY_RE = /^pk_(test|uat|prod)_[A-Za-z0-9_]+$/;
const SESSION_ID_RE = /^sess_[A-Za-z0-9_-]{1,128}$/;

// The real Clink only lets registered merchant origins frame its checkout; the local one lets any
// page frame it, so that a merchant's own test server (any host, any port) can embed it.
const CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
  "connect-src 'self'", "base-uri 'none'", "form-action 'self'", "object-src 'none'",
  'frame-ancestors *',
].join('; ');
const PAGE_HEADERS = { 'Content-Security-Policy': CSP, 'Referrer-Policy': 'strict-origin-when-cross-origin' };

const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type, X-API-Key, X-Timestamp, X-Clink-Test-Outcome',
  'Access-Control-Max-Age': '600',
};

const envelope = (code, msg, data) => (data === undefined ? { code, msg } : { code, msg, data });

export function formatAmount(amount, currency) {
  try {
    const nf = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    return nf.format(amount / 10 ** nf.resolvedOptions().maximumFractionDigits);
  } catch {
    return `${(amount / 100).toFixed(2)} ${currency}`;
  }
}

/** Checks a publishable key the way Clink's bootstrap would. Returns an error message or null. */
export function keyProblem(key) {
  if (!key) return 'publishableKey is required';
  if (/^sk_/.test(key)) {
    return 'a secret key (sk_…) was sent from a browser: never put secret keys in browser code; use a publishable key (pk_test_…, pk_uat_…, pk_prod_…)';
  }
  if (!KEY_RE.test(key)) {
    const shown = key.length > 40 ? `${key.slice(0, 40)}…` : key;
    return `invalid publishableKey "${shown}": expected pk_test_…, pk_uat_… or pk_prod_… followed by letters, digits or _`;
  }
  return null;
}

/**
 * @param {{ store: SessionStore, ctx: { clinkOrigin: string }, log: (line: string) => void }} deps
 */
export function createClinkHandler({ store, ctx, log }) {
  const checkoutUrlFor = (session) =>
    `${ctx.clinkOrigin}/pay/${encodeURIComponent(SessionStore.sessionParam(session))}`;

  async function handle(req, res) {
    const url = new URL(req.url, 'http://local');
    const path = url.pathname;
    const method = req.method;

    if (path.startsWith('/api/')) {
      if (method === 'OPTIONS') return send(res, 204, '', CORS);
      if (path === '/api/sdk/bootstrap') {
        if (method !== 'GET' && method !== 'HEAD') return methodNotAllowed(res, 'GET, HEAD, OPTIONS', CORS);
        return bootstrap(res, url);
      }
      if (path === '/api/checkout/session') {
        if (method !== 'POST') return methodNotAllowed(res, 'POST, OPTIONS', CORS);
        return createSessionApi(req, res);
      }
      const m = path.match(/^\/api\/checkout\/session\/([^/]+)$/);
      if (m) {
        if (method !== 'GET' && method !== 'HEAD') return methodNotAllowed(res, 'GET, HEAD, OPTIONS', CORS);
        const session = store.get(decodeSegment(m[1]));
        if (!session) return sendJson(res, 404, envelope(404, 'checkout session not found'), CORS);
        return sendJson(res, 200, envelope(200, 'success', SessionStore.toPublic(session)), CORS);
      }
      return sendJson(res, 404, envelope(404, `no such endpoint: ${method} ${path}`), CORS);
    }

    if (path.startsWith('/pay-api/sessions/')) return payApi(req, res, path);

    if (method !== 'GET' && method !== 'HEAD') return methodNotAllowed(res, 'GET, HEAD');

    if (path.startsWith('/pay/')) return checkoutPage(res, url, path.slice('/pay/'.length));
    if (path.startsWith('/return/')) return returnPage(res, url, path.slice('/return/'.length));
    if (path.startsWith('/assets/')) {
      const rel = decodeSegment(path.slice('/assets/'.length));
      if (rel && (await serveFile(req, res, ASSETS, rel))) return;
      return sendJson(res, 404, { error: 'not_found' });
    }
    if (path === '/') return sendHtml(res, 200, indexPage(), PAGE_HEADERS);
    if (path === '/favicon.ico') return send(res, 204, '');
    return sendHtml(res, 404, page('Not found', `<h1>Not found</h1><p>Nothing at <code>${escapeHtml(path)}</code> on the local Clink.</p>`), PAGE_HEADERS);
  }

  function bootstrap(res, url) {
    const key = url.searchParams.get('publishableKey') || '';
    const problem = keyProblem(key);
    if (problem) {
      log(`[clink] bootstrap refused: ${problem.split(':')[0]}`);
      // Clink answers API errors inside its envelope; the SDK reports `msg`.
      return sendJson(res, 200, envelope(401, problem), CORS);
    }
    const data = {
      checkoutBaseUrl: ctx.clinkOrigin,
      // Test hook: a key containing "embedded_disabled" gets embedded checkout turned off.
      embeddedCheckoutEnabled: !key.includes('embedded_disabled'),
    };
    return sendJson(res, 200, envelope(200, 'success', data), CORS);
  }

  async function createSessionApi(req, res) {
    let body;
    try {
      body = await readJsonBody(req);
    } catch (err) {
      return sendJson(res, err.status || 400, envelope(err.status || 400, err.message), CORS);
    }
    const urls = {};
    for (const key of ['successUrl', 'cancelUrl']) {
      if (body[key] == null) continue;
      if (!asOrigin(body[key])) {
        return sendJson(res, 400, envelope(400, `${key} must be an absolute http(s) URL`), CORS);
      }
      urls[key] = new URL(body[key]).href;
    }
    const outcome = body.outcome ?? req.headers['x-clink-test-outcome'];
    const first = Array.isArray(body.priceDataList) ? body.priceDataList[0] : null;
    let session;
    try {
      session = store.create({
        outcome,
        amount: body.originalAmount ?? body.amount,
        currency: body.originalCurrency ?? body.currency,
        productName: body.productName ?? (typeof first?.name === 'string' ? first.name : undefined),
        merchantName: body.merchantName,
        customerEmail: body.customerEmail,
        merchantOrigin: asOrigin(urls.successUrl) || asOrigin(urls.cancelUrl),
        ...urls,
      });
    } catch (err) {
      return sendJson(res, err.status || 400, envelope(err.status || 400, err.message), CORS);
    }
    log(`[clink] session ${session.id} created by API (outcome ${session.outcome})`);
    return sendJson(res, 200, envelope(200, 'success', {
      ...SessionStore.toPublic(session),
      sessionParam: SessionStore.sessionParam(session),
      url: checkoutUrlFor(session),
    }), CORS);
  }

  async function payApi(req, res, path) {
    const m = path.match(/^\/pay-api\/sessions\/([^/]+)(\/state)?$/);
    if (!m) return sendJson(res, 404, { error: 'not_found' });
    const session = store.get(decodeSegment(m[1]));
    if (!m[2]) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res, 'GET, HEAD');
      if (!session) return sendJson(res, 404, { error: 'session_not_found', message: 'unknown session' });
      return sendJson(res, 200, SessionStore.toPublic(session));
    }
    if (req.method !== 'POST') return methodNotAllowed(res, 'POST');
    let body;
    try {
      body = await readJsonBody(req);
    } catch (err) {
      return sendJson(res, err.status || 400, { error: 'bad_request', message: err.message });
    }
    if (!session) return sendJson(res, 404, { error: 'session_not_found', message: 'unknown session' });
    const result = store.setState(session.id, body.state, typeof body.reason === 'string' ? body.reason.slice(0, 200) : undefined);
    if (!result.ok) {
      return sendJson(res, result.status, { error: 'invalid_state', message: result.message, state: session.state });
    }
    return sendJson(res, 200, SessionStore.toPublic(result.session));
  }

  function checkoutPage(res, url, rawParam) {
    const param = decodeSegment(rawParam);
    const hash = param?.indexOf('#') ?? -1;
    const sessionId = param == null ? null : hash === -1 ? param : param.slice(0, hash);
    const token = hash === -1 ? null : param.slice(hash + 1);
    const session = sessionId && SESSION_ID_RE.test(sessionId) ? store.get(sessionId) : null;
    if (!session) {
      return sendHtml(res, 404, errorPage('Checkout session not found',
        'This checkout link is not valid or has been removed. Go back to the shop and start again.',
        'SESSION_NOT_FOUND'), PAGE_HEADERS);
    }
    if (token !== null && token !== session.token) {
      return sendHtml(res, 403, errorPage('Invalid checkout link',
        'The token in this checkout link does not match the session.', 'INVALID_SESSION_TOKEN',
        session.merchantOrigin), PAGE_HEADERS);
    }
    const amount = formatAmount(session.amount, session.currency);
    const declineCard = session.outcome === 'decline';
    const attrs = {
      'session-id': session.id,
      state: session.state,
      outcome: session.outcome,
      'merchant-origin': session.merchantOrigin || '',
      'merchant-name': session.merchantName,
      'expired-url': SessionStore.returnUrl(session, 'cancelled') || '',
      'parent-origin': asOrigin(url.searchParams.get('parentOrigin')) || '',
    };
    const dataAttrs = Object.entries(attrs).map(([k, v]) => `data-${k}="${escapeHtml(v)}"`).join(' ');
    const body = `
<main class="checkout" id="checkout" ${dataAttrs}>
  <header class="brand">
    <span class="logo" aria-label="Clink">clink</span>
    <span class="badge" title="Local Clink: no real money moves">Test mode</span>
  </header>
  <section class="summary" aria-labelledby="amount">
    <p class="merchant">Pay ${escapeHtml(session.merchantName)}</p>
    <p class="amount" id="amount">${escapeHtml(amount)}</p>
    <p class="product"><span>${escapeHtml(session.productName)}</span> <span class="qty">× 1</span></p>
  </section>
  <form class="pay-form" id="pay-form" novalidate>
    <label class="field"><span>Email</span>
      <input name="email" type="email" value="${escapeHtml(session.customerEmail)}" autocomplete="off" readonly></label>
    <label class="field"><span>Card number</span>
      <input name="card" inputmode="numeric" value="${declineCard ? '4000 0000 0000 0002' : '4242 4242 4242 4242'}" autocomplete="off" readonly></label>
    <div class="row">
      <label class="field"><span>Expiry</span><input name="exp" value="12 / 34" autocomplete="off" readonly></label>
      <label class="field"><span>CVC</span><input name="cvc" value="123" autocomplete="off" readonly></label>
    </div>
    <div class="notice" id="notice" role="alert" hidden></div>
    <button class="pay" id="pay-button" type="submit">Pay ${escapeHtml(amount)}</button>
    <button class="cancel" id="cancel-button" type="button">Cancel and return to ${escapeHtml(session.merchantName)}</button>
  </form>
  <section class="panel processing" id="processing" hidden aria-live="polite">
    <div class="spinner" aria-hidden="true"></div>
    <div>
      <p class="panel-title">Processing your payment…</p>
      <ol class="steps">
        <li>Card authorised</li>
        <li>Confirming with the bank</li>
        <li>Creating your receipt</li>
      </ol>
    </div>
  </section>
  <section class="panel result" id="result" hidden aria-live="polite">
    <div class="result-icon" id="result-icon" aria-hidden="true"></div>
    <p class="panel-title" id="result-title"></p>
    <p class="result-text" id="result-text"></p>
    <a class="result-link" id="result-link" hidden></a>
  </section>
  <footer class="test-tools">
    <p>Forced outcome: <code id="outcome">${escapeHtml(session.outcome)}</code>${session.outcome === 'expire' ? ' · expires 2 s after opening' : ''}</p>
    <button type="button" class="tool" id="expire-button">Simulate expiry</button>
  </footer>
</main>`;
    log(`[clink] checkout page for ${session.id} (${session.state})`);
    return sendHtml(res, 200, page(`Pay ${amount} · Clink Checkout (local)`, body, 'checkout.js'), PAGE_HEADERS);
  }

  function returnPage(res, url, rawId) {
    const session = store.get(decodeSegment(rawId));
    const state = url.searchParams.get('state');
    if (!session) {
      return sendHtml(res, 404, errorPage('Checkout session not found', 'This return link is not valid.', 'SESSION_NOT_FOUND'), PAGE_HEADERS);
    }
    if (state !== 'success' && state !== 'cancelled') {
      return sendHtml(res, 400, errorPage('Invalid return link', 'state must be success or cancelled.', 'INVALID_RETURN', session.merchantOrigin), PAGE_HEADERS);
    }
    if (session.state !== state) {
      return sendHtml(res, 409, errorPage('Checkout not finished',
        `This checkout is in state “${session.state}”, not “${state}”.`, 'INVALID_RETURN', session.merchantOrigin), PAGE_HEADERS);
    }
    const target = SessionStore.returnUrl(session, state) || '';
    const attrs = `data-state="${state}" data-url="${escapeHtml(target)}" data-merchant-origin="${escapeHtml(session.merchantOrigin || '')}" data-parent-origin="${escapeHtml(asOrigin(url.searchParams.get('parentOrigin')) || '')}"`;
    const title = state === 'success' ? 'Payment complete' : 'Checkout cancelled';
    const body = `
<main class="checkout return" id="return" ${attrs}>
  <header class="brand"><span class="logo" aria-label="Clink">clink</span><span class="badge">Test mode</span></header>
  <section class="panel result">
    <div class="result-icon ${state === 'success' ? 'ok' : 'cancelled'}" aria-hidden="true"></div>
    <p class="panel-title">${title}</p>
    <p class="result-text" id="return-text">Returning you to ${escapeHtml(session.merchantName)}…</p>
    ${target ? `<a class="result-link" id="return-link" href="${escapeHtml(target)}" target="_top">Continue to ${escapeHtml(session.merchantName)}</a>` : '<p class="result-text">No return URL was configured for this session.</p>'}
  </section>
</main>`;
    return sendHtml(res, 200, page(`${title} · Clink Checkout (local)`, body, 'return.js'), PAGE_HEADERS);
  }

  function errorPage(title, text, code, merchantOrigin = '') {
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

  function indexPage() {
    const rows = [
      ['GET', '/api/sdk/bootstrap?publishableKey=pk_test_…', 'what loadClink() asks'],
      ['POST', '/api/checkout/session', 'create a checkout session (JSON: originalAmount, originalCurrency, successUrl, cancelUrl, outcome)'],
      ['GET', '/api/checkout/session/{sessionId}', 'read a session and its state'],
      ['GET', '/pay/{sessionParam}', 'hosted checkout'],
      ['POST', '/pay-api/sessions/{sessionId}/state', 'move a session: {"state":"success"}'],
    ].map(([m, p, d]) => `<tr><td><code>${m}</code></td><td><code>${escapeHtml(p)}</code></td><td>${escapeHtml(d)}</td></tr>`).join('');
    return page('Local Clink', `
<main class="checkout wide">
  <header class="brand"><span class="logo" aria-label="Clink">clink</span><span class="badge">Local</span></header>
  <h1 class="panel-title">Local Clink</h1>
  <p class="result-text">A stand-in for Clink's bootstrap API and hosted checkout. Outcomes: ${OUTCOMES.map((o) => `<code>${o}</code>`).join(', ')}.</p>
  <table class="endpoints">${rows}</table>
</main>`);
  }

  return handle;
}

function page(title, body, script) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/assets/checkout.css">
${script ? `<script type="module" src="/assets/${script}"></script>` : ''}
</head>
<body>${body}
</body>
</html>
`;
}
