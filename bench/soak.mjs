#!/usr/bin/env node
// The soak (issue 11, item 10): `node bench/soak.mjs [--only=messages,badCalls,remounts]`, on the
// built package (pkg/, or the directory in BENCH_PKG; build it first with bash scripts/build.sh). In headless Chromium, the default
// entry on the merchant origin, its checkout frame on a second origin (bench/server.mjs):
//   (a) frame messages of mixed sizes up to the 64 K-unit cap and past it, valid and forged;
//   (b) loadClink calls with bad input (bad and secret keys, hostile options and fetchImpls,
//       throwing getters, Proxies, huge strings);
//   (c) remounts of embedded checkouts whose pollStatus settles after three intervals.
// Each runs in a fresh page in two equal batches after a warm-up; wasm memory and JS heap (after
// gc()) are read before and after each batch. Budgets: the second batch grows memory by at most
// 1 % of what was in use after the first (wasm: or one 64 KiB page), no trap, every bad call
// rejects with a ClinkError, never two pollStatus calls of one instance at once. Writes the
// "Soak" section of BENCHMARKS.md; exits 1 when a budget is missed, 2 when the soak itself failed.
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM } from '../tests/support/browser.mjs';
import { PKG, ROOT, startServers } from './server.mjs';
import { commitNow, writeSections } from './markdown.mjs';
import { snapshot } from './snapshot.mjs';

const N = {
  messages: 50_000, // per batch (two batches)
  messageChunk: 1000, // posted by the frame per round trip
  messagesWarm: 2500,
  badCalls: 5000, // per batch
  badCallsWarm: 500,
  remountInstances: 20, // run side by side
  remountsPerInstance: 25, // per batch: 20 × 25 × 2 batches = 1,000 remounts
  remountsWarm: 40, // per instance: the JS heap settles (JIT, feedback) only after ~1,000 remounts
  pollIntervalMs: 100, // the smallest the SDK allows; pollStatus settles after 3×
};
const DEADLINE_MS = 240_000;
// --only=messages,badCalls,remounts runs some of the soaks and prints them (BENCHMARKS.md untouched).
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const wanted = (name) => !only || only.includes(name);
const PAGE = 65536;

const REQUIRED = ['index.js', 'clink_bg.wasm'];
for (const f of REQUIRED) {
  if (!existsSync(join(PKG, f))) {
    console.error(`soak: ${f} is missing; build first (bash scripts/build.sh)`);
    process.exit(2);
  }
}
// One build for the whole run, even when pkg/ is rebuilt meanwhile (bench/snapshot.mjs).
let snap;
try {
  snap = await snapshot(PKG, REQUIRED);
} catch (e) {
  console.error(`soak: ${e.message}`);
  process.exit(2);
}
process.on('exit', () => snap.remove());
const commit = commitNow();

const KB = (b) => `${(b / 1000).toFixed(1)} KB`;
const signedKB = (b) => (b == null || Number.isNaN(b) ? 'n/a' : `${b >= 0 ? '+' : '−'}${KB(Math.abs(b))}`);
const int = (n) => n.toLocaleString('en');
function bounded(promise, timeoutMs, what) {
  let t;
  const timeout = new Promise((_, fail) => (t = setTimeout(() => fail(new Error(`soak timed out after ${timeoutMs} ms: ${what}`)), timeoutMs)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(t));
}

const started = Date.now();
let servers, browser;
const watchdog = setTimeout(() => {
  console.error(`soak: over ${DEADLINE_MS / 1000} s, giving up`);
  Promise.allSettled([browser?.close(), servers?.close()]).finally(() => process.exit(2));
}, DEADLINE_MS);

/** Runs one soak in a fresh context; collects every page error and console error with it. */
async function inSoakPage(name, arg, timeoutMs) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && errors.push(`console.error: ${m.text().slice(0, 300)}`));
  try {
    await bounded(page.goto(servers.merchantOrigin + '/soak.html'), 15000, 'open soak.html');
    await bounded(page.waitForFunction(() => window.soakReady === true), 15000, 'soak.js loaded');
    const result = await bounded(page.evaluate(([n, a]) => window.soak[n](a), [name, arg]), timeoutMs, name);
    const uncaught = await page.evaluate(() => window.__uncaught);
    return { ...result, errors: [...errors, ...uncaught] };
  } finally {
    await context.close();
  }
}

