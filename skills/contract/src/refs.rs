//! References usable in `const` rule tables, and the reference catalogue
//! cited at sub-section level. MAS TRM titles come from [`crate::trm`].

use crate::trm::TITLES;
use crate::types::Reference;

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

pub const TRM_3_3: Ref = trm("3.3");
pub const TRM_3_4: Ref = trm("3.4");
pub const TRM_5_3: Ref = trm("5.3");
pub const TRM_6_1: Ref = trm("6.1");
pub const TRM_6_3: Ref = trm("6.3");
pub const TRM_6_4: Ref = trm("6.4");
pub const TRM_7_5: Ref = trm("7.5");
pub const TRM_7_6: Ref = trm("7.6");
pub const TRM_8_4: Ref = trm("8.4");
pub const TRM_9_1: Ref = trm("9.1");
pub const TRM_9_2: Ref = trm("9.2");
pub const TRM_10_1: Ref = trm("10.1");
pub const TRM_10_2: Ref = trm("10.2");
pub const TRM_11_1: Ref = trm("11.1");
pub const TRM_11_2: Ref = trm("11.2");
pub const TRM_11_3: Ref = trm("11.3");
pub const TRM_12_2: Ref = trm("12.2");
pub const TRM_14_1: Ref = trm("14.1");
pub const TRM_15_1: Ref = trm("15.1");

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
