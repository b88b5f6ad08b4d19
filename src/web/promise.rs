//! Promise plumbing without `wasm-bindgen-futures` (whose async machinery and panic paths
//! cost several KB of wasm): a continuation runs once when a value settles, and `deferred`
//! creates a promise with its resolve/reject functions.

use alloc::boxed::Box;
use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(module = "/js/interop.js")]
extern "C" {
    fn settle(value: &JsValue, callback: JsValue);
}

/// Runs `then` once `value` (a promise, thenable or plain value) settles. The callback is
/// owned by the pending promise: it is freed when it runs, like a `JsFuture`'s.
pub fn when_settled(value: &JsValue, then: impl FnOnce(Result<JsValue, JsValue>) + 'static) {
    settle_boxed(value, Box::new(then));
}

/// One closure type for every continuation: each distinct closure type given to
/// `Closure::once_into_js` gets its own copy of wasm-bindgen's wrapper code.
fn settle_boxed(value: &JsValue, then: Box<dyn FnOnce(Result<JsValue, JsValue>)>) {
    let callback = Closure::once_into_js(move |ok: bool, v: JsValue| then(if ok { Ok(v) } else { Err(v) }));
    settle(value, callback);
}

/// A new promise and the functions that settle it.
pub struct Deferred {
    pub promise: Promise,
    resolve: Function,
    reject: Function,
}

impl Default for Deferred {
    fn default() -> Deferred {
        Deferred::new()
    }
}

impl Deferred {
    pub fn new() -> Deferred {
        let mut fns = None;
        let promise = Promise::new(&mut |resolve, reject| fns = Some((resolve, reject)));
        // The executor runs synchronously, so `fns` is always set; fall back to no-ops anyway.
        let (resolve, reject) = fns.unwrap_or_else(|| (JsValue::UNDEFINED.unchecked_into(), JsValue::UNDEFINED.unchecked_into()));
        Deferred { promise, resolve, reject }
    }

    pub fn settle(&self, result: Result<JsValue, JsValue>) {
        let _ = match result {
            Ok(v) => self.resolve.call1(&JsValue::UNDEFINED, &v),
            Err(e) => self.reject.call1(&JsValue::UNDEFINED, &e),
        };
    }
}