let r;
try {
  servers = await startServers({ pkg: snap.dir });
  browser = await bounded(
    chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
        '--enable-precise-memory-info', '--js-flags=--expose-gc',
      ],
    }),
    30000,
    'launch Chromium',
  );
  const base = servers.clinkOrigin;
  r = { chromium: browser.version() };
  if (only) {
    for (const [name, arg] of [
      ['messages', { base, perBatch: N.messages, chunk: N.messageChunk, warm: N.messagesWarm }],
      ['badCalls', { perBatch: N.badCalls, warm: N.badCallsWarm }],
      ['remounts', { base, instances: N.remountInstances, perInstance: N.remountsPerInstance, interval: N.pollIntervalMs, warm: N.remountsWarm }],
    ]) {
      if (!wanted(name)) continue;
      const x = await inSoakPage(name, arg, 150_000);
      const g = (k) => [x.after[k] - x.before[k], x.again[k] - x.after[k], x.again[k]];
      console.log(name, { heap: g('heap'), wasm: g('wasm'), readings: [x.before.heapReadings, x.after.heapReadings, x.again.heapReadings], seconds: x.seconds });
    }
    await Promise.allSettled([browser.close(), servers.close()]);
    process.exit(0);
  }
  r.messages = await inSoakPage('messages', { base, perBatch: N.messages, chunk: N.messageChunk, warm: N.messagesWarm }, 150_000);
  console.error(`soak: messages done in ${r.messages.seconds.toFixed(1)} s`);
  r.bad = await inSoakPage('badCalls', { perBatch: N.badCalls, warm: N.badCallsWarm }, 60_000);
  console.error(`soak: bad loadClink calls done in ${r.bad.seconds.toFixed(1)} s`);
  r.remounts = await inSoakPage(
    'remounts',
    { base, instances: N.remountInstances, perInstance: N.remountsPerInstance, interval: N.pollIntervalMs, warm: N.remountsWarm },
    90_000,
  );
  console.error(`soak: remounts done in ${r.remounts.seconds.toFixed(1)} s`);
} catch (e) {
  console.error(`soak: ${e.stack || e}`);
  r = null;
} finally {
  clearTimeout(watchdog);
  await Promise.allSettled([browser?.close(), servers?.close()]);
}
if (!r) process.exit(2);
const seconds = ((Date.now() - started) / 1000).toFixed(0);

// ---------- verdicts ----------
let failed = 0;
const verdict = (ok) => {
  if (!ok) failed++;
  return ok ? 'pass' : '**FAIL**';
};
/** Steady state: what the second batch added is at most 1 % of what was in use after the
 *  first (wasm memory grows in 64 KiB pages: one page is allowed). */
function steady(x, key) {
  const g1 = x.after[key] - x.before[key];
  const g2 = x.again[key] - x.after[key];
  const limit = Math.max(0.01 * x.after[key], key === 'wasm' ? PAGE : 0);
  return { g1, g2, limit, level: x.again[key], ok: Number.isFinite(g2) && g2 <= limit };
}
const trapText = /RuntimeError|unreachable/;
const traps = (x) => x.errors.filter((e) => trapText.test(e)).length + (x.traps || 0);

