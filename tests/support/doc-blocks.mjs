// Code blocks read from the Markdown itself (README.md and docs/*.md), so a test exercises what a
// merchant copies, never a hand-kept copy. A fence's info string is `lang` or `lang name`
// (```js server.mjs): the first word is the language GitHub highlights, the second names the block
// so a test can ask for it.
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));

/** Every Markdown file whose blocks must run: README.md and docs/*.md (relative to ROOT). */
export function docFiles() {
  let docs = [];
  try {
    docs = readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`);
  } catch {
    docs = [];
  }
  return ['README.md', ...docs];
}

/**
 * The fenced blocks of one Markdown file: [{ file, line, lang, name, code }] in order. `line` is the
 * 1-based line of the opening fence. Fences of three or more backticks, indented or not; a longer
 * fence may hold shorter ones.
 */
export function docBlocks(file) {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const lines = text.split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i += 1) {
    // A fence may be indented (inside a list item); its body loses that indentation.
    const open = /^( *)(`{3,})([^`]*)$/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, info] = open;
    const [lang = '', name = null] = info.trim().split(/\s+/);
    const body = [];
    let j = i + 1;
    for (; j < lines.length && !new RegExp(`^ *${fence}\\s*$`).test(lines[j]); j += 1) {
      body.push(lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j].trimStart());
    }
    blocks.push({ file, line: i + 1, lang, name: name || null, code: body.join('\n') + '\n' });
    i = j;
  }
  return blocks;
}

/** The one block named `name` in `file`; throws (failing the test) when there is none or several. */
export function docBlock(file, name) {
  const found = docBlocks(file).filter((b) => b.name === name);
  if (found.length !== 1) throw new Error(`${file}: expected exactly one code block named "${name}", found ${found.length}`);
  return found[0];
}
