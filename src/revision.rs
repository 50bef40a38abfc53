//! A later version of an article (the outlet updated it) brought into a
//! document without losing the work done on the earlier one.
//!
//! The old and new segment sequences are aligned with a diff over their
//! Italian (the `similar` crate). Equal runs keep their segments — English,
//! status, note and id. Inside a changed run, old and new segments are
//! paired in order where their TM match score is at least
//! [`EDIT_MIN_SCORE`]: such a new segment is *edited* and carries the old
//! Italian and its English as a match of that score; the other new segments
//! are *new* and the other old ones *removed* (listed, with their English).

use similar::{capture_diff_slices, Algorithm, DiffTag};

use crate::store::news::{Carried, RevisionPlan};
use crate::store::{SegmentRow, SegmentedBlock};
use crate::text::score::{score, Scored};

/// Least score for a new segment to count as an edit of an old one rather
/// than as a new sentence: the TM's lowest fuzzy band.
pub const EDIT_MIN_SCORE: u32 = 50;

/// Italian compared for equality: spacing and inline codes are not edits.
fn key(source: &str) -> String {
    crate::text::codes::strip(source)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Aligns the old document's segments with the new version's blocks.
/// A new block made only of kept segments keeps the old block's choice of
/// being translated or not (the translator may have skipped it).
pub fn plan(old: &[SegmentRow], mut new_blocks: Vec<SegmentedBlock>) -> RevisionPlan {
    let old_keys: Vec<String> = old.iter().map(|s| key(&s.source)).collect();
    let new_keys: Vec<String> = new_blocks
        .iter()
        .flat_map(|b| b.segments.iter().map(|s| key(&s.source)))
        .collect();
    let mut carried_flat = vec![Carried::New; new_keys.len()];
    let mut removed = Vec::new();
    for op in capture_diff_slices(Algorithm::Patience, &old_keys, &new_keys) {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => {
                for (o, n) in old_range.zip(new_range) {
                    carried_flat[n] = Carried::Kept(old[o].id);
                }
            }
            DiffTag::Insert => {}
            DiffTag::Delete => removed.extend(old[old_range].iter().map(|s| s.id)),
            DiffTag::Replace => {
                let pairs = pair_edits(&old_keys[old_range.clone()], &new_keys[new_range.clone()]);
                let mut paired_old = vec![false; old_range.len()];
                for (o, n, score) in pairs {
                    paired_old[o] = true;
                    carried_flat[new_range.start + n] = Carried::Edited {
                        previous: old[old_range.start + o].id,
                        score,
                    };
                }
                removed.extend(
                    old_range
                        .zip(paired_old)
                        .filter(|(_, paired)| !paired)
                        .map(|(o, _)| old[o].id),
                );
            }
        }
    }
    let mut flat = carried_flat.into_iter();
    let carried: Vec<Vec<Carried>> = new_blocks
        .iter()
        .map(|b| flat.by_ref().take(b.segments.len()).collect())
        .collect();
    for (block, carried) in new_blocks.iter_mut().zip(&carried) {
        let before: Option<Vec<_>> = carried
            .iter()
            .map(|c| match c {
                Carried::Kept(id) => old.iter().find(|s| s.id == *id).map(|s| s.translatable),
                _ => None,
            })
            .collect();
        if let Some(before) = before.filter(|b| !b.is_empty()) {
            if before.iter().all(|t| *t == before[0]) {
                block.translatable = before[0];
            }
        }
    }
    RevisionPlan {
        blocks: new_blocks,
        carried,
        removed,
    }
}

