// verifyWebhook / signWebhookForTest without a server: every ClinkWebhookError reason (each
// message names the fix), the header and body forms frameworks hand over, the tolerance both
// ways, and signatures checked against an independent HMAC (node:crypto, as the local Clink signs).
// Run: node --test tests/server/webhooks.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ClinkPayClient, ClinkWebhookError, DEFAULT_TOLERANCE_SECONDS, WEBHOOK_ERROR_REASONS, signWebhookForTest, verifyWebhook,
} from '@clink-ai/clink-typescript-sdk';
import { DOC, ROOT, TEST_KEY } from './support.mjs';

const SECRET = 'whsec_unit_0000000000000000';
const EVENT = { id: 'evt_1', type: 'order.updated', createdAt: 1_700_000_000_000, data: { orderId: 'ord_1', status: 'paid', note: 'café ☕' } };
const BODY = JSON.stringify(EVENT);
const hmac = (secret, timestamp, body) => createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');

/** Headers as the local Clink sends them (node:crypto HMAC), `now` unless given. */
function clinkHeaders(body = BODY, { secret = SECRET, timestamp = Date.now() } = {}) {
  return { 'content-type': 'application/json', 'x-clink-timestamp': String(timestamp), 'x-clink-signature': hmac(secret, timestamp, body) };
}

const refusedWith = (reason, message) => (error) => {
  assert.ok(error instanceof ClinkWebhookError, `expected ClinkWebhookError, got ${error}`);
  assert.equal(error.name, 'ClinkWebhookError');
  assert.equal(error.reason, reason, error.message);
  if (message) assert.match(error.message, message);
  return true;
};

const RAW_HINTS = /express\.raw\(\{ type: 'application\/json' \}\).*await request\.text\(\).*await c\.req\.text\(\)/;

test('a delivery signed as the local Clink signs it verifies, from every body and header form frameworks hand over', async () => {
  const timestamp = Date.now();
  const lower = clinkHeaders(BODY, { timestamp });
  const canonical = { 'Content-Type': 'application/json', 'X-Clink-Timestamp': lower['x-clink-timestamp'], 'X-Clink-Signature': lower['x-clink-signature'] };
  const bytes = new TextEncoder().encode(BODY);
  const bodies = [BODY, Buffer.from(BODY), bytes, bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)];
  const headerForms = [lower, canonical, new Headers(canonical), new Map(Object.entries(lower)), new Map(Object.entries(canonical)),
    { 'x-clink-timestamp': [lower['x-clink-timestamp']], 'x-clink-signature': [lower['x-clink-signature']] }];
  for (const body of bodies) {
    for (const headers of headerForms) assert.deepEqual(await verifyWebhook({ body, headers, secret: SECRET }), EVENT);
  }
  // Upper-case hex is the same signature.
  assert.deepEqual(await verifyWebhook({ body: BODY, headers: { ...lower, 'x-clink-signature': lower['x-clink-signature'].toUpperCase() }, secret: SECRET }), EVENT);
  // The client's method is the same function.
  const client = new ClinkPayClient({ apiKey: TEST_KEY, env: 'sandbox', fetch: () => assert.fail('no request') });
  assert.deepEqual(await client.verifyWebhook({ body: BODY, headers: lower, secret: SECRET }), EVENT);
});

test('signWebhookForTest signs exactly as Clink does (X-Clink-Signature = hex HMAC-SHA256(secret, timestamp + "." + body))', async () => {
  const headers = await signWebhookForTest({ body: BODY, secret: SECRET, timestamp: 1_700_000_000_123 });
  assert.deepEqual(headers, { 'Content-Type': 'application/json', 'X-Clink-Timestamp': '1700000000123', 'X-Clink-Signature': hmac(SECRET, 1_700_000_000_123, BODY) });
  const now = await signWebhookForTest({ body: Buffer.from(BODY), secret: SECRET });
  assert.ok(Math.abs(Number(now['X-Clink-Timestamp']) - Date.now()) < 60_000);
  assert.equal(now['X-Clink-Signature'], hmac(SECRET, now['X-Clink-Timestamp'], BODY));
  assert.deepEqual(await verifyWebhook({ body: BODY, headers: now, secret: SECRET }), EVENT);
});

