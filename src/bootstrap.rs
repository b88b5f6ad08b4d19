//! The bootstrap request and its answer (README "loadClink"), as pure functions. The request itself is
//! made by `js/core.js`, which asks `web::load` for the URL and for the verdict on the answer.

use crate::error::{Code, Failure};
use crate::host::Environment;
use crate::text::{clip, concat, encode_uri_component, push_u32};
use crate::url::normalize_base_url;
use crate::value::{Object, Val};
use alloc::string::String;

/// A bootstrap answer larger than this is refused: the real one is ~120 bytes. `js/core.js`
/// stops reading a body at this many bytes (`MAX_ANSWER_BYTES`); a `fetchImpl` answer that
/// only offers `text()` is measured in characters.
pub const MAX_ANSWER_CHARS: u32 = crate::boundary::limits::MAX_ANSWER_BYTES;

pub const TOO_LARGE: Failure = Failure::new(
    Code::InvalidBootstrapResponse,
    "The Clink bootstrap answer is not valid: the body is larger than 64 KB. Pass checkoutBaseUrl to skip bootstrap, or contact Clink support.",
);

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    pub checkout_base_url: String,
    pub embedded_checkout_enabled: bool,
}

/// `GET {apiBase}/api/sdk/bootstrap?publishableKey=…&origin=…&locale=…`.
pub fn request_url(env: Environment, key: &str, origin: Option<&str>, locale: Option<&str>) -> String {
    let mut url = concat(&[env.api_base(), "/api/sdk/bootstrap?publishableKey=", &encode_uri_component(key)]);
    if let Some(o) = origin {
        url.push_str("&origin=");
        url.push_str(&encode_uri_component(o));
    }
    if let Some(l) = locale {
        url.push_str("&locale=");
        url.push_str(&encode_uri_component(l));
    }
    url
}

/// `locale` is forwarded as given (percent-encoded); only absurd lengths are refused.
pub fn is_locale(s: &str) -> bool {
    s.len() <= 256
}

/// `origin` is forwarded as given (percent-encoded); only absurd lengths are refused.
pub fn is_origin_override(s: &str) -> bool {
    s.len() <= 2048
}

pub const NETWORK_FAILED: Failure = Failure::new(
    Code::BootstrapRequestFailed,
    "The Clink bootstrap request failed (network error or blocked by CORS/CSP). Check the connection, that connect-src allows the Clink API, or pass checkoutBaseUrl to skip bootstrap.",
);

pub const TIMED_OUT: Failure = Failure::new(
    Code::BootstrapRequestFailed,
    "The Clink bootstrap request timed out after 10 s. Retry loadClink, or pass checkoutBaseUrl to skip bootstrap.",
);

pub const NOT_A_RESPONSE: Failure = Failure::new(
    Code::BootstrapRequestFailed,
    "fetchImpl did not resolve to a Response (an object with status and text()). Pass a fetch-compatible function.",
);

pub const REDIRECTED: Failure = Failure::new(
    Code::BootstrapRequestFailed,
    "The Clink bootstrap request was redirected to another origin; the answer was refused. Check for a proxy rewriting requests to the Clink API.",
);

pub fn status_failure(status: u32) -> Failure {
    let mut m = String::from("The Clink bootstrap request failed with HTTP ");
    push_u32(&mut m, status);
    m.push_str(". Check that the publishable key belongs to this environment, or retry later.");
    Failure::owned(Code::BootstrapRequestFailed, m)
}

pub fn invalid_answer(detail: &str) -> Failure {
    Failure::owned(
        Code::InvalidBootstrapResponse,
        concat(&["The Clink bootstrap answer is not valid: ", detail, ". Pass checkoutBaseUrl to skip bootstrap, or contact Clink support."]),
    )
}

/// Parses the JSON answer: the `{code, msg, data}` envelope or a bare `data` object.
pub fn parse_answer<O: Object>(json: &Val<O>) -> Result<Answer, Failure> {
    let top = json.as_obj().ok_or_else(|| invalid_answer("not a JSON object"))?;
    let code = top.get("code");
    let data = if code.is_undefined() && top.get("checkoutBaseUrl").is_undefined() && !top.get("data").is_undefined() {
        top.get("data")
    } else if code.is_undefined() {
        return parse_data(top);
    } else {
        match code {
            Val::Num(200.0) => top.get("data"),
            Val::Num(_) => {
                let msg = match top.get("msg") {
                    Val::Str(m) => clip(&m, 200),
                    _ => String::from("no message"),
                };
                return Err(Failure::owned(
                    Code::BootstrapRequestFailed,
                    concat(&["Clink refused the bootstrap request: ", &msg, ". Check the publishable key and the site origin allowed for it in the Clink dashboard."]),
                ));
            }
            _ => return Err(invalid_answer("'code' is not a number")),
        }
    };
    match data.as_obj() {
        Some(d) => parse_data(d),
        None => Err(invalid_answer("'data' is not an object")),
    }
}

