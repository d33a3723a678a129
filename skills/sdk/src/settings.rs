//! A skill's settings, read strictly into a typed struct.
//!
//! The host passes a skill the `[skills.<name>]` table of `.kiro-guard.toml`
//! as JSON (plus any keys it adds itself for that skill). [`parse`] (or
//! [`Config::settings`](crate::Config::settings)) deserializes it into the
//! skill's settings type, which derives `serde::Deserialize` with
//! `#[serde(default)]` on the struct, so an absent key takes the value of
//! `Default`:
//!
//! - `""`, `null` and `{}` give `T::default()`;
//! - a key that is not a field of `T` is an error naming the skill, the key
//!   and the keys the skill knows (a misspelt setting must not silently
//!   leave a check at its default);
//! - a value of the wrong type is an error naming the skill and the key.
//!
//! ```
//! #[derive(Debug, Default, PartialEq, serde::Deserialize)]
//! #[serde(default)]
//! struct Settings {
//!     production: bool,
//!     allow_hosts: Vec<String>,
//! }
//! use kiro_guard_skill::settings::parse;
//! let s: Settings = parse("my-skill", r#"{"production": true}"#).unwrap();
//! assert!(s.production && s.allow_hosts.is_empty());
//! let e = parse::<Settings>("my-skill", r#"{"prodution": true}"#).unwrap_err();
//! assert!(e.contains("my-skill") && e.contains("`prodution`"));
//! ```

use serde::de::{DeserializeOwned, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// Deserialize a skill's settings JSON into `T`; see the module docs for
/// the rules. `skill` names the skill in error messages.
pub fn parse<T: DeserializeOwned + Default>(skill: &str, json: &str) -> Result<T, String> {
    if json.trim().is_empty() {
        return Ok(T::default());
    }
    let value: Value = serde_json::from_str(json)
        .map_err(|e| format!("{skill}: settings are not valid JSON: {e}"))?;
    from_value(skill, &value)
}

/// [`parse`] for settings already parsed as JSON.
pub fn from_value<T: DeserializeOwned + Default>(skill: &str, value: &Value) -> Result<T, String> {
    let obj = match value {
        Value::Null => return Ok(T::default()),
        Value::Object(o) => o,
        _ => return Err(format!("{skill}: settings must be a table")),
    };
    let known = field_names::<T>();
    if !known.is_empty()
        && let Some(k) = obj.keys().find(|k| !known.contains(&k.as_str()))
    {
        return Err(format!(
            "{skill}: unknown setting `{k}` (known: {})",
            known.join(", ")
        ));
    }
    T::deserialize(value).map_err(|e| {
        // serde_json does not say which key a type error belongs to: find
        // the first key whose value alone does not deserialize.
        let culprit = obj.iter().find_map(|(k, v)| {
            let one = Value::Object([(k.clone(), v.clone())].into_iter().collect());
            T::deserialize(&one)
                .err()
                .map(|e| format!("{skill}: setting `{k}`: {e}"))
        });
        culprit.unwrap_or_else(|| format!("{skill}: invalid settings: {e}"))
    })
}

/// The field names of a struct that derives `Deserialize` (what serde's
/// derive passes to `deserialize_struct`); empty for other types.
pub fn field_names<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    struct Names(Option<&'static [&'static str]>);

    #[derive(Debug)]
    struct Stop;
    impl std::fmt::Display for Stop {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("field names read")
        }
    }
    impl std::error::Error for Stop {}
    impl serde::de::Error for Stop {
        fn custom<M: std::fmt::Display>(_: M) -> Stop {
            Stop
        }
    }

    impl<'de> Deserializer<'de> for &mut Names {
        type Error = Stop;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
            Err(Stop)
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Stop> {
            self.0 = Some(fields);
            Err(Stop)
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
            bytes byte_buf option unit unit_struct newtype_struct seq tuple
            tuple_struct map enum identifier ignored_any
        }
    }

    let mut names = Names(None);
    let _ = T::deserialize(&mut names);
    names.0.unwrap_or(&[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(default)]
    struct S {
        production: bool,
        region: String,
        servers: Option<Vec<String>>,
    }

    impl Default for S {
        fn default() -> Self {
            S {
                production: false,
                region: "ap-southeast-1".into(),
                servers: None,
            }
        }
    }

    #[test]
    fn a_known_key_parses_and_the_rest_keep_their_defaults() {
        let s: S = parse("sk", r#"{"production": true}"#).unwrap();
        assert_eq!(
            s,
            S {
                production: true,
                ..S::default()
            }
        );
        let s: S = parse("sk", r#"{"servers": ["a"], "region": "x"}"#).unwrap();
        assert_eq!(s.servers, Some(vec!["a".to_string()]));
        assert_eq!(s.region, "x");
    }

    #[test]
    fn empty_or_absent_settings_are_the_defaults() {
        for json in ["", "  \n", "{}", "null"] {
            assert_eq!(parse::<S>("sk", json).unwrap(), S::default(), "{json:?}");
        }
        assert_eq!(from_value::<S>("sk", &Value::Null).unwrap(), S::default());
    }

    #[test]
    fn an_unknown_key_is_an_error_naming_it_and_the_skill() {
        let e = parse::<S>("sk", r#"{"production": true, "prodution": true}"#).unwrap_err();
        assert_eq!(
            e,
            "sk: unknown setting `prodution` (known: production, region, servers)"
        );
    }

    #[test]
    fn a_wrong_type_names_the_key() {
        let e = parse::<S>("sk", r#"{"region": "x", "production": "yes"}"#).unwrap_err();
        assert!(
            e.starts_with("sk: setting `production`: invalid type"),
            "{e}"
        );
        let e = parse::<S>("sk", r#"{"servers": [1]}"#).unwrap_err();
        assert!(e.starts_with("sk: setting `servers`:"), "{e}");
    }

    #[test]
    fn not_a_table_or_not_json_is_an_error() {
        assert_eq!(
            parse::<S>("sk", "[1]").unwrap_err(),
            "sk: settings must be a table"
        );
        assert!(parse::<S>("sk", "{").unwrap_err().starts_with("sk: "));
    }

    #[test]
    fn field_names_of_a_struct() {
        assert_eq!(field_names::<S>(), ["production", "region", "servers"]);
        assert!(field_names::<u32>().is_empty());
    }
}
