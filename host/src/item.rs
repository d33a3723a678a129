//! An input to analyse (a file, a shell command, a tool call, a prompt) and
//! the label reports show for it.

use kiro_guard_contract::{self as sdk, Input};

/// An item to analyse plus how to label it in reports.
#[derive(Debug, Clone)]
pub struct Item {
    pub input: Input,
    /// Path shown in reports (`<command>`, `<prompt>`, `<tool:NAME>` for
    /// non-file inputs).
    pub label: String,
}

impl Item {
    pub fn file(doc: sdk::Document) -> Item {
        Item {
            label: doc.path.clone(),
            input: Input::File(doc),
        }
    }
    pub fn command(command: &str, cwd: &str) -> Item {
        Item {
            label: "<command>".into(),
            input: Input::Command(sdk::ShellCommand {
                command: command.into(),
                cwd: cwd.into(),
            }),
        }
    }
    pub fn prompt(text: &str) -> Item {
        Item {
            label: "<prompt>".into(),
            input: Input::UserPrompt(sdk::Prompt { text: text.into() }),
        }
    }
    pub fn tool(tool_name: &str, server: &str, input_json: &str) -> Item {
        Item {
            label: format!("<tool:{tool_name}>"),
            input: Input::Tool(sdk::ToolCall {
                tool_name: tool_name.into(),
                server: server.into(),
                input_json: input_json.into(),
            }),
        }
    }
    pub(crate) fn text(&self) -> &str {
        match &self.input {
            Input::File(d) => &d.text,
            Input::Command(c) => &c.command,
            Input::Tool(t) => &t.input_json,
            Input::UserPrompt(p) => &p.text,
        }
    }
}
