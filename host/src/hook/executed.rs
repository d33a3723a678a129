//! Write-then-run: the files a shell command executes from the workspace.
//!
//! An agent refused `git push --force` could write it into `deploy.sh` and
//! then run `bash deploy.sh`. When a hook sees a command that executes a
//! workspace file, the host reads that file from disk and hands it to the
//! skills as a document, so its commands are judged as if typed:
//!
//! * `bash|sh|zsh|dash|ksh x.sh`, `source x`, `. x`, `./x`, `path/to/x`
//!   (an existing regular file), `pwsh -File x.ps1`, `python x.py`
//!   (the file itself; the skills decide what in it is risky);
//! * `make [-f F] [target...]`: the Makefile, restricted to the targets'
//!   recipe lines (the default target when none is named);
//! * `npm run S`, `npm test|start`, `yarn S`, `pnpm [run] S`: `package.json`,
//!   restricted to the script's line.
//!
//! Bounds: at most [`MAX_FILES`] files of at most [`MAX_SIZE`] bytes; only
//! regular files inside the repository; scripts run by those scripts are
//! followed one level further ([`MAX_DEPTH`]).

use kiro_guard_contract::{Document, LineRange};
use std::path::{Path, PathBuf};

pub const MAX_FILES: usize = 8;
pub const MAX_SIZE: u64 = 1 << 20;
pub const MAX_DEPTH: usize = 2;

/// One executed file: its document (path relative to the root) and what
/// ran it.
#[derive(Debug, Clone)]
pub struct Executed {
    pub doc: Document,
    pub via: String,
}

