//! Unit tests: a true-positive and a false-positive table per rule, severity
//! and settings behaviour, input kinds, and redaction safety.

use super::*;
use kiro_guard_skill::{Config, Document, Request, Severity, Skill};

fn settings() -> Settings {
    Settings::default()
}

/// (rule id, matched text, severity) for `text` scanned as `language`.
fn hits(text: &str, language: &str) -> Vec<(&'static str, String, Severity)> {
    let s = settings();
    scan::scan_hits(
        text,
        Options {
            language,
            is_test: false,
            settings: &s,
        },
    )
    .into_iter()
    .map(|h| (h.rule.id, text[h.start..h.end].to_string(), h.severity()))
    .collect()
}

/// Assert each TP input yields exactly `value` for `rule` and each FP input
/// yields nothing for `rule`.
fn check(rule: &str, tps: &[(&str, &str)], fps: &[&str]) {
    for (input, value) in tps {
        let h = hits(input, "");
        assert!(
            h.iter().any(|(r, v, _)| *r == rule && v == value),
            "{rule}: expected {value:?} in {input:?}, got {h:?}"
        );
    }
    for input in fps {
        let h = hits(input, "");
        assert!(
            !h.iter().any(|(r, _, _)| *r == rule),
            "{rule}: unexpected finding in {input:?}: {h:?}"
        );
    }
}

#[test]
fn nric_tp_fp() {
    check(
        "nric-fin",
        &[
            ("S1234567D", "S1234567D"),
            ("nric = \"T1234567J\"", "T1234567J"),
            ("FIN: G1234567X,", "G1234567X"),
            ("worker M1234567K", "M1234567K"),
            ("(F1234567N)", "F1234567N"),
            ("customer s1234567d", "s1234567d"),
            ("cust_S9812381D_x", "S9812381D"),
            ("a\n  T0066846F\n", "T0066846F"),
            ("customer nric: s 1234567 d", "s 1234567 d"),
            ("NRIC S-1234567-d", "S-1234567-d"),
        ],
        &[
            "XS1234567D",
            "S12345678D",
            "S1234567",
            "A1234567B",
            "S1234567D9",
            "T1234567Z",
            "F9477325W",
            "partial ***567D is allowed",
            "masked S****567D",
            "x s 1234567 d y",
            "nric: s 1234567 a",
        ],
    );
}

#[test]
fn nric_invalid_checksum_tp_fp() {
    check(
        "nric-fin-invalid-checksum",
        &[
            ("NRIC: T1234567Z", "T1234567Z"),
            ("fin=G1122144L", "G1122144L"),
            ("customer.nricNo = 'M1234567L'", "M1234567L"),
        ],
        &[
            "T1234567Z",
            "final T1234567Z",
            "NRIC: S1234567D",
            "A1234567B nric",
        ],
    );
    // The info finding is off when configured so.
    let s = Settings {
        report_invalid_nric: false,
        ..Settings::default()
    };
    assert!(scan_text("NRIC: T1234567Z", "", &s).is_empty());
}

#[test]
fn uen_tp_fp() {
    check(
        "uen",
        &[
            ("UEN 53333127K", "53333127K"),
            ("company: 201608355W.", "201608355W"),
            ("T09SS0032E", "T09SS0032E"),
            ("S46TU0001K", "S46TU0001K"),
            ("T16UF2321H", "T16UF2321H"),
        ],
        &[
            "53333127A",
            "201608355X",
            "T09ZZ0032E",
            "209908355W",
            "a53333127K",
            "53333127k",
        ],
    );
}

#[test]
fn passport_tp_fp() {
    check(
        "sg-passport",
        &[
            ("passport no: E1234567F", "E1234567F"),
            ("K7654321A", "K7654321A"),
            ("Passport e1234567f", "e1234567f"),
        ],
        &["e1234567f", "XE1234567F", "E12345678F", "E123456F"],
    );
    assert_eq!(hits("passport: E1234567F", "")[0].2, Severity::Block);
    assert_eq!(hits("K7654321A", "")[0].2, Severity::Warn);
}

