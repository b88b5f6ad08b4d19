// A merchant's React app (built once per React version, `react` aliased by the bundler), in
// <StrictMode>: a provider at the top, a client-side router with a checkout page and another
// page, and window.__app to drive it from the test.
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { ClinkProvider, EmbeddedCheckout, useClink } from '@clink-ai/clink-js/react';
// The merchant's own import of the main entry: the binding must use this same copy.
import { ClinkError } from '@clink-ai/clink-js';

const params = new URLSearchParams(location.search);
const checkoutBaseUrl = params.get('checkout');
const publishableKey = params.get('key') || 'pk_test_bindings';
const log = (window.__log = []);

async function fetchSession() {
  const response = await fetch('/api/session', { method: 'POST' });
  if (!response.ok) throw new Error(`session endpoint: HTTP ${response.status}`);
  const session = await response.json();
  log.push({ fetched: session.sessionId });
  return session;
}

function Status() {
  const { clink, error } = useClink();
  const copy = error instanceof ClinkError ? 'same copy' : 'another copy';
  return <p id="status">{error ? `error ${error.code} (${copy})` : clink ? `loaded ${clink.checkoutBaseUrl}` : 'loading'}</p>;
}

function CheckoutPage({ version }) {
  // New inline callbacks on every render: the latest one must be the one called.
  return (
    <EmbeddedCheckout
      id="checkout"
      className="clink-checkout"
      style={{ minHeight: 100 }}
      fetchSession={fetchSession}
      autoDestroyOnComplete={params.get('autoDestroy') !== 'off'}
      onEvent={(event) => log.push({ version, type: event.type, payload: event.payload })}
    />
  );
}

function App() {
  const [state, setState] = useState({ route: location.hash === '#other' ? 'other' : 'checkout', version: 1, key: publishableKey });
  useEffect(() => {
    window.__app = {
      go: (route) => {
        history.pushState(null, '', route === 'other' ? '#other' : '#checkout');
        setState((s) => ({ ...s, route }));
      },
      rerender: () => setState((s) => ({ ...s, version: s.version + 1 })),
      setKey: (key) => setState((s) => ({ ...s, key })),
    };
  }, []);
  return (
    // An inline options object each render: compared by its fields, it loads once.
    <ClinkProvider publishableKey={state.key} options={{ checkoutBaseUrl }}>
      <Status />
      <p id="version">{state.version}</p>
      {state.route === 'checkout' ? <CheckoutPage version={state.version} /> : <p id="other">another page</p>}
    </ClinkProvider>
  );
}

window.addEventListener('unhandledrejection', (e) => log.push({ unhandled: String(e.reason) }));
createRoot(document.getElementById('root')).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
