// What every consumer app does once built (the same code in Vite, webpack, esbuild and Rollup):
// load the SDK against the checkout origin named by ?checkout=, mount embedded checkout into
// #clink-checkout, try a bad key, and publish the outcome on window.__result for the test.
export async function runScenario({ loadClink, ClinkError, CLINK_ERROR_CODES }) {
  const result = { events: [], exports: {}, done: false };
  window.__result = result;
  result.exports = {
    loadClink: typeof loadClink,
    ClinkError: typeof ClinkError,
    codesFrozen: Object.isFrozen(CLINK_ERROR_CODES),
    INVALID_PUBLIC_KEY: CLINK_ERROR_CODES.INVALID_PUBLIC_KEY,
  };
  const checkout = new URLSearchParams(location.search).get('checkout');
  try {
    const clink = await loadClink('pk_test_consumer_app', { checkoutBaseUrl: checkout });
    result.checkoutBaseUrl = clink.checkoutBaseUrl;
    const session = {
      sessionId: 'sess_consumer_1',
      checkoutUrl: `${checkout}/pay/sess_consumer_1%23tok_abc?lang=en#top`,
    };
    result.expectedSrc = session.checkoutUrl;
    const embedded = await clink.initEmbeddedCheckout({
      async fetchSession() {
        return session;
      },
      onEvent(event) {
        result.events.push(event.type);
      },
    });
    embedded.mount(document.getElementById('clink-checkout'));
    result.state = embedded.getState();
  } catch (error) {
    result.error = `${error && error.name}: ${error && error.code} ${error && error.message}`;
  }
  try {
    await loadClink('not-a-key');
    result.badKey = 'resolved';
  } catch (error) {
    result.badKey = {
      isClinkError: error instanceof ClinkError,
      isError: error instanceof Error,
      name: error && error.name,
      code: error && error.code,
      matchesConstant: Boolean(error && error.code === CLINK_ERROR_CODES.INVALID_PUBLIC_KEY),
    };
  }
  result.done = true;
}
