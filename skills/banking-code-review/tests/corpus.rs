//! Labelled corpus of insecure/safe pairs across Python, Java/Kotlin,
//! JavaScript/TypeScript, Go and C#: precision and recall per category.
//!
//! Run with `cargo test -p banking-code-review --test corpus -- --nocapture`
//! to see the table.
//!
//! Counting (strict): for category C, a true positive is an insecure sample
//! of C with a finding of C; a false negative is one without; a false
//! positive is a finding of C on any safe sample, or on an insecure sample of
//! another category (each sample contains exactly one issue).

#[path = "common/corpus.rs"]
mod corpus;

use banking_code_review::{Settings, scan_document};
use corpus::{Sample, category_of, corpus};
use kiro_guard_skill::Document;
use std::collections::BTreeMap;

#[derive(Default, Debug)]
struct Counts {
    tp: u32,
    fp: u32,
    fn_: u32,
}

fn found_categories(s: &Sample) -> Vec<String> {
    let doc = Document::new(s.path.clone(), s.text.clone());
    assert!(!doc.is_test, "{} looks like a test path", s.path);
    let mut v: Vec<String> = scan_document(&doc, &Settings::default())
        .into_iter()
        .map(|f| category_of(&f.rule_id).to_string())
        .collect();
    v.sort();
    v.dedup();
    v
}

#[test]
fn corpus_precision_recall() {
    let samples = corpus();
    let pairs = samples.len() / 2;
    assert!(pairs >= 200, "only {pairs} pairs");
    let mut by_cat: BTreeMap<String, Counts> = BTreeMap::new();
    let mut langs: BTreeMap<String, u32> = BTreeMap::new();
    let mut misses = Vec::new();
    for s in &samples {
        let ext = s.path.rsplit('.').next().unwrap_or("").to_string();
        *langs.entry(ext).or_default() += 1;
        let found = found_categories(s);
        let c = by_cat.entry(s.category.to_string()).or_default();
        if s.insecure {
            if found.iter().any(|f| f == s.category) {
                c.tp += 1;
            } else {
                c.fn_ += 1;
                misses.push(format!(
                    "FN {}: {}",
                    s.path,
                    s.text.lines().next().unwrap_or("")
                ));
            }
        }
        for f in &found {
            if !(s.insecure && f == s.category) {
                by_cat.entry(f.clone()).or_default().fp += 1;
                misses.push(format!("FP {f} in {}", s.path));
            }
        }
    }
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    println!(
        "\n{:<28} {:>4} {:>4} {:>4} {:>9} {:>7}",
        "category", "TP", "FP", "FN", "precision", "recall"
    );
    for (cat, c) in &by_cat {
        let p = c.tp as f64 / (c.tp + c.fp).max(1) as f64;
        let r = c.tp as f64 / (c.tp + c.fn_).max(1) as f64;
        println!(
            "{cat:<28} {:>4} {:>4} {:>4} {p:>9.3} {r:>7.3}",
            c.tp, c.fp, c.fn_
        );
        tp += c.tp;
        fp += c.fp;
        fn_ += c.fn_;
    }
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / (tp + fn_).max(1) as f64;
    println!(
        "{:<28} {tp:>4} {fp:>4} {fn_:>4} {precision:>9.3} {recall:>7.3}",
        "OVERALL"
    );
    println!("{pairs} pairs; files by extension: {langs:?}");
    for m in &misses {
        println!("  {m}");
    }
    assert!(precision >= 0.9, "precision {precision:.3}");
    assert!(recall >= 0.85, "recall {recall:.3}");
    for (cat, c) in &by_cat {
        let r = c.tp as f64 / (c.tp + c.fn_).max(1) as f64;
        assert!(r >= 0.6 || c.tp + c.fn_ == 0, "{cat} recall {r:.3}");
    }
}
