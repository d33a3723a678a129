//! Identity numbers anchored on a digit run: NRIC/FIN (`[STFGM]` + 7 digits +
//! check letter), Singapore passports (`[EK]` + 7 digits + letter) and UENs
//! (`nnnnnnnnX`, `yyyynnnnnX`, `[TSR]yyPQnnnnX`).

use crate::rules::{NRIC_FIN, NRIC_FIN_INVALID, SG_PASSPORT, UEN};
use crate::scan::Scanner;
use crate::words::{is_alnum, near};
use kiro_guard_skill::{Severity, checksum};

/// Words that label a value as an NRIC/FIN (for the invalid-checksum info).
pub const NRIC_WORDS: &[&str] = &[
    "nric", "fin", "ic", "i/c", "uin", "ufin", "identity", "nricfin", "icno", "idno",
];
/// Words that label a value as a passport number.
pub const PASSPORT_WORDS: &[&str] = &["passport", "ppt", "travel document", "passportno"];

/// The newest year a local-company UEN (`yyyynnnnnX`) may carry. The skill has
/// no clock (sandbox), so this is a constant a few years ahead.
pub const MAX_UEN_YEAR: u32 = 2030;

#[inline]
fn bounded_before(b: &[u8], i: usize) -> bool {
    i == 0 || !is_alnum(b[i - 1])
}

#[inline]
fn bounded_after(b: &[u8], j: usize) -> bool {
    j >= b.len() || !is_alnum(b[j])
}

