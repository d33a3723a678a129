//! Agent hook payloads: reading stdin without ever hanging, detecting the
//! dialect, and turning a payload into a normalised [`HookEvent`].
//!
//! Formats: Kiro v1 hook files, Kiro CLI 2.x agent hooks, legacy Kiro IDE
//! `.kiro.hook` and Claude Code; one fixture per shape in `tests/payloads/`.

use serde_json::Value;
use std::io::Read;
use std::time::Duration;

/// Which agent called us.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// Kiro v1 hook files (`.kiro/hooks/*.json`; IDE 1.x, CLI v3): PascalCase events.
    KiroV1,
    /// Kiro CLI 2.x agent-config hooks: camelCase events.
    KiroCli,
    /// Legacy Kiro IDE `.kiro.hook` (context in `USER_PROMPT`, stdin never closed).
    KiroIdeLegacy,
    /// Claude Code hooks.
    Claude,
}

impl Dialect {
    pub fn as_str(self) -> &'static str {
        match self {
            Dialect::KiroV1 => "kiro-v1",
            Dialect::KiroCli => "kiro-cli",
            Dialect::KiroIdeLegacy => "kiro-ide-legacy",
            Dialect::Claude => "claude",
        }
    }
}

/// What kind of event, normalised across dialects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    PreToolUse,
    PostToolUse,
    UserPromptSubmit,
    /// A file was saved or created (scan it, warn only).
    FileSaved,
    /// Anything else (session start, stop, ...): allowed, nothing to scan.
    Other,
}

/// A parsed hook invocation.
#[derive(Debug, Clone)]
pub struct HookEvent {
    pub dialect: Dialect,
    pub kind: EventKind,
    /// The event name as the agent sent it.
    pub event_name: String,
    pub cwd: Option<String>,
    pub tool_name: Option<String>,
    pub tool_input: Value,
    pub tool_response: Option<Value>,
    pub prompt: Option<String>,
    /// Kiro CLI deferred post-tool payloads carry several tool events in a
    /// `hook_events` array; each becomes one entry here (empty otherwise).
    pub deferred: Vec<HookEvent>,
}

impl HookEvent {
    /// The events to check: the deferred ones when the payload batched
    /// several, else this one.
    pub fn each(&self) -> Vec<&HookEvent> {
        if self.deferred.is_empty() {
            vec![self]
        } else {
            self.deferred.iter().collect()
        }
    }
}

/// Read stdin to EOF, giving up after `deadline`. Returns None when stdin
/// is a terminal, or nothing arrived before the deadline (the legacy Kiro IDE
/// opens stdin and never closes it). Input beyond `max` bytes is cut off, and
/// so is input still arriving at the deadline: both then fail to parse, which
/// the hook treats as an unreadable payload (its `on_error`), never as none.
pub fn read_stdin(deadline: Duration, max: usize) -> Option<Vec<u8>> {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() {
        return None;
    }
    let (tx, rx) = std::sync::mpsc::channel::<Option<Vec<u8>>>();
    std::thread::spawn(move || {
        let mut stdin = std::io::stdin().lock();
        let mut total = 0usize;
        let mut chunk = vec![0u8; 64 << 10];
        loop {
            match stdin.read(&mut chunk) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    total += n;
                    if tx.send(Some(chunk[..n].to_vec())).is_err() || total >= max {
                        break;
                    }
                }
            }
        }
        let _ = tx.send(None);
    });
    // The reader thread is abandoned on timeout; the process exits soon after.
    let end = std::time::Instant::now() + deadline;
    let mut buf = Vec::new();
    loop {
        let left = end.saturating_duration_since(std::time::Instant::now());
        match rx.recv_timeout(left) {
            Ok(Some(c)) => {
                let room = max.saturating_sub(buf.len());
                buf.extend_from_slice(&c[..c.len().min(room)]);
            }
            Ok(None) | Err(_) => break,
        }
    }
    (!buf.is_empty()).then_some(buf)
}

