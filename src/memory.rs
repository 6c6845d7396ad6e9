//! The allocator's memory, handed back to the operating system at the right moments.
//!
//! The binary's allocator is mimalloc (`src/main.rs`). It returns freed memory to the OS after
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
