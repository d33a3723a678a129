//! The semantic engine's severity policy, messages and robustness.
//!
//! Policy: block when untrusted input reaches a sink unsanitised or a
//! definitely insecure primitive is used; warn when a non-constant value of
//! unknown origin reaches a SQL/command/eval/deserialization sink or a
//! lower-confidence source (environment, command line) reaches any sink;
//! nothing for constant or sanitised values.

#[path = "semantic/cases.rs"]
mod cases;

use banking_code_review::{Settings, scan_document};
use kiro_guard_skill::{Document, Finding, Severity};

fn scan(path: &str, text: &str) -> Vec<Finding> {
    scan_document(
        &Document::new(path.to_string(), text.to_string()),
        &Settings::default(),
    )
}

/// (rule, severity) of the findings of `rule`.
fn of(f: &[Finding], rule: &str) -> Vec<Severity> {
    f.iter()
        .filter(|x| x.rule_id == rule)
        .map(|x| x.severity)
        .collect()
}

#[test]
fn untrusted_source_blocks_and_names_the_flow() {
    let f = scan(
        "A.java",
        "class A {\n  void f(HttpServletRequest request) throws Exception {\n    String id = request.getParameter(\"id\");\n    String sql = \"select * from t where id = \" + id;\n    stmt.executeQuery(sql);\n  }\n}\n",
    );
    let sql: Vec<&Finding> = f.iter().filter(|x| x.rule_id == "sql-injection").collect();
    assert_eq!(sql.len(), 1, "{f:?}");
    assert_eq!(sql[0].severity, Severity::Block);
    assert!(
        sql[0]
            .message
            .contains("request.getParameter(\"id\") → id → sql → executeQuery"),
        "{}",
        sql[0].message
    );
    assert_eq!(sql[0].span.line, 5);
}

#[test]
fn unknown_origin_warns() {
    let f = scan(
        "Dao.java",
        "class Dao {\n  List<Row> find(String owner) {\n    return jdbcTemplate.queryForList(\"select * from t where owner = '\" + owner + \"'\");\n  }\n}\n",
    );
    assert_eq!(of(&f, "sql-injection"), vec![Severity::Warn], "{f:?}");
    let py = scan(
        "dao.py",
        "def find(cur, owner):\n    cur.execute(\"SELECT * FROM t WHERE owner = '%s'\" % owner)\n",
    );
    assert_eq!(of(&py, "sql-injection"), vec![Severity::Warn], "{py:?}");
}

#[test]
fn lower_confidence_source_warns() {
    let f = scan(
        "job.py",
        "import os, subprocess\n\ndef run():\n    target = os.environ.get('TARGET')\n    subprocess.run('rsync -a /data ' + target, shell=True)\n",
    );
    assert_eq!(of(&f, "command-injection"), vec![Severity::Warn], "{f:?}");
}

#[test]
fn constant_sql_with_bound_parameters_is_quiet() {
    // The shape that real data-access code uses by the hundred.
    let f = scan(
        "LoanReadPlatformServiceImpl.java",
        "public class LoanReadPlatformServiceImpl {\n  private static final String SCHEMA = \"l.id as id, l.account_no as accountNo from m_loan l\";\n  private final JdbcTemplate jdbcTemplate;\n  public LoanData retrieveOne(final Long loanId) {\n    final String sql = \"select \" + SCHEMA + \" where l.id = ?\";\n    return this.jdbcTemplate.queryForObject(sql, mapper, loanId);\n  }\n}\n",
    );
    assert!(of(&f, "sql-injection").is_empty(), "{f:?}");
    // A schema from another object's method is of unknown origin: at most
    // a warning, never a block.
    let g = scan(
        "LoanRead.java",
        "public class LoanRead {\n  public LoanData one(final Long id) {\n    String sql = \"select \" + mapper.schema() + \" where l.id = ?\";\n    return jdbcTemplate.query(sql, mapper, id);\n  }\n}\n",
    );
    assert!(!of(&g, "sql-injection").contains(&Severity::Block), "{g:?}");
}

#[test]
fn helper_summaries_carry_taint_one_level() {
    let f = scan(
        "views.py",
        "def run_query(cur, q):\n    cur.execute(q)\n\n@app.route('/x')\ndef view():\n    run_query(cursor, 'SELECT * FROM t WHERE a = ' + request.args['a'])\n",
    );
    let sev = of(&f, "sql-injection");
    assert!(sev.contains(&Severity::Block), "{f:?}");
    let msg = f
        .iter()
        .find(|x| x.rule_id == "sql-injection" && x.severity == Severity::Block)
        .unwrap();
    assert!(msg.message.contains("run_query()"), "{}", msg.message);
}

#[test]
fn crypto_by_api_semantics() {
    let warn = scan(
        "util.py",
        "import hashlib\n\ndef key(b):\n    return hashlib.sha1(b).hexdigest()\n",
    );
    assert_eq!(of(&warn, "weak-hash"), vec![Severity::Warn]);
    let block = scan(
        "user.py",
        "import hashlib\n\ndef store(user, password):\n    user.pw = hashlib.md5(password.encode()).hexdigest()\n",
    );
    assert_eq!(of(&block, "weak-hash"), vec![Severity::Block]);
    let quiet = scan(
        "util.py",
        "import hashlib\n\ndef key(b):\n    return hashlib.md5(b, usedforsecurity=False).hexdigest()\n",
    );
    assert!(of(&quiet, "weak-hash").is_empty());
    let ecb = scan(
        "C.java",
        "class C { Cipher c() throws Exception { return Cipher.getInstance(\"AES/ECB/PKCS5Padding\"); } }\n",
    );
    assert_eq!(of(&ecb, "weak-cipher"), vec![Severity::Block]);
    let gcm = scan(
        "C.java",
        "class C { Cipher c() throws Exception { return Cipher.getInstance(\"AES/GCM/NoPadding\"); } }\n",
    );
    assert!(of(&gcm, "weak-cipher").is_empty());
}

