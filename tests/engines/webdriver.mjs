// A small W3C WebDriver client over Node's fetch: just what the engine suite needs (a session,
// navigation, scripts, frames). Every engine's driver speaks this protocol; Playwright cannot
// drive Debian's Firefox and WebKit here (README "Tested engines").

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

export class WebDriverError extends Error {
  constructor(method, path, status, value) {
    const v = value && typeof value === 'object' ? value : {};
    super(`${method} ${path}: HTTP ${status} ${v.error || ''}: ${String(v.message || JSON.stringify(value)).slice(0, 800)}`);
    this.name = 'WebDriverError';
    this.error = v.error;
  }
}

/** One HTTP command to a driver; answers the `value` of its JSON reply. */
async function command(base, method, path, body) {
  const res = await fetch(base + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    throw new WebDriverError(method, path, res.status, { message: text });
  }
  if (!res.ok || (json.value && json.value.error)) throw new WebDriverError(method, path, res.status, json.value);
  return json.value;
}

/**
 * Wraps a page function so that it runs under "execute async script": the function's value
 * (or promise) comes back as { ok, value } / { ok: false, error }, JSON-cloned by the driver.
 */
function asyncScript(fn) {
  return `const done = arguments[arguments.length - 1];
const args = Array.prototype.slice.call(arguments, 0, -1);
Promise.resolve().then(() => (${fn}).apply(null, args)).then(
  (value) => done({ ok: true, value: value === undefined ? null : value }),
  (e) => done({ ok: false, error: String(e && e.stack ? e.message + '\\n' + e.stack : e) }));`;
}

export class Session {
  constructor(base, id, capabilities) {
    this.base = base;
    this.id = id;
    this.capabilities = capabilities;
  }

  static async create(base, alwaysMatch) {
    const v = await command(base, 'POST', '/session', { capabilities: { alwaysMatch } });
    const s = new Session(base, v.sessionId, v.capabilities);
    await s.cmd('POST', '/timeouts', { script: 30000, pageLoad: 30000, implicit: 0 });
    return s;
  }

  cmd(method, path, body) {
    return command(this.base, method, `/session/${this.id}${path}`, body);
  }

  /** Navigates and waits for the load event (the driver's page load strategy "normal"). */
  navigate(url) {
    return this.cmd('POST', '/url', { url });
  }

  url() {
    return this.cmd('GET', '/url');
  }

  /**
   * Runs fn(...args) in the current browsing context and answers its (awaited) value; a throw or
   * rejection in the page becomes a rejection here with the page's message.
   */
  async run(fn, ...args) {
    const r = await this.cmd('POST', '/execute/async', { script: asyncScript(fn), args });
    if (!r || typeof r !== 'object' || !('ok' in r)) throw new Error(`unexpected script answer ${JSON.stringify(r)}`);
    if (!r.ok) throw new Error(`in the page: ${r.error}`);
    return r.value;
  }

  /**
   * Waits in the page until `predicate(...args)` (a function source, run every 20 ms) is truthy;
   * answers its value. Bounded by `timeout`; the failure message shows `describe()`'s value.
   */
  async waitFor(predicate, args = [], { timeout = 15000, describe = null } = {}) {
    const r = await this.run(
      `async (pred, args, timeout, describe) => {
        const p = eval('(' + pred + ')');
        const end = Date.now() + timeout;
        for (;;) {
          let v;
          try { v = await p(...args); } catch (e) { v = undefined; }
          if (v) return { ok: true, v };
          if (Date.now() > end) {
            let seen = null;
            try { seen = describe ? await eval('(' + describe + ')')(...args) : null; } catch (e) { seen = String(e); }
            return { ok: false, seen };
          }
          await new Promise((r) => setTimeout(r, 20));
        }
      }`,
      String(predicate),
      args,
      timeout,
      describe && String(describe),
    );
    if (!r.ok) throw new Error(`waited ${timeout} ms for ${String(predicate).slice(0, 200)}; saw ${JSON.stringify(r.seen)}`);
    return r.v;
  }

  /** Waits until the top-level URL satisfies test(url) (polled from here: the page may change). */
  async waitForUrl(test, { timeout = 8000 } = {}) {
    const end = Date.now() + timeout;
    let last = null;
    for (;;) {
      try {
        last = await this.url();
        if (test(last)) return last;
      } catch (e) {
        last = String(e);
      }
      if (Date.now() > end) throw new Error(`URL never matched within ${timeout} ms; last ${String(last).slice(0, 200)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async find(css) {
    const v = await this.cmd('POST', '/element', { using: 'css selector', value: css });
    return v;
  }

  /** Switches into the iframe matching css (in the current context); null = top-level. */
  async frame(css) {
    if (css === null) return this.cmd('POST', '/frame', { id: null });
    const el = await this.find(css);
    if (!el || !el[ELEMENT]) throw new Error(`no element ${css}`);
    return this.cmd('POST', '/frame', { id: el });
  }

  /** Runs fn inside the iframe matching css, then switches back to the top-level context. */
  async inFrame(css, fn, ...args) {
    await this.frame(css);
    try {
      return await this.run(fn, ...args);
    } finally {
      await this.frame(null);
    }
  }

  async delete() {
    await this.cmd('DELETE', '');
  }
}
