#!/usr/bin/env node
// The demo launcher: the merchant demo (a model Clink integration) and the local Clink, on two
// origins, with Node's standard library and the project's two server-side packages only. The
// merchant demo reaches the local Clink the way a real shop reaches Clink: the server SDK with the
// secret key, and signed webhooks on its own endpoint (registered here at start).
//
//   node www/demo/server.mjs [--port 8080] [--clink-port 8081] [--host 127.0.0.1]
//
// Programmatic use (end-to-end tests):
//   const { merchantUrl, clinkUrl, close } = await startServers({ merchantPort: 0, clinkPort: 0, quiet: true });
import { createServer } from 'node:http';
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  UsageError, flagHelp, listen, parseFlags, startClink,
} from '@clink-ai/clink-local';
import { ClinkPayClient } from '@clink-ai/clink-typescript-sdk';
import { AccountBook } from './lib/accounts.mjs';
import { ApiError, originOf, sendError } from './lib/http.mjs';
import { createMerchantHandler, WEBHOOK_PATH } from './lib/merchant.mjs';
import { OrderBook } from './lib/orders.mjs';

export const DEFAULT_PKG_DIR = fileURLToPath(new URL('../../pkg/', import.meta.url));

function wrap(handler, log) {
  return (req, res) => {
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((err) => {
        log(`[merchant] ${req.method} ${req.url} failed: ${err?.stack || err}`);
        if (!res.headersSent) sendError(res, err); // a 500 envelope
        else res.destroy();
      });
  };
}

function portError(err, { port, host, role }) {
  const option = role === 'merchant' ? '--port' : '--clink-port';
  const what = role === 'merchant' ? 'merchant demo' : 'local Clink';
  if (err?.code !== 'EADDRINUSE' && err?.code !== 'EACCES') return err;
  const why = err.code === 'EADDRINUSE' ? 'is already in use' : 'is not allowed (privileged port?)';
  const e = new Error(`Cannot start the ${what}: port ${port} on ${host} ${why}. Stop the program using it, or choose another port with ${option} <number> (0 picks a free one).`);
  return Object.assign(e, { code: err.code, port, host, role, option, cause: err });
}

function closeServer(server) {
  return new Promise((resolvePromise) => {
    if (!server.listening) return resolvePromise();
    server.close(() => resolvePromise());
    server.closeAllConnections();
  });
}

/**
 * A gate the webhook receiver awaits after verifying and before applying an event. Open by
 * default; hold() keeps deliveries waiting (as a slow receiver would) until the returned release().
 */
function createWebhookGate() {
  let waiting = null; // null = open; else the resolvers of held deliveries
  const release = () => {
    const held = waiting ?? [];
    waiting = null;
    for (const resolveHeld of held) resolveHeld();
  };
  return {
    gate: () => (waiting ? new Promise((r) => waiting.push(r)) : Promise.resolve()),
    hold() {
      waiting ??= [];
      return release;
    },
    release,
  };
}

/**
 * Starts the merchant demo, then the local Clink with the demo's webhook endpoint registered.
 * @param {{ merchantPort?: number, clinkPort?: number, host?: string, pkgDir?: string, quiet?: boolean,
 *           secretKey?: string, webhookSecret?: string, sessionTtl?: number, webhookRetryBaseMs?: number }} [options]
 *   The last four go to startClink() as they are (its defaults when absent).
 * @returns {Promise<{ merchantUrl: string, clinkUrl: string, webhookUrl: string, publishableKey: string,
 *   secretKey: string, webhookSecret: string, orders: OrderBook, accounts: AccountBook, clink: object,
 *   holdWebhooks(): () => void, close(): Promise<void> }>}
 *   holdWebhooks(): verified webhooks wait before being applied until the returned function is
 *   called (tests use it to see a return page before the confirmation arrives).
 */
