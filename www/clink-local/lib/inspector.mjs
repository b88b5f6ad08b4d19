// The inspector: the local Clink's `/` page and the JSON it polls. It shows the secret key, so
// both answer only requests from loopback addresses (the browser on the developer's machine).
import { ApiError, isLoopbackAddress, sendHtml } from './http.mjs';
import { PAGE_HEADERS, page } from './hosted.mjs';

const LIST_LIMIT = 200;

/**
 * @param {{ store: import('./sessions.mjs').CheckoutStore,
 *           webhooks: import('./webhooks.mjs').WebhookDispatcher,
 *           keys: { publishableKey: string, secretKey: string, webhookSecret: string },
 *           origin: () => string, settings: object }} deps
 */
export function createInspectorHandlers({ store, webhooks, keys, origin, settings }) {
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
        endpoints: webhooks.endpoints(),
        sessions,
        orders,
        deliveries,
        totals: { sessions: store.sessions().length, orders: store.orders().length, deliveries: webhooks.deliveries().length },
      };
    },
  };
}
