//! XLIFF 1.2 and 2.0. Writing: one unit per segment, grouped by block;
//! blocks that are not translated are marked `translate="no"`; segment
//! statuses become XLIFF states. Reading, as written by Interlinea or by
//! another CAT tool: the units' source, target, state and notes, with
//! inline codes reduced to their text. Segmented XLIFF 1.2
//! (`<seg-source>` with `<mrk mtype="seg">`) gives one unit per marked
//! segment.

use std::collections::HashMap;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::document::{BlockKind, InlineCode, SegmentCode, Status};
use crate::text::codes::{self, Mark};

/// A block to write: one XLIFF group of units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XliffBlock {
    /// Its position in the document, from 0; the group's id.
    pub position: i64,
    /// Paragraph, heading, …; the group's type.
    pub kind: BlockKind,
    /// Whether it is to be translated.
    pub translate: bool,
    /// Its segments, in order.
    pub segments: Vec<XliffSegment>,
}

/// A segment to write: one unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XliffSegment {
    /// The segment's id; the unit's.
    pub id: i64,
    /// Italian text.
    pub source: String,
    /// English text; no `<target>` while it is empty.
    pub target: String,
    /// Workflow status, written as the XLIFF state.
    pub status: Status,
    /// A note on the segment, if any.
    pub note: Option<String>,
    /// Its inline codes, whose numbers are their XLIFF ids.
    pub codes: Vec<SegmentCode>,
}

/// One translatable segment of an XLIFF file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XliffUnit {
    /// Its id: the trans-unit's (1.2) or the segment's (2.0), with the
    /// marked segment's `mid` after a `:` in segmented 1.2.
    pub id: String,
    /// The unit it belongs to; the units of one block share it.
    pub block: String,
    /// The block's kind, when the file says it (Interlinea's own groups).
    pub kind: BlockKind,
    /// The XLIFF unit (1.2 trans-unit, 2.0 unit) it comes from, counted
    /// from 0 in the file: the segments of one share their `codes`.
    pub unit: usize,
    /// Source text, with its inline codes as marks whose ids are places
    /// in `codes`.
    pub source: String,
    /// Target text, if there is a target; its codes are the source's, found
    /// by XLIFF id (one the source lacks is left out and counted in
    /// [`XliffFile::dropped_codes`]).
    pub target: Option<String>,
    /// What each inline code of its XLIFF unit stands for: the element's
    /// name, its start and end exactly as the file writes them (a whole
    /// `<bpt>`, `<ph>`, `<it>` with its native code, an `<x/>`), and the
    /// native code or what the attributes say it is as title.
    pub codes: Vec<InlineCode>,
    /// The workflow status its state maps to, if it has one.
    pub status: Option<Status>,
    /// Its notes, in order.
    pub notes: Vec<String>,
    /// Whether it is to be translated.
    pub translate: bool,
}

/// An XLIFF file's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XliffFile {
    /// "1.2" or "2.0" (or what the file says).
    pub version: String,
    /// The `original` of its first `<file>`.
    pub original: Option<String>,
    /// Every unit of every `<file>`, in order, but those with no source.
    pub units: Vec<XliffUnit>,
    /// Units left out because their source is empty, and the header unit
    /// translate-toolkit's po2xliff writes for a PO file's metadata (whose
    /// msgid is empty; po2xliff 3.20 gives it the metadata as its source,
    /// marked `restype="x-gettext-domain-header"`).
    pub empty_sources: usize,
    /// Inline codes of targets that their source does not have, left out.
    pub dropped_codes: usize,
}

fn attribute(e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name || a.key.local_name().as_ref() == name)
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

/// XLIFF 1.2 `state` values; "new" with a target is made a draft when
/// the unit is finished.
fn status_1_2(state: &str) -> Option<Status> {
    Some(match state {
        "new" | "needs-translation" => Status::New,
        "needs-adaptation"
        | "needs-l10n"
        | "needs-review-adaptation"
        | "needs-review-l10n"
        | "needs-review-translation" => Status::Draft,
        "translated" => Status::Translated,
        "signed-off" | "final" => Status::Approved,
        _ => return None,
    })
}

/// XLIFF 2.0 `state` values; "initial" with a target is made a draft
/// when the unit is finished.
fn status_2_0(state: &str) -> Option<Status> {
    Some(match state {
        "initial" => Status::New,
        "translated" => Status::Translated,
        "reviewed" | "final" => Status::Approved,
        _ => return None,
    })
}

/// The block kind an Interlinea group declares (`x-h2`, `x:li-bullet-0`).
fn group_kind(kind: Option<&str>) -> Option<BlockKind> {
    let code = kind?;
    let code = code
        .strip_prefix("x-")
        .or_else(|| code.strip_prefix("x:"))?;
    BlockKind::from_code(code)
}

type XmlResult<T> = Result<T, String>;

fn xml_error(reader: &Reader<&[u8]>, e: impl std::fmt::Display) -> String {
    format!("XML error at byte {}: {e}", reader.buffer_position())
}

/// Text content of an element, up to its end, with its inline codes as
/// marks; segments marked with `<mrk mtype="seg">` are also returned by
/// `mid`.
struct Content {
    text: String,
    marked: Vec<(String, String)>,
}

/// Which side of a unit is being read: a source names its codes, a target
/// refers to the source's by XLIFF id.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Source,
    Target,
}

/// The inline codes of one XLIFF unit, shared by its segments (an XLIFF
/// 2.0 `<sc>` may end in a later segment's `<ec>`): what each stands for,
/// by the id its marks carry, in the order the sources show them.
#[derive(Default)]
struct UnitCodes {
    codes: Vec<InlineCode>,
    /// Each code's XLIFF id (and 1.2 `rid`), for a target or an end to
    /// find it.
    by_key: HashMap<String, u16>,
    /// 2.0 `<originalData>`: the native code of each `<data>`, by id.
    data: HashMap<String, String>,
    /// Codes of a target that its source does not have, left out.
    dropped: usize,
}

impl UnitCodes {
    /// A new code, unless the unit already holds as many as a block can.
    fn add(&mut self, code: InlineCode, keys: &[Option<String>]) -> Option<u16> {
        if self.codes.len() >= codes::MAX_CODES {
            return None;
        }
        let id = self.codes.len() as u16;
        self.codes.push(code);
        for key in keys.iter().flatten() {
            self.by_key.entry(key.clone()).or_insert(id);
        }
        Some(id)
    }

