//! TMX 1.4b reading (streaming, one unit at a time) and writing.
//!
//! Inline elements become code marks in the text (`crate::text::codes`):
//! `<bpt>`/`<ept>` paired by their `i`, `<hi>` paired, `<ph>`, `<ut>` and
//! `<it>` standalone (an `<it>` with `pos` is the one end of a code it
//! names). Ids are the unit's own: the source's codes in order, the
//! target's taking the id of the source code they stand for (same `x`,
//! same `i`, else the same place among codes of their kind). What a code
//! holds is native markup, not text; the segment's inline XML is kept
//! beside the text so export gives the codes back unchanged.

use std::io::{BufRead, Write};

use quick_xml::events::{BytesEnd, BytesStart, BytesText, Event};
use quick_xml::{Reader, Writer};

use crate::text::codes::{self, Mark, MAX_CODES};

/// Problems reading a TMX file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TmxError {
    /// Not well-formed XML, with the byte position.
    #[error("malformed TMX at byte {position}: {message}")]
    Xml {
        /// Byte offset of the problem.
        position: u64,
        /// What the parser said.
        message: String,
    },
    /// The file declares entities: refused (no entity expansion attacks).
    #[error("the TMX file declares entities in its DOCTYPE; such files are refused")]
    EntityDeclaration,
    /// The root element is not `<tmx>`.
    #[error("not a TMX file: the root element is <{0}>")]
    NotTmx(String),
    /// Reading the file failed.
    #[error("cannot read the TMX file: {0}")]
    Io(#[from] std::io::Error),
}

/// One translation unit read from or written to TMX.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TmxUnit {
    /// `tuid`, if any.
    pub tuid: Option<String>,
    /// Source text, inline codes as code marks.
    pub source: String,
    /// Target text, its codes numbered as the source's.
    pub target: String,
    /// The source `<seg>`'s inner XML when it holds inline codes.
    pub source_markup: Option<String>,
    /// The target `<seg>`'s inner XML when it holds inline codes.
    pub target_markup: Option<String>,
    /// `<note>` texts joined by newlines.
    pub note: Option<String>,
    /// `<prop type="…">value</prop>` pairs of the unit.
    pub props: Vec<(String, String)>,
    /// `creationdate` (TMX basic ISO format, e.g. 20240131T120000Z).
    pub created: Option<String>,
    /// `changedate`.
    pub changed: Option<String>,
    /// `creationid`.
    pub author: Option<String>,
    /// `changeid`.
    pub changed_by: Option<String>,
}

/// A TMX byte stream as UTF-8: UTF-16 files (with their byte-order mark)
/// are transcoded on the fly, so memory stays flat whatever the file size.
pub fn utf8_stream<'r>(mut input: impl BufRead + 'r) -> std::io::Result<Box<dyn BufRead + 'r>> {
    let head = input.fill_buf()?;
    let big_endian = match head {
        [0xFE, 0xFF, ..] => true,
        [0xFF, 0xFE, ..] => false,
        [0xEF, 0xBB, 0xBF, ..] => {
            input.consume(3);
            return Ok(Box::new(input));
        }
        // XML in UTF-8 never holds a NUL byte: refused at once, rather than
        // after reading a whole file of them for a root element.
        [0, ..] => {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "not a TMX file: it starts with a NUL byte",
            ))
        }
        _ => return Ok(Box::new(input)),
    };
    input.consume(2);
    Ok(Box::new(std::io::BufReader::new(Utf16Reader {
        input,
        big_endian,
        carry: Vec::new(),
        pending: Vec::new(),
    })))
}

/// Decodes UTF-16 into UTF-8 bytes as they are read.
struct Utf16Reader<R> {
    input: R,
    big_endian: bool,
    /// Bytes read but not decoded yet: an odd byte, or a high surrogate
    /// waiting for its pair.
    carry: Vec<u8>,
    /// UTF-8 bytes decoded but not handed out yet.
    pending: Vec<u8>,
}

