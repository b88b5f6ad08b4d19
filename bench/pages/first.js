// The first loadClink on a fresh page (bench/run.mjs opens one per sample, in a new browser
// context: no HTTP cache, no compiled-code cache). Sets window.__first to a promise of numbers.
//   mode=breakdown  import the entry, time the first loadClink, then time its unavoidable parts
//                   in the same page on the same bytes: base64 decode, inflate, compile,
//                   instantiate (default and UMD entries); fetch + streaming compile, instantiate
//                   (slim entry).
//   mode=preload    import the entry, await preloadClink(), time the first loadClink, then
//                   warm calls in the same page (median of 15 batches of 10, after 10).
const q = new URLSearchParams(location.search);
const entry = ['index', 'slim', 'umd'].includes(q.get('entry')) ? q.get('entry') : 'index';
const mode = q.get('mode') === 'preload' ? 'preload' : 'breakdown';
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

/** What js/index.js does with the inlined text (atob, then a byte loop). */
function decodeBase64(text) {
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
  let t = now();
  const deflated = decodeBase64(b64);
  const decodeMs = now() - t;
  let fromBase64Ms = null;
  if (typeof Uint8Array.fromBase64 === 'function') {
    t = now();
    Uint8Array.fromBase64(b64);
    fromBase64Ms = now() - t;
  }
  t = now();
  const inflated = new Response(new Blob([deflated]).stream().pipeThrough(new DecompressionStream('deflate-raw')));
  const wasm = new Uint8Array(await inflated.arrayBuffer());
  const inflateMs = now() - t;
  const unique = withCustomSection(wasm, tag());
  t = now();
  const module = await WebAssembly.compile(unique);
  const compileMs = now() - t;
  const instMs = await instantiateMs(module);
  return {
    base64Chars: b64.length, wasmBytes: wasm.length,
    decodeMs, fromBase64Ms, inflateMs, compileMs, instantiateMs: instMs,
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
  const t0 = now();
  const api = await loadEntry();
  const t1 = now();
  await api.loadClink('pk_test_first', { checkoutBaseUrl: base });
  const t2 = now();
  const parts = entry === 'slim' ? await slimParts() : await inlinedParts();
  return { importMs: t1 - t0, firstMs: t2 - t1, ...parts };
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
  // A warm call is ~10 µs, two steps of the isolated timer (5 µs): timed in batches of 10, and
  // the median batch taken (a mean would carry every preemption of this shared machine).
  const batches = [];
  for (let b = 0; b < 15; b++) {
    const t = now();
    for (let i = 0; i < 10; i++) await api.loadClink('pk_test_first', { checkoutBaseUrl: base });
    batches.push((now() - t) / 10);
  }
  const warmMs = batches.sort((x, y) => x - y)[7];
  return { importMs: t1 - t0, preloadMs: t2 - t1, firstMs: t3 - t2, warmMs, ratio: (t3 - t2) / warmMs };
}

window.__first = mode === 'preload' ? preload() : breakdown();
