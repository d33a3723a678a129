//! A repository's own gitleaks rules, passed in the skill settings as JSON
//! (`gitleaks_rules`, `gitleaks_allowlist`) with gitleaks' field names. The
//! host converts a `.gitleaks.toml` into these settings; findings are
//! reported as `gitleaks/<rule-id>`, block, with the credential references.
//!
//! Supported per rule: `id`, `description` (ignored), `regex`, `secretGroup`,
//! `entropy`, `keywords`, `path`, `tags` (ignored), `allowlists` (and the
//! older single `allowlist`) with `regexes`, `regexTarget` (`secret`,
//! `match`, `line`), `stopwords`, `paths`, `condition` (`OR`, `AND`). The
//! global allowlist takes `regexes`, `regexTarget`, `stopwords`, `paths`.
//! Anything else (for example a path-only rule, `commits`) is an error
//! naming the field, so a rule is never silently weaker than in gitleaks.

use crate::Hit;
use crate::rules::is_credential_rule;
use kiro_guard_skill::Severity::Block;
use kiro_guard_skill::mask::mask_secret;
use kiro_guard_skill::rule::RuleDef;
use kiro_guard_skill::text::shannon_entropy;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

#[derive(Debug)]
struct Allow {
    regexes: Vec<regex::Regex>,
    target: Target,
    stopwords: Vec<String>,
    paths: Vec<regex::Regex>,
    and: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Target {
    Secret,
    Match,
    Line,
}

#[derive(Debug)]
struct Rule {
    def: &'static RuleDef,
    regex: regex::Regex,
    group: Option<usize>,
    entropy: Option<f64>,
    keywords: Vec<String>,
    path: Option<regex::Regex>,
    allow: Vec<Allow>,
}

/// Compiled gitleaks rules.
#[derive(Debug, Default)]
pub struct Rules {
    rules: Vec<Rule>,
    global: Option<Allow>,
}

fn err(what: impl std::fmt::Display) -> String {
    format!("banking-code-review: gitleaks rules: {what}")
}

fn compile(re: &str, ctx: &str) -> Result<regex::Regex, String> {
    // gitleaks uses Go RE2 syntax; the Rust regex crate accepts the same
    // constructs (no look-around, no back-references).
    // Go RE2 classes (`\w`, `\d`, `\s`) are ASCII, as ascii_regex makes them.
    kiro_guard_skill::ascii_regex::builder(re)
        .size_limit(8 << 20)
        .build()
        .map_err(|e| err(format!("{ctx}: invalid regex: {e}")))
}

fn strings(v: Option<&Value>, ctx: &str) -> Result<Vec<String>, String> {
    match v {
        None => Ok(Vec::new()),
        Some(Value::Array(a)) => a
            .iter()
            .map(|x| {
                x.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| err(format!("{ctx}: expected a list of strings")))
            })
            .collect(),
        Some(_) => Err(err(format!("{ctx}: expected a list of strings"))),
    }
}

fn allow(v: &Value, ctx: &str, global: bool) -> Result<Allow, String> {
    let o = v
        .as_object()
        .ok_or_else(|| err(format!("{ctx}: expected a table")))?;
    for k in o.keys() {
        let known = matches!(
            k.as_str(),
            "regexes" | "regexTarget" | "stopwords" | "paths" | "description"
        ) || (!global && k == "condition");
        if !known {
            return Err(err(format!("{ctx}: unsupported field `{k}`")));
        }
    }
    let target = match o.get("regexTarget").and_then(Value::as_str) {
        None | Some("secret") => Target::Secret,
        Some("match") => Target::Match,
        Some("line") => Target::Line,
        Some(t) => return Err(err(format!("{ctx}: unknown regexTarget `{t}`"))),
    };
    let and = match o.get("condition").and_then(Value::as_str) {
        None | Some("OR") | Some("or") => false,
        Some("AND") | Some("and") => true,
        Some(c) => return Err(err(format!("{ctx}: unknown condition `{c}`"))),
    };
    Ok(Allow {
        regexes: strings(o.get("regexes"), ctx)?
            .iter()
            .map(|r| compile(r, ctx))
            .collect::<Result<_, _>>()?,
        target,
        stopwords: strings(o.get("stopwords"), ctx)?
            .into_iter()
            .map(|s| s.to_ascii_lowercase())
            .collect(),
        paths: strings(o.get("paths"), ctx)?
            .iter()
            .map(|r| compile(r, ctx))
            .collect::<Result<_, _>>()?,
        and,
    })
}

