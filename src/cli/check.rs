//! `newstag check`: validate, count and lint a gazetteer.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

use super::GazetteerArgs;
use crate::gazetteer::lint::{self, LintKind, Warning};

/// Offenders listed per lint kind without `--verbose`.
const TOP_OFFENDERS: usize = 10;

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub gazetteer: GazetteerArgs,
    /// List every lint warning, not only the counts per kind and the top offenders.
    #[arg(long, short)]
    pub verbose: bool,
}

pub(super) fn run(args: &CheckArgs) -> Result<ExitCode, ExitCode> {
    let gazetteer = args.gazetteer.load()?;
    // The report is written in one go at the end, so a reader that goes away early
    // (`newstag check | head`) ends it quietly instead of panicking in `println!`.
    let mut out = String::new();
    macro_rules! say {
        ($($arg:tt)*) => {
            // Writing to a `String` cannot fail.
            let _ = writeln!(out, $($arg)*);
        };
    }
    say!("gazetteer {} OK", gazetteer.version);
    say!("  files: {}", gazetteer.sources.join(", "));
    let counts = gazetteer.counts_by_type();
    let total: usize = counts.iter().map(|(_, n)| n).sum();
    say!("  entities: {total}");
    for (entity_type, count) in counts {
        say!("    {entity_type}: {count}");
    }
    say!(
        "  aliases (names, aliases, acronyms, demonyms, derived forms): {}",
        gazetteer.alias_count()
    );
    say!(
        "  automaton patterns: {} ({} bytes; {} in {} shard(s))",
        gazetteer.pattern_count(),
        gazetteer.automaton_bytes(),
        gazetteer.walk_structure(),
        gazetteer.automaton_shards()
    );
    say!("  topics: {}", gazetteer.topics.topics.len());
    say!("  stop phrases: {}", gazetteer.stop_phrases.len());
    let warnings = lint::lint(&gazetteer);
    say!("  lint warnings: {}", warnings.len());
    let mut by_kind: BTreeMap<LintKind, Vec<&Warning>> = BTreeMap::new();
    for warning in &warnings {
        by_kind.entry(warning.kind).or_default().push(warning);
    }
    for (kind, found) in &mut by_kind {
        say!("    {}: {}", kind.label(), found.len());
        if args.verbose {
            continue;
        }
        // The largest first (most entities involved), then by location.
        found.sort_by(|a, b| b.weight.cmp(&a.weight).then_with(|| a.cmp(b)));
        for warning in found.iter().take(TOP_OFFENDERS) {
            say!("      warning: {}: {}", warning.location, warning.message);
        }
        if found.len() > TOP_OFFENDERS {
            say!(
                "      … {} more (--verbose lists all)",
                found.len() - TOP_OFFENDERS
            );
        }
    }
    if args.verbose {
        for warning in &warnings {
            say!("warning: {}: {}", warning.location, warning.message);
        }
    }
    match std::io::stdout().lock().write_all(out.as_bytes()) {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("newstag: cannot write output: {error}");
            Err(ExitCode::FAILURE)
        }
        _ => Ok(ExitCode::SUCCESS),
    }
}
