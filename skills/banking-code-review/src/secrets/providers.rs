//! The provider detector table: one row per detector, gitleaks-style.
//!
//! Each row has the rule id it reports (new providers get their own id;
//! rows for formats the skill already reported keep the existing id such as
//! `github-token`), a title, prefilter keywords, a regex whose first
//! participating capture group is exactly the secret, an optional validator,
//! the provider-specific remediation, and true and false samples.
//!
//! Samples are templates expanded at run time by [`expand`], so that no
//! credential-shaped literal is committed: `«` and `»` delimit the secret,
//! `{A:40}` is 40 generated characters of a class (see [`expand`]), `{crc}`
//! appends the base62 CRC-32 GitHub/npm checksum, `{b64:text|n}` is the
//! base64 of `text` plus `n` generated characters, `{jwt}` a signed JWT,
//! `{nkey:U}` a NATS seed and `{age}` an age secret key, each with a valid
//! checksum.
//!
//! Adding a detector is a one-row change; `tests/secrets_providers.rs` runs
//! every row's samples and fails on a row without true or false samples.

use crate::encoding;

/// How strongly the format alone identifies a live credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A distinctive provider prefix or structure: blocked anywhere.
    Prefix,
    /// A value found next to a provider keyword (`heroku_api_key = ...`):
    /// blocked in production code, a warning in test and local-dev files
    /// unless the validator verifies it.
    Context,
}

/// A validator's verdict on a matched value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// Not a credential (bad checksum where the format requires one,
    /// placeholder filler, undecodable structure).
    Reject,
    /// Well-formed.
    Format,
    /// A checksum or embedded structure verifies: almost certainly real.
    Verified,
}

/// One detector.
#[derive(Debug)]
pub struct Provider {
    /// Rule id reported (kebab-case).
    pub id: &'static str,
    pub title: &'static str,
    pub kind: Kind,
    /// Lower-case prefilter keywords; the regex runs only near them.
    pub keywords: &'static [&'static str],
    /// The first participating capture group is the secret.
    pub regex: &'static str,
    pub validate: Option<fn(&str) -> Check>,
    /// How to revoke or rotate at the provider, and where to keep it.
    pub remediation: &'static str,
    /// Templates that must be found, with exactly the `«…»` span.
    pub samples: &'static [&'static str],
    /// Templates that must not be found by this row.
    pub negatives: &'static [&'static str],
}

/// A token with a provider prefix, not inside a longer word or base64 run.
macro_rules! tok {
    ($re:literal) => {
        concat!(
            r"(?:^|[^0-9A-Za-z_+/\-])(",
            $re,
            r")(?:$|[^0-9A-Za-z_+/\-])"
        )
    };
}

/// A value assigned to a key containing one of the provider words.
macro_rules! kv {
    ($keys:literal, $val:literal) => {
        concat!(
            r#"(?i)(?:"#,
            $keys,
            r#")[0-9a-z_.\-]{0,32}["'`]?\s{0,5}(?::=|=>|=|:|,)[ \t]{0,5}["'`]?(?-i:("#,
            $val,
            r#"))(?:$|[^0-9A-Za-z_+/\-=])"#
        )
    };
}

/// The remediation: the provider-specific step, then where the value goes.
macro_rules! fix {
    ($s:literal) => {
        concat!(
            $s,
            " Remove it from the code and the history, and keep the replacement in AWS Secrets Manager or the bank's vault, loaded at run time."
        )
    };
}

macro_rules! row {
    ($id:literal, $title:literal, $kind:ident, [$($k:literal),+ $(,)?], $re:expr, $val:expr, $fix:literal,
     [$($t:literal),+ $(,)?], [$($f:literal),+ $(,)?] $(,)?) => {
        Provider {
            id: $id,
            title: $title,
            kind: Kind::$kind,
            keywords: &[$($k),+],
            regex: $re,
            validate: $val,
            remediation: fix!($fix),
            samples: &[$($t),+],
            negatives: &[$($f),+],
        }
    };
}

