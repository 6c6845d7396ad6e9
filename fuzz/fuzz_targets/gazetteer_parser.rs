//! The gazetteer parser (entity files, stop phrases, topic lexicons) on arbitrary bytes (see
//! `newstag::hostile::fuzz`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(problem) = newstag::hostile::fuzz::gazetteer_parser(data) {
        panic!("{problem}");
    }
});
