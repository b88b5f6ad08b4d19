// README "loadClink" (loadClink) and §6 (ClinkError, CLINK_ERROR_CODES), in Chromium, on real origins.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, mismatches } from '../support/servers.mjs';

const h = await harness();
const T = { timeout: 30000 };

const ALL_CODES = [
  'INVALID_PUBLIC_KEY', 'INVALID_CHECKOUT_ENV', 'BOOTSTRAP_REQUEST_FAILED', 'INVALID_BOOTSTRAP_RESPONSE',
  'INVALID_REDIRECT_PARAMS', 'INVALID_EMBEDDED_OPTIONS', 'INVALID_SESSION_ID', 'SESSION_ID_FETCH_FAILED',
  'EMBEDDED_CHECKOUT_DISABLED', 'CONTAINER_NOT_FOUND', 'NOT_IN_BROWSER', 'INVALID_CHECKOUT_URL',
  'EMBEDDED_ALREADY_MOUNTED', 'EMBEDDED_CHECKOUT_DESTROYED', 'POLL_STATUS_FAILED', 'FRAME_BLOCKED',
];

/** In the page: a good loadClink call still works (README "Errors": after any failure the SDK keeps working). */
async function stillWorks(page, checkoutOrigin, key = 'pk_test_stillworks') {
  const r = await page.evaluate(
    ([base, key]) => __t.settle(async () => (await sdk.loadClink(key, { checkoutBaseUrl: base })).checkoutBaseUrl),
    [checkoutOrigin, key],
  );
  assert.deepEqual(r, { ok: true, value: checkoutOrigin }, 'a good loadClink call after the failures');
}

test("loadClink: Clink's Initialization examples run unchanged (sandbox bootstrap, and checkoutBaseUrl skipping it)", T, () =>
  h.withPage('/doc-init.html', { waitFor: null }, async ({ page, problems }) => {
    const { servers } = h;
    await page.waitForFunction(() => window.__doc1 && window.__doc2, null, { timeout: 8000 }).catch(() => {
      throw new Error(`docs examples did not finish: ${problems.pageErrors.join(' | ')}`);
    });
    const [doc1, doc2] = await page.evaluate(() => [window.__doc1, window.__doc2]);
    assert.equal(doc1.checkoutBaseUrl, servers.checkoutOrigin, 'checkoutBaseUrl from the bootstrap answer');
    assert.equal(doc2.checkoutBaseUrl, 'https://checkout.clinkbill.com');
    const boots = servers.bootstrapRequests();
    assert.equal(boots.length, 1, `one bootstrap request (the pk_prod example skips it): ${JSON.stringify(boots)}`);
    assert.equal(boots[0].method, 'GET');
    assert.equal(boots[0].apiHost, 'uat-api.clinkbill.com');
    assert.equal(boots[0].path, '/api/sdk/bootstrap');
    assert.deepEqual(boots[0].query, { publishableKey: 'pk_uat_xxxxxxxxx', origin: servers.merchantOrigin, locale: 'en-US' });
    assert.deepEqual(problems.pageErrors, []);
  }));

test('loadClink: checkoutBaseUrl is used as is (one trailing slash dropped), makes no request, and is read-only', T, () =>
  h.withPage('/sdk.html', async ({ page }) => {
    const { servers } = h;
    const mark = servers.requests.length;
    const r = await page.evaluate(async (base) => {
      const calls = [];
      const spy = (...a) => (calls.push(String(a[0])), Promise.reject(new Error('must not be called')));
      const out = {};
      const c1 = await sdk.loadClink('pk_test_base1', { checkoutBaseUrl: base + '/', checkoutEnvironment: 'production', fetchImpl: spy });
      out.trailing = c1.checkoutBaseUrl;
      out.shape = [typeof c1.redirectToCheckout, typeof c1.initEmbeddedCheckout, typeof c1.checkoutBaseUrl];
      try {
        c1.checkoutBaseUrl = 'https://evil.example';
      } catch {}
      out.afterWrite = c1.checkoutBaseUrl;
      for (const [k, u] of [
        ['https', 'https://checkout.example.com/'],
        ['localhost', 'http://localhost:4100'],
        ['ipv6', 'http://[::1]:4100'],
        ['pk_prod', 'https://checkout.clinkbill.com'],
      ]) {
        const key = k === 'pk_prod' ? 'pk_prod_base2' : 'pk_uat_base_' + k;
        const res = await __t.settle(async () => (await sdk.loadClink(key, { checkoutBaseUrl: u, fetchImpl: spy })).checkoutBaseUrl);
        out[k] = res;
      }
      out.calls = calls;
      return out;
    }, servers.checkoutOrigin);
    assert.equal(r.trailing, servers.checkoutOrigin);
    assert.deepEqual(r.shape, ['function', 'function', 'string']);
    assert.equal(r.afterWrite, servers.checkoutOrigin, 'assignment does not change checkoutBaseUrl');
    assert.deepEqual(r.https, { ok: true, value: 'https://checkout.example.com' });
    assert.deepEqual(r.localhost, { ok: true, value: 'http://localhost:4100' });
    assert.deepEqual(r.ipv6, { ok: true, value: 'http://[::1]:4100' });
    assert.deepEqual(r.pk_prod, { ok: true, value: 'https://checkout.clinkbill.com' });
    assert.deepEqual(r.calls, [], 'fetchImpl is never called when checkoutBaseUrl is given');
    assert.deepEqual(servers.bootstrapRequests(mark), []);
  }));

