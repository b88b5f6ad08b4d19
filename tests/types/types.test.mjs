// TypeScript declarations (pkg/index.d.ts), checked with `tsc --strict --noEmit`:
//   valid/*.ts   the rest of the documented surface: must compile (Clink's own examples are code
//                blocks of docs/api.md, type-checked by tests/docs/).
//   invalid.ts   misuses, each behind `// @ts-expect-error`: tsc passes only if every one errors;
//                compiled again with the directives removed, each case line must error.
//   the packed package, installed from its tarball, resolves its types through the exports map
//   under moduleResolution "bundler" and "nodenext" (ESM and CommonJS importers).
// Run: node --test tests/types/
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PKG_DIR, installTarball, packPkg, tempDir } from '../consumers/support.mjs';
import { execFile } from 'node:child_process';
import { docBlock } from '../support/doc-blocks.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = resolve(HERE, '..', '..');
// typescript from the workspace's devDependencies (TypeScript 7, the native compiler).
const TSC = process.env.CLINK_TSC || join(REPO_ROOT, 'node_modules', '.bin', 'tsc');
const temps = [];
after(() => temps.forEach((t) => t.cleanup()));

/** Runs tsc; resolves { code, out } (never rejects on compile errors), killed after 60 s. */
function tsc(args, cwd = HERE) {
  return new Promise((resolvePromise, reject) => {
    execFile(TSC, [...args, '--pretty', 'false'], { cwd, timeout: 60000, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err && err.killed) return reject(new Error(`tsc timed out\n${stdout}${stderr}`));
      if (err && typeof err.code !== 'number') return reject(err);
      resolvePromise({ code: err ? err.code : 0, out: `${stdout}${stderr}` });
    });
  });
}

/** Writes tsconfig `name` into `dir` and compiles it: no error, exit code 0. Returns tsc's
 *  output (with --traceResolution, for `resolvedTo`). */
async function compileClean(dir, name, config) {
  writeFileSync(join(dir, name), JSON.stringify(config, null, 2));
  const { code, out } = await tsc(['-p', name, '--traceResolution'], dir);
  const errors = out.split('\n').filter((l) => /error TS/.test(l));
  assert.deepEqual(errors, [], `${name}: ${errors.join('\n')}`);
  assert.equal(code, 0, `${name} failed`);
  return out;
}

/** The files (under node_modules/) that tsc resolved `specifier` to, from a --traceResolution output. */
function resolvedTo(out, specifier) {
  const escaped = specifier.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return [...out.matchAll(new RegExp(`Module name '${escaped}' was successfully resolved to '([^']+)'`, 'g'))].map((m) => m[1].split('node_modules/')[1]);
}

function prerequisites() {
  assert.ok(existsSync(TSC), `${TSC} missing: npm install at the repository root`);
  assert.ok(existsSync(join(PKG_DIR, 'index.d.ts')), `${join(PKG_DIR, 'index.d.ts')} missing: bash scripts/build.sh`);
}

test('types: tsc --strict --noEmit accepts every docs example (valid/*.ts) and refuses every misuse (invalid.ts)', { timeout: 90000 }, async () => {
  prerequisites();
  const version = (await tsc(['--version'])).out.trim();
  const { code, out } = await tsc(['-p', join(HERE, 'tsconfig.json'), '--strict', '--noEmit', '--listFilesOnly']);
  assert.equal(code, 0, out);
  const listed = out.split('\n').map((l) => l.trim());
  for (const f of [...readdirSync(join(HERE, 'valid')).map((f) => join(HERE, 'valid', f)), join(HERE, 'invalid.ts'), join(PKG_DIR, 'index.d.ts')]) {
    assert.ok(listed.some((l) => resolve(l) === resolve(f)), `${f} is part of the program`);
  }
  const r = await tsc(['-p', join(HERE, 'tsconfig.json'), '--strict', '--noEmit']);
  console.log(`${version}: ${r.code === 0 ? 'no errors' : r.out}`);
  assert.equal(r.code, 0, `tsc --strict --noEmit failed:\n${r.out}`);
});

