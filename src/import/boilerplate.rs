//! Recognises the furniture of scraped news pages that is not part of the
//! article: skip links, close buttons, newsletter and cookie prompts, "read
//! also" teasers, share prompts, bylines and datelines.
//!
//! Such blocks are kept (the user can flip them back) but marked
//! non-translatable. The tests are conservative: a block is boilerplate only
//! when it is short and matches a known shape, never for its vocabulary alone.

/// Blocks longer than this are article text whatever they contain.
const MAX_BOILERPLATE_CHARS: usize = 160;

/// Whole-block phrases (compared lower-cased, without final punctuation).
const PHRASES: &[&str] = &[
    "skip to main content",
    "skip to content",
    "vai al contenuto",
    "vai al contenuto principale",
    "salta al contenuto",
    "salta al contenuto principale",
    "iscriviti alla newsletter",
    "iscriviti alla nostra newsletter",
    "iscriviti",
    "abbonati",
    "accedi",
    "registrati",
    "menu",
    "cerca",
    "chiudi",
    "close",
    "condividi",
    "share",
    "tweet",
    "stampa",
    "commenta",
    "commenti",
    "pubblicità",
    "advertisement",
    "riproduzione riservata",
    "© riproduzione riservata",
    "tutti i diritti riservati",
    "accetta",
    "accetta tutti",
    "accetta tutto",
    "rifiuta",
    "rifiuta tutti",
    "personalizza",
    "leggi anche",
    "leggi di più",
    "leggi tutto",
    "continua a leggere",
    "potrebbe interessarti",
    "ti potrebbe interessare",
    "articoli correlati",
    "ultime notizie",
    "torna su",
    "torna all'inizio",
    "ascolta l'articolo",
    "ascolta",
];

/// Prefixes of short teaser or prompt blocks.
const PREFIXES: &[&str] = &[
    "leggi anche",
    "leggi pure",
    "potrebbe interessarti",
    "ti potrebbe interessare",
    "condividi su",
    "condividi via",
    "seguici su",
    "iscriviti alla newsletter",
    "iscriviti al canale",
    "ricevi le notizie",
    "scarica l'app",
    "tempo di lettura",
    "ultimo aggiornamento",
    "aggiornato il",
    "aggiornato alle",
    "pubblicato il",
    "pubblicato:",
    "foto:",
    "foto di",
    "© riproduzione",
    "©",
    "copyright",
];

/// Whether a block's text is page furniture rather than article text.
pub fn is_boilerplate(text: &str) -> bool {
    let text = text.trim();
    if text.chars().count() > MAX_BOILERPLATE_CHARS {
        return false;
    }
    // "×", "|", "•••": no letters or digits at all.
    if !text.chars().any(char::is_alphanumeric) {
        return true;
    }
    let lower = text.to_lowercase();
    let bare = lower.trim_end_matches(|c: char| c.is_ascii_punctuation() || c == '…' || c == '›');
    let bare = bare.trim();
    PHRASES.contains(&bare)
        || PREFIXES.iter().any(|p| bare.starts_with(p))
        || is_cookie_prompt(&lower)
        || is_dateline(&lower)
        || is_byline(text)
}

fn is_cookie_prompt(lower: &str) -> bool {
    lower.contains("cookie")
        && [
            "accett",
            "consenso",
            "privacy",
            "utilizziamo",
            "usiamo",
            "questo sito",
        ]
        .iter()
        .any(|w| lower.contains(w))
}

/// "23 novembre 2026", "23/11/2026 10:30", "Lunedì 4 marzo 2024 - 18:05".
fn is_dateline(lower: &str) -> bool {
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || c == ',' || c == '|' || c == '-' || c == '–')
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() || words.len() > 8 {
        return false;
    }
    let is_date_word = |w: &str| {
        crate::text::months::MONTHS_IT.contains(&w)
            || w.chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '/' | '.' | ':'))
            || matches!(
                w,
                "lunedì"
                    | "martedì"
                    | "mercoledì"
                    | "giovedì"
                    | "venerdì"
                    | "sabato"
                    | "domenica"
                    | "ore"
                    | "alle"
                    | "il"
                    | "del"
                    | "aggiornato"
                    | "pubblicato"
            )
    };
    let has_digit = lower.chars().any(|c| c.is_ascii_digit());
    has_digit && words.iter().all(|w| is_date_word(w))
}

/// "di Mario Rossi", "a cura di Anna Bianchi", "By Jane Doe": a short line
/// that names an author and says nothing else.
fn is_byline(text: &str) -> bool {
    let rest = ["di ", "Di ", "a cura di ", "A cura di ", "by ", "By "]
        .iter()
        .find_map(|p| text.strip_prefix(p));
    let Some(rest) = rest else { return false };
    let names: Vec<&str> = rest
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty() && *w != "e" && *w != "and")
        .collect();
    (1..=6).contains(&names.len())
        && names
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase))
}

#[cfg(test)]
mod tests {
    use super::is_boilerplate;

    #[test]
    fn recognises_page_furniture() {
        for text in [
            "Skip to main content",
            "×",
            "Iscriviti alla newsletter",
            "Leggi anche: Kim lancia un missile",
            "LEGGI ANCHE",
            "Condividi su Facebook",
            "Questo sito utilizza cookie tecnici e di profilazione. Accetta",
            "23 novembre 2026",
            "Lunedì 4 marzo 2024 - 18:05",
            "23/11/2026 10:30",
            "di Mario Rossi",
            "A cura di Anna Bianchi e Luca Verdi",
            "© Riproduzione riservata",
            "Pubblicato il 12 marzo",
        ] {
            assert!(is_boilerplate(text), "{text:?} should be boilerplate");
        }
    }

    #[test]
    fn keeps_article_text() {
        for text in [
            "Putin va da Kim. Così si rafforza l’asse Mosca-Pyongyang",
            "Mosca e Pyongyang si avvicinano sempre di più.",
            "Di fronte alla crisi, il governo ha deciso di agire.",
            "di fronte alla crisi",
            "Il 23 novembre 2026 Putin è arrivato a Pyongyang.",
            "Cookie e privacy sono temi del nuovo regolamento europeo, che entrerà in vigore il prossimo anno dopo un lungo negoziato tra Parlamento e Consiglio dell'Unione europea.",
            "Condividere le informazioni è essenziale.",
        ] {
            assert!(!is_boilerplate(text), "{text:?} should be article text");
        }
    }
}
