//! DeepL API v2: `POST /v2/translate` with the key in an
//! `Authorization: DeepL-Auth-Key` header; the neighbouring sentences go
//! in `context`, which DeepL reads but does not translate. DeepL has no
//! formality for English, so none is sent.

use serde_json::json;

use super::{Call, MtRequest, Provider};

pub(super) fn call(provider: &Provider, key: &str, request: &MtRequest) -> Call {
    let variant = match provider.model.as_deref() {
        Some(v) if v.eq_ignore_ascii_case("EN-US") => "EN-US",
        _ => "EN-GB",
    };
    let mut body = json!({
        "text": [request.source],
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
