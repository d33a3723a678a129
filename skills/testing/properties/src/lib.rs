//! Inputs for the property tests, shared by the host's
//! (`host/tests/properties.rs`: payloads, diffs, config, edits, spans,
//! report handling) and this crate's own (`tests/properties.rs`: each
//! built-in skill's analysis natively, the SDK's evasion views and masks).
//!
//! The host depends on this crate (for its tests only), not on the skills or
//! the SDK; those are dev-dependencies here.

use proptest::prelude::*;

/// Text that exercises the scanners: digits, letters, quotes, escapes,
/// separators, newlines, and the Unicode the evasion layer folds.
pub fn texty() -> impl Strategy<Value = String> {
    let atoms = prop_oneof![
        4 => "[A-Za-z0-9]{1,12}",
        2 => "[ \t\n\r\"'`+.%\\\\=:;,/@_#-]{1,3}",
        1 => Just("S1234567D".to_string()),
        1 => Just("4111 1111 1111 1111".to_string()),
        1 => Just("ghp_".to_string()),
        1 => Just("password = ".to_string()),
        1 => Just("Ｓ１２３".to_string()),
        1 => Just("\u{200B}".to_string()),
        1 => Just("\u{00AD}".to_string()),
        1 => Just("Ѕ".to_string()),
        1 => Just("%53%31".to_string()),
        1 => Just("\\u0034".to_string()),
        1 => Just("UzEyMzQ1NjdE".to_string()),
        1 => Just("5331323334353637".to_string()),
        1 => any::<String>(),
    ];
    prop::collection::vec(atoms, 0..24).prop_map(|v| v.concat())
}

/// Arbitrary bytes decoded lossily, the way the host reads files.
pub fn lossy() -> impl Strategy<Value = String> {
    prop::collection::vec(any::<u8>(), 0..300)
        .prop_map(|b| String::from_utf8_lossy(&b).into_owned())
}
