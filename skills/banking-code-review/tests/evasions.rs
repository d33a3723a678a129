//! Issue 9: encodings, Unicode tricks and string splitting must not hide a
//! credential. Every evasive form has a benign twin that must stay quiet.
//! Token-shaped values are built at run time from a seeded generator; none
//! is committed.

use banking_code_review::{Settings, scan_command, scan_document, scan_prompt, scan_tool_call};
use kiro_guard_skill::text::LineIndex;
use kiro_guard_skill::{Document, Finding, Span};

fn synth(n: usize, seed: u64, alphabet: &[u8]) -> String {
    let mut x = seed;
    (0..n)
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            alphabet[(x >> 33) as usize % alphabet.len()] as char
        })
        .collect()
}

const UPPER_DIGITS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// An AWS access key id shape: `AKIA` + 16.
fn aws_id() -> String {
    format!("{}{}{}", "AK", "IA", synth(16, 11, UPPER_DIGITS))
}

/// A GitHub classic token shape: `ghp_` + 36.
fn gh_token() -> String {
    format!("{}{}{}", "gh", "p_", synth(36, 23, ALNUM))
}

/// A Stripe live secret key shape.
fn stripe_key() -> String {
    format!("{}{}{}", "sk_", "live_", synth(24, 5, ALNUM))
}

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

fn file(path: &str, text: &str) -> Vec<Finding> {
    scan_document(
        &Document::new(path.to_string(), text.to_string()),
        &Settings::default(),
    )
}

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

/// One finding of `rule` covering `covered`; evidence masked; the secret
/// appears in neither evidence nor message.
#[track_caller]
fn assert_found(findings: &[Finding], text: &str, rule: &str, covered: &str, secret: &str) {
    let f: Vec<&Finding> = findings.iter().filter(|f| f.rule_id == rule).collect();
    assert_eq!(f.len(), 1, "{rule} in {text:?}: {findings:#?}");
    let f = f[0];
    assert_eq!(spanned(text, &f.span), covered, "{f:#?}");
    assert!(!f.evidence.contains(secret), "evidence leaks: {f:#?}");
    assert!(!f.message.contains(secret), "message leaks: {f:#?}");
}

#[track_caller]
fn assert_quiet(findings: &[Finding], text: &str) {
    assert!(findings.is_empty(), "{text:?}: {findings:#?}");
}

// ---------------------------------------------------------------- encodings

#[test]
fn base64_encoded_aws_key_in_a_file() {
    let key = aws_id();
    let blob = b64(&format!("[default]\naws_access_key_id = {key}\n"));
    let text = format!("CREDS_B64 = \"{blob}\"\n");
    let f = file("deploy/settings.py", &text);
    assert_found(&f, &text, "aws-access-key-id", &blob, &key);
    assert!(f[0].message.contains("base64-encoded"), "{f:#?}");
}

#[test]
fn base64_encoded_password_assignment_in_a_k8s_secret_value() {
    let pw = format!("{}{}", "Tr0ub4dor&3", synth(6, 9, ALNUM));
    let blob = b64(&format!("password={pw}"));
    let text = format!("apiVersion: v1\nkind: Secret\ndata:\n  app.env: {blob}\n");
    let f = file("k8s/secret.yaml", &text);
    assert_found(&f, &text, "hardcoded-password", &blob, &pw);
}

#[test]
fn benign_twin_random_base64_and_placeholder_stay_quiet() {
    let image = b64_bytes(&noise(900, 1));
    let digest = b64_bytes(&noise(32, 2));
    let doc = b64("password=changeme");
    let text = format!(
        "logo = \"data:image/png;base64,{image}\"\nintegrity = \"sha256-{digest}\"\nexample = \"{doc}\"\n"
    );
    assert_quiet(&file("web/assets.py", &text), &text);
}

#[test]
fn hex_encoded_github_token_in_a_command() {
    let tok = gh_token();
    let blob = hex(&tok);
    let text = format!("echo {blob} | xxd -r -p > ~/.token");
    let f = scan_command(&text, &Settings::default());
    assert_found(&f, &text, "github-token", &blob, &tok);
    assert!(f[0].message.contains("hex-encoded"), "{f:#?}");
}

#[test]
fn benign_twin_hex_digests_stay_quiet() {
    let sha: String = noise(32, 4).iter().map(|b| format!("{b:02x}")).collect();
    let text = format!(
        "echo {sha}  app.tar.gz | sha256sum -c && git checkout {}",
        &sha[..40]
    );
    assert_quiet(&scan_command(&text, &Settings::default()), &text);
}

#[test]
fn url_encoded_token_in_a_prompt() {
    let tok = stripe_key();
    let enc: String = tok.bytes().map(|c| format!("%{c:02X}")).collect();
    let text = format!("call https://pay.internal/charge?key={enc}&amount=10");
    let f = scan_prompt(&text, &Settings::default());
    assert_found(&f, &text, "stripe-live-key", &enc, &tok);
}

#[test]
fn benign_twin_url_encoding_stays_quiet() {
    let text = "call https://pay.internal/search?q=live%20key%20rotation%20policy&page=2";
    assert_quiet(&scan_prompt(text, &Settings::default()), text);
}

#[test]
fn unicode_escapes_in_source_and_tool_input() {
    let key = aws_id();
    let esc: String = key
        .chars()
        .map(|c| format!("\\u{:04X}", c as u32))
        .collect();
    let text = format!("const k = \"{esc}\";\n");
    let f = file("web/aws.js", &text);
    assert_found(&f, &text, "aws-access-key-id", &esc, &key);
    // In a tool call, JSON escapes are decoded by the JSON parser.
    let json = format!(
        r#"{{"file_path":"web/aws.js","content":"const k = \"{}\";"}}"#,
        key.chars()
            .map(|c| format!("\\u{:04x}", c as u32))
            .collect::<String>()
    );
    let f = scan_tool_call(&json, &Settings::default());
    assert!(f.iter().any(|f| f.rule_id == "aws-access-key-id"), "{f:#?}");
}

