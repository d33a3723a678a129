//! Conversions between SDK types and the generated WIT bindings.

use crate::Skill;
use crate::bindings::kiro::skill::types as wit;
use kiro_guard_contract as types;
use std::sync::OnceLock;

fn severity_to_wit(s: types::Severity) -> wit::Severity {
    match s {
        types::Severity::Info => wit::Severity::Info,
        types::Severity::Warn => wit::Severity::Warn,
        types::Severity::Block => wit::Severity::Block,
    }
}

fn reference_to_wit(r: types::Reference) -> wit::Reference {
    wit::Reference {
        framework: r.framework,
        id: r.id,
        title: r.title,
    }
}

fn finding_to_wit(f: types::Finding) -> wit::Finding {
    wit::Finding {
        rule_id: f.rule_id,
        severity: severity_to_wit(f.severity),
        message: f.message,
        span: wit::Span {
            line: f.span.line,
            column: f.span.column,
            end_line: f.span.end_line,
            end_column: f.span.end_column,
        },
        evidence: f.evidence,
        references: f.references.into_iter().map(reference_to_wit).collect(),
        remediation: f.remediation,
    }
}

fn input_from_wit(i: wit::Input) -> types::Input {
    match i {
        wit::Input::File(d) => types::Input::File(types::Document {
            path: d.path,
            language: d.language,
            text: d.text,
            changed_lines: d.changed_lines.map(|v| {
                v.into_iter()
                    .map(|r| types::LineRange {
                        start: r.start,
                        end: r.end,
                    })
                    .collect()
            }),
            is_test: d.is_test,
        }),
        wit::Input::Command(c) => types::Input::Command(types::ShellCommand {
            command: c.command,
            cwd: c.cwd,
        }),
        wit::Input::Tool(t) => types::Input::Tool(types::ToolCall {
            tool_name: t.tool_name,
            server: t.server,
            input_json: t.input_json,
        }),
        wit::Input::UserPrompt(p) => types::Input::UserPrompt(types::Prompt { text: p.text }),
    }
}

fn instance<S: Skill + Send + Sync>() -> &'static S {
    // One skill value per component instance; the host creates a fresh
    // instance per analysed item, so this is built at most once per item.
    static CELL: OnceLock<Box<dyn std::any::Any + Send + Sync>> = OnceLock::new();
    CELL.get_or_init(|| Box::new(S::new()))
        .downcast_ref::<S>()
        .expect("one skill type per component")
}

#[doc(hidden)]
pub fn describe<S: Skill + Send + Sync>() -> wit::SkillInfo {
    let info = instance::<S>().info();
    wit::SkillInfo {
        name: info.name,
        version: info.version,
        description: info.description,
        rules: info
            .rules
            .into_iter()
            .map(|r| wit::RuleInfo {
                id: r.id,
                title: r.title,
                default_severity: severity_to_wit(r.default_severity),
                languages: r.languages,
                references: r.references.into_iter().map(reference_to_wit).collect(),
                remediation: r.remediation,
            })
            .collect(),
    }
}

#[doc(hidden)]
pub fn analyze<S: Skill + Send + Sync>(req: wit::Request) -> Result<Vec<wit::Finding>, String> {
    let req = types::Request {
        input: input_from_wit(req.input),
        config_json: req.config_json,
    };
    instance::<S>()
        .analyze(&req)
        .map(|v| v.into_iter().map(finding_to_wit).collect())
}

#[doc(hidden)]
pub fn prewarm<S: Skill + Send + Sync>() {
    instance::<S>().prewarm();
}
