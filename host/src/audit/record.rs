//! The audit record model: one decision (or manual record) as a JSON line,
//! with masked evidence and bounded sizes.

use super::identity::{current_user, host_name, repo_name};
use crate::report::{Decision, Report, Reported};
use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::time::Duration;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Longest evidence string kept in a record; longer ones are cut (evidence
/// is masked by the caller; this is a second line of defence).
pub const MAX_EVIDENCE_CHARS: usize = 80;
/// Longest command, path, note or message kept in a record.
pub const MAX_TEXT_CHARS: usize = 1000;
/// Most findings stored in one record; the rest are counted in
/// `findings_omitted`.
pub const MAX_FINDINGS: usize = 200;

/// An MCP tool call (`@server/tool`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct McpCall {
    pub server: String,
    pub tool: String,
}

/// One finding as kept in the audit log: no message, masked evidence only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct AuditFinding {
    pub skill: String,
    pub rule: String,
    /// "info", "warn" or "block".
    pub severity: String,
    pub path: String,
    pub line: u32,
    /// Masked evidence, at most [`MAX_EVIDENCE_CHARS`] characters.
    pub evidence: String,
    /// References as "MAS TRM 11.1", "PDPA s24", "PCI DSS 3.4.1".
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub refs: Vec<String>,
}

impl AuditFinding {
    /// From a reported finding (evidence is already masked by the skill).
    pub fn from_reported(f: &Reported) -> AuditFinding {
        AuditFinding {
            skill: f.skill.clone(),
            rule: f.rule.clone(),
            severity: f.severity.as_str().to_string(),
            path: f.path.clone(),
            line: f.line,
            evidence: f.evidence.clone(),
            refs: f
                .references
                .iter()
                .map(|r| format!("{} {}", r.framework, r.id))
                .collect(),
        }
    }
}

/// A problem that was not a finding (skill error, skipped file, I/O).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct AuditError {
    /// `skill-error`, `skipped`, `io`, `input`, `suppression`, ...
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skill: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    pub message: String,
}

/// Name, version and component hash of a skill that took part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct SkillStamp {
    pub name: String,
    pub version: String,
    pub sha256: String,
}

/// One decision record (the body of a `"kind":"decision"` line).
///
/// Build one with [`AuditRecord::new`] or [`AuditRecord::from_report`] and
/// the builder methods, then [`AuditLog::append`] it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct AuditRecord {
    /// When the decision was made, RFC 3339 UTC (`2025-01-31T09:15:02.123Z`).
    pub time: String,
    /// `hook`, `git-pre-commit`, `git-pre-push`, `scan`, `approval`, ...
    pub event: String,
    /// Hook dialect: `kiro-v1`, `kiro-cli`, `kiro-legacy`, `claude`, ...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dialect: Option<String>,
    /// Agent tool name (`fs_write`, `Bash`, `@github/create_issue`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tool: Option<String>,
    /// For MCP tool calls: server and tool.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mcp: Option<McpCall>,
    /// File path, relative to the repository.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Shell command, masked by the caller.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    /// `allow`, `warn` or `block`.
    pub decision: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<AuditFinding>,
    /// Findings not stored because the record already held [`MAX_FINDINGS`].
    #[serde(skip_serializing_if = "is_zero")]
    pub findings_omitted: u32,
    /// Findings dropped by the baseline or inline suppressions.
    #[serde(skip_serializing_if = "is_zero")]
    pub suppressed: u32,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<AuditError>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skills: Vec<SkillStamp>,
    /// kiro-guard version.
    pub kiro_guard: String,
    pub user: String,
    pub host: String,
    /// Repository name (directory name of its root) or identifier.
    pub repo: String,
    pub duration_ms: f64,
    /// Free text: the reason of a manual approval, for example.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// Current time as RFC 3339 UTC with milliseconds.
pub fn now_rfc3339() -> String {
    format_time(OffsetDateTime::now_utc())
}

