//! Where a run's configuration comes from (`--config`, the nearest
//! `.kiro-guard.toml`, the repository's or the user's file, the defaults),
//! always tightened by the system policy in force ([`crate::policy`]).

use crate::config::{CONFIG_FILE, Config, find_upwards, user_config_path};
use anyhow::{Context, Result};
use std::path::Path;

impl Config {
    /// Read a configuration file.
    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read config {}", path.display()))?;
        Config::parse(&text, path)?.with_policy()
    }

    /// This configuration tightened by the system policy, if one is in force
    /// (managed mode, see [`crate::policy`]).
    pub fn with_policy(mut self) -> Result<Config> {
        crate::policy::apply(&mut self)?;
        Ok(self)
    }

    /// Find `.kiro-guard.toml` in `start` or its ancestors; default config
    /// when there is none.
    pub fn discover(start: &Path) -> Result<Config> {
        match find_upwards(start) {
            Some(p) => Config::load(&p),
            None => Config::default().with_policy(),
        }
    }

    /// The configuration hooks use: `<root>/.kiro-guard.toml`, else the
    /// user's (`$XDG_CONFIG_HOME/kiro-guard/config.toml`, default
    /// `~/.config/kiro-guard/config.toml`), else the defaults. Never a file
    /// in a sub-directory (where an agent could plant one for a hook whose
    /// `cwd` is there) nor one above the repository root.
    pub fn for_repo(root: &Path) -> Result<Config> {
        let repo = root.join(CONFIG_FILE);
        if repo.is_file() {
            return Config::load(&repo);
        }
        match user_config_path().filter(|p| p.is_file()) {
            Some(p) => Config::load(&p),
            None => Config::default().with_policy(),
        }
    }

    /// The configuration of a run: the file `explicit` names (`--config`),
    /// else the nearest `.kiro-guard.toml` at or above `start` (see
    /// [`Config::discover`]).
    pub fn resolve(explicit: Option<&Path>, start: &Path) -> Result<Config> {
        match explicit {
            Some(p) => Config::load(p),
            None => Config::discover(start),
        }
    }

    /// The configuration of a hook in the repository at `root`: the file
    /// `explicit` names, else [`Config::for_repo`].
    pub fn resolve_for_repo(explicit: Option<&Path>, root: &Path) -> Result<Config> {
        match explicit {
            Some(p) => Config::load(p),
            None => Config::for_repo(root),
        }
    }
}
