// <clink-checkout> in React's JSX (the entry comes with @clink-ai/clink-js/react's types).
import { useEffect, useRef } from 'react';
import '@clink-ai/clink-js/element';
import type {} from '@clink-ai/clink-js/react';
import type { ClinkCheckoutElement } from '@clink-ai/clink-js/element';

export function ElementCheckout() {
  const ref = useRef<ClinkCheckoutElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const onComplete = (event: CustomEvent<{ state: string }>) => console.log(event.detail.state);
    el.addEventListener('clink:complete', onComplete);
    return () => el.removeEventListener('clink:complete', onComplete);
  }, []);
  return (
    <clink-checkout
      ref={ref}
      id="checkout"
      className="checkout"
      publishable-key="pk_test_xxx"
      checkout-environment="sandbox"
      session-endpoint="/api/clink/checkout-session"
      fetchSession={async () => ({ sessionId: 'sess_1', checkoutUrl: 'https://uat-checkout.clinkbill.com/pay/sess_1' })}
    />
  );
}