/// Normalise an event name from any dialect.
pub fn event_kind(name: &str) -> EventKind {
    match name {
        "PreToolUse" | "preToolUse" | "PreTaskExec" => EventKind::PreToolUse,
        "PostToolUse" | "postToolUse" => EventKind::PostToolUse,
        "UserPromptSubmit" | "userPromptSubmit" | "promptSubmit" => EventKind::UserPromptSubmit,
        "PostFileSave" | "PostFileCreate" | "fileEdited" | "fileCreated" | "fileSaved" => {
            EventKind::FileSaved
        }
        _ => EventKind::Other,
    }
}

/// Detect the dialect of a JSON payload (hook-formats.md §7).
pub fn detect_dialect(v: &Value) -> Dialect {
    let event = v
        .get("hook_event_name")
        .and_then(Value::as_str)
        .unwrap_or("");
    if event.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        || v.get("hook_events").is_some_and(Value::is_array)
    {
        return Dialect::KiroCli;
    }
    if v.get("transcript_path").is_some()
        || v.get("permission_mode").is_some()
        || v.get("tool_use_id").is_some()
    {
        return Dialect::Claude;
    }
    let tool = v.get("tool_name").and_then(Value::as_str).unwrap_or("");
    if matches!(
        tool,
        "Write" | "Edit" | "MultiEdit" | "Bash" | "PowerShell" | "Read" | "NotebookEdit"
    ) || tool.starts_with("mcp__")
    {
        return Dialect::Claude;
    }
    Dialect::KiroV1
}

/// Parse a JSON payload. `forced` wins over detection.
pub fn parse_payload(bytes: &[u8], forced: Option<Dialect>) -> Result<HookEvent, String> {
    let v: Value = super::json::parse(bytes.trim_ascii())
        .map_err(|e| format!("hook payload is not readable JSON: {e}"))?;
    if !v.is_object() {
        return Err("hook payload is not a JSON object".into());
    }
    let dialect = forced.unwrap_or_else(|| detect_dialect(&v));
    let mut ev = event_from(&v, dialect, "");
    // Kiro CLI deferred postToolUse: `{"hook_event_name":"postToolUse",
    // "cwd":..., "hook_events":[{tool_name, tool_input, tool_response}, ...]}`.
    if let Some(list) = v.get("hook_events").and_then(Value::as_array) {
        let parent = if ev.event_name.is_empty() {
            "postToolUse".to_string()
        } else {
            ev.event_name.clone()
        };
        ev.deferred = list
            .iter()
            .filter(|e| e.is_object())
            .map(|e| {
                let mut sub = event_from(e, dialect, &parent);
                if sub.cwd.is_none() {
                    sub.cwd = ev.cwd.clone();
                }
                sub
            })
            .collect();
        if ev.event_name.is_empty() {
            ev.kind = event_kind(&parent);
            ev.event_name = parent;
        }
        if ev.tool_name.is_none() {
            ev.tool_name = ev.deferred.iter().find_map(|d| d.tool_name.clone());
        }
    }
    Ok(ev)
}

/// One event from a JSON object; `default_event` when it names none.
fn event_from(v: &Value, dialect: Dialect, default_event: &str) -> HookEvent {
    let event_name = v
        .get("hook_event_name")
        .and_then(Value::as_str)
        .unwrap_or(default_event)
        .to_string();
    let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    HookEvent {
        dialect,
        kind: event_kind(&event_name),
        event_name,
        cwd: s("cwd"),
        tool_name: s("tool_name"),
        tool_input: v.get("tool_input").cloned().unwrap_or(Value::Null),
        tool_response: v.get("tool_response").cloned(),
        prompt: s("prompt"),
        deferred: Vec::new(),
    }
}

