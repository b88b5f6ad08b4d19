// Types of @clink-ai/clink-typescript-sdk. Request fields are those Clink's docs name; response
// fields are what Clink's API answers (and the local Clink, @clink-ai/clink-local, shows).

/** A three-letter currency code Clink accepts. */
export type Currency = 'USD' | 'EUR' | 'CNY' | 'CAD' | 'JPY' | 'AUD' | 'SGD' | 'HKD' | 'KRW' | 'GBP' | 'AED';

export interface ClinkPayClientOptions {
  /** Your secret key: sk_test_… (sandbox) or sk_prod_… (production). Never ship it to a browser. */
  apiKey: string;
  /** 'sandbox' → https://uat-api.clinkbill.com, 'production' → https://api.clinkbill.com. Required unless baseUrl is given. */
  env?: 'sandbox' | 'production';
  /** An origin to call instead of env's host, e.g. the local Clink's URL. The SDK adds /api/…. */
  baseUrl?: string;
  /** How long one attempt may take, in ms (default 30000, at most 600000). */
  timeoutMs?: number;
  /** A fetch to use instead of the global one (tests, proxies, instrumentation). */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
}

/** One line item of a session without a catalogue product. */
export interface PriceData {
  name: string;
  /** 1 or more. */
  quantity: number;
  /** Minor units (cents), 0 or more. */
  unitAmount: number;
  /** The session's currency. */
  currency: Currency | (string & {});
}

interface CheckoutSessionCommon {
  /** The total in minor units (cents), more than 0. */
  originalAmount: number;
  originalCurrency: Currency | (string & {});
  customerEmail?: string;
  customerId?: string;
  /** Absolute http(s) URL the hosted checkout returns to after a payment. */
  successUrl?: string;
  /** Absolute http(s) URL the hosted checkout returns to when the buyer cancels. */
  cancelUrl?: string;
  /** Your own reference (e.g. your order id), echoed on the session, the order and the webhooks. */
  merchantReferenceId?: string;
  allowPromotionCodes?: boolean;
}

/** createCheckoutSession's options: either priceDataList, or priceId + productId (a catalogue price; a recurring one makes a subscription checkout). */
export type CreateCheckoutSessionOptions =
  | (CheckoutSessionCommon & { priceDataList: PriceData[]; priceId?: never; productId?: never })
  | (CheckoutSessionCommon & { priceId: string; productId: string; priceDataList?: never })
  | (CheckoutSessionCommon & { priceDataList?: undefined; priceId?: undefined; productId?: undefined });

/** Clink's session statuses. */
export type CheckoutSessionStatus = 'open' | 'complete' | 'expired';
/** The hosted checkout's state (what @clink-ai/clink-js reports in state_change events). */
export type CheckoutState = 'payment' | 'pending' | 'success' | 'cancelled' | 'error' | 'expired';

export interface CheckoutSessionHistoryEntry {
  state: CheckoutState;
  at: number;
  reason?: string;
}

export interface CheckoutSession {
  sessionId: string;
  /** The opaque token redirectToCheckout({ sessionParam }) takes. */
  sessionParam: string;
  /** The hosted checkout page: redirect to it, or give it to initEmbeddedCheckout as checkoutUrl. */
  url: string;
  status: CheckoutSessionStatus;
  state: CheckoutState;
  originalAmount: number;
  originalCurrency: string;
  priceDataList?: PriceData[];
  priceId?: string;
  productId?: string;
  customerEmail?: string | null;
  customerId?: string | null;
  successUrl?: string | null;
  cancelUrl?: string | null;
  merchantReferenceId?: string | null;
  allowPromotionCodes?: boolean;
  /** Once a payment was attempted. */
  orderId?: string;
  /** For a subscription checkout. */
  subscriptionId?: string;
  /** Milliseconds since 1970. */
  createdAt: number;
  expiresAt: number;
  completedAt?: number | null;
  history?: CheckoutSessionHistoryEntry[];
}

export type OrderStatus = 'pending' | 'paid' | 'failed' | 'cancelled' | 'expired';

