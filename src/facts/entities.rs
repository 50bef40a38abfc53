//! Names in the Italian — people, organisations, places — and how each may
//! appear in the English: as written, by its English name (Milano →
//! Milan), by the glossary's rendering, or for a metonym (Farnesina) by
//! what it stands for.
//!
//! A name is a glossary proper noun, a known metonym, or a run of
//! capitalised words (joined by "di", "del", "d'" …) that does not merely
//! open a sentence. Generic words an English text translates ("Regione",
//! "Ministero") are not names by themselves: "Regione Emilia-Romagna" is
//! found when "Emilia-Romagna" is. Names joined by a hyphen are each a
//! name ("l'asse Mosca-Pyongyang"), and the English's compounds are read
//! part by part, so "Moscow-Pyongyang" has both.

use crate::glossary::TermMatcher;

/// A name of the Italian and the forms that count as its translation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    /// As the Italian writes it.
    pub italian: String,
    /// Forms that carry it over, any one of which will do.
    pub renderings: Vec<String>,
}

impl Entity {
    /// Whether `target` carries the name over (case and accents aside).
    pub fn found_in(&self, target: &str) -> bool {
        let target = fold(target);
        let target_words: Vec<&str> = split_words(&target).collect();
        self.renderings.iter().any(|r| {
            let r = fold(r);
            let r = r.strip_prefix("the ").unwrap_or(&r);
            // Each word of the rendering, as a whole word ("US" is not in
            // "thus").
            let found = split_words(r).all(|word| target_words.contains(&word));
            found
        })
    }
}

/// Names with an English form of their own: parties and institutions
/// often named in the news, and what Italian news calls an institution by
/// its building (a metonym), with what that stands for in English.
pub const METONYMS: &[(&str, &[&str])] = &[
    ("Fratelli d'Italia", &["Brothers of Italy", "FdI"]),
    ("Partito democratico", &["Democratic Party", "PD"]),
    ("Partito Democratico", &["Democratic Party", "PD"]),
    ("Movimento 5 Stelle", &["Five Star Movement", "M5S"]),
    ("Forza Italia", &["Forza Italia", "FI"]),
    (
        "Palazzo Chigi",
        &[
            "prime minister's office",
            "the government",
            "prime minister",
        ],
    ),
    (
        "Quirinale",
        &[
            "presidency",
            "president's office",
            "the president",
            "head of state",
        ],
    ),
    (
        "Farnesina",
        &["foreign ministry", "foreign minister", "foreign office"],
    ),
    ("Viminale", &["interior ministry", "interior minister"]),
    ("Montecitorio", &["lower house", "Chamber of Deputies"]),
    ("Palazzo Madama", &["Senate"]),
    (
        "Via XX Settembre",
        &["economy ministry", "finance ministry"],
    ),
    (
        "Campidoglio",
        &["city hall", "Rome's city council", "mayor of Rome"],
    ),
    (
        "Pirellone",
        &["Lombardy regional council", "Lombardy region"],
    ),
];

/// Places with an English name of their own.
const EXONYMS: &[(&str, &[&str])] = &[
    ("Italia", &["Italy"]),
    ("Roma", &["Rome"]),
    ("Milano", &["Milan"]),
    ("Torino", &["Turin"]),
    ("Firenze", &["Florence"]),
    ("Napoli", &["Naples"]),
    ("Venezia", &["Venice"]),
    ("Genova", &["Genoa"]),
    ("Padova", &["Padua"]),
    ("Mantova", &["Mantua"]),
    ("Siracusa", &["Syracuse"]),
    ("Sicilia", &["Sicily"]),
    ("Sardegna", &["Sardinia"]),
    ("Lombardia", &["Lombardy"]),
    ("Piemonte", &["Piedmont"]),
    ("Toscana", &["Tuscany"]),
    ("Puglia", &["Apulia", "Puglia"]),
    ("Valle d'Aosta", &["Aosta Valley"]),
    ("Alto Adige", &["South Tyrol", "Alto Adige"]),
    ("Marche", &["Marche", "Marches"]),
    ("Germania", &["Germany"]),
    ("Francia", &["France"]),
    ("Spagna", &["Spain"]),
    ("Grecia", &["Greece"]),
    ("Svizzera", &["Switzerland"]),
    ("Stati Uniti", &["United States", "US", "U.S."]),
    ("Regno Unito", &["United Kingdom", "UK", "Britain"]),
    ("Cina", &["China"]),
    ("Giappone", &["Japan"]),
    ("Ucraina", &["Ukraine"]),
    ("Europa", &["Europe"]),
    ("Unione europea", &["European Union", "EU"]),
    ("Nazioni Unite", &["United Nations", "UN"]),
    ("Bruxelles", &["Brussels"]),
    ("Londra", &["London"]),
    ("Parigi", &["Paris"]),
    ("Mosca", &["Moscow"]),
    ("Pechino", &["Beijing"]),
    ("Berlino", &["Berlin"]),
    ("Vaticano", &["Vatican"]),
    ("Corea del Nord", &["North Korea"]),
];

