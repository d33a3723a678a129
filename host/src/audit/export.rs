//! `kiro-guard audit export`: the audit log as a stream a SIEM ingests.
//!
//! Two forms, one JSON object per line on stdout:
//!
//! - **flat** (default): every audit line (header, decision, break, rotate)
//!   exactly as written, with one key put in front, `"log_file"` (the month
//!   file it came from). Splunk and Elastic index it as it is. Removing that
//!   key gives back the original bytes, so the hash chain can be verified
//!   from the export ([`original_lines`], [`verify_lines`]).
//! - **ocsf**: one OCSF 1.1.0 *Detection Finding* (class 2004) per decision,
//!   the form AWS Security Lake ingests. The original line travels in
//!   `raw_data` (or in `unmapped.kiro_guard.raw_line` when it is longer than
//!   the 65,535 characters `raw_data` allows), and the header, break and
//!   rotate lines written before a decision travel with it in
//!   `unmapped.kiro_guard.chain_lines`, so every line of the chain is there.
//!
//! `--since` starts at the first record made at or after a time (and then
//! exports every line after it, so the exported part is one unbroken piece
//! of the chain); `--follow` keeps reading as lines are appended, and moves
//! on to the next month's file when it appears.

use super::chain::{self, sha256_hex};
use super::{LogDir, parse_time};
use anyhow::{Context, Result, bail};
use serde_json::{Map, Value, json};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;
use time::OffsetDateTime;

/// The OCSF version the `ocsf` form follows.
pub const OCSF_VERSION: &str = "1.1.0";
/// OCSF class: Detection Finding.
pub const OCSF_CLASS_UID: u64 = 2004;
/// OCSF category: Findings.
pub const OCSF_CATEGORY_UID: u64 = 2;
/// Longest `raw_data` OCSF allows (a `string_t`).
pub const OCSF_MAX_STRING: usize = 65_535;
/// The key the flat form puts in front of each line.
pub const FLAT_KEY: &str = "log_file";

/// Output form of `audit export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// Every audit line as written, with `"log_file"` in front (Splunk, Elastic).
    Flat,
    /// OCSF 1.1.0 Detection Finding events, one per decision (AWS Security Lake).
    Ocsf,
}

/// `kiro-guard audit export` arguments.
#[derive(Debug)]
pub struct ExportOptions {
    pub format: ExportFormat,
    /// Start at the first record made at or after this time (then every line after it): YYYY-MM-DD (UTC), an RFC 3339 time, or an age such as 15m, 24h, 7d.
    pub since: Option<String>,
    /// Keep running and print lines as they are appended (and from the next month's file when it appears).
    pub follow: bool,
    /// Instead of exporting: check the hash chain of an export read back from a SIEM (FILE, or - for stdin) in --format's form; flat also accepts the audit lines as written.
    pub verify: Option<PathBuf>,
    /// How often --follow looks for new lines, in milliseconds.
    pub poll_ms: u64,
    pub log: LogDir,
}

/// One complete line of a month file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawLine {
    /// The month file's name (`2025-01.jsonl`).
    pub file: String,
    /// The line's bytes, without the newline.
    pub text: String,
}

/// The flat form of a line: `{"log_file":"<file>",` then the line without
/// its opening brace.
pub fn flat_line(file: &str, line: &str) -> String {
    let key = serde_json::to_string(FLAT_KEY).expect("string serialises");
    let name = serde_json::to_string(file).expect("string serialises");
    match line.strip_prefix('{') {
        Some(rest) if rest.trim_start().starts_with('}') => format!("{{{key}:{name}}}"),
        Some(rest) => format!("{{{key}:{name},{rest}"),
        // Not an object: wrap it (verification then reports it).
        None => format!(
            "{{{key}:{name},\"unparsed\":{}}}",
            serde_json::to_string(line).expect("string serialises")
        ),
    }
}

/// The original line of a flat-form line, or None when it is not one.
pub fn unflatten(flat: &str) -> Option<(String, String)> {
    let v: Value = serde_json::from_str(flat).ok()?;
    let file = v.get(FLAT_KEY)?.as_str()?.to_string();
    let prefix = format!(
        "{{{}:{},",
        serde_json::to_string(FLAT_KEY).ok()?,
        serde_json::to_string(&file).ok()?
    );
    let rest = flat.strip_prefix(&prefix)?;
    Some((file, format!("{{{rest}")))
}

