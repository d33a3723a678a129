//! Masks the SDK's `mask` module does not have (SDK candidates). Each returns
//! a string of the same shape that never contains the full value.

/// Postal code: keep the sector (first two digits), `23****`.
pub fn mask_postal(value: &str) -> String {
    value
        .char_indices()
        .map(|(i, c)| if i < 2 { c } else { '*' })
        .collect()
}

/// Date of birth: keep the 4-digit year, mask every other letter and digit
/// (`1985-**-**`, `**/**/1985`, `** *** 1985`).
pub fn mask_date_keep_year(value: &str) -> String {
    let b = value.as_bytes();
    // The first run of exactly four digits starting 19 or 20 is the year.
    let mut year = None;
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let s = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            let run = &value[s..i];
            if run.len() == 4 && (run.starts_with("19") || run.starts_with("20")) {
                year = Some(s..i);
                break;
            }
            if run.len() == 8 && (run.starts_with("19") || run.starts_with("20")) {
                year = Some(s..s + 4);
                break;
            }
        } else {
            i += 1;
        }
    }
    value
        .char_indices()
        .map(|(i, c)| {
            let keep = year.as_ref().is_some_and(|y| y.contains(&i));
            if c.is_ascii_alphanumeric() && !keep {
                '*'
            } else {
                c
            }
        })
        .collect()
}

/// IBAN: keep the country code and the last 4 characters, keep spaces
/// (`GB** **** **** **** **76 54`... shape preserved).
pub fn mask_iban(value: &str) -> String {
    let total = value.chars().filter(|c| c.is_ascii_alphanumeric()).count();
    let mut seen = 0;
    value
        .chars()
        .map(|c| {
            if !c.is_ascii_alphanumeric() {
                return c;
            }
            seen += 1;
            if seen <= 2 || seen > total.saturating_sub(4) {
                c
            } else {
                '*'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks() {
        assert_eq!(mask_postal("238801"), "23****");
        assert_eq!(mask_date_keep_year("1985-03-14"), "1985-**-**");
        assert_eq!(mask_date_keep_year("14/03/1985"), "**/**/1985");
        assert_eq!(mask_date_keep_year("14 Mar 1985"), "** *** 1985");
        assert_eq!(mask_date_keep_year("19850314"), "1985****");
        assert_eq!(
            mask_iban("GB82 WEST 1234 5698 7654 32"),
            "GB** **** **** **** **54 32"
        );
    }
}
