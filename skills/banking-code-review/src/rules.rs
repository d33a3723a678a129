//! The rule catalogue: every rule this skill can report, with its references
//! (mapping from `shared/reference/regulatory-references.md` §5) and the fix.

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
    ($name:ident, $id:literal, $title:literal, $fix:expr) => {
        pub const $name: RuleDef = RuleDef {
            id: $id,
            title: $title,
            severity: Block,
            languages: ANY,
            references: SECRET_REFS,
            remediation: $fix,
            samples: &[],
            negatives: &[],
        };
    };
}

secret_rule!(
    AWS_ACCESS_KEY_ID,
    "aws-access-key-id",
    "AWS access key id",
    "Deactivate and rotate the key in IAM, remove it from the code and history, and use an IAM role or AWS Secrets Manager instead of long-lived keys."
);
secret_rule!(
    AWS_SECRET_ACCESS_KEY,
    "aws-secret-access-key",
    "AWS secret access key",
    "Deactivate and rotate the key pair in IAM, remove it from the code and history, and use an IAM role or AWS Secrets Manager instead of long-lived keys."
);
secret_rule!(
    GITHUB_TOKEN,
    "github-token",
    "GitHub token",
    "Revoke the token in GitHub settings, remove it from the code and history, and inject it from AWS Secrets Manager, the team's vault or the CI secret store."
);
secret_rule!(
    GITLAB_TOKEN,
    "gitlab-token",
    "GitLab token",
    "Revoke the token in GitLab, remove it from the code and history, and inject it from AWS Secrets Manager, the team's vault or the CI secret store."
);
secret_rule!(
    SLACK_TOKEN,
    "slack-token",
    "Slack token or webhook",
    "Revoke the token or webhook in the Slack app settings and load it from AWS Secrets Manager or the team's vault."
);
secret_rule!(
    STRIPE_LIVE_KEY,
    "stripe-live-key",
    "Stripe live secret or restricted key",
    "Roll the key in the Stripe dashboard and load it from AWS Secrets Manager or the team's vault."
);
secret_rule!(
    GOOGLE_API_KEY,
    "google-api-key",
    "Google API key",
    "Delete or restrict the key in Google Cloud console and load it from AWS Secrets Manager or the team's vault."
);
secret_rule!(
    AZURE_STORAGE_KEY,
    "azure-storage-key",
    "Azure storage account key or shared access key",
    "Rotate the account key, prefer managed identities or short-lived SAS tokens, and keep connection strings in Azure Key Vault, AWS Secrets Manager or the team's vault."
);
secret_rule!(
    PRIVATE_KEY,
    "private-key",
    "Private key block",
    "Remove the key and revoke the certificate or SSH key; keep private keys in an HSM, AWS KMS/Secrets Manager or the team's vault, never in source."
);
secret_rule!(JWT, "jwt", "Signed JSON Web Token", VAULT);
secret_rule!(
    DATABASE_URL_PASSWORD,
    "database-url-password",
    "Database URL with an inline password",
    "Keep the URL without credentials and supply the password from AWS Secrets Manager (or IAM database authentication) or the team's vault."
);
secret_rule!(
    BASIC_AUTH_URL,
    "basic-auth-url",
    "URL with inline user:password credentials",
    "Remove the credentials from the URL, rotate them, and send them from AWS Secrets Manager or the team's vault at run time."
);
secret_rule!(
    HARDCODED_PASSWORD,
    "hardcoded-password",
    "Hard-coded password",
    VAULT
);
secret_rule!(
    GENERIC_SECRET,
    "generic-secret",
    "Hard-coded secret, token or API key",
    VAULT
);

