//! `RefCell` access that cannot panic. `borrow()`/`borrow_mut()` would pull panic formatting
//! into the wasm and trap the module on a bug; the shell never holds a borrow across a call
//! out to JavaScript, so a failed borrow cannot happen, and if it did the access is skipped.

use core::cell::RefCell;

pub trait Access<T> {
    fn read<R>(&self, f: impl FnOnce(&T) -> R) -> Option<R>;
    fn write<R>(&self, f: impl FnOnce(&mut T) -> R) -> Option<R>;
}

impl<T> Access<T> for RefCell<T> {
    fn read<R>(&self, f: impl FnOnce(&T) -> R) -> Option<R> {
        self.try_borrow().ok().map(|v| f(&v))
    }

    fn write<R>(&self, f: impl FnOnce(&mut T) -> R) -> Option<R> {
        self.try_borrow_mut().ok().map(|mut v| f(&mut v))
    }
}