test('loadClink: a secret key (sk_…) is refused with INVALID_PUBLIC_KEY, no request is ever made, the key is not echoed', T, () =>
  h.withPage('/sdk.html', async ({ page }) => {
    const { servers } = h;
    const seen = [];
    page.on('request', (req) => seen.push(req.url() + ' ' + JSON.stringify(req.headers())));
    const mark = servers.requests.length;
    const keys = ['sk_test_51HxQabcdefGHIJKL0123', 'sk_live_9876543210abcdefZZ', 'sk_prod_SECRETsecret_1', 'sk_uat_abc'];
    const r = await page.evaluate(async ([keys, checkoutOrigin]) => {
      const calls = [];
      const spy = (...a) => (calls.push(String(a[0])), Promise.reject(new Error('must not be called')));
      const out = [];
      for (const key of keys) {
        for (const opts of [
          { fetchImpl: spy },
          { fetchImpl: spy, checkoutEnvironment: 'sandbox', locale: 'en-US' },
          {}, // global fetch (routed to the test server if it were ever used)
          { checkoutEnvironment: 'production' },
          { checkoutBaseUrl: checkoutOrigin },
        ]) {
          out.push({ key, opts: Object.keys(opts).join(','), result: await __t.settle(() => sdk.loadClink(key, opts)) });
        }
      }
      return { out, calls };
    }, [keys, servers.checkoutOrigin]);
    const problems = mismatches(r.out.map((c) => ({ label: `${c.key} {${c.opts}}`, result: c.result, expect: 'INVALID_PUBLIC_KEY' })));
    for (const c of r.out) {
      if (c.result.error && typeof c.result.error.message === 'string') {
        if (c.result.error.message.includes(c.key)) problems.push(`${c.key}: the message echoes the full secret key: ${c.result.error.message}`);
        if (!/secret/i.test(c.result.error.message)) problems.push(`${c.key}: the message does not warn about secret keys: ${c.result.error.message}`);
      }
    }
    assert.deepEqual(problems, []);
    assert.deepEqual(r.calls, [], 'fetchImpl never called with a secret key');
    await page.waitForTimeout(200);
    assert.deepEqual(servers.bootstrapRequests(mark), [], 'no bootstrap request reached any server');
    const leaked = [...servers.requests.slice(mark).map((x) => JSON.stringify(x)), ...seen].filter((s) => /sk_(test|live|prod|uat)_/.test(s));
    assert.deepEqual(leaked, [], 'no request of any kind carries the secret key');
    await stillWorks(page, servers.checkoutOrigin);
  }));

test('loadClink: malformed publishable keys reject with INVALID_PUBLIC_KEY before any request; well-formed ones work', T, () =>
  h.withPage('/sdk.html', async ({ page }) => {
    const { servers } = h;
    const mark = servers.requests.length;
    const r = await page.evaluate(async (base) => {
      const calls = [];
      const spy = (...a) => (calls.push(String(a[0])), Promise.reject(new Error('no')));
      const bad = ['', 'pk_live_x', 'pk_test_', 'pk_test_a-b', 5, null, undefined, {}, ['pk_test_a'], 'pk_test', 'pk_uat_', 'pk_prod_',
        'PK_TEST_abc', ' pk_test_abc', 'pk_test_abc ', 'pk_test_a.b', 'pk_test_a b', 'pk_test_é', 'pk_test_a\n', 'xpk_test_a', 'pk_sandbox_a'];
      const out = [];
      for (const key of bad) {
        out.push({ label: JSON.stringify(key) ?? 'undefined', expect: 'INVALID_PUBLIC_KEY', result: await __t.settle(() => sdk.loadClink(key, { fetchImpl: spy, checkoutEnvironment: 'sandbox' })) });
      }
      for (const key of ['pk_test_a', 'pk_uat_A_1', 'pk_prod_9', 'pk_test___', 'pk_test_' + 'x'.repeat(200)]) {
        out.push({ label: key, expect: 'ok', result: await __t.settle(() => sdk.loadClink(key, { checkoutBaseUrl: base })) });
      }
      return { out, calls };
    }, servers.checkoutOrigin);
    assert.deepEqual(mismatches(r.out), []);
    assert.deepEqual(r.calls, []);
    assert.deepEqual(servers.bootstrapRequests(mark), []);
  }));

