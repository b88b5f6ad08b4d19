// The README's quick start is a whole integration: this builds its app from the README's own
// blocks (server.mjs, index.html, checkout.js), installs the three packages from the tarballs the
// README's install command builds (npm run pack = scripts/pack.sh), starts the local Clink with
// the README's command line flags and the app with the README's environment, and pays in Chromium:
// the card typed into the hosted page inside the iframe, the page's thank-you after `complete`,
// and the app's log line from the verified session.completed webhook. Then the app's webhook route
// refuses a forged delivery, and a declined card leaves the checkout open for another attempt.
//
//   node --test tests/docs/quickstart.test.mjs        (needs pkg/: bash scripts/build.sh)
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { docBlock } from '../support/doc-blocks.mjs';
import { launchBrowser } from '../support/browser.mjs';
import { ROOT, requirePkg, run, scratchProject, watchProblems } from './support.mjs';

const STEP = 30_000;

/** Starts `node args` in cwd; resolves { child, lines, waitFor(regex) } once `ready` printed. */
function startNode(args, { cwd, env, ready }) {
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = [];
  const waiters = [];
  const onLine = (line) => {
    lines.push(line);
    for (const w of [...waiters]) if (w.regex.test(line)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(line); }
  };
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream.on('data', (chunk) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop();
      parts.forEach(onLine);
    });
  }
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = (regex) => {
    const found = lines.find((l) => regex.test(l));
    if (found) return Promise.resolve(found);
    return Promise.race([
      new Promise((resolve) => waiters.push({ regex, resolve })),
      exited.then((code) => { throw new Error(`node ${args.join(' ')} exited (${code}) before printing ${regex}:\n${lines.join('\n')}`); }),
    ]);
  };
  return waitFor(ready).then(() => ({ child, lines, waitFor, stop: () => { child.kill(); return exited; } }));
}

/** The README's command line for a block: the words after `npx @clink-ai/clink-local`. */
function readmeClinkFlags() {
  const bash = docBlock('README.md', 'local-clink').code.trim();
  const m = /^npx @clink-ai\/clink-local (.*)$/.exec(bash);
  assert.ok(m, `README block local-clink is one npx @clink-ai/clink-local command: ${bash}`);
  return m[1].split(/\s+/);
}

/** The README's environment for the app: VAR=value words before `node server.mjs`. */
function readmeAppEnv() {
  const bash = docBlock('README.md', 'run-shop').code.replace(/\\\n/g, ' ').trim();
  const m = /^((?:[A-Z_]+=\S+\s+)+)node server\.mjs$/.exec(bash);
  assert.ok(m, `README block run-shop is VAR=… node server.mjs: ${bash}`);
  return Object.fromEntries(m[1].trim().split(/\s+/).map((w) => w.split(/=(.*)/s).slice(0, 2)));
}

