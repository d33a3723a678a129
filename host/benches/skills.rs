//! Per-skill throughput inside wasm: each built-in skill analyses ~1 MiB of
//! typical source (Python, Java, TypeScript, JSON, YAML mixed, a few PII and
//! secret values) through the real sandbox (fresh store, fuel metering);
//! then banking-code-review on ~1 MiB of configuration (YAML, `.env`,
//! properties), which measures its credential rules alone.
//!
//! Run: `cargo bench -p kiro-guard --bench skills` (see scripts/bench.sh).
//! `KIRO_GUARD_BENCH_SKILLS=a.wasm,b.wasm` measures those components instead
//! of the built-in skills (to compare a skill build without rebuilding the
//! host).

use kiro_guard::cache::AotCache;
use kiro_guard::guard::{Guard, SkillSelection};
use kiro_guard::item::Item;
use kiro_guard::runtime::{Limits, Runtime};
use kiro_guard_contract::Document;
use std::time::Instant;

fn typical_source(target: usize) -> String {
    let blocks = [
        "def transfer(account_id: str, amount: Decimal) -> None:\n    \"\"\"Move funds between accounts.\"\"\"\n    conn = pool.get()\n    conn.execute(\"UPDATE accounts SET balance = balance - %s WHERE id = %s\", (amount, account_id))\n    logger.info(\"transfer done for %s\", mask(account_id))\n\n",
        "public class StatementService {\n    private final Repository repo;\n    public List<Statement> forCustomer(String customerId) {\n        return repo.findByCustomer(customerId).stream().filter(s -> s.isActive()).collect(Collectors.toList());\n    }\n}\n\n",
        "export async function fetchRates(base: string): Promise<Rate[]> {\n  const res = await fetch(`${API}/rates?base=${encodeURIComponent(base)}`);\n  if (!res.ok) throw new Error(`rates: ${res.status}`);\n  return (await res.json()) as Rate[];\n}\n\n",
        "{\n  \"service\": \"payments\",\n  \"version\": \"2.14.3\",\n  \"timeout_ms\": 1500,\n  \"regions\": [\"ap-southeast-1\"],\n  \"created\": \"2024-03-18T09:12:44Z\"\n}\n",
        "deploy:\n  replicas: 3\n  image: registry.internal/payments:2.14.3\n  env:\n    - name: DB_PASSWORD\n      valueFrom: {secretKeyRef: {name: db, key: password}}\n",
        "# order 1696800000123 shipped to customer ref 20231015-0042 at 1.3521,103.8198 for SGD 1234.50\n",
        "customer = {\"nric\": \"S1234567D\", \"card\": \"4111 1111 1111 1111\"}\n",
    ];
    let mut s = String::with_capacity(target + 1024);
    let mut i = 0;
    while s.len() < target {
        // PII/secret blocks are rare in typical code: 1 in 50.
        let b = if i % 50 == 49 {
            blocks[6]
        } else {
            blocks[i % 6]
        };
        s.push_str(b);
        i += 1;
    }
    s
}

/// Configuration text of the kinds credentials live in (YAML, `.env`,
/// properties), with references to secrets and, rarely, an inline password.
fn typical_config(target: usize) -> String {
    let blocks = [
        "spring:\n  datasource:\n    url: jdbc:postgresql://db.internal:5432/payments\n    username: payments_app\n    password: ${DB_PASSWORD}\n  jpa:\n    open-in-view: false\n",
        "server.port=8443\nserver.ssl.key-store=classpath:keystore.p12\nserver.ssl.key-store-password=${KEYSTORE_PASSWORD}\nmanagement.endpoints.web.exposure.include=health,info\n",
        "LOG_LEVEL=info\nREGION=ap-southeast-1\nAPI_BASE_URL=https://api.internal.example/v2\nFEATURE_FLAGS=rates,statements\nTIMEOUT_MS=1500\n",
        "resilience4j:\n  circuitbreaker:\n    instances:\n      rates:\n        slidingWindowSize: 20\n        failureRateThreshold: 50\n",
        "cache:\n  redis:\n    host: redis.internal\n    port: 6379\n    password: ${REDIS_PASSWORD}\n    ttl: 300\n",
        "smtp_password = \"correct-horse-battery\"\n",
    ];
    let mut s = String::with_capacity(target + 1024);
    let mut i = 0;
    while s.len() < target {
        // An inline password is rare: 1 in 50.
        let b = if i % 50 == 49 {
            blocks[5]
        } else {
            blocks[i % 5]
        };
        s.push_str(b);
        i += 1;
    }
    s
}

