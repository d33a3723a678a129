//! Collecting and reading files: directories walked with `.gitignore`
//! respected; binary, oversized, unreadable and vanished files become notes.

use crate::guard::{ErrorEntry, Item};
use kiro_guard_skill::Document;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Bytes inspected to decide whether a file is binary.
const BINARY_SNIFF: usize = 8 << 10;

/// Result of reading one file.
pub enum Loaded {
    Item(Item),
    Skipped(ErrorEntry),
}

/// Expand paths: files as given, directories walked (respecting
/// `.gitignore`, `.ignore`, and skipping `.git`). Hidden files are included:
/// `.env`, `.kiro/` and `.claude/` are exactly what must be checked.
pub fn collect(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<ErrorEntry>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        if p.is_file() {
            files.push(p.clone());
            continue;
        }
        if !p.exists() {
            errors.push(ErrorEntry {
                kind: "io".into(),
                skill: None,
                path: Some(display(p)),
                message: "no such file or directory".into(),
            });
            continue;
        }
        let walker = ignore::WalkBuilder::new(p)
            .hidden(false)
            .git_ignore(true)
            .git_global(false)
            .git_exclude(true)
            .require_git(false)
            .parents(true)
            .filter_entry(|e| e.file_name() != ".git")
            .build();
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => files.push(e.into_path()),
                Ok(_) => {}
                Err(err) => errors.push(ErrorEntry {
                    kind: "skipped".into(),
                    skill: None,
                    path: None,
                    message: err.to_string(),
                }),
            }
        }
    }
    files.sort();
    files.dedup();
    (files, errors)
}

/// A path as shown in reports: relative to the current directory when
/// inside it, `/`-separated.
pub fn display(p: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    let rel = cwd
        .as_deref()
        .and_then(|c| p.strip_prefix(c).ok())
        .unwrap_or(p);
    let s = rel.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// Whether bytes look binary (a NUL byte in the first 8 KiB).
pub fn is_binary(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(BINARY_SNIFF)].contains(&0)
}

/// Decode text: UTF-8, or lossily (invalid sequences become U+FFFD, one
/// character each, so line numbers stay exact).
pub fn decode(bytes: Vec<u8>) -> String {
    match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

/// Build a document for `text` at `path` (label and language from the path).
pub fn document(path: &str, text: String) -> Document {
    Document::new(path, text)
}

/// Read one file into an item, or a note saying why it was skipped.
pub fn load(path: &Path, max_size: u64) -> Loaded {
    let label = display(path);
    let skipped = |kind: &str, message: String| {
        Loaded::Skipped(ErrorEntry {
            kind: kind.into(),
            skill: None,
            path: Some(label.clone()),
            message,
        })
    };
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return skipped("skipped", "file vanished before it could be read".into());
        }
        Err(e) => return skipped("io", format!("cannot read: {e}")),
    };
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    if len > max_size {
        return skipped(
            "skipped",
            format!("{len} bytes is over the {max_size}-byte limit (max_file_size); not scanned"),
        );
    }
    let mut bytes = Vec::with_capacity(len as usize);
    // Read at most one byte past the limit: files can grow while we read.
    if let Err(e) = file.take(max_size + 1).read_to_end(&mut bytes) {
        return skipped("io", format!("cannot read: {e}"));
    }
    if bytes.len() as u64 > max_size {
        return skipped(
            "skipped",
            format!("over the {max_size}-byte limit (max_file_size); not scanned"),
        );
    }
    if is_binary(&bytes) {
        return skipped("skipped", "binary file; not scanned".into());
    }
    Loaded::Item(Item::file(document(&label, decode(bytes))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_and_lossy() {
        assert!(is_binary(b"ab\0cd"));
        assert!(!is_binary(b"plain text\n"));
        let s = decode(vec![b'a', 0xff, b'\n', b'b']);
        assert_eq!(s.lines().count(), 2);
        assert_eq!(s.chars().nth(1), Some('\u{fffd}'));
    }

    #[test]
    fn oversized_and_missing_files_are_notes() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.txt");
        std::fs::write(&big, vec![b'a'; 100]).unwrap();
        assert!(matches!(load(&big, 10), Loaded::Skipped(e) if e.message.contains("limit")));
        assert!(
            matches!(load(&dir.path().join("gone"), 10), Loaded::Skipped(e) if e.kind == "skipped")
        );
        let bin = dir.path().join("b.bin");
        std::fs::write(&bin, b"\0\x01\x02").unwrap();
        assert!(matches!(load(&bin, 1000), Loaded::Skipped(e) if e.message.contains("binary")));
    }

    #[test]
    fn walk_respects_gitignore_and_keeps_dotfiles() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".gitignore"), "ignored.txt\n").unwrap();
        std::fs::write(dir.path().join("ignored.txt"), "x").unwrap();
        std::fs::write(dir.path().join(".env"), "x").unwrap();
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        std::fs::write(dir.path().join(".git").join("config"), "x").unwrap();
        let (files, errors) = collect(&[dir.path().to_path_buf()]);
        let names: Vec<String> = files
            .iter()
            .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert!(names.contains(&".env".to_string()), "{names:?}");
        assert!(!names.contains(&"ignored.txt".to_string()), "{names:?}");
        assert!(!names.contains(&"config".to_string()), "{names:?}");
        assert!(errors.is_empty());
    }
}
