// The package as a merchant gets it: the npm tarball's contents and manifest, `npx @clink-ai/clink-local`
// from an install of that tarball, and startClink's option checks.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { installedClink } from './support.mjs';

const TEST = { timeout: 120_000 };

/** Runs `npx @clink-ai/clink-local …` in the project; resolves { child, firstLine, stdout() }. */
function startCli(project, args) {
  // Its own process group: npx runs the bin as a child of its own, and a signal must reach both.
  const child = spawn('npx', ['--no-install', '@clink-ai/clink-local', ...args], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  let err = '';
  child.stdout.on('data', (c) => { out += c; });
  child.stderr.on('data', (c) => { err += c; });
  const exited = new Promise((r) => child.on('exit', (code, signal) => r({ code, signal })));
  const firstLine = new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`no line within 30 s; stdout ${out} stderr ${err}`)), 30_000);
    const check = () => {
      const nl = out.indexOf('\n');
      if (nl !== -1) {
        clearTimeout(timer);
        resolvePromise(out.slice(0, nl));
      }
    };
    child.stdout.on('data', check);
    exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code} before a line; stderr ${err}`));
    });
  });
  firstLine.catch(() => {}); // awaited only by the tests that expect a line
  const stop = () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  return { child, firstLine, exited, stop, stdout: () => out, stderr: () => err };
}

describe('the npm package', () => {
  test('the tarball holds the local Clink only, with a manifest that needs nothing else', TEST, async () => {
    const { project, tarball } = await installedClink();
    const listing = await new Promise((resolvePromise, reject) => {
      execFile('tar', ['-tzf', tarball], (err, stdout) => (err ? reject(err) : resolvePromise(stdout.split('\n').filter(Boolean))));
    });
    for (const must of ['package/package.json', 'package/index.mjs', 'package/bin/clink-local.mjs', 'package/lib/http.mjs',
      'package/lib/app.mjs', 'package/assets/pay.js', 'package/assets/inspector.js', 'package/assets/frame.js']) {
      assert.ok(listing.includes(must), `${must} in the tarball`);
    }
    for (const file of listing) assert.doesNotMatch(file, /merchant|server\.mjs|store\.mjs/, `${file} does not belong in the package`);
    const manifest = JSON.parse(readFileSync(join(project, 'node_modules', '@clink-ai', 'clink-local', 'package.json'), 'utf8'));
    assert.equal(manifest.name, '@clink-ai/clink-local');
    assert.equal(manifest.type, 'module');
    assert.equal(manifest.bin['clink-local'], 'bin/clink-local.mjs');
    assert.equal(manifest.engines.node, '>=20');
    assert.equal(manifest.dependencies, undefined);
    assert.equal(manifest.exports['.'], './index.mjs');
  });

  test('npx @clink-ai/clink-local --json --port 0 prints exactly one JSON line, serves, and stops on SIGTERM', TEST, async () => {
    const { project } = await installedClink();
    const cli = startCli(project, ['--json', '--port', '0', '--session-ttl', '60']);
    let info;
    try {
      const line = await cli.firstLine;
      info = JSON.parse(line);
      assert.deepEqual(Object.keys(info).sort(), ['publishableKey', 'secretKey', 'url', 'webhookSecret']);
      assert.match(info.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(info.secretKey, 'sk_test_clink_local_0000000000000000');
      const r = await fetch(`${info.url}/api/checkout/session/sess_x`, {
        headers: { 'X-API-Key': info.secretKey, 'X-Timestamp': String(Date.now()) },
      });
      assert.deepEqual(await r.json(), { code: 404, msg: 'no checkout session sess_x' });
      const created = await fetch(`${info.url}/api/checkout/session`, {
        method: 'POST',
        headers: { 'X-API-Key': info.secretKey, 'X-Timestamp': String(Date.now()), 'Content-Type': 'application/json' },
        body: JSON.stringify({ originalAmount: 4900, originalCurrency: 'USD', priceId: 'price_desk_lamp', productId: 'prd_desk_lamp' }),
      });
      const session = (await created.json()).data;
      assert.equal(session.expiresAt - session.createdAt, 60_000, '--session-ttl applies');
    } finally {
      cli.stop();
    }
    const { code, signal } = await cli.exited;
    assert.ok(code === 0 || signal === 'SIGTERM', `exit ${code} ${signal}`);
    // The server itself is gone too (npx's child got the signal).
    await assert.rejects(fetch(info.url, { signal: AbortSignal.timeout(5000) }));
    assert.equal(cli.stdout().trim().split('\n').length, 1, `stdout had more than one line:\n${cli.stdout()}`);
  });

  test('a bad flag exits 2 with the usage on stderr and nothing on stdout', TEST, async () => {
    const { project } = await installedClink();
    for (const args of [['--port', 'eighty'], ['--frobnicate'], ['--secret-key', 'sk_prod_x', '--port', '0'], ['--session-ttl', '-1']]) {
      const cli = startCli(project, args);
      const { code } = await cli.exited;
      assert.equal(code, 2, `${args.join(' ')}: ${cli.stderr()}`);
      assert.equal(cli.stdout(), '');
      assert.match(cli.stderr(), /clink-local: /);
    }
  });

  test('startClink refuses bad options, naming them', TEST, async () => {
    const { startClink } = (await installedClink()).module;
    const cases = [
      [{ port: -1 }, /port/], [{ port: 'x' }, /port/], [{ secretKey: 'pk_test_x' }, /secretKey/],
      [{ secretKey: 'sk_prod_x' }, /secretKey/], [{ webhooks: 'http://x' }, /webhooks/],
      [{ webhookSecret: 'short' }, /webhookSecret/], [{ webhookRetryBaseMs: 0 }, /webhookRetryBaseMs/],
      [{ sessionTtl: 0 }, /sessionTtl/], [{ sessionTtl: '60' }, /sessionTtl/], [{ webhooks: ['nope'] }, /http\(s\) URL/],
    ];
    for (const [options, msg] of cases) await assert.rejects(startClink(options), msg, JSON.stringify(options));
  });

  test('a port in use is refused with a message saying so', TEST, async () => {
    const { startClink } = (await installedClink()).module;
    const first = await startClink({ port: 0 });
    try {
      const port = Number(new URL(first.url).port);
      await assert.rejects(startClink({ port }), /port \d+ on 127\.0\.0\.1 is already in use/);
    } finally {
      await first.close();
    }
  });
});
