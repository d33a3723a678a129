//! `kiro-guard skill new`: a standalone skill crate from the embedded template.

use anyhow::{Context, Result};
use std::path::{Component, Path, PathBuf};

const CARGO_TOML: &str = include_str!("template/Cargo.toml.tmpl");
const LIB_RS: &str = include_str!("template/lib.rs.tmpl");
const README: &str = include_str!("template/README.md.tmpl");
const GITIGNORE: &str = include_str!("template/gitignore");
const CARGO_CONFIG: &str = include_str!("template/cargo-config.toml");
/// Fixture inputs and their expectations: (path below the crate, contents).
const FIXTURES: &[(&str, &str)] = &[
    (
        "fixtures/settings.py",
        include_str!("template/fixtures/settings.py"),
    ),
    (
        "fixtures/settings.py.expected.json",
        include_str!("template/fixtures/settings.py.expected.json"),
    ),
    (
        "fixtures/clean.ts",
        include_str!("template/fixtures/clean.ts"),
    ),
    (
        "fixtures/clean.ts.expected.json",
        include_str!("template/fixtures/clean.ts.expected.json"),
    ),
    (
        "fixtures/fetch.command",
        include_str!("template/fixtures/fetch.command"),
    ),
    (
        "fixtures/fetch.command.expected.json",
        include_str!("template/fixtures/fetch.command.expected.json"),
    ),
];

/// The SDK crate's name.
const SDK_CRATE: &str = "kiro-guard-skill";
/// The SDK source this binary was built next to (may no longer exist).
const BUILD_TIME_SDK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../skills/sdk");

/// How a new crate depends on the SDK.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SdkDependency {
    /// A path, relative to the new crate when inside the same checkout.
    Path(PathBuf),
    /// By version from a registry (`kiro-guard-skill = "0.1"`).
    Version(String),
}

impl SdkDependency {
    /// The `[dependencies]` line.
    pub fn toml_line(&self) -> String {
        match self {
            SdkDependency::Path(p) => {
                let p = p.to_string_lossy().replace('\\', "/");
                format!("{SDK_CRATE} = {{ path = {} }}", toml_string(&p))
            }
            SdkDependency::Version(v) => format!("{SDK_CRATE} = {}", toml_string(v)),
        }
    }
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Whether `dir` holds the SDK crate.
fn is_sdk(dir: &Path) -> bool {
    std::fs::read_to_string(dir.join("Cargo.toml"))
        .map(|t| t.contains(&format!("name = \"{SDK_CRATE}\"")))
        .unwrap_or(false)
}

/// Where the new crate at `crate_dir` (absolute, may not exist yet) finds the
/// SDK: a kiro-guard checkout's `skills/sdk` above it (as a relative path),
/// else the SDK this binary was built from (absolute), else by version.
pub fn find_sdk(crate_dir: &Path) -> SdkDependency {
    for dir in crate_dir.ancestors().skip(1) {
        let candidate = dir.join("skills").join("sdk");
        if is_sdk(&candidate) {
            let candidate = candidate.canonicalize().unwrap_or(candidate);
            return SdkDependency::Path(relative_path(crate_dir, &candidate).unwrap_or(candidate));
        }
    }
    let built = Path::new(BUILD_TIME_SDK);
    if let Some(p) = built.canonicalize().ok().filter(|_| is_sdk(built)) {
        return SdkDependency::Path(p);
    }
    SdkDependency::Version("0.1".into())
}

/// `to` relative to `from` (both absolute and normalised), if they share a root.
fn relative_path(from: &Path, to: &Path) -> Option<PathBuf> {
    let from: Vec<Component> = from.components().collect();
    let to: Vec<Component> = to.components().collect();
    if from.first() != to.first() {
        return None;
    }
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..from.len() {
        out.push("..");
    }
    for c in &to[common..] {
        out.push(c.as_os_str());
    }
    Some(out)
}

/// Resolve `p` against `cwd` and canonicalise its longest existing ancestor,
/// so the result is absolute and free of `..` even if `p` does not exist.
fn absolute(cwd: &Path, p: &Path) -> PathBuf {
    let joined = cwd.join(p);
    let mut existing = joined.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(c) = existing.canonicalize() {
            let mut out = c;
            for r in rest.iter().rev() {
                out.push(r);
            }
            return out;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return joined,
        }
    }
}

/// Why a name cannot be a skill name, if it cannot.
pub fn invalid_name(name: &str) -> Option<&'static str> {
    if name.is_empty() || name.len() > 64 {
        return Some("must be 1 to 64 characters");
    }
    if !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Some("must start with a lower-case letter");
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Some("may contain only lower-case letters, digits and `-`");
    }
    if name.ends_with('-') || name.contains("--") {
        return Some("must not end with `-` or contain `--`");
    }
    None
}

