//! The facts of a news article that a translation must carry over: every
//! number, date, time, name and direct quote of the Italian, each looked
//! for in the English of its segment — and the names' first-mention rule
//! ("Brothers of Italy (FdI)" first, "FdI" after), checked across the
//! whole document.

mod entities;

pub use entities::{entities, Entity, METONYMS};

use crate::glossary::TermMatcher;
use crate::store::{StoreError, Workspace};
use crate::text::codes;
use crate::text::numbers::{number_value, parse_english, parse_italian, scaled_english};
use crate::text::tokenize::{tokenize, TokenKind};

/// What kind of fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactKind {
    /// A number, with its unit when it has one ("20 chilometri").
    Number,
    /// A date.
    Date,
    /// A clock time.
    Time,
    /// A person, organisation or place.
    Name,
    /// A direct quotation.
    Quote,
}

impl FactKind {
    /// The stable name used by the CLI and the app.
    pub fn as_str(self) -> &'static str {
        match self {
            FactKind::Number => "number",
            FactKind::Date => "date",
            FactKind::Time => "time",
            FactKind::Name => "name",
            FactKind::Quote => "quote",
        }
    }
}

/// One fact of a segment and whether the English has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    /// The segment.
    pub segment: i64,
    /// Number, date, time, name or quote.
    pub kind: FactKind,
    /// As the Italian writes it.
    pub italian: String,
    /// Whether the English of the segment has it.
    pub found: bool,
    /// What to look for in the English, when it helps ("Rome", "the
    /// foreign ministry").
    pub hint: Option<String>,
}

const MONTHS_EN: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];
const NUMBER_WORDS: [&str; 11] = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
];

/// The values of the numbers in an English text, and of the numbers up to
/// ten it spells out.
fn english_values(target: &str) -> Vec<String> {
    let mut values: Vec<String> = tokenize(target)
        .iter()
        .filter_map(|t| match t.kind {
            TokenKind::Number => parse_english(t.text).or_else(|| parse_italian(t.text)),
            _ => scaled_english(t.text),
        })
        .map(|n| number_value(&n))
        .collect();
    let lower = target.to_lowercase();
    for word in lower.split(|c: char| !c.is_alphabetic()) {
        if let Some(n) = NUMBER_WORDS.iter().position(|w| *w == word) {
            values.push(n.to_string());
        }
    }
    values
}

/// Units that make a number a quantity worth naming in the list.
const UNITS: &[&str] = &[
    "%",
    "per cento",
    "euro",
    "€",
    "dollari",
    "chilometri",
    "km",
    "metri",
    "m",
    "gradi",
    "anni",
    "persone",
    "milioni",
    "miliardi",
    "mila",
    "ore",
    "minuti",
    "giorni",
    "tonnellate",
    "litri",
];

