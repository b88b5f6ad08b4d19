// CLINK_ENV from a bundler (README "loadClink": `process.env.CLINK_ENV`, written literally so
// that bundlers can replace it): an app bundled by esbuild with
// `define: { 'process.env.CLINK_ENV': '"production"' }` picks the production bootstrap host in
// the browser, where there is no `process`; without the define it falls back to the key's
// environment. Neither throws on the way (a thrown ReferenceError costs the first loadClink
// milliseconds: BENCHMARKS.md).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { launchBrowser } from '../support/browser.mjs';
import { PKG_DIR, assertPkgBuilt, newPage, startServer, tempDir } from './support.mjs';

const ctx = {};

const APP = `import { loadClink } from ${JSON.stringify(join(PKG_DIR, 'index.js'))};
const requested = [];
const fetchImpl = async (url) => {
  requested.push(String(url));
  return new Response(JSON.stringify({ code: 200, msg: 'success', data: { checkoutBaseUrl: 'https://checkout.example' } }), { status: 200 });
};
window.__result = loadClink('pk_test_env', { fetchImpl }).then(
  (clink) => ({ base: clink.checkoutBaseUrl, hosts: requested.map((u) => new URL(u).host) }),
  (e) => ({ error: e.code + ': ' + e.message }),
);
`;

before(async () => {
  assertPkgBuilt();
  ctx.dir = tempDir('clink-env-');
  writeFileSync(join(ctx.dir.dir, 'app.js'), APP);
  writeFileSync(join(ctx.dir.dir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>env</title><script type="module" src="/defined.js"></script>');
  writeFileSync(join(ctx.dir.dir, 'plain.html'), '<!doctype html><meta charset="utf-8"><title>env</title><script type="module" src="/plain.js"></script>');
  const common = { entryPoints: [join(ctx.dir.dir, 'app.js')], bundle: true, format: 'esm', platform: 'browser', logLevel: 'warning' };
  await build({ ...common, outfile: join(ctx.dir.dir, 'defined.js'), define: { 'process.env.CLINK_ENV': '"production"' } });
  await build({ ...common, outfile: join(ctx.dir.dir, 'plain.js') });
  ctx.server = await startServer({ mounts: { '/': ctx.dir.dir } });
  ctx.browser = await launchBrowser();
}, { timeout: 60000 });

after(async () => {
  await Promise.allSettled([ctx.browser?.close(), ctx.server?.close()]);
  ctx.dir?.cleanup();
});

for (const [page_, expected] of [
  ['index.html', { base: 'https://checkout.example', hosts: ['api.clinkbill.com'] }],
  ['plain.html', { base: 'https://checkout.example', hosts: ['uat-api.clinkbill.com'] }],
]) {
  test(`CLINK_ENV: ${page_ === 'index.html' ? "a bundler's define of process.env.CLINK_ENV is honoured in the browser" : 'no define and no process: the key decides'}`, { timeout: 60000 }, async () => {
    const { context, page, problems } = await newPage(ctx.browser);
    try {
      await page.goto(`${ctx.server.origin}/${page_}`);
      await page.waitForFunction(() => window.__result);
      assert.deepEqual(await page.evaluate(() => window.__result), expected);
      assert.deepEqual(problems.pageErrors, []);
    } finally {
      await context.close();
    }
  });
}
