//! False-positive measurement: scan every text file under a directory (as the
//! host scans a file: language and test-fixture status from the path) and
//! count findings by severity, per MB.
//!
//! ```text
//! cargo run --release -p pii-detection --example scan_dir -- DIR [LIST.tsv]
//! ```
//!
//! A file counts as text when it is valid UTF-8 without a NUL byte and at most
//! 4 MB. With `LIST.tsv`, every block and warn finding is written there as
//! `severity  rule  path:line  masked-evidence  message` (evidence is the
//! skill's masked form, never the value), for checking by hand and for
//! diffing two runs.

use kiro_guard_skill::{Document, Severity};
use pii_detection::{Settings, scan_document};
use std::io::Write;
use std::path::PathBuf;

const MAX_FILE: u64 = 4 << 20;

fn files(dir: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::from(dir)];
    while let Some(p) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&p) else {
            continue;
        };
        for e in rd.flatten() {
            let path = e.path();
            let Ok(ft) = e.file_type() else { continue };
            if ft.is_dir() {
                stack.push(path);
            } else if ft.is_file() && e.metadata().is_ok_and(|m| m.len() <= MAX_FILE) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: scan_dir DIR [LIST.tsv]");
        std::process::exit(2);
    };
    let mut list = match args.next() {
        Some(p) => Some(std::io::BufWriter::new(std::fs::File::create(p)?)),
        None => None,
    };
    let settings = Settings::default();
    let (mut n_files, mut bytes, mut blocks, mut warns) = (0usize, 0usize, 0usize, 0usize);
    let mut secs = 0f64;
    for path in files(&dir) {
        let Ok(raw) = std::fs::read(&path) else {
            continue;
        };
        if raw.contains(&0) {
            continue;
        }
        let Ok(text) = String::from_utf8(raw) else {
            continue;
        };
        n_files += 1;
        bytes += text.len();
        let rel = path
            .strip_prefix(&dir)
            .unwrap_or(&path)
            .to_string_lossy()
            .into_owned();
        let doc = Document::new(rel.clone(), text);
        let t = std::time::Instant::now();
        let findings = scan_document(&doc, &settings);
        secs += t.elapsed().as_secs_f64();
        for f in findings {
            let sev = match f.severity {
                Severity::Block => {
                    blocks += 1;
                    "block"
                }
                Severity::Warn => {
                    warns += 1;
                    "warn"
                }
                _ => continue,
            };
            if let Some(l) = list.as_mut() {
                writeln!(
                    l,
                    "{sev}\t{}\t{rel}:{}\t{}\t{}",
                    f.rule_id, f.span.line, f.evidence, f.message
                )?;
            }
        }
    }
    let mb = bytes as f64 / 1e6;
    println!(
        "{n_files} files, {mb:.1} MB: {blocks} block ({:.3}/MB), {warns} warn ({:.3}/MB); scan {:.0} MB/s",
        blocks as f64 / mb,
        warns as f64 / mb,
        mb / secs
    );
    Ok(())
}
