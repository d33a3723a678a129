//! Finding fingerprints that reveal nothing about the value.
//!
//! A baseline must recognise the same finding again, so its fingerprint
//! depends on the matched value. An unsalted hash of (skill, rule, path,
//! value) next to masked evidence (`S****567D`) gives an NRIC back in at most
//! 10⁴ guesses, so the value is keyed: HMAC-SHA256 with a per-clone secret
//! kept in the git directory (`.git/kiro-guard/fingerprint-key`, outside the
//! working tree and protected from agents), or in the user's configuration
//! directory outside a repository. Without either, a key lives for one process
//! (fingerprints then match nothing, which reports findings rather than
//! hiding them).
//!
//! SARIF `partialFingerprints` identify a result across runs of a CI job on
//! fresh clones, so they use no value at all: [`public`] hashes only the
//! skill, rule, path and the masked evidence already printed beside it.

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The secret key for one repository clone.
#[derive(Clone)]
pub struct Key(Vec<u8>);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(..)")
    }
}

/// 32 bytes from the operating system.
fn random32() -> Vec<u8> {
    use std::io::Read;
    let mut buf = vec![0u8; 32];
    if std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut buf))
        .is_ok()
    {
        return buf;
    }
    // Elsewhere: std's per-process random hasher keys (seeded by the OS).
    use std::hash::{BuildHasher, Hasher};
    let mut out = Vec::with_capacity(32);
    for i in 0..4u64 {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(i);
        h.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0),
        );
        out.extend_from_slice(&h.finish().to_le_bytes());
    }
    out
}

impl Key {
    /// The key of the repository containing `start` (created on first use),
    /// else the user's, else a key for this process only.
    pub fn for_dir(start: &Path) -> Key {
        let path = crate::git::git_dir_of(start)
            .map(|g| g.join("kiro-guard").join("fingerprint-key"))
            .or_else(|| {
                crate::config::user_config_path()
                    .and_then(|p| p.parent().map(|d| d.join("fingerprint-key")))
            });
        match path.and_then(|p| Key::load_or_create(&p)) {
            Some(k) => k,
            None => Key(random32()),
        }
    }

    fn load_or_create(path: &PathBuf) -> Option<Key> {
        if let Ok(bytes) = std::fs::read(path)
            && bytes.len() >= 32
        {
            return Some(Key(bytes));
        }
        std::fs::create_dir_all(path.parent()?).ok()?;
        let key = random32();
        crate::cache::write_atomic(path, &key).ok()?;
        // Another process may have won the race: use what is on disk.
        std::fs::read(path).ok().filter(|b| b.len() >= 32).map(Key)
    }

    /// A key given as bytes (tests).
    pub fn from_bytes(b: &[u8]) -> Key {
        Key(b.to_vec())
    }

    /// HMAC-SHA256 of the finding's identity, hex.
    pub fn fingerprint(&self, skill: &str, rule: &str, path: &str, value: &str) -> String {
        hex::encode(hmac_sha256(
            &self.0,
            format!("{skill}\0{rule}\0{path}\0{value}").as_bytes(),
        ))
    }
}

/// HMAC-SHA256 (RFC 2104).
fn hmac_sha256(key: &[u8], msg: &[u8]) -> [u8; 32] {
    let mut k = [0u8; 64];
    if key.len() > 64 {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha256::new();
    inner.update(k.map(|b| b ^ 0x36));
    inner.update(msg);
    let mut outer = Sha256::new();
    outer.update(k.map(|b| b ^ 0x5c));
    outer.update(inner.finalize());
    outer.finalize().into()
}

/// The unsalted fingerprint of baseline files version 1 (still matched, so
/// old baselines keep working; never written).
pub fn legacy(skill: &str, rule: &str, path: &str, value: &str) -> String {
    hex::encode(Sha256::digest(
        format!("{skill}\0{rule}\0{path}\0{value}").as_bytes(),
    ))
}

/// A value-free fingerprint for SARIF: skill, rule, path, masked evidence.
pub fn public(skill: &str, rule: &str, path: &str, evidence: &str) -> String {
    hex::encode(Sha256::digest(
        format!("kiro-guard/v2\0{skill}\0{rule}\0{path}\0{evidence}").as_bytes(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc_4231_case_2() {
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        assert_eq!(
            hex::encode(mac),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn fingerprints_reveal_nothing() {
        let k = Key::from_bytes(&[7u8; 32]);
        let nric = "S1234567D";
        let fp = k.fingerprint("pii-detection", "nric-fin", "a.py", nric);
        // Brute force over the masked space (S****567D) with the unsalted
        // formula finds nothing.
        let hit = (0..10_000).any(|i| {
            let cand = format!("S{i:04}567D");
            legacy("pii-detection", "nric-fin", "a.py", &cand) == fp
        });
        assert!(!hit);
        // Another clone's key gives another fingerprint; the same key the same.
        let other = Key::from_bytes(&[8u8; 32]);
        assert_ne!(
            fp,
            other.fingerprint("pii-detection", "nric-fin", "a.py", nric)
        );
        assert_eq!(fp, k.fingerprint("pii-detection", "nric-fin", "a.py", nric));
        // The public one depends on the masked evidence only.
        assert_eq!(
            public("pii-detection", "nric-fin", "a.py", "S****567D"),
            public("pii-detection", "nric-fin", "a.py", "S****567D")
        );
    }

    #[test]
    fn key_is_created_once_in_the_git_directory() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join(".git")).unwrap();
        let a = Key::for_dir(d.path());
        let b = Key::for_dir(d.path());
        assert_eq!(a.0, b.0);
        assert!(d.path().join(".git/kiro-guard/fingerprint-key").is_file());
    }
}
