//! Scan files natively with this skill's library and print one JSON finding
//! per line (`path`, `rule_id`, `category`, `line`). Used by
//! `bench/compare.py`: `cargo run --release --example scan_dir -p
//! banking-code-review -- <dir>`.

use banking_code_review::{Settings, scan_document};
use kiro_guard_skill::Document;

fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn main() {
    let root = std::path::PathBuf::from(std::env::args().nth(1).expect("directory"));
    let mut files = Vec::new();
    walk(&root, &mut files);
    files.sort();
    let settings = Settings::default();
    let start = std::time::Instant::now();
    let mut bytes = 0usize;
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        bytes += text.len();
        let rel = f
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let doc = Document::new(rel.clone(), text);
        for finding in scan_document(&doc, &settings) {
            println!(
                "{}",
                serde_json::json!({"path": rel, "rule_id": finding.rule_id, "line": finding.span.line})
            );
        }
    }
    eprintln!("scanned {bytes} bytes in {:?}", start.elapsed());
}
