// The REST API of the subscription business (Clink's endpoints: products, prices, subscriptions,
// invoices, refunds, customer portal sessions) and its test controls (the clock, a subscription's
// period and card, refunds). Handlers return the envelope's `data` or throw ApiError; `withKey`
// (api.mjs) authenticates each.
import { ApiError, pageOf, readJson } from './http.mjs';
import { readCard } from './checkout-walk.mjs';

/** The most one clock advance may move (local Clink's choice: five years of renewals at most). */
export const MAX_ADVANCE_MS = 5 * 366 * 24 * 3600 * 1000;
const MAX_URL = 2048;

/**
 * @param {{ billing: ReturnType<import('./billing.mjs').createBilling>,
 *           clock: import('./clock.mjs').Clock, withKey: (handler: Function) => Function }} deps
 */
export function createBillingApi({ billing, clock, withKey }) {
  const { catalog, customers, subscriptions, refunds, portal } = billing;

  const subscriptionOr404 = (id) => {
    const sub = subscriptions.get(id);
    if (!sub) throw new ApiError(404, `no subscription ${id}`);
    return sub;
  };

  return {
    listProducts: withKey(({ url }) => pageOf(catalog.products(), url.searchParams, (p) => p.productId)),

    getProduct: withKey(({ params }) => {
      const product = catalog.product(params.id);
      if (!product) throw new ApiError(404, `no product ${params.id}`);
      return product;
    }),

    listPrices: withKey(({ url }) => pageOf(catalog.prices(), url.searchParams, (p) => p.priceId)),

    getPrice: withKey(({ params }) => {
      const price = catalog.price(params.id);
      if (!price) throw new ApiError(404, `no price ${params.id}`);
      return price;
    }),

    getSubscription: withKey(({ params }) => subscriptions.view(subscriptionOr404(params.id))),

    getInvoice: withKey(({ params }) => {
      const invoice = subscriptions.getInvoice(params.id);
      if (!invoice) throw new ApiError(404, `no invoice ${params.id}`);
      return subscriptions.invoiceView(invoice);
    }),

    // Clink's cancel takes no body; one that is sent is not read.
    cancelSubscription: withKey(({ params }) => {
      return subscriptions.view(subscriptions.cancelAtPeriodEnd(subscriptionOr404(params.id)));
    }),

    getRefund: withKey(({ params }) => {
      const refund = refunds.get(params.id);
      if (!refund) throw new ApiError(404, `no refund ${params.id}`);
      return refund;
    }),

    createBillingSession: withKey(async ({ req }) => {
      const body = await readJson(req);
      if (typeof body.customerId !== 'string' || body.customerId === '') {
        throw new ApiError(400, 'customerId is required: the cus_… of the customer (a checkout session shows it)');
      }
      if (!customers.get(body.customerId)) throw new ApiError(404, `no customer ${body.customerId}`);
      const returnUrl = body.returnUrl ?? null;
      if (returnUrl !== null && !httpUrl(returnUrl)) throw new ApiError(400, 'returnUrl must be an absolute http(s) URL');
      return portal.create({ customerId: body.customerId, returnUrl: returnUrl && new URL(returnUrl).href });
    }),

    // Test controls (not in real Clink).
    getClock: withKey(() => clockView(clock)),

    advanceClock: withKey(async ({ req }) => {
      const body = await readJson(req);
      if (!Number.isSafeInteger(body.ms) || body.ms < 1 || body.ms > MAX_ADVANCE_MS) {
        throw new ApiError(400, `ms must be a whole number of milliseconds from 1 to ${MAX_ADVANCE_MS} (about five years), e.g. 2678400000 for 31 days`);
      }
      const ran = clock.advance(body.ms);
      return { ...clockView(clock), timersRun: ran };
    }),

    advanceSubscription: withKey(({ params }) => {
      return subscriptions.view(subscriptions.advance(subscriptionOr404(params.id)));
    }),

    setSubscriptionCard: withKey(async ({ req, params }) => {
      const body = await readJson(req);
      const sub = subscriptionOr404(params.id);
      const card = readCard(body.number);
      if (!card.ok) throw new ApiError(400, `number: ${card.msg}`);
      return subscriptions.view(subscriptions.setCard(sub, { last4: card.last4, result: card.result }));
    }),

    refundOrder: withKey(async ({ req, params }) => {
      const body = hasBody(req) ? await readJson(req) : {};
      return billing.refundOrder(params.id, body);
    }),
  };
}

/** True when the request announces a body (an empty one means: no options). */
function hasBody(req) {
  return Boolean(req.headers['transfer-encoding']) || Number(req.headers['content-length'] ?? 0) > 0;
}

function clockView(clock) {
  return { now: clock.now(), offsetMs: clock.offsetMs };
}

function httpUrl(value) {
  if (typeof value !== 'string' || value.length > MAX_URL) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' && !url.username && !url.password;
  } catch {
    return false;
  }
}