export interface OrderPaymentAttempt {
  attempt: number;
  cardLast4: string;
  result: 'paid' | 'declined' | 'error' | null;
  startedAt: number;
  finishedAt: number | null;
}

export interface Order {
  orderId: string;
  sessionId: string;
  status: OrderStatus;
  originalAmount: number;
  originalCurrency: string;
  merchantReferenceId?: string | null;
  customerEmail?: string | null;
  customerId?: string | null;
  createdAt: number;
  updatedAt: number;
  paidAt: number | null;
  /** Minor units refunded so far. */
  refundedAmount: number;
  refundIds: string[];
  attempts?: OrderPaymentAttempt[];
}

export type RefundStatus = 'pending' | 'succeeded' | 'failed' | (string & {});

export interface Refund {
  refundId: string;
  orderId: string;
  /** Minor units. */
  amount: number;
  currency: string;
  status: RefundStatus;
  reason: string | null;
  createdAt: number;
}

export type SubscriptionStatus = 'incomplete' | 'incomplete_expired' | 'trialing' | 'active' | 'past_due' | 'canceled';

export interface Subscription {
  subscriptionId: string;
  customerId: string;
  productId: string;
  priceId: string;
  status: SubscriptionStatus;
  currency: string;
  /** Minor units per interval. */
  amount: number;
  interval: 'week' | 'month' | 'year';
  currentPeriodStart: number;
  currentPeriodEnd: number;
  trialEnd: number | null;
  /** Cancelled to end at currentPeriodEnd (status stays active until then). */
  cancelAtPeriodEnd: boolean;
  canceledAt: number | null;
  latestInvoiceId: string;
  /** The checkout session that started it. */
  sessionId: string;
  createdAt: number;
}

export type InvoiceStatus = 'open' | 'paid' | 'void';

export interface Invoice {
  invoiceId: string;
  subscriptionId: string;
  customerId: string;
  status: InvoiceStatus;
  amount: number;
  currency: string;
  periodStart: number;
  periodEnd: number;
  /** The order that paid it. */
  orderId: string | null;
  attemptCount: number;
  createdAt: number;
  paidAt: number | null;
}

export interface CustomerPortalSessionOptions {
  customerId: string;
  /** Where the portal's "back" link leads. */
  returnUrl?: string;
}

export interface CustomerPortalSession {
  /** A time-limited link to the hosted customer portal. */
  url: string;
  customerId: string;
  expiresAt: number;
}

export declare class ClinkPayClient {
  /** Refused (TypeError/RangeError/Error saying what to do) for a missing or malformed key, a publishable key, a key of the other env, or in a browser page. */
  constructor(options: ClinkPayClientOptions);
  /** The API origin this client calls. */
  readonly baseUrl: string;
  /** POST /api/checkout/session. Never retried. */
  createCheckoutSession(options: CreateCheckoutSessionOptions): Promise<CheckoutSession>;
  /** GET /api/checkout/session/{sessionId}. */
  getCheckoutSession(sessionId: string): Promise<CheckoutSession>;
  /** GET /api/order/{orderId}. */
  getOrder(orderId: string): Promise<Order>;
  /** GET /api/refund/{refundId}. */
  getRefund(refundId: string): Promise<Refund>;
  /** GET /api/subscription/{subscriptionId}. */
  getSubscription(subscriptionId: string): Promise<Subscription>;
  /** GET /api/subscription/invoice/{invoiceId}. */
  getInvoice(invoiceId: string): Promise<Invoice>;
  /** POST /api/billing/session. Never retried. */
  customerPortalSession(options: CustomerPortalSessionOptions): Promise<CustomerPortalSession>;
  /** Same as the package's verifyWebhook. */
  verifyWebhook(options: VerifyWebhookOptions): Promise<ClinkWebhookEvent>;
}

/** Clink answered with an error: an error envelope, a non-2xx status, or an answer that is not Clink's envelope. */
export declare class ClinkApiError extends Error {
  readonly name: 'ClinkApiError';
  /** The envelope's code (Clink answers HTTP status = code), or the HTTP status when there was no envelope. */
  readonly code: number;
  /** The envelope's msg, or a description of the non-envelope answer. */
  readonly message: string;
  /** The HTTP status. */
  readonly status: number;
  readonly method: 'GET' | 'POST';
  /** The request path, e.g. /api/order/ord_123. */
  readonly path: string;
  /** The first characters of an answer that was not Clink's envelope (an HTML page from a proxy). */
  readonly excerpt?: string;
  /** How many attempts were made (reads are retried on 429 and 5xx). */
  readonly attempts: number;
}