fn parse_data<O: Object>(data: &O) -> Result<Answer, Failure> {
    let checkout_base_url = match data.get("checkoutBaseUrl") {
        Val::Str(u) => normalize_base_url(&u).ok_or_else(|| invalid_answer("'checkoutBaseUrl' is not an https: URL"))?,
        _ => return Err(invalid_answer("'checkoutBaseUrl' is missing or not a string")),
    };
    let embedded_checkout_enabled = match data.get("embeddedCheckoutEnabled") {
        Val::Undefined => true,
        Val::Bool(b) => b,
        _ => return Err(invalid_answer("'embeddedCheckoutEnabled' is not a boolean")),
    };
    Ok(Answer { checkout_base_url, embedded_checkout_enabled })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::fake::{n, obj, s, Obj};

    fn ok(url: &str, enabled: bool) -> Result<Answer, Failure> {
        Ok(Answer { checkout_base_url: String::from(url), embedded_checkout_enabled: enabled })
    }

    fn data(url: Val<Obj>) -> Val<Obj> {
        obj(&[("checkoutBaseUrl", url), ("embeddedCheckoutEnabled", Val::Bool(true))])
    }

    #[test]
    fn request_urls() {
        assert_eq!(
            request_url(Environment::Sandbox, "pk_test_1", Some("https://shop.example"), Some("en-US")),
            "https://uat-api.clinkbill.com/api/sdk/bootstrap?publishableKey=pk_test_1&origin=https%3A%2F%2Fshop.example&locale=en-US"
        );
        assert_eq!(request_url(Environment::Production, "pk_prod_1", None, None), "https://api.clinkbill.com/api/sdk/bootstrap?publishableKey=pk_prod_1");
        assert_eq!(
            request_url(Environment::Sandbox, "pk_test_1", None, Some("zh_CN")),
            "https://uat-api.clinkbill.com/api/sdk/bootstrap?publishableKey=pk_test_1&locale=zh_CN"
        );
    }

    #[test]
    fn good_answers() {
        let envelope = obj(&[("code", n(200.0)), ("msg", s("success")), ("data", data(s("https://uat-checkout.clinkbill.com")))]);
        assert_eq!(parse_answer(&envelope), ok("https://uat-checkout.clinkbill.com", true));
        assert_eq!(parse_answer(&data(s("https://c.example/"))), ok("https://c.example", true));
        let disabled = obj(&[("checkoutBaseUrl", s("https://c.example")), ("embeddedCheckoutEnabled", Val::Bool(false))]);
        assert_eq!(parse_answer(&disabled), ok("https://c.example", false));
        let absent = obj(&[("checkoutBaseUrl", s("http://127.0.0.1:8081"))]);
        assert_eq!(parse_answer(&absent), ok("http://127.0.0.1:8081", true));
        let no_code = obj(&[("msg", s("success")), ("data", absent.clone())]);
        assert_eq!(parse_answer(&no_code), ok("http://127.0.0.1:8081", true));
    }

    #[test]
    fn envelope_errors_name_the_message() {
        let refused = obj(&[("code", n(401.0)), ("msg", s("invalid publishable key"))]);
        let err = parse_answer(&refused).err();
        assert_eq!(err.as_ref().map(|e| e.code), Some(Code::BootstrapRequestFailed));
        assert!(err.map(|e| e.message.contains("invalid publishable key")).unwrap_or(false));
        let huge = obj(&[("code", n(500.0)), ("msg", s(&"x".repeat(100_000)))]);
        assert!(parse_answer(&huge).err().map(|e| e.message.len() < 600).unwrap_or(false));
    }

    #[test]
    fn invalid_answers() {
        let bad = [
            Val::Null,
            s("ok"),
            n(1.0),
            Val::Array,
            obj(&[]),
            obj(&[("code", s("200")), ("data", data(s("https://c.example")))]),
            obj(&[("code", n(200.0))]),
            obj(&[("code", n(200.0)), ("data", Val::Null)]),
            obj(&[("code", n(200.0)), ("data", Val::Array)]),
            data(s("http://c.example")),
            data(s("javascript:alert(1)")),
            data(s("https://c.example/?x")),
            data(n(1.0)),
            data(Val::Unreadable),
            obj(&[("checkoutBaseUrl", s("https://c.example")), ("embeddedCheckoutEnabled", s("true"))]),
            obj(&[("checkoutBaseUrl", s("https://c.example")), ("embeddedCheckoutEnabled", Val::Null)]),
        ];
        for b in &bad {
            assert_eq!(parse_answer(b).err().map(|e| e.code), Some(Code::InvalidBootstrapResponse), "{b:?}");
        }
    }

    #[test]
    fn statuses_and_locales() {
        assert!(status_failure(500).message.contains("HTTP 500"));
        assert!(is_locale("en-US") && is_locale("zh-Hans&x=1") && is_locale(""));
        assert!(!is_locale(&"a".repeat(257)));
        assert!(is_origin_override("https://shop.example") && !is_origin_override(&"a".repeat(2049)));
        assert_eq!(
            request_url(Environment::Sandbox, "pk_test_1", None, Some("zh-Hans&x=1")),
            "https://uat-api.clinkbill.com/api/sdk/bootstrap?publishableKey=pk_test_1&locale=zh-Hans%26x%3D1"
        );
    }
}
