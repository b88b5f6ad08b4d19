// Types of @clink-ai/clink-js: the public surface documented in README "API" (loadClink, redirect and
// embedded checkout, events, states, errors).

export type CheckoutEnvironment = 'sandbox' | 'production';

export interface LoadClinkOptions {
  /** `'sandbox'` or `'production'`; used when `checkoutBaseUrl` is not given. */
  checkoutEnvironment?: CheckoutEnvironment;
  /** Checkout host used as is; bootstrap is skipped. */
  checkoutBaseUrl?: string;
  /** Forwarded to bootstrap, e.g. `'en-US'`. */
  locale?: string;
  /** Overrides the site origin sent to bootstrap (default `location.origin`). */
  origin?: string;
  /** A `fetch`-compatible function, for runtimes without `fetch` or for tests. */
  fetchImpl?: (input: string, init?: RequestInit) => Promise<Response>;
}

export interface RedirectToCheckoutParams {
  /** `'sess_…'` or `'sess_…#token'`: preferred when your backend returns it. Wins over `sessionId`. */
  sessionParam?: string;
  /** `'sess_…'`, when you only have the session id. */
  sessionId?: string;
  /** Use `location.replace` instead of `location.assign`. */
  replace?: boolean;
}

export type EmbeddedCheckoutState = 'payment' | 'pending' | 'success' | 'cancelled' | 'error' | 'expired';
export type TerminalCheckoutState = 'success' | 'cancelled' | 'error' | 'expired';

export interface CheckoutSession {
  sessionId: string;
  checkoutUrl: string;
  orderId?: string | null;
}

export interface PollStatusContext {
  sessionId: string;
  orderId: string | undefined;
  /** 1 for the first call of a mount, then 2, 3, … */
  attempt: number;
}

export interface PollStatusResult {
  state: EmbeddedCheckoutState;
  /** Extra fields copied into the `state_change` and `complete` payloads. */
  payload?: Record<string, unknown>;
}

export interface EmbeddedCheckoutEventPayloads {
  ready: Record<string, never>;
  resize: { height: number };
  state_change: { state: EmbeddedCheckoutState; previousState: EmbeddedCheckoutState | null; [extra: string]: unknown };
  complete: { state: TerminalCheckoutState; source: 'checkout' | 'poll'; [extra: string]: unknown };
  hosted_return: { state?: string; url?: string };
  error: { code: string; message: string };
}

export type EmbeddedCheckoutEventType = keyof EmbeddedCheckoutEventPayloads;

export type EmbeddedCheckoutEvent = {
  [K in EmbeddedCheckoutEventType]: { readonly type: K; readonly payload: Readonly<EmbeddedCheckoutEventPayloads[K]> };
}[EmbeddedCheckoutEventType];

export interface EmbeddedCheckoutOptions {
  /** Creates a checkout session on your backend; called once, during initEmbeddedCheckout. */
  fetchSession: () => Promise<CheckoutSession> | CheckoutSession;
  /** Receives every event. */
  onEvent?: (event: EmbeddedCheckoutEvent) => void;
  /** Apply the heights the checkout asks for (default true). */
  autoResize?: boolean;
  /** Destroy the instance after a successful payment, once the `complete` handlers ran (default true). */
  autoDestroyOnComplete?: boolean;
  /** Optional status polling; `null`/`undefined` means keep polling. */
  pollStatus?: (context: PollStatusContext) => Promise<PollStatusResult | null | undefined> | PollStatusResult | null | undefined;
  /** Poll interval in milliseconds, at least 100 (default 2000). */
  pollIntervalMs?: number;
}

export interface EmbeddedCheckoutInstanceState {
  mounted: boolean;
  destroyed: boolean;
  /** The last announced checkout state, `null` before the first. */
  state: EmbeddedCheckoutState | null;
}

export interface EmbeddedCheckout {
  /** Mounts the checkout iframe into a CSS selector's element or an HTMLElement. */
  mount(container: string | HTMLElement): void;
  /** Removes the iframe and stops listening and polling; the instance can mount again. */
  unmount(): void;
  /** Unmounts, drops every handler and refuses further use. Idempotent. */
  destroy(): void;
  /** Subscribes to one event type; returns the unsubscribe function. */
  on<K extends EmbeddedCheckoutEventType>(
    type: K,
    handler: (event: { readonly type: K; readonly payload: Readonly<EmbeddedCheckoutEventPayloads[K]> }) => void,
  ): () => void;
  getState(): EmbeddedCheckoutInstanceState;
}

export interface Clink {
  /** The resolved checkout host. */
  readonly checkoutBaseUrl: string;
  redirectToCheckout(params: RedirectToCheckoutParams): Promise<void>;
  initEmbeddedCheckout(options: EmbeddedCheckoutOptions): Promise<EmbeddedCheckout>;
}

export declare const CLINK_ERROR_CODES: {
  readonly INVALID_PUBLIC_KEY: 'INVALID_PUBLIC_KEY';
  readonly INVALID_CHECKOUT_ENV: 'INVALID_CHECKOUT_ENV';
  readonly BOOTSTRAP_REQUEST_FAILED: 'BOOTSTRAP_REQUEST_FAILED';
  readonly INVALID_BOOTSTRAP_RESPONSE: 'INVALID_BOOTSTRAP_RESPONSE';
  readonly INVALID_REDIRECT_PARAMS: 'INVALID_REDIRECT_PARAMS';
  readonly INVALID_EMBEDDED_OPTIONS: 'INVALID_EMBEDDED_OPTIONS';
  readonly INVALID_SESSION_ID: 'INVALID_SESSION_ID';
  readonly SESSION_ID_FETCH_FAILED: 'SESSION_ID_FETCH_FAILED';
  readonly EMBEDDED_CHECKOUT_DISABLED: 'EMBEDDED_CHECKOUT_DISABLED';
  readonly CONTAINER_NOT_FOUND: 'CONTAINER_NOT_FOUND';
  readonly NOT_IN_BROWSER: 'NOT_IN_BROWSER';
  readonly INVALID_CHECKOUT_URL: 'INVALID_CHECKOUT_URL';
  readonly EMBEDDED_ALREADY_MOUNTED: 'EMBEDDED_ALREADY_MOUNTED';
  readonly EMBEDDED_CHECKOUT_DESTROYED: 'EMBEDDED_CHECKOUT_DESTROYED';
  readonly POLL_STATUS_FAILED: 'POLL_STATUS_FAILED';
  readonly FRAME_BLOCKED: 'FRAME_BLOCKED';
};

export type ClinkErrorCode = (typeof CLINK_ERROR_CODES)[keyof typeof CLINK_ERROR_CODES];

export declare class ClinkError extends Error {
  readonly name: 'ClinkError';
  readonly code: ClinkErrorCode;
  readonly cause?: unknown;
  constructor(code: ClinkErrorCode, message: string, options?: { cause?: unknown });
}

/** Validates the key, resolves the checkout host (bootstrap unless checkoutBaseUrl is given). */
export declare function loadClink(publishableKey: string, options?: LoadClinkOptions): Promise<Clink>;

/**
 * Starts fetching and compiling the SDK's WebAssembly now, so that the first `loadClink` finds it
 * ready (README "Start early"). Importing the package does nothing by itself; call this in the
 * browser as early as you like, e.g. when the cart page renders. Resolves when the module is
 * ready; never rejects (a failure is reported by `loadClink`).
 */
export declare function preloadClink(): Promise<void>;
