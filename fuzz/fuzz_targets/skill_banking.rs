#![no_main]
//! banking-code-review natively: no panic, spans inside the input, credential
//! evidence masked.
use kiro_guard_skill::Skill;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let skill = banking_code_review::BankingCodeReview::new();
    kiro_guard_fuzz::run_skill(&skill, data, &kiro_guard_fuzz::banking_credential_rule);
});
