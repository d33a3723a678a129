//! `kiro-guard audit report`: the compliance officer's period summary, in
//! markdown, JSON or a self-contained HTML page with an inline SVG chart.
//!
//! The JSON keeps the seed's monthly report fields (`period`,
//! `total_events`, `unique_users`, `mcp_tool_usage`) at the top level.

use super::chain::check_line;
use super::verify::{self, Level, Verification};
use super::{AuditRecord, PeriodReportOptions};
use crate::output::ReportFormat;
use crate::report::ErrorKind;
use anyhow::{Context, Result};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use time::{Date, Duration, OffsetDateTime};

/// Decision counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub allow: u64,
    pub warn: u64,
    pub block: u64,
    pub total: u64,
}

impl Counts {
    fn add(&mut self, decision: &str) {
        match decision {
            "block" => self.block += 1,
            "warn" => self.warn += 1,
            _ => self.allow += 1,
        }
        self.total += 1;
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventRow {
    pub event: String,
    #[serde(flatten)]
    pub counts: Counts,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleRow {
    pub skill: String,
    pub rule: String,
    pub block: u64,
    pub warn: u64,
    pub info: u64,
    pub total: u64,
    pub refs: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NameRow {
    pub name: String,
    pub block: u64,
    pub warn: u64,
    pub total: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct McpRow {
    pub server: String,
    pub tool: String,
    pub calls: u64,
    pub block: u64,
    pub warn: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrmRow {
    pub id: String,
    pub title: String,
    /// Findings citing it.
    pub findings: u64,
    pub block: u64,
    pub rules: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RefRow {
    pub reference: String,
    pub findings: u64,
}

/// A hook that failed (a skill error, I/O or input error) or skipped work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Incident {
    pub time: String,
    pub event: String,
    pub user: String,
    pub repo: String,
    pub decision: String,
    pub kind: String,
    pub skill: Option<String>,
    pub path: Option<String>,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Approval {
    pub time: String,
    pub user: String,
    pub repo: String,
    pub decision: String,
    pub path: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayRow {
    pub date: String,
    pub block: u64,
    pub warn: u64,
    pub allow: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkillRow {
    pub name: String,
    pub version: String,
    pub sha256: String,
    pub records: u64,
}

/// The integrity section: the result of `audit verify` on the files read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Integrity {
    pub verified: bool,
    pub files: Vec<String>,
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
    /// Decision lines that are not valid records (skipped by the report).
    pub unreadable_lines: u64,
    pub head_file: Option<String>,
    pub head_seq: Option<u64>,
    pub head_sha256: Option<String>,
}

/// The report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComplianceReport {
    /// `YYYY-MM-DD to YYYY-MM-DD` (UTC).
    pub period: String,
    pub since: String,
    pub until: String,
    pub generated: String,
    /// Decisions in the period (the seed's `total_events`).
    pub total_events: u64,
    pub unique_users: u64,
    pub unique_repos: u64,
    /// MCP tool calls checked (the seed's `mcp_tool_usage`).
    pub mcp_tool_usage: u64,
    /// Hooks that failed: a skill error, I/O or input error.
    pub failed_hooks: u64,
    /// Hooks that skipped something (binary, oversized file).
    pub skipped_hooks: u64,
    pub findings: u64,
    pub decisions: Counts,
    pub by_event: Vec<EventRow>,
    pub top_rules: Vec<RuleRow>,
    pub blocks_by_user: Vec<NameRow>,
    pub blocks_by_repo: Vec<NameRow>,
    pub mcp_tools: Vec<McpRow>,
    pub trm: Vec<TrmRow>,
    pub other_references: Vec<RefRow>,
    pub failures: Vec<Incident>,
    pub skipped: Vec<Incident>,
    pub approvals: Vec<Approval>,
    pub skills: Vec<SkillRow>,
    pub daily: Vec<DayRow>,
    pub integrity: Integrity,
}

/// Options for [`build`].
#[derive(Debug, Clone)]
pub struct Options {
    pub since: OffsetDateTime,
    /// Inclusive.
    pub until: OffsetDateTime,
    pub generated: OffsetDateTime,
    pub top: usize,
    /// How many failure / skip rows to list.
    pub max_incidents: usize,
}

/// Parse `--since` (YYYY-MM-DD → start of day) or `--until` (YYYY-MM-DD →
/// end of day) or an RFC 3339 time.
pub fn parse_bound(s: &str, end_of_day: bool) -> Result<OffsetDateTime> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    if let Ok(d) = Date::parse(s, &fmt) {
        let t = d.midnight().assume_utc();
        return Ok(if end_of_day {
            t + Duration::days(1) - Duration::milliseconds(1)
        } else {
            t
        });
    }
    super::parse_time(s)
        .map(|t| t.to_offset(time::UtcOffset::UTC))
        .with_context(|| format!("{s:?}: expected YYYY-MM-DD or an RFC 3339 time"))
}

/// `YYYY-MM` → first and last instant of the month.
pub fn parse_month(s: &str) -> Result<(OffsetDateTime, OffsetDateTime)> {
    let bad = || anyhow::anyhow!("--month {s:?}: expected YYYY-MM");
    if s.len() != 7 || s.as_bytes()[4] != b'-' {
        return Err(bad());
    }
    let y: i32 = s[..4].parse().map_err(|_| bad())?;
    let m: u8 = s[5..].parse().map_err(|_| bad())?;
    let month = time::Month::try_from(m).map_err(|_| bad())?;
    let start = Date::from_calendar_date(y, month, 1).map_err(|_| bad())?;
    let next = if m == 12 {
        Date::from_calendar_date(y + 1, time::Month::January, 1)
    } else {
        Date::from_calendar_date(y, month.next(), 1)
    }
    .map_err(|_| bad())?;
    Ok((
        start.midnight().assume_utc(),
        next.midnight().assume_utc() - Duration::milliseconds(1),
    ))
}

/// Decision records of files (lines that fail their own check are counted
/// as unreadable and skipped).
pub fn read_records(files: &[PathBuf]) -> Result<(Vec<AuditRecord>, u64)> {
    let mut out = Vec::new();
    let mut bad = 0;
    for f in files {
        let data = super::read_file(f)?;
        for line in data.split(|&b| b == b'\n') {
            if line.is_empty() {
                continue;
            }
            match check_line(line) {
                Ok(p) if p.kind == "decision" => {
                    match serde_json::from_value::<AuditRecord>(p.value) {
                        Ok(r) => out.push(r),
                        Err(_) => bad += 1,
                    }
                }
                Ok(_) => {}
                Err(_) => bad += 1,
            }
        }
    }
    Ok((out, bad))
}

fn bump<K: Ord>(m: &mut BTreeMap<K, u64>, k: K) {
    *m.entry(k).or_default() += 1;
}

/// Sort rows by a key descending, then by name; keep `top`.
fn top_by<T, K: Ord>(mut v: Vec<T>, top: usize, key: impl Fn(&T) -> K) -> Vec<T> {
    v.sort_by_key(|x| std::cmp::Reverse(key(x)));
    v.truncate(top);
    v
}

/// Summarise records within the period.
pub fn build(
    records: &[AuditRecord],
    verification: &Verification,
    unreadable: u64,
    opts: &Options,
) -> ComplianceReport {
    let in_period: Vec<(&AuditRecord, OffsetDateTime)> = records
        .iter()
        .filter_map(|r| super::parse_time(&r.time).ok().map(|t| (r, t)))
        .filter(|(_, t)| *t >= opts.since && *t <= opts.until)
        .collect();
    let mut decisions = Counts::default();
    let mut by_event: BTreeMap<String, Counts> = BTreeMap::new();
    let mut rules: BTreeMap<(String, String), RuleRow> = BTreeMap::new();
    let mut users: BTreeMap<String, NameRow> = BTreeMap::new();
    let mut repos: BTreeMap<String, NameRow> = BTreeMap::new();
    let mut mcp: BTreeMap<(String, String), McpRow> = BTreeMap::new();
    let mut trm: BTreeMap<String, (u64, u64, BTreeSet<String>)> = BTreeMap::new();
    let mut other: BTreeMap<String, u64> = BTreeMap::new();
    let mut skills: BTreeMap<(String, String, String), u64> = BTreeMap::new();
    let mut days: BTreeMap<Date, DayRow> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut skipped = Vec::new();
    let (mut failed_hooks, mut skipped_hooks, mut findings, mut mcp_calls) = (0, 0, 0, 0);
    let mut approvals = Vec::new();

    // Every day of the period, so the chart has a slot for each.
    let mut d = opts.since.date();
    while d <= opts.until.date() && days.len() < 3700 {
        days.insert(
            d,
            DayRow {
                date: d.to_string(),
                block: 0,
                warn: 0,
                allow: 0,
            },
        );
        d = d.next_day().unwrap_or(d);
        if d == Date::MAX {
            break;
        }
    }

    for (r, t) in &in_period {
        decisions.add(&r.decision);
        by_event
            .entry(r.event.clone())
            .or_default()
            .add(&r.decision);
        for (map, key) in [(&mut users, &r.user), (&mut repos, &r.repo)] {
            let row = map.entry(key.clone()).or_insert_with(|| NameRow {
                name: key.clone(),
                block: 0,
                warn: 0,
                total: 0,
            });
            row.total += 1;
            match r.decision.as_str() {
                "block" => row.block += 1,
                "warn" => row.warn += 1,
                _ => {}
            }
        }
        if let Some(m) = &r.mcp {
            mcp_calls += 1;
            let row = mcp
                .entry((m.server.clone(), m.tool.clone()))
                .or_insert_with(|| McpRow {
                    server: m.server.clone(),
                    tool: m.tool.clone(),
                    calls: 0,
                    block: 0,
                    warn: 0,
                });
            row.calls += 1;
            match r.decision.as_str() {
                "block" => row.block += 1,
                "warn" => row.warn += 1,
                _ => {}
            }
        }
        let day = days.entry(t.date()).or_insert_with(|| DayRow {
            date: t.date().to_string(),
            block: 0,
            warn: 0,
            allow: 0,
        });
        match r.decision.as_str() {
            "block" => day.block += 1,
            "warn" => day.warn += 1,
            _ => day.allow += 1,
        }
        for f in &r.findings {
            findings += 1;
            let row = rules
                .entry((f.skill.clone(), f.rule.clone()))
                .or_insert_with(|| RuleRow {
                    skill: f.skill.clone(),
                    rule: f.rule.clone(),
                    block: 0,
                    warn: 0,
                    info: 0,
                    total: 0,
                    refs: f.refs.clone(),
                });
            row.total += 1;
            match f.severity.as_str() {
                "block" => row.block += 1,
                "warn" => row.warn += 1,
                _ => row.info += 1,
            }
            for rf in &f.refs {
                if let Some(id) = rf.strip_prefix("MAS TRM ") {
                    let e = trm.entry(id.to_string()).or_default();
                    e.0 += 1;
                    if f.severity == "block" {
                        e.1 += 1;
                    }
                    e.2.insert(f.rule.clone());
                } else {
                    bump(&mut other, rf.clone());
                }
            }
        }
        for s in &r.skills {
            bump(
                &mut skills,
                (s.name.clone(), s.version.clone(), s.sha256.clone()),
            );
        }
        let mut failed = false;
        let mut skip = false;
        for e in &r.errors {
            let inc = Incident {
                time: r.time.clone(),
                event: r.event.clone(),
                user: r.user.clone(),
                repo: r.repo.clone(),
                decision: r.decision.clone(),
                kind: e.kind.clone(),
                skill: e.skill.clone(),
                path: e.path.clone(),
                message: e.message.clone(),
            };
            match ErrorKind::parse(&e.kind) {
                Some(ErrorKind::Skipped) => {
                    skip = true;
                    skipped.push(inc);
                }
                Some(ErrorKind::Suppression) => {}
                _ => {
                    failed = true;
                    failures.push(inc);
                }
            }
        }
        failed_hooks += u64::from(failed);
        skipped_hooks += u64::from(skip);
        if matches!(r.event.as_str(), "approval" | "exception") {
            approvals.push(Approval {
                time: r.time.clone(),
                user: r.user.clone(),
                repo: r.repo.clone(),
                decision: r.decision.clone(),
                path: r.path.clone(),
                note: r.note.clone(),
            });
        }
    }
    let latest = |mut v: Vec<Incident>| {
        v.sort_by(|a, b| b.time.cmp(&a.time));
        v.truncate(opts.max_incidents);
        v
    };
    let mut trm_rows: Vec<TrmRow> = trm
        .into_iter()
        .map(|(id, (n, b, rules))| TrmRow {
            title: kiro_guard_contract::trm::title(&id).to_string(),
            id,
            findings: n,
            block: b,
            rules: rules.into_iter().collect(),
        })
        .collect();
    trm_rows.sort_by_key(|a| kiro_guard_contract::trm::order_key(&a.id));
    let unique_users = users.len() as u64;
    let unique_repos = repos.len() as u64;
    let head = verification
        .files
        .iter()
        .rev()
        .find(|f| f.head_sha256.is_some());
    let integrity = Integrity {
        verified: verification.ok(),
        files: verification
            .files
            .iter()
            .map(|f| file_label(&f.path))
            .collect(),
        errors: problems(verification, Level::Error),
        warnings: problems(verification, Level::Warning),
        unreadable_lines: unreadable,
        head_file: head.map(|f| file_label(&f.path)),
        head_seq: head.and_then(|f| f.head_seq),
        head_sha256: head.and_then(|f| f.head_sha256.clone()),
    };
    ComplianceReport {
        period: format!("{} to {}", opts.since.date(), opts.until.date()),
        since: super::format_time(opts.since),
        until: super::format_time(opts.until),
        generated: super::format_time(opts.generated),
        total_events: decisions.total,
        unique_users,
        unique_repos,
        mcp_tool_usage: mcp_calls,
        failed_hooks,
        skipped_hooks,
        findings,
        decisions,
        by_event: by_event
            .into_iter()
            .map(|(event, counts)| EventRow { event, counts })
            .collect(),
        top_rules: top_by(rules.into_values().collect(), opts.top, |r| {
            (
                r.block,
                r.total,
                std::cmp::Reverse((r.skill.clone(), r.rule.clone())),
            )
        }),
        blocks_by_user: top_by(
            users
                .into_values()
                .filter(|u| u.block + u.warn > 0)
                .collect(),
            opts.top,
            |u| (u.block, u.warn, std::cmp::Reverse(u.name.clone())),
        ),
        blocks_by_repo: top_by(
            repos
                .into_values()
                .filter(|u| u.block + u.warn > 0)
                .collect(),
            opts.top,
            |u| (u.block, u.warn, std::cmp::Reverse(u.name.clone())),
        ),
        mcp_tools: top_by(mcp.into_values().collect(), usize::MAX, |m| {
            (
                m.calls,
                std::cmp::Reverse((m.server.clone(), m.tool.clone())),
            )
        }),
        trm: trm_rows,
        other_references: top_by(
            other
                .into_iter()
                .map(|(reference, findings)| RefRow {
                    reference,
                    findings,
                })
                .collect(),
            usize::MAX,
            |r| (r.findings, std::cmp::Reverse(r.reference.clone())),
        ),
        failures: latest(failures),
        skipped: latest(skipped),
        approvals,
        skills: skills
            .into_iter()
            .map(|((name, version, sha256), records)| SkillRow {
                name,
                version,
                sha256,
                records,
            })
            .collect(),
        daily: days.into_values().collect(),
        integrity,
    }
}

fn file_label(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn problems(v: &Verification, level: Level) -> Vec<String> {
    v.problems
        .iter()
        .filter(|p| p.level == level)
        .map(|p| {
            if p.line == 0 {
                format!("{}: {}", file_label(&p.file), p.message)
            } else {
                format!("{}:{}: {}", file_label(&p.file), p.line, p.message)
            }
        })
        .collect()
}

// ------------------------------------------------------------ markdown ----

fn md(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// Render as GitHub-flavoured markdown.
pub fn markdown(r: &ComplianceReport) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# kiro-guard compliance report: {}\n", r.period);
    let _ = writeln!(
        o,
        "Period {} to {} (UTC). Generated {}.\n",
        r.since, r.until, r.generated
    );
    let _ = writeln!(o, "## Summary\n");
    let _ = writeln!(o, "| measure | value |\n|---|---:|");
    for (k, v) in [
        ("Decisions (total events)", r.total_events),
        ("Blocked", r.decisions.block),
        ("Warned", r.decisions.warn),
        ("Allowed", r.decisions.allow),
        ("Findings", r.findings),
        ("Unique users", r.unique_users),
        ("Repositories", r.unique_repos),
        ("MCP tool calls checked", r.mcp_tool_usage),
        ("Failed hooks (skill or I/O errors)", r.failed_hooks),
        ("Hooks that skipped input", r.skipped_hooks),
    ] {
        let _ = writeln!(o, "| {k} | {v} |");
    }
    let _ = writeln!(o, "\n## Audit trail integrity\n");
    let i = &r.integrity;
    if i.verified {
        let _ = writeln!(
            o,
            "Hash chain **verified** over {} file(s): {}.",
            i.files.len(),
            i.files.join(", ")
        );
    } else {
        let _ = writeln!(
            o,
            "Hash chain **FAILED** verification over {} file(s): {}.",
            i.files.len(),
            i.files.join(", ")
        );
    }
    if let (Some(f), Some(s), Some(h)) = (&i.head_file, i.head_seq, &i.head_sha256) {
        let _ = writeln!(
            o,
            "Chain head: {f} seq {s}, SHA-256 `{h}` (record it to detect later truncation)."
        );
    }
    for e in &i.errors {
        let _ = writeln!(o, "- error: {}", md(e));
    }
    for w in &i.warnings {
        let _ = writeln!(o, "- warning: {}", md(w));
    }
    if i.unreadable_lines > 0 {
        let _ = writeln!(
            o,
            "- {} unreadable line(s) were left out of this report.",
            i.unreadable_lines
        );
    }
    let _ = writeln!(o, "\n## Decisions by event\n");
    let _ = writeln!(
        o,
        "| event | block | warn | allow | total |\n|---|---:|---:|---:|---:|"
    );
    for e in &r.by_event {
        let c = &e.counts;
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} |",
            md(&e.event),
            c.block,
            c.warn,
            c.allow,
            c.total
        );
    }
    let _ = writeln!(o, "\n## Top rules\n");
    if r.top_rules.is_empty() {
        let _ = writeln!(o, "No findings in the period.");
    } else {
        let _ = writeln!(
            o,
            "| rule | skill | block | warn | info | references |\n|---|---|---:|---:|---:|---|"
        );
        for t in &r.top_rules {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} | {} |",
                md(&t.rule),
                md(&t.skill),
                t.block,
                t.warn,
                t.info,
                md(&t.refs.join(", "))
            );
        }
    }
    for (title, rows) in [
        ("Blocks and warnings by user", &r.blocks_by_user),
        ("Blocks and warnings by repository", &r.blocks_by_repo),
    ] {
        let _ = writeln!(o, "\n## {title}\n");
        if rows.is_empty() {
            let _ = writeln!(o, "None.");
            continue;
        }
        let _ = writeln!(
            o,
            "| name | block | warn | decisions |\n|---|---:|---:|---:|"
        );
        for u in rows {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} |",
                md(&u.name),
                u.block,
                u.warn,
                u.total
            );
        }
    }
    let _ = writeln!(o, "\n## MCP tool usage\n");
    if r.mcp_tools.is_empty() {
        let _ = writeln!(o, "No MCP tool calls in the period.");
    } else {
        let _ = writeln!(
            o,
            "| server | tool | calls | block | warn |\n|---|---|---:|---:|---:|"
        );
        for m in &r.mcp_tools {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} |",
                md(&m.server),
                md(&m.tool),
                m.calls,
                m.block,
                m.warn
            );
        }
    }
    let _ = writeln!(o, "\n## MAS TRM sub-sections touched\n");
    if r.trm.is_empty() {
        let _ = writeln!(o, "None.");
    } else {
        let _ = writeln!(
            o,
            "| TRM | title | findings | blocking | rules |\n|---|---|---:|---:|---|"
        );
        for t in &r.trm {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} |",
                t.id,
                md(&t.title),
                t.findings,
                t.block,
                md(&t.rules.join(", "))
            );
        }
    }
    if !r.other_references.is_empty() {
        let _ = writeln!(o, "\n## Other references (PDPA, PCI DSS, ...)\n");
        let _ = writeln!(o, "| reference | findings |\n|---|---:|");
        for x in &r.other_references {
            let _ = writeln!(o, "| {} | {} |", md(&x.reference), x.findings);
        }
    }
    for (title, rows, empty) in [
        ("Failed hooks", &r.failures, "No hook failed in the period."),
        ("Skipped input", &r.skipped, "Nothing was skipped."),
    ] {
        let _ = writeln!(o, "\n## {title}\n");
        if rows.is_empty() {
            let _ = writeln!(o, "{empty}");
            continue;
        }
        let _ = writeln!(
            o,
            "| time | event | user | repo | decision | kind | skill | path | message |\n|---|---|---|---|---|---|---|---|---|"
        );
        for x in rows.iter() {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                x.time,
                md(&x.event),
                md(&x.user),
                md(&x.repo),
                x.decision,
                md(&x.kind),
                md(x.skill.as_deref().unwrap_or("")),
                md(x.path.as_deref().unwrap_or("")),
                md(&x.message)
            );
        }
    }
    let _ = writeln!(o, "\n## Manual approvals and exceptions\n");
    if r.approvals.is_empty() {
        let _ = writeln!(o, "None.");
    } else {
        let _ = writeln!(
            o,
            "| time | user | repo | decision | path | note |\n|---|---|---|---|---|---|"
        );
        for a in &r.approvals {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} | {} |",
                a.time,
                md(&a.user),
                md(&a.repo),
                a.decision,
                md(a.path.as_deref().unwrap_or("")),
                md(a.note.as_deref().unwrap_or(""))
            );
        }
    }
    if !r.skills.is_empty() {
        let _ = writeln!(o, "\n## Skill versions\n");
        let _ = writeln!(
            o,
            "| skill | version | sha256 | decisions |\n|---|---|---|---:|"
        );
        for s in &r.skills {
            let _ = writeln!(
                o,
                "| {} | {} | `{}` | {} |",
                md(&s.name),
                md(&s.version),
                md(&s.sha256),
                s.records
            );
        }
    }
    let _ = writeln!(o, "\n## Blocks and warnings per day\n");
    let active: Vec<&DayRow> = r
        .daily
        .iter()
        .filter(|d| d.block + d.warn + d.allow > 0)
        .collect();
    if active.is_empty() {
        let _ = writeln!(o, "No decisions in the period.");
    } else {
        let _ = writeln!(o, "| date | block | warn | allow |\n|---|---:|---:|---:|");
        for d in active {
            let _ = writeln!(o, "| {} | {} | {} | {} |", d.date, d.block, d.warn, d.allow);
        }
    }
    o
}

