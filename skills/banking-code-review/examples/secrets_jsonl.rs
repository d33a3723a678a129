//! Credential findings for every file under a directory, one JSON object per
//! line: `path`, `rule_id`, `severity` (`block`/`warn`), `line` and
//! `credential` (whether the rule cites CWE-798, see
//! [`banking_code_review::is_credential_rule_id`]). Evidence is not
//! printed. Used by `bench/compare.py secrets`:
//! `cargo run --release -p banking-code-review --example secrets_jsonl -- <dir>`.
//! With `--credential-rules` instead of a directory it prints the id of every
//! credential rule of the catalogue, one a line.

use banking_code_review::internals::rules;
use banking_code_review::{Settings, scan_document};
use kiro_guard_skill::{Document, Severity};

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
    let Some(root) = std::env::args().nth(1) else {
        eprintln!("usage: secrets_jsonl <dir>");
        std::process::exit(2);
    };
    if root == "--credential-rules" {
        for r in rules::catalogue() {
            if rules::is_credential_rule(r) {
                println!("{}", r.id);
            }
        }
        return;
    }
    let root = std::path::PathBuf::from(root);
    let mut files = Vec::new();
    walk(&root, &mut files);
    files.sort();
    let settings = Settings {
        credentials_only: true,
        ..Settings::default()
    };
    let start = std::time::Instant::now();
    let mut bytes = 0usize;
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        bytes += text.len();
        let rel = f
            .strip_prefix(&root)
            .unwrap_or(&f)
            .to_string_lossy()
            .replace('\\', "/");
        let doc = Document::new(rel.clone(), text);
        for fd in scan_document(&doc, &settings) {
            let severity = match fd.severity {
                Severity::Block => "block",
                Severity::Warn => "warn",
                _ => "info",
            };
            let credential = banking_code_review::is_credential_rule_id(&fd.rule_id);
            println!(
                "{}",
                serde_json::json!({
                    "path": rel,
                    "rule_id": fd.rule_id,
                    "severity": severity,
                    "line": fd.span.line,
                    "credential": credential,
                })
            );
        }
    }
    eprintln!("scanned {bytes} bytes in {:?}", start.elapsed());
}