describe("README quick start: built from the README's blocks, paid in Chromium against the local Clink", () => {
  let scratch;
  let clinkLocal;
  let shop;
  let browser;
  let env;
  let ports;

  before(async () => {
    requirePkg();
    scratch = scratchProject('quickstart-');
    const app = join(scratch.dir, 'app');
    const packed = join(scratch.dir, 'packages');
    // The README's install: npm run pack (into a folder of our own), then npm install the tarballs.
    await run('bash', [join(ROOT, 'scripts', 'pack.sh'), packed], { cwd: ROOT, timeout: 300_000 });
    const tarballs = readdirSync(packed).filter((f) => f.endsWith('.tgz')).sort();
    assert.deepEqual(tarballs, ['clink-ai-clink-js-0.1.0.tgz', 'clink-ai-clink-local-0.1.0.tgz', 'clink-ai-clink-typescript-sdk-0.1.0.tgz']);
    await run('mkdir', ['-p', app]);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'lamp-shop', private: true, type: 'module' }));
    await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', '--prefer-offline', ...tarballs.map((t) => join(packed, t))], { cwd: app, timeout: 300_000 });
    writeFileSync(join(app, 'server.mjs'), docBlock('README.md', 'server.mjs').code);
    writeFileSync(join(app, 'index.html'), docBlock('README.md', 'index.html').code);
    writeFileSync(join(app, 'checkout.js'), docBlock('README.md', 'checkout.js').code);

    // Ports: the README's (8081 and 3000) may be taken on a test machine; pick free ones and
    // rewrite only the numbers.
    ports = { clink: await freePort(), shop: await freePort() };
    const flags = readmeClinkFlags().map((w) => w.replace('8081', String(ports.clink)).replace('127.0.0.1:3000', `127.0.0.1:${ports.shop}`));
    assert.ok(flags.includes(`http://127.0.0.1:${ports.shop}/webhooks/clink`), `the README registers the app's webhook route: ${flags}`);
    clinkLocal = await startNode([join(app, 'node_modules', '@clink-ai', 'clink-local', 'bin', 'clink-local.mjs'), ...flags], { cwd: app, env: process.env, ready: /127\.0\.0\.1/ });
    env = { ...process.env, ...readmeAppEnv() };
    env.CLINK_BASE_URL = env.CLINK_BASE_URL.replace('8081', String(ports.clink));
    env.SHOP_URL = `http://127.0.0.1:${ports.shop}`; // the README's default, on the free port
    shop = await startNode(['server.mjs'], { cwd: app, env, ready: /shop on / });
    browser = await launchBrowser();
  }, { timeout: 600_000 });

  after(async () => {
    await browser?.close().catch(() => {});
    await shop?.stop();
    await clinkLocal?.stop();
    scratch?.cleanup();
  });

  async function openShop() {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems = watchProblems(page);
    await page.goto(env.SHOP_URL);
    const iframe = await page.waitForSelector('#clink-checkout iframe', { state: 'attached', timeout: STEP });
    assert.match(await iframe.getAttribute('src'), new RegExp(`^http://127\\.0\\.0\\.1:${ports.clink}/pay/`));
    return { context, page, problems, frame: page.frameLocator('#clink-checkout iframe') };
  }

  test('card 4242 4242 4242 4242 → the page thanks the buyer (no empty box) → the app logs the verified webhook', { timeout: 120_000 }, async () => {
    const { context, page, problems, frame } = await openShop();
    try {
      await frame.locator('input[name="card"]').fill('4242 4242 4242 4242');
      await frame.locator('#pay-button').click();
      await page.waitForSelector('#checkout-result:not([hidden])', { timeout: STEP });
      assert.match(await page.textContent('#checkout-result'), /Thank you! Your payment went through/);
      assert.equal(await page.locator('#clink-checkout iframe').count(), 0, 'the SDK removed the iframe; the result stands in its place');
      const paid = await shop.waitFor(/^paid: sess_/);
      assert.match(paid, /^paid: sess_[\w-]+$/, 'the app fulfilled the order from the verified session.completed webhook');
      assert.deepEqual(problems, [], 'no page error, console error or failed request');
    } finally {
      await context.close();
    }
  });

  test("the app's webhook route refuses a delivery that is not signed with its secret (400) and stays up", { timeout: 60_000 }, async () => {
    const body = JSON.stringify({ id: 'evt_forged', type: 'session.completed', createdAt: Date.now(), data: { sessionId: 'sess_forged' } });
    const forged = await fetch(`${env.SHOP_URL}/webhooks/clink`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Clink-Timestamp': String(Date.now()), 'X-Clink-Signature': 'a'.repeat(64) },
      body,
    });
    assert.equal(forged.status, 400);
    assert.deepEqual(await forged.json(), { error: 'signature_mismatch' });
    await shop.waitFor(/webhook refused \(signature_mismatch\)/);
    assert.ok(!shop.lines.includes('paid: sess_forged'));
    const status = await fetch(`${env.SHOP_URL}/api/clink/checkout-status?sessionId=sess_unknown`);
    assert.equal(status.status, 502, 'an unknown session is Clink\'s 404, answered as "checkout unavailable"');
  });

  test('a declined card (4000 0000 0000 0002) keeps the checkout open; 4242 then pays', { timeout: 120_000 }, async () => {
    const { context, page, frame } = await openShop();
    try {
      await frame.locator('input[name="card"]').fill('4000 0000 0000 0002');
      await frame.locator('#pay-button').click();
      // The decline comes back into the hosted page, which offers another attempt.
      await frame.getByText('Your card was declined').waitFor({ timeout: STEP });
      assert.equal(await page.isHidden('#checkout-result'), true, 'no result yet: the checkout is still open');
      await frame.locator('input[name="card"]').fill('4242 4242 4242 4242');
      await frame.locator('#pay-button').click();
      await page.waitForSelector('#checkout-result:not([hidden])', { timeout: STEP });
      assert.match(await page.textContent('#checkout-result'), /Thank you!/);
    } finally {
      await context.close();
    }
  });

  test("a page whose CSP refuses the frame: the README's FRAME_BLOCKED fallback sends the buyer to the hosted page", { timeout: 120_000 }, async () => {
    const context = await browser.newContext();
    try {
      // The shop's page, served with a policy that allows frames from the shop only, and the
      // README's fallback block as its script.
      await context.route(`${env.SHOP_URL}/`, async (route) => {
        const response = await route.fetch();
        await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': "frame-src 'self'" } });
      });
      await context.route(`${env.SHOP_URL}/checkout.js`, (route) => route.fulfill({
        contentType: 'text/javascript', body: docBlock('README.md', 'checkout-with-fallback.js').code,
      }));
      const page = await context.newPage();
      const warnings = [];
      page.on('console', (message) => { if (message.type() === 'warning') warnings.push(message.text()); });
      await page.goto(env.SHOP_URL);
      await page.waitForURL((url) => url.href.startsWith(`http://127.0.0.1:${ports.clink}/pay/`), { timeout: STEP });
      await page.locator('input[name="card"]').waitFor({ timeout: STEP });
      assert.ok(warnings.some((w) => w.includes('frame-src') && w.includes(`127.0.0.1:${ports.clink}`)), `the message names the source to add: ${warnings}`);
    } finally {
      await context.close();
    }
  });
});

async function freePort() {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
