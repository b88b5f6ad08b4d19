// ClinkPayClient's options, checked once at construction. Pure: returns the settings or throws a
// TypeError/Error whose message says what to do.

/** Clink's API hosts (Clink's docs, "Base Endpoints"). */
export const API_HOSTS = Object.freeze({
  sandbox: 'https://uat-api.clinkbill.com',
  production: 'https://api.clinkbill.com',
});

export const DEFAULT_TIMEOUT_MS = 30_000;
export const MAX_TIMEOUT_MS = 600_000;

const SECRET_KEY_RE = /^sk_(test|prod)_[A-Za-z0-9_]+$/;

const shorten = (value, max = 12) => (value.length > max ? `${value.slice(0, max)}…` : value);

/**
 * @param {unknown} options what `new ClinkPayClient(options)` got
 * @param {{ isBrowserPage: boolean, globalFetch: unknown }} runtime
 * @returns {{ apiKey: string, baseUrl: string, timeoutMs: number, fetch: Function }}
 */
export function clientConfig(options, runtime) {
  if (runtime.isBrowserPage) {
    throw new Error(
      'ClinkPayClient runs on your server only: it holds your secret key, which must never ship to a browser. '
      + 'Create sessions on your server and give the page only the sessionId/checkoutUrl; in the browser use @clink-ai/clink-js with your publishable key.',
    );
  }
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError("ClinkPayClient needs an options object: new ClinkPayClient({ apiKey: process.env.CLINK_SECRET_KEY, env: 'sandbox' })");
  }
  const { apiKey, env, baseUrl, timeoutMs = DEFAULT_TIMEOUT_MS, fetch: fetchOption } = options;

  checkApiKey(apiKey);
  if (env !== undefined && env !== 'sandbox' && env !== 'production') {
    throw new TypeError(`env must be 'sandbox' or 'production', got ${describe(env)}`);
  }
  if (env === undefined && baseUrl === undefined) {
    throw new TypeError("env is required: 'sandbox' (https://uat-api.clinkbill.com, sk_test_ keys) or 'production' (https://api.clinkbill.com, sk_prod_ keys); or give baseUrl, e.g. the local Clink's URL");
  }
  if (env === 'production' && apiKey.startsWith('sk_test_')) {
    throw new TypeError("an sk_test_ key does not work with env: 'production': use your sk_prod_ key there, or env: 'sandbox' with this key");
  }
  if (env === 'sandbox' && apiKey.startsWith('sk_prod_')) {
    throw new TypeError("an sk_prod_ key does not work with env: 'sandbox': use your sk_test_ key there, or env: 'production' with this key");
  }

  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS) {
    throw new RangeError(`timeoutMs must be an integer number of milliseconds from 1 to ${MAX_TIMEOUT_MS}, got ${describe(timeoutMs)}`);
  }

  let fetchImpl = fetchOption;
  if (fetchImpl === undefined) {
    if (typeof runtime.globalFetch !== 'function') {
      throw new TypeError('this runtime has no global fetch (Node >= 20 has one): pass fetch in the options');
    }
    // Called through globalThis: some runtimes (Cloudflare Workers) refuse fetch called on another object.
    fetchImpl = (url, init) => globalThis.fetch(url, init);
  } else if (typeof fetchImpl !== 'function') {
    throw new TypeError(`fetch must be a function with the signature of the global fetch, got ${describe(fetchImpl)}`);
  }

  return {
    apiKey,
    baseUrl: baseUrl === undefined ? API_HOSTS[env] : checkBaseUrl(baseUrl),
    timeoutMs,
    fetch: fetchImpl,
  };
}

function checkApiKey(apiKey) {
  if (apiKey === undefined || apiKey === null || apiKey === '') {
    throw new TypeError('apiKey is required: your secret key (sk_test_… for the sandbox, sk_prod_… for production) from the Developers tab of the Clink dashboard, e.g. process.env.CLINK_SECRET_KEY');
  }
  if (typeof apiKey !== 'string') throw new TypeError(`apiKey must be a string (your secret key sk_test_…/sk_prod_…), got ${describe(apiKey)}`);
  if (apiKey !== apiKey.trim()) {
    throw new TypeError('apiKey has whitespace around it (a trailing newline from a file or .env?): pass apiKey.trim()');
  }
  if (/^pk_/.test(apiKey)) {
    throw new TypeError(`apiKey is a publishable key (${shorten(apiKey, 8)}…): publishable keys are for the browser (loadClink); the server needs your secret key (sk_test_… or sk_prod_…)`);
  }
  if (!SECRET_KEY_RE.test(apiKey)) {
    throw new TypeError(`apiKey "${shorten(apiKey)}" is not a secret key: expected sk_test_… or sk_prod_… followed by letters, digits or _ (copy it from the Developers tab of the Clink dashboard)`);
  }
}

function checkBaseUrl(baseUrl) {
  const hint = 'baseUrl must be an origin such as http://127.0.0.1:8081 (the local Clink) or https://uat-api.clinkbill.com; the SDK adds /api/…';
  if (typeof baseUrl !== 'string') throw new TypeError(`${hint}; got ${describe(baseUrl)}`);
  let url;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(`${hint}; got "${shorten(baseUrl, 60)}", which is not an absolute URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError(`${hint}; got a ${url.protocol} URL`);
  if (url.username || url.password) throw new TypeError(`${hint}; remove the user name and password from it`);
  if (url.pathname !== '/' || url.search || url.hash) throw new TypeError(`${hint}; got "${shorten(baseUrl, 60)}" (drop the path, query and fragment)`);
  return url.origin;
}

function describe(value) {
  if (value === null) return 'null';
  if (typeof value === 'string') return `"${shorten(value, 20)}"`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  return `${typeof value} ${String(value)}`;
}
