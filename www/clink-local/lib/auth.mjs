// Who may call what: the REST API's secret key + timestamp check, and the bootstrap's publishable
// key check. Pure: each answers an error message (the envelope's `msg`) or null.

/** How far X-Timestamp may be from the server's clock, either way (Clink: two minutes). */
export const TIMESTAMP_WINDOW_MS = 2 * 60 * 1000;

const PUBLISHABLE_KEY_RE = /^pk_(test|uat|prod)_[A-Za-z0-9_]+$/;

const shorten = (value, max = 40) => (value.length > max ? `${value.slice(0, max)}…` : value);

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
  if (apiKey !== secretKey) {
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
