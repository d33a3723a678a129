//! Check-digit algorithms: Luhn (cards), NRIC/FIN, UEN.
//!
//! The weight tables and offsets are the published NRIC/FIN and UEN schemes;
//! the unit tests hold worked examples of each.

/// Luhn check over the ASCII digits of `s` (other characters ignored).
/// Returns false when there are fewer than 2 digits.
pub fn luhn_valid(s: &str) -> bool {
    let digits: Vec<u32> = s.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() < 2 {
        return false;
    }
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// The expected check letter for an NRIC/FIN prefix and 7 digits, or None for
/// an unknown prefix.
pub fn nric_check_letter(prefix: char, digits: &[u8; 7]) -> Option<char> {
    const WEIGHTS: [u32; 7] = [2, 7, 6, 5, 4, 3, 2];
    let (offset, table): (u32, &[u8; 11]) = match prefix.to_ascii_uppercase() {
        'S' => (0, b"JZIHGFEDCBA"),
        'T' => (4, b"JZIHGFEDCBA"),
        'F' => (0, b"XWUTRQPNMLK"),
        'G' => (4, b"XWUTRQPNMLK"),
        'M' => (3, b"XWUTRQPNJLK"),
        _ => return None,
    };
    let sum: u32 = digits
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| *d as u32 * w)
        .sum::<u32>()
        + offset;
    Some(table[(sum % 11) as usize] as char)
}

/// Whether `s` is exactly a checksum-valid NRIC/FIN (`[STFGM]\d{7}[A-Z]`,
/// case-insensitive).
pub fn nric_valid(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 9 || !b[1..8].iter().all(u8::is_ascii_digit) || !b[8].is_ascii_alphabetic() {
        return false;
    }
    let mut digits = [0u8; 7];
    for (i, d) in b[1..8].iter().enumerate() {
        digits[i] = d - b'0';
    }
    nric_check_letter(b[0] as char, &digits) == Some(b[8].to_ascii_uppercase() as char)
}

/// Whether `s` is a checksum-valid UEN in any of its three forms (business
/// `nnnnnnnnX`, local company `yyyynnnnnX`, other entities `[TSR]yyPQnnnnX`).
/// `current_year` bounds the local-company year (pass e.g. 2026).
pub fn uen_valid(s: &str, current_year: u32) -> bool {
    let s = s.to_ascii_uppercase();
    let b = s.as_bytes();
    match b.len() {
        9 if b[..8].iter().all(u8::is_ascii_digit) => {
            const W: [u32; 8] = [10, 4, 9, 3, 8, 2, 7, 1];
            let sum: u32 = b[..8]
                .iter()
                .zip(W)
                .map(|(d, w)| (d - b'0') as u32 * w)
                .sum();
            b"XMKECAWLJDB"[(sum % 11) as usize] == b[8]
        }
        10 if b[..9].iter().all(u8::is_ascii_digit) => {
            let year: u32 = s[..4].parse().unwrap_or(0);
            if !(1800..=current_year).contains(&year) {
                return false;
            }
            const W: [u32; 9] = [10, 8, 6, 4, 9, 7, 5, 3, 1];
            let sum: u32 = b[..9]
                .iter()
                .zip(W)
                .map(|(d, w)| (d - b'0') as u32 * w)
                .sum();
            b"ZKCMDNERGWH"[(sum % 11) as usize] == b[9]
        }
        10 if matches!(b[0], b'T' | b'S' | b'R') => {
            const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWX0123456789";
            const TYPES: &[&str] = &[
                "LP", "LL", "FC", "PF", "RF", "MQ", "MM", "NB", "CC", "CS", "MB", "FM", "GS", "DP",
                "CP", "NR", "CM", "CD", "MD", "HS", "VH", "CH", "MH", "CL", "XL", "CX", "HC", "RP",
                "TU", "TC", "FB", "FN", "PA", "PB", "SS", "MC", "SM", "GA", "GB", "BN", "LC", "VC",
                "EC", "FS", "UF",
            ];
            if !b[1..3].iter().all(u8::is_ascii_digit) || !b[5..9].iter().all(u8::is_ascii_digit) {
                return false;
            }
            if !TYPES.contains(&&s[3..5]) {
                return false;
            }
            const W: [usize; 9] = [4, 3, 5, 3, 10, 2, 2, 5, 7];
            let mut sum = 0usize;
            for (c, w) in b[..9].iter().zip(W) {
                match ALPHABET.iter().position(|a| a == c) {
                    Some(v) => sum += v * w,
                    None => return false,
                }
            }
            let idx = (sum as isize - 5).rem_euclid(11) as usize;
            ALPHABET[idx] == b[9]
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn() {
        assert!(luhn_valid("4111 1111 1111 1111"));
        assert!(luhn_valid("378282246310005"));
        assert!(!luhn_valid("4111111111111112"));
        assert!(!luhn_valid("1"));
    }

    #[test]
    fn nric_reference_values() {
        for v in [
            "S1234567D",
            "T1234567J",
            "F1234567N",
            "G1234567X",
            "M1234567K",
            "S9812381D",
            "S6005053H",
            "T0066846F",
            "G1612357P",
            "F1612347K",
            "M4332674T",
            "s1234567d",
        ] {
            assert!(nric_valid(v), "{v} should be valid");
        }
        for v in [
            "T1234567Z",
            "G1122144L",
            "M1234567L",
            "F9477325W",
            "A1234567B",
            "S123456D",
            "S12345678D",
        ] {
            assert!(!nric_valid(v), "{v} should be invalid");
        }
    }

    #[test]
    fn uen_reference_values() {
        for v in [
            "53333127K",
            "53125226D",
            "201608355W",
            "201434292D",
            "T09SS0032E",
            "S46TU0001K",
            "T16UF2321H",
        ] {
            assert!(uen_valid(v, 2026), "{v} should be valid");
        }
        for v in [
            "53333127A",
            "201608355X",
            "T09SS0032F",
            "T09ZZ0032E",
            "209908355W",
        ] {
            assert!(!uen_valid(v, 2026), "{v} should be invalid");
        }
    }
}
