//! Static rule definitions and the regulatory reference catalogue.
//!
//! A skill declares its rules as `const`/`static` [`RuleDef`]s; the SDK turns
//! them into the WIT catalogue ([`RuleInfo`]) and into findings.

use crate::types::{Finding, Reference, RuleInfo, Severity, Span};

/// A reference usable in `const` rule tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ref {
    pub framework: &'static str,
    pub id: &'static str,
    pub title: &'static str,
}

impl Ref {
    pub fn to_reference(&self) -> Reference {
        Reference {
            framework: self.framework.to_string(),
            id: self.id.to_string(),
            title: self.title.to_string(),
        }
    }
}

/// A rule declared as static data.
#[derive(Debug, Clone, Copy)]
pub struct RuleDef {
    /// Stable kebab-case id, unique within the skill.
    pub id: &'static str,
    pub title: &'static str,
    pub severity: Severity,
    /// Languages or input kinds ("python", "shell", "mcp-config", "any", ...).
    pub languages: &'static [&'static str],
    pub references: &'static [Ref],
    /// What to do instead.
    pub remediation: &'static str,
}

impl RuleDef {
    /// The catalogue entry for this rule.
    pub fn info(&self) -> RuleInfo {
        RuleInfo {
            id: self.id.to_string(),
            title: self.title.to_string(),
            default_severity: self.severity,
            languages: self.languages.iter().map(|s| s.to_string()).collect(),
            references: self.references.iter().map(Ref::to_reference).collect(),
            remediation: self.remediation.to_string(),
        }
    }

    /// A finding of this rule at its default severity.
    pub fn finding(
        &self,
        span: Span,
        message: impl Into<String>,
        evidence: impl Into<String>,
    ) -> Finding {
        self.finding_with(self.severity, span, message, evidence)
    }

    /// A finding of this rule at an explicit severity.
    pub fn finding_with(
        &self,
        severity: Severity,
        span: Span,
        message: impl Into<String>,
        evidence: impl Into<String>,
    ) -> Finding {
        Finding {
            rule_id: self.id.to_string(),
            severity,
            message: message.into(),
            span,
            evidence: evidence.into(),
            references: self.references.iter().map(Ref::to_reference).collect(),
            remediation: self.remediation.to_string(),
        }
    }
}

/// Reference constants, cited at sub-section level as
/// `../shared/reference/regulatory-references.md` recommends.
pub mod refs {
    use super::Ref;

    const fn trm(id: &'static str, title: &'static str) -> Ref {
        Ref {
            framework: "MAS TRM",
            id,
            title,
        }
    }
    const fn pdpa(id: &'static str, title: &'static str) -> Ref {
        Ref {
            framework: "PDPA",
            id,
            title,
        }
    }
    const fn pci(id: &'static str, title: &'static str) -> Ref {
        Ref {
            framework: "PCI DSS",
            id,
            title,
        }
    }

    pub const TRM_3_3: Ref = trm("3.3", "Management of Information Assets");
    pub const TRM_3_4: Ref = trm("3.4", "Management of Third Party Services");
    pub const TRM_5_3: Ref = trm("5.3", "System Acquisition");
    pub const TRM_6_1: Ref = trm(
        "6.1",
        "Secure Coding, Source Code Review and Application Security Testing",
    );
    pub const TRM_6_3: Ref = trm("6.3", "DevSecOps Management");
    pub const TRM_6_4: Ref = trm("6.4", "Application Programming Interface Development");
    pub const TRM_7_5: Ref = trm("7.5", "Change Management");
    pub const TRM_7_6: Ref = trm("7.6", "Software Release Management");
    pub const TRM_8_4: Ref = trm("8.4", "System Backup and Recovery");
    pub const TRM_9_1: Ref = trm("9.1", "User Access Management");
    pub const TRM_9_2: Ref = trm("9.2", "Privileged Access Management");
    pub const TRM_10_1: Ref = trm("10.1", "Cryptographic Algorithm and Protocol");
    pub const TRM_10_2: Ref = trm("10.2", "Cryptographic Key Management");
    pub const TRM_11_1: Ref = trm("11.1", "Data Security");
    pub const TRM_11_2: Ref = trm("11.2", "Network Security");
    pub const TRM_11_3: Ref = trm("11.3", "System Security");
    pub const TRM_12_2: Ref = trm("12.2", "Cyber Event Monitoring and Detection");
    pub const TRM_14_1: Ref = trm("14.1", "Security of Online Financial Services");
    pub const TRM_15_1: Ref = trm("15.1", "Audit Function");

    pub const PDPA_S24: Ref = pdpa("s24", "Protection of personal data");
    pub const PDPA_S25: Ref = pdpa("s25", "Retention limitation");
    pub const PDPA_S26: Ref = pdpa("s26", "Transfer limitation");
    pub const NRIC_GUIDELINES: Ref = Ref {
        framework: "PDPC Advisory Guidelines",
        id: "NRIC",
        title: "Advisory Guidelines on the PDPA for NRIC and other National Identification Numbers",
    };

    pub const PCI_3_2_1: Ref = pci("3.2.1", "Account data storage is kept to a minimum");
    pub const PCI_3_4_1: Ref = pci("3.4.1", "PAN is masked when displayed");
    pub const PCI_3_5_1: Ref = pci("3.5.1", "PAN is rendered unreadable anywhere it is stored");
    pub const PCI_3_6_1: Ref = pci("3.6.1", "Cryptographic keys are protected");
    pub const PCI_4_2_1: Ref = pci(
        "4.2.1",
        "Strong cryptography protects PAN during transmission",
    );
    pub const PCI_6_2_4: Ref = pci(
        "6.2.4",
        "Software engineering techniques prevent common attacks",
    );
    pub const PCI_8_3_2: Ref = pci(
        "8.3.2",
        "Authentication factors are unreadable in transit and at rest",
    );
    pub const PCI_8_6_2: Ref = pci(
        "8.6.2",
        "No hard-coded passwords for system and application accounts",
    );
    pub const PCI_10_3_2: Ref = pci("10.3.2", "Audit log files are protected from modification");

    pub const CYBER_HYGIENE_4_1: Ref = Ref {
        framework: "MAS Notice FSM-N06",
        id: "4.1",
        title: "Cyber Hygiene: Administrative Accounts",
    };
    pub const CYBER_HYGIENE_4_3: Ref = Ref {
        framework: "MAS Notice FSM-N06",
        id: "4.3",
        title: "Cyber Hygiene: Security Standards",
    };
}
