// docs/embedded-checkout.md, "A checkout inside a native <dialog>": the recipe's own blocks
// (dialog-markup, dialog-checkout) as a page in Chromium, against the test servers' merchant
// endpoints and stub checkout: focus stays in the dialog, Escape closes it, and closing it during
// `pending` loses nothing (the checkout stays mounted and polling, the page says so, and the
// outcome is shown when it comes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness } from '../support/servers.mjs';
import { docBlock } from '../support/doc-blocks.mjs';
import { startShop, recipePage } from './fight-shop.mjs';

const h = await harness();
const DOC = 'docs/embedded-checkout.md';

test("dialog: the docs' recipe: focus stays inside, Escape closes, closing during pending keeps polling and shows the outcome; the next click starts a new session", { timeout: 60000 }, () =>
  h.withPage('/blank.html', { waitFor: false }, async ({ page, problems }) => {
    const { servers } = h;
    const markup = docBlock(DOC, 'dialog-markup').code;
    const { code } = docBlock(DOC, 'dialog-checkout');
    // One focusable element of the page's own besides the recipe's Pay button.
    const shop = await startShop(servers.merchantOrigin, { '/dialog': { body: recipePage('dialog-checkout', `<a id="outside" href="#top">outside</a>\n${markup}`, code) } });
    const count = (path) => servers.requests.filter((r) => r.path === path).length;
    try {
      await page.goto(shop.origin + '/dialog');
      // The recipe adds its click listener once loadClink resolved: click until the dialog opens.
      await page.waitForFunction(() => {
        document.getElementById('pay').click();
        return document.getElementById('checkout-dialog').open;
      }, null, { polling: 50, timeout: 10000 });
      const handle = await page.waitForSelector('#checkout-dialog #checkout-frame iframe', { state: 'attached' });
      const frame = await handle.contentFrame();
      await frame.waitForFunction(() => typeof window.send === 'function' && document.readyState === 'complete');
      assert.equal(count('/api/clink/checkout-session'), 1);

      // Focus: showModal focused the dialog's first control; Tab never leaves the dialog.
      const focused = () => page.evaluate(() => {
        const el = document.activeElement;
        return { id: el?.id || el?.tagName, inDialog: !!el && document.getElementById('checkout-dialog').contains(el) };
      });
      assert.deepEqual(await focused(), { id: 'close-checkout', inDialog: true });
      const seen = [];
      for (let i = 0; i < 8; i++) {
        await page.keyboard.press('Tab');
        seen.push(await focused());
      }
      assert.ok(seen.every((f) => f.inDialog || f.id === 'BODY'), `focus left the dialog: ${JSON.stringify(seen)}`);
      assert.ok(seen.some((f) => f.id === 'IFRAME'), `Tab reaches the checkout: ${JSON.stringify(seen)}`);

      // The buyer confirms: pending. A sentinel height: the checkout's earlier message was handled.
      await frame.evaluate(() => window.send('state_change', { state: 'pending' }));
      await frame.evaluate(() => window.send('resize', { height: 555 }));
      await page.waitForFunction(() => document.querySelector('#checkout-frame iframe')?.style.height === '555px');

      // Escape, from the page's part of the dialog: closed, still mounted, the page says so.
      await page.focus('#close-checkout');
      await page.keyboard.press('Escape');
      await page.waitForFunction(() => !document.getElementById('checkout-dialog').open);
      assert.equal(await page.textContent('#checkout-result'), 'Your payment is being processed; we will confirm it here.');
      assert.equal(await page.$$eval('#checkout-frame iframe', (f) => f.length), 1, 'still mounted');
      // Still polling after the dialog closed (the recipe's status route, every 2 s by default).
      const polled = count('/api/clink/checkout-status');
      const start = Date.now();
      while (count('/api/clink/checkout-status') === polled) {
        if (Date.now() - start > 10000) throw new Error('no pollStatus call after the dialog closed');
        await page.waitForTimeout(50);
      }
      // The payment succeeds while the dialog is closed: the outcome is shown, the frame is gone.
      servers.setMerchantStatus('success');
      await page.waitForFunction(() => document.getElementById('checkout-result').textContent === 'Paid. Thank you!', null, { timeout: 10000 });
      await page.waitForFunction(() => !document.querySelector('#checkout-frame iframe'));
      assert.equal(await page.evaluate(() => document.getElementById('checkout-dialog').open), false);

      // The next click: a new session in the dialog.
      servers.setMerchantStatus('pending');
      await page.click('#pay');
      await page.waitForSelector('#checkout-dialog #checkout-frame iframe', { state: 'attached' });
      assert.equal(count('/api/clink/checkout-session'), 2);
      assert.deepEqual(problems.pageErrors, []);
    } finally {
      await shop.close();
    }
  }));
