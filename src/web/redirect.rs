//! `redirectToCheckout` (SPEC §3): validate, build `/pay/{param}`, navigate.

use super::js::{self, clink_error, options_object, JsObject, NOT_IN_BROWSER_LOCATION};
use crate::error::{Code, Failure};
use crate::session::{pay_url, redirect_target, BAD_PARAMS, BAD_REPLACE};
use crate::value::{Object, Val};
use js_sys::Function;
use wasm_bindgen::{JsCast, JsValue};

const NAVIGATION_BLOCKED: Failure = Failure::new(
    Code::NotInBrowser,
    "The browser refused to navigate to Clink's checkout (a sandboxed iframe without allow-top-navigation?). Open checkout from the top-level page.",
);

pub fn redirect(checkout_base_url: &str, params: &JsValue) -> Result<(), JsValue> {
    let location = js::global("location").ok_or_else(|| clink_error(NOT_IN_BROWSER_LOCATION))?;
    let params = options_object(params, false).ok_or_else(|| clink_error(BAD_PARAMS))?;
    let params = JsObject(params);
    let target = redirect_target(&params.get("sessionParam"), &params.get("sessionId")).map_err(clink_error)?;
    let replace = match params.get("replace") {
        Val::Undefined => false,
        Val::Bool(b) => b,
        _ => return Err(clink_error(BAD_REPLACE)),
    };
    let url = JsValue::from(pay_url(checkout_base_url, &target));
    let method = js::get(&location, if replace { "replace" } else { "assign" })
        .and_then(|m| m.dyn_into::<Function>().ok())
        .ok_or_else(|| clink_error(NOT_IN_BROWSER_LOCATION))?;
    method.call1(&location, &url).map(|_| ()).map_err(|e| js::to_clink_error(NAVIGATION_BLOCKED, &e))
}
