// Builds the CommonJS entry (dist/index.cjs, what `require` loads) from the ESM source, and its
// types (dist/index.d.cts). Run by `npm pack` (prepack), scripts/pack.sh and the tests; uses the
// workspace's esbuild (a devDependency of the repository, not of this package).
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

mkdirSync(here('./dist/'), { recursive: true });
await build({
  entryPoints: [here('./index.mjs')],
  outfile: here('./dist/index.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'neutral',
  target: 'es2022',
  logLevel: 'warning',
  banner: { js: '// @clink-ai/clink-typescript-sdk (CommonJS build of index.mjs; edit the source, not this file)' },
});
copyFileSync(here('./index.d.ts'), here('./dist/index.d.cts'));
