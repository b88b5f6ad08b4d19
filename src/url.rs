//! URL rules (README "loadClink"): a URL the SDK talks to or mounts must be absolute `https:`, or
//! `http:` on a loopback host for local development. Parsing is deliberately stricter than
//! the WHATWG parser: anything a browser would normalise in a surprising way (whitespace,
//! control characters, backslashes, credentials, percent-encoded or non-ASCII hosts) is
//! refused rather than guessed at.

use alloc::string::String;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    Https,
    Http,
}

/// The parts of an accepted URL that the SDK needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedUrl {
    /// Serialised like `event.origin`: lower-case host, default port omitted.
    pub origin: String,
    /// Whether a `?query` or `#fragment` follows the path.
    pub has_query_or_fragment: bool,
}

const LOOPBACK_HOSTS: [&str; 3] = ["localhost", "127.0.0.1", "[::1]"];

pub fn check(url: &str) -> Option<CheckedUrl> {
    // Byte-wise on purpose: str pattern APIs pull ~10 KB of searcher and panic-formatting
    // code into the wasm. Every byte that matters here is ASCII.
    let bytes = url.as_bytes();
    if bytes.len() > 8192 || url.chars().any(|c| c.is_whitespace() || c.is_control() || c == '\\') {
        return None;
    }
    let (scheme, after_scheme) = if let Some(rest) = strip_prefix_ignore_case(bytes, b"https://") {
        (Scheme::Https, rest)
    } else if let Some(rest) = strip_prefix_ignore_case(bytes, b"http://") {
        (Scheme::Http, rest)
    } else {
        return None;
    };
    let authority_end = after_scheme.iter().position(|b| matches!(b, b'/' | b'?' | b'#')).unwrap_or(after_scheme.len());
    let (authority, rest) = after_scheme.split_at_checked(authority_end)?;
    let (host, port) = split_host_port(authority)?;
    let is_loopback = LOOPBACK_HOSTS.iter().any(|h| h.as_bytes().eq_ignore_ascii_case(host));
    if scheme == Scheme::Http && !is_loopback {
        return None;
    }
    let default_port = match scheme {
        Scheme::Https => 443,
        Scheme::Http => 80,
    };
    let mut origin = String::with_capacity(authority.len() + 8);
    origin.push_str(match scheme {
        Scheme::Https => "https://",
        Scheme::Http => "http://",
    });
    for b in host {
        origin.push(char::from(b.to_ascii_lowercase()));
    }
    if let Some(p) = port.filter(|p| *p != default_port) {
        origin.push(':');
        crate::text::push_u32(&mut origin, u32::from(p));
    }
    Some(CheckedUrl { origin, has_query_or_fragment: rest.iter().any(|b| matches!(b, b'?' | b'#')) })
}

/// A host whose last label is a number is IPv4 to a browser, which rewrites every form but
/// the canonical one (`127.1` → `127.0.0.1`, `0x7f.0.0.1`, a trailing dot). So such a host is
/// accepted only as four decimal numbers 0–255 without leading zeros. (A last label that
/// merely starts with a digit is refused too: no top-level domain does.)
fn is_kept_ipv4_or_name(host: &[u8]) -> bool {
    let trimmed = match host.split_last() {
        Some((b'.', rest)) => rest,
        _ => host,
    };
    let last = trimmed.iter().rposition(|b| *b == b'.').map_or(0, |i| i + 1);
    if !trimmed.get(last).is_some_and(u8::is_ascii_digit) {
        return true;
    }
    let (mut parts, mut value, mut digits) = (0, 0u32, 0);
    for &b in host.iter().chain(b".") {
        if b == b'.' {
            if digits == 0 || value > 255 {
                return false;
            }
            parts += 1;
            (value, digits) = (0, 0);
        } else if b.is_ascii_digit() && digits < 3 && !(digits == 1 && value == 0) {
            value = value * 10 + u32::from(b - b'0');
            digits += 1;
        } else {
            return false;
        }
    }
    parts == 4
}

fn strip_prefix_ignore_case<'a>(bytes: &'a [u8], prefix: &[u8]) -> Option<&'a [u8]> {
    let (head, tail) = bytes.split_at_checked(prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then_some(tail)
}