#[test]
fn card_tp_fp() {
    check(
        "payment-card",
        &[
            ("4111111111111111", "4111111111111111"),
            ("4111 1111 1111 1111", "4111 1111 1111 1111"),
            ("4111-1111-1111-1111", "4111-1111-1111-1111"),
            ("card=4222222222222", "4222222222222"),
            ("5555555555554444", "5555555555554444"),
            ("2223003122003222", "2223003122003222"),
            ("3782 822463 10005", "3782 822463 10005"),
            ("pan: 6011111111111117", "6011111111111117"),
            ("JCB 3530111333300000", "3530111333300000"),
            ("UnionPay 6200000000000005", "6200000000000005"),
            ("Diners 36227206271667", "36227206271667"),
            ("exp 4111 1111 1111 1111 12/25", "4111 1111 1111 1111"),
            ("\"cardNumber\": \"4111111111111111\"", "4111111111111111"),
            // Dots and underscores as group separators.
            ("4111.1111.1111.1111", "4111.1111.1111.1111"),
            ("pan = 4111_1111_1111_1111", "4111_1111_1111_1111"),
            ("amex 3782.822463.10005.", "3782.822463.10005"),
            // Irregular groups, with a card word near.
            ("card 4111 11 11 1111 1111", "4111 11 11 1111 1111"),
            ("Visa: 4111-11-11-1111-1111", "4111-11-11-1111-1111"),
            ("credit 41 11 11 11 11 11 11 11", "41 11 11 11 11 11 11 11"),
        ],
        &[
            "41111111111111",
            "4111 1111 1111",
            "4111111111111112",
            "4111 1111-1111 1111",
            "4111.1111.1111.1112",
            "4111.1111-1111.1111",
            "v1.4111.1111.1111.1111",
            "4111.1111.1111.1111.tar",
            "build_4111_1111_1111_1111",
            "4111_1111_1111_1111_x",
            "ts=1696800000000",
            "order_id=4111111111111111",
            "id=550e8400-e29b-41d4-a716-446655440000",
            "v4111111111111111",
            "4111111111111111a",
            "ORD-4111111111111111",
            "price 4111111111111111.50",
            "2220123412341234",
            "5655555555554444",
            // Irregular groups without a card word, or Luhn-invalid.
            "order 4111 11 11 1111 1111",
            "4111 11 11 1111 1111",
            "version 4111 11 11 1111 1112",
            "card 4111 11 11 1111 1112",
            "cards 1 2 3 4 5 6 7 8",
        ],
    );
}

#[test]
fn account_tp_fp() {
    check(
        "bank-account",
        &[
            ("account: 1234567890", "1234567890"),
            ("Acct No. 123-456789-0", "123-456789-0"),
            ("A/C 0123456789", "0123456789"),
            ("accountNumber = '123456789012'", "123456789012"),
            ("accounts 1234 5678 90", "1234 5678 90"),
            ("DBS savings account 012-345678-9", "012-345678-9"),
            ("POSB 123456789", "123456789"),
            ("bank_account_no: \"0123456789\"", "0123456789"),
        ],
        &[
            "1234567890",
            "created_at = 1696800000",
            "account 1234567890123",
            "account id 123456789",
            "subaccount 1234567890",
            "account.created_at = 1696800000",
            "accounting 1234567890",
            "account 123456789",
        ],
    );
}

