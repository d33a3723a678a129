#!/usr/bin/env python3
"""Side-by-side: this skill vs bandit, detect-secrets and semgrep (local rules)
on the labelled corpus of tests/common/corpus.rs.

Usage (from the repository root):
    pip install bandit detect-secrets semgrep
    python3 skills/banking-code-review/bench/compare.py
    python3 skills/banking-code-review/bench/compare.py secrets [DIR] [--real TREE...]
The second form is the credential comparison on third-party labelled samples
(see bench/secrets_thirdparty.py; DIR holds what it fetches).

Counting is per file and per category: a tool "flags" a file for category C
when it reports a finding mapped to C.  TP = insecure sample of C flagged
with C; FP = any other file flagged with C; FN = insecure sample of C not
flagged.  Each tool is scored only on the categories and languages it
covers (bandit: Python files; detect-secrets: credentials in all files).
Times are wall clock for the whole corpus, process start to exit.
"""
import collections, json, os, shutil, subprocess, sys, tempfile, time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
TARGET = os.path.join(ROOT, "target", "h-bcr")
CARGO_ENV = dict(os.environ, CARGO_PROFILE_RELEASE_LTO="false", CARGO_PROFILE_RELEASE_CODEGEN_UNITS="16")

# Credential rule ids: every rule of the catalogue citing CWE-798 (asked from
# the library, so new provider detectors count), and gitleaks/<id> rules.
CRED = set()


def credential_rules():
    p, _ = run(["cargo", "run", "-q", "--release", "--example", "secrets_jsonl", "-p", "banking-code-review",
                "--target-dir", TARGET, "--", "--credential-rules"], cwd=ROOT, env=CARGO_ENV)
    if p.returncode:
        sys.exit(p.stderr)
    return set(p.stdout.split())


def is_cred(rule_id):
    return rule_id in CRED or rule_id.startswith("gitleaks/")


BANDIT = {
    "B608": "sql-injection", "B602": "command-injection", "B605": "command-injection",
    "B604": "command-injection", "B609": "command-injection", "B601": "command-injection",
    "B303": "weak-hash", "B324": "weak-hash", "B304": "weak-cipher", "B305": "weak-cipher",
    "B311": "insecure-random", "B501": "tls-verification-disabled", "B502": "tls-verification-disabled",
    "B503": "tls-verification-disabled", "B504": "tls-verification-disabled", "B323": "tls-verification-disabled",
    "B301": "insecure-deserialization", "B302": "insecure-deserialization", "B506": "insecure-deserialization",
    "B105": "credentials", "B106": "credentials", "B107": "credentials",
    "B201": "debug-enabled", "B307": "eval-injection", "B102": "eval-injection",
}


# Categories bench/semgrep-rules.yml covers.
SEMGREP_CATS = {"sql-injection", "command-injection", "weak-hash", "weak-cipher", "insecure-random",
                "tls-verification-disabled", "insecure-deserialization", "eval-injection", "debug-enabled",
                "credentials"}


def run(cmd, **kw):
    t = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    return p, time.perf_counter() - t


