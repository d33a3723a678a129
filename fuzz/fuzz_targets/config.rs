#![no_main]
//! `.kiro-guard.toml` parsing: arbitrary text is a config or an error, never
//! a panic; a parsed config answers its accessors.
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    if let Ok(c) = kiro_guard::config::Config::parse(&s, Path::new("/repo/.kiro-guard.toml")) {
        let _ = c.skill_settings_json("pii-detection");
        let _ = c.rule_override("pii-detection", "email");
        let _ = c.max_file_size();
        let _ = c.base_dir();
    }
});
