//! Quality checks of a translation, per segment and per document: the
//! mistakes a client finds first. Each check is tuned to pass what a
//! careful translator writes (numbers spelled out, quotes turned English,
//! proper names left alone) and a false alarm can be ignored for the
//! segment's current English.

use std::collections::HashMap;

use crate::document::BlockKind;
use crate::glossary::TermMatcher;
use crate::spelling::Checker;
use crate::store::{StoreError, Workspace};
use crate::style::StyleGuide;
use crate::text::codes::{self, Mark};
use crate::text::numbers::{number_value, parse_english, parse_italian, scaled_english};
use crate::text::tokenize::{tokenize, TokenKind};

/// The checks, by their stable names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Check {
    /// A number of the Italian is missing, changed or in Italian format.
    Numbers,
    /// A translatable segment has no English.
    Empty,
    /// The English is the Italian unchanged.
    SameAsSource,
    /// Spaces at either end, or doubled.
    Spaces,
    /// The final punctuation differs.
    FinalPunctuation,
    /// A quote or bracket is opened and not closed, or the reverse.
    Unpaired,
    /// « » „ left in the English.
    ItalianQuotes,
    /// The first letter's case differs.
    Capitalisation,
    /// The English is far shorter or longer than the Italian.
    Length,
    /// The same Italian is translated two ways in the document.
    Inconsistent,
    /// A glossary term is missing or a forbidden one is used.
    Terms,
    /// A name (person, organisation, place) of the Italian is missing.
    Names,
    /// A short form used before its full form, or introduced twice.
    FirstMention,
    /// The English departs from the chosen house style.
    Style,
    /// A headline or standfirst over the house style's budget.
    HeadlineLength,
    /// An inline code of the Italian missing, one added or doubled, or a
    /// pair broken (closed before it opens, or crossing another).
    Tags,
    /// A word of the English that the dictionary does not know, nor the
    /// glossary, the user's dictionary, the article's names or the TMs.
    Spelling,
}

impl Check {
    /// Every check, in the order findings are listed.
    pub const ALL: [Check; 17] = [
        Check::Empty,
        Check::Tags,
        Check::Numbers,
        Check::Names,
        Check::Terms,
        Check::Spelling,
        Check::FirstMention,
        Check::Style,
        Check::HeadlineLength,
        Check::SameAsSource,
        Check::Inconsistent,
        Check::Unpaired,
        Check::ItalianQuotes,
        Check::FinalPunctuation,
        Check::Capitalisation,
        Check::Spaces,
        Check::Length,
    ];

    /// The stable name used by the CLI, the app and the workspace.
    pub fn as_str(self) -> &'static str {
        match self {
            Check::Numbers => "numbers",
            Check::Empty => "empty",
            Check::SameAsSource => "same-as-source",
            Check::Spaces => "spaces",
            Check::FinalPunctuation => "final-punctuation",
            Check::Unpaired => "unpaired",
            Check::ItalianQuotes => "italian-quotes",
            Check::Capitalisation => "capitalisation",
            Check::Length => "length",
            Check::Inconsistent => "inconsistent",
            Check::Terms => "terms",
            Check::Names => "names",
            Check::FirstMention => "first-mention",
            Check::Style => "style",
            Check::HeadlineLength => "headline-length",
            Check::Tags => "tags",
            Check::Spelling => "spelling",
        }
    }

    /// Parses a name written by [`Check::as_str`].
    pub fn from_name(name: &str) -> Option<Check> {
        Check::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

/// One problem found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The segment.
    pub segment: i64,
    /// Which check found it.
    pub check: Check,
    /// What is wrong, for the translator.
    pub message: String,
}

/// English words for the numbers a style guide spells out.
const ENGLISH_NUMBER_WORDS: [&str; 11] = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
];
/// Italian words for 2–10 ("uno" is also an article, so it is not read).
const ITALIAN_NUMBER_WORDS: [(&str, u32); 9] = [
    ("due", 2),
    ("tre", 3),
    ("quattro", 4),
    ("cinque", 5),
    ("sei", 6),
    ("sette", 7),
    ("otto", 8),
    ("nove", 9),
    ("dieci", 10),
];

/// An English number written the Italian way: a comma before other than
/// three digits ("3,5"), or a dot grouping thousands before a comma
/// ("1.234,5").
fn italian_format_in_english(text: &str) -> bool {
    let comma_decimal = text
        .rsplit_once(',')
        .is_some_and(|(_, after)| after.len() != 3 && after.chars().all(|c| c.is_ascii_digit()));
    let dot_then_comma = matches!((text.find('.'), text.rfind(',')), (Some(d), Some(c)) if d < c);
    comma_decimal || dot_then_comma
}

