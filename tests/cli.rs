//! The `newstag` binary end to end: `tag` (files, stdin, JSON lines) and `check`.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn newstag(args: &[&str], stdin: &str) -> Output {
    newstag_bytes(args, stdin.as_bytes().to_vec())
}

/// The JSON values of an output's lines.
fn json_lines(stdout: Vec<u8>) -> Vec<serde_json::Value> {
    String::from_utf8(stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("newstag-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn tag_a_file_prints_proto3_json() {
    let output = newstag(&["tag", "tests/fixtures/seed-article.txt"], "");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["articleId"], "tests/fixtures/seed-article.txt");
    assert!(
        json["gazetteerVersion"]
            .as_str()
            .unwrap()
            .starts_with("sha256:")
    );
    let first = &json["entities"][0];
    assert!(first["relevance"].as_f64().unwrap() > 0.5);
    assert_eq!(first["mentions"][0]["field"], "FIELD_BODY");
    assert!(
        first["mentions"][0]["kind"]
            .as_str()
            .unwrap()
            .starts_with("MENTION_KIND_")
    );
}

#[test]
fn jsonl_keeps_input_order_and_reports_bad_lines_in_place() {
    let input = concat!(
        "{\"id\":\"a\",\"title\":\"NATO summit\",\"body\":\"Leaders met.\"}\n",
        "not json\n",
        "{\"id\":\"c\",\"title\":\"\",\"body\":\"\"}\n",
        "{\"id\":\"d\",\"body\":\"Russia and Ukraine\"}\n",
    );
    let output = newstag(&["tag", "--jsonl", "--offsets", "utf16", "-"], input);
    assert_eq!(
        output.status.code(),
        Some(1),
        "bad lines make the exit status 1"
    );
    let lines = json_lines(output.stdout);
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["articleId"], "a");
    assert_eq!(lines[0]["entities"][0]["id"], "org:nato");
    assert_eq!(lines[0]["offsetUnit"], "OFFSET_UNIT_UTF16");
    assert!(
        lines[1]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("-:2: bad JSON article")
    );
    assert_eq!(lines[2]["articleId"], "c");
    assert_eq!(lines[2]["error"]["code"], 3);
    assert_eq!(lines[3]["articleId"], "d");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("-:3: article has no title and no body"),
        "{stderr}"
    );
}

/// A JSON-lines corpus of `n` articles with a bad line and an invalid UTF-8 line among them.
fn corpus(n: usize) -> Vec<u8> {
    let bodies = [
        "Vladimir Putin met NATO leaders in Brussels on Monday.",
        "Russia and Ukraine talked in Geneva. Treasury Secretary Robert Rubin said so.",
        "Shares of Microsoft rose in New York.",
    ];
    let mut out = Vec::new();
    for i in 0..n {
        match i {
            7 => out.extend_from_slice(b"{\"id\": broken\n"),
            11 => out.extend_from_slice(b"{\"id\":\"bad-utf8\",\"body\":\"\xff\xfe\"}\n"),
            13 => out.extend_from_slice(b"   \n"),
            _ => out.extend_from_slice(
                format!(
                    "{{\"id\":\"a{i}\",\"body\":{}}}\n",
                    serde_json::Value::from(format!("{} Article {i}.", bodies[i % 3]))
                )
                .as_bytes(),
            ),
        }
    }
    out
}

fn newstag_bytes(args: &[&str], stdin: Vec<u8>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_newstag"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    let mut input = child.stdin.take().unwrap();
    // Written from a thread: the child's output pipe fills while it reads. A command that never
    // reads standard input may exit before the write: that is fine.
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&stdin);
    });
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    output
}

