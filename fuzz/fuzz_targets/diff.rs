#![no_main]
//! Unified-diff parsing: no panic, ranges ordered and 1-based.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    for (_, ranges) in kiro_guard::diff::added_lines(&s) {
        for r in ranges {
            assert!(r.start >= 1 && r.end >= r.start, "{r:?}");
        }
    }
});
