//! References usable in `const` rule tables, and the reference catalogue
//! cited at sub-section level. MAS TRM titles come from [`crate::trm`].

use crate::trm::TITLES;
use crate::types::Reference;

/// A reference usable in `const` rule tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ref {
    /// The framework ("MAS TRM", "PDPA", "PCI DSS", "CWE", ...).
    pub framework: &'static str,
    /// The section or requirement within the framework ("6.1", "s24").
    pub id: &'static str,
    /// The section's title.
    pub title: &'static str,
}

impl Ref {
    /// The contract's owned [`Reference`] with the same fields.
    pub fn to_reference(&self) -> Reference {
        Reference {
            framework: self.framework.to_string(),
            id: self.id.to_string(),
            title: self.title.to_string(),
        }
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

/// The reference to a MAS TRM sub-section, with its title from
/// [`crate::trm::TITLES`]
/// (a `const fn`: an unknown id fails to compile in a `const`).
pub const fn trm(id: &'static str) -> Ref {
    let mut i = 0;
    while i < TITLES.len() {
        if str_eq(TITLES[i].0, id) {
            return Ref {
                framework: "MAS TRM",
                id: TITLES[i].0,
                title: TITLES[i].1,
            };
        }
        i += 1;
    }
    panic!("not a MAS TRM sub-section in the table")
}

const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// MAS TRM 3.3: Management of Information Assets.
pub const TRM_3_3: Ref = trm("3.3");
/// MAS TRM 3.4: Management of Third Party Services.
pub const TRM_3_4: Ref = trm("3.4");
/// MAS TRM 5.3: System Acquisition.
pub const TRM_5_3: Ref = trm("5.3");
/// MAS TRM 6.1: Secure Coding, Source Code Review and Application Security Testing.
pub const TRM_6_1: Ref = trm("6.1");
/// MAS TRM 6.3: DevSecOps Management.
pub const TRM_6_3: Ref = trm("6.3");
/// MAS TRM 6.4: Application Programming Interface Development.
pub const TRM_6_4: Ref = trm("6.4");
/// MAS TRM 7.5: Change Management.
pub const TRM_7_5: Ref = trm("7.5");
/// MAS TRM 7.6: Software Release Management.
pub const TRM_7_6: Ref = trm("7.6");
/// MAS TRM 8.4: System Backup and Recovery.
pub const TRM_8_4: Ref = trm("8.4");
/// MAS TRM 9.1: User Access Management.
pub const TRM_9_1: Ref = trm("9.1");
/// MAS TRM 9.2: Privileged Access Management.
pub const TRM_9_2: Ref = trm("9.2");
/// MAS TRM 10.1: Cryptographic Algorithm and Protocol.
pub const TRM_10_1: Ref = trm("10.1");
/// MAS TRM 10.2: Cryptographic Key Management.
pub const TRM_10_2: Ref = trm("10.2");
/// MAS TRM 11.1: Data Security.
pub const TRM_11_1: Ref = trm("11.1");
/// MAS TRM 11.2: Network Security.
pub const TRM_11_2: Ref = trm("11.2");
/// MAS TRM 11.3: System Security.
pub const TRM_11_3: Ref = trm("11.3");
/// MAS TRM 12.2: Cyber Event Monitoring and Detection.
pub const TRM_12_2: Ref = trm("12.2");
/// MAS TRM 14.1: Security of Online Financial Services.
pub const TRM_14_1: Ref = trm("14.1");
/// MAS TRM 15.1: Audit Function.
pub const TRM_15_1: Ref = trm("15.1");

/// PDPA section 24: Protection of personal data.
pub const PDPA_S24: Ref = pdpa("s24", "Protection of personal data");
/// PDPA section 25: Retention limitation.
pub const PDPA_S25: Ref = pdpa("s25", "Retention limitation");
/// PDPA section 26: Transfer limitation.
pub const PDPA_S26: Ref = pdpa("s26", "Transfer limitation");
/// The PDPC Advisory Guidelines on the PDPA for NRIC and other national
/// identification numbers.
pub const NRIC_GUIDELINES: Ref = Ref {
    framework: "PDPC Advisory Guidelines",
    id: "NRIC",
    title: "Advisory Guidelines on the PDPA for NRIC and other National Identification Numbers",
};

/// PCI DSS requirement 3.2.1: Account data storage is kept to a minimum.
pub const PCI_3_2_1: Ref = pci("3.2.1", "Account data storage is kept to a minimum");
/// PCI DSS requirement 3.4.1: PAN is masked when displayed.
pub const PCI_3_4_1: Ref = pci("3.4.1", "PAN is masked when displayed");
/// PCI DSS requirement 3.5.1: PAN is rendered unreadable anywhere it is stored.
pub const PCI_3_5_1: Ref = pci("3.5.1", "PAN is rendered unreadable anywhere it is stored");
/// PCI DSS requirement 3.6.1: Cryptographic keys are protected.
pub const PCI_3_6_1: Ref = pci("3.6.1", "Cryptographic keys are protected");
/// PCI DSS requirement 4.2.1: Strong cryptography protects PAN during transmission.
pub const PCI_4_2_1: Ref = pci(
    "4.2.1",
    "Strong cryptography protects PAN during transmission",
);
/// PCI DSS requirement 6.2.4: Software engineering techniques prevent common attacks.
pub const PCI_6_2_4: Ref = pci(
    "6.2.4",
    "Software engineering techniques prevent common attacks",
);
/// PCI DSS requirement 8.3.2: Authentication factors are unreadable in transit and at rest.
pub const PCI_8_3_2: Ref = pci(
    "8.3.2",
    "Authentication factors are unreadable in transit and at rest",
);
/// PCI DSS requirement 8.6.2: No hard-coded passwords for system and application accounts.
pub const PCI_8_6_2: Ref = pci(
    "8.6.2",
    "No hard-coded passwords for system and application accounts",
);
/// PCI DSS requirement 10.3.2: Audit log files are protected from modification.
pub const PCI_10_3_2: Ref = pci("10.3.2", "Audit log files are protected from modification");

/// MAS Notice FSM-N06 (Cyber Hygiene) paragraph 4.1: administrative accounts.
pub const CYBER_HYGIENE_4_1: Ref = Ref {
    framework: "MAS Notice FSM-N06",
    id: "4.1",
    title: "Cyber Hygiene: Administrative Accounts",
};
/// MAS Notice FSM-N06 (Cyber Hygiene) paragraph 4.3: security standards.
pub const CYBER_HYGIENE_4_3: Ref = Ref {
    framework: "MAS Notice FSM-N06",
    id: "4.3",
    title: "Cyber Hygiene: Security Standards",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_take_their_titles_from_the_table() {
        let r = trm("6.1");
        assert_eq!(r.framework, "MAS TRM");
        assert_eq!(
            r.title,
            "Secure Coding, Source Code Review and Application Security Testing"
        );
        assert_eq!(trm("15.1").title, crate::trm::title("15.1"));
    }
}
