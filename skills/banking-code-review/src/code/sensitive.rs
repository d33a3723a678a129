//! Rules about what a name says: sensitive data in logs and console output,
//! floating point for money.

use super::*;
use crate::rules::*;
use crate::secrets::words;
use regex::Regex;
use std::sync::LazyLock;

fn re(s: &str) -> Regex {
    kiro_guard_skill::ascii_regex::regex(s).unwrap()
}

/// Logger calls: a receiver ending in log/logger/logging/logrus, then a level.
static LOG_CALL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:[a-z_][\w.]*)?(?:log|logger|logging|logrus)\s*\.\s*(?:log)?(?:debug|info|information|warn|warning|error|exception|critical|fatal|trace|verbose|print|printf|println|fatalf|panicf|errorf|infof|debugf|warnf|withfield|withfields)\s*\(",
    )
});

static CONSOLE_CALL: LazyLock<[(u8, Regex); 5]> = LazyLock::new(|| {
    [
        (PY, re(r"\bprint\s*\(")),
        (
            JAVA,
            re(r"\bSystem\.(?:out|err)\.(?:println|print|printf|format)\s*\(|\bprintln\s*\("),
        ),
        (
            JS,
            re(r"\bconsole\.(?:log|debug|info|warn|error|trace|dir)\s*\("),
        ),
        (
            GO,
            re(r"\bfmt\.(?:Println|Printf|Print)\s*\(|\bprintln\s*\("),
        ),
        (
            CS,
            re(r"\b(?:Console|Debug|Trace)\.(?:WriteLine|Write)\s*\("),
        ),
    ]
});

/// Objects that carry credentials or personal data when printed whole.
static SENSITIVE_OBJECT: LazyLock<Regex> = LazyLock::new(|| {
    re(r"\b(?:req|request|ctx\.request|r)\.(?:body|headers|Header|json|form|data|cookies|Form)\b")
});

/// Words that make an identifier's value not the secret itself.
const NOT_VALUE: &[&str] = &[
    "length",
    "len",
    "count",
    "type",
    "valid",
    "is",
    "has",
    "expired",
    "expiry",
    "expires",
    "id",
    "ids",
    "hash",
    "hashed",
    "masked",
    "mask",
    "hint",
    "field",
    "name",
    "label",
    "policy",
    "url",
    "uri",
    "endpoint",
    "required",
    "enabled",
    "changed",
    "reset",
    "status",
    "strength",
    "last4",
    "last",
    "suffix",
    "prefix",
    "format",
    "regex",
    "pattern",
    "size",
    "error",
    "errors",
    "attempts",
    "retries",
    "ttl",
    "timeout",
    "at",
    "date",
    "time",
    "version",
    "header",
    "key",
    "service",
    "manager",
    "provider",
    "encrypted",
    "salt",
    "digest",
    "fingerprint",
    "ref",
    "limit",
    "token_type",
    "scope",
    "scopes",
    "tokens",
];

/// What kind of sensitive value an identifier names, if any.
pub fn sensitive_kind(ident: &str) -> Option<&'static str> {
    let w = words(ident);
    let ws: Vec<&str> = w.iter().map(String::as_str).collect();
    let mut kind = None;
    let mut last = 0;
    for (i, x) in ws.iter().enumerate() {
        let next = ws.get(i + 1).copied();
        let k = match *x {
            "password" | "passwd" | "pwd" | "passphrase" | "passcode" => Some("password"),
            "secret" | "apikey" | "privatekey" | "credential" | "credentials" => Some("secret"),
            "token" if !matches!(next, Some("count" | "type" | "limit")) => Some("token"),
            "otp" | "pin" | "cvv" | "cvc" | "cvv2" => Some("authentication code"),
            "nric" => Some("NRIC"),
            "fin" if ws.len() == 1 || matches!(next, Some("no" | "number" | "num")) => Some("FIN"),
            "ssn" => Some("national id"),
            "pan" | "cardnumber" | "cardno" => Some("card number"),
            "card" if matches!(next, Some("number" | "no" | "num" | "nbr")) => Some("card number"),
            "iban" | "accountnumber" | "accountno" | "acctno" => Some("account number"),
            "account" | "acct" if matches!(next, Some("number" | "no" | "num" | "nbr")) => {
                Some("account number")
            }
            "api" | "private" if next == Some("key") => Some("secret"),
            _ => None,
        };
        if k.is_some() {
            kind = k;
            last = i;
        }
    }
    let kind = kind?;
    let skip_pair = matches!(
        ws.get(last + 1).copied(),
        Some("key" | "number" | "no" | "num" | "nbr")
    ) && matches!(
        ws[last],
        "api" | "private" | "card" | "account" | "acct" | "fin"
    );
    let after = if skip_pair { last + 2 } else { last + 1 };
    if ws.iter().skip(after).any(|x| NOT_VALUE.contains(x)) {
        return None;
    }
    if ws.first().is_some_and(|f| {
        matches!(
            *f,
            "is" | "has"
                | "num"
                | "max"
                | "min"
                | "show"
                | "validate"
                | "check"
                | "generate"
                | "mask"
                | "masked"
                | "hash"
                | "hashed"
                | "encrypted"
                | "redact"
                | "redacted"
                | "new"
                | "get"
                | "set"
        )
    }) && ws.len() > 1
    {
        return None;
    }
    Some(kind)
}

