//! From one hook event to an [`Outcome`]: load the configuration and the
//! skills, build the items (the file as it will be after an edit, a shell
//! command, an MCP call, a prompt, saved files), protect kiro-guard's own
//! files, decide, and record the decision in the audit log.

use super::render::describe;
use super::*;

fn guard_finding(path: &str, what: &str) -> Reported {
    let path: String = if path.chars().count() > 120 {
        path.chars().take(120).collect::<String>() + "…"
    } else {
        path.to_string()
    };
    let path = path.as_str();
    Reported {
        skill: "kiro-guard".into(),
        rule: "protected-guard-file".into(),
        severity: Severity::Block,
        path: path.into(),
        line: 1,
        column: 1,
        end_line: 1,
        end_column: 1,
        message: format!("agents may not {what} kiro-guard's own configuration, hooks or audit log"),
        evidence: path.into(),
        references: vec![kiro_guard_contract::refs::TRM_7_5.to_reference(), kiro_guard_contract::refs::TRM_12_2.to_reference()],
        remediation: "Ask the user to make this change by hand; the guard's configuration is part of the trust boundary (set hooks.protect_guard_files = false to allow).".into(),
        fingerprint: String::new(),
    }
}

fn rel_to(root: &Path, p: &Path) -> String {
    let canon_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let canon_p = match std::fs::canonicalize(p) {
        Ok(c) => c,
        // A new file: canonicalise its directory.
        Err(_) => match (
            p.parent().and_then(|d| std::fs::canonicalize(d).ok()),
            p.file_name(),
        ) {
            (Some(d), Some(n)) => d.join(n),
            _ => p.to_path_buf(),
        },
    };
    canon_p
        .strip_prefix(&canon_root)
        .unwrap_or(&canon_p)
        .to_string_lossy()
        .replace('\\', "/")
}

