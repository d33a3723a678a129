//! Everyday agent commands must not block.

use kiro_guard_skill::Severity;
use mas_compliance_review::{Settings, analyze_command_text};

#[test]
fn everyday_commands_do_not_block() {
    for c in [
        "npm run build && npm test",
        "git add -A && git commit -m 'feat: add transfer limits'",
        "python -m pytest -q",
        "cd src && ls -la",
        "docker compose up -d",
        "make -j4",
        "rm -rf target",
        "rm -rf ./build dist/",
        "git checkout -b feature/y",
        "pip install -r requirements.txt",
        "source .venv/bin/activate",
        "export PATH=$PATH:/usr/local/bin",
        "terraform apply -auto-approve",
        "cat package.json | jq .scripts",
        "grep -rn TODO src/",
        "head -n 20 src/main.rs",
        "git stash && git pull --rebase && git stash pop",
        "cargo clippy --all-targets -- -D warnings",
        "for f in *.json; do jq . \"$f\" > /dev/null; done",
        "if [ -f .env ]; then echo present; fi",
        "echo 'export KEY=${KEY}' >> ~/.bashrc",
        "kubectl get pods -n payments",
        "aws s3 cp build/ s3://bank-artifacts/app/ --recursive",
        "npx prettier --write src",
        "git log -p -- .env.example",
        "chmod +x scripts/deploy.sh && ./scripts/deploy.sh",
        "find . -type f -name '*.tmp' -exec rm -f {} +",
        "tar -czf backup.tgz src",
        "curl -sSf http://localhost:8080/health",
        "sudo apt-get update && sudo apt-get install -y jq",
    ] {
        let f = analyze_command_text(c, "/repo", &Settings::default());
        assert!(
            f.iter().all(|f| f.severity != Severity::Block),
            "{c:?} blocked: {:?}",
            f.iter()
                .map(|f| (&f.rule_id, &f.message))
                .collect::<Vec<_>>()
        );
    }
}
