//! Rules that follow an argument to its source: SQL injection, command
//! injection, path traversal, eval.

use super::*;
use crate::rules::*;
use regex::Regex;
use std::sync::LazyLock;

fn re(s: &str) -> Regex {
    kiro_guard_skill::ascii_regex::regex(s).unwrap()
}

/// SQL text inside a string literal.
static SQL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?is)\b(?:select\b.*\bfrom\b|insert\s+into\b|update\s+[\w.\[\]`]+\s+set\b|delete\s+from\b|merge\s+into\b|drop\s+table\b|truncate\s+table\b|\bwhere\s+[\w.]+\s*(?:=|<|>|like\b|in\b)|order\s+by\b|exec(?:ute)?\s+(?:sp_|xp_|dbo\.))",
    )
});

/// Query sinks per family: the regex ends at the call's `(`.
static SQL_SINKS: LazyLock<[(u8, Regex); 5]> = LazyLock::new(|| {
    [
        (
            PY,
            re(
                r"\.(?:execute|executemany|executescript|raw|mogrify|read_sql|read_sql_query)\s*\(|\b(?:text|read_sql|read_sql_query)\s*\(",
            ),
        ),
        (
            JAVA,
            re(
                r"\.(?:executeQuery|executeUpdate|executeLargeUpdate|execute|addBatch|prepareStatement|prepareCall|createQuery|createNativeQuery|createSQLQuery|query|queryForObject|queryForList|queryForMap|queryForRowSet|update|batchUpdate|rawQuery|execSQL)\s*\(",
            ),
        ),
        (
            JS,
            re(
                r"\.(?:query|execute|raw|exec|run|all|get|prepare|unsafe|\$queryRawUnsafe|\$executeRawUnsafe|whereRaw|joinRaw|orderByRaw|havingRaw)\s*\(",
            ),
        ),
        (
            GO,
            re(
                r"\.(?:Query|QueryRow|QueryContext|QueryRowContext|Exec|ExecContext|Prepare|PrepareContext|Raw|Select|Get|Queryx|QueryRowx|MustExec|NamedExec)\s*\(",
            ),
        ),
        (
            CS,
            re(
                r"\bnew\s+(?:SqlCommand|OracleCommand|NpgsqlCommand|MySqlCommand|SqliteCommand|SQLiteCommand|OleDbCommand|OdbcCommand|SqlDataAdapter)\s*\(|\.(?:ExecuteSqlRaw|ExecuteSqlRawAsync|FromSqlRaw|SqlQueryRaw|Query|QueryAsync|QueryFirst|QueryFirstOrDefault|QuerySingle|QuerySingleOrDefault|Execute|ExecuteAsync|ExecuteScalar|ExecuteScalarAsync)\s*\(|\.CommandText\s*=",
            ),
        ),
    ]
});

/// Whether `r` is (or, for an identifier, was assigned) SQL built from
/// non-constant parts. Returns the assignment's range when found through a
/// variable.
fn tainted_sql(src: &Src, r: (usize, usize), at: usize) -> Option<(usize, usize)> {
    let has_sql = |r: (usize, usize)| {
        src.strings_in(r)
            .iter()
            .any(|&(s, e)| SQL.is_match(&src.code[s..e]))
    };
    if has_sql(r) && src.dynamic(r) {
        return Some(r);
    }
    if let Some(var) = src.plain_ident(r) {
        let assigns = src.assignments(var, at);
        // SQL anywhere in the variable's history, and one assignment
        // dynamic (`q = "SELECT ..."; q += " AND x = " + v`).
        let any_sql = assigns.iter().any(|&a| has_sql(a));
        if any_sql && let Some(&a) = assigns.iter().find(|&&a| src.dynamic(a)) {
            return Some(a);
        }
    }
    None
}

/// Cheap file-level precheck: no SQL keyword, no SQL injection.
static SQL_WORD: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(?:select|insert|update|delete|merge|drop|truncate|where|exec)\b"));

fn sql_injection(src: &Src, hits: &mut Vec<Hit>) {
    let Some((_, sink)) = SQL_SINKS.iter().find(|(f, _)| *f == src.fam) else {
        return;
    };
    if !src.is_match(&SQL_WORD) {
        return;
    }
    for m in src.find_iter(sink) {
        let s = m.start() + usize::from(src.code.as_bytes()[m.start()] == b'.');
        if !src.in_code(s) {
            continue;
        }
        let args: Vec<(usize, usize)> = if src.code[m.start()..m.end()].ends_with('=') {
            // C# `cmd.CommandText = ...;`
            let e = src.expr_end(m.end());
            vec![src.trim(m.end(), e)]
        } else {
            let (a, _) = src.args(m.end() - 1);
            a.into_iter().take(2).collect()
        };
        let end = src.args(m.end() - 1).1.min(src.code.len());
        for a in args {
            if tainted_sql(src, a, m.start()).is_some() {
                let end = if src.code[m.start()..m.end()].ends_with('=') {
                    a.1
                } else {
                    end + 1
                };
                hits.push(src.hit(
                    &SQL_INJECTION,
                    s,
                    end.min(src.code.len()),
                    "SQL built by concatenation, formatting or interpolation reaches a query call",
                ));
                break;
            }
        }
    }
}

/// Literals naming a shell.
fn is_shell_literal(src: &Src, r: (usize, usize)) -> bool {
    let t = src
        .slice(r)
        .trim_matches(|c| c == '"' || c == '\'' || c == '`' || c == '@');
    matches!(
        t,
        "sh" | "bash"
            | "/bin/sh"
            | "/bin/bash"
            | "zsh"
            | "cmd"
            | "cmd.exe"
            | "powershell"
            | "powershell.exe"
            | "pwsh"
            | "/usr/bin/env"
    )
}

/// Non-constant: dynamic, or an identifier not assigned only from literals.
fn non_constant(src: &Src, r: (usize, usize), at: usize) -> bool {
    if r.0 >= r.1 || src.is_literal(r) {
        return false;
    }
    if src.dynamic(r) {
        return true;
    }
    if let Some(var) = src.plain_ident(r) {
        if is_const(var) {
            return false;
        }
        let assigns = src.assignments(var, at);
        return assigns.is_empty() || assigns.iter().any(|&a| !src.is_literal(a));
    }
    // A call or member expression (`request.args["cmd"]`, `input()`).
    let t = src.slice(r);
    !(t.starts_with('[')
        || t.starts_with('{')
        || t.starts_with("new String[]")
        || t.starts_with("arrayOf")
        || t.starts_with("listOf")
        || t.starts_with("List.of"))
}

static CMD_SINKS: LazyLock<[(u8, Regex); 5]> = LazyLock::new(|| {
    [
        (
            PY,
            re(
                r"\bos\.(?:system|popen)\s*\(|\bsubprocess\.(?:run|call|Popen|check_output|check_call|getoutput|getstatusoutput)\s*\(|\bcommands\.getoutput\s*\(",
            ),
        ),
        (JAVA, re(r"\.exec\s*\(|\bProcessBuilder\s*\(")),
        (
            JS,
            re(
                r"(?:\b(?:child_process|cp|childProcess)\.|\b)(?:exec|execSync|spawn|spawnSync)\s*\(",
            ),
        ),
        (GO, re(r"\bexec\.Command(?:Context)?\s*\(")),
        (
            CS,
            re(r"\bProcess\.Start\s*\(|\bnew\s+ProcessStartInfo\s*\(|\bArguments\s*="),
        ),
    ]
});

fn command_injection(src: &Src, hits: &mut Vec<Hit>) {
    let Some((_, sink)) = CMD_SINKS.iter().find(|(f, _)| *f == src.fam) else {
        return;
    };
    for m in src.find_iter(sink) {
        let mut s = m.start();
        while s < m.end() && !is_word(src.code.as_bytes()[s]) && src.code.as_bytes()[s] != b'.' {
            s += 1;
        }
        if !src.in_code(s) {
            continue;
        }
        let name = &src.code[s..m.end()];
        if after_dot(&src.code, s) {
            continue;
        }
        if name.ends_with('=') {
            // C# `Arguments = "/c " + input` next to a shell FileName.
            let e = src.expr_end(m.end());
            let r = src.trim(m.end(), e);
            let win =
                &src.code[src.line_start(s).saturating_sub(400)..(e + 200).min(src.code.len())];
            let shell = [
                "cmd.exe",
                "\"cmd\"",
                "/bin/bash",
                "/bin/sh",
                "\"bash\"",
                "powershell",
            ]
            .iter()
            .any(|w| win.contains(w));
            if shell && src.dynamic(r) {
                hits.push(src.hit(
                    &COMMAND_INJECTION,
                    s,
                    r.1,
                    "shell arguments built from input",
                ));
            }
            continue;
        }
        let open = m.end() - 1;
        let (args, close) = src.args(open);
        let Some(&first) = args.first() else { continue };
        let call_text = &src.code[open..close.min(src.code.len())];
        let flagged = match src.fam {
            PY => {
                let always_shell = name.starts_with("os.")
                    || name.contains("getoutput")
                    || name.contains("getstatusoutput");
                let shell = always_shell
                    || call_text.contains("shell=True")
                    || call_text.contains("shell = True");
                shell && non_constant(src, first, s)
            }
            JAVA => {
                if name.starts_with(".exec") {
                    // Runtime.exec(String) tokenises without a shell, but a
                    // concatenated command still lets input add arguments;
                    // arrays are flagged only when they start a shell.
                    let ft = src.slice(first);
                    if ft.contains('{') || ft.starts_with("new String") || ft.starts_with("arrayOf")
                    {
                        let inner = src.args(s + src.code[s..].find('{').unwrap_or(0)).0;
                        let inner = if inner.is_empty() {
                            args.clone()
                        } else {
                            inner
                        };
                        inner.first().is_some_and(|&a| is_shell_literal(src, a))
                            && inner.iter().skip(1).any(|&a| src.dynamic(a))
                    } else {
                        (src.code.contains("Runtime") || src.code.contains("getRuntime"))
                            && src.dynamic(first)
                    }
                } else {
                    args.first().is_some_and(|&a| is_shell_literal(src, a))
                        && args.iter().skip(1).any(|&a| {
                            src.dynamic(a)
                                || (src.plain_ident(a).is_some() && non_constant(src, a, s))
                        })
                        || args.len() == 1 && src.dynamic(first)
                }
            }
            JS => {
                let imported = src.code.contains("child_process");
                let bare = !name.contains('.');
                if !imported && bare {
                    false
                } else if name.contains("spawn") {
                    (call_text.contains("shell: true") || call_text.contains("shell:true"))
                        && non_constant(src, first, s)
                } else {
                    non_constant(src, first, s)
                }
            }
            GO => {
                let mut a = args.clone();
                if name.contains("Context") && !a.is_empty() {
                    a.remove(0);
                }
                a.first().is_some_and(|&x| is_shell_literal(src, x))
                    && a.iter().skip(1).any(|&x| {
                        src.dynamic(x) || (src.plain_ident(x).is_some() && non_constant(src, x, s))
                    })
            }
            CS => {
                let shell = args.first().is_some_and(|&a| is_shell_literal(src, a));
                (shell && args.iter().skip(1).any(|&a| src.dynamic(a)))
                    || (args.len() == 1 && src.dynamic(first))
            }
            _ => false,
        };
        if flagged {
            hits.push(src.hit(
                &COMMAND_INJECTION,
                s,
                (close + 1).min(src.code.len()),
                "shell command built from non-constant input",
            ));
        }
    }
}

static PATH_SINKS: LazyLock<[(u8, Regex); 5]> = LazyLock::new(|| {
    [
        (
            PY,
            re(
                r"\b(?:open|send_file|FileResponse|Path)\s*\(|\bos\.(?:remove|unlink|listdir|path\.join)\s*\(|\bshutil\.(?:rmtree|copy|copyfile|move)\s*\(|\bio\.open\s*\(",
            ),
        ),
        (
            JAVA,
            re(
                r"\bnew\s+(?:File|FileInputStream|FileOutputStream|FileReader|FileWriter|RandomAccessFile)\s*\(|\bPaths\.get\s*\(|\bPath\.of\s*\(|\bFiles\.(?:readAllBytes|readString|newInputStream|newBufferedReader|write|delete|lines|readAllLines|copy)\s*\(",
            ),
        ),
        (
            JS,
            re(
                r"\bfs\.(?:readFile|readFileSync|createReadStream|writeFile|writeFileSync|unlink|unlinkSync|readdir|readdirSync|appendFile)\s*\(|\b(?:res|response|reply)\.(?:sendFile|download)\s*\(|\bpath\.(?:join|resolve)\s*\(",
            ),
        ),
        (
            GO,
            re(
                r"\bos\.(?:Open|OpenFile|ReadFile|Create|Remove|RemoveAll|WriteFile)\s*\(|\bioutil\.(?:ReadFile|WriteFile)\s*\(|\bhttp\.ServeFile\s*\(|\bfilepath\.Join\s*\(|\bc\.File\s*\(",
            ),
        ),
        (
            CS,
            re(
                r"\bFile\.(?:ReadAllText|ReadAllBytes|ReadAllLines|OpenRead|Open|WriteAllText|WriteAllBytes|Delete|Copy)\s*\(|\bPath\.Combine\s*\(|\bPhysicalFile\s*\(|\bnew\s+(?:FileStream|StreamReader|StreamWriter)\s*\(",
            ),
        ),
    ]
});

/// Spring and ASP.NET request-parameter annotations.
static REQUEST_ANNOTATION: LazyLock<Regex> =
    LazyLock::new(|| re(r"@RequestParam|@PathVariable|\[FromQuery\]|\[FromRoute\]"));

static PATH_SOURCES: LazyLock<[(u8, Regex); 5]> = LazyLock::new(|| {
    [
        (
            PY,
            re(
                r"\brequest\.(?:args|form|values|GET|POST|json|files|params|query_params|path_params|data|get_json|headers|cookies)\b",
            ),
        ),
        (
            JAVA,
            re(
                r"\.getParameter\s*\(|\.getHeader\s*\(|\.getPathInfo\s*\(|\.getOriginalFilename\s*\(",
            ),
        ),
        (
            JS,
            re(
                r"\b(?:req|request)\.(?:query|params|body|headers|cookies|file)\b|\bctx\.(?:query|params|request\.body)\b",
            ),
        ),
        (
            GO,
            re(
                r"\.URL\.Query\s*\(\s*\)|\.FormValue\s*\(|\.PostFormValue\s*\(|\bmux\.Vars\s*\(|\bc\.(?:Param|Query|PostForm|DefaultQuery)\s*\(|\.URL\.Path\b",
            ),
        ),
        (
            CS,
            re(r"\bRequest\.(?:Query|Form|QueryString|Params|RouteValues|Headers|Cookies)\b"),
        ),
    ]
});

/// Annotated request parameters (`@RequestParam String name`, `[FromQuery]
/// string name`).
fn annotated_param(src: &Src, var: &str, at: usize) -> bool {
    let fs = src.function_start(at, 60);
    let header_end = src.code[fs..at].find('{').map(|p| fs + p).unwrap_or(at);
    let header = &src.code[fs..header_end];
    [
        "@RequestParam",
        "@PathVariable",
        "@RequestHeader",
        "[FromQuery]",
        "[FromRoute]",
        "[FromForm]",
        "[FromHeader]",
    ]
    .iter()
    .any(|a| {
        header.match_indices(a).any(|(p, _)| {
            let rest = &header[p..];
            let seg = rest.find([',', ')']).map(|e| &rest[..e]).unwrap_or(rest);
            seg.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .any(|w| w == var)
        })
    })
}

const SANITIZERS: &[&str] = &[
    "basename",
    "secure_filename",
    "GetFileName",
    "filepath.Base",
    "path.Base",
    "getName()",
    "safe_join",
    "FilenameUtils.getName",
    "sanitize",
];

fn path_traversal(src: &Src, hits: &mut Vec<Hit>) {
    let Some((_, sink)) = PATH_SINKS.iter().find(|(f, _)| *f == src.fam) else {
        return;
    };
    let Some((_, source)) = PATH_SOURCES.iter().find(|(f, _)| *f == src.fam) else {
        return;
    };
    let has_source_somewhere = src.is_match(source) || src.is_match(&REQUEST_ANNOTATION);
    if !has_source_somewhere {
        return;
    }
    for m in src.find_iter(sink) {
        let mut s = m.start();
        while s < m.end() && !is_word(src.code.as_bytes()[s]) {
            s += 1;
        }
        if !src.in_code(s)
            || (src.fam == PY && after_dot(&src.code, s) && !src.code[s..].starts_with("os."))
        {
            continue;
        }
        let open = m.end() - 1;
        let (args, close) = src.args(open);
        let tainted = args.iter().any(|&a| {
            let t = src.slice(a);
            if SANITIZERS.iter().any(|z| t.contains(z)) {
                return false;
            }
            if source.is_match(t) {
                return true;
            }
            // Variables in the argument assigned from a request source.
            src.idents(a)
                .iter()
                .filter(|&&(_, _, member)| !member)
                .any(|&(x, y, _)| {
                    let var = &src.code[x..y];
                    if annotated_param(src, var, s) {
                        return true;
                    }
                    let assigns = src.assignments(var, s);
                    !assigns.is_empty()
                        && assigns.iter().any(|&r| {
                            let t = src.slice(r);
                            source.is_match(t) && !SANITIZERS.iter().any(|z| t.contains(z))
                        })
                        && !assigns
                            .iter()
                            .any(|&r| SANITIZERS.iter().any(|z| src.slice(r).contains(z)))
                })
        });
        if tainted {
            hits.push(src.hit(
                &PATH_TRAVERSAL,
                s,
                (close + 1).min(src.code.len()),
                "request input used as a file path without reducing it to a file name",
            ));
        }
    }
}

static EVAL_SINKS: LazyLock<[(u8, Regex); 3]> = LazyLock::new(|| {
    [
        (PY, re(r"\b(?:eval|exec)\s*\(")),
        (
            JS,
            re(
                r"\beval\s*\(|\bnew\s+Function\s*\(|\bvm\.(?:runInNewContext|runInThisContext|runInContext|compileFunction)\s*\(",
            ),
        ),
        (
            CS,
            re(r"\bCSharpScript\.(?:EvaluateAsync|RunAsync|Create)\s*\("),
        ),
    ]
});
static JAVA_EVAL: LazyLock<Regex> = LazyLock::new(|| re(r"\.eval\s*\(|\.parseExpression\s*\("));

fn eval_injection(src: &Src, hits: &mut Vec<Hit>) {
    let sink: &Regex = match src.fam {
        JAVA => {
            if !(src.code.contains("ScriptEngine") || src.code.contains("ExpressionParser")) {
                return;
            }
            &JAVA_EVAL
        }
        f => match EVAL_SINKS.iter().find(|(x, _)| *x == f) {
            Some((_, r)) => r,
            None => return,
        },
    };
    for m in src.find_iter(sink) {
        let mut s = m.start();
        while s < m.end() && !is_word(src.code.as_bytes()[s]) && src.code.as_bytes()[s] != b'.' {
            s += 1;
        }
        if !src.in_code(s)
            || (src.fam != JAVA && after_dot(&src.code, s) && !src.code[s..].starts_with("vm."))
        {
            continue;
        }
        let open = m.end() - 1;
        let (args, close) = src.args(open);
        // new Function(a, b, body): the body is the last argument.
        let target = if src.code[s..open].contains("Function") {
            args.last()
        } else {
            args.first()
        };
        let Some(&a) = target else { continue };
        if non_constant(src, a, s) {
            hits.push(src.hit(
                &EVAL_INJECTION,
                s,
                (close + 1).min(src.code.len()),
                "code evaluated from a non-constant string",
            ));
        }
    }
}

pub fn scan(src: &Src, hits: &mut Vec<Hit>) {
    let c = &src.code;
    if c.contains('(') {
        sql_injection(src, hits);
        command_injection(src, hits);
        path_traversal(src, hits);
        if c.contains("eval")
            || c.contains("exec")
            || c.contains("Function")
            || c.contains("vm.")
            || c.contains("CSharpScript")
            || c.contains("parseExpression")
        {
            eval_injection(src, hits);
        }
    }
}

/// The full-text regexes of this module, for the gate (`super::GATE`).
pub(super) fn gated() -> Vec<&'static Regex> {
    let mut v: Vec<&'static Regex> = vec![&SQL_WORD, &JAVA_EVAL, &REQUEST_ANNOTATION];
    for table in [&*SQL_SINKS, &*CMD_SINKS, &*PATH_SINKS, &*PATH_SOURCES] {
        v.extend(table.iter().map(|(_, r)| r));
    }
    v.extend(EVAL_SINKS.iter().map(|(_, r)| r));
    v
}

#[cfg(test)]
mod tests {
    use crate::code::testutil::rules_in;

    #[test]
    fn flow_cases() {
        let cases: &[(&str, &str, &str)] = &[
            // SQL injection
            (
                "a.py",
                "cursor.execute(\"SELECT * FROM users WHERE name = '\" + name + \"'\")",
                "sql-injection",
            ),
            (
                "a.py",
                "cursor.execute(\"SELECT * FROM users WHERE name = %s\", (name,))",
                "",
            ),
            (
                "a.py",
                "cursor.execute(f\"SELECT * FROM users WHERE id = {uid}\")",
                "sql-injection",
            ),
            (
                "a.py",
                "cursor.execute(\"SELECT * FROM users WHERE id = %s\" % uid)",
                "sql-injection",
            ),
            (
                "a.py",
                "cursor.execute(\"SELECT * FROM users WHERE id = {}\".format(uid))",
                "sql-injection",
            ),
            (
                "a.py",
                "def f(uid):\n    q = \"SELECT * FROM accounts WHERE id = \" + uid\n    cursor.execute(q)\n",
                "sql-injection",
            ),
            (
                "a.py",
                "def f(uid):\n    q = \"SELECT * FROM accounts WHERE id = %s\"\n    cursor.execute(q, (uid,))\n",
                "",
            ),
            (
                "a.py",
                "cursor.execute(\"SELECT * FROM \" + TABLE + \" WHERE id = %s\", (uid,))",
                "",
            ),
            (
                "a.py",
                "# cursor.execute(\"SELECT * FROM t WHERE a = \" + x)",
                "",
            ),
            (
                "A.java",
                "ResultSet rs = stmt.executeQuery(\"SELECT * FROM accounts WHERE owner = '\" + owner + \"'\");",
                "sql-injection",
            ),
            (
                "A.java",
                "PreparedStatement ps = conn.prepareStatement(\"SELECT * FROM accounts WHERE owner = ?\");",
                "",
            ),
            (
                "A.java",
                "String sql = String.format(\"DELETE FROM cards WHERE id = %s\", id);\nstmt.executeUpdate(sql);",
                "sql-injection",
            ),
            (
                "A.kt",
                "val rs = stmt.executeQuery(\"SELECT * FROM t WHERE id = $id\")",
                "sql-injection",
            ),
            (
                "a.js",
                "db.query(`SELECT * FROM users WHERE id = ${req.params.id}`);",
                "sql-injection",
            ),
            (
                "a.js",
                "db.query('SELECT * FROM users WHERE id = $1', [req.params.id]);",
                "",
            ),
            (
                "a.js",
                "const rows = await sql`SELECT * FROM users WHERE id = ${id}`;",
                "",
            ),
            (
                "a.go",
                "rows, err := db.Query(\"SELECT * FROM users WHERE name = '\" + name + \"'\")",
                "sql-injection",
            ),
            (
                "a.go",
                "q := fmt.Sprintf(\"SELECT * FROM users WHERE id = %s\", id)\nrows, err := db.Query(q)",
                "sql-injection",
            ),
            (
                "a.go",
                "rows, err := db.QueryContext(ctx, \"SELECT * FROM users WHERE id = $1\", id)",
                "",
            ),
            (
                "A.cs",
                "var cmd = new SqlCommand(\"SELECT * FROM Accounts WHERE Id = \" + id, conn);",
                "sql-injection",
            ),
            (
                "A.cs",
                "var cmd = new SqlCommand($\"SELECT * FROM Accounts WHERE Id = {id}\", conn);",
                "sql-injection",
            ),
            (
                "A.cs",
                "var cmd = new SqlCommand(\"SELECT * FROM Accounts WHERE Id = @id\", conn);",
                "",
            ),
            // command injection
            (
                "a.py",
                "os.system(\"ping -c 1 \" + host)",
                "command-injection",
            ),
            ("a.py", "os.system(\"ls -l\")", ""),
            (
                "a.py",
                "subprocess.run(f\"tar czf {name}.tgz data\", shell=True)",
                "command-injection",
            ),
            (
                "a.py",
                "subprocess.run([\"tar\", \"czf\", name, \"data\"])",
                "",
            ),
            (
                "A.java",
                "Runtime.getRuntime().exec(\"ping \" + host);",
                "command-injection",
            ),
            (
                "A.java",
                "Runtime.getRuntime().exec(new String[]{\"ping\", host});",
                "",
            ),
            (
                "A.java",
                "new ProcessBuilder(\"sh\", \"-c\", \"ping \" + host).start();",
                "command-injection",
            ),
            (
                "a.js",
                "const { exec } = require('child_process');\nexec('ping ' + host, cb);",
                "command-injection",
            ),
            (
                "a.js",
                "const { execFile } = require('child_process');\nexecFile('ping', [host], cb);",
                "",
            ),
            ("a.js", "const m = /a(b)/.exec(str);", ""),
            (
                "a.go",
                "out, _ := exec.Command(\"sh\", \"-c\", \"ping \"+host).Output()",
                "command-injection",
            ),
            (
                "a.go",
                "out, _ := exec.Command(\"ping\", host).Output()",
                "",
            ),
            (
                "A.cs",
                "Process.Start(\"cmd.exe\", \"/c ping \" + host);",
                "command-injection",
            ),
            ("A.cs", "Process.Start(\"ping\", \"localhost\");", ""),
            // path traversal
            (
                "a.py",
                "name = request.args.get('file')\nreturn send_file(os.path.join(BASE, name))",
                "path-traversal",
            ),
            (
                "a.py",
                "name = secure_filename(request.args.get('file'))\nreturn send_file(os.path.join(BASE, name))",
                "",
            ),
            (
                "a.js",
                "fs.readFile(path.join(__dirname, req.query.file), cb);",
                "path-traversal",
            ),
            (
                "a.js",
                "fs.readFile(path.join(__dirname, path.basename(req.query.file)), cb);",
                "",
            ),
            (
                "a.go",
                "name := r.URL.Query().Get(\"f\")\ndata, _ := os.ReadFile(filepath.Join(base, name))",
                "path-traversal",
            ),
            (
                "a.go",
                "name := filepath.Base(r.URL.Query().Get(\"f\"))\ndata, _ := os.ReadFile(filepath.Join(base, name))",
                "",
            ),
            (
                "A.java",
                "String f = request.getParameter(\"f\");\nFile file = new File(BASE, f);",
                "path-traversal",
            ),
            (
                "A.cs",
                "var p = Path.Combine(root, Request.Query[\"f\"]);\nvar bytes = File.ReadAllBytes(p);",
                "path-traversal",
            ),
            // eval
            (
                "a.py",
                "result = eval(request.args['expr'])",
                "eval-injection",
            ),
            ("a.py", "result = ast.literal_eval(text)", ""),
            ("a.py", "model.eval()", ""),
            ("a.js", "const r = eval(req.body.expr);", "eval-injection"),
            (
                "a.js",
                "const f = new Function('a', 'b', 'return a + b');",
                "",
            ),
            (
                "A.cs",
                "var r = await CSharpScript.EvaluateAsync(code);",
                "eval-injection",
            ),
        ];
        let mut failures = Vec::new();
        for (path, code, want) in cases {
            let got = rules_in(path, code);
            let ok = if want.is_empty() {
                got.is_empty()
            } else {
                got.contains(want)
            };
            if !ok {
                failures.push(format!("{path}: {code:?} want {want:?} got {got:?}"));
            }
        }
        assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    }
}
