//! The failures that the JavaScript shell detects (a fetch that threw, no container, …). It
//! asks for them by number, so that every code and message stays in the wasm with the others.
//! The numbers are `F` in `js/core.js`.

use super::embedded::{ALREADY_MOUNTED, BAD_EVENT_TYPE, BAD_HANDLER, DESTROYED, NO_CONTAINER};
use super::js::{to_clink_error, NOT_IN_BROWSER_DOCUMENT, NOT_IN_BROWSER_LOCATION};
use super::load::NO_FETCH;
use super::redirect::NAVIGATION_BLOCKED;
use crate::bootstrap;
use crate::embedded::answers::session_fetch_failed;
use crate::error::Failure;
use wasm_bindgen::prelude::*;

fn failure(which: u32) -> Option<Failure> {
    Some(match which {
        0 => NO_FETCH,
        1 => bootstrap::network_failure(),
        2 => bootstrap::timeout_failure(),
        3 => bootstrap::not_a_response(),
        4 => NOT_IN_BROWSER_LOCATION,
        5 => NAVIGATION_BLOCKED,
        6 => session_fetch_failed("it threw"),
        7 => session_fetch_failed("it rejected"),
        8 => NOT_IN_BROWSER_DOCUMENT,
        9 => DESTROYED,
        10 => ALREADY_MOUNTED,
        11 => NO_CONTAINER,
        12 => BAD_EVENT_TYPE,
        13 => BAD_HANDLER,
        _ => return None,
    })
}

/// `fail(which, cause)` → the `ClinkError` for failure number `which` (`undefined` for an
/// unknown number).
#[wasm_bindgen]
pub fn fail(which: u32, cause: &JsValue) -> JsValue {
    failure(which).map(|f| to_clink_error(f, cause)).unwrap_or(JsValue::UNDEFINED)
}
