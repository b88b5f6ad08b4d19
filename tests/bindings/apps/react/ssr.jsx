// Server rendering of the same provider + component (bundled for Node like a framework's server
// build): must render the empty <div>, call nothing and warn nothing.
import { StrictMode } from 'react';
import { renderToString } from 'react-dom/server';
import { ClinkProvider, EmbeddedCheckout, useClink } from '@clink-ai/clink-js/react';

function Status() {
  const { clink, error } = useClink();
  return <p id="status">{`${String(clink)} ${String(error)}`}</p>;
}

export function render({ fetchImpl, fetchSession, onEvent, pollStatus }) {
  return renderToString(
    <StrictMode>
      <ClinkProvider publishableKey="pk_test_ssr" options={{ checkoutEnvironment: 'sandbox', fetchImpl }}>
        <Status />
        <EmbeddedCheckout id="checkout" className="clink-checkout" fetchSession={fetchSession} onEvent={onEvent} pollStatus={pollStatus} />
      </ClinkProvider>
    </StrictMode>,
  );
}
