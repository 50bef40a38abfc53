//! A termbase's plain data, as TBX thinks of it: a concept entry with its
//! Italian and English terms, each term with its status. The glossary
//! recognizes and checks these terms, the store keeps them, and the TBX
//! and CSV formats read and write them.

/// How a term may be used.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Status {
    /// The term to use.
    #[default]
    Preferred,
    /// Acceptable too.
    Admitted,
    /// Not to be used: flagged when it appears in a target.
    Forbidden,
}

impl Status {
    /// The name used in files and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Preferred => "preferred",
            Status::Admitted => "admitted",
            Status::Forbidden => "forbidden",
        }
    }

    /// Reads a status name, also in TBX's spelling (`preferredTerm-admn-sts`).
    pub fn parse(text: &str) -> Option<Status> {
        match text.trim().to_lowercase().as_str() {
            "" | "preferred" | "preferredterm-admn-sts" | "preferredterm" => {
                Some(Status::Preferred)
            }
            "admitted" | "admittedterm-admn-sts" | "admittedterm" => Some(Status::Admitted),
            "forbidden" | "deprecated" | "deprecatedterm-admn-sts" | "supersededterm-admn-sts" => {
                Some(Status::Forbidden)
            }
            _ => None,
        }
    }

    /// The TBX `administrativeStatus` value.
    pub fn tbx(self) -> &'static str {
        match self {
            Status::Preferred => "preferredTerm-admn-sts",
            Status::Admitted => "admittedTerm-admn-sts",
            Status::Forbidden => "deprecatedTerm-admn-sts",
        }
    }
}

/// One term of an entry, in one language.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Term {
    /// The term as written.
    pub text: String,
    /// Part of speech (noun, verb, adjective, properNoun, …), if known.
    pub pos: Option<String>,
    /// Preferred, admitted or forbidden.
    pub status: Status,
    /// A note on this term.
    pub note: Option<String>,
    /// Whether letter case matters when recognizing it.
    pub case_sensitive: bool,
}

impl Term {
    /// A preferred term with no note.
    pub fn new(text: &str) -> Term {
        Term {
            text: text.to_string(),
            ..Term::default()
        }
    }
}

/// A concept: its Italian and English terms.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    /// Database id (0 for an entry not stored yet).
    pub id: i64,
    /// Name of the glossary it is stored in (empty when not stored).
    pub glossary: String,
    /// Subject field ("politics", "diplomacy", …).
    pub domain: Option<String>,
    /// A note on the concept.
    pub note: Option<String>,
    /// Italian terms.
    pub italian: Vec<Term>,
    /// English terms.
    pub english: Vec<Term>,
}

impl Entry {
    /// An entry with one Italian and one English term.
    pub fn pair(italian: &str, english: &str) -> Entry {
        Entry {
            italian: vec![Term::new(italian)],
            english: vec![Term::new(english)],
            ..Entry::default()
        }
    }

    /// The English terms a translator may use, preferred first.
    pub fn targets(&self) -> Vec<&Term> {
        let mut usable: Vec<&Term> = self
            .english
            .iter()
            .filter(|t| t.status != Status::Forbidden)
            .collect();
        usable.sort_by_key(|t| t.status != Status::Preferred);
        usable
    }
}
