// The merchant demo's client for Clink's REST API: every request carries the secret key and a
// fresh millisecond timestamp, and every answer is Clink's envelope { code, msg, data }.
// The same code talks to Clink's sandbox (https://uat-api.clinkbill.com) or to the local Clink.

export class ClinkApiError extends Error {
  constructor(status, code, msg) {
    super(`Clink API ${code ?? status}: ${msg}`);
    this.name = 'ClinkApiError';
    this.status = status;
    this.code = code;
  }
}

/**
 * @param {{ baseUrl: () => string, secretKey: () => string, fetchImpl?: typeof fetch, timeoutMs?: number }} options
 *   baseUrl / secretKey are read per request (the launcher learns them once the local Clink is up).
 */
export function createClinkApi({ baseUrl, secretKey, fetchImpl = fetch, timeoutMs = 10_000 }) {
  async function request(method, path, body) {
    const headers = { 'X-API-Key': secretKey(), 'X-Timestamp': String(Date.now()) };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response;
    try {
      response = await fetchImpl(`${baseUrl()}/api${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw new ClinkApiError(0, null, `could not reach ${baseUrl()}: ${err?.message ?? err}`);
    }
    const envelope = await response.json().catch(() => null);
    if (!envelope || typeof envelope !== 'object') {
      throw new ClinkApiError(response.status, null, `HTTP ${response.status} without a JSON envelope`);
    }
    if (!response.ok || envelope.code !== 200) {
      throw new ClinkApiError(response.status, envelope.code, envelope.msg ?? `HTTP ${response.status}`);
    }
    return envelope.data;
  }

  return {
    /** POST /api/checkout/session → { sessionId, sessionParam, url, status, expiresAt, … } */
    createCheckoutSession: (params) => request('POST', '/checkout/session', params),
    /** GET /api/checkout/session/{id} → { status: open|complete|expired, state, orderId?, … } */
    getCheckoutSession: (sessionId) => request('GET', `/checkout/session/${encodeURIComponent(sessionId)}`),
  };
}