/// The table. Rows keeping an existing rule id come first.
pub static PROVIDERS: &[Provider] = &[
    // ---------------------------------------------------------------- AWS
    row!(
        "aws-access-key-id",
        "AWS access key id",
        Prefix,
        ["akia", "asia", "abia", "acca"],
        tok!(r"(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}"),
        Some(aws_key_id),
        "Deactivate the key in IAM.",
        ["aws_access_key_id = «AKIA{U:16}»", "«ASIA{U:16}»"],
        [
            "AKIA{U:15}",
            "akia{U:16}",
            "AKIA{U:17}",
            "AKIA0000111188889999",
            "xAKIA{U:16}"
        ]
    ),
    row!(
        "aws-secret-access-key",
        "AWS secret access key",
        Context,
        ["aws", "secret_access", "secretaccess", "secret-access"],
        r#"(?i)(?:aws[a-z0-9_.\-]{0,20}(?:secret|key)|secret[_\-.]?access[_\-.]?key)[a-z0-9_.\-]*["'`]?\s*(?::=|=>|=|:)\s*["'`]?([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)"#,
        Some(aws_secret),
        "Deactivate the key pair in IAM.",
        [
            "aws_secret_access_key = «{b:40}»",
            "AWS_SECRET_KEY: \"«{A:40}»\""
        ],
        [
            "aws_secret_access_key = 5f4dcc3b5aa765d61d8327deb882cf99aabbccdd",
            "aws_secret_access_key = {A:39}",
            "aws_secret_access_key = {A:41}"
        ]
    ),
    // An AWS secret access key has no prefix: 40 base64 characters are
    // evidence only next to a credential name (the row above) or right after
    // its access key id, as in the console's credentials CSV
    // (`AKIA…,<secret>`) or `aws configure set` lines. A bare 40-character
    // value with neither is not reported: it cannot be told from a digest
    // or other base64.
    row!(
        "aws-secret-access-key",
        "AWS secret access key (next to its access key id)",
        Context,
        ["akia", "asia"],
        r#"(?:^|[^0-9A-Za-z])(?:AKIA|ASIA)[A-Z2-7]{16}["'`]?[ \t]{0,4}[,;:|\t][ \t]{0,4}["'`]?([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)"#,
        Some(aws_secret),
        "Deactivate the key pair in IAM.",
        [
            "Access key ID,Secret access key\nAKIA{U:16},«{b:40}»",
            "aws_keys = (\"ASIA{U:16}\", \"«{A:40}»\")",
            "creds: AKIA{U:16} | «{b:40}»"
        ],
        [
            "AKIA{U:16},{h:40}",
            "AKIA{U:16},{b:39}",
            "AKIA{U:16},{b:41}",
            "AKIA{U:16} and then some words {b:40}",
            "{b:40}"
        ]
    ),
    row!(
        "aws-mws-key",
        "Amazon MWS auth token",
        Prefix,
        ["amzn.mws"],
        tok!(r"amzn\.mws\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"),
        None,
        "Revoke the MWS auth token in Seller Central.",
        ["mws = «amzn.mws.{h:8}-{h:4}-{h:4}-{h:4}-{h:12}»"],
        ["amzn.mws.{h:8}-{h:4}", "amzn.mws.example"]
    ),
    row!(
        "aws-bedrock-api-key",
        "Amazon Bedrock long-term API key",
        Prefix,
        ["absk"],
        tok!(r"ABSK[A-Za-z0-9+/]{109,269}={0,2}"),
        Some(bedrock),
        "Delete the Bedrock API key (the IAM service-specific credential) in the IAM console.",
        ["AWS_BEARER_TOKEN_BEDROCK=«ABSK{b64:BedrockAPIKey-abcd-at-123456789012:|90}»"],
        ["ABSK{b:120}", "ABSK{b64:NotBedrock-abcd:|90}"]
    ),
    row!(
        "aws-bedrock-short-term-key",
        "Amazon Bedrock short-term API key",
        Prefix,
        ["bedrock-api-key-"],
        tok!(r"bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t[A-Za-z0-9+/%=&]{40,3000}"),
        None,
        "Revoke the IAM session the short-term key was generated from and rotate the role's credentials.",
        ["AWS_BEARER_TOKEN_BEDROCK=«bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t{b:200}»"],
        [
            "bedrock-api-key-{b:60}",
            "bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t"
        ]
    ),
    // ------------------------------------------------------------- GitHub
    row!(
        "github-token",
        "GitHub personal access token (classic)",
        Prefix,
        ["ghp_"],
        tok!(r"ghp_[A-Za-z0-9]{36}"),
        Some(github),
        "",
        ["GITHUB_TOKEN=«ghp_{A:30}{crc}»", "«ghp_{A:36}»"],
        [
            "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "ghp_{A:35}",
            "ghp_{A:37}"
        ]
    ),
    row!(
        "github-token",
        "GitHub OAuth access token",
        Prefix,
        ["gho_"],
        tok!(r"gho_[A-Za-z0-9]{36}"),
        Some(github),
        "",
        ["token: «gho_{A:30}{crc}»"],
        ["gho_{A:20}", "gho_000000000000000000000000000000000000"]
    ),
    row!(
        "github-token",
        "GitHub user-to-server token",
        Prefix,
        ["ghu_"],
        tok!(r"ghu_[A-Za-z0-9]{36}"),
        Some(github),
        "",
        ["«ghu_{A:30}{crc}»"],
        ["ghu_{A:30}"]
    ),
    row!(
        "github-token",
        "GitHub App installation token",
        Prefix,
        ["ghs_"],
        tok!(r"ghs_[A-Za-z0-9]{36}"),
        Some(github),
        "",
        ["«ghs_{A:30}{crc}»"],
        ["ghs_{l:10}"]
    ),
    row!(
        "github-token",
        "GitHub refresh token",
        Prefix,
        ["ghr_"],
        tok!(r"ghr_[A-Za-z0-9]{36}"),
        Some(github),
        "",
        ["«ghr_{A:30}{crc}»"],
        ["ghr_{A:40}"]
    ),
    row!(
        "github-token",
        "GitHub fine-grained personal access token",
        Prefix,
        ["github_pat_"],
        tok!(r"github_pat_[A-Za-z0-9_]{82}"),
        Some(not_filler),
        "",
        ["«github_pat_{A:22}_{A:59}»"],
        [
            "github_pat_{A:22}",
            "github_pat_XXXXXXXXXXXXXXXXXXXXXX_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"
        ]
    ),
    // ------------------------------------------------------------- GitLab
    row!(
        "gitlab-token",
        "GitLab personal access token",
        Prefix,
        ["glpat-"],
        tok!(r"glpat-[A-Za-z0-9_\-]{20,64}(?:\.[0-9a-z]{2}\.[0-9a-z]{9})?"),
        Some(not_filler),
        "",
        ["«glpat-{w:20}»", "«glpat-{w:27}.01.{a:9}»"],
        ["glpat-{A:10}", "glpat-xxxxxxxxxxxxxxxxxxxx"]
    ),
    row!(
        "gitlab-token",
        "GitLab pipeline trigger token",
        Prefix,
        ["glptt-"],
        tok!(r"glptt-[A-Za-z0-9_\-]{20,64}"),
        Some(not_filler),
        "",
        ["«glptt-{h:40}»"],
        ["glptt-{h:10}"]
    ),
    row!(
        "gitlab-token",
        "GitLab deploy token",
        Prefix,
        ["gldt-"],
        tok!(r"gldt-[A-Za-z0-9_\-]{20,64}"),
        Some(not_filler),
        "",
        ["«gldt-{w:20}»"],
        ["gldt-{w:8}"]
    ),
    row!(
        "gitlab-token",
        "GitLab runner authentication token",
        Prefix,
        ["glrt-"],
        tok!(r"glrt-[A-Za-z0-9_\-]{20,64}(?:\.[0-9a-z]{2}\.[0-9a-z]{9})?"),
        Some(not_filler),
        "",
        ["«glrt-{w:20}»"],
        ["glrt-{w:8}"]
    ),
    row!(
        "gitlab-token",
        "GitLab runner registration token",
        Prefix,
        ["gr1348941"],
        tok!(r"GR1348941[A-Za-z0-9_\-]{20}"),
        Some(not_filler),
        "",
        ["«GR1348941{w:20}»"],
        ["GR1348941{w:5}"]
    ),
    row!(
        "gitlab-token",
        "GitLab CI/CD job token",
        Prefix,
        ["glcbt-"],
        tok!(r"glcbt-[0-9a-fA-F]{1,5}_[A-Za-z0-9_\-]{20}"),
        Some(not_filler),
        "",
        ["«glcbt-{h:2}_{w:20}»"],
        ["glcbt-_{w:20}"]
    ),
    row!(
        "gitlab-token",
        "GitLab OAuth application secret",
        Prefix,
        ["gloas-"],
        tok!(r"gloas-[A-Za-z0-9_\-]{64}"),
        Some(not_filler),
        "",
        ["«gloas-{w:64}»"],
        ["gloas-{w:30}"]
    ),
    row!(
        "gitlab-token",
        "GitLab incoming mail token",
        Prefix,
        ["glimt-"],
        tok!(r"glimt-[A-Za-z0-9_\-]{25}"),
        Some(not_filler),
        "",
        ["«glimt-{w:25}»"],
        ["glimt-{w:10}"]
    ),
    row!(
        "gitlab-token",
        "GitLab Kubernetes agent token",
        Prefix,
        ["glagent-"],
        tok!(r"glagent-[A-Za-z0-9_\-]{50}"),
        Some(not_filler),
        "",
        ["«glagent-{w:50}»"],
        ["glagent-{w:20}"]
    ),
    row!(
        "gitlab-token",
        "GitLab feature-flag client token",
        Prefix,
        ["glffct-"],
        tok!(r"glffct-[A-Za-z0-9_\-]{20}"),
        Some(not_filler),
        "",
        ["«glffct-{w:20}»"],
        ["glffct-{w:5}"]
    ),
    row!(
        "gitlab-token",
        "GitLab feed token",
        Prefix,
        ["glft-"],
        tok!(r"glft-[A-Za-z0-9_\-]{20}"),
        Some(not_filler),
        "",
        ["«glft-{w:20}»"],
        ["glft-{w:5}"]
    ),
    row!(
        "gitlab-token",
        "GitLab SCIM OAuth token",
        Prefix,
        ["glsoat-"],
        tok!(r"glsoat-[A-Za-z0-9_\-]{20}"),
        Some(not_filler),
        "",
        ["«glsoat-{w:20}»"],
        ["glsoat-{w:5}"]
    ),
    // -------------------------------------------------------------- Slack
    row!(
        "slack-token",
        "Slack bot token",
        Prefix,
        ["xoxb-"],
        tok!(r"xoxb-[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{20,32}"),
        Some(not_filler),
        "",
        ["«xoxb-{d:12}-{d:13}-{A:24}»"],
        [
            "xoxb-XXXXXXXXXXXX-XXXXXXXXXXXXX-XXXXXXXXXXXXXXXXXXXXXXXX",
            "xoxb-{d:4}"
        ]
    ),
    row!(
        "slack-token",
        "Slack user, bot, legacy or configuration token",
        Prefix,
        ["xoxa-", "xoxb-", "xoxp-", "xoxr-", "xoxs-", "xoxe"],
        tok!(r"xox(?:[abprs]|e(?:\.xox[bp])?)-[0-9A-Za-z\-]{10,250}"),
        Some(slack_token),
        "",
        [
            "«xoxp-{d:12}-{d:12}-{d:13}-{h:32}»",
            "«xoxe.xoxp-1-{A:140}»",
            "«xoxb-{d:11}-{A:24}»",
            "«xoxs-{d:10}-{d:10}-{d:10}-{h:10}»"
        ],
        [
            "xoxp-xxxxxxxxx-xxxx",
            "xoxp-<token>",
            "xoxb-{d:5}-{a:7}",
            "xoxb-abcdef-abcdef",
            "\"token3\": \"xoxp-{d:4}-{d:4}-{d:4}-{h:32}\"",
            "xoxp-{d:12}-{d:12}-{d:12}-####################",
            "xoxe.xoxp-1-SlackAppConfigurationAccessTokenHere",
            "xoxe.xoxp-1-RANDOMSTRINGHERE",
            "xoxe-1-{A:20}"
        ]
    ),
    row!(
        "slack-token",
        "Slack app-level token",
        Prefix,
        ["xapp-"],
        tok!(r"xapp-\d-[A-Z0-9]{9,12}-\d{10,13}-[a-f0-9]{64}"),
        None,
        "",
        ["«xapp-1-A{u:10}-{d:13}-{h:64}»"],
        ["xapp-1-{u:10}-{d:13}"]
    ),
    row!(
        "slack-token",
        "Slack incoming-webhook URL",
        Prefix,
        ["hooks.slack.com"],
        r"(https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/]{30,120})",
        Some(not_filler),
        "",
        ["«https://hooks.slack.com/services/T{u:10}/B{u:10}/{A:24}»"],
        [
            "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
            "https://hooks.slack.com/services/"
        ]
    ),
    // ---------------------------------------------------- Stripe, Google, Azure
    row!(
        "stripe-live-key",
        "Stripe live secret key",
        Prefix,
        ["sk_live_"],
        tok!(r"sk_live_[0-9A-Za-z]{20,247}"),
        Some(not_filler),
        "",
        ["«sk_live_{A:24}»", "«sk_live_51{A:97}»"],
        [
            "sk_test_{A:24}",
            "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx",
            "pk_live_{A:24}"
        ]
    ),
    row!(
        "stripe-test-key",
        "Stripe test-mode secret or restricted key",
        Context,
        ["sk_test_", "rk_test_"],
        tok!(r"[sr]k_test_[0-9A-Za-z]{20,247}"),
        Some(not_filler),
        "Roll the test-mode key in the Stripe dashboard (Developers > API keys); test data and webhooks of the account are reachable with it.",
        [
            "STRIPE_KEY=«sk_test_{A:24}»",
            "stripe.api_key = \"«rk_test_51{A:97}»\""
        ],
        [
            "sk_test_xxxxxxxxxxxxxxxxxxxxxxxx",
            "pk_test_{A:24}",
            "sk_test_{A:10}"
        ]
    ),
    row!(
        "stripe-live-key",
        "Stripe live restricted key",
        Prefix,
        ["rk_live_"],
        tok!(r"rk_live_[0-9A-Za-z]{20,247}"),
        Some(not_filler),
        "",
        ["«rk_live_{A:24}»"],
        ["rk_test_{A:24}"]
    ),
    row!(
        "stripe-webhook-secret",
        "Stripe webhook signing secret",
        Prefix,
        ["whsec_"],
        tok!(r"whsec_[A-Za-z0-9+/=]{32,88}"),
        Some(not_filler),
        "Roll the endpoint's signing secret in the Stripe dashboard (Developers > Webhooks).",
        ["STRIPE_WEBHOOK_SECRET=«whsec_{A:32}»"],
        ["whsec_{A:10}", "whsec_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"]
    ),
    row!(
        "google-api-key",
        "Google API key",
        Prefix,
        ["aiza"],
        tok!(r"AIza[0-9A-Za-z_\-]{35}"),
        Some(google_api_key),
        "",
        ["key: «AIza{w:35}»"],
        ["AIza{w:20}", "AIzaXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"]
    ),
    row!(
        "google-oauth-client-secret",
        "Google OAuth client secret",
        Prefix,
        ["gocspx-"],
        tok!(r"GOCSPX-[A-Za-z0-9_\-]{28}"),
        Some(not_filler),
        "Reset the client secret in Google Cloud console (APIs & Services > Credentials).",
        ["\"client_secret\": \"«GOCSPX-{w:28}»\""],
        ["GOCSPX-{w:10}", "GOCSPX-xxxxxxxxxxxxxxxxxxxxxxxxxxxx"]
    ),
    row!(
        "google-oauth-access-token",
        "Google OAuth access token",
        Prefix,
        ["ya29."],
        tok!(r"ya29\.[0-9A-Za-z_\-]{30,1000}"),
        Some(not_filler),
        "Revoke the token (https://oauth2.googleapis.com/revoke) and the refresh token that minted it.",
        ["Authorization: Bearer «ya29.a0{w:120}»"],
        ["ya29.{w:10}", "ya29.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"]
    ),
    row!(
        "gcp-firebase-server-key",
        "Firebase Cloud Messaging legacy server key",
        Prefix,
        ["aaaa"],
        tok!(r"AAAA[A-Za-z0-9_\-]{7}:APA91b[A-Za-z0-9_\-]{134}"),
        None,
        "Delete the legacy server key in the Firebase console and migrate to the HTTP v1 API with a service account.",
        ["fcm_key=«AAAA{w:7}:APA91b{w:134}»"],
        ["AAAA{w:7}:APA91b{w:20}"]
    ),
    row!(
        "azure-storage-key",
        "Azure storage account or shared access key",
        Context,
        ["accountkey", "sharedaccesskey"],
        r"(?i)(?:AccountKey|SharedAccessKey)\s*=\s*([A-Za-z0-9+/]{40,90}={0,2})",
        Some(azure_key),
        "",
        ["DefaultEndpointsProtocol=https;AccountName=x;AccountKey=«{b:86}==»;"],
        [
            "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq",
            "AccountKey={A:20}=="
        ]
    ),
    row!(
        "azure-ad-client-secret",
        "Microsoft Entra ID (Azure AD) client secret",
        Prefix,
        ["q~"],
        r#"(?:^|[\\'"`\s>=:(,)])([A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.\-]{31,34})(?:$|[\\'"`\s<),])"#,
        Some(not_filler),
        "Delete the secret under the app registration's Certificates & secrets in Entra ID; prefer a certificate or a managed identity.",
        [
            "AZURE_CLIENT_SECRET=«abc8Q~{w:34}»",
            "\"clientSecret\": \"«Xy_1Q~{A:31}»\""
        ],
        ["abcQ~{w:34}", "abc8Q~{w:10}"]
    ),
    row!(
        "azure-sas-token",
        "Azure shared access signature",
        Context,
        ["sig="],
        r"(?i)[?&]sv=\d{4}-\d{2}-\d{2}&[^\s'\x22<>]{0,300}?\bsig=([A-Za-z0-9%+/]{43,60}(?:%3D|=))",
        Some(not_filler),
        "Revoke the SAS by rotating the account key it was signed with (or its stored access policy); hand out short-lived user-delegation SAS instead.",
        [
            "https://acct.blob.core.windows.net/c?sv=2022-11-02&ss=b&srt=o&sp=r&se=2030-01-01T00:00:00Z&sig=«{A:43}%3D»"
        ],
        [
            "?sv=2022-11-02&sig=abc",
            "https://acct.blob.core.windows.net/c?sig={A:43}%3D"
        ]
    ),
    row!(
        "azure-devops-pat",
        "Azure DevOps personal access token",
        Context,
        ["azure", "devops", "ado_", "vsts", "azdo"],
        kv!(
            "azure_devops|azuredevops|devops|ado_|vsts|azdo",
            r"[a-z2-7]{52}|[A-Za-z0-9]{52}JQQJ9[A-Za-z0-9]{4}AZDO[A-Za-z0-9]{4}"
        ),
        Some(not_filler),
        "Revoke the PAT under User settings > Personal access tokens in Azure DevOps; prefer a service principal or workload identity.",
        ["AZURE_DEVOPS_PAT=«{z:52}»"],
        [
            "AZURE_DEVOPS_PAT=$(System.AccessToken)",
            "devops_pat = {l:20}"
        ]
    ),
    row!(
        "azure-app-insights-key",
        "Azure Application Insights API key",
        Context,
        ["insights", "appinsights"],
        kv!(
            "app_?insights[_.\\-]?api[_.\\-]?key|appinsights[_.\\-]?key",
            r"[a-z0-9]{40}"
        ),
        Some(not_filler),
        "Delete the API key under the Application Insights resource's API Access blade.",
        ["APPINSIGHTS_API_KEY=«{a:40}»"],
        ["APPINSIGHTS_API_KEY={a:12}"]
    ),
    // ------------------------------------------------------------- AI providers
    row!(
        "anthropic-api-key",
        "Anthropic API key",
        Prefix,
        ["sk-ant-api"],
        tok!(r"sk-ant-api03-[A-Za-z0-9_\-]{93}AA"),
        Some(not_filler),
        "Delete the key in the Anthropic Console (Settings > API keys).",
        ["ANTHROPIC_API_KEY=«sk-ant-api03-{w:93}AA»"],
        ["sk-ant-api03-{w:20}", "sk-ant-api03-xxxxxxxx"]
    ),
    row!(
        "anthropic-admin-key",
        "Anthropic Admin API key",
        Prefix,
        ["sk-ant-admin"],
        tok!(r"sk-ant-admin01-[A-Za-z0-9_\-]{93}AA"),
        Some(not_filler),
        "Delete the admin key in the Anthropic Console (Settings > Admin keys).",
        ["«sk-ant-admin01-{w:93}AA»"],
        ["sk-ant-admin01-{w:30}"]
    ),
    row!(
        "openai-api-key",
        "OpenAI API key",
        Prefix,
        ["t3blbkfj"],
        tok!(
            r"sk-(?:proj|svcacct|admin)-(?:[A-Za-z0-9_\-]{74}|[A-Za-z0-9_\-]{58})T3BlbkFJ(?:[A-Za-z0-9_\-]{74}|[A-Za-z0-9_\-]{58})|sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}"
        ),
        Some(not_filler),
        "Revoke the key in the OpenAI platform (API keys page) and create a project-scoped one.",
        [
            "OPENAI_API_KEY=«sk-proj-{w:74}T3BlbkFJ{w:74}»",
            "«sk-{A:20}T3BlbkFJ{A:20}»"
        ],
        ["sk-{A:48}", "sk-proj-{w:20}T3BlbkFJ{w:20}"]
    ),
    row!(
        "huggingface-access-token",
        "Hugging Face access token",
        Prefix,
        ["hf_"],
        tok!(r"hf_[A-Za-z]{34}"),
        Some(not_filler),
        "Invalidate the token in Hugging Face (Settings > Access Tokens).",
        ["HF_TOKEN=«hf_{L:34}»"],
        [
            "hf_{L:20}",
            "hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "hf_{L:10}1{L:23}"
        ]
    ),
    row!(
        "huggingface-org-token",
        "Hugging Face organisation API token",
        Prefix,
        ["api_org_"],
        tok!(r"api_org_[A-Za-z]{34}"),
        Some(not_filler),
        "Invalidate the organisation token in the Hugging Face organisation settings.",
        ["«api_org_{L:34}»"],
        ["api_org_{L:10}"]
    ),
    row!(
        "groq-api-key",
        "Groq API key",
        Prefix,
        ["gsk_"],
        tok!(r"gsk_[A-Za-z0-9]{52}"),
        Some(not_filler),
        "Delete the key in the Groq console (API Keys).",
        ["GROQ_API_KEY=«gsk_{A:52}»"],
        ["gsk_{A:20}"]
    ),
    row!(
        "together-api-key",
        "Together AI API key",
        Prefix,
        ["tgp_v1_"],
        tok!(r"tgp_v1_[A-Za-z0-9_\-]{43}"),
        Some(not_filler),
        "Revoke the key in the Together AI dashboard (Settings > API Keys).",
        ["TOGETHER_API_KEY=«tgp_v1_{w:43}»"],
        ["tgp_v1_{w:10}"]
    ),
    row!(
        "together-api-key-legacy",
        "Together AI API key (legacy hex)",
        Context,
        ["together"],
        kv!("together", r"[a-f0-9]{64}"),
        Some(not_filler),
        "Revoke the key in the Together AI dashboard (Settings > API Keys).",
        ["TOGETHER_API_KEY=«{h:64}»"],
        ["TOGETHER_API_KEY={h:40}", "together_model = {h:64}x"]
    ),
    row!(
        "xai-api-key",
        "xAI API key",
        Prefix,
        ["xai-"],
        tok!(r"xai-[A-Za-z0-9]{80}"),
        Some(not_filler),
        "Delete the key in the xAI console (API Keys).",
        ["XAI_API_KEY=«xai-{A:80}»"],
        ["xai-{A:20}"]
    ),
    row!(
        "deepseek-api-key",
        "DeepSeek API key",
        Context,
        ["deepseek"],
        kv!("deepseek", r"sk-[a-f0-9]{32}"),
        Some(not_filler),
        "Delete the key on the DeepSeek platform (API keys).",
        ["DEEPSEEK_API_KEY=«sk-{h:32}»"],
        [
            "DEEPSEEK_API_KEY=sk-{h:16}",
            "deepseek_model = deepseek-chat"
        ]
    ),
    row!(
        "perplexity-api-key",
        "Perplexity API key",
        Prefix,
        ["pplx-"],
        tok!(r"pplx-[A-Za-z0-9]{48}"),
        Some(not_filler),
        "Revoke the key in Perplexity (Settings > API).",
        ["PPLX_API_KEY=«pplx-{A:48}»"],
        ["pplx-{A:10}"]
    ),
    row!(
        "openrouter-api-key",
        "OpenRouter API key",
        Prefix,
        ["sk-or-v1-"],
        tok!(r"sk-or-v1-[a-f0-9]{64}"),
        Some(not_filler),
        "Delete the key in OpenRouter (Settings > Keys).",
        ["«sk-or-v1-{h:64}»"],
        ["sk-or-v1-{h:20}"]
    ),
    row!(
        "replicate-api-token",
        "Replicate API token",
        Prefix,
        ["r8_"],
        tok!(r"r8_[A-Za-z0-9]{37}"),
        Some(not_filler),
        "Revoke the token in Replicate (Account > API tokens).",
        ["REPLICATE_API_TOKEN=«r8_{A:37}»"],
        ["r8_{A:10}"]
    ),
    row!(
        "langsmith-api-key",
        "LangSmith API key",
        Prefix,
        ["lsv2_"],
        tok!(r"lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}"),
        Some(not_filler),
        "Delete the key in LangSmith (Settings > API Keys).",
        ["LANGCHAIN_API_KEY=«lsv2_pt_{h:32}_{h:10}»"],
        ["lsv2_pt_{h:32}"]
    ),
    row!(
        "mistral-api-key",
        "Mistral AI API key",
        Context,
        ["mistral"],
        kv!("mistral", r"[A-Za-z0-9]{32}"),
        Some(not_filler),
        "Revoke the key in Mistral's La Plateforme (API Keys).",
        ["MISTRAL_API_KEY=«{A:32}»"],
        [
            "MISTRAL_API_KEY={A:16}",
            "mistral_model = mistral-large-latest"
        ]
    ),
    row!(
        "cohere-api-key",
        "Cohere API key",
        Context,
        ["cohere", "co_api"],
        kv!("cohere|co_api", r"[A-Za-z0-9]{40}"),
        Some(not_filler),
        "Delete the key in the Cohere dashboard (API Keys).",
        ["COHERE_API_KEY=«{A:40}»"],
        ["COHERE_API_KEY={A:12}"]
    ),
    row!(
        "elevenlabs-api-key",
        "ElevenLabs API key",
        Context,
        ["elevenlabs", "xi-api-key", "xi_api_key"],
        kv!("elevenlabs|xi[_\\-]api[_\\-]key", r"sk_[a-f0-9]{48}"),
        Some(not_filler),
        "Delete the key in ElevenLabs (Profile > API keys).",
        ["ELEVENLABS_API_KEY=«sk_{h:48}»"],
        ["ELEVENLABS_API_KEY=sk_{h:10}"]
    ),
    row!(
        "pinecone-api-key",
        "Pinecone API key",
        Prefix,
        ["pcsk_"],
        tok!(r"pcsk_[A-Za-z0-9]{4,8}_[A-Za-z0-9]{50,70}"),
        Some(not_filler),
        "Delete the key in the Pinecone console (API Keys).",
        ["PINECONE_API_KEY=«pcsk_{A:6}_{A:63}»"],
        ["pcsk_{A:6}"]
    ),
    // ----------------------------------------------------- Atlassian, SCM, CI
    row!(
        "atlassian-api-token",
        "Atlassian (Jira, Confluence) API token",
        Prefix,
        ["atatt3", "atctt3"],
        tok!(r"AT[AC]TT3[A-Za-z0-9_\-=]{186}"),
        Some(not_filler),
        "Revoke the token at id.atlassian.com (Security > API tokens).",
        ["JIRA_API_TOKEN=«ATATT3xFfGF0{w:180}»"],
        ["ATATT3{w:40}"]
    ),
    row!(
        "atlassian-pat",
        "Jira/Confluence Data Center personal access token",
        Context,
        ["jira", "confluence", "atlassian", "bitbucket"],
        kv!(
            "jira|confluence|atlassian|bitbucket",
            r"[MNO][A-Za-z0-9+/]{43}|[A-Za-z0-9]{24}"
        ),
        Some(not_filler),
        "Revoke the personal access token in the Jira/Confluence profile (Personal Access Tokens).",
        ["JIRA_TOKEN=«N{b:43}»", "confluence_api_token: «{A:24}»"],
        ["JIRA_TOKEN={A:10}", "jira_url: https://jira.bank.sg"]
    ),
    row!(
        "bitbucket-app-password",
        "Bitbucket app password",
        Prefix,
        ["atbb"],
        tok!(r"ATBB[A-Za-z0-9]{32}"),
        Some(not_filler),
        "Revoke the app password in Bitbucket (Personal settings > App passwords); prefer an API token or an access token.",
        ["https://user:«ATBB{A:32}»@bitbucket.org/x/y.git"],
        ["ATBB{A:10}"]
    ),
    row!(
        "docker-hub-pat",
        "Docker Hub personal access token",
        Prefix,
        ["dckr_pat_"],
        tok!(r"dckr_pat_[A-Za-z0-9_\-]{27}"),
        Some(not_filler),
        "Delete the token in Docker Hub (Account settings > Personal access tokens).",
        ["docker login -u ci -p «dckr_pat_{w:27}»"],
        ["dckr_pat_{w:10}"]
    ),
    row!(
        "docker-hub-oat",
        "Docker Hub organisation access token",
        Prefix,
        ["dckr_oat_"],
        tok!(r"dckr_oat_[A-Za-z0-9_\-]{32}"),
        Some(not_filler),
        "Delete the organisation access token in Docker Hub (Organization settings > Access tokens).",
        ["«dckr_oat_{w:32}»"],
        ["dckr_oat_{w:10}"]
    ),
    row!(
        "jfrog-api-key",
        "JFrog Artifactory API key",
        Prefix,
        ["akcp"],
        tok!(r"AKCp[A-Za-z0-9]{69}"),
        Some(not_filler),
        "Revoke the API key in the JFrog Platform (Edit Profile) and move to scoped access tokens.",
        ["ARTIFACTORY_API_KEY=«AKCp{A:69}»"],
        ["AKCp{A:20}"]
    ),
    row!(
        "jfrog-identity-token",
        "JFrog access or identity token",
        Prefix,
        ["cmvmdgtuojaxo"],
        tok!(r"cmVmdGtuOjAxO[A-Za-z0-9+/]{40,200}={0,2}"),
        Some(jfrog_reference),
        "Revoke the token in the JFrog Platform (Administration > Identity and Access > Access Tokens).",
        ["ARTIFACTORY_TOKEN=«{b64:reftkn:01:|40}»"],
        ["cmVmdGtuOjAxO{A:10}"]
    ),
    row!(
        "jfrog-access-token",
        "JFrog access token (JWT) next to a JFrog name",
        Context,
        ["jfrog", "artifactory"],
        kv!(
            "jfrog|artifactory",
            r"eyJ2ZXIiOiIy[A-Za-z0-9_\-]{20,}\.eyJ[A-Za-z0-9_\-]{20,}\.[A-Za-z0-9_\-]{20,}"
        ),
        Some(not_filler),
        "Revoke the token in the JFrog Platform (Administration > Identity and Access > Access Tokens).",
        ["JFROG_ACCESS_TOKEN=«eyJ2ZXIiOiIy{w:40}.eyJ{w:60}.{w:43}»"],
        ["JFROG_ACCESS_TOKEN=eyJ2ZXIiOiIy"]
    ),
    row!(
        "npm-access-token",
        "npm access token",
        Prefix,
        ["npm_"],
        tok!(r"npm_[A-Za-z0-9]{36}"),
        Some(github),
        "Revoke the token on npmjs.com (Access Tokens) or with `npm token revoke`; publish from CI with trusted publishing.",
        ["//registry.npmjs.org/:_authToken=«npm_{A:30}{crc}»"],
        [
            "npm_{A:20}",
            "npm_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "npm_{A:37}"
        ]
    ),
    row!(
        "npmrc-auth",
        "npm registry _auth credential (.npmrc)",
        Context,
        ["_auth"],
        r#"(?m)(?:^|:)_auth(?:Token)?\s*=\s*["']?([A-Za-z0-9+/]{20,}={0,2}|[A-Za-z0-9_\-.]{30,})["']?\s*$"#,
        Some(not_filler),
        "Revoke the token in the registry (npm token revoke, or the Artifactory/Nexus user profile).",
        ["//npm.bank.sg/:_authToken=«{A:40}»\n", "_auth=«{b:40}»\n"],
        ["_authToken=${NPM_TOKEN}\n", "_auth={A:8}\n"]
    ),
    row!(
        "pypi-upload-token",
        "PyPI API token",
        Prefix,
        ["pypi-ageichlwas5vcmc", "pypi-agendgvzdc5wexbplm9yzw"],
        tok!(r"pypi-(?:AgEIcHlwaS5vcmc|AgENdGVzdC5weXBpLm9yZw)[A-Za-z0-9_\-]{50,1000}"),
        Some(pypi),
        "Delete the token in the PyPI account settings (API tokens); publish with trusted publishing instead.",
        ["password = «pypi-{b64u:\u{2}\u{1}\u{8}pypi.org\u{2}\u{20}|120}»"],
        ["pypi-AgEIcHlwaS5vcmc{A:10}", "pypi-{A:80}"]
    ),
    row!(
        "nuget-api-key",
        "NuGet API key",
        Prefix,
        ["oy2"],
        tok!(r"oy2[a-z0-9]{43}"),
        Some(not_filler),
        "Delete or regenerate the key on nuget.org (API Keys).",
        ["dotnet nuget push x.nupkg -k «oy2{a:43}»"],
        ["oy2{a:20}"]
    ),
    row!(
        "rubygems-api-key",
        "RubyGems API key",
        Prefix,
        ["rubygems_"],
        tok!(r"rubygems_[a-f0-9]{48}"),
        Some(not_filler),
        "Delete the key on rubygems.org (Settings > API keys).",
        ["GEM_HOST_API_KEY=«rubygems_{h:48}»"],
        ["rubygems_{h:20}"]
    ),
    row!(
        "clojars-api-token",
        "Clojars deploy token",
        Prefix,
        ["clojars_"],
        tok!(r"CLOJARS_[a-z0-9]{60}"),
        Some(not_filler),
        "Disable the deploy token on clojars.org (Deploy Tokens).",
        ["«CLOJARS_{a:60}»"],
        ["CLOJARS_{a:20}"]
    ),
    row!(
        "crates-io-token",
        "crates.io API token",
        Prefix,
        ["cio"],
        tok!(r"cio[A-Za-z0-9]{32}"),
        Some(not_filler),
        "Revoke the token on crates.io (Account Settings > API Tokens).",
        ["CARGO_REGISTRY_TOKEN=«cio{A:32}»"],
        ["cio{A:10}", "cio{A:33}"]
    ),
    row!(
        "sonarqube-token",
        "SonarQube / SonarCloud token",
        Prefix,
        ["sqp_", "squ_", "sqa_"],
        tok!(r"sq[pua]_[a-f0-9]{40}"),
        Some(not_filler),
        "Revoke the token in SonarQube (My Account > Security).",
        ["SONAR_TOKEN=«sqp_{h:40}»"],
        ["sqp_{h:10}"]
    ),
    row!(
        "sonarcloud-token",
        "SonarCloud token (hex) next to a Sonar name",
        Context,
        ["sonar"],
        kv!("sonar", r"[a-f0-9]{40}"),
        Some(not_filler),
        "Revoke the token in SonarQube / SonarCloud (My Account > Security).",
        ["SONAR_TOKEN=«{h:40}»"],
        ["SONAR_TOKEN={h:12}", "sonar.projectKey=bank_core"]
    ),
    row!(
        "circleci-token",
        "CircleCI personal API token",
        Prefix,
        ["ccipat_"],
        tok!(r"CCIPAT_[A-Za-z0-9]{22}_[a-f0-9]{40}"),
        Some(not_filler),
        "Delete the token in CircleCI (User Settings > Personal API Tokens).",
        ["«CCIPAT_{A:22}_{h:40}»"],
        ["CCIPAT_{A:22}"]
    ),
    row!(
        "buildkite-token",
        "Buildkite API access token",
        Prefix,
        ["bkua_"],
        tok!(r"bkua_[a-f0-9]{40}"),
        Some(not_filler),
        "Revoke the token in Buildkite (Personal Settings > API Access Tokens).",
        ["«bkua_{h:40}»"],
        ["bkua_{h:8}"]
    ),
    row!(
        "jenkins-api-token",
        "Jenkins API token",
        Context,
        ["jenkins"],
        kv!("jenkins", r"11[a-f0-9]{32}"),
        Some(not_filler),
        "Revoke the token in Jenkins (user > Configure > API Token).",
        ["JENKINS_API_TOKEN=«11{h:32}»"],
        [
            "JENKINS_API_TOKEN=11{h:10}",
            "jenkins_url: https://ci.bank.sg"
        ]
    ),
    row!(
        "octopus-deploy-api-key",
        "Octopus Deploy API key",
        Prefix,
        ["api-"],
        tok!(r"API-[A-Z0-9]{26}"),
        Some(not_filler),
        "Revoke the key in Octopus Deploy (Profile > My API Keys).",
        ["OCTOPUS_API_KEY=«API-{u:26}»"],
        ["API-{u:10}", "X-API-KEY-HEADER"]
    ),
    row!(
        "harness-pat",
        "Harness personal access or service-account token",
        Prefix,
        ["pat.", "sat."],
        tok!(r"(?:pat|sat)\.[A-Za-z0-9_\-]{22}\.[0-9a-f]{24}\.[A-Za-z0-9]{20}"),
        Some(not_filler),
        "Delete the token in Harness (My Profile > My API Keys, or the service account).",
        ["«pat.{w:22}.{h:24}.{A:20}»"],
        ["pat.{w:22}.{h:24}"]
    ),
    row!(
        "snyk-api-token",
        "Snyk API token",
        Context,
        ["snyk"],
        kv!(
            "snyk",
            r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
        ),
        Some(not_filler),
        "Revoke the token in Snyk (Account settings > Auth Token) and use a service account token.",
        ["SNYK_TOKEN=«{h:8}-{h:4}-{h:4}-{h:4}-{h:12}»"],
        ["SNYK_TOKEN={h:8}", "snyk_org_name = payments"]
    ),
    row!(
        "codecov-token",
        "Codecov upload token",
        Context,
        ["codecov"],
        kv!(
            "codecov",
            r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
        ),
        Some(not_filler),
        "Regenerate the upload token in the Codecov repository settings.",
        ["CODECOV_TOKEN=«{h:8}-{h:4}-{h:4}-{h:4}-{h:12}»"],
        ["CODECOV_TOKEN=${{ secrets.CODECOV_TOKEN }}"]
    ),
    row!(
        "travis-ci-token",
        "Travis CI access token",
        Context,
        ["travis"],
        kv!("travis", r"[A-Za-z0-9]{22}"),
        Some(not_filler),
        "Regenerate the token in Travis CI (Settings > API authentication).",
        ["TRAVIS_TOKEN=«{A:22}»"],
        ["TRAVIS_TOKEN={A:8}"]
    ),
    row!(
        "gitea-token",
        "Gitea / Forgejo access token",
        Context,
        ["gitea", "forgejo"],
        kv!("gitea|forgejo", r"[a-f0-9]{40}"),
        Some(not_filler),
        "Delete the token in Gitea (Settings > Applications).",
        ["GITEA_TOKEN=«{h:40}»"],
        ["GITEA_TOKEN={h:10}"]
    ),
    row!(
        "bitbucket-client-secret",
        "Bitbucket OAuth consumer secret",
        Context,
        ["bitbucket"],
        kv!(
            "bitbucket[_.\\-]?(?:client|consumer|oauth)[_.\\-]?secret",
            r"[A-Za-z0-9_\-=]{32,64}"
        ),
        Some(not_filler),
        "Regenerate the consumer secret in the Bitbucket workspace settings (OAuth consumers).",
        ["BITBUCKET_CLIENT_SECRET=«{A:32}»"],
        ["BITBUCKET_CLIENT_SECRET={A:10}"]
    ),
    // --------------------------------------------------------- Cloud & PaaS
    row!(
        "cloudflare-api-token",
        "Cloudflare API token",
        Context,
        ["cloudflare", "cf_api", "cf-api"],
        kv!("cloudflare|cf_api|cf-api", r"[A-Za-z0-9_\-]{40}"),
        Some(not_filler),
        "Roll or delete the token in the Cloudflare dashboard (My Profile > API Tokens).",
        ["CLOUDFLARE_API_TOKEN=«{w:40}»"],
        [
            "CLOUDFLARE_API_TOKEN={w:20}",
            "cloudflare_zone = bank-sg-com-abcdefghijklmnopqrstuvwx"
        ]
    ),
    row!(
        "cloudflare-global-api-key",
        "Cloudflare global API key",
        Context,
        ["cloudflare", "cf_api", "cf-api", "x-auth-key"],
        kv!("cloudflare|cf_api|cf-api|x-auth-key", r"[a-f0-9]{37}"),
        Some(not_filler),
        "Rotate the global API key in the Cloudflare dashboard (My Profile > API Tokens) and switch to scoped API tokens.",
        ["CLOUDFLARE_API_KEY=«{h:37}»"],
        ["CLOUDFLARE_API_KEY={h:20}"]
    ),
    row!(
        "cloudflare-origin-ca-key",
        "Cloudflare Origin CA key",
        Prefix,
        ["v1.0-"],
        tok!(r"v1\.0-[a-f0-9]{24}-[a-f0-9]{146}"),
        Some(not_filler),
        "Revoke the Origin CA key in the Cloudflare dashboard (My Profile > API Tokens).",
        ["CF_ORIGIN_CA_KEY=«v1.0-{h:24}-{h:146}»"],
        ["v1.0-{h:24}-{h:20}"]
    ),
    row!(
        "digitalocean-pat",
        "DigitalOcean personal access token",
        Prefix,
        ["dop_v1_"],
        tok!(r"dop_v1_[a-f0-9]{64}"),
        Some(not_filler),
        "Delete the token in the DigitalOcean control panel (API > Tokens).",
        ["DIGITALOCEAN_TOKEN=«dop_v1_{h:64}»"],
        ["dop_v1_{h:20}"]
    ),
    row!(
        "digitalocean-oauth-token",
        "DigitalOcean OAuth access token",
        Prefix,
        ["doo_v1_"],
        tok!(r"doo_v1_[a-f0-9]{64}"),
        Some(not_filler),
        "Revoke the OAuth authorisation in the DigitalOcean control panel.",
        ["«doo_v1_{h:64}»"],
        ["doo_v1_{h:10}"]
    ),
    row!(
        "digitalocean-refresh-token",
        "DigitalOcean OAuth refresh token",
        Prefix,
        ["dor_v1_"],
        tok!(r"dor_v1_[a-f0-9]{64}"),
        Some(not_filler),
        "Revoke the OAuth authorisation in the DigitalOcean control panel.",
        ["«dor_v1_{h:64}»"],
        ["dor_v1_{h:10}"]
    ),
    row!(
        "digitalocean-spaces-key",
        "DigitalOcean Spaces access key",
        Prefix,
        ["do00"],
        tok!(r"DO00[A-Z0-9]{16}"),
        Some(not_filler),
        "Revoke the Spaces key in the DigitalOcean control panel (API > Spaces Keys).",
        ["SPACES_KEY=«DO00{u:16}»"],
        ["DO00{u:8}"]
    ),
    row!(
        "vercel-token",
        "Vercel access token",
        Prefix,
        ["vcp_", "vci_", "vca_", "vcr_", "vck_"],
        tok!(r"vc[pirak]_[A-Za-z0-9]{56}"),
        Some(not_filler),
        "Delete the token in Vercel (Account Settings > Tokens).",
        ["VERCEL_TOKEN=«vcp_{A:56}»"],
        ["vcp_{A:20}"]
    ),
    row!(
        "vercel-token-legacy",
        "Vercel access token (unprefixed)",
        Context,
        ["vercel"],
        kv!("vercel", r"[A-Za-z0-9]{24}"),
        Some(not_filler),
        "Delete the token in Vercel (Account Settings > Tokens).",
        ["VERCEL_TOKEN=«{A:24}»"],
        [
            "VERCEL_TOKEN={A:10}",
            "vercel_project = my-banking-portal-ui1"
        ]
    ),
    row!(
        "netlify-token",
        "Netlify personal access token",
        Prefix,
        ["nfp_"],
        tok!(r"nfp_[A-Za-z0-9]{36}"),
        Some(not_filler),
        "Delete the token in Netlify (User settings > Applications > Personal access tokens).",
        ["NETLIFY_AUTH_TOKEN=«nfp_{A:36}»"],
        ["nfp_{A:10}"]
    ),
    row!(
        "netlify-token-legacy",
        "Netlify access token (unprefixed)",
        Context,
        ["netlify"],
        kv!("netlify", r"[A-Za-z0-9_\-]{43,46}"),
        Some(not_filler),
        "Delete the token in Netlify (User settings > Applications > Personal access tokens).",
        ["NETLIFY_AUTH_TOKEN=«{w:43}»"],
        ["NETLIFY_AUTH_TOKEN={w:20}"]
    ),
    row!(
        "heroku-api-key",
        "Heroku API key (new format)",
        Prefix,
        ["hrku-"],
        tok!(r"HRKU-AA[0-9A-Za-z_\-]{58}"),
        Some(not_filler),
        "Revoke the authorisation with `heroku authorizations:revoke` or in Account settings.",
        ["HEROKU_API_KEY=«HRKU-AA{w:58}»"],
        ["HRKU-AA{w:10}"]
    ),
    row!(
        "heroku-api-key-legacy",
        "Heroku API key (UUID)",
        Context,
        ["heroku"],
        kv!(
            "heroku",
            r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
        ),
        Some(not_filler),
        "Regenerate the API key in Heroku Account settings or revoke the authorisation.",
        ["HEROKU_API_KEY=«{h:8}-{h:4}-{h:4}-{h:4}-{h:12}»"],
        ["HEROKU_API_KEY=${HEROKU_API_KEY}", "heroku_app_id = {h:8}"]
    ),
    row!(
        "vault-service-token",
        "HashiCorp Vault service token",
        Prefix,
        ["hvs."],
        tok!(r"hvs\.[A-Za-z0-9_\-]{90,120}"),
        Some(not_filler),
        "Revoke the token (`vault token revoke`) and use a short-lived auth method (AWS IAM, Kubernetes, AppRole).",
        ["VAULT_TOKEN=«hvs.{w:95}»"],
        ["hvs.{w:24}"]
    ),
    row!(
        "vault-batch-token",
        "HashiCorp Vault batch token",
        Prefix,
        ["hvb."],
        tok!(r"hvb\.[A-Za-z0-9_\-]{138,300}"),
        Some(not_filler),
        "Batch tokens cannot be revoked individually: revoke the parent token or lease and shorten the TTL.",
        ["«hvb.{w:150}»"],
        ["hvb.{w:40}"]
    ),
    row!(
        "vault-service-token-legacy",
        "HashiCorp Vault token (legacy s.)",
        Context,
        ["vault"],
        kv!("vault", r"s\.[A-Za-z0-9]{24}"),
        Some(not_filler),
        "Revoke the token (`vault token revoke`) and use a short-lived auth method.",
        ["VAULT_TOKEN=«s.{A:24}»"],
        ["VAULT_TOKEN=s.{A:10}", "vault_addr = s.example.com"]
    ),
    row!(
        "terraform-cloud-token",
        "Terraform Cloud / Enterprise API token",
        Prefix,
        ["atlasv1"],
        tok!(r"[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_\-=]{60,70}"),
        Some(not_filler),
        "Revoke the token in HCP Terraform (User settings > Tokens, or the team/organization token).",
        ["token = \"«{A:14}.atlasv1.{w:67}»\""],
        ["{A:14}.atlasv1.{w:10}"]
    ),
    row!(
        "doppler-token",
        "Doppler service or personal token",
        Prefix,
        [
            "dp.pt.",
            "dp.st.",
            "dp.sa.",
            "dp.ct.",
            "dp.scim.",
            "dp.audit."
        ],
        tok!(r"dp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9_\-.]{40,44}"),
        Some(not_filler),
        "Revoke the token in the Doppler dashboard (Access > Tokens, or the config's Service Tokens).",
        ["DOPPLER_TOKEN=«dp.st.prd.{A:40}»", "«dp.pt.{A:43}»"],
        ["dp.pt.{A:10}"]
    ),
    row!(
        "pulumi-access-token",
        "Pulumi access token",
        Prefix,
        ["pul-"],
        tok!(r"pul-[a-f0-9]{40}"),
        Some(not_filler),
        "Delete the token in Pulumi Cloud (Settings > Access Tokens).",
        ["PULUMI_ACCESS_TOKEN=«pul-{h:40}»"],
        ["pul-{h:10}"]
    ),
    row!(
        "flyio-token",
        "Fly.io access token",
        Prefix,
        ["fo1_", "fm1r_", "fm2_"],
        tok!(r"(?:fo1_[A-Za-z0-9_\-]{43}|fm[12][ar]?_[A-Za-z0-9+/]{100,}={0,3})"),
        Some(not_filler),
        "Revoke the token with `fly tokens revoke` or in the Fly.io dashboard.",
        ["FLY_API_TOKEN=«fo1_{w:43}»"],
        ["fo1_{w:10}"]
    ),
    row!(
        "render-api-key",
        "Render API key",
        Prefix,
        ["rnd_"],
        tok!(r"rnd_[A-Za-z0-9]{32}"),
        Some(not_filler),
        "Revoke the key in Render (Account Settings > API Keys).",
        ["RENDER_API_KEY=«rnd_{A:32}»"],
        ["rnd_{A:10}"]
    ),
    row!(
        "alibaba-access-key-id",
        "Alibaba Cloud AccessKey id",
        Prefix,
        ["ltai"],
        tok!(r"LTAI[A-Za-z0-9]{20}"),
        Some(not_filler),
        "Disable and delete the AccessKey pair in the Alibaba Cloud RAM console.",
        ["«LTAI{A:20}»"],
        ["LTAI{A:10}"]
    ),
    row!(
        "alibaba-secret-key",
        "Alibaba Cloud AccessKey secret",
        Context,
        ["alibaba", "aliyun", "access_key_secret", "accesskeysecret"],
        kv!("alibaba|aliyun|access_?key_?secret", r"[A-Za-z0-9]{30}"),
        Some(not_filler),
        "Disable and delete the AccessKey pair in the Alibaba Cloud RAM console.",
        ["ALIBABA_CLOUD_ACCESS_KEY_SECRET=«{A:30}»"],
        ["ALIBABA_CLOUD_ACCESS_KEY_SECRET={A:10}"]
    ),
    row!(
        "tencent-secret-id",
        "Tencent Cloud SecretId",
        Prefix,
        ["akid"],
        tok!(r"AKID[A-Za-z0-9]{32}"),
        Some(not_filler),
        "Disable and delete the API key in the Tencent Cloud CAM console.",
        ["«AKID{A:32}»"],
        ["AKID{A:10}"]
    ),
    row!(
        "yandex-api-key",
        "Yandex Cloud API key",
        Prefix,
        ["aqvn"],
        tok!(r"AQVN[A-Za-z0-9_\-]{35,38}"),
        Some(not_filler),
        "Delete the API key in the Yandex Cloud console (service account > API keys).",
        ["«AQVN{w:36}»"],
        ["AQVN{w:10}"]
    ),
    row!(
        "ibm-cloud-api-key",
        "IBM Cloud API key",
        Context,
        ["ibm"],
        kv!(
            "ibm[_.\\-]?(?:cloud)?[_.\\-]?api[_.\\-]?key|ibmcloud_api_key",
            r"[A-Za-z0-9_\-]{44}"
        ),
        Some(not_filler),
        "Delete the API key in IBM Cloud (Manage > Access (IAM) > API keys).",
        ["IBMCLOUD_API_KEY=«{w:44}»"],
        ["IBMCLOUD_API_KEY={w:10}"]
    ),
    row!(
        "openshift-user-token",
        "OpenShift user token",
        Prefix,
        ["sha256~"],
        tok!(r"sha256~[A-Za-z0-9_\-]{43}"),
        Some(not_filler),
        "Delete the token with `oc delete oauthaccesstoken` and log in again.",
        ["oc login --token=«sha256~{w:43}»"],
        ["sha256~{w:10}"]
    ),
    row!(
        "kubernetes-service-account-token",
        "Kubernetes service-account token next to a token name",
        Context,
        ["kube", "k8s"],
        kv!(
            "kube[a-z_]*token|k8s[a-z_]*token",
            r"eyJhbGciOiJSUzI1NiIs[A-Za-z0-9_\-]{20,}\.eyJ[A-Za-z0-9_\-]{20,}\.[A-Za-z0-9_\-]{20,}"
        ),
        Some(not_filler),
        "Delete the token's Secret (or the service account) and use projected, short-lived tokens.",
        ["KUBE_TOKEN=«eyJhbGciOiJSUzI1NiIs{w:30}.eyJ{w:80}.{w:86}»"],
        ["KUBE_TOKEN=eyJhbGciOiJSUzI1NiIs"]
    ),
    row!(
        "databricks-token",
        "Databricks personal access token",
        Prefix,
        ["dapi"],
        tok!(r"dapi[a-f0-9]{32}(?:-\d)?"),
        Some(not_filler),
        "Revoke the token in Databricks (User Settings > Developer > Access tokens).",
        ["DATABRICKS_TOKEN=«dapi{h:32}»"],
        ["dapi{h:10}"]
    ),
    row!(
        "okta-api-token",
        "Okta API token",
        Context,
        ["okta"],
        kv!("okta", r"00[A-Za-z0-9_\-]{40}"),
        Some(not_filler),
        "Revoke the token in the Okta Admin Console (Security > API > Tokens).",
        ["OKTA_API_TOKEN=«00{w:40}»"],
        ["OKTA_API_TOKEN=00{w:10}", "okta_domain = 00bank.okta.com"]
    ),
    row!(
        "auth0-client-secret",
        "Auth0 client secret",
        Context,
        ["auth0"],
        kv!("auth0[_.\\-]?client[_.\\-]?secret", r"[A-Za-z0-9_\-]{64}"),
        Some(not_filler),
        "Rotate the client secret in the Auth0 dashboard (Applications > Settings).",
        ["AUTH0_CLIENT_SECRET=«{w:64}»"],
        ["AUTH0_CLIENT_SECRET={w:10}"]
    ),
    row!(
        "onepassword-service-token",
        "1Password service account token",
        Prefix,
        ["ops_eyj"],
        tok!(r"ops_eyJ[A-Za-z0-9+/]{250,}={0,3}"),
        Some(not_filler),
        "Revoke the service account token in 1Password (Developer > Service Accounts).",
        ["OP_SERVICE_ACCOUNT_TOKEN=«ops_eyJ{b:300}»"],
        ["ops_eyJ{b:40}"]
    ),
    row!(
        "onepassword-secret-key",
        "1Password account Secret Key",
        Prefix,
        ["a3-"],
        tok!(
            r"A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}"
        ),
        Some(not_filler),
        "Regenerate the Secret Key in the 1Password account (My Profile > Secret Key).",
        ["«A3-{u:6}-{u:11}-{u:5}-{u:5}-{u:5}»"],
        ["A3-{u:6}-{u:5}"]
    ),
    row!(
        "fastly-api-token",
        "Fastly API token",
        Context,
        ["fastly"],
        kv!("fastly", r"[A-Za-z0-9_\-]{32}"),
        Some(not_filler),
        "Delete the token in Fastly (Account > Personal API tokens).",
        ["FASTLY_API_TOKEN=«{w:32}»"],
        ["FASTLY_API_TOKEN={w:10}"]
    ),
    row!(
        "scalingo-api-token",
        "Scalingo API token",
        Prefix,
        ["tk-us-"],
        tok!(r"tk-us-[A-Za-z0-9_\-]{48}"),
        Some(not_filler),
        "Revoke the token in the Scalingo dashboard (User settings > API tokens).",
        ["«tk-us-{w:48}»"],
        ["tk-us-{w:10}"]
    ),
    row!(
        "infracost-api-token",
        "Infracost API token",
        Prefix,
        ["ico-"],
        tok!(r"ico-[A-Za-z0-9]{32}"),
        Some(not_filler),
        "Rotate the key in Infracost Cloud (Org settings > API keys).",
        ["INFRACOST_API_KEY=«ico-{A:32}»"],
        ["ico-{A:10}"]
    ),
    row!(
        "prefect-api-token",
        "Prefect Cloud API key",
        Prefix,
        ["pnu_"],
        tok!(r"pnu_[A-Za-z0-9]{36}"),
        Some(not_filler),
        "Delete the key in Prefect Cloud (Profile > API keys).",
        ["PREFECT_API_KEY=«pnu_{A:36}»"],
        ["pnu_{A:10}"]
    ),
    // -------------------------------------------------------- Observability
    row!(
        "new-relic-user-api-key",
        "New Relic user API key",
        Prefix,
        ["nrak-"],
        tok!(r"NRAK-[A-Z0-9]{27}"),
        Some(not_filler),
        "Delete the key in New Relic (API keys UI) and create a new one.",
        ["NEW_RELIC_API_KEY=«NRAK-{u:27}»"],
        ["NRAK-{u:10}"]
    ),
    row!(
        "new-relic-insert-key",
        "New Relic insights insert key",
        Prefix,
        ["nrii-"],
        tok!(r"NRII-[A-Za-z0-9_\-]{32}"),
        Some(not_filler),
        "Delete the insert key in New Relic (API keys UI).",
        ["«NRII-{w:32}»"],
        ["NRII-{w:10}"]
    ),
    row!(
        "new-relic-browser-key",
        "New Relic browser API key",
        Prefix,
        ["nrjs-"],
        tok!(r"NRJS-[a-f0-9]{19}"),
        Some(not_filler),
        "Delete the browser key in New Relic (API keys UI).",
        ["«NRJS-{h:19}»"],
        ["NRJS-{h:5}"]
    ),
    row!(
        "new-relic-license-key",
        "New Relic ingest licence key",
        Prefix,
        ["nral"],
        tok!(r"[a-f0-9]{36}NRAL"),
        Some(not_filler),
        "Delete the ingest licence key in New Relic (API keys UI).",
        ["NEW_RELIC_LICENSE_KEY=«{h:36}NRAL»"],
        ["{h:20}NRAL"]
    ),
    row!(
        "new-relic-admin-key",
        "New Relic admin API key",
        Prefix,
        ["nraa-"],
        tok!(r"NRAA-[a-f0-9]{27}"),
        Some(not_filler),
        "Delete the admin key in New Relic (API keys UI).",
        ["«NRAA-{h:27}»"],
        ["NRAA-{h:10}"]
    ),
    row!(
        "grafana-cloud-token",
        "Grafana Cloud access policy token",
        Prefix,
        ["glc_"],
        tok!(r"glc_[A-Za-z0-9+/]{32,400}={0,2}"),
        Some(grafana_cloud),
        "Delete the token in Grafana Cloud (Administration > Access Policies).",
        ["GRAFANA_CLOUD_TOKEN=«glc_{b64:{\"o\":\"123456\",\"n\":\"ci\",\"k\":\"|32}»"],
        ["glc_{b64:not json at all|40}"]
    ),
    row!(
        "grafana-service-account-token",
        "Grafana service account token",
        Prefix,
        ["glsa_"],
        tok!(r"glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}"),
        Some(not_filler),
        "Delete the token in Grafana (Administration > Service accounts).",
        ["GRAFANA_TOKEN=«glsa_{A:32}_{h:8}»"],
        ["glsa_{A:32}"]
    ),
    row!(
        "grafana-api-key",
        "Grafana API key (legacy)",
        Prefix,
        ["eyjrijoi"],
        tok!(r"eyJrIjoi[A-Za-z0-9]{70,400}={0,2}"),
        Some(not_filler),
        "Delete the API key in Grafana (Configuration > API keys) and migrate to service accounts.",
        ["«eyJrIjoi{A:80}»"],
        ["eyJrIjoi{A:20}"]
    ),
    row!(
        "sentry-user-token",
        "Sentry user auth token",
        Prefix,
        ["sntryu_"],
        tok!(r"sntryu_[a-f0-9]{64}"),
        Some(not_filler),
        "Revoke the token in Sentry (User settings > Auth Tokens).",
        ["SENTRY_AUTH_TOKEN=«sntryu_{h:64}»"],
        ["sntryu_{h:10}"]
    ),
    row!(
        "sentry-org-token",
        "Sentry organisation auth token",
        Prefix,
        ["sntrys_"],
        tok!(r"sntrys_eyJpYXQiO[A-Za-z0-9+/=_]{60,300}"),
        Some(not_filler),
        "Revoke the token in Sentry (Organization settings > Auth Tokens).",
        ["SENTRY_AUTH_TOKEN=«sntrys_eyJpYXQiO{b:120}»"],
        ["sntrys_{A:40}"]
    ),
    row!(
        "sentry-auth-token-legacy",
        "Sentry auth token (legacy hex)",
        Context,
        ["sentry"],
        kv!("sentry[_.\\-]?(?:auth)?[_.\\-]?token", r"[a-f0-9]{64}"),
        Some(not_filler),
        "Revoke the token in Sentry (User settings > Auth Tokens).",
        ["SENTRY_AUTH_TOKEN=«{h:64}»"],
        ["SENTRY_AUTH_TOKEN={h:20}"]
    ),
    row!(
        "dynatrace-api-token",
        "Dynatrace API token",
        Prefix,
        ["dt0c01.", "dt0s01.", "dt0s02.", "dt0s16."],
        tok!(r"dt0[cs]\d{2}\.[A-Z0-9]{24}\.[A-Z0-9]{64}"),
        Some(not_filler),
        "Revoke the token in Dynatrace (Access tokens).",
        ["DT_API_TOKEN=«dt0c01.{u:24}.{u:64}»"],
        ["dt0c01.{u:24}"]
    ),
    row!(
        "datadog-api-key",
        "Datadog API key",
        Context,
        ["datadog", "dd_api", "dd-api"],
        kv!("datadog[_.\\-]?api|dd[_\\-]api", r"[a-f0-9]{32}"),
        Some(not_filler),
        "Revoke the key in Datadog (Organization Settings > API Keys).",
        ["DD_API_KEY=«{h:32}»"],
        ["DD_API_KEY={h:10}", "DD_API_KEY=<DATADOG_API_KEY>"]
    ),
    row!(
        "datadog-app-key",
        "Datadog application key",
        Context,
        ["datadog", "dd_app", "dd-app"],
        kv!("datadog[_.\\-]?app|dd[_\\-]app", r"[a-f0-9]{40}"),
        Some(not_filler),
        "Revoke the key in Datadog (Organization Settings > Application Keys).",
        ["DD_APP_KEY=«{h:40}»"],
        ["DD_APP_KEY={h:20}"]
    ),
    row!(
        "splunk-hec-token",
        "Splunk HTTP Event Collector token",
        Context,
        ["splunk"],
        r#"(?i)(?:splunk[a-z0-9_.\-]{0,32}["'`]?\s{0,5}(?::=|=>|=|:)\s{0,5}["'`]?(?:Splunk\s+)?|Authorization:\s*Splunk\s+)([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"#,
        Some(not_filler),
        "Disable and delete the HEC token in Splunk (Settings > Data inputs > HTTP Event Collector).",
        [
            "SPLUNK_HEC_TOKEN=«{h:8}-{h:4}-{h:4}-{h:4}-{h:12}»",
            "-H \"Authorization: Splunk «{h:8}-{h:4}-{h:4}-{h:4}-{h:12}»\""
        ],
        ["SPLUNK_HEC_TOKEN={h:8}"]
    ),
    row!(
        "pagerduty-api-key",
        "PagerDuty API key",
        Context,
        ["pagerduty"],
        kv!(
            "pagerduty|pd_api",
            r"u\+[A-Za-z0-9_+\-]{18}|[A-Za-z0-9_+\-]{20}"
        ),
        Some(not_filler),
        "Delete the key in PagerDuty (Integrations > API Access Keys).",
        ["PAGERDUTY_API_KEY=«u+{w:18}»"],
        ["PAGERDUTY_API_KEY={w:8}"]
    ),
    row!(
        "honeycomb-api-key",
        "Honeycomb API key",
        Context,
        ["honeycomb"],
        kv!(
            "honeycomb",
            r"hc[a-z]{2}[a-z]_[a-z0-9]{58}|[A-Za-z0-9]{22}|[a-f0-9]{32}"
        ),
        Some(not_filler),
        "Delete the key in Honeycomb (Environment settings > API Keys).",
        ["HONEYCOMB_API_KEY=«{A:22}»"],
        ["HONEYCOMB_API_KEY={A:8}"]
    ),
    row!(
        "elastic-api-key",
        "Elastic Cloud / Elasticsearch API key",
        Context,
        ["elastic"],
        kv!(
            "elastic[a-z_.\\-]{0,20}api[_.\\-]?key",
            r"[A-Za-z0-9_+/\-]{20,}={0,2}"
        ),
        Some(not_filler),
        "Invalidate the API key in Kibana (Stack Management > API keys) or with the invalidate API.",
        ["ELASTIC_API_KEY=«{b:60}==»"],
        ["ELASTIC_API_KEY={A:8}"]
    ),
    row!(
        "sumologic-access-key",
        "Sumo Logic access key",
        Context,
        ["sumo"],
        kv!(
            "sumo[a-z_.\\-]{0,20}(?:access[_.\\-]?key|key)",
            r"[A-Za-z0-9]{64}"
        ),
        Some(not_filler),
        "Delete the access key in Sumo Logic (Administration > Security > Access Keys).",
        ["SUMO_ACCESS_KEY=«{A:64}»"],
        ["SUMO_ACCESS_KEY={A:20}"]
    ),
    // ------------------------------------------------- Messaging & e-mail
    row!(
        "twilio-api-key",
        "Twilio API key",
        Context,
        ["twilio"],
        kv!("twilio", r"SK[0-9a-fA-F]{32}"),
        Some(not_filler),
        "Delete the API key in the Twilio Console (Account > API keys).",
        ["TWILIO_API_KEY=«SK{h:32}»"],
        ["TWILIO_API_KEY=SK{h:20}", "TWILIO_ACCOUNT_SID=AC{h:32}"]
    ),
    row!(
        "twilio-auth-token",
        "Twilio auth token",
        Context,
        ["twilio"],
        kv!(
            "twilio[a-z_.\\-]{0,12}(?:auth[_.\\-]?)?token|twilio[a-z_.\\-]{0,12}secret",
            r"[a-f0-9]{32}"
        ),
        Some(not_filler),
        "Promote the secondary auth token in the Twilio Console (Account > API keys & tokens) to rotate.",
        ["TWILIO_AUTH_TOKEN=«{h:32}»"],
        [
            "TWILIO_AUTH_TOKEN={h:16}",
            "TWILIO_AUTH_TOKEN=your_auth_token"
        ]
    ),
    row!(
        "sendgrid-api-key",
        "SendGrid API key",
        Prefix,
        ["sg."],
        tok!(r"SG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43}"),
        Some(not_filler),
        "Delete the key in SendGrid (Settings > API Keys).",
        ["SENDGRID_API_KEY=«SG.{w:22}.{w:43}»"],
        [
            "SG.{w:22}",
            "SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        ]
    ),
    row!(
        "mailgun-api-key",
        "Mailgun private API key",
        Prefix,
        ["key-"],
        tok!(r"key-[a-f0-9]{32}"),
        Some(not_filler),
        "Delete the key in Mailgun (API Security) and create a new one.",
        ["MAILGUN_API_KEY=«key-{h:32}»"],
        ["key-{h:16}", "pubkey-{h:32}"]
    ),
    row!(
        "mailgun-private-key",
        "Mailgun API key (new format)",
        Context,
        ["mailgun"],
        kv!("mailgun", r"[a-f0-9]{32}-[a-f0-9]{8}-[a-f0-9]{8}"),
        Some(not_filler),
        "Delete the key in Mailgun (API Security) and create a new one.",
        ["MAILGUN_API_KEY=«{h:32}-{h:8}-{h:8}»"],
        ["MAILGUN_API_KEY={h:32}"]
    ),
    row!(
        "mailchimp-api-key",
        "Mailchimp API key",
        Prefix,
        ["-us"],
        tok!(r"[a-f0-9]{32}-us(?:[1-9]|[1-2][0-9])"),
        Some(not_filler),
        "Revoke the key in Mailchimp (Account > Extras > API keys).",
        ["MAILCHIMP_API_KEY=«{h:32}-us14»"],
        ["{h:20}-us14", "{h:32}-usa"]
    ),
    row!(
        "mandrill-api-key",
        "Mailchimp Transactional (Mandrill) API key",
        Context,
        ["mandrill"],
        kv!("mandrill", r"[A-Za-z0-9_\-]{22}"),
        Some(not_filler),
        "Delete the key in Mailchimp Transactional (Settings > SMTP & API Info).",
        ["MANDRILL_API_KEY=«{w:22}»"],
        ["MANDRILL_API_KEY={w:8}"]
    ),
    row!(
        "postmark-server-token",
        "Postmark server token",
        Context,
        ["postmark"],
        kv!(
            "postmark",
            r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
        ),
        Some(not_filler),
        "Regenerate the server token in Postmark (Server > API Tokens).",
        ["POSTMARK_SERVER_TOKEN=«{h:8}-{h:4}-{h:4}-{h:4}-{h:12}»"],
        ["POSTMARK_SERVER_TOKEN={h:8}"]
    ),
    row!(
        "sparkpost-api-key",
        "SparkPost API key",
        Context,
        ["sparkpost"],
        kv!("sparkpost", r"[a-f0-9]{40}"),
        Some(not_filler),
        "Delete the key in SparkPost (Configuration > API Keys).",
        ["SPARKPOST_API_KEY=«{h:40}»"],
        ["SPARKPOST_API_KEY={h:20}"]
    ),
    row!(
        "brevo-api-key",
        "Brevo (Sendinblue) API key",
        Prefix,
        ["xkeysib-"],
        tok!(r"xkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16}"),
        Some(not_filler),
        "Delete the key in Brevo (SMTP & API > API Keys).",
        ["«xkeysib-{h:64}-{A:16}»"],
        ["xkeysib-{h:64}"]
    ),
    row!(
        "resend-api-key",
        "Resend API key",
        Prefix,
        ["re_"],
        tok!(r"re_[A-Za-z0-9]{8}_[A-Za-z0-9]{24}"),
        Some(not_filler),
        "Delete the key in Resend (API Keys).",
        ["RESEND_API_KEY=«re_{A:8}_{A:24}»"],
        ["re_{A:8}_{A:4}"]
    ),
    row!(
        "mailjet-secret-key",
        "Mailjet API secret key",
        Context,
        ["mailjet"],
        kv!("mailjet", r"[a-f0-9]{32}"),
        Some(not_filler),
        "Regenerate the secret key in Mailjet (Account settings > API Key Management).",
        ["MAILJET_SECRET_KEY=«{h:32}»"],
        ["MAILJET_SECRET_KEY={h:8}"]
    ),
    row!(
        "telegram-bot-token",
        "Telegram bot token",
        Prefix,
        [":aa"],
        r"(?:^|[^0-9])(?:bot)?([0-9]{5,16}:AA[0-9A-Za-z_\-]{33})(?:$|[^0-9A-Za-z_\-])",
        Some(not_filler),
        "Revoke the token with @BotFather (/revoke) and issue a new one.",
        [
            "TELEGRAM_BOT_TOKEN=«{d:10}:AA{w:33}»",
            "https://api.telegram.org/bot«{d:10}:AA{w:33}»/sendMessage"
        ],
        ["{d:10}:AA{w:10}", "12:AA{w:33}"]
    ),
    row!(
        "telegram-bot-token",
        "Telegram bot token (next to a bot or Telegram name)",
        Context,
        ["telegr", "bot"],
        r"(?i)(?:telegr|bot)[^\n]{0,40}?(?:^|[^0-9])([0-9]{5,16}:A[0-9A-Za-z_\-]{34})(?:$|[^0-9A-Za-z_\-])",
        Some(not_filler),
        "Revoke the token with @BotFather (/revoke) and issue a new one.",
        [
            "const bot = new Telegraf(\"«{d:9}:A{w:34}»\")",
            "bot: «{d:9}:A{w:34}»",
            "url = \"https://api.telegram.org/bot«{d:9}:A{w:34}»/getMe\""
        ],
        [
            "bot: {d:4}:A{w:34}",
            "bot: {d:17}:A{w:34}",
            "bot: {d:9}:A{w:20}",
            "version = \"{d:9}:A{w:34}\""
        ]
    ),
    row!(
        "discord-bot-token",
        "Discord bot token",
        Context,
        ["discord"],
        kv!(
            "discord",
            r"[MNO][A-Za-z0-9_\-]{23,25}\.[A-Za-z0-9_\-]{6}\.[A-Za-z0-9_\-]{27,38}"
        ),
        Some(not_filler),
        "Reset the bot token in the Discord Developer Portal (Bot > Reset Token).",
        ["DISCORD_TOKEN=«M{w:25}.{w:6}.{w:38}»"],
        ["DISCORD_TOKEN=M{w:25}"]
    ),
    row!(
        "discord-webhook-url",
        "Discord webhook URL",
        Prefix,
        ["discord.com/api/webhooks", "discordapp.com/api/webhooks"],
        r"(https://(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/[0-9]{17,20}/[A-Za-z0-9_\-]{60,68})",
        Some(not_filler),
        "Delete the webhook in the Discord channel settings (Integrations > Webhooks).",
        ["«https://discord.com/api/webhooks/{d:18}/{w:68}»"],
        ["https://discord.com/api/webhooks/{d:18}/"]
    ),
    row!(
        "discord-client-secret",
        "Discord client secret",
        Context,
        ["discord"],
        kv!("discord[a-z_.\\-]{0,12}secret", r"[A-Za-z0-9_\-=]{32}"),
        Some(not_filler),
        "Reset the client secret in the Discord Developer Portal (OAuth2).",
        ["DISCORD_CLIENT_SECRET=«{w:32}»"],
        ["DISCORD_CLIENT_SECRET={w:10}"]
    ),
    row!(
        "teams-webhook-url",
        "Microsoft Teams incoming webhook URL",
        Prefix,
        ["webhook.office.com", "logic.azure.com"],
        r"(https://[a-z0-9\-]+\.webhook\.office\.com/webhookb2/[a-z0-9]{8}-(?:[a-z0-9]{4}-){3}[a-z0-9]{12}@[a-z0-9]{8}-(?:[a-z0-9]{4}-){3}[a-z0-9]{12}/IncomingWebhook/[a-z0-9]{32}/[a-z0-9]{8}-(?:[a-z0-9]{4}-){3}[a-z0-9]{12}(?:/[A-Za-z0-9_\-]{30,60})?)",
        None,
        "Remove the incoming-webhook connector from the Teams channel and create a new one (or a Workflows webhook).",
        [
            "«https://bank.webhook.office.com/webhookb2/{h:8}-{h:4}-{h:4}-{h:4}-{h:12}@{h:8}-{h:4}-{h:4}-{h:4}-{h:12}/IncomingWebhook/{h:32}/{h:8}-{h:4}-{h:4}-{h:4}-{h:12}»"
        ],
        [
            "https://bank.webhook.office.com/webhookb2/",
            "https://bank.webhook.office.com/webhookb2/{h:8}-{h:4}-{h:4}-{h:12}@{h:8}/IncomingWebhook/{h:32}/{h:8}"
        ]
    ),
    row!(
        "twitter-bearer-token",
        "X (Twitter) app bearer token",
        Prefix,
        ["aaaaaaaaaaaaaaaaaaaaa"],
        r"(?:^|[^A-Za-z0-9%])(A{21}[A-Za-z0-9%]{80,110})(?:$|[^A-Za-z0-9%])",
        Some(not_filler),
        "Regenerate the bearer token in the X developer portal (Keys and tokens).",
        ["TWITTER_BEARER_TOKEN=«AAAAAAAAAAAAAAAAAAAAA{A:90}»"],
        [
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAA{A:20}"
        ]
    ),
    row!(
        "facebook-access-token",
        "Meta (Facebook) access token",
        Prefix,
        ["eaam", "eaac", "eaag"],
        tok!(r"EAA[MCG][A-Za-z0-9]{100,}"),
        Some(not_filler),
        "Invalidate the token (change the app secret or remove the app in Meta for Developers).",
        ["FB_PAGE_TOKEN=«EAAG{A:150}»"],
        ["EAAG{A:40}"]
    ),
    row!(
        "facebook-app-secret",
        "Meta (Facebook) app secret",
        Context,
        ["facebook", "fb_app", "fb-app"],
        kv!(
            "facebook[a-z_.\\-]{0,12}secret|fb[_\\-]app[_\\-]?secret",
            r"[a-f0-9]{32}"
        ),
        Some(not_filler),
        "Reset the app secret in Meta for Developers (App settings > Basic).",
        ["FACEBOOK_APP_SECRET=«{h:32}»"],
        ["FACEBOOK_APP_SECRET={h:10}"]
    ),
    row!(
        "linkedin-client-secret",
        "LinkedIn client secret",
        Context,
        ["linkedin"],
        kv!("linkedin[a-z_.\\-]{0,12}secret", r"[A-Za-z0-9]{16}"),
        Some(not_filler),
        "Generate a new client secret in the LinkedIn developer portal (Auth).",
        ["LINKEDIN_CLIENT_SECRET=«{A:16}»"],
        ["LINKEDIN_CLIENT_SECRET={A:6}"]
    ),
    row!(
        "zoom-client-secret",
        "Zoom client secret",
        Context,
        ["zoom"],
        kv!("zoom[a-z_.\\-]{0,12}secret", r"[A-Za-z0-9]{32}"),
        Some(not_filler),
        "Regenerate the client secret in the Zoom App Marketplace (App credentials).",
        ["ZOOM_CLIENT_SECRET=«{A:32}»"],
        ["ZOOM_CLIENT_SECRET={A:10}"]
    ),
    row!(
        "intercom-access-token",
        "Intercom access token",
        Context,
        ["intercom"],
        kv!("intercom", r"dG9rO[A-Za-z0-9+/]{50,}={0,2}"),
        Some(not_filler),
        "Revoke the token in the Intercom Developer Hub (Authentication).",
        ["INTERCOM_TOKEN=«dG9rO{b:55}=»"],
        ["INTERCOM_TOKEN=dG9rO"]
    ),
    row!(
        "zendesk-api-token",
        "Zendesk API token",
        Context,
        ["zendesk"],
        kv!("zendesk", r"[A-Za-z0-9]{40}"),
        Some(not_filler),
        "Delete the token in Zendesk Admin Center (Apps and integrations > Zendesk API).",
        ["ZENDESK_API_TOKEN=«{A:40}»"],
        ["ZENDESK_API_TOKEN={A:10}"]
    ),
    row!(
        "hubspot-private-app-token",
        "HubSpot private app token",
        Prefix,
        ["pat-na1-", "pat-eu1-", "pat-ap1-"],
        tok!(r"pat-(?:na|eu|ap)1-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"),
        Some(not_filler),
        "Rotate the private app's access token in HubSpot (Settings > Integrations > Private Apps).",
        ["HUBSPOT_TOKEN=«pat-na1-{h:8}-{h:4}-{h:4}-{h:4}-{h:12}»"],
        ["pat-na1-{h:8}"]
    ),
    // ------------------------------------------------ Commerce & payments
    row!(
        "shopify-access-token",
        "Shopify Admin API access token",
        Prefix,
        ["shpat_"],
        tok!(r"shpat_[a-fA-F0-9]{32}"),
        Some(not_filler),
        "Uninstall or rotate the custom app's Admin API token in the Shopify admin (Apps > Develop apps).",
        ["SHOPIFY_TOKEN=«shpat_{h:32}»"],
        ["shpat_{h:10}"]
    ),
    row!(
        "shopify-custom-app-token",
        "Shopify custom app access token",
        Prefix,
        ["shpca_"],
        tok!(r"shpca_[a-fA-F0-9]{32}"),
        Some(not_filler),
        "Rotate the custom app's access token in the Shopify admin.",
        ["«shpca_{h:32}»"],
        ["shpca_{h:10}"]
    ),
    row!(
        "shopify-private-app-token",
        "Shopify private app access token",
        Prefix,
        ["shppa_"],
        tok!(r"shppa_[a-fA-F0-9]{32}"),
        Some(not_filler),
        "Delete the private app in the Shopify admin and move to a custom app.",
        ["«shppa_{h:32}»"],
        ["shppa_{h:10}"]
    ),
    row!(
        "shopify-shared-secret",
        "Shopify app shared secret",
        Prefix,
        ["shpss_"],
        tok!(r"shpss_[a-fA-F0-9]{32}"),
        Some(not_filler),
        "Rotate the app's client secret in the Shopify Partner dashboard.",
        ["«shpss_{h:32}»"],
        ["shpss_{h:10}"]
    ),
    row!(
        "square-access-token",
        "Square access token",
        Prefix,
        ["eaaa", "sq0atp-"],
        tok!(r"(?:EAAA[A-Za-z0-9_\-]{60}|sq0atp-[A-Za-z0-9_\-]{22})"),
        Some(not_filler),
        "Revoke the access token in the Square Developer Dashboard (Credentials) or with the RevokeToken API.",
        ["SQUARE_ACCESS_TOKEN=«EAAA{w:60}»", "«sq0atp-{w:22}»"],
        ["EAAA{w:20}"]
    ),
    row!(
        "square-oauth-secret",
        "Square application secret",
        Prefix,
        ["sq0csp-"],
        tok!(r"sq0csp-[A-Za-z0-9_\-]{43}"),
        Some(not_filler),
        "Replace the application secret in the Square Developer Dashboard (OAuth).",
        ["«sq0csp-{w:43}»"],
        ["sq0csp-{w:10}"]
    ),
    row!(
        "braintree-access-token",
        "PayPal Braintree access token",
        Prefix,
        ["access_token$"],
        tok!(r"access_token\$(?:production|sandbox)\$[0-9a-z]{16}\$[0-9a-f]{32}"),
        Some(not_filler),
        "Revoke the access token in the Braintree Control Panel (API keys) and re-issue it.",
        ["BT_TOKEN=«access_token$production${a:16}${h:32}»"],
        ["access_token$production${a:16}"]
    ),
    row!(
        "braintree-private-key",
        "Braintree API private key",
        Context,
        ["braintree"],
        kv!(
            "braintree[a-z_.\\-]{0,12}(?:private|secret)[_.\\-]?key",
            r"[a-f0-9]{32}"
        ),
        Some(not_filler),
        "Delete the API key pair in the Braintree Control Panel (Settings > API) and create a new one.",
        ["BRAINTREE_PRIVATE_KEY=«{h:32}»"],
        ["BRAINTREE_PRIVATE_KEY={h:10}"]
    ),
    row!(
        "paypal-client-secret",
        "PayPal REST client secret",
        Context,
        ["paypal"],
        kv!("paypal[a-z_.\\-]{0,12}secret", r"E[A-Za-z0-9_\-]{79}"),
        Some(not_filler),
        "Generate a new secret for the REST app in the PayPal Developer Dashboard and disable the old one.",
        ["PAYPAL_CLIENT_SECRET=«E{w:79}»"],
        ["PAYPAL_CLIENT_SECRET=E{w:20}"]
    ),
    row!(
        "salesforce-access-token",
        "Salesforce access or session token",
        Prefix,
        ["00d"],
        tok!(r"00D[A-Za-z0-9]{12,15}![A-Za-z0-9_.]{80,120}"),
        Some(not_filler),
        "Revoke the session or OAuth token in Salesforce Setup (Session Management / Connected Apps OAuth Usage).",
        ["SF_ACCESS_TOKEN=«00D{A:15}!{A:96}»"],
        ["00D{A:15}!{A:20}"]
    ),
    row!(
        "salesforce-consumer-secret",
        "Salesforce connected-app consumer secret",
        Context,
        ["salesforce", "sfdc", "sf_consumer"],
        kv!(
            "(?:salesforce|sfdc|sf)[a-z_.\\-]{0,12}(?:consumer|client)[_.\\-]?secret",
            r"[A-F0-9]{64}"
        ),
        Some(not_filler),
        "Regenerate the consumer secret in Salesforce Setup (App Manager > Manage Consumer Details).",
        ["SFDC_CONSUMER_SECRET=«{H:64}»"],
        ["SFDC_CONSUMER_SECRET={H:20}"]
    ),
    row!(
        "adyen-api-key",
        "Adyen API key",
        Context,
        ["adyen"],
        kv!("adyen", r"AQE[A-Za-z0-9+/=_\-.]{60,250}"),
        Some(not_filler),
        "Generate a new API key for the API credential in the Adyen Customer Area and revoke the old one.",
        ["ADYEN_API_KEY=«AQE{b:150}»"],
        ["ADYEN_API_KEY=AQE{b:10}"]
    ),
    row!(
        "plaid-access-token",
        "Plaid access token",
        Prefix,
        [
            "access-production-",
            "access-development-",
            "access-sandbox-"
        ],
        tok!(
            r"access-(?:production|development|sandbox)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
        ),
        Some(not_filler),
        "Rotate the Item's access token with Plaid's /item/access_token/invalidate endpoint.",
        ["«access-production-{h:8}-{h:4}-{h:4}-{h:4}-{h:12}»"],
        ["access-production-{h:8}"]
    ),
    row!(
        "plaid-secret",
        "Plaid API secret",
        Context,
        ["plaid"],
        kv!("plaid[a-z_.\\-]{0,12}secret", r"[a-f0-9]{30}"),
        Some(not_filler),
        "Rotate the secret in the Plaid Dashboard (Team Settings > Keys).",
        ["PLAID_SECRET=«{h:30}»"],
        ["PLAID_SECRET={h:10}"]
    ),
    row!(
        "flutterwave-secret-key",
        "Flutterwave secret key",
        Prefix,
        ["flwseck"],
        tok!(r"FLWSECK(?:_TEST)?-[a-f0-9]{32}-X"),
        Some(not_filler),
        "Regenerate the secret key in the Flutterwave dashboard (Settings > API).",
        ["«FLWSECK-{h:32}-X»", "«FLWSECK_TEST-{h:32}-X»"],
        ["FLWSECK-{h:10}-X"]
    ),
    row!(
        "flutterwave-encryption-key",
        "Flutterwave encryption key",
        Prefix,
        ["flwseck"],
        tok!(r"FLWSECK(?:_TEST)?-?[a-h0-9]{12}"),
        Some(not_filler),
        "Regenerate the API keys (the encryption key changes with them) in the Flutterwave dashboard (Settings > API).",
        [
            "FLW_ENCRYPTION_KEY=«FLWSECK_TEST{h:12}»",
            "«FLWSECK_TEST-{h:12}»"
        ],
        [
            "FLWSECK_TEST-{h:32}-X",
            "FLWSECK_TEST{h:8}",
            "FLWPUBK_TEST-{h:12}"
        ]
    ),
    row!(
        "gocardless-api-token",
        "GoCardless access token",
        Context,
        ["gocardless"],
        kv!("gocardless", r"live_[A-Za-z0-9_\-=]{40}"),
        Some(not_filler),
        "Revoke the access token in the GoCardless dashboard (Developers > Access tokens).",
        ["GOCARDLESS_TOKEN=«live_{w:40}»"],
        ["GOCARDLESS_TOKEN=live_{w:10}"]
    ),
    row!(
        "razorpay-key-secret",
        "Razorpay key secret",
        Context,
        ["razorpay"],
        kv!("razorpay[a-z_.\\-]{0,12}secret", r"[A-Za-z0-9]{24}"),
        Some(not_filler),
        "Regenerate the API key pair in the Razorpay dashboard (Account & Settings > API Keys).",
        ["RAZORPAY_KEY_SECRET=«{A:24}»"],
        ["RAZORPAY_KEY_SECRET={A:8}"]
    ),
    row!(
        "checkout-secret-key",
        "Checkout.com secret key",
        Prefix,
        ["sk_sbox_", "sk_"],
        tok!(r"sk_(?:sbox_)?[a-z2-7]{26}[a-z2-7*#$=]"),
        Some(checkout),
        "Revoke the key in the Checkout.com Dashboard (Developers > Keys).",
        ["CKO_SECRET_KEY=«sk_sbox_{l:26}q»"],
        ["sk_live_{A:24}", "sk_{l:10}"]
    ),
    row!(
        "easypost-api-key",
        "EasyPost API key",
        Prefix,
        ["ezak", "eztk"],
        tok!(r"EZ[AT]K[A-Za-z0-9]{54}"),
        Some(not_filler),
        "Delete the key in EasyPost (Account Settings > API Keys).",
        ["«EZAK{A:54}»"],
        ["EZAK{A:10}"]
    ),
    row!(
        "shippo-api-token",
        "Shippo API token",
        Prefix,
        ["shippo_live_", "shippo_test_"],
        tok!(r"shippo_(?:live|test)_[a-f0-9]{40}"),
        Some(not_filler),
        "Regenerate the token in Shippo (Settings > API).",
        ["«shippo_live_{h:40}»"],
        ["shippo_live_{h:10}"]
    ),
    row!(
        "duffel-api-token",
        "Duffel API token",
        Prefix,
        ["duffel_live_", "duffel_test_"],
        tok!(r"duffel_(?:live|test)_[A-Za-z0-9_\-=]{43}"),
        Some(not_filler),
        "Revoke the token in the Duffel dashboard (Developers > Access tokens).",
        ["«duffel_live_{w:43}»"],
        ["duffel_live_{w:10}"]
    ),
    row!(
        "coinbase-api-secret",
        "Coinbase API secret",
        Context,
        ["coinbase"],
        kv!("coinbase[a-z_.\\-]{0,12}secret", r"[A-Za-z0-9_\-]{32,64}"),
        Some(not_filler),
        "Delete the API key in Coinbase (Settings > API) and create a new one.",
        ["COINBASE_API_SECRET=«{w:40}»"],
        ["COINBASE_API_SECRET={w:10}"]
    ),
    // ------------------------------------------------ Data, SaaS, dev tools
    row!(
        "supabase-pat",
        "Supabase personal access token",
        Prefix,
        ["sbp_"],
        tok!(r"sbp_[a-f0-9]{40}"),
        Some(not_filler),
        "Revoke the token in the Supabase dashboard (Account > Access Tokens).",
        ["SUPABASE_ACCESS_TOKEN=«sbp_{h:40}»"],
        ["sbp_{h:10}"]
    ),
    row!(
        "supabase-secret-key",
        "Supabase secret API key",
        Prefix,
        ["sb_secret_"],
        tok!(r"sb_secret_[A-Za-z0-9_\-]{31,64}"),
        Some(not_filler),
        "Delete the secret key in the Supabase dashboard (Project Settings > API Keys).",
        ["SUPABASE_SECRET_KEY=«sb_secret_{w:31}»"],
        ["sb_secret_{w:10}", "sb_publishable_{w:31}"]
    ),
    row!(
        "supabase-service-role-key",
        "Supabase service-role JWT",
        Context,
        ["service_role", "service-role", "servicerole"],
        kv!(
            "service[_\\-]?role",
            r"eyJ[A-Za-z0-9_\-]{10,}\.eyJ[A-Za-z0-9_\-]{20,}\.[A-Za-z0-9_\-]{20,}"
        ),
        Some(jwt_check),
        "Rotate the project's JWT secret in Supabase (Project Settings > API), which reissues the service-role key.",
        ["SUPABASE_SERVICE_ROLE_KEY=«{jwt}»"],
        ["SUPABASE_SERVICE_ROLE_KEY=eyJhbGci"]
    ),
    row!(
        "planetscale-password",
        "PlanetScale database password",
        Prefix,
        ["pscale_pw_"],
        tok!(r"pscale_pw_[A-Za-z0-9_\-.]{32,64}"),
        Some(not_filler),
        "Delete the password in PlanetScale (branch > Passwords) and create a new one.",
        ["DATABASE_PASSWORD=«pscale_pw_{w:43}»"],
        ["pscale_pw_{w:10}"]
    ),
    row!(
        "planetscale-api-token",
        "PlanetScale service token",
        Prefix,
        ["pscale_tkn_"],
        tok!(r"pscale_tkn_[A-Za-z0-9_\-.]{32,64}"),
        Some(not_filler),
        "Delete the service token in PlanetScale (Settings > Service tokens).",
        ["«pscale_tkn_{w:43}»"],
        ["pscale_tkn_{w:10}"]
    ),
    row!(
        "planetscale-oauth-token",
        "PlanetScale OAuth token",
        Prefix,
        ["pscale_oauth_"],
        tok!(r"pscale_oauth_[A-Za-z0-9_\-.]{32,64}"),
        Some(not_filler),
        "Revoke the OAuth application's tokens in PlanetScale.",
        ["«pscale_oauth_{w:43}»"],
        ["pscale_oauth_{w:10}"]
    ),
    row!(
        "posthog-personal-api-key",
        "PostHog personal API key",
        Prefix,
        ["phx_"],
        tok!(r"phx_[A-Za-z0-9_]{43}"),
        Some(not_filler),
        "Delete the personal API key in PostHog (Settings > Personal API keys).",
        ["POSTHOG_PERSONAL_API_KEY=«phx_{A:43}»"],
        ["phx_{A:10}", "phc_{A:43}"]
    ),
    row!(
        "postman-api-key",
        "Postman API key",
        Prefix,
        ["pmak-"],
        tok!(r"PMAK-[a-f0-9]{24}-[a-f0-9]{34}"),
        Some(not_filler),
        "Regenerate or delete the key in Postman (Settings > API keys).",
        ["POSTMAN_API_KEY=«PMAK-{h:24}-{h:34}»"],
        ["PMAK-{h:24}"]
    ),
    row!(
        "notion-integration-token",
        "Notion integration token",
        Prefix,
        ["ntn_"],
        tok!(r"ntn_[0-9]{11}[A-Za-z0-9]{35}"),
        Some(not_filler),
        "Refresh the integration's secret in Notion (Settings > Connections > Develop integrations).",
        ["NOTION_TOKEN=«ntn_{d:11}{A:35}»"],
        ["ntn_{d:11}"]
    ),
    row!(
        "notion-integration-token-legacy",
        "Notion integration token (secret_)",
        Context,
        ["notion"],
        kv!("notion", r"secret_[A-Za-z0-9]{43}"),
        Some(not_filler),
        "Refresh the integration's secret in Notion (Settings > Connections > Develop integrations).",
        ["NOTION_TOKEN=«secret_{A:43}»"],
        ["NOTION_TOKEN=secret_{A:10}"]
    ),
    row!(
        "linear-api-key",
        "Linear API key",
        Prefix,
        ["lin_api_"],
        tok!(r"lin_api_[A-Za-z0-9]{40}"),
        Some(not_filler),
        "Revoke the key in Linear (Settings > Security & access > Personal API keys).",
        ["LINEAR_API_KEY=«lin_api_{A:40}»"],
        ["lin_api_{A:10}"]
    ),
    row!(
        "linear-oauth-token",
        "Linear OAuth access token",
        Prefix,
        ["lin_oauth_"],
        tok!(r"lin_oauth_[a-f0-9]{64}"),
        Some(not_filler),
        "Revoke the OAuth token with Linear's /oauth/revoke endpoint.",
        ["«lin_oauth_{h:64}»"],
        ["lin_oauth_{h:10}"]
    ),
    row!(
        "figma-pat",
        "Figma personal access token",
        Prefix,
        ["figd_"],
        tok!(r"figd_[A-Za-z0-9_\-]{40}"),
        Some(not_filler),
        "Revoke the token in Figma (Settings > Security > Personal access tokens).",
        ["FIGMA_TOKEN=«figd_{w:40}»"],
        ["figd_{w:10}"]
    ),
    row!(
        "airtable-pat",
        "Airtable personal access token",
        Context,
        ["airtable"],
        kv!("airtable", r"pat[A-Za-z0-9]{14}\.[a-f0-9]{64}"),
        Some(not_filler),
        "Delete the token in Airtable (Builder Hub > Personal access tokens).",
        ["AIRTABLE_TOKEN=«pat{A:14}.{h:64}»"],
        ["AIRTABLE_TOKEN=pat{A:14}.{h:10}"]
    ),
    row!(
        "asana-pat",
        "Asana personal access token",
        Context,
        ["asana"],
        kv!("asana", r"2/[0-9]{16}/[0-9]{16}:[a-f0-9]{32}"),
        Some(not_filler),
        "Deauthorize the token in Asana (My Settings > Apps > Developer apps).",
        ["ASANA_TOKEN=«2/{d:16}/{d:16}:{h:32}»"],
        ["ASANA_TOKEN=2/{d:16}/{d:16}"]
    ),
    row!(
        "contentful-pat",
        "Contentful personal access token",
        Prefix,
        ["cfpat-"],
        tok!(r"CFPAT-[A-Za-z0-9_\-]{43}"),
        Some(not_filler),
        "Revoke the token in Contentful (Account settings > CMA tokens).",
        ["«CFPAT-{w:43}»"],
        ["CFPAT-{w:10}"]
    ),
    row!(
        "algolia-admin-key",
        "Algolia admin API key",
        Context,
        ["algolia"],
        kv!(
            "algolia[a-z_.\\-]{0,12}(?:admin|write|api)[_.\\-]?key",
            r"[a-f0-9]{32}"
        ),
        Some(not_filler),
        "Regenerate the admin key in the Algolia dashboard (Settings > API Keys).",
        ["ALGOLIA_ADMIN_KEY=«{h:32}»"],
        ["ALGOLIA_ADMIN_KEY={h:10}"]
    ),
    row!(
        "mapbox-secret-token",
        "Mapbox secret access token",
        Prefix,
        ["sk.eyj"],
        tok!(r"sk\.eyJ[A-Za-z0-9_\-]{50,}\.[A-Za-z0-9_\-]{20,}"),
        Some(not_filler),
        "Delete the secret token in Mapbox (Account > Access tokens).",
        ["MAPBOX_TOKEN=«sk.eyJ{w:60}.{w:22}»"],
        ["pk.eyJ{w:60}.{w:22}", "sk.eyJ{w:10}"]
    ),
    row!(
        "readme-api-token",
        "ReadMe API key",
        Prefix,
        ["rdme_"],
        tok!(r"rdme_[a-z0-9]{70}"),
        Some(not_filler),
        "Revoke the key in the ReadMe dashboard (API Keys).",
        ["«rdme_{a:70}»"],
        ["rdme_{a:10}"]
    ),
    row!(
        "typeform-pat",
        "Typeform personal access token",
        Prefix,
        ["tfp_"],
        tok!(r"tfp_[A-Za-z0-9_\-.=]{59}"),
        Some(not_filler),
        "Revoke the token in Typeform (Account > Personal tokens).",
        ["«tfp_{w:59}»"],
        ["tfp_{w:10}"]
    ),
    row!(
        "frameio-api-token",
        "Frame.io API token",
        Prefix,
        ["fio-u-"],
        tok!(r"fio-u-[A-Za-z0-9_\-=]{64}"),
        Some(not_filler),
        "Revoke the token in the Frame.io developer site (Tokens).",
        ["«fio-u-{w:64}»"],
        ["fio-u-{w:10}"]
    ),
    row!(
        "adobe-client-secret",
        "Adobe client secret",
        Prefix,
        ["p8e-"],
        tok!(r"p8e-[A-Za-z0-9]{32}"),
        Some(not_filler),
        "Rotate the client secret in the Adobe Developer Console (project > credentials).",
        ["ADOBE_CLIENT_SECRET=«p8e-{A:32}»"],
        ["p8e-{A:10}"]
    ),
    row!(
        "dropbox-access-token",
        "Dropbox short-lived access token",
        Prefix,
        ["sl."],
        tok!(r"sl\.[A-Za-z0-9_\-]{130,140}"),
        Some(not_filler),
        "Revoke the token with Dropbox's /2/auth/token/revoke or disconnect the app.",
        ["DROPBOX_TOKEN=«sl.{w:135}»"],
        ["sl.{w:20}"]
    ),
    row!(
        "launchdarkly-access-token",
        "LaunchDarkly access token",
        Context,
        ["launchdarkly", "ld_api", "ld_sdk"],
        kv!(
            "launchdarkly|ld_api|ld_sdk",
            r"(?:api|sdk)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
        ),
        Some(not_filler),
        "Reset the token or SDK key in LaunchDarkly (Account settings > Authorization / Projects).",
        ["LAUNCHDARKLY_SDK_KEY=«sdk-{h:8}-{h:4}-{h:4}-{h:4}-{h:12}»"],
        ["LAUNCHDARKLY_SDK_KEY=sdk-{h:8}"]
    ),
    row!(
        "confluent-api-secret",
        "Confluent Cloud API secret",
        Context,
        ["confluent", "sasl", "kafka"],
        kv!(
            "confluent[a-z_.\\-]{0,12}secret|kafka[a-z_.\\-]{0,12}(?:api[_.\\-]?)?secret",
            r"[A-Za-z0-9+/]{64}"
        ),
        Some(not_filler),
        "Delete the API key in Confluent Cloud (API keys) and create a new one.",
        ["CONFLUENT_API_SECRET=«{b:64}»"],
        ["CONFLUENT_API_SECRET={b:20}"]
    ),
    row!(
        "mongodb-atlas-private-key",
        "MongoDB Atlas API private key",
        Context,
        ["atlas"],
        kv!(
            "atlas[a-z_.\\-]{0,12}private[_.\\-]?key",
            r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
        ),
        Some(not_filler),
        "Delete the API key in MongoDB Atlas (Access Manager > API Keys).",
        ["MONGODB_ATLAS_PRIVATE_KEY=«{h:8}-{h:4}-{h:4}-{h:4}-{h:12}»"],
        ["MONGODB_ATLAS_PRIVATE_KEY={h:8}"]
    ),
    row!(
        "snowflake-password",
        "Snowflake password in a connector setting",
        Context,
        ["snowflake"],
        kv!(
            "snowflake[a-z_.\\-]{0,12}password",
            r#"[^\s'"`$<>{}]{8,64}"#
        ),
        Some(not_filler),
        "Reset the user's password in Snowflake (ALTER USER ... RESET PASSWORD) and move the connector to key-pair or OAuth authentication.",
        ["SNOWFLAKE_PASSWORD=«Xk{A:14}»"],
        [
            "SNOWFLAKE_PASSWORD=${SNOWFLAKE_PASSWORD}",
            "snowflake.password=\njdbc.snowflake.url=jdbc:snowflake://{l:8}.snowflakecomputing.com"
        ]
    ),
    row!(
        "twitch-client-secret",
        "Twitch client secret",
        Context,
        ["twitch"],
        kv!("twitch[a-z_.\\-]{0,12}secret", r"[a-z0-9]{30}"),
        Some(not_filler),
        "Generate a new client secret in the Twitch developer console.",
        ["TWITCH_CLIENT_SECRET=«{a:30}»"],
        ["TWITCH_CLIENT_SECRET={a:10}"]
    ),
    row!(
        "gitter-access-token",
        "Gitter access token",
        Context,
        ["gitter"],
        kv!("gitter", r"[a-z0-9_\-]{40}"),
        Some(not_filler),
        "Revoke the token in Gitter / Matrix settings.",
        ["GITTER_TOKEN=«{a:40}»"],
        ["GITTER_TOKEN={a:10}"]
    ),
    row!(
        "defined-networking-api-token",
        "Defined Networking API token",
        Prefix,
        ["dnkey-"],
        tok!(r"dnkey-[a-z0-9=_\-]{26}-[a-z0-9=_\-]{52}"),
        Some(not_filler),
        "Delete the API key in the Defined Networking admin panel.",
        ["«dnkey-{a:26}-{a:52}»"],
        ["dnkey-{a:26}"]
    ),
    row!(
        "sourcegraph-access-token",
        "Sourcegraph access token",
        Prefix,
        ["sgp_"],
        tok!(r"sgp_(?:[a-f0-9]{16}|local)_[a-f0-9]{40}|sgp_[a-f0-9]{40}"),
        Some(not_filler),
        "Delete the token in Sourcegraph (Settings > Access tokens).",
        ["SRC_ACCESS_TOKEN=«sgp_{h:16}_{h:40}»"],
        ["sgp_{h:10}"]
    ),
    row!(
        "age-secret-key",
        "age secret key",
        Prefix,
        ["age-secret-key-1"],
        tok!(r"AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}"),
        Some(age_key),
        "Generate a new age identity (age-keygen), re-encrypt the files to it and remove the old recipient.",
        ["# created: 2024\n«{age}»"],
        [
            "AGE-SECRET-KEY-1{U:58}",
            "AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ"
        ]
    ),
    row!(
        "nkey-seed",
        "NATS NKEY seed",
        Prefix,
        ["sua", "saa", "soa"],
        tok!(r"S[UAO]A[A-Z2-7]{55}"),
        Some(nkey_seed),
        "Generate a new NKEY (nk -gen), update the operator/account JWTs and remove the old public key.",
        ["NATS_NKEY=«{nkey:U}»"],
        [
            "SUA{U:55}",
            "SUAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        ]
    ),
    row!(
        "jwk-private-key",
        "JSON Web Key with a private part",
        Prefix,
        ["\"kty\""],
        r#"(?s)"kty"\s*:\s*"(?:RSA|EC|OKP)"[^{}]{0,2000}?"d"\s*:\s*"([A-Za-z0-9_\-]{20,})"|"d"\s*:\s*"([A-Za-z0-9_\-]{20,})"[^{}]{0,2000}?"kty"\s*:\s*"(?:RSA|EC|OKP)""#,
        Some(not_filler),
        "Remove the key from the key set, rotate it (publish a new kid) and keep private JWKs in AWS KMS or an HSM.",
        [
            "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"{w:43}\",\"y\":\"{w:43}\",\"d\":\"«{w:43}»\"}",
            "{\"d\": \"«{w:43}»\", \"kty\": \"OKP\", \"crv\": \"Ed25519\"}"
        ],
        [
            "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"{w:43}\",\"y\":\"{w:43}\"}",
            "{\"kty\":\"RSA\",\"n\":\"{w:60}\",\"e\":\"AQAB\"}"
        ]
    ),
    row!(
        "jwk-symmetric-key",
        "JSON Web Key with a symmetric (oct) key",
        Prefix,
        ["\"oct\""],
        r#"(?s)"kty"\s*:\s*"oct"[^{}]{0,2000}?"k"\s*:\s*"([A-Za-z0-9_\-]{16,})"|"k"\s*:\s*"([A-Za-z0-9_\-]{16,})"[^{}]{0,2000}?"kty"\s*:\s*"oct""#,
        Some(not_filler),
        "Remove the key from the key set, rotate it and keep symmetric keys in AWS KMS or the bank's vault.",
        ["{\"kty\":\"oct\",\"k\":\"«{w:43}»\",\"alg\":\"HS256\"}"],
        ["{\"kty\":\"oct\",\"kid\":\"a\"}"]
    ),
    row!(
        "putty-private-key",
        "PuTTY private key file",
        Prefix,
        ["putty-user-key-file-"],
        r"(PuTTY-User-Key-File-[23]: [A-Za-z0-9\-]+)\r?\nEncryption: none",
        None,
        "Remove the key from the server's authorized keys and generate a new pair; keep private keys in an agent or vault.",
        ["«PuTTY-User-Key-File-3: ssh-ed25519»\nEncryption: none\nComment: x\n"],
        ["PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: aes256-cbc\n"]
    ),
    row!(
        "jwt",
        "Signed JSON Web Token",
        Context,
        ["eyj"],
        tok!(r"eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{16,}"),
        Some(jwt_check),
        "",
        ["auth = '«{jwt}»'"],
        [
            "eyJub3RhbGciOjF9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcdefghijklmnopqrstuvwx",
            "{b64u:{\"alg\":\"none\"}|0}.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcdefghijklmnopqrstuvwx"
        ]
    ),
    // ------------------------------------------------- added from audits
    row!(
        "lob-api-key",
        "Lob API key",
        Context,
        ["lob"],
        kv!("lob", r"(?:live|test)_[a-f0-9]{35}"),
        Some(not_filler),
        "Regenerate the key in the Lob dashboard (Settings > API Keys).",
        [
            "LOB_API_KEY=«live_{h:35}»",
            "lob_api_token = \"«test_{h:35}»\""
        ],
        ["LOB_API_KEY=live_{h:20}", "lobby_key = live_{h:35}x"]
    ),
    row!(
        "sidekiq-credentials",
        "Sidekiq Pro/Enterprise gem server credentials",
        Context,
        ["contribsys"],
        r#"(?i)BUNDLE_(?:ENTERPRISE|GEMS)__CONTRIBSYS__COM["']?\s{0,5}[:=]\s{0,5}["']?([a-f0-9]{8}:[a-f0-9]{8})(?:$|[^a-f0-9])"#,
        Some(user_pass_hex),
        "Ask Contributed Systems to rotate the licence credentials and set them with `bundle config` on the build machine.",
        [
            "export BUNDLE_ENTERPRISE__CONTRIBSYS__COM=«{h:8}:{h:8}»",
            "BUNDLE_GEMS__CONTRIBSYS__COM: \"«{h:8}:{h:8}»\""
        ],
        [
            "BUNDLE_GEMS__CONTRIBSYS__COM: ${SIDEKIQ_CREDS}",
            "BUNDLE_GEMS__CONTRIBSYS__COM={h:8}",
            "BUNDLE_GEMS__CONTRIBSYS__COM=00000000:00000000"
        ]
    ),
];

// ------------------------------------------------------------ validators

fn distinct(s: &str) -> usize {
    let mut seen = [false; 256];
    s.bytes()
        .filter(|&b| !std::mem::replace(&mut seen[b as usize], true))
        .count()
}

/// `user:password` of two 8-hex-digit halves (Sidekiq's gem server):
/// filler when the whole value has fewer than 6 distinct digits.
fn user_pass_hex(v: &str) -> Check {
    let hex: String = v.chars().filter(|c| *c != ':').collect();
    if distinct(&hex) < 6 || hex.contains("0000") {
        Check::Reject
    } else {
        Check::Format
    }
}

/// Documentation filler: `xxxx`, `0000`, `****`, `<...>`, too few distinct
/// characters, or a run of one character.
pub fn not_filler(v: &str) -> Check {
    let lower = v.to_ascii_lowercase();
    let body = lower
        .split(['_', '-', '.', '$', '!', ':'])
        .max_by_key(|p| p.len())
        .unwrap_or(&lower);
    if distinct(body) < 6
        || [
            "xxxxx", "*****", "00000000", "<", ">", "${", "{{", "12345678", "abcdefgh",
        ]
        .iter()
        .any(|p| lower.contains(p))
    {
        Check::Reject
    } else {
        Check::Format
    }
}

/// Slack tokens other than the structured bot-token row: the team or user
/// id after `xoxb-`, `xoxp-`, `xoxs-` and `xoxo-` is numeric (8 digits or
/// more), configuration (`xoxe.xoxp-1-`) and refresh (`xoxe-1-`) tokens
/// carry a body of 100+ characters, and no token ends in an empty segment
/// (`xoxp-…-…-…-####`: the secret part redacted).
fn slack_token(v: &str) -> Check {
    if not_filler(v) == Check::Reject || v.ends_with('-') {
        return Check::Reject;
    }
    let lower = v.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("xoxe") {
        // `xoxe.xoxp-1-<body>` or `xoxe-1-<body>`.
        let body = rest.rsplit('-').next().unwrap_or("");
        return if body.len() >= 100 {
            Check::Format
        } else {
            Check::Reject
        };
    }
    if ["xoxb-", "xoxp-", "xoxs-", "xoxo-"]
        .iter()
        .any(|p| lower.starts_with(p))
    {
        let id = lower[5..].split('-').next().unwrap_or("");
        if id.len() < 8 || !id.bytes().all(|b| b.is_ascii_digit()) {
            return Check::Reject;
        }
    }
    Check::Format
}

/// CRC-32 of Google API keys that Google publishes in the Firebase SDKs'
/// test configurations (public, restricted to test projects); gitleaks
/// allow-lists the same keys. Kept as checksums so that no key-shaped
/// literal is committed.
const GOOGLE_PUBLISHED_TEST_KEYS: &[u32] = &[
    0x3627aa84, 0x94bb94f9, 0xffddd189, 0x6159ac90, 0x7aa120d5, 0x6a4f7820, 0xfbc47221, 0x08394327,
    0xafe8ff3e, 0x6b66e8a8, 0x5c298136, 0x1f358cbe, 0x6b9463f8, 0x202f468f, 0x3c5d7fda,
];

/// Google API keys: filler rejected, and the keys Google publishes in its
/// SDKs' test configurations are examples, not the bank's credentials.
fn google_api_key(v: &str) -> Check {
    if not_filler(v) == Check::Reject
        || GOOGLE_PUBLISHED_TEST_KEYS.contains(&encoding::crc32(v.as_bytes()))
    {
        return Check::Reject;
    }
    Check::Format
}

fn github(v: &str) -> Check {
    if not_filler(v) == Check::Reject {
        return Check::Reject;
    }
    // Well-formed tokens are blocked either way (a scanner must not let a
    // real token through because a fixture fails the checksum); the
    // checksum raises confidence.
    if encoding::github_checksum_valid(v) {
        Check::Verified
    } else {
        Check::Format
    }
}

/// AWS key ids are base32 (A-Z, 2-7) after the four-letter prefix.
fn aws_key_id(v: &str) -> Check {
    if v[4..]
        .bytes()
        .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b))
    {
        Check::Format
    } else {
        Check::Reject
    }
}

