//! The semantic engine on its labelled corpus (`tests/semantic/cases.rs`):
//! precision and recall per category, asserted against thresholds.
//!
//! `cargo test -p banking-code-review --test semantic_corpus -- --nocapture`
//! prints the table and every miss.
//!
//! Counting: a vulnerable case is a true positive when a finding of its
//! category has at least the expected severity (a block where a block is
//! expected); otherwise a false negative. Any finding of a semantic
//! category (block or warning) on a safe twin, or on a case of another
//! category, is a false positive for that category.

#[path = "semantic/cases.rs"]
mod cases;

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

#[derive(Default)]
struct Counts {
    tp: u32,
    fp: u32,
    fn_: u32,
    warned_only: u32,
}

#[test]
fn semantic_corpus_precision_recall() {
    let all = cases::cases();
    assert!(all.len() >= 300, "only {} cases", all.len());
    let frameworks: std::collections::BTreeSet<&str> = all.iter().map(|c| c.framework).collect();
    assert!(frameworks.len() >= 8, "{frameworks:?}");
    let settings = Settings::default();
    let mut by_cat: BTreeMap<&str, Counts> = BTreeMap::new();
    let mut misses = Vec::new();
    for c in &all {
        let doc = Document::new(c.path.clone(), c.text.clone());
        let found: Vec<(String, Severity, String)> = scan_document(&doc, &settings)
            .into_iter()
            .filter(|f| SEMANTIC.contains(&f.rule_id.as_str()))
            .map(|f| (f.rule_id, f.severity, f.message))
            .collect();
        if c.vulnerable {
            let want_block = c.expect == "block";
            let hit = found
                .iter()
                .any(|(r, s, _)| r == c.category && (!want_block || *s == Severity::Block));
            let counts = by_cat.entry(c.category).or_default();
            if hit {
                counts.tp += 1;
            } else {
                counts.fn_ += 1;
                if found.iter().any(|(r, _, _)| r == c.category) {
                    counts.warned_only += 1;
                }
                misses.push(format!("FN {} [{}] {:?}", c.path, c.framework, found));
            }
        }
        for (r, s, m) in &found {
            if c.vulnerable && r == c.category {
                continue;
            }
            let cat = SEMANTIC.iter().find(|x| *x == r).copied().unwrap_or("?");
            by_cat.entry(cat).or_default().fp += 1;
            misses.push(format!(
                "FP {r} ({s:?}) in {} [{}; twin: {}]: {m}",
                c.path, c.framework, c.twin
            ));
        }
    }
    println!(
        "\n{} cases, {} templates, frameworks: {frameworks:?}",
        all.len(),
        cases::TEMPLATES.len()
    );
    println!(
        "{:<26} {:>4} {:>4} {:>4} {:>9} {:>7}",
        "category", "TP", "FP", "FN", "precision", "recall"
    );
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    for (cat, c) in &by_cat {
        let p = c.tp as f64 / (c.tp + c.fp).max(1) as f64;
        let r = c.tp as f64 / (c.tp + c.fn_).max(1) as f64;
        println!(
            "{cat:<26} {:>4} {:>4} {:>4} {p:>9.3} {r:>7.3}",
            c.tp, c.fp, c.fn_
        );
        tp += c.tp;
        fp += c.fp;
        fn_ += c.fn_;
    }
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / (tp + fn_).max(1) as f64;
    println!(
        "{:<26} {tp:>4} {fp:>4} {fn_:>4} {precision:>9.3} {recall:>7.3}",
        "OVERALL"
    );
    for m in &misses {
        println!("  {m}");
    }
    assert!(precision >= 0.95, "precision {precision:.3}");
    assert!(recall >= 0.9, "recall {recall:.3}");
    for (cat, c) in &by_cat {
        let p = c.tp as f64 / (c.tp + c.fp).max(1) as f64;
        let r = c.tp as f64 / (c.tp + c.fn_).max(1) as f64;
        assert!(p >= 0.8, "{cat} precision {p:.3}");
        assert!(r >= 0.75 || c.tp + c.fn_ == 0, "{cat} recall {r:.3}");
    }
}
