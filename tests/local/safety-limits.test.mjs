// What the local Clink keeps and for how long (docs/local-clink.md, "Limits and safety"): paginated
// lists, eviction that expires an open session (with its webhook) before dropping it, the limits
// in the inspector's data, a delivery abandoned when the server stops, and the inspector's
// loopback rule.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { WWW, api, createSession, installedClink, startReceiver } from './support.mjs';

const TEST = { timeout: 90_000 };

async function start(options) {
  const { startClink } = (await installedClink()).module;
  return startClink({ port: 0, ...options });
}

/** Every item of a list, page by page (limit per page); also answers the pages' sizes. */
async function walk(clink, path, limit) {
  const items = [];
  const sizes = [];
  let after = null;
  for (;;) {
    const sep = path.includes('?') ? '&' : '?';
    const r = await api(clink, 'GET', `${path}${sep}limit=${limit}${after ? `&startingAfter=${encodeURIComponent(after)}` : ''}`);
    assert.equal(r.status, 200, r.text);
    items.push(...r.json.data.items);
    sizes.push(r.json.data.items.length);
    if (!r.json.data.hasMore) return { items, sizes };
    after = r.json.data.items.at(-1).id ?? r.json.data.items.at(-1).deliveryId;
  }
}

describe('lists are paginated', () => {
  test('?limit= (default 50, at most 100) and ?startingAfter=, with hasMore; bad values are 400 naming them', TEST, async () => {
    const receiver = await startReceiver();
    const clink = await start({ webhooks: [receiver.url] });
    try {
      for (let i = 0; i < 60; i += 1) {
        const s = await createSession(clink);
        await api(clink, 'POST', `/api/test/session/${s.sessionId}/expire`, { body: {} });
      }
      const first = await api(clink, 'GET', '/api/webhook/events');
      assert.equal(first.json.data.items.length, 50, 'default page size 50');
      assert.equal(first.json.data.hasMore, true);
      const all = await api(clink, 'GET', '/api/webhook/events?limit=100');
      assert.equal(all.json.data.items.length, 60);
      assert.equal(all.json.data.hasMore, false);
      const paged = await walk(clink, '/api/webhook/events', 25);
      assert.deepEqual(paged.sizes, [25, 25, 10]);
      assert.deepEqual(paged.items.map((e) => e.id), all.json.data.items.map((e) => e.id), 'the pages are the list, in order, once each');
      const deliveries = await walk(clink, '/api/webhook/deliveries', 7);
      assert.equal(deliveries.items.length, 60);
      assert.equal(new Set(deliveries.items.map((d) => d.deliveryId)).size, 60);
      const ofType = await api(clink, 'GET', '/api/webhook/deliveries?type=session.expired&limit=100');
      assert.equal(ofType.json.data.items.length, 60);
      assert.equal((await api(clink, 'GET', '/api/webhook/endpoints?limit=1')).json.data.items.length, 1);

      for (const query of ['limit=0', 'limit=101', 'limit=abc', 'limit=-1', 'limit=1.5']) {
        const r = await api(clink, 'GET', `/api/webhook/events?${query}`);
        assert.equal(r.status, 400, query);
        assert.match(r.json.msg, /^limit must be a whole number from 1 to 100/);
      }
      const unknown = await api(clink, 'GET', '/api/webhook/deliveries?startingAfter=whd_nope');
      assert.equal(unknown.status, 400);
      assert.match(unknown.json.msg, /^startingAfter "whd_nope" is not in this list/);
    } finally {
      await clink.close();
      await receiver.close();
    }
  });
});

