//! API knowledge for JavaScript/TypeScript (Node, Express, Koa, Fastify,
//! NestJS, Next.js), Go (net/http, gin, echo, fiber, database/sql, sqlx,
//! GORM) and C# (ASP.NET Core, ADO.NET, Dapper, Entity Framework):
//! sources, sanitisers, propagators, sinks and crypto/random primitives,
//! as data consulted by the taint analysis through [`super::sinks`].

use super::ir::*;
use super::lex::Lang;
use super::taint::*;
use std::rc::Rc;

/// Request-object methods returning client data.
const REQUEST_METHODS: &[&str] = &[
    // Express / Koa / Fastify / Next.js
    "param",
    "get",
    "header",
    "json",
    "text",
    "formData",
    // net/http
    "FormValue",
    "PostFormValue",
    "FormFile",
    "Cookie",
    "Cookies",
    "UserAgent",
    "Referer",
    // gin / echo / fiber
    "Query",
    "DefaultQuery",
    "GetQuery",
    "QueryArray",
    "QueryMap",
    "Param",
    "Params",
    "PostForm",
    "DefaultPostForm",
    "GetPostForm",
    "GetHeader",
    "GetRawData",
    "QueryParam",
    "QueryParams",
    "FormParams",
    "ParamValues",
    "Body",
    "BodyRaw",
    "Queries",
    "AllParams",
    "GetReqHeaders",
    // ASP.NET
    "ReadFromJsonAsync",
    "ReadFormAsync",
];

/// Request-object methods that decode the body into their argument
/// (`c.ShouldBindJSON(&req)`, `json.NewDecoder(r.Body).Decode(&req)`).
const BINDERS: &[&str] = &[
    "Bind",
    "BindJSON",
    "BindQuery",
    "BindUri",
    "ShouldBind",
    "ShouldBindJSON",
    "ShouldBindQuery",
    "ShouldBindUri",
    "ShouldBindWith",
    "BodyParser",
    "QueryParser",
    "ParamsParser",
    "Decode",
    "Unmarshal",
];

const DBISH: &[&str] = &[
    "db",
    "database",
    "pool",
    "conn",
    "connection",
    "client",
    "mysql",
    "pg",
    "knex",
    "sequelize",
    "manager",
    "entitymanager",
    "em",
    "datasource",
    "ds",
    "repository",
    "repo",
    "queryrunner",
    "prisma",
    "tx",
    "trx",
    "sqlx",
    "gorm",
    "stmt",
    "cn",
    "sql",
    "sqlite",
    "transaction",
    "getconnection",
    "getrepository",
    "getmanager",
    "context",
    "dbcontext",
    "session",
];

fn dbish(rn: &str) -> bool {
    let r = rn.trim_start_matches('_');
    DBISH
        .iter()
        .any(|w| r == *w || (w.len() > 2 && (r.ends_with(w) || r.starts_with(w))))
}

const SHELLS: &[&str] = &[
    "sh",
    "bash",
    "/bin/sh",
    "/bin/bash",
    "zsh",
    "cmd",
    "cmd.exe",
    "powershell",
    "powershell.exe",
    "pwsh",
    "/usr/bin/env",
];

fn recv_name(c: &Call) -> String {
    match &c.recv {
        Some(Expr::Name(n)) => n.to_ascii_lowercase(),
        Some(Expr::Attr(_, n)) => n.to_ascii_lowercase(),
        Some(Expr::Call(inner)) => inner.name.to_ascii_lowercase(),
        _ => String::new(),
    }
}

fn arg(args: &[Val], i: usize) -> Val {
    args.get(i).cloned().unwrap_or_default()
}

fn elems_ordered(v: &Val) -> Vec<Val> {
    let mut out = Vec::new();
    for i in 0..64 {
        match v.elems.as_ref().and_then(|m| m.get(i.to_string().as_str())) {
            Some(x) => out.push(x.clone()),
            None => break,
        }
    }
    out
}

/// A program and its arguments: report when a shell runs a dirty command
/// string or when the program itself is dirty.
fn check_argv(ctx: &mut Ctx, list: &[Val], what: &str, span: Span) {
    let Some(first) = list.first() else { return };
    let shell = first.konst.as_deref().is_some_and(|k| {
        SHELLS.contains(&k) || SHELLS.iter().any(|s| k.ends_with(&format!("\\{s}")))
    });
    if shell {
        let rest: Vec<Val> = list[1..].to_vec();
        if !rest.is_empty() {
            let j = concat(&rest);
            ctx.report(&j, CMD, "command-injection", what, span);
        }
    } else if first.level >= LOW {
        ctx.report(first, CMD, "command-injection", what, span);
    }
}

/// A value of an options argument (`{ shell: true }`, named arguments).
fn option<'a>(c: &'a Call, key: &str) -> Option<&'a Expr> {
    for a in &c.args {
        if a.name.as_deref() == Some(key) {
            return Some(&a.value);
        }
        if let Expr::Dict(d) = &a.value {
            for (k, v) in d {
                if matches!(k, Expr::Str(s) if s == key) {
                    return Some(v);
                }
            }
        }
    }
    None
}

fn is_true_expr(e: Option<&Expr>) -> bool {
    matches!(e, Some(Expr::Lit(l)) if l == "true")
}

/// A redirect target that starts with a constant local path (`"/x/" + id`)
/// or a constant absolute URL with a path cannot leave the site.
fn fixed_target(e: Option<&Expr>) -> bool {
    let first = match e {
        Some(Expr::Concat(p)) => p.first(),
        _ => None,
    };
    match first {
        Some(Expr::Str(s)) => {
            (s.starts_with('/') && !s.starts_with("//") && !s.starts_with("/\\"))
                || (s.contains("://") && s.split("://").nth(1).is_some_and(|h| h.contains('/')))
        }
        _ => false,
    }
}

/// Check sinks at a call in JavaScript/TypeScript, Go or C#.
pub fn check(ctx: &mut Ctx, c: &Call, recv: Option<&Val>, args: &[Val], env: &mut Env) {
    let _ = env;
    match ctx.lang {
        Lang::Js => check_js(ctx, c, recv, args),
        Lang::Go => check_go(ctx, c, recv, args),
        _ => check_cs(ctx, c, recv, args),
    }
    check_tls(ctx, c, args);
}

