//! The `pollStatus` loop (SPEC §4): first call one interval after mount, each next call one
//! interval after the previous one settled, so never two at once. It ends on complete,
//! unmount and destroy; an answer that arrives after that is ignored.
//!
//! Two steps that hand over to each other: `schedule` waits one interval (a cancellable
//! timer registered in the mount, so unmount ends the wait at once), `poll` calls
//! `pollStatus` and applies its answer.

use super::cell::Access;
use super::embedded::{apply_state, emit_poll_error, Instance};
use super::js::{self, classify, object, JsObject};
use super::promise::when_settled;
use super::timer::after;
use crate::embedded::answers::{parse_poll_answer, PollAnswer};
use crate::embedded::machine::Source;
use alloc::rc::Rc;
use wasm_bindgen::JsValue;

/// Waits one interval, then polls with this `attempt` number.
pub fn schedule(inst: Rc<Instance>, generation: u32, attempt: u32) {
    let ms = i32::try_from(inst.interval_ms).unwrap_or(i32::MAX);
    let (timer, wake) = after(ms, &JsValue::UNDEFINED);
    let mut wake = wake;
    if inst.generation() == generation {
        inst.mounted.read(|m| m.as_ref().map(|m| m.poll_wake.write(|w| *w = wake.take())));
    }
    if let Some(unregistered) = wake {
        // The mount already ended.
        return unregistered.cancel();
    }
    when_settled(&timer.into(), move |fired| {
        if inst.generation() == generation {
            inst.mounted.read(|m| m.as_ref().map(|m| m.poll_wake.write(Option::take)));
        }
        // A cancelled wait resolves with `false`; a timer that fired, with `undefined`.
        if matches!(fired, Ok(v) if v.is_undefined()) && !inst.is_stale(generation) {
            poll(inst, generation, attempt);
        }
    });
}

fn poll(inst: Rc<Instance>, generation: u32, attempt: u32) {
    let Some(poll_status) = inst.poll_status.clone() else { return };
    let order_id = inst.session.order_id.as_deref().map(JsValue::from_str).unwrap_or(JsValue::UNDEFINED);
    let ctx = object(&[("sessionId", &JsValue::from_str(&inst.session.session_id)), ("orderId", &order_id), ("attempt", &JsValue::from(attempt))]);
    let answer = match js::call(&poll_status, &ctx) {
        Ok(v) => v,
        Err(e) => js_sys::Promise::reject(&e).into(),
    };
    when_settled(&answer, move |answer| {
        if inst.is_stale(generation) {
            return;
        }
        match answer.map(|v| parse_poll_answer(classify(v))) {
            Err(_) => emit_poll_error(&inst, false),
            Ok(PollAnswer::Malformed) => emit_poll_error(&inst, true),
            Ok(PollAnswer::KeepPolling) => {}
            Ok(PollAnswer::State { state, payload }) => apply_state(&inst, state, Source::Poll, payload.map(|p: JsObject| p.0).as_ref()),
        }
        if !inst.is_stale(generation) {
            schedule(inst, generation, attempt.saturating_add(1));
        }
    });
}
