//! Provider keys, kept out of the workspace: an environment variable
//! (`INTERLINEA_KEY_<NAME>`) wins; otherwise a file only its owner can
//! read (mode 0600 in a 0700 folder), which is refused if others can.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Why a key could not be read or stored. Messages never include a key.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The file or its folder could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The keys file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// Others than the owner may read the file.
    #[error("{path} can be read by other users; make it private (chmod 600 {path}) and try again")]
    Exposed {
        /// The keys file.
        path: PathBuf,
    },
    /// The file is not the JSON this module writes.
    #[error("{path} is damaged: {detail}")]
    Damaged {
        /// The keys file.
        path: PathBuf,
        /// What is wrong.
        detail: String,
    },
}

/// The environment variable that overrides a provider's stored key.
pub fn variable(provider: &str) -> String {
    let name: String = provider
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("INTERLINEA_KEY_{name}")
}

/// The keys file.
#[derive(Debug, Clone)]
pub struct KeyStore {
    path: PathBuf,
}

impl KeyStore {
    /// The file at `path`.
    pub fn at(path: impl Into<PathBuf>) -> KeyStore {
        KeyStore { path: path.into() }
    }

    /// `INTERLINEA_KEYS`, else `keys.json` in the user's configuration
    /// folder.
    pub fn default_location() -> KeyStore {
        let path = std::env::var_os("INTERLINEA_KEYS")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                dirs::config_dir()
                    .unwrap_or_else(std::env::temp_dir)
                    .join("interlinea")
                    .join("keys.json")
            });
        KeyStore::at(path)
    }

    /// Where the keys are kept.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The key of `provider`: its environment variable, else the file.
    pub fn get(&self, provider: &str) -> Result<Option<String>, KeyError> {
        if let Some(key) = std::env::var(variable(provider))
            .ok()
            .filter(|k| !k.trim().is_empty())
        {
            return Ok(Some(key.trim().to_string()));
        }
        Ok(self.read()?.remove(provider))
    }

    /// Stores (or with `None` forgets) the key of `provider`.
    pub fn set(&self, provider: &str, key: Option<&str>) -> Result<(), KeyError> {
        let mut keys = self.read()?;
        match key {
            Some(key) => keys.insert(provider.to_string(), key.trim().to_string()),
            None => keys.remove(provider),
        };
        self.write(&keys)
    }

    fn io(&self, source: std::io::Error) -> KeyError {
        KeyError::Io {
            path: self.path.clone(),
            source,
        }
    }

    fn read(&self) -> Result<BTreeMap<String, String>, KeyError> {
        let bytes = match std::fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
            Err(e) => return Err(self.io(e)),
        };
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&self.path)
                .map_err(|e| self.io(e))?
                .permissions()
                .mode();
            if mode & 0o077 != 0 {
                return Err(KeyError::Exposed {
                    path: self.path.clone(),
                });
            }
        }
        serde_json::from_slice(&bytes).map_err(|e| KeyError::Damaged {
            path: self.path.clone(),
            detail: e.to_string(),
        })
    }

    /// Writes beside the file with mode 0600 from the start, then renames.
    fn write(&self, keys: &BTreeMap<String, String>) -> Result<(), KeyError> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        let mut folder = std::fs::DirBuilder::new();
        folder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut folder, 0o700);
        folder.create(dir).map_err(|e| self.io(e))?;
        let temporary = self.path.with_extension("json.part");
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&temporary).map_err(|e| self.io(e))?;
        let json = serde_json::to_vec_pretty(keys).expect("strings serialise");
        file.write_all(&json)
            .and_then(|()| file.sync_all())
            .map_err(|e| self.io(e))?;
        std::fs::rename(&temporary, &self.path).map_err(|e| self.io(e))
    }
}
