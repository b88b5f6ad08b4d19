// Test servers for the SDK's browser acceptance tests (tests/e2e/sdk-*.test.mjs).
//
// Three real origins on loopback, node:http only, free ports:
//   merchant  serves the built package from <repo>/pkg/ under /pkg/, the fixture pages of
//             tests/support/pages/ at the root, and the two merchant endpoints Clink's embedded
//             docs example calls (/api/clink/checkout-session, /api/clink/checkout-status).
//   checkout  the stub hosted checkout (/pay/:param, /checkout.html) and a programmable
//             bootstrap endpoint GET /api/sdk/bootstrap (also under /__host/<api-host>/..., the
//             shape the rewriting fetchImpl of the fixture page uses, so tests see which host the
//             SDK picked).
//   third     the same stub checkout page on a third origin, for forged-message tests.
// Every request is recorded in `requests` (server, method, url, path, query, headers, apiHost).
//
// routeClinkHosts(contextOrPage, servers) makes Clink's real API hosts (uat-api/api.clinkbill.com)
// answer from the same bootstrap handler inside the browser, so Clink's docs examples run
// unchanged.
import { docPageHtml } from '../docs/pages.mjs';
import http from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(HERE, '..', '..');
// CLINK_TEST_PKG_DIR: test another build (e.g. a mutated copy) without touching pkg/.
export const PKG_DIR = process.env.CLINK_TEST_PKG_DIR ? resolve(process.env.CLINK_TEST_PKG_DIR) : join(REPO_ROOT, 'pkg');
export const PAGES_DIR = join(HERE, 'pages');

/** Well-formed checkout messages (one of each type): acted on from the SDK's own frame, to be
 *  ignored from any other window or origin. */
