//! Protection of kiro-guard's own files against the agent it guards.
//!
//! The protected set is a list of paths (files and directories) resolved to
//! absolute paths: the repository's hook and agent settings, the guard's
//! configuration, baseline and audit log, git's hooks and config, the user's
//! git and agent settings, and the kiro-guard binary itself. A tool call or
//! shell command is checked by the paths it may *create, write, move, link or
//! delete*, never by substrings:
//!
//! * a write (redirection, `tee`, `cp` destination, `sed -i`, editors, ...)
//!   hits when its target is a protected path or lies inside one;
//! * a delete, move, link or recursive permission change hits also when its
//!   target is an *ancestor* of a protected path (`rm -rf .kiro`);
//! * targets are resolved against the command's `cd` state, lexically
//!   (`.kiro/x/../hooks`) and through symlinks, compared case-insensitively,
//!   globs are matched against the protected paths, and a file that shares an
//!   inode with a protected file (a hard link) is protected too;
//! * constructs whose targets cannot be known (code passed to an interpreter,
//!   `xargs`, an unresolved variable or command substitution as the target of
//!   a mutating utility) hit only when the command names a protected file or
//!   decodes its target (`base64 -d`, `xxd -r`, `rev`).
//!
//! Reads are never blocked: `cat .kiro-guard.toml > /tmp/x`, `cp` *from* a
//! guard file, `ls .kiro/hooks 2>/dev/null` and `git config --get` pass.

use kiro_guard_contract::shell::{COMMAND_ENV, GIT_COMMAND_KEYS};
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

/// Repository-relative guard paths; a trailing `/` marks a directory.
const REPO_PATHS: &[&str] = &[
    ".kiro/hooks/",
    ".kiro/agents/",
    ".kiro/settings/",
    ".kiro-guard.toml",
    ".kiro-guard/",
    ".kiro-guard-baseline.json",
    ".claude/settings.json",
    ".claude/settings.local.json",
    ".git/hooks/",
    ".git/config",
    ".git/info/attributes",
    ".git/kiro-guard/",
    ".husky/",
    ".pre-commit-config.yaml",
    "lefthook.yml",
    ".gitleaks.toml",
    ".gitleaksignore",
];

/// Paths under the user's home directory that decide whether hooks run.
const HOME_PATHS: &[&str] = &[
    ".gitconfig",
    ".config/git/",
    ".claude/settings.json",
    ".claude/settings.local.json",
    ".kiro/settings/",
    ".kiro/hooks/",
    ".kiro/agents/",
    ".config/kiro-guard/",
    ".cache/kiro-guard/",
];

/// Words whose mention makes an opaque construct (interpreter code, `xargs`,
/// an unresolved target) count as touching the guard.
const GUARD_NAMES: &[&str] = &[
    ".kiro",
    "kiro-guard",
    ".claude",
    ".git/hooks",
    ".git/config",
    "hookspath",
    ".husky",
    "lefthook",
    ".pre-commit-config",
    ".gitconfig",
    "gitleaks",
];

/// How a target is changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mutation {
    /// Content written or replaced: hits a protected path or one inside it.
    Write,
    /// Deleted, moved, linked over or recursively re-permissioned: also hits
    /// an ancestor of a protected path.
    Delete,
}

/// One protected path.
#[derive(Debug, Clone)]
struct Entry {
    /// Absolute, lexically normalised, lower-case for comparison.
    key: String,
    /// What to show (repository-relative or `~/...`).
    label: String,
    dir: bool,
    /// The path as written (for the file system; `key` is lower-cased).
    orig: PathBuf,
}

/// The protected set of one repository and user.
#[derive(Debug, Clone)]
pub struct GuardFiles {
    entries: Vec<Entry>,
    /// (device, inode) of protected files that exist, for hard links.
    #[cfg(unix)]
    inodes: Vec<((u64, u64), String)>,
    home: Option<PathBuf>,
    /// The repository root (for comparing protected files across commits).
    root: PathBuf,
}

/// Why a command or tool call was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// The protected path (label) or the construct that names one.
    pub path: String,
    /// What the command would do ("delete", "write", ...).
    pub what: &'static str,
}

fn lower(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/").to_ascii_lowercase()
}

/// Lexical normalisation: `.` dropped, `..` pops (never above the root).
pub fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The longest existing prefix canonicalised (symlinks resolved), with the
/// rest appended lexically.
fn resolve_fs(p: &Path) -> PathBuf {
    let mut existing = p.to_path_buf();
    let mut rest: Vec<std::ffi::OsString> = Vec::new();
    loop {
        if let Ok(c) = std::fs::canonicalize(&existing) {
            let mut out = c;
            for r in rest.iter().rev() {
                out.push(r);
            }
            return normalize(&out);
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => return normalize(p),
        }
    }
}

impl GuardFiles {
    /// The protected set for a repository root, plus `extra` paths (the
    /// configured baseline and audit directory, when set).
    pub fn new(root: &Path, extra: &[PathBuf]) -> GuardFiles {
        let root = resolve_fs(root);
        let home = std::env::var_os("HOME")
            .or_else(|| std::env::var_os("USERPROFILE"))
            .map(PathBuf::from)
            .filter(|h| h.is_absolute());
        let mut entries = Vec::new();
        let mut push = |abs: PathBuf, label: String, dir: bool| {
            for path in [normalize(&abs), resolve_fs(&abs)] {
                let key = lower(&path);
                if !entries.iter().any(|e: &Entry| e.key == key) {
                    entries.push(Entry {
                        key,
                        label: label.clone(),
                        dir,
                        orig: path,
                    });
                }
            }
        };
        for rel in REPO_PATHS {
            let dir = rel.ends_with('/');
            let rel = rel.trim_end_matches('/');
            push(root.join(rel), rel.to_string(), dir);
        }
        if let Some(h) = &home {
            for rel in HOME_PATHS {
                let dir = rel.ends_with('/');
                let rel = rel.trim_end_matches('/');
                push(h.join(rel), format!("~/{rel}"), dir);
            }
        }
        for p in extra {
            let abs = if p.is_absolute() {
                p.clone()
            } else {
                root.join(p)
            };
            let label = abs
                .strip_prefix(&root)
                .map(|r| r.to_string_lossy().into_owned())
                .unwrap_or_else(|_| abs.to_string_lossy().into_owned());
            push(abs.clone(), label, abs.is_dir());
        }
        if let Ok(exe) = std::env::current_exe() {
            push(exe.clone(), exe.to_string_lossy().into_owned(), false);
        }
        #[cfg_attr(not(unix), allow(unused_mut))]
        let mut g = GuardFiles {
            entries,
            #[cfg(unix)]
            inodes: Vec::new(),
            home,
            root: root.clone(),
        };
        #[cfg(unix)]
        g.collect_inodes();
        g
    }

    #[cfg(unix)]
    fn collect_inodes(&mut self) {
        use std::os::unix::fs::MetadataExt;
        let mut budget = 2000usize;
        let mut stack: Vec<(PathBuf, String)> = self
            .entries
            .iter()
            .map(|e| (e.orig.clone(), e.label.clone()))
            .collect();
        // Keys are lower-cased; use them only where they exist as written.
        while let Some((p, label)) = stack.pop() {
            if budget == 0 {
                break;
            }
            budget -= 1;
            let Ok(m) = std::fs::symlink_metadata(&p) else {
                continue;
            };
            if m.is_file() {
                self.inodes.push(((m.dev(), m.ino()), label));
            } else if m.is_dir()
                && let Ok(rd) = std::fs::read_dir(&p)
            {
                for e in rd.flatten().take(200) {
                    stack.push((e.path(), label.clone()));
                }
            }
        }
    }

    /// Whether an absolute path is protected under a mutation kind; returns
    /// the protected path's label.
    pub fn hit(&self, abs: &Path, how: Mutation) -> Option<String> {
        let mut keys = vec![lower(&normalize(abs)), lower(&resolve_fs(abs))];
        keys.dedup();
        for key in &keys {
            for e in &self.entries {
                if *key == e.key || (e.dir && key.starts_with(&format!("{}/", e.key))) {
                    return Some(e.label.clone());
                }
                // A file entry's own sub-path (`.git/config/x`) cannot exist.
                if how == Mutation::Delete && (e.key.starts_with(&format!("{key}/")) || key == "/")
                {
                    return Some(e.label.clone());
                }
            }
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            if let Ok(m) = std::fs::metadata(abs)
                && m.is_file()
                && let Some((_, label)) =
                    self.inodes.iter().find(|(id, _)| *id == (m.dev(), m.ino()))
            {
                return Some(label.clone());
            }
        }
        None
    }

    /// Whether a glob (absolute pattern) can match a protected path, one of
    /// its ancestors (for deletes) or a file inside a protected directory.
    fn glob_hit(&self, pattern: &str, how: Mutation) -> Option<String> {
        let glob = globset::GlobBuilder::new(&pattern.to_ascii_lowercase())
            .literal_separator(true)
            .backslash_escape(true)
            .build()
            .ok()?
            .compile_matcher();
        for e in &self.entries {
            let p = Path::new(&e.key);
            if glob.is_match(p) {
                return Some(e.label.clone());
            }
            if how == Mutation::Delete && p.ancestors().skip(1).any(|a| glob.is_match(a)) {
                return Some(e.label.clone());
            }
            if e.dir
                && let Ok(rd) = std::fs::read_dir(&e.orig)
            {
                for f in rd.flatten().take(500) {
                    if glob.is_match(Path::new(&lower(&f.path()))) {
                        return Some(e.label.clone());
                    }
                }
            }
            // A pattern for a file inside a protected directory that does not
            // exist yet (`.kiro/hook?/new.json`).
            if e.dir
                && let Some(parent) = Path::new(pattern).parent()
                && globset::Glob::new(&parent.to_string_lossy().to_ascii_lowercase())
                    .map(|g| g.compile_matcher().is_match(p))
                    .unwrap_or(false)
            {
                return Some(e.label.clone());
            }
        }
        None
    }

    /// Check a path as a tool or command names it, relative to `cwd`.
    pub fn check_path(&self, cwd: &Path, raw: &str, how: Mutation) -> Option<String> {
        let expanded = self.expand_tilde(raw)?;
        let p = Path::new(&expanded);
        let abs = if p.is_absolute() {
            p.to_path_buf()
        } else {
            cwd.join(p)
        };
        if has_glob(&expanded) {
            return self.glob_hit(&abs.to_string_lossy(), how);
        }
        self.hit(&abs, how)
    }

    fn expand_tilde(&self, raw: &str) -> Option<String> {
        if raw == "~" || raw.starts_with("~/") {
            return match &self.home {
                Some(h) => Some(format!("{}{}", h.display(), &raw[1..])),
                None => Some(raw.to_string()),
            };
        }
        Some(raw.to_string())
    }

    /// Every protected path a tool call (other than a shell) may mutate.
    pub fn check_tool(&self, cwd: &Path, tool: &str, input: &Value) -> Vec<Hit> {
        if tool_is_read_only(tool) {
            return Vec::new();
        }
        let mut out = Vec::new();
        let mut paths = Vec::new();
        collect_paths(input, 0, &mut paths);
        for p in paths {
            if let Some(label) = self.check_path(cwd, &p, Mutation::Delete) {
                out.push(Hit {
                    path: label,
                    what: "modify",
                });
            }
        }
        out.dedup();
        out
    }

    /// Every protected path a shell command may mutate.
    pub fn check_command(&self, cwd: &Path, cmd: &str) -> Vec<Hit> {
        let mut st = ShellState {
            cwd: Some(cwd.to_path_buf()),
            vars: HashMap::new(),
            depth: 0,
            line_mentions_guard: mentions_guard(cmd),
            stdin: Stdin::Unknown,
            lists: HashMap::new(),
        };
        let mut hits = Vec::new();
        self.command_inner(&mut st, cmd, &mut hits);
        hits.dedup();
        hits
    }

    fn command_inner(&self, st: &mut ShellState, cmd: &str, hits: &mut Vec<Hit>) {
        if st.depth > 8 {
            if mentions_guard(cmd) {
                hits.push(Hit {
                    path: "<nested command>".into(),
                    what: "modify",
                });
            }
            return;
        }
        st.depth += 1;
        let lexed = lex(cmd);
        for sub in &lexed.substitutions {
            // `$(...)` and backticks run too.
            let mut inner = st.clone();
            self.command_inner(&mut inner, sub, hits);
        }
        for simple in &lexed.commands {
            self.simple(st, simple, hits);
        }
        st.depth -= 1;
    }

    fn target(&self, st: &ShellState, w: &Word, how: Mutation, what: &'static str) -> Option<Hit> {
        // A loop variable stands for each of its words.
        if let [Part::Var(name)] = w.parts.as_slice()
            && let Some(items) = st.lists.get(name)
        {
            return items.iter().find_map(|item| {
                self.target(st, &Word::literal(item.clone()), how, what)
                    .or_else(|| {
                        mentions_guard(item).then(|| Hit {
                            path: item.clone(),
                            what,
                        })
                    })
            });
        }
        let value = st.expand(w);
        match value {
            Some(v) => {
                if v.is_empty()
                    || v == "/dev/null"
                    || v.starts_with("/dev/std")
                    || v.starts_with("/dev/fd")
                {
                    return None;
                }
                let cwd = match &st.cwd {
                    Some(c) => c.clone(),
                    None if Path::new(&v).is_absolute() || v.starts_with('~') => PathBuf::new(),
                    // After an unknown `cd`, a relative target is unknown.
                    None => {
                        return mentions_guard(&v).then(|| Hit {
                            path: v.clone(),
                            what,
                        });
                    }
                };
                self.check_path(&cwd, &v, how)
                    .map(|path| Hit { path, what })
            }
            None => {
                // Unresolved (a variable read from input, a command's
                // output): block when the word or the command line names a
                // guard file, or the word is decoded at run time.
                (mentions_guard(&w.raw) || decodes(&w.raw) || st.line_mentions_guard).then(|| Hit {
                    path: w.raw.clone(),
                    what,
                })
            }
        }
    }

