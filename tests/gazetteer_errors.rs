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
