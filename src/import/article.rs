//! A news page's article: headline, standfirst, body paragraphs, captions
//! and pull quotes, with the page's metadata (outlet, author, dates,
//! canonical URL) — and without the site around it.
//!
//! The body is the element that most plainly holds the article (schema.org
//! `articleBody`, the usual content classes, `<article>`, `<main>`), else the
//! element whose paragraphs hold the most text. Inside it, elements whose
//! tag, class or id says they are navigation, advertising, related links,
//! newsletter or cookie prompts, share bars or comments are dropped whole.
//! Inside a block, links, emphasis, line breaks and images become the
//! block's inline codes, each keeping its element rebuilt from the page's
//! name and attributes (without event handlers or `javascript:` addresses),
//! so that the English article can be written with them.

use std::collections::{HashMap, HashSet};

use ego_tree::NodeRef;
use scraper::{ElementRef, Html, Node, Selector};
use serde_json::Value;

use crate::document::{
    ArticleMeta, Block, BlockKind, Document, InlineCode, SourceFormat, Translatable,
};
use crate::text::codes::{self, Mark, MAX_CODES};

use super::normalise_space;

/// An article extracted from a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// Its blocks: the headline first, then the standfirst, then the body.
    pub document: Document,
    /// What the page says about it.
    pub meta: ArticleMeta,
}

/// Elements that never hold article text.
const SKIPPED: &[&str] = &[
    "script", "style", "nav", "header", "footer", "aside", "form", "noscript", "template", "svg",
    "button", "select", "iframe", "object", "head", "time", "menu", "dialog",
];

/// Parts of class names and ids that mark page furniture.
const JUNK: &[&str] = &[
    "related",
    "correlat",
    "newsletter",
    "cookie",
    "consent",
    "gdpr",
    "share",
    "social",
    "comment",
    "commenti",
    "promo",
    "subscribe",
    "abbonati",
    "paywall",
    "taboola",
    "outbrain",
    "breadcrumb",
    "sidebar",
    "widget",
    "banner",
    "advert",
    "sponsor",
    "byline",
    "author",
    "autore",
    "tags",
    "leggi-anche",
    "read-also",
    "readmore",
    "read-more",
    "popup",
    "modal",
    "navigation",
    "navbar",
    "menu",
    "footer",
    "masthead",
    "toolbar",
    "entry-meta",
    "post-meta",
    "article-meta",
    "most-read",
    "piu-letti",
    "trending",
    "pubblicita",
    // The kicker over the headline is a section label, not article text.
    "occhiello",
    "kicker",
];

/// Whole class names or ids that mark advertising ("ad" alone is too short
/// to look for inside other words).
const AD_TOKENS: &[&str] = &["ad", "ads", "adv", "adsense", "dfp"];
const AD_PREFIXES: &[&str] = &["ad-", "ads-", "adv-", "ad_", "gpt-ad", "google-ad"];

/// Class names of the standfirst (summary under the headline).
const STANDFIRST: &[&str] = &[
    "standfirst",
    "summary",
    "excerpt",
    "dek",
    "subtitle",
    "subheadline",
    "sommario",
    "catenaccio",
    "sottotitolo",
    "abstract",
    "lead",
];

/// Class names of pull quotes, kept even inside an `<aside>`.
const PULL_QUOTE: &[&str] = &["pullquote", "pull-quote", "citazione"];

/// Class names of captions written as paragraphs.
const CAPTION: &[&str] = &["caption", "didascalia", "wp-caption-text"];

/// Selectors of the article body, most specific first.
const BODY_SELECTORS: &[&str] = &[
    "[itemprop=\"articleBody\"]",
    ".entry-content",
    ".article-body",
    ".article__body",
    ".articleBody",
    ".story-body",
    ".post-content",
    ".article-content",
    ".article-text",
    ".testo-articolo",
    "article",
    "main",
    "[role=\"main\"]",
];

/// A body candidate must hold at least this much paragraph text.
const MIN_BODY_CHARS: usize = 200;

