//! `initEmbeddedCheckout` and the instance (SPEC §4): the data path is
//! `fetchSession` → `mount` → iframe → `message` → `protocol::parse` → `Machine` → handlers.
//!
//! Borrow discipline: no `RefCell` borrow is held while merchant code runs, because a
//! handler may call `on`, `unmount` or `destroy` re-entrantly.

use super::cell::Access;
use super::frame::{create_iframe, set_height, Listener, Mounted};
use super::js::{self, classify, clink_error, console_error, object, to_clink_error, JsObject, NOT_IN_BROWSER_DOCUMENT};
use super::poll;
use super::promise::{when_settled, Deferred};
use crate::embedded::answers::{parse_session, poll_interval, session_fetch_failed, Session, DEFAULT_POLL_INTERVAL_MS};
use crate::embedded::machine::{Machine, Source, State};
use crate::embedded::protocol::{self, FrameMessage};
use crate::error::{Code, Failure};
use crate::value::{Object, Val};
use alloc::rc::Rc;
use alloc::vec::Vec;
use core::cell::{Cell, RefCell};
use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, EventTarget, MessageEvent};

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
const BAD_EVENT_TYPE: Failure = Failure::new(
    Code::InvalidEmbeddedOptions,
    "Unknown event type: use 'ready', 'resize', 'state_change', 'complete', 'hosted_return' or 'error'.",
);
const BAD_HANDLER: Failure = Failure::new(Code::InvalidEmbeddedOptions, "The event handler passed to on() must be a function.");
const DISABLED: Failure = Failure::new(
    Code::EmbeddedCheckoutDisabled,
    "Embedded checkout is not enabled for this account. Use redirectToCheckout, or ask Clink to enable embedded checkout.",
);
const DESTROYED: Failure = Failure::new(
    Code::EmbeddedCheckoutDestroyed,
    "This embedded checkout was destroyed. Call clink.initEmbeddedCheckout() again for a new one.",
);
const ALREADY_MOUNTED: Failure = Failure::new(
    Code::EmbeddedAlreadyMounted,
    "This embedded checkout is already mounted. Call unmount() first to move it.",
);
const NO_CONTAINER: Failure = Failure::new(
    Code::ContainerNotFound,
    "mount() needs a CSS selector that matches an element on the page, or an HTMLElement. Mount after the container is rendered.",
);
const POLL_FAILED: Failure = Failure::new(Code::PollStatusFailed, "pollStatus threw or rejected; polling continues.");
const POLL_MALFORMED: Failure = Failure::new(
    Code::PollStatusFailed,
    "pollStatus must resolve null (keep polling) or { state, payload? } with a known state; polling continues.",
);

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    Ready,
    Resize,
    StateChange,
    Complete,
    HostedReturn,
    Error,
}

impl EventKind {
    fn parse(s: &str) -> Option<EventKind> {
        Some(match s {
            "ready" => EventKind::Ready,
            "resize" => EventKind::Resize,
            "state_change" => EventKind::StateChange,
            "complete" => EventKind::Complete,
            "hosted_return" => EventKind::HostedReturn,
            "error" => EventKind::Error,
            _ => return None,
        })
    }

    const fn as_str(self) -> &'static str {
        match self {
            EventKind::Ready => "ready",
            EventKind::Resize => "resize",
            EventKind::StateChange => "state_change",
            EventKind::Complete => "complete",
            EventKind::HostedReturn => "hosted_return",
            EventKind::Error => "error",
        }
    }
}

struct Handler {
    id: u32,
    kind: EventKind,
    f: Function,
}

pub struct Instance {
    pub session: Session,
    checkout_origin: JsValue,
    pub poll_status: Option<Function>,
    pub interval_ms: u32,
    auto_resize: bool,
    auto_destroy: bool,
    on_event: RefCell<Option<Function>>,
    handlers: RefCell<Vec<Handler>>,
    next_handler_id: Cell<u32>,
    machine: Cell<Machine>,
    pub mounted: RefCell<Option<Mounted>>,
    /// Bumped by every mount and unmount: callbacks of an earlier mount see a new number and
    /// do nothing.
    generation: Cell<u32>,
    destroyed: Cell<bool>,
}

