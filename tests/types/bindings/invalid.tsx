// Misuses of the bindings' types: each line after a @ts-expect-error must not compile.
import { ClinkProvider, EmbeddedCheckout, useClink } from '@clink-ai/clink-js/react';
import '@clink-ai/clink-js/element';

const fetchSession = async () => ({ sessionId: 'sess_1', checkoutUrl: 'https://uat-checkout.clinkbill.com/pay/sess_1' });
const el = document.createElement('clink-checkout');

export function Cases() {
  const { clink } = useClink();
  // @ts-expect-error clink is null until loaded
  console.log(clink.checkoutBaseUrl);
  return (
    <>
      {/* @ts-expect-error fetchSession is required */}
      <EmbeddedCheckout />
      {/* @ts-expect-error a typo of onEvent */}
      <EmbeddedCheckout fetchSession={fetchSession} onEvnt={() => {}} />
      {/* @ts-expect-error pollIntervalMs is a number */}
      <EmbeddedCheckout fetchSession={fetchSession} pollIntervalMs="500" />
      {/* @ts-expect-error the payload depends on the event type: narrow first */}
      <EmbeddedCheckout fetchSession={fetchSession} onEvent={(event) => console.log(event.payload.height)} />
      {/* @ts-expect-error fetchSession must return a session */}
      <EmbeddedCheckout fetchSession={async () => 'sess_1'} />
      {/* @ts-expect-error publishableKey is required */}
      <ClinkProvider>x</ClinkProvider>
      {/* @ts-expect-error checkoutEnv is not an option (checkoutEnvironment is) */}
      <ClinkProvider publishableKey="pk_test_x" options={{ checkoutEnv: 'sandbox' }}>x</ClinkProvider>
      {/* @ts-expect-error not an environment */}
      <clink-checkout publishable-key="pk_test_x" checkout-environment="staging" />
      {/* @ts-expect-error publishable-key is required */}
      <clink-checkout session-endpoint="/api/session" />
    </>
  );
}

// @ts-expect-error fetchSession is a function (or null)
el.fetchSession = '/api/session';
// @ts-expect-error a complete event has no height (its extra fields are unknown)
el.addEventListener('clink:complete', (event) => { const h: number = event.detail.height; console.log(h); });
// @ts-expect-error the state of a complete event is terminal
el.addEventListener('clink:complete', (event) => { const s: 'payment' = event.detail.state; console.log(s); });
// @ts-expect-error destroy takes nothing and returns nothing useful
const x: Promise<void> = el.destroy();
