// The bindings as built into pkg/: small, importing the main entry instead of carrying a copy of
// it, React external, 'use client' first. Byte counts are deterministic (gzip = node:zlib -9, as
// bench/bindings-size.mjs and BENCHMARKS.md "Framework bindings").
// Run: node --test tests/bindings/size.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PKG_DIR } from '../consumers/support.mjs';

const CEILINGS = { 'react.js': 1_800, 'element.js': 1_400 }; // gzip bytes; ~25% over today's sizes
const read = (f) => {
  assert.ok(existsSync(join(PKG_DIR, f)), `${f} missing: bash scripts/build.sh`);
  return readFileSync(join(PKG_DIR, f));
};

test('bindings size: react.js and element.js stay under their gzip ceilings', () => {
  for (const [file, ceiling] of Object.entries(CEILINGS)) {
    const gz = gzipSync(read(file), { level: 9 }).length;
    console.log(`${file}: ${read(file).length} B raw, ${gz} B gzip (ceiling ${ceiling})`);
    assert.ok(gz <= ceiling, `${file}: ${gz} B gzip > ${ceiling}`);
  }
});

test('bindings size: each imports the main entry as ./index.js and bundles none of the SDK; React stays external', () => {
  for (const file of Object.keys(CEILINGS)) {
    const code = read(file).toString('utf8');
    const imports = [...code.matchAll(/import\s*\{[^}]*\}\s*from\s*"([^"]+)"/g)].map((m) => m[1]).sort();
    assert.deepEqual(imports, file === 'react.js' ? ['./index.js', 'react'] : ['./index.js'], `${file} imports`);
    assert.doesNotMatch(code, /WebAssembly|DecompressionStream/, `${file} carries no SDK code`);
  }
  assert.match(read('react.js').toString('utf8'), /^["']use client["'];/, "react.js starts with 'use client'");
  assert.doesNotMatch(read('index.js').toString('utf8'), /from\s*"react"|clink-checkout/, 'the main entry never imports React or the element');
});