/// Severity of a decision as OCSF `severity_id` and caption.
fn ocsf_severity(decision: &str) -> (u64, &'static str) {
    match decision {
        "block" => (4, "High"),
        "warn" => (3, "Medium"),
        "allow" => (1, "Informational"),
        _ => (0, "Unknown"),
    }
}

/// Milliseconds since the epoch of an RFC 3339 time.
fn epoch_ms(t: &str) -> Option<i64> {
    let t = parse_time(t).ok()?;
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000).ok()
}

fn str_field<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

/// One OCSF Detection Finding for a decision line. `chain_lines` are the
/// non-decision lines written since the previous decision.
pub fn ocsf_event(line: &RawLine, record: &Value, chain_lines: &[String]) -> Value {
    let decision = str_field(record, "decision").unwrap_or("unknown");
    let event = str_field(record, "event").unwrap_or("decision");
    let (severity_id, severity) = ocsf_severity(decision);
    let time = str_field(record, "time").and_then(epoch_ms).unwrap_or(0);
    let hash = str_field(record, "hash").unwrap_or_default().to_string();
    let findings = record
        .get("findings")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut rules: Vec<String> = findings
        .iter()
        .filter_map(|f| {
            Some(format!(
                "{}/{}",
                str_field(f, "skill")?,
                str_field(f, "rule")?
            ))
        })
        .collect();
    rules.sort();
    rules.dedup();
    let path = str_field(record, "path");
    let tool = str_field(record, "tool");

    let mut message = format!("kiro-guard {event}: {decision}");
    if !findings.is_empty() {
        message.push_str(&format!(", {} finding(s)", findings.len()));
    }
    if let Some(t) = tool {
        message.push_str(&format!(", tool {t}"));
    }
    if let Some(p) = path {
        message.push_str(&format!(", {p}"));
    }

    let mut finding_info = json!({
        "title": format!("kiro-guard {event} decision: {decision}"),
        "uid": hash,
        "product_uid": "kiro-guard",
        "data_sources": [event],
    });
    if time > 0 {
        finding_info["created_time"] = json!(time);
    }
    if !rules.is_empty() {
        finding_info["types"] = json!(rules);
    }

    let mut product = json!({ "name": "kiro-guard", "vendor_name": "kiro-guard" });
    if let Some(v) = str_field(record, "kiro_guard") {
        product["version"] = json!(v);
    }
    let mut metadata = json!({
        "version": OCSF_VERSION,
        "product": product,
        "uid": hash,
        "log_name": line.file,
        "log_provider": "kiro-guard audit log",
    });
    if let Some(seq) = record.get("seq").and_then(Value::as_u64) {
        metadata["sequence"] = json!(seq);
    }
    if let Some(t) = str_field(record, "time") {
        metadata["original_time"] = json!(t);
    }

    // What a SIEM query wants by name; the full record is in raw_data.
    let mut kg = Map::new();
    kg.insert("log_file".into(), json!(line.file));
    for key in [
        "decision", "event", "dialect", "tool", "mcp", "path", "command", "user", "host", "repo",
        "note",
    ] {
        if let Some(v) = record.get(key) {
            kg.insert(key.into(), v.clone());
        }
    }
    if !findings.is_empty() {
        kg.insert("findings".into(), Value::Array(findings.clone()));
    }
    for key in ["findings_omitted", "suppressed", "errors"] {
        if let Some(v) = record.get(key) {
            kg.insert(key.into(), v.clone());
        }
    }
    if !chain_lines.is_empty() {
        kg.insert("chain_lines".into(), json!(chain_lines));
    }

    let mut ev = json!({
        "activity_id": 1,
        "activity_name": "Create",
        "category_uid": OCSF_CATEGORY_UID,
        "category_name": "Findings",
        "class_uid": OCSF_CLASS_UID,
        "class_name": "Detection Finding",
        "type_uid": OCSF_CLASS_UID * 100 + 1,
        "type_name": "Detection Finding: Create",
        "severity_id": severity_id,
        "severity": severity,
        "time": time,
        "message": message,
        "finding_info": finding_info,
        "metadata": metadata,
        "count": findings.len(),
    });
    if let Some(d) = record.get("duration_ms").and_then(Value::as_f64) {
        ev["duration"] = json!(d.round() as i64);
    }
    if let Some(p) = path {
        ev["resources"] = json!([{ "type": "file", "name": p }]);
    }
    if line.text.chars().count() <= OCSF_MAX_STRING {
        ev["raw_data"] = json!(line.text);
    } else {
        kg.insert("raw_line".into(), json!(line.text));
    }
    ev["unmapped"] = json!({ "kiro_guard": Value::Object(kg) });
    ev
}