/// TLS settings that switch certificate verification off, by value:
/// `InsecureSkipVerify` (Go), `rejectUnauthorized` / `strictSSL` and
/// `NODE_TLS_REJECT_UNAUTHORIZED` (Node), certificate validation callbacks
/// that return `true` (.NET); set in a literal, an initialiser or a
/// property assignment, directly or through a constant.
fn check_tls(ctx: &mut Ctx, c: &Call, args: &[Val]) {
    if ctx.summarising {
        return;
    }
    let name = c.name.as_str();
    let konst = |v: &Val| {
        v.konst
            .as_deref()
            .filter(|_| v.is_const())
            .map(str::to_string)
    };
    let bad = |key: &str, v: &Val, e: Option<&Expr>| -> bool {
        let k = konst(v);
        match key {
            "InsecureSkipVerify" => k.as_deref() == Some("true"),
            "rejectUnauthorized" | "strictSSL" | "verify" => k.as_deref() == Some("false"),
            "NODE_TLS_REJECT_UNAUTHORIZED" => k.as_deref() == Some("0"),
            "ServerCertificateValidationCallback"
            | "ServerCertificateCustomValidationCallback"
            | "RemoteCertificateValidationCallback" => {
                matches!(e, Some(Expr::Lit(l)) if l == super::cparse::LAMBDA_TRUE)
            }
            _ => false,
        }
    };
    let mut hit: Option<String> = None;
    // Property assignment `x.Key = value` (lowered to `set_Key(value)`).
    if let Some(key) = name.strip_prefix("set_")
        && let (Some(v), Some(a)) = (args.first(), c.args.first())
        && bad(key, v, Some(&a.value))
    {
        hit = Some(key.to_string());
    }
    // Named arguments: Go composite literals, C# initialisers.
    for (a, v) in c.args.iter().zip(args) {
        if let Some(key) = &a.name
            && bad(key, v, Some(&a.value))
        {
            hit = Some(key.clone());
        }
        // JS option objects `{ rejectUnauthorized: false }`.
        if let Expr::Dict(d) = &a.value {
            for (k, e) in d {
                if let Expr::Str(key) = k
                    && let Some(ev) = v.elems.as_ref().and_then(|m| m.get(key.as_str()))
                    && bad(key, ev, Some(e))
                {
                    hit = Some(key.clone());
                }
            }
        }
    }
    if let Some(key) = hit {
        // Point at the setting itself (where a line pattern would), not at
        // the start of a multi-line literal.
        let (s, e) = (c.span.0 as usize, (c.span.1 as usize).min(ctx.text.len()));
        let span = ctx
            .text
            .get(s..e)
            .and_then(|t| t.find(key.as_str()))
            .map(|i| ((s + i) as u32, (s + i + key.len()) as u32))
            .unwrap_or(c.span);
        ctx.findings.push(Finding {
            rule: "tls-verification-disabled",
            block: true,
            span,
            message: format!("{key} switches TLS certificate verification off"),
            pending: false,
        });
    }
}

fn report_sql(ctx: &mut Ctx, v: &Val, what: &str, span: Span, db: bool) {
    if (db && v.level >= LOW) || v.tags & T_SQL != 0 {
        ctx.report(v, SQL, "sql-injection", what, span);
    }
}

fn check_js(ctx: &mut Ctx, c: &Call, recv: Option<&Val>, args: &[Val]) {
    let name = c.name.as_str();
    let rn = recv_name(c);
    let span = c.span;
    let a0 = arg(args, 0);
    let bare = c.recv.is_none();
    let tagged = c.args.iter().any(|a| a.name.as_deref() == Some("template"));
    match name {
        // ---- SQL
        "query" | "execute"
            if !tagged && (!bare || ctx.text.contains("mysql") || ctx.text.contains("pg")) =>
        {
            report_sql(ctx, &a0, &format!("{name}(…)"), span, dbish(&rn))
        }
        "raw" | "whereRaw" | "orderByRaw" | "havingRaw" | "joinRaw" | "fromRaw" | "selectRaw"
        | "groupByRaw" | "$queryRawUnsafe" | "$executeRawUnsafe" | "literal" | "unsafe"
            if !tagged && (!bare || name == "literal") =>
        {
            if name == "unsafe" && !dbish(&rn) {
                return;
            }
            ctx.report(&a0, SQL, "sql-injection", &format!("{name}(…)"), span)
        }
        "all" | "run" | "each" | "exec" | "prepare" | "get"
            if !tagged && dbish(&rn) && a0.tags & T_SQL != 0 =>
        {
            ctx.report(&a0, SQL, "sql-injection", &format!("{name}(…)"), span)
        }
        "where" | "andWhere" | "orWhere" | "having" | "orderBy" | "addOrderBy" | "select"
            if !bare
                && a0.level >= LOW
                && a0.tags & T_SQL != 0
                && matches!(c.args.first().map(|a| &a.value), Some(Expr::Concat(_))) =>
        {
            ctx.report(&a0, SQL, "sql-injection", &format!("{name}(…)"), span)
        }
        // ---- commands
        "exec" | "execSync"
            if matches!(
                rn.as_str(),
                "child_process" | "cp" | "childprocess" | "shell" | "shelljs"
            ) || (bare && ctx.text.contains("child_process"))
                || child_process_recv(ctx.text, c) =>
        {
            ctx.report(
                &a0,
                CMD,
                "command-injection",
                &format!("child_process.{name}(…)"),
                span,
            )
        }
        "spawn" | "spawnSync" | "execFile" | "execFileSync" | "fork"
            if matches!(rn.as_str(), "child_process" | "cp" | "childprocess")
                || (bare && ctx.text.contains("child_process"))
                || child_process_recv(ctx.text, c) =>
        {
            let shell = is_true_expr(option(c, "shell"));
            let w = format!(
                "child_process.{name}(…{})",
                if shell { ", shell: true" } else { "" }
            );
            let mut list = vec![a0.clone()];
            if let Some(a1) = args.get(1) {
                if a1.elems.is_some() {
                    list.extend(elems_ordered(a1));
                } else if !matches!(c.args.get(1).map(|a| &a.value), Some(Expr::Dict(_))) {
                    list.push(a1.clone());
                }
            }
            if shell {
                let j = concat(&list);
                ctx.report(&j, CMD, "command-injection", &w, span);
            } else {
                check_argv(ctx, &list, &w, span);
            }
        }
        // ---- code evaluation
        "eval" if bare => ctx.report(&a0, EVAL, "eval-injection", "eval(…)", span),
        "Function" if c.new || bare => {
            let j = concat(args);
            ctx.report(&j, EVAL, "eval-injection", "new Function(…)", span)
        }
        "runInNewContext" | "runInThisContext" | "runInContext" | "compileFunction" | "Script"
            if rn == "vm" || (c.new && name == "Script") =>
        {
            ctx.report(&a0, EVAL, "eval-injection", &format!("vm.{name}(…)"), span)
        }
        "setTimeout" | "setInterval"
            if bare
                && matches!(
                    c.args.first().map(|a| &a.value),
                    Some(Expr::Concat(_) | Expr::Name(_))
                )
                && a0.konst.is_none()
                && a0.level >= LOW =>
        {
            ctx.report(
                &a0,
                EVAL,
                "eval-injection",
                &format!("{name}(string)"),
                span,
            )
        }
        // ---- deserialization
        "unserialize" => ctx.report(
            &a0,
            DESER,
            "insecure-deserialization",
            "node-serialize unserialize(…)",
            span,
        ),
        "unsafeLoad" | "load" | "loadAll"
            if matches!(rn.as_str(), "yaml" | "jsyaml" | "js_yaml") =>
        {
            let full = name == "unsafeLoad"
                || option(c, "schema").is_some_and(|s| {
                    let d = describe(s);
                    d.contains("FULL") || d.contains("UNSAFE") || d.contains("js-types")
                });
            if full && !ctx.summarising {
                ctx.findings.push(Finding {
                    rule: "insecure-deserialization",
                    block: true,
                    span,
                    message: format!(
                        "js-yaml {name} with the full schema can construct JavaScript functions"
                    ),
                    pending: false,
                });
            }
        }
        // ---- files
        "readFile" | "readFileSync" | "writeFile" | "writeFileSync" | "appendFile"
        | "appendFileSync" | "createReadStream" | "createWriteStream" | "unlink" | "unlinkSync"
        | "rm" | "rmSync" | "readdir" | "readdirSync" | "open" | "openSync" | "mkdir"
        | "mkdirSync" | "copyFile" | "copyFileSync" | "rename" | "renameSync" | "access"
        | "stat" | "statSync" | "outputFile" | "remove" | "readJson" | "pathExists"
            if (matches!(
                rn.as_str(),
                "fs" | "fsp" | "promises" | "fse" | "fsextra" | "fspromises"
            ) || (bare && ctx.text.contains("fs")))
                && a0.level >= LOW =>
        {
            ctx.report(&a0, PATH, "path-traversal", &format!("fs.{name}(…)"), span)
        }
        "sendFile" | "download"
            if !bare
            // `res.sendFile(name, { root })` confines the file to the root.
            && option(c, "root").is_none() && a0.level >= LOW =>
        {
            ctx.report(&a0, PATH, "path-traversal", &format!("res.{name}(…)"), span)
        }
        // ---- SSRF
        "get" | "post" | "put" | "delete" | "patch" | "head" | "request" | "fetch"
            if matches!(
                rn.as_str(),
                "axios"
                    | "http"
                    | "https"
                    | "got"
                    | "superagent"
                    | "needle"
                    | "fetch"
                    | "ky"
                    | "undici"
                    | "httpclient"
                    | "httpservice"
            ) && a0.level >= LOW =>
        {
            ctx.report(&a0, URL, "ssrf", &format!("{rn}.{name}(…)"), span)
        }
        "fetch" | "axios" | "got" | "request" if bare && a0.level >= LOW => {
            let u = if matches!(c.args.first().map(|a| &a.value), Some(Expr::Dict(_))) {
                option(c, "url").map(|_| a0.clone()).unwrap_or_default()
            } else {
                a0.clone()
            };
            ctx.report(&u, URL, "ssrf", &format!("{name}(…)"), span)
        }
        // ---- redirects
        "redirect" if !bare || ctx.text.contains("next/navigation") => {
            let (v, e) = if args.len() >= 2
                && a0
                    .konst
                    .as_deref()
                    .is_some_and(|k| k.parse::<u32>().is_ok())
            {
                (arg(args, 1), c.args.get(1).map(|a| &a.value))
            } else {
                (a0.clone(), c.args.first().map(|a| &a.value))
            };
            if v.level >= LOW && !fixed_target(e) {
                ctx.report(
                    &v,
                    REDIRECT,
                    "open-redirect",
                    &format!(
                        "{}redirect(…)",
                        if rn.is_empty() {
                            String::new()
                        } else {
                            format!("{rn}.")
                        }
                    ),
                    span,
                )
            }
        }
        "set_href" | "assign" | "replace"
            if matches!(rn.as_str(), "location")
                && a0.level >= LOW
                && !fixed_target(c.args.first().map(|a| &a.value)) =>
        {
            ctx.report(&a0, REDIRECT, "open-redirect", "location", span)
        }
        // ---- headers
        "setHeader" | "set" | "header" | "append"
            if matches!(rn.as_str(), "res" | "response" | "reply" | "ctx") && args.len() >= 2 =>
        {
            let v = arg(args, 1);
            if v.level >= LOW {
                ctx.report(&v, HEADER, "header-injection", &format!("{name}(…)"), span)
            }
        }
        _ => {}
    }
    let _ = recv;
}

