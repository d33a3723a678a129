//! Intraprocedural taint analysis with constant propagation over the IR.
//!
//! Each function is run once over its statements with an environment from
//! variable names to abstract values ([`Val`]): a level (constant, unknown,
//! low-confidence source, untrusted source), the constant text when known,
//! the source and the variables the value went through, per-sink
//! sanitisation, tags (weak random, weak hash, credential, SQL text) and
//! constant-key collection contents. Branches on compile-time constants
//! are dead; other branches and loops join their environments; allow-list
//! and prefix checks sanitise the guarded variable. Same-file helpers get a
//! one-level summary (what their result depends on, which parameters reach
//! a sink inside them). Sinks and crypto APIs are checked as calls are
//! evaluated; see [`super::sinks`].

use super::ir::*;
use super::sinks;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

/// Constant, or built only from constants.
pub const CONST: u8 = 0;
/// Not constant, origin unknown (a parameter, a call result).
pub const UNKNOWN: u8 = 1;
/// Lower-confidence source: environment, command line, stdin.
pub const LOW: u8 = 2;
/// Untrusted request data.
pub const HIGH: u8 = 3;

// Sink kinds (bits of `Val::clean`).
pub const SQL: u16 = 1;
pub const CMD: u16 = 2;
pub const PATH: u16 = 4;
pub const EVAL: u16 = 8;
pub const DESER: u16 = 16;
pub const LDAP: u16 = 32;
pub const XPATH: u16 = 64;
pub const URL: u16 = 128;
pub const REDIRECT: u16 = 256;
pub const HEADER: u16 = 512;
pub const ALL: u16 = 0xffff;

// Tags.
pub const T_REQUEST: u16 = 1;
pub const T_RANDOM: u16 = 2;
pub const T_RANDOM_GEN: u16 = 4;
pub const T_WEAK_HASH: u16 = 8;
pub const T_CRED: u16 = 16;
pub const T_SQL: u16 = 32;
pub const T_OIS: u16 = 64;
pub const T_BUILDER: u16 = 128;
/// Bytes the function produced itself (a `ByteArrayOutputStream` it wrote)
/// or that ship with the program (`getResourceAsStream`).
pub const T_OWN: u16 = 256;
/// A hash object (`MessageDigest`), not yet its output.
pub const T_HASH_OBJ: u16 = 512;
/// The text already holds a `?` or `#`: what follows is query or fragment,
/// which cannot change where a URL points.
pub const T_QUERY: u16 = 1024;
/// Sink kinds where a value of unknown origin is never reported (see
/// `sinks::warns_on_unknown`).
const QUIET_ON_UNKNOWN: u16 = ALL & !(SQL | CMD | EVAL | DESER);
/// Tags that hold only when they hold on every joined path.
const T_ALL_PATHS: u16 = T_OWN | T_QUERY;

/// An abstract value.
#[derive(Debug, Clone, Default)]
pub struct Val {
    pub level: u8,
    /// The constant text, when fully known.
    pub konst: Option<Rc<str>>,
    /// Where the non-constant part comes from (`request.getParameter("id")`).
    pub origin: Option<Rc<str>>,
    /// Variables the value went through (at most 6).
    pub path: VarPath,
    /// Sink kinds this value is sanitised for.
    pub clean: u16,
    pub tags: u16,
    /// Parameters of the function being summarised it depends on.
    pub deps: u64,
    /// Contents of a collection by constant key (`*` for any key).
    pub elems: Option<Rc<BTreeMap<Rc<str>, Val>>>,
    /// Crypto site (index into the findings) this value came from.
    pub site: Option<u32>,
}

impl Val {
    pub fn konst(s: &str) -> Val {
        Val {
            konst: Some(Rc::from(s)),
            ..Val::default()
        }
    }
    pub fn unknown(origin: &str) -> Val {
        Val {
            level: UNKNOWN,
            origin: Some(Rc::from(origin)),
            ..Val::default()
        }
    }
    pub fn source(level: u8, origin: &str) -> Val {
        Val {
            level,
            origin: Some(Rc::from(origin)),
            ..Val::default()
        }
    }
    /// Not constant text but safe (a number, a sanitised value).
    pub fn safe() -> Val {
        Val {
            clean: ALL,
            ..Val::default()
        }
    }
    pub fn is_const(&self) -> bool {
        self.level == CONST
    }
    /// Whether the value can carry attacker data into a sink of `kind`.
    pub fn dirty(&self, kind: u16) -> bool {
        self.level > CONST && self.clean & kind == 0
    }
    pub fn with_path(mut self, var: &str) -> Val {
        if self.level > CONST && self.path.len() < 6 && self.path.last().is_none_or(|p| p != var) {
            self.path.push(Rc::from(var));
        }
        self
    }
}

/// The variables a value went through: a shared list (newest first), so
/// copying a value copies a pointer.
#[derive(Clone, Default)]
pub struct VarPath(Option<Rc<PathNode>>);

struct PathNode {
    var: Rc<str>,
    len: u8,
    prev: VarPath,
}

impl VarPath {
    pub fn len(&self) -> usize {
        self.0.as_ref().map_or(0, |n| n.len as usize)
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }
    /// The newest variable.
    pub fn last(&self) -> Option<&str> {
        self.0.as_deref().map(|n| &*n.var)
    }
    pub fn push(&mut self, var: Rc<str>) {
        let len = self.len() as u8 + 1;
        let prev = std::mem::take(self);
        self.0 = Some(Rc::new(PathNode { var, len, prev }));
    }
    pub fn clear(&mut self) {
        self.0 = None;
    }
    /// The same shared list.
    pub fn ptr_eq(&self, other: &VarPath) -> bool {
        match (&self.0, &other.0) {
            (None, None) => true,
            (Some(p), Some(q)) => Rc::ptr_eq(p, q),
            _ => false,
        }
    }
    /// Newest first.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        let mut cur = self.0.as_deref();
        std::iter::from_fn(move || {
            let n = cur?;
            cur = n.prev.0.as_deref();
            Some(&*n.var)
        })
    }
    /// Oldest first.
    pub fn to_vec(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.iter().collect();
        v.reverse();
        v
    }
}

impl std::fmt::Debug for VarPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.to_vec()).finish()
    }
}

/// Join (least upper bound): for concatenation, both branches, loops.
pub fn join(a: &Val, b: &Val) -> Val {
    let (hi, lo) = if b.level > a.level { (b, a) } else { (a, b) };
    let konst = None;
    // Beside a source, a value of unknown origin matters only at sinks
    // that report unknown values.
    let quiet = |x: &Val, y: &Val| {
        if x.level == UNKNOWN && y.level >= LOW {
            QUIET_ON_UNKNOWN
        } else {
            0
        }
    };
    let clean = match (a.level > CONST, b.level > CONST) {
        (true, true) => (a.clean | quiet(a, b)) & (b.clean | quiet(b, a)),
        (true, false) => a.clean,
        (false, true) => b.clean,
        (false, false) => a.clean & b.clean,
    };
    let elems = match (&a.elems, &b.elems) {
        (Some(x), None) | (None, Some(x)) => Some(x.clone()),
        (Some(x), Some(y)) => {
            let mut m = (**x).clone();
            for (k, v) in y.iter() {
                let nv = match m.get(k) {
                    Some(o) => join(o, v),
                    None => v.clone(),
                };
                m.insert(k.clone(), nv);
            }
            Some(Rc::new(m))
        }
        _ => None,
    };
    Val {
        level: hi.level,
        konst,
        origin: hi.origin.clone().or_else(|| lo.origin.clone()),
        path: if hi.level > CONST {
            hi.path.clone()
        } else {
            lo.path.clone()
        },
        clean,
        tags: ((a.tags | b.tags) & !T_ALL_PATHS) | (a.tags & b.tags & T_ALL_PATHS),
        deps: a.deps | b.deps,
        elems,
        site: a.site.or(b.site),
    }
}

