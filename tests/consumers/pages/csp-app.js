// The merchant code of csp.html and csp-umd.html. ?entry=slim imports the slim entry (wasm
// fetched by URL), ?entry=umd uses window.Clink (csp-umd.html loads dist/index.umd.js),
// otherwise the default ESM entry (wasm inlined); ?boot=<origin> sends bootstrap to that origin
// through a fetchImpl (a merchant-side proxy of Clink's API host).
const log = (window.__csp = { violations: [], events: [], done: false });
document.addEventListener('securitypolicyviolation', (e) => {
  log.violations.push({ directive: e.effectiveDirective || e.violatedDirective, blocked: e.blockedURI });
});
const q = new URLSearchParams(location.search);
let mod = null;
try {
  const entry = q.get('entry');
  mod = entry === 'umd' ? window.Clink : await import(entry === 'slim' ? '/pkg/slim.js' : '/pkg/index.js');
  const options = { checkoutEnvironment: 'sandbox' };
  const boot = q.get('boot');
  if (boot) options.fetchImpl = (url, init) => fetch(String(url).replace('https://uat-api.clinkbill.com', boot), init);
  const clink = await mod.loadClink('pk_uat_csp_test', options);
  log.checkoutBaseUrl = clink.checkoutBaseUrl;
  const embedded = await clink.initEmbeddedCheckout({
    fetchSession: async () => ({ sessionId: 'sess_csp', checkoutUrl: `${clink.checkoutBaseUrl}/pay/sess_csp` }),
    onEvent: (event) => log.events.push(event.type),
  });
  embedded.mount('#clink-checkout');
  log.mounted = true;
} catch (e) {
  log.error = {
    name: e && e.name,
    code: e && e.code,
    message: e && e.message,
    isClinkError: Boolean(mod && e instanceof mod.ClinkError),
  };
}
log.done = true;
