// The code blocks of docs/local-clink.md that start a local Clink, run as a merchant would run them:
// from a project that installed the package from its tarball. Read from the Markdown (docBlock).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { docBlock } from '../support/doc-blocks.mjs';
import { api, installedClink } from './support.mjs';

const TEST = { timeout: 60_000 };
const DOC = 'docs/local-clink.md';

/** Runs a block as an .mjs file of the installed project (where @clink-ai/clink-local resolves). */
async function runBlock(name) {
  const { project } = await installedClink();
  const file = join(project, `${name}.mjs`);
  writeFileSync(file, docBlock(DOC, name).code);
  return new Promise((resolve) => {
    execFile(process.execPath, [file], { cwd: project, timeout: 45_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? err.code ?? 'killed' : 0, stdout, stderr });
    });
  });
}

describe('docs/local-clink.md blocks', () => {
  test('start-clink runs and ends (close() stops every timer: the process exits by itself)', TEST, async () => {
    const { code, stderr } = await runBlock('start-clink');
    assert.equal(code, 0, stderr);
  });

  test('subscription-walkthrough runs: a declined renewal, a retry, a cancel at period end', TEST, async () => {
    const { code, stderr } = await runBlock('subscription-walkthrough');
    assert.equal(code, 0, stderr);
  });

  test('the catalog example is a catalogue startClink takes: a yearly price with a trial and a one-off', TEST, async () => {
    const catalog = JSON.parse(docBlock(DOC, 'catalog').code);
    const { startClink } = (await installedClink()).module;
    const clink = await startClink({ port: 0, catalog });
    try {
      const prices = (await api(clink, 'GET', '/api/price')).json.data.items;
      assert.deepEqual(prices.map((p) => [p.priceId, p.type, p.recurring?.interval ?? null, p.recurring?.trialPeriodDays ?? null]),
        [['price_team_yearly', 'recurring', 'year', 30], ['price_team_setup', 'one_time', null, null]]);
      const created = await api(clink, 'POST', '/api/checkout/session', {
        body: { originalAmount: 12000, originalCurrency: 'EUR', priceId: 'price_team_yearly', productId: 'prd_team' },
      });
      assert.equal(created.status, 200, created.text);
      await api(clink, 'POST', `/api/test/session/${created.json.data.sessionId}/pay`, { body: {} });
      const sub = (await api(clink, 'GET', `/api/subscription/${created.json.data.subscriptionId}`)).json.data;
      assert.deepEqual([sub.status, sub.interval, sub.currency], ['trialing', 'year', 'EUR']);
    } finally {
      await clink.close();
    }
  });
});
