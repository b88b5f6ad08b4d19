// Lead's probe: synthetic message events through the SDK's listener vs a plain one, plus a CPU profile.
import { chromium } from 'playwright-core';
import { writeFileSync } from 'node:fs';
import { CHROMIUM } from '../tests/support/browser.mjs';
import { startServers } from './server.mjs';
const servers = await startServers();
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const profile = process.argv.includes('--profile');
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(servers.merchantOrigin + '/bench.html');
  await page.waitForFunction(() => window.benchReady === true);
  const cdp = await context.newCDPSession(page);
  if (profile) { await cdp.send('Profiler.enable'); await cdp.send('Profiler.setSamplingInterval', { interval: 50 }); }
  await page.evaluate(async (base) => {
    const sdk = await import('/pkg/index.js');
    const clink = await sdk.loadClink('pk_test_synth', { checkoutBaseUrl: base });
    const box = document.getElementById('box');
    window.__emb = await clink.initEmbeddedCheckout({ fetchSession: async () => ({ sessionId: 'sess_s', checkoutUrl: `${base}/frame.html` }) });
    window.__count = 0;
    __emb.on('resize', () => __count++);
    __emb.mount(box);
    window.__frame = box.querySelector('iframe');
    await new Promise((r) => __frame.addEventListener('load', r, { once: true }));
    window.__origin = new URL(base).origin;
  }, servers.clinkOrigin);
  const run = (n) => page.evaluate((n) => {
    const src = __frame.contentWindow;
    const evs = Array.from({ length: 200 }, (_, i) => new MessageEvent('message', { data: { source: 'clink-checkout', type: 'resize', payload: { height: 600 + i } }, origin: __origin, source: src }));
    const t0 = performance.now();
    for (let i = 0; i < n; i++) window.dispatchEvent(evs[i % 200]);
    return { us: ((performance.now() - t0) / n) * 1000, count: __count };
  }, n);
  await run(2000);
  if (profile) await cdp.send('Profiler.start');
  for (let i = 0; i < 3; i++) console.log('sdk', JSON.stringify(await run(10000)));
  if (profile) {
    const { profile: p } = await cdp.send('Profiler.stop');
    const byId = new Map(p.nodes.map((n) => [n.id, n]));
    const self = new Map();
    p.samples.forEach((id, i) => { const n = byId.get(id); const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`; self.set(k, (self.get(k) || 0) + (p.timeDeltas[i] || 0)); });
    const tot = [...self.values()].reduce((a, b) => a + b, 0);
    [...self].sort((a, b) => b[1] - a[1]).slice(0, 30).forEach(([k, t]) => console.log((t / tot * 100).toFixed(1) + '%', k));
  }
} finally {
  await browser.close();
  await servers.close();
}
