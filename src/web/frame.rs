//! The iframe and the DOM listeners of one mount, owned like gloo's `EventListener`: dropping
//! a `Listener` removes it, dropping `Mounted` removes the iframe and cancels the pending poll.

use super::timer::Wake;
use core::cell::{Cell, RefCell};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, EventTarget, HtmlIFrameElement};

pub struct Listener {
    target: EventTarget,
    kind: &'static str,
    callback: Closure<dyn Fn(JsValue)>,
}

impl Listener {
    pub fn new(target: &EventTarget, kind: &'static str, f: impl Fn(JsValue) + 'static) -> Listener {
        // `Fn`, not `FnMut`: a handler may re-enter (dispatch a message synchronously) safely.
        let callback = Closure::<dyn Fn(JsValue)>::new(f);
        let _ = target.add_event_listener_with_callback(kind, callback.as_ref().unchecked_ref());
        Listener { target: target.clone(), kind, callback }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self.target.remove_event_listener_with_callback(self.kind, self.callback.as_ref().unchecked_ref());
    }
}

/// Everything one `mount()` created.
pub struct Mounted {
    pub iframe: HtmlIFrameElement,
    pub ready_sent: Cell<bool>,
    pub applied_height: Cell<u32>,
    /// The poll loop's pending sleep, cancelled on unmount so the loop ends at once.
    pub poll_wake: RefCell<Option<Wake>>,
    _message: Listener,
    _load: Listener,
}

impl Mounted {
    pub fn new(iframe: HtmlIFrameElement, message: Listener, load: Listener) -> Mounted {
        Mounted { iframe, ready_sent: Cell::new(false), applied_height: Cell::new(0), poll_wake: RefCell::new(None), _message: message, _load: load }
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.iframe.remove();
        if let Some(w) = self.poll_wake.get_mut().take() {
            w.cancel();
        }
    }
}

/// `<iframe src=checkoutUrl title allow="payment *">`, full width, no border. The URL is set
/// exactly as given: query and fragment untouched.
pub fn create_iframe(document: &Document, checkout_url: &str) -> Option<HtmlIFrameElement> {
    let iframe: HtmlIFrameElement = document.create_element("iframe").ok()?.dyn_into().ok()?;
    iframe.set_src(checkout_url);
    iframe.set_title("Clink checkout");
    let _ = iframe.set_attribute("allow", "payment *");
    let style = iframe.style();
    let _ = style.set_property("width", "100%");
    let _ = style.set_property("border", "0");
    let _ = style.set_property("display", "block");
    Some(iframe)
}

pub fn set_height(iframe: &HtmlIFrameElement, css_px: u32) {
    let mut value = alloc::string::String::new();
    crate::text::push_u32(&mut value, css_px);
    value.push_str("px");
    let _ = iframe.style().set_property("height", &value);
}
