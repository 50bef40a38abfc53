//! House style: how an English-language outlet writes money, dates, times,
//! quotation marks, courtesy titles and job titles, and how long its
//! headlines may be. Two presets are built in — a US wire style (after the
//! AP's habits) and a UK newspaper style — and each is used twice: to
//! suggest the English form of what the Italian says, and to check the
//! English against it.

use std::sync::LazyLock;

use regex::Regex;

use crate::text::months::{month_index, MONTHS_EN, MONTHS_IT};
use crate::text::numbers::{format_english, parse_italian};

/// How dates are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrder {
    /// "March 12, 2024".
    MonthDay,
    /// "12 March 2024".
    DayMonth,
}

/// How clock times are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// "5:41 a.m.", "9 p.m.".
    ColonDotted,
    /// "5.41am", "9pm".
    DotCompact,
}

/// How sums of money are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Money {
    /// "5 million euros", "$3.5 billion".
    Words,
    /// "€5m", "$3.5bn".
    Symbol,
}

/// One outlet's house style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StyleGuide {
    /// Stable name used by the CLI and stored with the document.
    pub name: &'static str,
    /// What the user sees.
    pub label: &'static str,
    /// Dates.
    pub dates: DateOrder,
    /// Times.
    pub clock: Clock,
    /// Money.
    pub money: Money,
    /// Opening and closing quotation marks.
    pub quotes: (char, char),
    /// Whether full stops and commas go inside the closing quotation mark.
    pub punctuation_inside: bool,
    /// Whether "Mr", "Dr" … take a full stop.
    pub honorific_stop: bool,
    /// Whether a job title before a name is capitalised ("Prime Minister
    /// Meloni") rather than set apart in lower case ("the prime minister,
    /// Giorgia Meloni").
    pub titles_capitalised: bool,
    /// Characters a headline may have.
    pub headline_chars: usize,
    /// Characters a standfirst may have.
    pub standfirst_chars: usize,
}

/// The built-in presets.
pub const PRESETS: [StyleGuide; 2] = [
    StyleGuide {
        name: "us-wire",
        label: "US wire",
        dates: DateOrder::MonthDay,
        clock: Clock::ColonDotted,
        money: Money::Words,
        quotes: ('“', '”'),
        punctuation_inside: true,
        honorific_stop: true,
        titles_capitalised: true,
        headline_chars: 70,
        standfirst_chars: 180,
    },
    StyleGuide {
        name: "uk-paper",
        label: "UK newspaper",
        dates: DateOrder::DayMonth,
        clock: Clock::DotCompact,
        money: Money::Symbol,
        quotes: ('‘', '’'),
        punctuation_inside: false,
        honorific_stop: false,
        titles_capitalised: false,
        headline_chars: 60,
        standfirst_chars: 160,
    },
];

/// The preset called `name`.
pub fn preset(name: &str) -> Option<&'static StyleGuide> {
    PRESETS.iter().find(|p| p.name == name)
}

/// What a suggestion is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rule {
    /// Italian number format to English.
    Numbers,
    /// Sums of money.
    Money,
    /// Dates.
    Dates,
    /// Clock times.
    Times,
    /// Quotation marks.
    Quotes,
    /// Courtesy titles (sig., dott., on.).
    Honorifics,
    /// Job titles before names.
    Titles,
}

/// The English form the house style gives to a piece of the Italian.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    /// Which rule.
    pub rule: Rule,
    /// The Italian as written.
    pub italian: String,
    /// The English the house style writes.
    pub english: String,
}

fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).expect("a valid built-in pattern")
}

