// Builds the framework bindings into pkg/ (after scripts/bundle.mjs wrote the main entry):
//   react.js   + react.d.ts     @clink-ai/clink-js/react   ('use client' first; react external)
//   element.js + element.d.ts   @clink-ai/clink-js/element (defines <clink-checkout>)
// Both import the main entry as './index.js', kept external: the app and the binding share one
// copy of the SDK (one wasm, one bootstrap cache), unbundled and through any bundler.
import { build } from 'esbuild';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'pkg');
if (!existsSync(join(out, 'index.js'))) throw new Error('pkg/index.js is missing: run scripts/bundle.mjs first');

const mainEntryExternal = {
  name: 'main-entry-external',
  setup(b) {
    b.onResolve({ filter: /^\.\/index\.js$/ }, () => ({ path: './index.js', external: true }));
  },
};
const common = {
  bundle: true,
  minify: true,
  target: 'es2022',
  format: 'esm',
  platform: 'neutral',
  legalComments: 'none',
  logLevel: 'warning',
  external: ['react', 'react-dom'],
  plugins: [mainEntryExternal],
};

await build({ ...common, entryPoints: [join(root, 'js/react.js')], outfile: join(out, 'react.js') });
// 'use client' must be the file's first statement (Next.js's App Router looks for it there).
// esbuild keeps an entry point's directive in ESM output today but has dropped module-level
// directives when bundling before: put it back if it is missing.
const reactCode = readFileSync(join(out, 'react.js'), 'utf8');
if (!/^["']use client["'];/.test(reactCode)) writeFileSync(join(out, 'react.js'), `'use client';${reactCode}`);
await build({ ...common, entryPoints: [join(root, 'js/element.js')], outfile: join(out, 'element.js') });

for (const name of ['react', 'element']) {
  copyFileSync(join(root, `js/${name}.d.ts`), join(out, `${name}.d.ts`));
  const code = readFileSync(join(out, `${name}.js`), 'utf8');
  // The one import of the SDK is the sibling main entry, never a bundled copy.
  if (!/from"\.\/index\.js"/.test(code) || /WebAssembly/.test(code)) throw new Error(`pkg/${name}.js must import ./index.js and bundle no SDK code`);
}
if (!/^["']use client["'];/.test(readFileSync(join(out, 'react.js'), 'utf8'))) throw new Error("pkg/react.js must start with 'use client'");
console.log('[build] pkg/react.js, pkg/element.js written');
