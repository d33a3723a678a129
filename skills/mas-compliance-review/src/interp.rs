//! Code passed to interpreters (`python -c`, `node -e`, `perl -e`,
//! `ruby -e`, `php -r`, heredocs into them) translated into the shell
//! commands it would run, so the command rules see it.
//!
//! This is not a parser of those languages. It looks for the calls that
//! matter — process spawning (`os.system`, `subprocess.*`,
//! `child_process.exec*`, `system`, backticks, `qx{}`, `%x()`) and file
//! deletes, reads and writes (`shutil.rmtree`, `fs.rmSync`, `open`,
//! `File.read`, ...) — reads their first literal argument and emits an
//! equivalent shell line: the spawned command itself, `rm -rf PATH`,
//! `cat PATH` or `: > PATH`. Non-literal arguments are followed only as far
//! as the first string literal inside them (`open(os.path.expanduser('~/x'))`).
//! The output is bounded by the input size.

use crate::util::shell_quote;
use kiro_guard_skill::scan::{matching_close, skip_quoted};

/// Interpreter families whose inline code is translated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Python,
    Node,
    Perl,
    Ruby,
    Php,
    PowerShell,
    /// awk and its variants: `system("…")` runs a shell command.
    Awk,
}

/// The language of an interpreter program name.
pub fn lang_of(name: &str) -> Option<Lang> {
    let n = name.to_ascii_lowercase();
    if n.starts_with("python") || n == "pypy" || n == "pypy3" || n == "py" {
        return Some(Lang::Python);
    }
    match n.as_str() {
        "node" | "nodejs" | "deno" | "bun" => Some(Lang::Node),
        "perl" | "perl5" => Some(Lang::Perl),
        "ruby" | "jruby" => Some(Lang::Ruby),
        "php" => Some(Lang::Php),
        "awk" | "gawk" | "mawk" | "nawk" => Some(Lang::Awk),
        "pwsh" | "powershell" => Some(Lang::PowerShell),
        _ => None,
    }
}

/// The inline program of an interpreter invocation (`-c CODE`, `-e CODE`,
/// `--eval CODE`, `-Command CODE`, `deno eval CODE`), if any.
pub fn inline_code(lang: Lang, args: &[String]) -> Option<String> {
    if lang == Lang::Awk {
        // The program is the first operand, unless `-f FILE` gives it.
        let mut i = 0;
        while i < args.len() {
            let a = args[i].as_str();
            match a {
                "-f" | "--file" => return None,
                "-F" | "-v" | "--assign" | "--field-separator" => i += 2,
                "-e" | "--source" => return args.get(i + 1).cloned(),
                "--" => return args.get(i + 1).cloned(),
                _ if a.starts_with('-') && a.len() > 1 => i += 1,
                _ => return Some(a.to_string()),
            }
        }
        return None;
    }
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        let l = a.to_ascii_lowercase();
        let flag = match lang {
            Lang::Python => a == "-c",
            Lang::Node => matches!(a, "-e" | "--eval" | "-p" | "--print" | "eval"),
            Lang::Perl => {
                a == "-e"
                    || a == "-E"
                    || (a.starts_with('-') && a.ends_with('e') && !a.starts_with("--"))
            }
            Lang::Ruby => a == "-e",
            Lang::Php => a == "-r",
            Lang::Awk => false,
            Lang::PowerShell => {
                matches!(
                    l.as_str(),
                    "-c" | "-command" | "/c" | "-com" | "-comm" | "-comma" | "-comman"
                )
            }
        };
        if flag {
            return match lang {
                // PowerShell takes the rest of the line as the command
                Lang::PowerShell => Some(args[i + 1..].join(" ")).filter(|s| !s.is_empty()),
                _ => args.get(i + 1).cloned(),
            };
        }
        if lang == Lang::Python && matches!(a, "-W" | "-X") {
            i += 2;
            continue;
        }
        if lang == Lang::PowerShell && matches!(l.as_str(), "-file" | "-f") {
            return None;
        }
        if lang == Lang::PowerShell
            && matches!(
                l.as_str(),
                "-executionpolicy"
                    | "-ep"
                    | "-ex"
                    | "-windowstyle"
                    | "-w"
                    | "-workingdirectory"
                    | "-wd"
                    | "-configurationname"
                    | "-settingsfile"
                    | "-inputformat"
                    | "-outputformat"
                    | "-of"
                    | "-if"
                    | "-version"
                    | "-psconsolefile"
            )
        {
            i += 2;
            continue;
        }
        if lang == Lang::Python && a.starts_with("-c") && a.len() > 2 {
            return Some(a[2..].to_string());
        }
        if lang == Lang::Python && (a == "-m" || !a.starts_with('-')) {
            return None;
        }
        if lang == Lang::PowerShell
            && (l == "-encodedcommand" || l == "-enc" || l == "-e" || l == "-ec")
        {
            return args.get(i + 1).and_then(|b| decode_utf16_base64(b));
        }
        if lang == Lang::PowerShell && !a.starts_with('-') {
            // `pwsh "cmd"` without -Command: the command is the rest
            return Some(args[i..].join(" "));
        }
        i += 1;
    }
    None
}

