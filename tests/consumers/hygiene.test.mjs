// Package hygiene: what `npm pack` of pkg/ would publish (only what users need), the
// package.json fields tools rely on, and the size case for the slim entry (printed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { NPM_QUIET, PKG_DIR, assertPkgBuilt, run } from './support.mjs';

const EXPECTED_FILES = [
  'LICENSE',
  'README.md',
  'clink_bg.wasm',
  'dist/index.umd.d.ts',
  'dist/index.umd.js',
  'dist/package.json', // { "type": "commonjs" }: the UMD file is CommonJS for require()
  'element.d.ts',
  'element.js',
  'index.d.ts',
  'index.js',
  'package.json',
  'react.d.ts',
  'react.js',
  'slim.d.ts',
  'slim.js',
];

test('hygiene: npm pack publishes only the entry points, their types, the wasm, README, LICENSE', { timeout: 60000 }, async () => {
  assertPkgBuilt();
  const { stdout } = await run('npm', ['pack', '--dry-run', '--json', ...NPM_QUIET], { cwd: PKG_DIR, timeout: 60000 });
  const [info] = JSON.parse(stdout.slice(stdout.indexOf('[')));
  const files = info.files.map((f) => f.path).sort();
  console.log(`npm pack: ${info.filename}, ${info.entryCount} files, ${info.size} B packed, ${info.unpackedSize} B unpacked`);
  for (const f of info.files) console.log(`  ${String(f.size).padStart(8)}  ${f.path}`);
  const suspicious = files.filter((f) => /(^|\/)(src|tests?|target|build|node_modules|www|scripts|bench|fuzz)\//.test(f) || /\.(map|rs|toml|lock|tgz|log)$/.test(f) || /(^|\/)\./.test(f));
  assert.deepEqual(suspicious, [], 'no sources, tests, build leftovers, source maps or dotfiles');
  assert.deepEqual(files, EXPECTED_FILES);
  assert.equal(info.name, '@clink-ai/clink-js');
});

test('hygiene: package.json has name, version, license, repository, exports (types first), types, sideEffects only for the element entry, files', () => {
  const pj = JSON.parse(readFileSync(join(PKG_DIR, 'package.json'), 'utf8'));
  assert.equal(pj.name, '@clink-ai/clink-js');
  assert.match(pj.version, /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, 'a semver version');
  assert.equal(typeof pj.license, 'string');
  assert.ok(pj.license.length > 0);
  assert.ok(existsSync(join(PKG_DIR, 'LICENSE')), 'LICENSE file');
  const repo = typeof pj.repository === 'string' ? pj.repository : pj.repository && pj.repository.url;
  assert.ok(repo, 'repository');
  assert.deepEqual(pj.sideEffects, ['./element.js']);
  assert.ok(Array.isArray(pj.files) && pj.files.length > 0, 'files');
  assert.equal(pj.types, './index.d.ts');
  assert.ok(existsSync(join(PKG_DIR, pj.types)));

  // Every conditional export lists `types` first (TypeScript takes the first matching condition),
  // and every target exists.
  const dot = pj.exports && pj.exports['.'];
  assert.ok(dot && typeof dot === 'object', 'exports["."]');
  assert.deepEqual(Object.keys(dot), ['types', 'import', 'require', 'default']);
  assert.equal(dot.types, './index.d.ts');
  assert.equal(dot.import, './index.js');
  // CommonJS resolves the UMD file with its own types (dist/ is "type": "commonjs").
  assert.deepEqual(dot.require, { types: './dist/index.umd.d.ts', default: './dist/index.umd.js' });
  const targets = [];
  for (const [sub, value] of Object.entries(pj.exports)) {
    if (typeof value === 'string') {
      targets.push(value);
      continue;
    }
    if ('types' in value) assert.equal(Object.keys(value)[0], 'types', `exports["${sub}"]: types first`);
    assert.equal(Object.keys(value).at(-1), 'default', `exports["${sub}"]: default last`);
    targets.push(...Object.values(value).flatMap((v) => (typeof v === 'string' ? [v] : Object.values(v))));
  }
  const distPj = JSON.parse(readFileSync(join(PKG_DIR, 'dist', 'package.json'), 'utf8'));
  assert.equal(distPj.type, 'commonjs', 'dist/ is CommonJS, so require() loads the UMD file as a script');
  for (const t of [...targets, pj.main, pj.module, pj.types].filter(Boolean)) {
    assert.ok(existsSync(join(PKG_DIR, t)), `${t} exists`);
  }
});

test('hygiene: inlining the wasm costs at most 5% over slim.js + clink_bg.wasm (gzip)', () => {
  const gz = (f) => gzipSync(readFileSync(join(PKG_DIR, f)), { level: 9 }).length;
  const raw = (f) => readFileSync(join(PKG_DIR, f)).length;
  const inline = gz('index.js');
  const slim = gz('slim.js') + gz('clink_bg.wasm');
  const umd = gz('dist/index.umd.js');
  console.log(`index.js (wasm inlined):   ${raw('index.js')} B raw, ${inline} B gzip`);
  console.log(`slim.js + clink_bg.wasm:   ${raw('slim.js')} + ${raw('clink_bg.wasm')} B raw, ${gz('slim.js')} + ${gz('clink_bg.wasm')} = ${slim} B gzip`);
  console.log(`dist/index.umd.js:         ${raw('dist/index.umd.js')} B raw, ${umd} B gzip`);
  console.log(`inline - slim: ${inline - slim} B gzip (${(((inline - slim) / slim) * 100).toFixed(1)} %)`);
  // The inline copy is zopfli-deflated + base64: about the size of the .wasm served with gzip.
  assert.ok(inline <= slim * 1.05, `inline ${inline} B gzip should be at most 5% over slim ${slim} B gzip`);
});
