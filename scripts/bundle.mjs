// Turns the wasm-bindgen output in build/wasm into the npm package in pkg/:
//   index.js          ESM, wasm inlined as base64 (zero configuration, runs unbundled)
//   slim.js + clink_bg.wasm   ESM that loads the .wasm by URL (smallest transfer)
//   dist/index.umd.js one self-contained file for a <script> tag (window.Clink) or require()
//   index.d.ts, package.json, README.md, LICENSE
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';
import { shortenNames } from './shorten-names.mjs';
import { trimGlue } from './trim-glue.mjs';

async function zopfliDeflate(bytes) {
  const events = ['uncaughtException', 'unhandledRejection'];
  const before = events.map((e) => process.listeners(e));
  const { default: zopfli } = await import('@gfx/zopfli');
  // Its emscripten runtime installs process-wide handlers on import that would print its whole
  // source on any later error of this script: remove them.
  events.forEach((e, i) => process.listeners(e).filter((l) => !before[i].includes(l)).forEach((l) => process.off(e, l)));
  return Buffer.from(await new Promise((done, fail) => zopfli.deflate(bytes, { numiterations: 15 }, (e, out) => (e ? fail(e) : done(out)))));
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'pkg');
const wasmDir = join(root, 'build/wasm');
const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version ?? '0.1.0';
const cargoVersion = /^version = "([^"]+)"/m.exec(readFileSync(join(root, 'Cargo.toml'), 'utf8'))[1];

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'dist'), { recursive: true });

const short = shortenNames(readFileSync(join(wasmDir, 'clink_bg.wasm')), trimGlue(readFileSync(join(wasmDir, 'clink.js'), 'utf8')));
const wasmBytes = Buffer.from(short.wasm);
await WebAssembly.compile(wasmBytes); // fail the build, not the buyer's page
// Zopfli writes ordinary deflate that is ~7% smaller than zlib's level 9 (BENCHMARKS.md).
const deflated = await zopfliDeflate(wasmBytes);
if (!inflateRawSync(deflated).equals(wasmBytes)) throw new Error('zopfli: inflated bytes differ');
writeFileSync(join(wasmDir, 'inline.js'), `export default ${JSON.stringify(deflated.toString('base64'))};\n`);

// One ClinkError class: the glue imports its copy of js/error.js from snippets/, which is
// resolved to the source file the entry points import.
const oneErrorModule = {
  name: 'one-error-module',
  setup(b) {
    b.onResolve({ filter: /snippets\/.*\/js\/error\.js$/ }, () => ({ path: join(root, 'js/error.js') }));
  },
};
// The glue's fallback `new URL('clink_bg.wasm', import.meta.url)` is dead code here (every
// entry passes module_or_path) and would break the IIFE build; drop it.
const noGlueUrlFallback = {
  name: 'no-glue-url-fallback',
  setup(b) {
    b.onLoad({ filter: /build[\\/]wasm[\\/]clink\.js$/ }, () => ({
      contents: short.glue.replace(
        /module_or_path = new URL\('clink_bg\.wasm', import\.meta\.url\);/,
        "throw new Error('clink: no wasm given');",
      ),
      loader: 'js',
    }));
  },
};
const common = {
  bundle: true,
  minify: true,
  target: 'es2022',
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [oneErrorModule, noGlueUrlFallback],
};

await build({ ...common, entryPoints: [join(root, 'js/index.js')], outfile: join(out, 'index.js'), format: 'esm', platform: 'neutral' });
await build({ ...common, entryPoints: [join(root, 'js/slim.js')], outfile: join(out, 'slim.js'), format: 'esm', platform: 'neutral' });
writeFileSync(join(out, 'clink_bg.wasm'), wasmBytes);

// js/umd.js picks CommonJS, AMD or the window.Clink global itself.
await build({
  ...common,
  entryPoints: [join(root, 'js/umd.js')],
  outfile: join(out, 'dist/index.umd.js'),
  format: 'iife',
  platform: 'browser',
  // js/umd.js tests for CommonJS's `module` on purpose.
  logOverride: { 'commonjs-variable-in-esm': 'silent' },
});
// The package is "type": "module"; the UMD file is a classic script / CommonJS module.
writeFileSync(join(out, 'dist/package.json'), '{ "type": "commonjs" }\n');

copyFileSync(join(root, 'js/index.d.ts'), join(out, 'index.d.ts'));
copyFileSync(join(root, 'js/index.d.ts'), join(out, 'slim.d.ts'));
copyFileSync(join(root, 'js/index.d.ts'), join(out, 'dist/index.umd.d.ts'));
for (const f of ['README.md', 'LICENSE']) {
  try {
    copyFileSync(join(root, f), join(out, f));
  } catch {}
}
writeFileSync(
  join(out, 'package.json'),
  JSON.stringify(
    {
      name: '@clink-ai/clink-js',
      version: cargoVersion || version,
      description: "Clink's browser checkout SDK (redirect and embedded checkout), in Rust compiled to WebAssembly",
      license: 'MIT',
      repository: { type: 'git', url: 'https://github.com/clink-ai/clink-js' },
      type: 'module',
      main: './dist/index.umd.js',
      module: './index.js',
      types: './index.d.ts',
      unpkg: './dist/index.umd.js',
      exports: {
        '.': {
          types: './index.d.ts',
          import: './index.js',
          // CommonJS gets the UMD file, and its own copy of the types (a .d.ts in dist/, whose
          // package.json says commonjs).
          require: { types: './dist/index.umd.d.ts', default: './dist/index.umd.js' },
          default: './index.js',
        },
        './slim': { types: './slim.d.ts', import: './slim.js', default: './slim.js' },
        // The framework bindings (scripts/bundle-bindings.mjs); ESM only, like their peers.
        './react': { types: './react.d.ts', import: './react.js', default: './react.js' },
        './element': { types: './element.d.ts', import: './element.js', default: './element.js' },
        './dist/index.umd.js': { types: './dist/index.umd.d.ts', default: './dist/index.umd.js' },
        './clink_bg.wasm': './clink_bg.wasm',
        './package.json': './package.json',
      },
      files: ['index.js', 'index.d.ts', 'slim.js', 'slim.d.ts', 'react.js', 'react.d.ts', 'element.js', 'element.d.ts', 'clink_bg.wasm', 'dist/', 'README.md', 'LICENSE'],
      // Only the React binding needs them; the main entry and the element never import React.
      peerDependencies: { react: '>=18', 'react-dom': '>=18' },
      peerDependenciesMeta: { react: { optional: true }, 'react-dom': { optional: true } },
      // Only the element entry has an effect on import: it defines <clink-checkout>. A bare
      // `import '@clink-ai/clink-js/element'` would be dropped by bundlers under `false`.
      sideEffects: ['./element.js'],
      keywords: ['clink', 'checkout', 'payments', 'webassembly'],
    },
    null,
    2,
  ) + '\n',
);
console.log('[build] pkg/ written');