/// A receiver bound to the `child_process` module: `require(
/// 'child_process').exec(…)`, or a name assigned `require('child_process')`
/// / imported from it (`var cp2 = require('node:child_process')`,
/// `import child from 'child_process'`).
fn child_process_recv(text: &str, c: &Call) -> bool {
    match &c.recv {
        Some(Expr::Call(inner)) if inner.name == "require" => matches!(
            inner.args.first().map(|a| &a.value),
            Some(Expr::Str(m)) if m == "child_process" || m == "node:child_process"
        ),
        Some(Expr::Name(n)) if text.contains("child_process") => {
            let bound = |pat: &str| {
                text.match_indices(pat).any(|(i, _)| {
                    let before = text[..i].trim_end();
                    let before = before
                        .strip_suffix('=')
                        .map(str::trim_end)
                        .or_else(|| before.strip_suffix("from").map(str::trim_end))
                        .unwrap_or("");
                    let word: String = before
                        .chars()
                        .rev()
                        .take_while(|ch| ch.is_alphanumeric() || *ch == '_' || *ch == '$')
                        .collect::<String>()
                        .chars()
                        .rev()
                        .collect();
                    &word == n
                })
            };
            [
                "require('child_process')",
                "require('node:child_process')",
                "require(\"child_process\")",
                "'child_process'",
                "'node:child_process'",
                "\"child_process\"",
            ]
            .iter()
            .any(|p| bound(p))
        }
        _ => false,
    }
}

/// `fmt.Sprintf`-style format verbs, in order (`%%` excluded).
fn format_verbs(f: &str) -> Vec<char> {
    let mut out = Vec::new();
    let mut it = f.chars().peekable();
    while let Some(ch) = it.next() {
        if ch != '%' {
            continue;
        }
        // Flags, width, precision.
        while let Some(&n) = it.peek() {
            if n.is_ascii_digit() || matches!(n, '-' | '+' | '#' | ' ' | '.' | '*' | '[' | ']') {
                it.next();
            } else {
                break;
            }
        }
        match it.next() {
            Some('%') | None => {}
            Some(v) => out.push(v),
        }
    }
    out
}