/// The decision for one event.
pub fn decide(args: &HookOptions, ev: &HookEvent, started: Instant) -> Outcome {
    // Some agents send `tool_input` as a JSON document inside a string.
    let normalized;
    let ev = match &ev.tool_input {
        Value::String(s) if s.trim_start().starts_with('{') => match json::parse(s.as_bytes()) {
            Ok(v @ Value::Object(_)) => {
                let mut e = ev.clone();
                e.tool_input = v;
                normalized = e;
                &normalized
            }
            _ => ev,
        },
        _ => ev,
    };
    let cwd = ev
        .cwd
        .as_ref()
        .map(PathBuf::from)
        .filter(|p| p.is_dir())
        .unwrap_or_else(|| std::env::current_dir().unwrap_or_default());
    let root = repo_root(&cwd);
    let config = match Config::resolve_for_repo(args.skill.config.as_deref(), &root) {
        Ok(c) => c,
        Err(e) => {
            return failure(
                OnError::Block,
                format!("kiro-guard cannot read its configuration: {e:#}"),
            );
        }
    };
    let on_error = config.hook_on_error();
    let max_size = config.max_file_size();
    let audit_cfg = config.audit.clone();
    let protect = config.hooks.protect_guard_files;
    let guard_files = protect.then(|| {
        let mut extra = Vec::new();
        if let Some(b) = &config.baseline {
            extra.push(
                config
                    .base_dir()
                    .map(|d| d.join(b))
                    .unwrap_or_else(|| b.clone()),
            );
        }
        if let Some(d) = &config.audit.dir {
            extra.push(d.clone());
        }
        guard_files::GuardFiles::new(&root, &extra)
    });
    let mut guard = match Guard::from_config(config, &args.skill.selection) {
        Ok(g) => g,
        Err(e) => {
            return failure(
                on_error,
                format!("kiro-guard cannot load its skills: {e:#}"),
            );
        }
    };
    guard.only_committed_approvals(&root);
    if let Err(e) = guard.load_gitleaks(&root, true) {
        return failure(
            on_error,
            format!("kiro-guard cannot load the gitleaks files: {e:#}"),
        );
    }
    let mut ctx = Ctx {
        guard: &guard,
        root: &root,
        cwd: &cwd,
        notes: Vec::new(),
        pre_existing: 0,
    };
    let mut report = Report::default();
    let mut record_path = None;
    let mut record_command = None;
    let mut mcp = None;

    match ev.kind {
        EventKind::PreToolUse => {
            let tool = ev.tool_name.clone().unwrap_or_default();
            let empty_input = ev.tool_input.as_object().is_none_or(|o| o.is_empty());
            match payload::tool_kind(&tool) {
                _ if tool.is_empty() => ctx.notes.push("PreToolUse payload without tool_name; allowing".into()),
                ToolKind::Write if empty_input => report.errors.push(ErrorEntry {
                    kind: ErrorKind::Io,
                    skill: None,
                    path: None,
                    message: format!(
                        "{tool}: the agent sent an empty tool_input (a known Kiro IDE bug), so kiro-guard cannot see what this call would write; {}",
                        match on_error {
                            OnError::Block => "blocking because on_error = \"block\" (set [hooks] on_error = \"warn\" in .kiro-guard.toml to let such calls through with a warning)",
                            OnError::Warn => "allowing with a warning because on_error = \"warn\"",
                        }
                    ),
                }),
                ToolKind::Write => {
                    if let Some(g) = &guard_files {
                        for h in g.check_tool(&cwd, &tool, &ev.tool_input) {
                            report.findings.push(guard_finding(&h.path, h.what));
                        }
                    }
                    let (r, path) = ctx.write(&tool, &ev.tool_input);
                    report.merge(r);
                    record_path = path;
                }
                ToolKind::Shell => {
                    let cmd = command_of(&ev.tool_input);
                    if cmd.is_empty() {
                        ctx.notes.push(format!("{tool}: no command in tool_input; allowing"));
                    } else {
                        if let Some(g) = &guard_files {
                            for h in g.check_command(&cwd, &cmd) {
                                report.findings.push(guard_finding(&h.path, h.what));
                            }
                        }
                        report.merge(guard.analyze(&Item::command(&cmd, &rel_to(&root, &cwd))));
                        // Write-then-run: the files the command executes are
                        // judged as if their commands were typed.
                        for e in executed::executed_files(&root, &cwd, &cmd) {
                            let mut r = guard.analyze(&Item::file(e.doc));
                            for f in &mut r.findings {
                                f.message = format!("{} (in a file run by `{}`)", f.message, crate::audit::scrub(&e.via));
                            }
                            report.merge(r);
                        }
                        record_command = Some(mask_command(&cmd, &report));
                    }
                }
                ToolKind::Mcp { server, tool: t } => {
                    if let Some(g) = &guard_files {
                        for h in g.check_tool(&cwd, &tool, &ev.tool_input) {
                            report.findings.push(guard_finding(&h.path, h.what));
                        }
                    }
                    let input = serde_json::to_string(&ev.tool_input).unwrap_or_default();
                    report.merge(guard.analyze(&Item::tool(&tool, &server, &input)));
                    // Files the tool writes (locally or to a remote
                    // repository) are judged as those files, so a CI file or
                    // a script pushed through an API meets the same rules.
                    for (path, content) in mcp_files(&ev.tool_input) {
                        report.merge(guard.analyze(&Item::file(kiro_guard_contract::Document::new(path, content))));
                    }
                    // A git server's commit tool commits without running
                    // git's hooks: the staged changes are scanned as the
                    // pre-commit hook would scan them.
                    if is_commit_tool(&t) {
                        let repo = mcp_repo(&ev.tool_input, &cwd);
                        match crate::git::staged_items(&repo_root(&repo), max_size) {
                            Ok((items, errors)) => report.merge(guard.scan_items(items, errors)),
                            Err(e) => report.errors.push(ErrorEntry {
                                kind: ErrorKind::Io,
                                skill: None,
                                path: None,
                                message: format!("{tool}: cannot read the staged changes this commit tool would record: {e:#}"),
                            }),
                        }
                    }
                    mcp = Some((server, t));
                }
                ToolKind::Other => {
                    if let Some(g) = &guard_files {
                        for h in g.check_tool(&cwd, &tool, &ev.tool_input) {
                            report.findings.push(guard_finding(&h.path, h.what));
                        }
                    }
                    let input = serde_json::to_string(&ev.tool_input).unwrap_or_default();
                    // Reads of guard or secret files, etc.: the skills decide.
                    report.merge(guard.analyze(&Item::tool(&tool, "", &input)));
                }
            }
        }
        EventKind::UserPromptSubmit => {
            match ev.prompt.as_deref().filter(|p| !p.trim().is_empty()) {
                Some(p) => report.merge(guard.analyze(&Item::prompt(p))),
                None => ctx
                    .notes
                    .push("prompt event without a prompt (a known Kiro bug); allowing".into()),
            }
        }
        EventKind::PostToolUse | EventKind::FileSaved => {
            for one in ev.each() {
                let (r, path) = ctx.saved_files(one);
                report.merge(r);
                record_path = record_path.or(path);
            }
        }
        EventKind::Other => ctx
            .notes
            .push(format!("event {:?} needs no check", ev.event_name)),
    }
    report.sort();

    let mut decision = report.decision(on_error);
    // Post-events cannot block; report what the agent should fix as warnings.
    if matches!(ev.kind, EventKind::PostToolUse | EventKind::FileSaved)
        && decision == Decision::Block
    {
        decision = Decision::Warn;
    }
    let mut message = describe(ev, &report, decision);
    if ctx.pre_existing > 0 {
        ctx.notes.push(format!(
            "{} finding(s) already in the file before this edit were not counted against it; run `kiro-guard scan` on the file to see them",
            ctx.pre_existing
        ));
    }

    // Audit: every hook decision is recorded; a log failure follows on_error.
    if audit_cfg.enabled {
        let log = AuditLog::for_repo(&root, audit_cfg.dir.as_deref());
        let mut rec = AuditRecord::from_report("hook", &report, decision)
            .context(&root)
            .dialect(ev.dialect.as_str())
            .skills(&guard.skills)
            .duration(started.elapsed());
        if let Some(t) = &ev.tool_name {
            rec = rec.tool(t.clone());
        }
        if let Some(p) = record_path {
            rec = rec.path(p);
        }
        if let Some(c) = record_command {
            rec = rec.command(c);
        }
        if let Some((s, t)) = mcp {
            rec = rec.mcp(s, t);
        }
        if ev.kind == EventKind::UserPromptSubmit {
            rec = rec.note("user prompt");
        }
        if let Err(failure) = log.record(&rec, on_error) {
            let why = format!(
                "kiro-guard could not write its audit log ({}): {:#}",
                failure.dir.display(),
                failure.error
            );
            match failure.block {
                true if ev.kind == EventKind::PreToolUse
                    || ev.kind == EventKind::UserPromptSubmit =>
                {
                    decision = Decision::Block;
                    message = format!(
                        "{why}. Blocking because on_error = \"block\"; fix the log location or set [audit] dir in .kiro-guard.toml."
                    );
                }
                _ => ctx.notes.push(why),
            }
        }
    }
    Outcome {
        decision,
        message,
        notes: ctx.notes,
    }
}