test('types: with the @ts-expect-error directives removed, every case of invalid.ts errors on its own line', { timeout: 90000 }, async () => {
  prerequisites();
  const tmp = tempDir('clink-types-');
  temps.push(tmp);
  const lines = readFileSync(join(HERE, 'invalid.ts'), 'utf8').split('\n');
  const caseLines = [];
  const stripped = lines.map((line, i) => {
    if (/^\s*\/\/ @ts-expect-error/.test(line)) {
      caseLines.push(i + 2); // 1-based number of the line after the directive
      return '//';
    }
    return line;
  });
  const file = join(tmp.dir, 'invalid.ts');
  writeFileSync(file, stripped.join('\n'));
  writeFileSync(join(tmp.dir, 'tsconfig.json'), JSON.stringify({ extends: join(HERE, 'tsconfig.json'), include: [], files: [file] }));
  const { code, out } = await tsc(['-p', join(tmp.dir, 'tsconfig.json'), '--strict', '--noEmit']);
  assert.notEqual(code, 0, 'the stripped file must not compile');
  const errorLines = new Set([...out.matchAll(/invalid\.ts\((\d+),\d+\): error/g)].map((m) => Number(m[1])));
  const silent = caseLines.filter((n) => !errorLines.has(n)).map((n) => `${n}: ${lines[n - 1]}`);
  assert.deepEqual(silent, [], 'cases that compile although they should not');
  const stray = [...errorLines].filter((n) => !caseLines.includes(n));
  assert.deepEqual(stray, [], `errors on lines that are not cases:\n${out}`);
  console.log(`${caseLines.length} misuses refused`);
});

test('types: the packed package resolves its types through exports (bundler, nodenext ESM and CommonJS)', { timeout: 120000 }, async () => {
  prerequisites();
  const tmp = tempDir('clink-types-pkg-');
  temps.push(tmp);
  const tarball = await packPkg(tmp.dir);
  await installTarball(tmp.dir, tarball);
  const docs = docBlock('docs/api.md', 'clink-embedded').code; // Clink's Embedded Checkout example, from the docs
  writeFileSync(join(tmp.dir, 'bundler.ts'), docs);
  writeFileSync(join(tmp.dir, 'esm.mts'), docs);
  writeFileSync(
    join(tmp.dir, 'cjs.cts'),
    `import { loadClink, ClinkError, CLINK_ERROR_CODES, type Clink } from '@clink-ai/clink-js';
loadClink('pk_test_cjs', { checkoutBaseUrl: 'https://checkout.clinkbill.com' }).then((clink: Clink) => {
  console.log(clink.checkoutBaseUrl, new ClinkError(CLINK_ERROR_CODES.NOT_IN_BROWSER, 'm').code);
});
`,
  );
  const common = { target: 'es2022', lib: ['es2022', 'dom'], types: [], strict: true, noEmit: true, skipLibCheck: false };
  const configs = {
    'tsconfig.bundler.json': { compilerOptions: { ...common, module: 'esnext', moduleResolution: 'bundler' }, files: ['bundler.ts'] },
    'tsconfig.nodenext.json': { compilerOptions: { ...common, module: 'nodenext', moduleResolution: 'nodenext' }, files: ['esm.mts', 'cjs.cts'] },
  };
  for (const [name, config] of Object.entries(configs)) {
    const out = await compileClean(tmp.dir, name, config);
    const resolved = resolvedTo(out, '@clink-ai/clink-js');
    assert.ok(resolved.length > 0, `${name}: '@clink-ai/clink-js' was resolved`);
    assert.deepEqual([...new Set(resolved)], ['@clink-ai/clink-js/index.d.ts'], `${name}: types come from the exports map's "types"`);
  }
});

// ---- The framework bindings (tests/types/bindings/): @clink-ai/clink-js/react and /element,
// with React's types from tests/bindings' devDependencies (@types/react).
const BINDINGS = join(HERE, 'bindings');

async function bindingPrerequisites() {
  prerequisites();
  for (const f of ['react.d.ts', 'element.d.ts']) assert.ok(existsSync(join(PKG_DIR, f)), `${join(PKG_DIR, f)} missing: bash scripts/build.sh`);
  const { ensureBindingDeps } = await import('../bindings/support.mjs');
  await ensureBindingDeps();
}

test('types (bindings): tsc --strict accepts the React, JSX-element and element examples (bindings/valid/)', { timeout: 360000 }, async () => {
  await bindingPrerequisites();
  const listedRun = await tsc(['-p', join(BINDINGS, 'tsconfig.json'), '--strict', '--noEmit', '--listFilesOnly']);
  assert.equal(listedRun.code, 0, listedRun.out);
  const listed = listedRun.out.split('\n').map((l) => resolve(l.trim()));
  for (const f of [...readdirSync(join(BINDINGS, 'valid')).map((f) => join(BINDINGS, 'valid', f)), join(BINDINGS, 'invalid.tsx'), join(PKG_DIR, 'react.d.ts'), join(PKG_DIR, 'element.d.ts')]) {
    assert.ok(listed.includes(resolve(f)), `${f} is part of the program`);
  }
  const r = await tsc(['-p', join(BINDINGS, 'tsconfig.json'), '--strict', '--noEmit']);
  assert.equal(r.code, 0, `tsc --strict --noEmit failed:\n${r.out}`);
});

