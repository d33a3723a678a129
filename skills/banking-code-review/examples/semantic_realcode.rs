//! Scan third-party JavaScript/TypeScript, Go and C# source trees natively
//! and report what the semantic engine blocks, per language: files, lines,
//! blocks and blocks per 100k lines; `--list` prints every semantic
//! finding (`path:line severity rule message`), `--sample N` a
//! reproducible pseudo-random sample of N blocks for a hand check.
//!
//! `cargo run --release --example semantic_realcode -p banking-code-review
//! -- <dir>... [--list] [--sample 30]`

use banking_code_review::{Settings, scan_document};
use kiro_guard_skill::{Document, Severity};
use std::collections::BTreeMap;

const SEMANTIC: &[&str] = &[
    "sql-injection",
    "command-injection",
    "path-traversal",
    "eval-injection",
    "weak-hash",
    "weak-cipher",
    "insecure-random",
    "insecure-deserialization",
    "ldap-injection",
    "xpath-injection",
    "ssrf",
    "open-redirect",
    "header-injection",
];

fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            if p.file_name()
                .is_some_and(|n| n == "node_modules" || n == ".git")
            {
                continue;
            }
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn lang(p: &str) -> Option<&'static str> {
    if p.ends_with(".d.ts") || p.ends_with(".min.js") {
        return None;
    }
    let ext = p.rsplit('.').next()?;
    match ext {
        "js" | "mjs" | "cjs" | "jsx" | "ts" | "tsx" | "mts" | "cts" => Some("js/ts"),
        "go" => Some("go"),
        "cs" => Some("csharp"),
        _ => None,
    }
}

#[derive(Default)]
struct Stats {
    files: usize,
    lines: usize,
    bytes: usize,
    blocks: usize,
    warns: usize,
}

fn main() {
    let mut dirs = Vec::new();
    let mut list = false;
    let mut sample = 0usize;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--list" => list = true,
            "--sample" => sample = it.next().and_then(|n| n.parse().ok()).unwrap_or(30),
            _ => dirs.push(std::path::PathBuf::from(a)),
        }
    }
    if dirs.is_empty() {
        eprintln!("usage: semantic_realcode <dir>... [--list] [--sample N]");
        std::process::exit(2);
    }
    let settings = Settings::default();
    let mut stats: BTreeMap<&str, Stats> = BTreeMap::new();
    let mut blocks: Vec<String> = Vec::new();
    let mut by_rule: BTreeMap<String, usize> = BTreeMap::new();
    let start = std::time::Instant::now();
    for root in &dirs {
        let mut files = Vec::new();
        walk(root, &mut files);
        files.sort();
        for f in files {
            let path = f.to_string_lossy().replace('\\', "/");
            let Some(l) = lang(&path) else { continue };
            let Ok(text) = std::fs::read_to_string(&f) else {
                continue;
            };
            let s = stats.entry(l).or_default();
            s.files += 1;
            s.lines += text.lines().count();
            s.bytes += text.len();
            let doc = Document::new(path.clone(), text);
            for fd in scan_document(&doc, &settings) {
                if !SEMANTIC.contains(&fd.rule_id.as_str()) {
                    continue;
                }
                let line = format!(
                    "{path}:{} {:?} {} {}",
                    fd.span.line, fd.severity, fd.rule_id, fd.message
                );
                if list {
                    println!("{line}");
                }
                if fd.severity == Severity::Block {
                    s.blocks += 1;
                    *by_rule.entry(fd.rule_id.clone()).or_default() += 1;
                    blocks.push(line);
                } else {
                    s.warns += 1;
                }
            }
        }
    }
    println!(
        "{:<8} {:>6} {:>9} {:>11} {:>7} {:>7} {:>14}",
        "language", "files", "lines", "bytes", "blocks", "warns", "blocks/100k"
    );
    for (l, s) in &stats {
        println!(
            "{l:<8} {:>6} {:>9} {:>11} {:>7} {:>7} {:>14.2}",
            s.files,
            s.lines,
            s.bytes,
            s.blocks,
            s.warns,
            s.blocks as f64 * 100_000.0 / s.lines.max(1) as f64
        );
    }
    println!("blocks by rule: {by_rule:?}");
    eprintln!("scanned in {:?}", start.elapsed());
    if sample > 0 && !blocks.is_empty() {
        // A fixed-seed xorshift: the same sample on every run.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut idx: Vec<usize> = (0..blocks.len()).collect();
        for i in (1..idx.len()).rev() {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            idx.swap(i, (x % (i as u64 + 1)) as usize);
        }
        println!("sample of {} blocks:", sample.min(blocks.len()));
        for i in idx.into_iter().take(sample) {
            println!("  {}", blocks[i]);
        }
    }
}
