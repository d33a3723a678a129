//! Infrastructure as code: Terraform (HCL heuristics over resource blocks),
//! CloudFormation (JSON or YAML, parsed into values) and CDK TypeScript
//! (construct property heuristics).
//!
//! This module holds what more than one of them uses (admin ports, regions,
//! line ends); each submodule analyses one kind of file.

mod cdk;
mod cloudformation;
mod terraform;

pub use cdk::check_cdk;
pub use cloudformation::{check_cloudformation, is_cloudformation};
pub use terraform::check_terraform_module;

use regex::Regex;
use std::sync::LazyLock;

/// Ports that must never be open to the internet.
pub const ADMIN_PORTS: &[u32] = &[
    21, 22, 23, 135, 139, 445, 1433, 1521, 2375, 2376, 3306, 3389, 5432, 5601, 5900, 5985, 5986,
    6379, 9200, 9300, 11211, 27017,
];

fn covers_admin(from: u32, to: u32) -> Option<u32> {
    let (lo, hi) = (from.min(to), from.max(to));
    ADMIN_PORTS.iter().copied().find(|p| (lo..=hi).contains(p))
}

static REGION_LIT: LazyLock<Regex> = LazyLock::new(|| {
    kiro_guard_skill::ascii_regex::regex(r"^(us|eu|ap|sa|ca|me|af|il|cn|mx)(-gov)?-(north|south|east|west|central|northeast|southeast|northwest|southwest)-\d[a-z]?$").unwrap()
});

fn region_of(s: &str) -> Option<String> {
    let s = s.trim();
    REGION_LIT.is_match(s).then(|| {
        // availability zone → region
        if s.ends_with(|c: char| c.is_ascii_alphabetic()) {
            s[..s.len() - 1].to_string()
        } else {
            s.to_string()
        }
    })
}

fn line_end(text: &str, at: usize) -> usize {
    text[at..].find('\n').map(|p| at + p).unwrap_or(text.len())
}
