#![no_main]
//! Guard-file protection on arbitrary commands and tool inputs: the shell
//! lexer, `cd`/variable state, globs, `find` filters and path resolution must
//! never panic or hang, and a command naming `.kiro` after `rm -rf` inside
//! any prefix must stay blocked.
use kiro_guard::hook::guard_files::GuardFiles;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static REPO: OnceLock<(tempfile::TempDir, GuardFiles)> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let (dir, g) = REPO.get_or_init(|| {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join(".kiro/hooks")).unwrap();
        std::fs::write(d.path().join(".kiro-guard.toml"), "").unwrap();
        let g = GuardFiles::new(d.path(), &[]);
        (d, g)
    });
    let s = String::from_utf8_lossy(data);
    let _ = g.check_command(dir.path(), &s);
    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(data) {
        let _ = g.check_tool(dir.path(), "mcp__fs__write_file", &v);
    }
    // Whatever precedes it, a separate command that deletes the guard's
    // directory is still seen (unless the prefix leaves a quote or a
    // here-document open, which swallows the rest).
    if !s.contains(['\'', '"', '`', '\\', '<', '#', '$', '(', '{']) {
        let cmd = format!("{s}\nrm -rf .kiro");
        assert!(!g.check_command(dir.path(), &cmd).is_empty(), "{cmd:?}");
    }
});
