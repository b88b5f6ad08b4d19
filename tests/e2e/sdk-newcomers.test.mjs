// docs/errors.md: the mistakes of a first integration get messages that name the fix, and the SDK
// stays a drop-in (unknown options warn once, never throw): a key with whitespace around it,
// Clink's create answer or a Response passed on by fetchSession, an option name the SDK does not
// know, a second checkout mounted into a container that holds one. In Chromium on the built
// package, plus the pure name matching of js/unknown-options.js in Node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { harness, createEmbedded, mountIn, REPO_ROOT } from '../support/servers.mjs';
import { nearest, LOAD_OPTIONS, EMBEDDED_OPTIONS } from '../../js/unknown-options.js';

const h = await harness();
const T = { timeout: 30000 };

/** The warnings the page logged so far (console.warn), as text. */
const warnings = (problems) => problems.console.filter((c) => c.type === 'warning').map((c) => c.text);

test('newcomers: nearest known option for the names people get wrong; the lists are the typed options', () => {
  const cases = [
    ['checkoutEnv', LOAD_OPTIONS, 'checkoutEnvironment'],
    ['environment', LOAD_OPTIONS, 'checkoutEnvironment'],
    ['env', LOAD_OPTIONS, 'checkoutEnvironment'],
    ['lang', LOAD_OPTIONS, 'locale'],
    ['checkoutEnviroment', LOAD_OPTIONS, 'checkoutEnvironment'],
    ['baseUrl', LOAD_OPTIONS, 'checkoutBaseUrl'],
    ['checkoutBaseURL', LOAD_OPTIONS, 'checkoutBaseUrl'],
    ['checkoutUrl', LOAD_OPTIONS, 'checkoutBaseUrl'],
    ['fetch', LOAD_OPTIONS, 'fetchImpl'],
    ['Locale', LOAD_OPTIONS, 'locale'],
    ['xyz', LOAD_OPTIONS, undefined], // no guess beats a wrong one
    ['fetchClientSecret', EMBEDDED_OPTIONS, undefined],
    ['pollInterval', EMBEDDED_OPTIONS, 'pollIntervalMs'],
    ['onEvents', EMBEDDED_OPTIONS, 'onEvent'],
    ['autoresize', EMBEDDED_OPTIONS, 'autoResize'],
    ['autoDestroy', EMBEDDED_OPTIONS, 'autoDestroyOnComplete'],
    ['fetchSessionFn', EMBEDDED_OPTIONS, 'fetchSession'],
    ['', EMBEDDED_OPTIONS, undefined],
  ];
  for (const [name, known, want] of cases) assert.equal(nearest(name, known), want, name);
  // The known lists are exactly the members of the typed option interfaces.
  const dts = readFileSync(join(REPO_ROOT, 'js/index.d.ts'), 'utf8');
  const members = (iface) => [...dts.slice(dts.indexOf(`interface ${iface} {`)).split('\n}')[0].matchAll(/^ {2}(\w+)\??:/gm)].map((m) => m[1]);
  assert.deepEqual(members('LoadClinkOptions'), LOAD_OPTIONS);
  assert.deepEqual(members('EmbeddedCheckoutOptions'), EMBEDDED_OPTIONS);
});

test('newcomers: a key with whitespace around it (an env file\'s newline) → INVALID_PUBLIC_KEY saying to trim it; never accepted, nothing requested', T, () =>
  h.withPage('/sdk.html', async ({ page }) => {
    const mark = h.servers.requests.length;
    const r = await page.evaluate(async () => {
      const out = [];
      for (const key of ['pk_test_abc\n', ' pk_test_abc', 'pk_uat_x\r\n', '\tpk_prod_A1 ']) {
        out.push(await __t.settle(() => sdk.loadClink(key, { checkoutEnvironment: 'sandbox' })));
      }
      out.push(await __t.settle(() => sdk.loadClink('pk_test_a b\n', { checkoutEnvironment: 'sandbox' })));
      return out;
    });
    for (const x of r.slice(0, 4)) {
      assert.equal(x.error?.code, 'INVALID_PUBLIC_KEY', JSON.stringify(x));
      assert.match(x.error.message, /whitespace around it.*trim it, loadClink\(key\.trim\(\)\)/);
    }
    // Trimming would not fix this one: the ordinary message.
    assert.equal(r[4].error.code, 'INVALID_PUBLIC_KEY');
    assert.doesNotMatch(r[4].error.message, /trim/);
    assert.deepEqual(h.servers.bootstrapRequests(mark), []);
  }));