/// Turns lines into exported lines, in order.
pub struct Exporter {
    format: ExportFormat,
    /// OCSF: non-decision lines waiting for the next decision.
    pending: Vec<String>,
}

impl Exporter {
    pub fn new(format: ExportFormat) -> Self {
        Exporter {
            format,
            pending: Vec::new(),
        }
    }

    /// The exported lines (without newline) for one audit line; lines that
    /// are not JSON are left out (a crash repair's incomplete line), with a
    /// note on stderr.
    pub fn push(&mut self, line: &RawLine) -> Vec<String> {
        let value: Value = match serde_json::from_str(&line.text) {
            Ok(v @ Value::Object(_)) => v,
            _ => {
                eprintln!(
                    "kiro-guard: {}: skipped a line that is not a JSON object ({} bytes)",
                    line.file,
                    line.text.len()
                );
                return Vec::new();
            }
        };
        match self.format {
            ExportFormat::Flat => vec![flat_line(&line.file, &line.text)],
            ExportFormat::Ocsf => {
                if str_field(&value, "kind") != Some("decision") {
                    self.pending.push(line.text.clone());
                    return Vec::new();
                }
                let chain = std::mem::take(&mut self.pending);
                let ev = ocsf_event(line, &value, &chain);
                vec![serde_json::to_string(&ev).expect("event serialises")]
            }
        }
    }
}

/// The original audit lines carried by an export, in order.
pub fn original_lines(format: ExportFormat, export: &str) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for (i, l) in export.lines().enumerate() {
        if l.trim().is_empty() {
            continue;
        }
        match format {
            ExportFormat::Flat => match unflatten(l) {
                Some((_, orig)) => out.push(orig),
                // An audit line as written (a shipper that tailed the month files).
                None if l.starts_with("{\"kind\":") => out.push(l.to_string()),
                None => bail!("export line {}: not a flat audit line", i + 1),
            },
            ExportFormat::Ocsf => {
                let v: Value = serde_json::from_str(l)
                    .with_context(|| format!("export line {}: not JSON", i + 1))?;
                let kg = v.pointer("/unmapped/kiro_guard");
                if let Some(chain) = kg
                    .and_then(|k| k.get("chain_lines"))
                    .and_then(Value::as_array)
                {
                    for c in chain {
                        out.push(
                            c.as_str()
                                .with_context(|| format!("export line {}: chain line", i + 1))?
                                .to_string(),
                        );
                    }
                }
                let raw = v
                    .get("raw_data")
                    .or_else(|| kg.and_then(|k| k.get("raw_line")))
                    .and_then(Value::as_str)
                    .with_context(|| format!("export line {}: no raw_data", i + 1))?;
                out.push(raw.to_string());
            }
        }
    }
    Ok(out)
}

/// What [`verify_lines`] found in an unbroken piece of the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainCheck {
    pub lines: usize,
    /// `prev` of the first line: the hash of the line before the export
    /// (64 zeros at the start of a log), to match against the log itself.
    pub anchor: String,
    /// SHA-256 of the last line's bytes: the next line's `prev`.
    pub head: String,
}

/// Check audit lines as the log's own verification does: each line's
/// `hash` matches its content and each `prev` is the SHA-256 of the line
/// before it. The error names the first line that fails.
pub fn verify_lines(lines: &[String]) -> Result<ChainCheck> {
    if lines.is_empty() {
        bail!("no audit lines to verify");
    }
    let mut anchor = String::new();
    let mut prev_hash: Option<String> = None;
    for (i, l) in lines.iter().enumerate() {
        let parsed = chain::check_line(l.as_bytes())
            .map_err(|e| anyhow::anyhow!("line {} (seq ?): {e}", i + 1))?;
        match &prev_hash {
            None => anchor = parsed.prev.clone(),
            Some(h) if *h != parsed.prev => bail!(
                "line {} (seq {}): `prev` does not match the line before it (a line was removed, \
                 inserted or reordered)",
                i + 1,
                parsed.seq
            ),
            Some(_) => {}
        }
        prev_hash = Some(sha256_hex(l.as_bytes()));
    }
    Ok(ChainCheck {
        lines: lines.len(),
        anchor,
        head: prev_hash.unwrap_or_default(),
    })
}

