//! Term recognition in Italian text that survives inflection and elision.
//!
//! Text and terms are cut into words at anything that is not a letter or a
//! digit, so an elided article or preposition ("dell'", "l’", "d'") is a word
//! of its own and a term begins after it; a hyphen or dash separates words
//! too. Typography is folded first (`crate::text`), so that the apostrophe ʼ,
//! which Unicode counts as a letter, cuts words as ’ and ' do. Each
//! word is compared by its *key*: lower-cased, accents dropped, and the
//! inflectional ending of gender and number removed (nordcoreano,
//! nordcoreana, nordcoreani, nordcoreane → "nordcorean"; tedesco, tedeschi
//! → "tedesc"; provincia, province → "provinc"). Only the ending goes,
//! so derived words keep their suffix and stay apart ("visita" is not
//! "visitatori"). Terms are held in a trie over keys; a scan takes the
//! longest term at each word and goes on after it.

use rustc_hash::FxHashMap;

use crate::text::fold_char;

/// Articles, prepositions and conjunctions: compared as written, since
/// their endings are not inflection ("dei" and "degli" differ on purpose).
const FUNCTION_WORDS: &[&str] = &[
    "il", "lo", "la", "i", "gli", "le", "l", "un", "uno", "una", "di", "a", "da", "in", "con",
    "su", "per", "tra", "fra", "del", "dello", "della", "dei", "degli", "delle", "dell", "al",
    "allo", "alla", "ai", "agli", "alle", "all", "dal", "dallo", "dalla", "dai", "dagli", "dalle",
    "dall", "nel", "nello", "nella", "nei", "negli", "nelle", "nell", "sul", "sullo", "sulla",
    "sui", "sugli", "sulle", "sull", "col", "coi", "d", "e", "ed", "o", "od",
];

/// A word of a text: its character span and its comparison key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// First character (not byte) of the word.
    pub start: usize,
    /// One past its last character.
    pub end: usize,
    /// The word with accents dropped, case kept.
    pub folded: String,
}

/// Cuts `text` into words with their character offsets.
pub fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut current: Option<Word> = None;
    for (at, c) in text.chars().map(fold_char).enumerate() {
        if c.is_alphanumeric() {
            let word = current.get_or_insert_with(|| Word {
                start: at,
                end: at,
                folded: String::new(),
            });
            word.folded.push(drop_accent(c));
            word.end = at + 1;
        } else if let Some(word) = current.take() {
            out.push(word);
        }
    }
    out.extend(current);
    out
}

/// The letter without its accent, for the accented letters of Italian and
/// its neighbours; others unchanged.
fn drop_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => 'a',
        'À' | 'Á' | 'Â' | 'Ä' | 'Ã' | 'Å' => 'A',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'È' | 'É' | 'Ê' | 'Ë' => 'E',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'Ì' | 'Í' | 'Î' | 'Ï' => 'I',
        'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
        'Ò' | 'Ó' | 'Ô' | 'Ö' | 'Õ' => 'O',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'Ù' | 'Ú' | 'Û' | 'Ü' => 'U',
        'ç' => 'c',
        'Ç' => 'C',
        'ñ' => 'n',
        'Ñ' => 'N',
        _ => c,
    }
}

/// The comparison key of a folded word: its ending of gender and number
/// removed. `cased` keeps the letters' case (for case-sensitive terms).
pub fn key(folded: &str, cased: bool) -> String {
    let lower = folded.to_lowercase();
    let keep = stem_len(&lower);
    if cased && keep < lower.len() {
        // Only ASCII words are cut, so the byte lengths agree.
        folded[..keep].to_string()
    } else if cased {
        folded.to_string()
    } else {
        lower[..keep].to_string()
    }
}

/// How many bytes of a lower-case folded word its key keeps.
fn stem_len(lower: &str) -> usize {
    let bytes = lower.as_bytes();
    let n = bytes.len();
    if n <= 3 || !lower.is_ascii() || FUNCTION_WORDS.contains(&lower) {
        return n;
    }
    let ends = |suffix: &str| lower.ends_with(suffix);
    // Endings to cut. -chi/-che and -ghi/-ghe keep the hard consonant
    // (tedeschi → tedesc, like tedesco). After a consonant, -cia/-gia lose
    // the i as their plurals do (provincia, province → provinc); after a
    // vowel the i stays (camicia, camicie → camici; Grecia is not greco).
    // -io is one ending (negozio, negozi → negoz).
    let consonant_before_cg = !b"aeiou".contains(&bytes[n - 4]);
    let cut = if ends("chi")
        || ends("che")
        || ends("ghi")
        || ends("ghe")
        || ((ends("cia") || ends("gia")) && consonant_before_cg)
        || ends("io")
    {
        2
    } else if lower.ends_with(['a', 'e', 'i', 'o']) {
        1
    } else {
        0
    };
    // A stem of fewer than three letters says too little.
    if n - cut < 3 {
        n
    } else {
        n - cut
    }
}

/// Where a recognized term lies in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// First character (not byte) of the match.
    pub start: usize,
    /// One past its last character.
    pub end: usize,
    /// The term's index, as given to [`RecognizerBuilder::add`].
    pub term: usize,
}

#[derive(Debug, Clone)]
struct Ending {
    term: usize,
    /// Keys with case, for a case-sensitive term.
    cased: Option<Vec<String>>,
}

