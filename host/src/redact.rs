//! `kiro-guard redact`: replace every PII value and secret in a text with
//! its masked form, leaving every other byte as it was.

use crate::guard::{Guard, span_bytes_indexed};
use crate::item::Item;
use crate::report::{ErrorKind, Reported};
use kiro_guard_contract::Document;

/// Whether a finding's span should be replaced by its evidence: every PII
/// value, and every credential (a `banking-code-review` finding citing
/// CWE-798, "Use of Hard-coded Credentials": each provider detector, the
/// password and generic-secret rules, private keys, user-supplied gitleaks
/// rules). Code findings are not redacted.
pub fn redactable(f: &Reported) -> bool {
    f.skill == "pii-detection"
        || (f.skill == "banking-code-review"
            && f.references
                .iter()
                .any(|r| r.framework == "CWE" && r.id == "798"))
}

/// Redact `text` (labelled `path` for language detection). Returns the new
/// text and the number of values replaced. Fails (returns the error list)
/// when a skill failed, since then the output might still hold values.
pub fn redact(guard: &Guard, path: &str, text: &str) -> Result<(String, usize), String> {
    let mut doc = Document::new(path, text.to_string());
    // Redaction is about values, not about whether a file is a fixture.
    doc.is_test = false;
    let report = guard.analyze(&Item::file(doc));
    let failures: Vec<String> = report
        .errors
        .iter()
        .filter(|e| e.kind == ErrorKind::SkillError)
        .map(|e| e.message.clone())
        .collect();
    if !failures.is_empty() {
        return Err(failures.join("; "));
    }
    let redactable_findings = report.findings.iter().filter(|f| redactable(f));
    Ok(replace_with_evidence(text, redactable_findings))
}

/// Replace each finding's span in `text` by its masked evidence; overlapping
/// spans keep the longest at each start. Returns the text and the count.
pub fn replace_with_evidence<'a>(
    text: &str,
    findings: impl Iterator<Item = &'a Reported>,
) -> (String, usize) {
    let index = kiro_guard_contract::text::LineIndex::new(text);
    let mut spans: Vec<(usize, usize, &str)> = findings
        .filter_map(|f| {
            span_bytes_indexed(text, &index, &f.span()).map(|(s, e)| (s, e, f.evidence.as_str()))
        })
        .filter(|(s, e, _)| e > s)
        .collect();
    spans.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    let mut count = 0;
    for (s, e, replacement) in spans {
        if s < pos {
            continue;
        }
        out.push_str(&text[pos..s]);
        out.push_str(replacement);
        pos = e;
        count += 1;
    }
    out.push_str(&text[pos..]);
    (out, count)
}
