// ClinkPayClient without a server: the construction refusals, what each method sends, the retry
// rules (an injected fetch counts the calls), the timeout, network failures, non-JSON answers and
// a redirect. Against the real local Clink: local-clink.test.mjs.
// Run: node --test tests/server/client.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { ClinkApiError, ClinkConnectionError, ClinkPayClient, API_HOSTS } from '@clink-ai/clink-typescript-sdk';
import { TEST_KEY, envelopeResponse, scriptedFetch } from './support.mjs';

const ok = (data) => envelopeResponse(200, data);

function client(answers, options = {}) {
  const scripted = scriptedFetch(answers);
  return { clink: new ClinkPayClient({ apiKey: TEST_KEY, env: 'sandbox', fetch: scripted.fetch, ...options }), calls: scripted.calls };
}

test('construction: every refusal says what to do', () => {
  const refusals = [
    [undefined, TypeError, /options object/],
    [{ env: 'sandbox' }, TypeError, /apiKey is required: your secret key/],
    [{ apiKey: '', env: 'sandbox' }, TypeError, /apiKey is required/],
    [{ apiKey: 42, env: 'sandbox' }, TypeError, /apiKey must be a string/],
    [{ apiKey: `${TEST_KEY}\n`, env: 'sandbox' }, TypeError, /whitespace around it.*apiKey\.trim\(\)/],
    [{ apiKey: 'pk_test_abc', env: 'sandbox' }, TypeError, /publishable key.*for the browser.*secret key/],
    [{ apiKey: 'pk_prod_abc', env: 'production' }, TypeError, /publishable key/],
    [{ apiKey: 'sk_live_abc', env: 'sandbox' }, TypeError, /not a secret key: expected sk_test_… or sk_prod_…/],
    [{ apiKey: 'whsec_abc', env: 'sandbox' }, TypeError, /not a secret key/],
    [{ apiKey: TEST_KEY, env: 'production' }, TypeError, /sk_test_ key does not work with env: 'production'/],
    [{ apiKey: 'sk_prod_abc', env: 'sandbox' }, TypeError, /sk_prod_ key does not work with env: 'sandbox'/],
    [{ apiKey: TEST_KEY }, TypeError, /env is required: 'sandbox'.*or give baseUrl/],
    [{ apiKey: TEST_KEY, env: 'test' }, TypeError, /env must be 'sandbox' or 'production', got "test"/],
    [{ apiKey: TEST_KEY, baseUrl: 'localhost:4010' }, TypeError, /baseUrl must be an origin/],
    [{ apiKey: TEST_KEY, baseUrl: 'ftp://x.example' }, TypeError, /baseUrl must be an origin.*ftp:/],
    [{ apiKey: TEST_KEY, baseUrl: 'https://uat-api.clinkbill.com/api' }, TypeError, /drop the path/],
    [{ apiKey: TEST_KEY, baseUrl: 'https://u:p@uat-api.clinkbill.com' }, TypeError, /user name and password/],
    [{ apiKey: TEST_KEY, baseUrl: 42 }, TypeError, /baseUrl must be an origin/],
    [{ apiKey: TEST_KEY, env: 'sandbox', timeoutMs: 0 }, RangeError, /timeoutMs must be an integer/],
    [{ apiKey: TEST_KEY, env: 'sandbox', timeoutMs: 1.5 }, RangeError, /timeoutMs/],
    [{ apiKey: TEST_KEY, env: 'sandbox', fetch: 'fetch' }, TypeError, /fetch must be a function/],
  ];
  for (const [options, type, message] of refusals) {
    assert.throws(() => new ClinkPayClient(options), (error) => error instanceof type && message.test(error.message), JSON.stringify(options));
  }
});