    /// The code the first of `keys` names.
    fn find(&self, keys: &[Option<String>]) -> Option<u16> {
        keys.iter()
            .flatten()
            .find_map(|key| self.by_key.get(key).copied())
    }

    /// A start whose end is still to come (`bx`, `bpt`, `sc`, `sm`), found
    /// by the end's keys.
    fn open_end(&self, keys: &[Option<String>]) -> Option<u16> {
        self.find(keys)
            .filter(|&id| self.codes[usize::from(id)].close.is_empty())
    }
}

/// What an element of a source or target is.
enum Inline {
    /// Its start tag and end tag enclose translatable text (1.2 `g`, 2.0
    /// `pc`, `mrk`).
    Enclosing,
    /// It starts a code whose end is another element (`bx`, `bpt`, `sc`,
    /// `sm`).
    Start,
    /// It ends one (`ex`, `ept`, `ec`, `em`).
    End,
    /// A code of its own (`x`, `ph`, `it`).
    Alone,
}

fn inline(name: &[u8]) -> Option<Inline> {
    Some(match name {
        b"g" | b"pc" | b"mrk" => Inline::Enclosing,
        b"bx" | b"bpt" | b"sc" | b"sm" => Inline::Start,
        b"ex" | b"ept" | b"ec" | b"em" => Inline::End,
        b"x" | b"ph" | b"it" => Inline::Alone,
        _ => return None,
    })
}

/// What a tooltip says about a code: its native code (the element's text,
/// or the `<data>` it refers to), else what its attributes say it is.
fn code_title(e: &BytesStart<'_>, native: &str, data: &HashMap<String, String>) -> String {
    let native = native.trim();
    if !native.is_empty() {
        return native.to_string();
    }
    let referred = ["dataRef", "dataRefStart", "dataRefEnd"]
        .iter()
        .filter_map(|name| attribute(e, name.as_bytes()))
        .find_map(|id| data.get(&id).cloned());
    if let Some(data) = referred {
        return data;
    }
    let names: [&[u8]; 11] = [
        b"equiv-text",
        b"equiv",
        b"equivStart",
        b"disp",
        b"dispStart",
        b"ctype",
        b"mtype",
        b"type",
        b"value",
        b"ref",
        b"comment",
    ];
    names
        .iter()
        .find_map(|name| attribute(e, name).filter(|v| !v.is_empty()))
        .unwrap_or_default()
}

/// The text of the element just opened, to its end; `<cp>` as its
/// character.
fn native_text(reader: &mut Reader<&[u8]>) -> XmlResult<String> {
    let mut text = String::new();
    let mut depth = 0usize;
    loop {
        match reader.read_event().map_err(|e| xml_error(reader, e))? {
            Event::Start(_) => depth += 1,
            Event::End(_) if depth == 0 => return Ok(text),
            Event::End(_) => depth -= 1,
            Event::Text(t) => text.push_str(&t.unescape().map_err(|e| xml_error(reader, e))?),
            Event::CData(t) => text.push_str(&String::from_utf8_lossy(&t)),
            Event::Empty(e) if e.local_name().as_ref() == b"cp" => {
                text.extend(cp(&e));
            }
            Event::Eof => return Err(xml_error(reader, "the file ends inside an element")),
            _ => {}
        }
    }
}

/// The character of a 2.0 `<cp hex="…"/>`.
fn cp(e: &BytesStart<'_>) -> Option<char> {
    attribute(e, b"hex")
        .and_then(|h| u32::from_str_radix(&h, 16).ok())
        .and_then(char::from_u32)
}

/// 2.0 `<originalData>`, just opened: each `<data>`'s text by its id.
fn original_data(reader: &mut Reader<&[u8]>, into: &mut HashMap<String, String>) -> XmlResult<()> {
    loop {
        match reader.read_event().map_err(|e| xml_error(reader, e))? {
            Event::Start(e) if e.local_name().as_ref() == b"data" => {
                let id = attribute(&e, b"id").unwrap_or_default();
                let text = native_text(reader)?;
                into.insert(id, text);
            }
            Event::Start(_) => skip(reader)?,
            Event::End(_) => return Ok(()),
            Event::Eof => return Err(xml_error(reader, "the file ends inside an element")),
            _ => {}
        }
    }
}

