//! Browser tests of the decision layer (`wasm-pack test --headless --chrome -- --features std`):
//! every wasm export that `js/core.js` asks, called directly with real browser values (real
//! `Response` objects, throwing getters, Proxies with throwing traps, revoked Proxies, frozen
//! and cyclic objects, Symbols, BigInts, over-long strings, Dates and Maps). The effects
//! (fetch and its 10 s deadline, sharing requests, location, the iframe, listeners, the poll
//! timer, calling handlers) are covered end to end by tests/e2e.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use clink_js::web::{embedded, fail::fail, load, redirect};
use js_sys::{Array, Object, Reflect};
use std::collections::HashSet;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
const trap = () => { throw new Error('trap'); };
/** Every trap throws, getPrototypeOf included. */
const hostile = () => new Proxy({}, { get: trap, has: trap, ownKeys: trap, getOwnPropertyDescriptor: trap, getPrototypeOf: trap, set: trap, defineProperty: trap });
/** A plain-looking object whose property reads throw. */
const getTrap = (target = {}) => new Proxy(target, { get: trap });
/** Reads work, listing the keys throws. */
const keysTrap = (target) => new Proxy(target, { ownKeys: trap });
const revoked = () => { const r = Proxy.revocable({}, {}); r.revoke(); return r.proxy; };
const boom = () => { throw new Error('boom'); };
/** An object whose getters count their reads: `[object, reads]`. */
const counted = (values) => {
  const reads = {};
  const o = {};
  for (const k of Object.keys(values)) {
    reads[k] = 0;
    Object.defineProperty(o, k, { enumerable: true, get() { reads[k]++; return values[k]; } });
  }
  return [o, reads];
};
/** A fetchImpl that counts its calls (in `.calls`); nothing here may call it. */
const spy = () => { const f = () => { f.calls++; return Promise.reject(new Error('called')); }; f.calls = 0; return f; };

/** Builds a value from a JavaScript expression (test-only; the SDK itself never evals). `$` is
 *  an optional argument the expression can use. */
export function ev(src, $) {
  return new Function('hostile', 'getTrap', 'keysTrap', 'revoked', 'boom', 'counted', 'spy', '$', `"use strict"; return (${src});`)(
    hostile, getTrap, keysTrap, revoked, boom, counted, spy, $);
}

/** JSON with markers for what JSON hides: undefined, functions, symbols, bigints, and objects
 *  that are not plain (prototype other than Object.prototype). */
export function show(v) {
  return JSON.stringify(v, (key, x) => {
    if (x === undefined) return '<undefined>';
    if (typeof x === 'function') return '<function>';
    if (typeof x === 'symbol' || typeof x === 'bigint') return '<' + typeof x + '>';
    if (x !== null && typeof x === 'object' && !Array.isArray(x) && Object.getPrototypeOf(x) !== Object.prototype) return '<not plain>';
    return x;
  });
}

export function errorInfo(e) {
  const o = e !== null && typeof e === 'object';
  return [String(o && e.name), String(o && e.code), String(o && e.message), e instanceof Error, o && e.constructor ? String(e.constructor.name) : '', o && 'cause' in e];
}
/** `v instanceof` the class of `reference` (a ClinkError from `fail`): how js/core.js tells an
 *  answer from a failure. */
export function isInstance(v, reference) { return v instanceof reference.constructor; }
/** `v.a.b.c` for the path `"a.b.c"`. */
export function at(v, path) { for (const k of path.split('.')) v = v == null ? undefined : v[k]; return v; }
export function keys(v) { return Object.keys(v).join(','); }
export function urlOrigin(u) { return new URL(u).origin; }
export function responseText(r) { return r.text(); }
"#)]
extern "C" {
    #[wasm_bindgen(js_name = ev)]
    fn ev_with(src: &str, arg: &JsValue) -> JsValue;
    fn show(v: &JsValue) -> String;
    #[wasm_bindgen(js_name = errorInfo)]
    fn error_info(e: &JsValue) -> Array;
    #[wasm_bindgen(js_name = isInstance)]
    fn is_instance(v: &JsValue, reference: &JsValue) -> bool;
    fn at(v: &JsValue, path: &str) -> JsValue;
    fn keys(v: &JsValue) -> String;
    #[wasm_bindgen(js_name = urlOrigin)]
    fn url_origin(u: &str) -> String;
    #[wasm_bindgen(js_name = responseText)]
    fn response_text(r: &JsValue) -> js_sys::Promise;
}

fn ev(src: &str) -> JsValue {
    ev_with(src, &JsValue::UNDEFINED)
}

// ---------------------------------------------------------------------------------------------
// The exports as `js/core.js` sees them: each returns its answer or a ClinkError (which the
// shell throws). These adapters turn that into a Result.

/// A ClinkError, the way `check()` in js/core.js recognises one.
fn is_clink_error(v: &JsValue) -> bool {
    is_instance(v, &fail(0, &JsValue::UNDEFINED))
}

fn answer(v: JsValue) -> Result<JsValue, JsValue> {
    if is_clink_error(&v) {
        Err(v)
    } else {
        Ok(v)
    }
}

fn plan(key: &JsValue, options: &JsValue, clink_env: &JsValue) -> Result<JsValue, JsValue> {
    answer(load::plan_export(key.clone(), options.clone(), clink_env.clone()))
}

/// `plan` with every argument written as a JavaScript expression.
fn plan_src(key: &str, options: &str, clink_env: &str) -> Result<JsValue, JsValue> {
    plan(&ev(key), &ev(options), &ev(clink_env))
}

fn check_response(response: &JsValue, requested: &str) -> Result<JsValue, JsValue> {
    answer(load::check_response_export(response, &requested.into()))
}

fn parse_answer(body: &JsValue) -> Result<JsValue, JsValue> {
    answer(load::parse_answer_export(body))
}

fn redirect(base: &str, params: &JsValue) -> Result<JsValue, JsValue> {
    answer(redirect::redirect_export(&base.into(), params))
}

fn embedded_options(enabled: bool, options: &JsValue) -> Result<JsValue, JsValue> {
    answer(embedded::embedded_options_export(enabled, options))
}

fn parse_session(value: &JsValue) -> Result<JsValue, JsValue> {
    answer(embedded::parse_session_export(value.clone()))
}

use clink_js::boundary::step_input::{BEGIN, LOADED, MESSAGE, POLL_ANSWER, POLL_FAILED};
use clink_js::boundary::step_op;

/// One embedded instance as js/core.js drives it: the packed state from `embeddedOptions`,
/// then each `step`'s next state, `done` and current state name.

struct Instance {
    state: u32,
    done: bool,
    name: Option<String>,
}

impl Instance {
    /// `options`: extra embedded options, as JavaScript object members (`"autoResize: false"`).
    fn new(options: &str) -> Instance {
        let all: Array = embedded_options(true, &ev(&format!("({{ fetchSession: async () => null, {options} }})"))).unwrap().unchecked_into();
        assert_eq!(all.length(), 5, "{}", show(&all));
        Instance { state: packed(&all.get(4)), done: false, name: None }
    }

    /// The todo list of one step, after checking and keeping `[nextState, done, name]`.
    fn step(&mut self, input: u32, data: &JsValue) -> Array {
        let out = embedded::step(self.state, input, data.clone());
        assert!(out.length() >= 3, "{}", show(&out));
        self.state = packed(&out.get(0));
        self.done = out.get(1).as_bool().expect("done is a boolean");
        let name = out.get(2);
        assert!(name.is_null() || name.is_string(), "state name {}", show(&name));
        self.name = name.as_string();
        // Flat `op, arg` pairs; shown here as `[name, arg]` so the expectations read well.
        assert_eq!((out.length() - 3) % 2, 0, "{}", show(&out));
        let todo = Array::new();
        for k in (3..out.length()).step_by(2) {
            let op = out.get(k).as_f64().expect("an op is a number");
            let (name, _) = step_op::ALL.get(op as usize).unwrap_or_else(|| panic!("unknown op {op}"));
            todo.push(&Array::of2(&JsValue::from_str(&name.to_ascii_lowercase()), &out.get(k + 1)));
        }
        todo
    }

    fn begin(&mut self) -> String {
        show(&self.step(BEGIN, &JsValue::UNDEFINED))
    }

    fn loaded(&mut self) -> String {
        show(&self.step(LOADED, &JsValue::UNDEFINED))
    }

    /// A frame message with data written as a JavaScript expression.
    fn message(&mut self, data: &str) -> String {
        show(&self.step(MESSAGE, &ev(data)))
    }

    /// A well-formed `{ source: 'clink-checkout', type, payload }` frame message.
    fn frame(&mut self, kind: &str, payload: &str) -> String {
        self.message(&frame_data(kind, payload))
    }

    fn poll(&mut self, answer: &str) -> String {
        show(&self.step(POLL_ANSWER, &ev(answer)))
    }

    fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
}

fn frame_data(kind: &str, payload: &str) -> String {
    format!("({{ source: 'clink-checkout', type: '{kind}', payload: {payload} }})")
}

/// The instance state: a number that is a u32 (JavaScript keeps it and passes it back).
fn packed(v: &JsValue) -> u32 {
    let n = v.as_f64().expect("the instance state is a number");
    assert!(n >= 0.0 && n <= f64::from(u32::MAX) && n.fract() == 0.0, "{n}");
    n as u32
}

// ---------------------------------------------------------------------------------------------
// Checking failures.

/// Checks that `e` is a real ClinkError (name, an Error, the one ClinkError class, a message
/// that says something) and returns its code and message.
fn clink_error(e: &JsValue) -> (String, String) {
    let info = error_info(e);
    assert_eq!(info.get(0).as_string().as_deref(), Some("ClinkError"), "name of {}", show(e));
    assert_eq!(info.get(3).as_bool(), Some(true), "a ClinkError is an Error");
    assert_eq!(info.get(4).as_string().as_deref(), Some("ClinkError"), "constructor");
    assert!(is_clink_error(e), "one ClinkError class for every failure");
    let message = info.get(2).as_string().unwrap();
    assert!(message.len() > 20, "a message that says what to do: {message:?}");
    (info.get(1).as_string().unwrap(), message)
}

fn failure(r: Result<JsValue, JsValue>) -> (String, String) {
    match r {
        Ok(v) => panic!("expected a ClinkError, got {}", show(&v)),
        Err(e) => clink_error(&e),
    }
}

fn code(r: Result<JsValue, JsValue>) -> String {
    failure(r).0
}

