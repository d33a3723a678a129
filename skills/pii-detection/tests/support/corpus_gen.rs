//! A deterministic generator of labelled lines for the corpus test, the
//! Presidio comparison (`examples/pii_dump_corpus.rs`) and the throughput example.
//!
//! Nothing here is a literal personal value: NRICs, cards, UENs and IBANs are
//! computed from an LCG seed with the checksum algorithms, so the repository
//! never contains a real-looking value.
//!
//! Labelling convention: a positive line contains exactly one value of one
//! rule, and the label is that rule id and the exact text the finding's span
//! must cover. Rules defined by context (bank accounts, postal codes, dates of
//! birth, SWIFT/IBAN, passports with context) are labelled only where the
//! context the rule requires is present, as the issue defines them. Negative
//! lines contain no personal data; half of them are hard negatives built to
//! look like it (timestamps, millisecond epochs, order ids, UUIDs, hashes,
//! versions, IPs, coordinates, prices, sizes, Luhn-invalid cards,
//! wrong-check-letter NRICs, placeholder emails).

#![allow(dead_code)]

use kiro_guard_skill::checksum;

/// A small LCG (Knuth MMIX constants); no external crate.
pub struct Lcg(u64);

impl Lcg {
    pub fn new(seed: u64) -> Lcg {
        Lcg(seed ^ 0x9e37_79b9_7f4a_7c15)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
    pub fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }
    pub fn hex(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b"0123456789abcdef"[self.below(16) as usize]))
            .collect()
    }
    pub fn chance(&mut self, pct: u64) -> bool {
        self.below(100) < pct
    }
}

/// One labelled line.
#[derive(Debug, Clone)]
pub struct Line {
    pub lang: &'static str,
    pub text: String,
    /// `Some((rule id, exact value))` for a positive line.
    pub label: Option<(&'static str, String)>,
    /// What kind of negative this is (for reports), or the value kind.
    pub kind: &'static str,
}

pub const LANGS: &[&str] = &[
    "python",
    "java",
    "typescript",
    "json",
    "yaml",
    "sql",
    "csv",
    "log",
    "markdown",
];

/// Path used for a language (the scanner takes the language from it).
pub fn path_for(lang: &str) -> &'static str {
    match lang {
        "python" => "src/app/customers.py",
        "java" => "src/main/java/sg/bank/Customer.java",
        "typescript" => "web/src/customer.ts",
        "json" => "config/customer.json",
        "yaml" => "deploy/customer.yaml",
        "sql" => "db/seed.sql",
        "csv" => "data/export.csv",
        "log" => "logs/app.log",
        _ => "docs/customer.md",
    }
}

// ---- valid values, computed -------------------------------------------------

pub fn nric(r: &mut Lcg) -> String {
    let prefix = *r.pick(&['S', 'T', 'F', 'G', 'M']);
    let d = r.digits(7);
    let mut arr = [0u8; 7];
    for (i, c) in d.bytes().enumerate() {
        arr[i] = c - b'0';
    }
    let check = checksum::nric_check_letter(prefix, &arr).unwrap();
    let v = format!("{prefix}{d}{check}");
    if r.chance(10) {
        v.to_ascii_lowercase()
    } else {
        v
    }
}

/// An NRIC-shaped value whose check letter is wrong.
pub fn nric_invalid(r: &mut Lcg) -> String {
    loop {
        let prefix = *r.pick(&['S', 'T', 'F', 'G', 'M']);
        let letter = char::from(b'A' + r.below(26) as u8);
        let v = format!("{prefix}{}{letter}", r.digits(7));
        if !checksum::nric_valid(&v) {
            return v;
        }
    }
}

fn luhn_digit(partial: &str) -> char {
    for c in b'0'..=b'9' {
        let s = format!("{partial}{}", c as char);
        if checksum::luhn_valid(&s) {
            return c as char;
        }
    }
    unreachable!()
}

/// A Luhn-valid PAN of a random brand, contiguous, spaced or dashed.
pub fn card(r: &mut Lcg) -> String {
    let (prefix, len): (String, usize) = match r.below(6) {
        0 | 1 => ("4".into(), 16),
        2 => (format!("5{}", 1 + r.below(5)), 16),
        3 => (format!("{}", 2221 + r.below(500)), 16),
        4 => (r.pick(&["34", "37"]).to_string(), 15),
        _ => (format!("{}", 3528 + r.below(60)), 16),
    };
    let body = format!("{prefix}{}", r.digits(len - 1 - prefix.len()));
    let pan = format!("{body}{}", luhn_digit(&body));
    format_card(r, &pan)
}

