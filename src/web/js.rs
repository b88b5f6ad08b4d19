//! The edge between JavaScript values and the pure modules: reading values without ever
//! letting a throwing getter, Proxy trap or revoked Proxy unwind through Rust, building the
//! plain objects the SDK hands out, and turning a `Failure` into a `ClinkError`.

use crate::error::{Code, Failure};
use crate::value::{Object, Val};
use core::cell::UnsafeCell;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/error.js")]
extern "C" {
    /// `code` is the index of the `Code` (the same order as `CODES` in js/error.js).
    #[wasm_bindgen(js_name = createClinkError)]
    fn create_clink_error(code: u32, message: &str, cause: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = errorFields)]
    fn error_fields(code: u32, message: &str) -> JsValue;
}

// Every read that hostile JavaScript could make throw goes through these helpers, which catch
// in JavaScript: nothing unwinds through wasm frames, and no `catch` binding is needed.
#[wasm_bindgen(module = "/js/interop.js")]
extern "C" {
    /// `o[key]`, or a marker that `kind` reports as unreadable when the read threw.
    fn read(o: &JsValue, key: &JsValue) -> JsValue;
    /// What kind of value `v` is: one of `kinds` below.
    fn kind(v: &JsValue) -> u32;
    #[wasm_bindgen(js_name = isPlainObject)]
    fn is_plain_object(v: &JsValue) -> bool;
    #[wasm_bindgen(js_name = global)]
    fn global_property(key: &str) -> JsValue;
    /// `JSON.parse(text)`, or the unreadable marker when it threw.
    #[wasm_bindgen(js_name = parseJson)]
    fn parse_json(text: &JsValue) -> JsValue;
    /// The own enumerable string keys of at most `max_length` UTF-16 units, or `[]` when
    /// listing them threw.
    #[wasm_bindgen(js_name = ownKeys)]
    fn own_keys(o: &JsValue, max_length: u32) -> js_sys::Array;
    /// Where `o[key]` is among the lines of `choices` when it is a string, else -1 (also when
    /// the read threw).
    #[wasm_bindgen(js_name = oneOf)]
    fn one_of_js(o: &JsValue, key: &JsValue, choices: &JsValue) -> i32;
    /// `o[key] = value` on an object this crate created.
    #[wasm_bindgen(js_name = assign)]
    fn assign(o: &JsValue, key: &JsValue, value: &JsValue);
}

/// The numbers `kind()` in js/interop.js returns.
use crate::boundary::value_kind as kinds;

/// What an export returns to `js/core.js`: the answer, or the `ClinkError` (which the shell
/// throws). One return value instead of wasm-bindgen's result triple keeps each export smaller.
pub fn answer(result: Result<impl Into<JsValue>, JsValue>) -> JsValue {
    match result {
        Ok(v) => v.into(),
        Err(e) => e,
    }
}

pub fn to_clink_error(f: &Failure, cause: &JsValue) -> JsValue {
    create_clink_error(f.code as u32, &f.message, cause)
}

pub fn clink_error(f: Failure) -> JsValue {
    to_clink_error(&f, &JsValue::UNDEFINED)
}

/// `{ code, message }`, the payload of an `error` event.
pub fn failure_fields(f: Failure) -> JsValue {
    error_fields(f.code as u32, &f.message)
}

/// A JavaScript object seen through [`Object`].
#[derive(Clone)]
pub struct JsObject(pub JsValue);

impl Object for JsObject {
    fn get(&self, key: &'static str) -> Val<JsObject> {
        classify(read_named(&self.0, key))
    }

    fn one_of(&self, key: &'static str, choices: &'static str) -> Option<usize> {
        let index = with_name(key, |key| with_name(choices, |choices| one_of_js(&self.0, key, choices)));
        usize::try_from(index).ok()
    }

    fn is_plain(&self) -> bool {
        is_plain_object(&self.0)
    }
}

