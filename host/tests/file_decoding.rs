//! How files are read for a scan: UTF-16 is decoded (with or without a
//! byte-order mark) and keeps its line numbers, a lone NUL does not make a
//! text file binary, real binary files are skipped with a `skipped` note,
//! and `.ignore`/`.rgignore` files do not hide files from `scan .`.

mod common;

use common::*;
use kiro_guard::files::{self, Encoding, Loaded};
use serde_json::Value;
use std::path::Path;

/// The documentation NRIC, built from pieces (no literal value in the file).
fn nric() -> String {
    format!("{}{}{}", "S", 1_234_567, "D")
}

fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let units = bom
        .then_some(0xFEFFu16)
        .into_iter()
        .chain(text.encode_utf16());
    for u in units {
        if big_endian {
            out.extend_from_slice(&u.to_be_bytes());
        } else {
            out.extend_from_slice(&u.to_le_bytes());
        }
    }
    out
}

fn scan_json(dir: &Path) -> (Option<i32>, Value) {
    let out = kg(dir)
        .args(["scan", ".", "--format", "json"])
        .output()
        .unwrap();
    assert_no_leak(&out);
    let v: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(&out)));
    (out.status.code(), v)
}

fn findings_in<'a>(v: &'a Value, path: &str) -> Vec<&'a Value> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["path"] == path)
        .collect()
}

fn notes(v: &Value) -> Vec<(String, String, String)> {
    v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap_or("").to_string(),
                e["path"].as_str().unwrap_or("").to_string(),
                e["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

// ------------------------------------------------------------- library level

#[test]
fn utf16_is_recognised_and_decoded() {
    let text = format!("héllo\r\nid = \"{}\"\n末尾\n", nric());
    for (be, bom, enc) in [
        (false, true, Encoding::Utf16Le),
        (true, true, Encoding::Utf16Be),
        (false, false, Encoding::Utf16Le),
        (true, false, Encoding::Utf16Be),
    ] {
        let bytes = utf16(&text, be, bom);
        assert_eq!(files::encoding(&bytes), enc, "be={be} bom={bom}");
        assert!(!files::is_binary(&bytes), "be={be} bom={bom}");
        assert_eq!(files::decode(bytes), text, "be={be} bom={bom}");
    }
    // An odd trailing byte and an unpaired surrogate: replaced, no panic.
    let mut bytes = utf16("ab\n", false, true);
    bytes.extend_from_slice(&[0x00, 0xD8, b'c', 0, b'x']);
    let s = files::decode(bytes);
    assert!(s.starts_with("ab\n\u{FFFD}c"), "{s:?}");
    assert!(s.ends_with('\u{FFFD}'));
}

#[test]
fn plain_text_and_binary_are_not_utf16() {
    assert_eq!(files::encoding(b"plain ascii text\n"), Encoding::Utf8);
    assert_eq!(files::encoding("中文 UTF-8\n".as_bytes()), Encoding::Utf8);
    assert_eq!(files::encoding(b""), Encoding::Utf8);
    assert_eq!(files::encoding(b"a"), Encoding::Utf8);
    // A UTF-32 byte-order mark is not UTF-16.
    assert_eq!(
        files::encoding(&[0xFF, 0xFE, 0, 0, b'a', 0, 0, 0]),
        Encoding::Utf8
    );
    // Little-endian integers (a table of u32) are not text.
    let ints: Vec<u8> = (1u32..2000).flat_map(|i| i.to_le_bytes()).collect();
    assert!(files::is_binary(&ints));
    // UTF-16 whose characters are mostly controls: binary.
    let ctrl: String = (0..200).map(|i| char::from(1 + (i % 8) as u8)).collect();
    assert!(files::is_binary(&utf16(&ctrl, false, true)));
}

#[test]
fn nul_heuristic() {
    let text = |nuls: usize, len: usize| {
        let mut b = b"id = 1\n".repeat(len / 7);
        for k in 0..nuls {
            let at = (k * 97 + 3) % b.len();
            b[at] = 0;
        }
        b
    };
    // One NUL in a short file, a few in a longer one: text.
    assert!(!files::is_binary(b"a\0b\n"));
    assert!(!files::is_binary(&text(1, 70)));
    assert!(!files::is_binary(&text(5, 7000)));
    // Text padded with NULs but otherwise clean: text (scanned).
    let mut padded = b"note = \"hello\"\n".to_vec();
    padded.extend(std::iter::repeat_n(0u8, 4000));
    assert!(!files::is_binary(&padded));
    // Many NULs with control bytes or invalid UTF-8: binary.
    assert!(files::is_binary(b"\x00\x01S1234567D\x00"));
    let mut b = text(200, 7000);
    b[10] = 0x02;
    assert!(files::is_binary(&b));
    let mut b = text(200, 7000);
    b[10] = 0xFF;
    assert!(files::is_binary(&b));
    // Control-dominated without NULs (compressed data): binary.
    let noise: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .map(|c| if c == 0 { 1 } else { c })
        .collect();
    assert!(files::is_binary(&noise));
    // Typical headers.
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0".to_vec();
    png.extend_from_slice(&noise[..512]);
    assert!(files::is_binary(&png));
    let mut elf = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0\x3e\0\x01\0\0\0".to_vec();
    elf.extend(std::iter::repeat_n(0u8, 64));
    assert!(files::is_binary(&elf));
}

#[test]
fn load_decodes_and_skips_with_notes() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("w.txt");
    std::fs::write(&p, utf16(&format!("x\r\n{}\r\n", nric()), false, true)).unwrap();
    match files::load(&p, 1 << 20) {
        Loaded::Item(_) => {}
        Loaded::Skipped(e) => panic!("UTF-16 skipped: {}", e.message),
    }
    let p = d.path().join("b.bin");
    std::fs::write(&p, b"\x00\x01\x02\x03\x00\x00").unwrap();
    match files::load(&p, 1 << 20) {
        Loaded::Skipped(e) => {
            assert_eq!(e.kind, "skipped");
            assert!(e.message.contains("binary"), "{}", e.message);
        }
        Loaded::Item(_) => panic!("binary file loaded as text"),
    }
}

#[test]
fn ignore_files_do_not_hide_files_from_the_walk() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join(".ignore"), "hidden_a.py\n").unwrap();
    std::fs::write(d.path().join(".rgignore"), "hidden_b.py\n").unwrap();
    std::fs::write(d.path().join(".gitignore"), "build_out.py\n").unwrap();
    for f in ["hidden_a.py", "hidden_b.py", "build_out.py", "kept.py"] {
        std::fs::write(d.path().join(f), "x = 1\n").unwrap();
    }
    let (found, errors) = files::collect(&[d.path().to_path_buf()]);
    let names: Vec<String> = found
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(names.contains(&"hidden_a.py".to_string()), "{names:?}");
    assert!(names.contains(&"hidden_b.py".to_string()), "{names:?}");
    assert!(names.contains(&"kept.py".to_string()), "{names:?}");
    // `.gitignore` is still honoured (generated and vendored files).
    assert!(!names.contains(&"build_out.py".to_string()), "{names:?}");
    assert!(errors.is_empty());
}

