//! The match score between two segments, and the token-level edit distance
//! it is built on (bit-parallel for up to 64 tokens).
//!
//! base = 100 × (1 − d / max(n, m)), with d the Levenshtein distance between
//! the token keys (words lower-cased, numbers alike, marks alike) and n, m
//! the token counts. Then 1 point off for each kind of difference the keys
//! hide — letter case, punctuation (typographic variants included: ’ and '
//! share a key), numbers — so 100 means identical tokens.

use super::fold_typography;
use super::tokenize::{Token, TokenKind};

/// Most points taken off for case, punctuation and number differences.
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
/// aligns as equal.
pub fn penalty(
    query: &[Token<'_>],
    candidate: &[Token<'_>],
    keys_q: &[&str],
    keys_c: &[&str],
) -> u32 {
    let (mut case, mut punct, mut number) = (false, false, false);
    for op in similar::capture_diff_slices(similar::Algorithm::Myers, keys_q, keys_c) {
        if let similar::DiffOp::Equal {
            old_index,
            new_index,
            len,
        } = op
        {
            for k in 0..len {
                let (a, b) = (&query[old_index + k], &candidate[new_index + k]);
                if a.text != b.text {
                    match a.kind {
                        // Equal keys: the words differ in case, in their
                        // apostrophe ("l’asse", "l'asse"), or both; an
                        // apostrophe is punctuation.
                        TokenKind::Word => {
                            case |= fold_typography(a.text) != fold_typography(b.text);
                            punct |= a.text.to_lowercase() != b.text.to_lowercase();
                        }
                        TokenKind::Punct => punct = true,
                        TokenKind::Number => number = true,
                    }
                }
            }
        }
    }
    u32::from(case) + u32::from(punct) + u32::from(number)
}

/// The full score of `candidate` against `query`, 0 to 100.
pub fn score(query: &[Token<'_>], candidate: &[Token<'_>]) -> u32 {
    let keys_q: Vec<std::borrow::Cow<'_, str>> = query.iter().map(Token::key).collect();
    let keys_c: Vec<std::borrow::Cow<'_, str>> = candidate.iter().map(Token::key).collect();
    let keys_q: Vec<&str> = keys_q.iter().map(|k| k.as_ref()).collect();
    let keys_c: Vec<&str> = keys_c.iter().map(|k| k.as_ref()).collect();
    let d = levenshtein(&keys_q, &keys_c);
    let base = base_score(d, keys_q.len(), keys_c.len());
    base.saturating_sub(penalty(query, candidate, &keys_q, &keys_c))
}

#[cfg(test)]
mod tests;
