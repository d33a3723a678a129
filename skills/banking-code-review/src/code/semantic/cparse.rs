//! Tolerant recursive-descent front ends for JavaScript/TypeScript (JSX
//! and TSX included), Go and C#, lowering to the same IR as the JVM and
//! Python parsers ([`super::ir`]).
//!
//! The three languages share the expression grammar of the C family;
//! declarations differ per language (`js_*`, `go_*`, `cs_*` methods).
//! Lowering choices the analysis relies on:
//! - arrow functions, function expressions, Go function literals and C#
//!   lambdas become functions of their own (Express/Koa/Fastify handlers
//!   are arrow functions passed to `app.get(…)`); a lambda whose body is
//!   the constant `true` becomes the literal `(…) => true`;
//! - a property assignment `a.P = v` is also the setter call `a.set_P(v)`
//!   (how C# compiles it, and how a DOM `innerHTML` or a TLS option is
//!   set), so sinks on properties are calls like any other;
//! - object literals, Go composite literals and C# object initialisers
//!   are calls (`new T(…)`) with named arguments;
//! - a tagged template `` sql`…${x}…` `` is a call of the tag with the
//!   keyword argument `template`;
//! - request objects: a JS parameter named `req`/`request`/`ctx` gets the
//!   type `Request`, and so do Go's `*gin.Context`, `echo.Context` and
//!   `*fiber.Ctx`; a C# controller's `Request`/`HttpContext.Request`
//!   is the parameter `Request` of type `HttpRequest`;
//! - NestJS parameter decorators and ASP.NET `[From…]` attributes are
//!   parameter annotations; `[HttpGet]`-style attributes and `MapGet`
//!   lambdas are handler decorators;
//! - a function (or a handler fragment) that uses the conventional request
//!   name without declaring it (a callback closing over `req`) gets it as
//!   a parameter;
//! - parameters of numeric, boolean, UUID or date types start the body as
//!   `x = int(x)`;
//! - JS `if (x)` makes `x` a falsy constant on the other branch; Go `if`
//!   init statements run before the condition;
//! - checks spelled per language become the analysis' vocabulary
//!   (`strings.HasPrefix`, `StartsWith`, `slices.Contains`, `re.test`,
//!   `Regex.IsMatch`, `Url.IsLocalUrl`), and a prefix check against a
//!   non-literal base is an allow-list check.
//!
//! Unknown syntax is skipped token by token; every loop consumes at least
//! one token per iteration and recursion is bounded ([`MAX_DEPTH`]), so
//! any input parses in linear time without panicking.

use super::clex::lex;
use super::ir::*;
use super::lex::{K, Lang, Lit, Tok};
use kiro_guard_skill::scan::Bracket;

/// Deeper nesting than this is skipped as opaque.
pub const MAX_DEPTH: u32 = 120;

/// The literal a lambda returning the constant `true` lowers to.
pub const LAMBDA_TRUE: &str = "(…) => true";

struct P<'a> {
    text: &'a str,
    toks: Vec<Tok>,
    lits: Vec<Lit>,
    i: usize,
    lang: Lang,
    depth: u32,
    /// Go: a `{` ends the expression (control-statement headers).
    no_brace: bool,
    module: Module,
    class: String,
    anon: u32,
    /// For each opening bracket, the index of its closing bracket (the
    /// token count when unclosed); computed once, so skipping a group is
    /// constant time.
    pairs: Vec<u32>,
}

/// The closing-bracket index of every opening bracket (any kind closes
/// any kind, as in a tolerant scan); `u32::MAX` elsewhere.
fn pair_table(toks: &[Tok], text: &str) -> Vec<u32> {
    let mut pairs = vec![u32::MAX; toks.len()];
    let mut stack: Vec<usize> = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        if t.k != K::Op || t.e != t.s + 1 {
            continue;
        }
        match text.as_bytes().get(t.s as usize) {
            Some(b'(' | b'[' | b'{') => stack.push(i),
            Some(b')' | b']' | b'}') => {
                if let Some(o) = stack.pop() {
                    pairs[o] = i as u32;
                }
            }
            _ => {}
        }
    }
    for o in stack {
        pairs[o] = toks.len() as u32;
    }
    pairs
}

const MODIFIERS: &[&str] = &[
    "public",
    "private",
    "protected",
    "internal",
    "static",
    "readonly",
    "abstract",
    "async",
    "export",
    "default",
    "declare",
    "override",
    "virtual",
    "sealed",
    "partial",
    "unsafe",
    "extern",
    "new",
    "const",
    "volatile",
    "required",
    "get",
    "set",
];

const CS_BUILTIN: &[&str] = &[
    "int", "long", "short", "byte", "uint", "ulong", "ushort", "sbyte", "string", "bool", "double",
    "float", "decimal", "char", "object", "dynamic", "var", "void", "nint",
];

fn assign_op(s: &str) -> bool {
    matches!(
        s,
        "=" | "+="
            | "-="
            | "*="
            | "/="
            | "%="
            | "|="
            | "&="
            | "^="
            | "<<="
            | ">>="
            | "**="
            | "??="
            | "||="
            | "&&="
            | ":="
            | "&^="
    )
}

/// Parse `text` (JavaScript/TypeScript, Go or C#) into the IR.
pub fn parse(text: &str, lang: Lang) -> Module {
    let lx = lex(text, lang);
    let pairs = pair_table(&lx.toks, text);
    let mut p = P {
        pairs,
        text,
        toks: lx.toks,
        lits: lx.lits,
        i: 0,
        lang,
        depth: 0,
        no_brace: false,
        module: Module::default(),
        class: String::new(),
        anon: 0,
    };
    let mut top = Vec::new();
    let mut guard = 0usize;
    while !p.at_end() && guard < 1_000_000 {
        guard += 1;
        let before = p.i;
        p.stmt(&mut top);
        if p.i == before {
            p.i += 1;
        }
    }
    // Top-level names assigned exactly once are constants.
    let mut counts: std::collections::HashMap<String, (usize, Option<Expr>)> = Default::default();
    collect_assigns(&top, &mut counts);
    for (name, (n, v)) in counts {
        p.module.fields.push(Field {
            name,
            value: v,
            fixed: n == 1,
        });
    }
    p.module.top = top;
    free_requests(&mut p.module, lang);
    p.module
}

/// The request in scope without being a parameter: a closure inside a
/// handler (`(err, rows) => res.send(req.query.x)`), or a fragment of a
/// handler body. Functions (and top-level statements) that mention the
/// conventional request name without declaring it get it as a parameter
/// of type `Request` (C#: the controller's `Request` property).
fn free_requests(m: &mut Module, lang: Lang) {
    let names: &[(&str, &str)] = match lang {
        Lang::Js => &[("req", "Request"), ("request", "Request")],
        Lang::Go => &[("r", "Request"), ("req", "Request")],
        _ => &[("Request", "HttpRequest")],
    };
    let add = |params: &mut Vec<Param>, body: &[Stmt]| {
        for (n, ty) in names {
            if !params.iter().any(|p| p.name == *n) && body_mentions(body, n) && !assigns(body, n) {
                params.push(Param {
                    name: n.to_string(),
                    annotations: Vec::new(),
                    ty: ty.to_string(),
                });
            }
        }
    };
    for f in &mut m.functions {
        add(&mut f.params, &f.body);
    }
    let mut params = Vec::new();
    add(&mut params, &m.top);
    if !params.is_empty() {
        let body = std::mem::take(&mut m.top);
        m.functions.push(Function {
            name: "<top>".into(),
            params,
            body,
            ..Function::default()
        });
    }
}

/// Whether `n` is assigned (declared) in the statements.
fn assigns(stmts: &[Stmt], n: &str) -> bool {
    stmts.iter().any(|s| match s {
        Stmt::Assign {
            target: Expr::Name(t),
            ..
        } => t == n,
        Stmt::Assign {
            target: Expr::List(v),
            ..
        } => v.iter().any(|t| matches!(t, Expr::Name(x) if x == n)),
        Stmt::If { then, els, .. } => assigns(then, n) || assigns(els, n),
        Stmt::Block(b) => assigns(b, n),
        _ => false,
    })
}

fn collect_assigns(
    stmts: &[Stmt],
    out: &mut std::collections::HashMap<String, (usize, Option<Expr>)>,
) {
    for s in stmts {
        match s {
            Stmt::Assign {
                target: Expr::Name(n),
                op,
                value,
                ..
            } => {
                let e = out.entry(n.clone()).or_insert((0, None));
                e.0 += if op == "=" { 1 } else { 2 };
                e.1 = Some(value.clone());
            }
            Stmt::If { then, els, .. } => {
                collect_assigns(then, out);
                collect_assigns(els, out);
            }
            Stmt::Block(b) => collect_assigns(b, out),
            _ => {}
        }
    }
}