/// Concatenation of values (constant text joined when all known).
pub fn concat(parts: &[Val]) -> Val {
    let Some(first) = parts.first() else {
        return Val::konst("");
    };
    let mut v = first.clone();
    let mut text: Option<String> = first.konst.as_deref().map(str::to_string);
    // Parts after a constant `?`/`#` are query or fragment: they cannot
    // choose the host of a URL or redirect.
    let opens_query =
        |p: &Val| p.level == CONST && p.konst.as_deref().is_some_and(|k| k.contains(['?', '#']));
    let mut query_from = if first.tags & T_QUERY != 0 || opens_query(first) {
        1
    } else {
        usize::MAX
    };
    for (i, p) in parts.iter().enumerate().skip(1) {
        if query_from == usize::MAX && opens_query(p) {
            query_from = i + 1;
        }
        text = match (text, &p.konst) {
            (Some(mut t), Some(k)) if t.len() < 4096 => {
                t.push_str(k);
                Some(t)
            }
            _ => None,
        };
        v = join(&v, p);
    }
    v.elems = None;
    v.konst = text.map(|t| Rc::from(t.as_str()));
    if parts.len() > 1 && v.level > CONST {
        // Concatenating into text drops numeric sanitisation only when a
        // dirty part is not itself clean.
        v.clean = parts
            .iter()
            .enumerate()
            .filter(|(_, p)| p.level > CONST)
            .fold(ALL, |c, (i, p)| {
                let q = if i >= query_from { URL | REDIRECT } else { 0 };
                // Beside a source, a part of unknown origin matters only
                // at sinks that report unknown values.
                let u = if p.level == UNKNOWN && v.level >= LOW {
                    QUIET_ON_UNKNOWN
                } else {
                    0
                };
                c & (p.clean | q | u)
            });
    }
    v.tags &= !T_QUERY;
    if query_from != usize::MAX {
        v.tags |= T_QUERY;
    }
    v
}

/// A helper's summary (one call level).
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub params: usize,
    /// The return value with parameters as `deps` bits.
    pub ret: Val,
    /// Parameters that reach a sink inside: (param bit, rule id, sink).
    pub sinks: Vec<(u64, u16, String)>,
}

/// A finding before spans are mapped.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: &'static str,
    pub block: bool,
    pub span: Span,
    pub message: String,
    /// Weak-random sites report only when escalated or on security paths.
    pub pending: bool,
}

pub struct Ctx<'m> {
    pub module: &'m Module,
    pub text: &'m str,
    pub python: bool,
    /// The source language (sinks and sources differ per language).
    pub lang: super::lex::Lang,
    pub summaries: FastMap<&'m str, Rc<Summary>>,
    /// Summary pass: record sinks reached by parameters instead of findings.
    pub summarising: bool,
    pub sink_deps: Vec<(u64, u16, String)>,
    pub findings: Vec<Finding>,
    /// Field values being folded (cycle guard).
    folding: Vec<String>,
    pub security_path: bool,
    pub has_filter: bool,
    pub imports_random: bool,
    pub sqlalchemy: bool,
    /// Python import aliases (`from Crypto.Cipher import DES as d`):
    /// alias → imported name.
    aliases: HashMap<String, String>,
    /// Variables checked by some allow-list/validation call in a condition
    /// of the current function (a check that may not dominate the sink).
    guarded: std::collections::HashSet<String>,
    /// Fields and module-level names by name (the last definition wins).
    fields: FastMap<&'m str, &'m Field>,
    /// Folded values of constant fields.
    field_cache: FastMap<&'m str, Val>,
    /// Functions by name (the first definition).
    by_name: FastMap<&'m str, &'m Function>,
    /// The function being analysed.
    pub func: Option<&'m Function>,
    pub ret: Option<Val>,
    steps: usize,
    /// Reused key buffer.
    scratch: String,
    /// Shared origin texts.
    interned: FastMap<Box<str>, Rc<str>>,
}

pub type Env = FastMap<Rc<str>, Val>;

/// A hash map with [`FastState`] hashing.
pub type FastMap<K, V> = HashMap<K, V, FastState>;

/// Multiply-rotate hashing (as rustc's FxHash) with a per-process random
/// seed and a final mix: several times cheaper than SipHash for the short
/// names the analysis looks up, and the seed keeps colliding names from
/// being chosen in advance.
#[derive(Clone, Copy)]
pub struct FastState(u64);

impl Default for FastState {
    fn default() -> Self {
        static SEED: std::sync::LazyLock<u64> = std::sync::LazyLock::new(|| {
            use std::hash::{BuildHasher, Hasher};
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u8(0);
            h.finish()
        });
        FastState(*SEED)
    }
}

impl std::hash::BuildHasher for FastState {
    type Hasher = FastHasher;
    fn build_hasher(&self) -> FastHasher {
        FastHasher(self.0)
    }
}

pub struct FastHasher(u64);

const FX: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FastHasher {
    #[inline]
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(FX);
    }
}

impl std::hash::Hasher for FastHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let r = chunks.remainder();
        if !r.is_empty() {
            let mut w = [0u8; 8];
            w[..r.len()].copy_from_slice(r);
            self.add(u64::from_le_bytes(w) ^ ((r.len() as u64) << 59));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        // Spread the high bits of the product into the low bits the table
        // indexes with.
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^ (h >> 33)
    }
}

const SPRING_SOURCES: &[&str] = &[
    "RequestParam",
    "PathVariable",
    "RequestBody",
    "RequestHeader",
    "CookieValue",
    "MatrixVariable",
    "ModelAttribute",
    "RequestPart",
    "QueryParam",
    "PathParam",
    "FormParam",
    "HeaderParam",
    "CookieParam",
    "MatrixParam",
    "BeanParam",
    "QueryValue",
    "Body",
    "Header",
    "RestQuery",
    "RestPath",
    "RestForm",
    "RestHeader",
];
const FASTAPI_SOURCES: &[&str] = &["Query", "Path", "Body", "Form", "Header", "Cookie", "File"];
const HANDLER_DECORATORS_JAVA: &[&str] = &[
    "GetMapping",
    "PostMapping",
    "PutMapping",
    "DeleteMapping",
    "PatchMapping",
    "RequestMapping",
    "GET",
    "POST",
    "PUT",
    "DELETE",
    "Get",
    "Post",
    "Put",
    "Delete",
];
const HANDLER_DECORATORS_PY: &[&str] = &[
    "route",
    "get",
    "post",
    "put",
    "delete",
    "patch",
    "api_route",
    "api_view",
    "websocket",
];
const REQUEST_TYPES: &[&str] = &[
    "HttpServletRequest",
    "ServletRequest",
    "ServerHttpRequest",
    "HttpRequest",
    "Request",
    "WebRequest",
    "NativeWebRequest",
    "ContainerRequestContext",
    "UriInfo",
    "HttpHeaders",
    "MultipartHttpServletRequest",
    "ServerRequest",
    "RoutingContext",
];
const SIMPLE_TYPES: &[&str] = &[
    "String", "Integer", "Long", "int", "long", "Map", "List", "str", "Optional", "Object",
];

/// Words of [`is_cred_name`], found anywhere in a name, any case.
static CRED_WORDS: std::sync::LazyLock<aho_corasick::AhoCorasick> =
    std::sync::LazyLock::new(|| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build([
                "password",
                "passwd",
                "pwd",
                "passphrase",
                "secret",
                "credential",
                "pin_code",
                "passcode",
            ])
            .expect("constant patterns")
    });

pub fn is_cred_name(name: &str) -> bool {
    let l = name.as_bytes();
    (l.len() >= 3 && CRED_WORDS.is_match(l))
        || l.eq_ignore_ascii_case(b"pin")
        || (l.len() >= 4 && l[l.len() - 4..].eq_ignore_ascii_case(b"_pin"))
        || l.eq_ignore_ascii_case(b"pass")
}