impl<R: BufRead> std::io::Read for Utf16Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let invalid =
            |message: String| std::io::Error::new(std::io::ErrorKind::InvalidData, message);
        while self.pending.is_empty() {
            let chunk = self.input.fill_buf()?;
            if chunk.is_empty() {
                if self.carry.is_empty() {
                    return Ok(0);
                }
                return Err(invalid(
                    "the UTF-16 file ends in the middle of a character".into(),
                ));
            }
            let n = chunk.len();
            self.carry.extend_from_slice(chunk);
            self.input.consume(n);
            let big_endian = self.big_endian;
            let unit = |pair: &[u8]| {
                let pair = [pair[0], pair[1]];
                if big_endian {
                    u16::from_be_bytes(pair)
                } else {
                    u16::from_le_bytes(pair)
                }
            };
            // Whole code units only, and a surrogate pair kept together.
            let mut take = self.carry.len() & !1;
            if take >= 2 && (0xD800..0xDC00).contains(&unit(&self.carry[take - 2..take])) {
                take -= 2;
            }
            let units: Vec<u16> = self.carry[..take].chunks_exact(2).map(unit).collect();
            for c in char::decode_utf16(units) {
                let c = c.map_err(|e| invalid(format!("bad UTF-16: {e}")))?;
                let mut bytes = [0u8; 4];
                self.pending
                    .extend_from_slice(c.encode_utf8(&mut bytes).as_bytes());
            }
            self.carry.drain(..take);
        }
        let n = buf.len().min(self.pending.len());
        buf[..n].copy_from_slice(&self.pending[..n]);
        self.pending.drain(..n);
        Ok(n)
    }
}

