//! Tolerant recursive-descent parsers for Java/Kotlin and Python that lower
//! straight to the IR ([`super::ir`]).
//!
//! Unknown syntax is skipped token by token, every loop consumes at least
//! one token per iteration, and recursion is bounded ([`MAX_DEPTH`]), so
//! any input (including half-written edits) parses in linear time without
//! panicking. What cannot be understood becomes [`Expr::Opaque`].

use super::ir::*;
use super::lex::{K, Lang, Lexed, Tok, lex};
use kiro_guard_skill::scan::Bracket;

/// Deeper nesting than this is skipped as opaque.
pub const MAX_DEPTH: u32 = 120;

pub struct Parser<'a> {
    text: &'a str,
    toks: Vec<Tok>,
    lits: Vec<super::lex::Lit>,
    i: usize,
    lang: Lang,
    depth: u32,
    /// Inside `(`/`[`: Kotlin line ends do not end expressions.
    paren: u32,
    module: Module,
    class: String,
    saw_class: bool,
}

const JAVA_MODIFIERS: &[&str] = &[
    "public",
    "private",
    "protected",
    "static",
    "final",
    "abstract",
    "synchronized",
    "native",
    "transient",
    "volatile",
    "default",
    "strictfp",
    "open",
    "override",
    "internal",
    "suspend",
    "inline",
    "data",
    "sealed",
    "lateinit",
    "const",
    "operator",
    "infix",
    "tailrec",
    "external",
    "inner",
    "enum",
    "annotation",
    "companion",
    "actual",
    "expect",
    "non-sealed",
    "value",
];

fn assign_op(s: &str) -> bool {
    matches!(
        s,
        "=" | "+=" | "-=" | "*=" | "/=" | "%=" | "|=" | "&=" | "^=" | "<<=" | ">>=" | "**=" | "//="
    )
}

