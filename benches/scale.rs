//! Scale: build time, resident memory, bytes per alias and tagging throughput for synthetic
//! gazetteers of 10,000 / 100,000 / 1,000,000 entities, each against the raw aho-corasick
//! floor at the same size, plus the automaton settings the choice was made from.
//!
//! ```text
//! cargo bench --bench scale                                  # all three sizes (~5 min)
//! NEWSTAG_BENCH_SIZES=10000,100000 cargo bench --bench scale # quicker
//! ```
//!
//! Each size runs in a child process of its own, so resident and peak memory are that size's
//! alone. The corpus is deterministic news-like text (4 MB) with one name of the gazetteer in
//! about every 15 words; the floor is an unanchored leftmost-longest scan of the gazetteer's
//! normalised patterns over the folded text, with no normalisation, boundaries or rules.

use std::hint::black_box;
use std::time::Instant;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use newstag::Gazetteer;
use newstag::proto::{Article, TagOptions};

mod support;

/// The binary's allocator (`src/main.rs`), so the benchmark measures what the binary runs.
#[global_allocator]
static ALLOCATOR: newstag::memory::Allocator = newstag::memory::Allocator;

/// News-like text (4 MB) with one of the gazetteer's names or aliases in about every 15
/// words.
fn corpus(gazetteer: &Gazetteer) -> Vec<Article> {
    let names: Vec<&str> = gazetteer
        .entities
        .iter()
        .step_by((gazetteer.entities.len() / 5000).max(1))
        .flat_map(|e| {
            std::iter::once(e.record.name.as_str())
                .chain(e.record.aliases.iter().map(String::as_str))
        })
        .collect();
    support::synthetic_articles(&names, 300, 4_000_000)
}

/// One floor variant: build time, heap, and scan MB/s over `texts`.
fn floor(
    label: &str,
    patterns: &[&str],
    texts: &[String],
    configure: impl Fn(&mut aho_corasick::AhoCorasickBuilder),
) -> f64 {
    let mut builder = AhoCorasick::builder();
    builder.match_kind(MatchKind::LeftmostLongest);
    configure(&mut builder);
    let started = Instant::now();
    let automaton = builder.build(patterns).expect("floor automaton");
    let build = started.elapsed();
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut matches = 0;
    let scan = support::best_of(3, || {
        matches = texts.iter().map(|t| automaton.find_iter(t).count()).sum();
    });
    let mbps = bytes as f64 / scan.as_secs_f64() / 1e6;
    println!(
        "    floor {label:<44} build {:>6.2} s  {:>5} MB  {:>7.1} MB/s  ({matches} matches, {:?})",
        build.as_secs_f64(),
        automaton.memory_usage() / 1_000_000,
        mbps,
        automaton.kind()
    );
    mbps
}

