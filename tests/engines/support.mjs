// What the engine suites share: test servers (the three loopback origins of tests/support/),
// one engine session per describe block, and page-side helpers over the fixture pages' probe
// (tests/support/pages/probe.js: window.__t, __events, __inst, __probe).
import { before, after } from 'node:test';
import { startTestServers } from '../support/servers.mjs';
import { startEngine } from './drivers.mjs';

/**
 * Registers before/after hooks for one engine in the current describe block. ctx.s is the
 * Session, ctx.servers the test servers; both are always ended.
 */
export function useEngine(name) {
  const ctx = { name, s: null, servers: null, engine: null };
  before(async () => {
    ctx.servers = await startTestServers();
    ctx.engine = await startEngine(name);
    ctx.s = ctx.engine.session;
  });
  after(async () => {
    await ctx.engine?.close();
    await ctx.servers?.close();
  });
  return ctx;
}

/** Installed right after each navigation: page errors, unhandled rejections and console.error. */
function installErrorLog() {
  const errs = (window.__errs = []);
  window.addEventListener('error', (e) => errs.push('error: ' + String(e.message || e)));
  window.addEventListener('unhandledrejection', (e) => errs.push('unhandled rejection: ' + String(e.reason && e.reason.stack ? e.reason.stack : e.reason)));
  const original = console.error;
  console.error = function (...a) {
    errs.push('console.error: ' + a.map((x) => String(x && x.stack ? x.stack : x)).join(' '));
    return original.apply(this, a);
  };
  return true;
}

/**
 * Opens a merchant page fresh (test servers reset to their defaults). With waitSdk, waits for
 * the ESM fixture's `window.sdk` (sdk.html) and says why when it never comes.
 */
export async function open(ctx, path, { waitSdk = path.startsWith('/sdk.html') } = {}) {
  ctx.servers.setBootstrap(null);
  ctx.servers.setMerchantSession(null);
  ctx.servers.setMerchantStatus('pending');
  await ctx.s.navigate(ctx.servers.merchantOrigin + path);
  await ctx.s.run(installErrorLog);
  if (waitSdk) {
    await ctx.s.waitFor(() => window.sdk || window.__sdkLoadError, [], {
      describe: () => ({ loadError: window.__sdkLoadError || null, href: location.href }),
    });
    const loadError = await ctx.s.run(() => (window.sdk ? null : String(window.__sdkLoadError)));
    if (loadError) throw new Error(`${path}: the ESM entry did not import (is pkg/ built?): ${loadError}`);
  }
}

/**
 * Imports an ES module from the page's own realm (an inline classic script) and answers once it
 * is window[name]. A WebDriver script's own import() is not the same: Firefox evaluates it in the
 * driver's sandbox realm, where the SDK would see other windows through wrappers.
 */
export async function importInPage(ctx, url, name) {
  await ctx.s.run((url, name) => {
    const s = document.createElement('script');
    s.textContent = `import(${JSON.stringify(url)}).then((m) => { window[${JSON.stringify(name)}] = m; }, (e) => { window[${JSON.stringify(name + 'Error')}] = String(e); });`;
    document.head.appendChild(s);
    return true;
  }, url, name);
  await ctx.s.waitFor((name) => window[name] || window[name + 'Error'], [name]);
  const error = await ctx.s.run((name) => window[name + 'Error'] || null, name);
  if (error) throw new Error(`import(${url}) failed in the page: ${error}`);
}

/** Page errors, unhandled rejections and console.error calls since open(). */
export const pageErrors = (ctx) => ctx.s.run(() => window.__errs || ['no error log installed']);

/** Waits until tag has `count` events of `type` (after index `from`) matching `where` (an expression over e). */
export function waitEvent(ctx, tag, type, { count = 1, from = 0, where = 'true', timeout = 15000 } = {}) {
  return ctx.s.waitFor(
    (tag, type, count, from, where) => {
      const pred = new Function('e', `return (${where})`);
      return __events.slice(from).filter((e) => e.tag === tag && e.type === type && pred(e)).length >= count;
    },
    [tag, type, count, from, where],
    { timeout, describe: (tag, type, count, from) => __events.slice(from).filter((e) => e.tag === tag) },
  );
}

export const eventsOf = (ctx, tag, type = null, from = 0) =>
  ctx.s.run((tag, type, from) => __events.slice(from).filter((e) => e.tag === tag && (type == null || e.type === type)), tag, type, from);

export const eventMark = (ctx) => ctx.s.run(() => __events.length);

/** Runs fn inside the checkout iframe of `container` once its stub page can talk. */
export async function inCheckout(ctx, container, fn, ...args) {
  return ctx.s.inFrame(`${container} iframe`, fn, ...args);
}

/** Posts messages from the stub checkout page in `frameCss` (raw data objects). */
export async function postFrom(ctx, frameCss, messages) {
  await ctx.s.frame(frameCss);
  try {
    await ctx.s.waitFor(() => typeof window.sendRaw === 'function' && document.readyState === 'complete', [], {
      describe: () => ({ href: location.href, readyState: document.readyState }),
    });
    // Posted after the script answered: a message may end the frame (complete → destroy), and an
    // engine answers a script whose frame is gone with null (Firefox) or an error.
    await ctx.s.run((msgs) => {
      setTimeout(() => {
        for (const m of msgs) window.sendRaw(m);
      }, 0);
      return true;
    }, messages);
  } finally {
    await ctx.s.frame(null);
  }
}

/** A resize from the instance's own frame and a wait until tag saw it: every earlier message of
 * that frame has been handled by then (one source's messages arrive in order). */
export async function sentinel(ctx, container, tag, height, from = 0) {
  await postFrom(ctx, `${container} iframe`, [{ source: 'clink-checkout', type: 'resize', payload: { height } }]);
  await waitEvent(ctx, tag, 'resize', { from, where: `e.payload && e.payload.height === ${height}` });
}

/**
 * Outcome checks for __t.settle() results: returns readable mismatches (empty = all good).
 * expect: 'ok' or an error code; messageHas: substrings the message must contain.
 */
export function mismatches(cases) {
  const out = [];
  for (const { label, result: r, expect, messageHas = [] } of cases) {
    if (expect === 'ok') {
      if (!r || !r.ok) out.push(`${label}: expected success, got ${JSON.stringify(r)}`);
      continue;
    }
    if (!r || r.ok) out.push(`${label}: expected ClinkError ${expect}, got ${JSON.stringify(r)}`);
    else if (r.timeout) out.push(`${label}: expected ClinkError ${expect}, still pending (hang)`);
    else if (!r.error.isClinkError || !r.error.isError || r.error.name !== 'ClinkError' || r.error.code !== expect)
      out.push(`${label}: expected ClinkError ${expect}, got ${JSON.stringify(r.error)}`);
    else for (const s of messageHas) if (!String(r.error.message).includes(s)) out.push(`${label}: message lacks "${s}": ${r.error.message}`);
  }
  return out;
}
