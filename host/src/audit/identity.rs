//! Who and where a record comes from: the OS account, the git user, the
//! host and the repository's name.

use std::path::Path;

/// The operating-system account running this process.
pub fn os_user() -> String {
    #[cfg(unix)]
    {
        unsafe extern "C" {
            // getuid has no preconditions and cannot fail.
            safe fn getuid() -> u32;
        }
        let uid = getuid();
        if let Ok(passwd) = std::fs::read_to_string("/etc/passwd") {
            for line in passwd.lines() {
                let f: Vec<&str> = line.split(':').collect();
                if f.len() > 2 && f[2] == uid.to_string() {
                    return f[0].to_string();
                }
            }
        }
        format!("uid-{uid}")
    }
    #[cfg(not(unix))]
    {
        std::env::var("USERNAME").unwrap_or_else(|_| "unknown".into())
    }
}

pub(crate) fn sanitize_name(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect::<String>()
        .trim_start_matches('.')
        .to_string()
}

/// The repository's display name: its root directory's name.
pub fn repo_name(repo_root: &Path) -> String {
    let abs = std::fs::canonicalize(repo_root).unwrap_or_else(|_| repo_root.to_path_buf());
    abs.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| abs.display().to_string())
}

/// Current user: `KIRO_GUARD_USER`, else git `user.email`, else
/// `user.name`, else `$USER` / `$USERNAME`, else "unknown".
pub fn current_user(repo_root: &Path) -> String {
    if crate::policy::managed() {
        return os_user();
    }
    if let Ok(u) = std::env::var("KIRO_GUARD_USER")
        && !u.trim().is_empty()
    {
        return u.trim().to_string();
    }
    for key in ["user.email", "user.name"] {
        match crate::git::user_config(repo_root, key) {
            Some(Some(v)) if !v.is_empty() => return v,
            Some(_) => continue,
            None => {}
        }
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(repo_root)
            .args(["config", "--get", key])
            .stdin(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .output();
        if let Ok(o) = out {
            let v = String::from_utf8_lossy(&o.stdout).trim().to_string();
            if o.status.success() && !v.is_empty() {
                return v;
            }
        }
    }
    for var in ["USER", "USERNAME", "LOGNAME"] {
        if let Ok(u) = std::env::var(var)
            && !u.trim().is_empty()
        {
            return u.trim().to_string();
        }
    }
    "unknown".into()
}

/// Host name: `/proc/sys/kernel/hostname`, `/etc/hostname`, `$HOSTNAME`,
/// `$COMPUTERNAME`, else "unknown".
pub fn host_name() -> String {
    for f in ["/proc/sys/kernel/hostname", "/etc/hostname"] {
        if let Ok(s) = std::fs::read_to_string(f) {
            let s = s.trim();
            if !s.is_empty() {
                return s.to_string();
            }
        }
    }
    for var in ["HOSTNAME", "COMPUTERNAME"] {
        if let Ok(h) = std::env::var(var)
            && !h.trim().is_empty()
        {
            return h.trim().to_string();
        }
    }
    "unknown".into()
}