impl<'a> P<'a> {
    // ------------------------------------------------------------ tokens
    fn tok(&self) -> Option<&Tok> {
        self.toks.get(self.i)
    }
    fn at_end(&self) -> bool {
        self.i >= self.toks.len()
    }
    fn txt(&self, i: usize) -> &'a str {
        match self.toks.get(i) {
            Some(t) => self
                .text
                .get(t.s as usize..t.e as usize)
                .unwrap_or_default(),
            None => "",
        }
    }
    fn cur(&self) -> &'a str {
        self.txt(self.i)
    }
    fn kind(&self) -> Option<K> {
        self.tok().map(|t| t.k)
    }
    fn is(&self, s: &str) -> bool {
        self.is_at(self.i, s)
    }
    fn is_at(&self, i: usize, s: &str) -> bool {
        self.toks
            .get(i)
            .is_some_and(|t| t.k == K::Op || t.k == K::Ident)
            && self.txt(i) == s
    }
    fn eat(&mut self, s: &str) -> bool {
        if self.is(s) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn ident(&self) -> bool {
        self.kind() == Some(K::Ident)
    }
    fn nl(&self) -> bool {
        self.tok().is_some_and(|t| t.nl)
    }
    fn span_from(&self, start: usize) -> Span {
        let s = self.toks.get(start).map(|t| t.s).unwrap_or(0);
        let e = self
            .toks
            .get(self.i.saturating_sub(1).max(start))
            .map(|t| t.e)
            .unwrap_or(s);
        (s, e.max(s))
    }
    fn closes(&self) -> bool {
        self.kind() == Some(K::Op) && matches!(self.cur(), ")" | "]" | "}")
    }
    /// The index of the bracket matching the opener at `i` (or the end).
    fn matching(&self, i: usize) -> usize {
        if let Some(&c) = self.pairs.get(i)
            && c != u32::MAX
        {
            return c as usize;
        }
        kiro_guard_skill::scan::matching(self.toks.len(), i, |k| {
            if self.toks[k].k != K::Op {
                return Bracket::Other;
            }
            match self.txt(k) {
                "(" | "[" | "{" => Bracket::Open,
                ")" | "]" | "}" => Bracket::Close,
                _ => Bracket::Other,
            }
        })
    }
    fn skip_group(&mut self) {
        self.i = (self.matching(self.i) + 1).min(self.toks.len().max(self.i + 1));
    }
    /// Past the closer `close` of the current group (stops at a different
    /// unmatched closer).
    fn skip_to_close(&mut self, close: &str) {
        let mut d = 0i32;
        while let Some(t) = self.tok() {
            if t.k == K::Op {
                let s = self.cur();
                if d == 0 && s == close {
                    self.i += 1;
                    return;
                }
                match s {
                    "(" | "[" | "{" => d += 1,
                    ")" | "]" | "}" => {
                        if d == 0 {
                            return;
                        }
                        d -= 1;
                    }
                    _ => {}
                }
            }
            self.i += 1;
        }
    }
    fn end_stmt(&mut self) {
        self.eat(";");
    }
    /// A JS/Go statement ends at a line break.
    fn line_break(&self) -> bool {
        self.lang != Lang::CSharp && self.nl()
    }

    // ------------------------------------------------------------ types
    /// Skip a type: `a.b.C<D, E>[]?`, `*T`, `[]T`, `map[K]V`, `func(...)
    /// R`, `chan T`, TS unions/object types/`keyof`. Returns the last name.
    fn skip_type(&mut self) -> String {
        let mut last = String::new();
        let mut n = 0;
        loop {
            n += 1;
            if n > 200 || self.at_end() {
                break;
            }
            let s = self.cur();
            match self.kind() {
                Some(K::Ident) => {
                    if matches!(s, "func") && self.lang == Lang::Go {
                        self.i += 1;
                        if self.is("(") {
                            self.skip_group();
                        }
                        if self.is("(") {
                            self.skip_group();
                        } else if self.ident() || self.is("*") || self.is("[") {
                            let _ = self.skip_type();
                        }
                        return "func".into();
                    }
                    if matches!(s, "map") && self.lang == Lang::Go && self.is_at(self.i + 1, "[") {
                        self.i += 1;
                        self.skip_group();
                        last = self.skip_type();
                        return if last.is_empty() { "map".into() } else { last };
                    }
                    if matches!(s, "chan" | "keyof" | "typeof" | "readonly" | "unique") {
                        self.i += 1;
                        continue;
                    }
                    last = s.to_string();
                    self.i += 1;
                    if self.is(".") && self.toks.get(self.i + 1).is_some_and(|t| t.k == K::Ident) {
                        self.i += 1;
                        continue;
                    }
                    if self.is("<") && self.lang != Lang::Go {
                        self.skip_angle();
                    }
                    if self.lang == Lang::Go && self.is("[") && !self.is_at(self.i + 1, "]") {
                        // Generic instantiation `List[T]`.
                        self.skip_group();
                    }
                }
                Some(K::Str) | Some(K::Num) if self.lang == Lang::Js => {
                    self.i += 1;
                }
                _ => match s {
                    "*" | "&" if self.lang == Lang::Go => {
                        self.i += 1;
                        continue;
                    }
                    "[" if self.lang == Lang::Go => {
                        self.skip_group();
                        continue;
                    }
                    "{" | "(" if self.lang == Lang::Js => {
                        // Object / function / parenthesised types.
                        self.skip_group();
                        if self.is("=>") {
                            self.i += 1;
                            continue;
                        }
                    }
                    "(" if self.lang == Lang::CSharp => {
                        // Tuple type.
                        self.skip_group();
                    }
                    _ => break,
                },
            }
            // Suffixes: arrays, nullables, unions.
            loop {
                if self.is("[") && self.is_at(self.i + 1, "]") {
                    self.i += 2;
                    continue;
                }
                if self.is("?") && self.lang == Lang::CSharp {
                    self.i += 1;
                    continue;
                }
                break;
            }
            if self.lang == Lang::Js && (self.is("|") || self.is("&")) {
                self.i += 1;
                continue;
            }
            break;
        }
        last
    }

    fn skip_angle(&mut self) {
        let mut d = 0i32;
        let mut n = 0;
        while !self.at_end() && n < 200 {
            n += 1;
            match self.cur() {
                "<" => d += 1,
                ">" => d -= 1,
                ">>" => d -= 2,
                ">>>" => d -= 3,
                ">=" | ">>=" => {
                    d -= 1;
                }
                "(" | "{" | "[" => {
                    self.skip_group();
                    continue;
                }
                ")" | "}" | ";" => return,
                _ => {}
            }
            self.i += 1;
            if d <= 0 {
                return;
            }
        }
    }

    /// Whether `<` at the current token opens type arguments followed by
    /// `(` (a generic call `f<T>(x)`).
    fn generic_call_ahead(&self) -> Option<usize> {
        let mut j = self.i + 1;
        let mut d = 1i32;
        let mut n = 0;
        while j < self.toks.len() && n < 40 {
            n += 1;
            let t = self.toks[j];
            let s = self.txt(j);
            match s {
                "<" => d += 1,
                ">" => d -= 1,
                ">>" => d -= 2,
                "," | "." | "[" | "]" | "?" | "|" | "&" => {}
                _ if t.k == K::Ident => {}
                _ => return None,
            }
            j += 1;
            if d == 0 {
                return self.is_at(j, "(").then_some(j);
            }
            if d < 0 {
                return None;
            }
        }
        None
    }

    // ------------------------------------------------------- expressions
    fn expr(&mut self) -> Expr {
        if self.depth > MAX_DEPTH {
            self.skip_expr();
            return Expr::Opaque;
        }
        self.depth += 1;
        let e = self.expr_inner();
        self.depth -= 1;
        e
    }

    fn skip_expr(&mut self) {
        while let Some(t) = self.tok() {
            let s = self.cur();
            if t.k == K::Op {
                match s {
                    "(" | "[" | "{" => {
                        self.skip_group();
                        continue;
                    }
                    ")" | "]" | "}" | "," | ";" => return,
                    _ => {}
                }
            }
            self.i += 1;
        }
    }

    fn expr_inner(&mut self) -> Expr {
        if let Some(l) = self.try_lambda() {
            return l;
        }
        let e = self.binary(0);
        if self.is("?") && self.lang != Lang::Go {
            self.i += 1;
            let a = self.expr();
            self.eat(":");
            let b = self.expr();
            return Expr::Cond(Box::new(e), Box::new(a), Box::new(b));
        }

        e
    }

    /// Arrow functions, JS function expressions, Go function literals, C#
    /// lambdas and anonymous delegates: lowered to a function; the
    /// expression itself is opaque (or [`LAMBDA_TRUE`]).
    fn try_lambda(&mut self) -> Option<Expr> {
        let start = self.i;
        let mut j = self.i;
        if self.is("async") && self.lang != Lang::Go {
            j += 1;
        }
        let kw = self.txt(j);
        let is_fn_kw = (kw == "function" && self.lang == Lang::Js)
            || (kw == "func" && self.lang == Lang::Go)
            || (kw == "delegate" && self.lang == Lang::CSharp);
        if is_fn_kw {
            self.i = j + 1;
            self.eat("*");
            let name = if self.ident() {
                let n = self.cur().to_string();
                self.i += 1;
                n
            } else {
                String::new()
            };
            if self.lang == Lang::Js && self.is("<") {
                self.skip_angle();
            }
            let params = if self.is("(") {
                self.params()
            } else {
                Vec::new()
            };
            self.skip_return_type();
            if !self.is("{") {
                // A function type (Go `func(int) error` as a value).
                return Some(Expr::Opaque);
            }
            return Some(self.lambda_body(name, params, start));
        }
        // `x => …`, `(a, b) => …`, `async x => …`.
        let t = self.toks.get(j)?;
        if t.k == K::Ident && self.is_at(j + 1, "=>") && self.lang != Lang::Go {
            let p = Param {
                name: self.txt(j).to_string(),
                ..Param::default()
            };
            self.i = j + 2;
            return Some(self.lambda_body(String::new(), vec![p], start));
        }
        if self.is_at(j, "(") && self.lang != Lang::Go {
            let close = self.matching(j);
            let mut after = close + 1;
            if self.is_at(after, ":") && self.lang == Lang::Js {
                // TS return type: look for `=>` on the same level.
                let mut k = after + 1;
                let mut n = 0;
                while k < self.toks.len() && n < 40 && !self.is_at(k, "=>") {
                    if matches!(self.txt(k), ";" | ")" | "}") {
                        break;
                    }
                    if matches!(self.txt(k), "(" | "{" | "[") {
                        k = self.matching(k);
                    }
                    k += 1;
                    n += 1;
                }
                after = k;
            }
            if self.is_at(after, "=>") {
                self.i = j;
                let params = self.params();
                self.i = after + 1;
                return Some(self.lambda_body(String::new(), params, start));
            }
        }
        None
    }

    fn skip_return_type(&mut self) {
        if self.lang == Lang::Js && self.eat(":") {
            let _ = self.skip_type();
        }
        if self.lang == Lang::Go && !self.is("{") {
            if self.is("(") {
                self.skip_group();
            } else if self.ident() || self.is("*") || self.is("[") {
                let _ = self.skip_type();
            }
        }
    }

    fn lambda_body(&mut self, name: String, params: Vec<Param>, start: usize) -> Expr {
        let body = if self.is("{") {
            self.i += 1;
            self.block_until_close()
        } else {
            let e = self.expr();
            vec![Stmt::Return(Some(e))]
        };
        let body = numeric_params(&params, body);
        let returns_true =
            body.len() == 1 && matches!(&body[0], Stmt::Return(Some(Expr::Lit(l))) if l == "true");
        self.anon += 1;
        let span = self.span_from(start);
        self.module.functions.push(Function {
            name: if name.is_empty() {
                format!("<lambda{}>", self.anon)
            } else {
                name
            },
            class: self.class.clone(),
            params,
            decorators: Vec::new(),
            body,
            span,
        });
        if returns_true {
            Expr::Lit(LAMBDA_TRUE.into())
        } else {
            Expr::Opaque
        }
    }

    fn bin_prec(&self) -> Option<(u8, &'a str)> {
        let t = self.tok()?;
        if t.k == K::Str || t.k == K::Num {
            return None;
        }
        let s = self.cur();
        let p = match s {
            "??" => 1,
            "||" => 2,
            "&&" => 3,
            "==" | "!=" | "<" | ">" | "<=" | ">=" | "===" | "!==" => 4,
            "instanceof" | "in" if self.lang == Lang::Js => 4,
            "is" | "as" if self.lang == Lang::CSharp => 4,
            "as" | "satisfies" if self.lang == Lang::Js && !self.nl() => 4,
            "|" => 5,
            "^" => 6,
            "&" => 7,
            "<<" | ">>" | ">>>" | "&^" => 8,
            "+" | "-" => 9,
            "*" | "/" | "%" => 10,
            "**" => 12,
            _ => return None,
        };
        Some((p, s))
    }

    fn binary(&mut self, min: u8) -> Expr {
        let mut left = self.unary();
        let mut guard = 0;
        while let Some((p, op)) = self.bin_prec() {
            if p < min || guard > 10_000 {
                break;
            }
            guard += 1;
            self.i += 1;
            if matches!(op, "as" | "satisfies" | "is" | "instanceof") {
                let _ = self.skip_type();
                if op == "is" || op == "instanceof" {
                    // `x is string s` binds a name.
                    if self.ident() && self.lang == Lang::CSharp {
                        self.i += 1;
                    }
                    left = Expr::Lit("bool".into());
                }
                continue;
            }
            let right = if op == "**" {
                self.binary(p)
            } else {
                self.binary(p + 1)
            };
            left = match op {
                "+" => match left {
                    Expr::Concat(mut v) => {
                        v.push(right);
                        Expr::Concat(v)
                    }
                    l => Expr::Concat(vec![l, right]),
                },
                "??" => Expr::Cond(Box::new(Expr::Opaque), Box::new(left), Box::new(right)),
                "===" => Expr::Bin("==".into(), Box::new(left), Box::new(right)),
                "!==" => Expr::Bin("!=".into(), Box::new(left), Box::new(right)),
                _ => Expr::Bin(op.to_string(), Box::new(left), Box::new(right)),
            };
        }
        left
    }

    fn unary(&mut self) -> Expr {
        if self.depth > MAX_DEPTH {
            self.skip_expr();
            return Expr::Opaque;
        }
        let s = self.cur();
        if self.kind() == Some(K::Op)
            && matches!(
                s,
                "-" | "+" | "!" | "~" | "++" | "--" | "*" | "&" | "<-" | "^" | "..."
            )
        {
            self.i += 1;
            self.depth += 1;
            let e = self.unary();
            self.depth -= 1;
            return if matches!(s, "*" | "&" | "<-" | "...") {
                e
            } else {
                Expr::Unary(s.to_string(), Box::new(e))
            };
        }
        if self.ident() {
            match s {
                "await" | "void" | "yield" | "go" | "defer" | "ref" | "out" | "in" | "params"
                    if !self.is_at(self.i + 1, "(") || matches!(s, "await" | "yield") =>
                {
                    if self.is_at(self.i + 1, "=")
                        || self.is_at(self.i + 1, ".")
                        || self.is_at(self.i + 1, ",")
                        || self.is_at(self.i + 1, ")")
                    {
                        // Used as a plain name.
                    } else {
                        self.i += 1;
                        // `out var x`, `out int x`.
                        if matches!(s, "out" | "ref")
                            && self.ident()
                            && self.toks.get(self.i + 1).is_some_and(|t| t.k == K::Ident)
                        {
                            self.i += 1;
                        }
                        return self.unary();
                    }
                }
                "typeof" | "nameof" | "sizeof" | "delete" => {
                    self.i += 1;
                    if self.is("(") {
                        self.skip_group();
                    } else {
                        let _ = self.unary();
                    }
                    return Expr::Lit(if s == "delete" { "true" } else { "typeof" }.into());
                }
                _ => {}
            }
        }
        self.postfix_chain()
    }

    fn postfix_chain(&mut self) -> Expr {
        let start = self.i;
        let mut e = self.primary();
        let mut guard = 0;
        loop {
            guard += 1;
            if guard > 10_000 || self.at_end() {
                break;
            }
            // A template right after an expression: a tagged template.
            if self.kind() == Some(K::Str)
                && self.lang == Lang::Js
                && self.txt(self.i).starts_with('`')
                && matches!(e, Expr::Name(_) | Expr::Attr(..) | Expr::Call(_))
            {
                let tpl = self.string();
                let (recv, name) = split_callee(e);
                e = Expr::Call(Box::new(Call {
                    recv,
                    name,
                    args: vec![Arg {
                        name: Some("template".into()),
                        value: tpl,
                    }],
                    new: false,
                    span: self.span_from(start),
                }));
                continue;
            }
            if self.kind() != Some(K::Op) {
                break;
            }
            let s = self.cur();
            match s {
                "." | "?." | "->" | "::" => {
                    self.i += 1;
                    if self.lang == Lang::Go && self.is("(") {
                        // Type assertion `x.(T)`.
                        self.skip_group();
                        continue;
                    }
                    if self.is("(") && s == "?." {
                        let args = self.args();
                        let (recv, name) = split_callee(e);
                        e = Expr::Call(Box::new(Call {
                            recv,
                            name,
                            args,
                            new: false,
                            span: self.span_from(start),
                        }));
                        continue;
                    }
                    if self.is("[") && s == "?." {
                        continue;
                    }
                    if self.ident() {
                        let mut name = self.cur().to_string();
                        if let Some(n) = name.strip_prefix('#') {
                            name = n.to_string();
                        }
                        self.i += 1;
                        e = Expr::Attr(Box::new(e), name);
                    } else {
                        break;
                    }
                }
                "(" => {
                    if self.line_break() && self.lang == Lang::Js {
                        break;
                    }
                    let nfun = self.module.functions.len();
                    let args = self.args();
                    let (recv, name) = split_callee(e);
                    if self.lang == Lang::CSharp
                        && matches!(
                            name.as_str(),
                            "MapGet"
                                | "MapPost"
                                | "MapPut"
                                | "MapDelete"
                                | "MapPatch"
                                | "MapMethods"
                        )
                    {
                        // Minimal API handlers: their parameters are bound
                        // from the route, query and body.
                        for f in &mut self.module.functions[nfun..] {
                            f.decorators.push("GET".into());
                        }
                    }
                    e = self.lower_call(Call {
                        recv,
                        name,
                        args,
                        new: false,
                        span: self.span_from(start),
                    });
                }
                "<" if self.lang != Lang::Go => {
                    if let Some(open) = self.generic_call_ahead() {
                        self.i = open;
                        continue;
                    }
                    break;
                }
                "[" => {
                    if self.line_break() {
                        break;
                    }
                    self.i += 1;
                    let idx = if self.is("]") {
                        Expr::Opaque
                    } else {
                        let saved = std::mem::replace(&mut self.no_brace, false);
                        let first = self.expr();
                        // Go slices `a[i:j]`, index lists `m[a, b]`.
                        let mut n = 0;
                        while (self.is(":") || self.is(",")) && n < 8 {
                            n += 1;
                            self.i += 1;
                            if !self.is("]") {
                                let _ = self.expr();
                            }
                        }
                        self.no_brace = saved;
                        first
                    };
                    self.skip_to_close("]");
                    e = Expr::Index(Box::new(e), Box::new(idx));
                }
                "{" if self.lang == Lang::Go
                    && !self.no_brace
                    && matches!(e, Expr::Name(_) | Expr::Attr(..) | Expr::Index(..)) =>
                {
                    // Composite literal `T{…}`.
                    let name = match &e {
                        Expr::Name(n) | Expr::Attr(_, n) => n.clone(),
                        _ => String::new(),
                    };
                    let args = self.initializer_args();
                    e = Expr::Call(Box::new(Call {
                        recv: None,
                        name,
                        args,
                        new: true,
                        span: self.span_from(start),
                    }));
                }
                "!" if self.lang != Lang::Go
                    && self.toks.get(self.i + 1).is_none_or(|t| {
                        t.k == K::Op && !matches!(self.txt(self.i + 1), "(" | "!")
                    })
                    && !self.is_at(self.i + 1, "=") =>
                {
                    // TS/C# non-null assertion.
                    self.i += 1;
                }
                "++" | "--" if !self.line_break() => {
                    self.i += 1;
                }
                _ => break,
            }
        }
        e
    }

    /// Call arguments from the current `(` to its `)`; C# named arguments
    /// `name: value` keep their name.
    fn args(&mut self) -> Vec<Arg> {
        let mut out = Vec::new();
        if !self.eat("(") {
            return out;
        }
        let saved = std::mem::replace(&mut self.no_brace, false);
        let mut guard = 0;
        while !self.at_end() && !self.is(")") {
            guard += 1;
            if guard > 100_000 || self.closes() {
                break;
            }
            let before = self.i;
            let name = if self.lang == Lang::CSharp
                && self.ident()
                && self.is_at(self.i + 1, ":")
                && !self.is_at(self.i + 2, ":")
            {
                let n = self.cur().to_string();
                self.i += 2;
                Some(n)
            } else {
                None
            };
            let value = self.expr();
            out.push(Arg { name, value });
            if !self.eat(",") && self.i == before {
                self.i += 1;
            }
        }
        self.no_brace = saved;
        self.skip_to_close(")");
        out
    }

    /// `{ key: value, … }` (Go composite literal, JS object literal) or
    /// `{ Key = value, … }` (C# object initialiser) as named arguments;
    /// elements without a key are positional.
    fn initializer_args(&mut self) -> Vec<Arg> {
        let mut out = Vec::new();
        if !self.eat("{") {
            return out;
        }
        let saved = std::mem::replace(&mut self.no_brace, false);
        let mut guard = 0;
        while !self.at_end() && !self.is("}") {
            guard += 1;
            if guard > 100_000 || self.closes() {
                break;
            }
            let before = self.i;
            let sep = if self.lang == Lang::CSharp { "=" } else { ":" };
            let keyed =
                (self.ident() || self.kind() == Some(K::Str) || self.kind() == Some(K::Num))
                    && self.is_at(self.i + 1, sep);
            if keyed {
                let name = if self.kind() == Some(K::Str) {
                    let t = self.toks[self.i];
                    self.lits[t.lit as usize].value.clone()
                } else {
                    self.cur().to_string()
                };
                self.i += 2;
                let value = if self.is("{") && self.lang != Lang::Js {
                    // Nested initialiser without a type.
                    let args = self.initializer_args();
                    Expr::Call(Box::new(Call {
                        recv: None,
                        name: String::new(),
                        args,
                        new: true,
                        span: (0, 0),
                    }))
                } else {
                    self.expr()
                };
                out.push(Arg {
                    name: Some(name),
                    value,
                });
            } else if self.lang == Lang::Js && self.is("[") {
                // Computed key.
                self.skip_group();
                if self.eat(":") {
                    let value = self.expr();
                    out.push(Arg {
                        name: Some("*".into()),
                        value,
                    });
                }
            } else if self.lang == Lang::Js
                && self.ident()
                && (self.is_at(self.i + 1, ",") || self.is_at(self.i + 1, "}"))
            {
                // Shorthand `{ id }`.
                let n = self.cur().to_string();
                self.i += 1;
                out.push(Arg {
                    name: Some(n.clone()),
                    value: Expr::Name(n),
                });
            } else if self.lang == Lang::Js
                && (self.ident() || self.kind() == Some(K::Str))
                && (self.is_at(self.i + 1, "(")
                    || (matches!(self.cur(), "get" | "set" | "async" | "static")
                        && self.toks.get(self.i + 1).is_some_and(|t| t.k == K::Ident)))
            {
                // Method: `name(…) { … }`.
                self.method_like(Vec::new());
            } else if self.is("{") {
                let args = self.initializer_args();
                out.push(Arg {
                    name: None,
                    value: Expr::Call(Box::new(Call {
                        recv: None,
                        name: String::new(),
                        args,
                        new: true,
                        span: (0, 0),
                    })),
                });
            } else {
                let value = self.expr();
                out.push(Arg { name: None, value });
            }
            if !self.eat(",") && !self.eat(";") && self.i == before {
                self.i += 1;
            }
        }
        self.no_brace = saved;
        self.skip_to_close("}");
        out
    }

    fn string(&mut self) -> Expr {
        let mut parts: Vec<Expr> = Vec::new();
        let t = self.toks[self.i];
        let lit = self.lits[t.lit as usize].clone();
        self.i += 1;
        parts.push(Expr::Str(lit.value));
        for (a, b) in lit.interps {
            parts.push(self.sub_expr(a, b));
        }
        if parts.len() == 1 {
            parts.pop().unwrap_or(Expr::Opaque)
        } else {
            Expr::Concat(parts)
        }
    }

    /// Parse `text[a..b]` (an interpolated expression).
    fn sub_expr(&mut self, a: usize, b: usize) -> Expr {
        if self.depth > MAX_DEPTH || a >= b || b > self.text.len() {
            return Expr::Opaque;
        }
        let Some(sub) = self.text.get(a..b) else {
            return Expr::Opaque;
        };
        let mut lx = lex(sub, self.lang);
        for t in &mut lx.toks {
            t.s += a as u32;
            t.e += a as u32;
        }
        for l in &mut lx.lits {
            for r in &mut l.interps {
                r.0 += a;
                r.1 += a;
            }
        }
        let pairs = pair_table(&lx.toks, self.text);
        let mut p = P {
            pairs,
            text: self.text,
            toks: lx.toks,
            lits: lx.lits,
            i: 0,
            lang: self.lang,
            depth: self.depth + 4,
            no_brace: false,
            module: Module::default(),
            class: self.class.clone(),
            anon: self.anon + 1000,
        };
        let e = p.expr();
        self.module.functions.append(&mut p.module.functions);
        e
    }

    fn primary(&mut self) -> Expr {
        let Some(t) = self.tok().copied() else {
            return Expr::Opaque;
        };
        let s = self.cur();
        match t.k {
            K::Str => return self.string(),
            K::Num => {
                self.i += 1;
                return Expr::Lit(s.to_string());
            }
            _ => {}
        }
        if t.k == K::Ident {
            match s {
                "true" | "false" => {
                    self.i += 1;
                    return Expr::Lit(s.to_string());
                }
                "null" | "undefined" | "nil" => {
                    self.i += 1;
                    return Expr::Lit("null".into());
                }
                "new" if self.lang != Lang::Go => return self.new_expr(),
                "class" if self.lang == Lang::Js => {
                    while !self.at_end() && !self.is("{") {
                        self.i += 1;
                    }
                    self.skip_group();
                    return Expr::Opaque;
                }
                "switch" if self.lang == Lang::CSharp => {
                    self.i += 1;
                    self.skip_group();
                    return Expr::Opaque;
                }
                "default" if self.lang == Lang::CSharp => {
                    self.i += 1;
                    if self.is("(") {
                        self.skip_group();
                    }
                    return Expr::Lit("null".into());
                }
                "map" | "struct" | "chan" if self.lang == Lang::Go => {
                    let _ = self.skip_type();
                    if self.is("{") && !self.no_brace {
                        let args = self.initializer_args();
                        return Expr::Call(Box::new(Call {
                            recv: None,
                            name: s.to_string(),
                            args,
                            new: true,
                            span: self.span_from(self.i.saturating_sub(1)),
                        }));
                    }
                    return Expr::Opaque;
                }
                _ => {}
            }
            self.i += 1;
            // Request objects reached through a controller property.
            if self.lang == Lang::CSharp
                && s == "HttpContext"
                && self.is(".")
                && self.is_at(self.i + 1, "Request")
            {
                self.i += 2;
                return Expr::Name("Request".into());
            }
            // Koa `ctx.request.body` is `ctx.body`'s request side.
            if self.lang == Lang::Js
                && matches!(s, "ctx" | "context")
                && self.is(".")
                && self.is_at(self.i + 1, "request")
            {
                self.i += 2;
            }
            let name = s.strip_prefix('#').unwrap_or(s);
            return Expr::Name(name.to_string());
        }
        match s {
            "(" => {
                if self.lang == Lang::CSharp
                    && let Some(after) = self.cast_end()
                {
                    self.i = after;
                    return self.unary();
                }
                self.i += 1;
                let saved = std::mem::replace(&mut self.no_brace, false);
                if self.is(")") {
                    self.no_brace = saved;
                    self.i += 1;
                    return Expr::List(vec![]);
                }
                let first = self.expr();
                let e = if self.is(",") {
                    let mut v = vec![first];
                    while self.eat(",") {
                        if self.is(")") {
                            break;
                        }
                        let before = self.i;
                        v.push(self.expr());
                        if self.i == before {
                            break;
                        }
                    }
                    Expr::List(v)
                } else {
                    first
                };
                self.no_brace = saved;
                self.skip_to_close(")");
                e
            }
            "[" => {
                if self.lang == Lang::Go {
                    // `[]T{…}` / `[N]T{…}`.
                    let _ = self.skip_type();
                    if self.is("{") {
                        let args = self.initializer_args();
                        return Expr::List(args.into_iter().map(|a| a.value).collect());
                    }
                    if self.is("(") {
                        // A conversion `[]byte(s)` keeps the value.
                        let mut args = self.args();
                        return match args.len() {
                            1 => args.pop().map(|a| a.value).unwrap_or(Expr::Opaque),
                            _ => Expr::Opaque,
                        };
                    }
                    return Expr::Opaque;
                }
                self.i += 1;
                let saved = std::mem::replace(&mut self.no_brace, false);
                let mut v = Vec::new();
                let mut guard = 0;
                while !self.at_end() && !self.is("]") && !self.closes() && guard < 100_000 {
                    guard += 1;
                    let before = self.i;
                    v.push(self.expr());
                    if !self.eat(",") && self.i == before {
                        self.i += 1;
                    }
                }
                self.no_brace = saved;
                self.skip_to_close("]");
                Expr::List(v)
            }
            "{" => {
                if self.lang == Lang::Js {
                    let args = self.initializer_args();
                    return Expr::Dict(
                        args.into_iter()
                            .map(|a| (Expr::Str(a.name.unwrap_or_else(|| "*".into())), a.value))
                            .collect(),
                    );
                }
                let args = self.initializer_args();
                Expr::List(args.into_iter().map(|a| a.value).collect())
            }
            "<" if self.lang == Lang::Js => {
                // JSX element: skip to the matching close (opaque), keeping
                // `dangerouslySetInnerHTML={{__html: x}}` as a call.
                self.jsx()
            }
            "@" => {
                self.i += 1;
                let _ = self.postfix_chain();
                Expr::Opaque
            }
            _ => {
                if !self.closes() && !matches!(s, "," | ";" | "=" | ":") {
                    self.i += 1;
                }
                Expr::Opaque
            }
        }
    }

    /// A JSX element from `<`: skipped; the value of a
    /// `dangerouslySetInnerHTML={…}` attribute becomes the argument of a
    /// `dangerouslySetInnerHTML(…)` call, and `{…}` children are parsed.
    fn jsx(&mut self) -> Expr {
        let start = self.i;
        let mut depth = 0i32;
        let mut calls = Vec::new();
        let mut n = 0;
        while !self.at_end() && n < 100_000 {
            n += 1;
            let s = self.cur();
            if self.kind() == Some(K::Op) {
                match s {
                    "<" => {
                        if self.is_at(self.i + 1, "/") {
                            depth -= 1;
                            self.i += 2;
                            while !self.at_end() && !self.is(">") {
                                self.i += 1;
                            }
                            self.i += 1;
                            if depth <= 0 {
                                break;
                            }
                            continue;
                        }
                        depth += 1;
                    }
                    "/" if self.is_at(self.i + 1, ">") => {
                        depth -= 1;
                        self.i += 2;
                        if depth <= 0 {
                            break;
                        }
                        continue;
                    }
                    "{" => {
                        let attr = self.txt(self.i.saturating_sub(2));
                        self.i += 1;
                        let e = self.expr();
                        self.skip_to_close("}");
                        if attr == "dangerouslySetInnerHTML" {
                            calls.push(Expr::Call(Box::new(Call {
                                recv: None,
                                name: "dangerouslySetInnerHTML".into(),
                                args: vec![Arg {
                                    name: None,
                                    value: e,
                                }],
                                new: false,
                                span: self.span_from(start),
                            })));
                        } else {
                            calls.push(e);
                        }
                        continue;
                    }
                    ")" | ";" if depth <= 0 => break,
                    _ => {}
                }
            }
            self.i += 1;
        }
        if calls.is_empty() {
            Expr::Opaque
        } else {
            Expr::List(calls)
        }
    }

    /// C# cast `(Type) x`: the index after `)`.
    fn cast_end(&self) -> Option<usize> {
        let j0 = self.i + 1;
        let first = self.toks.get(j0)?;
        if first.k != K::Ident {
            return None;
        }
        let name = self.txt(j0);
        let mut j = j0;
        let mut n = 0;
        while j < self.toks.len() && n < 30 {
            let t = self.toks[j];
            let s = self.txt(j);
            if t.k == K::Ident || matches!(s, "." | "<" | ">" | "[" | "]" | "?" | ",") {
                j += 1;
                n += 1;
                continue;
            }
            break;
        }
        if !self.is_at(j, ")") {
            return None;
        }
        let typeish = CS_BUILTIN.contains(&name)
            || name.as_bytes().first().is_some_and(u8::is_ascii_uppercase);
        let next = self.toks.get(j + 1)?;
        let ns = self.txt(j + 1);
        let starts = matches!(next.k, K::Ident | K::Str | K::Num) || matches!(ns, "(" | "!" | "~");
        (typeish && starts && !matches!(ns, "is" | "as")).then_some(j + 1)
    }

    fn new_expr(&mut self) -> Expr {
        let start = self.i;
        self.i += 1; // new
        let mut name = String::new();
        while self.ident() || self.is(".") {
            if self.ident() {
                name = self.cur().to_string();
            }
            self.i += 1;
        }
        if self.is("<") {
            self.skip_angle();
        }
        if self.is("[") {
            // Arrays: `new byte[16]`, `new[] { … }`, `new string[] { … }`.
            let mut size = String::new();
            while self.is("[") {
                self.i += 1;
                if !self.is("]") {
                    match self.expr() {
                        Expr::Lit(l) => size = l,
                        _ => size = "?".into(),
                    }
                }
                self.skip_to_close("]");
            }
            if self.is("{") {
                let args = self.initializer_args();
                return Expr::List(args.into_iter().map(|a| a.value).collect());
            }
            if size != "?" {
                return Expr::Lit(format!("new {name}[{size}]"));
            }
            return Expr::Opaque;
        }
        let mut args = if self.is("(") {
            self.args()
        } else {
            Vec::new()
        };
        if self.is("{") && self.lang == Lang::CSharp {
            args.extend(self.initializer_args());
        }
        Expr::Call(Box::new(Call {
            recv: None,
            name,
            args,
            new: true,
            span: self.span_from(start),
        }))
    }

    // ------------------------------------------------------- parameters
    /// A parameter list from `(`.
    fn params(&mut self) -> Vec<Param> {
        let mut out = Vec::new();
        if !self.eat("(") {
            return out;
        }
        let mut guard = 0;
        let mut pending_go: Vec<Param> = Vec::new();
        while !self.at_end() && !self.is(")") {
            guard += 1;
            if guard > 10_000 || self.is("{") || self.is("}") {
                break;
            }
            let before = self.i;
            let mut p = Param::default();
            match self.lang {
                Lang::Js => {
                    p.annotations = self.js_decorators();
                    while self.ident()
                        && matches!(
                            self.cur(),
                            "public" | "private" | "protected" | "readonly" | "override"
                        )
                        && self.toks.get(self.i + 1).is_some_and(|t| t.k == K::Ident)
                    {
                        self.i += 1;
                    }
                    self.eat("...");
                    if self.ident() {
                        p.name = self.cur().to_string();
                        self.i += 1;
                    } else if self.is("{") || self.is("[") {
                        // Destructured parameter: its names are fields of
                        // one argument; keep the first name.
                        let close = self.matching(self.i);
                        p.name = (self.i..close)
                            .find(|&k| self.toks[k].k == K::Ident)
                            .map(|k| self.txt(k).to_string())
                            .unwrap_or_default();
                        self.i = close + 1;
                    }
                    self.eat("?");
                    if self.eat(":") {
                        p.ty = self.skip_type();
                    }
                    if self.eat("=") {
                        let _ = self.expr();
                    }
                }
                Lang::Go => {
                    // `a, b string`, `r *http.Request`, `args ...string`.
                    if self.ident() && (self.is_at(self.i + 1, ",") || self.is_at(self.i + 1, ")"))
                    {
                        // A name whose type follows later, or a bare type.
                        pending_go.push(Param {
                            name: self.cur().to_string(),
                            ..Param::default()
                        });
                        self.i += 1;
                        self.eat(",");
                        continue;
                    }
                    if self.ident() {
                        p.name = self.cur().to_string();
                        self.i += 1;
                    }
                    self.eat("...");
                    p.ty = self.go_type_name();
                    for mut q in pending_go.drain(..) {
                        q.ty = p.ty.clone();
                        out.push(q);
                    }
                }
                _ => {
                    p.annotations = self.cs_attributes();
                    while self.ident()
                        && matches!(
                            self.cur(),
                            "this" | "ref" | "out" | "in" | "params" | "scoped"
                        )
                    {
                        self.i += 1;
                    }
                    p.ty = self.skip_type();
                    if self.ident() {
                        p.name = self.cur().to_string();
                        self.i += 1;
                    } else {
                        // Lambda parameter without a type.
                        p.name = std::mem::take(&mut p.ty);
                    }
                    if self.eat("=") {
                        let _ = self.expr();
                    }
                }
            }
            canonical_sources(&mut p, self.lang);
            if !p.name.is_empty() {
                if self.lang == Lang::Js
                    && p.annotations.is_empty()
                    && (matches!(p.name.as_str(), "req" | "request" | "ctx")
                        && (p.ty.is_empty()
                            || matches!(
                                p.ty.as_str(),
                                "Request"
                                    | "NextApiRequest"
                                    | "NextRequest"
                                    | "FastifyRequest"
                                    | "Context"
                                    | "ParameterizedContext"
                            )))
                {
                    p.ty = "Request".into();
                }
                out.push(p);
            }
            if !self.eat(",") && self.i == before {
                self.i += 1;
            }
        }
        // Go: trailing names without a type are unnamed parameters' types.
        out.extend(pending_go.into_iter().filter(|_| false));
        self.eat(")");
        out
    }

    /// A Go type's last name; the request contexts of gin, echo, fiber and
    /// fasthttp are `Request` (like `*http.Request`).
    fn go_type_name(&mut self) -> String {
        let s = self.i;
        let last = self.skip_type();
        let text: String = (s..self.i).map(|k| self.txt(k)).collect();
        let t = text.trim_start_matches('*');
        match t {
            "gin.Context" | "echo.Context" | "fiber.Ctx" | "fasthttp.RequestCtx" => {
                "Request".into()
            }
            _ => last,
        }
    }

    /// NestJS/Angular decorators `@Query('id')`: names.
    fn js_decorators(&mut self) -> Vec<String> {
        let mut out = Vec::new();
        while self.is("@") {
            self.i += 1;
            let mut name = String::new();
            while self.ident() {
                name = self.cur().to_string();
                self.i += 1;
                if self.is(".") {
                    self.i += 1;
                    continue;
                }
                break;
            }
            if self.is("(") {
                self.skip_group();
            }
            if name.is_empty() {
                break;
            }
            out.push(name);
        }
        out
    }

    /// C# attributes `[HttpGet("{id}"), Authorize]`: names without the
    /// `Attribute` suffix.
    fn cs_attributes(&mut self) -> Vec<String> {
        let mut out = Vec::new();
        let mut guard = 0;
        while self.is("[") && guard < 100 {
            guard += 1;
            let close = self.matching(self.i);
            // An attribute section starts with a name (`[FromQuery]`,
            // `[assembly: X]`), never an expression.
            if !self.toks.get(self.i + 1).is_some_and(|t| t.k == K::Ident) {
                break;
            }
            self.i += 1;
            while self.i < close {
                if self.ident() && self.is_at(self.i + 1, ":") {
                    self.i += 2;
                    continue;
                }
                if self.ident() {
                    let mut name = self.cur().to_string();
                    self.i += 1;
                    while self.is(".") && self.toks.get(self.i + 1).is_some_and(|t| t.k == K::Ident)
                    {
                        name = self.txt(self.i + 1).to_string();
                        self.i += 2;
                    }
                    let name = name.strip_suffix("Attribute").unwrap_or(&name).to_string();
                    out.push(name);
                    if self.is("(") {
                        self.skip_group();
                    }
                    continue;
                }
                self.i += 1;
            }
            self.i = (close + 1).min(self.toks.len());
        }
        out
    }

    // ------------------------------------------------------- statements
    /// Statements until the `}` closing the current block (consumed).
    fn block_until_close(&mut self) -> Vec<Stmt> {
        let mut out = Vec::new();
        if self.depth > MAX_DEPTH {
            self.i = self.i.saturating_sub(1);
            self.skip_group();
            return out;
        }
        self.depth += 1;
        let saved = std::mem::replace(&mut self.no_brace, false);
        let mut guard = 0usize;
        while !self.at_end() && guard < 1_000_000 {
            guard += 1;
            if self.eat("}") {
                break;
            }
            let before = self.i;
            self.stmt(&mut out);
            if self.i == before {
                self.i += 1;
            }
        }
        self.no_brace = saved;
        self.depth -= 1;
        out
    }

    /// A block or a single statement.
    fn body(&mut self) -> Vec<Stmt> {
        if self.eat("{") {
            return self.block_until_close();
        }
        let mut out = Vec::new();
        if self.depth > MAX_DEPTH {
            self.skip_expr();
            return out;
        }
        self.depth += 1;
        self.stmt(&mut out);
        self.depth -= 1;
        out
    }

    /// A control-statement header: `(cond)` in JS/C#, a bare expression
    /// before `{` in Go.
    fn header(&mut self) -> Expr {
        let mut init = Vec::new();
        self.header_with_init(&mut init)
    }

    /// A header whose Go init statement (`if err := f(&x); err != nil {`)
    /// is lowered into `init`, run before the condition.
    fn header_with_init(&mut self, init: &mut Vec<Stmt>) -> Expr {
        if self.lang == Lang::Go {
            let saved = std::mem::replace(&mut self.no_brace, true);
            // A `;` before the body's `{` separates an init statement.
            let mut k = self.i;
            let mut has_init = false;
            while k < self.toks.len() && k < self.i + 400 {
                match self.txt(k) {
                    "{" if self.toks[k].k == K::Op => break,
                    "(" | "[" => k = self.matching(k),
                    ";" if self.toks[k].k == K::Op => {
                        has_init = true;
                        break;
                    }
                    _ => {}
                }
                k += 1;
            }
            if has_init {
                let start = self.i;
                let mut n = 0;
                while !self.at_end() && !self.is(";") && n < 50 {
                    n += 1;
                    let before = self.i;
                    self.simple(init, start);
                    if self.i == before {
                        self.i += 1;
                    }
                }
                self.eat(";");
            }
            let e = if self.is("{") {
                Expr::Lit("true".into())
            } else {
                self.expr()
            };
            self.no_brace = saved;
            return e;
        }
        if !self.eat("(") {
            return self.expr();
        }
        let e = self.expr();
        self.skip_to_close(")");
        e
    }

    fn stmt(&mut self, out: &mut Vec<Stmt>) {
        if self.eat(";") {
            return;
        }
        let start = self.i;
        // Decorators / attributes before declarations.
        let decorators = match self.lang {
            Lang::Js => self.js_decorators(),
            Lang::CSharp => {
                if self.is("[")
                    && self.toks.get(self.i + 1).is_some_and(|t| t.k == K::Ident)
                    && self.stmt_start()
                {
                    self.cs_attributes()
                } else {
                    Vec::new()
                }
            }
            _ => Vec::new(),
        };
        let s = self.cur();
        if self.lang == Lang::CSharp
            && (s == "using" || s == "await" && self.is_at(self.i + 1, "using"))
            && self.ident()
        {
            // `using var x = …;` / `using Type x = …;`: a declaration.
            let j = self.i + if s == "await" { 2 } else { 1 };
            if self.is_at(j, "var")
                || (self.toks.get(j).is_some_and(|t| t.k == K::Ident)
                    && self.toks.get(j + 1).is_some_and(|t| t.k == K::Ident))
            {
                self.i = j;
                return self.stmt(out);
            }
        }
        if self.ident() {
            match s {
                "if" => {
                    self.i += 1;
                    let cond = self.header_with_init(out);
                    let mut then = self.body();
                    self.eat(";");
                    let mut els = if self.eat("else") {
                        self.body()
                    } else {
                        Vec::new()
                    };
                    if self.lang == Lang::Js {
                        // Where `x` is falsy it is '', 0, null or undefined:
                        // a constant.
                        let falsy = |n: &str| Stmt::Assign {
                            target: Expr::Name(n.to_string()),
                            op: "=".into(),
                            value: Expr::Lit("null".into()),
                            span: (0, 0),
                        };
                        match &cond {
                            Expr::Name(n) => els.insert(0, falsy(n)),
                            Expr::Unary(op, x) if op == "!" => {
                                if let Expr::Name(n) = &**x {
                                    then.insert(0, falsy(n));
                                }
                            }
                            _ => {}
                        }
                    }
                    out.push(Stmt::If { cond, then, els });
                    return;
                }
                "for" | "foreach" | "while" => return self.loop_stmt(out),
                "do" => {
                    self.i += 1;
                    let body = self.body();
                    if self.eat("while") {
                        let _ = self.header();
                    }
                    self.end_stmt();
                    out.push(Stmt::Block(body));
                    return;
                }
                "try" => {
                    self.i += 1;
                    if self.lang == Lang::Go {
                        return;
                    }
                    let all = self.body();
                    let mut rest = Vec::new();
                    while self.is("catch") || self.is("finally") {
                        self.i += 1;
                        if self.is("(") {
                            self.skip_group();
                        }
                        if self.eat("when") && self.is("(") {
                            self.skip_group();
                        }
                        rest.extend(self.body());
                    }
                    out.extend(all);
                    out.push(Stmt::Block(rest));
                    return;
                }
                "switch" | "select" | "lock" | "using" | "fixed" | "checked" | "unchecked"
                | "with"
                    if self.is_at(self.i + 1, "(")
                        || self.is_at(self.i + 1, "{")
                        || self.lang == Lang::Go && s != "using" =>
                {
                    self.i += 1;
                    let mut pre = Vec::new();
                    if s == "using" && self.is("(") {
                        // `using (var x = …)`.
                        self.i += 1;
                        self.stmt(&mut pre);
                        self.skip_to_close(")");
                    } else if !self.is("{") {
                        let _ = self.header();
                    }
                    let body = self.body();
                    if matches!(s, "using" | "lock" | "fixed" | "checked" | "unchecked") {
                        out.extend(pre);
                        out.extend(body);
                    } else {
                        out.push(Stmt::Block(body));
                    }
                    return;
                }
                "case" | "default" if self.lang != Lang::Js || !self.is_at(self.i + 1, "(") => {
                    let mut n = 0;
                    while !self.at_end() && !self.is(":") && !self.is("}") && n < 200 {
                        if self.is("(") || self.is("{") {
                            self.skip_group();
                        } else {
                            self.i += 1;
                        }
                        n += 1;
                    }
                    self.eat(":");
                    return;
                }
                "return" => {
                    self.i += 1;
                    let e = if self.is(";") || self.is("}") || self.line_break() {
                        None
                    } else {
                        let first = self.expr();
                        if self.lang == Lang::Go && self.is(",") {
                            let mut v = vec![first];
                            while self.eat(",") {
                                v.push(self.expr());
                            }
                            Some(Expr::List(v))
                        } else {
                            Some(first)
                        }
                    };
                    self.end_stmt();
                    out.push(Stmt::Return(e));
                    return;
                }
                "throw" | "panic" if s == "throw" || self.is_at(self.i + 1, "(") => {
                    self.i += 1;
                    if !self.is(";") && !self.is("}") {
                        let _ = self.expr();
                    }
                    self.end_stmt();
                    out.push(Stmt::Raise);
                    return;
                }
                "break" | "continue" | "goto" | "fallthrough" => {
                    self.i += 1;
                    if self.ident() && !self.nl() {
                        self.i += 1;
                    }
                    self.end_stmt();
                    return;
                }
                "import" | "package" | "using" | "namespace"
                    if self.lang != Lang::Js || s == "import" =>
                {
                    if s == "namespace" {
                        self.i += 1;
                        while !self.at_end() && !self.is("{") && !self.is(";") {
                            self.i += 1;
                        }
                        if self.eat("{") {
                            let body = self.block_until_close();
                            out.extend(body);
                        } else {
                            self.eat(";");
                        }
                        return;
                    }
                    if s == "import"
                        && self.lang == Lang::Js
                        && (self.is_at(self.i + 1, "(") || self.is_at(self.i + 1, "."))
                    {
                        // Dynamic `import(…)` expression.
                    } else {
                        self.skip_import();
                        return;
                    }
                }
                "type" if self.lang == Lang::Go => {
                    self.i += 1;
                    if self.is("(") {
                        self.skip_group();
                        return;
                    }
                    while !self.at_end() && !self.is("{") && !self.nl() {
                        self.i += 1;
                    }
                    if self.is("{") {
                        self.skip_group();
                    }
                    return;
                }
                "type" | "interface" | "enum" | "declare"
                    if self.lang == Lang::Js
                        && self.toks.get(self.i + 1).is_some_and(|t| t.k == K::Ident)
                        && !self.nl_at(self.i + 1) =>
                {
                    // TS type declarations.
                    self.i += 1;
                    let mut n = 0;
                    while !self.at_end() && n < 10_000 {
                        n += 1;
                        if self.is("{") || self.is("(") || self.is("[") {
                            self.skip_group();
                            if s != "type" {
                                break;
                            }
                            continue;
                        }
                        if self.is(";")
                            || (n > 1 && self.nl() && !matches!(self.cur(), "|" | "&" | "="))
                        {
                            break;
                        }
                        self.i += 1;
                    }
                    self.eat(";");
                    return;
                }
                "func"
                    if self.lang == Lang::Go && !self.is_at(self.i + 1, "(")
                        || self.lang == Lang::Go && s == "func" && self.go_method_ahead() =>
                {
                    self.go_func();
                    return;
                }
                "function"
                    if self.lang == Lang::Js
                        && self
                            .toks
                            .get(self.i + 1)
                            .is_some_and(|t| t.k == K::Ident || self.txt(self.i + 1) == "*") =>
                {
                    let start = self.i;
                    let _ = self.try_lambda();
                    let _ = start;
                    return;
                }
                "var" | "const" | "let"
                    if self.lang != Lang::CSharp || s == "var" && self.is_at(self.i + 2, "=") =>
                {
                    if self.lang == Lang::Go && matches!(s, "const" | "var") {
                        return self.go_var(out);
                    }
                    if s == "const" && self.is_at(self.i + 1, "enum") {
                        self.i += 1;
                        return self.stmt(out);
                    }
                    self.i += 1;
                    return self.js_decl(out, start);
                }
                "class" | "struct" | "record" | "interface" | "enum" if self.lang != Lang::Go => {
                    self.class_decl();
                    return;
                }
                "export" | "async" | "public" | "private" | "protected" | "internal" | "static"
                | "abstract" | "sealed" | "partial" | "readonly" | "override" | "virtual"
                | "unsafe" | "extern" | "declare"
                    if self.toks.get(self.i + 1).is_some_and(|t| {
                        t.k == K::Ident || matches!(self.txt(self.i + 1), "{" | "*")
                    }) =>
                {
                    if s == "export" && self.is_at(self.i + 1, "{") {
                        self.i += 1;
                        self.skip_group();
                        self.skip_import();
                        return;
                    }
                    if s == "async" && self.is_at(self.i + 1, "function") {
                        self.i += 1;
                        let _ = self.try_lambda();
                        return;
                    }
                    self.i += 1;
                    if self.is("default") && self.lang == Lang::Js {
                        self.i += 1;
                    }
                    if self.lang == Lang::CSharp || self.class_member_ahead() {
                        self.member(decorators);
                        return;
                    }
                    return self.stmt_with(out, decorators);
                }
                _ => {}
            }
            if self.lang == Lang::CSharp && !decorators.is_empty() {
                self.member(decorators);
                return;
            }
            if self.lang == Lang::CSharp
                && let Some(name_at) = self.cs_decl_name()
            {
                let start = self.i;
                self.i = name_at;
                self.declarators(out, start);
                return;
            }
            // Label `name:` (JS/Go/C#).
            if self.is_at(self.i + 1, ":") && !self.is_at(self.i + 2, ":") && self.lang != Lang::Js
            {
                self.i += 2;
                return;
            }
        }
        if self.is("{") {
            self.i += 1;
            let b = self.block_until_close();
            out.extend(b);
            return;
        }
        self.simple(out, start);
    }

    fn nl_at(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| t.nl)
    }

    fn stmt_start(&self) -> bool {
        // A `[` that starts a statement: an attribute when a declaration
        // follows the closing bracket.
        let close = self.matching(self.i);
        self.toks
            .get(close + 1)
            .is_some_and(|t| t.k == K::Ident || self.txt(close + 1) == "[")
    }

    fn stmt_with(&mut self, out: &mut Vec<Stmt>, decorators: Vec<String>) {
        let _ = decorators;
        let start = self.i;
        self.stmt(out);
        if self.i == start {
            self.i += 1;
        }
    }

    /// `import …` / `using …;` / `package x` / `export { … } from '…'`.
    fn skip_import(&mut self) {
        let line_start = self.i;
        if self.is("import") || self.is("package") || self.is("using") {
            self.i += 1;
        }
        if self.lang == Lang::Go && self.is("(") {
            self.skip_group();
            return;
        }
        while !self.at_end() && !self.is(";") {
            if self.i > line_start + 1 && self.nl() && self.lang != Lang::CSharp {
                return;
            }
            if self.is("{") {
                self.skip_group();
                continue;
            }
            self.i += 1;
        }
        self.eat(";");
    }

    fn loop_stmt(&mut self, out: &mut Vec<Stmt>) {
        let kw = self.cur();
        self.i += 1;
        self.eat("await");
        let mut pre = Vec::new();
        if self.lang == Lang::Go {
            // `for {`, `for cond {`, `for i := 0; i < n; i++ {`,
            // `for k, v := range expr {`.
            let saved = std::mem::replace(&mut self.no_brace, true);
            if !self.is("{") {
                let range_at = (self.i..self.toks.len().min(self.i + 40))
                    .take_while(|&k| !self.is_at(k, "{"))
                    .find(|&k| self.is_at(k, "range"));
                if let Some(r) = range_at {
                    let target = self.target_list(r);
                    self.i = r + 1;
                    let it = self.expr();
                    pre.push(Stmt::Assign {
                        target,
                        op: "=".into(),
                        value: Expr::Index(Box::new(it), Box::new(Expr::Opaque)),
                        span: (0, 0),
                    });
                } else {
                    let mut n = 0;
                    while !self.at_end() && !self.is("{") && n < 1000 {
                        n += 1;
                        let before = self.i;
                        self.simple(&mut pre, before);
                        if self.i == before {
                            self.i += 1;
                        }
                    }
                }
            }
            self.no_brace = saved;
            let body = self.body();
            pre.extend(body);
            out.push(Stmt::Block(pre));
            return;
        }
        if self.is("(") {
            let close = self.matching(self.i);
            // `for (const x of xs)`, `for (k in o)`, `foreach (var x in xs)`.
            let sep = (self.i + 1..close).find(|&k| {
                self.toks[k].k == K::Ident
                    && matches!(self.txt(k), "of" | "in")
                    && !self.is_at(k + 1, ")")
            });
            if let Some(sep) = sep {
                let var = (self.i + 1..sep)
                    .rev()
                    .find(|&k| self.toks[k].k == K::Ident)
                    .map(|k| self.txt(k).to_string())
                    .unwrap_or_default();
                self.i = sep + 1;
                let it = self.expr();
                self.i = close + 1;
                pre.push(Stmt::Assign {
                    target: Expr::Name(var),
                    op: "=".into(),
                    value: Expr::Index(Box::new(it), Box::new(Expr::Opaque)),
                    span: (0, 0),
                });
            } else if kw == "while" {
                let _ = self.header();
            } else {
                self.i += 1;
                let mut n = 0;
                while self.i < close && n < 100 {
                    n += 1;
                    let before = self.i;
                    self.simple(&mut pre, before);
                    self.eat(";");
                    if self.i == before {
                        self.i += 1;
                    }
                }
                self.i = close + 1;
            }
        }
        let body = self.body();
        pre.extend(body);
        out.push(Stmt::Block(pre));
    }

    /// Targets `a, b` up to token `end` (Go `:=`/`range`).
    fn target_list(&mut self, end: usize) -> Expr {
        let mut v = Vec::new();
        while self.i < end {
            if self.ident() {
                v.push(Expr::Name(self.cur().to_string()));
            }
            self.i += 1;
        }
        if v.len() == 1 {
            v.pop().unwrap_or(Expr::Opaque)
        } else {
            Expr::List(v)
        }
    }

    /// An expression statement or assignment (`=`, `:=`, compound).
    fn simple(&mut self, out: &mut Vec<Stmt>, start: usize) {
        let first = self.expr();
        let mut targets = vec![first];
        while self.lang == Lang::Go && self.is(",") {
            self.i += 1;
            targets.push(self.expr());
        }
        if self.kind() == Some(K::Op) && assign_op(self.cur()) {
            let mut op = self.cur().to_string();
            self.i += 1;
            let mut value = self.expr();
            if self.lang == Lang::Go && self.is(",") {
                let mut v = vec![value];
                while self.eat(",") {
                    v.push(self.expr());
                }
                value = Expr::List(v);
            }
            // Chained `a = b = c`.
            while op == "=" && self.is("=") {
                self.i += 1;
                targets.push(value);
                value = self.expr();
            }
            if op == ":=" || op == "??=" || op == "||=" {
                op = if op == ":=" { "=".into() } else { "|=".into() };
            }
            let target = if targets.len() == 1 {
                targets.pop().unwrap_or(Expr::Opaque)
            } else {
                Expr::List(targets)
            };
            self.push_assign(out, target, op, value, start);
        } else {
            for t in targets {
                out.push(Stmt::Expr(t));
            }
        }
        self.end_stmt();
    }

    /// An assignment; a property assignment is also its setter call.
    fn push_assign(
        &mut self,
        out: &mut Vec<Stmt>,
        target: Expr,
        op: String,
        value: Expr,
        start: usize,
    ) {
        let span = self.span_from(start);
        let setter = match &target {
            Expr::Attr(base, name) if op == "=" || op == "+=" => Some(Expr::Call(Box::new(Call {
                recv: Some((**base).clone()),
                name: format!("set_{name}"),
                args: vec![Arg {
                    name: None,
                    value: value.clone(),
                }],
                new: false,
                span,
            }))),
            _ => None,
        };
        if let Expr::List(ts) = &target
            && let Expr::List(vs) = &value
            && ts.len() == vs.len()
        {
            for (t, v) in ts.iter().zip(vs) {
                out.push(Stmt::Assign {
                    target: t.clone(),
                    op: op.clone(),
                    value: v.clone(),
                    span,
                });
            }
            return;
        }
        out.push(Stmt::Assign {
            target,
            op,
            value,
            span,
        });
        if let Some(s) = setter {
            out.push(Stmt::Expr(s));
        }
    }

    /// JS `const`/`let`/`var` declarators (destructuring included).
    fn js_decl(&mut self, out: &mut Vec<Stmt>, start: usize) {
        let mut guard = 0;
        loop {
            guard += 1;
            if guard > 1000 || self.at_end() {
                break;
            }
            if self.is("{") || self.is("[") {
                // Destructuring: `{ a, b: c, d = 1 } = obj`, `[a, b] = arr`.
                let obj = self.is("{");
                let close = self.matching(self.i);
                let mut names: Vec<(String, String)> = Vec::new();
                let mut k = self.i + 1;
                let mut idx = 0;
                while k < close {
                    if self.toks[k].k == K::Ident {
                        let key = self.txt(k).to_string();
                        let mut var = key.clone();
                        let mut next = k + 1;
                        if obj
                            && self.is_at(k + 1, ":")
                            && self.toks.get(k + 2).is_some_and(|t| t.k == K::Ident)
                        {
                            var = self.txt(k + 2).to_string();
                            next = k + 3;
                        }
                        names.push((if obj { key } else { idx.to_string() }, var));
                        k = next;
                        // Skip a default value.
                        while k < close && !self.is_at(k, ",") {
                            if matches!(self.txt(k), "(" | "{" | "[") {
                                k = self.matching(k);
                            }
                            k += 1;
                        }
                        idx += 1;
                    }
                    k += 1;
                }
                self.i = close + 1;
                if self.eat(":") {
                    let _ = self.skip_type();
                }
                if self.eat("=") {
                    let value = self.expr();
                    let span = self.span_from(start);
                    for (key, var) in names {
                        let v = if obj {
                            Expr::Attr(Box::new(value.clone()), key)
                        } else {
                            Expr::Index(Box::new(value.clone()), Box::new(Expr::Lit(key)))
                        };
                        out.push(Stmt::Assign {
                            target: Expr::Name(var),
                            op: "=".into(),
                            value: v,
                            span,
                        });
                    }
                }
            } else if self.ident() {
                let name = self.cur().to_string();
                self.i += 1;
                self.eat("!");
                if self.eat(":") {
                    let _ = self.skip_type();
                }
                if self.eat("=") {
                    let value = self.expr();
                    out.push(Stmt::Assign {
                        target: Expr::Name(name),
                        op: "=".into(),
                        value,
                        span: self.span_from(start),
                    });
                }
            } else {
                break;
            }
            if !self.eat(",") {
                break;
            }
        }
        self.end_stmt();
    }

    /// Go `var x T = v`, `var ( … )`, `const ( … )`.
    fn go_var(&mut self, out: &mut Vec<Stmt>) {
        let start = self.i;
        self.i += 1;
        let grouped = self.eat("(");
        let mut guard = 0;
        loop {
            guard += 1;
            if guard > 10_000 || self.at_end() {
                break;
            }
            if grouped && self.eat(")") {
                break;
            }
            if self.eat(";") {
                continue;
            }
            let before = self.i;
            let mut names = Vec::new();
            while self.ident() {
                names.push(self.cur().to_string());
                self.i += 1;
                if !self.eat(",") {
                    break;
                }
            }
            if !self.is("=") && !self.nl() && !self.is(")") {
                let _ = self.skip_type();
            }
            if self.eat("=") {
                let mut vals = vec![self.expr()];
                while self.eat(",") {
                    vals.push(self.expr());
                }
                let span = self.span_from(start);
                for (k, n) in names.iter().enumerate() {
                    let v = vals.get(k).cloned().unwrap_or(Expr::Opaque);
                    out.push(Stmt::Assign {
                        target: Expr::Name(n.clone()),
                        op: "=".into(),
                        value: v,
                        span,
                    });
                }
            }
            if !grouped {
                break;
            }
            if self.i == before {
                self.i += 1;
            }
        }
        self.end_stmt();
    }

    /// Go `func name(…) … {…}` / `func (r *T) name(…) … {…}`.
    fn go_method_ahead(&self) -> bool {
        // `func (r *T) Name(` — a receiver group followed by a name.
        if !self.is_at(self.i + 1, "(") {
            return false;
        }
        let close = self.matching(self.i + 1);
        self.toks.get(close + 1).is_some_and(|t| t.k == K::Ident) && self.is_at(close + 2, "(")
    }

    fn go_func(&mut self) {
        let start = self.i;
        self.i += 1;
        let mut class = String::new();
        let mut recv_params = Vec::new();
        if self.is("(") {
            recv_params = self.params();
            class = recv_params
                .first()
                .map(|p| p.ty.clone())
                .unwrap_or_default();
        }
        let name = if self.ident() {
            let n = self.cur().to_string();
            self.i += 1;
            n
        } else {
            String::new()
        };
        if self.is("[") {
            self.skip_group();
        }
        let params = self.params();
        self.skip_return_type();
        let body = if self.eat("{") {
            self.block_until_close()
        } else {
            Vec::new()
        };
        let _ = recv_params;
        let body = numeric_params(&params, body);
        let span = self.span_from(start);
        self.module.functions.push(Function {
            name,
            class,
            params,
            decorators: Vec::new(),
            body,
            span,
        });
    }

    /// Whether a class member (method) declaration follows in JS.
    fn class_member_ahead(&self) -> bool {
        self.ident()
            && !matches!(self.cur(), "const" | "let" | "var" | "function" | "class")
            && (self.is_at(self.i + 1, "(") || self.is_at(self.i + 1, "<"))
    }

    fn class_decl(&mut self) {
        let kind = self.cur();
        self.i += 1;
        let name = if self.ident() {
            let n = self.cur().to_string();
            self.i += 1;
            n
        } else {
            String::new()
        };
        if kind == "enum" {
            while !self.at_end() && !self.is("{") && !self.is(";") {
                self.i += 1;
            }
            if self.is("{") {
                self.skip_group();
            }
            return;
        }
        // Header: generics, primary constructor, base types.
        let mut n = 0;
        while !self.at_end() && !self.is("{") && !self.is(";") && !self.is("}") && n < 2000 {
            n += 1;
            if self.is("(") || self.is("<") && self.lang == Lang::Js {
                if self.is("<") {
                    self.skip_angle();
                } else {
                    self.skip_group();
                }
            } else {
                self.i += 1;
            }
        }
        if self.eat("{") {
            let outer = std::mem::replace(&mut self.class, name);
            self.depth += 1;
            if self.depth < MAX_DEPTH {
                self.members();
            } else {
                self.i -= 1;
                self.skip_group();
            }
            self.depth -= 1;
            self.class = outer;
        } else {
            self.eat(";");
        }
    }

    /// Class members until the closing `}` (consumed).
    fn members(&mut self) {
        let mut guard = 0usize;
        while !self.at_end() && guard < 1_000_000 {
            guard += 1;
            if self.eat("}") {
                return;
            }
            if self.eat(";") || self.eat(",") {
                continue;
            }
            let before = self.i;
            let decorators = match self.lang {
                Lang::CSharp => self.cs_attributes(),
                _ => self.js_decorators(),
            };
            self.member(decorators);
            if self.i == before {
                self.i += 1;
            }
        }
    }

    /// One member: method, constructor, field, property or nested type.
    fn member(&mut self, mut decorators: Vec<String>) {
        let mut fixed = false;
        loop {
            if self.lang == Lang::CSharp && self.is("[") {
                decorators.extend(self.cs_attributes());
                continue;
            }
            if self.lang == Lang::Js && self.is("@") {
                decorators.extend(self.js_decorators());
                continue;
            }
            if self.ident()
                && MODIFIERS.contains(&self.cur())
                && self.toks.get(self.i + 1).is_some_and(|t| {
                    t.k == K::Ident || matches!(self.txt(self.i + 1), "[" | "*" | "#" | "(")
                })
                && !(self.lang == Lang::Js
                    && matches!(self.cur(), "get" | "set" | "async" | "static")
                    && self.is_at(self.i + 1, "("))
            {
                if matches!(self.cur(), "const" | "readonly") {
                    fixed = true;
                }
                self.i += 1;
                continue;
            }
            break;
        }
        if self.ident()
            && matches!(
                self.cur(),
                "class" | "struct" | "record" | "interface" | "enum"
            )
        {
            self.class_decl();
            return;
        }
        if self.lang == Lang::CSharp && self.is("namespace") {
            let mut tmp = Vec::new();
            self.stmt(&mut tmp);
            return;
        }
        if self.lang == Lang::Js {
            self.eat("*");
            if self.is("function") {
                let _ = self.try_lambda();
                return;
            }
            if !self.ident() {
                if self.is("[") {
                    self.skip_group();
                }
                return;
            }
            let name = self.cur().to_string();
            if self.is_at(self.i + 1, "(") || self.is_at(self.i + 1, "<") {
                self.method_like(decorators);
                return;
            }
            // Field: `name[?!]: T = value`.
            self.i += 1;
            self.eat("?");
            self.eat("!");
            if self.eat(":") {
                let _ = self.skip_type();
            }
            let value = if self.eat("=") {
                Some(self.expr())
            } else {
                None
            };
            self.module.fields.push(Field { name, value, fixed });
            self.end_stmt();
            return;
        }
        // C#: constructor `Name(`, method `T Name(`, field/property `T Name`.
        if !self.ident() {
            if self.is("{") || self.is("(") {
                self.skip_group();
            } else {
                self.i += 1;
            }
            return;
        }
        if self.is_at(self.i + 1, "(") && self.cur() == self.class {
            self.method_like(decorators);
            return;
        }
        let _ty = self.skip_type();
        if self.is("operator") || self.is("implicit") || self.is("explicit") {
            while !self.at_end() && !self.is("(") {
                self.i += 1;
            }
            let _ = self.params();
            if self.is("{") {
                self.skip_group();
            }
            return;
        }
        if !self.ident() {
            // `this[int i]` indexers and the like.
            while !self.at_end() && !self.is("{") && !self.is(";") && !self.is("}") {
                self.i += 1;
            }
            if self.is("{") {
                self.skip_group();
            }
            self.eat(";");
            return;
        }
        let name = self.cur().to_string();
        if self.is_at(self.i + 1, "(") || self.is_at(self.i + 1, "<") {
            self.method_like(decorators);
            return;
        }
        self.i += 1;
        if self.is("{") {
            // Property with accessors `{ get; set; } = value;` or bodies.
            let start = self.i;
            let close = self.matching(self.i);
            let has_body = (self.i..close).any(|k| self.is_at(k, "{") || self.is_at(k, "=>"));
            if has_body {
                self.i += 1;
                let body = self.block_until_close();
                self.module.functions.push(Function {
                    name: name.clone(),
                    class: self.class.clone(),
                    body,
                    span: self.span_from(start),
                    ..Function::default()
                });
            } else {
                self.i = close + 1;
            }
            let value = if self.eat("=") {
                Some(self.expr())
            } else {
                None
            };
            self.module.fields.push(Field {
                name,
                value,
                fixed: false,
            });
            self.end_stmt();
            return;
        }
        if self.eat("=>") {
            // Expression-bodied property.
            let e = self.expr();
            self.module.functions.push(Function {
                name,
                class: self.class.clone(),
                body: vec![Stmt::Return(Some(e))],
                ..Function::default()
            });
            self.end_stmt();
            return;
        }
        // Field declarators.
        let mut name = name;
        loop {
            let value = if self.eat("=") {
                Some(self.expr())
            } else {
                None
            };
            self.module.fields.push(Field {
                name: name.clone(),
                value,
                fixed,
            });
            if self.eat(",") && self.ident() {
                name = self.cur().to_string();
                self.i += 1;
                continue;
            }
            break;
        }
        self.end_stmt();
    }

    /// A method (JS class/object method, C# method or constructor) from
    /// its name.
    fn method_like(&mut self, decorators: Vec<String>) {
        let start = self.i;
        while self.ident()
            && matches!(self.cur(), "get" | "set" | "async" | "static")
            && self.toks.get(self.i + 1).is_some_and(|t| t.k == K::Ident)
        {
            self.i += 1;
        }
        let name = if self.kind() == Some(K::Str) {
            let t = self.toks[self.i];
            self.lits[t.lit as usize].value.clone()
        } else {
            self.cur().to_string()
        };
        self.i += 1;
        if self.is("<") {
            self.skip_angle();
        }
        let mut params = self.params();
        // Return type / `where` constraints / base-constructor call.
        if self.lang == Lang::Js && self.eat(":") {
            let _ = self.skip_type();
        }
        let mut n = 0;
        while !self.at_end()
            && !self.is("{")
            && !self.is(";")
            && !self.is("=>")
            && !self.is("}")
            && n < 500
        {
            n += 1;
            if self.is("(") {
                self.skip_group();
            } else {
                self.i += 1;
            }
        }
        let body = if self.eat("{") {
            self.block_until_close()
        } else if self.eat("=>") {
            let e = self.expr();
            self.end_stmt();
            vec![Stmt::Return(Some(e))]
        } else {
            self.eat(";");
            Vec::new()
        };
        let body = numeric_params(&params, body);
        if self.lang == Lang::CSharp && body_mentions(&body, "Request") {
            params.push(Param {
                name: "Request".into(),
                annotations: Vec::new(),
                ty: "HttpRequest".into(),
            });
        }
        let span = self.span_from(start);
        let mut decorators = decorators;
        canonical_handlers(&mut decorators);
        self.module.functions.push(Function {
            name,
            class: self.class.clone(),
            params,
            decorators,
            body,
            span,
        });
    }

    /// C# local declaration `Type name = …`: the index of the name.
    fn cs_decl_name(&self) -> Option<usize> {
        let mut j = self.i;
        let first = self.txt(j);
        if matches!(
            first,
            "return" | "new" | "await" | "throw" | "yield" | "var"
        ) && first != "var"
        {
            return None;
        }
        let mut n = 0;
        // Type: ident(.ident)*(<...>)?([])*(?)?, or a tuple type.
        if self.is_at(j, "(") {
            return None;
        }
        while n < 60 && j < self.toks.len() {
            n += 1;
            if self.toks[j].k != K::Ident {
                return None;
            }
            j += 1;
            if self.is_at(j, ".") {
                j += 1;
                continue;
            }
            break;
        }
        if self.is_at(j, "<") {
            let mut d = 0;
            let mut m = 0;
            while j < self.toks.len() && m < 60 {
                m += 1;
                match self.txt(j) {
                    "<" => d += 1,
                    ">" => d -= 1,
                    ">>" => d -= 2,
                    "(" | ")" | ";" | "{" | "}" | "=" => return None,
                    _ => {}
                }
                j += 1;
                if d <= 0 {
                    break;
                }
            }
        }
        while self.is_at(j, "[") && self.is_at(j + 1, "]") || self.is_at(j, "?") {
            j += if self.is_at(j, "?") { 1 } else { 2 };
        }
        let t = self.toks.get(j)?;
        if t.k != K::Ident {
            return None;
        }
        let after = self.txt(j + 1);
        matches!(after, "=" | ";" | "," | "in").then_some(j)
    }

    /// C# declarators from the name: `a = 1, b = f()`.
    fn declarators(&mut self, out: &mut Vec<Stmt>, start: usize) {
        loop {
            if !self.ident() {
                break;
            }
            let name = self.cur().to_string();
            self.i += 1;
            if self.eat("=") {
                let value = self.expr();
                out.push(Stmt::Assign {
                    target: Expr::Name(name),
                    op: "=".into(),
                    value,
                    span: self.span_from(start),
                });
            }
            if !self.eat(",") {
                break;
            }
        }
        self.end_stmt();
    }
}

