//! Rules over parsed shell commands (see [`crate::shell`]).

use crate::Settings;
use crate::rules::*;
use crate::shell::{self, Cmd, Script, ShellMode};
use crate::util::{Hit, clip, glob_match, mask_word, shell_quote};
use kiro_guard_skill::Severity;

/// Analyse one command line. `cwd` is the working directory (used to see
/// `rm -rf <repo root>`); byte ranges in the hits index into `command`.
pub fn check(command: &str, cwd: &str, s: &Settings) -> Vec<Hit> {
    let script = shell::parse(command);
    check_script(&script, cwd, s)
}

/// Rules over an already-parsed script.
pub fn check_script(script: &Script, cwd: &str, s: &Settings) -> Vec<Hit> {
    let mut out = Vec::new();
    let cmds = &script.cmds;
    for (i, c) in cmds.iter().enumerate() {
        let ctx = Ctx { cmds, i, cwd, s };
        git_rules(&ctx, c, &mut out);
        hook_env(&ctx, c, &mut out);
        rm_rule(&ctx, c, &mut out);
        disk_rule(c, &mut out);
        remote_exec(&ctx, c, &mut out);
        chmod_rule(c, &mut out);
        destroy_rule(c, s, &mut out);
        cred_read(c, &mut out);
        guard_files(c, &mut out);
        package_url(&ctx, c, &mut out);
    }
    if script.truncated {
        let end = script.cmds.last().map(|c| c.span.1).unwrap_or(0);
        out.push(Hit::new(
            &SHELL_INCOMPLETE,
            (0, end),
            "command is too deeply nested or too large to analyse completely",
            "",
        ));
    }
    // one finding per rule and command span
    let mut seen = std::collections::HashSet::new();
    out.retain(|h| seen.insert((h.rule.id, h.start, h.end, h.message.clone())));
    out
}

struct Ctx<'a> {
    cmds: &'a [Cmd],
    i: usize,
    cwd: &'a str,
    s: &'a Settings,
}

/// The normalised command as evidence: env prefix + argv, secrets masked.
pub fn evidence(c: &Cmd) -> String {
    let mut parts: Vec<String> = c
        .env
        .iter()
        .map(|(k, v)| mask_word(&format!("{k}={}", shell_quote(v)), None))
        .collect();
    if c.argv.is_empty() {
        parts.extend(
            c.assigns
                .iter()
                .map(|(k, v)| mask_word(&format!("{k}={}", shell_quote(v)), None)),
        );
    }
    if c.sudo {
        parts.push("sudo".into());
    }
    let mut prev: Option<&str> = None;
    for w in &c.argv {
        parts.push(shell_quote(&mask_word(w, prev)));
        prev = Some(w);
    }
    for r in &c.redirects {
        parts.push(format!(
            "{}{}",
            r.op,
            shell_quote(&mask_word(&r.target, None))
        ));
    }
    clip(&parts.join(" "), 300)
}

fn hit(rule: &'static kiro_guard_skill::rule::RuleDef, c: &Cmd, msg: impl Into<String>) -> Hit {
    Hit::new(rule, c.span, msg, evidence(c))
}

// ------------------------------------------------------------------ git

/// A git invocation split into global config, subcommand and arguments.
pub struct Git<'a> {
    pub config: Vec<(String, String)>,
    pub sub: &'a str,
    pub args: &'a [String],
}

pub fn git(c: &Cmd) -> Option<Git<'_>> {
    if c.name() != "git" {
        return None;
    }
    let a = c.args();
    let mut config = Vec::new();
    let mut i = 0;
    while i < a.len() {
        let x = a[i].as_str();
        if x == "-c" {
            if let Some(kv) = a.get(i + 1) {
                let (k, v) = kv.split_once('=').unwrap_or((kv, "true"));
                config.push((k.to_ascii_lowercase(), v.to_string()));
            }
            i += 2;
        } else if x == "--config-env" {
            if let Some(kv) = a.get(i + 1) {
                let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                config.push((k.to_ascii_lowercase(), format!("${v}")));
            }
            i += 2;
        } else if let Some(kv) = x.strip_prefix("--config-env=") {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            config.push((k.to_ascii_lowercase(), format!("${v}")));
            i += 1;
        } else if matches!(
            x,
            "-C" | "--git-dir" | "--work-tree" | "--namespace" | "--super-prefix" | "--list-cmds"
        ) {
            i += 2;
        } else if x.starts_with('-') {
            i += 1;
        } else {
            break;
        }
    }
    Some(Git {
        config,
        sub: a.get(i).map(String::as_str).unwrap_or(""),
        args: a.get(i + 1..).unwrap_or(&[]),
    })
}

#[derive(Default, Debug)]
struct Push {
    force: Option<String>,
    mirror: bool,
    all: bool,
    dry_run: bool,
    no_verify: bool,
    targets: Vec<String>,
    deletes: Vec<String>,
    positional: usize,
}

