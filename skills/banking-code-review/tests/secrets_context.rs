//! Passwords in SQL, shell, PowerShell and connection strings; the
//! placeholder/hash stop-list; context-aware severity and its settings.
//! Credential-shaped values are built at run time.

use banking_code_review::{Settings, scan_command, scan_document};
use kiro_guard_skill::{Config, Document, Finding, Severity};

fn doc(path: &str, text: &str) -> Vec<Finding> {
    scan_document(&Document::new(path, text), &Settings::default())
}

fn ids(f: &[Finding]) -> Vec<(String, Severity)> {
    f.iter().map(|f| (f.rule_id.clone(), f.severity)).collect()
}

/// The value at a finding's span (single-line texts).
fn value<'a>(text: &'a str, f: &Finding) -> &'a str {
    let line = text.lines().nth(f.span.line as usize - 1).unwrap();
    let s = line
        .char_indices()
        .nth(f.span.column as usize - 1)
        .map_or(line.len(), |x| x.0);
    let e = line
        .char_indices()
        .nth(f.span.end_column as usize - 1)
        .map_or(line.len(), |x| x.0);
    &line[s..e]
}

fn pw() -> String {
    ["Qz7", "!mR", "4vTx"].concat()
}

#[test]
fn passwords_in_sql_shell_powershell_and_connection_strings() {
    let p = pw();
    let cases: Vec<(&str, String)> = vec![
        (
            "db/init.sql",
            format!("CREATE USER app IDENTIFIED BY '{p}';"),
        ),
        (
            "db/init.sql",
            format!("ALTER USER 'app'@'%' IDENTIFIED BY \"{p}\";"),
        ),
        (
            "db/init.sql",
            format!("CREATE USER app WITH LOGIN PASSWORD '{p}';"),
        ),
        (
            "db/init.sql",
            format!("CREATE LOGIN app WITH PASSWORD = N'{p}';"),
        ),
        (
            "db/roles.sql",
            format!("ALTER ROLE reporting PASSWORD '{p}' VALID UNTIL 'infinity';"),
        ),
        (
            "scripts/call.sh",
            format!("curl -s -u svc_user:{p} https://api.bank.sg/v1"),
        ),
        (
            "scripts/call.sh",
            format!("curl --user 'svc_user:{p}' https://api.bank.sg/v1"),
        ),
        (
            "deploy/setup.ps1",
            format!("$pw = ConvertTo-SecureString \"{p}\" -AsPlainText -Force"),
        ),
        (
            "deploy/setup.ps1",
            format!("$pw = ConvertTo-SecureString -String '{p}' -AsPlainText -Force"),
        ),
        (
            "deploy/setup.ps1",
            format!("$pw = \"{p}\" | ConvertTo-SecureString -AsPlainText -Force"),
        ),
        (
            "src/main/resources/app.properties",
            format!("spring.datasource.url=jdbc:postgresql://db:5432/core?user=app&password={p}"),
        ),
        (
            "src/Data.cs",
            format!("var cs = \"Server=db;Database=core;User Id=sa;Password={p};\";"),
        ),
        (
            "config/odbc.ini",
            format!("conn = Driver={{ODBC Driver 18}};Server=db;Uid=app;Pwd={p};"),
        ),
        (
            "config/app.yaml",
            format!("mongo: mongodb+srv://app:{p}@cluster0.bank.net/core"),
        ),
        (
            "config/app.yaml",
            format!("cache: redis://:{p}@cache.internal:6379/0"),
        ),
        (
            "config/app.yaml",
            format!("broker: amqps://svc:{p}@mq.internal:5671/vhost"),
        ),
        (
            "src/main/resources/app.properties",
            format!("db.url=jdbc:mysql://app:{p}@db.internal:3306/core"),
        ),
        (
            "scripts/deploy.sh",
            format!("git clone https://ci:{p}@git.bank.sg/core.git"),
        ),
        (
            "src/Data.cs",
            format!(
                "var cs = \"Data Source=db;Initial Catalog=core;User ID=app;Password={p};Encrypt=True\";"
            ),
        ),
    ];
    for (path, text) in &cases {
        let f = doc(path, text);
        let hit = f
            .iter()
            .find(|f| f.severity == Severity::Block && value(text, f) == p)
            .unwrap_or_else(|| panic!("{path}: {text}: {:?}", ids(&f)));
        assert!(!hit.evidence.contains(&p), "evidence masked");
    }
    // Authorization headers: Basic decodes to user:password; Bearer is a token.
    let basic = kiro_guard_skill_b64(&format!("svc:{p}"));
    let text = format!("curl -H \"Authorization: Basic {basic}\" https://api.bank.sg");
    let f = scan_command(&text, &Settings::default());
    assert_eq!(
        ids(&f),
        [("hardcoded-password".to_string(), Severity::Block)],
        "{text}"
    );
    let tok = ["a8F3kL0q", "Z7xW2mN9", "pR4tYb6V"].concat();
    let text = format!("curl -H 'Authorization: Bearer {tok}' https://api.bank.sg");
    let f = scan_command(&text, &Settings::default());
    assert_eq!(
        ids(&f),
        [("generic-secret".to_string(), Severity::Block)],
        "{text}"
    );
}

