//! Native throughput of the scanner.
//!
//! ```text
//! cargo run --release -p pii-detection --example throughput --target-dir target/h-pii
//! cargo run --release -p pii-detection --example throughput --target-dir target/h-pii -- DIR
//! ```
//!
//! Without an argument it scans ~32 MB of generated source files (Python,
//! Java, TypeScript, JSON, YAML, SQL, CSV, logs, Markdown: ordinary code and
//! hard negatives, one line in 50 with a personal value). With a directory it
//! scans the source files under it (`.rs .py .java .ts .js .go .json .yaml
//! .yml .sql .md .csv .log`). Each file is scanned as a document, as the host
//! does; the number is the best of 5 rounds, in MB/s (10^6 bytes).

#[path = "../tests/support/corpus_gen.rs"]
mod corpus_gen;

use kiro_guard_skill::{Document, lang};
use pii_detection::{Settings, scan_document};
use std::time::Instant;

const CODE: &str = r#"    def reconcile(self, batch, ledger):
        total = Decimal("0")
        for row in batch.rows:
            if row.status not in ("SETTLED", "PENDING"):
                continue
            total += row.amount
            self.metrics.observe("latency_ms", row.elapsed * 1000)
        if abs(total - ledger.balance) > Decimal("0.01"):
            raise ReconciliationError(f"batch {batch.id}: off by {total - ledger.balance}")
        return total
"#;

fn generated() -> Vec<Document> {
    let lines = corpus_gen::corpus(42, 4000);
    let mut docs = Vec::new();
    for lang in corpus_gen::LANGS {
        let mut text = String::new();
        let mut k = 0;
        for l in lines.iter().filter(|l| l.lang == *lang) {
            // All negatives; one positive in 25 of the positives (~1 in 50 lines).
            if l.label.is_some() {
                k += 1;
                if k % 25 != 0 {
                    continue;
                }
            }
            text.push_str(&l.text);
            text.push('\n');
            if text.len().is_multiple_of(7) {
                text.push_str(CODE);
            }
        }
        // Repeat into ~3.5 MB per language, in 64 KB files.
        let mut big = String::new();
        while big.len() < 3_500_000 {
            big.push_str(&text);
            big.push_str(CODE);
        }
        let mut start = 0;
        while start < big.len() {
            let mut end = (start + 65536).min(big.len());
            while !big.is_char_boundary(end) {
                end += 1;
            }
            if let Some(nl) = big[end..].find('\n') {
                end += nl + 1;
            }
            docs.push(Document::new(
                corpus_gen::path_for(lang),
                big[start..end].to_string(),
            ));
            start = end;
        }
    }
    docs
}

fn from_dir(dir: &str) -> Vec<Document> {
    let exts = [
        "rs", "py", "java", "ts", "js", "go", "json", "yaml", "yml", "sql", "md", "csv", "log",
    ];
    let mut out = Vec::new();
    let mut stack = vec![std::path::PathBuf::from(dir)];
    let mut total = 0usize;
    while let Some(p) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&p) else {
            continue;
        };
        for e in rd.flatten() {
            let path = e.path();
            if path.is_dir() {
                stack.push(path);
            } else if path
                .extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| exts.contains(&x))
                && let Ok(text) = std::fs::read_to_string(&path)
                && total < 200_000_000
            {
                total += text.len();
                let rel = path.to_string_lossy().to_string();
                let mut d = Document::new(rel.clone(), text);
                d.language = lang::language_from_path(&rel).to_string();
                out.push(d);
            }
        }
    }
    out
}

fn main() {
    let docs = match std::env::args().nth(1) {
        Some(dir) => from_dir(&dir),
        None => generated(),
    };
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let settings = Settings::default();
    let mut best = f64::MAX;
    let mut findings = 0;
    for _ in 0..5 {
        let t = Instant::now();
        findings = 0;
        for d in &docs {
            findings += scan_document(d, &settings).len();
        }
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!(
        "{} files, {:.1} MB, {} findings: best of 5 = {:.1} ms, {:.0} MB/s",
        docs.len(),
        bytes as f64 / 1e6,
        findings,
        best * 1e3,
        bytes as f64 / 1e6 / best
    );
}