impl P<'_> {
    /// Checks spelled differently per language, in the vocabulary the
    /// analysis knows: `strings.HasPrefix(x, p)` / `x.StartsWith(p)` is
    /// `x.startsWith(p)`, `slices.Contains(xs, x)` / `xs.Contains(x)` /
    /// `set.has(x)` is `xs.contains(x)`, `re.test(x)` /
    /// `Regex.IsMatch(x, p)` / `re.MatchString(x)` is a match of `x`, and
    /// `Url.IsLocalUrl(x)` validates `x`.
    fn lower_call(&self, mut c: Call) -> Expr {
        let recv_name = match &c.recv {
            Some(Expr::Name(n)) => n.as_str(),
            _ => "",
        };
        match (self.lang, recv_name, c.name.as_str()) {
            (Lang::Go, "strings" | "bytes", "HasPrefix") if c.args.len() == 2 => {
                let x = c.args.remove(0).value;
                c.recv = Some(x);
                c.name = "startsWith".into();
            }
            (Lang::Go, "slices" | "sort", "Contains" | "SearchStrings") if c.args.len() == 2 => {
                let xs = c.args.remove(0).value;
                c.recv = Some(xs);
                c.name = "contains".into();
            }
            (Lang::Go, _, "MatchString" | "Match") if c.args.len() == 1 => {
                c.name = "isValid".into();
            }
            (Lang::Go, "regexp", "MatchString") if c.args.len() == 2 => {
                c.args.remove(0);
                c.recv = None;
                c.name = "isValid".into();
            }
            (Lang::CSharp, _, "StartsWith") => c.name = "startsWith".into(),
            (Lang::CSharp, _, "Contains" | "ContainsKey") if c.args.len() == 1 => {
                c.name = "contains".into()
            }
            (Lang::CSharp, "Regex", "IsMatch") if c.args.len() >= 2 => {
                c.recv = None;
                c.name = "isValid".into();
            }
            (Lang::CSharp, _, "IsMatch") if c.args.len() == 1 => c.name = "isValid".into(),
            (Lang::CSharp, _, "IsLocalUrl") => {
                c.recv = None;
                c.name = "isValid".into();
            }
            (Lang::Js, _, "has") if c.args.len() == 1 => c.name = "contains".into(),
            (Lang::Js, _, "test") if c.args.len() == 1 => {
                c.recv = None;
                c.name = "isValid".into();
            }
            _ => {}
        }
        // A prefix check against a value that is not a literal (a
        // configured site URL or base directory) is an allow-list check of
        // the receiver: `x.startsWith(base)` also reads as
        // `isAllowedPrefix(x)`.
        if c.name == "startsWith"
            && c.args.len() == 1
            && !matches!(
                c.args[0].value,
                Expr::Str(_) | Expr::Lit(_) | Expr::Concat(_)
            )
            && let Some(x) = c.recv.clone()
        {
            let check = Expr::Call(Box::new(Call {
                recv: None,
                name: "isAllowedPrefix".into(),
                args: vec![Arg {
                    name: None,
                    value: x,
                }],
                new: false,
                span: c.span,
            }));
            return Expr::Bin(
                "&&".into(),
                Box::new(Expr::Call(Box::new(c))),
                Box::new(check),
            );
        }
        Expr::Call(Box::new(c))
    }
}

