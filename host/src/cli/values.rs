//! Command-line names (and help) of the library's enums.

use crate::audit::export::ExportFormat;
use crate::hook::payload::Dialect;
use crate::init::HookShell;
use crate::output::{Format, ReportFormat};
use clap::builder::PossibleValue;

/// `impl clap::ValueEnum` for a library enum: each variant with its name on
/// the command line and, optionally, its help.
macro_rules! value_enum {
    ($ty:ty { $($variant:ident => $name:literal $(: $help:literal)?),+ $(,)? }) => {
        impl clap::ValueEnum for $ty {
            fn value_variants<'a>() -> &'a [Self] {
                &[$(<$ty>::$variant),+]
            }
            fn to_possible_value(&self) -> Option<PossibleValue> {
                Some(match self {
                    $(<$ty>::$variant => PossibleValue::new($name)$(.help($help))?,)+
                })
            }
        }
    };
}

value_enum!(Format {
    Text => "text",
    Json => "json",
    Sarif => "sarif",
    Gitlab => "gitlab": "GitLab's SAST security report (gl-sast-report.json)",
});

value_enum!(ReportFormat {
    Markdown => "markdown",
    Json => "json",
    Html => "html",
});

value_enum!(HookShell {
    Posix => "posix": "`sh -c` / `bash -c` (Linux, macOS, Git Bash on Windows)",
    Cmd => "cmd": "`cmd /C` (Kiro on Windows)",
    Powershell => "powershell": "PowerShell (Claude Code hooks with `\"shell\": \"powershell\"`)",
});

value_enum!(ExportFormat {
    Flat => "flat": "Every audit line as written, with `\"log_file\"` in front (Splunk, Elastic)",
    Ocsf => "ocsf": "OCSF 1.1.0 Detection Finding events, one per decision (AWS Security Lake)",
});

value_enum!(Dialect {
    KiroV1 => "kiro-v1": "Kiro v1 hook files (`.kiro/hooks/*.json`; IDE 1.x, CLI v3): PascalCase events",
    KiroCli => "kiro-cli": "Kiro CLI 2.x agent-config hooks: camelCase events",
    KiroIdeLegacy => "kiro-ide-legacy": "Legacy Kiro IDE `.kiro.hook` (context in `USER_PROMPT`, stdin never closed)",
    Claude => "claude": "Claude Code hooks",
});

/// A parser that accepts only some report formats (`report compliance` has
/// no HTML form).
pub fn report_formats(
    allowed: &'static [&'static str],
) -> impl clap::builder::TypedValueParser<Value = ReportFormat> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(allowed).map(|s: String| {
        <ReportFormat as clap::ValueEnum>::from_str(&s, false)
            .expect("every allowed name is a report format")
    })
}