test('types (bindings): with the @ts-expect-error directives removed, every case of bindings/invalid.tsx errors on its own line', { timeout: 360000 }, async () => {
  await bindingPrerequisites();
  const lines = readFileSync(join(BINDINGS, 'invalid.tsx'), 'utf8').split('\n');
  const caseLines = [];
  const stripped = lines.map((line, i) => {
    // `// @ts-expect-error …` in code, `{/* @ts-expect-error … */}` among JSX children.
    if (/^\s*(\/\/|\{\/\*) @ts-expect-error/.test(line)) {
      caseLines.push(i + 2);
      return line.includes('{/*') ? '{/* */}' : '//';
    }
    return line;
  });
  // Written next to the original, so the tsconfig's relative paths hold.
  const file = join(BINDINGS, '.stripped-invalid.tsx');
  writeFileSync(file, stripped.join('\n'));
  const config = join(BINDINGS, '.stripped-tsconfig.json');
  writeFileSync(config, JSON.stringify({ extends: './tsconfig.json', include: [], files: ['.stripped-invalid.tsx'] }));
  try {
    const { code, out } = await tsc(['-p', config, '--strict', '--noEmit']);
    assert.notEqual(code, 0, 'the stripped file must not compile');
    const errorLines = new Set([...out.matchAll(/\.stripped-invalid\.tsx\((\d+),\d+\): error/g)].map((m) => Number(m[1])));
    const silent = caseLines.filter((n) => !errorLines.has(n)).map((n) => `${n}: ${lines[n - 1]}`);
    assert.deepEqual(silent, [], 'cases that compile although they should not');
    const stray = [...errorLines].filter((n) => !caseLines.includes(n));
    assert.deepEqual(stray, [], `errors on lines that are not cases:\n${out}`);
    console.log(`bindings: ${caseLines.length} misuses refused`);
  } finally {
    rmSync(file, { force: true });
    rmSync(config, { force: true });
  }
});

test('types (bindings): the packed package resolves /react and /element types through exports (bundler, nodenext)', { timeout: 360000 }, async () => {
  await bindingPrerequisites();
  const tmp = tempDir('clink-types-bindings-');
  temps.push(tmp);
  const tarball = await packPkg(tmp.dir);
  await installTarball(tmp.dir, tarball);
  // React's types as a merchant's project has them.
  mkdirSync(join(tmp.dir, 'node_modules', '@types'), { recursive: true });
  symlinkSync(join(REPO_ROOT, 'tests', 'bindings', 'node_modules', '@types', 'react'), join(tmp.dir, 'node_modules', '@types', 'react'), 'dir');
  const app = readFileSync(join(BINDINGS, 'valid', 'react-app-router.tsx'), 'utf8');
  const element = readFileSync(join(BINDINGS, 'valid', 'element.ts'), 'utf8');
  writeFileSync(join(tmp.dir, 'app.tsx'), app);
  writeFileSync(join(tmp.dir, 'element.ts'), element);
  writeFileSync(join(tmp.dir, 'app.mts'), "import { ClinkProvider, EmbeddedCheckout, useClink } from '@clink-ai/clink-js/react';\nimport { ClinkCheckoutElement } from '@clink-ai/clink-js/element';\nexport { ClinkProvider, EmbeddedCheckout, useClink, ClinkCheckoutElement };\n");
  const common = { target: 'es2022', lib: ['es2022', 'dom'], types: [], strict: true, noEmit: true, skipLibCheck: false, jsx: 'react-jsx' };
  const configs = {
    'tsconfig.bundler.json': { compilerOptions: { ...common, module: 'esnext', moduleResolution: 'bundler' }, files: ['app.tsx', 'element.ts'] },
    'tsconfig.nodenext.json': { compilerOptions: { ...common, module: 'nodenext', moduleResolution: 'nodenext' }, files: ['app.mts'] },
  };
  for (const [name, config] of Object.entries(configs)) {
    const out = await compileClean(tmp.dir, name, config);
    for (const [sub, file] of [['react', 'react.d.ts'], ['element', 'element.d.ts']]) {
      const resolved = resolvedTo(out, `@clink-ai/clink-js/${sub}`);
      assert.deepEqual([...new Set(resolved)], [`@clink-ai/clink-js/${file}`], `${name}: '@clink-ai/clink-js/${sub}' types come from the exports map`);
    }
  }
});
