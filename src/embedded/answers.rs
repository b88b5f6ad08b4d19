//! What the merchant's callbacks give back: the `fetchSession` result and `pollStatus`
//! answers (README "initEmbeddedCheckout"), and the numeric embedded options.

use super::machine::{State, STATE_NAMES};
use crate::error::{Code, Failure};
use crate::session::is_session_id;
use crate::url;
use crate::value::{Object, Val};
use alloc::string::String;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub session_id: String,
    pub checkout_url: String,
    /// Origin of `checkout_url`: the only origin whose messages are accepted.
    pub checkout_origin: String,
    pub order_id: Option<String>,
}

/// `SESSION_ID_FETCH_FAILED` with what went wrong; one text for every case (the details are
/// all known at compile time, so no message is built at run time).
macro_rules! session_fetch_failed {
    ($detail:literal) => {
        Failure::new(
            Code::SessionIdFetchFailed,
            concat!("fetchSession failed: ", $detail, ". It must resolve to { sessionId, checkoutUrl, orderId? } from your backend."),
        )
    };
}

/// `fetchSession()` threw, or its promise rejected (the shell detects both).
pub const SESSION_THREW: Failure = session_fetch_failed!("it threw");
pub const SESSION_REJECTED: Failure = session_fetch_failed!("it rejected");

pub const BAD_CHECKOUT_URL: Failure = Failure::new(
    Code::InvalidCheckoutUrl,
    "checkoutUrl from fetchSession must be an absolute https: URL of Clink's checkout (http: only on localhost, 127.0.0.1 or [::1]); pass the URL your backend got from Clink unchanged.",
);
/// Clink's create-session answer passed on as it came (`url`, no `checkoutUrl`), bare or in its
/// `{ code, msg, data }` envelope.
pub const CREATE_ANSWER: Failure = Failure::new(
    Code::InvalidCheckoutUrl,
    "fetchSession resolved Clink's create answer (url, no checkoutUrl): return { sessionId, checkoutUrl: data.url } instead.",
);
/// The `fetch` Response itself (`.json()` forgotten).
pub const RESPONSE: Failure = session_fetch_failed!("it resolved a Response (return await response.json())");
pub const BAD_SESSION_ID: Failure = Failure::new(
    Code::InvalidSessionId,
    "sessionId from fetchSession must be 'sess_' followed by 1 to 128 letters, digits, '_' or '-'.",
);

pub fn parse_session<O: Object>(result: &Val<O>) -> Result<Session, Failure> {
    let obj = result.as_obj().ok_or_else(|| session_fetch_failed!("it did not resolve to an object"))?;
    let session_id = obj.get("sessionId");
    let checkout_url = obj.get("checkoutUrl");
    // Two mistakes of a first integration, named before the fields they leave out.
    if session_id.is_undefined() && matches!(obj.get("json"), Val::Function) {
        return Err(RESPONSE);
    }
    if checkout_url.is_undefined() && (matches!(obj.get("url"), Val::Str(_)) || obj.get("data").as_obj().is_some()) {
        return Err(CREATE_ANSWER);
    }
    let session_id = match session_id {
        Val::Str(id) if is_session_id(&id) => id,
        Val::Unreadable => return Err(session_fetch_failed!("reading sessionId threw")),
        _ => return Err(BAD_SESSION_ID),
    };
    let (checkout_url, checked) = match checkout_url {
        Val::Str(u) => match url::check(&u) {
            Some(c) => (u, c),
            None => return Err(BAD_CHECKOUT_URL),
        },
        Val::Unreadable => return Err(session_fetch_failed!("reading checkoutUrl threw")),
        _ => return Err(BAD_CHECKOUT_URL),
    };
    let order_id = match obj.get("orderId") {
        Val::Undefined | Val::Null => None,
        Val::Str(o) if o.len() <= 256 => Some(o),
        _ => return Err(session_fetch_failed!("orderId is not a string")),
    };
    Ok(Session { session_id, checkout_url, checkout_origin: checked.origin, order_id })
}

