//! The wasm-bindgen surface: decisions over JavaScript values. `js/core.js` does the effects
//! (fetch, timers, the iframe and its listeners, calling handlers) and asks these for every
//! decision: what a value means, whether it is acceptable, what to emit.

pub mod embedded;
pub mod fail;
pub mod js;
pub mod load;
pub mod redirect;
