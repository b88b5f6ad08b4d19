// The recipes of docs/server-sdk.md, run as written (read from the Markdown, never copied):
// the client and session route against the local Clink; the Express, Next.js route handler, Hono,
// Workers and node:http webhook routes each receiving the local Clink's real deliveries (Next's,
// Hono's and the Worker's through Request/Response, as those runtimes call them; the Worker inside
// a bare node:vm context with only Web APIs); and the docs' own test file for a route, with
// signWebhookForTest.
// Run: node --test tests/server/recipes.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { build } from 'esbuild';
import { startClink } from '@clink-ai/clink-local';
import { signWebhookForTest } from '@clink-ai/clink-typescript-sdk';
import { ROOT as ROOT_DIR, clinkCall, ensureServerTestDeps, run, writeDocBlocks } from './support.mjs';

const WEBHOOK_PATH = '/webhooks/clink';
const cleanups = [];
let clink;

before(async () => {
  await ensureServerTestDeps();
  clink = await startClink({ port: 0, webhookRetryBaseMs: 20 });
  process.env.CLINK_WEBHOOK_SECRET = clink.webhookSecret;
  process.env.CLINK_SECRET_KEY = clink.secretKey;
  process.env.CLINK_BASE_URL = clink.url;
  process.env.PORT = '0';
});