fn parse_push(args: &[String]) -> Push {
    let mut p = Push::default();
    let mut pos = Vec::new();
    let mut i = 0;
    let mut delete_mode = false;
    while i < args.len() {
        let a = args[i].as_str();
        if a == "--" {
            pos.extend(args[i + 1..].iter().cloned());
            break;
        }
        if let Some(long) = a.strip_prefix("--") {
            let name = long.split('=').next().unwrap_or("");
            match name {
                "force" | "force-with-lease" => p.force = Some(a.to_string()),
                "mirror" => p.mirror = true,
                "all" | "branches" => p.all = true,
                "delete" => delete_mode = true,
                "dry-run" => p.dry_run = true,
                "no-verify" => p.no_verify = true,
                "repo" | "receive-pack" | "exec" | "push-option" if !long.contains('=') => i += 1,
                _ => {}
            }
        } else if a.starts_with('-') && a.len() > 1 {
            for (k, ch) in a[1..].chars().enumerate() {
                match ch {
                    'f' => p.force = Some(a.to_string()),
                    'd' => delete_mode = true,
                    'n' => p.dry_run = true,
                    'o' => {
                        if k + 2 == a.len() {
                            i += 1;
                        }
                        break;
                    }
                    _ => {}
                }
            }
        } else {
            pos.push(a.to_string());
        }
        i += 1;
    }
    p.positional = pos.len();
    for spec in pos.iter().skip(1) {
        let (forced, spec) = match spec.strip_prefix('+') {
            Some(r) => (true, r),
            None => (false, spec.as_str()),
        };
        if forced {
            p.force = Some(format!("+{spec}"));
        }
        let (src, dst) = match spec.split_once(':') {
            Some((s, d)) => (s, d),
            None => (spec, spec),
        };
        let dst = dst.strip_prefix("refs/heads/").unwrap_or(dst).to_string();
        if src.is_empty() || delete_mode {
            p.deletes.push(dst.clone());
        }
        p.targets.push(dst);
    }
    p
}

fn protected(branch: &str, s: &Settings) -> bool {
    s.protected_branches.iter().any(|p| glob_match(p, branch))
}

fn git_rules(ctx: &Ctx, c: &Cmd, out: &mut Vec<Hit>) {
    let Some(g) = git(c) else {
        if c.name() == "bfg"
            || c.argv
                .iter()
                .any(|a| a.contains("bfg") && a.ends_with(".jar"))
        {
            out.push(hit(
                &GIT_HISTORY_REWRITE,
                c,
                "BFG rewrites repository history",
            ));
        }
        return;
    };
    // hooksPath via -c / --config-env
    for (k, v) in &g.config {
        if k == "core.hookspath" {
            out.push(hit(
                &GIT_HOOK_BYPASS,
                c,
                format!("git -c core.hooksPath={v} bypasses the repository's hooks"),
            ));
        }
    }
    match g.sub {
        "push" => {
            let p = parse_push(g.args);
            if p.no_verify {
                out.push(hit(
                    &GIT_HOOK_BYPASS,
                    c,
                    "git push --no-verify skips the pre-push hook",
                ));
            }
            if p.dry_run {
                return;
            }
            if let Some(f) = &p.force {
                out.push(hit(
                    &GIT_FORCE_PUSH,
                    c,
                    format!("force push ({f}) rewrites remote history"),
                ));
            } else if p.mirror || p.all {
                out.push(hit(
                    &GIT_PUSH_PROTECTED,
                    c,
                    "git push --all/--mirror updates protected branches",
                ));
            } else if let Some(b) = p.targets.iter().find(|t| protected(t, ctx.s)) {
                let what = if p.deletes.contains(b) {
                    "deletes"
                } else {
                    "pushes to"
                };
                out.push(hit(
                    &GIT_PUSH_PROTECTED,
                    c,
                    format!("git push {what} protected branch {b}"),
                ));
            } else {
                let msg = if p.targets.is_empty() {
                    "git push without an explicit branch: confirm the current branch is not protected".to_string()
                } else {
                    format!(
                        "git push to {}: review before pushing",
                        p.targets.join(", ")
                    )
                };
                out.push(hit(&GIT_PUSH_REVIEW, c, msg));
            }
        }
        "commit" | "merge" | "rebase" | "am" | "cherry-pick" | "revert" | "pull" => {
            let mut bypass = g.args.iter().any(|a| a == "--no-verify");
            if g.sub == "commit" {
                // short-option clusters; options taking a value end the cluster
                let mut skip = false;
                for a in g.args {
                    if std::mem::take(&mut skip) {
                        continue;
                    }
                    if a == "--" {
                        break;
                    }
                    if matches!(
                        a.as_str(),
                        "--message"
                            | "--file"
                            | "--reuse-message"
                            | "--reedit-message"
                            | "--template"
                            | "--author"
                            | "--date"
                            | "--fixup"
                            | "--squash"
                            | "--cleanup"
                            | "--trailer"
                    ) {
                        skip = true;
                    } else if a.starts_with('-') && !a.starts_with("--") {
                        let body = &a[1..];
                        for (k, ch) in body.char_indices() {
                            if ch == 'n' {
                                bypass = true;
                            }
                            if "mFcCt".contains(ch) {
                                // the value is the rest of the cluster or the next word
                                skip = k + 1 == body.len();
                                break;
                            }
                        }
                    }
                }
            }
            if bypass {
                out.push(hit(
                    &GIT_HOOK_BYPASS,
                    c,
                    format!("git {} --no-verify/-n skips the commit hooks", g.sub),
                ));
            }
        }
        "filter-branch" | "filter-repo" => out.push(hit(
            &GIT_HISTORY_REWRITE,
            c,
            format!("git {} rewrites repository history", g.sub),
        )),
        "reset" if g.args.iter().any(|a| a == "--hard") => {
            let later_push = ctx.cmds[ctx.i + 1..]
                .iter()
                .any(|n| git(n).is_some_and(|x| x.sub == "push"));
            if later_push {
                out.push(hit(
                    &GIT_HISTORY_REWRITE,
                    c,
                    "git reset --hard followed by git push discards published commits",
                ));
            }
        }
        "reflog"
            if g.args.first().is_some_and(|a| a == "expire")
                && g.args
                    .iter()
                    .any(|a| a.ends_with("=now") || a.ends_with("=all")) =>
        {
            out.push(hit(
                &GIT_HISTORY_REWRITE,
                c,
                "git reflog expire --expire=now destroys recovery points",
            ));
        }
        "config" => {
            let mut pos: Vec<&str> = Vec::new();
            let mut read = false;
            let mut unset = false;
            let mut i = 0;
            while i < g.args.len() {
                let a = g.args[i].as_str();
                if a.starts_with("--get") || a == "--list" || a == "-l" || a == "get" || a == "list"
                {
                    read = true;
                } else if a.starts_with("--unset") || a == "unset" {
                    unset = true;
                } else if matches!(a, "-f" | "--file" | "--blob" | "--type" | "--default") {
                    i += 1;
                } else if a == "set" {
                } else if !a.starts_with('-') {
                    pos.push(a);
                }
                i += 1;
            }
            if !read
                && pos
                    .first()
                    .is_some_and(|k| k.eq_ignore_ascii_case("core.hooksPath"))
                && (pos.len() >= 2 || unset)
            {
                out.push(hit(
                    &GIT_HOOK_BYPASS,
                    c,
                    "changing core.hooksPath disables or replaces the repository's hooks",
                ));
            }
        }
        "gc" if g.args.iter().any(|a| a == "--prune=now")
            && ctx.cmds.iter().any(|n| {
                git(n).is_some_and(|x| {
                    x.sub == "reflog" && x.args.first().is_some_and(|a| a == "expire")
                })
            }) => {}
        _ => {}
    }
}

