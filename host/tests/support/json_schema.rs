//! A small JSON Schema validator for the tests: the keywords the vendored
//! GitLab (draft-07) and OCSF (2020-12) schemas use. A keyword it does not
//! know makes it panic, so a schema constraint is never skipped silently.
//! `$ref` siblings are applied too (stricter than draft-07, which ignores
//! them).

use serde_json::Value;
use std::cell::RefCell;
use std::collections::HashMap;

/// Keywords that only annotate.
const ANNOTATIONS: &[&str] = &[
    "$schema",
    "$id",
    "$comment",
    "title",
    "description",
    "examples",
    "default",
    "deprecated",
    "definitions",
    "$defs",
    "self",
];

pub struct Validator<'a> {
    root: &'a Value,
    regexes: RefCell<HashMap<String, regex::Regex>>,
}

impl<'a> Validator<'a> {
    pub fn new(root: &'a Value) -> Self {
        Validator {
            root,
            regexes: RefCell::new(HashMap::new()),
        }
    }

    /// Every violation, as `<instance path>: <what>`; empty when valid.
    pub fn errors(&self, instance: &Value) -> Vec<String> {
        let mut errs = Vec::new();
        self.check(self.root, instance, "", &mut errs, 0);
        errs
    }

    fn resolve(&self, r: &str) -> &'a Value {
        let ptr = r
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("only local $ref is supported: {r}"));
        let ptr = ptr.replace("~1", "/").replace("~0", "~");
        self.root
            .pointer(&ptr)
            .unwrap_or_else(|| panic!("unresolvable $ref {r}"))
    }

    fn matches(&self, pattern: &str, s: &str) -> bool {
        let mut cache = self.regexes.borrow_mut();
        let re = cache.entry(pattern.to_string()).or_insert_with(|| {
            regex::Regex::new(pattern).unwrap_or_else(|e| panic!("pattern {pattern}: {e}"))
        });
        re.is_match(s)
    }

    fn valid(&self, schema: &Value, inst: &Value, depth: usize) -> bool {
        let mut e = Vec::new();
        self.check(schema, inst, "", &mut e, depth);
        e.is_empty()
    }

    fn check(
        &self,
        schema: &Value,
        inst: &Value,
        path: &str,
        errs: &mut Vec<String>,
        depth: usize,
    ) {
        assert!(depth < 200, "schema recursion too deep at {path}");
        let obj = match schema {
            Value::Bool(true) => return,
            Value::Bool(false) => {
                errs.push(format!("{path}: no value is allowed here"));
                return;
            }
            Value::Object(o) => o,
            other => panic!("not a schema: {other}"),
        };
        for (k, v) in obj {
            match k.as_str() {
                "$ref" => {
                    let target = self.resolve(v.as_str().expect("$ref is a string"));
                    self.check(target, inst, path, errs, depth + 1);
                }
                "type" => {
                    let types: Vec<&str> = match v {
                        Value::String(s) => vec![s.as_str()],
                        Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
                        _ => panic!("bad type keyword"),
                    };
                    if !types.iter().any(|t| has_type(inst, t)) {
                        errs.push(format!("{path}: expected type {types:?}, got {inst}"));
                    }
                }
                "enum" => {
                    let list = v.as_array().expect("enum is an array");
                    if !list.iter().any(|x| json_eq(x, inst)) {
                        errs.push(format!("{path}: {inst} is not one of {v}"));
                    }
                }
                "const" => {
                    if !json_eq(v, inst) {
                        errs.push(format!("{path}: {inst} is not {v}"));
                    }
                }
                "minLength" | "maxLength" => {
                    if let Some(s) = inst.as_str() {
                        let n = s.chars().count() as u64;
                        let lim = v.as_u64().expect("length limit");
                        if (k == "minLength" && n < lim) || (k == "maxLength" && n > lim) {
                            errs.push(format!("{path}: length {n} violates {k} {lim}"));
                        }
                    }
                }
                "pattern" => {
                    if let Some(s) = inst.as_str() {
                        let p = v.as_str().expect("pattern is a string");
                        if !self.matches(p, s) {
                            errs.push(format!("{path}: {s:?} does not match {p}"));
                        }
                    }
                }
                "minimum" | "maximum" => {
                    if let (Some(n), Some(lim)) = (inst.as_f64(), v.as_f64())
                        && ((k == "minimum" && n < lim) || (k == "maximum" && n > lim))
                    {
                        errs.push(format!("{path}: {n} violates {k} {lim}"));
                    }
                }
                "minItems" | "maxItems" => {
                    if let Some(a) = inst.as_array() {
                        let n = a.len() as u64;
                        let lim = v.as_u64().expect("item limit");
                        if (k == "minItems" && n < lim) || (k == "maxItems" && n > lim) {
                            errs.push(format!("{path}: {n} items violates {k} {lim}"));
                        }
                    }
                }
                "items" => {
                    assert!(
                        v.is_object() || v.is_boolean(),
                        "tuple `items` is not supported"
                    );
                    if let Some(a) = inst.as_array() {
                        for (i, x) in a.iter().enumerate() {
                            self.check(v, x, &format!("{path}/{i}"), errs, depth + 1);
                        }
                    }
                }
                "required" => {
                    if let Some(o) = inst.as_object() {
                        for r in v.as_array().expect("required is an array") {
                            let r = r.as_str().expect("required names are strings");
                            if !o.contains_key(r) {
                                errs.push(format!("{path}: missing required property {r:?}"));
                            }
                        }
                    }
                }
                "properties" => {
                    if let Some(o) = inst.as_object() {
                        for (name, sub) in v.as_object().expect("properties is an object") {
                            if let Some(x) = o.get(name) {
                                self.check(sub, x, &format!("{path}/{name}"), errs, depth + 1);
                            }
                        }
                    }
                }
                "patternProperties" => {
                    if let Some(o) = inst.as_object() {
                        for (pat, sub) in v.as_object().expect("patternProperties is an object") {
                            for (name, x) in o {
                                if self.matches(pat, name) {
                                    self.check(sub, x, &format!("{path}/{name}"), errs, depth + 1);
                                }
                            }
                        }
                    }
                }
                "additionalProperties" => {
                    if let Some(o) = inst.as_object() {
                        let props = obj.get("properties").and_then(Value::as_object);
                        let pats: Vec<&str> = obj
                            .get("patternProperties")
                            .and_then(Value::as_object)
                            .map(|p| p.keys().map(String::as_str).collect())
                            .unwrap_or_default();
                        for (name, x) in o {
                            let declared = props.is_some_and(|p| p.contains_key(name))
                                || pats.iter().any(|p| self.matches(p, name));
                            if !declared {
                                if v == &Value::Bool(false) {
                                    errs.push(format!("{path}: property {name:?} is not allowed"));
                                } else {
                                    self.check(v, x, &format!("{path}/{name}"), errs, depth + 1);
                                }
                            }
                        }
                    }
                }
                "allOf" => {
                    for sub in v.as_array().expect("allOf is an array") {
                        self.check(sub, inst, path, errs, depth + 1);
                    }
                }
                "anyOf" => {
                    let subs = v.as_array().expect("anyOf is an array");
                    if !subs.iter().any(|s| self.valid(s, inst, depth + 1)) {
                        errs.push(format!("{path}: matches none of anyOf"));
                    }
                }
                "oneOf" => {
                    let subs = v.as_array().expect("oneOf is an array");
                    let n = subs
                        .iter()
                        .filter(|s| self.valid(s, inst, depth + 1))
                        .count();
                    if n != 1 {
                        errs.push(format!("{path}: matches {n} of oneOf, not exactly one"));
                    }
                }
                "not" => {
                    if self.valid(v, inst, depth + 1) {
                        errs.push(format!("{path}: matches a `not` schema"));
                    }
                }
                k if ANNOTATIONS.contains(&k) => {}
                other => panic!("unsupported schema keyword {other:?} at {path}"),
            }
        }
    }
}

fn has_type(v: &Value, t: &str) -> bool {
    match t {
        "null" => v.is_null(),
        "boolean" => v.is_boolean(),
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "number" => v.is_number(),
        "integer" => v.is_i64() || v.is_u64() || v.as_f64().is_some_and(|f| f.fract() == 0.0),
        other => panic!("unknown type {other}"),
    }
}

/// JSON equality where 1 and 1.0 are the same number.
fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_eq(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}
