//! Commands written into files: shell, PowerShell and cmd scripts, Makefile
//! recipes, Dockerfile `RUN`, CI definitions (GitHub Actions, GitLab CI,
//! Jenkinsfile, CodeBuild buildspec, Azure Pipelines, Bitbucket Pipelines),
//! `package.json` scripts, tox commands, `.pre-commit-config.yaml` entries of
//! `system`/`script` hooks, Terraform `local-exec`, and the commands of Kiro
//! and Claude hooks and MCP servers in JSON.
//!
//! Each command text is extracted as a [`Snippet`] whose byte offsets map
//! back to the file, then judged by the same parser and rules as a command an
//! agent runs ([`crate::commands`]). Severity follows the file's [`Role`]:
//! the rules' own severities everywhere (so `rm -rf /` blocks in any file and
//! `rm -rf ./build` is nothing), except that an ordinary `git push` in a
//! developer helper script is not reported, and package publishing and
//! `docker system/volume prune` are not reported in CI and deploy files.

use crate::Settings;
use crate::commands;
use crate::rules::{CONTAINER_PRUNE, GIT_PUSH_REVIEW, PACKAGE_PUBLISH, SHELL_INCOMPLETE};
use crate::util::{Hit, shell_quote};
use serde_json::Value;

/// What a file is used for, from its kind and path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Runs unattended: CI jobs, image builds, hooks, install scripts, `local-exec`.
    Ci,
    /// A deploy/release/publish script or target.
    Deploy,
    /// A developer helper (build, test, clean).
    Helper,
}

/// The command language of a snippet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Posix,
    PowerShell,
    Cmd,
}

/// Files whose commands are analysed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScriptKind {
    Shell,
    PowerShell,
    Cmd,
    Makefile,
    Dockerfile,
    GithubActions,
    GitlabCi,
    Jenkinsfile,
    Buildspec,
    AzurePipelines,
    Bitbucket,
    PackageJson,
    PreCommit,
    Tox,
}

/// Command text extracted from a file, with a map back to file offsets.
#[derive(Debug, Clone)]
pub struct Snippet {
    pub text: String,
    /// `(offset in text, offset in file)` at the start of each mapped piece,
    /// ascending.
    pub map: Vec<(usize, usize)>,
    pub role: Role,
    pub dialect: Dialect,
}

impl Snippet {
    fn new(role: Role, dialect: Dialect) -> Snippet {
        Snippet {
            text: String::new(),
            map: Vec::new(),
            role,
            dialect,
        }
    }

    /// Append a piece of command text that starts at `file_off` in the file.
    fn push(&mut self, file_off: usize, piece: &str, sep: char) {
        if !self.text.is_empty() {
            self.text.push(sep);
        }
        self.map.push((self.text.len(), file_off));
        self.text.push_str(piece);
    }

    /// A snippet that is a contiguous range of the file.
    fn contiguous(file_off: usize, text: &str, role: Role, dialect: Dialect) -> Snippet {
        let mut map = vec![(0, file_off)];
        map.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| (i + 1, file_off + i + 1)),
        );
        Snippet {
            text: text.to_string(),
            map,
            role,
            dialect,
        }
    }

    /// The file offset of a text offset, kept on the mapped piece's line.
    fn file_offset(&self, pos: usize, file: &str) -> usize {
        let k = self
            .map
            .partition_point(|(t, _)| *t <= pos)
            .saturating_sub(1);
        let (t, f) = self.map.get(k).copied().unwrap_or((0, 0));
        let line_end = file[f.min(file.len())..]
            .find('\n')
            .map(|p| f + p)
            .unwrap_or(file.len());
        (f + pos.saturating_sub(t)).min(line_end)
    }
}

/// Most snippets taken from one file.
const MAX_SNIPPETS: usize = 1024;

