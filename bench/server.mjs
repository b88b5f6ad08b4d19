// Servers for bench/run.mjs and bench/soak.mjs: two loopback origins, node:http only, free ports.
//   merchant  the bench pages (bench/pages/) at the root and the built package (pkg/) under /pkg/.
//             Pages are served cross-origin isolated (COOP + COEP), which gives performance.now()
//             its fine resolution and makes performance.measureUserAgentSpecificMemory available.
//             GET /variant/clink_bg.wasm?n=… is pkg/clink_bg.wasm with a custom section naming n
//             appended: the same code as bytes the engine has not seen, so a compile of it is
//             never answered from V8's in-process module cache (bench/pages/first.js).
//   clink     GET /api/sdk/bootstrap (Clink's envelope, CORS, counted per publishableKey) and
//             GET /frame.html, /soak-frame.html (bench frames that post frame-protocol messages
//             to their parent).
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(HERE, '..');
const PAGES = join(HERE, 'pages');
// BENCH_PKG=/path/to/another/pkg measures another build (e.g. an older one) with the same pages.
export const PKG = process.env.BENCH_PKG ? resolve(process.env.BENCH_PKG) : join(ROOT, 'pkg');

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};
const ISOLATED = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
};

function sendFile(res, root, rel, extra = {}) {
  const full = normalize(join(root, rel));
  if (!full.startsWith(root + sep)) return void res.writeHead(403).end();
  let body;
  try {
    body = readFileSync(full);
  } catch {
    return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }
  res.writeHead(200, {
    'content-type': MIME[extname(full)] || 'application/octet-stream',
    'content-length': body.length,
    'cache-control': 'no-store',
    ...extra,
  });
  res.end(body);
}

function listen(handler) {
  const server = http.createServer((req, res) => {
    try {
      handler(req, res);
    } catch (e) {
      if (!res.headersSent) res.writeHead(500).end(String(e));
    }
  });
  server.keepAliveTimeout = 30000;
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok(server));
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** `bytes` + a wasm custom section named "bench" holding `tag` (valid anywhere after the header). */
export function withCustomSection(bytes, tag) {
  const name = Buffer.from('bench');
  const payload = Buffer.from(String(tag));
  const body = Buffer.concat([Buffer.from([name.length]), name, payload]);
  const leb = [];
  for (let n = body.length; ; ) {
    const b = n & 0x7f;
    n >>>= 7;
    leb.push(n ? b | 0x80 : b);
    if (!n) break;
  }
  return Buffer.concat([bytes, Buffer.from([0, ...leb]), body]);
}

/** Starts both servers, serving the package from `pkg` (default PKG). `close()` ends them and
 *  every open connection. */
export async function startServers({ pkg = PKG } = {}) {
  const bootstrapCounts = new Map(); // publishableKey -> requests received
  let clinkOrigin = '';

  const merchant = await listen((req, res) => {
    const { pathname } = new URL(req.url, 'http://x');
    if (pathname.startsWith('/pkg/')) return sendFile(res, pkg, pathname.slice(5));
    if (pathname === '/variant/clink_bg.wasm') {
      const body = withCustomSection(readFileSync(join(pkg, 'clink_bg.wasm')), new URL(req.url, 'http://x').searchParams.get('n') || '');
      res.writeHead(200, { 'content-type': 'application/wasm', 'content-length': body.length, 'cache-control': 'no-store' });
      return void res.end(body);
    }
    const rel = pathname === '/' ? 'bench.html' : pathname.slice(1);
    return sendFile(res, PAGES, rel, extname(rel) === '.html' ? ISOLATED : {});
  });

  const clink = await listen(async (req, res) => {
    const u = new URL(req.url, 'http://x');
    if (u.pathname === '/api/sdk/bootstrap') {
      const key = u.searchParams.get('publishableKey') || '';
      bootstrapCounts.set(key, (bootstrapCounts.get(key) || 0) + 1);
      const body = JSON.stringify({ code: 200, msg: 'success', data: { checkoutBaseUrl: clinkOrigin, embeddedCheckoutEnabled: true } });
      // Keys containing "slow" answer after 100 ms, so that concurrent calls really overlap.
      if (key.includes('slow')) await sleep(100);
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        'cache-control': 'no-store',
        'access-control-allow-origin': '*',
        'cross-origin-resource-policy': 'cross-origin',
      });
      return void res.end(body);
    }
    if (u.pathname === '/frame.html' || u.pathname === '/soak-frame.html') {
      // Embeddable in the isolated merchant page: COEP itself, and CORP for the cross-origin load.
      return sendFile(res, PAGES, u.pathname.slice(1), { ...ISOLATED, 'cross-origin-resource-policy': 'cross-origin' });
    }
    res.writeHead(404).end();
  });

  const origin = (s) => `http://127.0.0.1:${s.address().port}`;
  clinkOrigin = origin(clink);
  return {
    merchantOrigin: origin(merchant),
    clinkOrigin,
    bootstrapCount: (key) => bootstrapCounts.get(key) || 0,
    async close() {
      for (const s of [merchant, clink]) {
        s.closeAllConnections();
        await new Promise((r) => s.close(() => r()));
      }
    },
  };
}
