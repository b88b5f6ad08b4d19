// Byte-size ceilings of the built package (deterministic, unlike timings): a regression guard
// just above today's sizes, and the UMD budget itself (20 KB gzip). All budgets are checked
// by `node bench/run.mjs`; the 15 KB one of the default entry is still missed (BENCHMARKS.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '../../pkg');
const gz = (f) => gzipSync(readFileSync(join(pkg, f)), { level: 9 }).length;

const CEILINGS = {
  'index.js': 20_300,
  'dist/index.umd.js': 20_000,
  'clink_bg.wasm': 17_000,
  'slim.js': 4_000,
};

for (const [file, ceiling] of Object.entries(CEILINGS)) {
  test(`size: ${file} stays under ${ceiling} bytes gzip`, () => {
    const size = gz(file);
    assert.ok(size <= ceiling, `${file} is ${size} bytes gzip (ceiling ${ceiling})`);
  });
}
