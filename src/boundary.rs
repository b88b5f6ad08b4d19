//! The numbers that cross between the wasm and the JavaScript shell, defined once. `js/numbers.js`
//! holds the shell's copy (plain constants, so the bundler inlines them); `tests/boundary.rs`
//! checks that every copy (`js/numbers.js`, the codes in `js/error.js` and `js/index.d.ts`, the
//! event names in `js/core.js`) agrees with this file.

/// A group of named numbers, and `ALL`, their names and values for the test that compares
/// the copies.
macro_rules! numbers {
    ($(#[$doc:meta])* $group:ident { $($name:ident = $value:literal),* $(,)? }) => {
        $(#[$doc])*
        pub mod $group {
            $(pub const $name: u32 = $value;)*
            pub const ALL: &[(&str, u32)] = &[$((stringify!($name), $value)),*];
        }
    };
}

numbers! {
    /// What happened, the `input` of `step` (`src/web/embedded.rs`).
    step_input { BEGIN = 0, LOADED = 1, MESSAGE = 2, POLL_ANSWER = 3, POLL_FAILED = 4 }
}

numbers! {
    /// What to do, the ops of a `step` answer: the events first, in the order of `EVENT_TYPES`
    /// in `js/core.js`, then the shell's own operations.
    step_op { READY = 0, RESIZE = 1, STATE_CHANGE = 2, COMPLETE = 3, HOSTED_RETURN = 4, ERROR = 5, HEIGHT = 6, STOP = 7, DESTROY = 8 }
}

numbers! {
    /// The failures the shell detects and asks `fail(n)` for (`src/web/fail.rs`).
    shell_failure {
        NO_FETCH = 0, NETWORK = 1, TIMEOUT = 2, NOT_A_RESPONSE = 3, NO_LOCATION = 4, NAVIGATION_BLOCKED = 5,
        SESSION_THREW = 6, SESSION_REJECTED = 7, NO_DOCUMENT = 8, DESTROYED = 9, ALREADY_MOUNTED = 10,
        NO_CONTAINER = 11, BAD_EVENT_TYPE = 12, BAD_HANDLER = 13, ANSWER_TOO_LARGE = 14,
    }
}

numbers! {
    /// What kind of value `kind()` in `js/interop.js` saw (`KIND_…` there): `OTHER` is a
    /// symbol, a bigint or a string over the length cap or with a lone surrogate; `UNREADABLE`
    /// a read that threw, or a revoked Proxy.
    value_kind {
        UNDEFINED = 0, NULL = 1, FALSE = 2, TRUE = 3, NUMBER = 4, STRING = 5, FUNCTION = 6, ARRAY = 7,
        OBJECT = 8, OTHER = 9, UNREADABLE = 10,
    }
}

numbers! {
    /// Limits the shell applies before a value is copied into wasm memory.
    limits {
        // A bootstrap body over this many bytes is given up while it arrives.
        MAX_ANSWER_BYTES = 65536,
        // Longer strings from outside count as `OTHER`.
        MAX_STRING_UNITS = 65536,
    }
}
