#!/usr/bin/env python3
"""Presidio's pattern recognizers vs kiro-guard pii-detection, same corpus.

What it shows: Presidio's `SgFinRecognizer` is a regex
(`(?i)\\b[STFGM][0-9]{7}[A-Z]\\b`, plus a weak `[A-Z][0-9]{7}[A-Z]`) with no
checksum, so it flags NRIC look-alikes whose check letter is wrong (and
passport-shaped values); this skill validates the check letter and does not.
Cards and emails are compared too (Presidio's credit-card recognizer does
check Luhn).

Usage (from anywhere; needs cargo, and presidio-analyzer for the Presidio
column):

    python3 -m venv /tmp/presidio-venv
    /tmp/presidio-venv/bin/pip install presidio-analyzer
    /tmp/presidio-venv/bin/python skills/pii-detection/bench/presidio_compare.py [--per-lang 100] [--seed N] [--corpus FILE]

Steps:
 1. dump the labelled corpus of tests/corpus.rs, with this skill's findings per
    line, via `cargo run --release --example pii_dump_corpus` (or read --corpus);
 2. run Presidio's pattern recognizers directly (SgFinRecognizer,
    CreditCardRecognizer, EmailRecognizer; no NLP engine, so no spaCy model
    download is needed) on every line, with Presidio's default threshold (any
    score) and with score >= 0.5;
 3. print per-entity precision/recall for both tools and the NRIC look-alikes
    with a wrong check letter that each tool flags.

Only pattern recognizers are compared: they are what Presidio uses for these
entities; its NER model adds PERSON/LOCATION, which this skill does not do.
"""

import argparse
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))

# entity -> (this skill's rule id, Presidio entity, corpus kinds that are
# look-alikes of it)
ENTITIES = {
    "NRIC/FIN": ("nric-fin", "SG_NRIC_FIN", {"nric_bad", "nric_bad_ctx", "partial_nric"}),
    "card": ("payment-card", "CREDIT_CARD", {"card_luhn_bad", "long_order", "masked_card"}),
    "email": ("email", "EMAIL_ADDRESS", {"placeholder_email"}),
}


def dump_corpus(per_lang, seed):
    out = os.path.join(tempfile.mkdtemp(prefix="pii-corpus-"), "corpus.tsv")
    cmd = [
        "cargo", "run", "--quiet", "--release", "-p", "pii-detection",
        "--example", "pii_dump_corpus", "--target-dir", "target/h-pii", "--",
        out, str(per_lang), str(seed),
    ]
    print("$ " + " ".join(cmd), file=sys.stderr)
    subprocess.run(cmd, cwd=REPO, check=True)
    return out


def read_corpus(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            cols = line.rstrip("\n").split("\t", len(header) - 1)
            row = dict(zip(header, cols))
            skill = []
            if row["skill"] != "-":
                for item in row["skill"].split(";"):
                    rule, _, value = item.partition("=")
                    skill.append((rule, value))
            row["skill_hits"] = skill
            rows.append(row)
    return rows


def presidio_recognizers():
    try:
        from presidio_analyzer.predefined_recognizers import (
            CreditCardRecognizer,
            EmailRecognizer,
            SgFinRecognizer,
        )
    except ImportError:
        return None
    # EmailRecognizer validates domains with tldextract, which otherwise
    # fetches the public suffix list over the network; use its bundled copy.
    try:
        import tldextract

        tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=())
    except Exception:  # older/newer tldextract: keep its default
        pass
    return [SgFinRecognizer(), CreditCardRecognizer(), EmailRecognizer()]


def presidio_hits(recognizers, text, min_score):
    hits = []
    for r in recognizers:
        for res in r.analyze(text, entities=r.supported_entities, nlp_artifacts=None) or []:
            if res.score >= min_score:
                hits.append((res.entity_type, text[res.start:res.end]))
    return hits


