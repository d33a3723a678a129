//! Applying an agent's write/edit tool input to the file on disk, so the
//! skills see the file as it will be, and we can tell which lines the edit
//! introduces.

use kiro_guard_contract::LineRange;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The result of applying an edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedEdit {
    /// Absolute (or cwd-joined) path of the file.
    pub path: PathBuf,
    /// Content before the edit (None: new file).
    pub before: Option<String>,
    /// Content after the edit.
    pub after: String,
    /// Lines of `after` the edit changed (None: the whole file is new).
    pub changed: Option<Vec<LineRange>>,
    /// Set when the edit could not be applied faithfully (e.g. `old_str` not
    /// found); `after` then holds only the inserted text.
    pub note: Option<String>,
}

fn s<'a>(v: &'a Value, keys: &[&str]) -> Option<&'a str> {
    keys.iter().find_map(|k| v.get(*k).and_then(Value::as_str))
}

fn b(v: &Value, keys: &[&str]) -> bool {
    keys.iter()
        .any(|k| v.get(*k).and_then(Value::as_bool).unwrap_or(false))
}

/// Resolve a tool path against the hook's `cwd`.
pub fn resolve(path: &str, cwd: Option<&str>) -> PathBuf {
    let p = Path::new(path);
    if p.is_absolute() {
        return p.to_path_buf();
    }
    match cwd {
        Some(c) if !c.is_empty() => Path::new(c).join(p),
        _ => p.to_path_buf(),
    }
}

/// Read a file for editing: None when absent; lossy for invalid UTF-8.
/// Only regular files are read (never a device, FIFO or socket, which could
/// block or never end), and never more than `max` bytes.
fn read_existing(path: &Path, max: u64) -> Result<Option<String>, String> {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => Err(format!("{} is a directory", path.display())),
        Ok(m) if !m.is_file() => Err(format!(
            "{} is not a regular file (a device, FIFO or socket); not read",
            path.display()
        )),
        Ok(m) if m.len() > max => Err(format!(
            "{} is {} bytes, over the {max}-byte limit",
            path.display(),
            m.len()
        )),
        Ok(_) => read_regular(path, max)
            .map(|bytes| Some(crate::files::decode(bytes)))
            .map_err(|e| format!("cannot read {}: {e}", path.display())),
        Err(_) => Ok(None),
    }
}

/// Open without blocking (a FIFO swapped in after the check would block an
/// ordinary open), check the opened file is regular, read at most `max`.
fn read_regular(path: &Path, max: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc_nonblock());
    }
    let f = opts.open(path)?;
    let m = f.metadata()?;
    if !m.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    if m.len() > max {
        return Err(std::io::Error::other(format!("over the {max}-byte limit")));
    }
    let mut bytes = Vec::with_capacity(m.len() as usize);
    f.take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(std::io::Error::other(format!("over the {max}-byte limit")));
    }
    Ok(bytes)
}

/// `O_NONBLOCK` (same value on Linux and macOS).
#[cfg(unix)]
fn libc_nonblock() -> i32 {
    if cfg!(target_os = "linux") {
        0o4000
    } else {
        0x0004
    }
}

/// The path a write tool's input names, if any.
pub fn target_path(input: &Value) -> Option<&str> {
    s(
        input,
        &[
            "path",
            "file_path",
            "filePath",
            "targetFile",
            "target_file",
            "notebook_path",
        ],
    )
}