/// Build an event for the legacy Kiro IDE from `USER_PROMPT` and the
/// `--event` flag. `USER_PROMPT` may be tool JSON (`toolName`, `toolArgs`,
/// `toolResult`), `{}`, or a plain prompt.
pub fn legacy_event(user_prompt: &str, event: Option<&str>) -> HookEvent {
    let parsed: Option<Value> = serde_json::from_str(user_prompt.trim())
        .ok()
        .filter(Value::is_object);
    let event_name = event
        .unwrap_or(if parsed.is_some() {
            "postToolUse"
        } else {
            "promptSubmit"
        })
        .to_string();
    let mut ev = HookEvent {
        dialect: Dialect::KiroIdeLegacy,
        kind: event_kind(&event_name),
        event_name,
        cwd: None,
        tool_name: None,
        tool_input: Value::Null,
        tool_response: None,
        prompt: None,
        deferred: Vec::new(),
    };
    match parsed {
        Some(v) => {
            ev.tool_name = v
                .get("toolName")
                .and_then(Value::as_str)
                .map(str::to_string);
            ev.tool_input = v.get("toolArgs").cloned().unwrap_or(Value::Null);
            ev.tool_response = v.get("toolResult").cloned();
        }
        None if !user_prompt.trim().is_empty() => {
            ev.prompt = Some(user_prompt.to_string());
            if ev.kind == EventKind::Other {
                ev.kind = EventKind::UserPromptSubmit;
            }
        }
        None => {}
    }
    ev
}

/// Kinds of tool the hook understands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ToolKind {
    /// Writes or edits a file.
    Write,
    /// Runs a shell command.
    Shell,
    /// An MCP tool: server and tool name.
    Mcp { server: String, tool: String },
    /// Anything else (reads, searches, ...).
    Other,
}

/// Classify a tool name across dialects.
pub fn tool_kind(name: &str) -> ToolKind {
    if let Some(rest) = name.strip_prefix('@') {
        let (server, tool) = rest.split_once('/').unwrap_or((rest, ""));
        return ToolKind::Mcp {
            server: server.into(),
            tool: tool.into(),
        };
    }
    if let Some(rest) = name.strip_prefix("mcp__") {
        let (server, tool) = rest.split_once("__").unwrap_or((rest, ""));
        return ToolKind::Mcp {
            server: server.into(),
            tool: tool.into(),
        };
    }
    match name {
        "fs_write" | "fsWrite" | "write" | "str_replace" | "strReplace" | "fs_append"
        | "fsAppend" | "create_file" | "createFile" | "Write" | "Edit" | "MultiEdit"
        | "NotebookEdit" | "edit_file" => ToolKind::Write,
        "execute_bash" | "executeBash" | "execute_pwsh" | "executePwsh" | "shell" | "Bash"
        | "PowerShell" | "execute_cmd" => ToolKind::Shell,
        _ => ToolKind::Other,
    }
}