test('loadClink: options of the wrong type (or unreadable) reject with INVALID_CHECKOUT_ENV and make no request', T, () =>
  h.withPage('/sdk.html', async ({ page }) => {
    const { servers } = h;
    const mark = servers.requests.length;
    const r = await page.evaluate(async (base) => {
      const calls = [];
      const spy = (...a) => (calls.push(String(a[0])), Promise.reject(new Error('no')));
      const throwing = Object.defineProperty({ fetchImpl: spy }, 'locale', { get() { throw new Error('getter boom'); }, enumerable: true });
      const proxy = new Proxy({}, { get() { throw new Error('proxy boom'); }, has() { throw new Error('proxy boom'); }, ownKeys() { throw new Error('proxy boom'); }, getOwnPropertyDescriptor() { throw new Error('proxy boom'); } });
      const cases = {
        'locale: 5': { locale: 5, fetchImpl: spy },
        "fetchImpl: 'x'": { fetchImpl: 'x', checkoutEnvironment: 'sandbox' },
        'fetchImpl: {}': { fetchImpl: {}, checkoutEnvironment: 'sandbox' },
        'checkoutEnvironment: 5': { checkoutEnvironment: 5, fetchImpl: spy },
        "checkoutEnvironment: 'staging'": { checkoutEnvironment: 'staging', fetchImpl: spy },
        "checkoutEnvironment: 'Sandbox '": { checkoutEnvironment: 'Sandbox ', fetchImpl: spy },
        'checkoutBaseUrl: 5': { checkoutBaseUrl: 5, fetchImpl: spy },
        'checkoutBaseUrl: {}': { checkoutBaseUrl: {}, fetchImpl: spy },
        'origin: 5': { origin: 5, fetchImpl: spy },
        'origin: {}': { origin: {}, fetchImpl: spy },
        'locale getter throws': throwing,
        'options Proxy throws': proxy,
      };
      const out = [];
      for (const [label, opts] of Object.entries(cases)) {
        out.push({ label, expect: 'INVALID_CHECKOUT_ENV', result: await __t.settle(() => sdk.loadClink('pk_test_opts', opts)) });
      }
      out.push({ label: 'good call afterwards', expect: 'ok', result: await __t.settle(() => sdk.loadClink('pk_test_opts', { checkoutBaseUrl: base, locale: 'en-US' })) });
      return { out, calls };
    }, servers.checkoutOrigin);
    assert.deepEqual(mismatches(r.out), []);
    assert.deepEqual(r.calls, [], 'no fetch with invalid options');
    assert.deepEqual(servers.bootstrapRequests(mark), []);
  }));

test('loadClink: checkout host order checkoutBaseUrl > checkoutEnvironment > globalThis.CLINK_ENV > key; an invalid level never falls through', T, () =>
  h.withPage('/sdk.html', async ({ page }) => {
    const { servers } = h;
    const r = await page.evaluate(async (base) => {
      const calls = [];
      const spy = async (input) => {
        calls.push(String(typeof input === 'string' ? input : input.url));
        return new Response(JSON.stringify({ code: 200, msg: 'success', data: { checkoutBaseUrl: base, embeddedCheckoutEnabled: true } }), { status: 200, headers: { 'content-type': 'application/json' } });
      };
      let n = 0;
      async function run(label, clinkEnv, key, opts, expectHost) {
        if (clinkEnv === undefined) delete globalThis.CLINK_ENV;
        else globalThis.CLINK_ENV = clinkEnv;
        const before = calls.length;
        const result = await __t.settle(() => sdk.loadClink(key.replace('#', String(++n)), { fetchImpl: spy, ...opts }));
        delete globalThis.CLINK_ENV;
        const made = calls.slice(before).map((u) => { try { const x = new URL(u); return x.origin + x.pathname; } catch { return u; } });
        return { label, result, made, expectHost };
      }
      const API_SANDBOX = 'https://uat-api.clinkbill.com/api/sdk/bootstrap';
      const API_PROD = 'https://api.clinkbill.com/api/sdk/bootstrap';
      return [
        await run('checkoutBaseUrl beats everything', 'sandbox', 'pk_test_o#', { checkoutBaseUrl: base, checkoutEnvironment: 'production' }, null),
        await run('checkoutEnvironment production beats CLINK_ENV sandbox and a test key', 'sandbox', 'pk_test_o#', { checkoutEnvironment: 'production' }, API_PROD),
        await run('checkoutEnvironment sandbox beats CLINK_ENV production and a prod key', 'production', 'pk_prod_o#', { checkoutEnvironment: 'sandbox' }, API_SANDBOX),
        await run('CLINK_ENV production beats a test key', 'production', 'pk_test_o#', {}, API_PROD),
        await run('CLINK_ENV sandbox beats a prod key', 'sandbox', 'pk_prod_o#', {}, API_SANDBOX),
        await run('pk_prod_ key → production', undefined, 'pk_prod_o#', {}, API_PROD),
        await run('pk_test_ key → sandbox', undefined, 'pk_test_o#', {}, API_SANDBOX),
        await run('pk_uat_ key → sandbox', undefined, 'pk_uat_o#', {}, API_SANDBOX),
        await run("invalid checkoutEnvironment 'staging' (CLINK_ENV sandbox present) rejects", 'sandbox', 'pk_test_o#', { checkoutEnvironment: 'staging' }, 'INVALID_CHECKOUT_ENV'),
        await run('invalid checkoutBaseUrl http://example.com (checkoutEnvironment present) rejects', undefined, 'pk_test_o#', { checkoutBaseUrl: 'http://example.com', checkoutEnvironment: 'sandbox' }, 'INVALID_CHECKOUT_ENV'),
        await run("invalid checkoutBaseUrl 'javascript:alert(1)' rejects", undefined, 'pk_test_o#', { checkoutBaseUrl: 'javascript:alert(1)' }, 'INVALID_CHECKOUT_ENV'),
        await run("invalid checkoutBaseUrl '/relative' rejects", undefined, 'pk_test_o#', { checkoutBaseUrl: '/relative' }, 'INVALID_CHECKOUT_ENV'),
        await run("invalid checkoutBaseUrl 'ftp://checkout.example.com' rejects", undefined, 'pk_test_o#', { checkoutBaseUrl: 'ftp://checkout.example.com' }, 'INVALID_CHECKOUT_ENV'),
        await run("invalid checkoutBaseUrl '' rejects", 'sandbox', 'pk_test_o#', { checkoutBaseUrl: '' }, 'INVALID_CHECKOUT_ENV'),
        await run("invalid CLINK_ENV 'staging' rejects (no key inference)", 'staging', 'pk_test_o#', {}, 'INVALID_CHECKOUT_ENV'),
        await run('invalid CLINK_ENV 5 rejects', 5, 'pk_prod_o#', {}, 'INVALID_CHECKOUT_ENV'),
        await run('valid checkoutEnvironment wins over an invalid CLINK_ENV', 'staging', 'pk_test_o#', { checkoutEnvironment: 'production' }, API_PROD),
      ];
    }, servers.checkoutOrigin);
    const problems = [];
    for (const c of r) {
      if (c.expectHost === null) {
        if (!c.result.ok) problems.push(`${c.label}: ${JSON.stringify(c.result)}`);
        if (c.made.length) problems.push(`${c.label}: expected no request, made ${c.made}`);
      } else if (c.expectHost.startsWith('https://')) {
        if (!c.result.ok) problems.push(`${c.label}: ${JSON.stringify(c.result)}`);
        if (c.made.length !== 1 || c.made[0] !== c.expectHost) problems.push(`${c.label}: expected one request to ${c.expectHost}, made ${JSON.stringify(c.made)}`);
      } else {
        problems.push(...mismatches([{ label: c.label, result: c.result, expect: c.expectHost }]));
        if (c.made.length) problems.push(`${c.label}: expected no request, made ${c.made}`);
      }
    }
    assert.deepEqual(problems, []);
  }));