/// Words of [`is_secret_sink_name`].
const SECRET_WORDS: &[&str] = &[
    "token",
    "otp",
    "password",
    "passwd",
    "pwd",
    "secret",
    "nonce",
    "salt",
    "session",
    "csrf",
    "xsrf",
    "apikey",
    "signature",
    "verifier",
    "cookie",
    "passcode",
    "resetcode",
    "verifycode",
    "verificationcode",
    "activationcode",
    "authcode",
    "pin",
    "sessionid",
    "iv",
    "secretkey",
    "privatekey",
    "signingkey",
    "hmackey",
    "aeskey",
    "encryptionkey",
    "digest",
    "hmac",
    "mac",
    "sig",
];

/// Names of variables, keys and setters that hold credentials, tokens and
/// identifiers where predictable or weakly hashed values are a flaw.
pub fn is_secret_sink_name(name: &str) -> bool {
    // The name lower-cased, letters and digits only (on the stack).
    let mut buf = [0u8; 96];
    let mut n = 0;
    for &c in name.as_bytes() {
        if c.is_ascii_alphanumeric() {
            if n == buf.len() {
                // Longer than any name worth a look: the slow path.
                let l: String = name
                    .to_ascii_lowercase()
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric())
                    .collect();
                return secret_words_in(l.as_bytes());
            }
            buf[n] = c.to_ascii_lowercase();
            n += 1;
        }
    }
    secret_words_in(&buf[..n])
}

/// The words of four or more letters, found anywhere in a name.
static SECRET_LONG: std::sync::LazyLock<aho_corasick::AhoCorasick> =
    std::sync::LazyLock::new(|| {
        aho_corasick::AhoCorasick::new(SECRET_WORDS.iter().filter(|w| w.len() > 3))
            .expect("constant patterns")
    });

fn secret_words_in(l: &[u8]) -> bool {
    let l = l.strip_prefix(b"set").unwrap_or(l);
    // Short words only as a whole word or suffix (`sig`, `apiKey`).
    // (`otp`, `pwd`, `pin`, `sig` as a suffix; `iv`, `mac` whole.)
    let short = match l.len() {
        0 | 1 => false,
        2 => l == b"iv",
        _ => {
            let t = [l[l.len() - 3], l[l.len() - 2], l[l.len() - 1]];
            matches!(&t, b"otp" | b"pwd" | b"pin" | b"sig") || (l.len() == 3 && &t == b"mac")
        }
    };
    short || (l.len() > 3 && SECRET_LONG.is_match(l))
}

impl<'m> Ctx<'m> {
    pub fn new(module: &'m Module, text: &'m str, python: bool, kotlin: bool, path: &str) -> Self {
        let p = path.to_ascii_lowercase();
        Ctx {
            module,
            text,
            python,
            lang: if python {
                super::lex::Lang::Python
            } else if kotlin {
                super::lex::Lang::Kotlin
            } else {
                super::lex::Lang::Java
            },
            summaries: Default::default(),
            summarising: false,
            sink_deps: Vec::new(),
            findings: Vec::new(),
            folding: Vec::new(),
            security_path: [
                "auth",
                "security",
                "token",
                "session",
                "crypto",
                "login",
                "password",
                "otp",
                "secret",
                "credential",
                "signup",
                "register",
                "reset",
                "verify",
            ]
            .iter()
            .any(|w| p.contains(w)),
            has_filter: text.contains("ObjectInputFilter") || text.contains("resolveClass"),
            imports_random: text.contains("from random import"),
            sqlalchemy: text.contains("sqlalchemy"),
            func: None,
            ret: None,
            steps: 0,
            scratch: String::new(),
            interned: Default::default(),
            fields: Self::field_index(module),
            field_cache: Default::default(),
            guarded: Default::default(),
            by_name: {
                let mut m = FastMap::default();
                for f in &module.functions {
                    m.entry(f.name.as_str()).or_insert(f);
                }
                m
            },
            aliases: if python {
                import_aliases(text)
            } else {
                HashMap::new()
            },
        }
    }

    /// The imported name behind an alias (the name itself otherwise).
    pub fn field_index(module: &'m Module) -> FastMap<&'m str, &'m Field> {
        let mut m = FastMap::default();
        for f in &module.fields {
            m.insert(f.name.as_str(), f);
        }
        m
    }

    pub fn alias<'a>(&'a self, name: &'a str) -> &'a str {
        self.aliases.get(name).map(String::as_str).unwrap_or(name)
    }

    /// Run the whole module: summaries, then every function.
    pub fn run(&mut self) {
        let m = self.module;
        // Helpers are summarised on their first call (see `summary`).
        self.summarising = false;
        // Pass 2: findings.
        for f in &m.functions {
            let env = self.params_env(f);
            let _ = self.function(f, env);
        }
        if !m.top.is_empty() {
            self.func = None;
            let mut env = Env::default();
            let mut done = false;
            self.stmts(&m.top, &mut env, &mut done);
        }
        for (name, text, span) in &m.sql_annotations {
            if text.contains("${") {
                self.findings.push(Finding {
                    rule: "sql-injection",
                    block: false,
                    span: *span,
                    message: format!(
                        "MyBatis `${{}}` in @{name} pastes a value into the SQL text; use #{{}} (a bound parameter) or check the value against an allow-list"
                    ),
                    pending: false,
                });
            }
        }
    }

    /// The summary of the same-file function `name`, computed on first use
    /// (parameters as dependency bits, sinks they reach recorded).
    fn summary(&mut self, name: &str) -> Option<Rc<Summary>> {
        if let Some(s) = self.summaries.get(name) {
            return Some(s.clone());
        }
        let f = self.by_name.get(name).copied()?;
        if f.params.len() > 63 || self.summarising {
            return None;
        }
        // Placeholder against recursion.
        self.summaries
            .insert(f.name.as_str(), Rc::new(Summary::default()));
        let mut env = Env::default();
        let mut bit = 1u64;
        for p in &f.params {
            if matches!(p.name.as_str(), "self" | "cls") {
                continue;
            }
            let mut v = Val::unknown(&p.name);
            v.deps = bit;
            bit <<= 1;
            env.insert(Rc::from(p.name.as_str()), v);
        }
        let saved_deps = std::mem::take(&mut self.sink_deps);
        self.summarising = true;
        let ret = self.function(f, env);
        self.summarising = false;
        let s = Summary {
            params: f
                .params
                .iter()
                .filter(|p| !matches!(p.name.as_str(), "self" | "cls"))
                .count(),
            ret,
            sinks: std::mem::replace(&mut self.sink_deps, saved_deps),
        };
        let s = Rc::new(s);
        self.summaries.insert(f.name.as_str(), s.clone());
        Some(s)
    }