/// Whether an interpreter invocation reads its program from stdin.
pub fn reads_program_from_stdin(lang: Lang, args: &[String]) -> bool {
    if lang == Lang::Awk {
        return false;
    }
    let mut it = args.iter().filter(|a| {
        !matches!(
            a.as_str(),
            "-u" | "-q"
                | "-s"
                | "-B"
                | "-E"
                | "-I"
                | "-S"
                | "-W"
                | "-w"
                | "-NoProfile"
                | "-NonInteractive"
        )
    });
    match it.next() {
        None => lang != Lang::PowerShell,
        Some(a) => {
            a == "-"
                || (lang == Lang::PowerShell
                    && a.eq_ignore_ascii_case("-command")
                    && it.next().is_some_and(|x| x == "-"))
        }
    }
}

fn decode_utf16_base64(b: &str) -> Option<String> {
    let bytes = kiro_guard_skill::evasion::base64_decode(b, 64 * 1024)?;
    let units: Vec<u16> = bytes
        .chunks(2)
        .map(|c| u16::from_le_bytes([c[0], *c.get(1).unwrap_or(&0)]))
        .collect();
    Some(String::from_utf16_lossy(&units))
}

/// What a call does with its first argument.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Act {
    /// The argument is a shell command line (or an argv list).
    Spawn,
    /// The argument is an argv list or program and the rest (`spawn('rm', [...])`).
    SpawnArgv,
    /// Recursive delete of a path.
    RmTree,
    /// Delete of one file.
    Rm,
    /// Read of a path.
    Read,
    /// Write of a path.
    Write,
    /// `open(path, mode)`: read or write by mode.
    Open,
}

const PY: &[(&str, Act)] = &[
    ("os.system", Act::Spawn),
    ("system", Act::Spawn),
    ("os.popen", Act::Spawn),
    ("subprocess.run", Act::Spawn),
    ("subprocess.call", Act::Spawn),
    ("subprocess.check_call", Act::Spawn),
    ("subprocess.check_output", Act::Spawn),
    ("subprocess.Popen", Act::Spawn),
    ("subprocess.getoutput", Act::Spawn),
    ("subprocess.getstatusoutput", Act::Spawn),
    ("commands.getoutput", Act::Spawn),
    ("pty.spawn", Act::Spawn),
    ("os.execvp", Act::SpawnArgv),
    ("os.execv", Act::SpawnArgv),
    ("os.spawnvp", Act::SpawnArgv),
    ("shutil.rmtree", Act::RmTree),
    ("os.removedirs", Act::RmTree),
    ("os.remove", Act::Rm),
    ("os.unlink", Act::Rm),
    ("os.rmdir", Act::Rm),
    ("shutil.copy", Act::Read),
    ("shutil.copyfile", Act::Read),
    ("shutil.copytree", Act::Read),
    ("shutil.make_archive", Act::Read),
    ("open", Act::Open),
    ("io.open", Act::Open),
    ("Path", Act::Open),
];

const NODE: &[(&str, Act)] = &[
    ("execSync", Act::Spawn),
    ("exec", Act::Spawn),
    ("execFileSync", Act::SpawnArgv),
    ("execFile", Act::SpawnArgv),
    ("spawnSync", Act::SpawnArgv),
    ("spawn", Act::SpawnArgv),
    ("Deno.Command", Act::SpawnArgv),
    ("Bun.spawn", Act::Spawn),
    ("rmSync", Act::RmTree),
    ("rmdirSync", Act::RmTree),
    ("rm", Act::RmTree),
    ("rmdir", Act::RmTree),
    ("removeSync", Act::RmTree),
    ("remove", Act::RmTree),
    ("rimraf", Act::RmTree),
    ("unlinkSync", Act::Rm),
    ("unlink", Act::Rm),
    ("readFileSync", Act::Read),
    ("readFile", Act::Read),
    ("createReadStream", Act::Read),
    ("copyFileSync", Act::Read),
    ("cpSync", Act::Read),
    ("Deno.readTextFile", Act::Read),
    ("Bun.file", Act::Read),
    ("writeFileSync", Act::Write),
    ("writeFile", Act::Write),
    ("appendFileSync", Act::Write),
    ("createWriteStream", Act::Write),
];

