//! Publishable key rules (README "loadClink").

use crate::error::{Code, Failure};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyMode {
    Test,
    Uat,
    Prod,
}

pub const NOT_A_STRING: Failure = Failure::new(
    Code::InvalidPublicKey,
    "The publishable key must be a string such as 'pk_test_…', 'pk_uat_…' or 'pk_prod_…'. Copy it from the Developers section of your Clink dashboard.",
);
pub const SECRET_KEY: Failure = Failure::new(
    Code::InvalidPublicKey,
    "A secret key (sk_…) was passed to loadClink. Never put secret keys in browser code: anyone can read them there. Use your publishable key (pk_…) in the browser and keep the secret key on your server; consider rolling the exposed secret key.",
);
pub const SURROUNDED_BY_WHITESPACE: Failure = Failure::new(
    Code::InvalidPublicKey,
    "The publishable key has whitespace around it (a newline from an env file?): trim it, loadClink(key.trim()).",
);
pub const MALFORMED: Failure = Failure::new(
    Code::InvalidPublicKey,
    "The publishable key is not valid: it must be 'pk_test_', 'pk_uat_' or 'pk_prod_' followed by letters, digits or underscores. Copy it from the Developers section of your Clink dashboard.",
);

/// Checks a publishable key. The key itself never appears in a message: a pasted secret
/// must not end up in error trackers.
pub fn parse_key(key: &str) -> Result<KeyMode, Failure> {
    if looks_secret(key) {
        return Err(SECRET_KEY);
    }
    let trimmed = key.trim_ascii();
    if trimmed.len() != key.len() {
        // Named only when trimming is the whole fix.
        return Err(if parse_key(trimmed).is_ok() { SURROUNDED_BY_WHITESPACE } else { MALFORMED });
    }
    let (mode, rest) = if let Some(rest) = key.strip_prefix("pk_test_") {
        (KeyMode::Test, rest)
    } else if let Some(rest) = key.strip_prefix("pk_uat_") {
        (KeyMode::Uat, rest)
    } else if let Some(rest) = key.strip_prefix("pk_prod_") {
        (KeyMode::Prod, rest)
    } else {
        return Err(MALFORMED);
    };
    if !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        Ok(mode)
    } else {
        Err(MALFORMED)
    }
}

pub const SECRET_IN_OPTION: Failure = Failure::new(
    Code::InvalidCheckoutEnv,
    "A loadClink option contains what looks like a secret key (sk_test_…/sk_live_…). Never put secret keys in browser code; nothing was sent. Keep the secret key on your server and consider rolling it.",
);

/// Whether `s` contains a secret key anywhere (`sk_test_`, `sk_live_`, `sk_prod_`, `sk_uat_`,
/// any case): such an option value is refused rather than sent to bootstrap. Plain `sk_` is
/// not enough: `sk_SK` is the Slovak locale.
pub fn contains_secret(s: &str) -> bool {
    const MODES: [&[u8]; 4] = [b"test_", b"live_", b"prod_", b"uat_"];
    let b = s.as_bytes();
    (0..b.len()).any(|i| {
        let rest = b.get(i..).unwrap_or(&[]);
        rest.len() > 3
            && rest.get(..3).is_some_and(|p| p.eq_ignore_ascii_case(b"sk_"))
            && MODES.iter().any(|m| rest.get(3..3 + m.len()).is_some_and(|x| x.eq_ignore_ascii_case(m)))
    })
}

/// `sk_…` in any case, with surrounding whitespace too: a secret pasted with a stray space is
/// still a secret.
pub fn looks_secret(key: &str) -> bool {
    let k = key.trim_start().as_bytes();
    matches!(k, [s, k2, b'_', ..] if s.eq_ignore_ascii_case(&b's') && k2.eq_ignore_ascii_case(&b'k'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_keys() {
        assert_eq!(parse_key("pk_test_abc"), Ok(KeyMode::Test));
        assert_eq!(parse_key("pk_uat_xxxxxxxxx"), Ok(KeyMode::Uat));
        assert_eq!(parse_key("pk_prod_A1_b2"), Ok(KeyMode::Prod));
        assert_eq!(parse_key("pk_test__"), Ok(KeyMode::Test));
    }

    #[test]
    fn bad_keys() {
        for k in [
            "", "pk_", "pk_test_", "pk_test", "pk_live_abc", "PK_TEST_abc", "pk_test_a-b", "pk_test_a b",
            "pk_test_é", "pk_uat_", "pk_prod_x.y", "xpk_test_a", " pk_test_a-b", "pk_live_x\n", "\n",
        ] {
            assert_eq!(parse_key(k), Err(MALFORMED), "{k:?}");
        }
    }

    #[test]
    fn a_key_with_whitespace_around_it_is_refused_with_the_fix() {
        for k in [" pk_test_abc", "pk_test_abc ", "pk_test_abc\n", "pk_test_abc\r\n", "\tpk_prod_A1\n", "  pk_uat_x  "] {
            assert_eq!(parse_key(k), Err(SURROUNDED_BY_WHITESPACE), "{k:?}");
        }
        assert!(SURROUNDED_BY_WHITESPACE.message.contains("trim"));
        // Inside the key, whitespace is just a wrong character.
        assert_eq!(parse_key("pk_test_a b"), Err(MALFORMED));
    }

    #[test]
    fn secret_keys_get_their_own_message() {
        for k in ["sk_test_123", "sk_prod_abc", "SK_live_x", " sk_test_1", "sk_"] {
            assert_eq!(parse_key(k), Err(SECRET_KEY), "{k:?}");
        }
        assert!(!SECRET_KEY.message.contains("sk_test"));
        assert!(!looks_secret("pk_test_sk_"));
        for s in ["sk_test_1", "  SK_LIVE_x", "https://c.example/?k=sk_prod_1", "en-sk_uat_x"] {
            assert!(contains_secret(s), "{s:?}");
        }
        for s in ["sk_SK", "sk", "", "https://c.example", "sk_test", "pk_test_abc"] {
            assert!(!contains_secret(s), "{s:?}");
        }
    }
}
