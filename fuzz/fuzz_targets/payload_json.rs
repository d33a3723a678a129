#![no_main]
//! The tolerant payload reader: never panics, never overflows the stack,
//! and accepts every document serde_json accepts.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let tolerant = kiro_guard::hook::json::parse(data);
    if let Ok(strict) = serde_json::from_slice::<serde_json::Value>(data) {
        assert_eq!(tolerant.as_ref().ok(), Some(&strict));
    }
});