/// Which kind of script a path (and its first line) is, if any.
pub fn script_kind(path: &str, text: &str) -> Option<ScriptKind> {
    let p = path.replace('\\', "/").to_ascii_lowercase();
    let name = p.rsplit('/').next().unwrap_or(&p);
    let full = format!("/{p}");
    let ext = name.rsplit_once('.').map(|x| x.1).unwrap_or("");
    let yaml = matches!(ext, "yml" | "yaml");
    if matches!(ext, "sh" | "bash" | "zsh" | "ksh" | "dash") {
        return Some(ScriptKind::Shell);
    }
    if matches!(ext, "ps1" | "psm1") {
        return Some(ScriptKind::PowerShell);
    }
    if matches!(ext, "bat" | "cmd") {
        return Some(ScriptKind::Cmd);
    }
    if matches!(name, "makefile" | "gnumakefile") || ext == "mk" {
        return Some(ScriptKind::Makefile);
    }
    if name == "dockerfile"
        || name == "containerfile"
        || name.starts_with("dockerfile.")
        || name.starts_with("containerfile.")
        || ext == "dockerfile"
    {
        return Some(ScriptKind::Dockerfile);
    }
    if yaml
        && (full.contains("/.github/workflows/")
            || full.contains("/.github/actions/")
            || name == "action.yml"
            || name == "action.yaml")
    {
        return Some(ScriptKind::GithubActions);
    }
    if name == ".gitlab-ci.yml"
        || name == ".gitlab-ci.yaml"
        || (yaml && full.contains("/.gitlab/ci/"))
    {
        return Some(ScriptKind::GitlabCi);
    }
    if name == "jenkinsfile" || name.starts_with("jenkinsfile.") || ext == "jenkinsfile" {
        return Some(ScriptKind::Jenkinsfile);
    }
    if yaml && name.starts_with("buildspec") {
        return Some(ScriptKind::Buildspec);
    }
    if yaml
        && (name.starts_with("azure-pipelines")
            || full.contains("/.azure-pipelines/")
            || full.contains("/.azuredevops/"))
    {
        return Some(ScriptKind::AzurePipelines);
    }
    if name == "bitbucket-pipelines.yml" || name == "bitbucket-pipelines.yaml" {
        return Some(ScriptKind::Bitbucket);
    }
    if name == "package.json" {
        return Some(ScriptKind::PackageJson);
    }
    if name == ".pre-commit-config.yaml"
        || name == ".pre-commit-config.yml"
        || name == ".pre-commit-hooks.yaml"
    {
        return Some(ScriptKind::PreCommit);
    }
    if name == "tox.ini" {
        return Some(ScriptKind::Tox);
    }
    if ext.is_empty() || !name.contains('.') {
        let first = text.lines().next().unwrap_or("");
        if let Some(sb) = first.strip_prefix("#!") {
            let words: Vec<&str> = sb.split_whitespace().collect();
            let prog = match words.as_slice() {
                [env, p, ..] if env.ends_with("/env") => p.trim_start_matches("-S"),
                [p, ..] => p,
                [] => "",
            };
            let base = prog.rsplit('/').next().unwrap_or(prog);
            if crate::shell::is_shell(base) {
                return Some(ScriptKind::Shell);
            }
            if base == "pwsh" || base == "powershell" {
                return Some(ScriptKind::PowerShell);
            }
        }
    }
    None
}

/// The role of a file from its path: deploy/release/publish/production
/// scripts are [`Role::Deploy`], everything else `default`.
pub fn path_role(path: &str, default: Role) -> Role {
    let l = path.to_ascii_lowercase();
    if deployish(&l) { Role::Deploy } else { default }
}

fn deployish(l: &str) -> bool {
    [
        "deploy", "release", "publish", "prod", "rollout", "ship", "promote",
    ]
    .iter()
    .any(|w| l.contains(w))
}

/// Extract the command snippets of a script-like file.
pub fn snippets(kind: ScriptKind, path: &str, text: &str) -> Vec<Snippet> {
    let mut out = match kind {
        ScriptKind::Shell => vec![Snippet::contiguous(
            0,
            text,
            path_role(path, Role::Helper),
            Dialect::Posix,
        )],
        ScriptKind::PowerShell => vec![Snippet::contiguous(
            0,
            &powershell_file(text),
            path_role(path, Role::Helper),
            Dialect::PowerShell,
        )],
        ScriptKind::Cmd => vec![Snippet::contiguous(
            0,
            &cmd_file(text),
            path_role(path, Role::Helper),
            Dialect::Cmd,
        )],
        ScriptKind::Makefile => makefile(path, text),
        ScriptKind::Dockerfile => dockerfile(text),
        ScriptKind::GithubActions => yaml_commands(text, &["run"], None, Role::Ci),
        ScriptKind::GitlabCi => yaml_commands(
            text,
            &["script", "before_script", "after_script"],
            None,
            Role::Ci,
        ),
        ScriptKind::Buildspec => yaml_commands(text, &["commands", "finally"], None, Role::Ci),
        ScriptKind::AzurePipelines => yaml_commands(
            text,
            &[
                "script",
                "bash",
                "powershell",
                "pwsh",
                "inline",
                "inlineScript",
            ],
            None,
            Role::Ci,
        ),
        ScriptKind::Bitbucket => yaml_commands(text, &["script", "after-script"], None, Role::Ci),
        ScriptKind::PreCommit => yaml_commands(
            text,
            &["entry"],
            Some(|item: &str| {
                item.lines().any(|l| {
                    let l = l.trim().trim_start_matches("- ");
                    l.starts_with("language:")
                        && matches!(
                            l["language:".len()..].trim().trim_matches(['"', '\'']),
                            "system" | "script"
                        )
                })
            }),
            Role::Ci,
        ),
        ScriptKind::Jenkinsfile => jenkinsfile(text),
        ScriptKind::PackageJson => package_json(text),
        ScriptKind::Tox => tox(text),
    };
    out.truncate(MAX_SNIPPETS);
    out
}

