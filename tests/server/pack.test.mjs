// The one documented command that builds the three packages' tarballs (scripts/pack.sh, `npm run
// pack`), then a fresh project outside the repository installs them offline, as docs/server-sdk.md
// shows, and uses each: @clink-ai/clink-js imported, the server SDK imported and required (the
// docs' CommonJS block) with its types under nodenext (ESM and CommonJS), and the local Clink's
// bin started with npx and called through the installed server SDK.
// Run: node --test tests/server/pack.test.mjs
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { docBlock } from '../support/doc-blocks.mjs';
import { DOC, NPM_QUIET, ROOT, run } from './support.mjs';

const project = mkdtempSync(join(tmpdir(), 'clink-packages-'));
let bin = null;
after(() => {
  if (bin && bin.exitCode === null) process.kill(-bin.pid, 'SIGTERM');
  rmSync(project, { recursive: true, force: true });
});

const tarballs = {};

test('scripts/pack.sh writes the three tarballs into packages/; the server SDK\'s holds its ESM, CommonJS and types, no build script', { timeout: 600_000 }, async () => {
  const { stdout } = await run('bash', ['scripts/pack.sh'], { timeout: 600_000 });
  const files = stdout.trim().split('\n').filter((line) => line.endsWith('.tgz'));
  assert.deepEqual(files.map((f) => basename(f)), [
    'clink-ai-clink-js-0.1.0.tgz', 'clink-ai-clink-typescript-sdk-0.1.0.tgz', 'clink-ai-clink-local-0.1.0.tgz',
  ]);
  for (const file of files) assert.equal(file, join(ROOT, 'packages', basename(file)));
  [tarballs.js, tarballs.server, tarballs.local] = files;
  const { stdout: listing } = await run('tar', ['tzf', tarballs.server]);
  assert.deepEqual(listing.trim().split('\n').map((f) => f.replace(/^package\//, '')).sort(), [
    'LICENSE', 'README.md', 'dist/index.cjs', 'dist/index.d.cts', 'index.d.ts', 'index.mjs',
    'lib/client.mjs', 'lib/config.mjs', 'lib/errors.mjs', 'lib/transport.mjs', 'lib/webhooks.mjs', 'package.json',
  ]);
});

test('a fresh project installs the three tarballs offline (npm install --offline ./….tgz)', { timeout: 180_000 }, async () => {
  assert.ok(tarballs.server, 'needs the tarballs of the first test');
  writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'shop', private: true, type: 'module' })}\n`);
  const names = Object.values(tarballs).map((file) => {
    copyFileSync(file, join(project, basename(file)));
    return `./${basename(file)}`;
  });
  await run('npm', ['install', '--offline', ...NPM_QUIET, ...names], { cwd: project, timeout: 180_000 });
});

test('import and require: the browser SDK and the server SDK (the docs\' CommonJS block) load from the installed packages', async () => {
  writeFileSync(join(project, 'esm.mjs'), `
    import { loadClink } from '@clink-ai/clink-js';
    import * as sdk from '@clink-ai/clink-typescript-sdk';
    console.log(JSON.stringify({ loadClink: typeof loadClink, exports: Object.keys(sdk).sort() }));
  `);
  const esm = JSON.parse((await run(process.execPath, ['esm.mjs'], { cwd: project })).stdout);
  assert.equal(esm.loadClink, 'function');
  const expected = ['API_HOSTS', 'ClinkApiError', 'ClinkConnectionError', 'ClinkPayClient', 'ClinkWebhookError',
    'DEFAULT_TOLERANCE_SECONDS', 'WEBHOOK_ERROR_REASONS', 'signWebhookForTest', 'verifyWebhook'];
  assert.deepEqual(esm.exports, expected);

  writeFileSync(join(project, 'require-example.cjs'), docBlock(DOC, 'require-example.cjs').code);
  writeFileSync(join(project, 'cjs.cjs'), `
    const example = require('./require-example.cjs');
    const sdk = require('@clink-ai/clink-typescript-sdk');
    const resolved = require.resolve('@clink-ai/clink-typescript-sdk');
    console.log(JSON.stringify({ resolved, baseUrl: example.clink.baseUrl, same: example.ClinkApiError === sdk.ClinkApiError, exports: Object.keys(sdk).sort() }));
  `);
  const cjs = JSON.parse((await run(process.execPath, ['cjs.cjs'], { cwd: project })).stdout);
  assert.ok(cjs.resolved.endsWith(join('@clink-ai', 'clink-typescript-sdk', 'dist', 'index.cjs')), cjs.resolved);
  assert.equal(cjs.baseUrl, 'https://uat-api.clinkbill.com');
  assert.equal(cjs.same, true);
  assert.deepEqual(cjs.exports, expected);
});

test('types resolve under nodenext for ESM (index.d.ts) and CommonJS (dist/index.d.cts) importers, strict', { timeout: 120_000 }, async () => {
  const use = `
    const client = new ClinkPayClient({ apiKey: 'sk_test_x', env: 'sandbox' });
    export async function f(body: string, headers: Headers): Promise<string> {
      const session = await client.createCheckoutSession({ originalAmount: 1, originalCurrency: 'USD', priceId: 'price_1', productId: 'prd_1' });
      const event = await verifyWebhook({ body, headers, secret: 'whsec_x' });
      if (event.type === 'refund.updated') return event.data.refundId + session.url;
      return event.type;
    }
  `;
  writeFileSync(join(project, 'esm.mts'), `import { ClinkPayClient, verifyWebhook } from '@clink-ai/clink-typescript-sdk';\n${use}`);
  writeFileSync(join(project, 'cjs.cts'), `import sdk = require('@clink-ai/clink-typescript-sdk');\nconst { ClinkPayClient, verifyWebhook } = sdk;\n${use}`);
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true, skipLibCheck: false, types: [] },
    files: ['esm.mts', 'cjs.cts'],
  }));
  const { stdout } = await run(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json', '--traceResolution', '--pretty', 'false'], { cwd: project, timeout: 120_000 });
  const resolved = [...stdout.matchAll(/Module name '@clink-ai\/clink-typescript-sdk' was successfully resolved to '([^']+)'/g)].map((m) => m[1].split('node_modules/')[1]);
  assert.deepEqual([...new Set(resolved)].sort(), ['@clink-ai/clink-typescript-sdk/dist/index.d.cts', '@clink-ai/clink-typescript-sdk/index.d.ts']);
});

test('npx --no-install @clink-ai/clink-local --port 0 --json starts the installed bin; the installed server SDK creates a session on it', { timeout: 60_000 }, async () => {
  bin = spawn('npx', ['--no-install', '@clink-ai/clink-local', '--port', '0', '--json'], { cwd: project, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  bin.stderr.on('data', (chunk) => { stderr += chunk; });
  const firstLine = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: bin.stdout });
    lines.once('line', (line) => { lines.close(); resolve(line); });
    bin.once('exit', (code) => reject(new Error(`clink-local exited ${code}: ${stderr}`)));
  });
  const started = JSON.parse(firstLine);
  assert.deepEqual(Object.keys(started).sort(), ['publishableKey', 'secretKey', 'url', 'webhookSecret']);

  writeFileSync(join(project, 'session.mjs'), `
    import { ClinkPayClient } from '@clink-ai/clink-typescript-sdk';
    const clink = new ClinkPayClient({ apiKey: process.env.KEY, env: 'sandbox', baseUrl: process.env.URL });
    const session = await clink.createCheckoutSession({ originalAmount: 500, originalCurrency: 'USD', priceDataList: [{ name: 'Sticker', quantity: 1, unitAmount: 500, currency: 'USD' }] });
    const read = await clink.getCheckoutSession(session.sessionId);
    console.log(JSON.stringify({ url: session.url, status: read.status }));
  `);
  const env = { ...process.env, KEY: started.secretKey, URL: started.url };
  const answer = JSON.parse((await run(process.execPath, ['session.mjs'], { cwd: project, env })).stdout);
  assert.equal(answer.status, 'open');
  assert.ok(answer.url.startsWith(`${started.url}/pay/`));

  const exited = new Promise((resolve) => bin.once('exit', resolve));
  process.kill(-bin.pid, 'SIGTERM');
  await exited;
});
