// Trims wasm-bindgen's generated glue (pinned wasm-bindgen 0.2.130) to what this package uses.
// Each edit must match exactly once, so a wasm-bindgen upgrade that changes the glue fails the
// build instead of silently shipping an untrimmed or broken file.

const edits = [
  {
    why: 'every string the wasm reads is short: one encode() instead of the ASCII loop + realloc path',
    from: /function passStringToWasm0\(arg, malloc, realloc\) \{[\s\S]*?\n\}\n/,
    to: `function passStringToWasm0(arg, malloc) {
    const buf = cachedTextEncoder.encode(arg);
    const ptr = malloc(buf.length, 1) >>> 0;
    getUint8ArrayMemory0().set(buf, ptr);
    WASM_VECTOR_LEN = buf.length;
    return ptr;
}
`,
  },
  {
    why: 'encodeInto is no longer called (see above)',
    from: /\nif \(!\('encodeInto' in cachedTextEncoder\)\) \{[\s\S]*?\n\}\n/,
    to: '\n',
  },
  {
    why: 'js/wasm.js always passes initSync({ module }), never the deprecated form',
    from: /if \(module !== undefined\) \{\n\s*if \(Object\.getPrototypeOf\(module\) === Object\.prototype\) \{\n\s*\(\{module\} = module\)\n\s*\} else \{\n\s*console\.warn\([^\n]*\n\s*\}\n\s*\}/,
    to: '({module} = module);',
  },
];

/** @param {string} glue  wasm-bindgen's clink.js; @returns {string} */
export function trimGlue(glue) {
  let js = glue;
  for (const { why, from, to } of edits) {
    const hits = js.match(new RegExp(from.source, 'g'))?.length ?? 0;
    if (hits !== 1) throw new Error(`trim-glue: expected 1 match, found ${hits}: ${why}`);
    js = js.replace(from, to);
  }
  // wasm-bindgen writes one `"module": importN` entry per imported function of a snippet;
  // all name the same module namespace, so one entry is enough.
  const seen = new Set();
  js = js.replace(/^(\s*)("[^"\n]+"): (import\d+),\n/gm, (line, _indent, key) => (seen.has(key) ? '' : (seen.add(key), line)));
  return js;
}
