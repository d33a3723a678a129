//! What the taint analysis knows about APIs: sources, sanitisers,
//! propagators (builders, collections, string methods), sinks and crypto
//! primitives for Java/Kotlin and Python (JavaScript/TypeScript, Go and
//! C# in [`super::sinks_c`]).

use super::ir::*;
use super::taint::*;
use std::collections::BTreeMap;
use std::rc::Rc;

/// Attributes of a Flask/Django/FastAPI/Starlette request that carry
/// client data.
pub const REQUEST_DATA_ATTRS: &[&str] = &[
    "args",
    "form",
    "values",
    "json",
    "data",
    "cookies",
    "headers",
    "files",
    "GET",
    "POST",
    "body",
    "COOKIES",
    "META",
    "FILES",
    "query_params",
    "path_params",
    "query_string",
    "url",
    "environ",
    "stream",
    "view_args",
    "content",
    // Express/Koa/Fastify/Next.js
    "query",
    "params",
    "originalUrl",
    "searchParams",
    "nextUrl",
    "rawBody",
    // Go net/http
    "URL",
    "Header",
    "Form",
    "PostForm",
    "MultipartForm",
    "Body",
    // ASP.NET Core
    "Query",
    "Headers",
    "Cookies",
    "RouteValues",
    "QueryString",
];

/// Servlet/JAX-RS/Spring request methods that return client data.
const REQUEST_DATA_METHODS: &[&str] = &[
    "getParameter",
    "getParameterValues",
    "getParameterMap",
    "getParameterNames",
    "getHeader",
    "getHeaders",
    "getCookies",
    "getQueryString",
    "getInputStream",
    "getReader",
    "getPathInfo",
    "getRequestURI",
    "getRequestURL",
    "getPart",
    "getParts",
    "getQueryParameters",
    "getPathParameters",
    "getFirst",
    "getHeaderString",
    "queryParam",
    "pathVariable",
    "formData",
    "bodyToMono",
    "getRemoteUser",
    "get_json",
    "get_data",
    "getlist",
];

pub fn is_low_source_attr(base: &str, name: &str) -> bool {
    matches!(
        (base, name),
        ("os", "environ")
            | ("sys", "argv")
            | ("sys", "stdin")
            | ("process", "env" | "argv")
            | ("os", "Args")
    )
}

/// JavaScript/TypeScript, Go and C# (see [`super::sinks_c`]).
fn c_family(ctx: &Ctx) -> bool {
    matches!(
        ctx.lang,
        super::lex::Lang::Js | super::lex::Lang::Go | super::lex::Lang::CSharp
    )
}

pub fn looks_like_sql(s: &str) -> bool {
    // Every keyword pattern below holds a space.
    if s.len() < 6 || !s.as_bytes().contains(&b' ') {
        return false;
    }
    let l = s.to_ascii_lowercase();
    let has = |w: &str| l.contains(w);
    has("select ") && (has(" from") || has("from "))
        || has("insert into")
        || has("delete from")
        || (has("update ") && has(" set "))
        || has(" where ")
        || has("order by")
        || l.starts_with("where ")
        || has("merge into")
        || has("drop table")
}

pub fn rule_for(kind: u16) -> &'static str {
    match kind {
        SQL => "sql-injection",
        CMD => "command-injection",
        PATH => "path-traversal",
        EVAL => "eval-injection",
        DESER => "insecure-deserialization",
        LDAP => "ldap-injection",
        XPATH => "xpath-injection",
        URL => "ssrf",
        REDIRECT => "open-redirect",
        _ => "header-injection",
    }
}

/// Untrusted data reaching this kind of sink blocks (header injection
/// warns: servlet containers and WSGI servers reject CR/LF in headers).
pub fn blocks(kind: u16) -> bool {
    kind != HEADER
}

/// Sinks where a value of unknown origin is worth a warning (elsewhere,
/// configuration values and internal paths make it noise).
pub fn warns_on_unknown(kind: u16) -> bool {
    matches!(kind, SQL | CMD | EVAL | DESER)
}

fn recv_name<'c>(ctx: &Ctx, c: &'c Call) -> std::borrow::Cow<'c, str> {
    let n: &'c str = match &c.recv {
        Some(Expr::Name(n)) => {
            let a = ctx.alias(n);
            if a != n.as_str() {
                return std::borrow::Cow::Owned(a.to_ascii_lowercase());
            }
            n.as_str()
        }
        Some(Expr::Attr(_, n)) => n.as_str(),
        Some(Expr::Call(inner)) => inner.name.as_str(),
        _ => "",
    };
    // Most receivers are already lower case: no copy for them.
    if n.bytes().any(|b| b.is_ascii_uppercase()) {
        std::borrow::Cow::Owned(n.to_ascii_lowercase())
    } else {
        std::borrow::Cow::Borrowed(n)
    }
}

/// `x.substring(x.lastIndexOf('/') + 1)` (or `File.separator`): the text
/// after the last path separator.
fn is_last_segment_cut(c: &Call) -> bool {
    let [a] = c.args.as_slice() else {
        return false;
    };
    let Expr::Concat(parts) = &a.value else {
        return false;
    };
    let [Expr::Call(li), Expr::Lit(one)] = parts.as_slice() else {
        return false;
    };
    one == "1"
        && li.name == "lastIndexOf"
        && li.args.len() == 1
        && match &li.args[0].value {
            Expr::Str(x) => x == "/",
            Expr::Lit(x) => x == "'/'",
            Expr::Attr(_, n) => n == "separator" || n == "separatorChar",
            Expr::Name(n) => n == "separator" || n == "separatorChar",
            _ => false,
        }
}

fn kwarg<'a>(c: &'a Call, args: &'a [Val], name: &str) -> Option<(&'a Expr, &'a Val)> {
    c.args
        .iter()
        .zip(args)
        .find(|(a, _)| a.name.as_deref() == Some(name))
        .map(|(a, v)| (&a.value, v))
}

/// Positional argument `i` (keyword arguments excluded).
fn pos<'a>(c: &Call, args: &'a [Val], i: usize) -> Option<&'a Val> {
    c.args
        .iter()
        .zip(args)
        .filter(|(a, _)| a.name.is_none())
        .nth(i)
        .map(|(_, v)| v)
}