    fn params_env(&mut self, f: &Function) -> Env {
        let mut env = Env::default();
        let java_handler = f
            .decorators
            .iter()
            .any(|d| HANDLER_DECORATORS_JAVA.contains(&d.as_str()));
        let py_handler = self.python
            && f.decorators
                .iter()
                .any(|d| HANDLER_DECORATORS_PY.contains(&d.as_str()));
        let django_view = self.python
            && f.params.iter().any(|p| p.name == "request")
            && !f
                .params
                .iter()
                .any(|p| p.name == "request" && p.ty == "Request");
        for p in &f.params {
            let name = p.name.as_str();
            let v = if REQUEST_TYPES.contains(&p.ty.as_str())
                || (self.python && matches!(name, "request" | "req"))
            {
                Val {
                    tags: T_REQUEST,
                    ..Val::default()
                }
            } else if p
                .annotations
                .iter()
                .any(|a| SPRING_SOURCES.contains(&a.as_str()))
                || (self.python
                    && p.annotations
                        .iter()
                        .any(|a| FASTAPI_SOURCES.contains(&a.as_str())))
            {
                let a = p.annotations.first().map(String::as_str).unwrap_or("");
                Val::source(HIGH, &format!("@{a} {name}"))
            } else if (java_handler
                && p.annotations.is_empty()
                && SIMPLE_TYPES.contains(&p.ty.as_str()))
                || (py_handler
                    && !matches!(name, "self" | "cls" | "db" | "session")
                    && !p
                        .annotations
                        .iter()
                        .any(|a| a == "Depends" || a == "Security")
                    && !matches!(
                        p.ty.as_str(),
                        "Session" | "AsyncSession" | "BackgroundTasks" | "Response"
                    ))
            {
                Val::source(HIGH, &format!("request parameter {name}"))
            } else if django_view && !matches!(name, "self" | "cls") {
                Val::source(LOW, &format!("URL parameter {name}"))
            } else if f.name == "main" && matches!(p.ty.as_str(), "String" | "Array") {
                Val::source(LOW, "command-line arguments")
            } else {
                Val {
                    level: UNKNOWN,
                    origin: Some(self.interned("parameter ", name, "")),
                    ..Val::default()
                }
            };
            env.insert(Rc::from(name), v);
        }
        env
    }

    fn function(&mut self, f: &'m Function, mut env: Env) -> Val {
        let outer_guarded = std::mem::take(&mut self.guarded);
        let outer = self.func.replace(f);
        let outer_ret = self.ret.take();
        let mut done = false;
        self.stmts(&f.body, &mut env, &mut done);
        let ret = self.ret.take().unwrap_or_default();
        self.ret = outer_ret;
        self.func = outer;
        self.guarded = outer_guarded;
        ret
    }

    // ---------------------------------------------------------- statements
    pub fn stmts(&mut self, stmts: &'m [Stmt], env: &mut Env, done: &mut bool) {
        for s in stmts {
            if *done {
                return;
            }
            self.steps += 1;
            if self.steps > 2_000_000 {
                *done = true;
                return;
            }
            self.stmt(s, env, done);
        }
    }

    fn stmt(&mut self, s: &'m Stmt, env: &mut Env, done: &mut bool) {
        match s {
            Stmt::Assign {
                target,
                op,
                value,
                span,
            } => {
                let v = self.eval(value, env);
                self.assign(target, op, v, env, *span);
            }
            Stmt::Expr(e) => {
                let _ = self.eval(e, env);
                if let Expr::Call(c) = e
                    && is_abort(c)
                {
                    *done = true;
                }
            }
            Stmt::Return(e) => {
                if let Some(e) = e {
                    let v = self.eval(e, env);
                    self.returned(e, &v);
                    self.ret = Some(match &self.ret {
                        Some(r) => join(r, &v),
                        None => v,
                    });
                } else if self.ret.is_none() {
                    self.ret = Some(Val::default());
                }
                *done = true;
            }
            Stmt::Raise => *done = true,
            Stmt::If { cond, then, els } => {
                let c = self.eval(cond, env);
                match c.konst.as_deref() {
                    Some("true" | "True") => return self.stmts(then, env, done),
                    Some("false" | "False" | "null" | "None" | "0" | "") if c.is_const() => {
                        return self.stmts(els, env, done);
                    }
                    _ => {}
                }
                let (pos, neg) = guards(cond, self.python);
                collect_guard_vars(cond, self.python, &mut self.guarded);
                let mut e1 = env.clone();
                apply_guards(&mut e1, &pos);
                let mut d1 = false;
                self.stmts(then, &mut e1, &mut d1);
                // The else branch runs on `env` itself.
                apply_guards(env, &neg);
                let mut d2 = false;
                self.stmts(els, env, &mut d2);
                match (d1, d2) {
                    (true, true) => {
                        *done = true;
                        *env = e1;
                    }
                    (true, false) => {}
                    (false, true) => *env = e1,
                    (false, false) => *env = join_into(e1, env),
                }
            }
            Stmt::Block(b) => {
                let mut e1 = env.clone();
                let mut d = false;
                self.stmts(b, &mut e1, &mut d);
                *env = join_into(std::mem::take(env), &e1);
            }
        }
    }

    /// A value leaves the function: redirects and credential sinks.
    fn returned(&mut self, e: &Expr, v: &Val) {
        let Some(f) = self.func else { return };
        // Spring `return "redirect:" + url`.
        if let Expr::Concat(parts) = e
            && let Some(Expr::Str(s)) = parts.first()
            && s.starts_with("redirect:")
            && v.dirty(REDIRECT)
        {
            let span = f.span;
            self.report(
                v,
                REDIRECT,
                "open-redirect",
                "a \"redirect:\" view name",
                span,
            );
        }
        if is_secret_sink_name(&f.name) {
            self.secret_flow(v, &format!("the result of {}()", f.name));
        }
    }

    fn assign(&mut self, target: &Expr, op: &str, v: Val, env: &mut Env, span: Span) {
        match target {
            Expr::Name(n) => {
                let v = if op == "+=" {
                    let old = env
                        .get(n.as_str())
                        .cloned()
                        .unwrap_or_else(|| self.name_val(n, env));
                    concat(&[old, v])
                } else if op == "=" {
                    v
                } else {
                    let old = env.get(n.as_str()).cloned().unwrap_or_default();
                    join(&old, &v)
                };
                if is_secret_sink_name(n) {
                    self.secret_flow(&v, n);
                }
                env.insert(Rc::from(n.as_str()), v.with_path(n));
            }
            Expr::Attr(base, name) => {
                if is_secret_sink_name(name) {
                    self.secret_flow(&v, name);
                }
                if let Expr::Name(b) = &**base {
                    let key = format!("{b}.{name}");
                    let v = if op == "+=" {
                        let old = env.get(key.as_str()).cloned().unwrap_or_default();
                        concat(&[old, v])
                    } else {
                        v
                    };
                    env.insert(Rc::from(key.as_str()), v.with_path(name));
                }
            }
            Expr::Index(base, key) => {
                let k = self.eval(key, env);
                if let Some(kk) = &k.konst
                    && is_secret_sink_name(kk)
                {
                    self.secret_flow(&v, kk);
                }
                if let Expr::Name(b) = &**base
                    && (b == "session" || b.ends_with("cookies"))
                {
                    self.secret_flow(&v, b);
                }
                if let Expr::Attr(_, a) = &**base {
                    if a == "session" || a == "cookies" {
                        self.secret_flow(&v, a);
                    }
                    if a == "headers" && v.dirty(HEADER) {
                        self.report(&v, HEADER, "header-injection", "a response header", span);
                    }
                }
                if let Expr::Name(b) = &**base {
                    let key: Rc<str> = k.konst.clone().unwrap_or_else(|| Rc::from("*"));
                    let entry = env.entry(Rc::from(b.as_str())).or_default();
                    let mut m = entry.elems.as_deref().cloned().unwrap_or_default();
                    m.insert(key, v.clone());
                    entry.elems = Some(Rc::new(m));
                    let merged = join(entry, &v);
                    entry.level = merged.level.max(entry.level);
                    if entry.origin.is_none() {
                        entry.origin = v.origin.clone();
                    }
                }
            }
            Expr::List(ts) => {
                for (i, t) in ts.iter().enumerate() {
                    let part = v
                        .elems
                        .as_ref()
                        .and_then(|m| m.get(i.to_string().as_str()).cloned())
                        .unwrap_or_else(|| {
                            let mut p = v.clone();
                            p.elems = None;
                            p.konst = None;
                            p
                        });
                    self.assign(t, "=", part, env, span);
                }
            }
            _ => {}
        }
    }

