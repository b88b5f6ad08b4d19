// A webhook delivery that fails in a way no endpoint can cause (the request cannot even be made)
// fails that attempt alone: the dispatcher's post never throws or rejects out, and no rejection
// escapes into the process (docs/local-clink.md, "Limits and safety").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { WWW } from './support.mjs';

test('http.request throwing as the request is made: each attempt fails with its error, no unhandled rejection', { timeout: 30_000 }, async () => {
  const { WebhookDispatcher } = await import(pathToFileURL(join(WWW, 'lib', 'webhooks.mjs')).href);
  const escaped = [];
  const onRejection = (err) => escaped.push(err);
  process.on('unhandledRejection', onRejection);
  const original = http.request;
  // Every module's `import { request } from 'node:http'` now sees this one (the live binding).
  http.request = () => {
    throw new TypeError('boom: this request cannot be made');
  };
  syncBuiltinESMExports();
  const dispatcher = new WebhookDispatcher({ secret: 'whsec_safety_0001', retryBaseMs: 1 });
  try {
    dispatcher.addEndpoint('http://127.0.0.1:9/hook');
    dispatcher.publish('session.expired', { sessionId: 'sess_x' });
    let delivery;
    do {
      await new Promise((r) => setTimeout(r, 20));
      [delivery] = dispatcher.deliveries();
    } while (delivery.status === 'pending');
    await new Promise((r) => setImmediate(r));
    assert.equal(delivery.status, 'failed');
    assert.equal(delivery.attempts.length, 10);
    for (const a of delivery.attempts) assert.match(a.error, /^request could not be sent: boom/);
    assert.deepEqual(escaped, []);
  } finally {
    http.request = original;
    syncBuiltinESMExports();
    dispatcher.close();
    process.off('unhandledRejection', onRejection);
  }
});
