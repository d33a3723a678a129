//! Small encoders and checksums used to validate token formats (no
//! dependency needed for a few lines each).

/// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), as zlib computes it.
pub fn crc32(data: &[u8]) -> u32 {
    static TABLE: std::sync::LazyLock<[u32; 256]> = std::sync::LazyLock::new(|| {
        let mut t = [0u32; 256];
        for (n, slot) in t.iter_mut().enumerate() {
            let mut c = n as u32;
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
            *slot = c;
        }
        t
    });
    let mut crc = !0u32;
    for &b in data {
        crc = TABLE[((crc ^ b as u32) & 0xFF) as usize] ^ (crc >> 8);
    }
    !crc
}

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Base62 encoding of `n`, left-padded with `0` to `width` characters.
pub fn base62(mut n: u64, width: usize) -> String {
    let mut out = Vec::new();
    while n > 0 {
        out.push(BASE62[(n % 62) as usize]);
        n /= 62;
    }
    while out.len() < width {
        out.push(b'0');
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// Whether a GitHub token's checksum verifies: the last `_`-separated part
/// ends with the 6-character base62 CRC-32 of the characters before it
/// (github.blog, 2021-04-05, "Behind GitHub's new authentication token
/// formats"). Random filler does not verify; real tokens do.
pub fn github_checksum_valid(token: &str) -> bool {
    let Some(last) = token.rsplit('_').next() else {
        return false;
    };
    if last.len() <= 6 || !last.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return false;
    }
    let (payload, check) = last.split_at(last.len() - 6);
    base62(crc32(payload.as_bytes()) as u64, 6) == check
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_known_values() {
        assert_eq!(crc32(b""), 0);
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(
            crc32(b"The quick brown fox jumps over the lazy dog"),
            0x414F_A339
        );
    }

    #[test]
    fn base62_pads() {
        assert_eq!(base62(0, 6), "000000");
        assert_eq!(base62(61, 2), "0z");
        assert_eq!(base62(62, 1), "10");
    }

    #[test]
    fn github_checksum_round_trip() {
        let random = "Xk29fLq0ZpR7vTb1Nw8sYc3Hd6Jm4G";
        let token = format!(
            "{}{}{}{}",
            "gh",
            "p_",
            random,
            base62(crc32(random.as_bytes()) as u64, 6)
        );
        assert_eq!(token.len(), 40);
        assert!(github_checksum_valid(&token));
        let mut bad = token.clone();
        bad.pop();
        bad.push('x');
        assert!(!github_checksum_valid(&bad) || token.ends_with('x'));
    }
}