    // --------------------------------------------------------- expressions
    pub fn eval(&mut self, e: &Expr, env: &mut Env) -> Val {
        self.steps += 1;
        match e {
            Expr::Str(s) => {
                let mut v = Val::konst(s);
                if sinks::looks_like_sql(s) {
                    v.tags |= T_SQL;
                }
                v
            }
            Expr::Lit(l) => Val::konst(l),
            Expr::Name(n) => {
                let mut v = match env.get(n.as_str()) {
                    Some(v) => v.clone(),
                    None => self.name_val(n, env),
                };
                if is_cred_name(n) {
                    v.tags |= T_CRED;
                }
                v
            }
            Expr::Attr(base, name) => self.attr(base, name, env),
            Expr::Index(base, idx) => {
                let b = self.eval(base, env);
                let k = self.eval(idx, env);
                self.index(&b, &k, base)
            }
            Expr::Call(c) => self.call(c, env),
            Expr::Concat(parts) => {
                let vals: Vec<Val> = parts.iter().map(|p| self.eval(p, env)).collect();
                concat(&vals)
            }
            Expr::Bin(op, a, b) => {
                let x = self.eval(a, env);
                let y = self.eval(b, env);
                match op.as_str() {
                    "%" if x.konst.is_some() && x.tags & T_SQL != 0
                        || matches!(**a, Expr::Str(_)) =>
                    {
                        let mut v = concat(&[x, y]);
                        v.konst = None;
                        v
                    }
                    "or" | "||" | "and" | "&&" => {
                        let mut v = join(&x, &y);
                        v.konst = match (op.as_str(), x.konst.as_deref(), y.konst.as_deref()) {
                            (_, Some(_), Some(_)) if !x.is_const() || !y.is_const() => None,
                            ("&&" | "and", Some(p), Some(q)) => {
                                Some(Rc::from(bool_str(truthy(p) && truthy(q))))
                            }
                            ("||" | "or", Some(p), Some(q)) => {
                                Some(Rc::from(bool_str(truthy(p) || truthy(q))))
                            }
                            _ => None,
                        };
                        if op == "or" && x.konst.is_none() && !x.is_const() {
                            v.konst = None;
                        }
                        v
                    }
                    "==" | "!=" | "<" | ">" | "<=" | ">=" | "in" | "not in" | "is" | "is not" => {
                        let konst = match (x.konst.as_deref(), y.konst.as_deref()) {
                            (Some(p), Some(q))
                                if x.is_const()
                                    && y.is_const()
                                    && x.elems.is_none()
                                    && y.elems.is_none() =>
                            {
                                match op.as_str() {
                                    "==" | "is" => Some(bool_str(p == q)),
                                    "!=" | "is not" => Some(bool_str(p != q)),
                                    _ => None,
                                }
                            }
                            _ => None,
                        };
                        Val {
                            konst: konst.map(Rc::from),
                            clean: ALL,
                            level: if x.is_const() && y.is_const() {
                                CONST
                            } else {
                                UNKNOWN
                            },
                            ..Val::default()
                        }
                    }
                    _ => {
                        // Arithmetic: numbers.
                        let mut v = join(&x, &y);
                        v.konst = None;
                        v.clean = ALL;
                        v.elems = None;
                        v
                    }
                }
            }
            Expr::Unary(op, a) => {
                let x = self.eval(a, env);
                if op == "!" {
                    let konst = x
                        .konst
                        .as_deref()
                        .filter(|_| x.is_const())
                        .map(|k| Rc::from(bool_str(!truthy(k))));
                    return Val {
                        konst,
                        clean: ALL,
                        level: if x.is_const() { CONST } else { UNKNOWN },
                        ..Val::default()
                    };
                }
                let mut v = x;
                v.konst = v.konst.map(|k| Rc::from(format!("{op}{k}").as_str()));
                v
            }
            Expr::Cond(c, a, b) => {
                let cv = self.eval(c, env);
                if cv.is_const() {
                    match cv.konst.as_deref() {
                        Some("true" | "True") => return self.eval(a, env),
                        Some("false" | "False") => return self.eval(b, env),
                        _ => {}
                    }
                }
                let x = self.eval(a, env);
                let y = self.eval(b, env);
                let mut v = join(&x, &y);
                if x.konst.is_some() && x.konst == y.konst {
                    v.konst = x.konst.clone();
                }
                v
            }
            Expr::List(items) => {
                let mut m = BTreeMap::new();
                let mut v = Val::default();
                for (i, it) in items.iter().enumerate() {
                    let x = self.eval(it, env);
                    v = join(&v, &x);
                    m.insert(Rc::from(i.to_string().as_str()), x);
                }
                v.konst = None;
                v.elems = Some(Rc::new(m));
                if v.level == CONST {
                    v.konst = Some(Rc::from("[list]"));
                }
                v
            }
            Expr::Dict(pairs) => {
                let mut m = BTreeMap::new();
                let mut v = Val::default();
                for (k, x) in pairs {
                    let kv = self.eval(k, env);
                    let xv = self.eval(x, env);
                    v = join(&v, &xv);
                    let key = kv.konst.clone().unwrap_or_else(|| Rc::from("*"));
                    m.insert(key, xv);
                }
                v.konst = None;
                v.elems = Some(Rc::new(m));
                v
            }
            Expr::Opaque => Val::unknown("an expression"),
        }
    }

    /// A name not assigned in this function: a field, a constant, a
    /// class, a module-level name.
    fn name_val(&mut self, n: &str, env: &mut Env) -> Val {
        if !self.python
            && let Some(v) = self
                .dotted(env, "this", n)
                .or_else(|| self.dotted(env, "self", n))
        {
            return v.clone();
        }
        if let Some(f) = self.field(n) {
            return self.field_val(f, env);
        }
        if self.python && matches!(n, "request" | "req") {
            return Val {
                tags: T_REQUEST,
                ..Val::default()
            };
        }
        if is_constant_name(n) || n.as_bytes().first().is_some_and(u8::is_ascii_uppercase) {
            // A constant or a class name.
            let mut v = Val::konst(n);
            v.konst = if is_constant_name(n) {
                None
            } else {
                Some(Rc::from(n))
            };
            return v;
        }
        if self.python && PY_MODULES.contains(&n) {
            return Val::default();
        }
        match n {
            "this" | "self" | "super" | "cls" => Val::default(),
            _ => Val::unknown(n),
        }
    }

