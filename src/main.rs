//! The `newstag` binary: parse the command line and hand over to the library.

use std::process::ExitCode;

use clap::Parser;

/// mimalloc rather than glibc malloc: tagging makes many small short-lived allocations per
/// article, and mimalloc's thread-local free lists serve them in a fraction of the time
/// (`docs/PERFORMANCE.md`, issue 13). The benchmarks install the same allocator.
#[global_allocator]
static ALLOCATOR: newstag::memory::Allocator = newstag::memory::Allocator;

fn main() -> ExitCode {
    // Freed memory goes back to the OS 10 ms after it is freed; `newstag::memory` says why.
    newstag::memory::purge_freed_memory_soon();
    newstag::cli::run(newstag::cli::Cli::parse())
}