/// `host[:port]` with a DNS name, IPv4 or bracketed IPv6 host. No `user:pass@`.
fn split_host_port(authority: &[u8]) -> Option<(&[u8], Option<u16>)> {
    let (host, port_text) = if authority.first() == Some(&b'[') {
        let close = authority.iter().position(|b| *b == b']')?;
        let (host, tail) = authority.split_at_checked(close + 1)?;
        let inner = host.get(1..close)?;
        // Browsers rewrite IPv6 literals (compression, case, embedded IPv4), so the origin
        // computed here would not be `event.origin`. Only the loopback form is accepted.
        if inner != b"::1" {
            return None;
        }
        let port = match tail.split_first() {
            None => None,
            Some((b':', p)) => Some(p),
            Some(_) => return None,
        };
        (host, port)
    } else {
        let (host, port) = match authority.iter().rposition(|b| *b == b':') {
            Some(i) => (authority.get(..i)?, Some(authority.get(i + 1..)?)),
            None => (authority, None),
        };
        let valid = !host.is_empty()
            && host.iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
            && host.first() != Some(&b'.')
            && !host.windows(2).any(|w| w == b"..")
            && is_kept_ipv4_or_name(host);
        if !valid {
            return None;
        }
        (host, port)
    };
    let port = match port_text {
        None | Some([]) => None,
        Some(p) if p.len() <= 5 && p.iter().all(|b| b.is_ascii_digit()) => {
            let n = p.iter().fold(0u32, |acc, b| acc * 10 + u32::from(b - b'0'));
            Some(u16::try_from(n).ok()?)
        }
        Some(_) => return None,
    };
    Some((host, port))
}

/// A checkout base URL (option or bootstrap answer): a valid URL without query or fragment,
/// with one trailing `/` dropped.
pub fn normalize_base_url(url: &str) -> Option<String> {
    let checked = check(url)?;
    if checked.has_query_or_fragment {
        return None;
    }
    Some(String::from(url.strip_suffix('/').unwrap_or(url)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin(u: &str) -> Option<String> {
        check(u).map(|c| c.origin)
    }

    #[test]
    fn accepted_urls_and_their_origins() {
        let table = [
            ("https://checkout.clinkbill.com", "https://checkout.clinkbill.com"),
            ("https://checkout.clinkbill.com/pay/sess_1%23tok", "https://checkout.clinkbill.com"),
            ("HTTPS://Checkout.ClinkBill.com:443/x?y#z", "https://checkout.clinkbill.com"),
            ("https://a.example:8443/", "https://a.example:8443"),
            ("http://localhost:8081/pay/x", "http://localhost:8081"),
            ("http://127.0.0.1:8081", "http://127.0.0.1:8081"),
            ("http://127.0.0.1:80/", "http://127.0.0.1"),
            ("http://[::1]:9000/a", "http://[::1]:9000"),
            ("https://192.0.2.10/", "https://192.0.2.10"),
            ("https://0.0.0.0:8443", "https://0.0.0.0:8443"),
            ("https://x.example.:8443/", "https://x.example.:8443"),
            ("https://1a.example/", "https://1a.example"),
            ("https://localhost", "https://localhost"),
            ("https://x.example:", "https://x.example"),
        ];
        for (u, want) in table {
            assert_eq!(origin(u).as_deref(), Some(want), "{u}");
        }
    }

    #[test]
    fn refused_urls() {
        for u in [
            "", "checkout.clinkbill.com", "/pay/x", "//evil.example/x", "javascript:alert(1)",
            "data:text/html,x", "ftp://x.example", "http://example.com", "http://192.168.1.10:8080",
            "http://localhost.evil.example", "https://user:pw@x.example", "https://x.example@evil.example",
            "https:\\\\evil.example", "https://x.example/ a", "https://x.exa mple", " https://x.example",
            "https://x.example\n", "java\nscript:alert(1)", "https://", "https:///x", "https://x.example:99999",
            "https://x.example:8a", "https://é.example", "https://x%2eexample", "https://[::1", "https://[]/",
            "https://.x.example", "https://x..example", "https:x.example", "http://[::2]:80",
            // Hosts a browser rewrites, so that `event.origin` would differ from ours.
            "https://127.1/", "https://0x7f.0.0.1/", "https://1.2.3/", "https://1.2.3.4./", "https://01.2.3.4/",
            "https://1.2.3.256/", "https://1.2.3.4.5/", "https://x.example.0x1f/", "https://x.123/",
            "https://[2001:db8::1]/", "https://[0:0:0:0:0:0:0:1]/", "https://[::ffff:127.0.0.1]/", "http://[::1%25eth0]/",
        ] {
            assert_eq!(check(u), None, "{u:?}");
        }
    }

    #[test]
    fn base_urls() {
        assert_eq!(normalize_base_url("https://c.example/").as_deref(), Some("https://c.example"));
        assert_eq!(normalize_base_url("https://c.example//").as_deref(), Some("https://c.example/"));
        assert_eq!(normalize_base_url("https://c.example/root").as_deref(), Some("https://c.example/root"));
        assert_eq!(normalize_base_url("http://127.0.0.1:8081").as_deref(), Some("http://127.0.0.1:8081"));
        assert_eq!(normalize_base_url("https://c.example/?a=1"), None);
        assert_eq!(normalize_base_url("https://c.example#x"), None);
        assert_eq!(normalize_base_url("http://c.example"), None);
    }

    #[test]
    fn query_and_fragment_are_noticed() {
        assert_eq!(check("https://c.example/pay/x?a=1").map(|c| c.has_query_or_fragment), Some(true));
        assert_eq!(check("https://c.example/pay/x").map(|c| c.has_query_or_fragment), Some(false));
    }
}