// ---------------------------------------------------------- hook bypass env

fn hook_env(ctx: &Ctx, c: &Cmd, out: &mut Vec<Hit>) {
    let target = c.name();
    let standalone = c.argv.is_empty() || matches!(target, "export" | "declare" | "typeset");
    let vars: Vec<&(String, String)> = c.env.iter().chain(c.assigns.iter()).collect();
    for (k, v) in vars {
        let v_l = v.to_ascii_lowercase();
        let off = matches!(v_l.as_str(), "0" | "false" | "no" | "off" | "");
        let bypass = match k.as_str() {
            "HUSKY" => off,
            "HUSKY_SKIP_HOOKS" | "SKIP_HOOKS" | "GIT_HOOKS_DISABLED" => !off,
            "LEFTHOOK" => off,
            "LEFTHOOK_EXCLUDE" => !v.is_empty(),
            "SKIP" | "PRE_COMMIT_SKIP" => {
                !v.is_empty()
                    && (matches!(target, "git" | "pre-commit" | "lefthook" | "prek")
                        || (standalone
                            && ctx.cmds[ctx.i..]
                                .iter()
                                .any(|n| matches!(n.name(), "git" | "pre-commit" | "lefthook"))))
            }
            "GIT_CONFIG_PARAMETERS" => v_l.contains("core.hookspath"),
            k if k.starts_with("GIT_CONFIG_KEY_") => v_l == "core.hookspath",
            _ => false,
        };
        if bypass {
            out.push(hit(
                &GIT_HOOK_BYPASS,
                c,
                format!("{k}={v} disables git hooks"),
            ));
        }
    }
}

/// Deleting, moving, truncating or un-executing hook files and the guard's own config.
fn guard_files(c: &Cmd, out: &mut Vec<Hit>) {
    fn is_guard(p: &str) -> bool {
        let p = p.trim_start_matches("./");
        p.contains(".git/hooks")
            || p.starts_with(".husky")
            || p.contains("/.husky")
            || p.contains(".kiro/hooks")
            || p.ends_with(".kiro-guard.toml")
            || p.contains(".claude/settings")
            || p.ends_with(".pre-commit-config.yaml")
            || p.ends_with("lefthook.yml")
    }
    let files: Vec<&String> = c.args().iter().filter(|a| !a.starts_with('-')).collect();
    let touched = match c.name() {
        "rm" | "unlink" | "shred" | "truncate" => files.iter().any(|f| is_guard(f)),
        "mv" => files.len() >= 2 && files[..files.len() - 1].iter().any(|f| is_guard(f)),
        "chmod" => {
            let mode = files.first().map(|m| m.as_str()).unwrap_or("");
            (mode.contains("-x")
                || mode == "000"
                || mode == "0000"
                || mode == "644"
                || mode == "600")
                && files.iter().skip(1).any(|f| is_guard(f))
        }
        "cp" => {
            files.first().is_some_and(|f| *f == "/dev/null")
                && files.iter().skip(1).any(|f| is_guard(f))
        }
        _ => false,
    } || c
        .redirects
        .iter()
        .any(|r| r.op == ">" && is_guard(&r.target) && c.name() != "kiro-guard");
    let touched = touched
        || (c.argv.is_empty()
            && c.redirects
                .iter()
                .any(|r| r.op == ">" && is_guard(&r.target)));
    if touched {
        out.push(hit(
            &GIT_HOOK_BYPASS,
            c,
            "removes or disables git hooks or the guard's own configuration",
        ));
    }
}