    fn simple(&self, st: &mut ShellState, sc: &SimpleCommand, hits: &mut Vec<Hit>) {
        for r in &sc.redirects {
            if let Some(h) = self.target(st, r, Mutation::Write, "write") {
                hits.push(h);
            }
        }
        let mut words: Vec<&Word> = sc.words.iter().collect();
        // Leading assignments: a bare assignment sets a shell variable.
        let mut i = 0;
        while i < words.len() && is_assignment(&words[i].raw) {
            i += 1;
        }
        if i == words.len() {
            for w in &words {
                if let Some((k, _)) = w.raw.split_once('=') {
                    let value = w.value_after_eq().and_then(|wv| st.expand(&wv));
                    st.vars.insert(k.to_string(), value);
                }
            }
            return;
        }
        // Assignments on a command (`GIT_CONFIG_GLOBAL=x git ...`).
        let env: Vec<String> = words[..i].iter().map(|w| w.raw.clone()).collect();
        if env.iter().any(|e| {
            let k = e.split('=').next().unwrap_or("").to_ascii_uppercase();
            k.starts_with("GIT_CONFIG") || k == "GIT_DIR" || k == "GIT_WORK_TREE"
        }) && env
            .iter()
            .any(|e| mentions_guard(e) || e.to_ascii_lowercase().contains("hookspath"))
        {
            hits.push(Hit {
                path: "git configuration".into(),
                what: "override",
            });
        }
        for w in &words[..i] {
            if let Some((k, _)) = w.raw.split_once('=')
                && COMMAND_ENV.contains(&k.to_ascii_uppercase().as_str())
                && let Some(value) = w.value_after_eq().and_then(|wv| st.expand(&wv))
            {
                let mut inner = st.clone();
                inner.line_mentions_guard = mentions_guard(&value);
                self.command_inner(&mut inner, &value, hits);
            }
        }
        words.drain(..i);
        // `for NAME in WORDS` / `select NAME in WORDS`: the loop variable
        // takes each word (globs kept, matched when used as a target).
        if words
            .first()
            .is_some_and(|w| w.raw == "for" || w.raw == "select")
        {
            if let Some(name) = words.get(1) {
                let items: Vec<String> = words
                    .iter()
                    .skip_while(|w| w.raw != "in")
                    .skip(1)
                    .map(|w| st.expand(w).unwrap_or_else(|| w.raw.clone()))
                    .collect();
                st.vars.insert(name.raw.clone(), None);
                st.lists.insert(name.raw.clone(), items);
            }
            return;
        }
        // `read NAME...` sets variables to unknown input.
        if words.first().is_some_and(|w| w.raw == "read") {
            for w in &words[1..] {
                if !w.raw.starts_with('-') {
                    st.vars.insert(w.raw.clone(), None);
                }
            }
            return;
        }
        if let Some(first) = words.first() {
            let from_var = first
                .parts
                .iter()
                .any(|p| matches!(p, Part::Var(_) | Part::Subst));
            match st.expand(first) {
                // `RM='rm -rf'; $RM .kiro`: the variable holds the command.
                Some(v) if from_var && v.contains(char::is_whitespace) => {
                    let rest: Vec<String> = words[1..].iter().map(|w| w.raw.clone()).collect();
                    let line = format!("{v} {}", rest.join(" "));
                    if st.depth < 8 {
                        self.command_inner(st, &line, hits);
                    }
                    return;
                }
                // The command itself is unknown (`$(echo rm) -rf .kiro`).
                None if words[1..].iter().any(|w| mentions_guard(&w.raw)) => {
                    hits.push(Hit {
                        path: first.raw.clone(),
                        what: "modify",
                    });
                    return;
                }
                _ => {}
            }
        }
        st.stdin = sc.stdin.clone();
        self.dispatch(st, &words, hits);
        st.stdin = Stdin::Unknown;
    }

