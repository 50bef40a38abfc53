//! Scoring a segmenter against gold sentence splits.
//!
//! Only the boundaries a CAT segmenter should find on one line are scored:
//! a gold boundary counts when the sentence before it ends in `.` `!` `?` or
//! `…` (with any closing quotes or brackets after it) and the sentence after
//! it does not start with a lower-case letter. Other gold boundaries (after
//! `:` or `;`, after a headline run into the text) are "don't care": neither
//! a split nor its absence there is scored. Positions are counted in
//! non-whitespace characters so that spacing does not matter.

use std::collections::HashSet;

use super::Segmenter;

/// One test document: its text and its gold sentences.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct GoldCase {
    /// Case id in the data set.
    pub id: String,
    /// The raw text.
    pub text: String,
    /// The gold sentences, in order.
    pub sentences: Vec<String>,
}

/// Counts for one data set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Score {
    /// Predicted boundaries that are scored gold boundaries.
    pub true_positives: usize,
    /// Predicted boundaries where gold has none at all.
    pub false_positives: usize,
    /// Scored gold boundaries not predicted.
    pub false_negatives: usize,
    /// Cases whose every scored boundary was right and with no false split.
    pub cases_right: usize,
    /// Cases in the set.
    pub cases: usize,
}

impl Score {
    /// TP / (TP + FP); 1 when nothing was predicted.
    pub fn precision(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_positives,
        )
    }

    /// TP / (TP + FN); 1 when there was nothing to find.
    pub fn recall(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_negatives,
        )
    }

    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(num: usize, den: usize) -> f64 {
    if den == 0 {
        1.0
    } else {
        num as f64 / den as f64
    }
}

/// A case the segmenter got wrong, for reports.
#[derive(Debug, Clone)]
pub struct Miss {
    /// Case id.
    pub id: String,
    /// The gold sentences.
    pub expected: Vec<String>,
    /// What the segmenter produced.
    pub got: Vec<String>,
}

/// Whether `sentence` ends the way a scored boundary requires.
fn ends_with_stop(sentence: &str) -> bool {
    let trimmed = sentence
        .trim_end()
        .trim_end_matches(['»', '”', '"', '\'', '’', '›', ')', ']', '}']);
    trimmed.ends_with(['.', '!', '?', '…'])
}

fn starts_lower(sentence: &str) -> bool {
    sentence
        .chars()
        .find(|c| c.is_alphabetic())
        .is_some_and(char::is_lowercase)
}

fn non_space_len(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace()).count()
}

/// Scores `segmenter` on `cases`, returning the counts and the missed cases.
pub fn score(segmenter: &Segmenter, cases: &[GoldCase]) -> (Score, Vec<Miss>) {
    let mut total = Score::default();
    let mut misses = Vec::new();
    for case in cases {
        let mut all_gold = HashSet::new();
        let mut scored_gold = HashSet::new();
        let mut offset = 0;
        for pair in case.sentences.windows(2) {
            offset += non_space_len(&pair[0]);
            all_gold.insert(offset);
            if ends_with_stop(&pair[0]) && !starts_lower(&pair[1]) {
                scored_gold.insert(offset);
            }
        }
        let got: Vec<String> = segmenter
            .segments(&case.text)
            .into_iter()
            .map(str::to_string)
            .collect();
        let mut predicted = HashSet::new();
        let mut offset = 0;
        for piece in got.iter().take(got.len().saturating_sub(1)) {
            offset += non_space_len(piece);
            predicted.insert(offset);
        }
        let tp = predicted.intersection(&scored_gold).count();
        let fp = predicted.difference(&all_gold).count();
        let fn_ = scored_gold.difference(&predicted).count();
        total.true_positives += tp;
        total.false_positives += fp;
        total.false_negatives += fn_;
        total.cases += 1;
        if fp == 0 && fn_ == 0 {
            total.cases_right += 1;
        } else {
            misses.push(Miss {
                id: case.id.clone(),
                expected: case.sentences.clone(),
                got,
            });
        }
    }
    (total, misses)
}

/// Reads a JSONL file of `{"id", "text", "sentences"}` objects.
pub fn read_cases(jsonl: &str) -> Result<Vec<GoldCase>, serde_json::Error> {
    jsonl
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(serde_json::from_str)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(text: &str, sentences: &[&str]) -> GoldCase {
        GoldCase {
            id: "t".into(),
            text: text.into(),
            sentences: sentences.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn counts_only_scored_boundaries() {
        let segmenter = Segmenter::italian::<&str>(&[]);
        let cases = [
            // Scored boundary, found.
            case("Uno. Due.", &["Uno.", "Due."]),
            // A colon boundary is "don't care".
            case("Ecco: «Vieni».", &["Ecco:", "«Vieni»."]),
            // A false split: gold has one sentence.
            case("Il Sovr. Rossi parla.", &["Il Sovr. Rossi parla."]),
            // A missed scored boundary.
            case(
                "Lo disse il Dott. Rossi va.",
                &["Lo disse il Dott.", "Rossi va."],
            ),
        ];
        let (score, misses) = score(&segmenter, &cases);
        assert_eq!(score.true_positives, 1);
        assert_eq!(score.false_positives, 1);
        assert_eq!(score.false_negatives, 1);
        assert_eq!(score.cases_right, 2);
        assert_eq!(misses.len(), 2);
        assert!((score.precision() - 0.5).abs() < 1e-9);
        assert!((score.f1() - 0.5).abs() < 1e-9);
    }
}
