//! `initEmbeddedCheckout` and the instance (README "initEmbeddedCheckout"), the decisions: the options, the
//! `fetchSession` answer, and `step`, which turns every mount, frame message, iframe load and
//! `pollStatus` answer into the list of things to do. `js/core.js` owns the iframe, the
//! listeners, the poll timer and the handlers, and carries those lists out.

use super::js::{self, classify, clink_error, object, JsObject, NOT_IN_BROWSER_DOCUMENT};
use crate::boundary::step_input::{BEGIN, LOADED, MESSAGE, POLL_ANSWER, POLL_FAILED};
use crate::boundary::step_op::{COMPLETE, DESTROY, ERROR, HEIGHT, HOSTED_RETURN, READY, RESIZE, STATE_CHANGE, STOP};
use crate::embedded::answers::{self, parse_poll_answer, poll_interval, PollAnswer, DEFAULT_POLL_INTERVAL_MS};
use crate::embedded::instance::InstanceState;
use crate::embedded::machine::{Source, State};
use crate::embedded::protocol::{self, FrameMessage};
use crate::error::{Code, Failure};
use crate::value::{Object, Val};
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
pub const POLL_STATUS_FAILED: Failure = Failure::new(Code::PollStatusFailed, "pollStatus threw or rejected; polling continues.");
const POLL_MALFORMED: Failure = Failure::new(
    Code::PollStatusFailed,
    "pollStatus must resolve null (keep polling) or { state, payload? } with a known state; polling continues.",
);

/// `embeddedOptions(enabled, options)` → `[fetchSession, onEvent, pollStatus, pollIntervalMs,
/// state]` (absent callbacks are `undefined`; `state` is the first for [`step`]).
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
    let flag = |key: &'static str| match view.get(key) {
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
    all.push(&InstanceState::new(auto_resize, auto_destroy).pack().into());
    Ok(all)
}

/// `parseSession(value)`: what `fetchSession` resolved → `[sessionId, checkoutUrl, orderId |
/// undefined, checkoutOrigin]`, or the `ClinkError`.
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

/// The decisions of one instance. `state` is what the previous step (or `embeddedOptions`)
/// returned; `input` says what happened: a new mount, the iframe's `load`, a `message` from
/// the iframe's window and the checkout origin (the shell checks both; `data` is its data),
/// or a `pollStatus` answer (`data`) or failure.
///
/// Returns `[nextState, done, stateName | null, op, arg, op, arg, …]`: `done` once a terminal
/// state was reached (no more polling), then what to do, in order: an event (`READY`…`ERROR`)
/// and its payload, `HEIGHT` and the CSS pixels to set, `STOP` (polling ends) or `DESTROY`.
#[wasm_bindgen]
pub fn step(state: u32, input: u32, data: JsValue) -> Array {
    let mut s = InstanceState::unpack(state);
    let todo = Array::of3(&JsValue::UNDEFINED, &JsValue::UNDEFINED, &JsValue::UNDEFINED);
    match input {
        BEGIN => {
            s.ready_sent = false;
            s.applied_height = 0;
        }
        LOADED => ready(&mut s, &todo),
        MESSAGE => message(&mut s, &todo, &data),
        POLL_ANSWER => match parse_poll_answer(classify(data)) {
            PollAnswer::Malformed => add(&todo, ERROR, &js::failure_fields(POLL_MALFORMED)),
            PollAnswer::KeepPolling => {}
            PollAnswer::State { state, payload } => apply(&mut s, &todo, state, Source::Poll, payload.map(|p: JsObject| p.0).as_ref()),
        },
        POLL_FAILED => add(&todo, ERROR, &js::failure_fields(POLL_STATUS_FAILED)),
        _ => {}
    }
    todo.set(0, s.pack().into());
    todo.set(1, s.machine.is_complete().into());
    todo.set(2, state_name(s.machine.current()));
    todo
}

fn message(s: &mut InstanceState, todo: &Array, data: &JsValue) {
    let Some(message) = protocol::parse(&classify(data.clone())) else { return };
    match message {
        FrameMessage::Ready => ready(s, todo),
        FrameMessage::Resize { height, css_px } => {
            if s.auto_resize && s.applied_height != css_px {
                s.applied_height = css_px;
                add(todo, HEIGHT, &css_px.into());
            }
            add(todo, RESIZE, &object(&[("height", &height.into())]).into());
        }
        FrameMessage::StateChange { state } => {
            let payload = js::get(data, "payload");
            apply(s, todo, state, Source::Checkout, payload.as_ref());
        }
        FrameMessage::HostedReturn { state, url } => {
            let payload = js_sys::Object::new();
            if let Some(st) = state {
                js::set(&payload, "state", &st.into());
            }
            if let Some(u) = url {
                js::set(&payload, "url", &u.into());
            }
            add(todo, HOSTED_RETURN, &payload.into());
        }
        FrameMessage::Error { code, message } => add(todo, ERROR, &object(&[("code", &code.into()), ("message", &message.into())]).into()),
    }
}

fn ready(s: &mut InstanceState, todo: &Array) {
    if !s.ready_sent {
        s.ready_sent = true;
        add(todo, READY, &js_sys::Object::new().into());
    }
}

/// A state reported by the frame or by `pollStatus`, through the state machine.
fn apply(s: &mut InstanceState, todo: &Array, state: State, source: Source, extra: Option<&JsValue>) {
    let Some(t) = s.machine.apply(state) else { return };
    add(todo, STATE_CHANGE, &state_payload(extra, t.state, ("previousState", &state_name(t.previous))));
    if !t.complete {
        return;
    }
    add(todo, STOP, &JsValue::UNDEFINED);
    add(todo, COMPLETE, &state_payload(extra, t.state, ("source", &JsValue::from_str(source.as_str()))));
    if t.state == State::Success && s.auto_destroy {
        add(todo, DESTROY, &JsValue::UNDEFINED);
    }
}

/// A state's name, or `null` for none yet (`getState().state`, `previousState`).
fn state_name(state: Option<State>) -> JsValue {
    state.map(|s| JsValue::from_str(s.as_str())).unwrap_or(JsValue::NULL)
}

fn add(todo: &Array, op: u32, arg: &JsValue) {
    todo.push(&op.into());
    todo.push(arg);
}

/// `{ ...extra, state, [key]: value }`: the extra fields first, so they cannot override the SDK's.
fn state_payload(extra: Option<&JsValue>, state: State, (key, value): (&'static str, &JsValue)) -> JsValue {
    let payload = js_sys::Object::new();
    if let Some(x) = extra {
        js::copy_extra_fields(x, &payload);
    }
    js::set(&payload, "state", &JsValue::from_str(state.as_str()));
    js::set(&payload, key, value);
    payload.into()
}
