// The local Clink's pure decisions, without a server: auth, field validation, the state walk and
// test cards, webhook signatures and the retry schedule, and the route table.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import {
  authProblem, hostProblem, isLoopbackHost, listenHostNames, publishableKeyProblem, sameSecret, TIMESTAMP_WINDOW_MS,
} from '../../www/clink-local/lib/auth.mjs';
import { CLINK_CURRENCIES, validateSessionCreate, webhookUrlProblem } from '../../www/clink-local/lib/validate.mjs';
import { CLINK_FLAGS, UsageError, checkClinkOptions, flagHelp, flagOf, parseFlags } from '../../www/clink-local/lib/options.mjs';
import { readFileSync } from 'node:fs';
import { attemptProblem, planStateMove, readCard } from '../../www/clink-local/lib/checkout-walk.mjs';
import { isDelivered, retryDelayMs, signPayload, webhookHeaders, MAX_ATTEMPTS } from '../../www/clink-local/lib/webhook-signing.mjs';
import { createRouter } from '../../www/clink-local/lib/http.mjs';
import { routeTable } from '../../www/clink-local/lib/app.mjs';

const SK = 'sk_test_unit_0000';
const NOW = 1_800_000_000_000;

describe('auth', () => {
  const check = (apiKey, timestamp) => authProblem({ apiKey, timestamp }, { secretKey: SK, now: NOW });

  test('the secret key and a timestamp inside two minutes either way pass', () => {
    for (const skew of [0, -TIMESTAMP_WINDOW_MS, TIMESTAMP_WINDOW_MS, -5000, 5000]) {
      assert.equal(check(SK, String(NOW + skew)), null, `skew ${skew}`);
    }
  });

  test('each failure says which', () => {
    const cases = [
      [undefined, String(NOW), /missing X-API-Key/],
      ['', String(NOW), /missing X-API-Key/],
      ['sk_test_other', String(NOW), /wrong X-API-Key/],
      ['pk_test_abc', String(NOW), /publishable key.*for the browser/],
      [SK, undefined, /missing X-Timestamp/],
      [SK, 'yesterday', /malformed X-Timestamp/],
      [SK, '-5', /malformed X-Timestamp/],
      [SK, '1.5e12', /malformed X-Timestamp/],
      [SK, String(Math.floor(NOW / 1000)), /looks like seconds/],
      [SK, String(NOW - TIMESTAMP_WINDOW_MS - 1), /stale X-Timestamp/],
      [SK, String(NOW + TIMESTAMP_WINDOW_MS + 1), /in the future/],
    ];
    for (const [key, ts, want] of cases) assert.match(check(key, ts) ?? 'null', want, `${key} / ${ts}`);
  });

  test('a wrong key is refused before the timestamp is looked at', () => {
    assert.match(check('sk_test_other', 'garbage'), /wrong X-API-Key/);
  });

  test('bootstrap keys: test/uat pass, prod and secret keys are refused with a reason', () => {
    assert.equal(publishableKeyProblem('pk_test_abc'), null);
    assert.equal(publishableKeyProblem('pk_uat_abc_1'), null);
    assert.match(publishableKeyProblem('pk_prod_abc'), /production key.*test environment/);
    assert.match(publishableKeyProblem('sk_test_abc'), /never put secret keys in browser code/);
    assert.match(publishableKeyProblem(''), /required/);
    assert.match(publishableKeyProblem('pk_test_'), /invalid publishableKey/);
    assert.match(publishableKeyProblem('pk_live_x'), /invalid publishableKey/);
  });
});