const PERL: &[(&str, Act)] = &[
    ("system", Act::Spawn),
    ("exec", Act::Spawn),
    ("qx", Act::Spawn),
    ("rmtree", Act::RmTree),
    ("remove_tree", Act::RmTree),
    ("unlink", Act::Rm),
    ("open", Act::Open),
];

const RUBY: &[(&str, Act)] = &[
    ("system", Act::Spawn),
    ("exec", Act::Spawn),
    ("spawn", Act::Spawn),
    ("IO.popen", Act::Spawn),
    ("Open3.capture2", Act::Spawn),
    ("Open3.capture2e", Act::Spawn),
    ("Open3.capture3", Act::Spawn),
    ("Open3.popen3", Act::Spawn),
    ("FileUtils.rm_rf", Act::RmTree),
    ("FileUtils.rm_r", Act::RmTree),
    ("FileUtils.remove_dir", Act::RmTree),
    ("FileUtils.rm", Act::Rm),
    ("File.delete", Act::Rm),
    ("File.unlink", Act::Rm),
    ("File.read", Act::Read),
    ("IO.read", Act::Read),
    ("File.readlines", Act::Read),
    ("File.write", Act::Write),
    ("File.open", Act::Open),
];

const AWK: &[(&str, Act)] = &[("system", Act::Spawn)];

const PHP: &[(&str, Act)] = &[
    ("system", Act::Spawn),
    ("exec", Act::Spawn),
    ("shell_exec", Act::Spawn),
    ("passthru", Act::Spawn),
    ("popen", Act::Spawn),
    ("proc_open", Act::Spawn),
    ("unlink", Act::Rm),
    ("rmdir", Act::Rm),
    ("file_get_contents", Act::Read),
    ("readfile", Act::Read),
    ("file", Act::Read),
    ("file_put_contents", Act::Write),
    ("fopen", Act::Open),
];

/// Largest code translated; longer code is cut.
const MAX_CODE: usize = 64 * 1024;
/// Most calls translated from one program.
const MAX_CALLS: usize = 256;

/// Translate inline interpreter code into the shell commands it runs.
/// PowerShell is returned as is (its commands read like shell commands, with
/// `\` turned into `/` so Windows paths survive the shell lexer).
pub fn to_shell(lang: Lang, code: &str) -> String {
    let code = &code[..kiro_guard_skill::text::floor_char_boundary(code, MAX_CODE)];
    if lang == Lang::PowerShell {
        return powershell_to_shell(code);
    }
    let table = match lang {
        Lang::Python => PY,
        Lang::Node => NODE,
        Lang::Perl => PERL,
        Lang::Ruby => RUBY,
        Lang::Php => PHP,
        Lang::PowerShell => &[],
        Lang::Awk => AWK,
    };
    let b = code.as_bytes();
    let mut out = String::new();
    let mut calls = 0;
    let mut i = 0;
    while i < b.len() && calls < MAX_CALLS {
        let c = b[i];
        // backticks / %x() / qx{} run a shell command in perl, ruby and php
        if matches!(lang, Lang::Perl | Lang::Ruby | Lang::Php)
            && c == b'`'
            && let Some(end) = code[i + 1..].find('`')
        {
            {
                out.push_str(&code[i + 1..i + 1 + end]);
                out.push('\n');
                calls += 1;
                i += end + 2;
                continue;
            }
        }
        if lang == Lang::Ruby
            && c == b'%'
            && b.get(i + 1) == Some(&b'x')
            && let Some((inner, next)) = delimited(code, i + 2)
        {
            {
                out.push_str(&inner);
                out.push('\n');
                calls += 1;
                i = next;
                continue;
            }
        }
        if lang == Lang::Perl
            && c == b'q'
            && b.get(i + 1) == Some(&b'x')
            && !prev_ident(b, i)
            && let Some((inner, next)) = delimited(code, i + 2)
        {
            out.push_str(&inner);
            out.push('\n');
            calls += 1;
            i = next;
            continue;
        }
        // string literals are skipped whole (a call name inside a string is text)
        if matches!(c, b'\'' | b'"') || (c == b'`' && lang == Lang::Node) {
            i = skip_quoted(b, i);
            continue;
        }
        if c == b'#' && matches!(lang, Lang::Python | Lang::Ruby | Lang::Perl) {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        if (c.is_ascii_alphabetic() || c == b'_') && !prev_ident(b, i) {
            let mut j = i;
            while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_' || b[j] == b'.') {
                j += 1;
            }
            let ident = &code[i..j];
            if let Some(act) = lookup(table, ident) {
                let mut k = j;
                while k < b.len() && b[k] == b' ' {
                    k += 1;
                }
                let paren = b.get(k) == Some(&b'(');
                // perl/ruby/php: `system "cmd"` without parentheses
                let bare = !paren
                    && matches!(lang, Lang::Perl | Lang::Ruby)
                    && k > j
                    && matches!(b.get(k), Some(b'\'' | b'"'));
                if paren || bare {
                    let start = if paren { k + 1 } else { k };
                    let end = if paren {
                        matching_close(b, k)
                    } else {
                        line_end(b, k)
                    };
                    let args = split_args(&code[start..end.max(start)]);
                    if let Some(line) = translate(lang, ident, act, &args) {
                        out.push_str(&line);
                        out.push('\n');
                        calls += 1;
                    }
                    i = start;
                    continue;
                }
            }
            i = j.max(i + 1);
            continue;
        }
        i += code[i..].chars().next().map(char::len_utf8).unwrap_or(1);
    }
    out
}

