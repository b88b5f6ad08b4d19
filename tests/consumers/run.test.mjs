// Consumer builds (README "Install" "zero bundler configuration"): a tiny app per bundler (Vite, webpack 5,
// esbuild, Rollup + node-resolve only) installs @clink-ai/clink-js from the tarball `npm pack`
// makes of pkg/, imports { loadClink, ClinkError, CLINK_ERROR_CODES }, is built with the
// bundler's defaults, then runs in headless Chromium: loadClink resolves against a second origin
// (the checkout host), embedded checkout mounts an iframe with the exact checkoutUrl, and a bad
// key rejects with ClinkError INVALID_PUBLIC_KEY.
//
// The bundlers are this folder's devDependencies (package.json + package-lock.json); they are
// installed with `npm ci` only when node_modules does not match the lockfile. Builds are
// sequential. Run: node --test tests/consumers/
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import net from 'node:net';
import { spawn } from 'node:child_process';
import { launchBrowser } from '../support/browser.mjs';
import { HERE, NPM_QUIET, installTarball, newPage, packPkg, run, startCheckoutOrigin, startServer, waitFor, within } from './support.mjs';

const BIN = join(HERE, 'node_modules', '.bin');
const STAMP = join(HERE, 'node_modules', '.clink-consumers-lock.sha256');
const started = Date.now();

/** npm ci, unless node_modules was installed from this very lockfile (a stamp holds its hash). */
async function ensureConsumerDeps() {
  const lock = readFileSync(join(HERE, 'package-lock.json'));
  const hash = createHash('sha256').update(lock).update(process.version).digest('hex');
  const bins = ['vite', 'webpack', 'esbuild', 'rollup'];
  const current = existsSync(STAMP) ? readFileSync(STAMP, 'utf8').trim() : '';
  if (current === hash && bins.every((b) => existsSync(join(BIN, b)))) return 'up to date';
  await run('npm', ['ci', ...NPM_QUIET], { cwd: HERE, timeout: 300000 });
  writeFileSync(STAMP, hash + '\n');
  return 'installed (npm ci)';
}

const ctx = { browser: null, checkout: null, work: null, servers: [] };

before(async () => {
  const t0 = Date.now();
  const deps = await ensureConsumerDeps();
  mkdirSync(join(HERE, '.work'), { recursive: true });
  ctx.work = mkdtempSync(join(HERE, '.work', 'run-'));
  const tarball = await packPkg(ctx.work);
  await installTarball(ctx.work, tarball);
  cpSync(join(HERE, 'apps'), join(ctx.work, 'apps'), { recursive: true });
  ctx.checkout = await startCheckoutOrigin();
  ctx.browser = await launchBrowser();
  console.log(`consumers: deps ${deps}; packed + installed ${tarball.split('/').pop()}; ready in ${Date.now() - t0} ms`);
}, { timeout: 360000 });