/// Run the command rules over snippets; hits are in file offsets.
pub fn check_snippets(snips: &[Snippet], file: &str, s: &Settings) -> Vec<Hit> {
    let mut out = Vec::new();
    for sn in snips {
        if sn.text.trim().is_empty() {
            continue;
        }
        let text = match sn.dialect {
            Dialect::Posix => sn.text.clone(),
            Dialect::PowerShell => powershell_file(&sn.text),
            Dialect::Cmd => cmd_file(&sn.text),
        };
        let script = crate::shell::parse(&text);
        for mut h in commands::check_script(&script, "", s) {
            if h.rule.id == SHELL_INCOMPLETE.id {
                h.message =
                    "commands in this file are too large or deeply nested to analyse completely"
                        .into();
                h.end = h.start + text[h.start.min(text.len())..].find('\n').unwrap_or(0);
            }
            if sn.role == Role::Helper && h.rule.id == GIT_PUSH_REVIEW.id {
                continue;
            }
            // publishing and pruning are what release jobs and CI runners do
            if matches!(sn.role, Role::Ci | Role::Deploy)
                && (h.rule.id == PACKAGE_PUBLISH.id || h.rule.id == CONTAINER_PRUNE.id)
            {
                continue;
            }
            let (a, b) = (sn.file_offset(h.start, file), sn.file_offset(h.end, file));
            h.start = a;
            h.end = b.max(a);
            out.push(h);
        }
    }
    out
}

/// Commands of hooks and MCP servers in a JSON document: every object with a
/// string `command` (plus `args`, joined) is a command line.
pub fn json_commands(
    v: &Value,
    idx: &crate::json::PathIndex,
    file: &str,
    s: &Settings,
) -> Vec<Hit> {
    let mut found: Vec<(Vec<String>, String)> = Vec::new();
    walk(v, &mut Vec::new(), &mut found, 0);
    let snips: Vec<Snippet> = found
        .into_iter()
        .take(MAX_SNIPPETS)
        .map(|(path, cmd)| {
            let (a, _) = idx.get(&path);
            Snippet {
                text: cmd,
                map: vec![(0, a)],
                role: Role::Ci,
                dialect: Dialect::Posix,
            }
        })
        .collect();
    // offsets of JSON commands point at the `command` key: clamp every hit to it
    let mut hits = check_snippets(&snips, file, s);
    for h in &mut hits {
        let line_end = file[h.start.min(file.len())..]
            .find('\n')
            .map(|p| h.start + p)
            .unwrap_or(file.len());
        h.end = h.end.min(line_end).max(h.start);
    }
    hits
}