fn aws_secret(v: &str) -> Check {
    let up = v.bytes().any(|b| b.is_ascii_uppercase());
    let low = v.bytes().any(|b| b.is_ascii_lowercase());
    if up && low && kiro_guard_skill::text::shannon_entropy(v) >= 3.5 {
        Check::Format
    } else {
        Check::Reject
    }
}

fn azure_key(v: &str) -> Check {
    // The storage emulator's (Azurite) documented, public account key.
    if v.starts_with("Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq") {
        return Check::Reject;
    }
    if kiro_guard_skill::text::shannon_entropy(v) >= 4.0 {
        Check::Format
    } else {
        Check::Reject
    }
}

fn b64(v: &str) -> Option<Vec<u8>> {
    kiro_guard_skill::evasion::base64_decode(v, 4096)
}

fn bedrock(v: &str) -> Check {
    match b64(&v[4..]) {
        Some(d) if d.starts_with(b"BedrockAPIKey-") => Check::Verified,
        _ => Check::Reject,
    }
}

fn jfrog_reference(v: &str) -> Check {
    match b64(v) {
        Some(d) if d.starts_with(b"reftkn:01:") => Check::Verified,
        _ => Check::Reject,
    }
}

/// A PyPI token is `pypi-` and a base64url macaroon (version 2) whose
/// location is pypi.org or test.pypi.org.
fn pypi(v: &str) -> Check {
    let body = &v[5..];
    let take = body.len() - body.len() % 4;
    match b64(&body[..take.min(64)]) {
        Some(d)
            if d.starts_with(b"\x02\x01\x08pypi.org")
                || d.starts_with(b"\x02\x01\x0dtest.pypi.org") =>
        {
            Check::Verified
        }
        _ => Check::Reject,
    }
}

