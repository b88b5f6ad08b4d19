//! `redirectToCheckout` (README "redirectToCheckout"), the decisions: validate and build `/pay/{param}`. The
//! navigation itself (`location.assign`/`replace`) is done by `js/core.js`.

use super::js::{self, clink_error, options_object, JsObject, NOT_IN_BROWSER_LOCATION};
use crate::error::{Code, Failure};
use crate::session::{pay_url, redirect_target, BAD_PARAMS, BAD_REPLACE};
use crate::value::{Object, Val};
use js_sys::Array;
use wasm_bindgen::prelude::*;

pub const NAVIGATION_BLOCKED: Failure = Failure::new(
    Code::NotInBrowser,
    "The browser refused to navigate to Clink's checkout (a sandboxed iframe without allow-top-navigation?). Open checkout from the top-level page.",
);

/// `redirect(checkoutBaseUrl, params)` → `[url, replace]`, or the `ClinkError`.
pub fn redirect(checkout_base_url: &str, params: &JsValue) -> Result<Array, JsValue> {
    decide(checkout_base_url, params).map_err(clink_error)
}

fn decide(checkout_base_url: &str, params: &JsValue) -> Result<Array, Failure> {
    js::global("location").ok_or(NOT_IN_BROWSER_LOCATION)?;
    let params = JsObject(options_object(params, false).ok_or(BAD_PARAMS)?);
    let target = redirect_target(&params.get("sessionParam"), &params.get("sessionId"))?;
    let replace = match params.get("replace") {
        Val::Undefined => false,
        Val::Bool(b) => b,
        _ => return Err(BAD_REPLACE),
    };
    Ok(Array::of2(&pay_url(checkout_base_url, &target).into(), &replace.into()))
}

#[wasm_bindgen(js_name = redirect)]
pub fn redirect_export(checkout_base_url: &JsValue, params: &JsValue) -> JsValue {
    js::answer(redirect(&checkout_base_url.as_string().unwrap_or_default(), params))
}
