// Types of @clink-ai/clink-js/element: the <clink-checkout> custom element, its attributes,
// properties and `clink:<type>` events. (React's JSX entry for the tag is in react.d.ts.)
import type { CheckoutSession, EmbeddedCheckoutEventPayloads, EmbeddedCheckoutEventType, PollStatusContext, PollStatusResult } from './index.js';

export declare const TAG_NAME: 'clink-checkout';

/** The attributes of <clink-checkout>, as written in HTML. */
export interface ClinkCheckoutAttributes {
  /** `pk_test_…`, `pk_uat_…` or `pk_prod_…`. */
  'publishable-key': string;
  'checkout-environment'?: 'sandbox' | 'production';
  /** Checkout host used as is (bootstrap is skipped). */
  'checkout-base-url'?: string;
  /** Forwarded to bootstrap, e.g. `en-US`. */
  locale?: string;
  /** A URL the element POSTs to; it answers `{ sessionId, checkoutUrl, orderId? }`. */
  'session-endpoint'?: string;
}

/** The `detail` of each `clink:<type>` event: the embedded checkout event's payload. */
export type ClinkCheckoutEventMap = {
  [K in EmbeddedCheckoutEventType as `clink:${K}`]: CustomEvent<Readonly<EmbeddedCheckoutEventPayloads[K]>>;
};

export declare class ClinkCheckoutElement extends HTMLElement {
  /** Creates the checkout session; used instead of `session-endpoint` when set. */
  fetchSession: (() => Promise<CheckoutSession> | CheckoutSession) | null;
  /** Optional status polling; read when the session starts. */
  pollStatus: ((context: PollStatusContext) => Promise<PollStatusResult | null | undefined> | PollStatusResult | null | undefined) | null;
  /** Ends the session: the iframe, listeners and polling go. */
  destroy(): void;

  addEventListener<K extends keyof ClinkCheckoutEventMap>(type: K, listener: (this: ClinkCheckoutElement, event: ClinkCheckoutEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener<K extends keyof HTMLElementEventMap>(type: K, listener: (this: ClinkCheckoutElement, event: HTMLElementEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof ClinkCheckoutEventMap>(type: K, listener: (this: ClinkCheckoutElement, event: ClinkCheckoutEventMap[K]) => unknown, options?: boolean | EventListenerOptions): void;
  removeEventListener<K extends keyof HTMLElementEventMap>(type: K, listener: (this: ClinkCheckoutElement, event: HTMLElementEventMap[K]) => unknown, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

declare global {
  interface HTMLElementTagNameMap {
    'clink-checkout': ClinkCheckoutElement;
  }
  // The events bubble: listeners on ancestors and the document see them typed too.
  interface HTMLElementEventMap extends ClinkCheckoutEventMap {}
  interface DocumentEventMap extends ClinkCheckoutEventMap {}
}
