#![no_main]
//! Hook payload parsing and dialect detection on arbitrary stdin bytes, the
//! legacy `USER_PROMPT` path and tool-response path extraction.
use kiro_guard::hook::payload::{Dialect, legacy_event, parse_payload, path_from_response};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = parse_payload(data, None);
    for d in [Dialect::KiroV1, Dialect::KiroCli, Dialect::KiroIdeLegacy, Dialect::Claude] {
        let _ = parse_payload(data, Some(d));
    }
    let s = String::from_utf8_lossy(data);
    let _ = legacy_event(&s, None);
    let _ = legacy_event(&s, Some("fileEdited"));
    let _ = legacy_event(&s, Some("promptSubmit"));
    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(data) {
        let _ = path_from_response(&v);
        let _ = kiro_guard::hook::edit::target_path(&v);
    }
    let _ = path_from_response(&serde_json::Value::String(s.into_owned()));
});
