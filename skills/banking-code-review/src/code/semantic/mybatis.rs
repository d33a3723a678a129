//! MyBatis XML mappers: `${...}` in a statement's SQL text pastes a value
//! into the SQL (string substitution); `#{...}` binds it as a parameter.
//!
//! Policy: a `${}` in SQL text is a **warning**, never a block. The XML
//! cannot show where the value comes from, and `${}` is the documented way
//! to put an ORDER BY column or a table name chosen from an allow-list in
//! Java code into the SQL. The message says which case it looks like: a
//! `${}` inside a quoted SQL literal (`'%${name}%'`) is a data value that
//! should be bound; elsewhere (a column, table or sort direction) it should
//! come from an allow-list.
//!
//! Nothing for `#{}`; for `${name}` where `name` is set by a
//! `<property name="name" value="..."/>` of an `<include>` in the same
//! mapper (a constant fragment parameter); for attribute values (`test`,
//! `<bind value>` are OGNL expressions, not SQL); for XML comments; and for
//! XML files that are not mappers.

use crate::Hit;

/// SQL-bearing statement elements of a mapper.
const STATEMENTS: &[&str] = &["select", "insert", "update", "delete", "sql"];

/// Whether `text` is a MyBatis (or iBATIS) mapper document.
pub fn is_mapper(text: &str) -> bool {
    text.contains("<mapper")
        && (text.contains("mybatis") || text.contains("ibatis") || text.contains("namespace="))
}

/// `${...}` substitutions in the SQL text of a mapper's statements.
pub fn scan(text: &str) -> Vec<Hit> {
    if !is_mapper(text) {
        return Vec::new();
    }
    let Some(rule) = super::rule_def("sql-injection", false) else {
        return Vec::new();
    };
    let props = include_properties(text);
    let b = text.as_bytes();
    let n = b.len();
    let mut out = Vec::new();
    // Open statement elements: (tag name, id attribute, quote parity of
    // the SQL text seen so far).
    let mut stack: Vec<(&str, String)> = Vec::new();
    let mut quotes = 0usize;
    let mut i = 0;
    while i < n {
        if b[i] == b'<' {
            if text[i..].starts_with("<!--") {
                i = find(text, i + 4, "-->").map_or(n, |e| e + 3);
                continue;
            }
            if text[i..].starts_with("<![CDATA[") {
                // Character data: scanned as SQL text up to `]]>`.
                let end = find(text, i + 9, "]]>").unwrap_or(n);
                if !stack.is_empty() {
                    sql_text(
                        text,
                        i + 9,
                        end,
                        &stack,
                        &props,
                        &mut quotes,
                        rule,
                        &mut out,
                    );
                }
                i = (end + 3).min(n);
                continue;
            }
            let end = tag_end(b, i + 1);
            let tag = &text[i + 1..end.min(n)];
            let closing = tag.starts_with('/');
            let name_part = tag.trim_start_matches('/');
            let name: String = name_part
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':' || *c == '-')
                .collect();
            let self_closing = tag.trim_end().ends_with('/');
            if let Some(&stmt) = STATEMENTS.iter().find(|s| **s == name) {
                if closing {
                    if let Some(pos) = stack.iter().rposition(|(t, _)| *t == stmt) {
                        stack.truncate(pos);
                    }
                    if stack.is_empty() {
                        quotes = 0;
                    }
                } else if !self_closing {
                    if stack.is_empty() {
                        quotes = 0;
                    }
                    stack.push((stmt, attr(tag, "id").unwrap_or_default()));
                }
            }
            i = (end + 1).min(n);
            continue;
        }
        // Text up to the next tag.
        let next = text[i..].find('<').map_or(n, |k| i + k);
        if !stack.is_empty() {
            sql_text(text, i, next, &stack, &props, &mut quotes, rule, &mut out);
        }
        i = next;
    }
    out
}