/// One skill over one file: MB/s and ms per call (median of 15 calls after
/// a warm-up call) and the number of findings.
fn measure(
    guard: &Guard,
    skill: &kiro_guard::runtime::LoadedSkill,
    path: &str,
    text: &str,
) -> (f64, f64, usize) {
    let input = kiro_guard_contract::Input::File(Document::new(path, text.to_string()));
    let lines = text.lines().count();
    // Warm up (first call pays regex compilation inside the instance).
    let _ = guard.runtime.analyze(skill, &input, "{}", Some(lines));
    // Median of 15 calls: this machine's neighbours make single runs noisy.
    let runs = 15;
    let mut findings = 0;
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            findings = guard
                .runtime
                .analyze(skill, &input, "{}", Some(lines))
                .map(|f| f.len())
                .unwrap_or(0);
            start.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    let secs = times[runs / 2];
    (text.len() as f64 / 1e6 / secs, secs * 1e3, findings)
}

fn main() {
    let cache = AotCache::new(Some(std::env::temp_dir().join("kiro-guard-bench-cache")));
    let runtime = Runtime::new(
        Limits {
            fuel_base: 50_000_000_000,
            ..Limits::default()
        },
        cache,
    )
    .expect("runtime");
    let external: Vec<std::path::PathBuf> = std::env::var("KIRO_GUARD_BENCH_SKILLS")
        .map(|v| v.split(',').map(Into::into).collect())
        .unwrap_or_default();
    let mut guard = if external.is_empty() {
        Guard::new(runtime, Default::default(), &SkillSelection::default()).expect("skills")
    } else {
        let config = kiro_guard::config::Config {
            enabled_skills: Some(vec![]),
            ..Default::default()
        };
        Guard::new(runtime, config, &SkillSelection::default()).expect("runtime")
    };
    for path in &external {
        let bytes = std::fs::read(path).expect("read skill");
        let skill = guard
            .runtime
            .load(
                &bytes,
                kiro_guard::runtime::SkillSource::External(path.clone()),
            )
            .expect("load skill");
        guard.skills.push(skill);
    }
    let text = typical_source(1 << 20);
    let mb = text.len() as f64 / 1e6;
    println!("input: {:.2} MB of typical source", mb);
    for skill in &guard.skills {
        let (speed, ms, findings) = measure(&guard, skill, "src/service.py", &text);
        println!(
            "{:<24} {:>8.1} MB/s  ({ms:.1} ms per MiB, {findings} findings)",
            skill.info.name, speed
        );
    }
    // Credential scanning alone: configuration text goes through
    // banking-code-review's secret rules, not its code analysis.
    let config = typical_config(1 << 20);
    if let Some(banking) = guard
        .skills
        .iter()
        .find(|s| s.info.name == "banking-code-review")
    {
        let (speed, ms, findings) = measure(&guard, banking, "config/application.yaml", &config);
        println!(
            "{:<24} {:>8.1} MB/s  ({ms:.1} ms per MiB, {findings} findings; 1 MiB of YAML/.env/properties configuration: the credential rules alone)",
            "banking credentials", speed
        );
    }
    let items = vec![Item::file(Document::new("src/service.py", text.clone()))];
    let start = Instant::now();
    let report = guard.analyze_all(items);
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{:<24} {:>8.1} MB/s  (all skills, one item, {} findings)",
        "all",
        mb / secs,
        report.findings.len()
    );
}