/// Apply a write/edit tool input. Returns Err with a note when there is
/// nothing to apply (no path, empty input).
pub fn apply(
    tool: &str,
    input: &Value,
    cwd: Option<&str>,
    max: u64,
) -> Result<AppliedEdit, String> {
    if tool == "NotebookEdit" {
        return apply_notebook(input, cwd, max);
    }
    let raw_path = target_path(input).ok_or_else(|| "tool input names no file path".to_string())?;
    let path = resolve(raw_path, cwd);
    let before = read_existing(&path, max)?;
    let old = before.clone().unwrap_or_default();
    let command = s(input, &["command"]).unwrap_or("");
    let mut note = None;

    let replace = |old_s: &str, new_s: &str, all: bool, note: &mut Option<String>| -> String {
        if old_s.is_empty() || !old.contains(old_s) {
            *note = Some(format!(
                "the text to replace was not found in {}; scanned the new text on its own",
                path.display()
            ));
            return new_s.to_string();
        }
        if all {
            old.replace(old_s, new_s)
        } else {
            old.replacen(old_s, new_s, 1)
        }
    };

    let after = match tool {
        // Claude Code
        "Write" => s(input, &["content"]).unwrap_or("").to_string(),
        "Edit" => replace(
            s(input, &["old_string"]).unwrap_or(""),
            s(input, &["new_string"]).unwrap_or(""),
            b(input, &["replace_all"]),
            &mut note,
        ),
        "MultiEdit" => {
            let mut text = old.clone();
            for e in input
                .get("edits")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let o = s(e, &["old_string"]).unwrap_or("");
                let n = s(e, &["new_string"]).unwrap_or("");
                if o.is_empty() || !text.contains(o) {
                    note = Some("an edit's old_string was not found; its new text was appended for scanning".into());
                    text.push('\n');
                    text.push_str(n);
                } else if b(e, &["replace_all"]) {
                    text = text.replace(o, n);
                } else {
                    text = text.replacen(o, n, 1);
                }
            }
            text
        }
        // Kiro: str_replace (v1: oldStr/newStr; CLI: fs_write command=str_replace)
        "str_replace" | "strReplace" => replace(
            s(input, &["oldStr", "old_str"]).unwrap_or(""),
            s(input, &["newStr", "new_str"]).unwrap_or(""),
            b(input, &["replace_all", "replaceAll"]),
            &mut note,
        ),
        "fs_append" | "fsAppend" => {
            let add = s(input, &["text", "new_str", "content"]).unwrap_or("");
            let mut t = old.clone();
            if !t.is_empty() && !t.ends_with('\n') {
                t.push('\n');
            }
            t.push_str(add);
            t
        }
        _ => match command {
            "str_replace" => replace(
                s(input, &["old_str", "oldStr"]).unwrap_or(""),
                s(input, &["new_str", "newStr"]).unwrap_or(""),
                false,
                &mut note,
            ),
            "insert" => {
                let add = s(input, &["new_str", "text"]).unwrap_or("");
                let at = input
                    .get("insert_line")
                    .and_then(Value::as_u64)
                    .unwrap_or(0) as usize;
                let mut lines: Vec<&str> = old.split_inclusive('\n').collect();
                let at = at.min(lines.len());
                let mut insert = add.to_string();
                if !insert.ends_with('\n') {
                    insert.push('\n');
                }
                lines.insert(at, &insert);
                lines.concat()
            }
            "append" => {
                let add = s(input, &["new_str", "text", "file_text"]).unwrap_or("");
                let mut t = old.clone();
                if !t.is_empty() && !t.ends_with('\n') {
                    t.push('\n');
                }
                t.push_str(add);
                t
            }
            // create, or Kiro v1 fs_write {path, text}, create_file, write
            _ => s(
                input,
                &["file_text", "text", "content", "new_str", "fileText"],
            )
            .unwrap_or("")
            .to_string(),
        },
    };
    let changed = if note.is_some() {
        None
    } else {
        before.as_ref().map(|b| changed_lines(b, &after))
    };
    Ok(AppliedEdit {
        path,
        before,
        after,
        changed,
        note,
    })
}

