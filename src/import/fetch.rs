//! Fetching an article page from its URL: HTTP(S) only, a few redirects,
//! a time limit for the whole download, a size limit checked while the
//! body arrives, and the page's charset from the HTTP header, a byte-order
//! mark or the page's own `<meta>`.

use std::time::Duration;

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

use super::article::{self, Article};
use super::{finish, ImportError, MAX_ARTICLE_BYTES};
use crate::document::SourceFormat;

/// Limits of one page download.
#[derive(Debug, Clone)]
pub struct FetchSettings {
    /// Time allowed to connect.
    pub connect_timeout: Duration,
    /// Time allowed for the whole download, redirects included.
    pub timeout: Duration,
    /// Largest page accepted, in bytes.
    pub max_bytes: usize,
    /// Redirects followed before giving up.
    pub max_redirects: usize,
}

impl Default for FetchSettings {
    fn default() -> FetchSettings {
        FetchSettings {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_bytes: MAX_ARTICLE_BYTES,
            max_redirects: 5,
        }
    }
}

/// Why a page could not be fetched.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    /// Not an http(s) URL.
    #[error("{url}: not a web address (expected http:// or https://)")]
    BadUrl {
        /// The text given.
        url: String,
    },
    /// No connection could be made.
    #[error("{url}: cannot reach {host} (offline, or the address is wrong)")]
    Unreachable {
        /// The URL.
        url: String,
        /// Host and port.
        host: String,
    },
    /// The server took too long.
    #[error("{url}: no complete answer within {seconds} s")]
    Timeout {
        /// The URL.
        url: String,
        /// The limit.
        seconds: u64,
    },
    /// The server answered with an error status.
    #[error("{url}: the server answered HTTP {status}{}", if *status == 404 { " (page not found)" } else { "" })]
    Status {
        /// The URL.
        url: String,
        /// The HTTP status.
        status: u16,
    },
    /// Redirected too many times.
    #[error("{url}: more than {limit} redirects")]
    TooManyRedirects {
        /// The URL.
        url: String,
        /// The limit.
        limit: usize,
    },
    /// The page is larger than the limit.
    #[error("{url}: the page is too large (over {limit} bytes)")]
    TooLarge {
        /// The URL.
        url: String,
        /// The limit in bytes.
        limit: usize,
    },
    /// The answer is not a web page or text.
    #[error("{url}: not a web page (the server sent {content_type})")]
    NotHtml {
        /// The URL.
        url: String,
        /// The content type sent.
        content_type: String,
    },
    /// Another transport failure.
    #[error("{url}: the download failed: {reason}")]
    Transport {
        /// The URL.
        url: String,
        /// What went wrong.
        reason: String,
    },
    /// The page arrived but holds no article.
    #[error(transparent)]
    Import(#[from] ImportError),
}

