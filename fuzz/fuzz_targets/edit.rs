#![no_main]
//! Edit application: arbitrary file content plus an arbitrary tool input,
//! applied to a real temp file; `changed_lines` on arbitrary before/after.
use kiro_guard::hook::edit::{apply, changed_lines};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static DIR: LazyLock<tempfile::TempDir> = LazyLock::new(|| tempfile::tempdir().unwrap());
const TOOLS: &[&str] = &[
    "fs_write", "str_replace", "fs_append", "Write", "Edit", "MultiEdit", "write", "create",
];

fuzz_target!(|data: &[u8]| {
    let (sel, rest) = data.split_first().unwrap_or((&0, &[]));
    let mut parts = rest.splitn(2, |&b| b == 0xff);
    let before = String::from_utf8_lossy(parts.next().unwrap_or(&[])).into_owned();
    let input = parts.next().unwrap_or(&[]);
    for r in changed_lines(&before, &String::from_utf8_lossy(input)) {
        assert!(r.start >= 1 && r.end >= r.start, "{r:?}");
    }
    let path = DIR.path().join("f.txt");
    if sel & 0x80 == 0 {
        std::fs::write(&path, &before).unwrap();
    } else {
        let _ = std::fs::remove_file(&path);
    }
    let Ok(mut v) = serde_json::from_slice::<serde_json::Value>(input) else {
        return;
    };
    if let Some(o) = v.as_object_mut() {
        let key = if sel & 1 == 0 { "path" } else { "file_path" };
        o.insert(key.into(), path.to_string_lossy().into_owned().into());
    }
    let tool = TOOLS[(*sel as usize >> 1) % TOOLS.len()];
    if let Ok(e) = apply(tool, &v, None, 1 << 20) {
        if let Some(ch) = &e.changed {
            let lines = e.after.lines().count().max(1) as u32;
            for r in ch {
                assert!(r.start >= 1 && r.end >= r.start, "{r:?}");
                assert!(r.start <= lines + 1, "{r:?} past {lines} lines");
            }
        }
    }
});