    /// `env["{a}.{b}"]`, without allocating the key.
    fn dotted<'e>(&mut self, env: &'e Env, a: &str, b: &str) -> Option<&'e Val> {
        self.scratch.clear();
        self.scratch.push_str(a);
        self.scratch.push('.');
        self.scratch.push_str(b);
        env.get(self.scratch.as_str())
    }

    /// The shared text `{a}{b}{c}` (origins repeat: `execute()`, `field x`).
    fn interned(&mut self, a: &str, b: &str, c: &str) -> Rc<str> {
        self.scratch.clear();
        self.scratch.push_str(a);
        self.scratch.push_str(b);
        self.scratch.push_str(c);
        if let Some(r) = self.interned.get(self.scratch.as_str()) {
            return r.clone();
        }
        let r: Rc<str> = Rc::from(self.scratch.as_str());
        if self.interned.len() < 4096 {
            self.interned
                .insert(self.scratch.clone().into_boxed_str(), r.clone());
        }
        r
    }

    fn field(&self, n: &str) -> Option<&'m Field> {
        self.fields.get(n).copied()
    }

    fn field_val(&mut self, f: &'m Field, env: &mut Env) -> Val {
        if !f.fixed && !is_constant_name(&f.name) || f.value.is_none() {
            // Mutable, or `final` without initialiser (set in a
            // constructor).
            return Val {
                level: UNKNOWN,
                origin: Some(self.interned("field ", &f.name, "")),
                ..Val::default()
            };
        }
        let Some(e) = &f.value else {
            return Val::default();
        };
        if let Some(v) = self.field_cache.get(f.name.as_str()) {
            return v.clone();
        }
        if self.folding.iter().any(|x| x == &f.name) || self.folding.len() > 20 {
            return Val::unknown(&f.name);
        }
        self.folding.push(f.name.clone());
        let mut scratch = Env::default();
        let _ = env;
        let v = self.eval(e, &mut scratch);
        self.folding.pop();
        self.field_cache.insert(f.name.as_str(), v.clone());
        v
    }

    fn attr(&mut self, base: &Expr, name: &str, env: &mut Env) -> Val {
        if let Expr::Name(b) = base {
            if let Some(v) = self.dotted(env, b, name) {
                return v.clone();
            }
            if matches!(b.as_str(), "self" | "this")
                && let Some(f) = self.field(name)
            {
                return self.field_val(f, env);
            }
            // `Status.ACTIVE`, `Config.TABLE`, `AES.MODE_ECB`.
            if is_constant_name(name) && b.as_bytes().first().is_some_and(u8::is_ascii_uppercase) {
                if let Some(f) = self.field(name)
                    && f.fixed
                {
                    return self.field_val(f, env);
                }
                return Val::konst(&format!("{b}.{name}"));
            }
            if sinks::is_low_source_attr(b, name) {
                return Val::source(LOW, &format!("{b}.{name}"));
            }
        }
        let b = self.eval(base, env);
        if b.tags & T_REQUEST != 0 {
            if sinks::REQUEST_DATA_ATTRS.contains(&name) {
                let mut v = Val::source(HIGH, &format!("{}.{name}", describe(base)));
                v.deps = b.deps;
                return v;
            }
            return Val::default();
        }
        if let Some(m) = &b.elems
            && let Some(v) = m.get(name)
        {
            return v.clone();
        }
        let mut v = b;
        v.konst = None;
        v.elems = None;
        v.tags &= !(T_REQUEST | T_OIS | T_BUILDER);
        if is_cred_name(name) {
            v.tags |= T_CRED;
        }
        let module =
            matches!(base, Expr::Name(n) if self.python && PY_MODULES.contains(&n.as_str()));
        if module {
            return Val::default();
        }
        if v.level == CONST
            && !matches!(base, Expr::Name(n) if n.as_bytes().first().is_some_and(u8::is_ascii_uppercase))
        {
            // A member of an object we know nothing about.
            v = Val::unknown(name);
        }
        v
    }

    fn index(&mut self, b: &Val, k: &Val, base: &Expr) -> Val {
        let mut v = if let Some(m) = &b.elems {
            match k.konst.as_ref().and_then(|kk| m.get(kk)) {
                Some(v) => v.clone(),
                None => match m.get("*") {
                    Some(star) if k.konst.is_some() => join(star, &Val::default()),
                    Some(star) => star.clone(),
                    None if k.konst.is_some() && b.level == CONST => Val::default(),
                    None => {
                        let mut x = b.clone();
                        x.elems = None;
                        x
                    }
                },
            }
        } else {
            let mut x = b.clone();
            x.konst = None;
            x
        };
        if v.level >= LOW
            && let Some(kk) = &k.konst
            && b.elems.is_none()
            && b.path.is_empty()
            && v.origin.as_deref().is_some_and(|o| !o.contains('['))
        {
            v.origin = Some(Rc::from(format!("{}[\"{kk}\"]", describe(base)).as_str()));
        }
        if let Some(kk) = &k.konst
            && is_cred_name(kk)
        {
            v.tags |= T_CRED;
        }
        v
    }

    fn call(&mut self, c: &Call, env: &mut Env) -> Val {
        let recv = c.recv.as_ref().map(|r| self.eval(r, env));
        let args: Vec<Val> = c.args.iter().map(|a| self.eval(&a.value, env)).collect();
        // An own buffer handed to other code may be filled with outside
        // data (`IOUtils.copy(in, buffer)`); wrapping it to serialise into
        // it or to read it back keeps it own.
        if !matches!(
            c.name.as_str(),
            "ObjectOutputStream"
                | "ObjectInputStream"
                | "ByteArrayInputStream"
                | "BufferedInputStream"
        ) {
            for a in &c.args {
                if let Expr::Name(n) = &a.value
                    && let Some(v) = env.get_mut(n.as_str())
                    && v.tags & T_OWN != 0
                {
                    v.tags &= !T_OWN;
                }
            }
        }
        let rv = recv.clone().unwrap_or_default();
        // Sinks and crypto first (they see the inputs).
        sinks::check(self, c, recv.as_ref(), &args, env);
        // Same-file helper summary.
        let own = c.recv.is_none()
            || matches!(&c.recv, Some(Expr::Name(n)) if matches!(n.as_str(), "self" | "this" | "cls") || n.as_bytes().first().is_some_and(u8::is_ascii_uppercase));
        if own
            && !self.summarising
            && let Some(s) = self.summary(c.name.as_str())
            && s.params >= args.len()
        {
            for (bit, kind, sink) in &s.sinks {
                for (i, a) in args.iter().enumerate() {
                    if bit & (1 << i) != 0 && a.level >= LOW && a.clean & kind == 0 {
                        let rule = sinks::rule_for(*kind);
                        let msg = format!("{} → {}() → {sink}", flow_text(a), c.name);
                        self.findings.push(Finding {
                            rule,
                            block: a.level == HIGH && sinks::blocks(*kind),
                            span: c.span,
                            message: msg,
                            pending: false,
                        });
                    }
                }
            }
            let mut r = s.ret.clone();
            r.deps = 0;
            if s.ret.level == CONST {
                return r;
            }
            let mut out = Val {
                level: if s.ret.deps == 0 { s.ret.level } else { CONST },
                konst: None,
                origin: if s.ret.deps == 0 {
                    s.ret.origin.clone()
                } else {
                    None
                },
                clean: s.ret.clean,
                tags: s.ret.tags,
                ..Val::default()
            };
            if s.ret.deps == 0 && out.level == UNKNOWN {
                out.origin = Some(Rc::from(format!("{}()", c.name).as_str()));
            }
            for (i, a) in args.iter().enumerate() {
                if s.ret.deps & (1 << i) != 0 {
                    let mut a = a.clone();
                    a.clean |= s.ret.clean;
                    out = join(&out, &a);
                }
            }
            if out.level > CONST {
                out = out.with_path(&format!("{}()", c.name));
            }
            return out;
        }
        if let Some(v) = sinks::model(self, c, recv.as_ref(), &args, env) {
            return v;
        }
        // Unknown call: taint flows through, but only a method of tainted
        // data, a static/utility function or a constructor keeps the
        // source's confidence.
        let mut out;
        let mut deps = rv.deps;
        for a in &args {
            deps |= a.deps;
        }
        let recv_is_class = c.recv.as_ref().is_none_or(|r| self.static_recv(r));
        if rv.level >= LOW {
            out = rv.clone();
            out.konst = None;
            out.elems = None;
            for a in &args {
                if a.level > CONST {
                    out = join(&out, a);
                }
            }
        } else {
            let worst = args
                .iter()
                .filter(|a| a.level >= LOW)
                .max_by_key(|a| a.level);
            if let Some(w) = worst {
                out = w.clone();
                out.konst = None;
                out.elems = None;
                if !(recv_is_class || c.new) {
                    out.level = UNKNOWN;
                }
            } else {
                out = Val {
                    level: UNKNOWN,
                    origin: Some(self.interned("", &c.name, "()")),
                    ..Val::default()
                };
                out.tags = rv.tags & (T_RANDOM | T_WEAK_HASH);
                for a in &args {
                    out.tags |= a.tags & (T_RANDOM | T_WEAK_HASH);
                    if out.site.is_none() {
                        out.site = a.site;
                    }
                }
                if out.site.is_none() {
                    out.site = rv.site;
                }
            }
        }
        out.deps = deps;
        out
    }

    /// A class or module receiver (`String.format`, `os.path.realpath`):
    /// its methods are utility functions, not methods of some object.
    fn static_recv(&self, e: &Expr) -> bool {
        match e {
            Expr::Name(n) => {
                n.as_bytes().first().is_some_and(u8::is_ascii_uppercase)
                    || (self.python && PY_MODULES.contains(&n.as_str()))
            }
            Expr::Attr(b, _) => self.static_recv(b),
            _ => false,
        }
    }

    // ----------------------------------------------------------- reporting
    /// Report `v` reaching a sink of `kind` (rule id `rule`).
    pub fn report(&mut self, v: &Val, kind: u16, rule: &'static str, what: &str, span: Span) {
        self.report_fmt(v, kind, rule, what, span)
    }

    /// [`Ctx::report`] with a sink description formatted only when needed.
    pub fn report_fmt(
        &mut self,
        v: &Val,
        kind: u16,
        rule: &'static str,
        what: impl std::fmt::Display,
        span: Span,
    ) {
        if !v.dirty(kind) {
            return;
        }
        if self.summarising {
            if v.deps != 0 {
                self.sink_deps.push((v.deps, kind, what.to_string()));
            }
            return;
        }
        let checked = v.path.iter().any(|p| self.guarded.contains(p));
        let (block, msg) = match v.level {
            HIGH if checked => (
                false,
                format!(
                    "{} → {what} (the value is checked on some paths only)",
                    flow_text(v)
                ),
            ),
            HIGH => (sinks::blocks(kind), format!("{} → {what}", flow_text(v))),
            LOW => (
                false,
                format!("{} (lower-confidence source) → {what}", flow_text(v)),
            ),
            _ => {
                if !sinks::warns_on_unknown(kind) {
                    return;
                }
                (
                    false,
                    format!(
                        "non-constant value of unknown origin ({}) → {what}",
                        flow_text(v)
                    ),
                )
            }
        };
        self.findings.push(Finding {
            rule,
            block,
            span,
            message: msg,
            pending: false,
        });
    }

    /// A crypto/random site; returns its index for later escalation.
    pub fn site(
        &mut self,
        rule: &'static str,
        block: bool,
        pending: bool,
        span: Span,
        msg: String,
    ) -> Option<u32> {
        if self.summarising {
            return None;
        }
        self.findings.push(Finding {
            rule,
            block,
            span,
            message: msg,
            pending,
        });
        Some((self.findings.len() - 1) as u32)
    }

    /// A weak-random or weak-hash value flows into a credential, token,
    /// cookie or session: escalate its site to a block.
    pub fn secret_flow(&mut self, v: &Val, into: &str) {
        // A hash object named `digest` is not a stored digest.
        if v.tags & (T_RANDOM | T_WEAK_HASH) == 0 || v.tags & T_HASH_OBJ != 0 {
            return;
        }
        if let Some(i) = v.site
            && let Some(f) = self.findings.get_mut(i as usize)
            && !f.block
        {
            f.block = true;
            f.pending = false;
            f.message = format!("{} and the value flows into {into}", f.message);
        }
    }
}

