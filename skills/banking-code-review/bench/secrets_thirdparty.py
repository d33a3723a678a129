#!/usr/bin/env python3
"""Credential rules side by side with other secret scanners, on labelled
samples that none of this repository's authors wrote.

Run as `python3 skills/banking-code-review/bench/compare.py secrets [DIR]`
(from the repository root; DIR defaults to /work/corpora/secrets and must be
outside the repository). One run fetches what is missing into DIR, builds
the labelled set, runs every tool on it and prints the tables.

Labelled sets: the rule tests of gitleaks. Every rule file in
`cmd/generate/config/rules/` lists true positives (`tps`, or `r.TPs`) and
must-not-match strings (`fps`, `r.FPs`). Sources, each reported on its own:
  * gitleaks 8.16.0 from Debian's source package (the upstream tarball
    `gitleaks_8.16.0.orig.tar.gz` of the trixie suite);
  * the newest gitleaks source of Debian unstable (`.orig.tar.*`), when the
    mirror serves it (a note is printed when it does not);
  * DIR/thirdparty/gitleaks-index, when present: newer upstream rule files
    (or excerpts of them) placed there by hand, their commits listed in its
    COMMITS file.
Their Go expressions are evaluated here: string literals (interpreted and
raw), `+`, `fmt.Sprintf` (%s %d %v %q %%), `strings.Repeat`,
`generateSampleSecret(id, s)` / `utils.GenerateSampleSecret` (gitleaks
expands it to `<id>_api_token = "<s>"`), `utils.GenerateSampleSecrets(id, s)`
(the secret in INI, JSON, XML and YAML syntax: the templates every version
of it has), `append(list, items...)`, variables, and `secrets.NewSecret(regex)`
with the `utils.Numeric/Hex/AlphaNumeric...` regex helpers, which gitleaks
fills with a random string of the regex; this script does the same with a
fixed seed, so each set is the same on every run. Items it cannot evaluate
are counted per rule file and skipped.

Tools (each fetched through its ordinary client, into DIR):
  * this skill: `examples/secrets_jsonl.rs` (credential rules only);
    "found" = any credential finding, "blocked" = a block-severity one,
    "warned" = found but only as warnings;
  * detect-secrets 1.5.0 (PyPI, a virtualenv under DIR/venv unless
    `detect-secrets` is on PATH);
  * gitleaks 8.26.0 (Debian unstable's binary package, unpacked under DIR);
    its built-in rules were written against these very tests, so its
    recall here is an upper bound, not a peer result;
  * secretlint with its recommended preset (npm, under DIR/tools).
A tool that cannot be fetched is reported as missing.

With `--real TREE...` after DIR it also runs the tools on trees of real
code (unlabelled) and prints this skill's blocks and warnings next to the
peers' finding counts.

The Debian mirror is the one configured in /etc/apt (a private apt state
under DIR/apt adds the trixie and unstable suites without touching the
system's). Nothing secret is printed: misses are shown with every long
alphanumeric run masked.
"""
import ast, collections, glob, json, os, random, re, shutil, subprocess, sys, tempfile, time

try:
    import re._parser as sre_parse  # Python >= 3.11
    from re._constants import MAXREPEAT
except ImportError:  # pragma: no cover
    import sre_parse
    from sre_constants import MAXREPEAT

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
GITLEAKS_SRC_PIN = "8.16.0"  # trixie
GITLEAKS_BIN = ("sid", "gitleaks")
DETECT_SECRETS = "detect-secrets==1.5.0"
SECRETLINT = ["secretlint@13", "@secretlint/secretlint-rule-preset-recommend@13"]


