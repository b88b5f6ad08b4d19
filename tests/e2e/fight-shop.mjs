// A merchant origin of its own for the fight-*.test.mjs suites: pages with the response headers a
// test needs (a Content-Security-Policy, a Permissions-Policy) or built from the docs' blocks, and
// everything else passed through to the test servers' merchant origin (/pkg/, /probe.js, the
// session and status endpoints). A real server on loopback, not Playwright's route.fulfill: a
// document fulfilled by the browser's interception has no address, and Chromium then refuses its
// loopback iframes (local network access), which would hide what these tests look at.
import http from 'node:http';

/**
 * pages: { [path]: { body, headers? } | (() => { body, headers? }) }; `to`: the origin requests
 * are passed to. Answers { origin, close() }.
 */
export async function startShop(to, pages) {
  const target = new URL(to);
  const server = http.createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    const page = Object.hasOwn(pages, path) ? pages[path] : null;
    if (page) {
      const { body, headers = {} } = typeof page === 'function' ? page() : page;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers }).end(body);
      return;
    }
    const forward = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } }, (answer) => {
      res.writeHead(answer.statusCode, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', (e) => res.writeHead(502).end(String(e)));
    req.pipe(forward);
  });
  await new Promise((resolve, reject) => server.listen(0, '127.0.0.1', resolve).once('error', reject));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}

/** A page running a docs block as a module, its bare specifier mapped to the built package. */
export function recipePage(title, markup, code) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${title}</title>
<script type="importmap">${JSON.stringify({ imports: { '@clink-ai/clink-js': '/pkg/index.js' } })}</script>
</head>
<body>
${markup}
<script type="module">
${code}</script>
</body>
</html>
`;
}
