//! The built-in skills embedded in the binary (the build script writes the
//! table).

include!(concat!(env!("OUT_DIR"), "/builtin_skills.rs"));

/// Names of the built-in skills.
pub fn builtin_names() -> Vec<&'static str> {
    BUILTIN_SKILLS.iter().map(|(n, _, _)| *n).collect()
}
