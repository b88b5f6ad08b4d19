// Byte-size ceilings of the built package (deterministic, unlike timings): a regression guard
// just above today's sizes. The project's budgets (15 KB / 20 KB gzip) are checked by
// `node bench/run.mjs`, which today misses them; see BENCHMARKS.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '../../pkg');
const gz = (f) => gzipSync(readFileSync(join(pkg, f)), { level: 9 }).length;

const CEILINGS = {
  'index.js': 32_000,
  'dist/index.umd.js': 32_500,
  'clink_bg.wasm': 27_000,
  'slim.js': 4_500,
};

for (const [file, ceiling] of Object.entries(CEILINGS)) {
  test(`size: ${file} stays under ${ceiling} bytes gzip`, () => {
    const size = gz(file);
    assert.ok(size <= ceiling, `${file} is ${size} bytes gzip (ceiling ${ceiling})`);
  });
}