/// When a record was made: its `time` (decisions, breaks, rotations; a
/// header has none and never starts an export).
fn line_time(text: &str) -> Option<OffsetDateTime> {
    let v: Value = serde_json::from_str(text).ok()?;
    parse_time(str_field(&v, "time")?).ok()
}

/// `--since`: YYYY-MM-DD, an RFC 3339 time, or an age (`90s`, `15m`, `24h`, `7d`).
pub fn parse_since(s: &str, now: OffsetDateTime) -> Result<OffsetDateTime> {
    let s = s.trim();
    if let Some(unit) = s.chars().last().filter(|c| "smhdw".contains(*c)) {
        let num = &s[..s.len() - 1];
        if !num.is_empty() && num.bytes().all(|b| b.is_ascii_digit()) {
            let n: i64 = num
                .parse()
                .with_context(|| format!("--since {s:?}: number too large"))?;
            let secs = match unit {
                's' => Some(n),
                'm' => n.checked_mul(60),
                'h' => n.checked_mul(3600),
                'd' => n.checked_mul(86_400),
                _ => n.checked_mul(7 * 86_400),
            }
            .with_context(|| format!("--since {s:?}: too long ago"))?;
            return now
                .checked_sub(time::Duration::seconds(secs))
                .with_context(|| format!("--since {s:?}: too long ago"));
        }
    }
    super::report::parse_bound(s, false).with_context(|| {
        format!("--since {s:?}: expected YYYY-MM-DD, an RFC 3339 time or an age like 24h")
    })
}

/// Complete lines of `buf` from `start`, and the offset after the last one.
fn complete_lines(buf: &[u8], start: usize) -> (Vec<String>, usize) {
    let mut lines = Vec::new();
    let mut pos = start;
    while let Some(i) = buf[pos..].iter().position(|&b| b == b'\n') {
        let bytes = &buf[pos..pos + i];
        lines.push(String::from_utf8_lossy(bytes).into_owned());
        pos += i + 1;
    }
    (lines, pos)
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Write exported lines; false when the reader went away (a closed pipe).
fn emit(out: &mut impl Write, lines: &[String]) -> Result<bool> {
    for l in lines {
        if let Err(e) = out
            .write_all(l.as_bytes())
            .and_then(|_| out.write_all(b"\n"))
        {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                return Ok(false);
            }
            return Err(e).context("cannot write the export");
        }
    }
    match out.flush() {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(false),
        r => r.map(|_| true).context("cannot write the export"),
    }
}

/// Reads a log directory's month files in order, remembering where it
/// stopped so that `--follow` only reads what is appended.
struct Reader {
    dir: PathBuf,
    current: Option<PathBuf>,
    offset: u64,
    since: Option<OffsetDateTime>,
    started: bool,
}

impl Reader {
    /// New complete lines since the last call, across month files.
    fn poll(&mut self) -> Result<Vec<RawLine>> {
        let files = chain::month_files(&self.dir)?;
        let mut out = Vec::new();
        // Files not read yet: the current one (from the offset), then later ones.
        let todo: Vec<PathBuf> = match &self.current {
            None => files,
            Some(cur) => files.into_iter().filter(|f| f >= cur).collect(),
        };
        for f in todo {
            if self.current.as_ref() != Some(&f) {
                self.current = Some(f.clone());
                self.offset = 0;
            }
            let mut file = std::fs::File::open(&f)
                .with_context(|| format!("cannot read audit log {}", f.display()))?;
            let len = file.metadata()?.len();
            if len < self.offset {
                // Truncated or replaced: start again from its beginning.
                self.offset = 0;
            }
            file.seek(SeekFrom::Start(self.offset))?;
            let mut buf = Vec::new();
            file.read_to_end(&mut buf)
                .with_context(|| format!("cannot read audit log {}", f.display()))?;
            let (lines, used) = complete_lines(&buf, 0);
            self.offset += used as u64;
            let name = file_name(&f);
            for text in lines {
                if !self.started {
                    match (self.since, line_time(&text)) {
                        (None, _) => self.started = true,
                        (Some(s), Some(t)) if t >= s => self.started = true,
                        _ => continue,
                    }
                }
                out.push(RawLine {
                    file: name.clone(),
                    text,
                });
            }
        }
        Ok(out)
    }
}