fn split_callee(e: Expr) -> (Option<Expr>, String) {
    match e {
        Expr::Name(n) => (None, n),
        Expr::Attr(r, n) => (Some(*r), n),
        other => (Some(other), String::new()),
    }
}

/// Framework parameter bindings in the analysis' vocabulary: NestJS
/// `@Query()`/`@Param()`/`@Headers()` and ASP.NET `[FromQuery]`/
/// `[FromRoute]`/`[FromHeader]`/`[FromForm]` add the JAX-RS name of the
/// same binding (the framework's own name stays first, for messages);
/// NestJS `@Req()` is the request; C# `string` is `String`.
fn canonical_sources(p: &mut Param, lang: Lang) {
    let mut extra = Vec::new();
    for a in &p.annotations {
        let c = match a.as_str() {
            "Query" | "FromQuery" => "QueryParam",
            "Param" | "FromRoute" => "PathParam",
            "Headers" | "FromHeader" => "HeaderParam",
            "Cookies" => "CookieParam",
            "FromForm" | "UploadedFile" => "FormParam",
            "Body" | "FromBody" => "Body",
            "Req" | "Request" if lang == Lang::Js => {
                p.ty = "Request".into();
                continue;
            }
            _ => continue,
        };
        extra.push(c.to_string());
    }
    p.annotations.extend(extra);
    if lang == Lang::CSharp && p.ty == "string" {
        p.ty = "String".into();
    }
}