#[test]
fn benign_twin_unicode_escapes_stay_quiet() {
    let text = "const label = \"caf\\u00e9 \\u00e0 la carte\";\n";
    assert_quiet(&file("web/i18n.js", text), text);
}

// ------------------------------------------------------------------ Unicode

#[test]
fn fullwidth_zero_width_and_homoglyph_tokens() {
    let key = aws_id();
    let fw: String = key
        .chars()
        .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap())
        .collect();
    let text = format!("aws key {fw}");
    let f = scan_prompt(&text, &Settings::default());
    assert_found(&f, &text, "aws-access-key-id", &fw, &key);

    let tok = gh_token();
    let zw = format!("{}\u{200B}{}\u{00AD}{}", &tok[..2], &tok[2..20], &tok[20..]);
    let text = format!("use {zw} for the api");
    let f = scan_prompt(&text, &Settings::default());
    assert_found(&f, &text, "github-token", &zw, &tok);

    // Cyrillic А, К, І for the AKIA prefix.
    let homo = format!("АКІА{}", &key[4..]);
    let text = format!("export AWS_ACCESS_KEY_ID={homo}");
    let f = scan_command(&text, &Settings::default());
    assert_found(&f, &text, "aws-access-key-id", &homo, &key);
}

#[test]
fn benign_twin_non_latin_text_stays_quiet() {
    let text = "# Ключ АКІА не используется; ｆｕｌｌ　ｗｉｄｔｈ ｔｅｘｔ ２０２４\nname = \"Ελληνικά\u{200B}\"\n";
    assert_quiet(&file("app/i18n.py", text), text);
}

// ---------------------------------------------------------------- splitting

#[test]
fn key_split_across_concatenation() {
    let key = aws_id();
    let (a, b, c) = (&key[..4], &key[4..12], &key[12..]);
    let cases = [
        (
            "Aws.java",
            format!("String id = \"{a}\" + \"{b}\" + \"{c}\";"),
        ),
        ("aws.py", format!("key_id = (\"{a}\"\n    \"{b}\" \"{c}\")")),
        ("aws.ts", format!("const id = '{a}' +\n  '{b}' +\n  '{c}';")),
    ];
    for (path, text) in &cases {
        let f = file(path, text);
        let hits: Vec<&Finding> = f
            .iter()
            .filter(|f| f.rule_id == "aws-access-key-id")
            .collect();
        assert_eq!(hits.len(), 1, "{path}: {f:#?}");
        let covered = spanned(text, &hits[0].span);
        assert!(
            covered.starts_with(a) && covered.ends_with(c),
            "{covered:?}"
        );
        assert!(hits[0].message.contains("concatenation"), "{:#?}", hits[0]);
        assert!(!hits[0].evidence.contains(&key));
    }
}

#[test]
fn token_split_across_a_line_continuation() {
    let tok = gh_token();
    let text = format!(
        "curl -H \"Authorization: token {}\\\n{}\" https://api.github.com/user",
        &tok[..15],
        &tok[15..]
    );
    let f = scan_command(&text, &Settings::default());
    assert!(
        f.iter()
            .any(|f| f.rule_id == "github-token" && !f.evidence.contains(&tok)),
        "{f:#?}"
    );
}

#[test]
fn benign_twin_concatenation_stays_quiet() {
    let texts = [
        "String q = \"SELECT id \" + \"FROM users \" + \"WHERE active = 1\";",
        "String id = \"AKIA\" + suffix;",
        "String p = \"ghp_\" + \"placeholder\";",
        "f(\"AKIA\", \"ABCDEFGHIJKLMNOP\");",
    ];
    for t in texts {
        assert_quiet(&file("App.java", t), t);
    }
}

// ------------------------------------------------------- fuzz regressions

/// `fuzz/artifacts/skill_banking/crash-b117deb6…`: a password key inside a
/// string literal that ends inside a multi-byte character sliced a `&str`
/// off a character boundary.
#[test]
fn fuzz_regression_embedded_password_value_ends_mid_character() {
    let bytes: &[u8] = b"echo 266=67\"([\"-y\",opassword =\x01p\"\x00y\",\"ove\"\x01password :6656616673!4\xffa0\xff\xcc\x04\xff\xff\xfaf\xc4";
    let text = String::from_utf8_lossy(bytes).into_owned();
    let _ = file("src/app.py", &text);
    let _ = scan_command(&text, &Settings::default());
    let _ = scan_prompt(&text, &Settings::default());
}

/// `fuzz/artifacts/skill_banking/crash-…` (second run): the three bytes
/// before a string literal (its f-string prefix) started inside a
/// multi-byte character.
#[test]
fn fuzz_regression_string_prefix_inside_a_multibyte_character() {
    let bytes: &[u8] = b"e\xff\xff\xff\xff\xff\xff\x03cursor.execute(\"SELECT\x11 * FROM t WHER\xa1E is\"([\"-y\",opassword =,y\"\"\x00\xeb\xeb\xeb\xeb\x01p\"ov0a";
    let text = String::from_utf8_lossy(bytes).into_owned();
    for path in [
        "src/app.py",
        "src/Main.java",
        "web/app.ts",
        "cmd/main.go",
        "src/Api.cs",
    ] {
        let _ = file(path, &text);
    }
}
