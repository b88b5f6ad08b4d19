// The merchant demo's webhook receiver and order records, alone (no local Clink, no browser).
//
//   node --test tests/demo/receiver-unit.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import {
  createWebhookReceiver, signWebhook, verifyWebhook, WEBHOOK_TOLERANCE_MS,
} from '../../www/demo/lib/webhooks.mjs';
import { OrderBook, orderAfter } from '../../www/demo/lib/orders.mjs';
import { renderReturnPage, returnPageView } from '../../www/demo/lib/pages.mjs';

const SECRET = 'whsec_unit_test_secret';
const NOW = 1_800_000_000_000;

/** Signs the way the spec says Clink does, written out independently of signWebhook(). */
function clinkSign(secret, timestamp, body) {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}

function event(type, data, id = `evt_${Math.random().toString(36).slice(2)}`) {
  return { id, type, createdAt: NOW, data };
}

describe('verifyWebhook (pure)', () => {
  const body = JSON.stringify(event('session.completed', { sessionId: 'sess_1', merchantReferenceId: 'DS-1' }, 'evt_1'));
  const ts = String(NOW - 1000);
  const good = { rawBody: Buffer.from(body), timestamp: ts, signature: clinkSign(SECRET, ts, body), secret: SECRET, now: NOW };

  test('a correctly signed, fresh event is accepted and parsed', () => {
    const v = verifyWebhook(good);
    assert.equal(v.ok, true, v.reason);
    assert.equal(v.event.id, 'evt_1');
    assert.equal(v.event.type, 'session.completed');
    assert.equal(signWebhook(SECRET, ts, body), good.signature, 'signWebhook matches the spec formula');
  });

  test('the raw bytes are signed: the same JSON re-serialized differently does not verify', () => {
    const spaced = JSON.stringify(JSON.parse(body), null, 2);
    const v = verifyWebhook({ ...good, rawBody: Buffer.from(spaced) });
    assert.deepEqual(v, { ok: false, reason: 'signature does not match' });
  });

  test('a tampered body is refused', () => {
    const tampered = body.replace('sess_1', 'sess_2');
    assert.equal(verifyWebhook({ ...good, rawBody: Buffer.from(tampered) }).ok, false);
    // one flipped byte anywhere
    const bytes = Buffer.from(body);
    bytes[bytes.length - 2] ^= 1;
    assert.equal(verifyWebhook({ ...good, rawBody: bytes }).ok, false);
  });

  test('a signature made with another secret, of another length, upper-case, or not hex is refused', () => {
    for (const signature of [
      clinkSign('whsec_other', ts, body),
      good.signature.slice(0, 63),
      `${good.signature}00`,
      good.signature.toUpperCase(),
      'z'.repeat(64),
      `sha256=${good.signature}`,
      ' ',
    ]) {
      const v = verifyWebhook({ ...good, signature });
      assert.equal(v.ok, false, signature);
      assert.match(v.reason, /signature/, signature);
    }
  });

  test('missing headers are refused and named', () => {
    assert.match(verifyWebhook({ ...good, timestamp: undefined }).reason, /missing X-Clink-Timestamp/);
    assert.match(verifyWebhook({ ...good, signature: undefined }).reason, /missing X-Clink-Signature/);
    assert.match(verifyWebhook({ ...good, signature: '' }).reason, /missing X-Clink-Signature/);
  });

  test('a malformed timestamp is refused even when the signature covers it', () => {
    for (const t of ['1.5e12', '-1000', 'abc', '12345678901234567', ` ${ts}`, '0x10']) {
      const v = verifyWebhook({ ...good, timestamp: t, signature: clinkSign(SECRET, t, body) });
      assert.equal(v.ok, false, t);
      assert.match(v.reason, /timestamp/, t);
    }
  });

  test('a timestamp 6 minutes old is refused; 4 minutes old passes; the edge is the tolerance', () => {
    const at = (ms) => {
      const t = String(ms);
      return verifyWebhook({ ...good, timestamp: t, signature: clinkSign(SECRET, t, body) });
    };
    const stale = at(NOW - 6 * 60_000);
    assert.equal(stale.ok, false);
    assert.match(stale.reason, /360 s old/);
    assert.equal(at(NOW - 4 * 60_000).ok, true);
    assert.equal(at(NOW - WEBHOOK_TOLERANCE_MS).ok, true);
    assert.equal(at(NOW - WEBHOOK_TOLERANCE_MS - 1).ok, false);
  });

  test('a timestamp beyond the tolerance in the future is refused', () => {
    const t = String(NOW + 6 * 60_000);
    const v = verifyWebhook({ ...good, timestamp: t, signature: clinkSign(SECRET, t, body) });
    assert.equal(v.ok, false);
    assert.match(v.reason, /future/);
  });

  test('a re-signed old body with a fresh timestamp passes: the timestamp is what is checked, so dedupe by id matters', () => {
    const t = String(NOW);
    assert.equal(verifyWebhook({ ...good, timestamp: t, signature: clinkSign(SECRET, t, body) }).ok, true);
  });

  test('signed but malformed events are refused', () => {
    for (const [raw, why] of [
      ['not json', /not JSON/],
      ['[1,2]', /not a JSON object/],
      ['null', /not a JSON object/],
      ['{"type":"session.completed","data":{}}', /no id/],
      ['{"id":"evt_1","data":{}}', /no type/],
      ['{"id":"evt_1","type":"x","data":[]}', /no data/],
      ['{"id":"evt_1","type":"x"}', /no data/],
    ]) {
      const v = verifyWebhook({ ...good, rawBody: Buffer.from(raw), signature: clinkSign(SECRET, ts, raw) });
      assert.equal(v.ok, false, raw);
      assert.match(v.reason, why, raw);
    }
  });

  test('non-ASCII bodies are verified byte for byte', () => {
    const raw = JSON.stringify(event('order.updated', { note: 'Grüße 🎉' }, 'evt_u'));
    const v = verifyWebhook({ ...good, rawBody: Buffer.from(raw, 'utf8'), signature: clinkSign(SECRET, ts, raw) });
    assert.equal(v.ok, true, v.reason);
    assert.equal(v.event.data.note, 'Grüße 🎉');
  });
});

