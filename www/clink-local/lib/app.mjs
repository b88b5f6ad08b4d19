// The local Clink's server: one route table for everything it answers, and the shell that turns
// a handler's result or thrown ApiError into Clink's envelope.
import { createServer } from 'node:http';
import {
  ApiError, MAX_BODY_BYTES, createRouter, originOf, send, sendEnvelope, sendError,
} from './http.mjs';
import { BOOTSTRAP_CORS, createApiHandlers } from './api.mjs';
import { createHostedHandlers } from './hosted.mjs';
import { createInspectorHandlers } from './inspector.mjs';
import { CheckoutStore } from './sessions.mjs';
import { WebhookDispatcher } from './webhooks.mjs';

/**
 * Builds the route table. Rows: [method, pattern, handler]; 404 and 405 (with Allow) come from it.
 */
export function routeTable({ api, hosted, inspector }) {
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
    // Hosted checkout (the buyer's browser)
    ['GET', '/pay/:param', hosted.checkoutPage],
    ['GET', '/return/:id', hosted.returnPage],
    ['POST', '/pay-api/sessions/:id', hosted.payState],
    ['POST', '/pay-api/sessions/:id/pay', hosted.pay],
    ['POST', '/pay-api/sessions/:id/cancel', hosted.cancel],
    ['POST', '/pay-api/sessions/:id/expire', hosted.expire],
    ['GET', '/assets/*', hosted.asset],
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
 *           processingMs?: number, merchantName: string, log: (line: string) => void }} config
 */
export function createClink(config) {
  const { log } = config;
  let origin = '';
  const getOrigin = () => origin;
  const webhooks = new WebhookDispatcher({
    secret: config.webhookSecret, retryBaseMs: config.webhookRetryBaseMs, timeoutMs: config.webhookTimeoutMs, log,
  });
  for (const url of config.webhooks) webhooks.addEndpoint(url);
  const store = new CheckoutStore({
    sessionTtlMs: config.sessionTtlMs,
    processingMs: config.processingMs,
    checkoutUrl: (param) => `${origin}/pay/${encodeURIComponent(param)}`,
    emit: (type, data) => webhooks.publish(type, data),
    onChange(session, previous) {
      if (previous) log(`[clink] ${session.id}: ${previous} → ${session.state}`);
    },
  });
  const keys = { publishableKey: config.publishableKey, secretKey: config.secretKey, webhookSecret: config.webhookSecret };
  const settings = {
    sessionTtlSeconds: config.sessionTtlMs / 1000,
    webhookRetryBaseMs: config.webhookRetryBaseMs,
    merchantName: config.merchantName,
  };
  const api = createApiHandlers({ store, webhooks, config: { secretKey: config.secretKey, now: Date.now }, origin: getOrigin, log });
  const hosted = createHostedHandlers({ store, merchantName: config.merchantName, log });
  const inspector = createInspectorHandlers({ store, webhooks, keys, origin: getOrigin, settings });
  const router = createRouter(routeTable({ api, hosted, inspector }));

  async function handle(req, res) {
    const url = new URL(req.url, 'http://local');
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
      // A body left unread: drain a small one (the connection stays usable); close the connection
      // on a large or unannounced one (413 included) rather than read it all.
      const close = err?.closeConnection || (!req.complete && !smallBody(req));
      if (!close && !req.complete) req.resume();
      sendError(res, err, close ? { ...cors, Connection: 'close' } : cors);
      if (close) res.on('finish', () => req.destroy());
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  server.keepAliveTimeout = 2000;

  return {
    server,
    store,
    webhooks,
    keys,
    router,
    setOrigin(value) {
      origin = value;
    },
    originOf: (host) => originOf(server, host),
  };
}

/** True when the request announces no body, or one of at most 1 MB (cheap to drain). */
function smallBody(req) {
  if (req.headers['transfer-encoding']) return false;
  const length = Number(req.headers['content-length'] ?? 0);
  return Number.isFinite(length) && length <= MAX_BODY_BYTES;
}
