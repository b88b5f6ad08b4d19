//! `initEmbeddedCheckout` and the instance (SPEC §4), the decisions: the options, the
//! `fetchSession` answer, and `Core`, which turns every frame message, iframe load and
//! `pollStatus` answer into the list of things to do. `js/core.js` owns the iframe, the
//! listeners, the poll timer and the handlers, and carries those lists out.

use super::js::{self, classify, clink_error, object, JsObject, NOT_IN_BROWSER_DOCUMENT};
use crate::embedded::answers::{self, parse_poll_answer, poll_interval, PollAnswer, DEFAULT_POLL_INTERVAL_MS};
use crate::embedded::machine::{Machine, Source, State};
use crate::embedded::protocol::{self, FrameMessage};
use crate::error::{Code, Failure};
use crate::value::{Object, Val};
use core::cell::Cell;
use js_sys::Array;
use wasm_bindgen::prelude::*;

const BAD_OPTIONS: Failure = Failure::new(
    Code::InvalidEmbeddedOptions,
    "initEmbeddedCheckout needs an options object with an async fetchSession() that resolves { sessionId, checkoutUrl, orderId? } from your backend.",
);
const BAD_CALLBACK: Failure = Failure::new(Code::InvalidEmbeddedOptions, "onEvent and pollStatus must be functions when given.");
const BAD_FLAG: Failure = Failure::new(Code::InvalidEmbeddedOptions, "autoResize and autoDestroyOnComplete must be booleans when given.");
const BAD_INTERVAL: Failure = Failure::new(
    Code::InvalidEmbeddedOptions,
    "pollIntervalMs must be a number of milliseconds, at least 100 (default 2000).",
);
pub const BAD_EVENT_TYPE: Failure = Failure::new(
    Code::InvalidEmbeddedOptions,
    "Unknown event type: use 'ready', 'resize', 'state_change', 'complete', 'hosted_return' or 'error'.",
);
pub const BAD_HANDLER: Failure = Failure::new(Code::InvalidEmbeddedOptions, "The event handler passed to on() must be a function.");
const DISABLED: Failure = Failure::new(
    Code::EmbeddedCheckoutDisabled,
    "Embedded checkout is not enabled for this account. Use redirectToCheckout, or ask Clink to enable embedded checkout.",
);
pub const DESTROYED: Failure = Failure::new(
    Code::EmbeddedCheckoutDestroyed,
    "This embedded checkout was destroyed. Call clink.initEmbeddedCheckout() again for a new one.",
);
pub const ALREADY_MOUNTED: Failure = Failure::new(
    Code::EmbeddedAlreadyMounted,
    "This embedded checkout is already mounted. Call unmount() first to move it.",
);
pub const NO_CONTAINER: Failure = Failure::new(
    Code::ContainerNotFound,
    "mount() needs a CSS selector that matches an element on the page, or an HTMLElement. Mount after the container is rendered.",
);
pub const POLL_FAILED: Failure = Failure::new(Code::PollStatusFailed, "pollStatus threw or rejected; polling continues.");
const POLL_MALFORMED: Failure = Failure::new(
    Code::PollStatusFailed,
    "pollStatus must resolve null (keep polling) or { state, payload? } with a known state; polling continues.",
);

/// `embeddedOptions(enabled, options)` → `[fetchSession, onEvent, pollStatus, pollIntervalMs,
/// autoResize, autoDestroyOnComplete]` (absent callbacks are `undefined`); throws a `ClinkError`.
pub fn embedded_options(embedded_checkout_enabled: bool, options: &JsValue) -> Result<Array, JsValue> {
    read_options(embedded_checkout_enabled, options).map_err(clink_error)
}

fn read_options(embedded_checkout_enabled: bool, options: &JsValue) -> Result<Array, Failure> {
    js::global("document").ok_or(NOT_IN_BROWSER_DOCUMENT)?;
    let o = js::options_object(options, false).ok_or(BAD_OPTIONS)?;
    let fetch_session = js::optional_function(&o, "fetchSession", BAD_OPTIONS)?.ok_or(BAD_OPTIONS)?;
    let on_event = js::optional_function(&o, "onEvent", BAD_CALLBACK)?;
    let poll_status = js::optional_function(&o, "pollStatus", BAD_CALLBACK)?;
    let view = JsObject(o);
    let flag = |key: &str| match view.get(key) {
        Val::Undefined => Ok(true),
        Val::Bool(b) => Ok(b),
        _ => Err(BAD_FLAG),
    };
    let auto_resize = flag("autoResize")?;
    let auto_destroy = flag("autoDestroyOnComplete")?;
    let interval_ms = match view.get("pollIntervalMs") {
        Val::Undefined => DEFAULT_POLL_INTERVAL_MS,
        Val::Num(ms) => poll_interval(ms).ok_or(BAD_INTERVAL)?,
        _ => return Err(BAD_INTERVAL),
    };
    if !embedded_checkout_enabled {
        return Err(DISABLED);
    }
    let or_undefined = |f: Option<JsValue>| f.unwrap_or(JsValue::UNDEFINED);
    let all = Array::of3(&fetch_session, &or_undefined(on_event), &or_undefined(poll_status));
    all.push(&interval_ms.into());
    all.push(&auto_resize.into());
    all.push(&auto_destroy.into());
    Ok(all)
}

/// `parseSession(value)`: what `fetchSession` resolved → `[sessionId, checkoutUrl, orderId |
/// undefined, checkoutOrigin]`; throws a `ClinkError`.
pub fn parse_session(value: JsValue) -> Result<Array, JsValue> {
    let s = answers::parse_session(&classify(value)).map_err(clink_error)?;
    let order_id = s.order_id.map(JsValue::from).unwrap_or(JsValue::UNDEFINED);
    let all = Array::of3(&s.session_id.into(), &s.checkout_url.into(), &order_id);
    all.push(&s.checkout_origin.into());
    Ok(all)
}