/// The facts of one segment.
pub fn segment_facts(
    terms: &TermMatcher,
    source: &str,
    target: &str,
) -> Vec<(FactKind, String, bool, Option<String>)> {
    let mut facts = Vec::new();
    let lower_target = target.to_lowercase();
    let values = english_values(target);
    let mut in_dates_or_times: Vec<std::ops::Range<usize>> = Vec::new();
    for c in crate::style::DATE.captures_iter(source) {
        let whole = c.get(0).expect("match");
        in_dates_or_times.push(whole.range());
        let month = crate::text::months::month_index(&c[2]);
        let day = &c[1];
        let found = month.is_some_and(|m| {
            lower_target.contains(MONTHS_EN[m])
                && lower_target.contains(day.trim_start_matches('0'))
                && c.get(3).is_none_or(|y| lower_target.contains(y.as_str()))
        });
        facts.push((
            whole.start(),
            (FactKind::Date, whole.as_str().to_string(), found, None),
        ));
    }
    for time in crate::style::times(source) {
        let found = crate::style::time_found(&time, target);
        facts.push((
            time.span.start,
            (
                FactKind::Time,
                source[time.span.clone()].to_string(),
                found,
                None,
            ),
        ));
        in_dates_or_times.push(time.span);
    }
    let tokens = tokenize(source);
    for token in &tokens {
        if token.kind != TokenKind::Number
            || in_dates_or_times.iter().any(|r| r.contains(&token.start))
        {
            continue;
        }
        let Some(number) = parse_italian(token.text) else {
            continue;
        };
        let value = number_value(&number);
        let rest = source[token.start + token.text.len()..].trim_start();
        let unit = UNITS.iter().find(|u| {
            rest.strip_prefix(**u)
                .is_some_and(|after| !after.starts_with(char::is_alphanumeric))
        });
        let italian = match unit {
            Some(u) => format!("{} {u}", token.text),
            None => token.text.to_string(),
        };
        // "1,2 milioni" is "1.2 million": the value is what must be there.
        let found = values.contains(&value);
        facts.push((token.start, (FactKind::Number, italian, found, None)));
    }
    for entity in entities(terms, source) {
        let found = entity.found_in(target);
        let hint = entity
            .renderings
            .iter()
            .find(|r| **r != entity.italian)
            .cloned();
        let at = source.find(&entity.italian).unwrap_or(0);
        facts.push((at, (FactKind::Name, entity.italian, found, hint)));
    }
    let opening_marks = target
        .chars()
        .filter(|c| matches!(c, '“' | '‘' | '«'))
        .count()
        + target.matches('"').count() / 2;
    for (k, quote) in quotations(source).into_iter().enumerate() {
        let at = source.find(&quote).unwrap_or(0);
        facts.push((at, (FactKind::Quote, quote, opening_marks > k, None)));
    }
    // In the order the Italian gives them.
    facts.sort_by_key(|(at, _)| *at);
    facts.into_iter().map(|(_, fact)| fact).collect()
}

/// The direct quotations of a text: what stands between « » or “ ”.
pub fn quotations(text: &str) -> Vec<String> {
    let mut quotes = Vec::new();
    let mut open: Option<(char, usize)> = None;
    for (at, c) in text.char_indices() {
        match (open, c) {
            (None, '«') => open = Some(('»', at + c.len_utf8())),
            (None, '“') => open = Some(('”', at + c.len_utf8())),
            (Some((close, start)), c) if c == close => {
                let quote = text[start..at].trim();
                if !quote.is_empty() {
                    quotes.push(quote.to_string());
                }
                open = None;
            }
            _ => {}
        }
    }
    // A quotation running on into the next segment counts here too.
    if let Some((_, start)) = open {
        let quote = text[start..].trim();
        if !quote.is_empty() {
            quotes.push(quote.to_string());
        }
    }
    quotes
}

/// The document's fact checklist, in reading order.
pub fn checklist(
    ws: &Workspace,
    terms: &TermMatcher,
    doc_id: i64,
) -> Result<Vec<Fact>, StoreError> {
    let mut facts = Vec::new();
    for segment in ws.segments(doc_id)? {
        if !segment.translatable.is_translatable() {
            continue;
        }
        let (source, target) = (codes::strip(&segment.source), codes::strip(&segment.target));
        for (kind, italian, found, hint) in segment_facts(terms, &source, &target) {
            facts.push(Fact {
                segment: segment.id,
                kind,
                italian,
                found,
                hint,
            });
        }
    }
    Ok(facts)
}

/// Names written in full with their short form in brackets on first
/// mention, and the short form alone after. The glossary adds its own
/// pairs; the translation adds every "Full Name (ABBR)" it writes.
pub const SHORT_FORMS: &[(&str, &str)] = &[
    ("Brothers of Italy", "FdI"),
    ("Democratic Party", "PD"),
    ("Five Star Movement", "M5S"),
    ("Forza Italia", "FI"),
    ("Italian General Confederation of Labour", "CGIL"),
    ("National Institute of Statistics", "Istat"),
];

/// Whether a term looks like a short form: one word, two to six
/// characters, at least two capitals ("FdI", "M5S", "PD").
fn is_short_form(term: &str) -> bool {
    let n = term.chars().count();
    (2..=6).contains(&n)
        && !term.contains(' ')
        && term.chars().filter(|c| c.is_uppercase()).count() >= 2
        && term.chars().all(|c| c.is_alphanumeric())
}

