#![no_main]
//! mas-compliance-review natively (public API only): no panic, spans inside
//! the input.
use kiro_guard_skill::Skill;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let skill = mas_compliance_review::MasComplianceReview::new();
    kiro_guard_fuzz::run_skill(&skill, data, &|_| false);
});
