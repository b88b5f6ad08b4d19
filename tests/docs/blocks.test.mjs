// Every fenced code block of README.md, docs/*.md and CONTRIBUTING.md runs or type-checks, read
// from the Markdown (tests/support/doc-blocks.mjs), so a doc change that would break a merchant
// breaks a test. By the fence's language:
//   ts, tsx       tsc --strict against the packages' own types (as npm installs them), one module each
//   js, mjs       node --check; tsc --checkJs against the same types; run when self-contained
//                 (imports only node: built-ins and our packages, no browser code, starts no server)
//   html          loaded in Chromium as a page beside a real local Clink: no error, no failed
//                 request, and where it shows a checkout, the checkout's iframe appears
//   json          parses (a block of one JSON value per line parses line by line)
//   http          (a request line,) headers, a blank line and a body that parses as its Content-Type says
//   bash          every command is one the repository supports (tests/docs/commands.mjs)
//   vue, svelte   compiled by the framework's compiler
//   anything else must have a name that another test runs through docBlock(file, name); the list
//   of those names is printed, and a named block no test mentions is only checked by its language.
//
//   node --test tests/docs/blocks.test.mjs        (needs pkg/: bash scripts/build.sh)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { docBlock, docBlocks, docFiles } from '../support/doc-blocks.mjs';
import { launchBrowser } from '../support/browser.mjs';
import { commandProblems, commandsOf } from './commands.mjs';
import {
  OUR_PACKAGES, ROOT, checkedFiles, ensureDocDeps, requirePkg, routeClinkHosts, run, scratchProject,
  startDocShop, watchProblems,
} from './support.mjs';

const FILES = checkedFiles(docFiles);
const BLOCKS = FILES.flatMap((file) => docBlocks(file));
const GENERIC = new Set(['bash', 'sh', 'js', 'mjs', 'ts', 'tsx', 'html', 'json', 'http', 'vue', 'svelte']);
const TSC = join(ROOT, 'node_modules', '.bin', 'tsc');
const where = (b) => `${b.file}:${b.line}${b.name ? ` (${b.name})` : ''}`;
const of = (...langs) => BLOCKS.filter((b) => langs.includes(b.lang));
const temps = [];
after(() => temps.forEach((t) => t.cleanup()));

