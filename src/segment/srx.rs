//! SRX 2.0 segmentation rules: reading the XML, translating the Java regular
//! expressions the industry's files are written in, and applying the rules.
//!
//! A position in the text is a break when the first rule (in cascade order)
//! whose `beforebreak` pattern matches text ending there and whose
//! `afterbreak` pattern matches text starting there says `break="yes"`.

use std::collections::HashMap;
use std::ops::Range;

use quick_xml::events::Event;
use quick_xml::Reader;
use regex_automata::{meta, Anchored, Input};

/// Problems with an SRX file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SrxError {
    /// The file is not well-formed XML.
    #[error("malformed SRX XML: {0}")]
    Xml(String),
    /// The file declares a DOCTYPE (entity expansion is refused).
    #[error("SRX files with a DOCTYPE are refused (entity declarations are not allowed)")]
    Doctype,
    /// The file is not SRX.
    #[error("not an SRX file: {0}")]
    NotSrx(String),
    /// A rule's pattern does not compile.
    #[error("rule {rule} of `{language_rule}`: bad pattern {pattern:?}: {message}")]
    Pattern {
        /// Name of the language rule holding the rule.
        language_rule: String,
        /// Position of the rule in its language rule, from 1.
        rule: usize,
        /// The pattern as written in the file.
        pattern: String,
        /// The regex engine's complaint.
        message: String,
    },
    /// No language map matches the requested language.
    #[error("no language map in the SRX file matches language `{0}`")]
    NoLanguage(String),
}

/// One rule as written in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SrxRule {
    /// `break="yes"` (the default) or `break="no"`.
    pub is_break: bool,
    /// The `beforebreak` pattern, Java syntax; empty when absent.
    pub before: String,
    /// The `afterbreak` pattern, Java syntax; empty when absent.
    pub after: String,
}

/// A parsed SRX document.
#[derive(Debug, Clone, Default)]
pub struct SrxDocument {
    /// Whether all matching language maps apply (`cascade="yes"`) or only the first.
    pub cascade: bool,
    /// The `languagerule`s, by name, in file order.
    pub language_rules: Vec<(String, Vec<SrxRule>)>,
    /// The `languagemap`s: (language pattern, language rule name).
    pub maps: Vec<(String, String)>,
}

impl SrxDocument {
    /// Parses an SRX 2.0 document. Also accepts the common deviations of
    /// real files (extension elements in the header, missing attributes).
    pub fn parse(xml: &str) -> Result<SrxDocument, SrxError> {
        let mut reader = Reader::from_str(xml);
        let mut doc = SrxDocument::default();
        let mut saw_root = false;
        let mut current_rule: Option<SrxRule> = None;
        let mut text_target: Option<bool> = None; // Some(true) = before, Some(false) = after
        loop {
            let event = reader
                .read_event()
                .map_err(|e| SrxError::Xml(format!("at byte {}: {e}", reader.error_position())))?;
            match event {
                Event::DocType(_) => return Err(SrxError::Doctype),
                Event::Start(ref e) | Event::Empty(ref e) => {
                    let is_empty = matches!(event, Event::Empty(_));
                    let name = e.local_name();
                    match name.as_ref() {
                        b"srx" => saw_root = true,
                        b"header" => {
                            doc.cascade = attr(e, b"cascade")?.as_deref() == Some("yes");
                        }
                        b"languagerule" => {
                            let name = attr(e, b"languagerulename")?.unwrap_or_default();
                            doc.language_rules.push((name, Vec::new()));
                        }
                        b"rule" => {
                            let is_break = attr(e, b"break")?.as_deref() != Some("no");
                            let rule = SrxRule {
                                is_break,
                                before: String::new(),
                                after: String::new(),
                            };
                            if is_empty {
                                push_rule(&mut doc, rule)?;
                            } else {
                                current_rule = Some(rule);
                            }
                        }
                        b"beforebreak" if !is_empty => text_target = Some(true),
                        b"afterbreak" if !is_empty => text_target = Some(false),
                        b"languagemap" => {
                            let pattern = attr(e, b"languagepattern")?.unwrap_or_default();
                            let rule_name = attr(e, b"languagerulename")?.unwrap_or_default();
                            doc.maps.push((pattern, rule_name));
                        }
                        _ => {}
                    }
                }
                Event::Text(t) => {
                    if let (Some(target), Some(rule)) = (text_target, current_rule.as_mut()) {
                        let text = t
                            .unescape()
                            .map_err(|e| SrxError::Xml(format!("in a rule pattern: {e}")))?;
                        if target {
                            rule.before.push_str(&text);
                        } else {
                            rule.after.push_str(&text);
                        }
                    }
                }
                Event::CData(t) => {
                    if let (Some(target), Some(rule)) = (text_target, current_rule.as_mut()) {
                        let text = String::from_utf8_lossy(&t).into_owned();
                        if target {
                            rule.before.push_str(&text);
                        } else {
                            rule.after.push_str(&text);
                        }
                    }
                }
                Event::End(e) => match e.local_name().as_ref() {
                    b"beforebreak" | b"afterbreak" => text_target = None,
                    b"rule" => {
                        if let Some(rule) = current_rule.take() {
                            push_rule(&mut doc, rule)?;
                        }
                    }
                    _ => {}
                },
                Event::Eof => break,
                _ => {}
            }
        }
        if !saw_root {
            return Err(SrxError::NotSrx("no <srx> root element".into()));
        }
        Ok(doc)
    }