describe('session fields', () => {
  const base = {
    originalAmount: 1999, originalCurrency: 'USD',
    priceDataList: [{ name: 'Lamp', quantity: 1, unitAmount: 1999, currency: 'USD' }],
  };
  const field = (body, extra) => {
    const r = validateSessionCreate(body, extra);
    return r.ok ? null : r.field;
  };

  test('a minimal body and a full body pass; null optional fields count as absent', () => {
    assert.equal(field(base), null);
    assert.equal(field({ originalAmount: 1, originalCurrency: 'EUR', priceId: 'price_1', productId: 'prd_1' }), null);
    const full = validateSessionCreate({
      ...base, customerEmail: 'a@b.co', customerId: 'cus_1', successUrl: 'https://shop.example/ok?x=1',
      cancelUrl: 'http://localhost:3000/cancel', merchantReferenceId: 'ref-1', allowPromotionCodes: true,
      testOutcome: 'decline', customerId2: 'ignored',
    });
    assert.equal(full.ok, true);
    assert.equal(full.fields.testOutcome, 'decline');
    assert.equal(full.fields.successUrl, 'https://shop.example/ok?x=1');
    assert.equal(field({ ...base, customerEmail: null, successUrl: null }), null);
  });

  test('every missing or wrong-typed field is named', () => {
    const without = (k) => {
      const b = { ...base };
      delete b[k];
      return b;
    };
    const cases = [
      [without('originalAmount'), 'originalAmount'],
      [{ ...base, originalAmount: '1999' }, 'originalAmount'],
      [{ ...base, originalAmount: 0 }, 'originalAmount'],
      [{ ...base, originalAmount: 19.99 }, 'originalAmount'],
      [{ ...base, originalAmount: -5 }, 'originalAmount'],
      [without('originalCurrency'), 'originalCurrency'],
      [{ ...base, originalCurrency: 'usd' }, 'originalCurrency'],
      [{ ...base, originalCurrency: 'USDX' }, 'originalCurrency'],
      [without('priceDataList'), 'priceDataList'],
      [{ ...base, priceDataList: [] }, 'priceDataList'],
      [{ ...base, priceDataList: 'lamp' }, 'priceDataList'],
      [{ ...base, priceDataList: [null] }, 'priceDataList[0]'],
      [{ ...base, priceDataList: [{ ...base.priceDataList[0], name: '' }] }, 'priceDataList[0].name'],
      [{ ...base, priceDataList: [{ ...base.priceDataList[0], quantity: 0 }] }, 'priceDataList[0].quantity'],
      [{ ...base, priceDataList: [{ ...base.priceDataList[0], unitAmount: -1 }] }, 'priceDataList[0].unitAmount'],
      [{ ...base, priceDataList: [base.priceDataList[0], { ...base.priceDataList[0], currency: 'us' }] }, 'priceDataList[1].currency'],
      [{ ...base, priceId: 'price_1', productId: 'prd_1' }, 'priceDataList'],
      [{ originalAmount: 1, originalCurrency: 'USD', priceId: 'price_1' }, 'productId'],
      [{ originalAmount: 1, originalCurrency: 'USD', productId: 'prd_1' }, 'priceId'],
      [{ originalAmount: 1, originalCurrency: 'USD', priceId: 5, productId: 'prd_1' }, 'priceId'],
      [{ ...base, customerEmail: 'not-an-email' }, 'customerEmail'],
      [{ ...base, customerEmail: 5 }, 'customerEmail'],
      [{ ...base, customerId: {} }, 'customerId'],
      [{ ...base, merchantReferenceId: 42 }, 'merchantReferenceId'],
      [{ ...base, successUrl: '/success' }, 'successUrl'],
      [{ ...base, successUrl: 'javascript:alert(1)' }, 'successUrl'],
      [{ ...base, cancelUrl: 'ftp://x.example/' }, 'cancelUrl'],
      [{ ...base, allowPromotionCodes: 'yes' }, 'allowPromotionCodes'],
      [{ ...base, testOutcome: 'explode' }, 'testOutcome'],
    ];
    for (const [body, want] of cases) assert.equal(field(body), want, JSON.stringify(body));
    assert.equal(field(base, { testOutcomeHeader: 'nope' }), 'X-Clink-Test-Outcome');
    assert.match(validateSessionCreate(without('originalAmount')).msg, /^originalAmount is required/);
  });

  test("currencies: Clink's list only, and a line item's currency must be the session's", () => {
    assert.deepEqual([...CLINK_CURRENCIES], ['USD', 'EUR', 'CNY', 'CAD', 'JPY', 'AUD', 'SGD', 'HKD', 'KRW', 'GBP', 'AED']);
    for (const currency of CLINK_CURRENCIES) {
      const item = { ...base.priceDataList[0], currency };
      assert.equal(field({ ...base, originalCurrency: currency, priceDataList: [item] }), null, currency);
    }
    assert.equal(field({ ...base, originalCurrency: 'ZZZ' }), 'originalCurrency');
    assert.match(validateSessionCreate({ ...base, originalCurrency: 'ZZZ' }).msg, /one of Clink's currencies: USD, EUR/);
    assert.equal(field({ ...base, priceDataList: [{ ...base.priceDataList[0], currency: 'ZZZ' }] }), 'priceDataList[0].currency');
    const jpyInUsd = validateSessionCreate({ ...base, priceDataList: [base.priceDataList[0], { ...base.priceDataList[0], currency: 'JPY' }] });
    assert.equal(jpyInUsd.field, 'priceDataList[1].currency');
    assert.match(jpyInUsd.msg, /must be the session's originalCurrency USD \(got JPY\)/);
  });
});

describe('safety rules', () => {
  test('sameSecret: equal strings only, whatever their lengths; not a string is never equal', () => {
    assert.equal(sameSecret('sk_test_a', 'sk_test_a'), true);
    for (const [a, b] of [['sk_test_a', 'sk_test_b'], ['sk_test_a', 'sk_test_a '], ['', 'x'], ['x', ''], [undefined, 'x'], [null, 'x'], [['x'], 'x']]) {
      assert.equal(sameSecret(a, b), false, `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    }
  });

  test('keys and page tokens are compared with sameSecret, never === or !==', () => {
    // The comparisons themselves (a timing difference cannot be asserted without timing): every
    // place that checks the secret key or a session token goes through sameSecret.
    const source = (name) => readFileSync(new URL(`../../www/clink-local/lib/${name}`, import.meta.url), 'utf8');
    for (const name of ['auth.mjs', 'hosted.mjs', 'portal.mjs', 'portal-sessions.mjs']) {
      let text;
      try {
        text = source(name);
      } catch {
        continue; // a module this tree does not have
      }
      // (Presence checks against undefined, null, '' or a typeof name are not comparisons of secrets.)
      const literal = String.raw`(?:undefined|null|''|'string')`;
      const compare = new RegExp(String.raw`\b(secretKey|apiKey|token|secret) *[!=]== *(?![ ]|${literal})|(?<!${literal}|[ ]) *[!=]== *(secretKey|apiKey|session\.token|token|secret)\b`);
      assert.doesNotMatch(text, compare, `${name} compares a secret with === or !==`);
    }
    assert.match(source('auth.mjs'), /sameSecret\(apiKey, secretKey\)/);
    assert.match(source('hosted.mjs'), /sameSecret\(body\.token, session\.token\)/);
  });

  test('Host: loopback names, the listen address and the allowed names; anything else is refused', () => {
    const allowed = listenHostNames('192.0.2.2', ['shop.test']);
    for (const host of ['localhost', 'localhost:8081', 'LocalHost.', 'a.b.localhost:1', '127.0.0.1:80', '127.1.2.3', '[::1]', '[::1]:8081', '192.0.2.2:8081', 'shop.test', 'SHOP.TEST:443']) {
      assert.equal(hostProblem(host, allowed), null, host);
    }
    for (const host of [undefined, '', 'evil.example', 'localhost.evil.example', 'shop.test.evil', '192.0.2.3', '[::2]', 'a b', 'x:y:z', '127.0.0.1.nip.io']) {
      assert.match(String(hostProblem(host, allowed)), /not served|missing or malformed Host/, String(host));
    }
    assert.deepEqual([...listenHostNames('::', [])], ['[::]']);
    assert.equal(hostProblem('[fd00::2]:8081', listenHostNames('127.0.0.1', ['fd00::2'])), null, 'a bare IPv6 --allowed-host');
    assert.equal(isLoopbackHost('0.0.0.0'), false);
    assert.equal(isLoopbackHost('::'), false);
    assert.equal(isLoopbackHost('::1'), true);
  });

  test('webhook URLs: absolute http(s), a host, no credentials', () => {
    for (const url of ['http://127.0.0.1:3000/hook', 'https://shop.example/webhooks/clink?x=1', 'http://[::1]:9/h']) assert.equal(webhookUrlProblem(url), null, url);
    for (const url of ['notaurl', 'ftp://x/', 'file:///etc/passwd', 'http://', '/relative', 42, `http://x/${'a'.repeat(2100)}`]) {
      assert.match(webhookUrlProblem(url), /must be an absolute http\(s\) URL/, String(url).slice(0, 40));
    }
    assert.match(webhookUrlProblem('http://127.0.0.1:0/hook'), /port from 1 to 65535/);
    for (const url of ['http://u:%zz@127.0.0.1:9/hook', 'http://user@127.0.0.1/', 'https://:pw@example.com/']) {
      assert.match(webhookUrlProblem(url), /must not carry credentials/, url);
    }
  });

  test("flags: one parser for a table (the bin's, or a launcher's own); UsageError names the flag", () => {
    assert.deepEqual(parseFlags(['--port', '0', '--webhook', 'http://a/', '--webhook', 'http://b/', '--json', '--allowed-host', 'x.test'], CLINK_FLAGS), {
      port: 0, webhooks: ['http://a/', 'http://b/'], json: true, allowedHosts: ['x.test'],
    });
    const table = [
      { flag: 'port', short: 'p', option: 'merchantPort', kind: 'integer', value: '<n>', help: 'p' },
      { flag: 'clink-port', option: 'clinkPort', kind: 'integer', value: '<n>', help: 'c' },
    ];
    assert.deepEqual(parseFlags(['-p', '8080', '--clink-port', '8081'], table), { merchantPort: 8080, clinkPort: 8081 });
    for (const [argv, flag] of [[['--port', 'x'], '--port'], [['--clink-port', '1e3'], '--clink-port'], [['--nope'], '--nope'], [['extra'], null], [['--port'], '-p']]) {
      assert.throws(() => parseFlags(argv, table), (err) => err instanceof UsageError && (flag === null || err.message.includes(flag)), argv.join(' '));
    }
    assert.throws(() => parseFlags(['--webhook', ''], CLINK_FLAGS), /--webhook needs a value/);
    assert.equal(flagOf(CLINK_FLAGS, 'sessionTtl'), '--session-ttl');
    for (const name of ['shop.test', 'fd00::2', '[fd00::2]', '192.0.2.7']) assert.equal(checkClinkOptions({ allowedHosts: [name] }).allowedHosts[0], name);
    for (const name of ['cafe.de:80', 'http://shop.test', 'shop.test/x', 'a b', '']) {
      assert.throws(() => checkClinkOptions({ allowedHosts: [name] }), (err) => err instanceof TypeError && /^allowedHosts /.test(err.message), name);
    }
    assert.match(flagHelp(table), /^ {2}-p, --port <n> +p\n {2}--clink-port <n> +c$/);
  });
});

describe('state walk and test cards', () => {
  test('test cards', () => {
    assert.deepEqual(readCard('4242 4242 4242 4242'), { ok: true, number: '4242424242424242', last4: '4242', result: 'paid' });
    assert.equal(readCard('4000-0000-0000-0002').result, 'declined');
    assert.equal(readCard('4000000000000119').result, 'error');
    for (const bad of ['', '   ', '4242', '4111 1111 1111 1111', 'abcd efgh ijkl mnop', 42, null]) {
      assert.equal(readCard(bad).ok, false, String(bad));
    }
  });

  test('attempts only from payment while open', () => {
    assert.equal(attemptProblem({ status: 'open', state: 'payment' }), null);
    assert.match(attemptProblem({ status: 'open', state: 'pending' }), /already processing/);
    assert.match(attemptProblem({ status: 'complete', state: 'success' }), /complete/);
    assert.match(attemptProblem({ status: 'expired', state: 'expired' }), /expired/);
    assert.match(attemptProblem({ status: 'open', state: 'cancelled' }), /ended/);
  });

  test('moves a buyer can make, and the ones they cannot', () => {
    const open = (state) => ({ status: 'open', state });
    assert.deepEqual(planStateMove(open('payment'), 'pending').steps, ['attempt:hold']);
    assert.deepEqual(planStateMove(open('payment'), 'success').steps, ['attempt:paid']);
    assert.deepEqual(planStateMove(open('payment'), 'error').steps, ['attempt:error']);
    assert.deepEqual(planStateMove(open('payment'), 'cancelled').steps, ['cancel']);
    assert.deepEqual(planStateMove(open('pending'), 'payment').steps, ['finish:declined']);
    assert.deepEqual(planStateMove(open('pending'), 'success').steps, ['finish:paid']);
    assert.deepEqual(planStateMove(open('pending'), 'expired').steps, ['expire']);
    assert.deepEqual(planStateMove(open('payment'), 'payment').steps, []);
    assert.equal(planStateMove(open('pending'), 'cancelled').status, 409);
    assert.equal(planStateMove({ status: 'complete', state: 'success' }, 'payment').status, 409);
    assert.equal(planStateMove({ status: 'complete', state: 'success' }, 'expired').status, 409);
    assert.equal(planStateMove({ status: 'open', state: 'cancelled' }, 'success').status, 409);
    assert.deepEqual(planStateMove({ status: 'open', state: 'cancelled' }, 'expired').steps, ['expire']);
    assert.equal(planStateMove(open('payment'), 'paid').status, 400);
  });
});

describe('webhook signing and retries', () => {
  test('the signature is hex HMAC-SHA256 of "timestamp.body"', () => {
    const body = '{"id":"evt_1"}';
    const want = createHmac('sha256', 'whsec_x').update(`1700000000000.${body}`).digest('hex');
    assert.equal(signPayload('whsec_x', 1700000000000, body), want);
    assert.match(want, /^[0-9a-f]{64}$/);
    const headers = webhookHeaders('whsec_x', body, 1700000000000);
    assert.deepEqual(headers, { 'Content-Type': 'application/json', 'X-Clink-Timestamp': '1700000000000', 'X-Clink-Signature': want });
    assert.notEqual(signPayload('whsec_x', 1700000000001, body), want);
    assert.notEqual(signPayload('whsec_y', 1700000000000, body), want);
  });

  test('2xx is delivered, anything else is not', () => {
    for (const s of [200, 201, 204, 299]) assert.equal(isDelivered(s), true);
    for (const s of [100, 199, 300, 301, 400, 404, 500, null, undefined]) assert.equal(isDelivered(s), false);
  });

  test('10 attempts; the n-th retry waits base × 2^(n-1)', () => {
    assert.equal(MAX_ATTEMPTS, 10);
    const delays = [];
    for (let attempt = 1; attempt <= 11; attempt++) delays.push(retryDelayMs(attempt, 1000));
    assert.deepEqual(delays, [0, 1000, 2000, 4000, 8000, 16000, 32000, 64000, 128000, 256000, null]);
  });
});

describe('route table', () => {
  const router = createRouter([
    ['GET', '/api/checkout/session/:id', 'get'],
    ['POST', '/api/checkout/session', 'create'],
    ['POST', '/api/test/session/:id/state', 'state'],
    ['GET', '/assets/*', 'asset'],
  ]);

  test('matches with decoded params; GET answers HEAD', () => {
    assert.deepEqual(router.match('GET', '/api/checkout/session/sess_1'), { handler: 'get', params: { id: 'sess_1' }, pattern: '/api/checkout/session/:id' });
    assert.equal(router.match('HEAD', '/api/checkout/session/sess_1').handler, 'get');
    assert.deepEqual(router.match('GET', '/assets/a/b.css').params, { '*': 'a/b.css' });
    assert.equal(router.match('POST', '/api/test/session/s%201/state').params.id, 's 1');
  });

  test('404 for unknown paths, 405 with Allow from the table', () => {
    assert.deepEqual(router.match('GET', '/api/nope'), { status: 404 });
    assert.deepEqual(router.match('GET', '/api/checkout/session/'), { status: 404 });
    assert.deepEqual(router.match('GET', '/api/checkout/session/a/b'), { status: 404 });
    assert.deepEqual(router.match('GET', '/api/checkout/session/%E0%A4%A'), { status: 404 });
    assert.deepEqual(router.match('DELETE', '/api/checkout/session/x'), { status: 405, allow: 'GET, HEAD' });
    assert.deepEqual(router.match('GET', '/api/checkout/session'), { status: 405, allow: 'POST' });
  });

  test('the local Clink table: every row is [METHOD, /path, function] and no row shadows another', () => {
    const fn = () => {};
    const handlers = new Proxy({}, { get: () => fn });
    const rows = routeTable({ api: handlers, billing: handlers, hosted: handlers, portal: handlers, inspector: handlers });
    const seen = new Set();
    for (const [method, pattern, handler] of rows) {
      assert.match(method, /^(GET|POST|OPTIONS)$/);
      assert.match(pattern, /^\//);
      assert.equal(typeof handler, 'function');
      assert.ok(!seen.has(`${method} ${pattern}`), `duplicate ${method} ${pattern}`);
      seen.add(`${method} ${pattern}`);
    }
    assert.ok(rows.length >= 20);
  });
});
