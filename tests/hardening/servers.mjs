// Fixture servers for the hardening campaigns (tests/e2e/hardening-*.test.mjs), independent of
// tests/support/servers.mjs. Three loopback origins, node:http only, free ports:
//   merchant  /pkg/* (the built package), /h/* (tests/hardening/pages), favicon.
//   checkout  /pay/*  stub checkout page (?hold=KEY delays its load event until release(KEY)),
//             /stub.html, /h/*, /nav204/* (204: a navigation that does not leave the page),
//             /bs/<mode>/api/sdk/bootstrap (hostile bootstrap answers, see bootstrapAnswer).
//   evil      the same stub pages and /bs/* (a redirect target), a third origin.
// Every request is recorded in `requests`.
import http from 'node:http';
import { readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, after } from 'node:test';
import { launchBrowser } from '../support/browser.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(HERE, '..', '..');
// CLINK_TEST_PKG_DIR: test another build (e.g. an older one) without touching pkg/.
const PKG_DIR = process.env.CLINK_TEST_PKG_DIR ? resolve(process.env.CLINK_TEST_PKG_DIR) : join(REPO_ROOT, 'pkg');
const PAGES_DIR = join(HERE, 'pages');
const MIME = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm', '.json': 'application/json' };
const GIF = Buffer.from('R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==', 'base64');
export const MB = 1024 * 1024;

function sendFile(res, root, rel) {
  const full = normalize(join(root, rel));
  if (!full.startsWith(root + sep)) return res.writeHead(403).end();
  let body;
  try {
    if (statSync(full).isDirectory()) return res.writeHead(404).end();
    body = readFileSync(full);
  } catch {
    return res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }
  res.writeHead(200, { 'content-type': MIME[extname(full)] || 'application/octet-stream', 'cache-control': 'no-store' }).end(body);
}

function stubHtml(u) {
  const hold = u.searchParams.get('hold');
  const img = hold ? `<img alt="" src="/hold/${encodeURIComponent(hold)}">` : '';
  return `<!doctype html><html><head><meta charset="utf-8"><title>stub checkout</title>
<script src="/h/forge.js"></script>
<script>
  window.send = (type, payload) => parent.postMessage({ source: 'clink-checkout', type, payload }, '*');
  window.sendRaw = (data) => parent.postMessage(data, '*');
</script></head><body style="margin:0"><p>stub</p>${img}</body></html>`;
}

/** What the 'endless' bootstrap answer has sent so far (the test resets it). */
export const endless = { sentBytes: 0 };

/**
 * Hostile bootstrap answers, by mode. `origins` gives the three origins. Returns a function
 * (req, res) or a plain answer { status, headers, body }.
 */
