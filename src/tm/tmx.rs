//! TMX 1.4b reading (streaming, one unit at a time) and writing.
//!
//! Inline codes (`<bpt>`, `<ept>`, `<ph>`, `<it>`) become numbered
//! placeholders `⟨1⟩` in the plain text used for matching; the segment's
//! inline XML is kept beside it so export gives the codes back unchanged.

use std::io::{BufRead, Write};

use quick_xml::events::{BytesEnd, BytesStart, BytesText, Event};
use quick_xml::{Reader, Writer};

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
    /// Source text, inline codes as placeholders.
    pub source: String,
    /// Target text, inline codes as placeholders.
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
        _ => return Ok(Box::new(input)),
    };
    input.consume(2);
    Ok(Box::new(std::io::BufReader::new(Utf16Reader {
        input,
        big_endian,
        pending: Vec::new(),
    })))
}

/// Decodes UTF-16 into UTF-8 bytes as they are read.
struct Utf16Reader<R> {
    input: R,
    big_endian: bool,
    /// UTF-8 bytes decoded but not handed out yet.
    pending: Vec<u8>,
}

impl<R: BufRead> std::io::Read for Utf16Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.pending.is_empty() {
            let chunk = self.input.fill_buf()?;
            if chunk.is_empty() {
                return Ok(0);
            }
            // Whole code units only; keep a surrogate pair together.
            let mut take = chunk.len() & !1;
            if take == 0 {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    "UTF-16 file with an odd number of bytes",
                ));
            }
            let unit = |i: usize| {
                let pair = [chunk[i], chunk[i + 1]];
                if self.big_endian {
                    u16::from_be_bytes(pair)
                } else {
                    u16::from_le_bytes(pair)
                }
            };
            if (0xD800..0xDC00).contains(&unit(take - 2)) && take < chunk.len() {
                take -= 2;
            }
            let units: Vec<u16> = (0..take).step_by(2).map(unit).collect();
            for c in char::decode_utf16(units) {
                let c = c.map_err(|e| {
                    std::io::Error::new(std::io::ErrorKind::InvalidData, format!("bad UTF-16: {e}"))
                })?;
                let mut bytes = [0u8; 4];
                self.pending
                    .extend_from_slice(c.encode_utf8(&mut bytes).as_bytes());
            }
            self.input.consume(take);
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
    n_codes: usize,
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
        TmxError::Xml {
            position: self.reader.error_position(),
            message: e.to_string(),
        }
    }

    fn next_event(&mut self) -> Result<Event<'static>, TmxError> {
        self.buf.clear();
        let event = self
            .reader
            .read_event_into(&mut self.buf)
            .map_err(|e| TmxError::Xml {
                position: self.reader.error_position(),
                message: e.to_string(),
            })?;
        Ok(event.into_owned())
    }

    /// The next unit, `None` at the end of the document.
    pub fn next_unit(&mut self) -> Result<Option<TmxUnit>, TmxError> {
        loop {
            match self.next_event()? {
                Event::DocType(d) if String::from_utf8_lossy(&d).contains("<!ENTITY") => {
                    return Err(TmxError::EntityDeclaration);
                }
                Event::Start(e) => {
                    let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                    if !self.started {
                        if name != "tmx" {
                            return Err(TmxError::NotTmx(name));
                        }
                        self.started = true;
                    } else if name == "tu" {
                        if let Some(unit) = self.read_tu(&e)? {
                            return Ok(Some(unit));
                        }
                        self.skipped += 1;
                    }
                }
                Event::Eof => {
                    if !self.started {
                        return Err(TmxError::NotTmx("(none)".into()));
                    }
                    return Ok(None);
                }
                _ => {}
            }
        }
    }

    fn attr(&self, e: &BytesStart<'_>, name: &str) -> Result<Option<String>, TmxError> {
        for a in e.attributes() {
            let a = a.map_err(|e| self.error(e))?;
            let key = a.key.as_ref();
            let local = a.key.local_name();
            if key == name.as_bytes() || local.as_ref() == name.as_bytes() {
                let value = a
                    .decode_and_unescape_value(self.reader.decoder())
                    .map_err(|e| self.error(e))?;
                return Ok(Some(value.into_owned()));
            }
        }
        Ok(None)
    }

    fn read_tu(&mut self, tu: &BytesStart<'_>) -> Result<Option<TmxUnit>, TmxError> {
        let mut unit = TmxUnit {
            tuid: self.attr(tu, "tuid")?,
            created: self.attr(tu, "creationdate")?,
            changed: self.attr(tu, "changedate")?,
            author: self.attr(tu, "creationid")?,
            ..TmxUnit::default()
        };
        let (mut source, mut target) = (None, None);
        let mut tuv_lang: Option<String> = None;
        loop {
            match self.next_event()? {
                Event::Start(e) => match e.local_name().as_ref() {
                    b"tuv" => {
                        // `xml:lang` in TMX 1.4, `lang` in 1.1 files.
                        tuv_lang = self.attr(&e, "xml:lang")?.or(self.attr(&e, "lang")?);
                    }
                    b"seg" => {
                        let seg = self.read_seg()?;
                        let lang = tuv_lang.as_deref().map(primary_language);
                        if lang.as_deref() == Some(self.source_lang.as_str()) && source.is_none() {
                            source = Some(seg);
                        } else if lang.as_deref() == Some(self.target_lang.as_str())
                            && target.is_none()
                        {
                            target = Some(seg);
                        }
                    }
                    b"note" => {
                        let text = self.read_text(b"note")?;
                        let note = unit.note.get_or_insert_with(String::new);
                        if !note.is_empty() {
                            note.push('\n');
                        }
                        note.push_str(&text);
                    }
                    b"prop" if tuv_lang.is_none() => {
                        let kind = self.attr(&e, "type")?.unwrap_or_default();
                        let value = self.read_text(b"prop")?;
                        unit.props.push((kind, value));
                    }
                    _ => {}
                },
                Event::End(e) => match e.local_name().as_ref() {
                    b"tuv" => tuv_lang = None,
                    b"tu" => break,
                    _ => {}
                },
                Event::Eof => return Err(self.error("the file ends inside a <tu>")),
                _ => {}
            }
        }
        let (Some((source, source_markup)), Some((target, target_markup))) = (source, target)
        else {
            return Ok(None);
        };
        if source.trim().is_empty() || target.trim().is_empty() {
            return Ok(None);
        }
        unit.source = source;
        unit.target = target;
        unit.source_markup = source_markup;
        unit.target_markup = target_markup;
        Ok(Some(unit))
    }

    fn read_text(&mut self, end: &[u8]) -> Result<String, TmxError> {
        let mut text = String::new();
        loop {
            match self.next_event()? {
                Event::Text(t) => text.push_str(&t.unescape().map_err(|e| self.error(e))?),
                Event::CData(t) => text.push_str(&String::from_utf8_lossy(&t)),
                Event::End(e) if e.local_name().as_ref() == end => return Ok(text),
                Event::Eof => return Err(self.error("the file ends inside an element")),
                _ => {}
            }
        }
    }

    /// Reads a `<seg>`: its text with placeholders, and its inner XML when it
    /// holds inline codes.
    fn read_seg(&mut self) -> Result<(String, Option<String>), TmxError> {
        let mut seg = Seg {
            text: String::new(),
            markup: None,
            n_codes: 0,
            code_depth: 0,
        };
        let mut depth = 0usize;
        loop {
            let event = self.next_event()?;
            match &event {
                Event::Start(e) => {
                    depth += 1;
                    let name = e.local_name();
                    if matches!(name.as_ref(), b"bpt" | b"ept" | b"ph" | b"it" | b"ut") {
                        seg.start_markup()?;
                        if seg.code_depth == 0 {
                            seg.n_codes += 1;
                            seg.text.push_str(&format!("⟨{}⟩", seg.n_codes));
                        }
                        seg.code_depth += 1;
                    } else {
                        seg.start_markup()?;
                    }
                }
                Event::End(e) => {
                    if depth == 0 {
                        break;
                    }
                    depth -= 1;
                    if matches!(
                        e.local_name().as_ref(),
                        b"bpt" | b"ept" | b"ph" | b"it" | b"ut"
                    ) {
                        seg.code_depth -= 1;
                    }
                }
                Event::Text(t) if seg.code_depth == 0 => {
                    seg.text.push_str(&t.unescape().map_err(|e| self.error(e))?);
                }
                Event::CData(t) if seg.code_depth == 0 => {
                    seg.text.push_str(&String::from_utf8_lossy(t));
                }
                Event::Eof => return Err(self.error("the file ends inside a <seg>")),
                _ => {}
            }
            if let Some(markup) = seg.markup.as_mut() {
                markup.write_event(event).map_err(|e| self.error(e))?;
            }
        }
        let markup = seg
            .markup
            .map(|m| String::from_utf8_lossy(&m.into_inner()).into_owned());
        Ok((seg.text, markup))
    }
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
                // Inner XML read from a TMX file by this module: well-formed.
                Some(markup) => w.get_mut().write_all(markup.as_bytes())?,
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