fn grafana_cloud(v: &str) -> Check {
    match b64(&v[4..]) {
        Some(d) if d.starts_with(b"{\"o\":") || d.windows(5).any(|w| w == b"\"k\":\"") => {
            Check::Verified
        }
        _ => Check::Reject,
    }
}

/// The JWT header decodes to JSON with a signing algorithm.
pub fn jwt_check(v: &str) -> Check {
    let Some(header) = v.split('.').next() else {
        return Check::Reject;
    };
    let Some(decoded) = b64(header) else {
        return Check::Reject;
    };
    let Ok(json) = serde_json::from_slice::<serde_json::Value>(&decoded) else {
        return Check::Reject;
    };
    match json.get("alg").and_then(|a| a.as_str()) {
        Some(a) if !a.eq_ignore_ascii_case("none") => Check::Format,
        _ => Check::Reject,
    }
}

fn checkout(v: &str) -> Check {
    // `sk_live_` is Stripe's; Checkout.com keys are base32 after `sk_`.
    if v.starts_with("sk_live_") || v.starts_with("sk_test_") {
        return Check::Reject;
    }
    not_filler(v)
}

const BECH32: &[u8; 32] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";

fn bech32_polymod(values: &[u8]) -> u32 {
    const G: [u32; 5] = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
    let mut chk: u32 = 1;
    for &v in values {
        let b = chk >> 25;
        chk = ((chk & 0x1ffffff) << 5) ^ v as u32;
        for (i, g) in G.iter().enumerate() {
            if (b >> i) & 1 == 1 {
                chk ^= g;
            }
        }
    }
    chk
}

