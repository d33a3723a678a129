//! Masking: evidence that can be shown to a model, a terminal or an auditor.
//!
//! Every helper here returns a string that never contains the full value.

/// Keep `prefix` leading and `suffix` trailing characters, replace the rest
/// with `*`. When the value is too short to keep both and still hide
/// something, only the last `suffix` characters (at most half) are kept.
pub fn mask_middle(value: &str, prefix: usize, suffix: usize) -> String {
    let chars: Vec<char> = value.chars().collect();
    let n = chars.len();
    if n == 0 {
        return String::new();
    }
    let (p, s) = if prefix + suffix < n && (prefix + suffix) * 2 <= n + prefix {
        (prefix, suffix)
    } else {
        (0, suffix.min(n / 2))
    };
    let mut out = String::with_capacity(n);
    for (i, c) in chars.iter().enumerate() {
        if i < p || i >= n - s || c.is_whitespace() || *c == '-' {
            out.push(*c);
        } else {
            out.push('*');
        }
    }
    out
}

/// NRIC/FIN as the NRIC guidelines allow: prefix letter, last 3 digits and
/// check letter (`S****567D`).
pub fn mask_nric(value: &str) -> String {
    let chars: Vec<char> = value
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    if chars.len() != 9 {
        return mask_middle(value, 0, 2);
    }
    let mut out = String::new();
    out.push(chars[0]);
    out.push_str("****");
    out.extend(&chars[5..9]);
    out
}

/// Payment card number: the last 4 digits only, separators preserved
/// (PCI DSS 3.4.1 allows BIN + last 4; last 4 is safer for logs).
pub fn mask_card(value: &str) -> String {
    mask_digits_keep_last(value, 4)
}

/// Account numbers and phone numbers: last 4 digits; separators kept.
pub fn mask_digits_keep_last(value: &str, keep: usize) -> String {
    let total = value.chars().filter(|c| c.is_ascii_digit()).count();
    let mut seen = 0;
    value
        .chars()
        .map(|c| {
            if c.is_ascii_digit() {
                seen += 1;
                if seen > total.saturating_sub(keep) && total > keep {
                    c
                } else {
                    '*'
                }
            } else {
                c
            }
        })
        .collect()
}

/// Email: first character of the local part, then the domain (`j***@bank.com.sg`).
pub fn mask_email(value: &str) -> String {
    match value.split_once('@') {
        Some((local, domain)) => {
            let first = local
                .chars()
                .next()
                .map(|c| c.to_string())
                .unwrap_or_default();
            format!("{first}***@{domain}")
        }
        None => mask_middle(value, 1, 0),
    }
}

/// Secrets: a recognisable prefix (at most 4 characters, never more than a
/// quarter of the value) and the length, nothing from the end.
pub fn mask_secret(value: &str) -> String {
    let n = value.chars().count();
    let keep = (n / 4).min(4);
    let prefix: String = value.chars().take(keep).collect();
    format!("{prefix}{}({n} chars)", "*".repeat(4))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nric_keeps_last_three_digits_and_letter() {
        assert_eq!(mask_nric("S1234567D"), "S****567D");
        assert_eq!(mask_nric("s1234567d"), "s****567d");
    }

    #[test]
    fn card_keeps_last_four_and_separators() {
        assert_eq!(mask_card("4111 1111 1111 1234"), "**** **** **** 1234");
        assert_eq!(mask_card("4111111111111234"), "************1234");
    }

    #[test]
    fn short_values_are_still_masked() {
        assert_eq!(mask_digits_keep_last("1234", 4), "****");
        let m = mask_middle("abc", 2, 2);
        assert_ne!(m, "abc");
        assert!(m.contains('*'));
    }

    #[test]
    fn email_and_secret() {
        assert_eq!(mask_email("john.tan@bank.com.sg"), "j***@bank.com.sg");
        let secret = format!("{}{}", "ghp_", "a".repeat(36));
        let m = mask_secret(&secret);
        assert!(m.starts_with("ghp_"));
        assert!(!m.contains("aaaa"));
        assert!(m.contains("40 chars"));
        assert_eq!(mask_secret("hunter2"), "h****(7 chars)");
    }
}
