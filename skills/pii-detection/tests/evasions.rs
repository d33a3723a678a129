//! Issue 9: encodings, Unicode tricks and string splitting must not hide an
//! NRIC or a card number. Every evasive form has a benign twin that must stay
//! quiet. Values are synthetic: `S1234567D` (a documentation NRIC), the public
//! test card 4111 1111 1111 1111; other values are computed here.

use kiro_guard_skill::text::LineIndex;
use kiro_guard_skill::{Document, Finding, Span, checksum};
use pii_detection::{Settings, scan_document, scan_text, scan_tool_input};

const NRIC: &str = "S1234567D";
const CARD: &str = "4111111111111111";

fn b64(s: &str) -> String {
    b64_bytes(s.as_bytes())
}

fn b64_bytes(b: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for ch in b.chunks(3) {
        let v = (ch[0] as u32) << 16
            | (*ch.get(1).unwrap_or(&0) as u32) << 8
            | *ch.get(2).unwrap_or(&0) as u32;
        for k in 0..4 {
            if k <= ch.len() {
                out.push(T[((v >> (18 - 6 * k)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn hex(s: &str) -> String {
    s.bytes().map(|c| format!("{c:02x}")).collect()
}

/// Deterministic pseudo-random bytes (an "image" or a "hash").
fn noise(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed;
    (0..n)
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) as u8
        })
        .collect()
}

/// An NRIC with a valid check letter for `prefix` and `digits`.
fn nric(prefix: char, digits: &str) -> String {
    let d: [u8; 7] = digits
        .bytes()
        .map(|c| c - b'0')
        .collect::<Vec<_>>()
        .try_into()
        .unwrap();
    let letter = checksum::nric_check_letter(prefix, &d).unwrap();
    format!("{prefix}{digits}{letter}")
}

fn file(path: &str, text: &str) -> Vec<Finding> {
    scan_document(
        &Document::new(path.to_string(), text.to_string()),
        &Settings::default(),
    )
}

fn prompt(text: &str) -> Vec<Finding> {
    scan_text(text, "", &Settings::default())
}

/// The text a span covers.
fn spanned<'a>(text: &'a str, span: &Span) -> &'a str {
    let idx = LineIndex::new(text);
    let at = |line: u32, col: u32| {
        let r = idx.line_range(line);
        let lt = &text[r.clone()];
        r.start
            + lt.char_indices()
                .nth(col as usize - 1)
                .map_or(lt.len(), |(i, _)| i)
    };
    &text[at(span.line, span.column)..at(span.end_line, span.end_column)]
}

/// Exactly one finding of `rule`, covering `covered`, masked, never
/// containing `value` in evidence or message.
#[track_caller]
fn assert_found(findings: &[Finding], text: &str, rule: &str, covered: &str, value: &str) {
    let f: Vec<&Finding> = findings.iter().filter(|f| f.rule_id == rule).collect();
    assert_eq!(f.len(), 1, "{rule} in {text:?}: {findings:#?}");
    let f = f[0];
    assert_eq!(spanned(text, &f.span), covered, "{f:#?}");
    assert!(!f.evidence.contains(value), "evidence leaks: {f:#?}");
    assert!(!f.message.contains(value), "message leaks: {f:#?}");
    assert!(f.evidence.contains('*'), "{f:#?}");
}

#[track_caller]
fn assert_quiet(findings: &[Finding], text: &str) {
    assert!(findings.is_empty(), "{text:?}: {findings:#?}");
}

// ---------------------------------------------------------------- encodings

#[test]
fn base64_nric_is_decoded() {
    let blob = b64(&format!("customer nric {NRIC}"));
    let text = format!("payload = \"{blob}\"\n");
    let f = file("app/api.py", &text);
    assert_found(&f, &text, "nric-fin", &blob, NRIC);
    let nric_f = f.iter().find(|f| f.rule_id == "nric-fin").unwrap();
    assert!(nric_f.message.contains("base64-encoded"), "{nric_f:#?}");
    assert_eq!(nric_f.evidence, "S****567D");
}

#[test]
fn base64_card_is_decoded() {
    // The seed's gap: a base64-encoded card number in a prompt.
    let blob = b64(&format!("{{\"pan\":\"{CARD}\",\"exp\":\"12/29\"}}"));
    let text = format!("please store this token {blob} in the db");
    let f = prompt(&text);
    assert_found(&f, &text, "payment-card", &blob, CARD);
    assert!(f[0].message.contains("base64-encoded"));
    assert!(f[0].evidence.ends_with("1111"));
}

#[test]
fn benign_twin_random_base64_stays_quiet() {
    // An "image", a digest and base64 of harmless text.
    let image = b64_bytes(&noise(600, 7));
    let digest = b64_bytes(&noise(32, 99));
    let harmless = b64("hello world, build 1.2.3 on 2024-01-01 for order 12345");
    let text = format!(
        "img = \"data:image/png;base64,{image}\"\nsha = \"{digest}\"\nmsg = \"{harmless}\"\n"
    );
    assert_quiet(&file("app/assets.py", &text), &text);
    // Luhn-invalid card inside base64: still not a card.
    let text = b64("card 4111111111111112");
    assert_quiet(&prompt(&text), &text);
}

#[test]
fn hex_nric_is_decoded() {
    let blob = hex(&format!("id={NRIC};"));
    let text = format!("const DATA = '{blob}';");
    let f = file("web/app.js", &text);
    assert_found(&f, &text, "nric-fin", &blob, NRIC);
    assert!(f[0].message.contains("hex-encoded"));
}

#[test]
fn benign_twin_hex_digests_stay_quiet() {
    let sha: String = noise(32, 3).iter().map(|b| format!("{b:02x}")).collect();
    let text = format!("sha256 = \"{sha}\"\ncommit = \"{}\"\n", &sha[..40]);
    assert_quiet(&file("build/lock.py", &text), &text);
}

#[test]
fn nested_encoding_is_decoded_to_depth_two() {
    let inner = hex(&format!("card {CARD}"));
    let blob = b64(&inner);
    let text = format!("x = \"{blob}\"");
    let f = file("a.py", &text);
    assert_found(&f, &text, "payment-card", &blob, CARD);
    // Three levels exceed the bound (MAX_DEPTH = 2): documented, not found.
    let text = format!("x = \"{}\"", b64(&blob));
    assert!(file("a.py", &text).is_empty());
}

#[test]
fn url_encoded_nric_in_a_prompt() {
    let enc: String = NRIC.bytes().map(|c| format!("%{c:02X}")).collect();
    let text = format!("open https://crm.internal/search?q={enc} please");
    let f = prompt(&text);
    assert_found(&f, &text, "nric-fin", &enc, NRIC);
    assert!(f[0].message.contains("escape-encoded"), "{f:#?}");
}

#[test]
fn benign_twin_url_encoding_stays_quiet() {
    let text = "open https://x.internal/search?q=hello%20world%2C%20order%20%2312345&page=2";
    assert_quiet(&prompt(text), text);
}

#[test]
fn json_unicode_escapes_in_tool_input_and_prompt() {
    let esc: String = CARD
        .chars()
        .map(|c| format!("\\u{:04x}", c as u32))
        .collect();
    let json = format!(r#"{{"file_path":"src/a.py","content":"card = \"{esc}\"\n"}}"#);
    let f = scan_tool_input(&json, &Settings::default());
    assert_found(&f, &json, "payment-card", &esc, CARD);
    // The same escapes typed into a prompt (not JSON): the escapes view.
    let text = format!("use card {esc} for the test");
    let f = prompt(&text);
    assert_found(&f, &text, "payment-card", &esc, CARD);
}

#[test]
fn benign_twin_unicode_escapes_stay_quiet() {
    let text = r#"label = "caf\u00e9 \u00e0 la carte \u0031\u0032\u0033""#;
    assert_quiet(&file("i18n.py", text), text);
}

// ------------------------------------------------------------------ Unicode

#[test]
fn fullwidth_nric_and_card() {
    let fw: String = NRIC
        .chars()
        .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap())
        .collect();
    let text = format!("客户身份证 {fw} 已验证");
    let f = prompt(&text);
    assert_found(&f, &text, "nric-fin", &fw, NRIC);
    assert_eq!(f[0].evidence, "S****567D");

    let card = "４１１１ １１１１ １１１１ １１１１";
    let text = format!("card: {card}");
    let f = prompt(&text);
    assert_found(&f, &text, "payment-card", card, CARD);
}

#[test]
fn benign_twin_fullwidth_invalid_values_stay_quiet() {
    // Wrong check letter, Luhn-invalid card, ordinary full-width prose.
    let text = "参考 Ｓ１２３４５６７Ａ 和 ４１１１ １１１１ １１１１ １１１２ ＡＢＣ １２３";
    assert_quiet(&prompt(text), text);
}

#[test]
fn zero_width_and_soft_hyphen_inside_values() {
    let zw = "S123\u{200B}4567\u{200D}D";
    let text = format!("nric = \"{zw}\"");
    let f = file("app.py", &text);
    assert_found(&f, &text, "nric-fin", zw, NRIC);

    let shy = "4111\u{00AD}1111\u{2060}1111\u{FEFF}1111";
    let text = format!("pan = '{shy}'");
    let f = file("app.py", &text);
    assert_found(&f, &text, "payment-card", shy, CARD);

    let zwnj = "S12\u{200C}34567D";
    let text = format!("ic {zwnj}");
    assert_found(&prompt(&text), &text, "nric-fin", zwnj, NRIC);
}

#[test]
fn benign_twin_zero_width_in_prose_stays_quiet() {
    // Emoji ZWJ sequences, a soft-hyphenated word, a BOM, ZW in a short
    // number.
    let text = "\u{FEFF}team 👩\u{200D}💻 re\u{00AD}view, ticket 12\u{200B}34, build 7\u{200B}7";
    assert_quiet(&prompt(text), text);
}

#[test]
fn homoglyph_nric_prefixes() {
    // Cyrillic DZE for S, Cyrillic TE for T, Greek TAU for T.
    let t = nric('T', "0123456");
    for (glyph, latin) in [("Ѕ", NRIC.to_string()), ("Т", t.clone()), ("Τ", t.clone())] {
        let value = format!("{glyph}{}", &latin[1..]);
        let text = format!("customer {value} onboarded");
        let f = prompt(&text);
        assert_found(&f, &text, "nric-fin", &value, &latin);
    }
    // Mathematical bold and Arabic-Indic digits (NFKC folds them).
    let bold = "𝐒𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝐃";
    let text = format!("id {bold}");
    assert_found(&prompt(&text), &text, "nric-fin", bold, NRIC);
    let arabic = "S١٢٣٤٥٦٧D";
    let text = format!("id {arabic}");
    assert_found(&prompt(&text), &text, "nric-fin", arabic, NRIC);
}

#[test]
fn benign_twin_cyrillic_and_greek_text_stays_quiet() {
    let text = "Сертификат Т-1234567 выдан; ΤΑΞΗ 1234567 Α; Ѕ1234567Z";
    assert_quiet(&prompt(text), text);
}

#[test]
fn spans_point_at_the_original_on_later_lines() {
    let fw = "Ｓ１２３４５６７Ｄ";
    let text = format!("line one\nline two é\n  x = \"{fw}\" # ok\n");
    let f = file("a.py", &text);
    assert_found(&f, &text, "nric-fin", fw, NRIC);
    assert_eq!(f[0].span.line, 3);
    assert_eq!(f[0].span.column, 8);
    assert_eq!(f[0].span.end_column, 17);
}

// ---------------------------------------------------------------- splitting

#[test]
fn card_split_across_concatenation() {
    let cases = [
        // Java / JavaScript `+`
        (
            "Pay.java",
            "String pan = \"4111\" + \"1111\" + \"1111\" + \"1111\";",
        ),
        // Python implicit concatenation, across lines inside parentheses
        (
            "pay.py",
            "pan = (\"4111\" \"1111\"\n       \"1111\" \"1111\")",
        ),
        // JS `+` at line ends
        ("pay.ts", "const pan = '4111 1111 ' +\n  '1111 1111';"),
        // PHP `.`
        ("pay.php", "$pan = '41111111' . '11111111';"),
    ];
    for (path, text) in cases {
        let f = file(path, text);
        let c: Vec<&Finding> = f.iter().filter(|f| f.rule_id == "payment-card").collect();
        assert_eq!(c.len(), 1, "{path}: {f:#?}");
        let covered = spanned(text, &c[0].span);
        assert!(
            covered.starts_with('4') && covered.ends_with('1'),
            "{covered:?}"
        );
        assert!(c[0].message.contains("concatenation"), "{:#?}", c[0]);
        assert!(!c[0].evidence.contains(CARD), "{:#?}", c[0]);
    }
}

#[test]
fn nric_split_across_concatenation_and_continuation() {
    let text = "nric = \"S123\" + \"4567D\"";
    assert_found(
        &file("a.js", text),
        text,
        "nric-fin",
        "S123\" + \"4567D",
        NRIC,
    );
    // Backslash line continuation (shell, Python strings, C macros).
    let text = "echo S1234\\\n567D >> customers.txt";
    let f = scan_text(text, "shell", &Settings::default());
    assert_found(&f, text, "nric-fin", "S1234\\\n567D", NRIC);
}

#[test]
fn benign_twin_concatenation_stays_quiet() {
    let texts = [
        // Luhn-invalid when joined
        "pan = \"4111\" + \"1111\" + \"1111\" + \"1112\"",
        // separate arguments, not concatenation
        "f(\"4111\", \"1111\", \"1111\", \"1111\")",
        // ordinary string building
        "msg = \"Hello \" + \"world \" + \"order 1234\"",
        "sql = \"SELECT * \" \"FROM t WHERE id = 1234567\"",
    ];
    for t in texts {
        assert_quiet(&file("a.py", t), t);
    }
}

#[test]
fn evasion_findings_in_tool_input_point_into_the_json() {
    let fw = "Ｓ１２３４５６７Ｄ";
    let json = format!(r#"{{"command":"create","path":"notes.md","file_text":"id {fw}"}}"#);
    let f = scan_tool_input(&json, &Settings::default());
    assert_found(&f, &json, "nric-fin", fw, NRIC);
}

// ------------------------------------------- separators, octal, base32, ...

/// A checksum-valid NRIC with digits from `seed` (never a fixed literal).
fn some_nric(prefix: char, seed: u32) -> String {
    nric(
        prefix,
        &format!(
            "{:07}",
            (seed.wrapping_mul(2_654_435_761) >> 8) % 10_000_000
        ),
    )
}

/// `value` (9 characters) re-grouped: the prefix, the digit groups of the
/// given sizes and the check letter, joined by `sep`; `glue_prefix` and
/// `glue_check` keep the letters on their digits.
fn regroup(value: &str, sizes: &[usize], sep: &str, glue_prefix: bool, glue_check: bool) -> String {
    let (p, digits, c) = (&value[..1], &value[1..8], &value[8..]);
    let mut groups = Vec::new();
    let mut at = 0;
    for &n in sizes {
        groups.push(&digits[at..at + n]);
        at += n;
    }
    assert_eq!(at, 7);
    let mut out = String::from(p);
    if !glue_prefix {
        out.push_str(sep);
    }
    out.push_str(&groups.join(sep));
    if !glue_check {
        out.push_str(sep);
    }
    out.push_str(c);
    out
}

#[test]
fn nric_split_by_spaces_or_dashes() {
    for seed in 0..40 {
        let prefix = ['S', 'T', 'F', 'G', 'M'][seed as usize % 5];
        let v = some_nric(prefix, seed);
        let forms = [
            regroup(&v, &[7], " ", false, false),
            regroup(&v, &[7], "-", false, false),
            regroup(&v, &[4, 3], " ", true, true),
            regroup(&v, &[1, 1, 1, 1, 1, 1, 1], " ", false, false),
            regroup(&v, &[3, 4], "-", true, false),
        ];
        for form in forms {
            for text in [
                format!("customer {form} onboarded"),
                format!("id: \"{form}\""),
                form.clone(),
            ] {
                let f = prompt(&text);
                assert_found(&f, &text, "nric-fin", &form, &v);
                assert_eq!(f[0].severity, kiro_guard_skill::Severity::Block);
                assert!(f[0].evidence.starts_with(&v[..1]) && f[0].evidence.ends_with(&v[5..]));
            }
        }
    }
    // In a file, with Unicode spaces (folded first).
    let v = some_nric('S', 7);
    let form = format!("{}\u{3000}{}\u{3000}{}", &v[..1], &v[1..8], &v[8..]);
    let text = format!("nric = \"{form}\"\n");
    assert_found(&file("app/kyc.py", &text), &text, "nric-fin", &form, &v);
}

#[test]
fn benign_twin_split_digit_runs_stay_quiet() {
    // A wrong check letter in every split form.
    let v = some_nric('S', 3);
    let wrong = if v.ends_with('A') { 'B' } else { 'A' };
    let bad = format!("{}{wrong}", &v[..8]);
    for form in [
        regroup(&bad, &[7], " ", false, false),
        regroup(&bad, &[4, 3], " ", true, true),
        regroup(&bad, &[1, 1, 1, 1, 1, 1, 1], " ", false, false),
    ] {
        let text = format!("customer {form}");
        assert_quiet(&prompt(&text), &text);
    }
    // Valid check letters, but not a standalone value: lower-case letters,
    // inside a longer code, a row of a table, mixed separators, 8 digits.
    let good = some_nric('T', 11);
    let lower = regroup(&good, &[7], " ", false, false).to_ascii_lowercase();
    let texts = [
        format!("x {lower} y"),
        format!("ORD-{}-2", regroup(&good, &[7], "-", false, false)),
        format!(
            "0 {} 1 0",
            regroup(&good, &[1, 1, 1, 1, 1, 1, 1], " ", false, false)
        ),
        format!("{} {}-{}", &good[..1], &good[1..5], &good[5..]),
        format!("{} 9{} {}", &good[..1], &good[1..8], &good[8..]),
        format!("A{}", regroup(&good, &[7], " ", false, false)),
        // SVG path data: moveto, coordinates, lineto, more coordinates.
        format!(
            "<path d=\"{} 1300 600 Z\"/>",
            regroup(&some_nric('M', 5), &[4, 3], " ", false, false)
        ),
        format!(
            "<path d=\"{}1300 600Z\"/>",
            regroup(&some_nric('M', 5), &[4, 3], " ", true, true)
        ),
        format!("12 {}", regroup(&good, &[7], " ", false, false)),
    ];
    for t in &texts {
        let f = prompt(t);
        assert!(
            f.iter().all(|f| !f.rule_id.starts_with("nric")),
            "{t:?}: {f:#?}"
        );
    }
    // Ordinary digit runs with separators: phones, order ids, dates,
    // versions, an ISBN, timestamps, CSV digits.
    let texts = [
        "call +65 6123 4567 or 9123-4567",
        "order ORD-2024-1234567-A shipped",
        "on 2024-01-31 at 12:34:56, T 2024 01 31 Z",
        "version 1.2.3-rc.4 build 1234 567",
        "ISBN 978-3-16-148410-0 and ISBN-10 0-306-40615-2",
        "ts 1696800000 000 S 1 2 3",
        "id,a,b\n1234567,12,34\n7654321,56,78\n",
        "S 12 34 567 890 D",
        "matrix T 1 0 1 1 0 0 1 F 0 1 1",
    ];
    for t in texts {
        // A phone number is still a phone number; no identity or card.
        let f = prompt(t);
        assert!(
            f.iter()
                .all(|f| !f.rule_id.starts_with("nric") && f.rule_id != "payment-card"),
            "{t:?}: {f:#?}"
        );
    }
}

#[test]
fn cards_with_dots_or_underscores() {
    for (path, text, covered) in [
        (
            "notes.md",
            "card 4111.1111.1111.1111 exp 12/29",
            "4111.1111.1111.1111",
        ),
        (
            "app/pay.py",
            "PAN = 4111_1111_1111_1111\n",
            "4111_1111_1111_1111",
        ),
        (
            "app/pay.ts",
            "const pan = '5555_5555_5555_4444';",
            "5555_5555_5555_4444",
        ),
    ] {
        let f = file(path, text);
        assert_found(
            &f,
            text,
            "payment-card",
            covered,
            &covered.replace(['.', '_'], ""),
        );
        assert!(f[0].evidence.ends_with("4444") || f[0].evidence.ends_with("1111"));
    }
}

#[test]
fn benign_twin_dotted_numbers_stay_quiet() {
    for t in [
        "version 2024.1111.1111.1111 released",
        "4111.1111.1111.1112",
        "ip 10.1111.1111.1111",
        "limit = 1_000_000_000_000_000",
        "n = 4111_1111_1111_1112",
        "archive-4111.1111.1111.1111.tar.gz",
        "3.1415.9265.3589.7932",
    ] {
        assert_quiet(&file("a.py", t), t);
    }
}

#[test]
fn octal_escaped_nric() {
    let oct: String = NRIC.bytes().map(|c| format!("\\{c:03o}")).collect();
    let text = format!("printf '{oct}' >> out.txt");
    let f = scan_text(&text, "shell", &Settings::default());
    assert_found(&f, &text, "nric-fin", &oct, NRIC);
    assert!(f[0].message.contains("escape-encoded"), "{f:#?}");
    // Only the prefix letter escaped.
    let text = format!("s = \"\\{:03o}{}\"", b'S', &NRIC[1..]);
    let f = file("a.c", &text);
    assert_found(&f, &text, "nric-fin", &format!("\\123{}", &NRIC[1..]), NRIC);
}

#[test]
fn benign_twin_octal_stays_quiet() {
    // Permissions, a regex backreference, escapes of harmless text.
    let texts = [
        "chmod 755 x; printf '\\101\\102\\103 \\061\\062\\063'",
        "re.sub(r'(a)(b)\\2\\1', x) and mode \\644",
        "s = \"\\123\\061\\062\\063\\064\\065\\066\\067\\101\"",
    ];
    for t in texts {
        assert_quiet(&file("a.sh", t), t);
    }
}

fn b32(s: &str) -> String {
    const T: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let (mut acc, mut bits) = (0u32, 0u32);
    for &c in s.as_bytes() {
        acc = (acc << 8) | c as u32;
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(T[((acc >> bits) & 31) as usize] as char);
        }
        acc &= (1 << bits) - 1;
    }
    if bits > 0 {
        out.push(T[((acc << (5 - bits)) & 31) as usize] as char);
    }
    while !out.len().is_multiple_of(8) {
        out.push('=');
    }
    out
}

#[test]
fn base32_nric_and_card() {
    let blob = b32(&format!("nric={NRIC}"));
    let text = format!("secret: {blob}\n");
    let f = file("config/app.yaml", &text);
    assert_found(&f, &text, "nric-fin", &blob, NRIC);
    assert!(f[0].message.contains("base32-encoded"), "{f:#?}");
    let blob = b32(&format!("pan {CARD}")).to_ascii_lowercase();
    let text = format!("token {blob} end");
    assert_found(&prompt(&text), &text, "payment-card", &blob, CARD);
}

#[test]
fn benign_twin_base32_identifiers_stay_quiet() {
    // TOTP seeds and base32 of random bytes, constant names, base32 of
    // harmless text with digits.
    let seeds: Vec<String> = (0..20)
        .map(|k| {
            let bytes = noise(20, k);
            let s: String = bytes.iter().map(|&b| char::from(b'A' + b % 26)).collect();
            b32(&s)[..24].to_string()
        })
        .collect();
    let random: Vec<String> = (0..20)
        .map(|k| {
            const T: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
            noise(32, 100 + k)
                .iter()
                .map(|&b| T[(b % 32) as usize] as char)
                .collect()
        })
        .collect();
    let text = format!(
        "otp_seed = \"{}\"\nkeys = {:?}\nMAX_RETRY_COUNT_FOR_UPSTREAM = 3\nmsg = \"{}\"\n",
        seeds.join("\", \""),
        random,
        b32("order 12345 shipped on 2024-01-01")
    );
    assert_quiet(&file("app/otp.py", &text), &text);
}

#[test]
fn empty_interpolations_and_empty_literals() {
    for (path, text, covered) in [
        ("a.js", "const id = `S123${\"\"}4567D`;", "S123${\"\"}4567D"),
        ("a.ts", "const id = `S123${''}4567D`;", "S123${''}4567D"),
        ("a.py", "nric = f\"S123{''}4567D\"", "S123{''}4567D"),
        ("a.rb", "nric = \"S123#{\"\"}4567D\"", "S123#{\"\"}4567D"),
        (
            "a.py",
            "nric = \"S123\" \"\" \"4567D\"",
            "S123\" \"\" \"4567D",
        ),
        (
            "a.js",
            "nric = 'S123' + '' + '4567D'",
            "S123' + '' + '4567D",
        ),
    ] {
        assert_found(&file(path, text), text, "nric-fin", covered, NRIC);
    }
}

#[test]
fn benign_twin_interpolations_stay_quiet() {
    for t in [
        "msg = f\"order {''}1234567 shipped\"",
        "s = `v${\"\"}1.2.3` + '' + 'x'",
        "d = {\"\": 1, \"S123\": \"4567D\"}",
        "args = ('S123', '', '4567A')",
    ] {
        assert_quiet(&file("a.py", t), t);
    }
}

#[test]
fn yaml_continued_double_quoted_string() {
    let text = "customer:\n  nric: \"S123\\\n    4567D\"\n  name: x\n";
    let f = file("deploy/values.yaml", text);
    assert_found(&f, text, "nric-fin", "S123\\\n    4567D", NRIC);
    assert_eq!(f[0].span.line, 2);
    // Benign twin: a continued string of ordinary text and a wrong letter.
    let text = "msg: \"order 123\\\n    4567 shipped\"\nid: \"S123\\\n  4567A\"\n";
    assert_quiet(&file("deploy/values.yaml", text), text);
}

#[test]
fn notebook_source_split_across_json_lines() {
    let text = "{\n \"cells\": [\n  {\n   \"cell_type\": \"code\",\n   \"source\": [\n    \"customer = \\\"S123\",\n    \"4567D\\\"\\n\",\n    \"print(customer)\"\n   ]\n  }\n ]\n}\n";
    let f = file("analysis/kyc.ipynb", text);
    assert_found(&f, text, "nric-fin", "S123\",\n    \"4567D", NRIC);
    assert_eq!(f[0].span.line, 6);
    // A card split over three elements.
    let text = "{\"cells\": [{\"source\": [\"pan = '4111\", \"11111111\", \"1111'\\n\"]}]}";
    let f = file("a.ipynb", text);
    assert_found(
        &f,
        text,
        "payment-card",
        "4111\", \"11111111\", \"1111",
        CARD,
    );
    // Benign twin: each element a line of its own (ends in \n).
    let text = "{\"cells\": [{\"source\": [\"x = 'S123'\\n\", \"y = '4567D'\\n\"]}]}";
    assert_quiet(&file("a.ipynb", text), text);
    // Benign twin: another key's string array.
    let text = "{\"tags\": [\"S123\",\n \"4567D\"]}";
    assert_quiet(&file("a.json", text), text);
}

// ------------------------------- base64 cards, concat, join, irregular cards

#[test]
fn base64_of_a_bare_card_number_in_code() {
    // The decoded blob is data: a bare number in it is not a numeric
    // literal of the surrounding code.
    let blob = b64(CARD);
    for (path, text) in [
        ("app.py", format!("card_b64 = \"{blob}\"\n")),
        ("App.java", format!("String token = \"{blob}\";\n")),
        ("app.ts", format!("const t = '{blob}';\n")),
        ("notes.txt", format!("token {blob}\n")),
    ] {
        let f = file(path, &text);
        assert_found(&f, &text, "payment-card", &blob, CARD);
        assert!(f[0].message.contains("base64-encoded"), "{f:#?}");
        assert!(f[0].evidence.ends_with("1111"), "{f:#?}");
    }
    // Base32 and hex of the bare number too.
    let text = format!("t = \"{}\"\n", b32(CARD));
    assert!(
        file("app.py", &text)
            .iter()
            .any(|f| f.rule_id == "payment-card")
    );
    let text = format!("t = \"{}\"\n", hex(CARD));
    assert!(
        file("app.py", &text)
            .iter()
            .any(|f| f.rule_id == "payment-card")
    );
}

#[test]
fn benign_twin_base64_of_other_numbers_stays_quiet() {
    // Luhn-invalid, outside every brand range, a timestamp, a phone-length
    // number, an order id under its key: decoded, still not a card.
    for n in [
        "4111111111111112",
        "1234567812345670",
        "1696800000123",
        "91234567",
    ] {
        let text = format!("token = \"{}\"\n", b64(n));
        assert_quiet(&file("app.py", &text), &text);
    }
    let text = format!("x = \"{}\"\n", b64(&format!("order_id={CARD}")));
    assert_quiet(&file("app.py", &text), &text);
    // A table of numeric literals in code stays a table of numbers.
    let text = "const POW: [u64; 2] = [\n    4111111111111111110,\n    10000000000000000000,\n];\n";
    assert_quiet(&file("src/pow.rs", text), text);
}

#[test]
fn lower_case_nric_split_next_to_a_label() {
    for seed in 0..20 {
        let v = some_nric(['S', 'T', 'F', 'G', 'M'][seed as usize % 5], seed);
        let lower = v.to_ascii_lowercase();
        for form in [
            regroup(&lower, &[7], " ", false, false),
            regroup(&lower, &[7], "-", false, false),
            regroup(&lower, &[4, 3], " ", true, true),
            regroup(&v, &[7], " ", false, false).replace(&v[8..], &lower[8..]),
        ] {
            for text in [
                format!("customer nric: {form}"),
                format!("FIN {form} verified"),
                format!("{{\"nric\": \"{form}\"}}"),
            ] {
                let f = prompt(&text);
                assert_found(&f, &text, "nric-fin", &form, &v);
                assert!(f[0].evidence.contains('*'), "{f:#?}");
            }
        }
    }
}

#[test]
fn benign_twin_lower_case_split_stays_quiet() {
    let v = some_nric('S', 13).to_ascii_lowercase();
    let wrong = format!("{}{}", &v[..8], if v.ends_with('a') { 'b' } else { 'a' });
    for t in [
        // No label: letters around spaced digits in prose or data.
        format!("x {} y", regroup(&v, &[7], " ", false, false)),
        format!("steps: {}", regroup(&v, &[7], " ", false, false)),
        // A label, but a wrong check letter.
        format!(
            "customer nric: {}",
            regroup(&wrong, &[7], " ", false, false)
        ),
        // A label, but inside a longer code or a row of single characters.
        format!("nric ref ord-{}-2", regroup(&v, &[7], "-", false, false)),
        format!(
            "nric 0 {} 1",
            regroup(&v, &[1, 1, 1, 1, 1, 1, 1], " ", false, false)
        ),
        // SVG path data (lower-case relative commands) under an `ic` class.
        "<path class=\"ic\" d=\"m 1234 567 l 1300 600 s 1234 567 d\"/>".to_string(),
    ] {
        let f = prompt(&t);
        assert!(
            f.iter().all(|f| !f.rule_id.starts_with("nric")),
            "{t:?}: {f:#?}"
        );
    }
}

#[test]
fn nric_and_card_through_concat_calls() {
    for (path, text, covered) in [
        (
            "app.js",
            "const nric = \"S123\".concat(\"4567D\");",
            "S123\".concat(\"4567D",
        ),
        (
            "App.java",
            "String nric = \"S12\".concat(\"345\").concat(\"67D\");",
            "S12\".concat(\"345\").concat(\"67D",
        ),
        (
            "app.ts",
            "const nric = ''.concat('S123', '4567D');",
            "S123', '4567D",
        ),
        (
            "Kyc.cs",
            "var nric = String.Concat(\"S123\", \"4567D\");",
            "S123\", \"4567D",
        ),
        (
            "q.sql",
            "SELECT CONCAT('S123', '4567D') AS nric;",
            "S123', '4567D",
        ),
    ] {
        let f = file(path, text);
        assert_found(&f, text, "nric-fin", covered, NRIC);
        assert!(f[0].message.contains("concatenation"), "{f:#?}");
    }
    let text = "const pan = \"4111\".concat(\"1111\", \"1111\", \"1111\");";
    assert_found(
        &file("pay.js", text),
        text,
        "payment-card",
        "4111\".concat(\"1111\", \"1111\", \"1111",
        CARD,
    );
}

#[test]
fn benign_twin_concat_calls_stay_quiet() {
    for t in [
        "const label = \"Sec\".concat(\"tion\");",
        "const msg = \"order \".concat(\"1234567\");",
        "const id = \"S123\".concat(\"4567A\");",
        "const pan = \"4111\".concat(\"1111\", \"1111\", \"1112\");",
        "const x = \"S123\".concat(suffix);",
        "const y = a.concat(\"S123\", b, \"4567D\");",
        "const z = [\"S123\"].concat([\"4567D\"]);",
    ] {
        assert_quiet(&file("a.js", t), t);
    }
}

#[test]
fn nric_and_card_through_joined_lists() {
    for (path, text, covered) in [
        (
            "app.js",
            "const nric = ['S','1','2','3','4','5','6','7','D'].join('');",
            "S','1','2','3','4','5','6','7','D",
        ),
        (
            "app.py",
            "nric = ''.join(['S123', '4567D'])",
            "S123', '4567D",
        ),
        (
            "app.py",
            "nric = \"\".join((\n    \"S12\",\n    \"34567D\",\n))",
            "S12\",\n    \"34567D",
        ),
        ("app.rb", "nric = ['S123', '4567D'].join", "S123', '4567D"),
        // A joiner that makes a spaced form.
        (
            "app.py",
            "nric = ' '.join(['S', '1234567', 'D'])",
            "S', '1234567', 'D",
        ),
    ] {
        let f = file(path, text);
        assert_found(&f, text, "nric-fin", covered, NRIC);
        assert!(f[0].message.contains("concatenation"), "{f:#?}");
    }
    let text = "pan = '-'.join(['4111', '1111', '1111', '1111'])";
    assert_found(
        &file("pay.py", text),
        text,
        "payment-card",
        "4111', '1111', '1111', '1111",
        CARD,
    );
}

#[test]
fn benign_twin_joined_lists_stay_quiet() {
    for t in [
        "const s = ['a','b'].join('');",
        "label = ', '.join(['S123', '4567D'])",
        "x = ''.join(['S123', '4567A'])",
        "path = '/'.join(['usr', 'local', 'bin'])",
        "pan = ''.join(['4111', '1111', '1111', '1112'])",
        "parts = ['S123', '4567D']",
        "x = ''.join(parts)",
        "x = [prefix, '1234567D'].join('')",
    ] {
        assert_quiet(&file("a.py", t), t);
    }
}

#[test]
fn irregularly_grouped_card_next_to_a_card_word() {
    for text in [
        "card 4111 11 11 1111 1111",
        "Visa: 4111-11-11-1111-1111 exp 12/29",
        "credit card 41 11 11 11 11 11 11 11",
        "PAN 411 111 111 111 1111",
        "AMEX 37 8282 246 31 0005",
        "mastercard no. 5555 5555 55 55 4444",
    ] {
        let f = prompt(text);
        let c: Vec<&Finding> = f.iter().filter(|f| f.rule_id == "payment-card").collect();
        assert_eq!(c.len(), 1, "{text}: {f:#?}");
        let covered = spanned(text, &c[0].span);
        let digits: String = covered.chars().filter(char::is_ascii_digit).collect();
        assert!((13..=19).contains(&digits.len()), "{covered:?}");
        assert!(!c[0].evidence.contains(&digits), "{:#?}", c[0]);
    }
    let text = "card_number = \"4111 11 11 1111 1111\"\n";
    assert_found(
        &file("app.py", text),
        text,
        "payment-card",
        "4111 11 11 1111 1111",
        CARD,
    );
}

#[test]
fn benign_twin_irregular_digit_groups_stay_quiet() {
    for t in [
        // The same digits without a card word.
        "order 4111 11 11 1111 1111",
        "ref 4111-11-11-1111-1111",
        // A card word, but Luhn-invalid or outside every brand range.
        "version 4111 11 11 1111 1112",
        "card 4111 11 11 1111 1112",
        "card 1234 56 78 9012 3456",
        // Dates and times, version tables, counters, phones, IPs.
        "card expiry 2029 12 31 23 59 59",
        "cards 1 2 3 4 5 6 7 8",
        "card reader at 10 0 0 1 port 8080",
        "credit line +65 6123 4567",
        "visa photo 35 45 mm",
        "pan 2 1 4 3 6 5 8 7 10 9 12 11 14 13",
        // Two separator kinds.
        "card 4111 11-11 1111 1111",
    ] {
        let f = prompt(t);
        assert!(
            f.iter().all(|f| f.rule_id != "payment-card"),
            "{t:?}: {f:#?}"
        );
    }
}
