// Verifying Clink's webhook deliveries, and signing test deliveries. Web Crypto only (crypto.subtle,
// TextEncoder), so the same code runs in Node >= 20, Deno, Bun, Cloudflare Workers and Vercel's
// edge runtime. The signature is X-Clink-Signature = lower-case hex of
// HMAC-SHA256(secret, X-Clink-Timestamp + "." + raw body); docs/server-sdk.md has the details.
import { ClinkWebhookError } from './errors.mjs';

/** How far X-Clink-Timestamp may be from this server's clock, either way, unless toleranceSeconds says otherwise. */
export const DEFAULT_TOLERANCE_SECONDS = 300;
export const TIMESTAMP_HEADER = 'X-Clink-Timestamp';
export const SIGNATURE_HEADER = 'X-Clink-Signature';

/** What each framework needs to hand over the raw body (the verifier needs the bytes as received). */
export const RAW_BODY_HINT = 'pass the raw request body, exactly as received: '
  + "Express: express.raw({ type: 'application/json' }) on the webhook route, then req.body (a Buffer); "
  + 'Next.js route handler: const body = await request.text(); '
  + 'Hono: const body = await c.req.text(); '
  + "node:http: the request's chunks joined into one Buffer";

const HEADERS_HINT = 'pass the request\'s headers (req.headers in Express and node:http, request.headers in Next.js and Workers, c.req.raw.headers in Hono)';
const TIMESTAMP_RE = /^\d{1,16}$/;
const SIGNATURE_RE = /^[0-9a-fA-F]{64}$/;
const encoder = new TextEncoder();

const refuse = (reason, message) => new ClinkWebhookError(reason, message);

/**
 * Checks one delivery and resolves its event, or rejects with ClinkWebhookError (`reason` says why).
 * @param {{ body: string | Uint8Array | ArrayBuffer, headers: unknown, secret: string,
 *           toleranceSeconds?: number }} input
 */
export async function verifyWebhook(input) {
  if (input === null || typeof input !== 'object') {
    throw new TypeError('verifyWebhook needs { body, headers, secret }: the raw request body, the request headers and your webhook signing secret');
  }
  const { body, headers, secret, toleranceSeconds = DEFAULT_TOLERANCE_SECONDS } = input;
  if (typeof toleranceSeconds !== 'number' || !Number.isFinite(toleranceSeconds) || toleranceSeconds < 0) {
    throw new TypeError(`toleranceSeconds must be a number of seconds, 0 or more (default ${DEFAULT_TOLERANCE_SECONDS}), got ${String(toleranceSeconds)}`);
  }
  checkSecret(secret);
  const bytes = rawBodyBytes(body);

  const timestamp = readHeader(headers, TIMESTAMP_HEADER);
  const signature = readHeader(headers, SIGNATURE_HEADER);
  if (timestamp === undefined) {
    throw refuse('header_missing', `${TIMESTAMP_HEADER} header missing: ${headers == null ? HEADERS_HINT : 'is this request from Clink? Clink signs every delivery with X-Clink-Timestamp and X-Clink-Signature'}`);
  }
  if (signature === undefined) {
    throw refuse('header_missing', `${SIGNATURE_HEADER} header missing: is this request from Clink? Clink signs every delivery with X-Clink-Timestamp and X-Clink-Signature`);
  }
  if (Array.isArray(timestamp) || Array.isArray(signature)) {
    throw refuse('header_malformed', `${Array.isArray(timestamp) ? TIMESTAMP_HEADER : SIGNATURE_HEADER} was sent more than once: Clink sends each once; refuse this request`);
  }
  if (!TIMESTAMP_RE.test(timestamp)) {
    throw refuse('header_malformed', `${TIMESTAMP_HEADER} "${timestamp.slice(0, 20)}" is not a millisecond timestamp (digits only)`);
  }
  if (!SIGNATURE_RE.test(signature)) {
    throw refuse('header_malformed', `${SIGNATURE_HEADER} is not 64 hex digits (HMAC-SHA256 in hex): pass the header's value unchanged`);
  }

  // Signature first: until it matches, nothing else in the request is Clink's word.
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  // crypto.subtle.verify compares in constant time.
  const matches = await crypto.subtle.verify('HMAC', key, hexBytes(signature), signedBytes(timestamp, bytes));
  if (!matches) {
    throw refuse('signature_mismatch', 'X-Clink-Signature does not match this body and secret. Check two things: '
      + "secret must be this endpoint's webhook signing secret from the Clink dashboard (each endpoint and environment has its own; the local Clink prints its own), "
      + `and body must not have been parsed and re-serialized: ${RAW_BODY_HINT}`);
  }

  const now = Date.now();
  const ageMs = now - Number(timestamp);
  const toleranceMs = toleranceSeconds * 1000;
  if (ageMs > toleranceMs) {
    throw refuse('timestamp_too_old', `${TIMESTAMP_HEADER} is ${Math.round(ageMs / 1000)} s old, more than toleranceSeconds (${toleranceSeconds}): a replayed delivery, or this server's clock is ahead (check NTP). Answer non-2xx: Clink retries with a fresh timestamp`);
  }
  if (-ageMs > toleranceMs) {
    throw refuse('timestamp_in_future', `${TIMESTAMP_HEADER} is ${Math.round(-ageMs / 1000)} s in the future, more than toleranceSeconds (${toleranceSeconds}): this server's clock is behind (check NTP)`);
  }

  let event;
  try {
    event = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw refuse('event_malformed', 'the signed body is not JSON: Clink sends JSON events { id, type, createdAt, data }');
  }
  const problem = eventProblem(event);
  if (problem) throw refuse('event_malformed', `the signed body is not a Clink event: ${problem}`);
  return event;
}