/** Every (file, name) a test of the repository mentions, e.g. docBlock('README.md', 'server.mjs'). */
function referencedBlocks() {
  const found = new Map();
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(mjs|js|cjs|ts)$/.test(entry.name)) {
        const text = readFileSync(path, 'utf8');
        // docBlock('file', 'name') calls and ['file', 'name', …] tuples (tests/docs/pages.mjs).
        for (const m of text.matchAll(/(?:docBlock\(|\[)\s*['"](README\.md|CONTRIBUTING\.md|docs\/[\w.-]+\.md)['"],[ \t]*['"]([^'"/]+)['"]/g)) {
          const key = `${m[1]}#${m[2]}`;
          if (!found.has(key)) found.set(key, new Set());
          found.get(key).add(relative(ROOT, path));
          if (m[0].startsWith('docBlock(')) found.get(key).viaCall = true;
        }
        // docBlock(DOC, 'name') with `const DOC = 'docs/….md'` in the same file.
        const constants = new Map([...text.matchAll(/const (\w+) = ['"](README\.md|CONTRIBUTING\.md|docs\/[\w.-]+\.md)['"]/g)].map((c) => [c[1], c[2]]));
        for (const m of text.matchAll(/docBlock\(\s*(\w+),\s*['"]([^'"/]+)['"]/g)) {
          if (!constants.has(m[1])) continue;
          const key = `${constants.get(m[1])}#${m[2]}`;
          if (!found.has(key)) found.set(key, new Set());
          found.get(key).add(relative(ROOT, path));
          found.get(key).viaCall = true;
        }
      }
    }
  };
  walk(join(ROOT, 'tests'));
  return found;
}

before(() => requirePkg());

test('docs: every block has a language this harness checks, or a name another test runs', () => {
  const referenced = referencedBlocks();
  const unchecked = BLOCKS.filter((b) => !GENERIC.has(b.lang) && !(b.name && referenced.has(`${b.file}#${b.name}`)));
  assert.deepEqual(unchecked.map((b) => `${where(b)}: \`\`\`${b.lang || '(no language)'}`), [],
    'give each fence a language (```js, ```bash …) or a name a test runs via docBlock(file, name)');
  // Only docBlock() calls: a ['README.md', 'x'] tuple may be a list of file names.
  const dangling = [...referenced.keys()].filter((key) => referenced.get(key).viaCall).filter((key) => {
    const [file, name] = key.split('#');
    return FILES.includes(file) && !BLOCKS.some((b) => b.file === file && b.name === name);
  });
  assert.deepEqual(dangling.map((k) => `${k} (mentioned in ${[...referenced.get(k)].join(', ')})`), [], 'tests name blocks the docs no longer have');
  const named = BLOCKS.filter((b) => b.name);
  console.log(`${BLOCKS.length} blocks in ${FILES.length} files; named blocks and the tests that run them:`);
  for (const b of named) console.log(`  ${where(b)} [${b.lang}] → ${[...(referenced.get(`${b.file}#${b.name}`) ?? ['checked by its language only'])].join(', ')}`);
});

test("docs: the README's checkout.js is Clink's embedded example (docs/api.md) but for its loadClink line, then the page's result", () => {
  const LOAD = /\nconst clink = await loadClink\([\s\S]*?\);\n/;
  const clinks = docBlock('docs/api.md', 'clink-embedded').code.trimEnd();
  const readme = docBlock('README.md', 'checkout.js').code;
  assert.match(readme, LOAD);
  const [clinksBefore, clinksAfter] = clinks.split(LOAD);
  const [readmeBefore, readmeAfter] = readme.split(LOAD);
  assert.equal(readmeBefore.replace(/\n[^\n]*fetch\('\/api\/clink\/config'\)[^\n]*$/, ''), clinksBefore, 'the same import');
  assert.ok(readmeAfter.startsWith(clinksAfter), 'after loadClink, docs/api.md "clink-embedded" verbatim');
});

/**
 * Writes blocks into dir, one folder per Markdown file (so blocks of one page import each other by
 * name, as a reader saving them would: `import … from './clink.mjs'`): a block named like a file
 * under its name, the others as b<line>.<ext>. Returns the relative path → block map.
 */
function writeBlocks(dir, blocks, ext, suffix = '') {
  const files = new Map();
  for (const b of blocks) {
    const folder = b.file.replace(/[^\w]+/g, '_');
    mkdirSync(join(dir, folder), { recursive: true });
    const fileName = b.name && /^[\w.-]+\.(m?js|cjs|tsx?|mts|cts)$/.test(b.name) ? b.name : `b${b.line}.${ext(b)}`;
    writeFileSync(join(dir, folder, fileName), b.code + (/\.(ts|tsx)$/.test(fileName) ? '\nexport {};\n' : suffix));
    files.set(`${folder}/${fileName}`, b);
  }
  return files;
}

/** tsc over `files` in dir with `options`; errors mapped back to the Markdown lines. */
async function typeCheck(dir, files, options) {
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      target: 'es2022', module: 'esnext', moduleResolution: 'bundler', lib: ['es2022', 'dom', 'dom.iterable'],
      jsx: 'react-jsx', types: ['node'], noEmit: true, skipLibCheck: true,
      // Packages stay under node_modules (their JavaScript is not checked, only their types).
      preserveSymlinks: true, ...options,
    },
    files: [...files.keys()],
  }));
  const result = await run(TSC, ['-p', 'tsconfig.json', '--pretty', 'false'], { cwd: dir, timeout: 180_000, maxBuffer: 16 << 20 })
    .then(() => ({ out: '' }), (error) => ({ out: `${error.stdout ?? ''}${error.stderr ?? ''}` || String(error) }));
  return result.out.split('\n').filter((l) => l.trim()).map((line) => {
    const m = /^([^()]+)\((\d+),(\d+)\): (.*)$/.exec(line);
    if (!m || !files.has(m[1])) return line;
    const b = files.get(m[1]);
    return `${b.file}:${b.line + Number(m[2])}: ${m[4]}`;
  });
}

test('docs: every ts/tsx block type-checks (tsc --strict) against the packages as npm installs them', { timeout: 400_000 }, async () => {
  await ensureDocDeps();
  const { ensureBindingDeps } = await import('../bindings/support.mjs');
  await ensureBindingDeps(); // React's types for the tsx blocks
  const scratch = scratchProject('ts-');
  temps.push(scratch);
  const blocks = of('ts', 'tsx');
  const files = writeBlocks(scratch.dir, blocks, (b) => b.lang);
  const errors = await typeCheck(scratch.dir, files, { strict: true });
  assert.deepEqual(errors, [], 'tsc --strict');
  console.log(`${blocks.length} ts/tsx blocks type-check under --strict`);
});

/** The module specifiers a block imports. */
const importsOf = (code) => [...code.matchAll(/(?:^|\n)\s*import\s+(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]);
const isBuiltin = (s) => s.startsWith('node:') || builtinModules.includes(s);

/** Self-contained: runnable as a Node script on its own (see the header). */
function selfContained(b) {
  const imports = importsOf(b.code);
  return imports.every((s) => isBuiltin(s) || Object.hasOwn(OUR_PACKAGES, s))
    // Browser code (a DOM, a page's relative URLs, Clink's hosts) runs in the html and e2e tests.
    && !/\b(document|window|location|localStorage|initEmbeddedCheckout|redirectToCheckout|checkoutEnvironment)\b|fetch\(\s*['"`]\//.test(b.code)
    && !/\.listen\(|createServer\(|process\.env\b/.test(b.code);
}

test('docs: every js block parses, type-checks against the packages (checkJs), and runs when self-contained', { timeout: 400_000 }, async () => {
  await ensureDocDeps();
  // The server SDK's recipes import Express and Hono (tests/server's devDependencies) and its
  // CommonJS block needs server/dist: this file may run before tests/server/ has installed or built them.
  const { buildServerCjs, ensureServerTestDeps } = await import('../server/support.mjs');
  await ensureServerTestDeps();
  await buildServerCjs();
  const scratch = scratchProject('js-');
  temps.push(scratch);
  const blocks = of('js', 'mjs');
  const files = writeBlocks(scratch.dir, blocks, () => 'mjs');
  const syntax = [];
  for (const [name, b] of files) {
    await run(process.execPath, ['--check', name], { cwd: scratch.dir }).catch((error) => syntax.push(`${where(b)}: ${error.stderr.split('\n').slice(0, 5).join(' ')}`));
  }
  assert.deepEqual(syntax, [], 'node --check');
  // Not reported: the use of a framework's `unknown` (Hono's env(c)), which plain JavaScript cannot
  // narrow without JSDoc; everything else, such as a wrong method or option of our packages, is.
  const errors = (await typeCheck(scratch.dir, files, { allowJs: true, checkJs: true, strict: false }))
    .filter((e) => !/(does not exist on|Type) type 'unknown'|Type 'unknown' is not assignable/.test(e));
  assert.deepEqual(errors, [], 'tsc --checkJs');
  const ran = [];
  for (const [name, b] of files) {
    if (!selfContained(b)) continue;
    const { NODE_TEST_CONTEXT, ...env } = process.env; // a block that is a test file runs as its own runner
    await run(process.execPath, [name], { cwd: scratch.dir, env, timeout: 60_000 })
      .catch((error) => assert.fail(`${where(b)} exited with ${error.code}: ${String(error.stderr || error.stdout).slice(-2000)}`));
    ran.push(where(b));
  }
  console.log(`${blocks.length} js blocks parse and type-check; ran the self-contained ones: ${ran.join(', ') || 'none'}`);
});

test('docs: every json block parses', () => {
  for (const b of of('json')) {
    try {
      JSON.parse(b.code);
    } catch {
      for (const [i, line] of b.code.split('\n').entries()) {
        if (!line.trim()) continue;
        try { JSON.parse(line); } catch (error) { assert.fail(`${b.file}:${b.line + 1 + i}: ${error.message}`); }
      }
    }
  }
});

test('docs: every http block is a well-formed request: headers, then a body of its Content-Type', () => {
  for (const b of of('http')) {
    const [head, ...rest] = b.code.split(/\n\n/);
    const lines = head.split('\n');
    // An optional request line, then headers.
    const headerLines = /^[A-Z]+ /.test(lines[0]) ? lines.slice(1) : lines;
    if (headerLines !== lines) assert.match(lines[0], /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (\/|https?:\/\/)\S* HTTP\/1\.1$/, `${where(b)}: request line`);
    const headers = new Map(headerLines.map((line) => {
      const m = /^([A-Za-z0-9-]+): (.+)$/.exec(line);
      assert.ok(m, `${where(b)}: header line "${line}"`);
      return [m[1].toLowerCase(), m[2]];
    }));
    const body = rest.join('\n\n').trim();
    if (/json/.test(headers.get('content-type') ?? '') && !/…/.test(body)) assert.doesNotThrow(() => JSON.parse(body), `${where(b)}: JSON body`);
  }
});

test('docs: every shell command is one the repository supports (scripts exist, npx names a scoped package of ours)', async () => {
  const pkgJson = (dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const ourPackages = {};
  for (const [name, dir] of Object.entries(OUR_PACKAGES)) {
    const manifest = existsSync(join(dir, 'package.json')) ? pkgJson(dir) : {};
    assert.equal(manifest.name, name, `${relative(ROOT, dir)}/package.json is ${name}`);
    ourPackages[name] = { version: manifest.version, bin: manifest.bin };
  }
  const declaredDeps = new Set();
  for (const dir of [ROOT, join(ROOT, 'server'), join(ROOT, 'tests', 'bindings'), join(ROOT, 'tests', 'docs'), join(ROOT, 'tests', 'consumers'), join(ROOT, 'tests', 'server')]) {
    if (!existsSync(join(dir, 'package.json'))) continue;
    const m = pkgJson(dir);
    for (const field of ['dependencies', 'devDependencies', 'peerDependencies']) for (const d of Object.keys(m[field] ?? {})) declaredDeps.add(d);
  }
  const help = (await run(process.execPath, [join(ROOT, 'www', 'clink-local', 'bin', 'clink-local.mjs'), '--help'])).stdout;
  const facts = {
    scripts: new Set(Object.keys(pkgJson(ROOT).scripts ?? {})),
    exists: (p) => existsSync(join(ROOT, p.replace(/^\/path\/to\/clink-js\//, ''))),
    ourPackages,
    declaredDeps,
    clinkLocalFlags: new Set(help.match(/--[a-z][a-z-]*/g)),
  };
  const problems = [];
  let count = 0;
  for (const b of of('bash', 'sh')) {
    const blockNames = new Set(docBlocks(b.file).map((x) => x.name).filter(Boolean));
    for (const command of commandsOf(b.code)) {
      count += 1;
      for (const p of commandProblems(command, { ...facts, blockNames })) problems.push(`${where(b)}: ${p}`);
    }
  }
  assert.deepEqual(problems, []);
  console.log(`${count} shell commands checked`);
});

test('docs: the vue and svelte blocks compile', { timeout: 300_000 }, async () => {
  await ensureDocDeps();
  const vueBlocks = of('vue');
  const svelteBlocks = of('svelte');
  if (vueBlocks.length) {
    const { ensureBindingDeps } = await import('../bindings/support.mjs');
    await ensureBindingDeps();
    const sfc = await import(join(ROOT, 'tests', 'bindings', 'node_modules', 'vue', 'compiler-sfc', 'index.mjs'));
    for (const b of vueBlocks) {
      const { descriptor, errors } = sfc.parse(b.code, { filename: 'Checkout.vue' });
      assert.deepEqual(errors.map(String), [], `${where(b)}: parse`);
      sfc.compileScript(descriptor, { id: 'doc' }); // throws on a script error
      const template = sfc.compileTemplate({
        source: descriptor.template.content, filename: 'Checkout.vue', id: 'doc',
        compilerOptions: { isCustomElement: (tag) => tag === 'clink-checkout' },
      });
      assert.deepEqual(template.errors.map(String), [], `${where(b)}: template`);
    }
  }
  if (svelteBlocks.length) {
    const { compile } = await import('svelte/compiler');
    for (const b of svelteBlocks) {
      let result;
      assert.doesNotThrow(() => { result = compile(b.code, { filename: 'Checkout.svelte' }); }, `${where(b)}: svelte compile`);
      for (const w of result.warnings) console.log(`${where(b)}: svelte warning: ${w.message}`);
    }
  }
  console.log(`${vueBlocks.length} vue, ${svelteBlocks.length} svelte blocks compile`);
});

test('docs: every html block runs in Chromium beside the local Clink: no error, and its checkout appears', { timeout: 300_000 }, async () => {
  const { startClink } = await import('@clink-ai/clink-local');
  const clink = await startClink({ port: 0, quiet: true });
  const browser = await launchBrowser();
  try {
    for (const b of of('html')) {
      // Blocks a page loads by name (the README's index.html loads /checkout.js) come from the same file.
      const files = Object.fromEntries(docBlocks(b.file).filter((x) => x.name && x !== b).map((x) => [x.name, x.code]));
      const shop = await startDocShop({ clink, page: b.code, files });
      const context = await browser.newContext();
      try {
        await routeClinkHosts(context, clink);
        const page = await context.newPage();
        const problems = watchProblems(page);
        await page.goto(shop.url);
        const showsCheckout = /<clink-checkout|\.mount\(/.test(b.code + Object.values(files).join('\n'));
        if (showsCheckout) {
          const frame = await page.waitForSelector(`iframe[src^="${clink.url}/pay/"]`, { state: 'attached', timeout: 20_000 })
            .catch(() => assert.fail(`${where(b)}: no checkout iframe; problems: ${problems.join(' | ') || 'none'}`));
          const hosted = await frame.contentFrame();
          await hosted.waitForSelector('input[name="card"]', { timeout: 20_000 });
        } else {
          await page.waitForLoadState('load');
        }
        assert.deepEqual(problems, [], `${where(b)}: no page error, console error or failed request`);
      } finally {
        await context.close();
        await shop.close();
      }
    }
  } finally {
    await browser.close();
    await clink.close();
  }
});

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
const anchorOf = (heading) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');

test('docs: every relative link points to a file of the repository, and its #anchor to a heading there', () => {
  const broken = [];
  for (const file of FILES) {
    const text = readFileSync(join(ROOT, file), 'utf8').replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1\s*$/gm, '');
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1];
      if (/^[a-z]+:/.test(target)) continue; // https:, mailto:
      const [path, anchor] = target.split('#');
      const resolved = path ? join(dirname(join(ROOT, file)), path) : join(ROOT, file);
      if (!existsSync(resolved)) { broken.push(`${file}: ${target} (no such file)`); continue; }
      if (anchor && resolved.endsWith('.md')) {
        const anchors = [...readFileSync(resolved, 'utf8').matchAll(/^#{1,6} (.+)$/gm)].map((h) => anchorOf(h[1]));
        if (!anchors.includes(anchor)) broken.push(`${file}: ${target} (no heading with that anchor)`);
      }
    }
  }
  assert.deepEqual(broken, []);
});

test("docs: CONTRIBUTING.md's layout names only paths the repository has", () => {
  const { code } = docBlock('CONTRIBUTING.md', 'layout');
  const paths = [...code.matchAll(/(?:^|\s)((?:src|js|scripts|tests|www|bench|server|docs)\/[\w./-]*)/g)].map((m) => m[1].replace(/[.,;]+$/, ''));
  assert.ok(paths.length > 10, `paths found: ${paths}`);
  assert.deepEqual(paths.filter((p) => !existsSync(join(ROOT, p))), [], 'paths that do not exist');
});