pub fn parse(text: &str, lang: Lang) -> Module {
    let Lexed { toks, lits } = lex(text, lang);
    let mut p = Parser {
        text,
        toks,
        lits,
        i: 0,
        lang,
        depth: 0,
        paren: 0,
        module: Module::default(),
        class: String::new(),
        saw_class: false,
    };
    if lang == Lang::Python {
        let top = p.py_lines(None);
        p.module.top = top;
    } else {
        p.jvm_members(false);
        if !p.saw_class && p.module.functions.iter().all(|f| f.body.is_empty()) {
            // A fragment without declarations: statements at the top.
            p.i = 0;
            p.module = Module::default();
            let mut top = Vec::new();
            while !p.at_end() {
                let before = p.i;
                top.extend(p.jvm_stmts_until_close());
                if p.i == before {
                    p.i += 1;
                }
            }
            p.module.top = top;
        }
    }
    // Python module-level names assigned exactly once are constants.
    if lang == Lang::Python {
        let mut counts: std::collections::HashMap<String, (usize, Option<Expr>)> =
            Default::default();
        collect_assigns(&p.module.top, &mut counts);
        for (name, (n, v)) in counts {
            p.module.fields.push(Field {
                name,
                value: v,
                fixed: n == 1,
            });
        }
    }
    p.module
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

impl<'a> Parser<'a> {
    // ------------------------------------------------------------ tokens
    fn tok(&self) -> Option<&Tok> {
        self.toks.get(self.i)
    }
    fn at_end(&self) -> bool {
        self.i >= self.toks.len()
    }
    fn txt(&self, i: usize) -> &'a str {
        match self.toks.get(i) {
            Some(t) if t.k != K::Newline => self
                .text
                .get(t.s as usize..t.e as usize)
                .unwrap_or_default(),
            _ => "",
        }
    }
    fn cur(&self) -> &'a str {
        self.txt(self.i)
    }
    fn kind(&self) -> Option<K> {
        self.tok().map(|t| t.k)
    }
    fn is(&self, s: &str) -> bool {
        self.kind().is_some_and(|k| k != K::Str && k != K::Newline) && self.cur() == s
    }
    fn is_at(&self, i: usize, s: &str) -> bool {
        self.toks
            .get(i)
            .is_some_and(|t| t.k != K::Str && t.k != K::Newline)
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
    fn is_newline(&self) -> bool {
        self.kind() == Some(K::Newline)
    }
    fn ident(&self) -> bool {
        self.kind() == Some(K::Ident)
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
    /// Kotlin: a line break ends the expression (outside brackets).
    fn kotlin_break(&self) -> bool {
        self.lang == Lang::Kotlin
            && self.paren == 0
            && self.tok().is_some_and(|t| t.nl)
            && !matches!(self.cur(), "." | "?." | "?:" | "&&" | "||")
    }
    /// Skip a balanced bracket group starting at the current opening token.
    fn skip_group(&mut self) {
        let mut d = 0i32;
        while let Some(t) = self.tok() {
            if t.k == K::Op {
                match self.cur() {
                    "(" | "[" | "{" => d += 1,
                    ")" | "]" | "}" => {
                        d -= 1;
                        if d <= 0 {
                            self.i += 1;
                            return;
                        }
                    }
                    _ => {}
                }
            }
            self.i += 1;
        }
    }
    fn closes(&self) -> bool {
        matches!(self.cur(), ")" | "]" | "}") && self.kind() == Some(K::Op)
    }

    // ------------------------------------------------------- expressions
    pub fn expr(&mut self) -> Expr {
        if self.depth > MAX_DEPTH {
            self.skip_expr();
            return Expr::Opaque;
        }
        self.depth += 1;
        let e = self.expr_inner();
        self.depth -= 1;
        e
    }

    /// Skip to the end of the current expression (used past the depth cap).
    fn skip_expr(&mut self) {
        while let Some(t) = self.tok() {
            if t.k == K::Newline {
                return;
            }
            match self.cur() {
                "(" | "[" | "{" if t.k == K::Op => self.skip_group(),
                ")" | "]" | "}" | "," | ";" if t.k == K::Op => return,
                _ => self.i += 1,
            }
        }
    }

    fn expr_inner(&mut self) -> Expr {
        if self.lang == Lang::Python && self.is("lambda") {
            while !self.at_end() && !self.is(":") && !self.is_newline() {
                self.i += 1;
            }
            self.eat(":");
            let _ = self.expr();
            return Expr::Opaque;
        }
        let e = self.binary(0);
        if self.lang == Lang::Python && self.is("if") && !self.tok().is_some_and(|t| t.nl) {
            self.i += 1;
            let c = self.binary(0);
            if self.eat("else") {
                let b = self.expr();
                return Expr::Cond(Box::new(c), Box::new(e), Box::new(b));
            }
            return Expr::Cond(Box::new(c), Box::new(e), Box::new(Expr::Opaque));
        }
        if self.lang != Lang::Python && self.is("?") {
            self.i += 1;
            let a = self.expr();
            self.eat(":");
            let b = self.expr();
            return Expr::Cond(Box::new(e), Box::new(a), Box::new(b));
        }
        if self.lang != Lang::Python && self.is("->") {
            // Lambda: skip the body.
            self.i += 1;
            if self.is("{") {
                self.skip_group();
            } else {
                let _ = self.expr();
            }
            return Expr::Opaque;
        }
        e
    }

    fn bin_prec(&self) -> Option<(u8, &'a str)> {
        let t = self.tok()?;
        if t.k == K::Str || t.k == K::Newline || t.k == K::Num {
            return None;
        }
        if self.kotlin_break() {
            return None;
        }
        let s = self.cur();
        let py = self.lang == Lang::Python;
        let p = match s {
            "?:" => 1,
            "||" => 2,
            "or" if py => 2,
            "&&" => 3,
            "and" if py => 3,
            "==" | "!=" | "<" | ">" | "<=" | ">=" | "===" | "!==" | "instanceof" | "!in"
            | "!is" => 4,
            "in" | "is" if py || self.lang == Lang::Kotlin => 4,
            "not" if py && self.is_at(self.i + 1, "in") => 4,
            "|" => 5,
            "^" => 6,
            "&" => 7,
            "<<" | ">>" | ">>>" => 8,
            "+" | "-" => 9,
            "*" | "/" | "%" | "//" | "@" => 10,
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
            let op = if op == "not" {
                self.i += 1;
                "not in"
            } else if op == "is" && self.is("not") {
                self.i += 1;
                "is not"
            } else {
                op
            };
            if op == "instanceof" || ((op == "is" || op == "!is") && self.lang == Lang::Kotlin) {
                // The right side is a type.
                let _ = self.postfix_chain();
                left = Expr::Lit("bool".into());
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
                "?:" => Expr::Cond(Box::new(Expr::Opaque), Box::new(left), Box::new(right)),
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
            && matches!(s, "-" | "+" | "!" | "~" | "++" | "--" | "*" | "**")
        {
            self.i += 1;
            self.depth += 1;
            let e = self.unary();
            self.depth -= 1;
            return if s == "*" || s == "**" {
                e
            } else {
                Expr::Unary(s.to_string(), Box::new(e))
            };
        }
        if self.lang == Lang::Python && self.is("not") {
            self.i += 1;
            self.depth += 1;
            let e = self.binary(4);
            self.depth -= 1;
            return Expr::Unary("!".into(), Box::new(e));
        }
        if self.is("await") || (self.lang == Lang::Python && self.is("yield")) {
            self.i += 1;
            if self.lang == Lang::Python && self.is("from") {
                self.i += 1;
            }
            return self.unary();
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
            if self.kind() != Some(K::Op) {
                // Kotlin trailing lambda after a name: `list.map { ... }`.
                break;
            }
            let s = self.cur();
            if self.kotlin_break() && !matches!(s, "." | "?.") {
                break;
            }
            match s {
                "." | "?." | "::" => {
                    self.i += 1;
                    if self.is("<") {
                        // Java explicit type arguments: `Foo.<T>bar()`.
                        while !self.at_end() && !self.is(">") {
                            self.i += 1;
                        }
                        self.eat(">");
                    }
                    if self.ident() || self.is("class") || self.is("new") {
                        let name = self.cur().to_string();
                        self.i += 1;
                        if self.is("(") {
                            let args = self.args("(", ")");
                            e = Expr::Call(Box::new(Call {
                                recv: Some(e),
                                name,
                                args,
                                new: false,
                                span: self.span_from(start),
                            }));
                            e = self.trailing_lambda(e);
                        } else {
                            e = Expr::Attr(Box::new(e), name);
                            if self.lang == Lang::Kotlin
                                && self.is("{")
                                && !self.tok().is_some_and(|t| t.nl)
                            {
                                self.skip_group();
                            }
                        }
                    }
                }
                "(" => {
                    let args = self.args("(", ")");
                    let (recv, name) = match e {
                        Expr::Name(n) => (None, n),
                        Expr::Attr(r, n) => (Some(*r), n),
                        other => (Some(other), String::new()),
                    };
                    let new = self.lang != Lang::Java
                        && recv.is_none()
                        && name
                            .as_bytes()
                            .first()
                            .is_some_and(|c| c.is_ascii_uppercase());
                    e = Expr::Call(Box::new(Call {
                        recv,
                        name,
                        args,
                        new,
                        span: self.span_from(start),
                    }));
                    e = self.trailing_lambda(e);
                }
                "[" => {
                    self.i += 1;
                    self.paren += 1;
                    let idx = if self.is("]") {
                        Expr::Opaque
                    } else {
                        let first = self.expr_or_slice();
                        if self.is(",") {
                            let mut v = vec![first];
                            while self.eat(",") {
                                if self.is("]") {
                                    break;
                                }
                                v.push(self.expr_or_slice());
                            }
                            Expr::List(v)
                        } else {
                            first
                        }
                    };
                    self.paren -= 1;
                    self.skip_to_close("]");
                    e = Expr::Index(Box::new(e), Box::new(idx));
                }
                "!!" | "++" | "--" => {
                    self.i += 1;
                }
                _ => break,
            }
        }
        e
    }

    fn trailing_lambda(&mut self, e: Expr) -> Expr {
        if self.lang == Lang::Kotlin && self.is("{") && !self.tok().is_some_and(|t| t.nl) {
            self.skip_group();
        }
        e
    }

    fn expr_or_slice(&mut self) -> Expr {
        if self.lang == Lang::Python && self.is(":") {
            self.i += 1;
            if !self.is("]") && !self.is(",") {
                let _ = self.expr();
            }
            return Expr::Opaque;
        }
        let e = self.expr();
        if self.lang == Lang::Python && self.is(":") {
            self.i += 1;
            while !self.at_end() && !self.is("]") && !self.is(",") && !self.is_newline() {
                let before = self.i;
                let _ = self.expr();
                self.eat(":");
                if self.i == before {
                    self.i += 1;
                }
            }
            return Expr::Opaque;
        }
        e
    }

    /// Advance to (and past) the closing token `close` of the current group.
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
                            // A different closer: stop without consuming.
                            return;
                        }
                        d -= 1;
                    }
                    _ => {}
                }
            }
            if self.lang == Lang::Python && t.k == K::Newline && self.paren == 0 {
                return;
            }
            self.i += 1;
        }
    }

    /// Call arguments from the current `open` token to its `close`.
    fn args(&mut self, open: &str, close: &str) -> Vec<Arg> {
        let mut out = Vec::new();
        if !self.eat(open) {
            return out;
        }
        self.paren += 1;
        let mut guard = 0;
        while !self.at_end() && !self.is(close) {
            guard += 1;
            if guard > 100_000 {
                break;
            }
            let before = self.i;
            if self.closes() {
                break;
            }
            let name = if self.ident() && self.is_at(self.i + 1, "=") && self.lang != Lang::Java {
                let n = self.cur().to_string();
                self.i += 2;
                Some(n)
            } else {
                None
            };
            let mut value = self.expr();
            if self.lang == Lang::Python && self.is("for") {
                value = self.comprehension(value, close);
            }
            out.push(Arg { name, value });
            if !self.eat(",") && self.i == before {
                self.i += 1;
            }
            if self.lang == Lang::Python && self.is_newline() {
                break;
            }
        }
        self.paren -= 1;
        self.skip_to_close(close);
        out
    }

    /// `elem for x in it if c` up to (not including) `close`.
    fn comprehension(&mut self, elem: Expr, close: &str) -> Expr {
        let mut parts = vec![elem];
        while self.eat("for") || self.eat("async") {
            while !self.at_end() && !self.is("in") && !self.is(close) && !self.is_newline() {
                self.i += 1;
            }
            if self.eat("in") {
                parts.push(self.binary(2));
            }
            while self.eat("if") {
                let _ = self.binary(2);
            }
        }
        Expr::List(parts)
    }

    fn string(&mut self) -> Expr {
        let mut parts: Vec<Expr> = Vec::new();
        while self.kind() == Some(K::Str) {
            let t = self.toks[self.i];
            let lit = self.lits[t.lit as usize].clone();
            self.i += 1;
            parts.push(Expr::Str(lit.value));
            for (a, b) in lit.interps {
                parts.push(self.sub_expr(a, b));
            }
            if self.lang != Lang::Python {
                break;
            }
        }
        if parts.len() == 1 {
            parts.pop().unwrap_or(Expr::Opaque)
        } else {
            Expr::Concat(parts)
        }
    }

    /// Parse `text[a..b]` (an interpolated expression) as an expression.
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
        let mut p = Parser {
            text: self.text,
            toks: lx.toks,
            lits: lx.lits,
            i: 0,
            lang: self.lang,
            depth: self.depth + 4,
            paren: 1,
            module: Module::default(),
            class: String::new(),
            saw_class: false,
        };
        p.expr()
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
            K::Newline => return Expr::Opaque,
            _ => {}
        }
        if t.k == K::Ident {
            match s {
                "true" | "false" | "null" | "True" | "False" | "None" => {
                    self.i += 1;
                    return Expr::Lit(s.to_string());
                }
                "new" if self.lang == Lang::Java => return self.new_expr(),
                "if" if self.lang == Lang::Kotlin => return self.kotlin_if(),
                "when" | "object" if self.lang == Lang::Kotlin => {
                    while !self.at_end() && !self.is("{") {
                        self.i += 1;
                    }
                    self.skip_group();
                    return Expr::Opaque;
                }
                "switch" if self.lang == Lang::Java => {
                    self.i += 1;
                    if self.is("(") {
                        self.skip_group();
                    }
                    if self.is("{") {
                        self.skip_group();
                    }
                    return Expr::Opaque;
                }
                _ => {}
            }
            self.i += 1;
            return Expr::Name(s.to_string());
        }
        // Operators.
        match s {
            "(" => {
                if self.lang == Lang::Java
                    && let Some(after) = self.cast_end()
                {
                    self.i = after;
                    return self.unary();
                }
                self.i += 1;
                self.paren += 1;
                if self.is(")") {
                    self.paren -= 1;
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
                } else if self.lang == Lang::Python && self.is("for") {
                    self.comprehension(first, ")")
                } else {
                    first
                };
                self.paren -= 1;
                self.skip_to_close(")");
                e
            }
            "[" => {
                let (v, _) = self.collection("[", "]");
                Expr::List(v)
            }
            "{" => {
                if self.lang == Lang::Kotlin {
                    self.skip_group();
                    return Expr::Opaque;
                }
                if self.lang == Lang::Python {
                    let (v, d) = self.collection("{", "}");
                    return if d.is_empty() {
                        Expr::List(v)
                    } else {
                        Expr::Dict(d)
                    };
                }
                let (v, _) = self.collection("{", "}");
                Expr::List(v)
            }
            "@" => {
                // Annotation inside an expression position: skip it.
                self.i += 1;
                let _ = self.postfix_chain();
                self.primary()
            }
            _ => {
                if !self.closes() && !matches!(s, "," | ";" | "=" | ":") {
                    self.i += 1;
                }
                Expr::Opaque
            }
        }
    }

    /// A bracketed list, set or dict; returns (elements, dict pairs).
    fn collection(&mut self, open: &str, close: &str) -> (Vec<Expr>, Vec<(Expr, Expr)>) {
        let mut v = Vec::new();
        let mut d = Vec::new();
        self.eat(open);
        self.paren += 1;
        let mut guard = 0;
        while !self.at_end() && !self.is(close) && !self.closes() {
            guard += 1;
            if guard > 100_000 {
                break;
            }
            let before = self.i;
            let k = self.expr();
            if self.lang == Lang::Python && self.is(":") {
                self.i += 1;
                let val = self.expr();
                if self.is("for") {
                    v.push(self.comprehension(val, close));
                } else {
                    d.push((k, val));
                }
            } else if self.lang == Lang::Python && self.is("for") {
                v.push(self.comprehension(k, close));
            } else {
                v.push(k);
            }
            if !self.eat(",") && self.i == before {
                self.i += 1;
            }
        }
        self.paren -= 1;
        self.skip_to_close(close);
        (v, d)
    }

    /// Java cast `(Type) x`: the index after `)` when the parenthesis holds
    /// only a type and an operand follows.
    fn cast_end(&self) -> Option<usize> {
        let mut j = self.i + 1;
        let first = self.toks.get(j)?;
        if first.k != K::Ident {
            return None;
        }
        let mut n = 0;
        while j < self.toks.len() && n < 30 {
            let t = self.toks[j];
            let s = self.txt(j);
            if t.k == K::Ident || matches!(s, "." | "<" | ">" | "[" | "]" | "?" | "," | "&") {
                j += 1;
                n += 1;
                continue;
            }
            break;
        }
        if !self.is_at(j, ")") {
            return None;
        }
        // Something that starts an operand must follow.
        let next = self.toks.get(j + 1)?;
        let ns = self.txt(j + 1);
        let starts = matches!(next.k, K::Ident | K::Str | K::Num) || matches!(ns, "(" | "!" | "~");
        // `(a) + b` is not a cast; a lone lower-case name is ambiguous
        // (`(x) y` does not occur in Java), so any name is accepted.
        (starts && !matches!(ns, "instanceof")).then_some(j + 1)
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
            let mut d = 0;
            let mut n = 0;
            while !self.at_end() && n < 60 {
                n += 1;
                match self.cur() {
                    "<" => d += 1,
                    ">" => d -= 1,
                    ">>" => d -= 2,
                    ">>>" => d -= 3,
                    _ => {}
                }
                self.i += 1;
                if d <= 0 {
                    break;
                }
            }
        }
        if self.is("[") {
            // Array: `new byte[16]`, `new String[] {..}`.
            let mut size = String::new();
            while self.is("[") {
                self.i += 1;
                if !self.is("]") {
                    let e = self.expr();
                    if let Expr::Lit(l) = e {
                        size = l;
                    } else {
                        size = "?".into();
                    }
                }
                self.skip_to_close("]");
            }
            if self.is("{") {
                let (v, _) = self.collection("{", "}");
                return Expr::List(v);
            }
            if size != "?" {
                // A zero-filled array: a constant.
                return Expr::Lit(format!("new {name}[{size}]"));
            }
            return Expr::Opaque;
        }
        let args = if self.is("(") {
            self.args("(", ")")
        } else {
            Vec::new()
        };
        if self.is("{") {
            // Anonymous class body.
            self.skip_group();
        }
        Expr::Call(Box::new(Call {
            recv: None,
            name,
            args,
            new: true,
            span: self.span_from(start),
        }))
    }

    fn kotlin_if(&mut self) -> Expr {
        self.i += 1;
        let c = if self.is("(") {
            self.i += 1;
            self.paren += 1;
            let c = self.expr();
            self.paren -= 1;
            self.skip_to_close(")");
            c
        } else {
            Expr::Opaque
        };
        let a = self.branch_value();
        let b = if self.eat("else") {
            self.branch_value()
        } else {
            Expr::Opaque
        };
        Expr::Cond(Box::new(c), Box::new(a), Box::new(b))
    }

    fn branch_value(&mut self) -> Expr {
        if self.is("{") {
            // The block's last expression is the value; approximate with
            // the last statement that is an expression.
            self.i += 1;
            let body = self.jvm_stmts_until_close();
            for s in body.into_iter().rev() {
                if let Stmt::Expr(e) = s {
                    return e;
                }
            }
            return Expr::Opaque;
        }
        self.expr()
    }

    // ------------------------------------------------- JVM declarations
    /// Annotations at the current position: names, with `@Select`-style
    /// string arguments recorded in the module.
    fn annotations(&mut self) -> Vec<String> {
        let mut out = Vec::new();
        while self.is("@") && !self.is_at(self.i + 1, "interface") {
            let start = self.i;
            self.i += 1;
            let mut name = String::new();
            // `@field:Json`, `@a.b.C`.
            while self.ident() {
                name = self.cur().to_string();
                self.i += 1;
                if (self.is(".") || self.is(":"))
                    && self.toks.get(self.i + 1).is_some_and(|t| t.k == K::Ident)
                    && !self.toks.get(self.i + 1).is_some_and(|t| t.nl)
                {
                    self.i += 1;
                    continue;
                }
                break;
            }
            if self.is("(")
                && !self
                    .tok()
                    .is_some_and(|t| t.nl && self.lang == Lang::Kotlin)
            {
                let args = self.args("(", ")");
                if matches!(
                    name.as_str(),
                    "Select" | "Update" | "Delete" | "Insert" | "Query"
                ) {
                    let mut text = String::new();
                    for a in &args {
                        collect_strings(&a.value, &mut text);
                    }
                    let span = self.span_from(start);
                    self.module.sql_annotations.push((name.clone(), text, span));
                }
            }
            if name.is_empty() {
                break;
            }
            out.push(name);
        }
        out
    }

    /// Class members (or the file's top level) until the closing `}`.
    fn jvm_members(&mut self, nested: bool) {
        let mut guard = 0usize;
        while !self.at_end() {
            guard += 1;
            if guard > 1_000_000 {
                break;
            }
            let before = self.i;
            if self.is("}") {
                if nested {
                    self.i += 1;
                    return;
                }
                self.i += 1;
                continue;
            }
            if self.is(";") || self.is(",") {
                self.i += 1;
                continue;
            }
            if self.is("package") || self.is("import") {
                let line = self.tok().map(|t| t.s).unwrap_or(0);
                self.i += 1;
                while !self.at_end()
                    && !self.is(";")
                    && !(self.tok().is_some_and(|t| t.nl && t.s > line))
                {
                    self.i += 1;
                }
                self.eat(";");
                continue;
            }
            let annotations = self.annotations();
            let mut fixed = false;
            while self.ident() && JAVA_MODIFIERS.contains(&self.cur()) {
                if matches!(self.cur(), "final" | "const") {
                    fixed = true;
                }
                self.i += 1;
            }
            // More annotations can follow modifiers.
            let mut annotations = annotations;
            annotations.extend(self.annotations());
            while self.ident() && JAVA_MODIFIERS.contains(&self.cur()) {
                if matches!(self.cur(), "final" | "const") {
                    fixed = true;
                }
                self.i += 1;
            }
            if self.ident()
                && matches!(
                    self.cur(),
                    "class" | "interface" | "enum" | "record" | "object"
                )
                || (self.is("@") && self.is_at(self.i + 1, "interface"))
            {
                self.class_decl();
                continue;
            }
            if self.is("init") && self.is_at(self.i + 1, "{")
                || self.is("static") && self.is_at(self.i + 1, "{")
            {
                self.i += 1;
            }
            if self.is("{") {
                let start = self.i;
                self.i += 1;
                let body = self.jvm_stmts_until_close();
                let span = self.span_from(start);
                self.module.functions.push(Function {
                    name: "<init>".into(),
                    class: self.class.clone(),
                    body,
                    span,
                    ..Function::default()
                });
                continue;
            }
            if self.is("fun") {
                self.kotlin_fun(annotations);
                continue;
            }
            if self.is("val") || self.is("var") {
                fixed |= self.is("val");
                self.i += 1;
                if self.ident() {
                    let name = self.cur().to_string();
                    self.i += 1;
                    if self.eat(":") {
                        self.skip_type();
                    }
                    let value = if self.eat("=") {
                        Some(self.expr())
                    } else {
                        None
                    };
                    self.module.fields.push(Field { name, value, fixed });
                }
                if self.is("get") || self.is("by") {
                    self.skip_expr();
                }
                if self.i == before {
                    self.i += 1;
                }
                continue;
            }
            if self.lang == Lang::Java && self.is("<") {
                self.skip_angle();
            }
            if self.ident() {
                let type_start = self.i;
                self.skip_type();
                let ty = self.txt(self.i.saturating_sub(1)).to_string();
                if self.is("(") && self.i == type_start + 1 {
                    // Constructor.
                    self.java_method(ty, annotations);
                    continue;
                }
                if self.ident() {
                    let name = self.cur().to_string();
                    self.i += 1;
                    if self.is("(") {
                        self.java_method(name, annotations);
                        continue;
                    }
                    // Field declarators.
                    let mut name = name;
                    loop {
                        while self.is("[") || self.is("]") {
                            self.i += 1;
                        }
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
                    self.eat(";");
                    continue;
                }
            }
            if self.i == before {
                // Unknown token: skip it (balanced groups whole).
                if matches!(self.cur(), "(" | "[") {
                    self.skip_group();
                } else {
                    self.i += 1;
                }
            }
        }
    }

    fn class_decl(&mut self) {
        self.saw_class = true;
        let kind = self.cur();
        self.i += 1;
        if kind == "@" {
            self.i += 1;
        }
        let name = if self.ident() {
            let n = self.cur().to_string();
            self.i += 1;
            n
        } else {
            String::new()
        };
        // Header: generics, constructor parameters, supertypes.
        let mut n = 0;
        while !self.at_end() && !self.is("{") && !self.is(";") && !self.is("}") && n < 2000 {
            n += 1;
            if self.lang == Lang::Kotlin
                && self.tok().is_some_and(|t| t.nl)
                && n > 1
                && !matches!(self.cur(), ":" | "," | "(" | "where")
            {
                return;
            }
            if self.is("(") {
                self.skip_group();
            } else {
                self.i += 1;
            }
        }
        if self.eat("{") {
            let outer = std::mem::replace(&mut self.class, name);
            self.depth += 1;
            if self.depth < MAX_DEPTH {
                self.jvm_members(true);
            } else {
                self.i -= 1;
                self.skip_group();
            }
            self.depth -= 1;
            self.class = outer;
        }
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
                "(" | ")" | "{" | "}" | ";" | "=" => return,
                _ => {}
            }
            self.i += 1;
            if d <= 0 {
                return;
            }
        }
    }

    /// A type: `a.b.C<D, E<F>>[]?` (Kotlin: also `(A) -> B`).
    fn skip_type(&mut self) {
        let mut n = 0;
        if self.is("(") && self.lang == Lang::Kotlin {
            self.skip_group();
            if self.eat("->") {
                self.skip_type();
            }
            return;
        }
        if !self.ident() {
            return;
        }
        self.i += 1;
        while n < 200 {
            n += 1;
            if self.is(".") && self.toks.get(self.i + 1).is_some_and(|t| t.k == K::Ident) {
                self.i += 2;
                continue;
            }
            if self.is("<") {
                self.skip_angle();
                continue;
            }
            if (self.is("[") && self.is_at(self.i + 1, "]")) || self.is("]") {
                self.i += 1;
                continue;
            }
            if self.is("?") || self.is("...") {
                self.i += 1;
                continue;
            }
            break;
        }
    }

    fn params(&mut self) -> Vec<Param> {
        let mut out = Vec::new();
        if !self.eat("(") {
            return out;
        }
        let mut guard = 0;
        while !self.at_end() && !self.is(")") {
            guard += 1;
            if guard > 10_000 || self.is("{") || self.is("}") {
                break;
            }
            let before = self.i;
            let mut p = Param {
                annotations: self.annotations(),
                ..Param::default()
            };
            while self.ident()
                && matches!(
                    self.cur(),
                    "final" | "vararg" | "val" | "var" | "noinline" | "crossinline"
                )
            {
                self.i += 1;
            }
            p.annotations.extend(self.annotations());
            if self.lang == Lang::Kotlin {
                if self.ident() {
                    p.name = self.cur().to_string();
                    self.i += 1;
                }
                if self.eat(":") {
                    let s = self.i;
                    self.skip_type();
                    p.ty = last_ident(self, s, self.i);
                }
                if self.eat("=") {
                    let _ = self.expr();
                }
            } else {
                let s = self.i;
                // Type then name: the name is the last identifier.
                while !self.at_end() && !self.is(",") && !self.is(")") && !self.is("{") {
                    if self.is("<") {
                        self.skip_angle();
                        continue;
                    }
                    if self.is("(") {
                        self.skip_group();
                        continue;
                    }
                    self.i += 1;
                }
                p.name = last_ident(self, s, self.i);
                // The type is the identifier before the name.
                let mut k = self.i;
                let mut seen = 0;
                while k > s {
                    k -= 1;
                    if self.toks[k].k == K::Ident {
                        seen += 1;
                        if seen == 2 {
                            p.ty = self.txt(k).to_string();
                            break;
                        }
                    }
                }
            }
            if !p.name.is_empty() {
                out.push(p);
            }
            if !self.eat(",") && self.i == before {
                self.i += 1;
            }
        }
        self.eat(")");
        out
    }

    fn java_method(&mut self, name: String, decorators: Vec<String>) {
        let start = self.i;
        let params = self.params();
        // throws ..., default value, Kotlin return type.
        let mut n = 0;
        while !self.at_end() && !self.is("{") && !self.is(";") && !self.is("}") && n < 500 {
            if self.is("=") && self.lang == Lang::Kotlin {
                break;
            }
            n += 1;
            self.i += 1;
        }
        let body = if self.eat("{") {
            self.jvm_stmts_until_close()
        } else {
            self.eat(";");
            Vec::new()
        };
        let span = self.span_from(start);
        self.module.functions.push(Function {
            name,
            class: self.class.clone(),
            params,
            decorators,
            body,
            span,
        });
    }

    fn kotlin_fun(&mut self, decorators: Vec<String>) {
        let start = self.i;
        self.i += 1; // fun
        if self.is("<") {
            self.skip_angle();
        }
        // Receiver type `Foo.bar`.
        let mut name = String::new();
        while self.ident() || self.is(".") || self.is("<") {
            if self.is("<") {
                self.skip_angle();
                continue;
            }
            if self.ident() {
                name = self.cur().to_string();
            }
            self.i += 1;
        }
        let params = self.params();
        if self.eat(":") {
            self.skip_type();
        }
        while self.is("where") || (self.ident() && !self.tok().is_some_and(|t| t.nl)) {
            self.i += 1;
        }
        let body = if self.eat("{") {
            self.jvm_stmts_until_close()
        } else if self.eat("=") {
            vec![Stmt::Return(Some(self.expr()))]
        } else {
            Vec::new()
        };
        let span = self.span_from(start);
        self.module.functions.push(Function {
            name,
            class: self.class.clone(),
            params,
            decorators,
            body,
            span,
        });
    }

    // --------------------------------------------------- JVM statements
    /// Statements until the `}` closing the current block (consumed).
    fn jvm_stmts_until_close(&mut self) -> Vec<Stmt> {
        let mut out = Vec::new();
        if self.depth > MAX_DEPTH {
            self.i = self.i.saturating_sub(1);
            self.skip_group();
            return out;
        }
        self.depth += 1;
        let saved_paren = std::mem::replace(&mut self.paren, 0);
        let mut guard = 0usize;
        while !self.at_end() {
            guard += 1;
            if guard > 1_000_000 {
                break;
            }
            if self.eat("}") {
                break;
            }
            let before = self.i;
            self.jvm_stmt(&mut out);
            if self.i == before {
                self.i += 1;
            }
        }
        self.paren = saved_paren;
        self.depth -= 1;
        out
    }

    fn jvm_body(&mut self) -> Vec<Stmt> {
        let mut out = Vec::new();
        if self.eat("{") {
            return self.jvm_stmts_until_close();
        }
        if self.depth > MAX_DEPTH {
            self.skip_expr();
            return out;
        }
        self.depth += 1;
        self.jvm_stmt(&mut out);
        self.depth -= 1;
        out
    }

    fn paren_expr(&mut self) -> Expr {
        if !self.eat("(") {
            return Expr::Opaque;
        }
        self.paren += 1;
        let e = self.expr();
        self.paren -= 1;
        self.skip_to_close(")");
        e
    }

    fn jvm_stmt(&mut self, out: &mut Vec<Stmt>) {
        let _ = self.annotations();
        let s = self.cur();
        if self.kind() == Some(K::Ident) {
            match s {
                "if" => {
                    self.i += 1;
                    let cond = self.paren_expr();
                    let then = self.jvm_body();
                    self.eat(";");
                    let els = if self.eat("else") {
                        self.jvm_body()
                    } else {
                        Vec::new()
                    };
                    out.push(Stmt::If { cond, then, els });
                    return;
                }
                "for" | "while" => {
                    self.i += 1;
                    let mut pre = Vec::new();
                    if self.is("(") {
                        let close = self.matching(self.i);
                        // Enhanced for: `Type x : expr` / Kotlin `x in expr`.
                        let sep = (self.i + 1..close).find(|&k| {
                            (self.is_at(k, ":") && self.lang == Lang::Java)
                                || (self.is_at(k, "in") && self.lang == Lang::Kotlin)
                        });
                        if let Some(sep) = sep {
                            let var = last_ident(self, self.i + 1, sep);
                            self.i = sep + 1;
                            self.paren += 1;
                            let it = self.expr();
                            self.paren -= 1;
                            self.i = close + 1;
                            pre.push(Stmt::Assign {
                                target: Expr::Name(var),
                                op: "=".into(),
                                value: Expr::Index(Box::new(it), Box::new(Expr::Opaque)),
                                span: (0, 0),
                            });
                        } else if s == "while" {
                            let _ = self.paren_expr();
                        } else {
                            self.i = close + 1;
                        }
                    }
                    let mut body = self.jvm_body();
                    pre.append(&mut body);
                    out.push(Stmt::Block(pre));
                    return;
                }
                "do" => {
                    self.i += 1;
                    let body = self.jvm_body();
                    if self.eat("while") {
                        let _ = self.paren_expr();
                    }
                    self.eat(";");
                    out.push(Stmt::Block(body));
                    return;
                }
                "try" => {
                    self.i += 1;
                    let mut all = Vec::new();
                    if self.is("(") {
                        // Resources: declarations separated by `;`.
                        let close = self.matching(self.i);
                        self.i += 1;
                        while self.i < close {
                            let before = self.i;
                            self.jvm_stmt(&mut all);
                            if self.i == before {
                                self.i += 1;
                            }
                        }
                        self.i = close + 1;
                    }
                    all.extend(self.jvm_body());
                    let mut body = Vec::new();
                    while self.is("catch") || self.is("finally") {
                        self.i += 1;
                        if self.is("(") {
                            self.skip_group();
                        }
                        body.extend(self.jvm_body());
                    }
                    // The try block runs; catch/finally may.
                    out.extend(all);
                    out.push(Stmt::Block(body));
                    return;
                }
                "switch" | "synchronized" | "when" => {
                    self.i += 1;
                    let _ = self.paren_expr();
                    if self.eat("{") {
                        let body = self.jvm_stmts_until_close();
                        out.push(Stmt::Block(body));
                    }
                    return;
                }
                "case" | "default" | "is" | "else" if self.lang != Lang::Python => {
                    // Labels: skip to `:`/`->`.
                    let mut n = 0;
                    while !self.at_end()
                        && !self.is(":")
                        && !self.is("->")
                        && !self.is("{")
                        && !self.is("}")
                        && n < 200
                    {
                        n += 1;
                        self.i += 1;
                    }
                    self.eat(":");
                    self.eat("->");
                    return;
                }
                "return" => {
                    self.i += 1;
                    let e = if self.is(";")
                        || self.is("}")
                        || self
                            .tok()
                            .is_some_and(|t| t.nl && self.lang == Lang::Kotlin)
                    {
                        None
                    } else {
                        Some(self.expr())
                    };
                    self.eat(";");
                    out.push(Stmt::Return(e));
                    return;
                }
                "throw" => {
                    self.i += 1;
                    let _ = self.expr();
                    self.eat(";");
                    out.push(Stmt::Raise);
                    return;
                }
                "break" | "continue" => {
                    self.i += 1;
                    if self.ident() && !self.tok().is_some_and(|t| t.nl) {
                        self.i += 1;
                    }
                    self.eat(";");
                    return;
                }
                "class" | "interface" | "enum" | "record" | "object" => {
                    self.class_decl();
                    return;
                }
                "fun" => {
                    self.kotlin_fun(Vec::new());
                    return;
                }
                "val" | "var" if self.lang == Lang::Kotlin => {
                    let start = self.i;
                    self.i += 1;
                    if self.is("(") {
                        self.skip_group();
                        if self.eat("=") {
                            let _ = self.expr();
                        }
                        return;
                    }
                    if self.ident() {
                        let name = self.cur().to_string();
                        self.i += 1;
                        if self.eat(":") {
                            self.skip_type();
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
                    }
                    self.eat(";");
                    return;
                }
                _ => {}
            }
            if self.lang == Lang::Java
                && let Some(name_at) = self.decl_name()
            {
                // Local variable declaration(s).
                let start = self.i;
                self.i = name_at;
                loop {
                    if !self.ident() {
                        break;
                    }
                    let name = self.cur().to_string();
                    self.i += 1;
                    while self.is("[") || self.is("]") {
                        self.i += 1;
                    }
                    if self.eat("=") {
                        let value = self.expr();
                        out.push(Stmt::Assign {
                            target: Expr::Name(name),
                            op: "=".into(),
                            value,
                            span: self.span_from(start),
                        });
                    } else if self.is(":") {
                        return;
                    }
                    if !self.eat(",") {
                        break;
                    }
                }
                self.eat(";");
                return;
            }
            // Label `name:`.
            if self.lang == Lang::Java
                && self.is_at(self.i + 1, ":")
                && !self.is_at(self.i + 2, ":")
            {
                self.i += 2;
                return;
            }
        }
        if self.is("{") {
            self.i += 1;
            let body = self.jvm_stmts_until_close();
            out.extend(body);
            return;
        }
        if self.is(";") {
            self.i += 1;
            return;
        }
        let start = self.i;
        let e = self.expr();
        if self.kind() == Some(K::Op) && assign_op(self.cur()) && !self.kotlin_break() {
            let op = self.cur().to_string();
            self.i += 1;
            let value = self.expr();
            out.push(Stmt::Assign {
                target: e,
                op,
                value,
                span: self.span_from(start),
            });
        } else {
            out.push(Stmt::Expr(e));
        }
        self.eat(";");
    }

    /// The index of the token closing the bracket at `open`.
    fn matching(&self, open: usize) -> usize {
        kiro_guard_skill::scan::matching(self.toks.len(), open, |k| self.bracket(k))
    }

    /// Whether token `k` opens or closes a bracket.
    fn bracket(&self, k: usize) -> Bracket {
        if self.toks[k].k != K::Op {
            return Bracket::Other;
        }
        match self.txt(k) {
            "(" | "[" | "{" => Bracket::Open,
            ")" | "]" | "}" => Bracket::Close,
            _ => Bracket::Other,
        }
    }

    /// Java local declaration lookahead: `[final] Type name (=|;|,|:)`;
    /// returns the index of `name`.
    fn decl_name(&self) -> Option<usize> {
        let mut j = self.i;
        while self.is_at(j, "final") || self.is_at(j, "@") {
            if self.is_at(j, "@") {
                j += 2;
            } else {
                j += 1;
            }
        }
        if self.toks.get(j)?.k != K::Ident {
            return None;
        }
        let kw = self.txt(j);
        if matches!(
            kw,
            "return" | "new" | "throw" | "this" | "super" | "else" | "yield" | "assert"
        ) {
            return None;
        }
        j += 1;
        let mut n = 0;
        loop {
            n += 1;
            if n > 60 {
                return None;
            }
            let t = self.toks.get(j)?;
            let s = self.txt(j);
            if s == "." && self.toks.get(j + 1).is_some_and(|t| t.k == K::Ident) {
                j += 2;
                continue;
            }
            if s == "<" {
                // Generic arguments: only names, `,`, `?`, `.`, `[]`, `&`.
                let mut d = 0i32;
                loop {
                    let s = self.txt(j);
                    let tk = self.toks.get(j)?;
                    match s {
                        "<" => d += 1,
                        ">" => d -= 1,
                        ">>" => d -= 2,
                        ">>>" => d -= 3,
                        "," | "?" | "." | "[" | "]" | "&" => {}
                        _ if tk.k == K::Ident => {}
                        _ => return None,
                    }
                    j += 1;
                    if d <= 0 {
                        break;
                    }
                    if j - self.i > 80 {
                        return None;
                    }
                }
                continue;
            }
            if s == "[" && self.is_at(j + 1, "]") {
                j += 2;
                continue;
            }
            if s == "..." {
                j += 1;
                continue;
            }
            if t.k == K::Ident {
                let next = self.txt(j + 1);
                return matches!(next, "=" | ";" | "," | ":" | "[").then_some(j);
            }
            return None;
        }
    }

    // ----------------------------------------------------------- Python
    /// Logical lines of a block whose header line has indentation
    /// `header` (`None` for the module).
    fn py_lines(&mut self, header: Option<u32>) -> Vec<Stmt> {
        let mut out = Vec::new();
        let mut guard = 0usize;
        let mut decorators: Vec<String> = Vec::new();
        while !self.at_end() {
            guard += 1;
            if guard > 1_000_000 {
                break;
            }
            if self.is_newline() {
                self.i += 1;
                continue;
            }
            let t = self.toks[self.i];
            if let Some(h) = header
                && t.nl
                && t.indent <= h
            {
                break;
            }
            let before = self.i;
            if self.is("@") {
                self.i += 1;
                let e = self.expr();
                decorators.push(callee_name(&e));
                self.skip_line();
                continue;
            }
            let decs = std::mem::take(&mut decorators);
            self.py_stmt(&mut out, decs);
            if self.i == before {
                self.i += 1;
            }
        }
        out
    }

    fn skip_line(&mut self) {
        while !self.at_end() && !self.is_newline() {
            self.i += 1;
        }
        self.i += 1;
    }

    /// Body after a `:`: an indented block or the rest of the line.
    fn py_block(&mut self, header_indent: u32) -> Vec<Stmt> {
        if self.depth > MAX_DEPTH {
            // Skip the nested block entirely.
            self.skip_line();
            while let Some(t) = self.tok() {
                if t.nl && t.indent <= header_indent && t.k != K::Newline {
                    break;
                }
                self.i += 1;
            }
            return Vec::new();
        }
        self.depth += 1;
        self.eat(":");
        let out = if self.is_newline() {
            self.i += 1;
            self.py_lines(Some(header_indent))
        } else {
            let mut v = Vec::new();
            let mut n = 0;
            while !self.at_end() && !self.is_newline() && n < 1000 {
                n += 1;
                let before = self.i;
                self.py_simple(&mut v);
                self.eat(";");
                if self.i == before {
                    self.i += 1;
                }
            }
            self.eat_newline();
            v
        };
        self.depth -= 1;
        out
    }

    fn eat_newline(&mut self) {
        if self.is_newline() {
            self.i += 1;
        }
    }

    fn header_indent(&self) -> u32 {
        // The indentation of the line the current token is on.
        let mut k = self.i;
        loop {
            let t = self.toks[k.min(self.toks.len() - 1)];
            if t.nl || k == 0 {
                return t.indent;
            }
            k -= 1;
        }
    }

    fn py_stmt(&mut self, out: &mut Vec<Stmt>, decorators: Vec<String>) {
        let ind = self.header_indent();
        if self.is("async") {
            self.i += 1;
        }
        let s = self.cur();
        match s {
            "def" => {
                let start = self.i;
                self.i += 1;
                let name = self.cur().to_string();
                self.i += 1;
                let params = self.py_params();
                while !self.at_end() && !self.is(":") && !self.is_newline() {
                    self.i += 1;
                }
                let body = self.py_block(ind);
                let span = self.span_from(start);
                self.module.functions.push(Function {
                    name,
                    class: self.class.clone(),
                    params,
                    decorators,
                    body,
                    span,
                });
            }
            "class" => {
                self.i += 1;
                let name = self.cur().to_string();
                while !self.at_end() && !self.is(":") && !self.is_newline() {
                    if self.is("(") {
                        self.skip_group();
                        continue;
                    }
                    self.i += 1;
                }
                let outer = std::mem::replace(&mut self.class, name);
                let body = self.py_block(ind);
                self.class = outer;
                // Class attributes are fields.
                for st in body {
                    if let Stmt::Assign {
                        target: Expr::Name(n),
                        value,
                        op,
                        ..
                    } = st
                    {
                        self.module.fields.push(Field {
                            name: n,
                            value: Some(value),
                            fixed: op == "=",
                        });
                    }
                }
            }
            "if" | "elif" => {
                self.i += 1;
                let cond = self.expr();
                let then = self.py_block(ind);
                let els = if self.is("elif") && self.same_line_indent(ind) {
                    let mut v = Vec::new();
                    self.py_stmt(&mut v, Vec::new());
                    v
                } else if self.is("else") && self.same_line_indent(ind) {
                    self.i += 1;
                    self.py_block(ind)
                } else {
                    Vec::new()
                };
                out.push(Stmt::If { cond, then, els });
            }
            "for" => {
                self.i += 1;
                let target = self.target_list();
                let mut body = Vec::new();
                if self.eat("in") {
                    let it = self.expr_list();
                    body.push(Stmt::Assign {
                        target,
                        op: "=".into(),
                        value: Expr::Index(Box::new(it), Box::new(Expr::Opaque)),
                        span: (0, 0),
                    });
                }
                body.extend(self.py_block(ind));
                if self.is("else") && self.same_line_indent(ind) {
                    self.i += 1;
                    body.extend(self.py_block(ind));
                }
                out.push(Stmt::Block(body));
            }
            "while" => {
                self.i += 1;
                let _ = self.expr();
                let body = self.py_block(ind);
                out.push(Stmt::Block(body));
            }
            "try" => {
                self.i += 1;
                let body = self.py_block(ind);
                out.extend(body);
                let mut rest = Vec::new();
                while (self.is("except") || self.is("else") || self.is("finally"))
                    && self.same_line_indent(ind)
                {
                    self.i += 1;
                    while !self.at_end() && !self.is(":") && !self.is_newline() {
                        self.i += 1;
                    }
                    rest.extend(self.py_block(ind));
                }
                out.push(Stmt::Block(rest));
            }
            "with" => {
                self.i += 1;
                let mut body = Vec::new();
                loop {
                    let e = self.expr();
                    if self.eat("as") {
                        let t = self.target_list();
                        body.push(Stmt::Assign {
                            target: t,
                            op: "=".into(),
                            value: e,
                            span: (0, 0),
                        });
                    } else {
                        body.push(Stmt::Expr(e));
                    }
                    if !self.eat(",") {
                        break;
                    }
                }
                while !self.at_end() && !self.is(":") && !self.is_newline() {
                    self.i += 1;
                }
                body.extend(self.py_block(ind));
                out.extend(body);
            }
            "match"
                if !self.is_at(self.i + 1, "=")
                    && !self.is_at(self.i + 1, "(")
                    && !self.is_at(self.i + 1, ".") =>
            {
                // Skip the whole match statement.
                self.skip_line();
                while let Some(t) = self.tok() {
                    if t.nl && t.indent <= ind && t.k != K::Newline {
                        break;
                    }
                    self.i += 1;
                }
            }
            _ => {
                let mut n = 0;
                while !self.at_end() && !self.is_newline() && n < 1000 {
                    n += 1;
                    let before = self.i;
                    self.py_simple(out);
                    self.eat(";");
                    if self.i == before {
                        self.i += 1;
                    }
                    if !self.is_newline() && self.tok().is_some_and(|t| t.nl) {
                        break;
                    }
                }
                self.eat_newline();
            }
        }
    }

    fn same_line_indent(&self, ind: u32) -> bool {
        self.tok().is_some_and(|t| !t.nl || t.indent == ind)
    }

    fn target_list(&mut self) -> Expr {
        let first = self.binary(9);
        if self.is(",") {
            let mut v = vec![first];
            while self.eat(",") {
                if self.is("in") || self.is("=") || self.is_newline() {
                    break;
                }
                v.push(self.binary(9));
            }
            return Expr::List(v);
        }
        first
    }

    fn expr_list(&mut self) -> Expr {
        let first = self.expr();
        if self.is(",") {
            let mut v = vec![first];
            while self.eat(",") {
                if self.is_newline() || self.is("=") || self.is(":") || self.closes() {
                    break;
                }
                let before = self.i;
                v.push(self.expr());
                if self.i == before {
                    break;
                }
            }
            return Expr::List(v);
        }
        first
    }

    fn py_simple(&mut self, out: &mut Vec<Stmt>) {
        let s = self.cur();
        match s {
            "return" => {
                self.i += 1;
                let e = if self.is_newline() || self.is(";") {
                    None
                } else {
                    Some(self.expr_list())
                };
                out.push(Stmt::Return(e));
            }
            "raise" => {
                self.skip_to_newline();
                out.push(Stmt::Raise);
            }
            "import" | "from" | "global" | "nonlocal" | "assert" | "del" | "pass" | "break"
            | "continue" | "print"
                if !self.is_at(self.i + 1, "(") || s != "print" =>
            {
                self.skip_to_newline();
            }
            _ => {
                let start = self.i;
                let mut targets = vec![self.expr_list()];
                // Annotated assignment `x: T = v`.
                if self.is(":") {
                    self.i += 1;
                    let _ = self.expr();
                    if !self.is("=") {
                        return;
                    }
                }
                if self.kind() == Some(K::Op) && assign_op(self.cur()) {
                    let mut op = self.cur().to_string();
                    self.i += 1;
                    let mut value = self.expr_list();
                    while op == "=" && self.is("=") {
                        self.i += 1;
                        targets.push(value);
                        value = self.expr_list();
                    }
                    if op == ":=" {
                        op = "=".into();
                    }
                    for t in targets {
                        out.push(Stmt::Assign {
                            target: t,
                            op: op.clone(),
                            value: value.clone(),
                            span: self.span_from(start),
                        });
                    }
                } else if let Some(t) = targets.pop() {
                    out.push(Stmt::Expr(t));
                }
            }
        }
    }

    fn skip_to_newline(&mut self) {
        while !self.at_end() && !self.is_newline() {
            self.i += 1;
        }
    }

    fn py_params(&mut self) -> Vec<Param> {
        let mut out = Vec::new();
        if !self.eat("(") {
            return out;
        }
        self.paren += 1;
        let mut guard = 0;
        while !self.at_end() && !self.is(")") {
            guard += 1;
            if guard > 10_000 || self.is_newline() {
                break;
            }
            let before = self.i;
            while self.is("*") || self.is("**") || self.is("/") {
                self.i += 1;
            }
            let mut p = Param::default();
            if self.ident() {
                p.name = self.cur().to_string();
                self.i += 1;
            }
            if self.eat(":") {
                let e = self.expr();
                p.ty = callee_name(&e);
                if let Expr::Index(base, _) = &e {
                    // `Annotated[str, Query()]`.
                    p.ty = callee_name(base);
                }
                collect_calls(&e, &mut p.annotations);
            }
            if self.eat("=") {
                let e = self.expr();
                if let Expr::Call(c) = &e {
                    p.annotations.push(c.name.clone());
                }
            }
            if !p.name.is_empty() {
                out.push(p);
            }
            if !self.eat(",") && self.i == before {
                self.i += 1;
            }
        }
        self.paren -= 1;
        self.eat(")");
        out
    }
}

