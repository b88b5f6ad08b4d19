// Signed webhooks: what a receiver gets (body, headers, signature), retries with backoff re-signed
// under the same event id, the delivery inspection endpoints, re-sending, and close() with retries
// pending.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { api, createSession, installedClink, startReceiver } from './support.mjs';

const TEST = { timeout: 60_000 };

/** What a merchant's receiver does: HMAC over `${timestamp}.${rawBody}`, constant-time compare. */
function verify(secret, entry) {
  const timestamp = entry.headers['x-clink-timestamp'];
  const signature = entry.headers['x-clink-signature'];
  const want = createHmac('sha256', secret).update(`${timestamp}.${entry.body}`).digest('hex');
  return typeof signature === 'string' && signature.length === want.length
    && timingSafeEqual(Buffer.from(signature), Buffer.from(want));
}

async function start(options) {
  const { startClink } = (await installedClink()).module;
  return startClink({ port: 0, ...options });
}

describe('webhooks', () => {
  test('a paid session sends order.created, order.updated and session.completed, each signed', TEST, async () => {
    const receiver = await startReceiver();
    const clink = await start({ webhooks: [receiver.url], webhookSecret: 'whsec_test_signing_1' });
    try {
      assert.equal(clink.webhookSecret, 'whsec_test_signing_1');
      const s = await createSession(clink);
      await api(clink, 'POST', `/api/test/session/${s.sessionId}/pay`, { body: { card: '4000 0000 0000 0002' } });
      await api(clink, 'POST', `/api/test/session/${s.sessionId}/pay`, { body: { card: '4242 4242 4242 4242' } });
      await receiver.waitFor((rs) => rs.some((r) => JSON.parse(r.body).type === 'session.completed'));
      await receiver.waitFor((rs) => rs.length >= 5);

      for (const entry of receiver.received) {
        assert.equal(entry.headers['content-type'], 'application/json');
        assert.match(entry.headers['x-clink-timestamp'], /^\d{13}$/);
        assert.match(entry.headers['x-clink-signature'], /^[0-9a-f]{64}$/);
        assert.ok(verify('whsec_test_signing_1', entry), `signature of ${entry.body.slice(0, 60)}`);
        assert.ok(!verify('whsec_other', entry));
        // A tampered body no longer verifies.
        assert.ok(!verify('whsec_test_signing_1', { ...entry, body: entry.body.replace('"USD"', '"EUR"') }));
        const event = JSON.parse(entry.body);
        assert.deepEqual(Object.keys(event), ['id', 'type', 'createdAt', 'data']);
        assert.match(event.id, /^evt_/);
        assert.equal(typeof event.createdAt, 'number');
      }
      const events = receiver.events();
      const types = events.map((e) => e.type);
      // Order across events is not promised; the set and the counts are.
      // Declined attempt: created (pending), updated (failed); paid attempt: updated (pending),
      // updated (paid), session.completed.
      assert.deepEqual([...types].sort(), ['order.created', 'order.updated', 'order.updated', 'order.updated', 'session.completed']);
      assert.deepEqual(events.filter((e) => e.type.startsWith('order.')).map((e) => e.data.status).sort(), ['failed', 'paid', 'pending', 'pending']);
      assert.equal(types.filter((t) => t === 'order.created').length, 1);
      assert.equal(types.filter((t) => t === 'session.completed').length, 1);
      assert.equal(new Set(events.map((e) => e.id)).size, events.length, 'one id per event');
      const completed = events.find((e) => e.type === 'session.completed');
      assert.equal(completed.data.sessionId, s.sessionId);
      assert.equal(completed.data.status, 'complete');
      assert.equal(completed.data.state, 'success');
      assert.equal(completed.data.merchantReferenceId, 'order-42');
      const created = events.find((e) => e.type === 'order.created');
      assert.equal(created.data.orderId, completed.data.orderId);
      assert.equal(created.data.status, 'pending');
      const paid = events.filter((e) => e.type === 'order.updated').find((e) => e.data.status === 'paid');
      assert.ok(paid, 'an order.updated with status paid');
    } finally {
      await clink.close();
      await receiver.close();
    }
  });

  test('a receiver answering 500 twice gets the event a third time: same id, re-signed with a new timestamp', TEST, async () => {
    const receiver = await startReceiver((n) => (n <= 2 ? 500 : 200));
    const clink = await start({ webhooks: [receiver.url], webhookRetryBaseMs: 20 });
    try {
      const s = await createSession(clink);
      await api(clink, 'POST', `/api/test/session/${s.sessionId}/expire`, { body: {} });
      const got = await receiver.waitFor((rs) => rs.length >= 3);
      const [a, b, c] = got;
      assert.equal(a.body, b.body, 'the same body every attempt');
      assert.equal(b.body, c.body);
      const ids = got.map((r) => JSON.parse(r.body).id);
      assert.equal(new Set(ids).size, 1, 'same event id');
      assert.equal(JSON.parse(a.body).type, 'session.expired');
      const stamps = got.map((r) => Number(r.headers['x-clink-timestamp']));
      assert.ok(stamps[1] > stamps[0] && stamps[2] > stamps[1], `fresh timestamps ${stamps}`);
      assert.ok(stamps[1] - stamps[0] >= 20 && stamps[2] - stamps[1] >= 40, `backoff 20 then 40 ms: ${stamps}`);
      assert.equal(new Set(got.map((r) => r.headers['x-clink-signature'])).size, 3, 'signed afresh');
      for (const r of got) assert.ok(verify(clink.webhookSecret, r));

      // The delivery and its attempts, through the authenticated inspection endpoint.
      const list = await api(clink, 'GET', `/api/webhook/deliveries?eventId=${ids[0]}`);
      assert.equal(list.status, 200);
      assert.equal(list.json.data.items.length, 1);
      assert.equal(list.json.data.hasMore, false);
      const d = list.json.data.items[0];
      assert.equal(d.status, 'delivered');
      assert.equal(d.type, 'session.expired');
      assert.equal(d.url, receiver.url);
      assert.equal(d.payload, a.body);
      assert.deepEqual(d.attempts.map((x) => x.statusCode), [500, 500, 200]);
      assert.equal(d.attempts[0].requestHeaders['X-Clink-Signature'], a.headers['x-clink-signature']);
      assert.equal(d.attempts[2].requestHeaders['X-Clink-Timestamp'], c.headers['x-clink-timestamp']);
      const one = await api(clink, 'GET', `/api/webhook/deliveries/${d.deliveryId}`);
      assert.equal(one.json.data.deliveryId, d.deliveryId);
      assert.equal((await api(clink, 'GET', '/api/webhook/deliveries/whd_nope')).status, 404);
      assert.equal((await api(clink, 'GET', '/api/webhook/deliveries', { headers: { 'X-API-Key': null } })).status, 401);
      const ev = await api(clink, 'GET', `/api/webhook/events/${ids[0]}`);
      assert.equal(ev.json.data.type, 'session.expired');

      // Re-send: a new delivery of the same event id.
      const again = await api(clink, 'POST', `/api/test/webhook-event/${ids[0]}/resend`, { body: {} });
      assert.equal(again.status, 200, again.text);
      const more = await receiver.waitFor((rs) => rs.length >= 4);
      assert.equal(JSON.parse(more[3].body).id, ids[0]);
      assert.ok(verify(clink.webhookSecret, more[3]));
      assert.equal((await api(clink, 'POST', '/api/test/webhook-event/evt_nope/resend', { body: {} })).status, 404);
    } finally {
      await clink.close();
      await receiver.close();
    }
  });

  test('no answer (the attempt deadline), a refused connection, 3xx and 4xx all count as failures; 10 attempts at most', TEST, async () => {
    // A port with nothing listening: every attempt is refused.
    const probe = createServer();
    await new Promise((r) => probe.listen(0, '127.0.0.1', r));
    const dead = `http://127.0.0.1:${probe.address().port}/hook`;
    await new Promise((r) => probe.close(r));
    const redirecting = await startReceiver(() => 302);
    const missing = await startReceiver(() => 404);
    const refusing = await startReceiver(() => 400);
    // Takes each request and never answers: only the attempt deadline ends it (10 s by default;
    // the internal webhookTimeoutMs makes it 150 ms here).
    const held = [];
    const silent = createServer((req) => held.push(req));
    await new Promise((r) => silent.listen(0, '127.0.0.1', r));
    const silentUrl = `http://127.0.0.1:${silent.address().port}/hook`;
    const clink = await start({
      webhooks: [dead, redirecting.url, missing.url, refusing.url, silentUrl], webhookRetryBaseMs: 1, webhookTimeoutMs: 150,
    });
    try {
      const s = await createSession(clink);
      await api(clink, 'POST', `/api/test/session/${s.sessionId}/expire`, { body: {} });
      let deliveries;
      const until = Date.now() + 40_000;
      do {
        await new Promise((r) => setTimeout(r, 100));
        deliveries = (await api(clink, 'GET', '/api/webhook/deliveries?type=session.expired')).json.data.items;
      } while (deliveries.some((d) => d.status === 'pending') && Date.now() < until);
      assert.equal(deliveries.length, 5);
      for (const d of deliveries) {
        assert.equal(d.status, 'failed', `${d.url}: ${JSON.stringify(d.attempts.map((a) => a.statusCode ?? a.error))}`);
        assert.equal(d.attempts.length, 10);
      }
      const byUrl = (url) => deliveries.find((d) => d.url === url);
      assert.match(byUrl(dead).attempts[0].error, /ECONNREFUSED/);
      assert.deepEqual(byUrl(redirecting.url).attempts.map((a) => a.statusCode), Array(10).fill(302));
      assert.deepEqual(byUrl(missing.url).attempts.map((a) => a.statusCode), Array(10).fill(404));
      assert.deepEqual(byUrl(refusing.url).attempts.map((a) => a.statusCode), Array(10).fill(400));
      for (const a of byUrl(silentUrl).attempts) {
        assert.equal(a.statusCode, null);
        assert.match(a.error, /no answer within 150 ms/);
      }
      assert.equal(held.length, 10, 'the silent endpoint got every attempt');
      assert.equal(redirecting.received.length, 10);
      assert.equal(missing.received.length, 10);
      assert.equal(refusing.received.length, 10);
    } finally {
      await clink.close();
      await Promise.all([redirecting.close(), missing.close(), refusing.close()]);
      silent.closeAllConnections();
      await new Promise((r) => silent.close(r));
    }
  });

  test('endpoints can be added at runtime (addWebhook and REST); bad URLs are refused', TEST, async () => {
    const r1 = await startReceiver();
    const r2 = await startReceiver();
    const clink = await start();
    try {
      clink.addWebhook(r1.url);
      assert.throws(() => clink.addWebhook('not a url'), /http\(s\) URL/);
      const add = await api(clink, 'POST', '/api/webhook/endpoints', { body: { url: r2.url } });
      assert.equal(add.status, 200);
      assert.equal((await api(clink, 'POST', '/api/webhook/endpoints', { body: { url: 'ftp://x' } })).status, 400);
      assert.equal((await api(clink, 'POST', '/api/webhook/endpoints', { body: {} })).status, 400);
      // Credentials (user-info) in the URL: refused at registration, whatever their escapes.
      for (const url of ['http://u:%zz@127.0.0.1:9/hook', 'http://user:pass@127.0.0.1:9/hook', 'https://token@example.com/hook']) {
        const refused = await api(clink, 'POST', '/api/webhook/endpoints', { body: { url } });
        assert.equal(refused.status, 400, url);
        assert.match(refused.json.msg, /^url must not carry credentials/);
        assert.throws(() => clink.addWebhook(url), /must not carry credentials/);
      }
      const list = await api(clink, 'GET', '/api/webhook/endpoints');
      assert.deepEqual(list.json.data.items.map((e) => e.url), [r1.url, r2.url]);
      const s = await createSession(clink);
      await api(clink, 'POST', `/api/test/session/${s.sessionId}/expire`, { body: {} });
      await r1.waitFor((rs) => rs.length === 1);
      await r2.waitFor((rs) => rs.length === 1);
      assert.equal(r1.received[0].body, r2.received[0].body);
    } finally {
      await clink.close();
      await r1.close();
      await r2.close();
    }
  });

  test('close() with retries pending and a receiver that never answers resolves promptly and sends nothing more', TEST, async () => {
    const failing = await startReceiver(() => 503);
    // A receiver that accepts the request and never answers (held until the test ends).
    const held = [];
    const silent = createServer((req) => held.push(req));
    await new Promise((r) => silent.listen(0, '127.0.0.1', r));
    const clink = await start({
      webhooks: [failing.url, `http://127.0.0.1:${silent.address().port}/hook`],
      webhookRetryBaseMs: 60_000,
    });
    try {
      const s = await createSession(clink);
      await api(clink, 'POST', `/api/test/session/${s.sessionId}/expire`, { body: {} });
      await failing.waitFor((rs) => rs.length === 1);
      await new Promise((r) => setTimeout(r, 100));
      const closed = clink.close();
      // close() must settle on its own: no timer or socket keeps it open (node:test's timeout is the bound).
      await closed;
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(failing.received.length, 1);
    } finally {
      await failing.close();
      silent.closeAllConnections();
      await new Promise((r) => silent.close(r));
    }
  });
});
