//! Bad gazetteers are rejected whole, and every problem names `path:line: reason`.

use newstag::Gazetteer;
use newstag::gazetteer::file;

const HEADER: &str = "id\ttype\tname\taliases\tcase\tpriority\n";

fn problems(files: &[(&str, &str)]) -> Vec<String> {
    let files: Vec<_> = files.iter().map(|(path, text)| file(path, text)).collect();
    match Gazetteer::from_files(&files) {
        Ok(_) => Vec::new(),
        Err(error) => error.problems.iter().map(ToString::to_string).collect(),
    }
}

fn one_file(body: &str) -> Vec<String> {
    problems(&[("a.tsv", &format!("{HEADER}{body}"))])
}

#[test]
fn each_row_error_names_path_line_and_reason() {
    let cases: &[(&str, &str)] = &[
        ("x:1\tcountry\t\t\t\t\n", "a.tsv:2: empty name"),
        ("x:1\tcountry\tX\t\tloud\t\n", "a.tsv:2: bad case \"loud\""),
        (
            "x:1\tcountry\tX\t\t\thigh\n",
            "a.tsv:2: bad priority \"high\"",
        ),
        ("x:1\tCountry\tX\t\t\t\n", "a.tsv:2: bad type \"Country\""),
        (
            "x:1\tcountry\tX\tok|\u{200B}\t\t\n",
            "a.tsv:2: aliases: alias \"\\u{200b}\" normalises to nothing",
        ),
        (
            "x:1\tcountry\tX\ta||b\t\t\n",
            "a.tsv:2: aliases: alias \"\" normalises to nothing",
        ),
        ("\tcountry\tX\t\t\t\n", "a.tsv:2: empty id"),
        (
            "x:1\tcountry\tX\t\t\t\textra\n",
            "a.tsv:2: 7 fields but the header has 6 columns",
        ),
        (
            "x:1\tcountry\tX\t\t\t\nx:1\tcountry\tY\t\t\t\n",
            "a.tsv:3: duplicate id \"x:1\" (first defined at a.tsv:2)",
        ),
    ];
    for (body, expected) in cases {
        let found = one_file(body);
        assert!(
            found.iter().any(|p| p.starts_with(expected)),
            "{body:?}: expected {expected:?}, got {found:?}"
        );
    }
}

#[test]
fn header_errors() {
    let unknown = problems(&[("a.tsv", "id\ttype\tname\tcolour\nx\tcountry\tX\tred\n")]);
    assert!(
        unknown[0].starts_with("a.tsv:1: unknown column \"colour\""),
        "{unknown:?}"
    );
    let missing = problems(&[("a.tsv", "# comment\n\nid\tname\nx\tX\n")]);
    assert_eq!(missing, ["a.tsv:3: missing column \"type\""]);
    let xref = problems(&[(
        "a.tsv",
        "id\ttype\tname\txref:wikidata\nx\tcountry\tX\tQ1\n",
    )]);
    assert!(xref.is_empty(), "{xref:?}");
}

