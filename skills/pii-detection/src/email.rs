//! Email addresses, found from each `@`. Documentation and placeholder
//! domains (RFC 2606/6761: example.*, .test, .invalid, .localhost) and
//! no-reply or service mailboxes are not personal data.

use crate::rules::EMAIL;
use crate::scan::Scanner;

/// Top-level "domains" that are really file extensions (`icon@2x.png`).
const FILE_EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "bmp", "js", "mjs", "cjs", "ts", "tsx",
    "jsx", "css", "scss", "less", "json", "py", "rb", "go", "rs", "java", "kt", "html", "htm",
    "xml", "yml", "yaml", "md", "txt", "pdf", "zip", "gz", "tgz", "tar", "map", "lock", "toml",
    "ini", "sh", "bat", "exe", "dll", "so", "class", "jar", "war", "wasm", "woff", "ttf", "eot",
    "mp3", "mp4", "mov", "avi", "csv", "log", "vue", "php", "swift", "cpp", "hpp", "cs", "sql",
    "proto", "dart", "scala", "lua", "pl", "ps", "tf",
];
/// Placeholder domains (exact, or any sub-domain of them).
const PLACEHOLDER_DOMAINS: &[&str] = &[
    "localhost",
    "test.com",
    "domain.com",
    "yourdomain.com",
    "yourcompany.com",
    "company.com",
    "acme.com",
    "foo.com",
    "bar.com",
];
/// Reserved top-level domains that never deliver mail.
const PLACEHOLDER_TLDS: &[&str] = &[
    "test",
    "example",
    "invalid",
    "localhost",
    "local",
    "internal",
];
/// Mailboxes that are not a person.
const SERVICE_LOCALS: &[&str] = &[
    "noreply",
    "no-reply",
    "donotreply",
    "do-not-reply",
    "mailer-daemon",
    "postmaster",
    "git",
];

#[inline]
fn local_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-')
}

#[inline]
fn domain_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-')
}

/// Whether `domain` (lower-case) is `d` or a sub-domain of `d`.
fn is_under(domain: &str, d: &str) -> bool {
    domain == d
        || (domain.len() > d.len()
            && domain.ends_with(d)
            && domain.as_bytes()[domain.len() - d.len() - 1] == b'.')
}

/// Whether a syntactically valid email is a placeholder or a service mailbox.
pub fn is_placeholder(local: &str, domain: &str) -> bool {
    let domain = domain.to_ascii_lowercase();
    let tld = domain.rsplit('.').next().unwrap_or("");
    domain.split('.').any(|l| l == "example" || l == "noreply")
        || PLACEHOLDER_TLDS.contains(&tld)
        || PLACEHOLDER_DOMAINS.iter().any(|d| is_under(&domain, d))
        || SERVICE_LOCALS.iter().any(|s| local.eq_ignore_ascii_case(s))
}

impl Scanner<'_> {
    pub(crate) fn email_pass(&mut self) {
        let text = self.text;
        let b = self.b;
        let mut from = 0;
        while let Some(p) = text[from..].find('@') {
            let at = from + p;
            from = at + 1;
            // Local part, leftwards (at most 64 bytes).
            let mut ls = at;
            while ls > 0 && at - ls < 64 && local_byte(b[ls - 1]) {
                ls -= 1;
            }
            while ls < at && matches!(b[ls], b'.' | b'-' | b'+') {
                ls += 1;
            }
            if ls == at || b[at - 1] == b'.' {
                continue;
            }
            // `scheme://user:password@host`: URL credentials (a secret for
            // banking-code-review), not an email address.
            if ls > 0 && matches!(b[ls - 1], b':' | b'/') && url_userinfo(b, ls) {
                continue;
            }
            // Domain, rightwards.
            let mut de = at + 1;
            while de < b.len() && de - at <= 253 && domain_byte(b[de]) {
                de += 1;
            }
            while de > at + 1 && matches!(b[de - 1], b'.' | b'-') {
                de -= 1;
            }
            let domain = &text[at + 1..de];
            if !valid_domain(domain) {
                continue;
            }
            from = de;
            let local = &text[ls..at];
            let settings = self.opts.settings;
            if settings.ignore_placeholder_emails && is_placeholder(local, domain) {
                continue;
            }
            let lower = domain.to_ascii_lowercase();
            if settings
                .allow_email_domains
                .iter()
                .any(|d| is_under(&lower, d))
            {
                continue;
            }
            self.push(&EMAIL, ls, de, EMAIL.severity, "Email address");
        }
    }
}

/// Whether `ls` is inside the userinfo of a URL: `://` earlier in the same
/// whitespace-free token.
fn url_userinfo(b: &[u8], ls: usize) -> bool {
    let lo = ls.saturating_sub(128);
    let token_start = b[lo..ls]
        .iter()
        .rposition(|c| c.is_ascii_whitespace() || matches!(c, b'"' | b'\'' | b'`' | b'(' | b'<'))
        .map_or(lo, |p| lo + p + 1);
    b[token_start..ls].windows(3).any(|w| w == b"://")
}

fn valid_domain(domain: &str) -> bool {
    if domain.len() < 4 || !domain.contains('.') {
        return false;
    }
    let mut labels = domain.split('.');
    let tld = domain.rsplit('.').next().unwrap_or("");
    if tld.len() < 2
        || !tld.bytes().all(|c| c.is_ascii_alphabetic())
        || FILE_EXTENSIONS.iter().any(|e| tld.eq_ignore_ascii_case(e))
    {
        return false;
    }
    labels.all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-'))
}
