//! The rule catalogue: one [`Rule`] per kind of personal data, each with
//! its true-positive samples and hard negatives (checked by
//! `every_rule_sample_holds` in the unit tests).
//!
//! References (from the catalogue in `kiro_guard_contract::refs`):
//! personal data outside a controlled store is PDPA s24 / MAS TRM 11.1;
//! NRIC/FIN and passports add the PDPC NRIC Advisory Guidelines; card numbers
//! add PCI DSS 3.5.1 (unreadable when stored), 3.4.1 (masked when displayed)
//! and 3.2.1 (minimise storage). PDPA s25 (retention) is added per finding
//! when the input is a log file (see `scan::extra_references`).

use kiro_guard_skill::Severity;
use kiro_guard_skill::rule::{Rule, refs};

pub const NRIC_FIN: Rule = Rule {
    id: "nric-fin",
    title: "Singapore NRIC/FIN number (checksum-valid)",
    severity: Severity::Block,
    languages: &["any"],
    references: &[refs::NRIC_GUIDELINES, refs::PDPA_S24, refs::TRM_11_1],
    remediation: "Do not hard-code, log or prompt with NRIC/FIN numbers. Load them from the protected data store only where the law or high-fidelity identity verification requires it; display and log the partial form (S****567D, e.g. mask_nric); in tests use a synthetic generator that produces invalid check letters.",
    samples: &[
        "nric = \"T1234567J\"",
        "FIN: G1234567X,",
        "S1234567D",
        "@src/customers.py\ncustomer = {\"nric\": \"S9812381D\"}\n",
        "customer nric: s 1234567 d",
        "@app.js\nconst nric = \"S123\".concat(\"4567D\");\n",
        "@app.js\nconst nric = ['S','1','2','3','4','5','6','7','D'].join('');\n",
        "@app.py\nnric = ''.join(['S123', '4567D'])\n",
    ],
    negatives: &[
        "XS1234567D",
        "S1234567D9",
        "T1234567Z",
        "x s 1234567 d y",
        "@app.js\nconst label = \"Sec\".concat(\"tion\");\n",
        "@app.js\nconst s = ['a','b'].join('');\n",
        "@app.py\nlabel = ', '.join(['S123', '4567D'])\n",
    ],
};

pub const NRIC_FIN_INVALID: Rule = Rule {
    id: "nric-fin-invalid-checksum",
    title: "NRIC/FIN-shaped value that fails the checksum, next to an NRIC/FIN label",
    severity: Severity::Info,
    languages: &["any"],
    references: &[refs::NRIC_GUIDELINES],
    remediation: "Nothing to remove: the check letter is wrong, so this is not a real NRIC/FIN. If it is test data, keep generating it with an invalid checksum; if it was meant to be real, it is mistyped and must not be stored in code.",
    samples: &["NRIC: T1234567Z", "fin=G1122144L"],
    negatives: &["T1234567Z", "final T1234567Z", "NRIC: S1234567D"],
};

pub const UEN: Rule = Rule {
    id: "uen",
    title: "Singapore UEN (business registration number, checksum-valid)",
    severity: Severity::Warn,
    languages: &["any"],
    references: &[refs::PDPA_S24, refs::TRM_11_1],
    remediation: "A UEN identifies a business, which for a sole proprietor is a person. Load customer UENs from the data store instead of hard-coding them, and use synthetic UENs with invalid check letters in tests.",
    samples: &["UEN 53333127K", "company: 201608355W.", "T09SS0032E"],
    negatives: &["53333127A", "T09ZZ0032E", "a53333127K"],
};

pub const SG_PASSPORT: Rule = Rule {
    id: "sg-passport",
    title: "Singapore passport number",
    severity: Severity::Block,
    languages: &["any"],
    references: &[refs::NRIC_GUIDELINES, refs::PDPA_S24, refs::TRM_11_1],
    remediation: "Passport numbers are national identification numbers under the PDPC guidelines. Keep them in the protected data store, mask them (E****567F) in logs and UIs, and use obviously synthetic values in tests.",
    samples: &["passport no: E1234567F", "K7654321A"],
    negatives: &["e1234567f", "XE1234567F", "E12345678F"],
};

pub const PAYMENT_CARD: Rule = Rule {
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
    samples: &[
        "4111 1111 1111 1111",
        "\"cardNumber\": \"4111111111111111\"",
        "@app.py\ncard_b64 = \"NDExMTExMTExMTExMTExMQ==\"\n",
        "card 4111 11 11 1111 1111",
    ],
    negatives: &[
        "4111111111111112",
        "order_id=4111111111111111",
        "v1.4111.1111.1111.1111",
        "@app.py\ncard_b64 = \"NDExMTExMTExMTExMTExMg==\"\n",
        "order 4111 11 11 1111 1111",
        "version 4111 11 11 1111 1112",
    ],
};

