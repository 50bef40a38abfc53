//! The translator's settings: read, saved whole (the app's settings
//! screen) or one at a time (the CLI).

use super::{Error, Open, Result};
use crate::store::settings::Settings;

impl Open {
    /// The settings, defaults for any never saved.
    pub fn settings(&self) -> Result<Settings> {
        Ok(self.workspace().settings()?)
    }

    /// Saves every setting at once; nothing is saved when one is wrong.
    pub fn save_settings(&mut self, settings: &Settings) -> Result<()> {
        if let Some(problem) = settings.problem() {
            return Err(Error::Invalid(problem));
        }
        if let Some(name) = &settings.default_mt_provider {
            if !self
                .workspace()
                .mt_providers()?
                .iter()
                .any(|p| &p.name == name)
            {
                return Err(Error::Invalid(format!(
                    "no machine-translation provider named `{name}`; `interlinea mt providers` lists them"
                )));
            }
        }
        Ok(self.workspace_mut().save_settings(settings)?)
    }

    /// Sets one setting from text, as typed on a command line: a number,
    /// a name (`us`, `dark`), `none` for no provider, or JSON for the
    /// shortcuts (`{"confirm":"Ctrl+K"}`). Returns the settings now saved.
    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<Settings> {
        let current = self.settings()?;
        let mut object = serde_json::to_value(&current).expect("settings are plain data");
        let fields = object.as_object_mut().expect("settings are an object");
        let known = serde_json::to_value(Settings::default()).expect("settings are plain data");
        let Some(default) = known.get(key) else {
            let names: Vec<&String> = known.as_object().expect("an object").keys().collect();
            return Err(Error::Invalid(format!(
                "no setting named `{key}`; the settings are {}",
                names
                    .iter()
                    .map(|n| n.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        };
        // Text settings take the value as written; the others read it as
        // JSON (a number, an object), else as a name (`us`, `dark`).
        let parsed = match default {
            serde_json::Value::Null if value == "none" => serde_json::Value::Null,
            serde_json::Value::Null | serde_json::Value::String(_) => value.into(),
            _ => serde_json::from_str(value).unwrap_or_else(|_| value.into()),
        };
        // A value of the wrong kind is refused with the setting named.
        let same_kind = matches!(default, serde_json::Value::Null)
            || std::mem::discriminant(default) == std::mem::discriminant(&parsed);
        fields.insert(key.to_string(), parsed);
        let settings: Option<Settings> = same_kind
            .then(|| serde_json::from_value(object).ok())
            .flatten();
        let Some(settings) = settings else {
            return Err(Error::Invalid(format!(
                "`{value}` is not a value for {key} (the default is {default})"
            )));
        };
        self.save_settings(&settings)?;
        Ok(settings)
    }
}