fn walk(v: &Value, path: &mut Vec<String>, out: &mut Vec<(Vec<String>, String)>, depth: usize) {
    if depth > 16 || out.len() >= MAX_SNIPPETS {
        return;
    }
    match v {
        Value::Object(m) => {
            if let Some(Value::String(c)) = m.get("command") {
                let mut words = vec![c.clone()];
                if let Some(Value::Array(a)) = m.get("args") {
                    words.extend(a.iter().filter_map(|x| x.as_str().map(str::to_string)));
                }
                let line = if words.len() == 1 {
                    c.clone()
                } else {
                    words
                        .iter()
                        .map(|w| shell_quote(w))
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                let mut p = path.clone();
                p.push("command".into());
                out.push((p, line));
            }
            for (k, x) in m {
                path.push(k.clone());
                walk(x, path, out, depth + 1);
                path.pop();
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                path.push(i.to_string());
                walk(x, path, out, depth + 1);
                path.pop();
            }
        }
        _ => {}
    }
}

// ------------------------------------------------------------ dialects

/// PowerShell text for the shell parser, byte offsets preserved: `\` becomes
/// `/`, the backtick escape becomes a space, `<# … #>` comments are blanked.
pub fn powershell_file(text: &str) -> String {
    let mut b = text.as_bytes().to_vec();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => b[i] = b'/',
            b'`' => b[i] = b' ',
            b'<' if b.get(i + 1) == Some(&b'#') => {
                let end = text[i..].find("#>").map(|p| i + p + 2).unwrap_or(b.len());
                for x in &mut b[i..end] {
                    if *x != b'\n' && x.is_ascii() {
                        *x = b' ';
                    }
                }
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    String::from_utf8(b).unwrap_or_else(|_| text.to_string())
}

/// cmd text for the shell parser, byte offsets preserved: `\` becomes `/`,
/// `REM` and `::` lines are blanked, `^` escapes become spaces, `%VAR%`
/// keeps its text.
pub fn cmd_file(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let t = line.trim_start().to_ascii_lowercase();
        let t = t.trim_start_matches('@');
        if t.starts_with("rem ")
            || t.starts_with("rem\t")
            || t.trim_end() == "rem"
            || t.starts_with("::")
        {
            out.extend(line.chars().map(|c| {
                if c == '\n' {
                    '\n'
                } else if c.is_ascii() {
                    ' '
                } else {
                    c
                }
            }));
            continue;
        }
        out.extend(line.chars().map(|c| match c {
            '\\' => '/',
            '^' => ' ',
            c => c,
        }));
    }
    out
}

// ------------------------------------------------------------ Makefile

fn makefile(path: &str, text: &str) -> Vec<Snippet> {
    let file_role = path_role(path, Role::Helper);
    // simple variables: NAME = value, NAME := value, NAME ?= value
    let mut vars: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if line.starts_with('\t') || line.starts_with('#') {
            continue;
        }
        for op in [":=", "::=", "?=", "="] {
            if let Some((k, v)) = line.split_once(op) {
                let k = k.trim().trim_start_matches("export ").trim();
                if !k.is_empty() && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
                    vars.push((k.to_string(), v.trim().to_string()));
                }
                break;
            }
        }
    }
    let expand = |s: &str| -> String {
        let mut out = String::new();
        let mut rest = s;
        while let Some(p) = rest.find('$') {
            out.push_str(&rest[..p]);
            let r = &rest[p + 1..];
            if let Some(r2) = r.strip_prefix('$') {
                out.push('$');
                rest = r2;
                continue;
            }
            let close = match r.as_bytes().first() {
                Some(b'(') => Some(')'),
                Some(b'{') => Some('}'),
                _ => None,
            };
            if let Some(close) = close
                && let Some(e) = r.find(close)
            {
                let name = &r[1..e];
                if name == "MAKE" {
                    out.push_str("make");
                } else if let Some((_, v)) = vars.iter().rev().find(|(k, _)| k == name) {
                    out.push_str(v);
                } else if name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
                    out.push('$');
                    out.push_str(name);
                } else {
                    out.push_str("MAKEFN");
                }
                rest = &r[e + 1..];
            } else {
                // $@, $<, $^, $*: automatic variables
                out.push('$');
                rest = r;
            }
        }
        out.push_str(rest);
        out
    };
    let mut out: Vec<Snippet> = Vec::new();
    let mut cur: Option<Snippet> = None;
    let mut off = 0;
    let mut continued = false;
    for line in text.split_inclusive('\n') {
        let start = off;
        off += line.len();
        let l = line.trim_end_matches(['\n', '\r']);
        if let Some(body) = l.strip_prefix('\t').filter(|_| cur.is_some() || continued) {
            let lead = body.len() - body.trim_start_matches(['@', '-', '+', ' ']).len();
            let piece = expand(&body[lead..]);
            if let Some(sn) = cur.as_mut() {
                sn.push(start + 1 + lead, &piece, '\n');
            }
            continued = l.ends_with('\\');
            continue;
        }
        if l.trim().is_empty() || l.starts_with('#') {
            continue;
        }
        // a rule line `target: prereqs` starts a recipe
        if let Some(c) = rule_colon(l) {
            if let Some(sn) = cur.take() {
                out.push(sn);
            }
            let targets = &l[..c];
            let role = if deployish(&targets.to_ascii_lowercase()) {
                Role::Deploy
            } else {
                file_role
            };
            let mut sn = Snippet::new(role, Dialect::Posix);
            // `target: ; recipe`
            if let Some(semi) = l[c..].find(';') {
                let piece = expand(&l[c + semi + 1..]);
                sn.push(start + c + semi + 1, &piece, '\n');
            }
            cur = Some(sn);
        } else if let Some(sn) = cur.take() {
            out.push(sn);
        }
    }
    if let Some(sn) = cur.take() {
        out.push(sn);
    }
    out.retain(|s| !s.text.is_empty());
    out
}

/// The colon of a Makefile rule line (not `:=` / `::=`), if it is one.
fn rule_colon(l: &str) -> Option<usize> {
    if l.starts_with(' ') || l.starts_with('\t') {
        return None;
    }
    let c = l.find(':')?;
    let after = &l[c + 1..];
    if after.starts_with('=') || after.starts_with(":=") {
        return None;
    }
    if l[..c].contains('=') {
        return None;
    }
    Some(c)
}

// ------------------------------------------------------------ Dockerfile

fn dockerfile(text: &str) -> Vec<Snippet> {
    let mut out = Vec::new();
    let mut cur: Option<Snippet> = None;
    let mut off = 0;
    for line in text.split_inclusive('\n') {
        let start = off;
        off += line.len();
        let l = line.trim_end_matches(['\n', '\r']);
        if let Some(sn) = cur.as_mut() {
            if l.trim_start().starts_with('#') {
                continue;
            }
            sn.push(start, l, '\n');
            if !l.ends_with('\\') {
                out.push(
                    cur.take()
                        .unwrap_or_else(|| Snippet::new(Role::Ci, Dialect::Posix)),
                );
            }
            continue;
        }
        let t = l.trim_start();
        let indent = l.len() - t.len();
        if t.len() < 4
            || !t[..3].eq_ignore_ascii_case("run")
            || !t.as_bytes()[3].is_ascii_whitespace()
        {
            continue;
        }
        let mut body = t[4..].trim_start();
        // RUN --mount=... --network=... options
        while body.starts_with("--") {
            body = body
                .split_once(char::is_whitespace)
                .map(|x| x.1.trim_start())
                .unwrap_or("");
        }
        let body_off = start + indent + (t.len() - body.len());
        if body.starts_with('[') {
            // exec form
            if let Ok(Value::Array(a)) = serde_json::from_str::<Value>(body) {
                let words: Vec<String> = a
                    .iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect();
                let line = words
                    .iter()
                    .map(|w| shell_quote(w))
                    .collect::<Vec<_>>()
                    .join(" ");
                out.push(Snippet {
                    text: line,
                    map: vec![(0, body_off)],
                    role: Role::Ci,
                    dialect: Dialect::Posix,
                });
            }
            continue;
        }
        let mut sn = Snippet::new(Role::Ci, Dialect::Posix);
        sn.push(body_off, body, '\n');
        if body.ends_with('\\') {
            cur = Some(sn);
        } else {
            out.push(sn);
        }
    }
    if let Some(sn) = cur {
        out.push(sn);
    }
    out
}

