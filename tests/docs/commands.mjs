// The check of a documented shell command: is it one this repository supports? Pure: takes the
// facts it needs (package.json scripts, files that exist, the local Clink's flags) as arguments.
// Rules (README "Install": every npx names a scoped package; nothing names a script that is gone):
//   npm run <script> / npm test     the script exists in the root package.json
//   npm install|i <arg…>            a tarball path names one of our packages' `npm pack` files
//                                   (<scope>-<name>-<version>.tgz); a name is one of our packages
//                                   or a dependency some package.json of the repository declares
//   npm pack <dir>                  the directory exists
//   npx <package> [flags]           the package is scoped and one of ours; for the local Clink,
//                                   every --flag is one its --help lists
//   bash <script> [mode]            the script exists (setup.sh: build or test)
//   node [--test] <file>            the file exists in the repository, or is a named block of the
//                                   same Markdown file (the reader creates it)
//   cargo test|build|clippy|install, curl, cd, export, echo, open: allowed as is

/** Splits a bash block into commands: comments dropped, continuations joined, split on ; && || |. */
export function commandsOf(code) {
  const joined = code.replace(/\\\n/g, ' ');
  const commands = [];
  for (const rawLine of joined.split('\n')) {
    const line = stripComment(rawLine).trim();
    if (!line) continue;
    for (const part of line.split(/\s*(?:&&|\|\||;|\|)\s*/)) if (part.trim()) commands.push(part.trim().replace(/\s+/g, ' '));
  }
  return commands;
}

function stripComment(line) {
  let quote = null;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i];
    if (quote) { if (c === quote) quote = null; continue; }
    if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) return line.slice(0, i);
  }
  return line;
}

function words(command) {
  return [...command.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
}

/**
 * Problems of one command (an empty list when it is fine).
 * facts: { scripts: Set, exists(path) → bool, blockNames: Set, ourPackages: { name: { version, bin? } },
 *          declaredDeps: Set, clinkLocalFlags: Set }
 */
export function commandProblems(command, facts) {
  const w = words(command);
  while (w.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(w[0])) w.shift(); // VAR=value prefixes
  if (!w.length) return [];
  const [cmd, ...args] = w;
  const positional = args.filter((a) => !a.startsWith('-'));
  const problems = [];
  const tarballs = new Map(Object.entries(facts.ourPackages).map(([name, { version }]) => [`${name.slice(1).replace('/', '-')}-${version}.tgz`, name]));
  switch (cmd) {
    case 'npm': {
      const [sub, ...rest] = args;
      const restPositional = rest.filter((a) => !a.startsWith('-'));
      if (sub === 'run' || sub === 'run-script') {
        if (!facts.scripts.has(restPositional[0])) problems.push(`npm run ${restPositional[0]}: no such script in package.json (${[...facts.scripts].join(', ')})`);
      } else if (sub === 'test' || sub === 'start') {
        if (!facts.scripts.has(sub)) problems.push(`npm ${sub}: no "${sub}" script in package.json`);
      } else if (sub === 'install' || sub === 'i' || sub === 'add') {
        for (const arg of restPositional) {
          if (arg.endsWith('.tgz')) {
            const base = arg.split('/').pop();
            if (!tarballs.has(base)) problems.push(`npm install ${arg}: not the name npm pack gives one of our packages (${[...tarballs.keys()].join(', ')})`);
          } else if (arg.startsWith('.') || arg.startsWith('/')) {
            if (!facts.exists(arg)) problems.push(`npm install ${arg}: no such folder in the repository`);
          } else {
            const name = arg.replace(/(?!^)@[^@/]*$/, '');
            if (!Object.hasOwn(facts.ourPackages, name) && !facts.declaredDeps.has(name)) problems.push(`npm install ${arg}: neither one of our packages nor a dependency the repository uses`);
          }
        }
      } else if (sub === 'pack') {
        for (const arg of restPositional) if (!facts.exists(arg)) problems.push(`npm pack ${arg}: no such folder`);
      } else if (sub !== 'ci') {
        problems.push(`npm ${sub}: not a command the docs may use`);
      }
      break;
    }
    case 'npx': {
      const name = positional[0] ?? '';
      const bare = name.replace(/(?!^)@[^@/]*$/, '');
      if (!bare.startsWith('@')) problems.push(`npx ${name}: name the scoped package (npx @clink-ai/…): an unscoped name runs whatever package owns it`);
      else if (!Object.hasOwn(facts.ourPackages, bare)) problems.push(`npx ${name}: not one of our packages`);
      else if (!facts.ourPackages[bare].bin) problems.push(`npx ${name}: that package has no bin`);
      if (bare === '@clink-ai/clink-local') {
        for (const flag of args.filter((a) => a.startsWith('--'))) {
          const f = flag.split('=')[0];
          if (!facts.clinkLocalFlags.has(f)) problems.push(`npx ${bare} ${f}: not a flag of the local Clink (--help lists ${[...facts.clinkLocalFlags].join(' ')})`);
        }
      }
      break;
    }
    case 'bash': case 'sh': {
      const script = positional[0] ?? '';
      if (!facts.exists(script)) problems.push(`${cmd} ${script}: no such script`);
      if (script.endsWith('scripts/setup.sh') && positional[1] && !['build', 'test'].includes(positional[1])) problems.push(`setup.sh ${positional[1]}: the modes are build and test`);
      break;
    }
    case 'node': {
      const file = positional[0];
      if (file && !facts.exists(file) && !facts.blockNames.has(file)) problems.push(`node ${file}: neither a file of the repository nor a named block of this page`);
      break;
    }
    case 'cargo':
      if (!['test', 'build', 'clippy', 'install', 'run', 'bench'].includes(args[0])) problems.push(`cargo ${args[0]}: not a command the docs may use`);
      break;
    case 'curl': case 'cd': case 'export': case 'echo': case 'open':
      break;
    default:
      problems.push(`${cmd}: not a command the repository supports (allowed: npm, npx, bash, node, cargo, curl)`);
  }
  return problems;
}