test('loadClink: the bootstrap request is a CORS-simple GET through fetchImpl with publishableKey, origin and locale', T, () =>
  h.withPage('/sdk.html', async ({ page }) => {
    const { servers } = h;
    const mark = servers.requests.length;
    const r = await page.evaluate(async (checkoutOrigin) => {
      const log = [];
      const rw = __t.makeRewritingFetch(checkoutOrigin, log);
      const a = await __t.settle(async () => (await sdk.loadClink('pk_test_q1', { fetchImpl: rw, locale: 'zh-Hans-CN', origin: 'https://shop.example' })).checkoutBaseUrl);
      const b = await __t.settle(async () => (await sdk.loadClink('pk_test_q2', { fetchImpl: rw })).checkoutBaseUrl);
      const c = await __t.settle(async () => (await sdk.loadClink('pk_prod_q3', { fetchImpl: rw, locale: 'en-US' })).checkoutBaseUrl);
      return { a, b, c, log };
    }, servers.checkoutOrigin);
    assert.deepEqual([r.a, r.b, r.c], [0, 1, 2].map(() => ({ ok: true, value: servers.checkoutOrigin })));
    assert.equal(r.log.length, 3, 'each call went through fetchImpl once');
    const reqs = servers.bootstrapRequests(mark);
    assert.deepEqual(reqs.map((x) => x.method), ['GET', 'GET', 'GET'], 'GETs only: no OPTIONS preflight');
    assert.deepEqual(reqs.map((x) => x.apiHost), ['uat-api.clinkbill.com', 'uat-api.clinkbill.com', 'api.clinkbill.com']);
    assert.deepEqual(reqs[0].query, { publishableKey: 'pk_test_q1', origin: 'https://shop.example', locale: 'zh-Hans-CN' });
    assert.deepEqual(reqs[1].query, { publishableKey: 'pk_test_q2', origin: servers.merchantOrigin }, 'origin defaults to location.origin; locale omitted');
    assert.deepEqual(reqs[2].query, { publishableKey: 'pk_prod_q3', origin: servers.merchantOrigin, locale: 'en-US' });
    for (const q of reqs) {
      const custom = Object.keys(q.headers).filter((k) => /^x-|^authorization$|^content-type$/i.test(k));
      assert.deepEqual(custom, [], 'no custom headers');
    }
  }));

test('loadClink: without fetchImpl the global fetch is used; fetchImpl: window.fetch (unbound) works too', T, () =>
  h.withPage('/sdk.html', async ({ page }) => {
    const { servers } = h;
    const mark = servers.requests.length;
    const r = await page.evaluate(async () => ({
      global: await __t.settle(async () => (await sdk.loadClink('pk_uat_glob1', { checkoutEnvironment: 'sandbox', locale: 'de-DE' })).checkoutBaseUrl),
      bound: await __t.settle(async () => (await sdk.loadClink('pk_uat_glob2', { fetchImpl: window.fetch })).checkoutBaseUrl),
    }));
    assert.deepEqual(r.global, { ok: true, value: servers.checkoutOrigin });
    assert.deepEqual(r.bound, { ok: true, value: servers.checkoutOrigin });
    const reqs = servers.bootstrapRequests(mark);
    assert.equal(reqs.length, 2);
    assert.deepEqual(reqs[0].query, { publishableKey: 'pk_uat_glob1', origin: servers.merchantOrigin, locale: 'de-DE' });
    assert.equal(reqs[0].apiHost, 'uat-api.clinkbill.com');
  }));

