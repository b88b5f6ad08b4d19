// The merchant demo's webhook endpoint, hit directly with hand-signed bodies, beside a real local
// Clink: only correctly signed, fresh, first-seen events change the shop's orders.
//
//   node --test tests/demo/receiver-http.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServers } from '../../www/demo/server.mjs';
import { get, postJson, shopClient, signAsClink } from './support.mjs';

describe('the demo\'s webhook endpoint', () => {
  let servers;
  let created;

  before(async () => {
    servers = await startServers({ merchantPort: 0, clinkPort: 0, quiet: true });
    // A real order of the shop, with a real session at the local Clink.
    const res = await shopClient(servers.merchantUrl).post('/api/clink/checkout-session', { item: 'lamp' });
    assert.equal(res.status, 200);
    created = await res.json();
  });
  after(async () => {
    await servers?.close();
  });

  const orderStatus = async () => (await (await get(`${servers.merchantUrl}/api/orders/${created.orderId}`)).json()).status;

  function completed(id) {
    return JSON.stringify({
      id, type: 'session.completed', createdAt: Date.now(),
      data: { sessionId: created.sessionId, merchantReferenceId: created.orderId, status: 'complete', state: 'success' },
    });
  }

  function deliver(body, { timestamp = String(Date.now()), signature, secret = servers.webhookSecret } = {}) {
    return get(servers.webhookUrl, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json', 'X-Clink-Timestamp': timestamp,
        'X-Clink-Signature': signature ?? signAsClink(secret, timestamp, body),
      },
      body,
    });
  }

  test('the launcher registered the endpoint and shares the webhook secret with the local Clink', () => {
    assert.equal(servers.webhookUrl, `${servers.merchantUrl}/webhooks/clink`);
    assert.match(servers.webhookSecret, /\S{8,}/);
    assert.match(servers.secretKey, /^sk_test_/);
    assert.match(servers.publishableKey, /^pk_test_/);
  });

  test('a tampered body is refused with 400 and changes nothing', async () => {
    const ts = String(Date.now());
    const signed = completed('evt_tampered');
    const res = await deliver(signed.replace('"complete"', '"completed!"'), { timestamp: ts, signature: signAsClink(servers.webhookSecret, ts, signed) });
    assert.equal(res.status, 400);
    assert.equal((await res.json()).data.reason, 'signature_mismatch');
    assert.equal(await orderStatus(), 'awaiting_payment');
  });

  test('a timestamp 6 minutes old is refused with 400, even correctly signed', async () => {
    const res = await deliver(completed('evt_stale'), { timestamp: String(Date.now() - 6 * 60_000) });
    assert.equal(res.status, 400);
    assert.match((await res.json()).msg, /old/);
    assert.equal(await orderStatus(), 'awaiting_payment');
  });

  test('a malformed or future timestamp is refused with 400', async () => {
    for (const timestamp of ['yesterday', String(Date.now() + 6 * 60_000)]) {
      const res = await deliver(completed('evt_when'), { timestamp });
      assert.equal(res.status, 400, timestamp);
    }
    assert.equal(await orderStatus(), 'awaiting_payment');
  });

  test('a signature with the wrong secret, or none, is refused with 400', async () => {
    assert.equal((await deliver(completed('evt_wrong'), { secret: 'whsec_not_the_one' })).status, 400);
    assert.equal((await deliver(completed('evt_wrong'), { signature: '' })).status, 400);
    const noHeaders = await get(servers.webhookUrl, { method: 'POST', body: completed('evt_none') });
    assert.equal(noHeaders.status, 400);
    assert.equal((await get(servers.webhookUrl)).status, 405, 'only POST');
    assert.equal(await orderStatus(), 'awaiting_payment');
  });

  test('a valid event is applied once; the same id again is acknowledged and ignored', async () => {
    const first = await deliver(completed('evt_replayed'));
    assert.equal(first.status, 200);
    assert.equal((await first.json()).data.outcome, 'applied');
    assert.equal(await orderStatus(), 'paid');
    // Re-signed with a fresh timestamp, as Clink's retries are: still the same event.
    const again = await deliver(completed('evt_replayed'));
    assert.equal(again.status, 200);
    assert.equal((await again.json()).data.outcome, 'duplicate');
    const record = await (await get(`${servers.merchantUrl}/api/orders/${created.orderId}`)).json();
    assert.equal(record.events.filter((e) => e.id === 'evt_replayed').length, 1);
    // A late expiry does not undo the payment.
    assert.equal((await deliver(JSON.stringify({ id: 'evt_late', type: 'session.expired', createdAt: Date.now(), data: { merchantReferenceId: created.orderId } }))).status, 200);
    assert.equal(await orderStatus(), 'paid');
  });

  test('the shop\'s backend creates sessions through the authenticated REST API', async () => {
    // The local Clink refuses unauthenticated creates; the shop's creates succeed, so it sent its key.
    const anonymous = await postJson(`${servers.clinkUrl}/api/checkout/session`, { originalAmount: 100, originalCurrency: 'USD' });
    assert.equal(anonymous.status, 401);
    const session = await (await get(`${servers.clinkUrl}/api/checkout/session/${created.sessionId}`, {
      headers: { 'X-API-Key': servers.secretKey, 'X-Timestamp': String(Date.now()) },
    })).json();
    assert.equal(session.code, 200);
    assert.equal(session.data.merchantReferenceId, created.orderId);
    assert.match(session.data.successUrl, new RegExp(`^${servers.merchantUrl}/success\\?order=${created.orderId}$`));
    assert.match(session.data.cancelUrl, new RegExp(`^${servers.merchantUrl}/cancel\\?order=${created.orderId}$`));
    assert.equal(created.checkoutUrl, `${servers.clinkUrl}/pay/${encodeURIComponent(created.sessionParam)}`);
  });

  test('return URLs come from the shop\'s configured origin, whatever Host header the request carries', async () => {
    // A request reaching the shop under another name (DNS rebinding, a proxy, a forged header) must
    // not choose where Clink sends the buyer back.
    const port = new URL(servers.merchantUrl).port;
    for (const host of [`evil.example:${port}`, 'evil.example', `localhost:${port}`]) {
      const res = await postJson(`${servers.merchantUrl}/api/clink/checkout-session`, { item: 'lamp' }, { Host: host });
      assert.equal(res.status, 200, host);
      const { sessionId } = await res.json();
      const session = await (await get(`${servers.clinkUrl}/api/checkout/session/${sessionId}`, {
        headers: { 'X-API-Key': servers.secretKey, 'X-Timestamp': String(Date.now()) },
      })).json();
      assert.ok(session.data.successUrl.startsWith(`${servers.merchantUrl}/success?`), `${host}: ${session.data.successUrl}`);
      assert.ok(session.data.cancelUrl.startsWith(`${servers.merchantUrl}/cancel?`), `${host}: ${session.data.cancelUrl}`);
    }
  });
});