// -------------------------------------------------------------------- rm

fn dangerous_rm_target(t: &str, cwd: &str) -> bool {
    let t = t.trim();
    let trimmed = if t.len() > 1 {
        t.trim_end_matches('/')
    } else {
        t
    };
    let trimmed = if trimmed.is_empty() { "/" } else { trimmed };
    const EXACT: &[&str] = &[
        "/",
        "/*",
        "~",
        "~/*",
        "$HOME",
        "$HOME/*",
        ".",
        "./*",
        "..",
        "../*",
        "*",
        ".*",
        ".git",
        "./.git",
        "$PWD",
        "$PWD/*",
        "$(pwd)",
        "$(pwd)/*",
        "/dev/fd/63",
        "~/.git",
    ];
    if EXACT.contains(&trimmed) {
        return true;
    }
    if trimmed.ends_with("/.git") {
        return true;
    }
    if !cwd.is_empty() && cwd != "." && (trimmed == cwd.trim_end_matches('/')) {
        return true;
    }
    // top-level system directories and home roots
    const SYSTEM: &[&str] = &[
        "/bin",
        "/boot",
        "/dev",
        "/etc",
        "/home",
        "/lib",
        "/lib64",
        "/opt",
        "/proc",
        "/root",
        "/sbin",
        "/srv",
        "/sys",
        "/usr",
        "/var",
        "/Users",
        "/System",
        "/Library",
        "/Applications",
    ];
    if SYSTEM.contains(&trimmed) || SYSTEM.iter().any(|s| trimmed == format!("{s}/*")) {
        return true;
    }
    if let Some(rest) = trimmed
        .strip_prefix("/home/")
        .or_else(|| trimmed.strip_prefix("/Users/"))
        && !rest.contains('/')
    {
        return true;
    }
    let l = trimmed.to_ascii_lowercase();
    l.len() <= 3
        && l.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
        && l[1..].starts_with(':')
}

fn rm_rule(ctx: &Ctx, c: &Cmd, out: &mut Vec<Hit>) {
    if c.name() != "rm" {
        return;
    }
    let mut recursive = false;
    let mut no_preserve = false;
    let mut targets = Vec::new();
    let mut opts_done = false;
    for a in c.args() {
        if !opts_done && a == "--" {
            opts_done = true;
        } else if !opts_done && a.starts_with("--") {
            recursive |= a == "--recursive";
            no_preserve |= a == "--no-preserve-root";
        } else if !opts_done && a.starts_with('-') && a.len() > 1 {
            recursive |= a.contains('r') || a.contains('R');
        } else {
            targets.push(a.as_str());
        }
    }
    if !recursive && !no_preserve {
        return;
    }
    if let Some(t) = targets.iter().find(|t| dangerous_rm_target(t, ctx.cwd)) {
        out.push(hit(&DESTRUCTIVE_RM, c, format!("recursive delete of {t}")));
    } else if no_preserve {
        out.push(hit(&DESTRUCTIVE_RM, c, "rm --no-preserve-root"));
    }
}

fn disk_rule(c: &Cmd, out: &mut Vec<Hit>) {
    let name = c.name();
    fn device(p: &str) -> bool {
        p.starts_with("/dev/")
            && !matches!(
                p,
                "/dev/null"
                    | "/dev/zero"
                    | "/dev/stdout"
                    | "/dev/stderr"
                    | "/dev/tty"
                    | "/dev/random"
                    | "/dev/urandom"
            )
            && !p.starts_with("/dev/fd/")
            && !p.starts_with("/dev/shm")
            && !p.starts_with("/dev/pts")
    }
    let bad = if name.starts_with("mkfs") || matches!(name, "mke2fs" | "wipefs" | "mkswap") {
        Some(format!("{name} formats a device"))
    } else if name == "dd" {
        c.args()
            .iter()
            .find_map(|a| a.strip_prefix("of=").filter(|p| device(p)))
            .map(|p| format!("dd writes to device {p}"))
    } else if name == "shred" {
        c.args()
            .iter()
            .find(|a| device(a))
            .map(|p| format!("shred overwrites {p}"))
    } else {
        None
    };
    let bad = bad.or_else(|| {
        c.redirects
            .iter()
            .find(|r| (r.op == ">" || r.op == ">>") && device(&r.target))
            .map(|r| format!("output redirected to device {}", r.target))
    });
    if let Some(msg) = bad {
        out.push(hit(&DISK_WIPE, c, msg));
    }
}

// --------------------------------------------------------- remote exec

const DOWNLOADERS: &[&str] = &[
    "curl",
    "wget",
    "fetch",
    "http",
    "https",
    "aria2c",
    "lwp-request",
    "GET",
    "iwr",
    "irm",
];