    fn dispatch(&self, st: &mut ShellState, words: &[&Word], hits: &mut Vec<Hit>) {
        let Some(first) = words.first() else {
            return;
        };
        let name_full = st.expand(first).unwrap_or_else(|| first.raw.clone());
        let name = name_full
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let name = name.trim_end_matches(".exe");
        let args = &words[1..];
        let vals: Vec<Option<String>> = args.iter().map(|w| st.expand(w)).collect();
        let arg = |k: usize| vals.get(k).cloned().flatten().unwrap_or_default();
        let operands = |skip_values: &[&str]| -> Vec<&Word> {
            let mut out = Vec::new();
            let mut k = 0;
            let mut end_opts = false;
            while k < args.len() {
                let v = vals[k].clone().unwrap_or_else(|| args[k].raw.clone());
                if !end_opts && v == "--" {
                    end_opts = true;
                } else if !end_opts && v.starts_with('-') && v.len() > 1 {
                    if skip_values.contains(&v.as_str()) {
                        k += 1;
                    }
                } else {
                    out.push(args[k]);
                }
                k += 1;
            }
            out
        };
        let push_all = |st: &ShellState,
                        ws: &[&Word],
                        how: Mutation,
                        what: &'static str,
                        hits: &mut Vec<Hit>| {
            for w in ws {
                if let Some(h) = self.target(st, w, how, what) {
                    hits.push(h);
                }
            }
        };
        match name {
            // Wrappers: analyse the wrapped command.
            "sudo" | "doas" | "nice" | "nohup" | "time" | "command" | "builtin" | "exec"
            | "stdbuf" | "ionice" | "unbuffer" | "caffeinate" | "busybox" | "env" | "timeout"
            | "watch" | "chronic" | "setsid" | "torsocks" | "proxychains" | "firejail" => {
                let mut k = 0;
                while k < args.len() {
                    let v = vals[k].clone().unwrap_or_default();
                    let takes_value = matches!(
                        (name, v.as_str()),
                        (
                            "sudo",
                            "-u" | "-g" | "-C" | "-D" | "-h" | "-p" | "-U" | "-r" | "-t"
                        ) | ("nice", "-n")
                            | ("ionice", "-c" | "-n")
                            | ("env", "-u" | "-C" | "-S")
                            | ("watch", "-n" | "-d")
                            | ("timeout", "-s" | "-k" | "--signal" | "--kill-after")
                    );
                    if v.starts_with('-') {
                        if name == "env" && (v == "-S" || v.starts_with("--split-string")) {
                            let s = if v == "-S" {
                                arg(k + 1)
                            } else {
                                v.split_once('=')
                                    .map(|x| x.1.to_string())
                                    .unwrap_or_default()
                            };
                            let mut inner = st.clone();
                            self.command_inner(&mut inner, &s, hits);
                            return;
                        }
                        k += if takes_value { 2 } else { 1 };
                    } else if (name == "env" && is_assignment(&v))
                        || (name == "timeout" && k == first_non_option(&vals))
                    {
                        k += 1;
                    } else {
                        break;
                    }
                }
                if name == "watch" && args.len() > k {
                    // watch runs its arguments through `sh -c`.
                    let joined: Vec<String> = vals[k..]
                        .iter()
                        .map(|v| v.clone().unwrap_or_default())
                        .collect();
                    let mut inner = st.clone();
                    self.command_inner(&mut inner, &joined.join(" "), hits);
                    return;
                }
                if k < args.len() {
                    self.dispatch(st, &args[k..], hits);
                }
            }
            // Wrappers whose options may take values this analysis does not
            // know: the wrapped command is looked for at every word.
            "unshare" | "chroot" | "nsenter" | "systemd-run" | "runuser" | "sg" | "taskset"
            | "chrt" | "numactl" | "cgexec" | "strace" | "ltrace" | "valgrind" | "fakeroot"
            | "proot" | "bwrap" | "firejail-run" | "prlimit" | "catchsegv" | "faketime" | "tsp"
            | "pv" | "retry" | "until-success" | "lldb" | "gdb" => {
                for k in 0..args.len() {
                    if !vals[k].as_deref().unwrap_or("-").starts_with('-') {
                        self.dispatch(st, &args[k..], hits);
                    }
                }
            }
            "sort" | "sponge" | "uniq" | "iconv" | "dos2unix" | "unix2dos" | "mac2unix" | "yq"
            | "curl" | "wget" => {
                let out_opt: &[&str] = match name {
                    "sort" | "iconv" => &["-o", "--output"],
                    "curl" => &["-o", "--output"],
                    "wget" => &["-O", "--output-document"],
                    _ => &[],
                };
                for (k, v) in vals.iter().enumerate() {
                    let Some(v) = v else { continue };
                    if out_opt.contains(&v.as_str()) {
                        push_all(
                            st,
                            &args[k + 1..(k + 2).min(args.len())],
                            Mutation::Write,
                            "write",
                            hits,
                        );
                    } else if let Some((o, val)) = v.split_once('=')
                        && out_opt.contains(&o)
                    {
                        push_all(
                            st,
                            &[&Word::literal(val.to_string())],
                            Mutation::Write,
                            "write",
                            hits,
                        );
                    }
                }
                let ops = operands(&[]);
                match name {
                    "sponge" | "dos2unix" | "unix2dos" | "mac2unix" => {
                        push_all(st, &ops, Mutation::Write, "write", hits)
                    }
                    "uniq" if ops.len() > 1 => {
                        push_all(st, &ops[1..2], Mutation::Write, "write", hits)
                    }
                    "yq" if vals.iter().flatten().any(|v| {
                        v == "-i"
                            || v == "--inplace"
                            || (v.starts_with('-') && !v.starts_with("--") && v.contains('i'))
                    }) =>
                    {
                        push_all(st, &ops[1.min(ops.len())..], Mutation::Write, "edit", hits)
                    }
                    _ => {}
                }
            }
            // Compressors replace the file with the compressed one unless
            // told to keep it or write to standard output.
            "gzip" | "gunzip" | "bzip2" | "bunzip2" | "xz" | "unxz" | "lzma" | "lz4" | "zstd"
            | "unzstd" | "compress" | "pigz" => {
                let keeps = vals.iter().flatten().any(|v| {
                    matches!(
                        v.as_str(),
                        "-c" | "--stdout"
                            | "--to-stdout"
                            | "-k"
                            | "--keep"
                            | "-l"
                            | "--list"
                            | "-t"
                            | "--test"
                    ) || (v.starts_with('-')
                        && !v.starts_with("--")
                        && (v.contains('c') || v.contains('k')))
                });
                let removes = !matches!(name, "zstd" | "unzstd" | "lz4")
                    || vals.iter().flatten().any(|v| v == "--rm");
                if removes && !keeps {
                    push_all(
                        st,
                        &operands(&["-S", "--suffix", "-b", "-T", "-o"]),
                        Mutation::Delete,
                        "replace",
                        hits,
                    );
                }
            }
            // `cmake -E rm|remove|remove_directory|rename|copy|touch|... ARGS`.
            "cmake" => {
                if let Some(p) = vals.iter().position(|v| v.as_deref() == Some("-E")) {
                    let sub = arg(p + 1);
                    let ops: Vec<&Word> = args[(p + 2).min(args.len())..]
                        .iter()
                        .zip(&vals[(p + 2).min(vals.len())..])
                        .filter(|(_, v)| !v.as_deref().unwrap_or("").starts_with('-'))
                        .map(|(w, _)| *w)
                        .collect();
                    match sub.as_str() {
                        "rm" | "remove" | "remove_directory" | "rename" => {
                            push_all(st, &ops, Mutation::Delete, "delete", hits)
                        }
                        "copy" | "copy_if_different" | "copy_directory" | "touch"
                        | "touch_nocreate" | "create_symlink" | "create_hardlink" | "tar"
                        | "make_directory" => push_all(
                            st,
                            &ops[ops.len().saturating_sub(1)..],
                            Mutation::Delete,
                            "write",
                            hits,
                        ),
                        _ => {}
                    }
                }
            }
            // `make --eval 'x:;CMD' x`: the recipe is a shell command.
            "make" | "gmake" => {
                for (k, v) in vals.iter().enumerate() {
                    let text = match v.as_deref() {
                        Some("-E" | "--eval") => arg(k + 1),
                        Some(x) if x.starts_with("--eval=") => x["--eval=".len()..].to_string(),
                        _ => continue,
                    };
                    if let Some((_, recipe)) = text.split_once(';') {
                        let mut inner = st.clone();
                        inner.line_mentions_guard = mentions_guard(recipe);
                        self.command_inner(&mut inner, recipe, hits);
                    } else if mentions_guard(&text) {
                        hits.push(Hit {
                            path: "<make --eval>".into(),
                            what: "modify",
                        });
                    }
                }
            }
            "flock" => {
                // flock [opts] file command... | flock [opts] file -c cmd
                let ops = operands(&["-w", "--timeout", "-E", "--conflict-exit-code"]);
                if let Some(pos) = args.iter().position(|w| w.raw == "-c") {
                    let mut inner = st.clone();
                    self.command_inner(&mut inner, &arg(pos + 1), hits);
                } else if ops.len() > 1 {
                    let start = args
                        .iter()
                        .position(|w| std::ptr::eq(*w, ops[1]))
                        .unwrap_or(args.len());
                    self.dispatch(st, &args[start..], hits);
                }
            }
            "xargs" | "parallel" => {
                // The input decides the targets: block a mutating utility
                // when the whole pipeline names a guard file.
                let rest: Vec<String> =
                    vals.iter().map(|v| v.clone().unwrap_or_default()).collect();
                let joined = rest.join(" ");
                if MUTATORS.iter().any(|m| rest.iter().any(|r| r == m)) && st.line_mentions_guard {
                    hits.push(Hit {
                        path: joined,
                        what: "modify",
                    });
                }
            }
            "sh" | "bash" | "zsh" | "dash" | "ksh" | "ash" | "fish" | "eval" | "script" | "su" => {
                let code = if name == "eval" {
                    Some(
                        vals.iter()
                            .map(|v| v.clone().unwrap_or_default())
                            .collect::<Vec<_>>()
                            .join(" "),
                    )
                } else {
                    args.iter()
                        .position(|w| {
                            let r = w.raw.trim_matches(['\'', '"']);
                            r == "-c"
                                || r == "-qc"
                                || r == "--command"
                                || (r.starts_with('-') && !r.starts_with("--") && r.ends_with('c'))
                        })
                        .map(|p| arg(p + 1))
                };
                if let Some(code) = code {
                    let mut inner = st.clone();
                    inner.line_mentions_guard = mentions_guard(&code);
                    self.command_inner(&mut inner, &code, hits);
                } else if name != "script" && name != "su" {
                    // No `-c` and no script file (or `-s`, `-`, `/dev/stdin`):
                    // the shell runs its standard input.
                    let script = operands(&["-o", "+o", "-O", "+O"]);
                    let from_stdin = vals.iter().flatten().any(|v| v == "-s")
                        || script.first().is_none_or(|w| {
                            st.expand(w)
                                .is_some_and(|v| v == "-" || v.starts_with("/dev/stdin"))
                        });
                    if from_stdin {
                        self.stdin_code(st, hits);
                    }
                }
            }
            // `. FILE` / `source FILE` from standard input or a process
            // substitution; `at`/`batch` run their standard input later.
            "." | "source" | "at" | "batch" => {
                let ops = operands(&["-f", "-q", "-t"]);
                let from_stdin = match name {
                    "." | "source" => ops.first().is_none_or(|w| {
                        st.expand(w).is_none_or(|v| {
                            v == "-" || v.starts_with("/dev/stdin") || v.starts_with("/dev/fd")
                        })
                    }),
                    _ => !vals.iter().flatten().any(|v| v == "-f"),
                };
                if from_stdin {
                    self.stdin_code(st, hits);
                }
            }
            "cd" | "pushd" | "chdir" | "set-location" | "sl" => {
                let target = operands(&[]).first().map(|w| st.expand(w));
                st.cwd = match (target, &st.cwd) {
                    (None, _) => self.home.clone(),
                    (Some(Some(t)), _) if t == "-" => None,
                    (Some(Some(t)), Some(c)) => {
                        let t = self.expand_tilde(&t).unwrap_or(t);
                        Some(normalize(&c.join(t)))
                    }
                    (Some(Some(t)), None) if Path::new(&t).is_absolute() => Some(PathBuf::from(t)),
                    _ => None,
                }
                // A `cd` to a directory that does not exist fails and the
                // shell goes on where it was (`cd nowhere; rm -rf .kiro`);
                // one made earlier in the command may exist by then. Either
                // way the directory is not known: relative paths that name
                // a guard file count.
                .filter(|d| d.is_dir());
            }
            "rm" | "rmdir" | "unlink" | "shred" | "srm" | "trash" | "trash-put" | "gio" => {
                push_all(st, &operands(&[]), Mutation::Delete, "delete", hits);
            }
            "mv" | "rename" => {
                let ops = operands(&["-t", "--target-directory", "-S", "--suffix"]);
                push_all(st, &ops, Mutation::Delete, "move", hits);
                if let Some(p) = args.iter().position(|w| w.raw == "-t") {
                    push_all(
                        st,
                        &args[p + 1..p + 2.min(args.len() - p)],
                        Mutation::Delete,
                        "move",
                        hits,
                    );
                }
            }
            "cp" | "install" | "rsync" | "scp" | "ditto" => {
                let ops = operands(&[
                    "-t",
                    "--target-directory",
                    "-S",
                    "--suffix",
                    "-m",
                    "--mode",
                    "-o",
                    "--owner",
                    "-g",
                    "--group",
                    "-e",
                    "--rsh",
                    "-P",
                    "-i",
                    "-F",
                    "-l",
                    "-o",
                ]);
                let deleting = vals
                    .iter()
                    .flatten()
                    .any(|v| v.starts_with("--delete") || v == "--remove-source-files");
                if let Some(t) = args
                    .iter()
                    .position(|w| w.raw == "-t" || w.raw.starts_with("--target-directory"))
                {
                    if let Some(w) = args.get(t + 1) {
                        push_all(st, &[w], Mutation::Delete, "overwrite", hits);
                    }
                } else if let Some((dest, srcs)) = ops.split_last() {
                    let how = if deleting {
                        Mutation::Delete
                    } else {
                        Mutation::Write
                    };
                    // `rsync SRC/ DEST` copies SRC's contents into DEST, and a
                    // recursive `cp SRC/. DEST` does too: the whole of DEST may
                    // change.
                    let contents = srcs.iter().any(|w| {
                        st.expand(w).is_some_and(|v| {
                            (name == "rsync" && v.ends_with('/')) || v.ends_with("/.")
                        })
                    });
                    let how = if contents { Mutation::Delete } else { how };
                    push_all(st, &[dest], how, "overwrite", hits);
                    // Into an existing directory: dest/basename(src).
                    if let Some(d) = st.expand(dest) {
                        for s in srcs {
                            if let Some(sv) = st.expand(s) {
                                let base = sv
                                    .trim_end_matches('/')
                                    .rsplit('/')
                                    .next()
                                    .unwrap_or("")
                                    .to_string();
                                if !base.is_empty() {
                                    let w = Word::literal(format!(
                                        "{}/{base}",
                                        d.trim_end_matches('/')
                                    ));
                                    push_all(st, &[&w], Mutation::Delete, "overwrite", hits);
                                }
                            }
                        }
                    }
                    if vals.iter().flatten().any(|v| v == "--remove-source-files") {
                        push_all(st, srcs, Mutation::Delete, "move", hits);
                    }
                }
            }
            "ln" | "link" => {
                let ops = operands(&["-t", "--target-directory", "-S", "--suffix"]);
                let symbolic = vals.iter().flatten().any(|v| {
                    v == "--symbolic"
                        || (v.starts_with('-') && !v.starts_with("--") && v.contains('s'))
                });
                if let Some((dest, srcs)) = ops.split_last() {
                    if ops.len() == 1 {
                        // `ln target` links into the current directory.
                        if !symbolic {
                            push_all(st, &[dest], Mutation::Write, "hard-link", hits);
                        }
                    } else {
                        push_all(st, &[dest], Mutation::Delete, "replace", hits);
                        if let Some(d) = st.expand(dest) {
                            for s in srcs {
                                if let Some(sv) = st.expand(s) {
                                    let base = sv
                                        .trim_end_matches('/')
                                        .rsplit('/')
                                        .next()
                                        .unwrap_or("")
                                        .to_string();
                                    let w = Word::literal(format!(
                                        "{}/{base}",
                                        d.trim_end_matches('/')
                                    ));
                                    push_all(st, &[&w], Mutation::Delete, "replace", hits);
                                }
                            }
                        }
                        if !symbolic {
                            push_all(st, srcs, Mutation::Write, "hard-link", hits);
                        }
                    }
                }
            }
            "touch" | "truncate" | "tee" | "mkfifo" | "mknod" | "setfattr" => {
                push_all(
                    st,
                    &operands(&[
                        "-s",
                        "--size",
                        "-r",
                        "--reference",
                        "-d",
                        "--date",
                        "-t",
                        "-m",
                    ]),
                    Mutation::Write,
                    "write",
                    hits,
                );
            }
            "mkdir" => {
                push_all(
                    st,
                    &operands(&["-m", "--mode"]),
                    Mutation::Write,
                    "create",
                    hits,
                );
            }
            "chmod" | "chown" | "chgrp" | "chattr" | "setfacl" | "chflags" | "icacls"
            | "attrib" | "takeown" => {
                let recursive = vals.iter().flatten().any(|v| {
                    v == "-R"
                        || v == "--recursive"
                        || v.eq_ignore_ascii_case("/t")
                        || v.eq_ignore_ascii_case("/s")
                });
                let how = if recursive {
                    Mutation::Delete
                } else {
                    Mutation::Write
                };
                if name == "chmod" || name == "chattr" {
                    // The mode may look like an option (`-x`, `+i`).
                    let is_mode = |v: &str| {
                        v.chars().all(|c| c.is_ascii_digit())
                            || (v.contains(['+', '-', '='])
                                && v.chars().all(|c| "ugoaAcdeijstTuxXrw+-=,".contains(c)))
                    };
                    let mut mode_seen = false;
                    let targets: Vec<&Word> = args
                        .iter()
                        .zip(&vals)
                        .filter(|(_, v)| {
                            let v = v.as_deref().unwrap_or("");
                            if matches!(
                                v,
                                "-R" | "-f"
                                    | "-v"
                                    | "-c"
                                    | "-h"
                                    | "-H"
                                    | "-L"
                                    | "-P"
                                    | "--recursive"
                                    | "--verbose"
                                    | "--silent"
                                    | "--quiet"
                                    | "--changes"
                                    | "--no-dereference"
                            ) || v.starts_with("--reference")
                            {
                                return false;
                            }
                            if !mode_seen && is_mode(v) {
                                mode_seen = true;
                                return false;
                            }
                            true
                        })
                        .map(|(w, _)| *w)
                        .collect();
                    push_all(st, &targets, how, "change permissions of", hits);
                } else {
                    let ops = operands(&["--reference"]);
                    // The first operand of chown/chgrp is the owner.
                    push_all(
                        st,
                        &ops[1.min(ops.len())..],
                        how,
                        "change permissions of",
                        hits,
                    );
                }
            }
            "dd" => {
                for (k, v) in vals.iter().enumerate() {
                    if let Some(v) = v
                        && let Some(of) = v.strip_prefix("of=")
                    {
                        let w = Word::literal(of.to_string());
                        let _ = k;
                        push_all(st, &[&w], Mutation::Write, "write", hits);
                    }
                }
            }
            "sed" | "gsed" | "perl" | "ruby" | "awk" | "gawk" => {
                let in_place = vals.iter().flatten().any(|v| {
                    v == "--in-place"
                        || v.starts_with("--in-place=")
                        || v == "inplace"
                        || (v.starts_with('-')
                            && !v.starts_with("--")
                            && v[1..].contains('i')
                            && !v.contains(' '))
                });
                let inline_code = matches!(name, "perl" | "ruby")
                    && vals
                        .iter()
                        .flatten()
                        .any(|v| v.starts_with('-') && !v.starts_with("--") && v.contains('e'));
                // The program text itself (`awk 'BEGIN{system("rm ...")}'`,
                // `sed 'w FILE'`, `sed e`): a hit when it names a guard file,
                // also through concatenated string pieces.
                let program = match name {
                    "awk" | "gawk" | "sed" | "gsed" => {
                        let script_opts: Vec<String> = vals
                            .iter()
                            .enumerate()
                            .filter(|(_, v)| {
                                matches!(v.as_deref(), Some("-e" | "--expression" | "--source"))
                            })
                            .map(|(k, _)| arg(k + 1))
                            .collect();
                        if script_opts.is_empty() {
                            operands(&["-f", "-v", "-F", "--file", "-l", "-s", "-E", "-i"])
                                .first()
                                .map(|w| st.expand(w).unwrap_or_else(|| w.raw.clone()))
                                .unwrap_or_default()
                        } else {
                            script_opts.join("\n")
                        }
                    }
                    _ => String::new(),
                };
                if mentions_guard(&fold_concat(&program)) {
                    hits.push(Hit {
                        path: "<inline code>".into(),
                        what: "modify",
                    });
                }
                if inline_code
                    && (st.line_mentions_guard_text(args)
                        || args.iter().any(|w| {
                            let code = fold_concat(&st.expand(w).unwrap_or_else(|| w.raw.clone()));
                            mentions_guard(&code) || opaque_code(&code)
                        }))
                {
                    hits.push(Hit {
                        path: "<inline code>".into(),
                        what: "modify",
                    });
                }
                if in_place {
                    // Operands after the script: every file is rewritten.
                    let ops = operands(&[
                        "-e",
                        "--expression",
                        "-f",
                        "--file",
                        "-l",
                        "--line-length",
                        "-s",
                        "-E",
                    ]);
                    let has_script_opt = vals.iter().flatten().any(|v| {
                        v == "-e"
                            || v == "-f"
                            || v.starts_with("--expression")
                            || v.contains('e') && v.starts_with('-') && !v.starts_with("--")
                    });
                    let files = if has_script_opt || ops.is_empty() {
                        &ops[..]
                    } else {
                        &ops[1..]
                    };
                    push_all(st, files, Mutation::Write, "edit", hits);
                }
            }
            "vi" | "vim" | "nvim" | "ex" | "ed" | "emacs" | "nano" | "joe" | "micro" | "kak"
            | "code" => {
                push_all(
                    st,
                    &operands(&["-c", "--cmd", "-S", "-u", "-i", "--eval", "-l", "--load"]),
                    Mutation::Write,
                    "edit",
                    hits,
                );
            }
            "python" | "python3" | "python2" | "node" | "nodejs" | "deno" | "bun" | "php"
            | "lua" | "tclsh" | "osascript" | "pwsh" | "powershell" | "powershell.exe" | "cmd"
            | "rscript" | "julia" | "groovy" | "jshell" => {
                // Inline code is opaque: block when it names a guard file.
                let text: Vec<String> =
                    vals.iter().map(|v| v.clone().unwrap_or_default()).collect();
                // `python -m zipfile -e ARCHIVE [DIR]` / `-m tarfile -e`.
                if let Some(m) = text.iter().position(|t| t == "-m")
                    && matches!(
                        text.get(m + 1).map(String::as_str),
                        Some("zipfile" | "tarfile")
                    )
                    && let Some(e) = text[m + 2..]
                        .iter()
                        .position(|t| t == "-e" || t == "--extract")
                {
                    let dest = text
                        .get(m + 2 + e + 2)
                        .cloned()
                        .unwrap_or_else(|| ".".into());
                    if let Some(h) =
                        self.target(st, &Word::literal(dest), Mutation::Delete, "extract into")
                    {
                        hits.push(h);
                    }
                }
                let joined = text.join(" ");
                if matches!(name, "pwsh" | "powershell" | "powershell.exe") {
                    if let Some(p) = text.iter().position(|t| {
                        t.eq_ignore_ascii_case("-command") || t.eq_ignore_ascii_case("-c")
                    }) {
                        let mut inner = st.clone();
                        self.command_inner(&mut inner, &text[p + 1..].join(" "), hits);
                    }
                } else if name == "cmd"
                    && let Some(p) = text
                        .iter()
                        .position(|t| t.eq_ignore_ascii_case("/c") || t.eq_ignore_ascii_case("/k"))
                {
                    let mut inner = st.clone();
                    self.command_inner(&mut inner, &text[p + 1..].join(" "), hits);
                }
                let folded = fold_concat(&joined);
                if mentions_guard(&folded) || opaque_code(&folded) {
                    hits.push(Hit {
                        path: "<inline code>".into(),
                        what: "modify",
                    });
                }
            }
            "find" | "fd" => self.find(st, args, &vals, hits),
            "tar" | "bsdtar" | "gtar" | "unzip" | "cpio" | "7z" | "7za" | "7zr" | "7zz" | "jar"
            | "ar" => self.extract(st, name, args, &vals, hits),
            "kiro-guard" => {
                // The agent may scan, but not approve, re-baseline, rotate
                // the audit log or reinstall the hooks.
                let v: Vec<&str> = vals.iter().map(|x| x.as_deref().unwrap_or("")).collect();
                let sub = v
                    .iter()
                    .find(|x| !x.starts_with('-'))
                    .copied()
                    .unwrap_or("");
                let audit_write =
                    sub == "audit" && v.iter().any(|x| matches!(*x, "log" | "rotate"));
                if audit_write
                    || sub == "init"
                    || v.iter().any(|x| x.starts_with("--write-baseline"))
                {
                    hits.push(Hit {
                        path: format!("kiro-guard {}", v.join(" ")),
                        what: "run",
                    });
                }
            }
            "git" => self.git(st, args, &vals, hits),
            "patch" => {
                let ops = operands(&[
                    "-i",
                    "--input",
                    "-d",
                    "--directory",
                    "-p",
                    "-o",
                    "-r",
                    "-B",
                    "-D",
                    "-F",
                    "-V",
                    "-Y",
                    "-z",
                ]);
                if let Some(p) = vals
                    .iter()
                    .position(|v| v.as_deref() == Some("-i") || v.as_deref() == Some("--input"))
                {
                    self.patch_file(st, &arg(p + 1), hits);
                } else if let Some(file) = ops.first() {
                    // `patch FILE [PATCHFILE]`: FILE is the one changed.
                    push_all(st, &[file], Mutation::Write, "patch", hits);
                    if let Some(pf) = ops.get(1).and_then(|w| st.expand(w)) {
                        self.patch_file(st, &pf, hits);
                    }
                } else if self.patch_stdin(
                    st,
                    &patch_dir(&vals).unwrap_or_else(|| ".".into()),
                    "patch",
                    hits,
                ) {
                } else if st.line_mentions_guard {
                    hits.push(Hit {
                        path: "<patch>".into(),
                        what: "modify",
                    });
                }
            }
            // PowerShell and cmd.
            "remove-item" | "ri" | "del" | "erase" | "rd" | "move-item" | "mi" | "move"
            | "rename-item" | "ren" | "clear-content" | "clc" | "set-content" | "sc"
            | "add-content" | "ac" | "out-file" | "new-item" | "ni" | "copy-item" | "cpi"
            | "copy" | "xcopy" | "robocopy" | "set-itemproperty" => {
                let how = if matches!(
                    name,
                    "set-content"
                        | "sc"
                        | "add-content"
                        | "ac"
                        | "out-file"
                        | "new-item"
                        | "ni"
                        | "clear-content"
                        | "clc"
                ) {
                    Mutation::Write
                } else {
                    Mutation::Delete
                };
                // Every non-switch argument may be a path (-Path, -LiteralPath,
                // -Destination, -FilePath or positional).
                let mut k = 0;
                while k < args.len() {
                    let v = vals[k].clone().unwrap_or_default();
                    if v.starts_with('-') || (v.starts_with('/') && v.len() <= 3) {
                        let lower = v.to_ascii_lowercase();
                        let takes_path = [
                            "-path",
                            "-literalpath",
                            "-destination",
                            "-filepath",
                            "-lp",
                            "-name",
                            "-newname",
                        ]
                        .contains(&lower.as_str());
                        if takes_path && k + 1 < args.len() {
                            if let Some(h) = self.target(st, args[k + 1], how, "modify") {
                                hits.push(h);
                            }
                            k += 2;
                            continue;
                        }
                        let takes_value = [
                            "-value",
                            "-encoding",
                            "-itemtype",
                            "-filter",
                            "-include",
                            "-exclude",
                            "-stream",
                        ]
                        .contains(&lower.as_str());
                        k += if takes_value { 2 } else { 1 };
                        continue;
                    }
                    if let Some(h) = self.target(st, args[k], how, "modify") {
                        hits.push(h);
                    }
                    k += 1;
                }
            }
            _ => {}
        }
    }