export const VALID_FRAME_MESSAGES = [
  { source: 'clink-checkout', type: 'resize', payload: { height: 333 } },
  { source: 'clink-checkout', type: 'state_change', payload: { state: 'success' } },
  { source: 'clink-checkout', type: 'ready', payload: {} },
  { source: 'clink-checkout', type: 'error', payload: { code: 'FORGED', message: 'forged' } },
  { source: 'clink-checkout', type: 'hosted_return', payload: { state: 'success', url: 'https://evil.example/' } },
];

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function sendFile(res, root, rel) {
  const full = normalize(join(root, rel));
  if (full !== root && !full.startsWith(root + sep)) {
    res.writeHead(403).end('forbidden');
    return;
  }
  let st;
  try {
    st = statSync(full);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${rel}`);
    return;
  }
  if (st.isDirectory()) return sendFile(res, root, join(rel, 'index.html'));
  res.writeHead(200, {
    'content-type': MIME[extname(full)] || 'application/octet-stream',
    'content-length': st.size,
    'cache-control': 'no-store',
  });
  createReadStream(full).pipe(res);
}

function parseQuery(u) {
  const q = {};
  for (const [k, v] of u.searchParams) q[k] = v;
  return q;
}

/** The checkout base the default bootstrap answer names. */
function defaultBootstrapFor(checkoutOrigin) {
  return () => ({
    status: 200,
    json: { code: 200, msg: 'success', data: { checkoutBaseUrl: checkoutOrigin, embeddedCheckoutEnabled: true } },
  });
}

/** Normalises a bootstrap handler's answer. */
function normaliseAnswer(a) {
  const ans = a || {};
  const headers = { 'access-control-allow-origin': '*', 'cache-control': 'no-store', ...(ans.headers || {}) };
  let body = '';
  if (ans.json !== undefined) {
    body = JSON.stringify(ans.json);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  } else if (ans.body !== undefined) {
    body = String(ans.body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'text/plain';
  }
  return { status: ans.status ?? 200, headers, body, delayMs: ans.delayMs || 0, hang: ans.hang || null };
}

export async function startTestServers() {
  const requests = [];
  const servers = [];
  const origins = {};
  let bootstrapHandler = null;
  const merchantApi = { session: null, status: 'pending' };

  const state = {
    get bootstrap() {
      return bootstrapHandler || defaultBootstrapFor(origins.checkout);
    },
  };

  function record(server, req, u, extra = {}) {
    const entry = {
      server,
      method: req.method,
      url: req.url,
      path: u.pathname,
      query: parseQuery(u),
      headers: { ...req.headers },
      at: Date.now(),
      ...extra,
    };
    requests.push(entry);
    return entry;
  }

  async function answerBootstrap(req, res, u, apiHost) {
    const entry = record('checkout', req, u, { apiHost, bootstrap: true });
    if (req.method === 'OPTIONS') {
      // A preflight: recorded (tests assert there is none) and allowed.
      res.writeHead(204, {
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'GET',
        'access-control-allow-headers': req.headers['access-control-request-headers'] || '*',
      }).end();
      return;
    }
    let ans;
    try {
      ans = normaliseAnswer(await state.bootstrap({ ...entry }));
    } catch (e) {
      res.writeHead(500).end(String(e));
      return;
    }
    if (ans.delayMs) await sleep(ans.delayMs);
    if (ans.hang === 'headers') return; // never answers; the socket is destroyed on close()
    if (ans.hang === 'body') {
      res.writeHead(ans.status, ans.headers);
      res.write(ans.body.slice(0, Math.max(1, Math.floor(ans.body.length / 2))) || '{');
      return; // never ends
    }
    res.writeHead(ans.status, ans.headers).end(ans.body);
  }

  function checkoutLike(name) {
    return async (req, res) => {
      const u = new URL(req.url, 'http://x');
      const p = u.pathname;
      if (name === 'checkout') {
        const m = /^\/__host\/([^/]+)(\/api\/sdk\/bootstrap)$/.exec(p);
        if (m) return answerBootstrap(req, res, u, decodeURIComponent(m[1]));
        if (p === '/api/sdk/bootstrap') return answerBootstrap(req, res, u, 'direct');
      }
      record(name, req, u);
      if (p.startsWith('/pay/') || p === '/checkout.html') return sendFile(res, PAGES_DIR, 'checkout-stub.html');
      if (p === '/blank.html') return sendFile(res, PAGES_DIR, 'blank.html');
      if (p === '/favicon.ico') return res.writeHead(204).end();
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    };
  }

  async function merchant(req, res) {
    const u = new URL(req.url, 'http://x');
    const p = u.pathname;
    record('merchant', req, u);
    if (p === '/favicon.ico') return res.writeHead(204).end();
    if (p === '/api/clink/checkout-session') {
      const session = merchantApi.session || {
        sessionId: 'sess_xxx',
        checkoutUrl: `${origins.checkout}/pay/sess_xxx%23token_xxx`,
        orderId: 'ord_xxx',
      };
      return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(session));
    }
    if (p === '/api/clink/checkout-status') {
      return res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ state: merchantApi.status }));
    }
    if (p === '/pkg' || p.startsWith('/pkg/')) return sendFile(res, PKG_DIR, decodeURIComponent(p.slice(4)) || '/');
    const docPage = docPageHtml(p.slice(1)); // Clink's examples, read from docs/api.md
    if (docPage) return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(docPage);
    return sendFile(res, PAGES_DIR, decodeURIComponent(p) === '/' ? 'index.html' : decodeURIComponent(p));
  }

  async function listen(name, handler) {
    const server = http.createServer((req, res) => {
      Promise.resolve(handler(req, res)).catch((e) => {
        try {
          res.writeHead(500).end(String(e));
        } catch {}
      });
    });
    await new Promise((r, j) => server.listen(0, '127.0.0.1', r).once('error', j));
    servers.push(server);
    origins[name] = `http://127.0.0.1:${server.address().port}`;
  }

  await listen('merchant', merchant);
  await listen('checkout', checkoutLike('checkout'));
  await listen('third', checkoutLike('third'));

  return {
    merchantOrigin: origins.merchant,
    checkoutOrigin: origins.checkout,
    thirdOrigin: origins.third,
    requests,
    /** Bootstrap requests (HTTP and routed), optionally only since index `from`. */
    bootstrapRequests(from = 0) {
      return requests.slice(from).filter((r) => r.bootstrap);
    },
    /**
     * handler(request) → { status?, json? | body?, headers?, delayMs?, hang?: 'headers'|'body' }
     * (may be async). null restores the default envelope naming the checkout origin.
     */
    setBootstrap(handler) {
      bootstrapHandler = handler;
    },
    /** Answer the merchant endpoints of Clink's embedded docs example. */
    setMerchantSession(session) {
      merchantApi.session = session;
    },
    setMerchantStatus(s) {
      merchantApi.status = s;
    },
    async answerBootstrapFor(entry) {
      return normaliseAnswer(await state.bootstrap({ ...entry }));
    },
    async close() {
      await Promise.all(
        servers.map(
          (s) =>
            new Promise((r) => {
              s.close(() => r());
              s.closeAllConnections?.();
            }),
        ),
      );
    },
  };
}

