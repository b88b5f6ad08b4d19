// @clink-ai/clink-local: a local stand-in for Clink's test environment (REST API, signed webhooks,
// hosted checkout, bootstrap, inspector). Node >= 20, no dependencies.
//
//   import { startClink } from '@clink-ai/clink-local';
//   const clink = await startClink({ port: 0, webhooks: ['http://127.0.0.1:3000/webhooks/clink'] });
//   // clink.url, clink.publishableKey, clink.secretKey, clink.webhookSecret
//   await clink.close();
import { createClink } from './lib/app.mjs';

/** The secret key of every local Clink unless you choose another (tests may hard-code it). */
export const DEFAULT_SECRET_KEY = 'sk_test_clink_local_0000000000000000';
/** The publishable key the local Clink reports (any well-formed pk_test_/pk_uat_ key works in bootstrap). */
export const DEFAULT_PUBLISHABLE_KEY = 'pk_test_clink_local';
/** The webhook signing secret unless you choose another. */
export const DEFAULT_WEBHOOK_SECRET = 'whsec_clink_local_0000000000000000';

const MAX_TTL_SECONDS = 7 * 24 * 3600;

/**
 * Checks and completes startClink's options. Throws TypeError/RangeError naming the option.
 * @returns {object} the config createClink takes
 */
export function clinkConfig(options = {}) {
  if (options === null || typeof options !== 'object') throw new TypeError('startClink options must be an object');
  const {
    port = 0, host = '127.0.0.1', secretKey = DEFAULT_SECRET_KEY, webhooks = [],
    webhookSecret = DEFAULT_WEBHOOK_SECRET, webhookRetryBaseMs = 1000, sessionTtl = 1800,
    merchantName = 'Test merchant', quiet = true, log,
    // Internal knobs for tests of the package itself.
    processingMs = 900, webhookTimeoutMs = 10_000,
  } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`port must be an integer from 0 to 65535, got ${port}`);
  if (typeof host !== 'string' || host === '') throw new TypeError('host must be a non-empty string');
  if (typeof secretKey !== 'string' || !/^sk_test_[A-Za-z0-9_]+$/.test(secretKey)) {
    throw new TypeError('secretKey must look like sk_test_… (letters, digits, _): the local Clink is a test environment');
  }
  if (!Array.isArray(webhooks) || webhooks.some((u) => typeof u !== 'string')) throw new TypeError('webhooks must be an array of URL strings');
  if (typeof webhookSecret !== 'string' || webhookSecret.length < 8) throw new TypeError('webhookSecret must be a string of at least 8 characters');
  if (!Number.isInteger(webhookRetryBaseMs) || webhookRetryBaseMs < 1 || webhookRetryBaseMs > 3_600_000) {
    throw new RangeError(`webhookRetryBaseMs must be an integer from 1 to 3600000, got ${webhookRetryBaseMs}`);
  }
  if (typeof sessionTtl !== 'number' || !Number.isFinite(sessionTtl) || sessionTtl <= 0 || sessionTtl > MAX_TTL_SECONDS) {
    throw new RangeError(`sessionTtl must be a number of seconds, more than 0 and at most ${MAX_TTL_SECONDS}, got ${sessionTtl}`);
  }
  if (typeof merchantName !== 'string' || merchantName.trim() === '' || merchantName.length > 100) {
    throw new TypeError('merchantName must be a non-empty string of at most 100 characters');
  }
  for (const [name, value] of [['processingMs', processingMs], ['webhookTimeoutMs', webhookTimeoutMs]]) {
    if (!Number.isInteger(value) || value < 0 || value > 600_000) throw new RangeError(`${name} must be an integer from 0 to 600000`);
  }
  return {
    port, host, secretKey, webhooks, webhookSecret, webhookRetryBaseMs, merchantName,
    sessionTtlMs: Math.round(sessionTtl * 1000), processingMs, webhookTimeoutMs,
    publishableKey: DEFAULT_PUBLISHABLE_KEY,
    log: typeof log === 'function' ? log : quiet ? () => {} : (line) => console.log(line),
  };
}

/**
 * Starts a local Clink.
 * @param {{ port?: number, host?: string, secretKey?: string, webhooks?: string[],
 *           webhookSecret?: string, webhookRetryBaseMs?: number, sessionTtl?: number,
 *           merchantName?: string, quiet?: boolean }} [options]
 * @returns {Promise<{ url: string, publishableKey: string, secretKey: string, webhookSecret: string,
 *                     addWebhook(url: string): void, close(): Promise<void> }>}
 */
export async function startClink(options = {}) {
  const config = clinkConfig(options);
  const clink = createClink(config);
  await listen(clink.server, config.port, config.host);
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
        clink.server.close(() => resolvePromise());
        clink.server.closeAllConnections();
      });
      return closing;
    },
  };
}

function listen(server, port, host) {
  return new Promise((resolvePromise, reject) => {
    const onError = (err) => {
      server.off('listening', onListening);
      if (err.code === 'EADDRINUSE' || err.code === 'EACCES') {
        const why = err.code === 'EADDRINUSE' ? 'is already in use' : 'is not allowed (privileged port?)';
        reject(Object.assign(new Error(`Cannot start the local Clink: port ${port} on ${host} ${why}. Stop the program using it, or choose another port (0 picks a free one).`), { code: err.code, port, host, cause: err }));
      } else {
        reject(err);
      }
    };
    const onListening = () => {
      server.off('error', onError);
      resolvePromise();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}