pub const BANK_ACCOUNT: Rule = Rule {
    id: "bank-account",
    title: "Bank account number",
    severity: Severity::Block,
    languages: &["any"],
    references: &[refs::PDPA_S24, refs::TRM_11_1],
    remediation: "Load account numbers from the core-banking data store or use a token/reference id; show only the last 4 digits in logs and messages; generate synthetic account numbers in tests.",
    samples: &["account: 1234567890", "DBS savings account 012-345678-9"],
    negatives: &[
        "1234567890",
        "created_at = 1696800000",
        "subaccount 1234567890",
    ],
};

pub const SG_PHONE: Rule = Rule {
    id: "sg-phone",
    title: "Singapore phone number",
    severity: Severity::Warn,
    languages: &["any"],
    references: &[refs::PDPA_S24, refs::TRM_11_1],
    remediation: "Keep customer phone numbers in the data store and refer to them by customer id; mask to the last 4 digits in logs (mask_digits_keep_last); use clearly fake numbers in tests. Bank hotlines in UI copy can be allow-listed.",
    samples: &[
        "+65 9123 4567",
        "call 9123 4567 now",
        "@app.py\nphone = 91234567\n",
    ],
    negatives: &[
        "+65 1234 5678",
        "ref 591234567",
        "@app.py\nBUF = 33554432\n",
    ],
};

pub const SG_POSTAL: Rule = Rule {
    id: "sg-postal-code",
    title: "Singapore postal code in an address",
    severity: Severity::Warn,
    languages: &["any"],
    references: &[refs::PDPA_S24, refs::TRM_11_1],
    remediation: "A postal code often pins down a single residence. Do not hard-code or log customer addresses; load them from the data store and log only the sector (first two digits) if needed.",
    samples: &["1 Raffles Place, Singapore 048616", "Singapore 238801"],
    negatives: &["Singapore 2388011", "Singapore 839999"],
};

pub const EMAIL: Rule = Rule {
    id: "email",
    title: "Email address",
    severity: Severity::Warn,
    languages: &["any"],
    references: &[refs::PDPA_S24, refs::TRM_11_1],
    remediation: "Do not hard-code or log personal email addresses; load them from the data store and mask them (j***@domain) in logs. Use example.com / .test addresses in tests and docs; allow-list team mailboxes with the `allow_email_domains` setting.",
    samples: &["<Jane_Lim@gmail.com>", "a.b+tag@bank.com.sg"],
    negatives: &[
        "user@localhost",
        "icon@2x.png",
        "lodash@4.17.21",
        "contact john.tan@example.com today",
    ],
};

pub const DATE_OF_BIRTH: Rule = Rule {
    id: "date-of-birth",
    title: "Date of birth",
    severity: Severity::Warn,
    languages: &["any"],
    references: &[refs::PDPA_S24, refs::TRM_11_1],
    remediation: "A date of birth combined with a name or id identifies a person. Load it from the data store, log at most the year, and use generated dates in tests.",
    samples: &["dob: 1985-03-14", "Born on March 14, 1985"],
    negatives: &[
        "created: 1985-03-14",
        "dob: 1985-13-14",
        "dob_verified_at: 2024-01-01",
    ],
};

pub const SWIFT_BIC: Rule = Rule {
    id: "swift-bic",
    title: "SWIFT/BIC code in payment data",
    severity: Severity::Info,
    languages: &["any"],
    references: &[refs::TRM_11_1],
    remediation: "Routing data is not personal data on its own, but next to an account number it is part of a payment instruction. Keep beneficiary details in the payment system, not in code or logs.",
    samples: &["SWIFT: DBSSSGSG", "BIC=UOVBSGSG"],
    negatives: &["DBSSSGSG", "bicycle DBSSSGSG", "BIC: DBSSZZSG"],
};

pub const IBAN: Rule = Rule {
    id: "iban",
    title: "IBAN in payment data",
    severity: Severity::Info,
    languages: &["any"],
    references: &[refs::TRM_11_1, refs::PDPA_S24],
    remediation: "An IBAN embeds an account number. Keep beneficiary details in the payment system, reference them by id, and mask all but the country code and last 4 characters in logs.",
    samples: &[
        "IBAN: GB82 WEST 1234 5698 7654 32",
        "iban=DE89370400440532013000;",
    ],
    negatives: &[
        "IBAN: GB82 WEST 1234 5698 7654 33",
        "GB82WEST12345698765432",
    ],
};

/// Every rule, in catalogue order.
pub const RULES: &[Rule] = &[
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
