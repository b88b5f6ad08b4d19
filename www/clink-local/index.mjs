// @clink-ai/clink-local: a local stand-in for Clink's test environment (REST API, signed webhooks,
// hosted checkout, bootstrap, inspector). Node >= 20, no dependencies.
//
//   import { startClink } from '@clink-ai/clink-local';
//   const clink = await startClink({ port: 0, webhooks: ['http://127.0.0.1:3000/webhooks/clink'] });
//   // clink.url, clink.publishableKey, clink.secretKey, clink.webhookSecret
//   await clink.close();
import { createClink } from './lib/app.mjs';
import { listen } from './lib/http.mjs';
import { checkClinkOptions } from './lib/options.mjs';
import { catalogOption } from './lib/catalog.mjs';

export { DEFAULT_PUBLISHABLE_KEY, DEFAULT_SECRET_KEY, DEFAULT_WEBHOOK_SECRET } from './lib/options.mjs';
// For launchers that start a local Clink beside a server of their own (the merchant demo's): the
// same flag parser and usage lines as the clink-local bin, with a flag table of their own, and the
// same listen (a port in use is an error that says so).
export { UsageError, flagHelp, flagOf, parseFlags } from './lib/options.mjs';
export { listen } from './lib/http.mjs';

/**
 * Starts a local Clink.
 * @param {{ port?: number, host?: string, allowedHosts?: string[], secretKey?: string, webhooks?: string[],
 *           webhookSecret?: string, webhookRetryBaseMs?: number, sessionTtl?: number,
 *           merchantName?: string, quiet?: boolean }} [options]
 *   A bad option throws a TypeError/RangeError naming it; a non-loopback host with the default
 *   secret key throws an Error (code CLINK_PUBLIC_KEY_OFF_LOOPBACK).
 * @returns {Promise<{ url: string, publishableKey: string, secretKey: string, webhookSecret: string,
 *                     addWebhook(url: string): void, close(): Promise<void> }>}
 */
export async function startClink(options = {}) {
  // The catalogue (catalog.mjs) is checked here: startClink({ catalog }) throws TypeError naming the field.
  const config = { ...checkClinkOptions(options), products: catalogOption(options.catalog, Date.now()) };
  const clink = createClink(config);
  await listen(clink.server, { port: config.port, host: config.host });
  const url = clink.originOf(config.host);
  clink.setOrigin(url);

  let closing = null;
  return {
    url,
    publishableKey: config.publishableKey,
    secretKey: config.secretKey,
    webhookSecret: config.webhookSecret,
    /** Registers a webhook endpoint (e.g. once a launcher knows its own port). */
    addWebhook(endpoint) {
      clink.webhooks.addEndpoint(endpoint);
    },
    /** Stops the server, every timer and every webhook attempt. Resolves promptly. */
    close() {
      closing ??= new Promise((resolvePromise) => {
        clink.store.close();
        clink.webhooks.close();
        clink.billing.close();
        clink.clock.close();
        clink.stopDeadlines();
        clink.server.close(() => resolvePromise());
        clink.server.closeAllConnections();
      });
      return closing;
    },
  };
}

