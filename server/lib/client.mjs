// ClinkPayClient: Clink's documented server SDK (Clink's docs, "TypeScript SDK"). Every method
// is one REST call through callClink (authentication, timeout, retries of reads, the envelope).
import { clientConfig } from './config.mjs';
import { callClink } from './transport.mjs';
import { verifyWebhook } from './webhooks.mjs';

/** True in a browser page (a window with a document); false in Node, Deno, Bun, Workers, edge runtimes. */
function isBrowserPage() {
  return typeof window === 'object' && window !== null && typeof document === 'object' && document !== null
    && window.document === document;
}

function encodeId(name, id) {
  if (typeof id !== 'string' || id.trim() === '') {
    throw new TypeError(`${name} must be a non-empty string (the id Clink gave you), got ${id === null ? 'null' : typeof id === 'string' ? 'an empty string' : typeof id}`);
  }
  return encodeURIComponent(id);
}

function requireOptions(method, options, example) {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`${method} needs an options object, e.g. ${example}`);
  }
}

export class ClinkPayClient {
  #config;

  /**
   * @param {{ apiKey: string, env?: 'sandbox' | 'production', baseUrl?: string, timeoutMs?: number,
   *           fetch?: typeof fetch }} options
   */
  constructor(options) {
    this.#config = clientConfig(options, { isBrowserPage: isBrowserPage(), globalFetch: globalThis.fetch });
  }

  /** The API origin this client calls (from env or baseUrl). */
  get baseUrl() {
    return this.#config.baseUrl;
  }

  /** POST /api/checkout/session: never retried (a retry could create a second session). */
  async createCheckoutSession(options) {
    requireOptions('createCheckoutSession', options, "{ originalAmount: 1999, originalCurrency: 'USD', priceDataList: [...] }");
    return callClink(this.#config, { method: 'POST', path: '/checkout/session', body: options });
  }

  async getCheckoutSession(sessionId) {
    return callClink(this.#config, { method: 'GET', path: `/checkout/session/${encodeId('sessionId', sessionId)}` });
  }

  async getOrder(orderId) {
    return callClink(this.#config, { method: 'GET', path: `/order/${encodeId('orderId', orderId)}` });
  }

  async getRefund(refundId) {
    return callClink(this.#config, { method: 'GET', path: `/refund/${encodeId('refundId', refundId)}` });
  }

  async getSubscription(subscriptionId) {
    return callClink(this.#config, { method: 'GET', path: `/subscription/${encodeId('subscriptionId', subscriptionId)}` });
  }

  async getInvoice(invoiceId) {
    return callClink(this.#config, { method: 'GET', path: `/subscription/invoice/${encodeId('invoiceId', invoiceId)}` });
  }

  /** POST /api/billing/session: a time-limited link to the customer portal. Never retried. */
  async customerPortalSession(options) {
    requireOptions('customerPortalSession', options, "{ customerId: 'cus_…', returnUrl: 'https://shop.example/account' }");
    return callClink(this.#config, { method: 'POST', path: '/billing/session', body: options });
  }

  /** The same as the package's verifyWebhook (no client state is involved). */
  async verifyWebhook(input) {
    return verifyWebhook(input);
  }
}