// ------------------------------------------------------------ YAML CI

struct Line<'a> {
    off: usize,
    text: &'a str,
    indent: usize,
}

fn lines_of(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut off = 0;
    for raw in text.split_inclusive('\n') {
        let t = raw.trim_end_matches(['\n', '\r']);
        let indent = t.len() - t.trim_start_matches(' ').len();
        out.push(Line {
            off,
            text: t,
            indent,
        });
        off += raw.len();
    }
    out
}

fn blank(l: &Line) -> bool {
    let t = l.text.trim();
    t.is_empty() || t.starts_with('#')
}

/// Unquote a one-line YAML scalar; returns the text and its offset in `s`.
fn yaml_scalar(s: &str) -> (String, usize) {
    let t = s.trim_end();
    if let Some(inner) = t.strip_prefix('\'').and_then(|x| x.strip_suffix('\'')) {
        return (inner.replace("''", "'"), 1);
    }
    if let Some(inner) = t.strip_prefix('"').and_then(|x| x.strip_suffix('"')) {
        let mut out = String::new();
        let mut it = inner.chars();
        while let Some(c) = it.next() {
            if c == '\\' {
                match it.next() {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some(x) => out.push(x),
                    None => {}
                }
            } else {
                out.push(c);
            }
        }
        return (out, 1);
    }
    // plain scalar: a ` #` starts a comment
    let t = t.find(" #").map(|p| &t[..p]).unwrap_or(t);
    (t.to_string(), 0)
}

/// A block scalar (`|`, `>`, with chomping/indent indicators) starting after
/// line `li`, whose parent is at column `parent`; returns the next line index.
fn block_scalar(lines: &[Line], li: usize, parent: usize, folded: bool, sn: &mut Snippet) -> usize {
    let mut j = li + 1;
    let mut block_indent: Option<usize> = None;
    while j < lines.len() {
        let l = &lines[j];
        if l.text.trim().is_empty() {
            j += 1;
            continue;
        }
        if l.indent <= parent {
            break;
        }
        let bi = *block_indent.get_or_insert(l.indent);
        let cut = bi.min(l.indent);
        sn.push(l.off + cut, &l.text[cut..], if folded { ' ' } else { '\n' });
        j += 1;
    }
    j
}

/// The lines of the sequence item or mapping that contains line `li`.
fn item_region(lines: &[Line], li: usize, key_col: usize) -> String {
    let mut a = li;
    while a > 0 {
        let l = &lines[a];
        if !blank(l) && l.text.trim_start().starts_with("- ") && l.indent < key_col {
            break;
        }
        if !blank(l) && l.indent < key_col.saturating_sub(2) {
            break;
        }
        a -= 1;
    }
    let item_indent = lines[a].indent;
    let mut b = li + 1;
    while b < lines.len() && (blank(&lines[b]) || lines[b].indent > item_indent) {
        b += 1;
    }
    lines[a..b]
        .iter()
        .map(|l| l.text)
        .collect::<Vec<_>>()
        .join("\n")
}

type ItemFilter = fn(&str) -> bool;