fn last_ident(p: &Parser, s: usize, e: usize) -> String {
    (s..e.min(p.toks.len()))
        .rev()
        .find(|&k| p.toks[k].k == K::Ident)
        .map(|k| p.txt(k).to_string())
        .unwrap_or_default()
}

/// The last name segment of a (called) expression: `app.route(..)` → `route`.
pub fn callee_name(e: &Expr) -> String {
    match e {
        Expr::Name(n) | Expr::Attr(_, n) => n.clone(),
        Expr::Call(c) => c.name.clone(),
        Expr::Index(b, _) => callee_name(b),
        _ => String::new(),
    }
}

fn collect_calls(e: &Expr, out: &mut Vec<String>) {
    match e {
        Expr::Call(c) => {
            out.push(c.name.clone());
            for a in &c.args {
                collect_calls(&a.value, out);
            }
        }
        Expr::Index(b, i) => {
            collect_calls(b, out);
            collect_calls(i, out);
        }
        Expr::List(v) => v.iter().for_each(|x| collect_calls(x, out)),
        _ => {}
    }
}

fn collect_strings(e: &Expr, out: &mut String) {
    match e {
        Expr::Str(s) => out.push_str(s),
        Expr::Concat(v) | Expr::List(v) => v.iter().for_each(|x| collect_strings(x, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn java(t: &str) -> Module {
        parse(t, Lang::Java)
    }

    #[test]
    fn java_method_with_annotations_and_statements() {
        let m = java(
            "package a;\nimport b.C;\n@RestController\npublic class X {\n  private static final String T = \"users\";\n  @GetMapping(\"/a\")\n  public List<Row> find(@RequestParam(\"id\") String id, final HttpServletRequest req) throws E {\n    String sql = \"select * from \" + T + \" where id = ?\";\n    StringBuilder sb = new StringBuilder();\n    sb.append(req.getParameter(\"x\"));\n    if (id != null) { sql += id; } else sql = \"x\";\n    for (String s : list) { use(s); }\n    try (Connection c = ds.getConnection()) { c.createStatement().executeQuery(sql); } catch (SQLException e) { throw new RuntimeException(e); }\n    return jdbcTemplate.query(sql, mapper, id);\n  }\n}\n",
        );
        assert_eq!(m.fields.len(), 1);
        assert!(m.fields[0].fixed);
        let f = &m.functions[0];
        assert_eq!(f.name, "find");
        assert_eq!(f.class, "X");
        assert_eq!(f.decorators, vec!["GetMapping"]);
        assert_eq!(f.params.len(), 2);
        assert_eq!(f.params[0].annotations, vec!["RequestParam"]);
        assert_eq!(f.params[0].ty, "String");
        assert_eq!(f.params[1].name, "req");
        assert_eq!(f.params[1].ty, "HttpServletRequest");
        assert!(matches!(f.body[0], Stmt::Assign { .. }));
        assert!(matches!(f.body[3], Stmt::If { .. }));
        assert!(matches!(
            f.body.last(),
            Some(Stmt::Return(Some(Expr::Call(_))))
        ));
    }

    #[test]
    fn python_handlers_and_blocks() {
        let m = parse(
            "import os\nTABLE = 'users'\n\n@app.route('/a')\ndef view(x: str = Query(None)):\n    q = f\"select {x}\"\n    if x in ALLOWED:\n        cur.execute(q)\n    else:\n        return None\n    with open(p) as fh:\n        data = fh.read()\n    return q\n\nclass C:\n    K = 'v'\n    def m(self, request):\n        return request.GET['a']\n",
            Lang::Python,
        );
        assert_eq!(m.functions.len(), 2);
        let f = &m.functions[0];
        assert_eq!(f.decorators, vec!["route"]);
        assert_eq!(f.params[0].annotations, vec!["Query"]);
        assert_eq!(f.body.len(), 5);
        assert_eq!(m.functions[1].class, "C");
        assert!(m.fields.iter().any(|f| f.name == "TABLE" && f.fixed));
        assert!(m.fields.iter().any(|f| f.name == "K"));
    }

    #[test]
    fn kotlin_functions() {
        let m = parse(
            "class R(private val jdbc: JdbcTemplate) {\n  fun find(@PathVariable id: String): List<Row> {\n    val sql = \"select * from t where id = $id\"\n    return jdbc.query(sql) { rs, _ -> map(rs) }\n  }\n  fun one(x: String) = x.trim()\n}\n",
            Lang::Kotlin,
        );
        assert_eq!(m.functions.len(), 2);
        assert_eq!(m.functions[0].params[0].annotations, vec!["PathVariable"]);
        assert_eq!(m.functions[0].body.len(), 2);
    }

    #[test]
    fn garbage_and_deep_nesting_terminate() {
        let deep = "(".repeat(5000) + &"[".repeat(5000);
        let braces = "{".repeat(3000);
        let ifs = "if (a) ".repeat(3000);
        let pyifs: String = (0..2000)
            .map(|i| format!("{}if a:\n", " ".repeat(i)))
            .collect();
        for t in [
            deep.as_str(),
            braces.as_str(),
            ifs.as_str(),
            pyifs.as_str(),
            "class { void f( { x = ; } } }}}",
            "def f(:\n  return (\n",
            "@@@ new new new ( ) [ ] -> -> ?: :: ...",
            "fun fun fun val val = = =",
            "x = f'{'",
            "public class X { void m() { String s = \"a\" + ; } ",
        ] {
            for l in [Lang::Java, Lang::Kotlin, Lang::Python] {
                let _ = parse(t, l);
            }
        }
    }
}