/// Extracts the article of an HTML page. `url` is where it came from.
pub fn extract(html: &str, url: Option<&str>) -> Article {
    let page = Html::parse_document(html);
    let ld = json_ld_article(&page);
    let mut meta = metadata(&page, ld.as_ref(), url);
    if meta.url.is_none() {
        meta.url = url.map(str::to_string);
    }

    let furniture = Furniture::of(&page);
    let headline = find_headline(&page, &furniture);
    let standfirst = find_standfirst(&page, &furniture);
    let root = find_body(&page, &furniture);

    let mut blocks = Vec::new();
    let headline_block = headline
        .and_then(|h| inline_block(BlockKind::Heading(1), *h))
        .or_else(|| {
            ld.as_ref()
                .and_then(|v| string_field(v, "headline"))
                .or_else(|| meta_content(&page, "property", "og:title"))
                .map(|text| block(BlockKind::Heading(1), text, Vec::new()))
        });
    let headline_text = headline_block.as_ref().map(|b| codes::strip(&b.text));
    blocks.extend(headline_block);
    let standfirst_block = standfirst.and_then(|s| inline_block(BlockKind::Standfirst, *s));
    let has_standfirst = standfirst_block.is_some();
    blocks.extend(standfirst_block);

    let mut body = Vec::new();
    let mut lists = Vec::new();
    let skip: Vec<_> = headline
        .iter()
        .chain(standfirst.iter())
        .map(|e| e.id())
        .collect();
    if let Some(root) = root {
        blocks.extend(lead_captions(root, &furniture));
        walk(*root, &skip, &mut lists, &mut body);
    } else {
        walk(page.tree.root(), &skip, &mut lists, &mut body);
    }
    // Pages that render the text with scripts still carry it in JSON-LD.
    let paragraphs = body
        .iter()
        .filter(|b: &&Block| b.kind == BlockKind::Paragraph)
        .count();
    if paragraphs < 2 {
        if let Some(text) = ld.as_ref().and_then(|v| string_field(v, "articleBody")) {
            body = text
                .split('\n')
                .map(normalise_space)
                .filter(|p| !p.is_empty())
                .map(|p| block(BlockKind::Paragraph, p, Vec::new()))
                .collect();
            if !has_standfirst {
                if let Some(description) = ld.as_ref().and_then(|v| string_field(v, "description"))
                {
                    blocks.push(block(BlockKind::Standfirst, description, Vec::new()));
                }
            }
        }
    }
    // A headline repeated as the body's first heading is the same block.
    body.retain(|b| {
        !(b.kind == BlockKind::Heading(1) && Some(codes::strip(&b.text)) == headline_text)
    });
    blocks.extend(body);

    Article {
        document: Document {
            format: SourceFormat::Html,
            blocks,
        },
        meta,
    }
}

fn block(kind: BlockKind, text: String, codes: Vec<InlineCode>) -> Block {
    let translatable = if kind == BlockKind::Code {
        Translatable::Never
    } else {
        Translatable::Yes
    };
    Block {
        kind,
        text,
        codes,
        translatable,
    }
}

/// The block of kind `kind` that `node` holds, with its inline codes;
/// `None` when it has no text (an image alone is not a block).
fn inline_block(kind: BlockKind, node: NodeRef<'_, Node>) -> Option<Block> {
    let preformatted = kind == BlockKind::Code;
    let mut inline = Inline {
        text: String::new(),
        codes: Vec::new(),
        keep_codes: true,
        preformatted,
    };
    inline.collect(node);
    let text = if preformatted {
        inline.text.trim_end().to_string()
    } else {
        normalise_space(&inline.text)
    };
    if codes::strip(&text).trim().is_empty() {
        return None;
    }
    Some(block(kind, text, inline.codes))
}

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("a valid built-in selector")
}

/// Lower-cased class names and id of an element.
fn names(element: &scraper::node::Element) -> impl Iterator<Item = String> + '_ {
    element
        .classes()
        .chain(element.id())
        .map(str::to_ascii_lowercase)
}

fn has_name_like(element: &scraper::node::Element, parts: &[&str]) -> bool {
    names(element).any(|n| parts.iter().any(|p| n.contains(p)))
}

fn is_junk(element: &scraper::node::Element) -> bool {
    if has_name_like(element, PULL_QUOTE) {
        return false;
    }
    let name = element.name();
    if SKIPPED.contains(&name) || name.starts_with("amp-") && name != "amp-img" {
        return true;
    }
    if element.attr("hidden").is_some() || element.attr("aria-hidden") == Some("true") {
        return true;
    }
    names(element).any(|n| {
        JUNK.iter().any(|j| n.contains(j))
            || AD_TOKENS.contains(&n.as_str())
            || AD_PREFIXES.iter().any(|p| n.starts_with(p))
    })
}

