// Shared helpers of the binding tests (tests/bindings/*.test.mjs): this folder's devDependencies
// (installed with `npm ci` only when node_modules does not match the lockfile), the package
// installed from the tarball `npm pack` makes of pkg/ (as a merchant gets it), builds with the
// bundlers, and two origins: the merchant (the built app, the probe, a session endpoint that
// counts its requests and can hold its answers) and the checkout (the stub checkout page).
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HERE as CONSUMERS, NPM_QUIET, installTarball, packPkg, run, startServer } from '../consumers/support.mjs';

export const HERE = join(CONSUMERS, '..', 'bindings');
export const SUPPORT_PAGES = join(CONSUMERS, '..', 'support', 'pages');
const STAMP = join(HERE, 'node_modules', '.clink-bindings-lock.sha256');

/** npm ci, unless node_modules was installed from this very lockfile (a stamp holds its hash). */
export async function ensureBindingDeps() {
  const lock = readFileSync(join(HERE, 'package-lock.json'));
  const hash = createHash('sha256').update(lock).update(process.version).digest('hex');
  const current = existsSync(STAMP) ? readFileSync(STAMP, 'utf8').trim() : '';
  const present = ['react18', 'react19', 'react-dom18', 'react-dom19', 'vue', 'esbuild', 'vite', '@types/react'].every((p) => existsSync(join(HERE, 'node_modules', p, 'package.json')));
  if (current === hash && present) return 'up to date';
  await run('npm', ['ci', ...NPM_QUIET], { cwd: HERE, timeout: 300000 });
  writeFileSync(STAMP, hash + '\n');
  return 'installed (npm ci)';
}

/**
 * A work dir under tests/bindings/.work (so that bundlers find this folder's node_modules) with
 * the packed package installed, and the apps copied in. Returns { dir, pkg, cleanup }.
 */
export async function prepareWorkDir() {
  mkdirSync(join(HERE, '.work'), { recursive: true });
  const dir = mkdtempSync(join(HERE, '.work', 'run-'));
  const cleanup = () => (process.env.CLINK_KEEP_BINDING_BUILDS ? undefined : rmSync(dir, { recursive: true, force: true }));
  try {
    const tarball = await packPkg(dir);
    const pkg = await installTarball(dir, tarball);
    cpSync(join(HERE, 'apps'), join(dir, 'apps'), { recursive: true });
    return { dir, pkg, tarball, cleanup };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true }); // e.g. pkg/ not built: leave no empty run dir
    throw error;
  }
}

/** esbuild's JS API from this folder's devDependencies. */
export async function esbuild() {
  return import(join(HERE, 'node_modules', 'esbuild', 'lib', 'main.js'));
}

/** The bundler alias that makes `react` / `react-dom` (and their subpaths) one React version. */
export function reactAlias(version) {
  return { react: `react${version}`, 'react-dom': `react-dom${version}` };
}

/**
 * The checkout origin: /pay/<param> serves the stub checkout page of tests/support/pages (tests
 * drive it with frame.evaluate(() => send(type, payload)); `?autoready` makes it say ready).
 */
export async function startCheckout() {
  const page = readFileSync(join(SUPPORT_PAGES, 'checkout-stub.html'));
  return startServer({
    handler(req, res, url) {
      if (!url.pathname.startsWith('/pay/')) return false;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page);
      return true;
    },
  });
}

/**
 * The merchant origin: `mounts` static dirs, /probe.js (tests/support/pages/probe.js: counts
 * window message listeners, timers and iframes), and POST /api/session → { sessionId,
 * checkoutUrl, orderId }, each a fresh session. `sessions` counts them; hold() keeps the next
 * answers pending until release(); fail(status) answers with an HTTP error instead.
 */
export async function startMerchant(checkoutOrigin, mounts) {
  const api = { sessions: 0, held: [], holding: false, failStatus: 0 };
  const srv = await startServer({
    mounts: { '/support': SUPPORT_PAGES, ...mounts },
    handler(req, res, url) {
      if (url.pathname !== '/api/session') return false;
      if (req.method !== 'POST') return void res.writeHead(405).end();
      const n = ++api.sessions;
      const answer = () => {
        if (api.failStatus) return void res.writeHead(api.failStatus, { 'content-type': 'text/plain' }).end('no session for you');
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(
          JSON.stringify({ sessionId: `sess_b${n}`, checkoutUrl: `${checkoutOrigin}/pay/sess_b${n}?autoready`, orderId: `ord_b${n}` }),
        );
      };
      if (api.holding) api.held.push(answer);
      else answer();
      return true;
    },
  });
  return Object.assign(srv, {
    api,
    sessionsAnswered: () => api.sessions - api.held.length,
    hold() {
      api.holding = true;
    },
    release() {
      api.holding = false;
      api.held.splice(0).forEach((answer) => answer());
    },
    fail(status) {
      api.failStatus = status;
    },
    reset() {
      this.release();
      api.sessions = 0;
      api.failStatus = 0;
    },
  });
}

/** A page's live message listeners, timers and iframes (tests/support/pages/probe.js). */
export const snapshot = (page) => page.evaluate(() => __probe.snapshot());