/** No answer: the request timed out or could not be sent or read. `cause` holds the underlying error. */
export declare class ClinkConnectionError extends Error {
  readonly name: 'ClinkConnectionError';
  readonly reason: 'timeout' | 'network';
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly attempts: number;
}

export type WebhookErrorReason =
  | 'secret_missing'
  | 'secret_whitespace'
  | 'secret_is_api_key'
  | 'body_not_raw'
  | 'header_missing'
  | 'header_malformed'
  | 'timestamp_too_old'
  | 'timestamp_in_future'
  | 'signature_mismatch'
  | 'event_malformed';

/** A webhook delivery was refused; the message names the fix. Answer the request with a 4xx. */
export declare class ClinkWebhookError extends Error {
  readonly name: 'ClinkWebhookError';
  readonly reason: WebhookErrorReason;
}

export declare const WEBHOOK_ERROR_REASONS: readonly WebhookErrorReason[];
export declare const DEFAULT_TOLERANCE_SECONDS: 300;
export declare const API_HOSTS: { readonly sandbox: 'https://uat-api.clinkbill.com'; readonly production: 'https://api.clinkbill.com' };

/** Header values as a Headers object, a plain object (Node's req.headers) or a Map-like. */
export type WebhookHeaders =
  | Headers
  | { get(name: string): string | null | undefined }
  | Record<string, string | string[] | undefined>;

export interface VerifyWebhookOptions {
  /** The raw request body, exactly as received: a string or bytes (Buffer, Uint8Array, ArrayBuffer). */
  body: string | Uint8Array | ArrayBuffer | ArrayBufferView;
  headers: WebhookHeaders;
  /** This endpoint's webhook signing secret (not an API key). */
  secret: string;
  /** How far X-Clink-Timestamp may be from this server's clock, either way (default 300). */
  toleranceSeconds?: number;
}

interface WebhookEventBase<T extends string, D> {
  /** evt_…; the same on every retry of one event, so you can drop duplicates. */
  id: string;
  type: T;
  /** Milliseconds since 1970. */
  createdAt: number;
  data: D;
}

export type SessionWebhookEvent = WebhookEventBase<'session.completed' | 'session.expired', CheckoutSession>;
export type OrderWebhookEvent = WebhookEventBase<'order.created' | 'order.updated', Order>;
export type SubscriptionWebhookEvent = WebhookEventBase<'subscription.created' | 'subscription.updated', Subscription>;
export type InvoiceWebhookEvent = WebhookEventBase<'invoice.created' | 'invoice.updated', Invoice>;
export type RefundWebhookEvent = WebhookEventBase<'refund.created' | 'refund.updated', Refund>;

/** A verified event; narrow on `type` to get its `data`. */
export type ClinkWebhookEvent =
  | SessionWebhookEvent
  | OrderWebhookEvent
  | SubscriptionWebhookEvent
  | InvoiceWebhookEvent
  | RefundWebhookEvent;

export type ClinkWebhookEventType = ClinkWebhookEvent['type'];

/** Resolves the verified event, or rejects with ClinkWebhookError (`reason` says why). */
export declare function verifyWebhook(options: VerifyWebhookOptions): Promise<ClinkWebhookEvent>;

export interface SignedWebhookHeaders {
  'Content-Type': 'application/json';
  'X-Clink-Timestamp': string;
  'X-Clink-Signature': string;
  [name: string]: string;
}

/** The headers Clink would send with `body`: for your own tests of your webhook route. */
export declare function signWebhookForTest(options: {
  /** The exact string (or bytes) your test will send. */
  body: string | Uint8Array | ArrayBuffer | ArrayBufferView;
  secret: string;
  /** Milliseconds since 1970 (default Date.now()). */
  timestamp?: number;
}): Promise<SignedWebhookHeaders>;
