#!/usr/bin/env node
// Other SDKs' browser loaders, measured the way a merchant's bundler would ship them:
// `node bench/peers.mjs [--print]`. Installs each peer at a pinned version from the npm
// registry into a temporary directory (never into this repository: they are not dependencies),
// bundles what `import` of its entry loads (its own files and its dependencies) with esbuild,
// minified for the browser, and gzips the bundle at level 9 (node:zlib, as bench/run.mjs does for
// pkg/). Also bundles this package's default entry `pkg/index.js` the same way when it is built.
// Writes the "Peers" section of BENCHMARKS.md (bench/markdown.mjs keeps every other section);
// with --print it only prints. Needs the npm registry; exits 2 when it cannot reach it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { PKG } from './server.mjs';
import { writeSections } from './markdown.mjs';

/** The peers: name, npm package and version, the module a page imports, and what it is. */
const PEERS = [
  { name: 'Stripe loader', pkg: '@stripe/stripe-js', version: '10.2.1', entry: '@stripe/stripe-js', what: 'loads Stripe.js from `https://js.stripe.com` with a `<script>` tag; the embedded checkout is in that script, not in this figure' },
  { name: 'Polar embed', pkg: '@polar-sh/checkout', version: '0.4.1', entry: '@polar-sh/checkout/embed', what: 'the embedded checkout: an overlay iframe and its messages' },
  { name: 'Paddle loader', pkg: '@paddle/paddle-js', version: '1.6.5', entry: '@paddle/paddle-js', what: 'loads Paddle.js from `https://cdn.paddle.com` with a `<script>` tag; the checkout is in that script, not in this figure' },
  { name: 'penpal', pkg: 'penpal', version: '7.0.6', entry: 'penpal', what: 'postMessage RPC between a page and an iframe' },
  { name: 'iframe-resizer parent', pkg: '@iframe-resizer/parent', version: '5.5.9', entry: '@iframe-resizer/parent', what: "the parent page's half of iframe auto-resizing" },
  // zoid's `main` picks dist/zoid.js or dist/zoid.frame.js by process.env at run time, which a
  // browser bundle cannot decide: the browser's file is named.
  { name: 'zoid', pkg: 'zoid', version: '9.0.86', entry: 'zoid/dist/zoid.js', what: "cross-domain components (PayPal's checkout buttons are built on it)" },
];

const print = process.argv.includes('--print');
const KB = (b) => `${(b / 1000).toFixed(1)} KB`;

/** `import * as m from entry`, kept whole (a merchant's page may use any export), bundled and
 *  minified for the browser. Returns raw and gzip -9 bytes and the bundle's input files. */
async function bundled(entry, resolveDir) {
  const out = await build({
    stdin: { contents: `import * as m from ${JSON.stringify(entry)};\nglobalThis.__peer = m;\n`, resolveDir, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    define: { 'process.env.NODE_ENV': '"production"' },
    absWorkingDir: resolveDir, // the metafile's paths: node_modules/<package>/…
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const bytes = out.outputFiles[0].contents;
  return { raw: bytes.length, gz: gzipSync(bytes, { level: 9 }).length, inputs: Object.keys(out.metafile.inputs).filter((f) => f !== '<stdin>') };
}

const dir = mkdtempSync(join(tmpdir(), 'clink-peers-'));
let rows;
try {
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true, name: 'clink-bench-peers' }));
  const specs = PEERS.map((p) => `${p.pkg}@${p.version}`);
  console.error(`peers: npm install ${specs.join(' ')} (in ${dir})`);
  const npm = spawnSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock', '--legacy-peer-deps', '--loglevel=error', ...specs], { cwd: dir, stdio: ['ignore', 2, 2], timeout: 5 * 60_000 });
  if (npm.status !== 0) {
    console.error(`peers: npm install failed (${npm.error ? npm.error.message : `exit ${npm.status}`}); npm's message is above`);
    process.exit(2);
  }
  rows = [];
  for (const p of PEERS) {
    const installed = JSON.parse(readFileSync(join(dir, 'node_modules', p.pkg, 'package.json'), 'utf8')).version;
    if (installed !== p.version) throw new Error(`${p.pkg}: npm installed ${installed}, not ${p.version}`);
    const b = await bundled(p.entry, dir);
    const own = `node_modules/${p.pkg}/`;
    const deps = new Set(b.inputs.filter((f) => !f.startsWith(own)).map((f) => /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f)?.[1] ?? relative(dir, f)));
    rows.push({ ...p, ...b, files: b.inputs.length, deps: [...deps].sort() });
  }
  if (existsSync(join(PKG, 'index.js'))) {
    const b = await bundled(join(PKG, 'index.js'), dir);
    rows.push({ name: 'this SDK, default entry', pkg: '`pkg/index.js`', version: 'as built', what: 'the whole SDK: key and option checks, bootstrap, embedded checkout (wasm inlined)', ...b, files: b.inputs.length, deps: [] });
  }
} catch (e) {
  console.error(`peers: ${e.stack || e}`);
  process.exit(2);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const date = new Date().toISOString().slice(0, 10);
const section = `Written by \`node bench/peers.mjs\` on ${date}; for scale beside "Size" above. Each peer is installed at
the version named from the npm registry into a temporary directory (not a dependency of this
repository); \`import * as m from '<entry>'\` is bundled by esbuild (minified, for the browser,
so a package's \`browser\` field is followed as bundlers do; every export kept) with everything it
imports, and the bundle gzipped at level 9 (node:zlib). The SDK's own default entry is put
through the same bundler, so the rows compare like with like.

| peer | npm package and version | entry | what it is | files bundled (dependencies) | minified | gzip |
| --- | --- | --- | --- | --- | --- | --- |
${rows.map((r) => `| ${r.name} | ${r.pkg.startsWith('`') ? r.pkg : `\`${r.pkg}@${r.version}\``} | ${r.pkg.startsWith('`') ? '–' : `\`${r.entry}\``} | ${r.what} | ${r.files}${r.deps.length ? ` (from ${r.deps.map((d) => `\`${d}\``).join(', ')})` : ''} | ${KB(r.raw)} | ${KB(r.gz)} |`).join('\n')}
`;
console.log(section);
if (!print) writeSections({ Peers: section }, { before: ['How measured', 'Framework bindings', 'History'] });