/// Reads the content of the element just opened (a source or a target),
/// until its end, in `xml` (what `reader` reads). A source's inline codes
/// are added to `codes`, each end of one a mark in the text; a target's
/// are found there by XLIFF id, and one the source lacks is left out
/// (counted). 2.0 `<cp hex>` becomes its character.
fn content(
    reader: &mut Reader<&[u8]>,
    xml: &[u8],
    codes: &mut UnitCodes,
    side: Side,
) -> XmlResult<Content> {
    let mut out = Content {
        text: String::new(),
        marked: Vec::new(),
    };
    // For each element open inside: the code it encloses, if it is one.
    let mut open: Vec<Option<u16>> = Vec::new();
    let mut marked_at: Option<usize> = None;
    // Elements without an id (1.2 `<mrk>`) are told apart by their order.
    let mut unnamed = 0usize;
    loop {
        let before = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| xml_error(reader, e))?;
        let after = reader.buffer_position() as usize;
        let raw = |end: usize| String::from_utf8_lossy(&xml[before..end]).into_owned();
        let in_marked = marked_at.is_some();
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(e)
                if e.local_name().as_ref() == b"mrk"
                    && attribute(&e, b"mtype").as_deref() == Some("seg") =>
            {
                out.marked
                    .push((attribute(&e, b"mid").unwrap_or_default(), String::new()));
                open.push(None);
                marked_at = Some(open.len());
            }
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"cp" => {
                if let Some(c) = cp(&e) {
                    push(&mut out, in_marked, &codes::sanitize(&c.to_string()));
                }
                if !empty {
                    skip(reader)?;
                }
            }
            Event::Start(e) | Event::Empty(e) => {
                let name = e.local_name();
                let Some(kind) = inline(name.as_ref()) else {
                    if !empty {
                        open.push(None);
                    }
                    continue;
                };
                let element = String::from_utf8_lossy(name.as_ref()).into_owned();
                let id = attribute(&e, b"id").or_else(|| attribute(&e, b"mid"));
                let id = id.or_else(|| {
                    unnamed += 1;
                    Some(format!("{element}#{unnamed}"))
                });
                let rid = attribute(&e, b"rid");
                let start_ref = attribute(&e, b"startRef");
                // An enclosing element with content is one code of two ends;
                // every other is whole as written, native code included.
                let (whole, native) = match (&kind, empty) {
                    (Inline::Enclosing, false) => (raw(after), String::new()),
                    (_, false) => {
                        let native = native_text(reader)?;
                        (raw(reader.buffer_position() as usize), native)
                    }
                    (_, true) => (raw(after), String::new()),
                };
                let title = code_title(&e, &native, &codes.data);
                let code = |open: String, close: String| InlineCode {
                    element: element.clone(),
                    open,
                    close,
                    title: title.clone(),
                };
                let mark = match (kind, empty, side) {
                    (Inline::Enclosing, false, Side::Source) => {
                        let new = codes.add(code(whole, String::new()), &[id]);
                        open.push(new);
                        new.map(Mark::Open)
                    }
                    (Inline::Enclosing, false, Side::Target) => {
                        let found = codes.find(&[id]);
                        open.push(found);
                        if found.is_none() {
                            codes.dropped += 1;
                        }
                        found.map(Mark::Open)
                    }
                    (Inline::Start, _, Side::Source) => codes
                        .add(code(whole, String::new()), &[id, rid])
                        .map(Mark::Open),
                    (Inline::End, _, Side::Source) => {
                        let keys = [start_ref, rid, id.clone()];
                        match codes.open_end(&keys) {
                            Some(start) => {
                                codes.codes[usize::from(start)].close = whole;
                                Some(Mark::Close(start))
                            }
                            None => codes
                                .add(code(String::new(), whole), &[id])
                                .map(Mark::Close),
                        }
                    }
                    (Inline::Enclosing | Inline::Alone, true, Side::Source)
                    | (Inline::Alone, false, Side::Source) => codes
                        .add(code(whole, String::new()), &[id])
                        .map(Mark::Standalone),
                    (Inline::Start, _, Side::Target) => {
                        let found = codes.find(&[id, rid]).map(Mark::Open);
                        codes.dropped += usize::from(found.is_none());
                        found
                    }
                    (Inline::End, _, Side::Target) => {
                        let found = codes.find(&[start_ref, rid, id]).map(Mark::Close);
                        codes.dropped += usize::from(found.is_none());
                        found
                    }
                    (_, _, Side::Target) => {
                        let found = codes.find(&[id]).map(Mark::Standalone);
                        codes.dropped += usize::from(found.is_none());
                        found
                    }
                };
                if let Some(mark) = mark {
                    push(&mut out, in_marked, &mark.char().to_string());
                }
            }
            Event::End(_) => {
                let Some(code) = open.pop() else {
                    return Ok(out);
                };
                if marked_at == Some(open.len() + 1) {
                    marked_at = None;
                }
                if let Some(id) = code {
                    if side == Side::Source {
                        codes.codes[usize::from(id)].close = raw(after);
                    }
                    push(&mut out, in_marked, &Mark::Close(id).char().to_string());
                }
            }
            Event::Text(t) => {
                let text = t.unescape().map_err(|e| xml_error(reader, e))?;
                push(&mut out, in_marked, &codes::sanitize(&text));
            }
            Event::CData(t) => {
                let text = String::from_utf8_lossy(&t).into_owned();
                push(&mut out, in_marked, &codes::sanitize(&text));
            }
            Event::Eof => return Err(xml_error(reader, "the file ends inside an element")),
            _ => {}
        }
    }
}

fn push(out: &mut Content, in_marked: bool, text: &str) {
    out.text.push_str(text);
    if in_marked {
        if let Some((_, marked)) = out.marked.last_mut() {
            marked.push_str(text);
        }
    }
}

/// Skips the element just opened, with everything in it.
fn skip(reader: &mut Reader<&[u8]>) -> XmlResult<()> {
    let mut depth = 0usize;
    loop {
        match reader.read_event().map_err(|e| xml_error(reader, e))? {
            Event::Start(_) => depth += 1,
            Event::End(_) if depth == 0 => return Ok(()),
            Event::End(_) => depth -= 1,
            Event::Eof => return Err(xml_error(reader, "the file ends inside an element")),
            _ => {}
        }
    }
}

/// A group being read: its block kind and whether it is translated.
struct Group {
    id: String,
    kind: Option<BlockKind>,
    translate: bool,
}

/// The unit being read.
#[derive(Default)]
struct Pending {
    id: String,
    translate: bool,
    /// 1.2 `approved`, when given.
    approved: Option<String>,
    /// A PO file's header, as po2xliff writes it.
    po_header: bool,
    /// 1.2 `state-qualifier` of the target: where it came from (a fuzzy
    /// match, MT) or why it was rejected.
    qualifier: Option<String>,
    source: Option<Content>,
    segmented_source: Option<Content>,
    target: Option<(Content, Option<String>)>,
    notes: Vec<String>,
    /// 2.0: the segments read so far.
    segments: Vec<PendingSegment>,
    /// Its inline codes.
    codes: UnitCodes,
}

/// An XLIFF 2.0 segment being read.
#[derive(Default)]
struct PendingSegment {
    id: String,
    state: Option<String>,
    source: String,
    target: Option<String>,
}

/// The file's text as UTF-8: UTF-8 with or without BOM, or UTF-16 with BOM.
fn utf8(bytes: &[u8]) -> XmlResult<Vec<u8>> {
    let utf16 = |units: Vec<u16>| {
        String::from_utf16(&units)
            .map(String::into_bytes)
            .map_err(|_| "invalid UTF-16".to_string())
    };
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(
            rest.chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect(),
        );
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(
            rest.chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect(),
        );
    }
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Err(e) = std::str::from_utf8(text) {
        return Err(format!(
            "not valid UTF-8 at byte offset {}; save the file as UTF-8",
            e.valid_up_to()
        ));
    }
    Ok(text.to_vec())
}

/// Reads an XLIFF file's bytes: UTF-8 with or without BOM, or UTF-16 with
/// BOM; the error says what is wrong, in the user's words.
pub fn read(bytes: &[u8]) -> XmlResult<XliffFile> {
    parse(&utf8(bytes)?)
}