#[test]
fn weak_random_blocks_only_for_secrets_and_warns_on_security_paths() {
    let token = scan(
        "svc.py",
        "import random\n\ndef issue(user):\n    user.api_token = str(random.getrandbits(64))\n",
    );
    assert_eq!(of(&token, "insecure-random"), vec![Severity::Block]);
    let jitter = scan(
        "svc.py",
        "import random\n\ndef backoff():\n    return random.random() * 2\n",
    );
    assert!(of(&jitter, "insecure-random").is_empty());
    let auth_path = scan(
        "app/auth/backoff.py",
        "import random\n\ndef backoff():\n    return random.random() * 2\n",
    );
    assert_eq!(of(&auth_path, "insecure-random"), vec![Severity::Warn]);
}

#[test]
fn sanitisers_and_dead_branches_are_quiet() {
    for (path, text) in [
        (
            "a.py",
            "@app.route('/p')\ndef p():\n    n = int(request.args['n'])\n    cur.execute('SELECT * FROM t LIMIT %d' % n)\n",
        ),
        (
            "a.py",
            "import shlex, os\n@app.route('/p')\ndef p():\n    os.system('ls ' + shlex.quote(request.args['d']))\n",
        ),
        (
            "A.java",
            "class A {\n  static final boolean OLD = false;\n  void f(HttpServletRequest r) throws Exception {\n    if (OLD) { stmt.executeQuery(\"select * from t where a = \" + r.getParameter(\"a\")); }\n  }\n}\n",
        ),
        (
            "A.kt",
            "class A {\n  @GetMapping(\"/x\")\n  fun f(@RequestParam id: String) = jdbc.queryForList(\"select * from t where id = ?\", id)\n}\n",
        ),
    ] {
        let f = scan(path, text);
        assert!(
            f.iter()
                .all(|x| x.rule_id != "sql-injection" && x.rule_id != "command-injection"),
            "{path}: {f:?}"
        );
    }
}

/// Half-written edits: every prefix of every corpus case (at a coarse
/// stride) and a few pathological inputs scan without a panic, in bounded
/// time.
#[test]
fn truncated_and_garbage_input_never_panics() {
    let start = std::time::Instant::now();
    let all = cases::cases();
    for c in all.iter().step_by(3) {
        let t = &c.text;
        let mut i = 0;
        while i < t.len() {
            let cut = (0..=i).rev().find(|&k| t.is_char_boundary(k)).unwrap_or(0);
            let _ = scan(&c.path, &t[..cut]);
            i += 41;
        }
    }
    let deep = "f(".repeat(20_000);
    let blocks = "{ if (a) ".repeat(5_000);
    let indent: String = (0..3000)
        .map(|i| format!("{}if x:\n", " ".repeat(i % 400)))
        .collect();
    for (p, t) in [
        ("A.java", deep.as_str()),
        ("A.java", blocks.as_str()),
        ("a.py", indent.as_str()),
        ("a.py", deep.as_str()),
        ("A.kt", "fun fun fun (((( val x = \"${ \" ${"),
        ("a.py", "f'{'\n\"\"\"\nx = [\n"),
    ] {
        let _ = scan(p, t);
    }
    assert!(start.elapsed().as_secs() < 60, "{:?}", start.elapsed());
}

#[test]
fn a_hash_object_named_digest_is_not_a_stored_digest() {
    // A SHA-1 certificate fingerprint: the `MessageDigest` object is named
    // `sha1Digest`; its output is only displayed. A warning, not a block.
    let fingerprint = "class E {\n  String show(byte[] certBytes, StringBuilder sb) throws Exception {\n    MessageDigest sha1Digest = MessageDigest.getInstance(\"SHA-1\");\n    sha1Digest.update(certBytes);\n    sb.append(HexUtils.toHexString(sha1Digest.digest()));\n    return sb.toString();\n  }\n}\n";
    assert_eq!(
        of(&scan("E.java", fingerprint), "weak-hash"),
        vec![Severity::Warn]
    );
    // The same digest stored as a signature blocks.
    let signed = fingerprint.replace(
        "sb.append(HexUtils.toHexString(sha1Digest.digest()));",
        "String signature = HexUtils.toHexString(sha1Digest.digest());\n    sb.append(signature);",
    );
    assert_eq!(
        of(&scan("E.java", &signed), "weak-hash"),
        vec![Severity::Block]
    );
}

#[test]
fn mybatis_xml_mappers_reach_the_rule() {
    let mapper = |sql: &str| {
        format!(
            "<?xml version=\"1.0\"?>\n<!DOCTYPE mapper PUBLIC \"-//mybatis.org//DTD Mapper 3.0//EN\" \"https://mybatis.org/dtd/mybatis-3-mapper.dtd\">\n<mapper namespace=\"com.bank.TransferMapper\">\n  <select id=\"list\" resultType=\"Transfer\">\n    {sql}\n  </select>\n</mapper>\n"
        )
    };
    let path = "src/main/resources/com/bank/TransferMapper.xml";
    let f = scan(
        path,
        &mapper("SELECT * FROM transfers WHERE ref = #{ref} ORDER BY ${sort}"),
    );
    assert_eq!(of(&f, "sql-injection"), vec![Severity::Warn], "{f:?}");
    assert_eq!(f[0].span.line, 5);
    let f = scan(
        path,
        &mapper("SELECT * FROM transfers WHERE ref = #{ref} ORDER BY created_at"),
    );
    assert!(of(&f, "sql-injection").is_empty(), "{f:?}");
}
