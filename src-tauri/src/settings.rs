//! The settings screen's commands and the shape its settings cross in.

use std::collections::BTreeMap;

use interlinea::store::settings::{AutoFill, EnglishVariant, Settings, Theme};
use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::State;

use crate::commands::{lock, AppState, Result};
use crate::dto::named_enum;

named_enum!(
    /// Which English the spelling follows.
    EnglishVariantDto = EnglishVariant { Gb, Us }
);
named_enum!(
    /// What an exact TM match does to an empty segment on import and open.
    AutoFillDto = AutoFill { Off, Translated, Draft }
);
named_enum!(
    /// The app's colours.
    ThemeDto = Theme { System, Light, Dark }
);

/// Every setting (see `interlinea::store::settings::Settings`).
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct SettingsDto {
    pub english_variant: EnglishVariantDto,
    pub auto_fill: AutoFillDto,
    pub match_threshold: u32,
    pub default_mt_provider: Option<String>,
    /// A CSS font list; empty: the app's own.
    pub font_family: String,
    /// Pixels.
    pub font_size: u32,
    /// Percent.
    pub zoom: u32,
    pub theme: ThemeDto,
    /// Only the shortcuts the translator changed: action → key.
    pub shortcuts: BTreeMap<String, String>,
}

impl From<Settings> for SettingsDto {
    fn from(s: Settings) -> Self {
        SettingsDto {
            english_variant: s.english_variant.into(),
            auto_fill: s.auto_fill.into(),
            match_threshold: s.match_threshold,
            default_mt_provider: s.default_mt_provider,
            font_family: s.font_family,
            font_size: s.font_size,
            zoom: s.zoom,
            theme: s.theme.into(),
            shortcuts: s.shortcuts,
        }
    }
}

#[tauri::command]
#[specta::specta]
pub fn get_settings(state: State<'_, AppState>) -> Result<SettingsDto> {
    Ok(lock(&state).settings()?.into())
}

/// Saves every setting at once; a wrong one saves nothing.
#[tauri::command]
#[specta::specta]
pub fn save_settings(state: State<'_, AppState>, settings: SettingsDto) -> Result<SettingsDto> {
    let mut open = lock(&state);
    // Fields a newer version wrote are not on the screen, and stay.
    let unknown = open.settings()?.unknown;
    let settings = Settings {
        english_variant: settings.english_variant.into(),
        auto_fill: settings.auto_fill.into(),
        match_threshold: settings.match_threshold,
        default_mt_provider: settings.default_mt_provider,
        font_family: settings.font_family,
        font_size: settings.font_size,
        zoom: settings.zoom,
        theme: settings.theme.into(),
        shortcuts: settings.shortcuts,
        unknown,
    };
    open.save_settings(&settings)?;
    Ok(settings.into())
}