fn words_lower(text: &str) -> Vec<String> {
    tokenize(text)
        .into_iter()
        .filter(|t| t.kind == TokenKind::Word)
        .map(|t| t.text.to_lowercase())
        .collect()
}

fn numbers_check(source: &str, target: &str) -> Option<String> {
    // Clock times are compared as times: "alle 21" is "9 p.m.".
    let times = crate::style::times(source);
    let source_numbers: Vec<(String, &str)> = tokenize(source)
        .into_iter()
        .filter(|t| t.kind == TokenKind::Number)
        .filter(|t| !times.iter().any(|time| time.span.contains(&t.start)))
        .filter_map(|t| parse_italian(t.text).map(|n| (number_value(&n), t.text)))
        .collect();
    let mut problems = Vec::new();
    let mut target_numbers: Vec<(String, &str)> = Vec::new();
    for token in tokenize(target) {
        // "€5m", "$3.5bn": the house-style short forms of a million and a billion.
        if let Some(number) = scaled_english(token.text) {
            target_numbers.push((number_value(&number), token.text));
            continue;
        }
        if token.kind != TokenKind::Number {
            continue;
        }
        if italian_format_in_english(token.text) {
            problems.push(format!("{} is written the Italian way", token.text));
            // Its value still answers for the Italian number.
            if let Some(number) = parse_italian(token.text) {
                target_numbers.push((number_value(&number), token.text));
            }
            continue;
        }
        if let Some(number) = parse_english(token.text) {
            target_numbers.push((number_value(&number), token.text));
        }
    }
    let mut problems_of_times = Vec::new();
    for time in &times {
        if !crate::style::time_found(time, target) {
            problems_of_times.push(format!(
                "the time {} is missing",
                &source[time.span.clone()]
            ));
            continue;
        }
        // The hour and minutes the English wrote for it are accounted for.
        let h12 = if time.hour % 12 == 0 {
            12
        } else {
            time.hour % 12
        };
        let mut values: Vec<String> = [Some(time.hour), Some(h12), time.minutes]
            .into_iter()
            .flatten()
            .map(|v| v.to_string())
            .collect();
        // "12.30" read as one English number.
        if let Some(m) = time.minutes {
            for h in [time.hour, h12] {
                if let Some(n) = parse_english(&format!("{h}.{m:02}")) {
                    values.push(number_value(&n));
                }
            }
        }
        for value in values {
            if let Some(i) = target_numbers.iter().position(|(v, _)| *v == value) {
                target_numbers.remove(i);
            }
        }
    }
    problems.extend(problems_of_times);
    let target_words = words_lower(target);
    let source_words = words_lower(source);
    let mut unmatched_target: Vec<(String, &str)> = target_numbers.clone();
    for (value, written) in &source_numbers {
        if let Some(i) = unmatched_target.iter().position(|(v, _)| v == value) {
            unmatched_target.remove(i);
            continue;
        }
        let spelled = value
            .parse::<usize>()
            .ok()
            .and_then(|n| ENGLISH_NUMBER_WORDS.get(n))
            .is_some_and(|word| target_words.iter().any(|w| w == word));
        if !spelled {
            problems.push(format!("{written} is missing"));
        }
    }
    for (value, written) in unmatched_target {
        let in_words = value.parse::<u32>().ok().is_some_and(|n| {
            ITALIAN_NUMBER_WORDS
                .iter()
                .any(|(word, v)| *v == n && source_words.iter().any(|w| w == word))
        });
        if !in_words {
            problems.push(format!("{written} is not in the Italian"));
        }
    }
    (!problems.is_empty()).then(|| problems.join("; "))
}

/// Closing quotes and brackets that may follow a sentence's last mark.
const CLOSERS: &[char] = &['"', '”', '’', '»', ')', ']', '\''];

/// The sentence's final mark ("." for "…" written "..."), if it has one.
fn final_mark(text: &str) -> Option<&'static str> {
    let text = text.trim_end().trim_end_matches(CLOSERS).trim_end();
    if text.ends_with("...") || text.ends_with('…') {
        return Some("…");
    }
    [".", "!", "?", ":", ";"]
        .into_iter()
        .find(|m| text.ends_with(m))
}

fn first_letter(text: &str) -> Option<char> {
    text.chars().find(|c| c.is_alphabetic())
}

