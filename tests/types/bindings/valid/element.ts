// <clink-checkout> from TypeScript without a framework: the tag map, the properties and typed
// clink:* events (on the element and, as they bubble, on ancestors and the document).
import '@clink-ai/clink-js/element';
import { ClinkCheckoutElement, TAG_NAME, type ClinkCheckoutAttributes, type ClinkCheckoutEventMap } from '@clink-ai/clink-js/element';
import type { EmbeddedCheckoutState, TerminalCheckoutState } from '@clink-ai/clink-js';

const el = document.createElement('clink-checkout');
const same: ClinkCheckoutElement = el;
el.setAttribute('publishable-key', 'pk_test_xxx');
el.fetchSession = async () => ({ sessionId: 'sess_1', checkoutUrl: 'https://uat-checkout.clinkbill.com/pay/sess_1', orderId: 'ord_1' });
el.fetchSession = null;
el.pollStatus = async ({ attempt }) => (attempt > 3 ? { state: 'expired' } : null);
el.addEventListener('clink:complete', (event) => {
  const state: TerminalCheckoutState = event.detail.state;
  const source: 'checkout' | 'poll' = event.detail.source;
  console.log(state, source);
});
el.addEventListener('clink:state_change', (event) => {
  const state: EmbeddedCheckoutState = event.detail.state;
  console.log(state, event.detail.previousState);
});
el.addEventListener('clink:error', (event) => console.error(event.detail.code, event.detail.message));
el.addEventListener('clink:resize', (event) => console.log(event.detail.height));
el.addEventListener('click', (event) => console.log(event.clientX)); // ordinary events still typed
document.body.addEventListener('clink:ready', (event) => console.log(event.detail));
document.addEventListener('clink:hosted_return', (event) => console.log(event.detail.url));
document.querySelector('clink-checkout')?.destroy();
same.destroy();

const tag: 'clink-checkout' = TAG_NAME;
const attrs: ClinkCheckoutAttributes = { 'publishable-key': 'pk_test_xxx', 'checkout-base-url': 'https://checkout.example', 'session-endpoint': '/s' };
type Ready = ClinkCheckoutEventMap['clink:ready'];
const ready: Ready | undefined = undefined;
console.log(tag, attrs, ready, customElements.get(TAG_NAME) === ClinkCheckoutElement);