/// Command values of `keys` in a YAML CI file: inline scalars, block scalars
/// and sequences of them (GitLab `script:` lists), each a snippet.
fn yaml_commands(
    text: &str,
    keys: &[&str],
    filter: Option<ItemFilter>,
    role: Role,
) -> Vec<Snippet> {
    let lines = lines_of(text);
    let mut out = Vec::new();
    let mut li = 0;
    while li < lines.len() && out.len() < MAX_SNIPPETS {
        let l = &lines[li];
        let mut rest = &l.text[l.indent..];
        let mut col = l.indent;
        while let Some(r) = rest.strip_prefix("- ") {
            let r2 = r.trim_start_matches(' ');
            col += rest.len() - r2.len();
            rest = r2;
        }
        let key = keys.iter().find(|k| {
            rest.strip_prefix(**k)
                .or_else(|| rest.strip_prefix(&format!("\"{k}\"")))
                .is_some_and(|r| {
                    r.starts_with(':') && (r.len() == 1 || r[1..].starts_with([' ', '\t']))
                })
        });
        let Some(key) = key else {
            li += 1;
            continue;
        };
        let region = item_region(&lines, li, col);
        if filter.is_some_and(|f| !f(&region)) {
            li += 1;
            continue;
        }
        let dialect = step_dialect(key, &region);
        let kstart = rest.find(':').unwrap_or(0) + 1;
        let value = rest[kstart..].trim_start();
        let value_off = l.off + col + kstart + (rest[kstart..].len() - value.len());
        let mut sn = Snippet::new(role, dialect);
        let v = value.split(" #").next().unwrap_or("").trim_end();
        if v.starts_with('|') || v.starts_with('>') {
            li = block_scalar(&lines, li, col, v.starts_with('>'), &mut sn);
        } else if v.is_empty() {
            // a sequence of commands
            let mut j = li + 1;
            while j < lines.len() {
                let m = &lines[j];
                if blank(m) {
                    j += 1;
                    continue;
                }
                let t = &m.text[m.indent..];
                if m.indent < col || (m.indent == col && !t.starts_with("- ")) {
                    break;
                }
                if let Some(item) = t.strip_prefix("- ") {
                    let item_t = item.trim_start();
                    let item_col = m.indent + 2 + (item.len() - item_t.len());
                    let iv = item_t.split(" #").next().unwrap_or("").trim_end();
                    if iv.starts_with('|') || iv.starts_with('>') {
                        j = block_scalar(&lines, j, m.indent, iv.starts_with('>'), &mut sn);
                        continue;
                    }
                    let (s, d) = yaml_scalar(item_t);
                    sn.push(m.off + item_col + d, &s, '\n');
                } else if m.indent > col {
                    // plain scalar continued on the next line
                    sn.push(m.off + m.indent, t, ' ');
                } else {
                    break;
                }
                j += 1;
            }
            li = j;
        } else if let Some(flow) = v.strip_prefix('[').and_then(|x| x.strip_suffix(']')) {
            let base = value_off + 1;
            let mut at = 0;
            for part in flow.split(',') {
                let t = part.trim_start();
                let (s, d) = yaml_scalar(t.trim_end());
                sn.push(base + at + (part.len() - t.len()) + d, &s, '\n');
                at += part.len() + 1;
            }
            li += 1;
        } else {
            let (s, d) = yaml_scalar(value);
            sn.push(value_off + d, &s, '\n');
            li += 1;
        }
        if !sn.text.trim().is_empty() {
            out.push(sn);
        }
    }
    out
}

/// PowerShell or cmd steps: Azure `powershell:`/`pwsh:` keys, GitHub
/// `shell: pwsh|powershell|cmd` in the same step.
fn step_dialect(key: &str, region: &str) -> Dialect {
    if matches!(key, "powershell" | "pwsh") {
        return Dialect::PowerShell;
    }
    for l in region.lines() {
        let t = l.trim().trim_start_matches("- ");
        if let Some(v) = t.strip_prefix("shell:") {
            let v = v.trim().trim_matches(['"', '\'']);
            if v.starts_with("pwsh") || v.starts_with("powershell") {
                return Dialect::PowerShell;
            }
            if v.starts_with("cmd") {
                return Dialect::Cmd;
            }
        }
    }
    Dialect::Posix
}

// ------------------------------------------------------------ Jenkinsfile

fn jenkinsfile(text: &str) -> Vec<Snippet> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() && out.len() < MAX_SNIPPETS {
        let word_start =
            i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_' || b[i - 1] == b'.');
        let step = ["sh", "bat", "powershell", "pwsh"].iter().find(|w| {
            word_start
                && text[i..].starts_with(**w)
                && !b
                    .get(i + w.len())
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
        });
        let Some(step) = step else {
            i += 1;
            continue;
        };
        let mut j = i + step.len();
        while j < b.len() && matches!(b[j], b' ' | b'\t' | b'(') {
            j += 1;
        }
        if text[j..].starts_with("script:") {
            j += "script:".len();
            while j < b.len() && b[j] == b' ' {
                j += 1;
            }
        }
        let Some(&q) = b.get(j) else { break };
        if q != b'\'' && q != b'"' {
            i = j.max(i + 1);
            continue;
        }
        let triple = text[j..].starts_with("'''") || text[j..].starts_with("\"\"\"");
        let (open, close) = if triple {
            (3, &text[j..j + 3])
        } else {
            (1, &text[j..j + 1])
        };
        let body_start = j + open;
        let end = if triple {
            text[body_start..].find(close).map(|p| body_start + p)
        } else {
            let mut k = body_start;
            let mut e = None;
            while k < b.len() && b[k] != b'\n' {
                if b[k] == b'\\' {
                    k += 2;
                    continue;
                }
                if b[k] == q {
                    e = Some(k);
                    break;
                }
                k += 1;
            }
            e
        };
        let Some(end) = end else {
            i = body_start;
            continue;
        };
        let body = &text[body_start..end];
        let dialect = match *step {
            "bat" => Dialect::Cmd,
            "powershell" | "pwsh" => Dialect::PowerShell,
            _ => Dialect::Posix,
        };
        out.push(Snippet::contiguous(body_start, body, Role::Ci, dialect));
        i = end + open;
    }
    out
}