pub(crate) static DATE: LazyLock<Regex> = LazyLock::new(|| {
    regex(&format!(
        r"(?i)\b(\d{{1,2}})[°º]?\s+({})(?:\s+(\d{{4}}))?\b",
        MONTHS_IT.join("|")
    ))
});
static TIME: LazyLock<Regex> = LazyLock::new(|| {
    regex(r"(?i)\b(ore|alle|dalle|entro le|verso le|fino alle)\s+(\d{1,2})(?:[.:](\d{2}))?\b")
});
static AMOUNT: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?i)(?P<sym>[€$]\s?)?\b(?P<num>\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)(?:\s*(?P<scale>milioni|milione|mln|miliardi|miliardo|mld)\b\.?)?(?:\s*(?:di\s+)?(?P<cur>euro\b|dollari\b|€))?",
    )
});
static HONORIFIC: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"\b(?i:(sig\.ra|signora|sig\.|signor|signore|dott\.ssa|dottoressa|dott\.|dottor|prof\.ssa|professoressa|prof\.|professor|on\.|onorevole|avv\.|ing\.))\s+(\p{Lu}[\p{L}'-]+)",
    )
});
static TITLE_IT: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"\b(?i:(presidente della Repubblica|presidente del Consiglio|premier|presidente|sindaca|sindaco|papa))\s+(\p{Lu}[\p{L}'-]+)",
    )
});
/// Words after a bare "alle 21" that show it is a time, not a count.
const TIME_FOLLOWERS: &[&str] = &[
    "di", "del", "della", "e", "ed", "alle", "fino", "in", "circa", "esatte", "precise", "ora",
    "locali", "italiane", "ha", "hanno", "è", "sono",
];

/// A clock time in Italian text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ClockTime {
    /// The digits ("12.30", "21"), without "alle".
    pub span: std::ops::Range<usize>,
    /// 0 to 24.
    pub hour: u32,
    /// Minutes, when written.
    pub minutes: Option<u32>,
}

/// The clock times of an Italian text: "alle 12.30", "ore 9", "dalle 18"
/// (a bare hour only when what follows is not a noun: "alle 21 persone"
/// is a count).
pub(crate) fn times(source: &str) -> Vec<ClockTime> {
    let mut found = Vec::new();
    for c in TIME.captures_iter(source) {
        let whole = c.get(0).expect("match");
        let hour: u32 = c[2].parse().unwrap_or(99);
        let minutes: Option<u32> = c.get(3).and_then(|m| m.as_str().parse().ok());
        if hour > 24 || minutes.is_some_and(|m| m > 59) {
            continue;
        }
        if minutes.is_none() && !c[1].eq_ignore_ascii_case("ore") {
            let next = source[whole.end()..]
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_lowercase();
            let word: String = next.chars().take_while(|c| c.is_alphabetic()).collect();
            if !word.is_empty() && !TIME_FOLLOWERS.contains(&word.as_str()) {
                continue;
            }
        }
        let clock = c.get(2).expect("hour");
        found.push(ClockTime {
            span: clock.start()..whole.end(),
            hour,
            minutes,
        });
    }
    found
}

/// Whether the English has the time, as any clock writes it: "12:30",
/// "12.30pm", "12:30 p.m.", "9 p.m.", "9pm", "noon".
pub(crate) fn time_found(time: &ClockTime, target: &str) -> bool {
    let lower = target.to_lowercase();
    let minutes = time.minutes.filter(|m| *m != 0);
    let h12 = match time.hour % 12 {
        0 => 12,
        h => h,
    };
    if minutes.is_none()
        && (time.hour == 12 && lower.contains("noon")
            || time.hour.is_multiple_of(24) && lower.contains("midnight"))
    {
        return true;
    }
    [time.hour, h12].iter().any(|h| {
        let forms = match minutes {
            Some(m) => vec![format!("{h}:{m:02}"), format!("{h}.{m:02}")],
            // The bare hour too: "at 18" is a time the style check may
            // still ask to write otherwise.
            None => vec![h.to_string()],
        };
        forms.iter().any(|f| {
            lower.match_indices(f.as_str()).any(|(at, _)| {
                !lower[..at].ends_with(|c: char| c.is_ascii_digit())
                    && !lower[at + f.len()..].starts_with(|c: char| c.is_ascii_digit())
            })
        })
    })
}

