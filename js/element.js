// @clink-ai/clink-js/element: defines <clink-checkout>, an embedded checkout usable from plain
// HTML, Vue, Svelte and Angular without a wrapper, over the public API only (loadClink from the
// main entry). Importing it in Node (server rendering) defines nothing and throws nothing.
import { loadClink } from './index.js';

export const TAG_NAME = 'clink-checkout';

// Server rendering has no HTMLElement: the class then extends a plain class and is never defined.
const Base = typeof HTMLElement === 'function' ? HTMLElement : class {};

/** POSTs to the session-endpoint attribute's URL, which answers `{ sessionId, checkoutUrl, orderId? }`. */
async function postForSession(endpoint) {
  const response = await fetch(endpoint, { method: 'POST', headers: { accept: 'application/json' }, credentials: 'same-origin' });
  if (!response.ok) throw new Error(`session-endpoint ${endpoint} answered HTTP ${response.status}`);
  return response.json();
}

function errorDetail(error) {
  return {
    code: typeof error?.code === 'string' ? error.code : 'SESSION_ID_FETCH_FAILED',
    message: typeof error?.message === 'string' ? error.message : String(error),
  };
}

export class ClinkCheckoutElement extends Base {
  #fetchSession = null;
  #pollStatus = null;
  /** The one checkout session of this element: { instance, ended } once started. */
  #life = null;

  constructor() {
    super();
    // A property set on the element before this class upgraded it is an own property that
    // would hide the accessor: take it over.
    for (const name of ['fetchSession', 'pollStatus']) {
      if (Object.hasOwn(this, name)) {
        const value = this[name];
        delete this[name];
        this[name] = value;
      }
    }
  }

  /** Creates the checkout session; used instead of the session-endpoint attribute when set. */
  get fetchSession() {
    return this.#fetchSession;
  }
  set fetchSession(value) {
    this.#fetchSession = typeof value === 'function' ? value : null;
  }
  /** Optional status polling, as initEmbeddedCheckout's pollStatus. Read when the session starts. */
  get pollStatus() {
    return this.#pollStatus;
  }
  set pollStatus(value) {
    this.#pollStatus = typeof value === 'function' ? value : null;
  }

  connectedCallback() {
    // Inline by default, which would leave the full-width iframe in a line box; the merchant's
    // own CSS wins (only the computed default is changed).
    if (getComputedStyle(this).display === 'inline') this.style.display = 'block';
    if (!this.#life) this.#start();
    else this.#mount();
  }

  disconnectedCallback() {
    // Unmount only: the element may be moving (disconnect then connect) and keeps its session.
    this.#life?.instance?.unmount();
  }

  /** Ends the session: the iframe, listeners and polling go, and the element stays empty. */
  destroy() {
    const life = this.#life ?? (this.#life = { instance: null, ended: true });
    life.ended = true;
    life.instance?.destroy();
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(`clink:${type}`, { detail, bubbles: true, composed: true }));
  }

  #mount() {
    const instance = this.#life.instance;
    if (!instance || !this.isConnected) return;
    const state = instance.getState();
    if (state.mounted || state.destroyed) return;
    try {
      instance.mount(this);
    } catch (error) {
      this.#emit('error', errorDetail(error));
    }
  }

  #start() {
    const life = (this.#life = { instance: null, ended: false });
    // Started one microtask later, so that properties set right after the element was created
    // or connected (frameworks, a script after the tag) are seen.
    queueMicrotask(async () => {
      if (life.ended) return;
      const attr = (name) => this.getAttribute(name) ?? undefined;
      try {
        const options = {};
        for (const [name, option] of [['checkout-environment', 'checkoutEnvironment'], ['checkout-base-url', 'checkoutBaseUrl'], ['locale', 'locale']]) {
          if (this.hasAttribute(name)) options[option] = attr(name);
        }
        const clink = await loadClink(attr('publishable-key'), options);
        if (life.ended) return;
        const init = {
          fetchSession: () => {
            if (this.#fetchSession) return this.#fetchSession();
            const endpoint = attr('session-endpoint');
            if (!endpoint) throw new Error('<clink-checkout> needs a session-endpoint attribute or a fetchSession property');
            return postForSession(endpoint);
          },
          onEvent: (event) => this.#emit(event.type, event.payload),
        };
        if (this.#pollStatus) init.pollStatus = this.#pollStatus;
        const instance = await clink.initEmbeddedCheckout(init);
        if (life.ended) return instance.destroy();
        life.instance = instance;
        this.#mount();
      } catch (error) {
        if (!life.ended) this.#emit('error', errorDetail(error));
      }
    });
  }
}

// A second import, or a second copy of this file, finds the tag taken and leaves it alone.
if (typeof customElements !== 'undefined' && !customElements.get(TAG_NAME)) customElements.define(TAG_NAME, ClinkCheckoutElement);
