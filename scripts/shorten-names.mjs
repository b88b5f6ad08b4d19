// Shortens the wasm-bindgen import/export names in the wasm binary and rewrites the glue to
// match. The names carry 16-hex-digit hashes (~50 bytes each, ~90 of them) that gzip cannot
// shrink, in both files: ~2.5 KB gzip of a ~12 KB budget. Semantics are unchanged: only
// the strings that bind the two sides together differ.

const te = new TextEncoder();
const td = new TextDecoder();

function readLeb(bytes, pos) {
  let result = 0, shift = 0, b;
  do {
    b = bytes[pos++];
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
  } while (b & 0x80);
  return [result, pos];
}

function leb(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

function readName(bytes, pos) {
  const [len, p] = readLeb(bytes, pos);
  return [td.decode(bytes.subarray(p, p + len)), p + len];
}

function name(s) {
  const b = te.encode(s);
  return [...leb(b.length), ...b];
}

/** Byte length of an import descriptor starting at `pos` (kind byte included). */
function descEnd(bytes, pos) {
  const kind = bytes[pos++];
  const limits = (p) => {
    const flags = bytes[p++];
    [, p] = readLeb(bytes, p);
    if (flags & 1) [, p] = readLeb(bytes, p);
    return p;
  };
  switch (kind) {
    case 0: return readLeb(bytes, pos)[1]; // func: type index
    case 1: return limits(pos + 1); // table: reftype, limits
    case 2: return limits(pos); // memory: limits
    case 3: return pos + 2; // global: valtype, mutability
    case 4: return readLeb(bytes, pos + 1)[1]; // tag: attribute, type index
    default: throw new Error(`unknown import kind ${kind}`);
  }
}

function shortName(i) {
  const chars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let s = '';
  do {
    s = chars[i % chars.length] + s;
    i = Math.floor(i / chars.length) - 1;
  } while (i >= 0);
  return s;
}

/**
 * @param {Uint8Array} wasm  the wasm-bindgen output
 * @param {string} glue      its JS glue
 * @returns {{ wasm: Uint8Array, glue: string }}
 */
export function shortenNames(wasm, glue) {
  const modules = new Map(); // old module name → new
  const fields = new Map(); // `${module}\0${field}` → new field name (only for the glue's own module)
  const exportsMap = new Map();
  const out = [...wasm.subarray(0, 8)];
  let pos = 8;
  while (pos < wasm.length) {
    const id = wasm[pos];
    const [size, start] = readLeb(wasm, pos + 1);
    const end = start + size;
    let body = wasm.subarray(start, end);
    if (id === 2 || id === 7) {
      let p = 0;
      let count;
      [count, p] = readLeb(body, p);
      const entries = [...leb(count)];
      for (let i = 0; i < count; i++) {
        if (id === 2) {
          let mod, field;
          [mod, p] = readName(body, p);
          [field, p] = readName(body, p);
          const dEnd = descEnd(body, p);
          const desc = body.subarray(p, dEnd);
          p = dEnd;
          if (!modules.has(mod)) modules.set(mod, shortName(modules.size));
          let newField = field;
          // Snippet modules are ES modules: their field names are real export names.
          if (mod.endsWith('_bg.js')) {
            newField = shortName(fields.size);
            fields.set(field, newField);
          }
          entries.push(...name(modules.get(mod)), ...name(newField), ...desc);
        } else {
          let exp;
          [exp, p] = readName(body, p);
          const kind = body[p];
          const [, idxEnd] = readLeb(body, p + 1);
          const rest = body.subarray(p, idxEnd);
          p = idxEnd;
          const newName = exp === 'memory' ? exp : shortName(exportsMap.size);
          exportsMap.set(exp, newName);
          entries.push(...name(newName), ...rest);
        }
      }
      body = Uint8Array.from(entries);
    }
    out.push(id, ...leb(body.length), ...body);
    pos = end;
  }

  let js = glue;
  const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (const [oldName, newName] of fields) {
    const re = new RegExp(`(\\n\\s+)${escape(oldName)}(: function)`, 'g');
    const before = js;
    js = js.replace(re, `$1${newName}$2`);
    if (js === before) throw new Error(`glue: import ${oldName} not found`);
  }
  for (const [oldMod, newMod] of modules) {
    const before = js;
    js = js.replace(`"${oldMod}":`, `"${newMod}":`);
    if (js === before) throw new Error(`glue: module ${oldMod} not found`);
  }
  for (const [oldName, newName] of exportsMap) {
    js = js.replace(new RegExp(`\\bwasm\\.${escape(oldName)}\\b`, 'g'), `wasm.${newName}`);
  }
  return { wasm: Uint8Array.from(out), glue: js };
}
