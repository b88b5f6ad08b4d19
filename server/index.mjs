// @clink-ai/clink-typescript-sdk: Clink's server SDK (create sessions, read orders, refunds,
// subscriptions and invoices, open the customer portal) and webhook verification on Web Crypto.
// No dependencies; Node >= 20, Deno, Bun, Cloudflare Workers, Vercel edge. See docs/server-sdk.md.
export { ClinkPayClient } from './lib/client.mjs';
export { ClinkApiError, ClinkConnectionError, ClinkWebhookError, WEBHOOK_ERROR_REASONS } from './lib/errors.mjs';
export { verifyWebhook, DEFAULT_TOLERANCE_SECONDS, signWebhookForTest } from './lib/webhooks.mjs';
export { API_HOSTS } from './lib/config.mjs';