/// The catalogue entry for `gitleaks/<id>` (one leaked entry per distinct
/// id for the life of the instance).
fn rule_def(id: &str) -> &'static RuleDef {
    static DEFS: LazyLock<Mutex<HashMap<String, &'static RuleDef>>> =
        LazyLock::new(|| Mutex::new(HashMap::new()));
    let mut m = DEFS.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(d) = m.get(id) {
        return d;
    }
    let name: &'static str = Box::leak(format!("gitleaks/{id}").into_boxed_str());
    let base = crate::rules::GENERIC_SECRET;
    let def: &'static RuleDef = Box::leak(Box::new(RuleDef {
        id: name,
        title: "Secret matched by a repository gitleaks rule",
        severity: Block,
        ..base
    }));
    debug_assert!(is_credential_rule(def));
    m.insert(id.to_string(), def);
    def
}

/// Parse the settings values (`gitleaks_rules`, `gitleaks_allowlist`).
pub fn parse(rules: Option<&Value>, global: Option<&Value>) -> Result<Rules, String> {
    let mut out = Rules::default();
    if let Some(g) = global {
        out.global = Some(allow(g, "gitleaks_allowlist", true)?);
    }
    let Some(rules) = rules else {
        return Ok(out);
    };
    let list = rules
        .as_array()
        .ok_or_else(|| err("`gitleaks_rules` must be a list of tables"))?;
    for (i, r) in list.iter().enumerate() {
        let o = r
            .as_object()
            .ok_or_else(|| err(format!("rule {i}: expected a table")))?;
        let id = o
            .get("id")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| err(format!("rule {i}: `id` is required")))?;
        let ctx = format!("rule `{id}`");
        for k in o.keys() {
            if !matches!(
                k.as_str(),
                "id" | "description"
                    | "regex"
                    | "secretGroup"
                    | "entropy"
                    | "keywords"
                    | "path"
                    | "tags"
                    | "allowlists"
                    | "allowlist"
            ) {
                return Err(err(format!("{ctx}: unsupported field `{k}`")));
            }
        }
        let re = o.get("regex").and_then(Value::as_str).ok_or_else(|| {
            err(format!(
                "{ctx}: a rule without `regex` (path-only rule) is not supported"
            ))
        })?;
        let regex = compile(re, &ctx)?;
        let group = match o.get("secretGroup") {
            None => None,
            Some(v) => {
                let g = v
                    .as_u64()
                    .ok_or_else(|| err(format!("{ctx}: `secretGroup` must be a number")))?
                    as usize;
                if g >= regex.captures_len() {
                    return Err(err(format!(
                        "{ctx}: `secretGroup` {g} is not a group of the regex"
                    )));
                }
                Some(g)
            }
        };
        let entropy = match o.get("entropy") {
            None => None,
            Some(v) => Some(
                v.as_f64()
                    .ok_or_else(|| err(format!("{ctx}: `entropy` must be a number")))?,
            ),
        };
        let path = match o.get("path") {
            None => None,
            Some(v) => Some(compile(
                v.as_str()
                    .ok_or_else(|| err(format!("{ctx}: `path` must be a string")))?,
                &ctx,
            )?),
        };
        let mut allows = Vec::new();
        if let Some(a) = o.get("allowlist") {
            allows.push(allow(a, &ctx, false)?);
        }
        if let Some(a) = o.get("allowlists") {
            for x in a
                .as_array()
                .ok_or_else(|| err(format!("{ctx}: `allowlists` must be a list")))?
            {
                allows.push(allow(x, &ctx, false)?);
            }
        }
        out.rules.push(Rule {
            def: rule_def(id),
            regex,
            group,
            entropy,
            keywords: strings(o.get("keywords"), &ctx)?
                .into_iter()
                .map(|k| k.to_ascii_lowercase())
                .collect(),
            path,
            allow: allows,
        });
    }
    Ok(out)
}

