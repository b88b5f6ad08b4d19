//! Session ids, session params and the hosted checkout URL (README "redirectToCheckout").

use crate::error::{Code, Failure};
use crate::text::{concat, encode_uri_component};
use crate::value::Val;
use alloc::string::String;

/// `sess_` followed by 1–128 of `[A-Za-z0-9_-]`.
pub fn is_session_id(s: &str) -> bool {
    match s.strip_prefix("sess_") {
        Some(rest) => (1..=128).contains(&rest.len()) && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'),
        None => false,
    }
}

/// A session id, optionally followed by `#` and a token of 1–4096 characters without
/// whitespace or control characters.
pub fn is_session_param(s: &str) -> bool {
    let hash = s.bytes().position(|b| b == b'#');
    match hash.and_then(|i| s.split_at_checked(i)) {
        None => is_session_id(s),
        Some((id, hash_token)) => {
            let token = hash_token.get(1..).unwrap_or("");
            let mut count = 0;
            for c in token.chars() {
                count += 1;
                if c.is_whitespace() || c.is_control() {
                    return false;
                }
            }
            is_session_id(id) && (1..=4096).contains(&count)
        }
    }
}

pub const BAD_PARAMS: Failure = Failure::new(
    Code::InvalidRedirectParams,
    "redirectToCheckout needs an object with a sessionParam ('sess_…' or 'sess_…#token', as returned by your backend) or a sessionId ('sess_…'), and an optional boolean replace.",
);
pub const BAD_SESSION_PARAM: Failure = Failure::new(
    Code::InvalidRedirectParams,
    "sessionParam must be a string 'sess_…' optionally followed by '#' and a token without spaces, exactly as your backend received it from Clink.",
);
pub const BAD_SESSION_ID: Failure = Failure::new(
    Code::InvalidSessionId,
    "sessionId must be a string 'sess_' followed by 1 to 128 letters, digits, '_' or '-', as returned when your backend created the checkout session.",
);
pub const BAD_REPLACE: Failure = Failure::new(Code::InvalidRedirectParams, "replace must be a boolean when given.");

/// Which value goes into `/pay/{…}`: `sessionParam` wins when present.
pub fn redirect_target<O>(session_param: &Val<O>, session_id: &Val<O>) -> Result<String, Failure> {
    // README "redirectToCheckout": `sessionParam ?? sessionId`, so `null` counts as absent.
    let absent = |v: &Val<O>| matches!(v, Val::Undefined | Val::Null);
    if !absent(session_param) {
        return match session_param.as_str() {
            Some(p) if is_session_param(p) => Ok(String::from(p)),
            _ => Err(BAD_SESSION_PARAM),
        };
    }
    // An unreadable sessionId (a throwing getter) is unreadable params (README "Errors").
    if absent(session_id) || matches!(session_id, Val::Unreadable) {
        return Err(BAD_PARAMS);
    }
    match session_id.as_str() {
        Some(id) if is_session_id(id) => Ok(String::from(id)),
        _ => Err(BAD_SESSION_ID),
    }
}

/// `{checkoutBaseUrl}/pay/{encodeURIComponent(param)}`.
pub fn pay_url(checkout_base_url: &str, param: &str) -> String {
    concat(&[checkout_base_url, "/pay/", &encode_uri_component(param)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::fake::{n, s, Obj};
    use alloc::string::ToString;

    const U: Val<Obj> = Val::Undefined;

    #[test]
    fn session_ids() {
        let long = "a".repeat(128);
        assert!(is_session_id("sess_xxx"));
        assert!(is_session_id("sess_A-b_9"));
        assert!(is_session_id(&("sess_".to_string() + &long)));
        for bad in ["", "sess_", "sess", "sess_a b", "sess_a#b", "sess_é", "SESS_abc", "ses_abc", " sess_a", "sess_a.b"] {
            assert!(!is_session_id(bad), "{bad:?}");
        }
        assert!(!is_session_id(&("sess_".to_string() + &long + "a")));
    }

    #[test]
    fn session_params() {
        assert!(is_session_param("sess_xxx"));
        assert!(is_session_param("sess_xxx#token_xxx"));
        assert!(is_session_param("sess_xxx#t/+=é%#x"));
        assert!(is_session_param(&("sess_x#".to_string() + &"t".repeat(4096))));
        for bad in ["sess_xxx#", "#tok", "sess_#tok", "sess_x#a b", "sess_x#a\tb", "sess_x#a\u{7}", "sess_x#a\u{a0}b", "x#y"] {
            assert!(!is_session_param(bad), "{bad:?}");
        }
        assert!(!is_session_param(&("sess_x#".to_string() + &"t".repeat(4097))));
    }

    #[test]
    fn redirect_rules() {
        assert_eq!(redirect_target(&s("sess_a#t"), &s("sess_b")), Ok("sess_a#t".to_string()));
        assert_eq!(redirect_target(&U, &s("sess_b")), Ok("sess_b".to_string()));
        assert_eq!(redirect_target::<Obj>(&U, &U), Err(BAD_PARAMS));
        // A present sessionParam that is invalid never falls back to sessionId.
        for p in [s(""), s("nope"), n(1.0), Val::Unreadable] {
            assert_eq!(redirect_target(&p, &s("sess_b")), Err(BAD_SESSION_PARAM), "{p:?}");
        }
        // `sessionParam ?? sessionId` (README "redirectToCheckout"): null is absent.
        assert_eq!(redirect_target(&Val::Null, &s("sess_b")), Ok("sess_b".to_string()));
        assert_eq!(redirect_target::<Obj>(&Val::Null, &Val::Null), Err(BAD_PARAMS));
        assert_eq!(redirect_target::<Obj>(&U, &Val::Null), Err(BAD_PARAMS));
        assert_eq!(redirect_target(&U, &Val::Unreadable), Err(BAD_PARAMS));
        for id in [s(""), s("sess_a#t"), n(1.0), Val::Bool(true), Val::Other] {
            assert_eq!(redirect_target(&U, &id), Err(BAD_SESSION_ID), "{id:?}");
        }
    }

    #[test]
    fn pay_urls_encode_the_param() {
        assert_eq!(pay_url("https://c.example", "sess_xxx#token_xxx"), "https://c.example/pay/sess_xxx%23token_xxx");
        assert_eq!(pay_url("http://127.0.0.1:8081/base", "sess_a#b/c+d"), "http://127.0.0.1:8081/base/pay/sess_a%23b%2Fc%2Bd");
    }
}
