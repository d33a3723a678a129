//! The semantic engine on JavaScript/TypeScript, Go and C#: TLS settings
//! by value, severity policy and robustness on bad input.

use banking_code_review::{Settings, scan_document};
use kiro_guard_skill::{Document, Finding, Severity};

fn scan(path: &str, text: &str) -> Vec<Finding> {
    scan_document(
        &Document::new(path.to_string(), text.to_string()),
        &Settings::default(),
    )
}

fn of(f: &[Finding], rule: &str) -> Vec<Severity> {
    f.iter()
        .filter(|x| x.rule_id == rule)
        .map(|x| x.severity)
        .collect()
}

const TLS: &str = "tls-verification-disabled";

#[test]
fn tls_switched_off_through_assignments_constants_and_callbacks() {
    // Go: a field assignment and a constant in a composite literal (a line
    // pattern sees neither).
    let go = scan(
        "client.go",
        "package c\n\nconst skipVerify = true\n\nfunc New() *http.Client {\n\tcfg := &tls.Config{MinVersion: tls.VersionTLS12}\n\tcfg.InsecureSkipVerify = true\n\tother := &tls.Config{InsecureSkipVerify: skipVerify}\n\treturn build(cfg, other)\n}\n",
    );
    assert_eq!(of(&go, TLS).len(), 2, "{go:?}");
    assert!(of(&go, TLS).iter().all(|s| *s == Severity::Block));
    // The same shapes with verification on: nothing.
    let go_ok = scan(
        "client.go",
        "package c\n\nconst skipVerify = false\n\nfunc New(insecure bool) *http.Client {\n\tcfg := &tls.Config{MinVersion: tls.VersionTLS12}\n\tcfg.InsecureSkipVerify = insecure\n\tother := &tls.Config{InsecureSkipVerify: skipVerify}\n\treturn build(cfg, other)\n}\n",
    );
    assert!(of(&go_ok, TLS).is_empty(), "{go_ok:?}");

    // Node: an option object built from a constant, and the environment
    // switch.
    let js = scan(
        "agent.js",
        "const VERIFY = false;\nconst agent = new https.Agent({ keepAlive: true, rejectUnauthorized: VERIFY });\nprocess.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';\n",
    );
    assert_eq!(of(&js, TLS).len(), 2, "{js:?}");
    let js_ok = scan(
        "agent.js",
        "const VERIFY = true;\nconst agent = new https.Agent({ keepAlive: true, rejectUnauthorized: VERIFY });\nprocess.env.NODE_TLS_REJECT_UNAUTHORIZED = '1';\n",
    );
    assert!(of(&js_ok, TLS).is_empty(), "{js_ok:?}");

    // .NET: a validation callback that accepts every certificate, in an
    // initialiser spread over lines and through `+=`.
    let cs = scan(
        "Client.cs",
        "public class C {\n  public HttpClient Make() {\n    var handler = new HttpClientHandler\n    {\n      ServerCertificateCustomValidationCallback =\n        (message, cert, chain, errors) => true\n    };\n    ServicePointManager.ServerCertificateValidationCallback +=\n      (s, c, ch, e) => { return true; };\n    return new HttpClient(handler);\n  }\n}\n",
    );
    assert_eq!(of(&cs, TLS).len(), 2, "{cs:?}");
    let cs_ok = scan(
        "Client.cs",
        "public class C {\n  public HttpClient Make() {\n    var handler = new HttpClientHandler\n    {\n      ServerCertificateCustomValidationCallback =\n        (message, cert, chain, errors) => errors == SslPolicyErrors.None\n    };\n    return new HttpClient(handler);\n  }\n}\n",
    );
    assert!(of(&cs_ok, TLS).is_empty(), "{cs_ok:?}");
}

#[test]
fn request_input_blocks_unknown_input_warns_constants_are_silent() {
    let js = |body: &str| {
        scan(
            "routes/a.js",
            &format!("app.get('/a', async (req, res) => {{\n{body}\n}});\n"),
        )
    };
    let hi =
        js("  const q = 'SELECT * FROM t WHERE id = ' + req.query.id;\n  await pool.query(q);");
    assert_eq!(of(&hi, "sql-injection"), vec![Severity::Block], "{hi:?}");
    let msg = &hi
        .iter()
        .find(|f| f.rule_id == "sql-injection")
        .unwrap()
        .message;
    assert!(msg.contains("req.query") && msg.contains("q"), "{msg}");
    let unknown = scan(
        "lib/a.js",
        "function find(id) {\n  const q = 'SELECT * FROM t WHERE id = ' + id;\n  return pool.query(q);\n}\n",
    );
    assert_eq!(of(&unknown, "sql-injection"), vec![Severity::Warn]);
    let constant = js("  const q = 'SELECT * FROM t WHERE id = ' + 42;\n  await pool.query(q);");
    assert!(of(&constant, "sql-injection").is_empty());
    // The environment is a lower-confidence source: a warning.
    let env = scan(
        "tool.go",
        "package main\n\nfunc main() {\n\tq := \"SELECT * FROM t WHERE name = '\" + os.Getenv(\"NAME\") + \"'\"\n\tdb.Query(q)\n}\n",
    );
    assert_eq!(of(&env, "sql-injection"), vec![Severity::Warn], "{env:?}");
}

#[test]
fn bad_input_never_panics_or_hangs() {
    let deep = "(".repeat(20_000);
    let tpl = "`${".repeat(5_000);
    let braces = "{".repeat(20_000);
    let lambdas = "x => ".repeat(10_000);
    let start = std::time::Instant::now();
    for text in [
        deep.as_str(),
        tpl.as_str(),
        braces.as_str(),
        lambdas.as_str(),
        "func (",
        "$@\"{",
        "<a><b>{</b>",
        "import x from",
        "\u{e9}\u{1F600}`${\u{e9}}`",
    ] {
        for ext in ["js", "tsx", "go", "cs"] {
            let _ = scan(&format!("x.{ext}"), text);
        }
    }
    assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
}
