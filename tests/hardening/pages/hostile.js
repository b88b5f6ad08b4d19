// Hardening helpers for the merchant page (loaded as a classic script BEFORE the SDK):
// bounded outcomes, error descriptions, snapshots of given objects and of the built-in
// prototypes, hostile values, and the hostile-options matrix (campaign 1).
(() => {
  'use strict';
  const q = new URLSearchParams(location.search);
  const CHECKOUT = q.get('checkout');
  const EVIL = q.get('evil');
  const BIG = 'a'.repeat(1 << 20); // 1 MiB
  const H = (window.H = { CHECKOUT, EVIL, BIG, received: 0 });
  // Counts every message the merchant window receives (registered before the SDK's listener).
  window.addEventListener('message', () => H.received++);

  // ---------------------------------------------------------------- outcomes
  H.describe = function describe(e) {
    const d = { type: typeof e };
    try { d.isClinkError = e instanceof window.sdk.ClinkError; } catch { d.isClinkError = false; }
    try { d.isError = e instanceof Error; } catch { d.isError = false; }
    try {
      d.name = String(e && e.name);
      d.code = e && e.code;
      d.message = String(e && e.message);
      d.ctor = e && e.constructor && e.constructor.name;
      d.hasCause = !!e && typeof e === 'object' && 'cause' in e;
    } catch (x) {
      d.describeFailed = String(x);
    }
    if (typeof e !== 'object' || e === null) { try { d.value = String(e); } catch {} }
    return d;
  };
  H.isGoodClinkError = (d) =>
    d.isClinkError && d.isError && d.name === 'ClinkError' && typeof d.code === 'string' &&
    Object.prototype.hasOwnProperty.call(window.sdk.CLINK_ERROR_CODES, d.code) && typeof d.message === 'string' && d.message.length > 0;

  /** Runs fn (sync or async), bounded; never rejects. */
  H.outcome = async function outcome(fn, ms = 4000) {
    let timer;
    const timeout = new Promise((r) => (timer = setTimeout(() => r({ timeout: true }), ms)));
    const run = (async () => {
      try {
        return { ok: true, value: await fn() };
      } catch (e) {
        return { ok: false, error: e };
      }
    })();
    const r = await Promise.race([run, timeout]);
    clearTimeout(timer);
    return r;
  };

  // ---------------------------------------------------------------- snapshots
  const ids = new WeakMap();
  let nextId = 1;
  const PROXIES = new WeakSet();
  function valId(v) {
    if (v === null) return 'null';
    if (typeof v === 'object' || typeof v === 'function') {
      if (!ids.has(v)) ids.set(v, nextId++);
      return `#${ids.get(v)}`;
    }
    if (typeof v === 'string') return `str(${v.length}:${JSON.stringify(v.slice(0, 40))})`;
    if (typeof v === 'symbol') return `sym(${String(v.description)})`;
    return `${typeof v}(${Object.is(v, -0) ? '-0' : String(v)})`;
  }
  /** Deep description of own properties (getters are not called; Proxies are not entered). */
  function snap(root) {
    const seen = new Set();
    const out = [];
    (function walk(o, path) {
      if (o === null || (typeof o !== 'object' && typeof o !== 'function')) return;
      if (PROXIES.has(o) || seen.has(o)) return;
      seen.add(o);
      out.push(`${path} ext=${Object.isExtensible(o)} frozen=${Object.isFrozen(o)} proto=${valId(Object.getPrototypeOf(o))}`);
      for (const k of Reflect.ownKeys(o)) {
        const d = Object.getOwnPropertyDescriptor(o, k);
        const ks = typeof k === 'symbol' ? k.toString() : JSON.stringify(k);
        if ('value' in d) {
          out.push(`${path}[${ks}]=${valId(d.value)} w${+d.writable}e${+d.enumerable}c${+d.configurable}`);
          walk(d.value, `${path}[${ks}]`);
        } else out.push(`${path}[${ks}] get=${valId(d.get)} set=${valId(d.set)} e${+d.enumerable}c${+d.configurable}`);
      }
    })(root, '$');
    return out.join('\n');
  }
  H.snap = snap;
  const tracked = [];
  /** Remembers a snapshot of obj (the SDK must never write to it); returns obj. */
  H.track = (label, obj) => {
    tracked.push({ label, obj, before: snap(obj) });
    return obj;
  };
  H.verifyTracked = () => {
    const diffs = [];
    for (const t of tracked) {
      const now = snap(t.obj);
      if (now !== t.before) {
        const a = t.before.split('\n'), b = now.split('\n');
        diffs.push({ label: t.label, removed: a.filter((x) => !b.includes(x)).slice(0, 5), added: b.filter((x) => !a.includes(x)).slice(0, 5) });
      }
    }
    return { count: tracked.length, diffs };
  };
  /** Built-in prototypes and the global object's own keys. */
  H.builtins = () => {
    const shallow = (o) => Reflect.ownKeys(o).map((k) => {
      const d = Object.getOwnPropertyDescriptor(o, k);
      return `${String(k)}:${'value' in d ? valId(d.value) : `get=${valId(d.get)},set=${valId(d.set)}`}:${+!!d.writable}${+d.enumerable}${+d.configurable}`;
    }).sort().join('|');
    return {
      objectProto: shallow(Object.prototype),
      arrayProto: shallow(Array.prototype),
      functionProto: shallow(Function.prototype),
      stringProto: shallow(String.prototype),
      promiseProto: shallow(Promise.prototype),
      errorProto: shallow(Error.prototype),
      objectProtoExtensible: Object.isExtensible(Object.prototype),
      emptyPolluted: ({}).polluted,
      globals: Object.getOwnPropertyNames(window).sort().join('|'),
    };
  };

  /** A Proxy recording every write-like trap into `log`. */
  H.recording = (label, target, log) => {
    const rec = (trap) => (...a) => {
      log.push(`${label}: ${trap} ${typeof a[1] === 'symbol' ? a[1].toString() : String(a[1])}`);
      return Reflect[trap](...a);
    };
    const p = new Proxy(target, {
      set: rec('set'), defineProperty: rec('defineProperty'), deleteProperty: rec('deleteProperty'),
      setPrototypeOf: rec('setPrototypeOf'), preventExtensions: rec('preventExtensions'),
    });
    return p;
  };
  H.deepFreeze = function deepFreeze(o) {
    if (o && (typeof o === 'object' || typeof o === 'function') && !Object.isFrozen(o)) {
      Object.freeze(o);
      for (const k of Reflect.ownKeys(o)) {
        const d = Object.getOwnPropertyDescriptor(o, k);
        if ('value' in d) deepFreeze(d.value);
      }
    }
    return o;
  };

  // ---------------------------------------------------------------- hostile values
  const NAMES = ['checkoutEnvironment', 'checkoutBaseUrl', 'locale', 'origin', 'fetchImpl', 'sessionParam', 'sessionId', 'replace',
    'fetchSession', 'onEvent', 'autoResize', 'autoDestroyOnComplete', 'pollStatus', 'pollIntervalMs', 'checkoutUrl', 'orderId',
    'then', 'toString', 'valueOf', 'toJSON', 'length', 'nodeType', 'constructor', 'href', 'ok', 'status', 'json', 'text', 'headers', 'body', 'url', 'redirected', 'type'];
  const boom = (what) => () => { throw new Error(`hostile ${what}`); };
  function throwingGetters(names = NAMES) {
    const o = {};
    for (const n of names) Object.defineProperty(o, n, { get: boom(`getter ${n}`), enumerable: true, configurable: true });
    Object.defineProperty(o, Symbol.toPrimitive, { get: boom('getter @@toPrimitive'), configurable: true });
    Object.defineProperty(o, Symbol.iterator, { get: boom('getter @@iterator'), configurable: true });
    return o;
  }
  const TRAPS = ['getPrototypeOf', 'setPrototypeOf', 'isExtensible', 'preventExtensions', 'getOwnPropertyDescriptor', 'defineProperty', 'has', 'get', 'set', 'deleteProperty', 'ownKeys', 'apply', 'construct'];
  function throwingProxy(target = {}) {
    const handler = {};
    for (const t of TRAPS) handler[t] = boom(`proxy trap ${t}`);
    const p = new Proxy(target, handler);
    PROXIES.add(p);
    return p;
  }
  function revoked(target = {}) {
    const { proxy, revoke } = Proxy.revocable(target, {});
    PROXIES.add(proxy);
    revoke();
    return proxy;
  }
  function cyclic(extra = {}) {
    const o = { ...extra };
    o.self = o;
    o.list = [o, { back: o }];
    return o;
  }
  H.throwingGetters = throwingGetters;
  H.throwingProxy = throwingProxy;
  H.revoked = revoked;
  H.cyclic = cyclic;
  /** Fresh hostile values: [label, value, isObjectForTracking]. */
  function generic() {
    return [
      ['null', null], ['0', 0], ['5', 5], ['-1', -1], ['NaN', NaN], ['true', true], ['false', false],
      ['""', ''], ['"x"', 'x'], ['1 MB string', BIG], ['Symbol', Symbol('hostile')], ['BigInt 10n', 10n],
      ['function', function hostileFn() {}], ['[]', []], ['[1]', [1]], ['Date', new Date(0)], ['RegExp', /re/], ['Map', new Map([['a', 1]])],
      ['new String("x")', new String('x')],
      ['getters that throw', throwingGetters()], ['Proxy throwing on every trap', throwingProxy()], ['revoked Proxy', revoked()],
      ['function Proxy throwing on every trap', throwingProxy(function () {})], ['revoked function Proxy', revoked(function () {})],
      ['cyclic object', cyclic()], ['JSON {"__proto__":{"polluted":1}}', JSON.parse('{"__proto__":{"polluted":1}}')],
      ['JSON {"constructor":{"prototype":{"polluted":1}}}', JSON.parse('{"constructor":{"prototype":{"polluted":1}}}')],
      ['Object.create(null)', Object.create(null)], ['{}', {}],
    ];
  }
  H.generic = generic;
  const isObj = (v) => v !== null && (typeof v === 'object' || typeof v === 'function');

  // ---------------------------------------------------------------- the matrix
  const ICE = 'INVALID_CHECKOUT_ENV', IPK = 'INVALID_PUBLIC_KEY', BRF = 'BOOTSTRAP_REQUEST_FAILED', IBR = 'INVALID_BOOTSTRAP_RESPONSE';
  const IRP = 'INVALID_REDIRECT_PARAMS', ISI = 'INVALID_SESSION_ID', IEO = 'INVALID_EMBEDDED_OPTIONS', SFF = 'SESSION_ID_FETCH_FAILED';
  const ICU = 'INVALID_CHECKOUT_URL', CNF = 'CONTAINER_NOT_FOUND';
  const ANY = '*'; // any ClinkError (the README is silent)

  /**
   * Runs every case; returns plain results. A case: { target, label, run, expect: [...], silent?, sync? }.
   * expect: codes and/or 'ok' and/or ANY. silent: the README does not decide (reported as a note).
   */
  H.runMatrix = async function runMatrix() {
    const sdk = window.sdk;
    const results = [];
    const goodFetchSession = () => async () => ({ sessionId: 'sess_ok', checkoutUrl: `${CHECKOUT}/pay/sess_ok` });
    const direct = await sdk.loadClink('pk_test_matrix', { checkoutBaseUrl: CHECKOUT });
    const nav = await sdk.loadClink('pk_test_matrix', { checkoutBaseUrl: `${CHECKOUT}/nav204` });
    const live = []; // instances to destroy

    async function run(c) {
      let r;
      if (c.sync) {
        // mount/on are synchronous: they must throw, not return a rejected promise.
        try {
          const v = c.run();
          r = { ok: true, value: v };
          if (v && typeof v.then === 'function') r.returnedThenable = true;
        } catch (e) {
          r = { ok: false, error: e };
        }
      } else r = await H.outcome(c.run, c.ms || 4000);
      const res = { target: c.target, label: c.label, expect: c.expect, silent: !!c.silent };
      if (r.timeout) res.timeout = true;
      else if (r.ok) {
        res.ok = true;
        const v = r.value;
        if (v && typeof v === 'object' && typeof v.destroy === 'function') {
          live.push(v);
          res.value = 'EmbeddedCheckout';
        } else if (v && typeof v === 'object' && 'checkoutBaseUrl' in v) res.value = `Clink(${v.checkoutBaseUrl})`;
        else res.value = typeof v;
        if (c.check) res.checkFailed = c.check(v) || undefined;
      } else {
        res.ok = false;
        res.error = H.describe(r.error);
        res.good = H.isGoodClinkError(res.error);
        if (res.error.message && res.error.message.length > 300) res.error.message = res.error.message.slice(0, 300) + '…';
      }
      if (r.returnedThenable) res.returnedThenable = true;
      if (c.causeMustBe && !r.ok && !r.timeout) res.causeOk = !!r.error && r.error.cause === c.causeMustBe;
      results.push(res);
    }
    const cases = [];
    const add = (target, label, runFn, expect, extra = {}) => cases.push({ target, label, run: runFn, expect, ...extra });

    // ---- loadClink(key)
    for (const [label, v] of generic()) {
      if (isObj(v)) H.track(`key ${label}`, v);
      add('loadClink key', label, () => sdk.loadClink(v, { checkoutBaseUrl: CHECKOUT }), [IPK]);
    }
    for (const k of ['pk_test_', 'pk_test_a-b', ' pk_test_a', 'pk_test_a\n', 'pk_test_a b', 'PK_TEST_a', 'pk_live_a', 'pk_test_\u00e9', 'pk_', 'sk_test_a', 'pk_test_a\u0000']) {
      add('loadClink key', JSON.stringify(k), () => sdk.loadClink(k, { checkoutBaseUrl: CHECKOUT }), [IPK]);
    }
    add('loadClink key', '"pk_test_" + 1 MB of [a]', () => sdk.loadClink('pk_test_' + BIG, { checkoutBaseUrl: CHECKOUT }), ['ok', ANY], { silent: true });
    add('loadClink key', '"pk_test_" + 1 MB (bootstrap)', () => sdk.loadClink('pk_test_' + BIG, {}), ['ok', ANY], { silent: true, ms: 8000 });
    add('loadClink key', 'new String("pk_test_a")', () => sdk.loadClink(new String('pk_test_a'), { checkoutBaseUrl: CHECKOUT }), ['ok', IPK], { silent: true });
    add('loadClink key', '{toString: () => "pk_test_a"}', () => sdk.loadClink({ toString: () => 'pk_test_a' }, { checkoutBaseUrl: CHECKOUT }), [IPK]);

    // ---- loadClink(key, options)
    const optsSilent = new Set(['null', 'function', '[]', '[1]', 'Date', 'RegExp', 'Map', 'new String("x")', 'cyclic object', 'Object.create(null)']);
    const optsOk = new Set(['JSON {"__proto__":{"polluted":1}}', 'JSON {"constructor":{"prototype":{"polluted":1}}}', '{}']);
    for (const [label, v] of generic()) {
      if (isObj(v)) H.track(`options ${label}`, v);
      const expect = optsOk.has(label) ? ['ok'] : optsSilent.has(label) ? ['ok', ICE] : [ICE];
      add('loadClink options', label, () => sdk.loadClink('pk_test_opts', v), expect, { silent: optsSilent.has(label) });
    }
    {
      const o = H.track('options JSON __proto__ checkoutBaseUrl', JSON.parse('{"__proto__":{"checkoutBaseUrl":"https://evil.example"}}'));
      add('loadClink options', 'JSON {"__proto__":{"checkoutBaseUrl":"https://evil.example"}} (own key, must not be used)', () => sdk.loadClink('pk_test_opts', o), ['ok'],
        { check: (c) => (c.checkoutBaseUrl === CHECKOUT ? null : `checkoutBaseUrl ${c.checkoutBaseUrl}`) });
      const o2 = H.track('options JSON constructor checkoutBaseUrl', JSON.parse('{"constructor":{"prototype":{"checkoutBaseUrl":"https://evil.example"}}}'));
      add('loadClink options', 'JSON {"constructor":{"prototype":{"checkoutBaseUrl":…}}}', () => sdk.loadClink('pk_test_opts', o2), ['ok'],
        { check: (c) => (c.checkoutBaseUrl === CHECKOUT ? null : `checkoutBaseUrl ${c.checkoutBaseUrl}`) });
    }
    for (const opt of ['checkoutEnvironment', 'checkoutBaseUrl', 'locale', 'origin', 'fetchImpl']) {
      const strIsSilent = opt === 'locale' || opt === 'origin';
      for (const [label, v] of generic()) {
        let expect = [ICE], silent = false;
        if (label === 'null' || label === 'new String("x")') { expect = ['ok', ICE]; silent = true; }
        else if (typeof v === 'string') { if (strIsSilent) { expect = ['ok', ANY]; silent = true; } }
        else if (opt === 'fetchImpl' && typeof v === 'function') {
          expect = label === 'function' ? [BRF, IBR] : [BRF, IBR, ICE];
        }
        const o = H.track(`options.${opt} = ${label}`, { [opt]: v });
        add(`loadClink options.${opt}`, label, () => sdk.loadClink('pk_test_opts', o), expect, { silent });
      }
      const g = H.track(`options getter ${opt}`, Object.defineProperty({}, opt, { get: boom(`getter ${opt}`), enumerable: true }));
      add(`loadClink options.${opt}`, 'getter that throws', () => sdk.loadClink('pk_test_opts', g), [ICE]);
    }
    for (const s of ['SANDBOX', ' sandbox', 'sandbox ', 'prod', 'test', 'uat', 'development', 'sandbox\u0000', '__proto__', 'constructor']) {
      add('loadClink options.checkoutEnvironment', JSON.stringify(s), () => sdk.loadClink('pk_test_opts', { checkoutEnvironment: s }), [ICE]);
    }
    add('loadClink options.checkoutEnvironment', '"production" (valid)', () => sdk.loadClink('pk_test_opts', { checkoutEnvironment: 'production' }), ['ok']);
    for (const s of ['/relative', 'javascript:alert(1)', 'data:text/html,x', 'http://evil.example', 'http://127.0.0.2', 'http://localhost.evil.example', 'ftp://x.example', 'https://', 'https://user:pw@x.example', 'file:///etc/passwd', '//evil.example', 'https://x.example\n', 'blob:https://x.example/1']) {
      add('loadClink options.checkoutBaseUrl', JSON.stringify(s), () => sdk.loadClink('pk_test_opts', { checkoutBaseUrl: s }), [ICE]);
    }
    add('loadClink options.checkoutBaseUrl', '"https://x.example/" + 1 MB', () => sdk.loadClink('pk_test_opts', { checkoutBaseUrl: 'https://x.example/' + BIG }), ['ok', ANY], { silent: true });
    add('loadClink options.checkoutBaseUrl', '"https://x.example/" (valid)', () => sdk.loadClink('pk_test_opts', { checkoutBaseUrl: 'https://x.example/' }), ['ok'],
      { check: (c) => (c.checkoutBaseUrl === 'https://x.example' ? null : `checkoutBaseUrl ${c.checkoutBaseUrl}`) });
    for (const s of ['en-US&x=1', 'en\u0000', 'en US', '../', '#', 'é'.repeat(100)]) {
      add('loadClink options.locale', JSON.stringify(s), () => sdk.loadClink('pk_test_opts', { locale: s }), ['ok', ANY], { silent: true });
    }
    for (const s of ['not an origin', 'javascript:alert(1)', 'https://shop.example/path?x=1', 'https://shop.example&evil=1']) {
      add('loadClink options.origin', JSON.stringify(s), () => sdk.loadClink('pk_test_opts', { origin: s }), ['ok', ANY], { silent: true });
    }
    // fetchImpl behaviours.
    const fi = (label, f, expect = [BRF, IBR], silent = false) => add('loadClink options.fetchImpl', label, () => sdk.loadClink('pk_test_opts', { checkoutEnvironment: 'sandbox', fetchImpl: f }), expect, { silent });
    fi('throws synchronously', () => { throw new Error('hostile fetch'); }, [BRF]);
    fi('throws a Symbol', () => { throw Symbol('x'); }, [BRF]);
    fi('rejects with undefined', () => Promise.reject(undefined), [BRF]);
    fi('rejects with a Proxy', () => Promise.reject(throwingProxy()), [BRF]);
    fi('resolves 5', async () => 5);
    fi('resolves null', async () => null);
    fi('resolves a Proxy throwing on every trap', async () => ({ r: throwingProxy() }).r);
    fi('returns a Proxy throwing on every trap (not a promise)', () => throwingProxy());
    fi('returns a revoked Proxy', () => revoked());
    fi('resolves an object whose getters throw', async () => ({ v: throwingGetters() }).v);
    fi('returns a thenable whose then getter throws', () => throwingGetters(['then']));
    fi('resolves a response whose json() returns a cyclic object', async () => ({ ok: true, status: 200, json: async () => cyclic(), text: async () => '{}', headers: new Headers() }));
    fi('resolves a Response whose body stream errors', async () => new Response(new ReadableStream({ start(c) { c.error(new Error('stream boom')); } }), { status: 200 }));
    fi('resolves a Response of a JSON __proto__ body', async () => new Response('{"__proto__":{"checkoutBaseUrl":"https://evil.example"}}', { status: 200 }), [IBR]);
    fi('resolves a Response with status 500', async () => new Response('{}', { status: 500 }), [BRF]);

    // ---- redirectToCheckout(params)
    for (const [label, v] of generic()) {
      if (isObj(v)) H.track(`redirect params ${label}`, v);
      add('redirectToCheckout params', label, () => nav.redirectToCheckout(v), [IRP]);
    }
    add('redirectToCheckout params', 'undefined', () => nav.redirectToCheckout(undefined), [IRP]);
    add('redirectToCheckout params', 'JSON {"__proto__":{"sessionId":"sess_1"}}', () => nav.redirectToCheckout(H.track('rp proto', JSON.parse('{"__proto__":{"sessionId":"sess_1"}}'))), [IRP]);
    add('redirectToCheckout params', 'JSON {"constructor":{"prototype":{"sessionId":"sess_1"}}}', () => nav.redirectToCheckout(H.track('rp ctor', JSON.parse('{"constructor":{"prototype":{"sessionId":"sess_1"}}}'))), [IRP]);
    for (const [label, v] of generic()) {
      const p = H.track(`sessionParam ${label}`, { sessionParam: v });
      add('redirectToCheckout sessionParam', label, () => nav.redirectToCheckout(p), [IRP]);
    }
    for (const s of ['sess_' + 'a'.repeat(129), 'sess_1#', 'sess_1#a b', 'sess_1#a\n', 'sess_1#a\u0000', 'sess_1#' + 'a'.repeat(4097), 'sess_1#' + BIG, 'sess_\u00e9', 'SESS_1', ' sess_1', 'sess_1 ', 'sess_', '#tok']) {
      const label = s.length > 60 ? `${JSON.stringify(s.slice(0, 20))}… (${s.length} chars)` : JSON.stringify(s);
      add('redirectToCheckout sessionParam', label, () => nav.redirectToCheckout({ sessionParam: s }), [IRP]);
    }
    {
      const p = H.track('sessionParam getter', Object.defineProperty({ sessionId: 'sess_ok' }, 'sessionParam', { get: boom('getter sessionParam'), enumerable: true }));
      add('redirectToCheckout sessionParam', 'getter that throws (sessionId valid)', () => nav.redirectToCheckout(p), [IRP]);
    }
    for (const [label, v] of generic()) {
      const p = H.track(`sessionId ${label}`, { sessionId: v });
      let expect = [ISI], silent = false;
      if (label === 'null') { expect = [IRP, ISI]; silent = true; }
      if (/Proxy/.test(label)) { expect = [ISI, IRP]; silent = true; }
      add('redirectToCheckout sessionId', label, () => nav.redirectToCheckout(p), expect, { silent });
    }
    for (const s of ['sess_' + 'a'.repeat(129), 'sess_', 'sess_a#b', 'sess_a b', 'sess_\u00e9', 'SESS_a', 'sess_a\n', 'sess_a/b']) {
      add('redirectToCheckout sessionId', JSON.stringify(s.length > 60 ? s.slice(0, 20) + '…' : s), () => nav.redirectToCheckout({ sessionId: s }), [ISI]);
    }
    {
      const p = H.track('sessionId getter', Object.defineProperty({}, 'sessionId', { get: boom('getter sessionId'), enumerable: true }));
      add('redirectToCheckout sessionId', 'getter that throws', () => nav.redirectToCheckout(p), [IRP]);
    }
    const replaceCases = [];
    for (const [label, v] of generic()) {
      const p = H.track(`replace ${label}`, { sessionId: 'sess_ok', replace: v });
      const valid = typeof v === 'boolean';
      replaceCases.push(['redirectToCheckout replace', label, () => nav.redirectToCheckout(p), valid ? ['ok'] : ['ok', IRP], { silent: !valid }]);
    }
    // the README-silent session params that may navigate (to a 204, so the page stays): run last.
    for (const s of ['sess_1#tok#', 'sess_1#/../x', 'sess_1/../x']) {
      replaceCases.push(['redirectToCheckout sessionParam', JSON.stringify(s), () => nav.redirectToCheckout({ sessionParam: s }), ['ok', IRP], { silent: true }]);
    }
    {
      const p = H.track('replace getter', Object.defineProperty({ sessionId: 'sess_ok' }, 'replace', { get: boom('getter replace'), enumerable: true }));
      replaceCases.push(['redirectToCheckout replace', 'getter that throws', () => nav.redirectToCheckout(p), [IRP]]);
    }

    // ---- initEmbeddedCheckout(options)
    for (const [label, v] of generic()) {
      if (isObj(v)) H.track(`embedded options ${label}`, v);
      add('initEmbeddedCheckout options', label, () => direct.initEmbeddedCheckout(v), [IEO]);
    }
    add('initEmbeddedCheckout options', 'undefined', () => direct.initEmbeddedCheckout(), [IEO]);
    for (const opt of ['fetchSession', 'onEvent', 'autoResize', 'autoDestroyOnComplete', 'pollStatus', 'pollIntervalMs']) {
      for (const [label, v] of generic()) {
        let expect = [IEO], silent = false;
        const fnOpt = opt === 'fetchSession' || opt === 'onEvent' || opt === 'pollStatus';
        if (opt !== 'fetchSession' && label === 'null') { expect = ['ok', IEO]; silent = true; }
        else if (fnOpt && label === 'function') expect = opt === 'fetchSession' ? [SFF] : ['ok'];
        else if (fnOpt && typeof v === 'function') { expect = opt === 'fetchSession' ? [IEO, SFF] : ['ok', IEO]; silent = true; }
        else if ((opt === 'autoResize' || opt === 'autoDestroyOnComplete') && typeof v === 'boolean') expect = ['ok'];
        else if (opt === 'pollIntervalMs' && label === 'new String("x")') expect = [IEO];
        const o = H.track(`embedded ${opt} = ${label}`, opt === 'fetchSession' ? { fetchSession: v } : { fetchSession: goodFetchSession(), [opt]: v });
        add(`initEmbeddedCheckout options.${opt}`, label, () => direct.initEmbeddedCheckout(o), expect, { silent });
      }
      const g = H.track(`embedded getter ${opt}`, Object.defineProperty(opt === 'fetchSession' ? {} : { fetchSession: goodFetchSession() }, opt, { get: boom(`getter ${opt}`), enumerable: true }));
      add(`initEmbeddedCheckout options.${opt}`, 'getter that throws', () => direct.initEmbeddedCheckout(g), [IEO]);
    }
    for (const [label, v, expect, silent] of [
      ['99', 99, [IEO]], ['100', 100, ['ok']], ['2000', 2000, ['ok']], ['100.5', 100.5, ['ok', IEO], true], ['Infinity', Infinity, ['ok', IEO], true],
      ['-Infinity', -Infinity, [IEO]], ['2**31', 2 ** 31, ['ok', IEO], true], ['1e308', 1e308, ['ok', IEO], true], ['"2000"', '2000', [IEO]], ['2000n', 2000n, [IEO]],
      ['new Number(2000)', new Number(2000), ['ok', IEO], true], ['-0', -0, [IEO]],
    ]) add('initEmbeddedCheckout options.pollIntervalMs', label, () => direct.initEmbeddedCheckout({ fetchSession: goodFetchSession(), pollIntervalMs: v }), expect, { silent });
    add('initEmbeddedCheckout options.autoResize', 'new Boolean(true)', () => direct.initEmbeddedCheckout({ fetchSession: goodFetchSession(), autoResize: new Boolean(true) }), ['ok', IEO], { silent: true });

    // ---- the fetchSession behaviour and result
    const fs = (label, f, expect, extra = {}) => add('fetchSession result', label, () => direct.initEmbeddedCheckout({ fetchSession: f }), expect, extra);
    {
      const err = new Error('merchant down');
      fs('throws an Error (cause kept)', () => { throw err; }, [SFF], { causeMustBe: err });
    }
    fs('throws a Symbol', () => { throw Symbol('x'); }, [SFF]);
    fs('throws null', () => { throw null; }, [SFF]);
    fs('throws a Proxy', () => { throw throwingProxy(); }, [SFF]);
    fs('rejects with undefined', () => Promise.reject(undefined), [SFF]);
    fs('rejects with a revoked Proxy', () => Promise.reject(revoked()), [SFF]);
    fs('returns a thenable whose then getter throws', () => throwingGetters(['then']), [SFF]);
    fs('returns a Proxy throwing on every trap (not a promise)', () => throwingProxy(), [SFF]);
    for (const [label, v] of generic()) {
      let expect, silent = false;
      const plainNoSession = ['{}', 'Object.create(null)', 'JSON {"__proto__":{"polluted":1}}', 'JSON {"constructor":{"prototype":{"polluted":1}}}'];
      if (v === null || (typeof v !== 'object' && typeof v !== 'function')) expect = [SFF];
      else if (plainNoSession.includes(label)) expect = [ISI];
      else if (label === 'getters that throw' || /Proxy/.test(label)) expect = [SFF];
      else { expect = [SFF, ISI]; silent = true; }
      if (isObj(v)) H.track(`fetchSession result ${label}`, v);
      fs(`resolves ${label}`, async () => ({ v }).v, expect, { silent });
    }
    fs('resolves undefined', async () => undefined, [SFF]);
    {
      const mk = (k) => H.track(`result getter ${k}`, Object.defineProperty({ sessionId: 'sess_ok', checkoutUrl: `${CHECKOUT}/pay/sess_ok`, orderId: 'ord_1' }, k, { get: boom(`getter ${k}`), enumerable: true }));
      for (const k of ['sessionId', 'checkoutUrl', 'orderId']) { const o = mk(k); fs(`resolves an object whose ${k} getter throws`, async () => ({ o }).o, [SFF]); }
      const pr = JSON.parse(`{"__proto__":{"sessionId":"sess_ok","checkoutUrl":"${CHECKOUT}/pay/sess_ok"}}`);
      H.track('result JSON __proto__ session', pr);
      fs('resolves JSON {"__proto__":{sessionId, checkoutUrl}} (own key)', async () => ({ pr }).pr, [ISI]);
      const cy = H.track('result cyclic valid', cyclic({ sessionId: 'sess_ok', checkoutUrl: `${CHECKOUT}/pay/sess_ok` }));
      fs('resolves a cyclic but otherwise valid object', async () => ({ cy }).cy, ['ok', SFF], { silent: true });
    }
    for (const [label, v] of generic()) {
      let expect = [ISI], silent = false;
      if (/Proxy/.test(label)) { expect = [ISI, SFF]; silent = true; }
      const o = H.track(`result.sessionId ${label}`, { sessionId: v, checkoutUrl: `${CHECKOUT}/pay/sess_ok` });
      fs(`sessionId ${label}`, async () => ({ o }).o, expect, { silent });
    }
    for (const s of ['sess_' + 'a'.repeat(129), 'sess_ok#tok', 'sess_', 'x', 'sess_a b']) {
      fs(`sessionId ${JSON.stringify(s.length > 40 ? s.slice(0, 20) + '…' : s)}`, async () => ({ sessionId: s, checkoutUrl: `${CHECKOUT}/pay/sess_ok` }), [ISI]);
    }
    for (const [label, v] of generic()) {
      let expect = [ICU], silent = false;
      if (/Proxy/.test(label)) { expect = [ICU, SFF]; silent = true; }
      const o = H.track(`result.checkoutUrl ${label}`, { sessionId: 'sess_ok', checkoutUrl: v });
      fs(`checkoutUrl ${label}`, async () => ({ o }).o, expect, { silent });
    }
    for (const s of ['/pay/x', 'javascript:alert(1)', 'data:text/html,x', 'http://evil.example/pay/x', 'ftp://x.example/', 'https://', 'https://u:p@x.example/pay/x', 'file:///etc/passwd', '//evil.example/pay', 'about:blank', 'blob:https://x.example/1', ' https://x.example/']) {
      fs(`checkoutUrl ${JSON.stringify(s)}`, async () => ({ sessionId: 'sess_ok', checkoutUrl: s }), [ICU]);
    }
    fs('checkoutUrl missing', async () => ({ sessionId: 'sess_ok' }), [ICU]);
    fs('checkoutUrl "https://x.example/" + 1 MB', async () => ({ sessionId: 'sess_ok', checkoutUrl: 'https://x.example/' + BIG }), ['ok', ANY], { silent: true });
    fs('checkoutUrl new URL(...)', async () => ({ sessionId: 'sess_ok', checkoutUrl: new URL(`${CHECKOUT}/pay/sess_ok`) }), ['ok', ICU], { silent: true });
    for (const [label, v] of generic()) {
      if (v === null || typeof v === 'string') continue;
      const o = H.track(`result.orderId ${label}`, { sessionId: 'sess_ok', checkoutUrl: `${CHECKOUT}/pay/sess_ok`, orderId: v });
      fs(`orderId ${label}`, async () => ({ o }).o, ['ok', ANY], { silent: true });
    }

    for (const c of cases) await run(c);

    // ---- mount(container)
    const inst = await direct.initEmbeddedCheckout({ fetchSession: goodFetchSession() });
    live.push(inst);
    const otherDoc = document.implementation.createHTMLDocument('x');
    const mountCases = [];
    for (const [label, v] of generic()) {
      if (isObj(v)) H.track(`mount ${label}`, v);
      mountCases.push([label, v, [CNF]]);
    }
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    document.body.appendChild(svg);
    mountCases.push(
      ['undefined', undefined, [CNF]], ['"###" (invalid selector)', '###', [CNF]], ['"div[" (invalid selector)', 'div[', [CNF]], ['":::"', ':::', [CNF]],
      ['"#nope"', '#nope', [CNF]], ['1 MB selector', 'a'.repeat(1 << 20), [CNF]], ['"#c" + 1 MB', '#c' + BIG, [CNF]], ['document', document, [CNF]], ['window', window, [CNF]],
      ['text node', document.createTextNode('x'), [CNF]], ['comment node', document.createComment('x'), [CNF]], ['DocumentFragment', document.createDocumentFragment(), [CNF]],
      ['SVG element', svg, ['ok', CNF], true], ['"svg" selector (matches an SVGElement)', 'svg', ['ok', CNF], true],
      ['detached div', document.createElement('div'), ['ok', CNF], true], ['element of another document', otherDoc.createElement('div'), ['ok', CNF], true],
      ['new String("#c")', new String('#c'), ['ok', CNF], true], ['{nodeType: 1}', { nodeType: 1, appendChild() {} }, [CNF]],
      ['Object.create(HTMLElement.prototype)', Object.create(HTMLElement.prototype), [CNF]],
    );
    for (const [label, v, expect, silent] of mountCases) {
      await run({ target: 'mount(container)', label, sync: true, expect, silent, run: () => {
        try {
          return inst.mount(v);
        } finally {
          if (inst.getState().mounted) inst.unmount();
        }
      } });
    }
    svg.remove();
    // ---- on(type, handler)
    for (const [label, v] of generic()) {
      await run({ target: 'on(type)', label, sync: true, expect: [IEO], run: () => inst.on(v, () => {}) });
    }
    for (const s of ['READY', 'ready ', 'complete ', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'message', '*', 'all', 'x'.repeat(1 << 20)]) {
      await run({ target: 'on(type)', label: JSON.stringify(s.length > 40 ? s.slice(0, 10) + '…' : s), sync: true, expect: [IEO], run: () => inst.on(s, () => {}) });
    }
    await run({ target: 'on(type)', label: 'new String("ready")', sync: true, expect: ['ok', IEO], silent: true, run: () => inst.on(new String('ready'), () => {}) });
    for (const [label, v] of generic()) {
      if (label === 'function') continue;
      const fnLike = typeof v === 'function';
      await run({ target: 'on(ready, handler)', label, sync: true, expect: fnLike ? ['ok', IEO] : [IEO, ANY], silent: true, run: () => inst.on('ready', v) });
    }
    await run({ target: 'on(ready, handler)', label: 'undefined', sync: true, expect: [IEO, ANY], silent: true, run: () => inst.on('ready') });
    // Lifecycle errors.
    await run({ target: 'mount(container)', label: 'mount twice', sync: true, expect: ['EMBEDDED_ALREADY_MOUNTED'], run: () => {
      inst.mount('#c');
      try { return inst.mount('#c2'); } finally { inst.unmount(); }
    } });
    inst.destroy();
    await run({ target: 'mount(container)', label: 'after destroy', sync: true, expect: ['EMBEDDED_CHECKOUT_DESTROYED'], run: () => inst.mount('#c') });
    await run({ target: 'on(type)', label: 'after destroy', sync: true, expect: ['EMBEDDED_CHECKOUT_DESTROYED'], run: () => inst.on('ready', () => {}) });

    // ---- redirect cases that may navigate (to a 204: the page stays), last.
    results.push({ marker: 'replace-phase', at: Date.now() });
    for (const [target, label, runFn, expect, extra] of replaceCases) await run({ target, label, run: runFn, expect, ...(extra || {}) });

    for (const i of live) { try { i.destroy(); } catch {} }
    return results;
  };

  /** The happy path after the matrix, with frozen and write-recording inputs. */
  H.happy = async function happy() {
    const sdk = window.sdk;
    const writes = [];
    const out = {};
    const opts = H.recording('loadClink options', H.deepFreeze({ checkoutBaseUrl: CHECKOUT }), writes);
    const clink = await sdk.loadClink('pk_test_happy', opts);
    const bootOpts = H.recording('loadClink bootstrap options', H.deepFreeze({ checkoutEnvironment: 'sandbox', locale: 'en-US' }), writes);
    const viaBootstrap = await sdk.loadClink('pk_test_happy2', bootOpts);
    out.bootstrapBase = viaBootstrap.checkoutBaseUrl;
    const events = [];
    const result = H.recording('fetchSession result', H.deepFreeze({ sessionId: 'sess_happy', checkoutUrl: `${CHECKOUT}/pay/sess_happy?x=1#frag`, orderId: 'ord_1' }), writes);
    const embOpts = H.recording('embedded options', H.deepFreeze({ fetchSession: async () => result, onEvent: (e) => events.push(e), autoResize: true, autoDestroyOnComplete: true, pollIntervalMs: 100000 }), writes);
    const inst = await clink.initEmbeddedCheckout(embOpts);
    inst.mount('#c');
    const iframe = document.querySelector('#c iframe');
    out.iframeSrc = iframe && iframe.src;
    out.iframes = document.querySelectorAll('#c iframe').length;
    const t0 = Date.now();
    while (!events.some((e) => e.type === 'ready') && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 20));
    out.readyEvents = events.filter((e) => e.type === 'ready').length;
    out.state = inst.getState();
    out.state = { mounted: out.state.mounted, destroyed: out.state.destroyed };
    inst.destroy();
    const params = H.recording('redirect params', H.deepFreeze({ sessionId: 'sess_happy', replace: false }), writes);
    await nav204(sdk).then((n) => n.redirectToCheckout(params));
    out.writes = writes;
    return out;
  };
  function nav204(sdk) {
    return sdk.loadClink('pk_test_happy', { checkoutBaseUrl: `${CHECKOUT}/nav204` });
  }
})();