#[wasm_bindgen(js_name = embeddedOptions)]
pub fn embedded_options_export(embedded_checkout_enabled: bool, options: &JsValue) -> JsValue {
    js::answer(embedded_options(embedded_checkout_enabled, options))
}

#[wasm_bindgen(js_name = parseSession)]
pub fn parse_session_export(value: JsValue) -> JsValue {
    js::answer(parse_session(value))
}

/// The decisions of one instance: the state machine, and per mount whether `ready` was sent
/// and which height the iframe has. Each method returns what to do, in order, as
/// `[op, arg]` pairs: an event type and its payload, `"height"` and the CSS pixels to set,
/// `"stop"` (polling ends) or `"destroy"`.
#[wasm_bindgen]
pub struct Core {
    machine: Cell<Machine>,
    auto_resize: bool,
    auto_destroy: bool,
    ready_sent: Cell<bool>,
    applied_height: Cell<u32>,
}

#[wasm_bindgen]
impl Core {
    #[wasm_bindgen(constructor)]
    pub fn new(auto_resize: bool, auto_destroy: bool) -> Core {
        Core { machine: Cell::new(Machine::new()), auto_resize, auto_destroy, ready_sent: Cell::new(false), applied_height: Cell::new(0) }
    }

    /// A new mount: its iframe starts without a height and has not said `ready`.
    pub fn begin(&self) {
        self.ready_sent.set(false);
        self.applied_height.set(0);
    }

    /// The iframe fired `load`.
    pub fn loaded(&self) -> Array {
        let todo = Array::new();
        self.ready(&todo);
        todo
    }

    /// A `message` from the iframe's window and the checkout origin (the shell checks both).
    pub fn message(&self, data: &JsValue) -> Array {
        let todo = Array::new();
        let Some(message) = protocol::parse(&classify(data.clone())) else { return todo };
        match message {
            FrameMessage::Ready => self.ready(&todo),
            FrameMessage::Resize { height, css_px } => {
                if self.auto_resize && self.applied_height.get() != css_px {
                    self.applied_height.set(css_px);
                    add(&todo, "height", &css_px.into());
                }
                add(&todo, "resize", &object(&[("height", &height.into())]).into());
            }
            FrameMessage::StateChange { state } => {
                let payload = js::get(data, "payload");
                self.apply(&todo, state, Source::Checkout, payload.as_ref());
            }
            FrameMessage::HostedReturn { state, url } => {
                let payload = js_sys::Object::new();
                if let Some(s) = state {
                    js::set(&payload, "state", &s.into());
                }
                if let Some(u) = url {
                    js::set(&payload, "url", &u.into());
                }
                add(&todo, "hosted_return", &payload.into());
            }
            FrameMessage::Error { code, message } => add(&todo, "error", &object(&[("code", &code.into()), ("message", &message.into())]).into()),
        }
        todo
    }

    /// What `pollStatus` gave: `ok` false when it threw or rejected.
    pub fn poll(&self, ok: bool, answer: JsValue) -> Array {
        let todo = Array::new();
        if !ok {
            add(&todo, "error", &js::failure_fields(POLL_FAILED));
            return todo;
        }
        match parse_poll_answer(classify(answer)) {
            PollAnswer::Malformed => add(&todo, "error", &js::failure_fields(POLL_MALFORMED)),
            PollAnswer::KeepPolling => {}
            PollAnswer::State { state, payload } => self.apply(&todo, state, Source::Poll, payload.map(|p: JsObject| p.0).as_ref()),
        }
        todo
    }

    /// The current checkout state, or `null` before the first.
    pub fn state(&self) -> JsValue {
        self.machine.get().current().map(|s| JsValue::from_str(s.as_str())).unwrap_or(JsValue::NULL)
    }

    /// Whether a terminal state was reached (no more polling, no more state events).
    pub fn done(&self) -> bool {
        self.machine.get().is_complete()
    }
}

impl Core {
    fn ready(&self, todo: &Array) {
        if !self.ready_sent.replace(true) {
            add(todo, "ready", &js_sys::Object::new().into());
        }
    }

    /// A state reported by the frame or by `pollStatus`, through the state machine.
    fn apply(&self, todo: &Array, state: State, source: Source, extra: Option<&JsValue>) {
        let mut machine = self.machine.get();
        let transition = machine.apply(state);
        self.machine.set(machine);
        let Some(t) = transition else { return };
        let previous = t.previous.map(|p| JsValue::from_str(p.as_str())).unwrap_or(JsValue::NULL);
        add(todo, "state_change", &state_payload(extra, t.state, ("previousState", &previous)));
        if !t.complete {
            return;
        }
        add(todo, "stop", &JsValue::UNDEFINED);
        add(todo, "complete", &state_payload(extra, t.state, ("source", &JsValue::from_str(source.as_str()))));
        if t.state == State::Success && self.auto_destroy {
            add(todo, "destroy", &JsValue::UNDEFINED);
        }
    }
}

fn add(todo: &Array, op: &str, arg: &JsValue) {
    todo.push(&Array::of2(&JsValue::from_str(op), arg));
}

/// `{ ...extra, state, [key]: value }`: the extra fields first, so they cannot override the SDK's.
fn state_payload(extra: Option<&JsValue>, state: State, (key, value): (&str, &JsValue)) -> JsValue {
    let payload = js_sys::Object::new();
    if let Some(x) = extra {
        js::copy_extra_fields(x, &payload);
    }
    js::set(&payload, "state", &JsValue::from_str(state.as_str()));
    js::set(&payload, key, value);
    payload.into()
}
