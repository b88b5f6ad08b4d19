//! The `pollStatus` loop (SPEC §4): first call one interval after mount, each next call one
//! interval after the previous one settled, so never two at once. It ends on complete,
//! unmount and destroy; an answer that arrives after that is ignored.

use super::embedded::{apply_state, emit_poll_error, Instance};
use super::js::{self, classify, object, JsObject};
use super::timer::after;
use crate::embedded::answers::{parse_poll_answer, PollAnswer};
use crate::embedded::machine::Source;
use alloc::rc::Rc;
use js_sys::Promise;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

pub async fn run(inst: Rc<Instance>, generation: u32) {
    let Some(poll_status) = inst.poll_status.clone() else { return };
    let order_id = inst.session.order_id.clone().map(JsValue::from).unwrap_or(JsValue::UNDEFINED);
    let session_id = JsValue::from_str(&inst.session.session_id);
    let mut attempt: u32 = 0;
    loop {
        if !sleep(&inst, generation).await || inst.is_stale(generation) {
            return;
        }
        attempt = attempt.saturating_add(1);
        let ctx = object(&[("sessionId", &session_id), ("orderId", &order_id), ("attempt", &JsValue::from(attempt))]);
        let answer = match js::call(&poll_status, &ctx) {
            Ok(v) => JsFuture::from(Promise::resolve(&v)).await,
            Err(e) => Err(e),
        };
        if inst.is_stale(generation) {
            return;
        }
        match answer.map(|v| parse_poll_answer(classify(v))) {
            Err(_) => emit_poll_error(&inst, false),
            Ok(PollAnswer::Malformed) => emit_poll_error(&inst, true),
            Ok(PollAnswer::KeepPolling) => {}
            Ok(PollAnswer::State { state, payload }) => apply_state(&inst, state, Source::Poll, payload.map(|p: JsObject| p.0).as_ref()),
        }
    }
}

/// Waits one interval; `false` when the mount ended first (the wake was cancelled).
async fn sleep(inst: &Instance, generation: u32) -> bool {
    let (promise, wake) = after(inst.interval_ms, &JsValue::UNDEFINED);
    let Some(wake) = wake else { return false };
    match inst.mounted.borrow().as_ref() {
        Some(m) if inst.generation() == generation => *m.poll_wake.borrow_mut() = Some(wake),
        _ => {
            wake.cancel();
            return false;
        }
    }
    let fired = matches!(JsFuture::from(promise).await, Ok(v) if v.is_undefined());
    if inst.generation() == generation {
        if let Some(m) = inst.mounted.borrow().as_ref() {
            m.poll_wake.borrow_mut().take();
        }
    }
    fired
}