after(async () => {
  await Promise.allSettled([ctx.browser && ctx.browser.close(), ctx.checkout && ctx.checkout.close(), ...ctx.servers.map((s) => s.close())]);
  if (ctx.work && !process.env.CLINK_KEEP_CONSUMER_BUILDS) rmSync(ctx.work, { recursive: true, force: true });
  console.log(`consumers: whole run ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

function filesUnder(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p).map((f) => `${e.name}/${f}`));
    else out.push(e.name);
  }
  return out;
}

/**
 * Opens the built app in Chromium and checks what it did: loadClink resolved against the checkout
 * origin, one iframe with the exact checkoutUrl, `ready` from the frame, ClinkError for a bad
 * key, no console or page error, and a .wasm fetched only by the slim entry.
 */
async function checkInBrowser(name, url, expectWasm) {
  const { context, page, problems } = await newPage(ctx.browser);
  const appOrigin = new URL(url).origin;
  const requested = [];
  page.on('request', (req) => {
    const u = new URL(req.url());
    if (u.origin === appOrigin) requested.push(u.pathname);
  });
  try {
    const checkout = ctx.checkout.origin;
    const payBefore = ctx.checkout.requests.length;
    await page.goto(`${url}?checkout=${encodeURIComponent(checkout)}`);
    await waitFor(page, problems, 'window.__result && window.__result.done', 15000, `${name}: app finished`);
    const r = await page.evaluate(() => window.__result);
    assert.equal(r.error, undefined, `${name}: the embedded flow failed: ${r.error}`);
    assert.deepEqual(r.exports, { loadClink: 'function', ClinkError: 'function', codesFrozen: true, INVALID_PUBLIC_KEY: 'INVALID_PUBLIC_KEY' });
    assert.equal(r.checkoutBaseUrl, checkout);
    assert.deepEqual(r.state && { mounted: r.state.mounted, destroyed: r.state.destroyed }, { mounted: true, destroyed: false });
    assert.deepEqual(r.badKey, { isClinkError: true, isError: true, name: 'ClinkError', code: 'INVALID_PUBLIC_KEY', matchesConstant: true });

    const frames = page.locator('#clink-checkout iframe');
    assert.equal(await frames.count(), 1, 'one iframe mounted');
    assert.equal(await frames.getAttribute('src'), r.expectedSrc, 'iframe src is the checkoutUrl, untouched');
    assert.equal(await frames.getAttribute('allow'), 'payment *; publickey-credentials-get *');
    await waitFor(page, problems, "window.__result.events.includes('ready')", 10000, `${name}: ready event`);
    const pay = ctx.checkout.requests.slice(payBefore).filter((q) => q.path.startsWith('/pay/'));
    assert.deepEqual(pay.map((q) => [q.path, q.query]), [['/pay/sess_consumer_1%23tok_abc', { lang: 'en' }]], 'the checkout origin served the frame');

    assert.deepEqual(problems.pageErrors, [], 'no page errors');
    assert.deepEqual(problems.consoleErrors, [], 'no console errors');
    const served = [...new Set(requested)];
    assert.equal(served.some((p) => p.endsWith('.wasm')), expectWasm, expectWasm ? 'the slim build fetched its .wasm asset' : 'the default entry needs no .wasm file');
    console.log(`${name}: served ${served.join(', ')}`);
  } finally {
    await context.close().catch(() => {});
  }
}

const APPS = [
  {
    name: 'vite',
    build: (dir) => run(join(BIN, 'vite'), ['build', '--logLevel', 'warn'], { cwd: dir }),
  },
  {
    name: 'webpack',
    // webpack 5 zero-config: ./src/index.js -> ./dist/main.js
    build: (dir) => run(join(BIN, 'webpack'), ['--mode', 'production'], { cwd: dir }),
    html: true,
  },
  // The slim entry (`@clink-ai/clink-js/slim`) loads clink_bg.wasm by
  // `new URL('./clink_bg.wasm', import.meta.url)`, which Vite and webpack 5 turn into an asset.
  {
    name: 'vite-slim',
    build: (dir) => run(join(BIN, 'vite'), ['build', '--logLevel', 'warn'], { cwd: dir }),
    wasm: true,
  },
  {
    name: 'webpack-slim',
    build: (dir) => run(join(BIN, 'webpack'), ['--mode', 'production'], { cwd: dir }),
    html: true,
    wasm: true,
  },
  {
    name: 'esbuild',
    build: (dir) => run(join(BIN, 'esbuild'), ['main.js', '--bundle', '--minify', '--outdir=dist', '--log-level=warning'], { cwd: dir }),
    html: true,
  },
  {
    name: 'rollup',
    build: (dir) => run(join(BIN, 'rollup'), ['-c', '--silent'], { cwd: dir }),
    html: true,
  },
];

for (const app of APPS) {
  test(`${app.name}: builds with no configuration for the SDK and runs in Chromium (loadClink, embedded iframe, ClinkError)`, { timeout: 180000 }, async () => {
    const dir = join(ctx.work, 'apps', app.name);
    const dist = join(dir, 'dist');
    const t0 = Date.now();
    const { stdout, stderr } = await app.build(dir);
    const buildMs = Date.now() - t0;
    if (app.html) cpSync(join(dir, 'index.html'), join(dist, 'index.html'));
    const files = filesUnder(dist);
    const js = files.filter((f) => f.endsWith('.js'));
    const jsBytes = js.reduce((n, f) => n + statSync(join(dist, f)).size, 0);
    console.log(`${app.name}: built in ${buildMs} ms -> ${files.join(', ')} (${jsBytes} B of JS)`);
    const warnings = `${stdout}\n${stderr}`.split('\n').filter((l) => /warn|error/i.test(l));
    if (warnings.length) console.log(`${app.name} build said:\n${warnings.map((l) => `#   ${l}`).join('\n')}`);
    assert.ok(js.length > 0, `${app.name} produced no JavaScript`);

    const server = await startServer({ mounts: { '/': dist } });
    ctx.servers.push(server);
    try {
      await checkInBrowser(app.name, `${server.origin}/index.html`, Boolean(app.wasm));
    } finally {
      await server.close();
    }
  });
}

/** A free port on 127.0.0.1 (for a child server that must be told its port). */
function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
  });
}

/** Starts `vite` (the dev server) in dir; resolves { origin, stop } once it listens (20 s max). */
async function startViteDev(dir) {
  const port = await freePort();
  const child = spawn(join(BIN, 'vite'), ['--port', String(port), '--strictPort', '--host', '127.0.0.1', '--clearScreen', 'false'], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', BROWSER: 'none' },
  });
  let log = '';
  const exited = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
  };
  try {
    await within(
      20000,
      new Promise((resolveReady, reject) => {
        const onData = (d) => {
          log += d;
          if (log.includes(`127.0.0.1:${port}`)) resolveReady();
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        exited.then(({ code, signal }) => reject(new Error(`vite dev exited (${code ?? signal})`)));
      }),
      'vite dev server start',
    );
  } catch (e) {
    await stop();
    throw new Error(`${e.message}\n${log}`);
  }
  return { origin: `http://127.0.0.1:${port}`, stop, log: () => log };
}

for (const app of [{ name: 'vite', wasm: false }, { name: 'vite-slim', wasm: true }]) {
  test(`${app.name} dev server (dependency pre-bundling): the same app runs unbuilt`, { timeout: 90000 }, async () => {
    const dev = await startViteDev(join(ctx.work, 'apps', app.name));
    try {
      await checkInBrowser(`${app.name} (dev)`, `${dev.origin}/index.html`, app.wasm);
    } catch (e) {
      e.message += `\nvite said:\n${dev.log()}`;
      throw e;
    } finally {
      await dev.stop();
    }
  });
}
