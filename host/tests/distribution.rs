//! The ways kiro-guard is installed and run outside a Rust toolchain, tried
//! with the binary this build made (no second build):
//!
//! - the GitHub Action's scan step (`ci/github/scan.sh`) on temporary
//!   repositories;
//! - the GitLab CI template's job script, whose report must match GitLab's
//!   published SAST schema;
//! - the npm packages, packed and installed from local tarballs, run with
//!   `npx` on the demo;
//! - the release files: SHA256SUMS and the SPDX / CycloneDX SBOMs.
//!
//! The wheel (a second, release build with maturin) and the musl binary are
//! tried by `packaging/test-all.sh`, not here.

#[path = "support/json_schema.rs"]
mod json_schema;

use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_kiro-guard");

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().expect("command starts");
    if !out.status.success() {
        panic!(
            "{:?} failed ({}):\n{}\n{}",
            cmd,
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    out
}

/// A copy of the binary without debug information, written by `strip`
/// straight from the test build's binary (no full-size copy on disk), or a
/// plain copy where `strip` is missing.
fn small_binary(dir: &Path) -> PathBuf {
    let copy = dir.join("kiro-guard");
    let stripped = Command::new("strip")
        .arg("--strip-debug")
        .arg("-o")
        .arg(&copy)
        .arg(BIN)
        .status()
        .is_ok_and(|s| s.success());
    if !stripped {
        std::fs::copy(BIN, &copy).unwrap();
        // A child forked by another test thread while the copy was open for
        // writing holds it until it execs ("Text file busy"): wait it out.
        for _ in 0..200 {
            match Command::new(&copy).arg("--version").output() {
                Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy => {
                    std::thread::sleep(std::time::Duration::from_millis(10))
                }
                _ => break,
            }
        }
    }
    copy
}

fn sha256_file(p: &Path) -> String {
    hex::encode(Sha256::digest(std::fs::read(p).unwrap()))
}

#[test]
fn github_action_scan_step_on_temporary_repositories() {
    let out = run(Command::new("bash")
        .arg(root().join("ci/github/test-scan.sh"))
        .arg(BIN));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(" passed, 0 failed"), "{text}");
}

#[test]
fn gitlab_template_job_writes_a_report_gitlab_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("gl-sast-report.json");
    let out = run(Command::new("bash")
        .arg(root().join("ci/gitlab/test-template.sh"))
        .arg(BIN)
        .arg(&report));
    assert!(String::from_utf8_lossy(&out.stdout).contains(" passed, 0 failed"));
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/data/schemas/gitlab-sast-report-format-15.1.0.json"),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(
        json_schema::Validator::new(&schema).errors(&doc),
        Vec::<String>::new()
    );
    assert!(!doc["vulnerabilities"].as_array().unwrap().is_empty());
}

#[test]
fn npm_packages_install_from_local_tarballs_and_run_the_demo() {
    if Command::new("npm").arg("--version").output().is_err() {
        // The npm path needs Node.js; the machines this project runs CI on have it.
        eprintln!("npm is not installed: the npm package test did not run");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let bin = small_binary(dir.path());
    let out = run(Command::new("bash")
        .arg(root().join("npm/test-local.sh"))
        .arg(&bin)
        .env("npm_config_cache", dir.path().join("npm-cache")));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("decision block"), "{text}");
    assert!(text.contains("npm package OK"), "{text}");
}

