//! The provider table's own samples, run as tests: every row's true samples
//! must be found by that row's rule with exactly the marked span, its false
//! samples must not be found by that rule, and a row without either fails.
//! Samples are templates expanded at run time (`providers::expand`), so no
//! credential-shaped literal is committed.

use banking_code_review::internals::secrets::{
    self, Kind, PROVIDERS, SecretOptions, ValueStyle, expand,
};
use kiro_guard_skill::tokens::Regions;

fn scan(text: &str) -> Vec<(String, usize, usize, String)> {
    let regions = Regions::new(text, "");
    secrets::scan(text, &regions, ValueStyle::Prose, &SecretOptions::default())
        .into_iter()
        .map(|h| (h.rule.id.to_string(), h.start, h.end, h.evidence))
        .collect()
}

#[test]
fn table_has_at_least_150_detectors() {
    assert!(PROVIDERS.len() >= 150, "{} detectors", PROVIDERS.len());
}

#[test]
fn every_row_has_true_and_false_samples_and_metadata() {
    for p in PROVIDERS {
        assert!(!p.samples.is_empty(), "{}: no true samples", p.id);
        assert!(!p.negatives.is_empty(), "{}: no false samples", p.id);
        assert!(!p.keywords.is_empty(), "{}: no keywords", p.id);
        assert!(!p.title.is_empty(), "{}", p.id);
        for k in p.keywords {
            assert_eq!(
                *k,
                k.to_ascii_lowercase(),
                "{}: keyword {k} not lower-case",
                p.id
            );
        }
        let rule = banking_code_review::internals::rules::by_id(p.id).expect("rule in catalogue");
        assert!(
            rule.remediation.contains("Secrets Manager") || rule.remediation.contains("vault"),
            "{}",
            p.id
        );
        assert!(
            banking_code_review::internals::rules::is_credential_rule(rule),
            "{}",
            p.id
        );
        for s in p.samples {
            assert!(
                s.contains('«') && s.contains('»'),
                "{}: sample without «…»: {s}",
                p.id
            );
        }
    }
}

#[test]
fn true_samples_are_found_with_exact_span() {
    let mut failures = Vec::new();
    for p in PROVIDERS {
        for (n, t) in p.samples.iter().enumerate() {
            for seed in [1u64, 7, 1234] {
                let (text, span) = expand(t, seed + n as u64);
                let hits = scan(&text);
                let ok = hits
                    .iter()
                    .any(|h| h.0 == p.id && h.1 == span.start && h.2 == span.end);
                if !ok {
                    failures.push(format!(
                        "{} ({:?}) sample {n} seed {seed}: wanted {:?}, got {:?} in {:?}",
                        p.id,
                        p.kind,
                        span,
                        hits.iter().map(|h| (&h.0, h.1, h.2)).collect::<Vec<_>>(),
                        mask_all(&text)
                    ));
                }
                // The evidence never shows the whole secret.
                for h in hits.iter().filter(|h| h.0 == p.id) {
                    let secret = &text[h.1..h.2];
                    assert!(!h.3.contains(secret), "{}: evidence not masked", p.id);
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn false_samples_are_not_found() {
    let mut failures = Vec::new();
    for p in PROVIDERS {
        for (n, t) in p.negatives.iter().enumerate() {
            for seed in [3u64, 99] {
                let (text, _) = expand(t, seed + n as u64);
                let hits = scan(&text);
                if hits.iter().any(|h| h.0 == p.id) {
                    failures.push(format!("{} negative {n}: {:?}", p.id, mask_all(&text)));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_true_sample_contains_a_keyword_of_its_row() {
    // Otherwise the prefilter would never run the row's regex on it.
    for p in PROVIDERS {
        for t in p.samples {
            let (text, span) = expand(t, 5);
            let lower = text.to_ascii_lowercase();
            assert!(
                p.keywords.iter().any(|k| lower.contains(k)),
                "{}: no keyword in {:?}",
                p.id,
                mask_all(&text[..span.start])
            );
        }
    }
    let _ = Kind::Prefix;
}

/// Failure messages show shapes, not values.
fn mask_all(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { 'x' } else { c })
        .collect()
}

/// The Google API keys that Google publishes in the Firebase SDKs' test
/// configurations are not reported (rebuilt from pieces here so that no
/// key-shaped literal is committed); a random key of the same shape is.
#[test]
fn google_published_test_keys_are_not_reported_random_keys_are() {
    for tail in [
        "SyAnLA7NfeLquW1tJFpx_eQCxoX-oo6YyIs",
        "SyBcE-OOIbhjyR83gm4r2MFCu4MJmprNXsw",
        "yDNSXIbFmlXbIE6mCzDLQAqITYefhixbX4A",
    ] {
        let text = format!("apiKey: \"{}{}\"", "AIza", tail);
        let hits = scan(&text);
        assert!(
            hits.iter().all(|h| h.0 != "google-api-key"),
            "published test key reported: {}",
            mask_all(&text)
        );
    }
    // One character changed: no longer the published key, so reported.
    let text = format!(
        "apiKey: \"{}{}\"",
        "AIza", "SyAnLA7NfeLquW1tJFpx_eQCxoX-oo6YyIt"
    );
    assert!(scan(&text).iter().any(|h| h.0 == "google-api-key"));
    for seed in 0..20 {
        let (text, _) = expand("key: «AIza{w:35}»", seed);
        assert!(
            scan(&text).iter().any(|h| h.0 == "google-api-key"),
            "random key missed: {}",
            mask_all(&text)
        );
    }
}
