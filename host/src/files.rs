//! Collecting and reading files: directories walked with `.gitignore`
//! respected (but not `.ignore`/`.rgignore`: a security scan does not let a
//! search-tool ignore file hide files); UTF-16 decoded; binary, oversized,
//! unreadable and vanished files become notes.

use crate::item::Item;
use crate::report::{ErrorEntry, ErrorKind};
use kiro_guard_contract::Document;
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
/// `.gitignore` and `.git/info/exclude`, skipping `.git`). `.ignore` and
/// `.rgignore` files are NOT honoured: they are search-tool conveniences,
/// and anyone who can write one could hide files from the scan. Hidden
/// files are included: `.env`, `.kiro/` and `.claude/` are exactly what must
/// be checked.
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
                kind: ErrorKind::Io,
                skill: None,
                path: Some(display(p)),
                message: "no such file or directory".into(),
            });
            continue;
        }
        if !p.is_dir() {
            errors.push(ErrorEntry {
                kind: ErrorKind::Skipped,
                skill: None,
                path: Some(display(p)),
                message: "not a regular file (a device, FIFO or socket); not read".into(),
            });
            continue;
        }
        let walker = ignore::WalkBuilder::new(p)
            .hidden(false)
            .git_ignore(true)
            .git_global(false)
            .git_exclude(true)
            .ignore(false)
            .require_git(false)
            .parents(true)
            .filter_entry(|e| e.file_name() != ".git")
            .build();
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => files.push(e.into_path()),
                Ok(_) => {}
                Err(err) => errors.push(ErrorEntry {
                    kind: ErrorKind::Skipped,
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

/// How the bytes of a text file encode characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 (or something decoded as UTF-8 lossily).
    Utf8,
    Utf16Le,
    Utf16Be,
}

/// The encoding of `bytes`: UTF-16 when it starts with a UTF-16 byte-order
/// mark (and not a UTF-32 one), or, without a mark, when in the first 8 KiB
/// at least half of the 2-byte units are ASCII characters with their zero
/// byte on the same side (odd offsets: little-endian; even: big-endian) and
/// at most 1 in 20 have it on the other side. UTF-16 text that is mostly
/// non-ASCII and has no mark is not recognised (and is then binary).
pub fn encoding(bytes: &[u8]) -> Encoding {
    match bytes {
        [0xFF, 0xFE, 0, 0, ..] => return Encoding::Utf8,
        [0xFF, 0xFE, ..] => return Encoding::Utf16Le,
        [0xFE, 0xFF, ..] => return Encoding::Utf16Be,
        _ => {}
    }
    let sample = &bytes[..bytes.len().min(BINARY_SNIFF) & !1];
    let units = sample.len() / 2;
    if units < 2 {
        return Encoding::Utf8;
    }
    let (mut le, mut be) = (0usize, 0usize);
    for u in sample.chunks_exact(2) {
        match (u[0], u[1]) {
            (1..=0x7F, 0) => le += 1,
            (0, 1..=0x7F) => be += 1,
            _ => {}
        }
    }
    if le * 2 >= units && be * 20 <= units {
        Encoding::Utf16Le
    } else if be * 2 >= units && le * 20 <= units {
        Encoding::Utf16Be
    } else {
        Encoding::Utf8
    }
}

/// A byte that does not occur in text: a C0 control other than TAB, LF,
/// VT, FF, CR and ESC (ANSI colours in logs), or DEL. NUL is counted apart.
fn is_control(c: u8) -> bool {
    matches!(c, 0x01..=0x08 | 0x0E..=0x1A | 0x1C..=0x1F | 0x7F)
}

/// Whether bytes are binary, judged on the first 8 KiB:
///
/// - UTF-16 (see [`encoding`]) is text unless more than 1 in 10 of its
///   first characters are NULs or control characters;
/// - otherwise binary when more than 1 in 10 bytes are control characters
///   (see `is_control`), or when there is more than one NUL byte and more
///   than 1 in 100 bytes are NULs, and the sample also has a control
///   character or is not valid UTF-8.
///
/// So one NUL (or a few in a longer file) in otherwise-text content is
/// text, and so is text padded with NULs (it is scanned, not skipped);
/// executables, images, archives and compressed data are binary.
pub fn is_binary(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(BINARY_SNIFF)];
    if encoding(bytes) != Encoding::Utf8 {
        let text = decode_utf16(&sample[..sample.len() & !1], encoding(bytes));
        let (mut n, mut bad) = (0usize, 0usize);
        for c in text.chars().take(BINARY_SNIFF / 2) {
            n += 1;
            bad += (c == '\0' || (c.is_ascii() && is_control(c as u8))) as usize;
        }
        return bad * 10 > n;
    }
    let (mut nul, mut ctrl) = (0usize, 0usize);
    for &c in sample {
        nul += (c == 0) as usize;
        ctrl += is_control(c) as usize;
    }
    if ctrl * 10 > sample.len() {
        return true;
    }
    if nul <= 1 || nul * 100 <= sample.len() {
        return false;
    }
    // Many NULs: binary unless the rest is clean text.
    let utf8 = match std::str::from_utf8(sample) {
        Ok(_) => true,
        // Cut inside a character at the end of the sample.
        Err(e) => e.error_len().is_none(),
    };
    ctrl > 0 || !utf8
}

