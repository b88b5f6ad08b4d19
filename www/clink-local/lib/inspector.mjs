// The inspector: the local Clink's `/` page and the JSON it polls. It shows the secret key, so
// both answer only requests from loopback addresses (the browser on the developer's machine).
import { ApiError, isLoopbackAddress, sendHtml } from './http.mjs';
import { page } from './html.mjs';
import { PAGE_HEADERS } from './hosted.mjs';

const LIST_LIMIT = 200;
const INVOICES_SHOWN = 24; // per subscription, newest first

/**
 * @param {{ store: import('./sessions.mjs').CheckoutStore,
 *           webhooks: import('./webhooks.mjs').WebhookDispatcher,
 *           keys: { publishableKey: string, secretKey: string, webhookSecret: string },
 *           billing: ReturnType<import('./billing.mjs').createBilling>,
 *           clock: import('./clock.mjs').Clock,
 *           origin: () => string, settings: object, limits: () => object }} deps
 */
export function createInspectorHandlers({ store, webhooks, billing, clock, keys, origin, settings, limits }) {
  const onlyLoopback = (req) => {
    if (!isLoopbackAddress(req.socket.remoteAddress)) {
      throw new ApiError(403, 'the inspector shows the secret key, so it answers only requests from this machine (loopback)');
    }
  };

  return {
    page({ req, res }) {
      onlyLoopback(req);
      return sendHtml(res, 200, page('Local Clink · inspector', `
<div class="inspector" id="inspector">
  <header class="top">
    <span class="logo" aria-label="Clink">clink</span>
    <span class="badge">Local test environment</span>
    <span class="live" id="live" role="status">connecting…</span>
  </header>
  <noscript><p class="note">The inspector needs JavaScript. The same data is at <code>/inspector/data</code>.</p></noscript>
  <div id="app"></div>
</div>`, 'inspector.js', 'inspector.css'), PAGE_HEADERS);
    },

    data({ req }) {
      onlyLoopback(req);
      const sessions = store.sessions().reverse().slice(0, LIST_LIMIT).map((s) => store.sessionView(s));
      const orders = store.orders().reverse().slice(0, LIST_LIMIT).map((o) => store.orderView(o));
      const deliveries = webhooks.deliveries().slice(0, LIST_LIMIT);
      return {
        url: origin(),
        keys,
        settings,
        limits: limits(),
        endpoints: webhooks.endpoints(),
        // Only the offset: a `now` would change every poll and redraw the page under the user's finger.
        clock: { offsetMs: clock.offsetMs },
        sessions,
        orders,
        ...billingData(billing),
        deliveries,
        totals: { sessions: store.sessions().length, orders: store.orders().length, deliveries: webhooks.deliveries().length },
      };
    },
  };
}

/** The subscription business for the inspector: catalogue, customers, subscriptions (with their invoices), refunds. */
function billingData({ catalog, customers, subscriptions, refunds }) {
  const subs = subscriptions.list().slice(0, LIST_LIMIT);
  return {
    products: catalog.products(),
    customers: customers.list().slice(0, LIST_LIMIT),
    subscriptions: subs.map((sub) => ({
      ...subscriptions.view(sub),
      invoices: subscriptions.invoicesOf(sub).slice(0, INVOICES_SHOWN).map((inv) => subscriptions.invoiceView(inv)),
      invoiceCount: sub.invoiceIds.length,
    })),
    refunds: refunds.list().slice(0, LIST_LIMIT),
    billingTotals: { customers: customers.list().length, subscriptions: subscriptions.size, refunds: refunds.list().length },
  };
}
