//! The rule catalogue: every rule this skill can report, with its references
//! (from the catalogue in `kiro_guard_contract::refs`) and the fix.

use kiro_guard_skill::Severity::{Block, Warn};
use kiro_guard_skill::rule::{Ref, RuleDef, refs::*};

/// CWE references (not in the SDK catalogue; see the final report).
const fn cwe(id: &'static str, title: &'static str) -> Ref {
    Ref {
        framework: "CWE",
        id,
        title,
    }
}
pub const CWE_798: Ref = cwe("798", "Use of Hard-coded Credentials");
pub const CWE_89: Ref = cwe("89", "SQL Injection");
pub const CWE_78: Ref = cwe("78", "OS Command Injection");
pub const CWE_22: Ref = cwe("22", "Path Traversal");
pub const CWE_327: Ref = cwe("327", "Use of a Broken or Risky Cryptographic Algorithm");
pub const CWE_328: Ref = cwe("328", "Use of Weak Hash");
pub const CWE_338: Ref = cwe("338", "Use of Cryptographically Weak PRNG");
pub const CWE_295: Ref = cwe("295", "Improper Certificate Validation");
pub const CWE_502: Ref = cwe("502", "Deserialization of Untrusted Data");
pub const CWE_532: Ref = cwe("532", "Insertion of Sensitive Information into Log File");
pub const CWE_489: Ref = cwe("489", "Active Debug Code");
pub const CWE_942: Ref = cwe("942", "Permissive Cross-domain Policy");
pub const CWE_95: Ref = cwe("95", "Eval Injection");
pub const CWE_1339: Ref = cwe(
    "1339",
    "Insufficient Precision or Accuracy of a Real Number",
);
pub const CWE_90: Ref = cwe(
    "90",
    "Improper Neutralization of Special Elements used in an LDAP Query",
);
pub const CWE_643: Ref = cwe(
    "643",
    "Improper Neutralization of Data within XPath Expressions",
);
pub const CWE_918: Ref = cwe("918", "Server-Side Request Forgery (SSRF)");
pub const CWE_601: Ref = cwe("601", "URL Redirection to Untrusted Site ('Open Redirect')");
pub const CWE_113: Ref = cwe(
    "113",
    "Improper Neutralization of CRLF Sequences in HTTP Headers",
);
pub const CWE_209: Ref = cwe(
    "209",
    "Generation of Error Message Containing Sensitive Information",
);
/// Annex A of the TRM (application security testing), cited for SQL injection.
pub const TRM_ANNEX_A: Ref = Ref {
    framework: "MAS TRM",
    id: "Annex A",
    title: "Application Security Testing",
};
pub const TRM_5_7: Ref = Ref {
    framework: "MAS TRM",
    id: "5.7",
    title: "System Testing and Acceptance",
};

const ANY: &[&str] = &["any"];
const CODE: &[&str] = &[
    "python",
    "java",
    "kotlin",
    "javascript",
    "typescript",
    "go",
    "csharp",
];

/// References for every hard-coded credential rule.
const SECRET_REFS: &[Ref] = &[
    TRM_10_2, TRM_9_2, PCI_8_6_2, PCI_8_3_2, PCI_3_6_1, PDPA_S24, CWE_798,
];
const VAULT: &str = "Remove the value from the code and history, rotate it, and load it at run time from AWS Secrets Manager (secretsmanager.get_secret_value) or the team's vault; keep only the secret's name in code.";

macro_rules! secret_rule {
    ($name:ident, $id:literal, $title:literal, $fix:expr,
     samples: [$($s:expr),* $(,)?], negatives: [$($n:expr),* $(,)?] $(,)?) => {
        pub const $name: RuleDef = RuleDef {
            id: $id,
            title: $title,
            severity: Block,
            languages: ANY,
            references: SECRET_REFS,
            remediation: $fix,
            samples: &[$($s),*],
            negatives: &[$($n),*],
        };
    };
}

