// Option names the SDK does not know (docs/errors.md, "Warnings"): `checkoutEnv` for
// `checkoutEnvironment` would be ignored in silence and show up later as a network error. Never a
// failure, since code written for Clink's SDK may pass more options: one console.warn per name,
// naming the nearest option the SDK knows. Here rather than in the wasm: the same in Rust cost
// ~780 B gzip of the default entry, this ~320 B (gzip of pkg/index.js with and without it).

/** loadClink's options (docs/api.md; tests check them against js/index.d.ts). */
export const LOAD_OPTIONS = ['checkoutEnvironment', 'checkoutBaseUrl', 'locale', 'origin', 'fetchImpl'];
/** initEmbeddedCheckout's options. */
export const EMBEDDED_OPTIONS = ['fetchSession', 'onEvent', 'autoResize', 'autoDestroyOnComplete', 'pollStatus', 'pollIntervalMs'];

/** Warnings given so far: each once per page. */
const warned = new Set();

/**
 * The known name in which most of `name`, read from its start, appears in order (ignoring
 * case), when that is at least half of `name`; the first such name on a tie
 * (`checkoutEnv` → `checkoutEnvironment`, `baseUrl` → `checkoutBaseUrl`).
 */
export function nearest(name, known) {
  const wanted = name.toLowerCase();
  let best;
  let most = Math.max(0, (wanted.length - 1) / 2);
  for (const k of known) {
    let found = 0;
    for (const c of k.toLowerCase()) if (c === wanted[found]) found++;
    if (found > most) (best = k), (most = found);
  }
  return best;
}

/** Warns once about each own enumerable option of `options` not in `known`. A name that looks
 *  like a secret key is not repeated (console output ends up in error trackers). */
export function warnUnknownOptions(call, options, known) {
  try {
    for (const name of Object.keys(options)) {
      const text = `[clink] ${call}: unknown option '${name}' is ignored`;
      if (known.includes(name) || warned.has(text) || /sk_/i.test(name)) continue;
      warned.add(text);
      const guess = nearest(name, known);
      console.warn(guess ? `${text}; did you mean '${guess}'?` : text + '.');
    }
  } catch {}
}