fn check_go(ctx: &mut Ctx, c: &Call, recv: Option<&Val>, args: &[Val]) {
    let name = c.name.as_str();
    let rn = recv_name(c);
    let span = c.span;
    let a0 = arg(args, 0);
    match name {
        "Exec" | "StartProcess" if rn == "syscall" || rn == "os" => check_argv(
            ctx,
            std::slice::from_ref(&a0),
            &format!("{rn}.{name}(…)"),
            span,
        ),
        // ---- SQL (database/sql, sqlx, GORM)
        "Query" | "QueryRow" | "Exec" | "Prepare" | "Queryx" | "QueryRowx" | "MustExec"
        | "NamedExec" | "NamedQuery" | "Raw" | "Preparex" => {
            if matches!(rn.as_str(), "c" | "ctx" | "r" | "req") {
                return;
            }
            report_sql(
                ctx,
                &a0,
                &format!("{name}(…)"),
                span,
                dbish(&rn) || name == "Raw",
            );
        }
        "QueryContext" | "QueryRowContext" | "ExecContext" | "PrepareContext" | "QueryxContext"
        | "QueryRowxContext" | "MustExecContext" | "NamedExecContext" => {
            report_sql(ctx, &arg(args, 1), &format!("{name}(…)"), span, dbish(&rn))
        }
        "Select" | "Get" if dbish(&rn) && args.len() >= 2 => {
            report_sql(ctx, &arg(args, 1), &format!("{name}(…)"), span, true)
        }
        "SelectContext" | "GetContext" if args.len() >= 3 => {
            report_sql(ctx, &arg(args, 2), &format!("{name}(…)"), span, dbish(&rn))
        }
        "Where" | "Order" | "Having" | "Joins" | "Group"
            if a0.level >= LOW
                && matches!(
                    c.args.first().map(|a| &a.value),
                    Some(Expr::Call(_) | Expr::Concat(_) | Expr::Name(_))
                )
                && (a0.tags & T_SQL != 0 || name == "Order") =>
        {
            ctx.report(&a0, SQL, "sql-injection", &format!("gorm {name}(…)"), span)
        }
        // ---- commands
        "Command" | "CommandContext" if rn == "exec" => {
            let skip = usize::from(name == "CommandContext");
            let list: Vec<Val> = args.iter().skip(skip).cloned().collect();
            check_argv(ctx, &list, &format!("exec.{name}(…)"), span);
        }
        // ---- files
        "Open" | "OpenFile" | "ReadFile" | "WriteFile" | "Create" | "Remove" | "RemoveAll"
        | "Mkdir" | "MkdirAll" | "ReadDir" | "Stat" | "Lstat" | "Rename" | "Truncate" | "Chmod"
            if matches!(rn.as_str(), "os" | "ioutil" | "afero" | "fs") && a0.level >= LOW =>
        {
            ctx.report(
                &a0,
                PATH,
                "path-traversal",
                &format!("{rn}.{name}(…)"),
                span,
            )
        }
        "ServeFile" if rn == "http" => {
            let v = arg(args, 2);
            if v.level >= LOW {
                ctx.report(&v, PATH, "path-traversal", "http.ServeFile(…)", span)
            }
        }
        "File" | "FileAttachment" | "SendFile" | "Attachment" | "Download"
            if matches!(rn.as_str(), "c" | "ctx") && a0.level >= LOW =>
        {
            ctx.report(&a0, PATH, "path-traversal", &format!("{name}(…)"), span)
        }
        // ---- SSRF
        "Get" | "Post" | "Head" | "PostForm"
            if (rn == "http" || rn.contains("client")) && a0.level >= LOW =>
        {
            ctx.report(&a0, URL, "ssrf", &format!("http.{name}(…)"), span)
        }
        "NewRequest" | "NewRequestWithContext" if rn == "http" => {
            let v = arg(args, if name == "NewRequest" { 1 } else { 2 });
            if v.level >= LOW {
                ctx.report(&v, URL, "ssrf", &format!("http.{name}(…)"), span)
            }
        }
        "Dial" | "DialTimeout" if rn == "net" => {
            let v = arg(args, 1);
            if v.level >= LOW {
                ctx.report(&v, URL, "ssrf", &format!("net.{name}(…)"), span)
            }
        }
        // ---- redirects
        "Redirect" => {
            let (v, e) = if rn == "http" {
                (arg(args, 2), c.args.get(2).map(|a| &a.value))
            } else if args.len() >= 2 {
                (arg(args, 1), c.args.get(1).map(|a| &a.value))
            } else {
                (a0.clone(), c.args.first().map(|a| &a.value))
            };
            if v.level >= LOW && !fixed_target(e) {
                ctx.report(
                    &v,
                    REDIRECT,
                    "open-redirect",
                    &format!("{}.Redirect(…)", if rn.is_empty() { "c" } else { &rn }),
                    span,
                )
            }
        }
        // ---- headers
        "Set" | "Add" if rn == "header" || rn == "header()" => {
            let v = arg(args, 1);
            if v.level >= LOW {
                ctx.report(
                    &v,
                    HEADER,
                    "header-injection",
                    &format!("Header().{name}(…)"),
                    span,
                )
            }
        }
        _ => {}
    }
    let _ = recv;
}