secret_rule!(
    AWS_ACCESS_KEY_ID,
    "aws-access-key-id",
    "AWS access key id",
    "Deactivate and rotate the key in IAM, remove it from the code and history, and use an IAM role or AWS Secrets Manager instead of long-lived keys.",
    samples: ["aws_access_key_id = «AKIA{U:16}»"],
    negatives: ["AKIA{U:15}", "AKIA0000111188889999"],
);
secret_rule!(
    AWS_SECRET_ACCESS_KEY,
    "aws-secret-access-key",
    "AWS secret access key",
    "Deactivate and rotate the key pair in IAM, remove it from the code and history, and use an IAM role or AWS Secrets Manager instead of long-lived keys.",
    samples: ["aws_secret_access_key = «{b:40}»"],
    negatives: ["aws_secret_access_key = 5f4dcc3b5aa765d61d8327deb882cf99aabbccdd", "aws_secret_access_key = {A:39}"],
);
secret_rule!(
    GITHUB_TOKEN,
    "github-token",
    "GitHub token",
    "Revoke the token in GitHub settings, remove it from the code and history, and inject it from AWS Secrets Manager, the team's vault or the CI secret store.",
    samples: ["GITHUB_TOKEN=«ghp_{A:30}{crc}»"],
    negatives: ["ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "ghp_{A:35}"],
);
secret_rule!(
    GITLAB_TOKEN,
    "gitlab-token",
    "GitLab token",
    "Revoke the token in GitLab, remove it from the code and history, and inject it from AWS Secrets Manager, the team's vault or the CI secret store.",
    samples: ["«glpat-{w:20}»"],
    negatives: ["glpat-{A:10}", "glpat-xxxxxxxxxxxxxxxxxxxx"],
);
secret_rule!(
    SLACK_TOKEN,
    "slack-token",
    "Slack token or webhook",
    "Revoke the token or webhook in the Slack app settings and load it from AWS Secrets Manager or the team's vault.",
    samples: ["«xoxb-{d:12}-{d:13}-{A:24}»"],
    negatives: ["xoxb-XXXXXXXXXXXX-XXXXXXXXXXXXX-XXXXXXXXXXXXXXXXXXXXXXXX", "xoxb-{d:4}"],
);
secret_rule!(
    STRIPE_LIVE_KEY,
    "stripe-live-key",
    "Stripe live secret or restricted key",
    "Roll the key in the Stripe dashboard and load it from AWS Secrets Manager or the team's vault.",
    samples: ["«sk_live_{A:24}»"],
    negatives: ["sk_test_{A:24}", "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx"],
);
secret_rule!(
    GOOGLE_API_KEY,
    "google-api-key",
    "Google API key",
    "Delete or restrict the key in Google Cloud console and load it from AWS Secrets Manager or the team's vault.",
    samples: ["key: «AIza{w:35}»"],
    negatives: ["AIza{w:20}", "AIzaXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"],
);
secret_rule!(
    AZURE_STORAGE_KEY,
    "azure-storage-key",
    "Azure storage account key or shared access key",
    "Rotate the account key, prefer managed identities or short-lived SAS tokens, and keep connection strings in Azure Key Vault, AWS Secrets Manager or the team's vault.",
    samples: ["DefaultEndpointsProtocol=https;AccountName=x;AccountKey=«{b:86}==»;"],
    negatives: ["AccountKey={A:20}=="],
);
secret_rule!(
    PRIVATE_KEY,
    "private-key",
    "Private key block",
    "Remove the key and revoke the certificate or SSH key; keep private keys in an HSM, AWS KMS/Secrets Manager or the team's vault, never in source.",
    samples: [concat!("@config/app.properties\n«-----BEGIN ", "RSA PRIVATE KEY-----»\nMIIEpAIBAAKCAQEA\n")],
    negatives: ["@config/app.properties\n-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqh\n"],
);
secret_rule!(
    JWT,
    "jwt",
    "Signed JSON Web Token",
    VAULT,
    samples: ["auth = '«{jwt}»'"],
    negatives: ["eyJub3RhbGciOjF9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcdefghijklmnopqrstuvwx"],
);
secret_rule!(
    DATABASE_URL_PASSWORD,
    "database-url-password",
    "Database URL with an inline password",
    "Keep the URL without credentials and supply the password from AWS Secrets Manager (or IAM database authentication) or the team's vault.",
    samples: ["@cmd/app/main.go\ndb, err := sql.Open(\"postgres\", \"postgres://app:«Pr0d{A:6}!»@db.internal:5432/core\")\n"],
    negatives: ["@cmd/app/main.go\ndb, err := sql.Open(\"postgres\", \"postgres://app@db.internal:5432/core\")\n"],
);
secret_rule!(
    BASIC_AUTH_URL,
    "basic-auth-url",
    "URL with inline user:password credentials",
    "Remove the credentials from the URL, rotate them, and send them from AWS Secrets Manager or the team's vault at run time.",
    samples: ["@scripts/deploy.txt\nremote: https://deploy:«Xy7{A:12}»@git.bank.example/x.git\n"],
    negatives: ["@scripts/deploy.txt\nremote: https://deploy@git.bank.example/x.git\n"],
);
secret_rule!(
    HARDCODED_PASSWORD,
    "hardcoded-password",
    "Hard-coded password",
    VAULT,
    samples: ["@src/app/db.py\nDB_PASSWORD = \"«Pr0d{A:6}!»\"\n"],
    negatives: ["@src/app/db.py\nDB_PASSWORD = get_secret(\"prod/db/password\")\n"],
);
secret_rule!(
    GENERIC_SECRET,
    "generic-secret",
    "Hard-coded secret, token or API key",
    VAULT,
    samples: ["@deploy/.env\nAPI_TOKEN=«{A:32}»\n"],
    negatives: ["@deploy/.env\nAPI_TOKEN=\n"],
);

pub const SQL_INJECTION: RuleDef = RuleDef {
    id: "sql-injection",
    title: "SQL built from strings reaches a query call",
    severity: Block,
    languages: CODE,
    references: &[TRM_6_1, TRM_14_1, TRM_ANNEX_A, PCI_6_2_4, PDPA_S24, CWE_89],
    remediation: "Use a parameterised query (placeholders such as ?, %s, :name or @p with a separate parameter list) or the ORM's query builder; never concatenate, format or interpolate values into SQL.",
    samples: &[
        "@src/sql-injection/py_000_0_bad.py\ndef find(cursor, user_id):\n    cursor.execute(\"SELECT * FROM users WHERE user_id = '\" + user_id + \"'\")\n    return cursor.fetchall()\n",
        "@src/sql-injection/js_003_1_bad.js\nasync function find(db, userId) {\n  const rows = await db.query(`SELECT * FROM users WHERE user_id = '${userId}'`);\n  return rows;\n}\n",
    ],
    negatives: &[
        "@src/sql-injection/py_000_0_ok.py\ndef find(cursor, user_id):\n    cursor.execute(\"SELECT * FROM users WHERE user_id = %s\", (user_id,))\n    return cursor.fetchall()\n",
        "@src/sql-injection/js_003_1_ok.js\nasync function find(db, userId) {\n  const rows = await db.query('SELECT * FROM users WHERE user_id = $1', [userId]);\n  return rows;\n}\n",
    ],
};
pub const COMMAND_INJECTION: RuleDef = RuleDef {
    id: "command-injection",
    title: "Shell command built from input",
    severity: Block,
    languages: CODE,
    references: &[TRM_6_1, TRM_14_1, PCI_6_2_4, CWE_78],
    remediation: "Run the program directly with an argument list (subprocess.run([...]) without shell=True, ProcessBuilder with separate arguments, execFile, exec.Command without a shell) and validate inputs against an allow-list.",
    samples: &[
        "@src/command-injection/cs_011_1_bad.cs\npublic void Ping(string userId)\n{\n    Process.Start(\"cmd.exe\", \"/c ping \" + userId);\n}\n",
        "@src/command-injection/cs_011_0_bad.cs\npublic void Ping(string refCode)\n{\n    Process.Start(\"cmd.exe\", \"/c ping \" + refCode);\n}\n",
    ],
    negatives: &[
        "@src/command-injection/cs_011_1_ok.cs\npublic void Ping(string userId)\n{\n    var psi = new ProcessStartInfo(\"ping\");\n    psi.ArgumentList.Add(userId);\n    Process.Start(psi);\n}\n",
        "@src/command-injection/cs_011_0_ok.cs\npublic void Ping(string refCode)\n{\n    var psi = new ProcessStartInfo(\"ping\");\n    psi.ArgumentList.Add(refCode);\n    Process.Start(psi);\n}\n",
    ],
};
pub const PATH_TRAVERSAL: RuleDef = RuleDef {
    id: "path-traversal",
    title: "Request input used as a file path",
    severity: Warn,
    languages: CODE,
    references: &[TRM_6_1, TRM_14_1, PCI_6_2_4, CWE_22],
    remediation: "Reduce the input to a file name (os.path.basename / secure_filename, path.basename, filepath.Base, Path.GetFileName), resolve it under a fixed base directory and check the result stays inside it.",
    samples: &[
        "@src/path-traversal/js_013_3_bad.js\napp.get('/doc', (req, res) => {\n  const userId = req.query.name;\n  res.sendFile(path.join(DOCS, userId));\n});\n",
        "@src/path-traversal/js_013_2_bad.js\napp.get('/doc', (req, res) => {\n  const refCode = req.query.name;\n  res.sendFile(path.join(DOCS, refCode));\n});\n",
    ],
    negatives: &[
        "@src/path-traversal/js_013_3_ok.js\napp.get('/doc', (req, res) => {\n  const userId = path.basename(req.query.name);\n  res.sendFile(path.join(DOCS, userId));\n});\n",
        "@src/path-traversal/js_013_2_ok.js\napp.get('/doc', (req, res) => {\n  const refCode = path.basename(req.query.name);\n  res.sendFile(path.join(DOCS, refCode));\n});\n",
    ],
};
pub const WEAK_HASH: RuleDef = RuleDef {
    id: "weak-hash",
    title: "MD5 or SHA-1 used for passwords or signatures",
    severity: Block,
    languages: CODE,
    references: &[TRM_10_1, PCI_8_3_2, PCI_6_2_4, CWE_328],
    remediation: "Hash passwords with a slow salted KDF (argon2id, bcrypt, scrypt, PBKDF2-HMAC-SHA256) and sign with SHA-256 or stronger (e.g. SHA256withRSA, ECDSA P-256, HMAC-SHA256).",
    samples: &[
        "@src/weak-hash/js_020_0_bad.js\nfunction hashPassword(password) {\n  return crypto.createHash('md5').update(password).digest('hex');\n}\n",
        "@src/weak-hash/js_020_1_bad.js\nfunction hashPassword(password) {\n  return crypto.createHash('md5').update(password).digest('hex');\n}\n",
    ],
    negatives: &[
        "@src/weak-hash/js_020_0_ok.js\nasync function hashPassword(password) {\n  return bcrypt.hash(password, 12);\n}\n",
        "@src/weak-hash/js_020_1_ok.js\nasync function hashPassword(password) {\n  return bcrypt.hash(password, 12);\n}\n",
    ],
};
pub const WEAK_CIPHER: RuleDef = RuleDef {
    id: "weak-cipher",
    title: "Deprecated cipher or ECB mode",
    severity: Block,
    languages: CODE,
    references: &[TRM_10_1, PCI_6_2_4, PCI_4_2_1, CWE_327],
    remediation: "Use AES-GCM (or ChaCha20-Poly1305) with a unique nonce per message through a vetted library; never DES, 3DES, RC4, Blowfish or ECB mode.",
    samples: &[
        "@src/weak-cipher/go_026_2_bad.go\nfunc encryptUserId(key, data []byte) (cipher.Block, error) {\n\treturn des.NewCipher(key)\n}\n",
        "@src/weak-cipher/go_026_1_bad.go\nfunc encryptRefCode(key, data []byte) (cipher.Block, error) {\n\treturn des.NewCipher(key)\n}\n",
    ],
    negatives: &[
        "@src/weak-cipher/go_026_2_ok.go\nfunc encryptUserId(key, data []byte) (cipher.Block, error) {\n\treturn aes.NewCipher(key)\n}\n",
        "@src/weak-cipher/go_026_1_ok.go\nfunc encryptRefCode(key, data []byte) (cipher.Block, error) {\n\treturn aes.NewCipher(key)\n}\n",
    ],
};
pub const INSECURE_RANDOM: RuleDef = RuleDef {
    id: "insecure-random",
    title: "Non-cryptographic randomness for a token, OTP, session id or key",
    severity: Block,
    languages: CODE,
    references: &[TRM_10_1, PCI_6_2_4, CWE_338],
    remediation: "Use a CSPRNG: Python secrets, Java SecureRandom, Node crypto.randomBytes/randomInt, Go crypto/rand, .NET RandomNumberGenerator.",
    samples: &[
        "@src/insecure-random/py_028_0_bad.py\nimport random\n\ndef issue_otp(user_id):\n    otp = str(random.randint(100000, 999999))\n    send(user_id, otp)\n",
        "@src/insecure-random/py_028_3_bad.py\nimport random\n\ndef issue_otp(ref_code):\n    otp = str(random.randint(100000, 999999))\n    send(ref_code, otp)\n",
    ],
    negatives: &[
        "@src/insecure-random/py_028_0_ok.py\nimport secrets\n\ndef issue_otp(user_id):\n    otp = str(secrets.randbelow(900000) + 100000)\n    send(user_id, otp)\n",
        "@src/insecure-random/py_028_3_ok.py\nimport secrets\n\ndef issue_otp(ref_code):\n    otp = str(secrets.randbelow(900000) + 100000)\n    send(ref_code, otp)\n",
    ],
};
pub const TLS_VERIFICATION_DISABLED: RuleDef = RuleDef {
    id: "tls-verification-disabled",
    title: "TLS certificate or host-name verification disabled",
    severity: Block,
    languages: &[
        "python",
        "java",
        "kotlin",
        "javascript",
        "typescript",
        "go",
        "csharp",
        "php",
    ],
    references: &[TRM_10_1, TRM_14_1, TRM_6_4, PCI_4_2_1, PDPA_S24, CWE_295],
    remediation: "Keep certificate and host-name verification on; for private CAs, add the CA bundle to the trust store (verify='/path/ca.pem', a custom TrustManager with the CA, RootCAs in tls.Config).",
    samples: &[
        "@src/tls-verification-disabled/py_034_2_bad.py\nimport requests\n\ndef fetch_user_id(url):\n    return requests.get(url, timeout=10, verify=False).json()\n",
        "@src/tls-verification-disabled/py_034_1_bad.py\nimport requests\n\ndef fetch_ref_code(url):\n    return requests.get(url, timeout=10, verify=False).json()\n",
    ],
    negatives: &[
        "@src/tls-verification-disabled/py_034_2_ok.py\nimport requests\n\ndef fetch_user_id(url):\n    return requests.get(url, timeout=10, verify=CA_BUNDLE).json()\n",
        "@src/tls-verification-disabled/py_034_1_ok.py\nimport requests\n\ndef fetch_ref_code(url):\n    return requests.get(url, timeout=10, verify=CA_BUNDLE).json()\n",
    ],
};
pub const INSECURE_DESERIALIZATION: RuleDef = RuleDef {
    id: "insecure-deserialization",
    title: "Deserialization that can instantiate arbitrary types",
    severity: Block,
    languages: &[
        "python",
        "java",
        "kotlin",
        "javascript",
        "typescript",
        "csharp",
    ],
    references: &[TRM_6_1, PCI_6_2_4, CWE_502],
    remediation: "Exchange data as JSON into explicit types; use yaml.safe_load, an ObjectInputFilter allow-list, System.Text.Json or DataContractSerializer with known types; never pickle/BinaryFormatter on data that crosses a trust boundary.",
    samples: &[
        "@src/insecure-deserialization/py_039_1_bad.py\nimport pickle\n\ndef load_user_id(request):\n    return pickle.loads(request.get_data())\n",
        "@src/insecure-deserialization/py_039_0_bad.py\nimport pickle\n\ndef load_ref_code(request):\n    return pickle.loads(request.get_data())\n",
    ],
    negatives: &[
        "@src/insecure-deserialization/py_039_1_ok.py\nimport json\n\ndef load_user_id(request):\n    return json.loads(request.get_data())\n",
        "@src/insecure-deserialization/py_039_0_ok.py\nimport json\n\ndef load_ref_code(request):\n    return json.loads(request.get_data())\n",
    ],
};
pub const SENSITIVE_DATA_LOGGED: RuleDef = RuleDef {
    id: "sensitive-data-logged",
    title: "Password, token, NRIC, card or account data written to a log",
    severity: Block,
    languages: CODE,
    references: &[TRM_11_1, TRM_12_2, PDPA_S24, PDPA_S25, PCI_3_4_1, CWE_532],
    remediation: "Do not log credentials at all; log NRIC, card and account numbers only masked (S****567D, last 4 digits) or as a keyed hash/correlation id.",
    samples: &[
        "@src/sensitive-data-logged/py_044_0_bad.py\ndef open_account(user_id, nric):\n    logging.info(f\"opening account for {nric} ref {user_id}\")\n",
        "@src/sensitive-data-logged/py_044_3_bad.py\ndef open_account(ref_code, nric):\n    logging.info(f\"opening account for {nric} ref {ref_code}\")\n",
    ],
    negatives: &[
        "@src/sensitive-data-logged/py_044_0_ok.py\ndef open_account(user_id, nric):\n    logging.info(f\"opening account for {mask_nric(nric)} ref {user_id}\")\n",
        "@src/sensitive-data-logged/py_044_3_ok.py\ndef open_account(ref_code, nric):\n    logging.info(f\"opening account for {mask_nric(nric)} ref {ref_code}\")\n",
    ],
};
pub const CONSOLE_LOG_SENSITIVE: RuleDef = RuleDef {
    id: "console-log-sensitive",
    title: "console.log/print of sensitive data in production code",
    severity: Warn,
    languages: CODE,
    references: &[TRM_11_1, TRM_12_2, PDPA_S24, CWE_532],
    remediation: "Remove the debug print, or use the application logger with masking of credentials and personal data.",
    samples: &[
        "@src/console-log-sensitive/py_051_1_bad.py\ndef show_user_id(token):\n    print(\"token is\", token)\n",
        "@src/console-log-sensitive/py_051_0_bad.py\ndef show_ref_code(token):\n    print(\"token is\", token)\n",
    ],
    negatives: &[
        "@src/console-log-sensitive/py_051_1_ok.py\ndef show_user_id(token):\n    print(\"token received\")\n",
        "@src/console-log-sensitive/py_051_0_ok.py\ndef show_ref_code(token):\n    print(\"token received\")\n",
    ],
};
pub const DEBUG_ENABLED: RuleDef = RuleDef {
    id: "debug-enabled",
    title: "Debug mode enabled in production settings",
    severity: Warn,
    languages: &[
        "python",
        "java",
        "kotlin",
        "javascript",
        "typescript",
        "go",
        "csharp",
        "properties",
        "yaml",
        "dotenv",
        "xml",
    ],
    references: &[TRM_11_3, TRM_7_6, CYBER_HYGIENE_4_3, CWE_489],
    remediation: "Read the debug flag from the environment and default it to off; enable debug only in local development settings.",
    samples: &[
        "@src/debug-enabled/properties_055_1_bad/application.properties\nspring.application.name=user_id\ndebug=true\n",
        "@src/debug-enabled/properties_055_0_bad/application.properties\nspring.application.name=ref_code\ndebug=true\n",
    ],
    negatives: &[
        "@src/debug-enabled/properties_055_1_ok/application.properties\nspring.application.name=user_id\ndebug=false\n",
        "@src/debug-enabled/properties_055_0_ok/application.properties\nspring.application.name=ref_code\ndebug=false\n",
    ],
};
pub const CORS_ALLOW_ALL_CREDENTIALS: RuleDef = RuleDef {
    id: "cors-allow-all-credentials",
    title: "CORS allows any origin together with credentials",
    severity: Block,
    languages: CODE,
    references: &[TRM_14_1, TRM_6_4, PCI_6_2_4, CWE_942],
    remediation: "List the exact trusted origins (from configuration) when credentials are allowed; never '*', a reflected Origin header or an allow-any predicate.",
    samples: &[
        "@src/cors-allow-all-credentials/js_057_3_bad.js\napp.use(cors({ origin: true, credentials: true }));\napp.get('/user_id', handler);\n",
        "@src/cors-allow-all-credentials/js_057_2_bad.js\napp.use(cors({ origin: true, credentials: true }));\napp.get('/ref_code', handler);\n",
    ],
    negatives: &[
        "@src/cors-allow-all-credentials/js_057_3_ok.js\napp.use(cors({ origin: ALLOWED_ORIGINS, credentials: true }));\napp.get('/user_id', handler);\n",
        "@src/cors-allow-all-credentials/js_057_2_ok.js\napp.use(cors({ origin: ALLOWED_ORIGINS, credentials: true }));\napp.get('/ref_code', handler);\n",
    ],
};
pub const EVAL_INJECTION: RuleDef = RuleDef {
    id: "eval-injection",
    title: "eval/exec of a non-constant string",
    severity: Block,
    languages: &[
        "python",
        "java",
        "kotlin",
        "javascript",
        "typescript",
        "csharp",
    ],
    references: &[TRM_6_1, PCI_6_2_4, CWE_95],
    remediation: "Do not evaluate code built from data; parse the input (json.loads, ast.literal_eval, JSON.parse) or dispatch through an explicit allow-list of operations.",
    samples: &[
        "@src/eval-injection/py_062_2_bad.py\ndef calc(request):\n    user_id = request.args.get('expr')\n    return str(eval(user_id))\n",
        "@src/eval-injection/py_062_1_bad.py\ndef calc(request):\n    ref_code = request.args.get('expr')\n    return str(eval(ref_code))\n",
    ],
    negatives: &[
        "@src/eval-injection/py_062_2_ok.py\nimport ast\n\ndef calc(request):\n    user_id = request.args.get('expr')\n    return str(ast.literal_eval(user_id))\n",
        "@src/eval-injection/py_062_1_ok.py\nimport ast\n\ndef calc(request):\n    ref_code = request.args.get('expr')\n    return str(ast.literal_eval(ref_code))\n",
    ],
};
pub const FLOAT_FOR_MONEY: RuleDef = RuleDef {
    id: "float-for-money",
    title: "Floating point used for a money amount",
    severity: Warn,
    languages: CODE,
    references: &[TRM_6_1, TRM_5_7, CWE_1339],
    remediation: "Use a decimal type (Python Decimal, Java/Kotlin BigDecimal, C# decimal, a decimal library or integer minor units in JS/TS and Go) with explicit rounding.",
    samples: &[
        "@src/float-for-money/go_068_0_bad.go\ntype UserIdPayment struct {\n\tID     string\n\tAmount float64\n}\n",
        "@src/float-for-money/go_068_3_bad.go\ntype RefCodePayment struct {\n\tID     string\n\tAmount float64\n}\n",
    ],
    negatives: &[
        "@src/float-for-money/go_068_0_ok.go\ntype UserIdPayment struct {\n\tID          string\n\tAmountCents int64\n}\n",
        "@src/float-for-money/go_068_3_ok.go\ntype RefCodePayment struct {\n\tID          string\n\tAmountCents int64\n}\n",
    ],
};
pub const STACK_TRACE_EXPOSED: RuleDef = RuleDef {
    id: "stack-trace-exposed",
    title: "Stack trace or exception detail returned to the user",
    severity: Warn,
    languages: &[
        "python",
        "java",
        "kotlin",
        "javascript",
        "typescript",
        "go",
        "csharp",
        "properties",
        "yaml",
        "xml",
    ],
    references: &[TRM_6_1, TRM_14_1, CWE_209],
    remediation: "Log the exception server-side with a correlation id and return a generic error message that carries only that id.",
    samples: &[
        "@src/stack-trace-exposed/cs_072_0_bad.cs\ncatch (Exception ex)\n{\n    return StatusCode(500, ex.ToString());\n}\n",
        "@src/stack-trace-exposed/cs_072_1_bad.cs\ncatch (Exception ex)\n{\n    return StatusCode(500, ex.ToString());\n}\n",
    ],
    negatives: &[
        "@src/stack-trace-exposed/cs_072_0_ok.cs\ncatch (Exception ex)\n{\n    _logger.LogError(ex, \"user_id failed\");\n    return StatusCode(500, \"internal error\");\n}\n",
        "@src/stack-trace-exposed/cs_072_1_ok.cs\ncatch (Exception ex)\n{\n    _logger.LogError(ex, \"branch_code failed\");\n    return StatusCode(500, \"internal error\");\n}\n",
    ],
};

/// Languages of the semantic engine's new sinks.
const JVM_PY: &[&str] = &["python", "java", "kotlin"];
pub const LDAP_INJECTION: RuleDef = RuleDef {
    id: "ldap-injection",
    title: "Request input in an LDAP search filter",
    severity: Block,
    languages: JVM_PY,
    references: &[TRM_6_1, TRM_14_1, PCI_6_2_4, CWE_90],
    remediation: "Escape the value for LDAP filters (ESAPI encodeForLDAP, ldap3.utils.conv.escape_filter_chars, Spring LdapQueryBuilder / LdapEncoder.filterEncode) or look the entry up by a validated identifier.",
    samples: &[
        "@app/ldap_injection_46_0_vuln.py\nfrom flask import request\nfrom ldap3.utils.conv import escape_filter_chars\n\n\n@app.route(\"/staff\")\ndef staff():\n    uid = request.args[\"uid\"]\n    conn.search(\"dc=bank,dc=sg\", \"(uid=\" + uid + \")\")\n    return jsonify(conn.entries)\n",
        "@app/ldap_injection_46_1_vuln.py\nfrom flask import request\nfrom ldap3.utils.conv import escape_filter_chars\n\n\n@app.route(\"/staff\")\ndef staff():\n    uid = request.args[\"uid\"]\n    conn.search(\"dc=bank,dc=sg\", \"(uid=\" + uid + \")\")\n    return jsonify(conn.entries)\n",
    ],
    negatives: &[
        "@app/ldap_injection_46_0_safe.py\nfrom flask import request\nfrom ldap3.utils.conv import escape_filter_chars\n\n\n@app.route(\"/staff\")\ndef staff():\n    uid = escape_filter_chars(request.args[\"uid\"])\n    conn.search(\"dc=bank,dc=sg\", \"(uid=\" + uid + \")\")\n    return jsonify(conn.entries)\n",
        "@app/ldap_injection_46_1_safe.py\nfrom flask import request\nfrom ldap3.utils.conv import escape_filter_chars\n\n\n@app.route(\"/staff\")\ndef staff():\n    uid = escape_filter_chars(request.args[\"uid\"])\n    conn.search(\"dc=bank,dc=sg\", \"(uid=\" + uid + \")\")\n    return jsonify(conn.entries)\n",
    ],
};
pub const XPATH_INJECTION: RuleDef = RuleDef {
    id: "xpath-injection",
    title: "Request input in an XPath expression",
    severity: Block,
    languages: JVM_PY,
    references: &[TRM_6_1, TRM_14_1, PCI_6_2_4, CWE_643],
    remediation: "Use a compiled XPath with variables (XPathVariableResolver, lxml's xpath(expr, name=value)) instead of building the expression from input.",
    samples: &[
        "@src/main/java/com/bank/xpath_injection_47_1_vuln.java\npublic class BranchXml extends HttpServlet {\n    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {\n        String user = request.getParameter(\"user\");\n        String expr = \"//account[@owner='\" + user + \"']/balance\";\n        response.getWriter().print(xpath.evaluate(expr, doc));\n    }\n}\n",
        "@src/main/java/com/bank/xpath_injection_47_3_vuln.java\npublic class AccountXml extends HttpServlet {\n    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {\n        String user = request.getParameter(\"user\");\n        String expr = \"//account[@owner='\" + user + \"']/balance\";\n        response.getWriter().print(xpath.evaluate(expr, doc));\n    }\n}\n",
    ],
    negatives: &[
        "@src/main/java/com/bank/xpath_injection_47_1_safe.java\npublic class BranchXml extends HttpServlet {\n    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {\n        String user = request.getParameter(\"user\");\n        resolver.set(\"owner\", user);\n        String expr = \"//account[@owner=$owner]/balance\";\n        response.getWriter().print(xpath.evaluate(expr, doc));\n    }\n}\n",
        "@src/main/java/com/bank/xpath_injection_47_3_safe.java\npublic class AccountXml extends HttpServlet {\n    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {\n        String user = request.getParameter(\"user\");\n        resolver.set(\"owner\", user);\n        String expr = \"//account[@owner=$owner]/balance\";\n        response.getWriter().print(xpath.evaluate(expr, doc));\n    }\n}\n",
    ],
};
pub const SSRF: RuleDef = RuleDef {
    id: "ssrf",
    title: "Request input chooses the URL of an outgoing request",
    severity: Block,
    languages: JVM_PY,
    references: &[TRM_6_1, TRM_14_1, PCI_6_2_4, CWE_918],
    remediation: "Do not take URLs or hosts from the request; map an input key to a configured URL, or check the parsed host against an allow-list and block private, loopback and link-local addresses.",
    samples: &[
        "@app/ssrf_39_2_vuln.py\nimport requests\nfrom flask import request\n\nWEBHOOKS = {\"ledger\": \"https://ledger.internal/hook\", \"audit\": \"https://audit.internal/hook\"}\n\n\n@app.post(\"/notify\")\ndef notify():\n    target = request.json[\"target\"]\n    requests.post(target, json={\"event\": \"ref\"}, timeout=5)\n    return \"ok\"\n",
        "@app/ssrf_39_0_vuln.py\nimport requests\nfrom flask import request\n\nWEBHOOKS = {\"ledger\": \"https://ledger.internal/hook\", \"audit\": \"https://audit.internal/hook\"}\n\n\n@app.post(\"/notify\")\ndef notify():\n    target = request.json[\"target\"]\n    requests.post(target, json={\"event\": \"name\"}, timeout=5)\n    return \"ok\"\n",
    ],
    negatives: &[
        "@app/ssrf_39_2_safe.py\nimport requests\nfrom flask import request\n\nWEBHOOKS = {\"ledger\": \"https://ledger.internal/hook\", \"audit\": \"https://audit.internal/hook\"}\n\n\n@app.post(\"/notify\")\ndef notify():\n    target = WEBHOOKS[request.json[\"target\"]]\n    requests.post(target, json={\"event\": \"ref\"}, timeout=5)\n    return \"ok\"\n",
        "@app/ssrf_39_0_safe.py\nimport requests\nfrom flask import request\n\nWEBHOOKS = {\"ledger\": \"https://ledger.internal/hook\", \"audit\": \"https://audit.internal/hook\"}\n\n\n@app.post(\"/notify\")\ndef notify():\n    target = WEBHOOKS[request.json[\"target\"]]\n    requests.post(target, json={\"event\": \"name\"}, timeout=5)\n    return \"ok\"\n",
    ],
};
pub const OPEN_REDIRECT: RuleDef = RuleDef {
    id: "open-redirect",
    title: "Redirect to a URL taken from the request",
    severity: Block,
    languages: JVM_PY,
    references: &[TRM_6_1, TRM_14_1, PCI_6_2_4, CWE_601],
    remediation: "Redirect only to relative paths or to URLs whose host is on an allow-list (Django url_has_allowed_host_and_scheme, Spring UriComponentsBuilder with a host check).",
    samples: &[
        "@src/x/c12_vuln.js\napp.get('/login/done', (req, res) => {\n  const next = req.query.acct || '/';\n  req.session.user = req.user;\n  res.redirect(next);\n});\n",
        "@src/x/c8_vuln.go\npackage auth\n\nimport (\n\t\"net/http\"\n\t\"net/url\"\n)\n\nfunc AfterLogin(w http.ResponseWriter, r *http.Request) {\n\tnext := r.FormValue(\"acct\")\n\thttp.Redirect(w, r, next, http.StatusFound)\n}\n",
    ],
    negatives: &[
        "@src/x/c12_safe.js\napp.get('/login/done', (req, res) => {\n  const next = '/accounts?acct=' + encodeURIComponent(req.query.acct || '');\n  req.session.user = req.user;\n  res.redirect(next);\n});\n",
        "@src/x/c8_safe.go\npackage auth\n\nimport (\n\t\"net/http\"\n\t\"net/url\"\n)\n\nfunc AfterLogin(w http.ResponseWriter, r *http.Request) {\n\tnext := \"/accounts?acct=\" + url.QueryEscape(r.FormValue(\"acct\"))\n\thttp.Redirect(w, r, next, http.StatusFound)\n}\n",
    ],
};
pub const HEADER_INJECTION: RuleDef = RuleDef {
    id: "header-injection",
    title: "Request input written into a response header",
    severity: Warn,
    languages: JVM_PY,
    references: &[TRM_6_1, TRM_14_1, PCI_6_2_4, CWE_113],
    remediation: "Reject CR and LF in header values and encode the value (or choose it from a fixed set); never copy request input into headers unchecked.",
    samples: &[
        "@app/download.py\nfrom flask import Flask, request, make_response\n\napp = Flask(__name__)\n\n\n@app.route(\"/download\")\ndef download():\n    name = request.args.get(\"name\", \"\")\n    resp = make_response(\"ok\")\n    resp.headers[\"X-File\"] = name\n    return resp\n",
    ],
    negatives: &[
        "@app/download.py\nfrom flask import Flask, request, make_response\n\napp = Flask(__name__)\n\n\n@app.route(\"/download\")\ndef download():\n    name = request.args.get(\"name\", \"\")\n    resp = make_response(\"ok\")\n    resp.headers[\"X-File\"] = \"report.csv\"\n    return resp\n",
    ],
};

/// Every rule, in catalogue order.
pub const RULES: &[RuleDef] = &[
    AWS_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY,
    GITHUB_TOKEN,
    GITLAB_TOKEN,
    SLACK_TOKEN,
    STRIPE_LIVE_KEY,
    GOOGLE_API_KEY,
    AZURE_STORAGE_KEY,
    PRIVATE_KEY,
    JWT,
    DATABASE_URL_PASSWORD,
    BASIC_AUTH_URL,
    HARDCODED_PASSWORD,
    GENERIC_SECRET,
    SQL_INJECTION,
    COMMAND_INJECTION,
    PATH_TRAVERSAL,
    WEAK_HASH,
    WEAK_CIPHER,
    INSECURE_RANDOM,
    TLS_VERIFICATION_DISABLED,
    INSECURE_DESERIALIZATION,
    SENSITIVE_DATA_LOGGED,
    CONSOLE_LOG_SENSITIVE,
    DEBUG_ENABLED,
    CORS_ALLOW_ALL_CREDENTIALS,
    EVAL_INJECTION,
    FLOAT_FOR_MONEY,
    STACK_TRACE_EXPOSED,
    LDAP_INJECTION,
    XPATH_INJECTION,
    SSRF,
    OPEN_REDIRECT,
    HEADER_INJECTION,
];

/// The rule with this id (hand-written rules and provider detectors).
pub fn by_id(id: &str) -> Option<&'static RuleDef> {
    catalogue().into_iter().find(|r| r.id == id)
}