/// A brand-prefixed number that fails the Luhn check.
pub fn card_invalid(r: &mut Lcg) -> String {
    let body = format!("4{}", r.digits(14));
    let good = luhn_digit(&body);
    let bad = char::from(b'0' + ((good as u8 - b'0' + 1 + r.below(8) as u8) % 10));
    let pan = format!("{body}{bad}");
    format_card(r, &pan)
}

fn format_card(r: &mut Lcg, pan: &str) -> String {
    let sep = match r.below(3) {
        0 => return pan.to_string(),
        1 => ' ',
        _ => '-',
    };
    let groups: &[usize] = if pan.len() == 15 {
        &[4, 6, 5]
    } else {
        &[4, 4, 4, 4]
    };
    let mut out = String::new();
    let mut i = 0;
    for (k, g) in groups.iter().enumerate() {
        if k > 0 {
            out.push(sep);
        }
        out.push_str(&pan[i..i + g]);
        i += g;
    }
    out
}

pub fn account(r: &mut Lcg) -> String {
    match r.below(3) {
        0 => r.digits(10),
        1 => format!("{}-{}-{}", r.digits(3), r.digits(6), r.digits(1)),
        _ => format!("{}-{}-{}", r.digits(3), r.digits(6), r.digits(3)),
    }
}

pub fn phone(r: &mut Lcg) -> String {
    let first = *r.pick(&['6', '8', '9']);
    let rest = r.digits(7);
    let n = format!("{first}{rest}");
    match r.below(4) {
        0 => n,
        1 => format!("{} {}", &n[..4], &n[4..]),
        2 => format!("+65 {} {}", &n[..4], &n[4..]),
        _ => format!("+65{n}"),
    }
}

pub fn postal(r: &mut Lcg) -> String {
    format!("{:02}{}", 1 + r.below(82), r.digits(4))
}

pub fn email(r: &mut Lcg) -> String {
    let first = r.pick(&["tan", "lim", "wei", "siti", "raj", "mei", "ahmad", "chen"]);
    let last = r.pick(&["kok", "ong", "ling", "nur", "kumar", "hui", "ng", "goh"]);
    let dom = r.pick(&[
        "gmail.com",
        "yahoo.com.sg",
        "hotmail.com",
        "outlook.com",
        "singnet.com.sg",
    ]);
    format!("{first}.{last}{}@{dom}", r.below(90) + 10)
}

pub fn dob(r: &mut Lcg) -> String {
    let y = 1950 + r.below(56);
    let m = 1 + r.below(12);
    let d = 1 + r.below(28);
    match r.below(3) {
        0 => format!("{y}-{m:02}-{d:02}"),
        1 => format!("{d:02}/{m:02}/{y}"),
        _ => {
            let mon = [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ];
            format!("{d} {} {y}", mon[m as usize - 1])
        }
    }
}

pub fn uen(r: &mut Lcg) -> String {
    loop {
        let base = if r.chance(50) {
            r.digits(8)
        } else {
            format!("{}{}", 1990 + r.below(35), r.digits(5))
        };
        for c in b'A'..=b'Z' {
            let v = format!("{base}{}", c as char);
            if checksum::uen_valid(&v, 2026) {
                return v;
            }
        }
    }
}

pub fn passport(r: &mut Lcg) -> String {
    format!(
        "{}{}{}",
        r.pick(&['E', 'K']),
        r.digits(7),
        char::from(b'A' + r.below(26) as u8)
    )
}

pub fn bic(r: &mut Lcg) -> String {
    r.pick(&[
        "DBSSSGSG",
        "OCBCSGSG",
        "UOVBSGSG",
        "SCBLSGSG",
        "HSBCSGSGXXX",
        "CITISGSG",
    ])
    .to_string()
}

pub fn iban(r: &mut Lcg) -> String {
    // DE + check + 18 digits; check digits so that mod 97 == 1.
    let bban = r.digits(18);
    let numeric = format!("{bban}131400"); // D=13 E=14, "00"
    let rem = numeric
        .bytes()
        .fold(0u64, |a, c| (a * 10 + (c - b'0') as u64) % 97);
    let check = 98 - rem;
    let v = format!("DE{check:02}{bban}");
    if r.chance(50) {
        v.as_bytes()
            .chunks(4)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        v
    }
}

// ---- rendering --------------------------------------------------------------