fn ok(r: Result<JsValue, JsValue>) -> JsValue {
    match r {
        Ok(v) => v,
        Err(e) => panic!("expected an answer, got {:?}", failure(Err(e))),
    }
}

fn shown(r: Result<JsValue, JsValue>) -> String {
    show(&ok(r))
}

fn same(a: &JsValue, b: &JsValue) -> bool {
    Object::is(a, b)
}

fn calls(spy: &JsValue) -> f64 {
    Reflect::get(spy, &"calls".into()).unwrap().as_f64().unwrap()
}

fn page_origin() -> String {
    web_sys::window().unwrap().location().origin().unwrap()
}

fn encoded(s: &str) -> String {
    String::from(js_sys::encode_uri_component(s))
}

const GOOD: &str = r#"{"code":200,"msg":"success","data":{"checkoutBaseUrl":"https://uat-checkout.clinkbill.com","embeddedCheckoutEnabled":true}}"#;
const SANDBOX_BOOTSTRAP: &str = "https://uat-api.clinkbill.com/api/sdk/bootstrap?publishableKey=";
const PRODUCTION_BOOTSTRAP: &str = "https://api.clinkbill.com/api/sdk/bootstrap?publishableKey=";
const INVALID_CHECKOUT_ENV: &str = "INVALID_CHECKOUT_ENV";
const INVALID_PUBLIC_KEY: &str = "INVALID_PUBLIC_KEY";
const BOOTSTRAP_REQUEST_FAILED: &str = "BOOTSTRAP_REQUEST_FAILED";
const INVALID_BOOTSTRAP_RESPONSE: &str = "INVALID_BOOTSTRAP_RESPONSE";
const INVALID_REDIRECT_PARAMS: &str = "INVALID_REDIRECT_PARAMS";
const INVALID_SESSION_ID: &str = "INVALID_SESSION_ID";
const INVALID_EMBEDDED_OPTIONS: &str = "INVALID_EMBEDDED_OPTIONS";
const SESSION_ID_FETCH_FAILED: &str = "SESSION_ID_FETCH_FAILED";
const INVALID_CHECKOUT_URL: &str = "INVALID_CHECKOUT_URL";

// ---------------------------------------------------------------------------------------------
// loadClink: plan (README "loadClink")