// ---------------------------------------------------------------- html ----

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

const BLOCK_COLOR: &str = "#c62828";
const WARN_COLOR: &str = "#f9a825";

/// The inline SVG bar chart of blocks (bottom) and warnings (stacked on
/// top) per day.
pub fn chart_svg(days: &[DayRow]) -> String {
    let (w, h) = (960.0f64, 260.0f64);
    let (left, right, top, bottom) = (44.0, 12.0, 16.0, 44.0);
    let plot_w = w - left - right;
    let plot_h = h - top - bottom;
    let max = days.iter().map(|d| d.block + d.warn).max().unwrap_or(0);
    let ymax = nice_max(max);
    let n = days.len().max(1) as f64;
    let slot = plot_w / n;
    let bar = (slot * 0.7).max(1.0);
    let mut o = String::new();
    let _ = write!(
        o,
        r##"<svg id="daily-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" role="img" aria-labelledby="chart-title"><title id="chart-title">Blocks and warnings per day</title>"##
    );
    let _ = write!(
        o,
        r##"<rect x="0" y="0" width="{w}" height="{h}" fill="#ffffff"/>"##
    );
    // Grid and y labels.
    for k in 0..=4u64 {
        let v = ymax * k / 4;
        let y = top + plot_h - plot_h * (v as f64) / (ymax as f64);
        let _ = write!(
            o,
            r##"<line x1="{left}" y1="{y:.1}" x2="{x2}" y2="{y:.1}" stroke="#e0e0e0"/><text x="{tx}" y="{ty:.1}" font-size="11" text-anchor="end" fill="#555">{v}</text>"##,
            x2 = w - right,
            tx = left - 6.0,
            ty = y + 4.0
        );
    }
    let label_every = ((n / 16.0).ceil() as usize).max(1);
    for (i, d) in days.iter().enumerate() {
        let x = left + slot * i as f64 + (slot - bar) / 2.0;
        let bh = plot_h * d.block as f64 / ymax as f64;
        let wh = plot_h * d.warn as f64 / ymax as f64;
        let base = top + plot_h;
        if d.block > 0 {
            let _ = write!(
                o,
                r##"<rect class="bar-block" x="{x:.1}" y="{y:.1}" width="{bar:.1}" height="{bh:.1}" fill="{BLOCK_COLOR}"><title>{date}: {n} blocked</title></rect>"##,
                y = base - bh,
                date = d.date,
                n = d.block
            );
        }
        if d.warn > 0 {
            let _ = write!(
                o,
                r##"<rect class="bar-warn" x="{x:.1}" y="{y:.1}" width="{bar:.1}" height="{wh:.1}" fill="{WARN_COLOR}"><title>{date}: {n} warned</title></rect>"##,
                y = base - bh - wh,
                date = d.date,
                n = d.warn
            );
        }
        if i % label_every == 0 {
            let _ = write!(
                o,
                r##"<text x="{cx:.1}" y="{ty:.1}" font-size="10" text-anchor="middle" fill="#555">{label}</text>"##,
                cx = x + bar / 2.0,
                ty = base + 14.0,
                label = d.date.get(5..).unwrap_or(&d.date)
            );
        }
    }
    let _ = write!(
        o,
        r##"<line x1="{left}" y1="{b}" x2="{x2}" y2="{b}" stroke="#333"/>"##,
        b = top + plot_h,
        x2 = w - right
    );
    // Legend.
    let ly = h - 12.0;
    let _ = write!(
        o,
        r##"<rect x="{left}" y="{y}" width="12" height="12" fill="{BLOCK_COLOR}"/><text x="{t1}" y="{ty}" font-size="12" fill="#222">blocked</text><rect x="{l2}" y="{y}" width="12" height="12" fill="{WARN_COLOR}"/><text x="{t2}" y="{ty}" font-size="12" fill="#222">warned</text>"##,
        y = ly - 10.0,
        t1 = left + 16.0,
        l2 = left + 90.0,
        t2 = left + 106.0,
        ty = ly
    );
    o.push_str("</svg>");
    o
}

