// The local Clink's REST API over HTTP, from the package installed out of its npm tarball:
// authentication, field validation, the envelope, bad input, sessions, orders, test controls,
// concurrency and TTL expiry.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { api, createSession, eventually, installedClink, sessionBody, startReceiver } from './support.mjs';

const TEST = { timeout: 60_000 };

/** An envelope answer: HTTP status equals code, msg matches. */
function assertEnvelope(r, status, msg) {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json?.code, status, r.text);
  assert.equal(typeof r.json.msg, 'string');
  if (msg) assert.match(r.json.msg, msg);
}

describe('REST API', () => {
  let clink;
  let pkg;
  before(async () => {
    pkg = (await installedClink()).module;
    clink = await pkg.startClink({ port: 0 });
  }, { timeout: 120_000 });
  after(() => clink?.close());

  test('startClink answers the documented defaults', () => {
    assert.match(clink.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(clink.secretKey, pkg.DEFAULT_SECRET_KEY);
    assert.equal(clink.secretKey, 'sk_test_clink_local_0000000000000000');
    assert.equal(clink.publishableKey, pkg.DEFAULT_PUBLISHABLE_KEY);
    assert.equal(clink.webhookSecret, pkg.DEFAULT_WEBHOOK_SECRET);
    assert.equal(typeof clink.addWebhook, 'function');
  });

  test('every auth failure is a 401 envelope that says which', TEST, async () => {
    const now = Date.now();
    const cases = [
      [{ 'X-API-Key': null }, /missing X-API-Key/],
      [{ 'X-API-Key': '' }, /missing X-API-Key/],
      [{ 'X-API-Key': 'sk_test_wrong' }, /wrong X-API-Key/],
      [{ 'X-API-Key': clink.publishableKey }, /publishable keys are for the browser/],
      [{ 'X-Timestamp': null }, /missing X-Timestamp/],
      [{ 'X-Timestamp': 'now' }, /malformed X-Timestamp/],
      [{ 'X-Timestamp': String(Math.floor(now / 1000)) }, /looks like seconds/],
      [{ 'X-Timestamp': String(now - 3 * 60_000) }, /stale X-Timestamp/],
      [{ 'X-Timestamp': String(now + 3 * 60_000) }, /in the future/],
    ];
    for (const [headers, msg] of cases) {
      for (const [method, path, body] of [['POST', '/api/checkout/session', sessionBody()], ['GET', '/api/checkout/session/sess_x'], ['GET', '/api/order/ord_x'], ['GET', '/api/webhook/deliveries']]) {
        const r = await api(clink, method, path, { body, headers });
        assertEnvelope(r, 401, msg);
        assert.equal(r.json.data, undefined);
      }
    }
    // A refused small body is drained: the connection stays usable.
    const small = await api(clink, 'POST', '/api/checkout/session', { body: sessionBody(), headers: { 'X-API-Key': null } });
    assert.notEqual(small.headers.get('connection'), 'close');
    // Inside the window either way is fine.
    for (const skew of [-90_000, 90_000]) {
      const r = await api(clink, 'POST', '/api/checkout/session', { body: sessionBody(), headers: { 'X-Timestamp': String(Date.now() + skew) } });
      assertEnvelope(r, 200, /^success$/);
    }
  });

  test('create: the answer, and GET session', TEST, async () => {
    const r = await api(clink, 'POST', '/api/checkout/session', { body: sessionBody() });
    assertEnvelope(r, 200, /^success$/);
    const s = r.json.data;
    assert.match(s.sessionId, /^sess_[A-Za-z0-9_-]{1,128}$/);
    assert.match(s.sessionParam, new RegExp(`^${s.sessionId}#\\S+$`));
    assert.equal(s.url, `${clink.url}/pay/${encodeURIComponent(s.sessionParam)}`);
    assert.equal(s.status, 'open');
    assert.equal(s.state, 'payment');
    assert.equal(s.originalAmount, 1999);
    assert.equal(s.originalCurrency, 'USD');
    assert.equal(s.merchantReferenceId, 'order-42');
    assert.equal(s.successUrl, 'http://127.0.0.1:9/success');
    assert.equal(s.orderId, undefined, 'no order before a payment attempt');
    assert.ok(s.expiresAt - s.createdAt === 1800_000, 'default TTL 1800 s');
    assert.match(s.customerId, /^cus_/);

    const g = await api(clink, 'GET', `/api/checkout/session/${s.sessionId}`);
    assertEnvelope(g, 200);
    assert.equal(g.json.data.sessionId, s.sessionId);
    assert.equal(g.json.data.status, 'open');

    const p = await api(clink, 'POST', '/api/checkout/session', {
      // A catalogue price (the default catalogue, docs/local-clink.md) at its own amount.
      body: sessionBody({ priceDataList: undefined, originalAmount: 4900, priceId: 'price_desk_lamp', productId: 'prd_desk_lamp' }),
    });
    assertEnvelope(p, 200);
    assert.equal(p.json.data.priceId, 'price_desk_lamp');
  });

  test('create: each missing or wrong-typed field is a 400 naming it', TEST, async () => {
    const cases = [
      [{ originalAmount: undefined }, /^originalAmount is required/],
      [{ originalAmount: '1999' }, /^originalAmount must be/],
      [{ originalAmount: 0 }, /^originalAmount must be/],
      [{ originalCurrency: undefined }, /^originalCurrency is required/],
      [{ originalCurrency: 'usd' }, /^originalCurrency must be/],
      [{ priceDataList: undefined }, /^priceDataList or priceId \+ productId is required/],
      [{ priceDataList: [] }, /^priceDataList must be/],
      [{ priceDataList: [{ name: 'x', quantity: 0, unitAmount: 1, currency: 'USD' }] }, /^priceDataList\[0\]\.quantity/],
      [{ priceDataList: [{ name: 'x', quantity: 1, unitAmount: '1', currency: 'USD' }] }, /^priceDataList\[0\]\.unitAmount/],
      [{ priceDataList: [{ quantity: 1, unitAmount: 1, currency: 'USD' }] }, /^priceDataList\[0\]\.name/],
      [{ priceDataList: [{ name: 'x', quantity: 1, unitAmount: 1, currency: 'dollars' }] }, /^priceDataList\[0\]\.currency/],
      [{ priceDataList: undefined, priceId: 'price_1' }, /^productId is required/],
      [{ priceDataList: undefined, productId: 'prd_1' }, /^priceId is required/],
      [{ customerEmail: 'nope' }, /^customerEmail/],
      [{ customerId: 7 }, /^customerId/],
      [{ successUrl: 'shop.example/ok' }, /^successUrl must be an absolute http\(s\) URL/],
      [{ cancelUrl: 'javascript:alert(1)' }, /^cancelUrl/],
      [{ merchantReferenceId: ['a'] }, /^merchantReferenceId/],
      [{ allowPromotionCodes: 'true' }, /^allowPromotionCodes must be a boolean/],
      [{ testOutcome: 'explode' }, /^testOutcome must be one of success, cancel, expire, decline/],
    ];
    for (const [extra, msg] of cases) {
      const r = await api(clink, 'POST', '/api/checkout/session', { body: sessionBody(extra) });
      assertEnvelope(r, 400, msg);
    }
    const h = await api(clink, 'POST', '/api/checkout/session', { body: sessionBody(), headers: { 'X-Clink-Test-Outcome': 'maybe' } });
    assertEnvelope(h, 400, /^X-Clink-Test-Outcome/);
  });

  test('bad bodies: malformed JSON, non-JSON, not an object, empty → 400; the server stays up', TEST, async () => {
    assertEnvelope(await api(clink, 'POST', '/api/checkout/session', { raw: '{"originalAmount": 19' }), 400, /not valid JSON/);
    assertEnvelope(await api(clink, 'POST', '/api/checkout/session', { raw: '[1,2]' }), 400, /must be a JSON object/);
    assertEnvelope(await api(clink, 'POST', '/api/checkout/session', { raw: 'null' }), 400, /must be a JSON object/);
    assertEnvelope(await api(clink, 'POST', '/api/checkout/session', { raw: '' }), 400, /empty/);
    assertEnvelope(await api(clink, 'POST', '/api/checkout/session', {
      raw: 'originalAmount=1999', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    }), 400, /Content-Type must be application\/json/);
    assertEnvelope(await api(clink, 'POST', '/api/checkout/session', { raw: '\u0000\u00ff' }), 400, /not valid JSON/);
    assertEnvelope(await api(clink, 'POST', '/api/checkout/session', { body: sessionBody() }), 200);
  });

  test('unknown path 404, wrong method 405 with Allow from the route table, as envelopes', TEST, async () => {
    assertEnvelope(await api(clink, 'GET', '/api/nothing-here'), 404, /no such endpoint: GET \/api\/nothing-here/);
    assertEnvelope(await api(clink, 'GET', '/api/checkout/session/sess_doesnotexist'), 404, /no checkout session/);
    assertEnvelope(await api(clink, 'GET', '/api/order/ord_doesnotexist'), 404, /no order/);
    const r = await api(clink, 'GET', '/api/checkout/session');
    assertEnvelope(r, 405, /GET is not allowed/);
    assert.equal(r.headers.get('allow'), 'POST');
    const d = await api(clink, 'DELETE', '/api/checkout/session/sess_x');
    assertEnvelope(d, 405);
    assert.equal(d.headers.get('allow'), 'GET, HEAD');
    const o = await api(clink, 'PUT', '/api/order/ord_1');
    assert.equal(o.headers.get('allow'), 'GET, HEAD');
  });

  test('a body over 1 MB is refused with 413 from Content-Length, before it is read, and the connection stays usable', TEST, async () => {
    const port = new URL(clink.url).port;
    // Announce 50 MB, send 64 KB, and wait for the answer: the server must answer without the rest.
    const announce = (apiKey) => new Promise((resolvePromise, reject) => {
      const req = request({
        host: '127.0.0.1', port, method: 'POST', path: '/api/checkout/session',
        headers: {
          'X-API-Key': apiKey, 'X-Timestamp': String(Date.now()),
          'Content-Type': 'application/json', 'Content-Length': String(50 * 1024 * 1024),
        },
      }, (res) => {
        let text = '';
        res.on('data', (c) => { text += c; });
        res.on('end', () => resolvePromise({ status: res.statusCode, text, connection: res.headers.connection }));
      });
      req.on('error', reject);
      req.write(Buffer.alloc(64 * 1024, 0x20));
      setTimeout(() => reject(new Error('no answer to a 50 MB announcement')), 10_000).unref();
    });
    const answer = await announce(clink.secretKey);
    assert.equal(answer.status, 413);
    assert.deepEqual(JSON.parse(answer.text), { code: 413, msg: 'request body is larger than 1048576 bytes: send at most 1048576 bytes' });
    // The rest is read and thrown away (up to a bound) rather than reset under the client.
    assert.notEqual(answer.connection, 'close');
    // Refused for its key first: answered at once, before the body.
    const unauthorised = await announce('sk_test_wrong');
    assert.equal(unauthorised.status, 401);

    // A chunked body (no Content-Length) is cut off as soon as it passes 1 MB.
    const chunked = await new Promise((resolvePromise, reject) => {
      const req = request({
        host: '127.0.0.1', port, method: 'POST', path: '/api/checkout/session',
        headers: { 'X-API-Key': clink.secretKey, 'X-Timestamp': String(Date.now()), 'Content-Type': 'application/json' },
      }, (res) => {
        let text = '';
        res.on('data', (c) => { text += c; });
        res.on('end', () => resolvePromise({ status: res.statusCode, text }));
      });
      req.on('error', reject);
      let sent = 0;
      const pump = () => {
        while (sent < 3 * 1024 * 1024) {
          sent += 64 * 1024;
          if (!req.write(Buffer.alloc(64 * 1024, 0x20))) return req.once('drain', pump);
        }
        return undefined;
      };
      pump();
    }).catch((err) => ({ error: err.code }));
    assert.equal(chunked.status, 413, `answered, not reset: ${chunked.error}`);

    // Still up.
    assertEnvelope(await api(clink, 'POST', '/api/checkout/session', { body: sessionBody() }), 200);
  });

  test('300 concurrent authenticated creates: all answered, distinct ids', { timeout: 120_000 }, async () => {
    const answers = await Promise.all(Array.from({ length: 300 }, (_, i) => api(clink, 'POST', '/api/checkout/session', {
      body: sessionBody({ merchantReferenceId: `bulk-${i}` }),
    })));
    assert.equal(answers.filter((r) => r.status === 200 && r.json.code === 200).length, 300);
    const ids = new Set(answers.map((r) => r.json.data.sessionId));
    assert.equal(ids.size, 300);
    const tokens = new Set(answers.map((r) => r.json.data.sessionParam));
    assert.equal(tokens.size, 300);
  });

  test('test controls walk the states; the order is created at the first attempt', TEST, async () => {
    const s = await createSession(clink);
    const move = (state, extra = {}) => api(clink, 'POST', `/api/test/session/${s.sessionId}/state`, { body: { state, ...extra } });
    let r = await move('pending');
    assertEnvelope(r, 200);
    assert.equal(r.json.data.state, 'pending');
    assert.match(r.json.data.orderId, /^ord_/);
    const orderId = r.json.data.orderId;
    let o = await api(clink, 'GET', `/api/order/${orderId}`);
    assertEnvelope(o, 200);
    assert.equal(o.json.data.status, 'pending');
    assert.equal(o.json.data.sessionId, s.sessionId);
    assert.equal(o.json.data.merchantReferenceId, 'order-42');

    r = await move('payment'); // the pending attempt is declined
    assert.equal(r.json.data.state, 'payment');
    assert.equal((await api(clink, 'GET', `/api/order/${orderId}`)).json.data.status, 'failed');

    r = await api(clink, 'POST', `/api/test/session/${s.sessionId}/pay`, { body: { card: '4000 0000 0000 0002' } });
    assert.equal(r.json.data.state, 'payment');
    r = await api(clink, 'POST', `/api/test/session/${s.sessionId}/pay`, { body: { card: '4242424242424242' } });
    assert.equal(r.json.data.state, 'success');
    assert.equal(r.json.data.status, 'complete');
    assert.equal(r.json.data.orderId, orderId, 'one order per session, several attempts');
    assert.deepEqual(r.json.data.history.map((h) => h.state), ['payment', 'pending', 'payment', 'pending', 'payment', 'pending', 'success']);
    o = await api(clink, 'GET', `/api/order/${orderId}`);
    assert.equal(o.json.data.status, 'paid');
    assert.deepEqual(o.json.data.attempts.map((a) => [a.cardLast4, a.result]), [['4242', 'declined'], ['0002', 'declined'], ['4242', 'paid']]);

    // A finished session cannot move, pay or expire.
    assertEnvelope(await move('payment'), 409, /cannot move the checkout from success/);
    assertEnvelope(await api(clink, 'POST', `/api/test/session/${s.sessionId}/pay`, { body: {} }), 409, /complete/);
    assertEnvelope(await api(clink, 'POST', `/api/test/session/${s.sessionId}/expire`, { body: {} }), 409, /already complete/);
    assertEnvelope(await move('flying'), 400, /state must be one of/);
    assertEnvelope(await api(clink, 'POST', '/api/test/session/sess_nope/state', { body: { state: 'pending' } }), 404);
    assertEnvelope(await api(clink, 'POST', `/api/test/session/${s.sessionId}/pay`, { body: { card: '4111111111111111' } }), 400, /test card/);

    const c = await createSession(clink);
    r = await api(clink, 'POST', `/api/test/session/${c.sessionId}/state`, { body: { state: 'cancelled' } });
    assert.equal(r.json.data.state, 'cancelled');
    assert.equal(r.json.data.status, 'open', 'a cancelled checkout stays open until it expires');
    r = await api(clink, 'POST', `/api/test/session/${c.sessionId}/expire`, { body: {} });
    assert.equal(r.json.data.status, 'expired');
    assert.equal(r.json.data.state, 'cancelled');
  });
});

describe('session TTL', () => {
  test('a session expires after sessionTtl: status expired, state expired, session.expired webhook', TEST, async () => {
    const { startClink } = (await installedClink()).module;
    const receiver = await startReceiver();
    const clink = await startClink({ port: 0, sessionTtl: 1, webhooks: [receiver.url] });
    try {
      const s = await createSession(clink);
      assert.ok(s.expiresAt - s.createdAt === 1000);
      // One payment attempt first, so the order expires with it.
      await api(clink, 'POST', `/api/test/session/${s.sessionId}/pay`, { body: { card: '4000 0000 0000 0002' } });
      await receiver.waitFor((rs) => rs.some((r) => JSON.parse(r.body).type === 'session.expired'), 10_000);
      const g = await api(clink, 'GET', `/api/checkout/session/${s.sessionId}`);
      assert.equal(g.json.data.status, 'expired');
      assert.equal(g.json.data.state, 'expired');
      const event = receiver.events().find((e) => e.type === 'session.expired');
      assert.equal(event.data.sessionId, s.sessionId);
      assert.equal(event.data.status, 'expired');
      const o = await api(clink, 'GET', `/api/order/${g.json.data.orderId}`);
      assert.equal(o.json.data.status, 'expired');
      // Expired means no more attempts.
      const p = await api(clink, 'POST', `/api/test/session/${s.sessionId}/pay`, { body: {} });
      assertEnvelope(p, 409, /expired/);
      const page = await fetch(`${clink.url}/pay/${encodeURIComponent(s.sessionParam)}`);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /data-status="expired"/);
    } finally {
      await clink.close();
      await receiver.close();
    }
  });
});

