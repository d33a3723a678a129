//! Precision check for the credential rules on a directory of real text:
//! scans every UTF-8 file with the credential rules only (the skill's
//! document path, so test/dev-path severity applies) and prints counts per
//! rule and severity, then every block as `path:line rule evidence` with the
//! evidence masked as the skill masks it. The last line is the throughput.
//!
//! `cargo run --release -p banking-code-review --example secrets_scan_dir -- <dir> [--all]`
//! (`--all` also lists warnings; `--context` adds the finding's line with
//! the secret replaced by its masked evidence).

use banking_code_review::{Settings, scan_document};
use kiro_guard_skill::{Document, Severity};
use std::collections::BTreeMap;

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
    let mut args = std::env::args().skip(1);
    let Some(root) = args.next() else {
        eprintln!("usage: secrets_scan_dir <dir> [--all]");
        std::process::exit(2);
    };
    let rest: Vec<String> = args.collect();
    let all = rest.iter().any(|a| a == "--all");
    let context = rest.iter().any(|a| a == "--context");
    let root = std::path::PathBuf::from(root);
    let mut files = Vec::new();
    walk(&root, &mut files);
    files.sort();
    let settings = Settings {
        credentials_only: true,
        ..Settings::default()
    };
    let mut counts: BTreeMap<(String, &'static str), usize> = BTreeMap::new();
    let mut listed = Vec::new();
    let (mut bytes, mut nfiles, mut lines) = (0usize, 0usize, 0usize);
    let mut elapsed = std::time::Duration::ZERO;
    let mut cpu = 0u64;
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        nfiles += 1;
        bytes += text.len();
        lines += text.lines().count();
        let rel = f
            .strip_prefix(&root)
            .unwrap_or(&f)
            .to_string_lossy()
            .replace('\\', "/");
        let doc = Document::new(rel.clone(), text.clone());
        let t = std::time::Instant::now();
        let c = cpu_ns();
        let findings = scan_document(&doc, &settings);
        elapsed += t.elapsed();
        cpu += cpu_ns().saturating_sub(c);
        for fd in findings {
            let sev = match fd.severity {
                Severity::Block => "block",
                Severity::Warn => "warn",
                _ => "info",
            };
            *counts.entry((fd.rule_id.clone(), sev)).or_default() += 1;
            if sev == "block" || all {
                let mut l = format!(
                    "{sev} {rel}:{} {} {}",
                    fd.span.line, fd.rule_id, fd.evidence
                );
                if context {
                    l.push_str(&format!("\n    | {}", masked_line(&text, &fd)));
                }
                listed.push(l);
            }
        }
    }
    println!("# findings per rule and severity");
    for ((rule, sev), n) in &counts {
        println!("{n:6} {sev:5} {rule}");
    }
    println!("# listed findings");
    for l in &listed {
        println!("{l}");
    }
    let blocks: usize = counts
        .iter()
        .filter(|((_, sev), _)| *sev == "block")
        .map(|(_, n)| n)
        .sum();
    println!(
        "# {lines} lines, {blocks} blocks, {:.2} blocks per 100k lines",
        blocks as f64 * 1e5 / lines.max(1) as f64
    );
    let mb = bytes as f64 / 1e6;
    let cpu_s = cpu as f64 / 1e9;
    println!(
        "# {nfiles} files, {mb:.1} MB, {:.2} s wall / {cpu_s:.2} s CPU in the scan, {:.1} MB/s per core (CPU time)",
        elapsed.as_secs_f64(),
        mb / cpu_s.max(1e-9)
    );
}

/// The finding's first line with the secret replaced by the evidence,
/// trimmed to about 160 characters around it.
fn masked_line(text: &str, f: &kiro_guard_skill::Finding) -> String {
    let Some(line) = text.lines().nth(f.span.line.saturating_sub(1) as usize) else {
        return String::new();
    };
    let chars: Vec<char> = line.chars().collect();
    let c0 = (f.span.column as usize).saturating_sub(1).min(chars.len());
    let c1 = if f.span.end_line == f.span.line {
        (f.span.end_column as usize)
            .saturating_sub(1)
            .clamp(c0, chars.len())
    } else {
        chars.len()
    };
    let lo = c0.saturating_sub(80);
    let hi = (c1 + 80).min(chars.len());
    let before: String = chars[lo..c0].iter().collect();
    let after: String = chars[c1..hi].iter().collect();
    format!(
        "{}«{}»{}",
        before.trim_start(),
        f.evidence,
        after.trim_end()
    )
}

/// This thread's CPU time in nanoseconds (Linux `schedstat`); 0 elsewhere.
fn cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}
