//! A read-only view of a JavaScript value, so that the parsers of options, network answers
//! and frame messages are plain Rust that `cargo test` covers natively. The DOM shell
//! implements [`Object`] over `JsValue` (`web::js::JsObject`); tests implement it over a
//! small JSON-like tree.

use alloc::string::String;

/// What one property read gave. `Unreadable`: the read itself threw (a getter or Proxy trap);
/// `Other`: a Symbol, a BigInt or an over-long string. Callers treat both as a wrong type,
/// except where README "Errors" gives an unreadable value its own code.
#[derive(Clone, Debug, PartialEq)]
pub enum Val<O> {
    Undefined,
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Array,
    Function,
    Obj(O),
    Other,
    Unreadable,
}

pub trait Object: Sized {
    fn get(&self, key: &'static str) -> Val<Self>;

    /// Where the string at `key` is among the lines of `choices`; `None` for any other value.
    /// (The JavaScript side compares in JavaScript, without copying the string into wasm
    /// memory: one name list is one string it caches.)
    fn one_of(&self, key: &'static str, choices: &'static str) -> Option<usize> {
        let value = self.get(key);
        let s = value.as_str()?;
        choices.split('\n').position(|c| c == s)
    }

    /// Whether this is a plain object (prototype `Object.prototype` or `null`), not a Date,
    /// Map, boxed primitive or other class instance. Frame messages must be plain (README "The checkout frame protocol").
    fn is_plain(&self) -> bool {
        true
    }
}

impl<O> Val<O> {
    pub fn is_undefined(&self) -> bool {
        matches!(self, Val::Undefined)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Val::Str(s) => Some(s),
            _ => None,
        }
    }

    /// A plain object: not null, not an array, not a function.
    pub fn as_obj(&self) -> Option<&O> {
        match self {
            Val::Obj(o) => Some(o),
            _ => None,
        }
    }
}

/// A JSON-like tree for native tests of the parsers.
#[cfg(test)]
pub mod fake {
    use super::{Object, Val};
    use alloc::string::String;
    use alloc::vec::Vec;

    #[derive(Clone, Debug, PartialEq)]
    pub struct Obj(pub Vec<(String, Val<Obj>)>);

    impl Object for Obj {
        fn get(&self, key: &'static str) -> Val<Obj> {
            self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()).unwrap_or(Val::Undefined)
        }
    }

    pub fn obj(fields: &[(&str, Val<Obj>)]) -> Val<Obj> {
        Val::Obj(Obj(fields.iter().map(|(k, v)| (String::from(*k), v.clone())).collect()))
    }

    pub fn s(v: &str) -> Val<Obj> {
        Val::Str(String::from(v))
    }

    pub fn n(v: f64) -> Val<Obj> {
        Val::Num(v)
    }
}
