// The merchant demo's webhook receiver: verify Clink's signature on the raw body, refuse stale or
// future timestamps, drop duplicate event ids, then hand the event to the order records.
//
// verifyWebhook() is pure (no I/O, the clock passed in); createWebhookReceiver() is the HTTP glue.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ApiError, sendEnvelope, sendError } from '../../clink-local/lib/http.mjs';

/** How far a webhook's timestamp may be from our clock, either way (Clink's docs follow Stripe: 5 minutes). */
export const WEBHOOK_TOLERANCE_MS = 5 * 60 * 1000;
/** Bodies larger than this are refused unread: Clink's events are a few KB. */
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

const TIMESTAMP_RE = /^\d{1,16}$/;
const SIGNATURE_RE = /^[0-9a-f]{64}$/;

/** Lower-case hex HMAC-SHA256(secret, timestamp + "." + rawBody): what Clink puts in X-Clink-Signature. */
export function signWebhook(secret, timestamp, rawBody) {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

/**
 * Checks one delivery. Never throws.
 * @param {{ rawBody: Buffer|string, timestamp: string|undefined, signature: string|undefined,
 *           secret: string, now: number, toleranceMs?: number }} input
 * @returns {{ ok: true, event: { id: string, type: string, createdAt?: number, data: object } }
 *         | { ok: false, reason: string }}
 */
export function verifyWebhook({ rawBody, timestamp, signature, secret, now, toleranceMs = WEBHOOK_TOLERANCE_MS }) {
  if (typeof timestamp !== 'string' || !timestamp) return { ok: false, reason: 'missing X-Clink-Timestamp header' };
  if (!TIMESTAMP_RE.test(timestamp)) return { ok: false, reason: 'X-Clink-Timestamp is not a millisecond timestamp' };
  if (typeof signature !== 'string' || !signature) return { ok: false, reason: 'missing X-Clink-Signature header' };

  // Signature first: until it matches, nothing else in the request is Clink's word.
  const expected = Buffer.from(signWebhook(secret, timestamp, rawBody), 'hex');
  const given = SIGNATURE_RE.test(signature) ? Buffer.from(signature, 'hex') : Buffer.alloc(0);
  // timingSafeEqual throws on a length mismatch, so the length is checked first.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'signature does not match' };
  }

  const age = now - Number(timestamp);
  if (age > toleranceMs) return { ok: false, reason: `timestamp is ${Math.round(age / 1000)} s old (tolerance ${toleranceMs / 1000} s): a replay?` };
  if (-age > toleranceMs) return { ok: false, reason: `timestamp is ${Math.round(-age / 1000)} s in the future (tolerance ${toleranceMs / 1000} s)` };

  let event;
  try {
    event = JSON.parse(Buffer.isBuffer(rawBody) ? rawBody.toString('utf8') : rawBody);
  } catch {
    return { ok: false, reason: 'body is not JSON' };
  }
  if (event === null || typeof event !== 'object' || Array.isArray(event)) return { ok: false, reason: 'body is not a JSON object' };
  if (typeof event.id !== 'string' || !event.id) return { ok: false, reason: 'event has no id' };
  if (typeof event.type !== 'string' || !event.type) return { ok: false, reason: 'event has no type' };
  if (event.data === null || typeof event.data !== 'object' || Array.isArray(event.data)) {
    return { ok: false, reason: 'event has no data object' };
  }
  return { ok: true, event };
}

/** Reads the body as bytes, exactly as sent (never parsed and re-serialized). ApiError 413 past `limit`. */
export function readRawBody(req, limit = WEBHOOK_BODY_LIMIT) {
  return new Promise((resolvePromise, reject) => {
    const tooLarge = () => new ApiError(413, `webhook body larger than ${limit} bytes`);
    if (Number(req.headers['content-length']) > limit) return reject(tooLarge()); // refused unread
    const chunks = [];
    let size = 0;
    const onData = (chunk) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('error', () => reject(new ApiError(400, 'webhook body could not be read')));
    req.once('end', () => resolvePromise(Buffer.concat(chunks)));
  });
}

/**
 * The HTTP side: POST with a signed JSON body → 200 (applied, or a duplicate ignored) / 400 (refused),
 * answered as an envelope { code, msg, data? } like every error of both servers.
 * @param {{ secret: () => string, orders: import('./orders.mjs').OrderBook,
 *           log?: (line: string) => void, now?: () => number, gate?: () => Promise<void> }} deps
 *   secret: read per request (the launcher learns it only once the local Clink has started).
 *   gate: awaited after verification and before applying; tests use it to hold a delivery back.
 */
export function createWebhookReceiver({ secret, orders, log = () => {}, now = Date.now, gate = async () => {} }) {
  return async function receiveWebhook(req, res) {
    let rawBody;
    try {
      rawBody = await readRawBody(req);
    } catch (err) {
      sendError(res, err, { Connection: 'close' }); // the rest of the body is not read: close
      res.on('finish', () => req.destroy());
      return;
    }
    const verdict = verifyWebhook({
      rawBody,
      timestamp: req.headers['x-clink-timestamp'],
      signature: req.headers['x-clink-signature'],
      secret: secret(),
      now: now(),
    });
    if (!verdict.ok) {
      log(`[merchant] webhook refused: ${verdict.reason}`);
      return sendEnvelope(res, 400, `webhook refused: ${verdict.reason}`);
    }
    const { event } = verdict;
    await gate();
    const result = orders.applyEvent(event);
    log(`[merchant] webhook ${event.type} ${event.id}: ${result.outcome}${result.orderId ? ` (order ${result.orderId})` : ''}`);
    // A duplicate or an event about nobody's order is still acknowledged: a non-2xx would only make
    // Clink send it again.
    return sendEnvelope(res, 200, 'received', { outcome: result.outcome });
  };
}
