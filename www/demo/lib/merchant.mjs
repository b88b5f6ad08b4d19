// The merchant demo origin: the shop page, the built SDK under /pkg/, and the shop's backend. The
// backend talks to Clink only the way a real merchant's can: the server SDK with the secret key
// out, signed webhooks in. It keeps its own records (orders.mjs, accounts.mjs).
//
//   GET  /                                   the shop page (public/index.html, app.js)
//   GET  /demo-config.json                   what the page needs: Clink's origin, the publishable key, the items
//   POST /api/clink/checkout-session         {item: 'lamp'|'plan', outcome?} → { sessionId, checkoutUrl, sessionParam, orderId }
//   GET  /api/clink/checkout-status?sessionId=…   Clink's view of the session (for pollStatus)
//   GET  /api/orders, /api/orders/{orderId}   the shop's records: this account's newest orders, one order
//   GET  /api/account                        this account's records (subscriptions, invoices)
//   GET  /account                            the account page;  POST /account/billing → Clink's customer portal
//   POST /webhooks/clink                     Clink's webhooks (verified with the server SDK)
//   GET  /success?order=…, /cancel?order=…   return pages, from the shop's records
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ApiError, accountCookie, accountIdFromCookie, createRouter, newAccountId, readJson, redirect, send, sendError,
  sendHtml, sendJson, serveFile,
} from './http.mjs';
import { createWebhookReceiver } from './webhooks.mjs';
import { escapeHtml, formatAmount, renderAccountPage, renderNotFound, renderReturnPage, shell } from './pages.mjs';

const PAGES = fileURLToPath(new URL('../public/', import.meta.url));
export const WEBHOOK_PATH = '/webhooks/clink';
const RECENT_ORDERS = 6;

/**
 * What the shop sells: the lamp as ad-hoc line items (priceDataList), the plan as the local Clink's
 * default catalogue price (priceId + productId of a recurring price: a subscription checkout).
 */
export const ITEMS = {
  lamp: { item: 'lamp', kind: 'one_time', name: 'Aurora desk lamp', amount: 4900, currency: 'USD' },
  plan: {
    item: 'plan', kind: 'subscription', name: 'Pro plan', amount: 1500, currency: 'USD', interval: 'month',
    productId: 'prd_pro_plan', priceId: 'price_pro_monthly',
  },
};

/**
 * The test outcomes the shop offers: `card` leaves it to the test card the buyer types; the others
 * use the local Clink's forced-outcome lever (testOutcomeFields below).
 */
export const OUTCOMES = ['card', 'success', 'decline', 'expire'];

/** The local Clink's forced-outcome lever (not in real Clink: only a test environment has one). */
export function testOutcomeFields(outcome) {
  return outcome === 'card' ? {} : { testOutcome: outcome };
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
    // "Manage billing" posts here and is redirected to Clink's portal: a redirect after a form
    // submission is checked against form-action too.
    `form-action 'self' ${clinkOrigin}`,
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
 *   merchantOrigin: string, clinkOrigin: string, publishableKey: string, webhookSecret: string, pkgDir: string,
 *   client: import('@clink-ai/clink-typescript-sdk').ClinkPayClient,
 *   orders: import('./orders.mjs').OrderBook, accounts: import('./accounts.mjs').AccountBook,
 *   log: (line: string) => void, webhookGate?: () => Promise<void>,
 * }} shop  merchantOrigin is the shop's configured origin: return URLs are built from it, never from
 *   the request's Host header (which anyone can set).
 */
