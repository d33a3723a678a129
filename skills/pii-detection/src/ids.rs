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