fn nice_max(max: u64) -> u64 {
    if max <= 4 {
        return 4;
    }
    let mut step = 1u64;
    loop {
        for m in [1, 2, 5] {
            let s = step * m;
            if s * 4 >= max {
                return s * 4;
            }
        }
        step *= 10;
    }
}

fn table(o: &mut String, head: &[&str], rows: Vec<Vec<String>>, empty: &str) {
    if rows.is_empty() {
        let _ = writeln!(o, "<p class=\"empty\">{}</p>", esc(empty));
        return;
    }
    o.push_str("<table><thead><tr>");
    for h in head {
        let _ = write!(o, "<th>{}</th>", esc(h));
    }
    o.push_str("</tr></thead><tbody>\n");
    for r in rows {
        o.push_str("<tr>");
        for c in r {
            let _ = write!(o, "<td>{}</td>", esc(&c));
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</tbody></table>\n");
}

const CSS: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;margin:24px auto;max-width:1100px;color:#1a1a1a;padding:0 16px}\
h1{font-size:24px;margin-bottom:4px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #ddd;padding-bottom:4px}\
.meta{color:#555;margin-top:0}.cards{display:flex;flex-wrap:wrap;gap:12px}.card{border:1px solid #ddd;border-radius:6px;padding:10px 14px;min-width:120px}\
.card .v{font-size:24px;font-weight:600}.card .k{color:#555;font-size:12px}.block .v{color:#c62828}.warn .v{color:#b27900}\
table{border-collapse:collapse;width:100%;font-size:13px}th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}\
th{background:#f5f5f5}.ok{color:#2e7d32;font-weight:600}.bad{color:#c62828;font-weight:600}code{font-size:12px;word-break:break-all}\
.empty{color:#555}footer{margin-top:32px;color:#777;font-size:12px}";

/// Render as one self-contained HTML page (inline CSS and SVG; no scripts,
/// no external assets).
pub fn html(r: &ComplianceReport) -> String {
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n\
<title>kiro-guard compliance report {}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        esc(&r.period)
    );
    let _ = writeln!(
        o,
        "<h1>kiro-guard compliance report</h1>\n<p class=\"meta\">Period {} to {} (UTC) &middot; generated {}</p>",
        esc(&r.since),
        esc(&r.until),
        esc(&r.generated)
    );
    o.push_str("<div class=\"cards\">\n");
    for (class, k, v) in [
        ("", "decisions", r.total_events),
        ("block", "blocked", r.decisions.block),
        ("warn", "warned", r.decisions.warn),
        ("", "allowed", r.decisions.allow),
        ("", "findings", r.findings),
        ("", "users", r.unique_users),
        ("", "repositories", r.unique_repos),
        ("", "MCP tool calls", r.mcp_tool_usage),
        ("", "failed hooks", r.failed_hooks),
        ("", "skipped", r.skipped_hooks),
    ] {
        let _ = writeln!(
            o,
            "<div class=\"card {class}\"><div class=\"v\">{v}</div><div class=\"k\">{k}</div></div>"
        );
    }
    o.push_str("</div>\n<h2>Blocks and warnings per day</h2>\n");
    o.push_str(&chart_svg(&r.daily));
    o.push_str("\n<h2>Audit trail integrity</h2>\n");
    let i = &r.integrity;
    let _ = writeln!(
        o,
        "<p>Hash chain <span class=\"{}\">{}</span> over {} file(s): {}.</p>",
        if i.verified { "ok" } else { "bad" },
        if i.verified {
            "verified"
        } else {
            "FAILED verification"
        },
        i.files.len(),
        esc(&i.files.join(", "))
    );
    if let (Some(f), Some(s), Some(h)) = (&i.head_file, i.head_seq, &i.head_sha256) {
        let _ = writeln!(
            o,
            "<p>Chain head: {} seq {s}, SHA-256 <code>{}</code></p>",
            esc(f),
            esc(h)
        );
    }
    if !i.errors.is_empty() || !i.warnings.is_empty() || i.unreadable_lines > 0 {
        o.push_str("<ul>\n");
        for e in &i.errors {
            let _ = writeln!(o, "<li class=\"bad\">error: {}</li>", esc(e));
        }
        for w in &i.warnings {
            let _ = writeln!(o, "<li>warning: {}</li>", esc(w));
        }
        if i.unreadable_lines > 0 {
            let _ = writeln!(
                o,
                "<li>{} unreadable line(s) were left out of this report</li>",
                i.unreadable_lines
            );
        }
        o.push_str("</ul>\n");
    }
    o.push_str("<h2>Decisions by event</h2>\n");
    table(
        &mut o,
        &["event", "block", "warn", "allow", "total"],
        r.by_event
            .iter()
            .map(|e| {
                vec![
                    e.event.clone(),
                    e.counts.block.to_string(),
                    e.counts.warn.to_string(),
                    e.counts.allow.to_string(),
                    e.counts.total.to_string(),
                ]
            })
            .collect(),
        "No decisions in the period.",
    );
    o.push_str("<h2>Top rules</h2>\n");
    table(
        &mut o,
        &["rule", "skill", "block", "warn", "info", "references"],
        r.top_rules
            .iter()
            .map(|t| {
                vec![
                    t.rule.clone(),
                    t.skill.clone(),
                    t.block.to_string(),
                    t.warn.to_string(),
                    t.info.to_string(),
                    t.refs.join(", "),
                ]
            })
            .collect(),
        "No findings in the period.",
    );
    for (title, rows) in [
        ("Blocks and warnings by user", &r.blocks_by_user),
        ("Blocks and warnings by repository", &r.blocks_by_repo),
    ] {
        let _ = writeln!(o, "<h2>{}</h2>", esc(title));
        table(
            &mut o,
            &["name", "block", "warn", "decisions"],
            rows.iter()
                .map(|u| {
                    vec![
                        u.name.clone(),
                        u.block.to_string(),
                        u.warn.to_string(),
                        u.total.to_string(),
                    ]
                })
                .collect(),
            "None.",
        );
    }
    o.push_str("<h2>MCP tool usage</h2>\n");
    table(
        &mut o,
        &["server", "tool", "calls", "block", "warn"],
        r.mcp_tools
            .iter()
            .map(|m| {
                vec![
                    m.server.clone(),
                    m.tool.clone(),
                    m.calls.to_string(),
                    m.block.to_string(),
                    m.warn.to_string(),
                ]
            })
            .collect(),
        "No MCP tool calls in the period.",
    );
    o.push_str("<h2>MAS TRM sub-sections touched</h2>\n");
    table(
        &mut o,
        &["TRM", "title", "findings", "blocking", "rules"],
        r.trm
            .iter()
            .map(|t| {
                vec![
                    t.id.clone(),
                    t.title.clone(),
                    t.findings.to_string(),
                    t.block.to_string(),
                    t.rules.join(", "),
                ]
            })
            .collect(),
        "None.",
    );
    if !r.other_references.is_empty() {
        o.push_str("<h2>Other references (PDPA, PCI DSS, ...)</h2>\n");
        table(
            &mut o,
            &["reference", "findings"],
            r.other_references
                .iter()
                .map(|x| vec![x.reference.clone(), x.findings.to_string()])
                .collect(),
            "None.",
        );
    }
    for (title, rows, empty) in [
        ("Failed hooks", &r.failures, "No hook failed in the period."),
        ("Skipped input", &r.skipped, "Nothing was skipped."),
    ] {
        let _ = writeln!(o, "<h2>{}</h2>", esc(title));
        table(
            &mut o,
            &[
                "time", "event", "user", "repo", "decision", "kind", "skill", "path", "message",
            ],
            rows.iter()
                .map(|x| {
                    vec![
                        x.time.clone(),
                        x.event.clone(),
                        x.user.clone(),
                        x.repo.clone(),
                        x.decision.clone(),
                        x.kind.clone(),
                        x.skill.clone().unwrap_or_default(),
                        x.path.clone().unwrap_or_default(),
                        x.message.clone(),
                    ]
                })
                .collect(),
            empty,
        );
    }
    o.push_str("<h2>Manual approvals and exceptions</h2>\n");
    table(
        &mut o,
        &["time", "user", "repo", "decision", "path", "note"],
        r.approvals
            .iter()
            .map(|a| {
                vec![
                    a.time.clone(),
                    a.user.clone(),
                    a.repo.clone(),
                    a.decision.clone(),
                    a.path.clone().unwrap_or_default(),
                    a.note.clone().unwrap_or_default(),
                ]
            })
            .collect(),
        "None.",
    );
    if !r.skills.is_empty() {
        o.push_str("<h2>Skill versions</h2>\n");
        table(
            &mut o,
            &["skill", "version", "sha256", "decisions"],
            r.skills
                .iter()
                .map(|s| {
                    vec![
                        s.name.clone(),
                        s.version.clone(),
                        s.sha256.clone(),
                        s.records.to_string(),
                    ]
                })
                .collect(),
            "None.",
        );
    }
    let _ = writeln!(
        o,
        "<footer>Generated by kiro-guard {} from the hash-chained audit log. References cite MAS TRM Guidelines (Jan 2021) at sub-section level.</footer>\n</body>\n</html>",
        env!("CARGO_PKG_VERSION")
    );
    o
}

/// `kiro-guard audit report`; returns the exit code.
pub fn run(a: PeriodReportOptions) -> Result<i32> {
    let now = OffsetDateTime::now_utc();
    let (since, until) = match (&a.month, &a.since, &a.until) {
        (Some(m), _, _) => match parse_month(m) {
            Ok(x) => x,
            Err(e) => {
                eprintln!("kiro-guard: {e:#}");
                return Ok(crate::exit::USAGE);
            }
        },
        (None, s, u) => {
            let until = match u.as_deref().map(|u| parse_bound(u, true)).transpose() {
                Ok(u) => u.unwrap_or(now),
                Err(e) => {
                    eprintln!("kiro-guard: --until: {e:#}");
                    return Ok(crate::exit::USAGE);
                }
            };
            let since = match s.as_deref().map(|s| parse_bound(s, false)).transpose() {
                Ok(s) => s.unwrap_or(until - Duration::days(30)),
                Err(e) => {
                    eprintln!("kiro-guard: --since: {e:#}");
                    return Ok(crate::exit::USAGE);
                }
            };
            (since, until)
        }
    };
    if since > until {
        eprintln!("kiro-guard: --since is after --until");
        return Ok(crate::exit::USAGE);
    }
    let log = a.log.log()?;
    let files = verify::collect(log.dir(), &a.archive)?;
    let verification = verify::verify_files(&files, true)?;
    let (records, unreadable) = read_records(&files)?;
    let report = build(
        &records,
        &verification,
        unreadable,
        &Options {
            since,
            until,
            generated: now,
            top: a.top.max(1),
            max_incidents: 50,
        },
    );
    let text = render(&report, a.format)?;
    match &a.output {
        Some(p) => {
            std::fs::write(p, text).with_context(|| format!("cannot write {}", p.display()))?;
            eprintln!("kiro-guard: wrote {}", p.display());
        }
        None => print!("{text}"),
    }
    if !verification.ok() {
        eprintln!(
            "kiro-guard: the audit log FAILED verification ({} error(s)); see the integrity section or run `kiro-guard audit verify`",
            verification.errors()
        );
        return Ok(crate::exit::FAILED);
    }
    Ok(crate::exit::OK)
}

/// Render a report in a format.
pub fn render(r: &ComplianceReport, format: ReportFormat) -> Result<String> {
    Ok(match format {
        ReportFormat::Markdown => markdown(r),
        ReportFormat::Html => html(r),
        ReportFormat::Json => {
            let mut s = serde_json::to_string_pretty(r)?;
            s.push('\n');
            s
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trm_titles_and_bounds() {
        assert_eq!(kiro_guard_contract::trm::title("11.1"), "Data Security");
        assert_eq!(kiro_guard_contract::trm::title("11.1.3"), "Data Security");
        assert_eq!(kiro_guard_contract::trm::title("99.9"), "");
        let s = parse_bound("2025-01-31", true).unwrap();
        assert_eq!(super::super::format_time(s), "2025-01-31T23:59:59.999Z");
        let s = parse_bound("2025-01-31T08:00:00+08:00", false).unwrap();
        assert_eq!(super::super::format_time(s), "2025-01-31T00:00:00.000Z");
        assert!(parse_bound("31/01/2025", false).is_err());
        let (a, b) = parse_month("2024-12").unwrap();
        assert_eq!(super::super::format_time(a), "2024-12-01T00:00:00.000Z");
        assert_eq!(super::super::format_time(b), "2024-12-31T23:59:59.999Z");
        assert!(parse_month("2024-13").is_err());
        assert_eq!(nice_max(0), 4);
        assert_eq!(nice_max(7), 8);
        assert_eq!(nice_max(33), 40);
    }

    #[test]
    fn html_escapes_everything_from_the_log() {
        assert_eq!(esc("<b a=\"1\">&'"), "&lt;b a=&quot;1&quot;&gt;&amp;&#39;");
        assert_eq!(md("a|b\nc"), "a\\|b c");
    }
}
