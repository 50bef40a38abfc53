//! Numbers in matches: reading Italian and English number formats, and
//! putting the new segment's numbers into a match's target the English way.

use super::tokenize::{tokenize, TokenKind};

/// A number as written, with its value in a comparable form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Number {
    /// Digits of the integer part, without grouping marks.
    pub integer: String,
    /// Digits after the decimal mark, if any.
    pub fraction: Option<String>,
    /// Whether the integer part was written with grouping marks.
    pub grouped: bool,
}

/// Reads an Italian number: `1.234,5`, `12,03`, `2000`, and `3.5` (a dot
/// not followed by a group of three digits is a decimal point, as Italian
/// news often writes percentages).
pub fn parse_italian(text: &str) -> Option<Number> {
    parse(text, '.', ',')
}

/// Reads an English number: `1,234.5`, `2000`.
pub fn parse_english(text: &str) -> Option<Number> {
    parse(text, ',', '.')
}

fn parse(text: &str, group: char, decimal: char) -> Option<Number> {
    if text.is_empty()
        || !text
            .chars()
            .all(|c| c.is_ascii_digit() || c == group || c == decimal)
    {
        return None;
    }
    let (int_part, fraction) = match text.rsplit_once(decimal) {
        Some((i, f)) if !f.is_empty() && f.chars().all(|c| c.is_ascii_digit()) => (i, Some(f)),
        Some(_) => return None,
        None => (text, None),
    };
    let groups: Vec<&str> = int_part.split(group).collect();
    let grouped = groups.len() > 1;
    if grouped {
        let well_formed =
            (1..=3).contains(&groups[0].len()) && groups[1..].iter().all(|g| g.len() == 3);
        if !well_formed {
            // "3.5" in Italian text: the grouping mark used as a decimal point.
            if fraction.is_none() && groups.len() == 2 {
                return Some(Number {
                    integer: groups[0].to_string(),
                    fraction: Some(groups[1].to_string()),
                    grouped: false,
                });
            }
            return None;
        }
    }
    Some(Number {
        integer: groups.concat(),
        fraction: fraction.map(str::to_string),
        grouped,
    })
}

/// Writes a number the English way: `1,234.5`; grouping only where the
/// source grouped (so years stay `2024`).
pub fn format_english(number: &Number) -> String {
    let mut out = String::new();
    let digits = number.integer.as_bytes();
    for (i, d) in digits.iter().enumerate() {
        if number.grouped && i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(*d as char);
    }
    if let Some(fraction) = &number.fraction {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

fn same_value(a: &Number, b: &Number) -> bool {
    a.integer.trim_start_matches('0') == b.integer.trim_start_matches('0')
        && a.fraction.as_deref().unwrap_or("").trim_end_matches('0')
            == b.fraction.as_deref().unwrap_or("").trim_end_matches('0')
}

/// When `segment` and the match's `match_source` differ only in numbers,
/// the match's `match_target` with each number that stood for a source
/// number replaced by the segment's number, written the English way.
/// `None` when some number of the target cannot be matched up.
pub fn substitute(segment: &str, match_source: &str, match_target: &str) -> Option<String> {
    let numbers = |text: &str| -> Vec<String> {
        tokenize(text)
            .into_iter()
            .filter(|t| t.kind == TokenKind::Number)
            .map(|t| t.text.to_string())
            .collect()
    };
    let new_numbers = numbers(segment);
    let old_numbers = numbers(match_source);
    if new_numbers.len() != old_numbers.len() || new_numbers == old_numbers {
        return None;
    }
    let old: Vec<Number> = old_numbers
        .iter()
        .map(|n| parse_italian(n))
        .collect::<Option<_>>()?;
    let new: Vec<Number> = new_numbers
        .iter()
        .map(|n| parse_italian(n))
        .collect::<Option<_>>()?;
    let mut out = String::with_capacity(match_target.len());
    let mut last = 0;
    let mut replaced = 0;
    for token in tokenize(match_target) {
        if token.kind != TokenKind::Number {
            continue;
        }
        let value = parse_english(token.text).or_else(|| parse_italian(token.text))?;
        let Some(at) = old.iter().position(|o| same_value(o, &value)) else {
            continue;
        };
        out.push_str(&match_target[last..token.start]);
        out.push_str(&format_english(&new[at]));
        last = token.start + token.text.len();
        replaced += 1;
    }
    out.push_str(&match_target[last..]);
    (replaced > 0).then_some(out)
}

/// A number's value as text ("1234", "3.5"), to compare across formats.
pub fn number_value(number: &Number) -> String {
    let integer = number.integer.trim_start_matches('0');
    let integer = if integer.is_empty() { "0" } else { integer };
    match number.fraction.as_deref().map(|f| f.trim_end_matches('0')) {
        Some(fraction) if !fraction.is_empty() => format!("{integer}.{fraction}"),
        _ => integer.to_string(),
    }
}

/// The number of "5m", "3.5bn", "20k".
pub fn scaled_english(token: &str) -> Option<Number> {
    let digits = token
        .strip_suffix("bn")
        .or_else(|| token.strip_suffix('m'))
        .or_else(|| token.strip_suffix('k'))?;
    digits
        .starts_with(|c: char| c.is_ascii_digit())
        .then(|| parse_english(digits))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn italian_numbers_become_english() {
        let n = |s| format_english(&parse_italian(s).unwrap());
        assert_eq!(n("1.234,5"), "1,234.5");
        assert_eq!(n("1.234.567"), "1,234,567");
        assert_eq!(n("12,03"), "12.03");
        assert_eq!(n("2024"), "2024");
        assert_eq!(n("3.5"), "3.5");
        assert_eq!(parse_italian("1.2.3"), None);
    }

    #[test]
    fn substitutes_numbers_in_the_target() {
        assert_eq!(
            substitute(
                "Il PIL è cresciuto del 2,5% nel 2024.",
                "Il PIL è cresciuto del 1,8% nel 2023.",
                "GDP grew by 1.8% in 2023."
            )
            .as_deref(),
            Some("GDP grew by 2.5% in 2024.")
        );
        assert_eq!(
            substitute(
                "Costa 12.500 euro.",
                "Costa 1.234 euro.",
                "It costs 1,234 euros."
            )
            .as_deref(),
            Some("It costs 12,500 euros.")
        );
        assert_eq!(substitute("Tre gatti.", "Tre gatti.", "Three cats."), None);
        assert_eq!(substitute("1 e 2", "1", "1"), None);
    }
}
