//! Browser tests of the DOM shell (`wasm-pack test --headless --chrome -- --features std`):
//! the bootstrap path against answers served by a test `fetchImpl`, redirect and embedded
//! validation, and the iframe's ownership. Cross-origin frames are covered by tests/e2e.
#![cfg(target_arch = "wasm32")]

use clink_js::web::load::load;
use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
export function answering(status, body, calls) {
  return (url, init) => { calls.push(url); return Promise.resolve(new Response(body, { status })); };
}
export function rejecting(calls) {
  return (url) => { calls.push(url); return Promise.reject(new TypeError('Failed to fetch')); };
}
export function throwing() { return () => { throw new Error('sync throw'); }; }
export function hanging(calls) {
  return (url, init) => { calls.push(url); return new Promise((_, reject) => init.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))); };
}
export function evaluate(src) { return (0, eval)(src); }
export function returning(value) { return () => Promise.resolve(value); }
export function opts(fetchImpl) { return { fetchImpl, locale: 'en-US', origin: 'https://shop.example' }; }
export function errorInfo(e) { return [String(e && e.name), String(e && e.code), String(e && e.message), e instanceof Error]; }
export function throwingGetter() { return { get checkoutEnvironment() { throw new Error('boom'); } }; }
export function hostileProxy() { return new Proxy({}, { get() { throw new Error('trap'); }, has() { throw new Error('trap'); }, ownKeys() { throw new Error('trap'); } }); }
"#)]
extern "C" {
    fn answering(status: u16, body: &str, calls: &js_sys::Array) -> Function;
    fn rejecting(calls: &js_sys::Array) -> Function;
    fn throwing() -> Function;
    fn hanging(calls: &js_sys::Array) -> Function;
    fn returning(value: &JsValue) -> Function;
    /// Test-only: builds JS values from literals (js-sys's eval is off: the SDK is CSP-clean).
    fn evaluate(src: &str) -> JsValue;
    fn opts(fetch_impl: &Function) -> JsValue;
    #[wasm_bindgen(js_name = errorInfo)]
    fn error_info(e: &JsValue) -> js_sys::Array;
    #[wasm_bindgen(js_name = throwingGetter)]
    fn throwing_getter() -> JsValue;
    #[wasm_bindgen(js_name = hostileProxy)]
    fn hostile_proxy() -> JsValue;
}

const GOOD: &str = r#"{"code":200,"msg":"success","data":{"checkoutBaseUrl":"https://uat-checkout.clinkbill.com","embeddedCheckoutEnabled":true}}"#;

async fn settle(p: Promise) -> Result<JsValue, JsValue> {
    JsFuture::from(p).await
}

/// The rejection's ClinkError code, after checking it is a real ClinkError.
async fn code_of(p: Promise) -> String {
    let err = settle(p).await.err().expect("expected a rejection");
    let info = error_info(&err);
    assert_eq!(info.get(0).as_string().as_deref(), Some("ClinkError"));
    assert_eq!(info.get(3).as_bool(), Some(true), "ClinkError is an Error");
    info.get(1).as_string().unwrap_or_default()
}

fn key(k: &str) -> JsValue {
    JsValue::from_str(k)
}

fn base_url(clink: &JsValue) -> Option<String> {
    Reflect::get(clink, &"checkoutBaseUrl".into()).ok().and_then(|v| v.as_string())
}

#[wasm_bindgen_test]
async fn bootstrap_answer_envelope_resolves_with_query_params() {
    let calls = js_sys::Array::new();
    let clink = settle(load(key("pk_test_good1"), opts(&answering(200, GOOD, &calls)), JsValue::UNDEFINED)).await.unwrap();
    assert_eq!(base_url(&clink).as_deref(), Some("https://uat-checkout.clinkbill.com"));
    assert_eq!(calls.length(), 1);
    assert_eq!(
        calls.get(0).as_string().as_deref(),
        Some("https://uat-api.clinkbill.com/api/sdk/bootstrap?publishableKey=pk_test_good1&origin=https%3A%2F%2Fshop.example&locale=en-US")
    );
}

