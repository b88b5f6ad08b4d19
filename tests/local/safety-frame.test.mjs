// The hosted checkout posts to the merchant's origin only, never '*', taking that origin from the
// first of the sources docs/local-clink.md lists: ?parentOrigin=, location.ancestorOrigins,
// document.referrer (another origin), the origin of the session's successUrl/cancelUrl. The order
// is checked on assets/frame.js itself with each source present or absent (Chromium always has
// ancestorOrigins, so no browser can show the last two), then in Chromium across real origins.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchBrowser } from '../support/browser.mjs';
import { WWW, createSession, installedClink } from './support.mjs';

const TEST = { timeout: 90_000 };
const SELF = 'http://127.0.0.1:8081';
const A = 'http://127.0.0.1:4001';
const B = 'http://127.0.0.1:4002';
const C = 'http://127.0.0.1:4003';

describe('assets/frame.js: the order of origin sources', () => {
  /** Runs connectToParent in a stand-in window; answers the target origins of its posts. */
  async function targetOf({ query = '', ancestors, referrer = '', hints = {}, framed = true }) {
    const posted = [];
    const win = {};
    win.parent = framed ? { postMessage: (message, origin) => posted.push(origin) } : win;
    Object.assign(globalThis, {
      window: win,
      location: { search: query, origin: SELF, ancestorOrigins: ancestors },
      document: { referrer, documentElement: { classList: { add() {} } } },
    });
    const { connectToParent } = await import(pathToFileURL(join(WWW, 'assets', 'frame.js')).href);
    const channel = connectToParent(hints);
    channel.post('ready');
    return { posted, parentOrigin: channel.parentOrigin };
  }

  after(() => {
    delete globalThis.window;
    delete globalThis.location;
    delete globalThis.document;
  });

  test('each source wins over the ones after it, and a post goes to that one origin', async () => {
    const all = { query: `?parentOrigin=${encodeURIComponent(`${A}/shop?x=1`)}`, ancestors: [B], referrer: `${C}/page`, hints: { merchantOrigin: 'http://127.0.0.1:4004' } };
    assert.deepEqual((await targetOf(all)).posted, [A], '?parentOrigin= first');
    assert.deepEqual((await targetOf({ ...all, query: '' })).posted, [B], 'then ancestorOrigins');
    assert.deepEqual((await targetOf({ ...all, query: '', ancestors: [] })).posted, [C], 'then document.referrer');
    assert.deepEqual((await targetOf({ ...all, query: '', ancestors: undefined })).posted, [C], 'no ancestorOrigins (Firefox): the referrer');
    assert.deepEqual((await targetOf({ ...all, query: '', ancestors: undefined, referrer: '' })).posted, ['http://127.0.0.1:4004'], 'then the session\'s return URL origin');
    // The page's own origin as referrer (a navigation inside the frame) is not the parent.
    assert.deepEqual((await targetOf({ ...all, query: '', ancestors: undefined, referrer: `${SELF}/pay/x` })).posted, ['http://127.0.0.1:4004']);
    // The server's copy of ?parentOrigin= (data-parent-origin) counts as the query.
    assert.deepEqual((await targetOf({ ...all, query: '', hints: { ...all.hints, parentOrigin: A } })).posted, [A]);
  });

  test('never "*": no usable origin means no post at all; not framed means no post', async () => {
    for (const bad of ['*', 'javascript:alert(1)', 'not a url', 'file:///x']) {
      const r = await targetOf({ query: `?parentOrigin=${encodeURIComponent(bad)}`, ancestors: undefined, referrer: '', hints: {} });
      assert.deepEqual(r.posted, [], bad);
    }
    assert.deepEqual((await targetOf({ ancestors: undefined, referrer: '', hints: { merchantOrigin: '' } })).posted, []);
    assert.deepEqual((await targetOf({ framed: false, ancestors: [A], hints: { merchantOrigin: B } })).posted, []);
  });
});

describe('the hosted checkout in Chromium posts to its framing origin only', () => {
  let browser;
  let clink;
  const merchants = [];

  /** A merchant origin: /frame?src= frames a checkout and records what it receives from it. */
  async function startMerchant() {
    const server = createServer((req, res) => {
      const src = new URL(req.url, 'http://x').searchParams.get('src') || '';
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(`<!doctype html><meta charset="utf-8"><title>Merchant</title>
<iframe id="f" src="${src.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}" style="width:440px;height:700px;border:0"></iframe>
<script>
window.__got = [];
addEventListener('message', (e) => { if (e.source === document.getElementById('f').contentWindow) window.__got.push(e.data); });
</script>`);
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    merchants.push(server);
    return `http://127.0.0.1:${server.address().port}`;
  }

  before(async () => {
    clink = await (await installedClink()).module.startClink({ port: 0 });
    browser = await launchBrowser();
  }, { timeout: 120_000 });

  after(async () => {
    await browser?.close();
    await clink?.close();
    for (const s of merchants) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
  });

  /**
   * Frames `src` on `origin` and answers the checkout's messages that reached the page. A sentinel
   * posted from inside the frame after its script ran comes after anything the checkout posted
   * (messages from one window are delivered in order), so "nothing arrived" is known without waiting.
   */
  async function messagesAt(origin, src) {
    const page = await browser.newPage();
    try {
      await page.goto(`${origin}/frame?src=${encodeURIComponent(src)}`);
      const frame = await (await page.waitForSelector('#f')).contentFrame();
      await frame.waitForSelector('#checkout');
      await frame.waitForFunction(() => document.readyState === 'complete');
      await frame.evaluate(() => window.parent.postMessage({ sentinel: true }, '*'));
      await page.waitForFunction(() => window.__got.some((m) => m.sentinel));
      return (await page.evaluate(() => window.__got)).filter((m) => !m.sentinel);
    } finally {
      await page.close();
    }
  }

  test('?parentOrigin= names the origin (a wrong one gets nothing); without it, the framing page', TEST, async () => {
    const framing = await startMerchant();
    const other = await startMerchant();
    // The session's return URLs are on a third origin: never the target while the page is framed.
    const s = await createSession(clink, { successUrl: `${other}/ok`, cancelUrl: `${other}/cancel` });
    const withQuery = (origin) => `${s.url}${s.url.includes('?') ? '&' : '?'}parentOrigin=${encodeURIComponent(origin)}`;

    const toFraming = await messagesAt(framing, withQuery(framing));
    assert.ok(toFraming.some((m) => m.source === 'clink-checkout' && m.type === 'ready'), JSON.stringify(toFraming));

    const toOther = await messagesAt(framing, withQuery(other));
    assert.deepEqual(toOther, [], 'posted to ?parentOrigin= (another origin), so the framing page got nothing');

    const byAncestor = await messagesAt(framing, s.url);
    assert.ok(byAncestor.some((m) => m.type === 'ready'), 'location.ancestorOrigins before the session\'s return URL origin');
    assert.ok(byAncestor.every((m) => m.source === 'clink-checkout'));
  });
});