test("newcomers: fetchSession passing on Clink's create answer, its envelope, or a Response names the fix", T, () =>
  h.withPage('/sdk.html', async ({ page }) => {
    const co = h.servers.checkoutOrigin;
    const r = await page.evaluate(async (co) => {
      const clink = await sdk.loadClink('pk_test_newcomer', { checkoutBaseUrl: co });
      const tryWith = (fetchSession) => __t.settle(() => clink.initEmbeddedCheckout({ fetchSession }));
      return {
        created: await tryWith(async () => ({ sessionId: 'sess_1', url: `${co}/pay/sess_1`, status: 'open' })),
        envelope: await tryWith(async () => ({ code: 200, msg: 'success', data: { sessionId: 'sess_1', url: `${co}/pay/sess_1` } })),
        response: await tryWith(async () => fetch('/api/clink/checkout-session', { method: 'POST' })),
        right: await tryWith(async () => (await fetch('/api/clink/checkout-session', { method: 'POST' })).json()),
      };
    }, co);
    for (const k of ['created', 'envelope']) {
      assert.equal(r[k].error?.code, 'INVALID_CHECKOUT_URL', `${k}: ${JSON.stringify(r[k])}`);
      assert.ok(r[k].error.message.includes('return { sessionId, checkoutUrl: data.url }'), r[k].error.message);
    }
    assert.equal(r.response.error?.code, 'SESSION_ID_FETCH_FAILED', JSON.stringify(r.response));
    assert.ok(r.response.error.message.includes('return await response.json()'), r.response.error.message);
    assert.equal(r.right.ok, true, JSON.stringify(r.right));
  }));

test('newcomers: an unknown option name warns once, naming the nearest known one; never a throw, and the call works', T, () =>
  h.withPage('/sdk.html', async ({ page, problems }) => {
    const co = h.servers.checkoutOrigin;
    const r = await page.evaluate(async (co) => {
      const opts = { checkoutBaseUrl: co, checkoutEnv: 'sandbox', sk_test_leak: 1, [Symbol('x')]: 1 };
      const a = await __t.settle(() => sdk.loadClink('pk_test_unknown', opts));
      const b = await __t.settle(() => sdk.loadClink('pk_test_unknown', opts));
      const clink = await sdk.loadClink('pk_test_unknown', { checkoutBaseUrl: co });
      const c = await __t.settle(() => clink.initEmbeddedCheckout({ fetchSession: async () => ({ sessionId: 'sess_1', checkoutUrl: `${co}/pay/sess_1` }), pollInterval: 500, zzz: true }));
      return { a, b, c };
    }, co);
    assert.deepEqual([r.a.ok, r.b.ok, r.c.ok], [true, true, true]);
    await problems.settled();
    assert.deepEqual(warnings(problems), [
      "[clink] loadClink: unknown option 'checkoutEnv' is ignored; did you mean 'checkoutEnvironment'?",
      "[clink] initEmbeddedCheckout: unknown option 'pollInterval' is ignored; did you mean 'pollIntervalMs'?",
      "[clink] initEmbeddedCheckout: unknown option 'zzz' is ignored.",
    ], 'once per name (the second loadClink said nothing), never the secret-looking name');
  }));

test('newcomers: a second checkout mounted into a container that holds one warns; unmount + mount (StrictMode) does not', T, () =>
  h.withPage('/sdk.html', async ({ page, problems }) => {
    const co = h.servers.checkoutOrigin;
    for (const tag of ['a', 'b']) await createEmbedded(page, tag, { base: co, checkoutUrl: `${co}/pay/sess_${tag}`, sessionId: `sess_${tag}` });
    assert.equal((await mountIn(page, 'a', '#clink-checkout')).threw, false);
    await page.evaluate(() => { __inst.a.unmount(); __inst.a.mount('#clink-checkout'); });
    await problems.settled();
    assert.deepEqual(warnings(problems), [], 'a remount of the same instance is fine');
    assert.equal((await mountIn(page, 'b', '#clink-checkout')).threw, false, 'a warning, never a throw');
    await problems.settled();
    assert.deepEqual(warnings(problems), ['[clink] mount(): this container already holds a Clink checkout; unmount the other instance first.']);
  }));
