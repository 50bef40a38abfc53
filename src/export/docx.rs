//! The bilingual review document (DOCX): one table with segment id,
//! Italian, English, status, match and an empty comment column, for a
//! reviewer who works in Word or LibreOffice. [`crate::review`] reads it
//! back.
//!
//! The package is the smallest WordprocessingML that Word and LibreOffice
//! open without repair: content types, relationships, document, styles,
//! footer and document properties.

use std::io::{Seek, Write};

use zip::write::SimpleFileOptions;
use zip::ZipWriter;

use super::ExportError;
use crate::store::{SegmentRow, Workspace};

/// Column headings, in order. The reader finds columns by these names, so
/// a reviewer may delete or move the ones it does not need.
pub const HEADINGS: [&str; 6] = ["ID", "Italian", "English", "Status", "Match", "Comment"];

/// Column widths in twentieths of a point; they fill a landscape A4 page
/// within 2 cm margins (16838 − 2 × 1134 = 14570).
const WIDTHS: [u32; 6] = [760, 4900, 4900, 1150, 1000, 1860];
const PAGE_WIDTH: u32 = 16838;
const PAGE_HEIGHT: u32 = 11906;
const MARGIN: u32 = 1134;

/// Shading of the columns the reviewer reads but does not edit.
const READ_ONLY_FILL: &str = "F2F2F2";
const HEADER_FILL: &str = "D9D9D9";

/// Writes the review document of `doc_id`; returns how many segments it
/// lists (the translatable ones).
pub fn review_docx<W: Write + Seek>(
    ws: &Workspace,
    doc_id: i64,
    out: W,
) -> Result<usize, ExportError> {
    let document = ws.document(doc_id)?;
    let segments: Vec<SegmentRow> = ws
        .segments(doc_id)?
        .into_iter()
        .filter(|s| s.translatable.is_translatable())
        .collect();
    let mut zip = ZipWriter::new(out);
    let options = SimpleFileOptions::default();
    let parts: [(&str, String); 8] = [
        ("[Content_Types].xml", CONTENT_TYPES.to_string()),
        ("_rels/.rels", PACKAGE_RELS.to_string()),
        ("docProps/core.xml", core_properties(&document.name)),
        ("docProps/app.xml", APP_PROPERTIES.to_string()),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS.to_string()),
        ("word/styles.xml", STYLES.to_string()),
        ("word/footer1.xml", footer(&document.name)),
        ("word/document.xml", body(&document.name, &segments)),
    ];
    for (name, xml) in parts {
        zip.start_file(name, options).map_err(zip_error)?;
        zip.write_all(xml.as_bytes())?;
    }
    zip.finish().map_err(zip_error)?;
    Ok(segments.len())
}

fn zip_error(e: zip::result::ZipError) -> ExportError {
    ExportError::Io(std::io::Error::other(e))
}

/// Escapes text for XML and drops the characters XML 1.0 cannot carry
/// (C0 controls other than tab and line ends), which Word refuses.
fn xml_text(text: &str) -> String {
    let kept: String = text
        .chars()
        .filter(|&c| !matches!(c, '\0'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}'))
        .collect();
    quick_xml::escape::escape(&kept).into_owned()
}

/// Runs for `text` in language `lang`; tabs and line breaks become Word's.
fn runs(text: &str, lang: &str, bold: bool) -> String {
    let mut properties = String::new();
    if bold {
        properties.push_str("<w:b/>");
    }
    properties.push_str(&format!("<w:lang w:val=\"{lang}\"/>"));
    let mut out = format!("<w:r><w:rPr>{properties}</w:rPr>");
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push_str("<w:br/>");
        }
        for (j, piece) in line.split('\t').enumerate() {
            if j > 0 {
                out.push_str("<w:tab/>");
            }
            if !piece.is_empty() {
                out.push_str(&format!(
                    "<w:t xml:space=\"preserve\">{}</w:t>",
                    xml_text(piece)
                ));
            }
        }
    }
    out.push_str("</w:r>");
    out
}

fn cell(column: usize, fill: Option<&str>, text: &str, lang: &str, bold: bool) -> String {
    let shading = fill
        .map(|f| format!("<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"{f}\"/>"))
        .unwrap_or_default();
    format!(
        "<w:tc><w:tcPr><w:tcW w:w=\"{}\" w:type=\"dxa\"/>{shading}</w:tcPr><w:p>{}</w:p></w:tc>",
        WIDTHS[column],
        runs(text, lang, bold)
    )
}

/// What the segment's translation came from, as the reviewer should see it.
fn origin(segment: &SegmentRow) -> String {
    match segment.match_score {
        Some(101) => "TM 101% (context)".into(),
        Some(score) => format!("TM {score}%"),
        None => String::new(),
    }
}

