//! Machine-translation providers, the cache of their answers, and the
//! segments they filled. Keys are not here: they never enter the
//! workspace (see [`crate::mt::keys`]).

use rusqlite::{params, OptionalExtension};

use super::{now_ms, touch_document, StoreError, Workspace};

/// Which API a provider speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProviderKind {
    /// DeepL API v2 (free or pro host).
    DeepL,
    /// LibreTranslate, usually self-hosted.
    LibreTranslate,
    /// OpenAI-compatible chat completions.
    OpenAi,
}

impl ProviderKind {
    /// The stable name used by the CLI, the app and the workspace.
    pub fn as_str(self) -> &'static str {
        match self {
            ProviderKind::DeepL => "deepl",
            ProviderKind::LibreTranslate => "libretranslate",
            ProviderKind::OpenAi => "openai",
        }
    }

    /// Parses a name written by [`ProviderKind::as_str`].
    pub fn from_name(name: &str) -> Option<ProviderKind> {
        Some(match name {
            "deepl" => ProviderKind::DeepL,
            "libretranslate" => ProviderKind::LibreTranslate,
            "openai" => ProviderKind::OpenAi,
            _ => return None,
        })
    }

    /// The host a provider of this kind usually has, for a user who gives none.
    pub fn default_url(self, key: Option<&str>) -> Option<&'static str> {
        match self {
            // DeepL's free keys end in ":fx" and only work on the free host.
            ProviderKind::DeepL if key.is_some_and(|k| k.ends_with(":fx")) => {
                Some("https://api-free.deepl.com")
            }
            ProviderKind::DeepL => Some("https://api.deepl.com"),
            ProviderKind::OpenAi => Some("https://api.openai.com"),
            ProviderKind::LibreTranslate => None,
        }
    }
}

/// A configured provider. Its key is kept apart, in the key store of
/// [`crate::mt::keys`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provider {
    /// The name the user gave it.
    pub name: String,
    /// The API it speaks.
    pub kind: ProviderKind,
    /// Scheme, host and port (and any prefix); the API's path is appended.
    pub url: String,
    /// OpenAI: the model. DeepL: the English variant, `EN-GB` (default) or
    /// `EN-US`. LibreTranslate: unused.
    pub model: Option<String>,
}

