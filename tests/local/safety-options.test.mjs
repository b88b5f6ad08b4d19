// Flags and options (docs/local-clink.md, "Limits and safety"): every bad flag of the bin and of the
// demo launcher exits 2 with the usage naming the flag; startClink throws TypeError/RangeError
// naming the option; the default secret key is refused off loopback; --session-ttl's bounds.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT, installedClink } from './support.mjs';

const TEST = { timeout: 120_000 };

/** Runs a Node script with args; resolves { code, signal, stdout, stderr } (stopAfterLine: SIGTERM after the first line). */
function run(script, args, { stopAfterLine = false } = {}) {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => {
      stdout += c;
      if (stopAfterLine && stdout.includes('\n')) child.kill('SIGTERM');
    });
    child.stderr.on('data', (c) => { stderr += c; });
    child.on('exit', (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
  });
}

async function bin() {
  const { project } = await installedClink();
  return join(project, 'node_modules', '@clink-ai', 'clink-local', 'bin', 'clink-local.mjs');
}

describe('the bin: every bad flag exits 2 with the usage naming it', () => {
  test('bad values, unknown flags, a credentialed or malformed webhook, --session-ttl out of bounds', TEST, async () => {
    const script = await bin();
    const cases = [
      [['--webhook', 'notaurl'], '--webhook'],
      [['--webhook', 'ftp://127.0.0.1/hook'], '--webhook'],
      [['--webhook', 'http://u:%zz@127.0.0.1:9/hook'], '--webhook'],
      [['--port', 'eighty'], '--port'],
      [['--port', '70000'], '--port'],
      [['--port'], '--port'],
      [['--frobnicate'], '--frobnicate'],
      [['--secret-key', 'sk_prod_x'], '--secret-key'],
      [['--webhook-secret', 'short'], '--webhook-secret'],
      [['--webhook-retry-base-ms', '0'], '--webhook-retry-base-ms'],
      [['--session-ttl', '0'], '--session-ttl'],
      [['--session-ttl', '-1'], '--session-ttl'],
      [['--session-ttl', '1.5'], '--session-ttl'],
      [['--session-ttl', '604801'], '--session-ttl'],
      [['--merchant-name', ''], '--merchant-name'],
      [['--allowed-host', 'http://shop.test/'], '--allowed-host'],
      // The documented default key is public: off loopback it must be replaced.
      [['--host', '0.0.0.0', '--port', '0'], '--secret-key'],
    ];
    for (const [args, flag] of cases) {
      const r = await run(script, args);
      assert.equal(r.code, 2, `${args.join(' ')}: exit ${r.code}\n${r.stderr}`);
      assert.equal(r.stdout, '', `${args.join(' ')}: nothing on stdout`);
      const [first] = r.stderr.split('\n');
      assert.ok(first.includes(flag), `${args.join(' ')}: the first line names ${flag}: ${first}`);
      assert.match(r.stderr, /Usage: npx @clink-ai\/clink-local \[options\]/);
    }
    const refused = await run(script, ['--host', '0.0.0.0', '--port', '0']);
    assert.match(refused.stderr, /refusing to listen on 0\.0\.0\.0 with the default secret key/);
  });

  test('--session-ttl 1 and 604800 (its bounds) start; --help lists every flag and names the scoped package', TEST, async () => {
    const script = await bin();
    for (const ttl of ['1', '604800']) {
      const r = await run(script, ['--json', '--port', '0', '--session-ttl', ttl], { stopAfterLine: true });
      assert.ok(r.code === 0 || r.signal === 'SIGTERM', `--session-ttl ${ttl}: ${r.stderr}`);
      assert.match(JSON.parse(r.stdout.split('\n')[0]).url, /^http:\/\/127\.0\.0\.1:\d+$/);
    }
    const help = await run(script, ['--help']);
    assert.equal(help.code, 0);
    for (const flag of ['--port', '--host', '--allowed-host', '--secret-key', '--webhook', '--webhook-secret', '--webhook-retry-base-ms', '--session-ttl', '--merchant-name', '--json', '--help']) {
      assert.ok(help.stdout.includes(`${flag} `) || help.stdout.includes(`${flag}\n`), `usage lists ${flag}`);
    }
    assert.match(help.stdout, /npx @clink-ai\/clink-local/);
    assert.doesNotMatch(help.stdout, /npx clink-local/);
  });

  test('off loopback with a secret key of its own it starts', TEST, async () => {
    const script = await bin();
    const r = await run(script, ['--json', '--port', '0', '--host', '0.0.0.0', '--secret-key', 'sk_test_mine_123', '--allowed-host', 'shop.test'], { stopAfterLine: true });
    assert.ok(r.code === 0 || r.signal === 'SIGTERM', r.stderr);
    assert.equal(JSON.parse(r.stdout.split('\n')[0]).secretKey, 'sk_test_mine_123');
  });
});