test('signWebhookForTest refuses what cannot be signed', async () => {
  await assert.rejects(signWebhookForTest({ body: EVENT, secret: SECRET }), (e) => e instanceof TypeError && /exact string or bytes.*JSON\.stringify\(event\)/.test(e.message));
  await assert.rejects(signWebhookForTest({ body: BODY, secret: '' }), TypeError);
  await assert.rejects(signWebhookForTest({ body: BODY, secret: SECRET, timestamp: '1700000000000' }), /timestamp must be milliseconds/);
  await assert.rejects(signWebhookForTest(), TypeError);
});

test('every reason: a refusal whose message names the fix', async () => {
  const fresh = clinkHeaders();
  const cases = [
    ['secret_missing', { secret: undefined }, /secret is missing: pass this endpoint's webhook signing secret/],
    ['secret_missing', { secret: '' }, /secret is empty/],
    ['secret_missing', { secret: 42 }, /secret is missing/],
    ['secret_whitespace', { secret: `${SECRET}\n` }, /whitespace around it.*secret\.trim\(\)/],
    ['secret_is_api_key', { secret: TEST_KEY }, /API key \(sk_…\), not the webhook signing secret.*Developers → Webhooks/],
    ['secret_is_api_key', { secret: 'pk_test_abc' }, /API key \(pk_…\)/],
    ['body_not_raw', { body: EVENT }, /already parsed.*raw bytes/],
    ['body_not_raw', { body: [EVENT] }, /an array, already parsed/],
    ['body_not_raw', { body: {} }, /an empty object: no body parser kept this request's raw body.*express\.raw/],
    ['body_not_raw', { body: undefined }, /body is undefined/],
    ['body_not_raw', { body: null }, /body is null/],
    ['body_not_raw', { body: '' }, /body is empty: was the request body read before \(by a body parser\)\?/],
    ['body_not_raw', { body: Buffer.alloc(0) }, /body is empty/],
    ['body_not_raw', { body: '[object Object]' }, /"\[object Object\]", a parsed body turned into a string/],
    ['header_missing', { headers: undefined }, /X-Clink-Timestamp header missing: pass the request's headers \(req\.headers/],
    ['header_missing', { headers: {} }, /X-Clink-Timestamp header missing: is this request from Clink\?/],
    ['header_missing', { headers: { 'x-clink-timestamp': fresh['x-clink-timestamp'] } }, /X-Clink-Signature header missing/],
    ['header_missing', { headers: new Headers({ 'x-clink-signature': fresh['x-clink-signature'] }) }, /X-Clink-Timestamp header missing/],
    ['header_malformed', { headers: { ...fresh, 'x-clink-timestamp': '2026-12-03T20:00:00Z' } }, /not a millisecond timestamp/],
    ['header_malformed', { headers: { ...fresh, 'x-clink-signature': `v1=${fresh['x-clink-signature']}` } }, /not 64 hex digits/],
    ['header_malformed', { headers: { ...fresh, 'x-clink-signature': [fresh['x-clink-signature'], fresh['x-clink-signature']] } }, /X-Clink-Signature was sent more than once/],
    ['header_malformed', { headers: { ...fresh, 'x-clink-timestamp': `${fresh['x-clink-timestamp']}, ${fresh['x-clink-timestamp']}` } }, /not a millisecond timestamp/],
    ['signature_mismatch', { secret: 'whsec_another_secret_00000' }, /does not match this body and secret.*endpoint's webhook signing secret.*not have been parsed and re-serialized/],
    ['signature_mismatch', { body: JSON.stringify(EVENT, null, 2) }, RAW_HINTS],
    ['signature_mismatch', { body: BODY.replace('paid', 'PAID') }, RAW_HINTS],
    ['signature_mismatch', { headers: { ...fresh, 'x-clink-timestamp': String(Number(fresh['x-clink-timestamp']) + 1) } }, /does not match/],
    ['timestamp_too_old', { headers: clinkHeaders(BODY, { timestamp: Date.now() - 301_000 }) }, /is 301 s old, more than toleranceSeconds \(300\): a replayed delivery, or this server's clock is ahead/],
    ['timestamp_in_future', { headers: clinkHeaders(BODY, { timestamp: Date.now() + 400_000 }) }, /is 400 s in the future.*clock is behind/],
    ['timestamp_too_old', { headers: clinkHeaders(BODY, { timestamp: Date.now() - 11_000 }), toleranceSeconds: 10 }, /toleranceSeconds \(10\)/],
    ['event_malformed', signedCase('not json'), /not JSON/],
    ['event_malformed', signedCase('[1,2]'), /not a JSON object/],
    ['event_malformed', signedCase('{"type":"order.updated","data":{}}'), /no id/],
    ['event_malformed', signedCase('{"id":"evt_1","data":{}}'), /no type/],
    ['event_malformed', signedCase('{"id":"evt_1","type":"order.updated","data":null}'), /no data object/],
  ];
  for (const [reason, change, message] of cases) {
    await assert.rejects(verifyWebhook({ body: BODY, headers: fresh, secret: SECRET, ...change }), refusedWith(reason, message), `${reason} ${JSON.stringify(change)}`);
  }
  assert.deepEqual([...new Set(cases.map(([reason]) => reason))].sort(), [...WEBHOOK_ERROR_REASONS].sort(), 'every documented reason has a case');
});

function signedCase(body) {
  return { body, headers: clinkHeaders(body) };
}

test('the tolerance holds both ways and is configurable; toleranceSeconds must be a number ≥ 0', async () => {
  assert.equal(DEFAULT_TOLERANCE_SECONDS, 300);
  for (const offset of [-290_000, 290_000]) {
    assert.deepEqual(await verifyWebhook({ body: BODY, headers: clinkHeaders(BODY, { timestamp: Date.now() + offset }), secret: SECRET }), EVENT);
  }
  const hourOld = clinkHeaders(BODY, { timestamp: Date.now() - 3_600_000 });
  assert.deepEqual(await verifyWebhook({ body: BODY, headers: hourOld, secret: SECRET, toleranceSeconds: 7200 }), EVENT);
  for (const bad of [-1, Number.NaN, Infinity, '300', null]) {
    await assert.rejects(verifyWebhook({ body: BODY, headers: hourOld, secret: SECRET, toleranceSeconds: bad }), (e) => e instanceof TypeError && /toleranceSeconds must be a number of seconds/.test(e.message));
  }
  await assert.rejects(verifyWebhook(), (e) => e instanceof TypeError && /needs \{ body, headers, secret \}/.test(e.message));
});

test('the signature is checked before the timestamp: an old delivery with a wrong signature is a mismatch, not a replay', async () => {
  const old = clinkHeaders(BODY, { timestamp: Date.now() - 3_600_000, secret: 'whsec_someone_else_0000' });
  await assert.rejects(verifyWebhook({ body: BODY, headers: old, secret: SECRET }), refusedWith('signature_mismatch'));
});

test('docs/server-sdk.md lists every reason, and the .d.ts types every one', () => {
  const doc = readFileSync(join(ROOT, DOC), 'utf8');
  const types = readFileSync(join(ROOT, 'server', 'index.d.ts'), 'utf8');
  for (const reason of WEBHOOK_ERROR_REASONS) {
    assert.match(doc, new RegExp(`^\\| \`${reason}\` \\|`, 'm'), `docs table row for ${reason}`);
    assert.match(types, new RegExp(`\\| '${reason}'`), `WebhookErrorReason has ${reason}`);
  }
});
