#!/usr/bin/env python3
"""Software bill of materials of the kiro-guard binary, from `cargo metadata`.

    scripts/sbom.py --format spdx|cyclonedx [--target TRIPLE] [--artifact FILE]... > sbom.json

Lists what goes into the binary: the host crate, its normal and build
dependencies (the build script precompiles the skills with wasmtime), and the
three built-in skills with their dependencies (compiled to WebAssembly and
embedded). Development dependencies are left out. Each crates.io package
carries its purl (pkg:cargo/NAME@VERSION), its declared licence and the
SHA-256 that Cargo.lock records for its source archive. `--artifact` adds a
released file (binary, wheel, tarball) with its SHA-256.

SPDX 2.3 JSON or CycloneDX 1.5 JSON. Needs only Python 3.11+ and cargo.
"""

import argparse
import datetime
import hashlib
import json
import os
import subprocess
import sys
import tomllib
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HOST = "kiro-guard"
BUILTIN = ["pii-detection", "banking-code-review", "mas-compliance-review"]
CRATES_IO = "registry+https://github.com/rust-lang/crates.io-index"


def metadata(target):
    cmd = ["cargo", "metadata", "--format-version", "1", "--locked", "--offline"]
    if target:
        cmd += ["--filter-platform", target]
    out = subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def lock_checksums():
    with open(os.path.join(ROOT, "Cargo.lock"), "rb") as f:
        lock = tomllib.load(f)
    return {(p["name"], p["version"]): p.get("checksum") for p in lock.get("package", [])}


def closure(meta):
    """Package ids in the binary and the dependency edges between them."""
    pkgs = {p["id"]: p for p in meta["packages"]}
    nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}
    by_name = {}
    for p in meta["packages"]:
        if p["source"] is None:
            by_name[p["name"]] = p["id"]
    roots = [by_name[HOST]] + [by_name[s] for s in BUILTIN]
    seen, edges, todo = set(), {}, list(roots)
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        deps = []
        for d in nodes[pid]["deps"]:
            kinds = {k["kind"] for k in d["dep_kinds"]}
            if kinds - {"dev"}:
                deps.append(d["pkg"])
                todo.append(d["pkg"])
        edges[pid] = sorted(set(deps))
    # The skills are embedded in the host binary.
    edges[roots[0]] = sorted(set(edges[roots[0]]) | set(roots[1:]))
    return roots[0], [pkgs[i] for i in sorted(seen)], edges


def purl(p):
    return f"pkg:cargo/{p['name']}@{p['version']}"


def spdx_license(p):
    lic = (p.get("license") or "").strip()
    if not lic:
        return "NOASSERTION"
    # Old cargo style "MIT/Apache-2.0" means either.
    return " OR ".join(x.strip() for x in lic.split("/")) if "/" in lic else lic


def spdx_id(p):
    safe = "".join(c if c.isalnum() or c in ".-" else "-" for c in f"{p['name']}-{p['version']}")
    return f"SPDXRef-Package-{safe}"


def file_digest(path, algorithm="sha256"):
    h = hashlib.new(algorithm)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def sha256_file(path):
    return file_digest(path, "sha256")