/// The JavaScript strings of the property names the SDK reads and of the name lists
/// `one_of` compares with, made once: turning a Rust string into a JavaScript one on every
/// read was most of the cost of reading a frame message. The SDK uses a fixed set of names, so
/// the table is small; a name past its size is made afresh each time.
struct Names([UnsafeCell<Option<(&'static str, JsValue)>>; 48]);
// wasm32 without atomics is single-threaded.
unsafe impl Sync for Names {}
#[allow(clippy::declare_interior_mutable_const)] // copied into each slot, never shared
const EMPTY_NAME: UnsafeCell<Option<(&'static str, JsValue)>> = UnsafeCell::new(None);
static NAMES: Names = Names([EMPTY_NAME; 48]);

/// `name` as a JavaScript string from the table (made there on first use), or `None` when the
/// table is full.
fn interned(name: &'static str) -> Option<&'static JsValue> {
    for slot in NAMES.0.iter() {
        // SAFETY: single-threaded, and a slot is written once, while it is empty (so no
        // reference to its content exists yet), and never changed after that, so the
        // references handed out stay valid.
        let entry = unsafe {
            if (*slot.get()).is_none() {
                *slot.get() = Some((name, JsValue::from_str(name)));
            }
            &*slot.get()
        };
        if let Some((known, value)) = entry {
            if *known == name {
                return Some(value);
            }
        }
    }
    None
}

/// Calls `f` with `name` as a JavaScript string, interned when the table has room.
fn with_name<R>(name: &'static str, f: impl FnOnce(&JsValue) -> R) -> R {
    match interned(name) {
        Some(value) => f(value),
        None => f(&name.into()),
    }
}

/// `o[name]`, or the unreadable marker when the read threw.
fn read_named(o: &JsValue, name: &'static str) -> JsValue {
    with_name(name, |key| read(o, key))
}

/// What a JavaScript value is. Strings over 64 K UTF-16 units are `Other` (`kind` says so):
/// every string the SDK reads is short, and a 1 MB one is a mistake or an attack.
pub fn classify(v: JsValue) -> Val<JsObject> {
    match kind(&v) {
        kinds::UNDEFINED => Val::Undefined,
        kinds::NULL => Val::Null,
        kinds::FALSE => Val::Bool(false),
        kinds::TRUE => Val::Bool(true),
        kinds::NUMBER => Val::Num(v.as_f64().unwrap_or(f64::NAN)),
        kinds::STRING => v.as_string().map(Val::Str).unwrap_or(Val::Other),
        kinds::FUNCTION => Val::Function,
        kinds::ARRAY => Val::Array,
        kinds::OBJECT => Val::Obj(JsObject(v)),
        kinds::UNREADABLE => Val::Unreadable,
        _ => Val::Other,
    }
}

/// Reads `obj[key]` as a raw value; `None` when the read threw.
pub fn get(obj: &JsValue, key: &'static str) -> Option<JsValue> {
    Some(read_named(obj, key)).filter(|v| kind(v) != kinds::UNREADABLE)
}

/// Reads an optional function option: `Ok(None)` when undefined.
pub fn optional_function(obj: &JsValue, key: &'static str, bad: Failure) -> Result<Option<JsValue>, Failure> {
    let v = read_named(obj, key);
    match kind(&v) {
        kinds::UNDEFINED => Ok(None),
        kinds::FUNCTION => Ok(Some(v)),
        _ => Err(bad),
    }
}

/// Options must be a plain object (or undefined when `allow_undefined`).
pub fn options_object(v: &JsValue, allow_undefined: bool) -> Option<JsValue> {
    match kind(v) {
        kinds::UNDEFINED if allow_undefined => Some(js_sys::Object::new().into()),
        kinds::OBJECT => Some(v.clone()),
        _ => None,
    }
}

/// A property of the global object (`window` in a page, `globalThis` in Node), or `None`.
pub fn global(key: &str) -> Option<JsValue> {
    Some(global_property(key)).filter(|v| !matches!(kind(v), kinds::UNDEFINED | kinds::NULL | kinds::UNREADABLE))
}

/// A fresh plain object with the given properties.
pub fn object(props: &[(&'static str, &JsValue)]) -> js_sys::Object {
    let o = js_sys::Object::new();
    for (k, v) in props {
        set(&o, k, v);
    }
    o
}

/// Sets a property on an object this crate created (never on one the merchant gave us).
pub fn set(o: &js_sys::Object, key: &'static str, value: &JsValue) {
    with_name(key, |key| assign(o, key, value));
}

/// Copies the forwardable own keys of `from` (a payload from the frame or `pollStatus`) onto
/// `to`, skipping anything that could not be read.
pub fn copy_extra_fields(from: &JsValue, to: &js_sys::Object) {
    let mut copied = 0;
    for key in own_keys(from, crate::embedded::protocol::MAX_KEY_CHARS).iter() {
        if copied >= crate::embedded::protocol::MAX_FORWARDED_KEYS {
            break;
        }
        let Some(name) = key.as_string() else { continue };
        if !crate::embedded::protocol::is_forwarded_key(&name) {
            continue;
        }
        let value = read(from, &key);
        if kind(&value) != kinds::UNREADABLE {
            assign(to, &key, &value);
            copied += 1;
        }
    }
}

/// `JSON.parse(text)`, `None` when it threw.
pub fn json_parse(text: &JsValue) -> Option<JsValue> {
    Some(parse_json(text)).filter(|v| kind(v) != kinds::UNREADABLE)
}

pub const NOT_IN_BROWSER_DOCUMENT: Failure = Failure::new(
    Code::NotInBrowser,
    "Embedded checkout needs a browser document. Call initEmbeddedCheckout in the browser (in a useEffect or onMounted hook, not during server-side rendering).",
);
pub const NOT_IN_BROWSER_LOCATION: Failure = Failure::new(
    Code::NotInBrowser,
    "redirectToCheckout needs a browser window (window.location). Call it from a click handler in the browser, not during server-side rendering.",
);
