//! Agent and MCP governance over JSON configuration: MCP server lists
//! (`mcp.json`, `.mcp.json`), Kiro agent files, Kiro v1 and legacy hook
//! files, Claude Code settings and Kiro IDE settings; plus the run-time check
//! of MCP tool calls.

use crate::Settings;
use crate::json::{PathIndex, config_sha256};
use crate::rules::*;
use crate::shell::{is_shell, program_name};
use crate::util::{Hit, is_placeholder, looks_like_secret, mask_word, secret_key_name};
use kiro_guard_skill::Severity;
use kiro_guard_skill::mask::mask_secret;
use kiro_guard_skill::rule::Rule;
use serde_json::Value;

// ------------------------------------------------------ server identity

/// How a server is launched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Launch {
    /// A registry package (npm, PyPI, Docker image) run by npx/uvx/docker...
    Package {
        name: String,
        version: Option<String>,
    },
    /// A binary on PATH (`mcp-server-git`, `/opt/x/server`).
    Binary(String),
    /// A local script run by an interpreter (`node ./server.js`).
    Local(String),
    /// A remote server URL.
    Remote(String),
    /// Only a name is known (run-time tool calls).
    NameOnly,
}

/// Classification of a server against the tiers and the configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tier {
    /// On the configured approved list.
    Approved,
    /// Default tier 1 (AWS documentation, git, filesystem).
    Tier1,
    /// Default or configured tier 2 (GitHub, Docker, Kubernetes).
    Tier2,
    /// Tier 3 (web search, browser, fetch) or configured prohibited.
    Prohibited(String),
    /// Custom or unverified.
    Unknown(String),
}

/// The core of a server or package name: lower case, scope and common
/// `mcp-server-`/`-mcp` affixes removed (`@modelcontextprotocol/server-github`
/// → `github`, `awslabs.aws-documentation-mcp-server` → `aws-documentation`).
pub fn core_name(n: &str) -> String {
    let mut s = n.trim().to_ascii_lowercase().replace(['_', ' '], "-");
    if let Some(p) = s.rfind('/') {
        s = s[p + 1..].to_string();
    }
    for p in ["awslabs.", "mcp-server-", "server-", "mcp-"] {
        if let Some(r) = s.strip_prefix(p) {
            s = r.to_string();
        }
    }
    for suf in ["-mcp-server", "-server-mcp", "-mcp", "-server"] {
        if let Some(r) = s.strip_suffix(suf) {
            s = r.to_string();
        }
    }
    s
}

const TIER1_PACKAGES: &[&str] = &[
    "awslabs.aws-documentation-mcp-server",
    "mcp-server-git",
    "@modelcontextprotocol/server-filesystem",
    "@modelcontextprotocol/server-git",
    "mcp/git",
    "mcp/filesystem",
    "mcp/aws-documentation",
];
const TIER1_CORES: &[&str] = &[
    "aws-docs",
    "aws-documentation",
    "awsdocs",
    "git",
    "filesystem",
];
const TIER2_CORES: &[&str] = &["github", "docker", "kubernetes", "k8s", "kubectl"];
const PROHIBITED_KEYWORDS: &[&str] = &[
    "brave",
    "tavily",
    "google-search",
    "serpapi",
    "serper",
    "bing",
    "duckduckgo",
    "ddg-",
    "perplexity",
    "web-search",
    "websearch",
    "kagi",
    "searxng",
    "search1api",
    "you-search",
    "puppeteer",
    "playwright",
    "browserbase",
    "browser",
    "selenium",
    "chrome-devtools",
    "hyperbrowser",
    "stagehand",
    "fetch",
    "firecrawl",
    "crawl",
    "scrape",
    "jina",
    "apify",
];

fn prohibited_kind(core: &str) -> Option<String> {
    if core == "search" || core == "exa" || core.starts_with("exa-") || core == "ddg" {
        return Some("web search".into());
    }
    PROHIBITED_KEYWORDS
        .iter()
        .find(|k| core.contains(*k))
        .map(|k| {
            let kind = match *k {
                "puppeteer" | "playwright" | "browserbase" | "browser" | "selenium"
                | "chrome-devtools" | "hyperbrowser" | "stagehand" => "browser automation",
                "fetch" | "firecrawl" | "crawl" | "scrape" | "jina" | "apify" => "web fetch/crawl",
                _ => "web search",
            };
            kind.to_string()
        })
}

fn split_version(pkg: &str) -> (String, Option<String>) {
    let p = pkg.trim();
    if let Some((n, v)) = p.split_once("==") {
        return (n.to_string(), Some(v.to_string()));
    }
    // docker image@sha256:... or image:tag
    if let Some((n, d)) = p.split_once("@sha256:") {
        return (n.to_string(), Some(format!("sha256:{d}")));
    }
    let at = p.rfind('@').filter(|&i| i > 0);
    if let Some(i) = at {
        return (p[..i].to_string(), Some(p[i + 1..].to_string()));
    }
    (p.to_string(), None)
}

fn docker_image(img: &str) -> (String, Option<String>) {
    if let Some((n, d)) = img.split_once('@') {
        return (n.to_string(), Some(d.to_string()));
    }
    let last = img.rsplit('/').next().unwrap_or(img);
    if let Some((_, tag)) = last.split_once(':') {
        let n = &img[..img.len() - tag.len() - 1];
        return (n.to_string(), Some(tag.to_string()));
    }
    (img.to_string(), None)
}