def score(rows, get_hits):
    """Per entity: TP = labelled value found; FP = any other hit of the
    entity; FN = labelled value not found. Values must match exactly."""
    table = {}
    flagged_lookalikes = {}
    for ent, (rule, pent, lookalike_kinds) in ENTITIES.items():
        tp = fp = fn = 0
        flagged = []
        for row in rows:
            hits = [v for (e, v) in get_hits(row) if e in (rule, pent)]
            labelled = row["label"] == rule
            found = False
            for v in hits:
                if labelled and v.strip() == row["value"] and not found:
                    found = True
                    tp += 1
                else:
                    fp += 1
            if labelled and not found:
                fn += 1
            if row["kind"] in lookalike_kinds and hits:
                flagged.append((row["kind"], hits[0], row["text"].strip()))
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        table[ent] = (tp, fp, fn, p, r)
        flagged_lookalikes[ent] = flagged
    return table, flagged_lookalikes


def print_table(title, table):
    print(f"\n{title}")
    print(f"  {'entity':<10} {'TP':>5} {'FP':>5} {'FN':>5} {'precision':>9} {'recall':>7}")
    for ent, (tp, fp, fn, p, r) in table.items():
        print(f"  {ent:<10} {tp:>5} {fp:>5} {fn:>5} {p:>9.3f} {r:>7.3f}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", help="an existing dump_corpus TSV (skips cargo)")
    ap.add_argument("--per-lang", type=int, default=100)
    ap.add_argument("--seed", type=int, default=20240611)
    ap.add_argument("--show", type=int, default=10, help="look-alikes to list per tool")
    args = ap.parse_args()

    path = args.corpus or dump_corpus(args.per_lang, args.seed)
    rows = read_corpus(path)
    lookalikes = [r for r in rows if r["kind"] in ("nric_bad", "nric_bad_ctx")]
    print(f"corpus: {len(rows)} lines, {sum(1 for r in rows if r['label'] == 'nric-fin')} valid NRIC/FIN, "
          f"{len(lookalikes)} wrong-check-letter NRIC look-alikes "
          f"({sum(1 for r in lookalikes if r['kind'] == 'nric_bad_ctx')} of them labelled `nric`)")

    skill_table, skill_flagged = score(rows, lambda row: row["skill_hits"])
    print_table("kiro-guard pii-detection (info rule nric-fin-invalid-checksum not counted as an NRIC)", skill_table)
    info = sum(1 for r in rows for (rule, _) in r["skill_hits"] if rule == "nric-fin-invalid-checksum")
    print(f"  wrong-check-letter look-alikes reported as info `nric-fin-invalid-checksum` (= not an NRIC): {info}")

    recognizers = presidio_recognizers()
    if recognizers is None:
        print("\npresidio-analyzer is not installed in this Python; install it "
              "(pip install presidio-analyzer) to get the Presidio columns.", file=sys.stderr)
        return 2
    import presidio_analyzer
    for min_score, label in ((0.0, "default threshold (any score)"), (0.5, "score >= 0.5")):
        cache = {}

        def get(row, min_score=min_score, cache=cache):
            key = row["text"]
            if key not in cache:
                cache[key] = presidio_hits(recognizers, row["text"], min_score)
            return cache[key]

        table, flagged = score(rows, get)
        try:
            from importlib.metadata import version as _v

            version = _v("presidio-analyzer")
        except Exception:
            version = getattr(presidio_analyzer, "__version__", "")
        print_table(f"Presidio {version} pattern recognizers, {label}", table)
        fl = flagged["NRIC/FIN"]
        nric_bad = [f for f in fl if f[0] != "partial_nric"]
        print(f"  wrong-check-letter NRIC look-alikes flagged as SG_NRIC_FIN: {len(nric_bad)}/{len(lookalikes)}")
        for kind, hit, text in nric_bad[: args.show]:
            print(f"    {hit!r:<14} in {text!r}")

    sk = [f for f in skill_flagged["NRIC/FIN"] if f[0] != "partial_nric"]
    print(f"\nthis skill: wrong-check-letter NRIC look-alikes reported as nric-fin: {len(sk)}/{len(lookalikes)}")
    for kind, hit, text in sk[: args.show]:
        print(f"    {hit!r:<14} in {text!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