fn bech32_expand(hrp: &str) -> Vec<u8> {
    let mut v: Vec<u8> = hrp.bytes().map(|b| b >> 5).collect();
    v.push(0);
    v.extend(hrp.bytes().map(|b| b & 31));
    v
}

/// The bech32 checksum of an age secret key (`AGE-SECRET-KEY-1...`).
fn age_key(v: &str) -> Check {
    let lower = v.to_ascii_lowercase();
    let Some((hrp, data)) = lower.rsplit_once('1') else {
        return Check::Reject;
    };
    let mut values = bech32_expand(hrp);
    for c in data.bytes() {
        match BECH32.iter().position(|&x| x == c) {
            Some(p) => values.push(p as u8),
            None => return Check::Reject,
        }
    }
    if bech32_polymod(&values) == 1 {
        Check::Verified
    } else {
        Check::Reject
    }
}

/// An age secret key for `data` (32 five-bit groups of key material).
pub fn age_encode(data5: &[u8]) -> String {
    let hrp = "age-secret-key-";
    let mut values = bech32_expand(hrp);
    values.extend_from_slice(data5);
    values.extend_from_slice(&[0; 6]);
    let pm = bech32_polymod(&values) ^ 1;
    let mut out = String::from(hrp);
    out.push('1');
    for &d in data5 {
        out.push(BECH32[d as usize] as char);
    }
    for i in 0..6 {
        out.push(BECH32[((pm >> (5 * (5 - i))) & 31) as usize] as char);
    }
    out.to_ascii_uppercase()
}

