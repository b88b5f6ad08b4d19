// The first loadClink on a fresh page (bench/run.mjs opens one per sample, in a new browser
// context: no HTTP cache, no compiled-code cache). Sets window.__first to a promise of numbers.
//   mode=breakdown  import the entry, time the first loadClink, then time its unavoidable parts
//                   in the same page on the same bytes: base64 decode, inflate, compile,
//                   instantiate (default and UMD entries); fetch + streaming compile, instantiate
//                   (slim entry).
//   mode=parts      the same parts in a fresh page that never loads the SDK: cold (the page's
//                   first DecompressionStream and the renderer's first wasm compile included).
//   mode=profile    import the entry, set window.__imported, wait for window.__go() (the driver
//                   starts its CPU profiler in between), then the first loadClink only
//                   (bench/profile-first.mjs).
//   mode=preload    import the entry, await preloadClink(), time the first loadClink, then
//                   warm calls in the same page, after 10: 15 single calls, each timed alone as
//                   the first is (median), and 15 batches of 10 (median ÷ 10, for scale).
// Every mode also reports the timer's resolution in its page (resolutionMs).
import { timerResolution } from '/timer.js';

const q = new URLSearchParams(location.search);
const entry = ['index', 'slim', 'umd'].includes(q.get('entry')) ? q.get('entry') : 'index';
const mode = ['preload', 'profile', 'parts'].includes(q.get('mode')) ? q.get('mode') : 'breakdown';
const base = q.get('base');
const now = () => performance.now();

/** The entry's API: the ESM namespace, or window.Clink after the UMD script ran. */
async function loadEntry() {
  if (entry !== 'umd') return import(`/pkg/${entry}.js`);
  await new Promise((ok, fail) => {
    const s = document.createElement('script');
    s.src = '/pkg/dist/index.umd.js';
    s.onload = ok;
    s.onerror = () => fail(new Error('the UMD script did not load'));
    document.head.appendChild(s);
  });
  return window.Clink;
}

