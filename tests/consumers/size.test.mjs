// Byte-size ceilings of the built package (deterministic for one toolchain, unlike timings):
// a regression guard ~2% above today's sizes, so that a compiler update cannot turn CI red
// by a few bytes. The budgets themselves (15 KB / 20 KB gzip) are checked by
// `node bench/run.mjs`; both are missed since the reliability fixes (BENCHMARKS.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '../../pkg');
const gz = (f) => gzipSync(readFileSync(join(pkg, f)), { level: 9 }).length;

const CEILINGS = {
  'index.js': 21_100,
  'dist/index.umd.js': 21_200,
  'clink_bg.wasm': 17_050,
  'slim.js': 4_500,
};

for (const [file, ceiling] of Object.entries(CEILINGS)) {
  test(`size: ${file} stays under ${ceiling} bytes gzip`, () => {
    const size = gz(file);
    assert.ok(size <= ceiling, `${file} is ${size} bytes gzip (ceiling ${ceiling})`);
  });
}