const rows = [];
const memRows = (label, x) => {
  for (const [key, what] of [['wasm', 'wasm memory (`memory.buffer.byteLength`)'], ['heap', 'JS heap (`usedJSHeapSize` after `gc()`)']]) {
    const s = steady(x, key);
    rows.push(`| ${label}: ${what} | ${signedKB(s.g1)} | ${signedKB(s.g2)} | ${KB(s.level)} | ≤ ${signedKB(s.limit)} | ${verdict(s.ok)} |`);
  }
};
const m = r.messages;
const b = r.bad;
const p = r.remounts;
memRows(`(a) ${int(2 * N.messages)} frame messages`, m);
memRows(`(b) ${int(2 * N.badCalls)} bad \`loadClink\` calls`, b);
memRows(`(c) ${int(2 * N.remountInstances * N.remountsPerInstance)} remounts, slow \`pollStatus\``, p);

const eventsOk = ['resize', 'state_change', 'error'].every((k) => m.got[k] === m.expect[k]) && m.got.ready === 1 && m.got.complete === 0 && m.got.hosted_return === 0;
const checks = [
  [`traps (\`RuntimeError\`, \`unreachable\`) in page errors, unhandled rejections and rejections, all three soaks`, `${traps(m) + traps(b) + traps(p)}`, '0', traps(m) + traps(b) + traps(p) === 0],
  [`(a) events from the valid messages, as the frame protocol says (resize / state_change / error; ready once; none from ${int(m.fromHere)} forgeries posted by the page itself and the forged and oversized ones)`,
    `${int(m.got.resize)} / ${int(m.got.state_change)} / ${int(m.got.error)}; ready ${m.got.ready}; complete ${m.got.complete}, hosted_return ${m.got.hosted_return}`,
    `${int(m.expect.resize)} / ${int(m.expect.state_change)} / ${int(m.expect.error)}; 1; 0, 0`, eventsOk],
  [`(a) \`previousState\` right on every \`state_change\`; \`__proto__\` never copied`, `${m.wrongPrevious} wrong, ${m.polluted} polluted`, '0, 0', m.wrongPrevious === 0 && m.polluted === 0],
  [`(b) bad \`loadClink\` calls (${b.cases} kinds, cycled) that rejected with a \`ClinkError\` of a known code`, `${int(b.clinkErrors)} of ${int(b.calls)} (resolved ${b.resolved}, other rejections ${b.otherRejections})`, 'all', b.clinkErrors === b.calls],
  [`(b) requests made with a secret key / secret echoed in a message / calls of the global \`fetch\``, `${b.secretRequests} / ${b.secretEchoed} / ${b.globalFetches}`, '0 / 0 / 0', b.secretRequests === 0 && b.secretEchoed === 0 && b.globalFetches === 0],
  [`(c) most \`pollStatus\` calls of one instance in flight at once (${int(p.calls)} calls; ${int(p.remountsWhileInFlight)} remounts while one was out)`, `${p.maxInFlight}`, '≤ 1', p.maxInFlight <= 1 && p.overlaps === 0],
];
const checkRows = checks.map(([what, got, budget, ok]) => `| ${what} | ${got} | ${budget} | ${verdict(ok)} |`);

const notes = [];
if (m.got.ready !== 1 || !m.mountedToTheEnd) notes.push(`(a) the instance was ${m.mountedToTheEnd ? '' : 'not '}mounted to the end; ready came ${m.got.ready} time(s).`);
if (b.codeAsExpected !== b.codeChecked) notes.push(`(b) codes as the README's table says: ${int(b.codeAsExpected)} of ${int(b.codeChecked)} checked calls.`);
if (p.pollErrors) notes.push(`(c) ${p.pollErrors} \`POLL_STATUS_FAILED\` error events (pollStatus never failed).`);
for (const s of b.samples) notes.push(`(b) ${s}`);
for (const [label, x] of [['a', m], ['b', b], ['c', p]]) for (const e of [...new Set(x.errors)].slice(0, 5)) notes.push(`(${label}) ${e}`);

