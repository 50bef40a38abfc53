//! XLIFF 1.2 and 2.0 export of a document: one unit per segment, grouped
//! by block; blocks that are not translated are marked `translate="no"`;
//! segment statuses become XLIFF states.

use super::ExportError;
use crate::store::{BlockRow, SegmentRow, Status, Workspace};

fn escape(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
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
fn state_2_0(segment: &SegmentRow) -> &'static str {
    match segment.status {
        _ if segment.target.is_empty() => "initial",
        Status::New | Status::Draft => "initial",
        Status::Translated => "translated",
        Status::Approved => "final",
    }
}

fn blocks(ws: &Workspace, doc_id: i64) -> Result<(String, Vec<BlockRow>), ExportError> {
    let document = ws.document(doc_id)?;
    Ok((document.name, ws.blocks(doc_id)?))
}

/// The document as XLIFF 1.2 (valid against the strict core schema).
pub fn xliff_1_2(ws: &Workspace, doc_id: i64) -> Result<String, ExportError> {
    let (name, blocks) = blocks(ws, doc_id)?;
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\">\n\
         \x20 <file original=\"{}\" source-language=\"it\" target-language=\"en\" datatype=\"plaintext\">\n\
         \x20   <body>\n",
        escape(&name)
    );
    for block in &blocks {
        let translate = if block.translatable.is_translatable() {
            "yes"
        } else {
            "no"
        };
        out.push_str(&format!(
            "      <group id=\"b{}\" restype=\"x-{}\" translate=\"{translate}\">\n",
            block.position,
            block.kind.code()
        ));
        for segment in &block.segments {
            let approved = if segment.status == Status::Approved {
                " approved=\"yes\""
            } else {
                ""
            };
            out.push_str(&format!(
                "        <trans-unit id=\"{}\" translate=\"{translate}\"{approved}>\n          <source xml:lang=\"it\">{}</source>\n",
                segment.id,
                escape(&segment.source)
            ));
            if !segment.target.is_empty() {
                out.push_str(&format!(
                    "          <target xml:lang=\"en\" state=\"{}\">{}</target>\n",
                    state_1_2(segment.status),
                    escape(&segment.target)
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
    Ok(out)
}

/// The document as XLIFF 2.0 (valid against the core schema).
pub fn xliff_2_0(ws: &Workspace, doc_id: i64) -> Result<String, ExportError> {
    let (name, blocks) = blocks(ws, doc_id)?;
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <xliff xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" version=\"2.0\" srcLang=\"it\" trgLang=\"en\">\n\
         \x20 <file id=\"f1\" original=\"{}\">\n",
        escape(&name)
    );
    for block in &blocks {
        let translate = if block.translatable.is_translatable() {
            "yes"
        } else {
            "no"
        };
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
                escape(&segment.source)
            ));
            if !segment.target.is_empty() {
                out.push_str(&format!(
                    "          <target>{}</target>\n",
                    escape(&segment.target)
                ));
            }
            out.push_str("        </segment>\n      </unit>\n");
        }
        out.push_str("    </group>\n");
    }
    out.push_str("  </file>\n</xliff>\n");
    Ok(out)
}
