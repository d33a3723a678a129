#![no_main]
//! pii-detection natively on arbitrary text as a file, command, prompt and
//! tool input: no panic, spans inside the input, evidence masked.
use kiro_guard_skill::Skill;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let skill = pii_detection::PiiDetection::new();
    kiro_guard_fuzz::run_skill(&skill, data, &|_| true);
});