/// One `pollStatus` answer.
#[derive(Clone, Debug, PartialEq)]
pub enum PollAnswer<O> {
    /// `null`/`undefined`: keep polling.
    KeepPolling,
    /// `{ state, payload? }`.
    State { state: State, payload: Option<O> },
    Malformed,
}

pub fn parse_poll_answer<O: Object>(answer: Val<O>) -> PollAnswer<O> {
    let obj = match answer {
        Val::Undefined | Val::Null => return PollAnswer::KeepPolling,
        Val::Obj(o) => o,
        _ => return PollAnswer::Malformed,
    };
    let state = match obj.one_of("state", STATE_NAMES).and_then(State::at) {
        Some(s) => s,
        None => return PollAnswer::Malformed,
    };
    match obj.get("payload") {
        Val::Undefined | Val::Null => PollAnswer::State { state, payload: None },
        Val::Obj(p) => PollAnswer::State { state, payload: Some(p) },
        _ => PollAnswer::Malformed,
    }
}

pub const DEFAULT_POLL_INTERVAL_MS: u32 = 2000;
pub const MIN_POLL_INTERVAL_MS: f64 = 100.0;
/// setTimeout fires at once for delays above 2^31-1 ms, so larger intervals are refused.
pub const MAX_POLL_INTERVAL_MS: f64 = 2_147_483_647.0;