    /// The rules that apply to `language` (e.g. `it` or `it-IT`), in order:
    /// language maps are matched case-insensitively against the whole code.
    pub fn rules_for(&self, language: &str) -> Result<Vec<(&str, &[SrxRule])>, SrxError> {
        let mut selected = Vec::new();
        for (pattern, rule_name) in &self.maps {
            let java = translate_java_regex(pattern);
            let re =
                meta::Regex::new(&format!("(?i)^(?:{java})$")).map_err(|e| SrxError::Pattern {
                    language_rule: "maprules".into(),
                    rule: 0,
                    pattern: pattern.clone(),
                    message: e.to_string(),
                })?;
            if !re.is_match(language) {
                continue;
            }
            if let Some((name, rules)) = self.language_rules.iter().find(|(n, _)| n == rule_name) {
                selected.push((name.as_str(), rules.as_slice()));
            }
            if !self.cascade {
                break;
            }
        }
        if selected.is_empty() {
            return Err(SrxError::NoLanguage(language.to_string()));
        }
        Ok(selected)
    }
}

fn attr(e: &quick_xml::events::BytesStart<'_>, name: &[u8]) -> Result<Option<String>, SrxError> {
    for a in e.attributes() {
        let a = a.map_err(|e| SrxError::Xml(e.to_string()))?;
        if a.key.local_name().as_ref() == name {
            let value = a
                .unescape_value()
                .map_err(|e| SrxError::Xml(e.to_string()))?;
            return Ok(Some(value.into_owned()));
        }
    }
    Ok(None)
}

fn push_rule(doc: &mut SrxDocument, rule: SrxRule) -> Result<(), SrxError> {
    match doc.language_rules.last_mut() {
        Some((_, rules)) => {
            rules.push(rule);
            Ok(())
        }
        None => Err(SrxError::NotSrx(
            "a <rule> outside any <languagerule>".into(),
        )),
    }
}