fn check_cs(ctx: &mut Ctx, c: &Call, recv: Option<&Val>, args: &[Val]) {
    let name = c.name.as_str();
    let rn = recv_name(c);
    let span = c.span;
    let a0 = arg(args, 0);
    match name {
        // ---- SQL (ADO.NET, Dapper, Entity Framework)
        "SqlCommand" | "NpgsqlCommand" | "MySqlCommand" | "OracleCommand" | "SqliteCommand"
        | "SQLiteCommand" | "OleDbCommand" | "OdbcCommand" | "SqlDataAdapter"
        | "NpgsqlDataAdapter" | "MySqlDataAdapter"
            if c.new =>
        {
            let v = option(c, "CommandText")
                .map(|_| {
                    let i = c
                        .args
                        .iter()
                        .position(|a| a.name.as_deref() == Some("CommandText"))
                        .unwrap_or(0);
                    arg(args, i)
                })
                .unwrap_or_else(|| a0.clone());
            if v.level > CONST {
                ctx.report(&v, SQL, "sql-injection", &format!("new {name}(…)"), span)
            }
        }
        "set_CommandText" => ctx.report(&a0, SQL, "sql-injection", "CommandText", span),
        "FromSqlRaw"
        | "ExecuteSqlRaw"
        | "ExecuteSqlRawAsync"
        | "SqlQueryRaw"
        | "ExecuteSqlCommand"
        | "ExecuteSqlCommandAsync"
        | "FromSql"
            if !(name == "FromSql"
                && matches!(c.args.first().map(|a| &a.value), Some(Expr::Concat(p)) if matches!(p.first(), Some(Expr::Str(_))) && is_interpolated(ctx, c))) =>
        {
            ctx.report(&a0, SQL, "sql-injection", &format!("{name}(…)"), span)
        }
        "Query"
        | "QueryAsync"
        | "QueryFirst"
        | "QueryFirstAsync"
        | "QueryFirstOrDefault"
        | "QueryFirstOrDefaultAsync"
        | "QuerySingle"
        | "QuerySingleAsync"
        | "QuerySingleOrDefault"
        | "QuerySingleOrDefaultAsync"
        | "Execute"
        | "ExecuteAsync"
        | "ExecuteScalar"
        | "ExecuteScalarAsync"
        | "QueryMultiple"
        | "QueryMultipleAsync"
        | "ExecuteReader"
        | "ExecuteReaderAsync"
            if !args.is_empty() =>
        {
            report_sql(ctx, &a0, &format!("Dapper {name}(…)"), span, dbish(&rn))
        }
        // ---- commands
        "Start" if rn == "process" => {
            let list: Vec<Val> = args.iter().take(2).cloned().collect();
            check_start(ctx, c, &list, span);
        }
        "ProcessStartInfo" if c.new => {
            let mut list: Vec<Val> = c
                .args
                .iter()
                .zip(args)
                .filter(|(a, _)| a.name.is_none())
                .map(|(_, v)| v.clone())
                .take(2)
                .collect();
            for key in ["FileName", "Arguments"] {
                if let Some(i) = c.args.iter().position(|a| a.name.as_deref() == Some(key)) {
                    list.push(arg(args, i));
                }
            }
            check_start(ctx, c, &list, span);
        }
        // ---- code evaluation
        "EvaluateAsync" | "RunAsync" | "Create" if rn == "csharpscript" => ctx.report(
            &a0,
            EVAL,
            "eval-injection",
            &format!("CSharpScript.{name}(…)"),
            span,
        ),
        // ---- deserialization
        "BinaryFormatter"
        | "NetDataContractSerializer"
        | "LosFormatter"
        | "SoapFormatter"
        | "ObjectStateFormatter"
            if c.new && !ctx.summarising =>
        {
            ctx.findings.push(Finding {
                rule: "insecure-deserialization",
                block: true,
                span,
                message: format!("{name} can instantiate any type named in the data; use System.Text.Json or DataContractSerializer with known types"),
                pending: false,
            });
        }
        "JavaScriptSerializer"
            if c.new
                && c.args
                    .iter()
                    .any(|a| describe(&a.value).contains("SimpleTypeResolver"))
                && !ctx.summarising =>
        {
            ctx.findings.push(Finding {
                rule: "insecure-deserialization",
                block: true,
                span,
                message: "JavaScriptSerializer with SimpleTypeResolver instantiates the type named in the data".into(),
                pending: false,
            });
        }
        // ---- files
        "ReadAllText" | "ReadAllBytes" | "ReadAllLines" | "ReadAllTextAsync"
        | "ReadAllBytesAsync" | "WriteAllText" | "WriteAllBytes" | "WriteAllTextAsync"
        | "WriteAllBytesAsync" | "AppendAllText" | "Delete" | "Open" | "OpenRead" | "OpenWrite"
        | "OpenText" | "Create" | "Copy" | "Move" | "GetFiles" | "EnumerateFiles"
            if matches!(rn.as_str(), "file" | "directory" | "system.io.file")
                && a0.level >= LOW =>
        {
            let class = if rn == "directory" {
                "Directory"
            } else {
                "File"
            };
            ctx.report(
                &a0,
                PATH,
                "path-traversal",
                &format!("{class}.{name}(…)"),
                span,
            )
        }
        "FileStream" | "StreamReader" | "StreamWriter" | "FileInfo" | "DirectoryInfo"
            if c.new && a0.level >= LOW =>
        {
            ctx.report(&a0, PATH, "path-traversal", &format!("new {name}(…)"), span)
        }
        "PhysicalFile" if c.recv.is_none() && a0.level >= LOW => {
            ctx.report(&a0, PATH, "path-traversal", "PhysicalFile(…)", span)
        }
        // ---- SSRF
        "GetAsync" | "GetStringAsync" | "GetByteArrayAsync" | "GetStreamAsync" | "PostAsync"
        | "PutAsync" | "DeleteAsync" | "GetFromJsonAsync" | "PostAsJsonAsync"
        | "DownloadString" | "DownloadData" | "DownloadFile" | "OpenRead" | "UploadString"
            if (rn.contains("client") || rn.contains("http") || rn == "wc" || rn == "web")
                && a0.level >= LOW =>
        {
            ctx.report(&a0, URL, "ssrf", &format!("{name}(…)"), span)
        }
        "HttpRequestMessage" if c.new => {
            let v = arg(args, 1);
            if v.level >= LOW {
                ctx.report(&v, URL, "ssrf", "new HttpRequestMessage(…)", span)
            }
        }
        "Create" | "CreateHttp"
            if (rn == "webrequest" || rn == "httpwebrequest") && a0.level >= LOW =>
        {
            ctx.report(&a0, URL, "ssrf", &format!("WebRequest.{name}(…)"), span)
        }
        "set_BaseAddress" if a0.level >= LOW => {
            ctx.report(&a0, URL, "ssrf", "HttpClient.BaseAddress", span)
        }
        // ---- redirects
        "Redirect" | "RedirectPermanent" | "RedirectPreserveMethod" | "RedirectResult"
            if (c.recv.is_none() || rn == "response" || c.new)
                && a0.level >= LOW
                && !fixed_target(c.args.first().map(|a| &a.value)) =>
        {
            ctx.report(&a0, REDIRECT, "open-redirect", &format!("{name}(…)"), span)
        }
        // ---- headers
        "Add" | "Append" | "TryAdd" if rn == "headers" && args.len() >= 2 => {
            let v = arg(args, 1);
            if v.level >= LOW {
                ctx.report(
                    &v,
                    HEADER,
                    "header-injection",
                    &format!("Headers.{name}(…)"),
                    span,
                )
            }
        }
        // ---- unsafe settings
        "set_TypeNameHandling" | "JsonSerializerSettings" => {
            let e = if name == "set_TypeNameHandling" {
                c.args.first().map(|a| &a.value)
            } else {
                option(c, "TypeNameHandling")
            };
            if let Some(e) = e {
                let d = describe(e);
                if d.starts_with("TypeNameHandling.") && !d.ends_with(".None") && !ctx.summarising {
                    ctx.findings.push(Finding {
                        rule: "insecure-deserialization",
                        block: true,
                        span,
                        message: format!(
                            "Json.NET {d} instantiates the type named in the JSON ($type)"
                        ),
                        pending: false,
                    });
                }
            }
        }
        _ => {}
    }
    // Cipher mode ECB through a property or an initialiser.
    let mode = if name == "set_Mode" {
        c.args.first().map(|a| &a.value)
    } else if c.new {
        option(c, "Mode")
    } else {
        None
    };
    if let Some(m) = mode
        && describe(m) == "CipherMode.ECB"
    {
        ctx.site(
            "weak-cipher",
            true,
            false,
            span,
            "CipherMode.ECB is a deprecated cipher mode".into(),
        );
    }
    let _ = recv;
}

fn is_interpolated(ctx: &Ctx, c: &Call) -> bool {
    // `FromSql($"…{x}…")` takes a FormattableString: parameterised.
    let (s, _) = c.span;
    ctx.text
        .get(s as usize..)
        .and_then(|t| {
            t.find('(')
                .map(|i| t[i + 1..].trim_start().starts_with('$'))
        })
        .unwrap_or(false)
}

/// `Process.Start(file, args)` / `ProcessStartInfo`.
fn check_start(ctx: &mut Ctx, c: &Call, list: &[Val], span: Span) {
    let what = if c.new {
        "new ProcessStartInfo(…)"
    } else {
        "Process.Start(…)"
    };
    if list.len() >= 2 {
        let prog = list[0].konst.as_deref().unwrap_or("").to_ascii_lowercase();
        let shell = SHELLS.iter().any(|s| {
            prog == *s || prog.ends_with(&format!("\\{s}")) || prog.ends_with(&format!("/{s}"))
        });
        if shell {
            ctx.report(&list[1], CMD, "command-injection", what, span);
            return;
        }
    }
    if let Some(first) = list.first()
        && first.level >= LOW
    {
        ctx.report(first, CMD, "command-injection", what, span);
    }
}

// ------------------------------------------------------------------ model

fn num_safe(r: &Val, a: &Val) -> Val {
    let mut v = Val::safe();
    v.tags = (r.tags | a.tags) & (T_RANDOM | T_WEAK_HASH);
    v.site = r.site.or(a.site);
    v.level = if r.level > CONST || a.level > CONST {
        UNKNOWN
    } else {
        CONST
    };
    v
}

