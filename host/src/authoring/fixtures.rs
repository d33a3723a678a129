//! `kiro-guard skill test`: fixtures through the real sandbox, compared with
//! the `*.expected.json` files next to them.

use super::compile::{BuiltSkill, build_skill, check_and_load, display_relative};
use anyhow::{Context, Result};
use kiro_guard_contract::{Document, Finding, Input, Prompt, ShellCommand};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Suffix of an expectation file: `settings.py` -> `settings.py.expected.json`.
pub const EXPECTED_SUFFIX: &str = ".expected.json";

/// One expected finding: what `skill test` compares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expected {
    pub rule: String,
    pub severity: String,
    pub line: u32,
    pub column: u32,
    pub evidence: String,
}

impl Expected {
    fn key(&self) -> (u32, u32, &str, &str, &str) {
        (
            self.line,
            self.column,
            &self.rule,
            &self.severity,
            &self.evidence,
        )
    }

    fn render(&self) -> String {
        format!(
            "{}:{} {} {} {:?}",
            self.line, self.column, self.severity, self.rule, self.evidence
        )
    }
}

/// The comparable part of findings, in a stable order.
pub fn expected_findings(findings: &[Finding]) -> Vec<Expected> {
    let mut out: Vec<Expected> = findings
        .iter()
        .map(|f| Expected {
            rule: f.rule_id.clone(),
            severity: f.severity.as_str().to_string(),
            line: f.span.line,
            column: f.span.column,
            evidence: f.evidence.clone(),
        })
        .collect();
    sort(&mut out);
    out
}

fn sort(v: &mut [Expected]) {
    v.sort_by(|a, b| a.key().cmp(&b.key()));
}

/// The JSON written to an expectation file.
pub fn to_json(expected: &[Expected]) -> String {
    let mut s = serde_json::to_string_pretty(expected).expect("serialisable");
    s.push('\n');
    s
}

/// Every fixture input below `root`, as paths relative to it, sorted.
/// Hidden files and expectation files are not inputs.
fn inputs(root: &Path) -> Result<(Vec<PathBuf>, Vec<PathBuf>)> {
    let mut inputs = Vec::new();
    let mut expectations = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let dir = root.join(&rel);
        for entry in
            std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))?
        {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().to_string();
            if name.starts_with('.') {
                continue;
            }
            let path = rel.join(&name);
            if entry.file_type()?.is_dir() {
                stack.push(path);
            } else if name.ends_with(EXPECTED_SUFFIX) {
                expectations.push(path);
            } else {
                inputs.push(path);
            }
        }
    }
    inputs.sort();
    expectations.sort();
    Ok((inputs, expectations))
}

/// The input a fixture file stands for: `*.command` a shell command,
/// `*.prompt` a user prompt, anything else a file whose path is the path
/// below `fixtures/`. Returns the input and its line count (files only).
pub fn fixture_input(rel: &str, text: String) -> (Input, Option<usize>) {
    if rel.ends_with(".command") {
        let command = text.trim_end_matches(['\n', '\r']).to_string();
        return (
            Input::Command(ShellCommand {
                command,
                cwd: String::new(),
            }),
            None,
        );
    }
    if rel.ends_with(".prompt") {
        return (Input::UserPrompt(Prompt { text }), None);
    }
    let lines = kiro_guard_contract::text::LineIndex::new(&text).line_count();
    (Input::File(Document::new(rel, text)), Some(lines))
}

/// A line diff (longest common subsequence): ` ` both, `-` expected only,
/// `+` actual only.
fn diff(expected: &[String], actual: &[String]) -> Vec<(char, String)> {
    let (n, m) = (expected.len(), actual.len());
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if expected[i] == actual[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < n || j < m {
        if i < n && j < m && expected[i] == actual[j] {
            out.push((' ', expected[i].clone()));
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            out.push(('+', actual[j].clone()));
            j += 1;
        } else {
            out.push(('-', expected[i].clone()));
            i += 1;
        }
    }
    out
}

fn print_diff(expected: &[Expected], actual: &[Expected]) {
    let e: Vec<String> = expected.iter().map(Expected::render).collect();
    let a: Vec<String> = actual.iter().map(Expected::render).collect();
    println!("      (- expected, + actual)");
    for (sign, line) in diff(&e, &a) {
        println!("      {sign} {line}");
    }
}

fn plural(n: usize, one: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {one}s")
    }
}