#[wasm_bindgen_test]
fn plan_with_checkout_base_url_needs_no_request() {
    let cases = [
        ("'pk_test_a'", "({ checkoutBaseUrl: 'https://c.example/' })", "undefined", r#"[false,"https://c.example"]"#),
        ("'pk_prod_a'", "({ checkoutBaseUrl: 'https://c.example/root' })", "undefined", r#"[false,"https://c.example/root"]"#),
        ("'pk_uat_a'", "({ checkoutBaseUrl: 'http://127.0.0.1:8081' })", "undefined", r#"[false,"http://127.0.0.1:8081"]"#),
        ("'pk_test_a'", "({ checkoutBaseUrl: 'http://localhost:3000/' })", "undefined", r#"[false,"http://localhost:3000"]"#),
        ("'pk_test_a'", "({ checkoutBaseUrl: 'http://[::1]:9000' })", "undefined", r#"[false,"http://[::1]:9000"]"#),
        // First match wins: the levels below a present checkoutBaseUrl are never looked at.
        ("'pk_test_a'", "({ checkoutBaseUrl: 'https://c.example', checkoutEnvironment: 'bogus' })", "'staging'", r#"[false,"https://c.example"]"#),
        ("'pk_test_a'", "({ checkoutBaseUrl: 'https://c.example', fetchImpl: () => {} })", "undefined", r#"[false,"https://c.example"]"#),
        ("'pk_test_a'", "Object.freeze({ checkoutBaseUrl: 'https://c.example' })", "undefined", r#"[false,"https://c.example"]"#),
        ("'pk_test_a'", "(() => { const o = { checkoutBaseUrl: 'https://c.example' }; o.self = o; return o; })()", "undefined", r#"[false,"https://c.example"]"#),
    ];
    for (key, options, env, want) in cases {
        assert_eq!(shown(plan_src(key, options, env)), want, "{options} / {env}");
    }
}

#[wasm_bindgen_test]
fn plan_builds_the_bootstrap_url_and_passes_fetch_impl_through() {
    let spy = ev("spy()");
    let options = ev_with("({ fetchImpl: $, locale: 'en-US', origin: 'https://shop.example' })", &spy);
    let planned: Array = ok(plan(&"pk_test_good1".into(), &options, &JsValue::UNDEFINED)).unchecked_into();
    assert_eq!(planned.length(), 3);
    assert_eq!(planned.get(0).as_bool(), Some(true));
    assert_eq!(
        planned.get(1).as_string().as_deref(),
        Some("https://uat-api.clinkbill.com/api/sdk/bootstrap?publishableKey=pk_test_good1&origin=https%3A%2F%2Fshop.example&locale=en-US")
    );
    assert!(same(&planned.get(2), &spy), "the merchant's fetchImpl itself");

    // No options: the page's origin, no locale, the global fetch (undefined).
    let origin = encoded(&page_origin());
    assert_eq!(shown(plan_src("'pk_prod_bare'", "undefined", "undefined")), format!(r#"[true,"{PRODUCTION_BOOTSTRAP}pk_prod_bare&origin={origin}","<undefined>"]"#));
    assert_eq!(shown(plan_src("'pk_uat_x'", "({})", "undefined")), format!(r#"[true,"{SANDBOX_BOOTSTRAP}pk_uat_x&origin={origin}","<undefined>"]"#));

    // Host choice: checkoutEnvironment > CLINK_ENV > the key's mode.
    let hosts = [
        ("'pk_test_a'", "({ checkoutEnvironment: 'production' })", "undefined", PRODUCTION_BOOTSTRAP),
        ("'pk_prod_a'", "({ checkoutEnvironment: 'sandbox' })", "'production'", SANDBOX_BOOTSTRAP),
        ("'pk_test_a'", "({ checkoutEnvironment: 'sandbox' })", "'staging'", SANDBOX_BOOTSTRAP),
        ("'pk_test_a'", "({})", "'production'", PRODUCTION_BOOTSTRAP),
        ("'pk_prod_a'", "({})", "'sandbox'", SANDBOX_BOOTSTRAP),
        ("'pk_prod_a'", "({})", "''", PRODUCTION_BOOTSTRAP),
        ("'pk_test_a'", "({ checkoutBaseUrl: undefined, checkoutEnvironment: undefined })", "undefined", SANDBOX_BOOTSTRAP),
    ];
    for (key, options, env, base) in hosts {
        let url = at(&ok(plan_src(key, options, env)), "1").as_string().unwrap();
        let key = key.trim_matches('\'');
        assert_eq!(url, format!("{base}{key}&origin={origin}"), "{options} / {env}");
    }

    // Locale and origin are percent-encoded as given; 'sk_SK' is a locale, not a secret.
    let url = at(&ok(plan_src("'pk_test_a'", "({ locale: 'zh-Hans&x=1', origin: 'http://127.0.0.1:8080' })", "undefined")), "1");
    assert_eq!(url.as_string().unwrap(), format!("{SANDBOX_BOOTSTRAP}pk_test_a&origin=http%3A%2F%2F127.0.0.1%3A8080&locale=zh-Hans%26x%3D1"));
    let url = at(&ok(plan_src("'pk_test_a'", "({ locale: 'sk_SK' })", "undefined")), "1");
    assert_eq!(url.as_string().unwrap(), format!("{SANDBOX_BOOTSTRAP}pk_test_a&origin={origin}&locale=sk_SK"));

    assert_eq!(calls(&spy), 0.0, "planning never calls fetchImpl");
}

#[wasm_bindgen_test]
fn plan_reads_each_option_once_and_writes_nothing() {
    let spy = ev("spy()");
    let pair = ev_with(
        "counted({ locale: 'en-US', origin: 'https://shop.example', checkoutEnvironment: 'production', checkoutBaseUrl: undefined, fetchImpl: $ })",
        &spy,
    );
    let (options, reads) = (at(&pair, "0"), at(&pair, "1"));
    let planned = ok(plan(&"pk_test_a".into(), &options, &JsValue::UNDEFINED));
    assert_eq!(at(&planned, "1").as_string().unwrap(), format!("{PRODUCTION_BOOTSTRAP}pk_test_a&origin=https%3A%2F%2Fshop.example&locale=en-US"));
    assert_eq!(show(&reads), r#"{"locale":1,"origin":1,"checkoutEnvironment":1,"checkoutBaseUrl":1,"fetchImpl":1}"#);

    let options = ev("({ checkoutEnvironment: 'sandbox', locale: 'fr-FR' })");
    let before = show(&options);
    ok(plan(&"pk_test_a".into(), &options, &JsValue::UNDEFINED));
    assert_eq!(show(&options), before);
    assert_eq!(keys(&options), "checkoutEnvironment,locale");
    let frozen = ev("Object.freeze({ checkoutEnvironment: 'production', locale: 'en-US' })");
    assert!(at(&ok(plan(&"pk_test_a".into(), &frozen, &JsValue::UNDEFINED)), "1").as_string().unwrap().starts_with(PRODUCTION_BOOTSTRAP));
    assert_eq!(calls(&spy), 0.0);
}

#[wasm_bindgen_test]
fn bad_keys_never_plan_a_request() {
    let spy = ev("spy()");
    let options = ev_with("({ fetchImpl: $, checkoutEnvironment: 'sandbox' })", &spy);
    let strings = [
        "sk_test_secret", "SK_LIVE_x", " sk_test_1", "sk_", "", "pk_", "pk_live_x", "pk_test_", "pk_test", "pk_test_a-b", "pk_test_a b",
        " pk_test_a", "pk_test_a ", "pk_test_a\n", "PK_TEST_a", "pk_test_é", "pk_prod_x.y", "xpk_test_a",
    ];
    for k in strings {
        assert_eq!(code(plan(&k.into(), &options, &JsValue::UNDEFINED)), INVALID_PUBLIC_KEY, "{k:?}");
    }
    let values = [
        "5", "undefined", "null", "true", "Symbol('pk_test_a')", "10n", "new String('pk_test_a')", "['pk_test_a']",
        "({ toString() { return 'pk_test_a'; } })", "'pk_test_' + 'a'.repeat(70000)", "revoked()", "hostile()", "() => 'pk_test_a'",
    ];
    for k in values {
        assert_eq!(code(plan(&ev(k), &options, &JsValue::UNDEFINED)), INVALID_PUBLIC_KEY, "{k}");
    }
    // Even when no request would be made.
    assert_eq!(code(plan_src("'sk_test_1'", "({ checkoutBaseUrl: 'https://c.example' })", "undefined")), INVALID_PUBLIC_KEY);

    // The secret key gets its own message, and no key ever appears in a message.
    let (_, message) = failure(plan(&"sk_test_Zq9SECRET".into(), &options, &JsValue::UNDEFINED));
    assert!(message.contains("Never put secret keys"), "{message}");
    assert!(!message.contains("Zq9SECRET"), "{message}");
    let (_, message) = failure(plan(&"pk_live_Zq9SECRET".into(), &options, &JsValue::UNDEFINED));
    assert!(!message.contains("Zq9SECRET") && !message.contains("Never put"), "{message}");
    let (_, message) = failure(plan(&ev("5"), &options, &JsValue::UNDEFINED));
    assert!(message.contains("must be a string"), "{message}");

    assert_eq!(calls(&spy), 0.0);
    // And the module still works.
    assert!(ok(plan(&"pk_test_after".into(), &options, &JsValue::UNDEFINED)).is_object());
}

#[wasm_bindgen_test]
fn bad_options_never_plan_a_request() {
    let cases = [
        // Not an options object.
        ("'x'", "undefined"),
        ("null", "undefined"),
        ("5", "undefined"),
        ("[]", "undefined"),
        ("() => ({})", "undefined"),
        ("Symbol()", "undefined"),
        ("revoked()", "undefined"),
        // Options that cannot be read count as wrong types.
        ("hostile()", "undefined"),
        ("getTrap({ checkoutEnvironment: 'sandbox' })", "undefined"),
        ("({ get checkoutEnvironment() { return boom(); } })", "undefined"),
        ("({ get checkoutBaseUrl() { return boom(); } })", "undefined"),
        ("({ get locale() { return boom(); } })", "undefined"),
        ("({ get fetchImpl() { return boom(); } })", "undefined"),
        // Wrong types and absurd lengths.
        ("({ locale: 5 })", "undefined"),
        ("({ locale: null })", "undefined"),
        ("({ locale: ['en-US'] })", "undefined"),
        ("({ locale: 'a'.repeat(257) })", "undefined"),
        ("({ locale: 'a'.repeat(70000) })", "undefined"),
        ("({ origin: 5 })", "undefined"),
        ("({ origin: 'a'.repeat(2049) })", "undefined"),
        ("({ fetchImpl: 'x' })", "undefined"),
        ("({ fetchImpl: null })", "undefined"),
        ("({ fetchImpl: {} })", "undefined"),
        ("({ checkoutBaseUrl: 'https://c.example', fetchImpl: 'x' })", "undefined"),
        // checkoutBaseUrl present but invalid: never falls through to the next level.
        ("({ checkoutBaseUrl: 'http://c.example', checkoutEnvironment: 'sandbox' })", "undefined"),
        ("({ checkoutBaseUrl: '' })", "undefined"),
        ("({ checkoutBaseUrl: 'checkout.clinkbill.com' })", "undefined"),
        ("({ checkoutBaseUrl: 'https://c.example/?a=1' })", "undefined"),
        ("({ checkoutBaseUrl: 'https://c.example#x' })", "undefined"),
        ("({ checkoutBaseUrl: 'javascript:alert(1)' })", "undefined"),
        ("({ checkoutBaseUrl: 'https://user:pw@c.example' })", "undefined"),
        ("({ checkoutBaseUrl: 'https://c.example/' + 'a'.repeat(70000) })", "undefined"),
        ("({ checkoutBaseUrl: 5 })", "undefined"),
        ("({ checkoutBaseUrl: null })", "undefined"),
        ("({ checkoutBaseUrl: new String('https://c.example') })", "undefined"),
        // checkoutEnvironment present but invalid, even with a valid CLINK_ENV below it.
        ("({ checkoutEnvironment: 'Sandbox' })", "'sandbox'"),
        ("({ checkoutEnvironment: 'prod' })", "'sandbox'"),
        ("({ checkoutEnvironment: '' })", "'sandbox'"),
        ("({ checkoutEnvironment: null })", "'sandbox'"),
        ("({ checkoutEnvironment: 1 })", "'sandbox'"),
        ("({ checkoutEnvironment: true })", "'sandbox'"),
        ("({ checkoutEnvironment: Symbol('sandbox') })", "'sandbox'"),
        // CLINK_ENV invalid (a Symbol is what js/core.js passes when reading it threw).
        ("undefined", "'staging'"),
        ("({})", "'Production'"),
        ("({})", "null"),
        ("({})", "0"),
        ("({})", "Symbol('unreadable')"),
    ];
    let spy = ev("spy()");
    for (options, env) in cases {
        // A fetchImpl is offered to the cases that do not set their own.
        let options = ev_with(
            &format!("(o => {{ try {{ if (typeof o === 'object' && o && !('fetchImpl' in o) && Object.isExtensible(o)) o.fetchImpl = $; }} catch {{}} return o; }})({options})"),
            &spy,
        );
        assert_eq!(code(plan(&"pk_test_a".into(), &options, &ev(env))), INVALID_CHECKOUT_ENV, "{} / {env}", show(&options));
    }
    assert_eq!(calls(&spy), 0.0);

    // A secret key in an option is refused, and not repeated in the message.
    for options in [
        "({ locale: 'sk_test_Zq9SECRET' })",
        "({ origin: 'https://x.example/?k=SK_LIVE_Zq9SECRET' })",
        "({ checkoutBaseUrl: 'https://c.example/sk_prod_Zq9SECRET' })",
        "({ checkoutEnvironment: 'sk_uat_Zq9SECRET' })",
    ] {
        let (code, message) = failure(plan_src("'pk_test_a'", options, "undefined"));
        assert_eq!(code, INVALID_CHECKOUT_ENV, "{options}");
        assert!(message.contains("secret key"), "{message}");
        assert!(!message.contains("Zq9SECRET"), "{message}");
    }
}

// ---------------------------------------------------------------------------------------------
// loadClink: checkResponse and parseAnswer (README "loadClink")

const REQUESTED: &str = "https://uat-api.clinkbill.com/api/sdk/bootstrap?publishableKey=pk_test_a";

#[wasm_bindgen_test]
fn check_response_accepts_only_2xx_responses() {
    for good in [
        "new Response('{}')",
        "new Response(null, { status: 204 })",
        "new Response('', { status: 299 })",
        "({ status: 200 })",
        "Object.freeze({ status: 201, redirected: false })",
    ] {
        assert!(ok(check_response(&ev(good), REQUESTED)).is_undefined(), "{good}");
    }
    // Not 2xx: the message names the status.
    for (response, status) in [
        ("new Response('', { status: 300 })", 300),
        ("new Response('{}', { status: 404 })", 404),
        ("new Response('oops', { status: 500 })", 500),
        ("new Response('', { status: 503 })", 503),
        ("new Response('', { status: 599 })", 599),
        ("Response.error()", 0),
        ("({ status: 199 })", 199),
        ("({ status: 999 })", 999),
    ] {
        let (code, message) = failure(check_response(&ev(response), REQUESTED));
        assert_eq!(code, BOOTSTRAP_REQUEST_FAILED, "{response}");
        assert!(message.contains(&format!("HTTP {status}.")), "{response}: {message}");
    }
    // Not a Response at all.
    for response in [
        "undefined", "null", "5", "'x'", "true", "Symbol()", "10n", "() => {}", "({})", "[]", "new Date()", "new Map([['status', 200]])",
        "({ status: '200' })", "({ status: null })", "({ status: NaN })", "({ status: -1 })", "({ status: 1000 })", "({ status: 1e9 })", "({ status: 200.5 })",
        "({ status: Infinity })", "({ status: 200n })", "({ get status() { return boom(); } })", "hostile()", "getTrap()", "revoked()",
        "getTrap(new Response('{}'))",
    ] {
        let (code, message) = failure(check_response(&ev(response), REQUESTED));
        assert_eq!(code, BOOTSTRAP_REQUEST_FAILED, "{response}");
        assert!(message.contains("did not resolve to a Response"), "{response}: {message}");
    }
}

#[wasm_bindgen_test]
fn check_response_refuses_answers_redirected_to_another_origin() {
    let redirected = |url: &str| ev(&format!("Object.defineProperties(new Response('{{}}'), {{ redirected: {{ value: true }}, url: {{ value: {url} }} }})"));
    for same_origin in ["'https://uat-api.clinkbill.com/api/sdk/bootstrap/v2'", "'https://UAT-API.clinkbill.com:443/x'"] {
        assert!(ok(check_response(&redirected(same_origin), REQUESTED)).is_undefined(), "{same_origin}");
    }
    for other in [
        "'https://evil.example/api/sdk/bootstrap'",
        "'https://uat-api.clinkbill.com:8443/x'",
        "'http://uat-api.clinkbill.com/x'",
        "'https://api.clinkbill.com/x'",
        "''",
        "'not a url'",
        "5",
        "undefined",
    ] {
        let (code, message) = failure(check_response(&redirected(other), REQUESTED));
        assert_eq!(code, BOOTSTRAP_REQUEST_FAILED, "{other}");
        assert!(message.contains("redirected to another origin"), "{other}: {message}");
    }
    let unreadable_url = ev("({ status: 200, redirected: true, get url() { return boom(); } })");
    assert_eq!(code(check_response(&unreadable_url, REQUESTED)), BOOTSTRAP_REQUEST_FAILED);
    // The origin asked for must itself be a valid URL.
    assert_eq!(code(check_response(&redirected("'https://uat-api.clinkbill.com/x'"), "not a url")), BOOTSTRAP_REQUEST_FAILED);
    // Not redirected: the url is not looked at.
    assert!(ok(check_response(&ev("({ status: 200, redirected: false, url: 'https://evil.example' })"), REQUESTED)).is_undefined());
}

#[wasm_bindgen_test]
fn parse_answer_accepts_the_envelope_and_bare_data() {
    let padded = format!("{GOOD}{}", " ".repeat(64 * 1024 - GOOD.len()));
    let cases = [
        (GOOD, r#"["https://uat-checkout.clinkbill.com",true]"#),
        (r#"{"checkoutBaseUrl":"https://checkout.clinkbill.com/"}"#, r#"["https://checkout.clinkbill.com",true]"#),
        (r#"{"checkoutBaseUrl":"https://c.example","embeddedCheckoutEnabled":false}"#, r#"["https://c.example",false]"#),
        (r#"{"code":200,"data":{"checkoutBaseUrl":"https://c.example","embeddedCheckoutEnabled":false}}"#, r#"["https://c.example",false]"#),
        (r#"{"msg":"success","data":{"checkoutBaseUrl":"http://127.0.0.1:8081"}}"#, r#"["http://127.0.0.1:8081",true]"#),
        (r#"{"code":200,"msg":"success","data":{"checkoutBaseUrl":"https://c.example","extra":1},"trace":"t"}"#, r#"["https://c.example",true]"#),
        (padded.as_str(), r#"["https://uat-checkout.clinkbill.com",true]"#),
    ];
    for (body, want) in cases {
        assert_eq!(shown(parse_answer(&body.into())), want, "{}", &body[..body.len().min(120)]);
    }
}

#[wasm_bindgen_test]
fn parse_answer_failures_map_to_their_codes() {
    let too_large = format!("{GOOD}{}", " ".repeat(64 * 1024 + 1 - GOOD.len()));
    let long_msg = format!(r#"{{"code":500,"msg":"{}"}}"#, "x".repeat(60_000));
    let ibr = INVALID_BOOTSTRAP_RESPONSE;
    let brf = BOOTSTRAP_REQUEST_FAILED;
    let cases: [(&str, &str, &str); 31] = [
        ("<html>", ibr, "not JSON"),
        ("", ibr, "not JSON"),
        ("{", ibr, "not JSON"),
        ("null", ibr, "not a JSON object"),
        ("[]", ibr, "not a JSON object"),
        ("5", ibr, "not a JSON object"),
        (r#""https://c.example""#, ibr, "not a JSON object"),
        ("true", ibr, "not a JSON object"),
        ("{}", ibr, "'checkoutBaseUrl' is missing"),
        (r#"{"code":200}"#, ibr, "'data' is not an object"),
        (r#"{"code":200,"data":null}"#, ibr, "'data' is not an object"),
        (r#"{"code":200,"data":[]}"#, ibr, "'data' is not an object"),
        (r#"{"code":"200","data":{"checkoutBaseUrl":"https://c.example"}}"#, ibr, "'code' is not a number"),
        (r#"{"checkoutBaseUrl":5}"#, ibr, "'checkoutBaseUrl' is missing or not a string"),
        (r#"{"code":200,"data":{"checkoutBaseUrl":5}}"#, ibr, "'checkoutBaseUrl' is missing or not a string"),
        (r#"{"checkoutBaseUrl":"http://c.example"}"#, ibr, "not an https: URL"),
        (r#"{"checkoutBaseUrl":"https://c.example/?x"}"#, ibr, "not an https: URL"),
        (r#"{"checkoutBaseUrl":"https://c.example#f"}"#, ibr, "not an https: URL"),
        (r#"{"checkoutBaseUrl":"javascript:alert(1)"}"#, ibr, "not an https: URL"),
        (r#"{"checkoutBaseUrl":"//c.example"}"#, ibr, "not an https: URL"),
        (r#"{"checkoutBaseUrl":"https://c.example","embeddedCheckoutEnabled":"yes"}"#, ibr, "'embeddedCheckoutEnabled' is not a boolean"),
        (r#"{"checkoutBaseUrl":"https://c.example","embeddedCheckoutEnabled":null}"#, ibr, "'embeddedCheckoutEnabled' is not a boolean"),
        // JSON.parse makes "__proto__" an own key: it is not the prototype of the answer.
        (r#"{"__proto__":{"checkoutBaseUrl":"https://evil.example"}}"#, ibr, "'checkoutBaseUrl' is missing"),
        (too_large.as_str(), ibr, "larger than 64 KB"),
        // The envelope's refusal names its msg.
        (r#"{"code":401,"msg":"invalid key"}"#, brf, "invalid key"),
        (r#"{"code":403,"msg":"origin not allowed"}"#, brf, "origin not allowed"),
        (r#"{"code":403,"msg":"origin not allowed","data":{"checkoutBaseUrl":"https://c.example"}}"#, brf, "origin not allowed"),
        (r#"{"code":500}"#, brf, "no message"),
        (r#"{"code":500,"msg":5}"#, brf, "no message"),
        (r#"{"code":0,"msg":"zero"}"#, brf, "zero"),
        (long_msg.as_str(), brf, "xxx…"),
    ];
    for (body, want, part) in cases {
        let (code, message) = failure(parse_answer(&body.into()));
        assert_eq!(code, want, "{}", &body[..body.len().min(120)]);
        assert!(message.contains(part), "{}: {message}", &body[..body.len().min(120)]);
        assert!(message.chars().count() < 500, "a hostile answer does not flood the message");
    }
    // The body must be text: anything else is refused before parsing.
    for body in [
        "undefined", "null", "5", "true", "({})", "[]", "Symbol()", "10n", "new String('{}')", "hostile()", "revoked()", "new Response('{}')",
    ] {
        let (code, message) = failure(parse_answer(&ev(body)));
        assert_eq!(code, INVALID_BOOTSTRAP_RESPONSE, "{body}");
        assert!(message.contains("not text"), "{body}: {message}");
    }
}

/// The order js/core.js follows, with a real Response and its real body.
#[wasm_bindgen_test]
async fn a_real_response_goes_through_check_then_parse() {
    let response = ev_with("new Response($, { status: 200, headers: { 'Content-Type': 'application/json' } })", &GOOD.into());
    assert!(ok(check_response(&response, REQUESTED)).is_undefined());
    let text = JsFuture::from(response_text(&response)).await.unwrap();
    assert_eq!(shown(parse_answer(&text)), r#"["https://uat-checkout.clinkbill.com",true]"#);
}

// ---------------------------------------------------------------------------------------------
// redirectToCheckout (README "redirectToCheckout")

#[wasm_bindgen_test]
fn redirect_builds_the_pay_url() {
    let cases = [
        ("https://c.example", "({ sessionId: 'sess_1' })", "['https://c.example/pay/sess_1', false]"),
        ("https://c.example", "({ sessionParam: 'sess_xxx#token_xxx' })", "['https://c.example/pay/sess_xxx%23token_xxx', false]"),
        // sessionParam wins; the sessionId is then not looked at.
        ("https://c.example", "({ sessionParam: 'sess_a#t', sessionId: 'sess_b', replace: true })", "['https://c.example/pay/sess_a%23t', true]"),
        ("https://c.example", "({ sessionParam: 'sess_a', sessionId: 5 })", "['https://c.example/pay/sess_a', false]"),
        ("https://c.example", "({ sessionParam: undefined, sessionId: 'sess_b', replace: false })", "['https://c.example/pay/sess_b', false]"),
        ("https://c.example", "({ sessionParam: null, sessionId: 'sess_b' })", "['https://c.example/pay/sess_b', false]"),
        ("http://127.0.0.1:8081/base", "({ sessionParam: 'sess_a#b/c+d?e=f&g' })", "['http://127.0.0.1:8081/base/pay/' + encodeURIComponent('sess_a#b/c+d?e=f&g'), false]"),
        ("https://c.example", "({ sessionParam: 'sess_x#t/+=é%#x😀' })", "['https://c.example/pay/' + encodeURIComponent('sess_x#t/+=é%#x😀'), false]"),
        ("https://c.example", "({ sessionId: 'sess_' + 'A-b_9'.repeat(25) + 'xyz' })", "['https://c.example/pay/sess_' + 'A-b_9'.repeat(25) + 'xyz', false]"),
        ("https://c.example", "({ sessionParam: 'sess_x#' + 't'.repeat(4096) })", "['https://c.example/pay/sess_x%23' + 't'.repeat(4096), false]"),
        ("https://c.example", "Object.freeze({ sessionId: 'sess_1', replace: true })", "['https://c.example/pay/sess_1', true]"),
        ("https://c.example", "Object.assign(Object.create(null), { sessionId: 'sess_1' })", "['https://c.example/pay/sess_1', false]"),
    ];
    for (base, params, want) in cases {
        assert_eq!(shown(redirect(base, &ev(params))), show(&ev(want)), "{params}");
    }
    // Each param read once, nothing written.
    let pair = ev("counted({ sessionParam: undefined, sessionId: 'sess_1', replace: true })");
    assert_eq!(shown(redirect("https://c.example", &at(&pair, "0"))), r#"["https://c.example/pay/sess_1",true]"#);
    assert_eq!(show(&at(&pair, "1")), r#"{"sessionParam":1,"sessionId":1,"replace":1}"#);
    let params = ev("({ sessionId: 'sess_1' })");
    ok(redirect("https://c.example", &params));
    assert_eq!(show(&params), r#"{"sessionId":"sess_1"}"#);
}

#[wasm_bindgen_test]
fn redirect_validation() {
    let before = web_sys::window().unwrap().location().href().unwrap();
    let p = INVALID_REDIRECT_PARAMS;
    let s = INVALID_SESSION_ID;
    let cases = [
        // Not a params object.
        ("undefined", p),
        ("null", p),
        ("'sess_1'", p),
        ("5", p),
        ("[]", p),
        ("() => ({ sessionId: 'sess_1' })", p),
        ("Symbol()", p),
        ("revoked()", p),
        // Neither field.
        ("({})", p),
        ("({ sessionParam: undefined })", p),
        // `sessionParam ?? sessionId` (README "redirectToCheckout"): null counts as absent.
        ("({ sessionParam: null, sessionId: null })", p),
        ("({ sessionId: null })", p),
        ("({ sessionid: 'sess_1' })", p),
        // A present sessionParam that is not valid never falls back to sessionId.
        ("({ sessionParam: '' })", p),
        ("({ sessionParam: 5, sessionId: 'sess_1' })", p),
        ("({ sessionParam: 'nope', sessionId: 'sess_1' })", p),
        ("({ sessionParam: 'sess_1#a b' })", p),
        ("({ sessionParam: 'sess_1#a\\tb' })", p),
        ("({ sessionParam: 'sess_1#a\\u00a0b' })", p),
        ("({ sessionParam: 'sess_1#a\\u0007' })", p),
        ("({ sessionParam: 'sess_1#a\\uD800b' })", p),
        ("({ sessionParam: 'sess_1#' })", p),
        ("({ sessionParam: '#tok' })", p),
        ("({ sessionParam: 'sess_#tok' })", p),
        ("({ sessionParam: 'sess_x#' + 't'.repeat(4097) })", p),
        ("({ sessionParam: 'sess_x#' + 't'.repeat(70000) })", p),
        ("({ sessionParam: Symbol('sess_1') })", p),
        ("({ sessionParam: new String('sess_1') })", p),
        // Unreadable params count as wrong types.
        ("({ get sessionParam() { return boom(); }, sessionId: 'sess_1' })", p),
        ("({ get sessionId() { return boom(); } })", p),
        ("hostile()", p),
        ("getTrap({ sessionId: 'sess_1' })", p),
        // sessionParam absent: a bad sessionId.
        ("({ sessionId: 'abc' })", s),
        ("({ sessionId: '' })", s),
        ("({ sessionId: 'sess_' })", s),
        ("({ sessionId: 7 })", s),
        ("({ sessionId: true })", s),
        ("({ sessionId: 'sess_1#tok' })", s),
        ("({ sessionId: 'SESS_abc' })", s),
        ("({ sessionId: 'sess_a.b' })", s),
        ("({ sessionId: 'sess_' + 'a'.repeat(129) })", s),
        ("({ sessionId: 'sess_' + 'a'.repeat(70000) })", s),
        ("({ sessionId: 10n })", s),
        ("({ sessionId: Symbol() })", s),
        ("({ sessionId: ['sess_1'] })", s),
        ("({ sessionId: new String('sess_1') })", s),
        // replace must be a boolean.
        ("({ sessionId: 'sess_1', replace: 'yes' })", p),
        ("({ sessionId: 'sess_1', replace: 1 })", p),
        ("({ sessionId: 'sess_1', replace: null })", p),
        ("({ sessionId: 'sess_1', get replace() { return boom(); } })", p),
    ];
    for (params, want) in cases {
        assert_eq!(code(redirect("https://c.example", &ev(params))), want, "{params}");
    }
    assert_eq!(web_sys::window().unwrap().location().href().unwrap(), before, "nothing navigated");
}

// ---------------------------------------------------------------------------------------------
// initEmbeddedCheckout: options and the fetchSession answer (README "initEmbeddedCheckout")

#[wasm_bindgen_test]
fn embedded_options_defaults_and_values() {
    let fetch_session = ev("async () => ({})");
    let all: Array = ok(embedded_options(true, &ev_with("({ fetchSession: $ })", &fetch_session))).unchecked_into();
    assert_eq!(all.length(), 5);
    assert!(same(&all.get(0), &fetch_session));
    assert!(all.get(1).is_undefined() && all.get(2).is_undefined(), "absent callbacks are undefined");
    assert_eq!(all.get(3).as_f64(), Some(2000.0), "default pollIntervalMs");
    packed(&all.get(4));

    let fns = ev("[async () => ({}), () => {}, async () => null]");
    let options = ev_with(
        "({ fetchSession: $[0], onEvent: $[1], pollStatus: $[2], pollIntervalMs: 100, autoResize: false, autoDestroyOnComplete: false })",
        &fns,
    );
    let all: Array = ok(embedded_options(true, &options)).unchecked_into();
    for i in 0..3 {
        assert!(same(&all.get(i), &at(&fns, &i.to_string())), "callback {i} passed through");
    }
    assert_eq!(all.get(3).as_f64(), Some(100.0));
    for (ms, want) in [("100", 100.0), ("2000.9", 2000.0), ("2147483647", 2_147_483_647.0)] {
        let all = ok(embedded_options(true, &ev(&format!("({{ fetchSession: () => {{}}, pollIntervalMs: {ms} }})"))));
        assert_eq!(at(&all, "3").as_f64(), Some(want), "{ms}");
    }

    // Each option read once; frozen options are fine.
    let pair = ev("counted({ fetchSession: async () => ({}), onEvent: undefined, pollStatus: () => null, autoResize: true, autoDestroyOnComplete: false, pollIntervalMs: 500 })");
    assert_eq!(at(&ok(embedded_options(true, &at(&pair, "0"))), "3").as_f64(), Some(500.0));
    assert_eq!(
        show(&at(&pair, "1")),
        r#"{"fetchSession":1,"onEvent":1,"pollStatus":1,"autoResize":1,"autoDestroyOnComplete":1,"pollIntervalMs":1}"#
    );
    assert!(ok(embedded_options(true, &ev("Object.freeze({ fetchSession: () => {}, autoResize: false })"))).is_object());
}

#[wasm_bindgen_test]
fn embedded_options_validation() {
    let bad = [
        "undefined", "null", "'x'", "5", "[]", "() => {}", "Symbol()", "revoked()", "hostile()", "getTrap({ fetchSession: () => {} })",
        "({})",
        "({ fetchSession: 'x' })",
        "({ fetchSession: null })",
        "({ fetchSession: {} })",
        "({ fetchSession: Promise.resolve({}) })",
        "({ get fetchSession() { return boom(); } })",
        "({ fetchSession: () => {}, onEvent: 5 })",
        "({ fetchSession: () => {}, onEvent: null })",
        "({ fetchSession: () => {}, pollStatus: 'x' })",
        "({ fetchSession: () => {}, pollStatus: {} })",
        "({ fetchSession: () => {}, get onEvent() { return boom(); } })",
        "({ fetchSession: () => {}, autoResize: 'yes' })",
        "({ fetchSession: () => {}, autoResize: 1 })",
        "({ fetchSession: () => {}, autoResize: null })",
        "({ fetchSession: () => {}, autoDestroyOnComplete: 'false' })",
        "({ fetchSession: () => {}, get autoResize() { return boom(); } })",
        "({ fetchSession: () => {}, pollIntervalMs: 99 })",
        "({ fetchSession: () => {}, pollIntervalMs: 99.9 })",
        "({ fetchSession: () => {}, pollIntervalMs: 0 })",
        "({ fetchSession: () => {}, pollIntervalMs: -1 })",
        "({ fetchSession: () => {}, pollIntervalMs: NaN })",
        "({ fetchSession: () => {}, pollIntervalMs: Infinity })",
        "({ fetchSession: () => {}, pollIntervalMs: 2147483648 })",
        "({ fetchSession: () => {}, pollIntervalMs: 3e9 })",
        "({ fetchSession: () => {}, pollIntervalMs: '2000' })",
        "({ fetchSession: () => {}, pollIntervalMs: 2000n })",
        "({ fetchSession: () => {}, pollIntervalMs: null })",
        "({ fetchSession: () => {}, get pollIntervalMs() { return boom(); } })",
    ];
    for options in bad {
        assert_eq!(code(embedded_options(true, &ev(options))), INVALID_EMBEDDED_OPTIONS, "{options}");
        // The merchant's own mistake is reported before the account setting.
        assert_eq!(code(embedded_options(false, &ev(options))), INVALID_EMBEDDED_OPTIONS, "{options} (disabled)");
    }
    let (code, message) = failure(embedded_options(false, &ev("({ fetchSession: async () => ({}) })")));
    assert_eq!(code, "EMBEDDED_CHECKOUT_DISABLED");
    assert!(message.contains("redirectToCheckout"), "{message}");
}

#[wasm_bindgen_test]
fn parse_session_reads_the_fetch_session_answer() {
    let got = ok(parse_session(&ev("({ sessionId: 'sess_1', checkoutUrl: 'https://c.example/pay/sess_1%23t?x=1#f', orderId: 'ord_1' })")));
    assert_eq!(show(&got), r#"["sess_1","https://c.example/pay/sess_1%23t?x=1#f","ord_1","https://c.example"]"#, "the URL exactly as given");
    let got = ok(parse_session(&ev("Object.freeze({ sessionId: 'sess_A-b_9', checkoutUrl: 'http://127.0.0.1:8081/pay/x', orderId: null })")));
    assert_eq!(show(&got), r#"["sess_A-b_9","http://127.0.0.1:8081/pay/x","<undefined>","http://127.0.0.1:8081"]"#);
    let got = ok(parse_session(&ev("({ sessionId: 'sess_1', checkoutUrl: 'https://c.example', orderId: 'o'.repeat(256) })")));
    assert_eq!(at(&got, "2").as_string().map(|o| o.len()), Some(256));

    // The checkout origin is serialised like event.origin (what the shell compares it with).
    for url in [
        "HTTPS://Checkout.Example:443/pay/x",
        "https://a.example:8443/p?q#f",
        "http://localhost:3000/",
        "http://127.0.0.1:80/x",
        "http://[::1]:9000/a",
        "https://192.0.2.10/",
    ] {
        let got = ok(parse_session(&ev_with("({ sessionId: 'sess_1', checkoutUrl: $ })", &url.into())));
        assert_eq!(at(&got, "1").as_string().as_deref(), Some(url));
        assert!(at(&got, "2").is_undefined());
        assert_eq!(at(&got, "3").as_string().unwrap(), url_origin(url), "{url}");
    }
}

#[wasm_bindgen_test]
fn parse_session_failures() {
    let f = SESSION_ID_FETCH_FAILED;
    let id = INVALID_SESSION_ID;
    let url = INVALID_CHECKOUT_URL;
    let cases = [
        // Not an object, or not readable.
        ("undefined", f),
        ("null", f),
        ("'sess_1'", f),
        ("5", f),
        ("true", f),
        ("[]", f),
        ("() => ({ sessionId: 'sess_1' })", f),
        ("Symbol()", f),
        ("10n", f),
        ("revoked()", f),
        ("hostile()", f),
        ("getTrap({ sessionId: 'sess_1', checkoutUrl: 'https://c.example' })", f),
        ("({ get sessionId() { return boom(); }, checkoutUrl: 'https://c.example' })", f),
        ("({ sessionId: 'sess_1', get checkoutUrl() { return boom(); } })", f),
        ("({ sessionId: 'sess_1', checkoutUrl: 'https://c.example', orderId: 5 })", f),
        ("({ sessionId: 'sess_1', checkoutUrl: 'https://c.example', orderId: {} })", f),
        ("({ sessionId: 'sess_1', checkoutUrl: 'https://c.example', orderId: Symbol() })", f),
        ("({ sessionId: 'sess_1', checkoutUrl: 'https://c.example', orderId: 'o'.repeat(257) })", f),
        ("({ sessionId: 'sess_1', checkoutUrl: 'https://c.example', get orderId() { return boom(); } })", f),
        // A bad sessionId (checked first).
        ("({})", id),
        ("({ sessionId: '', checkoutUrl: 'https://c.example' })", id),
        ("({ sessionId: 'abc', checkoutUrl: 'https://c.example' })", id),
        ("({ sessionId: 'sess_', checkoutUrl: 'https://c.example' })", id),
        ("({ sessionId: 'sess_1#tok', checkoutUrl: 'https://c.example' })", id),
        ("({ sessionId: 5, checkoutUrl: 'https://c.example' })", id),
        ("({ sessionId: null, checkoutUrl: 'https://c.example' })", id),
        ("({ sessionId: Symbol(), checkoutUrl: 'https://c.example' })", id),
        ("({ sessionId: 10n, checkoutUrl: 'https://c.example' })", id),
        ("({ sessionId: 'sess_' + 'a'.repeat(70000), checkoutUrl: 'https://c.example' })", id),
        ("({ sessionId: 'abc', checkoutUrl: 'javascript:alert(1)' })", id),
        ("new Date()", id),
        // A bad checkoutUrl.
        ("({ sessionId: 'sess_1' })", url),
        ("({ sessionId: 'sess_1', checkoutUrl: 'javascript:alert(1)' })", url),
        // A lone surrogate would reach Rust as U+FFFD: the URL would not be the one given.
        ("({ sessionId: 'sess_1', checkoutUrl: 'https://c.example/p\\uD800' })", url),
        // Hosts the browser rewrites: its event.origin would never match.
        ("({ sessionId: 'sess_1', checkoutUrl: 'https://127.1/pay' })", url),
        ("({ sessionId: 'sess_1', checkoutUrl: 'https://[0:0:0:0:0:0:0:1]/pay' })", url),
        ("({ sessionId: 'sess_1', checkoutUrl: 'http://c.example/pay' })", url),
        ("({ sessionId: 'sess_1', checkoutUrl: '/pay/x' })", url),
        ("({ sessionId: 'sess_1', checkoutUrl: 'about:blank#x' })", url),
        ("({ sessionId: 'sess_1', checkoutUrl: 'data:text/html,x' })", url),
        ("({ sessionId: 'sess_1', checkoutUrl: '' })", url),
        ("({ sessionId: 'sess_1', checkoutUrl: ' https://c.example' })", url),
        ("({ sessionId: 'sess_1', checkoutUrl: 'https://user:pw@c.example' })", url),
        ("({ sessionId: 'sess_1', checkoutUrl: 'https://c.example/' + 'a'.repeat(70000) })", url),
        ("({ sessionId: 'sess_1', checkoutUrl: 5 })", url),
        ("({ sessionId: 'sess_1', checkoutUrl: null })", url),
        ("({ sessionId: 'sess_1', checkoutUrl: Symbol() })", url),
        ("({ sessionId: 'sess_1', checkoutUrl: new URL('https://c.example') })", url),
    ];
    for (value, want) in cases {
        assert_eq!(code(parse_session(&ev(value))), want, "{value}");
    }
}

// ---------------------------------------------------------------------------------------------
// The instance: step (README "Events", §5 frame protocol)

const READY: &str = r#"[["ready",{}]]"#;

#[wasm_bindgen_test]
fn ready_once_per_mount() {
    let mut i = Instance::new("");
    assert_eq!(i.begin(), "[]");
    assert_eq!(i.loaded(), READY, "the iframe's load");
    assert_eq!(i.loaded(), "[]");
    assert_eq!(i.frame("ready", "{}"), "[]", "once per mount, whichever comes first");
    assert_eq!(i.begin(), "[]", "a new mount");
    assert_eq!(i.frame("ready", "{ extra: 1 }"), READY, "the frame's ready; its payload is not forwarded");
    assert_eq!(i.loaded(), "[]");
    assert_eq!(i.frame("ready", "{}"), "[]");
    assert_eq!((i.done, i.name()), (false, None));
}

#[wasm_bindgen_test]
fn resize_sets_the_height_once_per_value() {
    let mut i = Instance::new("");
    i.begin();
    assert_eq!(i.frame("resize", "{ height: 742 }"), r#"[["height",742],["resize",{"height":742}]]"#);
    assert_eq!(i.frame("resize", "{ height: 742 }"), r#"[["resize",{"height":742}]]"#, "the same height is not set again");
    assert_eq!(i.frame("resize", "{ height: 742.2 }"), r#"[["height",743],["resize",{"height":742.2}]]"#, "rounded up, never clipped");
    assert_eq!(i.frame("resize", "{ height: 1 }"), r#"[["height",1],["resize",{"height":1}]]"#);
    assert_eq!(i.frame("resize", "{ height: 20000 }"), r#"[["height",20000],["resize",{"height":20000}]]"#);
    assert_eq!(i.frame("resize", "{ height: 600, extra: 1 }"), r#"[["height",600],["resize",{"height":600}]]"#);
    assert_eq!(i.begin(), "[]");
    assert_eq!(i.frame("resize", "{ height: 600 }"), r#"[["height",600],["resize",{"height":600}]]"#, "a new iframe has no height yet");
    let frozen = "Object.freeze({ source: 'clink-checkout', type: 'resize', payload: Object.freeze({ height: 500 }) })";
    assert_eq!(i.message(frozen), r#"[["height",500],["resize",{"height":500}]]"#);

    let mut manual = Instance::new("autoResize: false");
    manual.begin();
    assert_eq!(manual.frame("resize", "{ height: 742 }"), r#"[["resize",{"height":742}]]"#, "autoResize false: the event only");
    assert_eq!(manual.frame("resize", "{ height: 800 }"), r#"[["resize",{"height":800}]]"#);
}

#[wasm_bindgen_test]
fn bad_heights_are_ignored() {
    let mut i = Instance::new("");
    i.begin();
    assert_eq!(i.frame("resize", "{ height: 742 }"), r#"[["height",742],["resize",{"height":742}]]"#);
    for height in [
        "0", "-1", "0.5", "NaN", "Infinity", "-Infinity", "20001", "20000.5", "1e308", "'600'", "null", "600n", "undefined", "[600]",
        "new Number(600)", "Symbol()", "({ valueOf() { return 600; } })",
    ] {
        assert_eq!(i.frame("resize", &format!("{{ height: {height} }}")), "[]", "{height}");
    }
    assert_eq!(i.frame("resize", "{ get height() { return boom(); } }"), "[]");
    assert_eq!(i.frame("resize", "getTrap()"), "[]");
    assert_eq!(i.frame("resize", "{ height: 742 }"), r#"[["resize",{"height":742}]]"#, "the applied height is unchanged");
}

#[wasm_bindgen_test]
fn state_changes_then_one_complete() {
    let mut i = Instance::new("");
    i.begin();
    assert_eq!(i.frame("state_change", "{ state: 'payment' }"), r#"[["state_change",{"state":"payment","previousState":null}]]"#);
    assert_eq!((i.done, i.name()), (false, Some("payment")));
    assert_eq!(i.frame("state_change", "{ state: 'pending' }"), r#"[["state_change",{"state":"pending","previousState":"payment"}]]"#);
    assert_eq!(i.frame("state_change", "{ state: 'pending' }"), "[]", "a report of the current state is dropped");
    assert_eq!(
        i.frame("state_change", "{ state: 'payment' }"),
        r#"[["state_change",{"state":"payment","previousState":"pending"}]]"#,
        "a retried payment is announced"
    );
    assert_eq!(i.frame("state_change", "{ state: 'pending' }"), r#"[["state_change",{"state":"pending","previousState":"payment"}]]"#);
    assert_eq!(i.name(), Some("pending"));
    assert_eq!(i.begin(), "[]");
    assert_eq!(i.name(), Some("pending"), "a new mount keeps the checkout state");
    assert_eq!(
        i.frame("state_change", "{ state: 'success' }"),
        r#"[["state_change",{"state":"success","previousState":"pending"}],["stop","<undefined>"],["complete",{"state":"success","source":"checkout"}],["destroy","<undefined>"]]"#
    );
    assert_eq!((i.done, i.name()), (true, Some("success")));
    // Nothing after the terminal state, from either source.
    for state in ["payment", "pending", "success", "cancelled", "error", "expired"] {
        assert_eq!(i.frame("state_change", &format!("{{ state: '{state}' }}")), "[]", "{state}");
        assert_eq!(i.poll(&format!("({{ state: '{state}' }})")), "[]", "{state}");
    }
    assert_eq!((i.done, i.name()), (true, Some("success")));
}

#[wasm_bindgen_test]
fn each_terminal_state_completes_once_and_only_success_destroys() {
    for terminal in ["success", "cancelled", "error", "expired"] {
        for auto_destroy in [true, false] {
            for (source, poll) in [("checkout", false), ("poll", true)] {
                let mut i = Instance::new(&format!("autoDestroyOnComplete: {auto_destroy}"));
                i.begin();
                let got = if poll { i.poll(&format!("({{ state: '{terminal}' }})")) } else { i.frame("state_change", &format!("{{ state: '{terminal}' }}")) };
                let destroy = if terminal == "success" && auto_destroy { r#",["destroy","<undefined>"]"# } else { "" };
                let want = format!(
                    r#"[["state_change",{{"state":"{terminal}","previousState":null}}],["stop","<undefined>"],["complete",{{"state":"{terminal}","source":"{source}"}}]{destroy}]"#
                );
                assert_eq!(got, want, "{terminal} via {source}, autoDestroyOnComplete {auto_destroy}");
                assert_eq!((i.done, i.name()), (true, Some(terminal)));
                assert_eq!(i.frame("state_change", "{ state: 'success' }"), "[]");
            }
        }
    }
}

#[wasm_bindgen_test]
fn extra_fields_are_copied_but_never_override() {
    // JSON.parse makes "__proto__" an own key, as a structured clone from the frame would.
    let payload = r#"JSON.parse('{"orderId":"ord_1","amount":5,"nested":{"a":1},"state":"pending","previousState":"evil","source":"evil","__proto__":{"polluted":true}}')"#;
    let mut i = Instance::new("");
    let todo = i.step(MESSAGE, &ev(&frame_data("state_change", payload)));
    assert_eq!(show(&todo), r#"[["state_change",{"orderId":"ord_1","amount":5,"nested":{"a":1},"state":"pending","previousState":null}]]"#);
    assert!(at(&todo, "0.1.polluted").is_undefined(), "__proto__ is not copied");

    let answer = r#"({ state: 'success', payload: JSON.parse('{"orderId":"ord_1","state":"cancelled","previousState":"x","source":"frame","__proto__":{"polluted":true}}') })"#;
    assert_eq!(
        i.poll(answer),
        r#"[["state_change",{"orderId":"ord_1","state":"success","previousState":"pending"}],["stop","<undefined>"],["complete",{"orderId":"ord_1","state":"success","source":"poll"}],["destroy","<undefined>"]]"#
    );

    // At most 32 extra keys, each at most 64 characters; unreadable, symbol and non-enumerable
    // keys are skipped; the payload given is never written.
    let mut i = Instance::new("");
    let many = "Object.assign({ state: 'pending' }, Object.fromEntries(Array.from({ length: 40 }, (_, n) => ['k' + n, n])))";
    let todo = i.step(MESSAGE, &ev(&frame_data("state_change", many)));
    let want: Vec<String> = (0..32).map(|n| format!("k{n}")).chain(["state".into(), "previousState".into()]).collect();
    assert_eq!(keys(&at(&todo, "0.1")), want.join(","));
    let mut i = Instance::new("");
    let odd = format!(
        "Object.defineProperty({{ state: 'pending', ['{long}']: 1, ['{max}']: 2, [Symbol('s')]: 3, get boom() {{ return boom(); }}, ok: 4 }}, 'hidden', {{ value: 5, enumerable: false }})",
        long = "k".repeat(65),
        max = "k".repeat(64)
    );
    let data = ev(&frame_data("state_change", &odd));
    let before = keys(&at(&data, "payload"));
    let todo = i.step(MESSAGE, &data);
    assert_eq!(keys(&at(&todo, "0.1")), format!("{},ok,state,previousState", "k".repeat(64)));
    assert_eq!(keys(&at(&data, "payload")), before, "the payload given is not written");
    // A payload whose keys cannot be listed: the state still counts, no extras.
    let mut i = Instance::new("");
    assert_eq!(i.frame("state_change", "keysTrap({ state: 'pending', a: 1 })"), r#"[["state_change",{"state":"pending","previousState":null}]]"#);
    // Frozen payloads are read, not written.
    let mut i = Instance::new("");
    assert_eq!(
        i.message("Object.freeze({ source: 'clink-checkout', type: 'state_change', payload: Object.freeze({ state: 'payment', step: 1 }) })"),
        r#"[["state_change",{"step":1,"state":"payment","previousState":null}]]"#
    );
}

#[wasm_bindgen_test]
fn hosted_return_and_error_messages() {
    let mut i = Instance::new("");
    i.begin();
    assert_eq!(
        i.frame("hosted_return", "{ state: 'success', url: 'https://shop.example/ok?sessionId=sess_1' }"),
        r#"[["hosted_return",{"state":"success","url":"https://shop.example/ok?sessionId=sess_1"}]]"#
    );
    assert_eq!(i.frame("hosted_return", "{}"), r#"[["hosted_return",{}]]"#);
    assert_eq!(i.frame("hosted_return", "{ url: 'x', extra: 1 }"), r#"[["hosted_return",{"url":"x"}]]"#);
    assert_eq!(i.frame("hosted_return", "{ state: 'cancelled' }"), r#"[["hosted_return",{"state":"cancelled"}]]"#);
    assert_eq!(
        i.frame("error", "{ code: 'CARD_DECLINED', message: 'Declined', extra: 1 }"),
        r#"[["error",{"code":"CARD_DECLINED","message":"Declined"}]]"#
    );
    assert_eq!((i.done, i.name()), (false, None), "neither is a state change");
}

#[wasm_bindgen_test]
fn malformed_frame_messages_are_ignored() {
    let ready = "{ source: 'clink-checkout', type: 'ready', payload: {} }";
    let messages: &[&str] = &[
        // Not a message object.
        "undefined", "null", "'ready'", "5", "true", "[]", "() => {}", "Symbol()", "10n", "'x'.repeat(70000)",
        "JSON.stringify({ source: 'clink-checkout', type: 'ready', payload: {} })",
        &format!("[{ready}]"),
        // Not plain: Dates, Maps, class instances, other prototypes.
        &format!("Object.assign(new Date(), {ready})"),
        &format!("Object.assign(new Map(), {ready})"),
        "new Map([['source', 'clink-checkout'], ['type', 'ready'], ['payload', {}]])",
        &format!("Object.assign(Object.create({{}}), {ready})"),
        &format!("Object.create({ready})"),
        &format!("Object.assign(new (class Message {{}})(), {ready})"),
        &format!("Object.assign(new String('x'), {ready})"),
        // Wrong namespace.
        "({})",
        "({ type: 'ready', payload: {} })",
        "({ source: 'clink-checkout ', type: 'ready', payload: {} })",
        "({ source: 'Clink-Checkout', type: 'ready', payload: {} })",
        "({ source: 'penpal', type: 'ready', payload: {} })",
        "({ source: 1, type: 'ready', payload: {} })",
        "({ source: new String('clink-checkout'), type: 'ready', payload: {} })",
        "({ source: window, type: 'ready', payload: {} })",
        // Unknown type.
        "({ source: 'clink-checkout', type: 'READY', payload: {} })",
        "({ source: 'clink-checkout', type: 'nope', payload: {} })",
        "({ source: 'clink-checkout', type: 'complete', payload: { state: 'success' } })",
        "({ source: 'clink-checkout', payload: {} })",
        "({ source: 'clink-checkout', type: Symbol('ready'), payload: {} })",
        "({ source: 'clink-checkout', type: ['ready'], payload: {} })",
        // Payload missing or not plain.
        "({ source: 'clink-checkout', type: 'ready' })",
        "({ source: 'clink-checkout', type: 'ready', payload: null })",
        "({ source: 'clink-checkout', type: 'ready', payload: [] })",
        "({ source: 'clink-checkout', type: 'ready', payload: '{}' })",
        "({ source: 'clink-checkout', type: 'ready', payload: 5 })",
        "({ source: 'clink-checkout', type: 'ready', payload: () => {} })",
        "({ source: 'clink-checkout', type: 'ready', payload: new Date() })",
        "({ source: 'clink-checkout', type: 'ready', payload: new Map() })",
        "({ source: 'clink-checkout', type: 'ready', payload: Object.create({}) })",
        "({ source: 'clink-checkout', type: 'ready', payload: new (class P {})() })",
        "({ source: 'clink-checkout', type: 'ready', payload: new String('x') })",
        "({ source: 'clink-checkout', type: 'ready', payload: revoked() })",
        "({ source: 'clink-checkout', type: 'ready', payload: hostile() })",
        "({ source: 'clink-checkout', type: 'state_change', payload: new Date() })",
        "({ source: 'clink-checkout', type: 'resize', payload: Object.assign(new Map(), { height: 600 }) })",
        // Bad state_change.
        "({ source: 'clink-checkout', type: 'state_change', payload: {} })",
        "({ source: 'clink-checkout', type: 'state_change', payload: { state: 'complete' } })",
        "({ source: 'clink-checkout', type: 'state_change', payload: { state: 'Success' } })",
        "({ source: 'clink-checkout', type: 'state_change', payload: { state: 'success ' } })",
        "({ source: 'clink-checkout', type: 'state_change', payload: { state: 1 } })",
        "({ source: 'clink-checkout', type: 'state_change', payload: { state: ['success'] } })",
        "({ source: 'clink-checkout', type: 'state_change', payload: { state: Symbol('success') } })",
        "({ source: 'clink-checkout', type: 'state_change', payload: { state: new String('success') } })",
        "({ source: 'clink-checkout', type: 'state_change', payload: { state: 'x'.repeat(70000) } })",
        "({ source: 'clink-checkout', type: 'state_change', payload: { get state() { return boom(); } } })",
        "({ source: 'clink-checkout', type: 'state_change', payload: getTrap({ state: 'success' }) })",
        // Bad hosted_return and error.
        "({ source: 'clink-checkout', type: 'hosted_return', payload: { state: 1 } })",
        "({ source: 'clink-checkout', type: 'hosted_return', payload: { url: null } })",
        "({ source: 'clink-checkout', type: 'hosted_return', payload: { url: Symbol() } })",
        "({ source: 'clink-checkout', type: 'hosted_return', payload: { url: 'https://x.example/' + 'a'.repeat(70000) } })",
        "({ source: 'clink-checkout', type: 'hosted_return', payload: { get url() { return boom(); } } })",
        "({ source: 'clink-checkout', type: 'error', payload: {} })",
        "({ source: 'clink-checkout', type: 'error', payload: { code: 'X' } })",
        "({ source: 'clink-checkout', type: 'error', payload: { message: 'm' } })",
        "({ source: 'clink-checkout', type: 'error', payload: { code: 1, message: 'm' } })",
        "({ source: 'clink-checkout', type: 'error', payload: { code: 'X', message: Symbol() } })",
        "({ source: 'clink-checkout', type: 'error', payload: { code: 'X', get message() { return boom(); } } })",
        // Hostile objects.
        "hostile()",
        "getTrap()",
        &format!("getTrap({ready})"),
        "revoked()",
        "({ get source() { return boom(); }, type: 'ready', payload: {} })",
        "({ source: 'clink-checkout', get type() { return boom(); }, payload: {} })",
        "({ source: 'clink-checkout', type: 'ready', get payload() { return boom(); } })",
        "new Proxy({ source: 'clink-checkout', type: 'ready', payload: {} }, { getPrototypeOf() { throw new Error('trap'); } })",
        "Object.freeze({ source: 'clink-checkout', type: 'nope', payload: Object.freeze({}) })",
    ];
    let mut i = Instance::new("");
    i.begin();
    for data in messages {
        assert_eq!(i.message(data), "[]", "{data}");
    }
    assert_eq!((i.done, i.name()), (false, None));
    // Nothing was taken for a ready or a height.
    assert_eq!(i.loaded(), READY);
    assert_eq!(i.frame("resize", "{ height: 600 }"), r#"[["height",600],["resize",{"height":600}]]"#);
    // A message without a prototype is still a plain object.
    let mut i = Instance::new("");
    assert_eq!(i.message("Object.assign(Object.create(null), { source: 'clink-checkout', type: 'ready', payload: Object.create(null) })"), READY);
}

#[wasm_bindgen_test]
fn poll_answers() {
    let mut i = Instance::new("");
    i.begin();
    assert_eq!(i.poll("null"), "[]", "keep polling");
    assert_eq!(i.poll("undefined"), "[]", "keep polling");

    // pollStatus threw or rejected: whatever it threw is not read.
    let todo = i.step(POLL_FAILED, &ev("hostile()"));
    assert_eq!(todo.length(), 1);
    assert_eq!(at(&todo, "0.0").as_string().as_deref(), Some("error"));
    assert_eq!(at(&todo, "0.1.code").as_string().as_deref(), Some("POLL_STATUS_FAILED"));
    assert_eq!(keys(&at(&todo, "0.1")), "code,message");
    let failed = at(&todo, "0.1.message").as_string().unwrap();
    assert!(failed.contains("pollStatus"), "{failed}");

    let malformed = [
        "'success'", "5", "0", "''", "true", "false", "[]", "[{ state: 'success' }]", "() => ({ state: 'success' })", "Symbol()", "10n",
        "new Date()", "new Map([['state', 'success']])", "({})", "({ state: 'done' })", "({ state: 'Success' })", "({ state: 5 })",
        "({ state: null })", "({ state: new String('success') })", "({ state: 'x'.repeat(70000) })", "({ state: 'success', payload: 'x' })",
        "({ state: 'success', payload: [1] })", "({ state: 'success', payload: 5 })", "({ state: 'success', payload: () => {} })",
        "({ get state() { return boom(); } })", "({ state: 'success', get payload() { return boom(); } })", "hostile()",
        "getTrap({ state: 'success' })", "revoked()",
    ];
    for answer in malformed {
        let todo = i.step(POLL_ANSWER, &ev(answer));
        assert_eq!(todo.length(), 1, "{answer}: {}", show(&todo));
        assert_eq!(at(&todo, "0.0").as_string().as_deref(), Some("error"), "{answer}");
        assert_eq!(at(&todo, "0.1.code").as_string().as_deref(), Some("POLL_STATUS_FAILED"), "{answer}");
        let message = at(&todo, "0.1.message").as_string().unwrap();
        assert!(message.contains("{ state, payload? }") && message != failed, "{answer}: {message}");
    }
    assert_eq!((i.done, i.name()), (false, None), "an error is not a state");

    assert_eq!(i.poll("({ state: 'pending' })"), r#"[["state_change",{"state":"pending","previousState":null}]]"#);
    assert_eq!(i.poll("({ state: 'pending', payload: null })"), "[]");
    assert_eq!(i.poll("({ state: 'payment', payload: { attempt: 2 } })"), r#"[["state_change",{"attempt":2,"state":"payment","previousState":"pending"}]]"#);
    assert_eq!(
        i.poll("Object.freeze({ state: 'success', payload: Object.freeze({ orderId: 'ord_1' }) })"),
        r#"[["state_change",{"orderId":"ord_1","state":"success","previousState":"payment"}],["stop","<undefined>"],["complete",{"orderId":"ord_1","state":"success","source":"poll"}],["destroy","<undefined>"]]"#
    );
    assert_eq!((i.done, i.name()), (true, Some("success")));
}

#[wasm_bindgen_test]
fn poll_and_frame_share_one_state() {
    let mut i = Instance::new("");
    i.begin();
    assert_eq!(i.frame("state_change", "{ state: 'pending' }"), r#"[["state_change",{"state":"pending","previousState":null}]]"#);
    assert_eq!(i.poll("({ state: 'pending' })"), "[]");
    assert_eq!(i.poll("({ state: 'payment' })"), r#"[["state_change",{"state":"payment","previousState":"pending"}]]"#);
    assert_eq!(i.frame("state_change", "{ state: 'payment' }"), "[]", "the frame reports the state the poll already announced");
    assert_eq!(i.frame("state_change", "{ state: 'pending' }"), r#"[["state_change",{"state":"pending","previousState":"payment"}]]"#);
    assert_eq!(
        i.frame("state_change", "{ state: 'expired' }"),
        r#"[["state_change",{"state":"expired","previousState":"pending"}],["stop","<undefined>"],["complete",{"state":"expired","source":"checkout"}]]"#
    );
    assert_eq!(i.poll("({ state: 'success' })"), "[]");
    assert_eq!((i.done, i.name()), (true, Some("expired")));
}

#[wasm_bindgen_test]
fn step_is_total() {
    // An unknown input changes nothing.
    let mut i = Instance::new("");
    i.begin();
    i.frame("state_change", "{ state: 'pending' }");
    let state = i.state;
    for input in [5, 99, u32::MAX] {
        assert_eq!(show(&i.step(input, &ev("hostile()"))), "[]", "input {input}");
        assert_eq!(i.state, state);
    }
    // Any state number and any data: an answer, never a trap or an exception.
    for state in [0, 1, 7, 1023, 0xdead_beef, u32::MAX] {
        for input in [BEGIN, LOADED, MESSAGE, POLL_ANSWER, POLL_FAILED, 7] {
            for data in ["hostile()", "revoked()", "undefined", "({ state: 'success' })"] {
                let out = embedded::step(state, input, ev(data));
                assert!(out.length() >= 3, "{state} {input} {data}");
                packed(&out.get(0));
                assert!(out.get(1).as_bool().is_some());
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// fail: the failures the shell detects (src/web/fail.rs; the numbers are in src/boundary.rs)

#[wasm_bindgen_test]
fn fail_numbers_map_to_their_codes_and_keep_the_cause() {
    use clink_js::boundary::shell_failure as f;
    let codes = [
        (f::NO_FETCH, "BOOTSTRAP_REQUEST_FAILED", "fetchImpl"),
        (f::NETWORK, "BOOTSTRAP_REQUEST_FAILED", "network"),
        (f::TIMEOUT, "BOOTSTRAP_REQUEST_FAILED", "10 s"),
        (f::NOT_A_RESPONSE, "BOOTSTRAP_REQUEST_FAILED", "Response"),
        (f::NO_LOCATION, "NOT_IN_BROWSER", "window.location"),
        (f::NAVIGATION_BLOCKED, "NOT_IN_BROWSER", "refused to navigate"),
        (f::SESSION_THREW, "SESSION_ID_FETCH_FAILED", "it threw"),
        (f::SESSION_REJECTED, "SESSION_ID_FETCH_FAILED", "it rejected"),
        (f::NO_DOCUMENT, "NOT_IN_BROWSER", "document"),
        (f::DESTROYED, "EMBEDDED_CHECKOUT_DESTROYED", "destroyed"),
        (f::ALREADY_MOUNTED, "EMBEDDED_ALREADY_MOUNTED", "already mounted"),
        (f::NO_CONTAINER, "CONTAINER_NOT_FOUND", "selector"),
        (f::BAD_EVENT_TYPE, "INVALID_EMBEDDED_OPTIONS", "event type"),
        (f::BAD_HANDLER, "INVALID_EMBEDDED_OPTIONS", "handler"),
        (f::ANSWER_TOO_LARGE, "INVALID_BOOTSTRAP_RESPONSE", "64 KB"),
    ];
    assert_eq!(codes.len(), f::ALL.len(), "every shell failure is listed");
    let mut messages = HashSet::new();
    for (n, want, part) in codes {
        let cause = ev("new TypeError('root cause')");
        let e = fail(n, &cause);
        let (code, message) = clink_error(&e);
        assert_eq!(code, want, "fail({n})");
        assert!(message.contains(part), "fail({n}): {message}");
        assert!(same(&Reflect::get(&e, &"cause".into()).unwrap(), &cause), "fail({n}) keeps the cause");
        let bare = fail(n, &JsValue::UNDEFINED);
        assert_eq!(clink_error(&bare), (code, message.clone()));
        assert_eq!(error_info(&bare).get(5).as_bool(), Some(false), "no cause: no cause property");
        assert!(!same(&bare, &fail(n, &JsValue::UNDEFINED)), "a fresh error each time");
        messages.insert(message);
    }
    assert_eq!(messages.len(), codes.len(), "each failure says something different");
    // Falsy causes are causes too.
    for cause in ["null", "0", "''", "false"] {
        let e = fail(f::SESSION_THREW, &ev(cause));
        assert_eq!(error_info(&e).get(5).as_bool(), Some(true), "{cause}");
        assert!(same(&Reflect::get(&e, &"cause".into()).unwrap(), &ev(cause)), "{cause}");
    }
    for n in [f::ALL.len() as u32, 100, u32::MAX] {
        assert!(fail(n, &ev("new Error('x')")).is_undefined(), "fail({n})");
    }
}

/// Every code of docs/errors.md comes out of some export, as a real ClinkError or (polling) as an
/// error event; all but FRAME_BLOCKED, which the shell emits (js/core.js: the check of a
/// `securitypolicyviolation` is there, docs/embedded-checkout.md).
#[wasm_bindgen_test]
fn every_code_is_reachable() {
    let mut seen = HashSet::new();
    for n in 0..clink_js::boundary::shell_failure::ALL.len() as u32 {
        seen.insert(clink_error(&fail(n, &JsValue::UNDEFINED)).0);
    }
    seen.insert(code(plan_src("'sk_test_1'", "undefined", "undefined")));
    seen.insert(code(plan_src("'pk_test_1'", "({ locale: 5 })", "undefined")));
    seen.insert(code(parse_answer(&"<html>".into())));
    seen.insert(code(redirect("https://c.example", &ev("({})"))));
    seen.insert(code(redirect("https://c.example", &ev("({ sessionId: 'x' })"))));
    seen.insert(code(embedded_options(false, &ev("({ fetchSession: () => {} })"))));
    seen.insert(code(parse_session(&ev("({ sessionId: 'sess_1', checkoutUrl: 'ftp://x' })"))));
    let mut i = Instance::new("");
    seen.insert(at(&i.step(POLL_FAILED, &JsValue::UNDEFINED), "0.1.code").as_string().unwrap());
    let mut all: Vec<String> = seen.into_iter().collect();
    all.sort();
    assert_eq!(
        all.join(" "),
        "BOOTSTRAP_REQUEST_FAILED CONTAINER_NOT_FOUND EMBEDDED_ALREADY_MOUNTED EMBEDDED_CHECKOUT_DESTROYED EMBEDDED_CHECKOUT_DISABLED \
         INVALID_BOOTSTRAP_RESPONSE INVALID_CHECKOUT_ENV INVALID_CHECKOUT_URL INVALID_EMBEDDED_OPTIONS INVALID_PUBLIC_KEY \
         INVALID_REDIRECT_PARAMS INVALID_SESSION_ID NOT_IN_BROWSER POLL_STATUS_FAILED SESSION_ID_FETCH_FAILED"
    );
}
