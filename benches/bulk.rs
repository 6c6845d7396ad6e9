//! Bulk tagging end to end: `newstag tag --jsonl` (the release binary, output to /dev/null)
//! with one thread and with every core, against the raw Aho-Corasick floor, in one run.
//!
//! ```text
//! NEWSTAG_BENCH_CORPUS=../shared/data/reuters21578/train.jsonl cargo bench --bench bulk
//! ```
//!
//! `NEWSTAG_BENCH_CORPUS` names a JSON-lines file with `title`/`body` fields (Reuters-21578 as
//! in `../shared/data`); it is rewritten to `{id, title, body}` lines in a temporary file, the
//! input `tag --jsonl` takes. Without it a deterministic synthetic corpus is used.
//!
//! The floor is an unanchored leftmost-longest scan of the gazetteer's normalised patterns over
//! the normalised text of the same articles, on one core: the contiguous NFA, and the DFA when
//! the pattern set is small enough for one (`NEWSTAG_BENCH_DFA=1` forces it; at the bundled
//! 245,000 patterns it takes 2.2 GB and scans slower than the NFA, see docs/PERFORMANCE.md).
//! Figures are MB/s of article text (title + body); "tagging" excludes the process start and
//! gazetteer load, measured in the same run by tagging an empty input (runs alternate, best of
//! five each). The corpus is repeated `NEWSTAG_BENCH_REPEAT` times (default 3) so tagging
//! outweighs the start-up.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use newstag::Gazetteer;

mod support;

/// Above this many patterns the DFA is not built unless forced (memory grows past a gigabyte).
const DFA_MAX_PATTERNS: usize = 50_000;

