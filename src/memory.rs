//! The binary's allocator ([`Allocator`], mimalloc), and its memory handed back to the operating
//! system at the right moments.
//!
//! mimalloc returns freed memory to the OS after
//! a delay, and only when the process allocates again. Its default delay (one second) kept the
//! bundled build's ~150 MB of scaffolding in an idle server (367 MB resident after load against
//! 217 MB); purging at once on every free made a million-entity build 60 % slower (17 s in the
//! kernel) and tagging 12–14 % slower (each article's freed pages went back to the OS and came
//! back zeroed for the next one: seed article 223–229 µs against 193–202 µs with a 10 ms delay,
//! same run). So the binary purges after a short delay ([`purge_freed_memory_soon`]): pages
//! a steady stream of articles frees are reused before it passes, and the next allocation after
//! it (a request, a health probe) hands back what an idle spell left; gazetteer builds, which
//! free and reallocate hundreds of megabytes, run under the same delay. [`release_free_memory`]
//! forces one purge after each build and each snapshot install, so what a load leaves behind
//! goes back at once. Every call here is harmless under another allocator: it only touches
//! mimalloc's own state.

/// The binary's global allocator (`src/main.rs`; the benchmarks install it too): mimalloc,
/// entered through its plain functions whenever the alignment allows. Rust hands every
/// allocation to a `GlobalAlloc` with its alignment, and the `mimalloc` crate passes them all to
/// mimalloc's aligned entry points, whose extra checks cost 1.7 % of tagging's instructions
/// (callgrind, 2,000 Reuters articles: 449.7 M → 442.2 M).
pub struct Allocator;

/// The alignment every mimalloc block has: blocks are whole machine words, laid out from a
/// start aligned to 16 bytes, so a word's alignment needs no aligned entry point.
const PLAIN_ALIGN: usize = std::mem::size_of::<usize>();

// SAFETY: each call hands mimalloc's own pointers back to mimalloc. The plain functions are
// used only for alignments of at most a word, which every mimalloc block has (PLAIN_ALIGN);
// larger alignments go to the aligned functions, as in the `mimalloc` crate.
unsafe impl std::alloc::GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        // SAFETY: see the impl; mimalloc returns null when out of memory, as the trait asks.
        unsafe {
            if layout.align() <= PLAIN_ALIGN {
                libmimalloc_sys::mi_malloc(layout.size()).cast()
            } else {
                libmimalloc_sys::mi_malloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        // SAFETY: as `alloc`.
        unsafe {
            if layout.align() <= PLAIN_ALIGN {
                libmimalloc_sys::mi_zalloc(layout.size()).cast()
            } else {
                libmimalloc_sys::mi_zalloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, _layout: std::alloc::Layout) {
        // SAFETY: `ptr` came from this allocator, that is from mimalloc.
        unsafe { libmimalloc_sys::mi_free(ptr.cast()) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` came from this allocator with `layout`; the new block keeps its
        // alignment by the same rule as `alloc`.
        unsafe {
            if layout.align() <= PLAIN_ALIGN {
                libmimalloc_sys::mi_realloc(ptr.cast(), new_size).cast()
            } else {
                libmimalloc_sys::mi_realloc_aligned(ptr.cast(), new_size, layout.align()).cast()
            }
        }
    }
}

/// `mi_option_purge_delay` in mimalloc's `mi_option_t` (the same index in its v2 and v3
/// headers; the Rust bindings name no constant for it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// The purge delay the binary runs with, in milliseconds.
const PURGE_DELAY_MS: std::os::raw::c_long = 10;

/// Makes mimalloc return freed memory to the OS [`PURGE_DELAY_MS`] after it is freed (the
/// binary's setting; benchmarks call it too, so their timings and resident figures are the
/// binary's).
pub fn purge_freed_memory_soon() {
    // SAFETY: sets a documented mimalloc option; no pointers involved.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS) };
}

/// Hands freed memory back to the operating system: after a build (whose temporary strings
/// are allocated on worker threads and freed on the loading thread, so glibc keeps them in
/// its per-thread arenas: ~0.3 GB at a million entities), after a snapshot is installed and
/// after an old one is freed.
pub(crate) fn release_free_memory() {
    // SAFETY: mi_collect only returns memory mimalloc holds free; it takes no pointers.
    unsafe {
        libmimalloc_sys::mi_collect(true);
    }
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free heap pages to the kernel; it takes no pointers.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(test)]
mod tests {
    use std::alloc::{GlobalAlloc, Layout};

    use super::Allocator;

    /// Every alignment from a byte to a page, on both sides of the plain/aligned split, gets a
    /// block of that alignment that keeps its bytes through growth and shrinking.
    #[test]
    fn blocks_have_the_alignment_asked_and_keep_their_bytes() {
        let mut align = 1;
        while align <= 4096 {
            for size in [1, 3, 8, 24, 100, 5000] {
                let layout = Layout::from_size_align(size, align).expect("a valid layout");
                // SAFETY: a non-zero size; every block is freed with the layout it has.
                unsafe {
                    let zeroed = Allocator.alloc_zeroed(layout);
                    assert!(!zeroed.is_null());
                    assert_eq!(zeroed as usize % align, 0, "zeroed {size} B at {align}");
                    assert!(
                        std::slice::from_raw_parts(zeroed, size)
                            .iter()
                            .all(|&b| b == 0)
                    );
                    Allocator.dealloc(zeroed, layout);

                    let block = Allocator.alloc(layout);
                    assert!(!block.is_null());
                    assert_eq!(block as usize % align, 0, "{size} B at {align}");
                    for i in 0..size {
                        block.add(i).write(i as u8);
                    }
                    // Grown to three times the size, then shrunk to half the original.
                    let mut current = (block, size);
                    for new_size in [size * 3, (size / 2).max(1)] {
                        let old_layout = Layout::from_size_align(current.1, align).expect("valid");
                        let moved = Allocator.realloc(current.0, old_layout, new_size);
                        assert!(!moved.is_null());
                        assert_eq!(
                            moved as usize % align,
                            0,
                            "{size} → {new_size} B at {align}"
                        );
                        for i in 0..size.min(new_size) {
                            assert_eq!(moved.add(i).read(), i as u8);
                        }
                        current = (moved, new_size);
                    }
                    let last = Layout::from_size_align(current.1, align).expect("valid");
                    Allocator.dealloc(current.0, last);
                }
            }
            align *= 2;
        }
    }
}