// ------------------------------------------------------------ package.json

fn package_json(text: &str) -> Vec<Snippet> {
    let Some((v, idx)) = crate::json::parse(text) else {
        return Vec::new();
    };
    let Some(scripts) = v.get("scripts").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, cmd) in scripts.iter().take(MAX_SNIPPETS) {
        let Some(cmd) = cmd.as_str() else { continue };
        let (a, _) = idx.get(&["scripts", name.as_str()]);
        let n = name.to_ascii_lowercase();
        // install hooks run on every `npm install`; release scripts deploy
        let role = if matches!(
            n.as_str(),
            "preinstall"
                | "install"
                | "postinstall"
                | "prepare"
                | "prepublish"
                | "prepublishonly"
                | "prepack"
                | "postpack"
        ) {
            Role::Ci
        } else if deployish(&n) {
            Role::Deploy
        } else {
            Role::Helper
        };
        out.push(Snippet {
            text: cmd.to_string(),
            map: vec![(0, a)],
            role,
            dialect: Dialect::Posix,
        });
    }
    out
}

// ------------------------------------------------------------ tox.ini

fn tox(text: &str) -> Vec<Snippet> {
    let lines = lines_of(text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let l = &lines[i];
        let t = l.text.trim_start();
        let key = t.split('=').next().unwrap_or("").trim();
        if l.indent == 0
            && matches!(key, "commands" | "commands_pre" | "commands_post")
            && t.contains('=')
        {
            let mut sn = Snippet::new(Role::Helper, Dialect::Posix);
            let eq = t.find('=').unwrap_or(0);
            let first = t[eq + 1..].trim_start();
            let push_cmd = |sn: &mut Snippet, off: usize, s: &str| {
                let c = s.trim_start_matches(['-', '!']).trim_start();
                let lead = s.len() - c.len();
                if !c.is_empty() {
                    sn.push(off + lead, c, '\n');
                }
            };
            push_cmd(&mut sn, l.off + (l.text.len() - first.len()), first);
            let mut j = i + 1;
            while j < lines.len()
                && (lines[j].text.trim().is_empty() || lines[j].text.starts_with([' ', '\t']))
            {
                let m = &lines[j];
                let c = m.text.trim_start_matches([' ', '\t']);
                if !c.is_empty() && !c.starts_with('#') {
                    push_cmd(&mut sn, m.off + (m.text.len() - c.len()), c);
                }
                j += 1;
            }
            out.push(sn);
            i = j;
            continue;
        }
        i += 1;
    }
    out
}

// ------------------------------------------------------------ Terraform

/// `provisioner "local-exec" { command = "..." }` (quoted or heredoc).
pub fn terraform_local_exec(text: &str) -> Vec<Snippet> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(p) = text[from..].find("\"local-exec\"") {
        let at = from + p;
        from = at + 12;
        let Some(open) = text[from..].find('{').map(|x| from + x) else {
            break;
        };
        // the block ends at its matching brace (strings and heredocs skipped roughly)
        let close = block_end(text, open);
        let block = &text[open..close];
        let ps =
            block.contains("PowerShell") || block.contains("pwsh") || block.contains("powershell");
        let dialect = if ps {
            Dialect::PowerShell
        } else {
            Dialect::Posix
        };
        let Some(cpos) = find_attr(block, "command") else {
            continue;
        };
        let vstart = open + cpos;
        let rest = &text[vstart..close];
        if let Some(h) = rest.strip_prefix("<<") {
            let h = h.strip_prefix('-').unwrap_or(h);
            let marker: String = h
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let Some(nl) = rest.find('\n') else { continue };
            let body_start = vstart + nl + 1;
            let mut end = body_start;
            for line in text[body_start..].split_inclusive('\n') {
                if line.trim() == marker {
                    break;
                }
                end += line.len();
            }
            out.push(Snippet::contiguous(
                body_start,
                &text[body_start..end],
                Role::Ci,
                dialect,
            ));
        } else if rest.starts_with('"') {
            let b = rest.as_bytes();
            let mut k = 1;
            let mut s = String::new();
            while k < b.len() && b[k] != b'"' && b[k] != b'\n' {
                if b[k] == b'\\' && k + 1 < b.len() {
                    match b[k + 1] {
                        b'n' => s.push('\n'),
                        b't' => s.push('\t'),
                        c => s.push(c as char),
                    }
                    k += 2;
                    continue;
                }
                let ch = rest[k..].chars().next().unwrap_or(' ');
                s.push(ch);
                k += ch.len_utf8();
            }
            out.push(Snippet {
                text: s,
                map: vec![(0, vstart + 1)],
                role: Role::Ci,
                dialect,
            });
        }
        from = close.max(from);
    }
    out
}

