//! From inputs to a decision: runs the enabled skills on each item, then
//! applies the configuration (changed lines, rule overrides, allowlists,
//! inline suppressions, baseline) and the failure policy.

use crate::baseline::Baseline;
use crate::builtin::{BUILTIN_SKILLS, builtin_names};
use crate::cache::AotCache;
use crate::config::{Config, RuleOverride};
use crate::files::{self, Loaded};
use crate::item::Item;
use crate::report::{ErrorEntry, ErrorKind, Report, Reported};
use crate::runtime::{Limits, LoadedSkill, Runtime, SkillError, SkillSource, sha256_hex};
use anyhow::{Context, Result, anyhow, bail};
use globset::{Glob, GlobSet, GlobSetBuilder};
use kiro_guard_contract::text::touches_changed;
pub use kiro_guard_contract::text::{span_bytes, span_bytes_indexed, span_text};
use kiro_guard_contract::{self as sdk, Input, Severity};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Options that select skills.
#[derive(Debug, Clone, Default)]
pub struct SkillSelection {
    /// Only these skills (by name); empty = the config's `enabled_skills` or all.
    pub only: Vec<String>,
    /// Extra unpinned components for development (`--with-skill`).
    pub with_skill: Vec<PathBuf>,
}

/// Which configuration and skills a command loads.
#[derive(Debug, Clone, Default)]
pub struct SkillOptions {
    /// Configuration file; None: found from the scanned path or repository.
    pub config: Option<PathBuf>,
    /// The skills to load.
    pub selection: SkillSelection,
}

/// The loaded skills plus the configuration that shapes their results.
pub struct Guard {
    pub runtime: Runtime,
    pub skills: Vec<LoadedSkill>,
    pub config: Config,
    allow_paths: GlobSet,
    rule_allow_paths: Vec<(String, GlobSet)>,
    allow_values: Vec<regex::Regex>,
    baseline: Option<Baseline>,
    /// Hooks and git hooks: an inline allow on a line of the same change, or
    /// a baseline entry not yet committed, does not suppress (an agent cannot
    /// approve its own finding).
    only_committed_approvals: bool,
    /// Keys baseline fingerprints (see [`crate::fingerprint`]).
    fingerprint_key: crate::fingerprint::Key,
    /// The repository's `.gitleaks.toml` as `banking-code-review` settings
    /// (see [`Guard::load_gitleaks`]).
    gitleaks_settings: Option<serde_json::Map<String, serde_json::Value>>,
    /// The repository's `.gitleaksignore`.
    gitleaks_ignore: Option<crate::gitleaks::Ignore>,
}

