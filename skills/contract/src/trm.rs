//! The MAS Technology Risk Management Guidelines (January 2021): one table
//! of sub-section titles and one ordering of section ids, for the skills'
//! references and every report that lists TRM sections.

/// MAS TRM (January 2021) sub-section titles, in the Guidelines' order.
pub const TITLES: &[(&str, &str)] = &[
    (
        "3.1",
        "Role of the Board of Directors and Senior Management",
    ),
    ("3.2", "Policies, Standards and Procedures"),
    ("3.3", "Management of Information Assets"),
    ("3.4", "Management of Third Party Services"),
    ("3.5", "Competency and Background Review"),
    ("3.6", "Security Awareness and Training"),
    ("4.1", "Risk Management Framework"),
    ("4.2", "Risk Identification"),
    ("4.3", "Risk Assessment"),
    ("4.4", "Risk Treatment"),
    ("4.5", "Risk Monitoring, Review and Reporting"),
    ("5.1", "Project Management Framework"),
    ("5.2", "Project Steering Committee"),
    ("5.3", "System Acquisition"),
    (
        "5.4",
        "System Development Life Cycle and Security-by-Design",
    ),
    ("5.5", "System Requirements Analysis"),
    ("5.6", "System Design and Implementation"),
    ("5.7", "System Testing and Acceptance"),
    ("5.8", "Quality Management"),
    (
        "6.1",
        "Secure Coding, Source Code Review and Application Security Testing",
    ),
    ("6.2", "Agile Software Development"),
    ("6.3", "DevSecOps Management"),
    ("6.4", "Application Programming Interface Development"),
    ("6.5", "Management of End User Computing and Applications"),
    ("7.1", "IT Service Management Framework"),
    ("7.2", "Configuration Management"),
    ("7.3", "Technology Refresh Management"),
    ("7.4", "Patch Management"),
    ("7.5", "Change Management"),
    ("7.6", "Software Release Management"),
    ("7.7", "Incident Management"),
    ("7.8", "Problem Management"),
    ("8.1", "System Availability"),
    ("8.2", "System Recoverability"),
    ("8.3", "Testing of Disaster Recovery Plan"),
    ("8.4", "System Backup and Recovery"),
    ("8.5", "Data Centre Resilience"),
    ("9.1", "User Access Management"),
    ("9.2", "Privileged Access Management"),
    ("9.3", "Remote Access Management"),
    ("10.1", "Cryptographic Algorithm and Protocol"),
    ("10.2", "Cryptographic Key Management"),
    ("11.1", "Data Security"),
    ("11.2", "Network Security"),
    ("11.3", "System Security"),
    ("11.4", "Virtualisation Security"),
    ("11.5", "Internet of Things"),
    ("12.1", "Cyber Threat Intelligence and Information Sharing"),
    ("12.2", "Cyber Event Monitoring and Detection"),
    ("12.3", "Cyber Incident Response and Management"),
    ("13.1", "Vulnerability Assessment"),
    ("13.2", "Penetration Testing"),
    ("13.3", "Cyber Exercises"),
    ("13.4", "Adversarial Attack Simulation Exercise"),
    ("13.5", "Intelligence-Based Scenario Design"),
    ("13.6", "Remediation Management"),
    ("14.1", "Security of Online Financial Services"),
    ("14.2", "Customer Authentication and Transaction Signing"),
    ("14.3", "Fraud Monitoring"),
    ("14.4", "Customer Education and Communication"),
    ("15.1", "Audit Function"),
];

/// Title of a TRM sub-section; a paragraph id (`11.1.3`) gets its
/// sub-section's title.
pub fn title(id: &str) -> &'static str {
    let sub: String = id.split('.').take(2).collect::<Vec<_>>().join(".");
    TITLES
        .iter()
        .find(|(i, _)| *i == id || *i == sub)
        .map(|(_, t)| *t)
        .unwrap_or("")
}

/// Sort key of a TRM section id in the Guidelines' order: numerically by
/// part (`9.2` before `10.1`, `11.1` before `11.1.3`); a part that is not a
/// number sorts after every numbered one.
pub fn order_key(id: &str) -> Vec<u32> {
    id.split('.')
        .map(|p| p.parse().unwrap_or(u32::MAX))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_order_of_sections() {
        let mut ids = vec!["11.1.3", "9.2", "10.1", "11.1", "3.3"];
        ids.sort_by_key(|id| order_key(id));
        assert_eq!(ids, ["3.3", "9.2", "10.1", "11.1", "11.1.3"]);
    }

    #[test]
    fn the_table_is_in_order() {
        let keys: Vec<Vec<u32>> = TITLES.iter().map(|(id, _)| order_key(id)).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
    }
}