#[test]
fn release_checksums_and_sboms_are_well_formed() {
    let dir = tempfile::tempdir().unwrap();
    let bin = small_binary(dir.path());
    let notes = dir.path().join("NOTES.txt");
    std::fs::write(&notes, "release notes\n").unwrap();
    let out_dir = dir.path().join("dist");
    run(Command::new("bash")
        .arg(root().join("scripts/release.sh"))
        .arg(&out_dir)
        .arg(&bin)
        .arg(&notes));

    // SHA256SUMS: every other file, once, with its real hash.
    let sums = std::fs::read_to_string(out_dir.join("SHA256SUMS")).unwrap();
    let mut listed = HashSet::new();
    for line in sums.lines() {
        let (hash, name) = line.split_once("  ").expect("sha256sum format: HASH  NAME");
        assert_eq!(hash.len(), 64);
        assert_eq!(hash, sha256_file(&out_dir.join(name)), "{name}");
        assert!(listed.insert(name.to_string()), "{name} listed twice");
    }
    let mut files: Vec<String> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "SHA256SUMS")
        .collect();
    files.sort();
    let mut got: Vec<String> = listed.into_iter().collect();
    got.sort();
    assert_eq!(got, files);

    let version = env!("CARGO_PKG_VERSION");
    let bin_hash = sha256_file(&bin);

    // SPDX 2.3.
    let spdx: Value = serde_json::from_str(
        &std::fs::read_to_string(out_dir.join(format!("kiro-guard-{version}.spdx.json"))).unwrap(),
    )
    .unwrap();
    assert_eq!(spdx["spdxVersion"], "SPDX-2.3");
    assert_eq!(spdx["dataLicense"], "CC0-1.0");
    assert_eq!(spdx["SPDXID"], "SPDXRef-DOCUMENT");
    assert!(
        spdx["documentNamespace"]
            .as_str()
            .unwrap()
            .starts_with("https://")
    );
    assert!(
        spdx["creationInfo"]["created"]
            .as_str()
            .unwrap()
            .ends_with('Z')
    );
    let packages = spdx["packages"].as_array().unwrap();
    let mut ids = HashSet::new();
    let mut names = HashSet::new();
    for p in packages {
        let id = p["SPDXID"].as_str().unwrap();
        assert!(id.starts_with("SPDXRef-"), "{id}");
        assert!(
            id[8..]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-'),
            "{id}"
        );
        assert!(ids.insert(id.to_string()), "duplicate {id}");
        names.insert(p["name"].as_str().unwrap().to_string());
        let purl = p["externalRefs"][0]["referenceLocator"].as_str().unwrap();
        assert_eq!(
            purl,
            format!(
                "pkg:cargo/{}@{}",
                p["name"].as_str().unwrap(),
                p["versionInfo"].as_str().unwrap()
            )
        );
        if let Some(c) = p.get("checksums") {
            let v = c[0]["checksumValue"].as_str().unwrap();
            assert!(
                v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()),
                "{v}"
            );
        }
        assert!(!p["licenseDeclared"].as_str().unwrap().is_empty());
    }
    for want in [
        "kiro-guard",
        "pii-detection",
        "banking-code-review",
        "mas-compliance-review",
        "wasmtime",
    ] {
        assert!(names.contains(want), "{want} missing from the SPDX SBOM");
    }
    assert!(!names.contains("insta"), "a dev-dependency is listed");
    for f in spdx["files"].as_array().unwrap() {
        ids.insert(f["SPDXID"].as_str().unwrap().to_string());
    }
    let file_hashes: Vec<&str> = spdx["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["checksums"].as_array().unwrap())
        .filter(|c| c["algorithm"] == "SHA256")
        .map(|c| c["checksumValue"].as_str().unwrap())
        .collect();
    assert!(
        file_hashes.contains(&bin_hash.as_str()),
        "the binary's hash is in the SBOM"
    );
    ids.insert("SPDXRef-DOCUMENT".into());
    let rels = spdx["relationships"].as_array().unwrap();
    assert!(rels.iter().any(|r| r["relationshipType"] == "DESCRIBES"));
    for r in rels {
        for k in ["spdxElementId", "relatedSpdxElement"] {
            assert!(
                ids.contains(r[k].as_str().unwrap()),
                "dangling {k} {}",
                r[k]
            );
        }
    }

    // CycloneDX 1.5.
    let cdx: Value = serde_json::from_str(
        &std::fs::read_to_string(out_dir.join(format!("kiro-guard-{version}.cdx.json"))).unwrap(),
    )
    .unwrap();
    assert_eq!(cdx["bomFormat"], "CycloneDX");
    assert_eq!(cdx["specVersion"], "1.5");
    let serial = cdx["serialNumber"].as_str().unwrap();
    assert!(
        serial.starts_with("urn:uuid:") && serial.len() == 45,
        "{serial}"
    );
    let mut refs: HashSet<String> = cdx["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["bom-ref"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        refs.len(),
        cdx["components"].as_array().unwrap().len(),
        "bom-refs are unique"
    );
    refs.insert(
        cdx["metadata"]["component"]["bom-ref"]
            .as_str()
            .unwrap()
            .to_string(),
    );
    for d in cdx["dependencies"].as_array().unwrap() {
        assert!(
            refs.contains(d["ref"].as_str().unwrap()),
            "dangling {}",
            d["ref"]
        );
        for x in d["dependsOn"].as_array().unwrap() {
            assert!(refs.contains(x.as_str().unwrap()), "dangling {x}");
        }
    }
    let inner = cdx["metadata"]["component"]["components"]
        .as_array()
        .unwrap();
    assert!(
        inner
            .iter()
            .any(|c| c["hashes"][0]["content"] == bin_hash.as_str())
    );
    assert_eq!(
        packages.len(),
        cdx["components"].as_array().unwrap().len() + 1
    );
}