fn is_true(e: Option<(&Expr, &Val)>) -> bool {
    e.is_some_and(|(_, v)| {
        v.konst
            .as_deref()
            .is_some_and(|k| k == "True" || k == "true")
    })
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

fn elem(v: &Val, i: usize) -> Option<&Val> {
    v.elems.as_ref()?.get(i.to_string().as_str())
}

fn all_elems(v: &Val) -> Vec<Val> {
    v.elems
        .as_ref()
        .map(|m| m.values().cloned().collect())
        .unwrap_or_default()
}

/// A command given as a list: report when it starts a shell with a dirty
/// command string, or when the program itself is dirty.
fn check_argv(ctx: &mut Ctx, list: &[Val], what: impl std::fmt::Display + Copy, span: Span) {
    let Some(first) = list.first() else { return };
    if first.konst.as_deref().is_some_and(|k| SHELLS.contains(&k)) {
        let rest: Vec<Val> = list[1..].to_vec();
        if !rest.is_empty() {
            let j = concat(&rest);
            ctx.report_fmt(&j, CMD, "command-injection", what, span);
        }
    } else if first.level > CONST {
        ctx.report_fmt(first, CMD, "command-injection", what, span);
    }
}

/// Check sinks and crypto primitives at a call.
/// A call's name as a sink description (`execute(…)`).
#[derive(Clone, Copy)]
struct CallWhat<'a>(&'a str);

impl std::fmt::Display for CallWhat<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}(…)", self.0)
    }
}