#[wasm_bindgen_test]
async fn bare_data_answer_and_production_key() {
    let calls = js_sys::Array::new();
    let f = answering(200, r#"{"checkoutBaseUrl":"https://checkout.clinkbill.com/"}"#, &calls);
    let clink = settle(load(key("pk_prod_bare"), opts(&f), JsValue::UNDEFINED)).await.unwrap();
    assert_eq!(base_url(&clink).as_deref(), Some("https://checkout.clinkbill.com"));
    assert!(calls.get(0).as_string().unwrap_or_default().starts_with("https://api.clinkbill.com/api/sdk/bootstrap?"));
}

#[wasm_bindgen_test]
async fn location_origin_is_sent_when_no_origin_option() {
    let calls = js_sys::Array::new();
    let options = js_sys::Object::new();
    Reflect::set(&options, &"fetchImpl".into(), &answering(200, GOOD, &calls)).unwrap();
    settle(load(key("pk_uat_origin"), options.into(), JsValue::UNDEFINED)).await.unwrap();
    let origin = web_sys::window().unwrap().location().origin().unwrap();
    let url = calls.get(0).as_string().unwrap_or_default();
    assert!(url.ends_with(&format!("origin={}", js_sys::encode_uri_component(&origin))), "{url}");
    assert!(!url.contains("locale="));
}

#[wasm_bindgen_test]
async fn failures_map_to_their_codes() {
    let calls = js_sys::Array::new();
    let cases: [(u16, &str, &str); 9] = [
        (500, "oops", "BOOTSTRAP_REQUEST_FAILED"),
        (404, GOOD, "BOOTSTRAP_REQUEST_FAILED"),
        (200, r#"{"code":401,"msg":"invalid key"}"#, "BOOTSTRAP_REQUEST_FAILED"),
        (200, "<html>", "INVALID_BOOTSTRAP_RESPONSE"),
        (200, r#"{"code":200,"data":{"checkoutBaseUrl":5}}"#, "INVALID_BOOTSTRAP_RESPONSE"),
        (200, r#"{"code":"200","data":{"checkoutBaseUrl":"https://c.example"}}"#, "INVALID_BOOTSTRAP_RESPONSE"),
        (200, r#"{"checkoutBaseUrl":"https://c.example","embeddedCheckoutEnabled":"yes"}"#, "INVALID_BOOTSTRAP_RESPONSE"),
        (200, r#"{"checkoutBaseUrl":"http://c.example"}"#, "INVALID_BOOTSTRAP_RESPONSE"),
        (200, "[]", "INVALID_BOOTSTRAP_RESPONSE"),
    ];
    for (i, (status, body, want)) in cases.iter().enumerate() {
        // A distinct key per case: failures are not shared, but be explicit about it.
        let k = format!("pk_test_fail{i}");
        assert_eq!(code_of(load(key(&k), opts(&answering(*status, body, &calls)), JsValue::UNDEFINED)).await, *want, "{body}");
    }
}

#[wasm_bindgen_test]
async fn status_and_envelope_message_are_named() {
    let calls = js_sys::Array::new();
    let err = settle(load(key("pk_test_msg"), opts(&answering(503, "", &calls)), JsValue::UNDEFINED)).await.unwrap_err();
    assert!(error_info(&err).get(2).as_string().unwrap_or_default().contains("HTTP 503"));
    let err = settle(load(key("pk_test_msg2"), opts(&answering(200, r#"{"code":403,"msg":"origin not allowed"}"#, &calls)), JsValue::UNDEFINED))
        .await
        .unwrap_err();
    assert!(error_info(&err).get(2).as_string().unwrap_or_default().contains("origin not allowed"));
}

#[wasm_bindgen_test]
async fn network_failure_and_sync_throw() {
    let calls = js_sys::Array::new();
    assert_eq!(code_of(load(key("pk_test_net"), opts(&rejecting(&calls)), JsValue::UNDEFINED)).await, "BOOTSTRAP_REQUEST_FAILED");
    assert_eq!(code_of(load(key("pk_test_net2"), opts(&throwing()), JsValue::UNDEFINED)).await, "BOOTSTRAP_REQUEST_FAILED");
    assert_eq!(code_of(load(key("pk_test_net3"), opts(&returning(&JsValue::from(5))), JsValue::UNDEFINED)).await, "BOOTSTRAP_REQUEST_FAILED");
}

#[wasm_bindgen_test]
async fn timeout_after_ten_seconds_aborts_the_request() {
    let calls = js_sys::Array::new();
    let started = js_sys::Date::now();
    assert_eq!(code_of(load(key("pk_test_slow"), opts(&hanging(&calls)), JsValue::UNDEFINED)).await, "BOOTSTRAP_REQUEST_FAILED");
    let waited = js_sys::Date::now() - started;
    assert!((9_500.0..20_000.0).contains(&waited), "waited {waited} ms");
}

#[wasm_bindgen_test]
async fn failure_is_not_remembered_and_success_is_shared() {
    let calls = js_sys::Array::new();
    let bad = answering(500, "", &calls);
    assert_eq!(code_of(load(key("pk_test_retry"), opts(&bad), JsValue::UNDEFINED)).await, "BOOTSTRAP_REQUEST_FAILED");
    assert_eq!(code_of(load(key("pk_test_retry"), opts(&bad), JsValue::UNDEFINED)).await, "BOOTSTRAP_REQUEST_FAILED");
    assert_eq!(calls.length(), 2, "the failed request was retried");
    let good = answering(200, GOOD, &calls);
    let options = opts(&good);
    let a = load(key("pk_test_share"), options.clone(), JsValue::UNDEFINED);
    let b = load(key("pk_test_share"), options.clone(), JsValue::UNDEFINED);
    settle(a).await.unwrap();
    settle(b).await.unwrap();
    settle(load(key("pk_test_share"), options, JsValue::UNDEFINED)).await.unwrap();
    assert_eq!(calls.length(), 3, "one request for three identical calls");
}

#[wasm_bindgen_test]
async fn bad_keys_and_options_never_reach_the_network() {
    let calls = js_sys::Array::new();
    let f = answering(200, GOOD, &calls);
    for k in ["sk_test_secret", "", "pk_live_x", "pk_test_", "pk_test_a-b"] {
        assert_eq!(code_of(load(key(k), opts(&f), JsValue::UNDEFINED)).await, "INVALID_PUBLIC_KEY", "{k}");
    }
    assert_eq!(code_of(load(JsValue::from(5), opts(&f), JsValue::UNDEFINED)).await, "INVALID_PUBLIC_KEY");
    assert_eq!(code_of(load(key("pk_test_a"), throwing_getter(), JsValue::UNDEFINED)).await, "INVALID_CHECKOUT_ENV");
    assert_eq!(code_of(load(key("pk_test_a"), hostile_proxy(), JsValue::UNDEFINED)).await, "INVALID_CHECKOUT_ENV");
    assert_eq!(code_of(load(key("pk_test_a"), JsValue::from_str("x"), JsValue::UNDEFINED)).await, "INVALID_CHECKOUT_ENV");
    assert_eq!(code_of(load(key("pk_test_a"), JsValue::UNDEFINED, JsValue::from_str("staging"))).await, "INVALID_CHECKOUT_ENV");
    assert_eq!(calls.length(), 0);
    // And the module still works.
    assert!(settle(load(key("pk_test_after"), opts(&f), JsValue::UNDEFINED)).await.is_ok());
}

#[wasm_bindgen_test]
async fn redirect_validation_never_navigates() {
    let clink = settle(load(key("pk_test_r"), evaluate("({ checkoutBaseUrl: 'https://c.example' })"), JsValue::UNDEFINED)).await.unwrap();
    let redirect: Function = Reflect::get(&clink, &"redirectToCheckout".into()).unwrap().unchecked_into();
    let before = web_sys::window().unwrap().location().href().unwrap();
    let cases = [
        ("undefined", "INVALID_REDIRECT_PARAMS"),
        ("({})", "INVALID_REDIRECT_PARAMS"),
        ("'sess_1'", "INVALID_REDIRECT_PARAMS"),
        ("({ sessionParam: '' })", "INVALID_REDIRECT_PARAMS"),
        ("({ sessionParam: 5, sessionId: 'sess_1' })", "INVALID_REDIRECT_PARAMS"),
        ("({ sessionParam: 'sess_1#a b' })", "INVALID_REDIRECT_PARAMS"),
        ("({ sessionId: 'abc' })", "INVALID_SESSION_ID"),
        ("({ sessionId: 7 })", "INVALID_SESSION_ID"),
        ("({ sessionId: 'sess_1', replace: 'yes' })", "INVALID_REDIRECT_PARAMS"),
    ];
    for (params, want) in cases {
        let err = redirect.call1(&clink, &evaluate(params)).unwrap_err();
        assert_eq!(error_info(&err).get(1).as_string().as_deref(), Some(want), "{params}");
    }
    assert_eq!(web_sys::window().unwrap().location().href().unwrap(), before);
}

#[wasm_bindgen_test]
async fn embedded_mount_owns_one_iframe() {
    let clink = settle(load(key("pk_test_e"), evaluate("({ checkoutBaseUrl: 'https://c.example' })"), JsValue::UNDEFINED)).await.unwrap();
    let init: Function = Reflect::get(&clink, &"initEmbeddedCheckout".into()).unwrap().unchecked_into();
    let options = evaluate("({ fetchSession: async () => ({ sessionId: 'sess_e1', checkoutUrl: 'about:blank#x' }) })");
    let p: Promise = init.call1(&clink, &options).unwrap().unchecked_into();
    assert_eq!(error_info(&settle(p).await.unwrap_err()).get(1).as_string().as_deref(), Some("INVALID_CHECKOUT_URL"));

    let url = "http://127.0.0.1:9/pay/sess_e1%23tok?x=1#frag";
    let options = evaluate(&format!("({{ fetchSession: async () => ({{ sessionId: 'sess_e1', checkoutUrl: '{url}' }}) }})"));
    let p: Promise = init.call1(&clink, &options).unwrap().unchecked_into();
    let embedded = settle(p).await.unwrap();
    let document = web_sys::window().unwrap().document().unwrap();
    let host = document.create_element("div").unwrap();
    host.set_id("clink-test-host");
    document.body().unwrap().append_child(&host).unwrap();
    let call = |name: &str, arg: &JsValue| -> Result<JsValue, JsValue> {
        let f: Function = Reflect::get(&embedded, &name.into()).unwrap().unchecked_into();
        f.call1(&embedded, arg)
    };
    let err = call("mount", &"#nope".into()).unwrap_err();
    assert_eq!(error_info(&err).get(1).as_string().as_deref(), Some("CONTAINER_NOT_FOUND"));
    for _ in 0..3 {
        call("mount", &"#clink-test-host".into()).unwrap();
        let err = call("mount", &"#clink-test-host".into()).unwrap_err();
        assert_eq!(error_info(&err).get(1).as_string().as_deref(), Some("EMBEDDED_ALREADY_MOUNTED"));
        let frames = host.query_selector_all("iframe").unwrap();
        assert_eq!(frames.length(), 1);
        let iframe: web_sys::HtmlIFrameElement = frames.get(0).unwrap().unchecked_into();
        assert_eq!(iframe.get_attribute("src").as_deref(), Some(url), "mounted exactly as given");
        assert_eq!(iframe.get_attribute("allow").as_deref(), Some("payment *"));
        assert!(!iframe.title().is_empty());
        call("unmount", &JsValue::UNDEFINED).unwrap();
        assert_eq!(host.query_selector_all("iframe").unwrap().length(), 0);
        call("unmount", &JsValue::UNDEFINED).unwrap();
    }
    call("destroy", &JsValue::UNDEFINED).unwrap();
    call("destroy", &JsValue::UNDEFINED).unwrap();
    let err = call("mount", &host.clone().into()).unwrap_err();
    assert_eq!(error_info(&err).get(1).as_string().as_deref(), Some("EMBEDDED_CHECKOUT_DESTROYED"));
    host.remove();
}
