//! Context-aware severity for credentials.
//!
//! A live-format provider secret is blocked anywhere: a real token in a test
//! is still a leaked token. A password, a generic secret, a URL with an
//! inline password, or a value that only a keyword makes credential-like is
//! blocked in production code and configuration, and reported as a
//! **warning** in
//!
//! * test code and fixtures: the document's `is_test` flag, or a path
//!   matching one of `test_paths`;
//! * local-development and CI service configuration: a path matching one of
//!   `dev_config_paths` (`docker-compose*.yml`, `.github/workflows/*`,
//!   `.gitlab-ci.yml`, `.env.example`, `.env.local`, `.env.development`, ...).
//!
//! * documentation and examples: a path matching one of `doc_paths`
//!   (`*.md`, `*.rst`, `docs/**`, `examples/**`, ...).
//!
//! Vendors' documented example keys (AWS's `...EXAMPLE`) are warnings in any
//! file.
//!
//! The lists are settings (`test_paths`, `dev_config_paths`, `doc_paths`); a setting
//! replaces the default list. Patterns are globs over the `/`-separated
//! path: `*` matches within a path segment, `**` across segments, `?` one
//! character; a pattern without `/` matches the file name at any depth.

use super::providers::{Kind, PROVIDERS};
use crate::Hit;
use crate::rules;

/// Default test-code conventions (in addition to the `is_test` flag).
pub const DEFAULT_TEST_PATHS: &[&str] = &[
    "**/test/**",
    "**/tests/**",
    "**/__tests__/**",
    "**/spec/**",
    "**/specs/**",
    "**/testdata/**",
    "**/test-data/**",
    "**/fixtures/**",
    "**/__fixtures__/**",
    "**/__mocks__/**",
    "**/src/test/**",
    "**/testing/**",
    "**/e2e/**",
    "**/testrun/**",
    "*_test.go",
    "test_*.*",
    "*_test.*",
    "*_tests.*",
    "unit_tests.*",
    "conftest.py",
    "*.test.js",
    "*.test.ts",
    "*.spec.js",
    "*.spec.ts",
    "*Test.java",
    "*Tests.java",
    "*TestCase.java",
    "*IT.java",
    "*Test.kt",
    "*Tests.cs",
    "*Test.cs",
    "*_spec.rb",
];

/// Default local-development and CI service configuration.
pub const DEFAULT_DEV_CONFIG_PATHS: &[&str] = &[
    "docker-compose*.yml",
    "docker-compose*.yaml",
    "compose.yml",
    "compose.yaml",
    "compose.*.yml",
    "compose.*.yaml",
    "**/.github/workflows/*",
    ".gitlab-ci.yml",
    "**/.gitlab-ci/*.yml",
    ".env.example",
    ".env.sample",
    ".env.template",
    ".env.local",
    ".env.dev",
    ".env.development",
    ".env.test",
    ".env.ci",
    "**/.devcontainer/**",
    "Vagrantfile",
    "skaffold.yaml",
    "**/dev/**/*.env",
    "**/local/**/*.env",
];

/// Default documentation and example conventions: values there are
/// examples for a reader.
pub const DEFAULT_DOC_PATHS: &[&str] = &[
    "*.md",
    "*.markdown",
    "*.rst",
    "*.adoc",
    "*.html",
    "*.htm",
    "*.ipynb",
    "**/docs/**",
    "**/doc/**",
    "**/examples/**",
    "**/example/**",
    "**/samples/**",
    "**/demo/**",
    "**/demos/**",
    "examples-*.json",
    "PKG-INFO",
    "CHANGELOG*",
    "CHANGES*",
    "HISTORY*",
    "NEWS*",
];

/// Glob match (`*`, `**`, `?`) of a `/`-separated path.
pub fn glob_match(pattern: &str, path: &str) -> bool {
    let path = path.replace('\\', "/");
    let path = path.trim_start_matches("./");
    if !pattern.contains('/') {
        let name = path.rsplit('/').next().unwrap_or(path);
        return match_bytes(pattern.as_bytes(), name.as_bytes());
    }
    // `**/x` also matches `x` at the root.
    match_bytes(pattern.as_bytes(), path.as_bytes())
        || pattern
            .strip_prefix("**/")
            .is_some_and(|p| match_bytes(p.as_bytes(), path.as_bytes()))
}

#[allow(clippy::needless_range_loop)]
fn match_bytes(p: &[u8], s: &[u8]) -> bool {
    // Dynamic programming over (pattern position, path position):
    // O(|p| * |s|), no backtracking blow-up.
    let (n, m) = (p.len(), s.len());
    // dp[j] = pattern prefix p[..i] matches s[..j]
    let mut dp = vec![false; m + 1];
    dp[0] = true;
    let mut i = 0;
    while i < n {
        let mut next = vec![false; m + 1];
        if p[i] == b'*' {
            let double = i + 1 < n && p[i + 1] == b'*';
            if double {
                // `**/` matches zero or more whole segments; `**` anything.
                let slash = i + 2 < n && p[i + 2] == b'/';
                for j in 0..=m {
                    if dp[j] {
                        for k in j..=m {
                            if !slash || k == j || s[k - 1] == b'/' {
                                next[k] = true;
                            }
                        }
                    }
                }
                i += if slash { 3 } else { 2 };
            } else {
                for j in 0..=m {
                    if dp[j] {
                        next[j] = true;
                        let mut k = j;
                        while k < m && s[k] != b'/' {
                            k += 1;
                            next[k] = true;
                        }
                    }
                }
                i += 1;
            }
        } else {
            for j in 0..m {
                if dp[j] && (p[i] == s[j] || (p[i] == b'?' && s[j] != b'/')) {
                    next[j + 1] = true;
                }
            }
            i += 1;
        }
        dp = next;
    }
    dp[m]
}

