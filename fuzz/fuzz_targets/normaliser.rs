//! The normaliser and its offset map on arbitrary UTF-8 (see `newstag::hostile::fuzz`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(problem) = newstag::hostile::fuzz::normaliser(data) {
        panic!("{problem}");
    }
});
