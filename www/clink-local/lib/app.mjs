// The local Clink's server: one route table for everything it answers, and the shell that turns
// a handler's result or thrown ApiError into Clink's envelope.
import { createServer } from 'node:http';
import {
  ApiError, MAX_BODY_BYTES, PAGE_MAX, createRouter, originOf, send, sendEnvelope, sendError, sendHtml,
} from './http.mjs';
import { textPage } from './html.mjs';
import { hostProblem, listenHostNames } from './auth.mjs';
import { BOOTSTRAP_CORS, createApiHandlers } from './api.mjs';
import { createHostedHandlers } from './hosted.mjs';
import { createInspectorHandlers } from './inspector.mjs';
import { CheckoutStore } from './sessions.mjs';
import { Clock } from './clock.mjs';
import { createBilling } from './billing.mjs';
import { createBillingApi } from './billing-api.mjs';
import { createPortalHandlers } from './portal.mjs';
import { catalogOption } from './catalog.mjs';
import { MAX_DELIVERIES, MAX_EVENTS, WebhookDispatcher } from './webhooks.mjs';

/** A body left unread after an answer is read and thrown away up to this much, then the connection closes. */
const DISCARD_MAX_BYTES = 16 * 1024 * 1024;

/**
 * Builds the route table. Rows: [method, pattern, handler]; 404 and 405 (with Allow) come from it.
 */
export function routeTable({ api, billing, hosted, portal, inspector }) {
  return [
    // Browser half (public)
    ['GET', '/api/sdk/bootstrap', api.bootstrap],
    ['OPTIONS', '/api/sdk/bootstrap', api.bootstrapPreflight],
    // REST API (X-API-Key + X-Timestamp)
    ['POST', '/api/checkout/session', api.createSession],
    ['GET', '/api/checkout/session/:id', api.getSession],
    ['GET', '/api/order/:id', api.getOrder],
    // Webhooks: endpoints, events and deliveries (REST, authenticated)
    ['GET', '/api/webhook/endpoints', api.listEndpoints],
    ['POST', '/api/webhook/endpoints', api.addEndpoint],
    ['GET', '/api/webhook/events', api.listEvents],
    ['GET', '/api/webhook/events/:id', api.getEvent],
    ['GET', '/api/webhook/deliveries', api.listDeliveries],
    ['GET', '/api/webhook/deliveries/:id', api.getDelivery],
    // Test controls (not in real Clink; authenticated)
    ['POST', '/api/test/session/:id/state', api.testState],
    ['POST', '/api/test/session/:id/pay', api.testPay],
    ['POST', '/api/test/session/:id/expire', api.testExpire],
    ['POST', '/api/test/webhook-event/:id/resend', api.resendEvent],
    // Catalogue, subscriptions, invoices, refunds, customer portal (docs/local-clink.md)
    ['GET', '/api/product', billing.listProducts],
    ['GET', '/api/product/:id', billing.getProduct],
    ['GET', '/api/price', billing.listPrices],
    ['GET', '/api/price/:id', billing.getPrice],
    ['GET', '/api/subscription/:id', billing.getSubscription],
    ['POST', '/api/subscription/:id/cancel', billing.cancelSubscription],
    ['GET', '/api/subscription/invoice/:id', billing.getInvoice],
    ['GET', '/api/refund/:id', billing.getRefund],
    ['POST', '/api/billing/session', billing.createBillingSession],
    // Their test controls (not in real Clink; authenticated)
    ['GET', '/api/test/clock', billing.getClock],
    ['POST', '/api/test/clock/advance', billing.advanceClock],
    ['POST', '/api/test/subscription/:id/advance', billing.advanceSubscription],
    ['POST', '/api/test/subscription/:id/card', billing.setSubscriptionCard],
    ['POST', '/api/test/order/:id/refund', billing.refundOrder],
    // Hosted checkout (the buyer's browser)
    ['GET', '/pay/:param', hosted.checkoutPage],
    ['GET', '/return/:id', hosted.returnPage],
    ['POST', '/pay-api/sessions/:id', hosted.payState],
    ['POST', '/pay-api/sessions/:id/pay', hosted.pay],
    ['POST', '/pay-api/sessions/:id/cancel', hosted.cancel],
    ['POST', '/pay-api/sessions/:id/expire', hosted.expire],
    ['GET', '/assets/*', hosted.asset],
    // Customer portal (the customer's browser; the token in the path authorises)
    ['GET', '/portal/:token', portal.page],
    ['POST', '/portal/:token/subscriptions/:id/cancel', portal.cancel],
    // Inspector (loopback only)
    ['GET', '/', inspector.page],
    ['GET', '/inspector/data', inspector.data],
    ['GET', '/favicon.ico', ({ res }) => send(res, 204, '')],
  ];
}

