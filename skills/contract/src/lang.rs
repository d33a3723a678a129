//! Language detection from a path, and test-fixture detection.

/// A language name from the path's extension or file name ("python", "java",
/// "kotlin", "javascript", "typescript", "go", "csharp", "json", "yaml",
/// "toml", "terraform", "sql", "shell", "markdown", "csv", "log", "dotenv",
/// "properties", "xml", "rust", "c", "cpp", "php", "ruby", ...), or "" when unknown.
pub fn language_from_path(path: &str) -> &'static str {
    let name = path
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(path)
        .to_ascii_lowercase();
    if name == ".env" || name.starts_with(".env.") || name.ends_with(".env") {
        return "dotenv";
    }
    if name == "dockerfile" || name.starts_with("dockerfile.") {
        return "dockerfile";
    }
    if name == "makefile" {
        return "makefile";
    }
    let ext = match name.rsplit_once('.') {
        Some((_, ext)) => ext,
        None => return "",
    };
    match ext {
        "py" | "pyw" => "python",
        "java" => "java",
        "kt" | "kts" => "kotlin",
        "js" | "mjs" | "cjs" | "jsx" => "javascript",
        "ts" | "tsx" | "mts" | "cts" => "typescript",
        "go" => "go",
        "cs" => "csharp",
        "json" | "jsonc" | "json5" => "json",
        "yaml" | "yml" => "yaml",
        "toml" => "toml",
        "tf" | "tfvars" | "hcl" => "terraform",
        "sql" => "sql",
        "sh" | "bash" | "zsh" | "ksh" => "shell",
        "ps1" | "psm1" => "powershell",
        "md" | "markdown" | "mdx" => "markdown",
        "csv" | "tsv" => "csv",
        "log" => "log",
        "properties" | "ini" | "cfg" | "conf" => "properties",
        "xml" | "config" | "csproj" => "xml",
        "rs" => "rust",
        "c" | "h" => "c",
        "cc" | "cpp" | "cxx" | "hpp" => "cpp",
        "php" => "php",
        "rb" => "ruby",
        "scala" => "scala",
        "swift" => "swift",
        "html" | "htm" => "html",
        "txt" => "text",
        _ => "",
    }
}

/// Whether the path looks like a test or fixture file: a `test/`, `tests/`,
/// `__tests__/`, `fixtures/`, `testdata/`, `spec/` directory, or a
/// `*_test.*`, `test_*.py`, `*.test.*`, `*.spec.*`, `*Test.java`,
/// `*Tests.cs` file name.
pub fn is_test_path(path: &str) -> bool {
    let p = path.replace('\\', "/").to_ascii_lowercase();
    let dirs = [
        "test",
        "tests",
        "__tests__",
        "fixtures",
        "fixture",
        "testdata",
        "spec",
        "__mocks__",
    ];
    let mut parts: Vec<&str> = p.split('/').collect();
    let name = parts.pop().unwrap_or("");
    if parts.iter().any(|d| dirs.contains(d)) {
        return true;
    }
    let original_name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let stem = name.split('.').next().unwrap_or(name);
    stem.ends_with("_test")
        || stem.starts_with("test_")
        || name.contains(".test.")
        || name.contains(".spec.")
        || original_name.ends_with("Test.java")
        || original_name.ends_with("Tests.java")
        || original_name.ends_with("Test.kt")
        || original_name.ends_with("Tests.cs")
        || original_name.ends_with("Test.cs")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages() {
        assert_eq!(language_from_path("src/app.py"), "python");
        assert_eq!(language_from_path("a/B.KT"), "kotlin");
        assert_eq!(language_from_path("infra/main.tf"), "terraform");
        assert_eq!(language_from_path(".env.production"), "dotenv");
        assert_eq!(language_from_path("README"), "");
    }

    #[test]
    fn test_paths() {
        for p in [
            "tests/a.py",
            "src/__tests__/x.ts",
            "pkg/foo_test.go",
            "test_app.py",
            "a.spec.ts",
            "src/FooTest.java",
        ] {
            assert!(is_test_path(p), "{p}");
        }
        for p in [
            "src/app.py",
            "contest/main.go",
            "src/latest.ts",
            "attestation.rs",
        ] {
            assert!(!is_test_path(p), "{p}");
        }
    }
}
