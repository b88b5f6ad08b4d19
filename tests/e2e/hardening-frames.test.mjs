// Hardening campaign 2 (issue 7): 10,000 forged frame messages at a mounted instance
// (README "The checkout frame protocol"). Seeded PRNG (HARDENING_SEED overrides), so a failure is reproducible. Senders:
//   right     the SDK's own iframe, right origin: only malformed messages
//   evil      an iframe on a third origin: well-formed and malformed
//   impostor  a second iframe on the checkout origin that is not the SDK's
//   nested    a frame (checkout origin) nested inside the SDK's iframe, posting to top
//   self      the merchant window posting to itself
// The SDK's iframe is held before its load event (an image the server holds) for the first
// 6,000 messages, so even a forged `ready` would show; then the load event gives exactly one
// legitimate `ready`, and 4,000 more messages must change nothing. Finally legitimate messages
// from the right frame still produce their events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { useHardeningFixture, openHardeningPage, bounded, REPO_ROOT } from '../hardening/servers.mjs';

// The two origins and Chromium, started once for this file.
const fx = useHardeningFixture();

const SEED = Number(process.env.HARDENING_SEED || 0xc11c0007);
const TYPES = ['ready', 'resize', 'state_change', 'complete', 'hosted_return', 'error'];

/** The same generator in Node (vm), to name the message behind an unexpected event. */
function regenerate(seed, role, n, failedIdx) {
  const win = {};
  win.parent = win.top = win;
  const ctx = vm.createContext({ window: win });
  vm.runInContext(readFileSync(`${REPO_ROOT}/tests/hardening/pages/forge.js`, 'utf8'), ctx);
  const skip = new Set(failedIdx);
  return win.__forge.generate(seed, role, n).filter((_, i) => !skip.has(i));
}
function show(v) {
  const tag = (x) => Object.prototype.toString.call(x).slice(8, -1);
  const seen = new Set();
  const rec = (x, d) => {
    if (typeof x === 'bigint') return `${x}n`;
    if (typeof x === 'string') return JSON.stringify(x.length > 40 ? `${x.slice(0, 40)}…(${x.length})` : x);
    if (typeof x === 'number') return Object.is(x, -0) ? '-0' : String(x);
    if (x === null || typeof x !== 'object') return String(x);
    if (seen.has(x) || d > 4) return '…';
    seen.add(x);
    const t = tag(x);
    const own = Reflect.ownKeys(x).filter((k) => typeof k === 'string').map((k) => `${JSON.stringify(k)}:${rec(x[k], d + 1)}`).join(',');
    if (t === 'Object') return `{${own}}`;
    if (t === 'Array') return `[${own}]`;
    return `${t}(${t === 'Date' ? '' : own})`;
  };
  return rec(v, 0);
}

