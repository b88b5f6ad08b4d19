//! Embedded checkout: the pure parts (states, frame protocol, answers, what an instance
//! remembers). The iframe, its listeners and the poll loop live in `js/core.js`.

pub mod answers;
pub mod instance;
pub mod machine;
pub mod protocol;