fn prev_ident(b: &[u8], i: usize) -> bool {
    i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_' || b[i - 1] == b'$')
}

fn lookup(table: &[(&str, Act)], ident: &str) -> Option<Act> {
    // exact, or a member call ending with the name (`cp.execSync`, `fs.rmSync`,
    // `require('child_process').exec` is `.exec` after a `)`)
    table
        .iter()
        .find(|(n, _)| *n == ident)
        .or_else(|| {
            table.iter().find(|(n, _)| {
                !n.contains('.')
                    && ident.len() > n.len()
                    && ident.ends_with(n)
                    && ident.as_bytes()[ident.len() - n.len() - 1] == b'.'
                    && *n != "open"
                    && *n != "file"
            })
        })
        .map(|(_, a)| *a)
        .or_else(|| {
            // `.exec(` reached through a `)` or `]`: the ident starts with '.'
            ident
                .strip_prefix('.')
                .and_then(|rest| table.iter().find(|(n, _)| *n == rest).map(|(_, a)| *a))
        })
}

fn line_end(b: &[u8], from: usize) -> usize {
    let mut j = from;
    while j < b.len() && !matches!(b[j], b'\n' | b';') {
        if matches!(b[j], b'\'' | b'"') {
            j = skip_quoted(b, j);
            continue;
        }
        j += 1;
    }
    j.min(b.len())
}

/// `qx{...}` / `%x(...)`: the text between a bracket pair or repeated delimiter.
fn delimited(code: &str, at: usize) -> Option<(String, usize)> {
    let b = code.as_bytes();
    let open = *b.get(at)?;
    let close = match open {
        b'(' => b')',
        b'{' => b'}',
        b'[' => b']',
        b'<' => b'>',
        c if c.is_ascii_punctuation() => c,
        _ => return None,
    };
    let end = code[at + 1..].bytes().position(|c| c == close)? + at + 1;
    Some((code[at + 1..end].to_string(), end + 1))
}

/// Top-level comma-separated arguments (raw text).
fn split_args(s: &str) -> Vec<&str> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    let mut j = 0;
    while j < b.len() {
        match b[j] {
            b'\'' | b'"' | b'`' => {
                j = skip_quoted(b, j);
                continue;
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            b',' if depth == 0 => {
                out.push(s[start..j].trim());
                start = j + 1;
            }
            _ => {}
        }
        j += 1;
    }
    if start < s.len() && !s[start..].trim().is_empty() {
        out.push(s[start..].trim());
    }
    out
}