pub fn init(embedded_checkout_enabled: bool, options: JsValue) -> Promise {
    let deferred = Deferred::new();
    let promise = deferred.promise.clone();
    match prepare(embedded_checkout_enabled, &options) {
        Err(f) => deferred.settle(Err(clink_error(f))),
        Ok(options) => match options.fetch_session.call0(&JsValue::UNDEFINED) {
            Err(e) => deferred.settle(Err(to_clink_error(session_fetch_failed("it threw"), &e))),
            Ok(pending) => when_settled(&pending, move |result| {
                let created = match result {
                    Err(e) => Err(to_clink_error(session_fetch_failed("it rejected"), &e)),
                    Ok(value) => parse_session(&classify(value)).map(|session| EmbeddedCheckout::new(options, session).into()).map_err(clink_error),
                };
                deferred.settle(created);
            }),
        },
    }
    promise
}

fn prepare(embedded_checkout_enabled: bool, options: &JsValue) -> Result<Options, Failure> {
    js::global("document").ok_or(NOT_IN_BROWSER_DOCUMENT)?;
    let options = read_options(options)?;
    if !embedded_checkout_enabled {
        return Err(DISABLED);
    }
    Ok(options)
}

struct Options {
    fetch_session: Function,
    on_event: Option<Function>,
    poll_status: Option<Function>,
    auto_resize: bool,
    auto_destroy: bool,
    interval_ms: u32,
}

fn read_options(options: &JsValue) -> Result<Options, Failure> {
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
    Ok(Options { fetch_session, on_event, poll_status, auto_resize, auto_destroy, interval_ms })
}

/// The embedded checkout instance (wrapped by `js/core.js` as the public `EmbeddedCheckout`).
#[wasm_bindgen]
pub struct EmbeddedCheckout {
    inner: Rc<Instance>,
}

impl EmbeddedCheckout {
    fn new(options: Options, session: Session) -> EmbeddedCheckout {
        EmbeddedCheckout {
            inner: Rc::new(Instance {
                checkout_origin: JsValue::from_str(&session.checkout_origin),
                session,
                poll_status: options.poll_status,
                interval_ms: options.interval_ms,
                auto_resize: options.auto_resize,
                auto_destroy: options.auto_destroy,
                on_event: RefCell::new(options.on_event),
                handlers: RefCell::new(Vec::new()),
                next_handler_id: Cell::new(0),
                machine: Cell::new(Machine::new()),
                mounted: RefCell::new(None),
                generation: Cell::new(0),
                destroyed: Cell::new(false),
            }),
        }
    }
}

#[wasm_bindgen]
impl EmbeddedCheckout {
    pub fn mount(&self, container: JsValue) -> Result<(), JsValue> {
        mount(&self.inner, &container).map_err(clink_error)
    }

    pub fn unmount(&self) {
        unmount(&self.inner);
    }

    pub fn destroy(&self) {
        destroy(&self.inner);
    }

    /// Subscribes; returns the id that `off` takes.
    pub fn on(&self, kind: JsValue, handler: JsValue) -> Result<u32, JsValue> {
        let inst = &self.inner;
        if inst.destroyed.get() {
            return Err(clink_error(DESTROYED));
        }
        let kind = kind.as_string().and_then(|k| EventKind::parse(&k)).ok_or_else(|| clink_error(BAD_EVENT_TYPE))?;
        let f = handler.dyn_into::<Function>().map_err(|_| clink_error(BAD_HANDLER))?;
        let id = inst.next_handler_id.get().wrapping_add(1);
        inst.next_handler_id.set(id);
        inst.handlers.write(|h| h.push(Handler { id, kind, f }));
        Ok(id)
    }

    pub fn off(&self, id: u32) {
        self.inner.handlers.write(|h| h.retain(|h| h.id != id));
    }

    #[wasm_bindgen(js_name = getState)]
    pub fn get_state(&self) -> JsValue {
        let inst = &self.inner;
        let state = inst.machine.get().current().map(|s| JsValue::from_str(s.as_str())).unwrap_or(JsValue::NULL);
        object(&[
            ("mounted", &JsValue::from_bool(inst.is_mounted())),
            ("destroyed", &JsValue::from_bool(inst.destroyed.get())),
            ("state", &state),
        ])
        .into()
    }
}

impl Instance {
    /// Whether work started by mount number `generation` must stop.
    pub fn is_stale(&self, generation: u32) -> bool {
        self.generation.get() != generation || self.destroyed.get() || self.machine.get().is_complete()
    }

