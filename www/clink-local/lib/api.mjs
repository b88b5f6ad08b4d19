// The REST API's handlers: bootstrap (browser, publishable key), checkout sessions and orders,
// webhook inspection, and the test controls. Each handler gets { req, res, params, url } and
// returns the envelope's `data` (answered 200 "success") or throws ApiError.
import { ApiError, pageOf, readJson, sendJson, envelope } from './http.mjs';
import { authProblem, publishableKeyProblem } from './auth.mjs';
import { validateSessionCreate } from './validate.mjs';
import { planStateMove, readCard } from './checkout-walk.mjs';

/** CORS for the one endpoint browsers call (bootstrap): a simple GET, no preflight needed. */
export const BOOTSTRAP_CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, OPTIONS',
  'Access-Control-Max-Age': '600',
};

const DEFAULT_TEST_CARD = '4242 4242 4242 4242';

/**
 * @param {{ store: import('./sessions.mjs').CheckoutStore,
 *           webhooks: import('./webhooks.mjs').WebhookDispatcher,
 *           config: { secretKey: string, now: () => number },
 *           origin: () => string, log: (line: string) => void }} deps
 */
export function createApiHandlers({ store, webhooks, billing, config, origin, log }) {
  /** Wraps a handler so that it runs only for a request with the secret key and a fresh timestamp. */
  const withKey = (handler) => (ctx) => {
    const problem = authProblem(
      { apiKey: header(ctx.req, 'x-api-key'), timestamp: header(ctx.req, 'x-timestamp') },
      { secretKey: config.secretKey, now: config.now() },
    );
    if (problem) throw new ApiError(401, problem);
    return handler(ctx);
  };

  const sessionOr404 = (id) => {
    const session = store.get(id);
    if (!session) throw new ApiError(404, `no checkout session ${id}`);
    return session;
  };

  return {
    withKey,

    bootstrap({ res, url }) {
      const key = url.searchParams.get('publishableKey') || '';
      const problem = publishableKeyProblem(key);
      if (problem) {
        log(`[clink] bootstrap refused: ${problem.split(':')[0]}`);
        // HTTP 200 with code 401 inside: the SDK reports the envelope's msg, which says what to fix.
        sendJson(res, 200, envelope(401, problem), BOOTSTRAP_CORS);
        return undefined;
      }
      sendJson(res, 200, envelope(200, 'success', {
        checkoutBaseUrl: origin(),
        // Test hook: a key containing "embedded_disabled" gets embedded checkout turned off.
        embeddedCheckoutEnabled: !key.includes('embedded_disabled'),
      }), BOOTSTRAP_CORS);
      return undefined;
    },

    bootstrapPreflight({ res }) {
      res.writeHead(204, BOOTSTRAP_CORS).end();
      return undefined;
    },

    createSession: withKey(async ({ req }) => {
      const body = await readJson(req);
      const checked = validateSessionCreate(body, { testOutcomeHeader: header(req, 'x-clink-test-outcome') });
      if (!checked.ok) throw new ApiError(400, checked.msg);
      // The catalogue price and the customer (billing.mjs); a recurring price starts a subscription.
      const { fields, price } = billing.prepareSession(checked.fields);
      const session = store.create(fields);
      billing.sessionCreated(session, price);
      log(`[clink] session ${session.id} created${session.testOutcome ? ` (test outcome ${session.testOutcome})` : ''}`);
      return store.sessionView(session);
    }),

    getSession: withKey(({ params }) => store.sessionView(sessionOr404(params.id))),

    getOrder: withKey(({ params }) => {
      const order = store.getOrder(params.id);
      if (!order) throw new ApiError(404, `no order ${params.id}`);
      return store.orderView(order);
    }),

    // Lists answer one page: { items, hasMore } (?limit=, ?startingAfter=; http.mjs pageOf).
    listEndpoints: withKey(({ url }) => pageOf(webhooks.endpoints(), url.searchParams, (e) => e.id)),

    addEndpoint: withKey(async ({ req }) => {
      const body = await readJson(req);
      if (typeof body.url !== 'string') throw new ApiError(400, 'url is required: the absolute http(s) URL of your webhook endpoint');
      return webhooks.addEndpoint(body.url);
    }),

    listEvents: withKey(({ url }) => pageOf(webhooks.events(), url.searchParams, (e) => e.id)),

    getEvent: withKey(({ params }) => {
      const event = webhooks.getEvent(params.id);
      if (!event) throw new ApiError(404, `no webhook event ${params.id}`);
      return event;
    }),

    listDeliveries: withKey(({ url }) => pageOf(webhooks.deliveries({
      eventId: url.searchParams.get('eventId') || undefined,
      type: url.searchParams.get('type') || undefined,
    }), url.searchParams, (d) => d.deliveryId)),

    getDelivery: withKey(({ params }) => {
      const delivery = webhooks.getDelivery(params.id);
      if (!delivery) throw new ApiError(404, `no webhook delivery ${params.id}`);
      return delivery;
    }),

    // Test controls: what a buyer would do, without a browser.
    testState: withKey(async ({ req, params }) => {
      const body = await readJson(req);
      const session = sessionOr404(params.id);
      if (typeof body.state !== 'string') throw new ApiError(400, 'state is required: one of payment, pending, success, cancelled, error, expired');
      const plan = planStateMove(session, body.state);
      if (!plan.ok) throw new ApiError(plan.status, plan.msg);
      const card = typeof body.card === 'string' ? body.card : undefined;
      for (const step of plan.steps) runStep(session, step, card);
      return store.sessionView(session);
    }),

    testPay: withKey(async ({ req, params }) => {
      const body = await readJson(req);
      const session = sessionOr404(params.id);
      if (body.card !== undefined && typeof body.card !== 'string') throw new ApiError(400, 'card must be a string, e.g. "4242 4242 4242 4242"');
      const card = readCard(body.card ?? DEFAULT_TEST_CARD);
      if (!card.ok) throw new ApiError(400, `card: ${card.msg}`);
      if (body.hold !== undefined && typeof body.hold !== 'boolean') throw new ApiError(400, 'hold must be a boolean');
      store.startAttempt(session, card, body.hold ? { hold: true } : { immediate: true });
      return store.sessionView(session);
    }),

    testExpire: withKey(({ params }) => {
      const session = sessionOr404(params.id);
      store.expire(session, 'expired by test control');
      return store.sessionView(session);
    }),

    resendEvent: withKey(({ params }) => webhooks.resend(params.id)),
  };

  function runStep(session, step, cardInput) {
    const [action, result] = step.split(':');
    if (action === 'cancel') return store.cancel(session, 'cancelled by test control');
    if (action === 'expire') return store.expire(session, 'expired by test control');
    if (action === 'finish') return store.finishAttempt(session, result);
    // attempt:hold keeps the attempt pending; attempt:<result> walks through pending to the result.
    const card = readCard(cardInput ?? cardFor(result));
    if (!card.ok) throw new ApiError(400, `card: ${card.msg}`);
    if (result === 'hold') return store.startAttempt(session, card, { hold: true });
    store.startAttempt(session, card, { hold: true });
    return store.finishAttempt(session, result);
  }
}

function cardFor(result) {
  return { declined: '4000 0000 0000 0002', error: '4000 0000 0000 0119' }[result] ?? DEFAULT_TEST_CARD;
}

function header(req, name) {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
