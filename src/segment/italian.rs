//! Built-in Italian sentence-boundary rules, as a single linear scan.
//!
//! A boundary is considered only where sentence-final punctuation (`.` `!` `?`
//! `…`), with any closing quotes or brackets after it, is followed by
//! whitespace and then by something that can start a sentence (an upper-case
//! letter or a digit, possibly behind opening quotes or brackets). A single
//! full stop is then examined against abbreviations and initials. Everything
//! is decided by looking a few characters around the candidate, so the cost is
//! linear in the text and independent of paragraph length.

use std::collections::HashSet;
use std::ops::Range;

/// Abbreviations after which a full stop never ends a sentence, because a
/// name or a noun always follows them (titles, "ad es.", "cfr." …).
const NO_BREAK: &[&str] = &[
    // Titles and forms of address.
    "sig", "sigg", "sigra", "sig.ra", "sig.na", "dott", "dott.ssa", "dottssa", "dr", "prof",
    "prof.ssa", "on", "avv", "ing", "gen", "mons", "arch", "geom", "rag", "cav", "comm", "dir",
    "amm", "pres", "sen", "dep", "col", "magg", "ten", "serg", "cap", "mr", "mrs", "ms", "jr",
    "sr", "st", "egr", "gent", "spett", "ill", "ill.mo", "gent.mo", "psicol", "ass", "fr", "mo",
    "rev", "card", "vesc", "sac", "geol", "notaio", "uff", "amb", "cons", "ragg", "cpl", "brig",
    "lgt", "mar.llo", "v.cte",
    // Reference and discourse abbreviations followed by more of the sentence.
    "es", "cfr", "vs", "ibid", "cit", "op", "sez", "par", "lett", "all", "cod", "proc", "civ",
    "pen", "trad", "ed", "p.es", "soc", "coop", "d.lgs", "d.l", "d.p.r", "d.m", "c.c", "c.p",
    "c.p.c", "c.p.p", "u.s", "u.e", "c.a", "p.c", "c.d", "cd", "f.lli", "fratelli", "s.s", "ss",
];

/// Abbreviations that often close a sentence ("fondata nel 753 a.C.",
/// "la Fiat S.p.A."): they end one before a capital, unless they stand in
/// its first words ("Nel 44 a.C. Cesare …", "La Fiat S.p.A. Ha …"), where
/// a date or a company's name is what the sentence starts with. ("ecc." is
/// no exception: it ends a sentence before a capital wherever it stands.)
const MAY_END_SENTENCE: &[&str] = &["a.c", "d.c", "s.p.a", "s.r.l", "s.n.c", "s.a.s"];

/// Words a sentence holds before such an abbreviation, at most, for the
/// abbreviation still to belong to it.
const SENTENCE_HEAD_WORDS: usize = 2;

/// Abbreviations that end a sentence only rarely and are followed by a number
/// when they do not: "pag. 3", "art. 21", "mar. 23", "tel. 0123".
const NO_BREAK_BEFORE_NUMBER: &[&str] = &[
    "pag", "pagg", "pp", "art", "artt", "nn", "nr", "num", "vol", "voll", "capp", "fig", "figg",
    "tab", "tav", "tel", "fax", "cell", "int", "ca", "cca", "km", "ore", "feb", "febb", "mar",
    "apr", "mag", "giu", "lug", "ago", "sett", "set", "ott", "nov", "dic", "lun", "mer", "gio",
    "ven", "sab", "dom", "co", "comma", "no", "punto", "min", "sec", "anno",
];

/// The built-in Italian rules, optionally extended with the user's own
/// abbreviations.
#[derive(Debug, Clone)]
pub struct ItalianRules {
    no_break: HashSet<String>,
    no_break_before_number: HashSet<String>,
}

impl ItalianRules {
    /// The built-in rules plus `extra_abbreviations` (written with or
    /// without the final full stop, in any case).
    pub fn new<S: AsRef<str>>(extra_abbreviations: &[S]) -> ItalianRules {
        let mut no_break: HashSet<String> = NO_BREAK.iter().map(|s| s.to_string()).collect();
        for extra in extra_abbreviations {
            let word = normalise_abbreviation(extra.as_ref());
            if !word.is_empty() {
                no_break.insert(word);
            }
        }
        ItalianRules {
            no_break,
            no_break_before_number: NO_BREAK_BEFORE_NUMBER
                .iter()
                .map(|s| s.to_string())
                .collect(),
        }
    }

    /// Byte ranges of the sentences of `text`, without surrounding whitespace.
    pub fn split(&self, text: &str) -> Vec<Range<usize>> {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut pos = 0;
        while let Some(offset) = find_candidate(&bytes[pos..]) {
            let stop = pos + offset;
            let Some(cluster) = terminal_cluster(text, stop) else {
                pos = stop + 1;
                continue;
            };
            pos = cluster.end;
            let next_start = skip_whitespace(text, cluster.end);
            if next_start == cluster.end || next_start == text.len() {
                continue;
            }
            let Some(opener) = sentence_opener(text, next_start) else {
                continue;
            };
            let segment_start = starts.last().copied().unwrap_or(0);
            if self.is_boundary(text, segment_start, stop, &cluster, opener) {
                starts.push(next_start);
            }
        }
        to_trimmed_ranges(text, &starts)
    }

