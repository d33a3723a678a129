"""internal-hosts, in Python: the kiro-guard skill template's rule
(hard-coded *.corp.internal hostnames), built with componentize-py."""

import json
import re

from wit_world import exports
from wit_world.imports.types import (
    Finding, Input_Command, Input_File, Reference, RuleInfo, Severity,
    SkillInfo, Span,
)

HOST = re.compile(
    r"(?i)\b((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+corp\.internal)\b")
REFS = [
    Reference("MAS TRM", "11.2", "Network Security"),
    Reference("MAS TRM", "6.1",
              "Secure Coding, Source Code Review and Application Security Testing"),
]
REMEDIATION = ("Read the endpoint from per-environment configuration or service "
               "discovery instead of hard-coding an internal hostname.")
RULE = RuleInfo("internal-hostname", "Hard-coded internal hostname",
                Severity.BLOCK, ["any", "shell"], REFS, REMEDIATION)


def position(text: str, offset: int):
    """1-based line and column (characters) of a str offset."""
    line = text.count("\n", 0, offset) + 1
    start = text.rfind("\n", 0, offset) + 1
    return line, offset - start + 1


class Analyzer(exports.Analyzer):
    def describe(self) -> SkillInfo:
        return SkillInfo("internal-hosts-py", "0.1.0",
                         "Blocks hard-coded internal hostnames (*.corp.internal); Python",
                         [RULE])

    def analyze(self, req):
        inp = req.input
        if isinstance(inp, Input_File):
            text = inp.value.text
        elif isinstance(inp, Input_Command):
            text = inp.value.command
        else:
            return []
        settings = json.loads(req.config_json or "{}")
        allowed = {h.lower() for h in settings.get("allow_hosts", [])}
        if ".corp.internal" not in text.lower():
            return []
        findings = []
        for m in HOST.finditer(text):
            host = m.group(1)
            if host.lower() in allowed:
                continue
            line, col = position(text, m.start(1))
            end_line, end_col = position(text, m.end(1))
            findings.append(Finding(
                RULE.id, RULE.default_severity,
                f"internal hostname {host} is hard-coded",
                Span(line, col, end_line, end_col), host, REFS, REMEDIATION))
        return findings
