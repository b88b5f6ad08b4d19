// Types of @clink-ai/clink-js/react: <ClinkProvider>, useClink(), <EmbeddedCheckout>, and the
// JSX entry for the <clink-checkout> element in React's JSX namespace.
import type { CSSProperties, DetailedHTMLProps, HTMLAttributes, ReactElement, ReactNode } from 'react';
import type { Clink, ClinkError, EmbeddedCheckoutOptions, LoadClinkOptions } from './index.js';
import type { ClinkCheckoutAttributes, ClinkCheckoutElement } from './element.js';

export interface ClinkProviderProps {
  publishableKey: string;
  /** loadClink's options. Compared field by field: an inline object does not load again. */
  options?: LoadClinkOptions;
  children?: ReactNode;
}

/** Calls `loadClink(publishableKey, options)` once per key and options, in the browser only. */
export declare function ClinkProvider(props: ClinkProviderProps): ReactElement;

export interface ClinkContextValue {
  /** The loaded Clink; `null` until loadClink resolved (and on the server). */
  clink: Clink | null;
  /** Why loadClink rejected; `null` otherwise. */
  error: ClinkError | null;
}

/** `{ clink, error }` of the nearest <ClinkProvider>. */
export declare function useClink(): ClinkContextValue;

export interface EmbeddedCheckoutProps extends EmbeddedCheckoutOptions {
  /** Put on the rendered `<div>`. */
  id?: string;
  className?: string;
  style?: CSSProperties;
}

/**
 * Renders one `<div>` and mounts an embedded checkout into it; `fetchSession` is called once per
 * component lifetime. Errors reach `onEvent` as `error` events.
 */
export declare function EmbeddedCheckout(props: EmbeddedCheckoutProps): ReactElement;

/** What `<clink-checkout>` accepts in React's JSX (React 19 sets `fetchSession` as a property). */
export type ClinkCheckoutJSXProps = DetailedHTMLProps<HTMLAttributes<ClinkCheckoutElement>, ClinkCheckoutElement> &
  ClinkCheckoutAttributes & {
    fetchSession?: ClinkCheckoutElement['fetchSession'];
    pollStatus?: ClinkCheckoutElement['pollStatus'];
  };

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'clink-checkout': ClinkCheckoutJSXProps;
    }
  }
}
