//! LibreTranslate: `POST /translate` with the text as `q` and the key, if
//! the server wants one, as `api_key` in the body.

use serde_json::json;

use super::{Call, MtRequest, Provider};

pub(super) fn call(provider: &Provider, key: Option<&str>, request: &MtRequest) -> Call {
    let mut body = json!({
        "q": match request.codes_source {
            Some(_) => super::tags::plain(&request.source),
            None => request.source.clone(),
        },
        "source": "it",
        "target": "en",
        "format": "text",
    });
    if let Some(key) = key {
        body["api_key"] = json!(key);
    }
    Call {
        url: provider.endpoint("/translate"),
        headers: Vec::new(),
        body,
    }
}

/// `{"translatedText": "…"}`
pub(super) fn parse(body: &str) -> Result<String, String> {
    let json: serde_json::Value =
        serde_json::from_str(body).map_err(|e| format!("not JSON ({e})"))?;
    json.get("translatedText")
        .and_then(|t| t.as_str())
        .map(str::to_string)
        .ok_or_else(|| "no translatedText in the answer".into())
}