/// Sources, sanitisers, propagators and crypto for JS/Go/C#; `None` to
/// fall back to the shared models.
pub fn model(
    ctx: &mut Ctx,
    c: &Call,
    recv: Option<&Val>,
    args: &[Val],
    env: &mut Env,
) -> Option<Val> {
    let name = c.name.as_str();
    let rn = recv_name(c);
    let r = recv.cloned().unwrap_or_default();
    let a0 = arg(args, 0);
    let span = c.span;
    if let Some(v) = crypto(ctx, c, &r, args, &rn, span) {
        return Some(v);
    }
    // ------------------------------------------------ sources
    if r.tags & T_REQUEST != 0 {
        if REQUEST_METHODS.contains(&name) {
            return Some(Val::source(
                HIGH,
                &describe(&Expr::Call(Box::new(c.clone()))),
            ));
        }
        if BINDERS.contains(&name) {
            bind_into(c, env, &describe(&Expr::Call(Box::new(c.clone()))));
            return Some(Val::default());
        }
    }
    if BINDERS.contains(&name) && r.level >= LOW {
        // `json.NewDecoder(r.Body).Decode(&x)`, `json.Unmarshal(body, &x)`.
        bind_into(c, env, &flow_text(&r));
        return Some(Val::default());
    }
    if name == "Unmarshal" && a0.level >= LOW {
        let mut src = a0.clone();
        src.konst = None;
        if let Some(Expr::Name(v)) = c.args.get(1).map(|a| &a.value) {
            env.insert(Rc::from(v.as_str()), src.with_path(v));
        }
        return Some(Val::default());
    }
    match (ctx.lang, rn.as_str(), name) {
        (Lang::Go, "mux", "Vars") | (Lang::Go, "chi", "URLParam") | (Lang::Go, "pat", "Param") => {
            return Some(Val::source(HIGH, &format!("{rn}.{name}(…)")));
        }
        (Lang::Go, "os", "Getenv" | "LookupEnv")
        | (Lang::CSharp, "environment", "GetEnvironmentVariable") => {
            return Some(Val::source(
                LOW,
                &describe(&Expr::Call(Box::new(c.clone()))),
            ));
        }
        (
            Lang::Go,
            "json" | "xml" | "bufio" | "io" | "ioutil" | "gob" | "yaml",
            "NewDecoder" | "NewReader" | "NewScanner" | "ReadAll" | "LimitReader",
        ) if a0.level > CONST => {
            // Readers and decoders over a value carry its data.
            let mut v = a0.clone();
            v.konst = None;
            return Some(v);
        }
        (Lang::CSharp, "utf8" | "ascii" | "unicode" | "encoding" | "default", "GetBytes")
        | (Lang::Js, "buffer", "from") => {
            // Text to bytes: the same data (a password stays one).
            let mut v = a0.clone();
            v.konst = None;
            return Some(v);
        }
        (Lang::Go, "bufio", _)
        | (Lang::CSharp, "console", "ReadLine")
        | (Lang::Go, "flag", "String" | "Arg") => {
            return Some(Val::source(
                LOW,
                &describe(&Expr::Call(Box::new(c.clone()))),
            ));
        }
        _ => {}
    }
    // ------------------------------------------------ signed data
    // The payload of a token this service signed and has just verified.
    if matches!(
        (ctx.lang, rn.as_str(), name),
        (
            Lang::Js,
            "jwt" | "jsonwebtoken" | "jose",
            "verify" | "jwtVerify"
        ) | (Lang::Js, "", "verifyJWT" | "verifyJwt" | "jwtVerify")
    ) {
        let mut v = Val::unknown("a verified token payload");
        v.clean = ALL;
        return Some(v);
    }
    // ------------------------------------------------ sanitisers
    // Functions named for a check return the checked value:
    // `resolveLoginRedirect(x)`, `sanitizeUrl(x)`, `validatePath(x)`.
    let lower = name.to_ascii_lowercase();
    if [
        "validat",
        "sanitiz",
        "sanitis",
        "safe",
        "allowed",
        "allowlist",
        "whitelist",
    ]
    .iter()
    .any(|w| lower.contains(w))
        || (lower.contains("redirect")
            && (lower.starts_with("resolve") || lower.starts_with("check")))
    {
        let mut v = a0.clone();
        v.konst = None;
        v.clean |= REDIRECT | URL | PATH | HEADER;
        return Some(v);
    }
    // `url.replace(/^\/+/, '/')`: no protocol-relative redirect remains.
    if ctx.lang == Lang::Js
        && name == "replace"
        && matches!(c.args.first().map(|a| &a.value), Some(Expr::Lit(l)) if l.starts_with("/^\\/"))
    {
        let mut v = r.clone();
        v.konst = None;
        v.clean |= REDIRECT;
        return Some(v);
    }
    let numeric = match ctx.lang {
        Lang::Js => {
            (c.recv.is_none()
                && matches!(
                    name,
                    "Number"
                        | "parseInt"
                        | "parseFloat"
                        | "BigInt"
                        | "Boolean"
                        | "isNaN"
                        | "isFinite"
                ))
                || (rn == "number"
                    && matches!(
                        name,
                        "parseInt" | "parseFloat" | "isInteger" | "isSafeInteger"
                    ))
                || (rn == "validator" && name.starts_with("is"))
                || matches!(
                    name,
                    "toFixed" | "getTime" | "valueOf" | "includes" | "test" | "has" | "indexOf"
                )
                || (rn == "uuid" || name == "uuidv4" || name == "randomUUID")
        }
        Lang::Go => {
            (rn == "strconv"
                && matches!(
                    name,
                    "Atoi"
                        | "ParseInt"
                        | "ParseUint"
                        | "ParseFloat"
                        | "ParseBool"
                        | "Itoa"
                        | "FormatInt"
                ))
                || (rn == "uuid" && matches!(name, "Parse" | "MustParse" | "New" | "NewString"))
                || (c.recv.is_none()
                    && matches!(name, "len" | "int" | "int64" | "int32" | "uint" | "float64"))
                || matches!(
                    name,
                    "HasPrefix" | "HasSuffix" | "Contains" | "EqualFold" | "MatchString"
                )
        }
        _ => {
            (matches!(
                name,
                "Parse" | "TryParse" | "ToInt32" | "ToInt64" | "ToDecimal" | "ToDouble"
            ) && matches!(
                rn.as_str(),
                "int"
                    | "long"
                    | "int32"
                    | "int64"
                    | "decimal"
                    | "double"
                    | "guid"
                    | "convert"
                    | "datetime"
                    | "short"
                    | "bool"
                    | "boolean"
            )) || matches!(
                name,
                "Equals"
                    | "StartsWith"
                    | "EndsWith"
                    | "Contains"
                    | "IsMatch"
                    | "Count"
                    | "Any"
                    | "GetHashCode"
                    | "IsNullOrEmpty"
                    | "IsNullOrWhiteSpace"
                    | "NewGuid"
            )
        }
    };
    if numeric {
        if ctx.lang == Lang::CSharp && name == "TryParse" {
            // `int.TryParse(s, out var n)`: `n` is a number.
            if let Some(Expr::Name(n)) = c.args.get(1).map(|a| &a.value) {
                env.insert(Rc::from(n.as_str()), Val::safe());
            }
        }
        return Some(num_safe(&r, &a0));
    }
    let clean_kind = match (ctx.lang, rn.as_str(), name) {
        (Lang::Js, "path" | "", "basename")
        | (Lang::Go, "filepath" | "path", "Base")
        | (Lang::CSharp, "path", "GetFileName") => PATH,
        (Lang::Js, _, "encodeURIComponent" | "escape") if c.recv.is_none() => {
            REDIRECT | HEADER | URL | PATH
        }
        (
            Lang::Js,
            "mysql" | "connection" | "conn" | "pool" | "db" | "sqlstring",
            "escape" | "escapeId" | "format",
        ) => SQL,
        (Lang::Js, "pg" | "client", "escapeLiteral" | "escapeIdentifier") => SQL,
        (Lang::Js, "", "escapeLiteral" | "escapeIdentifier" | "escapeId") => SQL,
        (
            Lang::Js,
            "shellescape" | "shellquote" | "",
            "quote" | "shellEscape" | "escapeShellArg",
        ) if name != "quote" || !rn.is_empty() => CMD,
        (Lang::Go, "url", "QueryEscape" | "PathEscape") => REDIRECT | HEADER | URL | PATH,
        (Lang::Go, "pq", "QuoteIdentifier" | "QuoteLiteral") => SQL,
        (Lang::CSharp, "uri" | "webutility" | "httputility", "EscapeDataString" | "UrlEncode") => {
            REDIRECT | HEADER | URL | PATH
        }
        _ => 0,
    };
    if clean_kind != 0 {
        let mut v = a0.clone();
        v.clean |= clean_kind;
        v.konst = None;
        return Some(v);
    }
    // ------------------------------------------------ parameterised SQL
    if c.args.iter().any(|a| a.name.as_deref() == Some("template")) {
        // A tagged template: the tag receives the strings and the values
        // apart; SQL tags bind the values as parameters.
        let sql_tag = matches!(
            name,
            "sql"
                | "SQL"
                | "$queryRaw"
                | "$executeRaw"
                | "sqltag"
                | "query"
                | "raw"
                | "empty"
                | "join"
        ) && !(name == "raw" && rn == "prisma" || name == "unsafe");
        let mut v = concat(args);
        v.konst = None;
        if sql_tag {
            v.clean |= SQL;
        }
        return Some(v);
    }
    if matches!(
        name,
        "FromSqlInterpolated"
            | "ExecuteSqlInterpolated"
            | "ExecuteSqlInterpolatedAsync"
            | "SqlQuery"
    ) || (name == "FromSql" && is_interpolated(ctx, c))
    {
        let mut v = Val::unknown(&format!("{name}()"));
        v.clean = ALL;
        return Some(v);
    }
    // ------------------------------------------------ propagators
    let format_call = matches!(
        (ctx.lang, rn.as_str(), name),
        (
            Lang::Go,
            "fmt",
            "Sprintf" | "Sprint" | "Sprintln" | "Errorf"
        ) | (Lang::Js, "util", "format")
            | (Lang::CSharp, "string", "Format" | "Concat" | "Join")
            | (
                Lang::Go,
                "strings",
                "Join"
                    | "Replace"
                    | "ReplaceAll"
                    | "ToLower"
                    | "ToUpper"
                    | "TrimSpace"
                    | "Trim"
                    | "Repeat"
                    | "Title"
            )
            | (
                Lang::Go,
                "filepath" | "path",
                "Join" | "Clean" | "Abs" | "Dir" | "Ext"
            )
            | (Lang::CSharp, "path", "Combine" | "GetFullPath" | "Join")
            | (Lang::Js, "path", "join" | "resolve" | "normalize")
    );
    if format_call {
        let mut parts: Vec<Val> = args.to_vec();
        if (name == "Sprintf"
            || name == "Errorf"
            || (name == "format" && rn == "util")
            || (name == "Format" && rn == "string"))
            && let Some(f) = a0.konst.as_deref()
        {
            // Values formatted as numbers cannot carry text.
            let verbs = format_verbs(f);
            for (i, p) in parts.iter_mut().enumerate().skip(1) {
                if matches!(
                    verbs.get(i - 1),
                    Some('d' | 'f' | 'x' | 't' | 'b' | 'o' | 'e' | 'g')
                ) {
                    p.clean = ALL;
                }
            }
        }
        if let Some(Ok(v)) =
            (parts.len() == 1 && name == "Clean").then(|| Ok::<Val, ()>(parts[0].clone()))
        {
            let mut v = v;
            v.konst = None;
            return Some(v);
        }
        let mut v = concat(&parts);
        v.konst = None;
        v.tags |= a0.tags & T_SQL;
        if matches!(
            name,
            "Join" | "Combine" | "join" | "resolve" | "Abs" | "GetFullPath"
        ) && rn != "strings"
            && rn != "string"
        {
            // A path joined from a base of unknown origin and a sanitised
            // name: the sources decide.
            let sourced: Vec<&Val> = parts.iter().filter(|p| p.level >= LOW).collect();
            if !sourced.is_empty() {
                v.clean = sourced.iter().fold(ALL, |c, p| c & p.clean);
            }
        }
        return Some(v);
    }
    // `strings.Builder` / `StringBuilder` writes.
    if matches!(
        name,
        "WriteString" | "AppendFormat" | "AppendLine" | "Fprintf"
    ) && let Some(Expr::Name(var)) = &c.recv
    {
        let old = env
            .get(var.as_str())
            .cloned()
            .unwrap_or_else(|| Val::konst(""));
        let mut nv = concat(&[old, concat(args)]);
        nv.konst = None;
        nv = nv.with_path(var);
        env.insert(Rc::from(var.as_str()), nv.clone());
        return Some(nv);
    }
    if ctx.lang == Lang::Go && matches!(name, "Sprintf" | "String") && rn.contains("builder") {
        return Some(r.clone());
    }
    None
}

