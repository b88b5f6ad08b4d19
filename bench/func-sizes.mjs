// Per-function byte sizes of a wasm file that still has its name section
// (usage: node bench/func-sizes.mjs file.wasm [top]).
import { readFileSync } from 'node:fs';
const bytes = readFileSync(process.argv[2]);
const top = Number(process.argv[3] || 40);
const leb = (p) => { let r = 0, s = 0, b; do { b = bytes[p++]; r += (b & 0x7f) * 2 ** s; s += 7; } while (b & 0x80); return [r, p]; };
let pos = 8, imports = 0; const sizes = []; const names = new Map(); let data = 0;
while (pos < bytes.length) {
  const id = bytes[pos]; const [size, start] = leb(pos + 1); const end = start + size;
  if (id === 2) { let [n, p] = leb(start); for (let i = 0; i < n; i++) { let l; [l, p] = leb(p); p += l; [l, p] = leb(p); p += l; const k = bytes[p]; if (k === 0) imports++; p = k === 0 ? leb(p + 1)[1] : k === 3 ? p + 3 : k === 2 ? (bytes[p + 1] & 1 ? leb(leb(p + 2)[1])[1] : leb(p + 2)[1]) : k === 1 ? (bytes[p + 2] & 1 ? leb(leb(p + 3)[1])[1] : leb(p + 3)[1]) : leb(p + 2)[1]; } }
  if (id === 10) { let [n, p] = leb(start); for (let i = 0; i < n; i++) { const [s, q] = leb(p); sizes.push(s); p = q + s; } }
  if (id === 11) data = size;
  if (id === 0) { let [l, p] = leb(start); const nm = bytes.subarray(p, p + l).toString(); p += l;
    if (nm === 'name') { while (p < end) { const sub = bytes[p]; const [ss, q] = leb(p + 1); if (sub === 1) { let [n, r] = leb(q); for (let i = 0; i < n; i++) { let idx, len; [idx, r] = leb(r); [len, r] = leb(r); names.set(idx, bytes.subarray(r, r + len).toString()); r += len; } } p = q + ss; } } }
  pos = end;
}
const rows = sizes.map((s, i) => [s, names.get(i + imports) || `#${i + imports}`]).sort((a, b) => b[0] - a[0]);
console.log(`code ${sizes.reduce((a, b) => a + b, 0)} bytes in ${sizes.length} functions; data ${data}; imports ${imports}`);
for (const [s, n] of rows.slice(0, top)) console.log(String(s).padStart(6), n.slice(0, 110));
