//! `newstag check`: validate, count and lint a gazetteer.

use std::collections::BTreeMap;
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
    println!("gazetteer {} OK", gazetteer.version);
    println!("  files: {}", gazetteer.sources.join(", "));
    let counts = gazetteer.counts_by_type();
    let total: usize = counts.iter().map(|(_, n)| n).sum();
    println!("  entities: {total}");
    for (entity_type, count) in counts {
        println!("    {entity_type}: {count}");
    }
    println!(
        "  aliases (names, aliases, acronyms, demonyms, derived forms): {}",
        gazetteer.alias_count()
    );
    println!(
        "  automaton patterns: {} ({} bytes; {} in {} shard(s))",
        gazetteer.pattern_count(),
        gazetteer.automaton_bytes(),
        gazetteer.walk_structure(),
        gazetteer.automaton_shards()
    );
    println!("  topics: {}", gazetteer.topics.topics.len());
    println!("  stop phrases: {}", gazetteer.stop_phrases.len());
    let warnings = lint::lint(&gazetteer);
    println!("  lint warnings: {}", warnings.len());
    let mut by_kind: BTreeMap<LintKind, Vec<&Warning>> = BTreeMap::new();
    for warning in &warnings {
        by_kind.entry(warning.kind).or_default().push(warning);
    }
    for (kind, found) in &mut by_kind {
        println!("    {}: {}", kind.label(), found.len());
        if args.verbose {
            continue;
        }
        // The largest first (most entities involved), then by location.
        found.sort_by(|a, b| b.weight.cmp(&a.weight).then_with(|| a.cmp(b)));
        for warning in found.iter().take(TOP_OFFENDERS) {
            println!("      warning: {}: {}", warning.location, warning.message);
        }
        if found.len() > TOP_OFFENDERS {
            println!(
                "      … {} more (--verbose lists all)",
                found.len() - TOP_OFFENDERS
            );
        }
    }
    if args.verbose {
        for warning in &warnings {
            println!("warning: {}: {}", warning.location, warning.message);
        }
    }
    Ok(ExitCode::SUCCESS)
}