/// Handler attributes: ASP.NET `[HttpGet]`… add the JAX-RS verb.
fn canonical_handlers(decorators: &mut Vec<String>) {
    if decorators.iter().any(|d| {
        matches!(
            d.as_str(),
            "HttpGet"
                | "HttpPost"
                | "HttpPut"
                | "HttpDelete"
                | "HttpPatch"
                | "AcceptVerbs"
                | "Patch"
                | "All"
        )
    }) {
        decorators.push("GET".into());
    }
}

/// Numeric, boolean, UUID and date parameter types: such a value carries
/// no text.
const NUMERIC_TYPES: &[&str] = &[
    "number",
    "bigint",
    "boolean",
    "int",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "float32",
    "float64",
    "bool",
    "long",
    "short",
    "byte",
    "double",
    "float",
    "decimal",
    "Guid",
    "DateTime",
    "DateTimeOffset",
    "DateOnly",
    "Int32",
    "Int64",
    "Decimal",
    "UUID",
];

/// A body that starts by converting each numeric-typed parameter
/// (`id = int(id)`), so the analysis treats it as a number.
fn numeric_params(params: &[Param], mut body: Vec<Stmt>) -> Vec<Stmt> {
    let conv: Vec<Stmt> = params
        .iter()
        .filter(|p| NUMERIC_TYPES.contains(&p.ty.as_str()))
        .map(|p| Stmt::Assign {
            target: Expr::Name(p.name.clone()),
            op: "=".into(),
            value: Expr::Call(Box::new(Call {
                recv: None,
                name: "int".into(),
                args: vec![Arg {
                    name: None,
                    value: Expr::Name(p.name.clone()),
                }],
                new: false,
                span: (0, 0),
            })),
            span: (0, 0),
        })
        .collect();
    if conv.is_empty() {
        return body;
    }
    let mut out = conv;
    out.append(&mut body);
    out
}

