//! The character edit distance between two texts (Levenshtein), by which
//! the effort report measures how much a suggestion was changed.

/// Character-level Levenshtein distance. Texts longer than a few thousand
/// characters are compared on their first 4,000, which no sentence reaches.
pub fn edit_distance(a: &str, b: &str) -> usize {
    const CAP: usize = 4_000;
    let a: Vec<char> = a.chars().take(CAP).collect();
    let b: Vec<char> = b.chars().take(CAP).collect();
    if a.is_empty() || b.is_empty() {
        return a.len().max(b.len());
    }
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_characters() {
        assert_eq!(edit_distance("", ""), 0);
        assert_eq!(edit_distance("abc", ""), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(
            edit_distance("Putin goes to Kim.", "Putin travels to Kim."),
            5
        );
        assert_eq!(
            edit_distance("naïve café", "naive cafe"),
            2,
            "characters, not bytes"
        );
    }
}