fn base32_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut buf, mut bits) = (0u32, 0);
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'2'..=b'7' => c - b'2' + 26,
            _ => return None,
        } as u32;
        buf = (buf << 5) | v;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
            buf &= (1 << bits) - 1;
        }
    }
    Some(out)
}

fn base32_encode(data: &[u8]) -> String {
    const A: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let (mut buf, mut bits) = (0u32, 0);
    for &b in data {
        buf = (buf << 8) | b as u32;
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(A[((buf >> bits) & 31) as usize] as char);
        }
        buf &= (1 << bits) - 1;
    }
    if bits > 0 {
        out.push(A[((buf << (5 - bits)) & 31) as usize] as char);
    }
    out
}

fn crc16_xmodem(data: &[u8]) -> u16 {
    let mut crc: u16 = 0;
    for &b in data {
        crc ^= (b as u16) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 {
                (crc << 1) ^ 0x1021
            } else {
                crc << 1
            };
        }
    }
    crc
}

/// An NKEY seed: base32 of 2 prefix bytes, a 32-byte seed and a CRC-16
/// (XMODEM, little-endian) over the rest.
fn nkey_seed(v: &str) -> Check {
    let Some(raw) = base32_decode(v) else {
        return Check::Reject;
    };
    if raw.len() < 36 {
        return Check::Reject;
    }
    let (body, crc) = raw[..36].split_at(34);
    if crc16_xmodem(body) == u16::from_le_bytes([crc[0], crc[1]]) {
        Check::Verified
    } else {
        Check::Reject
    }
}

