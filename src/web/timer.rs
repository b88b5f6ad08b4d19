//! Timers owned like gloo's `Timeout`: the owner clears it on drop. No Rust closure is
//! involved: the timer calls a promise's `resolve` directly, so nothing can be invoked after
//! it was freed.

use super::js::{clear_timeout, set_timeout};
use js_sys::{Function, Promise};
use wasm_bindgen::JsValue;

/// A pending timer and the `resolve` of the promise it settles.
pub struct Wake {
    timer: JsValue,
    resolve: Function,
}

impl Wake {
    /// Stops the timer and settles its promise with `false` ("cancelled").
    pub fn cancel(self) {
        clear_timeout(&self.timer);
        let _ = self.resolve.call1(&JsValue::UNDEFINED, &JsValue::FALSE);
    }
}

/// A promise that resolves with `value` after `ms`, and the handle that can cancel it.
pub fn after(ms: i32, value: &JsValue) -> (Promise, Option<Wake>) {
    let mut wake = None;
    let promise = Promise::new(&mut |resolve: Function, _reject: Function| {
        let timer = set_timeout(&resolve, ms, value);
        wake = Some(Wake { timer, resolve });
    });
    (promise, wake)
}

/// Clears a timer when dropped (the bootstrap timeout, cleared whichever way the request ends).
pub struct TimerGuard(pub Option<Wake>);

impl Drop for TimerGuard {
    fn drop(&mut self) {
        if let Some(w) = self.0.take() {
            w.cancel();
        }
    }
}