/// Parse once per distinct settings (the skill gets its settings with every
/// call; compiling the regexes each time would dominate).
pub fn cached(rules: Option<&Value>, global: Option<&Value>) -> Result<Option<Arc<Rules>>, String> {
    if rules.is_none() && global.is_none() {
        return Ok(None);
    }
    static CACHE: LazyLock<Mutex<HashMap<String, Arc<Rules>>>> =
        LazyLock::new(|| Mutex::new(HashMap::new()));
    let key = format!(
        "{}\u{0}{}",
        rules.map(Value::to_string).unwrap_or_default(),
        global.map(Value::to_string).unwrap_or_default()
    );
    if let Some(r) = CACHE.lock().unwrap_or_else(|p| p.into_inner()).get(&key) {
        return Ok(Some(r.clone()));
    }
    let parsed = Arc::new(parse(rules, global)?);
    let mut c = CACHE.lock().unwrap_or_else(|p| p.into_inner());
    if c.len() > 16 {
        c.clear();
    }
    c.insert(key, parsed.clone());
    Ok(Some(parsed))
}

/// Whether an allowlist accepts a match (`use_paths`: also its `paths`;
/// the global allowlist's paths are checked once per file).
fn allowed(a: &Allow, use_paths: bool, secret: &str, whole: &str, line: &str, path: &str) -> bool {
    let target = match a.target {
        Target::Secret => secret,
        Target::Match => whole,
        Target::Line => line,
    };
    let lower = secret.to_ascii_lowercase();
    let mut checks = Vec::new();
    if !a.regexes.is_empty() {
        checks.push(a.regexes.iter().any(|r| r.is_match(target)));
    }
    if !a.stopwords.is_empty() {
        checks.push(a.stopwords.iter().any(|s| lower.contains(s.as_str())));
    }
    if use_paths && !a.paths.is_empty() {
        checks.push(a.paths.iter().any(|r| r.is_match(path)));
    }
    if a.and {
        !checks.is_empty() && checks.iter().all(|c| *c)
    } else {
        checks.iter().any(|c| *c)
    }
}

/// Run the rules on `text` (a file at `path`, or "" for prompts/commands).
pub fn scan(rules: &Rules, text: &str, path: &str, hits: &mut Vec<Hit>) {
    if let Some(g) = &rules.global
        && !g.paths.is_empty()
        && g.paths.iter().any(|r| r.is_match(path))
    {
        return;
    }
    let mut lower: Option<String> = None;
    for r in &rules.rules {
        if let Some(p) = &r.path
            && !p.is_match(path)
        {
            continue;
        }
        if !r.keywords.is_empty() {
            let l = lower.get_or_insert_with(|| text.to_ascii_lowercase());
            if !r.keywords.iter().any(|k| l.contains(k.as_str())) {
                continue;
            }
        }
        for caps in r.regex.captures_iter(text) {
            let whole = caps.get(0).expect("group 0");
            let m = match r.group {
                Some(g) => caps.get(g),
                // gitleaks: the first group when the regex has one.
                None => caps.get(1).or(Some(whole)),
            };
            let Some(m) = m else { continue };
            if m.as_str().is_empty() {
                continue;
            }
            let secret = m.as_str();
            if let Some(min) = r.entropy
                && shannon_entropy(secret) < min
            {
                continue;
            }
            let ls = kiro_guard_skill::scan::line_start(text.as_bytes(), m.start());
            let le = kiro_guard_skill::scan::line_end(text.as_bytes(), m.end());
            let line = &text[ls..le];
            let global_allow = rules
                .global
                .as_ref()
                .is_some_and(|g| allowed(g, false, secret, whole.as_str(), line, path));
            if global_allow
                || r.allow
                    .iter()
                    .any(|a| allowed(a, true, secret, whole.as_str(), line, path))
            {
                continue;
            }
            hits.push(Hit::new(
                r.def,
                (m.start(), m.end()),
                format!(
                    "secret matched by the repository's gitleaks rule `{}`",
                    &r.def.id[9..]
                ),
                mask_secret(secret),
            ));
        }
    }
}
