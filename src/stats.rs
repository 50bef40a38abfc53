//! Where a document stands: segments and words by status (words counted as
//! GMX-V 2.0 does, see [`crate::store::count_words`]), characters, and the
//! pace of the work.

use crate::store::{count_words, Status, StoreError, Workspace};

/// Segments and words of one status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusCount {
    /// The status.
    pub status: Status,
    /// Its translatable segments.
    pub segments: usize,
    /// Their Italian words.
    pub words: usize,
}

/// A document's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentStats {
    /// New, draft, translated, approved, in that order.
    pub by_status: [StatusCount; 4],
    /// Italian words to translate.
    pub words: usize,
    /// Italian characters to translate, spaces not counted.
    pub characters: usize,
    /// Words confirmed per hour of work, once there are two confirmations.
    pub words_per_hour: Option<f64>,
    /// Minutes of work counted for it.
    pub active_minutes: f64,
}

/// A pause longer than this between two confirmations is not work time.
const IDLE_MS: i64 = 5 * 60 * 1000;

/// Words per hour and minutes of work from confirmation times (ms) and
/// the words confirmed then, oldest first. Work time is the gaps between
/// confirmations with idle pauses cut to five minutes; the first
/// confirmation only starts the clock.
pub fn pace(times: &[(i64, usize)]) -> (Option<f64>, f64) {
    let mut active_ms = 0;
    let mut timed_words = 0;
    for pair in times.windows(2) {
        active_ms += (pair[1].0 - pair[0].0).clamp(0, IDLE_MS);
        timed_words += pair[1].1;
    }
    let per_hour = (active_ms > 0).then(|| timed_words as f64 / (active_ms as f64 / 3_600_000.0));
    (per_hour, active_ms as f64 / 60_000.0)
}

/// The document's figures.
pub fn document_stats(ws: &Workspace, doc_id: i64) -> Result<DocumentStats, StoreError> {
    let statuses = [
        Status::New,
        Status::Draft,
        Status::Translated,
        Status::Approved,
    ];
    let mut by_status = statuses.map(|status| StatusCount {
        status,
        segments: 0,
        words: 0,
    });
    let (mut words, mut characters) = (0, 0);
    for segment in ws.segments(doc_id)? {
        if !segment.translatable.is_translatable() {
            continue;
        }
        let n = count_words(&segment.source);
        let at = statuses
            .iter()
            .position(|s| *s == segment.status)
            .unwrap_or(0);
        by_status[at].segments += 1;
        by_status[at].words += n;
        words += n;
        characters += segment
            .source
            .chars()
            .filter(|c| !c.is_whitespace())
            .count();
    }
    let times: Vec<(i64, usize)> = ws
        .confirmation_times(doc_id)?
        .into_iter()
        .map(|(at, source)| (at, count_words(&source)))
        .collect();
    let (words_per_hour, active_minutes) = pace(&times);
    Ok(DocumentStats {
        by_status,
        words,
        characters,
        words_per_hour,
        active_minutes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{workspace_with, SAMPLE};

    #[test]
    fn words_are_counted_as_gmx_v_does() {
        assert_eq!(count_words("Così si rafforza l’asse Mosca-Pyongyang"), 6);
        assert_eq!(count_words("Il Pil cresce del 3,5% (1.234,5 euro)."), 7);
        assert_eq!(count_words("«Andremo», ha detto. — …"), 3);
        assert_eq!(count_words("   "), 0);
    }

    #[test]
    fn pace_leaves_idle_pauses_out() {
        let minute = 60_000;
        // 1 min, 1 min, then an hour away (counted as 5 min): 7 minutes.
        let times = [(0, 8), (minute, 10), (2 * minute, 20), (62 * minute, 5)];
        let (per_hour, minutes) = pace(&times);
        assert_eq!(minutes, 7.0);
        assert_eq!(per_hour, Some(35.0 * 60.0 / 7.0));
        assert_eq!(pace(&times[..1]), (None, 0.0));
    }

    #[test]
    fn the_sample_by_status() {
        let (mut ws, doc) = workspace_with("sample.txt", SAMPLE);
        let segments: Vec<_> = ws
            .segments(doc)
            .unwrap()
            .into_iter()
            .filter(|s| s.translatable.is_translatable())
            .collect();
        ws.set_target(
            doc,
            segments[0].id,
            "Putin goes to Kim.",
            Status::Translated,
        )
        .unwrap();
        ws.set_target(doc, segments[1].id, "A draft", Status::Draft)
            .unwrap();
        let stats = document_stats(&ws, doc).unwrap();
        let total: usize = segments.iter().map(|s| count_words(&s.source)).sum();
        assert_eq!(stats.words, total);
        assert_eq!(
            stats.by_status.map(|c| (c.segments, c.words)),
            [
                (
                    segments.len() - 2,
                    total - 4 - count_words(&segments[1].source)
                ),
                (1, count_words(&segments[1].source)),
                (1, 4),
                (0, 0)
            ]
        );
        assert_eq!(stats.words_per_hour, None, "one confirmation gives no pace");
    }
}