test('construction: env picks the host; baseUrl (the local Clink) overrides it; a trailing slash is fine', () => {
  assert.equal(new ClinkPayClient({ apiKey: TEST_KEY, env: 'sandbox' }).baseUrl, 'https://uat-api.clinkbill.com');
  assert.equal(new ClinkPayClient({ apiKey: 'sk_prod_abc', env: 'production' }).baseUrl, 'https://api.clinkbill.com');
  assert.equal(new ClinkPayClient({ apiKey: TEST_KEY, env: 'sandbox', baseUrl: 'http://127.0.0.1:4010/' }).baseUrl, 'http://127.0.0.1:4010');
  assert.equal(new ClinkPayClient({ apiKey: TEST_KEY, baseUrl: 'http://127.0.0.1:4010' }).baseUrl, 'http://127.0.0.1:4010');
  assert.equal(new ClinkPayClient({ apiKey: TEST_KEY, env: 'sandbox', baseUrl: undefined }).baseUrl, API_HOSTS.sandbox);
});

test('construction in a browser page is refused (a window with a document); a Worker-like global is not a page', () => {
  const document = {};
  globalThis.window = { document };
  globalThis.document = document;
  try {
    assert.throws(() => new ClinkPayClient({ apiKey: TEST_KEY, env: 'sandbox' }), /runs on your server only.*never ship to a browser.*publishable key/);
  } finally {
    delete globalThis.window;
    delete globalThis.document;
  }
  globalThis.window = {}; // Deno 1.x has a window, and no document
  try {
    assert.ok(new ClinkPayClient({ apiKey: TEST_KEY, env: 'sandbox' }));
  } finally {
    delete globalThis.window;
  }
});

test('every method: its method and path, X-API-Key and a millisecond X-Timestamp, JSON body for creates; resolves data', async () => {
  const { clink, calls } = client([ok({ answer: 1 })]);
  const before = Date.now();
  const cases = [
    [() => clink.createCheckoutSession({ originalAmount: 100, originalCurrency: 'USD' }), 'POST', '/api/checkout/session', { originalAmount: 100, originalCurrency: 'USD' }],
    [() => clink.getCheckoutSession('sess_1'), 'GET', '/api/checkout/session/sess_1'],
    [() => clink.getOrder('ord_1'), 'GET', '/api/order/ord_1'],
    [() => clink.getRefund('rfd_1'), 'GET', '/api/refund/rfd_1'],
    [() => clink.getSubscription('sub_1'), 'GET', '/api/subscription/sub_1'],
    [() => clink.getInvoice('inv_1'), 'GET', '/api/subscription/invoice/inv_1'],
    [() => clink.customerPortalSession({ customerId: 'cus_1', returnUrl: 'https://shop.example/account' }), 'POST', '/api/billing/session', { customerId: 'cus_1', returnUrl: 'https://shop.example/account' }],
  ];
  for (const [call, method, path, body] of cases) {
    assert.deepEqual(await call(), { answer: 1 });
    const sent = calls.at(-1);
    assert.equal(sent.url, `https://uat-api.clinkbill.com${path}`);
    assert.equal(sent.init.method, method);
    assert.equal(sent.headers['X-API-Key'], TEST_KEY);
    assert.match(sent.headers['X-Timestamp'], /^\d{13}$/);
    assert.ok(Number(sent.headers['X-Timestamp']) >= before);
    assert.equal(sent.init.redirect, 'manual');
    if (body) {
      assert.equal(sent.headers['Content-Type'], 'application/json');
      assert.deepEqual(JSON.parse(sent.init.body), body);
    } else {
      assert.equal(sent.init.body, undefined);
    }
  }
  assert.equal(calls.length, cases.length);
});

test('ids are percent-encoded into the path; a missing or empty id is a TypeError before any request', async () => {
  const { clink, calls } = client([ok({})]);
  await clink.getOrder('../checkout/session/x?y=1#z');
  assert.equal(calls[0].url, 'https://uat-api.clinkbill.com/api/order/..%2Fcheckout%2Fsession%2Fx%3Fy%3D1%23z');
  await clink.getSubscription('invoice/inv_1');
  assert.equal(calls[1].url, 'https://uat-api.clinkbill.com/api/subscription/invoice%2Finv_1');
  for (const bad of [undefined, null, '', '  ', 42, { id: 'x' }]) {
    await assert.rejects(clink.getOrder(bad), (e) => e instanceof TypeError && /orderId must be a non-empty string/.test(e.message));
  }
  await assert.rejects(clink.getCheckoutSession(), /sessionId must be a non-empty string/);
  await assert.rejects(clink.createCheckoutSession(), /createCheckoutSession needs an options object/);
  await assert.rejects(clink.customerPortalSession('cus_1'), /customerPortalSession needs an options object/);
  assert.equal(calls.length, 2);
});