fn is_interpreter_reading_stdin(c: &Cmd) -> bool {
    let name = c.name();
    let args = c.args();
    if shell::is_shell(name) {
        return matches!(shell::shell_mode(args), ShellMode::Stdin)
            || matches!(shell::shell_mode(args), ShellMode::File(ref f) if f == "/dev/stdin" || f == "-");
    }
    let interp = name.starts_with("python")
        || matches!(
            name,
            "perl"
                | "ruby"
                | "node"
                | "nodejs"
                | "php"
                | "pwsh"
                | "powershell"
                | "iex"
                | "deno"
                | "bun"
                | "lua"
                | "Rscript"
        );
    if !interp {
        return matches!(name, "source" | ".")
            && args.first().is_some_and(|a| a == "/dev/stdin" || a == "-");
    }
    // reading the program from stdin: no script/-c/-m/-e argument
    let mut it = args
        .iter()
        .filter(|a| *a != "-u" && *a != "-q" && *a != "-" && *a != "-s");
    match it.next() {
        None => true,
        Some(a) => a == "-",
    }
}

fn executes_text(c: &Cmd) -> bool {
    let name = c.name();
    shell::is_shell(name)
        || matches!(name, "eval" | "source" | "." | "iex")
        || name.starts_with("python")
        || matches!(name, "perl" | "ruby" | "node" | "php")
}

fn remote_exec(ctx: &Ctx, c: &Cmd, out: &mut Vec<Hit>) {
    // pipeline: downloader | ... | interpreter
    if c.stage > 0 && is_interpreter_reading_stdin(c) {
        let fed = ctx.cmds[..ctx.i]
            .iter()
            .rev()
            .take_while(|p| p.pipeline == c.pipeline)
            .any(|p| {
                DOWNLOADERS.contains(&p.name())
                    || p.sources.iter().any(|s| DOWNLOADERS.contains(&s.as_str()))
            });
        if fed {
            out.push(hit(
                &REMOTE_SCRIPT_EXEC,
                c,
                format!("downloaded content piped into {}", c.name()),
            ));
            return;
        }
    }
    // substitution / process substitution of a download into something that executes it
    if executes_text(c) && c.sources.iter().any(|s| DOWNLOADERS.contains(&s.as_str())) {
        out.push(hit(
            &REMOTE_SCRIPT_EXEC,
            c,
            format!("downloaded content executed by {}", c.name()),
        ));
        return;
    }
    // download to a file, then run that file
    if let Some(file) = executed_file(c) {
        let base = file.rsplit('/').next().unwrap_or(&file).to_string();
        let downloaded = ctx.cmds[..ctx.i].iter().any(|p| {
            DOWNLOADERS.contains(&p.name())
                && download_target(p).is_some_and(|t| t.rsplit('/').next() == Some(&base))
        });
        if downloaded {
            out.push(hit(
                &REMOTE_SCRIPT_EXEC,
                c,
                format!("downloaded file {file} executed"),
            ));
        }
    }
}

fn executed_file(c: &Cmd) -> Option<String> {
    let name = c.name();
    if shell::is_shell(name) {
        if let ShellMode::File(f) = shell::shell_mode(c.args()) {
            return Some(f);
        }
        return None;
    }
    if name.starts_with("python")
        || matches!(name, "perl" | "ruby" | "node" | "php" | "source" | ".")
    {
        return c.args().iter().find(|a| !a.starts_with('-')).cloned();
    }
    c.words
        .iter()
        .find(|w| w.starts_with("./"))
        .cloned()
        .filter(|w| c.words.first() == Some(w))
}

fn download_target(c: &Cmd) -> Option<String> {
    let args = c.args();
    let mut url = None;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        if matches!(a, "-o" | "--output" | "-O" | "--output-document")
            && c.name() == "wget"
            && a == "-O"
            || (c.name() == "curl" && matches!(a, "-o" | "--output"))
        {
            return args.get(i + 1).cloned();
        }
        if c.name() == "wget" && a == "--output-document" {
            return args.get(i + 1).cloned();
        }
        if a.contains("://") {
            url = Some(a.to_string());
        }
        i += 1;
    }
    // curl -O / wget without -O: the URL's last path segment
    url.and_then(|u| {
        u.split('?')
            .next()
            .and_then(|p| p.rsplit('/').next())
            .map(str::to_string)
    })
}

// ----------------------------------------------------------------- chmod

fn world_writable(mode: &str) -> bool {
    if !mode.is_empty() && mode.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        let last = mode.as_bytes()[mode.len() - 1] - b'0';
        return mode.len() >= 3 && last & 2 != 0;
    }
    mode.split(',').any(|clause| {
        let (who, rest) = clause
            .find(['+', '='])
            .map(|p| (&clause[..p], &clause[p..]))
            .unwrap_or((clause, ""));
        (who.contains('o') || who.contains('a')) && rest.contains('w')
    })
}

fn chmod_rule(c: &Cmd, out: &mut Vec<Hit>) {
    if c.name() != "chmod" {
        return;
    }
    let recursive = c.args().iter().any(|a| {
        a == "--recursive" || (a.starts_with('-') && !a.starts_with("--") && a.contains('R'))
    });
    let Some(mode) = c
        .args()
        .iter()
        .find(|a| !a.starts_with('-') || world_writable(a))
    else {
        return;
    };
    if world_writable(mode) {
        if recursive {
            out.push(hit(
                &CHMOD_WORLD_WRITABLE,
                c,
                format!("chmod -R {mode} makes a tree world-writable"),
            ));
        } else {
            out.push(
                hit(
                    &CHMOD_WORLD_WRITABLE,
                    c,
                    format!("chmod {mode} makes a file world-writable"),
                )
                .with_severity(Severity::Warn),
            );
        }
    }
}

// --------------------------------------------------------------- destroy

