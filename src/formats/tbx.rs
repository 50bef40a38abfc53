//! TBX: written as TBX-Basic in the TBX v3 (ISO 30042:2019) core structure,
//! DCA style, or as TBX-Basic in the 2008 `<martif>` structure (ISO
//! 30042:2008), the one OmegaT and translate-toolkit read; read from both,
//! since `termEntry`/`langSet`/`tig` are v3's concepts under other names.

use std::io::BufRead;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::termbase::{Entry, Status, Term};

/// Why a TBX file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum TbxError {
    /// Not well-formed XML.
    #[error("at byte {offset}: {message}")]
    Xml {
        /// Where in the file.
        offset: usize,
        /// The parser's message.
        message: String,
    },
    /// The file declares entities (a way to blow up memory or read files).
    #[error("the TBX file declares entities in its DOCTYPE; such files are refused")]
    Entities,
    /// An entry lacks Italian or English terms.
    #[error("at byte {offset}: entry `{id}` has no {missing} term")]
    Incomplete {
        /// Where the entry starts in the file.
        offset: usize,
        /// The entry's id in the file.
        id: String,
        /// "Italian" or "English".
        missing: &'static str,
    },
    /// The file could not be read.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

fn escape(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
}

/// The names a TBX version gives the levels of an entry.
struct Structure {
    entry: &'static str,
    language: &'static str,
    term: &'static str,
    /// TBX-Basic 2008 has no category for it: left out rather than written
    /// as a note other tools would show.
    case_sensitivity: bool,
}

/// Writes `entries` as a TBX-Basic v3 file; `title` goes in its header.
pub fn write(entries: &[Entry], title: &str) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <tbx type=\"TBX-Basic\" style=\"dca\" xml:lang=\"en\" xmlns=\"urn:iso:std:iso:30042:ed-2\">\n\
         \x20 <tbxHeader>\n    <fileDesc>\n      <sourceDesc>\n",
    );
    out.push_str(&format!("        <p>{}</p>\n", escape(title)));
    out.push_str("      </sourceDesc>\n    </fileDesc>\n  </tbxHeader>\n  <text>\n    <body>\n");
    let v3 = Structure {
        entry: "conceptEntry",
        language: "langSec",
        term: "termSec",
        case_sensitivity: true,
    };
    write_entries(&mut out, entries, &v3);
    out.push_str("    </body>\n  </text>\n</tbx>\n");
    out
}

/// Writes `entries` as a TBX-Basic 2008 file (`<martif>`), which OmegaT and
/// translate-toolkit read; `title` goes in its header.
pub fn write_basic(entries: &[Entry], title: &str) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <martif type=\"TBX-Basic\" xml:lang=\"it\">\n\
         \x20 <martifHeader>\n    <fileDesc>\n      <sourceDesc>\n",
    );
    out.push_str(&format!("        <p>{}</p>\n", escape(title)));
    // The XCS name is how TBX-Basic 2008 files say which dialect they are.
    out.push_str(
        "      </sourceDesc>\n    </fileDesc>\n    <encodingDesc>\n\
         \x20     <p type=\"XCSURI\">TBXBasicXCSV02.xcs</p>\n    </encodingDesc>\n\
         \x20 </martifHeader>\n  <text>\n    <body>\n",
    );
    let basic = Structure {
        entry: "termEntry",
        language: "langSet",
        term: "tig",
        case_sensitivity: false,
    };
    write_entries(&mut out, entries, &basic);
    out.push_str("    </body>\n  </text>\n</martif>\n");
    out
}

