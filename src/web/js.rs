//! The edge between JavaScript values and the pure modules: reading values without ever
//! letting a throwing getter, Proxy trap or revoked Proxy unwind through Rust, building the
//! plain objects the SDK hands out, and turning a `Failure` into a `ClinkError`.

use crate::error::{Code, Failure};
use crate::value::{Object, Val};
use alloc::string::String;
use js_sys::{Function, JsString, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Strings longer than this (UTF-16 units) are never copied into wasm: every string the SDK
/// reads is short, and a 1 MB one is a mistake or an attack.
const MAX_STRING: u32 = 64 * 1024;

#[wasm_bindgen(module = "/js/error.js")]
extern "C" {
    /// `code` is the index of the `Code` (the same order as `CODES` in js/error.js).
    #[wasm_bindgen(js_name = createClinkError)]
    fn create_clink_error(code: u32, message: &str, cause: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = errorFields)]
    fn error_fields(code: u32, message: &str) -> JsValue;
}

#[wasm_bindgen(module = "/js/interop.js")]
extern "C" {
    #[wasm_bindgen(js_name = isPlainObject)]
    fn is_plain_object(v: &JsValue) -> bool;
    #[wasm_bindgen(js_name = global)]
    fn global_property(key: &str) -> JsValue;
}

#[wasm_bindgen]
extern "C" {
    // `catch` everywhere a hostile value can make JavaScript throw: an exception unwinding
    // through wasm frames would leave Rust state half-updated.
    #[wasm_bindgen(js_namespace = Array, js_name = isArray, catch)]
    fn is_array(v: &JsValue) -> Result<bool, JsValue>;
    #[wasm_bindgen(js_namespace = Object, js_name = keys, catch)]
    fn object_keys(v: &JsValue) -> Result<js_sys::Array, JsValue>;
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    pub fn json_parse(text: &JsString) -> Result<JsValue, JsValue>;
}

pub fn to_clink_error(f: Failure, cause: &JsValue) -> JsValue {
    create_clink_error(f.code as u32, &f.message, cause)
}

pub fn clink_error(f: Failure) -> JsValue {
    to_clink_error(f, &JsValue::UNDEFINED)
}

/// `{ code, message }`, the payload of an `error` event.
pub fn failure_fields(f: Failure) -> JsValue {
    error_fields(f.code as u32, &f.message)
}

/// A JavaScript object seen through [`Object`].
#[derive(Clone)]
pub struct JsObject(pub JsValue);

impl Object for JsObject {
    fn get(&self, key: &str) -> Val<JsObject> {
        match Reflect::get(&self.0, &JsValue::from_str(key)) {
            Ok(v) => classify(v),
            Err(_) => Val::Unreadable,
        }
    }

    fn is_plain(&self) -> bool {
        is_plain_object(&self.0)
    }
}

pub fn classify(v: JsValue) -> Val<JsObject> {
    if v.is_undefined() {
        Val::Undefined
    } else if v.is_null() {
        Val::Null
    } else if let Some(b) = v.as_bool() {
        Val::Bool(b)
    } else if let Some(n) = v.as_f64() {
        Val::Num(n)
    } else if v.is_string() {
        let s: &JsString = v.unchecked_ref();
        if s.length() > MAX_STRING {
            Val::Other
        } else {
            Val::Str(String::from(s))
        }
    } else if v.is_function() {
        Val::Function
    } else if v.is_object() {
        match is_array(&v) {
            Ok(false) => Val::Obj(JsObject(v)),
            Ok(true) => Val::Array,
            Err(_) => Val::Unreadable,
        }
    } else {
        Val::Other
    }
}

/// Reads `obj[key]` as a raw value; `None` when the read threw.
pub fn get(obj: &JsValue, key: &str) -> Option<JsValue> {
    Reflect::get(obj, &JsValue::from_str(key)).ok()
}

/// Reads an optional function option: `Ok(None)` when undefined.
pub fn optional_function(obj: &JsValue, key: &str, bad: Failure) -> Result<Option<Function>, Failure> {
    match get(obj, key) {
        Some(v) if v.is_undefined() => Ok(None),
        Some(v) => v.dyn_into::<Function>().map(Some).map_err(|_| bad),
        None => Err(bad),
    }
}

/// Options must be a plain object (or undefined when `allow_undefined`).
pub fn options_object(v: &JsValue, allow_undefined: bool) -> Option<JsValue> {
    if v.is_undefined() && allow_undefined {
        return Some(js_sys::Object::new().into());
    }
    match classify(v.clone()) {
        Val::Obj(o) => Some(o.0),
        _ => None,
    }
}

/// A property of the global object (`window` in a page, `globalThis` in Node), or `None`.
pub fn global(key: &str) -> Option<JsValue> {
    Some(global_property(key)).filter(|v| !v.is_undefined() && !v.is_null())
}

/// A fresh plain object with the given properties.
pub fn object(props: &[(&str, &JsValue)]) -> js_sys::Object {
    let o = js_sys::Object::new();
    for (k, v) in props {
        set(&o, k, v);
    }
    o
}

/// Sets a property on an object this crate created (never on one the merchant gave us).
pub fn set(o: &js_sys::Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(o, &JsValue::from_str(key), value);
}

/// Copies the forwardable own keys of `from` (a payload from the frame or `pollStatus`) onto
/// `to`, skipping anything that could not be read.
pub fn copy_extra_fields(from: &JsValue, to: &js_sys::Object) {
    let Ok(keys) = object_keys(from) else { return };
    let mut copied = 0;
    for key in keys.iter() {
        if copied >= crate::embedded::protocol::MAX_FORWARDED_KEYS {
            break;
        }
        let Some(name) = key.as_string() else { continue };
        if !crate::embedded::protocol::is_forwarded_key(&name) {
            continue;
        }
        if let Ok(value) = Reflect::get(from, &key) {
            let _ = Reflect::set(to, &key, &value);
            copied += 1;
        }
    }
}

pub const NOT_IN_BROWSER_DOCUMENT: Failure = Failure::new(
    Code::NotInBrowser,
    "Embedded checkout needs a browser document. Call initEmbeddedCheckout in the browser (in a useEffect or onMounted hook, not during server-side rendering).",
);
pub const NOT_IN_BROWSER_LOCATION: Failure = Failure::new(
    Code::NotInBrowser,
    "redirectToCheckout needs a browser window (window.location). Call it from a click handler in the browser, not during server-side rendering.",
);