/// Parses an XLIFF 1.2 or 2.0 document. Entity declarations are refused.
pub fn parse(xml: &[u8]) -> XmlResult<XliffFile> {
    let mut reader = Reader::from_reader(xml);
    let mut file = XliffFile {
        version: String::new(),
        original: None,
        units: Vec::new(),
        empty_sources: 0,
        dropped_codes: 0,
    };
    let mut groups: Vec<Group> = Vec::new();
    let mut unit: Option<Pending> = None;
    let mut segment: Option<PendingSegment> = None;
    let mut seen_root = false;
    loop {
        let event = reader.read_event().map_err(|e| xml_error(&reader, e))?;
        match event {
            Event::DocType(_) => {
                return Err("the XML declares a DOCTYPE; entity declarations are refused".into())
            }
            Event::Start(e) => {
                let name = e.local_name();
                match name.as_ref() {
                    b"xliff" => {
                        seen_root = true;
                        file.version = attribute(&e, b"version").unwrap_or_default();
                    }
                    _ if !seen_root => {
                        return Err("not an XLIFF file (the root is not <xliff>)".into())
                    }
                    // XLIFF 2.0 allows translate="no" on a whole file, and
                    // units inherit it as they do from groups.
                    b"file" | b"group" => {
                        if name.as_ref() == b"file" && file.original.is_none() {
                            file.original = attribute(&e, b"original");
                        }
                        let inherited = groups.last().is_none_or(|g| g.translate);
                        groups.push(Group {
                            id: attribute(&e, b"id").unwrap_or_default(),
                            kind: group_kind(
                                attribute(&e, b"restype")
                                    .or_else(|| attribute(&e, b"type"))
                                    .as_deref(),
                            ),
                            translate: inherited
                                && attribute(&e, b"translate").as_deref() != Some("no"),
                        });
                    }
                    b"trans-unit" | b"unit" => {
                        let inherited = groups.last().is_none_or(|g| g.translate);
                        unit = Some(Pending {
                            id: attribute(&e, b"id").unwrap_or_default(),
                            translate: inherited
                                && attribute(&e, b"translate").as_deref() != Some("no"),
                            approved: attribute(&e, b"approved"),
                            po_header: attribute(&e, b"restype").as_deref()
                                == Some("x-gettext-domain-header"),
                            ..Pending::default()
                        });
                    }
                    // Alternatives and native code carry text that is not
                    // the unit's.
                    b"originalData" if unit.is_some() => {
                        let u = unit.as_mut().expect("checked");
                        original_data(&mut reader, &mut u.codes.data)?;
                    }
                    b"alt-trans" | b"originalData" | b"context-group" | b"count-group"
                    | b"prop-group" | b"header" => skip(&mut reader)?,
                    b"segment" if unit.is_some() => {
                        segment = Some(PendingSegment {
                            id: attribute(&e, b"id").unwrap_or_default(),
                            state: attribute(&e, b"state"),
                            ..PendingSegment::default()
                        });
                    }
                    b"ignorable" => skip(&mut reader)?,
                    b"source" if unit.is_some() => {
                        let u = unit.as_mut().expect("checked");
                        let text = content(&mut reader, xml, &mut u.codes, Side::Source)?;
                        match segment.as_mut() {
                            Some(seg) => seg.source = text.text,
                            None => u.source = Some(text),
                        }
                    }
                    b"seg-source" if unit.is_some() => {
                        let u = unit.as_mut().expect("checked");
                        // The segmented copy of the source names the codes
                        // its segments and the target refer to.
                        let data = std::mem::take(&mut u.codes.data);
                        u.codes = UnitCodes {
                            data,
                            ..UnitCodes::default()
                        };
                        let text = content(&mut reader, xml, &mut u.codes, Side::Source)?;
                        u.segmented_source = Some(text);
                    }
                    b"target" if unit.is_some() => {
                        let state = attribute(&e, b"state");
                        let qualifier = attribute(&e, b"state-qualifier");
                        let u = unit.as_mut().expect("checked");
                        let text = content(&mut reader, xml, &mut u.codes, Side::Target)?;
                        match (segment.as_mut(), unit.as_mut()) {
                            (Some(seg), _) => seg.target = Some(text.text),
                            (None, Some(u)) => {
                                u.target = Some((text, state));
                                u.qualifier = qualifier;
                            }
                            _ => {}
                        }
                    }
                    b"note" if unit.is_some() => {
                        let mut none = UnitCodes::default();
                        let text = content(&mut reader, xml, &mut none, Side::Source)?;
                        if let Some(u) = unit.as_mut() {
                            u.notes.push(codes::strip(&text.text));
                        }
                    }
                    _ => {}
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"file" | b"group" => {
                    groups.pop();
                }
                b"segment" => {
                    if let (Some(seg), Some(u)) = (segment.take(), unit.as_mut()) {
                        u.segments.push(seg);
                    }
                }
                b"trans-unit" | b"unit" => {
                    if let Some(u) = unit.take() {
                        finish_unit(&mut file, groups.last(), u);
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    if !seen_root {
        return Err("not an XLIFF file (no <xliff> element)".into());
    }
    Ok(file)
}

fn finish_unit(file: &mut XliffFile, group: Option<&Group>, u: Pending) {
    if u.po_header {
        file.empty_sources += 1;
        return;
    }
    // Units of an Interlinea group make one block; any other unit is a
    // block (paragraph) of its own.
    let (block, kind) = match group.and_then(|g| g.kind.map(|k| (g, k))) {
        Some((g, kind)) => (format!("group:{}", g.id), kind),
        None => (format!("unit:{}", u.id), BlockKind::Paragraph),
    };
    let notes = u.notes;
    let unit = file.units.last().map_or(0, |last| last.unit + 1);
    let codes = u.codes.codes;
    file.dropped_codes += u.codes.dropped;
    let mut push = |id: String,
                    source: String,
                    target: Option<String>,
                    status: Option<Status>,
                    notes: Vec<String>| {
        if source.trim().is_empty() {
            file.empty_sources += 1;
            return;
        }
        // A state that asks for a translation, given with English, is a
        // draft: the English is there but nobody stands by it yet.
        let has_target = target.as_deref().is_some_and(|t| !t.trim().is_empty());
        let status = match status {
            Some(Status::New) if has_target => Some(Status::Draft),
            status => status,
        };
        // A target holds only ends of codes its source holds.
        let source_marks: Vec<Mark> = codes::marks(&source).collect();
        let target = target.map(|t| {
            t.chars()
                .filter(|&c| match Mark::of(c) {
                    Some(mark) if !source_marks.contains(&mark) => {
                        file.dropped_codes += 1;
                        false
                    }
                    _ => true,
                })
                .collect()
        });
        file.units.push(XliffUnit {
            id,
            block: block.clone(),
            kind,
            unit,
            source,
            target,
            codes: codes.clone(),
            status,
            notes,
            translate: u.translate,
        });
    };
    if !u.segments.is_empty() {
        // 2.0: notes belong to the unit; they go with its first segment.
        let mut notes = Some(notes);
        let several = u.segments.len() > 1;
        for (i, seg) in u.segments.into_iter().enumerate() {
            let PendingSegment {
                id,
                state,
                source,
                target,
            } = seg;
            let id = match (id.is_empty(), several) {
                (false, _) => id,
                (true, false) => u.id.clone(),
                (true, true) => format!("{}:{}", u.id, i + 1),
            };
            let status = state.as_deref().and_then(status_2_0);
            push(id, source, target, status, notes.take().unwrap_or_default());
        }
        return;
    }
    let (target, state) = match u.target {
        Some((content, state)) => (Some(content), state),
        None => (None, None),
    };
    // Without a state, a qualifier (fuzzy match, MT suggestion, rejected
    // …) or an explicit approved="no" says the English awaits review.
    let unsure = u.qualifier.is_some() || u.approved.as_deref() == Some("no");
    // `approved="yes"` is what translate-toolkit (and so Weblate) reads as
    // a translation that is not fuzzy, with state="translated"; the state,
    // where there is one, says how far it went.
    let status = match (u.approved.as_deref(), state.as_deref().and_then(status_1_2)) {
        (_, Some(status)) => Some(status),
        (Some("yes"), None) => Some(Status::Translated),
        _ => unsure.then_some(Status::New),
    };
    match u.segmented_source.filter(|s| !s.marked.is_empty()) {
        Some(segmented) => {
            let mut notes = Some(notes);
            for (mid, source) in segmented.marked {
                let target_text = target.as_ref().map(|t| {
                    t.marked
                        .iter()
                        .find(|(m, _)| *m == mid)
                        .map(|(_, text)| text.clone())
                        .unwrap_or_default()
                });
                push(
                    format!("{}:{mid}", u.id),
                    source,
                    target_text,
                    status,
                    notes.take().unwrap_or_default(),
                );
            }
        }
        None => push(
            u.id.clone(),
            u.source.map(|s| s.text).unwrap_or_default(),
            target.map(|t| t.text),
            status,
            notes,
        ),
    }
}

fn escape(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
}

/// The ids of the paired codes whose two ends `text` holds, the end after
/// the start and nested in the others: they can be one element with the
/// text inside (`<g>`, `<pc>`); the rest are written as separate ends.
fn enclosing(text: &str) -> Vec<u16> {
    let mut open: Vec<u16> = Vec::new();
    let mut whole = Vec::new();
    for mark in codes::marks(text) {
        match mark {
            Mark::Open(id) => open.push(id),
            Mark::Close(id) => {
                if let Some(at) = open.iter().rposition(|&o| o == id) {
                    // Codes opened inside and still open cross this one.
                    open.truncate(at);
                    whole.push(id);
                }
            }
            Mark::Standalone(_) => {}
        }
    }
    whole
}

/// What kind of code an element is, as XLIFF 1.2's `ctype` names it.
fn ctype(code: &InlineCode, standalone: bool) -> String {
    let known = match (code.element.as_str(), standalone) {
        ("strong" | "b", false) => "bold",
        ("em" | "i" | "emphasis", false) => "italic",
        ("u", false) => "underlined",
        ("a" | "link", false) => "link",
        ("br" | "break", true) => "lb",
        ("img" | "image", true) => "image",
        _ => "",
    };
    if !known.is_empty() {
        return known.to_string();
    }
    let name: String = code
        .element
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect::<String>()
        .to_ascii_lowercase();
    format!("x-{}", if name.is_empty() { "code" } else { &name })
}

/// Segment text as XLIFF 1.2 content: a paired code whose ends are both in
/// it is a `<g>`, one end of a code a `<bx/>` or `<ex/>`, a standalone code
/// an `<x/>`, each with the code's number in the segment as id.
fn inline_1_2(text: &str, segment_codes: &[SegmentCode]) -> String {
    inline_text(text, segment_codes, |mark, n, code, whole| match mark {
        Mark::Open(_) if whole => format!("<g id=\"{n}\" ctype=\"{}\">", ctype(code, false)),
        Mark::Close(_) if whole => "</g>".into(),
        Mark::Open(_) => format!("<bx id=\"{n}\" ctype=\"{}\"/>", ctype(code, false)),
        Mark::Close(_) => format!("<ex id=\"{n}\"/>"),
        Mark::Standalone(_) => format!("<x id=\"{n}\" ctype=\"{}\"/>", ctype(code, true)),
    })
}

/// Segment text as XLIFF 2.0 content: `<pc>` for a paired code whose ends
/// are both in it, `<sc/>`/`<ec/>` for ends apart (`isolated` when the other
/// is in another segment), `<ph/>` for a standalone code.
fn inline_2_0(text: &str, segment_codes: &[SegmentCode]) -> String {
    let marks: Vec<Mark> = codes::marks(text).collect();
    inline_text(text, segment_codes, |mark, n, _, whole| match mark {
        Mark::Open(_) if whole => format!("<pc id=\"{n}\">"),
        Mark::Close(_) if whole => "</pc>".into(),
        Mark::Open(id) if marks.contains(&Mark::Close(id)) => format!("<sc id=\"{n}\"/>"),
        Mark::Close(id) if marks.contains(&Mark::Open(id)) => format!("<ec startRef=\"{n}\"/>"),
        Mark::Open(_) => format!("<sc id=\"{n}\" isolated=\"yes\"/>"),
        Mark::Close(_) => format!("<ec id=\"{n}\" isolated=\"yes\"/>"),
        Mark::Standalone(_) => format!("<ph id=\"{n}\"/>"),
    })
}

/// `text` escaped, each mark of a code written by `element(mark, its
/// number, what it stands for, whether both its ends enclose text here)`.
fn inline_text(
    text: &str,
    segment_codes: &[SegmentCode],
    mut element: impl FnMut(Mark, usize, &InlineCode, bool) -> String,
) -> String {
    if !codes::has_codes(text) {
        return escape(text);
    }
    let whole = enclosing(text);
    let mut out = String::with_capacity(text.len() + 32);
    let mut plain = String::new();
    for c in text.chars() {
        let Some(mark) = Mark::of(c) else {
            plain.push(c);
            continue;
        };
        out.push_str(&escape(&plain));
        plain.clear();
        if let Some(code) = segment_codes.iter().find(|code| code.id == mark.id()) {
            out.push_str(&element(
                mark,
                code.number,
                &code.code,
                whole.contains(&mark.id()),
            ));
        }
    }
    out.push_str(&escape(&plain));
    out
}

/// XLIFF 1.2 `state` of a segment's target (none while it is empty).
fn state_1_2(status: Status) -> &'static str {
    match status {
        Status::New => "new",
        Status::Draft => "needs-review-translation",
        Status::Translated => "translated",
        Status::Approved => "signed-off",
    }
}

/// XLIFF 2.0 `state` of a segment.
fn state_2_0(segment: &XliffSegment) -> &'static str {
    state_2_0_of(segment.status, segment.target.is_empty())
}

fn state_2_0_of(status: Status, no_target: bool) -> &'static str {
    match status {
        _ if no_target => "initial",
        Status::New | Status::Draft => "initial",
        Status::Translated => "translated",
        Status::Approved => "final",
    }
}

/// A document named `original` as XLIFF 1.2 (valid against the strict
/// core schema).
pub fn write_1_2(original: &str, blocks: &[XliffBlock]) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\">\n\
         \x20 <file original=\"{}\" source-language=\"it\" target-language=\"en\" datatype=\"plaintext\">\n\
         \x20   <body>\n",
        escape(original)
    );
    for block in blocks {
        let translate = if block.translate { "yes" } else { "no" };
        out.push_str(&format!(
            "      <group id=\"b{}\" restype=\"x-{}\" translate=\"{translate}\">\n",
            block.position,
            block.kind.code()
        ));
        for segment in &block.segments {
            // translate-toolkit (and so Weblate) reads a unit without
            // approved="yes" as fuzzy, whatever its state.
            let approved = if segment.status.is_confirmed() && !segment.target.is_empty() {
                " approved=\"yes\""
            } else {
                ""
            };
            out.push_str(&format!(
                "        <trans-unit id=\"{}\" translate=\"{translate}\"{approved}>\n          <source xml:lang=\"it\">{}</source>\n",
                segment.id,
                inline_1_2(&segment.source, &segment.codes)
            ));
            if !segment.target.is_empty() {
                out.push_str(&format!(
                    "          <target xml:lang=\"en\" state=\"{}\">{}</target>\n",
                    state_1_2(segment.status),
                    inline_1_2(&segment.target, &segment.codes)
                ));
            }
            if let Some(note) = &segment.note {
                out.push_str(&format!("          <note>{}</note>\n", escape(note)));
            }
            out.push_str("        </trans-unit>\n");
        }
        out.push_str("      </group>\n");
    }
    out.push_str("    </body>\n  </file>\n</xliff>\n");
    out
}

/// A document named `original` as XLIFF 2.0 (valid against the core
/// schema).
pub fn write_2_0(original: &str, blocks: &[XliffBlock]) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <xliff xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" version=\"2.0\" srcLang=\"it\" trgLang=\"en\">\n\
         \x20 <file id=\"f1\" original=\"{}\">\n",
        escape(original)
    );
    for block in blocks {
        let translate = if block.translate { "yes" } else { "no" };
        out.push_str(&format!(
            "    <group id=\"b{}\" type=\"x:{}\" translate=\"{translate}\">\n",
            block.position,
            block.kind.code()
        ));
        for segment in &block.segments {
            out.push_str(&format!("      <unit id=\"u{}\">\n", segment.id));
            if let Some(note) = &segment.note {
                out.push_str(&format!(
                    "        <notes>\n          <note>{}</note>\n        </notes>\n",
                    escape(note)
                ));
            }
            out.push_str(&format!(
                "        <segment id=\"s{0}\" state=\"{1}\">\n          <source>{2}</source>\n",
                segment.id,
                state_2_0(segment),
                inline_2_0(&segment.source, &segment.codes)
            ));
            if !segment.target.is_empty() {
                out.push_str(&format!(
                    "          <target>{}</target>\n",
                    inline_2_0(&segment.target, &segment.codes)
                ));
            }
            out.push_str("        </segment>\n      </unit>\n");
        }
        out.push_str("    </group>\n");
    }
    out.push_str("  </file>\n</xliff>\n");
    out
}

