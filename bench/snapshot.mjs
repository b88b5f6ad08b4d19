// The lead's build rewrites pkg/ while other work goes on: the bench measures a copy taken when
// pkg/ has been still for a few seconds, so that one run sees one build from start to end.
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Newest mtime under `dir` (ms), or NaN when a file vanished while listing. */
function newest(dir) {
  let t = 0;
  try {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
    }
  } catch {
    return NaN;
  }
  return t;
}

/**
 * Copies `dir` once nothing in it changed for `quietMs` and it did not change during the copy;
 * gives up after `timeoutMs`. Returns { dir, remove }.
 */
export async function snapshot(dir, required, { quietMs = 3000, timeoutMs = 120_000 } = {}) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const before = newest(dir);
    if (Number.isFinite(before) && Date.now() - before >= quietMs) {
      const copy = mkdtempSync(join(tmpdir(), 'clink-bench-pkg-'));
      try {
        cpSync(dir, copy, { recursive: true });
      } catch {}
      const complete = required.every((f) => {
        try {
          return statSync(join(copy, f)).isFile();
        } catch {
          return false;
        }
      });
      if (complete && newest(dir) === before) return { dir: copy, remove: () => rmSync(copy, { recursive: true, force: true }) };
      rmSync(copy, { recursive: true, force: true });
    }
    await sleep(1000);
  }
  throw new Error(`${dir} did not stay still for ${quietMs / 1000} s within ${timeoutMs / 1000} s (a build running?)`);
}