fn body(name: &str, segments: &[SegmentRow]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><w:body>",
    );
    out.push_str(&format!(
        "<w:p><w:pPr><w:pStyle w:val=\"Title\"/></w:pPr>{}</w:p>",
        runs(name, "it-IT", false)
    ));
    out.push_str(&format!(
        "<w:p><w:pPr><w:spacing w:after=\"160\"/></w:pPr>{}</w:p>",
        runs(
            &format!(
                "Italian → English, {} segments. Correct the English and write remarks in the Comment column; \
                 leave the ID and Italian columns as they are, so the review can be imported back.",
                segments.len()
            ),
            "en-GB",
            false
        )
    ));
    let total: u32 = WIDTHS.iter().sum();
    out.push_str(&format!(
        "<w:tbl><w:tblPr><w:tblW w:w=\"{total}\" w:type=\"dxa\"/><w:tblBorders>\
         <w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"999999\"/>\
         <w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"999999\"/>\
         <w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"999999\"/>\
         <w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"999999\"/>\
         <w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"999999\"/>\
         <w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"999999\"/>\
         </w:tblBorders><w:tblLayout w:type=\"fixed\"/><w:tblCellMar>\
         <w:top w:w=\"40\" w:type=\"dxa\"/><w:left w:w=\"80\" w:type=\"dxa\"/>\
         <w:bottom w:w=\"40\" w:type=\"dxa\"/><w:right w:w=\"80\" w:type=\"dxa\"/>\
         </w:tblCellMar></w:tblPr><w:tblGrid>"
    ));
    for width in WIDTHS {
        out.push_str(&format!("<w:gridCol w:w=\"{width}\"/>"));
    }
    out.push_str("</w:tblGrid>");
    // The heading row repeats on every page and, like every row, is not
    // cut across a page break.
    out.push_str("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>");
    for (column, heading) in HEADINGS.iter().enumerate() {
        out.push_str(&cell(column, Some(HEADER_FILL), heading, "en-GB", true));
    }
    out.push_str("</w:tr>");
    for segment in segments {
        out.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        let fill = Some(READ_ONLY_FILL);
        out.push_str(&cell(0, fill, &segment.id.to_string(), "en-GB", false));
        out.push_str(&cell(1, fill, &segment.source, "it-IT", false));
        out.push_str(&cell(2, None, &segment.target, "en-GB", false));
        out.push_str(&cell(3, None, segment.status.as_str(), "en-GB", false));
        out.push_str(&cell(4, fill, &origin(segment), "en-GB", false));
        let note = segment.note.as_deref().unwrap_or("");
        out.push_str(&cell(5, None, note, "en-GB", false));
        out.push_str("</w:tr>");
    }
    out.push_str(&format!(
        "</w:tbl><w:p/><w:sectPr><w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/>\
         <w:pgSz w:w=\"{PAGE_WIDTH}\" w:h=\"{PAGE_HEIGHT}\" w:orient=\"landscape\"/>\
         <w:pgMar w:top=\"{MARGIN}\" w:right=\"{MARGIN}\" w:bottom=\"{MARGIN}\" w:left=\"{MARGIN}\" \
         w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>"
    ));
    out
}

fn footer(name: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:ftr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:p><w:pPr><w:jc w:val=\"right\"/></w:pPr>{}\
         <w:fldSimple w:instr=\" PAGE \"><w:r><w:t>1</w:t></w:r></w:fldSimple>\
         <w:r><w:t xml:space=\"preserve\"> / </w:t></w:r>\
         <w:fldSimple w:instr=\" NUMPAGES \"><w:r><w:t>1</w:t></w:r></w:fldSimple></w:p></w:ftr>",
        runs(&format!("{name} · review · page "), "en-GB", false)
    )
}

fn core_properties(name: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\
         <dc:title>{} (review)</dc:title><dc:creator>Interlinea</dc:creator><dc:language>en</dc:language>\
         </cp:coreProperties>",
        xml_text(name)
    )
}

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
<Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>\
<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>\
</Types>";

const PACKAGE_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>\
</Relationships>";

const DOCUMENT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rIdStyles\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
<Relationship Id=\"rIdFooter\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>\
</Relationships>";

const APP_PROPERTIES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">\
<Application>Interlinea</Application></Properties>";

const STYLES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:docDefaults><w:rPrDefault><w:rPr>\
<w:rFonts w:ascii=\"Calibri\" w:hAnsi=\"Calibri\" w:eastAsia=\"Calibri\" w:cs=\"Calibri\"/>\
<w:sz w:val=\"20\"/><w:szCs w:val=\"20\"/><w:lang w:val=\"en-GB\"/>\
</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"259\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>\
<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:spacing w:after=\"120\"/></w:pPr><w:rPr><w:b/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/></w:rPr></w:style>\
<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/>\
<w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/>\
<w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>\
</w:styles>";