impl Guard {
    /// Load built-in skills (those enabled), pinned external skills from the
    /// config and any `--with-skill` components.
    pub fn new(runtime: Runtime, config: Config, selection: &SkillSelection) -> Result<Guard> {
        let wanted = |name: &str| -> bool {
            if !selection.only.is_empty() {
                return selection.only.iter().any(|s| s == name);
            }
            match &config.enabled_skills {
                Some(list) => list.iter().any(|s| s == name),
                None => true,
            }
        };
        for name in &selection.only {
            let known = BUILTIN_SKILLS.iter().any(|(n, _, _)| n == name);
            if !known && config.external_skills.is_empty() && selection.with_skill.is_empty() {
                bail!(
                    "unknown skill {name:?} (built-in skills: {})",
                    builtin_names().join(", ")
                );
            }
        }
        let builtin: Vec<(&str, &[u8], &str)> = BUILTIN_SKILLS
            .iter()
            .copied()
            .filter(|(n, _, _)| wanted(n))
            .collect();
        // Load in parallel: on a cold cache each one compiles.
        // Warm cache: load on this thread. Extra threads are not free: every
        // unmapped instance memory then costs TLB shoot-downs across cores.
        let warm = builtin.iter().all(|(_, _, sha)| runtime.is_cached(sha));
        let mut skills: Vec<LoadedSkill> = if warm {
            builtin
                .iter()
                .map(|(name, bytes, sha)| {
                    runtime
                        .load_hashed(bytes, sha, SkillSource::Builtin)
                        .with_context(|| format!("built-in skill {name}"))
                })
                .collect::<Result<Vec<_>>>()?
        } else {
            std::thread::scope(|s| {
                let handles: Vec<_> = builtin
                    .iter()
                    .map(|(name, bytes, sha)| {
                        let rt = &runtime;
                        s.spawn(move || {
                            rt.load_hashed(bytes, sha, SkillSource::Builtin)
                                .with_context(|| format!("built-in skill {name}"))
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().expect("skill loader thread panicked"))
                    .collect::<Result<Vec<_>>>()
            })?
        };
        let base = config
            .base_dir()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        for ext in &config.external_skills {
            let path = base.join(&ext.path);
            let bytes = std::fs::read(&path)
                .with_context(|| format!("external skill {}: cannot read", path.display()))?;
            let actual = sha256_hex(&bytes);
            if !actual.eq_ignore_ascii_case(&ext.sha256) {
                bail!(
                    "external skill {} refused: its SHA-256 is {actual}, but the config pins {}; the file was changed after pinning",
                    path.display(),
                    ext.sha256
                );
            }
            let skill = runtime
                .load(&bytes, SkillSource::External(path.clone()))
                .with_context(|| format!("external skill {} refused", path.display()))?;
            if wanted(&skill.info.name) || selection.only.is_empty() {
                skills.push(skill);
            }
        }
        for path in &selection.with_skill {
            let bytes = std::fs::read(path)
                .with_context(|| format!("--with-skill {}: cannot read", path.display()))?;
            let skill = runtime
                .load(&bytes, SkillSource::External(path.clone()))
                .with_context(|| format!("--with-skill {} refused", path.display()))?;
            eprintln!(
                "kiro-guard: loaded unpinned skill {} from {} (sha256 {}); pin it in .kiro-guard.toml with:\n  [[external_skills]]\n  path = {:?}\n  sha256 = \"{}\"",
                skill.info.name,
                path.display(),
                skill.sha256,
                path.display().to_string(),
                skill.sha256
            );
            skills.push(skill);
        }
        let mut names = std::collections::HashSet::new();
        for s in &skills {
            if !names.insert(s.info.name.clone()) {
                bail!(
                    "two skills are named {:?}; skill names must be unique",
                    s.info.name
                );
            }
        }
        let allow_paths = globset(&config.allow.paths)?;
        let mut rule_allow_paths = Vec::new();
        for (rule, o) in &config.rules {
            if let RuleOverride::Table(t) = o
                && !t.allow_paths.is_empty()
            {
                rule_allow_paths.push((rule.clone(), globset(&t.allow_paths)?));
            }
        }
        let allow_values = config
            .allow
            .values
            .iter()
            .map(|v| regex::Regex::new(v))
            .collect::<Result<Vec<_>, _>>()?;
        let baseline = match &config.baseline {
            Some(p) => {
                let p = base.join(p);
                if p.exists() {
                    Some(Baseline::load(&p)?)
                } else {
                    None
                }
            }
            None => None,
        };
        let config_for_key: Option<PathBuf> = config.base_dir().map(Path::to_path_buf);
        Ok(Guard {
            runtime,
            skills,
            config,
            allow_paths,
            rule_allow_paths,
            allow_values,
            baseline,
            only_committed_approvals: false,
            gitleaks_settings: None,
            gitleaks_ignore: None,
            fingerprint_key: crate::fingerprint::Key::for_dir(&config_dir_or_cwd(&config_for_key)),
        })
    }

    /// Build the runtime the configuration describes (limits, compile cache)
    /// and load the selected skills.
    pub fn from_config(config: Config, selection: &SkillSelection) -> Result<Guard> {
        let mut limits = Limits::default();
        if let Some(f) = config.limits.fuel {
            limits.fuel_base = f;
        }
        if let Some(f) = config.limits.fuel_per_byte {
            limits.fuel_per_byte = f;
        }
        if let Some(m) = config.limits.memory_mib {
            limits.memory_bytes = m << 20;
        }
        let cache_dir = match &config.cache_dir {
            Some(d) => Some(
                config
                    .base_dir()
                    .map(|b| b.join(d))
                    .unwrap_or_else(|| d.clone()),
            ),
            // Managed mode: only the policy's cache directory, never one an
            // environment variable names.
            None if crate::policy::managed() => None,
            None => AotCache::default_dir(),
        };
        let runtime = Runtime::new(limits, AotCache::new(cache_dir))?;
        Guard::new(runtime, config, selection)
    }

    /// Count only approvals a human committed: inline allows on lines the
    /// change adds are ignored, and the baseline is read from `HEAD` of the
    /// repository at `root` (not from the working tree or the index).
    pub fn only_committed_approvals(&mut self, root: &Path) {
        self.only_committed_approvals = true;
        let Some(rel) = self.config.baseline.clone() else {
            return;
        };
        let base = self
            .config
            .base_dir()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| root.to_path_buf());
        let abs = base.join(&rel);
        let canon_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let canon_abs = std::fs::canonicalize(&abs).unwrap_or(abs);
        let Ok(in_repo) = canon_abs.strip_prefix(&canon_root) else {
            return;
        };
        let spec = format!("HEAD:{}", in_repo.to_string_lossy().replace('\\', "/"));
        self.baseline = crate::git::show_blob(root, &spec)
            .ok()
            .and_then(|bytes| Baseline::parse(&bytes).ok());
    }

    /// Read the repository's gitleaks files at `root`: `.gitleaks.toml`
    /// (its rules run as extra credential rules of `banking-code-review`,
    /// reported as `gitleaks/<id>`, with its allowlists) and
    /// `.gitleaksignore` (findings listed by `file:rule-id:line` are
    /// suppressed). With `committed` (hooks and git hooks) both are read from
    /// `HEAD`, so an agent's uncommitted edit of either neither adds nor
    /// removes anything; a file absent from the working tree is not looked
    /// up. An unreadable or invalid file is an error naming it.
    pub fn load_gitleaks(&mut self, root: &Path, committed: bool) -> Result<()> {
        let read = |name: &str| -> Result<Option<String>> {
            if !root.join(name).is_file() {
                return Ok(None);
            }
            let bytes = if committed {
                match crate::git::show_blob(root, &format!("HEAD:{name}")) {
                    Ok(b) => b,
                    // Not committed yet: nothing a human approved.
                    Err(_) => return Ok(None),
                }
            } else {
                std::fs::read(root.join(name))
                    .with_context(|| format!("cannot read {}", root.join(name).display()))?
            };
            String::from_utf8(bytes)
                .map(Some)
                .map_err(|_| anyhow!("{name}: not UTF-8 text"))
        };
        if let Some(text) = read(".gitleaks.toml")? {
            let settings = crate::gitleaks::skill_settings(&text).map_err(|e| anyhow!(e))?;
            self.gitleaks_settings = Some(settings);
        }
        if let Some(text) = read(".gitleaksignore")? {
            let ignore = crate::gitleaks::Ignore::parse(&text).map_err(|e| anyhow!(e))?;
            self.gitleaks_ignore = Some(ignore);
        }
        Ok(())
    }

    /// Replace the baseline (e.g. to ignore it while writing a new one).
    pub fn set_baseline(&mut self, baseline: Option<Baseline>) {
        self.baseline = baseline;
    }

    /// Whether a path is excluded by `allow.paths`.
    pub fn path_allowed(&self, path: &str) -> bool {
        self.allow_paths.is_match(path)
    }

    /// Analyse items in parallel and merge the results.
    pub fn analyze_all(&self, items: Vec<Item>) -> Report {
        if items.len() <= 1 {
            let mut report =
                items
                    .iter()
                    .map(|i| self.analyze(i))
                    .fold(Report::default(), |mut a, b| {
                        a.merge(b);
                        a
                    });
            report.sort();
            return report;
        }
        let mut report = items
            .into_par_iter()
            .map(|item| self.analyze(&item))
            .reduce(Report::default, |mut a, b| {
                a.merge(b);
                a
            });
        report.sort();
        report
    }

    /// Walk and scan paths, reading and analysing each file in parallel.
    pub fn scan_paths(&self, paths: &[PathBuf], max_size: u64) -> Report {
        let (files, walk_errors) = files::collect(paths);
        let scan_one = |p: &PathBuf| -> Report {
            let label = files::display(p);
            if self.path_allowed(&label) {
                return Report::default();
            }
            match files::load(p, max_size) {
                Loaded::Item(item) => self.analyze(&item),
                Loaded::Skipped(e) => Report {
                    errors: vec![e],
                    ..Report::default()
                },
            }
        };
        if files.len() <= 1 {
            // One file: no thread pool (threads make every memory unmap a cross-core TLB flush).
            let mut report = files
                .iter()
                .map(scan_one)
                .fold(Report::default(), |mut a, b| {
                    a.merge(b);
                    a
                });
            report.errors.extend(walk_errors);
            return report;
        }
        let mut report = files
            .par_iter()
            .map(scan_one)
            .reduce(Report::default, |mut a, b| {
                a.merge(b);
                a
            });
        report.errors.extend(walk_errors);
        report
    }

    /// Analyse items read elsewhere (staged blobs, a commit range), leaving
    /// out paths `allow.paths` excludes, and add the errors met reading them.
    pub fn scan_items(&self, items: Vec<Item>, read_errors: Vec<ErrorEntry>) -> Report {
        let items: Vec<Item> = items
            .into_iter()
            .filter(|i| !self.path_allowed(&i.label))
            .collect();
        let mut report = self.analyze_all(items);
        report.errors.extend(read_errors);
        report
    }

    /// Run every skill on one item and post-process the findings.
    pub fn analyze(&self, item: &Item) -> Report {
        let mut report = Report {
            items: 1,
            bytes: item.text().len() as u64,
            ..Report::default()
        };
        // One line index per item: post-processing looks up every finding.
        let index = kiro_guard_contract::text::LineIndex::new(item.text());
        let has_allow_comment = item.text().contains("kiro-guard: allow ");
        let line_count = match &item.input {
            Input::File(_) => Some(index.line_count()),
            _ => None,
        };
        if let Input::File(d) = &item.input
            && self.path_allowed(&d.path)
        {
            return report;
        }
        for skill in &self.skills {
            let mut settings = self.config.skill_settings_json(&skill.info.name);
            if skill.info.name == "banking-code-review"
                && let Some(extra) = &self.gitleaks_settings
            {
                settings = with_gitleaks(&settings, extra);
            }
            if let Input::File(d) = &item.input
                && skill.info.name == "mas-compliance-review"
                && let Some(with) = crate::module_files::with_terraform_siblings(&settings, &d.path)
            {
                settings = with;
            }
            match self
                .runtime
                .analyze(skill, &item.input, &settings, line_count)
            {
                Ok(findings) => {
                    for f in findings {
                        if let Some(r) = self.post_process(
                            skill,
                            item,
                            f,
                            &index,
                            has_allow_comment,
                            &mut report,
                        ) {
                            report.findings.push(r);
                        }
                    }
                }
                Err(e) => report
                    .errors
                    .push(skill_error(&skill.info.name, &item.label, &e)),
            }
        }
        report
    }

    fn post_process(
        &self,
        skill: &LoadedSkill,
        item: &Item,
        f: sdk::Finding,
        index: &kiro_guard_contract::text::LineIndex<'_>,
        has_allow_comment: bool,
        report: &mut Report,
    ) -> Option<Reported> {
        let skill_name = &skill.info.name;
        let mut severity = f.severity;
        match self.config.rule_override(skill_name, &f.rule_id) {
            Some(RuleOverride::Level(l)) => severity = parse_level(l)?,
            Some(RuleOverride::Table(t)) => {
                if let Some(l) = &t.severity {
                    severity = parse_level(l)?;
                }
            }
            None => {}
        }
        let text = item.text();
        let matched = span_bytes_indexed(text, index, &f.span)
            .map(|(a, b)| &text[a..b])
            .unwrap_or("");
        if let Input::File(d) = &item.input {
            if !touches_changed(&f.span, d.changed_lines.as_deref()) {
                return None;
            }
            for (rule, set) in &self.rule_allow_paths {
                if (rule == &f.rule_id || *rule == format!("{skill_name}/{}", f.rule_id))
                    && set.is_match(&d.path)
                {
                    return None;
                }
            }
            let (mut suppression, allow_line) = if has_allow_comment {
                crate::suppress::inline_suppression_at(index, f.span.line, skill_name, &f.rule_id)
            } else {
                (crate::suppress::Suppression::None, 0)
            };
            if crate::policy::inline_suppressions() == Some(crate::policy::InlineSuppressions::None)
                && suppression == crate::suppress::Suppression::Allowed
            {
                report.errors.push(ErrorEntry {
                    kind: ErrorKind::Suppression,
                    skill: Some(skill_name.clone()),
                    path: Some(format!("{}:{allow_line}", d.path)),
                    message: "inline allow comments do not count under the system policy".into(),
                });
                suppression = crate::suppress::Suppression::None;
            }
            if self.only_committed_approvals
                && suppression != crate::suppress::Suppression::None
                && d.changed_lines.as_deref().is_some_and(|ranges| {
                    ranges
                        .iter()
                        .any(|r| r.start <= allow_line && allow_line <= r.end)
                })
            {
                report.errors.push(ErrorEntry {
                    kind: ErrorKind::Suppression,
                    skill: Some(skill_name.clone()),
                    path: Some(format!("{}:{allow_line}", d.path)),
                    message: "an allow comment written in the same change as the finding does not count; only an approval a human has already committed (or reviewed in a pull request) does".into(),
                });
                suppression = crate::suppress::Suppression::None;
            }
            match suppression {
                crate::suppress::Suppression::Allowed => {
                    report.suppressed += 1;
                    return None;
                }
                crate::suppress::Suppression::MissingReason => {
                    report.errors.push(ErrorEntry {
                        kind: ErrorKind::Suppression,
                        skill: Some(skill_name.clone()),
                        path: Some(format!("{}:{}", d.path, f.span.line)),
                        message: format!(
                            "inline `kiro-guard: allow {}` has no reason; write `kiro-guard: allow {} -- <reason>`",
                            f.rule_id, f.rule_id
                        ),
                    });
                }
                crate::suppress::Suppression::None => {}
            }
        }
        if !matched.is_empty() && self.allow_values.iter().any(|r| r.is_match(matched)) {
            return None;
        }
        let fingerprint =
            self.fingerprint_key
                .fingerprint(skill_name, &f.rule_id, &item.label, matched);
        if let (Some(ignore), Input::File(d)) = (&self.gitleaks_ignore, &item.input)
            && ignore.ignored(&d.path, &f.rule_id, f.span.line)
        {
            report.suppressed += 1;
            return None;
        }
        if self.baseline.as_ref().is_some_and(|b| {
            b.contains(&fingerprint)
                || (b.has_legacy()
                    && b.contains(&crate::fingerprint::legacy(
                        skill_name,
                        &f.rule_id,
                        &item.label,
                        matched,
                    )))
        }) {
            report.suppressed += 1;
            return None;
        }
        Some(Reported {
            skill: skill_name.clone(),
            rule: f.rule_id,
            severity,
            path: item.label.clone(),
            line: f.span.line,
            column: f.span.column,
            end_line: f.span.end_line,
            end_column: f.span.end_column,
            message: f.message,
            evidence: f.evidence,
            references: f.references,
            remediation: f.remediation,
            fingerprint,
        })
    }
}

/// Where the fingerprint key is looked for: the config file's directory,
/// else the current directory.
fn config_dir_or_cwd(dir: &Option<PathBuf>) -> PathBuf {
    dir.clone()
        .unwrap_or_else(|| std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")))
}

fn parse_level(l: &str) -> Option<Severity> {
    if l == "off" { None } else { Severity::parse(l) }
}

/// A skill failure as an error entry.
pub fn skill_error(skill: &str, label: &str, e: &SkillError) -> ErrorEntry {
    ErrorEntry {
        kind: ErrorKind::SkillError,
        skill: Some(skill.into()),
        path: Some(label.into()),
        message: e.to_string(),
    }
}

fn globset(globs: &[String]) -> Result<GlobSet> {
    let mut b = GlobSetBuilder::new();
    for g in globs {
        b.add(Glob::new(g).with_context(|| format!("invalid glob {g:?}"))?);
        // `dir/**` should also match `dir` itself and `**/x` the top level.
    }
    Ok(b.build()?)
}

/// A skill's settings JSON with the `.gitleaks.toml` entries added: rules
/// appended to any `gitleaks_rules` the configuration already lists, the
/// allowlist used unless the configuration sets its own.
fn with_gitleaks(settings: &str, extra: &serde_json::Map<String, serde_json::Value>) -> String {
    let mut map: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(settings).unwrap_or_default();
    for (k, v) in extra {
        match (map.get_mut(k), v) {
            (Some(serde_json::Value::Array(have)), serde_json::Value::Array(more)) => {
                have.extend(more.iter().cloned());
            }
            (Some(_), _) => {}
            (None, _) => {
                map.insert(k.clone(), v.clone());
            }
        }
    }
    serde_json::Value::Object(map).to_string()
}