/// The sensitive identifier passed in a call's arguments (code and
/// interpolated parts only, never plain string text), if any.
fn sensitive_arg(src: &Src, open: usize) -> Option<(&'static str, String)> {
    let (args, close) = src.args(open);
    let whole = src.slice((open, close.min(src.code.len())));
    let lower = whole.to_ascii_lowercase();
    if [
        "mask", "redact", "len(", ".length", "hash", "encrypt", "sha256", "bcrypt",
    ]
    .iter()
    .any(|w| lower.contains(w))
    {
        return None;
    }
    for a in args {
        let ids = src.idents(a);
        for (i, &(s, e, _member)) in ids.iter().enumerate() {
            let id = &src.code[s..e];
            // A member call on the value (`password.length()`) is not the value.
            let next = ids.get(i + 1).map(|&(x, y, m)| (m, &src.code[x..y]));
            if let Some((true, n)) = next
                && matches!(
                    n,
                    "length" | "size" | "isEmpty" | "count" | "Length" | "Count" | "len"
                )
            {
                continue;
            }
            if let Some(k) = sensitive_kind(id) {
                return Some((k, id.to_string()));
            }
        }
    }
    // Structured logging with a sensitive field name and a value:
    // zap.String("password", pw), WithField("token", t).
    for (s, e) in src.strings_in((open, close)) {
        // An unterminated literal can end inside a multi-byte character
        // (found by the skill_banking fuzz target): `get`, not indexing.
        let Some(lit) = src.code.get(s + 1..e.saturating_sub(1).max(s + 1)) else {
            continue;
        };
        let lit = lit.trim();
        if lit.is_empty() || !lit.bytes().all(is_word) {
            continue;
        }
        let after = src.code[e.min(close)..close].trim_start();
        if let (Some(k), Some(rest)) = (sensitive_kind(lit), after.strip_prefix(',')) {
            let rest = rest.trim_start();
            if rest.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
                return Some((k, lit.to_string()));
            }
        }
    }
    None
}

fn logging(src: &Src, hits: &mut Vec<Hit>) {
    for m in src.find_iter(&LOG_CALL) {
        // Extend back over the receiver (`self.logger`, `_logger`).
        let b = src.code.as_bytes();
        let mut s = m.start();
        while s > 0 && (is_word(b[s - 1]) || b[s - 1] == b'.') {
            s -= 1;
        }
        if !src.in_code(s) {
            continue;
        }
        let open = m.end() - 1;
        if let Some((kind, id)) = sensitive_arg(src, open) {
            let (_, close) = src.args(open);
            hits.push(src.hit(
                &SENSITIVE_DATA_LOGGED,
                s,
                (close + 1).min(src.code.len()),
                format!("{kind} (`{id}`) written to a log"),
            ));
        }
    }
}