test('loadClink: bootstrap answers: envelope, bare data, embeddedCheckoutEnabled absent = true, false = EMBEDDED_CHECKOUT_DISABLED', T, () =>
  h.withPage('/sdk.html', async ({ page }) => {
    const { servers } = h;
    const r = await page.evaluate(async (base) => {
      const answer = (json) => async () => new Response(JSON.stringify(json), { status: 200, headers: { 'content-type': 'application/json' } });
      const session = { fetchSession: async () => ({ sessionId: 'sess_boot1', checkoutUrl: base + '/pay/sess_boot1' }) };
      const out = {};
      const load = (k, json) => sdk.loadClink(k, { fetchImpl: answer(json), checkoutEnvironment: 'sandbox' });
      out.envelope = await __t.settle(async () => (await load('pk_test_b1', { code: 200, msg: 'success', data: { checkoutBaseUrl: base, embeddedCheckoutEnabled: true } })).checkoutBaseUrl);
      out.bare = await __t.settle(async () => (await load('pk_test_b2', { checkoutBaseUrl: 'https://uat-checkout.clinkbill.com', embeddedCheckoutEnabled: true })).checkoutBaseUrl);
      out.loopbackHttp = await __t.settle(async () => (await load('pk_test_b3', { code: 200, msg: 'success', data: { checkoutBaseUrl: 'http://localhost:4321' } })).checkoutBaseUrl);
      out.absentMeansTrue = await __t.settle(async () => {
        const c = await load('pk_test_b4', { code: 200, msg: 'success', data: { checkoutBaseUrl: base } });
        const e = await c.initEmbeddedCheckout(session);
        return typeof e.mount;
      });
      out.bareAbsentMeansTrue = await __t.settle(async () => {
        const c = await load('pk_test_b5', { checkoutBaseUrl: base });
        const e = await c.initEmbeddedCheckout(session);
        return typeof e.mount;
      });
      out.disabled = await __t.settle(async () => {
        const c = await load('pk_test_b6', { code: 200, msg: 'success', data: { checkoutBaseUrl: base, embeddedCheckoutEnabled: false } });
        out.disabledBase = c.checkoutBaseUrl;
        return c.initEmbeddedCheckout(session);
      });
      return out;
    }, servers.checkoutOrigin);
    assert.deepEqual(r.envelope, { ok: true, value: servers.checkoutOrigin });
    assert.deepEqual(r.bare, { ok: true, value: 'https://uat-checkout.clinkbill.com' });
    assert.deepEqual(r.loopbackHttp, { ok: true, value: 'http://localhost:4321' });
    assert.deepEqual(r.absentMeansTrue, { ok: true, value: 'function' });
    assert.deepEqual(r.bareAbsentMeansTrue, { ok: true, value: 'function' });
    assert.equal(r.disabledBase, servers.checkoutOrigin, 'loadClink itself succeeds when embedded checkout is disabled');
    assert.deepEqual(mismatches([{ label: 'embeddedCheckoutEnabled: false', result: r.disabled, expect: 'EMBEDDED_CHECKOUT_DISABLED' }]), []);
  }));

