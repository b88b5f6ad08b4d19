// The merchant demo origin: the shop page, the built SDK under /pkg/, and the shop's backend. The
// backend talks to Clink only the way a real merchant's can: the authenticated REST API out, signed
// webhooks in. It keeps its own order records (merchant-orders.mjs).
//
//   GET  /                                   the shop page (www/merchant/)
//   GET  /demo-config.json                   what the page needs: Clink's origin, the publishable key
//   POST /api/clink/checkout-session         {outcome?} → { sessionId, checkoutUrl, sessionParam, orderId }
//   GET  /api/clink/checkout-status?sessionId=…   Clink's view of the session (for pollStatus)
//   GET  /api/orders, /api/orders/{orderId}   the shop's records: the newest orders, one order
//   POST /webhooks/clink                     Clink's webhooks (signature verified)
//   GET  /success?order=…, /cancel?order=…   return pages, from the shop's records
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ApiError, createRouter, escapeHtml, formatAmount, readJson, send, sendError, sendHtml, sendJson, serveFile,
} from '../../clink-local/lib/http.mjs';
import { createClinkApi } from './clink-api.mjs';
import { createWebhookReceiver } from './webhooks.mjs';
import { renderNotFound, renderReturnPage, shell } from './pages.mjs';

const PAGES = fileURLToPath(new URL('../public/', import.meta.url));
export const PRODUCT = { name: 'Aurora desk lamp', amount: 4900, currency: 'USD' };
export const WEBHOOK_PATH = '/webhooks/clink';
const RECENT_ORDERS = 6;
/**
 * The test outcomes the demo page offers: `card` leaves it to the test card the buyer types; the
 * others use the local Clink's forced-outcome lever (testOutcomeFields below). [value, title, what happens]
 */
export const OUTCOME_CHOICES = [
  ['card', 'Type a card', 'the test card you type decides'],
  ['success', 'Success', 'the checkout opens with 4242 filled in'],
  ['decline', 'Decline', 'the checkout opens with 4000…0002 filled in'],
  ['expire', 'Expire', 'the checkout expires 2 s after it opens'],
];
export const OUTCOMES = OUTCOME_CHOICES.map(([value]) => value);

function outcomeChoicesHtml() {
  return OUTCOME_CHOICES.map(([value, title, what], i) => `        <label class="choice"><input type="radio" name="outcome" value="${value}"${i === 0 ? ' checked' : ''}${i === 0 ? ' aria-describedby="outcome-hint"' : ''}>
          <span><strong>${escapeHtml(title)}</strong> <small>${escapeHtml(what)}</small></span></label>`).join('\n');
}

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

/**
 * @param {{
 *   ctx: { merchantOrigin: string, clinkOrigin: string, publishableKey: string, secretKey: string,
 *          webhookSecret: string, pkgDir: string },
 *   orders: import('./orders.mjs').OrderBook,
 *   log: (line: string) => void,
 *   webhookGate?: () => Promise<void>,
 * }} deps  ctx is read per request: the launcher fills in Clink's origin and keys once it is up.
 */