/// Rewrites a Java regular expression into the syntax of the `regex` and
/// `fancy-regex` crates: `\uXXXX`, `\h`, `\v` and `\p{Punct}` are spelled
/// out, and the inline flags `u`/`U` are dropped (Java's `U` asks for Unicode
/// classes, which are the default here; here `U` would mean lazy quantifiers).
pub fn translate_java_regex(java: &str) -> String {
    const H: &str = r"\t\x{20}\x{A0}\x{1680}\x{180E}\x{2000}-\x{200A}\x{202F}\x{205F}\x{3000}";
    const V: &str = r"\n\x{0B}\x{0C}\r\x{85}\x{2028}\x{2029}";
    const PUNCT: &str = r"!-/:-@\[-`{-~";
    let chars: Vec<char> = java.chars().collect();
    let mut out = String::with_capacity(java.len() + 16);
    let mut class_depth = 0usize;
    let mut i = 0;
    let in_class_or_wrap = |out: &mut String, body: &str, depth: usize| {
        if depth > 0 {
            out.push_str(body);
        } else {
            out.push('[');
            out.push_str(body);
            out.push(']');
        }
    };
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' && i + 1 < chars.len() {
            let next = chars[i + 1];
            match next {
                'u' if i + 5 < chars.len()
                    && chars[i + 2..i + 6].iter().all(|c| c.is_ascii_hexdigit()) =>
                {
                    let hex: String = chars[i + 2..i + 6].iter().collect();
                    out.push_str(&format!("\\x{{{hex}}}"));
                    i += 6;
                    continue;
                }
                'h' => in_class_or_wrap(&mut out, H, class_depth),
                'v' => in_class_or_wrap(&mut out, V, class_depth),
                'p' if chars[i + 2..].starts_with(&['{', 'P', 'u', 'n', 'c', 't', '}']) => {
                    in_class_or_wrap(&mut out, PUNCT, class_depth);
                    i += 9;
                    continue;
                }
                _ => {
                    out.push(c);
                    out.push(next);
                }
            }
            i += 2;
            continue;
        }
        match c {
            '[' => class_depth += 1,
            ']' if class_depth > 0 => class_depth -= 1,
            '(' if class_depth == 0 && chars.get(i + 1) == Some(&'?') => {
                // Inline flag group: (?iu) or (?U) or (?i:...)
                let mut j = i + 2;
                let mut flags = String::new();
                while j < chars.len() && (chars[j].is_ascii_alphabetic() || chars[j] == '-') {
                    flags.push(chars[j]);
                    j += 1;
                }
                if !flags.is_empty() && j < chars.len() && (chars[j] == ')' || chars[j] == ':') {
                    let kept: String = flags.chars().filter(|f| *f != 'u' && *f != 'U').collect();
                    let kept = kept.trim_end_matches('-');
                    if kept.is_empty() && chars[j] == ')' {
                        i = j + 1;
                        continue;
                    }
                    out.push_str("(?");
                    out.push_str(kept);
                    out.push(chars[j]);
                    i = j + 1;
                    continue;
                }
            }
            _ => {}
        }
        out.push(c);
        i += 1;
    }
    out
}

/// A compiled pattern: the fast automaton engine, or the backtracking one
/// for the few rules that use look-around.
#[derive(Debug, Clone)]
enum Pattern {
    Empty,
    Plain {
        search: meta::Regex,
    },
    Fancy {
        search: Box<fancy_regex::Regex>,
        anchored: Box<fancy_regex::Regex>,
    },
}

impl Pattern {
    fn compile(java: &str) -> Result<Pattern, String> {
        if java.is_empty() {
            return Ok(Pattern::Empty);
        }
        let rust = translate_java_regex(java);
        // Rules need only the overall match: no capture groups, and no
        // one-pass or backtracking engines to build (faster to load).
        let config = meta::Config::new()
            .which_captures(regex_automata::nfa::thompson::WhichCaptures::Implicit)
            .onepass(false)
            .backtrack(false);
        match meta::Builder::new().configure(config).build(&rust) {
            Ok(search) => Ok(Pattern::Plain { search }),
            Err(_) => {
                let search = fancy_regex::Regex::new(&rust).map_err(|e| e.to_string())?;
                let anchored =
                    fancy_regex::Regex::new(&format!("^(?:{rust})")).map_err(|e| e.to_string())?;
                Ok(Pattern::Fancy {
                    search: Box::new(search),
                    anchored: Box::new(anchored),
                })
            }
        }
    }

    /// Whether the pattern matches text starting exactly at `at`.
    fn matches_at(&self, text: &str, at: usize) -> bool {
        match self {
            Pattern::Empty => true,
            Pattern::Plain { search } => search
                .search(&Input::new(text).range(at..).anchored(Anchored::Yes))
                .is_some(),
            // Look-around rules see no context to the left of `at`: an
            // accepted limit, as these patterns only look ahead.
            Pattern::Fancy { anchored, .. } => anchored.is_match(&text[at..]).unwrap_or(false),
        }
    }

    /// End offsets of the matches that start at each position from `from` on
    /// (one per start position, leftmost-first), so overlapping matches count.
    fn match_ends(&self, text: &str, mut from: usize, ends: &mut Vec<usize>) {
        loop {
            let found = match self {
                Pattern::Empty => return,
                Pattern::Plain { search } => search
                    .search(&Input::new(text).range(from..))
                    .map(|m| (m.start(), m.end())),
                Pattern::Fancy { search, .. } => search
                    .find_from_pos(text, from)
                    .ok()
                    .flatten()
                    .map(|m| (m.start(), m.end())),
            };
            let Some((start, end)) = found else { return };
            ends.push(end);
            from = next_char_boundary(text, start);
            if from > text.len() {
                return;
            }
        }
    }
}