test('loadClink: bootstrap failures map to BOOTSTRAP_REQUEST_FAILED / INVALID_BOOTSTRAP_RESPONSE, and the SDK keeps working', T, () =>
  h.withPage('/sdk.html', async ({ page }) => {
    const { servers } = h;
    const r = await page.evaluate(async (checkoutOrigin) => {
      const resp = (body, status = 200, type = 'application/json') => async () => new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'content-type': type } });
      const env = (data) => ({ code: 200, msg: 'success', data });
      const cases = [
        ['HTTP 500', resp({ code: 500, msg: 'internal' }, 500), 'BOOTSTRAP_REQUEST_FAILED', '500'],
        ['HTTP 404 (text)', resp('nope', 404, 'text/plain'), 'BOOTSTRAP_REQUEST_FAILED', '404'],
        ['HTTP 503 with a valid-looking body', resp(env({ checkoutBaseUrl: checkoutOrigin }), 503), 'BOOTSTRAP_REQUEST_FAILED', '503'],
        ['envelope code 401', resp({ code: 401, msg: 'publishable key revoked', data: null }), 'BOOTSTRAP_REQUEST_FAILED', 'publishable key revoked'],
        ['envelope code 500 with data', resp({ code: 500, msg: 'bootstrap disabled for this origin', data: { checkoutBaseUrl: checkoutOrigin } }), 'BOOTSTRAP_REQUEST_FAILED', 'bootstrap disabled for this origin'],
        ['not JSON', resp('<html>gateway</html>', 200, 'text/html'), 'INVALID_BOOTSTRAP_RESPONSE'],
        ['empty body', resp('', 200), 'INVALID_BOOTSTRAP_RESPONSE'],
        ['JSON null', resp('null'), 'INVALID_BOOTSTRAP_RESPONSE'],
        ['JSON number', resp('5'), 'INVALID_BOOTSTRAP_RESPONSE'],
        ['JSON string', resp('"https://uat-checkout.clinkbill.com"'), 'INVALID_BOOTSTRAP_RESPONSE'],
        ['JSON array', resp('[]'), 'INVALID_BOOTSTRAP_RESPONSE'],
        ['envelope data null', resp(env(null)), 'INVALID_BOOTSTRAP_RESPONSE'],
        ['envelope data {}', resp(env({})), 'INVALID_BOOTSTRAP_RESPONSE'],
        ['checkoutBaseUrl 5', resp(env({ checkoutBaseUrl: 5 })), 'INVALID_BOOTSTRAP_RESPONSE'],
        ['bare checkoutBaseUrl true', resp({ checkoutBaseUrl: true }), 'INVALID_BOOTSTRAP_RESPONSE'],
        ["embeddedCheckoutEnabled 'yes'", resp(env({ checkoutBaseUrl: checkoutOrigin, embeddedCheckoutEnabled: 'yes' })), 'INVALID_BOOTSTRAP_RESPONSE'],
        ['embeddedCheckoutEnabled 1', resp(env({ checkoutBaseUrl: checkoutOrigin, embeddedCheckoutEnabled: 1 })), 'INVALID_BOOTSTRAP_RESPONSE'],
        ['checkoutBaseUrl http://example.com (non-loopback http)', resp(env({ checkoutBaseUrl: 'http://example.com' })), 'INVALID_BOOTSTRAP_RESPONSE'],
        ['checkoutBaseUrl javascript:', resp(env({ checkoutBaseUrl: 'javascript:alert(1)' })), 'INVALID_BOOTSTRAP_RESPONSE'],
        ['checkoutBaseUrl data:', resp(env({ checkoutBaseUrl: 'data:text/html,hi' })), 'INVALID_BOOTSTRAP_RESPONSE'],
        ['checkoutBaseUrl relative', resp(env({ checkoutBaseUrl: '/checkout' })), 'INVALID_BOOTSTRAP_RESPONSE'],
        ['checkoutBaseUrl protocol-relative', resp(env({ checkoutBaseUrl: '//evil.example' })), 'INVALID_BOOTSTRAP_RESPONSE'],
        ['checkoutBaseUrl empty', resp(env({ checkoutBaseUrl: '' })), 'INVALID_BOOTSTRAP_RESPONSE'],
        ['fetchImpl rejects (network failure)', async () => { throw new TypeError('Failed to fetch'); }, 'BOOTSTRAP_REQUEST_FAILED'],
        ['fetchImpl throws synchronously', () => { throw new TypeError('sync boom'); }, 'BOOTSTRAP_REQUEST_FAILED'],
        ['real network failure (closed port)', (u, i) => fetch('http://127.0.0.1:9/api/sdk/bootstrap', i), 'BOOTSTRAP_REQUEST_FAILED'],
      ];
      const out = [];
      let n = 0;
      for (const [label, fetchImpl, code, mention] of cases) {
        const result = await __t.settle(() => sdk.loadClink('pk_test_fail' + ++n, { fetchImpl, checkoutEnvironment: 'sandbox' }));
        out.push({ label, result, expect: code, mention });
      }
      return { out };
    }, servers.checkoutOrigin);
    const problems = mismatches(r.out);
    for (const c of r.out) {
      if (c.mention && c.result.error && !String(c.result.error.message).includes(c.mention))
        problems.push(`${c.label}: message should name ${JSON.stringify(c.mention)}: ${JSON.stringify(c.result.error.message)}`);
    }
    // HTTP 500 and a non-200 envelope from the real server, through a rewriting fetchImpl.
    servers.setBootstrap((req) =>
      req.query.publishableKey === 'pk_test_http500'
        ? { status: 500, json: { code: 500, msg: 'boom' } }
        : { status: 200, json: { code: 403, msg: 'origin not allowed', data: null } },
    );
    const http = await page.evaluate(async (checkoutOrigin) => {
      const rw = __t.makeRewritingFetch(checkoutOrigin, []);
      return [
        await __t.settle(() => sdk.loadClink('pk_test_http500', { fetchImpl: rw })),
        await __t.settle(() => sdk.loadClink('pk_test_http403env', { fetchImpl: rw })),
      ];
    }, servers.checkoutOrigin);
    problems.push(...mismatches([
      { label: 'server HTTP 500', result: http[0], expect: 'BOOTSTRAP_REQUEST_FAILED' },
      { label: 'server envelope code 403', result: http[1], expect: 'BOOTSTRAP_REQUEST_FAILED' },
    ]));
    if (http[0].error && !String(http[0].error.message).includes('500')) problems.push(`server HTTP 500: message lacks 500: ${http[0].error.message}`);
    if (http[1].error && !String(http[1].error.message).includes('origin not allowed')) problems.push(`server envelope: message lacks msg: ${http[1].error.message}`);
    assert.deepEqual(problems, []);
    servers.setBootstrap(null);
    await stillWorks(page, servers.checkoutOrigin);
    const after = await page.evaluate(async (checkoutOrigin) => {
      const rw = __t.makeRewritingFetch(checkoutOrigin, []);
      return __t.settle(async () => (await sdk.loadClink('pk_test_http500', { fetchImpl: rw })).checkoutBaseUrl);
    }, servers.checkoutOrigin);
    assert.deepEqual(after, { ok: true, value: servers.checkoutOrigin }, 'a bootstrap that failed before succeeds now');
  }));

