//! Per-skill throughput inside wasm: each built-in skill analyses ~1 MiB of
//! typical source (Python, Java, TypeScript, JSON, YAML mixed, a few PII and
//! secret values) through the real sandbox (fresh store, fuel metering).
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
        let input = kiro_guard_contract::Input::File(Document::new("src/service.py", text.clone()));
        let lines = text.lines().count();
        // Warm up (first call pays regex compilation inside the instance).
        let _ = guard.runtime.analyze(skill, &input, "{}", Some(lines));
        // Median of 15 calls: this machine's neighbours make single runs
        // noisy.
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
        println!(
            "{:<24} {:>8.1} MB/s  ({:.1} ms per MiB, {} findings)",
            skill.info.name,
            mb / secs,
            secs * 1e3,
            findings
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
