// The README's two commands keep their promises, and the docs' command checker refuses what it
// must (so tests/docs/blocks.test.mjs can fail):
//   - `npm run demo` is scripts/demo.sh, which installs only the build's part of setup.sh: no
//     apt-get, no sudo, no browser;
//   - CI (.ci/run) runs exactly the README's test command;
//   - setup.sh refuses an unknown mode with its usage (exit 2), before installing anything.
//
//   node --test tests/docs/commands.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { docBlock } from '../support/doc-blocks.mjs';
import { commandProblems, commandsOf } from './commands.mjs';
import { ROOT } from './support.mjs';

const read = (path) => readFileSync(join(ROOT, path), 'utf8');
const codeLines = (text) => text.split('\n').filter((l) => !/^\s*#/.test(l));

test("the demo command installs only the build's part of setup.sh: no apt-get, no sudo, no browser", () => {
  assert.equal(JSON.parse(read('package.json')).scripts.demo, 'bash scripts/demo.sh');
  const demo = codeLines(read('scripts/demo.sh')).join('\n');
  assert.match(demo, /^bash scripts\/setup\.sh build\b/m, 'demo.sh runs setup.sh build');
  assert.doesNotMatch(demo, /setup\.sh(\s+test)?\s*$/m, 'and not the full setup');
  const setup = read('scripts/setup.sh');
  const end = setup.indexOf('if [ "$mode" = build ]; then');
  assert.ok(end > 0, 'setup.sh ends its build part at the build mode');
  const buildPart = codeLines(setup.slice(0, end)).join('\n');
  for (const word of ['apt-get', 'sudo', 'need_root "', 'chromium', 'firefox', 'webkit', 'geckodriver', 'wasm-pack']) {
    assert.ok(!buildPart.toLowerCase().includes(word), `the build part of setup.sh does not use ${word}`);
  }
  assert.match(buildPart, /wasm-bindgen-cli/);
  assert.match(buildPart, /rustup target add wasm32-unknown-unknown/);
  assert.match(buildPart, /npm ci/);
});

test("CI runs exactly the README's test command", () => {
  const commands = commandsOf(docBlock('README.md', 'two-commands').code);
  assert.deepEqual(commands, ['npm run demo', 'bash scripts/test.sh']);
  assert.deepEqual(codeLines(read('.ci/run')).filter((l) => l.trim() && !/^(set |cd )/.test(l.trim())), ['bash scripts/test.sh']);
  assert.match(read('scripts/test.sh'), /^bash scripts\/setup\.sh test$/m, 'the test command installs the test browsers first');
});

test('setup.sh refuses an unknown mode with its usage (exit 2) before installing anything', async () => {
  const result = await new Promise((resolve) => {
    execFile('bash', [join(ROOT, 'scripts', 'setup.sh'), 'browsers'], { timeout: 30_000 }, (error, stdout, stderr) => resolve({ code: error?.code ?? 0, stdout, stderr }));
  });
  assert.equal(result.code, 2);
  assert.match(result.stderr, /usage: bash scripts\/setup\.sh \[build\|test\]/);
  assert.equal(result.stdout, '');
});

test('the command checker: refuses unscoped npx, missing scripts and files, wrong tarball names and unknown flags', () => {
  const facts = {
    scripts: new Set(['demo', 'pack']),
    exists: (p) => ['scripts/test.sh', 'www/clink-local'].includes(p.replace(/^\.\//, '')),
    blockNames: new Set(['server.mjs']),
    ourPackages: { '@clink-ai/clink-js': { version: '0.1.0' }, '@clink-ai/clink-local': { version: '0.1.0', bin: { 'clink-local': 'bin/clink-local.mjs' } } },
    declaredDeps: new Set(['express']),
    clinkLocalFlags: new Set(['--port', '--webhook']),
  };
  const ok = [
    'npm run demo', 'bash scripts/test.sh', 'node server.mjs', 'npx @clink-ai/clink-local --port 8081 --webhook http://127.0.0.1:3000/x',
    'npm install ./packages/clink-ai-clink-js-0.1.0.tgz', 'npm install @clink-ai/clink-js', 'npm install express', 'npm pack ./www/clink-local',
    'A=1 B=2 node server.mjs', 'cargo test --release',
  ];
  for (const command of ok) assert.deepEqual(commandProblems(command, facts), [], command);
  const refused = {
    'npx clink-local': /scoped/,
    'npx @someone/clink-local': /not one of our packages/,
    'npx @clink-ai/clink-js': /no bin/,
    'npx @clink-ai/clink-local --prot 1': /--prot/,
    'npm run build': /no such script/,
    'bash scripts/nope.sh': /no such script/,
    'node missing.mjs': /neither a file/,
    'npm install ./packages/clink-js-0.1.0.tgz': /not the name npm pack gives/,
    'npm install left-pad': /neither one of our packages/,
    'rm -rf /': /not a command/,
  };
  for (const [command, problem] of Object.entries(refused)) {
    const problems = commandProblems(command, facts);
    assert.equal(problems.length, 1, `${command}: ${problems}`);
    assert.match(problems[0], problem, command);
  }
  assert.deepEqual(commandsOf('a && b # c\nd \\\n  e | f; g'), ['a', 'b', 'd e', 'f', 'g']);
});
