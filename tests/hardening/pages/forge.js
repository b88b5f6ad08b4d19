// Forged frame messages (hardening campaign 2). Loaded by the stub checkout pages and by the
// merchant page. window.__forge.run(seed, role, n) posts n generated messages and returns
// { sent, failed, kinds }. role 'right' (the SDK's own iframe) posts only malformed messages;
// the other roles ('evil', 'impostor', 'nested', 'self') mix well-formed and malformed ones.
(() => {
  'use strict';
  const BIG = 'x'.repeat(1 << 20); // 1 MiB
  const NS = 'clink-checkout';
  function rng(seed) {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const LOOKALIKE = ['clink-checkout ', 'Clink-Checkout', 'clink_checkout', ' clink-checkout', 'CLINK-CHECKOUT', 'clink-checkout\u0000', 'clink-checkout\n', 'clink-check\u043eut', 'clinkcheckout', 'clink-checkout-', 'clink', 'checkout', '', 'clink-checkout\u200b', 'clink\u2010checkout'];
  const TYPES = ['ready', 'resize', 'state_change', 'hosted_return', 'error'];
  const STATES = ['payment', 'pending', 'success', 'cancelled', 'error', 'expired'];
  const UNKNOWN = ['complete', 'READY', 'Resize', 'state-change', 'stateChange', 'ready ', ' resize', '', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype', 'unknown', 'destroy', 'mount', 'hosted-return', 'Error', 'resize\u0000', 'x'.repeat(1000)];
  const BAD_H = () => [-1, 0, -0, NaN, Infinity, -Infinity, 20001, 20000.5, 1e9, 0.5, 1e-300, Number.MAX_VALUE, -20000, '500', '', '1e3', null, true, false, {}, [500], { valueOf: 500 }, 500n, new Number(500), new Date(500)];
  const BAD_STATES = () => ['PAYMENT', 'Success', 'success ', ' pending', 'complete', 'completed', 'paid', '', 'toString', '__proto__', 'constructor', 'hasOwnProperty', 'payment\u0000', 5, null, true, {}, ['success'], new String('success'), 'x'.repeat(10000)];
  const NON_STRINGS = () => [5, 0, true, false, {}, [], ['x'], 1n, new String('x'), new Date(0), { toString: 'x' }];
  const ARRAY_WITH_FIELDS = () => Object.assign([], { height: 500, state: 'success', url: 'https://shop.example/ok', code: 'X', message: 'm' });
  const BAD_PAYLOADS = () => [undefined, null, [], [{}], 'x', '{}', 5, 0, true, new Date(0), new Map(), new Set(), new String('{}'), new Number(1), new Boolean(false), 1n,
    ARRAY_WITH_FIELDS(), new Error('x'), new Uint8Array(2), new ArrayBuffer(4), /re/];
  const pick = (r, list) => list[Math.floor(r() * list.length)];
  function deep(n, arr) {
    let o = arr ? [] : {};
    for (let i = 0; i < n; i++) o = arr ? [o] : { a: o };
    return o;
  }
  function validPayload(r, type) {
    switch (type) {
      case 'ready': return {};
      case 'resize': return { height: 1 + Math.floor(r() * 20000) };
      case 'state_change': return { state: pick(r, STATES) };
      case 'hosted_return': return { state: pick(r, ['success', 'cancelled']), url: 'https://shop.example/ok?sessionId=sess_1' };
      default: return { code: 'CARD_DECLINED', message: 'declined' };
    }
  }
  function msg(type, payload, source = NS) {
    const m = { source, type };
    if (payload !== undefined) m.payload = payload;
    return m;
  }
  const P = (s) => JSON.parse(s);

  const MALFORMED = {
    lookalike: (r) => { const t = pick(r, TYPES); return msg(t, validPayload(r, t), pick(r, LOOKALIKE)); },
    'source-not-string': (r) => { const t = pick(r, TYPES); const m = msg(t, validPayload(r, t), pick(r, [5, null, {}, [NS], new String(NS), true, 0])); if (r() < 0.2) delete m.source; return m; },
    'unknown-type': (r) => msg(pick(r, UNKNOWN), pick(r, [{}, { height: 500 }, { state: 'success' }, { code: 'X', message: 'm' }, { state: 'success', url: 'https://x.example' }])),
    'type-not-string': (r) => msg(pick(r, [5, null, {}, ['ready'], new String('ready'), true, undefined]), {}),
    'bad-payload': (r) => msg(pick(r, TYPES), pick(r, BAD_PAYLOADS())),
    'bad-height': (r) => msg('resize', r() < 0.1 ? {} : { height: pick(r, BAD_H()) }),
    'bad-state': (r) => msg('state_change', r() < 0.1 ? {} : { state: pick(r, BAD_STATES()) }),
    'bad-hosted-return': (r) => msg('hosted_return', pick(r, [
      { state: pick(r, NON_STRINGS()) }, { url: pick(r, NON_STRINGS()) },
      { state: 'success', url: pick(r, NON_STRINGS()) }, { state: pick(r, NON_STRINGS()), url: 'https://shop.example/ok' },
    ])),
    'bad-error': (r) => msg('error', pick(r, [
      { code: pick(r, NON_STRINGS()), message: 'm' }, { code: 'CARD_DECLINED', message: pick(r, NON_STRINGS()) },
      { code: pick(r, NON_STRINGS()), message: pick(r, NON_STRINGS()) },
    ])),
    'data-not-object': (r) => pick(r, [
      '{"source":"clink-checkout","type":"resize","payload":{"height":500}}', 5, null, true, 0, '',
      [NS, 'resize', { height: 500 }], [{ source: NS, type: 'ready', payload: {} }], new String(NS), new Date(0), 1n, 'clink-checkout',
    ]),
    proto: (r) => pick(r, [
      P('{"__proto__":{"source":"clink-checkout","type":"resize","payload":{"height":500}}}'),
      P('{"__proto__":{"polluted":1}}'),
      P('{"constructor":{"prototype":{"polluted":1,"source":"clink-checkout","type":"ready","payload":{}}}}'),
      msg('resize', P('{"__proto__":{"height":500,"polluted":1}}')),
      msg('resize', P('{"constructor":{"prototype":{"height":500,"polluted":1}}}')),
      msg('state_change', P('{"__proto__":{"state":"success","polluted":1}}')),
      msg('state_change', P('{"state":"bogus","__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}')),
      msg('error', P('{"code":5,"message":"m","__proto__":{"polluted":1}}')),
      msg('hosted_return', P('{"state":5,"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}')),
      msg('__proto__', P('{"polluted":1}')),
      msg('constructor', P('{"prototype":{"polluted":1}}')),
      { source: NS, type: 'resize', payload: { height: -1 }, __proto__: { polluted: 1 } },
    ]),
    oversized: (r) => pick(r, [
      msg('ready', {}, BIG), msg(BIG, {}), msg('state_change', { state: BIG }), msg('resize', { height: BIG }),
      msg('resize', { height: -1, pad: BIG }), msg('hosted_return', { state: 5, url: BIG }), msg('error', { code: 5, message: BIG }),
      { source: NS, type: 'unknown', payload: { pad: BIG } }, BIG,
    ]),
    deep: (r) => {
      const d = 100 + Math.floor(r() * 2900);
      return pick(r, [msg('resize', deep(d)), deep(d), msg('state_change', { state: deep(d) }), msg('resize', { height: deep(d, true) }), msg('error', { code: deep(d), message: 'm' })]);
    },
  };
  const MALFORMED_KINDS = Object.keys(MALFORMED).filter((k) => k !== 'oversized' && k !== 'deep');

  function generate(r, role) {
    if (role !== 'right' && r() < 0.5) {
      const t = pick(r, TYPES);
      if (r() < 0.1) return ['valid', msg('state_change', P('{"state":"success","__proto__":{"polluted":1}}'))];
      return ['valid', msg(t, validPayload(r, t))];
    }
    const x = r();
    const kind = x < 0.005 ? 'oversized' : x < 0.015 ? 'deep' : pick(r, MALFORMED_KINDS);
    return [kind, MALFORMED[kind](r)];
  }

  window.__forge = {
    /** The messages run() would post (for reproducing a culprit). */
    generate(seed, role, n) {
      const r = rng(seed);
      const out = [];
      for (let i = 0; i < n; i++) out.push(generate(r, role));
      return out;
    },
    run(seed, role, n) {
      const r = rng(seed);
      const target = role === 'self' ? window : role === 'nested' ? window.top : window.parent;
      const out = { sent: 0, failed: 0, kinds: {}, errors: [], failedIdx: [] };
      for (let i = 0; i < n; i++) {
        const [kind, data] = generate(r, role);
        try {
          target.postMessage(data, '*');
          out.sent++;
          out.kinds[kind] = (out.kinds[kind] || 0) + 1;
        } catch (e) {
          out.failed++;
          out.failedIdx.push(i);
          if (out.errors.length < 5) out.errors.push(`${kind}: ${e && e.name}`);
        }
      }
      return out;
    },
  };
})();
