//! Scan a directory with the skill's file analysis and print every block
//! (and, with `--warn`, every warning) as `path:line rule message | evidence`,
//! then a summary of files per kind. Used to measure false blocks on real
//! projects' scripts and CI files:
//!
//! ```text
//! cargo run -p mas-compliance-review --example mas_scan -- DIR [--warn]
//! ```

use kiro_guard_skill::{Config, Document, Severity, Skill};
use mas_compliance_review::{FileKind, MasComplianceReview, route};
use std::collections::BTreeMap;
use std::path::Path;

fn walk(dir: &Path, depth: usize, out: &mut Vec<std::path::PathBuf>) {
    if depth > 24 {
        return;
    }
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        let Ok(ft) = e.file_type() else { continue };
        if ft.is_dir() {
            let n = e.file_name();
            if n != ".git" && n != "node_modules" {
                walk(&p, depth + 1, out);
            }
        } else if ft.is_file() {
            out.push(p);
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(root) = args.iter().find(|a| !a.starts_with("--")) else {
        eprintln!("usage: mas_scan DIR [--warn]");
        std::process::exit(2);
    };
    let warn = args.iter().any(|a| a == "--warn");
    let mut files = Vec::new();
    walk(Path::new(root), 0, &mut files);
    files.sort();
    let cfg = Config::parse("{}").expect("empty config");
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    let (mut blocks, mut warns) = (0usize, 0usize);
    for f in files {
        let Ok(meta) = std::fs::metadata(&f) else {
            continue;
        };
        if meta.len() > 2 * 1024 * 1024 {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        let rel = f
            .strip_prefix(root)
            .unwrap_or(&f)
            .to_string_lossy()
            .to_string();
        let kind = route(&rel, &text);
        if kind == FileKind::Other {
            continue;
        }
        *kinds.entry(format!("{kind:?}")).or_default() += 1;
        let doc = Document::new(rel.as_str(), text);
        let findings = match MasComplianceReview.analyze_file(&doc, &cfg) {
            Ok(x) => x,
            Err(e) => {
                println!("ERROR {rel}: {e}");
                continue;
            }
        };
        for x in findings {
            let show = x.severity == Severity::Block || (warn && x.severity == Severity::Warn);
            if x.severity == Severity::Block {
                blocks += 1;
            } else if x.severity == Severity::Warn {
                warns += 1;
            }
            if show {
                println!(
                    "{:?} {rel}:{} {} {} | {}",
                    x.severity, x.span.line, x.rule_id, x.message, x.evidence
                );
            }
        }
    }
    println!("files by kind: {kinds:?}");
    println!("blocks={blocks} warnings={warns}");
}
