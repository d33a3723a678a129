//! The language-neutral IR both parsers lower to: functions with
//! parameters and annotations/decorators, statements (assignments, calls,
//! returns, branches) and expressions (names, attributes, calls with a
//! receiver and arguments, string concatenation/interpolation, ternaries,
//! collections). Every call keeps its source range for findings.

/// A source range (byte offsets).
pub type Span = (u32, u32);

#[derive(Debug, Clone)]
pub enum Expr {
    /// A string literal (decoded text). Interpolating literals are lowered
    /// to `Concat`.
    Str(String),
    /// Numbers, characters, `true`/`false`/`null`/`None`.
    Lit(String),
    Name(String),
    Attr(Box<Expr>, String),
    Index(Box<Expr>, Box<Expr>),
    Call(Box<Call>),
    /// `a + b + ...` (any `+`; strings or numbers), f-strings, templates.
    Concat(Vec<Expr>),
    /// Any other binary operator (`%` formatting included).
    Bin(String, Box<Expr>, Box<Expr>),
    /// `!x`, `not x`, `-x`.
    Unary(String, Box<Expr>),
    /// `c ? a : b`, `a if c else b`, Kotlin `if (c) a else b`, `a ?: b`.
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    /// Lists, arrays, tuples, sets.
    List(Vec<Expr>),
    Dict(Vec<(Expr, Expr)>),
    /// Lambdas, comprehensions' scaffolding, syntax the parser skipped.
    Opaque,
}

#[derive(Debug, Clone)]
pub struct Call {
    /// `None` for a plain function call (`open(x)`), the receiver for a
    /// method call (`cursor.execute`).
    pub recv: Option<Expr>,
    /// The called name (`execute`), or the class for `new X(...)`.
    pub name: String,
    pub args: Vec<Arg>,
    /// `new X(...)` / a Kotlin/Python call of a capitalised name.
    pub new: bool,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Arg {
    /// Keyword (`shell=True`), when given.
    pub name: Option<String>,
    pub value: Expr,
}

#[derive(Debug, Clone)]
pub enum Stmt {
    /// `target op value`; `op` is `=` or a compound operator (`+=`).
    Assign {
        target: Expr,
        op: String,
        value: Expr,
        span: Span,
    },
    Expr(Expr),
    Return(Option<Expr>),
    /// `throw`/`raise`/`abort(...)`: control leaves the function.
    Raise,
    If {
        cond: Expr,
        then: Vec<Stmt>,
        els: Vec<Stmt>,
    },
    /// Loops, try/catch, switch, `with`: run zero or more times.
    Block(Vec<Stmt>),
}

#[derive(Debug, Clone, Default)]
pub struct Param {
    pub name: String,
    /// Annotations (`RequestParam`, `PathVariable`) or a FastAPI default's
    /// call name (`Query`, `Depends`).
    pub annotations: Vec<String>,
    /// Declared type (last segment), when given.
    pub ty: String,
}

#[derive(Debug, Clone, Default)]
pub struct Function {
    pub name: String,
    pub class: String,
    pub params: Vec<Param>,
    /// Annotations or decorators (last name segment, e.g. `GetMapping`,
    /// `route`, `get`).
    pub decorators: Vec<String>,
    pub body: Vec<Stmt>,
    pub span: Span,
}

/// A field or module-level constant.
#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    pub value: Option<Expr>,
    /// `final`/`val`/`static final`, or a module-level name assigned once.
    pub fixed: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Module {
    pub functions: Vec<Function>,
    pub fields: Vec<Field>,
    /// Python module-level statements (analysed as one more function).
    pub top: Vec<Stmt>,
    /// Annotations with string arguments (`@Select("... ${x}")`): the
    /// annotation name, its string text, and its range.
    pub sql_annotations: Vec<(String, String, Span)>,
}
