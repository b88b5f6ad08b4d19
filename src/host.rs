//! Checkout host resolution (README "loadClink"): `checkoutBaseUrl` > `checkoutEnvironment` >
//! `CLINK_ENV` > the key's mode. A level that is present but invalid rejects; it never falls
//! through to the next one.

use crate::error::{Code, Failure};
use crate::key::KeyMode;
use crate::url::normalize_base_url;
use crate::value::Val;
use alloc::string::String;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Environment {
    Sandbox,
    Production,
}

impl Environment {
    pub fn parse(name: &str) -> Option<Environment> {
        match name {
            "sandbox" => Some(Environment::Sandbox),
            "production" => Some(Environment::Production),
            _ => None,
        }
    }

    pub const fn api_base(self) -> &'static str {
        match self {
            Environment::Sandbox => "https://uat-api.clinkbill.com",
            Environment::Production => "https://api.clinkbill.com",
        }
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Environment::Sandbox => "sandbox",
            Environment::Production => "production",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HostChoice {
    /// `checkoutBaseUrl` given: no bootstrap request.
    Direct(String),
    /// Ask the environment's bootstrap endpoint.
    Bootstrap(Environment),
}

pub const BAD_BASE_URL: Failure = Failure::new(
    Code::InvalidCheckoutEnv,
    "checkoutBaseUrl must be an absolute https: URL without query or fragment, such as 'https://checkout.clinkbill.com' (http: is accepted only for localhost, 127.0.0.1 and [::1]).",
);
pub const BAD_ENVIRONMENT: Failure = Failure::new(
    Code::InvalidCheckoutEnv,
    "checkoutEnvironment must be 'sandbox' or 'production'.",
);
pub const BAD_CLINK_ENV: Failure = Failure::new(
    Code::InvalidCheckoutEnv,
    "CLINK_ENV (globalThis.CLINK_ENV or process.env.CLINK_ENV) must be 'sandbox' or 'production'; unset it or fix its value.",
);

/// Picks the checkout host. `clink_env` is `globalThis.CLINK_ENV`, else `process.env.CLINK_ENV`,
/// as read by the JavaScript shell; an empty string counts as unset there, as in a shell.
pub fn resolve<O>(base_url: &Val<O>, environment: &Val<O>, clink_env: &Val<O>, key: KeyMode) -> Result<HostChoice, Failure> {
    if !base_url.is_undefined() {
        let url = base_url.as_str().and_then(normalize_base_url).ok_or(BAD_BASE_URL)?;
        return Ok(HostChoice::Direct(url));
    }
    if !environment.is_undefined() {
        let env = environment.as_str().and_then(Environment::parse).ok_or(BAD_ENVIRONMENT)?;
        return Ok(HostChoice::Bootstrap(env));
    }
    match clink_env {
        Val::Undefined => {}
        Val::Str(s) if s.is_empty() => {}
        other => {
            let env = other.as_str().and_then(Environment::parse).ok_or(BAD_CLINK_ENV)?;
            return Ok(HostChoice::Bootstrap(env));
        }
    }
    Ok(HostChoice::Bootstrap(match key {
        KeyMode::Prod => Environment::Production,
        KeyMode::Test | KeyMode::Uat => Environment::Sandbox,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::fake::{n, s, Obj};

    const U: Val<Obj> = Val::Undefined;

    fn direct(u: &str) -> Result<HostChoice, Failure> {
        Ok(HostChoice::Direct(String::from(u)))
    }
    const SANDBOX: Result<HostChoice, Failure> = Ok(HostChoice::Bootstrap(Environment::Sandbox));
    const PROD: Result<HostChoice, Failure> = Ok(HostChoice::Bootstrap(Environment::Production));

    #[test]
    fn first_level_that_is_present_wins() {
        let base = s("https://checkout.clinkbill.com/");
        assert_eq!(resolve(&base, &s("sandbox"), &s("sandbox"), KeyMode::Test), direct("https://checkout.clinkbill.com"));
        assert_eq!(resolve(&U, &s("production"), &s("sandbox"), KeyMode::Test), PROD);
        assert_eq!(resolve(&U, &U, &s("production"), KeyMode::Test), PROD);
        assert_eq!(resolve(&U, &U, &s("sandbox"), KeyMode::Prod), SANDBOX);
    }

    #[test]
    fn key_mode_decides_last() {
        assert_eq!(resolve(&U, &U, &U, KeyMode::Prod), PROD);
        assert_eq!(resolve(&U, &U, &U, KeyMode::Uat), SANDBOX);
        assert_eq!(resolve(&U, &U, &U, KeyMode::Test), SANDBOX);
        assert_eq!(resolve(&U, &U, &s(""), KeyMode::Test), SANDBOX);
    }

    #[test]
    fn invalid_levels_never_fall_through() {
        let bad_bases = [s("http://checkout.example"), s(""), s("checkout.clinkbill.com"), n(5.0), Val::Null, Val::Unreadable];
        for b in &bad_bases {
            assert_eq!(resolve(b, &s("sandbox"), &U, KeyMode::Test), Err(BAD_BASE_URL), "{b:?}");
        }
        for e in [s("Sandbox"), s("prod"), s(""), n(1.0), Val::Null, Val::Bool(true), Val::Array] {
            assert_eq!(resolve(&U, &e, &s("sandbox"), KeyMode::Test), Err(BAD_ENVIRONMENT), "{e:?}");
        }
        for c in [s("staging"), Val::Null, n(0.0), Val::Unreadable] {
            assert_eq!(resolve(&U, &U, &c, KeyMode::Test), Err(BAD_CLINK_ENV), "{c:?}");
        }
    }

    #[test]
    fn api_bases() {
        assert_eq!(Environment::Sandbox.api_base(), "https://uat-api.clinkbill.com");
        assert_eq!(Environment::Production.api_base(), "https://api.clinkbill.com");
    }
}
