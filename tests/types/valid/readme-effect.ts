// The effect of the README's "Next.js, Remix, Nuxt and other server-side rendering" example,
// without JSX and React: the same code must compile under --strict.
import { loadClink, type EmbeddedCheckout } from '@clink-ai/clink-js';

declare function useEffect(effect: () => void | (() => void), deps: readonly unknown[]): void;
declare const container: { current: HTMLDivElement | null };
declare const publishableKey: string;

useEffect(() => {
  let embedded: EmbeddedCheckout | undefined;
  let cancelled = false;

  (async () => {
    const clink = await loadClink(publishableKey, { checkoutEnvironment: 'sandbox' });
    const instance = await clink.initEmbeddedCheckout({
      async fetchSession() {
        const response = await fetch('/api/clink/checkout-session', { method: 'POST' });
        return await response.json(); // { sessionId, checkoutUrl, orderId? }
      },
      onEvent(event) {
        if (event.type === 'complete') console.log('checkout finished:', event.payload.state);
      },
    });
    if (cancelled) {
      instance.destroy(); // the component unmounted while we were loading
      return;
    }
    embedded = instance;
    if (container.current) embedded.mount(container.current);
  })().catch((error) => console.error(error));

  return () => {
    cancelled = true;
    embedded?.destroy(); // removes the iframe, its listeners and any polling
  };
}, [publishableKey]);