fn str_list(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// How the server entry launches the server.
pub fn launch(srv: &Value) -> Launch {
    let url = ["url", "serverUrl", "httpUrl", "uri"]
        .iter()
        .find_map(|k| srv.get(*k).and_then(Value::as_str));
    let command = srv.get("command").and_then(Value::as_str).unwrap_or("");
    let args = str_list(srv.get("args"));
    if command.is_empty() {
        return match url {
            Some(u) => Launch::Remote(u.to_string()),
            None => Launch::NameOnly,
        };
    }
    // `"command": "npx -y pkg"` written as one string
    let mut words: Vec<String> = command.split_whitespace().map(str::to_string).collect();
    words.extend(args);
    let prog = program_name(&words[0]);
    let rest = &words[1..];
    let first_pos = |skip_with_arg: &[&str]| -> Option<String> {
        let mut i = 0;
        while i < rest.len() {
            let a = rest[i].as_str();
            if skip_with_arg.contains(&a) {
                i += 2;
            } else if a.starts_with('-') {
                i += 1;
            } else {
                return Some(a.to_string());
            }
        }
        None
    };
    let pkg = |p: Option<String>| match p {
        Some(p) => {
            let (name, version) = split_version(&p);
            Launch::Package { name, version }
        }
        None => Launch::Binary(prog.clone()),
    };
    match prog.as_str() {
        "npx" | "bunx" | "pnpx" => {
            if let Some(i) = rest.iter().position(|a| a == "-p" || a == "--package") {
                return pkg(rest.get(i + 1).cloned());
            }
            if let Some(p) = rest.iter().find_map(|a| a.strip_prefix("--package=")) {
                return pkg(Some(p.to_string()));
            }
            pkg(first_pos(&["--registry", "--cache"]))
        }
        "uvx" | "pipx" | "uv" => {
            if let Some(i) = rest.iter().position(|a| a == "--from") {
                return pkg(rest.get(i + 1).cloned());
            }
            let rest2: Vec<String> = rest
                .iter()
                .filter(|a| !matches!(a.as_str(), "run" | "tool"))
                .cloned()
                .collect();
            let mut i = 0;
            while i < rest2.len() {
                let a = rest2[i].as_str();
                if matches!(a, "--with" | "--python" | "-p" | "--index-url" | "--spec") {
                    i += 2;
                } else if a.starts_with('-') {
                    i += 1;
                } else {
                    return pkg(Some(a.to_string()));
                }
            }
            Launch::Binary(prog)
        }
        "pnpm" | "yarn" if rest.first().is_some_and(|a| a == "dlx") => {
            pkg(first_pos(&["-p", "--package"]))
        }
        "docker" | "podman" => {
            let Some(r) = rest.iter().position(|a| a == "run") else {
                return Launch::Binary(prog);
            };
            let mut i = r + 1;
            while i < rest.len() {
                let a = rest[i].as_str();
                if matches!(
                    a,
                    "-e" | "--env"
                        | "-v"
                        | "--volume"
                        | "--name"
                        | "-p"
                        | "--publish"
                        | "--network"
                        | "-w"
                        | "--workdir"
                        | "-u"
                        | "--user"
                        | "--mount"
                        | "--entrypoint"
                        | "-l"
                        | "--label"
                        | "--env-file"
                        | "--platform"
                        | "--pull"
                        | "-m"
                        | "--memory"
                        | "--cpus"
                        | "--add-host"
                        | "--cap-add"
                        | "--cap-drop"
                        | "--security-opt"
                ) {
                    i += 2;
                } else if a.starts_with('-') {
                    i += 1;
                } else {
                    let (name, version) = docker_image(a);
                    return Launch::Package { name, version };
                }
            }
            Launch::Binary(prog)
        }
        p if p.starts_with("python")
            || matches!(
                p,
                "node" | "deno" | "bun" | "ruby" | "java" | "dotnet" | "go"
            )
            || is_shell(p) =>
        {
            // `python -m pkg` runs an installed module: treat as a package
            if let Some(i) = rest.iter().position(|a| a == "-m") {
                return pkg(rest.get(i + 1).cloned());
            }
            Launch::Local(
                rest.iter()
                    .find(|a| !a.starts_with('-'))
                    .cloned()
                    .unwrap_or_default(),
            )
        }
        _ => {
            if words[0].contains('/') || words[0].contains('\\') {
                Launch::Local(words[0].clone())
            } else {
                Launch::Binary(prog)
            }
        }
    }
}

fn listed(list: &[String], cands: &[String]) -> bool {
    list.iter().any(|e| {
        cands
            .iter()
            .any(|c| !c.is_empty() && e.trim().eq_ignore_ascii_case(c))
    })
}

/// Classify a server (configured name + launch) against the tiers.
pub fn classify(name: &str, l: &Launch, s: &Settings) -> Tier {
    let (pkg, url) = match l {
        Launch::Package { name, .. } => (name.to_ascii_lowercase(), String::new()),
        Launch::Binary(b) => (b.to_ascii_lowercase(), String::new()),
        Launch::Local(p) => (p.to_ascii_lowercase(), String::new()),
        Launch::Remote(u) => (String::new(), u.to_ascii_lowercase()),
        Launch::NameOnly => (String::new(), String::new()),
    };
    let cands = vec![name.to_ascii_lowercase(), pkg.clone(), url.clone()];
    let cores: Vec<String> = cands
        .iter()
        .filter(|c| !c.is_empty())
        .map(|c| core_name(c))
        .collect();
    if listed(&s.prohibited_servers, &cands)
        || s.prohibited_servers
            .iter()
            .any(|p| cores.iter().any(|c| c.contains(&p.to_ascii_lowercase())))
    {
        return Tier::Prohibited("listed in prohibited_servers".into());
    }
    let launched_kind = match l {
        Launch::Remote(u) => prohibited_kind(&u.to_ascii_lowercase().replace(['.', '/', ':'], "-")),
        Launch::NameOnly => None,
        _ => prohibited_kind(&core_name(&pkg))
            .or_else(|| prohibited_kind(&pkg.replace(['/', '@', '.', '_'], "-"))),
    };
    if let Some(k) = launched_kind
        && !listed(&s.approved_servers, &cands[1..])
    {
        return Tier::Prohibited(k);
    }
    if listed(&s.approved_servers, &cands) {
        return Tier::Approved;
    }
    if let Some(k) = prohibited_kind(&core_name(name)) {
        return Tier::Prohibited(k);
    }
    let tier2_cfg = listed(&s.tier2_servers, &cands);
    match l {
        Launch::Package { .. } | Launch::Binary(_) => {
            if TIER1_PACKAGES.contains(&pkg.as_str()) {
                Tier::Tier1
            } else if tier2_cfg || TIER2_CORES.contains(&core_name(&pkg).as_str()) {
                Tier::Tier2
            } else {
                Tier::Unknown(format!("unverified package {pkg}"))
            }
        }
        Launch::Local(p) => {
            if tier2_cfg {
                Tier::Tier2
            } else {
                Tier::Unknown(format!("custom local server {p}"))
            }
        }
        Launch::Remote(u) => {
            let host = u
                .split("://")
                .nth(1)
                .unwrap_or(u)
                .split('/')
                .next()
                .unwrap_or("")
                .to_ascii_lowercase();
            if host.starts_with("knowledge-mcp.") && host.ends_with(".api.aws") {
                Tier::Tier1
            } else if tier2_cfg
                || host.ends_with("githubcopilot.com")
                || host.ends_with("github.com")
            {
                Tier::Tier2
            } else {
                Tier::Unknown(format!("remote server {host}"))
            }
        }
        Launch::NameOnly => {
            let c = core_name(name);
            if TIER1_CORES.contains(&c.as_str()) {
                Tier::Tier1
            } else if tier2_cfg || TIER2_CORES.contains(&c.as_str()) {
                Tier::Tier2
            } else {
                Tier::Unknown("not on the approved list".into())
            }
        }
    }
}

fn tier_hit(name: &str, tier: &Tier, range: (usize, usize), evidence: String) -> Option<Hit> {
    match tier {
        Tier::Approved | Tier::Tier1 => None,
        Tier::Tier2 => Some(Hit::new(
            &MCP_TIER2,
            range,
            format!(
                "MCP server {name} is tier 2 (conditional): needs security review and approval"
            ),
            evidence,
        )),
        Tier::Prohibited(why) => Some(Hit::new(
            &MCP_PROHIBITED,
            range,
            format!("MCP server {name} is prohibited ({why})"),
            evidence,
        )),
        Tier::Unknown(why) => Some(Hit::new(
            &MCP_UNAPPROVED,
            range,
            format!("MCP server {name} is not approved ({why})"),
            evidence,
        )),
    }
}

// ------------------------------------------------------------- tool names

fn tokens(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        cur.push(c.to_ascii_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

const DANGER: &[&str] = &[
    "write",
    "edit",
    "create",
    "delete",
    "remove",
    "rm",
    "update",
    "upsert",
    "put",
    "patch",
    "post",
    "push",
    "merge",
    "commit",
    "exec",
    "execute",
    "run",
    "shell",
    "bash",
    "sh",
    "cmd",
    "command",
    "terminal",
    "move",
    "mv",
    "rename",
    "insert",
    "drop",
    "truncate",
    "alter",
    "deploy",
    "apply",
    "destroy",
    "install",
    "send",
    "upload",
    "kill",
    "start",
    "stop",
    "restart",
    "set",
    "add",
    "modify",
    "replace",
    "reset",
    "checkout",
    "eval",
    "append",
    "save",
    "publish",
    "release",
    "approve",
    "close",
    "fork",
    "transfer",
    "grant",
    "revoke",
    "clean",
    "chmod",
    "chown",
    "invoke",
    "terminate",
    "scale",
    "rollback",
    "stash",
    "tag",
    "pwsh",
];

/// Whether an auto-approved tool name can change state (write files, run
/// shells, change databases, call state-changing APIs).
pub fn dangerous_tool(name: &str) -> bool {
    let n = name.trim();
    if n == "*" || n.ends_with("/*") || n.ends_with("__*") || n.ends_with(".*") {
        return true;
    }
    let l = n.to_ascii_lowercase();
    if matches!(
        l.as_str(),
        "@builtin"
            | "use_aws"
            | "shell"
            | "write"
            | "fs_write"
            | "execute_bash"
            | "execute_cmd"
            | "execute_pwsh"
            | "aws"
    ) {
        return true;
    }
    tokens(n).iter().any(|t| DANGER.contains(&t.as_str()))
}

// --------------------------------------------------------- trusted commands

/// Why a trusted/allowed command pattern is broader than the minimal list,
/// or None when it is acceptable.
pub fn broad_command(cmd: &str, s: &Settings) -> Option<String> {
    let c = cmd.trim();
    let l = c.to_ascii_lowercase();
    if let Some(allowed) = &s.trusted_commands_allowed {
        if allowed.iter().any(|a| a.trim().eq_ignore_ascii_case(c)) {
            return None;
        }
        if !allowed.is_empty() {
            return Some("not on trusted_commands_allowed".into());
        }
    }
    if matches!(l.as_str(), "" | "*" | ".*" | "**" | ".+" | "^.*$" | "^.*") {
        return Some("matches every command".into());
    }
    let words: Vec<&str> = l.split_whitespace().collect();
    let first_raw = words[0].trim_start_matches('^');
    if first_raw.contains('*') || first_raw.contains(".+") || first_raw.contains('|') {
        return Some("wildcard program name".into());
    }
    let first = program_name(first_raw);
    let second = words.get(1).copied().unwrap_or("");
    let interp = first.starts_with("python")
        || matches!(
            first.as_str(),
            "node"
                | "ruby"
                | "perl"
                | "php"
                | "pwsh"
                | "powershell"
                | "deno"
                | "npx"
                | "eval"
                | "exec"
                | "sudo"
                | "su"
                | "doas"
                | "env"
                | "xargs"
                | "ssh"
                | "scp"
                | "curl"
                | "wget"
                | "nc"
                | "ncat"
                | "rm"
                | "dd"
                | "chmod"
                | "chown"
                | "mkfs"
                | "source"
                | "osascript"
                | "cmd"
                | "iex"
        );
    if is_shell(&first) || interp {
        return Some(format!("{first} can run arbitrary code or exfiltrate data"));
    }
    let risky_sub = match first.as_str() {
        "git" => matches!(
            second,
            "push"
                | "reset"
                | "rebase"
                | "filter-branch"
                | "filter-repo"
                | "clean"
                | "config"
                | "-c"
        ),
        "terraform" | "tofu" => matches!(second, "apply" | "destroy" | "import" | "state"),
        "cdk" => matches!(second, "deploy" | "destroy"),
        "kubectl" => matches!(second, "apply" | "delete" | "exec" | "edit" | "patch"),
        "docker" => matches!(second, "run" | "exec" | "push"),
        "npm" | "yarn" | "pnpm" => matches!(second, "publish" | "exec" | "x" | "dlx"),
        "aws" => true,
        _ => false,
    };
    if risky_sub {
        return Some(format!("{first} {second} changes shared state").replace("  ", " "));
    }
    let wild_args = words.len() > 1
        && words[1..]
            .iter()
            .any(|w| *w == "*" || *w == ".*" || w.starts_with('*'))
        || (words.len() == 1 && (l.ends_with('*') || l.ends_with(".*")));
    if wild_args
        && matches!(
            first.as_str(),
            "git"
                | "npm"
                | "yarn"
                | "pnpm"
                | "pip"
                | "pip3"
                | "docker"
                | "kubectl"
                | "terraform"
                | "aws"
                | "make"
                | "cargo"
                | "gh"
                | "go"
        )
    {
        return Some(format!("{first} with any arguments"));
    }
    None
}

// ------------------------------------------------------------ file checks

struct F<'a> {
    idx: &'a PathIndex,
    s: &'a Settings,
    out: Vec<Hit>,
}

impl F<'_> {
    fn at<S: AsRef<str>>(&self, path: &[S]) -> (usize, usize) {
        self.idx.get(path)
    }
    fn push(
        &mut self,
        rule: &'static Rule,
        path: &[String],
        msg: impl Into<std::borrow::Cow<'static, str>>,
        ev: impl Into<String>,
    ) {
        let r = self.at(path);
        self.out.push(Hit::new(rule, r, msg, ev));
    }
}

fn p(base: &[String], more: &[&str]) -> Vec<String> {
    let mut v = base.to_vec();
    v.extend(more.iter().map(|s| s.to_string()));
    v
}

/// An MCP configuration file (`mcpServers` or VS Code `servers`).
pub fn check_mcp_config(v: &Value, idx: &PathIndex, s: &Settings) -> Vec<Hit> {
    let mut f = F {
        idx,
        s,
        out: Vec::new(),
    };
    for key in ["mcpServers", "servers"] {
        if let Some(obj) = v.get(key).and_then(Value::as_object) {
            for (name, srv) in obj {
                server(&mut f, &[key.to_string(), name.clone()], name, srv);
            }
        }
    }
    if let Some(want) = &s.approved_config_sha256 {
        let got = config_sha256(v);
        let want = want
            .trim()
            .trim_start_matches("sha256:")
            .to_ascii_lowercase();
        if got != want {
            let r = f.at(&["mcpServers"]);
            f.out.push(Hit::new(
                &MCP_HASH_MISMATCH,
                r,
                "MCP configuration does not match approved_config_sha256 (possible tampering)",
                format!("sha256 {got} != approved {want}"),
            ));
        }
    }
    f.out
}

/// The hash pin for an MCP file that does not even parse.
pub fn unparsable_mcp(s: &Settings) -> Vec<Hit> {
    match &s.approved_config_sha256 {
        Some(_) => vec![Hit::new(
            &MCP_HASH_MISMATCH,
            (0, 0),
            "MCP configuration is not valid JSON and cannot match approved_config_sha256",
            "",
        )],
        None => Vec::new(),
    }
}

fn server(f: &mut F, path: &[String], name: &str, srv: &Value) {
    let disabled = srv
        .get("disabled")
        .and_then(Value::as_bool)
        .unwrap_or(false)
        || srv.get("enabled").and_then(Value::as_bool) == Some(false);
    secrets(f, path, srv);
    if disabled {
        return;
    }
    let l = launch(srv);
    let tier = classify(name, &l, f.s);
    let ev = match &l {
        Launch::Package { name: n, version } => match version {
            Some(v) => format!("{name}: {n}@{v}"),
            None => format!("{name}: {n}"),
        },
        Launch::Binary(b) | Launch::Local(b) => format!("{name}: {b}"),
        Launch::Remote(u) => format!("{name}: {u}"),
        Launch::NameOnly => name.to_string(),
    };
    if let Some(h) = tier_hit(name, &tier, f.at(path), ev.clone()) {
        f.out.push(h);
    }
    // auto-approve
    match srv.get("autoApprove").or_else(|| srv.get("alwaysAllow")) {
        Some(Value::Bool(true)) => f.push(
            &AUTO_APPROVE,
            &p(path, &["autoApprove"]),
            format!("every tool of {name} is auto-approved"),
            format!("{name}: autoApprove=true"),
        ),
        Some(Value::String(x)) if x == "*" => f.push(
            &AUTO_APPROVE,
            &p(path, &["autoApprove"]),
            format!("every tool of {name} is auto-approved"),
            format!("{name}: autoApprove=*"),
        ),
        Some(Value::Array(a)) => {
            let key = if srv.get("autoApprove").is_some() {
                "autoApprove"
            } else {
                "alwaysAllow"
            };
            for (i, t) in a.iter().enumerate() {
                if let Some(t) = t.as_str()
                    && dangerous_tool(t)
                {
                    f.push(
                        &AUTO_APPROVE,
                        &p(path, &[key, &i.to_string()]),
                        format!("auto-approved tool {t} on {name} can write or change state"),
                        format!("{name}: {t}"),
                    );
                }
            }
        }
        _ => {}
    }
    let core_pkg = match &l {
        Launch::Package { name, .. } | Launch::Binary(name) => core_name(name),
        _ => core_name(name),
    };
    let args = str_list(srv.get("args"));
    // filesystem roots
    if core_pkg == "filesystem" || core_name(name) == "filesystem" {
        for (i, a) in args.iter().enumerate() {
            if broad_root(a) {
                f.push(
                    &MCP_FS_ROOT,
                    &p(path, &["args", &i.to_string()]),
                    format!("filesystem server {name} can read and write {a}"),
                    format!("{name}: {a}"),
                );
            }
        }
    }
    // git push
    if core_pkg == "git"
        || (matches!(l, Launch::NameOnly | Launch::Remote(_)) && core_name(name) == "git")
    {
        let disabled_tools = str_list(srv.get("disabledTools"));
        if !disabled_tools
            .iter()
            .any(|t| t == "git_push" || t == "push")
        {
            let r = if srv.get("disabledTools").is_some() {
                p(path, &["disabledTools"])
            } else {
                path.to_vec()
            };
            f.push(
                &MCP_GIT_PUSH,
                &r,
                format!("git server {name} can push: add git_push to disabledTools"),
                ev.clone(),
            );
        }
    }
    // pinning
    if let Launch::Package { name: n, version } = &l {
        let unpinned = match version.as_deref() {
            None => true,
            Some(v) => {
                let v = v.to_ascii_lowercase();
                v == "latest"
                    || v == "next"
                    || v.starts_with('^')
                    || v.starts_with('~')
                    || v.contains('*')
                    || v.starts_with(">")
            }
        };
        if unpinned {
            let i = args.iter().position(|a| {
                a.contains(n.as_str()) || a.to_ascii_lowercase().contains(&n.to_ascii_lowercase())
            });
            let r = match i {
                Some(i) => p(path, &["args", &i.to_string()]),
                None => p(path, &["command"]),
            };
            f.push(
                &MCP_UNPINNED,
                &r,
                format!(
                    "server {name} runs {n}{} without a pinned version",
                    version
                        .as_deref()
                        .map(|v| format!("@{v}"))
                        .unwrap_or_default()
                ),
                ev,
            );
        }
    }
}

fn broad_root(a: &str) -> bool {
    let t = a.trim();
    let t2 = t.trim_end_matches(['/', '\\']);
    if matches!(
        t,
        "/" | "~"
            | "~/"
            | "$HOME"
            | "${HOME}"
            | "%USERPROFILE%"
            | "${userHome}"
            | "/root"
            | "/home"
            | "/Users"
            | "\\"
    ) {
        return true;
    }
    if let Some(rest) = t2
        .strip_prefix("/home/")
        .or_else(|| t2.strip_prefix("/Users/"))
        && !rest.is_empty()
        && !rest.contains('/')
    {
        return true;
    }
    if let Some(rest) = t2
        .strip_prefix("C:\\Users\\")
        .or_else(|| t2.strip_prefix("C:/Users/"))
        && !rest.contains(['\\', '/'])
    {
        return true;
    }
    let b = t.as_bytes();
    b.len() >= 2
        && b[0].is_ascii_alphabetic()
        && b[1] == b':'
        && t[2..].chars().all(|c| c == '\\' || c == '/')
}

fn secrets(f: &mut F, path: &[String], srv: &Value) {
    for key in ["env", "headers"] {
        if let Some(obj) = srv.get(key).and_then(Value::as_object) {
            for (k, v) in obj {
                let Some(v) = v.as_str() else { continue };
                let val = v.trim();
                let literal =
                    !val.contains("${") && !val.starts_with('$') && !val.starts_with("{{");
                let bearer = match val.get(..7) {
                    Some(pre) if pre.eq_ignore_ascii_case("bearer ") => val[7..].trim(),
                    _ => val,
                };
                if literal
                    && !is_placeholder(bearer)
                    && ((secret_key_name(k) && bearer.len() >= 8) || looks_like_secret(bearer))
                {
                    f.push(
                        &MCP_LITERAL_SECRET,
                        &p(path, &[key, k]),
                        format!("literal credential in {key}.{k}: use a ${{VAR}} reference"),
                        format!("{k}={}", mask_secret(val)),
                    );
                }
            }
        }
    }
    let args = str_list(srv.get("args"));
    let mut prev: Option<&str> = None;
    for (i, a) in args.iter().enumerate() {
        let m = mask_word(a, prev);
        if m != *a && !a.contains("${") {
            f.push(
                &MCP_LITERAL_SECRET,
                &p(path, &["args", &i.to_string()]),
                "literal credential in server arguments: use a ${VAR} reference",
                m,
            );
        }
        prev = Some(a);
    }
}

/// A Kiro agent configuration (`.kiro/agents/*.json`).
pub fn check_kiro_agent(v: &Value, idx: &PathIndex, s: &Settings) -> Vec<Hit> {
    let mut f = F {
        idx,
        s,
        out: Vec::new(),
    };
    if let Some(obj) = v.get("mcpServers").and_then(Value::as_object) {
        for (name, srv) in obj {
            server(&mut f, &["mcpServers".into(), name.clone()], name, srv);
        }
    }
    for (i, t) in str_list(v.get("allowedTools")).iter().enumerate() {
        let bad = if let Some(srv) = t.strip_prefix('@') {
            match srv.split_once('/') {
                Some((_, tool)) => dangerous_tool(tool),
                None => {
                    srv == "builtin"
                        || !matches!(
                            classify(srv, &Launch::NameOnly, s),
                            Tier::Tier1 | Tier::Approved
                        )
                        || core_name(srv) == "git"
                        || core_name(srv) == "filesystem"
                }
            }
        } else {
            dangerous_tool(t)
        };
        if bad {
            f.push(
                &AUTO_APPROVE,
                &["allowedTools".into(), i.to_string()],
                format!("allowedTools auto-approves {t}"),
                t.clone(),
            );
        }
    }
    if let Some(ts) = v.get("toolsSettings").and_then(Value::as_object) {
        for (tool, cfg) in ts {
            for (i, c) in str_list(cfg.get("allowedCommands")).iter().enumerate() {
                if let Some(why) = broad_command(c, s) {
                    f.push(
                        &TRUSTED_BROAD,
                        &[
                            "toolsSettings".into(),
                            tool.clone(),
                            "allowedCommands".into(),
                            i.to_string(),
                        ],
                        format!("{tool}.allowedCommands entry {c:?} is too broad: {why}"),
                        c.clone(),
                    );
                }
            }
            for (i, pth) in str_list(cfg.get("allowedPaths")).iter().enumerate() {
                if matches!(
                    pth.as_str(),
                    "**" | "*" | "/" | "/**" | "~" | "~/**" | "**/*"
                ) {
                    f.push(
                        &AUTO_APPROVE,
                        &[
                            "toolsSettings".into(),
                            tool.clone(),
                            "allowedPaths".into(),
                            i.to_string(),
                        ],
                        format!("{tool}.allowedPaths {pth:?} auto-approves writes anywhere"),
                        pth.clone(),
                    );
                }
            }
        }
    }
    // hooks
    let hooks = v.get("hooks");
    let guarded = hooks
        .and_then(|h| h.get("preToolUse").or_else(|| h.get("PreToolUse")))
        .and_then(Value::as_array)
        .is_some_and(|a| {
            a.iter().any(|h| {
                h.get("command")
                    .and_then(Value::as_str)
                    .is_some_and(|c| c.contains("kiro-guard"))
                    && h.get("enabled").and_then(Value::as_bool) != Some(false)
            })
        });
    if !guarded {
        let r = if hooks.is_some() {
            vec!["hooks".to_string()]
        } else {
            vec!["name".to_string()]
        };
        f.push(
            &HOOK_MISSING,
            &r,
            "agent has no preToolUse hook running kiro-guard",
            "hooks.preToolUse",
        );
    }
    f.out
}

/// A Kiro v1 hook file (`.kiro/hooks/*.json`).
pub fn check_kiro_hooks(v: &Value, idx: &PathIndex, s: &Settings) -> Vec<Hit> {
    let mut f = F {
        idx,
        s,
        out: Vec::new(),
    };
    let hooks = v
        .get("hooks")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut guarded = false;
    for (i, h) in hooks.iter().enumerate() {
        let enabled = h.get("enabled").and_then(Value::as_bool) != Some(false);
        let cmd = h
            .pointer("/action/command")
            .or_else(|| h.get("command"))
            .and_then(Value::as_str)
            .unwrap_or("");
        let name = h.get("name").and_then(Value::as_str).unwrap_or("hook");
        if !enabled {
            f.push(
                &HOOK_DISABLED,
                &["hooks".into(), i.to_string(), "enabled".into()],
                format!(
                    "hook {name} is disabled{}",
                    if cmd.contains("kiro-guard") {
                        " (kiro-guard gate off)"
                    } else {
                        ""
                    }
                ),
                format!("{name}: enabled=false"),
            );
        }
        let trig = h.get("trigger").and_then(Value::as_str).unwrap_or("");
        if enabled && trig.eq_ignore_ascii_case("pretooluse") && cmd.contains("kiro-guard") {
            guarded = true;
        }
    }
    if !guarded {
        f.push(
            &HOOK_MISSING,
            &["hooks".to_string()],
            "hook file has no enabled PreToolUse hook running kiro-guard",
            "hooks",
        );
    }
    f.out
}

/// A legacy Kiro IDE `.kiro.hook` file.
pub fn check_legacy_hook(v: &Value, idx: &PathIndex, s: &Settings) -> Vec<Hit> {
    let mut f = F {
        idx,
        s,
        out: Vec::new(),
    };
    let name = v.get("name").and_then(Value::as_str).unwrap_or("hook");
    let cmd = v
        .pointer("/then/command")
        .and_then(Value::as_str)
        .unwrap_or("");
    if v.get("enabled").and_then(Value::as_bool) == Some(false) {
        f.push(
            &HOOK_DISABLED,
            &["enabled".to_string()],
            format!("hook {name} is disabled"),
            format!("{name}: enabled=false"),
        );
    } else if !cmd.contains("kiro-guard") {
        f.push(
            &HOOK_MISSING,
            &["then".to_string()],
            format!("hook {name} does not run kiro-guard"),
            name.to_string(),
        );
    }
    f.out
}

/// Claude Code settings (`.claude/settings.json`, `.claude/settings.local.json`).
pub fn check_claude(v: &Value, idx: &PathIndex, s: &Settings, local: bool) -> Vec<Hit> {
    let mut f = F {
        idx,
        s,
        out: Vec::new(),
    };
    for list in ["allow"] {
        for (i, e) in str_list(v.pointer(&format!("/permissions/{list}")))
            .iter()
            .enumerate()
        {
            let path = vec!["permissions".to_string(), list.to_string(), i.to_string()];
            let (tool, arg) = match e.split_once('(') {
                Some((t, a)) => (t.trim(), Some(a.trim_end_matches(')').trim())),
                None => (e.trim(), None),
            };
            let unscoped = |a: Option<&str>| {
                a.is_none_or(|a| matches!(a, "*" | "**" | "/**" | ":*" | "" | "./**" | "**/*"))
            };
            match tool {
                "Bash" | "PowerShell" => {
                    if unscoped(arg) {
                        f.push(
                            &AUTO_APPROVE,
                            &path,
                            format!("{e} auto-approves every shell command"),
                            e.clone(),
                        );
                    } else if let Some(a) = arg {
                        let cmd = a.trim_end_matches(":*").trim_end_matches('*').trim();
                        let cmd = if cmd.is_empty() { "*" } else { cmd };
                        if let Some(why) = broad_command(cmd, s) {
                            f.push(
                                &TRUSTED_BROAD,
                                &path,
                                format!("{e} is too broad: {why}"),
                                e.clone(),
                            );
                        }
                    }
                }
                "Write" | "Edit" | "MultiEdit" | "NotebookEdit" => {
                    let h = Hit::new(
                        &AUTO_APPROVE,
                        f.at(&path),
                        format!("{e} auto-approves file writes"),
                        e.clone(),
                    );
                    f.out.push(if unscoped(arg) {
                        h
                    } else {
                        h.with_severity(Severity::Warn)
                    });
                }
                t if t.starts_with("mcp__") => {
                    let rest = &t[5..];
                    let (srv, tool) = rest.split_once("__").unwrap_or((rest, "*"));
                    let whole = tool == "*" || tool.is_empty();
                    if (whole
                        && !matches!(
                            classify(srv, &Launch::NameOnly, s),
                            Tier::Tier1 | Tier::Approved
                        ))
                        || dangerous_tool(tool)
                        || (whole && matches!(core_name(srv).as_str(), "git" | "filesystem"))
                    {
                        f.push(
                            &AUTO_APPROVE,
                            &path,
                            format!("{e} auto-approves a tool that can change state"),
                            e.clone(),
                        );
                    }
                }
                _ => {}
            }
        }
    }
    if let Some(mode) = v
        .pointer("/permissions/defaultMode")
        .and_then(Value::as_str)
    {
        let path = vec!["permissions".to_string(), "defaultMode".to_string()];
        match mode {
            "bypassPermissions" | "dontAsk" => {
                let h = Hit::new(
                    &AUTOPILOT,
                    f.at(&path),
                    format!("defaultMode {mode} runs every tool without approval"),
                    mode,
                )
                .with_severity(Severity::Block);
                f.out.push(h);
            }
            "acceptEdits" | "auto" => {
                let sev = if s.production {
                    Severity::Block
                } else {
                    Severity::Warn
                };
                let h = Hit::new(
                    &AUTOPILOT,
                    f.at(&path),
                    format!("defaultMode {mode} applies edits without approval"),
                    mode,
                )
                .with_severity(sev);
                f.out.push(h);
            }
            _ => {}
        }
    }
    if v.get("disableAllHooks").and_then(Value::as_bool) == Some(true) {
        f.push(
            &HOOK_DISABLED,
            &["disableAllHooks".to_string()],
            "disableAllHooks turns every hook off, kiro-guard included",
            "disableAllHooks=true",
        );
    }
    let guarded = v
        .pointer("/hooks/PreToolUse")
        .and_then(Value::as_array)
        .is_some_and(|a| {
            a.iter().any(|m| {
                m.get("hooks").and_then(Value::as_array).is_some_and(|hs| {
                    hs.iter().any(|h| {
                        h.get("command")
                            .and_then(Value::as_str)
                            .is_some_and(|c| c.contains("kiro-guard"))
                    })
                })
            })
        });
    if !guarded && !local {
        let r = if v.get("hooks").is_some() {
            vec!["hooks".to_string()]
        } else {
            Vec::new()
        };
        f.push(
            &HOOK_MISSING,
            &r,
            "Claude Code settings have no PreToolUse hook running kiro-guard",
            "hooks.PreToolUse",
        );
    }
    if let Some(obj) = v.get("mcpServers").and_then(Value::as_object) {
        for (name, srv) in obj {
            server(&mut f, &["mcpServers".into(), name.clone()], name, srv);
        }
    }
    f.out
}

fn flatten<'a>(
    v: &'a Value,
    path: &mut Vec<String>,
    out: &mut Vec<(Vec<String>, &'a Value)>,
    depth: usize,
) {
    match v {
        Value::Object(m) if depth < 32 => {
            for (k, x) in m {
                path.push(k.clone());
                flatten(x, path, out, depth + 1);
                path.pop();
            }
        }
        _ => out.push((path.clone(), v)),
    }
}

/// Kiro IDE / VS Code-style settings with `kiro.*` keys and `dataResidency`.
pub fn check_kiro_settings(v: &Value, idx: &PathIndex, s: &Settings) -> Vec<Hit> {
    let mut f = F {
        idx,
        s,
        out: Vec::new(),
    };
    let mut leaves = Vec::new();
    flatten(v, &mut Vec::new(), &mut leaves, 0);
    for (path, val) in leaves {
        let dotted = path.join(".").to_ascii_lowercase();
        let b = val.as_bool();
        let st = val.as_str().map(str::to_ascii_lowercase);
        let autopilot = (dotted.ends_with("autopilot.enabled") && b == Some(true))
            || (dotted.ends_with("autopilot") && b == Some(true))
            || (dotted.ends_with("requireapproval") && b == Some(false))
            || (dotted.ends_with("kiro.mode") && st.as_deref() == Some("autopilot"))
            || (dotted.ends_with("kiro.autoapprove") && b == Some(true))
            || ((dotted.ends_with("autonomymode") || dotted.ends_with("autonomy"))
                && st.as_deref().is_some_and(|x| x.contains("autopilot")));
        if autopilot {
            let sev = if s.production {
                Severity::Block
            } else {
                Severity::Warn
            };
            let h = Hit::new(
                &AUTOPILOT,
                f.at(&path),
                format!("{} = {val} turns supervised approval off", path.join(".")),
                format!("{}={val}", path.join(".")),
            )
            .with_severity(sev);
            f.out.push(h);
        }
        if dotted.ends_with("trustedcommands") {
            for (i, c) in str_list(Some(val)).iter().enumerate() {
                if let Some(why) = broad_command(c, s) {
                    f.push(
                        &TRUSTED_BROAD,
                        &p(&path, &[&i.to_string()]),
                        format!("trusted command {c:?} is too broad: {why}"),
                        c.clone(),
                    );
                }
            }
        }
        let telemetry = dotted.contains("telemetry")
            && ((dotted.ends_with("enabled") || dotted.ends_with("enabletelemetry"))
                && b == Some(true)
                || dotted.ends_with("telemetrylevel") && st.as_deref().is_some_and(|x| x != "off"));
        if telemetry {
            f.push(
                &TELEMETRY,
                &path,
                format!("{} = {val}", path.join(".")),
                format!("{}={val}", path.join(".")),
            );
        }
        if (dotted.ends_with("sharecontentwithaws")
            || dotted.ends_with("contentsharing.enabled")
            || dotted.ends_with("sharecontent"))
            && b == Some(true)
        {
            f.push(
                &CONTENT_SHARING,
                &path,
                format!(
                    "{} = true shares code and prompts with the vendor",
                    path.join(".")
                ),
                format!("{}=true", path.join(".")),
            );
        }
        if (dotted.ends_with("primaryregion")
            || (dotted.starts_with("dataresidency") && dotted.ends_with("region")))
            && let Some(r) = val.as_str()
            && !r.eq_ignore_ascii_case(&s.required_region)
        {
            f.push(
                &DATA_RESIDENCY,
                &path,
                format!("data residency region {r} is outside {}", s.required_region),
                format!("{}={r}", path.join(".")),
            );
        }
        if (dotted.ends_with("allowcrossregion")
            || dotted.ends_with("crossregioninference")
            || dotted.ends_with("crossregioninference.enabled"))
            && b == Some(true)
        {
            f.push(
                &DATA_RESIDENCY,
                &path,
                "cross-region inference/storage is allowed",
                format!("{}=true", path.join(".")),
            );
        }
    }
    f.out
}

// -------------------------------------------------------------- run time

/// Split an MCP tool name: `@server/tool`, `mcp__server__tool`.
pub fn split_tool_name(tool: &str) -> Option<(String, String)> {
    if let Some(r) = tool.strip_prefix('@') {
        let (s, t) = r.split_once('/').unwrap_or((r, ""));
        if s.is_empty() || s == "builtin" {
            return None;
        }
        return Some((s.to_string(), t.to_string()));
    }
    if let Some(r) = tool.strip_prefix("mcp__") {
        let (s, t) = r.split_once("__").unwrap_or((r, ""));
        return (!s.is_empty()).then(|| (s.to_string(), t.to_string()));
    }
    None
}

/// An MCP tool call at run time.
pub fn check_tool_call(tool_name: &str, server_field: &str, s: &Settings) -> Vec<Hit> {
    let (server, tool) = if !server_field.trim().is_empty() {
        let tool = split_tool_name(tool_name)
            .map(|x| x.1)
            .unwrap_or_else(|| tool_name.to_string());
        (server_field.trim().to_string(), tool)
    } else {
        match split_tool_name(tool_name) {
            Some(x) => x,
            None => return Vec::new(),
        }
    };
    let tier = classify(&server, &Launch::NameOnly, s);
    let ev = format!("@{server}/{tool}");
    tier_hit(&server, &tier, (0, 0), ev).into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cls(name: &str, srv: Value) -> Tier {
        classify(name, &launch(&srv), &Settings::default())
    }

    #[test]
    fn tiers() {
        assert_eq!(
            cls(
                "aws-docs",
                json!({"command":"uvx","args":["awslabs.aws-documentation-mcp-server@1.1.0"]})
            ),
            Tier::Tier1
        );
        assert_eq!(
            cls("git", json!({"command":"uvx","args":["mcp-server-git"]})),
            Tier::Tier1
        );
        assert_eq!(
            cls(
                "fs",
                json!({"command":"npx","args":["-y","@modelcontextprotocol/server-filesystem","/p"]})
            ),
            Tier::Tier1
        );
        assert_eq!(
            cls(
                "github",
                json!({"command":"npx","args":["-y","@modelcontextprotocol/server-github"]})
            ),
            Tier::Tier2
        );
        assert_eq!(
            cls(
                "gh",
                json!({"command":"docker","args":["run","-i","--rm","-e","GITHUB_TOKEN","ghcr.io/github/github-mcp-server"]})
            ),
            Tier::Tier2
        );
        assert!(matches!(
            cls(
                "search",
                json!({"command":"npx","args":["-y","@modelcontextprotocol/server-brave-search"]})
            ),
            Tier::Prohibited(_)
        ));
        assert!(matches!(
            cls("git", json!({"command":"npx","args":["-y","tavily-mcp"]})),
            Tier::Prohibited(_)
        ));
        assert!(matches!(
            cls(
                "git",
                json!({"command":"npx","args":["-y","evil-git-helper"]})
            ),
            Tier::Unknown(_)
        ));
        assert!(matches!(
            cls("helper", json!({"command":"node","args":["./server.js"]})),
            Tier::Unknown(_)
        ));
        assert!(matches!(
            cls("web", json!({"url":"https://mcp.tavily.com/mcp"})),
            Tier::Prohibited(_)
        ));
        assert!(matches!(
            cls("x", json!({"command":"uvx","args":["mcp-server-fetch"]})),
            Tier::Prohibited(_)
        ));
        assert!(matches!(
            cls(
                "pw",
                json!({"command":"npx","args":["@playwright/mcp@0.0.30"]})
            ),
            Tier::Prohibited(_)
        ));
        let s = Settings {
            approved_servers: vec!["github".into()],
            ..Settings::default()
        };
        assert_eq!(
            classify(
                "github",
                &launch(
                    &json!({"command":"npx","args":["@modelcontextprotocol/server-github@1.0.0"]})
                ),
                &s
            ),
            Tier::Approved
        );
    }

    #[test]
    fn tool_danger() {
        for t in [
            "write_file",
            "git_commit",
            "execute_sql",
            "runQuery",
            "create_issue",
            "*",
            "fs_write",
            "deleteBranch",
        ] {
            assert!(dangerous_tool(t), "{t}");
        }
        for t in [
            "read_file",
            "list_directory",
            "search_repositories",
            "get_file_contents",
            "mcp_aws_docs_search_documentation",
            "git_status",
            "git_log",
            "fs_read",
        ] {
            assert!(!dangerous_tool(t), "{t}");
        }
    }

    #[test]
    fn trusted() {
        let s = Settings::default();
        for c in [
            "*",
            "bash",
            "python3 -c",
            "curl",
            "git push",
            "git *",
            "sudo apt",
            "/bin/sh -c",
            "aws s3 cp",
        ] {
            assert!(broad_command(c, &s).is_some(), "{c}");
        }
        for c in [
            "npm install",
            "npm test",
            "git status",
            "git log",
            "terraform plan",
            "cargo test",
        ] {
            assert!(broad_command(c, &s).is_none(), "{c}");
        }
    }

    #[test]
    fn tool_calls() {
        let s = Settings::default();
        assert!(check_tool_call("@aws-docs/search_documentation", "", &s).is_empty());
        assert_eq!(
            check_tool_call("mcp__github__create_issue", "", &s)[0]
                .rule
                .id,
            "mcp-server-tier2-unapproved"
        );
        assert_eq!(
            check_tool_call("@brave-search/search", "", &s)[0].rule.id,
            "mcp-server-prohibited"
        );
        assert_eq!(
            check_tool_call("run", "acme-internal", &s)[0].rule.id,
            "mcp-server-unapproved"
        );
        assert!(check_tool_call("fs_write", "", &s).is_empty());
    }
}
