// Webhook signatures and the retry schedule. Pure.
import { createHmac } from 'node:crypto';

export const MAX_ATTEMPTS = 10;
export const ATTEMPT_TIMEOUT_MS = 10_000;

/** Lower-case hex HMAC-SHA256(secret, `${timestamp}.${body}`): the X-Clink-Signature header. */
export function signPayload(secret, timestamp, body) {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** The headers of one delivery attempt, signed with that attempt's own timestamp. */
export function webhookHeaders(secret, body, timestamp) {
  return {
    'Content-Type': 'application/json',
    'X-Clink-Timestamp': String(timestamp),
    'X-Clink-Signature': signPayload(secret, timestamp, body),
  };
}

/** Any 2xx answer means delivered. */
export function isDelivered(status) {
  return Number.isInteger(status) && status >= 200 && status <= 299;
}

/**
 * How long to wait before attempt `attempt` (1-based; the first attempt goes at once): the n-th
 * retry (attempt n + 1) waits base × 2^(n-1). Null after the last attempt.
 */
export function retryDelayMs(attempt, baseMs) {
  if (attempt <= 1) return 0;
  if (attempt > MAX_ATTEMPTS) return null;
  return baseMs * 2 ** (attempt - 2);
}