/// Claude Code `NotebookEdit {notebook_path, cell_id?, new_source,
/// cell_type?, edit_mode?: replace|insert|delete}`: the document is the
/// cell's source (labelled with the notebook's path); for a replaced cell,
/// `before` is its current source, so only what the edit adds counts.
fn apply_notebook(input: &Value, cwd: Option<&str>, max: u64) -> Result<AppliedEdit, String> {
    let raw_path = s(input, &["notebook_path"])
        .ok_or_else(|| "NotebookEdit input names no notebook_path".to_string())?;
    let path = resolve(raw_path, cwd);
    let mode = s(input, &["edit_mode"]).unwrap_or("replace");
    let after = if mode == "delete" {
        String::new()
    } else {
        s(input, &["new_source"]).unwrap_or("").to_string()
    };
    let cell_id = s(input, &["cell_id"]);
    let before = match (mode, cell_id) {
        ("replace", Some(id)) => read_existing(&path, max)?
            .and_then(|text| serde_json::from_str::<Value>(&text).ok())
            .and_then(|nb| cell_source(&nb, id)),
        _ => None,
    };
    let changed = before.as_ref().map(|b| changed_lines(b, &after));
    Ok(AppliedEdit {
        path,
        before,
        after,
        changed,
        note: None,
    })
}

/// The source of the notebook cell with this id (a string or a list of lines).
fn cell_source(nb: &Value, id: &str) -> Option<String> {
    let cell = nb
        .get("cells")?
        .as_array()?
        .iter()
        .find(|c| c.get("id").and_then(Value::as_str) == Some(id))?;
    match cell.get("source")? {
        Value::String(t) => Some(t.clone()),
        Value::Array(lines) => Some(lines.iter().filter_map(Value::as_str).collect()),
        _ => None,
    }
}

