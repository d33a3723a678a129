//! The rule catalogue: stable ids, default severities, languages and
//! regulatory references (TRM cited at sub-section level, first entry primary).

use kiro_guard_skill::Severity;
use kiro_guard_skill::rule::{Ref, RuleDef, refs};

/// MAS Guidelines on Outsourcing (cited for third-party MCP servers; confirm
/// with compliance, as `regulatory-references.md` notes).
pub const MAS_OUTSOURCING: Ref = Ref {
    framework: "MAS Guidelines",
    id: "Outsourcing",
    title: "Guidelines on Outsourcing (third-party services)",
};

const SHELL: &[&str] = &["shell"];
const MCP: &[&str] = &["mcp-config", "mcp-tool-call"];
const AGENT: &[&str] = &[
    "mcp-config",
    "kiro-settings",
    "kiro-agent",
    "claude-settings",
];
const HOOKS: &[&str] = &["kiro-hook", "kiro-agent", "claude-settings"];
const IAC: &[&str] = &["terraform", "cloudformation", "cdk"];

macro_rules! rule {
    ($name:ident, $id:literal, $title:literal, $sev:ident, $langs:expr, [$($r:expr),* $(,)?], $rem:literal) => {
        pub const $name: RuleDef = RuleDef {
            id: $id,
            title: $title,
            severity: Severity::$sev,
            languages: $langs,
            references: &[$($r),*],
            remediation: $rem,
            samples: &[],
            negatives: &[],
        };
    };
}