    /// A shell reading code from its standard input: a here-document or
    /// here-string is analysed as commands; a pipe, file or process
    /// substitution is unknown code, a hit when the command line names a
    /// guard file (`echo 'rm -rf .kiro' | sh`).
    fn stdin_code(&self, st: &ShellState, hits: &mut Vec<Hit>) {
        match &st.stdin {
            Stdin::Text(t) => {
                let mut inner = st.clone();
                inner.stdin = Stdin::Unknown;
                inner.line_mentions_guard = mentions_guard(t);
                self.command_inner(&mut inner, &t.clone(), hits);
            }
            _ if st.line_mentions_guard => hits.push(Hit {
                path: "<code from standard input>".into(),
                what: "modify",
            }),
            _ => {}
        }
    }

    fn find(&self, st: &ShellState, args: &[&Word], vals: &[Option<String>], hits: &mut Vec<Hit>) {
        let mut starts = Vec::new();
        let mut k = 0;
        while k < args.len() {
            let v = vals[k].clone().unwrap_or_default();
            if v.starts_with('-') || v == "(" || v == "!" {
                break;
            }
            starts.push(args[k]);
            k += 1;
        }
        let expr: Vec<String> = vals[k..]
            .iter()
            .map(|v| v.clone().unwrap_or_default())
            .collect();
        let destructive = expr.iter().enumerate().any(|(i, e)| {
            e == "-delete"
                || (matches!(e.as_str(), "-exec" | "-execdir" | "-ok" | "-okdir")
                    && expr.get(i + 1).is_some_and(|c| {
                        let c = c.rsplit('/').next().unwrap_or("");
                        MUTATORS.contains(&c) || matches!(c, "sh" | "bash" | "sed" | "perl")
                    }))
        });
        if !destructive {
            return;
        }
        if starts.is_empty() {
            starts.push(&DOT);
        }
        let mut names: Vec<globset::GlobMatcher> = Vec::new();
        let mut paths: Vec<globset::GlobMatcher> = Vec::new();
        for (i, e) in expr.iter().enumerate() {
            let Some(p) = expr.get(i + 1) else { break };
            let build = |p: &str| {
                globset::GlobBuilder::new(&p.to_ascii_lowercase())
                    .build()
                    .ok()
                    .map(|g| g.compile_matcher())
            };
            match e.as_str() {
                "-name" | "-iname" => names.extend(build(p)),
                "-path" | "-ipath" | "-wholename" | "-iwholename" => paths.extend(build(p)),
                _ => {}
            }
        }
        for s in starts {
            let Some(start) = st.expand(s) else {
                if mentions_guard(&s.raw) {
                    hits.push(Hit {
                        path: s.raw.clone(),
                        what: "delete",
                    });
                }
                continue;
            };
            let Some(cwd) = &st.cwd else { continue };
            let start_abs =
                normalize(&cwd.join(self.expand_tilde(&start).unwrap_or(start.clone())));
            let start_key = lower(&resolve_fs(&start_abs));
            for e in &self.entries {
                let inside = e.key == start_key
                    || e.key.starts_with(&format!("{start_key}/"))
                    || start_key.starts_with(&format!("{}/", e.key))
                    || start_key == "/";
                if !inside {
                    continue;
                }
                // Candidate files: the entry, the files in it, and its
                // ancestors below the start.
                let mut cands: Vec<String> = vec![e.key.clone()];
                if e.dir
                    && let Ok(rd) = std::fs::read_dir(&e.orig)
                {
                    cands.extend(rd.flatten().take(200).map(|f| lower(&f.path())));
                }
                let rel_path = |c: &str| -> String {
                    match c.strip_prefix(&start_key) {
                        Some(r) => format!("{}{r}", start.trim_end_matches('/')),
                        None => c.to_string(),
                    }
                };
                let matched = cands.iter().any(|c| {
                    let base = c.rsplit('/').next().unwrap_or("");
                    (names.is_empty() && paths.is_empty())
                        || names.iter().any(|n| n.is_match(base))
                        || paths.iter().any(|p| p.is_match(rel_path(c)))
                });
                if matched {
                    hits.push(Hit {
                        path: e.label.clone(),
                        what: "delete",
                    });
                    break;
                }
            }
        }
    }