struct Ctx<'a> {
    guard: &'a Guard,
    root: &'a Path,
    cwd: &'a Path,
    notes: Vec<String>,
    pre_existing: usize,
}

impl Ctx<'_> {
    /// A write/edit: scan the file as it will be, count only what the edit adds.
    fn write(&mut self, tool: &str, input: &Value) -> (Report, Option<String>) {
        let mut report = Report::default();
        let cwd = self.cwd.to_string_lossy().into_owned();
        let applied = match edit::apply(tool, input, Some(&cwd), MAX_HOOK_FILE) {
            Ok(a) => a,
            Err(e) => {
                // Cannot apply (no path, too large, unreadable): scan the raw input text.
                self.notes
                    .push(format!("{tool}: {e}; scanned the tool input text instead"));
                let text = input
                    .as_object()
                    .map(|o| {
                        o.values()
                            .filter_map(Value::as_str)
                            .collect::<Vec<_>>()
                            .join("\n")
                    })
                    .unwrap_or_default();
                if text.len() as u64 > MAX_HOOK_FILE {
                    report.errors.push(ErrorEntry {
                        kind: ErrorKind::Io,
                        skill: None,
                        path: None,
                        message: format!("{tool}: input over {MAX_HOOK_FILE} bytes; not scanned"),
                    });
                    return (report, None);
                }
                let path = edit::target_path(input)
                    .unwrap_or("<tool-input>")
                    .to_string();
                return (
                    self.guard
                        .analyze(&Item::file(Document::new(path.clone(), text))),
                    Some(path),
                );
            }
        };
        let rel = rel_to(self.root, &applied.path);
        if let Some(n) = &applied.note {
            self.notes.push(n.clone());
        }
        if applied.after.len() as u64 > MAX_HOOK_FILE {
            report.errors.push(ErrorEntry {
                kind: ErrorKind::Io,
                skill: None,
                path: Some(rel.clone()),
                message: format!("the file would be {} bytes, over the {MAX_HOOK_FILE}-byte hook limit; not scanned", applied.after.len()),
            });
            return (report, Some(rel));
        }
        if applied.changed.as_ref().is_some_and(Vec::is_empty) {
            return (report, Some(rel));
        }
        let mut doc = Document::new(rel.clone(), applied.after.clone());
        // A new file: every line is part of the change (so an allow comment
        // in it is the agent's own).
        doc.changed_lines = applied.changed.clone().or_else(|| {
            Some(vec![kiro_guard_contract::LineRange {
                start: 1,
                end: u32::MAX,
            }])
        });
        let after = self.guard.analyze(&Item::file(doc));
        // Drop findings whose value was already in the file: an unrelated
        // edit must not be blocked by legacy content.
        let mut after = after;
        if let Some(before) = &applied.before
            && !after.findings.is_empty()
        {
            let old = self
                .guard
                .analyze(&Item::file(Document::new(rel.clone(), before.clone())));
            let mut old_keys: Vec<(String, String, String)> = old
                .findings
                .iter()
                .map(|f| {
                    (
                        f.skill.clone(),
                        f.rule.clone(),
                        matched(before, f).to_string(),
                    )
                })
                .collect();
            let before_count = after.findings.len();
            after.findings.retain(|f| {
                let key = (
                    f.skill.clone(),
                    f.rule.clone(),
                    matched(&applied.after, f).to_string(),
                );
                match old_keys.iter().position(|k| *k == key) {
                    Some(i) => {
                        old_keys.swap_remove(i);
                        false
                    }
                    None => true,
                }
            });
            self.pre_existing += before_count - after.findings.len();
        }
        report.merge(after);
        (report, Some(rel))
    }

    /// Saved/created files (post events): the named file, the path in the
    /// tool response, or (legacy IDE, no path) the working tree's changes.
    fn saved_files(&mut self, ev: &HookEvent) -> (Report, Option<String>) {
        let mut paths: Vec<PathBuf> = Vec::new();
        if let Some(p) = edit::target_path(&ev.tool_input) {
            paths.push(edit::resolve(p, Some(&self.cwd.to_string_lossy())));
        } else if let Some(p) = ev
            .tool_response
            .as_ref()
            .and_then(payload::path_from_response)
        {
            let candidate = edit::resolve(&p, Some(&self.cwd.to_string_lossy()));
            paths.push(if candidate.exists() {
                candidate
            } else {
                self.root.join(p)
            });
        }
        if paths.is_empty() {
            if ev.kind == EventKind::PostToolUse
                && ev
                    .tool_name
                    .as_deref()
                    .is_some_and(|t| payload::tool_kind(t) != ToolKind::Write)
            {
                return (Report::default(), None);
            }
            match crate::git::worktree_items(self.root, MAX_HOOK_FILE) {
                Ok((items, errors)) => {
                    let mut r = self.guard.analyze_all(items);
                    r.errors.extend(errors);
                    return (r, None);
                }
                Err(e) => {
                    self.notes.push(format!(
                        "no file path in the event and no git working tree to scan: {e:#}"
                    ));
                    return (Report::default(), None);
                }
            }
        }
        let mut report = Report::default();
        let mut label = None;
        for p in paths {
            let rel = rel_to(self.root, &p);
            match crate::files::load(&p, MAX_HOOK_FILE) {
                crate::files::Loaded::Item(item) => {
                    let Item { input, .. } = item;
                    if let kiro_guard_contract::Input::File(mut d) = input {
                        d.path = rel.clone();
                        report.merge(self.guard.analyze(&Item::file(d)));
                    }
                }
                crate::files::Loaded::Skipped(e) => {
                    self.notes.push(format!("{rel}: {}", e.message))
                }
            }
            label = Some(rel);
        }
        (report, label)
    }
}

