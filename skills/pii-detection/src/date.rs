//! Calendar dates at a position, without a regex: ISO `1985-03-14` (also
//! `/` and `.`), `14/03/1985` (day or month first), `14 Mar 1985`,
//! `March 14, 1985`, and compact `19850314`. Years 1900–2099.

use crate::words::is_alnum;

const MONTHS: [&[u8; 3]; 12] = [
    b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov", b"dec",
];

/// 1–2 digits at `i` with a value in `lo..=hi`: (value, end).
fn small(b: &[u8], i: usize, lo: u32, hi: u32) -> Option<usize> {
    let mut e = i;
    let mut v = 0u32;
    while e < b.len() && e < i + 2 && b[e].is_ascii_digit() {
        v = v * 10 + (b[e] - b'0') as u32;
        e += 1;
    }
    (e > i && (lo..=hi).contains(&v)).then_some(e)
}

/// A 4-digit year 19xx/20xx at `i`: end.
fn year(b: &[u8], i: usize) -> Option<usize> {
    let y = b.get(i..i + 4)?;
    (y.iter().all(u8::is_ascii_digit) && (y.starts_with(b"19") || y.starts_with(b"20")))
        .then_some(i + 4)
}

fn sep(b: &[u8], i: usize, set: &[u8]) -> Option<usize> {
    b.get(i).filter(|c| set.contains(c)).map(|_| i + 1)
}

/// A month name (`Mar`, `March`, `Sept.`) at `i`: end.
fn month_name(b: &[u8], i: usize) -> Option<usize> {
    let w = b.get(i..i + 3)?;
    let lower = [
        w[0].to_ascii_lowercase(),
        w[1].to_ascii_lowercase(),
        w[2].to_ascii_lowercase(),
    ];
    if !MONTHS.iter().any(|m| **m == lower) {
        return None;
    }
    let mut e = i + 3;
    while e < b.len() && b[e].is_ascii_lowercase() {
        e += 1;
    }
    if b.get(e) == Some(&b'.') {
        e += 1;
    }
    Some(e)
}

/// The end of a date starting exactly at `p`, when one is there and is not
/// followed by a letter or digit.
pub fn date_at(b: &[u8], p: usize) -> Option<usize> {
    const SEP: &[u8] = b"-/.";
    let iso = || {
        let i = sep(b, year(b, p)?, SEP)?;
        let i = sep(b, small(b, i, 1, 12)?, SEP)?;
        small(b, i, 1, 31)
    };
    let dmy = || {
        let i = sep(b, small(b, p, 1, 31)?, SEP)?;
        let i = sep(b, small(b, i, 1, 31)?, SEP)?;
        year(b, i)
    };
    let d_mon_y = || {
        let i = sep(b, small(b, p, 1, 31)?, b" -")?;
        let mut i = month_name(b, i)?;
        let s = i;
        while i < b.len() && i < s + 2 && matches!(b[i], b' ' | b'-' | b',') {
            i += 1;
        }
        if i == s {
            return None;
        }
        year(b, i)
    };
    let mon_d_y = || {
        let i = sep(b, month_name(b, p)?, b" ")?;
        let mut i = small(b, i, 1, 31)?;
        if b.get(i) == Some(&b',') {
            i += 1;
        }
        year(b, sep(b, i, b" ")?)
    };
    let compact = || {
        let y = year(b, p)?;
        let d = b.get(y..y + 4)?;
        if !d.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let m = (d[0] - b'0') * 10 + (d[1] - b'0');
        let day = (d[2] - b'0') * 10 + (d[3] - b'0');
        ((1..=12).contains(&m) && (1..=31).contains(&day)).then_some(y + 4)
    };
    let end = iso()
        .or_else(dmy)
        .or_else(d_mon_y)
        .or_else(mon_d_y)
        .or_else(compact)?;
    (end >= b.len() || !is_alnum(b[end])).then_some(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Option<&str> {
        date_at(s.as_bytes(), 0).map(|e| &s[..e])
    }

    #[test]
    fn formats() {
        for (input, want) in [
            ("1985-03-14 x", "1985-03-14"),
            ("1985/3/4", "1985/3/4"),
            ("1990.12.31;", "1990.12.31"),
            ("14/03/1985", "14/03/1985"),
            ("03-14-1985", "03-14-1985"),
            ("14 Mar 1985", "14 Mar 1985"),
            ("4-sept-1985", "4-sept-1985"),
            ("14 March, 1985", "14 March, 1985"),
            ("March 14, 1985", "March 14, 1985"),
            ("Mar. 4 1985", "Mar. 4 1985"),
            ("19850314", "19850314"),
        ] {
            assert_eq!(date(input), Some(want), "{input}");
        }
        for input in [
            "1985-13-14",
            "1985-03-32",
            "32/03/1985",
            "14/03/1885",
            "19851314",
            "198503145",
            "1985-03-14T10",
            "14 Foo 1985",
            "March 1985",
            "2024",
        ] {
            assert_eq!(date(input), None, "{input}");
        }
    }
}
