//! The `newstag` binary: parse the command line and hand over to the library.

use std::process::ExitCode;

use clap::Parser;

/// mimalloc rather than glibc malloc: tagging makes many small short-lived allocations per
/// article, and mimalloc's thread-local free lists serve them in a fraction of the time
/// (`docs/PERFORMANCE.md`, issue 13). The benchmarks install the same allocator. The library
/// hands the scaffolding of each gazetteer build back to the OS (`release_free_memory`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc's `mi_option_t` (the same index in its v2 and v3
/// headers; the Rust bindings name no constant for it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> ExitCode {
    // Return freed memory to the OS at once rather than after a delay that an idle server
    // never reaches: freed snapshots and scaffolding stayed resident otherwise (367 MB after
    // loading the bundled gazetteer against 215 MB). Gazetteer builds run with the lazy
    // default instead (`gazetteer::with_lazy_purge`), where purging at once cost 60 %.
    // SAFETY: sets a documented option before any thread of ours exists.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
    newstag::cli::run(newstag::cli::Cli::parse())
}