/// Capitalised words an English text translates: never a name alone.
const GENERIC: &[&str] = &[
    "regione",
    "comune",
    "provincia",
    "ministero",
    "ministro",
    "ministra",
    "presidente",
    "consiglio",
    "governo",
    "stato",
    "camera",
    "senato",
    "tribunale",
    "procura",
    "corte",
    "agenzia",
    "protezione",
    "civile",
    "polizia",
    "carabinieri",
    "guardia",
    "finanza",
    "università",
    "ospedale",
    "piazza",
    "via",
    "viale",
    "palazzo",
    "partito",
    "stazione",
    "centrale",
    "alta",
    "velocità",
    "nord",
    "sud",
    "est",
    "ovest",
    "repubblica",
    "parlamento",
    "unione",
    "papa",
    "premier",
    "sindaco",
    "sindaca",
    "questura",
    "prefettura",
    "entrate",
    "vigili",
    "fuoco",
    "ministri",
    "associazione",
    "confederazione",
    "istituto",
    "paese",
    "costituzione",
    "chiesa",
    "occidente",
    "oriente",
    "capitale",
    "regioni",
    "comuni",
];

/// Words that open sentences or join names, never a name's first word.
const FUNCTION_WORDS: &[&str] = &[
    "il", "lo", "la", "i", "gli", "le", "un", "uno", "una", "nel", "nella", "nei", "negli", "al",
    "alla", "ai", "agli", "del", "della", "dei", "degli", "delle", "dal", "dalla", "dai", "per",
    "con", "su", "sul", "sulla", "secondo", "a", "in", "e", "ma", "se", "dopo", "tra", "fra",
    "come", "anche", "non", "oggi", "ieri", "domani", "questo", "questa", "quello", "quella", "ci",
    "si", "ne", "ha", "è", "sono", "da", "di", "o", "già", "ora", "poi", "mentre", "quando",
    "dove", "chi", "cosa", "perché", "infine", "intanto", "inoltre",
];

/// Lower-case words that may join the capitalised words of one name.
const JOINERS: &[&str] = &[
    "di", "del", "della", "dei", "degli", "delle", "de", "da", "von", "van",
];