/// Whether statements mention the name `n` anywhere.
fn body_mentions(stmts: &[Stmt], n: &str) -> bool {
    fn expr(e: &Expr, n: &str) -> bool {
        match e {
            Expr::Name(x) => x == n,
            Expr::Attr(b, _) => expr(b, n),
            Expr::Index(a, b) | Expr::Bin(_, a, b) => expr(a, n) || expr(b, n),
            Expr::Call(c) => {
                c.recv.as_ref().is_some_and(|r| expr(r, n))
                    || c.args.iter().any(|a| expr(&a.value, n))
            }
            Expr::Concat(v) | Expr::List(v) => v.iter().any(|x| expr(x, n)),
            Expr::Unary(_, a) => expr(a, n),
            Expr::Cond(a, b, c) => expr(a, n) || expr(b, n) || expr(c, n),
            Expr::Dict(v) => v.iter().any(|(a, b)| expr(a, n) || expr(b, n)),
            _ => false,
        }
    }
    stmts.iter().any(|s| match s {
        Stmt::Assign { target, value, .. } => expr(target, n) || expr(value, n),
        Stmt::Expr(e) => expr(e, n),
        Stmt::Return(Some(e)) => expr(e, n),
        Stmt::If { cond, then, els } => {
            expr(cond, n) || body_mentions(then, n) || body_mentions(els, n)
        }
        Stmt::Block(b) => body_mentions(b, n),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find<'m>(m: &'m Module, name: &str) -> &'m Function {
        m.functions
            .iter()
            .find(|f| f.name == name)
            .unwrap_or_else(|| {
                panic!(
                    "no {name} in {:?}",
                    m.functions.iter().map(|f| &f.name).collect::<Vec<_>>()
                )
            })
    }

    #[test]
    fn express_handler_is_a_function_with_a_request() {
        let m = parse(
            "const express = require('express');\nconst TABLE = 'users';\napp.get('/u', async (req, res) => {\n  const { id, name: n } = req.query;\n  const q = `SELECT * FROM ${TABLE} WHERE id = ${id}`;\n  if (!id) return res.status(400).end()\n  db.query(q, (err, rows) => res.json(rows));\n});\n",
            Lang::Js,
        );
        let f = find(&m, "<lambda2>");
        assert_eq!(f.params[0].ty, "Request");
        assert!(matches!(f.body[0], Stmt::Assign { .. }));
        assert!(matches!(f.body[2], Stmt::Assign { .. }));
        assert!(matches!(f.body[3], Stmt::If { .. }));
        assert!(m.fields.iter().any(|x| x.name == "TABLE" && x.fixed));
    }

    #[test]
    fn typescript_nest_controller() {
        let m = parse(
            "@Controller('users')\nexport class UsersController {\n  constructor(private readonly ds: DataSource) {}\n  @Get(':id')\n  async find(@Param('id') id: string, @Query() q: QueryDto): Promise<User[]> {\n    return this.ds.query(`SELECT * FROM users WHERE id = ${id}`);\n  }\n}\n",
            Lang::Js,
        );
        let f = find(&m, "find");
        assert_eq!(f.decorators, vec!["Get"]);
        assert_eq!(f.params[0].annotations, vec!["Param", "PathParam"]);
        assert_eq!(f.params[0].ty, "string");
        assert_eq!(f.class, "UsersController");
        assert!(matches!(f.body[0], Stmt::Return(Some(Expr::Call(_)))));
    }

    #[test]
    fn go_handlers_and_composite_literals() {
        let m = parse(
            "package main\nimport (\n  \"fmt\"\n)\nconst table = \"users\"\nfunc (s *Server) find(w http.ResponseWriter, r *http.Request) {\n  id := r.URL.Query().Get(\"id\")\n  q := fmt.Sprintf(\"SELECT * FROM %s WHERE id = '%s'\", table, id)\n  rows, err := s.db.Query(q)\n  if err != nil {\n    return\n  }\n  for _, x := range rows { use(x) }\n  cfg := &tls.Config{InsecureSkipVerify: true}\n}\nfunc ping(c *gin.Context) { c.JSON(200, gin.H{\"id\": c.Query(\"id\")}) }\n",
            Lang::Go,
        );
        let f = find(&m, "find");
        assert_eq!(f.class, "Server");
        assert_eq!(f.params[1].ty, "Request");
        assert_eq!(f.body.len(), 6, "{:?}", f.body);
        let Stmt::Assign {
            value: Expr::Call(c),
            ..
        } = &f.body[5]
        else {
            panic!("{:?}", f.body[5])
        };
        assert_eq!(c.name, "Config");
        assert_eq!(c.args[0].name.as_deref(), Some("InsecureSkipVerify"));
        assert_eq!(find(&m, "ping").params[0].ty, "Request");
        assert!(m.fields.iter().any(|x| x.name == "table"));
    }

    #[test]
    fn csharp_controller_and_lambdas() {
        let m = parse(
            "using System;\nnamespace Bank.Api;\n[ApiController]\n[Route(\"api/[controller]\")]\npublic class AccountsController : ControllerBase\n{\n    private const string Table = \"accounts\";\n    [HttpGet(\"{id}\")]\n    public async Task<IActionResult> Get(int id, [FromQuery] string name)\n    {\n        var sql = $\"SELECT * FROM {Table} WHERE name = '{name}'\";\n        using var cmd = new SqlCommand(sql, _conn);\n        var h = Request.Headers[\"X-Id\"];\n        ServicePointManager.ServerCertificateValidationCallback = (a, b, c, d) => true;\n        return Ok(await cmd.ExecuteScalarAsync());\n    }\n}\n",
            Lang::CSharp,
        );
        let f = find(&m, "Get");
        assert_eq!(f.decorators, vec!["HttpGet", "GET"]);
        assert_eq!(f.params[1].annotations, vec!["FromQuery", "QueryParam"]);
        assert_eq!(f.params[1].ty, "String");
        assert!(
            f.params
                .iter()
                .any(|p| p.name == "Request" && p.ty == "HttpRequest")
        );
        assert!(
            f.body.iter().any(|s| matches!(s, Stmt::Expr(Expr::Call(c)) if c.name == "set_ServerCertificateValidationCallback" && matches!(&c.args[0].value, Expr::Lit(l) if l == LAMBDA_TRUE))),
            "{:?}",
            f.body
        );
        assert!(m.fields.iter().any(|x| x.name == "Table" && x.fixed));
    }

    #[test]
    fn garbage_and_deep_nesting_terminate() {
        let deep = "(".repeat(5000) + &"[".repeat(5000);
        let braces = "{".repeat(3000);
        let ifs = "if (a) ".repeat(3000);
        let arrows = "x => ".repeat(3000);
        let jsx = "<a>".repeat(3000);
        for t in [
            deep.as_str(),
            braces.as_str(),
            ifs.as_str(),
            arrows.as_str(),
            jsx.as_str(),
            "class { void f( { x = ; } } }}}",
            "func func func ( ( { ",
            "@@@ new new new ( ) [ ] => => ?. :: ...",
            "const { a, b = } = ; let [",
            "`${`${`${",
            "var x = $\"{(\";",
            "<div dangerouslySetInnerHTML={{__html: x}} />",
        ] {
            for l in [Lang::Js, Lang::Go, Lang::CSharp] {
                let _ = parse(t, l);
            }
        }
    }
}