def sh(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


# ----------------------------------------------------------------- fetching
def debian_mirror():
    files = glob.glob("/etc/apt/sources.list.d/*.sources") + ["/etc/apt/sources.list"]
    for f in files:
        if not os.path.exists(f):
            continue
        for line in open(f):
            line = line.strip()
            if line.startswith("URIs:") and "security" not in line:
                return line.split()[1]
            if line.startswith("deb ") and "security" not in line:
                return [w for w in line.split() if "://" in w][0]
    return None


def apt_opts(base, suite):
    d = os.path.join(base, "apt", suite)
    for sub in ("lists/partial", "cache/archives/partial"):
        os.makedirs(os.path.join(d, sub), exist_ok=True)
    src = os.path.join(d, "sources.list")
    mirror = debian_mirror()
    if not mirror:
        return None
    with open(src, "w") as f:
        f.write(f"deb {mirror} {suite} main\ndeb-src {mirror} {suite} main\n")
    opts = ["-o", f"Dir::Etc::SourceList={src}", "-o", "Dir::Etc::SourceParts=/nonexistent",
            "-o", f"Dir::State::Lists={d}/lists", "-o", f"Dir::Cache={d}/cache",
            "-o", "Dir::State::status=/var/lib/dpkg/status"]
    if not os.listdir(os.path.join(d, "lists")) or len(os.listdir(os.path.join(d, "lists"))) < 3:
        sh(["apt-get", *opts, "update"])
    return opts


def fetch_gitleaks_source(base, suite, want=None):
    """(version, tree) of the gitleaks source package of a Debian suite
    (its upstream `.orig.tar.*`), or None when the mirror does not serve it.
    `want` pins a version already unpacked under DIR/thirdparty/gitleaks."""
    dest = os.path.join(base, "thirdparty", "gitleaks")
    if want and os.path.isdir(os.path.join(dest, f"gitleaks-{want}")):
        return want, os.path.join(dest, f"gitleaks-{want}")
    os.makedirs(dest, exist_ok=True)
    opts = apt_opts(base, suite)
    if opts is None:
        return None
    uris = sh(["apt-get", *opts, "source", "--print-uris", "gitleaks"]).stdout
    for m in re.finditer(r"'([^']+)' (gitleaks_([0-9][^_']*)\.orig\.tar\.(?:gz|xz))", uris):
        url, orig, version = m.groups()
        tree = os.path.join(dest, f"gitleaks-{version}")
        if os.path.isdir(tree):
            return version, tree
        sh(["curl", "-fsSL", "-o", os.path.join(dest, orig), url])
        if os.path.exists(os.path.join(dest, orig)) and os.path.getsize(os.path.join(dest, orig)) > 0:
            sh(["tar", "-xf", orig], cwd=dest)
        if os.path.isdir(tree):
            return version, tree
        print(f"note: {suite}'s gitleaks {version} source ({orig}) could not be fetched from the mirror")
    return None


def gitleaks_sources(base):
    """[(label, tree)]: every gitleaks rule-test tree to evaluate. Debian
    trixie's 8.16.0 always; unstable's newer source when the mirror serves
    it; and a partial newer tree under DIR/thirdparty/gitleaks-index
    (rule files copied from the upstream repository by hand, each with
    its commit in a COMMITS file) when present."""
    out = []
    for suite, pin in (("trixie", GITLEAKS_SRC_PIN), ("sid", None)):
        got = fetch_gitleaks_source(base, suite, pin)
        if got and all(got[0] != v for v, _ in out):
            out.append(got)
    partial = os.path.join(base, "thirdparty", "gitleaks-index")
    if os.path.isdir(os.path.join(partial, "cmd", "generate", "config", "rules")):
        out.append(("upstream rule files (partial, see COMMITS)", partial))
    return [(f"gitleaks {v}" if v[0].isdigit() else v, t) for v, t in out]


def fetch_gitleaks_binary(base):
    if shutil.which("gitleaks"):
        return shutil.which("gitleaks")
    suite, pkg = GITLEAKS_BIN
    dest = os.path.join(base, "thirdparty", "gitleaks-bin")
    exe = os.path.join(dest, "root", "usr", "bin", "gitleaks")
    if os.path.exists(exe):
        return exe
    os.makedirs(dest, exist_ok=True)
    os.chmod(dest, 0o777)  # apt's download user writes here
    opts = apt_opts(base, suite)
    if opts is None:
        return None
    sh(["apt-get", *opts, "download", pkg], cwd=dest)
    debs = glob.glob(os.path.join(dest, "*.deb"))
    if debs:
        sh(["dpkg-deb", "-x", debs[0], os.path.join(dest, "root")])
    return exe if os.path.exists(exe) else None


def fetch_detect_secrets(base):
    if shutil.which("detect-secrets"):
        return shutil.which("detect-secrets")
    venv = os.path.join(base, "venv")
    exe = os.path.join(venv, "bin", "detect-secrets")
    if not os.path.exists(exe):
        sh([sys.executable, "-m", "venv", venv])
        sh([os.path.join(venv, "bin", "pip"), "install", "-q", DETECT_SECRETS])
    return exe if os.path.exists(exe) else None


def fetch_secretlint(base):
    d = os.path.join(base, "tools", "secretlint")
    exe = os.path.join(d, "node_modules", ".bin", "secretlint")
    if not os.path.exists(exe) and shutil.which("npm"):
        os.makedirs(d, exist_ok=True)
        if not os.path.exists(os.path.join(d, "package.json")):
            sh(["npm", "init", "-y"], cwd=d)
        sh(["npm", "install", "-q", "--no-audit", "--no-fund", *SECRETLINT], cwd=d)
    return exe if os.path.exists(exe) else None


# ------------------------------------------- evaluating gitleaks' rule tests
def gen(regex, rng):
    """A random string matching `regex` (the subset gitleaks' tests use)."""
    def walk(items):
        out = []
        for op, av in items:
            name = str(op)
            if name == "LITERAL":
                out.append(chr(av))
            elif name == "NOT_LITERAL":
                out.append("x" if av != ord("x") else "y")
            elif name == "ANY":
                out.append(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789"))
            elif name == "IN":
                out.append(pick_class(av))
            elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                lo, hi, sub = av
                hi = lo + 8 if hi == MAXREPEAT else hi
                for _ in range(rng.randint(lo, hi)):
                    out.append(walk(sub))
            elif name == "SUBPATTERN":
                out.append(walk(av[-1]))
            elif name == "BRANCH":
                out.append(walk(rng.choice(av[1])))
            elif name in ("AT", "GROUPREF"):
                pass
            else:
                raise ValueError(f"regex op {name}")
        return "".join(out)

    def pick_class(items):
        chars, negate = [], False
        for op, av in items:
            name = str(op)
            if name == "NEGATE":
                negate = True
            elif name == "LITERAL":
                chars.append(chr(av))
            elif name == "RANGE":
                chars.extend(chr(c) for c in range(av[0], av[1] + 1))
            elif name == "CATEGORY":
                cat = str(av)
                if "DIGIT" in cat:
                    chars.extend("0123456789")
                elif "WORD" in cat:
                    chars.extend("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
                elif "SPACE" in cat:
                    chars.append(" ")
        if negate:
            chars = [c for c in "abcdefghijklmnopqrstuvwxyz0123456789" if c not in chars]
        return rng.choice(chars)

    return walk(sre_parse.parse(regex))


TOKEN = re.compile(r"""\s+|//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|`[^`]*`|[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*|\d+|\.\.\.|"""
                   r"""[(){}\[\],+]|:=|=|.""", re.S)


def sample_secrets(i, s):
    """gitleaks' utils.GenerateSampleSecrets: the secret under an
    `<id>_token` name in several syntaxes. Only the templates that every
    version since its introduction has are reproduced (INI, JSON, XML,
    YAML); later versions add more (code, shell, ...)."""
    tpl = ['{i}Token="{s}"', '{i}Token = "{s}"', "{i}Token={s}", "{i}Token = {s}",
           '{\n    "{i}_token": "{s}"\n}', "<{i}Token>\n    {s}\n</{i}Token>",
           "{i}_token: {s}", "{i}_token: '{s}'", '{i}_token: "{s}"']
    return [t.replace("{i}", i).replace("{s}", s) for t in tpl]


HELPERS = {
    "numeric": lambda n: f"[0-9]{{{n}}}",
    "hex": lambda n: f"[a-f0-9]{{{n}}}",
    "alphaNumeric": lambda n: f"[a-z0-9]{{{n}}}",
    "alphaNumericExtendedShort": lambda n: f"[a-z0-9_-]{{{n}}}",
    "alphaNumericExtended": lambda n: f"[a-z0-9=_\\-]{{{n}}}",
    "alphaNumericExtendedLong": lambda n: f"[a-z0-9\\/=_\\+\\-]{{{n}}}",
    "hex8_4_4_4_12": lambda: "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
    "generateSampleSecret": lambda i, s: f'{i}_api_token = "{s}"',
    "generateSampleSecrets": sample_secrets,
    "strings.Repeat": lambda s, n: s * int(n),
    "strings.ToUpper": lambda s: s.upper(),
    "strings.ToLower": lambda s: s.lower(),
}


def helper(name):
    """A helper by its Go name: `utils.GenerateSampleSecret` (newer
    versions export them from a utils package) is `generateSampleSecret`."""
    if name in HELPERS:
        return HELPERS[name]
    if name.startswith("utils."):
        short = name[len("utils."):]
        return HELPERS.get(short[:1].lower() + short[1:])
    return None


def go_sprintf(fmt, args):
    out, i, args = [], 0, list(args)
    while i < len(fmt):
        c = fmt[i]
        if c == "%" and i + 1 < len(fmt):
            verb = fmt[i + 1]
            if verb == "%":
                out.append("%")
            elif verb in "sdvq":
                if not args:
                    raise ValueError("Sprintf: too few arguments")
                a = args.pop(0)
                out.append(f'"{a}"' if verb == "q" else str(a))
            else:
                raise ValueError(f"Sprintf verb %{verb}")
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


def tokens(src):
    out = []
    for m in TOKEN.finditer(src):
        t = m.group(0)
        if t.isspace() or t.startswith("//") or t.startswith("/*"):
            continue
        out.append(t)
    return out


class Eval:
    def __init__(self, toks, env, rng):
        self.t, self.i, self.env, self.rng = toks, 0, env, rng

    def peek(self):
        return self.t[self.i] if self.i < len(self.t) else None

    def take(self, want=None):
        t = self.peek()
        if want is not None and t != want:
            raise ValueError(f"expected {want}, got {t}")
        self.i += 1
        return t

    def expr(self):
        v = self.term()
        while self.peek() == "+":
            self.take()
            w = self.term()
            if isinstance(v, list) or isinstance(w, list):
                raise ValueError("+ on a list")
            v = v + w
        return v

    def items(self, close):
        """Comma-separated expressions up to `close`; a list followed by
        `...` is spread. Returns (values, number not evaluable)."""
        vals, bad = [], 0
        while self.peek() not in (close, None):
            start = self.i
            try:
                v = self.expr()
                if self.peek() == "...":
                    self.take()
                    if not isinstance(v, list):
                        raise ValueError("spread of a non-list")
                    vals.extend(v)
                elif isinstance(v, list):
                    raise ValueError("list where a string is expected")
                else:
                    vals.append(v)
            except (ValueError, SyntaxError, IndexError, TypeError):
                bad += 1
                self.i = start
                self.skip_item()
            if self.peek() == ",":
                self.take()
        return vals, bad

    def term(self):
        t = self.take()
        if t is None:
            raise ValueError("end")
        if t.startswith('"'):
            return ast.literal_eval(t)
        if t.startswith("`"):
            return t[1:-1].replace("\r", "")
        if t.isdigit():
            return t
        if t == "[" and self.t[self.i:self.i + 3] == ["]", "string", "{"]:
            self.i += 3
            vals, bad = self.items("}")
            self.take("}")
            if bad:
                raise ValueError("list with items not evaluable")
            return vals
        if re.match(r"[A-Za-z_]", t):
            if self.peek() == "(":
                self.take("(")
                if t == "append":
                    base = self.expr()
                    if not isinstance(base, list):
                        raise ValueError("append to a non-list")
                    if self.peek() == ",":
                        self.take()
                    vals, bad = self.items(")")
                    self.take(")")
                    if bad:
                        raise ValueError("append with items not evaluable")
                    return base + vals
                args = []
                while self.peek() != ")":
                    args.append(self.expr())
                    if self.peek() == ",":
                        self.take()
                self.take(")")
                return self.call(t, args)
            if t in self.env:
                return self.env[t]
        raise ValueError(f"cannot evaluate {t}")

    def call(self, f, args):
        if f == "secrets.NewSecret":
            return gen(args[0], self.rng)
        if f == "newPlausibleSecret":
            # gitleaks retries NewSecret until the value has a digit 1-9
            # (and none of its stop words, not reproduced here).
            for _ in range(1000):
                v = gen(args[0], self.rng)
                if re.search(r"[1-9]", v):
                    return v
            raise ValueError("newPlausibleSecret: no value with a digit")
        if f == "fmt.Sprintf":
            return go_sprintf(args[0], args[1:])
        if f in ("regexp.MustCompile", "regexp.QuoteMeta") and len(args) == 1:
            return args[0] if f == "regexp.MustCompile" else re.escape(args[0])
        h = helper(f)
        if h is not None:
            return h(*args)
        raise ValueError(f"unknown function {f}")

    def skip_item(self):
        depth = 0
        while self.peek() is not None:
            t = self.peek()
            if t in "({[":
                depth += 1
            elif t in ")}]":
                if depth == 0:
                    return
                depth -= 1
            elif t == "," and depth == 0:
                return
            self.take()


LISTS = {"tps": "tp", "fps": "fp", "r.TPs": "tp", "r.FPs": "fp"}


def labelled_set(tree, seed=17):
    """[(gitleaks rule file, 'tp'|'fp', text)], and {rule file: number of
    items not evaluable}.

    Handles `tps := []string{...}`, `tps = append(tps, ...)`,
    `tps := utils.GenerateSampleSecrets(...)`, `r.TPs = ...` / `r.FPs`,
    and `name := <expr>` variables used in the items."""
    rng = random.Random(seed)
    out, skipped = [], collections.Counter()
    for path in sorted(glob.glob(os.path.join(tree, "cmd", "generate", "config", "rules", "*.go"))):
        name = os.path.basename(path)[:-3]
        if name.endswith("_test"):
            continue
        toks = tokens(open(path).read())
        env = {}
        i = 0
        while i < len(toks):
            t = toks[i]
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            if t == "func":
                env = {k: v for k, v in env.items() if k not in LISTS}
            if t in LISTS and nxt in (":=", "="):
                kind = LISTS[t]
                ev = Eval(toks, env, rng)
                ev.i = i + 2
                prev = env.get(t, [])
                if toks[ev.i:ev.i + 4] == ["[", "]", "string", "{"]:
                    ev.i += 4
                    vals, bad = ev.items("}")
                    ev.i += 1
                    new = vals
                elif toks[ev.i:ev.i + 3] == ["append", "(", t]:
                    ev.i += 3
                    if ev.peek() == ",":
                        ev.take()
                    vals, bad = ev.items(")")
                    ev.i += 1
                    new = vals
                    vals = prev + vals
                else:
                    start = ev.i
                    bad = 0
                    try:
                        vals = ev.expr()
                        if not isinstance(vals, list):
                            raise ValueError("not a list")
                    except (ValueError, SyntaxError, IndexError, TypeError):
                        ev.i = start
                        ev.skip_item()
                        vals, bad = [], 1
                    new = vals
                    base = toks[start + 2] if toks[start:start + 2] == ["append", "("] else None
                    if base in LISTS and LISTS[base] == kind and isinstance(env.get(base), list):
                        new = vals[len(env[base]):]  # those items were counted under `base`
                env[t] = vals
                out.extend((name, kind, v) for v in new)
                if bad:
                    skipped[name] += bad
                i = max(ev.i, i + 1)
                continue
            if re.match(r"[A-Za-z_]\w*$", t) and nxt == ":=" and t not in ("r",) and t not in LISTS:
                ev = Eval(toks, env, rng)
                ev.i = i + 2
                try:
                    env[t] = ev.expr()
                except (ValueError, SyntaxError, IndexError, TypeError):
                    pass
            i += 1
    return out, skipped



# --------------------------------------------------------------- the tools
def ours_findings(d):
    """[(path, severity)] of this skill's credential findings under d."""
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    b = sh(["cargo", "build", "-q", "--release", "--example", "secrets_jsonl", "-p", "banking-code-review"],
           cwd=ROOT)
    if b.returncode:
        sys.exit(b.stderr)
    t = time.perf_counter()
    p = sh([os.path.join(target, "release", "examples", "secrets_jsonl"), d])
    secs = time.perf_counter() - t
    out = [(f["path"], f["severity"]) for f in map(json.loads, p.stdout.splitlines()) if f["credential"]]
    return out, secs


def real_code(trees, tools):
    """Findings per tool on real code (no labels: every block was checked
    by hand, see bench/secrets-results.md)."""
    print("\n| tree | lines | banking-code-review blocks / warnings | " +
          " | ".join(n for n, _ in tools) + " |")
    print("|---|---|---|" + "---|" * len(tools))
    for tree in trees:
        lines = 0
        for dp, _, fs in os.walk(tree):
            for f in fs:
                try:
                    with open(os.path.join(dp, f), encoding="utf-8") as fh:
                        lines += sum(1 for _ in fh)
                except (UnicodeDecodeError, OSError):
                    pass
        found, secs = ours_findings(tree)
        blocks = sum(1 for _, s in found if s == "block")
        cells = [f"{blocks} / {len(found) - blocks} ({secs:.0f} s)"]
        for _, count in tools:
            n, secs = count(tree)
            cells.append(f"{n} ({secs:.0f} s)")
        print(f"| {os.path.basename(tree.rstrip('/'))} | {lines} | " + " | ".join(cells) + " |")


def count_gitleaks(exe):
    def run(tree):
        rep = os.path.join(tempfile.mkdtemp(prefix="gl-"), "r.json")
        t = time.perf_counter()
        sh([exe, "dir", tree, "--no-banner", "--exit-code", "0", "-f", "json", "-r", rep])
        secs = time.perf_counter() - t
        return (len(json.load(open(rep))) if os.path.exists(rep) else 0), secs
    return run


def count_detect_secrets(exe):
    def run(tree):
        size = sum(os.path.getsize(os.path.join(dp, f)) for dp, _, fs in os.walk(tree) for f in fs
                   if os.path.isfile(os.path.join(dp, f)))
        if size > 50e6:
            # More than a quarter of an hour on such a tree.
            return f"skipped ({size / 1e6:.0f} MB)", 0
        t = time.perf_counter()
        p = sh([exe, "scan", "--all-files", "."], cwd=tree)
        secs = time.perf_counter() - t
        res = json.loads(p.stdout or "{}").get("results", {})
        return sum(len(v) for v in res.values()), secs
    return run


OURS_RULES = {}  # path -> rule ids of this skill's block findings


def ours(d):
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    b = sh(["cargo", "build", "-q", "--release", "--example", "secrets_jsonl", "-p", "banking-code-review"],
           cwd=ROOT)
    if b.returncode:
        sys.exit(b.stderr)
    t = time.perf_counter()
    p = sh([os.path.join(target, "release", "examples", "secrets_jsonl"), d])
    secs = time.perf_counter() - t
    found, blocked = set(), set()
    for line in p.stdout.splitlines():
        f = json.loads(line)
        if f["credential"]:
            found.add(f["path"])
            if f["severity"] == "block":
                blocked.add(f["path"])
                OURS_RULES.setdefault(f["path"], set()).add(f.get("rule_id", "?"))
    return found, blocked, secs


def detect_secrets(exe, d):
    t = time.perf_counter()
    p = sh([exe, "scan", "--all-files", "."], cwd=d)
    secs = time.perf_counter() - t
    hits = set(json.loads(p.stdout or "{}").get("results", {}))
    return hits, hits, secs


def gitleaks(exe, d):
    rep = os.path.join(tempfile.mkdtemp(prefix="gl-"), "r.json")
    t = time.perf_counter()
    sh([exe, "dir", d, "--no-banner", "--exit-code", "0", "-f", "json", "-r", rep])
    secs = time.perf_counter() - t
    hits = {os.path.relpath(r["File"], d) for r in json.load(open(rep))} if os.path.exists(rep) else set()
    return hits, hits, secs


def secretlint(exe, d):
    rc = os.path.join(d, ".secretlintrc.json")
    with open(rc, "w") as f:
        json.dump({"rules": [{"id": "@secretlint/secretlint-rule-preset-recommend"}]}, f)
    t = time.perf_counter()
    p = sh([exe, "--format", "json", "--secretlintrc", rc, "--no-color", "**/*"], cwd=d)
    secs = time.perf_counter() - t
    os.remove(rc)
    hits = set()
    try:
        for r in json.loads(p.stdout or "[]"):
            if r.get("messages"):
                hits.add(os.path.relpath(r["filePath"], d))
    except json.JSONDecodeError:
        print(f"secretlint output not JSON (exit {p.returncode}):", (p.stderr or p.stdout)[:300])
    return hits, hits, secs


def mask(s):
    return re.sub(r"[A-Za-z0-9+/_\-]{8,}", lambda m: m.group(0)[:3] + "…", s.replace("\n", "⏎"))[:120]


def main(base, real=()):
    base = os.path.abspath(base)
    if base.startswith(ROOT + os.sep):
        sys.exit("the corpus directory must be outside the repository")
    sources = gitleaks_sources(base)
    if not sources:
        sys.exit("could not fetch the gitleaks source package (needs apt-get and a Debian mirror)")
    d = tempfile.mkdtemp(prefix="bcr-thirdparty-")
    labels = {}  # relative path -> (source, rule file, 'tp'|'fp')
    for si, (label, tree) in enumerate(sources):
        samples, skipped = labelled_set(tree)
        for n, (rule, kind, text) in enumerate(samples):
            rel = f"src{si}/{kind}/s{n:04d}.txt"
            os.makedirs(os.path.join(d, f"src{si}", kind), exist_ok=True)
            with open(os.path.join(d, rel), "w") as f:
                f.write(text + "\n")
            labels[rel] = (label, rule, kind)
        ntp = sum(1 for _, k, _ in samples if k == "tp")
        print(f"labelled set: {label} rule tests, {ntp} true, {len(samples) - ntp} must-not-match, "
              f"{sum(skipped.values())} items not evaluable"
              + (" (" + ", ".join(f"{r}: {c}" for r, c in sorted(skipped.items())) + ")" if skipped else ""))

    tools = [("banking-code-review", lambda: ours(d))]
    ds_exe = exe = fetch_detect_secrets(base)
    tools.append(("detect-secrets 1.5.0", (lambda e: lambda: detect_secrets(e, d))(exe)) if exe
                 else ("detect-secrets", None))
    gl_exe = exe = fetch_gitleaks_binary(base)
    tools.append(("gitleaks 8.26.0 (own tests: upper bound)", (lambda e: lambda: gitleaks(e, d))(exe)) if exe
                 else ("gitleaks", None))
    exe = fetch_secretlint(base)
    tools.append(("secretlint recommend preset", (lambda e: lambda: secretlint(e, d))(exe)) if exe
                 else ("secretlint", None))

    results = {name: (run() if run else None) for name, run in tools}
    for label, _ in sources:
        mine = {p: v for p, v in labels.items() if v[0] == label}
        ntp = sum(1 for v in mine.values() if v[2] == "tp")
        nfp = len(mine) - ntp
        print(f"\n{label}\n\n| tool | true found | recall | true blocked | must-not-match blocked "
              f"| must-not-match warned | must-not-match reported (any) | time |")
        print("|---|---|---|---|---|---|---|---|")
        for name, _ in tools:
            res = results[name]
            if res is None:
                print(f"| {name} | not installed | | | | | | |")
                continue
            found, blocked, secs = res
            tp = sum(1 for p, v in mine.items() if v[2] == "tp" and p in found)
            tpb = sum(1 for p, v in mine.items() if v[2] == "tp" and p in blocked)
            fpf = sum(1 for p, v in mine.items() if v[2] == "fp" and p in found)
            fpb = sum(1 for p, v in mine.items() if v[2] == "fp" and p in blocked)
            ours_row = name == "banking-code-review"
            print(f"| {name} | {tp}/{ntp} | {tp / max(ntp, 1):.1%} | "
                  + (f"{tpb}/{ntp}" if ours_row else "(no tiers)")
                  + f" | {fpb if ours_row else '(no tiers)'} | {fpf - fpb if ours_row else '(no tiers)'} "
                  f"| {fpf}/{nfp} | {secs:.2f} s |")
    found, blocked, _ = results["banking-code-review"]
    print("\nbanking-code-review: true samples not found (source, gitleaks rule file: masked sample)")
    for p, (label, rule, kind) in sorted(labels.items(), key=lambda x: x[1]):
        if kind == "tp" and p not in found:
            print(f"  {label}, {rule}: {mask(open(os.path.join(d, p)).read().strip())}")
    print("banking-code-review: must-not-match samples blocked (source, rule file: this skill's rules: sample)")
    for p, (label, rule, kind) in sorted(labels.items(), key=lambda x: x[1]):
        if kind == "fp" and p in blocked:
            rules = ",".join(sorted(OURS_RULES.get(p, ())))
            print(f"  {label}, {rule}: {rules}: {mask(open(os.path.join(d, p)).read().strip())}")
    if real:
        peers = []
        if gl_exe:
            peers.append(("gitleaks 8.26.0 findings", count_gitleaks(gl_exe)))
        if ds_exe:
            peers.append(("detect-secrets 1.5.0 findings", count_detect_secrets(ds_exe)))
        real_code(real, peers)
    if os.environ.get("KEEP_SAMPLES"):
        print("samples kept in", d)
    else:
        shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    args = sys.argv[1:]
    real = args[args.index("--real") + 1:] if "--real" in args else []
    args = args[:args.index("--real")] if "--real" in args else args
    main(args[0] if args else "/work/corpora/secrets", real)