fn next_char_boundary(text: &str, at: usize) -> usize {
    text[at..]
        .chars()
        .next()
        .map_or(text.len() + 1, |c| at + c.len_utf8())
}

#[derive(Debug)]
struct CompiledRule {
    is_break: bool,
    before: Pattern,
    after: Pattern,
}

/// The SRX rules for one language, compiled and ready to split text.
#[derive(Debug)]
pub struct SrxRules {
    rules: Vec<CompiledRule>,
}

impl SrxRules {
    /// Compiles the rules that `doc` maps to `language`, preceded by no-break
    /// rules for `extra_abbreviations` (the user's own exceptions).
    pub fn compile<'d, S: AsRef<str>>(
        doc: &'d SrxDocument,
        language: &str,
        extra_abbreviations: &[S],
    ) -> Result<SrxRules, SrxError> {
        let mut rules = Vec::new();
        for abbreviation in extra_abbreviations {
            let word = super::italian::normalise_abbreviation(abbreviation.as_ref());
            if word.is_empty() {
                continue;
            }
            let escaped = regex_syntax::escape(&word);
            rules.push(CompiledRule {
                is_break: false,
                before: Pattern::compile(&format!(r"(?i)\b{escaped}\.")).map_err(|message| {
                    SrxError::Pattern {
                        language_rule: "user exceptions".into(),
                        rule: rules.len() + 1,
                        pattern: word.clone(),
                        message,
                    }
                })?,
                after: Pattern::Empty,
            });
        }
        // Files repeat the same patterns (`\s` after most rules): compile each once.
        let mut compiled: HashMap<&str, Pattern> = HashMap::new();
        for (name, language_rules) in doc.rules_for(language)? {
            for (idx, rule) in language_rules.iter().enumerate() {
                let mut compile = |pattern: &'d str| -> Result<Pattern, SrxError> {
                    if let Some(done) = compiled.get(pattern) {
                        return Ok(done.clone());
                    }
                    let done = Pattern::compile(pattern).map_err(|message| SrxError::Pattern {
                        language_rule: name.to_string(),
                        rule: idx + 1,
                        pattern: pattern.to_string(),
                        message,
                    })?;
                    compiled.insert(pattern, done.clone());
                    Ok(done)
                };
                rules.push(CompiledRule {
                    is_break: rule.is_break,
                    before: compile(&rule.before)?,
                    after: compile(&rule.after)?,
                });
            }
        }
        Ok(SrxRules { rules })
    }

    /// Byte ranges of the segments of `text`, without surrounding whitespace.
    pub fn split(&self, text: &str) -> Vec<Range<usize>> {
        let mut candidates = Vec::new();
        let mut per_rule: Vec<Vec<usize>> = Vec::with_capacity(self.rules.len());
        for rule in &self.rules {
            let mut ends = Vec::new();
            match rule.before {
                Pattern::Empty => {
                    // No left context: every position where `after` matches.
                    let mut at = 0;
                    while at <= text.len() {
                        if rule.after.matches_at(text, at) {
                            ends.push(at);
                        }
                        at = next_char_boundary(text, at);
                    }
                }
                _ => rule.before.match_ends(text, 0, &mut ends),
            }
            ends.retain(|&end| end > 0 && end < text.len() && rule.after.matches_at(text, end));
            ends.sort_unstable();
            ends.dedup();
            if rule.is_break {
                candidates.extend_from_slice(&ends);
            }
            per_rule.push(ends);
        }
        candidates.sort_unstable();
        candidates.dedup();
        let mut starts = vec![0];
        for position in candidates {
            let deciding = self
                .rules
                .iter()
                .zip(&per_rule)
                .find(|(_, ends)| ends.binary_search(&position).is_ok());
            if let Some((rule, _)) = deciding {
                if rule.is_break {
                    starts.push(position);
                }
            }
        }
        super::italian::to_trimmed_ranges(text, &starts)
    }
}

#[cfg(test)]
mod tests;