/**
 * Creates (but does not start) a local Clink.
 * @param {{ secretKey: string, publishableKey: string, webhookSecret: string, webhooks: string[],
 *           webhookRetryBaseMs: number, webhookTimeoutMs?: number, sessionTtlMs: number,
 *           processingMs?: number, merchantName: string, log: (line: string) => void,
 *           host: string, allowedHosts: string[], bodyTimeoutMs: number, maxSessions?: number }} config
 */
export function createClink(config) {
  const { log } = config;
  let origin = '';
  const getOrigin = () => origin;
  // One clock for every scheduler: session TTLs, processing, webhook retries, renewals.
  const clock = new Clock();
  const webhooks = new WebhookDispatcher({
    secret: config.webhookSecret, retryBaseMs: config.webhookRetryBaseMs, timeoutMs: config.webhookTimeoutMs, log, clock,
  });
  for (const url of config.webhooks) webhooks.addEndpoint(url);
  const store = new CheckoutStore({
    clock,
    sessionTtlMs: config.sessionTtlMs,
    processingMs: config.processingMs,
    ...(config.maxSessions ? { maxSessions: config.maxSessions } : {}),
    checkoutUrl: (param) => `${origin}/pay/${encodeURIComponent(param)}`,
    emit(type, data) {
      webhooks.publish(type, data);
      billing.onCheckoutEvent(type, data);
    },
    onChange(session, previous) {
      if (previous) log(`[clink] ${session.id}: ${previous} → ${session.state}`);
    },
  });
  const keys = { publishableKey: config.publishableKey, secretKey: config.secretKey, webhookSecret: config.webhookSecret };
  const settings = {
    sessionTtlSeconds: config.sessionTtlMs / 1000,
    webhookRetryBaseMs: config.webhookRetryBaseMs,
    merchantName: config.merchantName,
    allowedHosts: config.allowedHosts,
  };
  // What is kept and for how long (docs/local-clink.md, "Limits and safety"); the inspector shows it.
  const limits = () => ({
    ...store.limits,
    maxEvents: MAX_EVENTS,
    maxDeliveries: MAX_DELIVERIES,
    maxBodyBytes: MAX_BODY_BYTES,
    bodyTimeoutMs: config.bodyTimeoutMs,
    listPageMax: PAGE_MAX,
  });
  const billing = createBilling({
    clock, products: config.products ?? catalogOption(undefined, clock.now()), checkouts: store,
    emit: (type, data) => webhooks.publish(type, data), origin: getOrigin,
  });
  const api = createApiHandlers({ store, webhooks, billing, config: { secretKey: config.secretKey, now: Date.now }, origin: getOrigin, log });
  const billingApi = createBillingApi({ billing, clock, withKey: api.withKey });
  const portal = createPortalHandlers({ billing, origin: getOrigin, merchantName: config.merchantName, log });
  const hosted = createHostedHandlers({ store, merchantName: config.merchantName, log });
  const inspector = createInspectorHandlers({ store, webhooks, billing, clock, keys, origin: getOrigin, settings, limits });
  const router = createRouter(routeTable({ api, billing: billingApi, hosted, portal, inspector }));

  const servedHosts = listenHostNames(config.host, config.allowedHosts);
  const deadlines = new Set(); // body deadline timers of requests in progress; close() clears them

  async function handle(req, res) {
    // The Host allow-list comes first, before any page, API or inspector answer (DNS rebinding).
    const refused = hostProblem(req.headers.host, servedHosts);
    if (refused) {
      log(`[clink] ${req.method} refused: ${refused.split(':')[0]}`);
      // Bootstrap's refusal carries its CORS headers, so that the SDK can show why.
      if (String(req.url).startsWith('/api/sdk/')) sendEnvelope(res, 403, refused, undefined, BOOTSTRAP_CORS);
      else if (String(req.url).startsWith('/api')) sendEnvelope(res, 403, refused);
      else sendHtml(res, 403, textPage('Not served on this host name', refused));
      discardBody(req);
      return;
    }
    let url;
    try {
      url = new URL(req.url, 'http://local');
    } catch {
      sendEnvelope(res, 400, `malformed request target ${JSON.stringify(String(req.url).slice(0, 100))}: send a path such as /api/checkout/session`);
      discardBody(req);
      return;
    }
    const cors = url.pathname.startsWith('/api/sdk/') ? BOOTSTRAP_CORS : {};
    const found = router.match(req.method, url.pathname);
    try {
      if (found.status === 404) throw new ApiError(404, `no such endpoint: ${req.method} ${url.pathname} (the inspector at / lists what there is)`);
      if (found.status === 405) {
        throw new ApiError(405, `${req.method} is not allowed on ${url.pathname}; allowed: ${found.allow}`, { Allow: found.allow });
      }
      const data = await found.handler({ req, res, params: found.params, url });
      if (!res.headersSent && data !== undefined) sendEnvelope(res, 200, 'success', data, cors);
    } catch (err) {
      if (!(err instanceof ApiError)) log(`[clink] ${req.method} ${url.pathname} failed: ${err?.stack || err}`);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      sendError(res, err, cors);
      discardBody(req);
    }
  }

  /** A request whose body has not arrived whole by the deadline is answered 408 (or cut) and closed. */
  function watchBody(req, res) {
    const timer = setTimeout(() => {
      deadlines.delete(timer);
      if (req.complete) return;
      const seconds = config.bodyTimeoutMs / 1000;
      log(`[clink] ${req.method} ${String(req.url).slice(0, 100)}: body not received within ${seconds} s; connection closed`);
      if (!res.headersSent) {
        sendEnvelope(res, 408, `the request body did not arrive within ${seconds} s: send the whole body at once`, undefined, { Connection: 'close' });
        res.on('finish', () => req.socket.destroy());
      } else {
        req.socket.destroy();
      }
    }, config.bodyTimeoutMs);
    deadlines.add(timer);
    const clear = () => {
      clearTimeout(timer);
      deadlines.delete(timer);
    };
    req.once('end', clear);
    req.once('close', clear);
  }

  const server = createServer((req, res) => {
    watchBody(req, res);
    handle(req, res).catch((err) => {
      log(`[clink] ${req.method} answer failed: ${err?.message || err}`);
      res.destroy();
    });
  });
  server.keepAliveTimeout = 2000;

  return {
    server,
    store,
    webhooks,
    clock,
    billing,
    keys,
    router,
    setOrigin(value) {
      origin = value;
    },
    /** Clears the body deadlines of requests still in progress (the server closes them). */
    stopDeadlines() {
      for (const timer of deadlines) clearTimeout(timer);
      deadlines.clear();
    },
    originOf: (host) => originOf(server, host),
  };
}

/**
 * After an answer to a request whose body was not read (a refusal, a 413): read the rest and throw
 * it away, so that the client, still sending, gets to read the answer (closing a socket with unread
 * data resets the connection under it). Past DISCARD_MAX_BYTES the connection is closed; the body
 * deadline bounds the time.
 */
function discardBody(req) {
  if (req.readableEnded) return;
  let seen = 0;
  req.on('data', (chunk) => {
    seen += chunk.length;
    if (seen > DISCARD_MAX_BYTES) req.socket?.destroy();
  });
  req.resume();
}