fn destroy_rule(c: &Cmd, s: &Settings, out: &mut Vec<Hit>) {
    if s.allow_destroy {
        return;
    }
    let args = c.args();
    let words: Vec<&str> = args
        .iter()
        .filter(|a| !a.starts_with('-'))
        .map(String::as_str)
        .collect();
    let msg = match c.name() {
        "terraform" | "tofu" | "terragrunt" => {
            if words.contains(&"destroy") {
                Some(format!("{} destroy removes infrastructure", c.name()))
            } else if words.contains(&"apply")
                && args.iter().any(|a| a == "-destroy" || a == "--destroy")
            {
                Some(format!(
                    "{} apply -destroy removes infrastructure",
                    c.name()
                ))
            } else {
                None
            }
        }
        "cdk" | "cdklocal" if words.first() == Some(&"destroy") => {
            Some("cdk destroy removes stacks".into())
        }
        "pulumi" if matches!(words.first(), Some(&"destroy") | Some(&"down")) => {
            Some("pulumi destroy removes a stack".into())
        }
        "sam" if words.first() == Some(&"delete") => Some("sam delete removes a stack".into()),
        "aws" => {
            let svc: Vec<&str> = {
                let mut v = Vec::new();
                let mut i = 0;
                while i < args.len() && v.len() < 2 {
                    let a = args[i].as_str();
                    if a.starts_with("--") {
                        let flag = matches!(
                            a,
                            "--debug"
                                | "--no-verify-ssl"
                                | "--no-paginate"
                                | "--no-cli-pager"
                                | "--no-sign-request"
                        );
                        i += if flag || a.contains('=') { 1 } else { 2 };
                        continue;
                    }
                    v.push(a);
                    i += 1;
                }
                v
            };
            match svc.as_slice() {
                ["s3", "rb"] if args.iter().any(|a| a == "--force") => {
                    Some("aws s3 rb --force deletes a bucket and its objects".into())
                }
                ["s3", "rm"] if args.iter().any(|a| a == "--recursive") => {
                    Some("aws s3 rm --recursive deletes objects".into())
                }
                ["s3api", "delete-bucket"] => Some("aws s3api delete-bucket".into()),
                ["cloudformation", "delete-stack"] => {
                    Some("aws cloudformation delete-stack".into())
                }
                ["rds", op] if op.starts_with("delete-db") => Some(format!("aws rds {op}")),
                ["dynamodb", "delete-table"] => Some("aws dynamodb delete-table".into()),
                ["kms", "schedule-key-deletion"] => Some("aws kms schedule-key-deletion".into()),
                ["cloudtrail", op] if matches!(*op, "delete-trail" | "stop-logging") => {
                    Some(format!("aws cloudtrail {op} disables audit logging"))
                }
                ["logs", "delete-log-group"] => Some("aws logs delete-log-group".into()),
                _ => None,
            }
        }
        "kubectl"
            if words.first() == Some(&"delete")
                && matches!(words.get(1), Some(&"namespace") | Some(&"ns")) =>
        {
            Some("kubectl delete namespace".into())
        }
        _ => None,
    };
    if let Some(m) = msg {
        out.push(hit(&INFRA_DESTROY, c, m));
    }
}

// ------------------------------------------------------ credential files

/// Whether a path names a credential file (`.env`, `~/.aws/credentials`,
/// private keys, ...). Templates (`.env.example`) and public keys are not.
pub fn is_credential_path(p: &str) -> bool {
    let p = p.trim_matches(|c| c == '"' || c == '\'');
    let l = p.replace('\\', "/").to_ascii_lowercase();
    let base = l.rsplit('/').next().unwrap_or(&l);
    if base.is_empty() {
        return false;
    }
    const TEMPLATE: &[&str] = &[
        ".example",
        ".sample",
        ".template",
        ".dist",
        ".defaults",
        ".schema",
        ".tmpl",
        ".md",
    ];
    if base == ".env"
        || base.starts_with(".env.")
        || (base.ends_with(".env") && base.len() > 4 && !base.starts_with("venv"))
    {
        return !TEMPLATE.iter().any(|t| base.ends_with(t)) && !base.contains("example");
    }
    if base.ends_with(".pub") {
        return false;
    }
    const NAMES: &[&str] = &[
        ".netrc",
        "_netrc",
        ".npmrc",
        ".pypirc",
        ".git-credentials",
        ".pgpass",
        ".my.cnf",
        ".vault-token",
        "credentials.json",
        "application_default_credentials.json",
        ".htpasswd",
        "id_rsa",
        "id_dsa",
        "id_ecdsa",
        "id_ed25519",
        "kubeconfig",
        ".boto",
        ".s3cfg",
        "client_secret.json",
        "service-account.json",
        "secrets.json",
        "terraform.tfstate",
    ];
    if NAMES.contains(&base) || base.starts_with("id_rsa") || base.starts_with("id_ed25519") {
        return true;
    }
    if l.ends_with(".aws/credentials")
        || l.ends_with(".kube/config")
        || l.ends_with(".docker/config.json")
        || l.ends_with("gh/hosts.yml")
        || l.ends_with(".azure/accesstokens.json")
        || l.contains("gcloud/credentials")
        || l.contains("gcloud/legacy_credentials")
        || l == "/etc/shadow"
        || l == "/etc/gshadow"
        || l.contains(".ssh/id_")
    {
        return true;
    }
    for ext in [".key", ".p12", ".pfx", ".jks", ".keystore", ".ppk", ".kdbx"] {
        if base.ends_with(ext) && base.len() > ext.len() {
            return true;
        }
    }
    if base.ends_with(".pem") {
        return !["cert", "chain", "ca-", "ca.", "bundle", "pub", "crt"]
            .iter()
            .any(|w| base.contains(w));
    }
    false
}