/// Rules of provider detectors whose id is not one of [`RULES`], one per
/// distinct id, in table order. Severity block; references as every
/// credential rule; the row's provider-specific remediation.
static PROVIDER_RULES: std::sync::LazyLock<Vec<RuleDef>> = std::sync::LazyLock::new(|| {
    let mut out: Vec<RuleDef> = Vec::new();
    for p in crate::secrets::providers::PROVIDERS {
        if RULES.iter().any(|r| r.id == p.id) || out.iter().any(|r| r.id == p.id) {
            continue;
        }
        out.push(row_rule(p));
    }
    out
});

/// The rule a provider table row declares: its id, title, provider-specific
/// remediation and samples (templates, see `secrets::providers::expand`);
/// severity block, references as every credential rule.
pub fn row_rule(p: &crate::secrets::providers::Provider) -> RuleDef {
    RuleDef {
        id: p.id,
        title: p.title,
        severity: Block,
        languages: ANY,
        references: SECRET_REFS,
        remediation: p.remediation,
        samples: p.samples,
        negatives: p.negatives,
    }
}

/// Warning-severity twins of every credential rule, used for values in test
/// code, fixtures and local-development configuration.
static WARN_TWINS: std::sync::LazyLock<Vec<RuleDef>> = std::sync::LazyLock::new(|| {
    RULES[..14]
        .iter()
        .chain(PROVIDER_RULES.iter())
        .map(|r| RuleDef {
            severity: Warn,
            ..*r
        })
        .collect()
});

