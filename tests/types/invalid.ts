// Misuses the types must refuse. Each `@ts-expect-error` makes tsc fail if the line after it
// does NOT error (as stripe-js does); types.test.mjs also compiles this file with the
// directives removed and checks that every case line errors on its own.
import { CLINK_ERROR_CODES, ClinkError, loadClink } from '@clink-ai/clink-js';

// @ts-expect-error wrong option name (checkoutEnv instead of checkoutEnvironment)
await loadClink('pk_uat_xxxxxxxxx', { checkoutEnv: 'sandbox' });
// @ts-expect-error not an environment
await loadClink('pk_uat_xxxxxxxxx', { checkoutEnvironment: 'staging' });
// @ts-expect-error a number as the key
await loadClink(12345);
// @ts-expect-error no key
await loadClink();
// @ts-expect-error locale is a string
await loadClink('pk_uat_xxxxxxxxx', { locale: 5 });
// @ts-expect-error fetchImpl is a function
await loadClink('pk_uat_xxxxxxxxx', { fetchImpl: 'fetch' });

const clink = await loadClink('pk_uat_xxxxxxxxx');
// @ts-expect-error checkoutBaseUrl is read-only
clink.checkoutBaseUrl = 'https://evil.example';
// @ts-expect-error `session` is not a redirect parameter
await clink.redirectToCheckout({ session: 'x' });
// @ts-expect-error replace is a boolean
await clink.redirectToCheckout({ sessionId: 'sess_1', replace: 'yes' });
// @ts-expect-error sessionId is a string
await clink.redirectToCheckout({ sessionId: 42 });

const fetchSession = async () => ({ sessionId: 'sess_1', checkoutUrl: 'https://checkout.clinkbill.com/pay/sess_1' });
// @ts-expect-error autoResize is a boolean
await clink.initEmbeddedCheckout({ fetchSession, autoResize: 'yes' });
// @ts-expect-error fetchSession is required
await clink.initEmbeddedCheckout({ onEvent() {} });
// @ts-expect-error pollIntervalMs is a number
await clink.initEmbeddedCheckout({ fetchSession, pollIntervalMs: '2000' });
// @ts-expect-error fetchSession must resolve { sessionId, checkoutUrl }
await clink.initEmbeddedCheckout({ fetchSession: async () => ({ id: 'sess_1' }) });
// @ts-expect-error pollStatus answers one of the six states
await clink.initEmbeddedCheckout({ fetchSession, pollStatus: () => ({ state: 'done' }) });

const embedded = await clink.initEmbeddedCheckout({ fetchSession });
// @ts-expect-error unknown event type
embedded.on('nope', () => {});
// @ts-expect-error a resize payload has no state
embedded.on('resize', (e) => e.payload.state);
// @ts-expect-error mount takes a selector or an element
embedded.mount(42);

// @ts-expect-error not an error code
console.log(CLINK_ERROR_CODES.NOPE);
// @ts-expect-error not an error code
new ClinkError('NOPE', 'message');
