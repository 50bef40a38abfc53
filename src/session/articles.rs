//! Articles in and out of the workspace: importing, bringing in a later
//! version, and a document as the editor shows it.

use std::path::{Path, PathBuf};

use super::{Error, Open, Result, Session};
use crate::import::{fetch_article, is_url, read_article_file, Article, FetchSettings};
use crate::segment::Segmenter;
use crate::store::news::{Change, Revision};
use crate::store::{BlockRow, DocumentSummary, SegmentedBlock};
use crate::tm::DiffKind;

/// Where an article comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArticleSource {
    /// A file: text, Markdown, HTML, or another tool's XLIFF.
    File(PathBuf),
    /// A news page's address.
    Url(String),
    /// An article held in memory; `extension` (without the dot) picks the
    /// format when given.
    Bytes {
        /// The document's name.
        name: String,
        /// The format's usual extension.
        extension: Option<String>,
        /// The article.
        bytes: Vec<u8>,
    },
    /// The sample article shipped with the app.
    Sample,
}

impl ArticleSource {
    /// A web address or a file path, as a user types it.
    pub fn parse(text: &str) -> ArticleSource {
        if is_url(text) {
            ArticleSource::Url(text.to_string())
        } else {
            ArticleSource::File(PathBuf::from(text))
        }
    }

    /// Where the article is, as stored with the document.
    fn origin(&self) -> Option<String> {
        match self {
            ArticleSource::File(path) => Some(path.display().to_string()),
            ArticleSource::Url(url) => Some(url.clone()),
            ArticleSource::Bytes { .. } | ArticleSource::Sample => None,
        }
    }

    /// The document's default name: a page's headline, a file's name.
    fn document_name(&self, article: &Article) -> String {
        match self {
            ArticleSource::Url(url) => article
                .document
                .blocks
                .first()
                .map_or_else(|| url.clone(), |b| b.text.chars().take(80).collect()),
            ArticleSource::File(path) => path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
            ArticleSource::Bytes { name, .. } => name.clone(),
            ArticleSource::Sample => crate::import::SAMPLE_ARTICLE_NAME.to_string(),
        }
    }

    /// Reads the article without storing it (to segment it, say).
    pub fn read_blocking(&self) -> Result<Article> {
        runtime()?.block_on(self.read())
    }

    /// Reads the article; a page is downloaded, with no workspace held.
    async fn read(&self) -> Result<Article> {
        Ok(match self {
            ArticleSource::File(path) => read_article_file(path)?,
            ArticleSource::Url(url) => fetch_article(url, &FetchSettings::default()).await?,
            ArticleSource::Bytes {
                name,
                extension,
                bytes,
            } => crate::import::read_article(name, extension.as_deref(), bytes)?,
            ArticleSource::Sample => crate::import::read_article(
                crate::import::SAMPLE_ARTICLE_NAME,
                Some("txt"),
                crate::import::SAMPLE_ARTICLE.as_bytes(),
            )?,
        })
    }
}

/// A document as the editor shows it: its summary and its blocks with
/// their segments.
#[derive(Debug, Clone)]
pub struct DocumentView {
    /// Name, format, counts.
    pub document: DocumentSummary,
    /// The blocks in order, each with its segments.
    pub blocks: Vec<BlockRow>,
}

/// One segment a revision edited, added or removed, with the Italian now.
#[derive(Debug, Clone)]
pub struct ChangeView {
    /// What the revision stored.
    pub change: Change,
    /// The segment's Italian now (edited, new).
    pub source: Option<String>,
    /// From the previous Italian to the new one, word by word.
    pub diff: Vec<(DiffKind, String)>,
}

/// A document's latest revision and what it changed.
#[derive(Debug, Clone)]
pub struct RevisionView {
    /// The revision's source and counts.
    pub revision: Revision,
    /// Its changes, in document order.
    pub changes: Vec<ChangeView>,
}

impl Open {
    /// The segmentation rules with the workspace's own exceptions.
    fn segmenter(&self) -> Result<Segmenter> {
        Ok(Segmenter::italian(&self.ws.exceptions()?))
    }

    fn segmented(&self, article: &Article) -> Result<Vec<SegmentedBlock>> {
        Ok(crate::store::segment_blocks(
            &article.document,
            &self.segmenter()?,
        ))
    }

    /// Stores an article read from `source` as a new document named `name`
    /// (by default its headline or file name), all or nothing.
    pub fn add_article(
        &mut self,
        source: &ArticleSource,
        article: &Article,
        name: Option<&str>,
    ) -> Result<DocumentSummary> {
        let blocks = self.segmented(article)?;
        let name = name.map_or_else(|| source.document_name(article), str::to_string);
        let origin = source.origin();
        let id = self.ws.add_article(
            &name,
            origin.as_deref(),
            article.document.format,
            &blocks,
            &article.meta,
        )?;
        self.fill_exact_matches_or_log(id);
        Ok(self.ws.document(id)?)
    }