/// The rule a provider table row reports.
pub fn provider_rule(row: usize) -> &'static RuleDef {
    let id = crate::secrets::providers::PROVIDERS[row].id;
    RULES
        .iter()
        .chain(PROVIDER_RULES.iter())
        .find(|r| r.id == id)
        .expect("every provider row has a rule")
}

/// The warning-severity twin of a credential rule (the rule itself if it
/// has none).
pub fn warn_twin(rule: &'static RuleDef) -> &'static RuleDef {
    WARN_TWINS.iter().find(|r| r.id == rule.id).unwrap_or(rule)
}

/// Whether a rule id is a credential rule (cites CWE-798).
pub fn is_credential_rule(rule: &RuleDef) -> bool {
    rule.references
        .iter()
        .any(|r| r.framework == "CWE" && r.id == "798")
}

/// The whole catalogue: [`RULES`], then one rule per new provider id.
pub fn catalogue() -> Vec<&'static RuleDef> {
    RULES.iter().chain(PROVIDER_RULES.iter()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every rule's own samples, and every provider row's, through the
    /// skill's real analysis: credential samples are templates expanded at
    /// run time (`secrets::providers::expand`), code samples are literal;
    /// plain samples are a prompt, `@path` samples that file.
    #[test]
    fn every_rule_sample_holds() {
        use crate::secrets::providers::{PROVIDERS, expand};
        use kiro_guard_skill::rule::{Sample, check_samples};
        use kiro_guard_skill::{Config, Document, Prompt, ShellCommand, Skill};
        let skill = crate::BankingCodeReview;
        let cfg = Config::default();
        let rows: Vec<RuleDef> = PROVIDERS.iter().map(row_rule).collect();
        let n = check_samples(RULES.iter().chain(rows.iter()), |rule, sample| {
            let text = if is_credential_rule(rule) {
                expand(sample, 1).0
            } else {
                sample.to_string()
            };
            match Sample::parse(&text) {
                Sample::File {
                    path: Some(p),
                    text,
                } => skill.analyze_file(&Document::new(p, text), &cfg),
                Sample::File { path: None, text } | Sample::Prompt(text) => {
                    skill.analyze_prompt(&Prompt { text: text.into() }, &cfg)
                }
                Sample::Command(c) => skill.analyze_command(
                    &ShellCommand {
                        command: c.into(),
                        cwd: String::new(),
                    },
                    &cfg,
                ),
            }
        });
        assert!(n > 2 * (RULES.len() + rows.len()));
    }

    #[test]
    fn ids_are_unique_kebab_case_and_complete() {
        let mut seen = std::collections::HashSet::new();
        for r in catalogue() {
            assert!(seen.insert(r.id), "duplicate {}", r.id);
            assert!(
                r.id.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{}",
                r.id
            );
            assert!(!r.title.is_empty() && !r.remediation.is_empty());
            assert!(!r.languages.is_empty() && !r.references.is_empty());
            assert_eq!(r.references[0].framework, "MAS TRM", "{}", r.id);
        }
    }

    #[test]
    fn secret_remediation_names_a_vault() {
        for r in RULES[..14].iter().chain(PROVIDER_RULES.iter()) {
            assert!(
                r.remediation.contains("Secrets Manager") || r.remediation.contains("vault"),
                "{}",
                r.id
            );
        }
    }
}