/// `internal-hosts` -> `InternalHosts`.
fn type_name(name: &str) -> String {
    name.split('-')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// Write the template for `name` into `dir` (which must not exist or be
/// empty) with the given SDK dependency. Returns the files written.
pub fn scaffold(name: &str, dir: &Path, sdk: &SdkDependency) -> Result<Vec<PathBuf>> {
    let fill = |t: &str| {
        t.replace("{{name}}", name)
            .replace("{{type_name}}", &type_name(name))
            .replace("{{sdk_dependency}}", &sdk.toml_line())
    };
    let mut files: Vec<(String, String)> = vec![
        ("Cargo.toml".into(), fill(CARGO_TOML)),
        ("src/lib.rs".into(), fill(LIB_RS)),
        ("README.md".into(), fill(README)),
        (".gitignore".into(), GITIGNORE.into()),
        (".cargo/config.toml".into(), CARGO_CONFIG.into()),
    ];
    files.extend(FIXTURES.iter().map(|(p, t)| (p.to_string(), t.to_string())));
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = dir.join(&rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

/// `kiro-guard skill new NAME [--dir DIR]`.
pub fn new_skill(cwd: &Path, name: &str, dir: Option<&Path>) -> Result<i32> {
    if let Some(why) = invalid_name(name) {
        eprintln!("kiro-guard: skill name {name:?} {why} (e.g. `internal-hosts`)");
        return Ok(crate::exit::USAGE);
    }
    let shown = dir
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(name));
    let target = absolute(cwd, &shown);
    if target.exists() {
        let empty = target.is_dir()
            && std::fs::read_dir(&target)
                .map(|mut d| d.next().is_none())
                .unwrap_or(false);
        if !empty {
            eprintln!(
                "kiro-guard: {} already exists and is not an empty directory; choose another --dir",
                shown.display()
            );
            return Ok(crate::exit::USAGE);
        }
    }
    let sdk = find_sdk(&target);
    scaffold(name, &target, &sdk)?;
    println!("created skill `{name}` in {}", shown.display());
    match &sdk {
        SdkDependency::Path(p) => println!("  SDK: {SDK_CRATE} by path ({})", p.display()),
        SdkDependency::Version(v) => {
            println!("  SDK: {SDK_CRATE} = \"{v}\" by version");
            println!(
                "  note: {SDK_CRATE} is not published on crates.io yet. Until it is, point the dependency in\n        Cargo.toml at a kiro-guard checkout: {SDK_CRATE} = {{ path = \"/path/to/kiro-guard/skills/sdk\" }}"
            );
        }
    }
    println!(
        "\nnext steps:\n  cd {}\n  cargo test                  # unit tests, native\n  kiro-guard skill test       # build, then run fixtures/ through the real sandbox\n  kiro-guard skill build      # size, SHA-256 and the .kiro-guard.toml snippet that pins it",
        shown.display()
    );
    Ok(crate::exit::OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(invalid_name("internal-hosts"), None);
        assert_eq!(invalid_name("a1"), None);
        assert!(invalid_name("").is_some());
        assert!(invalid_name("1abc").is_some());
        assert!(invalid_name("Abc").is_some());
        assert!(invalid_name("a_b").is_some());
        assert!(invalid_name("a-").is_some());
        assert!(invalid_name(&"a".repeat(65)).is_some());
        assert_eq!(type_name("internal-hosts"), "InternalHosts");
        assert_eq!(type_name("a1-b2"), "A1B2");
    }

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative_path(Path::new("/r/target/x/skill"), Path::new("/r/skills/sdk")),
            Some(PathBuf::from("../../../skills/sdk"))
        );
        assert_eq!(
            relative_path(
                Path::new("/r/skills/examples/a"),
                Path::new("/r/skills/sdk")
            ),
            Some(PathBuf::from("../../sdk"))
        );
    }

    #[test]
    fn dependency_lines() {
        assert_eq!(
            SdkDependency::Path(PathBuf::from("../../sdk")).toml_line(),
            r#"kiro-guard-skill = { path = "../../sdk" }"#
        );
        assert_eq!(
            SdkDependency::Version("0.1".into()).toml_line(),
            r#"kiro-guard-skill = "0.1""#
        );
    }

    #[test]
    fn sdk_is_found_inside_this_checkout() {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .unwrap()
            .canonicalize()
            .unwrap();
        let dep = find_sdk(&repo.join("target").join("x").join("my-skill"));
        assert_eq!(
            dep,
            SdkDependency::Path(PathBuf::from("../../../skills/sdk"))
        );
    }

    #[test]
    fn template_fills_every_placeholder() {
        let dir = tempfile::tempdir().unwrap();
        let files = scaffold(
            "my-skill",
            dir.path(),
            &SdkDependency::Version("0.1".into()),
        )
        .unwrap();
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            assert!(!text.contains("{{"), "{} keeps a placeholder", f.display());
        }
        let lib = std::fs::read_to_string(dir.path().join("src/lib.rs")).unwrap();
        assert!(lib.contains("pub struct MySkill"));
        assert!(lib.contains("name: \"my-skill\".into()"));
    }
}
