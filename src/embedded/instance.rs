//! What one embedded instance remembers between calls into the wasm: the state machine, its
//! two options that change decisions, and per mount whether `ready` was sent and which
//! height the iframe has. Packed in one `u32` that the JavaScript shell keeps and passes
//! back, so an instance owns no wasm memory: nothing to free, nothing to leak.

use super::machine::Machine;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InstanceState {
    pub machine: Machine,
    pub auto_resize: bool,
    pub auto_destroy: bool,
    pub ready_sent: bool,
    /// CSS pixels last set on the iframe (0: none); at most `machine::MAX_HEIGHT`.
    pub applied_height: u32,
}

const READY_BIT: u32 = Machine::BITS;
const HEIGHT_SHIFT: u32 = READY_BIT + 3;
const HEIGHT_MASK: u32 = 0x7fff;

impl InstanceState {
    pub const fn new(auto_resize: bool, auto_destroy: bool) -> InstanceState {
        InstanceState { machine: Machine::new(), auto_resize, auto_destroy, ready_sent: false, applied_height: 0 }
    }

    /// The machine's bits, then ready sent, autoResize, autoDestroyOnComplete, and 15 bits
    /// of applied height.
    pub fn pack(&self) -> u32 {
        self.machine.pack()
            | (self.ready_sent as u32) << READY_BIT
            | (self.auto_resize as u32) << (READY_BIT + 1)
            | (self.auto_destroy as u32) << (READY_BIT + 2)
            | (self.applied_height & HEIGHT_MASK) << HEIGHT_SHIFT
    }

    /// The inverse of `pack`; total over every `u32`.
    pub fn unpack(bits: u32) -> InstanceState {
        InstanceState {
            machine: Machine::unpack(bits & ((1 << Machine::BITS) - 1)),
            ready_sent: bits >> READY_BIT & 1 == 1,
            auto_resize: bits >> (READY_BIT + 1) & 1 == 1,
            auto_destroy: bits >> (READY_BIT + 2) & 1 == 1,
            applied_height: bits >> HEIGHT_SHIFT & HEIGHT_MASK,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::embedded::machine::{State, MAX_HEIGHT};

    #[test]
    fn round_trips() {
        let mut machine = Machine::new();
        let _ = machine.apply(State::Pending);
        let _ = machine.apply(State::Success);
        for (auto_resize, auto_destroy, ready_sent) in [(false, false, false), (true, false, true), (false, true, false), (true, true, true)] {
            for applied_height in [0, 1, 742, MAX_HEIGHT as u32] {
                for m in [Machine::new(), machine] {
                    let s = InstanceState { machine: m, auto_resize, auto_destroy, ready_sent, applied_height };
                    assert_eq!(InstanceState::unpack(s.pack()), s);
                    assert!(s.pack() < 1 << (HEIGHT_SHIFT + 15));
                }
            }
        }
    }

    #[test]
    fn new_state_is_empty() {
        let s = InstanceState::unpack(InstanceState::new(true, false).pack());
        assert_eq!(s, InstanceState::new(true, false));
        assert!(!s.ready_sent && s.applied_height == 0 && s.machine.current().is_none());
    }

    #[test]
    fn any_bits_unpack() {
        for bits in [0, u32::MAX, 0xdead_beef, 7, 1 << 31] {
            let s = InstanceState::unpack(bits);
            assert!(s.applied_height <= HEIGHT_MASK);
            assert_eq!(InstanceState::unpack(s.pack()), s);
        }
    }
}