    /// Stores a later version of a document's article: unchanged segments
    /// keep their work, edited ones keep what they were as a match.
    pub fn add_revision(
        &mut self,
        doc_id: i64,
        origin: &str,
        article: &Article,
    ) -> Result<RevisionView> {
        let blocks = self.segmented(article)?;
        let plan = crate::revision::plan(&self.ws.segments(doc_id)?, blocks);
        self.ws
            .apply_revision(doc_id, &plan, Some(origin), Some(&article.meta))?;
        self.fill_exact_matches_or_log(doc_id);
        Ok(self.revision(doc_id)?.expect("the revision just stored"))
    }

    /// The document as the editor opens it: its empty segments with an
    /// exact TM match filled first (the TM may have grown since the
    /// import), as the auto-fill setting says.
    pub fn open_document(&mut self, doc_id: i64) -> Result<DocumentView> {
        self.ws.document(doc_id)?;
        self.fill_exact_matches_or_log(doc_id);
        self.document_view(doc_id)
    }

    /// The document with its blocks and segments.
    pub fn document_view(&self, doc_id: i64) -> Result<DocumentView> {
        Ok(DocumentView {
            document: self.ws.document(doc_id)?,
            blocks: self.ws.blocks(doc_id)?,
        })
    }

    /// Marks a block as translatable or not.
    pub fn set_block_translatable(
        &mut self,
        doc_id: i64,
        block: i64,
        translatable: bool,
    ) -> Result<DocumentView> {
        self.ws
            .set_block_translatable(doc_id, block, translatable)?;
        self.document_view(doc_id)
    }

    /// Splits a segment at a character position of its Italian.
    pub fn split_segment(
        &mut self,
        doc_id: i64,
        segment_id: i64,
        position: usize,
    ) -> Result<DocumentView> {
        self.ws.split_segment(doc_id, segment_id, position)?;
        self.document_view(doc_id)
    }

    /// The document's latest revision with its changes, if it has one.
    pub fn revision(&self, doc_id: i64) -> Result<Option<RevisionView>> {
        let Some(revision) = self.ws.revisions(doc_id)?.into_iter().next() else {
            return Ok(None);
        };
        let changes = self
            .ws
            .revision_changes(revision.id)?
            .into_iter()
            .map(|change| {
                let source = change
                    .segment
                    .and_then(|id| self.ws.segment(doc_id, id).ok())
                    .map(|s| s.source);
                let diff = match (&change.previous_source, &source) {
                    (Some(before), Some(now)) => crate::tm::word_diff(before, now),
                    _ => Vec::new(),
                };
                ChangeView {
                    change,
                    source,
                    diff,
                }
            })
            .collect();
        Ok(Some(RevisionView { revision, changes }))
    }
}

impl Session {
    /// Imports an article as a new document: another tool's XLIFF as that
    /// job, anything else read and segmented. Nothing is stored unless
    /// all of it is.
    pub async fn import_article(
        &self,
        source: ArticleSource,
        name: Option<&str>,
    ) -> Result<DocumentSummary> {
        if let ArticleSource::File(path) = &source {
            if crate::review::is_xliff_path(path) {
                return self.import_xliff(path, name);
            }
        }
        let article = source.read().await?;
        self.lock().add_article(&source, &article, name)
    }

    /// [`Session::import_article`] for fronts without a runtime of their own.
    pub fn import_article_blocking(
        &self,
        source: ArticleSource,
        name: Option<&str>,
    ) -> Result<DocumentSummary> {
        runtime()?.block_on(self.import_article(source, name))
    }

    fn import_xliff(&self, path: &Path, name: Option<&str>) -> Result<DocumentSummary> {
        let mut open = self.lock();
        let import = crate::review::import_xliff_document(&mut open.ws, path, name)?;
        open.fill_exact_matches_or_log(import.document);
        Ok(open.ws.document(import.document)?)
    }

    /// Brings in a later version of the document's article from `source`,
    /// by default the address it came from, and returns what changed.
    pub async fn reimport(
        &self,
        doc_id: i64,
        source: Option<ArticleSource>,
    ) -> Result<RevisionView> {
        let source = match source {
            Some(source) => source,
            None => self
                .lock()
                .ws
                .document_meta(doc_id)?
                .and_then(|m| m.url)
                .map(ArticleSource::Url)
                .ok_or_else(|| {
                    Error::NotAnAddress(
                        "this document did not come from a web address: choose the new version's file"
                            .into(),
                    )
                })?,
        };
        let article = source.read().await?;
        let origin = source.origin().unwrap_or_default();
        self.lock().add_revision(doc_id, &origin, &article)
    }

    /// [`Session::reimport`] for fronts without a runtime of their own.
    pub fn reimport_blocking(&self, doc_id: i64, source: ArticleSource) -> Result<RevisionView> {
        runtime()?.block_on(self.reimport(doc_id, Some(source)))
    }
}

/// A runtime for one network call of a front that has none.
pub(super) fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Invalid(format!("starting the network runtime: {e}")))
}
