//! Payment card numbers: 13–19 digits, contiguous or in groups separated by
//! one kind of separator (space, dash, dot or underscore), in a known brand
//! range, Luhn-valid.

use crate::rules::PAYMENT_CARD;
use crate::scan::{Chain, Scanner, is_code_language};
use crate::words::{is_alnum, key_has, near, preceding_key};

/// Key names under which a long number is an identifier, not a card.
const NON_CARD_KEYS: &[&str] = &[
    "order",
    "invoice",
    "txn",
    "transaction",
    "trace",
    "request",
    "correlation",
    "tracking",
    "timestamp",
    "epoch",
    "millis",
    "nonce",
    "seq",
    "serial",
    "imei",
    "msisdn",
    "isbn",
];
const CARD_KEYS: &[&str] = &["card", "pan", "cc", "visa", "master", "amex"];
/// Words that make a numeric literal in code a card number.
const CARD_WORDS: &[&str] = &[
    "card",
    "cards",
    "pan",
    "cc",
    "ccnum",
    "credit",
    "debit",
    "visa",
    "mastercard",
    "amex",
    "payment",
    "cardnumber",
    "cardno",
];

/// Words that must be near a card number grouped irregularly
/// (`card 4111 11 11 1111 1111`): without one, such a run is more likely a
/// list of numbers (a table row, a date and time, a version list).
const IRREGULAR_CARD_WORDS: &[&str] = &["card", "pan", "credit", "visa", "mastercard", "amex"];

/// Whether a card word is near an irregularly grouped number (rare: kept
/// out of the scanner's hot path).
#[cold]
#[inline(never)]
fn card_word_near(b: &[u8], start: usize, end: usize) -> bool {
    near(b, start, end, 32, 16, true, IRREGULAR_CARD_WORDS)
}

/// The brand of a PAN given as digit values, or None when the prefix/length
/// combination is not a card brand.
pub fn brand(d: &[u8]) -> Option<&'static str> {
    let n = d.len();
    if !(13..=19).contains(&n) {
        return None;
    }
    let p = |k: usize| d[..k].iter().fold(0u32, |a, &x| a * 10 + x as u32);
    let (p2, p3, p4, p6) = (p(2), p(3), p(4), p(6));
    if d[0] == 4 && matches!(n, 13 | 16 | 19) {
        return Some("Visa");
    }
    if n == 16 && ((51..=55).contains(&p2) || (2221..=2720).contains(&p4)) {
        return Some("Mastercard");
    }
    if n == 15 && (p2 == 34 || p2 == 37) {
        return Some("American Express");
    }
    if n >= 16
        && (p4 == 6011 || (644..=649).contains(&p3) || p2 == 65 || (622126..=622925).contains(&p6))
    {
        return Some("Discover");
    }
    if n >= 16 && (3528..=3589).contains(&p4) {
        return Some("JCB");
    }
    if n >= 16 && p2 == 62 {
        return Some("UnionPay");
    }
    if n >= 14 && (p2 == 36 || p2 == 38 || p2 == 39 || (300..=305).contains(&p3)) {
        return Some("Diners Club");
    }
    None
}

/// Luhn over digit values (no allocation).
pub fn luhn(d: &[u8]) -> bool {
    let mut sum = 0u32;
    for (i, &x) in d.iter().rev().enumerate() {
        let x = x as u32;
        sum += if i % 2 == 1 {
            let y = x * 2;
            if y > 9 { y - 9 } else { y }
        } else {
            x
        };
    }
    d.len() >= 2 && sum.is_multiple_of(10)
}

