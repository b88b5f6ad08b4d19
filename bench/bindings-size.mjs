// Prints the framework bindings' sizes (pkg/react.js, pkg/element.js: raw and gzip at node:zlib
// level 9, like bench/run.mjs) as the Markdown table of BENCHMARKS.md's "Framework bindings".
// Both import the main entry (`./index.js`) and React stays external, so these are the bytes a
// binding adds on top of the SDK an app already has. Run after a build: node bench/bindings-size.mjs
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const pkg = join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), 'pkg');
const kb = (n) => `${(n / 1000).toFixed(2)} KB`;
const rows = [
  ['`pkg/react.js` (`@clink-ai/clink-js/react`; `react` external)', 'react.js'],
  ['`pkg/element.js` (`@clink-ai/clink-js/element`)', 'element.js'],
  ['main entry `pkg/index.js`, for scale (unchanged by the bindings)', 'index.js'],
];
console.log('| file | raw | gzip |\n| --- | --- | --- |');
for (const [label, file] of rows) {
  const path = join(pkg, file);
  if (!existsSync(path)) throw new Error(`${path} is missing: bash scripts/build.sh`);
  const bytes = readFileSync(path);
  console.log(`| ${label} | ${kb(bytes.length)} (${bytes.length} B) | ${kb(gzipSync(bytes, { level: 9 }).length)} (${gzipSync(bytes, { level: 9 }).length} B) |`);
}