    pub fn generation(&self) -> u32 {
        self.generation.get()
    }

    /// Whether a listener of mount number `generation` must ignore its event.
    fn is_stale_mount(&self, generation: u32) -> bool {
        self.generation.get() != generation || self.destroyed.get()
    }

    fn is_mounted(&self) -> bool {
        self.mounted.read(Option::is_some).unwrap_or(true)
    }
}

fn mount(inst: &Rc<Instance>, container: &JsValue) -> Result<(), Failure> {
    if inst.destroyed.get() {
        return Err(DESTROYED);
    }
    if inst.is_mounted() {
        return Err(ALREADY_MOUNTED);
    }
    let document: Document = js::global("document").and_then(|d| d.dyn_into().ok()).ok_or(NOT_IN_BROWSER_DOCUMENT)?;
    let parent = find_container(&document, container).ok_or(NO_CONTAINER)?;
    let iframe = create_iframe(&document, &inst.session.checkout_url).ok_or(NOT_IN_BROWSER_DOCUMENT)?;
    let generation = inst.generation.get().wrapping_add(1);
    inst.generation.set(generation);
    let window: EventTarget = js_sys::global().unchecked_into();
    // The listeners hold the instance: a mounted checkout stays alive even when the merchant
    // drops every reference to it. The cycle ends with unmount/destroy.
    let on_message = {
        let inst = inst.clone();
        move |event: JsValue| handle_message(&inst, generation, &event)
    };
    let on_load = {
        let inst = inst.clone();
        move |_: JsValue| emit_ready(&inst, generation)
    };
    let mounted = Mounted::new(iframe.clone(), Listener::new(&window, "message", on_message), Listener::new(&iframe, "load", on_load));
    parent.append_child(&iframe).map_err(|_| NO_CONTAINER)?;
    inst.mounted.write(|m| *m = Some(mounted));
    if inst.poll_status.is_some() {
        poll::schedule(inst.clone(), generation, 1);
    }
    Ok(())
}

fn find_container(document: &Document, container: &JsValue) -> Option<Element> {
    if let Some(selector) = container.as_string() {
        return document.query_selector(&selector).ok().flatten();
    }
    container.dyn_ref::<Element>().cloned()
}

fn unmount(inst: &Instance) {
    let taken = inst.mounted.write(Option::take).flatten();
    if taken.is_some() {
        inst.generation.set(inst.generation.get().wrapping_add(1));
    }
    drop(taken);
}

fn destroy(inst: &Instance) {
    inst.destroyed.set(true);
    unmount(inst);
    let handlers = inst.handlers.write(core::mem::take);
    let on_event = inst.on_event.write(Option::take);
    drop((handlers, on_event));
}

/// The only entry for frame messages: acts when the sender is this instance's iframe window,
/// the origin is the checkout URL's origin and the data parses; otherwise does nothing.
fn handle_message(inst: &Rc<Instance>, generation: u32, event: &JsValue) {
    if inst.is_stale_mount(generation) {
        return;
    }
    let Some(event) = event.dyn_ref::<MessageEvent>() else { return };
    let Some(frame_window) = inst.mounted.read(|m| m.as_ref().map(|m| m.iframe.content_window())).flatten() else { return };
    let (Some(source), Some(frame_window)) = (event.source(), frame_window) else { return };
    // Compared as JS strings: no copy of `event.origin` into wasm on the hot path.
    if !js_sys::Object::is(&source, &frame_window) || !js::get(event, "origin").is_some_and(|o| js_sys::Object::is(&o, &inst.checkout_origin)) {
        return;
    }
    let data = event.data();
    let Some(message) = protocol::parse(&classify(data.clone())) else { return };
    match message {
        FrameMessage::Ready => emit_ready(inst, generation),
        FrameMessage::Resize { height, css_px } => {
            if inst.auto_resize {
                inst.mounted.read(|m| {
                    if let Some(m) = m.as_ref().filter(|m| m.applied_height.get() != css_px) {
                        m.applied_height.set(css_px);
                        set_height(&m.iframe, css_px);
                    }
                });
            }
            emit(inst, EventKind::Resize, &object(&[("height", &JsValue::from_f64(height))]));
        }
        FrameMessage::StateChange { state } => {
            let payload = js::get(&data, "payload");
            apply_state(inst, state, Source::Checkout, payload.as_ref());
        }
        FrameMessage::HostedReturn { state, url } => {
            let payload = js_sys::Object::new();
            if let Some(s) = state {
                js::set(&payload, "state", &JsValue::from(s));
            }
            if let Some(u) = url {
                js::set(&payload, "url", &JsValue::from(u));
            }
            emit(inst, EventKind::HostedReturn, &payload);
        }
        FrameMessage::Error { code, message } => {
            emit(inst, EventKind::Error, &object(&[("code", &JsValue::from(code)), ("message", &JsValue::from(message))]));
        }
    }
}

