//! The failures that the JavaScript shell detects (a fetch that threw, no container, …). It
//! asks for them by number, so that every code and message stays in the wasm with the others.
//! The numbers are `NO_FETCH`… in `js/numbers.js`.

use super::embedded::{ALREADY_MOUNTED, BAD_EVENT_TYPE, BAD_HANDLER, DESTROYED, NO_CONTAINER};
use super::js::{to_clink_error, NOT_IN_BROWSER_DOCUMENT, NOT_IN_BROWSER_LOCATION};
use super::load::NO_FETCH;
use super::redirect::NAVIGATION_BLOCKED;
use crate::bootstrap::{NETWORK_FAILED, NOT_A_RESPONSE, TIMED_OUT, TOO_LARGE};
use crate::embedded::answers::{SESSION_REJECTED, SESSION_THREW};
use crate::error::Failure;
use wasm_bindgen::prelude::*;

static SHELL_FAILURES: [Failure; 15] = [
    NO_FETCH,
    NETWORK_FAILED,
    TIMED_OUT,
    NOT_A_RESPONSE,
    NOT_IN_BROWSER_LOCATION,
    NAVIGATION_BLOCKED,
    SESSION_THREW,
    SESSION_REJECTED,
    NOT_IN_BROWSER_DOCUMENT,
    DESTROYED,
    ALREADY_MOUNTED,
    NO_CONTAINER,
    BAD_EVENT_TYPE,
    BAD_HANDLER,
    TOO_LARGE,
];

/// `fail(which, cause)` → the `ClinkError` for failure number `which` (`undefined` for an
/// unknown number).
#[wasm_bindgen]
pub fn fail(which: u32, cause: &JsValue) -> JsValue {
    SHELL_FAILURES.get(which as usize).map(|f| to_clink_error(f, cause)).unwrap_or(JsValue::UNDEFINED)
}
