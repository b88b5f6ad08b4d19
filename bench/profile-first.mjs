#!/usr/bin/env node
// Where the first loadClink spends its time, function by function: `node bench/profile-first.mjs
// [index|slim|umd] [pages]` (default: index, 5). Each page is fresh (new context): the entry is
// imported, then V8's sampling profiler (CDP, 25 µs) runs around the first loadClink only
// (bench/pages/first.js, mode=profile). Prints self time summed over the pages, by function and by
// kind (the SDK's JavaScript, its wasm, the platform, GC, idle). Serves a still copy of pkg/
// (bench/snapshot.mjs). A diagnostic for bench/run.mjs's "Inside the first call"; writes nothing.
import { basename } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM } from '../tests/support/browser.mjs';
import { PKG, startServers } from './server.mjs';
import { snapshot } from './snapshot.mjs';

const entry = ['index', 'slim', 'umd'].includes(process.argv[2]) ? process.argv[2] : 'index';
const pages = Number(process.argv[3]) || 5;
const snap = await snapshot(PKG, ['index.js', 'slim.js', 'clink_bg.wasm', 'dist/index.umd.js']);
const servers = await startServers({ pkg: snap.dir });
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const byFunction = new Map(); // label -> µs
const byKind = new Map();
const firsts = [];
let total = 0;
const add = (m, k, us) => m.set(k, (m.get(k) || 0) + us);
function kindOf(f) {
  if (['(idle)', '(program)', '(garbage collector)', '(root)'].includes(f.functionName)) return f.functionName;
  if (f.url.startsWith('wasm://') || /wasm-function/.test(f.functionName)) return 'SDK wasm';
  if (/\/pkg\//.test(f.url)) return 'SDK JavaScript (glue, shell)';
  if (/first\.js/.test(f.url)) return 'bench page';
  return f.url ? `other script (${basename(f.url)})` : 'platform (native)';
}
try {
  for (let i = 0; i < pages; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(`${servers.merchantOrigin}/first.html?entry=${entry}&mode=profile&base=${encodeURIComponent(servers.clinkOrigin)}`);
      await page.waitForFunction(() => window.__imported === true, null, { timeout: 15000 });
      await new Promise((r) => setTimeout(r, 300)); // the previous page's teardown settles
      const cdp = await context.newCDPSession(page);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 25 });
      await cdp.send('Profiler.start');
      await page.evaluate(() => window.__go());
      const { firstMs } = await page.evaluate(() => window.__first);
      const { profile } = await cdp.send('Profiler.stop');
      firsts.push(firstMs);
      const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
      profile.samples.forEach((id, k) => {
        const us = profile.timeDeltas[k + 1] ?? 0; // the time until the next sample
        const f = nodes.get(id).callFrame;
        if (f.functionName === '(idle)') return add(byKind, '(idle)', us);
        const label = `${f.functionName || '(anonymous)'} ${f.url ? `${basename(f.url)}:${f.lineNumber + 1}:${f.columnNumber + 1}` : ''}`.trim();
        add(byFunction, label, us);
        add(byKind, kindOf(f), us);
        total += us;
      });
    } finally {
      await context.close();
    }
  }
} finally {
  await browser.close();
  await servers.close();
  snap.remove();
}
const msOf = (us) => `${(us / 1000 / pages).toFixed(2)} ms`;
console.log(`entry ${entry}: first loadClink ${firsts.map((x) => x.toFixed(1)).join(', ')} ms over ${pages} fresh pages; busy samples ${msOf(total)} per page\n`);
console.log('per page, by kind:');
for (const [k, us] of [...byKind].sort((a, b) => b[1] - a[1])) console.log(`  ${msOf(us).padStart(9)}  ${k}`);
console.log('\nper page, top functions by self time:');
for (const [k, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${msOf(us).padStart(9)}  ${k.slice(0, 120)}`);
