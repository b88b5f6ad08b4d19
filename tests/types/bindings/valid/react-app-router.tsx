// The README's "React and Next.js" examples: a provider in the layout, a client component with
// <EmbeddedCheckout>, useClink(), and every prop.
'use client';
import type { ReactNode } from 'react';
import { ClinkProvider, EmbeddedCheckout, useClink, type ClinkContextValue, type EmbeddedCheckoutProps } from '@clink-ai/clink-js/react';
import type { Clink, ClinkError, EmbeddedCheckoutEvent, PollStatusResult } from '@clink-ai/clink-js';

export function Providers({ children }: { children: ReactNode }) {
  return (
    <ClinkProvider publishableKey={process.env.NEXT_PUBLIC_CLINK_KEY!} options={{ checkoutEnvironment: 'sandbox', locale: 'en-US' }}>
      {children}
    </ClinkProvider>
  );
}

declare const process: { env: Record<string, string | undefined> };

export function CheckoutPage() {
  const { clink, error }: ClinkContextValue = useClink();
  const base: string | undefined = clink?.checkoutBaseUrl;
  const code: string | undefined = error?.code;
  if (error) return <p role="alert">{error.message}</p>;
  return (
    <EmbeddedCheckout
      id="checkout"
      className="checkout"
      style={{ minHeight: 480 }}
      fetchSession={async () => {
        const response = await fetch('/api/clink/checkout-session', { method: 'POST' });
        return response.json();
      }}
      onEvent={(event: EmbeddedCheckoutEvent) => {
        if (event.type === 'complete') console.log(event.payload.state, event.payload.source, base, code);
        if (event.type === 'error') console.error(event.payload.code, event.payload.message);
        if (event.type === 'resize') console.log(event.payload.height);
      }}
      pollStatus={async ({ sessionId, orderId, attempt }): Promise<PollStatusResult | null> => {
        const r = await fetch(`/api/clink/checkout-status?sessionId=${sessionId}&orderId=${orderId}&attempt=${attempt}`);
        const { state } = await r.json();
        return state === 'pending' ? null : { state, payload: { orderId } };
      }}
      autoResize
      autoDestroyOnComplete={false}
      pollIntervalMs={1500}
    />
  );
}

// The session may be synchronous too; the props type is exported for wrappers.
const props: EmbeddedCheckoutProps = { fetchSession: () => ({ sessionId: 'sess_1', checkoutUrl: 'https://uat-checkout.clinkbill.com/pay/sess_1' }) };
export const Wrapped = () => <EmbeddedCheckout {...props} />;
export type Loaded = { clink: Clink | null; error: ClinkError | null };