// ---------------------------------------------------------------- commands
rule!(
    GIT_FORCE_PUSH,
    "git-force-push",
    "git push --force / +refspec rewrites shared history",
    Block,
    SHELL,
    [refs::TRM_6_3, refs::TRM_7_5],
    "Do not rewrite shared history. Push a new commit (git revert), or ask a human to force-push after review."
);
rule!(
    GIT_PUSH_PROTECTED,
    "git-push-protected-branch",
    "git push to a protected branch (main, master, release/*)",
    Block,
    SHELL,
    [refs::TRM_7_5, refs::TRM_6_3],
    "Push to a feature branch and open a pull request; protected branches change only through reviewed merges."
);
rule!(
    GIT_PUSH_REVIEW,
    "git-push-review",
    "git push by an agent (review the target and content)",
    Warn,
    SHELL,
    [refs::TRM_7_5, refs::TRM_6_3],
    "Confirm the remote, the branch and the commits before pushing; agents should not push without a human in the loop."
);
rule!(
    GIT_HISTORY_REWRITE,
    "git-history-rewrite",
    "git history rewrite (filter-branch, filter-repo, reset --hard then push, reflog expiry)",
    Block,
    SHELL,
    [refs::TRM_7_5, refs::TRM_6_3, refs::TRM_15_1],
    "History rewrites destroy the change record. Revert with new commits; purge secrets through the bank's incident process, not an agent."
);
rule!(
    DESTRUCTIVE_RM,
    "destructive-rm",
    "recursive delete of /, ~, $HOME, .git, the repository root or *",
    Block,
    SHELL,
    [refs::TRM_11_3, refs::TRM_8_4],
    "Delete specific build outputs by path (rm -rf ./target), never the root, home, repository or .git."
);
rule!(
    DISK_WIPE,
    "disk-wipe",
    "filesystem creation or raw writes to block devices (mkfs, dd of=/dev/..)",
    Block,
    SHELL,
    [refs::TRM_11_3, refs::TRM_8_4],
    "Agents must not format or overwrite devices; do this manually under change control."
);
rule!(
    REMOTE_SCRIPT_EXEC,
    "remote-script-exec",
    "downloaded script piped or substituted into a shell/interpreter (curl | sh)",
    Block,
    SHELL,
    [refs::TRM_11_3, refs::TRM_6_1, refs::TRM_5_3],
    "Download the script, verify its checksum/signature and review it, or install through the approved package manager and mirror."
);
rule!(
    CHMOD_WORLD_WRITABLE,
    "chmod-world-writable",
    "world-writable permissions (chmod -R 777, a+w)",
    Block,
    SHELL,
    [refs::TRM_11_3, refs::TRM_9_1],
    "Grant the least permissions needed (e.g. 750/640) to the owning user or group."
);
rule!(
    GIT_HOOK_BYPASS,
    "git-hook-bypass",
    "git hooks or the guard disabled (--no-verify, commit -n, core.hooksPath, HUSKY=0, SKIP=, LEFTHOOK=0)",
    Block,
    SHELL,
    [refs::TRM_6_3, refs::TRM_7_5],
    "Let the hooks run and fix what they report; suppress a specific finding with an inline `kiro-guard: allow <rule> -- <reason>`."
);
rule!(
    INFRA_DESTROY,
    "infra-destroy",
    "infrastructure destruction (terraform/cdk destroy, aws s3 rb --force, delete-stack)",
    Block,
    SHELL,
    [refs::TRM_7_5, refs::TRM_8_4, refs::TRM_9_2],
    "Destroy infrastructure only through the reviewed pipeline; set allow_destroy = true for sandbox repositories."
);
rule!(
    DATA_DESTROY,
    "data-destroy",
    "destructive database statement (DROP TABLE/DATABASE, TRUNCATE, DELETE without WHERE, FLUSHALL, dropDatabase)",
    Block,
    SHELL,
    [refs::TRM_8_4, refs::TRM_7_5, refs::TRM_11_1],
    "Change schemas and data through reviewed migrations; an agent must not drop or truncate data. Set allow_destroy = true for disposable databases."
);
rule!(
    CREDENTIAL_FILE_READ,
    "credential-file-read",
    "credential file read into output or copied (.env, ~/.aws/credentials, SSH keys)",
    Block,
    SHELL,
    [
        refs::TRM_9_2,
        refs::TRM_10_2,
        refs::TRM_11_1,
        refs::PDPA_S24
    ],
    "Never print or copy secrets into the agent's context; reference them by name (Secrets Manager, env var) instead."
);
rule!(
    PACKAGE_FROM_URL,
    "package-install-from-url",
    "package installed from a URL, git repository or downloaded file",
    Warn,
    SHELL,
    [refs::TRM_5_3, refs::TRM_6_1, refs::TRM_3_4],
    "Install from the bank's approved registry/mirror with pinned versions and integrity hashes."
);
rule!(
    SHELL_INCOMPLETE,
    "shell-analysis-incomplete",
    "command too deeply nested or too large to analyse fully",
    Warn,
    SHELL,
    [refs::TRM_6_3],
    "Split the command into simpler steps so it can be reviewed."
);

