//! Term checks of a translation: every recognized source term should be
//! rendered by one of its English terms, and no forbidden English term of
//! those entries should appear.

use super::recognize::words;
use super::TermMatcher;
use crate::termbase::{Status, Term};

/// What is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssueKind {
    /// The source has the term; the target has none of its English terms.
    Missing,
    /// The target uses a term the glossary forbids.
    Forbidden,
}

/// One term problem of a segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermIssue {
    /// Missing or forbidden.
    pub kind: IssueKind,
    /// The Italian term recognized in the source.
    pub source_term: String,
    /// Character span: of the source term when missing, of the forbidden
    /// term in the target when forbidden.
    pub start: usize,
    /// One past the span's last character.
    pub end: usize,
    /// The English terms to use.
    pub expected: Vec<String>,
}

/// The term issues of `target` as a translation of `source`.
pub fn check(matcher: &TermMatcher, source: &str, target: &str) -> Vec<TermIssue> {
    let target_words = words(target);
    let mut issues = Vec::new();
    for hit in matcher.find(source) {
        let expected: Vec<String> = hit.entry.targets().iter().map(|t| t.text.clone()).collect();
        let usable = hit.entry.targets();
        if !usable.is_empty()
            && !usable
                .iter()
                .any(|t| find_english(t, &target_words).is_some())
        {
            issues.push(TermIssue {
                kind: IssueKind::Missing,
                source_term: hit.term.text.clone(),
                start: hit.start,
                end: hit.end,
                expected: expected.clone(),
            });
        }
        for forbidden in hit
            .entry
            .english
            .iter()
            .filter(|t| t.status == Status::Forbidden)
        {
            if let Some((start, end)) = find_english(forbidden, &target_words) {
                issues.push(TermIssue {
                    kind: IssueKind::Forbidden,
                    source_term: hit.term.text.clone(),
                    start,
                    end,
                    expected: expected.clone(),
                });
            }
        }
    }
    issues
}

/// Where the English `term` occurs among `target` words, allowing the
/// English endings of its last word (plural -s/-es/-ies, possessive 's,
/// which the word split leaves as a word of its own).
pub fn find_english(term: &Term, target: &[super::recognize::Word]) -> Option<(usize, usize)> {
    let fold = |w: &str| {
        if term.case_sensitive {
            w.to_string()
        } else {
            w.to_lowercase()
        }
    };
    let term_words: Vec<String> = words(&term.text).iter().map(|w| fold(&w.folded)).collect();
    let (last, head) = term_words.split_last()?;
    let last_forms = english_forms(last);
    (0..target.len().saturating_sub(head.len())).find_map(|i| {
        let matches_head = head
            .iter()
            .zip(&target[i..])
            .all(|(t, w)| *t == fold(&w.folded));
        let end = &target[i + head.len()];
        (matches_head && last_forms.contains(&fold(&end.folded)))
            .then(|| (target[i].start, end.end))
    })
}

/// A word with its plural forms.
fn english_forms(word: &str) -> Vec<String> {
    let mut forms = vec![word.to_string(), format!("{word}s"), format!("{word}es")];
    if let Some(stem) = word.strip_suffix('y') {
        forms.push(format!("{stem}ies"));
    }
    if let Some(stem) = word.strip_suffix("man") {
        forms.push(format!("{stem}men"));
    }
    forms
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::termbase::Entry;

    fn matcher() -> TermMatcher {
        let mut minister = Entry::pair("ministro degli Esteri", "foreign minister");
        minister.english.push(Term {
            text: "minister of foreign affairs".into(),
            status: Status::Admitted,
            ..Term::default()
        });
        let mut operation =
            Entry::pair("operazione militare speciale", "special military operation");
        operation.english.push(Term {
            text: "special operation".into(),
            status: Status::Forbidden,
            ..Term::default()
        });
        let mut country = Entry::pair("Paese", "country");
        country.english.push(Term::new("nation"));
        TermMatcher::new(vec![minister, operation, country])
    }

    #[test]
    fn english_inflection_is_allowed() {
        let m = matcher();
        for target in [
            "The foreign minister arrived.",
            "The foreign ministers arrived.",
            "The Foreign Minister’s visit.",
            "The minister of foreign affairs spoke.",
        ] {
            let issues = check(&m, "Il ministro degli Esteri è arrivato.", target);
            assert!(issues.is_empty(), "{target}: {issues:?}");
        }
        assert!(check(&m, "I due Paesi.", "The two countries.").is_empty());
        assert!(check(&m, "Il Paese.", "The nation.").is_empty());
    }

    #[test]
    fn a_missing_term_is_flagged_with_its_source_span() {
        let issues = check(
            &matcher(),
            "Il ministro degli Esteri è arrivato.",
            "The minister arrived.",
        );
        assert_eq!(issues.len(), 1);
        let issue = &issues[0];
        assert_eq!(issue.kind, IssueKind::Missing);
        assert_eq!((issue.start, issue.end), (3, 24));
        assert_eq!(
            issue.expected,
            ["foreign minister", "minister of foreign affairs"]
        );
    }

    #[test]
    fn a_forbidden_term_is_flagged_where_it_is() {
        let issues = check(
            &matcher(),
            "L'operazione militare speciale continua.",
            "The special operation, a special military operation, goes on.",
        );
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert_eq!(issues[0].kind, IssueKind::Forbidden);
        assert_eq!((issues[0].start, issues[0].end), (4, 21));
    }

    #[test]
    fn words_inside_longer_words_do_not_count() {
        let issues = check(&matcher(), "Il Paese.", "The countryside.");
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].kind, IssueKind::Missing);
    }
}
