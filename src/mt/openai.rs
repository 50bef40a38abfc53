//! OpenAI-compatible chat completions (`POST /v1/chat/completions`), as
//! served by OpenAI, Ollama, llama.cpp's server and vLLM. The prompt gives
//! the glossary terms found in the sentence and the sentences around it,
//! and asks for the translation alone.

use serde_json::json;

use super::{Call, MtRequest, Provider};

const SYSTEM: &str = "You are a professional translator of Italian news into English. \
Translate the sentence you are given into natural, accurate English news style. \
Use the glossary's English terms where they apply. \
Reply with the English translation of that one sentence only: no quotation marks around it, no notes, no explanations.";

/// The user message: context, glossary, then the sentence.
pub(super) fn prompt(request: &MtRequest) -> String {
    let mut out = String::new();
    if request.before.is_some() || request.after.is_some() {
        out.push_str("Context (do not translate):\n");
        if let Some(before) = &request.before {
            out.push_str(&format!("Before: {before}\n"));
        }
        if let Some(after) = &request.after {
            out.push_str(&format!("After: {after}\n"));
        }
        out.push('\n');
    }
    if !request.terms.is_empty() {
        out.push_str("Glossary (Italian → English):\n");
        for (italian, english) in &request.terms {
            out.push_str(&format!("- {italian} → {english}\n"));
        }
        out.push('\n');
    }
    if request.codes_source.is_some() {
        out.push_str(
            "The sentence marks its formatting with numbered tags such as <1>…</1> and <2/>. \
             Keep every tag exactly once, around the English words that match, \
             and keep &lt; &gt; &amp; as they are.\n\n",
        );
    }
    out.push_str("Sentence to translate:\n");
    out.push_str(&request.source);
    out
}

pub(super) fn call(provider: &Provider, key: Option<&str>, request: &MtRequest) -> Call {
    let body = json!({
        "model": provider.model.as_deref().unwrap_or("gpt-4o-mini"),
        "messages": [
            { "role": "system", "content": SYSTEM },
            { "role": "user", "content": prompt(request) },
        ],
        "temperature": 0,
        "stream": false,
    });
    Call {
        url: provider.endpoint("/v1/chat/completions"),
        headers: key
            .map(|k| vec![("Authorization", format!("Bearer {k}"))])
            .unwrap_or_default(),
        body,
    }
}

/// `{"choices": [{"message": {"role": "assistant", "content": "…"}}]}`;
/// quotation marks the model put around a sentence that had none are
/// taken off.
pub(super) fn parse(body: &str, request: &MtRequest) -> Result<String, String> {
    let json: serde_json::Value =
        serde_json::from_str(body).map_err(|e| format!("not JSON ({e})"))?;
    let content = json
        .pointer("/choices/0/message/content")
        .and_then(|t| t.as_str())
        .ok_or("no choices[0].message.content in the answer")?
        .trim();
    if content.is_empty() {
        return Err("the model answered with nothing".into());
    }
    let quoted = ['"', '“', '«']
        .iter()
        .any(|q| request.source.starts_with(*q));
    let unquoted = content
        .strip_prefix('"')
        .and_then(|c| c.strip_suffix('"'))
        .or_else(|| content.strip_prefix('“').and_then(|c| c.strip_suffix('”')));
    Ok(match unquoted {
        Some(inner) if !quoted => inner.trim().to_string(),
        _ => content.to_string(),
    })
}
