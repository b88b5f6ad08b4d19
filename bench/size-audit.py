#!/usr/bin/env python3
"""Size audit of the release wasm (before wasm-opt, names kept): which of our functions reach
panic or formatting machinery, and the biggest functions. Usage: bench/size-audit.py [wasm]"""
import re, subprocess, sys, os
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
wasm = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, 'target/wasm32-unknown-unknown/release/clink_js.wasm')
wat = subprocess.run([os.path.join(root, 'node_modules/.bin/wasm-opt'), wasm, '--all-features', '-O0', '-S', '-o', '-'],
                     capture_output=True, text=True, check=True).stdout
sizes, calls, cur = {}, {}, None
for line in wat.splitlines():
    m = re.match(r'\s*\(func \$(\S+)', line)
    if m:
        cur = m.group(1); sizes[cur] = 0; calls[cur] = set()
    if cur:
        sizes[cur] += len(line)
        c = re.search(r'\(call \$(\S+)', line)
        if c: calls[cur].add(c.group(1))
bad = re.compile(r'panic|unwrap_failed|slice_error|slice_index|fmt|capacity_overflow|handle_alloc_error|already_borrowed|expect_failed')
print('== our functions that call panic/format machinery')
for f in sorted(calls):
    if 'clink_js' in f:
        hits = sorted(c for c in calls[f] if bad.search(c))
        if hits: print(' ', f[:90], '->', ', '.join(h[:60] for h in hits))
print('== other functions that call it')
for f in sorted(calls):
    if 'clink_js' not in f and not bad.search(f):
        hits = sorted(c for c in calls[f] if bad.search(c))
        if hits: print(' ', f[:90], '->', ', '.join(h[:50] for h in hits)[:200])
print('== biggest 25 (text size of the function)')
for k, v in sorted(sizes.items(), key=lambda x: -x[1])[:25]:
    print(f'  {v:7d} {k[:110]}')
