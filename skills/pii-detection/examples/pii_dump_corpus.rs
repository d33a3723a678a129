//! Write the labelled corpus (the generator of `tests/corpus.rs`) as TSV,
//! with this skill's findings per line, for `bench/presidio_compare.py`.
//!
//! ```text
//! cargo run --release -p pii-detection --example pii_dump_corpus --target-dir target/h-pii -- OUT.tsv [PER_LANG] [SEED]
//! ```
//!
//! Columns: `lang`, `kind` (generator kind: nric, card, nric_bad, ...),
//! `label` (expected rule id or `-`), `value` (expected span text or `-`),
//! `skill` (this skill's findings as `rule=value` joined by `;`, or `-`),
//! `text`. No column contains a tab.

#[path = "../tests/support/corpus_gen.rs"]
mod corpus_gen;

use kiro_guard_skill::Document;
use pii_detection::{Settings, scan_hits_for};
use std::io::Write;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let out = args.next().unwrap_or_else(|| "corpus.tsv".into());
    let per_lang: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(24);
    let seed: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(20240611);
    let settings = Settings::default();
    let mut f = std::io::BufWriter::new(std::fs::File::create(&out)?);
    writeln!(f, "lang\tkind\tlabel\tvalue\tskill\ttext")?;
    let lines = corpus_gen::corpus(seed, per_lang);
    for l in &lines {
        let doc = Document {
            path: corpus_gen::path_for(l.lang).into(),
            language: l.lang.into(),
            text: l.text.clone(),
            changed_lines: None,
            is_test: false,
        };
        let found: Vec<String> = scan_hits_for(&doc, &settings)
            .iter()
            .map(|h| format!("{}={}", h.rule.id, &l.text[h.start..h.end]))
            .collect();
        let (label, value) = match &l.label {
            Some((r, v)) => (r.to_string(), v.clone()),
            None => ("-".into(), "-".into()),
        };
        let skill = if found.is_empty() {
            "-".to_string()
        } else {
            found.join(";")
        };
        writeln!(
            f,
            "{}\t{}\t{}\t{}\t{}\t{}",
            l.lang,
            l.kind,
            label,
            value,
            skill,
            l.text.replace('\t', " ")
        )?;
    }
    f.flush()?;
    eprintln!("wrote {} lines to {out}", lines.len());
    Ok(())
}
