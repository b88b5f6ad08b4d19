//! Embedded checkout: the pure parts (states, frame protocol, answers). The iframe, its
//! listeners and the poll loop live in `web::embedded`.

pub mod answers;
pub mod machine;
pub mod protocol;