#[test]
fn phone_tp_fp() {
    check(
        "sg-phone",
        &[
            ("91234567", "91234567"),
            ("call 9123 4567 now", "9123 4567"),
            ("+6591234567", "+6591234567"),
            ("+65 9123 4567", "+65 9123 4567"),
            ("+65-9123-4567", "+65-9123-4567"),
            ("office 61234567", "61234567"),
            ("voip 31234567", "31234567"),
            ("mobile: 81234567.", "81234567"),
        ],
        &[
            "12345678",
            "912345678",
            "9123456",
            "+65 1234 5678",
            "ref 591234567",
            "20231015",
            "+44 9123 4567",
            "lat 1.3521, lng 103.81981234",
            "id=91234567-e29b-41d4-a716-446655440000",
            "timeout_ms: 86400000",
        ],
    );
    // Bare numeric literals in code are sizes and timeouts...
    assert!(hits("BUF = 33554432\n", "python").is_empty());
    assert!(hits("long DAY_MS = 86400000L;", "java").is_empty());
    // ...unless a phone word is near or they are in a string.
    assert_eq!(hits("phone = 91234567\n", "python").len(), 1);
    assert_eq!(hits("x = \"91234567\"\n", "python").len(), 1);
    // Personal context raises the severity.
    assert_eq!(hits("customer mobile 9123 4567", "")[0].2, Severity::Block);
    assert_eq!(hits("hotline 6123 4567", "")[0].2, Severity::Warn);
}

#[test]
fn postal_tp_fp() {
    check(
        "sg-postal-code",
        &[
            ("Singapore 238801", "238801"),
            ("1 Raffles Place, Singapore 048616", "048616"),
            ("S(238801)", "238801"),
            ("Postal code: 238801", "238801"),
            ("postcode=018956", "018956"),
        ],
        &[
            "238801",
            "order 123456",
            "Singapore 2388011",
            "items(123456)",
            "Singapore 61234567",
            "Singapore 839999",
            "address 002388",
        ],
    );
}

#[test]
fn email_tp_fp() {
    check(
        "email",
        &[
            ("a.b+tag@bank.com.sg", "a.b+tag@bank.com.sg"),
            ("mailto:john.tan@dbs.com.", "john.tan@dbs.com"),
            ("<Jane_Lim@gmail.com>", "Jane_Lim@gmail.com"),
        ],
        &[
            "user@localhost",
            "@decorator",
            "name at example dot com",
            "contact john.tan@example.com today",
            "icon@2x.png",
            "lodash@4.17.21",
            "noreply@bank.com.sg",
            "git@github.com:org/repo.git",
            "postgres://app:S3cr3tPw@db.bank.com.sg:5432/core",
            "https://deploy:token123@git.bank.sg/x.git",
            "dev@team.test",
        ],
    );
    let s = Settings {
        allow_email_domains: vec!["bank.com.sg".into()],
        ..Settings::default()
    };
    assert!(scan_text("ops@bank.com.sg and a@sub.bank.com.sg", "", &s).is_empty());
    assert_eq!(scan_text("ops@otherbank.com.sg", "", &s).len(), 1);
    let s = Settings {
        ignore_placeholder_emails: false,
        ..Settings::default()
    };
    assert_eq!(scan_text("john@example.com", "", &s).len(), 1);
}

#[test]
fn dob_tp_fp() {
    check(
        "date-of-birth",
        &[
            ("dob: 1985-03-14", "1985-03-14"),
            ("date_of_birth=\"14/03/1985\"", "14/03/1985"),
            ("dateOfBirth: 14 Mar 1985", "14 Mar 1985"),
            ("Born on March 14, 1985", "March 14, 1985"),
            ("DOB 19850314", "19850314"),
            ("birth_date: '1990.12.31'", "1990.12.31"),
        ],
        &[
            "created: 1985-03-14",
            "dob_verified_at: 2024-01-01",
            "adobe 2020-01-01",
            "dob: 1985-13-14",
            "birthday party at 8pm",
        ],
    );
}