/// The (full, short) pairs known to the glossary.
fn glossary_pairs(terms: &TermMatcher) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    for entry in terms.entries() {
        let english: Vec<&str> = entry.english.iter().map(|t| t.text.as_str()).collect();
        let short = english.iter().find(|t| is_short_form(t));
        let full = english.iter().find(|t| t.contains(' '));
        if let (Some(short), Some(full)) = (short, full) {
            pairs.push((full.to_string(), short.to_string()));
        }
    }
    pairs
}

/// Occurrences of `needle` in `text` as a whole word.
fn word_positions(text: &str, needle: &str) -> Vec<usize> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find(needle) {
        let start = from + at;
        let end = start + needle.len();
        let before = text[..start].chars().next_back();
        let after = text[end..].chars().next();
        if !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric) {
            found.push(start);
        }
        from = end;
    }
    found
}

/// The first-mention rule over the document's English, in reading order:
/// (segment, message) for a short form used before its full form was
/// given, a first mention in full without the short form in brackets when
/// the short form is used later, and the full form with brackets given
/// again.
pub fn first_mentions(terms: &TermMatcher, targets: &[(i64, &str)]) -> Vec<(i64, String)> {
    let mut pairs: Vec<(String, String)> = SHORT_FORMS
        .iter()
        .map(|(f, s)| (f.to_string(), s.to_string()))
        .collect();
    pairs.extend(glossary_pairs(terms));
    let introduced = regex::Regex::new(r"((?:\p{Lu}[\p{L}'-]*|of|the|and|for|di|del|della|d')(?:\s+(?:\p{Lu}[\p{L}'-]*|of|the|and|for|di|del|della|d'))+)\s+\(([\p{L}\d]{2,6})\)")
        .expect("a valid pattern");
    for (_, text) in targets {
        for c in introduced.captures_iter(text) {
            let (full, short) = (c[1].trim().to_string(), c[2].to_string());
            if is_short_form(&short) && !pairs.iter().any(|(_, s)| *s == short) {
                // "the Democratic Party (PD)": the article is not the name.
                let full = full
                    .strip_prefix("the ")
                    .or_else(|| full.strip_prefix("The "))
                    .unwrap_or(&full)
                    .to_string();
                pairs.push((full, short));
            }
        }
    }
    let mut findings = Vec::new();
    for (full, short) in &pairs {
        let with_brackets = format!("{full} ({short})");
        // Where the short form was introduced, or that it was used
        // before (already reported).
        let mut introduced: Option<i64> = None;
        let mut used_early = false;
        let mut named_in_full: Option<i64> = None;
        for (segment, text) in targets {
            let bracketed = word_positions(text, &with_brackets);
            // The short form inside its own brackets is the introduction.
            let first_short = word_positions(text, short).into_iter().find(|at| {
                !bracketed
                    .iter()
                    .any(|b| at > b && *at < b + with_brackets.len())
            });
            if let Some(first) = introduced {
                if !bracketed.is_empty() {
                    findings.push((
                        *segment,
                        format!(
                            "“{short}” was introduced in segment {first}: write “{short}” alone"
                        ),
                    ));
                }
                continue;
            }
            let short_first =
                first_short.is_some_and(|at| bracketed.first().is_none_or(|b| at < *b));
            if short_first && !used_early {
                findings.push(match named_in_full {
                    Some(bare) => (
                        bare,
                        format!("first mention: write “{with_brackets}”, since “{short}” is used later"),
                    ),
                    None => (
                        *segment,
                        format!("“{short}” before it is introduced: write “{with_brackets}” at first mention"),
                    ),
                });
                used_early = true;
            }
            if !bracketed.is_empty() {
                introduced = Some(*segment);
                if bracketed.len() > 1 {
                    findings.push((
                        *segment,
                        format!("“{with_brackets}” twice: write “{short}” alone after the first"),
                    ));
                }
            } else if named_in_full.is_none() && !word_positions(text, full).is_empty() {
                named_in_full = Some(*segment);
            }
        }
    }
    findings.sort();
    findings
}

#[cfg(test)]
mod tests;