    fn git(&self, st: &ShellState, args: &[&Word], vals: &[Option<String>], hits: &mut Vec<Hit>) {
        let v: Vec<String> = vals.iter().map(|x| x.clone().unwrap_or_default()).collect();
        let lowered: Vec<String> = v.iter().map(|x| x.to_ascii_lowercase()).collect();
        // Global options before the subcommand.
        let mut k = 0;
        let mut git_dir_override = false;
        while k < v.len() && v[k].starts_with('-') {
            if (v[k] == "-c"
                && lowered.get(k + 1).is_some_and(|x| {
                    x.starts_with("core.hookspath")
                        || x.starts_with("include.path")
                        || x.starts_with("includeif")
                }))
                || lowered[k].starts_with("--config-env")
            {
                hits.push(Hit {
                    path: ".git/hooks".into(),
                    what: "bypass",
                });
            }
            if lowered[k].starts_with("--git-dir") || lowered[k].starts_with("--work-tree") {
                git_dir_override = true;
            }
            k += if matches!(
                v[k].as_str(),
                "-c" | "-C" | "--git-dir" | "--work-tree" | "--namespace"
            ) {
                2
            } else {
                1
            };
        }
        let _ = git_dir_override;
        // Configuration that git runs as a shell command (`-c core.pager=...`,
        // `-c alias.x='!...'`): the command is analysed as if typed.
        for (i, x) in lowered.iter().enumerate().take(k) {
            if x != "-c" {
                continue;
            }
            let Some((key, value)) = v.get(i + 1).and_then(|kv| kv.split_once('=')) else {
                continue;
            };
            let key = key.to_ascii_lowercase();
            let runs = GIT_COMMAND_KEYS.contains(&key.as_str())
                || (key.starts_with("alias.") && value.starts_with('!'));
            if runs {
                let mut inner = st.clone();
                inner.line_mentions_guard = mentions_guard(value);
                self.command_inner(&mut inner, value.trim_start_matches('!'), hits);
            }
        }
        let Some(sub) = v.get(k) else { return };
        // Subcommands that run a shell command: `submodule foreach CMD`
        // (in each submodule, so relative paths are unknown), `rebase
        // --exec CMD`, `bisect run CMD...`.
        let run_code = match sub.as_str() {
            "submodule" => v[k + 1..]
                .iter()
                .position(|x| x == "foreach")
                .map(|p| {
                    v[k + 2 + p..]
                        .iter()
                        .filter(|x| *x != "--recursive" && *x != "-q" && *x != "--quiet")
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .map(|c| (c, true)),
            "rebase" => v[k + 1..]
                .iter()
                .position(|x| x == "-x" || x == "--exec")
                .and_then(|p| v.get(k + 2 + p).cloned())
                .or_else(|| {
                    v[k + 1..]
                        .iter()
                        .find_map(|x| x.strip_prefix("--exec=").map(str::to_string))
                })
                .map(|c| (c, false)),
            "bisect" if v.get(k + 1).is_some_and(|x| x == "run") => {
                Some((v[k + 2..].join(" "), false))
            }
            _ => None,
        };
        if let Some((code, elsewhere)) = run_code {
            let mut inner = st.clone();
            inner.line_mentions_guard = mentions_guard(&code);
            if elsewhere {
                inner.cwd = None;
            }
            self.command_inner(&mut inner, &code, hits);
        }
        let rest = &args[k + 1..];
        let rv: Vec<&String> = v[k + 1..].iter().collect();
        // Commands that replace the working tree with another commit's:
        // blocked when that commit's protected files differ from HEAD's.
        let operand = |skip: &[&str]| -> Option<String> {
            let mut i = 0;
            while i < rv.len() {
                let a = rv[i].as_str();
                if a == "--" {
                    return None;
                }
                if skip.contains(&a) {
                    i += 2;
                    continue;
                }
                if !a.starts_with('-') {
                    return Some(a.to_string());
                }
                i += 1;
            }
            None
        };
        let switch_to = match sub.as_str() {
            "reset"
                if rv
                    .iter()
                    .any(|a| matches!(a.as_str(), "--hard" | "--merge" | "--keep")) =>
            {
                operand(&[])
            }
            "checkout" if !rv.iter().any(|a| a.as_str() == "--") => {
                operand(&["-b", "-B", "--orphan"]).or_else(|| {
                    // `checkout -b new START`.
                    let p = rv.iter().position(|a| matches!(a.as_str(), "-b" | "-B"))?;
                    rv.get(p + 2).map(|x| x.to_string())
                })
            }
            "switch" => match rv
                .iter()
                .position(|a| matches!(a.as_str(), "-c" | "-C" | "--create" | "--force-create"))
            {
                Some(p) => rv.get(p + 2).map(|x| x.to_string()),
                None => operand(&[]),
            },
            "stash" if matches!(rv.first().map(|x| x.as_str()), Some("pop" | "apply")) => Some(
                rv.get(1)
                    .map_or_else(|| "stash@{0}".to_string(), |x| x.to_string()),
            ),
            "read-tree" if rv.iter().any(|a| a.as_str() == "-u") => {
                operand(&["--prefix", "--index-output"])
            }
            _ => None,
        };
        if let Some(rev) = switch_to
            && let Some(label) = self.differs_from_head(&rev)
        {
            hits.push(Hit {
                path: label,
                what: "replace",
            });
        }
        match sub.as_str() {
            "config" => {
                let reading = rv.iter().any(|a| {
                    matches!(
                        a.as_str(),
                        "--get"
                            | "--get-all"
                            | "--get-regexp"
                            | "--list"
                            | "-l"
                            | "--get-urlmatch"
                            | "--get-color"
                            | "--get-colorbool"
                            | "get"
                            | "list"
                            | "--show-origin"
                            | "--show-scope"
                    )
                });
                let non_opts: Vec<&&String> = rv.iter().filter(|a| !a.starts_with('-')).collect();
                // `git config key` (one operand) reads.
                if reading
                    || non_opts.len() <= 1
                        && !rv.iter().any(|a| {
                            a.starts_with("--unset")
                                || a.starts_with("--remove-section")
                                || a.starts_with("--rename-section")
                                || a.as_str() == "-e"
                                || a.as_str() == "--edit"
                                || *a == "--add"
                                || *a == "--replace-all"
                        })
                {
                    return;
                }
                let target = if rv.iter().any(|a| *a == "--global") {
                    "~/.gitconfig".to_string()
                } else if rv.iter().any(|a| *a == "--system") {
                    "/etc/gitconfig".to_string()
                } else if let Some(p) = rv.iter().position(|a| *a == "--file" || *a == "-f") {
                    rv.get(p + 1).map(|s| s.to_string()).unwrap_or_default()
                } else {
                    ".git/config".to_string()
                };
                let risky_key = rv.iter().any(|a| {
                    let a = a.to_ascii_lowercase();
                    a.starts_with("core.hookspath")
                        || a.starts_with("include")
                        || a.starts_with("alias.")
                        || a.starts_with("core.fsmonitor")
                        || a.starts_with("diff.")
                        || a.starts_with("core.attributesfile")
                        || a.starts_with("filter.")
                        || a.starts_with("core.sshcommand")
                        || a.starts_with("core.pager")
                });
                if target == "/etc/gitconfig" || risky_key {
                    hits.push(Hit {
                        path: target,
                        what: "change",
                    });
                } else if let Some(h) =
                    self.target(st, &Word::literal(target), Mutation::Write, "change")
                {
                    hits.push(h);
                }
            }
            "clean" => {
                let ignored = rv.iter().any(|a| {
                    a.starts_with('-')
                        && !a.starts_with("--")
                        && (a.contains('x') || a.contains('X'))
                });
                if ignored {
                    let specs: Vec<&&Word> =
                        rest.iter().filter(|w| !w.raw.starts_with('-')).collect();
                    if specs.is_empty() {
                        hits.push(Hit {
                            path: ".kiro-guard".into(),
                            what: "delete",
                        });
                    }
                    for w in specs {
                        if let Some(h) = self.target(st, w, Mutation::Delete, "delete") {
                            hits.push(h);
                        }
                    }
                }
            }
            "rm" | "mv" | "checkout" | "restore" | "apply" | "am" => {
                if sub == "apply" || sub == "am" {
                    let files: Vec<&&String> = rv.iter().filter(|a| !a.starts_with('-')).collect();
                    for a in &files {
                        self.patch_file(st, a, hits);
                    }
                    if files.is_empty() {
                        self.patch_stdin(st, ".", "patch", hits);
                    }
                    return;
                }
                // Paths after `--`, or every operand of rm/mv/restore.
                let after_dd = rest.iter().position(|w| w.raw == "--");
                let ws: Vec<&Word> = match after_dd {
                    Some(p) => rest[p + 1..].to_vec(),
                    None if sub != "checkout" => rest
                        .iter()
                        .filter(|w| !w.raw.starts_with('-'))
                        .copied()
                        .collect(),
                    None => Vec::new(),
                };
                for w in ws {
                    if let Some(h) = self.target(st, w, Mutation::Delete, "change") {
                        hits.push(h);
                    }
                }
            }
            "update-index"
                if rv
                    .iter()
                    .any(|a| a.contains("skip-worktree") || a.contains("assume-unchanged")) =>
            {
                for w in rest.iter().filter(|w| !w.raw.starts_with('-')) {
                    if let Some(h) = self.target(st, w, Mutation::Write, "hide changes to") {
                        hits.push(h);
                    }
                }
            }
            _ => {}
        }
    }

    /// The first protected repository path whose content at `rev` differs
    /// from `HEAD` (`git diff --quiet HEAD rev -- paths`); None when they
    /// agree or `rev` is not a commit git knows (the command then fails).
    fn differs_from_head(&self, rev: &str) -> Option<String> {
        if rev.starts_with('-') || rev == "HEAD" {
            return None;
        }
        let rels: Vec<String> = self
            .entries
            .iter()
            .filter_map(|e| e.orig.strip_prefix(&self.root).ok())
            .map(|r| r.to_string_lossy().replace('\\', "/"))
            .filter(|r| !r.is_empty() && !r.starts_with(".git/"))
            .collect();
        if rels.is_empty() {
            return None;
        }
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(&self.root)
            .args([
                "-c",
                "core.quotePath=false",
                "diff",
                "--name-only",
                "--no-ext-diff",
                "--no-textconv",
                "HEAD",
            ])
            .arg(rev)
            .arg("--")
            .args(&rels)
            .stdin(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .output()
            .ok()?;
        if !out.status.success() {
            return None;
        }
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .next()
            .map(str::to_string)
    }

    /// Archive extraction (`tar -x`, `unzip`, `cpio -i`, `7z x`, `jar x`,
    /// `ar x`). The archive's members are not known before it runs, so
    /// extraction counts as writing the whole destination directory
    /// (`-C`/`-d`/`-D`/`-o`, else the working directory) unless the members
    /// are named on the command line, in which case each named member is
    /// checked. Listing and testing modes write nothing.
    fn extract(
        &self,
        st: &ShellState,
        name: &str,
        args: &[&Word],
        vals: &[Option<String>],
        hits: &mut Vec<Hit>,
    ) {
        let v: Vec<String> = vals
            .iter()
            .zip(args)
            .map(|(x, w)| x.clone().unwrap_or_else(|| w.raw.clone()))
            .collect();
        let mut dest: Option<String> = None;
        let mut members: Vec<String> = Vec::new();
        // Whether member names are unknowable (`-T list`, `--files-from`).
        let mut from_list = false;
        let extracting;
        match name {
            "tar" | "bsdtar" | "gtar" => {
                let mut x = false;
                let mut archive_seen = false;
                let mut k = 0;
                // Old style: the first word is a bundle of letters (`xzf`).
                let mut pending_values = 0usize;
                if let Some(first) = v.first()
                    && !first.starts_with('-')
                    && first.chars().all(|c| c.is_ascii_alphabetic())
                {
                    x = first.contains('x');
                    pending_values = first
                        .chars()
                        .filter(|c| matches!(c, 'f' | 'C' | 'T' | 'b' | 'K' | 'N' | 'V' | 'X'))
                        .count();
                    k = 1;
                }
                let mut expect: Vec<char> = Vec::new();
                if pending_values > 0 {
                    expect = v[0]
                        .chars()
                        .filter(|c| matches!(c, 'f' | 'C' | 'T' | 'b' | 'K' | 'N' | 'V' | 'X'))
                        .collect();
                }
                while k < v.len() {
                    let a = &v[k];
                    if let Some(c) = (!expect.is_empty()).then(|| expect.remove(0)) {
                        match c {
                            'C' => dest = Some(a.clone()),
                            'f' => archive_seen = true,
                            'T' => from_list = true,
                            _ => {}
                        }
                        k += 1;
                        continue;
                    }
                    if a == "--extract" || a == "--get" {
                        x = true;
                    } else if let Some(d) = a.strip_prefix("--directory=") {
                        dest = Some(d.to_string());
                    } else if a == "--directory" {
                        dest = v.get(k + 1).cloned();
                        k += 1;
                    } else if a.starts_with("--file=") {
                        archive_seen = true;
                    } else if a == "--file" {
                        archive_seen = true;
                        k += 1;
                    } else if a.starts_with("--files-from") {
                        from_list = true;
                        if a == "--files-from" {
                            k += 1;
                        }
                    } else if a.starts_with("--") {
                    } else if a.starts_with('-') && a.len() > 1 {
                        let letters: Vec<char> = a[1..].chars().collect();
                        if letters.contains(&'x') {
                            x = true;
                        }
                        // A value-taking letter takes the next word (or the
                        // rest of the bundle when it is not last).
                        for (n, c) in letters.iter().enumerate() {
                            if matches!(c, 'f' | 'C' | 'T' | 'b' | 'K' | 'N' | 'V' | 'X') {
                                let rest: String = letters[n + 1..].iter().collect();
                                let value = if rest.is_empty() {
                                    k += 1;
                                    v.get(k).cloned().unwrap_or_default()
                                } else {
                                    rest
                                };
                                match c {
                                    'C' => dest = Some(value),
                                    'f' => archive_seen = true,
                                    'T' => from_list = true,
                                    _ => {}
                                }
                                break;
                            }
                        }
                    } else {
                        members.push(a.clone());
                    }
                    k += 1;
                }
                let _ = archive_seen;
                extracting = x;
            }
            "unzip" => {
                let list_only = v.iter().any(|a| {
                    a.starts_with('-')
                        && !a.starts_with("--")
                        && a[1..]
                            .chars()
                            .any(|c| matches!(c, 'l' | 't' | 'v' | 'p' | 'z' | 'Z'))
                });
                let mut ops = Vec::new();
                let mut k = 0;
                let mut excluding = false;
                while k < v.len() {
                    let a = &v[k];
                    if a == "-d" {
                        dest = v.get(k + 1).cloned();
                        k += 1;
                    } else if let Some(d) = a.strip_prefix("-d").filter(|d| !d.is_empty()) {
                        dest = Some(d.to_string());
                    } else if a == "-x" {
                        excluding = true;
                    } else if a.starts_with('-') {
                    } else if !excluding {
                        ops.push(a.clone());
                    }
                    k += 1;
                }
                members = ops.into_iter().skip(1).collect();
                extracting = !list_only;
            }
            "cpio" => {
                extracting = v.iter().any(|a| {
                    a == "--extract"
                        || (a.starts_with('-') && !a.starts_with("--") && a.contains('i'))
                });
                let mut k = 0;
                while k < v.len() {
                    let a = &v[k];
                    if a == "-D" || a == "--directory" {
                        dest = v.get(k + 1).cloned();
                        k += 1;
                    } else if let Some(d) = a.strip_prefix("--directory=") {
                        dest = Some(d.to_string());
                    } else if a == "-E" || a == "--pattern-file" || a.starts_with("--pattern-file=")
                    {
                        from_list = true;
                    } else if !a.starts_with('-') {
                        members.push(a.clone());
                    }
                    k += 1;
                }
            }
            "7z" | "7za" | "7zr" | "7zz" => {
                extracting = matches!(v.first().map(String::as_str), Some("x" | "e"));
                for a in v.iter().skip(1) {
                    if let Some(d) = a.strip_prefix("-o") {
                        dest = Some(d.to_string());
                    } else if a.starts_with('-') && a.starts_with("-i") {
                        from_list = true;
                    } else if !a.starts_with('-') {
                        members.push(a.clone());
                    }
                }
                // The first operand is the archive.
                if !members.is_empty() {
                    members.remove(0);
                }
            }
            "jar" | "ar" => {
                let first = v.first().map(String::as_str).unwrap_or("");
                let letters = first.trim_start_matches('-');
                extracting = (letters.contains('x')
                    && letters.chars().all(|c| c.is_ascii_alphabetic()))
                    || first == "--extract";
                // `jar xf ARCHIVE [members]`, `ar x ARCHIVE [members]`.
                let ops: Vec<String> = v
                    .iter()
                    .skip(1)
                    .filter(|a| !a.starts_with('-'))
                    .cloned()
                    .collect();
                let takes_archive = name == "ar"
                    || letters.contains('f')
                    || v.iter().any(|a| a.starts_with("--file"));
                members = ops.into_iter().skip(usize::from(takes_archive)).collect();
                if name == "jar" && v.iter().any(|a| a == "-C") {
                    from_list = true;
                }
            }
            _ => return,
        }
        if !extracting {
            return;
        }
        let base = dest.unwrap_or_else(|| ".".into());
        if members.is_empty() || from_list {
            if let Some(h) = self.target(st, &Word::literal(base), Mutation::Delete, "extract into")
            {
                hits.push(h);
            }
            return;
        }
        for m in members {
            let path = format!(
                "{}/{}",
                base.trim_end_matches('/'),
                m.trim_start_matches("./")
            );
            if let Some(h) = self.target(st, &Word::literal(path), Mutation::Delete, "extract over")
            {
                hits.push(h);
            }
        }
    }

    /// The files a patch would change (`+++ b/x`, `diff --git a/x b/y`).
    fn patch_file(&self, st: &ShellState, path: &str, hits: &mut Vec<Hit>) {
        let Some(cwd) = &st.cwd else { return };
        let p = cwd.join(path);
        let Ok(meta) = std::fs::metadata(&p) else {
            return;
        };
        if !meta.is_file() || meta.len() > 8 << 20 {
            return;
        }
        let Ok(text) = std::fs::read(&p) else { return };
        self.patch_text(cwd, &String::from_utf8_lossy(&text), hits);
    }

    /// A patch read from standard input: a file (`< x.patch`) or a
    /// here-document is read like a patch file; from a pipe its content is
    /// unknown, so it counts as changing the whole tree (blocked where the
    /// tree holds protected files). Returns whether stdin was given.
    fn patch_stdin(
        &self,
        st: &ShellState,
        base: &str,
        what: &'static str,
        hits: &mut Vec<Hit>,
    ) -> bool {
        let Some(cwd) = &st.cwd else {
            return !matches!(st.stdin, Stdin::Unknown);
        };
        let dir = cwd.join(base);
        match &st.stdin {
            Stdin::File(f) => {
                let mut inner = st.clone();
                inner.cwd = Some(dir);
                self.patch_file(&inner, &cwd.join(f).to_string_lossy(), hits);
                true
            }
            Stdin::Text(t) => {
                self.patch_text(&dir, t, hits);
                true
            }
            Stdin::Pipe => {
                if let Some(h) =
                    self.target(st, &Word::literal(base.to_string()), Mutation::Delete, what)
                {
                    hits.push(h);
                }
                true
            }
            Stdin::Unknown => false,
        }
    }

    /// The files a patch text would change.
    fn patch_text(&self, cwd: &Path, text: &str, hits: &mut Vec<Hit>) {
        for line in text.lines() {
            let targets: Vec<&str> = if let Some(r) = line
                .strip_prefix("+++ ")
                .or_else(|| line.strip_prefix("--- "))
            {
                vec![r.split('\t').next().unwrap_or("")]
            } else if let Some(r) = line.strip_prefix("diff --git ") {
                r.split(' ').collect()
            } else if let Some(r) = line
                .strip_prefix("rename to ")
                .or_else(|| line.strip_prefix("rename from "))
            {
                vec![r]
            } else {
                continue;
            };
            for t in targets {
                let t = t.trim().trim_start_matches("a/").trim_start_matches("b/");
                if t.is_empty() || t == "/dev/null" {
                    continue;
                }
                if let Some(label) = self.check_path(cwd, t, Mutation::Delete) {
                    hits.push(Hit {
                        path: label,
                        what: "patch",
                    });
                    return;
                }
            }
        }
    }
}

static DOT: Word = Word {
    raw: String::new(),
    parts: Vec::new(),
};

/// `patch`'s `-d DIR` / `--directory=DIR`: where the patch applies.
fn patch_dir(vals: &[Option<String>]) -> Option<String> {
    let mut it = vals.iter().flatten();
    while let Some(v) = it.next() {
        if v == "-d" || v == "--directory" {
            return it.next().cloned();
        }
        if let Some(d) = v.strip_prefix("--directory=") {
            return Some(d.to_string());
        }
        if let Some(d) = v.strip_prefix("-d").filter(|d| !d.is_empty()) {
            return Some(d.to_string());
        }
    }
    None
}

/// Utilities that change files, for `xargs` and `find -exec`.
/// Shell reserved words that may precede a command.
const RESERVED: &[&str] = &[
    "!", "if", "then", "elif", "else", "do", "while", "until", "coproc", "{", "(",
];

const MUTATORS: &[&str] = &[
    "rm", "rmdir", "unlink", "shred", "mv", "cp", "ln", "tee", "truncate", "chmod", "chown", "dd",
    "sed", "perl", "install", "rsync", "touch",
];

fn first_non_option(vals: &[Option<String>]) -> usize {
    vals.iter()
        .position(|v| v.as_deref().is_none_or(|v| !v.starts_with('-')))
        .unwrap_or(vals.len())
}

fn is_assignment(raw: &str) -> bool {
    match raw.split_once('=') {
        Some((k, _)) => {
            !k.is_empty()
                && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !k.starts_with(|c: char| c.is_ascii_digit())
        }
        None => false,
    }
}

/// Glob characters, or a brace list (`{a,b}`, which bash expands; matched
/// as a glob alternation).
fn has_glob(s: &str) -> bool {
    s.contains(['*', '?', '['])
        || s.find('{')
            .is_some_and(|o| s[o..].find('}').is_some_and(|c| s[o..o + c].contains(',')))
}

/// Whether text names a guard file (case-insensitive, quotes and
/// backslashes removed).
pub fn mentions_guard(text: &str) -> bool {
    let t: String = text
        .chars()
        .filter(|c| !matches!(c, '\'' | '"' | '\\' | '`'))
        .collect::<String>()
        .to_ascii_lowercase();
    GUARD_NAMES.iter().any(|g| t.contains(g))
}

/// Inline code with string pieces joined: `".ki" + "ro"`, `'.ki' . 'ro'`,
/// `".ki" .. "ro"` and adjacent literals (`'.ki' 'ro'`) become `".kiro"`.
pub fn fold_concat(code: &str) -> String {
    let chars: Vec<char> = code.chars().collect();
    let mut out = String::with_capacity(code.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if matches!(c, '\'' | '"' | '`') {
            // A closing quote, spaces, an operator (or none), spaces and an
            // opening quote are dropped.
            let mut j = i + 1;
            while chars.get(j).is_some_and(|c| *c == ' ') {
                j += 1;
            }
            let mut k = j;
            while chars.get(k).is_some_and(|c| matches!(c, '+' | '.')) && k - j < 2 {
                k += 1;
            }
            while chars.get(k).is_some_and(|c| *c == ' ') {
                k += 1;
            }
            if chars.get(k).is_some_and(|c| matches!(c, '\'' | '"' | '`')) {
                i = k + 1;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Interpreter code that builds what it runs at run time (`exec`, `eval`,
/// decoded or character-built strings) and can delete, write or spawn: its
/// targets cannot be read from the text, so it is refused in a hook.
fn opaque_code(code: &str) -> bool {
    let c = code.to_ascii_lowercase();
    let dynamic = [
        "exec(",
        "eval(",
        "__import__(",
        "getattr(",
        "new function",
        "chr(",
        "fromcharcode",
        "b64decode",
        "atob(",
        "unhexlify",
        "fromhex",
        "codecs.decode",
        "[::-1]",
        ".reverse()",
        "decode_base64",
        "frombase64string",
    ]
    .iter()
    .any(|m| c.contains(m));
    let acts = [
        "rmtree",
        "remove(",
        "unlink",
        "rmdir",
        "rmsync",
        "writefile",
        "rename",
        "system(",
        "subprocess",
        "child_process",
        "spawn",
        "popen",
        "execsync",
        "exec(",
        "truncate",
        "chmod",
        "symlink",
        "fileutils",
        "shutil",
        "'w'",
        "\"w\"",
        "'wb'",
        "'a'",
        "\"a\"",
        "'w+'",
    ]
    .iter()
    .any(|m| c.contains(m));
    dynamic && acts
}

/// Whether a word decodes its value at run time.
fn decodes(raw: &str) -> bool {
    let r = raw.to_ascii_lowercase();
    [
        "base64", "xxd", "rev", "openssl", "printf", "tr ", "od ", "uudecode", "gunzip", "zcat",
        "python", "perl", "node",
    ]
    .iter()
    .any(|d| r.contains(d))
        && (raw.contains("$(") || raw.contains('`'))
}

/// Read-only tools by name (MCP and built-in).
fn tool_is_read_only(tool: &str) -> bool {
    let t = tool.to_ascii_lowercase();
    let t = t.rsplit(['/', '_']).next().unwrap_or(&t).to_string();
    let full = tool.to_ascii_lowercase();
    let mutating = [
        "write", "edit", "delete", "remove", "move", "rename", "create", "mkdir", "put", "upload",
        "append", "copy", "set", "replace", "patch", "save", "update", "insert", "touch", "chmod",
        "unlink",
    ];
    if mutating.iter().any(|m| full.contains(m)) {
        return false;
    }
    [
        "read", "list", "get", "search", "view", "glob", "grep", "find", "stat", "info", "tree",
        "ls", "cat", "fetch", "head", "tail", "diff",
    ]
    .iter()
    .any(|r| t.contains(r) || full.contains(r))
}

/// Path-valued fields of a tool input, at any depth.
fn collect_paths(v: &Value, depth: usize, out: &mut Vec<String>) {
    if depth > 64 || out.len() > 256 {
        return;
    }
    const KEYS: &[&str] = &[
        "path",
        "file_path",
        "filepath",
        "filePath",
        "notebook_path",
        "target_file",
        "targetFile",
        "source",
        "destination",
        "dest",
        "target",
        "from",
        "to",
        "old_path",
        "new_path",
        "oldPath",
        "newPath",
        "paths",
        "file",
        "files",
        "directory",
        "dir",
        "uri",
    ];
    match v {
        Value::Object(o) => {
            for (k, val) in o {
                let key_is_path = KEYS.iter().any(|x| x.eq_ignore_ascii_case(k));
                match val {
                    Value::String(s) if key_is_path => {
                        out.push(s.trim_start_matches("file://").to_string())
                    }
                    Value::Array(a) if key_is_path => {
                        for x in a {
                            if let Value::String(s) = x {
                                out.push(s.clone());
                            } else {
                                collect_paths(x, depth + 1, out);
                            }
                        }
                    }
                    _ => collect_paths(val, depth + 1, out),
                }
            }
        }
        Value::Array(a) => {
            for x in a {
                collect_paths(x, depth + 1, out);
            }
        }
        _ => {}
    }
}

/// The simple commands of a command line as word lists (values where the
/// line sets them, the source text where unknown), including those inside
/// command substitutions and `sh -c`/`bash -c`/`eval` strings, to a bounded
/// depth. Leading variable assignments are dropped.
pub fn simple_commands(cmd: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut st = ShellState {
        cwd: None,
        vars: HashMap::new(),
        depth: 0,
        line_mentions_guard: false,
        stdin: Stdin::Unknown,
        lists: HashMap::new(),
    };
    collect_simple(&mut st, cmd, &mut out);
    out
}

fn collect_simple(st: &mut ShellState, cmd: &str, out: &mut Vec<Vec<String>>) {
    if st.depth > 6 || out.len() > 512 {
        return;
    }
    st.depth += 1;
    let lexed = lex(cmd);
    for sub in &lexed.substitutions {
        collect_simple(st, sub, out);
    }
    for sc in &lexed.commands {
        let mut i = 0;
        while i < sc.words.len() && is_assignment(&sc.words[i].raw) {
            i += 1;
        }
        if i == sc.words.len() {
            for w in &sc.words {
                if let Some((k, _)) = w.raw.split_once('=') {
                    let value = w.value_after_eq().and_then(|wv| st.expand(&wv));
                    st.vars.insert(k.to_string(), value);
                }
            }
            continue;
        }
        let words: Vec<String> = sc.words[i..]
            .iter()
            .map(|w| st.expand(w).unwrap_or_else(|| w.raw.clone()))
            .collect();
        let name = words[0].rsplit('/').next().unwrap_or("").to_string();
        if matches!(name.as_str(), "sh" | "bash" | "zsh" | "dash" | "ksh")
            && let Some(p) = words.iter().position(|w| w == "-c")
            && let Some(code) = words.get(p + 1)
        {
            let code = code.clone();
            collect_simple(st, &code, out);
        } else if name == "eval" {
            let code = words[1..].join(" ");
            collect_simple(st, &code, out);
        }
        out.push(words);
    }
    st.depth -= 1;
}

// ---------------------------------------------------------------------------
// A small shell lexer: words with quoting, operators, redirections and
// command substitutions. Enough to find what a command writes; anything it
// cannot resolve is an unknown word.

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Lit(String),
    /// `$NAME` / `${NAME}`.
    Var(String),
    /// `$(...)`, backticks, `<(...)`: unknown output.
    Subst,
    /// Unquoted glob characters stay literal but mark the word as a glob.
    Glob(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Word {
    /// The source text (quotes kept), for mentions.
    raw: String,
    parts: Vec<Part>,
}

impl Word {
    fn literal(s: String) -> Word {
        Word {
            raw: s.clone(),
            parts: vec![Part::Lit(s)],
        }
    }

    fn value_after_eq(&self) -> Option<Word> {
        let mut parts = Vec::new();
        let mut found = false;
        for p in &self.parts {
            if found {
                parts.push(p.clone());
                continue;
            }
            if let Part::Lit(s) = p
                && let Some((_, after)) = s.split_once('=')
            {
                found = true;
                if !after.is_empty() {
                    parts.push(Part::Lit(after.to_string()));
                }
            } else {
                return None;
            }
        }
        found.then(|| Word {
            raw: self
                .raw
                .split_once('=')
                .map(|x| x.1.to_string())
                .unwrap_or_default(),
            parts,
        })
    }
}

#[derive(Debug, Clone, Default)]
struct SimpleCommand {
    words: Vec<Word>,
    /// Targets of output redirections.
    redirects: Vec<Word>,
    /// Where standard input comes from, when the command line says.
    stdin: Stdin,
}

/// The standard input of a simple command.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
enum Stdin {
    /// Nothing on the command line says (a terminal, or the agent's tool).
    #[default]
    Unknown,
    /// `< file`.
    File(String),
    /// A here-document's text.
    Text(String),
    /// The previous command of a pipeline.
    Pipe,
}

#[derive(Debug, Default)]
struct Lexed {
    commands: Vec<SimpleCommand>,
    substitutions: Vec<String>,
}

#[derive(Debug, Clone)]
struct ShellState {
    /// None after a `cd` to somewhere unknown.
    cwd: Option<PathBuf>,
    /// Shell variables set earlier in the command; None when unknown.
    vars: HashMap<String, Option<String>>,
    depth: usize,
    /// Whether the whole command line names a guard file (for `xargs`,
    /// `patch` from stdin and other constructs whose targets are unknown).
    line_mentions_guard: bool,
    /// The standard input of the command being analysed.
    stdin: Stdin,
    /// Loop variables and the words they take (`for f in a b*`).
    lists: HashMap<String, Vec<String>>,
}

impl ShellState {
    fn line_mentions_guard_text(&self, args: &[&Word]) -> bool {
        args.iter().any(|w| mentions_guard(&w.raw))
    }

    /// A word's value, or None when part of it is unknown.
    fn expand(&self, w: &Word) -> Option<String> {
        if w.raw.is_empty() && w.parts.is_empty() {
            return Some(".".into());
        }
        let mut out = String::new();
        for p in &w.parts {
            match p {
                Part::Lit(s) | Part::Glob(s) => out.push_str(s),
                Part::Var(name) => match self.vars.get(name) {
                    Some(Some(v)) => out.push_str(v),
                    Some(None) => return None,
                    None => match name.as_str() {
                        "HOME" | "PWD" | "USER" | "TMPDIR" => {
                            if name == "PWD" {
                                out.push_str(&self.cwd.as_ref()?.to_string_lossy());
                            } else {
                                out.push_str(&std::env::var(name).ok()?);
                            }
                        }
                        _ => return None,
                    },
                },
                Part::Subst => return None,
            }
        }
        Some(out)
    }
}

/// Split a command line into simple commands (across `;`, `&&`, `||`, `|`,
/// `&`, newlines, subshells and groups) with their redirections; command
/// substitutions are returned separately, to be analysed as commands.
fn lex(src: &str) -> Lexed {
    let mut out = Lexed::default();
    let chars: Vec<char> = src.chars().take(1 << 20).collect();
    let mut i = 0;
    let mut cur = SimpleCommand::default();
    let mut word: Option<Word> = None;
    let mut pending_redirect = false;
    let mut herestr = false;
    let mut heredoc: Option<(String, bool)> = None;

    fn finish_word(
        word: &mut Option<Word>,
        cur: &mut SimpleCommand,
        pending_redirect: &mut bool,
        herestr: &mut bool,
    ) {
        if let Some(w) = word.take() {
            if *herestr {
                *herestr = false;
                let text: String = w
                    .parts
                    .iter()
                    .map(|p| match p {
                        Part::Lit(s) | Part::Glob(s) => s.as_str(),
                        _ => "",
                    })
                    .collect();
                cur.stdin = Stdin::Text(text);
            } else if *pending_redirect {
                cur.redirects.push(w);
                *pending_redirect = false;
            } else if cur.words.is_empty() && RESERVED.contains(&w.raw.as_str()) {
                // A reserved word before a command (`! cmd`, `if cmd`,
                // `then cmd`, `do cmd`, `coproc cmd`): the command runs.
            } else {
                cur.words.push(w);
            }
        }
    }
    fn push_lit(word: &mut Option<Word>, c: char, raw: &str) {
        let w = word.get_or_insert_with(|| Word {
            raw: String::new(),
            parts: Vec::new(),
        });
        w.raw.push_str(raw);
        match w.parts.last_mut() {
            Some(Part::Lit(s)) => s.push(c),
            _ => w.parts.push(Part::Lit(c.to_string())),
        }
    }
    fn push_part(word: &mut Option<Word>, p: Part, raw: &str) {
        let w = word.get_or_insert_with(|| Word {
            raw: String::new(),
            parts: Vec::new(),
        });
        w.raw.push_str(raw);
        w.parts.push(p);
    }
    /// The text of a `$(...)` starting after `$(`; returns (text, end index).
    fn balanced(chars: &[char], mut i: usize, open: char, close: char) -> (String, usize) {
        let mut depth = 1;
        let start = i;
        let mut quote: Option<char> = None;
        while i < chars.len() {
            let c = chars[i];
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) if c == '\\' => i += 1,
                Some(_) => {}
                None if c == '\'' || c == '"' => quote = Some(c),
                None if c == '\\' => i += 1,
                None if c == open => depth += 1,
                None if c == close => {
                    depth -= 1;
                    if depth == 0 {
                        return (chars[start..i].iter().collect(), i + 1);
                    }
                }
                None => {}
            }
            i += 1;
        }
        (
            chars[start..chars.len().min(start.max(i))].iter().collect(),
            chars.len(),
        )
    }
    // `$...` at chars[i] == '$'; returns the new index.
    let dollar =
        |chars: &[char], i: usize, word: &mut Option<Word>, subs: &mut Vec<String>| -> usize {
            match chars.get(i + 1) {
                Some('(') if chars.get(i + 2) == Some(&'(') => {
                    let (t, end) = balanced(chars, i + 3, '(', ')');
                    push_part(word, Part::Subst, &format!("$(({t})"));
                    end.min(chars.len()).max(i + 1) + usize::from(chars.get(end) == Some(&')'))
                }
                Some('(') => {
                    let (t, end) = balanced(chars, i + 2, '(', ')');
                    push_part(word, Part::Subst, &format!("$({t})"));
                    subs.push(t);
                    end
                }
                Some('{') => {
                    let (t, end) = balanced(chars, i + 2, '{', '}');
                    let name: String = t
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    if name.len() == t.len() && !name.is_empty() {
                        push_part(word, Part::Var(name), &format!("${{{t}}}"));
                    } else {
                        push_part(word, Part::Subst, &format!("${{{t}}}"));
                    }
                    end
                }
                Some('\'') => {
                    // ANSI-C quoting: decode the common escapes.
                    let mut j = i + 2;
                    let mut s = String::new();
                    while j < chars.len() && chars[j] != '\'' {
                        if chars[j] == '\\' && j + 1 < chars.len() {
                            j += 1;
                            match chars[j] {
                                'n' => s.push('\n'),
                                't' => s.push('\t'),
                                'x' => {
                                    let hex: String = chars[j + 1..]
                                        .iter()
                                        .take(2)
                                        .take_while(|c| c.is_ascii_hexdigit())
                                        .collect();
                                    if let Ok(b) = u8::from_str_radix(&hex, 16) {
                                        s.push(b as char);
                                    }
                                    j += hex.len();
                                }
                                '0'..='7' => {
                                    let oct: String = chars[j..]
                                        .iter()
                                        .take(3)
                                        .take_while(|c| ('0'..='7').contains(*c))
                                        .collect();
                                    if let Ok(b) = u8::from_str_radix(&oct, 8) {
                                        s.push(b as char);
                                    }
                                    j += oct.len() - 1;
                                }
                                c => s.push(c),
                            }
                        } else {
                            s.push(chars[j]);
                        }
                        j += 1;
                    }
                    let raw: String = chars[i..(j + 1).min(chars.len())].iter().collect();
                    for c in s.chars() {
                        push_lit(word, c, "");
                    }
                    if let Some(w) = word.as_mut() {
                        w.raw.push_str(&raw);
                    }
                    j + 1
                }
                Some(c) if c.is_ascii_alphabetic() || *c == '_' => {
                    let name: String = chars[i + 1..]
                        .iter()
                        .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
                        .collect();
                    let n = name.len();
                    push_part(word, Part::Var(name.clone()), &format!("${name}"));
                    i + 1 + n
                }
                Some(c)
                    if c.is_ascii_digit()
                        || matches!(c, '@' | '*' | '#' | '?' | '$' | '!' | '-') =>
                {
                    push_part(word, Part::Subst, &format!("${c}"));
                    i + 2
                }
                _ => {
                    push_lit(word, '$', "$");
                    i + 1
                }
            }
        };

    while i < chars.len() {
        let c = chars[i];
        if let Some((delim, _)) = &heredoc
            && c == '\n'
        {
            // Skip the here-document body up to its delimiter line.
            let delim = delim.clone();
            finish_word(&mut word, &mut cur, &mut pending_redirect, &mut herestr);
            let mut body = String::new();
            let mut j = i + 1;
            loop {
                let line_end = chars[j.min(chars.len())..]
                    .iter()
                    .position(|c| *c == '\n')
                    .map(|p| j + p)
                    .unwrap_or(chars.len());
                let line: String = chars[j.min(chars.len())..line_end].iter().collect();
                j = line_end + 1;
                if line.trim() == delim {
                    break;
                }
                body.push_str(&line);
                body.push('\n');
                if j >= chars.len() {
                    break;
                }
            }
            cur.stdin = Stdin::Text(body);
            out.commands.push(std::mem::take(&mut cur));
            heredoc = None;
            i = j;
            continue;
        }
        match c {
            ' ' | '\t' => {
                finish_word(&mut word, &mut cur, &mut pending_redirect, &mut herestr);
                i += 1;
            }
            // `{` opens a group only as a word of its own (`{ cmd; }`);
            // `{a,b}` is a brace expansion inside a word.
            '\n' | ';' | '&' | '|' | '(' | ')' | '{' | '}'
                if (word.is_none() || !matches!(c, '{' | '}'))
                    && !(c == '{' && chars.get(i + 1).is_some_and(|n| !n.is_whitespace())) =>
            {
                // `&>` and `>&` are redirections.
                if c == '&' && chars.get(i + 1) == Some(&'>') {
                    finish_word(&mut word, &mut cur, &mut pending_redirect, &mut herestr);
                    pending_redirect = true;
                    i += if chars.get(i + 2) == Some(&'>') { 3 } else { 2 };
                    continue;
                }
                finish_word(&mut word, &mut cur, &mut pending_redirect, &mut herestr);
                pending_redirect = false;
                if !cur.words.is_empty() || !cur.redirects.is_empty() {
                    out.commands.push(std::mem::take(&mut cur));
                }
                // `a | b` (not `a || b`): b reads a's output.
                if c == '|'
                    && chars.get(i + 1) != Some(&'|')
                    && chars.get(i.wrapping_sub(1)) != Some(&'|')
                {
                    cur.stdin = Stdin::Pipe;
                }
                i += 1;
            }
            '>' | '<' => {
                // Digits just before (`2>`) belong to the operator.
                if let Some(w) = &word
                    && w.raw.chars().all(|c| c.is_ascii_digit())
                {
                    word = None;
                }
                finish_word(&mut word, &mut cur, &mut pending_redirect, &mut herestr);
                if c == '<' {
                    if chars.get(i + 1) == Some(&'<') && chars.get(i + 2) != Some(&'<') {
                        // Here-document: the delimiter word follows.
                        let mut j = i + 2;
                        if chars.get(j) == Some(&'-') {
                            j += 1;
                        }
                        while chars.get(j) == Some(&' ') {
                            j += 1;
                        }
                        let d: String = chars[j..]
                            .iter()
                            .take_while(|c| !c.is_whitespace() && !matches!(c, ';' | '|' | '&'))
                            .collect();
                        heredoc = Some((d.trim_matches(['\'', '"']).to_string(), true));
                        i = j + d.chars().count();
                        continue;
                    }
                    if chars.get(i + 1) == Some(&'(') {
                        let (t, end) = balanced(&chars, i + 2, '(', ')');
                        out.substitutions.push(t);
                        i = end;
                        continue;
                    }
                    // Here-string: the next word is the command's input.
                    if chars.get(i + 1) == Some(&'<') && chars.get(i + 2) == Some(&'<') {
                        herestr = true;
                        i += 3;
                        continue;
                    }
                    // Input redirection: the next word is read, not written.
                    i += if chars.get(i + 1) == Some(&'<') { 3 } else { 1 };
                    if chars.get(i) == Some(&'>') {
                        pending_redirect = true;
                        i += 1;
                    } else {
                        // The source word is read, not written; kept as the
                        // command's standard input.
                        let mut j = i;
                        while chars.get(j) == Some(&' ') {
                            j += 1;
                        }
                        let start = j;
                        while j < chars.len()
                            && !chars[j].is_whitespace()
                            && !matches!(chars[j], ';' | '|' | '&' | '>' | '<' | ')')
                        {
                            j += 1;
                        }
                        let src: String = chars[start..j].iter().collect();
                        cur.stdin = Stdin::File(src.trim_matches(['\'', '"']).to_string());
                        i = j;
                    }
                    continue;
                }
                // `>`, `>>`, `>|`, `>&N`.
                i += 1;
                if matches!(chars.get(i), Some('>') | Some('|')) {
                    i += 1;
                }
                if chars.get(i) == Some(&'&') {
                    // `>&2` duplicates a descriptor; `>&file` writes a file.
                    let rest: String = chars[i + 1..]
                        .iter()
                        .take_while(|c| !c.is_whitespace())
                        .collect();
                    if rest.chars().all(|c| c.is_ascii_digit() || c == '-') {
                        i += 1 + rest.len();
                        continue;
                    }
                    i += 1;
                }
                if chars.get(i) == Some(&'(') {
                    let (t, end) = balanced(&chars, i + 1, '(', ')');
                    out.substitutions.push(t);
                    i = end;
                    continue;
                }
                pending_redirect = true;
            }
            '\'' => {
                let end = chars[i + 1..]
                    .iter()
                    .position(|c| *c == '\'')
                    .map(|p| i + 1 + p)
                    .unwrap_or(chars.len());
                let s: String = chars[i + 1..end].iter().collect();
                let w = word.get_or_insert_with(|| Word {
                    raw: String::new(),
                    parts: Vec::new(),
                });
                w.raw.push('\'');
                w.raw.push_str(&s);
                w.raw.push('\'');
                match w.parts.last_mut() {
                    Some(Part::Lit(l)) => l.push_str(&s),
                    _ => w.parts.push(Part::Lit(s)),
                }
                i = end + 1;
            }
            '"' => {
                if word.is_none() {
                    word = Some(Word {
                        raw: String::new(),
                        parts: Vec::new(),
                    });
                }
                if let Some(w) = word.as_mut() {
                    w.raw.push('"');
                }
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    match chars[i] {
                        '\\' if i + 1 < chars.len()
                            && matches!(chars[i + 1], '"' | '\\' | '$' | '`' | '\n') =>
                        {
                            push_lit(&mut word, chars[i + 1], &format!("\\{}", chars[i + 1]));
                            i += 2;
                        }
                        '$' => i = dollar(&chars, i, &mut word, &mut out.substitutions),
                        '`' => {
                            let end = chars[i + 1..]
                                .iter()
                                .position(|c| *c == '`')
                                .map(|p| i + 1 + p)
                                .unwrap_or(chars.len());
                            let t: String = chars[i + 1..end].iter().collect();
                            push_part(&mut word, Part::Subst, &format!("`{t}`"));
                            out.substitutions.push(t);
                            i = end + 1;
                        }
                        ch => {
                            push_lit(&mut word, ch, &ch.to_string());
                            i += 1;
                        }
                    }
                }
                if let Some(w) = word.as_mut() {
                    w.raw.push('"');
                }
                i += 1;
            }
            '\\' => {
                if let Some(n) = chars.get(i + 1) {
                    if *n != '\n' {
                        push_lit(&mut word, *n, &format!("\\{n}"));
                    }
                    i += 2;
                } else {
                    i += 1;
                }
            }
            '$' => i = dollar(&chars, i, &mut word, &mut out.substitutions),
            '`' => {
                let end = chars[i + 1..]
                    .iter()
                    .position(|c| *c == '`')
                    .map(|p| i + 1 + p)
                    .unwrap_or(chars.len());
                let t: String = chars[i + 1..end].iter().collect();
                push_part(&mut word, Part::Subst, &format!("`{t}`"));
                out.substitutions.push(t);
                i = end + 1;
            }
            '#' if word.is_none() => {
                // A comment to the end of the line.
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '*' | '?' | '[' => {
                push_part(&mut word, Part::Glob(c.to_string()), &c.to_string());
                i += 1;
            }
            '~' if word.is_none() => {
                push_lit(&mut word, '~', "~");
                i += 1;
            }
            _ => {
                push_lit(&mut word, c, &c.to_string());
                i += 1;
            }
        }
    }
    finish_word(&mut word, &mut cur, &mut pending_redirect, &mut herestr);
    if !cur.words.is_empty() || !cur.redirects.is_empty() {
        out.commands.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo() -> (tempfile::TempDir, GuardFiles, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        for d in [".kiro/hooks", ".git/hooks", ".claude", "src", "docs/hooks"] {
            std::fs::create_dir_all(root.join(d)).unwrap();
        }
        for f in [
            ".kiro/hooks/kiro-guard.json",
            ".kiro-guard.toml",
            ".claude/settings.json",
            ".git/hooks/pre-commit",
            ".git/config",
            "src/app.py",
        ] {
            std::fs::write(root.join(f), "x").unwrap();
        }
        let g = GuardFiles::new(&root, &[]);
        (dir, g, root)
    }

    fn blocked(g: &GuardFiles, cwd: &Path, cmd: &str) -> bool {
        !g.check_command(cwd, cmd).is_empty()
    }

    #[test]
    fn concatenated_pieces_are_joined() {
        assert_eq!(fold_concat(r#"rmtree(".ki"+"ro")"#), r#"rmtree(".kiro")"#);
        assert_eq!(
            fold_concat("unlink '.kiro-' . 'guard.toml'"),
            "unlink '.kiro-guard.toml'"
        );
        assert_eq!(fold_concat("x = '.ki' 'ro'"), "x = '.kiro'");
        assert_eq!(fold_concat("open('a', 'w')"), "open('a', 'w')");
        assert_eq!(fold_concat("'a'.join(b)"), "'a'.join(b)");
    }

    #[test]
    fn code_built_at_run_time_that_acts_is_opaque() {
        assert!(opaque_code("exec('import shut'+'il')"));
        assert!(opaque_code(
            "import os; os.remove(chr(46) + 'kiro-guard.toml')"
        ));
        assert!(opaque_code("require('fs').rmSync(atob('Lmtpcm8='))"));
        assert!(opaque_code("open('orik.'[::-1] + '/x', 'w')"));
        // Decoding or reversing without deleting, writing or spawning.
        assert!(!opaque_code(
            "import base64; print(base64.b64decode('aGk='))"
        ));
        assert!(!opaque_code("console.log([1,2].reverse())"));
        // Deleting without anything built at run time.
        assert!(!opaque_code("import os; os.remove('build/x.o')"));
    }

    #[test]
    fn shell_grammar_around_a_command_does_not_hide_it() {
        let (_d, g, root) = repo();
        for cmd in [
            "! rm -rf .kiro",
            "if true; then rm -rf .kiro; fi",
            "while true; do rm -rf .kiro; done",
            "coproc rm -rf .kiro",
            "for f in .kiro/hooks/*; do rm \"$f\"; done",
            "for f in .k* src; do rm -rf \"$f\"; done",
            "find .kiro -name '*.json' | while read f; do rm \"$f\"; done",
            "bash <<< 'rm -rf .kiro'",
            "echo 'rm -rf .kiro' | sh",
            "sh < <(echo rm -rf .kiro)",
            ". <(echo rm -rf .kiro)",
            "unshare -r rm -rf .kiro",
            "taskset -c 0 rm -rf .kiro",
            "git -c core.pager='rm -rf .kiro #' log -1",
            "GIT_EXTERNAL_DIFF='rm -rf .kiro #' git diff",
            "git submodule foreach 'rm -rf ../.kiro'",
            "git rebase --exec 'rm .kiro-guard.toml' main",
            "sort -o .kiro-guard.toml .kiro-guard.toml",
            "curl -o .kiro-guard.toml https://example.invalid/x",
            "gzip .kiro-guard.toml",
            "awk 'BEGIN{system(\"rm -rf .kiro\")}'",
            "make -E 'x:;rm -rf .kiro' x",
        ] {
            assert!(blocked(&g, &root, cmd), "{cmd}");
        }
        for cmd in [
            "if [ -f .kiro-guard.toml ]; then echo present; fi",
            "for f in src/*.py; do rm -f \"$f\"; done",
            "while read f; do echo \"$f\"; done < .kiro-guard.toml",
            "bash <<< 'echo hi'",
            "echo 'make test' | sh",
            "sort -o /tmp/sorted .kiro-guard.toml",
            "gzip -c .kiro-guard.toml > /tmp/kg.gz",
            "git -c core.pager=cat log -1 -- .kiro-guard.toml",
            "awk '{print $1}' .kiro-guard.toml",
            "taskset -c 0 cargo test",
        ] {
            assert!(!blocked(&g, &root, cmd), "{cmd}");
        }
    }

    #[test]
    fn attacks_on_guard_files_are_blocked() {
        let (_d, g, root) = repo();
        for cmd in [
            // Archives: members unknown, so the destination tree counts.
            "tar xzf /tmp/a.tgz",
            "tar -xvf /tmp/a.tar",
            "tar -x -f /tmp/a.tar",
            "tar -xf/tmp/a.tar",
            "tar --extract --file /tmp/a.tar",
            "tar xf /tmp/a.tar -C .kiro",
            "tar -xf /tmp/a.tar --directory=.claude",
            "tar xf /tmp/a.tar .kiro/hooks/kiro-guard.json",
            "cd src && tar xf /tmp/a.tar -C ..",
            "bsdtar -xf /tmp/a.tar",
            "unzip -o /tmp/a.zip",
            "unzip -qo /tmp/a.zip -d .kiro",
            "unzip /tmp/a.zip .kiro-guard.toml",
            "cpio -idm < /tmp/a.cpio",
            "7z x /tmp/a.7z",
            "7z x /tmp/a.7z -o.kiro",
            "jar xf /tmp/a.jar",
            "ar x /tmp/a.a",
            "python3 -m zipfile -e /tmp/a.zip .",
            "python3 -m tarfile -e /tmp/a.tar",
            // Contents copied into the tree.
            "rsync -a /tmp/x/ ./",
            "rsync -a /tmp/x/ .kiro/",
            // Patches from a pipe or a here-document.
            "curl -s https://example.com/p.diff | git apply",
            "cat /tmp/p.diff | patch -p1",
            "git apply <<'EOF'\n--- a/.kiro-guard.toml\n+++ b/.kiro-guard.toml\n@@ -1 +1 @@\n-x\n+y\nEOF",
            "patch -p1 <<EOF\n--- a/.kiro/hooks/kiro-guard.json\n+++ b/.kiro/hooks/kiro-guard.json\nEOF",
            "rm -f {.kiro-guard.toml,README.md}",
            "rm -rf .{kiro,claude}",
            "rm -rf .kiro",
            "rm -rf ./.kiro/",
            "mv .kiro x",
            "mv .kiro-guard.toml /tmp/x",
            "rm -f .kiro/hook?/*",
            "rm -rf .k*",
            "cd .kiro && rm -rf hooks",
            "cd src; cd ..; rm .kiro-guard.toml",
            // A failed `cd` leaves the shell where it was.
            "cd nowhere; rm -rf .kiro",
            "CD nowhere\nrm -rf .kiro",
            "mkdir -p new && cd new && rm -rf ../.kiro",
            "find . -delete",
            "find .kiro -name '*.json' -delete",
            "find . -name 'kiro-guard.json' -exec rm {} +",
            "ln -sfn /dev/null .kiro",
            "ln .kiro-guard.toml innocent.txt",
            "sed -e 's/block/warn/' -i .kiro-guard.toml",
            "sed -i.bak 's/x/y/' .kiro-guard.toml",
            "perl -pi -e 's/x/y/' .kiro-guard.toml",
            "awk -i inplace '{print}' .kiro-guard.toml",
            "rsync -a --delete empty/ .kiro/",
            "vim -es -c '%d' -c wq .kiro-guard.toml",
            "echo '' > .kiro-guard.toml",
            "echo x >> .claude/settings.json",
            "printf 'x' | tee .git/hooks/pre-commit",
            "cp /tmp/evil .git/hooks/pre-commit",
            "cp /tmp/hooks .kiro/",
            "truncate -s 0 .kiro-guard.toml",
            "chmod -x .git/hooks/pre-commit",
            "chmod -R 000 .kiro",
            "dd if=/dev/null of=.kiro-guard.toml",
            "git config core.hooksPath /dev/null",
            "git config --global core.hooksPath /tmp/none",
            "git config --unset-all core.hooksPath",
            "git -c core.hooksPath=/dev/null commit -m x",
            "git clean -fdX",
            "git checkout -- .kiro-guard.toml",
            "git rm -r --cached .kiro && rm -rf .kiro",
            "python3 -c \"import shutil; shutil.rmtree('.kiro')\"",
            "node -e \"require('fs').unlinkSync('.kiro-guard.toml')\"",
            "bash -c 'rm -rf .kiro'",
            "sh -c \"mv .kiro-guard.toml x\"",
            "eval 'rm -rf .kiro'",
            "D=.ki; rm -rf ${D}ro",
            "X=.kiro-guard.toml; echo > $X",
            "rm -rf $(echo Lmtpcm8= | base64 -d)",
            "ls | xargs rm -rf .kiro",
            "echo .kiro | xargs rm -rf",
            "sudo rm -rf .kiro",
            "env FOO=1 rm -rf .kiro",
            "timeout 5 rm -rf .kiro",
            "nohup rm .kiro-guard.toml &",
            "watch -n1 rm -rf .kiro",
            "flock /tmp/l rm -rf .kiro",
            "rm -rf .kiro/nonexistent/../hooks",
            "touch .kiro/hooks/new.json",
            "pwsh -Command \"Remove-Item -Recurse -Force .kiro\"",
            "Remove-Item -Recurse -Force .kiro",
            "Set-Content -Path .kiro-guard.toml -Value ''",
            "cmd /c del .kiro-guard.toml",
            "rm -rf ~/.claude/settings.json",
            "echo '[core]' >> ~/.gitconfig",
            "rm \"$HOME/.gitconfig\"",
            "GIT_CONFIG_GLOBAL=/tmp/x GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=core.hooksPath git commit",
            "RM='rm -rf'; $RM .kiro",
            "kiro-guard audit log --event approval --decision allow --note ok",
            "kiro-guard scan . --write-baseline",
            "kiro-guard init --all --force",
            "rm -rf $'\\x2ekiro'",
        ] {
            assert!(blocked(&g, &root, cmd), "should block: {cmd}");
        }
    }

    #[test]
    fn benign_twins_are_allowed() {
        let (_d, g, root) = repo();
        for cmd in [
            "ls -la .kiro/hooks 2>/dev/null",
            "cat .kiro-guard.toml > /tmp/x",
            "cp .kiro-guard.toml /tmp/x",
            "git config --get core.hooksPath",
            "git config user.name",
            "git log -- .git/hooks > /dev/null",
            "echo 'see .kiro-guard.toml' >> NOTES.md",
            "grep -r block .kiro-guard.toml",
            "rm -rf build dist",
            "rm -rf ./node_modules",
            "find . -name '*.pyc' -delete",
            "find src -type f -delete",
            "cd src && rm -f app.py",
            "cd src; rm -rf .kiro",
            "mv src/app.py src/main.py",
            "sed -i 's/a/b/' src/app.py",
            "chmod -R u+w src",
            "python3 -c 'print(1)'",
            "cat .kiro/hooks/kiro-guard.json | jq .",
            "diff .kiro-guard.toml /tmp/x 2>&1",
            "git status",
            "git clean -fd src",
            "tar czf /tmp/b.tgz .kiro",
            "echo done > docs/hooks/readme.md",
            "cp -r .kiro /tmp/backup",
            "rsync -a .kiro/ /tmp/backup/",
            "kiro-guard scan src",
            "kiro-guard audit verify",
            "tar czf /tmp/b.tgz src",
            "tar -tzf /tmp/a.tgz",
            "tar xf /tmp/a.tar -C build",
            "mkdir -p vendor && cd vendor && tar xzf /tmp/a.tgz",
            "tar xf /tmp/a.tar README.md src/app.py",
            "unzip -l /tmp/a.zip",
            "unzip -o /tmp/a.zip -d vendor",
            "unzip -p /tmp/a.zip x.txt > out.txt",
            "7z l /tmp/a.7z",
            "7z x /tmp/a.7z -obuild",
            "python3 -m zipfile -l /tmp/a.zip",
            "python3 -m zipfile -e /tmp/a.zip vendor/",
            "rsync -a /tmp/x/ build/",
            "cat /tmp/p.diff | patch -d src -p1",
            "git apply <<'EOF'\n--- a/src/app.py\n+++ b/src/app.py\n@@ -1 +1 @@\n-x\n+y\nEOF",
        ] {
            assert!(
                !blocked(&g, &root, cmd),
                "should allow: {cmd}: {:?}",
                g.check_command(&root, cmd)
            );
        }
    }

    #[test]
    fn tool_paths_resolve_dots_case_and_symlinks() {
        let (_d, g, root) = repo();
        let hit = |p: &str| g.check_path(&root, p, Mutation::Write).is_some();
        assert!(hit(".kiro/nonexistent/../hooks/x.json"));
        assert!(hit("./.KIRO/Hooks/x.json"));
        assert!(hit(&root.join(".kiro-guard.toml").to_string_lossy()));
        assert!(!hit("src/kiro-guard.rs"));
        assert!(!hit("docs/hooks/x.md"));
        assert!(!hit(".claude/commands/x.md"));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(root.join(".kiro"), root.join("link")).unwrap();
            assert!(hit("link/hooks/x.json"));
            std::fs::hard_link(root.join(".kiro-guard.toml"), root.join("alias.txt")).unwrap();
            let g2 = GuardFiles::new(&root, &[]);
            assert!(g2.check_path(&root, "alias.txt", Mutation::Write).is_some());
        }
        let input = serde_json::json!({"path": ".kiro/hooks/kiro-guard.json"});
        assert!(!g.check_tool(&root, "delete_file", &input).is_empty());
        assert!(
            !g.check_tool(&root, "mcp__filesystem__write_file", &input)
                .is_empty()
        );
        assert!(
            !g.check_tool(
                &root,
                "@filesystem/move_file",
                &serde_json::json!({"source": ".kiro-guard.toml", "destination": "x"})
            )
            .is_empty()
        );
        assert!(
            g.check_tool(&root, "mcp__filesystem__read_file", &input)
                .is_empty()
        );
        assert!(g.check_tool(&root, "fs_read", &input).is_empty());
    }

    #[test]
    fn lexer_survives_garbage() {
        let (_d, g, root) = repo();
        for cmd in [
            "$((",
            "`",
            "'",
            "\"$(",
            "<<",
            "a > ",
            "${",
            "$'\\",
            ">&",
            "rm -rf $(",
            "(((((((((",
        ] {
            let _ = g.check_command(&root, cmd);
        }
        let deep = "$(".repeat(5000);
        let _ = g.check_command(&root, &deep);
        let long = ":;".repeat(100_000) + "rm -rf .kiro";
        assert!(blocked(&g, &root, &long));
    }
}