/// A word's place in a text: characters from, to; bytes from, to.
type Span = (usize, usize, usize, usize);

impl Ending {
    /// Whether the words at `spans` have the term's capitals (always, for a
    /// term that is not case-sensitive).
    fn matches_case(&self, text: &str, spans: &[Span]) -> bool {
        self.cased.as_ref().is_none_or(|cased| {
            cased.iter().zip(spans).all(|(c, span)| {
                let surface: String = text[span.2..span.3].chars().map(drop_accent).collect();
                *c == key(&surface, true)
            })
        })
    }
}

/// Adds terms, then builds a [`Recognizer`].
#[derive(Debug, Default)]
pub struct RecognizerBuilder {
    recognizer: Recognizer,
}

impl RecognizerBuilder {
    /// An empty builder.
    pub fn new() -> RecognizerBuilder {
        RecognizerBuilder::default()
    }

    /// Adds an Italian term under the index `term`; false if it has no word.
    pub fn add(&mut self, text: &str, case_sensitive: bool, term: usize) -> bool {
        let r = &mut self.recognizer;
        let mut words = words(text);
        // A leading elided article is not part of what to look for
        // ("L'Aia" is found in "all'Aia").
        if words.len() > 1 && text.chars().nth(words[0].end).map(fold_char) == Some('\'') {
            let first = words[0].folded.to_lowercase();
            if FUNCTION_WORDS.contains(&first.as_str()) {
                words.remove(0);
            }
        }
        if words.is_empty() {
            return false;
        }
        let mut node = 0u32;
        for word in &words {
            let k = key(&word.folded, false);
            let next_key = r.vocab.len() as u32;
            let key_id = *r.vocab.entry(k.into_boxed_str()).or_insert(next_key);
            let next_node = r.node_count;
            let child = *r.children.entry(edge(node, key_id)).or_insert(next_node);
            if child == next_node {
                r.node_count += 1;
            }
            node = child;
        }
        let cased = case_sensitive.then(|| words.iter().map(|w| key(&w.folded, true)).collect());
        r.endings
            .entry(node)
            .or_default()
            .push(Ending { term, cased });
        true
    }

    /// The recognizer of every term added.
    pub fn build(self) -> Recognizer {
        self.recognizer
    }
}

fn edge(node: u32, key: u32) -> u64 {
    (u64::from(node) << 32) | u64::from(key)
}

/// Finds terms in text: built once from a glossary, used for every segment.
#[derive(Debug)]
pub struct Recognizer {
    vocab: FxHashMap<Box<str>, u32>,
    children: FxHashMap<u64, u32>,
    endings: FxHashMap<u32, Vec<Ending>>,
    node_count: u32,
}

impl Default for Recognizer {
    fn default() -> Self {
        Recognizer {
            vocab: FxHashMap::default(),
            children: FxHashMap::default(),
            endings: FxHashMap::default(),
            // Node 0 is the root.
            node_count: 1,
        }
    }
}

impl Recognizer {
    /// Every term found in `text`, left to right: at each word the longest
    /// term that starts there (all terms of that length), then on after it.
    pub fn find(&self, text: &str) -> Vec<Hit> {
        // Word spans (characters and bytes) and key ids, folding each word
        // into one reused buffer.
        let mut spans: Vec<Span> = Vec::new();
        let mut keys: Vec<Option<u32>> = Vec::new();
        let mut lower = String::new();
        let mut current: Option<(usize, usize)> = None;
        let mut end = |lower: &mut String, start: (usize, usize), at: (usize, usize)| {
            spans.push((start.0, at.0, start.1, at.1));
            keys.push(self.vocab.get(&lower[..stem_len(lower)]).copied());
            lower.clear();
        };
        let mut n_chars = 0;
        for (byte, c) in text.char_indices() {
            let c = fold_char(c);
            if c.is_alphanumeric() {
                current.get_or_insert((n_chars, byte));
                lower.extend(drop_accent(c).to_lowercase());
            } else if let Some(start) = current.take() {
                end(&mut lower, start, (n_chars, byte));
            }
            n_chars += 1;
        }
        if let Some(start) = current.take() {
            end(&mut lower, start, (n_chars, text.len()));
        }
        let mut hits = Vec::new();
        let mut i = 0;
        while i < spans.len() {
            let mut node = 0u32;
            let mut longest: Option<(usize, &[Ending])> = None;
            for (j, k) in keys.iter().enumerate().skip(i) {
                let Some(child) = k.and_then(|k| self.children.get(&edge(node, k))) else {
                    break;
                };
                node = *child;
                if let Some(endings) = self.endings.get(&node) {
                    if endings.iter().any(|e| e.matches_case(text, &spans[i..=j])) {
                        longest = Some((j, endings));
                    }
                }
            }
            match longest {
                Some((j, endings)) => {
                    for e in endings {
                        if e.matches_case(text, &spans[i..=j]) {
                            hits.push(Hit {
                                start: spans[i].0,
                                end: spans[j].1,
                                term: e.term,
                            });
                        }
                    }
                    i = j + 1;
                }
                None => i += 1,
            }
        }
        hits
    }

    /// Number of distinct word keys, for benchmarks.
    pub fn vocabulary(&self) -> usize {
        self.vocab.len()
    }
}

#[cfg(test)]
mod tests;
