// Shared helpers of the consumer tests (tests/consumers/*.test.mjs): static servers on loopback,
// a stub Clink checkout/bootstrap origin, packing pkg/ into a tarball, bounded child processes,
// and a browser page that records console errors, page errors and CSP violations.
import http from 'node:http';
import { execFile } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(HERE, '..', '..');
export const PKG_DIR = process.env.CLINK_TEST_PKG_DIR ? resolve(process.env.CLINK_TEST_PKG_DIR) : join(REPO_ROOT, 'pkg');

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
};

export function assertPkgBuilt() {
  for (const f of ['package.json', 'index.js', 'slim.js', 'clink_bg.wasm', 'index.d.ts', 'dist/index.umd.js']) {
    if (!existsSync(join(PKG_DIR, f))) throw new Error(`${join(PKG_DIR, f)} is missing: build the package first (bash scripts/build.sh)`);
  }
}

/** A fresh temp dir and its cleanup. */
export function tempDir(prefix = 'clink-consumers-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Runs a command with a hard time limit; resolves { stdout, stderr }, rejects with both in the
 * message on a non-zero exit or a timeout (the child is killed).
 */
export function run(cmd, args, { cwd, timeout = 120000, env } = {}) {
  return new Promise((resolvePromise, reject) => {
    execFile(
      cmd,
      args,
      { cwd, timeout, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ...env } },
      (err, stdout, stderr) => {
        if (err) {
          const why = err.killed ? `timed out after ${timeout} ms` : `exit ${err.code}`;
          reject(new Error(`${cmd} ${args.join(' ')} (in ${cwd}): ${why}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`));
        } else resolvePromise({ stdout, stderr });
      },
    );
  });
}

export const NPM_QUIET = ['--no-audit', '--no-fund', '--loglevel=error'];

/** `npm pack` of pkg/ into destDir; returns the tarball's absolute path. */
export async function packPkg(destDir) {
  assertPkgBuilt();
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', destDir, ...NPM_QUIET], { cwd: PKG_DIR, timeout: 60000 });
  const info = JSON.parse(stdout.slice(stdout.indexOf('[')));
  return join(destDir, info[0].filename);
}

/** Installs a tarball into dir/node_modules (dir gets a private package.json). */
export async function installTarball(dir, tarball) {
  const { writeFileSync } = await import('node:fs');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'clink-consumer-scratch', private: true }) + '\n');
  await run('npm', ['install', '--no-save', '--no-package-lock', '--prefer-offline', ...NPM_QUIET, tarball], { cwd: dir, timeout: 60000 });
  return join(dir, 'node_modules', '@clink-ai', 'clink-js');
}

function sendFile(res, root, rel, headers) {
  const full = normalize(join(root, rel));
  if (full !== root && !full.startsWith(root + sep)) return void res.writeHead(403).end('forbidden');
  let st;
  try {
    st = statSync(full);
  } catch {
    return void res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${rel}`);
  }
  if (st.isDirectory()) return sendFile(res, root, join(rel, 'index.html'), headers);
  res.writeHead(200, {
    'content-type': MIME[extname(full)] || 'application/octet-stream',
    'content-length': st.size,
    'cache-control': 'no-store',
    ...headers,
  });
  createReadStream(full).pipe(res);
}

/**
 * An http server on 127.0.0.1 with a free port. `handler(req, res, url)` returns true when it
 * answered; otherwise, `mounts` ({ urlPrefix: dir }) serve static files. Every request path is
 * recorded in `requests`. `headers(url)` adds response headers to static files (e.g. a CSP).
 */
export async function startServer({ mounts = {}, handler = null, headers = () => ({}) } = {}) {
  const requests = [];
  const sockets = new Set();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    requests.push({ method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers });
    try {
      if (handler && handler(req, res, url)) return;
      if (url.pathname === '/favicon.ico') return void res.writeHead(204).end();
      const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length);
      for (const prefix of prefixes) {
        if (url.pathname === prefix || url.pathname.startsWith(prefix.endsWith('/') ? prefix : prefix + '/')) {
          const rel = decodeURIComponent(url.pathname.slice(prefix.length)) || '/';
          return sendFile(res, mounts[prefix], rel, headers(url));
        }
      }
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    } catch (e) {
      res.writeHead(500).end(String(e));
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise((r, j) => server.listen(0, '127.0.0.1', r).on('error', j));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    requests,
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/**
 * The stub hosted checkout page: a cross-origin page that speaks the frame protocol (README "The checkout frame protocol"):
 * `ready`, then a `resize` to 480 px, to its parent.
 */
export const CHECKOUT_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>Clink checkout (stub)</title></head>
<body><h1>Stub checkout</h1>
<script>
  parent.postMessage({ source: 'clink-checkout', type: 'ready', payload: {} }, '*');
  parent.postMessage({ source: 'clink-checkout', type: 'resize', payload: { height: 480 } }, '*');
</script></body></html>`;

/**
 * The second origin: Clink's stand-in. GET /pay/<param> serves the stub checkout page;
 * GET /api/sdk/bootstrap answers the bootstrap envelope (CORS *) naming this origin as the
 * checkout host.
 */
export async function startCheckoutOrigin() {
  let origin;
  const srv = await startServer({
    handler(req, res, url) {
      if (url.pathname.startsWith('/pay/')) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(CHECKOUT_PAGE);
        return true;
      }
      if (url.pathname === '/api/sdk/bootstrap') {
        res
          .writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*', 'cache-control': 'no-store' })
          .end(JSON.stringify({ code: 200, msg: 'success', data: { checkoutBaseUrl: origin, embeddedCheckoutEnabled: true } }));
        return true;
      }
      return false;
    },
  });
  origin = srv.origin;
  return srv;
}

/**
 * A fresh browser context + page that records page errors, console errors and CSP violations
 * (the latter through Chromium's console report, which also covers violations inside workers).
 */
export async function newPage(browser) {
  const context = await browser.newContext();
  context.setDefaultTimeout(10000);
  context.setDefaultNavigationTimeout(15000);
  const page = await context.newPage();
  const problems = { pageErrors: [], consoleErrors: [], console: [] };
  page.on('pageerror', (e) => problems.pageErrors.push(String(e && e.stack ? e.stack : e)));
  page.on('console', (m) => {
    problems.console.push(`${m.type()}: ${m.text()}`);
    if (m.type() === 'error') problems.consoleErrors.push(m.text());
  });
  return { context, page, problems };
}

/**
 * Waits for a page expression to be truthy, with a message that shows what the page said. The
 * expression is handed to Playwright as a function (its source is compiled by the debugger, not
 * by eval in the page), so it also works on pages whose CSP forbids 'unsafe-eval'.
 */
export async function waitFor(page, problems, expr, timeout = 15000, what = expr) {
  const predicate = typeof expr === 'function' ? expr : new Function(`return (${expr});`);
  try {
    await page.waitForFunction(predicate, null, { timeout });
  } catch (e) {
    throw new Error(`${what}: not true after ${timeout} ms (${e.message.split('\n')[0]})\nconsole:\n${problems.console.join('\n')}\npage errors:\n${problems.pageErrors.join('\n')}`);
  }
}

/** Kills a promise that would otherwise hang: rejects after ms. */
export function within(ms, promise, what = 'operation') {
  let t;
  return Promise.race([
    promise.finally(() => clearTimeout(t)),
    new Promise((_, reject) => {
      t = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
    }),
  ]);
}