/// The unbalanced pairs of `text`: (opening, closing) that do not match up.
fn unbalanced(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (open, close) in [('(', ')'), ('[', ']'), ('“', '”'), ('«', '»')] {
        let (o, c) = (text.matches(open).count(), text.matches(close).count());
        if o != c {
            out.push(format!("{open}{close}"));
        }
    }
    if text.matches('"').count() % 2 == 1 {
        out.push("\"".into());
    }
    out
}

/// What two texts compare by when asked whether they are the same: their
/// typography folded and their spaces evened out.
fn same_text_key(text: &str) -> String {
    crate::text::fold_typography(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Checks of one segment on its own (not the document-wide ones).
pub fn check_segment(source: &str, target: &str) -> Vec<(Check, String)> {
    let (source, target) = (&*codes::strip(source), &*codes::strip(target));
    let mut found = Vec::new();
    if target.trim().is_empty() {
        found.push((Check::Empty, "no English yet".to_string()));
        return found;
    }
    if let Some(message) = numbers_check(source, target) {
        found.push((Check::Numbers, message));
    }
    // Names ("Kim Jong Un") stay as they are; running text does not.
    let lowercase_words = tokenize(source)
        .iter()
        .filter(|t| {
            t.kind == TokenKind::Word && t.text.chars().next().is_some_and(char::is_lowercase)
        })
        .count();
    if same_text_key(target) == same_text_key(source) && lowercase_words >= 2 {
        found.push((
            Check::SameAsSource,
            "the English is the Italian unchanged".into(),
        ));
    }
    // Unpaired marks are only the translator's when the Italian pairs them
    // (a quotation may run over several segments).
    if unbalanced(source).is_empty() {
        let pairs = unbalanced(target);
        if !pairs.is_empty() {
            found.push((Check::Unpaired, format!("unpaired {}", pairs.join(" and "))));
        }
    }
    let italian_quotes: Vec<char> = target
        .chars()
        .filter(|c| matches!(c, '«' | '»' | '„'))
        .collect();
    if !italian_quotes.is_empty() {
        found.push((
            Check::ItalianQuotes,
            format!(
                "Italian quotation marks {} in the English; use “ ”",
                italian_quotes.iter().collect::<String>()
            ),
        ));
    }
    match (final_mark(source), final_mark(target)) {
        (a, b) if a == b => {}
        (Some(a), None) => found.push((
            Check::FinalPunctuation,
            format!("the Italian ends with “{a}”, the English with no mark"),
        )),
        (None, Some(b)) => found.push((
            Check::FinalPunctuation,
            format!("the English ends with “{b}”, the Italian with no mark"),
        )),
        (Some(a), Some(b)) => found.push((
            Check::FinalPunctuation,
            format!("the Italian ends with “{a}”, the English with “{b}”"),
        )),
        (None, None) => {}
    }
    if let (Some(s), Some(t)) = (first_letter(source), first_letter(target)) {
        // A lowercase brand ("iPhone") is written so on purpose.
        let first_word = target
            .split_whitespace()
            .find(|w| w.chars().any(char::is_alphabetic))
            .unwrap_or("");
        let camel = first_word.chars().skip(1).any(char::is_uppercase);
        if s.is_uppercase() && t.is_lowercase() && !camel {
            found.push((
                Check::Capitalisation,
                "the English starts with a small letter, the Italian with a capital".into(),
            ));
        }
    }
    let mut spaces = Vec::new();
    if target.starts_with(char::is_whitespace) && !source.starts_with(char::is_whitespace) {
        spaces.push("at the start");
    }
    if target.ends_with(char::is_whitespace) && !source.ends_with(char::is_whitespace) {
        spaces.push("at the end");
    }
    if target.contains("  ") && !source.contains("  ") {
        spaces.push("doubled");
    }
    if !spaces.is_empty() {
        found.push((Check::Spaces, format!("spaces {}", spaces.join(", "))));
    }
    let (s, t) = (source.chars().count(), target.trim().chars().count());
    // English runs a little shorter than Italian; short segments vary too
    // much to judge.
    if s >= 30 {
        let ratio = t as f64 / s as f64;
        if !(0.45..=1.6).contains(&ratio) {
            found.push((
                Check::Length,
                format!(
                    "the English is {:.0}% of the Italian's length",
                    ratio * 100.0
                ),
            ));
        }
    }
    found
}

type SegmentFindings = (i64, String, Vec<(Check, String)>);

/// The segment with its Italian and English stripped of inline codes.
fn plain_segment(segment: &crate::store::SegmentRow) -> crate::store::SegmentRow {
    if segment.codes.is_empty() && !codes::has_codes(&segment.target) {
        return segment.clone();
    }
    crate::store::SegmentRow {
        source: codes::strip(&segment.source),
        target: codes::strip(&segment.target),
        ..segment.clone()
    }
}

/// What is wrong with the English's inline codes against the Italian's:
/// a code missing, added or doubled, a pair closed before it opens, and
/// pairs crossing each other (which no format can write). Standalone codes
/// and whole pairs may move: English orders a sentence its own way.
pub fn tags_check(source: &str, target: &str) -> Option<String> {
    let source_marks: Vec<Mark> = codes::marks(source).collect();
    let target_marks: Vec<Mark> = codes::marks(target).collect();
    let name = |mark: Mark| codes::to_display(source, &mark.char().to_string());
    let mut problems = Vec::new();
    let missing: Vec<String> = source_marks
        .iter()
        .filter(|m| !target_marks.contains(m))
        .map(|&m| name(m))
        .collect();
    if !missing.is_empty() {
        problems.push(format!("missing {}", missing.join(" ")));
    }
    let mut seen: Vec<Mark> = Vec::new();
    for &mark in &target_marks {
        if !source_marks.contains(&mark) {
            problems.push(format!("{} is not in the Italian", name(mark)));
        } else if seen.contains(&mark) {
            problems.push(format!("{} is there twice", name(mark)));
        }
        seen.push(mark);
    }
    // Pairs the English holds whole must open before they close and nest.
    let paired_here =
        |id: u16| source_marks.contains(&Mark::Open(id)) && source_marks.contains(&Mark::Close(id));
    let mut open: Vec<u16> = Vec::new();
    for &mark in &target_marks {
        match mark {
            Mark::Open(id) if paired_here(id) => open.push(id),
            Mark::Close(id) if paired_here(id) => match open.iter().rposition(|&o| o == id) {
                None if target_marks.contains(&Mark::Open(id)) => {
                    problems.push(format!("{} closes before it opens", name(Mark::Open(id))))
                }
                Some(at) if at + 1 != open.len() => {
                    let inner = open[at + 1..]
                        .iter()
                        .map(|&o| name(Mark::Open(o)))
                        .collect::<Vec<_>>()
                        .join(" ");
                    problems.push(format!(
                        "{} closes inside {inner}: the codes cross",
                        name(Mark::Open(id))
                    ));
                    open.remove(at);
                }
                Some(at) => {
                    open.remove(at);
                }
                None => {}
            },
            _ => {}
        }
    }
    (!problems.is_empty()).then(|| problems.join("; "))
}

/// Every finding of the document's translatable segments but spelling's,
/// in reading order, less the ones ignored for the segment's current
/// English. With a house style, its rules and headline budgets are checked
/// too.
pub fn check_document(
    ws: &Workspace,
    terms: &TermMatcher,
    doc_id: i64,
    style: Option<&StyleGuide>,
) -> Result<Vec<Finding>, StoreError> {
    check_document_spelled(ws, terms, doc_id, style, None)
}

/// [`check_document`], with the spelling of every English when a checker
/// is given: a translator wants a misspelling found in a draft or a
/// pre-translated segment before delivery as much as in a confirmed one.
pub fn check_document_spelled(
    ws: &Workspace,
    terms: &TermMatcher,
    doc_id: i64,
    style: Option<&StyleGuide>,
    spelling: Option<&Checker<'_>>,
) -> Result<Vec<Finding>, StoreError> {
    // A misspelling repeated through the document is looked up once.
    let mut suggestions: HashMap<String, Option<String>> = HashMap::new();
    let blocks = ws.blocks(doc_id)?;
    let ignored = ws.qa_ignored(doc_id)?;
    // The first English given to each Italian, to spot later ones.
    let mut first_translation: HashMap<String, (i64, String)> = HashMap::new();
    // (segment, English, findings) in reading order.
    let mut per_segment: Vec<SegmentFindings> = Vec::new();
    for (position, block) in blocks.iter().enumerate() {
        if !block.translatable.is_translatable() {
            continue;
        }
        let budget = style.and_then(|style| match block.kind {
            BlockKind::Heading(1) if position == 0 => {
                Some(("headline", style.headline_chars, style))
            }
            BlockKind::Standfirst => Some(("standfirst", style.standfirst_chars, style)),
            _ => None,
        });
        for (index, segment) in block.segments.iter().enumerate() {
            let tags = segment
                .status
                .is_confirmed()
                .then(|| tags_check(&segment.source, &segment.target))
                .flatten();
            // An ignored finding is kept against the English as stored.
            let stored_target = segment.target.clone();
            // The other checks read the text without its codes.
            let segment = &plain_segment(segment);
            let mut found = check_segment(&segment.source, &segment.target);
            found.extend(tags.map(|message| (Check::Tags, message)));
            if !segment.target.trim().is_empty() {
                found.extend(document_checks(
                    terms,
                    style,
                    segment,
                    &mut first_translation,
                ));
                if let Some(checker) = spelling {
                    let words = checker.misspellings(&segment.target)?;
                    if !words.is_empty() {
                        let words: Vec<String> = words
                            .into_iter()
                            .map(|m| {
                                let best = suggestions
                                    .entry(m.word.clone())
                                    .or_insert_with(|| checker.suggest(&m.word, 1).pop());
                                match best {
                                    Some(best) => format!("“{}” (“{best}”?)", m.word),
                                    None => format!("“{}”", m.word),
                                }
                            })
                            .collect();
                        found.push((Check::Spelling, format!("misspelt: {}", words.join(", "))));
                    }
                }
            }
            // The budget is the whole block's, reported on its last segment.
            if let Some((what, limit, style)) = budget.filter(|_| index + 1 == block.segments.len())
            {
                let length: usize = block
                    .segments
                    .iter()
                    .map(|s| s.target.trim().chars().count())
                    .sum::<usize>()
                    + block.segments.len().saturating_sub(1);
                if length > limit {
                    found.push((
                        Check::HeadlineLength,
                        format!(
                            "the {what} has {length} characters; {} style allows {limit}",
                            style.label
                        ),
                    ));
                }
            }
            per_segment.push((segment.id, stored_target, found));
        }
    }
    let plain_targets: Vec<(i64, String)> = per_segment
        .iter()
        .map(|(id, target, _)| (*id, codes::strip(target)))
        .collect();
    let targets: Vec<(i64, &str)> = plain_targets
        .iter()
        .map(|(id, target)| (*id, target.as_str()))
        .collect();
    let mentions = crate::facts::first_mentions(terms, &targets);
    let mut findings = Vec::new();
    for (id, target, mut found) in per_segment.iter().cloned() {
        found.extend(
            mentions
                .iter()
                .filter(|(segment, _)| *segment == id)
                .map(|(_, message)| (Check::FirstMention, message.clone())),
        );
        found.sort_by_key(|(check, _)| Check::ALL.iter().position(|c| c == check));
        let hash = crate::store::tm::stable_hash(&[&target]);
        for (check, message) in found {
            if ignored.contains(&(id, check.as_str().to_string(), hash)) {
                continue;
            }
            findings.push(Finding {
                segment: id,
                check,
                message,
            });
        }
    }
    Ok(findings)
}

/// The checks of a translated segment that need more than its own text:
/// the glossary, names, the house style, and the translations before it.
fn document_checks(
    terms: &TermMatcher,
    style: Option<&StyleGuide>,
    segment: &crate::store::SegmentRow,
    first_translation: &mut HashMap<String, (i64, String)>,
) -> Vec<(Check, String)> {
    let mut found = Vec::new();
    for issue in crate::glossary::qa::check(terms, &segment.source, &segment.target) {
        let message = match issue.kind {
            crate::glossary::qa::IssueKind::Missing => format!(
                "“{}” should be translated as {}",
                issue.source_term,
                issue
                    .expected
                    .iter()
                    .map(|e| format!("“{e}”"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
            crate::glossary::qa::IssueKind::Forbidden => {
                format!("a forbidden term is used for “{}”", issue.source_term)
            }
        };
        found.push((Check::Terms, message));
    }
    for entity in crate::facts::entities(terms, &segment.source) {
        if !entity.found_in(&segment.target) {
            let hint = entity
                .renderings
                .iter()
                .find(|r| **r != entity.italian)
                .map(|r| format!(" (or “{r}”)"))
                .unwrap_or_default();
            found.push((
                Check::Names,
                format!("“{}”{hint} is not in the English", entity.italian),
            ));
        }
    }
    if let Some(style) = style {
        for (_, message) in crate::style::check(style, &segment.source, &segment.target) {
            found.push((Check::Style, message));
        }
    }
    // The same Italian and the same English, typography aside: ’ for ' or
    // « » for " is not another translation.
    let key = same_text_key(&segment.source);
    let target = segment.target.trim();
    match first_translation.get(&key) {
        Some((first, earlier)) if same_text_key(earlier) != same_text_key(target) => found.push((
            Check::Inconsistent,
            format!("the same Italian is translated “{earlier}” in segment {first}"),
        )),
        Some(_) => {}
        None => {
            first_translation.insert(key, (segment.id, target.to_string()));
        }
    }
    found
}

#[cfg(test)]
mod tests;
