// docs/frameworks.md's plain-HTML <clink-checkout> page runs in Chromium exactly as written (its
// import map resolves the bare specifier to the package's folder), beside a real local Clink:
// the element posts to its session endpoint, shows the hosted checkout, takes the test card, and
// the page's own clink:complete listener logs the outcome.
//
//   node --test tests/docs/element.test.mjs        (needs pkg/: bash scripts/build.sh)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { docBlock } from '../support/doc-blocks.mjs';
import { launchBrowser } from '../support/browser.mjs';
import { requirePkg, routeClinkHosts, startDocShop, watchProblems } from './support.mjs';

test('docs/frameworks.md element.html: as written, the element checks out with 4242 and the page hears clink:complete', { timeout: 120_000 }, async (t) => {
  requirePkg();
  const page = docBlock('docs/frameworks.md', 'element.html').code;
  assert.match(page, /<script type="importmap">/, 'the page carries its import map');
  const { startClink } = await import('@clink-ai/clink-local');
  const clink = await startClink({ port: 0, quiet: true });
  t.after(() => clink.close());
  const shop = await startDocShop({ clink, page });
  t.after(() => shop.close());
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const context = await browser.newContext();
  // The example names Clink's sandbox (checkout-environment="sandbox"): its bootstrap host answers
  // from the local Clink here, as the sandbox would.
  await routeClinkHosts(context, clink);
  const tab = await context.newPage();
  const problems = watchProblems(tab);
  const finished = tab.waitForEvent('console', { predicate: (m) => m.text().startsWith('checkout finished:'), timeout: 60_000 });
  await tab.goto(shop.url);
  const frame = tab.frameLocator('clink-checkout iframe');
  await frame.locator('input[name="card"]').fill('4242 4242 4242 4242');
  await frame.locator('#pay-button').click();
  assert.equal((await finished).text(), 'checkout finished: success', "the page's clink:complete listener");
  await tab.waitForFunction(() => !document.querySelector('clink-checkout iframe'), null, { timeout: 30_000 });
  assert.deepEqual(problems, []);
});
