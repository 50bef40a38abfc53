//! DeepL API v2: `POST /v2/translate` with the key in an
//! `Authorization: DeepL-Auth-Key` header; the neighbouring sentences go
//! in `context`, which DeepL reads but does not translate. DeepL has no
//! formality for English, so none is sent. A sentence with inline codes
//! goes as XML (`tag_handling`), which DeepL translates around its tags.

use serde_json::json;

use super::{Call, MtRequest, Provider};
use crate::termbase::Entry;

pub(super) fn call(provider: &Provider, key: &str, request: &MtRequest) -> Call {
    let variant = match provider.model.as_deref() {
        Some(v) if v.eq_ignore_ascii_case("EN-US") => "EN-US",
        _ => "EN-GB",
    };
    let tagged = request.codes_source.is_some();
    let text = if tagged {
        super::tags::to_xml(&request.source)
    } else {
        request.source.clone()
    };
    let mut body = json!({
        "text": [text],
        "source_lang": "IT",
        "target_lang": variant,
    });
    let context: Vec<&str> = [request.before.as_deref(), request.after.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    if !context.is_empty() {
        body["context"] = json!(context.join(" "));
    }
    if tagged {
        body["tag_handling"] = json!("xml");
    }
    if let Some(glossary) = &request.deepl_glossary {
        body["glossary_id"] = json!(glossary.id);
    }
    Call {
        url: provider.endpoint("/v2/translate"),
        headers: vec![("Authorization", format!("DeepL-Auth-Key {key}"))],
        body,
    }
}

/// `{"translations": [{"detected_source_language": "IT", "text": "…"}]}`
pub(super) fn parse(body: &str) -> Result<String, String> {
    let json: serde_json::Value =
        serde_json::from_str(body).map_err(|e| format!("not JSON ({e})"))?;
    json.pointer("/translations/0/text")
        .and_then(|t| t.as_str())
        .map(str::to_string)
        .ok_or_else(|| "no translations[0].text in the answer".into())
}

/// The entries of a DeepL glossary: each Italian term with its entry's
/// preferred English, one per line, tab-separated; a term DeepL cannot take
/// (tabs, line breaks) or given twice is left out, and lines are sorted so
/// that the same glossary always gives the same text.
pub fn glossary_tsv(entries: &[Entry]) -> String {
    let mut pairs: std::collections::BTreeMap<String, String> = std::collections::BTreeMap::new();
    for entry in entries {
        let Some(english) = entry.targets().first().map(|t| t.text.trim().to_string()) else {
            continue;
        };
        for italian in &entry.italian {
            let italian = italian.text.trim();
            let usable = |t: &str| !t.is_empty() && !t.contains(['\t', '\n', '\r']);
            if usable(italian) && usable(&english) {
                pairs
                    .entry(italian.to_string())
                    .or_insert_with(|| english.clone());
            }
        }
    }
    pairs
        .iter()
        .map(|(it, en)| format!("{it}\t{en}\n"))
        .collect()
}

pub(super) fn glossary_call(provider: &Provider, key: &str, name: &str, entries: &str) -> Call {
    Call {
        url: provider.endpoint("/v2/glossaries"),
        headers: vec![("Authorization", format!("DeepL-Auth-Key {key}"))],
        body: json!({
            "name": name,
            "source_lang": "it",
            "target_lang": "en",
            "entries": entries,
            "entries_format": "tsv",
        }),
    }
}

/// `{"glossary_id": "…", "ready": true, …}`
pub(super) fn parse_glossary(body: &str) -> Result<String, String> {
    let json: serde_json::Value =
        serde_json::from_str(body).map_err(|e| format!("not JSON ({e})"))?;
    json.get("glossary_id")
        .and_then(|t| t.as_str())
        .map(str::to_string)
        .ok_or_else(|| "no glossary_id in the answer".into())
}