/// The suggestions of `style` for the Italian `source`, left to right.
pub fn suggest(style: &StyleGuide, source: &str) -> Vec<Suggestion> {
    let mut found: Vec<(usize, Suggestion)> = Vec::new();
    // Spans already read as dates or times are not read again as numbers.
    let mut taken: Vec<std::ops::Range<usize>> = Vec::new();
    for c in DATE.captures_iter(source) {
        let whole = c.get(0).expect("match");
        let day: u32 = c[1].parse().unwrap_or(0);
        let month = month_index(&c[2]).unwrap_or(0);
        if !(1..=31).contains(&day) {
            continue;
        }
        let english = format_date(style, day, month, c.get(3).map(|y| y.as_str()));
        taken.push(whole.range());
        found.push((
            whole.start(),
            suggestion(Rule::Dates, whole.as_str(), english),
        ));
    }
    for time in times(source) {
        taken.push(time.span.clone());
        found.push((
            time.span.start,
            suggestion(
                Rule::Times,
                &source[time.span],
                format_time(style, time.hour, time.minutes),
            ),
        ));
    }
    for c in AMOUNT.captures_iter(source) {
        let whole = c.get(0).expect("match");
        if taken
            .iter()
            .any(|t| t.start < whole.end() && whole.start() < t.end)
        {
            continue;
        }
        let Some(number) = parse_italian(&c["num"]) else {
            continue;
        };
        let amount = format_english(&number);
        let currency = match (c.name("sym"), c.name("cur")) {
            (Some(s), _) if s.as_str().starts_with('$') => Some('$'),
            (_, Some(cur)) if cur.as_str().eq_ignore_ascii_case("dollari") => Some('$'),
            (Some(_), _) | (_, Some(_)) => Some('€'),
            _ => None,
        };
        let scale = c.name("scale").map(|s| {
            let lower = s.as_str().to_lowercase();
            if lower.starts_with("mld") || lower.starts_with("miliard") {
                Scale::Billion
            } else {
                Scale::Million
            }
        });
        let english = match (currency, scale) {
            (Some(symbol), scale) => format_money(style, symbol, &amount, scale),
            (None, Some(scale)) => format!("{amount} {}", scale.word()),
            (None, None) if number.grouped || number.fraction.is_some() => amount,
            (None, None) => continue,
        };
        let rule = if currency.is_some() {
            Rule::Money
        } else {
            Rule::Numbers
        };
        found.push((
            whole.start(),
            suggestion(rule, whole.as_str().trim(), english),
        ));
    }
    for c in HONORIFIC.captures_iter(source) {
        let whole = c.get(0).expect("match");
        let name = &c[2];
        let title = c[1].to_lowercase();
        let english = match honorific(style, &title) {
            Some(t) => format!("{t} {name}"),
            None => name.to_string(),
        };
        found.push((
            whole.start(),
            suggestion(Rule::Honorifics, whole.as_str(), english),
        ));
    }
    for c in TITLE_IT.captures_iter(source) {
        let whole = c.get(0).expect("match");
        let name = &c[2];
        let title = match c[1].to_lowercase().as_str() {
            "presidente del consiglio" | "premier" => "prime minister",
            "sindaco" | "sindaca" => "mayor",
            "papa" => "pope",
            _ => "president",
        };
        // The head of state and the pope keep their capital everywhere.
        let english = if style.titles_capitalised || matches!(title, "president" | "pope") {
            format!("{} {name}", capitalise_words(title))
        } else {
            format!("the {title}, {name}")
        };
        found.push((
            whole.start(),
            suggestion(Rule::Titles, whole.as_str(), english),
        ));
    }
    if source.contains(['«', '“']) {
        let (open, close) = style.quotes;
        let at = source.find(['«', '“']).unwrap_or(0);
        found.push((
            at,
            suggestion(
                Rule::Quotes,
                "« »",
                format!(
                    "{open} {close}{}",
                    if style.punctuation_inside {
                        ", full stops and commas inside"
                    } else {
                        ""
                    }
                ),
            ),
        ));
    }
    found.sort_by_key(|(at, _)| *at);
    found.into_iter().map(|(_, s)| s).collect()
}

#[derive(Debug, Clone, Copy)]
enum Scale {
    Million,
    Billion,
}

impl Scale {
    fn word(self) -> &'static str {
        match self {
            Scale::Million => "million",
            Scale::Billion => "billion",
        }
    }

    fn short(self) -> &'static str {
        match self {
            Scale::Million => "m",
            Scale::Billion => "bn",
        }
    }
}

fn suggestion(rule: Rule, italian: &str, english: String) -> Suggestion {
    Suggestion {
        rule,
        italian: italian.to_string(),
        english,
    }
}

