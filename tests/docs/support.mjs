// Shared by the tests of the docs' code blocks (tests/docs/*.test.mjs): a scratch project in which
// the three packages resolve as an npm install would leave them, the helper dependencies, and a
// small shop backend that serves a block as a page beside a real local Clink.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ROOT } from '../support/doc-blocks.mjs';

export { ROOT };
export const HERE = fileURLToPath(new URL('.', import.meta.url));
export const PKG_DIR = join(ROOT, 'pkg');
export const run = promisify(execFile);

/** Our three packages: npm name → the folder npm would install (`npm run pack` packs these). */
export const OUR_PACKAGES = {
  '@clink-ai/clink-js': PKG_DIR,
  '@clink-ai/clink-typescript-sdk': join(ROOT, 'server'),
  '@clink-ai/clink-local': join(ROOT, 'www', 'clink-local'),
};

/** Markdown files whose blocks must run: README.md, docs/*.md (doc-blocks.mjs), and CONTRIBUTING.md. */
export function checkedFiles(docFiles) {
  return [...docFiles(), 'CONTRIBUTING.md'];
}

export function requirePkg() {
  if (!existsSync(join(PKG_DIR, 'index.js'))) throw new Error('pkg/ is not built: bash scripts/build.sh');
}

/** tests/docs' own devDependencies (Node's types, Svelte's compiler): npm ci when the lockfile changed. */
export async function ensureDocDeps() {
  const stamp = join(HERE, 'node_modules', '.doc-tests-stamp');
  const hash = createHash('sha256').update(readFileSync(join(HERE, 'package-lock.json'))).update(process.version).digest('hex');
  const present = ['@types/node', 'svelte'].every((p) => existsSync(join(HERE, 'node_modules', p, 'package.json')));
  if (present && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === hash) return;
  await run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: HERE, timeout: 300_000 });
  writeFileSync(stamp, `${hash}\n`);
}

/**
 * A scratch project in the system's temp folder: node_modules holds our three packages (links to the
 * repository's folders, as `npm install ./packages/….tgz` would install them) and, for everything
 * else a block imports, the union of the repository's node_modules folders (tests/docs first).
 * Returns { dir, cleanup }.
 */
export function scratchProject(prefix = 'run-') {
  // Outside the repository, so that `node --test tests/docs/` never finds a leftover test file.
  const dir = mkdtempSync(join(tmpdir(), `clink-docs-${prefix}`));
  const modules = join(dir, 'node_modules');
  mkdirSync(join(modules, '@clink-ai'), { recursive: true });
  for (const [name, folder] of Object.entries(OUR_PACKAGES)) symlinkSync(folder, join(modules, name), 'dir');
  const sources = [join(HERE, 'node_modules'), join(ROOT, 'server', 'node_modules'), join(ROOT, 'tests', 'server', 'node_modules'), join(ROOT, 'tests', 'bindings', 'node_modules'), join(ROOT, 'node_modules')];
  for (const source of sources.filter((s) => existsSync(s))) {
    for (const entry of readdirSync(source)) {
      if (entry.startsWith('.') || entry === '@clink-ai') continue;
      if (entry.startsWith('@')) {
        mkdirSync(join(modules, entry), { recursive: true });
        for (const inner of readdirSync(join(source, entry))) {
          if (!existsSync(join(modules, entry, inner))) symlinkSync(join(source, entry, inner), join(modules, entry, inner));
        }
      } else if (!existsSync(join(modules, entry))) {
        symlinkSync(join(source, entry), join(modules, entry));
      }
    }
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'doc-blocks', private: true, type: 'module' }));
  return { dir, cleanup: () => (process.env.CLINK_KEEP_DOC_WORK ? undefined : rmSync(dir, { recursive: true, force: true })) };
}

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json' };

/**
 * The shop behind a documentation page, for Chromium: serves `page` at `/`, the blocks named in
 * `files` (name → code) at `/{name}`, the built package where the docs' pages load it from
 * (`/node_modules/@clink-ai/clink-js/…` through an import map, `/clink-js/index.js`,
 * `/vendor/clink/index.umd.js` for the script tag), and the two routes the docs' examples call,
 * backed by the local Clink `clink` (its REST API, with its secret key). Returns { url, close }.
 */