/// Python standard-library modules: names and attributes of these are not
/// data.
const PY_MODULES: &[&str] = &[
    "os",
    "posixpath",
    "json",
    "base64",
    "urllib",
    "re",
    "shlex",
    "html",
    "textwrap",
    "pathlib",
    "io",
    "codecs",
    "binascii",
    "hashlib",
    "secrets",
    "uuid",
    "datetime",
    "math",
    "subprocess",
    "sys",
    "shutil",
    "tempfile",
    "logging",
    "hmac",
    "struct",
    "functools",
    "itertools",
    "collections",
    "typing",
    "decimal",
    "random",
    "pickle",
    "yaml",
];

/// `import a.b as c` and `from a import b as c` aliases in Python source.
fn import_aliases(text: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    // Only lines with " as " matter: visit those, in order, once each.
    let mut last_start = usize::MAX;
    for (p, _) in text.match_indices(" as ") {
        let start = kiro_guard_skill::scan::line_start(text.as_bytes(), p);
        if start == last_start {
            continue;
        }
        last_start = start;
        let line = match text[p..].find('\n') {
            Some(k) => {
                let l = &text[start..p + k];
                l.strip_suffix('\r').unwrap_or(l)
            }
            None => &text[start..],
        };
        let l = line.trim_start();
        if !(l.starts_with("import ") || l.starts_with("from ")) || !l.contains(" as ") {
            continue;
        }
        let names = l
            .split(" import ")
            .nth(1)
            .unwrap_or(l.trim_start_matches("import "));
        for part in names.trim_matches(|c| c == '(' || c == ')').split(',') {
            let mut it = part.split(" as ");
            if let (Some(orig), Some(alias)) = (it.next(), it.next()) {
                let orig = orig.trim().rsplit('.').next().unwrap_or("").to_string();
                let alias = alias.trim().trim_end_matches(')').to_string();
                if !orig.is_empty() && !alias.is_empty() {
                    out.insert(alias, orig);
                }
            }
        }
    }
    out
}

/// A call that ends the request: `abort(404)`, `sys.exit()`.
fn is_abort(c: &Call) -> bool {
    match &c.recv {
        None => matches!(c.name.as_str(), "abort" | "exit" | "fail"),
        Some(Expr::Name(n)) => {
            matches!(c.name.as_str(), "exit" | "abort")
                && matches!(n.as_str(), "sys" | "System" | "flask" | "os")
        }
        _ => false,
    }
}

fn bool_str(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}

fn truthy(k: &str) -> bool {
    !matches!(k, "false" | "False" | "0" | "" | "null" | "None")
}

/// ALL_CAPS names (constants by convention).
pub fn is_constant_name(n: &str) -> bool {
    n.len() >= 2
        && n.bytes().any(|c| c.is_ascii_uppercase())
        && n.bytes()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'_')
}

/// The join of two environments, reusing `a`'s table; values both sides
/// share are kept as they are (joining a value with itself gives the same
/// value).
pub fn join_into(a: Env, b: &Env) -> Env {
    let mut out = a;
    for (k, v) in b {
        let a = &out;
        if a.get(k).is_some_and(|o| same(o, v)) {
            continue;
        }
        let nv = match a.get(k) {
            Some(o) => {
                let mut j = join(o, v);
                if o.konst == v.konst {
                    j.konst = o.konst.clone();
                }
                j
            }
            None => v.clone(),
        };
        out.insert(k.clone(), nv);
    }
    out
}

/// The same value (shared parts by pointer).
fn same(a: &Val, b: &Val) -> bool {
    fn rc<T: ?Sized>(x: &Option<Rc<T>>, y: &Option<Rc<T>>) -> bool {
        match (x, y) {
            (None, None) => true,
            (Some(p), Some(q)) => Rc::ptr_eq(p, q),
            _ => false,
        }
    }
    a.level == b.level
        && a.clean == b.clean
        && a.tags == b.tags
        && a.deps == b.deps
        && a.site == b.site
        && rc(&a.konst, &b.konst)
        && rc(&a.origin, &b.origin)
        && rc(&a.elems, &b.elems)
        && a.path.ptr_eq(&b.path)
}

/// Guards in a condition: variables sanitised when the condition holds
/// (first) and when it does not (second).
/// Variables a condition sanitises, with the sink kinds.
type Guards = Vec<(String, u16)>;