#[test]
fn duplicate_ids_across_files_and_invalid_utf8() {
    let found = problems(&[
        ("a.tsv", "id\ttype\tname\nx\tcountry\tX\n"),
        ("b/c.tsv", "id\ttype\tname\n\n# c\nx\tcountry\tY\n"),
    ]);
    assert_eq!(
        found,
        ["b/c.tsv:4: duplicate id \"x\" (first defined at a.tsv:2)"]
    );

    let mut bytes = b"id\ttype\tname\nx\tcountry\tX\ny\tcountry\t".to_vec();
    bytes.extend([0xff, 0xfe, b'\n']);
    let file = newstag::gazetteer::SourceFile {
        relative: "bad.tsv".into(),
        display: "bad.tsv".into(),
        bytes,
    };
    let error = Gazetteer::from_files(&[file]).unwrap_err();
    assert_eq!(error.problems[0].to_string(), "bad.tsv:3: invalid UTF-8");

    // A NUL or U+FFFF (the trie's end mark) inside an alias: refused with its line, in every
    // kind of file.
    for (name, text, problem) in [
        (
            "nul.tsv",
            "id\ttype\tname\taliases\nx\tcountry\tX\tIsla\0mic\n",
            "2: NUL character (U+0000)",
        ),
        (
            "nul.topics",
            "id\tlabel\nmedtop:1\tone\n\nmedtop:2\tt\0wo\n",
            "4: NUL character (U+0000)",
        ),
        (
            "nul.cues",
            "given-name\tAnna\ngiven-name\tBo\0b\n",
            "2: NUL character (U+0000)",
        ),
        (
            "end.tsv",
            "id\ttype\tname\taliases\nx\tcountry\tX\n\ny\tcountry\tY\tY\u{FFFF}\n",
            "4: noncharacter U+FFFF",
        ),
        (
            "end.stop",
            "the end\nthe \u{FFFF}\n",
            "2: noncharacter U+FFFF",
        ),
        // Both: the first one in the file is named.
        (
            "both.stop",
            "the end\nthe \u{FFFF}\nthe \0\n",
            "2: noncharacter U+FFFF",
        ),
    ] {
        let file = newstag::gazetteer::SourceFile {
            relative: name.into(),
            display: name.into(),
            bytes: text.as_bytes().to_vec(),
        };
        let error = Gazetteer::from_files(&[file]).unwrap_err();
        assert_eq!(
            error.problems[0].to_string(),
            format!("{name}:{problem}: gazetteer files hold text")
        );
    }
}

#[test]
fn a_lexicon_s_cues_are_validated() {
    let entities = ("e.tsv", "id\ttype\tname\nx\tcountry\tX\n");
    let found = problems(&[
        entities,
        (
            "t.topics",
            "id\tlabel\tparent\tkeywords\nmedtop:1\tone\t\t<score>|<scores>\n",
        ),
    ]);
    assert!(
        found
            .iter()
            .any(|p| p.starts_with("t.topics:2: unknown cue \"<scores>\"")),
        "{found:?}"
    );
    // Under two topics a score would count twice.
    let found = problems(&[
        entities,
        (
            "t.topics",
            "id\tlabel\tparent\tkeywords\nmedtop:1\tone\t\t<score>\nmedtop:2\ttwo\t\tgame|<score>^2\n",
        ),
    ]);
    assert!(
        found.contains(
            &"t.topics:3: cue \"<score>\" is listed under \"medtop:1\" (t.topics:2) already"
                .to_owned()
        ),
        "{found:?}"
    );
}

#[test]
fn topics_and_stop_phrases_are_validated_too() {
    let entities = (
        "e.tsv",
        "id\ttype\tname\ttopics\nx\tcountry\tX\tmedtop:404\n",
    );
    let found = problems(&[
        entities,
        (
            "t.topics",
            "id\tlabel\tparent\tkeywords\nmedtop:1\tone\tmedtop:9\tvote\nmedtop:2\ttwo\t\tvote^x\nmedtop:3\tthree\t\tsales|~Sales^1.5\n",
        ),
    ]);
    assert!(
        found.contains(&"t.topics:4: keyword \"Sales\" is listed twice".to_owned()),
        "{found:?}"
    );
    assert!(
        found.contains(
            &"e.tsv:2: unknown topic \"medtop:404\" (not in any *.topics lexicon)".to_owned()
        ),
        "{found:?}"
    );
    assert!(
        found.contains(&"t.topics:2: unknown parent topic \"medtop:9\"".to_owned()),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|p| p.starts_with("t.topics:3: keyword \"vote^x\": bad weight")),
        "{found:?}"
    );
    let stop = problems(&[
        ("e.tsv", "id\ttype\tname\nx\tcountry\tX\n"),
        ("s.stop", "ok\n\u{00AD}\n"),
    ]);
    assert_eq!(
        stop,
        ["s.stop:2: stop phrase \"\\u{ad}\" normalises to nothing"]
    );
}

