//! The SDK's two regex prefilters compared on the code rules' real regexes:
//! `cargo run --release --example prefilter_bench -p banking-code-review`.
//!
//! Input: ~4 MB per language of ordinary code with one corpus sample
//! (safe or insecure) every ten functions, in 64 KB files, as
//! `bcr_throughput` builds it. The regexes: every full-text regex of the
//! code rules (`code::gated_regexes`, ~300).
//!
//! - `gate`: `gate::Gate`, one case-insensitive Aho-Corasick DFA pass over
//!   the literals derived from each regex, then each regex only on the
//!   lines around its own literals.
//! - `keyword set`: the `patterns::PatternSet` model, with the same
//!   literals as its keywords: one Aho-Corasick pass decides which regexes
//!   may match, and each of those runs over the whole file.
//! - `no prefilter`: every regex over the whole file.
//!
//! Prints MB/s per mechanism and the number of matches (equal, or the gate
//! misses matches more than a line away from their literal).

#[path = "../tests/common/corpus.rs"]
mod corpus;
#[path = "common/filler.rs"]
mod filler;
use filler::FILLER;

use aho_corasick::{AhoCorasickBuilder, MatchKind};
use kiro_guard_skill::gate::{Gate, required_literals};
use regex::Regex;
use std::time::Instant;

/// The keyword-set model: keywords -> regexes that need them; regexes
/// without keywords always run.
struct KeywordSet {
    ac: aho_corasick::AhoCorasick,
    keyword_regexes: Vec<Vec<usize>>,
    always: Vec<usize>,
    n: usize,
}

impl KeywordSet {
    fn new(regexes: &[&Regex]) -> KeywordSet {
        let mut words: Vec<String> = Vec::new();
        let mut keyword_regexes: Vec<Vec<usize>> = Vec::new();
        let mut always = Vec::new();
        for (i, re) in regexes.iter().enumerate() {
            match required_literals(re.as_str()) {
                None => always.push(i),
                Some(lits) => {
                    for k in lits {
                        match words.iter().position(|w| *w == k) {
                            Some(w) => keyword_regexes[w].push(i),
                            None => {
                                words.push(k);
                                keyword_regexes.push(vec![i]);
                            }
                        }
                    }
                }
            }
        }
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&words)
            .expect("keywords");
        KeywordSet {
            ac,
            keyword_regexes,
            always,
            n: regexes.len(),
        }
    }

    fn candidates(&self, text: &str) -> Vec<usize> {
        let mut on = vec![false; self.n];
        for &i in &self.always {
            on[i] = true;
        }
        for m in self.ac.find_overlapping_iter(text) {
            for &i in &self.keyword_regexes[m.pattern().as_usize()] {
                on[i] = true;
            }
        }
        (0..self.n).filter(|&i| on[i]).collect()
    }
}

fn main() {
    let regexes = banking_code_review::internals::code::gated_regexes();
    let gate = Gate::new(regexes.iter().copied());
    let keywords = KeywordSet::new(&regexes);
    let gated = (0..regexes.len()).filter(|&i| gate.is_gated(i)).count();
    println!("{} regexes, {gated} with a literal set", regexes.len());
    let samples = corpus::corpus();
    let target = 4 << 20;
    let chunk = 64 << 10;
    let mut totals = [0f64; 3];
    let mut bytes = 0usize;
    for (ext, filler) in FILLER {
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
        let files: Vec<String> = text
            .as_bytes()
            .chunks(chunk)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect();
        // Warm up: every regex compiled and its caches filled.
        for re in &regexes {
            re.find_iter(&files[0]).count();
        }
        let mut counts = [0usize; 3];
        let mut secs = [0f64; 3];
        for _round in 0..3 {
            let t = Instant::now();
            let mut c = 0;
            for f in &files {
                let hits = gate.scan(f);
                for (i, re) in regexes.iter().enumerate() {
                    if hits.may_match(&gate, i) {
                        c += hits.find_iter(&gate, i, re, f).len();
                    }
                }
            }
            secs[0] += t.elapsed().as_secs_f64();
            counts[0] = c;

            let t = Instant::now();
            let mut c = 0;
            for f in &files {
                for i in keywords.candidates(f) {
                    c += regexes[i].find_iter(f).count();
                }
            }
            secs[1] += t.elapsed().as_secs_f64();
            counts[1] = c;

            let t = Instant::now();
            let mut c = 0;
            for f in &files {
                for re in &regexes {
                    c += re.find_iter(f).count();
                }
            }
            secs[2] += t.elapsed().as_secs_f64();
            counts[2] = c;
        }
        let mb = 3.0 * text.len() as f64 / 1e6;
        println!(
            "{ext:<5} gate {:7.1} MB/s ({} matches)  keyword set {:7.1} MB/s ({} matches)  no prefilter {:7.1} MB/s ({} matches)",
            mb / secs[0],
            counts[0],
            mb / secs[1],
            counts[1],
            mb / secs[2],
            counts[2]
        );
        for k in 0..3 {
            totals[k] += secs[k];
        }
        bytes += 3 * text.len();
    }
    let mb = bytes as f64 / 1e6;
    println!(
        "all   gate {:7.1} MB/s  keyword set {:7.1} MB/s  no prefilter {:7.1} MB/s",
        mb / totals[0],
        mb / totals[1],
        mb / totals[2]
    );
}