describe('orderAfter and OrderBook (pure rules, records)', () => {
  test('session.completed pays; session.expired expires only an unpaid order; paid is final', () => {
    const book = new OrderBook({ now: () => NOW });
    const order = book.create({ product: 'Lamp', amount: 4900, currency: 'USD' });
    assert.match(order.id, /^DS-[0-9A-F]{12}$/);
    assert.equal(order.status, 'awaiting_payment');
    const paid = orderAfter(order, event('session.completed', { orderId: 'ord_9' }), NOW);
    assert.equal(paid.status, 'paid');
    assert.equal(paid.clinkOrderId, 'ord_9');
    assert.equal(orderAfter(paid, event('session.expired', {}), NOW).status, 'paid', 'a late expiry does not undo a payment');
    assert.equal(orderAfter(order, event('session.expired', {}), NOW).status, 'expired');
    const declined = orderAfter(order, event('order.updated', { orderId: 'ord_9', status: 'failed' }), NOW);
    assert.equal(declined.status, 'awaiting_payment', 'an order event never pays the shop order');
    assert.equal(declined.clinkOrderStatus, 'failed');
    assert.equal(order.status, 'awaiting_payment', 'orderAfter does not mutate');
  });

  test('events are matched by merchantReferenceId, then sessionId, then Clink order id; unknown ones are not applied', () => {
    const book = new OrderBook({ now: () => NOW });
    const a = book.create({ product: 'Lamp', amount: 1, currency: 'USD' });
    const b = book.create({ product: 'Lamp', amount: 1, currency: 'USD' });
    book.attachSession(b.id, 'sess_b');
    assert.equal(book.applyEvent(event('order.created', { sessionId: 'sess_b', orderId: 'ord_b', status: 'pending' })).orderId, b.id);
    assert.equal(book.applyEvent(event('order.updated', { orderId: 'ord_b', status: 'paid' })).orderId, b.id);
    assert.equal(book.applyEvent(event('session.completed', { merchantReferenceId: a.id, sessionId: 'sess_a' })).orderId, a.id);
    assert.equal(book.get(a.id).status, 'paid');
    assert.equal(book.get(b.id).status, 'awaiting_payment');
    assert.deepEqual(book.applyEvent(event('session.completed', { merchantReferenceId: 'DS-NOPE', sessionId: 'sess_x' })), { outcome: 'unmatched' });
    assert.equal(book.bySession('sess_b').id, b.id);
    assert.equal(book.get('nope'), null);
    assert.equal(book.get(undefined), null);
  });

  test('a replayed event id is not applied twice', () => {
    const book = new OrderBook({ now: () => NOW });
    const o = book.create({ product: 'Lamp', amount: 1, currency: 'USD' });
    const e = event('session.expired', { merchantReferenceId: o.id }, 'evt_same');
    assert.equal(book.applyEvent(e).outcome, 'applied');
    assert.equal(book.applyEvent(e).outcome, 'duplicate');
    assert.equal(book.applyEvent({ ...e, type: 'session.completed' }).outcome, 'duplicate', 'same id, other content: still a duplicate');
    assert.equal(book.get(o.id).status, 'expired');
    assert.equal(book.get(o.id).events.length, 1);
  });
});

