//! `loadClink` (SPEC §2): key check, host resolution, and the bootstrap request, shared by
//! concurrent and repeated identical calls. A failed request is forgotten so the next call
//! retries.

use super::cell::Access;
use super::js::{self, classify, clink_error, get, options_object, reject, to_clink_error, JsObject};
use super::promise::{when_settled, Deferred};
use super::timer::{after, TimerGuard};
use crate::bootstrap::{self, Answer};
use crate::error::{Code, Failure};
use crate::host::{self, HostChoice};
use crate::key;
use crate::url;
use crate::value::{Object, Val};
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::{Cell, RefCell};
use js_sys::{Array, Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The resolved SDK object (wrapped by `js/core.js` as the public `Clink`).
#[wasm_bindgen]
pub struct Clink {
    checkout_base_url: String,
    embedded_checkout_enabled: bool,
}

#[wasm_bindgen]
impl Clink {
    #[wasm_bindgen(getter = checkoutBaseUrl)]
    pub fn checkout_base_url(&self) -> JsValue {
        JsValue::from_str(&self.checkout_base_url)
    }

    #[wasm_bindgen(js_name = redirectToCheckout)]
    pub fn redirect_to_checkout(&self, params: JsValue) -> Result<(), JsValue> {
        super::redirect::redirect(&self.checkout_base_url, &params)
    }

    #[wasm_bindgen(js_name = initEmbeddedCheckout)]
    pub fn init_embedded_checkout(&self, options: JsValue) -> Promise {
        super::embedded::init(self.embedded_checkout_enabled, options)
    }
}

const BAD_OPTIONS: Failure = Failure::new(Code::InvalidCheckoutEnv, "loadClink options must be an object, for example { checkoutEnvironment: 'sandbox' }.");
const BAD_LOCALE: Failure = Failure::new(Code::InvalidCheckoutEnv, "locale must be a language tag string such as 'en-US'.");
const BAD_ORIGIN: Failure = Failure::new(Code::InvalidCheckoutEnv, "origin must be your site's origin as a string, such as 'https://shop.example'.");
const BAD_FETCH_IMPL: Failure = Failure::new(Code::InvalidCheckoutEnv, "fetchImpl must be a fetch-compatible function.");
const NO_FETCH: Failure = Failure::new(
    Code::BootstrapRequestFailed,
    "No fetch is available in this runtime. Pass fetchImpl, or checkoutBaseUrl to skip bootstrap.",
);

/// `load(publishableKey, options, clinkEnv)`: the JavaScript shell reads `CLINK_ENV`, because
/// only literal `process.env.CLINK_ENV` in JavaScript can be inlined by bundlers.
#[wasm_bindgen]
pub fn load(publishable_key: JsValue, options: JsValue, clink_env: JsValue) -> Promise {
    match plan(publishable_key, &options, clink_env) {
        Err(f) => reject(f),
        Ok(Plan::Direct(checkout_base_url)) => Promise::resolve(&JsValue::from(Clink { checkout_base_url, embedded_checkout_enabled: true })),
        Ok(Plan::Bootstrap(request)) => shared(request),
    }
}

enum Plan {
    Direct(String),
    Bootstrap(Request),
}

struct Request {
    url: String,
    /// `fetchImpl`, or `undefined` for the global fetch: part of the sharing key.
    fetch_impl: JsValue,
}

fn plan(publishable_key: JsValue, options: &JsValue, clink_env: JsValue) -> Result<Plan, Failure> {
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
    Ok(Plan::Bootstrap(Request { url, fetch_impl: fetch_impl.map(JsValue::from).unwrap_or(JsValue::UNDEFINED) }))
}

/// `location.origin`, when there is a location (not in Node).
fn page_origin() -> Option<String> {
    js::global("location").and_then(|l| get(&l, "origin")).and_then(|o| o.as_string())
}

struct Entry {
    id: u32,
    url: String,
    fetch_impl: JsValue,
    promise: Promise,
}

/// Module-wide state. wasm32 without atomics is single-threaded, so sharing is sound.
struct Shared {
    entries: RefCell<Vec<Entry>>,
    next_id: Cell<u32>,
}
unsafe impl Sync for Shared {}
static SHARED: Shared = Shared { entries: RefCell::new(Vec::new()), next_id: Cell::new(0) };
/// Distinct (key, host, locale, origin, fetchImpl) combinations remembered; the oldest goes first.
const MAX_ENTRIES: usize = 16;

fn shared(request: Request) -> Promise {
    let existing = SHARED.entries.read(|entries| {
        entries.iter().find(|e| e.url == request.url && js_sys::Object::is(&e.fetch_impl, &request.fetch_impl)).map(|e| e.promise.clone())
    });
    if let Some(promise) = existing.flatten() {
        return promise;
    }
    let id = SHARED.next_id.get().wrapping_add(1);
    SHARED.next_id.set(id);
    let deferred = Deferred::new();
    let promise = deferred.promise.clone();
    SHARED.entries.write(|entries| {
        if entries.len() >= MAX_ENTRIES {
            let oldest = entries.first().map(|e| e.id);
            entries.retain(|e| Some(e.id) != oldest);
        }
        entries.push(Entry { id, url: request.url.clone(), fetch_impl: request.fetch_impl.clone(), promise: promise.clone() });
    });
    run(
        request,
        Box::new(move |result: Result<JsValue, JsValue>| {
            if result.is_err() {
                SHARED.entries.write(|entries| entries.retain(|e| e.id != id));
            }
            deferred.settle(result);
        }),
    );
    promise
}

type Done = Box<dyn FnOnce(Result<JsValue, JsValue>)>;

/// One bootstrap request in flight: everything its steps need, owned until it ends. Dropping
/// it clears the 10 s timer whichever way the request ended.
struct InFlight {
    url: String,
    controller: Option<web_sys::AbortController>,
    /// What the deadline promise resolves with, to tell a timeout from an answer.
    marker: JsValue,
    deadline: Promise,
    _timer: TimerGuard,
    done: Done,
}

impl InFlight {
    fn fail(self, f: Failure, cause: &JsValue) {
        (self.done)(Err(to_clink_error(f, cause)));
    }

    /// Races `value` against the deadline, then continues with `next` (or fails on timeout).
    fn race(self, value: &JsValue, next: impl FnOnce(InFlight, JsValue) + 'static) {
        let raced = Promise::race(&Array::of2(&Promise::resolve(value), &self.deadline));
        when_settled(&raced, move |result| match result {
            Err(e) => self.fail(bootstrap::network_failure(), &e),
            Ok(v) if js_sys::Object::is(&v, &self.marker) => {
                if let Some(c) = &self.controller {
                    c.abort();
                }
                self.fail(bootstrap::timeout_failure(), &JsValue::UNDEFINED);
            }
            Ok(v) => next(self, v),
        });
    }
}

/// One bootstrap request, under one 10 s timeout for the response and its body.
fn run(request: Request, done: Done) {
    let fetch = match request.fetch_impl.dyn_ref::<Function>() {
        Some(f) => Some(f.clone()),
        None => js::global("fetch").and_then(|f| f.dyn_into::<Function>().ok()),
    };
    let Some(fetch) = fetch else {
        return done(Err(clink_error(NO_FETCH)));
    };
    let controller = web_sys::AbortController::new().ok();
    let init = js_sys::Object::new();
    js::set(&init, "credentials", &JsValue::from_str("omit"));
    if let Some(c) = &controller {
        js::set(&init, "signal", &c.signal());
    }
    let marker: JsValue = js_sys::Object::new().into();
    let (deadline, wake) = after(bootstrap::TIMEOUT_MS, &marker);
    let flight = InFlight { url: request.url, controller, marker, deadline, _timer: TimerGuard(wake), done };
    let started = match fetch.call2(&JsValue::UNDEFINED, &JsValue::from_str(&flight.url), &init) {
        Ok(p) => p,
        Err(e) => return flight.fail(bootstrap::network_failure(), &e),
    };
    flight.race(&started, |flight, response| {
        if let Err(f) = check_response(&response, &flight.url) {
            return flight.fail(f, &JsValue::UNDEFINED);
        }
        let body = get(&response, "text").and_then(|t| t.dyn_into::<Function>().ok()).map(|text| text.call0(&response));
        match body {
            None => flight.fail(bootstrap::not_a_response(), &JsValue::UNDEFINED),
            Some(Err(e)) => flight.fail(bootstrap::network_failure(), &e),
            Some(Ok(body)) => flight.race(&body, |flight, body| {
                let result = parse_body(&body)
                    .map(|a| Clink { checkout_base_url: a.checkout_base_url, embedded_checkout_enabled: a.embedded_checkout_enabled }.into())
                    .map_err(clink_error);
                (flight.done)(result);
            }),
        }
    });
}

fn check_response(response: &JsValue, requested: &str) -> Result<(), Failure> {
    if !response.is_object() {
        return Err(bootstrap::not_a_response());
    }
    let view = JsObject(response.clone());
    let status = match view.get("status") {
        Val::Num(s) if (0.0..1000.0).contains(&s) => s as u32,
        _ => return Err(bootstrap::not_a_response()),
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
            return Err(bootstrap::redirected_failure());
        }
    }
    Ok(())
}

fn parse_body(body: &JsValue) -> Result<Answer, Failure> {
    let text: &js_sys::JsString = body.dyn_ref().ok_or_else(|| bootstrap::invalid_answer("the body is not text"))?;
    if text.length() > bootstrap::MAX_ANSWER_CHARS {
        return Err(bootstrap::invalid_answer("the body is too large"));
    }
    let json = js::json_parse(text).map_err(|_| bootstrap::invalid_answer("the body is not JSON"))?;
    bootstrap::parse_answer(&classify(json))
}