fn console(src: &Src, hits: &mut Vec<Hit>) {
    let Some((_, call)) = CONSOLE_CALL.iter().find(|(f, _)| *f == src.fam) else {
        return;
    };
    for m in src.find_iter(call) {
        let mut s = m.start();
        while s < m.end() && !is_word(src.code.as_bytes()[s]) {
            s += 1;
        }
        if !src.in_code(s) || after_dot(&src.code, s) {
            continue;
        }
        let open = m.end() - 1;
        let (args, close) = src.args(open);
        let found = sensitive_arg(src, open)
            .map(|(k, id)| format!("{k} (`{id}`)"))
            .or_else(|| {
                args.iter().find_map(|&a| {
                    let t = src.slice(a);
                    SENSITIVE_OBJECT
                        .find(t)
                        .filter(|_| src.in_code(a.0))
                        .map(|x| format!("request data (`{}`)", x.as_str()))
                        .or_else(|| {
                            src.plain_ident(a)
                                .filter(|v| {
                                    matches!(
                                        *v,
                                        "customer"
                                            | "account"
                                            | "card"
                                            | "credentials"
                                            | "creds"
                                            | "user_credentials"
                                            | "session"
                                            | "cookies"
                                    )
                                })
                                .map(|v| format!("`{v}` object"))
                        })
                })
            });
        if let Some(what) = found {
            hits.push(src.hit(
                &CONSOLE_LOG_SENSITIVE,
                s,
                (close + 1).min(src.code.len()),
                format!("{what} printed to the console"),
            ));
        }
    }
}

const MONEY: &[&str] = &[
    "amount",
    "amt",
    "balance",
    "price",
    "fee",
    "fees",
    "cost",
    "payment",
    "principal",
    "salary",
    "charge",
    "charges",
    "tax",
    "subtotal",
    "refund",
    "deposit",
    "withdrawal",
    "money",
    "premium",
    "payout",
    "remittance",
    "loan",
    "debit",
    "credit",
];
const NOT_MONEY: &[&str] = &[
    "rate",
    "ratio",
    "percent",
    "percentage",
    "pct",
    "count",
    "id",
    "score",
    "weight",
    "factor",
    "limit",
    "days",
    "period",
    "term",
    "months",
    "years",
    "index",
    "idx",
    "type",
    "status",
    "flag",
    "currency",
    "code",
    "name",
    "date",
    "time",
    "timestamp",
    "card",
    "cards",
];

/// Whether an identifier names a money amount.
pub fn is_money(ident: &str) -> bool {
    let w = words(ident);
    w.iter().any(|x| MONEY.contains(&x.as_str()))
        && !w.iter().any(|x| NOT_MONEY.contains(&x.as_str()))
}

/// Floating-point type names and conversions per family; the money name is
/// found next to the match (keyword first, so the regex has a literal
/// prefix and the scan stays fast).
static FLOAT_KW: LazyLock<[(u8, Regex); 5]> = LazyLock::new(|| {
    [
        (PY, re(r"\bfloat\b")),
        (JAVA, re(r"\b(?:double|float|Double|Float)\b")),
        (JS, re(r"\b(?:number|parseFloat)\b")),
        (GO, re(r"\bfloat(?:64|32)\b")),
        (CS, re(r"\b(?:double|float|Double|Single)\b")),
    ]
});

/// The identifier ending just before `i`, skipping whitespace and one
/// annotation/assignment operator (`x: float`, `x = float(`, `x?: number`,
/// `X float64`, `x := float64(`).
fn ident_before(code: &str, i: usize) -> Option<&str> {
    let b = code.as_bytes();
    let mut j = i;
    while j > 0 && matches!(b[j - 1], b' ' | b'\t') {
        j -= 1;
    }
    let mut k = j;
    while k > 0 && matches!(b[k - 1], b':' | b'=' | b'?') {
        k -= 1;
    }
    if j - k > 2 {
        return None;
    }
    if k < j && (k > 0 && matches!(b[k - 1], b'=' | b'!' | b'<' | b'>')) {
        return None;
    }
    let mut e = k;
    while e > 0 && b[e - 1] == b' ' {
        e -= 1;
    }
    let mut s = e;
    while s > 0 && is_word(b[s - 1]) {
        s -= 1;
    }
    (s < e).then(|| &code[s..e])
}