fn kiro_guard_skill_b64(s: &str) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in s.as_bytes().chunks(3) {
        let n = (c[0] as u32) << 16
            | (*c.get(1).unwrap_or(&0) as u32) << 8
            | *c.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= c.len() {
                out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn not_secrets() {
    for (path, text) in [
        (
            "db/init.sql",
            "CREATE USER app IDENTIFIED BY '${DB_PASSWORD}';",
        ),
        (
            "db/init.sql",
            "CREATE USER app IDENTIFIED BY PASSWORD '*6BB4837EB74329105EE4568DDA7DC67ED2CA2AD9';",
        ),
        ("db/init.sql", "ALTER USER app PASSWORD :'pw';"),
        (
            "scripts/call.sh",
            "curl -u \"$USER:$PASS\" https://api.bank.sg",
        ),
        (
            "scripts/call.sh",
            "curl -u user:<password> https://api.bank.sg",
        ),
        (
            "scripts/call.sh",
            "curl -H \"Authorization: Bearer $TOKEN\" https://api.bank.sg",
        ),
        (
            "scripts/call.sh",
            "curl -H 'Authorization: Bearer <token>' https://api.bank.sg",
        ),
        (
            "deploy/setup.ps1",
            "$pw = ConvertTo-SecureString $env:PW -AsPlainText -Force",
        ),
        ("deploy/setup.ps1", "$pw = Read-Host -AsSecureString"),
        // Connection strings and URLs whose password is a reference or a
        // placeholder.
        (
            "src/main/resources/app.properties",
            "spring.datasource.url=jdbc:postgresql://db:5432/core?user=app&password=${DB_PASSWORD}",
        ),
        (
            "src/Data.cs",
            "var cs = string.Format(\"Server=db;User Id=sa;Password={0};\", pw);",
        ),
        (
            "src/Data.cs",
            "var cs = \"Server=db;Database=core;Integrated Security=true;\";",
        ),
        (
            "config/odbc.ini",
            "conn = Driver={PG};Server=db;Uid=app;Pwd=%DB_PWD%;",
        ),
        (
            "config/app.yaml",
            "mongo: mongodb+srv://app:<password>@cluster0.bank.net/core",
        ),
        (
            "config/app.yaml",
            "cache: redis://:${REDIS_PASSWORD}@cache.internal:6379/0",
        ),
        (
            "config/app.yaml",
            "broker: amqp://svc:{{ mq_password }}@mq.internal:5672/",
        ),
        (
            "README.txt",
            "clone https://user:password@git.bank.sg/core.git",
        ),
        (
            "config/app.yaml",
            "dsn: postgresql://[user[:password@]][netloc][:port][/dbname]",
        ),
        (
            "scripts/call.sh",
            "curl -H \"Authorization: Basic dXNlcjo=\" https://api.bank.sg",
        ),
        (
            "db/init.sql",
            "-- the row identified by 'id' is updated by the job",
        ),
        ("config/app.yaml", "api_key: xxxxxxxxxxxxxxxxxxxx"),
        ("config/app.yaml", "api_key: '****************'"),
        ("config/app.yaml", "token: <token>"),
        ("config/app.yaml", "password: \"{{ secret }}\""),
        ("config/app.ini", "password = %(db_password)s"),
        ("config/app.yaml", "password: changeme"),
        ("config/app.yaml", "secret_key: REDACTED"),
        (
            "config/app.yaml",
            "session_token: 550e8400-e29b-41d4-a716-446655440000",
        ),
        (
            "config/app.yaml",
            "api_key_sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        ),
        ("package.json", "\"pbkdf2-password\": \"1.2.1\","),
        (
            "src/app.py",
            "next_token = response['NextContinuationToken']",
        ),
        (
            "src/app.py",
            "output_token = \"DistributionList.NextMarker\"",
        ),
        ("src/app.py", "password = password.encode(\"latin1\")"),
        ("src/app.py", "fields = ['username', 'password', 'email']"),
        (
            "src/app.py",
            "SECRET_CLASS = \"airflow.kubernetes.secret.Secret\"",
        ),
        (
            "src/app.py",
            "become_pass = ('ansible_become_password', 'ansible_become_pass')",
        ),
        ("src/app.js", "const needsSecondPassForFixAll = !isFixAll;"),
        (
            "docs/x.py",
            ":param password: database password, plain text",
        ),
    ] {
        let f = doc(path, text);
        assert!(
            f.iter().all(|f| f.severity != Severity::Block),
            "{path}: {text}: {:?}",
            ids(&f)
        );
    }
}

#[test]
fn severity_depends_on_where_the_value_is() {
    let yml = "services:\n  db:\n    environment:\n      MYSQL_ROOT_PASSWORD: mysql\n";
    // Production configuration: block.
    let f = doc("deploy/k8s/values.yaml", yml);
    assert_eq!(ids(&f), [("hardcoded-password".into(), Severity::Block)]);
    // docker-compose, CI service containers, local env files, tests: warn.
    for path in [
        "docker-compose.yml",
        "ops/docker-compose.test.yaml",
        ".github/workflows/ci.yml",
        ".gitlab-ci.yml",
        ".env.example",
        ".env.local",
        "src/test/resources/application.yml",
        "tests/fixtures/db.yml",
    ] {
        let f = doc(path, yml);
        assert_eq!(
            ids(&f),
            [("hardcoded-password".into(), Severity::Warn)],
            "{path}"
        );
        assert!(f[0].message.contains("warning"), "{path}");
    }
    // The is_test flag counts even when the path does not.
    let mut d = Document::new("src/main/Fixtures.java", "String password = \"Tr0ub4dor\";");
    d.is_test = true;
    let f = scan_document(&d, &Settings::default());
    assert_eq!(ids(&f), [("hardcoded-password".into(), Severity::Warn)]);
    // A live-format token is blocked anywhere, tests included.
    let gh = format!("{}{}", "gh", "p_") + &"aB3dE5fG7hJ9kLmN2pQ4rS6tU8vW0xYz1C2d"[..36];
    for path in ["src/app.py", "tests/test_api.py", "docker-compose.yml"] {
        let f = doc(path, &format!("TOKEN = \"{gh}\"\n"));
        assert_eq!(
            ids(&f),
            [("github-token".into(), Severity::Block)],
            "{path}"
        );
    }
    // AWS documentation keys block like any key in the provider's format (a
    // scanner cannot tell them from a live key; the value allow-list accepts
    // them).
    let key = format!("key = \"{}{}\"\n", "AKIA", "IOSFODNN7EXAMPLE");
    assert_eq!(
        ids(&doc("src/app.py", &key)),
        [("aws-access-key-id".into(), Severity::Block)]
    );
    // In tests, fixtures and documentation a documented example key is a
    // warning; a key of the same format that is not the example still blocks.
    for path in ["tests/unit/responses/iam.json", "docs/aws.rst"] {
        assert_eq!(
            ids(&doc(path, &key)),
            [("aws-access-key-id".into(), Severity::Warn)],
            "{path}"
        );
        let live = format!("key = \"{}{}\"\n", "AKIA", "Q7WX5ZPL3MRT6KVB");
        assert_eq!(
            ids(&doc(path, &live)),
            [("aws-access-key-id".into(), Severity::Block)],
            "{path}"
        );
    }
}

#[test]
fn path_conventions_are_settings_and_unknown_keys_are_errors() {
    let cfg = Config::parse(r#"{"test_paths": ["qa/**"], "dev_config_paths": []}"#).unwrap();
    let s = Settings::from_config(&cfg).unwrap();
    let yml = "MYSQL_ROOT_PASSWORD: mysql\n";
    let f = scan_document(&Document::new("qa/db.yml", yml), &s);
    assert_eq!(ids(&f), [("hardcoded-password".into(), Severity::Warn)]);
    // dev_config_paths emptied: docker-compose is production config now.
    let f = scan_document(&Document::new("docker-compose.yml", yml), &s);
    assert_eq!(ids(&f), [("hardcoded-password".into(), Severity::Block)]);
    for bad in [
        r#"{"test_path": ["qa/**"]}"#,
        r#"{"test_paths": "qa/**"}"#,
        r#"{"scan_test_files": "yes"}"#,
        r#"{"password_min_length": "4"}"#,
    ] {
        let cfg = Config::parse(bad).unwrap();
        let err = Settings::from_config(&cfg).unwrap_err();
        assert!(err.contains("banking-code-review"), "{bad}: {err}");
    }
    assert!(Settings::from_config(&Config::parse("").unwrap()).is_ok());
}

/// An AWS secret access key is 40 base64 characters without a prefix: it is
/// reported next to a credential name or right after its access key id, and
/// a bare 40-character value with neither is not a finding (it cannot be told
/// from a digest or other base64). With its key id it blocks in production
/// and warns in tests.
#[test]
fn aws_secret_access_key_needs_a_name_or_its_key_id() {
    let secret = ["Zq8/Lm3N", "x7Pq+Rt2", "Vw9Kb4Yc", "Hd6Jf1Gs", "Ta5Ue0Wi"].concat();
    assert_eq!(secret.len(), 40);
    let key_id = format!("{}{}", "AKIA", "Q7WX5ZPL3MRT6KVB");
    let bare = format!("VALUE = \"{secret}\"\n");
    assert!(doc("src/app.py", &bare).is_empty());
    let csv = format!("Access key ID,Secret access key\n{key_id},{secret}\n");
    for (path, sev) in [
        ("deploy/credentials.csv", Severity::Block),
        ("tests/data/credentials.csv", Severity::Warn),
    ] {
        let f = doc(path, &csv);
        let hit = f
            .iter()
            .find(|f| f.rule_id == "aws-secret-access-key")
            .unwrap_or_else(|| panic!("{path}: {:?}", ids(&f)));
        assert_eq!(hit.severity, sev, "{path}");
        assert_eq!(value(&csv, hit), secret, "{path}");
        assert!(!hit.evidence.contains(&secret));
    }
    let named = format!("AWS_SECRET_ACCESS_KEY={secret}\n");
    assert_eq!(
        ids(&doc("deploy/.env.production", &named)),
        [("aws-secret-access-key".into(), Severity::Block)]
    );
}