/// An NKEY seed of type `kind` (`U`, `A`, `O`...) for a 32-byte seed.
pub fn nkey_encode(kind: u8, seed: &[u8; 32]) -> String {
    const PREFIX_SEED: u8 = 18 << 3; // 'S'
    let kind_byte = match kind {
        b'U' => 20 << 3,
        b'A' => 0,
        b'O' => 14 << 3,
        b'N' => 13 << 3,
        b'C' => 2 << 3,
        _ => 23 << 3, // X (curve)
    };
    let mut raw = vec![PREFIX_SEED | (kind_byte >> 5), (kind_byte & 31) << 3];
    raw.extend_from_slice(seed);
    let crc = crc16_xmodem(&raw);
    raw.extend_from_slice(&crc.to_le_bytes());
    base32_encode(&raw)
}

// ------------------------------------------------------ sample expansion

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick(&mut self, alphabet: &[u8]) -> char {
        alphabet[(self.next() % alphabet.len() as u64) as usize] as char
    }
}

fn alphabet(class: char) -> &'static [u8] {
    match class {
        'a' => b"abcdefghijklmnopqrstuvwxyz0123456789",
        'A' => b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
        'h' => b"0123456789abcdef",
        'H' => b"0123456789ABCDEF",
        'd' => b"0123456789",
        'u' => b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
        'U' => b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567",
        'l' => b"abcdefghijklmnopqrstuvwxyz",
        'z' => b"abcdefghijklmnopqrstuvwxyz234567",
        'L' => b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
        'b' => b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
        _ => b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-",
    }
}