#[test]
fn one_bad_row_rejects_the_whole_gazetteer_and_every_problem_is_listed() {
    let result = one_file("a\tcountry\tA\t\t\t\nb\tcountry\t\t\t\t\nc\tcountry\tC\t\tnope\t\n");
    assert_eq!(result.len(), 2, "{result:?}");
    assert!(
        problems(&[("readme.md", "not a gazetteer")])
            .iter()
            .any(|p| p.contains("no *.tsv entity files"))
    );
}

#[test]
fn version_is_a_content_hash() {
    let a = Gazetteer::from_files(&[file("a.tsv", "id\ttype\tname\nx\tcountry\tX\n")]).unwrap();
    let b = Gazetteer::from_files(&[file("a.tsv", "id\ttype\tname\nx\tcountry\tX\n")]).unwrap();
    let c = Gazetteer::from_files(&[file("a.tsv", "id\ttype\tname\nx\tcountry\tY\n")]).unwrap();
    assert_eq!(a.version, b.version);
    assert_ne!(a.version, c.version);
    assert!(a.version.starts_with("sha256:"));
}

#[test]
fn directory_loading_reads_sorted_files_and_skips_hidden_ones() {
    let dir = std::env::temp_dir().join(format!("newstag-dir-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::create_dir_all(dir.join("..data")).unwrap();
    std::fs::write(dir.join("sub/b.tsv"), "id\ttype\tname\nb\tcountry\tB\n").unwrap();
    std::fs::write(dir.join("a.tsv"), "id\ttype\tname\na\tcountry\tA\n").unwrap();
    std::fs::write(dir.join("..data/a.tsv"), "id\ttype\tname\na\tcountry\tA\n").unwrap();
    std::fs::write(dir.join("README.md"), "ignored").unwrap();
    let gazetteer = Gazetteer::load_dir(&dir).unwrap();
    let ids: Vec<&str> = gazetteer
        .entities
        .iter()
        .map(|e| e.record.id.as_str())
        .collect();
    assert_eq!(ids, ["a", "b"]);
    std::fs::write(dir.join("sub/b.tsv"), "id\ttype\tname\nb\tcountry\n").unwrap();
    let error = Gazetteer::load_dir(&dir).unwrap_err();
    assert!(
        error.problems[0]
            .to_string()
            .ends_with("sub/b.tsv:2: empty name"),
        "{error}"
    );
    // A directory with no entity file names itself.
    let empty = dir.join("sub/empty");
    std::fs::create_dir_all(&empty).unwrap();
    let error = Gazetteer::load_dir(&empty).unwrap_err();
    assert_eq!(
        error.problems[0].to_string(),
        format!(
            "{}: no *.tsv entity files in this directory (nor below it)",
            empty.display()
        )
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_row_with_spaces_for_tabs_says_so() {
    let spaces = one_file("country:FR country France\nx:1\tcountry\tX\n");
    assert_eq!(
        spaces,
        [
            "a.tsv:2: no tab in this row: columns are separated by tabs, not spaces (check the editor's tab settings)"
        ]
    );
}

#[test]
fn a_header_with_spaces_for_tabs_says_so_once() {
    let spaces = problems(&[("a.tsv", "id type name\nx:1\tcountry\tX\n")]);
    assert_eq!(
        spaces,
        [
            "a.tsv:1: no tab in the header: columns are separated by tabs, not spaces (check the editor's tab settings)"
        ]
    );
}

#[test]
fn problems_come_in_file_and_line_order_whichever_check_found_them() {
    let found = problems(&[
        (
            "b.tsv",
            "id\ttype\tname\twithin\nx:1\tlocation\tAaa\tcountry:XX\nx:2\tcountry\t\t\nx:1\tcountry\tDup\t\n",
        ),
        ("a.tsv", "id\ttype\tname\nx:9\tcountry\t\n"),
    ]);
    let lines: Vec<&str> = found
        .iter()
        .map(|p| p.split(": ").next().unwrap_or_default())
        .collect();
    assert_eq!(
        lines,
        ["a.tsv:2", "b.tsv:2", "b.tsv:3", "b.tsv:4"],
        "{found:#?}"
    );
}