/**
 * The headers Clink would send with `body`, signed with `secret`: for a merchant's own tests of
 * their webhook route. `body` must be the exact string (or bytes) the test sends.
 * @param {{ body: string | Uint8Array | ArrayBuffer, secret: string, timestamp?: number }} input
 * @returns {Promise<{ 'Content-Type': string, 'X-Clink-Timestamp': string, 'X-Clink-Signature': string }>}
 */
export async function signWebhookForTest(input) {
  if (input === null || typeof input !== 'object') throw new TypeError('signWebhookForTest needs { body, secret, timestamp? }');
  const { body, secret, timestamp = Date.now() } = input;
  if (typeof secret !== 'string' || secret === '') throw new TypeError('secret must be your webhook signing secret (a non-empty string)');
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new TypeError(`timestamp must be milliseconds since 1970 (Date.now()), got ${String(timestamp)}`);
  const bytes = bodyBytes(body);
  if (bytes === null) {
    throw new TypeError('body must be the exact string or bytes your test sends (e.g. JSON.stringify(event)), not an object: the signature covers those bytes');
  }
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', key, signedBytes(String(timestamp), bytes)));
  return {
    'Content-Type': 'application/json',
    [TIMESTAMP_HEADER]: String(timestamp),
    [SIGNATURE_HEADER]: Array.from(signature, (b) => b.toString(16).padStart(2, '0')).join(''),
  };
}

function checkSecret(secret) {
  if (typeof secret !== 'string' || secret === '') {
    throw refuse('secret_missing', `secret is ${secret === '' ? 'empty' : 'missing'}: pass this endpoint's webhook signing secret from the Clink dashboard (the local Clink prints its own), e.g. process.env.CLINK_WEBHOOK_SECRET`);
  }
  if (secret !== secret.trim()) {
    throw refuse('secret_whitespace', 'secret has whitespace around it (a trailing newline from a file or .env?): pass secret.trim()');
  }
  if (/^(sk|pk)_/.test(secret)) {
    throw refuse('secret_is_api_key', `secret is an API key (${secret.slice(0, 3)}…), not the webhook signing secret: the signing secret is shown for each webhook endpoint in the Clink dashboard (Developers → Webhooks)`);
  }
}

/** The body as bytes, or a ClinkWebhookError when it cannot be the raw request body. */
function rawBodyBytes(body) {
  if (body === undefined || body === null) {
    throw refuse('body_not_raw', `body is ${String(body)}: ${RAW_BODY_HINT}`);
  }
  const bytes = bodyBytes(body);
  if (bytes === null) {
    if (Object.getPrototypeOf(body) === Object.prototype && Object.keys(body).length === 0) {
      // Express leaves {} when no parser read the body, e.g. express.raw's type did not match.
      throw refuse('body_not_raw', `body is an empty object: no body parser kept this request's raw body (a type option that did not match its Content-Type?); ${RAW_BODY_HINT}`);
    }
    throw refuse('body_not_raw', `body is ${Array.isArray(body) ? 'an array' : 'an object'}, already parsed: the signature covers the raw bytes; ${RAW_BODY_HINT}`);
  }
  if (bytes.length === 0) {
    throw refuse('body_not_raw', `body is empty: was the request body read before (by a body parser)? ${RAW_BODY_HINT}`);
  }
  if (typeof body === 'string' && body === '[object Object]') {
    throw refuse('body_not_raw', `body is "[object Object]", a parsed body turned into a string: ${RAW_BODY_HINT}`);
  }
  return bytes;
}

/** A string, Uint8Array (Node's Buffer too), other typed array/DataView or ArrayBuffer as bytes; null otherwise. */
function bodyBytes(body) {
  if (typeof body === 'string') return encoder.encode(body);
  if (body instanceof Uint8Array) return body;
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  return null;
}

function signedBytes(timestamp, bodyBytesValue) {
  const prefix = encoder.encode(`${timestamp}.`);
  const all = new Uint8Array(prefix.length + bodyBytesValue.length);
  all.set(prefix, 0);
  all.set(bodyBytesValue, prefix.length);
  return all;
}

function hexBytes(hex) {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i += 1) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/**
 * One header's value from a Headers object, a Map-like with get(), or a plain object (Node's
 * lower-case incoming headers). Undefined when absent; an array when it was sent more than once.
 */
export function readHeader(headers, name) {
  if (headers === null || headers === undefined || typeof headers !== 'object') return undefined;
  let value;
  if (typeof headers.get === 'function') {
    value = headers.get(name.toLowerCase()) ?? headers.get(name) ?? undefined;
  } else {
    const lower = name.toLowerCase();
    const key = Object.keys(headers).find((k) => k.toLowerCase() === lower);
    value = key === undefined ? undefined : headers[key];
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return undefined;
    return value.length === 1 ? String(value[0]) : value.map(String);
  }
  return value === undefined || value === null || value === '' ? undefined : String(value);
}

function eventProblem(event) {
  if (event === null || typeof event !== 'object' || Array.isArray(event)) return 'not a JSON object';
  if (typeof event.id !== 'string' || event.id === '') return 'no id';
  if (typeof event.type !== 'string' || event.type === '') return 'no type';
  if (event.data === null || typeof event.data !== 'object' || Array.isArray(event.data)) return 'no data object';
  return null;
}
