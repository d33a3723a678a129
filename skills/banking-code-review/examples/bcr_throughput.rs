//! Throughput with all rules on typical source:
//! `cargo run --release --example throughput -p banking-code-review`.
//!
//! Builds ~8 MB per language from the corpus's safe and insecure samples
//! plus ordinary code (functions, comments, strings), scans it as one file
//! per 64 KB chunk (the size of a typical large source file), and reports
//! MB/s per language and overall. Single-threaded.

#[path = "../tests/common/corpus.rs"]
mod corpus;
#[path = "common/filler.rs"]
mod filler;
use filler::FILLER;

use banking_code_review::{Settings, scan_document};
use kiro_guard_skill::Document;
use std::time::Instant;

fn main() {
    let samples = corpus::corpus();
    let settings = Settings::default();
    let target = 8 << 20;
    let chunk = 64 << 10;
    let (mut all_bytes, mut all_secs) = (0usize, 0f64);
    for (ext, filler) in FILLER {
        // ~1 line in 20 comes from the corpus (half of them insecure).
        let mine: Vec<&corpus::Sample> = samples
            .iter()
            .filter(|s| s.path.ends_with(&format!(".{ext}")))
            .collect();
        let mut text = String::with_capacity(target + chunk);
        let mut n = 0;
        while text.len() < target {
            for _ in 0..10 {
                text.push_str(&filler.replace("{n}", &n.to_string()));
                n += 1;
            }
            text.push_str(&mine[n % mine.len()].text);
            text.push('\n');
        }
        let docs: Vec<Document> = text
            .as_bytes()
            .chunks(chunk)
            .enumerate()
            .map(|(i, c)| {
                Document::new(
                    format!("src/f{i}.{ext}"),
                    String::from_utf8_lossy(c).into_owned(),
                )
            })
            .collect();
        // Warm up (lazy regex compilation), then measure.
        let mut findings = scan_document(&docs[0], &settings).len();
        let start = Instant::now();
        for d in &docs {
            findings += scan_document(d, &settings).len();
        }
        let secs = start.elapsed().as_secs_f64();
        let mb = text.len() as f64 / 1e6;
        println!(
            "{ext:<5} {mb:7.2} MB  {:8.1} MB/s  ({findings} findings)",
            mb / secs
        );
        all_bytes += text.len();
        all_secs += secs;
    }
    println!(
        "all   {:7.2} MB  {:8.1} MB/s",
        all_bytes as f64 / 1e6,
        all_bytes as f64 / 1e6 / all_secs
    );
}
