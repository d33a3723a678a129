//! Property-style robustness: random and garbled inputs (deterministic LCG)
//! through every entry point must neither panic nor take long.

use kiro_guard_skill::{Config, Document, ShellCommand, Skill, ToolCall};
use mas_compliance_review::MasComplianceReview;
use mas_compliance_review::internals::shell;
use std::time::{Duration, Instant};

struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() as usize) % xs.len()]
    }
}

const SHELL_ATOMS: &[&str] = &[
    "git",
    " push",
    " -f",
    " --force",
    "'",
    "\"",
    "\\",
    "$(",
    ")",
    "`",
    "${",
    "}",
    "$'",
    "\\x",
    "|",
    "||",
    "&&",
    ";",
    "&",
    "\n",
    "<<<",
    "<<EOF\n",
    "EOF\n",
    "<(",
    ">(",
    "bash -c ",
    "eval ",
    "sudo -E ",
    "alias g=git;",
    "g ",
    "F=--force;",
    "$F",
    "echo cm0gLXJmIC8= | base64 -d | sh",
    "rm -rf /",
    "(",
    "{",
    "#",
    "xargs ",
    "env -S ",
    "é",
    "\u{200b}",
    "\0",
    "$((1+",
    "1))",
    " ~",
    " .env",
    "ssh h ",
    "find . -exec ",
    " \\;",
    "<",
    ">",
    "2>&1",
    "'\\''",
];

const JSON_ATOMS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "\"mcpServers\"",
    ":",
    ",",
    "\"command\"",
    "\"npx\"",
    "\"args\"",
    "\"-y\"",
    "\"@modelcontextprotocol/server-github@1\"",
    "\"env\"",
    "\"TOKEN\"",
    "\"x\"",
    "true",
    "null",
    "1e999",
    "\"\\u00e9\"",
    "//",
    "/*",
    "*/",
    "\"kiro.trustedCommands\"",
    "\"*\"",
    "\"hooks\"",
    "\"autoApprove\"",
    "\"é\"",
    "\"\\",
    "\n",
    " ",
];

const IAC_ATOMS: &[&str] = &[
    "resource \"aws_s3_bucket\" \"b\" {",
    "}",
    "{",
    "\n",
    "  ingress {",
    " from_port = 22",
    " cidr_blocks = [\"0.0.0.0/0\"]",
    "Resources:\n",
    "  X:\n",
    "    Type: AWS::S3::Bucket\n",
    "    Properties:\n",
    "      - ",
    "a: [",
    "{b: ",
    "|\n",
    "new s3.Bucket(this, 'x', {",
    "})",
    "RetentionDays.ONE_DAY",
    "Port.tcp(22)",
    "region = \"us-east-1\"",
    "\"",
    "#",
    "/*",
    "é",
    "\t",
    "  ",
    "- Key: v\n",
];

fn garble(rng: &mut Lcg, atoms: &[&str], n: usize) -> String {
    let mut s = String::new();
    for _ in 0..n {
        if rng.next().is_multiple_of(7) {
            // a random unicode scalar
            let c = char::from_u32((rng.next() % 0x2_0000) as u32).unwrap_or('?');
            s.push(c);
        } else {
            s.push_str(rng.pick(atoms));
        }
    }
    s
}

#[test]
fn random_inputs_never_panic_or_hang() {
    let skill = MasComplianceReview;
    let cfg = Config::parse("{\"approved_config_sha256\": \"0000000000000000000000000000000000000000000000000000000000000000\"}").unwrap();
    let mut rng = Lcg(0x5eed);
    let start = Instant::now();
    for i in 0..600 {
        let n = 1 + (rng.next() % 60) as usize;
        let cmd = garble(&mut rng, SHELL_ATOMS, n);
        let t = Instant::now();
        let _ = skill
            .analyze_command(
                &ShellCommand {
                    command: cmd.clone(),
                    cwd: "/repo".into(),
                },
                &cfg,
            )
            .unwrap();
        assert!(
            t.elapsed() < Duration::from_secs(2),
            "slow command #{i}: {cmd:?}"
        );
        let js = garble(&mut rng, JSON_ATOMS, n);
        for path in [
            ".kiro/settings/mcp.json",
            ".kiro/agents/a.json",
            ".kiro/hooks/h.json",
            ".claude/settings.json",
            ".vscode/settings.json",
            "x.kiro.hook",
            "cfn/t.template.json",
        ] {
            let _ = skill
                .analyze_file(&Document::new(path, js.clone()), &cfg)
                .unwrap();
        }
        let iac = garble(&mut rng, IAC_ATOMS, n);
        for path in ["main.tf", "cfn/app.yaml", "lib/stack.ts"] {
            let text = if path.ends_with(".ts") {
                format!("import 'aws-cdk-lib';{iac}")
            } else if path.ends_with(".yaml") {
                format!("AWSTemplateFormatVersion: x\n{iac}")
            } else {
                iac.clone()
            };
            let _ = skill
                .analyze_file(&Document::new(path, text), &cfg)
                .unwrap();
        }
        let _ = skill.analyze_tool_call(
            &ToolCall {
                tool_name: format!("@{}/x", &js.chars().take(8).collect::<String>()),
                server: String::new(),
                input_json: js.clone(),
            },
            &cfg,
        );
    }
    assert!(start.elapsed() < Duration::from_secs(60));
}

#[test]
fn adversarial_shapes_are_bounded() {
    let cases = vec![
        "$(".repeat(10_000),
        "`".repeat(10_001),
        "\"".repeat(9_999),
        "'".repeat(9_999),
        "${".repeat(10_000),
        "<<EOF\n".repeat(2_000),
        "(".repeat(10_000),
        format!("X='eval $X $X $X $X $X $X $X $X'; eval $X"),
        format!("alias a='b;b;b;b'; alias b='a;a;a;a'; a"),
        format!("{}", "echo x | base64 -d | ".repeat(500)),
        "a".repeat(300_000),
        format!("echo {} | base64 -d | sh", "QQ==".repeat(40_000)),
    ];
    for c in cases {
        let t = Instant::now();
        let s = shell::parse(&c);
        assert!(
            t.elapsed() < Duration::from_secs(5),
            "slow: {}",
            &c[..40.min(c.len())]
        );
        eprintln!(
            "{:>8.3}s {}",
            t.elapsed().as_secs_f64(),
            &c[..20.min(c.len())].escape_debug()
        );
        let _ = s.truncated;
    }
}

#[test]
fn ansi_c_control_escape_before_a_multibyte_character() {
    // Found by cargo fuzz (skill_mas): `$'\c` followed by a multi-byte char.
    let s = mas_compliance_review::Settings::default();
    let _ = mas_compliance_review::analyze_command_text("echo $'\\cé' ; $'\\c\u{1F600}x'", "", &s);
}