def spdx(root, packages, edges, sums, artifacts, now):
    pk = {p["id"]: p for p in packages}
    version = pk[root]["version"]
    doc = {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": f"kiro-guard-{version}",
        "documentNamespace": f"https://github.com/kiro-guard/kiro-guard/spdx/kiro-guard-{version}-{uuid.uuid4()}",
        "creationInfo": {"created": now, "creators": ["Tool: kiro-guard-scripts-sbom.py", "Organization: kiro-guard"]},
        "packages": [],
        "relationships": [],
    }
    for p in packages:
        e = {
            "name": p["name"],
            "SPDXID": spdx_id(p),
            "versionInfo": p["version"],
            "downloadLocation": (
                f"https://crates.io/api/v1/crates/{p['name']}/{p['version']}/download"
                if p["source"] == CRATES_IO
                else (p.get("repository") or "NOASSERTION")
            ),
            "filesAnalyzed": False,
            "licenseConcluded": "NOASSERTION",
            "licenseDeclared": spdx_license(p),
            "copyrightText": "NOASSERTION",
            "externalRefs": [
                {"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": purl(p)}
            ],
        }
        c = sums.get((p["name"], p["version"]))
        if c:
            e["checksums"] = [{"algorithm": "SHA256", "checksumValue": c}]
        if p["id"] == root:
            e["primaryPackagePurpose"] = "APPLICATION"
        doc["packages"].append(e)
    doc["relationships"].append(
        {"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES", "relatedSpdxElement": spdx_id(pk[root])}
    )
    for pid, deps in sorted(edges.items()):
        for d in deps:
            doc["relationships"].append(
                {"spdxElementId": spdx_id(pk[pid]), "relationshipType": "DEPENDS_ON", "relatedSpdxElement": spdx_id(pk[d])}
            )
    if artifacts:
        doc["files"] = []
        for i, a in enumerate(artifacts):
            fid = f"SPDXRef-File-{i + 1}"
            doc["files"].append(
                {
                    "fileName": "./" + os.path.basename(a),
                    "SPDXID": fid,
                    # SPDX 2.3 requires a SHA1 for every file; SHA256 is the one to check.
                    "checksums": [
                        {"algorithm": "SHA256", "checksumValue": sha256_file(a)},
                        {"algorithm": "SHA1", "checksumValue": file_digest(a, "sha1")},
                    ],
                    "licenseConcluded": "NOASSERTION",
                    "copyrightText": "NOASSERTION",
                }
            )
            doc["relationships"].append(
                {"spdxElementId": spdx_id(pk[root]), "relationshipType": "GENERATES", "relatedSpdxElement": fid}
            )
    return doc


def cyclonedx(root, packages, edges, sums, artifacts, now):
    pk = {p["id"]: p for p in packages}

    def component(p, kind="library"):
        c = {"type": kind, "bom-ref": purl(p), "name": p["name"], "version": p["version"], "purl": purl(p)}
        lic = spdx_license(p)
        if lic != "NOASSERTION":
            c["licenses"] = [{"expression": lic}]
        s = sums.get((p["name"], p["version"]))
        if s:
            c["hashes"] = [{"alg": "SHA-256", "content": s}]
        return c

    main = component(pk[root], "application")
    if artifacts:
        main["components"] = [
            {
                "type": "file",
                "bom-ref": f"file:{os.path.basename(a)}",
                "name": os.path.basename(a),
                "hashes": [{"alg": "SHA-256", "content": sha256_file(a)}],
            }
            for a in artifacts
        ]
    return {
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "serialNumber": f"urn:uuid:{uuid.uuid4()}",
        "version": 1,
        "metadata": {
            "timestamp": now,
            "tools": {"components": [{"type": "application", "name": "kiro-guard-scripts-sbom.py"}]},
            "component": main,
        },
        "components": [component(p) for p in packages if p["id"] != root],
        "dependencies": [
            {"ref": purl(pk[pid]), "dependsOn": [purl(pk[d]) for d in deps]} for pid, deps in sorted(edges.items())
        ],
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--format", choices=["spdx", "cyclonedx"], required=True)
    ap.add_argument("--target", help="target triple (cargo metadata --filter-platform)")
    ap.add_argument("--artifact", action="append", default=[], help="a released file to list with its SHA-256")
    a = ap.parse_args()
    for f in a.artifact:
        if not os.path.isfile(f):
            sys.exit(f"sbom.py: no such artifact: {f}")
    meta = metadata(a.target)
    root, packages, edges = closure(meta)
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    build = spdx if a.format == "spdx" else cyclonedx
    json.dump(build(root, packages, edges, lock_checksums(), a.artifact, now), sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