export function createMerchantHandler({ ctx, orders, log, webhookGate }) {
  const clink = createClinkApi({ baseUrl: () => ctx.clinkOrigin, secretKey: () => ctx.secretKey });
  const receiveWebhook = createWebhookReceiver({ secret: () => ctx.webhookSecret, orders, log, gate: webhookGate });
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

  // ------------------------------------------------------------------ handlers

  async function shopPage({ res }) {
    let html = (await readFile(join(PAGES, 'index.html'), 'utf8')).replace('<!--OUTCOME_CHOICES-->', outcomeChoicesHtml());
    if (sdkBuilt()) {
      html = html.replace('<!--SDK_NOTICE-->', '');
    } else {
      // app.js cannot run without /pkg/index.js: say so in the page itself.
      html = html.replace('<!--SDK_NOTICE-->', SDK_MISSING)
        .replace('data-state="loading" role="status">Loading the Clink SDK…', 'data-state="error" role="status">SDK not built: run bash scripts/build.sh')
        .replace('Waiting for the SDK…', 'Unavailable until the SDK is built.')
        .replace('id="checkout-box" data-loading="true"', 'id="checkout-box" data-loading="true" hidden');
    }
    sendHtml(res, 200, html, pageHeaders());
  }

  function demoConfig({ req, res }) {
    sendJson(res, 200, {
      clinkOrigin: ctx.clinkOrigin,
      merchantOrigin: requestOrigin(req),
      publishableKey: ctx.publishableKey,
      sdkBuilt: sdkBuilt(),
      product: { ...PRODUCT, label: formatAmount(PRODUCT.amount, PRODUCT.currency) },
    });
  }

  /** The shop's order first, then Clink's session for it, with the shop's order id as merchantReferenceId. */
  async function createCheckoutSession({ req, res }) {
    const body = await readJson(req);
    const outcome = body.outcome ?? 'card';
    if (!OUTCOMES.includes(outcome)) throw new ApiError(400, `outcome must be one of ${OUTCOMES.join(', ')}`);
    const origin = requestOrigin(req);
    const order = orders.create({ product: PRODUCT.name, amount: PRODUCT.amount, currency: PRODUCT.currency });
    const back = (path) => `${origin}${path}?order=${encodeURIComponent(order.id)}`;
    let session;
    try {
      session = await clink.createCheckoutSession({
        originalAmount: PRODUCT.amount,
        originalCurrency: PRODUCT.currency,
        priceDataList: [{ name: PRODUCT.name, quantity: 1, unitAmount: PRODUCT.amount, currency: PRODUCT.currency }],
        successUrl: back('/success'),
        cancelUrl: back('/cancel'),
        merchantReferenceId: order.id,
        customerEmail: 'buyer@example.com',
        ...testOutcomeFields(outcome),
      });
    } catch (err) {
      orders.discard(order.id);
      log(`[merchant] creating a Clink session failed: ${err.message}`);
      throw new ApiError(502, `the shop could not create a Clink session: ${err.message}`);
    }
    orders.attachSession(order.id, session.sessionId);
    log(`[merchant] order ${order.id}: Clink session ${session.sessionId} (outcome ${outcome})`);
    // What the SDK's fetchSession needs, plus sessionParam for redirectToCheckout.
    sendJson(res, 200, {
      sessionId: session.sessionId,
      checkoutUrl: session.url,
      sessionParam: session.sessionParam,
      orderId: order.id,
      expiresAt: session.expiresAt,
    });
  }

  /** For the SDK's pollStatus: Clink's own answer, asked with the secret key. */
  async function checkoutStatus({ res, url }) {
    const sessionId = url.searchParams.get('sessionId') ?? '';
    const order = orders.bySession(sessionId);
    if (!order) throw new ApiError(404, `no order of this shop has session ${JSON.stringify(sessionId)}`);
    let session;
    try {
      session = await clink.getCheckoutSession(sessionId);
    } catch (err) {
      throw new ApiError(502, `the shop could not read the Clink session: ${err.message}`);
    }
    sendJson(res, 200, { sessionId, state: session.state, status: session.status, orderId: order.id, orderStatus: order.status });
  }

  function recentOrders({ res }) {
    sendJson(res, 200, { orders: orders.recent(RECENT_ORDERS) });
  }

  function orderRecord({ res, params }) {
    const order = orders.get(params.id);
    if (!order) throw new ApiError(404, `no order ${JSON.stringify(params.id)}`);
    sendJson(res, 200, order);
  }

  function returnPage(kind) {
    return ({ res, url }) => {
      const sessionIdInUrl = url.searchParams.get('sessionId');
      // The URL only names the order; what the page says about payment comes from the records.
      const order = orders.get(url.searchParams.get('order')) ?? orders.bySession(sessionIdInUrl);
      if (!order) return sendHtml(res, 404, renderNotFound('This shop has no order by that reference.'), pageHeaders());
      const waited = Number.parseInt(url.searchParams.get('waited') ?? '0', 10);
      const { html } = renderReturnPage({ order, kind, refreshes: Number.isFinite(waited) ? waited : 0, sessionIdInUrl });
      return sendHtml(res, 200, html, pageHeaders());
    };
  }

  async function pkgFile({ req, res, params }) {
    const rel = params['*'];
    if (rel && (await serveFile(req, res, ctx.pkgDir, rel))) return;
    send(res, 404, `Not found: /pkg/${rel}\nThe SDK package is served from ${ctx.pkgDir}; build it with: bash scripts/build.sh\n`,
      { 'Content-Type': 'text/plain; charset=utf-8' });
  }

  async function staticFile({ req, res, url, params }) {
    const rel = params.file;
    if (rel !== 'index.html' && (await serveFile(req, res, PAGES, rel, pageHeaders()))) return;
    sendHtml(res, 404, shell('Not found', `<main class="page narrow"><h1>Not found</h1><p>Nothing at <code>${escapeHtml(url.pathname)}</code>.</p><p><a href="/">Back to the shop</a></p></main>`), pageHeaders());
  }

  // [method, pattern, handler] (http.mjs createRouter: 404 and 405 with Allow come from the table).
  const router = createRouter([
    ['GET', '/', shopPage],
    ['GET', '/index.html', shopPage],
    ['GET', '/demo-config.json', demoConfig],
    ['POST', '/api/clink/checkout-session', createCheckoutSession],
    ['GET', '/api/clink/checkout-status', checkoutStatus],
    ['GET', '/api/orders', recentOrders],
    ['GET', '/api/orders/:id', orderRecord],
    ['POST', WEBHOOK_PATH, ({ req, res }) => receiveWebhook(req, res)],
    ['GET', '/success', returnPage('success')],
    ['GET', '/cancel', returnPage('cancel')],
    ['GET', '/favicon.ico', ({ res }) => send(res, 204, '')],
    ['GET', '/pkg/*', pkgFile],
    ['GET', '/:file', staticFile], // app.js, style.css, lamp.svg
  ]);

  return async function handle(req, res) {
    const url = new URL(req.url, 'http://local');
    try {
      const found = router.match(req.method, url.pathname);
      if (found.status === 404) throw new ApiError(404, `no such endpoint: ${req.method} ${url.pathname}`);
      if (found.status === 405) {
        throw new ApiError(405, `${req.method} is not allowed on ${url.pathname}; allowed: ${found.allow}`, { Allow: found.allow });
      }
      await found.handler({ req, res, url, params: found.params });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err; // the server's wrapper logs it and answers 500
      if (res.headersSent) return void res.destroy();
      // A body refused unread (413): close the connection rather than drain it.
      const unread = err.closeConnection || !req.complete;
      sendError(res, err, unread ? { Connection: 'close' } : {});
      if (unread) res.on('finish', () => req.destroy());
    }
  };
}

/** The local Clink's forced-outcome lever (not in real Clink: only a test environment has one). */
export function testOutcomeFields(outcome) {
  return outcome === 'card' ? {} : { testOutcome: outcome };
}
