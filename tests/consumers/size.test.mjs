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

// Issue 20 (docs/embedded-checkout.md) added 325 B to index.js; issue 19's messages for newcomers'
// mistakes (docs/errors.md) 786 B more; slim.js grew 682 B for both (they live in the shell).
const CEILINGS = {
  'index.js': 22_200,
  'dist/index.umd.js': 22_350,
  'clink_bg.wasm': 17_400,
  'slim.js': 5_200,
};

for (const [file, ceiling] of Object.entries(CEILINGS)) {
  test(`size: ${file} stays under ${ceiling} bytes gzip`, () => {
    const size = gz(file);
    assert.ok(size <= ceiling, `${file} is ${size} bytes gzip (ceiling ${ceiling})`);
  });
}