/// The elements that are page furniture or inside it, found in one pass
/// over the page (asking each element's ancestors instead would cost a
/// page of deeply nested paragraphs its depth for every paragraph).
struct Furniture(HashSet<ego_tree::NodeId>);

impl Furniture {
    fn of(page: &Html) -> Furniture {
        let mut junk = HashSet::default();
        let mut stack = vec![(page.tree.root(), false)];
        while let Some((node, inherited)) = stack.pop() {
            let here = inherited
                || node
                    .value()
                    .as_element()
                    // The headline and standfirst sit in the page's header
                    // as a rule.
                    .is_some_and(|e| e.name() != "header" && is_junk(e));
            if here {
                junk.insert(node.id());
            }
            stack.extend(node.children().map(|c| (c, here)));
        }
        Furniture(junk)
    }

    /// Whether the element or one of its ancestors is page furniture.
    fn holds(&self, element: ElementRef<'_>) -> bool {
        self.0.contains(&element.id())
    }
}

/// The text of `node`, without codes.
fn text_of(node: NodeRef<'_, Node>) -> String {
    let mut inline = Inline {
        text: String::new(),
        codes: Vec::new(),
        keep_codes: false,
        preformatted: false,
    };
    inline.collect(node);
    normalise_space(&inline.text)
}

fn find_headline<'p>(page: &'p Html, furniture: &Furniture) -> Option<ElementRef<'p>> {
    let usable = |h: &ElementRef<'_>| {
        !furniture.holds(*h)
            && !has_name_like(h.value(), &["logo", "site-title", "brand", "site-name"])
            && !text_of(**h).is_empty()
    };
    page.select(&selector("article h1, main h1"))
        .find(usable)
        .or_else(|| page.select(&selector("h1")).find(usable))
}

/// Whether a class name or id ends in one of `words` ("entry-summary",
/// "c-article__standfirst"), so that "lead-image-caption" is not a lead.
fn has_name_ending(element: &scraper::node::Element, words: &[&str]) -> bool {
    names(element).any(|n| {
        let last = n.rsplit(['-', '_']).next().unwrap_or(&n);
        words.contains(&last)
    })
}

fn find_standfirst<'p>(page: &'p Html, furniture: &Furniture) -> Option<ElementRef<'p>> {
    page.select(&selector("p, h2, div, span"))
        .filter(|e| has_name_ending(e.value(), STANDFIRST))
        // A container of the whole article may be called "lead" too.
        .filter(|e| !has_block_child(**e))
        .filter(|e| !furniture.holds(*e))
        .find(|e| text_of(**e).chars().count() >= 20)
}

fn find_body<'p>(page: &'p Html, furniture: &Furniture) -> Option<ElementRef<'p>> {
    for css in BODY_SELECTORS {
        if let Some(found) = page
            .select(&selector(css))
            .filter(|e| !furniture.holds(*e))
            .find(|e| paragraph_chars(*e, furniture) >= MIN_BODY_CHARS)
        {
            return Some(found);
        }
    }
    densest(page, furniture)
}

/// Text in the paragraphs under `element` that are not page furniture.
fn paragraph_chars(element: ElementRef<'_>, furniture: &Furniture) -> usize {
    element
        .select(&selector("p"))
        .filter(|p| !furniture.holds(*p))
        .map(|p| text_of(*p).chars().count())
        .sum()
}

/// The element whose own paragraphs hold the most text: each paragraph
/// counts for its parent, and half for its grandparent.
fn densest<'p>(page: &'p Html, furniture: &Furniture) -> Option<ElementRef<'p>> {
    let mut scores: HashMap<ego_tree::NodeId, usize> = HashMap::new();
    let mut add = |id, points| *scores.entry(id).or_default() += points;
    for p in page.select(&selector("p")).filter(|p| !furniture.holds(*p)) {
        let chars = text_of(*p).chars().count();
        if chars < 40 {
            continue;
        }
        let mut ancestors = p.ancestors();
        if let Some(parent) = ancestors.next() {
            add(parent.id(), chars * 2);
        }
        if let Some(grandparent) = ancestors.next() {
            add(grandparent.id(), chars);
        }
    }
    // Ties go to the element met first, so the result does not depend on
    // the map's order.
    let (best, points) = scores
        .into_iter()
        .max_by_key(|(id, s)| (*s, std::cmp::Reverse(*id)))?;
    (points >= MIN_BODY_CHARS).then(|| page.tree.get(best).and_then(ElementRef::wrap))?
}

