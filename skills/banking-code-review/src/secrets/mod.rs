//! Hard-coded credentials.
//!
//! Two families of detectors share one keyword prefilter (`Prefilter` below:
//! each regex runs only in windows around its own keywords).
//!
//! * **Provider formats** (AWS, GitHub, GitLab, Slack, Stripe, Google, Azure,
//!   PEM/OpenSSH/PGP private keys, JWTs, URLs with inline passwords). The
//!   format itself is the evidence, so the placeholder stop-words do **not**
//!   apply: the AWS documentation key `AKIAIOSFODNN7EXAMPLE` is reported (the
//!   conformance cases require it; a scanner cannot tell a documentation key
//!   from a live one, and the host's value allow-list is the place to accept
//!   it). Only values made of one repeated character are skipped.
//! * **Assignments** of a literal to a credential-named key (`password = "…"`,
//!   `"db_password": "…"`, `PASSWORD=…`, `client_secret: '…'`,
//!   `setPassword("…")`, `api_key := "…"`). The key decides the threshold:
//!   - *password-like* names (`password`, `passwd`, `pwd`, `pass`,
//!     `passphrase`, `secret`, `client_secret`): any literal of at least
//!     `password_min_length` (4) characters that is not a placeholder. Human
//!     passwords are short and low-entropy (`hunter2`, `letmein`), so an
//!     entropy threshold would miss exactly the ones that matter.
//!   - *token-like* names (`token`, `api_key`, `access_key`, `secret_key`,
//!     `private_key`, `credentials`, ...): the value must look machine
//!     generated: at least `generic_secret_min_length` (12) characters,
//!     letters and digits, Shannon entropy at least
//!     `generic_secret_min_entropy` (3.0 bits/char). These names are also
//!     used for non-secret constants (`token_type = "Bearer"`,
//!     `API_KEY_HEADER = "X-Api-Key"`), which the threshold filters out.
//!
//!   Never findings: environment and secret-manager lookups (the value is
//!   code, not a literal), `None`/`null`/empty, placeholders (`changeme`,
//!   `<your-key>`, `xxxx`, `EXAMPLE`, `dummy`, `test`, `${VAR}`, `{{ }}`,
//!   `%s`), names that describe the secret rather than hold it
//!   (`password_hint`, `secret_name`, `token_url`, `api_key_header`), env
//!   var names (`"DB_PASSWORD"`), UUIDs, file paths, and lock files.

use crate::Hit;
pub mod context;
pub mod gitleaks;
pub mod providers;

use crate::rules::{self, *};
use kiro_guard_skill::mask::mask_secret;
use kiro_guard_skill::rule::RuleDef;
use kiro_guard_skill::text::{floor_char_boundary, shannon_entropy};
use kiro_guard_skill::tokens::Regions;
use std::sync::{LazyLock, OnceLock};

/// How unquoted assignment values are treated, by the kind of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueStyle {
    /// Source code: an unquoted value is an expression (a variable, a call),
    /// never a literal, except inside a string (connection strings).
    Code,
    /// Configuration (.env, YAML, properties, shell, TOML, HCL): unquoted
    /// values are literals.
    Config,
    /// Prompts, commands' free text, unknown files: unquoted values are
    /// literals when they end the line and look like a password.
    Prose,
}

impl ValueStyle {
    /// The style for a language name from [`kiro_guard_skill::lang`].
    pub fn for_language(lang: &str) -> ValueStyle {
        match lang {
            "python" | "java" | "kotlin" | "javascript" | "typescript" | "go" | "csharp"
            | "rust" | "c" | "cpp" | "php" | "ruby" | "scala" | "swift" => ValueStyle::Code,
            "dotenv" | "yaml" | "properties" | "shell" | "toml" | "terraform" | "dockerfile"
            | "makefile" | "powershell" | "json" | "xml" | "sql" => ValueStyle::Config,
            _ => ValueStyle::Prose,
        }
    }
}

/// Tunables (from the skill configuration).
#[derive(Debug, Clone)]
pub struct SecretOptions {
    pub password_min_length: usize,
    pub generic_min_length: usize,
    pub generic_min_entropy: f64,
    /// Extra case-insensitive substrings that mark a value as a placeholder.
    pub extra_placeholders: Vec<String>,
    /// Run the assignment (generic) detectors; off for lock files.
    pub generic: bool,
    /// Globs marking test code and fixtures (see [`context`]).
    pub test_paths: Vec<String>,
    /// Globs marking local-development and CI service configuration.
    pub dev_config_paths: Vec<String>,
    /// Globs marking documentation and examples.
    pub doc_paths: Vec<String>,
}

impl Default for SecretOptions {
    fn default() -> Self {
        SecretOptions {
            password_min_length: 4,
            generic_min_length: 12,
            generic_min_entropy: 3.0,
            extra_placeholders: Vec::new(),
            generic: true,
            test_paths: context::DEFAULT_TEST_PATHS
                .iter()
                .map(|s| s.to_string())
                .collect(),
            dev_config_paths: context::DEFAULT_DEV_CONFIG_PATHS
                .iter()
                .map(|s| s.to_string())
                .collect(),
            doc_paths: context::DEFAULT_DOC_PATHS
                .iter()
                .map(|s| s.to_string())
                .collect(),
        }
    }
}

// Structural detector tags (provider formats live in [`providers`]).
const PEM: &str = "pem";
const DB_URL: &str = "db-url";
const BASIC_URL: &str = "basic-url";
const BEARER: &str = "bearer";
const ASSIGN: &str = "assign";
const XML_ADD: &str = "xml-add";
const CLI_FLAG: &str = "cli-flag";
const SQL_PASSWORD: &str = "sql-password";
const PS_SECURE_STRING: &str = "ps-securestring";

/// A structural detector: keywords, and a regex whose group 1 is the
/// secret (for ASSIGN, group 1 is the key and the value is parsed by hand
/// after the match).
struct Special {
    tag: &'static str,
    /// The rule its findings report (the password rule may replace it for
    /// a value assigned to a password name).
    rule: &'static RuleDef,
    keywords: &'static [&'static str],
    regex: &'static str,
}

const SPECIALS: &[Special] = &[
    Special {
        tag: PEM,
        rule: &PRIVATE_KEY,
        keywords: &["private key"],
        regex: r"(-----BEGIN (?:[A-Z0-9]+ ){0,2}PRIVATE KEY(?: BLOCK)?-----|-----BEGIN (?:USER|ACCOUNT|OPERATOR) NKEY SEED-----)",
    },
    Special {
        tag: DB_URL,
        rule: &DATABASE_URL_PASSWORD,
        keywords: &[
            "postgres",
            "mysql",
            "mariadb",
            "mongodb",
            "redis",
            "amqp",
            "mssql",
            "sqlserver",
            "oracle",
            "jdbc",
        ],
        regex: r#"(?i)\b(?:jdbc:)?(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|oracle(?::thin)?)://[^:/\s@"'`<>]{0,64}:([^@/\s"'`<>]{1,128})@[A-Za-z0-9.\-\[\]_]"#,
    },
    Special {
        tag: BASIC_URL,
        rule: &BASIC_AUTH_URL,
        keywords: &["://"],
        regex: r#"(?i)\b(?:https?|ftps?|sftp|ssh|git|smtps?|ldaps?)://[^:/\s@"'`<>]{1,64}:([^@/\s"'`<>]{1,128})@[A-Za-z0-9.\-\[\]_]"#,
    },
    Special {
        tag: BEARER,
        rule: &GENERIC_SECRET,
        keywords: &["authorization", "bearer"],
        regex: r#"(?i)(?:authorization["']?\s*[:=]\s*["']?(?:bearer|token|basic)|\bbearer)\s+([A-Za-z0-9._~+/\-]{16,}=*)"#,
    },
    Special {
        tag: ASSIGN,
        rule: &GENERIC_SECRET,
        keywords: &[
            "pass",
            "pwd",
            "pswd",
            "secret",
            "token",
            "credential",
            "apikey",
            "api_key",
            "api-key",
            "accesskey",
            "access_key",
            "access-key",
            "privatekey",
            "private_key",
            "private-key",
            "signingkey",
            "signing_key",
            "encryptionkey",
            "encryption_key",
            "hmackey",
            "hmac_key",
            "masterkey",
            "master_key",
            "authkey",
            "auth_key",
            "clientkey",
            "client_key",
        ],
        regex: r#"(?i)((?:pass|pwd|pswd|secret|token|credential|api[_\-]?key|access[_\-]?key|private[_\-]?key|signing[_\-]?key|encryption[_\-]?key|hmac[_\-]?key|master[_\-]?key|auth[_\-]?key|client[_\-]?key)[0-9a-z_.\-]*)(["'`]?)(?:\s*:\s*[a-z_][a-z0-9_<>\[\]?.|]*|\s+(?:string|str))?\s*(:=|=>|===|!==|==|!=|=|:|\(|,)[ \t]*"#,
    },
    Special {
        tag: XML_ADD,
        rule: &GENERIC_SECRET,
        keywords: &["value="],
        regex: r#"(?i)<add\s+key\s*=\s*"([^"]{1,80})"\s+value\s*=\s*""#,
    },
    Special {
        tag: CLI_FLAG,
        rule: &GENERIC_SECRET,
        keywords: &[
            "--pass",
            "--token",
            "--api-key",
            "--secret",
            "mysql",
            "sshpass",
            "curl",
            "-u ",
        ],
        regex: r#"(?:\s--(?:password|passwd|token|api-key|apikey|secret|client-secret)[\s=]+|\b(?:mysql|mysqldump|mariadb)\b[^|;&\n]*?\s-p|\bsshpass\s+-p\s*|\bcurl\b[^|;&\n]*?\s(?:-u|--user)\s*["']?[^:\s"']{1,64}:)["']?([^\s"']{3,})"#,
    },
    Special {
        tag: SQL_PASSWORD,
        rule: &HARDCODED_PASSWORD,
        keywords: &["identified", "user", "role", "login"],
        regex: r#"(?i)(?:\b(?:USER|ROLE|LOGIN|GRANT|CONNECT\s+TO)\b[^;\n]{0,160}?\bIDENTIFIED\s+BY|\b(?:CREATE|ALTER)\s+(?:USER|ROLE|LOGIN)\b[^;\n]{0,160}?\bPASSWORD(?:\s*=)?)\s*N?(?:'([^'\n]{1,128})'|"([^"\n]{1,128})")"#,
    },
    Special {
        tag: PS_SECURE_STRING,
        rule: &HARDCODED_PASSWORD,
        keywords: &["convertto-securestring"],
        regex: r#"(?i)ConvertTo-SecureString\s+(?:-String\s+)?(?:"([^"\n$]{1,128})"|'([^'\n]{1,128})')[^|\n]*?-AsPlainText|(?:"([^"\n$]{1,128})"|'([^'\n]{1,128})')\s*\|\s*ConvertTo-SecureString\b[^|\n]*?-AsPlainText"#,
    },
];