#[test]
fn swift_tp_fp() {
    check(
        "swift-bic",
        &[
            ("SWIFT: DBSSSGSG", "DBSSSGSG"),
            ("swift code OCBCSGSGXXX", "OCBCSGSGXXX"),
            ("BIC=UOVBSGSG", "UOVBSGSG"),
            ("SWIFT/BIC: DBSSSGSG", "DBSSSGSG"),
        ],
        &[
            "DBSSSGSG",
            "PASSWORD",
            "swift: dbsssgsg",
            "BIC: DBSSSGSG12",
            "Swift language: SwiftUI",
            "BIC: DBSSZZSG",
            "bicycle DBSSSGSG",
        ],
    );
    assert_eq!(hits("SWIFT: DBSSSGSG", "")[0].2, Severity::Info);
}

#[test]
fn iban_tp_fp() {
    check(
        "iban",
        &[
            (
                "IBAN: GB82 WEST 1234 5698 7654 32",
                "GB82 WEST 1234 5698 7654 32",
            ),
            ("iban=DE89370400440532013000;", "DE89370400440532013000"),
            (
                "beneficiary account: GB82WEST12345698765432",
                "GB82WEST12345698765432",
            ),
        ],
        &[
            "IBAN: GB82 WEST 1234 5698 7654 33",
            "GB82WEST12345698765432",
            "IBAN: ZZ82WEST12345698765432",
        ],
    );
}

#[test]
fn catalogue_is_complete() {
    let info = PiiDetection::new().info();
    assert_eq!(info.rules.len(), 12);
    let mut ids: Vec<_> = info.rules.iter().map(|r| r.id.clone()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 12);
    for r in &info.rules {
        assert!(!r.references.is_empty(), "{}", r.id);
        assert!(r.remediation.len() > 40, "{}", r.id);
        assert!(
            r.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
            "{}",
            r.id
        );
    }
    assert!(Settings::keys().contains(&"test_severity"));
}