export function createMerchantHandler(shop) {
  const { client, orders, accounts, log } = shop;
  const receiveWebhook = createWebhookReceiver({
    secret: shop.webhookSecret,
    log,
    gate: shop.webhookGate,
    apply(event) {
      if (event.type.startsWith('subscription.') || event.type.startsWith('invoice.')) return accounts.applyEvent(event);
      const result = orders.applyEvent(event);
      // The order's account and Clink's customer are one person: the account page needs the link.
      if (result.outcome === 'applied') {
        const order = orders.get(result.orderId);
        if (order?.accountId) accounts.linkCustomer(order.accountId, order.customerId);
      }
      return result;
    },
  });
  const pageHeaders = () => ({
    'Content-Security-Policy': merchantCsp(shop.clinkOrigin),
    'Referrer-Policy': 'strict-origin-when-cross-origin',
  });
  const sdkBuilt = () => existsSync(join(shop.pkgDir, 'index.js'));

  /** This browser's account (signed in by cookie; a new one, and its cookie, on first sight). */
  function accountOf(req, res) {
    let id = accountIdFromCookie(req.headers.cookie);
    if (!id || !accounts.get(id)) {
      id = id ?? newAccountId();
      res.setHeader('Set-Cookie', accountCookie(id));
    }
    return accounts.ensure(id);
  }

  // ------------------------------------------------------------------ pages

  async function shopPage({ req, res }) {
    accountOf(req, res);
    let html = await readFile(join(PAGES, 'index.html'), 'utf8');
    if (sdkBuilt()) {
      html = html.replace('<!--SDK_NOTICE-->', '');
    } else {
      // app.js cannot run without /pkg/index.js: say so in the page itself.
      html = html.replace('<!--SDK_NOTICE-->', SDK_MISSING)
        .replace('data-state="loading" role="status">Loading the Clink SDK…', 'data-state="error" role="status">SDK not built: run bash scripts/build.sh');
    }
    sendHtml(res, 200, html, pageHeaders());
  }

  function demoConfig({ res }) {
    const label = (item) => formatAmount(item.amount, item.currency) + (item.interval ? ` / ${item.interval}` : '');
    sendJson(res, 200, {
      clinkOrigin: shop.clinkOrigin,
      publishableKey: shop.publishableKey,
      sdkBuilt: sdkBuilt(),
      items: Object.fromEntries(Object.values(ITEMS).map((item) => [item.item, { name: item.name, kind: item.kind, label: label(item) }])),
    });
  }

  /** The buyer clicked Buy / Subscribe: the shop's order first, then Clink's session for it (merchantReferenceId = the order id). */
  async function createCheckoutSession({ req, res }) {
    const body = await readJson(req);
    const itemName = body.item ?? 'lamp';
    const item = Object.hasOwn(ITEMS, itemName) ? ITEMS[itemName] : null;
    if (!item) throw new ApiError(400, `item must be one of ${Object.keys(ITEMS).join(', ')}`);
    const outcome = body.outcome ?? 'card';
    if (!OUTCOMES.includes(outcome)) throw new ApiError(400, `outcome must be one of ${OUTCOMES.join(', ')}`);
    const account = accountOf(req, res);
    if (item.kind === 'subscription' && accounts.liveSubscription(account.id, item.priceId)) {
      throw new ApiError(409, `this account already has the ${item.name}: manage it from the account page`);
    }
    const order = orders.create({
      item: item.item, kind: item.kind, product: item.name, amount: item.amount, currency: item.currency, accountId: account.id,
    });
    const back = (path) => `${shop.merchantOrigin}${path}?order=${encodeURIComponent(order.id)}`;
    const lines = item.kind === 'subscription'
      ? { priceId: item.priceId, productId: item.productId }
      : { priceDataList: [{ name: item.name, quantity: 1, unitAmount: item.amount, currency: item.currency }] };
    let session;
    try {
      session = await client.createCheckoutSession({
        originalAmount: item.amount,
        originalCurrency: item.currency,
        ...lines,
        successUrl: back('/success'),
        cancelUrl: back('/cancel'),
        merchantReferenceId: order.id,
        // One Clink customer per shop account: its id once known, else the email Clink creates it from.
        ...(account.customerId ? { customerId: account.customerId } : { customerEmail: account.email }),
        ...testOutcomeFields(outcome),
      });
    } catch (err) {
      orders.discard(order.id);
      log(`[merchant] creating a Clink session failed: ${err.message}`);
      throw new ApiError(502, `the shop could not create a Clink session: ${err.message}`);
    }
    orders.attachSession(order.id, session.sessionId);
    accounts.linkCustomer(account.id, session.customerId);
    log(`[merchant] order ${order.id} (${item.item}): Clink session ${session.sessionId} (outcome ${outcome})`);
    // What the SDK's fetchSession needs, plus sessionParam for redirectToCheckout.
    sendJson(res, 200, {
      sessionId: session.sessionId,
      checkoutUrl: session.url,
      sessionParam: session.sessionParam,
      orderId: order.id,
      expiresAt: session.expiresAt,
    });
  }

  /**
   * Clink's answer about an order's checkout, read with the secret key. A checkout that ended
   * without payment (cancelled before any attempt sends no webhook) is recorded from it.
   */
  async function readCheckout(order) {
    let session;
    try {
      session = await client.getCheckoutSession(order.sessionId);
    } catch (err) {
      throw new ApiError(502, `the shop could not read the Clink session: ${err.message}`);
    }
    return { session, order: orders.applyCheckoutState(order.id, session.state) ?? order };
  }

  /** For the SDK's pollStatus: Clink's own answer, asked with the secret key. */
  async function checkoutStatus({ res, url }) {
    const sessionId = url.searchParams.get('sessionId') ?? '';
    const known = orders.bySession(sessionId);
    if (!known) throw new ApiError(404, `no order of this shop has session ${JSON.stringify(sessionId)}`);
    const { session, order } = await readCheckout(known);
    sendJson(res, 200, { sessionId, state: session.state, status: session.status, orderId: order.id, orderStatus: order.status });
  }

  function recentOrders({ req, res }) {
    sendJson(res, 200, { orders: orders.recent(accountOf(req, res).id, RECENT_ORDERS) });
  }

  function orderRecord({ res, params }) {
    const order = orders.get(params.id);
    if (!order) throw new ApiError(404, `no order ${JSON.stringify(params.id)}`);
    sendJson(res, 200, order);
  }

  function returnPage(kind) {
    return async ({ res, url }) => {
      // The URL only names the order; what the page says about payment comes from the records.
      let order = orders.get(url.searchParams.get('order'));
      if (!order) return sendHtml(res, 404, renderNotFound('This shop has no order by that reference.'), pageHeaders());
      // Back from a cancel: ask Clink (not the URL) whether the checkout really ended.
      if (kind === 'cancel' && order.sessionId && !['paid', 'failed', 'cancelled', 'expired'].includes(order.status)) {
        order = (await readCheckout(order).catch(() => ({ order }))).order;
      }
      const waited = Number.parseInt(url.searchParams.get('waited') ?? '0', 10);
      const { html } = renderReturnPage({ order, kind, refreshes: Number.isFinite(waited) ? waited : 0 });
      return sendHtml(res, 200, html, pageHeaders());
    };
  }

  /**
   * The account's records as one value, and a version string that changes when they do. A
   * subscription still `incomplete` is a checkout not paid yet: the page lists plans, not checkouts.
   */
  function accountRecords(account) {
    const all = accounts.subscriptionsOf(account.id);
    const subscriptions = all.filter((s) => s.status !== 'incomplete' && s.status !== 'incomplete_expired');
    // A plan being paid for (or paid) whose subscription.* webhook saying so is not in yet.
    const shown = new Set(subscriptions.map((s) => s.sessionId));
    const pendingOrder = orders.recent(account.id, RECENT_ORDERS)
      .find((o) => o.kind === 'subscription' && (o.status === 'paid' || o.status === 'processing') && !shown.has(o.sessionId)) ?? null;
    const version = JSON.stringify([
      account.customerId, pendingOrder?.id ?? null, pendingOrder?.status ?? null,
      subscriptions.map((s) => [s.subscriptionId, s.version, s.events.length, s.invoices.map((i) => [i.invoiceId, i.version])]),
    ]);
    return { subscriptions, pendingOrder, version };
  }

  const planName = (priceId) => Object.values(ITEMS).find((i) => i.priceId === priceId)?.name ?? priceId;

  function accountPage({ req, res, url }) {
    const account = accountOf(req, res);
    const records = accountRecords(account);
    const billingError = url.searchParams.get('billing') === 'failed' ? 'Clink\'s customer portal could not be opened. Try again in a moment.' : null;
    sendHtml(res, 200, renderAccountPage({ account, ...records, planName, billingError }).html, pageHeaders());
  }

  function accountJson({ req, res }) {
    const account = accountOf(req, res);
    const records = accountRecords(account);
    sendJson(res, 200, { email: account.email, customerId: account.customerId, ...records });
  }

  /** "Manage billing": a fresh portal link for this account's Clink customer, then there. */
  async function billingPortal({ req, res }) {
    const account = accountOf(req, res);
    if (!account.customerId) throw new ApiError(409, 'this account has no Clink customer yet: subscribe first');
    let portal;
    try {
      portal = await client.customerPortalSession({ customerId: account.customerId, returnUrl: `${shop.merchantOrigin}/account` });
    } catch (err) {
      log(`[merchant] opening the customer portal failed: ${err.message}`);
      return redirect(res, '/account?billing=failed');
    }
    redirect(res, portal.url);
  }

  async function pkgFile({ req, res, params }) {
    const rel = params['*'];
    if (rel && (await serveFile(req, res, shop.pkgDir, rel))) return;
    send(res, 404, `Not found: /pkg/${rel}\nThe SDK package is served from ${shop.pkgDir}; build it with: bash scripts/build.sh\n`,
      { 'Content-Type': 'text/plain; charset=utf-8' });
  }

  async function staticFile({ req, res, url, params }) {
    const rel = params.file;
    if (rel !== 'index.html' && (await serveFile(req, res, PAGES, rel, pageHeaders()))) return;
    sendHtml(res, 404, shell('Not found', `<main class="page narrow"><h1>Not found</h1><p>Nothing at <code>${escapeHtml(url.pathname)}</code>.</p><p><a href="/">Back to the shop</a></p></main>`), pageHeaders());
  }

  const router = createRouter([
    ['GET', '/', shopPage],
    ['GET', '/index.html', shopPage],
    ['GET', '/demo-config.json', demoConfig],
    ['POST', '/api/clink/checkout-session', createCheckoutSession],
    ['GET', '/api/clink/checkout-status', checkoutStatus],
    ['GET', '/api/orders', recentOrders],
    ['GET', '/api/orders/:id', orderRecord],
    ['GET', '/api/account', accountJson],
    ['GET', '/account', accountPage],
    ['POST', '/account/billing', billingPortal],
    ['POST', WEBHOOK_PATH, ({ req, res }) => receiveWebhook(req, res)],
    ['GET', '/success', returnPage('success')],
    ['GET', '/cancel', returnPage('cancel')],
    ['GET', '/favicon.ico', ({ res }) => send(res, 204, '')],
    ['GET', '/pkg/*', pkgFile],
    ['GET', '/:file', staticFile], // app.js, account.js, style.css, lamp.svg
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
