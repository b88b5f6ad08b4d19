// The server SDK in a real Chromium page: ClinkPayClient refuses to be constructed there (a
// secret key must never ship to a browser), while verifyWebhook and signWebhookForTest run on the
// page's Web Crypto, as in any runtime without Node's built-ins, and agree with Node's.
// Run: node --test tests/server/browser.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { join, normalize, sep } from 'node:path';
import { signWebhookForTest, verifyWebhook } from '@clink-ai/clink-typescript-sdk';
import { launchBrowser } from '../support/browser.mjs';
import { SERVER_DIR } from './support.mjs';

let server;
let browser;
let page;

before(async () => {
  // The package's ESM files as they ship, and an empty page, on one origin.
  server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (path === '/') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>shop</title>');
    const file = normalize(join(SERVER_DIR, path));
    if (!file.startsWith(SERVER_DIR + sep) || !file.endsWith('.mjs')) return void res.writeHead(404).end();
    try {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(file));
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  browser = await launchBrowser();
  page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
});

after(async () => {
  await browser?.close();
  await new Promise((r) => (server ? server.close(r) : r()));
});

test('in a browser page: new ClinkPayClient is refused with what to do instead', async () => {
  const message = await page.evaluate(async () => {
    const { ClinkPayClient } = await import('/index.mjs');
    try {
      new ClinkPayClient({ apiKey: 'sk_test_leaked', env: 'sandbox' });
      return 'constructed';
    } catch (error) {
      return error.message;
    }
  });
  assert.match(message, /runs on your server only.*must never ship to a browser.*@clink-ai\/clink-js with your publishable key/);
});

test('in a browser page: verifyWebhook accepts what Node signed and refuses a tampered body; the page\'s signature equals Node\'s', async () => {
  const secret = 'whsec_browser_000000000';
  const body = JSON.stringify({ id: 'evt_b', type: 'invoice.updated', createdAt: Date.now(), data: { invoiceId: 'inv_1', status: 'paid' } });
  const headers = await signWebhookForTest({ body, secret });
  const result = await page.evaluate(async ({ body, headers, secret }) => {
    const { verifyWebhook, signWebhookForTest } = await import('/index.mjs');
    const event = await verifyWebhook({ body, headers: new Headers(headers), secret });
    const tampered = await verifyWebhook({ body: body.replace('paid', 'void'), headers, secret }).then(() => 'accepted', (e) => e.reason);
    const signed = await signWebhookForTest({ body, secret, timestamp: Number(headers['X-Clink-Timestamp']) });
    return { id: event.id, tampered, signature: signed['X-Clink-Signature'], hasProcess: typeof process };
  }, { body, headers, secret });
  assert.deepEqual(result, { id: 'evt_b', tampered: 'signature_mismatch', signature: headers['X-Clink-Signature'], hasProcess: 'undefined' });
  assert.equal((await verifyWebhook({ body, headers, secret })).id, 'evt_b');
});