describe('return page wording comes from the record only', () => {
  const base = { id: 'DS-1', product: 'Lamp', amount: 4900, currency: 'USD', sessionId: 'sess_1', events: [] };

  test('success URL with an unpaid order says "Waiting for confirmation" and refreshes; never "paid"', () => {
    const { html } = renderReturnPage({ order: { ...base, status: 'awaiting_payment' }, kind: 'success', refreshes: 0, sessionIdInUrl: 'sess_1' });
    assert.match(html, /Waiting for confirmation/);
    assert.match(html, /http-equiv="refresh"/);
    assert.doesNotMatch(html, /is paid/);
    assert.match(html, /data-status="awaiting_payment"/);
  });

  test('after many refreshes it stops refreshing and says what to check', () => {
    const { html } = renderReturnPage({ order: { ...base, status: 'awaiting_payment' }, kind: 'success', refreshes: 1000, sessionIdInUrl: null });
    assert.doesNotMatch(html, /http-equiv="refresh"/);
    assert.match(html, /No webhook has arrived yet/);
  });

  test('paid says paid on either return page, and names the confirming event', () => {
    const paid = { ...base, status: 'paid', events: [{ id: 'evt_9', type: 'session.completed', receivedAt: NOW }] };
    for (const kind of ['success', 'cancel']) {
      const { html } = renderReturnPage({ order: paid, kind, refreshes: 0, sessionIdInUrl: null });
      assert.match(html, /your order is paid/);
      assert.match(html, /evt_9/);
      assert.doesNotMatch(html, /http-equiv="refresh"/);
    }
  });

  test('cancel with an unpaid order says cancelled, expired says expired, neither refreshes', () => {
    assert.equal(returnPageView({ ...base, status: 'awaiting_payment' }, 'cancel').tone, 'cancelled');
    assert.equal(returnPageView({ ...base, status: 'expired' }, 'success').tone, 'expired');
    assert.equal(returnPageView({ ...base, status: 'expired' }, 'cancel').refresh, false);
  });

  test('record fields are escaped', () => {
    const { html } = renderReturnPage({ order: { ...base, status: 'awaiting_payment', product: '<img src=x>' }, kind: 'success', refreshes: 0, sessionIdInUrl: '"><script>' });
    assert.doesNotMatch(html, /<img src=x>|"><script>/);
  });
});

describe('createWebhookReceiver over HTTP', () => {
  let server;
  let url;
  let book;
  let order;
  before(async () => {
    book = new OrderBook();
    order = book.create({ product: 'Lamp', amount: 4900, currency: 'USD' });
    server = createServer(createWebhookReceiver({ secret: () => SECRET, orders: book }));
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${server.address().port}/`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  function post(body, { timestamp = String(Date.now()), signature, headers = {} } = {}) {
    return fetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json', 'X-Clink-Timestamp': timestamp,
        'X-Clink-Signature': signature ?? clinkSign(SECRET, timestamp, body), ...headers,
      },
      body,
      signal: AbortSignal.timeout(5000),
    });
  }

  test('valid → 200 applied; replay → 200 duplicate; tampered, stale, bad signature → 400', async () => {
    const body = JSON.stringify(event('session.completed', { merchantReferenceId: order.id, orderId: 'ord_1' }, 'evt_http_1'));
    const tampered = await post(body.replace('ord_1', 'ord_2'), { signature: clinkSign(SECRET, String(Date.now()), body) });
    assert.equal(tampered.status, 400);
    assert.match((await tampered.json()).msg, /signature/);
    const staleTs = String(Date.now() - 6 * 60_000);
    const stale = await post(body, { timestamp: staleTs });
    assert.equal(stale.status, 400);
    assert.match((await stale.json()).msg, /old/);
    const bad = await post(body, { signature: '0'.repeat(64) });
    assert.equal(bad.status, 400);
    assert.equal(book.get(order.id).status, 'awaiting_payment', 'nothing refused changed the order');

    const ok = await post(body);
    assert.equal(ok.status, 200);
    assert.equal((await ok.json()).data.outcome, 'applied');
    assert.equal(book.get(order.id).status, 'paid');
    const replay = await post(body);
    assert.equal(replay.status, 200);
    assert.equal((await replay.json()).data.outcome, 'duplicate');
    assert.equal(book.get(order.id).events.length, 1);
  });

  test('a body over 1 MB is refused with 413', async () => {
    const huge = JSON.stringify({ id: 'evt_big', type: 'x', data: { pad: 'x'.repeat(1024 * 1024) } });
    const res = await post(huge);
    assert.equal(res.status, 413);
  });
});