/// The lines of `after` that differ from `before`, as one range between the
/// common prefix and suffix (empty when nothing changed).
pub fn changed_lines(before: &str, after: &str) -> Vec<LineRange> {
    let a: Vec<&str> = before.split_inclusive('\n').collect();
    let b: Vec<&str> = after.split_inclusive('\n').collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let max_suffix = a.len().min(b.len()) - prefix;
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(max_suffix)
        .take_while(|(x, y)| x == y)
        .count();
    let start = prefix + 1;
    let end = b.len() - suffix;
    if end < start {
        Vec::new()
    } else {
        vec![LineRange {
            start: start as u32,
            end: end as u32,
        }]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn tmp(content: &str) -> (tempfile::TempDir, String) {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("a.py"), content).unwrap();
        let cwd = d.path().to_string_lossy().into_owned();
        (d, cwd)
    }

    #[test]
    fn claude_edit_applies_to_disk_content() {
        let (_d, cwd) = tmp("a = 1\nb = 2\nc = 3\n");
        let e = apply(
            "Edit",
            &json!({"file_path":"a.py","old_string":"b = 2","new_string":"b = 22\nbb = 3"}),
            Some(&cwd),
            1 << 20,
        )
        .unwrap();
        assert_eq!(e.after, "a = 1\nb = 22\nbb = 3\nc = 3\n");
        assert_eq!(e.changed, Some(vec![LineRange { start: 2, end: 3 }]));
    }

    #[test]
    fn kiro_cli_commands() {
        let (_d, cwd) = tmp("x\ny\n");
        let ins = apply(
            "fs_write",
            &json!({"command":"insert","path":"a.py","insert_line":1,"new_str":"new"}),
            Some(&cwd),
            1 << 20,
        )
        .unwrap();
        assert_eq!(ins.after, "x\nnew\ny\n");
        let app = apply(
            "fs_write",
            &json!({"command":"append","path":"a.py","new_str":"z"}),
            Some(&cwd),
            1 << 20,
        )
        .unwrap();
        assert_eq!(app.after, "x\ny\nz");
        let cre = apply(
            "fs_write",
            &json!({"command":"create","path":"n.py","file_text":"hello"}),
            Some(&cwd),
            1 << 20,
        )
        .unwrap();
        assert_eq!(
            (cre.before, cre.after.as_str(), cre.changed),
            (None, "hello", None)
        );
        let rep = apply(
            "fs_write",
            &json!({"command":"str_replace","path":"a.py","old_str":"y","new_str":"q"}),
            Some(&cwd),
            1 << 20,
        )
        .unwrap();
        assert_eq!(rep.after, "x\nq\n");
    }

    #[test]
    fn kiro_v1_tools() {
        let (_d, cwd) = tmp("one\n");
        let w = apply(
            "fs_write",
            &json!({"path":"b.py","text":"t"}),
            Some(&cwd),
            1 << 20,
        )
        .unwrap();
        assert_eq!(w.after, "t");
        let r = apply(
            "str_replace",
            &json!({"path":"a.py","oldStr":"one","newStr":"two"}),
            Some(&cwd),
            1 << 20,
        )
        .unwrap();
        assert_eq!(r.after, "two\n");
        let miss = apply(
            "str_replace",
            &json!({"path":"a.py","oldStr":"zzz","newStr":"two"}),
            Some(&cwd),
            1 << 20,
        )
        .unwrap();
        assert!(miss.note.is_some());
        assert_eq!(miss.after, "two");
    }

    #[test]
    fn multiedit_and_missing_path() {
        let (_d, cwd) = tmp("a\nb\n");
        let m = apply(
            "MultiEdit",
            &json!({"file_path":"a.py","edits":[{"old_string":"a","new_string":"A"},{"old_string":"b","new_string":"B"}]}),
            Some(&cwd),
            1 << 20,
        )
        .unwrap();
        assert_eq!(m.after, "A\nB\n");
        assert!(apply("Write", &json!({}), Some(&cwd), 1 << 20).is_err());
    }

    #[test]
    fn notebook_edit_replaces_one_cell() {
        let d = tempfile::tempdir().unwrap();
        let nb = json!({"cells":[
            {"id":"c1","cell_type":"code","source":["a = 1\n","b = 2\n"]},
            {"id":"c2","cell_type":"code","source":"x = 9\n"}
        ],"nbformat":4});
        std::fs::write(d.path().join("n.ipynb"), nb.to_string()).unwrap();
        let cwd = d.path().to_string_lossy().into_owned();
        let e = apply(
            "NotebookEdit",
            &json!({"notebook_path":"n.ipynb","cell_id":"c1","new_source":"a = 1\nb = 3\n"}),
            Some(&cwd),
            1 << 20,
        )
        .unwrap();
        assert_eq!(e.path, d.path().join("n.ipynb"));
        assert_eq!(e.before.as_deref(), Some("a = 1\nb = 2\n"));
        assert_eq!(e.after, "a = 1\nb = 3\n");
        assert_eq!(e.changed, Some(vec![LineRange { start: 2, end: 2 }]));
        let ins = apply(
            "NotebookEdit",
            &json!({"notebook_path":"n.ipynb","cell_id":"c2","new_source":"y = 1","edit_mode":"insert"}),
            Some(&cwd),
            1 << 20,
        )
        .unwrap();
        assert_eq!(
            (ins.before, ins.after.as_str(), ins.changed),
            (None, "y = 1", None)
        );
        let del = apply(
            "NotebookEdit",
            &json!({"notebook_path":"n.ipynb","cell_id":"c2","edit_mode":"delete"}),
            Some(&cwd),
            1 << 20,
        )
        .unwrap();
        assert_eq!(del.after, "");
        // Not a notebook on disk, or an unknown cell: the new source on its own.
        let missing = apply(
            "NotebookEdit",
            &json!({"notebook_path":"new.ipynb","cell_id":"zz","new_source":"q"}),
            Some(&cwd),
            1 << 20,
        )
        .unwrap();
        assert_eq!((missing.before, missing.after.as_str()), (None, "q"));
        assert!(
            apply(
                "NotebookEdit",
                &json!({"new_source":"q"}),
                Some(&cwd),
                1 << 20
            )
            .is_err()
        );
    }

    #[test]
    fn changed_line_ranges() {
        assert_eq!(
            changed_lines("a\nb\nc\n", "a\nX\nc\n"),
            vec![LineRange { start: 2, end: 2 }]
        );
        assert_eq!(changed_lines("a\n", "a\n"), vec![]);
        assert_eq!(
            changed_lines("", "new\n"),
            vec![LineRange { start: 1, end: 1 }]
        );
        assert_eq!(changed_lines("a\nb\n", "a\n"), vec![]);
    }
}