/// The identifier starting after `i` (skipping whitespace): `double x`.
fn ident_after(code: &str, i: usize) -> Option<&str> {
    let b = code.as_bytes();
    let mut s = i;
    while s < b.len() && (b[s] == b' ' || b[s] == b'?') {
        s += 1;
    }
    let mut e = s;
    while e < b.len() && is_word(b[e]) {
        e += 1;
    }
    (s < e && s > i).then(|| &code[s..e])
}

/// The last word of a call's first argument (`float(request.form["amount"])`).
fn arg_key(src: &Src, open: usize) -> Option<String> {
    let (args, _) = src.args(open);
    let a = *args.first()?;
    src.text[a.0..a.1]
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .rfind(|w| !w.is_empty() && w.as_bytes()[0].is_ascii_alphabetic())
        .map(str::to_string)
}

fn float_for_money(src: &Src, hits: &mut Vec<Hit>) {
    let Some((_, kw)) = FLOAT_KW.iter().find(|(f, _)| *f == src.fam) else {
        return;
    };
    let b = src.code.as_bytes();
    for m in src.find_iter(kw) {
        let (s, e) = (m.start(), m.end());
        if !src.in_code(s) || after_dot(&src.code, s) {
            continue;
        }
        let mut names: Vec<String> = Vec::new();
        let mut span = (s, e);
        let call = src.code[e..].trim_start().starts_with('(');
        let typed_decl = matches!(src.fam, JAVA | CS) && !call;
        if typed_decl {
            names.extend(ident_after(&src.code, e).map(str::to_string));
            if let Some(n) = ident_after(&src.code, e) {
                let at = src.code[e..].find(n).map(|p| e + p + n.len()).unwrap_or(e);
                span.1 = at;
            }
        }
        // `x: Double` (Kotlin), `x: float`, `x: number`, `X float64`, `x = float(`.
        if let Some(n) = ident_before(&src.code, s)
            && !matches!(
                n,
                "return"
                    | "new"
                    | "val"
                    | "var"
                    | "const"
                    | "let"
                    | "private"
                    | "public"
                    | "static"
                    | "final"
            )
        {
            names.push(n.to_string());
            span.0 = s - (s - src.code[..s].rfind(n).unwrap_or(s));
        }
        if call {
            let open = e + src.code[e..].find('(').unwrap_or(0);
            if b.get(open) == Some(&b'(') {
                names.extend(arg_key(src, open));
                span.1 = (src.args(open).1 + 1).min(src.code.len());
            }
        }
        if let Some(n) = names.iter().find(|n| is_money(n)) {
            hits.push(src.hit(
                &FLOAT_FOR_MONEY,
                span.0.min(s),
                span.1.max(e),
                format!("money value `{n}` held in binary floating point"),
            ));
        }
    }
}

pub fn scan(src: &Src, hits: &mut Vec<Hit>) {
    logging(src, hits);
    console(src, hits);
    float_for_money(src, hits);
}

