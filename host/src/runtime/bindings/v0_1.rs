//! `kiro:skill@0.1.x`: the generated bindings and their conversions to and
//! from the plain contract types.

use kiro_guard_contract as sdk;

wasmtime::component::bindgen!({
    path: "../wit",
    world: "skill",
});

pub(crate) use kiro::skill::types as wit;

impl From<wit::SkillInfo> for sdk::SkillInfo {
    fn from(info: wit::SkillInfo) -> Self {
        sdk::SkillInfo {
            name: info.name,
            version: info.version,
            description: info.description,
            rules: info
                .rules
                .into_iter()
                .map(|r| sdk::RuleInfo {
                    id: r.id,
                    title: r.title,
                    default_severity: r.default_severity.into(),
                    languages: r.languages,
                    references: r.references.into_iter().map(Into::into).collect(),
                    remediation: r.remediation,
                })
                .collect(),
        }
    }
}

impl From<wit::Severity> for sdk::Severity {
    fn from(s: wit::Severity) -> Self {
        match s {
            wit::Severity::Info => sdk::Severity::Info,
            wit::Severity::Warn => sdk::Severity::Warn,
            wit::Severity::Block => sdk::Severity::Block,
        }
    }
}

impl From<wit::Reference> for sdk::Reference {
    fn from(r: wit::Reference) -> Self {
        sdk::Reference {
            framework: r.framework,
            id: r.id,
            title: r.title,
        }
    }
}

/// A finding as the skill returned it (the runtime validates it first).
impl From<wit::Finding> for sdk::Finding {
    fn from(f: wit::Finding) -> Self {
        let s = f.span;
        sdk::Finding {
            rule_id: f.rule_id,
            severity: f.severity.into(),
            message: f.message,
            span: sdk::Span {
                line: s.line,
                column: s.column,
                end_line: s.end_line,
                end_column: s.end_column,
            },
            evidence: f.evidence,
            references: f.references.into_iter().map(Into::into).collect(),
            remediation: f.remediation,
        }
    }
}

impl From<&sdk::Input> for wit::Input {
    fn from(input: &sdk::Input) -> Self {
        match input {
            sdk::Input::File(d) => wit::Input::File(wit::Document {
                path: d.path.clone(),
                language: d.language.clone(),
                text: d.text.clone(),
                changed_lines: d.changed_lines.as_ref().map(|v| {
                    v.iter()
                        .map(|r| wit::LineRange {
                            start: r.start,
                            end: r.end,
                        })
                        .collect()
                }),
                is_test: d.is_test,
            }),
            sdk::Input::Command(c) => wit::Input::Command(wit::ShellCommand {
                command: c.command.clone(),
                cwd: c.cwd.clone(),
            }),
            sdk::Input::Tool(t) => wit::Input::Tool(wit::ToolCall {
                tool_name: t.tool_name.clone(),
                server: t.server.clone(),
                input_json: t.input_json.clone(),
            }),
            sdk::Input::UserPrompt(p) => wit::Input::UserPrompt(wit::Prompt {
                text: p.text.clone(),
            }),
        }
    }
}