/// The English for one unit of a file written back by [`fill_targets`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fill {
    /// The English, its inline codes as marks of the codes [`read`] gives
    /// the unit (written back as the source writes them).
    pub text: String,
    /// Its workflow status, written as the XLIFF state.
    pub status: Status,
}

/// Where a `<target>` stands in the file.
struct TargetAt {
    /// Its start tag (the whole element when it is empty).
    tag: std::ops::Range<usize>,
    /// Its content, `None` for an empty element.
    content: Option<std::ops::Range<usize>>,
    /// Its text, inline codes as on import.
    text: String,
    state: Option<String>,
}

/// A 1.2 trans-unit, or a 2.0 segment, being read for its positions.
#[derive(Default)]
struct Slot {
    id: String,
    /// The start tag that holds the state: 2.0's `<segment>`; 1.2's
    /// `<trans-unit>`, for `approved`.
    tag: Option<std::ops::Range<usize>>,
    /// Just after `</source>`, with the source's namespace prefix.
    after_source: Option<(usize, String)>,
    target: Option<TargetAt>,
}

/// A 1.2 trans-unit or a 2.0 unit being read.
#[derive(Default)]
struct UnitAt {
    slot: Slot,
    segments: Vec<Slot>,
    /// Segmented 1.2 (`<seg-source>`), whose targets are not written.
    segmented: bool,
    codes: UnitCodes,
}