/** The fallback js/index.js uses where the engine has no Uint8Array.fromBase64. */
function decodeBase64Loop(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** `bytes` + a custom section: the same code, bytes V8 has not compiled in this process yet
 *  (it shares compiled modules by their bytes, so the SDK's own compile would answer ours). */
function withCustomSection(bytes, tag) {
  const body = new TextEncoder().encode(`\u0005bench${tag}`);
  const leb = [];
  for (let n = body.length; ; ) {
    const b = n & 0x7f;
    n >>>= 7;
    leb.push(n ? b | 0x80 : b);
    if (!n) break;
  }
  const out = new Uint8Array(bytes.length + 1 + leb.length + body.length);
  out.set(bytes);
  out.set([0, ...leb], bytes.length);
  out.set(body, bytes.length + 1 + leb.length);
  return out;
}

/** Functions that do nothing for every import: instantiating costs the same as with the glue's. */
function stubImports(module) {
  const imports = {};
  for (const { module: m, name, kind } of WebAssembly.Module.imports(module)) {
    if (kind !== 'function') throw new Error(`the wasm imports ${m}.${name}, a ${kind}: the bench stubs only functions`);
    (imports[m] ??= {})[name] = () => {};
  }
  return imports;
}

const tag = () => `${Date.now()}-${Math.random()}`;

/** Timestamps of the platform calls the first loadClink makes (fetch, base64 decode, inflate,
 *  compile, instantiate), taken by thin wrappers installed before the entry loads and removed
 *  right after the first call: where its time goes, seen from outside the SDK. */
const marks = [];
function watchPlatform() {
  const mark = (label) => marks.push([label, now()]);
  const undo = [];
  const swap = (obj, key, make) => {
    const orig = obj[key];
    if (typeof orig !== 'function') return;
    obj[key] = make(orig);
    undo.push(() => (obj[key] = orig));
  };
  const around = (before, after) => (orig) =>
    function (...a) {
      mark(before);
      const out = orig.apply(this, a);
      if (out && typeof out.then === 'function') return out.then((v) => (mark(after), v));
      mark(after);
      return out;
    };
  swap(window, 'fetch', around('fetch', 'fetched'));
  swap(window, 'atob', around('decode', 'atob done'));
  swap(Uint8Array, 'fromBase64', around('decode', 'decoded'));
  swap(WebAssembly, 'compile', around('compile', 'compiled'));
  swap(WebAssembly, 'compileStreaming', around('compile', 'compiled'));
  swap(window, 'DecompressionStream', (orig) => new Proxy(orig, { construct: (t, a, n) => (mark('inflate'), Reflect.construct(t, a, n)) }));
  swap(WebAssembly, 'Instance', (orig) =>
    new Proxy(orig, {
      construct(t, a, n) {
        mark('instantiate');
        const i = Reflect.construct(t, a, n);
        mark('instantiated');
        return i;
      },
    }),
  );
  return () => undo.forEach((f) => f());
}

/** Phases of the first call from the marks (ms; null when the entry made no such call). */
function phases(t1, t2) {
  const during = marks.filter(([, t]) => t >= t1);
  const after = (label, from = t1) => during.find(([l, t]) => l === label && t >= from)?.[1];
  const lastBefore = (label, until) => during.filter(([l, t]) => l === label && t <= until).pop()?.[1];
  const span = (a, b) => (a === undefined || b === undefined ? null : b - a);
  const compile = after('compile');
  const decode = after('decode');
  // fromBase64 ends at "decoded"; atob at the first platform call after it (its byte loop between).
  const atobDone = after('atob done');
  const decoded = after('decoded') ?? (atobDone === undefined ? undefined : during.find(([l, t]) => t > atobDone && l !== 'atob done')?.[1]);
  const inflate = compile === undefined ? undefined : lastBefore('inflate', compile);
  const instantiated = after('instantiated');
  const wasmStart = Math.min(...[decode, after('fetch'), compile, inflate].filter((t) => t !== undefined), t2);
  return {
    beforeMs: wasmStart - t1, // loadClink's own start until the first of these platform calls
    fetchMs: span(after('fetch'), after('fetched')),
    decodeMs: span(decode, decoded),
    inflateMs: span(inflate, compile), // the DecompressionStream feeding the compile, until compile is called
    compileMs: span(compile, after('compiled')),
    gapMs: span(after('compiled'), after('instantiate')), // from compiled to the Instance constructor
    instantiateMs: span(after('instantiate'), instantiated),
    afterMs: instantiated === undefined ? null : t2 - instantiated, // glue start-up, the first plan, the answer
  };
}

async function instantiateMs(module) {
  const t = now();
  new WebAssembly.Instance(module, stubImports(module));
  return now() - t;
}

/** Default and UMD entries: the parts on the base64 text inlined in the built file itself. */
async function inlinedParts() {
  const file = entry === 'umd' ? '/pkg/dist/index.umd.js' : '/pkg/index.js';
  const text = await (await fetch(file)).text();
  const literals = [...text.matchAll(/["'`]([A-Za-z0-9+/]{1000,}={0,2})["'`]/g)].map((m) => m[1]);
  if (!literals.length) throw new Error(`no inlined base64 found in ${file}`);
  const b64 = literals.reduce((a, b) => (b.length > a.length ? b : a));
  // As the entry decodes: Uint8Array.fromBase64 where the engine has it, else atob + a loop
  // (timed too, for engines without it).
  let t = now();
  const loopBytes = decodeBase64Loop(b64);
  const loopMs = now() - t;
  let deflated = loopBytes;
  let decodeMs = loopMs;
  const native = typeof Uint8Array.fromBase64 === 'function';
  if (native) {
    t = now();
    deflated = Uint8Array.fromBase64(b64);
    decodeMs = now() - t;
  }
  t = now();
  // A Response's body as the source: about half the time of a Blob's stream in fresh pages.
  const inflated = new Response(new Response(deflated).body.pipeThrough(new DecompressionStream('deflate-raw')));
  const wasm = new Uint8Array(await inflated.arrayBuffer());
  const inflateMs = now() - t;
  const unique = withCustomSection(wasm, tag());
  t = now();
  const module = await WebAssembly.compile(unique);
  const compileMs = now() - t;
  const instMs = await instantiateMs(module);
  return {
    base64Chars: b64.length, wasmBytes: wasm.length,
    decodeMs, decodeHow: native ? 'fromBase64' : 'atob', loopMs, inflateMs, compileMs, instantiateMs: instMs,
    partsMs: decodeMs + inflateMs + compileMs + instMs,
  };
}

/** Slim entry: fetch + streaming compile of the same .wasm (custom section appended by the
 *  server), then instantiate. */
async function slimParts() {
  let t = now();
  const module = await WebAssembly.compileStreaming(fetch(`/variant/clink_bg.wasm?n=${tag()}`));
  const compileMs = now() - t;
  const instMs = await instantiateMs(module);
  return { compileMs, instantiateMs: instMs, partsMs: compileMs + instMs };
}

async function breakdown() {
  const unwatch = watchPlatform();
  const t0 = now();
  const api = await loadEntry();
  const t1 = now();
  try {
    await api.loadClink('pk_test_first', { checkoutBaseUrl: base });
  } finally {
    unwatch();
  }
  const t2 = now();
  const inside = phases(t1, t2);
  return { importMs: t1 - t0, firstMs: t2 - t1, ...(await parts()), inside };
}

async function preload() {
  const t0 = now();
  const api = await loadEntry();
  const t1 = now();
  if (typeof api.preloadClink !== 'function') return { importMs: t1 - t0, missing: true };
  await api.preloadClink();
  const t2 = now();
  await api.loadClink('pk_test_first', { checkoutBaseUrl: base });
  const t3 = now();
  for (let i = 0; i < 10; i++) await api.loadClink('pk_test_first', { checkoutBaseUrl: base });
  // The warm call timed as the first one is: a single call, the same timer; 15 of them, the
  // median (a mean would carry every preemption of this shared machine).
  const single = [];
  for (let c = 0; c < 15; c++) {
    const t = now();
    await api.loadClink('pk_test_first', { checkoutBaseUrl: base });
    single.push(now() - t);
  }
  // For scale: the same calls in batches of 10 (a few timer steps per call), median batch ÷ 10.
  const batches = [];
  for (let b = 0; b < 15; b++) {
    const t = now();
    for (let i = 0; i < 10; i++) await api.loadClink('pk_test_first', { checkoutBaseUrl: base });
    batches.push((now() - t) / 10);
  }
  const warmMs = single.sort((x, y) => x - y)[7];
  const warmBatchMs = batches.sort((x, y) => x - y)[7];
  return { importMs: t1 - t0, preloadMs: t2 - t1, firstMs: t3 - t2, warmMs, warmBatchMs, ratio: (t3 - t2) / warmMs };
}

async function profile() {
  const api = await loadEntry();
  await new Promise((go) => {
    window.__go = go;
    window.__imported = true;
  });
  const t1 = now();
  await api.loadClink('pk_test_first', { checkoutBaseUrl: base });
  return { firstMs: now() - t1 };
}

const parts = () => (entry === 'slim' ? slimParts() : inlinedParts());

/** Every mode but profile starts when the driver calls window.__go(): it waits until the page
 *  and the browser settled (the previous sample's renderer is still shutting down on 2 cores). */
const started = mode === 'profile' ? Promise.resolve() : new Promise((go) => ((window.__go = go), (window.__waiting = true)));
window.__first = started
  .then({ preload, profile, parts, breakdown }[mode])
  .then((figures) => ({ ...figures, resolutionMs: timerResolution() }));