/// Which detector a prefilter entry enables.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Det {
    Provider(usize),
    Special(usize),
}

fn det_keywords(d: Det) -> &'static [&'static str] {
    match d {
        Det::Provider(i) => providers::PROVIDERS[i].keywords,
        Det::Special(i) => SPECIALS[i].keywords,
    }
}

fn det_regex(d: Det) -> &'static str {
    match d {
        Det::Provider(i) => providers::PROVIDERS[i].regex,
        Det::Special(i) => SPECIALS[i].regex,
    }
}

/// Every detector: provider rows, then structural ones.
static DETECTORS: LazyLock<Vec<Det>> = LazyLock::new(|| {
    (0..providers::PROVIDERS.len())
        .map(Det::Provider)
        .chain((0..SPECIALS.len()).map(Det::Special))
        .collect()
});

/// Compiled lazily: a scan compiles only the regexes its text needs.
static REGEXES: LazyLock<Vec<OnceLock<regex::Regex>>> =
    LazyLock::new(|| DETECTORS.iter().map(|_| OnceLock::new()).collect());

fn regex_of(i: usize) -> &'static regex::Regex {
    REGEXES[i].get_or_init(|| {
        kiro_guard_skill::ascii_regex::builder(det_regex(DETECTORS[i]))
            .size_limit(32 << 20)
            .build()
            .unwrap_or_else(|e| panic!("detector {:?}: {e}", DETECTORS[i]))
    })
}

static ASSIGN_INDEX: LazyLock<usize> = LazyLock::new(|| {
    DETECTORS
        .iter()
        .position(|d| matches!(d, Det::Special(i) if SPECIALS[*i].tag == ASSIGN))
        .unwrap()
});

/// Keyword prefilter: one leftmost-longest Aho-Corasick search over every
/// detector's keywords (plus the "keyword contains keyword" closure, which
/// gives the same candidates as an overlapping search at a fraction of the
/// cost). It yields, per detector, the positions of its keywords, so that
/// regexes run only in windows around them, and the positions of
/// assignment keywords, where the assignment regex runs anchored.
struct Prefilter {
    ac: aho_corasick::AhoCorasick,
    /// Per keyword: the detectors it (or a keyword inside it) enables.
    enables: Vec<Vec<usize>>,
    /// Per keyword: offsets of assignment keywords inside it.
    assign_at: Vec<Vec<usize>>,
}

static PREFILTER: LazyLock<Prefilter> = LazyLock::new(|| {
    let mut words: Vec<String> = Vec::new();
    for d in DETECTORS.iter() {
        for k in det_keywords(*d) {
            let k = k.to_ascii_lowercase();
            if !words.contains(&k) {
                words.push(k);
            }
        }
    }
    let enables = words
        .iter()
        .map(|w| {
            DETECTORS
                .iter()
                .enumerate()
                .filter(|(_, d)| {
                    det_keywords(**d)
                        .iter()
                        .any(|k| w.contains(&k.to_ascii_lowercase()))
                })
                .map(|(i, _)| i)
                .collect()
        })
        .collect();
    let assign = det_keywords(DETECTORS[*ASSIGN_INDEX]);
    let assign_at = words
        .iter()
        .map(|w| {
            assign
                .iter()
                .filter_map(|k| w.find(&k.to_ascii_lowercase()))
                .collect()
        })
        .collect();
    let ac = aho_corasick::AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .match_kind(aho_corasick::MatchKind::LeftmostLongest)
        // A few hundred keywords: a DFA keeps the search at one table
        // lookup per byte (the NFA was a third of the scan time).
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .build(&words)
        .expect("keywords");
    Prefilter {
        ac,
        enables,
        assign_at,
    }
});

/// The assignment regex anchored at a keyword position.
static ASSIGN_ANCHORED: LazyLock<regex::Regex> = LazyLock::new(|| {
    kiro_guard_skill::ascii_regex::regex(&format!("^(?:{})", det_regex(DETECTORS[*ASSIGN_INDEX])))
        .expect("assign regex")
});

/// Lines longer than this (minified bundles, source maps) get no
/// assignment detection.
const MAX_ASSIGNMENT_LINE: usize = 1000;

/// How far before and after a keyword a detector's regex looks.
const WINDOW_BEFORE: usize = 512;
const WINDOW_AFTER: usize = 2560;

/// Priority when findings overlap (lower wins): provider formats, then URLs,
/// then assignments.
fn priority(rule: &RuleDef) -> u8 {
    match rule.id {
        "hardcoded-password" | "generic-secret" => 2,
        "database-url-password" | "basic-auth-url" => 1,
        _ => 0,
    }
}

/// Every detector's regex compiles (used by tests).
#[cfg(test)]
pub fn compile_all() {
    for i in 0..DETECTORS.len() {
        regex_of(i);
    }
}

/// Whether a finding's rule id is a credential rule: a rule of the catalogue
/// citing CWE-798 (every provider detector, the password, generic-secret and
/// URL rules, and their warning twins, which share the id), or a
/// repository's gitleaks rule (`gitleaks/<id>`). Hosts use this to decide
/// which findings' evidence is a secret.
pub fn is_credential_rule_id(id: &str) -> bool {
    id.starts_with("gitleaks/") || rules::by_id(id).is_some_and(rules::is_credential_rule)
}

/// Whether a path is a localisation message bundle: Java resource bundles
/// with a locale suffix (`messages_de.properties`, `LocalStrings_zh_CN.properties`,
/// `_text_ja.prop`) or named as message catalogues (`LocalStrings*.properties`,
/// `messages*.properties`). Their values are user-interface text
/// (`password=Kennwort`), never credentials.
pub fn is_message_bundle(path: &str) -> bool {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let Some(stem) = name
        .strip_suffix(".properties")
        .or_else(|| name.strip_suffix(".prop"))
    else {
        return false;
    };
    let lower = stem.to_ascii_lowercase();
    if lower.starts_with("localstrings")
        || lower.starts_with("messages")
        || lower.starts_with("strings")
    {
        return true;
    }
    // A locale suffix: `_xx` or `_xx_YY` (an ISO 639-1 language, then an
    // ISO 3166 country or a script). Environment suffixes (`_dev`, `_uat`,
    // `_sit`, `_prod`) are not languages.
    let parts: Vec<&str> = stem.split('_').collect();
    let lang = |p: &str| p.len() == 2 && ISO_639_1.split(' ').any(|c| c == p);
    let region = |p: &str| (2..=4).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic());
    match parts.as_slice() {
        [.., first, l, r] if !first.is_empty() && lang(l) && region(r) => true,
        [.., first, l] if !first.is_empty() => lang(l),
        _ => false,
    }
}

/// ISO 639-1 language codes.
const ISO_639_1: &str = "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu";

/// Whether a path is a dependency lock file (hashes, not secrets), a source
/// map, a minified bundle or a localisation message bundle
/// ([`is_message_bundle`]): no assignment detection there.
pub fn is_lock_file(path: &str) -> bool {
    if is_message_bundle(path) {
        return true;
    }
    let name = path
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(path)
        .to_ascii_lowercase();
    name.ends_with(".lock")
        || name.ends_with(".map")
        || name.ends_with(".min.js")
        || name.ends_with(".min.css")
        || matches!(
            name.as_str(),
            "package-lock.json"
                | "npm-shrinkwrap.json"
                | "pnpm-lock.yaml"
                | "yarn.lock"
                | "go.sum"
                | "cargo.lock"
                | "poetry.lock"
                | "pipfile.lock"
                | "composer.lock"
                | "gemfile.lock"
                | "packages.lock.json"
                | "gradle.lockfile"
                | "requirements.txt"
        )
}

