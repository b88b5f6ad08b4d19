// The code blocks of docs/local-clink.md's "Limits and safety", run as a merchant would run them:
// from a project that installed the package from its tarball, read from the Markdown (docBlock).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { docBlock } from '../support/doc-blocks.mjs';
import { installedClink } from './support.mjs';

const TEST = { timeout: 60_000 };
const DOC = 'docs/local-clink.md';

async function runBlock(name, { code }) {
  const { project } = await installedClink();
  const file = join(project, `safety-${name}.mjs`);
  writeFileSync(file, code);
  return new Promise((resolvePromise) => {
    execFile(process.execPath, [file], { cwd: project, timeout: 45_000 }, (err, stdout, stderr) => {
      resolvePromise({ code: err ? err.code ?? 'killed' : 0, stdout, stderr });
    });
  });
}

describe('docs/local-clink.md, "Limits and safety"', () => {
  test('off-loopback: a key of its own starts on 0.0.0.0; the default key would not', TEST, async () => {
    const { code, stdout, stderr } = await runBlock('off-loopback', docBlock(DOC, 'off-loopback'));
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^http:\/\/127\.0\.0\.1:\d+ sk_test_my_own_key_4f9c2a\n$/);
    const { startClink } = (await installedClink()).module;
    await assert.rejects(startClink({ port: 0, host: '0.0.0.0', allowedHosts: ['devbox.lan'] }), { code: 'CLINK_PUBLIC_KEY_OFF_LOOPBACK' });
  });

  test('list-pages: every event, two pages of at most 100', TEST, async () => {
    const { code, stdout, stderr } = await runBlock('list-pages', docBlock(DOC, 'list-pages'));
    assert.equal(code, 0, stderr);
    assert.equal(stdout, '120 events\n');
  });
});