describe('startClink: a bad option throws TypeError/RangeError naming it', () => {
  test('each option', TEST, async () => {
    const { startClink } = (await installedClink()).module;
    const cases = [
      [{ port: 65536 }, RangeError, /^port /],
      [{ host: '' }, TypeError, /^host /],
      [{ allowedHosts: 'shop.test' }, TypeError, /^allowedHosts /],
      [{ allowedHosts: ['https://shop.test'] }, TypeError, /^allowedHosts /],
      [{ secretKey: 'sk_prod_x' }, TypeError, /^secretKey /],
      [{ webhooks: ['notaurl'] }, TypeError, /^webhooks "notaurl": must be an absolute http\(s\) URL/],
      [{ webhooks: ['http://u:%zz@127.0.0.1:9/hook'] }, TypeError, /^webhooks .*must not carry credentials/],
      [{ webhooks: ['http://user:pw@127.0.0.1:9/hook'] }, TypeError, /^webhooks .*must not carry credentials/],
      [{ webhookSecret: 'short' }, TypeError, /^webhookSecret /],
      [{ webhookRetryBaseMs: 1.5 }, RangeError, /^webhookRetryBaseMs /],
      [{ sessionTtl: 0 }, RangeError, /^sessionTtl .*from 1 to 604800/],
      [{ sessionTtl: 604801 }, RangeError, /^sessionTtl /],
      [{ sessionTtl: 1.5 }, RangeError, /^sessionTtl /],
      [{ sessionTtl: '60' }, RangeError, /^sessionTtl /],
      [{ merchantName: ' ' }, TypeError, /^merchantName /],
    ];
    for (const [options, Type, message] of cases) {
      await assert.rejects(startClink({ port: 0, ...options }), (err) => {
        assert.ok(err instanceof Type, `${JSON.stringify(options)}: ${err.name} ${err.message}`);
        assert.match(err.message, message);
        return true;
      });
    }
  });

  test('a non-loopback host with the default secret key is refused with a clear Error; its own key starts', TEST, async () => {
    const { startClink } = (await installedClink()).module;
    for (const host of ['0.0.0.0', '::', '192.0.2.2']) {
      await assert.rejects(startClink({ port: 0, host }), (err) => {
        assert.equal(err.code, 'CLINK_PUBLIC_KEY_OFF_LOOPBACK');
        assert.match(err.message, new RegExp(`refusing to listen on ${host.replace(/\./g, '\\.')} with the default secret key.*--secret-key`));
        return true;
      });
    }
    // Loopback names keep the default key.
    for (const host of ['127.0.0.1', 'localhost']) {
      const clink = await startClink({ port: 0, host });
      await clink.close();
    }
    const own = await startClink({ port: 0, host: '0.0.0.0', secretKey: 'sk_test_mine_123' });
    await own.close();
  });

  test('sessionTtl at its bounds sets expiresAt', TEST, async () => {
    const { startClink } = (await installedClink()).module;
    for (const sessionTtl of [1, 604800]) {
      const clink = await startClink({ port: 0, sessionTtl });
      try {
        const r = await fetch(`${clink.url}/api/checkout/session`, {
          method: 'POST',
          headers: { 'X-API-Key': clink.secretKey, 'X-Timestamp': String(Date.now()), 'Content-Type': 'application/json' },
          body: JSON.stringify({ originalAmount: 100, originalCurrency: 'USD', priceDataList: [{ name: 'x', quantity: 1, unitAmount: 100, currency: 'USD' }] }),
        });
        const s = (await r.json()).data;
        assert.equal(s.expiresAt - s.createdAt, sessionTtl * 1000);
      } finally {
        await clink.close();
      }
    }
  });
});

describe('the demo launcher reads its flags with the same parser', () => {
  test('a bad flag exits 2 with its usage naming it', TEST, async () => {
    const script = join(REPO_ROOT, 'www', 'demo', 'server.mjs');
    for (const [args, flag] of [[['--port', 'x'], '--port'], [['--clink-port', '-1'], '--clink-port'], [['--bogus'], '--bogus'], [['--port', '70000'], 'merchantPort']]) {
      const r = await run(script, args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.ok(r.stderr.split('\n')[0].includes(flag), `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /Usage: node www\/demo\/server\.mjs \[options\]/);
      assert.match(r.stderr, /--clink-port <n>/);
    }
  });
});