fn articles() -> (String, Vec<(String, String)>) {
    match std::env::var("NEWSTAG_BENCH_CORPUS") {
        Ok(path) => {
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
            let articles = text
                .lines()
                .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
                .map(|v| {
                    (
                        v["title"].as_str().unwrap_or_default().to_owned(),
                        v["body"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .filter(|(title, body)| !title.trim().is_empty() || !body.trim().is_empty())
                .collect();
            (path, articles)
        }
        Err(_) => (
            "synthetic".to_owned(),
            support::synthetic_articles(
                &["Russia", "NATO", "Vladimir Putin", "EU"],
                400,
                4_000_000,
            )
            .into_iter()
            .map(|a| (a.title, a.body))
            .collect(),
        ),
    }
}

/// Wall time of `newstag tag --jsonl` on `input`, best of `runs`.
fn cli(input: &Path, extra: &[&str], runs: usize) -> Duration {
    (0..runs)
        .map(|_| {
            let started = Instant::now();
            let status = Command::new(env!("CARGO_BIN_EXE_newstag"))
                .args(["tag", "--jsonl", "--quiet"])
                .args(extra)
                .arg(input)
                .stdout(Stdio::null())
                .status()
                .expect("newstag runs");
            let elapsed = started.elapsed();
            assert!(
                status.success(),
                "newstag tag failed on {}",
                input.display()
            );
            elapsed
        })
        .min()
        .unwrap_or_default()
}

fn floor(kind: AhoCorasickKind, patterns: &[&str], folded: &[String]) -> (Duration, usize, usize) {
    let automaton = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .kind(Some(kind))
        .build(patterns)
        .expect("floor automaton");
    let mut matches = 0;
    let best = support::best_of(5, || {
        matches = folded.iter().map(|t| automaton.find_iter(t).count()).sum();
    });
    (best, matches, automaton.memory_usage())
}

fn main() {
    let gazetteer = Gazetteer::bundled().expect("bundled gazetteer");
    let (name, articles) = articles();
    let bytes: usize = articles.iter().map(|(t, b)| t.len() + b.len()).sum();
    let dir = std::env::temp_dir().join(format!("newstag-bench-bulk-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let input = dir.join("articles.jsonl");
    let mut lines = String::with_capacity(bytes * 11 / 10);
    // The corpus is tagged `NEWSTAG_BENCH_REPEAT` times over (default 3), so tagging outweighs
    // the start-up that is subtracted from it; the floor scans the same repeated bytes.
    let repeat: usize = std::env::var("NEWSTAG_BENCH_REPEAT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3)
        .max(1);
    let articles: Vec<(String, String)> = articles
        .iter()
        .cycle()
        .take(articles.len() * repeat)
        .cloned()
        .collect();
    let bytes = bytes * repeat;
    for (i, (title, body)) in articles.iter().enumerate() {
        lines.push_str(
            &serde_json::json!({"id": i.to_string(), "title": title, "body": body}).to_string(),
        );
        lines.push('\n');
    }
    std::fs::write(&input, &lines).expect("write corpus");
    let empty = dir.join("empty.jsonl");
    std::fs::write(&empty, "").expect("write empty input");

    let folded: Vec<String> = articles
        .iter()
        .flat_map(|(t, b)| {
            [
                newstag::text::normalise(t).text,
                newstag::text::normalise(b).text,
            ]
        })
        .collect();
    let patterns = gazetteer.patterns();
    let mbps = |d: Duration| bytes as f64 / d.as_secs_f64() / 1e6;
    println!(
        "corpus: {name} × {repeat}: {} articles, {:.1} MB of text ({:.1} MB of JSON lines); {} patterns",
        articles.len(),
        bytes as f64 / 1e6,
        lines.len() as f64 / 1e6,
        patterns.len()
    );
    let (nfa, matches, nfa_bytes) = floor(AhoCorasickKind::ContiguousNFA, &patterns, &folded);
    println!(
        "floor, contiguous NFA : {:>7.1} MB/s ({matches} matches, {:.0} MB)",
        mbps(nfa),
        nfa_bytes as f64 / 1e6
    );
    let mut fastest = nfa;
    if patterns.len() <= DFA_MAX_PATTERNS || std::env::var_os("NEWSTAG_BENCH_DFA").is_some() {
        let (dfa, _, dfa_bytes) = floor(AhoCorasickKind::DFA, &patterns, &folded);
        println!(
            "floor, DFA            : {:>7.1} MB/s ({:.0} MB)",
            mbps(dfa),
            dfa_bytes as f64 / 1e6
        );
        fastest = fastest.min(dfa);
    } else {
        println!(
            "floor, DFA            : not built ({} patterns > {DFA_MAX_PATTERNS}; NEWSTAG_BENCH_DFA=1 forces it)",
            patterns.len()
        );
    }
    drop(folded);

    // Start-up and load (about a second) vary by a few hundred milliseconds from run to run:
    // the runs alternate, so a slow spell slows every kind alike, and the best of each is kept.
    let runs = 5;
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let all = cores.to_string();
    let kinds: [(&Path, Vec<&str>); 3] = [
        (&empty, vec![]),
        (&input, vec!["--threads", "1"]),
        (&input, vec!["--threads", all.as_str()]),
    ];
    let mut best = [Duration::MAX; 3];
    for _ in 0..runs {
        for (slot, (path, extra)) in best.iter_mut().zip(&kinds) {
            *slot = (*slot).min(cli(path, extra, 1));
        }
    }
    let load = best[0];
    println!(
        "start-up and gazetteer load (empty input): {:.2} s",
        load.as_secs_f64()
    );
    println!(
        "{:>10} {:>12} {:>12} {:>12} {:>14}",
        "threads", "wall s", "MB/s e2e", "MB/s tagging", "tagging÷floor"
    );
    for (threads, wall) in [("1", best[1]), (all.as_str(), best[2])] {
        let tagging = wall.saturating_sub(load).max(Duration::from_millis(1));
        println!(
            "{threads:>10} {:>12.2} {:>12.1} {:>12.1} {:>14.2}   (end to end ÷ floor {:.2})",
            wall.as_secs_f64(),
            mbps(wall),
            mbps(tagging),
            fastest.as_secs_f64() / tagging.as_secs_f64(),
            fastest.as_secs_f64() / wall.as_secs_f64()
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
