// docs/embedded-checkout.md, "Apple Pay, Google Pay and passkeys inside the iframe": the iframe's
// allow attribute is the documented one, and inside the checkout frame the browser grants `payment`
// and `publickey-credentials-get`, also under the docs' Permissions-Policy header; a header that
// leaves the checkout origin out takes `payment` away whatever the attribute says (the docs' warning).
// Chromium's document.featurePolicy reports what the frame is allowed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { harness, createEmbedded, mountIn, waitEvent, checkoutFrame, PAGES_DIR } from '../support/servers.mjs';
import { docBlock } from '../support/doc-blocks.mjs';
import { startShop } from './fight-shop.mjs';

const h = await harness();
const DOC = 'docs/embedded-checkout.md';
const FEATURES = ['payment', 'publickey-credentials-get'];

/** What the checkout frame may use, on the merchant page `path` of `shop`. */
async function allowedInFrame(page, shop, path) {
  const co = h.servers.checkoutOrigin;
  await page.goto(shop.origin + path);
  await page.waitForFunction(() => window.sdk);
  await createEmbedded(page, 'a', { base: co, checkoutUrl: `${co}/pay/sess_a`, sessionId: 'sess_a' });
  assert.equal((await mountIn(page, 'a', '#clink-checkout')).threw, false);
  await waitEvent(page, 'a', 'ready');
  const frame = await checkoutFrame(page, '#clink-checkout');
  const allowed = await frame.evaluate((features) => Object.fromEntries(features.map((f) => [f, document.featurePolicy.allowsFeature(f)])), FEATURES);
  const attribute = await page.$eval('#clink-checkout iframe', (f) => f.getAttribute('allow'));
  return { allowed, attribute };
}

test('wallets: the frame may use payment and publickey-credentials-get: with no header, under the docs\' Permissions-Policy, and not when a header leaves the checkout out', { timeout: 60000 }, () =>
  h.withPage('/blank.html', { waitFor: false }, async ({ page }) => {
    const co = h.servers.checkoutOrigin;
    const sdkPage = readFileSync(join(PAGES_DIR, 'sdk.html'), 'utf8');
    const documented = docBlock(DOC, 'permissions-policy').code.trim();
    const [name, value] = documented.split(/:\s(.+)/);
    assert.equal(name, 'Permissions-Policy');
    const shop = await startShop(h.servers.merchantOrigin, {
      '/plain.html': { body: sdkPage },
      '/documented.html': { body: sdkPage, headers: { 'permissions-policy': value.replaceAll('https://checkout.clinkbill.com', co) } },
      '/self-only.html': { body: sdkPage, headers: { 'permissions-policy': 'payment=(self), publickey-credentials-get=(self)' } },
    });
    try {
      const plain = await allowedInFrame(page, shop, '/plain.html');
      assert.equal(`allow="${plain.attribute}"`, docBlock(DOC, 'iframe-allow').code.trim(), 'the attribute the docs show');
      assert.deepEqual(plain.allowed, { payment: true, 'publickey-credentials-get': true }, 'no header: the attribute delegates both');
      assert.deepEqual((await allowedInFrame(page, shop, '/documented.html')).allowed, { payment: true, 'publickey-credentials-get': true }, 'the docs\' header keeps both');
      assert.deepEqual((await allowedInFrame(page, shop, '/self-only.html')).allowed, { payment: false, 'publickey-credentials-get': false }, 'a header without the checkout origin takes them away');
    } finally {
      await shop.close();
    }
  }));