const CLINK_API = /^https:\/\/(uat-api|api)\.clinkbill\.com(\/|$)/;

/**
 * Makes https://uat-api.clinkbill.com and https://api.clinkbill.com answer inside the browser
 * from the servers' bootstrap handler (recorded in servers.requests with server 'route'); any
 * other *.clinkbill.com request is aborted so nothing leaves the machine.
 */
export async function routeClinkHosts(target, servers) {
  await target.route(/^https?:\/\/([a-z0-9-]+\.)*clinkbill\.com(\/|:|$)/, async (route) => {
    const req = route.request();
    const url = new URL(req.url());
    if (!CLINK_API.test(req.url()) || url.pathname !== '/api/sdk/bootstrap') {
      servers.requests.push({ server: 'route', method: req.method(), url: req.url(), path: url.pathname, query: parseQuery(url), headers: req.headers(), apiHost: url.host, aborted: true });
      return route.abort().catch(() => {});
    }
    const entry = {
      server: 'route',
      method: req.method(),
      url: req.url(),
      path: url.pathname,
      query: parseQuery(url),
      headers: req.headers(),
      apiHost: url.host,
      bootstrap: true,
      at: Date.now(),
    };
    servers.requests.push(entry);
    let ans;
    try {
      ans = await servers.answerBootstrapFor(entry);
    } catch (e) {
      return route.fulfill({ status: 500, body: String(e) }).catch(() => {});
    }
    if (ans.delayMs) await sleep(ans.delayMs);
    if (ans.hang) return; // never fulfilled
    await route.fulfill({ status: ans.status, headers: ans.headers, body: ans.body }).catch(() => {});
  });
}

/**
 * Opens a fresh context + page on a merchant fixture page, with Clink's API hosts routed to the
 * test servers, and collects page errors and console messages. Waits for `window.sdk` unless
 * waitFor is false / another expression.
 */
export async function openPage(browser, servers, path = '/sdk.html', { waitFor = 'window.sdk', timeout = 8000 } = {}) {
  const context = await browser.newContext();
  context.setDefaultTimeout(5000);
  await routeClinkHosts(context, servers);
  const page = await context.newPage();
  const problems = { pageErrors: [], consoleErrors: [], console: [] };
  page.on('pageerror', (e) => problems.pageErrors.push(String(e && e.stack ? e.stack : e)));
  page.on('console', (m) => {
    const entry = { type: m.type(), text: m.text(), args: null };
    // Arguments as JSON values, resolved in the background (await problems.settled() first).
    entry.argsPromise = Promise.all(m.args().map((a) => a.jsonValue().catch(() => null)))
      .then((v) => (entry.args = v))
      .catch(() => {});
    problems.console.push(entry);
    if (m.type() === 'error') problems.consoleErrors.push(m.text());
  });
  problems.settled = () => Promise.all(problems.console.map((c) => c.argsPromise));
  await page.goto(servers.merchantOrigin + path);
  if (waitFor) {
    try {
      await page.waitForFunction(waitFor, null, { timeout });
    } catch (e) {
      const loadErr = await page.evaluate(() => window.__sdkLoadError || null).catch(() => null);
      throw new Error(
        `fixture ${path}: ${waitFor} never became true (is pkg/ built?) ${loadErr || ''} ${problems.pageErrors.join(' | ')}`,
      );
    }
  }
  return { context, page, problems };
}

/**
 * Registers before/after hooks for one test file: test servers + one browser, both always
 * closed. h.withPage(path, fn) opens a fresh context (closed afterwards, pass or fail).
 */
