//! Shared helpers: secret-shape detection and masking, globbing (and the
//! SDK's [`Hit`], re-exported for the detectors). (Candidates for the SDK: `looks_like_secret`,
//! `mask_secrets_in_words`, `glob_match`.)

use kiro_guard_skill::mask::mask_secret;
use kiro_guard_skill::text::shannon_entropy;

pub use kiro_guard_skill::Hit;

const SECRET_PREFIXES: &[&str] = &[
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "github_pat_",
    "glpat-",
    "xoxb-",
    "xoxp-",
    "xoxa-",
    "xoxr-",
    "xoxs-",
    "sk-",
    "sk_live_",
    "rk_live_",
    "akia",
    "asia",
    "aiza",
    "npm_",
    "pypi-",
    "hf_",
    "shpat_",
    "dop_v1_",
];

/// Whether a value has the shape of a credential: a known token prefix with
/// enough length, a JWT, or a long high-entropy alphanumeric string.
pub fn looks_like_secret(v: &str) -> bool {
    let v = v.trim();
    if v.len() < 12 || v.len() > 4096 {
        return false;
    }
    let lower = v.to_ascii_lowercase();
    if SECRET_PREFIXES
        .iter()
        .any(|p| lower.starts_with(p) && v.len() >= p.len() + 12)
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-".contains(&b))
    {
        return true;
    }
    if lower.starts_with("eyj") && v.matches('.').count() == 2 && v.len() > 30 {
        return true;
    }
    if v.len() >= 24
        && !v.contains('/')
        && !v.contains(' ')
        && v.bytes().any(|b| b.is_ascii_digit())
        && ((v.bytes().any(|b| b.is_ascii_uppercase())
            && v.bytes().any(|b| b.is_ascii_lowercase()))
            || (v.len() >= 32 && v.bytes().all(|b| b.is_ascii_hexdigit())))
        && !v.trim_end_matches('=').contains('=')
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-+=.".contains(&b))
        && shannon_entropy(v) > 3.8
    {
        return true;
    }
    false
}

/// Whether a key/variable name suggests it holds a credential.
pub fn secret_key_name(k: &str) -> bool {
    let k = k.to_ascii_lowercase();
    [
        "token",
        "secret",
        "password",
        "passwd",
        "pwd",
        "apikey",
        "api_key",
        "api-key",
        "access_key",
        "accesskey",
        "private_key",
        "privatekey",
        "credential",
        "auth",
        "bearer",
        "session",
        "_pat",
        "pat_",
        "client_secret",
    ]
    .iter()
    .any(|w| k.contains(w))
        || k == "pat"
}

/// Whether a literal value is an obvious placeholder rather than a secret.
pub fn is_placeholder(v: &str) -> bool {
    let l = v.trim().to_ascii_lowercase();
    l.is_empty()
        || l.starts_with('<')
        || l.starts_with("${")
        || l.starts_with('$')
        || l.starts_with("{{")
        || l.starts_with("%")
        || [
            "your",
            "xxx",
            "changeme",
            "placeholder",
            "example",
            "replace",
            "todo",
            "redacted",
            "dummy",
            "***",
        ]
        .iter()
        .any(|w| l.contains(w))
}

/// Mask one shell word if it (or the value of a `KEY=VALUE` / `--opt=VALUE`
/// word) looks like a secret; URL credentials `scheme://user:pass@` too.
pub fn mask_word(w: &str, prev: Option<&str>) -> String {
    if let Some(p) = prev {
        let p = p.to_ascii_lowercase();
        if (p.starts_with('-') && secret_key_name(&p) || p == "-p" || p == "-u")
            && !w.starts_with('-')
            && !w.is_empty()
        {
            return mask_secret(w);
        }
    }
    if looks_like_secret(w) {
        return mask_secret(w);
    }
    if let Some((k, v)) = w.split_once('=')
        && !v.is_empty()
        && (secret_key_name(k) || looks_like_secret(v))
        && !is_placeholder(v)
    {
        return format!("{k}={}", mask_secret(v));
    }
    if let Some(i) = w.find("://") {
        let rest = &w[i + 3..];
        if let Some(at) = rest.find('@') {
            let userinfo = &rest[..at];
            if let Some((u, p)) = userinfo.split_once(':')
                && !p.is_empty()
            {
                return format!("{}{}:{}{}", &w[..i + 3], u, mask_secret(p), &rest[at..]);
            }
        }
    }
    // "Authorization: Bearer xyz" inside one word
    let lower = w.to_ascii_lowercase();
    if let Some(i) = lower.find("bearer ") {
        return format!("{}{}", &w[..i + 7], mask_secret(&w[i + 7..]));
    }
    w.to_string()
}

/// Quote a word for display as a shell word.
pub fn shell_quote(w: &str) -> String {
    if !w.is_empty()
        && w.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:=@%+,~*^{}[]".contains(&b) || b >= 0x80)
    {
        w.to_string()
    } else {
        format!("'{}'", w.replace('\'', "'\\''"))
    }
}

/// Glob with `*` (any run, including `/`) and `?`; case-sensitive.
pub fn glob_match(pat: &str, s: &str) -> bool {
    let p: Vec<char> = pat.chars().collect();
    let t: Vec<char> = s.chars().collect();
    let (mut pi, mut ti) = (0usize, 0usize);
    let (mut star, mut mark) = (None::<usize>, 0usize);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(sp) = star {
            pi = sp + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

/// Truncate for evidence (on a char boundary), appending an ellipsis.
pub fn clip(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let end = kiro_guard_skill::text::floor_char_boundary(s, max);
    format!("{}…", &s[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_and_masks() {
        let tok = format!("ghp_{}", "Ab1".repeat(12));
        assert!(looks_like_secret(&tok));
        assert!(!looks_like_secret("feature/add-payments"));
        assert!(!looks_like_secret("${GITHUB_TOKEN}"));
        let m = mask_word(&format!("GITHUB_TOKEN={tok}"), None);
        assert!(m.starts_with("GITHUB_TOKEN=ghp_") && !m.contains(&tok));
        let url = format!("https://bob:{}@example.com/x", "s3cr3tPassw0rd");
        assert!(!mask_word(&url, None).contains("s3cr3tPassw0rd"));
        assert!(!mask_word("hunter22pass", Some("--password")).contains("hunter22"));
    }

    #[test]
    fn globs() {
        assert!(glob_match("release/*", "release/1.2"));
        assert!(glob_match("main", "main"));
        assert!(!glob_match("main", "mainline"));
        assert!(glob_match("*", ""));
        assert!(!glob_match("release/*", "feature/release"));
    }
}
