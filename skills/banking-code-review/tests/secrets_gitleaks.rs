//! A repository's gitleaks rules passed as settings (`gitleaks_rules`,
//! `gitleaks_allowlist`): matches reported as `gitleaks/<id>` with the
//! secret group as span; keywords, entropy, path, allowlists; clear errors
//! for what is not supported.

use banking_code_review::{Settings, scan_document, scan_prompt};
use kiro_guard_skill::{Config, Document, Finding, Severity};

fn settings(json: &str) -> Result<Settings, String> {
    Settings::from_config(&Config::parse(json).unwrap())
}

const RULES: &str = r#"{
  "gitleaks_rules": [
    {"id": "bank-internal-token", "description": "internal API token",
     "regex": "(?i)bank[_-]?token\\s*[:=]\\s*['\"]?(bkt_[a-z0-9]{24})", "secretGroup": 1,
     "keywords": ["bkt_"], "entropy": 3.0,
     "allowlists": [{"stopwords": ["sample"]}, {"paths": ["^fixtures/"]},
                    {"regexes": ["^bkt_0+"], "regexTarget": "secret"}]},
    {"id": "ops-key", "regex": "OPS-[A-Z0-9]{12}", "path": "\\.cfg$", "tags": ["ops"]}
  ],
  "gitleaks_allowlist": {"paths": ["^vendor/"], "stopwords": ["notreal"]}
}"#;

fn token(body_seed: u32) -> String {
    const A: &[u8] = b"k3j9x0q2m8w7r5t1z4v6b";
    let mut x = body_seed.wrapping_mul(2654435761).wrapping_add(12345);
    let body: String = (0..24)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            A[(x as usize) % A.len()] as char
        })
        .collect();
    format!("{}{}", "bkt_", body)
}

fn found(f: &[Finding], id: &str) -> usize {
    f.iter()
        .filter(|f| f.rule_id == id && f.severity == Severity::Block)
        .count()
}

#[test]
fn repository_rules_match_with_the_secret_group() {
    let s = settings(RULES).unwrap();
    let t = token(1);
    let text = format!("BANK_TOKEN = \"{t}\"\n");
    let f = scan_document(&Document::new("src/app.py", text.as_str()), &s);
    let g: Vec<_> = f
        .iter()
        .filter(|f| f.rule_id == "gitleaks/bank-internal-token")
        .collect();
    assert_eq!(g.len(), 1, "{f:#?}");
    // Span = the secret group: columns 15..15+28.
    assert_eq!(
        (g[0].span.column, g[0].span.end_column),
        (15, 15 + t.len() as u32)
    );
    assert!(!g[0].evidence.contains(&t));
    assert!(g[0].references.iter().any(|r| r.id == "798"));
    // Prompts run the rules too.
    assert_eq!(
        found(&scan_prompt(&text, &s), "gitleaks/bank-internal-token"),
        1
    );
    // Path-restricted rule.
    let ops = format!("{}{}", "OPS-", "A1B2C3D4E5F6");
    assert_eq!(
        found(
            &scan_document(&Document::new("etc/x.cfg", ops.as_str()), &s),
            "gitleaks/ops-key"
        ),
        1
    );
    assert_eq!(
        found(
            &scan_document(&Document::new("etc/x.txt", ops.as_str()), &s),
            "gitleaks/ops-key"
        ),
        0
    );
}

#[test]
fn keywords_entropy_and_allowlists() {
    let s = settings(RULES).unwrap();
    let id = "gitleaks/bank-internal-token";
    let doc = |path: &str, text: String| scan_document(&Document::new(path, text), &s);
    // Rule allowlists: stopword, path, secret regex.
    let sample = format!("bank_token: {}sample{}", "bkt_", "k3j9x0q2m8w7r5t1z4");
    assert_eq!(found(&doc("src/a.yml", sample), id), 0);
    assert_eq!(
        found(
            &doc("fixtures/a.yml", format!("bank_token: {}", token(2))),
            id
        ),
        0
    );
    let zeros = format!("bank_token: {}{}", "bkt_", "000000000000k3j9x0q2m8w7");
    assert_eq!(found(&doc("src/a.yml", zeros), id), 0);
    // Low entropy.
    let low = format!("bank_token: {}{}", "bkt_", "abababababababababababab");
    assert_eq!(found(&doc("src/a.yml", low), id), 0);
    // Global allowlist: path and stopword.
    assert_eq!(
        found(
            &doc("vendor/a.yml", format!("bank_token: {}", token(3))),
            id
        ),
        0
    );
    let nr = format!("bank_token: {}notreal{}", "bkt_", "k3j9x0q2m8w7r5t1z");
    assert_eq!(found(&doc("src/a.yml", nr), id), 0);
    // Without the keyword the rule does not run (the regex alone would match).
    let s2 = settings(
        r#"{"gitleaks_rules": [{"id": "kw", "regex": "SECRET_[0-9]{6}", "keywords": ["absent"]}]}"#,
    )
    .unwrap();
    let f = scan_document(&Document::new("a.txt", "x = SECRET_123456"), &s2);
    assert_eq!(found(&f, "gitleaks/kw"), 0);
}

#[test]
fn unsupported_or_invalid_rules_are_errors() {
    for (json, needle) in [
        (
            r#"{"gitleaks_rules": [{"id": "p", "path": "\\.pem$"}]}"#,
            "path-only",
        ),
        (
            r#"{"gitleaks_rules": [{"id": "x", "regex": "(", "keywords": []}]}"#,
            "invalid regex",
        ),
        (
            r#"{"gitleaks_rules": [{"regex": "x"}]}"#,
            "`id` is required",
        ),
        (
            r#"{"gitleaks_rules": [{"id": "x", "regex": "a(b)", "secretGroup": 3}]}"#,
            "secretGroup",
        ),
        (
            r#"{"gitleaks_rules": [{"id": "x", "regex": "a", "validate": "x"}]}"#,
            "unsupported field `validate`",
        ),
        (
            r#"{"gitleaks_rules": [{"id": "x", "regex": "a", "allowlists": [{"commits": ["abc"]}]}]}"#,
            "unsupported field `commits`",
        ),
        (
            r#"{"gitleaks_rules": [{"id": "x", "regex": "a", "allowlists": [{"regexTarget": "file"}]}]}"#,
            "regexTarget",
        ),
        (r#"{"gitleaks_rules": {"id": "x"}}"#, "must be a list"),
    ] {
        let e = settings(json).unwrap_err();
        assert!(e.contains(needle), "{json}: {e}");
    }
}
