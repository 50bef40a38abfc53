//! Spelling in the real app: a misspelling typed in the English is
//! underlined, and corrected from a suggestion chosen with the keyboard.

use std::time::Duration;

use fantoccini::{Client, Locator};

use super::{english, focused, open_sample, press, screenshot, segment_id, settled, App, WAIT};

const F7: &str = "\u{E037}";
const ARROW_DOWN: &str = "\u{E015}";
const ARROW_UP: &str = "\u{E013}";
const ENTER: &str = "\u{E007}";

/// The words the spelling highlight underlines, as the page draws them
/// (null when the page has no CSS highlights).
async fn underlined(c: &Client) -> Result<String, fantoccini::error::CmdError> {
    let answer = c
        .execute(
            "const shown = globalThis.CSS && CSS.highlights && CSS.highlights.get('spelling');
             if (!shown) return 'no highlight';
             return [...shown].map((r) => r.toString()).filter((t) => t).join(' ');",
            vec![],
        )
        .await?;
    Ok(answer.as_str().unwrap_or_default().to_string())
}

#[tokio::test(flavor = "multi_thread")]
#[cfg_attr(
    not(feature = "custom-protocol"),
    ignore = "needs --features custom-protocol (the binary must serve the built UI)"
)]
async fn a_misspelling_is_underlined_and_corrected_from_a_suggestion_by_keyboard() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("workspace.sqlite");
    let app = App::start(&db).await;
    let (c, display) = (&app.c, app.display.as_str());
    let run = async {
        open_sample(c).await?;
        let headline = segment_id(c, "Putin va da Kim.").await?;
        let field = c
            .find(Locator::Css(&format!(
                ".english[data-segment-id='{headline}']"
            )))
            .await?;
        field.click().await?;
        field.send_keys("Putin expresed it to Kim.").await?;
        // "Putin" and "Kim" are the article's names: only the misspelling.
        let marked = settled("expresed", || underlined(c)).await?;
        let invalid = field.attr("aria-invalid").await?;
        screenshot(display, "spelling-underlined.png");
        // The suggestions of the word before the caret, chosen with the
        // keyboard: down to the second and back up to the first.
        press(c, F7).await?;
        let menu = c
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css("[role='menu'] button.suggestion"))
            .await?;
        let first = menu.text().await?;
        screenshot(display, "spelling-menu.png");
        press(c, ARROW_DOWN).await?;
        press(c, ARROW_UP).await?;
        press(c, ENTER).await?;
        let corrected = settled("Putin expressed it to Kim.", || english(c, &headline)).await?;
        let back = settled(&format!("segment {headline}"), || focused(c)).await?;
        // The caret is after the word put in.
        press(c, " clearly").await?;
        let typed = settled("Putin expressed clearly it to Kim.", || {
            english(c, &headline)
        })
        .await?;
        let cleared = settled("", || underlined(c)).await?;
        let invalid_after = field.attr("aria-invalid").await?;
        Ok::<_, fantoccini::error::CmdError>((
            headline,
            marked,
            invalid,
            first,
            corrected,
            back,
            typed,
            cleared,
            invalid_after,
        ))
    };
    let result = tokio::time::timeout(Duration::from_secs(3 * 120), run).await;
    app.close(&result).await;
    let (headline, marked, invalid, first, corrected, back, typed, cleared, invalid_after) =
        result.expect("timed out").expect("spelling run");
    assert_eq!(marked, "expresed", "the misspelling alone is underlined");
    assert_eq!(invalid.as_deref(), Some("spelling"));
    assert_eq!(first, "expressed", "the likely word comes first");
    assert_eq!(corrected, "Putin expressed it to Kim.");
    assert_eq!(
        back,
        format!("segment {headline}"),
        "the keyboard is back in the segment"
    );
    assert_eq!(typed, "Putin expressed clearly it to Kim.");
    assert_eq!(cleared, "", "nothing is underlined any more");
    assert_eq!(invalid_after, None);
}
