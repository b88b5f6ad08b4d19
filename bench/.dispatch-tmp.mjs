// Lead's quick probe: only the frame-messages figure of bench.js (not committed).
import { chromium } from 'playwright-core';
import { CHROMIUM } from '../tests/support/browser.mjs';
import { startServers } from './server.mjs';
const servers = await startServers();
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
try {
  const page = await (await browser.newContext()).newPage();
  await page.goto(servers.merchantOrigin + '/bench.html');
  await page.waitForFunction(() => window.benchReady === true);
  for (let i = 0; i < 2; i++) {
    const r = await page.evaluate((a) => bench.messages(a), { base: servers.clinkOrigin, n: 10000, rounds: 5 });
    console.log(JSON.stringify(r), 'dispatch ratio', (r.sdkDispatchMs / r.plainDispatchMs).toFixed(2), 'total ratio', (r.sdkTotalMs / r.plainTotalMs).toFixed(2));
  }
} finally {
  await browser.close();
  await servers.close();
}