/// UTF-16 code units to a string: a byte-order mark dropped, unpaired
/// surrogates and an odd trailing byte as U+FFFD. Line breaks are kept as
/// they are, so line numbers match the file's.
fn decode_utf16(bytes: &[u8], enc: Encoding) -> String {
    let units = bytes.chunks_exact(2).map(|u| match enc {
        Encoding::Utf16Be => u16::from_be_bytes([u[0], u[1]]),
        _ => u16::from_le_bytes([u[0], u[1]]),
    });
    let mut s: String = char::decode_utf16(units)
        .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect();
    if s.starts_with('\u{FEFF}') {
        s.drain(..'\u{FEFF}'.len_utf8());
    }
    if !bytes.len().is_multiple_of(2) {
        s.push(char::REPLACEMENT_CHARACTER);
    }
    s
}

/// Decode text: UTF-16 (see [`encoding`]) to UTF-8; otherwise UTF-8, or
/// lossily (invalid sequences become U+FFFD, one character each, so line
/// numbers stay exact).
pub fn decode(bytes: Vec<u8>) -> String {
    let enc = encoding(&bytes);
    if enc != Encoding::Utf8 {
        return decode_utf16(&bytes, enc);
    }
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
    let skipped = |kind: ErrorKind, message: String| {
        Loaded::Skipped(ErrorEntry {
            kind,
            skill: None,
            path: Some(label.clone()),
            message,
        })
    };
    // Non-blocking: a FIFO put in a regular file's place after the walk
    // must not hang the open; the type is then checked on the open handle.
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = match options.open(path) {
        Ok(f) if f.metadata().is_ok_and(|m| m.is_file()) => f,
        Ok(_) => {
            return skipped(
                ErrorKind::Skipped,
                "not a regular file (a device, FIFO or socket); not read".into(),
            );
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return skipped(
                ErrorKind::Skipped,
                "file vanished before it could be read".into(),
            );
        }
        Err(e) => return skipped(ErrorKind::Io, format!("cannot read: {e}")),
    };
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    if len > max_size {
        return skipped(
            ErrorKind::Skipped,
            format!("{len} bytes is over the {max_size}-byte limit (max_file_size); not scanned"),
        );
    }
    let mut bytes = Vec::with_capacity(len as usize);
    // Read at most one byte past the limit: files can grow while we read.
    if let Err(e) = file.take(max_size + 1).read_to_end(&mut bytes) {
        return skipped(ErrorKind::Io, format!("cannot read: {e}"));
    }
    if bytes.len() as u64 > max_size {
        return skipped(
            ErrorKind::Skipped,
            format!("over the {max_size}-byte limit (max_file_size); not scanned"),
        );
    }
    if is_binary(&bytes) {
        return skipped(ErrorKind::Skipped, "binary file; not scanned".into());
    }
    Loaded::Item(Item::file(document(&label, decode(bytes))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_and_lossy() {
        assert!(is_binary(b"ab\0\x01cd\0"));
        assert!(!is_binary(b"ab\0cd\0"));
        assert!(is_binary(b"\x00\x01S1234567D\x00"));
        assert!(!is_binary(b"ab\0cd"));
        assert!(!is_binary(b"plain text\n"));
        let s = decode(vec![b'a', 0xff, b'\n', b'b']);
        assert_eq!(s.lines().count(), 2);
        assert_eq!(s.chars().nth(1), Some('\u{fffd}'));
    }

    /// A FIFO is never opened for reading (that would wait for a writer):
    /// named explicitly it is a skipped-file note, and `load` on one (as
    /// after a swap between the walk and the read) returns at once.
    #[cfg(unix)]
    #[test]
    fn fifos_are_notes_not_hangs() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let st = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(st.success());
        let (files, errors) = collect(std::slice::from_ref(&fifo));
        assert!(files.is_empty());
        assert_eq!(errors.len(), 1);
        assert!(errors[0].message.contains("FIFO"), "{:?}", errors[0]);
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(matches!(load(&fifo, 1 << 20), Loaded::Skipped(_)));
        });
        let skipped = rx
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("load() on a FIFO returned");
        assert!(skipped);
    }

    #[test]
    fn oversized_and_missing_files_are_notes() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.txt");
        std::fs::write(&big, vec![b'a'; 100]).unwrap();
        assert!(matches!(load(&big, 10), Loaded::Skipped(e) if e.message.contains("limit")));
        assert!(
            matches!(load(&dir.path().join("gone"), 10), Loaded::Skipped(e) if e.kind == ErrorKind::Skipped)
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
