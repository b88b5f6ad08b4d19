// Who may call what: the Host allow-list (every request), the REST API's secret key + timestamp
// check, and the bootstrap's publishable key check. Pure: each answers an error message (the
// envelope's `msg`) or null. Secrets are compared in constant time (sameSecret).
import { createHash, timingSafeEqual } from 'node:crypto';

/** How far X-Timestamp may be from the server's clock, either way (Clink: two minutes). */
export const TIMESTAMP_WINDOW_MS = 2 * 60 * 1000;

const PUBLISHABLE_KEY_RE = /^pk_(test|uat|prod)_[A-Za-z0-9_]+$/;

const shorten = (value, max = 40) => (value.length > max ? `${value.slice(0, max)}…` : value);

const sha256 = (value) => createHash('sha256').update(value, 'utf8').digest();

/**
 * True when `sent` equals `expected`, in time that does not depend on where they differ: both are
 * hashed to equal-length digests first, so neither the content nor the length leaks.
 */
export function sameSecret(sent, expected) {
  if (typeof sent !== 'string' || typeof expected !== 'string') return false;
  return timingSafeEqual(sha256(sent), sha256(expected));
}

/**
 * True for names and addresses that reach only this machine: localhost and *.localhost (browsers
 * resolve those to loopback themselves, so no DNS answer can point them elsewhere), 127.0.0.0/8
 * and ::1.
 */
export function isLoopbackHost(host) {
  if (typeof host !== 'string') return false;
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost') || name === '::1'
    || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name) || name === '::ffff:127.0.0.1';
}

/** The host name of a Host header (lower case, port and trailing dot removed), or null. */
export function hostName(header) {
  if (typeof header !== 'string') return null;
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::\d{0,5})?$/.exec(header.trim());
  return m ? m[1].toLowerCase().replace(/\.$/, '') : null;
}

/**
 * Why a request's Host header is refused (answered 403), or null. Served: loopback names, the
 * address the server listens on, and the names given with --allowed-host (a page on any other
 * name, e.g. a DNS-rebinding domain that resolves to 127.0.0.1, gets nothing).
 * @param {string | undefined} header the Host header as received
 * @param {Set<string>} allowed names from listenHostNames()
 */
export function hostProblem(header, allowed) {
  const name = hostName(header);
  if (name === null) {
    return `missing or malformed Host header${header ? ` "${shorten(String(header))}"` : ''}: send Host: 127.0.0.1:<port>`;
  }
  if (isLoopbackHost(name) || allowed.has(name)) return null;
  return `Host "${shorten(name)}" is not served: the local Clink answers loopback names (localhost, 127.0.0.1, [::1]), the --host it listens on and each --allowed-host NAME; start it with --allowed-host ${shorten(name)} to use this name`;
}

/** The names hostProblem allows besides loopback: the listen address and the extra names. */
export function listenHostNames(host, allowedHosts = []) {
  const names = new Set();
  for (const value of [host, ...allowedHosts]) {
    const name = hostName(value.includes(':') && !value.startsWith('[') ? `[${value}]` : value);
    if (name) names.add(name);
  }
  return names;
}

/**
 * Checks a REST request's `X-API-Key` and `X-Timestamp` headers.
 * @param {{ apiKey?: string, timestamp?: string }} sent the header values as received
 * @param {{ secretKey: string, now: number }} expected
 * @returns {string | null} why the request is refused (answered as 401), or null
 */
export function authProblem({ apiKey, timestamp }, { secretKey, now }) {
  if (apiKey === undefined || apiKey === '') {
    return 'missing X-API-Key header: send your secret key (sk_test_…) with every API request';
  }
  if (!sameSecret(apiKey, secretKey)) {
    if (/^pk_/.test(apiKey)) {
      return 'X-API-Key is a publishable key: publishable keys are for the browser (loadClink); the REST API needs your secret key (sk_test_…)';
    }
    return 'wrong X-API-Key: it is not the secret key of this local Clink (see its inspector page or its start-up output)';
  }
  return timestampProblem(timestamp, now);
}

/** The X-Timestamp half of authProblem. */
export function timestampProblem(timestamp, now) {
  if (timestamp === undefined || timestamp === '') {
    return 'missing X-Timestamp header: send the current time in milliseconds (Date.now())';
  }
  if (!/^\d{1,16}$/.test(timestamp)) {
    return `malformed X-Timestamp "${shorten(timestamp)}": expected milliseconds since 1970 as digits (Date.now())`;
  }
  const ms = Number(timestamp);
  if (ms < 1e11) {
    return `malformed X-Timestamp ${timestamp}: that looks like seconds; send milliseconds (Date.now())`;
  }
  const skew = ms - now;
  if (skew < -TIMESTAMP_WINDOW_MS) {
    return `stale X-Timestamp: ${Math.round(-skew / 1000)} s older than the server's clock (at most ${TIMESTAMP_WINDOW_MS / 1000} s allowed); send Date.now() with each request`;
  }
  if (skew > TIMESTAMP_WINDOW_MS) {
    return `X-Timestamp is in the future: ${Math.round(skew / 1000)} s ahead of the server's clock (at most ${TIMESTAMP_WINDOW_MS / 1000} s allowed); check your clock`;
  }
  return null;
}

/**
 * Checks the publishable key a browser sends to the bootstrap endpoint (a test environment).
 * @returns {string | null}
 */
export function publishableKeyProblem(key) {
  if (!key) return 'publishableKey is required';
  if (/^sk_/.test(key)) {
    return 'a secret key (sk_…) was sent from a browser: never put secret keys in browser code; use a publishable key (pk_test_… or pk_uat_…)';
  }
  if (!PUBLISHABLE_KEY_RE.test(key)) {
    return `invalid publishableKey "${shorten(key)}": expected pk_test_…, pk_uat_… or pk_prod_… followed by letters, digits or _`;
  }
  if (key.startsWith('pk_prod_')) {
    return 'a production key (pk_prod_…) does not work against a test environment: use your pk_test_… or pk_uat_… key with the local Clink';
  }
  return null;
}
