//! The match score between two segments, and the token-level edit distance
//! it is built on (bit-parallel for up to 64 tokens).
//!
//! base = 100 × (1 − d / max(n, m)), with d the Levenshtein distance between
//! the token keys (words lower-cased, numbers alike, marks alike) and n, m
//! the token counts. Then 1 point off for each kind of difference the keys
//! hide — letter case, punctuation (typographic variants included: ’ and '
//! share a key), numbers — and for a difference in the inline codes, which
//! are not tokens; so 100 means identical tokens with the same codes.

use super::codes::{self, Mark};
use super::fold_typography;
use super::tokenize::{may_hold_codes, Token, TokenKind};

/// Most points taken off for case, punctuation, number and code differences:
/// a match whose words are all the same never scores below 97.
pub const MAX_PENALTY: u32 = 3;

/// Token-level Levenshtein distance between `a` and `b`.
pub fn levenshtein<T: PartialEq + Copy>(a: &[T], b: &[T]) -> usize {
    let (pattern, text) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if pattern.is_empty() {
        return text.len();
    }
    if pattern.len() <= 64 {
        myers(pattern, text)
    } else {
        dynamic_programming(pattern, text)
    }
}

/// Myers' bit-vector algorithm (Hyyrö's formulation) for a pattern of at most
/// 64 tokens: one pass over `text` with a few word operations per token.
fn myers<T: PartialEq + Copy>(pattern: &[T], text: &[T]) -> usize {
    let m = pattern.len();
    let high = 1u64 << (m - 1);
    let mask = if m == 64 { u64::MAX } else { (1u64 << m) - 1 };
    let mut vp = mask;
    let mut vn = 0u64;
    let mut score = m;
    for t in text {
        let mut eq = 0u64;
        for (i, p) in pattern.iter().enumerate() {
            if p == t {
                eq |= 1 << i;
            }
        }
        step(&mut vp, &mut vn, &mut score, eq, high, mask);
    }
    score
}

/// One column of Myers' algorithm; `eq` has bit i set where pattern[i]
/// equals the text token.
#[inline]
pub(crate) fn step(vp: &mut u64, vn: &mut u64, score: &mut usize, eq: u64, high: u64, mask: u64) {
    let xv = eq | *vn;
    let xh = (((eq & *vp).wrapping_add(*vp)) ^ *vp) | eq;
    let hp = *vn | !(xh | *vp);
    let hn = *vp & xh;
    if hp & high != 0 {
        *score += 1;
    } else if hn & high != 0 {
        *score -= 1;
    }
    let hp = (hp << 1) | 1;
    let hn = hn << 1;
    *vp = (hn | !(xv | hp)) & mask;
    *vn = hp & xv & mask;
}

fn dynamic_programming<T: PartialEq + Copy>(a: &[T], b: &[T]) -> usize {
    let mut row: Vec<usize> = (0..=a.len()).collect();
    for (j, y) in b.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = j + 1;
        for (i, x) in a.iter().enumerate() {
            let above = row[i + 1];
            row[i + 1] = if x == y {
                diagonal
            } else {
                1 + diagonal.min(above).min(row[i])
            };
            diagonal = above;
        }
    }
    row[a.len()]
}

/// Largest distance that still gives a base score of at least `min_score`
/// between segments whose longer one has `longest` tokens.
pub fn max_distance(longest: usize, min_score: u32) -> usize {
    // 100 × (1 − d/M) ≥ T  ⟺  d ≤ M × (100 − T) / 100
    longest * (100 - min_score.min(100) as usize) / 100
}

/// The base similarity, 0 to 100, for distance `d` and token counts `n`, `m`.
pub fn base_score(d: usize, n: usize, m: usize) -> u32 {
    let longest = n.max(m);
    if longest == 0 {
        return 100;
    }
    (100 * (longest - d.min(longest)) / longest) as u32
}