export async function startDocShop({ clink, page, files = {} }) {
  const api = (method, path, body) => fetch(`${clink.url}/api${path}`, {
    method,
    headers: { 'X-API-Key': clink.secretKey, 'X-Timestamp': String(Date.now()), ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  }).then(async (r) => {
    const envelope = await r.json();
    if (envelope.code !== 200) throw new Error(`local Clink ${method} ${path}: ${envelope.code} ${envelope.msg}`);
    return envelope.data;
  });
  const sendFile = (res, root, rel) => {
    const file = normalize(join(root, rel));
    if (!file.startsWith(root + sep) || !existsSync(file)) return res.writeHead(404).end('not found');
    res.writeHead(200, { 'Content-Type': `${TYPES[extname(file)] ?? 'application/octet-stream'}; charset=utf-8` }).end(readFileSync(file));
  };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://shop');
    const p = decodeURIComponent(url.pathname);
    try {
      if (req.method === 'POST' && p === '/api/clink/checkout-session') {
        const session = await api('POST', '/checkout/session', {
          originalAmount: 4900, originalCurrency: 'USD',
          priceDataList: [{ name: 'Desk lamp', quantity: 1, unitAmount: 4900, currency: 'USD' }],
        });
        return res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ sessionId: session.sessionId, checkoutUrl: session.url }));
      }
      if (p === '/api/clink/config') { // the README quick start's page settings
        return res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ publishableKey: clink.publishableKey, options: { checkoutBaseUrl: clink.url } }));
      }
      if (p === '/api/clink/checkout-status') {
        const session = await api('GET', `/checkout/session/${encodeURIComponent(url.searchParams.get('sessionId') ?? '')}`);
        return res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ state: session.state }));
      }
      if (p === '/') return res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page);
      if (p === '/favicon.ico') return res.writeHead(204).end();
      if (Object.hasOwn(files, p.slice(1))) return res.writeHead(200, { 'Content-Type': `${TYPES[extname(p)] ?? 'text/plain'}; charset=utf-8` }).end(files[p.slice(1)]);
      if (p.startsWith('/node_modules/@clink-ai/clink-js/')) return sendFile(res, PKG_DIR, p.slice('/node_modules/@clink-ai/clink-js/'.length));
      if (p === '/clink-js/index.js') return sendFile(res, PKG_DIR, 'index.js');
      if (p === '/vendor/clink/index.umd.js') return sendFile(res, PKG_DIR, 'dist/index.umd.js');
      res.writeHead(404).end('not found');
    } catch (error) {
      res.writeHead(500).end(String(error?.message ?? error));
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return { url, close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }) };
}

/**
 * Sends the SDK's bootstrap requests for Clink's hosts (checkoutEnvironment 'sandbox' or
 * 'production', as Clink's examples use) to the local Clink, as DNS would for Clink's test
 * environment: the examples run unchanged.
 */
export async function routeClinkHosts(context, clink) {
  for (const host of ['https://uat-api.clinkbill.com', 'https://api.clinkbill.com']) {
    await context.route(`${host}/**`, async (route) => {
      const url = new URL(route.request().url());
      const answer = await fetch(`${clink.url}${url.pathname}${url.search}`, { headers: { Origin: route.request().headers().origin ?? '' } });
      const headers = Object.fromEntries([...answer.headers].filter(([name]) => name === 'content-type' || name.startsWith('access-control-')));
      await route.fulfill({ status: answer.status, headers, body: Buffer.from(await answer.arrayBuffer()) });
    });
  }
}

/** Collects a page's uncaught errors, console errors and failed requests. */
export function watchProblems(page) {
  const problems = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => { if (message.type() === 'error') problems.push(`console.error: ${message.text()}`); });
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`));
  page.on('response', (response) => { if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`); });
  return problems;
}
