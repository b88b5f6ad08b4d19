// Not from Clink's docs: the rest of the documented surface (README, the README), so that a type
// narrowed by mistake shows up here. Every line must compile under --strict.
import {
  CLINK_ERROR_CODES,
  ClinkError,
  loadClink,
  type Clink,
  type ClinkErrorCode,
  type EmbeddedCheckout,
  type EmbeddedCheckoutEvent,
  type EmbeddedCheckoutState,
  type LoadClinkOptions,
} from '@clink-ai/clink-js';

const options: LoadClinkOptions = {
  checkoutEnvironment: 'production',
  locale: 'zh_CN',
  origin: 'https://shop.example',
  fetchImpl: (input, init) => fetch(input, init),
};
const clink: Clink = await loadClink('pk_test_abc', options);
const base: string = clink.checkoutBaseUrl;
await clink.redirectToCheckout({ sessionId: 'sess_1', replace: true });
await clink.redirectToCheckout({ sessionParam: 'sess_1#tok' });

const embedded: EmbeddedCheckout = await clink.initEmbeddedCheckout({
  fetchSession: async () => ({ sessionId: 'sess_1', checkoutUrl: `${base}/pay/sess_1`, orderId: 'ord_1' }),
  autoResize: false,
  autoDestroyOnComplete: false,
  pollIntervalMs: 500,
  pollStatus: () => ({ state: 'expired' }),
  onEvent(event: EmbeddedCheckoutEvent) {
    if (event.type === 'resize') {
      const h: number = event.payload.height;
      console.log(h);
    }
    if (event.type === 'complete') {
      const s: 'success' | 'cancelled' | 'error' | 'expired' = event.payload.state;
      const src: 'checkout' | 'poll' = event.payload.source;
      console.log(s, src);
    }
  },
});
embedded.mount(document.createElement('div'));
const off: () => void = embedded.on('state_change', (e) => {
  const state: EmbeddedCheckoutState = e.payload.state;
  const prev: EmbeddedCheckoutState | null = e.payload.previousState;
  console.log(state, prev, e.payload.orderId);
});
off();
embedded.on('error', (e) => console.log(e.payload.code.toUpperCase(), e.payload.message));
embedded.on('hosted_return', (e) => console.log(e.payload.state, e.payload.url));
embedded.on('ready', (e) => console.log(e.type));
const { mounted, destroyed }: { mounted: boolean; destroyed: boolean } = embedded.getState();
console.log(mounted, destroyed);
embedded.unmount();
embedded.destroy();

const code: ClinkErrorCode = CLINK_ERROR_CODES.POLL_STATUS_FAILED;
// docs/embedded-checkout.md: FRAME_BLOCKED is a code of its own, compared against error events.
const blocked: 'FRAME_BLOCKED' = CLINK_ERROR_CODES.FRAME_BLOCKED;
embedded.on('error', (e) => {
  if (e.payload.code === CLINK_ERROR_CODES.FRAME_BLOCKED) console.warn(e.payload.message, blocked);
});
const err = new ClinkError(code, 'message', { cause: new Error('inner') });
const asError: Error = err;
console.log(asError.message, err.code, err.name === 'ClinkError', err.cause);
