// docs/integration-guide.md runs as written: its blocks are saved under their names in a scratch
// project (the packages resolved as npm installs them), its test recipe passes with node --test
// against a real local Clink, and its shop's webhook route refuses what it must (a forged
// signature, a stale timestamp, a replayed event id applies once).
//
//   node --test tests/docs/integration.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { docBlock } from '../support/doc-blocks.mjs';
import { run, scratchProject } from './support.mjs';

describe('docs/integration-guide.md', () => {
  let scratch;

  before(() => {
    scratch = scratchProject('guide-');
    writeFileSync(join(scratch.dir, 'shop.mjs'), docBlock('docs/integration-guide.md', 'shop.mjs').code);
    writeFileSync(join(scratch.dir, 'checkout.test.mjs'), docBlock('docs/integration-guide.md', 'checkout.test.mjs').code);
  });
  after(() => scratch?.cleanup());

  test('its test recipe (checkout.test.mjs) passes with node --test against a real local Clink', { timeout: 90_000 }, async () => {
    // Without NODE_TEST_CONTEXT, which would make the inner runner report to this one instead of printing TAP.
    const { NODE_TEST_CONTEXT, ...env } = process.env;
    const { stdout } = await run(process.execPath, ['--test', 'checkout.test.mjs'], { cwd: scratch.dir, env, timeout: 80_000 })
      .catch((error) => { throw new Error(`the guide's test recipe failed:\n${error.stdout}\n${error.stderr}`); });
    assert.match(stdout, /^# pass 1$/m);
    assert.match(stdout, /^# fail 0$/m);
  });

  test("its shop's webhook route: a forged or stale delivery is refused (400); an event delivered twice applies once", { timeout: 60_000 }, async (t) => {
    const { startClink } = await import('@clink-ai/clink-local');
    const { signWebhookForTest } = await import('@clink-ai/clink-typescript-sdk');
    const { startShop } = await import(pathToFileURL(join(scratch.dir, 'shop.mjs')).href);
    const webhookSecret = 'whsec_guide_test';
    const clink = await startClink({ port: 0, quiet: true, webhookSecret });
    t.after(() => clink.close());
    const paidCalls = [];
    const shop = await startShop({ apiKey: clink.secretKey, baseUrl: clink.url, webhookSecret, port: 0, onPaid: (id) => paidCalls.push(id) });
    t.after(() => shop.close());
    const session = await shop.checkout('order-9', 1200);
    const body = JSON.stringify({ id: 'evt_guide_1', type: 'session.completed', createdAt: Date.now(), data: { sessionId: session.sessionId, merchantReferenceId: 'order-9' } });
    const post = (headers) => fetch(`${shop.url}/webhooks/clink`, { method: 'POST', headers, body });

    assert.equal((await post(await signWebhookForTest({ body, secret: 'whsec_someone_else' }))).status, 400, 'another secret');
    assert.equal((await post(await signWebhookForTest({ body, secret: webhookSecret, timestamp: Date.now() - 10 * 60_000 }))).status, 400, 'ten minutes old');
    assert.equal(shop.orders.get('order-9').status, 'awaiting_payment', 'nothing applied from refused deliveries');

    const signed = await signWebhookForTest({ body, secret: webhookSecret });
    assert.equal((await post(signed)).status, 200);
    assert.equal((await post(signed)).status, 200, 'a second delivery is answered 200 (so Clink stops retrying)');
    assert.equal(shop.orders.get('order-9').status, 'paid');
    assert.deepEqual(paidCalls, ['order-9'], 'applied once');
    assert.equal((await fetch(`${shop.url}/webhooks/clink`)).status, 404, 'GET is not the webhook route');
  });
});