#[test]
fn jsonl_output_is_the_same_on_any_thread_count() {
    // 600 lines are several pipeline batches: with threads they finish out of turn, and the
    // output must still be line for line in input order, identical to one thread's.
    let input = corpus(600);
    let one = newstag_bytes(&["tag", "--jsonl", "--threads", "1"], input.clone());
    assert_eq!(
        one.status.code(),
        Some(1),
        "bad lines make the exit status 1"
    );
    for threads in ["2", "5"] {
        let many = newstag_bytes(&["tag", "--jsonl", "--threads", threads], input.clone());
        assert_eq!(many.status.code(), Some(1));
        assert!(
            many.stdout == one.stdout,
            "--threads {threads} changed the output"
        );
        assert_eq!(
            many.stderr, one.stderr,
            "--threads {threads} changed the diagnostics"
        );
    }
    let lines = json_lines(one.stdout);
    assert_eq!(lines.len(), 599, "one response per non-blank line");
    for (index, line) in lines.iter().enumerate() {
        // Line 14 (index 13) is blank and answers nothing: later lines shift by one.
        let i = if index >= 13 { index + 1 } else { index };
        match i {
            7 => assert!(
                line["error"]["message"]
                    .as_str()
                    .unwrap()
                    .contains("-:8: bad JSON article"),
                "{line}"
            ),
            11 => assert!(
                line["error"]["message"]
                    .as_str()
                    .unwrap()
                    .contains("-:12: bad JSON article"),
                "{line}"
            ),
            _ => {
                assert_eq!(line["articleId"], format!("a{i}"));
                assert!(line["error"].is_null(), "{line}");
                assert!(!line["entities"].as_array().unwrap().is_empty(), "{line}");
            }
        }
    }
    let stderr = String::from_utf8(one.stderr).unwrap();
    assert!(stderr.contains("-:8: bad JSON article"), "{stderr}");
    assert!(stderr.contains("-:12: bad JSON article"), "{stderr}");
    // Standard error is not a terminal here: no progress line, no summary.
    assert!(!stderr.contains("articles/s"), "{stderr}");
}

#[test]
fn quiet_silences_diagnostics_but_not_the_answers() {
    let output = newstag_bytes(&["tag", "--jsonl", "--quiet", "--threads", "2"], corpus(20));
    assert_eq!(output.status.code(), Some(1));
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).unwrap();
    assert_eq!(text.lines().count(), 19);
    assert!(text.contains("-:8: bad JSON article"));
}

#[test]
fn zero_threads_is_a_usage_error() {
    let output = newstag_bytes(&["tag", "--jsonl", "--threads", "0"], Vec::new());
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--threads must be at least 1"));
}