const READERS: &[&str] = &[
    "cat",
    "tac",
    "nl",
    "less",
    "more",
    "most",
    "head",
    "tail",
    "bat",
    "batcat",
    "strings",
    "od",
    "hexdump",
    "xxd",
    "base64",
    "base32",
    "basenc",
    "uuencode",
    "grep",
    "egrep",
    "fgrep",
    "rg",
    "ag",
    "awk",
    "gawk",
    "sed",
    "cut",
    "sort",
    "uniq",
    "jq",
    "yq",
    "diff",
    "zcat",
    "gzip",
    "bzip2",
    "xz",
    "tee",
    "paste",
    "column",
    "fold",
    "pr",
    "look",
    "openssl",
    "gpg",
    "zip",
    "tar",
    "nc",
    "ncat",
    "socat",
    "dd",
    "type",
    "Get-Content",
    "gc",
    "sh",
    "bash",
];

fn cred_read(c: &Cmd, out: &mut Vec<Hit>) {
    let name = c.name();
    let args = c.args();
    let mut found: Option<String> = None;
    if READERS.contains(&name) && !shell::is_shell(name) {
        found = args
            .iter()
            .map(|a| a.strip_prefix("if=").unwrap_or(a))
            .find(|a| !a.starts_with('-') && is_credential_path(a))
            .map(str::to_string);
    }
    if found.is_none() && matches!(name, "cp" | "scp" | "rsync" | "mv" | "install" | "ln") {
        let files: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
        if files.len() >= 2 {
            found = files[..files.len() - 1]
                .iter()
                .find(|a| is_credential_path(a.rsplit(':').next().unwrap_or(a)))
                .map(|s| s.to_string());
        }
    }
    if found.is_none() && matches!(name, "curl" | "wget" | "http" | "https") {
        let mut i = 0;
        while i < args.len() {
            let a = args[i].as_str();
            let val = |i: usize| args.get(i + 1).map(String::as_str).unwrap_or("");
            let cand: Option<String> = match a {
                "-T" | "--upload-file" => Some(val(i).to_string()),
                "-d" | "--data" | "--data-binary" | "--data-urlencode" | "--data-ascii"
                | "--json" => val(i)
                    .rsplit('@')
                    .next()
                    .filter(|_| val(i).contains('@'))
                    .map(str::to_string),
                "-F" | "--form" => val(i)
                    .split_once("=@")
                    .or_else(|| val(i).split_once("=<"))
                    .map(|x| x.1.split(';').next().unwrap_or("").to_string()),
                _ => {
                    if let Some(f) = a
                        .strip_prefix("--post-file=")
                        .or_else(|| a.strip_prefix("--body-file="))
                    {
                        Some(f.to_string())
                    } else if let Some(f) = a
                        .strip_prefix("--data-binary=@")
                        .or_else(|| a.strip_prefix("--data=@"))
                    {
                        Some(f.to_string())
                    } else {
                        a.strip_prefix("-d@")
                            .or_else(|| a.strip_prefix("-T"))
                            .map(|f| f.trim_start_matches('@').to_string())
                    }
                }
            };
            if let Some(f) = cand.filter(|f| is_credential_path(f)) {
                found = Some(f);
                break;
            }
            i += 1;
        }
    }
    if found.is_none() && !c.argv.is_empty() && name != "source" && name != "." {
        found = c
            .redirects
            .iter()
            .find(|r| (r.op == "<" || r.op == "<>") && is_credential_path(&r.target))
            .map(|r| r.target.clone());
    }
    if let Some(f) = found {
        out.push(hit(
            &CREDENTIAL_FILE_READ,
            c,
            format!("{name} exposes credential file {f}"),
        ));
    }
}

// ------------------------------------------------------- package from URL

fn url_like(a: &str) -> bool {
    let l = a.to_ascii_lowercase();
    l.starts_with("http://")
        || l.starts_with("https://")
        || l.starts_with("git+")
        || l.starts_with("git://")
        || l.starts_with("svn+")
        || l.starts_with("hg+")
        || l.starts_with("bzr+")
        || l.starts_with("github:")
        || l.starts_with("gitlab:")
        || l.starts_with("bitbucket:")
        || l.starts_with("gist:")
        || l.contains(" @ http")
        || l.contains("@git+")
        || l.contains("@https://")
}