fn b64_encode(data: &[u8], url: bool) -> String {
    let a: &[u8] = if url {
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    } else {
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    };
    let mut out = String::new();
    for c in data.chunks(3) {
        let n = (c[0] as u32) << 16
            | (*c.get(1).unwrap_or(&0) as u32) << 8
            | *c.get(2).unwrap_or(&0) as u32;
        for i in 0..=c.len() {
            out.push(a[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
        if !url {
            for _ in c.len()..3 {
                out.push('=');
            }
        }
    }
    out
}

/// Expand a sample template (see the module docs). Returns the text and
/// the byte range of the `«…»` secret (empty range when unmarked).
pub fn expand(template: &str, seed: u64) -> (String, std::ops::Range<usize>) {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut out = String::new();
    let (mut start, mut end) = (0, 0);
    let chars: Vec<char> = template.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '«' => start = out.len(),
            '»' => end = out.len(),
            '{' => {
                // Find the matching brace; a `{b64...|n}` spec ends at `|n}`
                // (its text may contain braces).
                let mut depth = 0;
                let mut j = i;
                let rest: String = chars[i + 1..].iter().collect();
                if rest.starts_with("b64") {
                    let mut k = i + 1;
                    while k < chars.len() {
                        if chars[k] == '|' {
                            let mut m = k + 1;
                            while m < chars.len() && chars[m].is_ascii_digit() {
                                m += 1;
                            }
                            if m > k + 1 && m < chars.len() && chars[m] == '}' {
                                j = m;
                                break;
                            }
                        }
                        k += 1;
                    }
                }
                while j < chars.len() && !(rest.starts_with("b64") && chars[j] == '}') {
                    match chars[j] {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    j += 1;
                }
                let inner: String = chars[i + 1..j.min(chars.len())].iter().collect();
                match generate(&inner, &mut rng, &out[start.min(out.len())..]) {
                    Some(s) => out.push_str(&s),
                    None => {
                        out.push('{');
                        i += 1;
                        continue;
                    }
                }
                i = j + 1;
                continue;
            }
            _ => out.push(c),
        }
        i += 1;
    }
    if end < start {
        end = start;
    }
    (out, start..end)
}

fn generate(spec: &str, rng: &mut Rng, secret_so_far: &str) -> Option<String> {
    if spec == "crc" {
        let payload = secret_so_far.rsplit('_').next().unwrap_or("");
        return Some(encoding::base62(
            encoding::crc32(payload.as_bytes()) as u64,
            6,
        ));
    }
    if spec == "jwt" {
        let h = b64_encode(br#"{"alg":"HS256","typ":"JWT"}"#, true);
        let p = b64_encode(
            br#"{"sub":"1234567890","role":"service_role","iat":1716239022}"#,
            true,
        );
        let sig: String = (0..43).map(|_| rng.pick(alphabet('w'))).collect();
        return Some(format!("{h}.{p}.{sig}"));
    }
    if spec == "age" {
        let data: Vec<u8> = (0..52).map(|_| (rng.next() % 32) as u8).collect();
        return Some(age_encode(&data));
    }
    if let Some(kind) = spec.strip_prefix("nkey:") {
        let mut seed = [0u8; 32];
        seed.iter_mut().for_each(|b| *b = rng.next() as u8);
        return Some(nkey_encode(kind.bytes().next().unwrap_or(b'U'), &seed));
    }
    for (p, url) in [("b64:", false), ("b64u:", true)] {
        if let Some(rest) = spec.strip_prefix(p) {
            let (text, n) = rest.rsplit_once('|')?;
            let mut data = text.as_bytes().to_vec();
            let n: usize = n.parse().ok()?;
            data.extend((0..n).map(|_| rng.pick(alphabet('A')) as u8));
            return Some(b64_encode(&data, url));
        }
    }
    let (class, n) = spec.split_once(':')?;
    let class = class.chars().next()?;
    let n: usize = n.parse().ok()?;
    Some((0..n).map(|_| rng.pick(alphabet(class))).collect())
}
