#![no_main]
//! The SDK's evasion views: bounded output, and every range maps back to
//! character boundaries of the original text.
use kiro_guard_skill::evasion::{MAX_DECODED, views};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for v in views(&text) {
        if v.is_blob() {
            assert!(v.text.len() <= MAX_DECODED);
        }
        let n = v.text.len();
        for (s, e) in [(0, n), (0, 0), (n / 3, n / 2), (n, n)] {
            let (a, b) = v.original_range(s, e);
            assert!(a <= b && b <= text.len(), "{a}..{b} of {}", text.len());
            assert!(text.is_char_boundary(a) && text.is_char_boundary(b));
        }
    }
});