after(async () => {
  await clink?.close();
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** The named blocks written into a fresh directory; returns a function importing one of them. */
function docModules(names) {
  const { dir, cleanup } = writeDocBlocks(names);
  cleanups.push(cleanup);
  return { dir, load: (name) => import(pathToFileURL(join(dir, name)).href) };
}

const listening = (server) => (server.listening ? Promise.resolve() : new Promise((r) => server.once('listening', r)));

/** Serves a (request: Request) => Response handler over node:http, as Next, Hono's adapters or Workers would call it. */
async function serveFetchHandler(handler) {
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    const request = new Request(`http://${req.headers.host}${req.url}`, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
    const response = await handler(request);
    res.writeHead(response.status, Object.fromEntries(response.headers)).end(Buffer.from(await response.arrayBuffer()));
  });
  server.listen(0, '127.0.0.1');
  await listening(server);
  cleanups.push(() => new Promise((r) => server.close(r)));
  return `http://127.0.0.1:${server.address().port}`;
}

/** A session paid with the test card; its merchantReferenceId is `reference`. */
async function payASession(reference) {
  const { clink: client } = await docModules(['clink.mjs']).load('clink.mjs');
  const session = await client.createCheckoutSession({
    originalAmount: 1200, originalCurrency: 'USD', merchantReferenceId: reference,
    priceDataList: [{ name: 'Tea', quantity: 1, unitAmount: 1200, currency: 'USD' }],
  });
  await clinkCall(clink, 'POST', `/test/session/${encodeURIComponent(session.sessionId)}/pay`, {});
  return session;
}

/** Waits (bounded by the test's timeout) until `check()` is true. */
async function eventually(check) {
  while (!(await check())) await new Promise((r) => setTimeout(r, 20));
}

/** A delivery as Clink sends it, but signed with another secret: every recipe must answer 400. */
async function forgedDelivery(baseUrl) {
  const body = JSON.stringify({ id: 'evt_forged', type: 'session.completed', createdAt: Date.now(), data: { merchantReferenceId: 'forged' } });
  const headers = await signWebhookForTest({ body, secret: 'whsec_attacker_000000' });
  const response = await fetch(`${baseUrl}${WEBHOOK_PATH}`, { method: 'POST', headers, body });
  return { status: response.status, text: await response.text() };
}

/**
 * Registers `baseUrl` with the local Clink, pays a session, and checks the recipe's handle-event
 * recorded the order as paid from the real delivery; then that a forged delivery is refused.
 */
async function checkRecipe(baseUrl, orders, reference) {
  clink.addWebhook(`${baseUrl}${WEBHOOK_PATH}`);
  await payASession(reference);
  await eventually(() => orders.get(reference) === 'paid');
  const forged = await forgedDelivery(baseUrl);
  assert.equal(forged.status, 400);
  assert.match(forged.text, /X-Clink-Signature does not match this body and secret/);
  assert.equal(orders.has('forged'), false);
}

test('clink.mjs + create-session.mjs: the session route creates a session on the local Clink', async () => {
  const { load } = docModules(['clink.mjs', 'create-session.mjs']);
  const { createSessionForCart } = await load('create-session.mjs');
  const answer = await createSessionForCart({ orderId: 'cart-7', total: 3000, lines: [{ name: 'Book', quantity: 2, unitAmount: 1500 }] });
  assert.deepEqual(Object.keys(answer).sort(), ['checkoutUrl', 'sessionId']);
  assert.ok(answer.checkoutUrl.startsWith(`${clink.url}/pay/`));
  const page = await fetch(answer.checkoutUrl);
  assert.equal(page.status, 200);
  await page.body?.cancel();
});

test('errors.mjs: a 404 from Clink is "unknown", an unreachable Clink is "unreachable"', async () => {
  const { load } = docModules(['clink.mjs', 'errors.mjs']);
  const { orderStatus } = await load('errors.mjs');
  assert.equal(await orderStatus('ord_nope'), 'unknown');
  const session = await payASession('errors-ref');
  const { clink: client } = await load('clink.mjs');
  const { orderId } = await client.getCheckoutSession(session.sessionId);
  assert.equal(await orderStatus(orderId), 'paid');

  const closed = createServer();
  closed.listen(0, '127.0.0.1');
  await listening(closed);
  const deadUrl = `http://127.0.0.1:${closed.address().port}`;
  await new Promise((r) => closed.close(r));
  process.env.CLINK_BASE_URL = deadUrl;
  try {
    const again = docModules(['clink.mjs', 'errors.mjs']);
    assert.equal(await (await again.load('errors.mjs')).orderStatus('ord_1'), 'unreachable');
  } finally {
    process.env.CLINK_BASE_URL = clink.url;
  }
});

test('Express recipe (express.raw): the local Clink\'s deliveries verify; a forged one is 400', async () => {
  const { load } = docModules(['handle-event.mjs', 'express-webhook.mjs']);
  const { server } = await load('express-webhook.mjs');
  cleanups.push(() => new Promise((r) => server.close(r)));
  await listening(server);
  const { orders } = await load('handle-event.mjs');
  await checkRecipe(`http://127.0.0.1:${server.address().port}`, orders, 'express-ref');
});

test('node:http recipe: the local Clink\'s deliveries verify; a forged one is 400', async () => {
  const { load } = docModules(['handle-event.mjs', 'node-http-webhook.mjs']);
  const { server } = await load('node-http-webhook.mjs');
  cleanups.push(() => new Promise((r) => server.close(r)));
  await listening(server);
  const { orders } = await load('handle-event.mjs');
  await checkRecipe(`http://127.0.0.1:${server.address().port}`, orders, 'node-http-ref');
});

test('Next.js route handler (await request.text()): POST(request) verifies the local Clink\'s deliveries; a forged one is 400', async () => {
  const { load } = docModules(['handle-event.mjs', 'route.js']);
  const { POST } = await load('route.js');
  const { orders } = await load('handle-event.mjs');
  // Next calls the exported POST with the incoming Request; a 404 for anything else, as Next routes.
  const baseUrl = await serveFetchHandler((request) => (new URL(request.url).pathname === WEBHOOK_PATH && request.method === 'POST'
    ? POST(request) : new Response('not found', { status: 404 })));
  await checkRecipe(baseUrl, orders, 'next-ref');
});

test('Hono recipe (await c.req.text()): app.fetch verifies the local Clink\'s deliveries; a forged one is 400', async () => {
  const { load } = docModules(['handle-event.mjs', 'hono-webhook.mjs']);
  const { default: app } = await load('hono-webhook.mjs');
  const { orders } = await load('handle-event.mjs');
  // On Node, env(c) reads process.env (set in before()); Workers would pass their bindings here.
  const baseUrl = await serveFetchHandler((request) => app.fetch(request));
  await checkRecipe(baseUrl, orders, 'hono-ref');
});

test('Workers recipe, bundled as wrangler does, runs in a node:vm context with only Web APIs (no require, process, Buffer)', async () => {
  const { dir } = docModules(['handle-event.mjs', 'worker.mjs']);
  // Bundled the way Cloudflare's wrangler bundles a Worker (esbuild, ESM entry), as one script;
  // the entry also re-exports the recipe's orders Map so the test can read it.
  writeFileSync(join(dir, 'entry.mjs'), "export { default } from './worker.mjs';\nexport { orders } from './handle-event.mjs';\n");
  const bundle = await build({
    entryPoints: [join(dir, 'entry.mjs')], bundle: true, write: false, format: 'iife', globalName: 'worker',
    platform: 'neutral', conditions: ['workerd', 'worker', 'browser'], target: 'es2022', logLevel: 'silent',
  });
  // The Web APIs a Worker has, and nothing of Node.
  const context = vm.createContext({
    crypto: globalThis.crypto, TextEncoder, TextDecoder, URL, Request, Response, Headers, console,
  });
  vm.runInContext(bundle.outputFiles[0].text, context, { filename: 'worker.bundle.js' });
  assert.deepEqual(JSON.parse(vm.runInContext('JSON.stringify([typeof require, typeof process, typeof Buffer, typeof module, typeof global, typeof setTimeout])', context)),
    ['undefined', 'undefined', 'undefined', 'undefined', 'undefined', 'undefined']);
  const { default: handler, orders } = vm.runInContext('worker', context);
  const env = { CLINK_WEBHOOK_SECRET: clink.webhookSecret };
  const baseUrl = await serveFetchHandler((request) => handler.fetch(request, env));
  await checkRecipe(baseUrl, orders, 'worker-ref');
  assert.equal((await fetch(`${baseUrl}/elsewhere`)).status, 404);

  // And directly: a signed event verifies inside the context.
  const body = JSON.stringify({ id: 'evt_vm', type: 'order.updated', createdAt: Date.now(), data: { orderId: 'ord_vm' } });
  const headers = await signWebhookForTest({ body, secret: clink.webhookSecret });
  const response = await handler.fetch(new Request(`http://worker.example${WEBHOOK_PATH}`, { method: 'POST', headers, body }), env);
  assert.equal(response.status, 200);
  assert.equal(await response.text(), 'ok');
});

test('route.test.mjs, the docs\' test of a route with signWebhookForTest, passes with node --test', async () => {
  const { dir } = docModules(['handle-event.mjs', 'route.js', 'route.test.mjs']);
  const env = { ...process.env, CLINK_WEBHOOK_SECRET: 'whsec_route_test_000000' };
  delete env.NODE_TEST_CONTEXT; // a test run of its own, reporting to its stdout
  const { stdout } = await run(process.execPath, ['--test', '--test-reporter=tap', 'route.test.mjs'], { cwd: dir, env });
  assert.match(stdout, /^# pass 3$/m, stdout);
  assert.match(stdout, /^# fail 0$/m, stdout);
});

test('the mistake the Express recipe avoids: express.json() before the route gives an object, refused as body_not_raw with the express.raw line', async () => {
  const { default: express } = await import('express');
  const { verifyWebhook, ClinkWebhookError } = await import('@clink-ai/clink-typescript-sdk');
  const app = express();
  app.use(express.json());
  app.post(WEBHOOK_PATH, async (req, res) => {
    try {
      await verifyWebhook({ body: req.body, headers: req.headers, secret: clink.webhookSecret });
      res.sendStatus(200);
    } catch (error) {
      res.status(400).json({ reason: error instanceof ClinkWebhookError ? error.reason : 'other', message: error.message });
    }
  });
  const server = app.listen(0, '127.0.0.1');
  await listening(server);
  cleanups.push(() => new Promise((r) => server.close(r)));
  const body = JSON.stringify({ id: 'evt_1', type: 'order.created', createdAt: Date.now(), data: {} });
  const headers = await signWebhookForTest({ body, secret: clink.webhookSecret });
  const response = await fetch(`http://127.0.0.1:${server.address().port}${WEBHOOK_PATH}`, { method: 'POST', headers, body });
  assert.equal(response.status, 400);
  const answer = await response.json();
  assert.equal(answer.reason, 'body_not_raw');
  assert.match(answer.message, /express\.raw\(\{ type: 'application\/json' \}\)/);
});

test('ClinkPayClient also runs where only Web APIs exist (a Worker: fetch, AbortController, timers; no require, process, Buffer)', async () => {
  const bundle = await build({
    entryPoints: [join(ROOT_DIR, 'server', 'index.mjs')], bundle: true, write: false, format: 'iife', globalName: 'sdk',
    platform: 'neutral', target: 'es2022', logLevel: 'silent',
  });
  const context = vm.createContext({
    crypto: globalThis.crypto, TextEncoder, TextDecoder, URL, Request, Response, Headers, console,
    fetch, AbortController, setTimeout, clearTimeout,
  });
  vm.runInContext(bundle.outputFiles[0].text, context, { filename: 'sdk.bundle.js' });
  assert.equal(vm.runInContext('typeof process + typeof require + typeof Buffer', context), 'undefinedundefinedundefined');
  context.config = { apiKey: clink.secretKey, env: 'sandbox', baseUrl: clink.url };
  const session = await vm.runInContext(`(async () => {
    const client = new sdk.ClinkPayClient(config);
    const created = await client.createCheckoutSession({ originalAmount: 700, originalCurrency: 'USD', priceDataList: [{ name: 'Cup', quantity: 1, unitAmount: 700, currency: 'USD' }] });
    const read = await client.getCheckoutSession(created.sessionId);
    const missing = await client.getOrder('ord_none').then(() => null, (e) => [e.name, e.code]);
    return JSON.stringify({ status: read.status, missing });
  })()`, context);
  assert.deepEqual(JSON.parse(session), { status: 'open', missing: ['ClinkApiError', 404] });
});
