#!/usr/bin/env python3
"""kiro-guard's semantic engine vs semgrep (with njsscan's Node.js rules) on
labelled JavaScript cases nobody here wrote: the RuleTester cases shipped in
the eslint-plugin-security npm package (test/rules/*.js).

Usage (from the repository root; needs network for the first run, node and
npm on PATH):
    python3 -m venv /work/venvs/semgrep && /work/venvs/semgrep/bin/pip install semgrep
    SEMGREP=/work/venvs/semgrep/bin/semgrep \
        python3 skills/banking-code-review/bench/semantic_thirdparty_js.py

Third-party code is fetched into target/third-party/ (never into the
repository): `npm pack eslint-plugin-security@VERSION` and
`pip download --no-binary :all: --no-deps njsscan==VERSION` (whose
semgrep rules are the peer's Node.js rule set).

Ground truth is eslint-plugin-security's own: a snippet in a rule's
`invalid` list is a positive for the rule's category, one in `valid` a
negative. Categories: detect-child-process -> command-injection,
detect-eval-with-expression -> eval-injection,
detect-non-literal-fs-filename -> path-traversal. A tool's finding of the
category anywhere in the snippet counts (block or warning alike).

The plugin labels by syntax ("a non-literal file name"), kiro-guard by
data flow: a file name of unknown origin is not reported (only request
input or a lower-confidence source reaching the call is), so its recall
on path-traversal against these labels is low by design; the table shows
both.
"""
import collections, json, os, re, subprocess, sys, tarfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
WORK = os.path.join(ROOT, "target", "third-party")
ESPS = "3.0.1"
NJSSCAN = "1.0.2"
SEMGREP = os.environ.get("SEMGREP", "semgrep")
RULES = {
    "detect-child-process": "command-injection",
    "detect-eval-with-expression": "eval-injection",
    "detect-non-literal-fs-filename": "path-traversal",
}
# njsscan rule directories -> category.
NJS_DIRS = {"exec": "command-injection", "eval": "eval-injection", "traversal": "path-traversal"}

EXTRACT = r"""
const Module = require('module');
const orig = Module._load;
const out = {};
Module._load = function (req, parent, isMain) {
  if (req === 'eslint') {
    return { RuleTester: class { run(name, rule, t) { out[name] = {
      valid: t.valid.map(c => typeof c === 'string' ? c : c.code),
      invalid: t.invalid.map(c => typeof c === 'string' ? c : c.code) }; } } };
  }
  return orig.apply(this, arguments);
};
for (const f of process.argv.slice(2)) { try { require(f); } catch (e) { console.error(f, e.message); } }
process.stdout.write(JSON.stringify(out));
"""


def fetch():
    os.makedirs(WORK, exist_ok=True)
    esps = os.path.join(WORK, f"eslint-plugin-security-{ESPS}")
    if not os.path.isdir(esps):
        tgz = subprocess.run(["npm", "pack", "--silent", f"eslint-plugin-security@{ESPS}"],
                             cwd=WORK, check=True, capture_output=True, text=True).stdout.split()[-1]
        with tarfile.open(os.path.join(WORK, tgz)) as t:
            t.extractall(esps)
    njs = os.path.join(WORK, f"njsscan-{NJSSCAN}")
    if not os.path.isdir(njs):
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-binary", ":all:", "--no-deps",
                        f"njsscan=={NJSSCAN}", "-d", WORK], check=True, capture_output=True)
        with tarfile.open(os.path.join(WORK, f"njsscan-{NJSSCAN}.tar.gz")) as t:
            t.extractall(WORK)
    return os.path.join(esps, "package"), njs


def cases(pkg):
    files = [os.path.join(pkg, "test", "rules", f"{r}.js") for r in RULES]
    js = os.path.join(WORK, "extract.js")
    with open(js, "w") as f:
        f.write(EXTRACT)
    data = json.loads(subprocess.run(["node", js, *files], check=True, capture_output=True,
                                     text=True).stdout)
    out_dir = os.path.join(WORK, "esps-cases")
    labels = {}
    for rule, cat in RULES.items():
        for kind in ("valid", "invalid"):
            for i, code in enumerate(data.get(rule, {}).get(kind, [])):
                name = f"{rule}/{kind}_{i:03}.js"
                p = os.path.join(out_dir, name)
                os.makedirs(os.path.dirname(p), exist_ok=True)
                with open(p, "w") as f:
                    f.write(code + "\n")
                labels[name] = (cat, kind == "invalid")
    return out_dir, labels


def run_kiro(d):
    out = subprocess.run(["cargo", "run", "-q", "--release", "--example", "scan_dir",
                          "-p", "banking-code-review", "--", d],
                         cwd=ROOT, check=True, capture_output=True, text=True).stdout
    found = collections.defaultdict(set)
    for line in out.splitlines():
        j = json.loads(line)
        found[j["path"]].add(j["rule_id"])
    return found


def run_semgrep(d, njs):
    rules = os.path.join(njs, "njsscan", "rules", "semantic_grep")
    found = collections.defaultdict(set)
    for sub, cat in NJS_DIRS.items():
        r = subprocess.run([SEMGREP, "--config", os.path.join(rules, sub), "--json", "--quiet",
                            "--metrics", "off", "--disable-version-check", d],
                           capture_output=True, text=True)
        try:
            res = json.loads(r.stdout).get("results", [])
        except json.JSONDecodeError:
            print(f"semgrep failed on {sub}: {r.stderr[-300:]}", file=sys.stderr)
            return None
        for x in res:
            found[os.path.relpath(x["path"], d)].add(cat)
    return found


def score(name, found, labels):
    print(f"\n{name}")
    print(f"{'category':<22} {'TP':>4} {'FP':>4} {'FN':>4} {'TN':>4} {'precision':>9} {'recall':>7}")
    by = collections.defaultdict(lambda: [0, 0, 0, 0])
    for case, (cat, vuln) in labels.items():
        hit = cat in found.get(case, set())
        c = by[cat]
        if vuln and hit:
            c[0] += 1
        elif not vuln and hit:
            c[1] += 1
        elif vuln:
            c[2] += 1
        else:
            c[3] += 1
    for cat, (tp, fp, fn, tn) in sorted(by.items()):
        p = tp / max(tp + fp, 1)
        r = tp / max(tp + fn, 1)
        print(f"{cat:<22} {tp:>4} {fp:>4} {fn:>4} {tn:>4} {p:>9.3f} {r:>7.3f}")


def main():
    pkg, njs = fetch()
    d, labels = cases(pkg)
    print(f"{len(labels)} eslint-plugin-security {ESPS} cases "
          f"({sum(v for _, v in labels.values())} invalid)")
    score("kiro-guard (semantic engine)", run_kiro(d), labels)
    sg = run_semgrep(d, njs)
    if sg is not None:
        score(f"semgrep + njsscan {NJSSCAN} rules", sg, labels)


if __name__ == "__main__":
    main()