impl Workspace {
    /// Adds a provider, or replaces the one with the same name.
    pub fn save_mt_provider(&mut self, provider: &Provider) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO mt_providers (name, kind, url, model, created_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, url = excluded.url, model = excluded.model",
            params![
                provider.name,
                provider.kind.as_str(),
                provider.url,
                provider.model,
                now_ms()
            ],
        )?;
        Ok(())
    }

    /// Every provider, by name.
    pub fn mt_providers(&self) -> Result<Vec<Provider>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT name, kind, url, model FROM mt_providers ORDER BY name")?;
        let rows = stmt.query_map([], |r| {
            let kind: String = r.get(1)?;
            Ok(Provider {
                name: r.get(0)?,
                kind: ProviderKind::from_name(&kind).unwrap_or(ProviderKind::OpenAi),
                url: r.get(2)?,
                model: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The provider called `name`.
    pub fn mt_provider(&self, name: &str) -> Result<Provider, StoreError> {
        self.mt_providers()?
            .into_iter()
            .find(|p| p.name == name)
            .ok_or_else(|| StoreError::NoProvider(name.to_string()))
    }

    /// Removes a provider (its cached answers go with it).
    pub fn delete_mt_provider(&mut self, name: &str) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        if tx.execute("DELETE FROM mt_providers WHERE name = ?1", [name])? == 0 {
            return Err(StoreError::NoProvider(name.to_string()));
        }
        tx.execute("DELETE FROM mt_cache WHERE provider = ?1", [name])?;
        tx.execute("DELETE FROM mt_glossaries WHERE provider = ?1", [name])?;
        tx.commit()?;
        Ok(())
    }

    /// A cached answer of `provider` (with `model` and glossary version)
    /// for `source`.
    pub fn mt_cached(
        &self,
        provider: &str,
        model: &str,
        glossary_version: i64,
        source: &str,
    ) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT target FROM mt_cache
                 WHERE provider = ?1 AND model = ?2 AND glossary_version = ?3 AND source = ?4",
                params![provider, model, glossary_version, source],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Remembers an answer.
    pub fn cache_mt(
        &mut self,
        provider: &str,
        model: &str,
        glossary_version: i64,
        source: &str,
        target: &str,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT OR REPLACE INTO mt_cache (provider, model, glossary_version, source, target, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![provider, model, glossary_version, source, target, now_ms()],
        )?;
        Ok(())
    }

    /// Fills a segment that is still empty with a suggestion from `origin`
    /// (`mt:NAME` or `tm:NAME`) as a draft that remembers it; returns
    /// whether the segment was empty.
    pub fn fill_from_suggestion(
        &mut self,
        doc_id: i64,
        segment_id: i64,
        target: &str,
        origin: &str,
    ) -> Result<bool, StoreError> {
        let segment = self.segment(doc_id, segment_id)?;
        if !segment.target.is_empty() {
            return Ok(false);
        }
        let kind = if origin.starts_with("mt:") {
            super::Origin::Mt
        } else {
            super::Origin::Tm
        };
        let tx = self.conn.transaction()?;
        let n = tx.execute(
            "UPDATE segments SET suggestion = ?1, origin = ?2, match_score = NULL, edit_distance = NULL
             WHERE id = ?3 AND target = ''",
            params![target, origin, segment_id],
        )?;
        if n == 1 {
            super::history::write_target(
                &tx,
                segment_id,
                target,
                super::Status::Draft,
                kind,
                &self.author,
            )?;
        }
        touch_document(&tx, doc_id)?;
        tx.commit()?;
        Ok(n == 1)
    }

    /// The id of the DeepL glossary made for `provider` from the glossary
    /// whose content hashes to `version`, if one was made.
    pub fn mt_glossary(&self, provider: &str, version: i64) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT glossary_id FROM mt_glossaries WHERE provider = ?1 AND version = ?2",
                params![provider, version],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Remembers the DeepL glossary made for `provider` and `version`.
    pub fn save_mt_glossary(
        &mut self,
        provider: &str,
        version: i64,
        glossary_id: &str,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT OR REPLACE INTO mt_glossaries (provider, version, glossary_id, created_at)
             VALUES (?1, ?2, ?3, ?4)",
            params![provider, version, glossary_id, now_ms()],
        )?;
        Ok(())
    }

    /// Notes that the English now in a segment started from `suggestion`
    /// by `origin` (a TM match or MT inserted in the editor), with the
    /// match's score for a TM match (none for MT).
    pub fn set_suggestion(
        &mut self,
        doc_id: i64,
        segment_id: i64,
        suggestion: &str,
        origin: &str,
        score: Option<u32>,
    ) -> Result<(), StoreError> {
        self.segment(doc_id, segment_id)?;
        self.conn.execute(
            "UPDATE segments SET suggestion = ?1, origin = ?2, match_score = ?3, edit_distance = NULL
             WHERE id = ?4",
            params![suggestion, origin, score, segment_id],
        )?;
        Ok(())
    }
}

/// A segment that started from a suggestion, and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuggestionOutcome {
    /// `tm:NAME` or `mt:NAME`.
    pub origin: String,
    /// The English suggested.
    pub suggestion: String,
    /// Characters changed to reach the confirmed English; `None` while the
    /// segment is not confirmed.
    pub edit_distance: Option<i64>,
}

impl Workspace {
    /// The document's segments that started from a TM match or MT.
    pub fn suggestion_outcomes(&self, doc_id: i64) -> Result<Vec<SuggestionOutcome>, StoreError> {
        self.require_document(doc_id)?;
        let mut stmt = self.conn.prepare(
            "SELECT s.origin, s.suggestion, s.edit_distance
             FROM segments s JOIN blocks b ON b.id = s.block_id
             WHERE b.document_id = ?1 AND s.origin IS NOT NULL AND s.suggestion IS NOT NULL
             ORDER BY b.position, s.position",
        )?;
        let rows = stmt.query_map([doc_id], |r| {
            Ok(SuggestionOutcome {
                origin: r.get(0)?,
                suggestion: r.get(1)?,
                edit_distance: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

impl Workspace {
    /// When each confirmed translatable segment of the document was last
    /// written (ms since the epoch), with its Italian, oldest first. An
    /// exact TM match confirmed as it came is no work to time.
    pub fn confirmation_times(&self, doc_id: i64) -> Result<Vec<(i64, String)>, StoreError> {
        self.require_document(doc_id)?;
        let mut stmt = self.conn.prepare(
            "SELECT s.updated_at, s.source FROM segments s JOIN blocks b ON b.id = s.block_id
             WHERE b.document_id = ?1 AND b.translatable = 'yes' AND s.status IN ('translated', 'approved')
               AND NOT (s.match_score >= 100 AND s.origin LIKE 'tm:%' AND s.target = s.suggestion)
             ORDER BY s.updated_at",
        )?;
        let rows = stmt.query_map([doc_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
