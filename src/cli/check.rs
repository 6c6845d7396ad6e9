//! `newstag check`: validate, count and lint a gazetteer.

use std::process::ExitCode;

use super::GazetteerArgs;
use crate::gazetteer::lint;

pub(super) fn run(args: &GazetteerArgs) -> Result<ExitCode, ExitCode> {
    let gazetteer = args.load()?;
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
        "  automaton patterns: {} ({} bytes)",
        gazetteer.pattern_count(),
        gazetteer.automaton_bytes()
    );
    println!("  topics: {}", gazetteer.topics.topics.len());
    println!("  stop phrases: {}", gazetteer.stop_phrases.len());
    let warnings = lint::lint(&gazetteer);
    println!("  lint warnings: {}", warnings.len());
    for warning in warnings {
        println!("warning: {}: {}", warning.location, warning.message);
    }
    Ok(ExitCode::SUCCESS)
}