/// RFC 3339 UTC with milliseconds (`2025-01-31T09:15:02.123Z`).
pub fn format_time(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

/// Parse an RFC 3339 time.
pub fn parse_time(s: &str) -> Result<OffsetDateTime> {
    OffsetDateTime::parse(s, &Rfc3339)
        .with_context(|| format!("{s:?} is not an RFC 3339 time (like 2025-01-31T09:15:02Z)"))
}

impl AuditRecord {
    /// A record stamped now, with this kiro-guard's version and host name.
    /// Set `user` and `repo` with [`AuditRecord::context`].
    pub fn new(event: impl Into<String>, decision: Decision) -> AuditRecord {
        AuditRecord {
            time: now_rfc3339(),
            event: event.into(),
            decision: decision.as_str().to_string(),
            kiro_guard: env!("CARGO_PKG_VERSION").to_string(),
            host: host_name(),
            ..AuditRecord::default()
        }
    }

    /// A record of a report's findings and errors under `decision`.
    pub fn from_report(event: impl Into<String>, report: &Report, decision: Decision) -> Self {
        let mut r = AuditRecord::new(event, decision).findings(&report.findings);
        r.suppressed = report.suppressed.min(u32::MAX as usize) as u32;
        r.errors = report
            .errors
            .iter()
            .map(|e| AuditError {
                kind: e.kind.to_string(),
                skill: e.skill.clone(),
                path: e.path.clone(),
                message: e.message.clone(),
            })
            .collect();
        r
    }

    /// Replace the findings.
    pub fn findings(mut self, findings: &[Reported]) -> Self {
        self.findings = findings
            .iter()
            .take(MAX_FINDINGS)
            .map(AuditFinding::from_reported)
            .collect();
        self.findings_omitted = findings.len().saturating_sub(MAX_FINDINGS) as u32;
        self
    }

    /// User (git identity) and repository name of `repo_root`.
    pub fn context(mut self, repo_root: &Path) -> Self {
        self.user = current_user(repo_root);
        self.repo = repo_name(repo_root);
        self
    }
    pub fn user(mut self, user: impl Into<String>) -> Self {
        self.user = user.into();
        self
    }
    pub fn repo(mut self, repo: impl Into<String>) -> Self {
        self.repo = repo.into();
        self
    }
    pub fn dialect(mut self, dialect: impl Into<String>) -> Self {
        self.dialect = Some(dialect.into());
        self
    }
    pub fn tool(mut self, tool: impl Into<String>) -> Self {
        self.tool = Some(tool.into());
        self
    }
    pub fn mcp(mut self, server: impl Into<String>, tool: impl Into<String>) -> Self {
        self.mcp = Some(McpCall {
            server: server.into(),
            tool: tool.into(),
        });
        self
    }
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }
    /// The command, already masked by the caller.
    pub fn command(mut self, command: impl Into<String>) -> Self {
        self.command = Some(command.into());
        self
    }
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }
    pub fn time(mut self, time: OffsetDateTime) -> Self {
        self.time = format_time(time);
        self
    }
    pub fn duration(mut self, d: Duration) -> Self {
        self.duration_ms = (d.as_secs_f64() * 1e6).round() / 1e3;
        self
    }
    /// Names, versions and hashes of the skills that ran.
    pub fn skills(mut self, skills: &[crate::runtime::LoadedSkill]) -> Self {
        self.skills = skills
            .iter()
            .map(|s| SkillStamp {
                name: s.info.name.clone(),
                version: s.info.version.clone(),
                sha256: s.sha256.clone(),
            })
            .collect();
        self
    }

    /// Check the record and return a copy fit to store: a valid time and
    /// decision, evidence cut to [`MAX_EVIDENCE_CHARS`], long texts cut,
    /// unmasked-looking numbers and NRIC/FIN masked.
    pub fn sanitized(&self) -> Result<AuditRecord> {
        let mut r = self.clone();
        let t = parse_time(&r.time).context("audit record: bad `time`")?;
        r.time = format_time(t);
        if !matches!(r.decision.as_str(), "allow" | "warn" | "block") {
            bail!(
                "audit record: decision {:?}: expected \"allow\", \"warn\" or \"block\"",
                r.decision
            );
        }
        if r.event.trim().is_empty() {
            bail!("audit record: `event` is empty");
        }
        if !r.duration_ms.is_finite() || r.duration_ms < 0.0 {
            r.duration_ms = 0.0;
        }
        if r.findings.len() > MAX_FINDINGS {
            r.findings_omitted += (r.findings.len() - MAX_FINDINGS) as u32;
            r.findings.truncate(MAX_FINDINGS);
        }
        for f in &mut r.findings {
            f.evidence = cut(&scrub(&f.evidence), MAX_EVIDENCE_CHARS);
            // A file may be named after the value it holds.
            f.path = cut(&scrub(&f.path), MAX_TEXT_CHARS);
        }
        for e in &mut r.errors {
            e.message = cut(&scrub(&e.message), MAX_TEXT_CHARS);
            if let Some(p) = &mut e.path {
                *p = cut(&scrub(p), MAX_TEXT_CHARS);
            }
        }
        for v in [&mut r.command, &mut r.note, &mut r.path]
            .into_iter()
            .flatten()
        {
            *v = cut(&scrub(v), MAX_TEXT_CHARS);
        }
        Ok(r)
    }
}

/// Cut to `max` characters, marking the cut with `…`.
fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Defensive masking of values that look unmasked: runs of 9 or more digits
/// (card and account numbers; last 4 kept) and NRIC/FIN (`S****567D`).
pub fn scrub(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let boundary = i == 0 || !chars[i - 1].is_ascii_alphanumeric();
        // NRIC / FIN: [STFGM] + 7 digits + letter, on word boundaries.
        if boundary
            && matches!(c.to_ascii_uppercase(), 'S' | 'T' | 'F' | 'G' | 'M')
            && i + 9 <= chars.len()
            && chars[i + 1..i + 8].iter().all(char::is_ascii_digit)
            && chars[i + 8].is_ascii_alphabetic()
            && chars.get(i + 9).is_none_or(|c| !c.is_ascii_alphanumeric())
        {
            out.push(c);
            out.push_str("****");
            out.extend(&chars[i + 5..i + 9]);
            i += 9;
            continue;
        }
        if c.is_ascii_digit() && boundary {
            // A run of digits, possibly grouped by single spaces or dashes.
            let mut j = i;
            let mut digits = 0;
            while j < chars.len() {
                if chars[j].is_ascii_digit() {
                    digits += 1;
                    j += 1;
                } else if matches!(chars[j], ' ' | '-')
                    && chars.get(j + 1).is_some_and(char::is_ascii_digit)
                {
                    j += 1;
                } else {
                    break;
                }
            }
            let end_ok = chars.get(j).is_none_or(|c| !c.is_ascii_alphanumeric());
            if digits >= 9 && end_ok {
                let mut seen = 0;
                for &d in &chars[i..j] {
                    if d.is_ascii_digit() {
                        seen += 1;
                        out.push(if digits - seen < 4 { d } else { '*' });
                    } else {
                        out.push(d);
                    }
                }
            } else {
                out.extend(&chars[i..j]);
            }
            i = j;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

/// `@server/tool` → server and tool.
pub fn split_mcp_tool(name: &str) -> Option<McpCall> {
    let rest = name.strip_prefix('@')?;
    let (server, tool) = rest.split_once('/')?;
    Some(McpCall {
        server: server.into(),
        tool: tool.into(),
    })
}
