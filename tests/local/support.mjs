// Shared helpers of the local Clink's tests: the package installed from its `npm pack` tarball
// (as a merchant would get it), authenticated REST calls, and a webhook receiver.
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));
// CLINK_LOCAL_DIR: test another copy of www/clink-local/ (e.g. a mutated one) without touching the tree.
export const WWW = process.env.CLINK_LOCAL_DIR ? resolve(process.env.CLINK_LOCAL_DIR) : join(REPO_ROOT, 'www', 'clink-local');
export const ARTIFACTS = join(REPO_ROOT, 'test-artifacts', 'local');
const STEP_MS = 10_000;

function run(cmd, args, cwd, timeout = 120_000) {
  return new Promise((resolvePromise, reject) => {
    execFile(cmd, args, { cwd, timeout, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')} (in ${cwd}): ${err.killed ? 'timed out' : `exit ${err.code}`}\n${stdout}\n${stderr}`));
      else resolvePromise({ stdout, stderr });
    });
  });
}

let installing = null;

/**
 * Packs www/clink-local/ with `npm pack`, installs the tarball into a fresh temp project (no network: the
 * package has no dependencies) and answers { dir, tarball, module } where `module` is the
 * installed package's export. Once per test process; the temp dir goes when the process exits.
 */
export function installedClink() {
  installing ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clink-local-test-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    const quiet = ['--no-audit', '--no-fund', '--loglevel=error'];
    await run('npm', ['pack', WWW, '--pack-destination', dir, ...quiet], dir);
    const tarball = join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz')));
    const project = join(dir, 'project');
    await run('mkdir', ['-p', project], dir);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'merchant-under-test', private: true, type: 'module' }));
    await run('npm', ['install', '--offline', ...quiet, tarball], project);
    const entry = join(project, 'node_modules', '@clink-ai', 'clink-local', 'index.mjs');
    const module = await import(pathToFileURL(entry).href);
    return { dir, project, tarball, module };
  })();
  return installing;
}

/** Calls the local Clink's REST API with the secret key and a fresh timestamp (override either). */
export async function api(clink, method, path, { body, headers = {}, raw } = {}) {
  const init = {
    method,
    headers: {
      'X-API-Key': clink.secretKey,
      'X-Timestamp': String(Date.now()),
      ...(body !== undefined || raw !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...headers,
    },
    signal: AbortSignal.timeout(STEP_MS),
  };
  for (const [k, v] of Object.entries(init.headers)) if (v === null) delete init.headers[k];
  if (raw !== undefined) init.body = raw;
  else if (body !== undefined) init.body = JSON.stringify(body);
  const res = await fetch(`${clink.url}${path}`, init);
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    // left null: the test says what it expected
  }
  return { status: res.status, headers: res.headers, json, text };
}

/** A valid session body; override fields with `extra` (undefined deletes a field). */
export function sessionBody(extra = {}) {
  const body = {
    originalAmount: 1999,
    originalCurrency: 'USD',
    priceDataList: [{ name: 'Aurora desk lamp', quantity: 1, unitAmount: 1999, currency: 'USD' }],
    successUrl: 'http://127.0.0.1:9/success',
    cancelUrl: 'http://127.0.0.1:9/cancel',
    merchantReferenceId: 'order-42',
    customerEmail: 'buyer@example.com',
    ...extra,
  };
  for (const [k, v] of Object.entries(body)) if (v === undefined) delete body[k];
  return body;
}

export async function createSession(clink, extra) {
  const r = await api(clink, 'POST', '/api/checkout/session', { body: sessionBody(extra) });
  if (r.status !== 200) throw new Error(`create session: ${r.status} ${r.text}`);
  return r.json.data;
}

/**
 * A webhook receiver on a free loopback port. `answer(n, req, body)` gives the status of the n-th
 * request (default 200). Records { headers, body, at } per request; `waitFor(pred)` resolves once
 * a recorded request matches.
 */
export async function startReceiver(answer = () => 200) {
  const received = [];
  const waiters = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const entry = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now(), path: req.url };
      received.push(entry);
      const status = answer(received.length, req, entry.body);
      res.writeHead(status, { 'Content-Type': 'text/plain' }).end(status < 300 ? 'ok' : 'try again');
      for (const w of waiters.slice()) w();
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}/webhooks/clink`;
  return {
    url,
    received,
    /** Resolves with the recorded requests once `pred(received)` holds; rejects after `ms`. */
    waitFor(pred, ms = STEP_MS) {
      return new Promise((resolvePromise, reject) => {
        const check = () => {
          if (pred(received)) {
            clearTimeout(timer);
            waiters.splice(waiters.indexOf(check), 1);
            resolvePromise(received);
            return true;
          }
          return false;
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(check), 1);
          reject(new Error(`receiver: condition not met within ${ms} ms; got ${received.length} request(s): ${received.map((r) => r.body.slice(0, 80)).join(' | ')}`));
        }, ms);
        waiters.push(check);
        check();
      });
    },
    events: () => received.map((r) => JSON.parse(r.body)),
    close: () => new Promise((r) => {
      server.close(() => r());
      server.closeAllConnections();
    }),
  };
}

/** Polls `fn` until it returns a truthy value; rejects after `ms`. */
export async function eventually(fn, ms = STEP_MS, what = 'condition') {
  const until = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > until) throw new Error(`${what}: not reached within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
