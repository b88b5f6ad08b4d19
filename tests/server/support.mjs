// Shared helpers of the server SDK's tests (tests/server/*.test.mjs): this folder's
// devDependencies (Express, Hono; `npm ci` only when node_modules does not match the lockfile),
// the CommonJS build, the docs' code blocks written out as files, and the local Clink's test
// controls (not part of the SDK: Clink has no such endpoints).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { docBlock } from '../support/doc-blocks.mjs';

export const HERE = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(HERE, '..', '..');
export const SERVER_DIR = join(ROOT, 'server');
export const DOC = 'docs/server-sdk.md';
export const NPM_QUIET = ['--no-audit', '--no-fund', '--loglevel=error'];
const STAMP = join(HERE, 'node_modules', '.clink-server-tests-lock.sha256');

/** Runs a command; resolves { stdout, stderr }, rejects with both in the message. */
export function run(cmd, args, { cwd = ROOT, timeout = 120_000, env } = {}) {
  return new Promise((resolvePromise, reject) => {
    execFile(cmd, args, { cwd, timeout, killSignal: 'SIGKILL', env: env ?? process.env, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${cmd} ${args.join(' ')} failed (${error.code ?? error.signal}):\n${stdout}\n${stderr}`));
      else resolvePromise({ stdout, stderr });
    });
  });
}

/** npm ci in tests/server, unless node_modules was installed from this very lockfile. */
export async function ensureServerTestDeps() {
  const lock = readFileSync(join(HERE, 'package-lock.json'));
  const hash = createHash('sha256').update(lock).update(process.version).digest('hex');
  const current = existsSync(STAMP) ? readFileSync(STAMP, 'utf8').trim() : '';
  const present = ['express', 'hono'].every((p) => existsSync(join(HERE, 'node_modules', p, 'package.json')));
  if (current === hash && present) return;
  await run('npm', ['ci', '--prefer-offline', ...NPM_QUIET], { cwd: HERE, timeout: 300_000 });
  writeFileSync(STAMP, `${hash}\n`);
}

/** Builds server/dist (the CommonJS entry `require` loads). */
export async function buildServerCjs() {
  await run(process.execPath, [join(SERVER_DIR, 'build.mjs')]);
}

/**
 * A fresh directory under tests/server/node_modules/.work holding the named blocks of
 * docs/server-sdk.md, each written to the file its name says. There `express`/`hono` resolve from
 * this folder's node_modules and the SDK from the repository's, and `node --test tests/server/`
 * never picks up a left-over block (the docs' route.test.mjs) since it skips node_modules.
 * Returns { dir, cleanup }.
 */
export function writeDocBlocks(names) {
  mkdirSync(join(HERE, 'node_modules', '.work'), { recursive: true });
  const dir = mkdtempSync(join(HERE, 'node_modules', '.work', 'docs-'));
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ type: 'module', private: true })}\n`);
  for (const name of names) writeFileSync(join(dir, name), docBlock(DOC, name).code);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Calls one of the local Clink's endpoints with its secret key (test controls, webhook inspection). */
export async function clinkCall(clink, method, path, body) {
  const response = await fetch(`${clink.url}/api${path}`, {
    method,
    headers: {
      'X-API-Key': clink.secretKey,
      'X-Timestamp': String(Date.now()),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const envelope = await response.json();
  if (envelope.code !== 200) throw new Error(`${method} ${path} → ${envelope.code}: ${envelope.msg}`);
  return envelope.data;
}

/** Whether the local Clink serves this route yet (404 "no route"/405 vs. anything else). */
export async function clinkHasRoute(clink, method, path) {
  const response = await fetch(`${clink.url}/api${path}`, {
    method,
    headers: { 'X-API-Key': clink.secretKey, 'X-Timestamp': String(Date.now()), 'Content-Type': 'application/json' },
    body: method === 'GET' ? undefined : '{}',
  });
  const envelope = await response.json().catch(() => ({}));
  return !(response.status === 404 && /no (such )?(route|endpoint)|unknown path|not found: \//i.test(envelope.msg ?? ''));
}

/**
 * A fetch stand-in that answers from a list (one entry per call: a Response, a function of
 * (url, init) returning one, or an Error to throw) and records every call.
 */
export function scriptedFetch(answers) {
  const calls = [];
  const fetchImpl = async (url, init) => {
    calls.push({ url, init, headers: { ...init.headers } });
    const answer = answers[Math.min(calls.length - 1, answers.length - 1)];
    if (answer instanceof Error) throw answer;
    return typeof answer === 'function' ? answer(url, init) : answer.clone();
  };
  return { fetch: fetchImpl, calls };
}

/** Clink's envelope as a Response. */
export function envelopeResponse(code, data, { status = code, msg = code === 200 ? 'success' : 'failed', headers = {} } = {}) {
  return new Response(JSON.stringify({ code, msg, data }), { status, headers: { 'content-type': 'application/json', ...headers } });
}

export const TEST_KEY = 'sk_test_unit_0000000000';
