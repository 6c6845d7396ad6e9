//! The `newstag` binary: parse the command line and hand over to the library.

use std::process::ExitCode;

use clap::Parser;

/// mimalloc rather than glibc malloc: tagging makes many small short-lived allocations per
/// article, and mimalloc's thread-local free lists serve them in a fraction of the time
/// (`docs/PERFORMANCE.md`, issue 13). The benchmarks install the same allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc's `mi_option_t` (the same index in its v2 and v3
/// headers; the Rust bindings name no constant for it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> ExitCode {
    // Return freed memory to the OS at once rather than after a 10 ms delay that an idle
    // server never reaches: building the automaton frees ~150 MB of scaffolding, which the
    // default kept resident (367 MB after load against 219 MB), and the run is no slower
    // (`tag --jsonl` on Reuters spent 0.2 s in the kernel instead of 0.5–1.2 s).
    // SAFETY: sets a documented option before any thread of ours exists; mimalloc reads
    // options with relaxed atomics and accepts any value for this one.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
    newstag::cli::run(newstag::cli::Cli::parse())
}