fn matched<'a>(text: &'a str, f: &Reported) -> &'a str {
    span_text(text, &f.span())
}

/// Commit tools of git MCP servers (`git_commit` of the reference git
/// server, and the like).
fn is_commit_tool(tool: &str) -> bool {
    let t = tool.to_ascii_lowercase().replace('-', "_");
    matches!(
        t.as_str(),
        "git_commit" | "commit" | "commit_changes" | "git_commit_changes"
    )
}

/// The repository a git MCP tool works on (`repo_path`), else the hook's
/// working directory.
fn mcp_repo(input: &Value, cwd: &Path) -> PathBuf {
    ["repo_path", "repoPath", "repository", "path", "cwd"]
        .iter()
        .find_map(|k| input.get(*k).and_then(Value::as_str))
        .map(|p| cwd.join(p))
        .filter(|p| p.is_dir())
        .unwrap_or_else(|| cwd.to_path_buf())
}

/// `(path, content)` pairs a tool call writes: `{path, content}` at the top
/// (GitHub's `create_or_update_file`, filesystem `write_file`) and in a
/// `files` array (`push_files`), bounded.
fn mcp_files(input: &Value) -> Vec<(String, String)> {
    let one = |v: &Value| -> Option<(String, String)> {
        let path = ["path", "file_path", "filePath"]
            .iter()
            .find_map(|k| v.get(*k).and_then(Value::as_str))?;
        let content = ["content", "contents", "text"]
            .iter()
            .find_map(|k| v.get(*k).and_then(Value::as_str))?;
        Some((
            path.trim_start_matches('/').to_string(),
            content.to_string(),
        ))
    };
    let mut out: Vec<(String, String)> = one(input).into_iter().collect();
    if let Some(files) = input.get("files").and_then(Value::as_array) {
        out.extend(files.iter().take(1000).filter_map(one));
    }
    out
}

fn command_of(input: &Value) -> String {
    match input {
        Value::String(s) => s.clone(),
        _ => input
            .get("command")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
    }
}

/// The command for the audit log, with every finding's span replaced by its
/// masked evidence and the length capped.
fn mask_command(cmd: &str, report: &Report) -> String {
    let on_command = report
        .findings
        .iter()
        .filter(|f| f.path == "<command>" && crate::redact::redactable(f));
    let (mut out, _) = crate::redact::replace_with_evidence(cmd, on_command);
    if out.chars().count() > 500 {
        out = out.chars().take(500).collect::<String>() + "…";
    }
    out
}