/// The captions of the article's photos that come before its body, outside
/// it: most news pages put the lead photo between the headline and the
/// text, in the `article` (or `main`) that holds both.
fn lead_captions(root: ElementRef<'_>, furniture: &Furniture) -> Vec<Block> {
    let Some(scope) = root
        .ancestors()
        .filter_map(ElementRef::wrap)
        .find(|e| matches!(e.value().name(), "article" | "main"))
    else {
        return Vec::new();
    };
    let mut captions = Vec::new();
    // In document order, up to the body.
    for node in scope.descendants() {
        if node.id() == root.id() {
            break;
        }
        if let Some(caption) = ElementRef::wrap(node)
            .filter(|e| e.value().name() == "figcaption" && !furniture.holds(*e))
        {
            captions.extend(inline_block(BlockKind::Caption, *caption));
        }
    }
    captions
}

fn block_kind(element: &scraper::node::Element, lists: &[bool]) -> Option<BlockKind> {
    let name = element.name();
    if has_name_like(element, PULL_QUOTE) {
        return Some(BlockKind::Quote);
    }
    if matches!(name, "p" | "div" | "span") && has_name_like(element, CAPTION) {
        return Some(BlockKind::Caption);
    }
    Some(match name {
        "p" => BlockKind::Paragraph,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => BlockKind::Heading(name.as_bytes()[1] - b'0'),
        "li" => BlockKind::ListItem {
            ordered: lists.last().copied().unwrap_or(false),
            depth: lists.len().saturating_sub(1).min(u8::MAX as usize) as u8,
        },
        "blockquote" => BlockKind::Quote,
        "figcaption" => BlockKind::Caption,
        "pre" => BlockKind::Code,
        _ => return None,
    })
}

fn is_block_element(name: &str) -> bool {
    matches!(
        name,
        "p" | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "blockquote"
            | "figcaption"
            | "figure"
            | "pre"
            | "ul"
            | "ol"
            | "div"
            | "section"
            | "article"
            | "table"
            | "aside"
    )
}

fn has_block_child(node: NodeRef<'_, Node>) -> bool {
    node.descendants().skip(1).any(|d| match d.value() {
        Node::Element(e) => is_block_element(e.name()),
        _ => false,
    })
}

fn walk(
    node: NodeRef<'_, Node>,
    skip: &[ego_tree::NodeId],
    lists: &mut Vec<bool>,
    out: &mut Vec<Block>,
) {
    let Node::Element(element) = node.value() else {
        for child in node.children() {
            walk(child, skip, lists, out);
        }
        return;
    };
    if skip.contains(&node.id()) || is_junk(element) {
        return;
    }
    let name = element.name();
    let is_list = matches!(name, "ul" | "ol");
    if is_list {
        lists.push(name == "ol");
    }
    match block_kind(element, lists) {
        // A pull quote is one block even when its quote and credit are
        // separate paragraphs, and so is a photo's caption.
        Some(kind)
            if kind == BlockKind::Quote || name == "figcaption" || !has_block_child(node) =>
        {
            out.extend(inline_block(kind, node));
        }
        _ => {
            for child in node.children() {
                walk(child, skip, lists, out);
            }
        }
    }
    if is_list {
        lists.pop();
    }
}

/// Inline elements that become codes of their block.
const INLINE_CODES: &[&str] = &[
    "a", "strong", "b", "em", "i", "u", "s", "sup", "sub", "code", "q", "abbr", "span", "br", "img",
];

/// A block's text as it is collected, with its inline codes.
struct Inline {
    text: String,
    codes: Vec<InlineCode>,
    /// Whether inline elements become codes; else only their text counts.
    keep_codes: bool,
    /// Inside `<pre>`, a line break is already in the text.
    preformatted: bool,
}