#[test]
fn test_fixtures_cap_severity() {
    let text = "customer S1234567D card 4111 1111 1111 1111\n";
    let skill = PiiDetection::new();
    let doc = Document::new("tests/fixtures/customers.py", text);
    assert!(doc.is_test);
    let f = skill.analyze_file(&doc, &Config::default()).unwrap();
    assert_eq!(f.len(), 2);
    assert!(f.iter().all(|f| f.severity == Severity::Warn));
    let cfg = Config::parse(r#"{"test_severity":"block"}"#).unwrap();
    let f = skill.analyze_file(&doc, &cfg).unwrap();
    assert!(f.iter().all(|f| f.severity == Severity::Block));
    let cfg = Config::parse(r#"{"test_severity":"info"}"#).unwrap();
    let f = skill.analyze_file(&doc, &cfg).unwrap();
    assert!(f.iter().all(|f| f.severity == Severity::Info));
    let prod = Document::new("src/customers.py", text);
    let f = skill.analyze_file(&prod, &Config::default()).unwrap();
    assert!(f.iter().all(|f| f.severity == Severity::Block));
    let bad = Config::parse(r#"{"test_severity":"loud"}"#).unwrap();
    assert!(skill.analyze_file(&prod, &bad).is_err());
}

#[test]
fn logs_cite_retention() {
    let doc = Document::new("logs/app.log", "2024-01-01 INFO login nric=S1234567D\n");
    let f = scan_document(&doc, &settings());
    assert_eq!(f.len(), 1);
    assert!(f[0].references.iter().any(|r| r.id == "s25"));
    let doc = Document::new("src/app.py", "nric = 'S1234567D'\n");
    let f = scan_document(&doc, &settings());
    assert!(!f[0].references.iter().any(|r| r.id == "s25"));
}

#[test]
fn spans_and_evidence_are_exact() {
    let text = "x\ncustomer: S1234567D, card 4111 1111 1111 1111, acct 1234567890\n";
    let f = scan_text(text, "", &settings());
    let got: Vec<_> = f
        .iter()
        .map(|f| {
            (
                f.rule_id.as_str(),
                f.span.line,
                f.span.column,
                f.span.end_column,
                f.evidence.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("nric-fin", 2, 11, 20, "S****567D"),
            ("payment-card", 2, 27, 46, "**** **** **** 1111"),
            ("bank-account", 2, 53, 63, "******7890"),
        ]
    );
    for f in &f {
        assert!(!f.message.contains("1234567"), "{}", f.message);
    }
}

/// Replace every span with its evidence, the way `kiro-guard redact` does,
/// and check that no full value survives while everything else is kept.
fn redact(text: &str, findings: &[kiro_guard_skill::Finding]) -> String {
    let idx = kiro_guard_skill::text::LineIndex::new(text);
    let offset = |line: u32, col: u32| {
        let r = idx.line_range(line);
        let l = &text[r.clone()];
        r.start
            + l.char_indices()
                .nth(col as usize - 1)
                .map(|(i, _)| i)
                .unwrap_or(l.len())
    };
    let mut out = text.to_string();
    let mut spans: Vec<_> = findings
        .iter()
        .map(|f| {
            (
                offset(f.span.line, f.span.column),
                offset(f.span.end_line, f.span.end_column),
                f.evidence.clone(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    for (s, e, ev) in spans {
        out.replace_range(s..e, &ev);
    }
    out
}

#[test]
fn redaction_leaves_no_full_value() {
    let values = [
        "S1234567D",
        "g1234567x",
        "4111 1111 1111 1111",
        "5555-5555-5555-4444",
        "378282246310005",
        "0123456789",
        "+65 9123 4567",
        "john.tan@dbs.com.sg",
        "1985-03-14",
        "238801",
        "E1234567F",
        "53333127K",
        "GB82 WEST 1234 5698 7654 32",
    ];
    let text = format!(
        "日志 nric={} fin {}\ncard: {} / {} amex {}\nA/C {} mobile {}\nemail {} dob: {}\naddress Singapore {} passport {} UEN {} IBAN: {}\n",
        values[0],
        values[1],
        values[2],
        values[3],
        values[4],
        values[5],
        values[6],
        values[7],
        values[8],
        values[9],
        values[10],
        values[11],
        values[12],
    );
    let f = scan_text(&text, "log", &settings());
    assert_eq!(f.len(), values.len(), "{f:#?}");
    let red = redact(&text, &f);
    for v in values {
        assert!(!red.contains(v), "{v} survived: {red}");
    }
    assert_eq!(red.lines().count(), text.lines().count());
    assert!(red.starts_with("日志 nric=S****567D fin g****567x\ncard: **** **** **** 1111"));
    assert!(red.contains("mobile +** **** 4567\nemail j***@dbs.com.sg dob: 1985-**-**"));
    assert!(red.ends_with("IBAN: GB** **** **** **** **54 32\n"));
}

#[test]
fn tool_calls_commands_and_prompts() {
    let skill = PiiDetection::new();
    let cfg = Config::default();
    let call = ToolCall {
        tool_name: "fs_write".into(),
        server: String::new(),
        input_json: r#"{"path":"src/a.py","file_text":"x = 1\ncustomer = \"S1234567D\"\n"}"#.into(),
    };
    let f = skill.analyze_tool_call(&call, &cfg).unwrap();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].severity, Severity::Block);
    // Span in the JSON text (line 1), covering exactly the value.
    let col = call.input_json.find("S1234567D").unwrap() as u32 + 1;
    assert_eq!(
        (f[0].span.line, f[0].span.column, f[0].span.end_column),
        (1, col, col + 9)
    );
    // A test-fixture path caps the severity.
    let call = ToolCall {
        input_json: r#"{"file_path":"tests/a.py","content":"S1234567D"}"#.into(),
        ..call
    };
    assert_eq!(
        skill.analyze_tool_call(&call, &cfg).unwrap()[0].severity,
        Severity::Warn
    );
    // Key context crosses into the value; numbers outside strings are scanned.
    let call = ToolCall {
        tool_name: "mcp__crm__update".into(),
        server: "crm".into(),
        input_json: r#"{"accountNumber": "0123456789", "card": 4111111111111111}"#.into(),
    };
    let ids: Vec<_> = skill
        .analyze_tool_call(&call, &cfg)
        .unwrap()
        .into_iter()
        .map(|f| f.rule_id)
        .collect();
    assert_eq!(ids, vec!["bank-account", "payment-card"]);

    let cmd = ShellCommand {
        command: "echo S1234567D >> customers.csv".into(),
        cwd: ".".into(),
    };
    assert_eq!(skill.analyze_command(&cmd, &cfg).unwrap().len(), 1);
    let p = Prompt {
        text: "why does the lookup fail for customer T1234567J with card 5555 5555 5555 4444?"
            .into(),
    };
    let f = skill.analyze_prompt(&p, &cfg).unwrap();
    assert_eq!(f.len(), 2);
    // Through the generic request path too.
    let req = Request {
        input: kiro_guard_skill::Input::UserPrompt(p),
        config_json: "{}".into(),
    };
    assert_eq!(skill.analyze(&req).unwrap().len(), 2);
}

#[test]
fn overlaps_keep_the_strongest_rule() {
    // A card after "account" is a card, not also an account or a phone.
    let h = hits("account 4111 1111 1111 1111", "");
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].0, "payment-card");
}

#[test]
fn no_findings_on_plain_code() {
    let code = r#"
import time
MAX_BYTES = 67108864
def handler(event, ctx):
    order_id = "ORD-2024-000123"
    ts = 1696800000123
    uid = "550e8400-e29b-41d4-a716-446655440000"
    sha = "3f786850e387550fdab836ed7e6dc881de23001b"
    version = "2.14.1"
    ip = "10.24.8.199"
    lat, lng = 1.352083, 103.819836
    price = 1299.95
    return {"status": 200, "elapsed_ms": 86400000}
"#;
    assert_eq!(hits(code, "python"), vec![]);
}

#[test]
fn numeric_literal_tables_are_not_cards() {
    // A table of u64 constants (as in serde_json's lexical tables): one of
    // these is Luhn-valid with a Visa prefix, but it is a number in code.
    let table =
        "const POW: [u64; 3] = [\n    4111111111111111110,\n    10000000000000000000,\n];\n";
    assert!(hits(table, "rust").is_empty());
    // A card word near a literal, or the same digits in a string, is a card.
    assert_eq!(hits("card = 4111111111111111\n", "python").len(), 1);
    assert_eq!(hits("x = \"4111111111111111\"\n", "python").len(), 1);
    // Outside source code (logs, CSV, prose) a bare card number is a card.
    assert_eq!(hits("4111111111111111", "log").len(), 1);
    // Decoded from base64 it is data, wherever the blob is.
    assert_eq!(
        hits("card_b64 = \"NDExMTExMTExMTExMTExMQ==\"\n", "python").len(),
        1
    );
    // The same for a Luhn-invalid number: nothing.
    assert!(hits("t = \"NDExMTExMTExMTExMTExMg==\"\n", "python").is_empty());
}

/// Every rule's own samples, through the skill's real analysis: plain
/// samples as a prompt, `@path` samples as that file, `$ ` as a command.
#[test]
fn every_rule_sample_holds() {
    use kiro_guard_skill::rule::{Sample, check_samples};
    use kiro_guard_skill::{Prompt, ShellCommand};
    let skill = PiiDetection::new();
    let cfg = Config::default();
    let n = check_samples(RULES, |_, s| match Sample::parse(s) {
        Sample::Prompt(t)
        | Sample::File {
            path: None,
            text: t,
        } => skill.analyze_prompt(&Prompt { text: t.into() }, &cfg),
        Sample::File {
            path: Some(p),
            text,
        } => skill.analyze_file(&Document::new(p, text), &cfg),
        Sample::Command(c) => skill.analyze_command(
            &ShellCommand {
                command: c.into(),
                cwd: String::new(),
            },
            &cfg,
        ),
    });
    assert!(n >= 2 * RULES.len());
}
