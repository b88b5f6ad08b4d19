// The merchant demo origin: the demo page, the built SDK under /pkg/, and a mock merchant backend
// that creates sessions in the local Clink (same process, shared store).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SessionStore } from './store.mjs';
import { formatAmount } from './clink.mjs';
import {
  decodeSegment, escapeHtml, methodNotAllowed, readJsonBody, send, sendHtml, sendJson, serveFile,
} from './http.mjs';

const PAGES = fileURLToPath(new URL('../merchant/', import.meta.url));
const PUBLISHABLE_KEY = 'pk_test_demo';
const PRODUCT = { name: 'Aurora desk lamp', amount: 4900, currency: 'USD' };

export function merchantCsp(clinkOrigin) {
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${clinkOrigin}`,
    `frame-src ${clinkOrigin}`,
    "base-uri 'none'",
    "form-action 'self'",
    "object-src 'none'",
  ].join('; ');
}

const SDK_MISSING = `
  <div class="sdk-missing" id="sdk-missing" role="alert">
    <strong>The SDK package is not built.</strong>
    <span>No <code>pkg/index.js</code> was found. Run <code>bash scripts/build.sh</code> (or start the demo with
    <code>bash scripts/demo.sh</code>, which builds it first), then reload this page.</span>
  </div>`;

/** @param {{ store: SessionStore, ctx: { merchantOrigin: string, clinkOrigin: string, pkgDir: string }, log: Function }} deps */
export function createMerchantHandler({ store, ctx, log }) {
  const pageHeaders = () => ({
    'Content-Security-Policy': merchantCsp(ctx.clinkOrigin),
    'Referrer-Policy': 'strict-origin-when-cross-origin',
  });
  const sdkBuilt = () => existsSync(join(ctx.pkgDir, 'index.js'));

  // The origin the buyer is using (127.0.0.1 vs localhost): return URLs keep them on it.
  function requestOrigin(req) {
    const host = req.headers.host;
    if (typeof host === 'string' && /^[A-Za-z0-9.\-[\]:]{1,255}$/.test(host)) {
      const port = new URL(ctx.merchantOrigin).port;
      if (host.endsWith(`:${port}`)) return `http://${host}`;
    }
    return ctx.merchantOrigin;
  }

  async function handle(req, res) {
    const url = new URL(req.url, 'http://local');
    const path = url.pathname;
    const method = req.method;

    if (path === '/api/clink/checkout-session') {
      if (method !== 'POST') return methodNotAllowed(res, 'POST');
      return createSession(req, res);
    }
    if (path === '/api/clink/checkout-status') {
      if (method !== 'GET' && method !== 'HEAD') return methodNotAllowed(res, 'GET, HEAD');
      const sessionId = url.searchParams.get('sessionId');
      const session = store.get(sessionId);
      if (!session) {
        return sendJson(res, 404, { error: 'session_not_found', message: `unknown sessionId ${JSON.stringify(sessionId ?? '')}` });
      }
      return sendJson(res, 200, { sessionId: session.id, state: session.state, orderId: session.orderId });
    }
    if (path.startsWith('/api/')) return sendJson(res, 404, { error: 'not_found', message: `no such endpoint: ${method} ${path}` });

    if (method !== 'GET' && method !== 'HEAD') return methodNotAllowed(res, 'GET, HEAD');

    if (path === '/' || path === '/index.html') {
      let html = await readFile(join(PAGES, 'index.html'), 'utf8');
      if (sdkBuilt()) {
        html = html.replace('<!--SDK_NOTICE-->', '');
      } else {
        // app.js cannot run without /pkg/index.js: say so in the page itself.
        html = html.replace('<!--SDK_NOTICE-->', SDK_MISSING)
          .replace('data-state="loading" role="status">Loading the Clink SDK…', 'data-state="error" role="status">SDK not built: run bash scripts/build.sh')
          .replace('Waiting for the SDK…', 'Unavailable until the SDK is built.');
      }
      return sendHtml(res, 200, html, pageHeaders());
    }
    if (path === '/demo-config.json') {
      return sendJson(res, 200, {
        clinkOrigin: ctx.clinkOrigin,
        merchantOrigin: requestOrigin(req),
        publishableKey: PUBLISHABLE_KEY,
        sdkBuilt: sdkBuilt(),
        product: { ...PRODUCT, label: formatAmount(PRODUCT.amount, PRODUCT.currency) },
      });
    }
    if (path === '/success' || path === '/cancel') return returnPage(res, url, path.slice(1));
    if (path.startsWith('/pkg/')) {
      const rel = decodeSegment(path.slice('/pkg/'.length));
      if (rel && (await serveFile(req, res, ctx.pkgDir, rel))) return;
      return send(res, 404, `Not found: /pkg/${rel ?? ''}\nThe SDK package is served from ${ctx.pkgDir}; build it with: bash scripts/build.sh\n`,
        { 'Content-Type': 'text/plain; charset=utf-8' });
    }
    if (path === '/favicon.ico') return send(res, 204, '');
    const rel = decodeSegment(path.slice(1));
    if (rel && rel !== 'index.html' && (await serveFile(req, res, PAGES, rel, pageHeaders()))) return;
    return sendHtml(res, 404, shell('Not found', `<main class="page narrow"><h1>Not found</h1><p>Nothing at <code>${escapeHtml(path)}</code>.</p><p><a href="/">Back to the shop</a></p></main>`), pageHeaders());
  }

  async function createSession(req, res) {
    let body;
    try {
      body = await readJsonBody(req);
    } catch (err) {
      return sendJson(res, err.status || 400, { error: 'bad_request', message: err.message });
    }
    const origin = requestOrigin(req);
    let session;
    try {
      session = store.create({
        outcome: body.outcome,
        amount: body.amount ?? PRODUCT.amount,
        currency: PRODUCT.currency,
        productName: PRODUCT.name,
        merchantName: 'Demo Shop',
        merchantOrigin: origin,
        successUrl: `${origin}/success`,
        cancelUrl: `${origin}/cancel`,
      });
    } catch (err) {
      return sendJson(res, err.status || 400, { error: 'bad_request', message: err.message });
    }
    log(`[merchant] created ${session.id} (outcome ${session.outcome})`);
    return sendJson(res, 200, {
      sessionId: session.id,
      checkoutUrl: `${ctx.clinkOrigin}/pay/${encodeURIComponent(SessionStore.sessionParam(session))}`,
      orderId: session.orderId,
    });
  }

  function returnPage(res, url, kind) {
    const sessionId = url.searchParams.get('sessionId') || '';
    const session = store.get(sessionId);
    const ok = kind === 'success';
    const title = ok ? 'Thank you for your order' : 'Checkout cancelled';
    const lead = ok
      ? 'Your payment went through. A receipt is on its way.'
      : 'No money was taken. Your cart is still here when you are ready.';
    const rows = [
      ['Session', sessionId ? `<code id="session-id">${escapeHtml(sessionId)}</code>` : '<em>none given</em>'],
      ['Order', session ? `<code>${escapeHtml(session.orderId)}</code>` : '—'],
      ['State at Clink', session ? `<code id="session-state">${escapeHtml(session.state)}</code>` : 'unknown session'],
    ].map(([k, v]) => `<div><dt>${k}</dt><dd>${v}</dd></div>`).join('');
    const body = `
<main class="page narrow return-page ${ok ? 'is-success' : 'is-cancel'}" id="return-page" data-kind="${kind}">
  <div class="return-icon" aria-hidden="true"></div>
  <h1>${title}</h1>
  <p class="lead">${lead}</p>
  <dl class="facts">${rows}</dl>
  <p><a class="button" href="/">Back to the shop</a></p>
</main>`;
    return sendHtml(res, 200, shell(`${title} · Demo Shop`, body), pageHeaders());
  }

  return handle;
}

function shell(title, body) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/style.css">
</head>
<body>
<header class="site-header"><a class="shop-name" href="/">Demo Shop</a><span class="tagline">a merchant using @clink-ai/clink-js</span></header>
${body}
</body>
</html>
`;
}
