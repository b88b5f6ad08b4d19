// Hardening campaign 1 (issue 7): every public function and option given hostile values
// (wrong types, null, 1 MB strings, Symbols, throwing getters, throwing and revoked Proxies,
// cyclic objects, own __proto__/constructor keys). README "API": each call gives a ClinkError
// with the documented code, never a TypeError, a wasm trap or a hang; the SDK never writes to
// what it was given and leaves the built-in prototypes alone; afterwards the happy path works.
// Cases the README does not decide are marked silent: any ClinkError passes, and they are listed as
// test diagnostics (set HARDENING_REPORT=file to get them as JSON too).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { useHardeningFixture, openHardeningPage, bounded } from '../hardening/servers.mjs';

// The two origins and Chromium, started once for this file.
const fx = useHardeningFixture();

const fmt = (r) =>
  r.timeout ? 'HANG (no settlement within the bound)'
    : r.ok ? `ok (${r.value})`
      : `${r.error.isClinkError ? 'ClinkError' : `${r.error.ctor || r.error.type} (not a ClinkError)`} ${r.error.code ?? ''}: ${String(r.error.message).slice(0, 160)}`;

/** Checks one matrix result; returns a problem string or null. */
function judge(r) {
  const where = `${r.target} ← ${r.label}`;
  if (r.timeout) return `${where}: expected ${r.expect.join('|')}, got a hang`;
  if (r.returnedThenable) return `${where}: returned a promise instead of acting synchronously`;
  if (r.checkFailed) return `${where}: ${r.checkFailed}`;
  if (r.causeOk === false) return `${where}: the ClinkError does not carry the original error as cause`;
  if (r.ok) return r.expect.includes('ok') ? null : `${where}: expected ${r.expect.join('|')}, got success (${r.value})`;
  if (!r.good) return `${where}: expected ${r.expect.join('|')}, got ${fmt(r)}`;
  if (r.expect.includes('*') || r.expect.includes(r.error.code)) return null;
  return `${where}: expected ${r.expect.join('|')}, got ${fmt(r)}`;
}

test('hostile-options matrix: only documented ClinkErrors, no writes, no pollution, SDK still works', { timeout: 180000 }, async (t) => {
  const { context, page, problems } = await openHardeningPage(fx.browser, fx.servers);
  try {
    const builtinsBefore = await page.evaluate(() => H.builtins());
    const all = await bounded(page.evaluate(() => H.runMatrix()), 150000, 'matrix');
    const marker = all.find((r) => r.marker === 'replace-phase');
    const results = all.filter((r) => !r.marker);
    t.diagnostic(`${results.length} matrix cases`);

    const failures = results.map(judge).filter(Boolean);
    const silent = results.filter((r) => r.silent).map((r) => `${r.target} ← ${r.label}: ${fmt(r)}`);
    // Silent cases, grouped by outcome.
    const groups = new Map();
    for (const r of results.filter((x) => x.silent)) {
      const k = `${r.target} → ${r.timeout ? 'HANG' : r.ok ? 'ok' : r.error.code}`;
      groups.set(k, [...(groups.get(k) || []), r.label.length > 40 ? r.label.slice(0, 40) + '…' : r.label]);
    }
    for (const [k, v] of groups) t.diagnostic(`README silent: ${k}: ${v.join(', ')}`);
    if (process.env.HARDENING_REPORT) writeFileSync(process.env.HARDENING_REPORT, JSON.stringify({ failures, silent, results }, null, 1));

    // Nothing navigated before the cases that are allowed to (replace with a valid session id).
    await new Promise((r) => setTimeout(r, 300));
    const earlyNavs = fx.servers.requests.filter((q) => q.path.startsWith('/nav204/') && q.at < marker.at);
    // Objects given to the SDK are unchanged; built-ins untouched.
    const tracked = await page.evaluate(() => H.verifyTracked());
    const builtinsAfter = await page.evaluate(() => H.builtins());
    // The happy path still works in the same page, with frozen, write-recording inputs.
    const happy = await bounded(page.evaluate(() => H.happy()), 15000, 'happy path');
    const builtinsEnd = await page.evaluate(() => H.builtins());

    // Every check runs; all deviations are listed together.
    const check = (fn, what) => {
      try {
        fn();
      } catch (e) {
        failures.push(`${what}: ${e.message.split('\n')[0]}`);
      }
    };
    check(() => assert.deepEqual(earlyNavs.map((q) => q.url), []), 'a failed redirect navigated');
    check(() => assert.ok(tracked.count > 200, `tracked only ${tracked.count} objects`), 'tracking');
    check(() => assert.deepEqual(tracked.diffs, []), `the SDK wrote to objects it was given ${JSON.stringify(tracked.diffs).slice(0, 500)}`);
    for (const [k, v] of Object.entries(builtinsBefore)) {
      if (k === 'globals') continue;
      check(() => assert.equal(builtinsAfter[k], v), `${k} changed by the matrix`);
      check(() => assert.equal(builtinsEnd[k], v), `${k} changed by the happy path`);
    }
    const newGlobals = (s, base) => s.split('|').filter((g) => !base.split('|').includes(g));
    check(() => assert.deepEqual(newGlobals(builtinsEnd.globals, builtinsBefore.globals), []), 'new globals on window');
    check(() => assert.equal(happy.bootstrapBase, fx.servers.checkout), 'happy path: loadClink via bootstrap');
    check(() => assert.equal(happy.iframes, 1), 'happy path: one iframe');
    check(() => assert.equal(happy.iframeSrc, `${fx.servers.checkout}/pay/sess_happy?x=1#frag`), 'happy path: iframe src');
    check(() => assert.equal(happy.readyEvents, 1), 'happy path: ready after mount');
    check(() => assert.deepEqual(happy.state, { mounted: true, destroyed: false }), 'happy path: state');
    check(() => assert.deepEqual(happy.writes, []), 'the SDK wrote to a frozen, recorded input');
    check(() => assert.deepEqual(problems.pageErrors, []), 'uncaught exceptions in the page');
    for (const f of failures) t.diagnostic(`DEVIATION ${f}`);
    assert.deepEqual(failures, [], `${failures.length} deviations (${results.length} matrix cases)`);
  } finally {
    await context.close().catch(() => {});
  }
});