fn camel(key: &str) -> String {
    let mut out = String::new();
    let mut up = false;
    for c in key.chars() {
        if c == '_' {
            up = true;
        } else if up {
            out.push(c.to_ascii_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// A line of `lang` assigning/printing `value` under `key` (a string value
/// unless `numeric`).
pub fn render(r: &mut Lcg, lang: &str, key: &str, value: &str, numeric: bool) -> String {
    let q = if numeric { "" } else { "\"" };
    match lang {
        "python" => match r.below(3) {
            0 => format!("    {key} = {q}{value}{q}"),
            1 => format!("    record[\"{key}\"] = {q}{value}{q}"),
            _ => format!("    logger.info(\"{key}=%s\", {q}{value}{q})"),
        },
        "java" => {
            let t = if numeric { "long" } else { "String" };
            match r.below(2) {
                0 => format!("        {t} {} = {q}{value}{q};", camel(key)),
                _ => format!("        customer.set{}({q}{value}{q});", {
                    let c = camel(key);
                    let mut cs = c.chars();
                    cs.next()
                        .map(|f| f.to_ascii_uppercase().to_string() + cs.as_str())
                        .unwrap_or_default()
                }),
            }
        }
        "typescript" => match r.below(2) {
            0 => format!("  const {} = {q}{value}{q};", camel(key)),
            _ => format!("  {}: {q}{value}{q},", camel(key)),
        },
        "json" => format!("  \"{}\": {q}{value}{q},", camel(key)),
        "yaml" => format!("  {key}: {value}"),
        // UPDATE ... SET keeps the column next to the value; a multi-row
        // INSERT puts them apart, which the context rules cannot see (a
        // documented limitation).
        "sql" => {
            let sq = if numeric { "" } else { "'" };
            format!(
                "UPDATE customer_profile SET {key} = {sq}{value}{sq} WHERE id = {};",
                r.below(1000)
            )
        }
        "csv" => format!(
            "{},{key},{value},{}",
            1000 + r.below(9000),
            r.pick(&["active", "closed", "pending"])
        ),
        "log" => format!(
            "2024-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z INFO [svc-{}] {key}={value} request_id={}",
            1 + r.below(12),
            1 + r.below(28),
            r.below(24),
            r.below(60),
            r.below(60),
            r.below(1000),
            r.pick(&["onboarding", "payments", "kyc"]),
            r.hex(8)
        ),
        _ => match r.below(2) {
            0 => format!("| {key} | {value} |"),
            _ => format!("- **{key}**: {value}"),
        },
    }
}

// ---- the corpus -------------------------------------------------------------

/// Positive kinds with their weight (NRIC/FIN and cards get more lines).
const POSITIVES: &[&str] = &[
    "nric", "nric", "nric", "card", "card", "card", "account", "phone", "postal", "email", "dob",
    "uen", "passport", "bic", "iban", "nric", "card", "phone", "email", "account",
];

fn positive(r: &mut Lcg, lang: &'static str, kind: &'static str) -> Line {
    let (rule, key, value): (&'static str, &str, String) = match kind {
        "nric" => (
            "nric-fin",
            *r.pick(&["nric", "customer_nric", "id_no", "fin", "holder_id"]),
            nric(r),
        ),
        "card" => (
            "payment-card",
            *r.pick(&["card_number", "pan", "cc", "card"]),
            card(r),
        ),
        "account" => (
            "bank-account",
            *r.pick(&["account_no", "bank_account", "acct", "account_number"]),
            account(r),
        ),
        "phone" => (
            "sg-phone",
            *r.pick(&["mobile", "phone", "contact_no", "tel"]),
            phone(r),
        ),
        "postal" => {
            let v = postal(r);
            let key = *r.pick(&["postal_code", "address"]);
            let value = if key == "address" {
                format!("10 Anson Road Singapore {v}")
            } else {
                v.clone()
            };
            let text = render(r, lang, key, &value, false);
            return Line {
                lang,
                text,
                label: Some(("sg-postal-code", v)),
                kind,
            };
        }
        "email" => (
            "email",
            *r.pick(&["email", "contact_email", "notify"]),
            email(r),
        ),
        "dob" => (
            "date-of-birth",
            *r.pick(&["dob", "date_of_birth", "birth_date"]),
            dob(r),
        ),
        "uen" => ("uen", *r.pick(&["uen", "company_uen", "entity"]), uen(r)),
        "passport" => (
            "sg-passport",
            *r.pick(&["passport_no", "passport"]),
            passport(r),
        ),
        "bic" => ("swift-bic", *r.pick(&["swift_code", "bic"]), bic(r)),
        _ => ("iban", *r.pick(&["iban", "beneficiary_iban"]), iban(r)),
    };
    let text = render(r, lang, key, &value, false);
    Line {
        lang,
        text,
        label: Some((rule, value)),
        kind,
    }
}

/// Negative kinds: the first half are ordinary code, the rest hard negatives.
const NEGATIVES: &[&str] = &[
    "plain",
    "plain",
    "plain",
    "plain",
    "plain",
    "plain",
    "plain",
    "plain",
    "plain",
    "plain",
    "plain",
    "plain",
    "plain",
    "plain",
    "plain",
    "plain",
    "ms_epoch",
    "epoch",
    "order_id",
    "uuid",
    "sha",
    "version",
    "ip",
    "coords",
    "price",
    "size",
    "card_luhn_bad",
    "nric_bad",
    "date",
    "otp",
    "placeholder_email",
    "txn_id",
    "timeout",
    "hex_color",
    "long_order",
    "build",
    "nric_bad_ctx",
    "url_id",
    "isbn",
    "masked_card",
    "partial_nric",
    "mac",
    "account_ts",
    "dob_verified",
    "bank_name",
    "swift_lang",
    "iban_bad",
    "semver_build",
    "short_sha",
];

fn negative(r: &mut Lcg, lang: &'static str, kind: &'static str) -> Line {
    let (key, value, numeric): (&str, String, bool) = match kind {
        "plain" => {
            let text = match lang {
                "python" => r
                    .pick(&[
                        "    return total + fee",
                        "def handler(event, context):",
                        "    if not items:",
                        "    for row in rows:",
                        "import logging",
                    ])
                    .to_string(),
                "java" => r
                    .pick(&[
                        "    public Customer findById(long id) {",
                        "        return repository.save(entity);",
                        "import java.util.List;",
                        "    @Override",
                    ])
                    .to_string(),
                "typescript" => r
                    .pick(&[
                        "export function total(items: Item[]): number {",
                        "  return items.reduce((a, b) => a + b.price, 0);",
                        "import { Injectable } from '@angular/core';",
                        "}",
                    ])
                    .to_string(),
                "json" => r
                    .pick(&[
                        "  \"enabled\": true,",
                        "  \"retries\": 3,",
                        "  \"name\": \"onboarding\",",
                    ])
                    .to_string(),
                "yaml" => r
                    .pick(&[
                        "  replicas: 3",
                        "kind: Deployment",
                        "  image: registry.local/app:latest",
                        "    - name: http",
                    ])
                    .to_string(),
                "sql" => r
                    .pick(&[
                        "SELECT id, status FROM orders WHERE status = 'open';",
                        "CREATE INDEX idx_orders_status ON orders(status);",
                        "COMMIT;",
                    ])
                    .to_string(),
                "csv" => r
                    .pick(&[
                        "id,name,status,count",
                        "17,widget,active,3",
                        "18,gadget,closed,12",
                    ])
                    .to_string(),
                "log" => format!(
                    "2024-05-0{}T08:00:00Z INFO [svc] health check ok in {}ms",
                    1 + r.below(9),
                    r.below(900)
                ),
                _ => r
                    .pick(&[
                        "## Configuration",
                        "Run `make test` before pushing.",
                        "See the architecture notes for details.",
                    ])
                    .to_string(),
            };
            return Line {
                lang,
                text,
                label: None,
                kind,
            };
        }
        "ms_epoch" => ("created_ts", format!("17{}", r.digits(11)), true),
        "epoch" => ("created_at", format!("17{}", r.digits(8)), true),
        "order_id" => ("order_id", format!("ORD-2024-{}", r.digits(6)), false),
        "uuid" => (
            "request_id",
            format!(
                "{}-{}-4{}-a{}-{}",
                r.hex(8),
                r.hex(4),
                r.hex(3),
                r.hex(3),
                r.hex(12)
            ),
            false,
        ),
        "sha" => ("commit", r.hex(40), false),
        "version" => (
            "version",
            format!("{}.{}.{}", r.below(5), r.below(30), r.below(100)),
            false,
        ),
        "ip" => (
            "host",
            format!("10.{}.{}.{}", r.below(255), r.below(255), r.below(255)),
            false,
        ),
        "coords" => (
            "location",
            format!("1.{}, 103.{}", r.digits(6), r.digits(6)),
            false,
        ),
        "price" => (
            "amount",
            format!("{}.{}", 100 + r.below(90000), r.digits(2)),
            true,
        ),
        "size" => (
            "max_bytes",
            r.pick(&["33554432", "67108864", "16777216", "8388608"])
                .to_string(),
            true,
        ),
        "card_luhn_bad" => ("card_number", card_invalid(r), false),
        "nric_bad" => (*r.pick(&["ref", "code", "sample"]), nric_invalid(r), false),
        // With an NRIC label: not an nric-fin finding (at most the
        // nric-fin-invalid-checksum info, which the metrics leave out).
        "nric_bad_ctx" => ("nric", nric_invalid(r), false),
        "date" => (
            "created",
            format!(
                "20{:02}-{:02}-{:02}",
                r.below(25),
                1 + r.below(12),
                1 + r.below(28)
            ),
            false,
        ),
        "otp" => ("otp", r.digits(6), false),
        "placeholder_email" => (
            "email",
            format!(
                "{}@{}",
                r.pick(&["jane.doe", "noreply", "user"]),
                r.pick(&["example.com", "example.org", "test.local", "bank.test"])
            ),
            false,
        ),
        "txn_id" => ("txn", format!("TXN{}", r.digits(8)), false),
        "timeout" => (
            "timeout_ms",
            r.pick(&["86400000", "60000", "30000000"]).to_string(),
            true,
        ),
        "hex_color" => ("color", format!("#{}", r.hex(6)), false),
        "long_order" => ("order_id", format!("4{}", r.digits(15)), true),
        "url_id" => (
            "url",
            format!("/api/v1/orders/{}{}", r.pick(&['6', '8', '9']), r.digits(7)),
            false,
        ),
        "isbn" => (
            "isbn",
            format!(
                "978-{}-{}-{}-{}",
                r.digits(1),
                r.digits(3),
                r.digits(5),
                r.digits(1)
            ),
            false,
        ),
        "masked_card" => (
            "card_number",
            format!("4111 **** **** {}", r.digits(4)),
            false,
        ),
        "partial_nric" => (
            "nric",
            format!("***{}{}", r.digits(3), r.pick(&['A', 'D', 'J', 'Z'])),
            false,
        ),
        "mac" => (
            "mac",
            format!(
                "{}:{}:{}:{}:{}:{}",
                r.hex(2),
                r.hex(2),
                r.hex(2),
                r.hex(2),
                r.hex(2),
                r.hex(2)
            ),
            false,
        ),
        "account_ts" => ("account.created_at", format!("17{}", r.digits(8)), true),
        "dob_verified" => (
            "dob_verified_at",
            format!("2024-{:02}-{:02}", 1 + r.below(12), 1 + r.below(28)),
            false,
        ),
        "bank_name" => (
            "payment_hint",
            r.pick(&["Pay via DBS PayLah", "OCBC Pay Anyone", "UOB TMRW app"])
                .to_string(),
            false,
        ),
        "swift_lang" => (
            "lang",
            r.pick(&["Swift 5.9", "SwiftUI", "swift-format"])
                .to_string(),
            false,
        ),
        "iban_bad" => (
            "iban",
            {
                let v = iban(r).replace(' ', "");
                let last = v.as_bytes()[v.len() - 1];
                format!(
                    "{}{}",
                    &v[..v.len() - 1],
                    char::from(b'0' + (last - b'0' + 1) % 10)
                )
            },
            false,
        ),
        "semver_build" => (
            "version",
            format!("1.{}.{}+build.{}", r.below(20), r.below(20), r.digits(8)),
            false,
        ),
        "short_sha" => ("commit", r.hex(7), false),
        _ => ("build", format!("{}.{}", r.digits(8), r.digits(4)), false),
    };
    let text = render(r, lang, key, &value, numeric);
    Line {
        lang,
        text,
        label: None,
        kind,
    }
}

/// The corpus: for every language, `per_lang` positive and `per_lang`
/// negative lines, interleaved.
pub fn corpus(seed: u64, per_lang: usize) -> Vec<Line> {
    let mut r = Lcg::new(seed);
    let mut out = Vec::new();
    for (li, lang) in LANGS.iter().enumerate() {
        for i in 0..per_lang {
            let pk = POSITIVES[(i + li * 7) % POSITIVES.len()];
            out.push(positive(&mut r, lang, pk));
            let nk = NEGATIVES[(i + li * 11) % NEGATIVES.len()];
            out.push(negative(&mut r, lang, nk));
        }
    }
    out
}