/// The words of a text; a compound's parts are words of their own, so
/// "Moscow-Pyongyang" holds "Moscow" and "Pyongyang".
fn split_words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// Lower case without accents, typography folded (’ is ', – is -).
fn fold(text: &str) -> String {
    text.chars()
        .map(|c| match crate::text::fold_char(c) {
            'à' | 'á' | 'â' | 'À' | 'Á' => 'a',
            'è' | 'é' | 'ê' | 'È' | 'É' => 'e',
            'ì' | 'í' | 'Ì' => 'i',
            'ò' | 'ó' | 'Ò' => 'o',
            'ù' | 'ú' | 'Ù' => 'u',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// One word of the text: its characters and whether a sentence opens
/// with it.
struct Word<'a> {
    text: &'a str,
    /// As written, with any elided word before it.
    whole: &'a str,
    sentence_start: bool,
    /// Had an elided article or preposition ("all'Agenzia"): it may open
    /// a name but not continue the one before…
    elided: bool,
    /// …unless that was "d'" ("Banca d'Italia").
    joined: bool,
}

fn words(text: &str) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    let mut sentence_start = true;
    for raw in text.split_whitespace() {
        let opens = raw.starts_with(['«', '“', '"', '(']);
        let trimmed = raw.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’');
        // Elided articles and prepositions: "dell'Emilia" → "Emilia".
        let whole = trimmed;
        let trimmed = match trimmed.find(['\'', '’']) {
            Some(at)
                if at <= 5
                    && trimmed[at..].chars().nth(1).is_some_and(char::is_uppercase)
                    && trimmed[..at].chars().all(char::is_lowercase) =>
            {
                &trimmed[at + trimmed[at..].chars().next().map_or(1, char::len_utf8)..]
            }
            _ => trimmed,
        };
        if !trimmed.is_empty() {
            out.push(Word {
                text: trimmed,
                whole,
                sentence_start: sentence_start || opens,
                elided: trimmed.len() != whole.len(),
                joined: whole.starts_with("d'") || whole.starts_with("d’"),
            });
        }
        sentence_start = raw.ends_with(['.', '!', '?', ':', '«', '“']);
    }
    out
}

fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

fn is_acronym(word: &str) -> bool {
    word.chars().count() >= 2 && word.chars().filter(|c| c.is_uppercase()).count() >= 2
}

/// The names of `source`, left to right, each once.
pub fn entities(terms: &TermMatcher, source: &str) -> Vec<Entity> {
    let mut found: Vec<Entity> = Vec::new();
    let mut covered: Vec<String> = Vec::new();
    for (name, meaning) in METONYMS {
        if source.contains(name) {
            let mut renderings = vec![name.to_string()];
            renderings.extend(meaning.iter().map(|m| m.to_string()));
            push(&mut found, name, renderings);
            covered.push(name.to_string());
        }
    }
    let chars: Vec<char> = source.chars().collect();
    for hit in terms.find(source) {
        let italian: String = chars[hit.start..hit.end].iter().collect();
        if covered.iter().any(|c| c.contains(&italian)) {
            continue;
        }
        // A glossary term that is not a name ("Cremlino" → "Kremlin") is
        // the glossary check's to verify.
        if hit
            .entry
            .italian
            .iter()
            .all(|t| t.pos.as_deref() != Some("properNoun"))
        {
            covered.push(italian);
            continue;
        }
        let mut renderings = vec![italian.clone()];
        renderings.extend(
            hit.entry
                .targets()
                .iter()
                .map(|t| t.text.clone())
                .filter(|t| !t.is_empty()),
        );
        push(&mut found, &italian, renderings);
        covered.push(italian);
    }
    let words = words(source);
    let mut i = 0;
    while i < words.len() {
        let word = &words[i];
        let lower = word.text.to_lowercase();
        if !is_capitalised(word.text) || FUNCTION_WORDS.contains(&lower.as_str()) {
            i += 1;
            continue;
        }
        // The run of capitalised words (and joiners between them).
        let mut end = i + 1;
        while end < words.len() {
            let w = words[end].text;
            // "d'" is "di" elided: "Valle d'Aosta" is one name.
            if is_capitalised(w)
                && !words[end].sentence_start
                && (!words[end].elided || words[end].joined)
            {
                end += 1;
            } else if JOINERS.contains(&w)
                && words.get(end + 1).is_some_and(|n| is_capitalised(n.text))
            {
                end += 2;
            } else {
                break;
            }
        }
        let run: Vec<&str> = words[i..end]
            .iter()
            .map(|w| if w.joined { w.whole } else { w.text })
            .collect();
        let opens_sentence = word.sentence_start;
        i = end;
        // "l'asse Mosca-Pyongyang": names joined by a hyphen are each a
        // name, even opening a sentence; inside a longer name ("Regione
        // Emilia-Romagna") the compound is part of that name.
        if let Some(parts) = names_joined_by_hyphens(&run) {
            for part in parts {
                push_name(&mut found, &covered, &[part]);
            }
            continue;
        }
        // A lone capitalised word opening a sentence is just a capital.
        if opens_sentence && run.len() == 1 && !is_acronym(run[0]) {
            continue;
        }
        push_name(&mut found, &covered, &run);
    }
    found
}

/// Adds a name unless it is already there.
fn push(found: &mut Vec<Entity>, italian: &str, renderings: Vec<String>) {
    if !found.iter().any(|e| e.italian == italian) {
        found.push(Entity {
            italian: italian.to_string(),
            renderings,
        });
    }
}

/// Adds the name a run of capitalised words (and joiners) makes, unless
/// it is only generic words or already found as a metonym or glossary term.
fn push_name(found: &mut Vec<Entity>, covered: &[String], run: &[&str]) {
    let name_words: Vec<&str> = run
        .iter()
        .copied()
        .filter(|w| is_capitalised(w) && !GENERIC.contains(&w.to_lowercase().as_str()))
        .collect();
    if name_words.is_empty() {
        return;
    }
    let italian = run.join(" ");
    if covered
        .iter()
        .any(|c| c.contains(&italian) || italian.contains(c.as_str()))
    {
        return;
    }
    let renderings = match EXONYMS.iter().find(|(it, _)| *it == italian) {
        Some((it, english)) => std::iter::once(it.to_string())
            .chain(english.iter().map(|e| e.to_string()))
            .collect(),
        None => vec![name_words
            .iter()
            .map(|w| in_english(w))
            .collect::<Vec<_>>()
            .join(" ")],
    };
    push(found, &italian, renderings);
}

/// The dashes that join the parts of a compound ("Mosca-Pyongyang").
const HYPHENS: [char; 5] = ['-', '\u{2010}', '\u{2011}', '–', '—'];

/// The parts of a one-word run made of capitalised words joined by
/// hyphens ("Mosca-Pyongyang", "Usa-Cina").
fn names_joined_by_hyphens<'a>(run: &[&'a str]) -> Option<Vec<&'a str>> {
    let [word] = run else {
        return None;
    };
    let parts: Vec<&str> = word.split(HYPHENS).collect();
    (parts.len() > 1 && parts.iter().all(|p| is_capitalised(p))).then_some(parts)
}

/// A word of a name in English: its own English name, or each part of a
/// compound in its English name ("Italia-Cina" → "Italy-China").
fn in_english(word: &str) -> String {
    word.split(HYPHENS)
        .map(|part| match EXONYMS.iter().find(|(it, _)| *it == part) {
            Some((_, english)) => english[0],
            None => part,
        })
        .collect::<Vec<_>>()
        .join("-")
}