/// Decode a string literal at the start of `s` (Python prefixes r/b/f/u,
/// triple quotes, JS template strings); None when `s` is no literal.
fn literal(s: &str) -> Option<String> {
    let s = s.trim_start();
    let b = s.as_bytes();
    let mut i = 0;
    let mut raw = false;
    while i < b.len().min(3) && matches!(b[i].to_ascii_lowercase(), b'r' | b'b' | b'f' | b'u') {
        raw |= b[i].eq_ignore_ascii_case(&b'r');
        i += 1;
    }
    let q = *b.get(i)?;
    if !matches!(q, b'\'' | b'"' | b'`') {
        return None;
    }
    let end = skip_quoted(b, i);
    let triple = b.get(i + 1) == Some(&q) && b.get(i + 2) == Some(&q) && end >= i + 6;
    let (a, z) = if triple {
        (i + 3, end.saturating_sub(3))
    } else {
        (i + 1, end.saturating_sub(1))
    };
    let body = s.get(a..z.max(a))?;
    if raw {
        return Some(body.to_string());
    }
    let mut out = String::new();
    let mut it = body.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(x @ ('\\' | '\'' | '"' | '`' | '$')) => out.push(x),
                Some(x) => {
                    out.push('\\');
                    out.push(x);
                }
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    Some(out)
}

/// The first string literal anywhere in an argument
/// (`os.path.expanduser('~/.aws/credentials')`).
fn first_literal(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let p = b.iter().position(|c| matches!(c, b'\'' | b'"' | b'`'))?;
    literal(&s[p..])
}

/// A list literal of strings (`['rm', '-rf', '/']`) as argv.
fn list_literal(s: &str) -> Option<Vec<String>> {
    let s = s.trim();
    let inner = s.strip_prefix('[')?.strip_suffix(']')?;
    let items: Vec<String> = split_args(inner).into_iter().filter_map(literal).collect();
    (!items.is_empty()).then_some(items)
}

fn join_argv(v: &[String]) -> String {
    v.iter()
        .map(|w| shell_quote(w))
        .collect::<Vec<_>>()
        .join(" ")
}

fn translate(lang: Lang, ident: &str, act: Act, args: &[&str]) -> Option<String> {
    let first = *args.first()?;
    let path = || literal(first).or_else(|| first_literal(first));
    match act {
        Act::Spawn => {
            if let Some(v) = list_literal(first) {
                return Some(join_argv(&v));
            }
            // perl/ruby `system('rm', '-rf', '/')`: several literal args are argv
            if args.len() > 1 && matches!(lang, Lang::Perl | Lang::Ruby) {
                let v: Vec<String> = args.iter().filter_map(|a| literal(a)).collect();
                if v.len() == args.len() {
                    return Some(join_argv(&v));
                }
            }
            literal(first)
        }
        Act::SpawnArgv => {
            if let Some(v) = list_literal(first) {
                return Some(join_argv(&v));
            }
            let prog = literal(first)?;
            let mut v = vec![prog];
            if let Some(rest) = args.get(1).and_then(|a| list_literal(a)) {
                // `os.execvp('rm', ['rm', '-rf', '/'])`: the list repeats argv[0]
                let skip = usize::from(rest.first() == v.first() && ident.starts_with("os."));
                v.extend(rest.into_iter().skip(skip));
            }
            Some(join_argv(&v))
        }
        Act::RmTree => Some(format!("rm -rf {}", shell_quote(&path()?))),
        Act::Rm => Some(format!("rm -f {}", shell_quote(&path()?))),
        Act::Read => Some(format!("cat {}", shell_quote(&path()?))),
        Act::Write => Some(format!(": > {}", shell_quote(&path()?))),
        Act::Open => {
            let p = path()?;
            // perl: open(FH, '<', path) / open(FH, ">path")
            if lang == Lang::Perl {
                let lits: Vec<String> = args.iter().skip(1).filter_map(|a| literal(a)).collect();
                let (mode, target) = match lits.as_slice() {
                    [m, t, ..] => (m.clone(), t.clone()),
                    [one] => {
                        let m: String = one.chars().take_while(|c| "<>+|".contains(*c)).collect();
                        (m.clone(), one[m.len()..].trim().to_string())
                    }
                    [] => return None,
                };
                return Some(if mode.contains('>') {
                    format!(": > {}", shell_quote(&target))
                } else {
                    format!("cat {}", shell_quote(&target))
                });
            }
            if ident == "Path" {
                return Some(format!("cat {}", shell_quote(&p)));
            }
            let mode = args.get(1).and_then(|a| literal(a)).unwrap_or_default();
            Some(if mode.contains(['w', 'a', 'x', '+']) {
                format!(": > {}", shell_quote(&p))
            } else {
                format!("cat {}", shell_quote(&p))
            })
        }
    }
}