// ------------------------------------------------------- MCP / agent config
rule!(
    MCP_PROHIBITED,
    "mcp-server-prohibited",
    "prohibited MCP server (tier 3: web search, browser, fetch)",
    Block,
    MCP,
    [
        refs::TRM_3_4,
        refs::TRM_5_3,
        refs::TRM_11_1,
        refs::PDPA_S24,
        refs::PDPA_S26,
        MAS_OUTSOURCING
    ],
    "Remove the server. Web search, browser and fetch servers can exfiltrate code and data; request an exception through the MCP approval process."
);
rule!(
    MCP_UNAPPROVED,
    "mcp-server-unapproved",
    "MCP server not on the approved list (custom or unverified)",
    Block,
    MCP,
    [
        refs::TRM_3_4,
        refs::TRM_5_3,
        refs::TRM_3_3,
        refs::TRM_11_1,
        refs::PDPA_S24,
        refs::PDPA_S26
    ],
    "Use an approved server, or have the server reviewed and add it to approved_servers in .kiro-guard.toml."
);
rule!(
    MCP_TIER2,
    "mcp-server-tier2-unapproved",
    "tier-2 MCP server (GitHub, Docker, Kubernetes) without security review",
    Warn,
    MCP,
    [refs::TRM_3_4, refs::TRM_5_3, refs::TRM_9_1],
    "Complete the security review (token scopes, least privilege) and add the server to approved_servers."
);
rule!(
    AUTO_APPROVE,
    "auto-approve-write-or-shell",
    "auto-approved tools that write files, run shells, change databases or call state-changing APIs",
    Block,
    AGENT,
    [
        refs::TRM_9_1,
        refs::TRM_9_2,
        refs::TRM_6_3,
        refs::TRM_7_5,
        refs::CYBER_HYGIENE_4_1
    ],
    "Auto-approve read-only tools only; writes, shells and state-changing calls need a human approval (never-alone principle)."
);
rule!(
    MCP_FS_ROOT,
    "mcp-filesystem-broad-root",
    "filesystem MCP server rooted at /, a home directory or a drive root",
    Warn,
    MCP,
    [refs::TRM_9_1, refs::TRM_11_1],
    "Root the filesystem server at the project directory only."
);
rule!(
    MCP_GIT_PUSH,
    "mcp-git-push-enabled",
    "git MCP server with git_push not disabled",
    Warn,
    MCP,
    [refs::TRM_7_5, refs::TRM_6_3],
    "Add git_push (and git_force_push) to disabledTools; pushes go through the reviewed pipeline."
);
rule!(
    MCP_UNPINNED,
    "mcp-unpinned-package",
    "MCP server package unpinned or @latest",
    Warn,
    MCP,
    [refs::TRM_5_3, refs::TRM_3_4, refs::TRM_7_5],
    "Pin the server package to a reviewed version (pkg@1.2.3, pkg==1.2.3, image@sha256:...)."
);
rule!(
    MCP_LITERAL_SECRET,
    "mcp-literal-secret-in-env",
    "literal credential in MCP server env/headers/args",
    Block,
    MCP,
    [refs::TRM_10_2, refs::TRM_9_2, refs::PDPA_S24],
    "Reference the secret as ${VAR} and keep it in a secrets manager or the OS keychain; rotate the exposed value."
);
rule!(
    MCP_HASH_MISMATCH,
    "mcp-config-hash-mismatch",
    "MCP configuration differs from the approved SHA-256 pin (tampered)",
    Block,
    &["mcp-config"],
    [refs::TRM_3_4, refs::TRM_7_5, refs::TRM_15_1],
    "Restore the centrally approved configuration, or get the change approved and update approved_config_sha256."
);
rule!(
    AUTOPILOT,
    "agent-autopilot-enabled",
    "agent runs without supervision (autopilot, approvals off, bypassPermissions); block for production repos",
    Warn,
    AGENT,
    [refs::TRM_9_1, refs::TRM_7_5, refs::TRM_6_3],
    "Use supervised mode (kiro.autopilot.enabled = false, kiro.supervised.requireApproval = true) for banking repositories."
);
rule!(
    TRUSTED_BROAD,
    "agent-trusted-commands-broad",
    "trusted/allowed commands broader than the minimal list (*, shells, interpreters, curl, git push)",
    Block,
    AGENT,
    [refs::TRM_9_1, refs::TRM_9_2, refs::TRM_6_3],
    "Trust only the minimal list (npm install, npm test, git status, git log, terraform plan) or the bank's trusted_commands_allowed."
);
rule!(
    TELEMETRY,
    "agent-telemetry-enabled",
    "agent telemetry enabled",
    Warn,
    &["kiro-settings"],
    [
        refs::TRM_11_1,
        refs::TRM_3_4,
        refs::PDPA_S24,
        refs::PDPA_S26
    ],
    "Set kiro.telemetry.enabled = false (and opt out at the organisation level)."
);
rule!(
    CONTENT_SHARING,
    "agent-content-sharing-enabled",
    "agent shares content with the vendor for service improvement",
    Warn,
    &["kiro-settings"],
    [
        refs::TRM_11_1,
        refs::TRM_3_4,
        refs::PDPA_S24,
        refs::PDPA_S26
    ],
    "Set kiro.shareContentWithAWS = false; opt out of service improvement organisation-wide."
);
rule!(
    DATA_RESIDENCY,
    "agent-data-residency",
    "agent data residency / cross-region inference outside the required region",
    Warn,
    &["kiro-settings"],
    [refs::TRM_3_4, refs::PDPA_S26, refs::TRM_11_1],
    "Keep primaryRegion = ap-southeast-1 and allowCrossRegion = false, or document comparable protection (PDPA s26)."
);
rule!(
    HOOK_MISSING,
    "hook-guard-missing",
    "agent hooks do not run kiro-guard on PreToolUse",
    Info,
    HOOKS,
    [refs::TRM_6_3, refs::TRM_12_2],
    "Add a PreToolUse hook that runs `kiro-guard hook` (see kiro-guard init)."
);
rule!(
    HOOK_DISABLED,
    "hook-disabled",
    "agent hook disabled",
    Warn,
    HOOKS,
    [refs::TRM_6_3, refs::TRM_12_2, refs::TRM_7_5],
    "Re-enable the hook; a disabled guard hook silently turns the control off."
);