/// Where a document sits, for severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Production,
    Test,
    DevConfig,
    Docs,
}

/// Classify a path with the configured conventions.
pub fn place(
    path: &str,
    is_test: bool,
    test_paths: &[String],
    dev_paths: &[String],
    doc_paths: &[String],
) -> Place {
    if dev_paths.iter().any(|g| glob_match(g, path)) {
        Place::DevConfig
    } else if is_test || test_paths.iter().any(|g| glob_match(g, path)) {
        Place::Test
    } else if doc_paths.iter().any(|g| glob_match(g, path)) {
        Place::Docs
    } else {
        Place::Production
    }
}

/// [`downgradable_in`] for test code.
#[cfg(test)]
pub fn downgradable(rule_id: &str) -> bool {
    downgradable_in(rule_id, Place::Test)
}

/// Whether findings of this rule are downgraded outside production, in
/// `place`: the password and generic rules, URLs with passwords, and
/// provider rules all of whose rows are keyword-anchored
/// ([`Kind::Context`]). Private keys in test fixtures and documentation are
/// test keys and examples; in local-dev configuration they are keys.
pub fn downgradable_in(rule_id: &str, place: Place) -> bool {
    if rule_id == "private-key" {
        return matches!(place, Place::Test | Place::Docs);
    }
    if matches!(
        rule_id,
        "hardcoded-password" | "generic-secret" | "database-url-password" | "basic-auth-url"
    ) {
        return true;
    }
    let mut rows = PROVIDERS.iter().filter(|p| p.id == rule_id).peekable();
    rows.peek().is_some() && rows.all(|p| p.kind == Kind::Context)
}

/// Whether a provider-format value is a vendor's documented example
/// (AWS marks its documentation keys with `EXAMPLE`).
pub fn is_documented_example(value: &str) -> bool {
    value.ends_with("EXAMPLE") || value.contains("EXAMPLEKEY")
}

/// Turn blocks into warnings for values in test, local-dev or documentation
/// files, and for a vendor's documented example key there even when its
/// rule is a provider format. A documented example key in production code
/// still blocks: a scanner cannot tell it from a live key pasted next to
/// it, and the conformance cases require it (the host's value allow-list
/// accepts it).
pub fn apply(hits: &mut [Hit], text: &str, place: Place) {
    if place == Place::Production {
        return;
    }
    let why = match place {
        Place::Test => "test code or fixture",
        Place::Docs => "documentation or example",
        _ => "local-development or CI service configuration",
    };
    for h in hits.iter_mut() {
        if rules::is_credential_rule(h.rule)
            && h.rule.severity == kiro_guard_skill::Severity::Block
            && (downgradable_in(h.rule.id, place)
                || text.get(h.start..h.end).is_some_and(is_documented_example))
            && !h.message.contains("verified")
        {
            h.rule = rules::warn_twin(h.rule);
            h.message = format!(
                "{} (in {why}: warning; still rotate it if it was ever real)",
                h.message
            )
            .into();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn globs() {
        assert!(glob_match(
            "docker-compose*.yml",
            "deploy/docker-compose.dev.yml"
        ));
        assert!(glob_match(
            "**/.github/workflows/*",
            ".github/workflows/ci.yml"
        ));
        assert!(glob_match("**/test/**", "src/test/java/AppTest.java"));
        assert!(glob_match("*Test.java", "src/main/java/x/LoginTest.java"));
        assert!(!glob_match("*Test.java", "src/main/java/x/Login.java"));
        assert!(!glob_match("**/test/**", "src/testimony/x.py"));
        assert!(!glob_match(".env.local", "config/.env.production"));
        assert!(!glob_match("src/*.py", "src/a/b.py"));
        assert!(glob_match("src/**/*.py", "src/a/b.py"));
    }

    #[test]
    fn places() {
        let t = d(DEFAULT_TEST_PATHS);
        let dv = d(DEFAULT_DEV_CONFIG_PATHS);
        let doc = d(DEFAULT_DOC_PATHS);
        let p = |path: &str, is_test: bool| place(path, is_test, &t, &dv, &doc);
        assert_eq!(p("app/settings.py", false), Place::Production);
        assert_eq!(p("app/settings.py", true), Place::Test);
        assert_eq!(p("tests/test_login.py", false), Place::Test);
        assert_eq!(p("docker-compose.yml", false), Place::DevConfig);
        assert_eq!(p(".github/workflows/ci.yml", false), Place::DevConfig);
        assert_eq!(p(".env.production", false), Place::Production);
        assert_eq!(p("docs/setup.md", false), Place::Docs);
        assert_eq!(
            p("src/main/resources/application.yml", false),
            Place::Production
        );
        assert_eq!(
            place("custom/dir/x.yml", false, &t, &d(&["custom/**"]), &doc),
            Place::DevConfig
        );
    }

    #[test]
    fn which_rules_downgrade() {
        assert!(downgradable("hardcoded-password"));
        assert!(downgradable("heroku-api-key-legacy"));
        assert!(!downgradable("github-token"));
        assert!(!downgradable("anthropic-api-key"));
        assert!(downgradable_in("private-key", Place::Test));
        assert!(!downgradable_in("private-key", Place::DevConfig));
        assert!(!downgradable_in("github-token", Place::Docs));
    }
}
