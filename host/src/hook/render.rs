//! How a hook outcome is told to the agent: the model-facing message
//! ([`describe`]) and each dialect's exit code / stdout / stderr convention
//! ([`render`]).

use super::payload::{Dialect, EventKind, HookEvent};
use super::{MAX_LISTED, Outcome, Rendered};
use crate::report::{Decision, Report, Reported};
use kiro_guard_contract::Severity;
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
    for e in report.errors.iter().filter(|e| e.kind.is_failure()) {
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
        // Kiro CLI 2.x cannot block a prompt (exit 2 blocks preToolUse only;
        // any other non-zero exit is a warning to the user and the prompt
        // goes on). Its one channel to the model is exit-0 stdout, which is
        // added to the prompt's context: tell the model what the prompt held.
        Decision::Block if dialect == Dialect::KiroCli && kind == EventKind::UserPromptSubmit => {
            stdout = prompt_context(&o.message);
            stderr.push_str(&o.message);
            crate::exit::OK
        }
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
            crate::exit::BLOCK
        }
        Decision::Warn => match dialect {
            Dialect::Claude => {
                stdout = json!({"systemMessage": o.message}).to_string() + "\n";
                crate::exit::OK
            }
            // Kiro CLI shows stderr of a non-2 failure to the user; the tool runs.
            Dialect::KiroCli => {
                stderr.push_str(&o.message);
                crate::exit::SHOW
            }
            Dialect::KiroIdeLegacy => {
                stdout.push_str(&o.message);
                crate::exit::OK
            }
            // Kiro v1 shows stderr to the user for any exit other than 0 and
            // 2 (exit-0 output reaches no one outside SessionStart and
            // UserPromptSubmit, where it would go to the model, not the user).
            Dialect::KiroV1 => {
                stderr.push_str(&o.message);
                crate::exit::SHOW
            }
        },
        Decision::Allow => crate::exit::OK,
    };
    stderr.push_str(&notes);
    Rendered {
        code,
        stdout,
        stderr,
    }
}

/// The context a Kiro CLI prompt hook adds for the model when the prompt
/// carried values kiro-guard would have blocked. The findings' evidence is
/// already masked.
fn prompt_context(message: &str) -> String {
    let listed: Vec<&str> = message
        .lines()
        .filter(|l| l.starts_with("- ") || l.starts_with("  "))
        .collect();
    let body = if listed.is_empty() {
        message.trim_end().to_string()
    } else {
        listed.join("\n")
    };
    format!(
        "IMPORTANT, from kiro-guard (the repository's security guard): the user's prompt contains \
personal data or secrets that must stay protected. This agent cannot stop a prompt, so it reached you. \
Found (values shown masked):\n{body}\n\
Do not repeat, quote, summarise or store these values; do not write them to any file, command, commit, \
log or tool call (kiro-guard blocks tool calls that carry them). Tell the user their prompt contained \
them, and ask them to remove them or to mask them with `kiro-guard redact` and send the redacted text.\n"
    )
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
            1
        );
        assert_eq!(
            render(Dialect::KiroV1, EventKind::FileSaved, &warn).stderr,
            "careful"
        );
        // Kiro CLI prompts cannot be blocked: exit 0 and context for the model.
        let prompt_block = Outcome {
            decision: Decision::Block,
            message: "kiro-guard blocked this prompt:\n- [block] pii-detection/nric-fin: NRIC (S****567D)\nRemove the values.\n".into(),
            notes: vec![],
        };
        let p = render(Dialect::KiroCli, EventKind::UserPromptSubmit, &prompt_block);
        assert_eq!(p.code, 0);
        assert!(p.stdout.contains("S****567D"), "{}", p.stdout);
        assert!(p.stdout.contains("Do not repeat"), "{}", p.stdout);
        assert!(!p.stdout.contains("blocked this prompt"), "{}", p.stdout);
        // Kiro CLI tool calls still block with exit 2.
        assert_eq!(
            render(Dialect::KiroCli, EventKind::PreToolUse, &prompt_block).code,
            2
        );
        let c = render(Dialect::Claude, EventKind::PreToolUse, &warn);
        assert_eq!(c.code, 0);
        assert!(c.stdout.contains("systemMessage"));
    }
}
