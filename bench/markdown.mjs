// BENCHMARKS.md is written by more than one script (bench/run.mjs, bench/soak.mjs) and has
// hand-written sections (History, Framework bindings): each script replaces only its own
// `## ` sections and keeps every other one as it is.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './server.mjs';

export const BENCHMARKS_MD = join(ROOT, 'BENCHMARKS.md');

/** The file as a title block and its `## ` sections in order: [{ title, text }]. */
function split(md) {
  const lines = md.split('\n');
  const head = [];
  const sections = [];
  let inFence = false;
  for (const line of lines) {
    if (/^```/.test(line)) inFence = !inFence;
    const m = !inFence && /^## (.+?)\s*$/.exec(line);
    if (m) sections.push({ title: m[1], lines: [line] });
    else (sections.length ? sections[sections.length - 1].lines : head).push(line);
  }
  return { head: head.join('\n'), sections: sections.map((s) => ({ title: s.title, text: s.lines.join('\n').trimEnd() + '\n' })) };
}

/**
 * Replaces the sections named in `own` ({ title: body }, body without the `## ` line) in
 * BENCHMARKS.md, or adds them: a new section goes before the first of `before` that exists,
 * else at the end. Every other section is kept verbatim, in its place.
 */
export function writeSections(own, { before = ['How measured', 'Framework bindings', 'History'], head } = {}) {
  const old = existsSync(BENCHMARKS_MD) ? readFileSync(BENCHMARKS_MD, 'utf8') : '# Benchmarks\n';
  const doc = split(old);
  for (const [title, body] of Object.entries(own)) {
    const text = `## ${title}\n\n${body.trim()}\n`;
    const at = doc.sections.findIndex((s) => s.title === title);
    if (at >= 0) {
      doc.sections[at].text = text;
      continue;
    }
    const anchor = before.map((b) => doc.sections.findIndex((s) => s.title === b)).find((i) => i >= 0);
    doc.sections.splice(anchor === undefined ? doc.sections.length : anchor, 0, { title, text });
  }
  const top = (head ?? doc.head).trimEnd();
  writeFileSync(BENCHMARKS_MD, `${top}\n\n${doc.sections.map((s) => s.text).join('\n')}`);
}

/** The commit pkg/ was (most likely) built from, and whether the SDK's sources differ from it. */
export function commitNow() {
  if (process.env.BENCH_PKG) return `none: BENCH_PKG=${process.env.BENCH_PKG}`;
  try {
    // The last commit that changed what pkg/ is built from (later ones touch other things).
    let c = spawnSync('git', ['log', '-1', '--format=%h %s', '--', 'js', 'src', 'scripts', 'Cargo.toml', 'Cargo.lock'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
    if (c.length > 90) c = `${c.slice(0, 89)}…`;
    const dirty = spawnSync('git', ['status', '--porcelain', '--', 'js', 'src', 'scripts', 'Cargo.toml', 'Cargo.lock'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
    if (dirty) c += ' (plus uncommitted changes under js/, src/ or scripts/)';
    return c;
  } catch {
    return '';
  }
}