export async function harness() {
  const { before, after } = await import('node:test');
  const { launchBrowser } = await import('./browser.mjs');
  const h = { browser: null, servers: null };
  before(async () => {
    h.servers = await startTestServers();
    h.browser = await launchBrowser();
  });
  after(async () => {
    await h.browser?.close().catch(() => {});
    await h.servers?.close();
  });
  h.withPage = async (path, optsOrFn, maybeFn) => {
    const [opts, fn] = typeof optsOrFn === 'function' ? [undefined, optsOrFn] : [optsOrFn, maybeFn];
    h.servers.setBootstrap(null);
    h.servers.setMerchantSession(null);
    h.servers.setMerchantStatus('pending');
    const p = await openPage(h.browser, h.servers, path, opts);
    try {
      return await fn(p);
    } finally {
      await p.context.close().catch(() => {});
    }
  };
  return h;
}

/**
 * Compares outcomes of window.__t.settle(...) with expectations; returns a list of readable
 * mismatches (empty = all good). expected: an error code string, or 'ok'.
 */
export function mismatches(cases) {
  const out = [];
  for (const { label, result: r, expect } of cases) {
    if (expect === 'ok') {
      if (!r || !r.ok) out.push(`${label}: expected success, got ${JSON.stringify(r)}`);
      continue;
    }
    if (!r || r.ok) out.push(`${label}: expected ClinkError ${expect}, got success ${JSON.stringify(r)}`);
    else if (r.timeout) out.push(`${label}: expected ClinkError ${expect}, still pending after the bound (hang)`);
    else if (!r.error.isClinkError || r.error.code !== expect)
      out.push(`${label}: expected ClinkError ${expect}, got ${JSON.stringify(r.error)}`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Embedded-checkout helpers (the page must be /sdk.html: they use window.__t from probe.js).

/** initEmbeddedCheckout through __t.create; throws with the page's outcome when it fails. */
export async function createEmbedded(page, tag, opts) {
  const r = await page.evaluate(([tag, opts]) => __t.settle(() => __t.create(tag, opts)), [tag, opts]);
  if (!r.ok) throw new Error(`initEmbeddedCheckout(${tag}) failed: ${JSON.stringify(r)}`);
  return r;
}

/** Calls inst.mount(selector) synchronously in the page; returns __t.sync's outcome. */
export function mountIn(page, tag, selector) {
  return page.evaluate(([tag, sel]) => __t.sync(() => __inst[tag].mount(sel)), [tag, selector]);
}

/** Events recorded for tag (all, or of one type), optionally only those after index `from`. */
export function eventsOf(page, tag, type = null, from = 0) {
  return page.evaluate(([tag, type, from]) => __events.slice(from).filter((e) => e.tag === tag && (type == null || e.type === type)), [tag, type, from]);
}

/** Index into __events (a mark to look at later events only). */
export function eventMark(page) {
  return page.evaluate(() => __events.length);
}

/** Waits until tag has at least `count` events of `type` (after `from`); bounded. */
export async function waitEvent(page, tag, type, { count = 1, from = 0, timeout = 5000, where = null } = {}) {
  try {
    await page.waitForFunction(
      ([tag, type, count, from, where]) => {
        const pred = where ? new Function('e', `return (${where})`) : () => true;
        return __events.slice(from).filter((e) => e.tag === tag && e.type === type && pred(e)).length >= count;
      },
      [tag, type, count, from, where],
      { timeout, polling: 20 },
    );
  } catch {
    const seen = await page.evaluate(([tag, from]) => __events.slice(from).filter((e) => e.tag === tag), [tag, from]);
    throw new Error(`no ${count}× '${type}' event${where ? ` where ${where}` : ''} for ${tag} within ${timeout} ms; saw ${JSON.stringify(seen)}`);
  }
}

/** The Playwright Frame of the iframe inside `selector`, once its stub page is ready to talk. */
export async function checkoutFrame(page, selector) {
  const handle = await page.waitForSelector(`${selector} iframe`, { state: 'attached', timeout: 5000 });
  const frame = await handle.contentFrame();
  if (!frame) throw new Error(`no content frame in ${selector}`);
  await frame.waitForFunction(() => typeof window.send === 'function' && document.readyState === 'complete', null, { timeout: 5000 });
  return frame;
}

/** A sentinel resize from `frame` and a wait until tag saw it: every earlier message from that
 * frame has been handled by then (one source's messages arrive in order). */
export async function sentinel(page, frame, tag, height, from = 0) {
  await frame.evaluate((h) => window.send('resize', { height: h }), height);
  await waitEvent(page, tag, 'resize', { from, where: `e.payload && e.payload.height === ${height}` });
}