pub fn check(ctx: &mut Ctx, c: &Call, recv: Option<&Val>, args: &[Val], env: &mut Env) {
    let name = c.name.as_str();
    let rn = recv_name(ctx, c);
    let span = c.span;
    let a0 = pos(c, args, 0);
    // `name(…)`, formatted only when a finding needs it.
    let what = &CallWhat(name);
    if ctx.python {
        check_python(ctx, c, recv, args, &rn, span, what);
    } else if c_family(ctx) {
        super::sinks_c::check(ctx, c, recv, args, env);
    } else {
        check_jvm(ctx, c, recv, args, &rn, span, what, env);
    }
    // Weak random value as an argument of a credential setter or a cookie.
    if (name.starts_with("set") && is_secret_sink_name(name) && name.len() > 3)
        || matches!(
            name,
            "set_cookie" | "Cookie" | "addCookie" | "setAttribute" | "put" | "cookie"
        )
    {
        let key_secret = a0
            .and_then(|k| k.konst.as_deref())
            .is_some_and(is_secret_sink_name);
        for (i, a) in args.iter().enumerate() {
            if name.starts_with("set") && name != "setAttribute"
                || matches!(name, "set_cookie" | "Cookie" | "cookie") && i >= 1
                || key_secret && i >= 1
            {
                ctx.secret_flow(a, &format!("{name}(…)"));
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn check_python(
    ctx: &mut Ctx,
    c: &Call,
    recv: Option<&Val>,
    args: &[Val],
    rn: &str,
    span: Span,
    what: &CallWhat,
) {
    let name = c.name.as_str();
    let a0 = pos(c, args, 0).cloned().unwrap_or_default();
    let bare = c.recv.is_none();
    match name {
        // ---- SQL
        "execute" | "executemany" | "executescript" | "mogrify" | "exec_driver_sql" => {
            let dbish = [
                "cursor",
                "cur",
                "conn",
                "connection",
                "db",
                "session",
                "engine",
                "c",
                "con",
                "tx",
            ]
            .iter()
            .any(|w| rn == *w || rn.ends_with(w))
                || name == "exec_driver_sql";
            let sqlish = a0.tags & T_SQL != 0;
            if (dbish && a0.level >= LOW) || sqlish || (dbish && a0.level == UNKNOWN) {
                if a0.level == UNKNOWN && !sqlish && !dbish {
                    return;
                }
                ctx.report_fmt(&a0, SQL, "sql-injection", what, span);
            }
        }
        "text" if (bare || rn == "sqlalchemy" || rn == "sa") && ctx.sqlalchemy => {
            ctx.report(&a0, SQL, "sql-injection", "sqlalchemy.text(…)", span);
        }
        "raw" if rn == "objects" || rn.ends_with("objects") || rn == "manager" => {
            ctx.report(&a0, SQL, "sql-injection", "Manager.raw(…)", span);
        }
        "RawSQL" => ctx.report(&a0, SQL, "sql-injection", "RawSQL(…)", span),
        "extra" => {
            for k in ["where", "select", "tables", "order_by"] {
                if let Some((_, v)) = kwarg(c, args, k) {
                    let mut parts = all_elems(v);
                    if parts.is_empty() {
                        parts.push(v.clone());
                    }
                    let j = concat(&parts);
                    ctx.report(&j, SQL, "sql-injection", "QuerySet.extra(…)", span);
                }
            }
        }
        "read_sql" | "read_sql_query" => ctx.report_fmt(&a0, SQL, "sql-injection", what, span),
        // ---- commands
        "system" | "popen" | "popen2" | "popen3" | "popen4" | "Popen3" | "Popen4"
            if rn == "os" || rn == "popen2" =>
        {
            ctx.report(
                &a0,
                CMD,
                "command-injection",
                &format!("os.{name}(…)"),
                span,
            );
        }
        "getoutput" | "getstatusoutput" if rn == "subprocess" || rn == "commands" => ctx.report(
            &a0,
            CMD,
            "command-injection",
            &format!("{rn}.{name}(…)"),
            span,
        ),
        "run" | "call" | "Popen" | "check_output" | "check_call"
            if rn == "subprocess" || (bare && name == "Popen") =>
        {
            let shell = is_true(kwarg(c, args, "shell"));
            let w = format!(
                "subprocess.{name}(…{})",
                if shell { ", shell=True" } else { "" }
            );
            if shell {
                let v = if a0.elems.is_some() {
                    concat(&all_elems(&a0))
                } else {
                    a0.clone()
                };
                ctx.report(&v, CMD, "command-injection", &w, span);
            } else if a0.elems.is_some() {
                let list = all_elems_ordered(&a0);
                check_argv(ctx, &list, &w, span);
            } else if a0.level >= LOW {
                ctx.report(&a0, CMD, "command-injection", &w, span);
            }
        }
        n if rn == "os" && (n.starts_with("spawn") || n.starts_with("exec")) => {
            // `os.spawn*(mode, path, ...)`, `os.exec*(path, ...)`.
            let skip = usize::from(n.starts_with("spawn"));
            let list: Vec<Val> = args.iter().skip(skip).cloned().collect();
            check_argv(ctx, &list, &format!("os.{name}(…)"), span);
        }
        // ---- code evaluation
        "eval" | "exec" if bare => {
            ctx.report(&a0, EVAL, "eval-injection", &format!("{name}(…)"), span)
        }
        "compile" if bare && a0.level >= LOW => {
            ctx.report(&a0, EVAL, "eval-injection", "compile(…)", span)
        }
        // ---- deserialization
        "loads" | "load" | "Unpickler"
            if matches!(
                rn,
                "pickle" | "cpickle" | "dill" | "marshal" | "shelve" | "_pickle" | "jsonpickle"
            ) =>
        {
            let w = format!("{rn}.{name}(…)");
            if a0.level >= LOW {
                ctx.report(&a0, DESER, "insecure-deserialization", &w, span);
            } else if !ctx.summarising {
                ctx.findings.push(Finding {
                    rule: "insecure-deserialization",
                    block: false,
                    span,
                    message: format!("{w} can run code while loading; only use it on data this service wrote and signed"),
                    pending: false,
                });
            }
        }
        "open" if rn == "shelve" && a0.level > CONST => ctx.report(
            &a0,
            DESER,
            "insecure-deserialization",
            "shelve.open(…)",
            span,
        ),
        "read_pickle" if rn == "pandas" || rn == "pd" => ctx.report(
            &a0,
            DESER,
            "insecure-deserialization",
            "pandas.read_pickle(…)",
            span,
        ),
        "decode" | "restore" if rn == "jsonpickle" || rn == "unpickler" => ctx.report(
            &a0,
            DESER,
            "insecure-deserialization",
            "jsonpickle.decode(…)",
            span,
        ),
        "load" | "load_all" | "unsafe_load" | "full_load" if rn == "yaml" => {
            let loader = kwarg(c, args, "Loader")
                .map(|(e, _)| super::taint::describe(e))
                .or_else(|| {
                    c.args
                        .get(1)
                        .filter(|a| a.name.is_none())
                        .map(|a| super::taint::describe(&a.value))
                })
                .unwrap_or_default();
            let safe = name != "unsafe_load"
                && (loader.contains("SafeLoader") || loader.contains("BaseLoader"));
            if !safe && name != "full_load" && !ctx.summarising {
                ctx.findings.push(Finding {
                    rule: "insecure-deserialization",
                    block: true,
                    span,
                    message: format!(
                        "yaml.{name} without SafeLoader can construct arbitrary Python objects"
                    ),
                    pending: false,
                });
            }
        }
        // ---- files
        "open" if bare || rn == "io" || rn == "codecs" => {
            ctx.report(&a0, PATH, "path-traversal", "open(…)", span)
        }
        "send_file" | "FileResponse" => {
            ctx.report(&a0, PATH, "path-traversal", &format!("{name}(…)"), span)
        }
        "remove" | "unlink" | "rmdir" | "listdir" | "makedirs" | "rmtree" | "copyfile" | "copy"
        | "move" | "chmod"
            if rn == "os" || rn == "shutil" =>
        {
            ctx.report(
                &a0,
                PATH,
                "path-traversal",
                &format!("{rn}.{name}(…)"),
                span,
            )
        }
        "read_text" | "read_bytes" | "write_text" | "write_bytes" | "unlink" => {
            if let Some(r) = recv {
                ctx.report(r, PATH, "path-traversal", &format!("Path.{name}(…)"), span)
            }
        }
        // ---- SSRF
        "get" | "post" | "put" | "delete" | "head" | "patch" | "request" | "urlopen"
        | "Request" | "stream"
            if matches!(
                rn,
                "requests"
                    | "httpx"
                    | "urllib"
                    | "request"
                    | "urllib2"
                    | "session"
                    | "client"
                    | "http"
            ) || (bare && matches!(name, "urlopen" | "Request")) =>
        {
            if rn == "request" && !matches!(name, "urlopen" | "Request") {
                return;
            }
            let u = if name == "request" {
                pos(c, args, 1).cloned().unwrap_or_default()
            } else {
                a0.clone()
            };
            let u = kwarg(c, args, "url").map(|(_, v)| v.clone()).unwrap_or(u);
            if u.level >= LOW {
                ctx.report(&u, URL, "ssrf", &format!("{rn}.{name}(…)"), span);
            }
        }
        // ---- redirects
        "redirect"
        | "HttpResponseRedirect"
        | "RedirectResponse"
        | "HttpResponsePermanentRedirect"
            if a0.level >= LOW =>
        {
            ctx.report(&a0, REDIRECT, "open-redirect", &format!("{name}(…)"), span)
        }
        // ---- LDAP / XPath
        "search_s" | "search_st" | "search_ext_s" | "search_ext" | "search"
            if rn.contains("ldap") || rn.contains("conn") || name.starts_with("search_") =>
        {
            let f = if name == "search" {
                pos(c, args, 1)
            } else {
                pos(c, args, 2)
            };
            if let Some(f) = f.cloned()
                && f.level >= LOW
            {
                ctx.report(
                    &f,
                    LDAP,
                    "ldap-injection",
                    &format!("{name}(…) filter"),
                    span,
                );
            }
        }
        "xpath" | "XPath" | "findall" | "find" | "iterfind"
            if (name == "xpath" || name == "XPath") && a0.level >= LOW =>
        {
            ctx.report(&a0, XPATH, "xpath-injection", &format!("{name}(…)"), span);
        }
        "set_header" | "add_header" => {
            if let Some(v) = pos(c, args, 1).cloned()
                && v.level >= LOW
            {
                ctx.report(&v, HEADER, "header-injection", &format!("{name}(…)"), span)
            }
        }
        _ => {}
    }
    let _ = recv;
}

fn all_elems_ordered(v: &Val) -> Vec<Val> {
    let mut out = Vec::new();
    for i in 0..64 {
        match elem(v, i) {
            Some(x) => out.push(x.clone()),
            None => break,
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn check_jvm(
    ctx: &mut Ctx,
    c: &Call,
    recv: Option<&Val>,
    args: &[Val],
    rn: &str,
    span: Span,
    what: &CallWhat,
    env: &mut Env,
) {
    let name = c.name.as_str();
    let a0 = args.first().cloned().unwrap_or_default();
    let _ = env;
    match name {
        // ---- SQL
        "executeQuery" | "executeUpdate" | "executeLargeUpdate" | "addBatch"
        | "prepareStatement" | "prepareCall" | "createNativeQuery" | "createSQLQuery"
        | "createSqlQuery" | "createQuery" | "nativeQuery"
            if !args.is_empty() =>
        {
            if name == "createQuery" && a0.level == UNKNOWN && a0.tags & T_SQL == 0 {
                return;
            }
            ctx.report_fmt(&a0, SQL, "sql-injection", what, span);
        }
        "execute" | "query" | "queryForObject" | "queryForList" | "queryForMap"
        | "queryForRowSet" | "queryForStream" | "update" | "batchUpdate" | "queryForLong"
        | "queryForInt" | "rawQuery" | "execSQL" => {
            let dbish = [
                "jdbc",
                "template",
                "stmt",
                "statement",
                "conn",
                "db",
                "database",
                "session",
                "handle",
            ]
            .iter()
            .any(|w| rn.contains(w));
            let sqlish = a0.tags & T_SQL != 0;
            if (dbish && a0.level >= LOW) || sqlish {
                ctx.report_fmt(&a0, SQL, "sql-injection", what, span);
            }
        }
        // ---- commands
        "exec" if rn.contains("runtime") || rn == "rt" || rn == "r" || rn == "getruntime" => {
            if a0.elems.is_some() {
                check_argv(ctx, &all_elems_ordered(&a0), "Runtime.exec(…)", span);
            } else {
                ctx.report(&a0, CMD, "command-injection", "Runtime.exec(…)", span);
            }
        }
        "ProcessBuilder" | "command"
            if c.new || (name == "command" && rn.contains("builder") || rn == "pb") =>
        {
            let list = if args.len() == 1 && a0.elems.is_some() {
                all_elems_ordered(&a0)
            } else {
                args.to_vec()
            };
            if args.len() == 1 && a0.elems.is_none() && a0.level > CONST {
                // A single command string is run without a shell; the
                // program itself is dirty.
                if a0.level >= LOW {
                    ctx.report(&a0, CMD, "command-injection", "ProcessBuilder(…)", span);
                }
                return;
            }
            check_argv(ctx, &list, "ProcessBuilder(…)", span);
        }
        // ---- files
        "File" | "FileInputStream" | "FileOutputStream" | "FileReader" | "FileWriter"
        | "RandomAccessFile" | "FileSystemResource" | "PrintWriter" | "ZipFile"
            if c.new =>
        {
            // `new File(dir, name)`: each part on its own (a sanitised
            // name under a directory of unknown origin is fine).
            let v = args
                .iter()
                .take(2)
                .filter(|a| a.dirty(PATH))
                .max_by_key(|a| a.level)
                .cloned()
                .unwrap_or_default();
            if v.level >= LOW {
                ctx.report(&v, PATH, "path-traversal", &format!("new {name}(…)"), span);
            }
        }
        "readAllBytes" | "readString" | "newInputStream" | "newOutputStream"
        | "newBufferedReader" | "newBufferedWriter" | "write" | "delete" | "deleteIfExists"
        | "lines" | "readAllLines" | "copy" | "move"
            if rn == "files" =>
        {
            // `Files.copy(InputStream, Path)`: the stream is content, the
            // target is the path.
            let stream = name == "copy"
                && matches!(c.args.first().map(|a| &a.value), Some(Expr::Call(s)) if s.name.ends_with("Stream"));
            let paths: &[Val] = if stream {
                args.get(1..2).unwrap_or(&[])
            } else if matches!(name, "copy" | "move") {
                args.get(..2).unwrap_or(args)
            } else {
                std::slice::from_ref(&a0)
            };
            for v in paths {
                if v.level >= LOW {
                    ctx.report(v, PATH, "path-traversal", &format!("Files.{name}(…)"), span)
                }
            }
        }
        // ---- code evaluation
        "eval"
            if rn.contains("engine")
                || rn.contains("script")
                || rn.contains("js")
                || rn.contains("nashorn")
                || rn.contains("groovy")
                || rn.contains("shell") =>
        {
            ctx.report(&a0, EVAL, "eval-injection", "ScriptEngine.eval(…)", span)
        }
        "evaluate" | "parse" if rn.contains("groovy") || rn.contains("shell") => ctx.report(
            &a0,
            EVAL,
            "eval-injection",
            &format!("GroovyShell.{name}(…)"),
            span,
        ),
        "parseExpression" if (a0.level >= LOW || a0.level == UNKNOWN) => {
            ctx.report(&a0, EVAL, "eval-injection", "SpEL parseExpression(…)", span)
        }
        "createValueExpression" | "createMethodExpression" => {
            if let Some(v) = args.get(1).cloned() {
                ctx.report(&v, EVAL, "eval-injection", &format!("EL {name}(…)"), span)
            }
        }
        "getValue" if rn == "ognl" => {
            ctx.report(&a0, EVAL, "eval-injection", "Ognl.getValue(…)", span)
        }
        // ---- deserialization
        "readObject" | "readUnshared" => {
            if let Some(r) = recv
                && r.tags & T_OIS != 0
                && r.tags & T_OWN == 0
                && !ctx.has_filter
                && !ctx.summarising
            {
                let block = true;
                let msg = if r.level >= LOW {
                    format!(
                        "{} → ObjectInputStream.{name}() without an ObjectInputFilter",
                        flow_text(r)
                    )
                } else {
                    format!(
                        "ObjectInputStream.{name}() without an ObjectInputFilter can instantiate any class on the classpath"
                    )
                };
                ctx.findings.push(Finding {
                    rule: "insecure-deserialization",
                    block,
                    span,
                    message: msg,
                    pending: false,
                });
            }
        }
        "fromXML" if rn.contains("xstream") => ctx.report(
            &a0,
            DESER,
            "insecure-deserialization",
            "XStream.fromXML(…)",
            span,
        ),
        // ---- LDAP / XPath
        "search"
            if rn.contains("ctx")
                || rn.contains("context")
                || rn.contains("ldap")
                || rn.contains("dir") =>
        {
            if let Some(f) = args.get(1).cloned()
                && f.level >= LOW
            {
                ctx.report(
                    &f,
                    LDAP,
                    "ldap-injection",
                    "DirContext.search(…) filter",
                    span,
                );
            }
        }
        "compile" | "evaluate" if (rn.contains("xpath") || rn == "xp") && a0.level >= LOW => {
            ctx.report(
                &a0,
                XPATH,
                "xpath-injection",
                &format!("XPath.{name}(…)"),
                span,
            );
        }
        // ---- SSRF
        "URL" | "HttpGet" | "HttpPost" | "HttpPut" | "HttpDelete" | "Socket"
            if c.new && a0.level >= LOW =>
        {
            ctx.report(&a0, URL, "ssrf", &format!("new {name}(…)"), span);
        }
        "getForObject" | "getForEntity" | "postForObject" | "postForEntity" | "exchange"
        | "uri" | "newBuilder" | "openConnection" | "openStream" => {
            let v = if matches!(name, "openConnection" | "openStream") {
                recv.cloned().unwrap_or_default()
            } else {
                a0.clone()
            };
            if v.level >= LOW {
                ctx.report(&v, URL, "ssrf", &format!("{name}(…)"), span);
            }
        }
        // ---- redirects / headers
        "sendRedirect" if a0.level >= LOW => {
            ctx.report(&a0, REDIRECT, "open-redirect", "sendRedirect(…)", span)
        }
        "RedirectView" | "ModelAndView"
            if c.new && a0.level >= LOW && (name == "RedirectView" || a0.origin.is_some()) =>
        {
            let redirect = name == "RedirectView"
                || matches!(c.args.first().map(|a| &a.value), Some(Expr::Concat(p)) if matches!(p.first(), Some(Expr::Str(s)) if s.starts_with("redirect:")));
            if redirect {
                ctx.report(
                    &a0,
                    REDIRECT,
                    "open-redirect",
                    &format!("new {name}(…)"),
                    span,
                )
            }
        }
        "setHeader" | "addHeader" if rn.contains("response") || rn == "resp" || rn == "res" => {
            if let Some(v) = args.get(1).cloned()
                && v.level >= LOW
            {
                ctx.report(&v, HEADER, "header-injection", &format!("{name}(…)"), span)
            }
        }
        _ => {}
    }
}

/// The value a known API returns, with its effect on the environment
/// (builders, collections); `None` for unknown calls.
pub fn model(
    ctx: &mut Ctx,
    c: &Call,
    recv: Option<&Val>,
    args: &[Val],
    env: &mut Env,
) -> Option<Val> {
    if c_family(ctx)
        && let Some(v) = super::sinks_c::model(ctx, c, recv, args, env)
    {
        return Some(v);
    }
    let name = c.name.as_str();
    let rn = recv_name(ctx, c);
    let r = recv.cloned().unwrap_or_default();
    let a0 = pos(c, args, 0).cloned().unwrap_or_default();
    let span = c.span;
    // Filling a buffer (`secureRandom.nextBytes(iv)`, `in.read(buf)`)
    // makes it non-constant.
    if matches!(name, "nextBytes" | "read" | "readFully")
        && let Some(Expr::Name(buf)) = c.args.first().map(|a| &a.value)
        && !(ctx.python && name == "read")
    {
        let mut v = Val::unknown("bytes read at run time");
        if r.tags & T_RANDOM_GEN != 0 {
            v.tags |= T_RANDOM;
        }
        env.insert(Rc::from(buf.as_str()), v);
    }
    // ------------------------------------------------ crypto and random
    if let Some(v) = crypto(ctx, c, &r, args, &rn, span) {
        return Some(v);
    }
    // ------------------------------------------------ sources
    let request_recv = r.tags & T_REQUEST != 0
        || (!ctx.python
            && (rn.contains("request") || rn == "req")
            && !rn.contains("builder")
            && !rn.contains("entity"));
    if request_recv && REQUEST_DATA_METHODS.contains(&name) {
        let mut v = Val::source(HIGH, &describe(&Expr::Call(Box::new(c.clone()))));
        if matches!(name, "getRequestURI" | "getRequestURL") {
            // The page the client is already on: not a redirect or fetch
            // target of the attacker's choosing.
            v.clean |= URL | REDIRECT;
        }
        return Some(v);
    }
    // ------------------------------------------------ own bytes
    // A buffer the function writes itself, a resource shipped with the
    // program, and streams over them: deserialising them is a round trip.
    if (c.new && name == "ByteArrayOutputStream")
        || matches!(name, "getResourceAsStream" | "getSystemResourceAsStream")
    {
        let mut v = Val::unknown(&format!("{name}()"));
        v.tags |= T_OWN;
        return Some(v);
    }
    if (matches!(name, "toByteArray") && r.tags & T_OWN != 0)
        || (c.new
            && matches!(name, "ByteArrayInputStream" | "BufferedInputStream")
            && a0.tags & T_OWN != 0)
    {
        let mut v = Val::unknown(&format!("{name}()"));
        v.tags |= T_OWN;
        return Some(v);
    }
    // `name.substring(name.lastIndexOf('/') + 1)`: the last path segment.
    if name == "substring" && is_last_segment_cut(c) {
        let mut v = r.clone();
        v.konst = None;
        v.elems = None;
        v.clean |= PATH;
        return Some(v);
    }
    if ctx.python {
        match (&*rn, name) {
            ("os", "getenv") | ("environ", "get") | ("os", "getenvb") => {
                return Some(Val::source(
                    LOW,
                    &describe(&Expr::Call(Box::new(c.clone()))),
                ));
            }
            ("", "input") | ("", "raw_input") => return Some(Val::source(LOW, "input()")),
            _ => {}
        }
    } else if matches!(
        (&*rn, name),
        ("system", "getenv") | ("system", "getProperty")
    ) {
        return Some(Val::source(
            LOW,
            &describe(&Expr::Call(Box::new(c.clone()))),
        ));
    }
    // ------------------------------------------------ sanitisers
    let numeric = matches!(
        name,
        "parseInt"
            | "parseLong"
            | "parseDouble"
            | "parseFloat"
            | "parseShort"
            | "parseBoolean"
            | "toInt"
            | "toLong"
            | "toIntOrNull"
            | "toLongOrNull"
            | "toDouble"
            | "toBigDecimal"
            | "fromString"
            | "nameUuidFromBytes"
            | "isdigit"
            | "len"
            | "size"
            | "length"
            | "count"
            | "hashCode"
            | "getId"
            | "id"
            | "exists"
            | "isEmpty"
            | "isBlank"
            | "equals"
            | "equalsIgnoreCase"
            | "startsWith"
            | "endsWith"
            | "startswith"
            | "endswith"
            | "compareTo"
            | "indexOf"
            | "find"
            | "bool"
            | "contains"
            | "matches"
    ) || (matches!(
        name,
        "int" | "float" | "UUID" | "Decimal" | "uuid4" | "ord" | "abs" | "round"
    ) && c.recv.is_none())
        || (name == "valueOf"
            && matches!(
                &*rn,
                "integer"
                    | "long"
                    | "double"
                    | "uuid"
                    | "boolean"
                    | "short"
                    | "bigdecimal"
                    | "biginteger"
            ))
        || (name == "UUID" && rn == "uuid");
    if numeric {
        let mut v = Val::safe();
        v.tags = (r.tags | a0.tags) & (T_RANDOM | T_WEAK_HASH);
        v.site = r.site.or(a0.site);
        v.level = if r.level > CONST || a0.level > CONST {
            UNKNOWN
        } else {
            CONST
        };
        return Some(v);
    }
    let clean_kind = match name {
        "quote" if rn == "shlex" || rn == "pipes" => CMD,
        "escapeshellarg" => CMD,
        "basename" | "secure_filename" | "getName" | "getFileName" | "getBaseName"
            if name != "getName" || rn.contains("filename") =>
        {
            PATH
        }
        "escape" | "escape_string" | "quote_ident" | "escapeSql" | "encodeForSQL" | "literal"
        | "quote_identifier" | "Identifier" => SQL,
        "encodeForLDAP" | "encodeForDN" | "escape_filter_chars" | "escape_dn_chars" => LDAP,
        "encodeForXPath" => XPATH,
        "encodeForOS" => CMD,
        "encodeForHTML" | "encodeForURL" | "quote_plus" | "urlencode" | "encode"
            if rn == "esapi"
                || rn.contains("encoder")
                || name.starts_with("encodeFor")
                || rn == "parse" =>
        {
            HEADER | REDIRECT
        }
        _ => 0,
    };
    if clean_kind != 0 {
        let mut v =
            if name == "getFileName" || name == "basename" && c.recv.is_some() && rn != "path" {
                if name == "getFileName" {
                    r.clone()
                } else {
                    a0.clone()
                }
            } else {
                a0.clone()
            };
        if name == "getFileName" {
            v = r.clone();
        }
        v.clean |= clean_kind;
        v.konst = None;
        return Some(v);
    }
    // ------------------------------------------------ builders
    if c.new
        && matches!(
            name,
            "StringBuilder" | "StringBuffer" | "StringJoiner" | "StringWriter"
        )
    {
        let mut v = if args.is_empty()
            || a0
                .konst
                .as_deref()
                .is_some_and(|k| k.parse::<u64>().is_ok())
        {
            Val::konst("")
        } else {
            a0.clone()
        };
        v.tags |= T_BUILDER;
        return Some(v);
    }
    if matches!(
        name,
        "append"
            | "insert"
            | "add"
            | "push"
            | "addAll"
            | "extend"
            | "write"
            | "appendLine"
            | "plusAssign"
    ) {
        if let Some(Expr::Name(var)) = &c.recv {
            let old = env.get(var.as_str()).cloned().unwrap_or_else(|| r.clone());
            let added = if name == "insert" {
                args.get(1).cloned().unwrap_or_default()
            } else {
                concat(args)
            };
            let is_builder = old.tags & T_BUILDER != 0;
            let mut nv = if is_builder {
                let mut x = concat(&[old.clone(), added]);
                x.tags |= T_BUILDER;
                x
            } else {
                // A list: the new element under `*` (and its index).
                let mut m = old.elems.as_deref().cloned().unwrap_or_default();
                let idx = m.len().to_string();
                let key: Rc<str> = if old.level == CONST && old.elems.is_some() {
                    Rc::from(idx.as_str())
                } else {
                    Rc::from("*")
                };
                let e = match m.get(&key) {
                    Some(o) if &*key == "*" => join(o, &added),
                    _ => added.clone(),
                };
                m.insert(key, e);
                let mut x = join(&old, &added);
                x.konst = None;
                x.elems = Some(Rc::new(m));
                x
            };
            if old.tags & T_OWN != 0 && args.iter().any(|a| a.level > CONST) {
                // Outside data written into an own buffer.
                nv.tags &= !T_OWN;
            }
            nv = nv.with_path(var);
            env.insert(Rc::from(var.as_str()), nv.clone());
            return Some(nv);
        }
        if r.tags & T_BUILDER != 0 {
            let mut x = concat(&[r.clone(), concat(args)]);
            x.tags |= T_BUILDER;
            return Some(x);
        }
    }
    if matches!(
        name,
        "put" | "putIfAbsent" | "setdefault" | "__setitem__" | "setAttribute" | "set"
    ) && args.len() >= 2
        && let Some(Expr::Name(var)) = &c.recv
    {
        let old = env.get(var.as_str()).cloned().unwrap_or_else(|| r.clone());
        let mut m = old.elems.as_deref().cloned().unwrap_or_default();
        let key: Rc<str> = args[0].konst.clone().unwrap_or_else(|| Rc::from("*"));
        m.insert(key, args[1].clone());
        let mut x = old.clone();
        if args[1].level > x.level {
            x.level = args[1].level;
            x.origin = args[1].origin.clone();
            x.path = args[1].path.clone();
        }
        x.elems = Some(Rc::new(m));
        env.insert(Rc::from(var.as_str()), x);
        return Some(Val::default());
    }
    if matches!(
        name,
        "get"
            | "getOrDefault"
            | "getFirst"
            | "getString"
            | "getAttribute"
            | "pop"
            | "getValue"
            | "getOrElse"
            | "getProperty"
    ) && r.elems.is_some()
    {
        let m = r.elems.as_ref()?;
        let v = match a0.konst.as_ref().and_then(|k| m.get(k)) {
            Some(v) => v.clone(),
            None => match m.get("*") {
                Some(s) => s.clone(),
                None if a0.konst.is_some() => args.get(1).cloned().unwrap_or_default(),
                None => r.clone(),
            },
        };
        return Some(v);
    }
    if c.new
        && matches!(
            name,
            "HashMap"
                | "LinkedHashMap"
                | "TreeMap"
                | "ArrayList"
                | "LinkedList"
                | "HashSet"
                | "ConcurrentHashMap"
                | "Properties"
        )
        || (ctx.python
            && c.recv.is_none()
            && matches!(name, "dict" | "list" | "set")
            && args.is_empty())
        || (matches!(
            name,
            "mutableMapOf" | "hashMapOf" | "mutableListOf" | "arrayListOf"
        ) && args.is_empty())
    {
        return Some(Val {
            elems: Some(Rc::new(BTreeMap::new())),
            ..Val::default()
        });
    }
    if matches!(
        name,
        "asList" | "of" | "listOf" | "arrayOf" | "mutableListOf" | "setOf" | "copyOf"
    ) && (rn == "arrays" || rn == "list" || rn == "set" || rn.is_empty())
    {
        let mut m = BTreeMap::new();
        let mut v = Val::default();
        for (i, a) in args.iter().enumerate() {
            m.insert(Rc::from(i.to_string().as_str()), a.clone());
            v = join(&v, a);
        }
        v.elems = Some(Rc::new(m));
        v.konst = if v.level == CONST {
            Some(Rc::from("[list]"))
        } else {
            None
        };
        return Some(v);
    }
    if c.new && name == "ObjectInputStream" {
        let mut v = a0.clone();
        v.tags |= T_OIS;
        v.konst = None;
        return Some(v);
    }
    // A lookup in a constant table yields one of its constants.
    if matches!(name, "get" | "getOrDefault" | "getProperty" | "getOrElse")
        && c.recv.is_some()
        && r.level == CONST
        && r.tags & T_REQUEST == 0
        && args.iter().skip(1).all(|a| a.level == CONST)
        && !matches!(&c.recv, Some(Expr::Name(n)) if n.as_bytes().first().is_some_and(u8::is_ascii_uppercase) && !is_constant_name(n))
    {
        return Some(Val::safe());
    }
    // `dict(a=1)`, `list(x)`, `tuple(x)`, `sorted(x)`: the arguments' values.
    if ctx.python
        && c.recv.is_none()
        && matches!(
            name,
            "dict" | "list" | "tuple" | "set" | "frozenset" | "sorted"
        )
        && !args.is_empty()
    {
        if args.len() == 1 && c.args[0].name.is_none() {
            return Some(a0.clone());
        }
        let mut m = BTreeMap::new();
        let mut v = Val::default();
        for (a, x) in c.args.iter().zip(args) {
            v = join(&v, x);
            m.insert(Rc::from(a.name.as_deref().unwrap_or("*")), x.clone());
        }
        v.elems = Some(Rc::new(m));
        return Some(v);
    }
    // ------------------------------------------------ string functions
    if matches!(
        name,
        "format"
            | "formatted"
            | "join"
            | "concat"
            | "valueOf"
            | "toString"
            | "str"
            | "repr"
            | "String"
            | "copyValueOf"
            | "requireNonNull"
            | "ofNullable"
            | "of"
            | "orElse"
            | "trim"
            | "strip"
            | "lstrip"
            | "rstrip"
            | "lower"
            | "upper"
            | "toLowerCase"
            | "toUpperCase"
            | "substring"
            | "replace"
            | "replaceAll"
            | "replaceFirst"
            | "split"
            | "getBytes"
            | "decode"
            | "encode"
            | "intern"
            | "capitalize"
            | "title"
            | "casefold"
            | "center"
            | "ljust"
            | "rjust"
            | "zfill"
            | "expandtabs"
            | "removeprefix"
            | "removesuffix"
            | "translate"
            | "get"
            | "getlist"
            | "getOrDefault"
            | "first"
            | "last"
            | "next"
            | "items"
            | "values"
            | "keys"
            | "resolve"
            | "normalize"
            | "toAbsolutePath"
            | "toFile"
            | "toPath"
            | "getPath"
            | "getAbsolutePath"
            | "getCanonicalPath"
            | "toRealPath"
            | "toUri"
            | "create"
            | "path"
            | "join_path"
            | "unquote"
            | "unquote_plus"
            | "b64decode"
            | "urlsafe_b64decode"
            | "loads"
            | "readLine"
            | "readline"
            | "read"
            | "readlines"
            | "sub"
            | "strftime"
            | "text"
            | "getText"
            | "asText"
            | "textValue"
            | "body"
            | "block"
            | "mkString"
            | "joinToString"
            | "let"
            | "also"
            | "apply"
            | "run"
            | "map"
            | "filter"
            | "orElseThrow"
            | "orElseGet"
            | "toList"
            | "collect"
            | "stream"
            | "sorted"
            | "reversed"
            | "dumps"
            | "quote"
    ) || (name == "join" && rn == "path")
    {
        let mut parts: Vec<Val> = Vec::new();
        if c.recv.is_some()
            && !matches!(&c.recv, Some(Expr::Name(n)) if n.as_bytes().first().is_some_and(u8::is_ascii_uppercase) && !ctx.python)
            && !(ctx.python && c.recv.as_ref().is_some_and(|e| matches!(e, Expr::Name(n) if matches!(n.as_str(), "json" | "base64" | "urllib" | "re" | "os" | "shlex")))) {
                parts.push(r.clone());
            }
        parts.extend(args.iter().cloned());
        if parts.is_empty() {
            return Some(Val::default());
        }
        let mut v = concat(&parts);
        // Keep the receiver's sanitisation through pure string methods.
        if matches!(
            name,
            "trim"
                | "strip"
                | "lower"
                | "upper"
                | "toLowerCase"
                | "toUpperCase"
                | "toString"
                | "str"
                | "get"
                | "normalize"
                | "toAbsolutePath"
                | "toRealPath"
                | "getCanonicalPath"
        ) {
            v.clean = r.clean
                | if args.iter().all(|a| a.level == CONST) {
                    0
                } else {
                    v.clean
                };
        }
        if matches!(name, "get" | "getlist" | "getOrDefault")
            && r.level >= LOW
            && args.first().is_some_and(|k| k.konst.is_some())
        {
            v.origin = Some(Rc::from(
                describe(&Expr::Call(Box::new(c.clone()))).as_str(),
            ));
            v.path.clear();
        }
        if name == "format" || name == "formatted" {
            v.konst = None;
        }
        return Some(v);
    }
    None
}

/// Crypto primitives and randomness; records sites.
fn crypto(ctx: &mut Ctx, c: &Call, r: &Val, args: &[Val], rn: &str, span: Span) -> Option<Val> {
    let name = c.name.as_str();
    let a0 = pos(c, args, 0).cloned().unwrap_or_default();
    // The first argument's constant text in upper case, computed on use.
    let k0_cell = std::cell::OnceCell::new();
    let k0 = || -> Option<&str> {
        k0_cell
            .get_or_init(|| a0.konst.as_deref().map(|k| k.to_ascii_uppercase()))
            .as_deref()
    };
    let weak_hash_alg = |s: &str| {
        let s = s.replace(['-', '_'], "");
        matches!(s.as_str(), "MD5" | "MD4" | "MD2" | "SHA1" | "SHA")
    };
    // ---- weak hashes
    let kw_name = kwarg(c, args, "name")
        .and_then(|(_, v)| v.konst.as_deref())
        .map(|k| k.to_ascii_uppercase());
    let hash_site = if ctx.python {
        match (rn, name) {
            ("hashlib", "md5" | "sha1")
            | ("md5" | "sha" | "md2" | "md4", "new")
            | ("hashes", "MD5" | "SHA1") => Some(name.to_ascii_uppercase().replace("NEW", "MD5")),
            ("hashlib", "new") if k0().or(kw_name.as_deref()).is_some_and(weak_hash_alg) => {
                k0().map(String::from).or(kw_name.clone())
            }
            ("", "md5" | "sha1") if ctx.text.contains("from hashlib import") => {
                Some(name.to_ascii_uppercase())
            }
            _ => None,
        }
    } else {
        match (rn, name) {
            ("messagedigest", "getInstance") if k0().is_some_and(weak_hash_alg) => {
                k0().map(String::from)
            }
            ("digestutils", n)
                if n.starts_with("md5")
                    || n.starts_with("sha1")
                    || n == "shaHex"
                    || n == "sha"
                    || n == "getMd5Digest"
                    || n == "getSha1Digest" =>
            {
                Some(if n.starts_with("md5") || n.starts_with("getMd5") {
                    "MD5".into()
                } else {
                    "SHA-1".into()
                })
            }
            ("hashing", "md5" | "sha1") => Some(name.to_ascii_uppercase()),
            ("signature", "getInstance")
                if k0().is_some_and(|k| {
                    k.starts_with("MD5WITH")
                        || k.starts_with("SHA1WITH")
                        || k.starts_with("MD2WITH")
                }) =>
            {
                ctx.site(
                    "weak-hash",
                    true,
                    false,
                    span,
                    format!(
                        "signature algorithm {} uses a broken hash",
                        k0().unwrap_or("")
                    ),
                );
                return Some(Val::unknown("signature"));
            }
            _ => None,
        }
    };
    if let Some(alg) = hash_site {
        let not_security = kwarg(c, args, "usedforsecurity")
            .is_some_and(|(_, v)| v.konst.as_deref() == Some("False"));
        if not_security {
            return Some(Val::unknown(&format!("{alg} digest")));
        }
        // The input (for one-shot APIs).
        let input = if ctx.python {
            if name == "new" && rn == "hashlib" {
                pos(c, args, 1).cloned()
            } else {
                pos(c, args, 0).cloned()
            }
        } else if rn == "digestutils" {
            Some(a0.clone())
        } else {
            None
        };
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
        if !ctx.python && matches!(name, "getInstance" | "getMd5Digest" | "getSha1Digest") {
            v.tags |= T_HASH_OBJ;
        }
        return Some(v);
    }
    // Feeding a hash object: `md.update(password)`, `md.digest(pw)`.
    if r.tags & T_WEAK_HASH != 0
        && matches!(
            name,
            "update"
                | "digest"
                | "hexdigest"
                | "hashString"
                | "hashBytes"
                | "putString"
                | "hashUnencodedChars"
        )
    {
        if args.iter().any(|a| a.tags & T_CRED != 0)
            && let Some(i) = r.site
            && let Some(f) = ctx.findings.get_mut(i as usize)
        {
            f.block = true;
            f.message.push_str(" applied to a password or credential");
        }
        let mut v = r.clone();
        v.tags &= !T_CRED;
        if name != "update" && name != "putString" {
            v.tags &= !T_HASH_OBJ;
        }
        return Some(v);
    }
    // ---- weak ciphers
    if ctx.python {
        let weak_mod = matches!(
            rn,
            "des" | "des3" | "arc4" | "arc2" | "blowfish" | "cast" | "xor"
        ) && name == "new";
        let weak_alg = rn == "algorithms"
            && matches!(
                name,
                "TripleDES" | "ARC4" | "Blowfish" | "IDEA" | "CAST5" | "SEED"
            );
        let ecb = ((rn == "modes" || c.recv.is_none()) && name == "ECB")
            || (rn == "aes"
                && name == "new"
                && args
                    .iter()
                    .any(|a| a.konst.as_deref().is_some_and(|k| k.ends_with("MODE_ECB"))));
        if weak_mod || weak_alg || ecb {
            let what = if ecb {
                "ECB mode".to_string()
            } else {
                (if weak_alg {
                    name.to_string()
                } else {
                    rn.to_uppercase()
                })
                .to_string()
            };
            ctx.site(
                "weak-cipher",
                true,
                false,
                span,
                format!("{what} is a deprecated cipher or mode"),
            );
            return Some(Val::unknown("cipher"));
        }
        // Static IV: `modes.CBC(b"...")`, `AES.new(k, AES.MODE_CBC, b"...")`.
        let iv = if rn == "modes" && matches!(name, "CBC" | "CFB" | "OFB" | "CTR" | "GCM") {
            Some(a0.clone())
        } else if rn == "aes" && name == "new" {
            kwarg(c, args, "iv")
                .map(|(_, v)| v.clone())
                .or_else(|| kwarg(c, args, "nonce").map(|(_, v)| v.clone()))
                .or_else(|| pos(c, args, 2).cloned())
        } else {
            None
        };
        if let Some(iv) = iv
            && iv.level == CONST
            && iv.konst.is_some()
        {
            ctx.site(
                "weak-cipher",
                true,
                false,
                span,
                "constant IV/nonce: every message is encrypted with the same IV".into(),
            );
        }
    } else {
        let transform = k0().unwrap_or("");
        let weak_transform = |t: &str| {
            let alg = t.split('/').next().unwrap_or("");
            matches!(
                alg,
                "DES" | "DESEDE" | "TRIPLEDES" | "3DES" | "RC4" | "ARCFOUR" | "RC2" | "BLOWFISH"
            ) || t.contains("/ECB/")
                || t == "AES"
        };
        let cipherish = (rn == "cipher" && name == "getInstance")
            || (c.new && name == "SecretKeySpec")
            || (matches!(rn, "keygenerator" | "secretkeyfactory") && name == "getInstance");
        let t = if !cipherish {
            String::new()
        } else if c.new && name == "SecretKeySpec" {
            pos(c, args, 1)
                .and_then(|v| v.konst.as_deref())
                .map(|k| k.to_ascii_uppercase())
                .unwrap_or_default()
        } else {
            transform.to_string()
        };
        if cipherish
            && !t.is_empty()
            && weak_transform(&t)
            && !(c.new && t == "AES")
            && !(rn != "cipher" && t == "AES")
        {
            let what = if t == "AES" {
                "AES without a mode defaults to ECB".to_string()
            } else {
                format!("\"{t}\" is a deprecated cipher or mode")
            };
            ctx.site("weak-cipher", true, false, span, what);
            return Some(Val::unknown("cipher"));
        }
        if c.new && matches!(name, "IvParameterSpec" | "GCMParameterSpec") {
            let iv = if name == "GCMParameterSpec" {
                pos(c, args, 1).cloned().unwrap_or_default()
            } else {
                a0.clone()
            };
            if iv.level == CONST && iv.konst.is_some() {
                ctx.site(
                    "weak-cipher",
                    true,
                    false,
                    span,
                    "constant IV/nonce: every message is encrypted with the same IV".into(),
                );
            }
            return Some(Val::unknown("IV"));
        }
    }
    // ---- randomness
    let weak_gen = if ctx.python {
        (rn == "random" && name == "Random")
            || (c.recv.is_none() && name == "Random" && ctx.text.contains("from random import"))
    } else {
        c.new && name == "Random"
    };
    if weak_gen {
        return Some(Val {
            tags: T_RANDOM_GEN,
            level: UNKNOWN,
            origin: Some(Rc::from("java.util.Random")),
            ..Val::default()
        });
    }
    let weak_value = if ctx.python {
        (rn == "random" || (r.tags & T_RANDOM_GEN != 0))
            && matches!(
                name,
                "random"
                    | "randint"
                    | "randrange"
                    | "choice"
                    | "choices"
                    | "sample"
                    | "getrandbits"
                    | "uniform"
                    | "randbytes"
                    | "shuffle"
            )
            || (c.recv.is_none()
                && ctx.imports_random
                && matches!(
                    name,
                    "randint" | "randrange" | "choice" | "choices" | "getrandbits" | "randbytes"
                ))
    } else {
        (rn == "math" && name == "random")
            || (r.tags & T_RANDOM_GEN != 0 && name.starts_with("next"))
            || (rn == "current" && name.starts_with("next"))
            || (rn == "randomstringutils")
            || (rn == "randomutils")
            || (matches!(&c.recv, Some(Expr::Call(inner)) if inner.new && inner.name == "Random")
                && name.starts_with("next"))
            || (name.starts_with("next")
                && matches!(&c.recv, Some(Expr::Call(inner)) if inner.name == "current"))
    };
    if weak_value {
        let what = if ctx.python {
            format!("random.{name}()")
        } else if rn == "math" {
            "Math.random()".into()
        } else {
            format!("java.util.Random {name}()")
        };
        let pending = !ctx.security_path;
        let site = ctx.site(
            "insecure-random",
            false,
            pending,
            span,
            format!("{what} is predictable (not a CSPRNG)"),
        );
        if name == "nextBytes"
            && let Some(Expr::Name(n)) = c.args.first().map(|a| &a.value)
        {
            // Fill the array argument with predictable bytes.
            let _ = n;
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

pub fn describe(e: &Expr) -> String {
    super::taint::describe(e)
}