const date = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
const machine = `${cpus().length} × ${cpus()[0]?.model?.trim() || 'CPU'}, Chromium ${r.chromium}`;
const section = `Written by \`node bench/soak.mjs\` (issue 11, item 10). Measured ${date} at commit ${commit || 'unknown'}, on ${machine}; it took ${seconds} s
(messages ${m.seconds.toFixed(0)} s, bad calls ${b.seconds.toFixed(0)} s, remounts ${p.seconds.toFixed(0)} s).

The default entry in headless Chromium, merchant page and checkout frame on two origins. Each soak
runs in a fresh page: a warm-up, then two equal batches; wasm memory and the JS heap (after
\`gc()\`, once three readings in a row agree within 4 KB) are read before and after each batch.
Budget: the second batch adds
at most 1 % of what was in use after the first (wasm memory grows in 64 KiB pages: one page is
allowed), i.e. memory has reached a steady state; growth in the first batch alone is a
high-water mark (wasm memory never shrinks).

| soak: memory | first batch | second batch | in use at the end | budget (second batch) | |
| --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

| check | measured | budget | |
| --- | --- | --- | --- |
${checkRows.join('\n')}
${notes.length ? `\nNotes from this run:\n${notes.map((n) => `- ${n}`).join('\n')}\n` : ''}
What each soak does (\`bench/pages/soak.js\`, frame \`bench/pages/soak-frame.html\`):
- (a) ${int(N.messagesWarm)} + 2 × ${int(N.messages)} messages posted by the mounted checkout frame, ${int(N.messageChunk)} per round trip (the
  frame reports the events its valid ones must cause). A cycle of 25: 9 valid \`resize\`, 2 valid
  \`error\` whose \`message\` or \`code\` alternates in size up to the 65,536-unit cap (1-, 2-, 3-byte
  and surrogate-pair text), 3 valid \`state_change\` alternating \`pending\`/\`payment\` with extra
  payload keys (300 keys; keys of 10 to 200,000 units; an own \`__proto__\`; values up to 60,000
  units), 1 \`ready\`; the rest dropped by the protocol: heights out of range or not numbers,
  \`error\` strings over the cap, unknown states, forged \`source\`/\`type\`, payloads that are not
  plain objects, data that is not an object, \`hosted_return\` with wrong fields. The page also posts
  8 valid-looking messages to itself per round trip (wrong window, wrong origin).
- (b) ${int(N.badCallsWarm)} + 2 × ${int(N.badCalls)} \`loadClink\` calls cycling ${b.cases} kinds of bad input: keys of every type and near
  miss (wrong prefix, lone surrogate, NUL, 10 M units, 65,529 units), secret keys (\`sk_…\`, up to
  10 M units; with a counting \`fetchImpl\` and without one), options objects with throwing getters,
  throwing and revoked Proxies, cycles, wrong types, 10 M-unit strings and a 1 M-unit key, bad
  URLs, and \`fetchImpl\`s that throw, reject, answer a non-response, a throwing Proxy, a 10 M-unit
  body, a 100 KB body, or hostile JSON. The page's global \`fetch\` only counts: no call can reach a
  network.
- (c) ${N.remountInstances} embedded checkouts side by side, each remounted ${N.remountsPerInstance} times per batch (${N.remountsWarm} in the warm-up) after
  5–350 ms mounted (\`unmount()\` then \`mount()\`), \`pollIntervalMs\` ${N.pollIntervalMs}, a \`pollStatus\` that settles after
  ${3 * N.pollIntervalMs} ms (sometimes with a state); it counts the calls of its instance in flight at once.
`;
// Another build's figures are printed, never written as the package's.
if (process.env.BENCH_PKG) console.error(`soak: BENCH_PKG=${process.env.BENCH_PKG}: BENCHMARKS.md left as it is`);
else writeSections({ Soak: section }, { before: ['How measured', 'Framework bindings', 'History'] });
console.log(section);
console.log(failed ? `soak: ${failed} budget(s) missed` : 'soak: every budget met');
process.exit(failed ? 1 : 0);
