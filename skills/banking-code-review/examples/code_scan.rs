//! Scan a directory (or one file) with the insecure-code rules and report
//! findings and rates.
//!
//! `cargo run --release -p banking-code-review --example code_scan -- <dir> [--list] [--json]`
//!
//! Prints blocks and warnings per rule, per 100k lines of the languages
//! scanned, and the native throughput. `--list` prints every finding
//! (`severity rule path:line message`); `--json` one JSON object per
//! finding. Test files are scanned like production code.

use banking_code_review::{Settings, scan_document};
use kiro_guard_skill::{Document, Severity};
use std::collections::BTreeMap;

fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    if dir.is_file() {
        out.push(dir.to_path_buf());
        return;
    }
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
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(root) = args.iter().find(|a| !a.starts_with("--")) else {
        eprintln!("usage: code_scan <dir> [--list] [--json]");
        std::process::exit(2);
    };
    let list = args.iter().any(|a| a == "--list");
    // Time the semantic engine alone (no findings printed).
    let semantic_only = args.iter().any(|a| a == "--semantic-only");
    let json = args.iter().any(|a| a == "--json");
    let root = std::path::PathBuf::from(root);
    let mut files = Vec::new();
    walk(&root, &mut files);
    files.sort();
    let settings = Settings {
        scan_test_files: true,
        ..Settings::default()
    };
    let mut lines: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut bytes = 0usize;
    let start = std::time::Instant::now();
    for f in files {
        let ext = f.extension().and_then(|e| e.to_str()).unwrap_or("");
        let lang = match ext {
            "py" => "python",
            "java" => "java",
            "kt" => "kotlin",
            _ => continue,
        };
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        bytes += text.len();
        if semantic_only {
            *lines.entry(lang).or_default() += text.lines().count();
            let t = std::time::Instant::now();
            if args.iter().any(|a| a == "--parse-only") {
                let l = banking_code_review::internals::semantic::lang_of(lang).expect("lang");
                let _ = banking_code_review::internals::semantic::parse(&text, l);
            } else {
                let _ = banking_code_review::internals::semantic::scan(&text, lang, "x");
            }
            let el = t.elapsed().as_secs_f64();
            if el > 0.02 {
                eprintln!("slow: {} {:.3}s {} bytes", f.display(), el, text.len());
            }
            continue;
        }
        *lines.entry(lang).or_default() += text.lines().count();
        let rel = f
            .strip_prefix(&root)
            .unwrap_or(&f)
            .to_string_lossy()
            .replace('\\', "/");
        let doc = Document::new(rel.clone(), text);
        for finding in scan_document(&doc, &settings) {
            let c = counts.entry(finding.rule_id.clone()).or_default();
            let block = finding.severity == Severity::Block;
            if block {
                c.0 += 1;
            } else {
                c.1 += 1;
            }
            if json {
                println!(
                    "{}",
                    serde_json::json!({"path": rel, "rule_id": finding.rule_id, "line": finding.span.line,
                        "severity": if block { "block" } else { "warn" }, "message": finding.message})
                );
            } else if list {
                println!(
                    "{} {} {}:{} {}",
                    if block { "BLOCK" } else { "warn " },
                    finding.rule_id,
                    rel,
                    finding.span.line,
                    finding.message
                );
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let total: usize = lines.values().sum();
    let per = |n: usize| n as f64 * 100_000.0 / total.max(1) as f64;
    eprintln!(
        "lines by language: {lines:?}; {bytes} bytes in {secs:.2}s ({:.1} MB/s)",
        bytes as f64 / 1e6 / secs.max(1e-9)
    );
    eprintln!(
        "{:<28} {:>7} {:>7} {:>12} {:>12}",
        "rule", "blocks", "warns", "blocks/100k", "warns/100k"
    );
    for (rule, (b, w)) in &counts {
        eprintln!(
            "{rule:<28} {b:>7} {w:>7} {:>12.1} {:>12.1}",
            per(*b),
            per(*w)
        );
    }
}