// ------------------------------------------------------------- end to end

#[test]
fn scan_finds_values_in_utf16_and_nul_files_at_the_right_line() {
    let d = tempfile::tempdir().unwrap();
    let body = format!("first line\r\nsecond\r\nid = \"{}\"\r\n", nric());
    std::fs::write(d.path().join("le_bom.txt"), utf16(&body, false, true)).unwrap();
    std::fs::write(d.path().join("be_bom.txt"), utf16(&body, true, true)).unwrap();
    std::fs::write(d.path().join("le_plain.txt"), utf16(&body, false, false)).unwrap();
    let mut nul = b"header\0\nsecond\n".to_vec();
    nul.extend_from_slice(format!("id = \"{}\"\n", nric()).as_bytes());
    std::fs::write(d.path().join("one_nul.txt"), nul).unwrap();
    // Real binary: skipped with a note, no finding.
    let mut bin = b"\x00\x01\x02\x03\x04".to_vec();
    bin.extend_from_slice(nric().as_bytes());
    bin.extend_from_slice(&[0u8; 32]);
    std::fs::write(d.path().join("data.bin"), bin).unwrap();

    let (code, v) = scan_json(d.path());
    assert_eq!(code, Some(1), "{v}");
    for path in ["le_bom.txt", "be_bom.txt", "le_plain.txt", "one_nul.txt"] {
        let f = findings_in(&v, path);
        assert_eq!(f.len(), 1, "{path}: {v}");
        assert_eq!(f[0]["rule"], "nric-fin", "{path}");
        assert_eq!(f[0]["line"], 3, "{path}");
        assert_eq!(f[0]["column"], 7, "{path}");
    }
    assert!(findings_in(&v, "data.bin").is_empty(), "{v}");
    let n = notes(&v);
    assert!(
        n.iter()
            .any(|(k, p, m)| k == "skipped" && p == "data.bin" && m.contains("binary")),
        "{n:?}"
    );
    // Decoded files are not reported as skipped.
    assert!(n.iter().all(|(_, p, _)| !p.ends_with(".txt")), "{n:?}");
}

#[test]
fn scan_ignores_dot_ignore_and_dot_rgignore() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join(".ignore"), "secret_a.py\n").unwrap();
    std::fs::write(d.path().join(".rgignore"), "*.py\n").unwrap();
    std::fs::write(
        d.path().join("secret_a.py"),
        format!("n = \"{}\"\n", nric()),
    )
    .unwrap();
    std::fs::write(
        d.path().join("secret_b.py"),
        format!("m = \"{}\"\n", nric()),
    )
    .unwrap();
    let (code, v) = scan_json(d.path());
    assert_eq!(code, Some(1), "{v}");
    assert_eq!(findings_in(&v, "secret_a.py").len(), 1, "{v}");
    assert_eq!(findings_in(&v, "secret_b.py").len(), 1, "{v}");
    // Benign twin: nothing to find, nothing blocked, nothing skipped.
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join(".ignore"), "a.py\n").unwrap();
    std::fs::write(d.path().join("a.py"), "x = 1\n").unwrap();
    let (code, v) = scan_json(d.path());
    assert_eq!(code, Some(0), "{v}");
    assert!(notes(&v).is_empty(), "{v}");
}
