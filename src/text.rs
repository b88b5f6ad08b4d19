//! Tiny text helpers that replace `format!` (core::fmt would cost ~10 KB gzip of wasm).

use alloc::string::String;

/// Appends the decimal digits of `n`.
pub fn push_u32(out: &mut String, n: u32) {
    let mut digits = [0u8; 10];
    let mut len = 0;
    let mut rest = n;
    loop {
        if let Some(slot) = digits.get_mut(len) {
            *slot = b'0' + (rest % 10) as u8;
        }
        len += 1;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    for d in digits.iter().take(len).rev() {
        out.push(char::from(*d));
    }
}

/// Concatenates string pieces.
pub fn concat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        out.push_str(p);
    }
    out
}

/// At most `max` characters of `s`, with an ellipsis when cut: keeps hostile strings
/// (a huge envelope `msg`, say) out of error messages.
pub fn clip(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        None => String::from(s),
        Some((cut, _)) => {
            let mut out = String::from(s.get(..cut).unwrap_or(""));
            out.push('…');
            out
        }
    }
}

/// `encodeURIComponent` of ECMAScript: everything but `A-Z a-z 0-9 - _ . ! ~ * ' ( )` is
/// percent-encoded as UTF-8, upper-case hex.
pub fn encode_uri_component(s: &str) -> String {
    fn hex(n: u8) -> char {
        char::from(if n < 10 { b'0' + n } else { b'A' + n - 10 })
    }
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        let keep = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'!' | b'~' | b'*' | b'\'' | b'(' | b')');
        if keep {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(hex(b >> 4));
            out.push(hex(b & 15));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn u32_digits() {
        for (n, want) in [(0, "0"), (7, "7"), (10, "10"), (742, "742"), (u32::MAX, "4294967295")] {
            let mut s = String::new();
            push_u32(&mut s, n);
            assert_eq!(s, want);
        }
    }

    #[test]
    fn clip_counts_characters() {
        assert_eq!(clip("abc", 5), "abc");
        assert_eq!(clip("abcdef", 3), "abc…");
        assert_eq!(clip("ééééé", 2), "éé…");
        assert_eq!(clip("", 0), "");
    }

    #[test]
    fn encodes_like_encode_uri_component() {
        let table = [
            ("sess_xxx#token_xxx", "sess_xxx%23token_xxx"),
            ("a b/c?d&e=f", "a%20b%2Fc%3Fd%26e%3Df"),
            ("-_.!~*'()", "-_.!~*'()"),
            ("é", "%C3%A9"),
            ("😀", "%F0%9F%98%80"),
            ("http://127.0.0.1:8080", "http%3A%2F%2F127.0.0.1%3A8080"),
            ("%", "%25"),
        ];
        for (input, want) in table {
            assert_eq!(encode_uri_component(input), want, "{input}");
        }
    }
}