test('reads: retried on 429, 5xx, a non-JSON 502 and a network failure, at most twice, each with a fresh X-Timestamp', async () => {
  const network = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
  const html = new Response('<html><body>502 Bad Gateway</body></html>', { status: 502, headers: { 'content-type': 'text/html' } });
  const { clink, calls } = client([envelopeResponse(429, null), html, ok({ orderId: 'ord_1' })]);
  assert.deepEqual(await clink.getOrder('ord_1'), { orderId: 'ord_1' });
  assert.equal(calls.length, 3);
  const stamps = calls.map((c) => Number(c.headers['X-Timestamp']));
  assert.ok(stamps[0] < stamps[1] && stamps[1] < stamps[2], `timestamps ${stamps}`);

  const failing = client([network, envelopeResponse(500, null), envelopeResponse(503, null), ok({})]);
  await assert.rejects(failing.clink.getRefund('rfd_1'), (e) => e instanceof ClinkApiError && e.code === 503 && e.attempts === 3);
  assert.equal(failing.calls.length, 3, 'at most two retries');

  const down = client([network]);
  await assert.rejects(down.clink.getInvoice('inv_1'), (e) => e instanceof ClinkConnectionError && e.reason === 'network'
    && e.attempts === 3 && e.cause === network && /could not reach https:\/\/uat-api\.clinkbill\.com \(3 attempts\).*ECONNREFUSED/.test(e.message));
  assert.equal(down.calls.length, 3);

  // An envelope code 5xx inside an HTTP 200 is a server error too.
  const inner = client([envelopeResponse(500, null, { status: 200 }), ok({ s: 1 })]);
  assert.deepEqual(await inner.clink.getSubscription('sub_1'), { s: 1 });
  assert.equal(inner.calls.length, 2);
});

test('reads: a 4xx is not retried; a Retry-After over 10 s is not waited for', async () => {
  for (const code of [400, 401, 403, 404, 409]) {
    const { clink, calls } = client([envelopeResponse(code, null, { msg: `nope ${code}` }), ok({})]);
    await assert.rejects(clink.getOrder('ord_1'), (e) => e instanceof ClinkApiError && e.code === code && e.status === code
      && e.message === `nope ${code}` && e.method === 'GET' && e.path === '/api/order/ord_1' && e.attempts === 1);
    assert.equal(calls.length, 1);
  }
  const { clink, calls } = client([envelopeResponse(429, null, { msg: 'slow down', headers: { 'retry-after': '60' } }), ok({})]);
  await assert.rejects(clink.getOrder('ord_1'), (e) => e.code === 429 && e.message === 'slow down');
  assert.equal(calls.length, 1);
});

test('creates are never retried: not on 5xx, 429 or a network failure', async () => {
  const creates = [
    (clink) => clink.createCheckoutSession({ originalAmount: 1, originalCurrency: 'USD' }),
    (clink) => clink.customerPortalSession({ customerId: 'cus_1' }),
  ];
  for (const first of [envelopeResponse(503, null), envelopeResponse(429, null), new TypeError('fetch failed')]) {
    for (const create of creates) {
      const { clink, calls } = client([first, ok({ sessionId: 'sess_2' })]);
      await assert.rejects(create(clink), (e) => e.attempts === 1);
      assert.equal(calls.length, 1, 'one call per create');
    }
  }
});

