// One call to Clink's REST API: the authentication headers (a fresh X-Timestamp on every attempt),
// the timeout, the retries of reads, and the reading of Clink's envelope { code, msg, data }.
import { ClinkApiError, ClinkConnectionError } from './errors.mjs';

/** A read (GET) is tried again at most this many times; a create (POST) never is. */
export const MAX_READ_RETRIES = 2;
/** The first retry waits this long, the second twice as long. */
export const RETRY_BASE_MS = 300;
/** A Retry-After longer than this is not waited for (the error is thrown instead). */
export const MAX_RETRY_AFTER_MS = 10_000;
const EXCERPT_CHARS = 200;

/** Whether an answer with this status may be tried again (reads only): rate limited or a server error. */
export function isRetryableStatus(status) {
  return status === 429 || (status >= 500 && status <= 599);
}

/**
 * How long to wait before retry number `retry` (1-based): RETRY_BASE_MS × 2^(retry-1), or what
 * Retry-After asks when that is longer. Null when Retry-After asks for more than MAX_RETRY_AFTER_MS.
 */
export function retryDelayMs(retry, retryAfter) {
  const backoff = RETRY_BASE_MS * 2 ** (retry - 1);
  if (retryAfter === null || retryAfter === undefined || !/^\d{1,6}$/.test(retryAfter.trim())) return backoff;
  const asked = Number(retryAfter.trim()) * 1000;
  if (asked > MAX_RETRY_AFTER_MS) return null;
  return Math.max(backoff, asked);
}

/**
 * Reads an answer's text as Clink's envelope. Pure.
 * @returns {{ ok: true, data: unknown } | { ok: false, code: number, message: string, excerpt?: string }}
 */
export function readEnvelope(status, contentType, text) {
  let envelope;
  try {
    envelope = JSON.parse(text);
  } catch {
    envelope = undefined;
  }
  if (envelope === null || typeof envelope !== 'object' || Array.isArray(envelope) || typeof envelope.code !== 'number') {
    const excerpt = text.replace(/\s+/g, ' ').trim().slice(0, EXCERPT_CHARS);
    const what = contentType ? contentType.split(';')[0].trim() : 'no content type';
    return {
      ok: false,
      code: status,
      excerpt,
      message: `HTTP ${status} (${what}) that is not Clink's JSON envelope { code, msg, data }: `
        + `a proxy, load balancer or wrong baseUrl may have answered${excerpt ? `: "${excerpt}"` : ' with an empty body'}`,
    };
  }
  const success = status >= 200 && status <= 299 && envelope.code >= 200 && envelope.code <= 299;
  if (success) return { ok: true, data: envelope.data };
  const message = typeof envelope.msg === 'string' && envelope.msg ? envelope.msg : `HTTP ${status}, envelope code ${envelope.code}`;
  return { ok: false, code: envelope.code, message };
}

/** A redirect is never followed (it would carry X-API-Key to wherever it points). Pure. */
export function redirectRefusal(status, location) {
  const where = location ? ` to ${location.slice(0, 100)}` : '';
  return {
    ok: false,
    code: status,
    message: `HTTP ${status} redirect${where}, not followed (it would send your secret key there): `
      + "Clink's API does not redirect; check baseUrl (the API's own origin, e.g. https:// instead of http://)",
  };
}

/**
 * Sends one API call, retrying a read on a network failure, 429 or 5xx.
 * @param {{ apiKey: string, baseUrl: string, timeoutMs: number, fetch: Function }} config
 * @param {{ method: 'GET' | 'POST', path: string, body?: unknown }} call `path` below /api, ids already encoded
 * @param {{ sleep?: (ms: number) => Promise<void>, now?: () => number }} [clock] injected by tests
 */
export async function callClink(config, { method, path, body }, clock = {}) {
  const sleep = clock.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  const now = clock.now ?? Date.now;
  const maxAttempts = method === 'GET' ? 1 + MAX_READ_RETRIES : 1;
  const apiPath = `/api${path}`;

  for (let attempt = 1; ; attempt += 1) {
    const outcome = await attemptOnce(config, { method, apiPath, body }, now());
    const retriable = outcome.kind === 'network' || (outcome.kind === 'answer' && isRetryableStatus(Math.max(outcome.status, outcome.envelope.ok ? 0 : outcome.envelope.code)));
    const wait = retriable && attempt < maxAttempts ? retryDelayMs(attempt, outcome.retryAfter) : null;
    if (wait !== null) {
      await sleep(wait);
      continue;
    }
    if (outcome.kind === 'answer') {
      if (outcome.envelope.ok) return outcome.envelope.data;
      throw new ClinkApiError({
        message: outcome.envelope.message,
        code: outcome.envelope.code,
        status: outcome.status,
        method,
        path: apiPath,
        excerpt: outcome.envelope.excerpt,
        attempts: attempt,
      });
    }
    const tries = attempt > 1 ? ` (${attempt} attempts)` : '';
    throw new ClinkConnectionError({
      reason: outcome.kind,
      method,
      path: apiPath,
      attempts: attempt,
      cause: outcome.cause,
      message: outcome.kind === 'timeout'
        ? `Clink API ${method} ${apiPath}: no answer from ${config.baseUrl} within ${config.timeoutMs} ms (timeoutMs)${tries}; Clink may be slow or unreachable: try again later, or raise timeoutMs`
        : `Clink API ${method} ${apiPath}: could not reach ${config.baseUrl}${tries}: ${causeText(outcome.cause)}; check baseUrl/env and the network`,
    });
  }
}

/** One HTTP exchange; never throws. The timer it starts is cleared before it returns. */
async function attemptOnce(config, { method, apiPath, body }, timestamp) {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, config.timeoutMs);
  const headers = {
    Accept: 'application/json',
    'X-API-Key': config.apiKey,
    'X-Timestamp': String(timestamp),
  };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  try {
    const response = await Reflect.apply(config.fetch, undefined, [`${config.baseUrl}${apiPath}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: controller.signal,
      // A redirect is answered as an error, never followed: following would send X-API-Key to another host.
      redirect: 'manual',
    }]);
    const text = await response.text();
    const { status } = response;
    return {
      kind: 'answer',
      status,
      retryAfter: response.headers.get('retry-after'),
      envelope: status >= 300 && status <= 399
        ? redirectRefusal(status, response.headers.get('location'))
        : readEnvelope(status, response.headers.get('content-type'), text),
    };
  } catch (cause) {
    return { kind: timedOut ? 'timeout' : 'network', cause, retryAfter: null };
  } finally {
    clearTimeout(timer);
  }
}

function causeText(cause) {
  const inner = cause?.cause?.code ?? cause?.cause?.message;
  const text = cause instanceof Error ? cause.message : String(cause);
  return inner && !text.includes(inner) ? `${text} (${inner})` : text;
}
