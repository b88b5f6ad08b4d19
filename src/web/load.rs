//! `loadClink` (README "loadClink"), the decisions: key check, option checks, host resolution, the
//! bootstrap URL, and judging the answer. The request itself (fetch, the 10 s deadline, sharing
//! identical calls) is effect plumbing done by `js/core.js`, which calls these in order.

use super::js::{self, classify, clink_error, options_object, JsObject};
use crate::bootstrap;
use crate::error::{Code, Failure};
use crate::host::{self, HostChoice};
use crate::key;
use crate::url;
use crate::value::{Object, Val};
use alloc::string::String;
use js_sys::Array;
use wasm_bindgen::prelude::*;

const BAD_OPTIONS: Failure = Failure::new(Code::InvalidCheckoutEnv, "loadClink options must be an object, for example { checkoutEnvironment: 'sandbox' }.");
const BAD_LOCALE: Failure = Failure::new(Code::InvalidCheckoutEnv, "locale must be a language tag string such as 'en-US'.");
const BAD_ORIGIN: Failure = Failure::new(Code::InvalidCheckoutEnv, "origin must be your site's origin as a string, such as 'https://shop.example'.");
const BAD_FETCH_IMPL: Failure = Failure::new(Code::InvalidCheckoutEnv, "fetchImpl must be a fetch-compatible function.");
pub const NO_FETCH: Failure = Failure::new(
    Code::BootstrapRequestFailed,
    "No fetch is available in this runtime. Pass fetchImpl, or checkoutBaseUrl to skip bootstrap.",
);

/// `plan(publishableKey, options, clinkEnv)` → `[false, checkoutBaseUrl]` (no request needed)
/// or `[true, bootstrapUrl, fetchImpl | undefined]`, or the `ClinkError`. The JavaScript
/// shell reads `CLINK_ENV`, because only a literal `process.env.CLINK_ENV` can be inlined by
/// bundlers.
pub fn plan(publishable_key: JsValue, options: JsValue, clink_env: JsValue) -> Result<Array, JsValue> {
    match decide(publishable_key, &options, clink_env).map_err(clink_error)? {
        Plan::Direct(base) => Ok(Array::of2(&JsValue::FALSE, &base.into())),
        Plan::Bootstrap(url, fetch_impl) => Ok(Array::of3(&JsValue::TRUE, &url.into(), &fetch_impl)),
    }
}

enum Plan {
    Direct(String),
    /// The request URL and `fetchImpl` (or `undefined` for the global fetch).
    Bootstrap(String, JsValue),
}

fn decide(publishable_key: JsValue, options: &JsValue, clink_env: JsValue) -> Result<Plan, Failure> {
    let publishable_key = match classify(publishable_key) {
        Val::Str(k) => k,
        _ => return Err(key::NOT_A_STRING),
    };
    let mode = key::parse_key(&publishable_key)?;
    let options = options_object(options, true).ok_or(BAD_OPTIONS)?;
    // Each option is read once: a getter runs once, and sees no second, different read.
    let view = JsObject(options.clone());
    let (locale, origin) = (view.get("locale"), view.get("origin"));
    let (base_url, environment) = (view.get("checkoutBaseUrl"), view.get("checkoutEnvironment"));
    if [&locale, &origin, &base_url, &environment].iter().any(|v| v.as_str().is_some_and(key::contains_secret)) {
        return Err(key::SECRET_IN_OPTION);
    }
    let locale = match locale {
        Val::Undefined => None,
        Val::Str(l) if bootstrap::is_locale(&l) => Some(l),
        _ => return Err(BAD_LOCALE),
    };
    let origin = match origin {
        Val::Undefined => None,
        Val::Str(o) if bootstrap::is_origin_override(&o) => Some(o),
        _ => return Err(BAD_ORIGIN),
    };
    let fetch_impl = js::optional_function(&options, "fetchImpl", BAD_FETCH_IMPL)?;
    let env = match host::resolve(&base_url, &environment, &classify(clink_env), mode)? {
        HostChoice::Direct(url) => return Ok(Plan::Direct(url)),
        HostChoice::Bootstrap(env) => env,
    };
    let origin = origin.or_else(page_origin);
    let url = bootstrap::request_url(env, &publishable_key, origin.as_deref(), locale.as_deref());
    Ok(Plan::Bootstrap(url, fetch_impl.unwrap_or(JsValue::UNDEFINED)))
}

/// `location.origin`, when there is a location (not in Node).
fn page_origin() -> Option<String> {
    js::global("location").and_then(|l| match JsObject(l).get("origin") {
        Val::Str(origin) => Some(origin),
        _ => None,
    })
}

/// The `ClinkError` unless `response` is a 2xx Response from the origin that was asked.
pub fn check_response(response: &JsValue, requested: &str) -> Result<(), JsValue> {
    judge_response(response, requested).map_err(clink_error)
}

fn judge_response(response: &JsValue, requested: &str) -> Result<(), Failure> {
    if !response.is_object() {
        return Err(bootstrap::NOT_A_RESPONSE);
    }
    let view = JsObject(response.clone());
    let status = match view.get("status") {
        // An HTTP status is a whole number.
        Val::Num(s) if (0.0..1000.0).contains(&s) && f64::from(s as u32) == s => s as u32,
        _ => return Err(bootstrap::NOT_A_RESPONSE),
    };
    if !(200..300).contains(&status) {
        return Err(bootstrap::status_failure(status));
    }
    // A redirect is followed by fetch; an answer from another origin is not trusted.
    if matches!(view.get("redirected"), Val::Bool(true)) {
        let same_origin = match (view.get("url").as_str().and_then(url::check), url::check(requested)) {
            (Some(a), Some(b)) => a.origin == b.origin,
            _ => false,
        };
        if !same_origin {
            return Err(bootstrap::REDIRECTED);
        }
    }
    Ok(())
}

/// The body text of the answer → `[checkoutBaseUrl, embeddedCheckoutEnabled]`, or the
/// `ClinkError` for anything else.
pub fn parse_answer(body: &JsValue) -> Result<Array, JsValue> {
    let answer = parse_body(body).map_err(clink_error)?;
    Ok(Array::of2(&answer.checkout_base_url.into(), &answer.embedded_checkout_enabled.into()))
}

fn parse_body(body: &JsValue) -> Result<bootstrap::Answer, Failure> {
    let text: &js_sys::JsString = wasm_bindgen::JsCast::dyn_ref(body).ok_or_else(|| bootstrap::invalid_answer("the body is not text"))?;
    if text.length() > bootstrap::MAX_ANSWER_CHARS {
        return Err(bootstrap::TOO_LARGE);
    }
    let json = js::json_parse(body).ok_or_else(|| bootstrap::invalid_answer("the body is not JSON"))?;
    bootstrap::parse_answer(&classify(json))
}

// The exports (see `js::answer`).

#[wasm_bindgen(js_name = plan)]
pub fn plan_export(publishable_key: JsValue, options: JsValue, clink_env: JsValue) -> JsValue {
    js::answer(plan(publishable_key, options, clink_env))
}

/// `undefined` when the response is acceptable, else the `ClinkError`.
#[wasm_bindgen(js_name = checkResponse)]
pub fn check_response_export(response: &JsValue, requested: &JsValue) -> JsValue {
    js::answer(check_response(response, &requested.as_string().unwrap_or_default()).map(|()| JsValue::UNDEFINED))
}

#[wasm_bindgen(js_name = parseAnswer)]
pub fn parse_answer_export(body: &JsValue) -> JsValue {
    js::answer(parse_answer(body))
}