    fn is_boundary(
        &self,
        text: &str,
        segment_start: usize,
        stop: usize,
        cluster: &Cluster,
        opener: Opener,
    ) -> bool {
        if cluster.dots > 1 && !cluster.strong && marks_omission(text, stop, cluster) {
            return false;
        }
        if cluster.strong || cluster.dots > 1 || cluster.closed {
            return true;
        }
        if is_list_number(&text[segment_start..stop]) {
            return false;
        }
        // A single full stop directly after a word: abbreviation or initial?
        let word = word_before(text, stop);
        if word.is_empty() {
            return true;
        }
        let lower = word.to_lowercase();
        if self.no_break.contains(&lower) {
            return false;
        }
        // "A.C. Bradley": in capitals, it is a name's initials.
        if MAY_END_SENTENCE.contains(&lower.as_str()) && word.chars().any(char::is_lowercase) {
            let head = &text[segment_start..stop - word.len()];
            return opener == Opener::Upper
                && head.split_whitespace().count() > SENTENCE_HEAD_WORDS;
        }
        if is_initials(word) {
            return false;
        }
        if opener == Opener::Digit && self.no_break_before_number.contains(&lower) {
            return false;
        }
        true
    }
}

/// An ellipsis in brackets ("[...]") or standing apart from the word before
/// it ("a ... Versailles") marks words left out, not the end of a sentence;
/// unless a closing quote follows it ("avanti ...\"."), which ends one.
fn marks_omission(text: &str, stop: usize, cluster: &Cluster) -> bool {
    match text[..stop].chars().next_back() {
        Some('[' | '(') => true,
        Some(c) if c.is_whitespace() => !cluster.closed,
        _ => false,
    }
}

/// "1", "12", "3.2": the number of a numbered heading or list item that
/// opens the segment, as in "907. Distanza delle costruzioni".
fn is_list_number(segment_head: &str) -> bool {
    let head = segment_head.trim_start();
    !head.is_empty()
        && head.len() <= 8
        && head.chars().all(|c| c.is_ascii_digit() || c == '.')
        && head.starts_with(|c: char| c.is_ascii_digit())
}

/// Lower-cases an abbreviation and drops its final full stop.
pub(crate) fn normalise_abbreviation(abbreviation: &str) -> String {
    abbreviation.trim().trim_end_matches('.').to_lowercase()
}

/// The run of terminators and closing marks that starts at a candidate stop.
struct Cluster {
    end: usize,
    /// Contains `!` or `?`.
    strong: bool,
    /// Number of full stops, counting `…` as three.
    dots: usize,
    /// A closing quote or bracket follows the first terminator.
    closed: bool,
}

/// Next byte that may start sentence-final punctuation: `.`, `!`, `?`, or the
/// lead byte of `…` (U+2026).
fn find_candidate(bytes: &[u8]) -> Option<usize> {
    bytes
        .iter()
        .position(|&b| matches!(b, b'.' | b'!' | b'?' | 0xE2))
}

fn terminal_cluster(text: &str, stop: usize) -> Option<Cluster> {
    let mut cluster = Cluster {
        end: stop,
        strong: false,
        dots: 0,
        closed: false,
    };
    for c in text[stop..].chars() {
        match c {
            '.' => cluster.dots += 1,
            '…' => cluster.dots += 3,
            '!' | '?' => cluster.strong = true,
            c if is_closer(c) && cluster.end > stop => cluster.closed = true,
            _ => break,
        }
        cluster.end += c.len_utf8();
    }
    (cluster.end > stop).then_some(cluster)
}

fn is_closer(c: char) -> bool {
    matches!(c, '»' | '”' | '"' | '\'' | '’' | '›' | ')' | ']' | '}')
}

fn is_opener(c: char) -> bool {
    matches!(
        c,
        '«' | '“' | '"' | '\'' | '‘' | '‹' | '(' | '[' | '{' | '—' | '–' | '-' | '¿' | '¡'
    )
}

fn skip_whitespace(text: &str, from: usize) -> usize {
    text[from..]
        .char_indices()
        .find(|(_, c)| !c.is_whitespace())
        .map_or(text.len(), |(i, _)| from + i)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Opener {
    Upper,
    Digit,
}

/// What the text at `at` starts with, behind any opening quotes or brackets,
/// if it can start a sentence.
fn sentence_opener(text: &str, at: usize) -> Option<Opener> {
    for c in text[at..].chars().take(8) {
        if is_opener(c) || c.is_whitespace() {
            continue;
        }
        if c.is_uppercase() {
            return Some(Opener::Upper);
        }
        if c.is_ascii_digit() {
            return Some(Opener::Digit);
        }
        return None;
    }
    None
}

/// Longest word looked at before a full stop; keeps the scan linear on
/// pathological input such as a megabyte of letters and dots.
const MAX_WORD_CHARS: usize = 40;

/// The word (letters and inner full stops) that ends right before `stop`.
fn word_before(text: &str, stop: usize) -> &str {
    let head = &text[..stop];
    let start = head
        .char_indices()
        .rev()
        .take(MAX_WORD_CHARS)
        .take_while(|(_, c)| c.is_alphabetic() || *c == '.')
        .last()
        .map_or(stop, |(i, _)| i);
    head[start..].trim_start_matches('.')
}

/// "J", "J.F", "U.S.A": letters standing alone, as in initials and acronyms.
fn is_initials(word: &str) -> bool {
    word.split('.')
        .all(|part| part.chars().count() == 1 && part.chars().all(char::is_alphabetic))
}

/// Turns segment start offsets into trimmed, non-empty ranges.
pub(crate) fn to_trimmed_ranges(text: &str, starts: &[usize]) -> Vec<Range<usize>> {
    let mut ranges = Vec::with_capacity(starts.len());
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(text.len());
        let piece = &text[start..end];
        let lead = piece.len() - piece.trim_start().len();
        let trimmed = piece.trim();
        if !trimmed.is_empty() {
            ranges.push(start + lead..start + lead + trimmed.len());
        }
    }
    ranges
}

#[cfg(test)]
mod tests;