// ------------------------------------------------------------------- IaC
rule!(
    IAC_REGION,
    "iac-region-outside-sg",
    "region or availability zone outside the required region (ap-southeast-1)",
    Warn,
    IAC,
    [refs::TRM_3_4, refs::PDPA_S26],
    "Deploy data stores in ap-southeast-1, or document the transfer basis (PDPA s26, PDP Regulations 2021 regs 10-12)."
);
rule!(
    S3_UNENCRYPTED,
    "s3-bucket-unencrypted",
    "S3 bucket without server-side encryption configured",
    Block,
    IAC,
    [
        refs::TRM_11_1,
        refs::TRM_10_2,
        refs::TRM_8_4,
        refs::PDPA_S24
    ],
    "Configure default encryption (SSE-KMS with a customer-managed key for confidential data)."
);
rule!(
    STORAGE_NO_CMK,
    "storage-no-cmk",
    "storage encrypted without a customer-managed KMS key (require_cmk)",
    Block,
    IAC,
    [refs::TRM_10_2, refs::TRM_11_1, refs::PDPA_S24],
    "Use SSE-KMS / KmsKeyId with a customer-managed key the bank controls and rotates."
);
rule!(
    S3_NO_TLS,
    "s3-bucket-no-tls-enforcement",
    "S3 bucket without an aws:SecureTransport deny policy",
    Block,
    IAC,
    [refs::TRM_10_1, refs::TRM_11_1, refs::PDPA_S24],
    "Add a bucket policy denying s3:* when aws:SecureTransport is false (CDK: enforceSSL: true)."
);
rule!(
    S3_PUBLIC,
    "s3-bucket-public",
    "S3 bucket with public access",
    Block,
    IAC,
    [refs::TRM_11_2, refs::TRM_11_1, refs::PDPA_S24],
    "Block all public access (BlockPublicAcls, BlockPublicPolicy, IgnorePublicAcls, RestrictPublicBuckets = true); serve content via CloudFront with OAC."
);
rule!(
    TRAIL_VALIDATION,
    "cloudtrail-log-validation-disabled",
    "CloudTrail without log file validation",
    Block,
    IAC,
    [refs::TRM_12_2, refs::TRM_15_1],
    "Enable log file validation so tampering with audit logs is detectable."
);
rule!(
    TRAIL_MULTI_REGION,
    "cloudtrail-not-multi-region",
    "CloudTrail trail not multi-region",
    Block,
    IAC,
    [refs::TRM_12_2, refs::TRM_15_1],
    "Set IsMultiRegionTrail / is_multi_region_trail to true so activity in every region is recorded."
);
rule!(
    LOG_RETENTION,
    "log-retention-too-short",
    "log retention shorter than the configured minimum",
    Warn,
    IAC,
    [refs::TRM_12_2, refs::TRM_15_1],
    "Retain logs at least min_log_retention_days (default 365) or archive them to a protected store."
);
rule!(
    DB_UNENCRYPTED,
    "db-storage-unencrypted",
    "database or volume without encryption at rest",
    Block,
    IAC,
    [
        refs::TRM_11_1,
        refs::TRM_10_2,
        refs::TRM_8_4,
        refs::PDPA_S24
    ],
    "Enable storage encryption (StorageEncrypted / storage_encrypted = true) with a KMS key."
);
rule!(
    SG_OPEN_ADMIN,
    "sg-admin-port-open-world",
    "security group opens an admin/database port (or all traffic) to 0.0.0.0/0",
    Block,
    IAC,
    [refs::TRM_11_2, refs::TRM_9_2, refs::CYBER_HYGIENE_4_1],
    "Restrict ingress to bastion/VPN CIDRs or use SSM Session Manager; never expose admin ports to the internet."
);
rule!(
    KMS_ROTATION,
    "kms-key-rotation-disabled",
    "KMS key without automatic rotation",
    Warn,
    IAC,
    [refs::TRM_10_2],
    "Enable key rotation (EnableKeyRotation / enable_key_rotation = true)."
);