fn guards(cond: &Expr, python: bool) -> (Guards, Guards) {
    let mut pos = Vec::new();
    let mut neg = Vec::new();
    match cond {
        Expr::Unary(op, inner) if op == "!" => {
            let (p, n) = guards(inner, python);
            return (n, p);
        }
        Expr::Bin(op, a, b) if op == "in" || op == "not in" => {
            if let Some(v) = var_name(a)
                && !matches!(**b, Expr::Str(_))
            {
                if op == "in" {
                    pos.push((v, ALL))
                } else {
                    neg.push((v, ALL))
                }
            }
        }
        // `name.lastIndexOf('/') >= 0`: when false, the name has no `/`.
        Expr::Bin(op, a, b)
            if matches!(op.as_str(), ">=" | "!=" | ">")
                && is_separator_search(a)
                && match op.as_str() {
                    ">=" => matches!(&**b, Expr::Lit(z) if z == "0"),
                    _ => {
                        matches!(&**b, Expr::Lit(z) if z == "-1")
                            || matches!(&**b, Expr::Unary(m, one) if m == "-" && matches!(&**one, Expr::Lit(z) if z == "1"))
                    }
                } =>
        {
            if let Expr::Call(c) = &**a
                && let Some(v) = c.recv.as_ref().and_then(var_name)
            {
                neg.push((v, PATH));
            }
        }
        Expr::Bin(op, a, b) if op == "and" || op == "&&" => {
            let (p1, _) = guards(a, python);
            let (p2, _) = guards(b, python);
            pos.extend(p1);
            pos.extend(p2);
        }
        Expr::Bin(op, a, b) if op == "or" || op == "||" => {
            let (_, n1) = guards(a, python);
            let (_, n2) = guards(b, python);
            neg.extend(n1);
            neg.extend(n2);
        }
        Expr::Call(c) => {
            let name = c.name.as_str();
            let first = c.args.first().and_then(|a| var_name(&a.value));
            let recv = c.recv.as_ref().and_then(var_name);
            match name {
                "contains" | "containsKey" | "includes" | "isValid" => {
                    if let Some(v) = first {
                        pos.push((v, ALL));
                    }
                }
                "matches" => {
                    if let Some(v) = recv.or(first) {
                        pos.push((v, ALL));
                    }
                }
                "isdigit" | "isnumeric" | "isdecimal" | "isalnum" | "isalpha" | "isidentifier" => {
                    if let Some(v) = recv {
                        pos.push((v, ALL));
                    }
                }
                "match" | "fullmatch" | "isinstance" => {
                    let v = c
                        .args
                        .get(if name == "isinstance" { 0 } else { 1 })
                        .and_then(|a| var_name(&a.value));
                    if let Some(v) = v {
                        pos.push((v, ALL));
                    }
                }
                "startswith" | "startsWith" => {
                    if let Some(v) = recv {
                        pos.push((v, PATH));
                    }
                }
                n if n.starts_with("check_")
                    || n.starts_with("validate")
                    || n.starts_with("is_valid")
                    || n.contains("safe")
                    || n.contains("allowed")
                    || n.contains("Safe")
                    || n.contains("Allowed")
                    || n.starts_with("is_valid")
                    || n.starts_with("isValid") =>
                {
                    if let Some(v) = first {
                        pos.push((v, ALL));
                    }
                }
                _ => {}
            }
        }
        _ => {}
    }
    let _ = python;
    (pos, neg)
}

/// `x.indexOf('/')` / `x.lastIndexOf(File.separator)`.
fn is_separator_search(e: &Expr) -> bool {
    let Expr::Call(c) = e else { return false };
    matches!(c.name.as_str(), "indexOf" | "lastIndexOf")
        && c.args.len() == 1
        && match &c.args[0].value {
            Expr::Str(x) => x == "/",
            Expr::Lit(x) => x == "'/'",
            Expr::Attr(_, n) | Expr::Name(n) => n == "separator" || n == "separatorChar",
            _ => false,
        }
}

/// Every variable some check in `cond` tests, whatever the polarity.
fn collect_guard_vars(cond: &Expr, python: bool, out: &mut std::collections::HashSet<String>) {
    match cond {
        Expr::Bin(op, a, b) if matches!(op.as_str(), "and" | "&&" | "or" | "||") => {
            collect_guard_vars(a, python, out);
            collect_guard_vars(b, python, out);
        }
        Expr::Unary(_, a) => collect_guard_vars(a, python, out),
        _ => {
            let (p, n) = guards(cond, python);
            out.extend(p.into_iter().chain(n).map(|(v, _)| v));
        }
    }
}

fn var_name(e: &Expr) -> Option<String> {
    match e {
        Expr::Name(n) => Some(n.clone()),
        Expr::Attr(b, n) => match &**b {
            Expr::Name(x) => Some(format!("{x}.{n}")),
            _ => None,
        },
        Expr::Call(c)
            if matches!(
                c.name.as_str(),
                "lower"
                    | "upper"
                    | "strip"
                    | "toLowerCase"
                    | "toUpperCase"
                    | "trim"
                    | "toString"
                    | "normalize"
                    | "toAbsolutePath"
                    | "getCanonicalPath"
                    | "toRealPath"
            ) =>
        {
            c.recv.as_ref().and_then(var_name)
        }
        _ => None,
    }
}

fn apply_guards(env: &mut Env, g: &[(String, u16)]) {
    for (v, kind) in g {
        if let Some(x) = env.get_mut(v.as_str()) {
            x.clean |= kind;
        }
    }
}

/// `source → var → var` for a message.
pub fn flow_text(v: &Val) -> String {
    let mut s = v.origin.as_deref().unwrap_or("a value").to_string();
    for p in v.path.to_vec() {
        if s.len() > 160 {
            break;
        }
        s.push_str(" → ");
        s.push_str(p);
    }
    s
}

/// A short text for an expression (for messages).
pub fn describe(e: &Expr) -> String {
    let mut s = String::new();
    describe_into(e, &mut s, 0);
    s
}

fn describe_into(e: &Expr, out: &mut String, depth: u32) {
    if out.len() > 60 || depth > 6 {
        out.push('…');
        return;
    }
    match e {
        Expr::Name(n) => out.push_str(n),
        Expr::Str(s) => {
            out.push('"');
            out.extend(s.chars().take(24));
            out.push('"');
        }
        Expr::Lit(l) => out.push_str(l),
        Expr::Attr(b, n) => {
            describe_into(b, out, depth + 1);
            out.push('.');
            out.push_str(n);
        }
        Expr::Index(b, i) => {
            describe_into(b, out, depth + 1);
            out.push('[');
            describe_into(i, out, depth + 1);
            out.push(']');
        }
        Expr::Call(c) => {
            if let Some(r) = &c.recv {
                describe_into(r, out, depth + 1);
                out.push('.');
            } else if c.new {
                out.push_str("new ");
            }
            out.push_str(&c.name);
            out.push('(');
            for (i, a) in c.args.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                if i > 1 {
                    out.push('…');
                    break;
                }
                describe_into(&a.value, out, depth + 1);
            }
            out.push(')');
        }
        _ => out.push('…'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn import_aliases_of_import_lines_only() {
        let text = "import hashlib as h\r\nfrom Crypto.Cipher import DES as d, AES\nwith open(p) as f:\n    pass\n  from os import path as osp\nexcept ValueError as e:\nimport a.b.c as abc";
        let a = import_aliases(text);
        let mut got: Vec<(&str, &str)> = a.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        got.sort();
        assert_eq!(
            got,
            vec![
                ("abc", "c"),
                ("d", "DES"),
                ("h", "hashlib"),
                ("osp", "path")
            ]
        );
    }

    #[test]
    fn name_checks() {
        for (n, cred, secret) in [
            ("password", true, true),
            ("userPassword", true, true),
            ("PIN", true, true),
            ("old_pin", true, true),
            ("pass", true, false),
            ("sha1Digest", false, true),
            ("setApiKey", false, true),
            ("iv", false, true),
            ("div", false, false),
            ("mac", false, true),
            ("format", false, false),
            ("sid", false, false),
            ("sessionId", false, true),
            ("otp", false, true),
        ] {
            assert_eq!(is_cred_name(n), cred, "{n}");
            assert_eq!(is_secret_sink_name(n), secret, "{n}");
        }
        let long = "x".repeat(200) + "token";
        assert!(is_secret_sink_name(&long));
    }
}
