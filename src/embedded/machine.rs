//! Checkout states and the rules that turn state reports into events (README "Events"): a
//! report of the state the checkout is already in is dropped, any other state is announced
//! (a return to `payment` after a declined attempt too: a session takes several payment
//! attempts), `complete` comes once per instance on the first terminal state, and nothing
//! after it.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    Payment,
    Pending,
    Success,
    Cancelled,
    Error,
    Expired,
}

impl State {
    /// The state named `STATE_NAMES[index]`.
    pub fn at(index: usize) -> Option<State> {
        State::ALL.get(index).copied()
    }

    pub fn parse(s: &str) -> Option<State> {
        STATE_NAMES.split('\n').position(|name| name == s).and_then(State::at)
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            State::Payment => "payment",
            State::Pending => "pending",
            State::Success => "success",
            State::Cancelled => "cancelled",
            State::Error => "error",
            State::Expired => "expired",
        }
    }

    pub const fn is_terminal(self) -> bool {
        matches!(self, State::Success | State::Cancelled | State::Error | State::Expired)
    }

    const ALL: [State; 6] = [State::Payment, State::Pending, State::Success, State::Cancelled, State::Error, State::Expired];
}

/// The state names, one per line, in the order of `State::ALL` (for `Object::one_of`).
pub const STATE_NAMES: &str = "payment\npending\nsuccess\ncancelled\nerror\nexpired";

/// Where a state report came from; it becomes `complete.payload.source`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Checkout,
    Poll,
}

impl Source {
    pub const fn as_str(self) -> &'static str {
        match self {
            Source::Checkout => "checkout",
            Source::Poll => "poll",
        }
    }
}

/// What to emit for one accepted state report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Transition {
    pub state: State,
    pub previous: Option<State>,
    /// Emit `complete` after `state_change`; polling stops.
    pub complete: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Machine {
    current: Option<State>,
    completed: bool,
}

impl Machine {
    pub const fn new() -> Machine {
        Machine { current: None, completed: false }
    }

    pub const fn current(&self) -> Option<State> {
        self.current
    }

    pub const fn is_complete(&self) -> bool {
        self.completed
    }

    /// The machine in `BITS` bits: the current state (0 = none, else its index + 1), then
    /// completed.
    pub fn pack(&self) -> u32 {
        let current = match self.current {
            None => 0,
            Some(s) => s as u32 + 1,
        };
        current | (self.completed as u32) << 3
    }

    /// How many bits `pack` uses.
    pub const BITS: u32 = 4;

    /// The inverse of `pack`; total: bits that name no state read as none.
    pub fn unpack(bits: u32) -> Machine {
        let current = (bits & 7).checked_sub(1).and_then(|i| State::ALL.get(i as usize).copied());
        Machine { current, completed: bits >> 3 & 1 == 1 }
    }

    /// Applies a reported state; `None` means: emit nothing.
    pub fn apply(&mut self, state: State) -> Option<Transition> {
        if self.completed || self.current == Some(state) {
            return None;
        }
        let previous = self.current;
        self.current = Some(state);
        self.completed = state.is_terminal();
        Some(Transition { state, previous, complete: self.completed })
    }
}

/// Highest height the SDK applies to the iframe (README "The checkout frame protocol"): guards against runaway resize loops.
pub const MAX_HEIGHT: f64 = 20_000.0;

/// A requested height, if acceptable: finite, 1–20000. Returns the CSS pixel height to apply
/// (rounded up so content is never clipped).
pub fn css_height(height: f64) -> Option<u32> {
    if height.is_finite() && (1.0..=MAX_HEIGHT).contains(&height) {
        let whole = height as u32;
        Some(if (whole as f64) < height { whole + 1 } else { whole })
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_in_the_order_of_all() {
        for (i, name) in STATE_NAMES.split('\n').enumerate() {
            assert_eq!(State::at(i).map(State::as_str), Some(name));
        }
        assert_eq!(State::at(6), None);
    }

    #[test]
    fn states_round_trip() {
        for s in [State::Payment, State::Pending, State::Success, State::Cancelled, State::Error, State::Expired] {
            assert_eq!(State::parse(s.as_str()), Some(s));
        }
        for bad in ["", "Success", "canceled", "complete", "success "] {
            assert_eq!(State::parse(bad), None);
        }
    }

    #[test]
    fn happy_path() {
        let mut m = Machine::new();
        assert_eq!(m.apply(State::Payment), Some(Transition { state: State::Payment, previous: None, complete: false }));
        assert_eq!(m.apply(State::Pending), Some(Transition { state: State::Pending, previous: Some(State::Payment), complete: false }));
        assert_eq!(m.apply(State::Success), Some(Transition { state: State::Success, previous: Some(State::Pending), complete: true }));
        assert!(m.is_complete());
        assert_eq!(m.current(), Some(State::Success));
    }

    #[test]
    fn a_report_of_the_current_state_is_dropped() {
        let mut m = Machine::new();
        assert!(m.apply(State::Pending).is_some());
        assert_eq!(m.apply(State::Pending), None);
        assert_eq!(m.current(), Some(State::Pending));
    }

    #[test]
    fn a_retried_payment_is_announced() {
        use State::*;
        let mut m = Machine::new();
        let seen: Vec<_> = [Payment, Pending, Pending, Payment, Payment, Pending, Success, Payment]
            .into_iter()
            .filter_map(|s| m.apply(s))
            .map(|t| (t.previous, t.state, t.complete))
            .collect();
        assert_eq!(
            seen,
            [
                (None, Payment, false),
                (Some(Payment), Pending, false),
                (Some(Pending), Payment, false),
                (Some(Payment), Pending, false),
                (Some(Pending), Success, true),
            ]
        );
    }

    #[test]
    fn first_terminal_state_completes_once() {
        for terminal in [State::Success, State::Cancelled, State::Error, State::Expired] {
            let mut m = Machine::new();
            assert_eq!(m.apply(terminal).map(|t| t.complete), Some(true));
            for later in [State::Payment, State::Pending, State::Success, State::Cancelled, State::Error, State::Expired] {
                assert_eq!(m.apply(later), None);
            }
        }
    }

    #[test]
    fn packs_and_unpacks_every_reachable_machine() {
        let mut seen = 0;
        // Every sequence of up to 3 reports reaches every state combination the rules allow.
        for a in State::ALL {
            for b in State::ALL {
                for c in State::ALL {
                    let mut m = Machine::new();
                    for s in [a, b, c] {
                        let _ = m.apply(s);
                        assert_eq!(Machine::unpack(m.pack()), m);
                        assert!(m.pack() < 1 << Machine::BITS);
                        seen += 1;
                    }
                }
            }
        }
        assert_eq!(seen, 648);
        assert_eq!(Machine::unpack(Machine::new().pack()), Machine::new());
        assert_eq!(Machine::unpack(7).current(), None, "no state has index 6");
    }

    #[test]
    fn heights() {
        assert_eq!(css_height(742.0), Some(742));
        assert_eq!(css_height(742.2), Some(743));
        assert_eq!(css_height(1.0), Some(1));
        assert_eq!(css_height(20_000.0), Some(20_000));
        for bad in [0.0, 0.5, -1.0, 20_000.5, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 1e300] {
            assert_eq!(css_height(bad), None, "{bad}");
        }
    }
}