describe('bootstrap and the hosted pages over HTTP', () => {
  let clink;
  before(async () => {
    clink = await (await installedClink()).module.startClink({ port: 0 });
  });
  after(() => clink?.close());

  test('bootstrap: pk_test/pk_uat answer the checkout host with CORS; pk_prod and sk_ get code 401', TEST, async () => {
    const get = async (key) => {
      const r = await fetch(`${clink.url}/api/sdk/bootstrap?publishableKey=${encodeURIComponent(key)}&origin=http%3A%2F%2Flocalhost%3A3000`);
      return { cors: r.headers.get('access-control-allow-origin'), json: await r.json() };
    };
    for (const key of ['pk_test_abc', 'pk_uat_abc']) {
      const r = await get(key);
      assert.equal(r.cors, '*');
      assert.deepEqual(r.json, { code: 200, msg: 'success', data: { checkoutBaseUrl: clink.url, embeddedCheckoutEnabled: true } });
    }
    assert.equal((await get('pk_test_embedded_disabled')).json.data.embeddedCheckoutEnabled, false);
    const prod = await get('pk_prod_abc');
    assert.equal(prod.json.code, 401);
    assert.match(prod.json.msg, /production/);
    assert.equal(prod.cors, '*');
    const secret = await get(clink.secretKey);
    assert.equal(secret.json.code, 401);
    assert.match(secret.json.msg, /never put secret keys in browser code/);
  });

  test('hosted page: sessionParam or sessionId alone 200, wrong token 403, unknown 404', TEST, async () => {
    const s = await createSession(clink);
    const status = async (path) => {
      const r = await fetch(`${clink.url}${path}`);
      await r.arrayBuffer();
      return r.status;
    };
    assert.equal(await status(`/pay/${encodeURIComponent(s.sessionParam)}`), 200);
    assert.equal(await status(`/pay/${s.sessionId}`), 200);
    assert.equal(await status(`/pay/${encodeURIComponent(`${s.sessionId}#tok_wrong`)}`), 403);
    assert.equal(await status('/pay/sess_unknown'), 404);
    assert.equal(await status('/pay/not-a-session'), 404);
  });

  test('the pages API needs the session token', TEST, async () => {
    const s = await createSession(clink);
    const token = s.sessionParam.split('#')[1];
    const post = async (path, body) => {
      const r = await fetch(`${clink.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      return { status: r.status, json: await r.json() };
    };
    assert.equal((await post(`/pay-api/sessions/${s.sessionId}/pay`, { token: 'tok_x', card: '4242424242424242' })).status, 403);
    assert.equal((await post(`/pay-api/sessions/${s.sessionId}/cancel`, {})).status, 403);
    assert.equal((await post(`/pay-api/sessions/${s.sessionId}/pay`, { token, card: '1234' })).status, 400);
    const ok = await post(`/pay-api/sessions/${s.sessionId}/pay`, { token, card: '4242 4242 4242 4242' });
    assert.equal(ok.status, 200);
    assert.equal(ok.json.data.state, 'pending');
    const done = await eventually(async () => {
      const r = await post(`/pay-api/sessions/${s.sessionId}`, { token });
      return r.json.data.state === 'success' && r;
    }, 10_000, 'the attempt settles by itself');
    assert.equal(done.json.data.status, 'complete');
  });
});