test('loadClink: 100 concurrent identical calls share one bootstrap request; repeats reuse it; other inputs make new ones', T, () =>
  h.withPage('/sdk.html', async ({ page }) => {
    const { servers } = h;
    servers.setBootstrap(() => ({ delayMs: 300, json: { code: 200, msg: 'success', data: { checkoutBaseUrl: servers.checkoutOrigin } } }));
    const mark = servers.requests.length;
    const r = await page.evaluate(async (checkoutOrigin) => {
      const log = [];
      const rw = __t.makeRewritingFetch(checkoutOrigin, log);
      const results = await Promise.all(
        Array.from({ length: 100 }, () => __t.settle(async () => (await sdk.loadClink('pk_test_dedupe', { fetchImpl: rw, locale: 'en-US' })).checkoutBaseUrl)),
      );
      const afterConcurrent = log.length;
      const again = await __t.settle(async () => (await sdk.loadClink('pk_test_dedupe', { fetchImpl: rw, locale: 'en-US' })).checkoutBaseUrl);
      const afterRepeat = log.length;
      const otherLocale = await __t.settle(() => sdk.loadClink('pk_test_dedupe', { fetchImpl: rw, locale: 'fr-FR' }));
      const otherKey = await __t.settle(() => sdk.loadClink('pk_test_dedupe2', { fetchImpl: rw, locale: 'en-US' }));
      return { bad: results.filter((x) => !x.ok || x.value !== checkoutOrigin), afterConcurrent, again, afterRepeat, otherLocale, otherKey, total: log.length };
    }, servers.checkoutOrigin);
    assert.deepEqual(r.bad, [], 'all 100 calls resolve with the bootstrap answer');
    assert.equal(r.afterConcurrent, 1, '100 concurrent calls → one fetchImpl call');
    assert.deepEqual(r.again, { ok: true, value: servers.checkoutOrigin });
    assert.equal(r.afterRepeat, 1, 'a repeated identical call reuses the answer');
    assert.ok(r.otherLocale.ok && r.otherKey.ok);
    assert.equal(r.total, 3, 'another locale / another key make their own request');
    assert.equal(servers.bootstrapRequests(mark).length, 3, 'server saw 3 requests');
  }));

test('loadClink: a failed bootstrap is not remembered: concurrent callers share the failure, the next call retries', T, () =>
  h.withPage('/sdk.html', async ({ page }) => {
    const { servers } = h;
    let n = 0;
    servers.setBootstrap(() =>
      ++n === 1 ? { delayMs: 200, status: 502, body: 'bad gateway' } : { json: { code: 200, msg: 'success', data: { checkoutBaseUrl: servers.checkoutOrigin } } },
    );
    const mark = servers.requests.length;
    const r = await page.evaluate(async (checkoutOrigin) => {
      const rw = __t.makeRewritingFetch(checkoutOrigin, []);
      const first = await Promise.all(Array.from({ length: 5 }, () => __t.settle(() => sdk.loadClink('pk_test_retry', { fetchImpl: rw }))));
      const second = await __t.settle(async () => (await sdk.loadClink('pk_test_retry', { fetchImpl: rw })).checkoutBaseUrl);
      return { first, second };
    }, servers.checkoutOrigin);
    assert.deepEqual(mismatches(r.first.map((result, i) => ({ label: `concurrent call ${i}`, result, expect: 'BOOTSTRAP_REQUEST_FAILED' }))), []);
    assert.deepEqual(r.second, { ok: true, value: servers.checkoutOrigin }, 'the retry succeeds');
    assert.equal(servers.bootstrapRequests(mark).length, 2, 'one request for the 5 concurrent calls, one for the retry');
  }));

// The one test in the suite that waits out the real 10 s bootstrap deadline (README "loadClink");
// tests/e2e/hardening-bootstrap.test.mjs drives the page's clock instead. No wall-clock window:
// the rejection is ordered against page timers set when fetchImpl is called, right after the
// SDK armed its deadline: one due 10 ms before the deadline fires before it, one due 10 ms
// after it (set in a later task) fires after it. Timers fire in the order they are due however
// busy the machine is; the 10 ms spare any doubt about timers kept in different queues.
test('loadClink: a bootstrap that never answers fails with BOOTSTRAP_REQUEST_FAILED when the 10 s deadline fires (fetchImpl never resolves, no headers, endless body)', { timeout: 40000 }, () =>
  h.withPage('/sdk.html', async ({ page }) => {
    const { servers } = h;
    servers.setBootstrap((req) => ({
      hang: req.query.publishableKey === 'pk_test_hang_body' ? 'body' : 'headers',
      json: { code: 200, msg: 'success', data: { checkoutBaseUrl: servers.checkoutOrigin } },
    }));
    const r = await page.evaluate(async (checkoutOrigin) => {
      const order = [];
      const rw = __t.makeRewritingFetch(checkoutOrigin, []);
      const bracketed = (key, fetchImpl) => (...a) => {
        setTimeout(() => order.push(`${key}: 10 s − 10 ms`), 10_000 - 10);
        setTimeout(() => setTimeout(() => order.push(`${key}: 10 s + 10 ms`), 10_000 + 10), 0);
        return fetchImpl(...a);
      };
      const run = async (key, fetchImpl) => {
        const result = await __t.settle(() => sdk.loadClink(key, { fetchImpl: bracketed(key, fetchImpl) }), 16000);
        order.push(`${key}: settled`);
        return { key, result };
      };
      const results = await Promise.all([
        run('pk_test_hang_fetch', () => new Promise(() => {})),
        run('pk_test_hang_headers', rw),
        run('pk_test_hang_body', rw),
      ]);
      // Until every "10 s" sentinel has fired (the test's timeout bounds this).
      while (!results.every(({ key }) => order.includes(`${key}: 10 s + 10 ms`))) await new Promise((ok) => setTimeout(ok, 20));
      return { results, order };
    }, servers.checkoutOrigin);
    assert.deepEqual(mismatches(r.results.map((c) => ({ label: c.key, result: c.result, expect: 'BOOTSTRAP_REQUEST_FAILED' }))), []);
    for (const key of ['pk_test_hang_fetch', 'pk_test_hang_headers', 'pk_test_hang_body']) {
      const at = (what) => r.order.indexOf(`${key}: ${what}`);
      assert.ok(at('10 s − 10 ms') >= 0 && at('10 s + 10 ms') >= 0, `${key}: both sentinels fired: ${JSON.stringify(r.order)}`);
      assert.ok(at('10 s − 10 ms') < at('settled') && at('settled') < at('10 s + 10 ms'), `${key}: rejected when the 10 s deadline fired: ${JSON.stringify(r.order)}`);
    }
    servers.setBootstrap(null);
    await stillWorks(page, servers.checkoutOrigin, 'pk_test_after_timeout');
  }));