fn emit_ready(inst: &Instance, generation: u32) {
    if inst.is_stale_mount(generation) {
        return;
    }
    let first = inst.mounted.read(|m| m.as_ref().is_some_and(|m| !m.ready_sent.replace(true))).unwrap_or(false);
    if first {
        emit(inst, EventKind::Ready, &js_sys::Object::new());
    }
}

/// A state reported by the frame or by `pollStatus`, through the state machine.
pub fn apply_state(inst: &Instance, state: State, source: Source, extra: Option<&JsValue>) {
    let mut machine = inst.machine.get();
    let transition = machine.apply(state);
    inst.machine.set(machine);
    let Some(t) = transition else { return };
    let previous = t.previous.map(|p| JsValue::from_str(p.as_str())).unwrap_or(JsValue::NULL);
    emit(inst, EventKind::StateChange, &state_payload(extra, t.state, ("previousState", &previous)));
    if !t.complete {
        return;
    }
    // Polling stops now: cancel a pending poll sleep rather than waiting for it.
    let wake = inst.mounted.read(|m| m.as_ref().and_then(|m| m.poll_wake.write(Option::take).flatten())).flatten();
    if let Some(w) = wake {
        w.cancel();
    }
    emit(inst, EventKind::Complete, &state_payload(extra, t.state, ("source", &JsValue::from_str(source.as_str()))));
    if t.state == State::Success && inst.auto_destroy {
        destroy(inst);
    }
}

/// `{ ...extra, state, [key]: value }`: the extra fields first, so they cannot override the SDK's.
fn state_payload(extra: Option<&JsValue>, state: State, (key, value): (&str, &JsValue)) -> js_sys::Object {
    let payload = js_sys::Object::new();
    if let Some(x) = extra {
        js::copy_extra_fields(x, &payload);
    }
    js::set(&payload, "state", &JsValue::from_str(state.as_str()));
    js::set(&payload, key, value);
    payload
}

pub fn emit_poll_error(inst: &Instance, malformed: bool) {
    let f = if malformed { POLL_MALFORMED } else { POLL_FAILED };
    emit(inst, EventKind::Error, &object(&[("code", &JsValue::from_str(f.code.as_str())), ("message", &JsValue::from_str(&f.message))]));
}

/// Calls `onEvent`, then the `on(kind)` handlers, each isolated: a throw is reported with
/// `console.error` and the others still run. Stops if a handler destroys the instance.
fn emit(inst: &Instance, kind: EventKind, payload: &js_sys::Object) {
    if inst.destroyed.get() {
        return;
    }
    js_sys::Object::freeze(payload);
    let event = js_sys::Object::freeze(&object(&[("type", &JsValue::from_str(kind.as_str())), ("payload", payload)]));
    let on_event = inst.on_event.read(Option::clone).flatten();
    let targets: Vec<(u32, Function)> =
        inst.handlers.read(|hs| hs.iter().filter(|h| h.kind == kind).map(|h| (h.id, h.f.clone())).collect()).unwrap_or_default();
    if let Some(f) = on_event {
        report(js::call(&f, &event));
    }
    for (id, f) in targets {
        if inst.destroyed.get() {
            return;
        }
        // Unsubscribed by an earlier handler of this same event: skip, like removeEventListener.
        if !inst.handlers.read(|hs| hs.iter().any(|h| h.id == id)).unwrap_or(false) {
            continue;
        }
        report(js::call(&f, &event));
    }
}

fn report(result: Result<JsValue, JsValue>) {
    if let Err(e) = result {
        console_error("[clink] an event handler threw:", &e);
    }
}