describe('limits', () => {
  test('past the session cap an ended session goes first; an open one is expired (session.expired) before it goes', TEST, async () => {
    const receiver = await startReceiver();
    // maxSessions is an internal option (10,000 by default) so that the test need not create 10,001.
    const clink = await start({ webhooks: [receiver.url], maxSessions: 3 });
    try {
      const a = await createSession(clink, { merchantReferenceId: 'a' });
      const b = await createSession(clink, { merchantReferenceId: 'b' });
      const c = await createSession(clink, { merchantReferenceId: 'c' });
      await api(clink, 'POST', `/api/test/session/${b.sessionId}/pay`, { body: {} });
      await receiver.waitFor((rs) => rs.some((r) => JSON.parse(r.body).type === 'session.completed'));
      const d = await createSession(clink, { merchantReferenceId: 'd' });
      const status = async (s) => (await api(clink, 'GET', `/api/checkout/session/${s.sessionId}`)).status;
      assert.equal(await status(b), 404, 'the completed session went first, though a is older');
      for (const s of [a, c, d]) assert.equal(await status(s), 200);
      const expired = () => receiver.events().filter((e) => e.type === 'session.expired');
      assert.equal(expired().length, 0, 'no open session was touched');

      // Now every kept session is open: the oldest is expired, with its webhook, then dropped.
      const e = await createSession(clink, { merchantReferenceId: 'e' });
      const [event] = (await receiver.waitFor(() => expired().length === 1), expired());
      assert.equal(event.data.sessionId, a.sessionId);
      assert.equal(event.data.status, 'expired');
      assert.equal(await status(a), 404);
      for (const s of [c, d, e]) assert.equal(await status(s), 200);

      const inspector = await fetch(`${clink.url}/inspector/data`);
      const { limits } = await inspector.json().then((j) => j.data ?? j);
      assert.deepEqual(
        { maxSessions: limits.maxSessions, evictedSessions: limits.evictedSessions, maxEvents: limits.maxEvents, maxDeliveries: limits.maxDeliveries },
        { maxSessions: 3, evictedSessions: 2, maxEvents: 5000, maxDeliveries: 5000 },
      );
      assert.equal(limits.maxBodyBytes, 1024 * 1024);
      assert.equal(limits.bodyTimeoutMs, 60_000);
      assert.equal(limits.listPageMax, 100);
    } finally {
      await clink.close();
      await receiver.close();
    }
  });

  test('a delivery waiting for its retry is abandoned when the server stops, and nothing more is sent', TEST, async () => {
    const receiver = await startReceiver(() => 503);
    const { createClink } = await import(pathToFileURL(join(WWW, 'lib', 'app.mjs')).href);
    const { checkClinkOptions } = await import(pathToFileURL(join(WWW, 'lib', 'options.mjs')).href);
    const { listen } = await import(pathToFileURL(join(WWW, 'lib', 'http.mjs')).href);
    const config = checkClinkOptions({ port: 0, webhooks: [receiver.url], webhookRetryBaseMs: 3_600_000 });
    const clink = createClink(config);
    await listen(clink.server, { port: 0, host: '127.0.0.1' });
    clink.setOrigin(clink.originOf('127.0.0.1'));
    const local = { url: clink.originOf('127.0.0.1'), secretKey: config.secretKey };
    try {
      const s = await createSession(local);
      await api(local, 'POST', `/api/test/session/${s.sessionId}/expire`, { body: {} });
      await receiver.waitFor((rs) => rs.length === 1);
      let pending;
      do {
        [pending] = (await api(local, 'GET', '/api/webhook/deliveries')).json.data.items;
      } while (pending.attempts[0]?.statusCode !== 503);
      assert.equal(pending.status, 'pending');
      assert.ok(pending.nextAttemptAt > Date.now(), 'a retry is scheduled');
    } finally {
      clink.store.close();
      clink.webhooks.close();
      clink.stopDeadlines();
      await new Promise((r) => {
        clink.server.close(r);
        clink.server.closeAllConnections();
      });
    }
    const [after] = clink.webhooks.deliveries();
    assert.equal(after.status, 'abandoned');
    assert.equal(after.nextAttemptAt, null);
    assert.equal(receiver.received.length, 1);
    await receiver.close();
  });
});

describe('the inspector answers loopback peers only', () => {
  const outside = Object.values(networkInterfaces()).flat().find((i) => i && !i.internal && i.family === 'IPv4');
  test('from a non-loopback address: inspector 403 (no keys), REST API still served', { ...TEST, skip: outside ? false : 'this machine has no non-loopback IPv4 address' }, async () => {
    const clink = await start({ host: outside.address, secretKey: 'sk_test_inspector_rule_1' });
    try {
      assert.equal(new URL(clink.url).hostname, outside.address);
      const page = await fetch(`${clink.url}/`);
      assert.equal(page.status, 403);
      const data = await fetch(`${clink.url}/inspector/data`);
      assert.equal(data.status, 403);
      const text = await data.text();
      assert.doesNotMatch(text, /sk_test_inspector_rule_1/);
      assert.match(JSON.parse(text).msg, /only requests from this machine \(loopback\)/);
      // The same peer may use the REST API with the key (the Host is the --host address).
      assert.equal((await api(clink, 'GET', '/api/webhook/events')).status, 200);
    } finally {
      await clink.close();
    }
  });

  test('from loopback: the inspector shows the keys and the limits', TEST, async () => {
    const clink = await start({ secretKey: 'sk_test_inspector_rule_2' });
    try {
      const data = await fetch(`${clink.url}/inspector/data`);
      assert.equal(data.status, 200);
      const body = await data.json();
      const d = body.data ?? body;
      assert.equal(d.keys.secretKey, 'sk_test_inspector_rule_2');
      assert.equal(d.limits.maxSessions, 10_000);
    } finally {
      await clink.close();
    }
  });
});