impl Inline {
    fn collect(&mut self, node: NodeRef<'_, Node>) {
        for child in node.children() {
            match child.value() {
                // An entity such as `&#xE000;` must not pose as a code.
                Node::Text(t) => self.text.push_str(&codes::sanitize(t)),
                Node::Element(e) if is_junk(e) => {}
                Node::Element(e) => self.element(child, e),
                _ => {}
            }
        }
    }

    fn element(&mut self, node: NodeRef<'_, Node>, element: &scraper::node::Element) {
        let name = element.name();
        if matches!(name, "br" | "img") {
            if let Some(id) = self.code(element) {
                self.text.push(Mark::Standalone(id).char());
            }
            // The words on either side of a break are apart.
            if name == "br" && !self.preformatted {
                self.text.push(' ');
            }
            return;
        }
        // Paragraphs inside a pull quote are kept apart.
        if is_block_element(name) {
            self.text.push(' ');
            self.collect(node);
            self.text.push(' ');
            return;
        }
        let Some(id) = self.code(element) else {
            self.collect(node);
            return;
        };
        self.text.push(Mark::Open(id).char());
        let start = self.text.len();
        self.collect(node);
        if self.text.len() > start {
            self.text.push(Mark::Close(id).char());
        } else {
            // An element with nothing inside (an anchor) is one code that
            // stands alone: a translator has nothing to put in it.
            self.text.pop();
            self.text.push(Mark::Standalone(id).char());
            let code = &mut self.codes[usize::from(id)];
            let close = std::mem::take(&mut code.close);
            code.open.push_str(&close);
        }
    }

    /// The id of a new code for `element`, if it becomes one: an inline
    /// element while the block has room for codes, except a `<span>`
    /// without attributes, which changes nothing.
    fn code(&mut self, element: &scraper::node::Element) -> Option<u16> {
        let name = element.name();
        if !self.keep_codes || self.codes.len() >= MAX_CODES || !INLINE_CODES.contains(&name) {
            return None;
        }
        let attributes: Vec<(&str, String)> = element
            .attrs()
            .filter(|(name, value)| is_safe_attribute(name, value))
            .map(|(name, value)| (name, codes::sanitize(value).into_owned()))
            .collect();
        if name == "span" && attributes.is_empty() {
            return None;
        }
        let attribute = |wanted: &str| {
            attributes
                .iter()
                .find(|(name, _)| *name == wanted)
                .map(|(_, value)| value.clone())
        };
        let title = match name {
            "a" => attribute("href"),
            "img" => attribute("alt")
                .filter(|alt| !alt.trim().is_empty())
                .or_else(|| attribute("src")),
            "abbr" => attribute("title"),
            _ => None,
        };
        let mut open = format!("<{name}");
        for (name, value) in &attributes {
            open.push_str(&format!(" {name}=\"{}\"", escape_attribute(value)));
        }
        open.push('>');
        let close = if matches!(name, "br" | "img") {
            String::new()
        } else {
            format!("</{name}>")
        };
        let id = self.codes.len() as u16;
        self.codes.push(InlineCode {
            element: name.to_string(),
            open,
            close,
            title: title.unwrap_or_default(),
        });
        Some(id)
    }
}

/// Whether an attribute of the page may be written back: the page is data,
/// so no event handler and no address that runs a script; and only names
/// that need no quoting (the HTML parser accepts `"` or `<` in a name).
fn is_safe_attribute(name: &str, value: &str) -> bool {
    let plain_name = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'));
    if !plain_name || name.to_ascii_lowercase().starts_with("on") {
        return false;
    }
    // Browsers ignore tabs, newlines and leading controls in a scheme:
    // "java\tscript:" runs too.
    let scheme: String = value
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
        .take(11)
        .collect::<String>()
        .to_ascii_lowercase();
    !(scheme.starts_with("javascript:") || scheme.starts_with("vbscript:"))
}