def score(name, labels, flagged, cats, file_filter, secs):
    """flagged: {path: set(categories)}"""
    rows, tot = [], [0, 0, 0]
    for c in sorted(cats):
        tp = fp = fn = 0
        for path, (cat, insecure) in labels.items():
            if not file_filter(path):
                continue
            hit = c in flagged.get(path, ())
            if insecure and cat == c:
                tp += hit
                fn += not hit
            elif hit:
                fp += 1
        if tp + fn == 0:
            continue
        rows.append((c, tp, fp, fn))
        tot = [tot[0] + tp, tot[1] + fp, tot[2] + fn]
    print(f"\n== {name}  ({secs:.2f} s)")
    print(f"{'category':<28}{'TP':>5}{'FP':>5}{'FN':>5}{'prec':>8}{'recall':>8}")
    for c, tp, fp, fn in rows + [("OVERALL", *tot)]:
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        print(f"{c:<28}{tp:>5}{fp:>5}{fn:>5}{p:>8.3f}{r:>8.3f}")


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "secrets":
        # Third-party labelled samples vs detect-secrets, gitleaks, secretlint.
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import secrets_thirdparty
        os.environ.setdefault("CARGO_TARGET_DIR", TARGET)
        rest = sys.argv[2:]
        real = rest[rest.index("--real") + 1:] if "--real" in rest else []
        rest = rest[:rest.index("--real")] if "--real" in rest else rest
        secrets_thirdparty.main(rest[0] if rest else "/work/corpora/secrets", real)
        return
    CRED.update(credential_rules())
    d = tempfile.mkdtemp(prefix="bcr-corpus-")
    p, _ = run(["cargo", "run", "-q", "--release", "--example", "bcr_dump_corpus", "-p", "banking-code-review",
                "--target-dir", TARGET, "--", d], cwd=ROOT, env=CARGO_ENV)
    if p.returncode:
        sys.exit(p.stderr)
    labels = {}
    for line in open(os.path.join(d, "labels.tsv")):
        path, cat, kind = line.rstrip("\n").split("\t")
        labels[path] = (cat, kind == "insecure")
    cats = {c for c, _ in labels.values()}
    is_py = lambda p: p.endswith(".py")
    every = lambda p: True

    # This skill (native library; the build is excluded from the time).
    run(["cargo", "build", "-q", "--release", "--example", "scan_dir", "-p", "banking-code-review",
         "--target-dir", TARGET], cwd=ROOT, env=CARGO_ENV)
    p, secs = run([os.path.join(TARGET, "release", "examples", "scan_dir"), d])
    ours_secs = secs
    ours = collections.defaultdict(set)
    for line in p.stdout.splitlines():
        f = json.loads(line)
        ours[f["path"]].add("credentials" if is_cred(f["rule_id"]) else f["rule_id"])
    score("banking-code-review (all files, all categories)", labels, ours, cats, every, secs)
    score("banking-code-review (Python only, bandit's categories)", labels, ours,
          set(BANDIT.values()) & cats, is_py, secs)
    score("banking-code-review (credentials only)", labels, ours, {"credentials"}, every, secs)

    if shutil.which("bandit"):
        p, secs = run(["bandit", "-r", d, "-f", "json", "-q"])
        flagged = collections.defaultdict(set)
        for r in json.loads(p.stdout or "{}").get("results", []):
            c = BANDIT.get(r["test_id"])
            if c:
                flagged[os.path.relpath(r["filename"], d)].add(c)
        score("bandit (Python files)", labels, flagged, set(BANDIT.values()) & cats, is_py, secs)
    else:
        print("\nbandit not installed")

    if shutil.which("detect-secrets"):
        p, secs = run(["detect-secrets", "scan", "--all-files", "."], cwd=d)
        flagged = collections.defaultdict(set)
        for path in json.loads(p.stdout or "{}").get("results", {}):
            flagged[path].add("credentials")
        score("detect-secrets (credentials)", labels, flagged, {"credentials"}, every, secs)
    else:
        print("\ndetect-secrets not installed")

    if shutil.which("semgrep"):
        # The registry packs (p/python, ...) need network; bench/semgrep-rules.yml
        # holds rules for the same categories in semgrep's usual shape.
        rules = os.path.join(os.path.dirname(os.path.abspath(__file__)), "semgrep-rules.yml")
        env = dict(os.environ, SEMGREP_ENABLE_VERSION_CHECK="0", SEMGREP_SEND_METRICS="off")
        p, secs = run(["semgrep", "scan", "--config", rules, "--json", "--metrics", "off",
                       "--disable-version-check", "-q", d], env=env)
        if p.returncode not in (0, 1):
            print(f"\nsemgrep failed: {p.stderr.strip()[:300]}")
        else:
            out = json.loads(p.stdout)
            flagged = collections.defaultdict(set)
            for r in out.get("results", []):
                c = r["extra"].get("metadata", {}).get("category")
                if c:
                    flagged[os.path.relpath(r["path"], d)].add(c)
            sg_cats = {r_cat for r_cat in SEMGREP_CATS} & cats
            score("semgrep + bench/semgrep-rules.yml (all files, its categories)", labels, flagged,
                  sg_cats, every, secs)
            score("banking-code-review (all files, semgrep's categories)", labels, ours, sg_cats, every,
                  ours_secs)
            errs = len(out.get("errors", []))
            if errs:
                print(f"(semgrep reported {errs} parse errors on corpus snippets it could not parse)")
    else:
        print("\nsemgrep not installed (pip install semgrep)")
    shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    main()
