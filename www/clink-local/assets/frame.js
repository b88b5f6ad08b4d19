// The checkout side of the frame protocol (SPEC §5): messages to the merchant page that framed us.
//
//   { source: 'clink-checkout', type: 'ready' | 'resize' | 'state_change' | 'hosted_return' | 'error', payload }
//
// A payment page never posts to '*': every message goes to the merchant's origin only, learnt from
// (first match) ?parentOrigin=, location.ancestorOrigins, document.referrer (when it is another
// origin), or the merchant origin remembered by the session.

const SOURCE = 'clink-checkout';

function toOrigin(value) {
  if (typeof value !== 'string' || !value) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

function findParentOrigin(hints) {
  const fromQuery = toOrigin(new URLSearchParams(location.search).get('parentOrigin'));
  if (fromQuery) return fromQuery;
  if (hints.parentOrigin) return toOrigin(hints.parentOrigin);
  const ancestors = location.ancestorOrigins;
  if (ancestors && ancestors.length > 0) {
    const origin = toOrigin(ancestors[0]);
    if (origin) return origin;
  }
  const fromReferrer = toOrigin(document.referrer);
  if (fromReferrer && fromReferrer !== location.origin) return fromReferrer;
  return toOrigin(hints.merchantOrigin);
}

/**
 * @param {{ parentOrigin?: string, merchantOrigin?: string }} hints
 * @returns {{ framed: boolean, parentOrigin: string | null, post(type: string, payload?: object): void, watchHeight(): void }}
 */
export function connectToParent(hints = {}) {
  const framed = window.parent !== window;
  const parentOrigin = framed ? findParentOrigin(hints) : null;

  function post(type, payload = {}) {
    if (!framed || !parentOrigin) return;
    try {
      window.parent.postMessage({ source: SOURCE, type, payload }, parentOrigin);
    } catch (err) {
      console.warn('[clink] could not post to the merchant page', err);
    }
  }

  let lastHeight = 0;
  function measure() {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height >= 1 && height <= 20000 && height !== lastHeight) {
      lastHeight = height;
      post('resize', { height });
    }
  }

  function watchHeight() {
    if (!framed) return;
    measure();
    if (typeof ResizeObserver === 'function') {
      new ResizeObserver(measure).observe(document.documentElement);
    } else {
      window.addEventListener('resize', measure);
    }
  }

  if (framed) document.documentElement.classList.add('framed');
  return { framed, parentOrigin, post, watchHeight };
}
