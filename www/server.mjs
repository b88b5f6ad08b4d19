#!/usr/bin/env node
// The local Clink and the merchant demo, on two origins, with Node's standard library only.
//
//   node www/server.mjs [--port 8080] [--clink-port 8081] [--host 127.0.0.1]
//
// Programmatic use (end-to-end tests):
//   const { merchantUrl, clinkUrl, close } = await startServers({ merchantPort: 0, clinkPort: 0, quiet: true });
import { createServer } from 'node:http';
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { SessionStore } from './lib/store.mjs';
import { createClinkHandler } from './lib/clink.mjs';
import { createMerchantHandler } from './lib/merchant.mjs';
import { originOf, sendJson } from './lib/http.mjs';

export const DEFAULT_PKG_DIR = fileURLToPath(new URL('../pkg/', import.meta.url));

function wrap(handler, log) {
  return (req, res) => {
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((err) => {
        log(`[server] ${req.method} ${req.url} failed: ${err?.stack || err}`);
        if (!res.headersSent) sendJson(res, 500, { error: 'internal_error', message: String(err?.message || err) });
        else res.destroy();
      });
  };
}

function listen(server, port, host, role) {
  return new Promise((resolvePromise, reject) => {
    const onError = (err) => {
      server.off('listening', onListening);
      const option = role === 'merchant' ? '--port' : '--clink-port';
      const what = role === 'merchant' ? 'merchant demo' : 'local Clink';
      if (err.code === 'EADDRINUSE' || err.code === 'EACCES') {
        const why = err.code === 'EADDRINUSE' ? 'is already in use' : 'is not allowed (privileged port?)';
        const e = new Error(`Cannot start the ${what}: port ${port} on ${host} ${why}. Stop the program using it, or choose another port with ${option} <number> (0 picks a free one).`);
        Object.assign(e, { code: err.code, port, host, role, option, cause: err });
        reject(e);
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

function closeServer(server) {
  return new Promise((resolvePromise) => {
    if (!server.listening) return resolvePromise();
    server.close(() => resolvePromise());
    server.closeAllConnections();
  });
}

/**
 * Starts the local Clink and the merchant demo.
 * @param {{ merchantPort?: number, clinkPort?: number, host?: string, pkgDir?: string, quiet?: boolean }} [options]
 * @returns {Promise<{ merchantUrl: string, clinkUrl: string, close(): Promise<void> }>}
 */
export async function startServers({
  merchantPort = 8080, clinkPort = 8081, host = '127.0.0.1', pkgDir = DEFAULT_PKG_DIR, quiet,
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
  const store = new SessionStore({
    onChange(session, previous) {
      if (previous) log(`[clink] ${session.id}: ${previous} → ${session.state}`);
    },
  });
  const ctx = { clinkOrigin: '', merchantOrigin: '', pkgDir: resolve(pkgDir) };
  const clinkServer = createServer(wrap(createClinkHandler({ store, ctx, log }), log));
  const merchantServer = createServer(wrap(createMerchantHandler({ store, ctx, log }), log));
  for (const s of [clinkServer, merchantServer]) s.keepAliveTimeout = 2000;

  // The local Clink first: the merchant page's CSP names its origin.
  await listen(clinkServer, clinkPort, host, 'clink');
  ctx.clinkOrigin = originOf(clinkServer, host);
  try {
    await listen(merchantServer, merchantPort, host, 'merchant');
  } catch (err) {
    await closeServer(clinkServer);
    throw err;
  }
  ctx.merchantOrigin = originOf(merchantServer, host);

  let closing = null;
  return {
    merchantUrl: ctx.merchantOrigin,
    clinkUrl: ctx.clinkOrigin,
    close() {
      closing ??= Promise.all([closeServer(merchantServer), closeServer(clinkServer)]).then(() => {});
      return closing;
    },
  };
}

const USAGE = `Usage: node www/server.mjs [--port 8080] [--clink-port 8081] [--host 127.0.0.1]

Starts the merchant demo (--port) and the local Clink (--clink-port) on two origins.
A port of 0 picks a free port.`;

function parsePort(value, flag) {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) {
    console.error(`${flag} must be a port number from 0 to 65535, got "${value}".\n\n${USAGE}`);
    process.exit(2);
  }
  return n;
}

async function main() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string', short: 'p' },
        'clink-port': { type: 'string' },
        host: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    console.error(`${err.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  let servers;
  try {
    servers = await startServers({
      merchantPort: parsePort(values.port, '--port') ?? 8080,
      clinkPort: parsePort(values['clink-port'], '--clink-port') ?? 8081,
      host: values.host ?? '127.0.0.1',
    });
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
  const { merchantUrl, clinkUrl, close } = servers;
  console.log(`\nClink demo running\n  Merchant demo: ${merchantUrl}/\n  Local Clink:   ${clinkUrl}/\n`);
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