/// Export a whole log directory at once (what `audit export` without
/// `--follow` prints), one exported line per element.
pub fn export_dir(
    dir: &Path,
    format: ExportFormat,
    since: Option<OffsetDateTime>,
) -> Result<Vec<String>> {
    let mut reader = Reader {
        dir: dir.to_path_buf(),
        current: None,
        offset: 0,
        since,
        started: false,
    };
    let mut exporter = Exporter::new(format);
    let mut out = Vec::new();
    for l in reader.poll()? {
        out.extend(exporter.push(&l));
    }
    Ok(out)
}

/// `--verify FILE`: check the chain carried by an export; 0 when it holds,
/// 1 when it does not.
fn verify_export(file: &Path, format: ExportFormat) -> Result<i32> {
    let text = if file == Path::new("-") {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("cannot read the export from stdin")?;
        s
    } else {
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?
    };
    let checked = original_lines(format, &text).and_then(|lines| verify_lines(&lines));
    match checked {
        Ok(c) => {
            println!(
                "chain verified: {} line(s); first line links to {}; last line hashes to {}",
                c.lines, c.anchor, c.head
            );
            println!(
                "compare both ends with the log itself (`kiro-guard audit verify` checks the log)."
            );
            Ok(crate::exit::OK)
        }
        Err(e) => {
            println!("chain verification FAILED: {e:#}");
            Ok(crate::exit::FAILED)
        }
    }
}

/// Runs `kiro-guard audit export`; returns the exit code.
pub fn run(a: ExportOptions) -> Result<i32> {
    if let Some(file) = &a.verify {
        return verify_export(file, a.format);
    }
    let since = match &a.since {
        Some(s) => Some(parse_since(s, OffsetDateTime::now_utc())?),
        None => None,
    };
    let log = a.log.log()?;
    let mut reader = Reader {
        dir: log.dir().to_path_buf(),
        current: None,
        offset: 0,
        since,
        started: false,
    };
    if !a.follow && !reader.dir.is_dir() {
        bail!(
            "no audit log at {} (set --dir, or [audit] dir in .kiro-guard.toml)",
            reader.dir.display()
        );
    }
    let mut exporter = Exporter::new(a.format);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    loop {
        let lines = reader.poll()?;
        let mut batch = Vec::new();
        for l in &lines {
            batch.extend(exporter.push(l));
        }
        if !emit(&mut out, &batch)? {
            return Ok(crate::exit::OK);
        }
        if !a.follow {
            return Ok(crate::exit::OK);
        }
        std::thread::sleep(Duration::from_millis(a.poll_ms.max(10)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_line_round_trips_and_rejects_other_json() {
        let line = r#"{"kind":"decision","seq":3,"prev":"ab","hash":"cd"}"#;
        let flat = flat_line("2025-01.jsonl", line);
        assert!(flat.starts_with(r#"{"log_file":"2025-01.jsonl","kind""#));
        let v: Value = serde_json::from_str(&flat).unwrap();
        assert_eq!(v["seq"], 3);
        assert_eq!(
            unflatten(&flat),
            Some(("2025-01.jsonl".to_string(), line.to_string()))
        );
        // Same content, keys in another order: not the flat form.
        assert_eq!(unflatten(r#"{"kind":"decision","log_file":"x"}"#), None);
        assert_eq!(unflatten("not json"), None);
    }

    #[test]
    fn since_accepts_ages_dates_and_times() {
        let now = parse_time("2025-03-10T12:00:00Z").unwrap();
        assert_eq!(
            parse_since("24h", now).unwrap(),
            parse_time("2025-03-09T12:00:00Z").unwrap()
        );
        assert_eq!(
            parse_since("15m", now).unwrap(),
            parse_time("2025-03-10T11:45:00Z").unwrap()
        );
        assert_eq!(
            parse_since("2025-03-01", now).unwrap(),
            parse_time("2025-03-01T00:00:00Z").unwrap()
        );
        assert!(parse_since("yesterday", now).is_err());
        assert!(parse_since("99999999999999999999d", now).is_err());
    }

    #[test]
    fn ocsf_severity_follows_the_decision() {
        assert_eq!(ocsf_severity("block").0, 4);
        assert_eq!(ocsf_severity("warn").0, 3);
        assert_eq!(ocsf_severity("allow").0, 1);
        assert_eq!(ocsf_severity("???").0, 0);
    }
}