fn read_regular(p: &Path) -> Option<String> {
    let m = std::fs::metadata(p).ok()?;
    if !m.is_file() || m.len() > MAX_SIZE {
        return None;
    }
    let bytes = std::fs::read(p).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

fn rel(root: &Path, p: &Path) -> Option<String> {
    let root = std::fs::canonicalize(root).ok()?;
    let p = std::fs::canonicalize(p).ok()?;
    p.strip_prefix(&root)
        .ok()
        .map(|r| r.to_string_lossy().replace('\\', "/"))
}

/// Line range of a Makefile target's recipe (the rule line and its
/// tab-indented recipe lines).
fn make_target_lines(text: &str, target: Option<&str>) -> Option<LineRange> {
    let lines: Vec<&str> = text.lines().collect();
    let is_rule = |l: &str| {
        !l.starts_with('\t')
            && !l.starts_with('.')
            && !l.starts_with('#')
            && l.contains(':')
            && !l.contains(":=")
            && !l.trim_start().starts_with("export")
    };
    let start = lines.iter().position(|l| {
        is_rule(l)
            && match target {
                Some(t) => l
                    .split(':')
                    .next()
                    .is_some_and(|names| names.split_whitespace().any(|n| n == t)),
                None => true,
            }
    })?;
    let mut end = start;
    while end + 1 < lines.len()
        && (lines[end + 1].starts_with('\t') || lines[end + 1].trim().is_empty())
    {
        end += 1;
    }
    Some(LineRange {
        start: start as u32 + 1,
        end: end as u32 + 1,
    })
}

/// Line of `"name":` inside package.json's `scripts` object.
fn package_script_line(text: &str, name: &str) -> Option<LineRange> {
    let scripts = text.find("\"scripts\"")?;
    let key = format!("\"{name}\"");
    let pos = text[scripts..].find(&key)? + scripts;
    let line = text[..pos].matches('\n').count() as u32 + 1;
    Some(LineRange {
        start: line,
        end: line,
    })
}

/// The workspace files `cmd` (run in `cwd`) executes.
pub fn executed_files(root: &Path, cwd: &Path, cmd: &str) -> Vec<Executed> {
    let mut out = Vec::new();
    collect(root, cwd, cmd, 0, &mut out);
    out
}

fn push(
    out: &mut Vec<Executed>,
    root: &Path,
    path: PathBuf,
    changed: Option<Vec<LineRange>>,
    via: &str,
) {
    if out.len() >= MAX_FILES {
        return;
    }
    let Some(text) = read_regular(&path) else {
        return;
    };
    let Some(rel) = rel(root, &path) else {
        return;
    };
    if out
        .iter()
        .any(|e| e.doc.path == rel && e.doc.changed_lines == changed)
    {
        return;
    }
    let mut doc = crate::files::document(&rel, text);
    doc.changed_lines = changed;
    out.push(Executed {
        doc,
        via: via.to_string(),
    });
}

fn collect(root: &Path, cwd: &Path, cmd: &str, depth: usize, out: &mut Vec<Executed>) {
    if depth >= MAX_DEPTH || out.len() >= MAX_FILES {
        return;
    }
    let before = out.len();
    let mut cwd_buf = cwd.to_path_buf();
    for words in super::guard_files::simple_commands(cmd) {
        if words.first().is_some_and(|w| w == "cd" || w == "pushd") {
            if let Some(t) = words.get(1) {
                cwd_buf = super::guard_files::normalize(&cwd_buf.join(t));
            }
            continue;
        }
        let cwd = cwd_buf.as_path();
        let mut w: &[String] = &words;
        // Wrappers that run their arguments.
        while let Some(first) = w.first() {
            let n = first.rsplit('/').next().unwrap_or("");
            if matches!(
                n,
                "sudo"
                    | "env"
                    | "nice"
                    | "nohup"
                    | "time"
                    | "command"
                    | "exec"
                    | "timeout"
                    | "stdbuf"
            ) && w.len() > 1
            {
                w = &w[1..];
                while w.first().is_some_and(|x| {
                    x.starts_with('-')
                        || x.contains('=')
                        || x.chars().all(|c| c.is_ascii_digit() || c == 's')
                }) && w.len() > 1
                {
                    w = &w[1..];
                }
            } else {
                break;
            }
        }
        let Some(first) = w.first() else { continue };
        let name = first
            .rsplit('/')
            .next()
            .unwrap_or("")
            .trim_end_matches(".exe")
            .to_string();
        let resolve = |p: &str| -> PathBuf {
            let p = Path::new(p);
            if p.is_absolute() {
                p.to_path_buf()
            } else {
                cwd.join(p)
            }
        };
        let operand = |from: usize| w.iter().skip(from).find(|x| !x.starts_with('-')).cloned();
        match name.as_str() {
            "bash" | "sh" | "zsh" | "dash" | "ksh" | "source" | "." | "python" | "python3"
            | "node" | "perl" | "ruby" => {
                if w.iter().any(|x| x == "-c" || x == "-e" || x == "-m") {
                    continue;
                }
                if let Some(s) = operand(1) {
                    push(out, root, resolve(&s), None, &format!("{name} {s}"));
                }
            }
            "pwsh" | "powershell" => {
                if let Some(p) = w.iter().position(|x| x.eq_ignore_ascii_case("-file"))
                    && let Some(s) = w.get(p + 1)
                {
                    push(out, root, resolve(s), None, &format!("{name} -File {s}"));
                }
            }
            "make" | "gmake" => {
                let file = w
                    .iter()
                    .position(|x| x == "-f" || x == "--file" || x == "--makefile")
                    .and_then(|p| w.get(p + 1).cloned())
                    .unwrap_or_else(|| {
                        ["GNUmakefile", "makefile", "Makefile"]
                            .iter()
                            .find(|m| cwd.join(m).is_file())
                            .unwrap_or(&"Makefile")
                            .to_string()
                    });
                let path = resolve(&file);
                let Some(text) = read_regular(&path) else {
                    continue;
                };
                let mut targets: Vec<&String> = Vec::new();
                let mut k = 1;
                while k < w.len() {
                    if matches!(
                        w[k].as_str(),
                        "-f" | "--file" | "-C" | "-j" | "-l" | "-o" | "-W" | "-I"
                    ) {
                        k += 2;
                        continue;
                    }
                    if !w[k].starts_with('-') && !w[k].contains('=') {
                        targets.push(&w[k]);
                    }
                    k += 1;
                }
                let ranges: Vec<LineRange> = if targets.is_empty() {
                    make_target_lines(&text, None).into_iter().collect()
                } else {
                    targets
                        .iter()
                        .filter_map(|t| make_target_lines(&text, Some(t)))
                        .collect()
                };
                if !ranges.is_empty() {
                    push(
                        out,
                        root,
                        path,
                        Some(ranges),
                        &format!(
                            "make {}",
                            targets
                                .iter()
                                .map(|s| s.as_str())
                                .collect::<Vec<_>>()
                                .join(" ")
                        ),
                    );
                }
            }
            "npm" | "yarn" | "pnpm" | "bun" => {
                let script = match (name.as_str(), w.get(1).map(String::as_str)) {
                    (_, Some("run" | "run-script")) => w.get(2).cloned(),
                    ("npm", Some(s @ ("test" | "start" | "stop" | "restart"))) => {
                        Some(s.to_string())
                    }
                    ("yarn" | "pnpm" | "bun", Some(s))
                        if !s.starts_with('-')
                            && !matches!(
                                s,
                                "install" | "add" | "remove" | "i" | "x" | "dlx" | "exec"
                            ) =>
                    {
                        Some(s.to_string())
                    }
                    _ => None,
                };
                let Some(script) = script else { continue };
                let path = cwd.join("package.json");
                let Some(text) = read_regular(&path) else {
                    continue;
                };
                if let Some(r) = package_script_line(&text, &script) {
                    push(
                        out,
                        root,
                        path,
                        Some(vec![r]),
                        &format!("{name} run {script}"),
                    );
                }
            }
            _ => {
                // `./deploy.sh`, `scripts/release`: an existing file run directly.
                if (first.starts_with("./") || first.starts_with("../") || first.contains('/'))
                    && !first.starts_with('/')
                {
                    push(out, root, resolve(first), None, first);
                }
            }
        }
    }
    // Scripts run by those scripts, one level further.
    let new: Vec<Executed> = out[before..].to_vec();
    for e in new {
        if e.doc.changed_lines.is_none() && matches!(e.doc.language.as_str(), "shell" | "") {
            let dir = root.join(&e.doc.path);
            let dir = dir.parent().unwrap_or(root).to_path_buf();
            for line in e.doc.text.lines().take(2000) {
                let t = line.trim();
                if t.starts_with("bash ")
                    || t.starts_with("sh ")
                    || t.starts_with("./")
                    || t.starts_with("source ")
                    || t.starts_with(". ")
                {
                    collect(root, &dir, t, depth + 1, out);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_makefile_targets_and_package_scripts() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path();
        std::fs::create_dir_all(root.join("scripts")).unwrap();
        std::fs::write(
            root.join("deploy.sh"),
            "#!/bin/sh\ngit push --force origin main\nbash scripts/inner.sh\n",
        )
        .unwrap();
        std::fs::write(root.join("scripts/inner.sh"), "rm -rf /\n").unwrap();
        std::fs::write(
            root.join("Makefile"),
            "build:\n\tcargo build\n\nrelease: build\n\tgit push --force origin main\n",
        )
        .unwrap();
        std::fs::write(root.join("package.json"), "{\n  \"scripts\": {\n    \"test\": \"jest\",\n    \"ship\": \"git push -f origin main\"\n  }\n}\n").unwrap();
        let names = |cmd: &str| -> Vec<(String, Option<Vec<LineRange>>)> {
            executed_files(root, root, cmd)
                .into_iter()
                .map(|e| (e.doc.path, e.doc.changed_lines))
                .collect()
        };
        let got = names("bash deploy.sh");
        assert_eq!(got[0].0, "deploy.sh");
        assert!(got.iter().any(|(p, _)| p == "scripts/inner.sh"), "{got:?}");
        assert_eq!(names("./deploy.sh")[0].0, "deploy.sh");
        assert_eq!(names("sudo -E sh ./deploy.sh")[0].0, "deploy.sh");
        assert_eq!(names("cd . && source deploy.sh")[0].0, "deploy.sh");
        // The shell grammar around the run does not hide it.
        assert_eq!(names("if true; then bash deploy.sh; fi")[0].0, "deploy.sh");
        assert_eq!(names("! ./deploy.sh")[0].0, "deploy.sh");
        let m = names("make release");
        assert_eq!(m[0].1, Some(vec![LineRange { start: 4, end: 5 }]));
        let m = names("make build");
        assert_eq!(m[0].1, Some(vec![LineRange { start: 1, end: 3 }]));
        let n = names("npm run ship");
        assert_eq!(n[0].1, Some(vec![LineRange { start: 4, end: 4 }]));
        assert!(names("cat deploy.sh").is_empty());
        assert!(names("bash -c 'echo hi'").is_empty());
        assert!(
            names("bash /etc/profile").is_empty(),
            "outside the repository"
        );
    }
}
