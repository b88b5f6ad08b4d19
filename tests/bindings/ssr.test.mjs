// Server rendering of the bindings in Node: the React provider + <EmbeddedCheckout> rendered with
// react-dom/server (React 18 and 19, each bundled for Node by esbuild like a framework's server
// build) renders the empty <div>, calls nothing (no loadClink, fetch, fetchSession, WebAssembly)
// and warns nothing; importing the element entry in Node throws nothing and defines nothing.
// Run: node --test tests/bindings/ssr.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HERE, ensureBindingDeps, esbuild, prepareWorkDir, reactAlias } from './support.mjs';

const VERSIONS = [18, 19];
const ctx = { work: null, bundles: {} };

before(async () => {
  await ensureBindingDeps();
  ctx.work = await prepareWorkDir();
  const { build } = await esbuild();
  // The binding's one import of the SDK ('./index.js' next to react.js) is routed through a spy
  // that counts loadClink calls and then calls the real one.
  const spy = join(ctx.work.dir, 'loadclink-spy.mjs');
  writeFileSync(
    spy,
    `import { loadClink as real } from ${JSON.stringify(join(ctx.work.pkg, 'index.js'))};
export * from ${JSON.stringify(join(ctx.work.pkg, 'index.js'))};
export function loadClink(...args) { globalThis.__loadClinkCalls.push(args); return real(...args); }
`,
  );
  const spyPlugin = {
    name: 'loadclink-spy',
    setup(b) {
      b.onResolve({ filter: /^\.\/index\.js$/ }, (args) => (/clink-js[\\/]react\.js$/.test(args.importer) ? { path: spy } : undefined));
    },
  };
  for (const v of VERSIONS) {
    const outfile = join(ctx.work.dir, `ssr${v}.mjs`);
    await build({
      entryPoints: [join(ctx.work.dir, 'apps', 'react', 'ssr.jsx')],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      jsx: 'automatic',
      alias: reactAlias(v),
      absWorkingDir: HERE, // esbuild resolves alias targets from the working directory
      // React's CommonJS files require() Node built-ins in an ESM bundle.
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
      define: { 'process.env.NODE_ENV': '"development"' },
      plugins: [spyPlugin],
      logLevel: 'warning',
    });
    ctx.bundles[v] = outfile;
  }
}, { timeout: 360000 });

after(() => ctx.work?.cleanup());

/** Runs fn with console, fetch and WebAssembly spied on; returns what was called. */
async function observed(fn) {
  const calls = { console: [], fetch: 0, wasm: 0, loadClink: [] };
  globalThis.__loadClinkCalls = calls.loadClink;
  const saved = { console: {}, fetch: globalThis.fetch, wasm: {} };
  for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
    saved.console[level] = console[level];
    console[level] = (...args) => calls.console.push([level, args.map(String).join(' ')]);
  }
  globalThis.fetch = () => {
    calls.fetch++;
    return Promise.reject(new Error('no fetch during SSR'));
  };
  for (const name of ['compile', 'instantiate', 'compileStreaming', 'instantiateStreaming']) {
    saved.wasm[name] = WebAssembly[name];
    WebAssembly[name] = (...args) => {
      calls.wasm++;
      return saved.wasm[name].apply(WebAssembly, args);
    };
  }
  try {
    const value = await fn();
    await new Promise((r) => setTimeout(r, 50)); // anything scheduled would have run by now
    return { value, calls };
  } finally {
    Object.assign(console, saved.console);
    globalThis.fetch = saved.fetch;
    Object.assign(WebAssembly, saved.wasm);
  }
}

for (const v of VERSIONS) {
  test(`ssr, React ${v}: renderToString renders the empty div; no loadClink, fetch, fetchSession or WebAssembly; no warning`, async () => {
    const { render } = await import(pathToFileURL(ctx.bundles[v]).href);
    const spies = { fetchImpl: 0, fetchSession: 0, onEvent: 0, pollStatus: 0 };
    const { value: html, calls } = await observed(() =>
      render({
        fetchImpl: () => (spies.fetchImpl++, Promise.reject(new Error('x'))),
        fetchSession: () => (spies.fetchSession++, Promise.reject(new Error('x'))),
        onEvent: () => spies.onEvent++,
        pollStatus: () => (spies.pollStatus++, null),
      }),
    );
    assert.match(html, /<div id="checkout" class="clink-checkout"><\/div>/, `the component's div, empty: ${html}`);
    assert.match(html, /<p id="status">null null<\/p>/, 'useClink() on the server: { clink: null, error: null }');
    assert.deepEqual(calls.loadClink, [], 'loadClink not called');
    assert.deepEqual(spies, { fetchImpl: 0, fetchSession: 0, onEvent: 0, pollStatus: 0 });
    assert.equal(calls.fetch, 0, 'no fetch');
    assert.equal(calls.wasm, 0, 'no WebAssembly compiled');
    assert.deepEqual(calls.console, [], 'no console output (no warning)');
  });
}

test('ssr, the spy is wired (sanity): the bundle routes the binding through it', () => {
  for (const v of VERSIONS) assert.match(readFileSync(ctx.bundles[v], 'utf8'), /__loadClinkCalls/, `React ${v} bundle`);
});

test('ssr: importing @clink-ai/clink-js/element and /react unbundled in Node throws nothing and defines nothing', async () => {
  const before = Reflect.ownKeys(globalThis).map(String).sort();
  const { value: element, calls } = await observed(() => import(pathToFileURL(join(ctx.work.pkg, 'element.js')).href));
  assert.equal(typeof element.ClinkCheckoutElement, 'function');
  assert.equal(element.TAG_NAME, 'clink-checkout');
  assert.equal(typeof globalThis.customElements, 'undefined', 'nothing defined a registry');
  assert.deepEqual(calls, { console: [], fetch: 0, wasm: 0, loadClink: [] });
  const afterImport = Reflect.ownKeys(globalThis).map(String).sort();
  assert.deepEqual(afterImport.filter((k) => !before.includes(k) && k !== '__loadClinkCalls'), [], 'no new globals');
  // The react entry's source starts with the directive; in Node it needs `react`, which this
  // folder provides only under aliases: its text is checked instead.
  assert.match(readFileSync(join(ctx.work.pkg, 'react.js'), 'utf8'), /^["']use client["'];/, "react.js starts with 'use client'");
});
