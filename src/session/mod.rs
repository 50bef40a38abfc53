//! The use cases: one function per thing a translator does, the same for
//! every front (the desktop app, the command line, the coming team server).
//! A front parses its arguments, makes one call here and formats the answer.
//!
//! [`Session`] is the open workspace with its TM index, its glossary's
//! terms and the machine-translation client. Work that waits on the network
//! (a news page, an MT provider) is an `async` method of [`Session`] that
//! holds the workspace only to read or store, never while waiting (but for
//! the `_blocking` methods meant for the command line, which says so); the
//! rest are methods of [`Open`], the workspace as [`Session::lock`] hands
//! it out.

mod articles;
mod glossary;
mod history;
mod matches;
mod mt;
mod predict;
mod reports;
mod settings;
mod spelling;
mod team;
mod team_conflicts;
mod team_documents;
mod team_watch;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use crate::glossary::TermMatcher;
use crate::mt::keys::KeyStore;
use crate::mt::{MtClient, Settings};
use crate::store::{StoreError, Workspace};
use crate::tm::Matcher;

pub use crate::predict::{complete, Completion, Phrase, PhraseKind};
pub use crate::tm::MatchOptions;
pub use articles::{ArticleSource, ChangeView, DocumentView, RevisionView};
pub use glossary::{read_glossary_file, AddedEntry, EntryEdit, GlossaryFormat};
pub use matches::{ConcordanceHit, SegmentMatch, PREVIOUS_VERSION};
pub use mt::{MtSuggestion, ProviderForm, ProviderView};
pub use reports::{Exported, Statistics};
pub use spelling::SUGGESTIONS;
pub use team::SyncReport;
pub use team_conflicts::TeamConflictView;
pub use team_documents::SharedDocumentView;
pub use team_watch::{SyncControl, SyncEvent};

/// The open workspace and what is built from it on first use.
pub struct Open {
    ws: Workspace,
    /// The TM index; built on the first lookup or confirmation.
    matcher: Option<Matcher>,
    /// The enabled glossaries' terms; dropped whenever a glossary changes.
    terms: Option<TermMatcher>,
    /// What the spelling check keeps between keystrokes.
    spelling: spelling::Kept,
}

impl Open {
    /// Wraps an open workspace.
    pub fn new(ws: Workspace) -> Open {
        Open {
            ws,
            matcher: None,
            terms: None,
            spelling: spelling::Kept::default(),
        }
    }

    /// The workspace, for reading.
    pub fn workspace(&self) -> &Workspace {
        &self.ws
    }

    /// The workspace, for changes the use cases here do not cover (none of
    /// them touch the TM index or the glossary).
    pub fn workspace_mut(&mut self) -> &mut Workspace {
        &mut self.ws
    }

    /// The enabled glossaries' terms.
    pub fn terms(&mut self) -> Result<&TermMatcher> {
        if self.terms.is_none() {
            self.terms = Some(TermMatcher::new(self.ws.glossary_entries(None, true)?));
        }
        Ok(self.terms.as_ref().expect("built above"))
    }

    /// The workspace together with the glossary's terms.
    pub fn with_terms(&mut self) -> Result<(&Workspace, &TermMatcher)> {
        self.terms()?;
        Ok((&self.ws, self.terms.as_ref().expect("built above")))
    }

    /// The workspace together with the TM index.
    pub fn with_matcher(&mut self) -> Result<(&mut Workspace, &mut Matcher)> {
        if self.matcher.is_none() {
            self.matcher = Some(Matcher::open(&self.ws)?);
        }
        Ok((&mut self.ws, self.matcher.as_mut().expect("built above")))
    }

    /// Forgets the glossary's terms after a change to a glossary.
    fn glossary_changed(&mut self) {
        self.terms = None;
        self.spelling.lexicon = None;
    }
}

/// The workspace shared by a front's requests, and the MT client.
pub struct Session {
    open: Mutex<Open>,
    path: PathBuf,
    /// Made on first use: most commands never reach a provider.
    mt: OnceLock<Arc<MtClient>>,
    keys: KeyStore,
    /// The suggestion request in flight per provider.
    in_flight: Mutex<HashMap<String, tokio::task::AbortHandle>>,
    /// Set to stop the running MT batch.
    batch_cancel: Mutex<Option<Arc<AtomicBool>>>,
}

impl Session {
    /// Opens the workspace at `path`, creating it if needed.
    pub fn open(path: &Path) -> Result<Session> {
        Ok(Session::new(Workspace::open(path)?, path.to_path_buf()))
    }

    /// A session over a workspace already open at `path`; MT keys come
    /// from the user's keys file (or keyring) and environment.
    pub fn new(ws: Workspace, path: PathBuf) -> Session {
        Session::with_keys(ws, path, KeyStore::default_location())
    }

    /// [`Session::new`] with the MT keys kept in `keys`.
    pub fn with_keys(ws: Workspace, path: PathBuf, keys: KeyStore) -> Session {
        Session {
            open: Mutex::new(Open::new(ws)),
            path,
            mt: OnceLock::new(),
            keys,
            in_flight: Mutex::new(HashMap::new()),
            batch_cancel: Mutex::new(None),
        }
    }

    /// The workspace file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The workspace, for one use case at a time.
    pub fn lock(&self) -> MutexGuard<'_, Open> {
        // Every write is a transaction, so a panic in another request
        // cannot have left the database half-written: the lock is safe to
        // take again.
        self.open.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The HTTP client of the MT providers.
    fn mt_client(&self) -> &Arc<MtClient> {
        self.mt
            .get_or_init(|| Arc::new(MtClient::new(Settings::default())))
    }

    /// Where MT keys are kept.
    pub fn keys(&self) -> &KeyStore {
        &self.keys
    }
}