/// Points off for differences the keys hide, over the tokens that the diff
/// aligns as equal, and for a difference in codes: at most [`MAX_PENALTY`].
pub fn penalty(
    query: &Scored<'_>,
    candidate: &Scored<'_>,
    keys_q: &[&str],
    keys_c: &[&str],
) -> u32 {
    let has_codes = |text: &str| may_hold_codes(text) && codes::has_codes(text);
    let with_codes = has_codes(query.text) || has_codes(candidate.text);
    let mut aligned = if with_codes {
        vec![None; query.tokens.len()]
    } else {
        Vec::new()
    };
    let (mut case, mut punct, mut number) = (false, false, false);
    for op in similar::capture_diff_slices(similar::Algorithm::Myers, keys_q, keys_c) {
        if let similar::DiffOp::Equal {
            old_index,
            new_index,
            len,
        } = op
        {
            for k in 0..len {
                if with_codes {
                    aligned[old_index + k] = Some(new_index + k);
                }
                let (a, b) = (
                    &query.tokens[old_index + k],
                    &candidate.tokens[new_index + k],
                );
                if a.text == b.text {
                    continue;
                }
                let (a_text, b_text) = (a.written(), b.written());
                if a_text == b_text {
                    continue;
                }
                match a.kind {
                    // Equal keys: the words differ in case, in their
                    // apostrophe ("l’asse", "l'asse"), or both; an
                    // apostrophe is punctuation.
                    TokenKind::Word => {
                        case |= fold_typography(&a_text) != fold_typography(&b_text);
                        punct |= a_text.to_lowercase() != b_text.to_lowercase();
                    }
                    TokenKind::Punct => punct = true,
                    TokenKind::Number => number = true,
                }
            }
        }
    }
    let tags = with_codes && tags_differ(query, candidate, &aligned);
    (u32::from(case) + u32::from(punct) + u32::from(number) + u32::from(tags)).min(MAX_PENALTY)
}

/// A segment's text with its tokens, as the score compares them.
#[derive(Debug, Clone)]
pub struct Scored<'a> {
    /// The text, codes included.
    pub text: &'a str,
    /// Its tokens (see [`super::tokenize::tokenize`]).
    pub tokens: Vec<Token<'a>>,
}

impl<'a> Scored<'a> {
    /// `text` cut into tokens.
    pub fn new(text: &'a str) -> Scored<'a> {
        Scored {
            text,
            tokens: super::tokenize::tokenize(text),
        }
    }
}

/// The shape of a mark, its id aside.
fn shape(mark: Mark) -> u8 {
    match mark {
        Mark::Open(_) => 0,
        Mark::Close(_) => 1,
        Mark::Standalone(_) => 2,
    }
}

/// Each code mark of `segment` with its shape and the number of tokens that
/// start before it.
fn placed_marks(segment: &Scored<'_>) -> Vec<(u8, usize)> {
    let mut before = 0;
    let mut placed = Vec::new();
    for (at, c) in segment.text.char_indices() {
        let Some(mark) = Mark::of(c) else { continue };
        while before < segment.tokens.len() && segment.tokens[before].start < at {
            before += 1;
        }
        placed.push((shape(mark), before));
    }
    placed
}

/// Whether the codes of two segments differ, their ids and what they stand
/// for aside: their shapes in order differ, or a code sits elsewhere among
/// the words both have — beside neither of the counterparts (`aligned`, the
/// candidate's token for each query token the diff keeps) of the words it
/// sits beside in the query. A code beside changed words alone cannot be
/// placed, and costs nothing beyond their change.
fn tags_differ(query: &Scored<'_>, candidate: &Scored<'_>, aligned: &[Option<usize>]) -> bool {
    let (q, c) = (placed_marks(query), placed_marks(candidate));
    if q.len() != c.len() || q.iter().zip(&c).any(|(a, b)| a.0 != b.0) {
        return true;
    }
    let (n, m) = (query.tokens.len(), candidate.tokens.len());
    q.iter().zip(&c).any(|(&(_, i), &(_, j))| {
        // Left neighbours (the start counts as a word of both), then right.
        let left = if i == 0 {
            Some(j == 0)
        } else {
            aligned[i - 1].map(|k| j > 0 && k == j - 1)
        };
        let right = if i == n {
            Some(j == m)
        } else {
            aligned[i].map(|k| k == j)
        };
        !matches!(
            (left, right),
            (Some(true), _) | (_, Some(true)) | (None, None)
        )
    })
}

/// The full score of `candidate` against `query`, 0 to 100.
pub fn score(query: &Scored<'_>, candidate: &Scored<'_>) -> u32 {
    let keys_q: Vec<std::borrow::Cow<'_, str>> = query.tokens.iter().map(Token::key).collect();
    let keys_c: Vec<std::borrow::Cow<'_, str>> = candidate.tokens.iter().map(Token::key).collect();
    let keys_q: Vec<&str> = keys_q.iter().map(|k| k.as_ref()).collect();
    let keys_c: Vec<&str> = keys_c.iter().map(|k| k.as_ref()).collect();
    let d = levenshtein(&keys_q, &keys_c);
    let base = base_score(d, keys_q.len(), keys_c.len());
    base.saturating_sub(penalty(query, candidate, &keys_q, &keys_c))
}

/// Whether two texts have the same codes in the same order, their ids
/// aside.
pub fn same_codes(a: &str, b: &str) -> bool {
    codes::marks(a).map(shape).eq(codes::marks(b).map(shape))
}

#[cfg(test)]
mod tests;