/// The file path a tool response names ("Created the <PATH> file.",
/// "Replaced text in <PATH>", "Appended the text to the <PATH> file.").
pub fn path_from_response(resp: &Value) -> Option<String> {
    let text = match resp {
        Value::String(s) => s.clone(),
        Value::Object(o) => {
            if let Some(r) = o.get("result") {
                return path_from_response(r);
            }
            if let Some(items) = o.get("items").and_then(Value::as_array) {
                return items.iter().find_map(|i| {
                    i.get("Text")
                        .or_else(|| i.get("text"))
                        .and_then(path_from_response)
                });
            }
            return None;
        }
        Value::Array(a) => return a.iter().find_map(path_from_response),
        _ => return None,
    };
    for (pre, post) in [
        ("Created the ", " file"),
        ("Appended the text to the ", " file"),
        ("Replaced text in ", ""),
    ] {
        if let Some(i) = text.find(pre) {
            let rest = &text[i + pre.len()..];
            let end = if post.is_empty() {
                rest.find(['\n']).unwrap_or(rest.len())
            } else {
                rest.find(post).unwrap_or(rest.len())
            };
            let p = rest[..end].trim().trim_end_matches('.').trim();
            if !p.is_empty() {
                return Some(p.to_string());
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dialects() {
        let claude = json!({"session_id":"a","transcript_path":"/t","cwd":"/p","permission_mode":"default","hook_event_name":"PreToolUse","tool_name":"Edit","tool_input":{}});
        assert_eq!(detect_dialect(&claude), Dialect::Claude);
        let cli = json!({"hook_event_name":"preToolUse","cwd":"/r","tool_name":"fs_write","tool_input":{}});
        assert_eq!(detect_dialect(&cli), Dialect::KiroCli);
        let v1 = json!({"session_id":"sess_1","hook_event_name":"PreToolUse","cwd":"/r","tool_name":"fs_write","tool_input":{}});
        assert_eq!(detect_dialect(&v1), Dialect::KiroV1);
        let claude_by_tool =
            json!({"hook_event_name":"PreToolUse","tool_name":"mcp__github__create_issue"});
        assert_eq!(detect_dialect(&claude_by_tool), Dialect::Claude);
    }

    #[test]
    fn bad_payloads_are_errors_not_panics() {
        assert!(parse_payload(b"", None).is_err());
        assert!(parse_payload(b"[1,2]", None).is_err());
        assert!(parse_payload(b"{\"hook_event_name\": 5}", None).is_ok());
        assert!(parse_payload(&[0xff, 0xfe, b'{'], None).is_err());
    }

    #[test]
    fn tools() {
        assert_eq!(
            tool_kind("@github/create_issue"),
            ToolKind::Mcp {
                server: "github".into(),
                tool: "create_issue".into()
            }
        );
        assert_eq!(
            tool_kind("mcp__brave-search__search"),
            ToolKind::Mcp {
                server: "brave-search".into(),
                tool: "search".into()
            }
        );
        assert_eq!(tool_kind("fs_write"), ToolKind::Write);
        assert_eq!(tool_kind("Bash"), ToolKind::Shell);
        assert_eq!(tool_kind("fs_read"), ToolKind::Other);
    }

    #[test]
    fn response_paths() {
        assert_eq!(
            path_from_response(&json!("Created the /abs/f.md file.")),
            Some("/abs/f.md".into())
        );
        assert_eq!(
            path_from_response(&json!({"success":true,"result":"Replaced text in src/a.py"})),
            Some("src/a.py".into())
        );
        assert_eq!(
            path_from_response(&json!({"items":[{"Text":"Appended the text to the b.txt file."}]})),
            Some("b.txt".into())
        );
        assert_eq!(path_from_response(&json!({"success":true})), None);
    }

    #[test]
    fn deferred_hook_events() {
        let v = br#"{"hook_event_name":"postToolUse","cwd":"/r","hook_events":[
            {"tool_name":"fs_write","tool_input":{"command":"create","path":"/r/a.py","file_text":"x"},"tool_response":{"success":true}},
            {"hook_event_name":"postToolUse","tool_name":"execute_bash","tool_input":{"command":"ls"}},
            7]}"#;
        let e = parse_payload(v, None).unwrap();
        assert_eq!(e.dialect, Dialect::KiroCli);
        assert_eq!(e.kind, EventKind::PostToolUse);
        assert_eq!(e.deferred.len(), 2);
        assert_eq!(e.each().len(), 2);
        assert_eq!(e.deferred[0].cwd.as_deref(), Some("/r"));
        assert_eq!(e.deferred[0].kind, EventKind::PostToolUse);
        assert_eq!(e.deferred[1].tool_name.as_deref(), Some("execute_bash"));
        // Without a top-level event name the batch is still a post-tool event.
        let bare = parse_payload(br#"{"hook_events":[{"tool_name":"fs_write"}]}"#, None).unwrap();
        assert_eq!(
            (bare.dialect, bare.kind),
            (Dialect::KiroCli, EventKind::PostToolUse)
        );
        // An ordinary payload checks itself.
        let one = parse_payload(
            br#"{"hook_event_name":"PreToolUse","tool_name":"Write"}"#,
            None,
        )
        .unwrap();
        assert!(one.deferred.is_empty());
        assert_eq!(one.each().len(), 1);
    }

    #[test]
    fn legacy() {
        let e = legacy_event(
            r#"{"toolName":"fs_write","toolArgs":{},"toolResult":"Created the /abs/f.md file.","toolSuccess":true}"#,
            None,
        );
        assert_eq!(e.tool_name.as_deref(), Some("fs_write"));
        assert_eq!(e.kind, EventKind::PostToolUse);
        let p = legacy_event("please store S1234567D", None);
        assert_eq!(p.kind, EventKind::UserPromptSubmit);
        let f = legacy_event("{}", Some("fileEdited"));
        assert_eq!(f.kind, EventKind::FileSaved);
    }
}