/// The outcome of a fixture run.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub passed: usize,
    pub failed: usize,
    pub updated: usize,
    /// Time spent in the skill (instantiate + analyze), all fixtures.
    pub analyze_time: Duration,
}

/// Run every fixture in `fixtures_dir` through the built skill, printing one
/// line per fixture and a diff for each mismatch.
pub fn run_fixtures(built: &BuiltSkill, fixtures_dir: &Path, update: bool) -> Result<Summary> {
    let (inputs, expectations) = inputs(fixtures_dir)?;
    let mut summary = Summary::default();
    let shown_dir = display_relative(fixtures_dir);
    let catalogue: Vec<&str> = built
        .skill
        .info
        .rules
        .iter()
        .map(|r| r.id.as_str())
        .collect();
    for rel in &inputs {
        let rel_str = rel.to_string_lossy().replace('\\', "/");
        let exp_rel = format!("{rel_str}{EXPECTED_SUFFIX}");
        let exp_path = fixtures_dir.join(&exp_rel);
        let bytes = std::fs::read(fixtures_dir.join(rel))
            .with_context(|| format!("reading fixture {rel_str}"))?;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let (input, line_count) = fixture_input(&rel_str, text);
        let started = Instant::now();
        let result = built
            .runtime
            .analyze(&built.skill, &input, "{}", line_count);
        summary.analyze_time += started.elapsed();
        let findings = match result {
            Ok(f) => f,
            Err(e) => {
                println!("FAIL  {rel_str}: {e}");
                summary.failed += 1;
                continue;
            }
        };
        let unknown: Vec<&str> = findings
            .iter()
            .map(|f| f.rule_id.as_str())
            .filter(|id| !catalogue.contains(id))
            .collect();
        if !unknown.is_empty() {
            println!(
                "FAIL  {rel_str}: finding(s) of rule(s) {} that describe() does not list",
                unknown.join(", ")
            );
            summary.failed += 1;
            continue;
        }
        let actual = expected_findings(&findings);
        let current = match std::fs::read_to_string(&exp_path) {
            Ok(t) => Some(serde_json::from_str::<Vec<Expected>>(&t).map(|mut v| {
                sort(&mut v);
                v
            })),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(e).with_context(|| format!("reading {}", exp_path.display())),
        };
        match current {
            Some(Ok(exp)) if exp == actual => {
                println!("ok    {rel_str} ({})", plural(actual.len(), "finding"));
                summary.passed += 1;
            }
            _ if update => {
                crate::cache::write_atomic(&exp_path, to_json(&actual).as_bytes())
                    .with_context(|| format!("writing {}", exp_path.display()))?;
                println!(
                    "upd   {rel_str}: wrote {shown_dir}/{exp_rel} ({})",
                    plural(actual.len(), "finding")
                );
                summary.updated += 1;
            }
            Some(Ok(exp)) => {
                println!("FAIL  {rel_str}: findings differ from {shown_dir}/{exp_rel}");
                print_diff(&exp, &actual);
                summary.failed += 1;
            }
            Some(Err(e)) => {
                println!(
                    "FAIL  {rel_str}: {shown_dir}/{exp_rel} is not a list of {{rule, severity, line, column, evidence}}: {e}"
                );
                summary.failed += 1;
            }
            None => {
                println!(
                    "FAIL  {rel_str}: no {shown_dir}/{exp_rel} (run with --update to create it)"
                );
                print_diff(&[], &actual);
                summary.failed += 1;
            }
        }
    }
    for exp in &expectations {
        let exp_str = exp.to_string_lossy().replace('\\', "/");
        let input = exp_str.trim_end_matches(EXPECTED_SUFFIX);
        if inputs
            .iter()
            .any(|i| i.to_string_lossy().replace('\\', "/") == input)
        {
            continue;
        }
        if update {
            std::fs::remove_file(fixtures_dir.join(exp))
                .with_context(|| format!("removing {exp_str}"))?;
            println!("upd   removed {shown_dir}/{exp_str}: its input {input} is gone");
            summary.updated += 1;
        } else {
            println!(
                "FAIL  {shown_dir}/{exp_str}: no input fixture {input} (delete it, or run with --update)"
            );
            summary.failed += 1;
        }
    }
    Ok(summary)
}

