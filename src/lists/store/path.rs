//! Where the list store lives: `--store PATH`, else `INTERDICT_STORE`, else
//! `$XDG_DATA_HOME/interdict/lists.sqlite`, else `~/.local/share/interdict/lists.sqlite`.

use std::path::{Path, PathBuf};

use super::StoreError;

/// The environment variable naming the store file.
pub const STORE_ENV: &str = "INTERDICT_STORE";

/// The store file's name inside the data folder.
const FILE_NAME: &str = "lists.sqlite";

/// The store file: the one given, else the environment's, else the default in the data folder.
pub fn resolve(given: Option<&Path>) -> Result<PathBuf, StoreError> {
    if let Some(p) = given {
        return Ok(p.to_path_buf());
    }
    let var = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
    if let Some(p) = var(STORE_ENV) {
        return Ok(PathBuf::from(p));
    }
    if let Some(d) = var("XDG_DATA_HOME") {
        return Ok(PathBuf::from(d).join("interdict").join(FILE_NAME));
    }
    match var("HOME") {
        Some(h) => Ok(PathBuf::from(h)
            .join(".local/share/interdict")
            .join(FILE_NAME)),
        None => Err(StoreError::NoDataDir),
    }
}