/// `value` escaped for a double-quoted HTML attribute.
fn escape_attribute(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

fn meta_content(page: &Html, attribute: &str, value: &str) -> Option<String> {
    page.select(&selector("meta"))
        .find(|m| m.value().attr(attribute) == Some(value))
        .and_then(|m| m.value().attr("content"))
        .map(|content| normalise_space(&codes::sanitize(content)))
        .filter(|v| !v.is_empty())
}

/// The page's schema.org article object, from any JSON-LD block
/// (alone, in a list, or in an `@graph`).
fn json_ld_article(page: &Html) -> Option<Value> {
    fn is_article(v: &Value) -> bool {
        let kinds = match v.get("@type") {
            Some(Value::String(s)) => vec![s.as_str()],
            Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        kinds
            .iter()
            .any(|k| k.ends_with("Article") || *k == "BlogPosting")
    }
    fn find(v: &Value) -> Option<&Value> {
        match v {
            Value::Array(items) => items.iter().find_map(find),
            Value::Object(map) => {
                if is_article(v) {
                    return Some(v);
                }
                map.get("@graph").and_then(find)
            }
            _ => None,
        }
    }
    page.select(&selector("script[type=\"application/ld+json\"]"))
        .filter_map(|s| serde_json::from_str::<Value>(&s.text().collect::<String>()).ok())
        .find_map(|v| find(&v).cloned())
}

fn string_field(v: &Value, key: &str) -> Option<String> {
    let text = match v.get(key)? {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.first()?.as_str()?.to_string(),
        _ => return None,
    };
    // JSON-LD text may keep HTML entities; the paragraphs' line breaks stay.
    let text = decode_entities(&text);
    let text = codes::sanitize(text.trim()).into_owned();
    (!text.is_empty()).then_some(text)
}

/// `&amp;`, `&quot;`, `&#8217;` … as some sites leave them in JSON-LD.
fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let fragment = Html::parse_fragment(&format!("<pre>{}</pre>", text.replace('<', "&lt;")));
    fragment.root_element().text().collect()
}

/// Names of a JSON-LD person or organisation, or a list of them.
fn names_field(v: Option<&Value>) -> Option<String> {
    let names: Vec<String> = match v? {
        Value::String(s) => vec![s.clone()],
        Value::Object(_) => v?
            .get("name")
            .and_then(Value::as_str)
            .map(str::to_string)
            .into_iter()
            .collect(),
        Value::Array(items) => items
            .iter()
            .filter_map(|i| match i {
                Value::String(s) => Some(s.clone()),
                _ => i.get("name").and_then(Value::as_str).map(str::to_string),
            })
            .collect(),
        _ => Vec::new(),
    };
    let joined = names
        .iter()
        .map(|n| normalise_space(n))
        .filter(|n| !n.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    (!joined.is_empty()).then_some(joined)
}

fn metadata(page: &Html, ld: Option<&Value>, url: Option<&str>) -> ArticleMeta {
    let canonical_url = page
        .select(&selector("link[rel=\"canonical\"]"))
        .find_map(|l| l.value().attr("href"))
        .map(str::trim)
        .filter(|h| h.starts_with("http"))
        .map(str::to_string)
        .or_else(|| meta_content(page, "property", "og:url"));
    let host = url
        .or(canonical_url.as_deref())
        .and_then(|u| reqwest::Url::parse(u).ok())
        .and_then(|u| {
            u.host_str()
                .map(|h| h.trim_start_matches("www.").to_string())
        });
    let outlet = ld
        .and_then(|v| names_field(v.get("publisher")))
        .or_else(|| meta_content(page, "property", "og:site_name"))
        .or(host);
    let author = ld
        .and_then(|v| names_field(v.get("author")))
        .or_else(|| meta_content(page, "name", "author"))
        .or_else(|| meta_content(page, "property", "article:author"))
        .or_else(|| {
            page.select(&selector("[rel=\"author\"], [itemprop=\"author\"]"))
                .map(|a| text_of(*a))
                .find(|t| !t.is_empty())
        });
    let published = ld
        .and_then(|v| string_field(v, "datePublished"))
        .or_else(|| meta_content(page, "property", "article:published_time"))
        .or_else(|| {
            page.select(&selector("time[datetime]"))
                .find_map(|t| t.value().attr("datetime").map(str::to_string))
        });
    let updated = ld
        .and_then(|v| string_field(v, "dateModified"))
        .or_else(|| meta_content(page, "property", "article:modified_time"));
    // Attributes reach here too: none of them may hold a code's character.
    let clean = |field: Option<String>| field.map(|f| codes::sanitize(&f).into_owned());
    ArticleMeta {
        url: None,
        canonical_url: clean(canonical_url),
        outlet: clean(outlet),
        author: clean(author),
        published: clean(published),
        updated: clean(updated),
    }
}
