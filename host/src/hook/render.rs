//! How a hook outcome is told to the agent: the model-facing message
//! ([`describe`]) and each dialect's exit code / stdout / stderr convention
//! ([`render`]).

use super::payload::{Dialect, EventKind, HookEvent};
use super::{EXIT_BLOCK, MAX_LISTED, Outcome, Rendered};
use crate::guard::{Decision, Report, Reported};
use kiro_guard_skill::Severity;
use serde_json::json;

/// The message the model reads: short, names rule, location and masked
/// evidence, and says what to do instead.
pub(super) fn describe(ev: &HookEvent, report: &Report, decision: Decision) -> String {
    if decision == Decision::Allow {
        return String::new();
    }
    let what = match ev.kind {
        EventKind::UserPromptSubmit => "this prompt".to_string(),
        EventKind::PreToolUse => format!("this {} call", ev.tool_name.as_deref().unwrap_or("tool")),
        _ => "the saved file".to_string(),
    };
    let verb = if decision == Decision::Block {
        "blocked"
    } else {
        "warns about"
    };
    let mut m = format!("kiro-guard {verb} {what}:\n");
    let relevant: Vec<&Reported> = report
        .findings
        .iter()
        .filter(|f| f.severity >= Severity::Warn)
        .collect();
    for f in relevant.iter().take(MAX_LISTED) {
        let loc = if f.path.starts_with('<') {
            String::new()
        } else {
            format!(" at {}:{}", f.path, f.line)
        };
        let evidence = if f.evidence.is_empty() {
            String::new()
        } else {
            format!(" ({})", f.evidence)
        };
        let refs: Vec<String> = f
            .references
            .iter()
            .take(2)
            .map(|r| format!("{} {}", r.framework, r.id))
            .collect();
        m.push_str(&format!(
            "- [{}] {}/{}{loc}: {}{evidence}",
            f.severity.as_str(),
            f.skill,
            f.rule,
            f.message
        ));
        if !refs.is_empty() {
            m.push_str(&format!(" [{}]", refs.join(", ")));
        }
        m.push('\n');
        if !f.remediation.is_empty() {
            m.push_str(&format!("  Instead: {}\n", f.remediation));
        }
    }
    if relevant.len() > MAX_LISTED {
        m.push_str(&format!("- ... and {} more\n", relevant.len() - MAX_LISTED));
    }
    for e in report
        .errors
        .iter()
        .filter(|e| e.kind == "skill-error" || e.kind == "io")
    {
        m.push_str(&format!(
            "- error: {}{}\n",
            e.skill
                .as_deref()
                .map(|s| format!("[{s}] "))
                .unwrap_or_default(),
            e.message
        ));
    }
    if ev.kind == EventKind::UserPromptSubmit && decision == Decision::Block {
        m.push_str("Remove the values, or mask them first with `kiro-guard redact` and send the redacted text.\n");
    } else if decision == Decision::Block {
        m.push_str("Do not retry the same content or work around this check. If you believe it is a false positive, stop and ask the user to review it.\n");
    }
    m
}

/// Render an outcome in a dialect's conventions.
pub fn render(dialect: Dialect, kind: EventKind, o: &Outcome) -> Rendered {
    let mut stderr = String::new();
    let mut stdout = String::new();
    let notes: String = o
        .notes
        .iter()
        .map(|n| format!("kiro-guard: note: {n}\n"))
        .collect();
    let code = match o.decision {
        Decision::Block => {
            stderr.push_str(&o.message);
            if dialect == Dialect::Claude {
                let v = if kind == EventKind::UserPromptSubmit {
                    json!({"decision": "block", "reason": o.message})
                } else {
                    json!({"hookSpecificOutput": {"hookEventName": "PreToolUse", "permissionDecision": "deny", "permissionDecisionReason": o.message}})
                };
                stdout = v.to_string() + "\n";
            }
            EXIT_BLOCK
        }
        Decision::Warn => match dialect {
            Dialect::Claude => {
                stdout = json!({"systemMessage": o.message}).to_string() + "\n";
                0
            }
            // Kiro CLI shows stderr of a non-2 failure to the user; the tool runs.
            Dialect::KiroCli => {
                stderr.push_str(&o.message);
                1
            }
            Dialect::KiroIdeLegacy => {
                stdout.push_str(&o.message);
                0
            }
            Dialect::KiroV1 => {
                stderr.push_str(&o.message);
                0
            }
        },
        Decision::Allow => 0,
    };
    stderr.push_str(&notes);
    Rendered {
        code,
        stdout,
        stderr,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn rendering_per_dialect() {
        let block = Outcome {
            decision: Decision::Block,
            message: "no".into(),
            notes: vec![],
        };
        let r = render(Dialect::Claude, EventKind::PreToolUse, &block);
        assert_eq!(r.code, 2);
        assert_eq!(r.stderr, "no");
        let v: Value = serde_json::from_str(&r.stdout).unwrap();
        assert_eq!(v["hookSpecificOutput"]["permissionDecision"], "deny");
        for d in [Dialect::KiroV1, Dialect::KiroCli, Dialect::KiroIdeLegacy] {
            let r = render(d, EventKind::PreToolUse, &block);
            assert_eq!(
                (r.code, r.stderr.as_str(), r.stdout.as_str()),
                (2, "no", "")
            );
        }
        let warn = Outcome {
            decision: Decision::Warn,
            message: "careful".into(),
            notes: vec![],
        };
        assert_eq!(
            render(Dialect::KiroCli, EventKind::PreToolUse, &warn).code,
            1
        );
        assert_eq!(
            render(Dialect::KiroV1, EventKind::PreToolUse, &warn).code,
            0
        );
        let c = render(Dialect::Claude, EventKind::PreToolUse, &warn);
        assert_eq!(c.code, 0);
        assert!(c.stdout.contains("systemMessage"));
    }
}
