//! Clink's browser checkout SDK. Pure modules (keys, URLs, host resolution, bootstrap
//! answers, the frame protocol, the state machine) are plain Rust tested natively; `web` is
//! the wasm-bindgen surface through which the JavaScript shell (`js/core.js`) asks for decisions.
//!
//! The shipped wasm is `no_std` (see README, "Size"): nothing in this crate formats
//! or panics with a message, and the panic handler is a bare trap that no path may reach.
#![cfg_attr(all(target_arch = "wasm32", not(feature = "std")), no_std)]

extern crate alloc;

pub mod bootstrap;
pub mod boundary;
pub mod embedded;
pub mod error;
pub mod host;
pub mod key;
pub mod session;
pub mod text;
pub mod url;
pub mod value;

#[cfg(target_arch = "wasm32")]
pub mod web;

// talc: a maintained no_std allocator that returns freed blocks of every size to one pool
// and grows memory only when nothing fits (README "Dependencies").
#[cfg(all(target_arch = "wasm32", not(feature = "std")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[cfg(all(target_arch = "wasm32", not(feature = "std")))]
#[panic_handler]
fn on_panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}
