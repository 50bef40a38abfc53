//! Provider keys, kept out of the workspace: an environment variable
//! (`INTERLINEA_KEY_<NAME>`) wins; then the OS keyring (the Secret Service
//! of GNOME Keyring or KWallet) where one answers; else a file only its
//! owner can read (mode 0600 in a 0700 folder), refused if others can.

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

/// Where a key was stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyPlace {
    /// The OS keyring.
    Keyring,
    /// The private keys file.
    File(PathBuf),
}

impl std::fmt::Display for KeyPlace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeyPlace::Keyring => f.write_str("the system keyring"),
            KeyPlace::File(path) => write!(f, "{} (readable only by you)", path.display()),
        }
    }
}

/// The keyring entries' service name.
const SERVICE: &str = "interlinea";

/// Keys: the OS keyring when asked for and available, and the keys file.
#[derive(Debug, Clone)]
pub struct KeyStore {
    path: PathBuf,
    keyring: bool,
}

impl KeyStore {
    /// The file at `path` only, no keyring.
    pub fn at(path: impl Into<PathBuf>) -> KeyStore {
        KeyStore {
            path: path.into(),
            keyring: false,
        }
    }

    /// The OS keyring when one answers, with the file at `path` for when
    /// none does.
    pub fn with_keyring(path: impl Into<PathBuf>) -> KeyStore {
        KeyStore {
            path: path.into(),
            keyring: true,
        }
    }

    /// `INTERLINEA_KEYS` alone when set (a file named on purpose); else the
    /// OS keyring, with `keys.json` in the user's configuration folder for
    /// machines that have none.
    pub fn default_location() -> KeyStore {
        match std::env::var_os("INTERLINEA_KEYS") {
            Some(path) => KeyStore::at(PathBuf::from(path)),
            None => KeyStore::with_keyring(
                dirs::config_dir()
                    .unwrap_or_else(std::env::temp_dir)
                    .join("interlinea")
                    .join("keys.json"),
            ),
        }
    }

    fn entry(&self, provider: &str) -> Option<keyring::Entry> {
        if !self.keyring {
            return None;
        }
        keyring::Entry::new(SERVICE, provider).ok()
    }

    /// Where the keys are kept.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The key of `provider`: its environment variable, else the keyring,
    /// else the file.
    pub fn get(&self, provider: &str) -> Result<Option<String>, KeyError> {
        if let Some(key) = std::env::var(variable(provider))
            .ok()
            .filter(|k| !k.trim().is_empty())
        {
            return Ok(Some(key.trim().to_string()));
        }
        if let Some(key) = self.entry(provider).and_then(|e| e.get_password().ok()) {
            return Ok(Some(key));
        }
        Ok(self.read()?.remove(provider))
    }

    /// Stores the key of `provider`: in the keyring when one answers (and
    /// then not in the file), else in the file. Says where.
    pub fn set(&self, provider: &str, key: Option<&str>) -> Result<KeyPlace, KeyError> {
        let Some(key) = key.map(str::trim) else {
            self.forget(provider)?;
            return Ok(KeyPlace::File(self.path.clone()));
        };
        let mut keys = self.read()?;
        if self
            .entry(provider)
            .is_some_and(|e| e.set_password(key).is_ok())
        {
            if keys.remove(provider).is_some() {
                self.write(&keys)?;
            }
            return Ok(KeyPlace::Keyring);
        }
        keys.insert(provider.to_string(), key.to_string());
        self.write(&keys)?;
        Ok(KeyPlace::File(self.path.clone()))
    }

    /// Forgets the key of `provider`, wherever it is.
    pub fn forget(&self, provider: &str) -> Result<(), KeyError> {
        if let Some(entry) = self.entry(provider) {
            // No entry, or no keyring: nothing to forget there.
            let _ = entry.delete_credential();
        }
        let mut keys = self.read()?;
        if keys.remove(provider).is_some() {
            self.write(&keys)?;
        }
        Ok(())
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