/// What a use case can fail with; [`Error::code`] is what a front
/// branches on.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The workspace refused.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A TM lookup or import failed.
    #[error(transparent)]
    Tm(#[from] crate::tm::TmError),
    /// An article could not be read.
    #[error(transparent)]
    Import(#[from] crate::import::ImportError),
    /// A news page could not be fetched.
    #[error(transparent)]
    Fetch(#[from] crate::import::FetchError),
    /// An export failed.
    #[error(transparent)]
    Export(#[from] crate::export::ExportError),
    /// A reviewed or exchanged file could not be brought back.
    #[error(transparent)]
    Review(#[from] crate::review::ReviewError),
    /// A machine-translation provider failed.
    #[error(transparent)]
    Mt(#[from] crate::mt::MtError),
    /// The keys file or keyring failed.
    #[error(transparent)]
    Keys(#[from] crate::mt::keys::KeyError),
    /// The team server could not be reached, or refused.
    #[error(transparent)]
    Team(#[from] crate::sync::SyncError),
    /// A file to import could not be read or parsed.
    #[error("{0}")]
    ImportFile(String),
    /// A file to export could not be written.
    #[error("{0}")]
    ExportFile(String),
    /// The input could not be read.
    #[error("reading the input")]
    Input(#[source] std::io::Error),
    /// The answer could not be written.
    #[error("writing the answer")]
    Output(#[source] std::io::Error),
    /// The request names something that is not there.
    #[error("{0}")]
    NotFound(String),
    /// A page was asked for by something that is not a web address.
    #[error("{0}")]
    NotAnAddress(String),
    /// The request itself is wrong (an unknown name, an empty field).
    #[error("{0}")]
    Invalid(String),
    /// A newer request for the same thing took this one's place.
    #[error("a newer request took its place")]
    Cancelled,
}

/// The kinds of failure a front tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    /// No such document, segment, block or entry.
    NotFound,
    /// A split or merge that the document does not allow.
    InvalidEdit,
    /// The workspace file was deleted or replaced under the app: nothing
    /// is saved any more.
    WorkspaceReplaced,
    /// Any other failure of the workspace.
    Store,
    /// A TM failure.
    Tm,
    /// A file or article that could not be imported.
    Import,
    /// A news page that could not be fetched.
    Fetch,
    /// An export that could not be written.
    Export,
    /// A review that could not be brought back.
    Review,
    /// The MT provider or the team server is unreachable.
    Offline,
    /// The MT provider refused the key, or there is none; or the team
    /// server refused the token.
    Key,
    /// Any other MT failure.
    Mt,
    /// The keys file or keyring failed.
    Keys,
    /// A wrong request.
    Invalid,
    /// Replaced by a newer request.
    Cancelled,
}

impl ErrorCode {
    /// The code's stable name, as the fronts send it.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::NotFound => "not_found",
            ErrorCode::InvalidEdit => "invalid_edit",
            ErrorCode::WorkspaceReplaced => "workspace_replaced",
            ErrorCode::Store => "store",
            ErrorCode::Tm => "tm",
            ErrorCode::Import => "import",
            ErrorCode::Fetch => "fetch",
            ErrorCode::Export => "export",
            ErrorCode::Review => "review",
            ErrorCode::Offline => "offline",
            ErrorCode::Key => "key",
            ErrorCode::Mt => "mt",
            ErrorCode::Keys => "keys",
            ErrorCode::Invalid => "invalid",
            ErrorCode::Cancelled => "cancelled",
        }
    }
}

fn store_code(e: &StoreError) -> ErrorCode {
    match e {
        StoreError::NoDocument(_) | StoreError::NoSegment { .. } | StoreError::NoBlock { .. } => {
            ErrorCode::NotFound
        }
        StoreError::InvalidEdit(_) => ErrorCode::InvalidEdit,
        StoreError::Replaced => ErrorCode::WorkspaceReplaced,
        _ => ErrorCode::Store,
    }
}

impl Error {
    /// The kind of failure.
    pub fn code(&self) -> ErrorCode {
        use crate::mt::MtError;
        use crate::sync::SyncError;
        match self {
            Error::Store(e)
            | Error::Tm(crate::tm::TmError::Store(e))
            | Error::Export(crate::export::ExportError::Store(e))
            | Error::Review(crate::review::ReviewError::Store(e))
            | Error::Mt(MtError::Store(e))
            | Error::Team(SyncError::Store(e)) => store_code(e),
            Error::Tm(_) => ErrorCode::Tm,
            Error::Import(_) | Error::ImportFile(_) | Error::Input(_) => ErrorCode::Import,
            Error::Fetch(_) | Error::NotAnAddress(_) => ErrorCode::Fetch,
            Error::Export(_) | Error::ExportFile(_) | Error::Output(_) => ErrorCode::Export,
            Error::Review(_) => ErrorCode::Review,
            Error::Mt(MtError::Offline { .. }) => ErrorCode::Offline,
            Error::Mt(MtError::KeyRefused { .. } | MtError::NoKey { .. }) => ErrorCode::Key,
            Error::Mt(_) => ErrorCode::Mt,
            Error::Keys(_) => ErrorCode::Keys,
            Error::Team(SyncError::Offline { .. }) => ErrorCode::Offline,
            Error::Team(SyncError::Unauthorized { .. }) => ErrorCode::Key,
            // The server answered, but not as asked: as a page that could not be had.
            Error::Team(_) => ErrorCode::Fetch,
            Error::NotFound(_) => ErrorCode::NotFound,
            Error::Invalid(_) => ErrorCode::Invalid,
            Error::Cancelled => ErrorCode::Cancelled,
        }
    }
}

/// The result of a use case.
pub type Result<T> = std::result::Result<T, Error>;

#[cfg(test)]
mod tests;