impl Scanner<'_> {
    /// A 7-digit run `s..e`: NRIC/FIN or passport when a prefix letter
    /// precedes it and a letter follows.
    pub(crate) fn nric_like(&mut self, s: usize, e: usize) {
        let b = self.b;
        if s == 0 || e >= b.len() {
            return;
        }
        let (p, c) = (b[s - 1], b[e]);
        if !c.is_ascii_alphabetic() || !bounded_before(b, s - 1) || !bounded_after(b, e + 1) {
            return;
        }
        let (vs, ve) = (s - 1, e + 1);
        match p.to_ascii_uppercase() {
            b'S' | b'T' | b'F' | b'G' | b'M' => {
                let value = &self.text[vs..ve];
                if checksum::nric_valid(value) {
                    let msg = if matches!(p.to_ascii_uppercase(), b'S' | b'T') {
                        "NRIC number with a valid check letter"
                    } else {
                        "FIN number with a valid check letter"
                    };
                    self.push(&NRIC_FIN, vs, ve, NRIC_FIN.severity, msg);
                } else if self.opts.settings.report_invalid_nric
                    && near(b, vs, ve, 32, 16, true, NRIC_WORDS)
                {
                    self.push(
                        &NRIC_FIN_INVALID,
                        vs,
                        ve,
                        NRIC_FIN_INVALID.severity,
                        "NRIC/FIN-shaped value with a wrong check letter (not a valid NRIC/FIN)",
                    );
                }
            }
            b'E' | b'K' => {
                let context = near(b, vs, ve, 40, 16, true, PASSPORT_WORDS);
                let upper = p.is_ascii_uppercase() && c.is_ascii_uppercase();
                if context {
                    self.push(
                        &SG_PASSPORT,
                        vs,
                        ve,
                        Severity::Block,
                        "Singapore passport number next to a passport label",
                    );
                } else if upper {
                    self.push(
                        &SG_PASSPORT,
                        vs,
                        ve,
                        Severity::Warn,
                        "Singapore passport-shaped number",
                    );
                }
            }
            _ => {}
        }
    }

    /// A digit run `s..e` that may begin an NRIC/FIN split by separators:
    /// `S 1234567 D`, `S-1234567-D`, `S1234 567D`, `S 1 2 3 4 5 6 7 D`.
    ///
    /// Context that keeps ordinary digit runs out: an upper-case prefix
    /// letter and check letter, each standing alone (not inside a word),
    /// exactly seven digits, one kind of separator (a single space or dash)
    /// used throughout, at least one separator, and the sequence not
    /// continuing past either letter (a longer code such as `ORD-S-1234567-D-2`,
    /// a row of single characters such as `T 1 0 1 1 0 0 1 F 0`, SVG path
    /// data such as `M 1234 567 L 1300 600`).
    /// The check letter must be valid; no label is needed when both letters
    /// are upper case. A lower-case letter (`nric: s 1234567 d`) needs an
    /// NRIC/FIN label on the same line, as lower-case letters around spaced
    /// digits are common in prose and data (`x s 1234567 d y`).
    pub(crate) fn nric_split(&mut self, s: usize, e: usize) {
        let b = self.b;
        let n = b.len();
        let is_prefix = |c: u8| matches!(c.to_ascii_uppercase(), b'S' | b'T' | b'F' | b'G' | b'M');
        let is_sep = |c: u8| matches!(c, b' ' | b'-');
        if e - s > 7 || s == 0 {
            return;
        }
        let (ps, mut sep) = if is_prefix(b[s - 1]) {
            (s - 1, None)
        } else if s >= 2 && is_sep(b[s - 1]) && is_prefix(b[s - 2]) {
            (s - 2, Some(b[s - 1]))
        } else {
            return;
        };
        if !bounded_before(b, ps) {
            return;
        }
        let mut value = [0u8; 9];
        value[0] = b[ps];
        let mut digits = 0;
        let mut j = s;
        loop {
            while j < n && b[j].is_ascii_digit() {
                if digits == 7 {
                    return;
                }
                value[1 + digits] = b[j];
                digits += 1;
                j += 1;
            }
            if digits == 7 {
                break;
            }
            if j + 1 < n
                && is_sep(b[j])
                && b[j + 1].is_ascii_digit()
                && sep.is_none_or(|c| c == b[j])
            {
                sep = Some(b[j]);
                j += 1;
            } else {
                return;
            }
        }
        let cl = if j < n && b[j].is_ascii_alphabetic() {
            j
        } else if j + 1 < n
            && is_sep(b[j])
            && sep.is_none_or(|c| c == b[j])
            && b[j + 1].is_ascii_alphabetic()
        {
            sep = Some(b[j]);
            j + 1
        } else {
            return;
        };
        let Some(sep) = sep else {
            // No separator: the plain detector's value.
            return;
        };
        if !bounded_after(b, cl + 1) {
            return;
        }
        // Part of a longer code (`ORD-S-1234567-D-2`, `x.S 1234567 D`), or
        // the same separator continuing with a number or another single
        // character on either side (a table row: `T 1 0 1 1 0 0 1 F 0`;
        // SVG path data: `M 1234 567 L 1300 600`).
        let joiner = |c: u8| matches!(c, b'-' | b'_' | b'.' | b'/');
        let glued_before = ps >= 2 && joiner(b[ps - 1]) && is_alnum(b[ps - 2]);
        let glued_after = cl + 2 < n && joiner(b[cl + 1]) && is_alnum(b[cl + 2]);
        let row_before = ps >= 2
            && b[ps - 1] == sep
            && (b[ps - 2].is_ascii_digit() || (is_alnum(b[ps - 2]) && bounded_before(b, ps - 2)));
        let row_after = cl + 2 < n
            && b[cl + 1] == sep
            && (b[cl + 2].is_ascii_digit() || (is_alnum(b[cl + 2]) && bounded_after(b, cl + 3)));
        if glued_before || glued_after || row_before || row_after {
            return;
        }
        value[8] = b[cl];
        let Ok(v) = std::str::from_utf8(&value) else {
            return;
        };
        let lower = b[ps].is_ascii_lowercase() || b[cl].is_ascii_lowercase();
        if lower && !near(b, ps, cl + 1, 32, 16, true, NRIC_WORDS) {
            return;
        }
        if checksum::nric_valid(v) {
            let msg = if matches!(value[0].to_ascii_uppercase(), b'S' | b'T') {
                "NRIC number split by spaces or dashes, with a valid check letter"
            } else {
                "FIN number split by spaces or dashes, with a valid check letter"
            };
            self.push(&NRIC_FIN, ps, cl + 1, NRIC_FIN.severity, msg);
        }
    }

    /// An 8- or 9-digit run followed by an upper-case check letter: business
    /// (ROB) or local-company (ROC) UEN.
    pub(crate) fn uen_numeric(&mut self, s: usize, e: usize) {
        let b = self.b;
        if e >= b.len() || !b[e].is_ascii_uppercase() {
            return;
        }
        if !bounded_before(b, s) || !bounded_after(b, e + 1) {
            return;
        }
        if checksum::uen_valid(&self.text[s..e + 1], MAX_UEN_YEAR) {
            self.push(
                &UEN,
                s,
                e + 1,
                UEN.severity,
                "Singapore UEN with a valid check letter",
            );
        }
    }

    /// A 4-digit run that may end an other-entity UEN `[TSR]yyPQnnnnX`.
    pub(crate) fn uen_other(&mut self, s: usize, e: usize) {
        let b = self.b;
        if s < 5 || e >= b.len() || !b[e].is_ascii_uppercase() {
            return;
        }
        let vs = s - 5;
        if !matches!(b[vs], b'T' | b'S' | b'R')
            || !b[vs + 1].is_ascii_digit()
            || !b[vs + 2].is_ascii_digit()
            || !b[vs + 3].is_ascii_uppercase()
            || !b[vs + 4].is_ascii_uppercase()
            || !bounded_before(b, vs)
            || !bounded_after(b, e + 1)
        {
            return;
        }
        if checksum::uen_valid(&self.text[vs..e + 1], MAX_UEN_YEAR) {
            self.push(
                &UEN,
                vs,
                e + 1,
                UEN.severity,
                "Singapore UEN with a valid check letter",
            );
        }
    }
}
