//! The full tagger on arbitrary UTF-8 with every option combination, against the bundled
//! gazetteer (see `newstag::hostile::fuzz`).
#![no_main]

use std::sync::LazyLock;

static GAZETTEER: LazyLock<newstag::Gazetteer> =
    LazyLock::new(|| newstag::Gazetteer::bundled().expect("bundled gazetteer"));

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(problem) = newstag::hostile::fuzz::tagger(&GAZETTEER, data) {
        panic!("{problem}");
    }
});