test('a non-JSON answer is a ClinkApiError with the status and an excerpt, never a SyntaxError', async () => {
  const page = `<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>\n\n<body>${'x'.repeat(500)}</body></html>`;
  const { clink } = client([new Response(page, { status: 502, headers: { 'content-type': 'text/html; charset=utf-8' } })]);
  await assert.rejects(clink.createCheckoutSession({ originalAmount: 1, originalCurrency: 'USD' }), (e) => {
    assert.ok(e instanceof ClinkApiError);
    assert.equal(e.code, 502);
    assert.equal(e.status, 502);
    assert.ok(e.excerpt.startsWith('<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head> <body>xx'), e.excerpt);
    assert.equal(e.excerpt.length, 200);
    assert.match(e.message, /HTTP 502 \(text\/html\) that is not Clink's JSON envelope.*proxy/);
    return true;
  });
  const empty = client([new Response('', { status: 200 })]);
  await assert.rejects(empty.clink.createCheckoutSession({ originalAmount: 1, originalCurrency: 'USD' }), (e) => e.code === 200 && /empty body/.test(e.message));
  const notEnvelope = client([new Response('{"sessionId":"x"}', { status: 200, headers: { 'content-type': 'application/json' } })]);
  await assert.rejects(notEnvelope.clink.createCheckoutSession({ originalAmount: 1, originalCurrency: 'USD' }), (e) => e instanceof ClinkApiError && /not Clink's JSON envelope/.test(e.message));
  const errorIn200 = client([envelopeResponse(400, null, { status: 200, msg: 'originalAmount is required' })]);
  await assert.rejects(errorIn200.clink.createCheckoutSession({}), (e) => e.code === 400 && e.status === 200 && e.message === 'originalAmount is required');
});

test('ClinkApiError: Clink docs\' `const { code, message } = e`; toString and the stack name the call', async () => {
  const { clink } = client([envelopeResponse(404, null, { msg: 'no order ord_9' })]);
  const error = await clink.getOrder('ord_9').catch((e) => e);
  const { code, message } = error;
  assert.equal(code, 404);
  assert.equal(message, 'no order ord_9');
  assert.equal(String(error), 'ClinkApiError: Clink API GET /api/order/ord_9 → 404: no order ord_9');
  assert.match(error.stack, /GET \/api\/order\/ord_9 → 404: no order ord_9/);
});

test('timeout: a ClinkConnectionError that says so, with the abort as cause; not retried', async () => {
  let calls = 0;
  const hanging = (url, init) => {
    calls += 1;
    return new Promise((_, reject) => init.signal.addEventListener('abort', () => reject(init.signal.reason)));
  };
  const clink = new ClinkPayClient({ apiKey: TEST_KEY, env: 'sandbox', timeoutMs: 20, fetch: hanging });
  await assert.rejects(clink.getOrder('ord_1'), (e) => e instanceof ClinkConnectionError && e.reason === 'timeout'
    && /no answer from https:\/\/uat-api\.clinkbill\.com within 20 ms \(timeoutMs\)/.test(e.message) && e.cause?.name === 'AbortError');
  assert.equal(calls, 1);
});

test('a body that stalls after the headers times out too', async () => {
  const stalled = (url, init) => Promise.resolve(new Response(new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('{"code":'));
      init.signal.addEventListener('abort', () => controller.error(init.signal.reason));
    },
  }), { status: 200 }));
  const clink = new ClinkPayClient({ apiKey: TEST_KEY, env: 'sandbox', timeoutMs: 20, fetch: stalled });
  await assert.rejects(clink.createCheckoutSession({}), (e) => e instanceof ClinkConnectionError && e.reason === 'timeout');
});

test('real sockets: a refused connection is a network error naming ECONNREFUSED; a redirect is not followed', async () => {
  const server = createServer((req, res) => {
    res.writeHead(302, { location: `http://127.0.0.2:9/steal${req.url}` }).end();
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  try {
    const clink = new ClinkPayClient({ apiKey: TEST_KEY, baseUrl: `http://127.0.0.1:${port}` });
    await assert.rejects(clink.createCheckoutSession({}), (e) => e instanceof ClinkApiError && e.status === 302 && e.code === 302
      && /HTTP 302 redirect to http:\/\/127\.0\.0\.2:9\/steal\/api\/checkout\/session, not followed.*check baseUrl/.test(e.message));
  } finally {
    await new Promise((r) => server.close(r));
  }
  const closed = new ClinkPayClient({ apiKey: TEST_KEY, baseUrl: `http://127.0.0.1:${port}` });
  await assert.rejects(closed.createCheckoutSession({}), (e) => e instanceof ClinkConnectionError && e.reason === 'network' && /ECONNREFUSED/.test(e.message) && e.attempts === 1);
});