/// `kiro-guard skill test [DIR] [--update] [--wasm FILE]`.
pub fn test_command(dir: &Path, update: bool, wasm: Option<&Path>) -> Result<i32> {
    let fixtures_dir = dir.join("fixtures");
    if !fixtures_dir.is_dir() {
        eprintln!(
            "kiro-guard: skill test: {} has no fixtures/ directory; add inputs there (e.g. fixtures/config.py) and run `kiro-guard skill test --update` to record what the skill finds",
            dir.display()
        );
        return Ok(crate::exit::USAGE);
    }
    let built = match wasm {
        Some(w) => check_and_load(w, false),
        None => build_skill(dir, false),
    };
    let built = match built {
        Ok(b) => b,
        Err(e) => {
            eprintln!("kiro-guard: skill test: {e}");
            return Ok(e.exit_code());
        }
    };
    let info = &built.skill.info;
    println!(
        "testing {} {} ({}, sha256 {}…) through the kiro-guard sandbox",
        info.name,
        info.version,
        display_relative(&built.wasm),
        &built.sha256[..12]
    );
    let s = run_fixtures(&built, &fixtures_dir, update)?;
    let total = s.passed + s.failed + s.updated;
    let per = if total > 0 {
        s.analyze_time / total as u32
    } else {
        Duration::ZERO
    };
    println!(
        "\n{} passed, {} failed{} ({}; {:.1} ms in the skill, {:.2} ms per fixture)",
        s.passed,
        s.failed,
        if update {
            format!(", {} updated", s.updated)
        } else {
            String::new()
        },
        plural(total, "fixture"),
        s.analyze_time.as_secs_f64() * 1e3,
        per.as_secs_f64() * 1e3,
    );
    if total == 0 {
        println!(
            "no fixtures: add inputs to {}",
            display_relative(&fixtures_dir)
        );
    }
    if s.failed > 0 {
        if !update {
            println!(
                "if the new findings are right, accept them with `kiro-guard skill test --update`"
            );
        }
        return Ok(crate::exit::FAILED);
    }
    Ok(crate::exit::OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(line: u32, rule: &str) -> Expected {
        Expected {
            rule: rule.into(),
            severity: "block".into(),
            line,
            column: 1,
            evidence: "x".into(),
        }
    }

    #[test]
    fn diff_marks_changes() {
        let a = vec!["1".to_string(), "2".into(), "3".into()];
        let b = vec!["1".to_string(), "3".into(), "4".into()];
        let d: Vec<String> = diff(&a, &b)
            .into_iter()
            .map(|(s, l)| format!("{s}{l}"))
            .collect();
        assert_eq!(d, vec![" 1", "-2", " 3", "+4"]);
    }

    #[test]
    fn expectations_round_trip_and_sort() {
        let mut v = vec![e(3, "b"), e(1, "a")];
        sort(&mut v);
        let json = to_json(&v);
        assert!(json.starts_with("[\n  {\n    \"rule\": \"a\""));
        let back: Vec<Expected> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, v);
        assert!(serde_json::from_str::<Vec<Expected>>(r#"[{"rule":"a"}]"#).is_err());
    }

    #[test]
    fn fixture_kinds() {
        let (i, n) = fixture_input("deploy.command", "git push -f\n".into());
        assert_eq!(
            i,
            Input::Command(ShellCommand {
                command: "git push -f".into(),
                cwd: String::new()
            })
        );
        assert_eq!(n, None);
        let (i, n) = fixture_input("src/config.py", "a = 1\nb = 2\n".into());
        match i {
            Input::File(d) => {
                assert_eq!(d.path, "src/config.py");
                assert_eq!(d.language, "python");
                assert!(!d.is_test);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(n, Some(2));
        assert!(matches!(
            fixture_input("ask.prompt", "hi".into()).0,
            Input::UserPrompt(_)
        ));
    }
}