fn package_url(ctx: &Ctx, c: &Cmd, out: &mut Vec<Hit>) {
    let name = c.name();
    let args = c.args();
    // python -m pip install ... / uv pip install ...
    let (tool, rest): (&str, &[String]) =
        if name.starts_with("python") && args.first().is_some_and(|a| a == "-m") {
            (
                args.get(1).map(String::as_str).unwrap_or(""),
                args.get(2..).unwrap_or(&[]),
            )
        } else if name == "uv" && args.first().is_some_and(|a| a == "pip") {
            ("pip", args.get(1..).unwrap_or(&[]))
        } else {
            (name, args)
        };
    let sub = rest
        .iter()
        .find(|a| !a.starts_with('-'))
        .map(String::as_str)
        .unwrap_or("");
    let pkgs: Vec<&String> = rest
        .iter()
        .filter(|a| !a.starts_with('-'))
        .skip(1)
        .collect();
    let is_pip = tool.starts_with("pip") || tool == "pipx";
    let is_npm = matches!(tool, "npm" | "pnpm" | "yarn" | "bun" | "cnpm");
    let installing = (is_pip && sub == "install")
        || (is_npm && matches!(sub, "install" | "i" | "add" | "isntall"))
        || (tool == "cargo" && sub == "install")
        || (tool == "gem" && sub == "install")
        || (tool == "go" && sub == "install");
    if !installing {
        // downloaded package files installed later
        let local_pkg = |a: &str| {
            let l = a.to_ascii_lowercase();
            [
                ".deb", ".rpm", ".pkg", ".whl", ".tgz", ".tar.gz", ".apk", ".msi",
            ]
            .iter()
            .any(|e| l.ends_with(e))
        };
        let installer = matches!(
            name,
            "dpkg" | "rpm" | "apt" | "apt-get" | "yum" | "dnf" | "installer" | "zypper" | "apk"
        );
        if installer && let Some(f) = args.iter().find(|a| local_pkg(a)) {
            let base = f.rsplit('/').next().unwrap_or(f);
            let downloaded = ctx.cmds[..ctx.i].iter().any(|p| {
                DOWNLOADERS.contains(&p.name())
                    && download_target(p).is_some_and(|t| t.ends_with(base))
            });
            if downloaded || url_like(f) {
                out.push(hit(
                    &PACKAGE_FROM_URL,
                    c,
                    format!("installs downloaded package {f}"),
                ));
            }
        }
        return;
    }
    let npm_shorthand = |a: &str| {
        is_npm
            && !a.starts_with('@')
            && !a.starts_with('.')
            && !a.starts_with('/')
            && a.matches('/').count() == 1
            && !a.contains(':')
            && a.split('/').all(|p| !p.is_empty())
    };
    let mut flagged = pkgs
        .iter()
        .find(|a| url_like(a) || npm_shorthand(a))
        .map(|a| a.to_string());
    if flagged.is_none() && tool == "cargo" {
        flagged = rest
            .iter()
            .position(|a| a == "--git")
            .and_then(|p| rest.get(p + 1))
            .cloned();
    }
    if flagged.is_none() && is_pip {
        // local archive downloaded earlier
        flagged = pkgs
            .iter()
            .find(|a| {
                let l = a.to_ascii_lowercase();
                (l.ends_with(".whl") || l.ends_with(".tar.gz") || l.ends_with(".zip"))
                    && ctx.cmds[..ctx.i]
                        .iter()
                        .any(|p| DOWNLOADERS.contains(&p.name()))
            })
            .map(|a| a.to_string());
    }
    if flagged.is_none() && is_npm {
        flagged = pkgs
            .iter()
            .find(|a| {
                a.ends_with(".tgz")
                    && ctx.cmds[..ctx.i]
                        .iter()
                        .any(|p| DOWNLOADERS.contains(&p.name()))
            })
            .map(|a| a.to_string());
    }
    if let Some(f) = flagged {
        out.push(hit(
            &PACKAGE_FROM_URL,
            c,
            format!("{tool} {sub} from {}", mask_word(&f, None)),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(cmd: &str) -> Vec<&'static str> {
        let s = Settings::default();
        let mut v: Vec<&str> = check(cmd, "", &s).iter().map(|h| h.rule.id).collect();
        v.sort();
        v.dedup();
        v
    }

    #[test]
    fn credential_paths() {
        for p in [
            ".env",
            "./.env.production",
            "~/.aws/credentials",
            "/home/u/.ssh/id_rsa",
            "server.key",
            "prod.env",
            ".git-credentials",
            "~/.kube/config",
        ] {
            assert!(is_credential_path(p), "{p}");
        }
        for p in [
            "README.md",
            ".env.example",
            "id_rsa.pub",
            ".envrc.md",
            "fullchain.pem",
            "environment.ts",
            "venv",
        ] {
            assert!(!is_credential_path(p), "{p}");
        }
    }

    #[test]
    fn world_writable_modes() {
        assert!(world_writable("777"));
        assert!(world_writable("0777"));
        assert!(world_writable("a+rwx"));
        assert!(world_writable("o+w"));
        assert!(!world_writable("755"));
        assert!(!world_writable("u+x"));
        assert!(!world_writable("+x"));
    }

    #[test]
    fn evidence_is_normalised_and_masked() {
        let tok = format!("ghp_{}", "x9Y".repeat(12));
        let s = crate::shell::parse(&format!("GITHUB_TOKEN={tok} /usr/bin/git push --force"));
        let e = evidence(&s.cmds[0]);
        assert!(e.contains("git push --force"), "{e}");
        assert!(!e.contains(&tok), "{e}");
    }

    #[test]
    fn smoke() {
        assert_eq!(ids("git push --force"), vec!["git-force-push"]);
        assert_eq!(ids("git push origin feature/x"), vec!["git-push-review"]);
        assert_eq!(
            ids("git push origin main"),
            vec!["git-push-protected-branch"]
        );
        assert!(ids("cat README.md").is_empty());
    }
}
