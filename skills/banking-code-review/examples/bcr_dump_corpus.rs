//! Write the labelled corpus to a directory for side-by-side comparisons:
//! `cargo run --example bcr_dump_corpus -p banking-code-review -- <dir>`.
//! Writes every sample under `<dir>/` and `<dir>/labels.tsv`
//! (`path<TAB>category<TAB>insecure|safe`).

#[path = "../tests/common/corpus.rs"]
mod corpus;

use std::io::Write;

fn main() -> std::io::Result<()> {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "corpus-out".into());
    let dir = std::path::Path::new(&dir);
    let mut labels = std::fs::File::create({
        std::fs::create_dir_all(dir)?;
        dir.join("labels.tsv")
    })?;
    for s in corpus::corpus() {
        let p = dir.join(&s.path);
        std::fs::create_dir_all(p.parent().unwrap())?;
        std::fs::write(&p, &s.text)?;
        writeln!(
            labels,
            "{}\t{}\t{}",
            s.path,
            s.category,
            if s.insecure { "insecure" } else { "safe" }
        )?;
    }
    Ok(())
}
