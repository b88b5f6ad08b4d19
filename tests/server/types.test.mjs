// server/index.d.ts under `tsc --strict`: the TypeScript block of docs/server-sdk.md compiles as
// written, the documented surface type-checks, and misuses are errors (each behind
// `// @ts-expect-error`, which tsc itself refuses when the line does not error).
// Run: node --test tests/server/types.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { docBlocks } from '../support/doc-blocks.mjs';
import { DOC, ROOT, run, writeDocBlocks } from './support.mjs';

const surface = `
import {
  ClinkPayClient, ClinkApiError, ClinkConnectionError, ClinkWebhookError, verifyWebhook, signWebhookForTest,
  WEBHOOK_ERROR_REASONS, API_HOSTS, type ClinkWebhookEvent, type Subscription, type WebhookErrorReason,
} from '@clink-ai/clink-typescript-sdk';

const client = new ClinkPayClient({ apiKey: 'sk_test_x', env: 'sandbox', baseUrl: 'http://127.0.0.1:8081', timeoutMs: 5000, fetch });
export async function all(): Promise<void> {
  const s = await client.createCheckoutSession({ originalAmount: 1, originalCurrency: 'USD', priceDataList: [{ name: 'a', quantity: 1, unitAmount: 1, currency: 'USD' }] });
  const sub: Subscription = await client.getSubscription(s.subscriptionId ?? '');
  const statuses: ('active' | 'trialing' | 'past_due' | 'canceled' | 'incomplete' | 'incomplete_expired')[] = [sub.status];
  const invoice = await client.getInvoice(sub.latestInvoiceId);
  const order = await client.getOrder(invoice.orderId ?? '');
  const refund = await client.getRefund(order.refundIds[0] ?? '');
  const portal = await client.customerPortalSession({ customerId: sub.customerId, returnUrl: 'https://x.example' });
  const n: number = portal.expiresAt + refund.amount + order.refundedAmount + statuses.length + (sub.trialEnd ?? 0);
  const headers = await signWebhookForTest({ body: 'x', secret: 'whsec_x', timestamp: n });
  const event: ClinkWebhookEvent = await client.verifyWebhook({ body: new Uint8Array(1), headers, secret: 'whsec_x', toleranceSeconds: 60 });
  if (event.type === 'subscription.updated') event.data.cancelAtPeriodEnd satisfies boolean;
  await verifyWebhook({ body: 'x', headers: { 'x-clink-signature': ['a'], 'x-clink-timestamp': undefined }, secret: 'x' });
  await verifyWebhook({ body: 'x', headers: new Map<string, string>(), secret: 'x' });
  try { await client.getOrder('o'); } catch (e) {
    if (e instanceof ClinkApiError) { const { code, message, status, excerpt } = e; void [code + status, message, excerpt]; }
    if (e instanceof ClinkConnectionError) { const r: 'timeout' | 'network' = e.reason; void r; }
    if (e instanceof ClinkWebhookError) { const r: WebhookErrorReason = e.reason; void r; }
  }
  void [WEBHOOK_ERROR_REASONS.length, API_HOSTS.sandbox];
}

export async function misuses(client: ClinkPayClient, event: ClinkWebhookEvent): Promise<void> {
  // @ts-expect-error env is 'sandbox' | 'production'
  new ClinkPayClient({ apiKey: 'sk_test_x', env: 'staging' });
  // @ts-expect-error apiKey is required
  new ClinkPayClient({ env: 'sandbox' });
  // @ts-expect-error originalAmount is required
  await client.createCheckoutSession({ originalCurrency: 'USD' });
  // @ts-expect-error priceDataList or priceId + productId, not both
  await client.createCheckoutSession({ originalAmount: 1, originalCurrency: 'USD', priceId: 'p', productId: 'q', priceDataList: [] });
  // @ts-expect-error priceId needs productId
  await client.createCheckoutSession({ originalAmount: 1, originalCurrency: 'USD', priceId: 'p' });
  // @ts-expect-error ids are strings
  await client.getOrder(42);
  // @ts-expect-error customerId is required
  await client.customerPortalSession({ returnUrl: 'https://x.example' });
  // @ts-expect-error a parsed body is not a raw body
  await verifyWebhook({ body: { id: 'evt' }, headers: {}, secret: 'x' });
  // @ts-expect-error secret is required
  await verifyWebhook({ body: 'x', headers: {} });
  // @ts-expect-error signWebhookForTest wants the exact string or bytes
  await signWebhookForTest({ body: { id: 'evt' }, secret: 'x' });
  if (event.type === 'refund.updated') {
    // @ts-expect-error a refund event's data is a Refund
    void event.data.invoiceId;
  }
}
`;

test('tsc --strict: the docs\' TypeScript block, the whole surface, and every misuse an error', { timeout: 120_000 }, async () => {
  const blocks = docBlocks(DOC).filter((b) => b.lang === 'ts');
  assert.ok(blocks.length >= 1, 'docs/server-sdk.md has a ts block');
  const { dir, cleanup } = writeDocBlocks([]);
  try {
    const files = blocks.map((block, i) => {
      writeFileSync(join(dir, `doc-${i}.ts`), block.code);
      return `doc-${i}.ts`;
    });
    writeFileSync(join(dir, 'surface.ts'), surface);
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2022', 'dom'], strict: true, noEmit: true, types: [] },
      files: [...files, 'surface.ts'],
    }));
    const result = await run(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json', '--pretty', 'false'], { cwd: dir, timeout: 120_000 })
      .then(() => 'clean', (error) => error.message);
    assert.equal(result, 'clean');
  } finally {
    cleanup();
  }
});
