//! Files a skill judges together with the one it is given: the other `.tf`
//! files of a Terraform module (a bucket's encryption, public-access block
//! or TLS policy often lives in a sibling file). The host reads them, since
//! skills have no file-system access, and passes their text in the
//! `mas-compliance-review` settings as `terraform_module_files`.

use std::path::Path;

/// At most this many sibling files are read...
const MAX_FILES: usize = 64;
/// ...each up to this size (larger ones are skipped).
const MAX_FILE_BYTES: u64 = 512 * 1024;

/// The settings JSON for `path`, with the texts of the other `.tf` files in
/// its directory added as `terraform_module_files`, unless `settings`
/// already names them or `path` is not a Terraform file. Unreadable
/// siblings are skipped; only regular files are read (never a FIFO or a
/// device).
pub fn with_terraform_siblings(settings: &str, path: &str) -> Option<String> {
    if !path.ends_with(".tf") {
        return None;
    }
    let siblings = terraform_siblings(Path::new(path));
    if siblings.is_empty() {
        return None;
    }
    let mut value: serde_json::Value = if settings.trim().is_empty() {
        serde_json::json!({})
    } else {
        serde_json::from_str(settings).ok()?
    };
    let obj = value.as_object_mut()?;
    if obj.contains_key("terraform_module_files") {
        return None;
    }
    obj.insert("terraform_module_files".into(), siblings.into());
    Some(value.to_string())
}

/// The texts of the other regular `.tf` files beside `path`, in name order.
pub fn terraform_siblings(path: &Path) -> Vec<String> {
    let Some(dir) = path.parent() else {
        return Vec::new();
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let own = path.file_name();
    let mut names: Vec<_> = entries
        .flatten()
        .filter(|e| {
            let name = e.file_name();
            Some(name.as_os_str()) != own
                && name.to_string_lossy().ends_with(".tf")
                && e.file_type().is_ok_and(|t| t.is_file())
        })
        .map(|e| e.path())
        .collect();
    names.sort();
    names
        .into_iter()
        .take(MAX_FILES)
        .filter(|p| {
            std::fs::symlink_metadata(p).is_ok_and(|m| m.is_file() && m.len() <= MAX_FILE_BYTES)
        })
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siblings_added_once() {
        let tmp = tempfile::tempdir().unwrap();
        let main = tmp.path().join("main.tf");
        std::fs::write(&main, "resource \"aws_s3_bucket\" \"b\" {}\n").unwrap();
        std::fs::write(tmp.path().join("enc.tf"), "# enc\n").unwrap();
        std::fs::write(tmp.path().join("notes.md"), "no").unwrap();
        std::fs::create_dir(tmp.path().join("dir.tf")).unwrap();
        let p = main.to_str().unwrap();
        let s = with_terraform_siblings("{\"x\":1}", p).unwrap();
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v["x"], 1);
        assert_eq!(v["terraform_module_files"], serde_json::json!(["# enc\n"]));
        // Settings that already list the module files are kept as they are.
        assert_eq!(
            with_terraform_siblings("{\"terraform_module_files\":[]}", p),
            None
        );
        // Not Terraform, or no siblings: settings unchanged.
        assert_eq!(with_terraform_siblings("{}", "x/a.py"), None);
        let lone = tempfile::tempdir().unwrap();
        let only = lone.path().join("only.tf");
        std::fs::write(&only, "").unwrap();
        assert_eq!(with_terraform_siblings("{}", only.to_str().unwrap()), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn fifo_sibling_is_not_read() {
        let tmp = tempfile::tempdir().unwrap();
        let main = tmp.path().join("main.tf");
        std::fs::write(&main, "").unwrap();
        let fifo = tmp.path().join("pipe.tf");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        // Returns (without blocking on the FIFO) with nothing to add.
        assert_eq!(terraform_siblings(&main), Vec::<String>::new());
    }
}