fn one_size(entities: usize) {
    let dir = std::env::temp_dir().join(format!("newstag-scale-{}-{entities}", std::process::id()));
    newstag::synth::write_gazetteer(&dir, entities, 1).expect("synthetic gazetteer");
    let (rss_before, _) = support::memory_mib();
    support::reset_peak_memory();
    let started = Instant::now();
    let gazetteer = Gazetteer::load_dir(&dir).expect("gazetteer loads");
    let build = started.elapsed();
    let (rss_loaded, peak) = support::memory_mib();
    let _ = std::fs::remove_dir_all(&dir);
    let aliases = gazetteer.alias_count();
    let resident = rss_loaded - rss_before;
    println!(
        "{entities} entities: {aliases} aliases, {} patterns, {} shard(s) of {:?}",
        gazetteer.pattern_count(),
        gazetteer.automaton_shards(),
        gazetteer.automaton_kind()
    );
    println!(
        "  build {:.2} s; resident +{resident:.0} MiB (peak {peak:.0} MiB); {:.0} bytes per alias resident, matcher {:.0} bytes per alias (automata {} MB)",
        build.as_secs_f64(),
        resident * 1048576.0 / aliases as f64,
        gazetteer.matcher_bytes() as f64 / aliases as f64,
        gazetteer.automaton_bytes() / 1_000_000
    );

    let articles = corpus(&gazetteer);
    let bytes: usize = articles.iter().map(|a| a.body.len()).sum();
    let folded: Vec<String> = articles
        .iter()
        .map(|a| newstag::text::normalise(&a.body).text)
        .collect();
    let originals: Vec<String> = articles.iter().map(|a| a.body.clone()).collect();
    let options = TagOptions::default();
    let engine = support::best_of(3, || {
        for article in &articles {
            black_box(
                newstag::tagger::tag_article(
                    &gazetteer,
                    article,
                    &options,
                    newstag::Rules::default(),
                )
                .ok(),
            );
        }
    });
    let engine_mbps = bytes as f64 / engine.as_secs_f64() / 1e6;
    let patterns = gazetteer.patterns();
    let kind = gazetteer.automaton_kind();
    let floor_mbps = floor(&format!("{kind:?} (the floor)"), &patterns, &folded, |b| {
        b.kind(Some(kind));
    });
    println!(
        "  engine {engine_mbps:.1} MB/s vs floor {floor_mbps:.1} MB/s: ratio {:.2}",
        engine_mbps / floor_mbps
    );
    println!("  automaton settings (raw scans, same patterns and text):");
    floor("auto kind", &patterns, &folded, |b| {
        b.kind(None);
    });
    floor("contiguous NFA, prefilter off", &patterns, &folded, |b| {
        b.kind(Some(AhoCorasickKind::ContiguousNFA))
            .prefilter(false);
    });
    if entities <= 100_000 {
        floor("DFA", &patterns, &folded, |b| {
            b.kind(Some(AhoCorasickKind::DFA));
        });
    }
    // Case folding inside the automaton instead of on the text: original, unfolded text.
    floor(
        "contiguous NFA, ascii_case_insensitive, raw text",
        &patterns,
        &originals,
        |b| {
            b.kind(Some(AhoCorasickKind::ContiguousNFA))
                .ascii_case_insensitive(true);
        },
    );
    println!(
        "RESULT {entities} {:.2} {resident:.0} {peak:.0} {engine_mbps:.1} {floor_mbps:.1}",
        build.as_secs_f64()
    );
}

fn main() {
    // The binary's allocator setting (src/main.rs), so timings and resident figures are its.
    newstag::memory::purge_freed_memory_soon();
    if let Ok(size) = std::env::var("NEWSTAG_SCALE_ONE") {
        one_size(size.parse().expect("size"));
        return;
    }
    let sizes =
        std::env::var("NEWSTAG_BENCH_SIZES").unwrap_or_else(|_| "10000,100000,1000000".into());
    let exe = std::env::current_exe().expect("own path");
    let mut rows = Vec::new();
    for size in sizes.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let output = std::process::Command::new(&exe)
            .env("NEWSTAG_SCALE_ONE", size)
            .output()
            .expect("child run");
        let text = String::from_utf8_lossy(&output.stdout);
        for line in text.lines() {
            match line.strip_prefix("RESULT ") {
                Some(result) => rows.push(result.to_owned()),
                None => println!("{line}"),
            }
        }
        if !output.status.success() {
            eprintln!("{}", String::from_utf8_lossy(&output.stderr));
        }
    }
    println!(
        "\n| entities | build s | resident MiB | peak MiB | engine MB/s | floor MB/s | ratio |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    for row in rows {
        let f: Vec<&str> = row.split(' ').collect();
        let ratio = f[4].parse::<f64>().unwrap_or(0.0) / f[5].parse::<f64>().unwrap_or(1.0);
        println!(
            "| {} | {} | {} | {} | {} | {} | {ratio:.2} |",
            f[0], f[1], f[2], f[3], f[4], f[5]
        );
    }
}