async function frameWith(page, pred, label) {
  const t0 = Date.now();
  while (Date.now() - t0 < 8000) {
    const f = page.frames().find(pred);
    if (f) {
      await f.waitForFunction(() => typeof window.__forge === 'object', null, { timeout: 5000 });
      return f;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`frame ${label} never appeared`);
}

function counts(page) {
  return page.evaluate(() => ({ onEvent: { ...F.onEvent }, on: { ...F.on }, height: document.querySelector('#c iframe').style.height, state: { mounted: inst.getState().mounted, destroyed: inst.getState().destroyed } }));
}

/**
 * Each sender in turn posts its share; the next starts once the merchant window received them
 * all, so merchant message number k (H.received when an event fires) names sender and message.
 */
async function phase(page, senders, n, seedBase, ranges) {
  let sent = 0;
  for (const [i, [role, frame]] of senders.entries()) {
    const from = await page.evaluate(() => H.received);
    const seed = seedBase + i;
    const r = await bounded(frame.evaluate(([seed, role, n]) => window.__forge.run(seed, role, n), [seed, role, n[role]]), 60000, `sender ${role}`);
    try {
      await page.waitForFunction(([from, k]) => H.received - from >= k, [from, r.sent], { timeout: 30000, polling: 20 });
    } catch {
      throw new Error(`merchant received ${(await page.evaluate(() => H.received)) - from} of ${r.sent} messages from ${role}`);
    }
    ranges.push({ role, seed, n: n[role], from, sent: r.sent, failedIdx: r.failedIdx, kinds: r.kinds });
    sent += r.sent;
  }
  await new Promise((r) => setTimeout(r, 100));
  return sent;
}

/** Names the forged messages behind the given events (one line per message and event type). */
function culprits(events, ranges) {
  const cache = new Map();
  const byMessage = new Map();
  for (const e of events) {
    const k = `${e.recv}/${e.type}`;
    if (!byMessage.has(k)) byMessage.set(k, { ...e, vias: [] });
    byMessage.get(k).vias.push(e.via);
  }
  return [...byMessage.values()].map((e) => {
    const r = ranges.find((x) => e.recv > x.from && e.recv <= x.from + x.sent);
    if (!r) return `'${e.type}' event (${e.vias.join('+')}) ${e.payload} at message #${e.recv}, no sender range`;
    const key = `${r.seed}/${r.role}`;
    if (!cache.has(key)) cache.set(key, regenerate(r.seed, r.role, r.n, r.failedIdx));
    const [kind, data] = cache.get(key)[e.recv - r.from - 1];
    return `'${e.type}' event (${e.vias.join('+')}) from ${r.role} (seed ${r.seed}, message ${e.recv - r.from - 1}, ${kind}): ${show(data)}`;
  });
}

test('forged frames: 10,000 messages give no event, no exception, no pollution; the real frame still works', { timeout: 180000 }, async (t) => {
  const { context, page, problems } = await openHardeningPage(fx.browser, fx.servers);
  const failures = [];
  const expectEq = (actual, expected, what) => {
    try {
      assert.deepEqual(actual, expected);
    } catch {
      failures.push(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
    }
  };
  try {
    const builtins = await page.evaluate(() => H.builtins());
    const checkoutUrl = `${fx.servers.checkout}/pay/sess_forge?hold=forge1`;
    await page.evaluate(async (url) => {
      const F = (window.F = { onEvent: {}, on: {}, list: [] });
      const short = (p) => { try { return JSON.stringify(p, (k, v) => (typeof v === 'string' && v.length > 60 ? v.slice(0, 60) + '…' : v)); } catch { return String(p); } };
      const log = (via) => (e) => {
        F[via][e.type] = (F[via][e.type] || 0) + 1;
        F.list.push({ via, type: e.type, recv: H.received, payload: short(e.payload), ref: e.payload });
      };
      const clink = await sdk.loadClink('pk_test_frames', { checkoutBaseUrl: H.CHECKOUT });
      const inst = await clink.initEmbeddedCheckout({ fetchSession: async () => ({ sessionId: 'sess_forge', checkoutUrl: url }), onEvent: log('onEvent'), autoDestroyOnComplete: false });
      for (const type of ['ready', 'resize', 'state_change', 'complete', 'hosted_return', 'error']) inst.on(type, log('on'));
      window.inst = inst;
      inst.mount('#c');
      for (const [id, src] of [['impostor', `${H.CHECKOUT}/stub.html?impostor`], ['evil', `${H.EVIL}/stub.html?evil`]]) {
        const f = document.createElement('iframe');
        f.id = id;
        f.src = src;
        document.getElementById('frames').appendChild(f);
      }
    }, checkoutUrl);
    const right = await frameWith(page, (f) => f.url().includes('/pay/sess_forge'), 'right');
    const impostor = await frameWith(page, (f) => f.url().endsWith('/stub.html?impostor'), 'impostor');
    const evil = await frameWith(page, (f) => f.url().endsWith('/stub.html?evil'), 'evil');
    await right.evaluate((src) => {
      const f = document.createElement('iframe');
      f.src = src;
      document.body.appendChild(f);
    }, `${fx.servers.checkout}/stub.html?nested`);
    const nested = await frameWith(page, (f) => f.url().endsWith('/stub.html?nested'), 'nested');
    const senders = [['right', right], ['evil', evil], ['impostor', impostor], ['nested', nested], ['self', page.mainFrame()]];
    const ranges = [];
    const events = () => page.evaluate(() => F.list.map(({ ref, ...e }) => e));

    // Phase A: 6,000 messages while the SDK's iframe has not fired load. Nothing may happen.
    assert.equal(await right.evaluate(() => document.readyState), 'interactive', 'the SDK frame is held before load');
    const sentA = await phase(page, senders, { right: 2000, evil: 1500, impostor: 1500, nested: 500, self: 500 }, SEED, ranges);
    const evA = await events();
    for (const c of culprits(evA, ranges)) failures.push(`phase A (before load): ${c}`);

    // The iframe's own load event: the one legitimate ready (unless a forged one came first).
    const readyBefore = evA.filter((e) => e.type === 'ready').length;
    fx.servers.release('forge1');
    await page.waitForFunction(() => F.onEvent.ready >= 1 && F.on.ready >= 1, null, { timeout: 5000 });
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(await right.evaluate(() => document.readyState), 'complete');
    const evLoad = await events();
    expectEq(evLoad.filter((e) => e.type === 'ready').length, 2, 'ready events (onEvent + on) after the load event');
    if (readyBefore === 0) expectEq(evLoad.length, 2, 'events after the load event');

    // Phase B: 4,000 more after ready.
    const markB = evLoad.length;
    const sentB = await phase(page, senders, { right: 2000, evil: 750, impostor: 750, nested: 250, self: 250 }, SEED + 100, ranges);
    t.diagnostic(`${sentA} + ${sentB} messages posted (seed ${SEED}); kinds per sender: ${JSON.stringify(ranges.map((r) => [r.role, r.kinds]))}`);
    assert.equal(sentA + sentB, 10000, 'every generated message was posted');
    const evB = (await events()).slice(markB);
    for (const c of culprits(evB, ranges)) failures.push(`phase B (after ready): ${c}`);
    const afterB = await counts(page);
    expectEq(afterB.height, '', 'iframe style.height after forged resizes');
    expectEq(afterB.state, { mounted: true, destroyed: false }, 'instance state');
    const builtinsAfter = await page.evaluate(() => H.builtins());
    expectEq(builtinsAfter.objectProto, builtins.objectProto, 'Object.prototype');
    expectEq(builtinsAfter.emptyPolluted, undefined, '({}).polluted');
    expectEq(problems.pageErrors, [], 'page errors');
    expectEq(problems.consoleErrors, [], 'console errors');

    // Legitimate messages from the right frame still produce their events.
    const base = await counts(page);
    const plus = (type) => ({ onEvent: (base.onEvent[type] || 0) + 1, on: (base.on[type] || 0) + 1 });
    const waitType = (type) =>
      page.waitForFunction(([type, want]) => F.onEvent[type] === want.onEvent && F.on[type] === want.on, [type, plus(type)], { timeout: 5000 });
    await right.evaluate(() => window.send('resize', { height: 321 }));
    await waitType('resize');
    await right.evaluate(() => window.sendRaw({ source: 'clink-checkout', type: 'state_change', payload: JSON.parse('{"state":"pending","__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}') }));
    await waitType('state_change');
    await right.evaluate(() => window.send('error', { code: 'CARD_DECLINED', message: 'declined' }));
    await waitType('error');
    const legit = await page.evaluate(() => {
      const sc = F.list.filter((e) => e.type === 'state_change').pop().ref;
      const rs = F.list.filter((e) => e.type === 'resize').pop().ref;
      const proto = Object.getPrototypeOf(sc);
      return {
        height: document.querySelector('#c iframe').style.height,
        resize: { ...rs },
        state: sc.state,
        polluted: sc.polluted,
        ownProtoKey: Object.prototype.hasOwnProperty.call(sc, '__proto__'),
        protoOk: proto === Object.prototype || proto === null,
        frozen: Object.isFrozen(sc),
        emptyPolluted: ({}).polluted,
      };
    });
    expectEq(legit.height, '321px', 'iframe height after a legitimate resize');
    expectEq(legit.resize, { height: 321 }, 'resize payload');
    expectEq(legit.state, 'pending', 'state_change payload state');
    expectEq(legit.polluted, undefined, 'state_change payload inherits polluted');
    expectEq(legit.ownProtoKey, false, 'state_change payload copied an own __proto__ key');
    expectEq(legit.protoOk, true, 'state_change payload prototype is Object.prototype or null');
    expectEq(legit.frozen, true, 'event payloads are frozen (README)');
    expectEq(legit.emptyPolluted, undefined, '({}).polluted after legit messages');
    expectEq((await page.evaluate(() => H.builtins())).objectProto, builtins.objectProto, 'Object.prototype at the end');
    expectEq(problems.pageErrors, [], 'page errors at the end');
    expectEq(problems.consoleErrors, [], 'console errors at the end');
    for (const f of failures) t.diagnostic(`DEVIATION ${f}`);
    assert.deepEqual(failures, [], `${failures.length} deviations`);
  } finally {
    await context.close().catch(() => {});
  }
});
