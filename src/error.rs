//! Error codes of README "Errors" and the failures the pure modules return. The DOM shell turns a
//! `Failure` into the JavaScript `ClinkError` (see `web::js::to_clink_error`).

use alloc::borrow::Cow;

/// Every code a `ClinkError` can carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Code {
    InvalidPublicKey,
    InvalidCheckoutEnv,
    BootstrapRequestFailed,
    InvalidBootstrapResponse,
    InvalidRedirectParams,
    InvalidEmbeddedOptions,
    InvalidSessionId,
    SessionIdFetchFailed,
    EmbeddedCheckoutDisabled,
    ContainerNotFound,
    NotInBrowser,
    InvalidCheckoutUrl,
    EmbeddedAlreadyMounted,
    EmbeddedCheckoutDestroyed,
    PollStatusFailed,
    FrameBlocked,
}

impl Code {
    pub const ALL: [Code; 16] = [
        Code::InvalidPublicKey,
        Code::InvalidCheckoutEnv,
        Code::BootstrapRequestFailed,
        Code::InvalidBootstrapResponse,
        Code::InvalidRedirectParams,
        Code::InvalidEmbeddedOptions,
        Code::InvalidSessionId,
        Code::SessionIdFetchFailed,
        Code::EmbeddedCheckoutDisabled,
        Code::ContainerNotFound,
        Code::NotInBrowser,
        Code::InvalidCheckoutUrl,
        Code::EmbeddedAlreadyMounted,
        Code::EmbeddedCheckoutDestroyed,
        Code::PollStatusFailed,
        Code::FrameBlocked,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Code::InvalidPublicKey => "INVALID_PUBLIC_KEY",
            Code::InvalidCheckoutEnv => "INVALID_CHECKOUT_ENV",
            Code::BootstrapRequestFailed => "BOOTSTRAP_REQUEST_FAILED",
            Code::InvalidBootstrapResponse => "INVALID_BOOTSTRAP_RESPONSE",
            Code::InvalidRedirectParams => "INVALID_REDIRECT_PARAMS",
            Code::InvalidEmbeddedOptions => "INVALID_EMBEDDED_OPTIONS",
            Code::InvalidSessionId => "INVALID_SESSION_ID",
            Code::SessionIdFetchFailed => "SESSION_ID_FETCH_FAILED",
            Code::EmbeddedCheckoutDisabled => "EMBEDDED_CHECKOUT_DISABLED",
            Code::ContainerNotFound => "CONTAINER_NOT_FOUND",
            Code::NotInBrowser => "NOT_IN_BROWSER",
            Code::InvalidCheckoutUrl => "INVALID_CHECKOUT_URL",
            Code::EmbeddedAlreadyMounted => "EMBEDDED_ALREADY_MOUNTED",
            Code::EmbeddedCheckoutDestroyed => "EMBEDDED_CHECKOUT_DESTROYED",
            Code::PollStatusFailed => "POLL_STATUS_FAILED",
            Code::FrameBlocked => "FRAME_BLOCKED",
        }
    }
}

/// A user-visible failure: a code and a message that says what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub code: Code,
    pub message: Cow<'static, str>,
}

impl Failure {
    pub const fn new(code: Code, message: &'static str) -> Failure {
        Failure { code, message: Cow::Borrowed(message) }
    }

    pub fn owned(code: Code, message: alloc::string::String) -> Failure {
        Failure { code, message: Cow::Owned(message) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_screaming_snake_case() {
        for (i, a) in Code::ALL.iter().enumerate() {
            assert!(a.as_str().chars().all(|c| c.is_ascii_uppercase() || c == '_'));
            for b in Code::ALL.iter().skip(i + 1) {
                assert_ne!(a.as_str(), b.as_str());
            }
        }
    }
}