export async function startServers({
  merchantPort = 8080, clinkPort = 8081, host = '127.0.0.1', pkgDir = DEFAULT_PKG_DIR, quiet,
  secretKey, webhookSecret, sessionTtl, webhookRetryBaseMs,
} = {}) {
  for (const [name, port] of [['merchantPort', merchantPort], ['clinkPort', clinkPort]]) {
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new RangeError(`${name} must be an integer from 0 to 65535, got ${port}`);
    }
  }
  if (merchantPort !== 0 && merchantPort === clinkPort) {
    throw new RangeError(`the merchant demo and the local Clink need two different ports (both are ${merchantPort})`);
  }
  const log = quiet ? () => {} : (line) => console.log(line);
  const orders = new OrderBook();
  const accounts = new AccountBook();
  const webhooks = createWebhookGate();
  // Until the local Clink is up, the shop cannot serve: a request that comes early (a tab left open
  // from a previous run) is answered 503 rather than left hanging.
  let handle = (req, res) => sendError(res, new ApiError(503, 'the demo is starting: reload in a moment'), { 'Retry-After': '1' });
  const merchantServer = createServer((req, res) => handle(req, res));
  merchantServer.keepAliveTimeout = 2000;

  // The merchant first: its origin is its configuration (return URLs, the webhook URL), and the
  // local Clink needs the webhook URL at start.
  await listen(merchantServer, { port: merchantPort, host, what: 'the merchant demo', flag: '--port' });
  const merchantOrigin = originOf(merchantServer, host);
  const webhookUrl = `${merchantOrigin}${WEBHOOK_PATH}`;
  let clink;
  try {
    clink = await startClink({
      port: clinkPort, host, secretKey, webhookSecret, sessionTtl, webhookRetryBaseMs, quiet: Boolean(quiet),
      webhooks: [webhookUrl], merchantName: 'Demo Shop',
    });
  } catch (err) {
    await closeServer(merchantServer);
    throw portError(err, { port: clinkPort, host, role: 'clink' });
  }
  // As a merchant configures it: the secret key, and the API's address (the local Clink's here).
  const client = new ClinkPayClient({ apiKey: clink.secretKey, baseUrl: clink.url });
  handle = wrap(createMerchantHandler({
    merchantOrigin, clinkOrigin: clink.url, publishableKey: clink.publishableKey, webhookSecret: clink.webhookSecret,
    pkgDir: resolve(pkgDir), client, orders, accounts, log, webhookGate: webhooks.gate,
  }), log);

  let closing = null;
  return {
    merchantUrl: merchantOrigin,
    clinkUrl: clink.url,
    webhookUrl,
    publishableKey: clink.publishableKey,
    secretKey: clink.secretKey,
    webhookSecret: clink.webhookSecret,
    orders,
    accounts,
    clink,
    holdWebhooks: webhooks.hold,
    close() {
      closing ??= (async () => {
        webhooks.release(); // held deliveries finish (and are answered) before their server goes
        await Promise.all([closeServer(merchantServer), clink.close()]);
      })();
      return closing;
    },
  };
}

// The launcher's flags, read by the local Clink's parser (the clink-local bin's, with this table).
const DEMO_FLAGS = [
  { flag: 'port', short: 'p', option: 'merchantPort', kind: 'integer', value: '<n>', help: "the merchant demo's port (default 8080; 0 picks a free port)" },
  { flag: 'clink-port', option: 'clinkPort', kind: 'integer', value: '<n>', help: "the local Clink's port (default 8081)" },
  { flag: 'host', option: 'host', kind: 'string', value: '<host>', help: 'the address both listen on (default 127.0.0.1)' },
  { flag: 'help', short: 'h', option: 'help', kind: 'boolean', help: 'show this help' },
];

const USAGE = `Usage: node www/demo/server.mjs [options]

Starts the merchant demo (--port) and the local Clink (--clink-port) on two origins, with the
demo's webhook endpoint registered at the local Clink. A port of 0 picks a free port.
The local Clink alone, with all its options: npx @clink-ai/clink-local --help.

Options:
${flagHelp(DEMO_FLAGS)}`;

async function main() {
  let options;
  try {
    options = parseFlags(process.argv.slice(2), DEMO_FLAGS);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`${err.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (options.help) {
    console.log(USAGE);
    return;
  }
  let servers;
  try {
    servers = await startServers({
      merchantPort: options.merchantPort ?? 8080,
      clinkPort: options.clinkPort ?? 8081,
      host: options.host ?? '127.0.0.1',
    });
  } catch (err) {
    // A value the flags let through but startServers refuses (a port over 65535, two equal ports).
    const bad = err instanceof RangeError || err instanceof TypeError || err?.code === 'CLINK_PUBLIC_KEY_OFF_LOOPBACK';
    console.error(bad ? `${err.message}\n\n${USAGE}` : err.message);
    process.exit(bad ? 2 : 1);
  }
  const { merchantUrl, clinkUrl, close } = servers;
  console.log([
    '',
    'Clink demo running',
    `  Merchant demo:   ${merchantUrl}/   (a lamp and a monthly plan; your account: ${merchantUrl}/account)`,
    `  Local Clink:     ${clinkUrl}/   (inspector: keys, sessions, orders, subscriptions, webhook deliveries)`,
    `  Publishable key: ${servers.publishableKey}`,
    `  Secret key:      ${servers.secretKey}`,
    `  Webhook secret:  ${servers.webhookSecret}`,
    `  Webhooks to:     ${servers.webhookUrl}`,
    '',
  ].join('\n'));
  if (!realExists(resolve(DEFAULT_PKG_DIR, 'index.js'))) {
    console.log('  Note: pkg/index.js not found: run scripts/build.sh (the demo page says so too).\n');
  }
  console.log('Press Ctrl-C to stop.');

  let stopping = false;
  const stop = (signal) => {
    if (stopping) {
      console.log('Forced exit.');
      process.exit(130);
    }
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    close().then(() => {
      console.log('Stopped.');
      process.exit(0);
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

function realExists(path) {
  try {
    realpathSync(path);
    return true;
  } catch {
    return false;
  }
}

function isMain() {
  if (!process.argv[1]) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}

if (isMain()) main();
