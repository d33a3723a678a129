#!/usr/bin/env python3
"""kiro-guard's semantic engine vs bandit on bandit's own examples/.

Usage (from the repository root; needs network for the first run):
    python3 -m venv target/venv-bandit && target/venv-bandit/bin/pip install bandit
    BANDIT=target/venv-bandit/bin/bandit \
        python3 skills/banking-code-review/bench/semantic_thirdparty.py

The bandit source distribution is fetched with
`pip download --no-binary :all: --no-deps bandit==VERSION` into
target/third-party/ (never into the repository).

Ground truth is line-level and written below (LABELS), one rule for all
tools: a line is vulnerable when a non-constant value builds SQL, a shell
command or evaluated code, or when it deserializes with pickle/marshal/
shelve/jsonpickle/yaml.load-without-SafeLoader, hashes with MD2/MD4/MD5/
SHA-1 (not marked usedforsecurity=False), or encrypts with DES/3DES/RC2/RC4/
Blowfish/CAST5/IDEA/SEED/XOR or ECB. Constant-only commands, SQL and
eval (`os.system('/bin/echo hi')`, `RawSQL('secure', [])`) are not
vulnerable: nothing can be injected. Every other line of a labelled file is
a negative for the file's categories. A tool's finding counts for a line
and category (block or warning alike); TP/FP/FN per category.

Randomness is reported separately: bandit flags every use of `random`,
kiro-guard only flows into secrets (and warns on security-named paths), so
random_module.py's "bad = random.random()" lines are out of its scope by
design.
"""
import collections, json, os, subprocess, sys, tarfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
WORK = os.path.join(ROOT, "target", "third-party")
VERSION = "1.9.4"
BANDIT = os.environ.get("BANDIT", "bandit")

# file -> {category: [vulnerable lines]}; a category listed with [] has no
# vulnerable line in that file (every finding there is a false positive).
LABELS = {
    "sql_statements.py": {"sql-injection": [4, 5, 6, 7, 8, 9, 12, 13, 14, 17, 18, 19, 20, 21, 23, 24, 25,
                                            28, 29, 30, 31, 32, 48]},
    "django_sql_injection_raw.py": {"sql-injection": []},
    "django_sql_injection_extra.py": {"sql-injection": []},
    "eval.py": {"eval-injection": []},
    "exec.py": {"eval-injection": []},
    "os_system.py": {"command-injection": []},
    "os-popen.py": {"command-injection": [15]},
    "subprocess_shell.py": {"command-injection": [41]},
    "popen_wrappers.py": {"command-injection": []},
    "os-spawn.py": {"command-injection": [3, 4, 5, 6, 7, 8, 9, 10]},
    "os-exec.py": {"command-injection": [3, 4, 5, 6, 7, 8, 9, 10]},
    "pickle_deserialize.py": {"insecure-deserialization": [7, 12, 15]},
    "dill.py": {"insecure-deserialization": [6, 11, 14]},
    "marshal_deserialize.py": {"insecure-deserialization": [6, 11]},
    "shelve_open.py": {"insecure-deserialization": [8, 11]},
    "jsonpickle.py": {"insecure-deserialization": [6, 8, 10]},
    "pandas_read_pickle.py": {"insecure-deserialization": [12]},
    "yaml_load.py": {"insecure-deserialization": [9, 22]},
    "crypto-md5.py": {"weak-hash": [13, 14, 16, 18, 20, 24, 25, 26, 27, 29, 30, 31, 32, 34, 35]},
    "hashlib_new_insecure_functions.py": {"weak-hash": [3, 5, 7, 9, 11, 13, 15, 17, 19]},
    "ciphers.py": {"weak-cipher": [22, 24, 30, 32, 42, 45, 52, 56, 61, 63, 66, 70, 74, 78, 82, 86],
                   "weak-hash": [29]},
    "cipher-modes.py": {"weak-cipher": [6]},
    "random_module.py": {"insecure-random": [5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]},
}

BANDIT_MAP = {
    "B608": "sql-injection", "B610": "sql-injection", "B611": "sql-injection",
    "B602": "command-injection", "B605": "command-injection", "B604": "command-injection",
    "B609": "command-injection", "B601": "command-injection", "B606": "command-injection",
    "B307": "eval-injection", "B102": "eval-injection",
    "B301": "insecure-deserialization", "B302": "insecure-deserialization", "B506": "insecure-deserialization",
    "B303": "weak-hash", "B324": "weak-hash",
    "B304": "weak-cipher", "B305": "weak-cipher",
    "B311": "insecure-random",
}


def fetch():
    os.makedirs(WORK, exist_ok=True)
    src = os.path.join(WORK, f"bandit-{VERSION}")
    if not os.path.isdir(src):
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-binary", ":all:", "--no-deps",
                        f"bandit=={VERSION}", "-d", WORK], check=True)
        with tarfile.open(os.path.join(WORK, f"bandit-{VERSION}.tar.gz")) as t:
            t.extractall(WORK)
    return os.path.join(src, "examples")


def kiro(examples):
    env = dict(os.environ, CARGO_TARGET_DIR=os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")))
    p = subprocess.run(["cargo", "run", "-q", "--release", "-p", "banking-code-review", "--example", "code_scan",
                        "--", examples, "--json"], capture_output=True, text=True, cwd=ROOT, env=env, check=True)
    out = collections.defaultdict(set)
    for line in p.stdout.splitlines():
        f = json.loads(line)
        out[(f["path"], f["rule_id"])].add(f["line"])
    return out


def bandit(examples):
    p = subprocess.run([BANDIT, "-q", "-f", "json", "-r", examples], capture_output=True, text=True)
    out = collections.defaultdict(set)
    for r in json.loads(p.stdout)["results"]:
        cat = BANDIT_MAP.get(r["test_id"])
        if cat:
            out[(os.path.relpath(r["filename"], examples), cat)].add(r["line_number"])
    return out


def score(found):
    rows = collections.defaultdict(lambda: [0, 0, 0])
    for fname, cats in LABELS.items():
        for cat, lines in cats.items():
            got = found.get((fname, cat), set())
            want = set(lines)
            rows[cat][0] += len(got & want)
            rows[cat][1] += len(got - want)
            rows[cat][2] += len(want - got)
    return rows


def main():
    examples = fetch()
    tools = {"kiro-guard": kiro(examples), "bandit": bandit(examples)}
    cats = sorted({c for v in LABELS.values() for c in v})
    print(f"{'category':<26}" + "".join(f"{t:>34}" for t in tools))
    print(f"{'':<26}" + "".join(f"{'TP  FP  FN  prec  recall':>34}" for _ in tools))
    totals = {t: [0, 0, 0] for t in tools}
    scores = {t: score(f) for t, f in tools.items()}
    for c in cats:
        line = f"{c:<26}"
        for t in tools:
            tp, fp, fn = scores[t][c]
            if c != "insecure-random":
                for i, v in enumerate((tp, fp, fn)):
                    totals[t][i] += v
            p = tp / max(tp + fp, 1)
            r = tp / max(tp + fn, 1)
            line += f"{tp:>12}{fp:>4}{fn:>4}{p:>6.2f}{r:>8.2f}"
        print(line)
    line = f"{'ALL (without random)':<26}"
    for t in tools:
        tp, fp, fn = totals[t]
        line += f"{tp:>12}{fp:>4}{fn:>4}{tp / max(tp + fp, 1):>6.2f}{tp / max(tp + fn, 1):>8.2f}"
    print(line)


if __name__ == "__main__":
    main()