/// The XLIFF file `original` (1.2 or 2.0, in its own encoding) with the
/// English of `fills` (by the unit ids [`read`] gives) put in: a unit's
/// `<target>` is replaced, or one is put right after its `</source>`, and
/// its state (the target's in 1.2, the segment's in 2.0) set from the
/// status. Every other byte is copied. A target whose text is unchanged
/// keeps its content, inline codes included, and its state unless the
/// status was confirmed here and the file says otherwise. Segmented 1.2
/// units are left as they are.
pub fn fill_targets(
    original: &[u8],
    fills: &std::collections::HashMap<String, Fill>,
) -> XmlResult<Vec<u8>> {
    let xml = utf8(original)?;
    let mut edits = Vec::new();
    let mut reader = Reader::from_reader(xml.as_slice());
    let mut two = false;
    let mut unit: Option<UnitAt> = None;
    let mut segment: Option<Slot> = None;
    loop {
        let before = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| xml_error(&reader, e))?;
        let after = reader.buffer_position() as usize;
        match event {
            Event::DocType(_) => {
                return Err("the XML declares a DOCTYPE; entity declarations are refused".into())
            }
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"xliff" => {
                two = attribute(&e, b"version").is_some_and(|v| v.starts_with('2'));
            }
            Event::Start(e) => match e.local_name().as_ref() {
                b"trans-unit" | b"unit" => {
                    unit = Some(UnitAt {
                        slot: Slot {
                            id: attribute(&e, b"id").unwrap_or_default(),
                            tag: Some(before..after),
                            ..Slot::default()
                        },
                        ..UnitAt::default()
                    });
                }
                b"alt-trans" | b"ignorable" | b"originalData" => skip(&mut reader)?,
                b"seg-source" if unit.is_some() => {
                    skip(&mut reader)?;
                    unit.as_mut().expect("checked").segmented = true;
                }
                b"segment" if unit.is_some() => {
                    segment = Some(Slot {
                        id: attribute(&e, b"id").unwrap_or_default(),
                        tag: Some(before..after),
                        ..Slot::default()
                    });
                }
                b"source" if unit.is_some() => {
                    let u = unit.as_mut().expect("checked");
                    content(&mut reader, &xml, &mut u.codes, Side::Source)?;
                    let prefix = prefix_of(&e);
                    let slot = segment.as_mut().unwrap_or(&mut u.slot);
                    slot.after_source = Some((reader.buffer_position() as usize, prefix));
                }
                b"target" if unit.is_some() => {
                    let u = unit.as_mut().expect("checked");
                    let text = content(&mut reader, &xml, &mut u.codes, Side::Target)?.text;
                    let end = reader.buffer_position() as usize;
                    // The end tag is the last `</` of the element.
                    let close = before + find_last(&xml[before..end], b"</").unwrap_or(0);
                    let slot = segment.as_mut().or(unit.as_mut().map(|u| &mut u.slot));
                    slot.expect("checked").target = Some(TargetAt {
                        tag: before..after,
                        content: Some(after..close),
                        text,
                        state: attribute(&e, b"state"),
                    });
                }
                _ => {}
            },
            Event::Empty(e) if unit.is_some() => {
                let slot = segment.as_mut().or(unit.as_mut().map(|u| &mut u.slot));
                let slot = slot.expect("checked");
                match e.local_name().as_ref() {
                    b"source" => slot.after_source = Some((after, prefix_of(&e))),
                    b"target" => {
                        slot.target = Some(TargetAt {
                            tag: before..after,
                            content: None,
                            text: String::new(),
                            state: attribute(&e, b"state"),
                        });
                    }
                    _ => {}
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"segment" => {
                    if let (Some(seg), Some(u)) = (segment.take(), unit.as_mut()) {
                        u.segments.push(seg);
                    }
                }
                b"trans-unit" | b"unit" => {
                    if let Some(u) = unit.take() {
                        unit_edits(&xml, u, two, fills, &mut edits);
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    edits.sort_by_key(|(range, _): &(std::ops::Range<usize>, String)| range.start);
    let mut out = Vec::with_capacity(xml.len());
    let mut at = 0;
    for (range, text) in edits {
        out.extend_from_slice(&xml[at..range.start]);
        out.extend_from_slice(text.as_bytes());
        at = range.end;
    }
    out.extend_from_slice(&xml[at..]);
    Ok(encode_like(original, out))
}

/// The edits one unit needs, as (range of the file, new bytes).
fn unit_edits(
    xml: &[u8],
    u: UnitAt,
    two: bool,
    fills: &std::collections::HashMap<String, Fill>,
    edits: &mut Vec<(std::ops::Range<usize>, String)>,
) {
    let codes = &u.codes.codes;
    if !two {
        if let Some(fill) = fills.get(&u.slot.id).filter(|_| !u.segmented) {
            slot_edits(
                xml,
                &u.slot,
                fill,
                codes,
                state_1_2(fill.status),
                false,
                edits,
            );
        }
        return;
    }
    // Ids as `read` gives them to segments without one of their own.
    let several = u.segments.len() > 1;
    for (i, seg) in u.segments.iter().enumerate() {
        let key = match (seg.id.is_empty(), several) {
            (false, _) => seg.id.clone(),
            (true, false) => u.slot.id.clone(),
            (true, true) => format!("{}:{}", u.slot.id, i + 1),
        };
        if let Some(fill) = fills.get(&key) {
            let state = state_2_0_of(fill.status, fill.text.is_empty());
            slot_edits(xml, seg, fill, codes, state, true, edits);
        }
    }
}

/// Writes `fill` into one unit (1.2) or segment (2.0); `on_segment` says
/// the state goes on the `<segment>` rather than on the `<target>`.
fn slot_edits(
    xml: &[u8],
    slot: &Slot,
    fill: &Fill,
    codes: &[InlineCode],
    state: &str,
    on_segment: bool,
    edits: &mut Vec<(std::ops::Range<usize>, String)>,
) {
    let text =
        |range: &std::ops::Range<usize>| String::from_utf8_lossy(&xml[range.clone()]).into_owned();
    let old_status = |s: &Option<String>| {
        let s = s.as_deref()?;
        if on_segment {
            status_2_0(s)
        } else {
            status_1_2(s)
        }
    };
    let old_state = if on_segment {
        slot.tag.as_ref().and_then(|t| state_in(&text(t)))
    } else {
        slot.target.as_ref().and_then(|t| t.state.clone())
    };
    let same_text = slot.target.as_ref().is_some_and(|t| t.text == fill.text);
    let restate =
        !same_text || (fill.status.is_confirmed() && old_status(&old_state) != Some(fill.status));
    if !restate {
        return;
    }
    if let Some(tag) = &slot.tag {
        let tag_text = text(tag);
        if on_segment {
            edits.push((tag.clone(), set_attribute(&tag_text, "state", state)));
        } else if fill.status.is_confirmed() {
            // What translate-toolkit reads as not fuzzy.
            edits.push((tag.clone(), set_attribute(&tag_text, "approved", "yes")));
        } else if attributes(&tag_text)
            .iter()
            .any(|(name, _)| &tag_text[name.clone()] == "approved")
        {
            edits.push((tag.clone(), set_attribute(&tag_text, "approved", "no")));
        }
    }
    let escaped = with_codes(&fill.text, codes);
    match &slot.target {
        Some(target) => {
            let tag = text(&target.tag);
            let tag = if on_segment {
                tag
            } else {
                set_attribute(&tag, "state", state)
            };
            match &target.content {
                Some(content) => {
                    edits.push((target.tag.clone(), tag));
                    if !same_text {
                        edits.push((content.clone(), escaped));
                    }
                }
                None => {
                    // `<target …/>` becomes `<target …>English</target>`.
                    let open = tag.trim_end_matches('>').trim_end_matches('/').trim_end();
                    let name = open[1..]
                        .split(|c: char| c.is_whitespace())
                        .next()
                        .unwrap_or("target");
                    edits.push((target.tag.clone(), format!("{open}>{escaped}</{name}>")));
                }
            }
        }
        None => {
            if let Some((at, prefix)) = &slot.after_source {
                let state = if on_segment {
                    String::new()
                } else {
                    format!(" state=\"{state}\"")
                };
                edits.push((
                    *at..*at,
                    format!("<{prefix}target{state}>{escaped}</{prefix}target>"),
                ));
            }
        }
    }
}

/// `text` as XLIFF content with its codes as the source writes them. A
/// code whose two ends are one element (`<g>`, `<pc>`, `<mrk>`) is left
/// out when the text does not hold both ends in order, which XML could not
/// carry.
fn with_codes(text: &str, codes: &[InlineCode]) -> String {
    let whole = enclosing(text);
    let mut out = String::with_capacity(text.len() + 32);
    let mut plain = String::new();
    for c in text.chars() {
        let Some(mark) = Mark::of(c) else {
            plain.push(c);
            continue;
        };
        out.push_str(&escape(&plain));
        plain.clear();
        let Some(code) = codes.get(usize::from(mark.id())) else {
            continue;
        };
        let encloses = matches!(inline(code.element.as_bytes()), Some(Inline::Enclosing))
            && !code.close.is_empty();
        if encloses && !whole.contains(&mark.id()) {
            continue;
        }
        out.push_str(match mark {
            Mark::Open(_) | Mark::Standalone(_) => &code.open,
            Mark::Close(_) => &code.close,
        });
    }
    out.push_str(&escape(&plain));
    out
}

/// The `state` attribute's value in a start tag.
fn state_in(tag: &str) -> Option<String> {
    attributes(tag)
        .into_iter()
        .find(|(name, _)| &tag[name.clone()] == "state")
        .map(|(_, value)| tag[value].to_string())
}

/// `name="value"` set in start tag `tag`, its other bytes kept.
fn set_attribute(tag: &str, name: &str, value: &str) -> String {
    let value = escape(value);
    let attrs = attributes(tag);
    if let Some((_, range)) = attrs.iter().find(|(n, _)| &tag[n.clone()] == name) {
        return format!("{}{value}{}", &tag[..range.start], &tag[range.end..]);
    }
    // After the last attribute (or the name), before any space and `>`.
    let at = match attrs.last() {
        Some((_, v)) => v.end + 1,
        None => tag
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .unwrap_or(tag.len()),
    };
    format!("{} {name}=\"{value}\"{}", &tag[..at], &tag[at..])
}

/// The (name, value) byte ranges of a well-formed start tag's attributes.
fn attributes(tag: &str) -> Vec<(std::ops::Range<usize>, std::ops::Range<usize>)> {
    let b = tag.as_bytes();
    let mut out = Vec::new();
    let mut i = b
        .iter()
        .position(|c| c.is_ascii_whitespace())
        .unwrap_or(b.len());
    loop {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() || b[i] == b'>' || b[i] == b'/' {
            return out;
        }
        let name = i;
        while i < b.len() && b[i] != b'=' && !b[i].is_ascii_whitespace() {
            i += 1;
        }
        let name = name..i;
        while i < b.len() && b[i] != b'"' && b[i] != b'\'' {
            i += 1;
        }
        let Some(&quote) = b.get(i) else { return out };
        let value = i + 1;
        i = value;
        while i < b.len() && b[i] != quote {
            i += 1;
        }
        out.push((name, value..i));
        i += 1;
    }
}

/// The namespace prefix of an element's name, with its colon.
fn prefix_of(e: &BytesStart<'_>) -> String {
    let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
    match name.rfind(':') {
        Some(colon) => name[..=colon].to_string(),
        None => String::new(),
    }
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// UTF-8 text written back in the encoding `original` came in: its byte
/// order mark and, for UTF-16, its byte order.
fn encode_like(original: &[u8], utf8: Vec<u8>) -> Vec<u8> {
    let text = String::from_utf8(utf8).expect("spliced from UTF-8 at element boundaries");
    let utf16 = |bom: &[u8], f: fn(u16) -> [u8; 2]| {
        let mut out = bom.to_vec();
        out.extend(text.encode_utf16().flat_map(f));
        out
    };
    match original {
        [0xFF, 0xFE, ..] => utf16(&[0xFF, 0xFE], u16::to_le_bytes),
        [0xFE, 0xFF, ..] => utf16(&[0xFE, 0xFF], u16::to_be_bytes),
        [0xEF, 0xBB, 0xBF, ..] => [&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat(),
        _ => text.into_bytes(),
    }
}

#[cfg(test)]
mod tests;