function bootstrapAnswer(mode, origins) {
  const cors = { 'access-control-allow-origin': '*', 'cache-control': 'no-store' };
  const json = (obj, status = 200) => ({ status, headers: { ...cors, 'content-type': 'application/json' }, body: typeof obj === 'string' ? obj : JSON.stringify(obj) });
  const env = (data) => json({ code: 200, msg: 'success', data });
  const base = (u) => env({ checkoutBaseUrl: u, embeddedCheckoutEnabled: true });
  switch (mode) {
    case 'ok': return base(origins.checkout);
    case 'ok-evil': return base(origins.evil);
    case 'bare': return json({ checkoutBaseUrl: origins.checkout });
    case 'huge-garbage': return { status: 200, headers: { ...cors, 'content-type': 'text/plain' }, body: 'x'.repeat(10 * MB) };
    case 'huge-json': return json({ code: 200, msg: 'success', data: { checkoutBaseUrl: origins.checkout, embeddedCheckoutEnabled: true, pad: 'x'.repeat(10 * MB) } });
    case 'huge-chunked':
      return (req, res) => {
        res.writeHead(200, { ...cors, 'content-type': 'application/json' }); // no content-length: chunked
        res.write(`{"code":200,"msg":"success","data":{"checkoutBaseUrl":${JSON.stringify(origins.checkout)},"pad":"`);
        const chunk = 'y'.repeat(MB);
        for (let i = 0; i < 10; i++) res.write(chunk);
        res.end('"}}');
      };
    case 'ok-in-pieces':
      // A well-formed answer in three chunks, the next sent after the previous was flushed.
      return (req, res) => {
        res.writeHead(200, { ...cors, 'content-type': 'application/json' });
        const body = JSON.stringify({ code: 200, msg: 'success', data: { checkoutBaseUrl: origins.checkout, embeddedCheckoutEnabled: true } });
        const third = Math.ceil(body.length / 3);
        res.write(body.slice(0, third));
        setTimeout(() => {
          res.write(body.slice(third, 2 * third));
          setTimeout(() => res.end(body.slice(2 * third)), 30);
        }, 30);
      };
    case 'endless':
      // Sends 64 KiB chunks until the client goes away; counts what it sent in `sentBytes`.
      return (req, res) => {
        res.writeHead(200, { ...cors, 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 'z');
        const more = () => {
          while (!res.destroyed && endless.sentBytes < 1024 * MB) {
            endless.sentBytes += chunk.length;
            if (!res.write(chunk)) return res.once('drain', more);
          }
          res.end();
        };
        res.on('close', () => res.destroy());
        more();
      };
    case 'hang':
      return (req, res) => {
        res.writeHead(200, { ...cors, 'content-type': 'application/json' });
        res.write('{"code":200,"msg":"success","data":{"checkoutBaseUrl":'); // never ends
      };
    case 'http-nonloopback': return base('http://example.com');
    case 'http-127-0-0-2': return base('http://127.0.0.2:8080');
    case 'http-localhost-lookalike': return base('http://localhost.example.com');
    case 'http-ipv6-other': return base('http://[::2]:8080');
    case 'javascript': return base('javascript:alert(1)');
    case 'data-url': return base('data:text/html,<script>alert(1)</script>');
    case 'protocol-relative': return base('//evil.example');
    case 'relative': return base('/checkout');
    case 'empty-url': return base('');
    case 'https-no-host': return base('https://');
    case 'credentials': return base('https://user:pass@evil.example');
    case 'base-number': return base(5);
    case 'base-null': return base(null);
    case 'base-bool': return base(true);
    case 'base-object': return base({ href: origins.checkout });
    case 'base-array': return base([origins.checkout]);
    case 'base-missing': return env({ embeddedCheckoutEnabled: true });
    case 'enabled-string': return env({ checkoutBaseUrl: origins.checkout, embeddedCheckoutEnabled: 'true' });
    case 'enabled-number': return env({ checkoutBaseUrl: origins.checkout, embeddedCheckoutEnabled: 1 });
    case 'enabled-object': return env({ checkoutBaseUrl: origins.checkout, embeddedCheckoutEnabled: {} });
    case 'enabled-null': return env({ checkoutBaseUrl: origins.checkout, embeddedCheckoutEnabled: null });
    case 'data-null': return json({ code: 200, msg: 'success', data: null });
    case 'data-number': return json({ code: 200, msg: 'success', data: 5 });
    case 'data-string': return json({ code: 200, msg: 'success', data: origins.checkout });
    case 'data-array': return json({ code: 200, msg: 'success', data: [origins.checkout] });
    case 'body-null': return json('null');
    case 'body-array': return json('[]');
    case 'body-number': return json('5');
    case 'body-string': return json('"x"');
    case 'body-empty': return json('');
    case 'body-truncated': return json('{"code":200,');
    case 'body-html': return json('<!doctype html><p>hi</p>');
    case 'body-proto': return json(`{"__proto__":{"checkoutBaseUrl":"https://evil.example"}}`);
    case 'data-proto': return json(`{"code":200,"msg":"success","data":{"__proto__":{"checkoutBaseUrl":"https://evil.example"}}}`);
    case 'data-constructor': return json(`{"code":200,"msg":"success","data":{"constructor":{"prototype":{"checkoutBaseUrl":"https://evil.example"}}}}`);
    case 'code-string': return json({ code: '200', msg: 'success', data: { checkoutBaseUrl: origins.checkout } });
    case 'code-500': return json({ code: 500, msg: 'boom-envelope', data: null });
    case 'http-500': return json({ code: 200, msg: 'success', data: { checkoutBaseUrl: origins.checkout } }, 500);
    case 'http-404': return { status: 404, headers: cors, body: 'nope' };
    case 'http-204': return { status: 204, headers: cors, body: '' };
    case 'no-cors': return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: 200, msg: 'success', data: { checkoutBaseUrl: origins.checkout } }) };
    case 'redirect-302-evil': return { status: 302, headers: { ...cors, location: `${origins.evil}/bs/ok-evil/api/sdk/bootstrap` }, body: '' };
    case 'redirect-307-evil': return { status: 307, headers: { ...cors, location: `${origins.evil}/bs/ok-evil/api/sdk/bootstrap` }, body: '' };
    case 'redirect-302-evil-back': return { status: 302, headers: { ...cors, location: `${origins.evil}/bs/redirect-302-home/api/sdk/bootstrap` }, body: '' };
    case 'redirect-302-home': return { status: 302, headers: { ...cors, location: `${origins.checkout}/bs/ok/api/sdk/bootstrap` }, body: '' };
    default: return { status: 400, headers: cors, body: `unknown mode ${mode}` };
  }
}

