//! The translator's settings, kept in the workspace so that the app, the
//! CLI and a restart all see the same ones.
//!
//! They are stored as one JSON object: a field added later reads as its
//! default from an older workspace, and a field this version does not know
//! (written by a newer one) is kept when the others are saved.

use std::collections::BTreeMap;

use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

use super::{StoreError, Workspace};

/// Which English the spelling and the house style follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EnglishVariant {
    /// British English (en-GB): "colour", "organise".
    #[default]
    Gb,
    /// American English (en-US): "color", "organize".
    Us,
}

/// What a 100 % or 101 % TM match does to a segment without English when
/// a document is imported or opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AutoFill {
    /// Nothing is filled.
    Off,
    /// Filled and marked translated.
    Translated,
    /// Filled as a draft, to be confirmed.
    #[default]
    Draft,
}

/// The app's colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Theme {
    /// Light or dark as the desktop is.
    #[default]
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

/// Every setting, each with the value a new workspace starts with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "snake_case")]
pub struct Settings {
    /// The English the spelling follows.
    pub english_variant: EnglishVariant,
    /// Exact matches filled in on import and open.
    pub auto_fill: AutoFill,
    /// Least score a TM match needs to be shown (50–100).
    pub match_threshold: u32,
    /// The machine-translation provider asked first, by name; none: the
    /// first one added.
    pub default_mt_provider: Option<String>,
    /// The editor's font family (a CSS font list); empty: the app's own.
    pub font_family: String,
    /// The editor's font size in pixels (10–32).
    pub font_size: u32,
    /// The whole window's zoom in percent (50–300).
    pub zoom: u32,
    /// Light, dark or as the desktop is.
    pub theme: Theme,
    /// Keyboard shortcuts the translator changed: action → key ("Ctrl+K").
    /// An action not listed keeps its default key.
    pub shortcuts: BTreeMap<String, String>,
    /// Fields a newer version wrote: kept, never read.
    #[serde(flatten)]
    pub unknown: BTreeMap<String, serde_json::Value>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            english_variant: EnglishVariant::default(),
            auto_fill: AutoFill::default(),
            match_threshold: 50,
            default_mt_provider: None,
            font_family: String::new(),
            font_size: 15,
            zoom: 100,
            theme: Theme::default(),
            shortcuts: BTreeMap::new(),
            unknown: BTreeMap::new(),
        }
    }
}

impl Settings {
    /// Why these settings cannot be saved, if they cannot.
    pub fn problem(&self) -> Option<String> {
        if !(50..=100).contains(&self.match_threshold) {
            return Some(format!(
                "match_threshold must be between 50 and 100, not {}",
                self.match_threshold
            ));
        }
        if !(10..=32).contains(&self.font_size) {
            return Some(format!(
                "font_size must be between 10 and 32 pixels, not {}",
                self.font_size
            ));
        }
        if !(50..=300).contains(&self.zoom) {
            return Some(format!(
                "zoom must be between 50 and 300 percent, not {}",
                self.zoom
            ));
        }
        if self.font_family.contains(['{', '}', ';', '<', '>']) {
            return Some("font_family may not hold { } ; < or >".into());
        }
        let mut actions_by_key: BTreeMap<&str, &str> = BTreeMap::new();
        for (action, key) in &self.shortcuts {
            if key.trim().is_empty() {
                return Some(format!("the shortcut for {action} is empty"));
            }
            if let Some(other) = actions_by_key.insert(key, action) {
                return Some(format!("{key} is set for both {other} and {action}"));
            }
        }
        None
    }
}

impl Workspace {
    /// The settings, defaults for any never saved.
    pub fn settings(&self) -> Result<Settings, StoreError> {
        let json: Option<String> = self
            .conn
            .query_row("SELECT json FROM settings WHERE id = 1", [], |r| r.get(0))
            .optional()?;
        // A value this version cannot read (a field's type changed) falls
        // back to the defaults rather than locking the translator out.
        Ok(json
            .and_then(|j| serde_json::from_str(&j).ok())
            .unwrap_or_default())
    }

    /// Saves every setting at once.
    pub fn save_settings(&mut self, settings: &Settings) -> Result<(), StoreError> {
        let json = serde_json::to_string(settings).expect("settings are plain data");
        self.conn.execute(
            "INSERT INTO settings (id, json) VALUES (1, ?1)
             ON CONFLICT (id) DO UPDATE SET json = excluded.json",
            [json],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_workspace_has_the_defaults_and_saved_ones_come_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ws.sqlite");
        let mut ws = Workspace::open(&path).unwrap();
        assert_eq!(ws.settings().unwrap(), Settings::default());
        let mut s = Settings {
            english_variant: EnglishVariant::Us,
            zoom: 125,
            ..Settings::default()
        };
        s.shortcuts.insert("confirm".into(), "Ctrl+K".into());
        ws.save_settings(&s).unwrap();
        drop(ws);
        assert_eq!(Workspace::open(&path).unwrap().settings().unwrap(), s);
    }

    #[test]
    fn fields_a_newer_version_wrote_survive_a_save_and_missing_ones_default() {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = Workspace::open(&dir.path().join("ws.sqlite")).unwrap();
        ws.conn
            .execute(
                "INSERT INTO settings (id, json) VALUES (1, '{\"zoom\":90,\"future\":[1,2]}')",
                [],
            )
            .unwrap();
        let mut s = ws.settings().unwrap();
        assert_eq!((s.zoom, s.font_size), (90, 15));
        s.zoom = 110;
        ws.save_settings(&s).unwrap();
        let json: String = ws
            .conn
            .query_row("SELECT json FROM settings", [], |r| r.get(0))
            .unwrap();
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["future"], serde_json::json!([1, 2]));
        assert_eq!(value["zoom"], 110);
    }

    #[test]
    fn out_of_range_values_and_a_key_set_twice_are_problems() {
        let ok = Settings::default();
        assert_eq!(ok.problem(), None);
        let s = Settings {
            match_threshold: 30,
            ..ok.clone()
        };
        assert!(s.problem().unwrap().contains("match_threshold"));
        let s = Settings {
            zoom: 20,
            ..ok.clone()
        };
        assert!(s.problem().unwrap().contains("zoom"));
        let mut s = ok.clone();
        s.shortcuts.insert("approve".into(), "Ctrl+K".into());
        s.shortcuts.insert("concordance".into(), "Ctrl+K".into());
        assert_eq!(
            s.problem().unwrap(),
            "Ctrl+K is set for both approve and concordance"
        );
    }
}