impl Scanner<'_> {
    /// `left`/`right`: whether the chain is free on that side (see
    /// [`Chain::left_ok`]); a sub-chain only needs the side it keeps.
    pub(crate) fn card(&mut self, c: &Chain, left: bool, right: bool) {
        if !(13..=40).contains(&c.digits) {
            return;
        }
        let g = c.groups();
        // The whole chain, then without a trailing group (`… 1111 12/25`),
        // then without a leading one (`qty 1 4111 …`).
        let n = g.len();
        let tries: [(usize, usize, bool); 3] = [
            (0, n, left && right),
            (0, n.saturating_sub(1), left && n > 1),
            (1, n, right),
        ];
        for (a, z, free) in tries {
            if free && z > a && self.try_card(&g[a..z]) {
                return;
            }
        }
    }

    /// A 4-digit run at `s..e` followed by `.` or `_` and a digit: a card
    /// number grouped with dots or underscores (`4111.1111.1111.1111`,
    /// `4111_1111_1111_1111`). The same group shapes, brand ranges and Luhn
    /// check as for spaces and dashes; the number must stand alone (no
    /// letter, digit, `.` or `_` glued to either end), so version strings,
    /// IP addresses and dotted identifiers do not qualify.
    pub(crate) fn card_dotted(&mut self, s: usize, e: usize) {
        let b = self.b;
        let n = b.len();
        let sep = b[e];
        let glued = |c: u8| is_alnum(c) || matches!(c, b'.' | b'_');
        if s > 0 && glued(b[s - 1]) {
            return;
        }
        let mut groups = [(0usize, 0usize); 6];
        groups[0] = (s, e);
        let mut len = 1;
        let mut j = e;
        while j + 1 < n && b[j] == sep && b[j + 1].is_ascii_digit() {
            if len == groups.len() {
                return;
            }
            let gs = j + 1;
            let mut ge = gs;
            while ge < n && b[ge].is_ascii_digit() {
                ge += 1;
            }
            groups[len] = (gs, ge);
            len += 1;
            j = ge;
        }
        // Nothing value-like after the last group: `.` or `_` followed by an
        // alphanumeric (`….1111.tar`, `…_1111_v2`) or a letter glued on.
        if j < n && (is_alnum(b[j]) || (glued(b[j]) && b.get(j + 1).is_some_and(|&c| is_alnum(c))))
        {
            return;
        }
        if len >= 2 {
            self.try_card(&groups[..len]);
        }
    }

    fn try_card(&mut self, g: &[(usize, usize)]) -> bool {
        let b = self.b;
        let total: usize = g.iter().map(|(s, e)| e - s).sum();
        if !(13..=19).contains(&total) {
            return false;
        }
        // Grouped as cards are printed (a first group of 4, then groups of 3
        // to 6), or otherwise with a card word near.
        let mut irregular = false;
        if g.len() > 1 {
            let sep = b[g[0].1];
            if g.windows(2).any(|w| b[w[0].1] != sep) {
                return false;
            }
            irregular =
                g[0].1 - g[0].0 != 4 || g[1..].iter().any(|(s, e)| !(3..=6).contains(&(e - s)));
        }
        let mut buf = [0u8; 19];
        let mut k = 0;
        for &(s, e) in g {
            for &x in &b[s..e] {
                buf[k] = x - b'0';
                k += 1;
            }
        }
        let d = &buf[..k];
        let Some(brand) = brand(d) else {
            return false;
        };
        if !luhn(d) {
            return false;
        }
        let (start, end) = (g[0].0, g[g.len() - 1].1);
        if irregular && !card_word_near(b, start, end) {
            return false;
        }
        // A bare numeric literal in source code (`4003012203950112767,` in a
        // table of u64 constants) is a number, not a card, unless a card word
        // is near: card numbers in code are strings.
        if g.len() == 1
            && is_code_language(self.opts.language)
            && !near(b, start, end, 48, 16, true, CARD_WORDS)
            && self.in_code(start)
        {
            return false;
        }
        if let Some(key) = preceding_key(b, start)
            && key_has(key, NON_CARD_KEYS)
            && !key_has(key, CARD_KEYS)
        {
            return false;
        }
        let msg = match brand {
            "Visa" => "Visa card number (Luhn-valid PAN)",
            "Mastercard" => "Mastercard card number (Luhn-valid PAN)",
            "American Express" => "American Express card number (Luhn-valid PAN)",
            "Discover" => "Discover card number (Luhn-valid PAN)",
            "JCB" => "JCB card number (Luhn-valid PAN)",
            "UnionPay" => "UnionPay card number (Luhn-valid PAN)",
            _ => "Diners Club card number (Luhn-valid PAN)",
        };
        self.push(&PAYMENT_CARD, start, end, PAYMENT_CARD.severity, msg);
        true
    }
}
