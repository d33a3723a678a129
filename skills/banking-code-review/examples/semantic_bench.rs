//! Throughput of the semantic engine alone (parse, then parse + analysis)
//! over the `.java`, `.kt` and `.py` files under one or more directories,
//! single thread, files read into memory first.
//!
//! `cargo run --release -p banking-code-review --example semantic_bench -- <dir>... [--dump] [--rounds N]`
//!
//! Times are the thread's CPU time where Linux reports it
//! (`/proc/thread-self/schedstat`), so other load on the machine does not
//! count; wall time elsewhere.
//!
//! `--dump` prints every finding instead (`path:line severity rule
//! message`, sorted), to compare the engine's output before and after a
//! change.

use banking_code_review::internals::semantic;

fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    if dir.is_file() {
        out.push(dir.to_path_buf());
        return;
    }
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// Seconds of CPU time of this thread (Linux), or of wall time.
fn now() -> f64 {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    if let Ok(s) = std::fs::read_to_string("/proc/thread-self/schedstat")
        && let Some(ns) = s
            .split_whitespace()
            .next()
            .and_then(|x| x.parse::<u64>().ok())
    {
        return ns as f64 / 1e9;
    }
    START
        .get_or_init(std::time::Instant::now)
        .elapsed()
        .as_secs_f64()
}

fn lang(p: &std::path::Path) -> Option<&'static str> {
    match p.extension().and_then(|e| e.to_str())? {
        "py" => Some("python"),
        "java" => Some("java"),
        "kt" => Some("kotlin"),
        _ => None,
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dump = args.iter().any(|a| a == "--dump");
    let rounds: usize = args
        .iter()
        .position(|a| a == "--rounds")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(1);
    let dirs: Vec<&String> = args
        .iter()
        .enumerate()
        .filter(|(i, a)| !a.starts_with("--") && (*i == 0 || args[i - 1] != "--rounds"))
        .map(|(_, a)| a)
        .collect();
    if dirs.is_empty() {
        eprintln!("usage: semantic_bench <dir>... [--dump] [--rounds N]");
        std::process::exit(2);
    }
    let mut files = Vec::new();
    for d in &dirs {
        let mut fs = Vec::new();
        walk(std::path::Path::new(d), &mut fs);
        fs.sort();
        for f in fs {
            if let Some(l) = lang(&f)
                && let Ok(t) = std::fs::read_to_string(&f)
            {
                files.push((f.to_string_lossy().to_string(), l, t));
            }
        }
    }
    if dump {
        let mut lines = Vec::new();
        for (p, l, t) in &files {
            for h in semantic::scan(t, l, p) {
                let line = t[..h.start].matches('\n').count() + 1;
                lines.push(format!(
                    "{p}:{line} {:?} {} {}",
                    h.rule.severity, h.rule.id, h.message
                ));
            }
        }
        lines.sort();
        for l in lines {
            println!("{l}");
        }
        return;
    }
    let bytes: usize = files.iter().map(|f| f.2.len()).sum::<usize>() * rounds;
    let mb = bytes as f64 / 1e6;
    let t = now();
    for _ in 0..rounds {
        for (_, l, text) in &files {
            let lang = semantic::lang_of(l).expect("language");
            std::hint::black_box(semantic::parse(text, lang));
        }
    }
    let parse = now() - t;
    let t = now();
    let mut findings = 0usize;
    for _ in 0..rounds {
        for (p, l, text) in &files {
            findings += semantic::scan(text, l, p).len();
        }
    }
    let all = now() - t;
    println!(
        "{} files, {mb:.1} MB: parse {:.1} MB/s, parse + analysis {:.1} MB/s ({findings} findings)",
        files.len(),
        mb / parse,
        mb / all
    );
}