/// Write a decoded request body into the pointer argument.
fn bind_into(c: &Call, env: &mut Env, origin: &str) {
    for a in &c.args {
        if let Expr::Name(v) = &a.value {
            env.insert(Rc::from(v.as_str()), Val::source(HIGH, origin).with_path(v));
        }
    }
}

/// A digest whose line says what it is for: an ETag, a checksum, a cache
/// key or a content fingerprint (not a password or a signature).
fn non_security_use(text: &str, span: Span) -> bool {
    let s = (span.0 as usize).min(text.len());
    let line_start = kiro_guard_skill::scan::line_start(text.as_bytes(), s);
    let line_end = kiro_guard_skill::scan::line_end(text.as_bytes(), s);
    let line = text[line_start..line_end].to_ascii_lowercase();
    [
        "etag",
        "checksum",
        "cachekey",
        "cache_key",
        "fingerprint",
        "contenthash",
        "content_hash",
        "filehash",
        "dedup",
    ]
    .iter()
    .any(|w| line.contains(w))
}

/// Crypto primitives and randomness for JS/Go/C#; records sites.
fn crypto(ctx: &mut Ctx, c: &Call, r: &Val, args: &[Val], rn: &str, span: Span) -> Option<Val> {
    let name = c.name.as_str();
    let a0 = arg(args, 0);
    let k0 = a0.konst.as_deref().map(|k| k.to_ascii_lowercase());
    let weak = |s: &str| {
        matches!(
            s.replace(['-', '_'], "").as_str(),
            "md5" | "md4" | "md2" | "sha1" | "sha" | "ripemd" | "rmd160"
        )
    };
    // ---- weak hashes: (algorithm, input when one-shot)
    let hash: Option<(String, Option<Val>)> = match (ctx.lang, rn, name) {
        (Lang::Js, _, "createHash" | "createHmac") if k0.as_deref().is_some_and(weak) => {
            Some((k0.clone().unwrap_or_default().to_ascii_uppercase(), None))
        }
        (Lang::Js, "cryptojs", "MD5" | "SHA1" | "HmacMD5" | "HmacSHA1") => {
            Some((name.to_ascii_uppercase(), Some(a0.clone())))
        }
        (Lang::Js, "", "md5" | "sha1") if ctx.text.contains("md5") || ctx.text.contains("sha1") => {
            Some((name.to_ascii_uppercase(), Some(a0.clone())))
        }
        (Lang::Go, "md5" | "sha1", "New" | "Sum") => {
            Some((rn.to_ascii_uppercase(), (name == "Sum").then(|| a0.clone())))
        }
        (Lang::CSharp, "md5" | "sha1", "Create" | "HashData") => Some((
            rn.to_ascii_uppercase(),
            (name == "HashData").then(|| a0.clone()),
        )),
        (
            Lang::CSharp,
            _,
            "MD5CryptoServiceProvider"
            | "SHA1CryptoServiceProvider"
            | "SHA1Managed"
            | "HMACMD5"
            | "HMACSHA1",
        ) if c.new => Some((
            if name.contains("MD5") { "MD5" } else { "SHA-1" }.to_string(),
            None,
        )),
        _ => None,
    };
    if let Some((alg, input)) = hash {
        if non_security_use(ctx.text, span) {
            return Some(Val::unknown(&format!("{alg} digest")));
        }
        let cred = input.as_ref().is_some_and(|v| v.tags & T_CRED != 0);
        let msg = format!(
            "{alg} is a broken hash{}",
            if cred {
                " applied to a password or credential"
            } else {
                ""
            }
        );
        let site = ctx.site("weak-hash", cred, false, span, msg);
        let mut v = input.unwrap_or_default();
        v.level = v.level.max(UNKNOWN);
        v.konst = None;
        v.tags = (v.tags & !T_CRED) | T_WEAK_HASH;
        v.site = site;
        v.origin = Some(Rc::from(format!("{alg} digest").as_str()));
        return Some(v);
    }
    if r.tags & T_WEAK_HASH != 0
        && matches!(
            name,
            "ComputeHash" | "Write" | "TransformFinalBlock" | "update" | "digest"
        )
    {
        if args.iter().any(|a| a.tags & T_CRED != 0)
            && let Some(i) = r.site
            && let Some(f) = ctx.findings.get_mut(i as usize)
            && !f.block
        {
            f.block = true;
            f.message.push_str(" applied to a password or credential");
        }
        let mut v = r.clone();
        v.tags &= !T_CRED;
        if matches!(name, "digest" | "ComputeHash") {
            // The finished digest of non-credential data (a cache key, a
            // bucket, an ETag) is not escalated by the name it is stored
            // under.
            v.site = None;
            v.tags &= !T_WEAK_HASH;
        }
        return Some(v);
    }
    // ---- weak ciphers
    let cipher: Option<String> = match (ctx.lang, rn, name) {
        (Lang::Js, _, "createCipheriv" | "createDecipheriv") => {
            let k = k0.clone().unwrap_or_default();
            (k.starts_with("des")
                || k.starts_with("rc4")
                || k.starts_with("rc2")
                || k.starts_with("bf")
                || k.starts_with("blowfish")
                || k.ends_with("-ecb")
                || k == "aes128"
                || k == "aes256")
                .then(|| format!("\"{k}\""))
        }
        (Lang::Js, "crypto", "createCipher" | "createDecipher") => {
            Some(format!("crypto.{name} (no IV, MD5 key derivation)"))
        }
        (Lang::Js, "des" | "tripledes" | "rc4" | "rc4drop" | "rabbit", "encrypt" | "decrypt") => {
            Some(rn.to_ascii_uppercase())
        }
        (Lang::Go, "des", "NewCipher" | "NewTripleDESCipher")
        | (Lang::Go, "rc4" | "blowfish" | "cast5", "NewCipher") => Some(format!("{rn}.{name}")),
        (Lang::CSharp, "des" | "tripledes" | "rc2", "Create") => Some(rn.to_ascii_uppercase()),
        (
            Lang::CSharp,
            _,
            "DESCryptoServiceProvider"
            | "TripleDESCryptoServiceProvider"
            | "RC2CryptoServiceProvider",
        ) if c.new => Some(name.to_string()),
        _ => None,
    };
    if let Some(what) = cipher {
        ctx.site(
            "weak-cipher",
            true,
            false,
            span,
            format!("{what} is a deprecated cipher or mode"),
        );
        return Some(Val::unknown("cipher"));
    }
    if ctx.lang == Lang::Js
        && c.args.iter().any(|a| matches!(&a.value, Expr::Dict(d) if d.iter().any(|(_, v)| describe(v).ends_with("mode.ECB"))))
    {
        ctx.site("weak-cipher", true, false, span, "ECB mode is a deprecated cipher mode".into());
    }
    // ---- randomness
    let go_math_rand = ctx.lang == Lang::Go && rn == "rand" && ctx.text.contains("\"math/rand");
    if (ctx.lang == Lang::CSharp && c.new && name == "Random")
        || (go_math_rand && matches!(name, "New" | "NewSource"))
    {
        return Some(Val {
            tags: T_RANDOM_GEN,
            level: UNKNOWN,
            origin: Some(Rc::from(if ctx.lang == Lang::Go {
                "math/rand"
            } else {
                "System.Random"
            })),
            ..Val::default()
        });
    }
    let weak_value = match ctx.lang {
        Lang::Js => rn == "math" && name == "random",
        Lang::Go => {
            (go_math_rand && !matches!(name, "Seed" | "New" | "NewSource"))
                || (r.tags & T_RANDOM_GEN != 0
                    && matches!(
                        name,
                        "Intn"
                            | "Int"
                            | "Int63"
                            | "Int31"
                            | "Int31n"
                            | "Int63n"
                            | "Uint32"
                            | "Uint64"
                            | "Float64"
                            | "Read"
                            | "Perm"
                    ))
        }
        _ => {
            (r.tags & T_RANDOM_GEN != 0 && name.starts_with("Next"))
                || (rn == "shared" && name.starts_with("Next"))
        }
    };
    if weak_value {
        let what = match ctx.lang {
            Lang::Js => "Math.random()".to_string(),
            Lang::Go => format!("math/rand {name}()"),
            _ => format!("System.Random {name}()"),
        };
        let pending = !ctx.security_path;
        let site = ctx.site(
            "insecure-random",
            false,
            pending,
            span,
            format!("{what} is predictable (not a CSPRNG)"),
        );
        if name == "Read" || name == "NextBytes" {
            // Fills its argument.
            return Some(Val::default());
        }
        return Some(Val {
            level: UNKNOWN,
            tags: T_RANDOM,
            site,
            origin: Some(Rc::from(what.as_str())),
            clean: ALL,
            ..Val::default()
        });
    }
    None
}