fn capitalise_words(text: &str) -> String {
    text.split(' ')
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn format_date(style: &StyleGuide, day: u32, month: usize, year: Option<&str>) -> String {
    let month = MONTHS_EN[month];
    match (style.dates, year) {
        (DateOrder::MonthDay, Some(y)) => format!("{month} {day}, {y}"),
        (DateOrder::MonthDay, None) => format!("{month} {day}"),
        (DateOrder::DayMonth, Some(y)) => format!("{day} {month} {y}"),
        (DateOrder::DayMonth, None) => format!("{day} {month}"),
    }
}

fn format_time(style: &StyleGuide, hour: u32, minutes: Option<u32>) -> String {
    let minutes = minutes.filter(|m| *m != 0);
    match (hour % 24, minutes) {
        (12, None) => return "noon".into(),
        (0, None) => return "midnight".into(),
        _ => {}
    }
    let h12 = match hour % 12 {
        0 => 12,
        h => h,
    };
    let pm = (12..24).contains(&hour);
    match style.clock {
        Clock::ColonDotted => {
            let suffix = if pm { "p.m." } else { "a.m." };
            match minutes {
                Some(m) => format!("{h12}:{m:02} {suffix}"),
                None => format!("{h12} {suffix}"),
            }
        }
        Clock::DotCompact => {
            let suffix = if pm { "pm" } else { "am" };
            match minutes {
                Some(m) => format!("{h12}.{m:02}{suffix}"),
                None => format!("{h12}{suffix}"),
            }
        }
    }
}

fn format_money(style: &StyleGuide, symbol: char, amount: &str, scale: Option<Scale>) -> String {
    match (style.money, symbol, scale) {
        (Money::Symbol, _, Some(s)) => format!("{symbol}{amount}{}", s.short()),
        (Money::Symbol, _, None) => format!("{symbol}{amount}"),
        (Money::Words, '$', Some(s)) => format!("${amount} {}", s.word()),
        (Money::Words, '$', None) => format!("${amount}"),
        (Money::Words, _, Some(s)) => format!("{amount} {} euros", s.word()),
        (Money::Words, _, None) if amount == "1" => "1 euro".into(),
        (Money::Words, _, None) => format!("{amount} euros"),
    }
}

/// The English courtesy title for an Italian one; `None` when English
/// drops it (onorevole, avvocato, ingegnere).
fn honorific(style: &StyleGuide, italian: &str) -> Option<String> {
    let bare = match italian {
        "sig." | "signor" | "signore" => "Mr",
        "sig.ra" | "signora" => "Ms",
        "dott." | "dottor" | "dott.ssa" | "dottoressa" => "Dr",
        "prof." | "professor" | "prof.ssa" | "professoressa" => {
            return Some(if style.honorific_stop {
                "Professor".into()
            } else {
                "Prof".into()
            })
        }
        _ => return None,
    };
    Some(if style.honorific_stop {
        format!("{bare}.")
    } else {
        bare.to_string()
    })
}

static HONORIFIC_EN: LazyLock<Regex> =
    LazyLock::new(|| regex(r"\b(Mr|Mrs|Ms|Dr|Prof)(\.?)\s+\p{Lu}"));
static DROPPED_TITLE_EN: LazyLock<Regex> =
    LazyLock::new(|| regex(r"\b(Hon\.|Honou?rable|Avv\.|Ing\.|Eng\.)\s+\p{Lu}"));
static TITLE_EN: LazyLock<Regex> = LazyLock::new(|| {
    regex(r"\b((?i:prime minister|mayor|minister|premier|president|pope))\s+(\p{Lu}\p{Ll}+)")
});

/// Where the English departs from the house style: one message per
/// problem, empty when it follows it. `source` gives what the English
/// must contain (money, dates, times in the preset's form).
pub fn check(style: &StyleGuide, source: &str, target: &str) -> Vec<(Rule, String)> {
    let mut found = Vec::new();
    if target.trim().is_empty() {
        return found;
    }
    let folded = fold_spaces(target);
    for s in suggest(style, source) {
        let expected = match s.rule {
            Rule::Money | Rule::Dates | Rule::Times => fold_spaces(&s.english),
            // A bare number's format is the numbers check's business; "1,2
            // milioni" → "1.2 million" is the house style's.
            Rule::Numbers if s.english.contains(' ') => fold_spaces(&s.english),
            _ => continue,
        };
        let present = match s.rule {
            // "9 P.M." is the same time.
            Rule::Times => folded.to_lowercase().contains(&expected.to_lowercase()),
            _ => folded.contains(&expected),
        };
        if !present {
            found.push((
                s.rule,
                format!(
                    "{}: “{}” is “{}” in {} style",
                    s.rule.label(),
                    s.italian,
                    s.english,
                    style.label
                ),
            ));
        }
    }
    let (open, close) = style.quotes;
    let (other_open, other_close) = if open == '“' {
        ('‘', '’')
    } else {
        ('“', '”')
    };
    if source.contains(['«', '“', '"']) {
        if target.contains('"') {
            found.push((
                Rule::Quotes,
                format!("straight quotation marks; use {open} {close}"),
            ));
        }
        // A quotation inside a quotation takes the other marks, so the
        // other kind alone is the mistake.
        if target.contains(other_open) && !target.contains(open) {
            found.push((
                Rule::Quotes,
                format!(
                    "{other_open} {other_close} where {} style uses {open} {close}",
                    style.label
                ),
            ));
        }
    }
    if style.punctuation_inside {
        let outside = format!("{close}.");
        let comma = format!("{close},");
        if target.contains(&outside) || target.contains(&comma) {
            found.push((
                Rule::Quotes,
                format!("full stops and commas go inside the closing {close}"),
            ));
        }
    }
    for c in HONORIFIC_EN.captures_iter(target) {
        let has_stop = !c[2].is_empty();
        let title = &c[1];
        // "Professor" is written out in the US style; "Prof" is British.
        if title == "Prof" && style.honorific_stop {
            found.push((
                Rule::Honorifics,
                format!("write “Professor”, not “Prof{}”", &c[2]),
            ));
        } else if has_stop != style.honorific_stop && title != "Prof" {
            let want = if style.honorific_stop {
                format!("{title}.")
            } else {
                title.to_string()
            };
            found.push((
                Rule::Honorifics,
                format!("“{title}{}” is “{want}” in {} style", &c[2], style.label),
            ));
        }
    }
    for c in DROPPED_TITLE_EN.captures_iter(target) {
        found.push((
            Rule::Honorifics,
            format!(
                "“{}”: Italian courtesy titles (on., avv., ing.) are dropped in English",
                &c[1]
            ),
        ));
    }
    for c in TITLE_EN.captures_iter(target) {
        let title = &c[1];
        let capitalised = title.starts_with(char::is_uppercase);
        let lower = title.to_lowercase();
        // Sentence-initial capitals say nothing about the style.
        let at_start = starts_sentence(&target[..c.get(1).expect("title").start()]);
        if style.titles_capitalised && !capitalised {
            found.push((
                Rule::Titles,
                format!(
                    "a title before a name is capitalised: “{} {}”",
                    capitalise_words(&lower),
                    &c[2]
                ),
            ));
        } else if !style.titles_capitalised
            && capitalised
            && !at_start
            && !matches!(lower.as_str(), "president" | "pope")
        {
            found.push((
                Rule::Titles,
                format!("“{} {}”: write “the {lower}, {}”", title, &c[2], &c[2]),
            ));
        }
    }
    found
}

/// Whether what comes after `before` opens a sentence (or a quotation).
fn starts_sentence(before: &str) -> bool {
    let before = before.trim_end();
    before.is_empty() || before.ends_with(['.', '!', '?', '“', '‘', '"', ':'])
}

impl Rule {
    /// The stable name used by the CLI and the app.
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Numbers => "numbers",
            Rule::Money => "money",
            Rule::Dates => "dates",
            Rule::Times => "times",
            Rule::Quotes => "quotes",
            Rule::Honorifics => "honorifics",
            Rule::Titles => "titles",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Rule::Numbers => "number",
            Rule::Money => "money",
            Rule::Dates => "date",
            Rule::Times => "time",
            Rule::Quotes => "quotation marks",
            Rule::Honorifics => "courtesy title",
            Rule::Titles => "title",
        }
    }
}

/// Text with non-breaking and repeated spaces as one plain space.
fn fold_spaces(text: &str) -> String {
    text.split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests;