/// Report the `${}` in the SQL text `text[from..to]`.
#[allow(clippy::too_many_arguments)]
fn sql_text(
    text: &str,
    from: usize,
    to: usize,
    stack: &[(&str, String)],
    props: &[String],
    quotes: &mut usize,
    rule: &'static kiro_guard_skill::rule::RuleDef,
    out: &mut Vec<Hit>,
) {
    let b = text.as_bytes();
    let mut i = from;
    while i < to {
        match b[i] {
            b'\'' => *quotes += 1,
            b'$' if i + 1 < to && b[i + 1] == b'{' => {
                let Some(close) = text[i + 2..to].find('}').map(|k| i + 2 + k) else {
                    return;
                };
                let expr = text[i + 2..close].trim();
                let name = expr.split(',').next().unwrap_or("").trim();
                if !props.iter().any(|p| p == name) {
                    let (stmt, id) = stack
                        .last()
                        .map(|(t, id)| (*t, id.as_str()))
                        .unwrap_or(("", ""));
                    let shown: String = name.chars().take(40).collect();
                    let at = if id.is_empty() {
                        format!("<{stmt}>")
                    } else {
                        format!("<{stmt} id=\"{id}\">")
                    };
                    let message = if *quotes % 2 == 1 {
                        format!(
                            "MyBatis `${{{shown}}}` pastes a data value into a quoted SQL literal in {at}; bind it with #{{{shown}}} (for LIKE: CONCAT('%', #{{{shown}}}, '%'))"
                        )
                    } else {
                        format!(
                            "MyBatis `${{{shown}}}` pastes a value into the SQL text of {at}; use #{{{shown}}} for values, and check a column, table or sort direction against an allow-list in Java before it reaches the mapper"
                        )
                    };
                    out.push(Hit::new(rule, (i, close + 1), message, String::new()));
                }
                i = close + 1;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
}

/// Names set by `<property name="..." value="..."/>` (include parameters).
fn include_properties(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(k) = find(text, from, "<property") {
        let end = tag_end(text.as_bytes(), k + 1);
        if let Some(name) = attr(&text[k + 1..end.min(text.len())], "name") {
            out.push(name);
        }
        from = end.max(k + 1);
    }
    out
}

/// The value of attribute `name` in a tag's text.
fn attr(tag: &str, name: &str) -> Option<String> {
    let mut from = 0;
    while let Some(k) = tag[from..].find(name).map(|k| from + k) {
        from = k + name.len();
        let before_ok = k > 0 && tag.as_bytes()[k - 1].is_ascii_whitespace();
        let rest = tag[from..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let rest = rest[1..].trim_start();
        let q = rest.chars().next()?;
        if q != '"' && q != '\'' {
            return None;
        }
        let v = &rest[1..];
        return v.find(q).map(|e| v[..e].to_string());
    }
    None
}

/// The index of the `>` closing the tag that starts before `from` (quoted
/// attribute values may contain `>`), or the text length.
fn tag_end(b: &[u8], from: usize) -> usize {
    let mut q = 0u8;
    let mut i = from;
    while i < b.len() {
        let c = b[i];
        if q != 0 {
            if c == q {
                q = 0;
            }
        } else if c == b'"' || c == b'\'' {
            q = c;
        } else if c == b'>' {
            return i;
        }
        i += 1;
    }
    b.len()
}

fn find(text: &str, from: usize, pat: &str) -> Option<usize> {
    text.get(from..)?.find(pat).map(|k| from + k)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mapper(body: &str) -> String {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE mapper PUBLIC \"-//mybatis.org//DTD Mapper 3.0//EN\" \"https://mybatis.org/dtd/mybatis-3-mapper.dtd\">\n<mapper namespace=\"com.bank.AccountMapper\">\n{body}\n</mapper>\n"
        )
    }

    /// (sample, number of warnings expected)
    const CASES: &[(&str, usize)] = &[
        // True samples.
        (
            "<select id=\"find\" resultType=\"Account\">SELECT * FROM accounts WHERE owner = '${owner}'</select>",
            1,
        ),
        (
            "<select id=\"sorted\">SELECT * FROM accounts ORDER BY ${sortColumn} ${direction}</select>",
            2,
        ),
        (
            "<select id=\"search\">SELECT * FROM accounts <where><if test=\"name != null\">name LIKE '%${name}%'</if></where></select>",
            1,
        ),
        (
            "<delete id=\"purge\"><![CDATA[DELETE FROM ${table} WHERE created < #{cutoff}]]></delete>",
            1,
        ),
        (
            "<sql id=\"cols\">${columns}</sql><select id=\"all\">SELECT <include refid=\"cols\"/> FROM t</select>",
            1,
        ),
        // Hard negatives.
        (
            "<select id=\"find\">SELECT * FROM accounts WHERE owner = #{owner} AND branch = #{branch,jdbcType=VARCHAR}</select>",
            0,
        ),
        (
            "<select id=\"search\"><bind name=\"pattern\" value=\"'%' + name + '%'\"/>SELECT * FROM accounts WHERE name LIKE #{pattern}</select>",
            0,
        ),
        (
            "<sql id=\"cols\">${alias}.id, ${alias}.owner</sql><select id=\"all\">SELECT <include refid=\"cols\"><property name=\"alias\" value=\"a\"/></include> FROM accounts a</select>",
            0,
        ),
        (
            "<!-- SELECT * FROM accounts ORDER BY ${sort} was removed --><select id=\"all\">SELECT * FROM accounts</select>",
            0,
        ),
        (
            "<resultMap id=\"m\" type=\"${domain.type}\"><result property=\"id\" column=\"id\"/></resultMap>",
            0,
        ),
        (
            "<select id=\"x\"><if test=\"sort == '${fixed}'\">ORDER BY id</if>SELECT 1</select>",
            0,
        ),
    ];

    #[test]
    fn samples() {
        for (body, want) in CASES {
            let hits = scan(&mapper(body));
            assert_eq!(
                hits.len(),
                *want,
                "{body}: {:?}",
                hits.iter().map(|h| &h.message).collect::<Vec<_>>()
            );
            for h in &hits {
                assert_eq!(h.rule.severity, kiro_guard_skill::Severity::Warn);
                assert!(mapper(body)[h.start..h.end].starts_with("${"), "{body}");
            }
        }
    }

    #[test]
    fn quoted_literal_and_identifier_messages_differ() {
        let hits = scan(&mapper(CASES[0].0));
        assert!(
            hits[0].message.contains("quoted SQL literal"),
            "{}",
            hits[0].message
        );
        assert!(
            hits[0].message.contains("<select id=\"find\">"),
            "{}",
            hits[0].message
        );
        let hits = scan(&mapper(CASES[1].0));
        assert!(
            hits[0].message.contains("allow-list"),
            "{}",
            hits[0].message
        );
    }

    #[test]
    fn other_xml_and_broken_input() {
        // Spring XML placeholders are not MyBatis.
        let beans = "<beans><bean id=\"ds\"><property name=\"url\" value=\"${jdbc.url}\"/></bean><select>${x}</select></beans>";
        assert!(scan(beans).is_empty());
        for cut in [10, 50, 120, 200, 260] {
            let m = mapper(CASES[1].0);
            let end = m.len().min(cut);
            let _ = scan(&m[..end]);
        }
        let _ = scan("<mapper namespace=\"a\"><select id=\"x\">${");
        let _ = scan("<mapper namespace=\"a\"><select id=\"x\" a=\"");
        let _ = scan("<mapper namespace=\"a\"><![CDATA[ ${");
    }
}
