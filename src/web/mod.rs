//! The wasm-bindgen shell: everything that touches JavaScript values, the DOM or the network.

pub mod cell;
pub mod embedded;
pub mod frame;
pub mod js;
pub mod load;
pub mod poll;
pub mod promise;
pub mod redirect;
pub mod timer;