fn write_entries(out: &mut String, entries: &[Entry], names: &Structure) {
    let Structure {
        entry: entry_tag,
        language,
        term: term_tag,
        case_sensitivity,
    } = names;
    for (n, entry) in entries.iter().enumerate() {
        out.push_str(&format!("      <{entry_tag} id=\"c{}\">\n", n + 1));
        if let Some(domain) = &entry.domain {
            out.push_str(&format!(
                "        <descrip type=\"subjectField\">{}</descrip>\n",
                escape(domain)
            ));
        }
        if let Some(note) = &entry.note {
            out.push_str(&format!("        <note>{}</note>\n", escape(note)));
        }
        for (lang, terms) in [("it", &entry.italian), ("en", &entry.english)] {
            out.push_str(&format!("        <{language} xml:lang=\"{lang}\">\n"));
            for term in terms {
                out.push_str(&format!("          <{term_tag}>\n"));
                out.push_str(&format!(
                    "            <term>{}</term>\n",
                    escape(&term.text)
                ));
                if let Some(pos) = &term.pos {
                    out.push_str(&format!(
                        "            <termNote type=\"partOfSpeech\">{}</termNote>\n",
                        escape(pos)
                    ));
                }
                out.push_str(&format!(
                    "            <termNote type=\"administrativeStatus\">{}</termNote>\n",
                    term.status.tbx()
                ));
                if *case_sensitivity && term.case_sensitive {
                    out.push_str("            <termNote type=\"x-caseSensitive\">yes</termNote>\n");
                }
                if let Some(note) = &term.note {
                    out.push_str(&format!("            <note>{}</note>\n", escape(note)));
                }
                out.push_str(&format!("          </{term_tag}>\n"));
            }
            out.push_str(&format!("        </{language}>\n"));
        }
        out.push_str(&format!("      </{entry_tag}>\n"));
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Italian,
    English,
    Other,
}

fn side(lang: &str) -> Side {
    let lang = lang.to_lowercase();
    if lang == "it" || lang.starts_with("it-") || lang.starts_with("it_") {
        Side::Italian
    } else if lang == "en" || lang.starts_with("en-") || lang.starts_with("en_") {
        Side::English
    } else {
        Side::Other
    }
}

fn attribute(e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

/// What the text being read belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Slot {
    Term,
    TermNote(String),
    TermComment,
    Descrip(String),
    EntryNote,
}

/// Reads the entries of a TBX file (v3 or 2008), all or nothing.
pub fn read(input: impl BufRead) -> Result<Vec<Entry>, TbxError> {
    let mut reader = Reader::from_reader(input);
    let mut buf = Vec::new();
    let mut entries = Vec::new();
    let mut entry: Option<(Entry, String, usize)> = None;
    let mut lang = Side::Other;
    let mut term: Option<Term> = None;
    let mut slot: Option<Slot> = None;
    let mut text = String::new();
    loop {
        let position = reader.buffer_position() as usize;
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| TbxError::Xml {
                offset: position,
                message: e.to_string(),
            })?;
        match event {
            Event::DocType(d) if String::from_utf8_lossy(&d).contains("<!ENTITY") => {
                return Err(TbxError::Entities);
            }
            Event::Start(e) => {
                let name = e.local_name().as_ref().to_vec();
                match name.as_slice() {
                    b"conceptEntry" | b"termEntry" => {
                        let id = attribute(&e, b"id").unwrap_or_default();
                        entry = Some((Entry::default(), id, position));
                    }
                    b"langSec" | b"langSet" => {
                        lang = side(&attribute(&e, b"xml:lang").unwrap_or_default());
                    }
                    b"termSec" | b"tig" | b"ntig" => term = Some(Term::default()),
                    b"term" => slot = Some(Slot::Term),
                    b"termNote" => {
                        slot = Some(Slot::TermNote(attribute(&e, b"type").unwrap_or_default()))
                    }
                    b"descrip" => {
                        slot = Some(Slot::Descrip(attribute(&e, b"type").unwrap_or_default()))
                    }
                    b"note" => {
                        slot = Some(if term.is_some() {
                            Slot::TermComment
                        } else {
                            Slot::EntryNote
                        })
                    }
                    _ => {}
                }
                text.clear();
            }
            Event::Text(t) if slot.is_some() => {
                let unescaped = t.unescape().map_err(|e| TbxError::Xml {
                    offset: position,
                    message: e.to_string(),
                })?;
                text.push_str(&unescaped);
            }
            Event::CData(t) if slot.is_some() => text.push_str(&String::from_utf8_lossy(&t)),
            Event::End(e) => {
                let value = text.trim().to_string();
                match e.local_name().as_ref() {
                    b"term" | b"termNote" | b"descrip" | b"note" => {
                        apply(slot.take(), value, term.as_mut(), entry.as_mut());
                        text.clear();
                    }
                    b"termSec" | b"tig" | b"ntig" => {
                        if let (Some(t), Some((e, _, _))) = (term.take(), entry.as_mut()) {
                            if !t.text.is_empty() {
                                match lang {
                                    Side::Italian => e.italian.push(t),
                                    Side::English => e.english.push(t),
                                    Side::Other => {}
                                }
                            }
                        }
                    }
                    b"conceptEntry" | b"termEntry" => {
                        if let Some((e, id, at)) = entry.take() {
                            if e.italian.is_empty() || e.english.is_empty() {
                                return Err(TbxError::Incomplete {
                                    offset: at,
                                    id,
                                    missing: if e.italian.is_empty() {
                                        "Italian"
                                    } else {
                                        "English"
                                    },
                                });
                            }
                            entries.push(e);
                        }
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(entries)
}

/// Puts the text just read where `slot` says.
fn apply(
    slot: Option<Slot>,
    value: String,
    term: Option<&mut Term>,
    entry: Option<&mut (Entry, String, usize)>,
) {
    let optional = (!value.is_empty()).then_some(value.clone());
    match (slot, term) {
        (Some(Slot::Term), Some(t)) => t.text = value,
        (Some(Slot::TermNote(kind)), Some(t)) => match kind.as_str() {
            "partOfSpeech" => t.pos = optional,
            "administrativeStatus" | "normativeAuthorization" => {
                t.status = Status::parse(&value).unwrap_or_default();
            }
            "x-caseSensitive" => t.case_sensitive = value == "yes",
            _ => {}
        },
        (Some(Slot::TermComment), Some(t)) => t.note = optional,
        (Some(Slot::Descrip(kind)), _) => {
            if let Some((e, _, _)) = entry {
                match kind.as_str() {
                    "subjectField" => e.domain = optional,
                    "definition" if e.note.is_none() => e.note = optional,
                    _ => {}
                }
            }
        }
        (Some(Slot::EntryNote), _) => {
            if let Some((e, _, _)) = entry {
                e.note = optional;
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests;