fn block_end(text: &str, open: usize) -> usize {
    let b = text.as_bytes();
    let mut depth = 0usize;
    let mut i = open;
    while i < b.len() {
        match b[i] {
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' && b[i] != b'\n' {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'{' => depth += 1,
            b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    b.len()
}

/// Offset (in `block`) of the value of `name = value`.
fn find_attr(block: &str, name: &str) -> Option<usize> {
    let mut off = 0;
    for line in block.split_inclusive('\n') {
        let t = line.trim_start();
        if let Some(r) = t.strip_prefix(name) {
            let r2 = r.trim_start();
            if let Some(v) = r2.strip_prefix('=') {
                let v2 = v.trim_start();
                return Some(off + (line.len() - v2.len()));
            }
        }
        off += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commands_of(kind: ScriptKind, path: &str, text: &str) -> Vec<String> {
        snippets(kind, path, text)
            .into_iter()
            .map(|s| s.text)
            .collect()
    }

    #[test]
    fn yaml_blocks_sequences_and_scalars() {
        let gha = "jobs:\n  b:\n    steps:\n      - run: echo one\n      - name: x\n        run: |\n          npm ci\n          git push --force origin main\n      - run: 'echo two'\n";
        let c = commands_of(ScriptKind::GithubActions, ".github/workflows/ci.yml", gha);
        assert_eq!(
            c,
            vec![
                "echo one",
                "npm ci\ngit push --force origin main",
                "echo two"
            ]
        );
        let gl = "test:\n  script:\n    - npm test\n    - |\n      rm -rf /\n      echo done\n  before_script: [\"make\", 'ls']\n";
        let c = commands_of(ScriptKind::GitlabCi, ".gitlab-ci.yml", gl);
        assert_eq!(c, vec!["npm test\nrm -rf /\necho done", "make\nls"]);
    }

    #[test]
    fn spans_map_back_to_the_file() {
        let gha = "on: push\njobs:\n  b:\n    steps:\n      - run: |\n          npm ci\n          git push --force origin main\n";
        let sn = snippets(ScriptKind::GithubActions, ".github/workflows/x.yml", gha);
        let p = sn[0].text.find("git").unwrap();
        let f = sn[0].file_offset(p, gha);
        assert!(gha[f..].starts_with("git push --force"));
    }

    #[test]
    fn makefile_recipes() {
        let mk = "DIST = dist\n.PHONY: clean\nclean:\n\t@rm -rf $(DIST)\n\n# c\ndeploy: build\n\tgit push origin main\n";
        let sn = snippets(ScriptKind::Makefile, "Makefile", mk);
        assert_eq!(sn.len(), 2);
        assert_eq!(sn[0].text, "rm -rf dist");
        assert_eq!(sn[1].role, Role::Deploy);
    }

    #[test]
    fn dockerfile_run() {
        let d = "FROM alpine\nRUN apk add curl \\\n    && curl -s https://x/i.sh | sh\nRUN [\"rm\", \"-rf\", \"/\"]\nCMD [\"x\"]\n";
        let c = commands_of(ScriptKind::Dockerfile, "Dockerfile", d);
        assert_eq!(c.len(), 2);
        assert!(c[0].contains("| sh"));
        assert_eq!(c[1], "rm -rf /");
    }

    #[test]
    fn jenkins_steps() {
        let j = "pipeline { stages { stage('a') { steps {\n  sh 'make test'\n  sh \"\"\"\n    git push -f origin main\n  \"\"\"\n  bat(script: 'rd /s /q C:\\\\')\n} } } }\n";
        let c = commands_of(ScriptKind::Jenkinsfile, "Jenkinsfile", j);
        assert_eq!(c.len(), 3, "{c:?}");
        assert!(c[1].contains("git push -f"));
    }

    #[test]
    fn local_exec() {
        let tf = "resource \"null_resource\" \"x\" {\n  provisioner \"local-exec\" {\n    command = \"rm -rf $HOME\"\n  }\n}\nresource \"null_resource\" \"y\" {\n  provisioner \"local-exec\" {\n    command = <<EOT\n      git push --force\n    EOT\n  }\n}\n";
        let sn = terraform_local_exec(tf);
        assert_eq!(sn.len(), 2);
        assert_eq!(sn[0].text, "rm -rf $HOME");
        assert!(sn[1].text.contains("git push --force"));
    }

    #[test]
    fn kinds() {
        assert_eq!(
            script_kind("scripts/release.sh", ""),
            Some(ScriptKind::Shell)
        );
        assert_eq!(
            script_kind("bin/run", "#!/usr/bin/env bash\n"),
            Some(ScriptKind::Shell)
        );
        assert_eq!(script_kind("bin/run", "#!/usr/bin/env python3\n"), None);
        assert_eq!(script_kind("src/app.py", "#!/bin/sh\n"), None);
        assert_eq!(
            script_kind(".github/workflows/ci.yml", ""),
            Some(ScriptKind::GithubActions)
        );
        assert_eq!(
            script_kind("build/Dockerfile.prod", ""),
            Some(ScriptKind::Dockerfile)
        );
        assert_eq!(
            path_role("scripts/deploy-prod.sh", Role::Helper),
            Role::Deploy
        );
        assert_eq!(path_role("scripts/clean.sh", Role::Helper), Role::Helper);
    }
}
