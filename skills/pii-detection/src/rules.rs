//! The rule catalogue: one [`RuleDef`] per kind of personal data.
//!
//! References follow `../shared/reference/regulatory-references.md` §5:
//! personal data outside a controlled store is PDPA s24 / MAS TRM 11.1;
//! NRIC/FIN and passports add the PDPC NRIC Advisory Guidelines; card numbers
//! add PCI DSS 3.5.1 (unreadable when stored), 3.4.1 (masked when displayed)
//! and 3.2.1 (minimise storage). PDPA s25 (retention) is added per finding
//! when the input is a log file (see `scan::extra_references`).

use kiro_guard_skill::Severity;
use kiro_guard_skill::rule::{RuleDef, refs};

pub const NRIC_FIN: RuleDef = RuleDef {
    id: "nric-fin",
    title: "Singapore NRIC/FIN number (checksum-valid)",
    severity: Severity::Block,
    languages: &["any"],
    references: &[refs::NRIC_GUIDELINES, refs::PDPA_S24, refs::TRM_11_1],
    remediation: "Do not hard-code, log or prompt with NRIC/FIN numbers. Load them from the protected data store only where the law or high-fidelity identity verification requires it; display and log the partial form (S****567D, e.g. mask_nric); in tests use a synthetic generator that produces invalid check letters.",
};

pub const NRIC_FIN_INVALID: RuleDef = RuleDef {
    id: "nric-fin-invalid-checksum",
    title: "NRIC/FIN-shaped value that fails the checksum, next to an NRIC/FIN label",
    severity: Severity::Info,
    languages: &["any"],
    references: &[refs::NRIC_GUIDELINES],
    remediation: "Nothing to remove: the check letter is wrong, so this is not a real NRIC/FIN. If it is test data, keep generating it with an invalid checksum; if it was meant to be real, it is mistyped and must not be stored in code.",
};

pub const UEN: RuleDef = RuleDef {
    id: "uen",
    title: "Singapore UEN (business registration number, checksum-valid)",
    severity: Severity::Warn,
    languages: &["any"],
    references: &[refs::PDPA_S24, refs::TRM_11_1],
    remediation: "A UEN identifies a business, which for a sole proprietor is a person. Load customer UENs from the data store instead of hard-coding them, and use synthetic UENs with invalid check letters in tests.",
};

pub const SG_PASSPORT: RuleDef = RuleDef {
    id: "sg-passport",
    title: "Singapore passport number",
    severity: Severity::Block,
    languages: &["any"],
    references: &[refs::NRIC_GUIDELINES, refs::PDPA_S24, refs::TRM_11_1],
    remediation: "Passport numbers are national identification numbers under the PDPC guidelines. Keep them in the protected data store, mask them (E****567F) in logs and UIs, and use obviously synthetic values in tests.",
};

pub const PAYMENT_CARD: RuleDef = RuleDef {
    id: "payment-card",
    title: "Payment card number (PAN, Luhn-valid, known brand range)",
    severity: Severity::Block,
    languages: &["any"],
    references: &[
        refs::PCI_3_5_1,
        refs::PCI_3_4_1,
        refs::PCI_3_2_1,
        refs::PDPA_S24,
        refs::TRM_11_1,
    ],
    remediation: "Never store or log a clear-text PAN. Tokenise it through the card vault / payment gateway, keep only the token and the last 4 digits, and display at most BIN + last 4 (mask_card). Use the brands' published test numbers only in test code, behind the test-fixture path.",
};

pub const BANK_ACCOUNT: RuleDef = RuleDef {
    id: "bank-account",
    title: "Bank account number",
    severity: Severity::Block,
    languages: &["any"],
    references: &[refs::PDPA_S24, refs::TRM_11_1],
    remediation: "Load account numbers from the core-banking data store or use a token/reference id; show only the last 4 digits in logs and messages; generate synthetic account numbers in tests.",
};

pub const SG_PHONE: RuleDef = RuleDef {
    id: "sg-phone",
    title: "Singapore phone number",
    severity: Severity::Warn,
    languages: &["any"],
    references: &[refs::PDPA_S24, refs::TRM_11_1],
    remediation: "Keep customer phone numbers in the data store and refer to them by customer id; mask to the last 4 digits in logs (mask_digits_keep_last); use clearly fake numbers in tests. Bank hotlines in UI copy can be allow-listed.",
};

pub const SG_POSTAL: RuleDef = RuleDef {
    id: "sg-postal-code",
    title: "Singapore postal code in an address",
    severity: Severity::Warn,
    languages: &["any"],
    references: &[refs::PDPA_S24, refs::TRM_11_1],
    remediation: "A postal code often pins down a single residence. Do not hard-code or log customer addresses; load them from the data store and log only the sector (first two digits) if needed.",
};

pub const EMAIL: RuleDef = RuleDef {
    id: "email",
    title: "Email address",
    severity: Severity::Warn,
    languages: &["any"],
    references: &[refs::PDPA_S24, refs::TRM_11_1],
    remediation: "Do not hard-code or log personal email addresses; load them from the data store and mask them (j***@domain) in logs. Use example.com / .test addresses in tests and docs; allow-list team mailboxes with the `allow_email_domains` setting.",
};

pub const DATE_OF_BIRTH: RuleDef = RuleDef {
    id: "date-of-birth",
    title: "Date of birth",
    severity: Severity::Warn,
    languages: &["any"],
    references: &[refs::PDPA_S24, refs::TRM_11_1],
    remediation: "A date of birth combined with a name or id identifies a person. Load it from the data store, log at most the year, and use generated dates in tests.",
};

pub const SWIFT_BIC: RuleDef = RuleDef {
    id: "swift-bic",
    title: "SWIFT/BIC code in payment data",
    severity: Severity::Info,
    languages: &["any"],
    references: &[refs::TRM_11_1],
    remediation: "Routing data is not personal data on its own, but next to an account number it is part of a payment instruction. Keep beneficiary details in the payment system, not in code or logs.",
};

pub const IBAN: RuleDef = RuleDef {
    id: "iban",
    title: "IBAN in payment data",
    severity: Severity::Info,
    languages: &["any"],
    references: &[refs::TRM_11_1, refs::PDPA_S24],
    remediation: "An IBAN embeds an account number. Keep beneficiary details in the payment system, reference them by id, and mask all but the country code and last 4 characters in logs.",
};

/// Every rule, in catalogue order.
pub const RULES: &[RuleDef] = &[
    NRIC_FIN,
    NRIC_FIN_INVALID,
    UEN,
    SG_PASSPORT,
    PAYMENT_CARD,
    BANK_ACCOUNT,
    SG_PHONE,
    SG_POSTAL,
    EMAIL,
    DATE_OF_BIRTH,
    SWIFT_BIC,
    IBAN,
];

/// Which rule wins when two findings overlap (lower wins): a card number
/// that also looks like an account number is reported as a card, etc.
pub fn priority(id: &str) -> u8 {
    match id {
        "payment-card" => 0,
        "nric-fin" => 1,
        "sg-passport" => 2,
        "iban" => 3,
        "bank-account" => 4,
        "uen" => 5,
        "email" => 6,
        "sg-phone" => 7,
        "date-of-birth" => 8,
        "sg-postal-code" => 9,
        "swift-bic" => 10,
        _ => 11,
    }
}