pub const SQL_INJECTION: RuleDef = RuleDef {
    id: "sql-injection",
    title: "SQL built from strings reaches a query call",
    severity: Block,
    languages: CODE,
    references: &[TRM_6_1, TRM_14_1, TRM_ANNEX_A, PCI_6_2_4, PDPA_S24, CWE_89],
    remediation: "Use a parameterised query (placeholders such as ?, %s, :name or @p with a separate parameter list) or the ORM's query builder; never concatenate, format or interpolate values into SQL.",
    samples: &[],
    negatives: &[],
};
pub const COMMAND_INJECTION: RuleDef = RuleDef {
    id: "command-injection",
    title: "Shell command built from input",
    severity: Block,
    languages: CODE,
    references: &[TRM_6_1, TRM_14_1, PCI_6_2_4, CWE_78],
    remediation: "Run the program directly with an argument list (subprocess.run([...]) without shell=True, ProcessBuilder with separate arguments, execFile, exec.Command without a shell) and validate inputs against an allow-list.",
    samples: &[],
    negatives: &[],
};
pub const PATH_TRAVERSAL: RuleDef = RuleDef {
    id: "path-traversal",
    title: "Request input used as a file path",
    severity: Warn,
    languages: CODE,
    references: &[TRM_6_1, TRM_14_1, PCI_6_2_4, CWE_22],
    remediation: "Reduce the input to a file name (os.path.basename / secure_filename, path.basename, filepath.Base, Path.GetFileName), resolve it under a fixed base directory and check the result stays inside it.",
    samples: &[],
    negatives: &[],
};
pub const WEAK_HASH: RuleDef = RuleDef {
    id: "weak-hash",
    title: "MD5 or SHA-1 used for passwords or signatures",
    severity: Block,
    languages: CODE,
    references: &[TRM_10_1, PCI_8_3_2, PCI_6_2_4, CWE_328],
    remediation: "Hash passwords with a slow salted KDF (argon2id, bcrypt, scrypt, PBKDF2-HMAC-SHA256) and sign with SHA-256 or stronger (e.g. SHA256withRSA, ECDSA P-256, HMAC-SHA256).",
    samples: &[],
    negatives: &[],
};
pub const WEAK_CIPHER: RuleDef = RuleDef {
    id: "weak-cipher",
    title: "Deprecated cipher or ECB mode",
    severity: Block,
    languages: CODE,
    references: &[TRM_10_1, PCI_6_2_4, PCI_4_2_1, CWE_327],
    remediation: "Use AES-GCM (or ChaCha20-Poly1305) with a unique nonce per message through a vetted library; never DES, 3DES, RC4, Blowfish or ECB mode.",
    samples: &[],
    negatives: &[],
};
pub const INSECURE_RANDOM: RuleDef = RuleDef {
    id: "insecure-random",
    title: "Non-cryptographic randomness for a token, OTP, session id or key",
    severity: Block,
    languages: CODE,
    references: &[TRM_10_1, PCI_6_2_4, CWE_338],
    remediation: "Use a CSPRNG: Python secrets, Java SecureRandom, Node crypto.randomBytes/randomInt, Go crypto/rand, .NET RandomNumberGenerator.",
    samples: &[],
    negatives: &[],
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
    samples: &[],
    negatives: &[],
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
    samples: &[],
    negatives: &[],
};
pub const SENSITIVE_DATA_LOGGED: RuleDef = RuleDef {
    id: "sensitive-data-logged",
    title: "Password, token, NRIC, card or account data written to a log",
    severity: Block,
    languages: CODE,
    references: &[TRM_11_1, TRM_12_2, PDPA_S24, PDPA_S25, PCI_3_4_1, CWE_532],
    remediation: "Do not log credentials at all; log NRIC, card and account numbers only masked (S****567D, last 4 digits) or as a keyed hash/correlation id.",
    samples: &[],
    negatives: &[],
};
pub const CONSOLE_LOG_SENSITIVE: RuleDef = RuleDef {
    id: "console-log-sensitive",
    title: "console.log/print of sensitive data in production code",
    severity: Warn,
    languages: CODE,
    references: &[TRM_11_1, TRM_12_2, PDPA_S24, CWE_532],
    remediation: "Remove the debug print, or use the application logger with masking of credentials and personal data.",
    samples: &[],
    negatives: &[],
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
    samples: &[],
    negatives: &[],
};
pub const CORS_ALLOW_ALL_CREDENTIALS: RuleDef = RuleDef {
    id: "cors-allow-all-credentials",
    title: "CORS allows any origin together with credentials",
    severity: Block,
    languages: CODE,
    references: &[TRM_14_1, TRM_6_4, PCI_6_2_4, CWE_942],
    remediation: "List the exact trusted origins (from configuration) when credentials are allowed; never '*', a reflected Origin header or an allow-any predicate.",
    samples: &[],
    negatives: &[],
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
    samples: &[],
    negatives: &[],
};
pub const FLOAT_FOR_MONEY: RuleDef = RuleDef {
    id: "float-for-money",
    title: "Floating point used for a money amount",
    severity: Warn,
    languages: CODE,
    references: &[TRM_6_1, TRM_5_7, CWE_1339],
    remediation: "Use a decimal type (Python Decimal, Java/Kotlin BigDecimal, C# decimal, a decimal library or integer minor units in JS/TS and Go) with explicit rounding.",
    samples: &[],
    negatives: &[],
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
    samples: &[],
    negatives: &[],
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
    samples: &[],
    negatives: &[],
};
pub const XPATH_INJECTION: RuleDef = RuleDef {
    id: "xpath-injection",
    title: "Request input in an XPath expression",
    severity: Block,
    languages: JVM_PY,
    references: &[TRM_6_1, TRM_14_1, PCI_6_2_4, CWE_643],
    remediation: "Use a compiled XPath with variables (XPathVariableResolver, lxml's xpath(expr, name=value)) instead of building the expression from input.",
    samples: &[],
    negatives: &[],
};
pub const SSRF: RuleDef = RuleDef {
    id: "ssrf",
    title: "Request input chooses the URL of an outgoing request",
    severity: Block,
    languages: JVM_PY,
    references: &[TRM_6_1, TRM_14_1, PCI_6_2_4, CWE_918],
    remediation: "Do not take URLs or hosts from the request; map an input key to a configured URL, or check the parsed host against an allow-list and block private, loopback and link-local addresses.",
    samples: &[],
    negatives: &[],
};
pub const OPEN_REDIRECT: RuleDef = RuleDef {
    id: "open-redirect",
    title: "Redirect to a URL taken from the request",
    severity: Block,
    languages: JVM_PY,
    references: &[TRM_6_1, TRM_14_1, PCI_6_2_4, CWE_601],
    remediation: "Redirect only to relative paths or to URLs whose host is on an allow-list (Django url_has_allowed_host_and_scheme, Spring UriComponentsBuilder with a host check).",
    samples: &[],
    negatives: &[],
};
pub const HEADER_INJECTION: RuleDef = RuleDef {
    id: "header-injection",
    title: "Request input written into a response header",
    severity: Warn,
    languages: JVM_PY,
    references: &[TRM_6_1, TRM_14_1, PCI_6_2_4, CWE_113],
    remediation: "Reject CR and LF in header values and encode the value (or choose it from a fixed set); never copy request input into headers unchecked.",
    samples: &[],
    negatives: &[],
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
        out.push(RuleDef {
            id: p.id,
            title: p.title,
            severity: Block,
            languages: ANY,
            references: SECRET_REFS,
            remediation: p.remediation,
            samples: &[],
            negatives: &[],
        });
    }
    out
});

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