/// PowerShell text for the shell parser: `\` becomes `/` (Windows paths), the
/// backtick escape is dropped, and common aliases keep their names.
pub fn powershell_to_shell(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut it = code.chars().peekable();
    while let Some(c) = it.next() {
        match c {
            '\\' => out.push('/'),
            '`' => {
                if let Some(n) = it.next() {
                    out.push(if n == '\n' { ' ' } else { n });
                }
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn py(code: &str) -> String {
        to_shell(Lang::Python, code)
    }

    #[test]
    fn true_samples() {
        assert_eq!(py("import os; os.system('rm -rf /')").trim(), "rm -rf /");
        assert_eq!(
            py("import subprocess; subprocess.run(['git', 'push', '--force'])").trim(),
            "git push --force"
        );
        assert_eq!(py("import shutil; shutil.rmtree('/')").trim(), "rm -rf /");
        assert_eq!(
            py("print(open('/root/.aws/credentials').read())").trim(),
            "cat /root/.aws/credentials"
        );
        assert_eq!(
            py("open(os.path.expanduser('~/.ssh/id_rsa')).read()").trim(),
            "cat ~/.ssh/id_rsa"
        );
        assert_eq!(
            to_shell(
                Lang::Node,
                "require('child_process').execSync('git push -f origin main')"
            )
            .trim(),
            "git push -f origin main"
        );
        assert_eq!(
            to_shell(Lang::Node, "require('fs').rmSync('/', {recursive: true})").trim(),
            "rm -rf /"
        );
        assert_eq!(
            to_shell(
                Lang::Node,
                "const {spawnSync}=require('child_process'); spawnSync('rm', ['-rf', '/'])"
            )
            .trim(),
            "rm -rf /"
        );
        assert_eq!(to_shell(Lang::Perl, "system 'rm -rf /'").trim(), "rm -rf /");
        assert_eq!(to_shell(Lang::Perl, "print `rm -rf ~`").trim(), "rm -rf ~");
        assert_eq!(
            to_shell(Lang::Perl, "qx{git push -f}").trim(),
            "git push -f"
        );
        assert_eq!(
            to_shell(Lang::Ruby, "system('rm', '-rf', '/')").trim(),
            "rm -rf /"
        );
        assert_eq!(to_shell(Lang::Ruby, "%x(rm -rf /)").trim(), "rm -rf /");
        assert_eq!(
            to_shell(Lang::Php, "shell_exec(\"rm -rf /\");").trim(),
            "rm -rf /"
        );
        assert_eq!(
            py("f = open('.git/hooks/pre-commit', 'w')").trim(),
            ": > .git/hooks/pre-commit"
        );
    }

    #[test]
    fn hard_negatives() {
        assert_eq!(py("print(1)"), "");
        assert_eq!(py("print('os.system(\"rm -rf /\")')"), "");
        assert_eq!(py("import json,sys; json.load(sys.stdin)"), "");
        assert_eq!(to_shell(Lang::Node, "console.log(process.version)"), "");
        assert_eq!(to_shell(Lang::Node, "/x/.exec('abc')").trim(), "abc");
        assert_eq!(to_shell(Lang::Perl, "print \"hello\\n\""), "");
        assert_eq!(py("# os.system('rm -rf /')\nprint(2)"), "");
        // a regex's exec is text, not a shell
        assert!(!to_shell(Lang::Node, "re.exec(s)").contains("rm"));
    }

    #[test]
    fn inline_code_flags() {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            inline_code(Lang::Python, &v(&["-c", "x"])),
            Some("x".into())
        );
        assert_eq!(inline_code(Lang::Python, &v(&["-m", "json.tool"])), None);
        assert_eq!(
            inline_code(Lang::Python, &v(&["script.py", "-c", "x"])),
            None
        );
        assert_eq!(inline_code(Lang::Node, &v(&["-e", "x"])), Some("x".into()));
        assert_eq!(inline_code(Lang::Perl, &v(&["-le", "x"])), Some("x".into()));
        assert_eq!(
            inline_code(
                Lang::PowerShell,
                &v(&["-NoProfile", "-Command", "Remove-Item", "x"])
            ),
            Some("Remove-Item x".into())
        );
        assert!(reads_program_from_stdin(Lang::Python, &v(&[])));
        assert!(reads_program_from_stdin(Lang::Python, &v(&["-"])));
        assert!(!reads_program_from_stdin(Lang::Python, &v(&["x.py"])));
    }
}
