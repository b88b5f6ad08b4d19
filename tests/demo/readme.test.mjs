// The README's "Build your integration against the local Clink" section runs as written: its code
// blocks are extracted into a scratch project (with @clink-ai/clink-local linked in, as npm would
// install it), its test recipe is run with node --test, its receiver is fed forged deliveries, its
// browser snippet is syntax-checked and its command is started.
//
//   node --test tests/demo/readme.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { tempDir } from '../support/browser.mjs';
import { ROOT, signAsClink } from './support.mjs';

const run = promisify(execFile);
const SECTION = '## Build your integration against the local Clink';

/** The section's fenced blocks: { lang, name, code }; name from a first line `// name.mjs: …` or `// browser: …`. */
function sectionBlocks(readme) {
  const start = readme.indexOf(`\n${SECTION}\n`);
  assert.ok(start >= 0, `README has a "${SECTION}" section`);
  const rest = readme.slice(start + SECTION.length + 2);
  const end = rest.search(/^## /m);
  const section = end < 0 ? rest : rest.slice(0, end);
  return [...section.matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)].map(([, lang, code]) => ({
    lang, code, name: code.match(/^\/\/ ([\w.-]+):/)?.[1] ?? null,
  }));
}

describe('README: Build your integration against the local Clink', () => {
  let blocks;
  let scratch;
  let dir;

  before(() => {
    blocks = sectionBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8'));
    scratch = tempDir('clink-readme-');
    dir = scratch.dir;
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'readme-shop', private: true, type: 'module' }));
    // As `npm install @clink-ai/clink-local` would leave it (the tarball is www/clink-local/).
    mkdirSync(join(dir, 'node_modules', '@clink-ai'), { recursive: true });
    symlinkSync(join(ROOT, 'www', 'clink-local'), join(dir, 'node_modules', '@clink-ai', 'clink-local'), 'dir');
    for (const block of blocks) {
      if (block.name?.endsWith('.mjs')) writeFileSync(join(dir, block.name), block.code);
    }
  });
  after(() => scratch?.cleanup());

  test('the section has the server code, the receiver, the SDK setup and the test recipe', () => {
    const names = blocks.map((b) => b.name);
    for (const name of ['clink.mjs', 'webhooks.mjs', 'browser', 'checkout.test.mjs']) {
      assert.ok(names.includes(name), `a block named ${name}: ${names}`);
    }
    const code = blocks.map((b) => b.code).join('\n');
    for (const needed of ["'X-API-Key'", "'X-Timestamp'", 'timingSafeEqual', 'x-clink-signature', 'startClink(', 'checkoutBaseUrl']) {
      assert.ok(code.includes(needed), needed);
    }
    assert.doesNotMatch(code, /JSON\.stringify\(req\.body|express/, 'no parse-then-restringify, no framework');
  });

  test('the test recipe passes with node --test against a real local Clink', { timeout: 60_000 }, async () => {
    // Without NODE_TEST_CONTEXT, which would make the inner runner report to this one instead of printing TAP.
    const { NODE_TEST_CONTEXT, ...env } = process.env;
    const { stdout } = await run(process.execPath, ['--test', 'checkout.test.mjs'], { cwd: dir, env, timeout: 50_000 })
      .catch((err) => { throw new Error(`the README's test recipe failed:\n${err.stdout}\n${err.stderr}`); });
    assert.match(stdout, /^# pass [1-9]/m);
    assert.match(stdout, /^# fail 0$/m);
  });

  test('the README receiver refuses tampered, stale, future and badly signed deliveries', async () => {
    const { verifyClinkWebhook } = await import(pathToFileURL(join(dir, 'webhooks.mjs')).href);
    const secret = 'whsec_readme';
    const body = JSON.stringify({ id: 'evt_1', type: 'session.completed', createdAt: Date.now(), data: { merchantReferenceId: 'o1' } });
    const headers = (ts, sig) => ({ 'x-clink-timestamp': ts, 'x-clink-signature': sig });
    const now = Date.now();
    const ts = String(now);
    assert.equal(verifyClinkWebhook(Buffer.from(body), headers(ts, signAsClink(secret, ts, body)), secret, now)?.id, 'evt_1');
    assert.equal(verifyClinkWebhook(Buffer.from(body.replace('o1', 'o2')), headers(ts, signAsClink(secret, ts, body)), secret, now), null, 'tampered');
    const old = String(now - 6 * 60_000);
    assert.equal(verifyClinkWebhook(Buffer.from(body), headers(old, signAsClink(secret, old, body)), secret, now), null, 'stale');
    const future = String(now + 6 * 60_000);
    assert.equal(verifyClinkWebhook(Buffer.from(body), headers(future, signAsClink(secret, future, body)), secret, now), null, 'future');
    assert.equal(verifyClinkWebhook(Buffer.from(body), headers(ts, signAsClink('whsec_other', ts, body)), secret, now), null, 'wrong secret');
    assert.equal(verifyClinkWebhook(Buffer.from(body), headers(ts, 'ab'), secret, now), null, 'short signature');
    assert.equal(verifyClinkWebhook(Buffer.from(body), {}, secret, now), null, 'no headers');
    const spaced = JSON.stringify(JSON.parse(body), null, 1);
    assert.equal(verifyClinkWebhook(Buffer.from(spaced), headers(ts, signAsClink(secret, ts, body)), secret, now), null, 're-serialized body');
  });

  test('the README receiver applies a replayed event id once, and answers 500 when applying fails', async () => {
    const { startWebhookReceiver } = await import(pathToFileURL(join(dir, 'webhooks.mjs')).href);
    const secret = 'whsec_readme';
    const seen = [];
    let fail = true;
    const server = await startWebhookReceiver({
      port: 0, secret,
      onEvent(event) {
        if (fail) throw new Error('database down');
        seen.push(event.id);
      },
    });
    try {
      const url = `http://127.0.0.1:${server.address().port}/`;
      const body = JSON.stringify({ id: 'evt_r', type: 'session.completed', createdAt: Date.now(), data: {} });
      const post = () => {
        const ts = String(Date.now());
        return fetch(url, { method: 'POST', headers: { 'X-Clink-Timestamp': ts, 'X-Clink-Signature': signAsClink(secret, ts, body) }, body, signal: AbortSignal.timeout(5000) });
      };
      assert.equal((await post()).status, 500, 'a failure to apply asks Clink to retry');
      fail = false;
      assert.equal((await post()).status, 200);
      assert.equal((await post()).status, 200);
      assert.deepEqual(seen, ['evt_r'], 'applied once');
      assert.equal((await fetch(url, { method: 'POST', body, signal: AbortSignal.timeout(5000) })).status, 400);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  test('the browser snippet is valid module code using options the SDK has', async () => {
    const block = blocks.find((b) => b.name === 'browser');
    const file = join(dir, 'browser-snippet.mjs');
    writeFileSync(file, block.code);
    await run(process.execPath, ['--check', file]);
    const types = readFileSync(join(ROOT, 'js', 'index.d.ts'), 'utf8');
    for (const option of block.code.matchAll(/\b([A-Za-z]\w*): /g)) {
      if (option[1] === 'http' || option[1] === 'browser') continue;
      assert.match(types, new RegExp(`\\b${option[1]}\\??:`), `the SDK's types know ${option[1]}`);
    }
  });

  test('the shell command starts the local Clink', { timeout: 30_000 }, async () => {
    const bash = blocks.find((b) => b.lang === 'bash' && b.code.includes('npx clink-local'));
    assert.ok(bash, 'a bash block starts it with npx clink-local');
    const line = bash.code.trim().split('\n').find((l) => l.startsWith('npx clink-local'));
    // The same arguments, on a free port, through the package's own bin (what npx runs).
    const args = line.replace(/^npx clink-local\s*/, '').replace(/--port \d+/, '--port 0').split(/\s+/).filter(Boolean);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'www', 'clink-local', 'package.json'), 'utf8'));
    const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin['clink-local'];
    const child = spawn(process.execPath, [join(ROOT, 'www', 'clink-local', bin), ...args, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const first = await new Promise((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
          if (out.includes('\n')) resolve(out.split('\n')[0]);
        });
        child.once('exit', (code) => reject(new Error(`clink-local exited with ${code}`)));
      });
      const info = JSON.parse(first);
      assert.match(info.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.match(info.secretKey, /^sk_test_/);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