/// Every rule, in catalogue order.
pub const RULES: &[RuleDef] = &[
    GIT_FORCE_PUSH,
    GIT_PUSH_PROTECTED,
    GIT_PUSH_REVIEW,
    GIT_HISTORY_REWRITE,
    DESTRUCTIVE_RM,
    DISK_WIPE,
    REMOTE_SCRIPT_EXEC,
    CHMOD_WORLD_WRITABLE,
    GIT_HOOK_BYPASS,
    INFRA_DESTROY,
    DATA_DESTROY,
    CREDENTIAL_FILE_READ,
    PACKAGE_FROM_URL,
    SHELL_INCOMPLETE,
    MCP_PROHIBITED,
    MCP_UNAPPROVED,
    MCP_TIER2,
    AUTO_APPROVE,
    MCP_FS_ROOT,
    MCP_GIT_PUSH,
    MCP_UNPINNED,
    MCP_LITERAL_SECRET,
    MCP_HASH_MISMATCH,
    AUTOPILOT,
    TRUSTED_BROAD,
    TELEMETRY,
    CONTENT_SHARING,
    DATA_RESIDENCY,
    HOOK_MISSING,
    HOOK_DISABLED,
    IAC_REGION,
    S3_UNENCRYPTED,
    STORAGE_NO_CMK,
    S3_NO_TLS,
    S3_PUBLIC,
    TRAIL_VALIDATION,
    TRAIL_MULTI_REGION,
    LOG_RETENTION,
    DB_UNENCRYPTED,
    SG_OPEN_ADMIN,
    KMS_ROTATION,
];

/// The TRM sub-sections this skill checks, each with the ids of the rules
/// citing it (any position), sorted by section number. The host's
/// `kiro-guard report compliance` can build its coverage matrix from this or
/// from the catalogue's references directly.
pub fn trm_sections() -> Vec<(&'static str, &'static str, Vec<&'static str>)> {
    let mut out: Vec<(&'static str, &'static str, Vec<&'static str>)> = Vec::new();
    for r in RULES {
        for rf in r.references.iter().filter(|x| x.framework == "MAS TRM") {
            match out.iter_mut().find(|(id, _, _)| *id == rf.id) {
                Some(e) => e.2.push(r.id),
                None => out.push((rf.id, rf.title, vec![r.id])),
            }
        }
    }
    out.sort_by_key(|(id, _, _)| {
        let mut it = id.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
        (it.next().unwrap_or(0), it.next().unwrap_or(0))
    });
    out
}