/// The primary language subtag, lower-cased: `it-IT` → `it`.
pub fn primary_language(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// Whether `primary_language(tag)` is `primary` (lower-case), without
/// making a string of it for every `<seg>`.
fn has_primary_language(tag: &str, primary: &str) -> bool {
    tag.split(['-', '_'])
        .next()
        .unwrap_or_default()
        .eq_ignore_ascii_case(primary)
}

/// Streams the units of a TMX document whose source and target languages
/// match `source_lang` and `target_lang` (primary subtags).
pub struct TmxReader<R: BufRead> {
    reader: Reader<R>,
    buf: Vec<u8>,
    source_lang: String,
    target_lang: String,
    started: bool,
    /// Units without both languages, skipped so far.
    pub skipped: usize,
}

/// Text and markup being collected for one `<seg>`.
struct Seg {
    text: String,
    /// The inner XML, started only once an inline element shows up: most
    /// segments are plain text and need none.
    markup: Option<Writer<Vec<u8>>>,
    /// What tells each code (by its id here) from the other side's.
    keys: Vec<String>,
    /// `<bpt>`s waiting for their `<ept>`: (`i`, id).
    open_pairs: Vec<(String, Option<u16>)>,
    /// `<hi>`s open: their ids.
    open_hi: Vec<Option<u16>>,
    /// Inside a code element: its content is native markup, not text.
    code_depth: usize,
}

impl Seg {
    fn start_markup(&mut self) -> Result<(), std::io::Error> {
        if self.markup.is_none() {
            let mut writer = Writer::new(Vec::new());
            // Before the first element the segment was plain text.
            writer.write_event(Event::Text(BytesText::new(&self.text)))?;
            self.markup = Some(writer);
        }
        Ok(())
    }

    /// A new code with `key`; none past the most a text can hold.
    fn new_code(&mut self, key: String) -> Option<u16> {
        let id = self.keys.len();
        (id < MAX_CODES).then(|| {
            self.keys.push(key);
            id as u16
        })
    }

    /// The key of the `n`th element `name` so far, for codes without `x`.
    fn nth(&self, name: &str) -> String {
        let n = self.keys.iter().filter(|k| k.starts_with(name)).count();
        format!("{name}#{n}")
    }

    fn push(&mut self, mark: Option<Mark>) {
        if let Some(mark) = mark {
            self.text.push(mark.char());
        }
    }
}

/// A read `<seg>`: its text with code marks, each code's key (by id), and
/// its inner XML when it holds inline elements.
struct ReadSeg {
    text: String,
    keys: Vec<String>,
    markup: Option<String>,
}

/// The target's codes renumbered as the source's: a code takes the id of the
/// source code with the same key, the others ids after the source's.
fn renumber(source: &ReadSeg, target: ReadSeg) -> String {
    if target.keys.is_empty() {
        return target.text;
    }
    let mut next = source.keys.len();
    let ids: Vec<Option<u16>> = target
        .keys
        .iter()
        .map(|key| match source.keys.iter().position(|k| k == key) {
            Some(id) => Some(id as u16),
            None => {
                next += 1;
                (next - 1 < MAX_CODES).then_some((next - 1) as u16)
            }
        })
        .collect();
    codes::renumber(&target.text, |mark| {
        ids.get(usize::from(mark.id())).copied().flatten()
    })
}

impl<R: BufRead> TmxReader<R> {
    /// A reader for `source`, keeping units in the two languages given.
    pub fn new(source: R, source_lang: &str, target_lang: &str) -> TmxReader<R> {
        let mut reader = Reader::from_reader(source);
        reader.config_mut().expand_empty_elements = true;
        TmxReader {
            reader,
            buf: Vec::new(),
            source_lang: primary_language(source_lang),
            target_lang: primary_language(target_lang),
            started: false,
            skipped: 0,
        }
    }

    /// Bytes read so far, for progress reports.
    pub fn position(&self) -> u64 {
        self.reader.buffer_position()
    }

    fn error(&self, e: impl std::fmt::Display) -> TmxError {
        xml_error(&self.reader, e)
    }

    /// The next event that matters to the caller, reduced to what it needs,
    /// so that no event has to be copied out of the read buffer.
    fn step(&mut self) -> Result<Step, TmxError> {
        self.buf.clear();
        let reader = &mut self.reader;
        let event = reader
            .read_event_into(&mut self.buf)
            .map_err(|e| TmxError::Xml {
                position: reader.error_position(),
                message: e.to_string(),
            })?;
        Ok(match event {
            Event::Start(e) => match e.local_name().as_ref() {
                b"tmx" => Step::Start(Tag::Tmx),
                b"tu" => {
                    let [tuid, created, changed, author, changed_by] = attrs(
                        reader,
                        &e,
                        [
                            "tuid",
                            "creationdate",
                            "changedate",
                            "creationid",
                            "changeid",
                        ],
                    )?;
                    Step::Tu {
                        tuid,
                        created,
                        changed,
                        author,
                        changed_by,
                    }
                }
                // `xml:lang` in TMX 1.4, `lang` in 1.1 files.
                b"tuv" => Step::Tuv(tuv_language(reader, &e)?),
                b"seg" => Step::Start(Tag::Seg),
                b"note" => Step::Start(Tag::Note),
                b"prop" => Step::Prop(attr(reader, &e, "type")?.unwrap_or_default()),
                other => Step::Start(Tag::Other(String::from_utf8_lossy(other).into_owned())),
            },
            Event::End(e) => match e.local_name().as_ref() {
                b"tu" => Step::End(Tag::Tu),
                b"tuv" => Step::End(Tag::Tuv),
                _ => Step::Other,
            },
            Event::DocType(d) => {
                if String::from_utf8_lossy(&d).contains("<!ENTITY") {
                    return Err(TmxError::EntityDeclaration);
                }
                Step::Other
            }
            Event::Eof => Step::Eof,
            _ => Step::Other,
        })
    }

    /// The next unit, `None` at the end of the document.
    pub fn next_unit(&mut self) -> Result<Option<TmxUnit>, TmxError> {
        loop {
            match self.step()? {
                Step::Start(tag) if !self.started => {
                    if tag != Tag::Tmx {
                        let name = match tag {
                            Tag::Other(name) => name,
                            _ => "?".into(),
                        };
                        return Err(TmxError::NotTmx(name));
                    }
                    self.started = true;
                }
                Step::Tu {
                    tuid,
                    created,
                    changed,
                    author,
                    changed_by,
                } if self.started => {
                    let unit = TmxUnit {
                        tuid,
                        created,
                        changed,
                        author,
                        changed_by,
                        ..TmxUnit::default()
                    };
                    if let Some(unit) = self.read_tu(unit)? {
                        return Ok(Some(unit));
                    }
                    self.skipped += 1;
                }
                Step::Tu { .. } | Step::Tuv(_) | Step::Prop(_) if !self.started => {
                    return Err(TmxError::NotTmx("tu".into()));
                }
                Step::Eof => {
                    if !self.started {
                        return Err(TmxError::NotTmx("(none)".into()));
                    }
                    return Ok(None);
                }
                _ => {}
            }
        }
    }

    fn read_tu(&mut self, mut unit: TmxUnit) -> Result<Option<TmxUnit>, TmxError> {
        let (mut source, mut target) = (None, None);
        let mut tuv_lang: Option<String> = None;
        loop {
            match self.step()? {
                Step::Tuv(lang) => tuv_lang = lang,
                Step::Start(Tag::Seg) => {
                    let seg = self.read_seg()?;
                    let is = |primary: &str| {
                        tuv_lang
                            .as_deref()
                            .is_some_and(|tag| has_primary_language(tag, primary))
                    };
                    if is(&self.source_lang) && source.is_none() {
                        source = Some(seg);
                    } else if is(&self.target_lang) && target.is_none() {
                        target = Some(seg);
                    }
                }
                Step::Start(Tag::Note) => {
                    let text = self.read_text(b"note")?;
                    let note = unit.note.get_or_insert_with(String::new);
                    if !note.is_empty() {
                        note.push('\n');
                    }
                    note.push_str(&text);
                }
                Step::Prop(kind) => {
                    let value = self.read_text(b"prop")?;
                    if tuv_lang.is_none() {
                        unit.props.push((kind, value));
                    }
                }
                Step::End(Tag::Tuv) => tuv_lang = None,
                Step::End(Tag::Tu) => break,
                Step::Eof => return Err(self.error("the file ends inside a <tu>")),
                _ => {}
            }
        }
        let (Some(source), Some(mut target)) = (source, target) else {
            return Ok(None);
        };
        let target_markup = target.markup.take();
        let target_text = renumber(&source, target);
        let blank = |text: &str| text.chars().all(|c| c.is_whitespace() || codes::is_code(c));
        if blank(&source.text) || blank(&target_text) {
            return Ok(None);
        }
        unit.source = source.text;
        unit.target = target_text;
        unit.source_markup = source.markup;
        unit.target_markup = target_markup;
        Ok(Some(unit))
    }

    fn read_text(&mut self, end: &[u8]) -> Result<String, TmxError> {
        let mut text = String::new();
        loop {
            self.buf.clear();
            let reader = &mut self.reader;
            match reader
                .read_event_into(&mut self.buf)
                .map_err(|e| xml_error(reader, e))?
            {
                Event::Text(t) => text.push_str(&t.unescape().map_err(|e| xml_error(reader, e))?),
                Event::CData(t) => text.push_str(&String::from_utf8_lossy(&t)),
                Event::End(e) if e.local_name().as_ref() == end => return Ok(text),
                Event::Eof => return Err(xml_error(reader, "the file ends inside an element")),
                _ => {}
            }
        }
    }

    /// Reads a `<seg>`: its text with code marks, and its inner XML when it
    /// holds inline elements.
    fn read_seg(&mut self) -> Result<ReadSeg, TmxError> {
        let mut seg = Seg {
            text: String::new(),
            markup: None,
            keys: Vec::new(),
            open_pairs: Vec::new(),
            open_hi: Vec::new(),
            code_depth: 0,
        };
        let mut depth = 0usize;
        loop {
            self.buf.clear();
            let reader = &mut self.reader;
            let event = reader
                .read_event_into(&mut self.buf)
                .map_err(|e| xml_error(reader, e))?;
            match &event {
                Event::Start(e) => {
                    depth += 1;
                    seg.start_markup()?;
                    let name = e.local_name();
                    let name = name.as_ref();
                    if seg.code_depth > 0 {
                        seg.code_depth += usize::from(is_code(name));
                    } else if is_code(name) {
                        seg.code_depth = 1;
                        let x = attr(reader, e, "x")?.map(|x| format!("x{x}"));
                        let i = attr(reader, e, "i")?.unwrap_or_default();
                        let mark = match name {
                            b"bpt" => {
                                let id = seg.new_code(x.unwrap_or_else(|| format!("i{i}")));
                                seg.open_pairs.push((i, id));
                                id.map(Mark::Open)
                            }
                            b"ept" => match seg.open_pairs.iter().position(|(j, _)| *j == i) {
                                Some(at) => seg.open_pairs.remove(at).1.map(Mark::Close),
                                // The end of a code begun before this segment.
                                None => seg.new_code(format!("i{i}")).map(Mark::Close),
                            },
                            _ => {
                                let name = String::from_utf8_lossy(name).into_owned();
                                let pos = attr(reader, e, "pos")?;
                                let key = x.unwrap_or_else(|| seg.nth(&name));
                                seg.new_code(key).map(|id| match pos.as_deref() {
                                    Some("begin") if name == "it" => Mark::Open(id),
                                    Some("end") if name == "it" => Mark::Close(id),
                                    _ => Mark::Standalone(id),
                                })
                            }
                        };
                        seg.push(mark);
                    } else if name == b"hi" {
                        let key = match attr(reader, e, "x")? {
                            Some(x) => format!("x{x}"),
                            None => seg.nth("hi"),
                        };
                        let id = seg.new_code(key);
                        seg.open_hi.push(id);
                        seg.push(id.map(Mark::Open));
                    }
                }
                Event::End(e) => {
                    if depth == 0 {
                        break;
                    }
                    depth -= 1;
                    let name = e.local_name();
                    if seg.code_depth > 0 {
                        seg.code_depth -= usize::from(is_code(name.as_ref()));
                    } else if name.as_ref() == b"hi" {
                        let id = seg.open_hi.pop().flatten();
                        seg.push(id.map(Mark::Close));
                    }
                }
                Event::Text(t) if seg.code_depth == 0 => {
                    let text = t.unescape().map_err(|e| xml_error(reader, e))?;
                    push_text(&mut seg.text, &text);
                }
                Event::CData(t) if seg.code_depth == 0 => {
                    push_text(&mut seg.text, &String::from_utf8_lossy(t));
                }
                Event::Eof => return Err(xml_error(reader, "the file ends inside a <seg>")),
                _ => {}
            }
            if let Some(markup) = seg.markup.as_mut() {
                markup
                    .write_event(event)
                    .map_err(|e| xml_error(reader, e))?;
            }
        }
        let markup = seg
            .markup
            .map(|m| String::from_utf8_lossy(&m.into_inner()).into_owned());
        Ok(ReadSeg {
            text: seg.text,
            keys: seg.keys,
            markup,
        })
    }
}

/// The source and target text of a unit whose `<seg>`s hold `source_xml`
/// and `target_xml` (inner XML, as `TmxUnit` keeps it), read as a unit of a
/// file is; `None` if that unit would be skipped.
pub fn read_segs(source_xml: &str, target_xml: &str) -> Result<Option<(String, String)>, TmxError> {
    let xml = format!(
        r#"<tmx version="1.4"><body><tu><tuv xml:lang="it"><seg>{source_xml}</seg></tuv><tuv xml:lang="en"><seg>{target_xml}</seg></tuv></tu></body></tmx>"#
    );
    let unit = TmxReader::new(xml.as_bytes(), "it", "en").next_unit()?;
    Ok(unit.map(|u| (u.source, u.target)))
}

/// Appends text read from the file, without any character that would pose
/// as a code (checked on bytes first: code characters start with 0xEE or
/// 0xEF in UTF-8, and most text has neither).
fn push_text(out: &mut String, text: &str) {
    if text.bytes().any(|b| b & 0xFE == 0xEE) {
        out.push_str(&codes::sanitize(text));
    } else {
        out.push_str(text);
    }
}

/// The inner XML of a `<seg>` for `text`: its codes as `<bpt>`/`<ept>` (a
/// pair in the text), `<it pos="begin|end">` (one end of a code whose other
/// end is in another segment) and `<ph>`, numbered from 1 by id, with
/// `native(mark)` as each one's native code (escaped here); the rest escaped.
pub fn inline_xml(text: &str, native: impl Fn(Mark) -> String) -> String {
    let marks: Vec<Mark> = codes::marks(text).collect();
    let mut out = String::with_capacity(text.len() + 32 * marks.len());
    let mut plain = String::new();
    let flush = |plain: &mut String, out: &mut String| {
        out.push_str(&quick_xml::escape::escape(plain.as_str()));
        plain.clear();
    };
    for c in text.chars() {
        let Some(mark) = Mark::of(c) else {
            plain.push(c);
            continue;
        };
        flush(&mut plain, &mut out);
        let n = u32::from(mark.id()) + 1;
        let content = quick_xml::escape::escape(native(mark)).into_owned();
        let element = match mark {
            Mark::Open(id) if marks.contains(&Mark::Close(id)) => {
                format!("<bpt i=\"{n}\" x=\"{n}\">{content}</bpt>")
            }
            Mark::Close(id) if marks.contains(&Mark::Open(id)) => {
                format!("<ept i=\"{n}\">{content}</ept>")
            }
            Mark::Open(_) => format!("<it pos=\"begin\" x=\"{n}\">{content}</it>"),
            Mark::Close(_) => format!("<it pos=\"end\" x=\"{n}\">{content}</it>"),
            Mark::Standalone(_) => format!("<ph x=\"{n}\">{content}</ph>"),
        };
        out.push_str(&element);
    }
    flush(&mut plain, &mut out);
    out
}

/// Elements of a `<seg>` that stand for native codes rather than text.
fn is_code(name: &[u8]) -> bool {
    matches!(name, b"bpt" | b"ept" | b"ph" | b"it" | b"ut")
}

fn xml_error<R>(reader: &Reader<R>, e: impl std::fmt::Display) -> TmxError {
    TmxError::Xml {
        position: reader.error_position(),
        message: e.to_string(),
    }
}

fn attr<R>(reader: &Reader<R>, e: &BytesStart<'_>, name: &str) -> Result<Option<String>, TmxError> {
    let [value] = attrs(reader, e, [name])?;
    Ok(value)
}

/// The values of the attributes `names` (each the first by that name or
/// local name), read in one pass over the element's attributes.
fn attrs<R, const N: usize>(
    reader: &Reader<R>,
    e: &BytesStart<'_>,
    names: [&str; N],
) -> Result<[Option<String>; N], TmxError> {
    let mut values = [const { None }; N];
    for a in e.attributes() {
        let a = a.map_err(|e| xml_error(reader, e))?;
        let (key, local) = (a.key.as_ref(), a.key.local_name());
        for (name, value) in names.iter().zip(values.iter_mut()) {
            if value.is_none() && (key == name.as_bytes() || local.as_ref() == name.as_bytes()) {
                let decoded = a
                    .decode_and_unescape_value(reader.decoder())
                    .map_err(|e| xml_error(reader, e))?;
                *value = Some(decoded.into_owned());
            }
        }
    }
    Ok(values)
}

/// A `<tuv>`'s language: `xml:lang` in TMX 1.4, `lang` in 1.1 files, each
/// the first attribute by that name or local name. The local name of
/// `xml:lang` is `lang`: that one attribute is decoded once, not twice.
fn tuv_language<R>(reader: &Reader<R>, e: &BytesStart<'_>) -> Result<Option<String>, TmxError> {
    let (mut xml_lang, mut lang) = (None, None);
    let mut lang_seen = false;
    for a in e.attributes() {
        let a = a.map_err(|e| xml_error(reader, e))?;
        let (key, local) = (a.key.as_ref(), a.key.local_name());
        let is_xml_lang =
            xml_lang.is_none() && (key == b"xml:lang" || local.as_ref() == b"xml:lang");
        let is_lang = !lang_seen && (key == b"lang" || local.as_ref() == b"lang");
        if !is_xml_lang && !is_lang {
            continue;
        }
        let value = a
            .decode_and_unescape_value(reader.decoder())
            .map_err(|e| xml_error(reader, e))?
            .into_owned();
        lang_seen |= is_lang;
        if is_xml_lang {
            xml_lang = Some(value);
        } else {
            lang = Some(value);
        }
    }
    Ok(xml_lang.or(lang))
}

/// Elements the reader tells apart.
#[derive(Debug, PartialEq, Eq)]
enum Tag {
    Tmx,
    Tu,
    Tuv,
    Seg,
    Note,
    Other(String),
}

/// One event, reduced to what the reader needs from it.
enum Step {
    Start(Tag),
    End(Tag),
    Tu {
        tuid: Option<String>,
        created: Option<String>,
        changed: Option<String>,
        author: Option<String>,
        changed_by: Option<String>,
    },
    Tuv(Option<String>),
    Prop(String),
    Eof,
    Other,
}

impl<R: BufRead> Iterator for TmxReader<R> {
    type Item = Result<TmxUnit, TmxError>;
    fn next(&mut self) -> Option<Self::Item> {
        self.next_unit().transpose()
    }
}

/// Writes TMX 1.4b, one unit at a time.
pub struct TmxWriter<W: Write> {
    writer: Writer<W>,
    source_lang: String,
    target_lang: String,
}

impl<W: Write> TmxWriter<W> {
    /// Writes the header; `source_lang`/`target_lang` are written on each `<tuv>`.
    pub fn new(out: W, source_lang: &str, target_lang: &str) -> std::io::Result<TmxWriter<W>> {
        // No indentation: whitespace written inside <seg> would become text.
        let mut writer = Writer::new(out);
        writer
            .get_mut()
            .write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")?;
        writer.write_event(Event::Start(
            BytesStart::new("tmx").with_attributes([("version", "1.4")]),
        ))?;
        writer.write_event(Event::Empty(BytesStart::new("header").with_attributes([
            ("creationtool", "Interlinea"),
            ("creationtoolversion", env!("CARGO_PKG_VERSION")),
            ("segtype", "sentence"),
            ("o-tmf", "interlinea"),
            ("adminlang", "en"),
            ("srclang", source_lang),
            ("datatype", "plaintext"),
        ])))?;
        writer.write_event(Event::Start(BytesStart::new("body")))?;
        writer.get_mut().write_all(b"\n")?;
        Ok(TmxWriter {
            writer,
            source_lang: source_lang.to_string(),
            target_lang: target_lang.to_string(),
        })
    }

    /// Writes one `<tu>`.
    pub fn write_unit(&mut self, unit: &TmxUnit) -> std::io::Result<()> {
        let mut tu = BytesStart::new("tu");
        for (name, value) in [
            ("tuid", &unit.tuid),
            ("creationdate", &unit.created),
            ("creationid", &unit.author),
            ("changedate", &unit.changed),
            ("changeid", &unit.changed_by),
        ] {
            if let Some(value) = value {
                tu.push_attribute((name, value.as_str()));
            }
        }
        let w = &mut self.writer;
        w.write_event(Event::Start(tu))?;
        if let Some(note) = &unit.note {
            w.write_event(Event::Start(BytesStart::new("note")))?;
            w.write_event(Event::Text(BytesText::new(note)))?;
            w.write_event(Event::End(BytesEnd::new("note")))?;
        }
        for (kind, value) in &unit.props {
            w.write_event(Event::Start(
                BytesStart::new("prop").with_attributes([("type", kind.as_str())]),
            ))?;
            w.write_event(Event::Text(BytesText::new(value)))?;
            w.write_event(Event::End(BytesEnd::new("prop")))?;
        }
        let sides = [
            (&self.source_lang, &unit.source, &unit.source_markup),
            (&self.target_lang, &unit.target, &unit.target_markup),
        ];
        for (lang, text, markup) in sides {
            w.write_event(Event::Start(
                BytesStart::new("tuv").with_attributes([("xml:lang", lang.as_str())]),
            ))?;
            w.write_event(Event::Start(BytesStart::new("seg")))?;
            match markup {
                // Inner XML read from a TMX file by this module, or made by
                // `inline_xml`: well-formed.
                Some(markup) => w.get_mut().write_all(markup.as_bytes())?,
                None if codes::has_codes(text) => w
                    .get_mut()
                    .write_all(inline_xml(text, |_| String::new()).as_bytes())?,
                None => w.write_event(Event::Text(BytesText::new(text)))?,
            }
            w.write_event(Event::End(BytesEnd::new("seg")))?;
            w.write_event(Event::End(BytesEnd::new("tuv")))?;
        }
        w.write_event(Event::End(BytesEnd::new("tu")))?;
        w.get_mut().write_all(b"\n")?;
        Ok(())
    }

    /// Closes the document and returns the output.
    pub fn finish(mut self) -> std::io::Result<W> {
        self.writer.write_event(Event::End(BytesEnd::new("body")))?;
        self.writer.write_event(Event::End(BytesEnd::new("tmx")))?;
        let mut out = self.writer.into_inner();
        out.write_all(b"\n")?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests;