pub fn poll_interval(ms: f64) -> Option<u32> {
    if ms.is_finite() && (MIN_POLL_INTERVAL_MS..=MAX_POLL_INTERVAL_MS).contains(&ms) {
        Some(ms as u32)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::fake::{n, obj, s, Obj};

    fn result(id: Val<Obj>, url: Val<Obj>, order: Val<Obj>) -> Val<Obj> {
        obj(&[("sessionId", id), ("checkoutUrl", url), ("orderId", order)])
    }

    #[test]
    fn good_sessions() {
        let r = result(s("sess_1"), s("https://c.example/pay/sess_1%23t?x=1#f"), s("ord_1"));
        assert_eq!(
            parse_session(&r),
            Ok(Session {
                session_id: "sess_1".into(),
                checkout_url: "https://c.example/pay/sess_1%23t?x=1#f".into(),
                checkout_origin: "https://c.example".into(),
                order_id: Some("ord_1".into()),
            })
        );
        let no_order = result(s("sess_1"), s("http://127.0.0.1:8081/pay/sess_1"), Val::Undefined);
        assert_eq!(parse_session(&no_order).map(|s| s.order_id), Ok(None));
        let null_order = result(s("sess_1"), s("http://127.0.0.1:8081/pay/sess_1"), Val::Null);
        assert_eq!(parse_session(&null_order).map(|s| s.checkout_origin), Ok("http://127.0.0.1:8081".into()));
    }

    #[test]
    fn bad_sessions() {
        let url = || s("https://c.example/pay/x");
        let code = |v: &Val<Obj>| parse_session(v).err().map(|e| e.code);
        for junk in [Val::Null, Val::Undefined, s("sess_1"), n(1.0), Val::Array, Val::Function] {
            assert_eq!(code(&junk), Some(Code::SessionIdFetchFailed), "{junk:?}");
        }
        for id in [s(""), s("sess_"), s("abc"), n(1.0), Val::Null, Val::Undefined] {
            assert_eq!(code(&result(id, url(), Val::Undefined)), Some(Code::InvalidSessionId));
        }
        for u in [s("javascript:alert(1)"), s("http://c.example/pay"), s("/pay/x"), s(""), n(1.0), Val::Undefined] {
            assert_eq!(code(&result(s("sess_1"), u, Val::Undefined)), Some(Code::InvalidCheckoutUrl));
        }
        assert_eq!(code(&result(s("sess_1"), url(), n(5.0))), Some(Code::SessionIdFetchFailed));
        assert_eq!(code(&result(Val::Unreadable, url(), Val::Undefined)), Some(Code::SessionIdFetchFailed));
        assert_eq!(code(&result(s("sess_1"), Val::Unreadable, Val::Undefined)), Some(Code::SessionIdFetchFailed));
        // A Symbol, BigInt or over-long string is a value of the wrong type, not a failed read.
        assert_eq!(code(&result(Val::Other, url(), Val::Undefined)), Some(Code::InvalidSessionId));
        assert_eq!(code(&result(s("sess_1"), Val::Other, Val::Undefined)), Some(Code::InvalidCheckoutUrl));
    }

    #[test]
    fn first_integration_mistakes_name_the_fix() {
        let code = |v: &Val<Obj>| parse_session(v).err();
        // Clink's create answer as the server SDK returns it, and the raw REST envelope.
        let created = obj(&[("sessionId", s("sess_1")), ("url", s("https://c.example/pay/sess_1"))]);
        assert_eq!(code(&created), Some(CREATE_ANSWER));
        let envelope = obj(&[("code", n(200.0)), ("msg", s("success")), ("data", obj(&[("sessionId", s("sess_1")), ("url", s("https://c.example/x"))]))]);
        assert_eq!(code(&envelope), Some(CREATE_ANSWER));
        assert!(CREATE_ANSWER.message.contains("checkoutUrl: data.url"));
        // A Response (`.json()` forgotten): it has a `url` too, but is named for what it is.
        let response = obj(&[("url", s("https://shop.example/api/session")), ("status", n(200.0)), ("json", Val::Function)]);
        assert_eq!(code(&response), Some(RESPONSE));
        assert_eq!(RESPONSE.code, Code::SessionIdFetchFailed);
        assert!(RESPONSE.message.contains("return await response.json()"));
        // With a checkoutUrl present, the ordinary checks decide.
        let both = obj(&[("sessionId", s("sess_1")), ("checkoutUrl", s("https://c.example/pay/sess_1")), ("url", s("https://c.example/x"))]);
        assert!(parse_session(&both).is_ok());
        let bad_url = obj(&[("sessionId", s("sess_1")), ("checkoutUrl", s("ftp://x")), ("url", s("https://c.example/x"))]);
        assert_eq!(code(&bad_url), Some(BAD_CHECKOUT_URL));
        // A session id with a json function is no Response.
        let odd = obj(&[("sessionId", s("sess_1")), ("checkoutUrl", s("https://c.example/pay/sess_1")), ("json", Val::Function)]);
        assert!(parse_session(&odd).is_ok());
    }

    #[test]
    fn poll_answers() {
        assert_eq!(parse_poll_answer::<Obj>(Val::Null), PollAnswer::KeepPolling);
        assert_eq!(parse_poll_answer::<Obj>(Val::Undefined), PollAnswer::KeepPolling);
        assert_eq!(parse_poll_answer(obj(&[("state", s("success"))])), PollAnswer::State { state: State::Success, payload: None });
        let with_payload = parse_poll_answer(obj(&[("state", s("pending")), ("payload", obj(&[("attempt", n(2.0))]))]));
        assert!(matches!(with_payload, PollAnswer::State { state: State::Pending, payload: Some(_) }));
        for bad in [
            s("success"),
            n(1.0),
            Val::Bool(false),
            Val::Array,
            obj(&[]),
            obj(&[("state", s("done"))]),
            obj(&[("state", s("success")), ("payload", s("x"))]),
            obj(&[("state", Val::Unreadable)]),
        ] {
            assert_eq!(parse_poll_answer(bad.clone()), PollAnswer::Malformed, "{bad:?}");
        }
    }

    #[test]
    fn intervals() {
        assert_eq!(poll_interval(100.0), Some(100));
        assert_eq!(poll_interval(2000.5), Some(2000));
        for bad in [99.9, 50.0, 0.0, -1.0, f64::NAN, f64::INFINITY, 3e9] {
            assert_eq!(poll_interval(bad), None);
        }
    }
}