test('ClinkError: a real Error subclass with name, code, message and cause', T, () =>
  h.withPage('/sdk.html', async ({ page }) => {
    const { servers } = h;
    const r = await page.evaluate(async (base) => {
      const { ClinkError, CLINK_ERROR_CODES } = sdk;
      let e1;
      try {
        await sdk.loadClink('not-a-key');
      } catch (e) {
        e1 = e;
      }
      const original = new Error('backend down');
      let e2;
      try {
        const c = await sdk.loadClink('pk_test_err', { checkoutBaseUrl: base });
        await c.initEmbeddedCheckout({ fetchSession: async () => { throw original; } });
      } catch (e) {
        e2 = e;
      }
      return {
        isFn: typeof ClinkError === 'function',
        protoChain: ClinkError.prototype instanceof Error,
        e1: {
          isError: e1 instanceof Error,
          isClinkError: e1 instanceof ClinkError,
          name: e1 && e1.name,
          code: e1 && e1.code,
          codeKnown: e1 && Object.values(CLINK_ERROR_CODES).includes(e1.code),
          message: e1 && e1.message,
          stack: typeof (e1 && e1.stack),
          str: String(e1),
        },
        e2: {
          isClinkError: e2 instanceof ClinkError,
          code: e2 && e2.code,
          causeIsOriginal: !!e2 && e2.cause === original,
          message: e2 && e2.message,
        },
      };
    }, servers.checkoutOrigin);
    assert.equal(r.isFn, true);
    assert.equal(r.protoChain, true, 'ClinkError.prototype instanceof Error');
    assert.equal(r.e1.isError, true);
    assert.equal(r.e1.isClinkError, true);
    assert.equal(r.e1.name, 'ClinkError');
    assert.equal(r.e1.code, 'INVALID_PUBLIC_KEY');
    assert.equal(r.e1.codeKnown, true);
    assert.equal(typeof r.e1.message, 'string');
    assert.ok(r.e1.message.length > 5, 'a human message');
    assert.equal(r.e1.stack, 'string');
    assert.ok(r.e1.str.startsWith('ClinkError'), `String(error) = ${r.e1.str}`);
    assert.equal(r.e2.isClinkError, true);
    assert.equal(r.e2.code, 'SESSION_ID_FETCH_FAILED');
    assert.equal(r.e2.causeIsOriginal, true, 'cause is the error fetchSession threw');
  }));

test('CLINK_ERROR_CODES: frozen, the 16 codes, keys equal values', T, () =>
  h.withPage('/sdk.html', async ({ page }) => {
    const r = await page.evaluate(() => {
      const C = sdk.CLINK_ERROR_CODES;
      let writeThrew = false;
      try {
        (() => { 'use strict'; C.INVALID_PUBLIC_KEY = 'x'; })();
      } catch {
        writeThrew = true;
      }
      let addThrew = false;
      try {
        (() => { 'use strict'; C.NEW_CODE = 'NEW_CODE'; })();
      } catch {
        addThrew = true;
      }
      return { frozen: Object.isFrozen(C), keys: Object.keys(C).sort(), entries: Object.entries(C), writeThrew, addThrew, after: C.INVALID_PUBLIC_KEY, exports: Object.keys(sdk).sort() };
    });
    assert.equal(r.frozen, true);
    assert.deepEqual(r.keys, [...ALL_CODES].sort());
    for (const [k, v] of r.entries) assert.equal(v, k);
    assert.equal(r.writeThrew, true);
    assert.equal(r.addThrew, true);
    assert.equal(r.after, 'INVALID_PUBLIC_KEY');
    for (const name of ['loadClink', 'ClinkError', 'CLINK_ERROR_CODES']) assert.ok(r.exports.includes(name), `ESM exports ${name}`);
  }));