/// The full-text regexes of this module, for the gate (`super::GATE`).
pub(super) fn gated() -> Vec<&'static Regex> {
    let mut v: Vec<&'static Regex> = vec![&LOG_CALL];
    v.extend(CONSOLE_CALL.iter().map(|(_, r)| r));
    v.extend(FLOAT_KW.iter().map(|(_, r)| r));
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code::testutil::rules_in;

    #[test]
    fn kinds() {
        assert_eq!(sensitive_kind("password"), Some("password"));
        assert_eq!(sensitive_kind("user_password"), Some("password"));
        assert_eq!(sensitive_kind("accessToken"), Some("token"));
        assert_eq!(sensitive_kind("cardNumber"), Some("card number"));
        assert_eq!(sensitive_kind("account_no"), Some("account number"));
        assert_eq!(sensitive_kind("nric"), Some("NRIC"));
        assert_eq!(sensitive_kind("password_length"), None);
        assert_eq!(sensitive_kind("token_count"), None);
        assert_eq!(sensitive_kind("is_password_valid"), None);
        assert_eq!(sensitive_kind("masked_nric"), None);
        assert_eq!(sensitive_kind("account"), None);
        assert_eq!(sensitive_kind("finance"), None);
        assert!(is_money("totalAmount"));
        assert!(is_money("account_balance"));
        assert!(!is_money("interest_rate"));
        assert!(!is_money("credit_card_count"));
    }

    #[test]
    fn sensitive_cases() {
        let cases: &[(&str, &str, &str)] = &[
            (
                "a.py",
                "logger.info(f\"login {username} pw={password}\")",
                "sensitive-data-logged",
            ),
            (
                "a.py",
                "logger.info(\"password reset for %s\", user_id)",
                "",
            ),
            (
                "a.py",
                "logging.debug(\"card=%s\", card_number)",
                "sensitive-data-logged",
            ),
            (
                "a.py",
                "logging.debug(\"card=%s\", mask_card(card_number))",
                "",
            ),
            (
                "a.py",
                "log.info(\"nric %s\", customer.nric)",
                "sensitive-data-logged",
            ),
            (
                "A.java",
                "log.info(\"token={}\", accessToken);",
                "sensitive-data-logged",
            ),
            (
                "A.java",
                "log.info(\"token refreshed for {}\", userId);",
                "",
            ),
            ("A.java", "LOGGER.debug(\"len {}\", password.length());", ""),
            (
                "a.js",
                "logger.info(`user ${user.id} card ${cardNumber}`);",
                "sensitive-data-logged",
            ),
            (
                "a.go",
                "log.Printf(\"password=%s\", password)",
                "sensitive-data-logged",
            ),
            (
                "a.go",
                "logger.Info(\"login\", zap.String(\"password\", pw))",
                "sensitive-data-logged",
            ),
            (
                "a.go",
                "logger.Info(\"login\", zap.String(\"user\", name))",
                "",
            ),
            (
                "A.cs",
                "_logger.LogInformation(\"Account {AccountNumber}\", accountNumber);",
                "sensitive-data-logged",
            ),
            (
                "A.cs",
                "_logger.LogInformation(\"Account {Id}\", accountId);",
                "",
            ),
            // console
            ("a.js", "console.log(req.body);", "console-log-sensitive"),
            (
                "a.js",
                "console.log('password', password);",
                "console-log-sensitive",
            ),
            ("a.js", "console.log('server started on', port);", ""),
            ("a.py", "print(\"token:\", token)", "console-log-sensitive"),
            ("a.py", "print(\"Enter your password\")", ""),
            (
                "A.java",
                "System.out.println(\"pin=\" + pin);",
                "console-log-sensitive",
            ),
            ("a.go", "fmt.Println(\"otp\", otp)", "console-log-sensitive"),
            (
                "A.cs",
                "Console.WriteLine($\"NRIC {nric}\");",
                "console-log-sensitive",
            ),
            ("A.cs", "Console.WriteLine(\"done\");", ""),
            // float for money
            (
                "a.py",
                "amount = float(request.form[\"amount\"])",
                "float-for-money",
            ),
            ("a.py", "amount = Decimal(request.form[\"amount\"])", ""),
            ("a.py", "balance: float = 0.0", "float-for-money"),
            ("a.py", "ratio: float = 0.5", ""),
            ("A.java", "private double balance;", "float-for-money"),
            ("A.java", "private BigDecimal balance;", ""),
            ("A.java", "double interestRate = 0.05;", ""),
            (
                "A.kt",
                "data class Payment(val amount: Double)",
                "float-for-money",
            ),
            (
                "a.ts",
                "interface Txn { amount: number; id: string }",
                "float-for-money",
            ),
            (
                "a.js",
                "const fee = parseFloat(input.fee);",
                "float-for-money",
            ),
            (
                "a.go",
                "type Account struct { Balance float64 }",
                "float-for-money",
            ),
            (
                "a.go",
                "type Account struct { Balance decimal.Decimal }",
                "",
            ),
            (
                "A.cs",
                "public double Amount { get; set; }",
                "float-for-money",
            ),
            ("A.cs", "public decimal Amount { get; set; }", ""),
        ];
        let mut failures = Vec::new();
        for (path, code, want) in cases {
            let got = rules_in(path, code);
            let ok = if want.is_empty() {
                got.is_empty()
            } else {
                got.contains(want)
            };
            if !ok {
                failures.push(format!("{path}: {code:?} want {want:?} got {got:?}"));
            }
        }
        assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    }
}