/// Merge keyword positions into disjoint windows `[start, end)`.
fn windows(text: &str, positions: &mut [usize]) -> Vec<(usize, usize)> {
    positions.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::new();
    for &p in positions.iter() {
        let s = floor_char_boundary(text, p.saturating_sub(WINDOW_BEFORE));
        let e = floor_char_boundary(text, (p + WINDOW_AFTER).min(text.len()));
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// The first participating capture group (the secret), as an absolute range.
fn secret_group(caps: &regex::Captures, base: usize) -> Option<(usize, usize)> {
    (1..caps.len())
        .find_map(|i| caps.get(i))
        .map(|m| (base + m.start(), base + m.end()))
}

/// Scan `text` for credentials. `regions` is the comment/string lexing of
/// `text` in its language (pass `Regions::new(text, "")` when unknown).
pub fn scan(text: &str, regions: &Regions, style: ValueStyle, opts: &SecretOptions) -> Vec<Hit> {
    let mut hits = Vec::new();
    let pf = &*PREFILTER;
    let n = DETECTORS.len();
    let mut near: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut assign_positions = Vec::new();
    let assign_index = *ASSIGN_INDEX;
    for m in pf.ac.find_iter(text) {
        let k = m.pattern().as_usize();
        for &i in &pf.enables[k] {
            if i != assign_index {
                near[i].push(m.start());
            }
        }
        for &off in &pf.assign_at[k] {
            assign_positions.push(m.start() + off);
        }
    }
    if opts.generic {
        let mut done = 0;
        for p in assign_positions {
            if p < done {
                continue;
            }
            let end = floor_char_boundary(text, (p + 400).min(text.len()));
            let end = text[p..end].find('\n').map(|x| p + x + 1).unwrap_or(end);
            // Minified code and source maps: one line of a whole bundle.
            // Provider formats are still found there; assignments are noise.
            let line_start = kiro_guard_skill::scan::line_start(text.as_bytes(), p);
            if end - line_start > MAX_ASSIGNMENT_LINE && p - line_start > 200 {
                let line_end = kiro_guard_skill::scan::line_end(text.as_bytes(), p);
                if line_end - line_start > MAX_ASSIGNMENT_LINE {
                    done = line_end;
                    continue;
                }
            }
            if let Some(caps) = ASSIGN_ANCHORED.captures(&text[p..end]) {
                let whole = caps.get(0).unwrap();
                done = p + whole.end();
                assignment_at(text, p, regions, style, opts, &caps, &mut hits);
            }
        }
    }
    for (i, positions) in near.iter_mut().enumerate() {
        if positions.is_empty() {
            continue;
        }
        let re = regex_of(i);
        for (ws, we) in windows(text, positions) {
            for caps in re.captures_iter(&text[ws..we]) {
                let Some((s, e)) = secret_group(&caps, ws) else {
                    continue;
                };
                match DETECTORS[i] {
                    Det::Provider(p) => provider_hit(text, p, s, e, opts, &mut hits),
                    Det::Special(sp) => {
                        let whole_end = ws + caps.get(0).map_or(0, |m| m.end());
                        special_hit(
                            text,
                            &SPECIALS[sp],
                            (s, e, whole_end),
                            style,
                            opts,
                            &mut hits,
                        )
                    }
                }
            }
        }
    }
    dedupe(hits)
}

fn provider_hit(
    text: &str,
    p: usize,
    s: usize,
    e: usize,
    opts: &SecretOptions,
    hits: &mut Vec<Hit>,
) {
    let row = &providers::PROVIDERS[p];
    let value = &text[s..e];
    let check = match row.validate {
        Some(f) => f(value),
        None => providers::Check::Format,
    };
    if check == providers::Check::Reject {
        return;
    }
    // A keyword-anchored value gets the placeholder discipline too.
    if row.kind == providers::Kind::Context && provider_placeholder(value, opts) {
        return;
    }
    let message = match check {
        providers::Check::Verified => format!(
            "{} (checksum/structure verified: almost certainly real)",
            row.title
        ),
        _ => row.title.to_string(),
    };
    hits.push(Hit::new(
        rules::provider_rule(p),
        (s, e),
        message,
        mask_secret(value),
    ));
}

fn special_hit(
    text: &str,
    special: &Special,
    (s, e, whole_end): (usize, usize, usize),
    style: ValueStyle,
    opts: &SecretOptions,
    hits: &mut Vec<Hit>,
) {
    let v = &text[s..e];
    let tag = special.tag;
    match tag {
        ASSIGN => {}
        XML_ADD => {
            if opts.generic {
                xml_add(text, opts, v, whole_end, hits);
            }
        }
        CLI_FLAG => {
            if opts.generic
                && style != ValueStyle::Code
                && v.len() >= 3
                && !is_placeholder(v, "", opts)
            {
                push_assignment(hits, KeyClass::Password, "command-line option", s, e, v);
            }
        }
        SQL_PASSWORD | PS_SECURE_STRING => {
            if !opts.generic || is_placeholder(v, "", opts) {
                return;
            }
            // MySQL `IDENTIFIED BY PASSWORD '*<sha1>'` stores a hash.
            if v.starts_with('*') && v.len() == 41 {
                return;
            }
            if v.chars().count() < opts.password_min_length {
                return;
            }
            let what = if tag == SQL_PASSWORD {
                "password in a SQL user/role statement"
            } else {
                "plain-text password converted with ConvertTo-SecureString -AsPlainText"
            };
            hits.push(Hit::new(special.rule, (s, e), what, mask_secret(v)));
        }
        PEM if style == ValueStyle::Code && pem_delimiter(text, e) => {}
        _ => {
            if let Some((start, end, message)) = validate_special(tag, text, s, e, opts) {
                let value = &text[start..end];
                let evidence = if tag == PEM {
                    format!("{}****({} chars)", v, value.chars().count())
                } else {
                    mask_secret(value)
                };
                let rule = if tag == BEARER && message.starts_with("password") {
                    &HARDCODED_PASSWORD
                } else {
                    special.rule
                };
                hits.push(Hit::new(rule, (start, end), message, evidence));
            }
        }
    }
}

/// In source code, a PEM header that is a whole string literal
/// (`BEGIN_KEY = "-----BEGIN PRIVATE KEY-----\n"`) with no base64 body
/// after it is a delimiter constant of a PEM parser, not key material. A key
/// pasted into code, even as concatenated literals, has base64 lines.
fn pem_delimiter(text: &str, header_end: usize) -> bool {
    let rest = &text[header_end..];
    let rest = rest
        .strip_prefix("\\r\\n")
        .or_else(|| rest.strip_prefix("\\n"))
        .unwrap_or(rest);
    if !rest.starts_with(['"', '\'', '`']) {
        return false;
    }
    let limit = floor_char_boundary(rest, rest.len().min(600));
    let mut run = 0;
    for b in rest[..limit].bytes() {
        run = if b.is_ascii_alphanumeric() || b == b'+' || b == b'/' {
            run + 1
        } else {
            0
        };
        if run >= 40 {
            return false;
        }
    }
    true
}

/// Drop findings overlapping a higher-priority one, and exact duplicates.
fn dedupe(mut hits: Vec<Hit>) -> Vec<Hit> {
    hits.sort_by_key(|h| (priority(h.rule), h.start, std::cmp::Reverse(h.end)));
    let mut kept: Vec<Hit> = Vec::with_capacity(hits.len());
    for h in hits {
        if kept.iter().any(|k| h.start < k.end && k.start < h.end) {
            continue;
        }
        kept.push(h);
    }
    kept.sort_by_key(|h| h.start);
    kept
}

fn one_char_repeated(s: &str) -> bool {
    let mut it = s.bytes();
    match it.next() {
        Some(first) => it.all(|b| b == first),
        None => true,
    }
}

fn distinct_chars(s: &str) -> usize {
    let mut seen = [false; 256];
    s.bytes()
        .filter(|&b| !std::mem::replace(&mut seen[b as usize], true))
        .count()
}

/// Structural-detector validation. Returns the secret's byte range and a
/// message.
fn validate_special(
    tag: &str,
    text: &str,
    s: usize,
    e: usize,
    opts: &SecretOptions,
) -> Option<(usize, usize, String)> {
    let v = &text[s..e];
    match tag {
        PEM => {
            // Extend the span over the whole block when its END line follows.
            let kind = v.trim_start_matches("-----BEGIN ").trim_end_matches('-');
            let limit = floor_char_boundary(text, (e + 16 * 1024).min(text.len()));
            let end = text[e..limit]
                .find("-----END ")
                .and_then(|p| {
                    let from = e + p + 9;
                    text[from..limit].find("-----").map(|q| from + q + 5)
                })
                .unwrap_or(e);
            Some((s, end, format!("{kind} block")))
        }
        DB_URL | BASIC_URL => {
            if is_placeholder(v, "", opts)
                || v.starts_with('$')
                || v.starts_with('%')
                || v.starts_with('{')
                || v.contains("${")
                || v.contains(['[', ']'])
                || matches!(
                    v.to_ascii_lowercase().as_str(),
                    "pass" | "password" | "passwd" | "pwd" | "secret" | "token" | "user"
                )
            {
                return None;
            }
            let what = if tag == DB_URL {
                "database connection URL with an inline password"
            } else {
                "URL with inline user:password credentials"
            };
            Some((s, e, what.into()))
        }
        BEARER => {
            // `Authorization: Basic <base64 of user:password>`.
            let before = &text[s.saturating_sub(12)..s];
            if before.to_ascii_lowercase().contains("basic") {
                let decoded = kiro_guard_skill::evasion::base64_decode(v, 1024)?;
                let decoded = std::str::from_utf8(&decoded).ok()?;
                let (_, pw) = decoded.split_once(':')?;
                if pw.chars().count() < opts.password_min_length
                    || is_placeholder(pw, "", opts)
                    || pw.chars().any(char::is_control)
                {
                    return None;
                }
                return Some((
                    s,
                    e,
                    "password in an HTTP Basic authorization header".into(),
                ));
            }
            if is_placeholder(v, "", opts) || !looks_generated(v, opts) {
                return None;
            }
            Some((s, e, "bearer/authorization token literal".into()))
        }
        _ => None,
    }
}

/// Which threshold a credential-named key gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyClass {
    /// Human passwords: any non-placeholder literal.
    Password,
    /// `secret`, `client_secret`: as passwords, reported as generic-secret.
    Secret,
    /// Machine tokens and keys: entropy and length threshold.
    Token,
}

/// Split an identifier into lower-case words (`db_password` → db, password;
/// `apiKey` → api, key; `APIKey` → api, key).
pub fn words(ident: &str) -> Vec<String> {
    let b: Vec<char> = ident.chars().collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    for i in 0..b.len() {
        let c = b[i];
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if c.is_ascii_uppercase() && !cur.is_empty() {
            let prev = b[i - 1];
            let next_lower = b.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower)
            {
                out.push(std::mem::take(&mut cur));
            }
        }
        cur.push(c.to_ascii_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Words that, after the credential word, mean the key names metadata about
/// the credential rather than the credential (`password_hint`, `token_url`).
const METADATA: &[&str] = &[
    "missing",
    "invalid",
    "isnull",
    "null",
    "too",
    "mismatch",
    "incorrect",
    "wrong",
    "blank",
    "denied",
    "unsupported",
    "name",
    "names",
    "id",
    "ids",
    "arn",
    "type",
    "types",
    "hint",
    "field",
    "fields",
    "label",
    "length",
    "len",
    "min",
    "max",
    "policy",
    "policies",
    "regex",
    "pattern",
    "prompt",
    "placeholder",
    "url",
    "uri",
    "endpoint",
    "path",
    "file",
    "filename",
    "dir",
    "header",
    "headers",
    "param",
    "params",
    "parameter",
    "env",
    "var",
    "variable",
    "format",
    "expiry",
    "expires",
    "expiration",
    "expire",
    "expired",
    "ttl",
    "timeout",
    "lifetime",
    "count",
    "version",
    "ref",
    "hash",
    "hashed",
    "enabled",
    "enable",
    "required",
    "reset",
    "changed",
    "algorithm",
    "algo",
    "mode",
    "kind",
    "size",
    "bits",
    "rounds",
    "iterations",
    "error",
    "errors",
    "message",
    "msg",
    "text",
    "title",
    "column",
    "col",
    "attr",
    "attribute",
    "selector",
    "input",
    "description",
    "desc",
    "icon",
    "style",
    "class",
    "route",
    "location",
    "provider",
    "store",
    "storage",
    "manager",
    "mgr",
    "service",
    "source",
    "strategy",
    "method",
    "scope",
    "scopes",
    "prefix",
    "suffix",
    "key",
    "keys",
    "index",
    "idx",
    "limit",
    "validator",
    "validation",
    "valid",
    "strength",
    "age",
    "history",
    "question",
    "usage",
    "option",
    "options",
    "property",
    "prop",
    "generator",
    "factory",
    "builder",
    "helper",
    "util",
    "utils",
    "request",
    "response",
    "callback",
    "handler",
    "cache",
    "repository",
    "repo",
    "table",
    "collection",
    "lookup",
    "bucket",
    "queue",
    "topic",
    "host",
    "port",
    "server",
    "client",
    "template",
    "location",
    "visible",
    "visibility",
    "toggle",
    "rule",
    "rules",
    "changes",
    "expiry",
    "lock",
    "locked",
    "attempts",
    "retries",
    "ui",
    "view",
    "form",
    "dialog",
    "button",
    "page",
    "screen",
    "id",
    "version",
    "bytes",
    "encoding",
    "charset",
    "mask",
    "masked",
    "regexp",
    "schema",
    "spec",
    "stub",
    "mock",
    "test",
    "sample",
    "example",
    "doc",
    "docs",
];

/// Words before the credential word that make the key a flag or an action.
const PREFIX_DENY: &[&str] = &[
    "is",
    "has",
    "show",
    "hide",
    "use",
    "enable",
    "disable",
    "reset",
    "forgot",
    "forget",
    "validate",
    "check",
    "min",
    "max",
    "num",
    "require",
    "allow",
    "bypass",
    "get",
    "fetch",
    "load",
    "read",
    "on",
    "handle",
    "should",
    "can",
    "no",
    "skip",
    "verify",
    "compare",
    "generate",
    "create",
    "refresh",
    "revoke",
    "parse",
    "decode",
    "encode",
    "mask",
    "next",
    "continuation",
    "pagination",
    "page",
    "cursor",
    "idempotency",
    "csrf",
    "xsrf",
    "sync",
    "lexer",
    "output",
    "input",
    "marker",
    "last",
    "prev",
    "previous",
    "start",
    "end",
    "cancel",
    "cancellation",
    "update",
    "all",
    "any",
    // Values meant to be public (`publicToken`, `publishable_key`).
    "public",
    "publishable",
];

/// Classify a key (identifier, JSON key, env name) by its words.
pub fn classify_key(key: &str) -> Option<KeyClass> {
    let w = words(key);
    let mut found: Option<(usize, usize, KeyClass)> = None; // (first, last) word index
    let mut i = 0;
    while i < w.len() {
        let cur = w[i].as_str();
        let next = w.get(i + 1).map(String::as_str);
        let hit = match cur {
            "password" | "passwd" | "pwd" | "pswd" | "passphrase" | "passcode" => {
                Some((i, i, KeyClass::Password))
            }
            // `pass` is also a compiler pass or a flag (`needsSecondPass`,
            // `allPass`): only as the last word (`db_pass`, `PASS`).
            "pass" if i + 1 == w.len() => Some((i, i, KeyClass::Password)),
            "secret" | "secrets" => match next {
                Some("key" | "access") => {
                    let last = if next == Some("access")
                        && w.get(i + 2).map(String::as_str) == Some("key")
                    {
                        i + 2
                    } else {
                        i + 1
                    };
                    Some((i, last, KeyClass::Token))
                }
                _ => Some((i, i, KeyClass::Secret)),
            },
            "secretkey" | "secretaccesskey" => Some((i, i, KeyClass::Token)),
            "token" | "apikey" | "accesskey" | "privatekey" | "credential" | "credentials"
            | "signingkey" | "encryptionkey" | "hmackey" | "masterkey" | "authkey" => {
                Some((i, i, KeyClass::Token))
            }
            "api" | "access" | "private" | "signing" | "encryption" | "hmac" | "master"
            | "auth" | "client"
                if next == Some("key") =>
            {
                Some((i, i + 1, KeyClass::Token))
            }
            _ => None,
        };
        if let Some(h) = hit {
            // The last credential word decides (`api_token_secret`).
            i = h.1 + 1;
            found = Some(h);
            continue;
        }
        i += 1;
    }
    let (first, last, class) = found?;
    if w[last + 1..].iter().any(|x| METADATA.contains(&x.as_str())) {
        return None;
    }
    if w[..first].iter().any(|x| PREFIX_DENY.contains(&x.as_str())) {
        return None;
    }
    Some(class)
}

/// Case-insensitive substrings that mark a placeholder, not a credential.
const PLACEHOLDER_PARTS: &[&str] = &[
    "example",
    "changeme",
    "change_me",
    "change-me",
    "changeit",
    "placeholder",
    "dummy",
    "redacted",
    "sample",
    "fake",
    "mock",
    "test",
    "xxxx",
    "****",
    "....",
    "<",
    ">",
    "${",
    "{{",
    "}}",
    "%s",
    "%(",
    "{0}",
    "{}",
    "$(",
    "your_",
    "your-",
    "yourpass",
    "yoursecret",
    "yourtoken",
    "yourkey",
    "your ",
    "insert",
    "replace",
    "todo",
    "fixme",
    "process.env",
    "os.environ",
    "getenv",
    "secretsmanager",
    "vault:",
    "arn:aws",
    "ssm:",
    "keyvault",
    "lorem",
    "foobar",
    "notasecret",
    "not-a-secret",
    "not_a_secret",
    "secret123?",
    "<%",
];

/// Exact (case-insensitive) values that are never credentials.
const STOP_VALUES: &[&str] = &[
    "s3cret",
    "none",
    "null",
    "nil",
    "undefined",
    "true",
    "false",
    "yes",
    "no",
    "on",
    "off",
    "required",
    "optional",
    "string",
    "str",
    "int",
    "password",
    "passwd",
    "pwd",
    "pass",
    "secret",
    "token",
    "empty",
    "n/a",
    "na",
    "tbd",
    "default",
    "value",
    "hidden",
    "masked",
    "unset",
    "bearer",
    "basic",
    "oauth",
    "apikey",
    "api_key",
    "text",
    "number",
    "boolean",
    "object",
    "any",
    "char",
    "bytes",
    "env",
    "environment",
    "vault",
    "secretsmanager",
    "secret_key",
    "access_token",
    "refresh_token",
    "id_token",
    "client_secret",
    "new-password",
    "current-password",
    "off",
    "xxx",
    "abc",
    "foo",
    "bar",
    "baz",
    "qwerty?",
    "tiger",
    "passwords",
    "secrets",
    "tokens",
];

/// Whether an assignment value is a placeholder or a reference, not a
/// credential. Never applied to provider-format matches.
pub fn is_placeholder(value: &str, key: &str, opts: &SecretOptions) -> bool {
    let v = value.trim();
    if v.is_empty() {
        return true;
    }
    let lower = v.to_ascii_lowercase();
    if STOP_VALUES.contains(&lower.as_str()) {
        return true;
    }
    if PLACEHOLDER_PARTS.iter().any(|p| lower.contains(p))
        || opts
            .extra_placeholders
            .iter()
            .any(|p| lower.contains(&p.to_ascii_lowercase()))
    {
        return true;
    }
    let first = v.as_bytes()[0];
    if matches!(
        first,
        b'$' | b'%' | b'@' | b'#' | b'/' | b'~' | b'!' | b'&' | b'*' | b':'
    ) && !(first == b'!' && v.len() > 6 && distinct_chars(v) > 5)
    {
        // $VAR, %VAR%, @Value refs, /paths, !Ref/!Sub, &anchors, *aliases.
        return true;
    }
    if v.starts_with("./") || v.starts_with("../") || v.contains("://") {
        return true;
    }
    // A bracketed placeholder as documentation writes it (`[PASSWORD]`,
    // `[your-token]`): letters only between the brackets.
    if v.len() >= 3
        && v.starts_with('[')
        && v.ends_with(']')
        && v[1..v.len() - 1]
            .bytes()
            .all(|b| b.is_ascii_alphabetic() || b"_- ".contains(&b))
    {
        return true;
    }
    if one_char_repeated(v) {
        return true;
    }
    // The value repeats the key (`PASSWORD = "password"`, form field names).
    let norm = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let nv = norm(v);
    let nk = norm(key);
    if !nk.is_empty()
        && (nv == nk
            || nk.ends_with(&nv)
                && nv.len() >= 3
                && words(v).len() <= 2
                && v.chars()
                    .all(|c| c.is_ascii_alphabetic() || c == '_' || c == '-'))
    {
        return true;
    }
    // An environment variable or constant name (`"DB_PASSWORD"`).
    if v.len() >= 3
        && v.contains('_')
        && v.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
    {
        return true;
    }
    // A name, not a value: `user.pass_word`, `pkg.module.Secret`.
    if is_identifier_path(v) {
        return true;
    }
    // A version (`1.2.1`, `^4.0.0`): a dependency, not a password.
    {
        let t = v.trim_start_matches(['^', '~', '>', '<', '=', 'v']);
        if t.contains('.')
            && t.split('.')
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        {
            return true;
        }
    }
    // Only escape sequences and punctuation (`\r\n`).
    {
        let mut alnum = 0;
        let mut it = v.chars().peekable();
        while let Some(c) = it.next() {
            if c == '\\' {
                it.next();
            } else if c.is_alphanumeric() {
                alnum += 1;
            }
        }
        if alnum < 2 {
            return true;
        }
    }
    // A snake_case variable name (`ansible_become_pass`).
    if v.split('_').count() >= 3
        && v.split('_')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
    {
        return true;
    }
    // A value naming a credential rather than holding one
    // (`mysql-password`, `passwordformail`); `Password123` still counts.
    if ["password", "passwd", "secret"]
        .iter()
        .any(|w| lower.contains(w))
        && !v.bytes().any(|b| b.is_ascii_digit())
        && (v.len() > 10 || v.contains(['_', '-', '.']))
    {
        return true;
    }
    // Whitespace: prose, messages, labels.
    if v.chars().any(char::is_whitespace) {
        return true;
    }
    // A UUID: an identifier, unless a token or secret name holds it (many
    // providers issue UUID keys) and it is not a sequence or a documented
    // example.
    if is_uuid(v) && !uuid_secret(v, key) {
        return true;
    }
    // A file name for key material (`key.pem`, `secrets.json`).
    const EXTS: &[&str] = &[
        ".pem",
        ".key",
        ".json",
        ".txt",
        ".p12",
        ".pfx",
        ".jks",
        ".crt",
        ".cer",
        ".yaml",
        ".yml",
        ".env",
        ".properties",
        ".xml",
        ".der",
        ".keystore",
        ".html",
        ".js",
        ".py",
    ];
    if EXTS.iter().any(|e| lower.ends_with(e)) {
        return true;
    }
    // Regexes and format patterns.
    if v.contains("\\d")
        || v.contains("\\w")
        || v.contains("[a-z")
        || v.contains("[A-Z")
        || (v.starts_with('^') && v.ends_with('$'))
    {
        return true;
    }
    false
}

/// Placeholders next to a provider keyword: references, templates,
/// redactions and filler. Unlike [`is_placeholder`], documentation keys
/// ("EXAMPLE") are still reported: the format is the evidence, and the
/// host's value allow-list is the place to accept a known example.
fn provider_placeholder(v: &str, opts: &SecretOptions) -> bool {
    let lower = v.to_ascii_lowercase();
    one_char_repeated(v)
        || matches!(v.as_bytes()[0], b'$' | b'%' | b'<' | b'{' | b'@')
        || [
            "${",
            "{{",
            "}}",
            "xxxx",
            "****",
            "<",
            ">",
            "your",
            "changeme",
            "placeholder",
            "redacted",
            "dummy",
            "insert",
            "replace",
        ]
        .iter()
        .any(|p| lower.contains(p))
        || opts
            .extra_placeholders
            .iter()
            .any(|p| lower.contains(&p.to_ascii_lowercase()))
}

/// Words of a key that make a UUID value an identifier even under a
/// credential word (`token_id`, `secret_uuid`, `session_token`).
const ID_WORDS: &[&str] = &[
    "id",
    "uuid",
    "guid",
    "tenant",
    "subscription",
    "request",
    "correlation",
    "trace",
    "session",
    "object",
];

/// RFC 4122's and other documentation's example UUIDs.
const EXAMPLE_UUIDS: &[&str] = &[
    "550e8400-e29b-41d4-a716-446655440000",
    "123e4567-e89b-12d3-a456-426614174000",
    "123e4567-e89b-12d3-a456-426655440000",
    "f81d4fae-7dec-11d0-a765-00a0c91e6bf6",
];

/// A UUID assigned to a token or secret name (`api_token`, `API_KEY`,
/// `client_secret`) is a key: Heroku and many other providers issue UUIDs.
/// Not when the name says identifier, nor for sequences (`12345678-…`,
/// `…-ABCD-ABCD-…`) and documentation examples.
fn uuid_secret(v: &str, key: &str) -> bool {
    if !matches!(classify_key(key), Some(KeyClass::Token | KeyClass::Secret)) {
        return false;
    }
    if words(key).iter().any(|w| ID_WORDS.contains(&w.as_str())) {
        return false;
    }
    let lower = v.to_ascii_lowercase();
    if EXAMPLE_UUIDS.contains(&lower.as_str()) {
        return false;
    }
    let hex: String = lower.chars().filter(|c| *c != '-').collect();
    !(hex.contains("1234567")
        || hex.contains("abcdabcd")
        || hex.contains("0000000")
        || distinct_chars(&hex) < 8)
}

fn is_uuid(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// Key words that say the value is a digest, not a credential.
const HASH_WORDS: &[&str] = &[
    "hash",
    "digest",
    "checksum",
    "sha",
    "sha1",
    "sha256",
    "sha512",
    "md5",
    "fingerprint",
    "etag",
    "integrity",
    "commit",
    "rev",
    "revision",
    "sum",
    "crc",
    "nonce",
    "salt",
];

/// A token-like value assigned to a credential name. A bare hex value of a
/// digest's length is a key here (Adobe, Algolia, Facebook, Linear and
/// Sentry issue hex keys), unless the name also says it is a digest
/// (`token_hash`, `api_key_sha256`).
fn token_value(v: &str, key: &str, opts: &SecretOptions) -> bool {
    if looks_generated(v, opts) {
        return true;
    }
    let hex_digest = matches!(v.len(), 32 | 40 | 56 | 64 | 96 | 128)
        && v.bytes().all(|b| b.is_ascii_hexdigit())
        && v.bytes().any(|b| b.is_ascii_alphabetic())
        && v.bytes().filter(u8::is_ascii_digit).count() >= 2;
    hex_digest
        && shannon_entropy(v) >= opts.generic_min_entropy
        && !words(key).iter().any(|w| HASH_WORDS.contains(&w.as_str()))
}

/// Machine-generated-looking: long enough, letters and digits (or base64
/// punctuation), enough entropy.
fn looks_generated(v: &str, opts: &SecretOptions) -> bool {
    let letters = v.bytes().filter(u8::is_ascii_alphabetic).count();
    let digits = v.bytes().filter(u8::is_ascii_digit).count();
    let other = v.len() - letters - digits;
    let entropy = shannon_entropy(v);
    v.len() >= opts.generic_min_length
        && letters > 0
        // Random tokens almost always hold digits; a long high-entropy
        // base64 value may not.
        && (digits >= 2 || (v.len() >= 32 && entropy >= 4.0 && other > 0))
        && entropy >= opts.generic_min_entropy
        && !is_identifier_path(v)
        && !is_hash_or_integrity(v)
}

/// `a.b.c`, `DistributionList.NextMarker`, `pkg.module.Class`: a name, not
/// a value.
fn is_identifier_path(v: &str) -> bool {
    v.contains('.')
        && v.split('.').all(|part| {
            let mut c = part.chars();
            c.next()
                .is_some_and(|f| f.is_ascii_alphabetic() || f == '_' || f == '$')
                && c.all(|x| x.is_ascii_alphanumeric() || x == '_' || x == '$')
        })
}

/// Digests and lock-file integrity values (`sha512-…`, `sha256:…`, a bare
/// hex digest of a standard length) are not secrets.
fn is_hash_or_integrity(v: &str) -> bool {
    let lower = v.to_ascii_lowercase();
    if [
        "sha1-", "sha256-", "sha384-", "sha512-", "sha1:", "sha256:", "sha512:", "md5:", "md5-",
    ]
    .iter()
    .any(|p| lower.starts_with(p))
    {
        return true;
    }
    matches!(v.len(), 32 | 40 | 56 | 64 | 96 | 128)
        && v.bytes().all(|b| b.is_ascii_hexdigit())
        && (v.bytes().all(|b| !b.is_ascii_uppercase())
            || v.bytes().all(|b| !b.is_ascii_lowercase()))
        && v.bytes().any(|b| b.is_ascii_alphabetic())
}

fn push_assignment(
    hits: &mut Vec<Hit>,
    class: KeyClass,
    key: &str,
    start: usize,
    end: usize,
    value: &str,
) {
    let (rule, what) = match class {
        KeyClass::Password => (&HARDCODED_PASSWORD, "hard-coded password"),
        KeyClass::Secret => (&GENERIC_SECRET, "hard-coded secret"),
        KeyClass::Token => (&GENERIC_SECRET, "hard-coded token/key"),
    };
    let key_shown: String = key.chars().take(40).collect();
    hits.push(Hit::new(
        rule,
        (start, end),
        format!("{what} assigned to `{key_shown}`"),
        mask_secret(value),
    ));
}

/// Whether `value` passes the threshold for `class`.
fn value_qualifies(
    class: KeyClass,
    value: &str,
    key: &str,
    style: ValueStyle,
    quoted: bool,
    opts: &SecretOptions,
) -> bool {
    if is_placeholder(value, key, opts) {
        return false;
    }
    match class {
        KeyClass::Password | KeyClass::Secret => {
            if value.chars().count() < opts.password_min_length {
                return false;
            }
            // Unquoted prose (`password: click the link`) must look like a
            // password: a digit, a symbol or mixed case.
            if style == ValueStyle::Prose && !quoted {
                let mixed = value.bytes().any(|b| b.is_ascii_uppercase())
                    && value.bytes().any(|b| b.is_ascii_lowercase());
                let non_alpha = value.bytes().any(|b| !b.is_ascii_alphabetic());
                if !(mixed || non_alpha) {
                    return false;
                }
            }
            true
        }
        KeyClass::Token => token_value(value, key, opts),
    }
}

/// Characters an unquoted value may not contain.
fn unquoted_end(b: u8) -> bool {
    b.is_ascii_whitespace()
        || matches!(
            b,
            b'"' | b'\''
                | b'`'
                | b','
                | b';'
                | b'&'
                | b'('
                | b')'
                | b'['
                | b']'
                | b'<'
                | b'>'
                | b'}'
                | b'{'
                | b'|'
        )
}

/// A capture group's absolute byte range.
#[derive(Clone, Copy)]
struct M<'t> {
    text: &'t str,
    start: usize,
    end: usize,
}
impl<'t> M<'t> {
    fn start(&self) -> usize {
        self.start
    }
    fn end(&self) -> usize {
        self.end
    }
    fn as_str(&self) -> &'t str {
        &self.text[self.start..self.end]
    }
}

/// An assignment match found by the anchored regex on `text[base..]`.
fn assignment_at(
    text: &str,
    base: usize,
    regions: &Regions,
    style: ValueStyle,
    opts: &SecretOptions,
    caps: &regex::Captures,
    hits: &mut Vec<Hit>,
) {
    let g = |i: usize| {
        caps.get(i).map(|m| M {
            text,
            start: base + m.start(),
            end: base + m.end(),
        })
    };
    assignment(
        text,
        regions,
        style,
        opts,
        [g(0).unwrap(), g(1).unwrap(), g(2).unwrap(), g(3).unwrap()],
        hits,
    )
}

fn assignment(
    text: &str,
    regions: &Regions,
    style: ValueStyle,
    opts: &SecretOptions,
    caps: [M; 4],
    hits: &mut Vec<Hit>,
) {
    let key_m = caps[1];
    // The regex starts at the credential word (a literal prefix keeps it
    // fast); extend the key back over the rest of the identifier.
    let tb = text.as_bytes();
    let mut key_start = key_m.start();
    while key_start > 0
        && (tb[key_start - 1].is_ascii_alphanumeric()
            || matches!(tb[key_start - 1], b'_' | b'.' | b'-'))
    {
        key_start -= 1;
    }
    if key_start > 0 && tb[key_start - 1] == b'$' {
        return;
    }
    let key = text[key_start..key_m.end()].trim_matches(|c| c == '.' || c == '-');
    let quoted_key = !caps[2].as_str().is_empty();
    let op = caps[3].as_str();
    if op == "," && !quoted_key {
        return;
    }
    if op == "," {
        // `put("password", "x")` is a pair; `["password", "seen"]` is a list.
        let before = text[..key_start.saturating_sub(1)].trim_end();
        if !before.ends_with('(') {
            return;
        }
    }
    if (op == "(") && quoted_key {
        return;
    }
    // `setPassword("x")` passes the credential; `password.encode("utf-8")`
    // calls a method on it.
    if op == "(" && classify_key(words(key).last().map_or("", String::as_str)).is_none() {
        return;
    }
    let Some(class) = classify_key(key) else {
        return;
    };
    let b = text.as_bytes();
    let mut p = caps[0].end();
    // Is the key itself inside a larger string literal (a connection string
    // like "Server=x;Password=y;" or a message like "Enter password: ")?
    let embedded = match regions.string_at(key_start) {
        Some((s, e)) => {
            let whole_key_string = s + 1 == key_start && (e == key_m.end() + 1);
            if whole_key_string { None } else { Some(e) }
        }
        None => None,
    };
    if let Some(str_end) = embedded {
        // Only an unquoted value inside the same string literal counts.
        // Connection strings use `=`; `key: value` inside a string is prose
        // or a docstring (`:param password: the password`).
        if op != "=" {
            return;
        }
        let start = p;
        while p < str_end.saturating_sub(1) && !unquoted_end(b[p]) {
            p += 1;
        }
        // The string may end inside a multi-byte character (lossily decoded
        // input); found by fuzzing (fuzz/fuzz_targets/skill_banking.rs).
        while p > start && !text.is_char_boundary(p) {
            p -= 1;
        }
        let value = &text[start..p];
        if value_qualifies(class, value, key, ValueStyle::Config, false, opts) {
            push_assignment(hits, class, key, start, p, value);
        }
        return;
    }
    if p >= b.len() {
        return;
    }
    // Optional literal prefix: r"", b"", u"" (Python), @"" (C#).
    let mut q = p;
    while q < b.len() && q < p + 2 && matches!(b[q], b'r' | b'b' | b'u' | b'R' | b'B' | b'U' | b'@')
    {
        q += 1;
    }
    if q < b.len() && matches!(b[q], b'"' | b'\'' | b'`') {
        let quote = b[q];
        let start = q + 1;
        let mut j = start;
        while j < b.len() && b[j] != quote && b[j] != b'\n' {
            if b[j] == b'\\' {
                j += 1;
            }
            j += 1;
        }
        if j >= b.len() || b[j] != quote {
            return;
        }
        let value = &text[start..j];
        if quote == b'`' && value.contains("${") {
            return;
        }
        // `keyring.set_password("service", user, pw)`: the first of several
        // arguments names the service, it is not the password.
        if op == "(" && text[j + 1..].trim_start().starts_with(',') {
            return;
        }
        if value_qualifies(class, value, key, style, true, opts) {
            push_assignment(hits, class, key, start, j, value);
        }
        return;
    }
    if p != q {
        // An identifier starting with r/b/u: treat as unquoted below.
    }
    // Unquoted value: a literal only in configuration and prose.
    if style == ValueStyle::Code
        || op == "("
        || op == ","
        || op.starts_with("==")
        || op.starts_with('!')
    {
        return;
    }
    let start = p;
    while p < b.len() && !unquoted_end(b[p]) {
        p += 1;
    }
    if p == start {
        return;
    }
    // The rest of the line must be empty or a comment/separator: otherwise
    // this is an expression (`password = getpass()`) or a sentence.
    let rest_end = text[p..].find('\n').map(|x| p + x).unwrap_or(text.len());
    let rest = text[p..rest_end].trim();
    if !(rest.is_empty()
        || rest.starts_with('#')
        || rest.starts_with(';')
        || rest.starts_with(',')
        || rest.starts_with('&')
        || rest.starts_with('"')
        || rest.starts_with('\'')
        || rest.starts_with('}')
        || rest.starts_with("//"))
    {
        return;
    }
    let value = &text[start..p];
    // A dotted or called name is code even in prose (`os.environ`).
    if style == ValueStyle::Prose
        && value.contains('.')
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_')
        && value
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
        && !value.chars().any(|c| c.is_ascii_digit())
    {
        return;
    }
    if value_qualifies(class, value, key, style, false, opts) {
        push_assignment(hits, class, key, start, p, value);
    }
}

fn xml_add(text: &str, opts: &SecretOptions, key: &str, value_start: usize, hits: &mut Vec<Hit>) {
    let Some(class) = classify_key(key) else {
        return;
    };
    let Some(len) = text[value_start..].find('"') else {
        return;
    };
    let value = &text[value_start..value_start + len];
    if value_qualifies(class, value, key, ValueStyle::Config, true, opts) {
        push_assignment(hits, class, key, value_start, value_start + len, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan_lang(text: &str, lang: &str) -> Vec<(String, String)> {
        let regions = Regions::new(text, lang);
        scan(
            text,
            &regions,
            ValueStyle::for_language(lang),
            &SecretOptions::default(),
        )
        .into_iter()
        .map(|h| (h.rule.id.to_string(), text[h.start..h.end].to_string()))
        .collect()
    }

    fn ids(text: &str, lang: &str) -> Vec<String> {
        scan_lang(text, lang).into_iter().map(|x| x.0).collect()
    }

    /// Alphanumeric filler of length n, varied (not a real token).
    pub(crate) fn filler(n: usize, seed: u32) -> String {
        const A: &[u8] = b"aB3dE5fG7hJ9kLmN2pQ4rS6tU8vW0xYz1C";
        let mut x = seed.wrapping_mul(2654435761).wrapping_add(12345);
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                A[(x as usize) % A.len()] as char
            })
            .collect()
    }

    #[test]
    fn patterns_compile() {
        compile_all();
    }

    #[test]
    fn words_split() {
        assert_eq!(words("db_password"), ["db", "password"]);
        assert_eq!(words("apiKey"), ["api", "key"]);
        assert_eq!(words("APIKey"), ["api", "key"]);
        assert_eq!(
            words("AWS_SECRET_ACCESS_KEY"),
            ["aws", "secret", "access", "key"]
        );
        assert_eq!(words("--password"), ["password"]);
    }

    #[test]
    fn key_classes() {
        use KeyClass::*;
        for (k, c) in [
            ("password", Some(Password)),
            ("DB_PASSWD", Some(Password)),
            ("pwd", Some(Password)),
            ("client_secret", Some(Secret)),
            ("jwtSecret", Some(Secret)),
            ("SECRET_KEY", Some(Token)),
            ("aws_secret_access_key", Some(Token)),
            ("apiKey", Some(Token)),
            ("access_token", Some(Token)),
            ("password_hint", None),
            ("secret_name", None),
            ("token_url", None),
            ("API_KEY_HEADER", None),
            ("max_tokens", None),
            ("tokenizer", None),
            ("is_password_valid", None),
            ("bypass", None),
            ("passenger", None),
            ("AccessKeyId", None),
        ] {
            assert_eq!(classify_key(k), c, "{k}");
        }
    }

    #[test]
    fn aws() {
        assert_eq!(ids("AKIAIOSFODNN7EXAMPLE", ""), ["aws-access-key-id"]);
        assert_eq!(
            ids("x = 'ASIAIOSFODNN7EXAMPLE'", "python"),
            ["aws-access-key-id"]
        );
        assert!(ids("AKIAIOSFODNN7EXAMPLE1", "").is_empty());
        assert!(ids("akiaiosfodnn7example", "").is_empty());
        let secret = ["wJalrXUtnFEMI", "/K7MDENG/bPxRfiCY", "EXAMPLEKEY"].concat();
        let t = format!("aws_secret_access_key = \"{secret}\"");
        assert_eq!(
            scan_lang(&t, "python"),
            [("aws-secret-access-key".into(), secret.clone())]
        );
        // A hex digest next to the name is not an AWS secret.
        let hex = "5f4dcc3b5aa765d61d8327deb882cf99aabbccdd";
        assert!(
            !ids(&format!("aws_secret_key_sha = \"{hex}\""), "python")
                .contains(&"aws-secret-access-key".to_string())
        );
    }

    #[test]
    fn github_gitlab_slack_stripe_google() {
        let gh = format!("{}{}", "gh", "p_") + &filler(36, 1);
        assert_eq!(
            scan_lang(&format!("t = \"{gh}\""), "python"),
            [("github-token".into(), gh.clone())]
        );
        let pat = format!("{}{}", "github_", "pat_") + &filler(82, 2);
        assert_eq!(ids(&pat, ""), ["github-token"]);
        assert!(ids(&format!("{}{}", "gh", "p_short"), "").is_empty());
        assert!(ids(&(format!("{}{}", "gh", "p_") + &"x".repeat(36)), "").is_empty());
        let gl = format!("{}{}", "glp", "at-") + &filler(20, 3);
        assert_eq!(ids(&gl, ""), ["gitlab-token"]);
        let sl = format!("{}{}", "xox", "b-40193857264-") + &filler(24, 4);
        assert_eq!(ids(&sl, ""), ["slack-token"]);
        // Slack ids are numeric: without one it is a placeholder's shape.
        let sl = format!("{}{}", "xox", "b-") + &filler(24, 4);
        assert!(ids(&sl, "").is_empty());
        let st = format!("{}{}", "sk_", "live_") + &filler(24, 5);
        assert_eq!(ids(&st, ""), ["stripe-live-key"]);
        // A test-mode key is a credential of the account's test mode: its
        // own rule, a warning in test and local-development files.
        assert_eq!(
            ids(&(format!("{}{}", "sk_", "test_") + &filler(24, 5)), ""),
            ["stripe-test-key"]
        );
        assert!(ids(&(format!("{}{}", "pk_", "test_") + &filler(24, 5)), "").is_empty());
        let g = format!("{}{}", "AI", "za") + &filler(35, 6);
        assert_eq!(ids(&format!("key: {g}\n"), "yaml"), ["google-api-key"]);
    }

    #[test]
    fn azure_pem_jwt() {
        let key = filler(86, 7) + "==";
        let cs = format!(
            "\"DefaultEndpointsProtocol=https;AccountName=x;AccountKey={key};EndpointSuffix=core.windows.net\""
        );
        assert_eq!(
            scan_lang(&cs, "csharp"),
            [("azure-storage-key".into(), key)]
        );
        let pem = format!(
            "{}{}",
            "-----BEG", "IN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----\n"
        );
        let hits = scan_lang(&pem, "");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].1, pem.trim_end());
        for k in ["PUBLIC KEY", "RSA PUBLIC KEY", "CERTIFICATE"] {
            assert!(
                ids(&format!("{}{}{k}-----", "-----BEG", "IN "), "").is_empty(),
                "{k}"
            );
        }
        // header {"alg":"HS256","typ":"JWT"}
        let jwt = format!(
            "{}.{}.{}",
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9",
            "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ",
            filler(43, 8)
        );
        assert_eq!(ids(&format!("auth = '{jwt}'"), "python"), ["jwt"]);
        // Not JSON with alg: no finding.
        assert!(
            ids(
                "eyJub3RhbGciOjF9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcdefghijklmnopqrstuvwx",
                ""
            )
            .is_empty()
        );
    }

    #[test]
    fn urls() {
        assert_eq!(
            scan_lang(
                "DATABASE_URL=postgres://app:S3cr3tPw@db.internal:5432/core",
                "dotenv"
            ),
            [("database-url-password".into(), "S3cr3tPw".into())]
        );
        assert!(
            ids(
                "DATABASE_URL=postgres://app:${DB_PASS}@db:5432/core",
                "dotenv"
            )
            .is_empty()
        );
        assert!(ids("url = \"postgres://user:password@localhost/db\"", "python").is_empty());
        assert_eq!(
            ids(
                "git clone https://deploy:Zx81kLq0v@git.bank.sg/x.git",
                "shell"
            ),
            ["basic-auth-url"]
        );
        assert!(ids("see https://example.com/a@b and git@github.com:x/y", "").is_empty());
    }

    #[test]
    fn assignments_true_positives() {
        for (text, lang, value) in [
            ("password = \"hunter2\"", "python", "hunter2"),
            ("PASSWORD: 'Sup3rS3cret'", "yaml", "Sup3rS3cret"),
            (
                "{\"db_password\": \"plaintext123\"}",
                "json",
                "plaintext123",
            ),
            ("DB_PASSWD=\"x1y2z3\"", "dotenv", "x1y2z3"),
            ("client_secret = 'abc123'", "python", "abc123"),
            ("pwd='letmein'", "", "letmein"),
            ("PASSWORD=hunter2hunter2", "", "hunter2hunter2"),
            ("db.password=Pa55word!", "properties", "Pa55word!"),
            (
                "private static final String DB_PASSWORD = \"Tr0ub4dor\";",
                "java",
                "Tr0ub4dor",
            ),
            (
                "const apiKey = 'a8F3kL0qZ7xW2mN9pR4t';",
                "javascript",
                "a8F3kL0qZ7xW2mN9pR4t",
            ),
            ("password := \"g0ph3rPw\"", "go", "g0ph3rPw"),
            (
                "var conn = \"Server=db;User Id=sa;Password=Pa55w0rd!;\";",
                "csharp",
                "Pa55w0rd!",
            ),
            ("ds.setPassword(\"Spr1ngPw\");", "java", "Spr1ngPw"),
            (
                "password: string = \"tsPassw0rd\";",
                "typescript",
                "tsPassw0rd",
            ),
            ("if password == \"admin123\":", "python", "admin123"),
            (
                "<add key=\"DbPassword\" value=\"N3tPassw0rd\" />",
                "xml",
                "N3tPassw0rd",
            ),
            ("mysql -u root -pR00tPw db", "shell", "R00tPw"),
        ] {
            let hits = scan_lang(text, lang);
            assert_eq!(hits.len(), 1, "{text}: {hits:?}");
            assert_eq!(hits[0].1, value, "{text}");
        }
    }

    #[test]
    fn assignments_false_positives() {
        for (text, lang) in [
            ("password = os.environ[\"DB_PASSWORD\"]", "python"),
            ("password = os.environ[\"DB_PASSWORD\"]", ""),
            ("password = getpass()", ""),
            ("password = \"\"", "python"),
            ("\"password\": null", "json"),
            ("password_hint = None", ""),
            ("password = os.getenv('DB_PASSWORD')", "python"),
            ("const token = process.env.API_TOKEN;", "javascript"),
            (
                "String pw = System.getenv(\"PW\"); String password = pw;",
                "java",
            ),
            (
                "var password = Environment.GetEnvironmentVariable(\"PW\");",
                "csharp",
            ),
            (
                "password = secretsmanager.get_secret_value(SecretId='db')",
                "python",
            ),
            ("password = \"changeme\"", "python"),
            ("api_key = \"<your-key>\"", "python"),
            ("API_KEY=xxxxxxxxxxxx", "dotenv"),
            ("password: ${DB_PASSWORD}", "yaml"),
            ("password: \"{{ vault_db_password }}\"", "yaml"),
            ("token_type = \"Bearer\"", "python"),
            ("API_KEY_HEADER = \"X-Api-Key\"", "python"),
            ("secret_name = \"prod/core/db\"", "python"),
            ("token = \"550e8400-e29b-41d4-a716-446655440000\"", "python"),
            ("PASSWORD_FIELD = \"password\"", "python"),
            ("PASSWORD = \"password\"", "java"),
            ("print(\"Enter password: \")", "python"),
            ("msg = \"Your password: \" + pw", "python"),
            ("password: click the link we emailed", ""),
            ("token = \"abc\"", "python"),
            ("api_key = \"dummy-api-key-value\"", "python"),
            ("password = f\"{prefix}123\"", "python"),
            ("const secret = `${a}${b}`;", "javascript"),
            ("private_key = \"keys/server.pem\"", "python"),
            ("password = request.form['password']", "python"),
            ("password=$(cat /run/secrets/db)", "shell"),
            ("def login(password: str = None):", "python"),
            ("sha = \"5f4dcc3b5aa765d61d8327deb882cf99\"", "python"),
            ("\"integrity\": \"sha512-abcdEFGH1234\"", "json"),
            ("password = \"test1234\"", "python"),
            ("passenger = \"Tan Ah Kow\"", "python"),
            ("Authorization: Bearer $TOKEN", "shell"),
        ] {
            assert!(
                ids(text, lang).is_empty(),
                "{text} ({lang}): {:?}",
                scan_lang(text, lang)
            );
        }
    }

    /// Hex of a digest's length and UUIDs are keys under a token or secret
    /// name, identifiers or digests elsewhere.
    #[test]
    fn hex_and_uuid_values_depend_on_the_name() {
        let hex32: String = filler(64, 7)
            .bytes()
            .map(|b| b"0123456789abcdef"[b as usize % 16] as char)
            .take(32)
            .collect();
        let hex64 = format!("{hex32}{}", hex32.chars().rev().collect::<String>());
        let uuid = format!(
            "{}-{}-4{}-a{}-{}",
            &hex64[0..8],
            &hex64[8..12],
            &hex64[13..16],
            &hex64[17..20],
            &hex64[20..32]
        );
        for (text, lang, value) in [
            (format!("adobe_api_token = \"{hex32}\""), "", &hex32),
            (format!("SENTRY_API_KEY={hex64}"), "dotenv", &hex64),
            (format!("facebook_access_token: '{hex32}'"), "yaml", &hex32),
            (format!("sendbird_api_token = \"{uuid}\""), "python", &uuid),
            (format!("HEROKU_API_KEY={uuid}"), "dotenv", &uuid),
            (format!("client_secret = \"{uuid}\""), "python", &uuid),
        ] {
            let hits = scan_lang(&text, lang);
            assert_eq!(hits.len(), 1, "{}: {hits:?}", mask_all(&text));
            assert_eq!(&hits[0].1, value);
        }
        for (text, lang) in [
            (format!("token_sha256 = \"{hex64}\""), "python"),
            (format!("api_key_hash = \"{hex32}\""), "python"),
            (format!("commit_token = \"{hex32}\""), "python"),
            (format!("sha = \"{hex32}\""), "python"),
            (format!("client_id = \"{uuid}\""), "python"),
            (format!("token_id = \"{uuid}\""), "python"),
            (format!("request_token = \"{uuid}\""), "python"),
            (format!("tenant = \"{uuid}\""), "python"),
            (
                "api_token = \"12345678-ABCD-ABCD-ABCD-1234567890AB\"".to_string(),
                "python",
            ),
            (
                "token = \"00000000-0000-0000-0000-000000000000\"".to_string(),
                "python",
            ),
            (
                "secret = \"123e4567-e89b-12d3-a456-426614174000\"".to_string(),
                "python",
            ),
        ] {
            assert!(
                ids(&text, lang).is_empty(),
                "{}: {:?}",
                mask_all(&text),
                ids(&text, lang)
            );
        }
    }

    /// Long alphanumeric runs masked, for assertion messages.
    fn mask_all(s: &str) -> String {
        let mut out = String::new();
        let mut run = 0;
        for c in s.chars() {
            run = if c.is_ascii_alphanumeric() {
                run + 1
            } else {
                0
            };
            out.push(if run > 4 { '*' } else { c });
        }
        out
    }

    #[test]
    fn credential_rule_ids_come_from_the_references() {
        for id in [
            "hardcoded-password",
            "generic-secret",
            "database-url-password",
            "aws-secret-access-key",
            "telegram-bot-token",
            "stripe-test-key",
            "gitleaks/internal-token",
        ] {
            assert!(is_credential_rule_id(id), "{id}");
        }
        for id in ["sql-injection", "weak-hash", "no-such-rule", ""] {
            assert!(!is_credential_rule_id(id), "{id}");
        }
        // Every provider row's id is one.
        for p in providers::PROVIDERS {
            assert!(is_credential_rule_id(p.id), "{}", p.id);
        }
    }

    #[test]
    fn message_bundles() {
        for p in [
            "drda/loc/messages_de_DE.properties",
            "org/apache/tomcat/util/net/LocalStrings_zh_CN.properties",
            "org/apache/tomcat/util/net/LocalStrings.properties",
            "server/web/res/_text_ja.prop",
            "loc/toolsmessages_pt_BR.properties",
            "i18n/labels_fr.properties",
        ] {
            assert!(is_message_bundle(p), "{p}");
            assert!(is_lock_file(p), "{p}");
        }
        for p in [
            "config/application.properties",
            "config/application_dev.properties",
            "config/db_uat.properties",
            "config/app_sit.properties",
            "config/app_prod.properties",
            "src/messages.py",
        ] {
            assert!(!is_message_bundle(p), "{p}");
        }
    }

    /// Precision fixes found on real code, each with the true case kept.
    #[test]
    fn real_code_hard_negatives() {
        let p = ["Qz7", "!mR", "4vTx"].concat();
        for (text, lang) in [
            (
                "* @return The conglomerate object identified by \"conglom_id\".".to_string(),
                "java",
            ),
            (
                "String CONN_PASSWORD_MISSING = \"08004.C.1\";".to_string(),
                "java",
            ),
            (
                "String NET_PASSWORD_TOO_LONG = \"08001.C.9\";".to_string(),
                "java",
            ),
            (
                "String CONN_USERID_OR_PASSWORD_INVALID = \"J005\";".to_string(),
                "java",
            ),
            (
                "public static final String FORM_PASSWORD = \"j_password\";".to_string(),
                "java",
            ),
            (
                "<user username=\"tomcat\" password=\"s3cret\" roles=\"manager-gui\"/>".to_string(),
                "xml",
            ),
            (
                "keyring.set_password(\"pgcli\", key, passwd)".to_string(),
                "python",
            ),
            (
                "# dsn = postgresql://[user[:password@]][netloc][:port][/dbname]".to_string(),
                "",
            ),
            (
                "curl --user neo4j:[PASSWORD] http://[IP]:7474/db/data/".to_string(),
                "",
            ),
            (
                "curl -u admin:[your-password] https://host/".to_string(),
                "",
            ),
            (format!("publicToken = \"{}\"", filler(43, 21)), "js"),
            (
                format!(
                    "private static final String BEGIN_KEY = \"{}{}\\n\";\nprivate static final String END_KEY = \"-----END PRIVATE KEY-----\";",
                    "-----BEG", "IN PRIVATE KEY-----"
                ),
                "java",
            ),
        ] {
            assert!(
                ids(&text, lang).is_empty(),
                "{text}: {:?}",
                ids(&text, lang)
            );
        }
        for (text, lang) in [
            (format!("CREATE USER app IDENTIFIED BY '{p}';"), "sql"),
            (
                format!("GRANT ALL ON db.* TO 'app'@'%' IDENTIFIED BY '{p}';"),
                "sql",
            ),
            (
                format!("CREATE DATABASE LINK l CONNECT TO app IDENTIFIED BY \"{p}\" USING 'x';"),
                "sql",
            ),
            (format!("String CONN_PASSWORD = \"{p}\";"), "java"),
            (format!("ds.setPassword(\"{p}\");"), "java"),
            (format!("dsn = postgresql://app:{p}@db/core"), ""),
            (format!("curl --user neo4j:{p} http://db:7474/"), ""),
            (format!("accessToken = \"{}\"", filler(43, 21)), "js"),
            (format!("curl --user neo4j:[{p}] http://db:7474/"), ""),
            (
                format!(
                    "String KEY = \"{}{}\\n\" +\n  \"{}\\n\";",
                    "-----BEG",
                    "IN PRIVATE KEY-----",
                    filler(64, 11)
                ),
                "java",
            ),
        ] {
            assert_eq!(ids(&text, lang).len(), 1, "{text}");
        }
    }

    #[test]
    fn lock_files() {
        assert!(is_lock_file("a/package-lock.json"));
        assert!(is_lock_file("go.sum"));
        assert!(is_lock_file("Cargo.lock"));
        assert!(!is_lock_file("src/app.py"));
    }

    #[test]
    fn evidence_is_masked() {
        let gh = format!("{}{}", "gh", "p_") + &filler(36, 9);
        let regions = Regions::new(&gh, "");
        let h = &scan(&gh, &regions, ValueStyle::Prose, &SecretOptions::default())[0];
        assert!(!h.evidence.contains(&gh[4..]));
        assert!(!h.message.contains(&gh[4..]));
    }
}