/// Whether `text` is a web address rather than a file name.
pub fn is_url(text: &str) -> bool {
    let lower = text.get(..8).unwrap_or(text).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// The address to download for what a user typed in the address field: an
/// http(s) URL as it is; a host and path without a scheme
/// ("www.ansa.it/…") over https, except this machine and IP addresses,
/// over http, as browsers do (a site under test or on the local network
/// seldom has a certificate). `None` for text that is no web address.
pub fn web_address(text: &str) -> Option<String> {
    let text = text.trim();
    if is_url(text) {
        return Some(text.to_string());
    }
    if text.is_empty() || text.contains("://") || text.contains(char::is_whitespace) {
        return None;
    }
    let guess = reqwest::Url::parse(&format!("https://{text}")).ok()?;
    let host = guess.host_str()?;
    let local = host == "localhost"
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok();
    let scheme = match (local, host.contains('.')) {
        (true, _) => "http",
        (false, true) => "https",
        (false, false) => return None,
    };
    Some(format!("{scheme}://{text}"))
}

/// Downloads the page at `url` and extracts its article.
pub async fn fetch_article(url: &str, settings: &FetchSettings) -> Result<Article, FetchError> {
    let parsed = reqwest::Url::parse(url).map_err(|_| FetchError::BadUrl {
        url: url.to_string(),
    })?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(FetchError::BadUrl {
            url: url.to_string(),
        });
    }
    let client = reqwest::Client::builder()
        .connect_timeout(settings.connect_timeout)
        .timeout(settings.timeout)
        .redirect(reqwest::redirect::Policy::limited(settings.max_redirects))
        .user_agent(concat!("Interlinea/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| FetchError::Transport {
            url: url.to_string(),
            reason: e.to_string(),
        })?;
    let transport = |e: reqwest::Error| classify(url, &parsed, settings, e);
    let mut response = client
        .get(parsed.clone())
        .header(
            reqwest::header::ACCEPT,
            "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.5",
        )
        .send()
        .await
        .map_err(transport)?;
    let status = response.status();
    if !status.is_success() {
        return Err(FetchError::Status {
            url: url.to_string(),
            status: status.as_u16(),
        });
    }
    let final_url = response.url().to_string();
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("text/html")
        .to_ascii_lowercase();
    let mime = content_type.split(';').next().unwrap_or("").trim();
    let format = match mime {
        "text/html" | "application/xhtml+xml" | "" => SourceFormat::Html,
        "text/plain" => SourceFormat::Text,
        "text/markdown" => SourceFormat::Markdown,
        _ => {
            return Err(FetchError::NotHtml {
                url: url.to_string(),
                content_type: mime.to_string(),
            })
        }
    };
    let too_large = || FetchError::TooLarge {
        url: url.to_string(),
        limit: settings.max_bytes,
    };
    if response
        .content_length()
        .is_some_and(|n| n > settings.max_bytes as u64)
    {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(transport)? {
        if bytes.len() + chunk.len() > settings.max_bytes {
            return Err(too_large());
        }
        bytes.extend_from_slice(&chunk);
    }
    let text = decode_page(&bytes, charset_param(&content_type).as_deref());
    let text = crate::text::codes::sanitize(&text).into_owned();
    if text.trim().is_empty() {
        return Err(ImportError::Empty {
            file: url.to_string(),
        }
        .into());
    }
    let mut article = match format {
        SourceFormat::Html => {
            super::check_nesting(url, &text)?;
            article::extract(&text, Some(&final_url))
        }
        other => Article {
            document: super::parse(other, &text),
            meta: Default::default(),
        },
    };
    article.meta.url = Some(url.to_string());
    finish(url, &mut article.document)?;
    Ok(article)
}

fn classify(
    url: &str,
    parsed: &reqwest::Url,
    settings: &FetchSettings,
    e: reqwest::Error,
) -> FetchError {
    let url = url.to_string();
    if e.is_timeout() {
        return FetchError::Timeout {
            url,
            seconds: settings.timeout.as_secs().max(1),
        };
    }
    if e.is_redirect() {
        return FetchError::TooManyRedirects {
            url,
            limit: settings.max_redirects,
        };
    }
    if e.is_connect() {
        let host = format!(
            "{}:{}",
            parsed.host_str().unwrap_or(""),
            parsed.port_or_known_default().unwrap_or(0)
        );
        return FetchError::Unreachable { url, host };
    }
    FetchError::Transport {
        url,
        reason: e.to_string(),
    }
}

/// The `charset=` of a Content-Type value.
fn charset_param(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (name, value) = p.split_once('=')?;
        (name.trim() == "charset").then(|| value.trim().trim_matches('"').to_string())
    })
}

/// The charset a page declares in a `<meta>` within its first 1024 bytes,
/// as browsers look for it.
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(1024)];
    let lower = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = memchr::memmem::find(&lower[from..], b"charset=") {
        let start = from + at + b"charset=".len();
        let label: Vec<u8> = lower[start..]
            .iter()
            .copied()
            .skip_while(|b| *b == b'"' || *b == b'\'')
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'))
            .collect();
        if let Some(encoding) = Encoding::for_label(&label) {
            // A page that says UTF-16 in ASCII bytes cannot be UTF-16.
            return Some(
                if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE {
                    UTF_8
                } else {
                    encoding
                },
            );
        }
        from = start;
    }
    None
}

/// Decodes a page: a byte-order mark first, then the HTTP header's
/// charset, then the page's `<meta>`; without any, UTF-8 when the bytes are
/// UTF-8 and Windows-1252 (the web's Latin-1) when they are not. A page
/// labelled UTF-8 whose bytes are not is read as Windows-1252 too: old
/// Italian sites mislabel Latin-1 pages, and a replacement character in
/// every accented word would be worse.
pub fn decode_page(bytes: &[u8], header_charset: Option<&str>) -> String {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        return encoding
            .decode_without_bom_handling(&bytes[bom..])
            .0
            .into_owned();
    }
    let declared = header_charset
        .and_then(|c| Encoding::for_label(c.as_bytes()))
        .or_else(|| meta_charset(bytes));
    let encoding = match declared {
        Some(e) if e == UTF_8 => {
            if std::str::from_utf8(bytes).is_ok() {
                UTF_8
            } else {
                WINDOWS_1252
            }
        }
        Some(e) => e,
        None if std::str::from_utf8(bytes).is_ok() => UTF_8,
        None => WINDOWS_1252,
    };
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}

/// [`fetch_article`] for callers without an async runtime (the CLI).
pub fn fetch_article_blocking(url: &str, settings: &FetchSettings) -> Result<Article, FetchError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| FetchError::Transport {
            url: url.to_string(),
            reason: e.to_string(),
        })?
        .block_on(fetch_article(url, settings))
}
