//! The failures that the JavaScript shell detects (a fetch that threw, no container, …). It
//! asks for them by number (`crate::boundary::shell_failure`), so that every code and message
//! stays in the wasm with the others.

use super::embedded::{ALREADY_MOUNTED, BAD_EVENT_TYPE, BAD_HANDLER, DESTROYED, NO_CONTAINER};
use super::js::{to_clink_error, NOT_IN_BROWSER_DOCUMENT, NOT_IN_BROWSER_LOCATION};
use super::load::NO_FETCH;
use super::redirect::NAVIGATION_BLOCKED;
use crate::bootstrap::{NETWORK_FAILED, NOT_A_RESPONSE, TIMED_OUT, TOO_LARGE};
use crate::boundary::shell_failure as n;
use crate::embedded::answers::{SESSION_REJECTED, SESSION_THREW};
use crate::error::Failure;
use wasm_bindgen::prelude::*;

/// The failures by number: each row names its number, and the compiler checks that it is the
/// row's index, so the order cannot drift from `crate::boundary`.
macro_rules! by_number {
    ($($number:path => $failure:expr),* $(,)?) => {{
        const NUMBERS: &[u32] = &[$($number),*];
        #[allow(clippy::indexing_slicing)] // evaluated by the compiler: a mismatch fails the build
        const _: () = {
            let mut i = 0;
            while i < NUMBERS.len() {
                assert!(NUMBERS[i] == i as u32, "a shell failure is not in its number's row");
                i += 1;
            }
        };
        [$($failure),*]
    }};
}

static SHELL_FAILURES: [Failure; n::ALL.len()] = by_number![
    n::NO_FETCH => NO_FETCH,
    n::NETWORK => NETWORK_FAILED,
    n::TIMEOUT => TIMED_OUT,
    n::NOT_A_RESPONSE => NOT_A_RESPONSE,
    n::NO_LOCATION => NOT_IN_BROWSER_LOCATION,
    n::NAVIGATION_BLOCKED => NAVIGATION_BLOCKED,
    n::SESSION_THREW => SESSION_THREW,
    n::SESSION_REJECTED => SESSION_REJECTED,
    n::NO_DOCUMENT => NOT_IN_BROWSER_DOCUMENT,
    n::DESTROYED => DESTROYED,
    n::ALREADY_MOUNTED => ALREADY_MOUNTED,
    n::NO_CONTAINER => NO_CONTAINER,
    n::BAD_EVENT_TYPE => BAD_EVENT_TYPE,
    n::BAD_HANDLER => BAD_HANDLER,
    n::ANSWER_TOO_LARGE => TOO_LARGE,
];

/// `fail(which, cause)` → the `ClinkError` for failure number `which` (`undefined` for an
/// unknown number).
#[wasm_bindgen]
pub fn fail(which: u32, cause: &JsValue) -> JsValue {
    SHELL_FAILURES.get(which as usize).map(|f| to_clink_error(f, cause)).unwrap_or(JsValue::UNDEFINED)
}