export async function startHardeningServers() {
  const requests = [];
  const servers = [];
  const sockets = new Set();
  const origins = {};
  const held = new Map(); // key -> [res]
  const released = new Set();

  function handlerFor(name) {
    return (req, res) => {
      const u = new URL(req.url, 'http://x');
      const p = u.pathname;
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        requests.push({ server: name, method: req.method, url: req.url, path: p, headers: { ...req.headers }, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
      });
      if (p === '/favicon.ico') return res.writeHead(204).end();
      if (p.startsWith('/h/')) return sendFile(res, PAGES_DIR, decodeURIComponent(p.slice(3)));
      if (name === 'merchant') {
        if (p.startsWith('/pkg/')) return sendFile(res, PKG_DIR, decodeURIComponent(p.slice(5)));
        return res.writeHead(404).end('not found');
      }
      if (p.startsWith('/pay/') || p === '/stub.html') {
        return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(stubHtml(u));
      }
      if (p.startsWith('/nav204/')) return res.writeHead(204).end();
      const hold = /^\/hold\/(.+)$/.exec(p);
      if (hold) {
        const key = decodeURIComponent(hold[1]);
        if (released.has(key)) return res.writeHead(200, { 'content-type': 'image/gif' }).end(GIF);
        if (!held.has(key)) held.set(key, []);
        held.get(key).push(res);
        return;
      }
      const bs = /^\/bs\/([^/]+)\/api\/sdk\/bootstrap$/.exec(p);
      if (bs) {
        if (req.method === 'OPTIONS') {
          return res.writeHead(204, { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'GET', 'access-control-allow-headers': '*' }).end();
        }
        const a = bootstrapAnswer(decodeURIComponent(bs[1]), origins);
        if (typeof a === 'function') return a(req, res);
        return res.writeHead(a.status, a.headers).end(a.body);
      }
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    };
  }

  async function listen(name) {
    const server = http.createServer(handlerFor(name));
    server.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise((r, j) => server.listen(0, '127.0.0.1', r).once('error', j));
    servers.push(server);
    origins[name] = `http://127.0.0.1:${server.address().port}`;
  }
  await listen('merchant');
  await listen('checkout');
  await listen('evil');

  return {
    merchant: origins.merchant,
    checkout: origins.checkout,
    evil: origins.evil,
    requests,
    /** Lets the load event of stub pages opened with ?hold=key fire. */
    release(key) {
      released.add(key);
      for (const res of held.get(key) || []) res.writeHead(200, { 'content-type': 'image/gif' }).end(GIF);
      held.delete(key);
    },
    pageUrl(path = '/h/hardening.html') {
      return `${origins.merchant}${path}?checkout=${encodeURIComponent(origins.checkout)}&evil=${encodeURIComponent(origins.evil)}`;
    },
    async close() {
      for (const list of held.values()) for (const res of list) res.destroy();
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((s) => new Promise((r) => s.close(() => r()))));
    },
  };
}

/** Answers Clink's real API hosts inside the browser with a default envelope naming the
 * checkout origin; aborts every other *.clinkbill.com request, so nothing leaves the machine. */
/** Starts the hardening servers and Chromium before a test file's tests and stops them after;
 *  `fx.servers` and `fx.browser` are set once `before` has run. */
export function useHardeningFixture() {
  const fx = {};
  before(async () => {
    fx.servers = await startHardeningServers();
    fx.browser = await launchBrowser();
  });
  after(async () => {
    await fx.browser?.close().catch(() => {});
    await fx.servers?.close();
  });
  return fx;
}

export async function routeClinkHosts(context, servers, log = []) {
  await context.route(/^https?:\/\/([a-z0-9-]+\.)*clinkbill\.com(\/|:|$)/, async (route) => {
    const url = route.request().url();
    log.push(url);
    if (/^https:\/\/(uat-api|api)\.clinkbill\.com\/api\/sdk\/bootstrap\?/.test(url)) {
      return route
        .fulfill({ status: 200, headers: { 'access-control-allow-origin': '*', 'content-type': 'application/json' }, body: JSON.stringify({ code: 200, msg: 'success', data: { checkoutBaseUrl: servers.checkout, embeddedCheckoutEnabled: true } }) })
        .catch(() => {});
    }
    return route.abort().catch(() => {});
  });
}

/** A fresh context + page on the hardening page, with problems collected. */
export async function openHardeningPage(browser, servers, { beforeGoto } = {}) {
  const context = await browser.newContext();
  context.setDefaultTimeout(8000);
  const clinkLog = [];
  await routeClinkHosts(context, servers, clinkLog);
  if (beforeGoto) await beforeGoto(context);
  const page = await context.newPage();
  const problems = { pageErrors: [], consoleErrors: [], console: [] };
  page.on('pageerror', (e) => problems.pageErrors.push(String(e && e.stack ? e.stack : e)));
  page.on('console', (m) => {
    problems.console.push({ type: m.type(), text: m.text() });
    if (m.type() === 'error') problems.consoleErrors.push(m.text());
  });
  await page.goto(servers.pageUrl());
  await page.waitForFunction(() => window.sdk && window.H, null, { timeout: 8000 });
  return { context, page, problems, clinkLog };
}

/** Rejects after ms with a labelled error (for bounding Node-side awaits). */
export function bounded(promise, ms, label) {
  let t;
  return Promise.race([promise, new Promise((_, j) => (t = setTimeout(() => j(new Error(`${label}: no answer within ${ms} ms`)), ms)))]).finally(() => clearTimeout(t));
}
