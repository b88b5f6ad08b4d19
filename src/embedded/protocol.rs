//! The checkout frame protocol (README "The checkout frame protocol"): what the hosted checkout page may post to the SDK.
//! Parsing is total: anything not exactly well formed is `None` and is ignored. Checking
//! `event.source` and `event.origin` happens before this, in the shell (`js/core.js`).

use super::machine::{css_height, State, STATE_NAMES};
use crate::value::{Object, Val};
use alloc::string::String;

pub const NAMESPACE: &str = "clink-checkout";

#[derive(Clone, Debug, PartialEq)]
pub enum FrameMessage {
    Ready,
    Resize { height: f64, css_px: u32 },
    StateChange { state: State },
    HostedReturn { state: Option<String>, url: Option<String> },
    Error { code: String, message: String },
}

/// The message types, one per line, by the index `parse` matches on.
const TYPES: &str = "ready\nresize\nstate_change\nhosted_return\nerror";

pub fn parse<O: Object>(data: &Val<O>) -> Option<FrameMessage> {
    let msg = data.as_obj().filter(|m| m.is_plain())?;
    msg.one_of("source", NAMESPACE)?;
    let kind = msg.one_of("type", TYPES)?;
    let payload = msg.get("payload");
    let payload = payload.as_obj().filter(|p| p.is_plain())?;
    match kind {
        0 => Some(FrameMessage::Ready),
        1 => match payload.get("height") {
            Val::Num(h) => css_height(h).map(|css_px| FrameMessage::Resize { height: h, css_px }),
            _ => None,
        },
        2 => Some(FrameMessage::StateChange { state: payload.one_of("state", STATE_NAMES).and_then(State::at)? }),
        3 => Some(FrameMessage::HostedReturn { state: optional_string(payload.get("state"))?, url: optional_string(payload.get("url"))? }),
        _ => match (payload.get("code"), payload.get("message")) {
            (Val::Str(code), Val::Str(message)) => Some(FrameMessage::Error { code, message }),
            _ => None,
        },
    }
}

/// `Some(None)` when absent, `Some(Some(s))` for a string, `None` (reject) otherwise.
fn optional_string<O>(v: Val<O>) -> Option<Option<String>> {
    match v {
        Val::Undefined => Some(None),
        Val::Str(s) => Some(Some(s)),
        _ => None,
    }
}

/// Extra payload keys copied into `state_change`/`complete` payloads. The SDK's own keys
/// and `__proto__` (which would set the new object's prototype) are never copied.
pub fn is_forwarded_key(key: &str) -> bool {
    !matches!(key, "__proto__" | "state" | "previousState" | "source") && key.len() <= MAX_KEY_CHARS as usize
}

/// Longer payload keys are not forwarded; `js/interop.js` `ownKeys` drops them before they
/// are copied into wasm memory.
pub const MAX_KEY_CHARS: u32 = 64;

/// At most this many extra keys are copied from a payload.
pub const MAX_FORWARDED_KEYS: u32 = 32;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::fake::{n, obj, s, Obj};

    fn msg(kind: &str, payload: Val<Obj>) -> Val<Obj> {
        obj(&[("source", s(NAMESPACE)), ("type", s(kind)), ("payload", payload)])
    }

    #[test]
    fn well_formed_messages() {
        assert_eq!(parse(&msg("ready", obj(&[]))), Some(FrameMessage::Ready));
        assert_eq!(parse(&msg("resize", obj(&[("height", n(742.0))]))), Some(FrameMessage::Resize { height: 742.0, css_px: 742 }));
        assert_eq!(parse(&msg("state_change", obj(&[("state", s("pending"))]))), Some(FrameMessage::StateChange { state: State::Pending }));
        assert_eq!(
            parse(&msg("hosted_return", obj(&[("state", s("success")), ("url", s("https://shop.example/ok?sessionId=sess_1"))]))),
            Some(FrameMessage::HostedReturn { state: Some("success".into()), url: Some("https://shop.example/ok?sessionId=sess_1".into()) })
        );
        assert_eq!(parse(&msg("hosted_return", obj(&[]))), Some(FrameMessage::HostedReturn { state: None, url: None }));
        assert_eq!(
            parse(&msg("error", obj(&[("code", s("CARD_DECLINED")), ("message", s("Declined"))]))),
            Some(FrameMessage::Error { code: "CARD_DECLINED".into(), message: "Declined".into() })
        );
    }

    #[test]
    fn everything_else_is_ignored() {
        let bad = [
            Val::Null,
            Val::Undefined,
            s("ready"),
            n(1.0),
            Val::Array,
            Val::Function,
            Val::Unreadable,
            obj(&[]),
            obj(&[("source", s(NAMESPACE)), ("type", s("ready"))]),
            obj(&[("source", s("clink-checkout ")), ("type", s("ready")), ("payload", obj(&[]))]),
            obj(&[("source", s("Clink-Checkout")), ("type", s("ready")), ("payload", obj(&[]))]),
            obj(&[("source", n(1.0)), ("type", s("ready")), ("payload", obj(&[]))]),
            msg("nope", obj(&[])),
            msg("READY", obj(&[])),
            msg("ready", Val::Null),
            msg("ready", Val::Array),
            msg("ready", s("{}")),
            msg("resize", obj(&[])),
            msg("resize", obj(&[("height", s("500"))])),
            msg("resize", obj(&[("height", n(-1.0))])),
            msg("resize", obj(&[("height", n(0.0))])),
            msg("resize", obj(&[("height", n(f64::NAN))])),
            msg("resize", obj(&[("height", n(f64::INFINITY))])),
            msg("resize", obj(&[("height", n(20_001.0))])),
            msg("resize", obj(&[("height", n(1e308))])),
            msg("resize", obj(&[("height", Val::Null)])),
            msg("state_change", obj(&[("state", s("complete"))])),
            msg("state_change", obj(&[("state", n(1.0))])),
            msg("state_change", obj(&[])),
            msg("hosted_return", obj(&[("state", n(1.0))])),
            msg("hosted_return", obj(&[("url", Val::Null)])),
            msg("error", obj(&[("code", s("X"))])),
            msg("error", obj(&[("code", n(1.0)), ("message", s("m"))])),
            msg("error", obj(&[("code", s("X")), ("message", Val::Unreadable)])),
        ];
        for b in &bad {
            assert_eq!(parse(b), None, "{b:?}");
        }
    }

    #[test]
    fn forwarded_keys() {
        assert!(is_forwarded_key("orderId") && is_forwarded_key("attempt") && is_forwarded_key("constructor"));
        for k in ["__proto__", "state", "previousState", "source"] {
            assert!(!is_forwarded_key(k));
        }
        assert!(!is_forwarded_key(&"k".repeat(65)));
    }
}