/// The best in-order pairing of old and new segments of a changed run:
/// the pairs (old index, new index, score) with score ≥ [`EDIT_MIN_SCORE`]
/// whose scores add up to the most, never crossing (dynamic programming
/// over the run, which is a few sentences long).
fn pair_edits(old: &[String], new: &[String]) -> Vec<(usize, usize, u32)> {
    let old_tokens: Vec<_> = old.iter().map(|s| Scored::new(s)).collect();
    let new_tokens: Vec<_> = new.iter().map(|s| Scored::new(s)).collect();
    let scores: Vec<Vec<u32>> = old_tokens
        .iter()
        .map(|o| new_tokens.iter().map(|n| score(n, o)).collect())
        .collect();
    let (rows, cols) = (old.len(), new.len());
    // best[i][j]: the best total over old[i..] and new[j..].
    let mut best = vec![vec![0u64; cols + 1]; rows + 1];
    for i in (0..rows).rev() {
        for j in (0..cols).rev() {
            let skip = best[i + 1][j].max(best[i][j + 1]);
            let take = (scores[i][j] >= EDIT_MIN_SCORE)
                .then(|| best[i + 1][j + 1] + u64::from(scores[i][j]));
            best[i][j] = take.map_or(skip, |t| t.max(skip));
        }
    }
    let mut pairs = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < rows && j < cols {
        let s = scores[i][j];
        if s >= EDIT_MIN_SCORE && best[i][j] == best[i + 1][j + 1] + u64::from(s) {
            pairs.push((i, j, s.min(99)));
            i += 1;
            j += 1;
        } else if best[i][j] == best[i + 1][j] {
            i += 1;
        } else {
            j += 1;
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{BlockKind, Translatable};
    use crate::store::news::RevisionSummary;
    use crate::store::{NewSegment, Status};

    fn old(sources: &[&str]) -> Vec<SegmentRow> {
        sources
            .iter()
            .enumerate()
            .map(|(i, s)| SegmentRow {
                id: 100 + i as i64,
                block: 0,
                index: i as i64,
                source: s.to_string(),
                target: format!("EN {i}"),
                status: Status::Translated,
                translatable: Translatable::Yes,
                match_score: None,
                note: None,
                codes: Vec::new(),
            })
            .collect()
    }

    fn blocks(paragraphs: &[&[&str]]) -> Vec<SegmentedBlock> {
        paragraphs
            .iter()
            .map(|p| SegmentedBlock {
                kind: BlockKind::Paragraph,
                translatable: Translatable::Yes,
                text: p.join(" "),
                codes: Vec::new(),
                segments: p
                    .iter()
                    .map(|s| NewSegment {
                        source: s.to_string(),
                        target: String::new(),
                        status: Status::New,
                        note: None,
                    })
                    .collect(),
            })
            .collect()
    }

    #[test]
    fn edited_inserted_and_deleted_sentences_are_told_apart() {
        let before = old(&[
            "Il governo ha approvato il decreto.",
            "La misura costa 3 miliardi di euro.",
            "L'opposizione ha votato contro.",
            "Il testo passa ora al Senato.",
        ]);
        let plan = plan(
            &before,
            blocks(&[
                &[
                    "Il governo ha approvato il decreto.",
                    "La misura costa 3,5 miliardi di euro.",
                ],
                &[
                    "Il presidente della Repubblica dovrà firmarlo entro dieci giorni.",
                    "Il testo passa ora al Senato.",
                ],
            ]),
        );
        assert_eq!(
            plan.carried,
            vec![
                vec![
                    Carried::Kept(100),
                    // Only the number differs: 100 less the number penalty.
                    Carried::Edited {
                        previous: 101,
                        score: 99
                    }
                ],
                vec![Carried::New, Carried::Kept(103)],
            ]
        );
        assert_eq!(plan.removed, vec![102]);
        assert_eq!(
            plan.summary(),
            RevisionSummary {
                unchanged: 2,
                edited: 1,
                new: 1,
                removed: 1
            }
        );
    }

    #[test]
    fn a_rewritten_sentence_below_the_edit_score_is_new_and_the_old_one_removed() {
        let before = old(&["Piove da tre giorni su tutta la Liguria."]);
        let plan = plan(
            &before,
            blocks(&[&["La Protezione civile ha diramato l'allerta rossa per domani."]]),
        );
        assert_eq!(plan.carried, vec![vec![Carried::New]]);
        assert_eq!(plan.removed, vec![100]);
    }

    #[test]
    fn a_skipped_block_stays_skipped_when_its_text_is_unchanged() {
        let mut before = old(&["Pubblicità.", "Il testo."]);
        before[0].translatable = Translatable::Excluded;
        let plan = plan(&before, blocks(&[&["Pubblicità."], &["Il testo nuovo."]]));
        assert_eq!(plan.blocks[0].translatable, Translatable::Excluded);
        assert_eq!(plan.blocks[1].translatable, Translatable::Yes);
    }

    #[test]
    fn a_kept_sentence_takes_the_new_versions_codes_and_its_english_follows() {
        use crate::document::{Block, Document, InlineCode, SourceFormat};
        use crate::segment::Segmenter;
        use crate::store::Workspace;
        use crate::text::codes::Mark;
        let link = |href: &str| InlineCode {
            element: "a".into(),
            open: format!("<a href=\"{href}\">"),
            close: "</a>".into(),
            title: href.into(),
        };
        let article = |text: String, codes: Vec<InlineCode>| Document {
            format: SourceFormat::Html,
            blocks: vec![Block {
                kind: BlockKind::Paragraph,
                text,
                codes,
                translatable: Translatable::Yes,
            }],
        };
        let (o, c) = (|id| Mark::Open(id).char(), |id| Mark::Close(id).char());
        let segmenter = Segmenter::italian::<&str>(&[]);
        let mut ws = Workspace::open_in_memory().unwrap();
        let first = article(
            format!("Il {}decreto{} passa.", o(0), c(0)),
            vec![link("/a")],
        );
        let doc = ws.add_document("d", None, &first, &segmenter).unwrap();
        let id = ws.segments(doc).unwrap()[0].id;
        let english = format!("The {}decree{} passes.", o(0), c(0));
        ws.set_target(doc, id, &english, Status::Translated)
            .unwrap();

        // The new version puts a link before it: the sentence's code is now 1.
        let text = format!("{}Oggi{}. Il {}decreto{} passa.", o(0), c(0), o(1), c(1));
        let second = article(text, vec![link("/oggi"), link("/a")]);
        let plan = plan(
            &ws.segments(doc).unwrap(),
            crate::store::segment_blocks(&second, &segmenter),
        );
        assert_eq!(plan.carried, vec![vec![Carried::New, Carried::Kept(id)]]);
        ws.apply_revision(doc, &plan, None, None).unwrap();
        let kept = ws.segment(doc, id).unwrap();
        assert_eq!(kept.target, format!("The {}decree{} passes.", o(1), c(1)));
        assert_eq!(kept.codes[0].code.open, "<a href=\"/a\">");
    }

    #[test]
    fn spacing_alone_is_not_an_edit_and_identical_versions_keep_everything() {
        let before = old(&["Uno  due tre.", "Quattro cinque."]);
        let plan = plan(&before, blocks(&[&["Uno due tre.", "Quattro cinque."]]));
        assert_eq!(
            plan.carried,
            vec![vec![Carried::Kept(100), Carried::Kept(101)]]
        );
        assert!(plan.removed.is_empty());
    }
}