#[test]
fn explain_lists_suppressed_candidates() {
    let output = newstag(
        &["tag", "--explain", "-"],
        "let us go to Latin America with Vladimir Putin",
    );
    assert!(output.status.success());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let reasons: Vec<&str> = json["explanation"]["suppressed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["reason"].as_str().unwrap())
        .collect();
    assert!(reasons.contains(&"SUPPRESSION_REASON_CASE"), "{reasons:?}");
    assert!(
        reasons.contains(&"SUPPRESSION_REASON_STOP_PHRASE"),
        "{reasons:?}"
    );
    assert!(
        json["entities"][0]["mentions"][0]["rule"]
            .as_str()
            .unwrap()
            .contains("smart case")
    );
}

#[test]
fn check_ends_quietly_when_its_reader_goes_away() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_newstag"))
        .args(["check", "--verbose"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Closed before the report is written (the gazetteer takes a while to load): the write
    // meets a broken pipe, as under `newstag check | head` once `head` has exited.
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(output.status.success(), "{:?} {stderr}", output.status);
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn check_reports_counts_and_lints_and_fails_on_errors() {
    let output = newstag(&["check"], "");
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("country:"), "{stdout}");
    assert!(stdout.contains("aliases"), "{stdout}");
    assert!(
        stdout.contains("warning:") && stdout.contains("common lower-case English word"),
        "{stdout}"
    );

    let dir = temp_dir("check");
    std::fs::write(
        dir.join("people.tsv"),
        "id\ttype\tname\tpriority\np:1\tperson\tAda Lovelace\t\np:1\tperson\tAda\tfirst\n",
    )
    .unwrap();
    let output = newstag(&["check", "--gazetteers", dir.to_str().unwrap()], "");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("people.tsv:3: bad priority \"first\""),
        "{stderr}"
    );
    assert!(
        stderr.contains("people.tsv:3: duplicate id")
            || stderr.contains("2 problems")
            || stderr.contains("1 problem"),
        "{stderr}"
    );

    let output = newstag(&["tag", "--gazetteers", dir.to_str().unwrap(), "-"], "Ada");
    assert_eq!(
        output.status.code(),
        Some(1),
        "tag refuses a broken gazetteer too"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn tag_with_a_custom_gazetteer_directory() {
    let dir = temp_dir("custom");
    std::fs::write(
        dir.join("e.tsv"),
        "id\ttype\tname\tacronyms\nx:acme\torganisation\tAcme Corporation\tACME\n",
    )
    .unwrap();
    let output = newstag(
        &["tag", "--gazetteers", dir.to_str().unwrap(), "-"],
        "ACME and Acme Corporation",
    );
    assert!(output.status.success());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["entities"][0]["id"], "x:acme");
    assert_eq!(json["entities"][0]["mentionCount"], 2);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn tag_writes_every_field_and_takes_every_option() {
    let dir = temp_dir("options");
    let a = dir.join("a.txt");
    let b = dir.join("b.txt");
    std::fs::write(&a, "Vladimir Putin met NATO leaders in Moscow on Monday.\n").unwrap();
    std::fs::write(&b, "Talks in Paris ended.\n").unwrap();
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());

    // Several files: one compact JSON object per line, in order.
    let output = newstag(&["tag", a, b], "");
    assert!(output.status.success());
    let lines = json_lines(output.stdout);
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["articleId"], a);
    assert_eq!(lines[1]["articleId"], b);

    // A title, whose mention at offset 0 keeps its "start": 0; defaults are written.
    let output = newstag(&["tag", "--title", "Moscow talks", a], "");
    assert!(output.status.success());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let moscow = json["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "city:moscow-q649")
        .expect("Moscow is tagged");
    let title = &moscow["mentions"][0];
    assert_eq!(title["field"], "FIELD_TITLE");
    assert_eq!(title["start"], 0);
    assert_eq!(moscow["linked"], true);
    assert_eq!(moscow["inferred"], false);
    // Four decimals at most.
    let relevance = moscow["relevance"].as_f64().unwrap();
    assert_eq!((relevance * 1e4).round() / 1e4, relevance);

    // Filters and thresholds reach the tagger.
    let output = newstag(
        &[
            "tag",
            "--type",
            "person",
            "--min-relevance",
            "0.01",
            "--linked-only",
            a,
        ],
        "",
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let types: Vec<&str> = json["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["person"]);
    let output = newstag(
        &["tag", "--category", "city", "--no-inferred-countries", a],
        "",
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["entities"][0]["id"], "city:moscow-q649");
    assert_eq!(json["entities"].as_array().unwrap().len(), 1);

    // Wrong options fail at once, with the gRPC service's message.
    let output = newstag(&["tag", "--type", "PERSON", a], "");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("unknown entity_types: \"PERSON\""),
        "{stderr}"
    );
    let output = newstag(&["tag", "--min-topic-score", "2", a], "");
    assert_eq!(output.status.code(), Some(2));
    let output = newstag(&["tag", "--title", "T", a, b], "");
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn tag_output_appears_only_when_complete() {
    let dir = temp_dir("output");
    let out = dir.join("shard-0.out.jsonl");
    let input =
        "{\"id\":\"a\",\"body\":\"Putin met NATO leaders.\"}\n{\"id\":\"b\",\"body\":\"Russia\"}\n";
    let output = newstag(
        &["tag", "--jsonl", "-q", "--output", out.to_str().unwrap()],
        input,
    );
    assert!(output.status.success(), "{output:?}");
    assert!(output.stdout.is_empty());
    let lines = json_lines(std::fs::read(&out).unwrap());
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1]["articleId"], "b");
    assert!(!dir.join("shard-0.out.jsonl.partial").exists());
    // A directory that does not exist: a clear error, no output.
    let missing = dir.join("no/such/dir/out.jsonl");
    let output = newstag(
        &["tag", "--jsonl", "--output", missing.to_str().unwrap()],
        input,
    );
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cannot create"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}
